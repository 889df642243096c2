"""The router during guided dialogs, through the real app over HTTP, in English and Dutch.

- a confident request for a guided dialog during one ends the current dialog (it says what was
  kept) and begins the requested one; the same dialog asked again shows where we were;
- a real answer (a number, yes/no, a market, an offer type, an offer) is never taken for a request;
- "cancel" gives one clear message; "help" and the did-you-mean buttons work at every point.
"""

from __future__ import annotations

from typing import Any

import pytest

from kernel.texts import catalog
from tests.answers.cardcheck import actions_of
from tests.conversation.helpers import button, everything, shown
from tests.support.harness import BotHarness, Reply
from tests.support.profiles import CONTOSO

PROFILE = CONTOSO

LANGS = {
    "en": {
        "locale": "en-US",
        "enter": "I want to enter our data",
        "cosell": "is my offer Contoso Insights co-sell ready?",
        "cosell_other": "is Fabrikam Flow co-sell ready?",
        "type_question": "What type of offer is {offer}?",
        "profile_stopped": "Stopped entering partner data. Kept: Market = larger markets; {net} = 7.",
        "profile_nothing": "Stopped entering partner data. Nothing was stored yet.",
        "cosell_stopped": "Stopped the co-sell check of Contoso Insights.",
        "cosell_nothing": "Stopped the co-sell check. Nothing was stored.",
        "intro": "Let's enter your partner data: 8 questions.",
        "question": "Question {n} of 8",
        "mpn": "MPN ID",
        "live": "Is Contoso Insights live",
        "yes": "yes", "no": "no", "unknown": "don't know",
        "cancel": "cancel", "help": "help", "market": "larger",
        "help_title": "What you can ask",
    },
    "nl": {
        "locale": "nl-NL",
        "enter": "ik wil onze gegevens invoeren",
        "cosell": "is mijn aanbieding Contoso Insights klaar voor co-sell?",
        "cosell_other": "is Fabrikam Flow klaar voor co-sell?",
        "type_question": "Wat voor soort aanbieding is {offer}?",
        "profile_stopped": "Invoeren van partnergegevens gestopt. Bewaard: Markt = grotere markten; "
                           "{net} = 7.",
        "profile_nothing": "Invoeren van partnergegevens gestopt. Er was nog niets opgeslagen.",
        "cosell_stopped": "De co-sell-controle van Contoso Insights is gestopt.",
        "cosell_nothing": "De co-sell-controle is gestopt. Er is niets opgeslagen.",
        "intro": "We voeren uw partnergegevens in: 8 vragen.",
        "question": "Vraag {n} van 8",
        "mpn": "MPN-id",
        "live": "Staat Contoso Insights live",
        "yes": "ja", "no": "nee", "unknown": "weet ik niet",
        "cancel": "annuleren", "help": "hulp", "market": "grotere markt",
        "help_title": "Wat u kunt vragen",
    },
}


class Chat:
    """One person in a personal chat with the bot, in one language."""

    def __init__(self, bot: BotHarness, lang: str) -> None:
        self.bot = bot
        self.lang = lang
        self.words = LANGS[lang]
        self.last: list[Reply] = []

    async def say(self, text: str) -> list[str]:
        self.last = await self.bot.say(text, locale=self.words["locale"])
        return shown(self.last)

    async def click(self, said: str) -> list[str]:
        self.last = await self.bot.submit(button(self.last, said), locale=self.words["locale"])
        return shown(self.last)

    def w(self, key: str, **params: Any) -> str:
        net = catalog().text("guided.profile.field.net_customer_adds.label", self.lang)
        return str(self.words[key]).format(**{"net": net, **params})


def _stopped_lines(replies: list[str]) -> list[str]:
    """Every 'stopped' message the user saw (the dialogs' own and the router's generic ones)."""
    generic = {catalog().text("answers.cancelled", lang) for lang in ("en", "nl")}
    markers = ("Stopped", "gestopt", *generic)
    return [r for r in replies if any(m in r.split("\n")[0] for m in markers)]


@pytest.fixture(params=["en", "nl"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# ---------------------------------------------------------------- a request for another guided dialog


async def test_a_cosell_question_during_data_entry_keeps_the_answers_and_starts_the_check(
    bot: BotHarness, lang: str
) -> None:
    chat = Chat(bot, lang)
    await chat.say(chat.w("enter"))
    await chat.say(chat.w("market"))
    replies = await chat.say("7")
    assert chat.w("question", n=3) in replies[0]
    replies = await chat.say(chat.w("cosell"))
    assert _stopped_lines(replies) == [replies[0]], "one message says what was kept"
    assert chat.w("profile_stopped") in replies[0]
    assert chat.w("type_question", offer="Contoso Insights") in replies[-1]
    assert await bot.stored_profile("t1") == {"market": "larger", "metrics": {"net_customer_adds": 7}}
    replies = await chat.say("SaaS")  # the new dialog has the turn now
    assert chat.w("mpn") in replies[0]


async def test_entering_data_during_the_cosell_check_keeps_the_answers_and_starts_data_entry(
    bot: BotHarness, lang: str
) -> None:
    chat = Chat(bot, lang)
    await chat.say(chat.w("cosell"))
    await chat.say("SaaS")
    replies = await chat.say(chat.w("yes"))
    assert chat.w("mpn") not in replies[0]
    replies = await chat.say(chat.w("enter"))
    assert chat.w("cosell_stopped") in replies[0]
    assert "Contoso Insights" in replies[1]  # the checklist of what was kept
    assert chat.w("intro") in "\n".join(replies) and chat.w("question", n=1) in replies[-1]
    assert len(_stopped_lines(replies)) == 1
    cosell = await bot.stored_cosell("t1")
    assert cosell is not None and cosell["partner"] == {"partner_id": True}
    replies = await chat.say(chat.w("market"))
    assert chat.w("question", n=2) in replies[0]


async def test_a_menu_button_for_the_other_dialog_switches_too(bot: BotHarness) -> None:
    chat = Chat(bot, "en")
    await chat.say("enter data")
    replies = await chat.say("what can you do?")  # the help card, then back to the question
    assert "What you can ask" in replies[0] and "Question 1 of 8" in replies[-1]
    cosell = next(a["data"] for r in chat.last for c in r.cards for a in actions_of(c)
                  if a.get("data", {}).get("verb") == "cosell")
    replies = shown(await bot.submit(cosell))
    assert replies[0] == catalog().text("guided.profile.cancelled_nothing", "en")
    assert "offer" in replies[-1].lower()


async def test_the_same_dialog_asked_again_shows_where_we_were(bot: BotHarness, lang: str) -> None:
    chat = Chat(bot, lang)
    await chat.say(chat.w("enter"))
    await chat.say(chat.w("market"))
    replies = await chat.say(chat.w("enter"))
    assert replies[0] == catalog().text("bot.router.already.profile", lang)
    assert chat.w("question", n=2) in replies[1] and not _stopped_lines(replies)
    await chat.say("7")
    assert await bot.stored_profile("t1") == {"market": "larger", "metrics": {"net_customer_adds": 7}}

    await chat.say(chat.w("cosell"))
    await chat.say("SaaS")
    replies = await chat.say(chat.w("cosell"))  # the same offer: go on where we were
    assert replies[0] == catalog().text("bot.router.already.cosell_offer", lang, offer="Contoso Insights")
    assert chat.w("mpn") in replies[1]
    replies = await chat.say(chat.w("cosell_other"))  # another offer: this one stops, that one starts
    assert chat.w("cosell_stopped") in replies[0]
    assert chat.w("type_question", offer="Fabrikam Flow") in replies[-1]


async def test_naming_the_offer_while_choosing_it_just_takes_that_offer(bot: BotHarness) -> None:
    await bot.seed_cosell("t1", {"offers": [{"name": "Contoso Insights", "type": "saas"}]})
    chat = Chat(bot, "en")
    replies = await chat.say("is my offer co-sell ready?")
    assert "Contoso Insights" in replies[-1]  # the known offers as buttons
    replies = await chat.say("is Fabrikam Flow co-sell ready?")
    assert not _stopped_lines(replies)
    assert len(replies) == 1 and chat.w("type_question", offer="Fabrikam Flow") in replies[0]


# ---------------------------------------------------------------- real answers stay answers


@pytest.mark.parametrize(
    ("said", "lang", "reaches"),
    [
        ("7", "en", "Question 3 of 8"),
        ("1.500", "nl", "Vraag 3 van 8"),
        ("1,500", "en", "Question 3 of 8"),
        ("zeven", "nl", "Vraag 3 van 8"),
        ("-3", "en", "Question 3 of 8"),  # net adds may be negative
        ("workload counts", "en", "Qualifying workloads now"),
        ("aantallen", "nl", "Kwalificerende workloads nu"),
        ("keep", "en", None),
    ],
)
async def test_numbers_and_words_at_a_number_question_are_answers(
    bot: BotHarness, said: str, lang: str, reaches: str | None
) -> None:
    chat = Chat(bot, lang)
    await chat.say(chat.w("enter"))
    await chat.say(chat.w("market"))
    replies = await chat.say(said)
    assert not _stopped_lines(replies) and catalog().text("answers.back", lang) not in replies
    if reaches is None:  # nothing stored to keep: refused with the reason, asked again
        assert chat.w("question", n=2) in replies[0]
    else:
        assert reaches in "\n".join(replies)


@pytest.mark.parametrize(
    ("said", "lang", "reason"),
    [("a lot", "en", "not a number"), ("12,5 mensen", "nl", "geen heel getal"), ("-3", "en", "negative")],
)
async def test_a_wrong_answer_is_asked_again_with_the_reason(
    bot: BotHarness, said: str, lang: str, reason: str
) -> None:
    chat = Chat(bot, lang)
    await chat.say(chat.w("enter"))
    await chat.say(chat.w("market"))
    await chat.say("7")
    replies = await chat.say(said)  # intermediate certified people: a whole count, not negative
    assert reason in replies[0] and chat.w("question", n=3) in replies[0]


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("said", ["larger", "other", "grotere markten", "overige markten", "large market"])
async def test_a_market_is_an_answer(bot: BotHarness, lang: str, said: str) -> None:
    chat = Chat(bot, lang)
    await chat.say(chat.w("enter"))
    replies = await chat.say(said)
    assert chat.w("question", n=2) in replies[0]


@pytest.mark.parametrize(
    ("said", "lang"),
    [("SaaS", "en"), ("Software as a service (SaaS)", "nl"), ("Azure application", "en"), ("Teams-app", "nl"),
     ("Adviesdienst", "nl"), ("Power BI app", "en")],
)
async def test_an_offer_type_is_an_answer(bot: BotHarness, said: str, lang: str) -> None:
    chat = Chat(bot, lang)
    await chat.say(chat.w("cosell"))
    replies = await chat.say(said)
    assert not _stopped_lines(replies)
    assert "Contoso Insights" in replies[0]
    assert chat.w("type_question", offer="Contoso Insights") not in replies[0]


@pytest.mark.parametrize(
    ("said", "lang", "stored"),
    [("yes", "en", True), ("no", "en", False), ("ja", "nl", True), ("nee", "nl", False),
     ("weet ik niet", "nl", None), ("don't know", "en", None), ("ok", "en", True)],
)
async def test_yes_no_and_dont_know_at_a_cosell_question_are_answers(
    bot: BotHarness, said: str, lang: str, stored: bool | None
) -> None:
    chat = Chat(bot, lang)
    await chat.say(chat.w("cosell"))
    await chat.say("SaaS")
    replies = await chat.say(said)
    assert not _stopped_lines(replies) and chat.w("mpn") not in replies[0]
    cosell = await bot.stored_cosell("t1")
    assert cosell is not None and cosell.get("partner", {}).get("partner_id") == stored


async def test_a_known_offer_named_at_the_choice_is_an_answer(bot: BotHarness) -> None:
    await bot.seed_cosell("t1", {"offers": [{"name": "Contoso Insights", "type": "saas"}]})
    chat = Chat(bot, "nl")
    await chat.say("is mijn aanbieding klaar voor co-sell?")
    replies = await chat.say("Contoso Insights")
    assert "MPN-id" in replies[0]


async def test_a_new_offer_name_that_sounds_like_co_sell_is_taken_as_the_name(bot: BotHarness) -> None:
    chat = Chat(bot, "en")
    await chat.say("is my offer co-sell ready?")
    replies = await chat.say("Contoso Co-sell Accelerator")  # not confident enough to be a request
    assert chat.w("type_question", offer="Contoso Co-sell Accelerator") in replies[0]


# ---------------------------------------------------------------- cancel: one clear message


async def _at_every_step(chat: Chat) -> list[tuple[str, list[str]]]:
    """Start each dialog, go to a step, cancel there; returns (where, what the user saw)."""
    seen: list[tuple[str, list[str]]] = []
    steps: list[tuple[str, list[str]]] = [
        ("profile: first question", [chat.w("enter")]),
        ("profile: after an answer", [chat.w("enter"), chat.w("market"), "7"]),
        ("cosell: offer type", [chat.w("cosell")]),
        ("cosell: a question", [chat.w("cosell"), "SaaS"]),
    ]
    for where, said in steps:
        for text in said:
            await chat.say(text)
        seen.append((where, await chat.say(chat.w("cancel"))))
    return seen


async def test_cancel_says_one_clear_thing_at_every_step(bot: BotHarness, lang: str) -> None:
    chat = Chat(bot, lang)
    seen = dict(await _at_every_step(chat))
    for where, replies in seen.items():
        assert len(_stopped_lines(replies)) == 1, f"{where}: {replies}"
    assert seen["profile: first question"] == [chat.w("profile_nothing")]
    assert chat.w("profile_stopped") in seen["profile: after an answer"][0]
    assert seen["cosell: offer type"] == [chat.w("cosell_nothing")]
    assert chat.w("cosell_stopped") in seen["cosell: a question"][0]
    nothing = catalog().text("answers.cancelled_nothing", lang)
    assert await chat.say(chat.w("cancel")) == [nothing]


async def test_cancel_with_a_pending_update_and_a_dialog_says_only_what_the_dialog_kept(
    bot: BotHarness, lang: str
) -> None:
    await bot.seed_profile("t1", PROFILE)
    chat = Chat(bot, lang)
    ask = "we now have 10 deployments" if lang == "en" else "we hebben nu 10 implementaties"
    replies = await chat.say(ask)
    assert "8 → 10" in replies[0]
    replies = await chat.say(chat.w("cancel"))
    assert replies == [catalog().text("answers.cancelled", lang)]  # the pending change: one line
    await chat.say(ask)
    await chat.say(chat.w("cosell"))
    replies = await chat.say(chat.w("cancel"))
    assert replies == [chat.w("cosell_nothing")]
    assert (await bot.stored_profile("t1") or {})["metrics"]["deployments_now"] == 8


# ---------------------------------------------------------------- help and did-you-mean


async def test_help_at_every_step_explains_and_asks_the_same_question_again(
    bot: BotHarness, lang: str
) -> None:
    chat = Chat(bot, lang)
    replies = await chat.say(chat.w("help"))
    assert chat.w("help_title") in replies[0]
    await chat.say(chat.w("enter"))
    for answer, question in [(chat.w("market"), 2), ("7", 3)]:
        replies = await chat.say(chat.w("help"))
        assert len(replies) == 2 and chat.w("question", n=question - 1) in replies[1]
        await chat.say(answer)
    replies = await chat.say(chat.w("help"))
    assert chat.w("question", n=3) in replies[-1]
    await chat.say(chat.w("cosell"))
    replies = await chat.say(chat.w("help"))
    assert chat.w("type_question", offer="Contoso Insights") in replies[-1]
    await chat.say("SaaS")
    replies = await chat.say(chat.w("help"))
    assert chat.w("mpn") in replies[-1] and len(replies) == 2


@pytest.mark.parametrize(("said", "lang"), [("advanced", "en"), ("geavanceerd", "nl")])
async def test_did_you_mean_offers_two_guesses_that_answer_when_clicked(
    bot: BotHarness, said: str, lang: str
) -> None:
    await bot.seed_profile("t1", PROFILE)
    chat = Chat(bot, lang)
    replies = await chat.say(said)
    assert catalog().text("answers.didyoumean.title", lang) in replies[0]
    guesses = [a["data"] for r in chat.last for c in r.cards for a in actions_of(c)]
    assert len(guesses) == 2 and all(g["text"] == said for g in guesses)
    answer = everything(await bot.submit(guesses[0], locale=chat.w("locale")))
    assert answer and catalog().text("answers.didyoumean.title", lang) not in answer

    # during a dialog the same words go to the question, not to guesses
    await chat.say(chat.w("enter"))
    replies = await chat.say(said)
    assert catalog().text("answers.didyoumean.title", lang) not in "\n".join(replies)
