"""Ahead of time: what leaves the comparison window next month, and certifications that expire.

- :func:`outlook` (monthly records): next month the comparison month moves one month on (under a
  12-month window, from 12 to 11 months ago; the window is the edition's ``comparison_months``).
  A customer and workload that qualified 11 months ago but not 12 months ago is counted as an
  add now and no longer next month: it *leaves the window*; so does a deployment, and consumption
  that grew in that month raises the usage baseline. Each metric's points now and next come from
  the ``next_month_drop`` notices of :func:`scoring.engine.evaluate`.
- :func:`expiring` (certification records with ``expires``): per level, the counted people whose
  certifications all expire before a day, and the points that costs (RULES.md A.5: points of the
  count now minus points of the count without them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from kernel import clock
from scoring.choice import choose
from scoring.edition import Edition
from scoring.engine import _SINGLE, evaluate, points_lost
from scoring.months import Month
from scoring.profile import Profile
from scoring.records import aggregate_certifications, aggregate_revenue, aggregate_usage
from scoring.results import Notice, ScoreResult


@dataclass(frozen=True)
class Leaving:
    """One customer and workload whose month leaves the window for ``metric``; ``amount`` is the
    pair's revenue (adds), its consumption value (deployments) or its growth (usage)."""

    metric: str
    customer: str
    workload: str
    """The workload's name as Partner Center lists it."""
    amount: Fraction


@dataclass(frozen=True)
class Outlook:
    """Next month from the records: ``leaving`` (12 months before the evaluated month) gives way to
    ``entering`` as the comparison month."""

    month: Month
    leaving: Month
    entering: Month
    drops: tuple[Notice, ...]
    items: tuple[Leaving, ...]

    def points_at_stake(self, metric: str | None = None) -> Fraction:
        """Points lost next month (one metric, or all), as scoring foresees them."""
        return sum((Fraction(d.params["points_now"]) - Fraction(d.params["points_next"]) for d in self.drops
                    if metric is None or d.metric == metric), Fraction(0))


def outlook(profile: Profile, *, today: date | None = None, edition: str | None = None,
            result: ScoreResult | None = None) -> Outlook | None:
    """What leaves the window next month, or ``None`` when no revenue or usage records give the
    month that enters the comparison."""
    rules, month, segment = choose(profile, today, edition)
    result = result or evaluate(profile, today=today, edition=edition)
    items: list[Leaving] = []
    revenue, usage = profile.records.get("revenue"), profile.records.get("usage")
    known = False
    if revenue is not None and "net_customer_adds" not in profile.summary:
        agg = aggregate_revenue(revenue, rules, month, segment)
        if agg.has_next_ago_rows:
            known = True
            threshold = rules.pair_minimum[segment]
            before = {k for k, v in agg.pairs.get("ago", {}).items() if threshold.passes(v)}
            after = {k: v for k, v in agg.pairs.get("next_ago", {}).items() if threshold.passes(v)}
            items += [Leaving("net_customer_adds", c, _revenue_name(rules, w), v)
                      for (c, w), v in sorted(after.items()) if (c, w) not in before]
    if usage is not None:
        agg = aggregate_usage(usage, rules, month, segment)
        if agg.has_next_ago_rows:
            known = True
            minimum = rules.deployment_min[segment]
            ago, nxt = agg.pairs.get("ago", {}), agg.pairs.get("next_ago", {})
            items += [Leaving("deployments", c, _usage_name(rules, w), v) for (c, w), v in sorted(nxt.items())
                      if v >= minimum and ago.get((c, w), Fraction(0)) < minimum]
            items += [Leaving("usage_growth", c, _usage_name(rules, w), v - ago.get((c, w), Fraction(0)))
                      for (c, w), v in sorted(nxt.items()) if v > ago.get((c, w), Fraction(0))]
    if not known:
        return None
    drops = tuple(w for w in result.warnings if w.code == "next_month_drop")
    return Outlook(month.shift(1), month.shift(-rules.comparison_months),
                   month.shift(1 - rules.comparison_months), drops, tuple(items))


def _revenue_name(rules: Edition, workload: str) -> str:
    found = rules.revenue_workloads.get(workload)
    return found.name if found is not None else workload


def _usage_name(rules: Edition, workload: str) -> str:
    found = rules.usage_workloads.get(workload)
    return found.name if found is not None else workload


@dataclass(frozen=True)
class Expiry:
    """``people`` counted people of ``metric`` whose certifications all expire before ``before``
    (the first on ``first``, the last on ``last``); ``points`` are lost when they do."""

    metric: str
    level: str
    people: int
    first: date
    last: date
    before: date
    points: Fraction


def expiring(profile: Profile, *, before: date, today: date | None = None,
             edition: str | None = None) -> tuple[Expiry, ...]:
    """Per level, counted people (certification records) whose every counted certification
    expires before ``before``; none when the count is given as a summary number."""
    source = profile.records.get("certifications")
    if source is None:
        return ()
    rules, month, segment = choose(profile, today or clock.today(), edition)
    agg = aggregate_certifications(source, rules, month)
    out: list[Expiry] = []
    levels = (("intermediate", "intermediate_certifications"), ("advanced", "advanced_certifications"))
    for level, metric in levels:
        if _SINGLE[metric] in profile.summary:
            continue
        ends = [d for p, d in agg.expires.get(level, {}).items() if d is not None and d < before
                and p in agg.people[level]]
        if not ends:
            continue
        lost = points_lost(rules, metric, segment, len(agg.people[level]), len(ends))
        out.append(Expiry(metric, level, len(ends), min(ends), max(ends), before, lost))
    return tuple(out)
