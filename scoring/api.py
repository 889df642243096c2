"""The scoring engine's public face: code in ``dialogs/`` and ``bot/`` imports from here only.

Names here stay stable; internals live in sibling modules.

Profiles (RULES.md C.1)
    ``load_profile(path) -> Profile``                      a YAML/JSON file; CSV records relative to it
    ``parse_profile(data, source, base_dir=None) -> Profile`` the stored mapping (cheap: no records read)
    ``Profile``: ``partner``, ``market`` (None if not given), ``evaluated_month`` (Month | None),
    ``rules`` (edition id | None), ``summary`` (key → Fraction), ``records`` (kind → RecordSource),
    ``has_records(kind)``. ``RECORD_FIELDS``: record kind → (required fields, optional fields).
    ``SUMMARY_KEYS``: tuple of ``SummaryKey(key, metric, kind)``; ``kind`` is ``count``,
    ``signed_count`` or ``amount``; ``text_key`` is the catalog key of its meaning (for prompts).
    ``set_summary(data, key, value) -> dict``: a new, validated C.1 mapping with one summary value set
    (``None`` removes it); ``set_market(data, market) -> dict``. The input mapping is not changed.

Scores
    ``evaluate(profile, *, today=None, edition=None) -> ScoreResult``
    ``ScoreResult``: ``total`` (exact Fraction; Decimal cannot hold 15/7), ``shown_total`` (Decimal,
    half-up), ``designation_met`` (bool, or None when missing inputs leave it open),
    ``not_met``/``warnings`` (tuples of ``Notice(code, params, metric)`` with ``render(lang)``),
    ``metrics`` (``MetricResult``: id, category, unit, value, points, max_points, full_at, inputs,
    input_source, explanation (``Explanation(key, params, rule, edition)`` with ``render(lang)``),
    reason, missing, shown_points, shown_value), ``evaluated_month``, ``edition``, ``market``,
    ``rows`` (``RowCount(kind, used, ignored)``), ``missing_inputs``, ``to_json()`` (C.2).
    Metric ids: ``METRIC_IDS`` (net_customer_adds, intermediate_certifications,
    advanced_certifications, usage_growth, deployments). Markets: larger, other.

Gaps, plan, what-if (A.10)
    ``gaps(profile_or_result, *, today=None, edition=None) -> GapResult``: per metric
    ``MetricGap(id, unit, units_to_max, units_to_designation, max_reason, designation_reason,
    blocking)`` and ``plan``; ``to_json()`` (C.3).
    ``reason_text(reason, lang, edition)``: why a gap has no number, with the edition's figures.
    ``plan(profile_or_result, *, today=None, edition=None) -> PlanResult(feasible, steps, total_after,
    cost, reason)``; fewest added units, tie-break documented in :mod:`scoring.gaps`.
    ``what_if(profile, changes, *, today=None, edition=None) -> WhatIfResult(changes, before, after,
    difference, metric_differences)``; ``changes`` maps metric id → added units (people, adds,
    deployments); for ``usage_growth`` the monthly consumption value added to the latest month; or
    it is the ``AppliedChanges`` of ``apply_changes``.

Stated changes (what-if and update in chat)
    ``Change(metric, amount, mode="add"|"set", unit="count"|"percent", past=False, stated=None)``: what
    an admin stated ("2 more advanced people", "usage up by 10 %", "deployments to 12").
    ``apply_changes(result, changes) -> AppliedChanges(values, before, units)``: the one translation
    into scoring's inputs: ``values`` are the summary keys to store (an update), ``units`` the added
    units per metric, and the whole object can be given to ``what_if``. Meanings: :mod:`scoring.changes`.

Time (A.9)
    ``latest_evaluable_month(today) -> Month``; ``when_counts(kind, on) -> date`` with kind in
    ``WHEN_KINDS`` (revenue, usage, workload_added, certification_earned, certification_linked);
    ``certification_counts_by(earned, linked=None) -> date``. ``Month``: ``str(m) == "2026-10"``,
    ``Month.parse(text)``, ``shift(n)``. Next-month drop: a ``next_month_drop`` warning of
    ``evaluate`` when monthly records are given.

Monthly history (:mod:`scoring.history`)
    ``month_scores(profile, *, today=None, edition=None) -> tuple[MonthScore, ...]``: the evaluated
    month and the earlier months records cover, latest first (empty for an incomplete profile).
    ``MonthScore(month, edition, total, designation_met, metrics: id → MetricMonth(value, points))``,
    ``to_json()`` / ``MonthScore.from_json``; ``best_per_month(scores)`` (highest per month, latest
    first); ``month_changes(before, after) -> tuple[MetricChange, ...]``; ``fill_window(result,
    history)``: the qualification window's months without records taken from the history;
    ``refresh_day(day)``: the data-refresh day of that day's month.

Ahead of time (:mod:`scoring.ahead`)
    ``next_month_outlook(profile, *, today=None, edition=None, result=None) -> Outlook | None``: from
    monthly records, ``Outlook(month, leaving, entering, drops, items)``: the customers and workloads
    (``Leaving(metric, customer, workload, amount)``) that leave the comparison window next month, and
    ``points_at_stake(metric=None)``. ``expiring_certifications(profile, *, before, today=None,
    edition=None) -> tuple[Expiry, ...]``: per level, counted people whose certifications all expire
    before a day: ``Expiry(metric, level, people, first, last, before, points)``.

Rule editions
    ``editions() -> tuple[Edition, ...]`` (oldest first), ``get_edition(id)``, ``edition_for(month)``,
    ``edition_on(day)``. ``Edition``: ``id``, ``title``, ``effective_from``, ``path``, ``sources``,
    ``section_sources``, ``markets``, ``min_total``, ``min_points_per_metric``, ``metrics``
    (``MetricRule``: id, category, unit, rule, max_points, full_at[market], source), ``metric(id)``,
    ``full_at(id, market)``, ``min_revenue_usd_exclusive``, ``channels``, ``family_attributions``,
    ``revenue_workloads`` (id → name, family), ``revenue_workload_of`` (row id → the
    performance-list workload it counts under), ``usage_attributions``, ``usage_workloads`` (id → name,
    covers), ``rate_card`` (id → name, rate, unit), ``unrated_usage_workloads``, ``baseline[market]``,
    ``deployment_min[market]``, ``comparison_months`` (the window "now" is compared over: the 12 of
    ``consumption_12_months_ago`` is the name of an input, the window is this value),
    ``monthly_data_available_day``, ``certification_delay_days``, ``certifications`` /
    ``certifications_of_level(level)`` / ``certification_level(name_or_code)``.
    ``input_name(key, rules, lang)``: a summary input in words, with the edition's window
    ("consumption 12 months before the latest month").

Formatting
    ``round_half_up(value, places=2) -> Decimal``; ``format_number(value, lang, places=2) -> str``
    (``1.234,50`` in Dutch).

Errors: bad input raises :class:`kernel.errors.InputError` (codes ``scoring.*``, texts in
``config/texts/scoring.yaml``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from fractions import Fraction

from kernel.texts import catalog
from scoring import gaps as _gaps
from scoring.ahead import Expiry, Leaving, Outlook
from scoring.ahead import expiring as expiring_certifications
from scoring.ahead import outlook as next_month_outlook
from scoring.changes import MODES, UNITS, AppliedChanges, Change, apply_changes
from scoring.edition import (
    LEVELS,
    METRIC_IDS,
    Certification,
    Edition,
    MetricRule,
    Rate,
    RevenueWorkload,
    UsageWorkload,
)
from scoring.editions import all_editions, edition_for, edition_on, get_edition
from scoring.engine import evaluate
from scoring.gaps import reason_text, what_if
from scoring.history import (
    MetricChange,
    MetricMonth,
    MonthScore,
    best_per_month,
    fill_window,
    month_scores,
    refresh_day,
)
from scoring.history import changes as month_changes
from scoring.months import Month
from scoring.numbers import format_number, round_half_up
from scoring.profile import (
    SUMMARY_KEYS,
    Profile,
    RecordSource,
    SummaryKey,
    load_profile,
    parse_profile,
    set_market,
    set_summary,
    set_track,
)
from scoring.results import (
    Explanation,
    GapResult,
    MetricGap,
    MetricResult,
    Notice,
    PlanResult,
    PlanStep,
    RowCount,
    ScoreResult,
    WhatIfResult,
    WindowMonth,
)
from scoring.rows import RECORD_FIELDS
from scoring.rulefile import Threshold
from scoring.timing import WHEN_KINDS, certification_counts_by, when_counts
from scoring.timing import latest_evaluable_month as _latest
from scoring.wording import edition_words


def _segments(kind: str) -> tuple[str, ...]:
    out: list[str] = []
    for rules in all_editions():
        out += [s for s in rules.markets if rules.segment_kind == kind and s not in out]
    return tuple(out)


MARKETS = _segments("market")
"""The market ids of the editions that classify by market (2022: larger, other)."""
TRACKS = _segments("track")
"""The track ids of the editions that classify by track (2023: enterprise, smb)."""

__all__ = [
    "LEVELS",
    "MARKETS",
    "METRIC_IDS",
    "MODES",
    "RECORD_FIELDS",
    "SUMMARY_KEYS",
    "TRACKS",
    "UNITS",
    "WHEN_KINDS",
    "AppliedChanges",
    "Certification",
    "Change",
    "Edition",
    "Expiry",
    "Explanation",
    "GapResult",
    "Leaving",
    "MetricChange",
    "MetricGap",
    "MetricMonth",
    "MetricResult",
    "MetricRule",
    "Month",
    "MonthScore",
    "Notice",
    "Outlook",
    "PlanResult",
    "PlanStep",
    "Profile",
    "Rate",
    "RecordSource",
    "RevenueWorkload",
    "RowCount",
    "ScoreResult",
    "SummaryKey",
    "UsageWorkload",
    "WhatIfResult",
    "WindowMonth",
    "apply_changes",
    "best_per_month",
    "certification_counts_by",
    "edition_for",
    "edition_label",
    "edition_name",
    "edition_on",
    "edition_readings",
    "editions",
    "evaluate",
    "expiring_certifications",
    "fill_window",
    "format_number",
    "gaps",
    "get_edition",
    "input_name",
    "latest_evaluable_month",
    "load_profile",
    "max_total",
    "month_changes",
    "month_scores",
    "next_month_outlook",
    "pair_threshold_words",
    "parse_profile",
    "per_segment",
    "plan",
    "reason_text",
    "refresh_day",
    "round_half_up",
    "segment_name",
    "set_market",
    "set_summary",
    "set_track",
    "threshold_words",
    "usd",
    "what_if",
    "when_counts",
    "window_lines",
]


def editions() -> tuple[Edition, ...]:
    """Every rule edition in ``config/pcs``, oldest first."""
    return all_editions()


def edition_label(rules: Edition | str, lang: str = "en") -> str:
    """The edition in words: "rules of June 2023, as Microsoft documented them on 13 June 2023;
    Partner Center is authoritative" (from its ``effective_from`` and ``documented`` dates): the
    heading of command-line output."""
    found = rules if isinstance(rules, Edition) else get_edition(rules)
    return edition_words(found.effective_from, found.documented, lang, long=True)


def edition_name(rules: Edition | str, lang: str = "en") -> str:
    """Which rules an answer used, in words: "the rules of June 2023 (Microsoft, 13 June 2023)"."""
    found = rules if isinstance(rules, Edition) else get_edition(rules)
    return edition_words(found.effective_from, found.documented, lang)


def max_total(rules: Edition) -> int:
    """The most points an edition gives: the sum of its metrics' maximum points (100)."""
    return sum(m.max_points for m in rules.metrics)


def input_name(key: str, rules: Edition | str, lang: str = "en") -> str:
    """A summary input (``consumption_12_months_ago``) as a person knows it, in ``lang``, naming the
    comparison window of ``rules`` (the key keeps its name; the words say the edition's months)."""
    found = rules if isinstance(rules, Edition) else get_edition(rules)
    return catalog().text(f"scoring.summary.{key}", lang, months=found.comparison_months)


def usd(amount: Fraction | int, lang: str = "en") -> str:
    """``USD 1,500`` / ``USD 1.500``: an amount of an edition, for texts."""
    return catalog().text("scoring.format.usd", lang, value=format_number(amount, lang))


def threshold_words(threshold: Threshold, lang: str = "en") -> str:
    """An amount with its comparison: "more than USD 5,000", "at least USD 250"."""
    amount = usd(threshold.amount, lang)
    return catalog().text(f"scoring.comparison.{threshold.comparison}", lang, amount=amount)


def pair_threshold_words(rules: Edition, lang: str = "en", segment: str | None = None) -> str:
    """How much revenue qualifies a (customer, workload) pair: "more than USD 1,500", or per segment
    when they differ ("more than USD 1,500 (Enterprise track) / at least USD 250 (SMB track)")."""

    def words(seg: str) -> str:
        return threshold_words(rules.pair_minimum[seg], lang)

    if segment is not None:
        return words(segment)
    shown = {words(s) for s in rules.markets}
    if len(shown) == 1:
        return shown.pop()
    return per_segment(rules, lang, words)


def per_segment(rules: Edition, lang: str, value: Callable[[str], str]) -> str:
    """"X (larger markets) / Y (other markets)": one value per market or track of the edition."""
    return catalog().text("scoring.list.or", lang).join(
        catalog().text("scoring.per_segment", lang, value=value(s),
                       segment=segment_name(rules.segment_kind, s, lang))
        for s in rules.markets
    )


def edition_readings(rules: Edition | str, lang: str = "en") -> tuple[str, ...]:
    """Where the edition's values are the product's reading rather than Microsoft's text, in words."""
    found = rules if isinstance(rules, Edition) else get_edition(rules)
    return tuple(catalog().text(f"scoring.reading.{key}", lang) for key in found.readings)


def segment_name(result_or_kind: ScoreResult | str, segment: str, lang: str = "en") -> str:
    """"larger markets" / "Enterprise track": the name of a market or track id."""
    del result_or_kind  # markets and tracks have distinct ids; their names share one key family
    return catalog().text(f"scoring.market.{segment}", lang)


def window_lines(result: ScoreResult, lang: str = "en") -> tuple[str, ...]:
    """Under a qualification window: qualified now / in month M (score) / in no month with data, and
    the months without data. Empty when the edition has no window for that month."""
    if not result.window:
        return ()
    cat = catalog()
    rules = get_edition(result.edition)
    lines: list[str] = []
    found = result.qualified_in
    if found is not None and found.month == result.evaluated_month:
        lines.append(cat.text("scoring.window.qualified_now", lang, month=_month_words(found.month, lang),
                              total=format_number(round_half_up(found.total), lang, fixed=True)))
    elif found is not None:
        lines.append(cat.text("scoring.window.qualified_in", lang, month=_month_words(found.month, lang),
                              total=format_number(round_half_up(found.total), lang, fixed=True),
                              months=rules.qualification_months))
    else:
        checked = ", ".join(_month_words(w.month, lang) for w in result.window)
        lines.append(cat.text("scoring.window.not_qualified", lang, checked=checked))
    if result.window_without_data:
        months = ", ".join(_month_words(m, lang) for m in result.window_without_data)
        lines.append(cat.text("scoring.window.without_data", lang, months=months))
    return tuple(lines)


def _month_words(when: date | Month, lang: str) -> str:
    return f"{catalog().text(f'scoring.month.{when.month}', lang)} {when.year}"


def latest_evaluable_month(today: date) -> Month:
    """A.9: the latest month whose revenue and usage data are available on ``today``."""
    return _latest(today)


def _result(subject: Profile | ScoreResult, today: date | None, edition: str | None) -> ScoreResult:
    return subject if isinstance(subject, ScoreResult) else evaluate(subject, today=today, edition=edition)


def gaps(
    subject: Profile | ScoreResult, *, today: date | None = None, edition: str | None = None
) -> GapResult:
    """A.10 gaps per metric and a plan, for a profile (evaluated first) or a result."""
    return _gaps.gaps(_result(subject, today, edition))


def plan(
    subject: Profile | ScoreResult, *, today: date | None = None, edition: str | None = None
) -> PlanResult:
    """A.10 plan: fewest added units over several metrics after which the designation holds."""
    return _gaps.plan(_result(subject, today, edition))
