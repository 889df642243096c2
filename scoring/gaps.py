"""What partners ask (RULES.md A.10): gaps per metric, a plan over several metrics, and what-if.

Units are those of the metric: people, adds, deployments — and, for ``usage_growth``, monthly
consumption value added to the latest month (rounded up to whole units).

**Plan.** Among all combinations of increases after which the designation holds (A.2), the plan
has the fewest added units, counting each person, add and deployment as one unit and each
percentage point of usage growth as one unit (so every unit is one unit of a metric's own value).
Ties are broken by (1) fewer metrics changed, (2) the higher total after the plan, (3) more units
in the metric that comes first in A.3 order (net customer adds, intermediate, advanced, usage
growth, deployments).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from datetime import date
from fractions import Fraction

from kernel.errors import InputError
from scoring.changes import AppliedChanges
from scoring.edition import Edition
from scoring.editions import get_edition
from scoring.engine import Inputs, evaluate, points_for, score_inputs
from scoring.profile import Profile
from scoring.results import (
    GapResult,
    MetricGap,
    MetricResult,
    Notice,
    PlanResult,
    PlanStep,
    ScoreResult,
    WhatIfResult,
)

GROWTH = "usage_growth"


def _ceil(value: Fraction) -> Fraction:
    return Fraction(math.ceil(value))


def _consumption_for(metric: MetricResult, growth_percent: Fraction) -> Fraction:
    """Monthly consumption value to add to the latest month for ``growth_percent`` growth."""
    now, ago = metric.inputs["consumption_now"], metric.inputs["consumption_12_months_ago"]
    return max(Fraction(0), _ceil(ago * (1 + growth_percent / 100) - now))


def _units_for_points(metric: MetricResult, points: Fraction) -> Fraction:
    """The fewest units after which ``metric`` alone has at least ``points`` (≤ its max)."""
    value_needed = points * metric.full_at / metric.max_points
    if metric.id == GROWTH:
        return _consumption_for(metric, value_needed)
    assert metric.value is not None
    return max(Fraction(0), _ceil(value_needed - metric.value))


def gaps(result: ScoreResult) -> GapResult:
    """Per metric the units to its maximum and to the designation (one metric alone), and a plan."""
    edition = get_edition(result.edition)
    minimum = edition.min_points_per_metric
    out: list[MetricGap] = []
    for metric in result.metrics:
        if metric.missing or metric.reason:
            reason = metric.reason or "missing_input"
            out.append(
                MetricGap(
                    metric.id,
                    metric.unit if metric.id != GROWTH else "consumption_value",
                    None,
                    None,
                    reason,
                    reason,
                )
            )
            continue
        unit = "consumption_value" if metric.id == GROWTH else metric.unit
        to_max = _units_for_points(metric, Fraction(metric.max_points))
        if result.designation_met:
            out.append(MetricGap(metric.id, unit, to_max, Fraction(0)))
            continue
        if result.missing_inputs:
            out.append(MetricGap(metric.id, unit, to_max, None, None, "missing_input"))
            continue
        blocking = tuple(m.id for m in result.metrics if m.id != metric.id and m.points < minimum)
        if blocking:
            out.append(MetricGap(metric.id, unit, to_max, None, None, "other_metric_below_minimum", blocking))
            continue
        others = result.total - metric.points
        need = max(minimum, edition.min_total - others)
        if need > metric.max_points:
            out.append(MetricGap(metric.id, unit, to_max, None, None, "total_short_at_max"))
            continue
        out.append(MetricGap(metric.id, unit, to_max, _units_for_points(metric, need)))
    return GapResult(result, tuple(out), plan(result, edition))


def plan(result: ScoreResult, edition: Edition | None = None) -> PlanResult:
    """The combination of increases with the fewest added units after which the designation holds
    (tie-break in the module docstring). ``feasible`` is ``False`` with a reason when none exists.

    Exhaustive over the count metrics (each from the units giving its first point to its maximum),
    with the growth needed for the rest computed directly; all in integers scaled by a common
    denominator, so it is exact and takes milliseconds.
    """
    rules = edition or get_edition(result.edition)
    if result.designation_met:
        return PlanResult(True, (), result.total, Fraction(0))
    for metric in result.metrics:
        if metric.missing:
            notice = Notice("missing_input", {"missing": ", ".join(metric.missing)}, metric.id)
            return PlanResult(False, (), None, None, notice)
        if metric.reason:  # the score's own notice carries the figures its text names
            notice = next(
                (w for w in (*result.warnings, *result.not_met)
                 if w.code == metric.reason and w.metric == metric.id),
                Notice(metric.reason, {}, metric.id),
            )
            return PlanResult(False, (), None, None, notice)
    minimum, min_total = rules.min_points_per_metric, rules.min_total
    counted = [m for m in result.metrics if m.id != GROWTH]
    growth = next((m for m in result.metrics if m.id == GROWTH), None)
    options: list[list[tuple[int, Fraction]]] = []
    for metric in counted:
        assert metric.value is not None
        top = int(_units_for_points(metric, Fraction(metric.max_points)))
        low = int(_units_for_points(metric, minimum))
        options.append(
            [
                (u, points_for(metric.value + u, metric.max_points, metric.full_at))
                for u in range(low, top + 1)
            ]
        )
    # Scale every number of points by D so that sums and comparisons are integer operations.
    fractions = [p for opts in options for _, p in opts] + [minimum, min_total]
    if growth is not None:
        fractions.append(growth.points)
    scale = math.lcm(*(f.denominator for f in fractions))
    scaled = [[(u, int(p * scale)) for u, p in opts] for opts in options]
    min_s, total_s = int(minimum * scale), int(min_total * scale)
    if growth is not None:
        assert growth.value is not None
        g_max = growth.max_points * scale
        g_cur = int(growth.points * scale)
        # growth cost (percentage points) of needing n scaled points = n·F/(M·D) − g_now;
        # times Q = M·D·b·f2 (b, f2: denominators of g_now and F) it is n·c1 − c0 in integers.
        f1, f2 = growth.full_at.numerator, growth.full_at.denominator
        a, b = growth.value.numerator, growth.value.denominator
        q = growth.max_points * scale * b * f2
        c1, c0 = f1 * b, a * growth.max_points * scale * f2
    else:
        q, c1, c0, g_max, g_cur = 1, 0, 0, 0, 0
    best_key: tuple[int, int, int, tuple[int, ...]] | None = None
    best: tuple[tuple[int, ...], int] | None = None
    for combo in itertools.product(*scaled):
        points = 0
        units_sum = 0
        changed = 0
        for u, p in combo:
            points += p
            units_sum += u
            if u:
                changed += 1
        g_cost = 0
        g_need = 0
        if growth is not None:
            g_need = max(min_s, total_s - points)
            if g_need > g_max:
                continue
            g_cost = max(0, g_need * c1 - c0)
            if g_cost:
                changed += 1
        elif points < total_s:
            continue
        total_after = points + max(g_need, g_cur)
        ordered = (*(-u for u, _ in combo), -g_cost)
        key = (units_sum * q + g_cost, changed, -total_after, ordered)
        if best_key is None or key < best_key:
            best_key, best = key, (tuple(u for u, _ in combo), g_cost)
    if best is None or best_key is None:
        return PlanResult(False, (), None, None, Notice("total_short_at_max", {}))
    units, g_cost_scaled = best
    g_percent = Fraction(g_cost_scaled, q)
    steps: list[PlanStep] = []
    for metric in result.metrics:
        if metric.id == GROWTH:
            if g_cost_scaled:
                assert metric.value is not None
                added = _consumption_for(metric, metric.value + g_percent)
                ago = metric.inputs["consumption_12_months_ago"]
                value_after = (metric.inputs["consumption_now"] + added - ago) / ago * 100
                after = points_for(value_after, metric.max_points, metric.full_at)
                steps.append(
                    PlanStep(
                        GROWTH, "consumption_value", added, metric.points, after, value_after - metric.value
                    )
                )
            continue
        u = units[counted.index(metric)]
        if u:
            assert metric.value is not None
            after = points_for(metric.value + u, metric.max_points, metric.full_at)
            steps.append(PlanStep(metric.id, metric.unit, Fraction(u), metric.points, after))
    changed_ids = {step.id for step in steps}
    plan_total = sum((m.points for m in result.metrics if m.id not in changed_ids), Fraction(0)) + sum(
        (step.points_after for step in steps), Fraction(0)
    )
    return PlanResult(True, tuple(steps), plan_total, Fraction(best_key[0], q))


# --- what-if --------------------------------------------------------------------------------------

# The inputs of each metric that applied changes may set.
_INPUT_KEYS = {
    "net_customer_adds": ("net_customer_adds", "qualifying_workloads_now",
                          "qualifying_workloads_12_months_ago"),
    "intermediate_certifications": ("intermediate_certified_people",),
    "advanced_certifications": ("advanced_certified_people",),
    "usage_growth": ("consumption_now", "consumption_12_months_ago"),
    "deployments": ("deployments_now", "deployments_12_months_ago"),
}
# Which input a change of each metric adds to (the first key present).
_CHANGE_TARGETS = {
    "net_customer_adds": ("net_customer_adds", "qualifying_workloads_now"),
    "intermediate_certifications": ("intermediate_certified_people",),
    "advanced_certifications": ("advanced_certified_people",),
    "usage_growth": ("consumption_now",),
    "deployments": ("deployments_now",),
}


def what_if(
    profile: Profile,
    changes: Mapping[str, object] | AppliedChanges,
    *,
    today: date | None = None,
    edition: str | None = None,
) -> WhatIfResult:
    """The score after ``changes`` to the profile's inputs: either metric id → added units (for
    ``usage_growth`` monthly consumption value added to the latest month; negative numbers remove),
    or the :class:`AppliedChanges` of :func:`scoring.changes.apply_changes` (which may also set
    values of 12 months ago)."""
    before = evaluate(profile, today=today, edition=edition)
    if isinstance(changes, AppliedChanges):
        return _what_if_applied(before, changes)
    from scoring.numbers import to_fraction

    rules = get_edition(before.edition)
    parsed: dict[str, Fraction] = {}
    for metric_id, raw in changes.items():
        if metric_id not in _CHANGE_TARGETS:
            known = ", ".join(_CHANGE_TARGETS)
            raise InputError(
                f"unknown metric '{metric_id}' (known: {known})",
                code="scoring.unknown_metric",
                params={"metric": metric_id, "known": known},
                field=metric_id,
            )
        amount = to_fraction(raw, field=metric_id)
        if metric_id != GROWTH and amount.denominator != 1:
            raise InputError(
                f"{metric_id} changes by whole units, not {raw}",
                code="scoring.not_whole",
                params={"key": metric_id, "value": str(raw)},
                field=metric_id,
            )
        parsed[metric_id] = amount
    inputs: dict[str, Inputs] = {}
    for metric in before.metrics:
        values = dict(metric.inputs)
        amount = parsed.get(metric.id, Fraction(0))
        if amount:
            if metric.missing:
                raise _missing(metric.id, metric.missing)
            key = next(k for k in _CHANGE_TARGETS[metric.id] if k in values)
            values[key] += amount
            if values[key] < 0 and key != "net_customer_adds":
                raise InputError(
                    f"{key} would become negative",
                    code="scoring.what_if_negative",
                    params={"metric_label": f"scoring.metric.{metric.id}", "now": str(values[key] - amount)},
                )
        inputs[metric.id] = Inputs(values, metric.input_source, metric.missing)
    return _after(rules, before, inputs, parsed)


def _what_if_applied(before: ScoreResult, applied: AppliedChanges) -> WhatIfResult:
    changed = applied.metrics()
    inputs: dict[str, Inputs] = {}
    for metric in before.metrics:
        values = dict(metric.inputs)
        missing = metric.missing
        if metric.id in changed:
            set_here = {k: v for k, v in applied.values.items() if k in _INPUT_KEYS[metric.id]}
            if "net_customer_adds" in set_here:
                values = {}
            elif any(k.startswith("qualifying_workloads") for k in set_here):
                values.pop("net_customer_adds", None)
            values.update(set_here)
            missing = tuple(k for k in metric.missing if k not in values and not (
                k == "net_customer_adds" and values))
            if missing:
                raise _missing(metric.id, missing)
        inputs[metric.id] = Inputs(values, metric.input_source, missing)
    return _after(get_edition(before.edition), before, inputs, dict(applied.units))


def _missing(metric_id: str, missing: tuple[str, ...]) -> InputError:
    return InputError(
        f"{metric_id} cannot change: {', '.join(missing)} missing",
        code="scoring.what_if_missing",
        params={"metric_label": f"scoring.metric.{metric_id}", "missing": ", ".join(missing)},
    )


def _after(rules: Edition, before: ScoreResult, inputs: Mapping[str, Inputs],
           changes: Mapping[str, Fraction]) -> WhatIfResult:
    after = score_inputs(rules, before.market, before.evaluated_month, before.partner, inputs)
    diffs = {m.id: a.points - m.points for m, a in zip(before.metrics, after.metrics, strict=True)}
    return WhatIfResult(changes, before, after, after.total - before.total, diffs)


def reason_text(reason: str, lang: str, edition: str) -> str:
    """Why a gap has no number (``MetricGap.*_reason``), in ``lang``, with the edition's figures."""
    from kernel.texts import catalog

    rules = get_edition(edition)
    return catalog().text(
        f"scoring.gap_reason.{reason}",
        lang,
        needed=_points(rules.min_total),
        minimum=_points(rules.min_points_per_metric),
        months=rules.comparison_months,
    )


def _points(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(float(value))
