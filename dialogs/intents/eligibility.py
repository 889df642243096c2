"""What counts: workloads, attributions, certifications and rates of the rule edition in force."""

from __future__ import annotations

from botbuilder.schema import Activity

from dialogs.cards import answers as cards
from dialogs.intents.names import (
    attribution_name,
    attribution_names,
    family_name,
    joined,
    named,
    rate_money,
    rate_unit,
)
from dialogs.intents.registry import Question, register, reply, t
from dialogs.understanding import Recognition
from dialogs.understanding.edition_words import workload_name
from scoring import api

COUNTED_THINGS = frozenset({"deployments", "net_customer_adds"})
"""Metrics whose unit is a thing that counts or not (a deployment, a customer workload): asked what counts
for one, the answer says first what one is."""


@register("eligibility", interrupts=True)
async def eligibility(question: Question) -> list[Activity]:
    recognition, lang = question.recognition, question.lang
    edition = api.edition_on(question.today)
    entities = recognition.entities
    sections: list[tuple[str | None, list[str]]] = []
    for workload in entities.get("workloads", []):
        sections.append((None, _workload_lines(edition, str(workload), lang)))
    for attribution in entities.get("attributions", []):
        sections.append((None, _attribution_lines(edition, str(attribution), lang)))
    if not sections:
        for family in entities.get("families", []):
            if family in edition.family_attributions:
                workloads = sorted(
                    w.name for w in edition.revenue_workloads.values() if w.family == family
                )
                line = t(
                    "answers.eligibility.family_one",
                    lang,
                    family=family_name(str(family), lang),
                    attributions=attribution_names(edition.family_attributions[family], lang),
                    workloads=", ".join(workloads),
                )
                sections.append((None, [line]))
    code = entities.get("certification")
    if code:
        level = edition.certification_level(str(code))
        found = [
            c
            for c in edition.certifications
            if str(code).upper() in (e.upper() for e in c.exams) or c.name.upper() == str(code).upper()
        ]
        if level:
            sections.append(
                (
                    None,
                    [
                        t(
                            "answers.eligibility.certification_one",
                            lang,
                            code=code,
                            level=t(f"scoring.level.{level}", lang),
                            name=found[0].name if found else code,
                        )
                    ],
                )
            )
        else:
            sections.append((None, [t("answers.eligibility.certification_unknown", lang, code=code)]))
    if not sections:
        sections = _eligibility_lists(edition, recognition, lang)
        if recognition.metric in COUNTED_THINGS:  # "what counts as a deployment?": what one is, first
            sections.insert(0, (None, [cards.definition(edition, recognition.metric, lang)]))
    return [reply(cards.eligibility_card(t("answers.eligibility.title", lang), sections, lang))]


def _workload_lines(edition: api.Edition, workload: str, lang: str) -> list[str]:
    """Both sides of one workload, through the edition's ids: a usage id that another workload
    ``covers`` counts as that workload, for usage and, when it is a revenue workload, for revenue."""
    rates = edition.rate_card
    usage_id = edition.usage_workload_of.get(workload)
    revenue = edition.revenue_workloads.get(workload) or (
        edition.revenue_workloads.get(usage_id) if usage_id else None
    )
    name = (
        edition.revenue_workloads[workload].name
        if workload in edition.revenue_workloads
        else rates[workload].name
        if workload in rates
        else edition.usage_workloads[usage_id].name
        if usage_id
        else workload_name(edition, workload)  # a workload of other rules: it counts for neither
    )
    lines: list[str] = []
    if revenue is None:
        lines.append(t("answers.eligibility.workload_no_revenue", lang, name=name))
    else:
        params = {
            "name": name,
            "as_name": revenue.name,
            "family": family_name(revenue.family, lang),
            "attributions": attribution_names(edition.family_attributions.get(revenue.family, ()), lang),
        }
        key = "workload_revenue" if revenue.name == name else "workload_revenue_as"
        lines.append(t(f"answers.eligibility.{key}", lang, **params))
    if usage_id is None:
        lines.append(t("answers.eligibility.workload_no_usage", lang, name=name))
        return lines
    if workload == usage_id:  # the eligible workload itself: every rate counted under it
        rated = [r for r in rates.values() if edition.usage_workload_of.get(r.workload) == usage_id]
    else:
        rated = [rates[workload]] if workload in rates else []
    usage_name = edition.usage_workloads[usage_id].name
    for rate in rated:
        as_name = usage_name if rate.workload != usage_id else rate.name
        key = "workload_usage" if as_name == rate.name else "workload_usage_as"
        lines.append(
            t(
                f"answers.eligibility.{key}",
                lang,
                name=rate.name,
                as_name=as_name,
                rate=rate_money(rate.rate, lang),
                unit=rate_unit(rate.unit, lang),
            )
        )
    if not rated:
        lines.append(t("answers.eligibility.workload_usage_unrated", lang, name=name))
    lines.append(
        t(
            "answers.eligibility.usage_attributions",
            lang,
            attributions=attribution_names(edition.usage_attributions, lang),
        )
    )
    return lines

def _attribution_lines(edition: api.Edition, attribution: str, lang: str) -> list[str]:
    shown = attribution_name(attribution, lang)
    families = [f for f, allowed in edition.family_attributions.items() if attribution in allowed]
    usage = attribution in edition.usage_attributions
    if not families and not usage:
        return [t("answers.eligibility.attribution_none", lang, attribution=shown)]
    lines = [
        t(
            "answers.eligibility.attribution_revenue",
            lang,
            attribution=shown,
            families=joined([family_name(f, lang) for f in families], lang),
        )
        if families
        else t("answers.eligibility.attribution_no_revenue", lang, attribution=shown)
    ]
    key = "attribution_usage" if usage else "attribution_no_usage"
    lines.append(t(f"answers.eligibility.{key}", lang, attribution=shown))
    return lines

def _eligibility_lists(
    edition: api.Edition, recognition: Recognition, lang: str
) -> list[tuple[str | None, list[str]]]:
    metric = recognition.metric
    sections: list[tuple[str | None, list[str]]] = []
    wants_certs = metric in ("intermediate_certifications", "advanced_certifications") or (
        metric is None and recognition.entities.get("asks") == "certifications"
    )
    if metric in (None, "net_customer_adds") and not wants_certs:
        names = sorted(w.name for w in edition.revenue_workloads.values())
        sections.append((t("answers.eligibility.revenue_list", lang), [", ".join(names)]))
        channels = joined([named("answers.channel", c, lang) for c in edition.channels], lang)
        sections.append((None, [t("answers.eligibility.channels", lang, channels=channels)]))
    if metric in (None, "usage_growth", "deployments") and not wants_certs:
        items = []
        unrated = set(edition.unrated_usage_workloads)
        for workload in edition.usage_workloads.values():
            rated = [
                r
                for r in edition.rate_card.values()
                if edition.usage_workload_of.get(r.workload, r.workload) == workload.id
            ]
            if workload.id in unrated or not rated:
                items.append(t("answers.eligibility.usage_item_unrated", lang, name=workload.name))
            for r in rated:
                items.append(
                    t(
                        "answers.eligibility.usage_item",
                        lang,
                        name=r.name,
                        rate=rate_money(r.rate, lang),
                        unit=rate_unit(r.unit, lang),
                    )
                )
        sections.append((t("answers.eligibility.usage_list", lang), items))
    if metric is None and not wants_certs:
        attributions = [
            t(
                "answers.eligibility.attribution_family",
                lang,
                family=family_name(family, lang),
                attributions=attribution_names(allowed, lang),
            )
            for family, allowed in edition.family_attributions.items()
        ]
        attributions.append(
            t(
                "answers.eligibility.attribution_usage_list",
                lang,
                attributions=attribution_names(edition.usage_attributions, lang),
            )
        )
        sections.append((t("answers.eligibility.attributions", lang), attributions))
    levels = [
        m.split("_")[0]
        for m in ("intermediate_certifications", "advanced_certifications")
        if metric in (None, m)
    ]
    if wants_certs or metric is None:
        for level in levels:
            level_name = t(f"scoring.level.{level}", lang)
            certs = edition.certifications_of_level(level)
            if certs:
                items = [f"{c.name} ({', '.join(c.exams)})" if c.exams else c.name for c in certs]
                sections.append((t("answers.eligibility.certifications", lang, level=level_name), items))
            else:
                sections.append(
                    (None, [t("answers.eligibility.certifications_empty", lang, level=level_name)])
                )
    return sections
