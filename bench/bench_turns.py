"""Turns per second and latency over real HTTP, for partnerbot and a minimal stock-SDK echo bot.

    .venv/bin/python -m bench.bench_turns [--turns 400] [--warmup 40] [--concurrency 1]

Each bot runs on loopback and sends its replies to the same in-process fake Bot Framework connector
(:mod:`tests.support.harness`); a turn is one POST to ``/api/messages`` until its answer, which
``CloudAdapter`` gives after the replies were delivered. Rows:

- ``stock echo``: ``CloudAdapter`` + ``ConfigurationBotFrameworkAuthentication`` as the SDK ships
  them (new connector and user-token clients every turn) and an ``ActivityHandler`` that echoes;
- ``partnerbot host, echo double``: partnerbot's app (edge checks, client reuse, SQLite state
  read and written every turn) with the small :mod:`tests.support.doubles` conversation layer;
- ``partnerbot``: the real conversation layer answering "what is our score?" with a scorecard;
- ``partnerbot, SDK connector``: the same, but with the connector client as the SDK builds it
  (``requests`` on a worker thread, msrest serializing the card value by value) instead of
  :mod:`bot.connector`'s: what the host's own client saves.

Bounded: the number of turns is fixed; nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from botbuilder.core import ActivityHandler, TurnContext

import bot.adapter
from bot.app import PARTNERS, create_app
from tests.chat.echobot import echo_app
from tests.support.doubles import echo_conversation
from tests.support.harness import BotHarness, FakeConnector, make_settings
from tests.support.profiles import CONTOSO

PROFILE = CONTOSO


class _Echo(ActivityHandler):  # type: ignore[misc]
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"echo: {turn_context.activity.text}")


def stock_echo_app() -> web.Application:
    return echo_app(_Echo())


async def drive(url: str, activity: Any, turns: int, warmup: int, concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    async with aiohttp.ClientSession() as session:

        async def one(record: bool) -> None:
            start = time.perf_counter()
            async with session.post(url, json=activity) as response:
                await response.read()
                if response.status not in (200, 201):
                    raise RuntimeError(f"HTTP {response.status}")
            if record:
                latencies.append(time.perf_counter() - start)

        for _ in range(warmup):
            await one(False)
        per_worker = turns // concurrency

        async def worker() -> None:
            for _ in range(per_worker):
                await one(True)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "turns": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


async def main_async(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.ERROR)
    rows: list[tuple[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeConnector() as connector:
            shape = BotHarness.activity(SimpleNamespace(connector=connector), text="what is our score?")  # type: ignore[arg-type]

            async def measure(app: web.Application, before: Any = None) -> dict[str, float]:
                server = TestServer(app, host="127.0.0.1")
                await server.start_server()
                try:
                    if before is not None:
                        await before(app)
                    url = str(server.make_url("/api/messages"))
                    return await drive(url, shape, args.turns, args.warmup, args.concurrency)
                finally:
                    await server.close()

            async def seed(app: web.Application) -> None:
                await app[PARTNERS].save_profile("t1", PROFILE)

            rows.append(("stock echo (SDK as shipped)", await measure(stock_echo_app())))

            variants: list[tuple[str, Any, bool]] = [
                ("partnerbot host, echo double", echo_conversation, False),
                ("partnerbot (real conversation)", None, False),
                ("partnerbot, SDK connector", None, True),
            ]
            host_client = bot.adapter.connector_client
            for i, (name, factory, stock_client) in enumerate(variants):
                # The SDK's own client, as the host used it before bot.connector:
                sdk_client = lambda stock, session, policy: stock  # noqa: E731
                bot.adapter.connector_client = sdk_client if stock_client else host_client
                app = create_app(make_settings(Path(tmp) / f"data{i}"), conversation_factory=factory)
                rows.append((name, await measure(app, seed)))
            bot.adapter.connector_client = host_client
    print(
        f"{args.turns} turns after {args.warmup} warm-up, concurrency {args.concurrency}, "
        "fake connector on loopback"
    )
    print(f"{'bot':34} {'turns/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for name, row in rows:
        print(f"{name:34} {row['per_second']:9.1f} {row['p50_ms']:8.2f} {row['p99_ms']:8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
