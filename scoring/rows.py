"""Reading record rows (RULES.md C.1): one row at a time from inline lists or CSV files, each field
checked and parsed.

:func:`read_rows` yields (row number, values in field order) and raises an :class:`InputError` naming
the file, row and field for a bad row or header; :class:`Checker` parses single fields with small
caches (exports repeat the same few values millions of times). What the rows add up to is
:mod:`scoring.records`.
"""

from __future__ import annotations

import csv
import decimal
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from kernel.errors import InputError
from kernel.files import open_csv
from scoring.edition import Edition
from scoring.months import Month
from scoring.profile import RecordSource

REVENUE_FIELDS = (
    "customer",
    "workload",
    "month",
    "subscription",
    "active",
    "revenue_usd",
    "attribution",
    "channel",
)
USAGE_FIELDS = ("customer", "workload", "month", "units", "attribution")
CERTIFICATION_FIELDS = ("person", "certification")
CERTIFICATION_OPTIONAL = ("level", "expires")
RECORD_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "revenue": (REVENUE_FIELDS, ()),
    "usage": (USAGE_FIELDS, ()),
    "certifications": (CERTIFICATION_FIELDS, CERTIFICATION_OPTIONAL),
}
"""Per record kind (C.1): its required fields (CSV columns) and its optional ones."""
OTHER = "other_month"
FAST_BOOLS: dict[Any, bool] = {"true": True, "false": False, True: True, False: False}
_BOOLS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
# Sums are exact: a Decimal context that raises instead of rounding.
EXACT = decimal.Context(prec=60, traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow])


def read_rows(
    src: RecordSource, fields: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values in ``fields + optional`` order; an absent optional value is None)."""
    names = fields + optional
    if src.rows is not None:
        for i, raw in enumerate(src.rows, start=1):
            if not isinstance(raw, Mapping):
                raise InputError(
                    "a row must be a mapping of field: value",
                    code="scoring.row_shape",
                    source=src.where,
                    row=i,
                )
            for key in raw:
                if key not in names:
                    raise InputError(
                        f"unknown field '{key}' (known: {', '.join(names)})",
                        code="scoring.row_unknown_field",
                        params={"field": str(key), "known": ", ".join(names)},
                        source=src.where,
                        row=i,
                        field=str(key),
                    )
            for name in fields:
                if raw.get(name) is None or raw.get(name) == "":
                    raise InputError(
                        f"the field '{name}' is missing",
                        code="scoring.row_missing_field",
                        params={"field": name},
                        source=src.where,
                        row=i,
                        field=name,
                    )
            yield i, [raw.get(name) for name in names]
        return
    assert src.csv_path is not None
    with open_csv(src.csv_path) as reader:
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise InputError(
                "the CSV file is empty (it needs a header row)",
                code="scoring.csv_empty",
                source=src.where,
                row=1,
            ) from None
        except (csv.Error, UnicodeDecodeError) as err:
            raise InputError(
                f"not a readable CSV file ({err})",
                code="scoring.csv_bad",
                params={"problem": str(err)},
                source=src.where,
                row=1,
            ) from None
        for name in header:
            if name not in names:
                raise InputError(
                    f"unknown column '{name}' (known: {', '.join(names)})",
                    code="scoring.row_unknown_field",
                    params={"field": name, "known": ", ".join(names)},
                    source=src.where,
                    row=1,
                    field=name,
                )
        if len(set(header)) != len(header):
            raise InputError(
                "a column appears twice in the header",
                code="scoring.csv_duplicate_column",
                source=src.where,
                row=1,
            )
        for name in fields:
            if name not in header:
                raise InputError(
                    f"the column '{name}' is missing",
                    code="scoring.csv_missing_column",
                    params={"field": name},
                    source=src.where,
                    row=1,
                    field=name,
                )
        index = [header.index(n) if n in header else -1 for n in names]
        width = len(header)
        required = len(fields)
        # Fast path: the header lists exactly the fields in order, so a row is used as it is.
        same_order = index == list(range(len(names)))
        line = 1
        try:
            for values in reader:
                line += 1
                if len(values) != width:
                    if not values:
                        continue
                    raise InputError(
                        f"this row has {len(values)} values, the header {width}",
                        code="scoring.csv_width",
                        params={"got": len(values), "want": width},
                        source=src.where,
                        row=line,
                    )
                row: list[Any] = values if same_order else [values[j] if j >= 0 else None for j in index]
                if "" in row:
                    for k, name in enumerate(names):
                        if row[k] == "":
                            if k < required:
                                raise InputError(
                                    f"the field '{name}' is missing",
                                    code="scoring.row_missing_field",
                                    params={"field": name},
                                    source=src.where,
                                    row=line,
                                    field=name,
                                )
                            row[k] = None
                yield line, row
        except (csv.Error, UnicodeDecodeError) as err:
            raise InputError(
                f"not a readable CSV file ({err})",
                code="scoring.csv_bad",
                params={"problem": str(err)},
                source=src.where,
                row=line + 1,
            ) from None


class Checker:
    """Field parsers with small caches (exports repeat the same few values millions of times)."""

    def __init__(self, src: RecordSource, edition: Edition) -> None:
        self.src = src
        self.edition = edition
        self._months: dict[Any, Month] = {}

    def fail(self, row: int, name: str, message: str, code: str, **params: Any) -> InputError:
        return InputError(message, code=code, params=params, source=self.src.where, row=row, field=name)

    def month(self, row: int, value: Any) -> Month:
        if type(value) is str and value in self._months:
            return self._months[value]
        month = Month.parse(value, source=self.src.where, row=row, field="month")
        if isinstance(value, str):
            self._months[value] = month
        return month

    def text(self, row: int, name: str, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(row, name, f"'{value}' is not a text", "scoring.row_not_text", field=name)
        return str(value).strip()

    def choice(self, row: int, name: str, value: Any, known: frozenset[str] | tuple[str, ...]) -> str:
        text = value.strip() if isinstance(value, str) else None
        if text is None or text not in known:
            listing = ", ".join(sorted(known))
            raise self.fail(
                row,
                name,
                f"unknown {name} '{value}' (known: {listing})",
                f"scoring.unknown_{name}",
                value=str(value),
                known=listing,
            )
        return str(text)

    def number(self, row: int, name: str, value: Any, *, negative_ok: bool) -> Decimal:
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        elif isinstance(value, str):
            try:
                number = Decimal(value.strip())
            except decimal.InvalidOperation:
                number = None
        else:
            number = None
        if number is None or not number.is_finite():
            raise self.fail(row, name, f"'{value}' is not a number", "scoring.not_a_number", value=str(value))
        if number < 0 and not negative_ok:
            raise self.fail(
                row, name, f"{name} cannot be negative ({value})", "scoring.row_negative", value=str(value)
            )
        return number

    def fast_number(self, row: int, name: str, value: Any, *, negative_ok: bool) -> Decimal:
        """:meth:`number` with a fast path for CSV text."""
        if type(value) is str:
            try:
                number = Decimal(value)
            except decimal.InvalidOperation:
                pass
            else:
                if number.is_finite() and (negative_ok or number >= 0):
                    return number
        return self.number(row, name, value, negative_ok=negative_ok)

    def slots(self, latest: Month) -> Callable[[int, Any], str]:
        """A function (row, raw month) → ``now``, ``ago`` (the comparison month), ``next_ago`` (next
        month's comparison month) or :data:`OTHER`, cached."""
        back = self.edition.comparison_months
        months = {latest: "now", latest.shift(-back): "ago", latest.shift(1 - back): "next_ago"}
        cache: dict[str, str] = {}

        def slot_of(row: int, raw: Any) -> str:
            if type(raw) is str:
                found = cache.get(raw)
                if found is not None:
                    return found
            slot = months.get(self.month(row, raw), OTHER)
            if type(raw) is str:
                cache[raw] = slot
            return slot

        return slot_of

    def day(self, row: int, name: str, value: Any) -> date:
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(row, name, f"'{value}' is not a date (YYYY-MM-DD)", "scoring.row_not_a_date",
                        value=str(value))

    def boolean(self, row: int, name: str, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        found = _BOOLS.get(value.strip().lower()) if isinstance(value, str) else None
        if found is None:
            raise self.fail(
                row, name, f"'{value}' is not true or false", "scoring.not_a_boolean", value=str(value)
            )
        return found
