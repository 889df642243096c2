"""Counting things a sentence names without a digit: "a deployment", "that customer", "Priya, Tom and
Ahmed pass MB-210", "no deployments", "if consumption halves" (:class:`Counting`, a part of
:class:`dialogs.understanding.changes.ChangeReader`)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Container, Mapping, Sequence
from decimal import Decimal

from dialogs.understanding.text import Token, contains, stem
from dialogs.understanding.tokens import CLAUSE


class Counting:
    """The counts of things named without a digit; the word lists are the change reader's."""

    factor_verbs: Mapping[str, Decimal]
    factor_phrases: Mapping[tuple[str, ...], Decimal]
    none_phrases: tuple[tuple[str, ...], ...]
    not_one: frozenset[str]
    counted: frozenset[str]
    size_verbs: frozenset[str]
    size_phrases: tuple[tuple[str, ...], ...]
    only: frozenset[str]
    demonstratives: frozenset[str]
    function_words: frozenset[str]
    decrease: frozenset[str]
    relative: frozenset[str]
    name_links: frozenset[str]

    def _factors(self, tokens: list[Token], clauses: list[tuple[int, int]], numbers: list[tuple[int, Token]],
                 metrics: list[tuple[int, str]], unsaid: Container[int]) -> list[tuple[int, Token]]:
        """ "if consumption halves" (-50 %), "als het verbruik verdubbelt" (+100 %): a verb of a share of
        today's value changes the metric of its clause by that percentage, in a clause that states no
        number of its own (not "double-check")."""
        found: list[tuple[int, Token]] = []
        for a, b in clauses:
            if any(a <= p < b for p, _ in numbers) or not any(a <= p < b for p, _ in metrics):
                continue
            k = next((k for k in range(a, b) if tokens[k].text in self.factor_verbs and k not in unsaid), -1)
            if k >= 0:
                share = self.factor_verbs[tokens[k].text]
                found.append((k, Token("number", _FACTOR, tokens[k].original, share, percent=True)))
                continue
            said = [t.text for t in tokens]  # "cut in half", "met de helft"
            for k in range(a, b):
                phrase = next((p for p in self.factor_phrases if tuple(said[k:k + len(p)]) == p), None)
                if phrase and k not in unsaid:
                    share = self.factor_phrases[phrase]
                    found.append((k, Token("number", _FACTOR, tokens[k].original, share, percent=True)))
                    break
        return found

    def _none(self, tokens: list[Token], clauses: list[tuple[int, int]], numbers: list[tuple[int, Token]],
              metrics: list[tuple[int, str]]) -> list[tuple[int, Token]]:
        """"no deployments", "geen klanten", "not any advanced certified people" count zero, in a
        clause that states no number of its own."""
        found: list[tuple[int, Token]] = []
        at_metric = {p for p, _ in metrics}
        stems = [t.text for t in tokens]
        for a, b in clauses:
            if any(a <= p < b for p, _ in numbers):
                continue
            for k in range(a, b):
                phrase = next((p for p in self.none_phrases if tuple(stems[k:k + len(p)]) == p), None)
                after = k + len(phrase) if phrase else k
                if phrase and any(j in at_metric for j in range(after, min(after + 2, b))):
                    found.append((k, Token("number", _NONE, tokens[k].original, Decimal(0))))
                    break
        return found

    def _articles(
        self,
        tokens: list[Token],
        clauses: list[tuple[int, int]],
        numbers: list[tuple[int, Token]],
        metrics: list[tuple[int, str]],
        reading: Callable[[int], tuple[bool, int]],
        spans: Sequence[tuple[int, int, str, str]] = (),
        certified: Container[int] = (),
        unmarked: bool = False,
        own: Callable[[int], tuple[bool, int] | None] = lambda n: None,
    ) -> list[tuple[int, Token]]:
        """"a deployment", "een collega", "an MB-700 holder" count one, in a clause that changes
        something ("what if we add a deployment", "if a colleague passed MB-220", "een collega
        vertrekt") and states no number of its own; "what is a deployment" counts nothing. An exam or
        certification named in such a clause, or in a sentence with no word of change at all ("Ahmed got
        his MB-700 yesterday"), is one person, or as many as the names listed before it ("Priya, Tom
        and Ahmed pass MB-210"). A thing pointed at ("if we lost that customer", "als we die klant
        verliezen") is one when the clause's own verb changes it, unless it points back at a thing
        counted before ("our biggest customer may leave. If we lost that customer, …"); a thing whose
        size changes ("a big customer scaling down") is described, not counted."""
        found: list[tuple[int, Token]] = []
        exams: list[int] = []
        at_metric = {p for p, _ in metrics}
        for n, (a, b) in enumerate(clauses):
            if any(a <= p < b for p, _ in numbers):
                continue
            if not reading(n)[0]:
                if unmarked:
                    exams += [k for k in range(a, b) if k in at_metric
                              and (tokens[k].kind == "cert" or k in certified)][:1]
                continue
            if a > 0 and tokens[a].text != CLAUSE and tokens[a - 1].kind == "number" \
                    and not any(clauses[n - 1][0] <= p < a for p in at_metric):
                continue  # "our one and only PL-600 architect": the number before "and" counts it
            if self._sized(tokens, a, b):
                continue  # "a big customer scaling down": its consumption changes, not the count
            pointing = (own(n) or (False, 1))[0]
            for k in range(a, b):
                before = [t.text for t in tokens[max(0, k - 2):k] if t.text not in _ARTICLE_WORDS]
                pointed = (pointing and not numbers and not found and k > a
                           and tokens[k - 2].text not in _WITH
                           and tokens[k - 1].original.lower() in self.demonstratives
                           and self._one_pointed(tokens, k, b, spans))
                if (not (tokens[k].article or pointed) or (before and before[-1] in _WITH)
                        or tokens[k].text in self.not_one
                        or (k > 0 and tokens[k - 1].original.lower() in self.only
                            and (tokens[k].text in self.relative or tokens[k].text in self.decrease))):
                    # "if we only added expert-certified people": "only" before a verb counts nothing
                    continue  # "een collega met een certificering": the person is counted, once; "a few"
                window = self._noun_window(tokens, k, b, spans)
                if any(tokens[j].kind == "number" for j in window):
                    break
                if any(j in at_metric or tokens[j].text in self.counted or tokens[j].kind == "cert"
                       for j in window):
                    found.append((k, Token("number", "1", tokens[k].original, Decimal(1))))
                    break
            else:
                if any(tokens[k].article and tokens[k].text in self.not_one for k in range(a, b)):
                    continue  # "a number of our PL-600 certifications expire": how many is not said
                exams += [k for k in range(a, b) if k in at_metric
                          and (tokens[k].kind == "cert" or k in certified)][:1]
        if exams and not numbers and not found:  # "what if Marco passes MB-800", "als onze MB-700-
            k = exams[0]  # architect opstapt": one person, once ("1 more, Sara passed MB-340" is one)
            names = self._names(tokens, k)
            found.append((k, Token("number", str(names), tokens[k].original, Decimal(names))))
            for k in exams[1:]:  # "Fatima passed PL-600 and Ben passed MB-310": one more per person named
                start = max(a for a, _ in clauses if a <= k)
                if any(self._name(tokens, j) for j in range(start, k)):
                    names = self._names(tokens, k)
                    found.append((k, Token("number", str(names), tokens[k].original, Decimal(names))))
        return found

    def _sized(self, tokens: list[Token], a: int, b: int) -> bool:
        """The clause from ``a`` to ``b`` has a verb of a thing's size ("a big customer scaling down",
        "our biggest client cuts back", "een klant bouwt af")."""
        stems = [t.text for t in tokens[a:b]]
        return any(w in self.size_verbs for w in stems) or any(contains(stems, p) for p in self.size_phrases)

    def _one_pointed(self, tokens: list[Token], k: int, end: int,
                     spans: Sequence[tuple[int, int, str, str]]) -> bool:
        """The words from ``k`` (after "that" / "die" / "the") name one counted thing: a metric of
        people or things, not consumption, its last word in the singular, and no other word of a
        name follows it ("the Fabrikam deployment goes away"; not "the customer base grows", "the
        customers", "de tussenliggende certificeringen")."""
        named = {s: (e, ident) for s, e, kind, ident in spans if kind == "metric"}
        for j in range(k, min(k + 3, end)):
            if j not in named:
                continue
            last, ident = named[j]
            word = tokens[last - 1].original.lower()
            after = tokens[last] if last < end else None
            return ident != _USAGE and stem(word) == word and (
                after is None or after.text in self.function_words or after.kind != "word"
                or after.text in self.decrease or after.text in self.relative
                or after.original[:1].isupper())  # "de klant Contoso"
        return False

    def _name(self, tokens: list[Token], j: int) -> bool:
        """The word at ``j`` is a person's name: capitalised, not a word of the bot's vocabulary of
        function words ("Priya", not "What" or "MB")."""
        t = tokens[j]
        return (t.kind == "word" and t.original[:1].isupper() and t.original[1:2].islower()
                and t.text not in self.function_words)

    def _names(self, tokens: list[Token], k: int) -> int:
        """How many people a list of names before the exam at ``k`` names ("Priya, Tom and Ahmed all
        pass MB-210": 3); 1 without such a list."""
        name = functools.partial(self._name, tokens)
        j = k - 1
        while j >= 0 and k - j <= 4 and not name(j) and tokens[j].text != CLAUSE:
            j -= 1  # "all pass", "both passed"
        if j < 0 or not name(j):
            return 1
        count, linked = 1, False
        while j >= 2 and ((tokens[j - 1].text == CLAUSE and tokens[j - 1].original == ",")
                          or tokens[j - 1].original.lower() in self.name_links) and name(j - 2):
            linked = linked or tokens[j - 1].original.lower() in self.name_links
            count, j = count + 1, j - 2
        return count if linked else 1

    def _noun_window(self, tokens: list[Token], k: int, end: int,
                     spans: Sequence[tuple[int, int, str, str]]) -> list[int]:
        """The positions of the three words after an article at ``k`` (a name such as "Business
        Central" or "Dynamics 365 … Solution Architect Expert" is one word, its number no amount), up
        to a function word: "een Business Central-klant" reaches the customer, "a month like revenue"
        and "een topmaand qua verbruik" reach no metric."""
        named = {j: e for s, e, _, _ in spans for j in [s]}
        window: list[int] = []
        j = k
        while j < end and len(window) < 3:
            if j > k and tokens[j].text in self.function_words:
                break
            window.append(j)
            j = named.get(j, j + 1)
        return window


_NONE = "none"
"""The text of the zero that "no deployments" / "geen klanten" states."""
_FACTOR = "factor"
"""The text of the percentage a verb such as "halves" or "verdubbelt" states."""
_USAGE = "usage_growth"
_WITH = frozenset({"with", "met", "of", "van"})
_ARTICLE_WORDS = frozenset({"an", "een"})
"""A thing after "with a" / "met een" describes what is counted; it is not counted itself."""
