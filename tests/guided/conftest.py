"""Guided dialogs as a person goes through them: :class:`tests.support.chat.Chat` on the real app
(real router, SQLite in ``tmp_path``), one app per test shared by the test's chats."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest

from dialogs.conversation import build_conversation
from tests.support.chat import Chat
from tests.support.harness import BotHarness

MakeChat = Callable[..., Awaitable[Chat]]
# These tests describe the guided dialogs of the 2022 rules (the market question, co-sell 2022): the
# bot runs on a day those rules are in force.
RULES_2022_DAY = date(2023, 5, 23)


def _factory(storage: Any, partners: Any) -> Any:
    return build_conversation(storage, partners, today=lambda: RULES_2022_DAY)


@pytest.fixture
async def make_chat(make_bot: Callable[..., Awaitable[BotHarness]]) -> MakeChat:
    """``await make_chat(locale="nl-NL")``: a person chatting with the test's bot (started once)."""
    bots: list[BotHarness] = []

    async def make(**kwargs: Any) -> Chat:
        if not bots:
            bots.append(await make_bot(conversation_factory=_factory))
        data_dir = bots[0].settings.data_dir
        return Chat(bots[0], restart=lambda: make_bot(data_dir=data_dir, conversation_factory=_factory),
                    **kwargs)

    return make


@pytest.fixture
async def en(make_chat: MakeChat) -> Chat:
    return await make_chat(locale="en-US")


@pytest.fixture
async def nl(make_chat: MakeChat) -> Chat:
    return await make_chat(locale="nl-NL")
