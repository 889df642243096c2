"""Group chats and team channels through the real app over HTTP, as Teams sends them.

Several people in one group chat each have their own guided dialog (state per user within the
conversation); the bot's @mention is removed from what it reads; a group message that does not
mention the bot is left alone; a person's question buttons are theirs; the welcome comes once, when
the bot is added, and says how to address it.
"""

from __future__ import annotations

from typing import Any

import pytest

from kernel.texts import catalog
from tests.answers.cardcheck import actions_of
from tests.conversation.helpers import (
    BOT_NAME,
    CHANNEL,
    GROUP,
    button,
    click_in_group,
    everything,
    group_message,
    mention_entity,
    say_in_group,
    shown,
)
from tests.support.harness import BOT_ID, BotHarness
from tests.support.profiles import CONTOSO

PROFILE = CONTOSO


async def test_two_people_in_one_group_chat_each_run_their_own_guided_dialog(bot: BotHarness) -> None:
    anna = await say_in_group(bot, "enter data", user="anna")
    assert "Question 1 of 8" in everything(anna) and "Market" in everything(anna)
    ben = await say_in_group(bot, "is my offer Contoso Insights co-sell ready?", user="ben", locale="nl-NL")
    assert "Wat voor soort aanbieding is Contoso Insights?" in everything(ben)

    reply = await click_in_group(bot, button(anna, "larger"), user="anna")  # Anna's market button
    assert "Question 2 of 8" in everything(reply)
    reply = await click_in_group(bot, button(ben, "Software as a service (SaaS)"), user="ben", locale="nl-NL")
    assert "MPN-id" in everything(reply)  # Ben's walkthrough went on, in his language
    reply = await say_in_group(bot, "7", user="anna")
    assert "Saved: Net customer adds = 7" in everything(reply) and "Question 3 of 8" in everything(reply)
    reply = await say_in_group(bot, "ja", user="ben", locale="nl-NL")
    assert "bedrijfsprofiel" in everything(reply)
    reply = await say_in_group(bot, "12", user="anna")
    assert "Question 4 of 8" in everything(reply)

    # the tenant's data is one: both people's answers are stored for it, none overwrote the other
    assert await bot.stored_profile("t1") == {
        "market": "larger", "metrics": {"net_customer_adds": 7, "intermediate_certified_people": 12}}
    cosell = await bot.stored_cosell("t1")
    assert cosell is not None and cosell["partner"] == {"partner_id": True}
    assert cosell["offers"] == [{"name": "Contoso Insights", "type": "saas"}]

    # Ben stops his walkthrough: Anna's dialog is untouched and continues at her question
    reply = await say_in_group(bot, "stop", user="ben", locale="nl-NL")
    assert "Co-sell-checklist: Contoso Insights" in everything(reply)
    reply = await say_in_group(bot, "3", user="anna")
    assert "Saved: Advanced certified people = 3" in everything(reply)
    assert "Question 5 of 8" in everything(reply)


async def test_a_button_of_another_persons_question_is_refused_and_changes_nothing(bot: BotHarness) -> None:
    anna = await say_in_group(bot, "enter data", user="anna")
    ben = await say_in_group(bot, "enter data", user="ben")
    assert button(anna, "larger").get("for") == "29:anna"

    reply = await click_in_group(bot, button(anna, "other"), user="ben")  # Ben clicks on Anna's card
    assert shown(reply) == [catalog().text("bot.group.not_yours", "en")]
    assert await bot.stored_profile("t1") is None
    reply = await click_in_group(bot, button(ben, "larger"), user="ben")  # his own button works
    assert "Question 2 of 8" in everything(reply)
    reply = await click_in_group(bot, button(anna, "other"), user="anna")
    # one tenant, one profile: Ben answered the market first; Anna's answer does not silently
    # overwrite his, she is shown what is stored and asked again
    assert (await bot.stored_profile("t1") or {})["market"] == "larger"
    assert "Meanwhile Market was set to larger markets" in everything(reply)
    assert "Question 1 of 8" in everything(reply) and "Keep larger markets" in everything(reply)


async def test_menu_buttons_work_for_everyone_in_a_group(bot: BotHarness) -> None:
    await bot.seed_profile("t1", PROFILE)
    welcome = await say_in_group(bot, "help", user="anna")
    score = next(data for reply in [welcome] for data in _datas(reply) if data["verb"] == "score")
    assert "for" not in score
    reply = await click_in_group(bot, score, user="ben")
    assert "51.61 of 100 points" in everything(reply)


def _datas(replies: Any) -> list[dict[str, Any]]:
    return [a["data"] for r in replies for c in r.cards for a in actions_of(c) if "data" in a]


@pytest.mark.parametrize(
    ("conversation", "conversation_type"),
    [("a:personal-chat", "personal"), (GROUP, "groupChat"), (CHANNEL, "channel")],
)
async def test_a_message_that_mentions_the_bot_is_understood(
    bot: BotHarness, conversation: str, conversation_type: str
) -> None:
    await bot.seed_profile("t1", PROFILE)
    english = await say_in_group(bot, "what is our score?", user="anna", conversation=conversation,
                                 conversation_type=conversation_type)
    assert "51.61 of 100 points" in everything(english)
    dutch = await say_in_group(bot, "wat is onze score?", user="bram", locale="nl-NL",
                               conversation=conversation, conversation_type=conversation_type)
    assert "51,61 van de 100 punten" in everything(dutch)


async def test_the_mention_is_removed_wherever_it_stands_and_whatever_the_bot_is_called(
    bot: BotHarness,
) -> None:
    """The name in the mention is what the people in the chat call the app; only the entity says
    it is the bot. The co-sell check takes the offer name typed around the mention, without it."""
    activity = group_message(bot, None, user="anna")
    activity["text"] = "is <at>Partnerscore (test)</at> my offer Fabrikam Flow co-sell ready?"
    activity["entities"].append(mention_entity("Partnerscore (test)"))
    turn = await bot.send(activity)
    assert "What type of offer is Fabrikam Flow?" in everything(turn.replies)
    reply = await say_in_group(bot, "SaaS", user="anna")
    assert "Co-sell check: Fabrikam Flow" in everything(reply)
    # a free-text answer (a new offer's name) is taken without the mention too
    await say_in_group(bot, "stop", user="anna")
    await say_in_group(bot, "is my offer co-sell ready?", user="anna")
    reply = await say_in_group(bot, "new", user="anna")
    assert "name" in everything(reply).lower()
    reply = await say_in_group(bot, "Northwind   Portal", user="anna")
    assert "What type of offer is Northwind Portal?" in everything(reply)
    cosell = await bot.stored_cosell("t1")
    assert cosell is not None and [o["name"] for o in cosell["offers"]] == ["Fabrikam Flow"]


async def test_in_a_group_a_message_for_the_others_is_left_alone(bot: BotHarness) -> None:
    """With the RSC permission Teams delivers every group message; only those for the bot count."""
    await say_in_group(bot, "enter data", user="anna")
    for text in ["7", "lunch at 12?", "<at>Ben</at> did you see the score?"]:
        activity = group_message(bot, text, user="anna", mention=False)
        if "<at>Ben</at>" in text:
            activity["entities"].append(mention_entity("Ben", "29:ben"))
        turn = await bot.send(activity)
        assert turn.status in (200, 201) and turn.replies == []
    assert await bot.stored_profile("t1") is None
    reply = await say_in_group(bot, "larger", user="anna")  # the dialog waited at its question
    assert "Question 2 of 8" in everything(reply)


async def test_a_bare_mention_shows_the_question_again_or_the_help(bot: BotHarness) -> None:
    reply = await say_in_group(bot, "", user="anna")
    assert "What you can ask" in everything(reply)
    await say_in_group(bot, "enter data", user="anna")
    reply = await say_in_group(bot, "", user="anna")
    assert "Question 1 of 8" in everything(reply)
    assert "not" not in everything(reply).split("Question 1 of 8")[0], "no refusal for saying nothing"


def _team_update(bot: BotHarness, *members: str) -> dict[str, Any]:
    activity = bot.activity("conversationUpdate", user="owner", conversation=CHANNEL.split(";")[0],
                            conversation_type="channel",
                            membersAdded=[{"id": m, "name": m} for m in members])
    activity["recipient"]["name"] = BOT_NAME
    activity["channelData"].update({"eventType": "teamMemberAdded",
                                    "team": {"id": "19:team0a1b2c3d@thread.tacv2", "name": "Partners"}})
    return activity


async def test_adding_the_bot_to_a_team_welcomes_once_and_says_how_to_ask(bot: BotHarness) -> None:
    turn = await bot.send(_team_update(bot, BOT_ID, "29:owner"))
    assert turn.status in (200, 201)
    assert len(turn.replies) == 1, "one welcome for the whole update"
    welcome = everything(turn.replies)
    assert "Hello! I'm the partner score bot" in welcome
    assert catalog().text("bot.group.welcome", "en", name=BOT_NAME) in welcome
    verbs = {data["verb"] for data in _datas(turn.replies)}
    assert {"score", "cosell", "enter_data"} <= verbs

    # people joining the team later are not greeted one by one in the channel
    turn = await bot.send(_team_update(bot, "29:newcomer", "29:another"))
    assert turn.status in (200, 201) and turn.replies == []
    assert not any("/members/" in path for _, path in bot.connector.requests), "no member look-ups"


async def test_adding_the_bot_to_a_group_chat_welcomes_in_the_chat_language(bot: BotHarness) -> None:
    activity = bot.activity("conversationUpdate", user="owner", conversation=GROUP,
                            conversation_type="groupChat", locale="nl-NL",
                            membersAdded=[{"id": BOT_ID, "name": BOT_NAME}])
    activity["recipient"]["name"] = BOT_NAME
    turn = await bot.send(activity)
    assert len(turn.replies) == 1
    assert catalog().text("bot.group.welcome", "nl", name=BOT_NAME) in everything(turn.replies)
    assert "Hallo! Ik ben de partnerscore-bot" in everything(turn.replies)


async def test_a_personal_chat_still_welcomes_without_the_group_hint(bot: BotHarness) -> None:
    replies = await bot.add_members()
    assert len(replies) == 1 and "Hello! I'm the partner score bot" in everything(replies)
    assert "Mention me" not in everything(replies)


async def test_a_pending_update_belongs_to_the_person_who_asked_for_it(bot: BotHarness) -> None:
    await bot.seed_profile("t1", PROFILE)
    anna = await say_in_group(bot, "we now have 10 deployments", user="anna")
    assert "8 → 10" in everything(anna)
    save = next(data for data in _datas(anna) if data["verb"] == "update_confirm")
    assert save.get("for") == "29:anna"

    reply = await say_in_group(bot, "yes", user="ben")  # Ben has nothing waiting to be saved
    assert "Saved." not in everything(reply)
    reply = await click_in_group(bot, save, user="ben")  # nor may he save Anna's change
    assert shown(reply) == [catalog().text("bot.group.not_yours", "en")]
    assert (await bot.stored_profile("t1") or {})["metrics"]["deployments_now"] == 8

    reply = await say_in_group(bot, "ja", user="anna", locale="nl-NL")  # Anna's own "yes" saves it
    assert "Opgeslagen" in everything(reply)
    assert (await bot.stored_profile("t1") or {})["metrics"]["deployments_now"] == 10
