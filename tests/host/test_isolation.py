"""Tenant and channel isolation (issue 13, findings 1 and 2), seen through HTTP and SQLite.

Only Teams names a tenant, and only when its two tenant ids agree; every other channel is
``local``. Conversation and user state are kept per tenant, so ids reused by another tenant start
afresh; rows of an older database are migrated.
"""

from __future__ import annotations

import sqlite3

import pytest
from botbuilder.schema import Activity

from bot.storage import SCHEMA_VERSION, Database, SqliteStorage, bind_state_tenant
from bot.teams import resolve_tenant
from kernel.texts import catalog
from tests.support.doubles import echo_conversation


def _rows(bot, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(bot.settings.database_path) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.mark.parametrize("where", ["channelData", "conversation", "both"])
async def test_a_channel_other_than_teams_cannot_name_a_tenant(echo_bot, where):
    await echo_bot.seed_profile("victim", {"partner": "Victim Ltd", "market": "larger"})
    activity = echo_bot.activity(text="profile?", channel="webchat", tenant=None)
    if where in ("channelData", "both"):
        activity["channelData"]["tenant"] = {"id": "victim"}
    if where in ("conversation", "both"):
        activity["conversation"]["tenantId"] = "victim"
    turn = await echo_bot.send(activity)
    assert turn.texts == ["profile: none"]  # local's data, not the victim's
    activity = echo_bot.activity(text="save profile Intruder", channel="directline", tenant="victim")
    assert (await echo_bot.send(activity)).texts == ["saved: Intruder"]
    assert (await echo_bot.stored_profile("victim"))["partner"] == "Victim Ltd"
    assert (await echo_bot.stored_profile("local"))["partner"] == "Intruder"


async def test_teams_tenant_ids_that_disagree_are_refused_and_nothing_is_stored(echo_bot):
    activity = echo_bot.activity(text="save profile Intruder", tenant="t1", locale="nl-NL")
    activity["conversation"]["tenantId"] = "t2"
    turn = await echo_bot.send(activity)
    assert turn.texts == [catalog().text("bot.refusal.tenant", "nl")]
    assert _rows(echo_bot, "SELECT * FROM partner_document") == []
    assert _rows(echo_bot, "SELECT * FROM state") == []


@pytest.mark.parametrize("tenant", ["a\x00b", "x" * 129, 42])
async def test_a_teams_tenant_id_that_is_not_plain_is_refused(echo_bot, tenant):
    activity = echo_bot.activity(text="save profile Intruder", tenant="t1")
    activity["channelData"]["tenant"] = {"id": tenant}
    del activity["conversation"]["tenantId"]
    turn = await echo_bot.send(activity)
    assert turn.status in (201, 400)
    assert turn.texts in ([], [catalog().text("bot.refusal.tenant", "en")])
    assert _rows(echo_bot, "SELECT * FROM partner_document") == []
    assert _rows(echo_bot, "SELECT * FROM state") == []


async def test_agreeing_or_single_tenant_ids_are_served(echo_bot):
    activity = echo_bot.activity(text="hi", tenant="t1")
    assert (await echo_bot.send(activity)).texts == ["echo: hi #1 tenant=t1"]
    activity = echo_bot.activity(text="hi", tenant="t1")
    del activity["conversation"]["tenantId"]
    assert (await echo_bot.send(activity)).texts == ["echo: hi #2 tenant=t1"]


async def test_another_tenant_reusing_conversation_and_user_ids_starts_afresh(echo_bot):
    for _ in range(2):
        await echo_bot.say("hi", tenant="tA", conversation="a:shared", user="same")
    await echo_bot.say("taal nl", tenant="tA", conversation="a:shared", user="same")
    # tenant B sends with A's conversation and user ids: its own, empty, state
    replies = await echo_bot.say("hi", tenant="tB", conversation="a:shared", user="same")
    assert [r.text for r in replies] == ["echo: hi #1 tenant=tB"]
    replies = await echo_bot.say("boom", tenant="tB", conversation="a:shared", user="same")
    assert [r.text for r in replies] == [catalog().text("bot.turn_error.general", "en")]  # not A's Dutch
    # and A's state is still A's (B's failed turn reset only B's)
    replies = await echo_bot.say("hi", tenant="tA", conversation="a:shared", user="same")
    assert [r.text for r in replies] == ["echo: hi #3 tenant=tA"]
    keys = sorted(k for (k,) in _rows(echo_bot, "SELECT key FROM state"))
    assert keys and all(k.startswith(("tA/msteams/", "tB/msteams/")) for k in keys)


def _version_1_database(path) -> None:
    """A database as partnerbot wrote it before state keys had a tenant (schema version 1)."""
    from bot.storage import MIGRATIONS

    with sqlite3.connect(path) as conn:
        for statement in MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
        rows = [
            ("msteams/conversations/a:old", '{"turns": 5}'),
            ("emulator/conversations/local-chat", '{"turns": 7}'),
        ]
        for key, data in rows:
            conn.execute(
                "INSERT INTO state VALUES (?, 'etag-1', ?, '2026-11-01T00:00:00.000+00:00')", (key, data)
            )
        conn.execute(
            "INSERT INTO partner_document VALUES ('t1', 'profile', 1, '{\"partner\": \"Kept\"}', 'x')"
        )


async def test_state_of_an_older_database_is_migrated_and_adopted_by_one_tenant(make_bot, tmp_path):
    data_dir = tmp_path / "old"
    data_dir.mkdir()
    _version_1_database(data_dir / "partnerbot.sqlite3")
    bot = await make_bot(conversation_factory=echo_conversation, data_dir=data_dir)
    with sqlite3.connect(bot.settings.database_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    # the other channel's row was local's; the Teams row is taken by the first tenant that asks
    local = await bot.say("hi", channel="emulator", tenant=None, conversation="local-chat")
    assert [r.text for r in local] == ["echo: hi #8 tenant=local"]
    assert [r.text for r in await bot.say("hi", tenant="t1", conversation="a:old")] == [
        "echo: hi #6 tenant=t1"
    ]
    assert [r.text for r in await bot.say("hi", tenant="t2", conversation="a:old")] == [
        "echo: hi #1 tenant=t2"
    ]
    assert (await bot.stored_profile("t1")) == {"partner": "Kept"}


async def test_outside_a_host_turn_state_is_the_default_tenants(tmp_path):
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        await SqliteStorage(db).write({"k": {"v": 1}})
        bind_state_tenant("t9")  # this test's task only
        assert (await SqliteStorage(db).read(["k"]))["k"] == {"e_tag": "absent"}
    finally:
        await db.close()


@pytest.mark.parametrize("tenant", ["local", "LOCAL"])
def test_with_an_app_id_a_teams_tenant_may_not_call_itself_local(tenant):
    activity = Activity().deserialize(
        {"type": "message", "channelId": "msteams", "channelData": {"tenant": {"id": tenant}},
         "conversation": {"id": "c"}}
    )
    assert resolve_tenant(activity) == (None, "the reserved tenant id 'local'")
    assert resolve_tenant(activity, local_from_teams=True)[0] == "local"


async def test_without_an_app_id_partnerbot_chat_reaches_the_local_tenant(echo_bot):
    # partnerbot chat talks as Teams does, with the tenant 'local' that `import --tenant local` fills
    await echo_bot.seed_profile("local", {"partner": "Contoso Ltd", "market": "larger"})
    activity = echo_bot.activity(text="profile?", tenant="local")
    assert (await echo_bot.send(activity)).texts == ["profile: Contoso Ltd"]
