"""The score history card: the last six months' highest scores and what changed between them.

Every number comes from :mod:`scoring.api` (``MonthScore``, ``month_changes``, ``window_lines``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction

from dialogs import formatting
from dialogs.cards import kit
from dialogs.cards.common import metric_name, t, value_text
from scoring import api

SHOWN_MONTHS = 6
"""Partner Center shows six months of scoring history."""


def _status(met: bool | None, lang: str) -> tuple[str, str]:
    if met is None:
        return t("history.open", lang), "emphasis"
    return (t("history.met", lang), "good") if met else (t("history.not_met", lang), "attention")


def signed_points(value: Fraction, lang: str) -> str:
    """``+2.49`` / ``−1.00`` / ``0.00`` points with a visible sign."""
    shown = formatting.points(abs(value), lang)
    return f"+{shown}" if value > 0 else (f"\u2212{shown}" if value < 0 else shown)


def history_card(
    months: Sequence[api.MonthScore],
    partner: str | None,
    lang: str,
    window: Sequence[str] = (),
) -> kit.Card:
    """``months``: the highest score per month, latest first (``api.best_per_month``); the card shows
    the latest :data:`SHOWN_MONTHS` oldest first, a bar each, then the changes between them."""
    name = kit.plain(partner) if partner else t("answers.score.unnamed", lang)
    body: list[kit.Element] = [kit.title(t("history.title", lang)),
                               kit.text(t("history.subtitle", lang, partner=name), subtle=True)]
    if not months:
        body.append(kit.text(t("history.none", lang)))
        return kit.card(body, lang=lang)
    shown = list(reversed(months[:SHOWN_MONTHS]))
    for score in shown:
        status, style = _status(score.designation_met, lang)
        line = t("history.month_line", lang, month=formatting.month(str(score.month), lang),
                 total=formatting.points(score.total, lang))
        # the bar has the card's width to itself: beside the status it was cut off on a phone
        body.append(kit.container([
            kit.text(line, bold=True),
            kit.bar(score.total / 100, colour="default" if style != "emphasis" else "accent"),
            kit.text(status, size="Small"),
        ], style=style, spacing="Small"))
    lacking = _lacking(shown)
    if lacking:
        names = ", ".join(formatting.month(m, lang) for m in lacking)
        body.append(kit.text(t("history.gap", lang, months=names), subtle=True))
    if len(shown) == 1:
        body.append(kit.text(t("history.one_month", lang, month=formatting.month(str(shown[0].month), lang))))
    else:
        body.append(kit.subtitle(t("history.changes", lang)))
        for before, after in itertools.pairwise(shown):
            body.extend(_step(before, after, lang))
    if window:
        body.append(kit.subtitle(t("history.window", lang)))
        body.extend(kit.text(line) for line in window)
    return kit.card(body, lang=lang)


def _lacking(shown: Sequence[api.MonthScore]) -> list[str]:
    """Months between the first and the last shown that have no score kept."""
    kept = {s.month for s in shown}
    out: list[str] = []
    month = shown[0].month
    while month < shown[-1].month:
        if month not in kept:
            out.append(str(month))
        month = month.shift(1)
    return out


def _step(before: api.MonthScore, after: api.MonthScore, lang: str) -> list[kit.Element]:
    names = {"before": formatting.month(str(before.month), lang),
             "after": formatting.month(str(after.month), lang)}
    moved = api.month_changes(before, after)
    difference = after.total - before.total
    if not moved and difference == 0:
        return [kit.text(t("history.step_same", lang, **names), spacing="Small")]
    lines = [
        t("history.step_metric", lang, metric=metric_name(c.metric, lang),
          value_before=_value(before.edition, c.metric, c.value_before, lang),
          value_after=_value(after.edition, c.metric, c.value_after, lang),
          difference=signed_points(c.difference, lang))
        for c in moved
    ]
    head = (t("history.step", lang, difference=signed_points(difference, lang), **names) if difference
            else t("history.step_same_points", lang, **names))
    items: list[kit.Element] = [kit.text(head, bold=True, spacing="Small")]
    if lines:
        items.append(kit.bullets(lines))
    return items


def _value(edition: str, metric: str, value: Fraction | None, lang: str) -> str:
    return value_text(api.get_edition(edition).metric(metric).unit, value, lang)
