"""How-it-works answers: a metric or the designation explained, what counts, when it counts.

Long lists (every workload, certification or rate) show their first lines; the rest is one tap
away (``Action.ShowCard``), so the answer stays short on a phone.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from fractions import Fraction

from dialogs import formatting
from dialogs.cards import kit
from dialogs.cards.common import button, limit_text, metric_name, render, t
from scoring import api

SHOWN = 3
"""Lines of a list shown before "Show all"."""


def _limit(rule: api.MetricRule, lang: str, segment: str) -> str:
    return limit_text(rule.unit, rule.full_at[segment], lang)


def _per_unit(rule: api.MetricRule, market: str, lang: str) -> str:
    full_at = rule.full_at[market]
    return formatting.points(Fraction(rule.max_points) / full_at, lang) if full_at else "0"


def explain_card(
    edition: api.Edition, metric_id: str | None, result: api.ScoreResult | None, lang: str
) -> kit.Card:
    """How a metric (or the designation) works, with the partner's own numbers when known."""
    body: list[kit.Element] = []
    if metric_id is None:
        items = [
            t(
                "answers.explain.metric_line",
                lang,
                metric=metric_name(m.id, lang),
                max=m.max_points,
                limits=api.per_segment(edition, lang, functools.partial(_limit, m, lang)),
            )
            for m in edition.metrics
        ]
        body += [
            kit.title(t("answers.explain.rule_title", lang)),
            kit.text(
                t(
                    "answers.explain.rule",
                    lang,
                    minimum=formatting.count(edition.min_total, lang),
                    per_metric=formatting.count(edition.min_points_per_metric, lang),
                    max=api.max_total(edition),
                )
            ),
            kit.bullets(items),
        ]
        if result is not None:
            yours = [
                f"{metric_name(m.id, lang)}: {render(m.explanation, lang, m.missing)}" for m in result.metrics
            ]
            body += [kit.subtitle(t("answers.explain.yours", lang)), kit.bullets(yours)]
    else:
        rule = edition.metric(metric_id)
        how = definition(edition, metric_id, lang)
        body += [
            kit.title(t("answers.explain.title", lang, metric=metric_name(metric_id, lang))),
            kit.text(how),
        ]
        markets = [result.market] if result is not None else list(edition.markets)
        for market in markets:
            scoring = t(
                ("answers.explain.scoring_yours_track" if edition.segment_kind == "track"
                 else "answers.explain.scoring_yours") if result is not None else "answers.explain.scoring",
                lang,
                market=t(f"scoring.market.{market}", lang),
                each=t(f"answers.explain.each.{rule.unit}", lang),
                max=rule.max_points,
                full_at=limit_text(rule.unit, rule.full_at[market], lang),
                per_unit=_per_unit(rule, market, lang),
            )
            body.append(kit.text(scoring, subtle=result is None))
        if result is not None:
            metric = result.metric(metric_id)
            body += [
                kit.subtitle(t("answers.explain.yours", lang)),
                kit.container([kit.text(render(metric.explanation, lang, metric.missing))], style="emphasis"),
            ]
    body.append(kit.text(t("answers.explain.source", lang, edition=api.edition_name(edition, lang)),
                         subtle=True, size="Small"))
    readings = api.edition_readings(edition, lang)
    if readings:  # where the rules are the product's reading rather than Microsoft's text, say so
        body += [kit.text(t("scoring.edition.readings", lang), subtle=True, size="Small"),
                 kit.bullets(list(readings))]
    if result is None:
        body.append(kit.text(t("answers.explain.no_profile", lang), subtle=True))
        return kit.card(body, [button("enter", lang)], lang=lang)
    return kit.card(body, lang=lang)


def definition(edition: api.Edition, metric_id: str, lang: str) -> str:
    """What the metric counts under ``edition``: "A deployment is a (customer, workload) pair …"."""
    return t(
        f"answers.explain.{metric_id}",
        lang,
        min_revenue=api.pair_threshold_words(edition, lang),
        months=edition.comparison_months,
        baselines=_per_segment(edition, edition.baseline, lang),
        minimums=_per_segment(edition, edition.deployment_min, lang),
    )


def _items(items: Sequence[str]) -> kit.Element:
    return kit.text(items[0]) if len(items) == 1 else kit.bullets(items)


def eligibility_card(title: str, sections: Sequence[tuple[str | None, Sequence[str]]], lang: str) -> kit.Card:
    """Sections of (heading, lines): which workloads, attributions, certifications count. A section
    longer than :data:`SHOWN` lines shows its first lines and "Show all" opens the whole list."""
    body: list[kit.Element] = [kit.title(title)]
    for heading, items in sections:
        if heading:
            body.append(kit.subtitle(heading))
        if len(items) > SHOWN + 1:
            body += [
                _items(items[:SHOWN]),
                kit.action_set(
                    [
                        kit.show_card(
                            t("cards.show_all", lang, count=len(items) - SHOWN), [_items(items[SHOWN:])]
                        )
                    ]
                ),
            ]
        elif items:
            body.append(_items(items))
    return kit.card(body, lang=lang)


def freshness_card(paragraphs: Sequence[str], lang: str) -> kit.Card:
    return kit.card(
        [kit.title(t("answers.freshness.title", lang)), *[kit.text(p) for p in paragraphs]], lang=lang
    )


def text_card(title: str, paragraphs: Sequence[str], lang: str) -> kit.Card:
    """A short answer in words: a title and its paragraphs, the first one being the answer."""
    return kit.card([kit.title(title), *[kit.text(p) for p in paragraphs]], lang=lang)


def _per_segment(edition: api.Edition, amounts: Mapping[str, Fraction], lang: str) -> str:
    """An amount per market or track of ``edition``, each named: "USD 1,000 (Enterprise track) / …"."""
    return api.per_segment(edition, lang, lambda segment: formatting.money(amounts[segment], lang))
