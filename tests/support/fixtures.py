"""Pytest fixtures for HTTP-level tests; enable with ``pytest_plugins = ["tests.support.fixtures"]``.

- ``fake_connector``: a started :class:`~tests.support.harness.FakeConnector`;
- ``bot``: the real app with the real conversation layer (``dialogs.conversation``), SQLite in
  ``tmp_path``;
- ``echo_bot``: the real app with the :mod:`tests.support.doubles` conversation layer;
- ``make_bot(**options)``: more bots on the same connector (options of
  :class:`~tests.support.harness.BotHarness`, e.g. ``allowed_tenants=frozenset({"t1"})``);
- ``server_process(data_dir=None, double=False)``: a :class:`~tests.support.harness.ServerProcess`
  (not started), stopped at the end of the test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.doubles import echo_conversation
from tests.support.harness import BotHarness, FakeConnector, ServerProcess


@pytest.fixture
async def fake_connector() -> AsyncIterator[FakeConnector]:
    async with FakeConnector() as connector:
        yield connector


@pytest.fixture
async def make_bot(
    tmp_path: Path, fake_connector: FakeConnector
) -> AsyncIterator[Callable[..., Awaitable[BotHarness]]]:
    started: list[BotHarness] = []

    async def make(**options: Any) -> BotHarness:
        data_dir = options.pop("data_dir", tmp_path / f"data{len(started) or ''}")
        harness = await BotHarness(data_dir, fake_connector, **options).start()
        started.append(harness)
        return harness

    yield make
    for harness in reversed(started):
        await harness.close()


@pytest.fixture
async def bot(make_bot: Callable[..., Awaitable[BotHarness]]) -> BotHarness:
    return await make_bot()


@pytest.fixture
async def echo_bot(make_bot: Callable[..., Awaitable[BotHarness]]) -> BotHarness:
    return await make_bot(conversation_factory=echo_conversation)


@pytest.fixture
async def server_process(tmp_path: Path) -> AsyncIterator[Callable[..., ServerProcess]]:
    servers: list[ServerProcess] = []

    def make(data_dir: Path | None = None, *, double: bool = False, **kwargs: Any) -> ServerProcess:
        server = ServerProcess(data_dir or tmp_path / "server-data", double=double, **kwargs)
        servers.append(server)
        return server

    yield make
    for server in servers:
        await server.stop()
