"""Dated co-sell rule editions, read from ``config/cosell/*.yaml``.

An edition holds the status ladder, the requirements with their level and the offer types they
apply to, the offer type groups, the revenue threshold and the technical-validation default. The
evaluator reads everything from here; a new edition is a new file, chosen by id or by date (the
newest edition whose ``effective`` date is not later than the date asked for).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from kernel.errors import InputError
from kernel.files import config_dir, load_yaml_file
from scoring.cosell.contract import FACT_SPECS

StatusKind = Literal["ineligible", "base", "requirements"]
Rule = Literal["fact", "revenue", "fact_or_default"]
_RULE_KEYS: dict[str, set[str]] = {
    "fact": {"fact"},
    "revenue": {"threshold_usd", "organisation_fact", "transactable_fact", "offer_fact"},
    "fact_or_default": {"fact", "transactable_fact", "default_offer_types"},
}


@dataclass(frozen=True)
class Status:
    id: str
    kind: StatusKind
    requires: tuple[str, ...]
    levels: tuple[str, ...]
    offer_groups: tuple[str, ...] | None  # None: every eligible group
    source: str


@dataclass(frozen=True)
class Requirement:
    id: str
    level: str
    applies_to: tuple[str, ...] | None  # None: all offer types; else groups and/or offer types
    rule: Rule
    source: str
    fact: str | None = None
    threshold_usd: float | None = None
    organisation_fact: str | None = None
    transactable_fact: str | None = None
    offer_fact: str | None = None
    default_offer_types: tuple[str, ...] = ()

    def facts(self) -> tuple[str, ...]:
        """The facts this requirement reads, in the order worth asking them."""
        names = (self.organisation_fact, self.transactable_fact, self.offer_fact) if self.rule == "revenue" \
            else (self.transactable_fact, self.fact) if self.rule == "fact_or_default" else (self.fact,)
        return tuple(n for n in names if n)


@dataclass(frozen=True)
class Edition:
    id: str
    name: str
    effective: dt.date
    source: Mapping[str, str]
    groups: Mapping[str, tuple[str, ...]]
    statuses: tuple[Status, ...]
    requirements: tuple[Requirement, ...]
    path: str

    @property
    def offer_type_ids(self) -> tuple[str, ...]:
        return tuple(t for types in self.groups.values() for t in types)

    def group_of(self, offer_type: str) -> str:
        for group, types in self.groups.items():
            if offer_type in types:
                return group
        raise InputError(f"'{offer_type}' is not a known offer type", code="cosell_unknown_offer_type",
                         params={"value": offer_type}, field="type")

    def status(self, status_id: str) -> Status:
        return next(s for s in self.statuses if s.id == status_id)

    def ineligible_status(self, offer_type: str) -> Status | None:
        group = self.group_of(offer_type)
        return next((s for s in self.statuses if s.kind == "ineligible" and s.offer_groups
                     and group in s.offer_groups), None)

    def ladder(self, offer_type: str) -> tuple[Status, ...]:
        """The statuses an eligible offer of this type can have, lowest to highest."""
        group = self.group_of(offer_type)
        return tuple(s for s in self.statuses if s.kind != "ineligible"
                     and (s.offer_groups is None or group in s.offer_groups))

    def applies(self, requirement: Requirement, offer_type: str) -> bool:
        if requirement.applies_to is None:
            return True
        return offer_type in requirement.applies_to or self.group_of(offer_type) in requirement.applies_to

    def requirements_for(self, offer_type: str) -> tuple[Requirement, ...]:
        if self.ineligible_status(offer_type) is not None:
            return ()
        return tuple(r for r in self.requirements if self.applies(r, offer_type))

    def needed_for(self, status: Status, offer_type: str) -> tuple[Requirement, ...]:
        """Requirements (applying to the type) that ``status`` itself names, in work order."""
        return tuple(r for r in self.requirements_for(offer_type)
                     if r.id in status.requires or r.level in status.levels)


def _fail(path: Path, message: str, field: str | None = None) -> InputError:
    return InputError(f"co-sell edition: {message}", code="cosell_edition", params={"problem": message},
                      source=str(path), field=field)


def _strs(value: Any, path: Path, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, "must be a list of names", field)
    return tuple(value)


def _keys(entry: Mapping[str, Any], allowed: set[str], required: set[str], path: Path, where: str) -> None:
    unknown = sorted(set(map(str, entry)) - allowed)
    if unknown:
        raise _fail(path, f"unknown key '{unknown[0]}'", f"{where}.{unknown[0]}")
    missing = sorted(required - set(map(str, entry)))
    if missing:
        raise _fail(path, f"'{missing[0]}' is missing", f"{where}.{missing[0]}")


def parse_edition(data: Any, path: Path) -> Edition:
    if not isinstance(data, Mapping):
        raise _fail(path, "must be a mapping")
    _keys(data, {"id", "name", "effective", "source", "offer_types", "statuses", "requirements"},
          {"id", "name", "effective", "source", "offer_types", "statuses", "requirements"}, path, "edition")
    if not isinstance(data["effective"], dt.date):
        raise _fail(path, "'effective' must be a date (YYYY-MM-DD)", "effective")
    if not isinstance(data["source"], Mapping) or not data["source"]:
        raise _fail(path, "'source' must name where the rules come from", "source")
    groups: dict[str, tuple[str, ...]] = {}
    seen_types: set[str] = set()
    if not isinstance(data["offer_types"], Mapping):
        raise _fail(path, "'offer_types' must map groups to {value, source}", "offer_types")
    for group, entry in data["offer_types"].items():
        where = f"offer_types.{group}"
        if not isinstance(entry, Mapping):
            raise _fail(path, "must be {value, source}", where)
        _keys(entry, {"value", "source"}, {"value", "source"}, path, where)
        types = _strs(entry["value"], path, f"{where}.value")
        for t in types:
            if t in seen_types:
                raise _fail(path, f"offer type '{t}' is in two groups", where)
            seen_types.add(t)
        groups[str(group)] = types
    statuses: list[Status] = []
    if not isinstance(data["statuses"], list):
        raise _fail(path, "'statuses' must be a list, lowest first", "statuses")
    for i, entry in enumerate(data["statuses"]):
        where = f"statuses[{i}]"
        if not isinstance(entry, Mapping):
            raise _fail(path, "must be a mapping", where)
        _keys(entry, {"id", "kind", "requires", "levels", "offer_groups", "source"}, {"id", "kind", "source"},
              path, where)
        if entry["kind"] not in ("ineligible", "base", "requirements"):
            raise _fail(path, f"unknown status kind '{entry['kind']}'", f"{where}.kind")
        offer_groups = _strs(entry["offer_groups"], path, f"{where}.offer_groups") \
            if "offer_groups" in entry else None
        for g in offer_groups or ():
            if g not in groups:
                raise _fail(path, f"unknown offer type group '{g}'", f"{where}.offer_groups")
        statuses.append(Status(str(entry["id"]), entry["kind"],
                               _strs(entry.get("requires", []), path, where),
                               _strs(entry.get("levels", []), path, where), offer_groups,
                               str(entry["source"])))
    status_ids = [s.id for s in statuses]
    if len(set(status_ids)) != len(status_ids):
        raise _fail(path, "a status id appears twice", "statuses")
    requirements: list[Requirement] = []
    if not isinstance(data["requirements"], list):
        raise _fail(path, "'requirements' must be a list in work order", "requirements")
    for i, entry in enumerate(data["requirements"]):
        where = f"requirements[{i}]"
        if not isinstance(entry, Mapping):
            raise _fail(path, "must be a mapping", where)
        rule = entry.get("rule")
        if rule not in _RULE_KEYS:
            raise _fail(path, f"unknown rule '{rule}'", f"{where}.rule")
        base = {"id", "level", "applies_to", "rule", "source"}
        _keys(entry, base | _RULE_KEYS[rule], base | _RULE_KEYS[rule], path, where)
        if entry["level"] not in status_ids:
            raise _fail(path, f"level '{entry['level']}' is not a status", f"{where}.level")
        applies_to = None if entry["applies_to"] == "all" else _strs(entry["applies_to"], path, where)
        for name in applies_to or ():
            if name not in groups and name not in seen_types:
                raise _fail(path, f"'{name}' is neither an offer type nor a group", f"{where}.applies_to")
        for key in ("fact", "organisation_fact", "transactable_fact", "offer_fact"):
            if key in entry and entry[key] not in FACT_SPECS:
                raise _fail(path, f"unknown fact '{entry[key]}'", f"{where}.{key}")
        threshold = entry.get("threshold_usd")
        if threshold is not None and (not isinstance(threshold, int | float) or threshold < 0):
            raise _fail(path, "'threshold_usd' must be a non-negative number", f"{where}.threshold_usd")
        defaults = _strs(entry.get("default_offer_types", []), path, where)
        for t in defaults:
            if t not in seen_types:
                raise _fail(path, f"unknown offer type '{t}'", f"{where}.default_offer_types")
        requirements.append(Requirement(
            id=str(entry["id"]), level=str(entry["level"]), applies_to=applies_to, rule=rule,
            source=str(entry["source"]), fact=entry.get("fact"),
            threshold_usd=None if threshold is None else float(threshold),
            organisation_fact=entry.get("organisation_fact"),
            transactable_fact=entry.get("transactable_fact"),
            offer_fact=entry.get("offer_fact"), default_offer_types=defaults))
    req_ids = {r.id for r in requirements}
    if len(req_ids) != len(requirements):
        raise _fail(path, "a requirement id appears twice", "requirements")
    for s in statuses:
        for r in s.requires:
            if r not in req_ids:
                raise _fail(path, f"status '{s.id}' requires unknown requirement '{r}'", "statuses")
    return Edition(str(data["id"]), str(data["name"]), data["effective"],
                   {str(k): str(v) for k, v in data["source"].items()}, groups, tuple(statuses),
                   tuple(requirements), str(path))


def load_editions(folder: Path | None = None) -> tuple[Edition, ...]:
    """Every edition in ``folder`` (default ``config/cosell``), oldest first."""
    return _load(folder or config_dir() / "cosell")


@functools.cache
def _load(folder: Path) -> tuple[Edition, ...]:
    editions = [parse_edition(load_yaml_file(p), p) for p in sorted(folder.glob("*.yaml"))]
    if not editions:
        raise InputError("no co-sell edition found", code="cosell_no_edition", params={"on": "-"},
                         source=str(folder))
    ids = [e.id for e in editions]
    if len(set(ids)) != len(ids):
        raise InputError("two co-sell editions have the same id", code="cosell_edition",
                         params={"problem": "duplicate id"}, source=str(folder))
    return tuple(sorted(editions, key=lambda e: e.effective))


def edition(name: str | None = None, *, on: dt.date | None = None, folder: Path | None = None) -> Edition:
    """The edition named ``name``, else the newest one in force ``on`` that date (default today)."""
    editions = load_editions(folder)
    if name is not None:
        for e in editions:
            if e.id == name:
                return e
        raise InputError(f"unknown co-sell edition '{name}' (known: {', '.join(e.id for e in editions)})",
                         code="cosell_unknown_edition",
                         params={"name": name, "known": ", ".join(e.id for e in editions)}, field="edition")
    day = on or dt.date.today()
    in_force = [e for e in editions if e.effective <= day]
    if not in_force:
        raise InputError(f"no co-sell edition is in force on {day.isoformat()}", code="cosell_no_edition",
                         params={"on": day.isoformat()}, field="edition")
    return in_force[-1]


find_edition = edition  # for modules whose functions take an ``edition`` argument
