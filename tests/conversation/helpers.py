"""What a Teams user sees of the bot's replies, and Teams-shaped group messages with @mentions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.answers.cardcheck import assert_valid_card, card_text, clicks
from tests.support.harness import BOT_ID, BotHarness, Reply

BOT_NAME = "Partner score"
GROUP = "19:3c5a0e2b7d1f4e6a@thread.v2"
CHANNEL = "19:general0a1b2c3d@thread.tacv2;messageid=1763888400000"


def shown(replies: list[Reply]) -> list[str]:
    """Each reply as the user sees it: its text and its cards' texts (cards checked against 1.5)."""
    out = []
    for reply in replies:
        for card in reply.cards:
            assert_valid_card(card)
        out.append("\n".join([reply.text, *(card_text(c) for c in reply.cards)]).strip())
    return out


def everything(replies: list[Reply]) -> str:
    return "\n".join(shown(replies))


def submits(replies: list[Reply]) -> Iterator[dict[str, Any]]:
    """What each click (or pick in a drop-down) on the cards of ``replies`` sends, in order."""
    for reply in replies:
        for card in reply.cards:
            yield from clicks(card)


def button(replies: list[Reply], text: str) -> dict[str, Any]:
    """The data of the button that stands for ``text`` (its ``data.text``)."""
    for data in submits(replies):
        if str(data.get("text", "")).lower() == text.lower():
            return data
    raise AssertionError(f"no button for {text!r} in {list(submits(replies))}")


def mention_entity(name: str = BOT_NAME, member: str = BOT_ID) -> dict[str, Any]:
    return {"type": "mention", "text": f"<at>{name}</at>", "mentioned": {"id": member, "name": name}}


def group_message(
    bot: BotHarness,
    text: str | None = None,
    *,
    user: str,
    mention: bool = True,
    conversation: str = GROUP,
    conversation_type: str = "groupChat",
    value: dict[str, Any] | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """A message in a group chat (or channel) as Teams sends it: ``<at>Name</at> text`` + entity."""
    activity = bot.activity(
        text=(f"<at>{BOT_NAME}</at> {text}" if mention else text) if text is not None else None,
        value=value,
        user=user,
        conversation=conversation,
        conversation_type=conversation_type,
        **kwargs,
    )
    activity["recipient"]["name"] = BOT_NAME
    if mention and text is not None:
        activity["entities"].append(mention_entity())
    return activity


async def say_in_group(bot: BotHarness, text: str, **kwargs: Any) -> list[Reply]:
    turn = await bot.send(group_message(bot, text, **kwargs))
    assert turn.status in (200, 201), f"the bot answered HTTP {turn.status}: {turn.body}"
    return turn.replies


async def click_in_group(bot: BotHarness, data: dict[str, Any], **kwargs: Any) -> list[Reply]:
    turn = await bot.send(group_message(bot, value=dict(data), **kwargs))
    assert turn.status in (200, 201), f"the bot answered HTTP {turn.status}: {turn.body}"
    return turn.replies
