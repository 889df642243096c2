"""Dated co-sell rule editions, read from ``config/cosell/*.yaml``.

An edition holds the status ladder, the requirements with their level and the offer types they
apply to, the offer type groups, the revenue threshold and the technical-validation default. The
evaluator reads everything from here; a new edition is a new file, chosen by id or by date (the
newest edition whose ``effective_from`` date is not later than the date asked for).

The file has the shape of every rule edition (:mod:`scoring.rulefile`: ``id``, ``title``,
``effective_from``, ``documented``, ``sources``, ``readings``, a ``source`` per value or group) and
is validated by declared models; an error names the file and the key (code ``cosell_edition``).
Statuses may list ``aliases`` (ids an earlier edition used, e.g. ``on_market`` for ``in_market``)
and requirements ``fact_aliases`` (facts read when the fact itself is unknown, e.g. ``isv_connect``
for ``isv_program``). Amounts are exact (:class:`fractions.Fraction`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from kernel import clock
from kernel.errors import InputError
from kernel.files import config_dir, load_yaml_file
from kernel.texts import catalog
from scoring.cosell.contract import FACT_SPECS
from scoring.rulefile import Amount, Header, Strict, invalid, validate_file
from scoring.wording import edition_words

StatusKind = Literal["ineligible", "base", "requirements"]
Rule = Literal["fact", "revenue", "fact_or_default"]
_RULE_KEYS: dict[str, tuple[set[str], set[str]]] = {  # rule → (required keys, optional keys)
    "fact": ({"fact"}, {"fact_aliases", "azure_share_percent"}),
    "revenue": ({"threshold_usd", "window_months", "organisation_fact", "offer_fact"}, {"transactable_fact"}),
    "fact_or_default": ({"fact", "transactable_fact", "default_offer_types"},
                        {"fact_aliases", "azure_share_percent"}),
}
_CODE = "cosell_edition"


def public_amount(amount: Fraction | None) -> int | Decimal | None:
    """An exact amount for callers that store or show it: ``int`` when whole, else ``Decimal``."""
    if amount is None:
        return None
    if amount.denominator == 1:
        return int(amount)
    return Decimal(amount.numerator) / Decimal(amount.denominator)


@dataclass(frozen=True)
class Status:
    id: str
    kind: StatusKind
    requires: tuple[str, ...]
    levels: tuple[str, ...]
    offer_groups: tuple[str, ...] | None  # None: every eligible group
    source: str
    aliases: tuple[str, ...] = ()
    missed_note: str | None = None
    """Catalog key ``cosell.note.<missed_note>``: said when an offer of this status's ladder reaches
    the status just below it but not this one (the MACC note of Azure IP co-sell eligible)."""


@dataclass(frozen=True)
class Requirement:
    id: str
    level: str
    applies_to: tuple[str, ...] | None  # None: all offer types; else groups and/or offer types
    rule: Rule
    source: str
    fact: str | None = None
    threshold_usd: int | Decimal | None = None
    window_months: int | None = None
    """A revenue requirement: the trailing months the revenue is counted over."""
    azure_share_percent: int | None = None
    """The technical validation of an edition that names it: more than this share of the offer's
    infrastructure is repeatable IP on Azure."""
    organisation_fact: str | None = None
    transactable_fact: str | None = None
    offer_fact: str | None = None
    default_offer_types: tuple[str, ...] = ()
    fact_aliases: tuple[str, ...] = ()

    @property
    def threshold(self) -> Fraction | None:
        """The exact amount of a revenue requirement."""
        return None if self.threshold_usd is None else Fraction(self.threshold_usd)

    def facts(self) -> tuple[str, ...]:
        """The facts this requirement reads, in the order worth asking them."""
        names = (self.organisation_fact, self.transactable_fact, self.offer_fact) if self.rule == "revenue" \
            else (self.transactable_fact, self.fact) if self.rule == "fact_or_default" else (self.fact,)
        return tuple(n for n in names if n)


@dataclass(frozen=True)
class Edition:
    id: str
    title: str
    effective_from: dt.date
    documented: dt.date
    sources: Mapping[str, str]
    readings: Mapping[str, str]
    groups: Mapping[str, tuple[str, ...]]
    statuses: tuple[Status, ...]
    requirements: tuple[Requirement, ...]
    path: str

    @property
    def effective(self) -> dt.date:
        """Same as ``effective_from`` (the name of the first co-sell edition's shape)."""
        return self.effective_from

    @property
    def name(self) -> str:
        return self.title

    @property
    def offer_type_ids(self) -> tuple[str, ...]:
        return tuple(t for types in self.groups.values() for t in types)

    def group_of(self, offer_type: str) -> str:
        for group, types in self.groups.items():
            if offer_type in types:
                return group
        raise InputError(f"'{offer_type}' is not a known offer type", code="cosell_unknown_offer_type",
                         params={"value": offer_type}, field="type")

    def status_id(self, status_id: str) -> str:
        """The id this edition uses for ``status_id`` (itself, or the status it is an alias of)."""
        for s in self.statuses:
            if status_id == s.id or status_id in s.aliases:
                return s.id
        raise KeyError(status_id)

    def status(self, status_id: str) -> Status:
        wanted = self.status_id(status_id)
        return next(s for s in self.statuses if s.id == wanted)

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


class _Group(Strict):
    value: tuple[str, ...]
    source: str


class _Status(Strict):
    id: str
    kind: StatusKind
    requires: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    offer_groups: tuple[str, ...] | None = None
    aliases: tuple[str, ...] = ()
    missed_note: str | None = None
    source: str


class _Requirement(Strict):
    id: str
    level: str
    applies_to: Literal["all"] | tuple[str, ...]
    rule: Rule
    source: str
    fact: str | None = None
    fact_aliases: tuple[str, ...] = ()
    threshold_usd: Amount | None = None
    window_months: Annotated[int, Field(ge=1, le=36)] | None = None
    azure_share_percent: Annotated[int, Field(ge=1, le=100)] | None = None
    organisation_fact: str | None = None
    transactable_fact: str | None = None
    offer_fact: str | None = None
    default_offer_types: tuple[str, ...] = ()


class _EditionFile(Header):
    offer_types: dict[str, _Group]
    statuses: list[_Status]
    requirements: list[_Requirement]


def parse_edition(data: object, path: Path) -> Edition:
    f: _EditionFile = validate_file(_EditionFile, data, path, _CODE)
    groups: dict[str, tuple[str, ...]] = {}
    seen_types: set[str] = set()
    for group, entry in f.offer_types.items():
        for t in entry.value:
            if t in seen_types:
                raise invalid(path, f"offer_types.{group}", f"offer type '{t}' is in two groups", _CODE)
            seen_types.add(t)
        groups[group] = entry.value
    status_ids: list[str] = []
    for i, status in enumerate(f.statuses):
        for g in status.offer_groups or ():
            if g not in groups:
                raise invalid(path, f"statuses[{i}].offer_groups", f"unknown offer type group '{g}'", _CODE)
        status_ids += [status.id, *status.aliases]
    if len(set(status_ids)) != len(status_ids):
        raise invalid(path, "statuses", "a status id or alias appears twice", _CODE)
    levels = {s.id for s in f.statuses}
    requirements: list[Requirement] = []
    for i, r in enumerate(f.requirements):
        where = f"requirements[{i}]"
        required, optional = _RULE_KEYS[r.rule]
        given = {k for k in r.model_fields_set if k not in ("id", "level", "applies_to", "rule", "source")}
        for key in sorted(given - required - optional):
            raise invalid(path, f"{where}.{key}", f"unknown key '{key}' for rule '{r.rule}'", _CODE)
        for key in sorted(required - given):
            raise invalid(path, f"{where}.{key}", f"'{key}' is missing", _CODE)
        if r.level not in levels:
            raise invalid(path, f"{where}.level", f"level '{r.level}' is not a status", _CODE)
        applies_to = None if r.applies_to == "all" else r.applies_to
        for name in applies_to or ():
            if name not in groups and name not in seen_types:
                raise invalid(path, f"{where}.applies_to", f"'{name}' is neither an offer type nor a group",
                              _CODE)
        for key in ("fact", "organisation_fact", "transactable_fact", "offer_fact"):
            value = getattr(r, key)
            if value is not None and value not in FACT_SPECS:
                raise invalid(path, f"{where}.{key}", f"unknown fact '{value}'", _CODE)
        for alias in r.fact_aliases:
            if alias not in FACT_SPECS:
                raise invalid(path, f"{where}.fact_aliases", f"unknown fact '{alias}'", _CODE)
        for t in r.default_offer_types:
            if t not in seen_types:
                raise invalid(path, f"{where}.default_offer_types", f"unknown offer type '{t}'", _CODE)
        requirements.append(Requirement(
            id=r.id, level=r.level, applies_to=applies_to, rule=r.rule, source=r.source, fact=r.fact,
            threshold_usd=public_amount(r.threshold_usd), window_months=r.window_months,
            azure_share_percent=r.azure_share_percent, organisation_fact=r.organisation_fact,
            transactable_fact=r.transactable_fact, offer_fact=r.offer_fact,
            default_offer_types=r.default_offer_types, fact_aliases=r.fact_aliases))
    req_ids = [r.id for r in requirements]
    if len(set(req_ids)) != len(req_ids):
        raise invalid(path, "requirements", "a requirement id appears twice", _CODE)
    for i, s in enumerate(f.statuses):
        for name in s.requires:
            if name not in req_ids:
                raise invalid(path, f"statuses[{i}].requires", f"unknown requirement '{name}'", _CODE)
    statuses = tuple(Status(s.id, s.kind, s.requires, s.levels, s.offer_groups, s.source, s.aliases,
                            s.missed_note) for s in f.statuses)
    return Edition(f.id, f.title, f.effective_from, f.documented, dict(f.sources), dict(f.readings), groups,
                   statuses, tuple(requirements), str(path))


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
    return tuple(sorted(editions, key=lambda e: e.effective_from))


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
    day = on or clock.today()
    in_force = [e for e in editions if e.effective_from <= day]
    if not in_force:
        raise InputError(f"no co-sell edition is in force on {day.isoformat()}", code="cosell_no_edition",
                         params={"on": day.isoformat()}, field="edition")
    return in_force[-1]


find_edition = edition  # for modules whose functions take an ``edition`` argument


def worded(key: str, edition_id: str | None) -> str:
    """The catalog key to use for ``key`` under an edition: ``<key>@<edition id>`` when the catalog
    has a wording of its own for that edition (e.g. "PartnerID" instead of "MPN ID"), else the wording
    of the newest earlier edition that has one (a wording holds until a later edition changes it:
    an edition added after 2023 still says "PartnerID"), else ``key``."""
    if edition_id:
        known = [e.id for e in load_editions()]
        earlier = known[: known.index(edition_id) + 1] if edition_id in known else [edition_id]
        for ident in reversed(earlier):
            special = f"{key}@{ident}"
            if catalog().has(special):
                return special
    return key


def edition_label(rules: Edition, lang: str = "en") -> str:
    """The edition in words, with the date of Microsoft's source (as for the partner capability score):
    the heading of command-line output."""
    return edition_words(rules.effective_from, rules.documented, lang, long=True)


def edition_name(rules: Edition | str, lang: str = "en") -> str:
    """"the rules of July 2023 (Microsoft, 24 August 2023)": which rules an answer used, never the id."""
    found = rules if isinstance(rules, Edition) else edition(rules)
    return edition_words(found.effective_from, found.documented, lang)
