"""Offers in the co-sell walkthrough: which names a new offer may have, finding a stored offer or fact
by name, and which offer type an answer names.

A new offer's name is shown in every walkthrough and checklist card, also to the others in a group
chat: it is refused when longer than :data:`MAX_NAME` characters or when a card would show part of
it as formatting or a link (markdown signs, web addresses; see :func:`dialogs.cards.kit.plain`), with
the reason in the user's language.
"""

from __future__ import annotations

from typing import Any

from dialogs.cards import kit
from dialogs.ports import Document
from dialogs.understanding import words
from kernel.errors import InputError
from scoring import cosell

MAX_NAME = 100
"""Longest offer name accepted in chat: room for any real offer name, short enough for a card title."""


def usable_name(name: str) -> str:
    """``name`` if a new offer may be called so, else InputError saying why (see the module docstring)."""
    if not name:
        raise InputError("an offer name is needed", code="guided_offer_name", params={"text": name})
    if len(name) > MAX_NAME:
        raise InputError(f"an offer name has at most {MAX_NAME} characters", code="guided_offer_name_long",
                         params={"max": MAX_NAME, "length": len(name)})
    if kit.plain(name) != name:
        raise InputError("an offer name cannot hold formatting signs or a web address",
                         code="guided_offer_name_format", params={})
    return name


def parse(doc: Document | None) -> cosell.CosellInput:
    return cosell.parse_cosell(doc or {}, "<stored co-sell facts>")


def find(facts: cosell.CosellInput, name: str) -> cosell.Offer | None:
    wanted = words.normalise(name)
    return next((o for o in facts.offers if words.normalise(o.name) == wanted), None)


def fact_of(doc: Document | None, offer_name: str | None, fact: str) -> Any:
    """The stored value of one fact (None when unknown or the offer is gone)."""
    facts = parse(doc)
    if offer_name is None:
        return facts.partner.get(fact)
    offer = find(facts, offer_name)
    return offer.get(fact) if offer else None


def types_in(said: str, edition: cosell.Edition) -> list[str]:
    """The offer types ``said`` names: its id, its name in either language or one of the words of
    ``offer_type.<id>`` (``config/recognizer/words.yaml``), alone, with a filler word ("app",
    "offer") or hyphens, or inside a longer answer ("it is a Teams app"). Several at once is no answer."""
    wanted = _loose(said)
    exact: list[str] = []
    inside: list[str] = []
    partial: list[str] = []
    for info in cosell.offer_types(edition=edition):
        names = {_loose(info.id), _loose(info.id.replace("_", " "))}
        names |= {_loose(info.name(lang)) for lang in ("en", "nl")}
        kind = f"offer_type.{info.id}"
        if words.has_kind(kind):
            names |= {_loose(w) for w in words.words(kind)}
        names.discard("")
        if wanted in names or _without_filler(wanted) in names:
            exact.append(info.id)
        elif any(f" {name} " in f" {wanted} " for name in names):
            inside.append(info.id)
        elif wanted and any(f" {wanted} " in f" {name} " for name in names):
            partial.append(info.id)  # "Power BI": part of the names of several types
    return exact or inside or partial


def _loose(text: str) -> str:
    """Normalised for matching offer types: hyphens and brackets are spaces ("SaaS-app" → "saas app")."""
    return " ".join(words.normalise(text.replace("-", " ").replace("(", " ").replace(")", " ")).split())


def _without_filler(text: str) -> str:
    """``text`` without a trailing word such as "app", "offer" or "aanbieding" (``filler`` in
    ``config/recognizer/words.yaml``)."""
    head, _, last = text.rpartition(" ")
    return head if head and last in words.words("filler") else text
