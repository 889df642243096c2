"""Answers to single questions: read the tenant's data, ask :mod:`scoring`, build the card.

:class:`Answers` knows no Bot Framework types except the reply :class:`Activity` it returns; the
router (:mod:`dialogs.conversation`) decides which answer a turn gets and sends it. Every number
comes from :mod:`scoring.api` / :mod:`scoring.cosell`; the recognizer's changes ("2 more advanced
people", "deployments to 12") are turned into the units scoring expects here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from botbuilder.schema import Activity

from dialogs import formatting
from dialogs.cards import answers as cards
from dialogs.cards import kit
from dialogs.guided import numbers
from dialogs.ports import Document, PartnerRepository
from dialogs.recognizer import Change, Recognition
from kernel.errors import InputError
from kernel.texts import catalog
from scoring import api, cosell

NEEDS_PROFILE = frozenset({"score", "gap", "plan", "whatif", "update"})

# Which summary key a stated value of a metric sets (now / 12 months ago).
_FIELDS: Mapping[str, tuple[str, str]] = {
    "intermediate_certifications": ("intermediate_certified_people", "intermediate_certified_people"),
    "advanced_certifications": ("advanced_certified_people", "advanced_certified_people"),
    "deployments": ("deployments_now", "deployments_12_months_ago"),
    "usage_growth": ("consumption_now", "consumption_12_months_ago"),
}


def t(key: str, lang: str, **params: Any) -> str:
    return catalog().text(key, lang, **params)


def reply(card: kit.Card) -> Activity:
    return kit.reply(card)


def text_reply(text: str) -> Activity:
    return Activity(type="message", text=text)


@dataclass(frozen=True)
class PendingUpdate:
    """A change shown before → after and waiting for "Save": summary key → new value, and market.

    ``id`` tells one proposal from another (only the latest one shown can be saved); ``before``
    holds the stored values it was computed from (summary key or ``market`` → value, ``None`` when
    not given), so a save after someone else changed them is refused rather than undoing their change.
    """

    values: Mapping[str, str]
    market: str | None = None
    id: str = ""
    before: Mapping[str, str | None] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"values": dict(self.values), "market": self.market, "id": self.id,
                "before": dict(self.before)}

    @classmethod
    def from_json(cls, data: Any) -> PendingUpdate | None:
        """The pending update in ``data`` (stored state or a card's submit), or ``None`` when it is
        not one: only known summary keys with numbers, a known market, and text ids."""
        if not isinstance(data, Mapping) or not isinstance(data.get("values"), Mapping):
            return None
        keys = {k.key for k in api.SUMMARY_KEYS}
        values = {str(k): str(v) for k, v in data["values"].items()}
        before = data.get("before") or {}
        market = data.get("market")
        if (
            not all(k in keys and _is_number(v) for k, v in values.items())
            or not isinstance(before, Mapping)
            or not all((k in keys or k == "market") and (v is None or isinstance(v, str | int | float))
                       for k, v in before.items())
            or (market is not None and market not in api.MARKETS)
            or not isinstance(data.get("id", ""), str)
        ):
            return None
        return cls(values, str(market) if market else None, str(data.get("id", "")),
                   {str(k): None if v is None else str(v) for k, v in before.items()})


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except (InvalidOperation, ValueError):
        return False


class Answers:
    """One answer per call; ``today`` is injected so tests and the freshness rules agree on the date."""

    def __init__(self, partners: PartnerRepository, today: Callable[[], date]) -> None:
        self.partners = partners
        self.today = today

    # -- data

    async def profile_document(self, tenant: str) -> Document | None:
        return await self.partners.load_profile(tenant)

    def evaluate(self, document: Mapping[str, Any]) -> tuple[api.Profile, api.ScoreResult]:
        profile = api.parse_profile(document, "profile")
        return profile, api.evaluate(profile, today=self.today())

    async def known_offers(self, tenant: str) -> list[str]:
        facts = await self.partners.load_cosell(tenant)
        offers = (facts or {}).get("offers") or []
        return [str(o["name"]) for o in offers if isinstance(o, Mapping) and o.get("name")]

    # -- the answers

    async def answer(self, intent: str, recognition: Recognition, tenant: str, lang: str) -> list[Activity]:
        """The reply to a recognised question of ``intent`` (not dialogs, language or cancel)."""
        document = await self.profile_document(tenant)
        if intent in NEEDS_PROFILE and document is None:
            return [reply(cards.no_profile_card(lang))]
        try:
            return self._answer(intent, recognition, document, tenant, lang)
        except InputError as err:
            return [text_reply(err.render(lang, catalog()))]

    def _answer(
        self, intent: str, recognition: Recognition, document: Document | None, tenant: str, lang: str
    ) -> list[Activity]:
        if intent == "help":
            return [reply(cards.help_card(lang))]
        if intent == "thanks":
            return [text_reply(t("answers.thanks", lang))]
        if intent == "import_help":
            return [reply(cards.import_card(tenant, lang))]
        if intent == "explain":
            return [reply(self.explain(recognition, document, lang))]
        if intent == "eligibility":
            return [reply(self.eligibility(recognition, lang))]
        if intent == "freshness":
            return [reply(self.freshness(recognition, document, lang))]
        if intent == "cosell_explain":
            return [reply(self.cosell_explain(recognition, lang))]
        assert document is not None
        profile, result = self.evaluate(document)
        if intent == "score":
            return [reply(cards.score_card(result, lang))]
        if intent == "gap":
            return [reply(cards.gap_card(api.gaps(result), recognition.metric, lang))]
        if intent == "plan":
            return [reply(cards.plan_card(api.plan(result), result, lang))]
        if intent == "whatif":
            changes = self.what_if_changes(recognition.changes, result, lang)
            if not changes:
                return [text_reply(t("answers.whatif.nothing", lang))]
            return [reply(cards.whatif_card(api.what_if(profile, changes, today=self.today()), lang))]
        if intent == "update":
            return self.propose_update(recognition, document, result, lang)
        raise ValueError(f"no answer for intent {intent}")

    # -- what-if

    @staticmethod
    def what_if_changes(
        changes: list[Change], result: api.ScoreResult, lang: str = "en"
    ) -> dict[str, Fraction]:
        """Recognised changes → units to add per metric (consumption value for usage growth)."""
        out: dict[str, Fraction] = {}
        for change in changes:
            _check_typed(change, result, lang)
        counts = [c for c in changes if c.stated == "qualifying_workloads"]
        if counts:
            metric = result.metric("net_customer_adds")
            now, ago = _workload_counts(counts, metric.inputs)
            out["net_customer_adds"] = (now - ago) - (metric.value or Fraction(0))
        for change in changes:
            if change in counts:
                continue
            metric = result.metric(change.metric)
            amount = Fraction(change.amount)
            if change.metric == "usage_growth":
                consumption = metric.inputs.get("consumption_now")
                if change.percent:
                    target = _consumption_target(change, metric.inputs)
                    if target is None or consumption is None:
                        continue
                    delta = target - consumption
                else:
                    delta = amount if change.relative or consumption is None else amount - consumption
            elif change.relative:
                delta = amount
            else:
                current = metric.value if metric.value is not None else Fraction(0)
                delta = amount - current
            out[change.metric] = out.get(change.metric, Fraction(0)) + delta
        for metric_id, delta in out.items():
            if metric_id != "usage_growth" and delta.denominator != 1:
                raise _not_whole(metric_id, delta, result, lang)
        return {k: v for k, v in out.items() if v}

    # -- update

    def propose_update(
        self, recognition: Recognition, document: Document, result: api.ScoreResult, lang: str
    ) -> list[Activity]:
        metrics = dict(document.get("metrics") or {})
        values: dict[str, Fraction] = {}
        rows: list[tuple[str, str, str]] = []
        counts = [c for c in recognition.changes if c.stated == "qualifying_workloads"]
        for change in recognition.changes:
            _check_typed(change, result, lang)
            if change in counts:
                continue
            key, value = self._update_value(change, result)
            if key is None or value is None:
                if change.metric == "usage_growth" and change.percent:
                    return [text_reply(t("answers.update.percent_needs_base", lang))]
                continue
            values[key] = value
        if counts:
            now, ago = _workload_counts(counts, result.metric("net_customer_adds").inputs)
            values["qualifying_workloads_now"], values["qualifying_workloads_12_months_ago"] = now, ago
        market = recognition.entities.get("market")
        new_doc: dict[str, Any] = dict(document)
        for key, value in values.items():
            _check_stored(key, value, result, lang)
            new_doc = api.set_summary(new_doc, key, _plain(value))
        after_metrics = dict(new_doc.get("metrics") or {})
        for spec in api.SUMMARY_KEYS:
            key = spec.key
            before = metrics.get(key, result.metric(spec.metric).inputs.get(key))
            after = after_metrics.get(key)
            if key not in values and (key not in metrics or after is not None):
                continue  # neither set by this change nor removed by it
            if before is not None and after is not None and Fraction(str(before)) == Fraction(str(after)):
                continue
            rows.append(
                (t(f"scoring.summary.{key}", lang), _shown(before, key, lang), _shown(after, key, lang))
            )
        if market and market != document.get("market"):
            new_doc = api.set_market(new_doc, str(market))
            rows.append(
                (
                    t("answers.update.market", lang),
                    t(f"scoring.market.{document['market']}", lang)
                    if document.get("market")
                    else t("answers.update.empty", lang),
                    t(f"scoring.market.{market}", lang),
                )
            )
        if not rows:
            return [text_reply(t("answers.update.nothing", lang))]
        _, after_result = self.evaluate(new_doc)
        new_market = str(market) if market and market != document.get("market") else None
        stored: dict[str, str | None] = {
            k: None if metrics.get(k) is None else str(metrics[k])
            for k in [*values, *(spec.key for spec in api.SUMMARY_KEYS if spec.key in metrics)]
        }
        if new_market:
            stored["market"] = str(document["market"]) if document.get("market") else None
        pending = PendingUpdate(
            {k: str(_plain(v)) for k, v in values.items()}, new_market, uuid.uuid4().hex[:16], stored
        )
        return [reply(cards.update_card(rows, result.total, after_result.total, lang, pending.to_json()))]

    @staticmethod
    def _update_value(change: Change, result: api.ScoreResult) -> tuple[str | None, Fraction | None]:
        """The summary key a stated change sets and its new value (not for workload counts)."""
        amount = Fraction(change.amount)
        inputs = result.metric(change.metric).inputs
        if change.metric == "net_customer_adds":
            if change.relative and "qualifying_workloads_now" in inputs:  # "2 more customers"
                return "qualifying_workloads_now", inputs["qualifying_workloads_now"] + amount
            current = result.metric(change.metric).value
            return "net_customer_adds", (current or Fraction(0)) + amount if change.relative else amount
        now_key, past_key = _FIELDS[change.metric]
        key = past_key if change.past else now_key
        if change.metric == "usage_growth" and change.percent:
            if change.past:
                return None, None
            target = _consumption_target(change, inputs)
            return ("consumption_now", target) if target is not None else (None, None)
        if change.relative:
            return key, (inputs.get(key) or Fraction(0)) + amount
        return key, amount

    async def apply_update(self, tenant: str, pending: PendingUpdate, lang: str) -> list[Activity]:
        def change(document: Document | None) -> Document:
            if document is None:
                raise InputError("no profile stored", code="answers_no_profile")
            stored = {**(document.get("metrics") or {}), "market": document.get("market")}
            for key, was in pending.before.items():
                now = stored.get(key)
                if (now is None) != (was is None) or (
                    now is not None and was is not None and str(now) != was
                    and (key == "market" or Fraction(str(now)) != Fraction(was))
                ):
                    raise InputError("the data changed since this change was shown",
                                     code="answers_update_stale")
            out: dict[str, Any] = dict(document)
            for key, value in pending.values.items():
                out = api.set_summary(out, key, Decimal(value))
            if pending.market:
                out = api.set_market(out, pending.market)
            return out

        try:
            stored = await self.partners.update_profile(tenant, change)
        except InputError as err:
            return [text_reply(err.render(lang, catalog()))]
        _, result = self.evaluate(stored)
        saved = t("answers.update.saved", lang, total=formatting.points(result.total, lang))
        return [text_reply(saved), reply(cards.score_card(result, lang))]

    # -- explanations

    def _edition(self, result: api.ScoreResult | None) -> api.Edition:
        return api.get_edition(result.edition) if result is not None else api.edition_on(self.today())

    def _result_or_none(self, document: Document | None) -> api.ScoreResult | None:
        if document is None:
            return None
        try:
            return self.evaluate(document)[1]
        except InputError:
            return None

    def explain(self, recognition: Recognition, document: Document | None, lang: str) -> kit.Card:
        result = self._result_or_none(document)
        return cards.explain_card(self._edition(result), recognition.metric, result, lang)

    def eligibility(self, recognition: Recognition, lang: str) -> kit.Card:
        edition = api.edition_on(self.today())
        entities = recognition.entities
        sections: list[tuple[str | None, list[str]]] = []
        for workload in entities.get("workloads", []):
            sections.append((None, self._workload_lines(edition, str(workload), lang)))
        for attribution in entities.get("attributions", []):
            sections.append((None, self._attribution_lines(edition, str(attribution), lang)))
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
            sections = self._eligibility_lists(edition, recognition, lang)
        return cards.eligibility_card(t("answers.eligibility.title", lang), sections, lang)

    @staticmethod
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
            else workload
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

    @staticmethod
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
        self, edition: api.Edition, recognition: Recognition, lang: str
    ) -> list[tuple[str | None, list[str]]]:
        metric = recognition.metric
        sections: list[tuple[str | None, list[str]]] = []
        wants_certs = metric in ("intermediate_certifications", "advanced_certifications") or (
            metric is None and recognition.entities.get("asks") == "certifications"
        )
        if metric in (None, "net_customer_adds") and not wants_certs:
            names = sorted(w.name for w in edition.revenue_workloads.values())
            sections.append((t("answers.eligibility.revenue_list", lang), [", ".join(names)]))
            channels = joined([_named("answers.channel", c, lang) for c in edition.channels], lang)
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

    def freshness(self, recognition: Recognition, document: Document | None, lang: str) -> kit.Card:
        today = self.today()
        edition = api.edition_on(today)
        latest = api.latest_evaluable_month(today)
        following = latest.shift(1)
        next_day = api.when_counts("revenue", date(following.year, following.month, 1), edition)
        paragraphs = [t("answers.freshness.monthly", lang, day=edition.monthly_data_available_day)]
        if next_day >= today:
            paragraphs.append(
                t(
                    "answers.freshness.latest",
                    lang,
                    today=formatting.day(today, lang),
                    month=formatting.month(str(latest), lang),
                    next_month=formatting.month(str(following), lang),
                    next_day=formatting.day(next_day, lang),
                )
            )
        paragraphs.append(
            t(
                "answers.freshness.certification",
                lang,
                days=edition.certification_delay_days,
                by=formatting.day(api.certification_counts_by(today, edition=edition), lang),
            )
        )
        on = _date_of(recognition, today)
        certification = recognition.entities.get("certification") or recognition.metric in (
            "intermediate_certifications",
            "advanced_certifications",
        )
        if on is not None and certification:
            paragraphs.append(
                t(
                    "answers.freshness.dated_certification",
                    lang,
                    on=formatting.day(on, lang),
                    counts=formatting.day(api.when_counts("certification_earned", on, edition), lang),
                )
            )
        elif on is not None:
            paragraphs.append(
                t(
                    "answers.freshness.dated",
                    lang,
                    on=formatting.day(on, lang),
                    counts=formatting.day(api.when_counts("workload_added", on, edition), lang),
                )
            )
        else:
            named = _month_of(recognition, today)
            if named is not None:
                available = api.when_counts("revenue", named, edition)
                key = "month_available" if available <= today else "month_later"
                paragraphs.append(
                    t(
                        f"answers.freshness.{key}",
                        lang,
                        month=formatting.month(named, lang),
                        day=formatting.day(available, lang),
                    )
                )
        result = self._result_or_none(document)
        if result is not None:
            paragraphs.append(
                t("answers.freshness.yours", lang, month=formatting.month(str(result.evaluated_month), lang))
            )
        return cards.freshness_card(paragraphs, lang)

    def cosell_explain(self, recognition: Recognition, lang: str) -> kit.Card:
        entities = recognition.entities
        status = entities.get("status")
        requirement = entities.get("requirement")
        if requirement and not status:
            name = t(
                f"cosell.requirement.{requirement}", lang, threshold=_usd_threshold(str(requirement), lang)
            )
            step = t(f"cosell.step.{requirement}", lang, threshold=_usd_threshold(str(requirement), lang))
            meaning = (
                t(f"cosell.requirement.{requirement}.meaning", lang)
                if catalog().has(f"cosell.requirement.{requirement}.meaning")
                else name
            )
            return cards.requirement_card(name, meaning, step, lang)
        if status:
            incentives = cosell.explain("incentives", lang)
            if any(item.id == status for item in incentives.items):
                return cards.cosell_explanation_card(incentives, [str(status)], lang)
            return cards.cosell_explanation_card(cosell.explain("statuses", lang), [str(status)], lang)
        return cards.cosell_explanation_card(cosell.explain("statuses", lang), None, lang)


def _named(prefix: str, ident: str, lang: str) -> str:
    """The catalog's name for an id of the rule edition; the id itself if a new edition adds one
    without a text (tests/answers check that every id of every edition has one)."""
    key = f"{prefix}.{ident}"
    return t(key, lang) if catalog().has(key) else ident


def rate_unit(unit: str, lang: str) -> str:
    """A rate-card unit (``MAU``, ``profiles``) as one unit in words: "monthly active user (MAU)"."""
    return _named("answers.rate_unit", unit, lang)


def rate_money(rate: Fraction, lang: str) -> str:
    """A rate in USD: whole dollars as they are (``USD 1,000``), cents with two digits (``USD 0.20``)."""
    return t("cards.format.usd", lang, value=formatting.number(rate, lang, 2, trim=rate.denominator == 1))


def family_name(family: str, lang: str) -> str:
    return _named("answers.family", family, lang)


def attribution_name(attribution: str, lang: str) -> str:
    return _named("answers.attribution", attribution, lang)


def attribution_names(attributions: Iterable[str], lang: str) -> str:
    return ", ".join(attribution_name(a, lang) for a in sorted(attributions))


def joined(names: Sequence[str], lang: str) -> str:
    """``A``, ``A and B``, ``A, B and C`` / ``A, B en C``."""
    if len(names) < 2:
        return "".join(names)
    return t("answers.eligibility.and", lang, first=", ".join(names[:-1]), last=names[-1])


def _usd_threshold(requirement: str, lang: str) -> str:
    for req in cosell.edition().requirements:
        if req.id == requirement and req.threshold_usd is not None:
            return formatting.money(Fraction(str(req.threshold_usd)), lang)
    return ""


def _date_of(recognition: Recognition, today: date) -> date | None:
    """The date named in the question ("on 10 March", "2026-03-03"); without a year, this year's
    or, when that is still ahead, last year's."""
    day = recognition.entities.get("day")
    month = recognition.entities.get("month")
    year = recognition.entities.get("year")
    if not day or not month:
        return None
    try:
        found = date(int(year or today.year), int(month), int(day))
    except ValueError:
        return None
    return found if year or found <= today else found.replace(year=today.year - 1)


def _month_of(recognition: Recognition, today: date) -> date | None:
    """The first day of a month named without a day ("the October data"), the latest one not ahead."""
    month = recognition.entities.get("month")
    year = recognition.entities.get("year")
    if not month or recognition.entities.get("day"):
        return None
    found = date(int(year or today.year), int(month), 1)
    return found if year or found <= today else found.replace(year=today.year - 1)


def _plain(value: Fraction) -> int | Decimal:
    return int(value) if value.denominator == 1 else formatting.to_decimal(value, 6).normalize()


def _shown(value: Any, key: str, lang: str) -> str:
    if value is None:
        return t("answers.update.empty", lang)
    number = Fraction(str(value))
    return formatting.money(number, lang) if key.startswith("consumption") else formatting.count(number, lang)


def _consumption_target(change: Change, inputs: Mapping[str, Fraction]) -> Fraction | None:
    """The consumption now that a growth stated in percent means ("growth to 20%", "10% more"), or
    ``None`` without the consumption of 12 months ago to take it from."""
    ago, now = inputs.get("consumption_12_months_ago"), inputs.get("consumption_now")
    if ago is None:
        return None
    amount = Fraction(change.amount)
    if change.relative:
        return (now or Fraction(0)) + ago * amount / 100
    return ago * (1 + amount / 100)


def _workload_counts(counts: Sequence[Change], inputs: Mapping[str, Fraction]) -> tuple[Fraction, Fraction]:
    """The qualifying workloads now and 12 months ago after the stated counts ("40 now", "3 more 12
    months ago"); a side the sentence does not give comes from the partner's data, and when that
    gives net customer adds as one number the missing side is asked for."""
    side = {False: "qualifying_workloads_now", True: "qualifying_workloads_12_months_ago"}
    found: dict[str, Fraction] = {}
    for change in counts:
        key = side[change.past]
        amount = Fraction(change.amount)
        if change.relative:
            if key not in found and key not in inputs:
                raise _needs_workloads(key)
            found[key] = found.get(key, inputs.get(key, Fraction(0))) + amount
        else:
            found[key] = amount
    for key in side.values():
        if key not in found:
            if key not in inputs:
                raise _needs_workloads(key)
            found[key] = inputs[key]
    return found[side[False]], found[side[True]]


def _needs_workloads(missing: str) -> InputError:
    return InputError(
        f"the number for {missing} is not known", code="answers_workloads_needed",
        params={"missing_label": f"scoring.summary.{missing}"},
    )


def _unit_label(metric_id: str, result: api.ScoreResult) -> str:
    return f"scoring.unit.{result.metric(metric_id).unit}"


def _not_whole(metric_id: str, value: Fraction, result: api.ScoreResult, lang: str) -> InputError:
    return InputError(
        f"{float(value)} is not a whole number", code="answers_not_whole",
        params={"value": formatting.count(value, lang), "unit_label": _unit_label(metric_id, result)},
    )


def _check_typed(change: Change, result: api.ScoreResult, lang: str) -> None:
    """A typed amount within the one limit for numbers in chat (:func:`numbers.check_size`)."""
    shown = formatting.count(change.amount, lang)
    if change.metric == "usage_growth" and not change.percent:
        shown = formatting.money(change.amount, lang)
    numbers.check_size(change.amount, shown)
    if change.metric != "usage_growth" and not change.percent and change.amount != int(change.amount):
        raise _not_whole(change.metric, Fraction(change.amount), result, lang)


def _check_stored(key: str, value: Fraction, result: api.ScoreResult, lang: str) -> None:
    """A value about to be stored, checked like a guided answer, with the reason in words."""
    spec = next(k for k in api.SUMMARY_KEYS if k.key == key)
    shown = _shown(value, key, lang)
    numbers.check_size(formatting.to_decimal(value, 6), shown)
    if spec.kind != "amount" and value.denominator != 1:
        raise _not_whole(spec.metric, value, result, lang)
    if spec.kind != "signed_count" and value < 0:
        raise InputError(
            f"{float(value)} is negative", code="answers_negative",
            params={"value": shown, "unit_label": _unit_label(spec.metric, result)},
        )
