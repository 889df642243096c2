"""When things count (RULES.md A.9): the latest evaluable month on a day, the day a month's data
appear in the scores, and when a sale, usage or certification shows."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from kernel.errors import InputError
from scoring.edition import Edition
from scoring.editions import edition_for, edition_on
from scoring.months import Month


def latest_evaluable_month(today: date, edition: Edition | None = None) -> Month:
    """The latest month whose revenue and usage data are available on ``today``: the previous month
    from the availability day (the 15th) on, the month before that earlier."""
    rules = edition or edition_on(today)
    back = 1 if today.day >= rules.monthly_data_available_day else 2
    return Month.of(today).shift(-back)


def monthly_data_counts_on(month: Month, edition: Edition | None = None) -> date:
    """The day a month's revenue and usage data appear in the scores (the 15th of the next month)."""
    rules = edition or edition_for(month)
    nxt = month.shift(1)
    day = min(rules.monthly_data_available_day, calendar.monthrange(nxt.year, nxt.month)[1])
    return date(nxt.year, nxt.month, day)


WHEN_KINDS = ("revenue", "usage", "workload_added", "certification_earned", "certification_linked")


def when_counts(kind: str, on: date, edition: Edition | None = None) -> date:
    """When something done on ``on`` shows in the score (A.9).

    ``revenue``/``usage``/``workload_added``: on the availability day of the following month.
    ``certification_earned``/``certification_linked``: at most ``certification_delay_days`` later
    (when a certification was earned and the account linked on different days, pass the later day,
    or use :func:`certification_counts_by`).
    """
    if kind in ("revenue", "usage", "workload_added"):
        return monthly_data_counts_on(Month.of(on), edition)
    if kind in ("certification_earned", "certification_linked"):
        rules = edition or edition_on(on)
        return on + timedelta(days=rules.certification_delay_days)
    raise InputError(
        f"unknown kind '{kind}' (known: {', '.join(WHEN_KINDS)})",
        code="scoring.unknown_when_kind",
        params={"kind": kind, "known": ", ".join(WHEN_KINDS)},
    )


def certification_counts_by(earned: date, linked: date | None = None, edition: Edition | None = None) -> date:
    """The latest day a certification shows: the delay runs from the later of earned and linked."""
    start = max(earned, linked) if linked else earned
    return when_counts("certification_earned", start, edition)
