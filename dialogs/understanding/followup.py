"""Follow-ups: a short message right after an answer ("and intermediate?", "en implementaties?",
"and next month?", "why?") asks that answer's question again with what it names.

The conversation keeps a :class:`Context` per user (in conversation state, never shared across users
or tenants) after each answer and hands it to :func:`follow_up` with the next message:

    context = Context("gap", metric="advanced_certifications")
    follow_up(context, "and intermediate?")   # Recognition gap / intermediate_certifications
    follow_up(context, "why?")                # Recognition explain / advanced_certifications
    follow_up(context, "what's my score?")    # not a follow-up: recognised on its own

A message is a follow-up when, apart from a starter word ("and", "what about", "en", "hoe zit het
met" — ``follow_up`` in ``config/recognizer/entities.yaml``) and stop words, it names only a metric,
a period, a workload, a certification or an offer; or when it is only a "why" word.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from dialogs.understanding.recognition import Recognition
from dialogs.understanding.recognizer import Recognizer, recognizer

REUSABLE = frozenset({"score", "gap", "explain", "eligibility", "freshness", "forecast", "cosell_explain"})
"""Intents whose question a follow-up can ask again with another metric, period or offer."""
EXPLAINED_BY_WHY = frozenset({"score", "gap", "plan", "whatif", "update", "forecast", "threshold",
                              "explain", "market"})
"""Answers that a "why?" asks to explain (the metric they were about, or the rules as a whole)."""
_NAMED = {"{metric}", "{period}", "{workload}", "{certification}", "{offer}", "{status}", "{requirement}"}


@dataclass(frozen=True)
class Context:
    """What the previous answer was about: its intent and the metric, period and offer it named."""

    intent: str
    metric: str | None = None
    period: str | None = None
    offer: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"intent": self.intent, "metric": self.metric, "period": self.period, "offer": self.offer}

    @classmethod
    def from_json(cls, data: Any) -> Context | None:
        """The context stored in ``data``, or ``None`` when it is not one (old or forged state)."""
        if not isinstance(data, Mapping) or not isinstance(data.get("intent"), str):
            return None
        fields = {k: data.get(k) for k in ("metric", "period", "offer")}
        if not all(v is None or isinstance(v, str) for v in fields.values()):
            return None
        return cls(str(data["intent"]), **fields)

    @classmethod
    def of(cls, recognition: Recognition) -> Context | None:
        """The context an answer to ``recognition`` leaves for the next message."""
        if recognition.intent is None:
            return None
        entities = recognition.entities
        offer = entities.get("offer")
        period = entities.get("period")
        return cls(recognition.intent, recognition.metric, str(period) if period else None,
                   str(offer) if offer else None)


def follow_up(context: Context | None, text: str, locale: str | None = None, *,
              known_offers: Sequence[str] = (), edition: str | None = None) -> Recognition:
    """What ``text`` asks, read as a follow-up of ``context`` when it is one (see the module text)."""
    reader = recognizer(edition)
    fresh = reader.recognize(text, locale, known_offers=known_offers)
    if context is None:
        return fresh
    shape = _shape(reader, text, known_offers)
    if shape == "why" and context.intent in EXPLAINED_BY_WHY:
        entities = {k: v for k, v in fresh.entities.items()}
        if context.metric:
            entities["metric"] = context.metric
            entities["metrics"] = [context.metric]
        return Recognition("explain", 1.0, (), {**entities, "follow_up": True}, fresh.thresholds)
    if shape != "named":
        return fresh
    entities = dict(fresh.entities)
    intent = context.intent if context.intent in REUSABLE else "score"
    if entities.get("period") == "next_month":
        intent = "forecast"
    for key, value in (("metric", context.metric), ("period", context.period), ("offer", context.offer)):
        if value and key not in entities and not (key == "metric" and entities.get("period")):
            entities[key] = value
    if entities.get("metric"):
        entities["metrics"] = [entities["metric"], *[m for m in entities.get("metrics", [])
                                                     if m != entities["metric"]]]
    return replace(fresh, intent=intent, score=1.0, alternatives=(),
                   entities={**entities, "follow_up": True})


def _shape(reader: Recognizer, text: str, known_offers: Sequence[str]) -> str | None:
    """``why`` (only a why word), ``named`` (a starter and only named things), else ``None``."""
    _, sequence, stems = reader.read(text, known_offers)
    words = [w for w in stems if w]
    if words and all(w in reader.why_words for w in words):
        return "why"
    rest = list(sequence)
    started = False
    for phrase in sorted(reader.follow_up_phrases, key=len, reverse=True):  # "what about" before "what"
        if tuple(rest[:len(phrase)]) == phrase:
            rest, started = rest[len(phrase):], True
            break
    while rest and rest[0] in reader.follow_up_starters:
        rest, started = rest[1:], True
    if rest and all(w in _NAMED for w in rest) and (started or len(rest) == 1):
        return "named"
    return None
