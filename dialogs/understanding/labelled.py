"""The labelled sentences of ``config/recognizer/sentences.yaml`` as examples the recognizer learns
from: each sentence with an intent and no ``context`` is one more example of its intent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kernel.errors import InputError


def learned(sentences_doc: Mapping[str, Any], intents: Sequence[str]) -> list[tuple[str, str]]:
    """The labelled sentences of ``sentences.yaml`` that are examples: (intent, text) of each one with
    an intent and no ``context`` (a follow-up is read with the answer it follows), in every part and
    language. A label that names no intent of ``intents`` is a mistake in the file, said with where."""
    found: list[tuple[str, str]] = []
    for part, languages in sentences_doc.items():
        if part == "read_on":
            continue
        for language, cases in (languages or {}).items():
            for n, case in enumerate(cases or [], 1):
                intent = case.get("intent")
                if intent is not None and intent not in intents:
                    raise InputError(f"{part}.{language}[{n}]: unknown intent {intent!r}",
                                     code="recognizer_config", params={"problem": f"unknown intent {intent}"},
                                     source="sentences.yaml")
                if intent is not None and not case.get("context"):
                    found.append((str(intent), str(case["text"])))
    return found
