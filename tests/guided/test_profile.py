"""The partner data dialog, turn by turn, as an admin would go through it (English and Dutch)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from kernel.texts import catalog
from tests.support.chat import Chat

FULL = {
    "market": "larger",
    "metrics": {
        "net_customer_adds": 12,
        "intermediate_certified_people": 16,
        "advanced_certified_people": 3,
        "consumption_now": 143000,
        "consumption_12_months_ago": 110000,
        "deployments_now": 8,
        "deployments_12_months_ago": 4,
    },
}
ANSWERS_EN = ["12", "16", "3", "143,000", "110,000", "8", "4"]
# Larger markets (RULES.md A.3): 12 + 16 + 3 × 15/7 + 30 (30 % growth) + 4 × 2 = 72.43 points: met.


async def test_english_entry_typed_and_clicked_ends_with_summary_and_scorecard(en: Chat) -> None:
    first = await en.begin("profile")
    assert "8 questions" in first[0]
    assert "Market" in first[1] and "larger" in first[1].lower()
    assert {"verb": "answer", "text": "larger"} in en.last_buttons()

    reply = await en.click("larger")  # a card submit: empty text, value {"verb", "text"}
    assert "Question 2 of 8" in reply[0] and "Net customer adds" in reply[0]
    assert "Saved: Market = larger markets" in reply[0]
    assert "Partner Center" in reply[0]  # where to find it
    for said in ANSWERS_EN:
        reply = await en.say(said)
    assert "Your partner data" in reply[0]
    assert "Monthly consumption value now: 143,000" in reply[0]
    assert "Net customer adds: 12" in reply[0]

    reply = await en.say("yes")
    assert reply[0] == "Confirmed. Here is your score."
    assert "72.43 of 100 points" in reply[1]
    assert "Advanced certifications\nvalue 3 · full at 7\n████░░░░░░\n6.43 / 15" in reply[1]  # a bar at 43 %
    assert "Designation met" in reply[1]
    assert await en.partners.load_profile(en.tenant) == FULL
    assert await en.nothing_runs()


@pytest.mark.parametrize(
    ("locale", "said", "reason"),
    [
        ("en-US", "a lot", "'a lot' is not a number. Type a number such as 12."),
        ("en-US", "-3", "'-3' is negative; this number cannot be below zero."),
        ("en-US", "12.5", "12.5 is not a whole number; count whole people, workloads or deployments."),
        ("nl-NL", "12,5 mensen", "12,5 is geen heel getal; tel hele mensen, workloads of implementaties."),
        ("nl-NL", "heel veel", "'heel veel' is geen getal. Typ een getal, bijvoorbeeld 12."),
        ("nl-NL", "-3", "'-3' is negatief; dit getal kan niet onder nul liggen."),
        ("en-US", "3 or 4", "'3 or 4' holds more than one number. Type just one."),
        ("en-US", "150000", "150,000 is more than any partner has for Intermediate certified people, "
                            "so I did not save it. Please check the number: at most 100,000."),
        ("nl-NL", "250.000", "250.000 is meer dan een partner heeft voor Personen met een "
                             "tussenliggende certificering (gemiddeld niveau), dus ik heb het niet "
                             "opgeslagen. Controleer het getal: hoogstens 100.000."),
    ],
)
async def test_an_invalid_answer_is_asked_again_with_the_reason(
    make_chat: Callable[..., Awaitable[Chat]], locale: str, said: str, reason: str
) -> None:
    chat = await make_chat(locale=locale)
    await chat.partners.save_profile(chat.tenant, {"market": "other", "metrics": {"net_customer_adds": 2}})
    await chat.begin("profile")
    reply = await chat.say(said)
    assert reply[0].startswith(reason)
    assert "certific" in reply[0].lower()  # the same question (intermediate certified people) again
    stored = await chat.partners.load_profile(chat.tenant)
    assert stored == {"market": "other", "metrics": {"net_customer_adds": 2}}
    reply = await chat.say("4")
    assert "Saved" in reply[0] or "Opgeslagen" in reply[0]
    stored = await chat.partners.load_profile(chat.tenant)
    assert stored is not None and stored["metrics"]["intermediate_certified_people"] == 4


async def test_net_adds_may_be_negative_but_a_market_must_be_one(en: Chat) -> None:
    await en.begin("profile")
    reply = await en.say("big")  # a market is a button choice: one line, not the card again
    assert reply == ["'big' is not a market. Answer 'larger' or 'other'. Or say cancel to stop."]
    await en.say("other markets")
    reply = await en.say("-3")
    assert "Saved: Net customer adds = -3" in reply[0]
    stored = await en.partners.load_profile(en.tenant)
    assert stored == {"market": "other", "metrics": {"net_customer_adds": -3}}


async def test_dutch_entry_reads_dutch_numbers_and_answers_in_dutch(nl: Chat) -> None:
    first = await nl.begin("profile")
    assert "8 vragen" in first[0]
    assert "Grotere markten" in first[1]
    await nl.say("groter")
    for said in ["7", "12", "drie", "130.000", "110.000,50", "8", "4"]:
        reply = await nl.say(said)
    assert "Uw partnergegevens" in reply[0]
    assert "Maandelijkse verbruikswaarde nu: 130.000" in reply[0]
    assert "Maandelijkse verbruikswaarde 12 maanden geleden: 110.000,5" in reply[0]
    reply = await nl.say("misschien")  # typed at the buttons: one line in Dutch, not the card again
    assert reply == ["Antwoord 'ja' om te bevestigen of 'wijzigen' om een waarde te verbeteren. "
                     "Of zeg annuleren om te stoppen."]
    reply = await nl.click("ja")
    assert reply[0] == "Bevestigd. Hier is uw score."
    assert "Partnercapaciteitsscore" in reply[1] and "grotere markten" in reply[1]
    stored = await nl.partners.load_profile(nl.tenant)
    assert stored is not None
    assert stored["metrics"]["advanced_certified_people"] == 3
    assert stored["metrics"]["consumption_12_months_ago"] in ("110000.5", 110000.5)


async def test_help_explains_the_question_and_asks_it_again(en: Chat) -> None:
    await en.begin("profile")
    await en.click("larger")
    reply = await en.say("help")
    assert reply[0].startswith("Net customer adds: How many more qualifying")
    assert "Where to find it: Partner Center" in reply[0]
    assert "Question 2 of 8" in reply[1]
    reply = await en.click("help")  # the Help button is the same thing
    assert "Where to find it" in reply[0]


async def test_cancel_keeps_every_confirmed_answer_and_the_next_run_skips_them(en: Chat) -> None:
    await en.begin("profile")
    await en.say("larger")
    await en.say("7")
    await en.say("12")
    reply = await en.cancel()  # the router's cancel: cancel_all_dialogs
    assert reply[0].startswith("Stopped entering partner data. Kept: Market = larger markets; "
                               "Net customer adds = 7; Intermediate certified people = 12.")
    assert await en.nothing_runs()
    assert await en.partners.load_profile(en.tenant) == {
        "market": "larger", "metrics": {"net_customer_adds": 7, "intermediate_certified_people": 12}}

    again = await en.begin("profile")
    assert "5 questions" in again[0]
    assert "Advanced certified people" in again[1] and "Question 1 of 5" in again[1]


async def test_typing_cancel_inside_the_dialog_also_keeps_the_answers(nl: Chat) -> None:
    await nl.begin("profile")
    await nl.say("andere markten")
    reply = await nl.say("annuleren")
    assert reply[0].startswith("Invoeren van partnergegevens gestopt. Bewaard: Markt = andere markten.")
    assert await nl.nothing_runs()
    assert await nl.partners.load_profile(nl.tenant) == {"market": "other", "metrics": {}} or (
        await nl.partners.load_profile(nl.tenant) == {"market": "other"})


async def test_stop_inside_the_dialog_ends_it_like_cancel(en: Chat) -> None:
    await en.begin("profile")
    await en.say("larger")
    reply = await en.say("stop")
    assert reply[0].startswith("Stopped entering partner data. Kept: Market = larger markets.")
    assert await en.nothing_runs()


async def test_after_an_interruption_the_same_question_is_asked_again(en: Chat) -> None:
    await en.begin("profile")
    await en.say("larger")
    await en.say("a lot")  # refused; the reason must not stick after the interruption
    reply = await en.interrupt()  # the score, then "Back to where we were:", then the same question
    assert reply[-2] == catalog().text("answers.back", "en")
    assert "Net customer adds" in reply[-1] and "Question 2 of 8" in reply[-1]
    assert "is not a number" not in reply[-1]
    reply = await en.say("7")
    assert "Saved: Net customer adds = 7" in reply[0]


@pytest.mark.parametrize("locale", ["en-US", "nl-NL"])
async def test_the_saved_note_is_shown_once_not_on_every_re_ask(
    make_chat: Callable[..., Awaitable[Chat]], locale: str
) -> None:
    chat = await make_chat(locale=locale)
    saved = ("Saved: Net customer adds = 7" if locale == "en-US"
             else "Opgeslagen: Nettoklanttoevoegingen = 7")
    await chat.begin("profile")
    await chat.say("larger" if locale == "en-US" else "groter")
    first = await chat.say("7")
    assert saved in first[0]
    refused = await chat.say("a lot" if locale == "en-US" else "heel veel")  # refused, asked again
    helped = await chat.say("help")  # explained, asked again
    interrupted = await chat.interrupt()  # asked again after another question
    for again in (refused[-1], helped[-1], interrupted[-1]):
        assert saved not in again
        assert again.split("\n")[-1] == first[0].split("\n")[-1]  # the same question (its buttons)
    reply = await chat.say("12")
    assert saved not in reply[0] and "= 12." in reply[0]  # the newest save only


async def test_a_restarted_bot_continues_at_the_same_question(en: Chat) -> None:
    await en.begin("profile")
    await en.say("larger")
    await en.say("7")
    await en.restart()  # new objects on the same SQLite file, as a new process would have
    reply = await en.say("12")
    assert "Saved: Intermediate certified people = 12" in reply[0]
    assert "Question 4 of 8" in reply[0]
    stored = await en.partners.load_profile(en.tenant)
    assert stored == {"market": "larger",
                      "metrics": {"net_customer_adds": 7, "intermediate_certified_people": 12}}


async def test_the_two_workload_counts_instead_of_net_adds(en: Chat) -> None:
    await en.begin("profile")
    await en.say("larger")
    reply = await en.click("counts")
    assert "Qualifying workloads now" in reply[0] and "Question 2 of 9" in reply[0]
    await en.say("40")
    reply = await en.say("33")
    assert "Question 4 of 9" in reply[0]
    for said in ANSWERS_EN[1:]:
        reply = await en.say(said)
    assert "Net customer adds: 40 now − 33 (12 months ago) = 7" in reply[0]
    stored = await en.partners.load_profile(en.tenant)
    assert stored is not None
    assert stored["metrics"]["qualifying_workloads_now"] == 40
    assert "net_customer_adds" not in stored["metrics"]


async def test_everything_stored_shows_the_summary_first_and_one_value_can_change(en: Chat) -> None:
    await en.partners.save_profile(en.tenant, FULL)
    reply = await en.begin("profile")
    assert reply[0].startswith("All your partner data is already stored")
    assert "Advanced certified people: 3" in reply[1]
    reply = await en.click("change")
    assert "Which value do you want to change?" in reply[0]
    reply = await en.say("advanced certified people")
    assert "Stored now: 3" in reply[0] and "Question 1 of 1" in reply[0]
    assert {"verb": "answer", "text": "keep"} in en.last_buttons()
    reply = await en.say("5")
    assert "Advanced certified people: 5" in reply[0]  # back at the summary
    reply = await en.say("ja")
    assert "76.71 of 100 points" in reply[1] and "Designation met" in reply[1]  # 5 × 15/7 = 10.71
    stored = await en.partners.load_profile(en.tenant)
    assert stored is not None and stored["metrics"]["advanced_certified_people"] == 5


async def test_keep_leaves_a_value_that_was_asked_again(en: Chat) -> None:
    await en.partners.save_profile(en.tenant, FULL)
    await en.begin("profile")
    await en.click("change")
    reply = await en.say("deployments now")
    assert "Stored now: 8" in reply[0]
    reply = await en.click("keep")
    assert "Deployments now: 8" in reply[0]  # back at the summary, the value unchanged
    assert await en.partners.load_profile(en.tenant) == FULL
