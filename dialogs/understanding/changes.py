"""Reading changes from a sentence: each number is paired with the metric of its clause ("5
intermediate certified people and 2 deployments") and read as relative ("2 more", "up by 2000", "lose
2") or absolute ("to 95,000", "we now have 12") by the clause's own words, else its neighbours'.
People counted by an exam ("2 people pass PL-600") are added. The words are ``entities.yaml``'s."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dialogs.understanding.text import Token, contains, phrase_words, stem, words_of
from dialogs.understanding.tokens import CLAUSE
from scoring.api import Change


@dataclass(frozen=True)
class ChangeReader:
    """The words that say how a number changes a metric, and the plausible size of each amount."""

    clause_words: frozenset[str]
    relative: frozenset[str]
    absolute: frozenset[str]
    absolute_strong: frozenset[str]
    absolute_before_number: frozenset[str]
    decrease: frozenset[str]
    past_phrases: tuple[tuple[str, ...], ...]
    plausible: Mapping[str, Decimal]

    @classmethod
    def of(cls, ent: Mapping[str, Any]) -> ChangeReader:
        """The reader of ``entities.yaml``'s word lists."""
        def stems(key: str) -> frozenset[str]:
            return frozenset(stem(w) for w in words_of(ent[key]))

        return cls(
            clause_words=frozenset([*words_of(ent["clause_words"]), CLAUSE]),
            relative=stems("relative"),
            absolute=stems("absolute"),
            absolute_strong=stems("absolute_strong"),
            absolute_before_number=stems("absolute_before_number"),
            decrease=stems("decrease"),
            past_phrases=tuple(tuple(stem(w) for w in phrase_words(p)) for p in ent["past_words"]),
            plausible={str(k): Decimal(str(v)) for k, v in ent["plausible"].items()},
        )

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
    ) -> list[Change]:
        if not numbers or not metrics:
            return []
        inside = {k for s, e, _, _ in spans for k in range(s, e)}
        bounds = [0] + [i for i, t in enumerate(tokens)
                        if i not in inside and (t.text in self.clause_words)] + [len(tokens)]
        clauses = list(itertools.pairwise(bounds))

        def clause_of(pos: int) -> int:
            return next(n for n, (a, b) in enumerate(clauses) if a <= pos < b or pos == b == len(tokens))

        def marker(n: int) -> tuple[bool, int] | None:
            """What clause ``n``'s own words say: (relative, sign), or ``None`` when they say nothing.
            Words of a named thing ("net customer *adds*", "*new* customers") say nothing here."""
            a, b = clauses[n]
            words = {t.text for k, t in enumerate(tokens[a:b], a) if k not in inside}
            before_number = any(
                t.text in self.absolute_before_number and k + 1 < b and tokens[k + 1].kind == "number"
                for k, t in enumerate(tokens[a:b], a)
            )
            if before_number or words & self.absolute_strong:
                return False, 1
            if _says(words, self.decrease):
                return True, -1
            if _says(words, self.relative):
                return True, 1
            if words & self.absolute:
                return False, 1
            return None

        def strong(n: int) -> bool:
            a, b = clauses[n]
            words = {t.text for k, t in enumerate(tokens[a:b], a) if k not in inside}
            return bool(words & self.absolute_strong) or any(
                t.text in self.absolute_before_number and k + 1 < b and tokens[k + 1].kind == "number"
                for k, t in enumerate(tokens[a:b], a))

        def clause_reading(n: int) -> tuple[bool, int]:
            """A clause's own words decide; one without any takes the nearest clause's before it (the
            English verb comes first: "add 2 X and 3 Y"), else after it (the Dutch verb comes last:
            "5 X en 4 Y toevoegen"); a sentence without any such word states totals."""
            for k in [*range(n, -1, -1), *range(n + 1, len(clauses))]:
                found = marker(k)
                if found is not None:
                    return found
            return False, 1

        changes: list[Change] = []
        used: set[str] = set()
        for pos, token in numbers:
            clause = clause_of(pos)
            a, b = clauses[clause]
            after = [(p, m) for p, m in metrics if a <= p < b and p > pos]
            here = [(p, m) for p, m in metrics if a <= p < b]
            if after:
                at, metric = after[0]  # "5 intermediate people": the noun follows the number
            elif here:
                at, metric = here[-1]
            else:  # "we hired an advanced person, we have 4 now": nearest metric in the sentence
                at, metric = min(metrics, key=lambda pm: abs(pm[0] - pos))
            relative, sign = clause_reading(clause)
            if at in by_exam and not strong(clause):
                relative = True  # "2 people pass PL-600": counted people are added
            past = any(contains([t.text for t in tokens[a:b]], p) for p in self.past_phrases)
            assert token.number is not None
            changes.append(Change(metric, sign * token.number, "add" if relative else "set",
                                  "percent" if token.percent else "count", past, stated.get(at)))
            used.add(metric)
        return changes


def _says(words: set[str], markers: frozenset[str]) -> bool:
    """One of ``words`` is a marker, or starts with a marker of five letters or more: Dutch writes a
    separable verb as one word ("kwijtraken", "omhooggaan") where the marker is its first part."""
    return bool(words & markers) or any(
        w.startswith(m) and len(w) > len(m) for w in words for m in markers if len(m) >= 5)

