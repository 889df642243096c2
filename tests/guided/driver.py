"""Drive one guided dialog turn by turn, as the router would, on the host's real SQLite storage.

The SDK's ``TestAdapter`` runs each turn; conversation state lives in ``bot.storage.SqliteStorage``
(jsonpickle, as in the running bot) and partner data in ``SqlitePartnerRepository``, so
:meth:`Driver.restart` (new dialog objects, new storage objects, same database file) shows what a
restarted bot process would do. The router's duties are imitated in the smallest way: set the
turn's tenant and language, continue the active dialog or begin the one asked for, ``cancel_all``
for a cancel, ``reprompt_dialog`` after answering an interruption.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from botbuilder.core import ConversationState, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import DialogSet, DialogTurnStatus
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount

from bot.storage import Database, SqlitePartnerRepository, SqliteStorage
from dialogs.guided import CosellDialog, ProfileDialog
from dialogs.turn import begin_turn
from tests.answers.cardcheck import assert_valid_card, card_text, cards_in, clicks

TODAY = date(2026, 11, 23)


def shown(activity: Activity) -> str:
    """What a person sees of a reply: its text, or the visible texts of its cards."""
    parts = [activity.text or ""]
    parts += [card_text(card) for card in cards_in(activity)]
    return "\n".join(p for p in parts if p)


class Driver:
    def __init__(self, path: Path, *, tenant: str = "tenant-a", locale: str = "en-US",
                 conversation: str = "conv-1") -> None:
        self.path = path
        self.tenant = tenant
        self.locale = locale
        self.conversation = conversation
        self.db: Database | None = None
        self.replies: list[Activity] = []
        self.results: list[Any] = []

    async def open(self) -> Driver:
        self.db = await Database.open(self.path)
        self.partners = SqlitePartnerRepository(self.db)
        self.state = ConversationState(SqliteStorage(self.db))
        self.dialogs = DialogSet(self.state.create_property("dialogs"))
        self.dialogs.add(ProfileDialog(self.partners, lambda: TODAY))
        self.dialogs.add(CosellDialog(self.partners, lambda: TODAY))
        template = Activity(channel_id="msteams", service_url="https://test.invalid",
                            from_property=ChannelAccount(id="user-1", name="Admin"),
                            recipient=ChannelAccount(id="bot", name="partnerbot"),
                            conversation=ConversationAccount(id=self.conversation))
        self.adapter = TestAdapter(template_or_conversation=template)
        return self

    async def close(self) -> None:
        if self.db is not None:
            await self.db.close()
            self.db = None

    async def restart(self) -> None:
        """A new bot process: new dialogs, state and repository objects on the same database file."""
        await self.close()
        await self.open()

    async def _turn(self, activity: Activity, action: str, dialog_id: str | None = None,
                    options: Any = None) -> list[Activity]:
        before = len(self.adapter.activity_buffer)

        async def logic(context: TurnContext) -> None:
            begin_turn(context, self.tenant, "nl" if self.locale.startswith("nl") else "en")
            dc = await self.dialogs.create_context(context)
            if action == "begin":
                await dc.cancel_all_dialogs()
                result = await dc.begin_dialog(dialog_id, options)
            elif action == "cancel":
                await dc.cancel_all_dialogs()
                result = None
            elif action == "interrupt":
                await context.send_activity("(an answer to another question)")
                await dc.reprompt_dialog()
                result = None
            else:
                result = await dc.continue_dialog()
            if result is not None and result.status == DialogTurnStatus.Complete:
                self.results.append(result.result)
            await self.state.save_changes(context)

        activity.locale = self.locale
        await self.adapter.process_activity(activity, logic)
        new = self.adapter.activity_buffer[before:]
        for reply in new:
            for card in cards_in(reply):
                assert_valid_card(card)
        self.replies.extend(new)
        return list(new)

    async def begin(self, dialog_id: str, options: Any = None, text: str = "start") -> list[str]:
        return [shown(a) for a in await self._turn(Activity(type=ActivityTypes.message, text=text),
                                                     "begin", dialog_id, options)]

    async def say(self, text: str) -> list[str]:
        return [shown(a) for a in await self._turn(Activity(type=ActivityTypes.message, text=text), "say")]

    async def click(self, said: str) -> list[str]:
        """Click a button whose data text is ``said`` (empty message text, ``value`` set)."""
        activity = Activity(type=ActivityTypes.message, text="", value={"verb": "answer", "text": said})
        return [shown(a) for a in await self._turn(activity, "say")]

    async def cancel(self) -> list[str]:
        return [shown(a) for a in await self._turn(Activity(type=ActivityTypes.message, text="cancel"),
                                                     "cancel")]

    async def interrupt(self) -> list[str]:
        activity = Activity(type=ActivityTypes.message, text="what's my score?")
        return [shown(a) for a in await self._turn(activity, "interrupt")]

    def last_buttons(self) -> list[dict[str, Any]]:
        """What each click (or pick in a drop-down) on the last card sent sends."""
        for reply in reversed(self.replies):
            found = cards_in(reply)
            if found:
                return clicks(found[-1])
        return []

    async def active(self) -> str | None:
        """The id of the dialog on top of the outer stack (None when nothing runs)."""
        holder: list[str | None] = []

        async def logic(context: TurnContext) -> None:
            begin_turn(context, self.tenant, "en")
            dc = await self.dialogs.create_context(context)
            holder.append(dc.active_dialog.id if dc.active_dialog else None)

        await self.adapter.process_activity(Activity(type=ActivityTypes.event, name="peek"), logic)
        return holder[0]


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


__all__ = ["TODAY", "Driver", "shown"]
