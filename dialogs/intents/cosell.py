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
        with contextlib.suppress(KeyError):  # an earlier edition's name (on_market) → this one's (in_market)
            status = rules.status_id(str(status))
        incentives = cosell.explain("incentives", lang, edition=rules)
        if any(item.id == status for item in incentives.items):
            return [reply(cards.cosell_explanation_card(incentives, [str(status)], lang))]
        statuses = cosell.explain("statuses", lang, edition=rules)
        return [reply(cards.cosell_explanation_card(statuses, [str(status)], lang))]
    return [reply(cards.cosell_explanation_card(cosell.explain("statuses", lang, edition=rules), None, lang))]

