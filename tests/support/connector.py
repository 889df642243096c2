"""The channel's side of a conversation, on loopback: Teams-shaped activities to send
(:func:`teams_activity`), a Bot Framework connector service that records what the bot sends
(:class:`FakeConnector`), one recorded activity (:class:`Reply`: its text, Adaptive Cards and
suggested actions) and what one posted activity got back (:class:`Turn`)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
BOT_ID = "28:partnerbot"


@dataclass
class Reply:
    """One activity the bot posted to the connector."""

    raw: dict[str, Any]
    path: str

    @property
    def type(self) -> str:
        return str(self.raw.get("type", ""))

    @property
    def text(self) -> str:
        return str(self.raw.get("text") or "")

    @property
    def attachments(self) -> list[dict[str, Any]]:
        return list(self.raw.get("attachments") or [])

    @property
    def cards(self) -> list[dict[str, Any]]:
        """The Adaptive Cards of this reply (their ``content``)."""
        return [a["content"] for a in self.attachments if a.get("contentType") == ADAPTIVE_CARD]

    @property
    def suggested_actions(self) -> list[dict[str, Any]]:
        return list((self.raw.get("suggestedActions") or {}).get("actions") or [])

    @property
    def reply_to_id(self) -> str | None:
        return self.raw.get("replyToId")

    @property
    def conversation_id(self) -> str:
        return str((self.raw.get("conversation") or {}).get("id", ""))

    @property
    def locale(self) -> str | None:
        return self.raw.get("locale")


class FakeConnector:
    """A Bot Framework connector service on loopback that records what the bot sends.

    ``record=False`` (benchmarks) reads every activity as usual but keeps none of them: a
    benchmark's thousands of kept scorecards would otherwise live in the process of the bots it
    measures, and every full garbage collection there would walk them (a pause of 50-110 ms that
    grew with the run and fell on whichever bot was answering)."""

    def __init__(self, *, record: bool = True) -> None:
        self.record = record
        self.posted: list[Reply] = []
        self.gone: set[str] = set()
        """Conversation ids the bot was removed from: posting there answers :attr:`gone_status`."""
        self.gone_status = 403
        """403 as Teams answers when the bot was removed; 404 when the conversation is gone."""
        self.refusing: set[str] = set()
        """Conversation ids whose posts fail for a passing reason (400, not retried)."""
        self.requests: list[tuple[str, str]] = []
        self.authorizations: list[str] = []
        """The Authorization header of every activity the bot posted (empty string: none)."""
        self._ids = itertools.count(1)
        self._server: TestServer | None = None
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._activity)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._activity)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._activity)
        app.router.add_delete("/v3/conversations/{conversation}/activities/{activity}", self._deleted)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        app.router.add_get("/v3/conversations/{conversation}/members", self._members)
        app.router.add_get("/v3/conversations/{conversation}/pagedmembers", self._paged_members)
        app.router.add_post("/v3/conversations", self._create_conversation)
        self._app = app

    @property
    def service_url(self) -> str:
        assert self._server is not None, "the fake connector is not started"
        return str(self._server.make_url("/"))

    async def start(self) -> FakeConnector:
        self._server = TestServer(self._app, host="127.0.0.1")
        await self._server.start_server()
        return self

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()
            self._server = None

    async def __aenter__(self) -> FakeConnector:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def replies(
        self, conversation_id: str | None = None, *, since: int = 0, reply_to: str | None = None
    ) -> list[Reply]:
        """Activities posted (after the first ``since``) to ``conversation_id``; with ``reply_to``,
        only replies to that activity and messages that reply to none (e.g. welcomes)."""
        return [
            r
            for r in self.posted[since:]
            if (conversation_id is None or r.conversation_id == conversation_id)
            and (reply_to is None or r.reply_to_id in (reply_to, None))
        ]

    async def _activity(self, request: web.Request) -> web.Response:
        if self.record:
            self.requests.append((request.method, request.path))
            self.authorizations.append(request.headers.get("Authorization", ""))
        if request.match_info["conversation"] in self.gone:
            error = {"code": "BotNotInConversationRoster",
                     "message": "The bot is not part of the conversation roster."}
            return web.json_response({"error": error}, status=self.gone_status)
        if request.match_info["conversation"] in self.refusing:
            return web.json_response({"error": {"code": "BadSyntax", "message": "try again"}}, status=400)
        body = await request.json()
        if self.record:
            self.posted.append(Reply(raw=body, path=request.path))
        return web.json_response({"id": f"activity-{next(self._ids)}"})

    async def _deleted(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path))
        return web.Response(status=200)

    @staticmethod
    def _account(member_id: str) -> dict[str, Any]:
        return {
            "id": member_id,
            "name": f"User {member_id}",
            # a Teams user id 29:NAME has the object id teams_activity gives NAME's messages
            "aadObjectId": str(uuid.uuid5(uuid.NAMESPACE_DNS, member_id.removeprefix("29:"))),
            "userPrincipalName": f"{member_id.replace(':', '_')}@example.com",
            "userRole": "user",
        }

    async def _member(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path))
        return web.json_response(self._account(request.match_info["member"]))

    async def _members(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path))
        return web.json_response([self._account("29:user")])

    async def _paged_members(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path))
        return web.json_response({"members": [self._account("29:user")]})

    async def _create_conversation(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path))
        return web.json_response({"id": f"conversation-{next(self._ids)}", "activityId": "a1"})


@dataclass
class Turn:
    """What happened for one posted activity: the HTTP answer and the bot's replies."""

    status: int
    body: Any
    replies: list[Reply] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.replies]


def teams_activity(
    service_url: str,
    type: str = "message",
    *,
    text: str | None = None,
    value: Any = None,
    locale: str = "en-US",
    tenant: str | None = "t1",
    user: str = "user1",
    conversation: str | None = None,
    channel: str = "msteams",
    conversation_type: str = "personal",
    reply_to_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A Teams-shaped activity (message by default) whose replies go to ``service_url``.
    ``tenant=None``: no tenant at all."""
    conversation_id_ = conversation or f"a:{tenant or 'none'}:{user}"
    data: dict[str, Any] = {
        "type": type,
        "id": f"act-{uuid.uuid4().hex[:12]}",
        "timestamp": "2026-11-23T09:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": channel,
        "from": {
            "id": f"29:{user}",
            "name": f"User {user}",
            "aadObjectId": str(uuid.uuid5(uuid.NAMESPACE_DNS, user)),
        },
        "conversation": {"id": conversation_id_, "conversationType": conversation_type},
        "recipient": {"id": BOT_ID, "name": "partnerbot"},
        "locale": locale,
        "entities": [{"type": "clientInfo", "locale": locale, "platform": "Web"}],
        "channelData": {},
    }
    if tenant is not None:
        data["conversation"]["tenantId"] = tenant
        data["channelData"]["tenant"] = {"id": tenant}
    if type == "message":
        data["textFormat"] = "plain"
        if text is not None:
            data["text"] = text
        if value is not None:
            data["value"] = value
    if reply_to_id:
        data["replyToId"] = reply_to_id
    data.update(extra)
    return data


def conversation_id(activity: Mapping[str, Any]) -> str:
    conversation = activity.get("conversation")
    return str(conversation.get("id", "")) if isinstance(conversation, Mapping) else ""
