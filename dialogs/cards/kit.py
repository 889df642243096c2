"""Small pure helpers that build Adaptive Card 1.5 dicts (Teams' maximum version).

Every helper returns plain ``dict``s that validate against the official 1.5 schema; the only
top-level extra is Teams' ``msteams`` (full width). Colours are never hard-coded: text uses the
semantic colours (``good``, ``attention``, ``warning``, ``accent``, ``default``) and containers the
semantic styles (``good``, ``attention``, ``warning``, ``emphasis``, ``accent``), which the Teams
host config maps for the light, dark and high-contrast themes.

Buttons are ``Action.Submit`` with ``data = {"verb": ..., "text": ...}`` (see :mod:`dialogs.turn`):
a click arrives as a message with empty text and that ``value``; the router handles it like the
typed ``text``. A choice list or a number field is an input with the id ``text`` and one OK button
whose data has the verb only, so what the user picked or typed arrives as ``text`` all the same.

    card(body, actions)                        -> the card; its fallbackText is derived from the body
    reply(card)                                -> an Activity carrying it, with that plain-text summary
    plain("**Bold** [x](https://a.example)")   -> the same words, never formatting or a link

What Teams shows well, at 440 px (a chat message on desktop) and 320 px (a phone), measured with
Microsoft's renderer under the Teams host config (README, "Checking the cards"):

- Buttons in one row share its width and are cut off with an ellipsis when they do not fit:
  :func:`button_rows` packs buttons into rows that fit a phone, long lists become a compact
  :func:`choice_set` with one OK button.
- Coloured text is hard to read (``good`` and ``warning`` on white, ``attention`` in the dark theme):
  meaning is carried by a container style (``good`` / ``attention`` / ``emphasis`` backgrounds keep
  dark text in both themes), never by a text colour; :func:`text` accepts ``accent`` only.
- Coloured empty columns are nearly invisible on white: :func:`bar` draws a bar as text.

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

TEXT_COLOURS = frozenset({"default", "accent"})
"""Text colours readable in the light and the dark Teams theme (WCAG AA 4.5:1)."""
CONTAINER_STYLES = frozenset({"default", "emphasis", "good", "attention", "warning", "accent"})
BAR_STEPS = 10
"""A bar is this many characters long (10 % each); the exact value is written beside it."""
BAR_FULL = "\u2588"  # █
BAR_EMPTY = "\u2591"  # ░
ROW_WIDTH = 270
"""Pixels a row of buttons may take: a 320 px phone card has 288 px inside its padding."""
_CHAR_PX = 7.6
_BUTTON_PX = 28
_GAP_PX = 8


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
    lang: str | None = None,
    full_width: bool = True,
) -> Card:
    """A top-level Adaptive Card 1.5; its ``fallbackText`` is :func:`fallback_of` its body and buttons.

    ``actions`` that fit side by side on a phone are the card's action bar; more or longer ones
    become rows of buttons at the end of the body (:func:`button_rows`), so no title is cut off.
    """
    body = list(body)
    if actions and not fits([str(a.get("title", "")) for a in actions]):
        body += button_rows(actions)
        actions = ()
    result: Card = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": body,
        "fallbackText": fallback_of(body, actions),
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
    monospace: bool = False,
    right: bool = False,
) -> Element:
    """A wrapping TextBlock. ``colour`` must be one of :data:`TEXT_COLOURS` (``accent``: a link-like
    highlight); meaning (met, not met) goes in a :func:`container` style instead."""
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
    if monospace:
        block["fontType"] = "Monospace"
    if right:
        block["horizontalAlignment"] = "Right"
    return block


def bullets(items: Iterable[str], *, subtle: bool = False) -> Element:
    """A markdown bullet list in one TextBlock (Teams renders ``- item`` lines as a list)."""
    return text("\n".join(f"- {item}" for item in items), subtle=subtle)


def fact_set(facts: Iterable[tuple[str, str]]) -> Element:
    """Label/value pairs."""
    return {"type": "FactSet", "facts": [{"title": str(t), "value": str(v)} for t, v in facts]}


def pairs(facts: Iterable[tuple[str, str]]) -> Element:
    """Label/value pairs as ``label: value`` lines: a FactSet's label column squashes long labels to
    a word per line on a phone, a line just wraps. Both are shown as literal text (:func:`plain`)."""
    return container([text(f"{plain(str(label))}: {plain(str(value))}", spacing="Small")
                      for label, value in facts])


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


def bar(fraction: float | Fraction | Decimal, *, colour: str = "accent") -> Element:
    """A horizontal bar filled to ``fraction`` (clamped to 0..1), drawn as large text: :data:`BAR_STEPS`
    characters, ``█`` for the filled part and the lighter ``░`` for the rest. Text keeps its contrast
    in every theme, where coloured empty columns fade on white. ``colour`` is ``accent`` on the card's
    own background and ``default`` inside a coloured container (where the accent is too light).
    """
    if colour not in TEXT_COLOURS:
        raise ValueError(f"not a semantic text colour: {colour}")
    share = min(max(Fraction(fraction), Fraction(0)), Fraction(1))
    filled = int(share * BAR_STEPS + Fraction(1, 2))
    if share > 0 and filled == 0:
        filled = 1  # some progress is never drawn as none
    if share < 1 and filled == BAR_STEPS:
        filled = BAR_STEPS - 1  # nor almost-full as full
    return {"type": "TextBlock", "text": BAR_FULL * filled + BAR_EMPTY * (BAR_STEPS - filled),
            "color": colour.capitalize(), "size": "Large", "wrap": False}


def bar_share(element: Element) -> Fraction | None:
    """The filled share of a :func:`bar`, ``None`` for any other element."""
    drawn = str(element.get("text", "")) if element.get("type") == "TextBlock" else ""
    if not drawn or set(drawn) - {BAR_FULL, BAR_EMPTY}:
        return None
    return Fraction(drawn.count(BAR_FULL), len(drawn))


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


def button_px(title_: str) -> float:
    """About how wide Teams draws a button with this title (14 px Segoe UI semibold and padding)."""
    return len(title_) * _CHAR_PX + _BUTTON_PX


def fits(titles: Sequence[str], width: float = ROW_WIDTH) -> bool:
    """Whether buttons with these titles fit side by side in ``width`` pixels without being cut off."""
    return sum(button_px(t) for t in titles) + _GAP_PX * max(len(titles) - 1, 0) <= width


def button_rows(actions: Sequence[Action], width: float = ROW_WIDTH) -> list[Element]:
    """The buttons as rows (ActionSets) that each fit a phone, in order: Teams shares one row's width
    among its buttons and cuts their titles off, so ``[Yes] [No] [Don't know]`` stays one row and
    a long title gets a row of its own."""
    rows: list[list[Action]] = []
    for action in actions:
        if rows and fits([str(a.get("title", "")) for a in [*rows[-1], action]], width):
            rows[-1].append(action)
        else:
            rows.append([action])
    return [action_set(row) for row in rows]


def ok_button(title_: str, verb: str, data: Mapping[str, Any] | None = None) -> Action:
    """The submit of a card's inputs: its data has the verb (and ``data``) and no ``text``, which the
    input with the id ``text`` fills."""
    return {"type": "Action.Submit", "title": title_, "data": {"verb": verb, **(data or {})},
            "style": "positive"}


def alone(action: Action) -> Action:
    """``action`` without the card's inputs (``associatedInputs: none``): Help or Cancel on a card with
    a field sends its own text, never what was typed in the field (the field's id is ``text`` too)."""
    return {**action, "associatedInputs": "none"}


def choice_set(label: str, choices: Sequence[tuple[str, str]], *, placeholder: str,
               input_id: str = "text") -> list[Element]:
    """A label and a compact drop-down of ``(title, value)`` choices: one line on a phone, however
    many there are. The label is a TextBlock of its own (an input's own label is drawn without the
    theme's text colour by some renderers), and nothing is required: an empty OK is refused by the
    dialog like an empty typed answer, in words."""
    return [text(label, bold=True, spacing="Medium"),
            {"type": "Input.ChoiceSet", "id": input_id, "style": "compact", "placeholder": placeholder,
             "wrap": True, "spacing": "Small", "choices": [{"title": t, "value": v} for t, v in choices]}]


def number_input(label: str, *, placeholder: str, input_id: str = "text") -> list[Element]:
    """A label and a number field (the amount is typed, no choice is cut off). The dialog checks the
    number and says what is wrong with it."""
    return [text(label, bold=True, spacing="Medium"),
            {"type": "Input.Number", "id": input_id, "placeholder": placeholder, "spacing": "Small"}]


def show_card(title_: str, body: Sequence[Element]) -> Action:
    """A button that opens more of the same answer under it (Teams: inline), e.g. a full list."""
    return {"type": "Action.ShowCard", "title": title_,
            "card": {"type": "AdaptiveCard", "version": VERSION, "body": list(body)}}


def fallback_of(body: Sequence[Element], actions: Sequence[Action] = ()) -> str:
    """The plain-text version of a card: its texts in order, a row of columns on one line, a fact as
    ``title: value``, buttons and choices as ``A / B``; bars and hidden details left out."""
    lines: list[str] = []
    for element in body:
        lines += _element_lines(element)
    titles = [str(a.get("title", "")) for a in actions if a.get("title")]
    if titles:
        lines.append(" / ".join(titles))
    return "\n".join(line for line in lines if line.strip())


def _element_lines(element: Element) -> list[str]:
    kind = element.get("type")
    if element.get("isVisible") is False:
        return []
    if kind == "TextBlock":
        return [] if bar_share(element) is not None else [str(element.get("text", "")).replace("**", "")]
    if kind == "RichTextBlock":
        runs = [run for run in element.get("inlines", []) if isinstance(run, dict)]
        return ["".join(str(run.get("text", "")) for run in runs)]
    if kind == "FactSet":
        return [f"{f['title']} {f['value']}" if _is_mark(str(f["title"])) else f"{f['title']}: {f['value']}"
                for f in element.get("facts", [])]
    if kind == "Container":
        return [line for item in element.get("items", []) for line in _element_lines(item)]
    if kind == "ColumnSet":
        parts = [" ".join(line for item in column.get("items", []) for line in _element_lines(item))
                 for column in element.get("columns", [])]
        return [" ".join(p for p in parts if p)]
    if kind == "ActionSet":
        return [" / ".join(str(a.get("title", "")) for a in element.get("actions", []))]
    if kind == "Input.ChoiceSet":
        return [" / ".join(str(c["title"]) for c in element.get("choices", []))]
    return []


def _is_mark(value: str) -> bool:
    return len(value) <= 2 and not any(ch.isalnum() for ch in value)


def size_bytes(value: Card) -> int:
    """Bytes of the card as sent (compact UTF-8 JSON)."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def to_attachment(value: Card) -> Attachment:
    return CardFactory.adaptive_card(value)


def reply(value: Card, *, with_text: bool = False) -> Activity:
    """A message Activity carrying the card.

    The card's ``fallbackText`` is the activity's ``summary`` (notifications, clients without
    cards); with ``with_text`` it is also the message text shown above the card.
    """
    fallback = str(value.get("fallbackText", ""))
    activity: Activity = MessageFactory.attachment(to_attachment(value), text=fallback if with_text else None)
    activity.summary = fallback
    return activity
