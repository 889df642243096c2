"""Monthly history: the score of every month a profile can be evaluated for, and what changed.

- :func:`month_scores` scores the evaluated month and, where monthly records cover them (revenue and
  usage rows in that month and in its comparison month, every metric from records), the months
  before it: what a stored profile
  says about each month, kept by the host after each import or saved change.
- :class:`MonthScore` is one such month (edition, total, designation, each metric's value and
  points) and round-trips through JSON (:meth:`MonthScore.to_json` / :meth:`MonthScore.from_json`),
  exact (fractions as ``"n/d"``).
- :func:`best_per_month` keeps the highest score of each month, as Partner Center shows a month;
  :func:`changes` says which metrics moved between two months, by how many points.
- :func:`fill_window` gives the qualification window (RULES-2023.md A′.2) the months that the
  records do not cover but the history knows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from typing import Any

from kernel.errors import InputError
from scoring.choice import choose_edition
from scoring.engine import _has_rows, evaluate
from scoring.months import Month
from scoring.profile import Profile
from scoring.results import ScoreResult, WindowMonth
from scoring.timing import monthly_data_counts_on


@dataclass(frozen=True)
class MetricMonth:
    """One metric in one month: its value (``None`` when it could not be computed) and points."""

    value: Fraction | None
    points: Fraction


@dataclass(frozen=True)
class MonthScore:
    """The score of one month, as kept in the history."""

    month: Month
    edition: str
    total: Fraction
    designation_met: bool | None
    metrics: Mapping[str, MetricMonth]

    @classmethod
    def of(cls, result: ScoreResult) -> MonthScore:
        return cls(
            result.evaluated_month,
            result.edition,
            result.total,
            result.designation_met,
            {m.id: MetricMonth(m.value, m.points) for m in result.metrics},
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "month": str(self.month),
            "edition": self.edition,
            "total": _text(self.total),
            "designation_met": self.designation_met,
            "metrics": {
                mid: {"value": None if m.value is None else _text(m.value), "points": _text(m.points)}
                for mid, m in self.metrics.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MonthScore:
        metrics = {
            mid: MetricMonth(None if m["value"] is None else Fraction(m["value"]), Fraction(m["points"]))
            for mid, m in dict(data["metrics"]).items()
        }
        met = data.get("designation_met")
        return cls(Month.parse(data["month"]), str(data["edition"]), Fraction(data["total"]),
                   None if met is None else bool(met), metrics)


def _text(value: Fraction) -> str:
    return str(Fraction(value))


def month_scores(
    profile: Profile, *, today: date | None = None, edition: str | None = None, back: int | None = None
) -> tuple[MonthScore, ...]:
    """The evaluated month's score and those of earlier months the records cover, latest first:
    ``back`` months before it (default: the rest of one comparison window of the edition, 11 of 12).
    Empty when the profile cannot be scored completely (inputs missing, a track to ask): a partial
    profile is no month's score."""
    try:
        result = evaluate(profile, today=today, edition=edition)
    except InputError:
        return ()
    if result.missing_inputs:
        return ()
    found = [MonthScore.of(result)]
    if not all(m.input_source == "records" for m in result.metrics):
        return tuple(found)
    rules, month = choose_edition(profile, today, edition)
    for k in range(1, (rules.comparison_months - 1 if back is None else back) + 1):
        earlier = month.shift(-k)
        compared = earlier.shift(-rules.comparison_months)
        needed = ((kind, m) for kind in ("revenue", "usage") for m in (earlier, compared))
        if not all(_has_rows(profile, kind, rules, m) for kind, m in needed):
            continue  # a month without rows, or whose comparison month has none, is not known
        try:
            scored = evaluate(replace(profile, evaluated_month=earlier), edition=edition)
        except InputError:
            continue
        if not scored.missing_inputs:
            found.append(MonthScore.of(scored))
    return tuple(found)


def best_per_month(scores: Iterable[MonthScore]) -> tuple[MonthScore, ...]:
    """The highest score of each month (Partner Center shows a month's highest), latest month first."""
    best: dict[Month, MonthScore] = {}
    for score in scores:
        kept = best.get(score.month)
        if kept is None or score.total > kept.total:
            best[score.month] = score
    return tuple(best[m] for m in sorted(best, reverse=True))


@dataclass(frozen=True)
class MetricChange:
    metric: str
    points_before: Fraction
    points_after: Fraction
    value_before: Fraction | None
    value_after: Fraction | None

    @property
    def difference(self) -> Fraction:
        return self.points_after - self.points_before


def changes(before: MonthScore, after: MonthScore) -> tuple[MetricChange, ...]:
    """The metrics whose points or value differ from ``before`` to ``after``, biggest move first."""
    out: list[MetricChange] = []
    for mid, now in after.metrics.items():
        then = before.metrics.get(mid)
        if then is None or (then.points, then.value) == (now.points, now.value):
            continue
        out.append(MetricChange(mid, then.points, now.points, then.value, now.value))
    return tuple(sorted(out, key=lambda c: -abs(c.difference)))


def fill_window(result: ScoreResult, history: Iterable[MonthScore]) -> ScoreResult:
    """The qualification window of ``result`` with the months the records do not cover taken from
    ``history`` (their highest score under the same edition): "qualified in August" can come from a
    month kept earlier. ``result`` is returned unchanged without a window."""
    if not result.window_without_data:
        return result
    known = {s.month: s for s in best_per_month(h for h in history if h.edition == result.edition)}
    window = list(result.window)
    lacking: list[Month] = []
    for month in result.window_without_data:
        kept = known.get(month)
        if kept is None:
            lacking.append(month)
        else:
            window.append(WindowMonth(month, kept.total, kept.designation_met))
    window.sort(key=lambda w: w.month, reverse=True)
    return replace(result, window=tuple(window), window_without_data=tuple(lacking))


def refresh_day(day: date) -> date:
    """The data-refresh day of ``day``'s month: when the previous month's revenue and usage land
    (the edition's monthly data day: the 15th under the 2022 rules, the 20th under 2023's)."""
    return monthly_data_counts_on(Month.of(day).shift(-1))
