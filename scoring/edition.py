"""One rule edition of the partner capability score: what it holds and how the bot reads it.

An :class:`Edition` holds every threshold, list, rate, window and date of one dated version of the
program (RULES.md Part A for ``bizapps-2022``, RULES-2023.md Part A′ for ``bizapps-2023``); its
accessors give what the engine and the explanations need. Reading the files is
:mod:`scoring.editionfile`, choosing one is :mod:`scoring.editions`.

Segments are what the thresholds depend on: the 2022 edition's *markets* (``larger``/``other``) or
the 2023 edition's *tracks* (``enterprise``/``smb``); ``segment_kind`` says which. The attribute
``markets`` holds the segment ids of either kind.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from scoring.months import Month
from scoring.rulefile import Threshold

METRIC_IDS = (
    "net_customer_adds",
    "intermediate_certifications",
    "advanced_certifications",
    "usage_growth",
    "deployments",
)
LEVELS = ("intermediate", "advanced")


@dataclass(frozen=True)
class MetricRule:
    id: str
    category: str
    unit: str
    rule: str
    max_points: int
    full_at: Mapping[str, Fraction]
    source: str


@dataclass(frozen=True)
class RevenueWorkload:
    id: str
    name: str
    family: str


@dataclass(frozen=True)
class UsageWorkload:
    id: str
    name: str
    covers: tuple[str, ...]


@dataclass(frozen=True)
class Rate:
    workload: str
    name: str
    rate: Fraction
    unit: str


@dataclass(frozen=True)
class Certification:
    """A listed certification. ``eligible_from``/``eligible_until`` bound the months it counts in
    (either open); ``exam_retires`` is the day its exam retires (holders can no longer renew)."""

    name: str
    level: str
    exams: tuple[str, ...]
    source: str
    eligible_from: date | None = None
    eligible_until: date | None = None
    exam_retires: date | None = None

    def eligible_on(self, day: date) -> bool:
        return (self.eligible_from is None or self.eligible_from <= day) and (
            self.eligible_until is None or day <= self.eligible_until
        )


@dataclass(frozen=True)
class Edition:
    """One dated rule edition. Accessors give what the bot needs to explain the rules."""

    id: str
    title: str
    effective_from: date
    documented: date
    path: str
    sources: Mapping[str, str]
    readings: Mapping[str, str]
    segment_kind: str
    markets: tuple[str, ...]
    classification: Any
    min_total: Fraction
    min_points_per_metric: Fraction
    metrics: tuple[MetricRule, ...]
    pair_minimum: Mapping[str, Threshold]
    channels: tuple[str, ...]
    family_attributions: Mapping[str, frozenset[str]]
    revenue_workloads: Mapping[str, RevenueWorkload]
    usage_attributions: frozenset[str]
    usage_attributions_of: Mapping[str, frozenset[str]]
    usage_workloads: Mapping[str, UsageWorkload]
    rate_card: Mapping[str, Rate]
    baseline: Mapping[str, Fraction]
    deployment_min: Mapping[str, Fraction]
    comparison_months: int
    qualification_months: int
    qualification_from: date | None
    monthly_data_available_day: int
    certification_delay_days: int
    certifications: tuple[Certification, ...]
    section_sources: Mapping[str, str]

    @property
    def segments(self) -> tuple[str, ...]:
        """The ids thresholds depend on: markets (2022) or tracks (2023); same as ``markets``."""
        return self.markets

    @property
    def min_revenue_usd_exclusive(self) -> Fraction:
        """The pair revenue threshold of the first segment (the 2022 edition has one for all)."""
        return self.pair_minimum[self.markets[0]].amount

    def metric(self, metric_id: str) -> MetricRule:
        for rule in self.metrics:
            if rule.id == metric_id:
                return rule
        raise KeyError(metric_id)

    def full_at(self, metric_id: str, market: str) -> Fraction:
        return self.metric(metric_id).full_at[market]

    def window_applies(self, month: Month) -> bool:
        """Whether the qualification window (more than one month) is in force for ``month``."""
        if self.qualification_months <= 1 or self.qualification_from is None:
            return False
        return month.shift(1).first_day() > self.qualification_from

    @functools.cached_property
    def usage_workload_of(self) -> Mapping[str, str]:
        """Usage workload id (as on a row) → the eligible workload it counts under."""
        out = {w: w for w in self.usage_workloads}
        for workload in self.usage_workloads.values():
            for covered in workload.covers:
                out[covered] = workload.id
        return out

    @functools.cached_property
    def revenue_workload_of(self) -> Mapping[str, str]:
        """Revenue workload id (as on a row) → the performance-list workload it counts under: the
        workload itself, or for an id a usage workload ``covers`` (Power BI Premium), that usage
        workload when it is on the performance list (Power BI Premium/Pro)."""
        out = {w: w for w in self.revenue_workloads}
        for covered, usage_id in self.usage_workload_of.items():
            if covered not in out and usage_id in self.revenue_workloads:
                out[covered] = usage_id
        return out

    @functools.cached_property
    def known_workloads(self) -> frozenset[str]:
        return (
            frozenset(self.revenue_workloads) | frozenset(self.usage_workload_of) | frozenset(self.rate_card)
        )

    @functools.cached_property
    def known_attributions(self) -> frozenset[str]:
        out: set[str] = set(self.usage_attributions)
        for attributions in self.family_attributions.values():
            out |= attributions
        return frozenset(out)

    @functools.cached_property
    def unrated_usage_workloads(self) -> tuple[str, ...]:
        return tuple(w for w in self.usage_workload_of if w not in self.rate_card)

    @functools.cached_property
    def _certification_index(self) -> Mapping[str, Certification]:
        index: dict[str, Certification] = {}
        for cert in self.certifications:
            for key in (cert.name, *cert.exams):
                index.setdefault(key.strip().casefold(), cert)
        return index

    def certification(self, name_or_code: str) -> Certification | None:
        """The listed certification of a name or exam code (any case), else ``None``."""
        return self._certification_index.get(name_or_code.strip().casefold())

    def certification_level(self, name_or_code: str) -> str | None:
        """``intermediate`` or ``advanced`` for a listed certification name or exam code, else ``None``."""
        cert = self.certification(name_or_code)
        return None if cert is None else cert.level

    def certifications_of_level(self, level: str) -> tuple[Certification, ...]:
        return tuple(c for c in self.certifications if c.level == level)
