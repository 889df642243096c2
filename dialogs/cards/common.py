"""What every answer card shares: the text catalog, metric names, values in their unit, input names.

Every number comes from the result objects of :mod:`scoring.api` / :mod:`scoring.cosell`; every
sentence from the text catalog (``answers.*``, ``scoring.*``, ``cosell.*``, ``cards.*``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from dialogs import formatting
from dialogs.cards import kit
from kernel.texts import catalog
from scoring import api


def t(key: str, lang: str, **params: Any) -> str:
    return catalog().text(key, lang, **params)


def metric_name(metric_id: str, lang: str) -> str:
    return t(f"scoring.metric.{metric_id}", lang)


def value_text(unit: str, value: Fraction | None, lang: str) -> str:
    """A metric value in its unit: ``18.18%`` for growth, ``3`` people otherwise."""
    if value is None:
        return t("answers.score.no_value", lang)
    return formatting.percent(value, lang) if unit == "percent" else formatting.count(value, lang)


def limit_text(unit: str, value: Fraction, lang: str) -> str:
    """A threshold (full at): ``30%``, ``7``: no decimals that are zero."""
    shown = formatting.count(value, lang)
    return t("cards.format.percent", lang, value=shown) if unit == "percent" else shown


def amount_text(unit: str, amount: Fraction, lang: str) -> str:
    """Units to add: money for consumption value, whole units otherwise."""
    if unit in ("consumption_value", "percent"):
        return formatting.money(amount, lang)
    return formatting.count(amount, lang)


def button(name: str, lang: str) -> kit.Action:
    """A main-question button (``answers.button.<name>``): verb = the intent, text = the question."""
    verb = "enter_data" if name == "enter" else name
    return kit.submit(t(f"answers.button.{name}", lang), verb, text_=t(f"answers.button.{name}_text", lang))


def input_names(keys: Iterable[str], lang: str, edition: str) -> str:
    """Summary keys (``consumption_now``) as the inputs a person knows, in ``lang``, with the comparison
    window of ``edition`` (an edition id); ids never shown."""
    return "; ".join(
        api.input_name(k, edition, lang) if catalog().has(f"scoring.summary.{k}") else k for k in keys
    )


def render(item: Any, lang: str, missing: tuple[str, ...] = (), edition: str | None = None) -> str:
    """A scoring notice or explanation in ``lang``; its ``missing`` inputs, when it names any, are
    ``missing`` (the tuple the result carries) in words, never the ids scoring put in its text, named
    as ``edition`` (default: the explanation's own) names them."""
    if "missing" in item.params:
        named = input_names(missing, lang, edition or item.edition)
        item = dataclasses.replace(item, params={**item.params, "missing": named})
    return str(item.render(lang))


def market_meaning(rules: api.Edition, lang: str) -> str:
    """What the market means (larger or other), with the advanced certified people the first market
    needs for full points, from ``rules`` or, when they classify by track, the latest edition that
    classifies by market."""
    if rules.segment_kind != "market":
        rules = next(e for e in reversed(api.editions()) if e.segment_kind == "market")
    advanced = formatting.count(rules.full_at("advanced_certifications", rules.markets[0]), lang)
    return t("guided.profile.field.market.meaning", lang, advanced=advanced)


def track_meaning(rules: api.Edition, lang: str) -> str:
    """How Microsoft decides the track, with the classification's numbers, names and comparison window
    from ``rules`` (an edition with tracks)."""
    rule = rules.classification
    return t("guided.profile.field.track.meaning", lang, pairs=rule.min_pairs,
             months=rules.comparison_months, amount=api.threshold_words(rule.pair_revenue, lang),
             track=api.segment_name("track", rule.track, lang),
             otherwise=api.segment_name("track", rule.otherwise, lang))
