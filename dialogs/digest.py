"""What the bot says first: the monthly digest and warnings for one opted-in conversation.

:func:`prepare` reads a tenant's stored profile and kept history as of a day and returns a
:class:`Digest`: the score's key (month and exact total, to notice a change), the digest card
(score, change since the previous kept month, designation status, the most useful next step) and,
when there is anything to warn about, a warning card (a drop foreseen for next month, certifications
that expire within 30 days). Every number comes from :mod:`scoring.api`; the host
(:mod:`bot.notify`) decides when to send and sends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from botbuilder.schema import Activity

from dialogs import formatting
from dialogs.cards import kit
from dialogs.cards.common import amount_text, button, metric_name, t
from dialogs.cards.history import signed_points
from dialogs.intents.questions import expiry_lines
from kernel.errors import InputError
from kernel.formatting import unit_name
from scoring import api

WARN_DAYS = 30
"""A certification that expires within this many days is warned about."""


@dataclass(frozen=True)
class Digest:
    score_key: str
    """``<evaluated month>:<exact total>``: a different key means the score changed."""
    digest: Activity
    warning: Activity | None


def score_key(result: api.ScoreResult) -> str:
    return f"{result.evaluated_month}:{result.total}"


def current_key(profile: Mapping[str, Any] | None, today: dt.date) -> str | None:
    """The score key of a stored profile as of ``today`` (``None``: it cannot be scored)."""
    if profile is None:
        return None
    try:
        return score_key(api.evaluate(api.parse_profile(profile, "profile"), today=today))
    except InputError:
        return None


def prepare(
    profile: Mapping[str, Any], history: Sequence[Mapping[str, Any]], today: dt.date, lang: str,
    *, changed: bool = False,
) -> Digest | None:
    """The digest (and warning) of a stored profile as of ``today``; ``None`` when it cannot be scored."""
    try:
        parsed = api.parse_profile(profile, "profile")
        result = api.evaluate(parsed, today=today)
    except InputError:
        return None
    months = api.best_per_month(api.MonthScore.from_json(row) for row in history)
    return Digest(score_key(result), digest_card(parsed, result, months, lang, changed=changed),
                  warning_card(parsed, result, today, lang))


def digest_card(profile: api.Profile, result: api.ScoreResult, months: Sequence[api.MonthScore], lang: str,
                *, changed: bool = False) -> Activity:
    body: list[kit.Element] = [kit.title(t("digest.title_change" if changed else "digest.title", lang))]
    body.append(kit.text(t("digest.score", lang, month=formatting.month(str(result.evaluated_month), lang),
                           total=formatting.points(result.total, lang)), size="Large", bold=True))
    earlier = [m for m in months if m.month < result.evaluated_month]
    if earlier:
        before = earlier[0]
        difference = signed_points(result.total - before.total, lang)
        body.append(kit.text(t("digest.since", lang, difference=difference,
                               month=formatting.month(str(before.month), lang),
                               before=formatting.points(before.total, lang))))
    else:
        body.append(kit.text(t("digest.first", lang), subtle=True))
    key, style = {True: ("digest.met", "good"), False: ("digest.not_met", "attention"),
                  None: ("digest.open", "emphasis")}[result.designation_met]
    body.append(kit.container([kit.text(t(key, lang))], style=style))
    if result.window:
        body.extend(kit.text(line) for line in api.window_lines(api.fill_window(result, months), lang))
    body.append(kit.subtitle(t("digest.next_step", lang)))
    body.append(kit.text(next_step(result, lang)))
    return kit.reply(kit.card(body, [button("score", lang), button("history", lang)], lang=lang))


def next_step(result: api.ScoreResult, lang: str) -> str:
    """Not met: the first step of the cheapest plan; met: the metric with the most points to gain."""
    if result.designation_met is not True:
        plan = api.plan(result)
        if plan.feasible and plan.steps:
            step = plan.steps[0]
            amount = amount_text(step.unit, step.units, lang)
            if step.unit != "consumption_value":
                amount += " " + unit_name(f"scoring.unit.{step.unit}", step.units, lang)
            return t("digest.step_plan", lang, metric=metric_name(step.id, lang), amount=amount,
                     before=formatting.points(step.points_before, lang),
                     after=formatting.points(step.points_after, lang))
        if plan.reason is not None:
            return str(plan.reason.render(lang))
    room = max(result.metrics, key=lambda m: m.max_points - m.points)
    if room.max_points == room.points:
        return t("digest.step_none", lang)
    return t("digest.step_gain", lang, metric=metric_name(room.id, lang),
             points=formatting.points(room.max_points - room.points, lang))


def warning_card(profile: api.Profile, result: api.ScoreResult, today: dt.date, lang: str) -> Activity | None:
    """A drop foreseen for next month (from records) and certifications expiring within
    :data:`WARN_DAYS` days; ``None`` when there is neither."""
    lines: list[str] = []
    outlook = api.next_month_outlook(profile, today=today, result=result)
    if outlook is not None and outlook.points_at_stake() > 0:
        lines.append(t("warning.drop", lang, points=formatting.points(outlook.points_at_stake(), lang),
                       month=formatting.month(str(outlook.month), lang),
                       leaving=formatting.month(str(outlook.leaving), lang),
                       months=api.get_edition(result.edition).comparison_months))
    lines += expiry_lines(profile, today, lang, before=today + dt.timedelta(days=WARN_DAYS + 1))
    if not lines:
        return None
    body = [kit.title(t("warning.title", lang)), *(kit.text(line) for line in lines)]
    return kit.reply(kit.card(body, [button("forecast", lang)], lang=lang))
