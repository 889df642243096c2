"""Short answers people type instead of clicking a button: "ja", "no", "weet ik niet", "help".

The words live in the text catalog (``guided.words.<kind>``: alternatives separated by ``|``), in
English and Dutch; an answer is recognised in either language, whatever the reply language is, so a
Dutch admin who types "yes" is understood.
"""

from __future__ import annotations

import functools
import re

from kernel.texts import LANGUAGES, catalog

_NOISE = re.compile(r"[\s.!,;:'\"’`]+")
_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE)


def normalise(text: str) -> str:
    """Lower case, Teams mentions removed, punctuation and spacing collapsed to single spaces."""
    return _NOISE.sub(" ", _MENTION.sub(" ", text).lower()).strip()


@functools.cache
def words(kind: str) -> frozenset[str]:
    """Every way of saying ``kind`` (``yes``, ``no``, ``unknown``, ``help``...), normalised."""
    found: set[str] = set()
    for lang in LANGUAGES:
        for word in catalog().text(f"guided.words.{kind}", lang).split("|"):
            if normalise(word):
                found.add(normalise(word))
    return frozenset(found)


def is_word(text: str, kind: str) -> bool:
    return normalise(text) in words(kind)


def which(text: str, kinds: tuple[str, ...]) -> str | None:
    """The first of ``kinds`` that ``text`` says, or ``None``."""
    said = normalise(text)
    for kind in kinds:
        if said in words(kind):
            return kind
    return None
