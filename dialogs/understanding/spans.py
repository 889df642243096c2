"""Which phrases of a sentence name something, beyond the longest phrase of ``entities.yaml``: offer
names (known ones, or capitalised words the vocabulary does not know), and the names that are no
entity where they stand:

- a workload before "team" names people ("our finance team keeps asking");
- customers named as whose consumption it is are no metric of their own ("our customers' monthly
  consumption", "het verbruik van onze klanten");
- a metric named to compare with is not what is asked about ("daily, or once a month like revenue?");
- a metric after "count as" / "telt als" is what the question is about ("what makes a customer
  workload count as a deployment");
- customers who spend or use are whose consumption it is ("our clients spend 5,000 more", "klanten
  die 120.000 per maand besteden", "what if our customers use 3,500 more": the "use" is then the
  consumption), and customers who use or run a product are its users ("our clients use Customer
  Voice");
- customers where a deployment is, or whose doing lost it, are no metric of their own ("installaties
  bij klanten", "roll out at 2 more clients", "een implementatie weggevallen omdat de klant …");
- a metric word that is a verb after "ik" is no metric ("ik gebruik je voor het eerst"), nor one that
  names a category ("the customer success part").

The words are ``entities.yaml``'s (``not_workload_after``, ``possessor_metric``, ``possessive_links``,
``comparison``, ``defining``, ``not_offer_names``, ``spending_verbs``, ``use_verbs``, ``product_verbs``,
``place_links``, ``verb_subjects``, ``verb_metric_words``, ``not_metric_after``, ``clause_words``).
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dialogs.understanding.text import TOKEN, Token, fold, phrase_words, stem, words_of
from dialogs.understanding.tokens import CLAUSE

Span = tuple[int, int, str, str]
"""Start, end, kind and id of a named thing in a sentence's tokens."""
_ARTICLES = frozenset({"a", "an", "the", "een", "de", "het"})
_LOOK = frozenset({"look", "lijkt"})  # "what would the score look like …" compares nothing
_CLAUSE_REACH = 10
"""How far after customers a verb of their spending may stand in their clause ("klanten 120.000 per maand
aan Dynamics en Power Platform besteden")."""
_PLACE_REACH = 3
"""How far before customers a word of place or cause may stand ("at 2 more clients", "bij een klant")."""
_DEPLOYMENT_REACH = 6
"""How near a deployment customers must be to be where it is."""
_PRODUCT_KINDS = frozenset({"workload", "family", "offer"})
_DEFINING_REACH = 5
"""How far before "as" / "als" the verb of a definition may stand ("qualifies a customer workload as …")."""


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
    spending: tuple[tuple[str, ...], ...] = ()
    use_verbs: frozenset[tuple[str, ...]] = frozenset()
    product_verbs: frozenset[str] = frozenset()
    place_links: frozenset[str] = frozenset()
    placed_customers: frozenset[tuple[str, ...]] = frozenset()
    live_words: frozenset[str] = frozenset()
    verb_subjects: frozenset[str] = frozenset()
    verb_next: frozenset[str] = frozenset()
    verb_metric_words: frozenset[tuple[str, ...]] = frozenset()
    not_metric_after: frozenset[str] = frozenset()
    clause_words: frozenset[str] = frozenset()
    relatives: frozenset[str] = frozenset()

    @classmethod
    def of(cls, ent: Mapping[str, Any]) -> SpanRules:
        use_verbs = [_phrase(p) for p in ent["use_verbs"]]
        return cls(
            not_workload_after=frozenset(stem(w) for w in words_of(ent["not_workload_after"])),
            customer_words=frozenset(_phrase(p) for p in ent["possessor_metric"]),
            possessive_links=frozenset(stem(w) for w in words_of(ent["possessive_links"])),
            comparison=tuple(_phrase(p) for p in ent["comparison"]),
            defining=tuple(_phrase(p) for p in ent["defining"]),
            not_offer=frozenset(words_of(ent["not_offer_names"])),
            spending=tuple(sorted({_phrase(p) for p in ent["spending_verbs"]} | set(use_verbs), key=len,
                                  reverse=True)),
            use_verbs=frozenset(use_verbs),
            product_verbs=frozenset(stem(w) for w in words_of(ent["product_verbs"])),
            place_links=frozenset(stem(w) for w in words_of(ent["place_links"]["links"])),
            placed_customers=frozenset(_phrase(p) for p in ent["place_links"]["customers"]),
            live_words=frozenset(stem(w) for w in words_of(ent["place_links"]["live"])),
            verb_subjects=frozenset(stem(w) for w in words_of(ent["verb_subjects"]["near"])),
            verb_next=frozenset(stem(w) for w in words_of(ent["verb_subjects"]["next"])),
            verb_metric_words=frozenset(_phrase(p) for p in ent["verb_metric_words"]),
            not_metric_after=frozenset(stem(w) for w in words_of(ent["not_metric_after"])),
            clause_words=frozenset(stem(w) for w in words_of(ent["clause_words"])),
            relatives=frozenset(stem(w) for w in words_of(ent["relative_pronouns"])),
        )

    def people_after(self, tokens: Sequence[Token], end: int) -> bool:
        """The word at ``end`` makes the workload before it a group of people ("finance team")."""
        return end < len(tokens) and tokens[end].text in self.not_workload_after

    def without_possessors(self, tokens: Sequence[Token], spans: list[Span]) -> list[Span]:
        """``spans`` without customers named as whose consumption it is, as users of a product or as
        where a deployment is, metric words that are no metric here, and metrics compared with; a
        verb of using after customers is their consumption."""
        spans, consumers = self._consumers(tokens, spans)
        deployments = [(s, e) for s, e, kind, ident in spans if kind == "metric" and ident == "deployments"]
        usage = [(s, e) for s, e, kind, ident in spans if kind == "metric" and ident == "usage_growth"]
        kept = []
        for span in spans:
            s, e, kind, _ = span
            words = tuple(t.text for t in tokens[s:e])
            if kind == "metric" and (s in consumers or self._verb(tokens, s, e, words) or (
                    e < len(tokens) and tokens[e].text in self.not_metric_after)):
                continue  # "our clients spend …", "ik gebruik je", "the customer success part"
            if kind == "metric" and words in self.placed_customers and self._placed(tokens, s, deployments):
                continue  # "installaties bij klanten", "went live at a new customer": where, or why, not what
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

    def _consumers(self, tokens: Sequence[Token], spans: list[Span]) -> tuple[list[Span], set[int]]:
        """``spans`` with a verb of using after customers read as consumption ("our customers use 3,500
        more"), and where the customers who spend or use stand: a verb of spending or using (or of
        running a product named right after it) follows them in their clause, with no other metric
        between."""
        starts = {s: (e, kind, ident) for s, e, kind, ident in spans}
        ends = {e: kind for _, e, kind, _ in spans}
        added: list[Span] = []
        consumers: set[int] = set()
        for s, e, kind, _ in spans:
            if kind != "metric" or tuple(t.text for t in tokens[s:e]) not in self.customer_words:
                continue
            j = e
            while j < min(len(tokens), e + _CLAUSE_REACH):
                text = tokens[j].text
                names = ends.get(j, "metric") != "metric" and starts.get(j + 1, (0, "metric"))[1] != "metric"
                if text == CLAUSE or (text in self.clause_words and not names) or text in self.relatives:
                    break  # a new clause ("Dynamics en Power Platform" is a list of names), or customers
                    # described ("3 customers who spend 1,000 a month each" are counted)
                at = starts.get(j)
                phrase = next((p for p in self.spending if tuple(t.text for t in tokens[j:j + len(p)]) == p),
                              None)
                if text in self.product_verbs and any(
                        starts.get(k, (0, ""))[1] in _PRODUCT_KINDS for k in range(j + 1, j + 3)
                        if CLAUSE not in [t.text for t in tokens[j + 1:k]]):
                    consumers.add(s)  # "our clients use Customer Voice", "een klant draait nog CV": its users
                    break
                if phrase is not None and (at is None or at[2] == "usage_growth"):
                    consumers.add(s)
                    if at is None and phrase in self.use_verbs:
                        added.append((j, j + len(phrase), "metric", "usage_growth"))
                    break
                if at is not None and at[1] == "metric":
                    break  # another metric first
                j = at[0] if at is not None else j + 1
        return sorted([*spans, *added]), consumers

    def _verb(self, tokens: Sequence[Token], s: int, e: int, words: tuple[str, ...]) -> bool:
        """The metric word at ``s:e`` is a verb of a subject ("ik gebruik je", "dat ik dit gebruik",
        "hoe gebruiken we")."""
        return words in self.verb_metric_words and (
            any(t.text in self.verb_subjects for t in tokens[max(0, s - 3):s])
            or any(t.text in self.verb_next for t in [*tokens[max(0, s - 1):s], *tokens[e:e + 1]]))

    def _placed(self, tokens: Sequence[Token], s: int, deployments: Sequence[tuple[int, int]]) -> bool:
        """The customers at ``s`` are where a deployment near them is, or why it changed: a word of
        place or cause shortly before them ("at 2 more clients", "bij een klant", "omdat de klant"),
        or where something went live ("we went live at a new customer")."""
        before = [t.text for t in tokens[max(0, s - _PLACE_REACH):s]]
        if CLAUSE in before or not self.place_links.intersection(before):
            return False
        live = self.live_words.intersection(t.text for t in tokens[max(0, s - _PLACE_REACH - 2):s])
        return bool(live) or any(min(abs(s - ds), abs(s - de)) <= _DEPLOYMENT_REACH for ds, de in deployments)

    def defined(self, stems: Sequence[str], pos: int) -> bool:
        """The metric at ``pos`` is what something counts as ("count as a deployment", "telt als
        implementatie"), also with the thing between the verb and "as" ("what qualifies a customer
        workload as a deployment", "telt een klant als implementatie")."""
        for k in (0, 1):
            at = pos - k - 1
            if at < 0 or not all(w in _ARTICLES for w in stems[pos - k:pos]):
                continue
            for p in self.defining:
                if tuple(stems[max(0, at + 1 - len(p)):at + 1]) == p:
                    return True
                before = list(stems[max(0, at - _DEFINING_REACH):at])
                if len(p) == 2 and stems[at] == p[1] and p[0] in before and CLAUSE not in before[
                        before.index(p[0]):]:
                    return True
        return False

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
