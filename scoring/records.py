"""Raw records (RULES.md C.1) filtered and aggregated as A.4–A.7 say, streaming.

Rows are read one at a time (:mod:`scoring.rows`); only sums per
(customer, workload, month) of the months that matter are kept, so memory does not grow with the
number of rows. Every row is checked — also rows of other months — and a bad row raises an
:class:`InputError` naming the file, row and field; nothing partial is returned.

A row that is valid but does not count is *ignored* with the first reason that applies, in this
order: ``other_month``, ``workload_not_eligible``, ``inactive_subscription`` (revenue),
``ineligible_attribution``, ``workload_without_rate`` (usage). Certification rows of a person
already counted at that level are ``same_person``; a listed certification outside its eligibility
window is ``certification_not_eligible`` and a record past its ``expires`` date ``expired`` (both
for the last day of the evaluated month).

Workload and attribution ids of any edition are known (:func:`scoring.editions.vocabulary`): a row
naming one the edition in use does not list is ignored with its reason, not refused.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from scoring.edition import LEVELS, Edition
from scoring.editions import vocabulary
from scoring.months import Month
from scoring.profile import RecordSource
from scoring.rows import (
    CERTIFICATION_FIELDS,
    CERTIFICATION_OPTIONAL,
    EXACT,
    FAST_BOOLS,
    OTHER,
    REVENUE_FIELDS,
    USAGE_FIELDS,
    Checker,
    read_rows,
)
from scoring.rulefile import Threshold


@dataclass
class MonthTotals:
    """What one month of records gives: qualifying pairs (revenue) or consumption and deployments."""

    qualifying: int = 0
    consumption: Fraction = Fraction(0)
    deployments: int = 0


@dataclass
class Aggregate:
    """Per kind: totals of the latest month (``now``), the edition's comparison window before it
    (``ago``: 12 months under the 2022 and 2023 rules) and one month less (``next_ago``, the
    comparison month of next month), and row counts."""

    kind: str
    now: MonthTotals = field(default_factory=MonthTotals)
    ago: MonthTotals = field(default_factory=MonthTotals)
    next_ago: MonthTotals = field(default_factory=MonthTotals)
    has_next_ago_rows: bool = False
    used: int = 0
    ignored: Counter[str] = field(default_factory=Counter)
    unrated: Counter[str] = field(default_factory=Counter)
    people: dict[str, set[str]] = field(default_factory=dict)
    pair_sums: dict[str, list[Fraction]] = field(default_factory=dict)
    """Revenue: per slot, the summed eligible revenue of each (customer, workload) pair."""
    slots_with_rows: set[str] = field(default_factory=set)
    """Slots (``now``, ``ago``, ``next_ago``) for which at least one row was given."""
    pairs: dict[str, dict[tuple[str, str], Fraction]] = field(default_factory=dict)
    """Revenue and usage: per slot, each eligible (customer, workload)'s summed revenue or monthly
    consumption value (what :mod:`scoring.ahead` names when a month leaves the window)."""
    expires: dict[str, dict[str, date | None]] = field(default_factory=dict)
    """Certifications (with a month): per level, each counted person's last expiry date of the
    certifications counted for them (``None``: one of them gives no expiry)."""
    at_risk: dict[str, dict[str, date | None]] = field(default_factory=dict)
    """Certifications: per level, counted people whose every counted certification's exam is retired
    (they cannot renew), with the day they stop counting (``None``: no ``expires`` given)."""

    def count_pairs(self, slot: str, threshold: Threshold) -> int:
        return sum(1 for total in self.pair_sums.get(slot, ()) if threshold.passes(total))


def aggregate_revenue(
    src: RecordSource, edition: Edition, latest: Month, segment: str | None = None
) -> Aggregate:
    """A.4: eligible revenue per (customer, workload) pair in the latest month and the comparison
    months before it (``pair_sums``); with ``segment``, the qualifying pairs by its threshold too.
    A row of a covered id (``power_bi_premium``) counts under its performance-list workload."""
    chk = Checker(src, edition)
    agg = Aggregate("revenue")
    slot_of = chk.slots(latest)
    sums: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    workloads = edition.revenue_workloads
    counted_as = edition.revenue_workload_of
    known_workloads, attributions = vocabulary()
    family = edition.family_attributions
    channels = frozenset(edition.channels)
    add = EXACT.add
    ignored = agg.ignored
    # Each check is a fast membership test first; the Checker only runs for values that need
    # normalising (YAML types, spaces) or are wrong, and then raises with the row and field.
    for row, values in read_rows(src, REVENUE_FIELDS):
        customer, workload, month_raw, subscription, active, revenue, attribution, channel = values
        if type(customer) is not str:
            customer = chk.text(row, "customer", customer)
        if type(workload) is not str or workload not in known_workloads:
            workload = chk.choice(row, "workload", workload, known_workloads)
        slot = slot_of(row, month_raw)
        if type(subscription) is not str:
            chk.text(row, "subscription", subscription)
        is_active = FAST_BOOLS.get(active) if type(active) is str or type(active) is bool else None
        if is_active is None:
            is_active = chk.boolean(row, "active", active)
        amount = chk.fast_number(row, "revenue_usd", revenue, negative_ok=True)
        if type(attribution) is not str or attribution not in attributions:
            attribution = chk.choice(row, "attribution", attribution, attributions)
        if type(channel) is not str or channel not in channels:
            chk.choice(row, "channel", channel, channels)
        if slot is OTHER:
            ignored["other_month"] += 1
            continue
        agg.slots_with_rows.add(slot)
        reason = None
        target = counted_as.get(workload)
        info = workloads.get(target) if target is not None else None
        if info is None:
            reason = "workload_not_eligible"
        elif not is_active:
            reason = "inactive_subscription"
        elif attribution not in family[info.family]:
            reason = "ineligible_attribution"
        if slot == "next_ago":  # not scored this month (other_month), but decides next month's trend
            agg.has_next_ago_rows = True
            ignored["other_month"] += 1
        elif reason is not None:
            ignored[reason] += 1
            continue
        else:
            agg.used += 1
        if reason is None:
            assert target is not None
            key = (slot, customer, target)
            sums[key] = add(sums[key], amount)
    for (slot, customer, workload), total in sums.items():
        agg.pair_sums.setdefault(slot, []).append(Fraction(total))
        agg.pairs.setdefault(slot, {})[(customer, workload)] = Fraction(total)
    if segment is not None:
        threshold = edition.pair_minimum[segment]
        for slot in ("now", "ago", "next_ago"):
            getattr(agg, slot).qualifying = agg.count_pairs(slot, threshold)
    return agg


def aggregate_usage(src: RecordSource, edition: Edition, latest: Month, market: str) -> Aggregate:
    """A.6/A.7: monthly consumption value and deployments in the latest month and the comparison months."""
    chk = Checker(src, edition)
    agg = Aggregate("usage")
    slot_of = chk.slots(latest)
    sums: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    counted_as = edition.usage_workload_of
    known_workloads, attributions = vocabulary()
    eligible_attr = edition.usage_attributions_of
    rates = {w: Decimal(r.rate.numerator) / Decimal(r.rate.denominator) for w, r in edition.rate_card.items()}
    add, mul = EXACT.add, EXACT.multiply
    ignored = agg.ignored
    for row, values in read_rows(src, USAGE_FIELDS):
        customer, workload, month_raw, units, attribution = values
        if type(customer) is not str:
            customer = chk.text(row, "customer", customer)
        if type(workload) is not str or workload not in known_workloads:
            workload = chk.choice(row, "workload", workload, known_workloads)
        slot = slot_of(row, month_raw)
        amount = chk.fast_number(row, "units", units, negative_ok=False)
        if type(attribution) is not str or attribution not in attributions:
            attribution = chk.choice(row, "attribution", attribution, attributions)
        if slot is OTHER:
            ignored["other_month"] += 1
            continue
        agg.slots_with_rows.add(slot)
        target = counted_as.get(workload)
        rate = rates.get(workload)
        reason = None
        if target is None:
            reason = "workload_not_eligible"
        elif attribution not in eligible_attr[target]:
            reason = "ineligible_attribution"
        elif rate is None:
            reason = "workload_without_rate"
        if slot == "next_ago":  # not scored this month (other_month), but decides next month's trend
            agg.has_next_ago_rows = True
            ignored["other_month"] += 1
            if reason is not None:
                continue
        elif reason is not None:
            ignored[reason] += 1
            if reason == "workload_without_rate":
                agg.unrated[workload] += 1
            continue
        else:
            agg.used += 1
        assert target is not None and rate is not None
        key = (slot, customer, target)
        sums[key] = add(sums[key], mul(amount, rate))
    minimum = edition.deployment_min[market]
    for (slot, customer, workload), total in sums.items():
        value = Fraction(total)
        agg.pairs.setdefault(slot, {})[(customer, workload)] = value
        totals: MonthTotals = getattr(agg, slot)
        totals.consumption += value
        if value >= minimum:
            totals.deployments += 1
    return agg


def aggregate_certifications(src: RecordSource, edition: Edition, month: Month | None = None) -> Aggregate:
    """A.5 (A′.5): distinct people per level. A row's own ``level`` wins; else the edition's list
    decides. With ``month``, a listed certification counts only when the month's last day is inside
    its eligibility window and not after the row's ``expires`` date; people whose counted
    certifications all have a retired exam are collected in ``at_risk``."""
    chk = Checker(src, edition)
    agg = Aggregate("certifications")
    agg.people = {level: set() for level in LEVELS}
    levels = frozenset(LEVELS)
    day = month.last_day() if month is not None else None
    renewable: dict[str, set[str]] = {level: set() for level in LEVELS}
    stops: dict[str, dict[str, list[date | None]]] = {level: {} for level in LEVELS}
    rows = read_rows(src, CERTIFICATION_FIELDS, CERTIFICATION_OPTIONAL)
    for row, (person, certification, level, expires) in rows:
        person = chk.text(row, "person", person)
        name = chk.text(row, "certification", certification)
        listed = edition.certification(name)
        if level is not None:
            level = chk.choice(row, "level", level, levels)
        elif listed is not None:
            level = listed.level
        else:
            raise chk.fail(
                row,
                "certification",
                f"'{name}' is not on the list of edition {edition.id}; give its level "
                "(intermediate or advanced)",
                "scoring.unknown_certification",
                value=name,
                edition=edition.id,
            )
        until = chk.day(row, "expires", expires) if expires is not None else None
        if day is not None:
            if listed is not None and not listed.eligible_on(day):
                agg.ignored["certification_not_eligible"] += 1
                continue
            if until is not None and until < day:
                agg.ignored["expired"] += 1
                continue
            retired = listed is not None and listed.exam_retires is not None and listed.exam_retires <= day
            if retired:
                stops[level].setdefault(person, []).append(until)
            else:
                renewable[level].add(person)
            last = agg.expires.setdefault(level, {})
            known = last.get(person, date.min)
            if person not in last or (known is not None and (until is None or until > known)):
                last[person] = until
        people = agg.people[level]
        if person in people:
            agg.ignored["same_person"] += 1
        else:
            people.add(person)
            agg.used += 1
    for level in LEVELS:
        agg.at_risk[level] = {}
        for person, ends in stops[level].items():
            if person not in renewable[level]:
                agg.at_risk[level][person] = None if None in ends else max(e for e in ends if e is not None)
    return agg


AGGREGATORS: Mapping[str, Callable[..., Aggregate]] = {
    "revenue": aggregate_revenue,
    "usage": aggregate_usage,
    "certifications": aggregate_certifications,
}
