"""Figures for the hardening of issue 13: bad input, forged tokens, two processes, a state soak.

    .venv/bin/python -m bench.bench_hardening [--part all|bad-input|tokens|processes|soak]
        [--tokens 50] [--users 10] [--burst 20] [--conversations 2000] [--rounds 10]
        [--without-leases]

- ``bad-input``: every case of the bad-input catalogues (``tests/host/test_bad_input.py``,
  ``tests/host/test_http_edge.py``), forbidden service URLs and cross-tenant attempts, posted to the
  real app: requests by status code, and failed turns in the log (must be 0).
- ``tokens``: threads of the process before and after N forged tokens against a loopback key
  server that accepts connections and never answers, and how they were answered.
- ``processes``: two server processes (the real app with :class:`AnswerDouble`, which stores
  answers as the guided dialogs do) on one SQLite database; for each person a burst of answers sent
  at once, alternating between the processes. Lost = the person's stored value is one they were
  told was not saved, although another answer was acknowledged. ``--without-leases`` runs the
  servers with the cross-process lease switched off (the old code).
- ``soak``: new conversations in rounds; after each round the clock is moved on 100 days for all
  state (as if unused), one regular conversation goes on, and ``partnerbot maintenance`` runs: state
  rows and database size per round, with and without the clean-up.

Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import logging
import os
import sqlite3
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import aiohttp

import bot.signing_keys as bot_signing_keys
from bot.cli import main as cli_main
from tests.host.test_auth import APP_ID, ATTACKER_KEY, token
from tests.host.test_bad_input import CATALOGUE, encode
from tests.host.test_http_edge import BAD_ACTIVITIES
from tests.host.test_outbound import FORBIDDEN
from tests.host.test_signing_keys import SilentKeyServer
from tests.support.doubles import echo_conversation
from tests.support.harness import BotHarness, FakeConnector, ServerProcess


class _FailedTurns(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def bad_input() -> None:
    failures = _FailedTurns()
    logging.getLogger().addHandler(failures)
    statuses: collections.Counter[int] = collections.Counter()
    by_group: dict[str, collections.Counter[int]] = collections.defaultdict(collections.Counter)
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeConnector() as connector, BotHarness(Path(tmp), connector) as bot:
            requests: list[tuple[str, Any]] = []
            for make in CATALOGUE.values():
                requests.append(("odd values and invokes", encode(make(bot))))
            for make in BAD_ACTIVITIES.values():
                requests.append(("malformed activities", make(bot.activity(text="hi"))))
            for url in FORBIDDEN:
                requests.append(("forbidden serviceUrl", {**bot.activity(text="hi"), "serviceUrl": url}))
            for i in range(12):  # cross-tenant: other channels naming a tenant, disagreeing ids
                activity = bot.activity(text="profile?", channel="webchat", tenant=f"victim{i}")
                if i % 2:
                    activity = bot.activity(text="hi", tenant=f"victim{i}")
                    activity["conversation"]["tenantId"] = "someone-else"
                requests.append(("cross-tenant attempts", activity))
            for group, body in requests:
                headers = {"Content-Type": "application/json"} if isinstance(body, str) else None
                status, _ = await bot.post(body, headers=headers)
                statuses[status] += 1
                by_group[group][status] += 1
    logging.getLogger().removeHandler(failures)
    print(f"bad-input catalogue: {sum(statuses.values())} requests")
    for group, counts in by_group.items():
        print(f"  {group:24} {dict(sorted(counts.items()))}")
    print(f"  all by status code       {dict(sorted(statuses.items()))}")
    server_errors = sum(n for status, n in statuses.items() if status >= 500 and status != 501)
    print(f"  5xx other than 501 (invoke not implemented): {server_errors}")
    print(f"  failed turns / errors in the log: {len(failures.messages)}")


async def forged_tokens(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with SilentKeyServer() as keys, FakeConnector() as connector:
            bot = BotHarness(
                Path(tmp),
                connector,
                conversation_factory=echo_conversation,
                microsoft_app_id=APP_ID,
                microsoft_app_password="x",
                channel_openid_metadata_url=keys.metadata_url,
            )
            async with bot:
                before = threading.active_count()
                forged = {"Authorization": "Bearer " + token(connector.service_url, key=ATTACKER_KEY)}
                started = asyncio.get_running_loop().time()
                turns = await asyncio.gather(
                    *(bot.send(bot.activity(text="hi"), headers=forged) for _ in range(count))
                )
                took = asyncio.get_running_loop().time() - started
                after = threading.active_count()
                # the failure backoff (30 s) has passed: the same again
                bot_signing_keys.install().get(keys.metadata_url)._failed_at = float("-inf")
                turns += await asyncio.gather(
                    *(bot.send(bot.activity(text="hi"), headers=forged) for _ in range(count))
                )
                again = threading.active_count()
            statuses = collections.Counter(t.status for t in turns)
            print(
                f"forged tokens against an unresponsive key server: {count} requests in {took:.1f} s, twice"
            )
            print(f"  answers: {dict(statuses)}; key-server connections: {keys.connections}")
            print(
                f"  threads before {before}, after {after}, after the second {count}: {again}"
                f"; replies sent: {len(connector.posted)}"
            )


class AnswerDouble:
    """A conversation layer that stores answers the way the guided dialogs do, for ``processes``.

    Conversation state remembers the value shown when the question was asked; a number is written
    to the tenant's partner data only if that value is still stored (the guided dialogs' guard),
    then the state is saved (eTag-checked) and the answer acknowledged: "Saved: v = N". A state
    conflict makes the host tell the person the step was not saved. "final" shows the stored value.
    """

    def __init__(self, storage: Any, partners: Any) -> None:
        from botbuilder.core import ConversationState

        self.state = ConversationState(storage)
        self.asked = self.state.create_property("asked")
        self.partners = partners

    async def language(self, turn_context: Any) -> str:
        return "en"

    async def on_message(self, turn_context: Any, tenant: str) -> None:
        from dialogs.turn import begin_turn

        begin_turn(turn_context, tenant, "en")
        text = str(turn_context.activity.text or "")
        if text == "final":
            doc = await self.partners.load_profile(tenant)
            await turn_context.send_activity(f"stored: {(doc or {}).get('v')}")
            return
        asked = await self.asked.get(turn_context, None)
        answer = int(text)
        stale: list[Any] = []

        def change(doc: Any) -> Any:
            doc = dict(doc or {})
            if doc.get("v") != asked:
                stale.append(doc.get("v"))
                return doc
            doc["v"] = answer
            return doc

        await self.partners.update_profile(tenant, change)
        await self.asked.set(turn_context, stale[0] if stale else answer)
        await self.state.save_changes(turn_context)
        await turn_context.send_activity("asked again" if stale else f"Saved: v = {answer}")

    async def on_members_added(self, turn_context: Any, tenant: str, members: Any) -> None:
        return None

    async def reset(self, turn_context: Any) -> None:
        await self.state.clear_state(turn_context)
        await self.state.save_changes(turn_context)


def answer_double(storage: Any, partners: Any) -> Any:
    return AnswerDouble(storage, partners)


async def two_processes(users: int, burst: int, without_leases: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "shared"
        servers = [ServerProcess(data, double=True) for _ in range(2)]
        for server in servers:
            server.command = _bench_server_command(server, without_leases)  # type: ignore[method-assign]
        acknowledged = not_saved = asked_again = lost = 0
        async with FakeConnector() as connector:
            for server in servers:
                await server.start()
            try:
                async with aiohttp.ClientSession() as session:

                    async def send(server: ServerProcess, user: str, text: str) -> str:
                        activity = _activity(connector.service_url, user, text)
                        async with session.post(server.url, json=activity) as response:
                            await response.read()
                        replies = connector.replies(f"a:{user}", reply_to=activity["id"])
                        return replies[-1].text if replies else ""

                    for user_no in range(users):
                        user = f"user{user_no}"
                        answers = [100 + i for i in range(burst)]
                        texts = await asyncio.gather(
                            *(send(servers[i % 2], user, str(n)) for i, n in enumerate(answers))
                        )
                        acked = {n for n, t in zip(answers, texts, strict=True) if t.startswith("Saved")}
                        refused = {n for n, t in zip(answers, texts, strict=True) if "not save" in t}
                        acknowledged += len(acked)
                        not_saved += len(refused)
                        asked_again += sum(t == "asked again" for t in texts)
                        stored = int((await send(servers[0], user, "final")).split(": ")[1])
                        # an acknowledged answer was overwritten by a turn the person was told did not save
                        lost += bool(acked) and stored in refused
            finally:
                for server in servers:
                    await server.stop()
        label = "without the lease (the old code)" if without_leases else "with the lease"
        print(f"two processes on one SQLite database, {label}: {users} people x {burst} answers at once")
        print(f"  acknowledged {acknowledged}, asked again {asked_again}, told 'not saved' {not_saved}")
        print(f"  people whose acknowledged answer was overwritten by a 'not saved' turn: {lost} of {users}")


def _activity(service_url: str, user: str, text: str) -> dict[str, Any]:
    import uuid

    return {
        "type": "message",
        "id": f"act-{uuid.uuid4().hex[:12]}",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": f"29:{user}", "name": user},
        "conversation": {"id": f"a:{user}", "conversationType": "personal", "tenantId": f"t-{user}"},
        "recipient": {"id": "28:partnerbot", "name": "partnerbot"},
        "channelData": {"tenant": {"id": f"t-{user}"}},
        "locale": "en-US",
        "text": text,
    }


def _bench_server_command(server: ServerProcess, without_leases: bool) -> Any:
    def command() -> list[str]:
        options = ["--port", str(server.port), "--data-dir", str(server.data_dir)]
        flags = ["--serve-without-leases"] if without_leases else ["--serve"]
        return [sys.executable, "-m", "bench.bench_hardening", *flags, *options]

    return command


def _serve(port: int, data_dir: Path, *, without_leases: bool) -> None:
    """The server with :class:`AnswerDouble`; ``without_leases``: the cross-process lease switched
    off (what the code did before)."""
    import contextlib

    from aiohttp import web

    import bot.storage
    from bot.app import create_app
    from bot.settings import load_settings

    if without_leases:

        @contextlib.asynccontextmanager
        async def no_lease(self: Any, key: str, *, wait_seconds: float = 0) -> Any:
            yield

        bot.storage.TurnLeases.hold = no_lease  # type: ignore[method-assign]
    settings = load_settings(env_file=None, port=port, data_dir=data_dir)
    app = create_app(settings, conversation_factory=answer_double)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


async def soak(conversations: int, rounds: int) -> None:
    per_round = conversations // rounds
    for clean in (False, True):
        with tempfile.TemporaryDirectory() as tmp:
            async with (
                FakeConnector() as connector,
                BotHarness(Path(tmp), connector, conversation_factory=echo_conversation) as bot,
            ):
                path = bot.settings.database_path
                rows = []
                for round_no in range(rounds):
                    for n in range(per_round):
                        await bot.say("hi", conversation=f"a:{round_no}:{n}", user=f"u{round_no}-{n}")
                    _age_all(path, days=100)
                    await bot.say("hi", conversation="a:regular", user="regular")
                    if clean:
                        await asyncio.to_thread(
                            cli_main, ["maintenance", "--data-dir", str(bot.settings.data_dir)]
                        )
                    with sqlite3.connect(path) as conn:
                        rows.append(conn.execute("SELECT count(*) FROM state").fetchone()[0])
                with sqlite3.connect(path) as conn:
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    if clean:
                        conn.execute("VACUUM")
                size = os.path.getsize(path)
        label = "with partnerbot maintenance each round" if clean else "without clean-up"
        print(f"soak, {per_round * rounds} new conversations in {rounds} rounds, {label}:")
        print(f"  state rows after each round: {rows}; database {size / 1024:.0f} KB")


def _age_all(path: Path, days: float) -> None:
    when = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="milliseconds")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE state SET used_at = ?", (when,))


async def run(args: argparse.Namespace) -> None:
    parts = {args.part} if args.part != "all" else {"bad-input", "tokens", "processes", "soak"}
    if "bad-input" in parts:
        await bad_input()
    if "tokens" in parts:
        await forged_tokens(args.tokens)
    if "processes" in parts:
        await two_processes(args.users, args.burst, args.without_leases)
    if "soak" in parts:
        await soak(args.conversations, args.rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", default="all", choices=["all", "bad-input", "tokens", "processes", "soak"])
    parser.add_argument("--tokens", type=int, default=50)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--conversations", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--without-leases", action="store_true")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-without-leases", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    if args.serve or args.serve_without_leases:
        _serve(args.port, args.data_dir, without_leases=args.serve_without_leases)
        return
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
