"""Exact numbers: parsing input values without binary floats, and half-up rounding for display."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from kernel.errors import InputError

Exact = Fraction | Decimal | int


def round_half_up(value: Exact | str, places: int = 2) -> Decimal:
    """``value`` rounded half away from zero to ``places`` decimals, exactly (no float in between).

    ``round_half_up(Fraction(15, 7)) == Decimal("2.14")``, ``round_half_up(Decimal("2.145")) ==
    Decimal("2.15")``, ``round_half_up(Fraction(-5, 1000)) == Decimal("-0.01")``.
    """
    exact = Fraction(value)
    whole = math.floor(abs(exact) * 10**places + Fraction(1, 2))
    sign = "-" if exact < 0 and whole else ""
    # Built from text, so no decimal context rounds it (or overflows at 28 digits).
    return Decimal(f"{sign}{whole}E-{places}")


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
    """A number for a person: integers without decimals, others rounded half-up to ``places``;
    Dutch uses a decimal comma and a dot between thousands (``1.234,50``), English the reverse.
    ``fixed`` always shows ``places`` decimals (``7.00``), as points are shown."""
    exact = Fraction(value)
    whole = exact.denominator == 1 and not fixed
    text = f"{int(exact):,}" if whole else f"{round_half_up(exact, places):,.{places}f}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


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
