"""Numbers, money, percentages and months written for the reader's language.

The one formatter is :mod:`kernel.formatting` (Babel's CLDR data, exact half-up rounding), shared
with the scoring notices and the command line; these are the shapes the cards use: ``72.43`` /
``1,500`` in English, ``72,43`` / ``1.500`` in Dutch. Pass ``Fraction``/``Decimal``/``int``; floats
are converted through their shortest repr.

:func:`parse_number` reads what a person typed, in either convention, and refuses what is
ambiguous for the language (it returns ``None``; the caller asks again).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from kernel import formatting as shared
from kernel.texts import catalog

Number = int | float | Fraction | Decimal


def to_decimal(value: Number, places: int) -> Decimal:
    """``value`` rounded half-up to ``places`` decimals, exactly, however large."""
    return shared.round_half_up(shared.exact(value), places)


def number(value: Number, lang: str, places: int = 2, *, trim: bool = False, grouping: bool = True) -> str:
    """``value`` with ``places`` decimals in the language's convention.

    ``trim`` drops trailing zeros (``7`` rather than ``7.00``, ``2.5`` rather than ``2.50``).
    """
    return shared.number(value, lang, places, fixed=not trim, grouping=grouping)


def points(value: Number, lang: str) -> str:
    """Points: always two decimals (``6.43``, ``15.00``)."""
    return shared.points(value, lang)


def count(value: Number, lang: str) -> str:
    """A count of people, adds or deployments; decimals only when the value has them."""
    return shared.number(value, lang, 2)


def percent(value: Number, lang: str) -> str:
    """A percentage with two decimals and the sign the language writes (``18.18%`` / ``18,18%``)."""
    return catalog().text("cards.format.percent", lang, value=number(value, lang, 2))


def money(value: Number, lang: str) -> str:
    """A USD amount, without cents when there are none (``USD 1,500`` / ``USD 1.500``)."""
    return catalog().text("cards.format.usd", lang, value=number(value, lang, 2, trim=True))


def month(value: str | date, lang: str) -> str:
    """``2026-10`` → ``October 2026`` / ``oktober 2026``."""
    if not isinstance(value, date):
        year_text, mon_text = str(value).split("-")[:2]
        value = date(int(year_text), int(mon_text), 1)
    return shared.month(value, lang)


def day(value: date, lang: str) -> str:
    """``15 December 2026`` / ``15 december 2026``."""
    return shared.day(value, lang)


def parse_number(raw: str, lang: str) -> Decimal | None:
    """A number typed by a person, or ``None`` when it is not one or is ambiguous.

    Both conventions are accepted where they cannot be confused: one separator followed by
    exactly three digits groups thousands (``1,500`` and ``1.500`` are fifteen hundred in English
    *and* Dutch: nobody types a count with three decimals); otherwise a single separator is the
    decimal one (``12,5`` and ``12.5``). With several separators the last one is the decimal
    separator unless every group has three digits (``1.234,5``, ``1,234.5``, ``1.500.000``).
    Spaces and apostrophes group thousands; ``USD``/``$``/``€`` and ``%`` are ignored.
    """
    del lang  # both conventions are read the same way; kept for callers that pass it
    value = raw.strip().replace("\u00a0", " ").replace("\u2212", "-")
    value = re.sub(r"^(usd|\$|€|eur)\s*", "", value, flags=re.IGNORECASE).rstrip("%").strip()
    sign = ""
    if value[:1] in ("+", "-"):
        sign, value = value[0], value[1:].strip()
    if not value or not re.fullmatch(r"\d[\d.,\s']*", value) or not value[-1].isdigit():
        return None
    groups = re.split(r"[.,\s']", value)
    seps = re.findall(r"[.,\s']", value)
    decimals = ""
    thousands = len(groups[-1]) == 3 and len(set(seps)) == 1 and groups[0].lstrip("0") != ""
    if seps and seps[-1] in ".," and not thousands:
        decimals = groups.pop()  # the last separator is a decimal one
        if seps.pop() in seps:  # 1.500.25: the same mark cannot group thousands and mark decimals
            return None
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        return None
    if len(set(seps)) > 1:  # 1.500,000 mixes two thousands separators
        return None
    try:
        return Decimal(sign + "".join(groups) + (f".{decimals}" if decimals else ""))
    except InvalidOperation:
        return None
