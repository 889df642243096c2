"""An English/Dutch intent recognizer that needs no network: data in ``config/recognizer/``.

How a sentence is read:

1. **Normalise**: Teams ``<at>`` mentions and HTML are removed, text is lower-cased and accents are
   folded; Dutch ``één`` becomes ``1`` (``een`` is also the article "a" and stays a word).
2. **Tokens**: numbers (``1.500``, ``12,5``, ``10%``, number words), certification codes
   (``MB-210``) and words. A word unknown to the vocabulary is corrected to the nearest known word
   when it is one edit away (two for long words; swapped letters count as one edit), then reduced
   to a crude stem (plural endings) so that "certs", "certificeringen" and "implementaties" match.
3. **Entities**: the longest phrase of ``entities.yaml`` wins at each position (metric, workload,
   offer type, co-sell status and requirement, market, language, attribution); capitalised names
   not in the vocabulary are offer names ("Contoso Insights"). Numbers are paired with the metric
   of their clause ("5 intermediate certified people and 2 deployments") into changes, relative
   ("2 more") or absolute ("to 12").
4. **Intent**: entities become placeholders (``{metric}``, ``{number}``...) so one example covers
   every metric; the sentence is compared with every example of ``intents.yaml`` by TF-IDF cosine
   over words and word pairs; an intent's score is its best example's similarity plus a bonus
   when one of its cue phrases occurs. The best two intents and their scores are reported, and
   the caller decides with :attr:`Recognition.confident` whether to answer or to ask. Two rules
   then hold whatever the examples say: a hypothetical sentence ("what if", "stel dat") is never
   an ``update`` (it must not offer to save), and a sentence about co-sell is never answered by a
   partner-score ``explain``.

**Changes** are scoring's own :class:`scoring.api.Change`: ``mode`` ``add`` ("2 more", "up by 2000",
"lose 2", "10 % more") or ``set`` ("to 95,000", "we now have 12"), ``unit`` ``percent`` when typed
as a percentage. People counted by an exam ("2 people pass PL-600") are added. What the change means
for the partner's numbers is :func:`scoring.api.apply_changes`' business, not the recognizer's.

**Vocabulary from the rule edition.** Exam codes and certification names map to a level through the
edition's own certification list (``config/pcs/certifications``), and workload names come from the
edition's workload lists; ``entities.yaml`` adds only synonyms of those ids ("pbi", "bc").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from dialogs.understanding import words as answer_words
from dialogs.understanding.changes import ChangeReader
from dialogs.understanding.edition_words import certification_names, workload_names
from dialogs.understanding.frames import Frames
from dialogs.understanding.labelled import learned
from dialogs.understanding.recognition import Recognition, json_number
from dialogs.understanding.similarity import ExampleIndex, NaiveBayes
from dialogs.understanding.spans import SpanRules
from dialogs.understanding.text import (
    OF,
    TOKEN,
    Token,
    contains,
    edit_distance,
    fold,
    phrase_words,
    stem,
    words_of,
)
from dialogs.understanding.tokens import CLAUSE, Tokenizer, number_words_of, vocabulary
from kernel import clock
from scoring import api

__all__ = ["RECOGNITION_CACHE_SIZE", "Recognition", "Recognizer", "edit_distance", "fold", "stem"]

ENTITY_KINDS = ("status", "requirement", "offer_type", "certification", "workload", "metric", "market",
                "language", "attribution", "family", "period")
"""Phrase-vocabulary entity kinds, in the order that breaks ties between equally long matches."""

# ---------------------------------------------------------------- the recognizer


class Recognizer:
    """Built once per rule edition from ``config/recognizer`` and the edition's certification and
    workload lists; :meth:`recognize` is pure and cheap."""

    def __init__(self, intents_doc: Mapping[str, Any], entities_doc: Mapping[str, Any],
                 edition: api.Edition, sentences_doc: Mapping[str, Any] | None = None) -> None:
        settings = dict(intents_doc.get("settings") or {})
        self.thresholds = {k: float(settings[k]) for k in ("confident", "interrupt", "min_score",
                                                            "confident_floor", "confident_margin")}
        self.cue_weight = float(settings.get("cue_weight", 0.3))
        self.bayes_weight = float(settings.get("bayes_weight", 0.0))
        self.bayes_temperature = float(settings.get("bayes_temperature", 1.0))
        self.edition = edition
        ent = dict(entities_doc)
        ent["workload"] = workload_names(edition, ent.get("workload_aliases") or {})
        ent["certification"] = certification_names(edition)
        self.stop_words = {stem(w) for w in words_of(ent["stop_words"])} | {CLAUSE}
        self.number_words = number_words_of(ent)
        self.months = {fold(str(k)): int(v) for k, v in ent["months"].items()}
        self.months_alone = {fold(str(w)) for w in ent["months_alone"]}
        self.year_before = {stem(w) for w in words_of(ent["year_before"])}
        self.period_units = {stem(w) for w in words_of(ent["period_units"])}
        self.period_ago = {stem(w) for w in words_of(ent["period_ago"])}
        self.durations = {stem(w) for w in words_of(ent["durations"])}
        self.level_nouns = {stem(w) for w in words_of(ent["level_nouns"])}
        self.points_words = {stem(w) for w in words_of(ent["points_words"])}
        self.points_before = {stem(w) for w in words_of(ent["points_before"])}
        self.market_context = {stem(w) for w in words_of(ent["market_context"])}
        self.usage_verbs = {stem(w) for w in words_of(ent["usage_verbs"])}

        self.tokenizer = Tokenizer.of(ent, vocabulary(ent, intents_doc, ENTITY_KINDS, self.number_words),
                                      self.number_words)
        self.vocab = self.tokenizer.vocab

        # phrase vocabularies, as tuples of stems
        self.phrases: dict[tuple[str, ...], tuple[int, str, str]] = {}
        for rank, kind in enumerate(ENTITY_KINDS):
            for ident, names in ent[kind].items():
                for name in names:
                    phrase = tuple(stem(w) for w in phrase_words(str(name)))
                    if phrase and phrase not in self.phrases:
                        self.phrases[phrase] = (rank, kind, str(ident))
        self.max_phrase = max(len(k) for k in self.phrases)
        self.change_reader = ChangeReader.of(ent)
        self.workload_counts = {tuple(stem(w) for w in TOKEN.findall(fold(str(p))))
                                for p in ent.get("workload_counts", [])}
        self.hypothetical = [self._phrase(p) for p in ent["hypothetical"]]
        self.conditional = {stem(w) for w in words_of(ent["conditional"])}
        self.cosell_words = [self._phrase(p) for p in ent["cosell_words"]]
        self.why_words = {w for p in ent["why_words"] for w in self._phrase(p)}
        self.why_starts = [p for p in (self._phrase(p) for p in ent["why_starts"]) if p]
        self.reference_words = {w for p in ent["reference_words"] for w in self._phrase(p)}
        self.instead_words = {w for p in ent["instead_words"] for w in self._phrase(p)}
        self.same_change_words = {w for p in ent["same_change_words"] for w in self._phrase(p)}
        self.spans = SpanRules.of(ent)
        self.all_metrics = {w for p in ent["all_metrics"] for w in self._phrase(p)} - self.stop_words
        self.follow_up_fillers = {stem(w) for w in words_of(ent["follow_up_fillers"])} | {CLAUSE}
        # as a read sequence has them: without stop words ("hoe zit het met" → "hoe zit")
        follow = [tuple(w for w in self._phrase(p) if w not in self.stop_words) for p in ent["follow_up"]]
        follow = [p for p in follow if p]
        self.follow_up_starters = {p[0] for p in follow if len(p) == 1}
        self.follow_up_phrases = [p for p in follow if len(p) > 1]
        self.follow_up_enders = [p for p in (tuple(w for w in self._phrase(p) if w not in self.stop_words)
                                             for p in ent["follow_up_enders"]) if p]
        self.look_words = {stem(w) for w in words_of(ent["look_words"])}
        self.amount_verbs = [p for p in (self._phrase(p) for p in ent["amount_verbs"]) if p]
        self.clause_questions = {stem(w) for w in words_of(ent["clause_questions"])}

        # intents: examples as feature vectors, cues as stem tuples
        self.intents: list[str] = list(intents_doc["intents"])
        examples = [(str(name), self._read(str(sentence), changes=False)[1])
                    for name, spec in intents_doc["intents"].items() for sentence in spec.get("examples", [])]
        written = (sentences_doc or {}).get("read_on")
        then = written.month % 12 + 1 if isinstance(written, date) else None  # next month when written
        taught = [(name, sequence) for name, text in learned(sentences_doc or {}, self.intents)
                  if (sequence := self._timeless_sequence(text, then)) is not None]
        self.index = ExampleIndex([*examples, *taught])
        self.bayes = NaiveBayes([*examples, *taught])
        self.cues = {name: [tuple(self.tokenizer.correct_and_stem(w) for w in phrase_words(str(c)))
                            for c in spec.get("cues", [])]  # as read: "a viewer" is read "viewer"
                     for name, spec in intents_doc["intents"].items()}
        self.frames = Frames.of(ent, intents_doc["intents"])
        self._read_once = functools.lru_cache(maxsize=RECOGNITION_CACHE_SIZE)(self._read)
        self.greetings = {w for p in ent["greetings"] for w in self._phrase(p)}
        self.known = {stem(w) for w in self.vocab if not w.isdigit()} - {
            w for p in ent["function_words"] for w in self._phrase(p)} - self.greetings
        """Content stems the configuration knows: a sentence with none of them (and no entity) is not
        about the bot's subject at all."""
        self.thanks = {stem(w) for w in words_of(ent["thanks_words"])}
        asking = set(words_of(ent["question_words"]))
        plain = [w for w in words_of(ent["function_words"]) if w not in asking]  # "that was", not "when"
        self.courtesy = {token for w in words_of([*ent["thanks_words"], *ent["courtesy_words"], *plain])
                         for token in self._read(w, ())[1]}  # as they appear in a read sequence

    # -- reading

    def _timeless_sequence(self, text: str, next_month: int | None) -> list[str] | None:
        """The placeholder sequence of a labelled ``text``, or ``None`` when its reading depends on the
        day: it names ``next_month`` (the month after the day it was labelled on) by its name alone,
        as "in januari" did on 2 December."""
        sequence = self._read(text, changes=False)[1]
        if self.months_alone & set(TOKEN.findall(fold(text))) and (
                sequence != self._read(text, (), next_month, False)[1]):
            return None
        return sequence

    def _phrase(self, text: Any) -> tuple[str, ...]:
        """A configured phrase as the stems a read sentence has (before typo correction existed)."""
        return tuple(stem(w) for w in phrase_words(str(text)))

    def asks(self, text: str) -> bool:
        """``text`` asks something: a question mark, or a question word or an asking verb first
        ("what …", "hoe …", "show …"), not a statement or a lone word."""
        return self.frames.asks(text, self.read(text)[2])

    def read(
        self, text: str, known_offers: Sequence[str] = ()
    ) -> tuple[dict[str, Any], list[str], list[str]]:
        """Entities, the placeholder sequence and the stems of ``text`` (for follow-ups). The last
        :data:`RECOGNITION_CACHE_SIZE` texts are read once, as :func:`recognize` keeps its results:
        the follow-up reader reads every message again. What it gives is shared: read it, never
        change it."""
        return self._read_once(text, tuple(known_offers), _next_month())

    def _read(
        self, text: str, known_offers: Sequence[str] = (), next_month: int | None = None,
        changes: bool = True,
    ) -> tuple[dict[str, Any], list[str], list[str]]:
        """Entities, the placeholder sequence for intents, and the plain stem sequence for cues. The
        name of ``next_month`` (its number) said on its own is the period "next month". Without
        ``changes`` the changes are not read (an example needs only its sequence)."""
        raw = _PLACEHOLDER.sub(lambda m: f" zzz{m.group(1)} ", text)
        tokens = self.tokenizer.tokens(raw)
        stems = [t.text for t in tokens]
        entities: dict[str, Any] = {}
        sequence: list[str] = []
        spans: list[tuple[int, int, str, str]] = []  # start, end, kind, id

        # known offer names, then capitalised unknown names
        offer_span = self.spans.offer_span(tokens, known_offers, self.vocab, self.phrases)
        if offer_span:
            start, end, name = offer_span
            entities["offer"] = name
            spans.append((start, end, "offer", name))

        i = 0
        covered = {k for s, e, _, _ in spans for k in range(s, e)}
        has_market_word = any(t.text in self.market_context for t in tokens)
        says_cosell = any(contains(stems, p) for p in self.cosell_words)  # "co-sell", "marketplace", "offer"
        cosell_context = bool(offer_span) or says_cosell or any(
            t.kind == "word" and (t.text,) in self.phrases and self.phrases[(t.text,)][1] in _COSELL_KINDS
            for t in tokens)
        while i < len(tokens):
            if i in covered:
                i += 1
                continue
            token = tokens[i]
            if token.text.startswith("zzz"):
                spans.append((i, i + 1, token.text[3:], ""))
                i += 1
                continue
            if token.kind == "cert":
                spans.append((i, i + 1, "certification", token.text))
                i += 1
                continue
            match = None
            for length in range(min(self.max_phrase, len(tokens) - i), 0, -1):
                window = tokens[i:i + length]
                key = tuple(t.text for t in window)
                if key not in self.phrases:
                    continue
                if any(t.kind == "cert" for t in window) or any(i + k in covered for k in range(length)):
                    continue
                _, kind, ident = self.phrases[key]
                if kind == "market" and length == 1 and not has_market_word:
                    continue
                if kind == "requirement" and length == 1 and not cosell_context:
                    continue  # "a deployment went live": a deployment, not the co-sell requirement
                if kind == "workload" and self.spans.people_after(tokens, i + length):
                    continue  # "our finance team": people, not a workload
                match = (i, i + length, kind, ident)
                break
            if match:
                spans.append(match)
                i = match[1]
            else:
                i += 1
        spans = self.spans.without_possessors(tokens, sorted(spans))

        span_at = {s: (e, kind, ident) for s, e, kind, ident in spans}
        for end in {e for _, e, kind, _ in spans if kind in ("metric", "certification")}:
            one = tokens[end] if end < len(tokens) else None
            if one and one.kind == "number" and fold(one.original) in _PRONOUN_ONE:
                tokens[end] = Token("word", "one", one.original)  # "and 1 advanced one"
        metrics: list[str] = []
        numbers: list[Decimal] = []
        i = 0
        metric_positions: list[tuple[int, str]] = []
        stated: dict[int, str] = {}  # position of a metric phrase → the input it names
        by_exam: set[int] = set()  # positions of a metric named by an exam or certification
        number_positions: list[tuple[int, Token]] = []
        while i < len(tokens):
            if i in span_at:
                end, kind, ident = span_at[i]
                sequence.append("{" + kind + "}")
                if kind == "certification":
                    entities.setdefault("certification", ident.upper())
                    level = self.edition.certification_level(ident)
                    if level in api.LEVELS:
                        metric = f"{level}_certifications"
                        metrics.append(metric)
                        metric_positions.append((i, metric))
                        by_exam.add(i)
                elif kind == "metric":
                    metrics.append(ident)
                    metric_positions.append((i, ident))
                    if ident == "usage_growth" and end == i + 1 and tokens[i].text in self.usage_verbs:
                        entities["usage_verb"] = True  # "waar kan ik je voor gebruiken?": maybe a verb
                    if ident == "net_customer_adds":
                        words = tuple(t.text for t in tokens[i:end])
                        # "our Power BI customers" may name only who; "nieuwe klanten" names the metric
                        bare = words in self.spans.customer_words
                        entities["customer_word" if bare else "adds_named"] = True
                        stated[i] = "qualifying_workloads" if words in self.workload_counts else ident
                        if words in self.workload_counts:
                            entities["workload_word"] = True  # "is AI Builder a qualifying workload?"
                elif kind != "offer" and ident:
                    entities.setdefault(kind, ident)
                    plural = _PLURAL.get(kind, kind + "s")
                    entities.setdefault(plural, [])
                    if ident not in entities[plural]:
                        entities[plural].append(ident)
                i = end
                continue
            token = tokens[i]
            if token.kind == "number":
                after = tokens[i + 1].text if i + 1 < len(tokens) else ""
                after2 = tokens[i + 2].text if i + 2 < len(tokens) else ""
                month_word = after if after in self.months else tokens[i - 1].text if i > 0 else ""
                value = token.number or Decimal(0)
                if i > 0 and tokens[i - 1].text in self.months and 1900 <= value <= 2100:
                    entities.setdefault("year", json_number(value))  # "3 march 2026", "maart 2026"
                    entities.setdefault("month", self.months[tokens[i - 1].text])
                elif 2000 <= value <= 2099 and token.original.isdigit() and i > 0 and (
                        tokens[i - 1].text in self.year_before
                        or (tokens[i - 1].text in OF and i > 1 and tokens[i - 2].text in self.year_before)):
                    entities.setdefault("year", json_number(value))  # "the rules of 2023": a year
                    sequence.append("{number}")
                elif (month_word in self.months and value <= 31 and token.original[:1].isdigit()
                      and (after in self.months  # "5 januari"; "in januari 5 nieuwe klanten" is an amount
                           or not any(span_at.get(k, (0, "", ""))[1] == "metric" for k in (i + 1, i + 2)))):
                    # "on 10 march"; "in november twee klanten", "voor januari 2 nieuwe klanten" are amounts
                    entities.setdefault("day", json_number(value))
                    entities.setdefault("month", self.months[month_word])
                    sequence.append("{number}")
                elif after in self.period_units and after2 in self.period_ago:
                    entities["past"] = True
                    sequence.append("{number}")
                elif self._names_a_level(tokens, i):
                    sequence.append("{number}")  # "the 50,000 baseline", "de drempel van 10.000": a level
                elif (after in self.durations and not tokens[i + 1].article
                      and stem(tokens[i + 1].original.lower()) == after  # not "210k maandverbruik"
                      and not re.search(re.escape(token.original) + r"\s*/", raw)):
                    # "binnen twee weken", "de periode van 12 maanden": a duration ("60,000 a year",
                    # "8,000/month" are rates)
                    sequence.append("{number}")
                elif after in self.points_words or self._points_of_metric(tokens, i, span_at) or (
                        0 < value <= 100 and not token.percent and i + 1 not in span_at
                        and (any(t.text in self.points_before for t in tokens[max(0, i - 2):i])
                             or self.change_reader.score_target(tokens, i, span_at))):
                    numbers.append(value)
                    sequence.append("{number}")
                else:
                    assert token.number is not None
                    numbers.append(token.number)
                    number_positions.append((i, token))
                    sequence.append("{number}")
            elif (token.text in self.months_alone and self.months[token.text] == next_month
                  and not any(t.kind == "number" for t in tokens[max(0, i - 1):i + 2])):
                sequence.append("{period}")  # on 2 December, "in januari" is next month
                entities.setdefault("period", "next_month")
                entities.setdefault("periods", []).append("next_month")
            elif token.text not in self.stop_words:
                sequence.append(token.text)
                if token.text in self.months_alone:
                    entities.setdefault("month", self.months[token.text])  # "the october data"
            i += 1

        if len(metric_positions) > 1:
            entities.pop("workload_word", None)  # "… a qualifying workload for customer adds": the metric
        defined = [m for p, m in metric_positions if self.spans.defined(stems, p)]
        if defined and not by_exam:  # "what makes a customer workload count as a deployment": the deployment
            metrics = [defined[0], *[m for m in metrics if m != defined[0]]]
        if metrics:
            entities["metric"] = metrics[0]
            entities["metrics"] = list(dict.fromkeys(metrics))
        if numbers:
            entities["numbers"] = numbers
        if self.change_reader.past(stems):
            entities["past"] = True
        if any(contains(stems, p) for p in self.hypothetical):
            entities["hypothetical"] = True
        named_cosell = {"status", "requirement", "offer_type"} & set(entities)
        if named_cosell or says_cosell:
            entities["cosell"] = True
        if says_cosell:
            entities["cosell_word"] = True  # "co-sell", "marketplace", "offer": not only a product's name
        if not changes:
            return entities, sequence, stems
        stated_changes = self.change_reader.changes(tokens, metric_positions, number_positions, spans,
                                                    stated, by_exam, "?" in text)
        if stated_changes:
            entities["changes"] = stated_changes
            if self.change_reader.with_amount(tokens):
                entities["with_amount"] = True  # a question with it is a what-if (frames.py)
            if self.conditional & set(stems) or self.change_reader.with_more(tokens):  # "… if 5 pass PL-400"
                entities["hypothetical"] = True
            implausible = [c for c in stated_changes if abs(c.amount) > self.change_reader.limit(c)]
            if implausible:
                entities["implausible"] = implausible
        return entities, sequence, stems

    def _names_a_level(self, tokens: list[Token], i: int) -> bool:
        """The number at ``i`` is a level's ("the 50,000 baseline", "de drempel van 10.000", "under the
        10,000 threshold"), not an amount of anything."""
        after = tokens[i + 1].text if i + 1 < len(tokens) else ""
        before = [t.text for t in tokens[max(0, i - 2):i]]
        return after in self.level_nouns or (bool(before) and before[-1] in self.level_nouns) or (
            len(before) == 2 and before[1] in OF and before[0] in self.level_nouns)

    def _points_of_metric(self, tokens: list[Token], i: int,
                          span_at: Mapping[int, tuple[int, str, str]]) -> bool:
        """The number at ``i`` is followed by a metric and a points word: "all 30 usage growth points"."""
        end = span_at[i + 1][0] if i + 1 in span_at and span_at[i + 1][1] == "metric" else None
        return end is not None and end < len(tokens) and tokens[end].text in self.points_words

    @staticmethod
    def yes_no(text: str) -> bool | None:
        """``True`` for a short yes ("ja", "save"), ``False`` for a short no ("nee", "discard"), else
        ``None`` (``yes``/``save`` and ``no``/``discard`` of ``words.yaml``)."""
        if answer_words.which(text, ("yes", "save")):
            return True
        return False if answer_words.which(text, ("no", "discard")) else None

    # -- the public call

    def recognize(self, text: str, locale: str | None = None, *,
                  known_offers: Sequence[str] = ()) -> Recognition:
        """What ``text`` asks. ``locale`` is accepted for symmetry; both languages are always read."""
        del locale
        entities, sequence, stems = self._read(text, known_offers, _next_month())
        if all(word in self.courtesy for word in sequence) and any(
            stem(word) in self.thanks for word in TOKEN.findall(fold(text))
        ):
            return Recognition("thanks", 1.0, (), entities, self.thresholds)
        if not sequence:
            return Recognition(None, 0.0, (), entities, self.thresholds)
        if any(word not in self.greetings for word in sequence):  # "hoi, wat is onze score": the question
            sequence = [word for word in sequence if word not in self.greetings]
        greeting = all(word in self.greetings for word in sequence)
        best = self.index.nearest(sequence)
        if greeting:  # "goedemiddag!", "hey there": every greeting of entities.yaml is answered with help
            best["help"] = max(best.get("help", 0.0), self.thresholds["confident"])
        cued = False  # a cue with a word of the subject ("how is" has none)
        cued_intents: set[str] = set()
        said_by = {name: [cue for cue in cues if cue and contains(stems, cue)]
                   for name, cues in self.cues.items()}
        longer = {cue for said in said_by.values() for cue in said}
        for name, said in said_by.items():  # the longest cue wins: "qualifying score" is no "score"
            said = [cue for cue in said if not any(len(o) > len(cue) and contains(o, cue) for o in longer)]
            if said:
                cued_intents.add(name)
                best[name] = best.get(name, 0.0) + self.cue_weight
                cued = cued or name == "help" or any(w in self.known for cue in said for w in cue)
        subject = (any(w in self.known or (w[0] == "{" and w != "{offer}") for w in sequence)
                   or self.frames.counts(stems))  # "are partner-of-record deals counted?"
        if not (cued or greeting or subject):
            return Recognition(None, 0.0, (), entities, self.thresholds)  # "what's the weather in Amsterdam"
        # the order: each intent's score plus what all examples together say of it (naive Bayes); the
        # score stays the nearest example's and the cues', so the thresholds keep their meaning
        chances = self.bayes.posterior(sequence, self.bayes_temperature)
        ranked = sorted(best.items(), key=lambda kv: (-(kv[1] + self.bayes_weight * chances.get(kv[0], 0.0)),
                                                      self.intents.index(kv[0])))
        ranked = [(n, min(s, 1.0)) for n, s in ranked
                  if s > 0 and self.frames.allowed(n, stems, sequence)]
        near = ranked if ranked and ranked[0][1] >= self.thresholds["min_score"] else []
        self.frames.read(text, sequence, stems, entities)  # a stated change can still decide it
        decided = self.frames.rules(near, entities, self.frames.asks(text, stems),
                                    self.thresholds["confident"], stems, frozenset(cued_intents))
        if not decided or decided[0][1] < self.thresholds["min_score"]:
            return Recognition(None, ranked[0][1] if ranked else 0.0, tuple(ranked[:2]), entities,
                               self.thresholds)
        ranked = decided
        if ranked[0][0] == "whatif" and entities.get("changes"):
            entities["hypothetical"] = True
        if ranked[0][0] in ("whatif", "update") and entities.get("changes"):
            first = entities["changes"][0].metric  # "if our customers' consumption climbed 7,250": usage
            entities["metric"] = first
            entities["metrics"] = [first, *(m for m in entities.get("metrics", []) if m != first)]
        if _names_no_metric(ranked[0][0], entities):
            entities.pop("metric", None)
            entities.pop("metrics", None)
        (intent, score), rest = ranked[0], ranked[1:3]
        if intent == "help":  # "hi, I'm new here. what's our score?": the question asked, not the intro
            question = _SENTENCES.findall(text)
            asked = [s for s in question if s.rstrip().endswith("?")]
            if len(question) > 1 and asked and asked[-1].strip() != text.strip():
                alone = self.recognize(asked[-1], known_offers=known_offers)
                if alone.intent not in (None, "help") and alone.confident:
                    return alone
        return Recognition(intent, score, tuple(rest), entities, self.thresholds)


def _names_no_metric(intent: str, entities: Mapping[str, Any]) -> bool:
    """The answer to ``intent`` is about no single metric, whatever metric words the sentence has."""
    metrics = entities.get("metrics", [])
    return (intent in WITHOUT_METRIC  # "the cheapest mix of certs and deployments": a plan is over all
            # "we serve customers in a larger market now": the market
            or (intent == "update" and bool(entities.get("market")) and not entities.get("changes"))
            # "waar kan ik jou allemaal voor gebruiken?": using the bot
            or (intent == "help" and bool(entities.get("usage_verb")) and metrics == ["usage_growth"])
            # "which customers and deployments drop out next month?": all of them
            or (intent == "forecast" and len(metrics) > 1)
            or (intent == "eligibility" and bool(entities.get("workload")) and (
                # "is AI Builder a qualifying workload?" asks about the workload, not net customer adds
                bool(entities.get("workload_word"))
                # "do our Power BI customers count for anything?": the workload, unless the metric is named
                or (bool(entities.get("customer_word")) and not entities.get("adds_named")
                    and metrics == ["net_customer_adds"]))))


_SENTENCES = re.compile(r"[^.!?]+[.!?]*")
"""The sentences of a message: "hi, I'm new here." and "what's our score?"."""

_PLACEHOLDER = re.compile(r"\{(metric|number|workload|offer_type|offer|market|language|status|requirement|"
                          r"attribution|certification|family|period)\}")


def _next_month() -> int:
    """The number of the month after today's (1–12)."""
    return clock.today().month % 12 + 1


WITHOUT_METRIC = frozenset({"plan", "import_help", "export", "access", "grant", "language", "enter_data",
                            "market", "notify_on", "notify_off", "undo", "cancel", "cosell",
                            "cosell_explain"})
"""Intents whose answer is about no single metric: a metric the sentence names is dropped (not for help:
a sentence that names a metric and reads as help is a follow-up, "could you do that for usage growth too")."""

_COSELL_KINDS = frozenset({"status", "offer_type"})
"""Entity kinds that show a sentence is about co-sell, so that a one-word requirement ("live") is one."""

_PRONOUN_ONE = frozenset({"one", "ones"})
"""After a metric word, "one" is the thing itself, not a number ("and 1 advanced one")."""

_PLURAL = {"status": "statuses", "family": "families"}


RECOGNITION_CACHE_SIZE = 4096
"""How many texts :func:`dialogs.understanding.configured.recognize` and :meth:`Recognizer.read` keep."""
