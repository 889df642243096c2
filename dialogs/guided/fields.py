"""The summary inputs of a partner profile (RULES.md C.1) that the data dialog asks, in order.

The keys and their kinds come from :mod:`scoring.profile` (``SUMMARY_KEYS``); ``kind`` says how
an answer is read: ``market`` (larger/other, 2022 rules), ``track`` (enterprise/smb, 2023 rules),
``count`` (a whole number, zero or more),
``signed_count`` (a whole number that may be negative), ``amount`` (a number, zero or more).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, cast

from scoring.api import SUMMARY_KEYS, set_market, set_summary, set_track

Kind = Literal["market", "track", "count", "signed_count", "amount"]

MARKET = "market"
TRACK = "track"
NET_ADDS = "net_customer_adds"
WORKLOADS = ("qualifying_workloads_now", "qualifying_workloads_12_months_ago")


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind


FIELDS: tuple[Field, ...] = (
    Field(MARKET, "market"),
    Field(TRACK, "track"),
    *(Field(k.key, cast(Kind, k.kind)) for k in SUMMARY_KEYS),
)
"""The market, then the summary keys in the scoring module's order (RULES.md C.1)."""
BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}

SLOTS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.name not in (*WORKLOADS, TRACK))
"""What the dialog asks by default under the 2022 rules: net customer adds stands for itself or the
two workload counts."""


def slots(segment_kind: str) -> tuple[str, ...]:
    """What the dialog asks under rules that classify by ``segment_kind``: the market (2022) or the
    track (2023) first, then the summary inputs."""
    if segment_kind == TRACK:
        return (TRACK, *(s for s in SLOTS if s != MARKET))
    return SLOTS


def stored(profile: Mapping[str, Any] | None, name: str) -> Any:
    """The stored value of one input, or ``None``."""
    if not profile:
        return None
    if name in (MARKET, TRACK):
        return profile.get(name)
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
    if name == TRACK:
        return set_track(profile or {}, str(value))
    return set_summary(profile or {}, name, value)
