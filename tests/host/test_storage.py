"""SQLite storage: e_tag concurrency, all-or-nothing writes, per-tenant partner data, schema versions."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.storage import SCHEMA_VERSION, Database, ETagConflict, SqlitePartnerRepository, SqliteStorage
from kernel.errors import InputError


async def _profile(partners: SqlitePartnerRepository, tenant: str) -> dict:
    profile = await partners.load_profile(tenant)
    assert profile is not None, f"no profile stored for {tenant}"
    return profile


@pytest.fixture
async def db(tmp_path):
    database = await Database.open(tmp_path / "data" / "partnerbot.sqlite3")
    yield database
    await database.close()


async def test_a_stale_write_is_refused_and_the_winner_kept(db):
    storage = SqliteStorage(db)
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


async def test_two_creators_of_a_new_key_one_wins(db):
    storage = SqliteStorage(db)
    a = (await storage.read(["new"]))["new"]
    b = (await storage.read(["new"]))["new"]
    a["who"] = "a"
    b["who"] = "b"
    await storage.write({"new": a})
    with pytest.raises(ETagConflict):
        await storage.write({"new": b})
    assert (await storage.read(["new"]))["new"]["who"] == "a"


async def test_a_write_with_several_keys_is_all_or_nothing(db):
    storage = SqliteStorage(db)
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


async def test_saving_twice_in_one_turn_is_not_a_conflict(db):
    storage = SqliteStorage(db)
    item = (await storage.read(["k"]))["k"]
    item["v"] = 1
    await storage.write({"k": item})
    item["v"] = 2
    await storage.write({"k": item})
    assert (await storage.read(["k"]))["k"]["v"] == 2


async def test_delete_and_unconditional_overwrite(db):
    storage = SqliteStorage(db)
    await storage.write({"k": {"v": 1}})
    await storage.write({"k": {"v": 2}})  # no e_tag: last writer wins, as the SDK defines it
    assert (await storage.read(["k"]))["k"]["v"] == 2
    await storage.delete(["k"])
    assert (await storage.read(["k"]))["k"] == {"e_tag": "absent"}


async def test_objects_in_state_survive_a_reopen(tmp_path):
    from botbuilder.dialogs import DialogState

    path = tmp_path / "db.sqlite3"
    db = await Database.open(path)
    await SqliteStorage(db).write({"k": {"DialogState": DialogState([]), "n": {1: "x"}}})
    await db.close()
    db = await Database.open(path)
    item = (await SqliteStorage(db).read(["k"]))["k"]
    await db.close()
    assert isinstance(item["DialogState"], DialogState)
    assert item["n"] == {1: "x"}


async def test_partner_data_is_kept_per_tenant(db):
    partners = SqlitePartnerRepository(db)
    await partners.save_profile("t1", {"partner": "Contoso", "market": "larger"})
    await partners.save_cosell("t1", {"partner": {"partner_id": True}, "offers": []})
    await partners.save_profile("t2", {"partner": "Fabrikam"})
    assert (await _profile(partners, "t1"))["partner"] == "Contoso"
    assert (await _profile(partners, "t2"))["partner"] == "Fabrikam"
    assert await partners.load_cosell("t2") is None
    assert await partners.load_profile("t3") is None
    with pytest.raises(ValueError):
        await partners.load_profile("")


async def test_concurrent_updates_lose_nothing(db):
    partners = SqlitePartnerRepository(db)

    def add_one(doc):
        doc = dict(doc or {"partner": "Contoso", "metrics": {"advanced_certified_people": 0}})
        doc["metrics"] = {"advanced_certified_people": doc["metrics"]["advanced_certified_people"] + 1}
        return doc

    await asyncio.gather(*(partners.update_profile("t1", add_one) for _ in range(25)))
    assert (await _profile(partners, "t1"))["metrics"]["advanced_certified_people"] == 25


async def test_a_failed_update_leaves_the_stored_document_as_it_was(db):
    partners = SqlitePartnerRepository(db)
    await partners.save_profile("t1", {"partner": "Contoso", "market": "larger"})

    def bad(doc):
        doc["market"] = "other"  # changes the copy it was given, then fails
        raise InputError("not a market", code="invalid")

    with pytest.raises(InputError):
        await partners.update_profile("t1", bad)
    assert (await _profile(partners, "t1"))["market"] == "larger"


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
