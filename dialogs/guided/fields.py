"""The summary inputs of a partner profile (RULES.md C.1) that the data dialog asks, in order.

The keys and their kinds come from :mod:`scoring.profile` (``SUMMARY_KEYS``); ``kind`` says how
an answer is read: ``market`` (larger/other), ``count`` (a whole number, zero or more),
``signed_count`` (a whole number that may be negative), ``amount`` (a number, zero or more).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, cast

from scoring.api import SUMMARY_KEYS, set_market, set_summary

Kind = Literal["market", "count", "signed_count", "amount"]

MARKET = "market"
NET_ADDS = "net_customer_adds"
WORKLOADS = ("qualifying_workloads_now", "qualifying_workloads_12_months_ago")


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind


FIELDS: tuple[Field, ...] = (
    Field(MARKET, "market"),
    *(Field(k.key, cast(Kind, k.kind)) for k in SUMMARY_KEYS),
)
"""The market, then the summary keys in the scoring module's order (RULES.md C.1)."""
BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}

SLOTS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.name not in WORKLOADS)
"""What the dialog asks by default: net customer adds stands for itself or the two workload counts."""


def stored(profile: Mapping[str, Any] | None, name: str) -> Any:
    """The stored value of one input, or ``None``."""
    if not profile:
        return None
    if name == MARKET:
        return profile.get(MARKET)
    metrics = profile.get("metrics")
    return metrics.get(name) if isinstance(metrics, Mapping) else None


def has_slot(profile: Mapping[str, Any] | None, slot: str) -> bool:
    """Whether a slot is answered: net customer adds also by both workload counts."""
    if slot == NET_ADDS:
        return stored(profile, NET_ADDS) is not None or all(stored(profile, w) is not None for w in WORKLOADS)
    return stored(profile, slot) is not None


def plain(value: Decimal) -> int | str:
    """A number as the profile stores it: an int when whole, else its decimal text."""
    return int(value) if value == value.to_integral_value() else str(value)


def with_value(profile: Mapping[str, Any] | None, name: str, value: Any) -> dict[str, Any]:
    """A copy of ``profile`` with one input set, checked by the scoring module.

    Net customer adds and the two workload counts are two ways of giving the same metric; setting
    one removes the other (:func:`scoring.profile.set_summary`).
    """
    if name == MARKET:
        return set_market(profile or {}, str(value))
    return set_summary(profile or {}, name, value)
