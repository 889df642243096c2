"""What-ifs and updates: a recognised change turned into scoring's inputs, shown before → after.

"What if …" shows the score with the change (:func:`whatif`); "we now have …" proposes the change
as an update with Save (:func:`update`), and :func:`apply_update` saves the proposal the user
confirmed. The translation from a recognised change to scoring's inputs (:func:`what_if_changes`,
:func:`_update_value`, :func:`_consumption_target`, :func:`_workload_counts`) moved here unchanged
from ``dialogs/answers.py``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from botbuilder.schema import Activity

from dialogs import formatting
from dialogs.cards import answers as cards
from dialogs.intents.registry import Question, evaluate, register, reply, t, text_reply
from dialogs.ports import Document, PartnerRepository
from dialogs.understanding import Change, Recognition, numbers
from kernel.errors import InputError
from kernel.texts import catalog
from scoring import api

_FIELDS: Mapping[str, tuple[str, str]] = {
    "intermediate_certifications": ("intermediate_certified_people", "intermediate_certified_people"),
    "advanced_certifications": ("advanced_certified_people", "advanced_certified_people"),
    "deployments": ("deployments_now", "deployments_12_months_ago"),
    "usage_growth": ("consumption_now", "consumption_12_months_ago"),
}



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



@register("whatif", needs=("profile",), interrupts=True)
async def whatif(question: Question) -> list[Activity]:
    profile, result = question.evaluated()
    lang = question.lang
    changes = what_if_changes(question.recognition.changes, result, lang)
    if not changes:
        return [text_reply(t("answers.whatif.nothing", lang))]
    return [reply(cards.whatif_card(api.what_if(profile, changes, today=question.today), lang))]


@register("update", needs=("profile",))
async def update(question: Question) -> list[Activity]:
    assert question.document is not None
    return propose_update(
        question.recognition, question.document, question.result, question.lang, question.today
    )


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


def propose_update(
    recognition: Recognition, document: Document, result: api.ScoreResult, lang: str, today: date
) -> list[Activity]:
    metrics = dict(document.get("metrics") or {})
    values: dict[str, Fraction] = {}
    rows: list[tuple[str, str, str]] = []
    counts = [c for c in recognition.changes if c.stated == "qualifying_workloads"]
    for change in recognition.changes:
        _check_typed(change, result, lang)
        if change in counts:
            continue
        key, value = _update_value(change, result)
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
    _, after_result = evaluate(new_doc, today)
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


async def apply_update(
    partners: PartnerRepository, today: date, tenant: str, pending: PendingUpdate, lang: str
) -> list[Activity]:
    """Save the update the user confirmed, unless the data it was computed from changed since."""

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
        stored = await partners.update_profile(tenant, change)
    except InputError as err:
        return [text_reply(err.render(lang, catalog()))]
    _, result = evaluate(stored, today)
    saved = t("answers.update.saved", lang, total=formatting.points(result.total, lang))
    return [text_reply(saved), reply(cards.score_card(result, api.get_edition(result.edition), lang))]


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
