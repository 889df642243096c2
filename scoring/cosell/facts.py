"""Co-sell facts (RULES.md C.4): parsing, validation and one-fact updates of the stored mapping.

The input is a mapping ``{"partner": {...}, "offers": [{...}, ...]}``. Every fact is tri-state:
``True``, ``False`` or ``None`` (unknown: ``null``, absent, or the word ``unknown``); revenue facts
are a non-negative amount in USD or ``None``, held exactly (:class:`fractions.Fraction`, read from
the text: ``"99999.9999999999999"`` stays below 100,000). Unknown keys are refused, so a typo is
never read as "unknown".
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from kernel.errors import InputError
from kernel.files import load_yaml_file
from scoring.cosell.contract import FACT_SPECS, OFFER_FACTS, PARTNER_FACTS, FactSpec
from scoring.cosell.edition import Edition, find_edition
from scoring.numbers import format_number, round_half_up, to_fraction

Fact = bool | None
Amount = Fraction | None
Value = bool | int | Fraction | Decimal | None
_YES = {"yes", "true", "ja"}
_NO = {"no", "false", "nee"}
_UNKNOWN = {"unknown", "null", "", "onbekend"}


@dataclass(frozen=True)
class PartnerFacts:
    """What is known about the partner organisation; shared by all its offers."""

    values: Mapping[str, Value] = field(default_factory=dict)
    name: str | None = None

    def get(self, fact: str) -> Value:
        return self.values.get(fact)


@dataclass(frozen=True)
class Offer:
    """One commercial marketplace offer and what is known about it."""

    name: str
    type: str
    values: Mapping[str, Value] = field(default_factory=dict)

    def get(self, fact: str) -> Value:
        return self.values.get(fact)


@dataclass(frozen=True)
class CosellInput:
    """A parsed C.4 document."""

    partner: PartnerFacts
    offers: tuple[Offer, ...]
    source: str = "<input>"

    def offer(self, name: str) -> Offer:
        for offer in self.offers:
            if offer.name == name:
                return offer
        raise InputError(f"there is no offer named '{name}'", code="cosell_no_such_offer",
                         params={"offer": name}, source=self.source, field="offers")


def format_usd(amount: Fraction | Decimal | int | float | None, lang: str = "en") -> str:
    """An amount in whole dollars with thousands separators: ``100,000`` (en), ``100.000`` (nl)."""
    if amount is None:
        return ""
    return format_number(round_half_up(to_fraction(amount), 0), lang)


def _bad(what: str, message: str, offer: str | None, value: Any, source: str, field: str) -> InputError:
    """An error about one fact of ``offer`` (``None``: of the partner), naming file, offer and field."""
    where = f"offer '{offer}'" if offer is not None else "the partner"
    params = {"value": value} if offer is None else {"value": value, "offer": offer}
    return InputError(f"{where}: {message}", code=f"cosell_{'partner' if offer is None else 'offer'}_{what}",
                      params=params, source=source, field=field)


def parse_value(spec: FactSpec, value: Any, *, offer: str | None, source: str) -> Value:
    """One fact value, normalised: ``True``/``False``/``None`` or a non-negative amount.

    ``offer`` names the offer the fact belongs to (``None`` for a partner fact) for error messages.
    """
    if spec.kind == "yes_no_unknown":
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str):
            word = value.strip().lower()
            if word in _YES:
                return True
            if word in _NO:
                return False
            if word in _UNKNOWN:
                return None
        raise _bad("not_yes_no", f"'{value}' is not yes, no or unknown (true, false or null)", offer, value,
                   source, spec.name)
    if value is None or (isinstance(value, str) and value.strip().lower() in _UNKNOWN):
        return None
    amount: Fraction | None = None
    if isinstance(value, Fraction | int) and not isinstance(value, bool):
        amount = Fraction(value)
    elif isinstance(value, float | Decimal | str):
        text = repr(value) if isinstance(value, float) else str(value)
        try:
            number = Decimal(text.strip().replace(",", "").replace("_", "").lstrip("$"))
        except InvalidOperation:
            number = None
        amount = Fraction(number) if number is not None and number.is_finite() else None
    if amount is None:
        raise _bad("not_amount", f"'{value}' is not an amount in USD", offer, value, source, spec.name)
    if amount < 0:
        raise _bad("negative_amount", f"the amount {value} is negative", offer, value, source, spec.name)
    return amount


def parse_cosell(data: Any, source: str = "<input>", *, edition: str | Edition | None = None) -> CosellInput:
    """Validate a C.4 mapping; raises :class:`InputError` naming ``source``, offer and field.

    Offer types are checked against ``edition`` (an id or an ``Edition``; default: in force today).
    """
    rules = edition if isinstance(edition, Edition) else find_edition(edition)
    known_types = set(rules.offer_type_ids)
    if not isinstance(data, Mapping):
        raise InputError("co-sell facts must be a mapping with 'partner' and 'offers'",
                         code="cosell_shape", source=source)
    extra = sorted(str(k) for k in data if k not in ("partner", "offers"))
    if extra:
        raise InputError(f"unknown key '{extra[0]}' (expected partner, offers)",
                         code="cosell_unknown_top_key", params={"key": extra[0]}, source=source,
                         field=extra[0])
    raw_partner = data.get("partner") or {}
    if not isinstance(raw_partner, Mapping):
        raise InputError("'partner' must be a mapping of facts", code="cosell_shape", source=source,
                         field="partner")
    partner_values: dict[str, Value] = {}
    partner_name: str | None = None
    for key, value in raw_partner.items():
        if key == "name":
            partner_name = None if value is None else str(value)
            continue
        spec = FACT_SPECS.get(str(key))
        if spec is None or spec.scope != "partner":
            raise _bad("unknown_key", f"unknown fact '{key}'", None, key, source, f"partner.{key}")
        partner_values[spec.name] = parse_value(spec, value, offer=None, source=source)
    raw_offers = data.get("offers")
    if raw_offers is None:
        raw_offers = []
    if not isinstance(raw_offers, list):
        raise InputError("'offers' must be a list of offers", code="cosell_shape", source=source,
                         field="offers")
    offers: list[Offer] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_offers):
        if not isinstance(raw, Mapping):
            raise InputError(f"offer {index + 1} must be a mapping of facts", code="cosell_shape",
                             source=source, field="offers")
        name = raw.get("name")
        if not isinstance(name, str | int) or isinstance(name, bool) or not str(name).strip():
            raise InputError(f"offer {index + 1} has no name", code="cosell_offer_no_name",
                             params={"number": index + 1}, source=source, field="name")
        name = str(name).strip()
        if name in seen:
            raise _bad("duplicate", "this offer name appears twice", name, name, source, "name")
        seen.add(name)
        offer_type = raw.get("type")
        if offer_type is None:
            raise _bad("no_type", "the offer type is missing", name, None, source, "type")
        if offer_type not in known_types:
            raise _bad("unknown_type", f"unknown offer type '{offer_type}'", name, offer_type, source, "type")
        values: dict[str, Value] = {}
        for key, value in raw.items():
            if key in ("name", "type"):
                continue
            spec = FACT_SPECS.get(str(key))
            if spec is None or spec.scope != "offer":
                raise _bad("unknown_key", f"unknown fact '{key}'", name, key, source, str(key))
            values[spec.name] = parse_value(spec, value, offer=name, source=source)
        offers.append(Offer(name=name, type=str(offer_type), values=values))
    return CosellInput(PartnerFacts(partner_values, partner_name), tuple(offers), source)


def load_cosell(path: Path | str, *, edition: str | Edition | None = None) -> CosellInput:
    """Read and validate a C.4 file (YAML or JSON); ``edition`` as for :func:`parse_cosell`."""
    return parse_cosell(load_yaml_file(Path(path)), str(path), edition=edition)


def to_mapping(cosell: CosellInput) -> dict[str, Any]:
    """The normalised C.4 mapping of ``cosell`` (facts as true/false/null, amounts as numbers)."""
    partner: dict[str, Any] = {}
    if cosell.partner.name is not None:
        partner["name"] = cosell.partner.name
    partner.update({k: _plain(cosell.partner.values[k]) for k in PARTNER_FACTS if k in cosell.partner.values})
    offers = [
        {"name": o.name, "type": o.type, **{k: _plain(o.values[k]) for k in OFFER_FACTS if k in o.values}}
        for o in cosell.offers
    ]
    return {"partner": partner, "offers": offers}


def _plain(value: Value) -> bool | int | float | str | None:
    """A stored value: amounts as an int when whole, as a float when that float is exact, else as
    the exact decimal text (which :func:`parse_value` reads back exactly)."""
    if value is None or isinstance(value, bool | int):
        return value
    value = Fraction(value)
    if value.denominator == 1:
        return int(value)
    as_float = float(value)
    if Fraction(repr(as_float)) == value:
        return as_float
    return _decimal_text(value)


def _decimal_text(value: Fraction) -> str:
    import decimal

    with decimal.localcontext(decimal.Context(prec=80)):
        return str((Decimal(value.numerator) / Decimal(value.denominator)).normalize())


def _start(data: Mapping[str, Any] | None) -> dict[str, Any]:
    parse_cosell(data if data is not None else {}, "<stored co-sell facts>")  # never build on bad data
    return copy.deepcopy(dict(data)) if data is not None else {"partner": {}, "offers": []}


def set_fact(data: Mapping[str, Any] | None, offer_name: str | None, fact: str, value: Any) -> dict[str, Any]:
    """A new, validated C.4 mapping with one fact set (``None`` = unknown).

    ``offer_name`` is ``None`` for a partner fact. The input mapping is never changed; on bad
    input :class:`InputError` is raised and nothing is lost.
    """
    new = _start(data)
    spec = FACT_SPECS.get(fact)
    if spec is None:
        raise InputError(f"unknown fact '{fact}'", code="cosell_unknown_fact", params={"fact": fact},
                         field=fact)
    if spec.scope == "partner":
        partner = new.get("partner")
        new["partner"] = partner = dict(partner) if isinstance(partner, Mapping) else {}
        partner[fact] = value
    else:
        if offer_name is None:
            raise InputError(f"the fact '{fact}' belongs to an offer: say which one",
                             code="cosell_offer_needed", params={"fact": fact}, field=fact)
        offers = list(new.get("offers") or [])
        for i, raw in enumerate(offers):
            if isinstance(raw, Mapping) and str(raw.get("name", "")).strip() == offer_name:
                offers[i] = {**raw, fact: value}
                break
        else:
            raise InputError(f"there is no offer named '{offer_name}'", code="cosell_no_such_offer",
                             params={"offer": offer_name}, field="offers")
        new["offers"] = offers
    return to_mapping(parse_cosell(new, "<answer>"))


def add_offer(data: Mapping[str, Any] | None, name: str, offer_type: str) -> dict[str, Any]:
    """A new, validated C.4 mapping with one more offer (all its facts unknown)."""
    new = _start(data)
    new["offers"] = [*list(new.get("offers") or []), {"name": name, "type": offer_type}]
    return to_mapping(parse_cosell(new, "<answer>"))


def remove_offer(data: Mapping[str, Any] | None, name: str) -> dict[str, Any]:
    """A new, validated C.4 mapping without the offer ``name``."""
    cosell = parse_cosell(data if data is not None else {}, "<stored co-sell facts>")
    cosell.offer(name)  # refuses an unknown name
    kept = tuple(o for o in cosell.offers if o.name != name)
    return to_mapping(CosellInput(cosell.partner, kept, cosell.source))
