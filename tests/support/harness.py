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

The connector, replies and Teams-shaped activities are :mod:`tests.support.connector`;
:class:`~tests.support.process.ServerProcess` runs ``partnerbot serve`` (or a test double server) as
a separate process on a free port, for restart tests. :meth:`BotHarness.seed_profile` /
:meth:`BotHarness.seed_cosell` store partner data for a tenant before a conversation. The names
this module had before that split are all importable from here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer

from bot.app import CONVERSATION, PARTNERS, ConversationFactory, create_app
from bot.settings import Settings
from tests.support.connector import (
    ADAPTIVE_CARD,
    BOT_ID,
    FakeConnector,
    Reply,
    Turn,
    conversation_id,
    teams_activity,
)
from tests.support.process import (
    ROOT,
    RemoteBot,
    ServerProcess,
    clean_environment,
    free_port,
    partnerbot_command,
)


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
        "file_hosts": (),
        "file_max_bytes": 4 * 1024 * 1024,
        "file_timeout_seconds": 20.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


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

    def activity(self, type: str = "message", **kwargs: Any) -> dict[str, Any]:
        """A Teams-shaped activity for this bot's connector (``teams_activity`` of the connector module)."""
        return teams_activity(self.connector.service_url, type, **kwargs)

    async def send(self, activity: Mapping[str, Any], *, headers: Mapping[str, str] | None = None) -> Turn:
        """Post ``activity``; the turn's replies are those the bot posted to its conversation meanwhile."""
        since = len(self.connector.posted)
        status, body = await self.post(activity, headers=headers)
        return Turn(
            status,
            body,
            self.connector.replies(conversation_id(activity), since=since, reply_to=activity.get("id")),
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


_clean_environment = clean_environment  # its name before the split into connector, harness and process

__all__ = [
    "ADAPTIVE_CARD", "BOT_ID", "ROOT", "BotHarness", "FakeConnector", "RemoteBot", "Reply", "ServerProcess",
    "Turn", "clean_environment", "conversation_id", "free_port", "make_settings", "partnerbot_command",
    "teams_activity",
]
