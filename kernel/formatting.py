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

import functools
import math
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, format_scientific, parse_pattern

from kernel.texts import catalog

Number = int | float | Fraction | Decimal

LOCALES = {"en": "en_GB", "nl": "nl_NL"}
"""The CLDR locale of each reply language (British English writes "15 April 2026")."""
HUGE = Decimal(10) ** 15
"""From here on a number is written in scientific notation."""


@functools.cache
def _locale(lang: str) -> Locale:
    """The CLDR locale of ``lang``, parsed once (Babel 2.9 parses it again on every call)."""
    return Locale.parse(LOCALES.get(lang, LOCALES["en"]))


@functools.cache
def _pattern(text: str) -> NumberPattern:
    """A number pattern, parsed once: a scorecard writes about twenty numbers, and Babel's
    ``format_decimal`` would parse its pattern for each (``format_decimal`` is ``parse_pattern``
    then ``apply``, which is what :func:`number` does)."""
    return parse_pattern(text)


def exact(value: Number | str) -> Fraction:
    return Fraction(Decimal(repr(value))) if isinstance(value, float) else Fraction(value)


def round_half_up(value: Number | str, places: int = 2) -> Decimal:
    """``value`` rounded half away from zero to ``places`` decimals, exactly (no float in between).

    ``round_half_up(Fraction(15, 7)) == Decimal("2.14")``, ``round_half_up(Decimal("2.145")) ==
    Decimal("2.15")``, ``round_half_up(Fraction(-5, 1000)) == Decimal("-0.01")``.
    """
    value = exact(value)
    whole = math.floor(abs(value) * 10**places + Fraction(1, 2))
    sign = "-" if value < 0 and whole else ""
    # Built from text, so no decimal context rounds it (or overflows at 28 digits).
    return Decimal(f"{sign}{whole}E-{places}")


def number(value: Number, lang: str, places: int = 2, *, fixed: bool = False, grouping: bool = True) -> str:
    """``value`` rounded half-up to ``places`` decimals in the language's convention; trailing zeros
    are dropped (``7.1``, ``7``) unless ``fixed`` (``7.10``, ``7.00``)."""
    rounded = round_half_up(value, places)
    if abs(rounded) >= HUGE:
        with localcontext() as context:
            context.prec = 3
            return str(format_scientific(+rounded, format="0.##E0", locale=_locale(lang)))
    decimals = "0" * places if fixed else "#" * places
    pattern = ("#,##0" if grouping else "0") + (f".{decimals}" if places else "")
    with localcontext() as context:
        context.prec = max(28, len(rounded.as_tuple().digits) + places + 2)
        return str(_pattern(pattern).apply(rounded, _locale(lang)))


def points(value: Number, lang: str) -> str:
    """Points: always two decimals (``6.43``, ``15.00``)."""
    return number(value, lang, 2, fixed=True)


def month(value: date, lang: str) -> str:
    """``October 2026`` / ``oktober 2026``."""
    return str(format_date(value, format="LLLL y", locale=_locale(lang)))


def day(value: date, lang: str) -> str:
    """``15 December 2026`` / ``15 december 2026``."""
    return str(format_date(value, format="d MMMM y", locale=_locale(lang)))


def plural_form(value: Number, lang: str) -> str:
    """The CLDR plural category of ``value`` in ``lang``: ``one`` or ``other`` (English and Dutch)."""
    amount = exact(value)
    plain: int | Decimal = int(amount) if amount.denominator == 1 else round_half_up(amount, 2).normalize()
    return str(_locale(lang).plural_form(plain))


def unit_name(unit_key: str, amount: Number, lang: str) -> str:
    """The catalog's name of a unit for ``amount`` of it: ``<key>.one`` when the language's plural
    rules call ``amount`` "one" and that text exists ("1 person", "1 persoon"), else ``<key>``
    ("2 people", "1,5 procent")."""
    one = f"{unit_key}.one"
    if plural_form(amount, lang) == "one" and catalog().has(one):
        return catalog().text(one, lang)
    return catalog().text(unit_key, lang)
