"""The storage backends, one suite for both: SQLite (the default) and PostgreSQL
(``PARTNERBOT_DATABASE_URL``). e_tag concurrency, all-or-nothing writes, per-tenant partner data,
concurrent updates, turn leases across processes, clean-up; then each engine's schema versions.

The PostgreSQL cases run on the throwaway server of :mod:`tests.support.postgres`; without
PostgreSQL they fail, saying what to install.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import sqlite3
from fractions import Fraction
from pathlib import Path

import asyncpg
import pytest

from bot import storage_postgres
from bot.storage import (
    SCHEMA_VERSION,
    Backend,
    Database,
    ETagConflict,
    LeaseBusy,
    SqlitePartnerRepository,
    open_sqlite_backend,
)
from bot.storage.documents import one_read_per_turn
from bot.storage_postgres import open_postgres_backend
from kernel import clock
from kernel.errors import InputError
from tests.support.postgres import PostgresServer
from tests.support.profiles import CONTOSO, records_profile


async def _profile(partners, tenant: str) -> dict:
    profile = await partners.load_profile(tenant)
    assert profile is not None, f"no profile stored for {tenant}"
    return profile


class Store:
    """One database of one engine; :meth:`open` gives another backend (another process's view)."""

    def __init__(self, kind: str, where: str) -> None:
        self.kind = kind
        self.where = where
        self.opened: list[Backend] = []

    async def open(self) -> Backend:
        if self.kind == "sqlite":
            backend = await open_sqlite_backend(Path(self.where))
        else:
            backend = await open_postgres_backend(self.where, pool_size=4)
        self.opened.append(backend)
        return backend

    async def close(self) -> None:
        for backend in self.opened:
            await backend.close()


@pytest.fixture(params=["sqlite", "postgresql"])
async def store(request, tmp_path):
    server: PostgresServer | None = None
    if request.param == "sqlite":
        where = str(tmp_path / "data" / "partnerbot.sqlite3")
    else:
        server = request.getfixturevalue("postgres_server")  # fails, saying why, without PostgreSQL
        where = await server.create_database()
    opened = Store(request.param, where)
    yield opened
    await opened.close()
    if server is not None:
        await server.drop_database(where)


@pytest.fixture
async def backend(store):
    return await store.open()


async def test_a_stale_write_is_refused_and_the_winner_kept(backend):
    storage = backend.storage
    await storage.write({"k": {"count": 1}})
    first = (await storage.read(["k"]))["k"]
    second = (await storage.read(["k"]))["k"]
    first["count"] = 2
    await storage.write({"k": first})
    second["count"] = 3
    with pytest.raises(ETagConflict):
        await storage.write({"k": second})
    assert (await storage.read(["k"]))["k"]["count"] == 2
    # the loser reads again and retries: now it succeeds on top of the winner's value
    retry = (await storage.read(["k"]))["k"]
    retry["count"] += 10
    await storage.write({"k": retry})
    assert (await storage.read(["k"]))["k"]["count"] == 12


async def test_two_creators_of_a_new_key_one_wins(backend):
    storage = backend.storage
    a = (await storage.read(["new"]))["new"]
    b = (await storage.read(["new"]))["new"]
    a["who"] = "a"
    b["who"] = "b"
    await storage.write({"new": a})
    with pytest.raises(ETagConflict):
        await storage.write({"new": b})
    assert (await storage.read(["new"]))["new"]["who"] == "a"


async def test_a_write_with_several_keys_is_all_or_nothing(backend):
    storage = backend.storage
    await storage.write({"a": {"v": 1}, "b": {"v": 1}})
    stale_b = (await storage.read(["b"]))["b"]
    await storage.write({"b": {"v": 2, "e_tag": "*"}})
    a = (await storage.read(["a"]))["a"]
    a["v"] = 5
    stale_b["v"] = 5
    with pytest.raises(ETagConflict):
        await storage.write({"a": a, "b": stale_b})
    values = await storage.read(["a", "b"])
    assert (values["a"]["v"], values["b"]["v"]) == (1, 2)


async def test_saving_twice_in_one_turn_is_not_a_conflict(backend):
    storage = backend.storage
    item = (await storage.read(["k"]))["k"]
    item["v"] = 1
    await storage.write({"k": item})
    item["v"] = 2
    await storage.write({"k": item})
    assert (await storage.read(["k"]))["k"]["v"] == 2


async def test_delete_and_unconditional_overwrite(backend):
    storage = backend.storage
    await storage.write({"k": {"v": 1}})
    await storage.write({"k": {"v": 2}})  # no e_tag: last writer wins, as the SDK defines it
    assert (await storage.read(["k"]))["k"]["v"] == 2
    await storage.delete(["k"])
    assert (await storage.read(["k"]))["k"] == {"e_tag": "absent"}


async def test_objects_in_state_survive_a_reopen(store):
    from botbuilder.dialogs import DialogState

    first = await store.open()
    await first.storage.write({"k": {"DialogState": DialogState([]), "n": {1: "x"}}})
    await first.close()
    item = (await (await store.open()).storage.read(["k"]))["k"]
    assert isinstance(item["DialogState"], DialogState)
    assert item["n"] == {1: "x"}


async def test_partner_data_is_kept_per_tenant(backend):
    partners = backend.partners
    await partners.save_profile("t1", {"partner": "Contoso", "market": "larger"})
    await partners.save_cosell("t1", {"partner": {"partner_id": True}, "offers": []})
    await partners.save_profile("t2", {"partner": "Fabrikam"})
    assert (await _profile(partners, "t1"))["partner"] == "Contoso"
    assert (await _profile(partners, "t2"))["partner"] == "Fabrikam"
    assert await partners.load_cosell("t2") is None
    assert await partners.load_profile("t3") is None
    with pytest.raises(ValueError):
        await partners.load_profile("")


async def test_a_turn_reads_its_own_changes_and_the_next_turn_reads_other_processes(store):
    """Within a turn the tenant's documents are read once (one query); the turn still sees what it
    changes itself, a caller's changed copy is nobody else's, and the next turn sees what another
    process wrote meanwhile."""
    mine, other = await store.open(), await store.open()

    async def elsewhere(document: dict) -> None:  # another process: a turn of its own, not this one
        await asyncio.create_task(other.partners.save_profile("t1", document), context=contextvars.Context())

    await mine.partners.save_profile("t1", {"partner": "Contoso", "market": "larger"})
    with one_read_per_turn():
        first = await _profile(mine.partners, "t1")
        first["market"] = "changed by a caller"  # a caller's copy, not the turn's
        assert (await _profile(mine.partners, "t1"))["market"] == "larger"
        await elsewhere({"partner": "Contoso", "market": "other"})
        assert (await _profile(mine.partners, "t1"))["market"] == "larger"  # read at the turn's start
        assert await mine.partners.load_cosell("t1") is None
        await mine.partners.save_cosell("t1", {"partner": {"partner_id": True}, "offers": []})
        assert await mine.partners.load_cosell("t1") == {"partner": {"partner_id": True}, "offers": []}
        await mine.partners.update_profile("t1", lambda doc: {**(doc or {}), "partner": "Contoso B.V."})
        after = await _profile(mine.partners, "t1")
        assert (after["partner"], after["market"]) == ("Contoso B.V.", "other")  # its write, on the latest
    with one_read_per_turn():
        await elsewhere({"partner": "Fabrikam"})
        assert (await _profile(mine.partners, "t1"))["partner"] == "Fabrikam"


async def test_concurrent_updates_lose_nothing(backend):
    partners = backend.partners

    def add_one(doc):
        doc = dict(doc or {"partner": "Contoso", "metrics": {"advanced_certified_people": 0}})
        doc["metrics"] = {"advanced_certified_people": doc["metrics"]["advanced_certified_people"] + 1}
        return doc

    await asyncio.gather(*(partners.update_profile("t1", add_one) for _ in range(25)))
    assert (await _profile(partners, "t1"))["metrics"]["advanced_certified_people"] == 25


async def test_a_failed_update_leaves_the_stored_document_as_it_was(backend):
    partners = backend.partners
    await partners.save_profile("t1", {"partner": "Contoso", "market": "larger"})

    def bad(doc):
        doc["market"] = "other"  # changes the copy it was given, then fails
        raise InputError("not a market", code="invalid")

    with pytest.raises(InputError):
        await partners.update_profile("t1", bad)
    assert (await _profile(partners, "t1"))["market"] == "larger"


async def test_a_person_s_lease_is_held_across_processes_until_released(store):
    one, two = await store.open(), await store.open()
    order: list[str] = []

    async def turn(backend: Backend, name: str, started: asyncio.Event | None = None) -> None:
        async with backend.leases.hold("person"):
            order.append(f"{name} in")
            if started is not None:
                started.set()
            await asyncio.sleep(0.3)
            order.append(f"{name} out")

    started = asyncio.Event()
    first = asyncio.create_task(turn(one, "one", started))
    await started.wait()
    await turn(two, "two")
    await first
    assert order == ["one in", "one out", "two in", "two out"]
    async with one.leases.hold("someone else"), two.leases.hold("another person"):
        pass  # other people are not held up


async def test_a_lease_that_is_not_released_in_time_is_busy(store):
    one, two = await store.open(), await store.open()
    async with one.leases.hold("person"):
        with pytest.raises(LeaseBusy):
            async with two.leases.hold("person", wait_seconds=0.3):
                pass
    async with two.leases.hold("person", wait_seconds=5):
        pass


async def test_clean_up_removes_unused_state_and_keeps_partner_data(store, backend):
    await backend.storage.write({"old": {"v": 1}, "new": {"v": 2}})
    await backend.partners.save_profile("t1", {"partner": "Contoso"})
    await _age_state(store, "local/old", days=100)
    assert await backend.clean_up(dt.timedelta(days=90)) == 1
    values = await backend.storage.read(["old", "new"])
    assert values["old"] == {"e_tag": "absent"} and values["new"]["v"] == 2
    assert (await _profile(backend.partners, "t1"))["partner"] == "Contoso"


async def _age_state(store: Store, key: str, *, days: int) -> None:
    if store.kind == "sqlite":
        when = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="milliseconds")
        with sqlite3.connect(store.where) as conn:
            conn.execute("UPDATE state SET used_at = ? WHERE key = ?", (when, key))
    else:
        conn = await asyncpg.connect(store.where)
        try:
            await conn.execute(
                "UPDATE state SET used_at = now() - $2::interval WHERE key = $1", key, dt.timedelta(days=days)
            )
        finally:
            await conn.close()


async def test_health_check_answers(backend):
    await backend.check()


# --------------------------------------------------------------------------- SQLite schema


async def test_the_database_has_a_schema_version_and_reopens_without_migrating_twice(tmp_path):
    path = tmp_path / "db.sqlite3"
    db = await Database.open(path)
    await SqlitePartnerRepository(db).save_profile("t1", {"partner": "Contoso"})
    await db.close()
    db = await Database.open(path)
    assert (await SqlitePartnerRepository(db).load_profile("t1")) == {"partner": "Contoso"}
    await db.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


async def test_a_database_from_a_newer_partnerbot_is_refused_untouched(tmp_path):
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.execute("CREATE TABLE future (x)")
    with pytest.raises(InputError) as caught:
        await Database.open(path)
    assert caught.value.code == "bot.database_newer"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION + 1,)


async def test_a_file_that_is_not_a_database_is_an_input_error(tmp_path):
    path = tmp_path / "db.sqlite3"
    path.write_text("not a database, just text " * 100)
    with pytest.raises(InputError) as caught:
        await Database.open(path)
    assert caught.value.code == "bot.database_open"


# --------------------------------------------------------------------------- PostgreSQL schema


async def _schema_version(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval("SELECT max(version) FROM partnerbot_schema"))
    finally:
        await conn.close()


async def test_postgres_has_a_schema_version_and_processes_starting_together_migrate_once(postgres_url):
    backends = await asyncio.gather(*(open_postgres_backend(postgres_url, pool_size=2) for _ in range(4)))
    try:
        await backends[0].partners.save_profile("t1", {"partner": "Contoso"})
        assert await backends[3].partners.load_profile("t1") == {"partner": "Contoso"}
    finally:
        for backend in backends:
            await backend.close()
    assert await _schema_version(postgres_url) == storage_postgres.SCHEMA_VERSION
    conn = await asyncpg.connect(postgres_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM partnerbot_schema") == 1
    finally:
        await conn.close()


async def test_a_postgres_database_from_a_newer_partnerbot_is_refused_untouched(postgres_url):
    conn = await asyncpg.connect(postgres_url)
    try:
        await conn.execute("CREATE TABLE partnerbot_schema (version INTEGER NOT NULL)")
        await conn.execute("INSERT INTO partnerbot_schema VALUES ($1)", storage_postgres.SCHEMA_VERSION + 1)
    finally:
        await conn.close()
    with pytest.raises(InputError) as caught:
        await open_postgres_backend(postgres_url)
    assert caught.value.code == "bot.database_newer"
    assert await _schema_version(postgres_url) == storage_postgres.SCHEMA_VERSION + 1


async def test_a_postgres_server_that_does_not_answer_is_an_input_error(tmp_path):
    url = f"postgresql://partnerbot:secret@/nothing?host={tmp_path}"
    with pytest.raises(InputError) as caught:
        await open_postgres_backend(url)
    assert caught.value.code == "bot.database_open"
    assert "secret" not in str(caught.value) and "secret" not in str(caught.value.source)


async def test_a_write_waits_for_another_process_s_lock_without_stalling_the_loop(tmp_path):
    path = tmp_path / "db.sqlite3"
    backend = await open_sqlite_backend(path)
    other = sqlite3.connect(path, isolation_level=None)  # another process, e.g. partnerbot import
    try:
        other.execute("BEGIN IMMEDIATE")
        ticks = 0

        async def ticking() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        ticker = asyncio.create_task(ticking())
        write = asyncio.create_task(backend.partners.save_profile("t1", {"partner": "Contoso"}))
        await asyncio.sleep(0.3)
        assert not write.done()  # still waiting for the lock ...
        assert ticks >= 3  # ... while the loop serves everything else (a blocked loop ticks once)
        other.execute("COMMIT")
        await asyncio.wait_for(write, 5)
        ticker.cancel()
        assert (await _profile(backend.partners, "t1"))["partner"] == "Contoso"
    finally:
        other.close()
        await backend.close()


# --------------------------------------------------------------------------- monthly history


def _as_of(profile: dict, **metrics: int) -> dict:
    """Contoso (2022 rules) without an evaluated month: the day it is stored decides the month."""
    changed = {k: v for k, v in profile.items() if k != "evaluated_month"}
    changed["metrics"] = {**profile["metrics"], **metrics}
    return changed


async def test_each_stored_profile_keeps_its_month_in_the_history(backend):
    partners = backend.partners
    with clock.fixed(dt.date(2026, 11, 20)):  # October's data is out (the 20th)
        await partners.save_profile("t1", _as_of(CONTOSO))
    with clock.fixed(dt.date(2026, 12, 21)):  # November's data lands on the 20th (the rules in force)
        await partners.save_profile("t1", _as_of(CONTOSO, net_customer_adds=9))
        await partners.save_profile("t1", _as_of(CONTOSO, net_customer_adds=9))  # the same again: no new row
        await partners.update_profile("t1", lambda p: _as_of(CONTOSO, net_customer_adds=8))
    history = await partners.load_history("t1")
    assert [(h["month"], h["metrics"]["net_customer_adds"]["value"]) for h in history] == [
        ("2026-10", "7"), ("2026-11", "9"), ("2026-11", "8")
    ]
    # 7 + 12 + 15 × 3/7 + 20/110 × 100 + 8 points, kept exactly (the card shows 51.61)
    assert Fraction(history[0]["total"]) == 27 + Fraction(45, 7) + Fraction(200, 11)
    assert await partners.load_history("t2") == []


async def test_a_failed_change_keeps_neither_the_profile_nor_its_history(backend):
    partners = backend.partners

    def failing(_: dict | None) -> dict:
        raise RuntimeError("the change failed half-way")

    with clock.fixed(dt.date(2026, 11, 20)):
        await partners.save_profile("t1", _as_of(CONTOSO))
        with pytest.raises(RuntimeError):
            await partners.update_profile("t1", failing)
    assert [h["month"] for h in await partners.load_history("t1")] == ["2026-10"]


async def test_an_incomplete_profile_or_co_sell_facts_add_no_month(backend):
    partners = backend.partners
    with clock.fixed(dt.date(2026, 11, 20)):
        half = {"partner": "Half done", "market": "larger", "rules": "bizapps-2022",
                "metrics": {"net_customer_adds": 3}}
        await partners.save_profile("t1", half)
        await partners.save_cosell("t1", {"offers": []})
    assert await partners.load_history("t1") == []


async def test_records_that_cover_several_months_give_each_month(backend):
    partners = backend.partners
    await partners.save_profile("t1", records_profile("2026-10", customers=lambda i: 4 + i))
    history = await partners.load_history("t1")
    # 18 months of records: the last 6 have their comparison month 12 months before
    assert [h["month"] for h in history] == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    assert {h["metrics"]["net_customer_adds"]["value"] for h in history} == {"12"}


# --------------------------------------------------------------------------- notifications


async def test_a_notification_is_claimed_once_whichever_process_asks(store):
    first, second = await store.open(), await store.open()  # two processes' views of one database
    reference = {"channelId": "msteams", "conversation": {"id": "c1"}, "serviceUrl": "https://x.example/"}
    assert await first.partners.subscribe("t1", "msteams/c1", reference, "nl", "2026-10:100")
    assert not await second.partners.subscribe("t1", "msteams/c1", reference, "en", "2026-10:100")
    subs = await second.partners.notifications.subscriptions()
    assert [(s.conversation_key, s.lang, s.reference["conversation"]) for s in subs] == [
        ("msteams/c1", "en", {"id": "c1"})
    ]
    claims = await asyncio.gather(*(
        backend.partners.notifications.claim("t1", "msteams/c1", "digest", "2026-12")
        for backend in (first, second, first, second)
    ))
    assert sorted(claims) == [False, False, False, True]
    assert await second.partners.notifications.claim("t1", "msteams/c1", "digest", "2027-01")  # another month
    # a failed send gives its claim back
    await first.partners.notifications.release("t1", "msteams/c1", "digest", "2027-01")
    assert await second.partners.notifications.claim("t1", "msteams/c1", "digest", "2027-01")
    await first.partners.notifications.told("t1", "msteams/c1", "2026-11:200")
    assert [s.score_key for s in await second.partners.notifications.subscriptions()] == ["2026-11:200"]
    assert await second.partners.unsubscribe("t1", "msteams/c1")
    assert not await first.partners.unsubscribe("t1", "msteams/c1")
    assert await first.partners.notifications.subscriptions() == []
