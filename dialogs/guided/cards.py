"""Cards of the guided dialogs, built with the card kit (:mod:`dialogs.cards.kit`).

Pure functions from plain values to Adaptive Card 1.5 dicts; every button is an ``Action.Submit``
with ``data = {"verb": "answer", "text": <what typing it would say>}``, so a click and a typed
answer are the same thing to the dialog.
"""

from __future__ import annotations

from collections.abc import Sequence

from botbuilder.schema import Activity

from dialogs.cards import kit

VERB = "answer"


def button(title: str, said: str, *, style: str | None = None) -> kit.Action:
    return kit.submit(title, VERB, text_=said, style=style)


def question(
    *,
    heading: str,
    lines: Sequence[str],
    subtle: Sequence[str] = (),
    reason: str | None = None,
    progress: str | None = None,
    note: str | None = None,
    buttons: Sequence[kit.Action] = (),
    lang: str,
) -> Activity:
    """One question: the refusal reason first (if any), a note (what was just saved), the
    progress, the question, what it means, buttons.

    The plain-text fallback holds the same words and the button titles, for clients without cards.
    """
    body: list[kit.Element] = []
    if reason:
        body.append(kit.text(reason, colour="attention", bold=True))
    if note:
        body.append(kit.text(note, colour="good", size="Small"))
    if progress:
        body.append(kit.text(progress, subtle=True, size="Small"))
    body.append(kit.title(heading, size="Medium"))
    body.extend(kit.text(line) for line in lines)
    body.extend(kit.text(line, subtle=True) for line in subtle)
    titles = [str(b["title"]) for b in buttons]
    fallback = "\n".join(
        [*([reason] if reason else []), *([note] if note else []), heading, *lines, *subtle,
         *([" / ".join(titles)] if titles else [])]
    )
    value = kit.card(body, list(buttons), fallback_text=fallback, lang=lang)
    return kit.reply(value, fallback)


def facts_card(
    *, heading: str, intro: str | None, facts: Sequence[tuple[str, str]], buttons: Sequence[kit.Action],
    lang: str, extra: Sequence[kit.Element] = (),
) -> Activity:
    """A heading, an optional line, label/value facts, optional extra elements and buttons."""
    body: list[kit.Element] = [kit.title(heading)]
    if intro:
        body.append(kit.text(intro))
    body.append(kit.fact_set(facts))
    body.extend(extra)
    fallback = "\n".join([heading, *([intro] if intro else []), *(f"{t}: {v}" for t, v in facts)])
    return kit.reply(kit.card(body, list(buttons), fallback_text=fallback, lang=lang), fallback)
