"""The frame of a sentence, read from its shape rather than from its nearest example: does it ask
or state, does it ask what a stated change would do, does it ask to store what it states? And the
rules that follow from the frame, whatever the examples say:

- a sentence that states a change and asks what it does is a what-if, with or without "what if":
  "four more people through MB-310, what does that do to the score?", "assume usage growth of 12 %,
  score?", "verbruik 9 procent omhoog, wat levert dat op?"; a hypothetical never offers to save;
- a sentence that states a change without asking anything is an update: "one of our
  intermediate-certified people left last week", "vanaf vandaag hebben we 19 …", and so is one that
  asks to store it ("…, please store that", "tel die erbij");
- a question when a stated change shows ("a deployment went live last week, when do we get points for
  it?") asks when, unless it opens as a what-if;
- a question that starts with "why" or asks how something works is an explanation, even when it
  names a change ("why does one more advanced person give only two points?");
- a question whether an exam counts as, or falls under, a level asks what counts;
- a co-sell check needs a co-sell word or an offer's name; a question about co-sell statuses or
  requirements that names no offer asks the rule;
- "how many …" with a metric and no amount asks the gap, even after "if" ("als we alles in
  implementaties steken, hoeveel hebben we er dan nodig?"); "who …" about stored data asks who may;
- a yes/no question whose verb is "count" asks what counts ("do web direct subscriptions count?",
  "tellen EA-verkopen mee?"); a "why" about the track asks the market ("why are we on the SMB track?");
- a question about a role without a verb of giving or taking asks who may do what ("can a viewer see
  everything?" is access; "can you make Lisa an editor?" is a grant);
- a clause after a comma that starts with a question word asks, wherever it stands ("picture us with
  19 deployments, what's the score");
- an intent that changes state on its own (cancel, a language switch, a role, undo, notifications)
  needs one of its own cue words, and cancel a short command: "zitten we al boven de 70?" is no
  cancel because the example "laat maar zitten" shares a word with it.

The words are ``entities.yaml``'s (``question_starts``, ``effect_questions``, ``store_requests``,
``hypothetical_starts``, ``frame_fillers``); which intents need a cue is ``intents.yaml``'s
(``needs``, ``max_words``).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dialogs.understanding.text import contains, phrase_words, stem
from dialogs.understanding.tokens import CLAUSE

STATES_A_NEED = frozenset({"gap", "threshold", "plan"})
"""Intents whose statements with a number are no update: "we still need 2 deployments for max points"."""
NEXT_MONTH_IS_FORECAST = frozenset({"score", "history", "gap", "threshold", "whatif"})
"""Questions that, asked of next month, are the forecast: "hebben we in januari nog de aanduiding?"."""
KEEPS_ITS_INTENT = frozenset({"whatif", "freshness", "eligibility", "cosell", "language", "grant", "access",
                              "import_help", "export", "notify_on", "notify_off", "undo", "enter_data",
                              "plan", "market"})
"""Intents a stated change does not turn into a what-if or an update ("if we add 2 customers, when do
they show up?" asks when; "does PL-600 count if 2 people pass it" asks what counts)."""
ASKED_ONLY = frozenset({"eligibility", "freshness", "export", "access", "import_help"})
"""Of those, intents that only a question has: a statement of a change is an update ("Emma passed
PL-300 this morning" names an exam, as "does PL-300 count?" does; "our advanced certified headcount
is 7 as of this week" is no "as of when")."""


def _words(items: Sequence[Any]) -> frozenset[str]:
    """Every word of the configured phrases ``items``, as a read sentence has them."""
    return frozenset(w for p in _phrases(items) for w in p)


def _phrases(items: Sequence[Any]) -> tuple[tuple[str, ...], ...]:
    return tuple(p for p in (tuple(stem(w) for w in phrase_words(str(item))) for item in items) if p)


@dataclass(frozen=True)
class Frames:
    """The words that show a sentence's frame (see the module text)."""

    question_starts: frozenset[str]
    effect: tuple[tuple[str, ...], ...]
    store: tuple[tuple[str, ...], ...]
    hypothetical_starts: tuple[tuple[str, ...], ...]
    needs: Mapping[str, tuple[tuple[str, ...], ...]]
    max_words: Mapping[str, int]
    skipped: frozenset[str]
    ask: tuple[tuple[str, ...], ...] = ()
    own_words: Mapping[str, frozenset[str]] = field(default_factory=dict)
    plan_words: frozenset[str] = frozenset()
    conditional: frozenset[str] = frozenset()
    clause_questions: frozenset[str] = frozenset()
    track: frozenset[str] = frozenset()
    why: frozenset[str] = frozenset()
    count_starts: frozenset[str] = frozenset()
    count_verbs: frozenset[str] = frozenset()
    meaning: frozenset[str] = frozenset()
    grant_verbs: frozenset[str] = frozenset()
    check: tuple[tuple[str, ...], ...] = ()
    why_starts: tuple[tuple[str, ...], ...] = ()
    works: tuple[tuple[str, ...], ...] = ()
    works_words: frozenset[str] = frozenset()
    counts_as: tuple[tuple[str, ...], ...] = ()
    counts_as_a: tuple[tuple[str, ...], ...] = ()
    how_many: tuple[tuple[str, ...], ...] = ()
    who: tuple[tuple[str, ...], ...] = ()
    soon: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(cls, ent: Mapping[str, Any], intents: Mapping[str, Any]) -> Frames:
        return cls(
            question_starts=_words(ent["question_starts"]),
            effect=_phrases(ent["effect_questions"]),
            store=_phrases(ent["store_requests"]),
            hypothetical_starts=_phrases(ent["hypothetical_starts"]),
            needs={n: _phrases([*spec.get("cues", []), *spec["needs"]]) for n, spec in intents.items()
                   if spec.get("needs")},
            skipped=_words(ent["frame_fillers"]) | {CLAUSE},
            ask=_phrases(ent["ask_phrases"]),
            max_words={n: int(spec["max_words"]) for n, spec in intents.items() if spec.get("max_words")},
            clause_questions=_words(ent["clause_questions"]),
            track=_words(ent["track_words"]),
            why=_words(ent["why_words"]),
            count_starts=_words(ent["count_questions"]["starts"]),
            count_verbs=_words(ent["count_questions"]["verbs"]),
            meaning=_words(ent["meaning_words"]),
            grant_verbs=_words(ent["grant_verbs"]),
            check=_phrases(ent["check_requests"]),
            why_starts=_phrases(ent["why_starts"]),
            works=_phrases(ent["how_it_works"]["starts"]),
            works_words=_words(ent["how_it_works"]["words"]),
            counts_as=_phrases(ent["counts_as"]),
            counts_as_a=_phrases(ent["counts_as_a"]),
            how_many=_phrases(ent["how_many"]),
            who=_phrases(ent["who_words"]),
            soon=_phrases(ent["soon_words"]),
            plan_words=_words(ent["plan_words"]),
            conditional=_words(ent["conditional"]),
            own_words={n: frozenset(w for p in _phrases([*spec.get("cues", []), *spec.get("needs", []),
                                                         *spec.get("examples", []), *spec["only_own_words"]])
                                    for w in p)
                       for n, spec in intents.items() if spec.get("only_own_words")},
        )

    def _expected(self, entities: Mapping[str, Any], stems: Sequence[str]) -> bool:
        """A change the sentence expects rather than supposes: no amount, and next month or soon ("our
        MB-700 certificates expire soon, will that cost points next month?", "… their advanced
        certifications expiring cost us points in the next few months?"): the forecast's question."""
        return not entities.get("numbers") and (entities.get("period") == "next_month"
                                                 or any(contains(stems, p) for p in self.soon))

    def asks(self, text: str, stems: Sequence[str]) -> bool:
        """A question or a request to be shown something: a question mark, a question word or an
        asking verb first ("what …", "hoe …", "zitten we …", "show …"; not "we hebben …"), or an
        asking phrase anywhere ("I want to know …", "ik ben benieuwd …")."""
        first = next((w for w in stems if w not in self.skipped), "")
        return ("?" in text or first in self.question_starts or any(contains(stems, p) for p in self.ask)
                or any(a == CLAUSE and b in self.clause_questions  # "picture us with 19 …, what's the score"
                       for a, b in itertools.pairwise(stems)))

    def counts(self, stems: Sequence[str]) -> bool:
        """A yes/no question whether something counts: "do web direct subscriptions count?", "tellen
        EA-verkopen mee?", "is a trial counted?"."""
        first = next((w for w in stems if w not in self.skipped), "")
        return first in self.count_starts and bool(self.count_verbs & set(stems))

    def _asks_the_effect(self, stems: Sequence[str]) -> bool:
        """A question word stands just before an effect phrase, wherever it is: "+5k consumption a
        month what does it do for us" asks without a comma or a question mark."""
        return any(tuple(stems[i:i + len(p)]) == p and self.clause_questions & set(stems[max(0, i - 3):i])
                   for p in self.effect for i in range(len(stems)))

    def asks_in_a_clause(self, text: str, stems: Sequence[str]) -> bool:
        """:meth:`asks`, or a clause of the sentence starts as a question does ("a consultant passed
        PL-400 yesterday, when will we see the points")."""
        starts = [k + 1 for k, w in enumerate(stems) if w == CLAUSE]
        return self.asks(text, stems) or any(self.asks("", stems[k:]) for k in starts)

    def read(self, text: str, words: Sequence[str], stems: Sequence[str], entities: dict[str, Any]) -> None:
        """Marks in ``entities`` what the frame says: ``hypothetical`` when a stated change is asked
        about ("…, what does that do to the score?", "say consumption ends up at 140,000, …") and
        ``store`` when the sentence asks to store what it states."""
        if any(contains(stems, p) for p in self.store):
            entities["store"] = True
        if set(stems) & self.plan_words:
            entities["plan"] = True  # "the smartest plan to close the gap" asks for a plan
        if self.track & set(stems):
            entities["track"] = "why" if self.why & set(stems) else True
        if self.counts(stems):
            entities["counts"] = True
        if self.grant_verbs & set(stems):
            entities["grant_verb"] = True  # "make Anna a viewer"; "can a viewer see everything?" has none
        said = [w for w in stems if w not in self.skipped]
        if _starts(said, self.why_starts) or (_starts(said, self.works) and self.works_words & set(stems)):
            entities["asks_why"] = True  # "why does one more advanced person give only two points?"
        if (entities.get("certification") and not entities.get("numbers") and self.asks(text, stems)
                and any(_in_order(stems, p) for p in self.counts_as)):
            entities["counts"] = True  # "valt MB-500 onder de tussenliggende certificeringen?"
        if (entities.get("metric") and not entities.get("numbers") and self.asks(text, stems)
                and not {"how", "hoe"} & set(stems) and any(_in_order(stems, p) for p in self.counts_as_a)):
            entities["counts"] = True  # "what counts as a deployment?" ("how are they counted?" explains)
        if not entities.get("changes"):
            return
        effect = any(contains(stems, p) for p in self.effect)
        if self.meaning & set(stems) and not effect:
            entities["meaning"] = True  # "wat betekent die basislijn van 50.000?": no change asked about
        opens = _starts(words, self.hypothetical_starts)
        if opens:
            entities["opens_hypothetically"] = True  # "what if …", "stel dat …"
        asks = self.asks(text, stems)
        if entities.get("store") and not opens:  # "sla 4 op als netto-klant voegt toe": "als" is "as"
            entities.pop("hypothetical", None)
        with_amount = entities.get("with_amount") and not entities.get("store")  # "…, add that" stores
        if effect:
            entities["effect"] = True  # "suppose a dev picks up MB-500 - impact?" asks what it does
        if opens or (asks and with_amount) or (effect and (self.asks_in_a_clause(text, stems)
                                                            or self._asks_the_effect(stems))):
            entities["hypothetical"] = True  # "2 customers churned, what happens to our points"

    def allowed(self, intent: str, stems: Sequence[str], words: Sequence[str]) -> bool:
        """``intent`` may be the answer: it needs nothing, or one of its cues or ``needs`` phrases is
        said (and, for a command such as cancel, the sentence is as short as a command)."""
        if intent in self.max_words and len(words) > self.max_words[intent]:
            return False
        if intent in self.own_words and any(w not in self.own_words[intent] for w in words):
            return False
        return intent not in self.needs or any(contains(stems, p) for p in self.needs[intent])

    def rules(self, ranked: list[tuple[str, float]], entities: Mapping[str, Any], asks: bool,
              confident: float, stems: Sequence[str] = (),
              cued: frozenset[str] = frozenset()) -> list[tuple[str, float]]:
        """What holds whatever the examples say (see the module text): a hypothetical sentence is
        never an update, and when it states a change it is a what-if; a statement of a change, or a
        request to store it, is an update; a co-sell question is never answered with a partner-score
        explanation, gap or eligibility, nor a question without a co-sell word with a co-sell one;
        the score next month is the forecast; a question that names a market and nothing else is
        about the market; a question about a workload asks whether it counts; an update states what
        to update (a change or a market), else the sentence is read as its next best intent."""
        top = ranked[0][0] if ranked else None
        score = max(ranked[0][1], confident) if ranked else confident
        changes = bool(entities.get("changes"))
        why = bool(entities.get("asks_why") and not entities.get("opens_hypothetically")
                   and not {"cosell", "market", "track"} & set(entities))  # not "why are we on the SMB …?"
        if why and top in ("whatif", "update", "score", "gap", "threshold") and "explain" in dict(ranked):
            return _first("explain", score, ranked)  # "how does the metric work if someone holds two certs?"
        if (changes and asks and "freshness" in cued and top in ("update", "whatif", "score")
                and not entities.get("opens_hypothetically") and "freshness" in dict(ranked)
                and not self.conditional & set(stems)):  # "if we picked up 5 deployments, would we …"
            # "a deployment went live last week, when do we get points for it?": when, not what
            return _first("freshness", score, ranked)
        added = any(c.mode == "add" for c in entities.get("changes", []))  # a change, not a value
        if why and top == "explain":
            pass  # "why does one more advanced person give only two points?" asks why, not what if
        elif entities.get("hypothetical") or (added and asks and not entities.get("meaning") and (
                top in (None, "score", "explain")
                or (top == "forecast" and not self._expected(entities, stems))
                or (top == "update" and not entities.get("store")))):  # "4 more advanced people, new total?"
            if top == "update" or (changes and (top not in KEEPS_ITS_INTENT - {"whatif"}
                                                or (top in ASKED_ONLY and entities.get("effect")))):
                # "+3 deployments, score?", "and if two of our consultants get PL-200?"
                return _first("whatif", score, ranked)
        elif changes and entities.get("store") and top not in STATES_A_NEED:
            return _first("update", score, ranked)  # "we hired a PL-600 holder today, count her in"
        elif (changes and (top not in KEEPS_ITS_INTENT - {"whatif", "update"} or top in ASKED_ONLY)
              and not (top in STATES_A_NEED and ranked[0][1] >= confident)
              and not asks):  # a what-if says "what if", "stel" or asks
            return _first("update", score, ranked)  # "Priya is gisteren geslaagd voor MB-800"
        elif entities.get("store") and entities.get("market") and top not in KEEPS_ITS_INTENT - {"market",
                                                                                                  "freshness"}:
            return _first("update", score, ranked)  # "we serve customers in a larger market now, change that"
        elif (entities.get("market") and top == "market" and not asks and not changes
              and len(entities.get("markets", [])) == 1 and "update" in dict(ranked)):
            return _first("update", score, ranked)  # "we're in the other market": a fact to store
        if entities.get("market") and not changes and (
                len(entities.get("markets", [])) > 1
                or (asks and top in (None, "score", "help", "gap", "update", "threshold"))
                or (asks and top == "eligibility" and not {"certification", "workload"} & set(entities))
                or (asks and top == "explain" and not entities.get("metric"))):  # "what does … market mean"
            return _first("market", score, ranked)  # "do we fall under …", "larger or other?": the market
        if top == "grant" and asks and not entities.get("grant_verb"):
            return _first("access", ranked[0][1], ranked)  # "can a viewer see everything?": who may do what
        if entities.get("track") == "why" and top == "explain" and not entities.get("metric"):
            return _first("market", ranked[0][1], ranked)  # "why are we on the SMB track?": the track
        counts_tops = (None, "explain", "score", "gap", "forecast", "help", "update")
        if entities.get("counts") and not entities.get("numbers") and (
                top in counts_tops or (top == "whatif" and not changes)):
            return _first("eligibility", score, ranked)  # "do web direct subscriptions count?"
        if (entities.get("period") == "next_month" and top in NEXT_MONTH_IS_FORECAST
                and (not changes or (top == "whatif" and asks and not entities.get("numbers")))):
            # "our MB-700 certificates expire soon, will that cost points next month?": the forecast
            return _first("forecast", ranked[0][1], ranked)  # "what does the score look like in a month"
        if entities.get("workload") and top == "explain":
            return _first("eligibility", ranked[0][1], ranked)  # "is Dataverse usage counted"
        if top == "cosell" and not (entities.get("cosell") or entities.get("offer")) and len(ranked) > 1:
            # "kun je even kijken hoeveel punten de gebruiksgroei oplevert?" checks no offer
            return self.rules(ranked[1:], entities, asks, confident, stems, cued)
        if (top in ("whatif", "plan") and not changes and asks and entities.get("metric")
                and not entities.get("opens_hypothetically")
                and any(contains(stems, p) for p in self.how_many)):
            # "als we alles in implementaties steken, hoeveel hebben we er dan nodig?": how many; "we're
            # planning the budget: how many more intermediate certifications would we need?" too
            return _first("gap", ranked[0][1], ranked)
        if top == "export" and asks and any(contains(stems, p) for p in self.who):
            return _first("access", ranked[0][1], ranked)  # "which people can modify what you stored?"
        if top == "cosell_explain" and not entities.get("cosell") and len(ranked) > 1:
            # "what's the difference between enterprise and smb?" is no co-sell question
            return self.rules(ranked[1:], entities, asks, confident, stems, cued)
        if top == "language" and not entities.get("language") and entities.get("market") and len(ranked) > 1:
            return self.rules(ranked[1:], entities, asks, confident, stems, cued)  # "switch us to SMB"
        if (top == "cosell" and asks and {"offer_type", "workload", "status", "requirement"} & set(entities)
                and not entities.get("offer") and not any(contains(stems, p) for p in self.check)):
            # "does a Teams app ever qualify for co-sell?" asks the rule; "kun je controleren of …" a check
            return _first("cosell_explain", ranked[0][1], ranked)
        if top == "cosell_explain" and entities.get("offer") and any(contains(stems, p) for p in self.check):
            return _first("cosell", ranked[0][1], ranked)  # "loop de co-sell vereisten door voor Lamna Notes"
        product_counts = top == "eligibility" and entities.get("counts") and not entities.get("cosell_word")
        # "is Dynamics 365 Business Central one of the workloads that count?": a product, not co-sell
        if (entities.get("cosell") and not product_counts
                and top in ("explain", "gap", "eligibility", "score", "threshold", "import_help")) or (
                top == "access" and {"status", "requirement", "offer_type"} & set(entities)):
            return _first("cosell_explain", ranked[0][1], ranked)  # "what's needed to become … co-sell"
        if top == "score" and "gap" in cued and "gap" in dict(ranked):
            return _first("gap", ranked[0][1], ranked)  # "the gap between our score and 70": the gap
        if (top == "gap" and entities.get("plan") and "plan" in dict(ranked)
                and not (entities.get("metric") and any(contains(stems, p) for p in self.how_many))):
            # "the smartest plan to close the gap": a plan; "we're planning the budget: how many more
            # intermediate certifications do we need?" is the gap
            return _first("plan", ranked[0][1], ranked)
        if (top == "market" and len(ranked) > 1 and not entities.get("market")
                and {"status", "requirement", "offer_type"} & set(entities)):
            return self.rules(ranked[1:], entities, asks, confident, stems, cued)  # "welke … zijn co-sell?"
        if top == "update" and len(ranked) > 1 and not (changes or entities.get("market")):
            # "wat is nu onze partnerscore": nothing to update, so a question
            return self.rules(ranked[1:], entities, asks, confident, stems, cued)
        opens = _starts([w for w in stems if w not in self.skipped], self.hypothetical_starts)
        if top == "whatif" and len(ranked) > 1 and not (changes or entities.get("market") or opens):
            # "what consumption increase gets usage growth to full marks?": no change to try, so a question
            return self.rules(ranked[1:], entities, asks, confident, stems, cued)
        return ranked


def _starts(words: Sequence[str], phrases: Sequence[tuple[str, ...]]) -> bool:
    """``words`` start with one of ``phrases``."""
    return any(tuple(words[:len(p)]) == p for p in phrases)


def _in_order(stems: Sequence[str], phrase: Sequence[str]) -> bool:
    """The words of ``phrase`` occur in ``stems`` in that order, maybe with others between ("valt MB-500
    onder")."""
    rest = iter(stems)
    return bool(phrase) and all(word in rest for word in phrase)


def _first(intent: str, score: float, ranked: list[tuple[str, float]]) -> list[tuple[str, float]]:
    return [(intent, score)] + [(n, s) for n, s in ranked if n != intent]
