"""Names of the rule edition's ids in the user's language, and lists of names in words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction

from dialogs import formatting
from dialogs.intents.registry import t
from kernel.texts import catalog


def named(prefix: str, ident: str, lang: str) -> str:
    """The catalog's name for an id of the rule edition; the id itself if a new edition adds one
    without a text (tests/answers check that every id of every edition has one)."""
    key = f"{prefix}.{ident}"
    return t(key, lang) if catalog().has(key) else ident


def rate_unit(unit: str, lang: str) -> str:
    """A rate-card unit (``MAU``, ``profiles``) as one unit in words: "monthly active user (MAU)"."""
    return named("answers.rate_unit", unit, lang)


def rate_money(rate: Fraction, lang: str) -> str:
    """A rate in USD: whole dollars as they are (``USD 1,000``), cents with two digits (``USD 0.20``)."""
    return t("cards.format.usd", lang, value=formatting.number(rate, lang, 2, trim=rate.denominator == 1))


def family_name(family: str, lang: str) -> str:
    return named("answers.family", family, lang)


def attribution_name(attribution: str, lang: str) -> str:
    return named("answers.attribution", attribution, lang)


def attribution_names(attributions: Iterable[str], lang: str) -> str:
    return ", ".join(attribution_name(a, lang) for a in sorted(attributions))


def joined(names: Sequence[str], lang: str) -> str:
    """``A``, ``A and B``, ``A, B and C`` / ``A, B en C``."""
    if len(names) < 2:
        return "".join(names)
    return t("answers.eligibility.and", lang, first=", ".join(names[:-1]), last=names[-1])
