from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from tests.guided.driver import Driver


@pytest.fixture
async def make_driver(tmp_path: Path) -> AsyncIterator[Callable[..., Awaitable[Driver]]]:
    """``await make_driver(locale="nl-NL")``: a driver on a fresh database in ``tmp_path``."""
    opened: list[Driver] = []

    async def make(**kwargs: object) -> Driver:
        driver = await Driver(tmp_path / "partnerbot.db", **kwargs).open()  # type: ignore[arg-type]
        opened.append(driver)
        return driver

    yield make
    for driver in opened:
        await driver.close()


@pytest.fixture
async def en(make_driver: Callable[..., Awaitable[Driver]]) -> Driver:
    return await make_driver(locale="en-US")


@pytest.fixture
async def nl(make_driver: Callable[..., Awaitable[Driver]]) -> Driver:
    return await make_driver(locale="nl-NL")


from tests.support.fixtures import bot, fake_connector, make_bot, server_process  # noqa: E402, F401
