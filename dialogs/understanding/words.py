"""Short answers people type instead of clicking a button ("ja", "no", "weet ik niet", "help") and the
words of numbers, from ``config/recognizer/words.yaml``.

Each kind has English and Dutch alternatives; an answer is recognised in either language, whatever the
reply language is, so a Dutch admin who types "yes" is understood.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from kernel.errors import InputError
from kernel.files import config_dir, load_yaml_file
from kernel.texts import LANGUAGES

_NOISE = re.compile(r"[\s.!,;:'\"’`]+")
_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE)


def normalise(text: str) -> str:
    """Lower case, Teams mentions removed, punctuation and spacing collapsed to single spaces."""
    return _NOISE.sub(" ", _MENTION.sub(" ", text).lower()).strip()


@functools.cache
def _document() -> Mapping[str, Mapping[str, list[str]]]:
    path = config_dir() / "recognizer" / "words.yaml"
    data: Any = load_yaml_file(path)
    if not isinstance(data, dict):
        raise InputError("the word lists must be a mapping of kinds", code="recognizer_config",
                         params={"problem": "not a mapping"}, source=str(path))
    for kind, langs in data.items():
        lists = isinstance(langs, dict) and set(langs) == set(LANGUAGES) and all(
            isinstance(items, list) and all(isinstance(w, str) for w in items) for items in langs.values())
        if not isinstance(kind, str) or not lists:
            raise InputError(f"word kind '{kind}' must list text words for each of {', '.join(LANGUAGES)}"
                             " (quote yes, no, on and off)", code="recognizer_config",
                             params={"problem": f"{kind}: not lists of words"}, source=str(path),
                             field=str(kind))
    return data


def listed(kind: str, lang: str) -> list[str]:
    """The words of ``kind`` in ``lang``, in their order (for ``numbers``: 0, 1, 2, ...)."""
    return list(_document()[kind][lang])


def has_kind(kind: str) -> bool:
    return kind in _document()


@functools.cache
def words(kind: str) -> frozenset[str]:
    """Every way of saying ``kind`` (``yes``, ``no``, ``unknown``, ``help``...), normalised."""
    return frozenset(normalise(w) for lang in LANGUAGES for w in listed(kind, lang) if normalise(w))


def is_word(text: str, kind: str) -> bool:
    return normalise(text) in words(kind)


def which(text: str, kinds: tuple[str, ...]) -> str | None:
    """The first of ``kinds`` that ``text`` says, or ``None``."""
    said = normalise(text)
    for kind in kinds:
        if said in words(kind):
            return kind
    return None


@functools.cache
def number_words() -> Mapping[str, int]:
    """Number words of both languages → value: ``numbers`` (0, 1, 2, ...), ``tens`` (20 ... 90) and the
    Dutch compounds of both ("tweeëntwintig", "vierendertig")."""
    found: dict[str, int] = {}
    for lang in LANGUAGES:
        for index, word in enumerate(listed("numbers", lang)):
            found.setdefault(word.strip().lower(), index)
        for index, word in enumerate(listed("tens", lang), 2):
            found.setdefault(word.strip().lower(), 10 * index)
    units = [w.strip().lower() for w in listed("numbers", "nl")[1:10]]
    for index, tens in enumerate(listed("tens", "nl"), 2):
        for unit, name in enumerate(units, 1):  # Dutch writes 22 as one word: "tweeëntwintig"
            plain = name.replace("é", "e")
            joint = "ën" if plain.endswith("e") else "en"
            found.setdefault(f"{name}{joint}{tens.strip().lower()}", 10 * index + unit)
            found.setdefault(f"{plain}en{tens.strip().lower()}", 10 * index + unit)
    return found


def tens_and_unit(first: int, second: int) -> int | None:
    """ "twenty" then "two" is 22 (English writes "twenty-two" as two words): the sum when ``first``
    is a ten of ``tens`` and ``second`` a unit of 1 to 9, else ``None``."""
    return first + second if first in _tens() and 1 <= second <= 9 else None


@functools.cache
def _tens() -> frozenset[int]:
    return frozenset(10 * index for lang in LANGUAGES for index, _ in enumerate(listed("tens", lang), 2))


@functools.cache
def scale_words() -> Mapping[str, int]:
    """Words that scale the number before them: ``hundred`` → 100; ``k``, ``duizend`` → 1000; the Dutch
    ``ton`` → 100,000; ``mln``, ``miljoen`` → 10⁶."""
    found: dict[str, int] = {}
    for kind, factor in (("hundred", 100), ("thousand", 1000), ("hundred_thousand", 100000),
                         ("million", 1000000)):
        for lang in LANGUAGES:
            for word in listed(kind, lang):
                if word.strip():
                    found[word.strip().lower()] = factor
    return found
