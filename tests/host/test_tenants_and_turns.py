"""Tenants, the allow-list, the turn-error handler and e_tag conflicts, seen through HTTP."""

from __future__ import annotations

import asyncio
import sqlite3

from kernel.texts import catalog
from tests.support.doubles import echo_conversation


def _rows(bot, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(bot.settings.database_path) as conn:
        return conn.execute(sql, params).fetchall()


async def test_each_tenant_sees_only_its_own_partner_data(echo_bot):
    assert [r.text for r in await echo_bot.say("save profile Contoso", tenant="t1")] == ["saved: Contoso"]
    assert [r.text for r in await echo_bot.say("save profile Fabrikam", tenant="t2")] == ["saved: Fabrikam"]
    assert [r.text for r in await echo_bot.say("profile?", tenant="t1")] == ["profile: Contoso"]
    assert [r.text for r in await echo_bot.say("profile?", tenant="t2")] == ["profile: Fabrikam"]
    assert [r.text for r in await echo_bot.say("profile?", tenant="t3")] == ["profile: none"]
    # the same user id in another tenant's conversation does not reach the first tenant's data
    assert [r.text for r in await echo_bot.say("profile?", tenant="t3", user="user1")] == ["profile: none"]


async def test_seeded_data_is_read_for_the_right_tenant(echo_bot):
    await echo_bot.seed_profile("t9", {"partner": "Seeded", "market": "larger"})
    assert [r.text for r in await echo_bot.say("profile?", tenant="t9")] == ["profile: Seeded"]
    assert [r.text for r in await echo_bot.say("profile?", tenant="t1")] == ["profile: none"]


async def test_the_tenant_comes_from_conversation_tenant_id_when_channel_data_has_none(echo_bot):
    activity = echo_bot.activity(text="hi", tenant="t5")
    del activity["channelData"]["tenant"]
    turn = await echo_bot.send(activity)
    assert turn.texts == ["echo: hi #1 tenant=t5"]


async def test_outside_teams_the_tenant_is_local(echo_bot):
    replies = await echo_bot.say("hi", channel="emulator", tenant=None)
    assert [r.text for r in replies] == ["echo: hi #1 tenant=local"]


async def test_a_teams_activity_without_a_tenant_is_refused_and_nothing_is_stored(echo_bot):
    replies = await echo_bot.say("save profile Nobody", tenant=None, locale="nl-NL")
    assert [r.text for r in replies] == [catalog().text("bot.refusal.tenant", "nl")]
    assert _rows(echo_bot, "SELECT * FROM partner_document") == []
    assert _rows(echo_bot, "SELECT * FROM state") == []


async def test_the_allow_list_refuses_other_tenants_politely_in_their_language(make_bot):
    bot = await make_bot(conversation_factory=echo_conversation, allowed_tenants=frozenset({"t1"}))
    english = await bot.say("save profile Intruder", tenant="t2", locale="en-GB")
    dutch = await bot.say("profile?", tenant="t2", locale="nl-BE")
    assert [r.text for r in english] == [catalog().text("bot.refusal.tenant", "en")]
    assert [r.text for r in dutch] == [catalog().text("bot.refusal.tenant", "nl")]
    welcome = await bot.add_members(tenant="t2")
    assert [r.text for r in welcome] == [catalog().text("bot.refusal.tenant", "en")]
    assert bot.conversation.welcomed == []
    assert _rows(bot, "SELECT * FROM partner_document") == []
    assert _rows(bot, "SELECT * FROM state") == []
    # the allowed tenant is served normally
    assert [r.text for r in await bot.say("save profile Contoso", tenant="t1")] == ["saved: Contoso"]
    assert _rows(bot, "SELECT tenant_id FROM partner_document") == [("t1",)]


async def test_adding_the_bot_welcomes_with_the_tenant(echo_bot):
    replies = await echo_bot.add_members(tenant="t1")
    assert [r.text for r in replies] == ["welcome tenant=t1"]


async def test_a_person_joining_a_teams_conversation_is_looked_up_and_welcomed(echo_bot):
    replies = await echo_bot.add_members("29:newcomer", tenant="t1")
    assert [r.text for r in replies] == ["welcome tenant=t1"]
    assert echo_bot.conversation.welcomed == [("t1", ["29:newcomer"])]


async def test_a_failed_turn_gets_a_neutral_message_in_the_users_language_and_a_fresh_start(echo_bot):
    assert (await echo_bot.say("one", locale="nl-NL"))[0].text == "echo: one #1 tenant=t1"
    assert (await echo_bot.say("two", locale="nl-NL"))[0].text == "echo: two #2 tenant=t1"
    replies = await echo_bot.say("boom", locale="nl-NL")
    assert [r.text for r in replies] == [catalog().text("bot.turn_error.general", "nl")]
    assert "double" not in replies[0].text and "Traceback" not in replies[0].text
    # the broken dialog state was cleared: counting starts again
    assert (await echo_bot.say("three", locale="nl-NL"))[0].text == "echo: three #1 tenant=t1"


async def test_the_error_message_follows_the_language_the_user_chose(echo_bot):
    await echo_bot.say("taal nl", locale="en-US")
    replies = await echo_bot.say("boom", locale="en-US")
    assert [r.text for r in replies] == [catalog().text("bot.turn_error.general", "nl")]


async def test_bad_input_that_escapes_the_conversation_is_explained_not_hidden(echo_bot):
    replies = await echo_bot.say("bad input", locale="nl-NL")
    assert len(replies) == 1
    text = replies[0].text
    assert catalog().text("error.invalid", "nl") in text
    assert "advanced_certified_people" in text


async def test_a_card_submit_reaches_the_conversation_with_its_value(echo_bot):
    replies = await echo_bot.submit({"verb": "score", "text": "score"})
    assert [r.text for r in replies] == ["submitted: score"]


async def test_turns_of_one_conversation_run_one_after_the_other(echo_bot):
    conversation = echo_bot.conversation
    first = asyncio.create_task(echo_bot.send(echo_bot.activity(text="slow")))
    second = asyncio.create_task(echo_bot.send(echo_bot.activity(text="slow")))
    for _ in range(50):
        await asyncio.sleep(0.01)
    assert conversation.slow_arrived == 1, "the second turn waits until the first has saved its state"
    conversation.slow_gate.set()
    turns = await asyncio.gather(first, second)
    texts = sorted(t.text for turn in turns for t in turn.replies)
    assert texts == ["echo: slow #1 tenant=t1", "echo: slow #2 tenant=t1"]


async def test_two_processes_on_one_database_run_one_persons_turns_one_after_the_other(make_bot, tmp_path):
    # Two bot apps, each with its own connection and locks, share one database file as two
    # processes would. Before the lease, both turns read the same state and one was told that its
    # answer was not saved while the other's was (or worse, overwrote an acknowledged answer).
    one = await make_bot(conversation_factory=echo_conversation, data_dir=tmp_path / "shared")
    two = await make_bot(conversation_factory=echo_conversation, data_dir=tmp_path / "shared")
    first = asyncio.create_task(one.send(one.activity(text="slow")))
    for _ in range(200):
        if one.conversation.slow_arrived == 1:
            break
        await asyncio.sleep(0.01)
    second = asyncio.create_task(two.send(two.activity(text="slow")))
    for _ in range(30):
        await asyncio.sleep(0.01)
    assert two.conversation.slow_arrived == 0, "the other process waits for the person's lease"
    one.conversation.slow_gate.set()
    two.conversation.slow_gate.set()
    turns = await asyncio.gather(first, second)
    assert [t.texts for t in turns] == [["echo: slow #1 tenant=t1"], ["echo: slow #2 tenant=t1"]]
    assert (await one.say("again"))[0].text == "echo: again #3 tenant=t1"
    assert _rows(one, "SELECT * FROM turn_lease") == []  # released after each turn


async def test_a_lease_left_by_a_killed_process_expires(make_bot, tmp_path):
    import json
    import time

    bot = await make_bot(conversation_factory=echo_conversation)
    key = json.dumps(["t1", "msteams", "a:t1:user1", "29:user1"])
    with sqlite3.connect(bot.settings.database_path) as conn:
        conn.execute("INSERT INTO turn_lease VALUES (?, 'killed', ?)", (key, time.time() - 1))
    assert (await bot.say("hi"))[0].text == "echo: hi #1 tenant=t1"


async def test_a_very_long_message_is_answered_with_the_limit_in_the_users_language(echo_bot):
    from bot.teams import MAX_MESSAGE_CHARS

    for lang, locale in (("en", "en-US"), ("nl", "nl-NL")):
        replies = await echo_bot.say("1 " * 120_000, locale=locale, user=f"long-{lang}")
        assert [r.text for r in replies] == [
            catalog().text("bot.message.too_long", lang, limit=MAX_MESSAGE_CHARS)
        ]
    assert _rows(echo_bot, "SELECT * FROM state") == []  # the conversation layer never saw them
    # the same in a card submit's text, and a message at the limit is a turn as usual
    [refused] = await echo_bot.submit({"verb": "answer", "text": "x" * (MAX_MESSAGE_CHARS + 1)})
    assert refused.text == catalog().text("bot.message.too_long", "en", limit=MAX_MESSAGE_CHARS)
    [served] = await echo_bot.say("y" * MAX_MESSAGE_CHARS)
    assert served.text.startswith("echo: yyy")


async def test_a_malformed_team_event_is_refused_at_the_edge_without_a_turn(bot, caplog):
    # It used to be a 2xx with a traceback in the log and no reply: a silent failed turn.
    activity = bot.activity("conversationUpdate")
    activity["channelData"] = {"eventType": "teamRenamed", "team": "not an object", "tenant": {"id": "t1"}}
    turn = await bot.send(activity)
    assert (turn.status, turn.body) == (400, {"error": "'channelData.team' must be an object"})
    assert turn.replies == []
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    # the person's next message is a turn as usual
    [reply] = await bot.say("help")
    assert reply.text or reply.cards


class _TenantReader:
    """A conversation layer that reads the turn's tenant the way dialogs do, before any begin_turn."""

    def __init__(self, storage, partners) -> None:
        pass

    async def language(self, turn_context) -> str:
        return "en"

    async def on_message(self, turn_context, tenant_id: str) -> None:
        from dialogs.turn import is_group_conversation, tenant_of

        group = is_group_conversation(turn_context.activity)
        await turn_context.send_activity(
            f"tenant_of={tenant_of(turn_context)} given={tenant_id} group={group}"
        )

    async def on_members_added(self, turn_context, tenant_id: str, members) -> None:
        from dialogs.turn import tenant_of

        await turn_context.send_activity(f"welcome tenant_of={tenant_of(turn_context)}")

    async def reset(self, turn_context) -> None:
        pass


async def test_the_conversation_layer_reads_the_hosts_tenant_and_group_rule_through_dialogs_turn(make_bot):
    bot = await make_bot(conversation_factory=_TenantReader)
    assert [r.text for r in await bot.say("hi", tenant="t7")] == ["tenant_of=t7 given=t7 group=False"]
    group = await bot.say(
        "<at>partnerbot</at> hi",
        tenant="t7",
        conversation_type="groupChat",
        entities=[{"type": "mention", "text": "<at>partnerbot</at>", "mentioned": {"id": "28:partnerbot"}}],
    )
    assert [r.text for r in group] == ["tenant_of=t7 given=t7 group=True"]
    assert [r.text for r in await bot.add_members(tenant="t8")] == ["welcome tenant_of=t8"]
