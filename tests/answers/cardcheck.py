"""Reusable checks for every Adaptive Card the bot sends; import from any test.

    from tests.answers.cardcheck import assert_valid_card, cards_in

``assert_valid_card(card)`` checks a card dict against ``config/schemas/adaptive-card.1.5.0.json``
(the project's own copy), allows Teams' ``msteams`` as the only extra top-level
key, requires version 1.5 or lower, a non-empty ``fallbackText``, size under 28 KB, semantic colours
only (no ``#rrggbb``), and a ``verb`` in the data of every ``Action.Submit``.
``cards_in(activity_or_dict)`` pulls the Adaptive Card contents out of an Activity or its JSON.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from typing import Any

import fastjsonschema
import jsonschema

from tests.conftest import load_schema

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
MAX_BYTES = 28 * 1024
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b")


@functools.cache
def _validator() -> Any:
    schema = load_schema("adaptive-card.1.5.0.json")
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


@functools.cache
def _passes() -> Any:
    """The same schema compiled to Python (about 6 ms a card instead of 100 ms); jsonschema only
    runs when this one refuses a card, to say why."""
    return fastjsonschema.compile(load_schema("adaptive-card.1.5.0.json"))


def _schema_errors(body: dict[str, Any]) -> Iterator[Any]:
    try:
        _passes()(body)
    except fastjsonschema.JsonSchemaException:
        yield from sorted(_validator().iter_errors(body), key=lambda e: list(e.absolute_path))


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def card_errors(card: dict[str, Any]) -> list[str]:
    """Everything wrong with ``card``; empty when it is fine."""
    return list(_errors_of(json.dumps(card, ensure_ascii=False, sort_keys=True)))


@functools.lru_cache(maxsize=4096)
def _errors_of(canonical: str) -> tuple[str, ...]:
    """The checks of one card, by its canonical JSON: a conversation shows the same question card
    many times, and the schema check (anyOf over every element type) costs about 0.1 s a card."""
    card: dict[str, Any] = json.loads(canonical)
    problems: list[str] = []
    body = {k: v for k, v in card.items() if k != "msteams"}
    for top in _schema_errors(body):
        err = top
        while err.context:  # anyOf over element types: show the deepest relevant reason
            err = jsonschema.exceptions.best_match(err.context)
        where = "/".join(str(p) for p in err.absolute_path)
        problems.append(f"schema at /{where}: {err.message[:300]}")
    version = str(card.get("version", ""))
    try:
        if tuple(int(x) for x in version.split(".")) > (1, 5):
            problems.append(f"version {version} is above Teams' 1.5")
    except ValueError:
        problems.append(f"version {version!r} is not a version")
    if not str(card.get("fallbackText", "")).strip():
        problems.append("no plain-text fallbackText")
    size = len(json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size >= MAX_BYTES:
        problems.append(f"{size} bytes, Teams' limit is {MAX_BYTES}")
    raw = json.dumps(card, ensure_ascii=False)
    if _HEX_COLOUR.search(raw):
        problems.append("hard-coded colour found; use semantic colours/styles")
    for node in _walk(card):
        if node.get("type") == "Action.Submit":
            data = node.get("data")
            if not isinstance(data, dict) or not data.get("verb"):
                problems.append(f"Action.Submit {node.get('title')!r} has no verb in its data")
    return tuple(problems)


def assert_valid_card(card: dict[str, Any]) -> None:
    problems = card_errors(card)
    assert not problems, "invalid Adaptive Card:\n  " + "\n  ".join(problems)


def cards_in(activity: Any) -> list[dict[str, Any]]:
    """The Adaptive Card contents attached to an Activity (object or JSON dict)."""
    if not isinstance(activity, dict):
        activity = activity.serialize() if hasattr(activity, "serialize") else vars(activity)
    found: list[dict[str, Any]] = []
    for att in activity.get("attachments") or []:
        kind = att.get("contentType") or att.get("content_type")
        if kind == ADAPTIVE_CARD:
            content = att.get("content")
            if isinstance(content, str):
                content = json.loads(content)
            found.append(content)
    return found


def card_text(card: dict[str, Any]) -> str:
    """All visible texts of a card (TextBlocks, facts, button titles), one per line, to assert on."""
    parts: list[str] = []
    for node in _walk(card):
        kind = node.get("type")
        if kind == "TextBlock":
            parts.append(str(node.get("text", "")))
        elif kind == "FactSet":
            parts.extend(f"{f.get('title')}: {f.get('value')}" for f in node.get("facts", []))
        elif isinstance(kind, str) and kind.startswith("Action."):
            parts.append(str(node.get("title", "")))
    return "\n".join(parts)


def actions_of(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every button of a card, wherever Teams shows it: the action bar, rows of buttons (ActionSets)
    in the body, and the buttons of a card that a button opens (``Action.ShowCard``), in order."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Action."):
                found.append(node)
            for key in ("body", "items", "columns", "actions", "card"):
                walk(node.get(key))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


def clicks(card: dict[str, Any]) -> list[dict[str, Any]]:
    """What each possible click sends: the data of every ``Action.Submit`` and, for each choice of a
    drop-down (``Input.ChoiceSet``), the data of the card's first submit with the choice's value
    under the input's id, as Teams sends it when that choice is picked and the button clicked."""
    submits = [a for a in actions_of(card) if a.get("type") == "Action.Submit"]
    found = [dict(a["data"]) for a in submits]
    for node in _walk(card.get("body", [])):
        if node.get("type") == "Input.ChoiceSet" and submits:
            found += [{**submits[0]["data"], str(node["id"]): c["value"]} for c in node.get("choices", [])]
    return found
