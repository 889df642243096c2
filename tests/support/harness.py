"""HTTP-level test harness: the real bot app and a fake Bot Framework connector, both on loopback.

    async with FakeConnector() as connector, BotHarness(tmp_path, connector) as bot:
        replies = await bot.say("what's my score?", locale="nl-NL", tenant="t1")
        assert replies[0].text ...
        card = replies[0].cards[0]          # Adaptive Card content (dict)
        replies = await bot.submit({"verb": "score"}, tenant="t1")   # an Action.Submit click

:class:`BotHarness` runs :func:`bot.app.create_app` (real ``CloudAdapter``, real authentication
path, real SQLite in ``data_dir``) on ``127.0.0.1`` and a free port; activities are posted to its
``/api/messages`` exactly as the Bot Framework channel would, with ``serviceUrl`` pointing at the
:class:`FakeConnector`, which records every activity the bot posts to
``/v3/conversations/{id}/activities[/{replyToId}]`` and answers the member look-ups Teams handlers
make. Because ``CloudAdapter`` sends replies before it answers the POST, the replies of a turn are
complete when :meth:`BotHarness.send` returns.

:class:`ServerProcess` runs ``partnerbot serve`` (or a test double server) as a separate process on
a free port, for restart tests. :meth:`BotHarness.seed_profile` / :meth:`BotHarness.seed_cosell`
store partner data for a tenant before a conversation.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.app import CONVERSATION, PARTNERS, ConversationFactory, create_app
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
BOT_ID = "28:partnerbot"


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings for a test: every field given, so neither the environment nor ``.env`` leak in."""
    values: dict[str, Any] = {
        "microsoft_app_id": "",
        "microsoft_app_password": "",
        "microsoft_app_type": "MultiTenant",
        "microsoft_app_tenant_id": "",
        "host": "127.0.0.1",
        "port": 3978,
        "data_dir": data_dir,
        "allowed_tenants": frozenset(),
        "allowed_channels": frozenset(),
        "log_level": "INFO",
        "channel_openid_metadata_url": "",
        "allowed_service_urls": (),
        "state_retention_days": 90.0,
        "database_url": "",
        "database_pool_size": 10,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


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
    """A Bot Framework connector service on loopback that records what the bot sends."""

    def __init__(self) -> None:
        self.posted: list[Reply] = []
        self.requests: list[tuple[str, str]] = []
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
        self.requests.append((request.method, request.path))
        body = await request.json()
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
            "aadObjectId": str(uuid.uuid5(uuid.NAMESPACE_URL, member_id)),
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


class BotHarness:
    """The real bot app on loopback, talking to a :class:`FakeConnector`."""

    def __init__(
        self,
        data_dir: Path,
        connector: FakeConnector,
        *,
        conversation_factory: ConversationFactory | None = None,
        credentials_factory: Any = None,
        settings: Settings | None = None,
        **setting_overrides: Any,
    ) -> None:
        self.connector = connector
        self.settings = settings or make_settings(data_dir, **setting_overrides)
        self.app = create_app(
            self.settings, conversation_factory=conversation_factory, credentials_factory=credentials_factory
        )
        self._server: TestServer | None = None
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> BotHarness:
        self._server = TestServer(self.app, host="127.0.0.1")
        await self._server.start_server()
        self._session = aiohttp.ClientSession()
        return self

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._server is not None:
            await self._server.close()
            self._server = None

    async def __aenter__(self) -> BotHarness:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def url(self) -> str:
        assert self._server is not None, "the bot is not started"
        return str(self._server.make_url("/api/messages"))

    @property
    def base_url(self) -> str:
        assert self._server is not None, "the bot is not started"
        return str(self._server.make_url("/"))

    @property
    def conversation(self) -> Any:
        """The conversation layer the app built (a test double's attributes are reachable here)."""
        return self.app[CONVERSATION]

    # ------------------------------------------------------------------ raw HTTP

    async def post(
        self,
        body: bytes | str | Mapping[str, Any] | list[Any],
        *,
        headers: Mapping[str, str] | None = None,
        path: str = "/api/messages",
        method: str = "POST",
    ) -> tuple[int, Any]:
        """Send anything to the bot; returns the status and the (JSON, else text) body."""
        assert self._session is not None and self._server is not None, "the bot is not started"
        if isinstance(body, Mapping | list):
            data: bytes | str = json.dumps(body)
            all_headers = {"Content-Type": "application/json"}
        else:
            data = body
            all_headers = {}
        all_headers.update(headers or {})
        async with self._session.request(
            method, self._server.make_url(path), data=data, headers=all_headers
        ) as response:
            text = await response.text()
            try:
                parsed: Any = json.loads(text) if text else None
            except json.JSONDecodeError:
                parsed = text
            return response.status, parsed

    async def get(self, path: str) -> tuple[int, Any]:
        return await self.post(b"", path=path, method="GET")

    # ------------------------------------------------------------------ Teams-shaped activities

    def activity(
        self,
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
        """A Teams-shaped activity (message by default). ``tenant=None``: no tenant at all."""
        conversation_id = conversation or f"a:{tenant or 'none'}:{user}"
        data: dict[str, Any] = {
            "type": type,
            "id": f"act-{uuid.uuid4().hex[:12]}",
            "timestamp": "2026-11-23T09:00:00.000Z",
            "serviceUrl": self.connector.service_url,
            "channelId": channel,
            "from": {
                "id": f"29:{user}",
                "name": f"User {user}",
                "aadObjectId": str(uuid.uuid5(uuid.NAMESPACE_DNS, user)),
            },
            "conversation": {"id": conversation_id, "conversationType": conversation_type},
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

    async def send(self, activity: Mapping[str, Any], *, headers: Mapping[str, str] | None = None) -> Turn:
        """Post ``activity``; the turn's replies are those the bot posted to its conversation meanwhile."""
        since = len(self.connector.posted)
        status, body = await self.post(activity, headers=headers)
        return Turn(
            status,
            body,
            self.connector.replies(_conversation_id(activity), since=since, reply_to=activity.get("id")),
        )

    async def say(self, text: str, **kwargs: Any) -> list[Reply]:
        """Send a typed message; returns the bot's replies. Fails unless the bot accepted it (201/200)."""
        turn = await self.send(self.activity(text=text, **kwargs))
        assert turn.status in (200, 201), f"the bot answered HTTP {turn.status}: {turn.body}"
        return turn.replies

    async def submit(self, value: Mapping[str, Any], **kwargs: Any) -> list[Reply]:
        """Click an ``Action.Submit`` whose ``data`` is ``value`` (empty text, ``value`` set)."""
        turn = await self.send(self.activity(value=dict(value), **kwargs))
        assert turn.status in (200, 201), f"the bot answered HTTP {turn.status}: {turn.body}"
        return turn.replies

    async def add_members(self, *member_ids: str, **kwargs: Any) -> list[Reply]:
        """A ``conversationUpdate`` adding ``member_ids`` (default: the bot itself, as on install)."""
        members = [{"id": m, "name": m} for m in (member_ids or (BOT_ID,))]
        turn = await self.send(self.activity("conversationUpdate", membersAdded=members, **kwargs))
        assert turn.status in (200, 201), f"the bot answered HTTP {turn.status}: {turn.body}"
        return turn.replies

    # ------------------------------------------------------------------ partner data

    async def seed_profile(self, tenant: str, profile: Mapping[str, Any]) -> None:
        await self.app[PARTNERS].save_profile(tenant, profile)

    async def seed_cosell(self, tenant: str, facts: Mapping[str, Any]) -> None:
        await self.app[PARTNERS].save_cosell(tenant, facts)

    async def stored_profile(self, tenant: str) -> dict[str, Any] | None:
        return await self.app[PARTNERS].load_profile(tenant)

    async def stored_cosell(self, tenant: str) -> dict[str, Any] | None:
        return await self.app[PARTNERS].load_cosell(tenant)


def _conversation_id(activity: Mapping[str, Any]) -> str:
    conversation = activity.get("conversation")
    return str(conversation.get("id", "")) if isinstance(conversation, Mapping) else ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """The bot server in its own process on a free loopback port (stop and start it to restart).

    ``double=False`` runs the real ``partnerbot serve``; ``double=True`` runs the same app with the
    :mod:`tests.support.doubles` conversation layer (``python -m tests.support.serve_double``).
    """

    def __init__(self, data_dir: Path, *, double: bool = False, env: Mapping[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.double = double
        self.port = free_port()
        self.env = {**_clean_environment(), "PARTNERBOT_HOST": "127.0.0.1", **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir.parent / f"server-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/messages"

    def command(self) -> list[str]:
        options = ["--port", str(self.port), "--data-dir", str(self.data_dir)]
        if self.double:
            return [sys.executable, "-m", "tests.support.serve_double", *options]
        return [*partnerbot_command(), "serve", *options]

    async def start(self, timeout: float = 20.0) -> ServerProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # runs in a scratch folder so no project .env is read
            self.command(), cwd=self.data_dir.parent, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as session:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.output()}")
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(f"http://127.0.0.1:{self.port}/healthz") as response:
                        if response.status == 200:
                            return self
                await asyncio.sleep(0.1)
        await self.stop()
        raise RuntimeError(f"the server did not answer /healthz within {timeout} s:\n{self.output()}")

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    async def stop(self, timeout: float = 10.0) -> int | None:
        """Stop the server the way an operator would (SIGINT → graceful shutdown)."""
        if self.process is None:
            return None
        process, self.process = self.process, None
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                await asyncio.to_thread(process.wait, timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                await asyncio.to_thread(process.wait, timeout)
        return process.returncode


def partnerbot_command() -> list[str]:
    """The installed ``partnerbot`` console script (or the same entry point through this Python)."""
    script = Path(sys.executable).parent / "partnerbot"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]


def _clean_environment() -> dict[str, str]:
    """This environment without partnerbot's or the Bot Framework's settings."""
    return {
        k: v for k, v in os.environ.items() if not k.upper().startswith(("PARTNERBOT_", "MICROSOFTAPP"))
    } | {"PYTHONPATH": str(ROOT)}


class RemoteBot:
    """Talk to a :class:`ServerProcess` the way :class:`BotHarness` talks to an in-process app."""

    def __init__(self, server: ServerProcess, connector: FakeConnector) -> None:
        self.server = server
        self.connector = connector

    def activity(self, type: str = "message", **kwargs: Any) -> dict[str, Any]:
        return BotHarness.activity(self, type, **kwargs)  # type: ignore[arg-type]

    async def send(self, activity: Mapping[str, Any]) -> Turn:
        since = len(self.connector.posted)
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.server.url, json=dict(activity)) as response,
        ):
            status, text = response.status, await response.text()
        return Turn(
            status,
            text,
            self.connector.replies(_conversation_id(activity), since=since, reply_to=activity.get("id")),
        )

    async def say(self, text: str, **kwargs: Any) -> list[Reply]:
        turn = await self.send(self.activity(text=text, **kwargs))
        assert turn.status in (200, 201), f"the bot answered HTTP {turn.status}: {turn.body}"
        return turn.replies
