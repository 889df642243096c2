"""The partner capability score (RULES.md A.2–A.9): from a profile to a :class:`ScoreResult`.

Every metric is scored by one formula, ``points = max_points × clamp(value, 0, full_at) / full_at``,
in exact rational arithmetic; thresholds and lists come from the rule edition.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from kernel.errors import InputError
from scoring.editions import Edition, edition_for, edition_on, get_edition
from scoring.months import Month
from scoring.profile import Profile, check_segment
from scoring.records import Aggregate, aggregate_certifications, aggregate_revenue, aggregate_usage
from scoring.results import Explanation, MetricResult, Notice, RowCount, ScoreResult, WindowMonth

# Summary keys per metric: (the "now" key, the "12 months ago" key), or a single key.
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


# --- time (A.9) -----------------------------------------------------------------------------------


def latest_evaluable_month(today: date, edition: Edition | None = None) -> Month:
    """The latest month whose revenue and usage data are available on ``today``: the previous month
    from the availability day (the 15th) on, the month before that earlier."""
    rules = edition or edition_on(today)
    back = 1 if today.day >= rules.monthly_data_available_day else 2
    return Month.of(today).shift(-back)


def monthly_data_counts_on(month: Month, edition: Edition | None = None) -> date:
    """The day a month's revenue and usage data appear in the scores (the 15th of the next month)."""
    rules = edition or edition_for(month)
    nxt = month.shift(1)
    day = min(rules.monthly_data_available_day, calendar.monthrange(nxt.year, nxt.month)[1])
    return date(nxt.year, nxt.month, day)


WHEN_KINDS = ("revenue", "usage", "workload_added", "certification_earned", "certification_linked")


def when_counts(kind: str, on: date, edition: Edition | None = None) -> date:
    """When something done on ``on`` shows in the score (A.9).

    ``revenue``/``usage``/``workload_added``: on the availability day of the following month.
    ``certification_earned``/``certification_linked``: at most ``certification_delay_days`` later
    (when a certification was earned and the account linked on different days, pass the later day,
    or use :func:`certification_counts_by`).
    """
    if kind in ("revenue", "usage", "workload_added"):
        return monthly_data_counts_on(Month.of(on), edition)
    if kind in ("certification_earned", "certification_linked"):
        rules = edition or edition_on(on)
        return on + timedelta(days=rules.certification_delay_days)
    raise InputError(
        f"unknown kind '{kind}' (known: {', '.join(WHEN_KINDS)})",
        code="scoring.unknown_when_kind",
        params={"kind": kind, "known": ", ".join(WHEN_KINDS)},
    )


def certification_counts_by(earned: date, linked: date | None = None, edition: Edition | None = None) -> date:
    """The latest day a certification shows: the delay runs from the later of earned and linked."""
    start = max(earned, linked) if linked else earned
    return when_counts("certification_earned", start, edition)


# --- the formula ----------------------------------------------------------------------------------


def points_for(value: Fraction, max_points: int, full_at: Fraction) -> Fraction:
    """``max_points × clamp(value, 0, full_at) / full_at``, exactly."""
    return max_points * min(max(value, Fraction(0)), full_at) / full_at


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
        rule = edition.metric(key)
        full_at = rule.full_at[market]
        count = Fraction(len(certs.people[level]))
        lost = points_for(count, rule.max_points, full_at) - points_for(
            count - len(people), rule.max_points, full_at
        )
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
    base = {"max_points": rule.max_points, "full_at": full_at}

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
            Notice("baseline_not_met", {"ago": ago, "baseline": baseline, "market": market}, metric_id)
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


def choose_edition(profile: Profile, today: date | None, edition: str | None) -> tuple[Edition, Month]:
    """The evaluated month and the edition for it (named by argument or profile, else by date)."""
    if profile.evaluated_month is not None:
        month = profile.evaluated_month
    else:
        month = latest_evaluable_month(today or date.today())
    named = edition or profile.rules
    return (get_edition(named) if named else edition_for(month)), month


def classify(edition: Edition, revenue: Aggregate) -> str | None:
    """A′.1: the track from revenue records, or ``None`` when the records do not decide it.

    The ``track`` of the classification (enterprise) needs at least ``min_pairs`` pairs above the
    pair revenue in both the latest month and the comparison month; a month with rows and fewer
    pairs decides ``otherwise`` (smb); a month without any row leaves it open."""
    c = edition.classification
    counts = {slot: revenue.count_pairs(slot, c.pair_revenue) for slot in ("now", "ago")}
    covered = {slot: slot in revenue.slots_with_rows for slot in ("now", "ago")}
    if any(covered[s] and counts[s] < c.min_pairs for s in counts):
        return str(c.otherwise)
    if all(covered.values()):
        return str(c.track)
    return None


def choose_segment(
    profile: Profile, rules: Edition, month: Month, revenue: Aggregate | None
) -> tuple[str, list[Notice]]:
    """The market (2022) or track (2023) to score with, and a notice when it was derived.

    A missing market, or a track that neither the profile nor the records give, is an InputError
    (``scoring.missing_market``, ``scoring.missing_track``; ``scoring.track_replaces_market`` when
    a 2022 profile gives a market: tracks are not guessed from markets)."""
    if rules.segment_kind == "market":
        if profile.market is None:
            known = ", ".join(rules.markets)
            raise InputError(
                f"the market is missing ({known})",
                code="scoring.missing_market",
                params={"known": known},
                source=profile.source,
                field="market",
            )
        return check_segment(profile.market, "market", source=profile.source), []
    if profile.track is not None:
        return check_segment(profile.track, "track", source=profile.source), []
    c = rules.classification
    if revenue is not None and c is not None:
        track = classify(rules, revenue)
        if track is not None:
            params = {
                "track": track,
                "now": revenue.count_pairs("now", c.pair_revenue),
                "ago": revenue.count_pairs("ago", c.pair_revenue),
                "pairs": c.min_pairs,
                "amount": c.pair_revenue.amount,
                "month": str(month),
                "ago_month": str(month.shift(-rules.comparison_months)),
            }
            return track, [Notice("track_from_records", params)]
    params = {"known": ", ".join(rules.markets), "edition": rules.id}
    if c is not None:
        params.update(pairs=str(c.min_pairs), amount=str(c.pair_revenue.amount))
    if profile.market is not None:
        raise InputError(
            f"the market '{profile.market}' was replaced by tracks ({params['known']}): give the track",
            code="scoring.track_replaces_market",
            params={**params, "market": profile.market},
            source=profile.source,
            field="track",
        )
    raise InputError(
        f"the track is missing ({params['known']})",
        code="scoring.missing_track",
        params=params,
        source=profile.source,
        field="track",
    )


def choose(profile: Profile, today: date | None, edition: str | None) -> tuple[Edition, Month, str]:
    """The evaluated month, the edition for it, and the market or track (an InputError if missing)."""
    rules, month = choose_edition(profile, today, edition)
    revenue = _revenue(profile, rules, month)
    segment, _ = choose_segment(profile, rules, month, revenue)
    return rules, month, segment


def _revenue(profile: Profile, rules: Edition, month: Month) -> Aggregate | None:
    src = profile.records.get("revenue")
    return aggregate_revenue(src, rules, month) if src is not None else None


def _score_month(profile: Profile, rules: Edition, month: Month, segment: str) -> ScoreResult:
    inputs, rows, warnings = resolve_inputs(profile, rules, month, segment, _revenue(profile, rules, month))
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
    revenue = _revenue(profile, rules, month)
    segment, notes = choose_segment(profile, rules, month, revenue)
    inputs, rows, warnings = resolve_inputs(profile, rules, month, segment, revenue)
    result = score_inputs(rules, segment, month, profile.partner, inputs, rows, [*notes, *warnings])
    if rules.window_applies(month):
        result = _window(profile, rules, result, segment)
    return result
