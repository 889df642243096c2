"""A stated change ("2 more advanced people", "consumption up by 10 %", "deployments to 12") turned
into scoring's inputs, in one place for the what-if and the update answers.

A :class:`Change` says *what* an admin stated, neutrally: a metric, an amount, whether it is added
(``mode="add"``; negative amounts remove) or is the new value (``mode="set"``), whether the amount
is a count/value (``unit="count"``) or a percentage (``unit="percent"``), and whether it is about the
comparison month (``past``, "12 months ago" under a 12-month window). :func:`apply_changes` resolves
a list of them against a scored profile into new values of the C.1 summary keys (RULES.md C.1), with
these meanings:

============================  ============================================================================
people, deployments           ``add`` adds that many; ``set`` is the new count; a percentage ``add``
                              adds that share of today's count ("10 % more deployments")
usage growth, ``count``       an amount of monthly consumption value: ``add`` adds to the consumption
                              now ("up by 2,000"), ``set`` is the new consumption ("drops to 95,000")
usage growth, ``percent``     ``add`` grows today's consumption by that share ("usage increases by 10 %"
                              = consumption now × 1.10); ``set`` is the growth itself ("growth to 20 %"
                              = consumption 12 months ago × 1.20)
net customer adds             ``add`` adds workloads now ("2 more customers"); ``set`` is the new number
                              of net customer adds; ``stated="qualifying_workloads"`` states a count of
                              qualifying workloads (now, or with ``past`` 12 months ago)
============================  ============================================================================

Several changes of one value apply in order. The result is checked the way a stored profile is:
whole numbers for counts, nothing below zero (net customer adds may be), and a change needs the value
it changes (10 % of an unknown consumption is refused, never guessed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from kernel.errors import InputError
from scoring.editions import get_edition
from scoring.profile import SUMMARY_KEYS
from scoring.results import ScoreResult

Mode = Literal["add", "set"]
Unit = Literal["count", "percent"]

MODES: tuple[Mode, ...] = ("add", "set")
UNITS: tuple[Unit, ...] = ("count", "percent")

_KIND = {k.key: k.kind for k in SUMMARY_KEYS}
_METRIC_OF = {k.key: k.metric for k in SUMMARY_KEYS}
# The summary key a metric's stated value is about: (now, the month the edition compares with).
_KEYS: Mapping[str, tuple[str, str | None]] = {
    "intermediate_certifications": ("intermediate_certified_people", None),
    "advanced_certifications": ("advanced_certified_people", None),
    "usage_growth": ("consumption_now", "consumption_12_months_ago"),
    "deployments": ("deployments_now", "deployments_12_months_ago"),
}
_WORKLOADS = ("qualifying_workloads_now", "qualifying_workloads_12_months_ago")


@dataclass(frozen=True)
class Change:
    """One stated change of a metric (see the module text for what each combination means)."""

    metric: str
    amount: Decimal
    mode: Mode = "add"
    unit: Unit = "count"
    past: bool = False
    """About the value of 12 months ago ("consumption 12 months ago was 90,000")."""
    stated: str | None = None
    """For ``net_customer_adds``: ``qualifying_workloads`` when a count of qualifying workloads was
    stated ("40 qualifying workloads") rather than net customer adds themselves."""

    @property
    def relative(self) -> bool:
        return self.mode == "add"

    @property
    def percent(self) -> bool:
        return self.unit == "percent"

    def to_json(self) -> dict[str, object]:
        amount = self.amount
        number: int | float | str = (str(amount) if amount.is_finite() and amount.adjusted() > 15
                                     else int(amount) if amount == amount.to_integral_value()
                                     else float(amount))
        out: dict[str, object] = {"metric": self.metric, "amount": number, "mode": self.mode,
                                  "unit": self.unit, "past": self.past}
        return {**out, "stated": self.stated} if self.stated else out


@dataclass(frozen=True)
class AppliedChanges:
    """What a list of changes means for a profile.

    ``values``: the summary keys the changes set, with their new values (what an update stores);
    ``before``: the values they replace (``None`` when not given); ``units``: metric id → what that
    means as added units now (people, adds, deployments, consumption value), the form of
    :attr:`WhatIfResult.changes`."""

    values: Mapping[str, Fraction]
    before: Mapping[str, Fraction | None]
    units: Mapping[str, Fraction]

    def metrics(self) -> set[str]:
        return {_METRIC_OF[k] for k in self.values}


def apply_changes(result: ScoreResult, changes: Iterable[Change]) -> AppliedChanges:
    """The summary values after ``changes`` to the scored profile ``result`` (see the module text).

    Raises :class:`InputError` (``scoring.change_*``) when a change cannot be applied: an unknown
    metric, a percentage or an addition of a value that is not known, a count that is no longer whole,
    a value below zero, a growth percentage of the month the edition compares with. The error's
    ``months`` param is that edition's comparison window (the names of the inputs say it).
    """
    try:
        return _apply(result, changes)
    except InputError as err:
        err.params.setdefault("months", get_edition(result.edition).comparison_months)
        raise


def _apply(result: ScoreResult, changes: Iterable[Change]) -> AppliedChanges:
    known: dict[str, Fraction] = {}
    for metric in result.metrics:
        known.update(metric.inputs)
    values: dict[str, Fraction] = {}

    def current(key: str) -> Fraction:
        if key in values:
            return values[key]
        if key not in known:
            raise _error("change_needs_value", key)
        return known[key]

    for change in changes:
        amount = Fraction(change.amount)
        if change.metric == "net_customer_adds":
            _net_customer_adds(change, amount, known, values, current)
            continue
        if change.metric not in _KEYS:
            raise InputError(f"unknown metric '{change.metric}'", code="scoring.unknown_metric",
                             params={"metric": change.metric, "known": ", ".join(_KEYS)})
        now_key, past_key = _KEYS[change.metric]
        key = past_key if change.past and past_key else now_key
        if change.unit == "percent":
            if change.metric == "usage_growth" and change.mode == "set":
                if change.past:
                    raise _error("change_percent_past", key)
                values[key] = current("consumption_12_months_ago") * (1 + amount / 100)
            elif change.mode == "set":
                raise _error("change_percent_count", key)
            else:
                values[key] = current(key) * (1 + amount / 100)
        elif change.mode == "set":
            values[key] = amount
        else:
            values[key] = current(key) + amount
    if any(k in values for k in _WORKLOADS):
        for key in _WORKLOADS:  # both counts are stored together (they replace net customer adds)
            values.setdefault(key, current(key))
    for key, value in values.items():
        _check(key, value)
    return AppliedChanges(values, {k: known.get(k) for k in values}, _units(result, values, known))


def _units(result: ScoreResult, values: Mapping[str, Fraction],
           known: Mapping[str, Fraction]) -> dict[str, Fraction]:
    units: dict[str, Fraction] = {}
    for metric in result.metrics:
        if metric.id == "net_customer_adds":
            if "net_customer_adds" in values:
                after = values["net_customer_adds"]
            elif _WORKLOADS[0] in values:
                after = values[_WORKLOADS[0]] - values[_WORKLOADS[1]]
            else:
                continue
            units[metric.id] = after - (metric.value or Fraction(0))
        else:
            now_key = _KEYS[metric.id][0]
            if now_key in values:
                units[metric.id] = values[now_key] - known.get(now_key, Fraction(0))
    return {k: v for k, v in units.items() if v}


def _net_customer_adds(change: Change, amount: Fraction, known: Mapping[str, Fraction],
                       values: dict[str, Fraction], get: Callable[[str], Fraction]) -> None:
    if change.unit == "percent":
        raise _error("change_percent_count", "net_customer_adds")
    if change.stated == "qualifying_workloads":
        key = _WORKLOADS[1] if change.past else _WORKLOADS[0]
        values[key] = amount if change.mode == "set" else get(key) + amount
    elif "net_customer_adds" in known or "net_customer_adds" in values or not (
        _WORKLOADS[0] in known or _WORKLOADS[0] in values
    ):
        key = "net_customer_adds"
        values[key] = amount if change.mode == "set" else get(key) + amount
    elif change.mode == "set":  # the workloads now that give that many adds
        values[_WORKLOADS[0]] = get(_WORKLOADS[1]) + amount
    else:  # "2 more customers": two more qualifying workloads now
        values[_WORKLOADS[0]] = get(_WORKLOADS[0]) + amount


def _check(key: str, value: Fraction) -> None:
    kind = _KIND[key]
    if kind != "amount" and value.denominator != 1:
        raise _error("change_not_whole", key, value)
    if kind != "signed_count" and value < 0:
        raise _error("change_negative", key, value)


def _error(code: str, key: str, value: Fraction | None = None) -> InputError:
    params: dict[str, object] = {"key_label": f"scoring.summary.{key}"}
    if value is not None:  # written in the reader's language when shown ("1,500.5" / "1.500,5")
        params["value_number"] = str(value)
    return InputError(f"{key}: {code.replace('change_', '').replace('_', ' ')}", code=f"scoring.{code}",
                      params=params)
