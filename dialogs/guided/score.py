"""The scorecard shown when the partner data dialog ends.

The answers engineer's score card (``dialogs.answers``) is the full one; until the router hands a
way to call it, the data dialog shows this minimal card built with the card kit from
:func:`scoring.api.evaluate`: total, designation, the five metrics with points and a bar, reasons
and warnings.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from botbuilder.schema import Activity

from dialogs import formatting
from dialogs.cards import kit
from scoring import api
from scoring.errors import InputError
from scoring.loading import catalog


def _t(key: str, lang: str, **params: Any) -> str:
    return catalog().text(f"guided.score.{key}", lang, **params)


def score_card(result: api.ScoreResult, lang: str) -> Activity:
    """A compact scorecard of ``result``."""
    cat = catalog()
    heading = _t("title", lang)
    total = _t("total", lang, total=formatting.points(result.total, lang))
    if result.designation_met is None:
        verdict, style = _t("open", lang), "warning"
    elif result.designation_met:
        verdict, style = _t("met", lang), "good"
    else:
        verdict, style = _t("not_met", lang), "attention"
    body: list[kit.Element] = [
        kit.title(heading),
        kit.text(_t("month", lang, month=formatting.month(str(result.evaluated_month), lang),
                    market=cat.text(f"scoring.market.{result.market}", lang)), subtle=True),
        kit.container([kit.text(total, bold=True, size="Large"), kit.text(verdict, bold=True)], style=style),
    ]
    lines = [heading, total, verdict]
    for metric in result.metrics:
        name = cat.text(f"scoring.metric.{metric.id}", lang)
        shown = _t("metric", lang, points=formatting.points(metric.points, lang), max=metric.max_points)
        body += [kit.columns(([kit.text(name)], "stretch"), ([kit.text(shown, bold=True)], "auto")),
                 kit.metric_bar(metric.points / metric.max_points if metric.max_points else 0)]
        lines.append(f"{name}: {shown}")
    notes = [n.render(lang) for n in (*result.not_met, *result.warnings)]
    if notes:
        body.append(kit.bullets(notes, subtle=True))
        lines += notes
    fallback = "\n".join(lines)
    return kit.reply(kit.card(body, fallback_text=fallback, lang=lang), fallback)


def score_reply(profile: Mapping[str, Any], lang: str, today: date) -> Activity:
    """The scorecard of a stored profile, or why it cannot be scored (in ``lang``)."""
    try:
        result = api.evaluate(api.parse_profile(profile, "profile"), today=today)
    except InputError as err:
        return Activity(type="message", text=err.render(lang))
    return score_card(result, lang)
