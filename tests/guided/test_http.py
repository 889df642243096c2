"""The guided dialogs through the real host and router, over HTTP, as Teams would drive them.

``bot``: the real app in this process (real CloudAdapter, router, SQLite); ``server_process``: the
real ``partnerbot serve`` in its own process, killed and started again in the middle of a dialog.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from kernel.texts import catalog
from tests.answers.cardcheck import assert_valid_card, card_text
from tests.support.harness import BotHarness, FakeConnector, RemoteBot, Reply, ServerProcess


def shown(replies: list[Reply]) -> list[str]:
    """What the user sees of each reply: its text or its cards' texts (cards checked against 1.5)."""
    out = []
    for reply in replies:
        for card in reply.cards:
            assert_valid_card(card)
        out.append("\n".join([reply.text, *(card_text(c) for c in reply.cards)]).strip())
    return out


async def test_data_entry_through_the_router_with_an_interruption_and_cancel(bot: BotHarness) -> None:
    first = shown(await bot.say("I want to enter our data"))
    assert "8 questions" in first[0] and "Question 1 of 8" in first[1]
    reply = shown(await bot.submit({"verb": "answer", "text": "enterprise"}))  # the Enterprise track button
    assert "Question 2 of 8" in reply[0]
    reply = shown(await bot.say("7"))
    assert "Question 3 of 8" in reply[0]

    reply = shown(await bot.say("what's my score?"))  # another question: answered, then back
    assert "15.00 / 15" in reply[0]  # 2023 rules (in force today): 5 adds give full points
    assert reply[1] == catalog().text("answers.back", "en")
    assert "Question 3 of 8" in reply[2] and "Intermediate certified people" in reply[2]

    reply = shown(await bot.say("12"))
    assert "Question 4 of 8" in reply[0]
    reply = shown(await bot.say("cancel"))
    assert any("Kept: Track = Enterprise track; Net customer adds = 7; Intermediate certified people = 12"
               in r for r in reply)
    assert await bot.stored_profile("t1") == {
        "track": "enterprise", "metrics": {"net_customer_adds": 7, "intermediate_certified_people": 12}}


async def test_cosell_walkthrough_through_the_router_in_dutch(bot: BotHarness) -> None:
    reply = shown(await bot.say("is mijn aanbieding Contoso Insights klaar voor co-sell?", locale="nl-NL"))
    assert "Wat voor soort aanbieding is Contoso Insights?" in reply[0]
    saas = {"verb": "answer", "text": "Software as a service (SaaS)"}
    reply = shown(await bot.submit(saas, locale="nl-NL"))
    assert "PartnerID" in reply[0]
    await bot.say("ja", locale="nl-NL")
    reply = shown(await bot.submit({"verb": "answer", "text": "ja"}, locale="nl-NL"))
    assert "Staat Contoso Insights live" in reply[0]
    reply = shown(await bot.submit({"verb": "answer", "text": "stop"}, locale="nl-NL"))
    assert "Co-sell-checklist: Contoso Insights" in reply[-1]
    assert "Bereikte status: Niet gepubliceerd" in reply[-1]
    stored = await bot.stored_cosell("t1")
    assert stored == {"partner": {"partner_id": True, "business_profile": True},
                      "offers": [{"name": "Contoso Insights", "type": "saas"}]}


async def _kill_and_restart(server: ServerProcess) -> None:
    """Kill the process without warning (SIGKILL, as a crash would) and start it on the same data."""
    assert server.process is not None
    server.process.kill()
    await asyncio.to_thread(server.process.wait, 10)
    server.process = None
    await server.start()


@pytest.mark.slow
async def test_a_killed_bot_process_continues_both_dialogs_at_the_same_question(
    server_process: Callable[..., ServerProcess], fake_connector: FakeConnector
) -> None:
    server = await server_process().start()
    remote = RemoteBot(server, fake_connector)

    async def say(text: str, **kwargs: Any) -> list[str]:
        return shown(await remote.say(text, **kwargs))

    await say("enter data")
    await say("enterprise")
    reply = await say("7")
    assert "Question 3 of 8" in reply[0]
    await _kill_and_restart(server)
    reply = await say("12")
    assert "Question 4 of 8" in reply[0]
    assert "Saved: Intermediate certified people = 12" in reply[0]
    for said in ["3", "143,000", "110,000", "8"]:
        reply = await say(said)
    assert "Question 8 of 8" in reply[0] and "Deployments 12 months ago" in reply[0]

    # the co-sell walkthrough, in another conversation of the same tenant, in Dutch
    nl = {"locale": "nl-NL", "conversation": "a:t1:walkthrough"}
    await say("is Contoso Insights co-sell ready?", **nl)
    await say("SaaS", **nl)
    reply = await say("ja", **nl)
    assert "bedrijfsprofiel" in reply[0]
    await _kill_and_restart(server)
    reply = await say("nee", **nl)
    assert "Staat Contoso Insights live" in reply[0]
    reply = await say("stop", **nl)
    assert any("✓: PartnerID" in r and "✗: Volledig bedrijfsprofiel" in r for r in reply)

    reply = await say("4")  # the first conversation is still at its last question
    assert "Your partner data" in reply[0] and "Net customer adds: 7" in reply[0]
    assert "Intermediate certified people: 12" in reply[0] and "Deployments 12 months ago: 4" in reply[0]


def _saved_lines(texts: list[str], label: str) -> set[str]:
    return {line for text in texts for line in text.splitlines() if line.startswith(f"Saved: {label} = ")}


async def test_two_answers_at_once_are_both_kept_in_the_order_they_were_taken(bot: BotHarness) -> None:
    for said in ["enter data", "enterprise", "7"]:
        await bot.say(said)
    turns = await asyncio.gather(bot.send(bot.activity(text="12")), bot.send(bot.activity(text="3")))
    assert [t.status for t in turns] == [201, 201]
    texts = shown(turns[0].replies) + shown(turns[1].replies)
    conflict = catalog().text("bot.turn_error.conflict", "en")
    assert not any(conflict in text for text in texts), "one process takes a conversation's turns in turn"
    stored = await bot.stored_profile("t1")
    assert stored is not None
    first = stored["metrics"]["intermediate_certified_people"]
    second = stored["metrics"]["advanced_certified_people"]
    assert {first, second} == {12, 3}, "each answer went to the question asked when it was taken"
    assert f"Saved: Intermediate certified people = {first}." in "\n".join(texts)
    assert f"Saved: Advanced certified people = {second}." in "\n".join(texts)
    reply = shown(await bot.say("130000"))  # and the dialog goes on at the next question
    assert "Saved: Monthly consumption value now = 130,000." in reply[0] and "Question 6 of 8" in reply[0]


async def test_two_processes_answering_at_once_never_overwrite_an_answer(
    make_bot: Callable[..., Any], tmp_path: Any
) -> None:
    """Two bot instances on one database (e.g. behind a load balancer): whichever way the two turns
    interleave, an answer is never overwritten and nobody is told a value was saved that is not."""
    one = await make_bot(data_dir=tmp_path / "shared")
    two = await make_bot(data_dir=tmp_path / "shared")
    for said in ["enter data", "enterprise", "7"]:
        await one.say(said)
    turns = await asyncio.gather(one.send(one.activity(text="12")), two.send(two.activity(text="3")))
    assert [t.status for t in turns] == [201, 201]  # never a 500
    stored = await one.stored_profile("t1")
    assert stored is not None
    texts = shown(turns[0].replies) + shown(turns[1].replies)
    lines = _saved_lines(texts, "Intermediate certified people")
    saved = {line.rsplit("= ", 1)[1].rstrip(".") for line in lines}
    assert saved <= {str(stored["metrics"]["intermediate_certified_people"])}, "told saved, but not stored"
    assert stored["metrics"]["intermediate_certified_people"] in (12, 3)
    assert stored["metrics"].get("advanced_certified_people") in (None, 12, 3)


async def test_an_answer_to_a_question_someone_else_just_answered_asks_it_again(bot: BotHarness) -> None:
    for said in ["enter data", "enterprise", "7"]:
        await bot.say(said)
    # meanwhile another message (another process, or a colleague's own dialog) stores 3
    await bot.seed_profile("t1", {"track": "enterprise",
                                  "metrics": {"net_customer_adds": 7, "intermediate_certified_people": 3}})
    reply = shown(await bot.say("12"))
    assert reply[0].startswith("Meanwhile Intermediate certified people was set to 3 by another message")
    assert "Question 3 of 8" in reply[1]
    assert (await bot.stored_profile("t1") or {})["metrics"]["intermediate_certified_people"] == 3
    reply = shown(await bot.say("12"))  # answered again, against the new value: now it is saved
    assert "Saved: Intermediate certified people = 12." in reply[0]
    assert (await bot.stored_profile("t1") or {})["metrics"]["intermediate_certified_people"] == 12
