"""Rule editions of the partner capability score, read from ``config/pcs/*.yaml``.

An edition holds every threshold, list and rate of one dated version of the program (RULES.md
Part A for ``bizapps-2022``). The engine asks :func:`edition_for` for the edition in force in the
evaluated month — the one with the latest ``effective_from`` not after the month's first day — or
:func:`get_edition` for one named explicitly. Loading is strict: an unknown or missing key, a bad
date, a duplicate key or a duplicate id is an :class:`InputError` naming the file and the key.

To add a later edition, copy ``config/pcs/2022-bizapps.yaml`` to a new file, give it a new ``id``
and a later ``effective_from``, and change the values; the 2022 edition and its scoring stay as they
are. A change of *logic* (e.g. tracks instead of markets) needs code that reads new keys.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from kernel.errors import InputError
from kernel.files import config_dir, load_yaml_file
from scoring.months import Month
from scoring.numbers import to_fraction

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
    name: str
    level: str
    exams: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Edition:
    """One dated rule edition. Accessors give what the bot needs to explain the rules."""

    id: str
    title: str
    effective_from: date
    path: str
    sources: Mapping[str, str]
    markets: tuple[str, ...]
    min_total: Fraction
    min_points_per_metric: Fraction
    metrics: tuple[MetricRule, ...]
    min_revenue_usd_exclusive: Fraction
    channels: tuple[str, ...]
    family_attributions: Mapping[str, frozenset[str]]
    revenue_workloads: Mapping[str, RevenueWorkload]
    usage_attributions: frozenset[str]
    usage_workloads: Mapping[str, UsageWorkload]
    rate_card: Mapping[str, Rate]
    baseline: Mapping[str, Fraction]
    deployment_min: Mapping[str, Fraction]
    monthly_data_available_day: int
    certification_delay_days: int
    certifications: tuple[Certification, ...]
    section_sources: Mapping[str, str]

    def metric(self, metric_id: str) -> MetricRule:
        for rule in self.metrics:
            if rule.id == metric_id:
                return rule
        raise KeyError(metric_id)

    def full_at(self, metric_id: str, market: str) -> Fraction:
        return self.metric(metric_id).full_at[market]

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
    def _certification_index(self) -> Mapping[str, str]:
        index: dict[str, str] = {}
        for cert in self.certifications:
            for key in (cert.name, *cert.exams):
                index[key.strip().casefold()] = cert.level
        return index

    def certification_level(self, name_or_code: str) -> str | None:
        """``intermediate`` or ``advanced`` for a listed certification name or exam code, else ``None``."""
        return self._certification_index.get(name_or_code.strip().casefold())

    def certifications_of_level(self, level: str) -> tuple[Certification, ...]:
        return tuple(c for c in self.certifications if c.level == level)


# --- strict reading -------------------------------------------------------------------------------


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def fail(
        self, key: str, message: str, code: str = "scoring.edition_invalid", **params: Any
    ) -> InputError:
        return InputError(
            f"{key}: {message}",
            code=code,
            params={"key": key, "problem": message, **params},
            source=self.path,
            field=key,
        )

    def mapping(
        self, data: Any, key: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(key, "must be a mapping")
        unknown = [k for k in data if k not in required and k not in optional]
        if unknown:
            name = f"{key}.{unknown[0]}" if key else str(unknown[0])
            raise InputError(
                f"unknown key '{name}'",
                code="scoring.edition_unknown_key",
                params={"key": name},
                source=self.path,
                field=name,
            )
        missing = [k for k in required if k not in data]
        if missing:
            name = f"{key}.{missing[0]}" if key else missing[0]
            raise InputError(
                f"missing key '{name}'",
                code="scoring.edition_missing_key",
                params={"key": name},
                source=self.path,
                field=name,
            )
        return data

    def text(self, data: Any, key: str) -> str:
        if not isinstance(data, str) or not data.strip():
            raise self.fail(key, "must be a non-empty text")
        return data

    def ids(self, data: Any, key: str) -> tuple[str, ...]:
        if not isinstance(data, list) or not data:
            raise self.fail(key, "must be a non-empty list")
        out = tuple(self.text(v, key) for v in data)
        if len(set(out)) != len(out):
            raise self.fail(key, "lists a value twice")
        return out

    def number(self, data: Any, key: str, *, positive: bool = False) -> Fraction:
        try:
            value = to_fraction(data, source=self.path, field=key)
        except InputError:
            raise self.fail(key, "must be a number") from None
        if value < 0 or (positive and value == 0):
            raise self.fail(key, "must be more than 0" if positive else "must not be negative")
        return value

    def integer(self, data: Any, key: str, low: int, high: int) -> int:
        if isinstance(data, bool) or not isinstance(data, int) or not low <= data <= high:
            raise self.fail(key, f"must be a whole number from {low} to {high}")
        return data

    def per_market(
        self, data: Any, key: str, markets: tuple[str, ...], *, positive: bool = False
    ) -> dict[str, Fraction]:
        raw = self.mapping(data, key, markets)
        return {m: self.number(raw[m], f"{key}.{m}", positive=positive) for m in markets}

    def day(self, data: Any, key: str) -> date:
        if isinstance(data, date):
            return data
        if isinstance(data, str):
            try:
                return date.fromisoformat(data)
            except ValueError:
                pass
        raise InputError(
            f"{key}: '{data}' is not a date (YYYY-MM-DD)",
            code="scoring.edition_bad_date",
            params={"key": key, "value": str(data)},
            source=self.path,
            field=key,
        )


def load_edition(path: Path) -> Edition:
    r = _Reader(path)
    top = r.mapping(
        load_yaml_file(path),
        "",
        (
            "id",
            "title",
            "effective_from",
            "sources",
            "markets",
            "designation",
            "metrics",
            "revenue",
            "usage",
            "freshness",
            "certifications",
        ),
    )
    sources = r.mapping(
        top["sources"], "sources", tuple(top["sources"]) if isinstance(top["sources"], dict) else ()
    )
    section_sources: dict[str, str] = {}

    def section(key: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, Any]:
        data = r.mapping(top[key], key, ("source", *required), optional)
        section_sources[key] = r.text(data["source"], f"{key}.source")
        return data

    markets_raw = section("markets", ("ids",))
    markets = r.ids(markets_raw["ids"], "markets.ids")

    designation = section("designation", ("min_total", "min_points_per_metric"))

    metrics_raw = r.mapping(top["metrics"], "metrics", METRIC_IDS)
    metrics = []
    for metric_id in METRIC_IDS:
        key = f"metrics.{metric_id}"
        raw = r.mapping(
            metrics_raw[metric_id], key, ("source", "category", "unit", "rule", "max_points", "full_at")
        )
        section_sources[key] = r.text(raw["source"], f"{key}.source")
        metrics.append(
            MetricRule(
                id=metric_id,
                category=r.text(raw["category"], f"{key}.category"),
                unit=r.text(raw["unit"], f"{key}.unit"),
                rule=r.text(raw["rule"], f"{key}.rule"),
                max_points=r.integer(raw["max_points"], f"{key}.max_points", 1, 100),
                full_at=r.per_market(raw["full_at"], f"{key}.full_at", markets, positive=True),
                source=raw["source"],
            )
        )

    revenue = section("revenue", ("min_revenue_usd_exclusive", "channels", "families", "workloads"))
    families_raw = r.mapping(
        revenue["families"],
        "revenue.families",
        tuple(revenue["families"]) if isinstance(revenue["families"], dict) else (),
    )
    families = {}
    for family, raw in families_raw.items():
        fam = r.mapping(raw, f"revenue.families.{family}", ("attributions",))
        families[str(family)] = frozenset(
            r.ids(fam["attributions"], f"revenue.families.{family}.attributions")
        )
    workloads_raw = r.mapping(
        revenue["workloads"],
        "revenue.workloads",
        tuple(revenue["workloads"]) if isinstance(revenue["workloads"], dict) else (),
    )
    revenue_workloads = {}
    for wid, raw in workloads_raw.items():
        key = f"revenue.workloads.{wid}"
        w = r.mapping(raw, key, ("name", "family"))
        family = r.text(w["family"], f"{key}.family")
        if family not in families:
            raise r.fail(f"{key}.family", f"'{family}' is not one of revenue.families")
        revenue_workloads[str(wid)] = RevenueWorkload(str(wid), r.text(w["name"], f"{key}.name"), family)

    usage = section("usage", ("attributions", "workloads", "rate_card", "baseline", "deployment_min"))
    usage_raw = r.mapping(
        usage["workloads"],
        "usage.workloads",
        tuple(usage["workloads"]) if isinstance(usage["workloads"], dict) else (),
    )
    usage_workloads = {}
    for wid, raw in usage_raw.items():
        key = f"usage.workloads.{wid}"
        w = r.mapping(raw, key, ("name",), ("covers",))
        covers = r.ids(w["covers"], f"{key}.covers") if "covers" in w else ()
        usage_workloads[str(wid)] = UsageWorkload(str(wid), r.text(w["name"], f"{key}.name"), covers)
    rates_raw = r.mapping(
        usage["rate_card"],
        "usage.rate_card",
        tuple(usage["rate_card"]) if isinstance(usage["rate_card"], dict) else (),
    )
    rate_card = {}
    covered = {c for w in usage_workloads.values() for c in w.covers}
    for wid, raw in rates_raw.items():
        key = f"usage.rate_card.{wid}"
        rate = r.mapping(raw, key, ("name", "rate", "unit"))
        if wid not in usage_workloads and wid not in covered:
            raise r.fail(key, "rates a workload that is not in usage.workloads (nor covered by one)")
        rate_card[str(wid)] = Rate(
            str(wid),
            r.text(rate["name"], f"{key}.name"),
            r.number(rate["rate"], f"{key}.rate"),
            r.text(rate["unit"], f"{key}.unit"),
        )

    freshness = section("freshness", ("monthly_data_available_day", "certification_delay_days"))
    certs_raw = section("certifications", ("file",))
    cert_path = path.parent / r.text(certs_raw["file"], "certifications.file")
    certifications = _load_certifications(cert_path)

    edition_id = r.text(top["id"], "id")
    return Edition(
        id=edition_id,
        title=r.text(top["title"], "title"),
        effective_from=r.day(top["effective_from"], "effective_from"),
        path=str(path),
        sources={str(k): r.text(v, f"sources.{k}") for k, v in sources.items()},
        markets=markets,
        min_total=r.number(designation["min_total"], "designation.min_total"),
        min_points_per_metric=r.number(
            designation["min_points_per_metric"], "designation.min_points_per_metric"
        ),
        metrics=tuple(metrics),
        min_revenue_usd_exclusive=r.number(
            revenue["min_revenue_usd_exclusive"], "revenue.min_revenue_usd_exclusive"
        ),
        channels=r.ids(revenue["channels"], "revenue.channels"),
        family_attributions=families,
        revenue_workloads=revenue_workloads,
        usage_attributions=frozenset(r.ids(usage["attributions"], "usage.attributions")),
        usage_workloads=usage_workloads,
        rate_card=rate_card,
        baseline=r.per_market(usage["baseline"], "usage.baseline", markets),
        deployment_min=r.per_market(usage["deployment_min"], "usage.deployment_min", markets, positive=True),
        monthly_data_available_day=r.integer(
            freshness["monthly_data_available_day"], "freshness.monthly_data_available_day", 1, 28
        ),
        certification_delay_days=r.integer(
            freshness["certification_delay_days"], "freshness.certification_delay_days", 0, 366
        ),
        certifications=certifications,
        section_sources=section_sources,
    )


def _load_certifications(path: Path) -> tuple[Certification, ...]:
    r = _Reader(path)
    top = r.mapping(load_yaml_file(path), "", ("source", *LEVELS))
    r.text(top["source"], "source")
    out: list[Certification] = []
    seen: dict[str, str] = {}
    for level in LEVELS:
        entries = top[level] or []
        if not isinstance(entries, list):
            raise r.fail(level, "must be a list")
        for i, raw in enumerate(entries, start=1):
            key = f"{level}[{i}]"
            entry = r.mapping(raw, key, ("name", "exams", "source"))
            cert = Certification(
                r.text(entry["name"], f"{key}.name"),
                level,
                r.ids(entry["exams"], f"{key}.exams"),
                r.text(entry["source"], f"{key}.source"),
            )
            for name in (cert.name, *cert.exams):
                folded = name.casefold()
                if seen.get(folded, level) != level:
                    raise r.fail(key, f"'{name}' is listed at both levels")
                seen[folded] = level
            out.append(cert)
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
