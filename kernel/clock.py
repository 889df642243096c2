"""The one clock: what every layer means by "today".

    kernel.clock.today() -> date        the fixed day if one is set, else the real date
    kernel.clock.fixed(day) (context)   run a block "as of" ``day`` (tests, ``--today``)
    kernel.clock.set_today(day | None)  fix the process's day (the host, from ``PARTNERBOT_TODAY``)

Scoring, dialogs and the host call :func:`today` wherever a rule depends on the date (the latest
evaluable month, the rule edition in force, the data-refresh day, certification expiry). Wall-clock
instants (retries, leases, row timestamps) stay on the real time.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

_PROCESS: dt.date | None = None
_SCOPED: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar("partnerbot_today", default=None)


def today() -> dt.date:
    """The day the bot runs "as of": a :func:`fixed` block's day, else the process's fixed day
    (:func:`set_today`), else the real date."""
    return _SCOPED.get() or _PROCESS or dt.date.today()


def set_today(day: dt.date | None) -> None:
    """Fix (or, with ``None``, release) the day of the whole process."""
    global _PROCESS
    _PROCESS = day


@contextlib.contextmanager
def fixed(day: dt.date | None) -> Iterator[None]:
    """Within the block (this task and the tasks it starts), :func:`today` is ``day`` (``None``:
    unchanged)."""
    token = _SCOPED.set(day)
    try:
        yield
    finally:
        _SCOPED.reset(token)


def parse_day(text: str) -> dt.date:
    """``YYYY-MM-DD`` as a date (a ``ValueError`` that says the expected form otherwise)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a date of the form YYYY-MM-DD") from None
