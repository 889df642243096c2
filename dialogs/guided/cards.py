"""Cards of the guided dialogs, built with the card kit (:mod:`dialogs.cards.kit`).

Pure functions from plain values to Adaptive Card 1.5 dicts; every button is an ``Action.Submit``
with ``data = {"verb": "answer", "text": <what typing it would say>}``, so a click and a typed
answer are the same thing to the dialog. A list of choices (``choices``) is a compact drop-down and
a number (``number``) a labelled field, each with one OK button whose ``verb`` is ``answer`` and whose
``text`` is what was picked or typed. Buttons are laid out in rows that fit a phone.
"""

from __future__ import annotations

from collections.abc import Sequence

from botbuilder.schema import Activity

from dialogs.cards import kit
from kernel.texts import catalog

VERB = "answer"


def button(title: str, said: str, *, style: str | None = None) -> kit.Action:
    return kit.submit(title, VERB, text_=said, style=style)


def _t(key: str, lang: str) -> str:
    return catalog().text(key, lang)


def question(
    *,
    heading: str,
    lines: Sequence[str],
    subtle: Sequence[str] = (),
    reason: str | None = None,
    progress: str | None = None,
    note: str | None = None,
    buttons: Sequence[kit.Action] = (),
    choices: Sequence[tuple[str, str]] = (),
    choice_label: str | None = None,
    number: str | None = None,
    lang: str,
) -> Activity:
    """One question: the refusal reason first (if any), a note (what was just saved), the
    progress, the question, what it means, then the input and the buttons.

    ``choices`` (``(title, text)`` pairs) are buttons when they fit in one row on a phone, else a
    drop-down labelled ``choice_label``; ``number`` is the label of a number field. A drop-down or a
    field comes with an OK button, and the other buttons then leave it alone (``associatedInputs:
    none``: their own text is sent, not the field's). The plain-text fallback is the card's own text.
    """
    body: list[kit.Element] = []
    if reason:
        body.append(kit.container([kit.text(reason, bold=True)], style="attention"))
    if note:
        body.append(kit.text(note, subtle=True, size="Small"))
    if progress:
        body.append(kit.text(progress, subtle=True, size="Small", spacing="Small" if note else None))
    body.append(kit.title(heading, size="Medium"))
    body.extend(kit.text(line) for line in lines)
    body.extend(kit.text(line, subtle=True) for line in subtle)
    others = list(buttons)
    if choices and kit.fits([title for title, _ in choices]):  # a few short ones: one tap each
        others = [button(title, said) for title, said in choices] + others
        choices = ()
    if choices:
        body += kit.choice_set(choice_label or heading, choices,
                               placeholder=_t("cards.choice.placeholder", lang))
    if number:
        body += kit.number_input(number, placeholder=_t("cards.number.placeholder", lang))
    if choices or number:
        body.append(kit.action_set([kit.ok_button(_t("cards.button.ok", lang), VERB)]))
        others = [kit.alone(a) for a in others]
    return kit.reply(kit.card(body, others, lang=lang))


def facts_card(
    *, heading: str, intro: str | None, facts: Sequence[tuple[str, str]], buttons: Sequence[kit.Action],
    lang: str, extra: Sequence[kit.Element] = (),
) -> Activity:
    """A heading, an optional line, label/value pairs, optional extra elements and buttons.

    The pairs are label-above-value rows rather than a FactSet, whose two columns squash long labels
    on a phone."""
    body: list[kit.Element] = [kit.title(heading)]
    if intro:
        body.append(kit.text(intro))
    body.append(kit.pairs(facts))
    body.extend(extra)
    return kit.reply(kit.card(body, buttons, lang=lang))
