"""Reading changes from a sentence: each number is paired with the metric of its clause ("5
intermediate certified people and 2 deployments") and read as relative ("2 more", "up by 2000", "lose
2") or absolute ("to 95,000", "we now have 12") by the clause's own words, else its neighbours'.
People counted by an exam ("2 people pass PL-600") are added. The words are ``entities.yaml``'s."""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dialogs.understanding.counting import _FACTOR, _NONE, Counting
from dialogs.understanding.text import OF, Token, contains, phrase_words, stem, words_of
from dialogs.understanding.tokens import CLAUSE, SENTENCE_ENDS
from scoring.api import Change


@dataclass(frozen=True)
class ChangeReader(Counting):
    """The words that say how a number changes a metric, and the plausible size of each amount."""

    clause_words: frozenset[str]
    relative: frozenset[str]
    absolute: frozenset[str]
    absolute_strong: frozenset[str]
    absolute_before_number: frozenset[str]
    decrease: frozenset[str]
    past_phrases: tuple[tuple[str, ...], ...]
    plausible: Mapping[str, Decimal]
    absolute_phrases: tuple[tuple[str, ...], ...] = ()
    absolute_after_metric: frozenset[str] = frozenset()
    not_markers: tuple[tuple[str, ...], ...] = ()
    counted: frozenset[str] = frozenset()
    growth: frozenset[str] = frozenset()
    from_words: frozenset[str] = frozenset()
    none_phrases: tuple[tuple[str, ...], ...] = ()
    points_verbs: frozenset[str] = frozenset()
    with_words: frozenset[str] = frozenset()
    more_words: frozenset[str] = frozenset()
    new_words: frozenset[str] = frozenset()
    """ "new" in a metric's name ("3 new customers"): new ones are added when nothing else says how."""
    reach: frozenset[str] = frozenset()
    """Verbs of reaching: a growth percent reached is a total ("35 % gebruiksgroei halen")."""
    obtain: frozenset[str] = frozenset()
    """Verbs of getting: a certification got is one more ("a colleague gets PL-200")."""
    relative_phrases: tuple[tuple[str, ...], ...] = ()
    decrease_phrases: tuple[tuple[str, ...], ...] = ()
    """Entries of several words in ``relative`` / ``decrease`` ("live zetten", "uit dienst"): the
    phrase is the marker, and its words say nothing on their own ("zetten" of "live zetten" is no
    "set")."""
    comparatives: frozenset[str] = frozenset()
    level_words: frozenset[str] = frozenset()
    one_person: frozenset[str] = frozenset()
    not_one: frozenset[str] = frozenset()
    function_words: frozenset[str] = frozenset()
    two_words: frozenset[str] = frozenset()
    group_words: frozenset[str] = frozenset()
    """Words before a number that refer back to a group already counted ("assuming all three pass")."""
    correction_words: tuple[tuple[str, ...], ...] = ()
    """Words before a number that is corrected away ("2 deployments, not 4", "2 implementaties, geen 4")."""
    determiners: frozenset[str] = frozenset()
    """Words between "one of" and the size of the group ("one of our two architects")."""
    size_verbs: frozenset[str] = frozenset()
    size_phrases: tuple[tuple[str, ...], ...] = ()
    """Verbs of a thing's size ("a big customer scaling down"): the thing is described, not counted."""
    demonstratives: frozenset[str] = frozenset()
    """ "that customer", "die klant", "the Fabrikam deployment": one thing, with a verb of coming or going."""
    pronouns: frozenset[str] = frozenset()
    """ "if we hired her", "if they leave": a later clause's verb changes what an earlier sentence names."""
    name_links: frozenset[str] = frozenset()
    factor_verbs: Mapping[str, Decimal] = dataclasses.field(default_factory=dict)
    factor_phrases: Mapping[tuple[str, ...], Decimal] = dataclasses.field(default_factory=dict)
    question_words: frozenset[str] = frozenset()
    """Words that open a clause which asks ("…, hoeveel punten schieten we daarmee op?"): such a clause,
    without a number or a condition of its own, lends no word of change to its neighbours ("op" there
    is no "set"; "…, wat als ze slaagt?" still lends "slaagt")."""
    conditional: frozenset[str] = frozenset()
    question_tails: frozenset[str] = frozenset()
    """Words a yes/no question may end with after its score ("do we clear 70 or not", "… 70 of niet")."""
    own_possessives: frozenset[str] = frozenset()
    only: frozenset[str] = frozenset()
    """ "only" / "maar" right before a number with a verb of reaching: that many in all ("als we dit jaar
    maar 4 netto-klant voegt toe halen")."""
    """ "their", "zijn": a certification metric after one is what each person gets ("two of our people
    got their associate certificate" is two more, not a total of two)."""
    one_more: tuple[tuple[str, ...], ...] = ()
    """The words that stand for "one more" ("another"): one more of a thing the bot does not count
    ("move to another provider") is no amount."""
    """Verbs of a share of today's value, as a percentage ("if consumption halves": -50 %)."""
    """The words that join a list of names ("Priya, Tom and Ahmed")."""

    @classmethod
    def of(cls, ent: Mapping[str, Any]) -> ChangeReader:
        """The reader of ``entities.yaml``'s word lists."""
        def stems(key: str) -> frozenset[str]:
            return frozenset(stem(w) for w in words_of(ent[key]))

        def single(key: str) -> frozenset[str]:
            """The one-word entries of a list (its phrases are read by :func:`multi`)."""
            one_word = [x for x in ent[key] if len(phrase_words(str(x))) == 1]
            return frozenset(stem(w) for w in words_of(one_word))

        def multi(key: str) -> tuple[tuple[str, ...], ...]:
            listed = (tuple(stem(w) for w in phrase_words(str(x))) for x in ent[key])
            return tuple(p for p in listed if len(p) > 1)

        def phrases(key: str) -> tuple[tuple[str, ...], ...]:
            return tuple(tuple(stem(w) for w in phrase_words(p)) for p in ent[key])

        return cls(
            clause_words=frozenset([*words_of(ent["clause_words"]), CLAUSE]),
            relative=single("relative"),
            relative_phrases=multi("relative"),
            new_words=stems("new_words"),
            reach=stems("reach_words"),
            obtain=stems("obtain_words"),
            absolute=stems("absolute"),
            absolute_strong=stems("absolute_strong"),
            absolute_before_number=stems("absolute_before_number"),
            decrease=single("decrease"),
            decrease_phrases=multi("decrease"),
            past_phrases=tuple(tuple(stem(w) for w in phrase_words(p)) for p in ent["past_words"]),
            plausible={str(k): Decimal(str(v)) for k, v in ent["plausible"].items()},
            absolute_phrases=phrases("absolute_phrases"),
            absolute_after_metric=stems("absolute_after_metric"),
            not_markers=phrases("not_markers") + tuple(  # "where does that leave us", "halen we dan"; not
                p for p in phrases("effect_questions") if len(p) > 2),  # "if 4 customers leave us"
            counted=stems("counted_people"),
            growth=stems("growth_words"),
            from_words=stems("from_words"),
            none_phrases=phrases("none_words"),
            points_verbs=stems("points_verbs"),
            with_words=frozenset(stem(w) for w in words_of(ent["with_more"]["with"])),
            more_words=frozenset(stem(w) for w in words_of(ent["with_more"]["more"])),
            comparatives=stems("comparatives"),
            level_words=stems("level_words"),
            one_person=frozenset(words_of(ent["one_person"])),
            not_one=stems("not_one"),
            function_words=stems("function_words") - stems("articles"),
            two_words=frozenset(words_of(ent["two_words"])),
            group_words=frozenset(words_of(ent["group_words"])),
            correction_words=tuple(tuple(phrase_words(str(p))) for p in ent["correction_words"]),
            determiners=frozenset(words_of(ent["possessive_links"])) | frozenset(words_of(ent["articles"])),
            size_verbs=single("size_verbs"),
            size_phrases=multi("size_verbs"),
            demonstratives=frozenset(words_of(ent["demonstratives"])),
            pronouns=frozenset(words_of(ent["pronouns"])),
            name_links=frozenset(words_of(ent["name_links"])),
            factor_verbs={stem(w): Decimal(str(v)) for v, listed in ent["factor_verbs"].items()
                          for w in words_of(listed)},
            factor_phrases={tuple(stem(w) for w in phrase_words(str(p))): Decimal(str(v))
                            for v, listed in ent["factor_phrases"].items() for p in listed},
            question_words=frozenset(words_of(ent["clause_questions"])),
            conditional=frozenset(words_of(ent["conditional"])),
            question_tails=frozenset(words_of(ent["question_tails"])),
            own_possessives=frozenset(words_of(ent["own_possessives"])),
            only=frozenset(words_of(ent["only_words"])),
            one_more=tuple(tuple(phrase_words(str(p))) for p in ent["one_more"]),
        )

    def score_target(self, tokens: list[Token], i: int, span_at: Mapping[int, tuple[int, str, str]]) -> bool:
        """The number at ``i`` ends the sentence or its clause before a condition (but for a tail such as
        "or not") after a verb of
        reaching whose subject names no metric: a score, "would we pass 70?", "halen we dan de 70?",
        "if we … get 1 more deployment live before jan do we clear 70 or not" (not "what if
        deployments hit 7")."""
        rest = tokens[i + 1:]  # up to a condition: "would we reach 70 if both pass MB-310?"
        tail = next((k for k, t in enumerate(rest) if t.text in self.conditional), len(rest))
        if any(t.text not in self.question_tails for t in rest[:tail]):
            return False
        start = max((k + 1 for k in range(i) if tokens[k].text == CLAUSE), default=0)
        verb = next((k for k in range(i - 1, max(start, i - 4) - 1, -1)
                     if tokens[k].text in self.points_verbs), None)
        return verb is not None and not any(  # the subject: a name that ends at most a word before the verb
            kind in ("metric", "certification") and end >= verb - 1
            for k, (end, kind, _) in span_at.items() if start <= k < i)

    def with_more(self, tokens: list[Token]) -> bool:
        """ "score with 3 more deployments", "met 4 extra implementaties", "met 2 klanten erbij": a
        change after "with" / "met" is asked about, not stated ("met 2 mensen geslaagd" is)."""
        return any(t.text in self.with_words and any(u.kind == "number" for u in tokens[i + 1:i + 3])
                   and any(u.text in self.more_words for u in tokens[i + 1:i + 5])
                   for i, t in enumerate(tokens))

    def with_amount(self, tokens: list[Token]) -> bool:
        """ "score met 30 gecertificeerden?", "with 9 deployments in total, …?": a number right after
        "with" / "met" (the caller asks whether the sentence is a question)."""
        return any(t.text in self.with_words  # "with net customer adds at just 3"
                   and any(u.kind == "number" for u in tokens[i + 1:i + 7] if u.text != CLAUSE)
                   for i, t in enumerate(tokens))

    def past(self, stems: Sequence[str]) -> bool:
        """The words speak of the past ("12 months ago", "vorig jaar")."""
        return any(contains(stems, p) for p in self.past_phrases)

    def limit(self, change: Change) -> Decimal:
        """The largest plausible amount of ``change`` (no limit for a placeholder of an example)."""
        key = "percent" if change.unit == "percent" else change.metric
        return self.plausible.get(key, Decimal("Infinity"))

    def changes(
        self,
        tokens: list[Token],
        metrics: list[tuple[int, str]],
        numbers: list[tuple[int, Token]],
        spans: list[tuple[int, int, str, str]],
        stated: Mapping[int, str],
        by_exam: set[int],
        question: bool = False,
    ) -> list[Change]:
        """The changes the sentence states; ``question``: it has a question mark ("does PL-300 count?"
        names an exam but counts nobody)."""
        if not metrics:
            return []
        inside = {k for s, e, _, _ in spans for k in range(s, e)}
        name_end = {s: e for s, e, kind, _ in spans if kind in ("metric", "certification")}
        growth_ends = {e - 1 for s, e, kind, _ in spans if kind == "metric"  # "gebruiksgroei", "usage growth"
                       and any(tokens[j].text.endswith(g) for j in range(s, e) for g in self.growth)}
        bounds = [0] + [i for i, t in enumerate(tokens)
                        if i not in inside and (t.text in self.clause_words)] + [len(tokens)]
        clauses = list(itertools.pairwise(bounds))
        ends = [k for k, t in enumerate(tokens) if t.text == CLAUSE and t.original in SENTENCE_ENDS]
        sentence = [sum(1 for k in ends if k <= a) for a, _ in clauses]  # the sentence each clause is in
        stems = [t.text for t in tokens]
        unsaid = _positions(stems, self.not_markers)  # "bij ons"
        set_by_phrase = _positions(stems, self.absolute_phrases)  # "ends up at"
        phrase_sign = {**dict.fromkeys(_positions(stems, self.relative_phrases), 1),  # "live zetten"
                       **dict.fromkeys(_positions(stems, self.decrease_phrases), -1)}  # "uit dienst"
        unsaid |= set(phrase_sign)

        def clause_of(pos: int) -> int:
            return next(n for n, (a, b) in enumerate(clauses) if a <= pos < b or pos == b == len(tokens))

        def own_words(n: int) -> set[str]:
            a, b = clauses[n]
            return {t.text for k, t in enumerate(tokens[a:b], a) if k not in inside and k not in unsaid}

        def strong(n: int) -> bool:
            """Clause ``n`` states a new total whatever else it says: "set", "to 12", "ends up at
            140,000", a growth "of 22 %" ("een gebruiksgroei van 22 % halen"); not a number compared
            ("ends up 6 % lower")."""
            a, b = clauses[n]
            if any(t.kind == "number" and ((k + 1 < b and tokens[k + 1].text in self.comparatives)
                                           or (name_end.get(k + 1, b) < b
                                           and tokens[name_end[k + 1]].text in self.comparatives))
                   for k, t in enumerate(tokens[a:b], a)):
                return False  # "ends up 6 % lower", "end up with one deployment fewer"
            before_number = any(
                k + 1 < b and tokens[k + 1].kind == "number" and (
                    t.text in self.absolute_before_number
                    or (t.text in self.absolute_after_metric and k - 1 in growth_ends
                        and bool(tokens[k + 1].percent)))
                for k, t in enumerate(tokens[a:b], a))
            return before_number or bool(own_words(n) & self.absolute_strong) or any(
                a <= k < b for k in set_by_phrase)

        @functools.cache
        def marker(n: int) -> tuple[bool, int] | None:
            """What clause ``n``'s own words say: (relative, sign), or ``None`` when they say nothing.
            Words of a named thing ("net customer *adds*", "*new* customers") say nothing here."""
            words = own_words(n) - {w for k in set_by_phrase for w in [tokens[k].text]}
            if strong(n):
                return False, 1
            a, b = clauses[n]
            grows = any(k in growth_ends for k in range(a, b))
            if grows and words & self.reach and any(t.kind == "number" and t.percent for t in tokens[a:b]):
                return False, 1  # "stel dat we 35% gebruiksgroei halen": a growth reached is the new total
            reached_usage = (any(k in usage for k in range(a, b)) and not words & self.more_words
                             and not (words & self.relative) - self.reach and not _says(words, self.decrease))
            if words & self.reach and (reached_usage or any(
                    t.kind == "number" and k > 0 and tokens[k - 1].original.lower() in self.only
                    for k, t in enumerate(tokens[a:b], a))):
                # "wat als we een half miljoen verbruik per maand halen": a consumption reached is the total
                return False, 1  # "als we dit jaar maar 4 … halen", "if we only reach 5": that many in all
            signs = {phrase_sign[k] for k in range(a, b) if k in phrase_sign}
            if signs:
                return True, min(signs)
            if _says(words, self.decrease):
                return True, -1
            if _says(words, self.relative):
                return True, 1
            if words & self.obtain and any(tokens[k].kind == "cert" or k in certified or k in new_named
                                           or k in certificates  # "als we drie nieuwe klanten krijgen"
                                           for k in range(a, b)):
                return True, 1  # "if a colleague gets the Business Central Functional Consultant Associate"
            if words & self.absolute:
                return False, 1
            return None

        def clause_reading(n: int) -> tuple[bool, int]:
            """A clause's own words decide; one without any takes the nearest clause's before it (the
            English verb comes first: "add 2 X and 3 Y"), else after it (the Dutch verb comes last:
            "5 X en 4 Y toevoegen"), in the same sentence ("The team is growing. How many more …?"
            is two); a sentence without any such word states totals. A clause that says nothing or a
            total takes the verb of a later clause that names its group again ("… three customers may
            move …; what if all three leave?") or of a later clause that refers back to it by a pronoun
            ("… a PL-600 architect; if we hired her, …?", "Tom is sitting PL-300 on friday, what if he
            passes?")."""
            if summed and marker(n) is None:
                return True, 1  # "2 adv certs + 4 deploys, what's the total?": a sum of changes adds each
            said = marker(n)
            if said is None or not (said[0] or strong(n)):
                for m in sorted(regroups):  # "three customers may move to another provider. What if all
                    again = marker(m)  # three leave?": the verb of the clause naming the group again says it
                    if m > n and again is not None and again[0]:
                        return again
                for m in range(n + 1, len(clauses)):  # "We're interviewing a PL-600 architect; if we hired
                    later = marker(m)  # her, …?": her clause's verb says it
                    if later is not None and referring(m):
                        return later
            for k in [*range(n, -1, -1), *range(n + 1, len(clauses))]:
                if sentence[k] != sentence[n] or (k != n and asking(k)):
                    continue
                found = marker(k)
                if found is not None:
                    return found
            return named_new, 1  # "3 new customers this quarter, what does that do?": new ones are added

        def asking(m: int) -> bool:
            """Clause ``m`` opens with a question word: "…, hoeveel punten schieten we daarmee op?"."""
            a, b = clauses[m]
            first = next((t for t in tokens[a:b] if t.text != CLAUSE), None)
            return (first is not None and first.original.lower() in self.question_words
                    and not any(t.kind == "number" or t.original.lower() in self.conditional
                                for t in tokens[a:b]))

        def referring(m: int) -> bool:
            """Clause ``m`` changes what an earlier clause names by a pronoun: no number, no metric,
            a verb of change ("if we hired her", "if they actually leave")."""
            a, b = clauses[m]
            found = marker(m)
            return (found is not None and found[0] and not any(a <= p < b for p, _ in [*metrics, *numbers])
                    and any(t.text in self.pronouns for t in tokens[a:b]))

        summed = any(t.plus for _, t in numbers)
        regroups: set[int] = set()  # clauses that name a group counted before again: "all three walk away"
        certified = {s for s, _, kind, _ in spans if kind == "certification"}
        usage = {s for s, _, kind, ident in spans if kind == "metric" and ident == "usage_growth"}
        certificates = {s for s, _, kind, ident in spans  # "two of our people got their associate
                        if kind == "metric" and ident.endswith("_certifications")  # certificate": one each
                        and s > 0 and tokens[s - 1].original.lower() in self.own_possessives}
        new_named = {s for s, e, kind, _ in spans if kind == "metric"
                     and any(tokens[k].text in self.new_words for k in range(s, e))}
        named_new = bool(new_named)
        numbers = [(p, t) for p, t in numbers
                   if not self._old_value(tokens, p, numbers, clauses[clause_of(p)])]  # "from 100k to 130k"
        if len(numbers) > 1:  # "2 deployments may fall below the 10,000 threshold": a level, no amount
            numbers = [(p, t) for p, t in numbers if not self._level(tokens, p)] or numbers
        named = {p for p, _ in metrics}
        kept: list[tuple[int, Token]] = []
        for n, (p, t) in enumerate(numbers):
            same = [u for q, u in numbers[:n] if sentence[clause_of(q)] == sentence[clause_of(p)]]
            in_named = any(q in named for q in range(*clauses[clause_of(p)]))
            aside = self._aside(tokens, p, t, n > 0, in_named, same)
            if aside == _AGAIN:
                regroups.add(clause_of(p))
            if not aside:
                kept.append((p, t))
        numbers = kept
        other = {p for p, t in numbers if self._another_thing(tokens, p, t, spans)}
        unsaid |= {k for p in other for k in (p - 1, p)}  # "move to another provider": no change said
        other |= {p for p, t in numbers  # "een van onze grote klanten gaat licenties afbouwen": one customer
                  if t.number == 1 and not t.original[:1].isdigit()  # whose size changes is described
                  and self._sized(tokens, *clauses[clause_of(p)])}
        numbers = [(p, t) for p, t in numbers if p not in other]
        unmarked = all(marker(k) is None for k in range(len(clauses))) and not summed and not question
        numbers = [*numbers,
                   *self._articles(tokens, clauses, numbers, metrics, clause_reading, spans, certified,
                                   unmarked, marker),
                   *self._none(tokens, clauses, numbers, metrics),
                   *self._factors(tokens, clauses, numbers, metrics, unsaid)]
        numbers.sort(key=lambda pt: pt[0])
        changes: list[Change] = []
        positions: list[int] = []
        used: set[str] = set()
        span_end = {s: e for s, e, kind, _ in spans if kind in ("metric", "certification")}
        for pos, token in numbers:
            clause = clause_of(pos)
            a, b = clauses[clause]
            after = [(p, m) for p, m in metrics if a <= p < b and p >= pos]  # "een implementatie … bij een
            # klant": an article's one stands on its noun, the metric it counts
            here = [(p, m) for p, m in metrics if a <= p < b]
            if after:
                at, metric = after[0]  # "5 intermediate people": the noun follows the number
                if len(after) > 1 and span_end.get(at) == after[1][0]:
                    at, metric = after[1]  # "4 more customer deployments": the last noun is the head
            elif here:
                at, metric = here[-1]
            else:  # "we hired an advanced person, we have 4 now": nearest metric in the sentence
                at, metric = min(metrics, key=lambda pm: abs(pm[0] - pos))
            relative, sign = clause_reading(clause)
            if at in by_exam and not strong(clause):
                relative = True  # "2 people pass PL-600": counted people are added
            elif token.original.lower() in self.one_person and not relative:
                continue  # "does it matter if someone holds several certificates": no change
            if token.plus:
                relative, sign = True, 1  # "+3 deployments"
            elif token.number is not None and token.number < 0 and all(
                    marker(k) is None for k in range(len(clauses)) if sentence[k] == sentence[clause]):
                relative, sign = True, 1  # "consumption -10 %, score?": minus is less, unless "were -2"

            if token.text == _NONE:
                relative, sign = False, 1  # "geen implementaties meer": none left
            elif token.text == _FACTOR:
                relative, sign = True, 1  # "if consumption doubles": +100 %
            past = any(contains([t.text for t in tokens[a:b]], p) for p in self.past_phrases)
            assert token.number is not None
            changes.append(Change(metric, sign * token.number, "add" if relative else "set",
                                  "percent" if token.percent else "count", past, stated.get(at)))
            positions.append(pos)
            used.add(metric)
        return self._restated(changes, [sentence[clause_of(p)] for p in positions], tokens, ends, question)

    @staticmethod
    def _restated(changes: list[Change], sentences: list[int], tokens: list[Token], ends: list[int],
                  question: bool) -> list[Change]:
        """Without the changes a later sentence that asks restates: the same metric by the same amount
        ("… he'd get five people through MB-800 by spring. … what would five more intermediate certs
        give us?", "we might hire a … Expert. what does one extra of those do for us?"): the earlier
        sentence tells the story, the question asks about it."""
        def asks(s: int) -> bool:
            return tokens[ends[s]].original == "?" if s < len(ends) else question
        return [c for n, c in enumerate(changes) if not any(
            sentences[m] > sentences[n] and asks(sentences[m]) and d.metric == c.metric
            and abs(d.amount) == abs(c.amount) and d.unit == c.unit and d.mode == c.mode
            for m, d in enumerate(changes))]  # not "we have 2 deployments. what if we had 2 more?"

    def _old_value(self, tokens: list[Token], pos: int, numbers: list[tuple[int, Token]],
                   clause: tuple[int, int]) -> bool:
        """The number at ``pos`` is the old value of "from 100k to 130k" / "van 4 naar 6": it follows
        a ``from_words`` word and a later number of its clause follows "to" / "naar"."""
        return pos > 0 and tokens[pos - 1].text in self.from_words and any(
            pos < p < clause[1] and p > 0 and tokens[p - 1].text in self.absolute_before_number
            for p, _ in numbers)

    def _aside(self, tokens: list[Token], pos: int, token: Token, after_another: bool, named: bool,
               earlier: Sequence[Token] = ()) -> str:
        """The number at ``pos`` is no amount of its own: the size of a group one is taken from ("one
        of our two architects", "een van onze twee"), a correction ("2 deployments, not 4"), or, after
        another number and in a clause that names no metric, the same group again ("three consultants
        …; assuming all three pass", "… Assuming both pass", "please update both"); so is "both" /
        "all three" after a number of that size in its sentence, whatever its clause names ("our two
        MB-700 holders both leave", "onze twee MB-700 mensen allebei opstappen"), and a "one" that ends
        its clause after a one ("another consultant passed MB-800 today, add one"). The answer says which:
        ``_AGAIN`` for a group named again, ``_ASIDE`` for the others, "" for an amount."""
        before = [t for t in tokens[max(0, pos - 3):pos] if t.text != CLAUSE]
        if after_another and any(tuple(t.original.lower() for t in before[-len(p):]) == p
                                 for p in self.correction_words):
            return _ASIDE  # "9 deployments, not 7", "7 deployments instead of 4"
        words = [t.original.lower() for t in before]
        if words and words[-1] in self.determiners:
            words, before = words[:-1], before[:-1]
        if len(before) >= 2 and words[-1] in OF and before[-2].kind == "number":
            return _ASIDE
        again = token.original.lower() in self.two_words or (words and words[-1] in self.group_words)
        if again and (any(u.number == token.number for u in earlier) or (after_another and not named)):
            return _AGAIN
        last = pos + 1 == len(tokens) or tokens[pos + 1].text == CLAUSE
        if (last and not named and token.number == 1 and not token.original[:1].isdigit()
                and any(u.number == 1 for u in earlier)):
            return _AGAIN  # "another consultant passed MB-800 today, add one": that one
        return ""

    def _another_thing(self, tokens: list[Token], pos: int, token: Token,
                       spans: Sequence[tuple[int, int, str, str]]) -> bool:
        """The "one more" at ``pos`` ("another") is of a thing the bot does not count: the word after
        it is no metric, certification or word for people ("might move to another provider"; not
        "another colleague", "another deployment", "add another")."""
        if pos + 1 >= len(tokens) or not any(
                len(p) <= pos + 1 and tuple(t.original.lower() for t in tokens[pos + 1 - len(p):pos + 1]) == p
                for p in self.one_more):
            return False
        after = tokens[pos + 1]
        counted = {s for s, _, kind, _ in spans if kind in ("metric", "certification")}
        return (after.kind == "word" and after.text != CLAUSE and pos + 1 not in counted
                and after.text not in self.counted and after.text not in self.function_words
                and after.text not in self.relative and after.text not in self.decrease)

    def _level(self, tokens: list[Token], pos: int) -> bool:
        """The number at ``pos`` follows "below" / "onder" (and an article): a level compared with."""
        before = [t.text for t in tokens[max(0, pos - 3):pos] if t.text not in _LEVEL_ARTICLES]
        return bool(before) and before[-1] in self.level_words


_AGAIN = "again"
"""What :meth:`ChangeReader._aside` says of a group named again ("both", "all three")."""
_ASIDE = "aside"
"""What :meth:`ChangeReader._aside` says of the size of a group and of a number corrected away."""

_LEVEL_ARTICLES = frozenset({"the", "de", "het", "a", "an", "een"})


def _positions(stems: Sequence[str], phrases: Iterable[tuple[str, ...]]) -> set[int]:
    """The positions of every word of every occurrence of ``phrases`` in ``stems``."""
    return {k for p in phrases for i in range(len(stems) - len(p) + 1)
            if tuple(stems[i:i + len(p)]) == p for k in range(i, i + len(p))}


def _says(words: set[str], markers: frozenset[str]) -> bool:
    """One of ``words`` is a marker, or starts with a marker of five letters or more: Dutch writes a
    separable verb as one word ("kwijtraken", "omhooggaan") where the marker is its first part."""
    return bool(words & markers) or any(w.startswith(_long(markers)) for w in words)


@functools.cache
def _long(markers: frozenset[str]) -> tuple[str, ...]:
    """The markers of five letters or more, that also start a longer word."""
    return tuple(m for m in markers if len(m) >= 5)

