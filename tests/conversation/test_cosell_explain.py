"""Co-sell explained in chat, through the real router: a question that names two statuses or
incentives ("the difference between X and Y") gets both, under the co-sell edition of the
conversation's day, in English and Dutch."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest

from dialogs.conversation import build_conversation
from tests.conversation.helpers import everything
from tests.support.harness import BotHarness

DAYS = {"2022": date(2023, 5, 23), "2023": date(2026, 12, 2)}
LOCALE = {"en": "en-US", "nl": "nl-NL"}
ASKED = {
    "en": "what is the difference between azure ip co-sell and business applications co-sell?",
    "nl": "wat is het verschil tussen de Azure IP en Business Applications co-sell?",
}
BOTH = {
    ("2022", "en"): ("Azure IP co-sell incentive", "Business Applications co-sell incentive"),
    ("2023", "en"): ("Azure IP co-sell eligible", "Business Applications co-sell eligible"),
    ("2022", "nl"): ("Azure IP", "Business Applications"),
    ("2023", "nl"): ("Azure IP", "Business Applications"),
}


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("rules", ["2022", "2023"])
async def test_two_statuses_named_are_both_explained(
    make_bot: Callable[..., Awaitable[BotHarness]], rules: str, lang: str
) -> None:
    bot = await make_bot(conversation_factory=lambda storage, partners: build_conversation(
        storage, partners, today=lambda: DAYS[rules]))
    said = everything(await bot.say(ASKED[lang], locale=LOCALE[lang]))
    first, second = BOTH[rules, lang]
    assert first in said and second in said, said
    # each with what it needs: the Azure requirements and the Business Applications ISV program
    assert "Azure" in said.split(second)[0] and ("ISV" in said.split(second)[-1]), said
