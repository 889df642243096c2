"""Rule editions of the partner capability score, read from ``config/pcs/*.yaml``.

An edition holds every threshold, list, rate, window and date of one dated version of the program
(RULES.md Part A for ``bizapps-2022``, RULES-2023.md Part A′ for ``bizapps-2023``). The engine asks
:func:`edition_for` for the edition in force in the evaluated month — the one with the latest
``effective_from`` not after the month's first day — or :func:`get_edition` for one named
explicitly. Files are validated by declared models (:mod:`scoring.rulefile`): an unknown or missing
key, a bad date, a duplicate key or a duplicate id is an :class:`InputError` naming the file and key.

Segments are what the thresholds depend on: the 2022 edition's *markets* (``larger``/``other``) or
the 2023 edition's *tracks* (``enterprise``/``smb``); ``segment_kind`` says which. The attribute
``markets`` holds the segment ids of either kind.

To add a later edition, copy the newest file in ``config/pcs`` to a new file, give it a new ``id``
and a later ``effective_from``, and change the values; earlier editions and their scoring stay as
they are. A change of *logic* needs code that reads new keys.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field

from kernel.errors import InputError
from kernel.files import config_dir
from scoring.months import Month
from scoring.rulefile import Amount, Day, Header, Strict, Threshold, invalid, read_file, unique

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


# --- reading: declared models (scoring.rulefile), then the few cross-references they cannot see --


class _Classification(Strict):
    source: str
    track: str
    otherwise: str
    min_pairs: int
    pair_revenue: Threshold


class _Segments(Strict):
    source: str
    kind: Literal["market", "track"]
    ids: tuple[str, ...]
    classification: _Classification | None = None


class _Designation(Strict):
    source: str
    min_total: Amount
    min_points_per_metric: Amount


class _Metric(Strict):
    source: str
    category: str
    unit: str
    rule: str
    max_points: Annotated[int, Field(ge=1, le=100)]
    full_at: dict[str, Amount]


class _Family(Strict):
    attributions: tuple[str, ...]


class _RevenueWorkload(Strict):
    name: str
    family: str


class _Revenue(Strict):
    source: str
    pair_minimum: dict[str, Threshold]
    channels: tuple[str, ...]
    families: dict[str, _Family]
    workloads: dict[str, _RevenueWorkload]


class _UsageWorkload(Strict):
    name: str
    family: str
    covers: tuple[str, ...] = ()


class _Rate(Strict):
    name: str
    rate: Amount
    unit: str


class _Usage(Strict):
    source: str
    families: dict[str, _Family]
    workloads: dict[str, _UsageWorkload]
    rate_card: dict[str, _Rate]
    baseline: dict[str, Amount]
    deployment_min: dict[str, Amount]


class _Windows(Strict):
    source: str
    comparison_months: Annotated[int, Field(ge=1, le=36)]
    qualification_months: Annotated[int, Field(ge=1, le=24)]
    qualification_from: Day | None = None


class _Freshness(Strict):
    source: str
    monthly_data_available_day: Annotated[int, Field(ge=1, le=28)]
    certification_delay_days: Annotated[int, Field(ge=0, le=366)]


class _CertificationsRef(Strict):
    source: str
    file: str


class _EditionFile(Header):
    segments: _Segments
    designation: _Designation
    metrics: dict[str, _Metric]
    revenue: _Revenue
    usage: _Usage
    windows: _Windows
    freshness: _Freshness
    certifications: _CertificationsRef


class _CertificationEntry(Strict):
    name: str
    exams: tuple[str, ...] = ()
    source: str
    eligible_from: Day | None = None
    eligible_until: Day | None = None
    exam_retires: Day | None = None


class _CertificationFile(Strict):
    source: str
    sources: dict[str, str] = Field(default_factory=dict)
    intermediate: list[_CertificationEntry] = Field(default_factory=list)
    advanced: list[_CertificationEntry] = Field(default_factory=list)


def _same_keys(path: Path, key: str, got: Mapping[str, Any], want: tuple[str, ...]) -> None:
    """A mapping keyed by segments or metrics must have exactly those keys (missing/unknown named)."""
    for name in want:
        if name not in got:
            raise InputError(f"missing key '{key}.{name}'", code="scoring.edition_missing_key",
                             params={"key": f"{key}.{name}"}, source=str(path), field=f"{key}.{name}")
    for name in got:
        if name not in want:
            raise InputError(f"unknown key '{key}.{name}'", code="scoring.edition_unknown_key",
                             params={"key": f"{key}.{name}"}, source=str(path), field=f"{key}.{name}")


def load_edition(path: Path) -> Edition:
    f: _EditionFile = read_file(_EditionFile, path)
    segments = f.segments.ids
    if not segments or not unique(list(segments)):
        raise invalid(path, "segments.ids", "must list each segment once")
    if f.segments.classification is not None:
        c = f.segments.classification
        for key, value in (("track", c.track), ("otherwise", c.otherwise)):
            if value not in segments:
                raise invalid(path, f"segments.classification.{key}", f"'{value}' is not one of segments.ids")
    _same_keys(path, "metrics", f.metrics, METRIC_IDS)
    for metric_id, m in f.metrics.items():
        _same_keys(path, f"metrics.{metric_id}.full_at", m.full_at, segments)
        for seg, full in m.full_at.items():
            if full == 0:
                raise invalid(path, f"metrics.{metric_id}.full_at.{seg}", "must be more than 0")
    _same_keys(path, "revenue.pair_minimum", f.revenue.pair_minimum, segments)
    _same_keys(path, "usage.baseline", f.usage.baseline, segments)
    _same_keys(path, "usage.deployment_min", f.usage.deployment_min, segments)
    for seg, amount in f.usage.deployment_min.items():
        if amount == 0:
            raise invalid(path, f"usage.deployment_min.{seg}", "must be more than 0")
    for group, families, workloads in (("revenue", f.revenue.families, f.revenue.workloads),
                                       ("usage", f.usage.families, f.usage.workloads)):
        for wid, w in workloads.items():
            if w.family not in families:
                raise invalid(
                    path, f"{group}.workloads.{wid}.family", f"'{w.family}' is not one of {group}.families"
                )
        for fid, fam in families.items():
            if not fam.attributions or not unique(list(fam.attributions)):
                raise invalid(path, f"{group}.families.{fid}.attributions", "must list each attribution once")
    covered = {c for w in f.usage.workloads.values() for c in w.covers}
    for wid in f.usage.rate_card:
        if wid not in f.usage.workloads and wid not in covered:
            raise invalid(path, f"usage.rate_card.{wid}",
                          "rates a workload that is not in usage.workloads (nor covered by one)")
    if f.windows.qualification_months > 1 and f.windows.qualification_from is None:
        raise invalid(path, "windows.qualification_from", "a qualification window needs its start date")

    section_sources = {
        "segments": f.segments.source,
        "designation": f.designation.source,
        "revenue": f.revenue.source,
        "usage": f.usage.source,
        "windows": f.windows.source,
        "freshness": f.freshness.source,
        "certifications": f.certifications.source,
        **{f"metrics.{k}": m.source for k, m in f.metrics.items()},
    }
    if f.segments.classification is not None:
        section_sources["segments.classification"] = f.segments.classification.source
    usage_attr = {
        wid: frozenset(f.usage.families[w.family].attributions) for wid, w in f.usage.workloads.items()
    }
    cert_path = path.parent / f.certifications.file
    return Edition(
        id=f.id,
        title=f.title,
        effective_from=f.effective_from,
        documented=f.documented,
        path=str(path),
        sources=dict(f.sources),
        readings=dict(f.readings),
        segment_kind=f.segments.kind,
        markets=segments,
        classification=f.segments.classification,
        min_total=f.designation.min_total,
        min_points_per_metric=f.designation.min_points_per_metric,
        metrics=tuple(
            MetricRule(mid, m.category, m.unit, m.rule, m.max_points, dict(m.full_at), m.source)
            for mid, m in ((k, f.metrics[k]) for k in METRIC_IDS)
        ),
        pair_minimum=dict(f.revenue.pair_minimum),
        channels=f.revenue.channels,
        family_attributions={k: frozenset(v.attributions) for k, v in f.revenue.families.items()},
        revenue_workloads={k: RevenueWorkload(k, w.name, w.family) for k, w in f.revenue.workloads.items()},
        usage_attributions=frozenset(a for attrs in usage_attr.values() for a in attrs),
        usage_attributions_of=usage_attr,
        usage_workloads={k: UsageWorkload(k, w.name, w.covers) for k, w in f.usage.workloads.items()},
        rate_card={k: Rate(k, r.name, r.rate, r.unit) for k, r in f.usage.rate_card.items()},
        baseline=dict(f.usage.baseline),
        deployment_min=dict(f.usage.deployment_min),
        comparison_months=f.windows.comparison_months,
        qualification_months=f.windows.qualification_months,
        qualification_from=f.windows.qualification_from,
        monthly_data_available_day=f.freshness.monthly_data_available_day,
        certification_delay_days=f.freshness.certification_delay_days,
        certifications=_load_certifications(cert_path),
        section_sources=section_sources,
    )


def _load_certifications(path: Path) -> tuple[Certification, ...]:
    f: _CertificationFile = read_file(_CertificationFile, path)
    out: list[Certification] = []
    seen: dict[str, str] = {}
    for level in LEVELS:
        for i, entry in enumerate(getattr(f, level)):
            key = f"{level}[{i}]"
            if not unique(list(entry.exams)):
                raise invalid(path, f"{key}.exams", "lists a value twice")
            for name in (entry.name, *entry.exams):
                folded = name.strip().casefold()
                if seen.get(folded, level) != level:
                    raise invalid(path, key, f"'{name}' is listed at both levels")
                seen[folded] = level
            out.append(Certification(entry.name, level, entry.exams, entry.source, entry.eligible_from,
                                     entry.eligible_until, entry.exam_retires))
    return tuple(out)


def editions_dir() -> Path:
    return config_dir() / "pcs"


@functools.cache
def all_editions() -> tuple[Edition, ...]:
    """Every edition in ``config/pcs``, oldest first. Loaded once per process."""
    loaded = [load_edition(p) for p in sorted(editions_dir().glob("*.yaml"))]
    by_id: dict[str, Edition] = {}
    for edition in loaded:
        if edition.id in by_id:
            raise InputError(
                f"edition id '{edition.id}' is also used by {by_id[edition.id].path}",
                code="scoring.edition_duplicate_id",
                params={"id": edition.id, "other": by_id[edition.id].path},
                source=edition.path,
                field="id",
            )
        by_id[edition.id] = edition
    if not loaded:
        raise InputError("no rule edition found", code="scoring.no_edition", source=str(editions_dir()))
    return tuple(sorted(loaded, key=lambda e: e.effective_from))


def vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """Workload and attribution ids of every edition: a row naming one that the edition in use does
    not list is reported as not eligible, not refused as unknown (e.g. ``customer_voice`` in 2023)."""
    workloads: set[str] = set()
    attributions: set[str] = set()
    for edition in all_editions():
        workloads |= edition.known_workloads
        attributions |= edition.known_attributions
    return frozenset(workloads), frozenset(attributions)


def get_edition(edition_id: str) -> Edition:
    for edition in all_editions():
        if edition.id == edition_id:
            return edition
    known = ", ".join(e.id for e in all_editions())
    raise InputError(
        f"unknown rule edition '{edition_id}' (known: {known})",
        code="scoring.unknown_edition",
        params={"id": edition_id, "known": known},
    )


def edition_on(day: date) -> Edition:
    """The edition in force on ``day``: the latest ``effective_from`` not after it."""
    candidates = [e for e in all_editions() if e.effective_from <= day]
    if not candidates:
        first = all_editions()[0]
        raise InputError(
            f"no rule edition is in force on {day} (the first starts {first.effective_from})",
            code="scoring.no_edition_in_force",
            params={"when": str(day), "first": str(first.effective_from)},
        )
    return candidates[-1]


def edition_for(month: Month) -> Edition:
    """The edition in force for an evaluated month (on its first day)."""
    return edition_on(month.first_day())
