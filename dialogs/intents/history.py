"""How the score changed: the monthly history the host keeps with every stored change."""

from __future__ import annotations

from botbuilder.schema import Activity

from dialogs.cards.history import history_card
from dialogs.intents.registry import Question, register, reply
from scoring import api


async def kept_months(question: Question) -> tuple[api.MonthScore, ...]:
    """The tenant's highest score of each kept month, latest first."""
    return api.best_per_month(api.MonthScore.from_json(row) for row in await question.history())


@register("history", needs=("profile",), interrupts=True)
async def history(question: Question) -> list[Activity]:
    months = await kept_months(question)
    window: tuple[str, ...] = ()
    result = question.result_or_none()
    if result is not None and result.window:
        window = api.window_lines(api.fill_window(result, months), question.lang)
    partner = result.partner if result is not None else (question.document or {}).get("partner")
    return [reply(history_card(months, partner, question.lang, window))]
