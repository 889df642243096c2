"""How a metric (or the whole score) works, with the partner's own numbers when stored."""

from __future__ import annotations

from botbuilder.schema import Activity

from dialogs.cards import answers as cards
from dialogs.intents.registry import Question, register, reply


@register("explain", interrupts=True)
async def explain(question: Question) -> list[Activity]:
    result = question.result_or_none()
    card = cards.explain_card(question.edition(), question.recognition.metric, result, question.lang)
    return [reply(card)]
