"""Buttons and clicks: what a card or a suggested action offers, how it is numbered on screen, which
button a typed line clicks (``2``, ``[2]`` or its title), and what the channel then sends.

A :class:`Button` is ``submit`` (send ``value``), ``text`` (send ``text``, and ``value`` when set:
imBack, messageBack, postBack), ``url`` (show ``url``), ``card`` (open ``card``), or ``unsupported``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.chatclient.text import plain

Json = dict[str, Any]

MAX_LINE = 100
"""Button rows (and the renderer's side-by-side columns) wider than this are broken up."""


@dataclass(frozen=True)
class Button:
    """Something the user can click.

    ``kind`` is ``submit`` (send ``value``), ``text`` (send ``text``, and ``value`` when set: imBack,
    messageBack, postBack), ``url`` (show ``url``), ``card`` (open ``card``), or ``unsupported``.
    """

    title: str
    kind: str
    value: Any = None
    text: str = ""
    url: str = ""
    card: Json | None = None
    reply_to: str | None = None


def button_row(numbered: Sequence[tuple[int, str]], width: int = MAX_LINE) -> list[str]:
    """``[1] Yes  [2] No``, broken over several lines when wider than ``width``."""
    rows: list[str] = []
    current = ""
    for number, title in numbered:
        item = f"[{number}] {title}"
        if current and len(current) + 2 + len(item) > width:
            rows.append(current)
            current = item
        else:
            current = f"{current}  {item}" if current else item
    if current:
        rows.append(current)
    return rows


def teams_submit(title: str, teams: Mapping[str, Any], reply_to: str | None) -> Button:
    """Teams' ``msteams`` submit flavours: imBack, messageBack, signin (others are not supported)."""
    kind = str(teams.get("type", ""))
    if kind == "imBack":
        return Button(title, "text", text=str(teams.get("value", "")), reply_to=reply_to)
    if kind == "messageBack":
        return Button(title, "text", text=str(teams.get("text", "")), value=teams.get("value"),
                      reply_to=reply_to)
    if kind == "signin":
        return Button(title, "url", url=str(teams.get("value", "")))
    return Button(title, "unsupported")


def card_action(action: Any, reply_to: str | None) -> Button | None:
    """A Bot Framework ``CardAction`` (hero card button, suggested action)."""
    if not isinstance(action, Mapping):
        return None
    kind = str(action.get("type", ""))
    value = action.get("value")
    title = plain(action.get("title")) or plain(action.get("displayText")) or plain(value)
    if kind in ("imBack", "postBack"):
        return Button(title, "text", text=str(value if value is not None else title), reply_to=reply_to)
    if kind == "messageBack":
        return Button(title, "text", text=str(action.get("text") or ""), value=value, reply_to=reply_to)
    if kind in ("openUrl", "signin", "downloadFile", "showImage", "playAudio", "playVideo"):
        return Button(title, "url", url=str(value or ""))
    return Button(title, "unsupported") if title else None


_CLICK = re.compile(r"\[\s*(\d+)\s*\]")


def is_click_syntax(line: str) -> bool:
    """``[n]``: always meant as a click, even when there is no button ``n``."""
    return _CLICK.fullmatch(line.strip()) is not None


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip(" \t.!?:;,'\"“”‘’()[]-–—•✓✗")


def resolve_click(
    line: str, buttons: Sequence[Button], start: int = 1, *, bare_numbers: bool = True
) -> int | None:
    """The number of the button ``line`` clicks: ``[2]``, ``2`` (with ``bare_numbers``) or its title.

    ``buttons[i]`` has number ``start + i``. A title shared by several buttons clicks the last one
    (the newest card). Returns ``None`` when ``line`` is a message to send as typed.
    """
    stripped = line.strip()
    match = _CLICK.fullmatch(stripped) or (re.fullmatch(r"(\d+)", stripped) if bare_numbers else None)
    if match:
        number = int(match.group(1))
        return number if start <= number < start + len(buttons) else None
    wanted = _normal(stripped)
    if not wanted:
        return None
    for index in range(len(buttons) - 1, -1, -1):
        if _normal(buttons[index].title) == wanted:
            return start + index
    return None
