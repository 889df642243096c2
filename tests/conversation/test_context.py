"""Follow-ups reuse the previous answer's question, per user within a conversation, never across
users or tenants. Through the real router over HTTP, in English and Dutch.

A follow-up's answer is compared with the answer to the question written out in full, so the test
fails when the follow-up is read as anything else.
"""

from __future__ import annotations

import pytest

from tests.conversation.helpers import say_in_group, shown
from tests.support.harness import BotHarness
from tests.support.profiles import CONTOSO

LOCALE = {"en": "en-US", "nl": "nl-NL"}


async def say(bot: BotHarness, text: str, lang: str = "en", **kwargs: object) -> list[str]:
    return shown(await bot.say(text, locale=LOCALE[lang], **kwargs))


@pytest.mark.parametrize(
    ("lang", "first", "follow", "written_out"),
    [
        ("en", "how many more advanced certifications do I need?", "and intermediate?",
         "how many more intermediate certifications do I need?"),
        ("nl", "hoeveel geavanceerde certificeringen heb ik nog nodig?", "en implementaties?",
         "hoeveel implementaties heb ik nog nodig?"),
        ("en", "how many more advanced certifications do I need?", "why?",
         "how do advanced certifications work?"),
        ("nl", "hoeveel geavanceerde certificeringen heb ik nog nodig?", "waarom?",
         "hoe werken geavanceerde certificeringen?"),
        ("en", "what's my score?", "and next month?", "will our score drop next month?"),
        ("nl", "wat is onze score?", "en volgende maand?", "gaat onze score volgende maand omlaag?"),
    ],
)
async def test_a_follow_up_asks_the_previous_question_again(
    bot: BotHarness, lang: str, first: str, follow: str, written_out: str
) -> None:
    await bot.seed_profile("t1", CONTOSO)
    expected = await say(bot, written_out, lang, conversation="written-out")
    await say(bot, first, lang, conversation="follow")
    assert await say(bot, follow, lang, conversation="follow") == expected


@pytest.mark.parametrize(
    ("lang", "first", "follow", "written_out"),
    [
        ("en", "what if 2 people pass MB-335", "and intermediate?",
         "what if we had 2 more intermediate certified people"),
        ("nl", "wat als we 3 implementaties erbij doen", "en geavanceerde certificeringen?",
         "wat als we 3 geavanceerde certificeringen erbij krijgen"),
    ],
)
async def test_a_follow_up_after_a_what_if_asks_the_same_change_of_the_metric_named(
    bot: BotHarness, lang: str, first: str, follow: str, written_out: str
) -> None:
    await bot.seed_profile("t1", CONTOSO)
    expected = await say(bot, written_out, lang, conversation="written-out")
    await say(bot, first, lang, conversation="follow")
    assert await say(bot, follow, lang, conversation="follow") == expected


@pytest.mark.parametrize(("lang", "first", "follow", "forecast"), [
    ("en", "what if 2 people pass PL-600", "and next month?", "will our score drop next month?"),
    ("nl", "wat als 2 mensen slagen voor PL-600", "en volgende maand?",
     "gaat onze score volgende maand omlaag?"),
])
async def test_next_month_after_a_what_if_shows_the_what_if_and_next_month(
    bot: BotHarness, lang: str, first: str, follow: str, forecast: str
) -> None:
    await bot.seed_profile("t1", CONTOSO)
    whatif = await say(bot, first, lang, conversation="follow")
    outlook = await say(bot, forecast, lang, conversation="written-out")
    assert await say(bot, follow, lang, conversation="follow") == whatif + outlook


async def test_the_context_is_per_user_in_a_group_chat(bot: BotHarness) -> None:
    await bot.seed_profile("t1", CONTOSO)
    expected = shown(await say_in_group(bot, "how many more intermediate certifications do I need?",
                                        user="carol"))
    await say_in_group(bot, "how many more advanced certifications do I need?", user="alice")
    bob = shown(await say_in_group(bot, "and intermediate?", user="bob"))
    assert bob != expected  # Bob asked nothing before: not Alice's follow-up
    alice = shown(await say_in_group(bot, "and intermediate?", user="alice"))
    assert alice == expected


async def test_the_context_never_crosses_tenants(bot: BotHarness) -> None:
    for tenant in ("t1", "t2"):
        await bot.seed_profile(tenant, CONTOSO)
    expected = await say(bot, "how many more intermediate certifications do I need?", tenant="t2",
                         conversation="fresh")
    await say(bot, "how many more advanced certifications do I need?", tenant="t1", conversation="same")
    other = await say(bot, "and intermediate?", tenant="t2", conversation="same")
    assert other != expected
    assert await say(bot, "and intermediate?", tenant="t1", conversation="same") == expected
