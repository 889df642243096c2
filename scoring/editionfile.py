"""Reading a rule edition file (``config/pcs/*.yaml``) and its certification list.

Files are validated by declared models (:mod:`scoring.rulefile`), then the few cross-references the
models cannot see (keys per segment and metric, families, rated workloads) are checked: an unknown or
missing key, a bad date or a duplicate key is an :class:`InputError` naming the file and key.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field

from kernel.errors import InputError
from scoring.edition import (
    LEVELS,
    METRIC_IDS,
    Certification,
    Edition,
    MetricRule,
    Rate,
    RevenueWorkload,
    UsageWorkload,
)
from scoring.rulefile import Amount, Day, Header, Strict, Threshold, invalid, read_file, unique


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
