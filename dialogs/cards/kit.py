"""Small pure helpers that build Adaptive Card 1.5 dicts (Teams' maximum version).

Every helper returns plain ``dict``s that validate against the official 1.5 schema; the only
top-level extra is Teams' ``msteams`` (full width). Colours are never hard-coded: text uses the
semantic colours (``good``, ``attention``, ``warning``, ``accent``, ``default``) and containers the
semantic styles (``good``, ``attention``, ``warning``, ``emphasis``, ``accent``), which the Teams
host config maps for the light, dark and high-contrast themes.

Buttons are ``Action.Submit`` with ``data = {"verb": ..., "text": ...}`` (see :mod:`dialogs.turn`):
a click arrives as a message with empty text and that ``value``; the router handles it like the
typed ``text``.

    card(body, actions, fallback_text="...")   -> the card
    reply(card, fallback_text)                 -> an Activity carrying it, with a plain-text summary
    plain("**Bold** [x](https://a.example)")   -> the same words, never formatting or a link

TextBlock and FactSet texts are always read as markdown (bold, italic, lists, links; Teams also
turns web addresses into links), and a backslash escape is not honoured alike by every Teams client
(the Android and older iOS renderers show the backslash). Text a user typed (an offer name, an
answer repeated in a refusal) is therefore put in cards through :func:`plain`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity, Attachment

Card = dict[str, Any]
Element = dict[str, Any]
Action = dict[str, Any]

VERSION = "1.5"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_BYTES = 28 * 1024
"""Teams refuses messages above about 28 KB; every card stays below this."""

TEXT_COLOURS = frozenset({"default", "dark", "light", "accent", "good", "warning", "attention"})
CONTAINER_STYLES = frozenset({"default", "emphasis", "good", "attention", "warning", "accent"})
BAR_STEPS = 20
"""A metric bar is drawn with this many relative width units (5 % each), so tiny values stay visible."""


_LOOKALIKES = str.maketrans({
    "*": "\u2217",  # asterisk operator
    "_": "\uff3f",  # fullwidth low line
    "[": "\uff3b", "]": "\uff3d",  # fullwidth square brackets
    "<": "\u2039", ">": "\u203a",  # single angle quotation marks
    "`": "\u02cb",  # modifier letter grave accent
    "\\": "\uff3c",  # fullwidth reverse solidus
    "~": "\u223c",  # tilde operator
})
"""Markdown's inline signs, each replaced by a character that looks alike and means nothing to any
renderer (no backslash escapes: see the module docstring)."""
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_ADDRESS = re.compile(r"(?i)(://|\bwww\.)")
_LIST_MARK = re.compile(r"^(\s*)(?:([-+#])|(\d+)([.)]))(?=\s)")
_LIST_LOOKALIKES = {"-": "\u2010", "+": "\uff0b", "#": "\uff03", ".": "\u2024", ")": "\uff09"}


def plain(value: str) -> str:
    """``value`` as literal text for a TextBlock or a fact: markdown's signs (``* _ [ ] < > ` \\ ~``)
    replaced by look-alikes, web addresses broken (``://``, ``www.``) so no client links them, a list
    mark at the start (``- ``, ``1. ``) made inert, line breaks made spaces. Text without any of these
    is returned unchanged."""
    result = _LINE_BREAKS.sub(" ", value).translate(_LOOKALIKES)
    result = _ADDRESS.sub(lambda m: m.group(1).replace("/", "\u2215").replace(".", "\u2024"), result)

    def inert(match: re.Match[str]) -> str:
        space, sign, number, closer = match.groups()
        return space + (_LIST_LOOKALIKES[sign] if sign else number + _LIST_LOOKALIKES[closer])

    return _LIST_MARK.sub(inert, result)


def card(
    body: Sequence[Element],
    actions: Sequence[Action] = (),
    *,
    fallback_text: str,
    lang: str | None = None,
    full_width: bool = True,
) -> Card:
    """A top-level Adaptive Card 1.5 with a plain-text ``fallbackText``."""
    result: Card = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": list(body),
        "fallbackText": fallback_text,
    }
    if actions:
        result["actions"] = list(actions)
    if lang:
        result["lang"] = lang
    if full_width:
        result["msteams"] = {"width": "Full"}
    return result


def title(value: str, *, size: str = "Large") -> Element:
    """A heading (bold, wraps)."""
    return {"type": "TextBlock", "text": value, "size": size, "weight": "Bolder", "wrap": True,
            "style": "heading"}


def subtitle(value: str) -> Element:
    """A smaller bold heading for a section."""
    return {"type": "TextBlock", "text": value, "size": "Medium", "weight": "Bolder", "wrap": True,
            "spacing": "Medium"}


def text(
    value: str,
    *,
    subtle: bool = False,
    bold: bool = False,
    colour: str | None = None,
    size: str | None = None,
    spacing: str | None = None,
    separator: bool = False,
) -> Element:
    """A wrapping TextBlock. ``colour`` must be one of the semantic colours of :data:`TEXT_COLOURS`."""
    block: Element = {"type": "TextBlock", "text": value, "wrap": True}
    if subtle:
        block["isSubtle"] = True
    if bold:
        block["weight"] = "Bolder"
    if colour:
        if colour not in TEXT_COLOURS:
            raise ValueError(f"not a semantic text colour: {colour}")
        block["color"] = colour.capitalize()
    if size:
        block["size"] = size
    if spacing:
        block["spacing"] = spacing
    if separator:
        block["separator"] = True
    return block


def bullets(items: Iterable[str], *, subtle: bool = False) -> Element:
    """A markdown bullet list in one TextBlock (Teams renders ``- item`` lines as a list)."""
    return text("\n".join(f"- {item}" for item in items), subtle=subtle)


def fact_set(facts: Iterable[tuple[str, str]]) -> Element:
    """Label/value pairs."""
    return {"type": "FactSet", "facts": [{"title": str(t), "value": str(v)} for t, v in facts]}


def container(items: Sequence[Element], *, style: str | None = None, separator: bool = False,
              spacing: str | None = None) -> Element:
    """A group of elements, optionally on a semantic background (``good``, ``attention``, ``emphasis``...)."""
    block: Element = {"type": "Container", "items": list(items)}
    if style:
        if style not in CONTAINER_STYLES:
            raise ValueError(f"not a semantic container style: {style}")
        block["style"] = style
    if separator:
        block["separator"] = True
    if spacing:
        block["spacing"] = spacing
    return block


def columns(*cols: tuple[Sequence[Element], str | int]) -> Element:
    """A ColumnSet of ``(items, width)`` pairs; width is ``"auto"``, ``"stretch"`` or a relative weight."""
    return {
        "type": "ColumnSet",
        "columns": [{"type": "Column", "width": width, "items": list(items)} for items, width in cols],
    }


def metric_bar(fraction: float | Fraction | Decimal, *, style: str = "good",
               rest_style: str = "emphasis") -> Element:
    """A horizontal bar filled to ``fraction`` (clamped to 0..1).

    Drawn as a ColumnSet of two columns with relative widths on semantic container styles, so
    the host theme chooses the colours (readable in light, dark and high contrast).
    """
    if style not in CONTAINER_STYLES or rest_style not in CONTAINER_STYLES:
        raise ValueError("metric bars use semantic container styles only")
    share = min(max(Fraction(fraction), Fraction(0)), Fraction(1))
    filled = round(share * BAR_STEPS)
    if share > 0 and filled == 0:
        filled = 1  # some progress is never drawn as none
    if share < 1 and filled == BAR_STEPS:
        filled = BAR_STEPS - 1  # nor almost-full as full
    cols: list[Element] = []
    for width, col_style in ((filled, style), (BAR_STEPS - filled, rest_style)):
        if width:
            cols.append({"type": "Column", "width": width, "style": col_style, "minHeight": "8px",
                         "items": []})
    return {"type": "ColumnSet", "columns": cols, "spacing": "Small"}


def submit(title_: str, verb: str, *, text_: str | None = None, data: Mapping[str, Any] | None = None,
           style: str | None = None) -> Action:
    """An ``Action.Submit`` whose ``data`` is ``{"verb": verb, "text": text_ or title_, **data}``."""
    payload: dict[str, Any] = {"verb": verb, "text": text_ if text_ is not None else title_}
    if data:
        payload.update(data)
    action: Action = {"type": "Action.Submit", "title": title_, "data": payload}
    if style:
        if style not in ("default", "positive", "destructive"):
            raise ValueError(f"not an action style: {style}")
        action["style"] = style
    return action


def choice_buttons(choices: Iterable[tuple[str, str, str]]) -> list[Action]:
    """Submit buttons from ``(title, verb, text)`` triples, e.g. Yes / No / Don't know."""
    return [submit(t, verb, text_=said) for t, verb, said in choices]


def action_set(actions: Sequence[Action]) -> Element:
    """Buttons inside the body (e.g. under a section), not in the card's bottom action bar."""
    return {"type": "ActionSet", "actions": list(actions)}


def size_bytes(value: Card) -> int:
    """Bytes of the card as sent (compact UTF-8 JSON)."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def to_attachment(value: Card) -> Attachment:
    return CardFactory.adaptive_card(value)


def reply(value: Card, fallback_text: str | None = None, *, with_text: bool = False) -> Activity:
    """A message Activity carrying the card.

    ``summary`` (notifications, clients without cards) is the plain-text fallback; with
    ``with_text`` it is also the message text shown above the card.
    """
    fallback = fallback_text if fallback_text is not None else str(value.get("fallbackText", ""))
    activity: Activity = MessageFactory.attachment(to_attachment(value), text=fallback if with_text else None)
    activity.summary = fallback
    return activity
