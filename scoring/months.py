"""Calendar months ("2026-10"), the unit in which revenue and usage data are evaluated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kernel.errors import InputError

_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


@dataclass(frozen=True, order=True)
class Month:
    """One calendar month. ``str(Month(2026, 10)) == "2026-10"``; ordered; ``shift`` moves by months."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9999:
            raise ValueError(f"not a month: {self.year}-{self.month}")

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(
        cls,
        value: object,
        *,
        source: str | None = None,
        row: int | str | None = None,
        field: str | None = None,
    ) -> Month:
        """``2026-10``, ``2026-10-01`` or a :class:`datetime.date`; anything else is an InputError."""
        if isinstance(value, Month):
            return value
        if isinstance(value, date):
            return cls(value.year, value.month)
        match = _MONTH.match(value.strip()) if isinstance(value, str) else None
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if 1 <= month <= 12 and year >= 1:
                if match.group(3) is None:
                    return cls(year, month)
                try:
                    date(year, month, int(match.group(3)))
                    return cls(year, month)
                except ValueError:
                    pass
        raise InputError(
            f"'{value}' is not a month (use YYYY-MM, e.g. 2026-10)",
            code="scoring.bad_month",
            params={"value": str(value)},
            source=source,
            row=row,
            field=field,
        )

    def shift(self, months: int) -> Month:
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def last_day(self) -> date:
        return self.shift(1).first_day() - timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
