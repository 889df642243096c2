"""Co-sell explained: what a status or incentive means, what a requirement asks, under the co-sell
edition in force on the conversation's day (the real date in production)."""

from __future__ import annotations

import contextlib

from botbuilder.schema import Activity

from dialogs.cards import answers as cards
from dialogs.intents.registry import Question, register, reply
from scoring import cosell


@register("cosell_explain", interrupts=True)
async def cosell_explain(question: Question) -> list[Activity]:
    recognition, lang = question.recognition, question.lang
    rules = cosell.edition(on=question.today)
    entities = recognition.entities
    status = entities.get("status")
    requirement = entities.get("requirement")
    if requirement and not status:
        found = cosell.requirement(rules, str(requirement))
        card = cards.requirement_card(found.name(lang), found.meaning(lang), found.next_step(lang), lang)
        return [reply(card)]
    if status:
        named = [_this_edition(rules, str(s)) for s in entities.get("statuses") or [status]]
        for topic in ("incentives", "statuses"):  # "the difference between X and Y": both
            explanation = cosell.explain(topic, lang, edition=rules)
            if all(any(item.id == s for item in explanation.items) for s in named):
                return [reply(cards.cosell_explanation_card(explanation, named, lang))]
    return [reply(cards.cosell_explanation_card(cosell.explain("statuses", lang, edition=rules), None, lang))]


def _this_edition(rules: cosell.Edition, status: str) -> str:
    """A status id as ``rules`` names it: an earlier edition's name (on_market) → this one's
    (in_market)."""
    with contextlib.suppress(KeyError):
        return str(rules.status_id(status))
    return status
