"""Typed results of the scoring engine. Every number is exact (:class:`fractions.Fraction`);
``shown_*`` properties give the half-up rounded :class:`decimal.Decimal` a person sees.

Texts are never stored here: a :class:`Notice` or :class:`Explanation` carries a catalog key and
its parameters, and ``render(lang)`` produces English or Dutch from ``config/texts/scoring.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kernel.formatting import unit_name
from kernel.texts import catalog
from scoring.months import Month
from scoring.numbers import format_below, format_number, json_number, round_half_up

Param = Fraction | int | str | None


def _render_params(params: Mapping[str, Any], lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in params.items():
        if isinstance(value, Fraction | Decimal | int) and not isinstance(value, bool):
            out[key] = format_number(value, lang)
        elif isinstance(value, tuple | list):
            out[key] = ", ".join(str(v) for v in value)
        else:
            out[key] = "" if value is None else str(value)
    return out


@dataclass(frozen=True)
class Notice:
    """A warning or a reason, as data: ``code`` names catalog key ``scoring.notice.<code>``.

    ``metric`` is the metric it is about (or ``None`` for the whole result). ``params`` hold exact
    numbers and ids; ``render`` formats the numbers for the language, and a param ``<name>_label``
    (a catalog key, such as a track's name) is shown as ``{<name>}`` in the language.
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    metric: str | None = None

    @property
    def key(self) -> str:
        return f"scoring.notice.{self.code}"

    def render(self, lang: str = "en") -> str:
        params = _render_params(self.params, lang)
        minimum = self.params.get("minimum")
        if minimum is not None:  # a value reported against a minimum never reads as reaching it
            for name in ("total", "points"):
                if isinstance(self.params.get(name), Fraction | Decimal | int):
                    params[name] = format_below(self.params[name], minimum, lang)
        if self.metric:
            params.setdefault("metric", catalog().text(f"scoring.metric.{self.metric}", lang))
        for name, value in self.params.items():  # ``<name>_label``: a catalog key, shown as ``{<name>}``
            if name.endswith("_label"):
                params[name.removesuffix("_label")] = catalog().text(str(value), lang, **params)
        for name, value in self.params.items():  # "(1 row)", "(2 rijen)": ``<key>.<name>`` names the unit
            unit = f"{self.key}.{name}"
            number = isinstance(value, Fraction | Decimal | int) and not isinstance(value, bool)
            if number and catalog().has(unit):
                params[f"{name}_unit"] = unit_name(unit, value, lang)
        return catalog().text(self.key, lang, **params)

    def to_json(self) -> dict[str, Any]:
        params = {k: (json_number(v) if isinstance(v, Fraction) else v) for k, v in self.params.items()}
        out: dict[str, Any] = {"code": self.code, "params": params}
        if self.metric:
            out["metric"] = self.metric
        return out


@dataclass(frozen=True)
class Explanation:
    """How a metric's points came about: the formula (catalog ``key``) with its numbers filled in.

    ``rule`` is the section of RULES.md (e.g. ``"A.4"``), ``edition`` the rule edition id.
    """

    key: str
    params: Mapping[str, Any]
    rule: str
    edition: str

    def render(self, lang: str = "en") -> str:
        return catalog().text(self.key, lang, **_render_params(self.params, lang))


@dataclass(frozen=True)
class MetricResult:
    """One of the five metrics of A.3.

    ``value``: adds, people or deployments (an integer), or growth in percent; ``None`` when it
    cannot be computed (``reason`` says why: ``missing_input``, ``baseline_not_met``).
    ``inputs`` are the numbers it used (summary keys such as ``consumption_now``), ``input_source``
    is ``"summary"`` or ``"records"`` (``None`` when missing), ``missing`` names missing summary keys.
    """

    id: str
    category: str
    unit: str
    value: Fraction | None
    points: Fraction
    max_points: int
    full_at: Fraction
    inputs: Mapping[str, Fraction]
    input_source: str | None
    explanation: Explanation
    reason: str | None = None
    missing: tuple[str, ...] = ()

    @property
    def shown_points(self) -> Decimal:
        return round_half_up(self.points)

    @property
    def shown_value(self) -> Decimal | None:
        return None if self.value is None else round_half_up(self.value)

    @property
    def complete(self) -> bool:
        return not self.missing

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "value": json_number(self.value),
            "points": float(self.shown_points),
            "max_points": self.max_points,
            "full_at": json_number(self.full_at),
        }
        if self.reason:
            out["reason"] = self.reason
        if self.missing:
            out["missing"] = list(self.missing)
        return out


@dataclass(frozen=True)
class RowCount:
    """Rows of one record kind (``revenue``, ``usage``, ``certifications``): how many were used, and
    how many were ignored per reason (``other_month``, ``workload_not_eligible``,
    ``inactive_subscription``, ``ineligible_attribution``, ``workload_without_rate``,
    ``same_person`` for further certifications of a person already counted)."""

    kind: str
    used: int
    ignored: Mapping[str, int]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "used": self.used, "ignored": dict(self.ignored)}


@dataclass(frozen=True)
class WindowMonth:
    """One month of the qualification window (RULES-2023.md A′.2) for which there is data."""

    month: Month
    total: Fraction
    designation_met: bool | None

    def to_json(self) -> dict[str, Any]:
        return {
            "month": str(self.month),
            "total": float(round_half_up(self.total)),
            "designation_met": self.designation_met,
        }


@dataclass(frozen=True)
class ScoreResult:
    """The partner capability score of one profile for one month under one rule edition.

    ``total`` is exact; ``designation_met`` is ``True``/``False``, or ``None`` when inputs are
    missing and the known ones do not decide it (``missing_inputs`` names them). ``not_met`` holds
    the reasons the designation is not met (codes ``total_below_minimum``, ``metric_below_minimum``,
    ``missing_input``); ``warnings`` are :class:`Notice` objects (``baseline_not_met``,
    ``workload_without_rate``, ``metric_blocks_designation``, ``next_month_drop``).
    """

    partner: str | None
    market: str
    evaluated_month: Month
    edition: str
    metrics: tuple[MetricResult, ...]
    total: Fraction
    designation_met: bool | None
    min_total: Fraction
    not_met: tuple[Notice, ...]
    warnings: tuple[Notice, ...]
    rows: tuple[RowCount, ...]
    missing_inputs: tuple[str, ...]
    segment_kind: str = "market"
    """``market`` (2022 editions: ``market`` holds larger/other) or ``track`` (2023: enterprise/smb)."""
    window: tuple[WindowMonth, ...] = ()
    """Under a qualification window: the evaluated month first, then earlier months with data."""
    window_without_data: tuple[Month, ...] = ()
    """Under a qualification window: its months for which there is no data, latest first."""

    @property
    def track(self) -> str | None:
        return self.market if self.segment_kind == "track" else None

    @property
    def qualified_in(self) -> WindowMonth | None:
        """The latest month of the window in which the designation was met (``None``: none known)."""
        return next((w for w in self.window if w.designation_met), None)

    @property
    def shown_total(self) -> Decimal:
        return round_half_up(self.total)

    def metric(self, metric_id: str) -> MetricResult:
        for metric in self.metrics:
            if metric.id == metric_id:
                return metric
        raise KeyError(metric_id)

    def to_json(self) -> dict[str, Any]:
        """The object of RULES.md C.2 (plus ``not_met``, ``warnings``, ``rows``, ``missing_inputs``);
        under a 2023 edition ``track`` instead of ``market`` and, with a qualification window,
        ``window``, ``qualified_in_window`` and ``window_without_data`` (RULES-2023.md C′)."""
        out: dict[str, Any] = {
            "partner": self.partner,
            "rules": self.edition,
            self.segment_kind: self.market,
            "evaluated_month": str(self.evaluated_month),
            "total": float(self.shown_total),
            "designation_met": self.designation_met,
            "metrics": [m.to_json() for m in self.metrics],
            "not_met": [n.to_json() for n in self.not_met],
            "warnings": [w.to_json() for w in self.warnings],
            "rows": [r.to_json() for r in self.rows],
            "missing_inputs": list(self.missing_inputs),
        }
        if self.window:
            out["window"] = [w.to_json() for w in self.window]
            out["qualified_in_window"] = self.qualified_in is not None
            out["window_without_data"] = [str(m) for m in self.window_without_data]
        return out


@dataclass(frozen=True)
class MetricGap:
    """A.10 for one metric. Units: people, adds, deployments, or monthly consumption value (whole
    units, rounded up) for ``usage_growth``. A ``None`` gap comes with its reason code
    (``max_reason`` / ``designation_reason``: ``baseline_not_met``, ``missing_input``,
    ``other_metric_below_minimum`` (``blocking`` names them), ``total_short_at_max``)."""

    id: str
    unit: str
    units_to_max: Fraction | None
    units_to_designation: Fraction | None
    max_reason: str | None = None
    designation_reason: str | None = None
    blocking: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "unit": self.unit,
            "units_to_max": json_number(self.units_to_max),
            "units_to_designation": json_number(self.units_to_designation),
        }
        if self.max_reason:
            out["max_reason"] = self.max_reason
        if self.designation_reason:
            out["reason"] = self.designation_reason
        if self.blocking:
            out["blocking"] = list(self.blocking)
        return out


@dataclass(frozen=True)
class PlanStep:
    """Add ``units`` to metric ``id`` (for ``usage_growth``: monthly consumption value; ``percent``
    is the growth percentage points this adds)."""

    id: str
    unit: str
    units: Fraction
    points_before: Fraction
    points_after: Fraction
    percent: Fraction | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "unit": self.unit,
            "units": json_number(self.units),
            "points_before": json_number(self.points_before),
            "points_after": json_number(self.points_after),
        }
        if self.percent is not None:
            out["growth_percent_points"] = json_number(self.percent)
        return out


@dataclass(frozen=True)
class PlanResult:
    """A.10 plan: the increases (only metrics that change) after which the designation holds.

    ``feasible`` is ``False`` when no plan exists (``reason`` says why). ``steps`` is empty when the
    designation already holds. ``total_after`` is the exact total after the plan.
    """

    feasible: bool
    steps: tuple[PlanStep, ...]
    total_after: Fraction | None
    cost: Fraction | None
    reason: Notice | None = None

    def to_json(self) -> list[dict[str, Any]]:
        return [s.to_json() for s in self.steps]


@dataclass(frozen=True)
class GapResult:
    """Per-metric gaps and a plan (RULES.md C.3)."""

    result: ScoreResult
    metrics: tuple[MetricGap, ...]
    plan: PlanResult

    def metric(self, metric_id: str) -> MetricGap:
        for gap in self.metrics:
            if gap.id == metric_id:
                return gap
        raise KeyError(metric_id)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "partner": self.result.partner,
            "rules": self.result.edition,
            self.result.segment_kind: self.result.market,
            "evaluated_month": str(self.result.evaluated_month),
            "designation_met": self.result.designation_met,
            "metrics": [g.to_json() for g in self.metrics],
            "plan": self.plan.to_json(),
        }
        if not self.plan.feasible and self.plan.reason is not None:
            out["plan_reason"] = self.plan.reason.to_json()
        return out


@dataclass(frozen=True)
class WhatIfResult:
    """``before`` and ``after`` a hypothetical change; ``difference`` is after − before (total) and
    ``metric_differences`` the same per metric id (points)."""

    changes: Mapping[str, Fraction]
    before: ScoreResult
    after: ScoreResult
    difference: Fraction
    metric_differences: Mapping[str, Fraction]
