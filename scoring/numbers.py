"""Exact numbers: parsing input values without binary floats, and half-up rounding for display."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from kernel import formatting
from kernel.errors import InputError
from kernel.formatting import round_half_up as round_half_up

Exact = Fraction | Decimal | int


def to_fraction(
    value: object, *, source: str | None = None, row: int | str | None = None, field: str | None = None
) -> Fraction:
    """A number from YAML/JSON/CSV input, exactly: ``"1500.01"`` and ``1500.01`` give 150001/100.

    Floats are read through their shortest decimal text (what the person typed). Booleans, NaN,
    infinities and text that is not a number raise :class:`InputError` naming the field.
    """
    if isinstance(value, bool) or value is None:
        pass
    elif isinstance(value, int):
        return Fraction(value)
    elif isinstance(value, Fraction):
        return value
    elif isinstance(value, float | Decimal | str):
        text = repr(value) if isinstance(value, float) else str(value).strip().replace("_", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite():
            return Fraction(number)
    raise InputError(
        f"'{value}' is not a number",
        code="scoring.not_a_number",
        params={"value": str(value)},
        source=source,
        row=row,
        field=field,
    )


def json_number(value: Fraction | None, places: int = 2) -> int | float | None:
    """For JSON output: an integer stays an integer, anything else is rounded half-up."""
    if value is None:
        return None
    if value.denominator == 1:
        return int(value)
    return float(round_half_up(value, places))


def format_number(value: Exact, lang: str = "en", places: int = 2, *, fixed: bool = False) -> str:
    """A number for a person (:func:`kernel.formatting.number`, the one formatter): rounded half-up
    to ``places``, decimals only where the value has them (``7.1``, ``7``); Dutch ``1.234,5``.
    ``fixed`` always shows ``places`` decimals (``7.00``), as points are shown."""
    return formatting.number(value, lang, places, fixed=fixed)


def format_below(value: Exact, limit: Exact, lang: str = "en", places: int = 2) -> str:
    """``value`` (below ``limit``) with as many decimals as it takes not to read as ``limit``.

    69.995 against 70 shows as ``69.995``, not ``70.00``; beyond six decimals the value is cut
    (``69.999999…``). A value that is not below ``limit`` is formatted as usual.
    """
    exact, bound = Fraction(value), Fraction(limit)
    if exact >= bound:
        return format_number(exact, lang, places, fixed=True)
    for shown in range(places, 7):
        if round_half_up(exact, shown) < bound:
            text = format_number(round_half_up(exact, shown), lang, shown, fixed=True)
            return text
    cut = Fraction(math.floor(exact * 10**6), 10**6)
    return format_number(cut, lang, 6, fixed=True) + "…"
