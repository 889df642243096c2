"""The router and group tests describe the guided dialogs of the 2022 rules (a market question;
co-sell 2022): their bot runs on a day those rules are in force. tests/guided/test_track.py covers
the track question of the 2023 rules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest

from dialogs.conversation import build_conversation
from tests.support.harness import BotHarness

RULES_2022_DAY = date(2023, 5, 23)


@pytest.fixture
async def bot(make_bot: Callable[..., Awaitable[BotHarness]]) -> BotHarness:
    return await make_bot(conversation_factory=lambda storage, partners: build_conversation(
        storage, partners, today=lambda: RULES_2022_DAY))
