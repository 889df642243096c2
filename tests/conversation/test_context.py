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
