"""The router: every message turn goes through :class:`Conversation`.

    build_conversation(storage, partners, today=date.today) -> ConversationLayer

A turn: read the user's language (their choice in user state, else the activity's locale) and
call :func:`dialogs.turn.begin_turn`; read what was said (typed text, or a card submit's ``verb``
and ``text``); then

- a guided dialog is active: ``cancel`` ends every dialog and says what was kept; a confident
  question of another kind ("what's my score?") is answered and the dialog is re-prompted after a
  "back to where we were" line; anything else continues the dialog;
- no dialog: ``enter_data`` begins the ``profile`` dialog, ``cosell`` the ``cosell`` dialog;
  ``language`` switches and remembers the language; other intents are answered by
  :class:`dialogs.answers.Answers`; below the confidence level the best two guesses are offered
  as buttons.

Conversation and user state are saved at the end of every turn. The host runs the turns of one
conversation one after the other; should two processes still write the same state, the storage
refuses the second write (eTag conflict) and the host tells that user the step was not saved,
keeping the state the first turn saved. Nothing is lost silently.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from botbuilder.core import ConversationState, Storage, TurnContext, UserState
from botbuilder.dialogs import Dialog, DialogSet, DialogTurnStatus
from botbuilder.schema import Activity, ChannelAccount

from dialogs import language as languages
from dialogs.answers import Answers, PendingUpdate, reply, text_reply
from dialogs.cards import answers as cards
from dialogs.ports import ConversationLayer, PartnerRepository
from dialogs.recognizer import Recognition, recognize, recognizer
from dialogs.turn import begin_turn, submit_value, submitted_text
from scoring.errors import InputError
from scoring.loading import catalog

log = logging.getLogger(__name__)

ANSWERED = frozenset(
    {
        "help",
        "score",
        "gap",
        "plan",
        "whatif",
        "update",
        "explain",
        "freshness",
        "eligibility",
        "cosell_explain",
        "import_help",
    }
)
"""Intents answered in one turn by :class:`Answers`."""
INTERRUPTING = frozenset(
    {"score", "gap", "plan", "whatif", "explain", "freshness", "eligibility", "cosell_explain", "language"}
)
"""Questions that may interrupt a guided dialog (not ``update``/``cosell``: the dialog is collecting data)."""
VERBS = ANSWERED | {"cosell", "language", "cancel", "enter_data", "update_confirm", "update_cancel"}
"""Card-submit verbs the router handles; any other verb belongs to the active dialog."""


def _t(key: str, lang: str, **params: Any) -> str:
    return catalog().text(key, lang, **params)


def _guided_dialogs(partners: PartnerRepository, today: Callable[[], date]) -> list[Dialog]:
    from dialogs.guided import CosellDialog, ProfileDialog

    return [ProfileDialog(partners, today), CosellDialog(partners, today)]


class Conversation:
    """Implements :class:`dialogs.ports.ConversationLayer` on the host's storage."""

    def __init__(
        self, storage: Storage, partners: PartnerRepository, *, today: Callable[[], date] = date.today
    ) -> None:
        self.conversation_state = ConversationState(storage)
        self.user_state = UserState(storage)
        self.partners = partners
        self.today = today
        self.answers = Answers(partners, today)
        self._dialog_state = self.conversation_state.create_property("DialogState")
        self._pending = self.conversation_state.create_property("PendingUpdate")
        self.languages = languages.LanguageChoice(self.user_state)
        self.dialogs = DialogSet(self._dialog_state)
        for dialog in _guided_dialogs(partners, today):
            self.dialogs.add(dialog)

    # -- the port

    async def language(self, turn_context: TurnContext) -> str:
        return await self.languages.get(turn_context)

    async def reset(self, turn_context: TurnContext) -> None:
        await self.conversation_state.delete(turn_context)

    async def on_members_added(
        self, turn_context: TurnContext, tenant_id: str, members: list[ChannelAccount]
    ) -> None:
        lang = await self.language(turn_context)
        begin_turn(turn_context, tenant_id, lang)
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        bot_added = any(m.id == bot_id for m in members)
        conversation_type = getattr(turn_context.activity.conversation, "conversation_type", None)
        people_added = [m for m in members if m.id != bot_id]
        if bot_added or (people_added and conversation_type in (None, "personal")):
            await turn_context.send_activity(reply(cards.welcome_card(lang)))

    async def on_message(self, turn_context: TurnContext, tenant_id: str) -> None:
        lang = await self.language(turn_context)
        begin_turn(turn_context, tenant_id, lang)
        await self._route(turn_context, tenant_id, lang)
        await self.conversation_state.save_changes(turn_context)
        await self.user_state.save_changes(turn_context)

    # -- routing

    async def _route(self, turn_context: TurnContext, tenant: str, lang: str) -> None:
        value = submit_value(turn_context)
        said = submitted_text(turn_context)
        verb = str(value["verb"]) if value else None
        dc = await self.dialogs.create_context(turn_context)
        active = dc.active_dialog is not None

        if verb is not None and verb not in VERBS:
            if active:  # a button of the dialog's own card
                await dc.continue_dialog()
            else:  # an old dialog card clicked after the dialog ended: treat like typed text
                await self._answer_text(turn_context, dc, tenant, lang, said, None)
            return

        if verb is None and not active and await self._pending.get(turn_context, None) is not None:
            answer = recognizer().yes_no(said)
            if answer is not None:  # "ja" / "no" typed instead of clicking Save / Don't save
                await self._do(
                    turn_context,
                    dc,
                    tenant,
                    lang,
                    "update_confirm" if answer else "update_cancel",
                    recognize(""),
                    None,
                )
                return

        if verb is not None:
            recognition = recognize(
                said, turn_context.activity.locale, known_offers=await self.answers.known_offers(tenant)
            )
            intent: str | None = verb
        else:
            recognition = recognize(
                said, turn_context.activity.locale, known_offers=await self.answers.known_offers(tenant)
            )
            intent = recognition.intent
            if active:
                if intent == "cancel" and recognition.confident:
                    await self._cancel(turn_context, dc, lang)
                elif intent in INTERRUPTING and recognition.interrupts:
                    await self._interrupt(turn_context, dc, tenant, lang, intent, recognition, value)
                else:
                    await dc.continue_dialog()
                return
            if not recognition.confident:
                await self._unsure(turn_context, recognition, said, lang)
                return

        assert intent is not None
        if active and intent not in ("cancel",) and intent in INTERRUPTING | {"help"}:
            await self._interrupt(turn_context, dc, tenant, lang, intent, recognition, value)
            return
        await self._do(turn_context, dc, tenant, lang, intent, recognition, value)

    async def _answer_text(
        self,
        turn_context: TurnContext,
        dc: Any,
        tenant: str,
        lang: str,
        said: str,
        value: dict[str, Any] | None,
    ) -> None:
        recognition = recognize(
            said, turn_context.activity.locale, known_offers=await self.answers.known_offers(tenant)
        )
        if recognition.intent is None or not recognition.confident:
            await self._unsure(turn_context, recognition, said, lang)
            return
        await self._do(turn_context, dc, tenant, lang, recognition.intent, recognition, value)

    async def _do(
        self,
        turn_context: TurnContext,
        dc: Any,
        tenant: str,
        lang: str,
        intent: str,
        recognition: Recognition,
        value: dict[str, Any] | None,
    ) -> None:
        if intent == "cancel":
            await self._cancel(turn_context, dc, lang)
        elif intent == "language":
            await self._language(turn_context, recognition, value, lang)
        elif intent == "enter_data":
            await dc.cancel_all_dialogs()
            await dc.begin_dialog("profile")
        elif intent == "cosell":
            await dc.cancel_all_dialogs()
            await dc.begin_dialog(
                "cosell",
                {
                    "offer": recognition.entities.get("offer"),
                    "offer_type": recognition.entities.get("offer_type"),
                },
            )
        elif intent == "update_confirm":
            await self._confirm_update(turn_context, tenant, lang, value)
        elif intent == "update_cancel":
            await self._pending.set(turn_context, None)
            await turn_context.send_activity(text_reply(_t("answers.update.discarded", lang)))
        else:
            await self._send(
                turn_context, await self._answer(turn_context, tenant, lang, intent, recognition)
            )

    async def _answer(
        self, turn_context: TurnContext, tenant: str, lang: str, intent: str, recognition: Recognition
    ) -> list[Activity]:
        replies = await self.answers.answer(intent, recognition, tenant, lang)
        for activity in replies:
            change = _pending_change(activity)
            if change is not None:
                await self._pending.set(turn_context, change)
        return replies

    async def _interrupt(
        self,
        turn_context: TurnContext,
        dc: Any,
        tenant: str,
        lang: str,
        intent: str,
        recognition: Recognition,
        value: dict[str, Any] | None,
    ) -> None:
        if intent == "language":
            await self._language(turn_context, recognition, value, lang)
            lang = await self.language(turn_context)
            begin_turn(turn_context, tenant, lang)
        elif intent == "help":
            await self._send(turn_context, [reply(cards.help_card(lang))])
        else:
            await self._send(
                turn_context, await self._answer(turn_context, tenant, lang, intent, recognition)
            )
        await turn_context.send_activity(text_reply(_t("answers.back", lang)))
        await dc.reprompt_dialog()

    async def _cancel(self, turn_context: TurnContext, dc: Any, lang: str) -> None:
        had_dialog = dc.active_dialog is not None
        had_pending = await self._pending.get(turn_context, None) is not None
        await dc.cancel_all_dialogs()
        await self._pending.set(turn_context, None)
        if not had_dialog:  # a guided dialog says itself what it kept when it is cancelled
            key = "answers.cancelled" if had_pending else "answers.cancelled_nothing"
            await turn_context.send_activity(text_reply(_t(key, lang)))

    async def _unsure(
        self, turn_context: TurnContext, recognition: Recognition, said: str, lang: str
    ) -> None:
        guesses = [g for g in recognition.best_two() if g != "cancel"]
        if recognition.intent is None or len(guesses) < 1 or not said:
            await turn_context.send_activity(text_reply(_t("answers.not_understood", lang)))
            return
        await turn_context.send_activity(reply(cards.did_you_mean_card(guesses[:2], said, lang)))

    async def _language(
        self, turn_context: TurnContext, recognition: Recognition, value: dict[str, Any] | None, lang: str
    ) -> None:
        chosen = (value or {}).get("lang") or recognition.entities.get("language")
        if chosen not in ("en", "nl"):
            await turn_context.send_activity(reply(cards.language_card(lang)))
            return
        await self.languages.set(turn_context, str(chosen))
        await turn_context.send_activity(text_reply(_t("answers.language.changed", str(chosen))))

    async def _confirm_update(
        self, turn_context: TurnContext, tenant: str, lang: str, value: dict[str, Any] | None
    ) -> None:
        pending = PendingUpdate.from_json((value or {}).get("change")) or PendingUpdate.from_json(
            await self._pending.get(turn_context, None)
        )
        if pending is None:
            await turn_context.send_activity(text_reply(_t("answers.update.no_pending", lang)))
            return
        await self._pending.set(turn_context, None)
        await self._send(turn_context, await self.answers.apply_update(tenant, pending, lang))

    @staticmethod
    async def _send(turn_context: TurnContext, activities: list[Activity]) -> None:
        for activity in activities:
            await turn_context.send_activity(activity)


def _pending_change(activity: Activity) -> dict[str, Any] | None:
    for attachment in activity.attachments or []:
        content = attachment.content if isinstance(attachment.content, dict) else {}
        for action in content.get("actions", []):
            data = action.get("data") or {}
            if data.get("verb") == "update_confirm":
                change = data.get("change")
                return dict(change) if isinstance(change, dict) else None
    return None


def build_conversation(
    storage: Storage, partners: PartnerRepository, *, today: Callable[[], date] = date.today
) -> ConversationLayer:
    """The conversation layer the host calls (see :class:`dialogs.ports.ConversationLayer`)."""
    return Conversation(storage, partners, today=today)


__all__ = ["Conversation", "DialogTurnStatus", "InputError", "build_conversation"]
