"""Turns per second and latency over real HTTP, for partnerbot and a minimal stock-SDK echo bot.

    .venv/bin/python -m bench.bench_turns [--turns 400] [--warmup 40] [--concurrency 1] [--rounds 4]

Each bot runs on loopback and sends its replies to the same in-process fake Bot Framework connector
(:mod:`tests.support.harness`); a turn is one POST to ``/api/messages`` until its answer, which
``CloudAdapter`` gives after the replies were delivered. Rows:

- ``stock echo``: ``CloudAdapter`` + ``ConfigurationBotFrameworkAuthentication`` as the SDK ships
  them (new connector and user-token clients every turn) and an ``ActivityHandler`` that echoes;
- ``partnerbot host, echo double``: partnerbot's app (edge checks, client reuse, SQLite state
  read and written every turn) with the small :mod:`tests.support.doubles` conversation layer;
- ``partnerbot, SQLite``: the real conversation layer answering "what is our score?" with a
  scorecard, from a stored profile, in SQLite (the default);
- ``partnerbot, PostgreSQL``: the same on a throwaway PostgreSQL server
  (:mod:`tests.support.postgres`, Debian's ``postgresql`` package);
- ``partnerbot, PostgreSQL, 2 processes``: two ``partnerbot serve`` processes on one PostgreSQL
  database, the turns sent to them in turn (their CPU is their own, not this process's).

All bots are measured in the same run, in interleaved rounds, and each row shows its throughput
and p99 as a multiple of the stock echo bot's. Bounded: the number of turns is fixed; nothing
listens beyond 127.0.0.1 (PostgreSQL listens on a Unix socket in a temporary folder).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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

from bot.app import PARTNERS, create_app, settle
from bot.storage_postgres import open_postgres_backend
from tests.chat.echobot import echo_app
from tests.support.doubles import echo_conversation
from tests.support.harness import BotHarness, FakeConnector, ServerProcess, make_settings
from tests.support.postgres import PostgresServer
from tests.support.profiles import CONTOSO

PROFILE = CONTOSO


class _Echo(ActivityHandler):  # type: ignore[misc]
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"echo: {turn_context.activity.text}")


def stock_echo_app() -> web.Application:
    return echo_app(_Echo())


class Bot:
    """One row: where to post (one URL, or several taken in turn) and what it measured."""

    def __init__(self, name: str, urls: list[str]) -> None:
        self.name = name
        self.urls = urls
        self.latencies: list[float] = []
        self.elapsed = 0.0

    def row(self) -> dict[str, float]:
        latencies = sorted(self.latencies)
        return {
            "turns": len(latencies),
            "per_second": len(latencies) / self.elapsed,
            "p50_ms": statistics.median(latencies) * 1000,
            "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        }


async def drive(
    session: aiohttp.ClientSession, bot: Bot, activity: Any, turns: int, concurrency: int, record: bool
) -> None:
    """``turns`` turns by ``concurrency`` workers, each one POST until its answer."""
    sent = 0

    async def one(url: str) -> None:
        start = time.perf_counter()
        async with session.post(url, json=activity) as response:
            await response.read()
            if response.status not in (200, 201):
                raise RuntimeError(f"{bot.name}: HTTP {response.status}")
        if record:
            bot.latencies.append(time.perf_counter() - start)

    async def worker() -> None:
        nonlocal sent
        while sent < turns:
            url = bot.urls[sent % len(bot.urls)]
            sent += 1
            await one(url)

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    if record:
        bot.elapsed += time.perf_counter() - began


async def measure_all(bots: list[Bot], activity: Any, args: argparse.Namespace) -> None:
    """Warm every bot up, then measure them in interleaved rounds (each round gives every bot the
    same share of turns), so that a machine whose load changes during the run weighs on all rows
    alike."""
    async with aiohttp.ClientSession() as session:
        for bot in bots:
            await drive(session, bot, activity, args.warmup, 1, record=False)
        per_round = max(args.concurrency, args.turns // args.rounds)
        for _ in range(args.rounds):
            for bot in bots:
                await drive(session, bot, activity, per_round, args.concurrency, record=True)


async def main_async(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        postgres: PostgresServer | None = None
        if args.postgres:
            postgres = PostgresServer().start()
            stack.callback(postgres.stop)
        async with FakeConnector(record=False) as connector, contextlib.AsyncExitStack() as running:
            shape = BotHarness.activity(SimpleNamespace(connector=connector), text="what is our score?")  # type: ignore[arg-type]

            async def serve(app: web.Application, seed: bool = True) -> str:
                server = TestServer(app, host="127.0.0.1")
                await server.start_server()
                running.push_async_callback(server.close)
                if seed:
                    await app[PARTNERS].save_profile("t1", PROFILE)
                return str(server.make_url("/api/messages"))

            bots = [Bot("stock echo (SDK as shipped)", [await serve(stock_echo_app(), seed=False)])]
            data = Path(tmp)
            bots.append(
                Bot(
                    "partnerbot host, echo double",
                    [
                        await serve(
                            create_app(make_settings(data / "echo"), conversation_factory=echo_conversation)
                        )
                    ],
                )
            )
            bots.append(Bot("partnerbot, SQLite", [await serve(create_app(make_settings(data / "sqlite")))]))
            if postgres is not None:
                url = await postgres.create_database()
                settings = make_settings(data / "unused", database_url=url)
                bots.append(Bot("partnerbot, PostgreSQL", [await serve(create_app(settings))]))
                if args.two_processes:
                    shared = await postgres.create_database()
                    env = {"PARTNERBOT_DATABASE_URL": shared, "PARTNERBOT_LOG_LEVEL": "ERROR"}
                    servers = [ServerProcess(data / f"p{i}", env=env) for i in range(2)]
                    for server in servers:
                        await server.start()
                        running.push_async_callback(server.stop)
                    backend = await open_postgres_backend(shared, pool_size=1)
                    await backend.partners.save_profile("t1", PROFILE)
                    await backend.close()
                    bots.append(Bot("partnerbot, PostgreSQL, 2 processes", [s.url for s in servers]))
            settle()  # what partnerbot serve does before it serves
            await measure_all(bots, shape, args)
    rows = [(bot.name, bot.row()) for bot in bots]
    echo = rows[0][1]
    print(
        f"{args.turns} turns per bot after {args.warmup} warm-up, concurrency {args.concurrency}, "
        f"{args.rounds} interleaved rounds, fake connector on loopback"
    )
    print(f"{'bot':38} {'turns/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'× echo turns/s':>15} {'p99 / echo':>11}")
    for name, row in rows:
        print(
            f"{name:38} {row['per_second']:9.1f} {row['p50_ms']:8.2f} {row['p99_ms']:8.2f} "
            f"{row['per_second'] / echo['per_second']:15.2f} {row['p99_ms'] / echo['p99_ms']:11.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds (default 4)")
    parser.add_argument(
        "--no-postgres",
        dest="postgres",
        action="store_false",
        help="leave out the PostgreSQL rows (they start a throwaway server)",
    )
    parser.add_argument(
        "--no-two-processes",
        dest="two_processes",
        action="store_false",
        help="leave out the row of two partnerbot serve processes on one PostgreSQL",
    )
    args = parser.parse_args()
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
