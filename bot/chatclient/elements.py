"""How each Adaptive Card element reads as terminal text: :class:`CardContext` renders one card's
elements (text, facts, columns, bars drawn as columns, tables, images, inputs and buttons), and
:data:`ELEMENTS` maps each element type to its method. The turn's numbering of buttons is
:class:`bot.chatclient.render.TurnRenderer`'s (:class:`Numbering`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from bot.chatclient.clicks import Button, teams_submit
from bot.chatclient.text import BAR_EMPTY, BAR_FULL, plain, text_bar
from kernel.texts import catalog


class Numbering(Protocol):
    """What a card needs of the turn it is shown in (:class:`bot.chatclient.render.TurnRenderer`):
    its language, its width, and numbered button rows."""

    lang: str
    width: int

    def button_lines(self, buttons: Iterable[Button]) -> list[str]: ...

FILLED_STYLES = frozenset({"good", "attention", "warning", "accent"})
"""Container styles that mark the filled part of a bar drawn as a ColumnSet (``emphasis`` is the rest)."""


def _t(key: str, lang: str, **params: Any) -> str:
    return catalog().text(f"chat.render.{key}", lang, **params)


class CardContext:
    """One card being rendered: its inputs (sent with every submit) and its first submit action."""

    def __init__(self, renderer: Numbering, content: Mapping[str, Any], reply_to: str | None) -> None:
        self.renderer = renderer
        self.lang = renderer.lang
        self.reply_to = reply_to
        self.inputs: dict[str, Any] = {}
        _collect_inputs(content.get("body"), self.inputs)
        self.first_submit = _first_submit(content)

    # elements
    def elements(self, items: Any) -> list[str]:
        lines: list[str] = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, Mapping) or item.get("isVisible") is False:
                continue
            part = self.element(item)
            if part and lines and (item.get("separator") is True or _isheading(item)
                                   or str(item.get("spacing", "")).lower() in ("large", "extralarge")):
                lines.append("")
            lines.extend(part)
        return lines

    def element(self, item: Mapping[str, Any]) -> list[str]:
        kind = str(item.get("type", ""))
        handler = ELEMENTS.get(kind)
        if handler is not None:
            return handler(self, item)
        fallback = item.get("fallback")
        if isinstance(fallback, Mapping):
            return self.element(fallback)
        if fallback == "drop":
            return []
        lines: list[str] = []
        for key in ("title", "text", "value"):
            value = item.get(key)
            if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
                lines.extend(plain(value).split("\n"))
        for key in ("items", "body"):
            lines.extend(self.elements(item.get(key)))
        return lines

    def text_block(self, item: Mapping[str, Any]) -> list[str]:
        value = plain(item.get("text"))
        if not value:
            return []
        if _isheading(item):
            size = str(item.get("size", "")).lower()
            return heading(value, "─" if size == "medium" else "═")
        return value.split("\n")

    def rich_text(self, item: Mapping[str, Any]) -> list[str]:
        parts: list[str] = []
        inlines = item.get("inlines")
        for inline in inlines if isinstance(inlines, list) else []:
            if isinstance(inline, str):
                parts.append(inline)
            elif isinstance(inline, Mapping):
                parts.append(str(inline.get("text", "")))
        value = plain("".join(parts))
        return value.split("\n") if value else []

    def fact_set(self, item: Mapping[str, Any]) -> list[str]:
        facts = [(plain(f.get("title")), plain(f.get("value")))
                 for f in (item.get("facts") or []) if isinstance(f, Mapping)]
        if not facts:
            return []
        if all(_is_mark(title) for title, _ in facts):  # a checklist: "✓ Pitch deck uploaded"
            return [f"{title} {value}".strip() for title, value in facts]
        width = max(len(title) for title, _ in facts) + 1
        lines: list[str] = []
        for title, value in facts:
            first, *rest = value.split("\n") if value else [""]
            lines.append(f"{(title + ':').ljust(width)} {first}".rstrip())
            lines.extend(" " * (width + 1) + more for more in rest)
        return lines

    def container(self, item: Mapping[str, Any]) -> list[str]:
        lines = self.elements(item.get("items"))
        lines.extend(self._select_action(item))
        return lines

    def _select_action(self, item: Mapping[str, Any]) -> list[str]:
        action = item.get("selectAction")
        if not isinstance(action, Mapping):
            return []
        button = self.action(action)
        return self.renderer.button_lines([button]) if button else []

    def column_set(self, item: Mapping[str, Any]) -> list[str]:
        columns = [c for c in (item.get("columns") or []) if isinstance(c, Mapping)
                   and c.get("isVisible") is not False]
        bar = _bar_fraction(columns)
        if bar is not None:
            return [text_bar(bar)]
        rendered = [tidy(self.elements(c.get("items"))) for c in columns]
        rendered = [r for r in rendered if any(line.strip() for line in r)]
        lines: list[str]
        if not rendered:
            lines = []
        elif all(len(r) == 1 for r in rendered):
            lines = ["  ".join(r[0] for r in rendered)]
        else:
            lines = _side_by_side(rendered, self.renderer.width)
        for column in columns:
            lines.extend(self._select_action(column))
        lines.extend(self._select_action(item))
        return lines

    def image(self, item: Mapping[str, Any]) -> list[str]:
        alt = plain(item.get("altText"))
        return [_t("image", self.lang, alt=alt)] if alt else []

    def image_set(self, item: Mapping[str, Any]) -> list[str]:
        lines: list[str] = []
        for image in item.get("images") or []:
            if isinstance(image, Mapping):
                lines.extend(self.image(image))
        return lines

    def media(self, item: Mapping[str, Any]) -> list[str]:
        sources = [s.get("url") for s in (item.get("sources") or []) if isinstance(s, Mapping)]
        alt = plain(item.get("altText")) or (sources[0] if sources else "")
        return [_t("media", self.lang, alt=alt)] if alt else []

    def table(self, item: Mapping[str, Any]) -> list[str]:
        rows: list[list[str]] = []
        for row in item.get("rows") or []:
            if not isinstance(row, Mapping):
                continue
            cells = [c for c in (row.get("cells") or []) if isinstance(c, Mapping)]
            rows.append([" ".join(x.strip() for x in self.elements(c.get("items")) if x.strip())
                         for c in cells])
        if not rows:
            return []
        count = max(len(r) for r in rows)
        widths = [max((len(r[i]) for r in rows if i < len(r)), default=0) for i in range(count)]
        lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip() for r in rows]
        if item.get("firstRowAsHeader", True) and len(lines) > 1:
            lines.insert(1, "  ".join("─" * w for w in widths))
        return lines

    def action_set(self, item: Mapping[str, Any]) -> list[str]:
        actions = item.get("actions")
        return self.renderer.button_lines(self.actions(actions if isinstance(actions, list) else []))

    def choice_set(self, item: Mapping[str, Any]) -> list[str]:
        lines: list[str] = []
        label = plain(item.get("label") or item.get("placeholder"))
        if label:
            lines.append(label)
        input_id = str(item.get("id", ""))
        choices = [c for c in (item.get("choices") or []) if isinstance(c, Mapping)]
        if self.first_submit is not None and input_id:
            buttons = [self._submit(self.first_submit, plain(c.get("title")),
                                    extra={input_id: c.get("value")}) for c in choices]
            lines.extend(self.renderer.button_lines(buttons))
        else:
            lines.extend(f"  • {plain(c.get('title'))}" for c in choices)
        return lines

    def text_input(self, item: Mapping[str, Any]) -> list[str]:
        label = plain(item.get("label") or item.get("placeholder") or item.get("title"))
        value = item.get("value")
        if not label and value in (None, ""):
            return []
        shown = "" if value in (None, "") else str(value)
        return [f"{label}: [{shown}]" if label else f"[{shown}]"]

    # actions
    def actions(self, actions: Sequence[Any]) -> list[Button]:
        buttons = [self.action(a) for a in actions
                   if isinstance(a, Mapping) and a.get("isVisible") is not False]
        return [b for b in buttons if b is not None]

    def action(self, action: Mapping[str, Any]) -> Button | None:
        kind = str(action.get("type", ""))
        title = plain(action.get("title")) or plain(action.get("tooltip"))
        if kind == "Action.Submit":
            return self._submit(action, title)
        if kind == "Action.OpenUrl":
            url = str(action.get("url", ""))
            return Button(title or url, "url", url=url)
        if kind == "Action.ShowCard":
            card = action.get("card")
            return Button(title, "card", card=dict(card) if isinstance(card, Mapping) else None)
        if kind == "Action.Execute":
            data = action.get("data")
            value = {**self.inputs, **(data if isinstance(data, Mapping) else {})}
            return Button(title, "execute", value={"action": {"type": kind, "verb": action.get("verb"),
                                                               "data": value}}, reply_to=self.reply_to)
        fallback = action.get("fallback")
        if isinstance(fallback, Mapping):
            return self.action(fallback)
        if fallback == "drop" or not title:
            return None
        return Button(title, "unsupported")

    def _submit(
        self, action: Mapping[str, Any], title: str, extra: Mapping[str, Any] | None = None
    ) -> Button:
        data = action.get("data")
        if isinstance(data, Mapping):
            teams = data.get("msteams")
            if isinstance(teams, Mapping):
                return teams_submit(title, teams, self.reply_to)
            return Button(title, "submit", value={**self.inputs, **data, **(extra or {})},
                          reply_to=self.reply_to)
        if isinstance(data, str) and data:
            return Button(title, "text", text=data, reply_to=self.reply_to)
        return Button(title, "submit", value={**self.inputs, **(extra or {})}, reply_to=self.reply_to)


def _is_mark(title: str) -> bool:
    """A fact title that is a symbol (✓, ✗, ?, •) rather than a label."""
    return len(title) <= 2 and not any(ch.isalnum() for ch in title)


def _isheading(item: Mapping[str, Any]) -> bool:
    """A TextBlock that reads as a (sub)title: heading style, large, or medium and bold."""
    if item.get("type") != "TextBlock" or not set(str(item.get("text", ""))) - {BAR_FULL, BAR_EMPTY}:
        return False  # a bar drawn as large text is not a heading
    size = str(item.get("size", "")).lower()
    return (str(item.get("style", "")).lower() == "heading" or size in ("large", "extralarge")
            or (size == "medium" and str(item.get("weight", "")).lower() == "bolder"))


def heading(value: str, rule: str) -> list[str]:
    lines = value.split("\n")
    return [*lines, rule * min(max(len(line) for line in lines), 60)]


def tidy(lines: list[str]) -> list[str]:
    """Trailing spaces off, no leading/trailing or doubled blank lines."""
    result: list[str] = []
    for line in (x.rstrip() for x in lines):
        if not line and (not result or not result[-1]):
            continue
        result.append(line)
    while result and not result[-1]:
        result.pop()
    return result


def _side_by_side(columns: list[list[str]], width: int) -> list[str]:
    widths = [max(len(line) for line in c) for c in columns]
    if sum(widths) + 2 * (len(columns) - 1) > width:
        stacked: list[str] = []
        for column in columns:
            stacked.extend(column)
        return stacked
    height = max(len(c) for c in columns)
    return ["  ".join((c[i] if i < len(c) else "").ljust(widths[n]) for n, c in enumerate(columns)).rstrip()
            for i in range(height)]


def _weight(width: Any) -> float | None:
    if isinstance(width, bool):
        return None
    if isinstance(width, int | float):
        return float(width)
    if isinstance(width, str):
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*", width)
        if match:
            return float(match.group(1))
    return None


def _has_content(node: Any) -> bool:
    """Whether elements hold anything to show (text, facts, buttons, images, inputs)."""
    if isinstance(node, list):
        return any(_has_content(x) for x in node)
    if isinstance(node, Mapping):
        if isinstance(node.get("text"), str) and node["text"].strip():
            return True
        if any(node.get(key) for key in ("facts", "actions", "url", "choices", "inlines", "images", "rows")):
            return True
        if str(node.get("type", "")).startswith("Input."):
            return True
        return any(_has_content(node.get(key)) for key in ("items", "columns"))
    return False


def _bar_fraction(columns: Sequence[Mapping[str, Any]]) -> float | None:
    """The filled share of a bar drawn as empty columns with relative widths, else ``None``."""
    if not columns:
        return None
    weights = [_weight(c.get("width")) for c in columns]
    if any(w is None for w in weights) or any(_has_content(c.get("items")) for c in columns):
        return None
    total = sum(w for w in weights if w is not None)
    if total <= 0:
        return None
    styles = [str(c.get("style") or "").lower() for c in columns]
    if any(styles):
        filled = sum(w for w, s in zip(weights, styles, strict=True) if w is not None and s in FILLED_STYLES)
    elif len(columns) >= 2:
        filled = weights[0] or 0.0
    else:
        return None
    return filled / total


def _progress(context: CardContext, item: Mapping[str, Any]) -> list[str]:
    value, top = item.get("value"), item.get("max", 100)
    if isinstance(value, int | float) and isinstance(top, int | float) and top > 0:
        label = plain(item.get("label") or item.get("title"))
        bar = text_bar(float(value) / float(top))
        return [f"{label}  {bar}" if label else bar]
    return []


def _collect_inputs(items: Any, into: dict[str, Any]) -> None:
    """Input ids and their initial values, as a channel sends them with a submit."""
    if isinstance(items, list):
        for item in items:
            _collect_inputs(item, into)
    elif isinstance(items, Mapping):
        kind = str(items.get("type", ""))
        if kind.startswith("Input.") and items.get("id"):
            into[str(items["id"])] = "" if items.get("value") is None else items.get("value")
        for key in ("items", "columns", "body", "rows", "cells"):
            _collect_inputs(items.get(key), into)


def _first_submit(content: Mapping[str, Any]) -> Mapping[str, Any] | None:
    found: list[Mapping[str, Any]] = []

    def walk(node: Any) -> None:
        if found:
            return
        if isinstance(node, list):
            for x in node:
                walk(x)
        elif isinstance(node, Mapping):
            if node.get("type") == "Action.Submit":
                found.append(node)
                return
            for key in ("body", "items", "columns", "actions"):
                walk(node.get(key))

    walk(content.get("body"))
    walk(content.get("actions"))
    return found[0] if found else None


ELEMENTS = {
    "TextBlock": CardContext.text_block,
    "RichTextBlock": CardContext.rich_text,
    "FactSet": CardContext.fact_set,
    "Container": CardContext.container,
    "Column": CardContext.container,
    "ColumnSet": CardContext.column_set,
    "Image": CardContext.image,
    "ImageSet": CardContext.image_set,
    "Media": CardContext.media,
    "Table": CardContext.table,
    "ActionSet": CardContext.action_set,
    "Input.ChoiceSet": CardContext.choice_set,
    "Input.Text": CardContext.text_input,
    "Input.Number": CardContext.text_input,
    "Input.Date": CardContext.text_input,
    "Input.Time": CardContext.text_input,
    "Input.Toggle": CardContext.text_input,
    "ProgressBar": _progress,
}
