"""Clean-up of unused conversation state (issue 13, finding 11): a periodic task in the server and
``partnerbot maintenance``; partner data is never removed."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3

from bot.cli import main  # run in a thread here: it has its own event loop
from bot.storage import Database, SqlitePartnerRepository, SqliteStorage
from tests.support.doubles import echo_conversation


def _count(path, sql: str = "SELECT count(*) FROM state") -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(sql).fetchone()[0])


def _age(path, days: float, where: str = "1") -> None:
    """Make rows look unused for ``days`` (as if that much time had passed since their last turn)."""
    when = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="milliseconds")
    with sqlite3.connect(path) as conn:
        conn.execute(f"UPDATE state SET used_at = ? WHERE {where}", (when,))


async def test_a_soak_of_new_conversations_levels_off_with_the_clean_up(make_bot, capsys):
    bot = await make_bot(conversation_factory=echo_conversation)
    path = bot.settings.database_path
    await bot.seed_profile("t1", {"partner": "Contoso", "market": "larger"})
    rows_after_round = []
    for round_ in range(4):
        for n in range(15):  # 15 new conversations a 'day'
            await bot.say("hi", conversation=f"a:{round_}:{n}", user=f"u{round_}-{n}")
        _age(path, 100, "used_at > ''")  # ... and then 100 days pass for all of them but the newest
        await bot.say("still here", conversation="a:regular", user="regular")
        assert await asyncio.to_thread(main, ["maintenance", "--data-dir", str(bot.settings.data_dir)]) == 0
        rows_after_round.append(_count(path))
    out = capsys.readouterr().out
    assert "unused for 90 days" in out and "partner data is kept" in out
    assert rows_after_round == [1, 1, 1, 1]  # only the conversation in use: no growth
    assert _count(path, "SELECT count(*) FROM partner_document") == 1
    assert (await bot.say("still here", conversation="a:regular", user="regular"))[0].text.endswith(
        "#5 tenant=t1"
    )


async def test_state_in_use_is_kept_and_reading_it_counts_as_use(tmp_path):
    path = tmp_path / "db.sqlite3"
    db = await Database.open(path)
    try:
        storage = SqliteStorage(db)
        await storage.write({"old": {"v": 1}, "read": {"v": 2}, "fresh": {"v": 3}})
        _age(path, 100)
        await storage.read(["read"])  # a turn that only read this state still used it
        await storage.write({"fresh": {"v": 4}})
        from bot.storage import clean_up

        assert await clean_up(db, dt.timedelta(days=90)) == 1
        values = await storage.read(["old", "read", "fresh"])
        assert values["old"] == {"e_tag": "absent"}
        assert (values["read"]["v"], values["fresh"]["v"]) == (2, 4)
    finally:
        await db.close()


async def test_the_server_removes_unused_state_by_itself_and_keeps_partner_data(make_bot, tmp_path):
    data_dir = tmp_path / "served"
    db = await Database.open(data_dir / "partnerbot.sqlite3")
    await SqliteStorage(db).write({"msteams/conversations/a:gone": {"turns": 4}})
    await SqlitePartnerRepository(db).save_profile("t1", {"partner": "Contoso"})
    await db.close()
    _age(data_dir / "partnerbot.sqlite3", 91)
    bot = await make_bot(conversation_factory=echo_conversation, data_dir=data_dir)
    for _ in range(200):  # the task runs once at start
        if _count(bot.settings.database_path) == 0:
            break
        await asyncio.sleep(0.01)
    assert _count(bot.settings.database_path) == 0
    assert await bot.stored_profile("t1") == {"partner": "Contoso"}


async def test_the_retention_is_a_setting(make_bot, tmp_path, capsys):
    bot = await make_bot(conversation_factory=echo_conversation, state_retention_days=7.0)
    await bot.say("hi")
    _age(bot.settings.database_path, 8)
    assert (
        await asyncio.to_thread(
            main, ["maintenance", "--data-dir", str(bot.settings.data_dir), "--older-than-days", "30"]
        )
        == 0
    )
    assert _count(bot.settings.database_path) == 1  # 8 days is not 30
    assert (
        await asyncio.to_thread(
            main, ["maintenance", "--data-dir", str(bot.settings.data_dir), "--older-than-days", "7"]
        )
        == 0
    )
    assert _count(bot.settings.database_path) == 0
    assert (
        await asyncio.to_thread(main, ["maintenance", "--data-dir", str(tmp_path), "--older-than-days", "-1"])
        == 2
    )
    assert "PARTNERBOT_STATE_RETENTION_DAYS" in capsys.readouterr().err
