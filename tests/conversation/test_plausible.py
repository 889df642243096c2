"""Plausible numbers in chat: a score for a month that has not come yet carries a note, in the user's
language; a month that has passed does not. Through the real router."""

from __future__ import annotations

import pytest

from tests.conversation.conftest import RULES_2022_DAY
from tests.conversation.helpers import shown
from tests.support.harness import BotHarness
from tests.support.profiles import CONTOSO

NOTE = {"en": ("en-US", "what's my score?",
               "Note: your data is for October 2026, a month that has not come yet."),
        "nl": ("nl-NL", "wat is onze score?",
               "Let op: uw gegevens zijn voor oktober 2026, een maand die nog niet is begonnen.")}


@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_a_score_for_a_month_to_come_says_so(bot: BotHarness, lang: str) -> None:
    locale, question, note = NOTE[lang]
    assert str(RULES_2022_DAY) < CONTOSO["evaluated_month"]  # the bot's today is before October 2026
    await bot.seed_profile("t1", CONTOSO)
    assert note in shown(await bot.say(question, locale=locale))[0]
    await bot.seed_profile("t1", {**CONTOSO, "evaluated_month": "2023-04"})
    assert note.split(":")[0] not in shown(await bot.say(question, locale=locale))[0]
