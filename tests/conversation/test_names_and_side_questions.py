"""Guided dialogs a name or a side question cannot derail, through the real router (EN and NL).

- an offer name typed at the name question is taken as given unless it is exactly a command word:
  "Tulp Analytics" is not "hulp", "Help Desk Pro" is not "help", "Stop Fraud Suite" is not "stop";
- a side question during a dialog gets its answer and the dialog goes on;
- only an explicit cancel stops a dialog.
"""

from __future__ import annotations

import pytest

from tests.conversation.helpers import shown
from tests.support.harness import BotHarness
from tests.support.profiles import CONTOSO

ASK = {"en": ("is my offer co-sell ready?", "What is the offer called?", "What type of offer is {name}?"),
       "nl": ("is mijn aanbieding klaar voor co-sell?", "Hoe heet de aanbieding?",
              "Wat voor soort aanbieding is {name}?")}
LOCALE = {"en": "en-US", "nl": "nl-NL"}


async def say(bot: BotHarness, text: str, lang: str) -> str:
    return "\n".join(shown(await bot.say(text, locale=LOCALE[lang])))


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("name", ["Tulp Analytics", "Help Desk Pro", "Stop Fraud Suite"])
async def test_a_name_that_looks_like_a_command_is_taken_as_the_name(
    bot: BotHarness, lang: str, name: str
) -> None:
    start, name_question, type_question = ASK[lang]
    assert name_question in await say(bot, start, lang)
    said = await say(bot, name, lang)
    assert type_question.format(name=name) in said, said
    await say(bot, "SaaS", lang)  # the type: now the new offer is stored, under the name as typed
    stored = await bot.stored_cosell("t1")
    assert stored is not None and [o["name"] for o in stored["offers"]] == [name]


async def test_exactly_cancel_at_the_name_question_stops(bot: BotHarness) -> None:
    await say(bot, "is my offer co-sell ready?", "en")
    said = await say(bot, "cancel", "en")
    assert "Stopped the co-sell check" in said
    assert "nothing to stop" in await say(bot, "cancel", "en")


@pytest.mark.parametrize(
    ("lang", "side", "answer"),
    [
        ("en", "how does usage growth work?", "Usage growth"),
        ("nl", "hoe werkt gebruiksgroei?", "Gebruiksgroei"),
        ("en", "what's my score?", "51.61"),
    ],
)
async def test_a_side_question_is_answered_and_the_dialog_goes_on(
    bot: BotHarness, lang: str, side: str, answer: str
) -> None:
    await bot.seed_profile("t1", {"market": "larger", "metrics": {"net_customer_adds": 7}})
    if answer == "51.61":
        await bot.seed_profile("t1", {k: v for k, v in CONTOSO.items()})
        first = await say(bot, "enter data", lang)
        assert "Confirm" in first  # everything is stored: the summary
    else:
        first = await say(bot, "enter data" if lang == "en" else "gegevens invoeren", lang)
        assert ("Question 1 of" if lang == "en" else "Vraag 1 van") in first
    said = await say(bot, side, lang)
    assert answer in said
    assert ("Back to where we were" if lang == "en" else "Terug naar waar we waren") in said
    stopped = "Stopped" if lang == "en" else "gestopt"
    assert stopped not in said


@pytest.mark.parametrize(
    ("lang", "side", "answer"),
    [
        ("en", "what is the difference between azure ip co-sell and business applications co-sell",
         "Azure IP co-sell"),
        ("nl", "wat is het verschil tussen de Azure IP en Business Applications co-sell?", "Azure IP"),
    ],
)
async def test_a_side_question_at_a_button_choice_is_answered_and_the_choice_asked_again(
    bot: BotHarness, lang: str, side: str, answer: str
) -> None:
    """At the offer-type buttons, a question that is none of the types gets its answer (not "… is
    not an offer type"), then the same buttons again; the walkthrough goes on from there."""
    start, _, type_question = ASK[lang]
    await say(bot, start, lang)
    assert type_question.format(name="Tulp Analytics") in await say(bot, "Tulp Analytics", lang)
    said = await say(bot, side, lang)
    assert answer in said
    assert ("Back to where we were" if lang == "en" else "Terug naar waar we waren") in said
    assert type_question.format(name="Tulp Analytics") in said
    assert ("is not an offer type" if lang == "en" else "is geen soort aanbieding") not in said
    await say(bot, "SaaS", lang)
    stored = await bot.stored_cosell("t1")
    assert stored is not None and [o["name"] for o in stored["offers"]] == ["Tulp Analytics"]


@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_typing_what_is_no_choice_nor_a_question_at_a_button_choice_gets_one_line(
    bot: BotHarness, lang: str
) -> None:
    start, _, type_question = ASK[lang]
    await say(bot, start, lang)
    await say(bot, "Tulp Analytics", lang)
    said = await say(bot, "maybe later" if lang == "en" else "misschien later", lang)
    assert ("is not an offer type" if lang == "en" else "is geen soort aanbieding") in said
    assert type_question.format(name="Tulp Analytics") not in said  # one line, not the card again


@pytest.mark.parametrize(
    ("lang", "side", "answer"),
    [
        ("en", "how much is an intermediate certification worth?", "Intermediate certifications"),
        ("nl", "wat betekent gebruiksgroei?", "Gebruiksgroei"),
    ],
)
async def test_a_side_question_at_a_number_question_is_answered_and_the_question_asked_again(
    bot: BotHarness, lang: str, side: str, answer: str
) -> None:
    """A question without a number at "How many …?" is no answer: it gets its own answer (not
    "… is not a number"), then the same question again, which still takes the number."""
    await say(bot, "enter data" if lang == "en" else "gegevens invoeren", lang)
    first = await say(bot, "larger" if lang == "en" else "groter", lang)  # the market: a button choice
    question = "Question 2 of" if lang == "en" else "Vraag 2 van"  # net customer adds: a number
    assert question in first, first
    said = await say(bot, side, lang)
    assert answer in said
    assert question in said
    assert ("is not a number" if lang == "en" else "is geen getal") not in said
    assert ("Back to where we were" if lang == "en" else "Terug naar waar we waren") in said
    assert ("Saved" if lang == "en" else "Opgeslagen") in await say(bot, "7", lang)  # the dialog goes on
