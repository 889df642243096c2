"""Questions about the partner's standing that need no new number: next month, the threshold, the
market, who may change the data, and how to get the data out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from botbuilder.schema import Activity

from dialogs import formatting
from dialogs.cards import answers as cards
from dialogs.cards import kit
from dialogs.cards.common import market_meaning, render, track_meaning
from dialogs.intents.registry import Question, register, reply, t
from kernel.formatting import unit_name
from scoring import api

_PAIRED = ("net_customer_adds", "usage_growth", "deployments")
"""The metrics that compare now with the month the edition's window goes back to: the ones a month
leaving the window can move."""


@register("forecast", needs=("profile",), interrupts=True)
async def forecast(question: Question) -> list[Activity]:
    """Will the score drop next month? From monthly records: the drop scoring foresees, with the
    month that leaves the comparison window (the edition's months); from summary numbers: what would
    be needed to tell."""
    result, lang = question.result, question.lang
    month = result.evaluated_month
    months = api.get_edition(result.edition).comparison_months
    following = formatting.month(str(month.shift(1)), lang)
    leaving = formatting.month(str(month.shift(-months)), lang)
    drops = [w for w in result.warnings if w.code == "next_month_drop"]
    from_records = [m for m in result.metrics if m.id in _PAIRED and m.input_source == "records"]
    lines: list[str] = []
    if drops:
        lines.append(t("answers.forecast.drop", lang, month=following, leaving=leaving, months=months))
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
        lines.append(t("answers.forecast.no_drop", lang, month=following, leaving=leaving, months=months,
                       metrics=", ".join(names)))
    else:
        lines.append(t("answers.forecast.summary", lang, month=following, leaving=leaving, months=months))
    lines += ahead_lines(question, result)
    lines.append(t("answers.forecast.window", lang, month=formatting.month(str(month), lang), months=months))
    return [reply(cards.text_card(t("answers.forecast.title", lang), lines, lang))]


SHOWN_ITEMS = 5
"""Customers and workloads named per metric; the rest are counted."""
EXPIRY_MONTHS = 3
"""Certifications expiring before the end of the third month after today are named."""


def ahead_lines(question: Question, result: api.ScoreResult) -> list[str]:
    """From the records: what leaves the 12-month window for each metric that drops, the points at
    stake, and certifications that expire (or whose exam retired) with the points they cost."""
    lang = question.lang
    profile = question.evaluated()[0]
    lines: list[str] = []
    outlook = api.next_month_outlook(profile, today=question.today, result=result)
    if outlook is not None and outlook.drops:
        for metric in ("net_customer_adds", "deployments", "usage_growth"):
            items = [i for i in outlook.items if i.metric == metric]
            if not items or not outlook.points_at_stake(metric):
                continue
            named = [t("forecast.item", lang, customer=kit.plain(i.customer), workload=i.workload,
                       amount=formatting.money(i.amount, lang)) for i in items[:SHOWN_ITEMS]]
            if len(items) > SHOWN_ITEMS:
                named.append(t("forecast.more", lang, count=len(items) - SHOWN_ITEMS))
            lines.append(t(f"forecast.leaving.{metric}", lang, items="; ".join(named)))
        lines.append(t("forecast.at_stake", lang, points=formatting.points(outlook.points_at_stake(), lang),
                       month=formatting.month(str(outlook.month), lang)))
    lines += expiry_lines(profile, question.today, lang)
    lines += [render(w, lang) for w in result.warnings if w.code.startswith("certifications_at_risk")]
    return lines


def expiry_lines(profile: api.Profile, today: date, lang: str, *, before: date | None = None) -> list[str]:
    """"3 advanced certified people expire before 1 April 2027: −6.43 points." per level."""
    before = before or api.Month.of(today).shift(EXPIRY_MONTHS + 1).first_day()
    lines: list[str] = []
    for found in api.expiring_certifications(profile, before=before, today=today):
        lines.append(t("forecast.expiring", lang, people=found.people,
                       level=t(f"forecast.level.{found.level}", lang),
                       unit=unit_name("scoring.unit.people", found.people, lang),
                       day=formatting.day(found.before, lang), points=formatting.points(found.points, lang)))
        lines.append(t("forecast.expiring_range", lang, first=formatting.day(found.first, lang)))
    return lines


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
    edition = question.edition()
    if edition.segment_kind == "track":  # the 2023 rules place a partner on a track instead
        return [_track(question, edition)]
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


def _track(question: Question, edition: api.Edition) -> Activity:
    """Under rules with tracks: the track stored with the partner's data, and how Microsoft decides it."""
    lang = question.lang
    stored = (question.document or {}).get("track")
    known = stored in edition.markets
    lines = [
        t("answers.market.track_yours", lang, track=api.segment_name("track", str(stored), lang)) if known
        else t("answers.market.track_unknown", lang),
        track_meaning(edition, lang),
        t("guided.profile.field.track.where", lang),
    ]
    return reply(cards.text_card(t("answers.market.track_title", lang), lines, lang))
