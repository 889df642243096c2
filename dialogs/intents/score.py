"""The partner's score, what is still needed (one metric or all five) and the cheapest plan."""

from __future__ import annotations

from botbuilder.schema import Activity

from dialogs.cards import answers as cards
from dialogs.intents.registry import Question, register, reply
from scoring import api


@register("score", needs=("profile",), interrupts=True)
async def score(question: Question) -> list[Activity]:
    return [reply(cards.score_card(question.result, question.edition(), question.lang))]


@register("gap", needs=("profile",), interrupts=True)
async def gap(question: Question) -> list[Activity]:
    gaps = api.gaps(question.result)
    return [reply(cards.gap_card(gaps, question.recognition.metric, question.edition(), question.lang))]


@register("plan", needs=("profile",), interrupts=True)
async def plan(question: Question) -> list[Activity]:
    result = question.result
    return [reply(cards.plan_card(api.plan(result), api.get_edition(result.edition), question.lang))]
