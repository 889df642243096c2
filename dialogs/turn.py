"""Per-turn facts every part of the conversation layer reads the same way.

The router (:mod:`dialogs.conversation`) sets them at the start of a turn with :func:`begin_turn`;
answers, dialogs and cards read them with :func:`tenant_of` and :func:`language_of`.

Card buttons: every ``Action.Submit`` carries ``data = {"verb": <what to do>, ...}``. A submit
arrives with empty ``text`` and that ``value``. :func:`submitted_text` gives the text a button
stands for (``data["text"]``, e.g. ``"yes"`` for a Yes button of a walkthrough question), so that
prompts and the recognizer treat a click exactly like a typed answer.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from kernel.texts import language_from_locale

TENANT_KEY = "partnerbot.tenant"
LANGUAGE_KEY = "partnerbot.language"
GROUP_CONVERSATIONS = frozenset({"groupChat", "channel"})
"""Teams conversation types with several people, where the bot answers only when @mentioned."""


def is_group_conversation(activity: Any) -> bool:
    """A group chat or team channel (several people), not a personal chat."""
    return getattr(activity.conversation, "conversation_type", None) in GROUP_CONVERSATIONS


_ACTIVITY: contextvars.ContextVar[Any] = contextvars.ContextVar("partnerbot_turn_activity", default=None)


def begin_turn(turn_context: TurnContext, tenant_id: str, language: str) -> None:
    turn_context.turn_state[TENANT_KEY] = tenant_id
    turn_context.turn_state[LANGUAGE_KEY] = language
    _ACTIVITY.set(turn_context.activity)


def conversation_reference() -> dict[str, Any] | None:
    """The current turn's conversation as a Bot Framework ``ConversationReference`` (JSON), for a
    later proactive message; ``None`` outside a turn."""
    activity = _ACTIVITY.get()
    if activity is None:
        return None
    reference: dict[str, Any] = TurnContext.get_conversation_reference(activity).serialize()
    return reference


def conversation_key(reference: dict[str, Any]) -> str:
    """One conversation, whoever speaks in it: ``<channel>/<conversation id>``."""
    return f"{reference.get('channelId', '')}/{(reference.get('conversation') or {}).get('id', '')}"


def tenant_of(turn_context: TurnContext) -> str:
    return str(turn_context.turn_state[TENANT_KEY])


def language_of(turn_context: TurnContext) -> str:
    value = turn_context.turn_state.get(LANGUAGE_KEY)
    return str(value) if value else language_from_locale(turn_context.activity.locale)


def submit_value(turn_context: TurnContext) -> dict[str, Any] | None:
    """The ``data`` of the clicked ``Action.Submit``, or ``None`` for a typed message."""
    value = turn_context.activity.value
    return value if isinstance(value, dict) and value.get("verb") else None


def submitted_text(turn_context: TurnContext) -> str:
    """What the user said: typed text, or the ``text`` a clicked button stands for."""
    text = (turn_context.activity.text or "").strip()
    if text:
        return text
    value = submit_value(turn_context)
    return str(value.get("text", "")).strip() if value else ""


def submit_data(activity: Activity) -> Iterator[dict[str, Any]]:
    """The ``data`` of every ``Action.Submit`` in the activity's Adaptive Cards (to be changed in place)."""

    def walk(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit" and isinstance(node.get("data"), dict):
                yield node["data"]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    for attachment in activity.attachments or []:
        yield from walk(attachment.content)


def pending_change(activity: Activity) -> dict[str, Any] | None:
    for attachment in activity.attachments or []:
        content = attachment.content if isinstance(attachment.content, dict) else {}
        for action in content.get("actions", []):
            data = action.get("data") or {}
            if data.get("verb") == "update_confirm":
                change = data.get("change")
                return dict(change) if isinstance(change, dict) else None
    return None
