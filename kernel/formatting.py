"""Numbers, dates and plurals written for a person, once, for every layer: cards, notices, the CLI.

Babel (CLDR data) gives each language's separators, month names and plural rules; the rounding is
ours and exact: half away from zero on ``Fraction``/``Decimal``/``int`` (RULES.md A.8), so ``2.145``
shows as ``2.15`` and ``15/7`` as ``2.14``. Floats are read through their shortest text.

    number(7.1, "nl")              -> "7,1"          (decimals only where the value has them)
    number(7, "en", fixed=True)    -> "7.00"         (points: always two decimals)
    number(1500, "nl")             -> "1.500"
    month(date(2026, 10, 1), "nl") -> "oktober 2026"
    day(date(2026, 4, 15), "en")   -> "15 April 2026"
    plural_form(1, "nl")           -> "one"           (CLDR: "one" or "other" in both languages)

A value of a quadrillion or more is no count anyone has: it is written in scientific notation
(``1E+300``), so no card or line ever shows hundreds of digits.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date

from kernel.numbers import HUGE, LOCALES, Number, exact, locale_of, number, round_half_up
from kernel.texts import catalog

__all__ = ["HUGE", "LOCALES", "Number", "day", "exact", "month", "number", "plural_form", "points",
           "round_half_up", "unit_name"]

def points(value: Number, lang: str) -> str:
    """Points: always two decimals (``6.43``, ``15.00``)."""
    return number(value, lang, 2, fixed=True)


def month(value: date, lang: str) -> str:
    """``October 2026`` / ``oktober 2026``."""
    return str(format_date(value, format="LLLL y", locale=locale_of(lang)))


def day(value: date, lang: str) -> str:
    """``15 December 2026`` / ``15 december 2026``."""
    return str(format_date(value, format="d MMMM y", locale=locale_of(lang)))


def plural_form(value: Number, lang: str) -> str:
    """The CLDR plural category of ``value`` in ``lang``: ``one`` or ``other`` (English and Dutch)."""
    amount = exact(value)
    plain: int | Decimal = int(amount) if amount.denominator == 1 else round_half_up(amount, 2).normalize()
    return str(locale_of(lang).plural_form(plain))


def unit_name(unit_key: str, amount: Number, lang: str) -> str:
    """The catalog's name of a unit for ``amount`` of it: ``<key>.one`` when the language's plural
    rules call ``amount`` "one" and that text exists ("1 person", "1 persoon"), else ``<key>``
    ("2 people", "1,5 procent")."""
    one = f"{unit_key}.one"
    if plural_form(amount, lang) == "one" and catalog().has(one):
        return catalog().text(one, lang)
    return catalog().text(unit_key, lang)
