"""What-ifs and updates: a recognised change turned into scoring's inputs, shown before → after.

"What if …" shows the score with the change (:func:`whatif`); "we now have …" proposes the change
as an update with Save (:func:`update`), and :func:`apply_update` saves the proposal the user
confirmed. What a recognised change means for the partner's numbers ("up by 2,000" adds consumption
value, "10 % more" grows today's value, "to 95,000" sets it) is decided in one place,
:func:`scoring.api.apply_changes`; here a change is only checked as typed (size, whole number,
plausibility) and shown.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from botbuilder.schema import Activity

from dialogs import formatting
from dialogs.cards import answers as cards
from dialogs.intents.questions import forecast
from dialogs.intents.registry import Question, evaluate, register, reply, t, text_reply
from dialogs.ports import Document, PartnerRepository
from dialogs.understanding import Change, Recognition, numbers
from kernel.errors import InputError
from kernel.texts import catalog
from scoring import api


@dataclass(frozen=True)
class PendingUpdate:
    """A change shown before → after and waiting for "Save": summary key → new value, and the market
    (2022) or track (2023) in ``market``: their ids are distinct.

    ``id`` tells one proposal from another (only the latest one shown can be saved); ``before``
    holds the stored values it was computed from (summary key, ``market`` or ``track`` → value, ``None`` when
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
            or not all((k in keys or k in _SEGMENT_KEYS) and (v is None or isinstance(v, str | int | float))
                       for k, v in before.items())
            or (market is not None and market not in (*api.MARKETS, *api.TRACKS))
            or not isinstance(data.get("id", ""), str)
        ):
            return None
        return cls(values, str(market) if market else None, str(data.get("id", "")),
                   {str(k): None if v is None else str(v) for k, v in before.items()})


_SEGMENT_KEYS = ("market", "track")


def _segment_key(segment: str) -> str:
    """The profile key of a market (2022) or track (2023) id."""
    return "track" if segment in api.TRACKS else "market"


def _set_segment(document: Document, segment: str) -> dict[str, Any]:
    return (api.set_track if _segment_key(segment) == "track" else api.set_market)(document, segment)


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except (InvalidOperation, ValueError):
        return False



@register("whatif", needs=("profile",), interrupts=True)
async def whatif(question: Question) -> list[Activity]:
    profile, result = question.evaluated()
    lang = question.lang
    applied = applied_changes(question.recognition, result, lang)
    if not applied.values:
        return [text_reply(t("answers.whatif.nothing", lang))]
    card = reply(cards.whatif_card(api.what_if(profile, applied, today=question.today), lang))
    if question.recognition.entities.get("period") == "next_month":  # "and next month?" after a what-if
        return [card, *await forecast(question)]
    return [card]


@register("update", needs=("profile",))
async def update(question: Question) -> list[Activity]:
    assert question.document is not None
    return propose_update(
        question.recognition, question.document, question.result, question.lang, question.today
    )


def applied_changes(recognition: Recognition, result: api.ScoreResult, lang: str) -> api.AppliedChanges:
    """The recognised changes applied to the partner's numbers by :func:`scoring.api.apply_changes`,
    after checking them as typed: an implausible amount ("150,000 advanced people") is refused."""
    if recognition.implausible:
        change = recognition.implausible[0]
        if abs(change.amount) >= numbers.TOO_LARGE:  # never show a 30-digit number back
            raise InputError(f"{change.metric}: far too large", code="answers_too_large",
                             params={"metric_label": f"scoring.metric.{change.metric}"})
        raise InputError(
            f"{change.amount} is not plausible", code="answers_implausible",
            params={"value": _typed(change, lang), "metric_label": f"scoring.metric.{change.metric}"},
        )
    for change in recognition.changes:
        _check_typed(change, result, lang)
    return api.apply_changes(result, recognition.changes)


def propose_update(
    recognition: Recognition, document: Document, result: api.ScoreResult, lang: str, today: date
) -> list[Activity]:
    metrics = dict(document.get("metrics") or {})
    values = dict(applied_changes(recognition, result, lang).values)
    rows: list[tuple[str, str, str]] = []
    market = recognition.entities.get("market")
    new_doc: dict[str, Any] = dict(document)
    for key, value in values.items():
        _check_stored(key, value, result.edition)
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
            (api.input_name(key, result.edition, lang), _shown(before, key, lang), _shown(after, key, lang))
        )
    segment = _segment_key(str(market)) if market else "market"  # "change our track to Enterprise"
    if market and market != document.get(segment):
        new_doc = _set_segment(new_doc, str(market))
        rows.append(
            (
                t(f"answers.update.{segment}", lang),
                api.segment_name(segment, str(document[segment]), lang)
                if document.get(segment)
                else t("answers.update.empty", lang),
                api.segment_name(segment, str(market), lang),
            )
        )
    if not rows:
        if market and not values:  # "we're on the SMB track now" when it already is
            return [text_reply(t("answers.update.same_segment", lang,
                                 segment=api.segment_name(segment, str(market), lang)))]
        return [text_reply(t("answers.update.nothing", lang))]
    _, after_result = evaluate(new_doc, today)
    new_market = str(market) if market and market != document.get(segment) else None
    stored: dict[str, str | None] = {
        k: None if metrics.get(k) is None else str(metrics[k])
        for k in [*values, *(spec.key for spec in api.SUMMARY_KEYS if spec.key in metrics)]
    }
    if new_market:
        stored[segment] = str(document[segment]) if document.get(segment) else None
    pending = PendingUpdate(
        {k: str(_plain(v)) for k, v in values.items()}, new_market, uuid.uuid4().hex[:16], stored
    )
    return [reply(cards.update_card(rows, result.total, after_result.total, lang, pending.to_json()))]



async def apply_update(
    partners: PartnerRepository, today: date, tenant: str, pending: PendingUpdate, lang: str
) -> list[Activity]:
    """Save the update the user confirmed, unless the data it was computed from changed since."""

    def change(document: Document | None) -> Document:
        if document is None:
            raise InputError("no profile stored", code="answers_no_profile")
        stored = {**(document.get("metrics") or {}), **{k: document.get(k) for k in _SEGMENT_KEYS}}
        for key, was in pending.before.items():
            now = stored.get(key)
            if (now is None) != (was is None) or (
                now is not None and was is not None and str(now) != was
                and (key in _SEGMENT_KEYS or Fraction(str(now)) != Fraction(was))
            ):
                raise InputError("the data changed since this change was shown",
                                 code="answers_update_stale")
        out: dict[str, Any] = dict(document)
        for key, value in pending.values.items():
            out = api.set_summary(out, key, Decimal(value))
        if pending.market:
            out = _set_segment(out, pending.market)
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


def _unit_label(metric_id: str, result: api.ScoreResult) -> str:
    return f"scoring.unit.{result.metric(metric_id).unit}"


def _not_whole(metric_id: str, value: Fraction, result: api.ScoreResult, lang: str) -> InputError:
    return InputError(
        f"{float(value)} is not a whole number", code="answers_not_whole",
        params={"value": formatting.count(value, lang), "unit_label": _unit_label(metric_id, result)},
    )


def _typed(change: Change, lang: str) -> str:
    """A change's amount as the user typed it, in their language: 12, USD 2,000 or 10%."""
    if change.percent:
        return formatting.percent(change.amount, lang)
    if change.metric == "usage_growth":
        return formatting.money(change.amount, lang)
    return formatting.count(change.amount, lang)


def _check_typed(change: Change, result: api.ScoreResult, lang: str) -> None:
    """A typed amount within the one limit for numbers in chat (:func:`numbers.check_size`)."""
    if abs(change.amount) >= numbers.TOO_LARGE:  # never format a 300-digit number
        raise InputError(f"{change.metric}: far too large", code="answers_too_large",
                         params={"metric_label": f"scoring.metric.{change.metric}"})
    shown = _typed(change, lang)
    numbers.check_size(change.amount, shown)
    if change.metric != "usage_growth" and not change.percent and change.amount != int(change.amount):
        raise _not_whole(change.metric, Fraction(change.amount), result, lang)


def _check_stored(key: str, value: Fraction, edition: str) -> None:
    """A value about to be stored within the one limit for numbers (whole and not negative:
    :func:`scoring.api.apply_changes` checked that); the input is named with ``edition``'s window."""
    if abs(value) >= numbers.TOO_LARGE:
        raise InputError(f"{key} would be far too large", code="answers_too_large",
                         params={"metric_label": f"scoring.summary.{key}",
                                 "months": api.get_edition(edition).comparison_months})
