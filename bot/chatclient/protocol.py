"""The channel side of the Bot Framework protocol, for a terminal: what Teams does for a bot.

:class:`Connector` is a small aiohttp server on 127.0.0.1 (a free port) that plays the Bot
Connector service: its address is the ``serviceUrl`` of every activity we send, and the bot
posts its replies to it (``POST {serviceUrl}/v3/conversations/{id}/activities[/{replyToId}]``),
updates and deletes them, and asks for conversation members. Every call the SDK's
``ConnectorClient`` can make on a turn is answered; unknown paths get a JSON 404.

:class:`ChatClient` sends Teams-shaped activities to the bot's ``/api/messages`` and returns the
replies of that turn. The bot's adapter completes the whole turn before it answers the POST
(``CloudAdapter`` answers 200/201 after ``on_turn``), and each reply is recorded before the
connector answers it, so when the POST returns every reply of the turn is there, in order.

Network trouble and bad answers raise :class:`ChatError` (a code of ``chat.error.*`` in the text
catalog with its parameters), never a traceback.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from kernel.errors import PartnerbotError
from kernel.texts import catalog

Json = dict[str, Any]

CHANNEL_ID = "msteams"
BOT_ID = "28:partnerbot"
DEFAULT_URL = "http://localhost:3978/api/messages"
DEFAULT_TIMEOUT = 60.0


class ChatError(PartnerbotError):
    """The chat client cannot go on: the bot is unreachable, refused the message, or failed.

    ``code`` names the catalog text ``chat.error.<code>``; ``status`` is the exit status to use.
    """

    def __init__(self, code: str, *, status: int = 1, **params: Any) -> None:
        super().__init__(f"chat.error.{code}")
        self.code = code
        self.status = status
        self.params = params

    def render(self, lang: str) -> str:
        return catalog().text(f"chat.error.{self.code}", lang, **self.params)


@dataclass(frozen=True)
class Received:
    """One call of the bot to the connector: ``send`` (new message), ``update`` or ``delete``."""

    kind: str
    activity: Json
    activity_id: str


def _now() -> tuple[str, str]:
    now = datetime.now(UTC)
    local = now.astimezone()
    return now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), local.isoformat(timespec="milliseconds")


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


class Connector:
    """The local Bot Connector: receives what the bot sends, in arrival order."""

    def __init__(self, user: Json, bot: Json) -> None:
        self.user = user
        self.bot = bot
        self.received: list[Received] = []
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.service_url = ""

    def _app(self) -> web.Application:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        base = "/v3/conversations"
        app.router.add_post(base, self._create_conversation)
        app.router.add_get(base, self._list_conversations)
        app.router.add_post(base + "/{cid}/activities/history", self._history)
        app.router.add_post(base + "/{cid}/activities", self._send)
        app.router.add_post(base + "/{cid}/activities/{aid}", self._send)
        app.router.add_put(base + "/{cid}/activities/{aid}", self._update)
        app.router.add_delete(base + "/{cid}/activities/{aid}", self._delete)
        app.router.add_get(base + "/{cid}/activities/{aid}/members", self._members)
        app.router.add_get(base + "/{cid}/members", self._members)
        app.router.add_get(base + "/{cid}/pagedmembers", self._paged_members)
        app.router.add_get(base + "/{cid}/members/{mid}", self._member)
        app.router.add_delete(base + "/{cid}/members/{mid}", self._ok)
        app.router.add_post(base + "/{cid}/attachments", self._attachment)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        return app

    async def start(self) -> str:
        """Listen on 127.0.0.1 at a free port; returns the ``serviceUrl``."""
        self._runner = web.AppRunner(self._app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.service_url = f"http://{host}:{port}/"
        return self.service_url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def drain(self) -> list[Received]:
        """What arrived since the last call, in order."""
        received, self.received = self.received, []
        return received

    async def _body(self, request: web.Request) -> Json | None:
        try:
            body = await request.json(loads=json.loads)
        except (ValueError, UnicodeDecodeError):
            return None
        return body if isinstance(body, dict) else None

    async def _send(self, request: web.Request) -> web.Response:
        activity = await self._body(request)
        if activity is None:
            return _error(400, "BadArgument", "the body is not a JSON activity")
        activity_id = f"{next(self._ids)}:{uuid.uuid4().hex[:8]}"
        activity["id"] = activity_id
        self.received.append(Received("send", activity, activity_id))
        return web.json_response({"id": activity_id})

    async def _update(self, request: web.Request) -> web.Response:
        activity = await self._body(request)
        if activity is None:
            return _error(400, "BadArgument", "the body is not a JSON activity")
        activity_id = request.match_info["aid"]
        activity["id"] = activity_id
        self.received.append(Received("update", activity, activity_id))
        return web.json_response({"id": activity_id})

    async def _delete(self, request: web.Request) -> web.Response:
        activity_id = request.match_info["aid"]
        self.received.append(Received("delete", {"type": "delete", "id": activity_id}, activity_id))
        return web.Response(status=200)

    async def _history(self, request: web.Request) -> web.Response:
        return web.json_response({"id": f"history:{next(self._ids)}"})

    async def _create_conversation(self, request: web.Request) -> web.Response:
        return web.json_response({"id": f"a:{uuid.uuid4().hex}", "activityId": f"{next(self._ids)}",
                                  "serviceUrl": self.service_url})

    async def _list_conversations(self, request: web.Request) -> web.Response:
        return web.json_response({"conversations": []})

    async def _members(self, request: web.Request) -> web.Response:
        return web.json_response([self.user])

    async def _paged_members(self, request: web.Request) -> web.Response:
        return web.json_response({"members": [self.user]})

    async def _member(self, request: web.Request) -> web.Response:
        member_id = request.match_info["mid"]
        for account in (self.user, self.bot):
            if member_id in (account.get("id"), account.get("aadObjectId")):
                return web.json_response(account)
        return _error(404, "MemberNotFoundInConversation", "no such member")

    async def _attachment(self, request: web.Request) -> web.Response:
        return web.json_response({"id": f"attachment:{next(self._ids)}"})

    async def _ok(self, request: web.Request) -> web.Response:
        return web.Response(status=200)

    async def _unknown(self, request: web.Request) -> web.Response:
        return _error(404, "NotFound", f"{request.method} {request.path} is not served by the chat client")


def check_url(url: str) -> str:
    """The bot endpoint, or :class:`ChatError` ``bad_url`` (exit status 2)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ChatError("bad_url", status=2, url=url)
    return url


class ChatClient:
    """One personal chat with the bot, as one user of one tenant, in one locale."""

    def __init__(
        self,
        bot_url: str = DEFAULT_URL,
        *,
        locale: str = "en-US",
        tenant: str = "local",
        user_name: str = "Partner admin",
        user_id: str | None = None,
        conversation_id: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.bot_url = check_url(bot_url)
        self.locale = locale
        self.tenant = tenant
        self.timeout = timeout
        self.user: Json = {
            "id": f"29:partnerbot-chat-{tenant}" + (f"-{user_id}" if user_id else ""),
            "name": user_name,
            "aadObjectId": user_id or str(uuid.uuid5(uuid.NAMESPACE_URL, f"partnerbot-chat:{tenant}")),
        }
        self.bot: Json = {"id": BOT_ID, "name": "partnerbot"}
        self.conversation: Json = {
            "id": conversation_id or f"a:partnerbot-chat-{uuid.uuid4().hex}",
            "conversationType": "personal",
            "tenantId": tenant,
        }
        self.connector = Connector(self.user, self.bot)
        self._session: aiohttp.ClientSession | None = None
        self._ids = itertools.count(1)

    async def __aenter__(self) -> ChatClient:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        await self.connector.start()
        # a new connection per turn: a stopped bot then reads as unreachable, not as a dropped connection
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout),
                                              connector=aiohttp.TCPConnector(force_close=True))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        await self.connector.close()

    # --- activities ---------------------------------------------------------------------------

    def activity(self, kind: str, **fields: Any) -> Json:
        """A Teams-shaped activity from the user to the bot."""
        timestamp, local = _now()
        activity: Json = {
            "type": kind,
            "id": f"{int(datetime.now(UTC).timestamp() * 1000)}{next(self._ids):04d}",
            "timestamp": timestamp,
            "localTimestamp": local,
            "serviceUrl": self.connector.service_url,
            "channelId": CHANNEL_ID,
            "from": dict(self.user),
            "recipient": dict(self.bot),
            "conversation": dict(self.conversation),
            "locale": self.locale,
            "entities": [{"type": "clientInfo", "locale": self.locale, "platform": "Web"}],
            "channelData": {"tenant": {"id": self.tenant}},
        }
        activity.update(fields)
        return activity

    async def open(self) -> list[Received]:
        """The bot is added to a personal chat: a conversationUpdate with the bot and the user."""
        return (await self.post(self.activity("conversationUpdate",
                                               membersAdded=[dict(self.bot), dict(self.user)])))[0]

    async def say(self, text: str) -> list[Received]:
        """A typed message."""
        return (await self.post(self.activity("message", text=text, textFormat="plain")))[0]

    async def submit(self, value: Any, *, text: str = "", reply_to: str | None = None) -> list[Received]:
        """A card button: ``value`` is the ``Action.Submit`` data; ``text`` is empty (or messageBack text)."""
        activity = self.activity("message", text=text, textFormat="plain", value=value)
        activity["channelData"]["postBack"] = True
        if reply_to:
            activity["replyToId"] = reply_to
        return (await self.post(activity))[0]

    async def invoke(
        self, name: str, value: Any, *, reply_to: str | None = None
    ) -> tuple[list[Received], Any]:
        """An invoke (``adaptiveCard/action`` for ``Action.Execute``); returns the replies and the body."""
        activity = self.activity("invoke", name=name, value=value)
        if reply_to:
            activity["replyToId"] = reply_to
        return await self.post(activity)

    async def post(self, activity: Mapping[str, Any]) -> tuple[list[Received], Any]:
        """Send ``activity`` to the bot; the replies of the turn and the HTTP body (JSON or ``None``)."""
        if self._session is None:
            raise RuntimeError("ChatClient.start() was not called")
        url = self.bot_url
        try:
            async with self._session.post(url, json=activity) as response:
                status = response.status
                raw = await response.read()
        except TimeoutError:
            raise ChatError("timeout", url=url, seconds=f"{self.timeout:g}") from None
        except aiohttp.ClientConnectorError:
            raise ChatError("unreachable", url=url) from None
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError, aiohttp.ClientOSError):
            raise ChatError("disconnected", url=url) from None
        except aiohttp.ClientError as err:
            raise ChatError("failed", url=url, reason=type(err).__name__) from None
        received = self.connector.drain()
        if status in (401, 403):
            raise ChatError("unauthorized", url=url, status_code=status)
        if status >= 400:
            reason = raw.decode("utf-8", "replace").strip().splitlines()[0][:200] if raw.strip() else ""
            raise ChatError("http", url=url, status_code=status, reason=reason or "-")
        body: Any = None
        if raw.strip():
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        return received, body


async def wait_for_bot(url: str, *, attempts: int = 100, delay: float = 0.1) -> bool:
    """Whether something answers HTTP at ``url`` within ``attempts`` tries (for start-up in scripts)."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
        for _ in range(attempts):
            try:
                async with session.get(url) as response:
                    await response.read()
                    return True
            except (aiohttp.ClientError, TimeoutError):
                await asyncio.sleep(delay)
    return False
