"""The router: every message turn goes through :class:`Conversation`.

    build_conversation(storage, partners, today=clock.today) -> ConversationLayer

A turn: read the user's language (their choice in user state, else the activity's locale) and
call :func:`dialogs.turn.begin_turn`; read what was said (typed text, or a card submit's ``verb``
and ``text``); then

- a guided dialog is active: ``cancel`` ends every dialog and says what was kept (one message:
  the dialog's own, or the router's when no dialog said anything); a real answer to the question
  (a number, yes/no/don't know, a market, an offer type, a known offer, a button's word) always
  goes to the dialog; a confident request for a guided dialog ("is my offer X co-sell ready?",
  "enter data") ends the current one, which says what was kept, and begins the one asked for (the
  same dialog asked again is re-prompted, unless another offer is named); a confident question of
  another kind ("what's my score?") is answered and the dialog is re-prompted after a "back to
  where we were" line ("what can you do?" shows the help card, while "help" itself lets the question
  explain itself); anything else continues the dialog;
- no dialog: ``enter_data`` begins the ``profile`` dialog, ``cosell`` the ``cosell`` dialog;
  ``language`` switches and remembers the language; other intents are answered by
  :class:`dialogs.answers.Answers`; below the confidence level the best two guesses are offered
  as buttons.

Group chats and team channels: the dialog state and the pending "update" confirmation are kept
per user within a conversation (the SDK's ``PrivateConversationState``, key
``{channel}/conversations/{conversation}/users/{user}/``), so several people can each run their
own guided dialog in one chat; the language is per user (user state); partner data is per tenant,
shared by everyone of that tenant. There, the buttons of a person's dialog cards (and of their
"update" confirmation) carry that person's id: a click by someone else is refused with a short
note instead of answering the other person's question. The host (``bot/teams.py``) removes the
bot's @mention from the text and drops group messages that do not mention the bot.

The state is saved at the end of every turn. The host runs the turns of one user in one
conversation one after the other; should two processes still write the same state, the storage
refuses the second write (eTag conflict) and the host tells that user the step was not saved,
keeping the state the first turn saved. Nothing is lost silently.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from typing import Any

from botbuilder.core import PrivateConversationState, Storage, TurnContext, UserState
from botbuilder.core.bot_state import CachedBotState
from botbuilder.dialogs import Dialog, DialogContext, DialogSet, DialogTurnStatus
from botbuilder.schema import Activity, ChannelAccount

from dialogs import intents
from dialogs import language as languages
from dialogs.answers import Answers, PendingUpdate, reply, text_reply
from dialogs.cards import answers as cards
from dialogs.files import FileTransfers, sent_files
from dialogs.ports import ConversationLayer, FileTransfer, PartnerRepository
from dialogs.routing import (
    answers_a_question,
    answers_the_choice,
    begins,
    cannot_be_an_answer,
    current_offer,
    dialog_of,
    interrupts,
    is_cancel_word,
    side_question,
    side_question_not_an_answer,
    takes_free_text,
)
from dialogs.turn import (
    begin_turn,
    is_group_conversation,
    pending_change,
    submit_data,
    submit_value,
    submitted_text,
)
from dialogs.understanding import Context, Recognition, follow_up, recognize, recognizer, words
from kernel import clock
from kernel.errors import InputError
from kernel.texts import catalog
from scoring import api

log = logging.getLogger(__name__)

VERBS = frozenset(intents.INTENTS)
"""Card-submit verbs the router handles (every registered intent); other verbs belong to the dialog."""
OWNER = "for"
"""Key added to the ``data`` of a person's own buttons in group conversations: their user id."""
_SENT = "partnerbot.conversation.sent"


def _t(key: str, lang: str, **params: Any) -> str:
    return catalog().text(key, lang, **params)


def _guided_dialogs(partners: PartnerRepository, today: Callable[[], date]) -> list[Dialog]:
    from dialogs.guided import CosellDialog, ProfileDialog

    return [ProfileDialog(partners, today), CosellDialog(partners, today)]


class Conversation:
    """Implements :class:`dialogs.ports.ConversationLayer` on the host's storage."""

    def __init__(
        self,
        storage: Storage,
        partners: PartnerRepository,
        *,
        today: Callable[[], date] = clock.today,
        files: FileTransfer | None = None,
    ) -> None:
        self._storage = storage
        self.conversation_state = PrivateConversationState(storage)
        """Per user within a conversation: the guided dialog and the pending update of one person."""
        self.user_state = UserState(storage)
        self.partners = partners
        self.today = today
        self.answers = Answers(partners, today)
        self._dialog_state = self.conversation_state.create_property("DialogState")
        self._pending = self.conversation_state.create_property("PendingUpdate")
        self._context = self.conversation_state.create_property("AnswerContext")
        """What this person's last answer was about (intent, metric, period, offer), for follow-ups."""
        self.languages = languages.LanguageChoice(self.user_state)
        self.files = FileTransfers(partners, today, self.conversation_state, files)
        """Files sent in chat (preview, Save) and the export (:mod:`dialogs.files`)."""
        self.dialogs = DialogSet(self._dialog_state)
        self._acts: dict[str, Callable[..., Awaitable[None]]] = {
            "cancel": lambda tc, dc, tenant, lang, rec, value: self._cancel(tc, dc, lang),
            "language": lambda tc, dc, tenant, lang, rec, value: self._language(tc, rec, value, lang),
            "update_confirm": lambda tc, dc, tenant, lang, rec, value: self._confirm_update(
                tc, tenant, lang, value),
            "update_cancel": lambda tc, dc, tenant, lang, rec, value: self._discard_update(tc, lang),
            "file_save": lambda tc, dc, tenant, lang, rec, value: self.files.save(tc, tenant, lang, value),
            "file_discard": lambda tc, dc, tenant, lang, rec, value: self.files.discard(tc, lang, value),
            "export": lambda tc, dc, tenant, lang, rec, value: self.files.export(tc, tenant, lang),
        }
        """The router's own acts (intents registered with ``router``)."""
        missing = {name for name, spec in intents.INTENTS.items() if spec.router} ^ set(self._acts)
        if missing:
            raise ValueError(f"router acts and registered router intents differ: {sorted(missing)}")
        for dialog in _guided_dialogs(partners, today):
            self.dialogs.add(dialog)

    # -- the port

    async def language(self, turn_context: TurnContext) -> str:
        return await self.languages.get(turn_context)

    async def reset(self, turn_context: TurnContext) -> None:
        await self.conversation_state.delete(turn_context)

    async def on_file_consent(
        self, turn_context: TurnContext, tenant_id: str, response: Mapping[str, Any]
    ) -> None:
        """The answer to the export's file consent card (:class:`dialogs.ports.TakesFileConsent`)."""
        lang = await self.language(turn_context)
        begin_turn(turn_context, tenant_id, lang)
        await self.files.on_consent(turn_context, tenant_id, lang, response)

    async def on_members_added(
        self, turn_context: TurnContext, tenant_id: str, members: list[ChannelAccount]
    ) -> None:
        """One welcome card per update: when the bot is added, or a person to a personal chat.

        People joining a team or group chat the bot is already in are not greeted: the channel
        would fill with welcome cards. In a group, the welcome says how to address the bot.
        """
        lang = await self.language(turn_context)
        begin_turn(turn_context, tenant_id, lang)
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        bot_added = any(m.id == bot_id for m in members)
        people_added = [m for m in members if m.id != bot_id]
        group = is_group_conversation(activity)
        if not (bot_added or (people_added and not group)):
            return
        welcome = reply(cards.welcome_card(lang))
        if group:
            name = (activity.recipient.name if activity.recipient else None) or _t("bot.group.bot_name", lang)
            welcome.text = _t("bot.group.welcome", lang, name=name)
        await turn_context.send_activity(welcome)

    async def _read_states(self, turn_context: TurnContext) -> None:
        """This person's conversation and user state in one storage read. Read on first use, as
        the SDK does, they were two reads: two round trips to PostgreSQL in every message turn.
        What the SDK's ``BotState.load`` caches for the turn is set here, so its own loads find it."""
        states = (self.conversation_state, self.user_state)
        keys = [state.get_storage_key(turn_context) for state in states]
        items = await self._storage.read(keys)
        for state, key in zip(states, keys, strict=True):
            turn_context.turn_state[state._context_service_key] = CachedBotState(items.get(key))

    async def on_message(self, turn_context: TurnContext, tenant_id: str) -> None:
        # the person's state and the tenant's documents (every message reads the offer names) at once:
        # on PostgreSQL two queries on two connections, one wait instead of two
        await asyncio.gather(self._read_states(turn_context), self.partners.load_cosell(tenant_id))
        lang = await self.language(turn_context)
        begin_turn(turn_context, tenant_id, lang)
        turn_context.on_send_activities(self._outgoing)
        await self._route(turn_context, tenant_id, lang)
        await self.conversation_state.save_changes(turn_context)
        await self.user_state.save_changes(turn_context)

    async def _outgoing(
        self, turn_context: TurnContext, activities: list[Activity], send: Callable[[], Awaitable[None]]
    ) -> None:
        """Counts what this turn sends; in a group, marks the sender's own buttons as theirs."""
        turn_context.turn_state[_SENT] = turn_context.turn_state.get(_SENT, 0) + len(activities)
        user = getattr(turn_context.activity.from_property, "id", None)
        if user and is_group_conversation(turn_context.activity):
            for activity in activities:
                for data in submit_data(activity):
                    spec = intents.get(str(data.get("verb")))
                    if spec is None or spec.personal:
                        data[OWNER] = str(user)
        await send()

    # -- routing

    async def _route(self, turn_context: TurnContext, tenant: str, lang: str) -> None:
        value = submit_value(turn_context)
        said = submitted_text(turn_context)
        verb = str(value["verb"]) if value else None
        owner = value.get(OWNER) if value else None
        if owner is not None and owner != getattr(turn_context.activity.from_property, "id", None):
            await turn_context.send_activity(text_reply(_t("bot.group.not_yours", lang)))
            return
        if sent_files(turn_context.activity):  # a file sent: its preview (the dialog, if any, waits)
            await self.files.on_file(turn_context, tenant, lang)
            return
        dc = await self.dialogs.create_context(turn_context)
        active = dc.active_dialog is not None

        if not said and verb is None:  # a bare @mention, or an empty message
            if active:
                await dc.reprompt_dialog()
            else:
                await self._send(turn_context, [reply(cards.help_card(lang))])
            return

        if verb is not None and verb not in VERBS:
            if active:  # a button of the dialog's own card
                await dc.continue_dialog()
            else:  # an old dialog card clicked after the dialog ended: treat like typed text
                await self._answer_text(turn_context, dc, tenant, lang, said, None)
            return

        if verb is None and not active and await self._pending.get(turn_context, None) is not None:
            answer = recognizer(self._edition()).yes_no(said)
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

        known_offers = await self.answers.known_offers(tenant)
        context = None if verb is not None else await self._last_context(turn_context, tenant)
        recognition = follow_up(context, said, turn_context.activity.locale, known_offers=known_offers,
                                edition=self._edition())
        if verb is not None:
            intent: str | None = verb
        else:
            intent = recognition.intent
            if active:
                named = bool(recognition.entities.get("offer"))  # "Stop Fraud Suite", "Help Desk Pro"
                if is_cancel_word(said) or (
                    intent == "cancel" and recognition.confident and not named and not takes_free_text(dc)
                ):
                    await self._cancel(turn_context, dc, lang)
                elif (takes_free_text(dc) and not side_question(recognition)) or answers_a_question(
                    said, known_offers
                ):
                    # a name is taken as given; the question itself handles exactly "help" / "stop"
                    await dc.continue_dialog()
                elif named and intent in ("help", "cancel"):
                    await dc.continue_dialog()
                elif intent and side_question_not_an_answer(recognition, said) and cannot_be_an_answer(
                    dc, said, known_offers
                ) and not await answers_the_choice(dc, said):
                    await self._interrupt(turn_context, dc, tenant, lang, intent, recognition, value)
                elif begins(intent) and recognition.interrupts and cannot_be_an_answer(
                    dc, said, known_offers
                ):
                    # "it is a Teams app" at "What type of offer is …?" answers it, whatever else it is like
                    await self._switch(turn_context, dc, lang, intent, recognition)
                elif interrupts(intent) and recognition.interrupts and not await answers_the_choice(dc, said):
                    # "help" itself is an answer word: the question explains itself; "what can
                    # you do?" gets the help card, then the question again; a choice's own name
                    # ("deployments now" at "Which value?") answers the choice, however it reads
                    await self._interrupt(turn_context, dc, tenant, lang, intent, recognition, value)
                else:
                    await dc.continue_dialog()
                return
            if is_cancel_word(said):
                intent = "cancel"  # "nvm" with nothing running: the cancel answer, not "I didn't understand"
            elif not recognition.confident:
                await self._unsure(turn_context, recognition, said, lang)
                return

        assert intent is not None
        if active and begins(intent):
            await self._switch(turn_context, dc, lang, intent, recognition)
            return
        if active and interrupts(intent):
            await self._interrupt(turn_context, dc, tenant, lang, intent, recognition, value)
            return
        await self._do(turn_context, dc, tenant, lang, intent, recognition, value)

    def _edition(self) -> str | None:
        """The rule edition in force on the conversation's day (the real date in production): the
        recognizer reads certification and workload names by its lists. ``None`` (the recognizer's
        own choice) on a day before the first edition."""
        try:
            return api.edition_on(self.today()).id
        except InputError:
            return None

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
            said, turn_context.activity.locale, known_offers=await self.answers.known_offers(tenant),
            edition=self._edition(),
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
        spec = intents.get(intent)
        if spec is None:  # a verb of no intent (an old or forged button): not understood
            await turn_context.send_activity(text_reply(_t("answers.not_understood", lang)))
        elif spec.router:
            await self._acts[intent](turn_context, dc, tenant, lang, recognition, value)
        elif spec.begins is not None:
            await self._begin(dc, intent, recognition)
        else:
            await self._send(
                turn_context, await self._answer(turn_context, tenant, lang, intent, recognition)
            )

    async def _answer(
        self, turn_context: TurnContext, tenant: str, lang: str, intent: str, recognition: Recognition
    ) -> list[Activity]:
        replies = await self.answers.answer(intent, recognition, tenant, lang)
        answered = Context.of(dataclasses.replace(recognition, intent=intent))
        await self._context.set(turn_context, {"tenant": tenant, **answered.to_json()} if answered else None)
        for activity in replies:
            change = pending_change(activity)
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
        elif intent in self._acts:
            await self._acts[intent](turn_context, dc, tenant, lang, recognition, value)
        else:
            await self._send(
                turn_context, await self._answer(turn_context, tenant, lang, intent, recognition)
            )
        await turn_context.send_activity(text_reply(_t("answers.back", lang)))
        await dc.reprompt_dialog()

    async def _cancel(self, turn_context: TurnContext, dc: Any, lang: str) -> None:
        """One message: the dialog's own "stopped, kept: …", else the router's generic line."""
        had_pending = await self._pending.get(turn_context, None) is not None
        had_dialog, said = await self._end_dialogs(turn_context, dc)
        await self._pending.set(turn_context, None)
        if not said:
            key = "answers.cancelled" if had_dialog or had_pending else "answers.cancelled_nothing"
            await turn_context.send_activity(text_reply(_t(key, lang)))

    async def _end_dialogs(self, turn_context: TurnContext, dc: Any) -> tuple[bool, bool]:
        """Cancel every dialog; returns whether one was running and whether it said something."""
        had_dialog = dc.active_dialog is not None
        before = turn_context.turn_state.get(_SENT, 0)
        await dc.cancel_all_dialogs()
        return had_dialog, turn_context.turn_state.get(_SENT, 0) > before

    async def _begin(self, dc: Any, intent: str, recognition: Recognition) -> None:
        options = None
        if intent == "cosell":
            options = {
                "offer": recognition.entities.get("offer"),
                "offer_type": recognition.entities.get("offer_type"),
            }
        await dc.begin_dialog(dialog_of(intent), options)

    async def _switch(
        self, turn_context: TurnContext, dc: DialogContext, lang: str, intent: str, recognition: Recognition
    ) -> None:
        """A guided dialog asked for during one: end the current one (it says what was kept) and
        begin the one asked for; the same dialog asked again just shows where we were."""
        current = dc.active_dialog.id
        if dialog_of(intent) == current:
            offer = current_offer(dc)
            named = recognition.entities.get("offer")
            same = bool(offer and named) and words.normalise(str(named)) == words.normalise(str(offer))
            if current != "cosell" or not named or same:
                key = "bot.router.already.profile" if current == "profile" else (
                    "bot.router.already.cosell_offer" if offer else "bot.router.already.cosell")
                await turn_context.send_activity(text_reply(_t(key, lang, offer=offer or "")))
                await dc.reprompt_dialog()
                return
            if not offer:  # still choosing which offer: nothing to keep or to say, take the one named
                await dc.end_dialog()
                await self._begin(dc, intent, recognition)
                return
        await self._end_dialogs(turn_context, dc)
        await self._begin(dc, intent, recognition)

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

    async def _last_context(self, turn_context: TurnContext, tenant: str) -> Context | None:
        """This person's last answer in this conversation, if it was for this tenant (state is kept
        per user within a conversation; the tenant check keeps it from ever crossing tenants)."""
        stored = await self._context.get(turn_context, None)
        if not isinstance(stored, dict) or stored.get("tenant") != tenant:
            return None
        return Context.from_json(stored)

    async def _discard_update(self, turn_context: TurnContext, lang: str) -> None:
        await self._pending.set(turn_context, None)
        await turn_context.send_activity(text_reply(_t("answers.update.discarded", lang)))

    async def _confirm_update(
        self, turn_context: TurnContext, tenant: str, lang: str, value: dict[str, Any] | None
    ) -> None:
        """Save the change waiting for this person: only the latest one shown to them (a typed "yes",
        or the Save button of that very card); an older card, a Save after "no" or a forged change
        finds nothing waiting."""
        pending = PendingUpdate.from_json(await self._pending.get(turn_context, None))
        clicked = (value or {}).get("change")
        if clicked is not None:
            card = PendingUpdate.from_json(clicked)
            if card is None or pending is None or card.id != pending.id:
                pending = None
        if pending is None:
            await turn_context.send_activity(text_reply(_t("answers.update.no_pending", lang)))
            return
        await self._pending.set(turn_context, None)
        await self._send(turn_context, await self.answers.apply_update(tenant, pending, lang))

    @staticmethod
    async def _send(turn_context: TurnContext, activities: list[Activity]) -> None:
        for activity in activities:
            await turn_context.send_activity(activity)


def build_conversation(
    storage: Storage,
    partners: PartnerRepository,
    *,
    today: Callable[[], date] = clock.today,
    files: FileTransfer | None = None,
) -> ConversationLayer:
    """The conversation layer the host calls (see :class:`dialogs.ports.ConversationLayer`);
    ``files`` downloads files sent in chat and uploads exports (none: files are not read)."""
    return Conversation(storage, partners, today=today, files=files)


def warm_up() -> None:
    """Load what every turn reads, once, before the first turn: the text catalog and the
    recognizer (with the vocabulary of the rule edition in force). The host calls it at start-up,
    so that the first admin does not wait for it and these long-lived tables can be set aside from
    garbage collection (:func:`bot.app.create_app`)."""
    catalog()
    recognizer()
    recognize("help")


__all__ = ["Conversation", "DialogTurnStatus", "InputError", "build_conversation", "warm_up"]
