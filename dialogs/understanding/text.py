"""Reading words the same way everywhere in the recognizer: folding (mentions, HTML, case, accents),
a crude English/Dutch stem, typo distance, the token a sentence is read into, and word-list helpers.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kernel.errors import InputError

MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[^>]+>")
CERT = re.compile(r"\b([a-z]{2})\s?-\s?(\d{3})\b", re.IGNORECASE)
TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[a-z0-9&_]+", re.IGNORECASE)
ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
OF = frozenset({"of", "van"})
"""The word that joins a part to its whole or a name to its thing ("half of our deployments", "de drempel
van 10.000")."""
DMY_DATE = re.compile(r"\b(\d{1,2})-(\d{1,2})-(\d{4})\b")


@functools.lru_cache(maxsize=16384)
def fold(text: str, *, lower: bool = True) -> str:
    """Lower-case, Teams mentions and HTML removed, ``één`` → ``1``, accents folded (a text read again,
    as every word of the configuration is, is folded once)."""
    text = MENTION.sub(" ", text)
    text = TAG.sub(" ", text).replace("&nbsp;", " ").replace("\u00a0", " ")
    if lower:
        text = text.lower()
    text = re.sub(r"\b[eéEÉ][éÉ][nN]\b", "1", text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A crude, symmetric stem: enough to equate singular and plural in English and Dutch."""
    if len(word) > 7 and word.endswith("ingen"):
        return word[:-5]  # "certificeringen" as "certificering"
    if len(word) > 5 and word.endswith("en"):
        return word[:-2]
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]  # "counting" as "count", "certificering" as "certificeringen"
    if len(word) > 5 and word.endswith("ed") and not word.endswith("eed"):
        return word[:-2]  # "needed" as "need"
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a swap of two letters is one edit), capped at ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@dataclass
class Token:
    kind: str  # "word" | "number" | "cert"
    text: str  # the normalised (corrected, stemmed) word, or the number as typed
    original: str  # as the user wrote it (case kept), for offer names
    number: Decimal | None = None
    percent: bool = False
    plus: bool = False  # a number typed with "+" ("+3 deployments"): a change, never a new total
    article: bool = False  # right after "a", "an" or "een" ("a deployment", "een collega")



def contains(sequence: Sequence[str], phrase: Sequence[str]) -> bool:
    """``phrase`` occurs in ``sequence``, word for word."""
    n = len(phrase)
    if n == 0 or phrase[0] not in sequence:  # most phrases are not there at all: one quick look
        return False
    phrase = tuple(phrase)
    return any(tuple(sequence[i:i + n]) == phrase for i in range(len(sequence) - n + 1))


def words_of(items: Iterable[Any]) -> list[str]:
    for item in items:
        if isinstance(item, bool):  # YAML 1.1 reads a bare yes/no/on/off as a boolean: quote it
            raise InputError(f"a word list holds {item}: quote yes, no, on and off",
                             code="recognizer_config", params={"problem": f"unquoted {item}"})
    return [w for item in items for w in TOKEN.findall(fold(str(item)))]


def phrase_words(text: str) -> list[str]:
    """The words of a configured phrase as a read sentence keeps them: a stray single letter ("a" of
    "a month from now") is dropped there, so it is dropped here too."""
    return [w for w in TOKEN.findall(fold(text)) if len(w) > 1 or w in ("i", "u") or w[0].isdigit()]

