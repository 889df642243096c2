"""The partner capability score (RULES.md A.2–A.8): from a profile to a :class:`ScoreResult`.

Every metric is scored by one formula, ``points = max_points × clamp(value, 0, full_at) / full_at``,
in exact rational arithmetic; thresholds and lists come from the rule edition. Which month, edition
and market or track is :mod:`scoring.choice`; when things count (A.9) is :mod:`scoring.timing`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from kernel.errors import InputError
from scoring.choice import choose_edition, choose_segment, revenue_of
from scoring.edition import Edition
from scoring.months import Month
from scoring.profile import Profile
from scoring.records import Aggregate, aggregate_certifications, aggregate_revenue, aggregate_usage
from scoring.results import Explanation, MetricResult, Notice, RowCount, ScoreResult, WindowMonth

# Summary keys per metric: (the "now" key, the key of the comparison month), or a single key. The
# keys keep "12_months" in their names (the C.1 file format); the window is the edition's.
_PAIRS = {
    "net_customer_adds": ("qualifying_workloads_now", "qualifying_workloads_12_months_ago"),
    "usage_growth": ("consumption_now", "consumption_12_months_ago"),
    "deployments": ("deployments_now", "deployments_12_months_ago"),
}
_SINGLE = {
    "intermediate_certifications": "intermediate_certified_people",
    "advanced_certifications": "advanced_certified_people",
}


@dataclass(frozen=True)
class Inputs:
    """The resolved inputs of one metric: numbers by summary key, where they came from, what is missing,
    and (from monthly records) the comparison value of next month for the trend warning."""

    values: Mapping[str, Fraction]
    source: str | None
    missing: tuple[str, ...] = ()
    next_ago: Fraction | None = None


# --- the formula ----------------------------------------------------------------------------------


def points_for(value: Fraction, max_points: int, full_at: Fraction) -> Fraction:
    """``max_points × clamp(value, 0, full_at) / full_at``, exactly."""
    return max_points * min(max(value, Fraction(0)), full_at) / full_at


def points_lost(edition: Edition, metric: str, segment: str, people: int, leaving: int) -> Fraction:
    """The points ``metric`` loses when ``leaving`` of its ``people`` counted people stop counting."""
    rule = edition.metric(metric)
    full_at = rule.full_at[segment]
    return points_for(Fraction(people), rule.max_points, full_at) - points_for(
        Fraction(people - leaving), rule.max_points, full_at)


# --- inputs ---------------------------------------------------------------------------------------


def resolve_inputs(
    profile: Profile,
    edition: Edition,
    month: Month,
    market: str,
    revenue: Aggregate | None = None,
) -> tuple[dict[str, Inputs], list[RowCount], list[Notice]]:
    """Per metric id, its inputs: summary keys override what records give, key by key.
    ``revenue`` is the revenue aggregate of ``month`` when already read (track classification)."""
    aggregates: dict[str, Aggregate] = {}
    for kind, src in profile.records.items():
        if kind == "revenue":
            agg = revenue if revenue is not None else aggregate_revenue(src, edition, month)
            threshold = edition.pair_minimum[market]
            for slot in ("now", "ago", "next_ago"):
                getattr(agg, slot).qualifying = agg.count_pairs(slot, threshold)
            aggregates[kind] = agg
        elif kind == "usage":
            aggregates[kind] = aggregate_usage(src, edition, month, market)
        else:
            aggregates[kind] = aggregate_certifications(src, edition, month)

    from_records: dict[str, Fraction] = {}
    next_ago: dict[str, Fraction] = {}
    if "revenue" in aggregates:
        rev = aggregates["revenue"]
        from_records["qualifying_workloads_now"] = Fraction(rev.now.qualifying)
        from_records["qualifying_workloads_12_months_ago"] = Fraction(rev.ago.qualifying)
        if rev.has_next_ago_rows:
            next_ago["net_customer_adds"] = Fraction(rev.next_ago.qualifying)
    if "usage" in aggregates:
        use = aggregates["usage"]
        from_records["consumption_now"] = use.now.consumption
        from_records["consumption_12_months_ago"] = use.ago.consumption
        from_records["deployments_now"] = Fraction(use.now.deployments)
        from_records["deployments_12_months_ago"] = Fraction(use.ago.deployments)
        if use.has_next_ago_rows:
            next_ago["usage_growth"] = use.next_ago.consumption
            next_ago["deployments"] = Fraction(use.next_ago.deployments)
    if "certifications" in aggregates:
        people = aggregates["certifications"].people
        from_records["intermediate_certified_people"] = Fraction(len(people["intermediate"]))
        from_records["advanced_certified_people"] = Fraction(len(people["advanced"]))

    summary = profile.summary
    inputs: dict[str, Inputs] = {}
    for rule in edition.metrics:
        metric_id = rule.id
        if metric_id == "net_customer_adds" and "net_customer_adds" in summary:
            inputs[metric_id] = Inputs({"net_customer_adds": summary["net_customer_adds"]}, "summary")
            continue
        keys = _PAIRS[metric_id] if metric_id in _PAIRS else (_SINGLE[metric_id],)
        values: dict[str, Fraction] = {}
        origins: set[str] = set()
        missing: list[str] = []
        for key in keys:
            if key in summary:
                values[key] = summary[key]
                origins.add("summary")
            elif key in from_records:
                values[key] = from_records[key]
                origins.add("records")
            else:
                missing.append(key)
        if missing and metric_id == "net_customer_adds" and not values:
            missing = ["net_customer_adds"]
        source = "+".join(sorted(origins)) if origins and not missing else None
        trend = None
        if len(keys) == 2 and keys[1] not in summary and metric_id in next_ago:
            trend = next_ago[metric_id]
        inputs[metric_id] = Inputs(values, source, tuple(missing), trend)

    rows = [RowCount(kind, agg.used, dict(sorted(agg.ignored.items()))) for kind, agg in aggregates.items()]
    warnings: list[Notice] = []
    if "usage" in aggregates:
        for workload, count in sorted(aggregates["usage"].unrated.items()):
            warnings.append(
                Notice("workload_without_rate", {"workload": workload, "rows": count}, "usage_growth")
            )
    if "certifications" in aggregates:
        warnings.extend(_at_risk(edition, market, aggregates["certifications"], summary))
    return inputs, rows, warnings


def _at_risk(
    edition: Edition, market: str, certs: Aggregate, summary: Mapping[str, Fraction]
) -> list[Notice]:
    """A′.5: counted people who hold only certifications whose exam is retired (they cannot renew),
    with the points at risk and the first day one of them stops counting."""
    out: list[Notice] = []
    levels = (("intermediate", "intermediate_certifications"), ("advanced", "advanced_certifications"))
    for level, key in levels:
        people = certs.at_risk.get(level) or {}
        if not people or _SINGLE[key] in summary:
            continue
        lost = points_lost(edition, key, market, len(certs.people[level]), len(people))
        dates = [d for d in people.values() if d is not None]
        params: dict[str, object] = {"people": len(people), "points": lost}
        if dates:
            params["first_expiry"] = min(dates).isoformat()
        code = "certifications_at_risk" if dates else "certifications_at_risk_undated"
        out.append(Notice(code, params, key))
    return out


# --- scoring --------------------------------------------------------------------------------------


def _score_metric(
    edition: Edition, market: str, metric_id: str, inp: Inputs
) -> tuple[MetricResult, list[Notice]]:
    rule = edition.metric(metric_id)
    full_at = rule.full_at[market]
    warnings: list[Notice] = []
    base = {"max_points": rule.max_points, "full_at": full_at, "months": edition.comparison_months}

    def result(
        value: Fraction | None, key: str, params: dict[str, object], reason: str | None = None
    ) -> MetricResult:
        points = Fraction(0) if value is None or reason else points_for(value, rule.max_points, full_at)
        clamped = None if value is None else min(max(value, Fraction(0)), full_at)
        explanation = Explanation(
            f"scoring.explain.{key}",
            {**base, **params, "value": value, "clamped": clamped, "points": points},
            rule.rule,
            edition.id,
        )
        return MetricResult(
            metric_id,
            rule.category,
            rule.unit,
            value,
            points,
            rule.max_points,
            full_at,
            dict(inp.values),
            inp.source,
            explanation,
            reason,
            inp.missing,
        )

    if inp.missing:
        return result(None, "missing", {"missing": ", ".join(inp.missing)}, "missing_input"), warnings
    v = inp.values
    if metric_id == "net_customer_adds":
        if "net_customer_adds" in v:
            return result(v["net_customer_adds"], "net_customer_adds.direct", {}), warnings
        now, ago = v["qualifying_workloads_now"], v["qualifying_workloads_12_months_ago"]
        return result(now - ago, "net_customer_adds.pair", {"now": now, "ago": ago}), warnings
    if metric_id in _SINGLE:
        return result(v[_SINGLE[metric_id]], metric_id, {}), warnings
    now, ago = v[_PAIRS[metric_id][0]], v[_PAIRS[metric_id][1]]
    if metric_id == "deployments":
        return result(now - ago, "deployments", {"now": now, "ago": ago}), warnings
    baseline = edition.baseline[market]
    if ago < baseline or ago == 0:
        warnings.append(
            Notice("baseline_not_met", {"ago": ago, "baseline": baseline, "market": market,
                                        "months": edition.comparison_months}, metric_id)
        )
        return result(
            None,
            "usage_growth.baseline_not_met",
            {"now": now, "ago": ago, "baseline": baseline},
            "baseline_not_met",
        ), warnings
    growth = (now - ago) / ago * 100
    return result(growth, "usage_growth", {"now": now, "ago": ago, "baseline": baseline}), warnings


def score_inputs(
    edition: Edition,
    market: str,
    month: Month,
    partner: str | None,
    inputs: Mapping[str, Inputs],
    rows: list[RowCount] | None = None,
    warnings: list[Notice] | None = None,
) -> ScoreResult:
    """Score resolved inputs (used by :func:`evaluate` and by what-if)."""
    if market not in edition.markets:
        kind = edition.segment_kind
        raise InputError(
            f"unknown {kind} '{market}' for edition {edition.id}",
            code=f"scoring.unknown_{kind}",
            params={"value": market, "known": ", ".join(edition.markets)},
            field=kind,
        )
    metrics: list[MetricResult] = []
    notes: list[Notice] = []
    trend: list[Notice] = []
    for rule in edition.metrics:
        metric, metric_warnings = _score_metric(edition, market, rule.id, inputs[rule.id])
        metrics.append(metric)
        notes.extend(metric_warnings)
        inp = inputs[rule.id]
        if inp.next_ago is not None and not inp.missing:
            keys = _PAIRS[rule.id]
            moved = Inputs({keys[0]: inp.values[keys[0]], keys[1]: inp.next_ago}, inp.source)
            nxt, _ = _score_metric(edition, market, rule.id, moved)
            if nxt.points < metric.points:
                trend.append(
                    Notice(
                        "next_month_drop",
                        {
                            "month": str(month.shift(1)),
                            "leaving": str(month.shift(-edition.comparison_months)),
                            "points_now": metric.points,
                            "points_next": nxt.points,
                            "ago": inp.values[keys[1]],
                            "next_ago": inp.next_ago,
                        },
                        rule.id,
                    )
                )

    total = sum((m.points for m in metrics), Fraction(0))
    minimum = edition.min_points_per_metric
    known = [m for m in metrics if not m.missing]
    missing = tuple(k for m in metrics for k in m.missing)
    not_met: list[Notice] = []
    blocks: list[Notice] = []
    for m in known:
        if m.points < minimum:
            not_met.append(Notice("metric_below_minimum", {"points": m.points, "minimum": minimum}, m.id))
            blocks.append(Notice("metric_blocks_designation", {"points": m.points, "minimum": minimum}, m.id))
    reachable = total + sum((Fraction(m.max_points) for m in metrics if m.missing), Fraction(0))
    if total < edition.min_total:
        not_met.insert(0, Notice("total_below_minimum", {"total": total, "minimum": edition.min_total}))
    met: bool | None
    if missing:
        not_met.append(Notice("missing_input", {"missing": ", ".join(missing)}))
        met = False if (blocks or reachable < edition.min_total) else None
    else:
        met = not not_met
    return ScoreResult(
        partner=partner,
        market=market,
        evaluated_month=month,
        edition=edition.id,
        segment_kind=edition.segment_kind,
        metrics=tuple(metrics),
        total=total,
        designation_met=met,
        min_total=edition.min_total,
        not_met=tuple(not_met),
        warnings=tuple([*notes, *(warnings or []), *blocks, *trend]),
        rows=tuple(rows or []),
        missing_inputs=missing,
    )


def _score_month(profile: Profile, rules: Edition, month: Month, segment: str) -> ScoreResult:
    inputs, rows, warnings = resolve_inputs(profile, rules, month, segment, revenue_of(profile, rules, month))
    return score_inputs(rules, segment, month, profile.partner, inputs, rows, warnings)


def _window(profile: Profile, rules: Edition, result: ScoreResult, segment: str) -> ScoreResult:
    """A′.2: the evaluated month and the months before it in the qualification window, scored where
    the records cover them (every metric from records, revenue and usage rows in that month)."""
    from dataclasses import replace

    month = result.evaluated_month
    found = [WindowMonth(month, result.total, result.designation_met)]
    lacking: list[Month] = []
    from_records = all(m.input_source == "records" for m in result.metrics)
    for back in range(1, rules.qualification_months):
        earlier = month.shift(-back)
        covered = from_records and all(
            _has_rows(profile, kind, rules, earlier) for kind in ("revenue", "usage")
        )
        if not covered:
            lacking.append(earlier)
            continue
        scored = _score_month(profile, rules, earlier, segment)
        found.append(WindowMonth(earlier, scored.total, scored.designation_met))
    return replace(result, window=tuple(found), window_without_data=tuple(lacking))


def _has_rows(profile: Profile, kind: str, rules: Edition, month: Month) -> bool:
    src = profile.records.get(kind)
    if src is None:
        return False
    agg = aggregate_revenue(src, rules, month) if kind == "revenue" else aggregate_usage(
        src, rules, month, rules.markets[0]
    )
    return "now" in agg.slots_with_rows


def evaluate(profile: Profile, *, today: date | None = None, edition: str | None = None) -> ScoreResult:
    """Score ``profile``: for its ``evaluated_month`` (default: the latest evaluable month on ``today``,
    default the real date), under the edition named (argument, then the profile's ``rules``) or else
    the edition in force for that month. The market or track comes from the profile, or (2023) from
    revenue records; under a qualification window the months before are scored where records cover
    them."""
    rules, month = choose_edition(profile, today, edition)
    revenue = revenue_of(profile, rules, month)
    segment, notes = choose_segment(profile, rules, month, revenue)
    inputs, rows, warnings = resolve_inputs(profile, rules, month, segment, revenue)
    result = score_inputs(rules, segment, month, profile.partner, inputs, rows, [*notes, *warnings])
    if rules.window_applies(month):
        result = _window(profile, rules, result, segment)
    return result
