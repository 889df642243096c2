"""The bot on PostgreSQL (``PARTNERBOT_DATABASE_URL``): the real app, ``partnerbot serve`` and
``partnerbot import`` keep and share their data there, and nothing goes to SQLite."""

from __future__ import annotations

import asyncio
import json

import asyncpg

from bot.cli import main
from tests.support.harness import RemoteBot
from tests.support.profiles import CONTOSO


async def test_the_real_bot_answers_from_postgres_and_its_guided_answers_are_kept(make_bot, postgres_url):
    bot = await make_bot(database_url=postgres_url)
    assert await bot.get("/healthz") == (200, {"status": "ok", "storage": "ok"})
    await bot.seed_profile("t1", CONTOSO)
    ours = await bot.say("what is our score?", tenant="t1")
    assert "Contoso" in json.dumps([r.raw for r in ours])
    await bot.say("spreek Nederlands", tenant="t1")
    conn = await asyncpg.connect(postgres_url)
    try:
        keys = [row[0] for row in await conn.fetch("SELECT key FROM state ORDER BY key")]
        partners = await conn.fetch("SELECT tenant_id, kind FROM partner_document")
    finally:
        await conn.close()
    assert keys and all(key.startswith("t1/msteams/") for key in keys)
    assert [tuple(row) for row in partners] == [("t1", "profile")]
    # another app on the same database (another process) sees the same state and data
    other = await make_bot(database_url=postgres_url)
    theirs = await other.say("wat is onze score?", tenant="t1")
    assert "Contoso" in json.dumps([r.raw for r in theirs])


async def test_serve_import_and_export_share_one_postgres_database(
    server_process, fake_connector, tmp_path, postgres_url, monkeypatch
):
    (tmp_path / "profile.yaml").write_text(json.dumps(CONTOSO))
    env = {"PARTNERBOT_DATABASE_URL": postgres_url}
    monkeypatch.setenv("PARTNERBOT_DATABASE_URL", postgres_url)
    monkeypatch.chdir(tmp_path)
    imported = await asyncio.to_thread(main, ["import", str(tmp_path / "profile.yaml"), "--tenant", "t1"])
    assert imported == 0
    assert not (tmp_path / "data").exists()
    server = await server_process(tmp_path / "unused", env=env).start(timeout=90)
    bot = RemoteBot(server, fake_connector)
    assert "Contoso" in json.dumps([r.raw for r in await bot.say("what is our score?", tenant="t1")])
    assert not (tmp_path / "unused" / "partnerbot.sqlite3").exists()  # nothing went to SQLite
    await server.stop()
