"""Bot replies as terminal text: Adaptive Cards, hero cards, suggested actions and plain messages.

Pure functions from the activity JSON a channel receives to lines of text and the buttons they
show, numbered across one turn's replies (``[1] Yes  [2] No``). What a button is and which one a
typed line clicks is :mod:`bot.chatclient.clicks`; markdown made plain and text bars are
:mod:`bot.chatclient.text`; how each card element reads is :mod:`bot.chatclient.elements`.

Unknown elements degrade gracefully: an element the renderer does not know shows its ``fallback``
(Adaptive Card semantics) or, failing that, any ``text`` it holds. A card with nothing renderable
shows its ``fallbackText``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.chatclient.clicks import (
    MAX_LINE,
    Button,
    button_row,
    card_action,
    is_click_syntax,
    resolve_click,
)
from bot.chatclient.elements import CardContext, heading, tidy
from bot.chatclient.text import BAR_EMPTY, BAR_FULL, BAR_WIDTH, plain, text_bar
from kernel.texts import catalog

__all__ = [  # the chat client's rendering API; clicks and text live in their own modules
    "BAR_EMPTY", "BAR_FULL", "BAR_WIDTH", "MAX_LINE", "Button", "Rendered", "TurnRenderer", "button_row",
    "card_action", "is_click_syntax", "plain", "render_turn", "resolve_click", "text_bar",
]

Json = dict[str, Any]

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
HERO_CARD = "application/vnd.microsoft.card.hero"
THUMBNAIL_CARD = "application/vnd.microsoft.card.thumbnail"



@dataclass
class Rendered:
    """Lines to print and the buttons they number, in order (button ``n`` is ``buttons[n - start]``)."""

    lines: list[str] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)


def _t(key: str, lang: str, **params: Any) -> str:
    return catalog().text(f"chat.render.{key}", lang, **params)


# --- the renderer -------------------------------------------------------------------------------


class TurnRenderer:
    """Renders the replies of one turn, numbering their buttons from ``start``.

    ``width`` is where rows of buttons and side-by-side columns break; text lines are left whole.
    """

    def __init__(self, lang: str, start: int = 1, width: int = MAX_LINE) -> None:
        self.lang = lang
        self.start = start
        self.width = width
        self.buttons: list[Button] = []

    # buttons
    def _number(self, button: Button) -> int:
        self.buttons.append(button)
        return self.start + len(self.buttons) - 1

    def button_lines(self, buttons: Iterable[Button]) -> list[str]:
        return button_row([(self._number(b), b.title) for b in buttons], self.width)

    # activities
    def activity(self, activity: Mapping[str, Any]) -> list[str]:
        """Lines for one activity the bot sent (a message; other types give no lines)."""
        if activity.get("type", "message") != "message":
            return []
        reply_to = str(activity.get("id") or "") or None
        lines: list[str] = []
        text = plain(activity.get("text"))
        if text:
            lines.extend(text.split("\n"))
        attachments = activity.get("attachments")
        for attachment in attachments if isinstance(attachments, list) else []:
            if not isinstance(attachment, Mapping):
                continue
            part = self.attachment(attachment, reply_to)
            if part and lines:
                lines.append("")
            lines.extend(part)
        suggested = activity.get("suggestedActions")
        if isinstance(suggested, Mapping) and isinstance(suggested.get("actions"), list):
            buttons = [b for b in (card_action(a, reply_to) for a in suggested["actions"]) if b]
            lines.extend(self.button_lines(buttons))
        if not lines:
            summary = plain(activity.get("summary"))
            if summary:
                lines.extend(summary.split("\n"))
        return lines

    def attachment(self, attachment: Mapping[str, Any], reply_to: str | None) -> list[str]:
        content_type = str(attachment.get("contentType", ""))
        content = attachment.get("content")
        if content_type == ADAPTIVE_CARD and isinstance(content, Mapping):
            return self.card(content, reply_to)
        if content_type in (HERO_CARD, THUMBNAIL_CARD) and isinstance(content, Mapping):
            return self.hero(content, reply_to)
        name = attachment.get("name") or attachment.get("contentUrl") or content_type
        return [_t("attachment", self.lang, name=name)]

    def hero(self, content: Mapping[str, Any], reply_to: str | None) -> list[str]:
        lines: list[str] = []
        for key in ("title", "subtitle", "text"):
            value = plain(content.get(key))
            if value:
                lines.extend(heading(value, "═") if key == "title" else value.split("\n"))
        raw = content.get("buttons")
        buttons = [b for b in (card_action(a, reply_to) for a in raw) if b] if isinstance(raw, list) else []
        lines.extend(self.button_lines(buttons))
        return lines

    def card(self, content: Mapping[str, Any], reply_to: str | None = None) -> list[str]:
        """An Adaptive Card: its body, then its actions; the fallbackText when nothing renders."""
        context = CardContext(self, content, reply_to)
        lines = context.elements(content.get("body"))
        actions = content.get("actions")
        if isinstance(actions, list):
            lines.extend(self.button_lines(context.actions(actions)))
        lines = tidy(lines)
        if not any(line.strip() for line in lines):
            fallback = plain(content.get("fallbackText") or content.get("speak"))
            return fallback.split("\n") if fallback else []
        return lines


def render_turn(
    activities: Iterable[Mapping[str, Any]], lang: str, start: int = 1, width: int = MAX_LINE
) -> Rendered:
    """Every reply of a turn, one block per message, buttons numbered from ``start``."""
    renderer = TurnRenderer(lang, start, width)
    lines: list[str] = []
    for activity in activities:
        lines.extend(renderer.activity(activity))
    return Rendered(lines=lines, buttons=renderer.buttons)
