"""Co-sell explained: what a status or incentive means, what a requirement asks."""

from __future__ import annotations

import contextlib
from fractions import Fraction

from botbuilder.schema import Activity

from dialogs import formatting
from dialogs.cards import answers as cards
from dialogs.intents.registry import Question, register, reply, t
from kernel.texts import catalog
from scoring import cosell


@register("cosell_explain", interrupts=True)
async def cosell_explain(question: Question) -> list[Activity]:
    recognition, lang = question.recognition, question.lang
    entities = recognition.entities
    status = entities.get("status")
    requirement = entities.get("requirement")
    if requirement and not status:
        name = t(
            f"cosell.requirement.{requirement}", lang, threshold=_usd_threshold(str(requirement), lang)
        )
        step = t(f"cosell.step.{requirement}", lang, threshold=_usd_threshold(str(requirement), lang))
        meaning = (
            t(f"cosell.requirement.{requirement}.meaning", lang)
            if catalog().has(f"cosell.requirement.{requirement}.meaning")
            else name
        )
        return [reply(cards.requirement_card(name, meaning, step, lang))]
    if status:
        with contextlib.suppress(KeyError):  # an earlier edition's name (on_market) → this one's (in_market)
            status = cosell.edition().status_id(str(status))
        incentives = cosell.explain("incentives", lang)
        if any(item.id == status for item in incentives.items):
            return [reply(cards.cosell_explanation_card(incentives, [str(status)], lang))]
        return [reply(cards.cosell_explanation_card(cosell.explain("statuses", lang), [str(status)], lang))]
    return [reply(cards.cosell_explanation_card(cosell.explain("statuses", lang), None, lang))]


def _usd_threshold(requirement: str, lang: str) -> str:
    for req in cosell.edition().requirements:
        if req.id == requirement and req.threshold_usd is not None:
            return formatting.money(Fraction(str(req.threshold_usd)), lang)
    return ""
