"""Answer cards: pure functions from scoring results to Adaptive Cards, in English or Dutch.

Every number comes from the result objects of :mod:`scoring.api` / :mod:`scoring.cosell`; every
sentence from the text catalog (``answers.*``, ``scoring.*``, ``cosell.*``). Each builder returns a
:data:`dialogs.cards.kit.Card` whose ``fallbackText`` is the plain-text version of the answer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from fractions import Fraction
from typing import Any

from dialogs import formatting
from dialogs.cards import kit
from kernel.formatting import unit_name
from kernel.texts import catalog
from scoring import api
from scoring.cosell import Explanation as CosellExplanation

_Named = Any  # a scoring Notice or Explanation: frozen, with ``params``


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


def _build(
    body: list[kit.Element], lines: list[str], lang: str, actions: Sequence[kit.Action] = ()
) -> kit.Card:
    return kit.card(body, actions, fallback_text="\n".join(line for line in lines if line), lang=lang)


def button(name: str, lang: str) -> kit.Action:
    """A main-question button (``answers.button.<name>``): verb = the intent, text = the question."""
    verb = "enter_data" if name == "enter" else name
    return kit.submit(t(f"answers.button.{name}", lang), verb, text_=t(f"answers.button.{name}_text", lang))


# ---------------------------------------------------------------- scorecard


def _verdict(result: api.ScoreResult, lang: str) -> tuple[str, str]:
    if result.designation_met is None:
        return t("answers.score.open", lang), "warning"
    if result.designation_met:
        rules = api.get_edition(result.edition)
        return t(
            "answers.score.met",
            lang,
            minimum=formatting.count(rules.min_total, lang),
            per_metric=formatting.count(rules.min_points_per_metric, lang),
        ), "good"
    return t("answers.score.not_met", lang), "attention"


def _subtitle(result: api.ScoreResult, lang: str) -> str:
    return t(
        "answers.score.subtitle",
        lang,
        partner=result.partner or t("answers.score.unnamed", lang),
        market=t(f"scoring.market.{result.market}", lang),
        month=formatting.month(str(result.evaluated_month), lang),
        edition=result.edition,
    )


def score_card(result: api.ScoreResult, lang: str) -> kit.Card:
    """Total of 100, designation and why, the five metrics with bars, edition, month, warnings."""
    title = t("answers.score.title", lang)
    subtitle = _subtitle(result, lang)
    total = t("answers.score.total", lang, total=formatting.points(result.total, lang))
    verdict, style = _verdict(result, lang)
    body: list[kit.Element] = [
        kit.title(title),
        kit.text(subtitle, subtle=True, spacing="None"),
        kit.container(
            [kit.text(total, bold=True, size="ExtraLarge"), kit.text(verdict, bold=True)], style=style
        ),
    ]
    lines = [title, subtitle, total, verdict]
    reasons = [with_input_names(n, lang).render(lang) for n in result.not_met]
    if reasons:
        body.append(kit.bullets(reasons))
        lines += [f"- {r}" for r in reasons]
    for metric in result.metrics:
        name = metric_name(metric.id, lang)
        points = t(
            "answers.score.metric_points",
            lang,
            points=formatting.points(metric.points, lang),
            max=metric.max_points,
        )
        detail = (
            t("answers.score.metric_missing", lang, missing=input_names(metric.missing, lang))
            if metric.missing
            else t(
                "answers.score.metric_value",
                lang,
                value=value_text(metric.unit, metric.value, lang),
                full_at=limit_text(metric.unit, metric.full_at, lang),
            )
        )
        share = metric.points / metric.max_points if metric.max_points else Fraction(0)
        below = metric.points < api.get_edition(result.edition).min_points_per_metric
        body += [
            kit.columns(([kit.text(name, bold=True)], "stretch"), ([kit.text(points, bold=True)], "auto")),
            kit.metric_bar(share, style="attention" if below else "good"),
            kit.text(detail, subtle=True, size="Small", spacing="None"),
        ]
        lines.append(f"{name}: {points} ({detail})")
    warnings = [w.render(lang) for w in result.warnings]
    if warnings:
        body += [
            kit.subtitle(t("answers.score.warnings", lang)),
            kit.container([kit.bullets(warnings)], style="warning"),
        ]
        lines += [t("answers.score.warnings", lang), *[f"- {w}" for w in warnings]]
    actions = [button("gap", lang), button("plan", lang)]
    return _build(body, lines, lang, actions)


# ---------------------------------------------------------------- gaps and plan


def _gap_units(
    gap: api.MetricGap,
    amount: Fraction | None,
    reason: str | None,
    done_key: str,
    result: api.ScoreResult,
    lang: str,
) -> str:
    if amount is None:
        return api.reason_text(reason, lang, result.edition) if reason else t("answers.gap.none", lang)
    if amount == 0:
        return t(done_key, lang)
    if gap.id == "usage_growth":
        ago = result.metric("usage_growth").inputs.get("consumption_12_months_ago")
        if ago:
            return t(
                "answers.gap.consumption_percent",
                lang,
                amount=formatting.money(amount, lang),
                percent=formatting.percent(amount / ago * 100, lang),
            )
        return t("answers.gap.consumption", lang, amount=formatting.money(amount, lang))
    return t(
        "answers.gap.units",
        lang,
        amount=formatting.count(amount, lang),
        unit=unit_name(f"scoring.unit.{gap.unit}", amount, lang),
    )


def gap_card(gaps: api.GapResult, metric_id: str | None, lang: str) -> kit.Card:
    """One metric's gap (to its max, to the designation alone) or all five."""
    result = gaps.result
    if metric_id:
        gap = gaps.metric(metric_id)
        metric = result.metric(metric_id)
        title = t("answers.gap.metric_title", lang, metric=metric_name(metric_id, lang))
        now = t(
            "answers.gap.now",
            lang,
            value=value_text(metric.unit, metric.value, lang),
            points=formatting.points(metric.points, lang),
            max=metric.max_points,
        )
        to_max = _gap_units(gap, gap.units_to_max, gap.max_reason, "answers.gap.done_max", result, lang)
        to_des = _gap_units(
            gap,
            gap.units_to_designation,
            gap.designation_reason,
            "answers.gap.done_designation",
            result,
            lang,
        )
        facts = [
            (t("answers.gap.to_max", lang, max=metric.max_points), to_max),
            (t("answers.gap.to_designation", lang), to_des),
        ]
        body: list[kit.Element] = [kit.title(title), kit.text(now), kit.fact_set(facts)]
        lines = [title, now, *[f"{a}: {b}" for a, b in facts]]
        if gap.blocking:
            blocking = t(
                "answers.gap.blocking", lang, metrics=", ".join(metric_name(m, lang) for m in gap.blocking)
            )
            body.append(kit.container([kit.text(blocking)], style="attention"))
            lines.append(blocking)
    else:
        title = t("answers.gap.title", lang)
        intro = t("answers.gap.all_intro", lang)
        verdict, style = _verdict(result, lang)
        body = [kit.title(title), kit.container([kit.text(verdict, bold=True)], style=style), kit.text(intro)]
        lines = [title, verdict, intro]
        for gap in gaps.metrics:
            row = t(
                "answers.gap.row",
                lang,
                to_max=_gap_units(
                    gap, gap.units_to_max, gap.max_reason, "answers.gap.done_max", result, lang
                ),
                to_designation=_gap_units(
                    gap,
                    gap.units_to_designation,
                    gap.designation_reason,
                    "answers.gap.done_designation",
                    result,
                    lang,
                ),
            )
            body += [
                kit.text(metric_name(gap.id, lang), bold=True),
                kit.text(row, subtle=True, spacing="None"),
            ]
            lines.append(f"{metric_name(gap.id, lang)}: {row}")
    actions = [
        kit.submit(t("answers.gap.see_plan", lang), "plan", text_=t("answers.gap.see_plan_text", lang))
    ]
    return _build(body, lines, lang, actions)


def plan_card(plan: api.PlanResult, result: api.ScoreResult, lang: str) -> kit.Card:
    title = t("answers.plan.title", lang)
    body: list[kit.Element] = [kit.title(title)]
    lines = [title]
    if not plan.feasible:
        reason = plan.reason.render(lang) if plan.reason else ""
        text = t("answers.plan.none", lang, reason=reason)
        body.append(kit.container([kit.text(text)], style="attention"))
        lines.append(text)
    elif not plan.steps:
        text = t("answers.plan.done", lang)
        body.append(kit.container([kit.text(text)], style="good"))
        lines.append(text)
    else:
        intro = t("answers.plan.intro", lang)
        steps = []
        for step in plan.steps:
            amount = amount_text(step.unit, step.units, lang)
            if step.percent is not None:
                amount += f" ({formatting.percent(step.percent, lang)})"
            elif step.unit != "consumption_value":
                amount += " " + unit_name(f"scoring.unit.{step.unit}", step.units, lang)
            steps.append(
                t(
                    "answers.plan.step",
                    lang,
                    metric=metric_name(step.id, lang),
                    amount=amount,
                    before=formatting.points(step.points_before, lang),
                    after=formatting.points(step.points_after, lang),
                )
            )
        after = t("answers.plan.after", lang, total=formatting.points(plan.total_after or 0, lang))
        body += [
            kit.text(intro, subtle=True),
            kit.bullets(steps),
            kit.container([kit.text(after, bold=True)], style="good"),
        ]
        lines += [intro, *[f"- {s}" for s in steps], after]
    return _build(body, lines, lang, [button("score", lang)])


# ---------------------------------------------------------------- what-if and update


def whatif_card(result: api.WhatIfResult, lang: str) -> kit.Card:
    title = t("answers.whatif.title", lang)
    body: list[kit.Element] = [kit.title(title)]
    lines = [title]
    rows = []
    for metric in result.after.metrics:
        before = result.before.metric(metric.id)
        if metric.id not in result.changes and metric.points == before.points:
            continue
        rows.append(
            (
                metric_name(metric.id, lang),
                f"{value_text(before.unit, before.value, lang)} → "
                f"{value_text(metric.unit, metric.value, lang)} · "
                f"{formatting.points(before.points, lang)} → {formatting.points(metric.points, lang)}",
            )
        )
    body.append(kit.fact_set(rows))
    lines += [f"{a}: {b}" for a, b in rows]
    diff = result.difference
    sign = "+" if diff >= 0 else ""
    total = t(
        "answers.whatif.total",
        lang,
        before=formatting.points(result.before.total, lang),
        after=formatting.points(result.after.total, lang),
        difference=sign + formatting.points(diff, lang),
    )
    met = result.after.designation_met
    verdict = t(
        "answers.whatif.designation_after_met" if met else "answers.whatif.designation_after_not", lang
    )
    body += [
        kit.container([kit.text(total, bold=True), kit.text(verdict)], style="good" if met else "emphasis"),
        kit.text(t("answers.whatif.hypothetical", lang), subtle=True, size="Small"),
    ]
    lines += [total, verdict]
    return _build(body, lines, lang)


def update_card(
    rows: Sequence[tuple[str, str, str]],
    total_before: Fraction,
    total_after: Fraction,
    lang: str,
    payload: Mapping[str, Any],
) -> kit.Card:
    """Before → after of stored values, with Save / Don't save buttons carrying the change."""
    title = t("answers.update.title", lang)
    facts = [(field, f"{before} → {after}") for field, before, after in rows]
    total = t(
        "answers.whatif.total",
        lang,
        before=formatting.points(total_before, lang),
        after=formatting.points(total_after, lang),
        difference=("+" if total_after >= total_before else "")
        + formatting.points(total_after - total_before, lang),
    )
    body = [kit.title(title), kit.fact_set(facts), kit.text(total, bold=True)]
    actions = [
        kit.submit(
            t("answers.update.confirm", lang),
            "update_confirm",
            text_=t("answers.update.confirm_text", lang),
            data={"change": dict(payload)},
            style="positive",
        ),
        kit.submit(
            t("answers.update.cancel", lang), "update_cancel", text_=t("answers.update.cancel_text", lang)
        ),
    ]
    return _build(body, [title, *[f"{a}: {b}" for a, b in facts], total], lang, actions)


# ---------------------------------------------------------------- explanations


def _per_unit(rule: api.MetricRule, market: str, lang: str) -> str:
    full_at = rule.full_at[market]
    return formatting.points(Fraction(rule.max_points) / full_at, lang) if full_at else "0"


def explain_card(
    edition: api.Edition, metric_id: str | None, result: api.ScoreResult | None, lang: str
) -> kit.Card:
    """How a metric (or the designation) works, with the partner's own numbers when known."""
    body: list[kit.Element] = []
    lines: list[str] = []
    if metric_id is None:
        title = t("answers.explain.rule_title", lang)
        rule_text = t(
            "answers.explain.rule",
            lang,
            minimum=formatting.count(edition.min_total, lang),
            per_metric=formatting.count(edition.min_points_per_metric, lang),
        )
        items = [
            t(
                "answers.explain.metric_line",
                lang,
                metric=metric_name(m.id, lang),
                max=m.max_points,
                larger=limit_text(m.unit, m.full_at.get("larger", Fraction(0)), lang),
                other=limit_text(m.unit, m.full_at.get("other", Fraction(0)), lang),
            )
            for m in edition.metrics
        ]
        body += [kit.title(title), kit.text(rule_text), kit.bullets(items)]
        lines += [title, rule_text, *[f"- {i}" for i in items]]
        if result is not None:
            yours = [f"{metric_name(m.id, lang)}: {with_input_names(m.explanation, lang).render(lang)}"
                     for m in result.metrics]
            body += [kit.subtitle(t("answers.explain.yours", lang)), kit.bullets(yours)]
            lines += [t("answers.explain.yours", lang), *yours]
    else:
        rule = edition.metric(metric_id)
        title = t("answers.explain.title", lang, metric=metric_name(metric_id, lang))
        how = t(
            f"answers.explain.{metric_id}",
            lang,
            min_revenue=formatting.money(edition.min_revenue_usd_exclusive, lang),
            baseline_larger=formatting.money(edition.baseline.get("larger", 0), lang),
            baseline_other=formatting.money(edition.baseline.get("other", 0), lang),
            min_larger=formatting.money(edition.deployment_min.get("larger", 0), lang),
            min_other=formatting.money(edition.deployment_min.get("other", 0), lang),
        )
        body += [kit.title(title), kit.text(how)]
        lines += [title, how]
        markets = [result.market] if result is not None else list(edition.markets)
        for market in markets:
            scoring = t(
                "answers.explain.scoring_yours" if result is not None else "answers.explain.scoring",
                lang,
                market=t(f"scoring.market.{market}", lang),
                each=t(f"answers.explain.each.{rule.unit}", lang),
                max=rule.max_points,
                full_at=limit_text(rule.unit, rule.full_at[market], lang),
                per_unit=_per_unit(rule, market, lang),
            )
            body.append(kit.text(scoring, subtle=result is None))
            lines.append(scoring)
        if result is not None:
            mine = with_input_names(result.metric(metric_id).explanation, lang).render(lang)
            body += [
                kit.subtitle(t("answers.explain.yours", lang)),
                kit.container([kit.text(mine)], style="emphasis"),
            ]
            lines += [t("answers.explain.yours", lang), mine]
        source = t("answers.explain.source", lang, edition=edition.id, rule=rule.rule)
        body.append(kit.text(source, subtle=True, size="Small"))
        lines.append(source)
    if result is None:
        note = t("answers.explain.no_profile", lang)
        body.append(kit.text(note, subtle=True))
        lines.append(note)
        return _build(body, lines, lang, [button("enter", lang)])
    return _build(body, lines, lang)


def eligibility_card(title: str, sections: Sequence[tuple[str | None, Sequence[str]]], lang: str) -> kit.Card:
    """Sections of (heading, lines): which workloads, attributions, certifications count."""
    body: list[kit.Element] = [kit.title(title)]
    lines = [title]
    for heading, items in sections:
        if heading:
            body.append(kit.subtitle(heading))
            lines.append(heading)
        if len(items) == 1:
            body.append(kit.text(items[0]))
            lines.append(items[0])
        elif items:
            body.append(kit.bullets(items))
            lines += [f"- {i}" for i in items]
    return _build(body, lines, lang)


def freshness_card(paragraphs: Sequence[str], lang: str) -> kit.Card:
    title = t("answers.freshness.title", lang)
    return _build([kit.title(title), *[kit.text(p) for p in paragraphs]], [title, *paragraphs], lang)


def text_card(title: str, paragraphs: Sequence[str], lang: str) -> kit.Card:
    """A short answer in words: a title and its paragraphs, the first one being the answer."""
    return _build([kit.title(title), *[kit.text(p) for p in paragraphs]], [title, *paragraphs], lang)


def cosell_explanation_card(explanation: CosellExplanation, ids: Sequence[str] | None, lang: str) -> kit.Card:
    """A co-sell topic (statuses, incentives) or only the items named in ``ids``."""
    items = [i for i in explanation.items if ids is None or i.id in ids]
    title = items[0].title if ids and len(items) == 1 else explanation.title
    body: list[kit.Element] = [kit.title(title)]
    lines = [title]
    for item in items:
        if not (ids and len(items) == 1):
            body.append(kit.subtitle(item.title))
            lines.append(item.title)
        body.append(kit.text(item.text))
        lines.append(item.text)
        if item.details:
            body.append(kit.bullets(item.details))
            lines += [f"- {d}" for d in item.details]
    body.append(kit.text(explanation.link, subtle=True, size="Small"))
    lines.append(explanation.link)
    actions = [
        kit.submit(t("answers.cosell.check", lang), "cosell", text_=t("answers.cosell.check_text", lang))
    ]
    return _build(body, lines, lang, actions)


def requirement_card(name: str, meaning: str, step: str, lang: str) -> kit.Card:
    title = t("answers.cosell.requirement_title", lang, name=name)
    next_step = t("answers.cosell.next_step", lang, step=step)
    actions = [
        kit.submit(t("answers.cosell.check", lang), "cosell", text_=t("answers.cosell.check_text", lang))
    ]
    parts = [meaning, next_step] if meaning != name else [next_step]
    return _build([kit.title(title), *[kit.text(p) for p in parts]], [title, *parts], lang, actions)


# ---------------------------------------------------------------- welcome, help, no profile, guesses


def welcome_card(lang: str) -> kit.Card:
    title = t("answers.welcome.title", lang)
    text = t("answers.welcome.text", lang)
    examples = t("answers.help.examples", lang).split(" · ")
    body = [
        kit.title(title),
        kit.text(text),
        kit.subtitle(t("answers.help.title", lang)),
        kit.bullets(examples),
    ]
    return _build(body, [title, text, *examples], lang, _main_buttons(lang))


def help_card(lang: str) -> kit.Card:
    title = t("answers.help.title", lang)
    examples = t("answers.help.examples", lang).split(" · ")
    cancel = t("answers.help.cancel", lang)
    body = [kit.title(title), kit.bullets(examples), kit.text(cancel, subtle=True)]
    return _build(body, [title, *examples, cancel], lang, _main_buttons(lang))


def _main_buttons(lang: str) -> list[kit.Action]:
    return [button(name, lang) for name in ("score", "gap", "plan", "cosell", "enter", "language")]


def no_profile_card(lang: str) -> kit.Card:
    title = t("answers.no_profile.title", lang)
    text = t("answers.no_profile.text", lang)
    actions = [
        kit.submit(
            t("answers.no_profile.enter", lang),
            "enter_data",
            text_=t("answers.no_profile.enter_text", lang),
            style="positive",
        ),
        kit.submit(
            t("answers.no_profile.import", lang),
            "import_help",
            text_=t("answers.no_profile.import_text", lang),
        ),
    ]
    return _build([kit.title(title), kit.text(text)], [title, text], lang, actions)


def import_card(tenant: str, lang: str) -> kit.Card:
    title = t("answers.import.title", lang)
    text = t("answers.import.text", lang)
    command = t("answers.import.command", lang, tenant=tenant)
    body = [kit.title(title), kit.text(text), kit.container([kit.text(f"`{command}`")], style="emphasis")]
    return _build(body, [title, text, command], lang, [button("enter", lang)])


def did_you_mean_card(guesses: Sequence[str], said: str, lang: str) -> kit.Card:
    title = t("answers.didyoumean.title", lang)
    text = t("answers.didyoumean.text", lang)
    actions = [kit.submit(t(f"answers.intent.{intent}", lang), intent, text_=said) for intent in guesses]
    return _build([kit.title(title, size="Medium"), kit.text(text)], [title, text], lang, actions)


def language_card(lang: str) -> kit.Card:
    text = t("answers.language.which", lang)
    actions = [
        kit.submit(t("answers.language.en", lang), "language", text_="english", data={"lang": "en"}),
        kit.submit(t("answers.language.nl", lang), "language", text_="nederlands", data={"lang": "nl"}),
    ]
    return _build([kit.text(text)], [text], lang, actions)


def today_text(today: date, lang: str) -> str:
    return formatting.day(today, lang)


def input_names(keys: Iterable[str], lang: str) -> str:
    """Summary keys (``consumption_now``) as the inputs a person knows, in ``lang``; ids never shown."""
    return "; ".join(t(f"scoring.summary.{k}", lang) if catalog().has(f"scoring.summary.{k}") else k
                     for k in keys)


def with_input_names(item: _Named, lang: str) -> _Named:
    """A scoring notice or explanation whose ``missing`` param (summary ids joined by commas, as
    scoring reports them) names the inputs in words instead."""
    missing = item.params.get("missing")
    if not isinstance(missing, str):
        return item
    keys = [k.strip() for k in missing.split(",") if k.strip()]
    return dataclasses.replace(item, params={**item.params, "missing": input_names(keys, lang)})
