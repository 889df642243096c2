"""The Teams activity handler: finds the tenant, applies the allow-list, hands turns on.

Every turn's tenant comes from Teams (``channelData.tenant.id`` and ``conversation.tenantId``, which
must agree when both are given); every other channel (terminal chat client, Emulator, Web Chat) is
``local``, whatever its activity says. A Teams activity without a tenant, or whose two tenant ids
disagree, cannot be tied to anyone's data and is refused like a tenant outside the allow-list: the
user gets a polite refusal in their language and nothing is read or stored for them. Conversation
and user state are kept under the turn's tenant (:func:`bot.storage.bind_state_tenant`). With an app id, other
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
people's turns may run side by side, as their dialog state is their own. Across processes a lease
row in the database (:class:`bot.storage.TurnLeases`) orders them the same way; should a write
still meet another one, the storage's eTags refuse the second: that turn is told it was not saved,
and the first turn's state stays.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from azure.core.exceptions import DeserializationError as AzureDeserializationError
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.schema import ActivityTypes, ChannelAccount
from botframework.connector import Channels
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.settings import LOCAL_TENANT
from bot.storage import Leases, bind_state_tenant
from bot.storage.documents import one_read_per_turn
from dialogs.audit import CHAT, Actor, Mention, NotAllowed, TurnInput, bind_actor, bind_input
from dialogs.intents.access import refusal_text
from dialogs.ports import ConcurrentChange, ConversationLayer, TakesFileConsent
from dialogs.turn import TENANT_KEY, is_group_conversation, tenant_of
from kernel.errors import InputError
from kernel.texts import catalog, language_from_locale

log = logging.getLogger(__name__)

MAX_TENANT_ID_LENGTH = 128
MAX_MESSAGE_CHARS = 2000
"""Longest message (typed, or a button's text) handed to the conversation layer; longer ones get
``bot.message.too_long`` (reading a 240 KB message took the recognizer seconds of CPU)."""
_SPACES = re.compile(r"(?:\s|&nbsp;)+")
_UNREADABLE_VALUE = (
    AzureDeserializationError,  # msrest's DeserializationError is this one
    AttributeError,
    TypeError,
    KeyError,
    ValueError,
)
"""What the SDK raises while reading an invoke's value into its models."""


def resolve_tenant(activity: Any, *, local_from_teams: bool = False) -> tuple[str | None, str]:
    """The turn's tenant, or ``None`` and why it is refused.

    Only Teams names a tenant: ``channelData.tenant.id`` and ``conversation.tenantId``, which must
    agree when both are given. Every other channel is ``local``, whatever its activity says (a Web
    Chat or Direct Line client writes its own activities). A Teams tenant that is missing, not a
    plain id, or the reserved ``local`` is refused; ``local_from_teams`` (no app id: local
    development, where every other channel is ``local`` too) lets a Teams-shaped client such as
    ``partnerbot chat`` name ``local``.
    """
    if activity.channel_id != Channels.ms_teams:
        return LOCAL_TENANT, "not Teams"
    given: list[Any] = []
    channel_data = activity.channel_data
    info = (
        channel_data.get("tenant")
        if isinstance(channel_data, dict)
        else getattr(channel_data, "tenant", None)
    )
    if info is not None:
        given.append(info.get("id") if isinstance(info, dict) else getattr(info, "id", None))
    conversation = activity.conversation
    if conversation is not None:
        # The SDK maps ``tenant_id`` to "tenantID"; Teams sends "tenantId", which lands in the extras.
        extra = getattr(conversation, "additional_properties", None) or {}
        given += [conversation.tenant_id, extra.get("tenantId")]
    named = [value for value in given if value is not None and value != ""]
    if not named:
        return None, "no tenant id"
    if not all(_plain_id(value) for value in named):
        return None, "a tenant id that is not a plain id"
    tenants = {value.strip() for value in named}
    if len(tenants) > 1:
        return None, "channelData.tenant.id and conversation.tenantId disagree"
    tenant = tenants.pop()
    if tenant.lower() == LOCAL_TENANT:
        if local_from_teams:
            return LOCAL_TENANT, "Teams, local development"
        return None, "the reserved tenant id 'local'"
    return tenant, "Teams"


def actor_of(activity: Any, *, checked: bool) -> Actor:
    """Who sends ``activity``: their Entra object id (``from.aadObjectId``) and name. Roles are
    checked with an app id; without one (local development) everyone is an owner. A sender without
    an Entra object id (another channel) has no role beyond viewer when roles are checked."""
    sender = activity.from_property
    aad = str(getattr(sender, "aad_object_id", "") or "").strip()
    name = str(getattr(sender, "name", "") or "").strip()
    if not checked:
        aad = aad or str(getattr(sender, "id", "") or "")
    return Actor(aad, name or aad, CHAT, checked=checked)


def _plain_id(value: Any) -> bool:
    return (
        isinstance(value, str)
        and bool(value.strip())
        and len(value) <= MAX_TENANT_ID_LENGTH
        and value.isprintable()
    )


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


async def _mentions(turn_context: TurnContext) -> tuple[Mention, ...]:
    """The people a message @mentions besides the bot, with their Entra object ids: Teams' mention
    entity names the member by their Teams id, so each is looked up at the connector (once per
    mentioned person; a message without such mentions makes no request)."""
    activity = turn_context.activity
    bot_id = str(getattr(activity.recipient, "id", "") or "").lower()
    found: list[Mention] = []
    for entity in activity.entities or []:
        if str(_field(entity, "type") or "").lower() != "mention":
            continue
        mentioned = _field(entity, "mentioned")
        member = str(_field(mentioned, "id") or "")
        if not member or member.lower() == bot_id or len(found) >= 5:
            continue
        name = str(_field(mentioned, "name") or "")
        aad = str(_field(mentioned, "aadObjectId") or "")
        if not aad and activity.channel_id == Channels.ms_teams:
            try:
                account = await TeamsInfo.get_member(turn_context, member)
                aad = str(getattr(account, "aad_object_id", "") or "")
                name = name or str(getattr(account, "name", "") or "")
            except Exception:  # the member could not be looked up: named, but no role can be given
                log.info("could not look up mentioned member of activity %s", activity.id, exc_info=True)
        found.append(Mention(name, aad))
    return tuple(found)


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
        leases: Leases | None = None,
        *,
        local_from_teams: bool = False,
        roles_checked: bool = False,
    ) -> None:
        super().__init__()
        self._local_from_teams = local_from_teams
        self._roles_checked = roles_checked
        self._conversation = conversation
        self._tenant_allowed = tenant_allowed
        self._other_channel_allowed = other_channel_allowed
        self._leases = leases
        self._turn_locks: dict[str, tuple[asyncio.Lock, int]] = {}

    async def on_turn(self, turn_context: TurnContext) -> None:
        channel = turn_context.activity.channel_id
        if channel != Channels.ms_teams and not self._other_channel_allowed(str(channel)):
            await self._refuse(turn_context, None, "bot.refusal.channel")
            return
        tenant, why = resolve_tenant(turn_context.activity, local_from_teams=self._local_from_teams)
        if tenant is None or not self._tenant_allowed(tenant):
            await self._refuse(turn_context, tenant, why=why if tenant is None else "not in the allow-list")
            return
        turn_context.turn_state[TENANT_KEY] = tenant  # dialogs.turn.tenant_of reads it
        bind_state_tenant(tenant)  # conversation and user state keys of this turn are the tenant's
        activity = turn_context.activity
        bind_actor(actor_of(activity, checked=self._roles_checked))  # who changes data in this turn
        user = str(getattr(activity.from_property, "id", "") or "")
        key = json.dumps([tenant, channel, getattr(activity.conversation, "id", "") or "", user])
        async with self._one_turn_at_a_time(key):
            with one_read_per_turn():
                await super().on_turn(turn_context)

    @asynccontextmanager
    async def _one_turn_at_a_time(self, key: str) -> AsyncIterator[None]:
        """This person's turns one after the other: a lock in this process, and the database's
        lease across processes (taken once this process's lock is held)."""
        lock, users = self._turn_locks.get(key, (asyncio.Lock(), 0))
        self._turn_locks[key] = (lock, users + 1)
        try:
            async with lock:
                if self._leases is None:
                    yield
                else:
                    async with self._leases.hold(key):
                        yield
        finally:
            lock, users = self._turn_locks[key]
            if users == 1:
                del self._turn_locks[key]  # nobody waits: keep the table as small as the traffic
            else:
                self._turn_locks[key] = (lock, users - 1)

    async def _refuse(
        self,
        turn_context: TurnContext,
        tenant: str | None,
        text_key: str = "bot.refusal.tenant",
        *,
        why: str = "not allowed",
    ) -> None:
        activity = turn_context.activity
        log.info(
            "refused %s activity %s from tenant %r on channel %r (%s)",
            activity.type,
            activity.id,
            tenant,
            activity.channel_id,
            why,
        )
        answers = activity.type == ActivityTypes.message or (
            activity.type == ActivityTypes.conversation_update and activity.members_added
        )
        if answers:
            lang = language_from_locale(activity.locale)
            await turn_context.send_activity(catalog().text(text_key, lang))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        """The SDK's invoke handling, except that an invoke whose value the SDK cannot read (a
        messaging-extension query that is a string, an ``adaptiveCard/action`` whose action is
        not an object) is the client's mistake: a 400 invoke response, not a failed turn."""
        try:
            response: InvokeResponse | None = await super().on_invoke_activity(turn_context)
        except _UNREADABLE_VALUE as err:
            name = turn_context.activity.name
            log.info(
                "refused invoke %r of activity %s: its value cannot be read (%s)",
                name,
                turn_context.activity.id,
                type(err).__name__,
            )
            return InvokeResponse(status=400, body={"error": f"the value of invoke '{name}' cannot be read"})
        return response

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
        bind_input(TurnInput(text, activity.value if isinstance(activity.value, dict) else None,
                             await _mentions(turn_context)))
        await self._conversation.on_message(turn_context, tenant_of(turn_context))

    async def on_teams_file_consent_accept(self, turn_context: TurnContext, response: Any) -> None:
        """The user accepted a file the bot offered (the export): the conversation layer uploads it."""
        await self._file_consent(turn_context, response)

    async def on_teams_file_consent_decline(self, turn_context: TurnContext, response: Any) -> None:
        await self._file_consent(turn_context, response)

    async def _file_consent(self, turn_context: TurnContext, response: Any) -> None:
        if not isinstance(self._conversation, TakesFileConsent):
            await super().on_teams_file_consent_accept(turn_context, response)  # the SDK's 501
            return
        info = getattr(response, "upload_info", None)
        answer = {
            "action": getattr(response, "action", None),
            "context": getattr(response, "context", None),
            "upload_info": None if info is None else {
                "name": info.name,
                "upload_url": info.upload_url,
                "content_url": info.content_url,
                "unique_id": info.unique_id,
                "file_type": info.file_type,
            },
        }
        await self._conversation.on_file_consent(turn_context, tenant_of(turn_context), answer)

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


def is_delivery_failure(error: BaseException) -> bool:
    """The channel did not take a request: it answered an error (``HttpOperationError``, e.g. 429
    after every retry) or could not be reached or was not allowed (``ClientRequestError``)."""
    return isinstance(error, HttpOperationError | ClientRequestError)


def turn_error_handler(
    conversation: ConversationLayer,
) -> Callable[[TurnContext, Exception], Awaitable[None]]:
    """The adapter's ``on_turn_error``: log with the activity id, answer neutrally, clear the dialog.

    Two failures leave the dialog state alone. An eTag conflict: another turn saved it a moment
    ago, and that state is good. A reply the channel did not take (busy after every retry,
    unreachable, or a refused service URL): the user did nothing wrong, so the dialog position and
    everything stored are kept, and no second message is sent to a channel that just failed.

    Only a message turn is answered and reset: a failed ``conversationUpdate`` or ``invoke`` (a
    malformed team event) is not something the user asked, and the dialog state was never loaded
    for it.
    """

    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        activity = turn_context.activity
        if isinstance(error, NotAllowed):
            await _refuse_change(conversation, turn_context, error)
            return
        if is_delivery_failure(error):
            log.error(
                "reply to activity %s (%s) in conversation %s not delivered; its state is kept",
                activity.id,
                activity.type,
                getattr(activity.conversation, "id", None),
                exc_info=(type(error), error, None),  # the channel's answer, without our stack
            )
            return
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


async def _refuse_change(
    conversation: ConversationLayer, turn_context: TurnContext, error: NotAllowed
) -> None:
    """A change the sender's role does not allow: nothing was stored; they are told who the owners
    are, and their dialog (a pending question or proposal) is dropped."""
    activity = turn_context.activity
    log.info("refused a change in activity %s: %s", activity.id, error)
    lang = await conversation.language(turn_context)
    await turn_context.send_activity(refusal_text(error, lang))
    try:
        await conversation.reset(turn_context)
    except Exception:
        log.warning("could not reset the conversation after activity %s", activity.id, exc_info=True)
