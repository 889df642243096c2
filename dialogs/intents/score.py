"""The partner's score, what is still needed (one metric or all five) and the cheapest plan."""

from __future__ import annotations

import json
from collections import OrderedDict

from botbuilder.schema import Activity

from dialogs import formatting
from dialogs.cards import answers as cards
from dialogs.intents.registry import Question, register, reply, t
from scoring import api

SCORECARD_CACHE_SIZE = 256
_scorecards: OrderedDict[tuple[str | None, str], str] = OrderedDict()


@register("score", needs=("profile",), interrupts=True)
async def score(question: Question) -> list[Activity]:
    """The scorecard. It depends only on the stored data, the date and the language, so the last
    :data:`SCORECARD_CACHE_SIZE` are kept as JSON text (each reply gets its own copy). Data for a
    month that has not come yet gets a note on the card."""
    key = (question.key(), question.lang)
    card = _scorecards.get(key)
    if card is None:
        result, lang = question.result, question.lang
        notes = []
        if result.evaluated_month > api.Month.of(question.today):  # a month that has not come yet
            notes.append(t("answers.score.future_month", lang,
                           month=formatting.month(str(result.evaluated_month), lang)))
        card = json.dumps(cards.score_card(result, question.edition(), lang, notes))
        _scorecards[key] = card
        while len(_scorecards) > SCORECARD_CACHE_SIZE:
            _scorecards.popitem(last=False)
    else:
        _scorecards.move_to_end(key)
    return [reply(json.loads(card))]


@register("gap", needs=("profile",), interrupts=True)
async def gap(question: Question) -> list[Activity]:
    gaps = api.gaps(question.result)
    return [reply(cards.gap_card(gaps, question.recognition.metric, question.edition(), question.lang))]


@register("plan", needs=("profile",), interrupts=True)
async def plan(question: Question) -> list[Activity]:
    result = question.result
    return [reply(cards.plan_card(api.plan(result), api.get_edition(result.edition), question.lang))]
