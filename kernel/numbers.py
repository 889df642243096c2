"""Numbers written for a person: the language's separators (Babel, CLDR) and our exact rounding,
half away from zero on ``Fraction``/``Decimal``/``int`` (RULES.md A.8). :mod:`kernel.formatting`
gives the same and adds dates and plurals; this part stands alone (it needs no text catalog), so
:mod:`kernel.errors` can write the numbers of an error in the reader's language.

    number(7.1, "nl")              -> "7,1"          (decimals only where the value has them)
    number(1500, "nl")             -> "1.500"
"""

from __future__ import annotations

import functools
import math
from decimal import Decimal, localcontext
from fractions import Fraction

from babel import Locale
from babel.numbers import NumberPattern, format_scientific, parse_pattern

Number = int | float | Fraction | Decimal

LOCALES = {"en": "en_GB", "nl": "nl_NL"}
"""The CLDR locale of each reply language (British English writes "15 April 2026")."""
HUGE = Decimal(10) ** 15
"""From here on a number is written in scientific notation."""


@functools.cache
def locale_of(lang: str) -> Locale:
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
            return str(format_scientific(+rounded, format="0.##E0", locale=locale_of(lang)))
    decimals = "0" * places if fixed else "#" * places
    pattern = ("#,##0" if grouping else "0") + (f".{decimals}" if places else "")
    with localcontext() as context:
        context.prec = max(28, len(rounded.as_tuple().digits) + places + 2)
        return str(_pattern(pattern).apply(rounded, locale_of(lang)))
