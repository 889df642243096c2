"""The recognizer of ``config/recognizer``: built once per rule edition and process, and
:func:`recognize` with the results of the last texts kept."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from dialogs.understanding import words as answer_words
from dialogs.understanding.recognition import Recognition
from dialogs.understanding.recognizer import RECOGNITION_CACHE_SIZE, Recognizer, _next_month
from kernel import clock
from kernel.errors import InputError
from kernel.files import config_dir, load_yaml_file
from scoring import api

__all__ = ["COMMAND_WORDS", "is_command_word", "plausible_limit", "recognize", "recognizer"]


def recognizer(edition: str | None = None) -> Recognizer:
    """The recognizer of ``config/recognizer`` with the vocabulary of ``edition`` (default: the rule
    edition in force today), built once per edition and process."""
    return _recognizer(edition or api.edition_on(clock.today()).id)


@functools.cache
def _recognizer(edition: str) -> Recognizer:
    intents, entities, sentences = _configuration()
    return Recognizer(intents, entities, api.get_edition(edition), sentences)


@functools.cache
def _configuration() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The intents, entities and labelled sentences of ``config/recognizer``, read once for every
    edition."""
    folder = config_dir() / "recognizer"
    intents, entities, sentences = (load_yaml_file(folder / name)
                                    for name in ("intents.yaml", "entities.yaml", "sentences.yaml"))
    if not all(isinstance(doc, dict) for doc in (intents, entities, sentences)):
        raise InputError("the recognizer configuration must be mappings", code="recognizer_config",
                         params={"problem": "not a mapping"}, source=str(folder))
    return intents, entities, sentences


def recognize(text: str, locale: str | None = None, *, known_offers: Sequence[str] = (),
              edition: str | None = None) -> Recognition:
    """What ``text`` asks (see :class:`Recognizer`), with the vocabulary of ``edition`` (default: the
    rule edition in force today). The same text (with the same offer names and edition) is read
    once: the result of the last :data:`RECOGNITION_CACHE_SIZE` texts is kept (the locale does not
    change it)."""
    return _recognize_cached(text, tuple(known_offers), edition or api.edition_on(clock.today()).id,
                             _next_month())


@functools.lru_cache(maxsize=RECOGNITION_CACHE_SIZE)
def _recognize_cached(text: str, known_offers: tuple[str, ...], edition: str, next_month: int) -> Recognition:
    del next_month  # a key of the cache only: "in januari" is next month in December, not in June
    return recognizer(edition).recognize(text, None, known_offers=known_offers)


def plausible_limit(metric: str, edition: str | None = None) -> Decimal:
    """The largest plausible amount of ``metric`` (``plausible`` in ``entities.yaml``: people,
    adds, deployments, consumption value): the one limit for what-ifs, updates and data entry."""
    return recognizer(edition).change_reader.plausible.get(metric, Decimal("Infinity"))


COMMAND_WORDS = ("help", "cancel", "stop")
"""Kinds of ``words.yaml`` that are commands when typed on their own."""


def is_command_word(text: str) -> bool:
    """``text`` is exactly a command word ("help", "annuleer", "stop"), nothing more: "Tulp Analytics",
    "Help Desk Pro" and "Stop Fraud Suite" are not commands (they are names)."""
    return answer_words.which(text, COMMAND_WORDS) is not None
