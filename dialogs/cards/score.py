"""Score answers: the scorecard, gaps, the plan, what-if and update cards.

Each builder takes what it shows: the scoring result and the rule edition it was scored under (its
thresholds), never a global lookup. Colour carries meaning only through container styles: met is
``good``, not met is ``attention``, open (inputs missing) is neutral ``emphasis``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from dialogs import formatting
from dialogs.cards import kit
from dialogs.cards.common import (
    amount_text,
    button,
    limit_text,
    metric_name,
    render,
    t,
    value_text,
)
from kernel.formatting import unit_name
from scoring import api


def verdict(result: api.ScoreResult, edition: api.Edition, lang: str) -> tuple[str, str]:
    """The designation sentence and its container style."""
    if result.designation_met is None:
        return t("answers.score.open", lang), "emphasis"
    if result.designation_met:
        return t(
            "answers.score.met",
            lang,
            minimum=formatting.count(edition.min_total, lang),
            per_metric=formatting.count(edition.min_points_per_metric, lang),
        ), "good"
    return t("answers.score.not_met", lang), "attention"


def _subtitle(result: api.ScoreResult, edition: api.Edition, lang: str) -> str:
    return t(
        "answers.score.subtitle",
        lang,
        partner=kit.plain(result.partner) if result.partner else t("answers.score.unnamed", lang),
        market=t(f"scoring.market.{result.market}", lang),
        month=formatting.month(str(result.evaluated_month), lang),
        edition=api.edition_name(edition, lang),
    )


def _metric_rows(metric: api.MetricResult, edition: api.Edition, lang: str) -> list[kit.Element]:
    """Name with the value against full points beside it; a bar with the points beside it. A metric
    whose known value is below the minimum points per metric sits on the attention background; one
    with inputs missing stays neutral (the reasons above name what is missing)."""
    points = t(
        "answers.score.metric_points",
        lang,
        points=formatting.points(metric.points, lang),
        max=metric.max_points,
    )
    # a missing input is named once, in the reasons above the metrics; here the value is "not computed"
    detail = t("answers.score.metric_value", lang, value=value_text(metric.unit, metric.value, lang),
               full_at=limit_text(metric.unit, metric.full_at, lang))
    share = metric.points / metric.max_points if metric.max_points else Fraction(0)
    # not met (a known value below the minimum points per metric) is attention; unknown is neutral
    below = not metric.missing and metric.points < edition.min_points_per_metric
    rows = [
        kit.columns(([kit.text(metric_name(metric.id, lang), bold=True)], 3),
                    ([kit.text(detail, subtle=True, size="Small", right=True)], 2)),
        kit.columns(([kit.bar(share, colour="default" if below else "accent")], "stretch"),
                    ([kit.text(points, bold=True)], "auto")),
    ]
    # below the minimum per metric, the designation cannot be met: the metric is marked for attention
    return [kit.container(rows, style="attention" if below else None, spacing="Small" if below else "Medium")]


def score_card(
    result: api.ScoreResult, edition: api.Edition, lang: str, notes: Sequence[str] = ()
) -> kit.Card:
    """Total of 100, designation and why, the five metrics with bars, edition, month, warnings
    (``notes`` of the answer first, then scoring's)."""
    total = t("answers.score.total", lang, total=formatting.points(result.total, lang),
              max=api.max_total(edition))
    sentence, style = verdict(result, edition, lang)
    body: list[kit.Element] = [
        kit.title(t("answers.score.title", lang)),
        kit.text(_subtitle(result, edition, lang), subtle=True, spacing="None"),
        kit.container(
            [kit.text(total, bold=True, size="ExtraLarge"), kit.text(sentence, bold=True)], style=style
        ),
    ]
    reasons = [render(n, lang, result.missing_inputs, result.edition) for n in result.not_met]
    if reasons:
        body.append(kit.bullets(reasons))
    for metric in result.metrics:
        body += _metric_rows(metric, edition, lang)
    # a metric below its minimum is a reason above and on the attention background already
    below = {n.metric for n in result.not_met if n.code == "metric_below_minimum"}
    warnings = [*notes, *(w.render(lang) for w in result.warnings
                          if not (w.code == "metric_blocks_designation" and w.metric in below))]
    if warnings:
        body.append(
            kit.container(
                [kit.text(t("answers.score.warnings", lang), bold=True), kit.bullets(warnings)],
                style="warning",
                spacing="Medium",
            )
        )
    return kit.card(body, [button("gap", lang), button("plan", lang)], lang=lang)


# ---------------------------------------------------------------- gaps and plan


def _both_gaps(gap: api.MetricGap, result: api.ScoreResult, lang: str) -> tuple[str, str]:
    """A metric's units to its maximum and to the designation through it alone, as text."""
    return (
        _gap_units(gap, gap.units_to_max, gap.max_reason, "answers.gap.done_max", result, lang),
        _gap_units(
            gap, gap.units_to_designation, gap.designation_reason, "answers.gap.done_designation",
            result, lang,
        ),
    )


def _gap_units(
    gap: api.MetricGap,
    amount: Fraction | None,
    reason: str | None,
    done_key: str,
    result: api.ScoreResult,
    lang: str,
) -> str:
    if amount is None:
        return api.reason_text(reason, lang, result.edition) if reason else t("answers.gap.none", lang)
    if amount == 0:
        return t(done_key, lang)
    if gap.id == "usage_growth":
        ago = result.metric("usage_growth").inputs.get("consumption_12_months_ago")
        if ago:
            return t(
                "answers.gap.consumption_percent",
                lang,
                amount=formatting.money(amount, lang),
                percent=formatting.percent(amount / ago * 100, lang),
            )
        return t("answers.gap.consumption", lang, amount=formatting.money(amount, lang))
    return t(
        "answers.gap.units",
        lang,
        amount=formatting.count(amount, lang),
        unit=unit_name(f"scoring.unit.{gap.unit}", amount, lang),
    )


def gap_card(gaps: api.GapResult, metric_id: str | None, edition: api.Edition, lang: str) -> kit.Card:
    """One metric's gap (to its max, to the designation alone) or all five."""
    result = gaps.result
    if metric_id:
        gap = gaps.metric(metric_id)
        metric = result.metric(metric_id)
        to_max, to_des = _both_gaps(gap, result, lang)
        body: list[kit.Element] = [
            kit.title(t("answers.gap.metric_title", lang, metric=metric_name(metric_id, lang))),
            kit.text(
                t(
                    "answers.gap.now",
                    lang,
                    value=value_text(metric.unit, metric.value, lang),
                    points=formatting.points(metric.points, lang),
                    max=metric.max_points,
                )
            ),
            kit.pairs(
                [
                    (t("answers.gap.to_max", lang, max=metric.max_points), to_max),
                    (t("answers.gap.to_designation", lang), to_des),
                ]
            ),
        ]
        if gap.blocking:
            blocking = t(
                "answers.gap.blocking", lang, metrics=", ".join(metric_name(m, lang) for m in gap.blocking),
                minimum=formatting.count(edition.min_points_per_metric, lang),
            )
            body.append(kit.container([kit.text(blocking)], style="attention"))
    else:
        sentence, style = verdict(result, edition, lang)
        body = [
            kit.title(t("answers.gap.title", lang)),
            kit.container([kit.text(sentence, bold=True)], style=style),
            kit.text(t("answers.gap.all_intro", lang)),
        ]
        for gap in gaps.metrics:
            to_max, to_des = _both_gaps(gap, result, lang)
            row = t("answers.gap.row", lang, to_max=to_max, to_designation=to_des)
            body += [
                kit.text(metric_name(gap.id, lang), bold=True),
                kit.text(row, subtle=True, spacing="None"),
            ]
    body.append(_rules_used(edition, lang))
    plan = kit.submit(t("answers.gap.see_plan", lang), "plan", text_=t("answers.gap.see_plan_text", lang))
    return kit.card(body, [plan], lang=lang)


def _rules_used(edition: api.Edition, lang: str) -> kit.Element:
    """"Scored by the rules of June 2023 (Microsoft, 13 June 2023).": which rules, never the id."""
    return kit.text(t("answers.rules_used", lang, edition=api.edition_name(edition, lang)), subtle=True,
                    size="Small")


def plan_card(plan: api.PlanResult, edition: api.Edition, lang: str) -> kit.Card:
    body: list[kit.Element] = [kit.title(t("answers.plan.title", lang))]
    if not plan.feasible:
        reason = plan.reason.render(lang) if plan.reason else ""
        body.append(kit.container([kit.text(t("answers.plan.none", lang, reason=reason))], style="attention"))
    elif not plan.steps:
        body.append(kit.container([kit.text(t("answers.plan.done", lang))], style="good"))
    else:
        steps = []
        for step in plan.steps:
            amount = amount_text(step.unit, step.units, lang)
            if step.percent is not None:
                amount += f" ({formatting.percent(step.percent, lang)})"
            elif step.unit != "consumption_value":
                amount += " " + unit_name(f"scoring.unit.{step.unit}", step.units, lang)
            steps.append(
                t(
                    "answers.plan.step",
                    lang,
                    metric=metric_name(step.id, lang),
                    amount=amount,
                    before=formatting.points(step.points_before, lang),
                    after=formatting.points(step.points_after, lang),
                )
            )
        after = t("answers.plan.after", lang, total=formatting.points(plan.total_after or 0, lang))
        body += [
            kit.text(t("answers.plan.intro", lang), subtle=True),
            kit.bullets(steps),
            kit.container([kit.text(after, bold=True)], style="good"),
        ]
    body.append(_rules_used(edition, lang))
    return kit.card(body, [button("score", lang)], lang=lang)


# ---------------------------------------------------------------- what-if and update


def _total_line(before: Fraction, after: Fraction, lang: str) -> str:
    difference = ("+" if after >= before else "") + formatting.points(after - before, lang)
    return t(
        "answers.whatif.total",
        lang,
        before=formatting.points(before, lang),
        after=formatting.points(after, lang),
        difference=difference,
    )


def whatif_card(result: api.WhatIfResult, lang: str) -> kit.Card:
    rows = []
    for metric in result.after.metrics:
        before = result.before.metric(metric.id)
        if metric.id not in result.changes and metric.points == before.points:
            continue
        rows.append(
            (
                metric_name(metric.id, lang),
                f"{value_text(before.unit, before.value, lang)} → "
                f"{value_text(metric.unit, metric.value, lang)} · "
                f"{formatting.points(before.points, lang)} → {formatting.points(metric.points, lang)}",
            )
        )
    met = result.after.designation_met
    sentence = t(
        "answers.whatif.designation_after_met" if met else "answers.whatif.designation_after_not", lang
    )
    body = [
        kit.title(t("answers.whatif.title", lang)),
        kit.pairs(rows),
        kit.container(
            [
                kit.text(_total_line(result.before.total, result.after.total, lang), bold=True),
                kit.text(sentence),
            ],
            style="good" if met else "attention",
        ),
        kit.text(t("answers.whatif.hypothetical", lang), subtle=True, size="Small"),
    ]
    return kit.card(body, lang=lang)


def update_card(
    rows: Sequence[tuple[str, str, str]],
    total_before: Fraction,
    total_after: Fraction,
    lang: str,
    payload: Mapping[str, Any],
) -> kit.Card:
    """Before → after of stored values, with Save / Don't save buttons carrying the change."""
    body = [
        kit.title(t("answers.update.title", lang)),
        kit.pairs([(field, f"{before} → {after}") for field, before, after in rows]),
        kit.text(_total_line(total_before, total_after, lang), bold=True),
    ]
    actions = [
        kit.submit(
            t("answers.update.confirm", lang),
            "update_confirm",
            text_=t("answers.update.confirm_text", lang),
            data={"change": dict(payload)},
            style="positive",
        ),
        kit.submit(
            t("answers.update.cancel", lang), "update_cancel", text_=t("answers.update.cancel_text", lang)
        ),
    ]
    return kit.card(body, actions, lang=lang)
