"""How the router reads a message while a guided dialog runs: an answer to the question (a number,
yes/no, a button's word, an offer type, a known offer), a name at a free-text question, an explicit
cancel, or a side question; and which intents begin or may interrupt a guided dialog (the registry,
:mod:`dialogs.intents`, says).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, TypeGuard

from botbuilder.dialogs import ComponentDialog, DialogContext

from dialogs import intents
from dialogs.formatting import parse_number
from dialogs.guided import offers
from dialogs.guided.prompt import CHOICE, Ask
from dialogs.understanding import Recognition, recognizer, words
from kernel.texts import LANGUAGES
from scoring import cosell

ANSWER_WORDS = ("yes", "no", "unknown", "keep", "change", "counts", "larger", "other", "new", "stop", "help",
                "numbers")
"""Kinds of ``config/recognizer/words.yaml`` that answer a guided question (or ask for its help),
never a request."""
_NUMBER = re.compile(r"[-+\u2212]?\d[\d.,'\s\u00a0\u202f]*%?")
_WORD = re.compile(r"[^\W\d_]+")


def answers_a_question(said: str, known_offers: list[str] | tuple[str, ...] = ()) -> bool:
    """``said`` has the shape of an answer to a guided question, so it is never taken as a request.

    A number (with at most one word such as a unit or "k": "7", "1.500", "130k", "12,5 mensen"),
    one of the answer words in either language (yes, nee, weet ik niet, keep, larger...), an offer
    type's name or a known offer's name.
    """
    text = said.strip()
    if not text:
        return False
    if parse_number(text, "en") is not None:
        return True
    if _NUMBER.search(text) and len(_WORD.findall(_NUMBER.sub(" ", text))) <= 1:
        return True
    if words.which(text, ANSWER_WORDS) is not None:
        return True
    wanted = words.normalise(text)
    if any(wanted == words.normalise(name) for name in known_offers):
        return True
    return any(wanted in _offer_type_names(t) for t in cosell.offer_types())


def part_of_a_choice(said: str, known_offers: list[str] | tuple[str, ...] = ()) -> bool:
    """Every word of ``said`` is a word of an offer type's or a known offer's name, or ``said`` names
    exactly one offer type ("it is a Teams app"): an attempt at a button's name ("Power BI",
    "dynamics"), which the question itself answers (e.g. "fits several types"), never a side question."""
    said_words = words.normalise(said).split()
    names = [*(name for t in cosell.offer_types() for name in _offer_type_names(t)),
             *(words.normalise(offer) for offer in known_offers)]
    vocabulary = {word for name in names for word in name.split()}
    return bool(said_words) and (all(word in vocabulary for word in said_words)
                                 or len(offers.types_in(said, cosell.edition())) == 1)  # "it is a Teams app"


FREE_TEXT_QUESTIONS = frozenset({"cosell.name"})
"""Questions whose answer is free text (an offer's name): only an exact command word is a command."""


def _questions(dc: DialogContext) -> Iterator[Any]:
    """The active dialog's instances, from the outermost to the innermost question."""
    instance = dc.active_dialog
    for _ in range(10):  # component dialogs nest a few levels at most
        if instance is None:
            return
        yield instance
        inner = instance.state.get("dialogs") if isinstance(instance.state, dict) else None
        stack = getattr(inner, "dialog_stack", None)
        if stack is None and isinstance(inner, dict):
            stack = inner.get("dialog_stack") or inner.get("dialogStack")
        top = stack[0] if stack else None
        instance = top if top is None or hasattr(top, "state") else None


def takes_free_text(dc: DialogContext) -> bool:
    """The innermost question of the active dialog takes free text (see :data:`FREE_TEXT_QUESTIONS`)."""
    return any(instance.id in FREE_TEXT_QUESTIONS for instance in _questions(dc))


def at_a_choice(dc: DialogContext) -> bool:
    """The innermost question of the active dialog is answered with one of its buttons
    (:data:`dialogs.guided.prompt.CHOICE`)."""
    chain = list(_questions(dc))
    state = chain[-1].state if chain else None
    return isinstance(state, dict) and state.get(CHOICE) is True


async def answers_the_choice(dc: DialogContext, said: str) -> bool:
    """At a button choice, the question takes ``said`` as its answer (``Ask.accepts``): a button's own
    name ("Deployments now" at "Which value?") is no side question, however else it reads."""
    if not at_a_choice(dc):
        return False
    inner = dc
    for _ in range(10):  # component dialogs nest a few levels at most
        instance = inner.active_dialog
        dialog = await inner.find_dialog(instance.id) if instance is not None else None
        if isinstance(dialog, Ask):
            return await dialog.accepts(inner, said)
        if not isinstance(dialog, ComponentDialog):
            return False
        # the inner context as ComponentDialog.continue_dialog builds it (botbuilder-dialogs 4.17.1,
        # whose DialogContext.child gives none for a ComponentDialog)
        state = instance.state.get(ComponentDialog.persisted_dialog_state)
        inner = DialogContext(dialog._dialogs, inner.context, state)
    return False


def cannot_be_an_answer(dc: DialogContext, said: str, known_offers: list[str] | tuple[str, ...] = ()) -> bool:
    """The active question's answers have a shape that ``said`` does not have: at a button choice it
    is no part of a choice's name, at any other question but a free-text one (a number) it has no
    number. (The caller has already asked :func:`answers_a_question`.)"""
    if takes_free_text(dc):
        return False
    if at_a_choice(dc):
        return not part_of_a_choice(said, known_offers)
    return _NUMBER.search(said) is None and parse_number(said, "en") is None


def side_question_not_an_answer(recognition: Recognition, said: str) -> bool:
    """Typed text that :func:`cannot_be_an_answer` and is a confident question that may interrupt:
    the question's shape leaves no doubt that this is no answer, so the bar is
    :attr:`Recognition.confident`, not the higher :attr:`Recognition.interrupts` that protects
    typed answers elsewhere ("what is the difference between Azure IP co-sell and Business
    Applications co-sell?" at "What type of offer is …?", "how much is an intermediate
    certification worth?" at "How many people …?")."""
    return (
        recognition.confident
        and interrupts(recognition.intent)
        and recognition.intent not in ("help", "cancel")
        and recognizer().asks(said)  # a question, not a word that merely resembles one ("somewhere")
    )


def side_question(recognition: Recognition) -> bool:
    """At a free-text question, a confident question of another kind that names no offer ("what's my
    score?"), not a name that merely sounds like a command ("Tulp Analytics", "help desk pro")."""
    return (
        recognition.interrupts
        and recognition.intent not in ("help", "cancel")
        and not recognition.entities.get("offer")
    )


def is_cancel_word(said: str) -> bool:
    """Exactly a cancel word ("cancel", "annuleer", "stoppen"), nothing more."""
    return words.is_word(said, "cancel")


def begins(intent: str | None) -> TypeGuard[str]:
    """``intent`` begins a guided dialog."""
    spec = intents.get(intent)
    return spec is not None and spec.begins is not None


def dialog_of(intent: str) -> str:
    spec = intents.get(intent)
    assert spec is not None and spec.begins is not None
    return spec.begins


def interrupts(intent: str | None) -> TypeGuard[str]:
    """``intent`` may be answered in the middle of a guided dialog, which then goes on."""
    spec = intents.get(intent)
    return spec is not None and spec.interrupts


def _offer_type_names(info: Any) -> set[str]:
    names = {words.normalise(info.id), words.normalise(info.id.replace("_", " "))}
    return names | {words.normalise(info.name(lang)) for lang in LANGUAGES}


def current_offer(dc: DialogContext) -> str | None:
    """The offer a running co-sell walkthrough is about (``None`` while it is still being chosen).

    The walkthrough keeps it on its own dialog instance (``dialogs.guided.cosell``, key
    ``guided.offer``), where it survives a restart like the rest of the dialog state.
    """
    instance = dc.active_dialog
    offer = instance.state.get("guided.offer") if instance is not None and instance.id == "cosell" else None
    return str(offer) if offer else None
