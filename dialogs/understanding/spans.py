"""Which phrases of a sentence name something, beyond the longest phrase of ``entities.yaml``: offer
names (known ones, or capitalised words the vocabulary does not know), and the names that are no
entity where they stand:

- a workload before "team" names people ("our finance team keeps asking");
- customers named as whose consumption it is are no metric of their own ("our customers' monthly
  consumption", "het verbruik van onze klanten");
- a metric named to compare with is not what is asked about ("daily, or once a month like revenue?");
- a metric after "count as" / "telt als" is what the question is about ("what makes a customer
  workload count as a deployment").

The words are ``entities.yaml``'s (``not_workload_after``, ``possessor_metric``, ``possessive_links``,
``comparison``, ``defining``, ``not_offer_names``).
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dialogs.understanding.text import TOKEN, Token, fold, phrase_words, stem, words_of

Span = tuple[int, int, str, str]
"""Start, end, kind and id of a named thing in a sentence's tokens."""
_ARTICLES = frozenset({"a", "an", "the", "een", "de", "het"})
_LOOK = frozenset({"look", "lijkt"})  # "what would the score look like …" compares nothing


def _phrase(text: Any) -> tuple[str, ...]:
    return tuple(stem(w) for w in phrase_words(str(text)))


@dataclass(frozen=True)
class SpanRules:
    """The words that tell where a name is no entity (see the module text)."""

    not_workload_after: frozenset[str]
    customer_words: frozenset[tuple[str, ...]]
    possessive_links: frozenset[str]
    comparison: tuple[tuple[str, ...], ...]
    defining: tuple[tuple[str, ...], ...]
    not_offer: frozenset[str]

    @classmethod
    def of(cls, ent: Mapping[str, Any]) -> SpanRules:
        return cls(
            not_workload_after=frozenset(stem(w) for w in words_of(ent["not_workload_after"])),
            customer_words=frozenset(_phrase(p) for p in ent["possessor_metric"]),
            possessive_links=frozenset(stem(w) for w in words_of(ent["possessive_links"])),
            comparison=tuple(_phrase(p) for p in ent["comparison"]),
            defining=tuple(_phrase(p) for p in ent["defining"]),
            not_offer=frozenset(words_of(ent["not_offer_names"])),
        )

    def people_after(self, tokens: Sequence[Token], end: int) -> bool:
        """The word at ``end`` makes the workload before it a group of people ("finance team")."""
        return end < len(tokens) and tokens[end].text in self.not_workload_after

    def without_possessors(self, tokens: Sequence[Token], spans: list[Span]) -> list[Span]:
        """``spans`` without customers named as whose consumption it is and metrics compared with."""
        usage = [(s, e) for s, e, kind, ident in spans if kind == "metric" and ident == "usage_growth"]
        kept = []
        for span in spans:
            s, e, kind, _ = span
            words = tuple(t.text for t in tokens[s:e])
            between = {t.text for t in tokens[e:e + 3]} | {t.text for t in tokens[max(0, s - 3):s]}
            if kind == "metric" and words in self.customer_words and any(
                    us == e or (ue <= s and s - ue <= 3 and between & self.possessive_links)
                    for us, ue in usage):
                continue
            before = [t.text for t in tokens[max(0, s - 4):s] if t.text not in _ARTICLES]
            if kind == "metric" and any(tuple(before[-len(p):]) == p for p in self.comparison) and not (
                    len(before) > 1 and before[-2] in _LOOK):
                continue  # "once a month, like revenue?", "net als de omzet": a comparison
            kept.append(span)
        return kept

    def defined(self, stems: Sequence[str], pos: int) -> bool:
        """The metric at ``pos`` is what something counts as ("count as a deployment", "telt als
        implementatie")."""
        return any(tuple(stems[max(0, pos - len(p) - k):pos - k]) == p for p in self.defining for k in (0, 1)
                   if pos - len(p) - k >= 0 and all(w in _ARTICLES for w in stems[pos - k:pos]))

    def offer_span(self, tokens: Sequence[Token], known: Sequence[str], vocab: Container[str],
                   phrases: Container[tuple[str, ...]]) -> tuple[int, int, str] | None:
        """Where an offer is named: a known offer name, else a run of capitalised words (not the
        first word of the sentence) with a word the vocabulary does not know."""
        lowered = [fold(t.original) for t in tokens]
        for name in sorted(known, key=len, reverse=True):
            words = TOKEN.findall(fold(name))
            for i in range(len(tokens) - len(words) + 1):
                if words and lowered[i:i + len(words)] == words:
                    return i, i + len(words), name
        i = 1  # the first word of a sentence is capitalised anyway
        while i < len(tokens):
            t = tokens[i]
            if t.kind == "word" and t.original[:1].isupper() and len(t.original) > 1:
                j = i
                while j < len(tokens) and tokens[j].kind == "word" and tokens[j].original[:1].isupper():
                    j += 1
                run = tokens[i:j]
                unknown = [x for x in run if fold(x.original) not in vocab
                           and fold(x.original) not in self.not_offer]
                phrase = tuple(x.text for x in run)
                if unknown and phrase not in phrases:
                    return i, j, " ".join(x.original for x in run)
                i = j
            else:
                i += 1
        return None
