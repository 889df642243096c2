"""Questions about the partner's standing that need no new number: next month, the threshold, the
market, who may change the data, and how to get the data out."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from botbuilder.schema import Activity

from dialogs import formatting
from dialogs.cards import answers as cards
from dialogs.cards.common import market_meaning
from dialogs.intents.registry import Question, register, reply, t
from scoring import api

_PAIRED = ("net_customer_adds", "usage_growth", "deployments")
"""The metrics that compare now with 12 months ago: the ones a month leaving the window can move."""


@register("forecast", needs=("profile",), interrupts=True)
async def forecast(question: Question) -> list[Activity]:
    """Will the score drop next month? From monthly records: the drop scoring foresees, with the
    month that leaves the 12-month window; from summary numbers: what would be needed to tell."""
    result, lang = question.result, question.lang
    month = result.evaluated_month
    following = formatting.month(str(month.shift(1)), lang)
    leaving = formatting.month(str(month.shift(-12)), lang)
    drops = [w for w in result.warnings if w.code == "next_month_drop"]
    from_records = [m for m in result.metrics if m.id in _PAIRED and m.input_source == "records"]
    lines: list[str] = []
    if drops:
        lines.append(t("answers.forecast.drop", lang, month=following, leaving=leaving))
        for drop in drops:
            assert drop.metric is not None
            lines.append(
                t(
                    "answers.forecast.drop_metric",
                    lang,
                    metric=t(f"scoring.metric.{drop.metric}", lang),
                    now=formatting.points(drop.params["points_now"], lang),
                    next=formatting.points(drop.params["points_next"], lang),
                )
            )
    elif from_records:
        names = [t(f"scoring.metric.{m.id}", lang) for m in from_records]
        lines.append(t("answers.forecast.no_drop", lang, month=following, leaving=leaving,
                       metrics=", ".join(names)))
    else:
        lines.append(t("answers.forecast.summary", lang, month=following, leaving=leaving))
    lines.append(t("answers.forecast.window", lang, month=formatting.month(str(month), lang)))
    return [reply(cards.text_card(t("answers.forecast.title", lang), lines, lang))]


@register("threshold", interrupts=True)
async def threshold(question: Question) -> list[Activity]:
    """Is N points enough? The edition's minimum total and points per metric, and the partner's own."""
    lang = question.lang
    result = question.result_or_none()
    edition = question.edition()
    minimum = formatting.count(edition.min_total, lang)
    per_metric = formatting.count(edition.min_points_per_metric, lang)
    numbers = [n for n in question.recognition.entities.get("numbers", []) if isinstance(n, Decimal)]
    lines: list[str] = []
    if numbers and abs(numbers[0]) <= 1000:
        asked = Fraction(numbers[0])
        key = "enough" if asked >= edition.min_total else "not_enough"
        lines.append(t(f"answers.threshold.{key}", lang, points=formatting.count(asked, lang),
                       minimum=minimum, per_metric=per_metric, max=api.max_total(edition)))
    else:
        lines.append(t("answers.threshold.rule", lang, minimum=minimum, per_metric=per_metric,
                       max=api.max_total(edition)))
    if result is not None:
        key = {True: "yours_met", False: "yours_not_met", None: "yours_open"}[result.designation_met]
        lines.append(t(f"answers.threshold.{key}", lang, total=formatting.points(result.total, lang)))
    return [reply(cards.text_card(t("answers.threshold.title", lang), lines, lang))]


@register("market", interrupts=True)
async def market(question: Question) -> list[Activity]:
    """Larger or other markets: the one stored with the partner's data, and what it means."""
    lang = question.lang
    stored = (question.document or {}).get("market")
    if stored in api.MARKETS:
        first = t("answers.market.yours", lang, market=t(f"scoring.market.{stored}", lang))
    else:
        first = t("answers.market.unknown", lang)
    lines = [
        first,
        market_meaning(question.edition(), lang),
        t("guided.profile.field.market.where", lang),
    ]
    if stored in api.MARKETS:
        lines.append(t("answers.market.change", lang))
    return [reply(cards.text_card(t("answers.market.title", lang), lines, lang))]
