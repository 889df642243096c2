"""A question dialog that treats a typed answer and a clicked button the same way.

The SDK's prompts read ``activity.text`` only (a card submit arrives with empty text and a
``value``) and keep ``PromptOptions`` objects, with whole activities inside, in the dialog state.
:class:`Ask` reads the answer with :func:`dialogs.turn.submitted_text` and keeps only a small JSON
mapping in the state (what is asked, and why the last answer was refused), so:

- the question is rebuilt from the text catalog every time it is shown: after an interruption
  (``reprompt_dialog``), after a restart of the bot process, in the user's current language;
- a refused answer is re-asked with the reason (``InputError.render(lang, catalog)``), in the user's language;
  what the user typed is repeated there as literal text (:func:`dialogs.cards.kit.plain`), never as
  markdown or a link; a dialog may begin the question with a reason already (:func:`refused`);
- "help" at any question explains that question and asks it again (the router may answer "help"
  itself; this is for when it passes the turn on);
- a question answered by a button choice (``choice``: yes/no/don't know, an offer type, a market, a
  value to pick) answers a typed text it cannot read with one line, the refusal and how to stop
  ("Answer yes, no or don't know. Or say cancel to stop."), not the whole card again: the card with
  its buttons is right above;
- "cancel" or "stop" at a question ends it with :data:`CANCELLED` (normally the router cancels
  first); the dialog then says what was kept;
- the first showing of a question and a re-asked one differ only where they should: the render gets
  ``options[REPEATED]`` true when the question is shown again (after a refused answer, "help" or an
  interruption), so a note about the previous step ("Saved: … = 7.") is shown only right after it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogContext, DialogInstance, DialogReason, DialogTurnResult
from botbuilder.schema import Activity, ActivityTypes, InputHints

from dialogs.cards import kit
from dialogs.turn import language_of, submitted_text
from dialogs.understanding import words
from kernel.errors import InputError
from kernel.texts import catalog

Options = dict[str, Any]
Render = Callable[[TurnContext, Options, str | None], Awaitable[Activity]]
"""Builds the question: (turn, what is asked, reason the last answer was refused or None)."""
Recognize = Callable[[TurnContext, Options, str], Awaitable[Any]]
"""Reads an answer (the turn, what is asked, the submitted text): the value, or raises InputError."""
Explain = Callable[[TurnContext, Options], Awaitable[Activity]]
"""Builds the help for the question."""

CANCELLED = {"guided": "cancelled"}
"""What :class:`Ask` ends with when the user cancels at the question."""

REPEATED = "repeated"
"""Key set in the options given to the render when the question is shown again, not for the first time."""

_OPTIONS = "options"
_REASON = "reason"
_SHOWN = "shown"
CHOICE = "choice"
"""Key of an :class:`Ask`'s state: the question is answered by a click on one of its buttons (or
their names typed), so typed text that is none of them may well be a side question."""
_REFUSED = "refused"


def refused(options: Options, err: InputError) -> Options:
    """``options`` for beginning an :class:`Ask` whose first showing already gives ``err`` as the
    reason (e.g. an offer name from the request that cannot be used)."""
    return {**options, _REFUSED: _reason_of(err)}


def _reason_of(err: InputError) -> dict[str, Any]:
    return {"code": err.code, "params": _plain(err.params), "message": err.message}


class Ask(Dialog):  # type: ignore[misc]  # the SDK is untyped
    """One question; ends with the recognised value. Begin it with a JSON-friendly ``dict``."""

    def __init__(self, dialog_id: str, render: Render, recognize: Recognize, explain: Explain, *,
                 choice: bool | Callable[[Options], bool] = False) -> None:
        super().__init__(dialog_id)
        self._render = render
        self._recognize = recognize
        self._explain = explain
        self._choice = choice

    async def begin_dialog(self, dialog_context: DialogContext, options: object = None) -> DialogTurnResult:
        state = dialog_context.active_dialog.state
        state[_OPTIONS] = dict(options) if isinstance(options, dict) else {}
        state[_REASON] = state[_OPTIONS].pop(_REFUSED, None)
        state[_SHOWN] = False
        state[CHOICE] = self._is_choice(state[_OPTIONS])
        await self._send_question(dialog_context.context, state)
        return Dialog.end_of_turn

    async def continue_dialog(self, dialog_context: DialogContext) -> DialogTurnResult:
        context = dialog_context.context
        if context.activity.type != ActivityTypes.message:
            return Dialog.end_of_turn
        state = dialog_context.active_dialog.state
        options: Options = state[_OPTIONS]
        said = submitted_text(context)
        if words.is_word(said, "cancel") or words.is_word(said, "stop"):
            return await dialog_context.end_dialog(dict(CANCELLED))
        if words.is_word(said, "help"):
            await context.send_activity(await self._explain(context, options))
            await self._send_question(context, state)
            return Dialog.end_of_turn
        try:
            value = await self._recognize(context, options, said)
        except InputError as err:
            if self._is_choice(options):  # the buttons are still there: one line, not the card again
                lang = language_of(context)
                shown = InputError(err.message, code=err.code,
                                   params={k: _literal(k, v) for k, v in _plain(err.params).items()})
                line = f"{shown.render(lang, catalog())} {catalog().text('guided.choice.or_cancel', lang)}"
                await context.send_activity(Activity(type="message", text=line,
                                                     input_hint=InputHints.expecting_input))
                return Dialog.end_of_turn
            state[_REASON] = _reason_of(err)
            await self._send_question(context, state)
            return Dialog.end_of_turn
        return await dialog_context.end_dialog(value)

    async def accepts(self, dialog_context: DialogContext, said: str) -> bool:
        """``said`` is an answer this question takes ("Deployments now" at "Which value?"), so it is
        no side question however else it reads. Reading it changes nothing."""
        try:
            await self._recognize(dialog_context.context, dialog_context.active_dialog.state[_OPTIONS], said)
        except InputError:
            return False
        return True

    def _is_choice(self, options: Options) -> bool:
        return self._choice(options) if callable(self._choice) else self._choice

    async def resume_dialog(
        self, dialog_context: DialogContext, reason: DialogReason, result: object
    ) -> DialogTurnResult:
        await self.reprompt_dialog(dialog_context.context, dialog_context.active_dialog)
        return Dialog.end_of_turn

    async def reprompt_dialog(self, context: TurnContext, instance: DialogInstance) -> None:
        """After an interruption: the question again, without the old refusal reason."""
        instance.state[_REASON] = None
        await self._send_question(context, instance.state)

    async def _send_question(self, context: TurnContext, state: dict[str, Any]) -> None:
        reason = state.get(_REASON)
        reason_text = None
        if reason:
            params = {k: _literal(k, v) for k, v in (reason.get("params") or {}).items()}
            err = InputError(reason.get("message", ""), code=reason["code"], params=params)
            reason_text = err.render(language_of(context), catalog())
        options: Options = {**state[_OPTIONS], REPEATED: bool(state.get(_SHOWN, True))}
        activity = await self._render(context, options, reason_text)
        activity.input_hint = InputHints.expecting_input
        await context.send_activity(activity)
        state[_SHOWN] = True


def _literal(name: str, value: Any) -> Any:
    """A parameter of a refusal as shown: typed text literal (no markdown); a ``*_label`` catalog
    key (see :class:`kernel.errors.InputError`) as it is."""
    return kit.plain(value) if isinstance(value, str) and not name.endswith("_label") else value


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    """Error parameters as JSON values (the dialog state is stored as JSON)."""
    return {k: v if v is None or isinstance(v, str | int | float | bool) else str(v)
            for k, v in params.items()}
