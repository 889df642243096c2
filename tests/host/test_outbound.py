"""Outbound safety (issue 13, findings 3, 4 and 5): where replies may go, how long a send may take,
and what a busy channel does to a conversation.

Only loopback listeners are used. Addresses such as 169.254.169.254 appear only as text: the test
asserts they are refused before any connection, by a connector that records every connect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials

import bot.connector
from bot.connector import OutboundRefused, ServiceUrlPolicy, aiohttp_client
from kernel.texts import catalog
from tests.support.doubles import echo_conversation
from tests.support.harness import FakeConnector

FORBIDDEN = [
    "http://169.254.169.254/",
    "http://10.0.0.1/",
    "http://2852039166/",  # 169.254.169.254 as one decimal number
    "http://0x7f000001/",
    "https://" + "a" * 4096 + ".botframework.com/",
    "https://evil.example.com/",
    "https://smba.trafficmanager.net.evil.example.com/amer/",
    "https://botframework.com.evil.example.com/",
    "https://user:pw@smba.trafficmanager.net/amer/",
    "http://smba.trafficmanager.net/amer/",  # not https
    "https://smba.trafficmanager.net:8443/amer/",
    "file:///etc/passwd",
]

ALLOWED = [
    "https://smba.trafficmanager.net/amer/",
    "https://smba.trafficmanager.net/emea/",
    "https://smba.trafficmanager.net/apac/",
    "https://smba.trafficmanager.net/teams/",
    "https://directline.botframework.com/",
    "https://europe.directline.botframework.com/",
    "https://webchat.botframework.com/",
]


def test_the_default_allow_list_is_the_bot_framework_and_teams_service_hosts():
    policy = ServiceUrlPolicy()
    assert [url for url in ALLOWED if not policy.allows(url)] == []
    assert [url for url in FORBIDDEN if policy.allows(url)] == []
    assert not policy.allows("http://127.0.0.1:3978/")  # loopback only without an app id
    local = ServiceUrlPolicy(allow_loopback=True)
    assert local.allows("http://127.0.0.1:3978/") and local.allows("http://localhost:1/")
    assert [url for url in FORBIDDEN if local.allows(url)] == []


def test_the_setting_extends_the_list_with_hosts_ports_and_paths():
    policy = ServiceUrlPolicy(
        ["https://smba.infra.gcc.teams.microsoft.com/", "https://*.example.org:8443/bots"]
    )
    assert policy.allows("https://smba.infra.gcc.teams.microsoft.com/anything/")
    assert policy.allows("https://eu.example.org:8443/bots/v3/")
    assert not policy.allows("https://eu.example.org/bots/")  # other port
    assert not policy.allows("https://eu.example.org:8443/other/")  # other path
    assert not policy.allows("https://example.org:8443/bots/")  # the wildcard needs a subdomain
    with pytest.raises(ValueError):
        ServiceUrlPolicy(["smba.example.org"])


def test_the_setting_is_read_from_the_environment_and_checked(monkeypatch, tmp_path):
    from bot.settings import load_settings
    from kernel.errors import InputError

    monkeypatch.setenv("PARTNERBOT_ALLOWED_SERVICE_URLS", "https://a.example.org/, https://*.example.net")
    settings = load_settings(env_file=None, data_dir=tmp_path)
    assert settings.allowed_service_urls == ("https://a.example.org/", "https://*.example.net")
    monkeypatch.setenv("PARTNERBOT_ALLOWED_SERVICE_URLS", "ftp://a.example.org/")
    with pytest.raises(InputError) as caught:
        load_settings(env_file=None, data_dir=tmp_path)
    assert "PARTNERBOT_ALLOWED_SERVICE_URLS" in str(caught.value)


class RecordingConnector(aiohttp.BaseConnector):
    """An aiohttp connector that records every connection asked of it and makes none."""

    def __init__(self) -> None:
        super().__init__()
        self.attempts: list[str] = []

    async def connect(self, req: Any, traces: Any, timeout: Any) -> Any:
        self.attempts.append(str(req.url))
        raise aiohttp.ClientConnectorError(req.connection_key, OSError("recording only"))


@pytest.mark.parametrize("url", FORBIDDEN[:5])
async def test_the_sender_refuses_a_forbidden_url_without_connecting(url):
    recorder = RecordingConnector()
    async with aiohttp.ClientSession(connector=recorder) as session:
        client = aiohttp_client(
            ConnectorClient(MicrosoftAppCredentials.empty(), base_url=url), session, ServiceUrlPolicy()
        )
        from botbuilder.schema import Activity

        with pytest.raises(OutboundRefused):
            await client.conversations.send_to_conversation("a:1", Activity(type="message", text="hi"))
    assert recorder.attempts == []


@pytest.mark.parametrize("url", FORBIDDEN[:5])
async def test_an_activity_with_a_forbidden_service_url_runs_no_turn_and_is_logged_once(
    echo_bot, caplog, url
):
    activity = echo_bot.activity(text="save profile Intruder")
    activity["serviceUrl"] = url
    with caplog.at_level(logging.INFO):
        turn = await echo_bot.send(activity)
    assert turn.status == 403
    assert turn.body == {"error": "the serviceUrl is not an allowed Bot Framework service"}
    refusals = [r for r in caplog.records if "serviceUrl" in r.getMessage()]
    assert len(refusals) == 1 and refusals[0].levelname == "WARNING"
    with sqlite3.connect(echo_bot.settings.database_path) as conn:
        assert conn.execute("SELECT count(*) FROM state").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM partner_document").fetchone() == (0,)


class StuckChannel:
    """A loopback 'channel' that accepts connections, reads, and never answers."""

    def __init__(self) -> None:
        self.connections = 0
        self.closed = 0
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> StuckChannel:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 1)

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        with contextlib.suppress(Exception):
            while await reader.read(65536):  # until the bot gives up and closes
                pass
        self.closed += 1
        writer.close()


async def test_a_channel_that_never_answers_holds_a_turn_only_for_the_timeout(make_bot, monkeypatch):
    monkeypatch.setattr(bot.connector, "ATTEMPT_TIMEOUT_SECONDS", 0.5)
    echo = await make_bot(conversation_factory=echo_conversation)
    async with StuckChannel() as stuck:
        activity = echo.activity(text="hi")
        activity["serviceUrl"] = stuck.url
        turn = await echo.send(activity)
        assert turn.status == 201
        for _ in range(100):  # the bot closed its connection when it gave up
            if stuck.closed:
                break
            await asyncio.sleep(0.01)
        # one post: no retry of a post that may have arrived, no second 'something went wrong'
        assert (stuck.connections, stuck.closed) == (1, 1)
    # the person's next message is served, and the stuck turn's state was kept (not reset)
    assert [r.text for r in await echo.say("hi")] == ["echo: hi #2 tenant=t1"]


class BusyConnector(FakeConnector):
    """The fake connector, answering the first ``busy`` posts with ``status`` (and Retry-After)."""

    def __init__(self, status: int, busy: int, retry_after: str | None = None) -> None:
        super().__init__()
        self.status = status
        self.busy = busy
        self.retry_after = retry_after
        self.refused = 0

    async def __aenter__(self) -> BusyConnector:
        await self.start()
        return self

    async def _activity(self, request: web.Request) -> web.Response:
        if self.refused < self.busy:
            self.refused += 1
            headers = {"Retry-After": self.retry_after} if self.retry_after is not None else {}
            return web.json_response(
                {"error": {"code": "Throttled", "message": "busy"}}, status=self.status, headers=headers
            )
        return await super()._activity(request)


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    recorded: list[float] = []

    async def sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(bot.connector, "_sleep", sleep)
    return recorded


@pytest.mark.parametrize("status", [429, 502, 503, 504])
async def test_a_busy_channel_is_retried_with_backoff_and_the_reply_arrives(tmp_path, waits, status):
    from tests.support.harness import BotHarness

    async with (
        BusyConnector(status, busy=2) as connector,
        BotHarness(tmp_path, connector, conversation_factory=echo_conversation) as echo,
    ):
        assert [r.text for r in await echo.say("hi")] == ["echo: hi #1 tenant=t1"]
    assert connector.refused == 2
    assert len(waits) == 2 and waits[1] > waits[0] / 2 >= 0  # exponential steps with jitter
    assert waits[0] >= bot.connector.BACKOFF_BASE_SECONDS


async def test_retry_after_is_honoured(tmp_path, waits):
    from tests.support.harness import BotHarness

    async with (
        BusyConnector(429, busy=1, retry_after="3") as connector,
        BotHarness(tmp_path, connector, conversation_factory=echo_conversation) as echo,
    ):
        assert [r.text for r in await echo.say("hi")] == ["echo: hi #1 tenant=t1"]
    assert waits and waits[0] >= 3


async def test_a_channel_busy_beyond_the_budget_keeps_the_conversation_as_it_was(tmp_path, waits, caplog):
    from tests.support.harness import BotHarness

    async with (
        BusyConnector(429, busy=10**6) as connector,
        BotHarness(tmp_path, connector, conversation_factory=echo_conversation) as echo,
    ):
        turn = await echo.send(echo.activity(text="one"))
        assert turn.status == 201 and turn.replies == []
        assert 1 < connector.refused <= bot.connector.MAX_ATTEMPTS
        assert sum(waits) <= bot.connector.SEND_BUDGET_SECONDS
        connector.busy = 0  # the channel recovers
        # no reset and no 'I started over': the count goes on from the busy turn's saved state
        assert [r.text for r in await echo.say("two")] == ["echo: two #2 tenant=t1"]
    assert not [r for r in connector.posted if r.text == catalog().text("bot.turn_error.general", "en")]
    assert any("not delivered" in r.getMessage() for r in caplog.records)


async def test_a_guided_dialog_survives_a_channel_that_throttles_one_answer(tmp_path, waits):
    # Finding 5 with the real conversation: one 429 storm used to end in "something went wrong,
    # I started over". Now the answer stays saved and the dialog goes on where it was.
    from tests.support.harness import BotHarness

    async with (
        BusyConnector(429, busy=0) as connector,
        BotHarness(tmp_path, connector) as real,
    ):
        await real.say("I want to enter our data")
        await real.submit({"verb": "answer", "text": "enterprise"})  # the Enterprise track button
        connector.busy, connector.refused = 10**6, 0  # Teams throttles the bot from here on
        turn = await real.send(real.activity(text="7"))  # net customer adds
        assert turn.status == 201 and turn.replies == []
        connector.busy = 0  # and recovers
        replies = await real.say("12")
        shown = "\n".join(r.text + "".join(str(c) for c in r.cards) for r in replies)
        assert catalog().text("bot.turn_error.general", "en") not in shown
        assert "Question 3 of 8" in shown or "Question 2 of 8" in shown, shown  # not started over
        stored = await real.stored_profile("t1")
    assert stored is not None and stored["metrics"]["net_customer_adds"] == 7
    assert stored["track"] == "enterprise"


async def test_replies_go_through_the_proxy_the_environment_names_and_no_proxy_is_honoured(monkeypatch):
    """HTTP_PROXY / NO_PROXY as an operator sets them: a reply to a channel goes through the proxy
    (a loopback server that answers for the channel), and a host in NO_PROXY is reached directly."""
    from botbuilder.schema import Activity

    seen: dict[str, list[str]] = {"proxy": [], "direct": []}

    async def start(name: str) -> tuple[web.AppRunner, int]:
        async def answer(request: web.Request) -> web.Response:
            seen[name].append(str(request.url))  # a proxy receives the absolute URL of the target
            return web.json_response({"id": name})

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", answer)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return runner, site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    (proxy, proxy_port), (direct, direct_port) = await start("proxy"), await start("direct")
    channel = "http://channel.test:9/"  # not a real host: only the proxy can answer for it
    try:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy_port}")
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        bot.connector.proxy_for.cache_clear()
        policy = ServiceUrlPolicy([channel], allow_loopback=True)
        async with aiohttp.ClientSession() as session:
            for base in (channel, f"http://127.0.0.1:{direct_port}/"):
                stock = ConnectorClient(MicrosoftAppCredentials.empty(), base_url=base)
                client = aiohttp_client(stock, session, policy)
                hi = Activity(type="message", text="hi")
                sent = await client.conversations.send_to_conversation("a:1", hi)
                assert sent.id == ("proxy" if base == channel else "direct")
        assert seen == {
            "proxy": [f"{channel}v3/conversations/a:1/activities"],
            "direct": [f"http://127.0.0.1:{direct_port}/v3/conversations/a:1/activities"],
        }
    finally:
        bot.connector.proxy_for.cache_clear()
        await proxy.cleanup()
        await direct.cleanup()
