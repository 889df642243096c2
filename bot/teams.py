"""The Teams activity handler: finds the tenant, applies the allow-list, hands turns on.

Every turn's tenant comes from Teams (``channelData.tenant.id``, else ``conversation.tenantId``);
outside Teams (terminal chat client, Emulator) it is ``local``. A Teams activity without a tenant
cannot be tied to anyone's data and is refused like a tenant outside the allow-list: the user gets
a polite refusal in their language and nothing is read or stored for them. With an app id, other
channels (Web Chat, Direct Line, Emulator on the same Azure Bot) are refused the same way unless
``PARTNERBOT_ALLOWED_CHANNELS`` names them: they would all share the tenant ``local``.

Group chats and team channels: Teams delivers a message there only when it @mentions the bot,
unless the app was granted the ``ChatMessage.Read.Chat`` / ``ChannelMessage.Read.Group`` RSC
permissions; then every message arrives, and those that do not mention the bot are ignored here
(:func:`addressed_text`). The bot's own mention (``<at>Name</at>`` in the text, with a ``mention``
entity naming the bot) is removed from the text in every kind of conversation, so the conversation
layer reads "what is our score?" and not "<at>Partner score</at> what is our score?". A card
button click (empty text, ``value`` set) needs no mention: Teams sends it to the bot anyway.

Turns of one user in one conversation run one after the other in this process (Teams may deliver
two messages at once; each must see the dialog state the other saved); in a group chat, different
people's turns may run side by side, as their dialog state is their own. Across processes the
storage's eTags still refuse the second write: that turn is told it was not saved, and the first
turn's state stays.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import ActivityTypes, ChannelAccount
from botframework.connector import Channels

from bot.settings import LOCAL_TENANT
from dialogs.ports import ConcurrentChange, ConversationLayer
from dialogs.turn import TENANT_KEY, is_group_conversation, language_from_locale, tenant_of
from kernel.errors import InputError
from kernel.texts import catalog

log = logging.getLogger(__name__)

MAX_TENANT_ID_LENGTH = 128
MAX_MESSAGE_CHARS = 2000
"""Longest message (typed, or a button's text) handed to the conversation layer; longer ones get
``bot.message.too_long`` (reading a 240 KB message took the recognizer seconds of CPU)."""
_SPACES = re.compile(r"(?:\s|&nbsp;)+")


def tenant_of_activity(turn_context: TurnContext) -> str | None:
    """The tenant of this turn: Teams' tenant id, ``local`` outside Teams, ``None`` if Teams gave none."""
    activity = turn_context.activity
    tenant: Any = None
    channel_data = activity.channel_data
    if isinstance(channel_data, dict):
        info = channel_data.get("tenant")
        tenant = info.get("id") if isinstance(info, dict) else None
    elif channel_data is not None:
        tenant = getattr(getattr(channel_data, "tenant", None), "id", None)
    if not tenant and activity.conversation is not None:
        # The SDK maps ``tenant_id`` to "tenantID"; Teams sends "tenantId", which lands here:
        extra = getattr(activity.conversation, "additional_properties", None) or {}
        tenant = activity.conversation.tenant_id or extra.get("tenantId")
    if isinstance(tenant, str) and tenant.strip() and len(tenant) <= MAX_TENANT_ID_LENGTH:
        return tenant.strip()
    if activity.channel_id == Channels.ms_teams:
        return None
    return LOCAL_TENANT


def _field(item: Any, name: str) -> Any:
    """A field of an SDK model or of a plain mapping (entities arrive as either)."""
    if isinstance(item, dict):
        return item.get(name)
    value = getattr(item, name, None)
    if value is None:
        value = (getattr(item, "additional_properties", None) or {}).get(name)
    return value


def bot_mentions(activity: Any) -> list[str]:
    """The texts (``<at>Name</at>``) by which this message mentions the bot (its recipient)."""
    bot_id = str(getattr(activity.recipient, "id", "") or "").lower()
    found = []
    for entity in activity.entities or []:
        if str(_field(entity, "type") or "").lower() != "mention":
            continue
        mentioned = _field(entity, "mentioned")
        if not bot_id or str(_field(mentioned, "id") or "").lower() != bot_id:
            continue
        name = _field(mentioned, "name") or getattr(activity.recipient, "name", None) or ""
        found.append(str(_field(entity, "text") or f"<at>{name}</at>"))
    return found


def addressed_text(activity: Any) -> str | None:
    """The message's text without the bot's @mention, or ``None`` when it is not for the bot.

    In a group chat or channel a typed message is for the bot only when it mentions the bot; a
    card button click always is. In a personal chat every message is.
    """
    text = str(activity.text or "")
    mentions = bot_mentions(activity)
    if mentions:
        for mention in mentions:
            text = text.replace(mention, " ")
        text = _SPACES.sub(" ", text).strip()
    clicked = isinstance(activity.value, dict) and bool(activity.value.get("verb")) and not text.strip()
    if is_group_conversation(activity) and not mentions and not clicked:
        return None
    return text


def _too_long(activity: Any) -> bool:
    """The message's text, or the text its clicked button stands for, is over the limit."""
    button_text = activity.value.get("text") if isinstance(activity.value, dict) else None
    return any(isinstance(t, str) and len(t) > MAX_MESSAGE_CHARS for t in (activity.text, button_text))


class PartnerBot(TeamsActivityHandler):  # type: ignore[misc]  # the SDK is untyped
    """Receives every turn the adapter accepted and gives it to the conversation layer."""

    def __init__(
        self,
        conversation: ConversationLayer,
        tenant_allowed: Callable[[str], bool],
        other_channel_allowed: Callable[[str], bool] = lambda channel_id: True,
    ) -> None:
        super().__init__()
        self._conversation = conversation
        self._tenant_allowed = tenant_allowed
        self._other_channel_allowed = other_channel_allowed
        self._turn_locks: dict[tuple[str, str, str], tuple[asyncio.Lock, int]] = {}

    async def on_turn(self, turn_context: TurnContext) -> None:
        channel = turn_context.activity.channel_id
        if channel != Channels.ms_teams and not self._other_channel_allowed(str(channel)):
            await self._refuse(turn_context, None, "bot.refusal.channel")
            return
        tenant = tenant_of_activity(turn_context)
        if tenant is None or not self._tenant_allowed(tenant):
            await self._refuse(turn_context, tenant)
            return
        turn_context.turn_state[TENANT_KEY] = tenant  # dialogs.turn.tenant_of reads it
        activity = turn_context.activity
        user = str(getattr(activity.from_property, "id", "") or "")
        async with self._one_turn_at_a_time(tenant, getattr(activity.conversation, "id", "") or "", user):
            await super().on_turn(turn_context)

    @asynccontextmanager
    async def _one_turn_at_a_time(self, tenant: str, conversation_id: str, user: str) -> AsyncIterator[None]:
        key = (tenant, conversation_id, user)
        lock, users = self._turn_locks.get(key, (asyncio.Lock(), 0))
        self._turn_locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._turn_locks[key]
            if users == 1:
                del self._turn_locks[key]  # nobody waits: keep the table as small as the traffic
            else:
                self._turn_locks[key] = (lock, users - 1)

    async def _refuse(
        self, turn_context: TurnContext, tenant: str | None, text_key: str = "bot.refusal.tenant"
    ) -> None:
        activity = turn_context.activity
        log.info(
            "refused %s activity %s from tenant %r on channel %r (not allowed)",
            activity.type,
            activity.id,
            tenant,
            activity.channel_id,
        )
        answers = activity.type == ActivityTypes.message or (
            activity.type == ActivityTypes.conversation_update and activity.members_added
        )
        if answers:
            lang = language_from_locale(activity.locale)
            await turn_context.send_activity(catalog().text(text_key, lang))

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        text = addressed_text(activity)
        if text is None:  # a group message for the others (RSC delivers those too)
            log.debug("ignored activity %s: a group message that does not mention the bot", activity.id)
            return
        activity.text = text
        if _too_long(activity):
            log.info(
                "refused activity %s: a message longer than %d characters", activity.id, MAX_MESSAGE_CHARS
            )
            lang = await self._conversation.language(turn_context)
            await turn_context.send_activity(
                catalog().text("bot.message.too_long", lang, limit=MAX_MESSAGE_CHARS)
            )
            return
        await self._conversation.on_message(turn_context, tenant_of(turn_context))

    async def on_teams_members_added_dispatch(
        self, members_added: list[ChannelAccount], team_info: Any, turn_context: TurnContext
    ) -> None:
        """People joining a team: the stock handler looks up each one at the connector (a request
        per person); the welcome needs only who was added, so they are passed on as sent."""
        await self.on_members_added_activity(list(members_added), turn_context)

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        await self._conversation.on_members_added(turn_context, tenant_of(turn_context), list(members_added))


def turn_error_handler(
    conversation: ConversationLayer,
) -> Callable[[TurnContext, Exception], Awaitable[None]]:
    """The adapter's ``on_turn_error``: log with the activity id, answer neutrally, clear the dialog.

    An eTag conflict is the one failure that leaves the dialog state alone: another turn saved it
    a moment ago, and that state is good. Only a message turn is answered and reset: a failed
    ``conversationUpdate`` or ``invoke`` (a malformed team event) is not something the user asked,
    and the dialog state was never loaded for it.
    """

    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        activity = turn_context.activity
        log.error(
            "turn failed: activity %s (%s) in conversation %s",
            activity.id,
            activity.type,
            getattr(activity.conversation, "id", None),
            exc_info=(type(error), error, error.__traceback__),
        )
        if activity.type != ActivityTypes.message:
            return
        try:
            lang = await conversation.language(turn_context)
        except Exception:
            log.warning("could not read the language of activity %s", activity.id, exc_info=True)
            lang = language_from_locale(activity.locale)
        if isinstance(error, InputError):
            text = error.render(lang, catalog())
        elif isinstance(error, ConcurrentChange):
            text = catalog().text("bot.turn_error.conflict", lang)
        else:
            text = catalog().text("bot.turn_error.general", lang)
        try:
            await turn_context.send_activity(text)
        except Exception:
            log.warning("could not tell the user about the failed activity %s", activity.id, exc_info=True)
        if isinstance(error, ConcurrentChange):
            return
        try:
            await conversation.reset(turn_context)
        except Exception:
            log.warning("could not reset the conversation after activity %s", activity.id, exc_info=True)

    return on_turn_error
