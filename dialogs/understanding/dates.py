"""The day or month a question names ("on 10 March", "2026-03-03", "the October data"), from the
entities the recognizer read (``day``, ``month``, ``year``), placed in time relative to ``today``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any


def date_of(entities: Mapping[str, Any], today: date) -> date | None:
    """The date named ("on 10 March", "2026-03-03"); without a year, this year's or, when that is still
    ahead, last year's. ``None`` when no whole date is named or it does not exist (31 February)."""
    day, month, year = entities.get("day"), entities.get("month"), entities.get("year")
    if not day or not month:
        return None
    try:
        found = date(int(year or today.year), int(month), int(day))
    except ValueError:
        return None
    return found if year or found <= today else found.replace(year=today.year - 1)


def month_of(entities: Mapping[str, Any], today: date) -> date | None:
    """The first day of a month named without a day ("the October data"), the latest one not ahead."""
    month, year = entities.get("month"), entities.get("year")
    if not month or entities.get("day"):
        return None
    try:
        found = date(int(year or today.year), int(month), 1)
    except ValueError:
        return None
    return found if year or found <= today else found.replace(year=today.year - 1)
