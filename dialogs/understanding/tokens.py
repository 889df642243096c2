"""From text to tokens: numbers (``1.500``, ``12,5``, ``10%``, number words), certification codes
(``MB-210``), dates (``2026-03-03``) and words. A word unknown to the vocabulary is corrected to the
nearest known word with the same first letter when it is one edit away (two for long words; swapped
letters count as one edit), unless it is an ordinary word of its own (``common_words``: "close" is no
typo of "lose", "binnen" none of "winnen"), then reduced to a crude stem so that "certs",
"certificeringen" and "implementaties" match.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from dialogs.formatting import parse_number
from dialogs.understanding import words
from dialogs.understanding.numbers import amounts
from dialogs.understanding.text import (
    CERT,
    DMY_DATE,
    ISO_DATE,
    OF,
    TOKEN,
    Token,
    edit_distance,
    fold,
    stem,
    words_of,
)

CLAUSE = ","
"""The token a comma between words becomes: it ends a clause and is no word of the sentence. So does
the end of a sentence (``.``, ``?``, ``!``, ``;``, ``:`` before a space); its token keeps the mark as
its ``original``, and :data:`SENTENCE_ENDS` tells it from a comma."""
SENTENCE_ENDS = frozenset(".?!;:")
_COMMA = re.compile(r"[,;:.?!](?=\s)")
_CONTRACTED = re.compile(r"\b(?:(what|that|there|where|how|who|here)'?s|(it)'s)\b", re.IGNORECASE)
"""English "what's", "whats", "it's": the "is" is read, so "what's my score" reads like "what is my score"."""
_ENDING = {"'re": "are", "'m": "am", "n't": "not", "'ll": "will", "'ve": "have", "'d": "would"}
_ENDINGS = re.compile(r"(?<=\w)('re|'m|n't|'ll|'ve|'d)\b", re.IGNORECASE)

_BY = frozenset({"by", "met"})
_THE = frozenset({"the", "de"})
_WORD_LISTS = ("relative", "halves", "new_words", "reach_words", "obtain_words", "absolute",
               "absolute_strong", "absolute_before_number", "decrease",
               "stop_words", "months", "percent_words", "period_units", "period_ago", "past_words",
               "clause_words", "market_context", "hypothetical", "cosell_words", "follow_up",
               "why_words", "one_person", "one_more", "conditional", "follow_up_fillers", "one_of",
               "articles", "counted_people", "absolute_phrases", "absolute_after_metric", "not_markers",
               "points_words", "question_starts", "effect_questions", "store_requests",
               "hypothetical_starts", "growth_words", "frame_fillers", "greetings", "why_starts",
               "points_before", "reference_words", "two_words", "from_words", "none_words",
               "function_words", "ask_phrases", "all_metrics", "points_verbs", "comparatives", "level_words",
               "durations", "follow_up_enders", "look_words", "amount_verbs", "size_verbs",
               "own_possessives", "question_tails", "only_words", "soon_words")
_WORD_MAPS = ("factor_verbs",)


def vocabulary(ent: Mapping[str, Any], intents_doc: Mapping[str, Any], kinds: Sequence[str],
               number_words: Mapping[str, Decimal]) -> Counter[str]:
    """Every word the configuration knows, with how often it occurs (typo correction prefers the
    commoner word)."""
    vocab: Counter[str] = Counter()
    for kind in kinds:
        for phrases in ent[kind].values():
            for phrase in phrases:
                vocab.update(TOKEN.findall(fold(str(phrase))))
    for key in _WORD_LISTS:
        vocab.update(words_of(ent[key]))
    for key in ("with_more", *_WORD_MAPS):
        for listed in ent[key].values():
            vocab.update(words_of(listed))
    vocab.update(number_words)
    for spec in intents_doc["intents"].values():
        for sentence in [*spec.get("examples", []), *spec.get("cues", [])]:
            vocab.update(w for w in TOKEN.findall(fold(re.sub(r"\{\w+\}", " ", str(sentence))))
                         if not w[0].isdigit())
    return vocab


def number_words_of(ent: Mapping[str, Any]) -> dict[str, Decimal]:
    """The words of a number: ``words.yaml``'s, and ``entities.yaml``'s words for one person ("someone"),
    for two ("both") and counting words ("dozen")."""
    found = {fold(k): Decimal(v) for k, v in words.number_words().items()}
    found.update({fold(w): Decimal(1) for w in words_of(ent["one_person"])})
    found.update({fold(w): Decimal(2) for w in words_of(ent["two_words"])})
    found.update({fold(w): Decimal(str(n)) for n, listed in ent["counting_words"].items()
                  for w in words_of(listed)})
    return found


class Tokenizer:
    """Reads text into :class:`Token` s with the recognizer's vocabulary."""

    @classmethod
    def of(cls, ent: Mapping[str, Any], vocab: Counter[str],
           number_words: Mapping[str, Decimal]) -> Tokenizer:
        """The tokenizer of ``entities.yaml``'s word lists (a month's number is written with its first
        name)."""
        month_names = {int(n): fold(str(name)) for name, n in reversed(list(ent["months"].items()))}
        return cls(vocab, number_words, set(words_of(ent["percent_words"])), month_names,
                   [tuple(TOKEN.findall(fold(str(p)))) for p in ent["one_more"]],
                   [tuple(TOKEN.findall(fold(str(p)))) for p in ent["one_of"]],
                   words_of(ent["articles"]),
                   frozenset(words_of([*ent["stop_words"], *ent["function_words"], *ent["question_starts"],
                                       *ent["frame_fillers"]])),
                   frozenset(words_of(ent["common_words"])), frozenset(words_of(ent["pronoun_one"])),
                   halves=frozenset(words_of(ent["halves"])), quarters=frozenset(words_of(ent["quarters"])),
                   fractions=ent["fractions"])

    def __init__(self, vocab: Counter[str], number_words: Mapping[str, Decimal], percent_words: set[str],
                 month_names: Mapping[int, str], one_more: Sequence[tuple[str, ...]] = (),
                 one_of: Sequence[tuple[str, ...]] = (), articles: Sequence[str] = (),
                 plain: frozenset[str] = frozenset(), common: frozenset[str] = frozenset(),
                 pronoun_one: frozenset[str] = frozenset(), halves: frozenset[str] = frozenset(),
                 quarters: frozenset[str] = frozenset(), fractions: Mapping[Any, Any] | None = None) -> None:
        self.vocab = vocab
        self.one_more = [p for p in one_more if p]
        self.one_of = [p for p in one_of if p]
        self.articles = frozenset(articles)
        self.halves = halves
        self.quarters = quarters
        self.fractions = {fold(w): Decimal(str(n)) for n, listed in (fractions or {}).items()
                          for w in words_of(listed)}  # "by a fifth", "met de helft": a percentage
        self.plain = plain  # words that are never part of a compound ("somewhere" is no "some" + "where")
        self.common = common  # ordinary words, never read as a typo of another ("close" is no "lose")
        self.pronoun_one = pronoun_one  # "one" after these is a pronoun: "is that one counted"
        self.scale = {w: Decimal(f) for w, f in words.scale_words().items() if len(w) > 1}
        self.number_words = number_words
        self.percent_words = percent_words
        self.month_names = month_names
        self._by_length: dict[int, list[str]] = {}
        for word in vocab:
            self._by_length.setdefault(len(word), []).append(word)

    def correct_and_stem(self, word: str) -> str:
        return stem(self.correct(word))

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one Tokenizer per rule edition and process
    def correct(self, word: str) -> str:
        if word in self.vocab or word in self.common or len(word) < 4 or word[0].isdigit():
            return word
        if len(word) == 4:  # a short word only by two letters swapped: "lsot", "knwo"
            swapped = [c for c in self._by_length.get(4, ()) if sorted(c) == sorted(word)
                       and sum(a != b for a, b in zip(c, word, strict=True)) == 2
                       and any(c[k:k + 2] == word[k + 1] + word[k] for k in range(3))]
            return max(swapped, key=lambda c: self.vocab[c]) if swapped else word
        limit = 1 if len(word) < 8 else 2
        best: tuple[int, int, str] | None = None
        for length in range(len(word) - limit, len(word) + limit + 1):
            for candidate in self._by_length.get(length, ()):
                if candidate[0] != word[0]:
                    continue  # a slip of the first letter is rare; "kerst" is no "eerst", "night" no "eight"
                d = edit_distance(word, candidate, limit)
                if d <= limit and (best is None or (d, -self.vocab[candidate]) < best[:2]):
                    best = (d, -self.vocab[candidate], candidate)
        return best[2] if best else word

    def date_words(self, day: str, month: str, year: str) -> str:
        """``2026-03-03`` / ``3-3-2026`` → ``3 march 2026``, read below like a typed date."""
        name = self.month_names.get(int(month))
        return f" {int(day)} {name} {year} " if name else f" {day} {month} {year} "

    def tokens(self, text: str) -> list[Token]:
        cased = fold(text, lower=False).replace("\u2019", "'")
        cased = _CONTRACTED.sub(lambda m: f"{m.group(1) or m.group(2)} is", cased)
        cased = _ENDINGS.sub(lambda m: " " + _ENDING[m.group(1).lower()], cased)
        cased = ISO_DATE.sub(lambda m: self.date_words(m.group(3), m.group(2), m.group(1)), cased)
        cased = DMY_DATE.sub(lambda m: self.date_words(m.group(1), m.group(2), m.group(3)), cased)
        cased = CERT.sub(lambda m: f" cert{m.group(1)}{m.group(2)} ", cased)
        tokens: list[Token] = []
        at = 0
        for amount in [*amounts(cased), None]:  # numbers: the guided questions' reader
            article = False
            segment = cased[at:amount.start if amount else len(cased)]
            marks = [m.group(0) for m in _COMMA.finditer(segment)]
            for n, part in enumerate(_COMMA.split(segment)):
                if n:  # a comma between words ends a clause: "..., we 2 implementaties toevoegen"
                    tokens.append(Token("word", CLAUSE, marks[n - 1]))
                    article = False
                for original in TOKEN.findall(part):
                    before, last = len(tokens), tokens[-1] if tokens else None
                    if not (article and self._bare_scale(original, tokens)):
                        self.word_token(original, tokens)
                    if article and len(tokens) > before and tokens[before].kind != "number":
                        tokens[before].article = True  # "a deployment", "een collega", "an MB-700 holder"
                    if len(tokens) != before or (tokens and tokens[-1] is not last) \
                            or original.lower() in self.articles:
                        article = original.lower() in self.articles
            if amount is not None:
                if amount.value is not None:
                    plus = cased[:amount.start].rstrip().endswith("+")  # "+3 deployments"
                    tokens.append(Token("number", amount.text.lower(), amount.text, amount.value,
                                         amount.percent, plus))
                at = amount.end
        return self._fractions(self._one_of(self._one_more(tokens)))

    def _fractions(self, tokens: list[Token]) -> list[Token]:
        """"drop by a fifth", "met de helft dalen": a fraction after "a" / "een" or "by" / "met" (and
        "the" / "de") is that percentage, unless a number follows ("half a dozen")."""
        for i, t in enumerate(tokens):
            if t.kind != "word" or t.original.lower() not in self.fractions:
                continue
            before = [u.original.lower() for u in tokens[max(0, i - 2):i]]
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            led = t.article or (before[-1:] and before[-1] in _BY) or (
                len(before) == 2 and before[1] in _THE and before[0] in _BY) or (
                after is not None and after.original.lower() in OF)  # "half of our deployments"
            if led and not (after is not None and after.kind == "number"):
                tokens[i] = Token("number", t.text, t.original, self.fractions[t.original.lower()], True)
        return tokens

    def _one_of(self, tokens: list[Token]) -> list[Token]:
        """"een van onze collega's" → 1, van, onze, collega: the first word of a ``one_of`` phrase is 1."""
        words = [t.original.lower() if t.kind == "word" else "" for t in tokens]
        for i in range(len(tokens)):
            if any(tuple(words[i:i + len(p)]) == p for p in self.one_of):
                tokens[i] = Token("number", "1", tokens[i].original, Decimal(1))
        return tokens

    def _one_more(self, tokens: list[Token]) -> list[Token]:
        """"another colleague" → another, 1, colleague; "nog een collega" → nog, 1, collega."""
        words = [t.original.lower() if t.kind == "word" else "" for t in tokens]
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            phrase = next((p for p in self.one_more if tuple(words[i:i + len(p)]) == p), None)
            end = i + len(phrase) if phrase is not None else len(tokens)
            if end < len(tokens) and tokens[end].kind == "number":
                phrase = None  # "another 7,500 a month": the number is the amount
            if phrase is None:
                out.append(tokens[i])
                i += 1
                continue
            kept = tokens[i:i + len(phrase) - 1] if len(phrase) > 1 else tokens[i:i + 1]
            last = tokens[i + len(phrase) - 1]
            out += [*kept, Token("number", "1", last.original, Decimal(1))]
            i += len(phrase)
        return out

    def word_token(self, original: str, tokens: list[Token]) -> None:
        word = original.lower()
        cert = re.fullmatch(r"cert([a-z]{2})(\d{3})", word)
        if cert:
            tokens.append(Token("cert", f"{cert.group(1)}-{cert.group(2)}", word.upper()))
        elif word.startswith("zzz"):
            tokens.append(Token("word", word, original))
        elif word[0].isdigit():
            value = parse_number(word.rstrip("%"), "en")
            if value is not None:
                tokens.append(Token("number", word, original, value, word.endswith("%")))
        elif word in self.number_words and not (
                self.number_words[word] == 1 and tokens and tokens[-1].kind == "word"
                and tokens[-1].original.lower() in self.pronoun_one):
            value = self.number_words[word]
            last = tokens[-1] if tokens else None
            joined = (words.tens_and_unit(int(last.number), int(value))
                      if last is not None and last.kind == "number" and last.number is not None
                      and last.original.lower() in self.number_words and last.number == int(last.number)
                      and value == int(value) else None)
            if last is not None and joined is not None:  # "twenty-two", "twenty two"
                last.number, last.text = Decimal(joined), f"{last.text}-{word}"
                last.original = f"{last.original}-{original}"
            elif last is not None and last.kind == "word" and last.original.lower() in self.halves:
                tokens[-1] = Token("number", f"half-{word}", f"{last.original} {original}", value / 2)
            else:
                tokens.append(Token("number", word, original, value))
        elif word in self.scale and (share_of := self._share(tokens)) is not None:
            before, share, at = share_of
            value = self.scale[word] * share  # "half a million", "een kwart miljoen", "een miljoen",
            tokens[at:] = [Token(  # "a quarter of a million"
                "number", f"{before}-{word}", f"{' '.join(t.original for t in tokens[at:])} {original}",
                value.to_integral_value() if value == value.to_integral_value() else value)]
        elif word in self.scale and tokens and tokens[-1].kind == "number" and tokens[-1].number is not None \
                and ((last_word := re.split(r"[- ]", tokens[-1].original.lower())[-1]) in self.number_words
                     or last_word in self.scale):
            tokens[-1].number *= self.scale[word]  # "twelve thousand", "two hundred thousand"
            tokens[-1].original = f"{tokens[-1].original} {original}"
        elif (scaled := self._scaled(word)) is not None:
            tokens.append(Token("number", word, original, scaled))  # "twaalfduizend"
        elif word in self.percent_words and tokens and tokens[-1].kind == "number":
            tokens[-1].percent = True
        elif len(word) == 1 and word not in ("i", "u"):
            return  # the "s" of "month's", stray letters
        else:
            for part in self.parts(word):
                tokens.append(Token("word", self.correct_and_stem(part), original))

    def _bare_scale(self, original: str, tokens: list[Token]) -> bool:
        """A scale word right after "a" ("a hundred", "a million"): the stray "a" is no token, so the
        scale is the number; added to ``tokens`` when it is one."""
        scale = self.scale.get(original.lower())
        last = tokens[-1] if tokens else None
        if scale is None or (last is not None and last.kind != "word") or self._share(tokens) is not None:
            return False
        tokens.append(Token("number", original.lower(), original, scale))
        return True

    def _share(self, tokens: list[Token]) -> tuple[str, Decimal, int] | None:
        """The share of a scale word the words before it say, the first of those words and where it
        stands: "half" / "a" (1/2), "quarter" / "kwart" (1/4), an article (1), also before "of"
        ("a quarter of a million"; the stray "a" is no token)."""
        at = len(tokens) - 1
        if at >= 1 and tokens[at].kind == "word" and tokens[at].original.lower() in OF:
            at -= 1
        if at < 0 or tokens[at].kind != "word":
            return None
        before = tokens[at].original.lower()
        if before in self.halves:
            return before, Decimal(1) / 2, at
        if before in self.quarters:
            return before, Decimal(1) / 4, at
        if before in self.articles and at == len(tokens) - 1:
            return before, Decimal(1), at
        return None

    def _scaled(self, word: str) -> Decimal | None:
        """A Dutch number word written with its scales as one word: "twaalfduizend" → 12000,
        "tweehonderdduizend" → 200000, "honderdduizend" → 100000."""
        for scale, factor in self.scale.items():
            if word.endswith(scale) and len(word) > len(scale):
                head = word[:-len(scale)]
                value = self.number_words.get(head) or self.scale.get(head) or self._scaled(head)
                if value:
                    return value * factor
        return None

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one Tokenizer per rule edition and process
    def parts(self, word: str) -> tuple[str, ...]:
        """A Dutch compound the vocabulary does not know (nor a typo of a known word), read as its
        head ("totaalscore" → totaal, score; "partnermogelijkheidsscore" → score; "verbruikscijfers"
        → verbruik, cijfers; a known modifier with a head one slip away from a known word,
        "maandverbuik" → maand, verbruik):
        the head is the longest known word of four letters or more that ends it, the modifier is
        kept when it is known too (without a linking "s"). Function words are never parts, so
        "somewhere" stays one word."""
        if (word in self.vocab or word in self.common or len(word) < 8 or not word.isalpha()
                or self.correct(word) != word):
            return (word,)  # known, or a typo of a known word
        for cut in range(3, len(word) - 4):
            head = word[cut:]
            if head in self.vocab and len(head) >= 4 and head not in self.plain:
                known = self._modifier(word[:cut])
                return (known, head) if known else (head,)
        for cut in range(4, len(word) - 5):  # a slip in the head of a known modifier: "maandverbuik"
            known = self._modifier(word[:cut])
            head = word[cut:]
            if known and (fixed := self.correct(head)) != head and edit_distance(head, fixed, 1) <= 1:
                return (known, fixed)
        return (word,)

    def _modifier(self, modifier: str) -> str | None:
        """The known word a compound's modifier is (without a linking "s"), if any."""
        return next((m for m in (modifier, modifier[:-1] if modifier.endswith("s") else "")
                     if len(m) >= 4 and m in self.vocab and m not in self.plain), None)
