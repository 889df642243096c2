"""Offer names typed in chat: never shown as formatting or a link on a card (also to the others in a
group chat), and of a sensible length; refused with the reason in the user's language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

from dialogs.guided.offers import MAX_NAME
from tests.support.chat import Chat

EVIL = "**Bold** [click](https://evil.example)"


def markdown_texts(chat: Chat) -> Iterator[str]:
    """Every text a Teams client reads as markdown: message texts, TextBlocks and facts of cards
    (not button titles, which are shown as they are)."""

    def walk(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                yield str(node.get("text", ""))
            if node.get("type") == "FactSet":
                for fact in node.get("facts", []):
                    yield str(fact.get("title", ""))
                    yield str(fact.get("value", ""))
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    for reply in chat.replies:
        if reply.text:
            yield reply.text
        for card in reply.cards:
            yield from walk(card)


def assert_no_injected_markup(chat: Chat) -> None:
    for text in markdown_texts(chat):
        assert "**" not in text and "[click]" not in text and "https://evil" not in text, text


@pytest.mark.parametrize(
    ("locale", "reason"),
    [("en-US", "The offer name is shown on cards, also to others, so it cannot hold formatting signs"),
     ("nl-NL", "De naam van de aanbieding staat op kaarten, ook voor anderen, dus er mogen geen")],
)
async def test_a_typed_name_with_formatting_or_a_link_is_refused_with_the_reason(
    make_chat: Callable[..., Awaitable[Chat]], locale: str, reason: str
) -> None:
    chat = await make_chat(locale=locale)
    await chat.begin("cosell", {"offer": None, "offer_type": None})
    for typed in (EVIL, "Contoso_Insights_", "see www.evil.example", "1. Contoso"):
        reply = await chat.say(typed)
        assert reply[0].startswith(reason), reply[0]
        assert await chat.partners.load_cosell(chat.tenant) is None  # nothing stored
    assert_no_injected_markup(chat)
    reply = await chat.say("Contoso Insights (Preview) v2.0")  # brackets and dots are fine
    assert "Contoso Insights (Preview) v2.0" in reply[0]
    await chat.say("SaaS")
    stored = await chat.partners.load_cosell(chat.tenant)
    assert stored is not None and [o["name"] for o in stored["offers"]] == ["Contoso Insights (Preview) v2.0"]


@pytest.mark.parametrize(
    ("locale", "reason"),
    [("en-US", f"An offer name can be at most {MAX_NAME} characters long; this one has {MAX_NAME + 1}."),
     ("nl-NL", f"De naam van een aanbieding mag hoogstens {MAX_NAME} tekens lang zijn; deze heeft er "
               f"{MAX_NAME + 1}.")],
)
async def test_a_name_longer_than_the_cap_is_refused_and_one_at_the_cap_accepted(
    make_chat: Callable[..., Awaitable[Chat]], locale: str, reason: str
) -> None:
    chat = await make_chat(locale=locale)
    await chat.begin("cosell", {"offer": None, "offer_type": None})
    reply = await chat.say("A" * (MAX_NAME + 1))
    assert reply[0].startswith(reason), reply[0]
    assert "A" * (MAX_NAME + 1) not in "\n".join(reply)  # the long text is not repeated
    await chat.say("B" * MAX_NAME)
    await chat.say("SaaS")
    stored = await chat.partners.load_cosell(chat.tenant)
    assert stored is not None and [o["name"] for o in stored["offers"]] == ["B" * MAX_NAME]


async def test_a_name_from_the_request_that_cannot_be_used_asks_for_it_with_the_reason(en: Chat) -> None:
    # the recognizer takes "Contoso_Insights_" as the offer's name; underscores are markdown signs
    reply = await en.say("is my offer Contoso_Insights_ co-sell ready?")
    assert reply[0].startswith("The offer name is shown on cards")
    assert "What is the offer called?" in reply[0]
    assert await en.partners.load_cosell(en.tenant) is None
    assert_no_injected_markup(en)


async def test_a_stored_name_with_markup_is_shown_as_literal_text_in_every_card(en: Chat) -> None:
    # e.g. imported from a file: the cards show its words, never bold text or a link
    await en.partners.save_cosell(en.tenant, {"partner": {"partner_id": True},
                                              "offers": [{"name": EVIL, "type": "saas"}]})
    await en.begin("cosell", {"offer": EVIL, "offer_type": None})
    await en.say("help")
    await en.say("[x](https://evil.example/answer)")  # an answer repeated in the refusal
    await en.say("no")
    await en.click("stop")
    texts = "\n".join(markdown_texts(en))
    assert "Bold" in texts and "click" in texts and "evil.example" in texts  # the words are all there
    assert "Co-sell checklist" in texts
    assert_no_injected_markup(en)
    assert "(https://evil.example/answer)" not in texts
