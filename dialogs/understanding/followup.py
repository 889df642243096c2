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
a period, a workload, a certification or an offer; or when it is only a "why" word. A comment it
opens with ("Nice.", "Mooi.", "nee wacht,") is passed over, and "in jan" is next month's name written
out when it is next month.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from dialogs.understanding.configured import recognize, recognizer
from dialogs.understanding.recognition import Recognition
from dialogs.understanding.recognizer import Recognizer, _next_month
from dialogs.understanding.text import contains, fold
from scoring.api import MODES, UNITS, Change

REUSABLE = frozenset({"score", "gap", "explain", "eligibility", "freshness", "forecast", "cosell_explain",
                      "cosell"})
"""Intents whose question a follow-up can ask again with another metric, period or offer (the
co-sell walkthrough only with another offer: "and for Contoso Flow?")."""
EXPLAINED_BY_WHY = frozenset({"score", "gap", "plan", "whatif", "update", "forecast", "threshold",
                              "explain", "market"})
"""Answers that a "why?" asks to explain (the metric they were about, or the rules as a whole)."""
_NAMED = {"{metric}", "{period}", "{workload}", "{certification}", "{offer}", "{status}", "{requirement}"}


@dataclass(frozen=True)
class Context:
    """What the previous answer was about: its intent, the metric, period and offer it named, and
    the changes of a what-if (so that "and intermediate?" asks the same change of another metric)."""

    intent: str
    metric: str | None = None
    period: str | None = None
    offer: str | None = None
    changes: tuple[Change, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"intent": self.intent, "metric": self.metric, "period": self.period, "offer": self.offer,
                "changes": [c.to_json() for c in self.changes]}

    @classmethod
    def from_json(cls, data: Any) -> Context | None:
        """The context stored in ``data``, or ``None`` when it is not one (old or forged state)."""
        if not isinstance(data, Mapping) or not isinstance(data.get("intent"), str):
            return None
        fields = {k: data.get(k) for k in ("metric", "period", "offer")}
        if not all(v is None or isinstance(v, str) for v in fields.values()):
            return None
        stored = data.get("changes") or []
        changes = [_change(c) for c in stored] if isinstance(stored, list) else [None]
        if any(c is None for c in changes):
            return None
        return cls(str(data["intent"]), **fields, changes=tuple(c for c in changes if c is not None))

    @classmethod
    def of(cls, recognition: Recognition) -> Context | None:
        """The context an answer to ``recognition`` leaves for the next message."""
        if recognition.intent is None:
            return None
        entities = recognition.entities
        offer = entities.get("offer")
        period = entities.get("period")
        changes = tuple(recognition.changes) if recognition.intent == "whatif" else ()
        return cls(recognition.intent, recognition.metric, str(period) if period else None,
                   str(offer) if offer else None, changes)


def _change(data: Any) -> Change | None:
    """A change as :meth:`Change.to_json` wrote it, or ``None`` when it is not one."""
    if not isinstance(data, Mapping):
        return None
    metric, amount, mode, unit = (data.get(k) for k in ("metric", "amount", "mode", "unit"))
    stated = data.get("stated")
    if (not isinstance(metric, str) or isinstance(amount, bool) or not isinstance(amount, int | float | str)
            or mode not in MODES or unit not in UNITS or not isinstance(data.get("past", False), bool)
            or not (stated is None or isinstance(stated, str))):
        return None
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return Change(metric, value, mode, unit, bool(data.get("past", False)), stated)


def follow_up(context: Context | None, text: str, locale: str | None = None, *,
              known_offers: Sequence[str] = (), edition: str | None = None) -> Recognition:
    """What ``text`` asks, read as a follow-up of ``context`` when it is one (see the module text)."""
    reader = recognizer(edition)
    if context is not None:
        text = _month_spelled_out(reader, text)
    fresh = recognize(text, locale, known_offers=known_offers, edition=edition)  # read once per text
    if context is None:
        return fresh
    rest = _after_comment(reader, text, known_offers)
    if rest is not None:  # "Nice. And in January?", "nee wacht, doe maar 5": the follow-up after the comment
        answer = follow_up(context, rest, locale, known_offers=known_offers, edition=edition)
        if answer.entities.get("follow_up"):
            return answer
    if (context.intent == "whatif" and fresh.changes and context.changes
            and all(c.mode == "add" for c in context.changes) and all(c.mode == "set" for c in fresh.changes)
            and any(w in reader.same_change_words for w in reader.read(text, known_offers)[2])):
        # "and if those two were intermediate certifications instead?": the same kind of change
        moved = [replace(c, mode="add") for c in fresh.changes]
        return replace(fresh, intent="whatif", score=1.0, alternatives=(),
                       entities={**fresh.entities, "changes": moved, "hypothetical": True, "follow_up": True})
    if (context.intent == "whatif" and context.changes and fresh.changes and not fresh.entities.get("store")
            and _opens_with_amount_verb(reader, text, known_offers)):
        # "make it 4 deployments", "doe maar 4 int": the what-if again with that change, of the same kind
        # (storing a total says "store" or "save": that stays an update)
        same_kind = (all(c.mode == "add" for c in context.changes)
                     and all(c.mode == "set" for c in fresh.changes))
        changes = [replace(c, mode="add") for c in fresh.changes] if same_kind else list(fresh.changes)
        return _whatif(fresh, {**fresh.entities, "changes": changes, "hypothetical": True}, reader)
    if (context.intent == "whatif" and fresh.intent == "update" and fresh.changes
            and not fresh.entities.get("store") and _starts(reader, text, known_offers)):
        # "how about with 4 deployments", "and with 2 customers?": still exploring, not storing
        return replace(fresh, intent="whatif", entities={**fresh.entities, "hypothetical": True})
    read, _, stems = reader.read(text, known_offers)
    if (context.intent == "whatif" and context.changes and not fresh.changes and not read.get("metric")
            and read.get("period") == "next_month" and any(w in reader.reference_words for w in stems)):
        # "and a month on, would those two changes still keep us above 70?": the same changes, a month on
        again = _whatif_again(context, {**fresh.entities, "period": read["period"]}, reader)
        if again is not None:
            return _whatif(fresh, again, reader)
    shape = _shape(reader, text, known_offers, fresh)
    again_later = context.intent == "whatif" and bool(context.changes) and bool(fresh.entities.get("period"))
    if (shape == "sentence" and fresh.intent not in (None, context.intent) and fresh.confident
            and not again_later  # "and what does that do next month?": the what-if, a month on
            and _asks_itself(reader, fresh, text, known_offers)):
        return fresh  # "and how many deployments do we still need?" asks a question of its own
    if shape == "why" and context.intent in EXPLAINED_BY_WHY:
        entities = {k: v for k, v in fresh.entities.items()}
        if context.metric:
            entities["metric"] = context.metric
            entities["metrics"] = [context.metric]
        return Recognition("explain", 1.0, (), {**entities, "follow_up": True}, fresh.thresholds)
    if shape == "amount" and context.intent == "whatif" and len(context.changes) == 1:
        (before,) = context.changes
        amount = _new_amount(fresh.entities["numbers"], before.amount)
        if before.mode == "add" and before.amount < 0 < amount:
            amount = -amount  # "what if we lose 1 deployment", then "and if it were 3?": lose 3
        change = Change(before.metric, amount, before.mode, before.unit)
        entities = {**fresh.entities, "metric": before.metric, "metrics": [before.metric],
                    "changes": [change], "hypothetical": True, "follow_up": True}
        entities.pop("implausible", None)
        if abs(amount) > reader.change_reader.limit(change):
            entities["implausible"] = [change]
        return replace(fresh, intent="whatif", score=1.0, alternatives=(), entities=entities)
    if shape == "all" and context.intent in REUSABLE - {"cosell"}:
        entities = {k: v for k, v in fresh.entities.items()
                    if k not in ("metric", "metrics", "market", "markets")}
        return replace(fresh, intent=context.intent, score=1.0, alternatives=(),
                       entities={**entities, "follow_up": True})
    if shape not in ("named", "sentence"):
        if (fresh.intent == "explain" and not fresh.metric and context.metric
                and _refers(reader, text, known_offers)):  # "explain that", "leg dat uit"
            return replace(fresh, entities={**fresh.entities, "metric": context.metric,
                                            "metrics": [context.metric], "follow_up": True})
        return fresh
    entities = dict(fresh.entities)
    for key in ("metric", "metrics", "period", "periods"):  # what it names, whatever it was read as
        if key in read and key not in entities:
            entities[key] = read[key]
    others = [m for m in entities.get("metrics", []) if m != context.metric]
    if len(entities.get("metrics", [])) > 1 and others and any(w in reader.instead_words for w in stems):
        entities["metric"] = others[0]  # "swap advanced for intermediate", "… rather than deployments"
    intent = context.intent if context.intent in REUSABLE else "score"
    if intent == "cosell" and not fresh.entities.get("offer"):
        intent = "score"  # only another offer asks for the co-sell walkthrough again
    if context.intent == "whatif" and context.changes:
        again = _whatif_again(context, entities, reader)
        if again is not None:
            return _whatif(fresh, again, reader)
    if entities.get("period") == "next_month":
        intent = "forecast"
    whole = bool(entities.get("period")) and not any(w in reader.reference_words for w in stems)
    for key, value in (("metric", context.metric), ("period", context.period), ("offer", context.offer)):
        if value and key not in entities and not (key == "metric" and whole):
            entities[key] = value  # "and next month?" asks of the whole score, "… for that?" of the metric
    if entities.get("metric"):
        entities["metrics"] = [entities["metric"], *[m for m in entities.get("metrics", [])
                                                     if m != entities["metric"]]]
    return replace(fresh, intent=intent, score=1.0, alternatives=(),
                   entities={**entities, "follow_up": True})


_MONTH_AFTER_IN = re.compile(r"\b(in)\s+([a-z]{3,4})\b\.?", re.IGNORECASE)


def _month_spelled_out(reader: Recognizer, text: str) -> str:
    """``text`` with a month's short name after "in" written out when it is next month ("and in
    jan?", "en in feb?" the month before): in a follow-up that is the month, as "in January" is, though
    on its own "jan" may be a name (Jan) and is no month (``months_alone`` in entities.yaml)."""
    def spelled(match: re.Match[str]) -> str:
        number = reader.months.get(fold(match[2]))
        if fold(match[2]) in reader.months_alone or number != _next_month():
            return match[0]
        name = next(n for n, m in reader.months.items() if m == number and n in reader.months_alone)
        return f"{match[1]} {name}"
    return _MONTH_AFTER_IN.sub(spelled, text)


_CLAUSE_END = re.compile(r"(?<=[.,!;:])\s+")


def _after_comment(reader: Recognizer, text: str, known_offers: Sequence[str]) -> str | None:
    """What follows the comments a message opens with ("Nice.", "Mooi.", "nee wacht,", "ok great,"):
    clauses of at most three words besides stop words that name nothing (no metric, period, number,
    offer …) and ask nothing (no question word nor why word). ``None`` when the message opens otherwise."""
    rest, dropped = text.strip(), False
    while len(parts := _CLAUSE_END.split(rest, maxsplit=1)) == 2:
        head, after = parts
        _, sequence, stems = reader.read(head, known_offers)
        words = [w for w in stems if w not in reader.stop_words]
        if (len(words) > 3 or any(w.startswith("{") for w in sequence)
                or any(w in reader.clause_questions or w in reader.why_words for w in words)):
            break
        rest, dropped = after, True
    return rest if dropped else None


def _whatif(fresh: Recognition, again: dict[str, Any], reader: Recognizer) -> Recognition:
    """``fresh`` read as the what-if ``again`` (the previous what-if's changes, moved or a month on)."""
    implausible = [c for c in again["changes"] if abs(c.amount) > reader.change_reader.limit(c)]
    again.pop("implausible", None)
    if implausible:
        again["implausible"] = implausible
    return replace(fresh, intent="whatif", score=1.0, alternatives=(), entities={**again, "follow_up": True})


def _new_amount(numbers: Sequence[Decimal], before: Decimal) -> Decimal:
    """The amount a follow-up puts in place of the what-if's ``before``: its one number, or of two
    numbers the one that is not ``before`` ("what about 5 instead of 3?", "en met 6 in plaats van 3?")."""
    if len(numbers) == 2 and abs(before) in numbers:
        return numbers[1] if numbers[0] == abs(before) else numbers[0]
    return numbers[0]


def _whatif_again(context: Context, entities: Mapping[str, Any], reader: Recognizer) -> dict[str, Any] | None:
    """After a what-if: "and next month?" asks the same changes next month; "and intermediate?" asks
    the same change of the metric named (when the what-if changed one metric by a count). ``None``
    when the follow-up is not one of these (it is then read as a follow-up of a score)."""
    out = dict(entities)
    if entities.get("period") == "next_month" and not entities.get("metric"):
        metric = context.metric or context.changes[0].metric
        return {**out, "metric": metric, "metrics": [metric], "changes": list(context.changes),
                "hypothetical": True}
    named = entities.get("metric")
    if not named or entities.get("period") or len({c.metric for c in context.changes}) != 1:
        return None
    if any(c.unit != "count" or c.stated or c.past for c in context.changes):
        return None  # "10 % more consumption" says nothing about deployments
    units = {rule.id: rule.unit for rule in reader.edition.metrics}
    if "percent" in (units.get(context.changes[0].metric), units.get(str(named))):
        return None  # a consumption amount (money) is no count of people or deployments, nor back
    moved = [Change(str(named), c.amount, c.mode, c.unit) for c in context.changes]
    return {**out, "metric": named, "metrics": [named], "changes": moved, "hypothetical": True}


def _starts(reader: Recognizer, text: str, known_offers: Sequence[str]) -> bool:
    """The sentence starts as a follow-up does ("and …", "what about …", "en met …")."""
    _, sequence, _ = reader.read(text, known_offers)
    rest = [w for w in sequence if w not in reader.follow_up_fillers]
    return bool(rest) and (rest[0] in reader.follow_up_starters
                           or any(tuple(rest[:len(p)]) == p for p in reader.follow_up_phrases))


def _opens_with_amount_verb(reader: Recognizer, text: str, known_offers: Sequence[str]) -> bool:
    """The message opens, after a starter or filler words, with a verb of choosing an amount ("make
    it …", "doe maar …", "say …": ``amount_verbs``)."""
    _, _, stems = reader.read(text, known_offers)
    words = [w for w in stems if w and w not in reader.follow_up_fillers]
    opened = [words]  # "doe" is a verb of choosing and the starter of "doe het voor …" both
    while words and words[0] in reader.follow_up_starters:
        words = words[1:]
        opened.append(words)
    return any(tuple(said[:len(p)]) == p for p in reader.amount_verbs for said in opened)


def _refers(reader: Recognizer, text: str, known_offers: Sequence[str]) -> bool:
    """The sentence refers back ("that", "same", "dat", "hetzelfde")."""
    _, _, stems = reader.read(text, known_offers)
    return any(w in reader.reference_words for w in stems)


_OWN_QUESTION = 0.9
"""A sentence read this surely (nearly a labelled sentence of its own) is its own question."""


def _asks_itself(reader: Recognizer, fresh: Recognition, text: str, known_offers: Sequence[str]) -> bool:
    """The sentence says a cue of the intent it was read as, beyond the period it names ("next
    month" is a cue of the forecast but also what "and how would that look next month?" names) and
    the words that swap what it names ("switch deployments for customers")."""
    _, _, stems = reader.read(text, known_offers)
    periods = {phrase for phrase, (_, kind, _) in reader.phrases.items() if kind == "period"}
    cues = reader.cues.get(str(fresh.intent), [])  # "switch" (to Dutch) is no cue in "switch X for Y"
    if fresh.score >= _OWN_QUESTION and len(stems) >= 6 and not _refers(reader, text, known_offers):
        return True  # "hoeveel installaties bij klanten nog tot het maximum": as sure as a known sentence
    return any(contains(stems, cue) for cue in cues
               if cue and cue not in periods and not set(cue) <= reader.instead_words)


def _shape(reader: Recognizer, text: str, known_offers: Sequence[str], fresh: Recognition) -> str | None:
    """``why`` (a why word only, or a why question that names nothing new: "why is it so low?"),
    ``amount`` (the same what-if with another amount: "and if it were 4 instead?", "make it 4"), ``all`` (the
    same question of every metric: "and the other metrics?"),
    ``named`` (a starter or an ender such as "too" and only named things, or "how does that look for
    X?"), ``sentence`` (a sentence that names a metric or a
    period and refers back: "try the same with deployments", "en als het om implementaties gaat?",
    "and how would that look next month?"), else ``None``."""
    _, sequence, stems = reader.read(text, known_offers)
    words = [w for w in stems if w and w not in reader.follow_up_fillers]
    said_first = words  # "what causes that?": "what" is no starter here
    while words and words[0] in reader.follow_up_starters:  # "and why is that?"
        words = words[1:]
    if words and all(w in reader.why_words for w in words):
        return "why"
    clauses = " ".join(stems).split(",")
    said = [w for w in clauses[-1].split() if w not in reader.follow_up_fillers]
    after_comment = len(clauses) > 1 and (all(w in reader.why_words for w in said)  # "dat is weinig, hoezo?"
                                          or any(tuple(said[:len(p)]) == p for p in reader.why_starts))
    why_alone = {p[0] for p in reader.why_starts if len(p) == 1}  # not the "that" of "why is that"
    asked_why = len(clauses) == 1 and 0 < len(said) <= 5 and said[-1] in why_alone  # not "… after that"
    if (said and (after_comment or asked_why)
            and not fresh.entities.get("metric") and not fresh.entities.get("numbers")):
        return "why"  # "that's low, why?", "dat is laag, hoezo?", "can you explain why?"
    stated = bool(fresh.entities.get("numbers") or fresh.changes)
    conditional = bool(words) and words[0] in reader.conditional
    numbers = fresh.entities.get("numbers", [])
    why_start = any(tuple(w[:len(p)]) == p for p in reader.why_starts for w in (words, said_first))
    if (not fresh.changes and not fresh.entities.get("metric") and not why_start
            and (len(numbers) == 1 or (len(numbers) == 2 and numbers[0] != numbers[1]
                                       and any(w in reader.instead_words for w in stems)))
            and (conditional or any(w in reader.reference_words | reader.instead_words for w in stems)
                 or any(tuple(words[:len(p)]) == p for p in reader.amount_verbs))):
        return "amount"  # "and if it were 4 instead?", "en als het er 4 waren?", "5 instead of 3?", "say 4"
    if not fresh.changes and not fresh.entities.get("metric") and why_start:
        return "why"  # "why is it so low?", "why is it zero?"
    rest = [w for w in sequence if w not in reader.follow_up_fillers]  # "and next month then?"
    started = False
    for phrase in sorted(reader.follow_up_phrases, key=len, reverse=True):  # "what about" before "what"
        if tuple(rest[:len(phrase)]) == phrase:
            rest, started = rest[len(phrase):], True
            break
    while rest and rest[0] in reader.follow_up_starters:
        rest, started = rest[1:], True
    for ender in sorted(reader.follow_up_enders, key=len, reverse=True):  # "net adds too?"
        if len(rest) > len(ender) and tuple(rest[-len(ender):]) == ender:
            rest, started = rest[:-len(ender)], True
            break
    if rest and all(w in _NAMED for w in rest) and (started or len(rest) == 1):
        return "named"
    if started and rest and all(w in reader.all_metrics for w in rest) and not fresh.entities.get("metric"):
        return "all"  # "and the other metrics?", "en de rest?"
    if rest == ["{number}"] and len(fresh.entities.get("numbers", [])) == 1:
        return "amount"  # "what about 5?", "en met 5?", "actually, 6", "eigenlijk 6", "7?"
    refers = started or any(w in reader.reference_words | reader.instead_words for w in stems)
    if (not stated and any(w in reader.look_words for w in stems)
            and (conditional or (refers and any(w in reader.clause_questions for w in stems)))
            and any(w in ("{metric}", "{period}") for w in sequence)):
        return "named"  # "and how does that look for X?", "als we naar X kijken?": the same question of X
    if refers and not stated and any(w in ("{metric}", "{period}") for w in sequence):
        return "sentence"
    return None
