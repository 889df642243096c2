"""Every answer through the real HTTP app (CloudAdapter, Teams handler, SQLite) and a fake connector.

A tenant profile is stored first; each test types a question (English or Dutch) or clicks a card
button and asserts the numbers a Teams user would see. Every card received is checked against
the Adaptive Card 1.5 schema, the 28 KB limit and the semantic-colour rule.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest

from dialogs.conversation import build_conversation
from tests.answers.cardcheck import actions_of, assert_valid_card, card_text
from tests.support.harness import BotHarness, Reply
from tests.support.profiles import CONTOSO

# These answers are the 2022 rules' (markets; co-sell 2022): the bot's day is one on which they are in
# force. A date typed in a question still picks the rules in force on that date.
RULES_2022_DAY = date(2023, 5, 23)

# larger market: 7 + 12 + 3×15/7 + 18.18… + 4×2 = 51.61 points (RULES.md A.3)
PROFILE = CONTOSO


def _text(replies: list[Reply]) -> str:
    parts = []
    for reply in replies:
        if reply.text:
            parts.append(reply.text)
        for card in reply.cards:
            assert_valid_card(card)
            parts.append(card_text(card))
    return "\n".join(parts)


def _buttons(replies: list[Reply]) -> list[dict[str, Any]]:
    return [a for r in replies for c in r.cards for a in actions_of(c) if "data" in a]


async def _ask(bot: BotHarness, text: str, locale: str = "en-US", tenant: str = "t1") -> str:
    return _text(await bot.say(text, locale=locale, tenant=tenant))


@pytest.fixture
async def bot(make_bot: Callable[..., Awaitable[BotHarness]]) -> BotHarness:
    return await make_bot(conversation_factory=lambda storage, partners: build_conversation(
        storage, partners, today=lambda: RULES_2022_DAY))


@pytest.fixture
async def seeded(bot: BotHarness) -> BotHarness:
    await bot.seed_profile("t1", PROFILE)
    return bot


async def test_score_card_in_english_and_dutch(seeded: BotHarness) -> None:
    english = await _ask(seeded, "<at>PartnerBot</at> what's our score?")
    assert "51.61 of 100 points" in english
    assert "Designation not met yet." in english
    assert "6.43 / 15 points" in english and "value 3 · full at 7" in english
    assert "18.18%" in english and "October 2026" in english
    # which rules, in words with the date of Microsoft's source; never the internal id
    assert "the rules of October 2022 (Microsoft, 3 October 2022)" in english
    assert "bizapps-2022" not in english
    dutch = await _ask(seeded, "wat is onze score?", locale="nl-NL")
    assert "51,61 van de 100 punten" in dutch
    assert "6,43 / 15 punten" in dutch and "oktober 2026" in dutch
    assert "de regels van oktober 2022 (Microsoft, 3 oktober 2022)" in dutch and "bizapps" not in dutch


async def test_an_imported_profile_with_huge_numbers_still_gets_its_scorecard(bot: BotHarness) -> None:
    huge = {**PROFILE, "metrics": {**PROFILE["metrics"], "advanced_certified_people": 10**25,
                                   "consumption_now": 10**30}}
    await bot.seed_profile("t1", huge)
    card = await _ask(bot, "wat is onze score?", locale="nl-NL")
    assert "1E25" in card and "000.000.000.000" not in card  # the advanced people, without 25 digits
    assert "15,00 / 15 punten" in card


async def test_asking_how_to_import_a_file_shows_the_command_for_this_tenant(bot: BotHarness) -> None:
    assert "partnerbot import" in await _ask(bot, "how do I import a file?", tenant="t7")
    assert "--tenant t7" in await _ask(bot, "hoe importeer ik onze gegevens uit een bestand?",
                                       locale="nl-NL", tenant="t7")


async def test_thanks_gets_a_friendly_word_and_a_dialog_goes_on(bot: BotHarness) -> None:
    assert "You're welcome" in await _ask(bot, "thanks!")
    assert "Graag gedaan" in await _ask(bot, "dank je wel", locale="nl-NL")
    await bot.say("enter data")
    texts = [r.text for r in await bot.say("thank you")]
    assert any("You're welcome" in t for t in texts)
    replies = await bot.say("larger")  # the market question was asked again and still takes the answer
    assert any("Saved: Market = larger markets" in card_text(c) for r in replies for c in r.cards)


async def test_gap_for_one_metric_and_for_all(seeded: BotHarness) -> None:
    one = await _ask(seeded, "hoeveel geavanceerde certificeringen heb ik nog nodig?", locale="nl-NL")
    assert "nog 4 personen" in one  # 7 − 3 to the maximum of 15 points
    assert "zelfs op het maximum van deze meetwaarde blijft het totaal onder 70" in one  # 51.61 + 8.57 < 70
    every = await _ask(seeded, "what are we missing?")
    assert "8 more adds" in every and "6 more deployments" in every
    assert "USD 13,000 more monthly consumption value (+11.82% growth)" in every


async def test_plan_reaches_the_designation(seeded: BotHarness) -> None:
    text = await _ask(seeded, "give me a plan to get the designation")
    assert "Advanced certifications: +4 people → 6.43 → 15.00 points" in text
    assert "Total after the plan: 70.18 points" in text


async def test_what_if_with_two_changes_in_one_sentence(seeded: BotHarness) -> None:
    text = await _ask(seeded, "what if we certify 2 more people as advanced and add 3 deployments")
    assert "3 → 5 · 6.43 → 10.71" in text
    assert "4 → 7 · 8.00 → 14.00" in text
    assert "51.61 → 61.90 points (+10.29)" in text
    assert (await seeded.stored_profile("t1")) == PROFILE  # a what-if stores nothing


async def test_the_scorecard_follows_the_stored_data_each_time_it_is_asked(seeded: BotHarness) -> None:
    """Scores and scorecards are kept per stored data, date and language: asking again gives the
    same card, and a saved change, another tenant or another language gives its own."""
    first = await _ask(seeded, "what's our score?")
    assert "51.61 of 100 points" in first and await _ask(seeded, "what's our score?") == first
    await seeded.say("set deployments to 12")
    await _ask(seeded, "yes")
    assert "59.61 of 100 points" in await _ask(seeded, "what's our score?")
    assert "59,61 van de 100 punten" in await _ask(seeded, "wat is onze score?", locale="nl-NL")
    await seeded.seed_profile("t2", PROFILE)
    assert "51.61 of 100 points" in await _ask(seeded, "what's our score?", tenant="t2")
    await seeded.seed_profile("t1", PROFILE)  # changed behind the bot's back, e.g. by an import
    assert "51.61 of 100 points" in await _ask(seeded, "what's our score?")


async def test_update_shows_before_after_and_saves_only_after_confirming(seeded: BotHarness) -> None:
    replies = await seeded.say("we hebben nu 5 geavanceerd gecertificeerde mensen", locale="nl-NL")
    text = _text(replies)
    assert "3 → 5" in text and "51,61 → 55,90 punten (+4,29)" in text
    assert (await seeded.stored_profile("t1")) == PROFILE
    (save,) = [b for b in _buttons(replies) if b["data"]["verb"] == "update_confirm"]
    saved = _text(await seeded.submit(save["data"], locale="nl-NL"))
    assert "Opgeslagen. Uw score is nu 55,90 punten." in saved
    stored = await seeded.stored_profile("t1")
    assert stored is not None and stored["metrics"]["advanced_certified_people"] == 5


async def test_update_confirmed_by_typing_yes_and_discarded_by_typing_no(seeded: BotHarness) -> None:
    await seeded.say("set deployments to 12")
    assert "Saved. Your score is now 59.61 points." in await _ask(seeded, "yes")
    await seeded.say("update deployments to 2")
    assert "nothing was changed" in await _ask(seeded, "no")
    stored = await seeded.stored_profile("t1")
    assert stored is not None and stored["metrics"]["deployments_now"] == 12


async def test_explain_with_the_partners_own_numbers(seeded: BotHarness) -> None:
    text = await _ask(seeded, "how are the points for advanced certifications calculated?")
    assert "3 people with an eligible advanced certification; 15 × 3 / 7 = 6.43 points" in text
    assert "In your market (larger markets), each person is worth 2.14 points" in text
    dutch = await _ask(seeded, "leg de regel voor de aanwijzing uit", locale="nl-NL")
    assert "minstens 70 van de 100 punten" in dutch


async def test_eligibility_and_freshness(seeded: BotHarness) -> None:
    text = await _ask(seeded, "does power bi count?")
    assert "usage growth and deployments at a rate of USD 100 per monthly active user (MAU)" in text
    fresh = await _ask(seeded, "we added a customer on 10 march, when does it show up")
    _title, first = fresh.split("\n")[:2]
    # the answer first
    assert first == "A customer or workload added on 10 March 2023 counted from 15 April 2023."
    # the tense follows the dates: added in the past but counting later, and not yet added
    recent = await _ask(seeded, "we added a customer on 20 may, when does it show up")
    assert "A customer or workload added on 20 May 2023 will count from 15 June 2023." in recent
    dutch = await _ask(seeded, "we hebben op 20 mei een klant toegevoegd, wanneer telt die", locale="nl-NL")
    assert "Een klant of workload die op 20 mei 2023 is toegevoegd, zal meetellen vanaf 15 juni 2023." \
        in dutch
    past = await _ask(seeded, "we hebben op 10 maart een klant toegevoegd, wanneer telt die", locale="nl-NL")
    assert "Een klant of workload die op 10 maart 2023 is toegevoegd, telde mee vanaf 15 april 2023." in past
    assert "Your scorecard uses the data of October 2026." in fresh


async def test_what_counts_as_a_deployment_says_first_what_one_is(seeded: BotHarness) -> None:
    """"What counts as a deployment?" asks what counts: the answer starts with what a deployment is, then
    the workloads that count for it, in both languages."""
    text = await _ask(seeded, "what counts as a deployment exactly?")
    title, first = text.split("\n")[:2]
    assert title == "What counts"
    assert first.startswith("A deployment is a (customer, workload) pair of a usage-eligible workload")
    assert "Workloads for usage growth and deployments" in text
    dutch = await _ask(seeded, "wat telt er precies als netto-klant voegt toe?", locale="nl-NL")
    assert dutch.split("\n")[1].startswith("Nettoklanttoevoegingen = kwalificerende (klant, workload)-paren")


async def test_cosell_explanation(seeded: BotHarness) -> None:
    text = await _ask(seeded, "what does the azure ip co-sell incentive require?")
    assert "USD 100,000" in text and "architecture diagram" in text


async def test_no_profile_offers_entering_data_or_importing(bot: BotHarness) -> None:
    replies = await bot.say("what's my score?", tenant="empty")
    assert "No partner data yet" in _text(replies)
    verbs = [b["data"]["verb"] for b in _buttons(replies)]
    assert verbs == ["enter_data", "import_help"]
    how = _text(await bot.submit({"verb": "import_help", "text": "how do I import a file"}, tenant="empty"))
    assert "partnerbot import profile.yaml --tenant empty" in how
    # explanations still work without a profile
    explained = await _ask(bot, "explain usage growth", tenant="empty")
    assert "Enter your data to see your own numbers here." in explained


async def test_card_buttons_are_routed_like_typed_questions(seeded: BotHarness) -> None:
    score = await seeded.say("what's my score?")
    (gap_button,) = [b for b in _buttons(score) if b["data"]["verb"] == "gap"]
    text = _text(await seeded.submit(gap_button["data"]))
    assert "What is still needed" in text
    plan = _text(await seeded.submit({"verb": "plan", "text": "make a plan"}))
    assert "70.18 points" in plan


async def test_unsure_questions_offer_the_two_best_guesses(seeded: BotHarness) -> None:
    replies = await seeded.say("advanced")
    buttons = _buttons(replies)
    assert len(buttons) == 2 and all(b["data"]["text"] == "advanced" for b in buttons)
    answer = _text(await seeded.submit(buttons[0]["data"]))
    assert answer and "Did you mean" not in answer


async def test_language_choice_is_remembered_over_the_locale(seeded: BotHarness) -> None:
    assert "I'll answer in English" not in await _ask(seeded, "spreek nederlands")
    assert "51,61 van de 100 punten" in await _ask(seeded, "what's my score?", locale="en-US")
    assert "I'll answer in English from now on." in await _ask(seeded, "switch to english", locale="en-US")
    assert "51.61 of 100 points" in await _ask(seeded, "wat is mijn score", locale="nl-NL")


async def test_welcome_when_added_and_help_with_buttons(bot: BotHarness) -> None:
    replies = await bot.add_members(locale="nl-NL")
    text = _text(replies)
    assert "Hallo! Ik ben de partnerscore-bot" in text
    verbs = {b["data"]["verb"] for b in _buttons(replies)}
    assert {"score", "gap", "plan", "cosell", "enter_data", "language"} <= verbs
    help_text = await _ask(bot, "what can you do?")
    assert "What you can ask" in help_text


async def test_a_question_during_a_dialog_is_answered_then_the_dialog_resumes(seeded: BotHarness) -> None:
    await seeded.say("is my offer co-sell ready?")
    text = await _ask(seeded, "what's my score?")
    assert "51.61 of 100 points" in text
    assert "Back to where we were:" in text
    stopped = await _ask(seeded, "cancel")
    assert stopped  # the dialog says what it kept
    assert "There is nothing to stop." in await _ask(seeded, "cancel")
    assert "There is nothing to stop." in await _ask(seeded, "nvm")  # a cancel word, not "not understood"
    assert "Er is niets om te stoppen." in await _ask(seeded, "stop hiermee", locale="nl-NL")


# One question per kind of card, in both languages; the largest cards are the scorecard, the plan and
# the co-sell checklist.
CARD_QUESTIONS = [
    ("what's our score?", "en-US"), ("wat is onze score?", "nl-NL"), ("what are we missing?", "en-US"),
    ("maak een plan", "nl-NL"),
    ("what if we certify 2 more people as advanced and add 3 deployments", "en-US"),
    ("how are the points for advanced certifications calculated?", "en-US"), ("help", "nl-NL"),
    ("welke workloads tellen mee", "nl-NL"), ("what does the azure ip co-sell incentive require?", "en-US"),
]


async def test_card_sizes_stay_far_below_the_teams_limit(seeded: BotHarness) -> None:
    sizes: dict[str, int] = {}
    for question, locale in CARD_QUESTIONS:
        for reply in await seeded.say(question, locale=locale):
            for card in reply.cards:
                assert_valid_card(card)
                sizes[card_text(card).split("\n")[0]] = len(json.dumps(card, separators=(",", ":")).encode())
    print(f"\ncard sizes (bytes): {json.dumps(sizes, ensure_ascii=False)}")
    assert len(sizes) >= len(CARD_QUESTIONS) - 2  # most questions are answered with a card
    assert max(sizes.values()) < 28 * 1024


async def test_dutch_what_if_with_the_verb_last_adds_to_every_metric(seeded: BotHarness) -> None:
    text = await _ask(seeded, "wat als we 5 implementaties en 4 geavanceerde certificeringen toevoegen",
                      locale="nl-NL")
    assert "4 → 9 · 8,00 → 18,00" in text  # deployments 8 − 4 = 4, +5
    assert "3 → 7 · 6,43 → 15,00" in text
    fewer = await _ask(seeded, "what if we had 2 fewer deployments")
    assert "4 → 2 · 8.00 → 4.00" in fewer and "(-4.00)" in fewer


async def test_a_covered_workload_counts_on_both_sides_under_its_edition_name(seeded: BotHarness) -> None:
    premium = await _ask(seeded, "telt power bi premium mee?", locale="nl-NL")
    assert "niet mee voor netto" not in premium
    assert "Power BI Premium telt mee voor nettoklanttoevoegingen als Power BI Premium/Pro" in premium
    assert "USD 20 per node/capaciteit" in premium
    english = await _ask(seeded, "does power bi count?")
    assert "Power BI Premium/Pro counts for net customer adds" in english
    assert "USD 100 per monthly active user (MAU)" in english and "USD 20 per node/capacity" in english


async def test_rate_units_families_and_attributions_are_named_not_ids(seeded: BotHarness) -> None:
    listing = await _ask(seeded, "welke workloads tellen mee", locale="nl-NL")
    assert "per profiel" in listing and "per maandelijks actieve gebruiker" in listing
    assert "Dynamics 365: CPOR, CPOR RevRec, CSP tier 1, CSP tier 2, DPOR" in listing
    for raw in ("nodes/capacity", "per profiles", "dynamics_365", "power_platform", "CSP_T1", "WEB_DIRECT"):
        assert raw not in listing
    one = await _ask(seeded, "telt business central mee?", locale="nl-NL")
    assert "(Dynamics 365; toeschrijvingen: CPOR, CPOR RevRec, CSP tier 1, CSP tier 2, DPOR)" in one
    dpor = await _ask(seeded, "is DPOR an eligible attribution")
    assert "Dynamics 365 and Power Platform" in dpor and "dynamics_365" not in dpor


async def test_explanation_lines_read_as_sentences(seeded: BotHarness) -> None:
    dutch = await _ask(seeded, "hoe werkt de gebruiksgroei?", locale="nl-NL")
    assert ("In uw markt (grotere markten) is elk procentpunt groei 1,00 punten waard, tot het maximum "
            "van 30 punten bij 30%.") in dutch
    assert "Punten: " not in dutch and "Zo werkt Gebruiksgroei" not in dutch
    english = await _ask(seeded, "explain advanced certifications", tenant="nobody")
    assert "In larger markets, each person is worth 2.14 points, up to the maximum of 15 points at 7." \
        in english


async def test_dates_typed_as_iso_or_day_month_year_and_a_month_alone(seeded: BotHarness) -> None:
    iso = await _ask(seeded, "if I add a workload on 2026-03-03 when does it show up")
    assert "A customer or workload added on 3 March 2026 will count from 15 April 2026." in iso
    cert = await _ask(seeded, "we hebben PL-300 gehaald op 3-11-2026, wanneer telt dat", locale="nl-NL")
    assert ("Een certificering die op 3 november 2026 wordt behaald, zal uiterlijk op 6 november 2026 "
            "meetellen.") in cert
    month = await _ask(seeded, "wanneer zijn de gegevens van november beschikbaar", locale="nl-NL")
    assert "De gegevens van november 2022 zijn beschikbaar sinds 15 december 2022." in month


async def test_shorthand_and_phrases_with_number_words(seeded: BotHarness) -> None:
    assert "6 more deployments" in await _ask(seeded, "how many more deploys do we need for max points")
    both = await _ask(seeded, "what if we add 2 adv certs and 3 deploys")
    assert "3 → 5 · 6.43 → 10.71" in both and "4 → 7 · 8.00 → 14.00" in both
    assert "Power BI Premium/Pro counts for net customer adds" in await _ask(seeded, "does PBI count?")
    assert "Co-sell requirement: One-pager" in await _ask(seeded, "why do I need a one pager")
    worth = await _ask(seeded, "hoeveel punten is één geavanceerde certificering waard", locale="nl-NL")
    assert "is elke persoon 2,14 punten waard" in worth


async def test_family_attributions_and_stated_facts_are_updates(seeded: BotHarness) -> None:
    family = await _ask(seeded, "which attributions count for dynamics 365")
    assert "Dynamics 365 workloads count for net customer adds with the attributions CPOR, CPOR RevRec" \
        in family
    passed = await _ask(seeded, "we passed 3 more intermediate certs")
    assert "Update your data?" in passed and "12 → 15" in passed
    market = await _ask(seeded, "onze markt is andere markten", locale="nl-NL")
    assert "grotere markten → andere markten" in market


# -- numbers in updates and what-ifs: one reader for chat (scale words, signs, one limit)


async def test_scaled_and_signed_numbers_in_updates_and_what_ifs(seeded: BotHarness) -> None:
    k = await _ask(seeded, "set consumption now to 140k")
    assert "USD 130,000 → USD 140,000" in k
    assert "Saved." in await _ask(seeded, "yes")
    stored = await seeded.stored_profile("t1")
    assert stored is not None and stored["metrics"]["consumption_now"] == 140000
    miljoen = await _ask(seeded, "zet verbruik nu op 1,2 miljoen", locale="nl-NL")
    assert "USD 140.000 → USD 1.200.000" in miljoen
    whatif = await _ask(seeded, "what if our monthly consumption were 200k")
    assert "-99" not in whatif and "81.82%" in whatif  # 200,000 / 110,000 − 1
    thousand = await _ask(seeded, "what if we add 2 thousand deployments")
    assert "4 → 2,004" in thousand
    for said, lang in (("set deployments to -3", "en-US"), ("zet implementaties op -3", "nl-NL")):
        refused = await _ask(seeded, said, locale=lang)
        assert ("qualifying deployments in the latest month would be -3, which is below zero." in refused
                or "kwalificerende implementaties in de laatste maand -3 zijn, en dat is minder dan nul"
                in refused), refused
        assert "Update your data?" not in refused and "bijwerken" not in refused


async def test_numbers_in_chat_have_one_limit(seeded: BotHarness) -> None:
    huge = "1" + "0" * 29
    for said, lang, shown in (
        (f"set advanced certified people to {huge}", "en-US", "far too large to be right"),
        (f"wat als we {huge} implementaties toevoegen", "nl-NL", "veel te groot om te kloppen"),
    ):
        text = await _ask(seeded, said, locale=lang)
        assert shown in text, text
    assert "far too large" in await _ask(seeded, "what if consumption were 5000000000000")
    stored = await seeded.stored_profile("t1")
    assert stored == PROFILE


# -- net customer adds or workload counts: what was said is what is changed

_NO_NET = {k: v for k, v in PROFILE["metrics"].items() if k != "net_customer_adds"}
WORKLOADS = {**PROFILE, "metrics": {**_NO_NET, "qualifying_workloads_now": 40,
                                    "qualifying_workloads_12_months_ago": 33}}


async def test_net_adds_stated_on_a_profile_with_workload_counts(bot: BotHarness) -> None:
    await bot.seed_profile("t1", WORKLOADS)
    net = await _ask(bot, "set net customer adds to 9")  # 33 + 9: the two counts are kept
    assert "40 → 42" in net and "not given" not in net
    assert "51.61 → 53.61 points (+2.00)" in net  # net adds 7 → 9
    now = await _ask(bot, "we now have 9 net customer adds")
    assert "(+2.00)" in now and "→ 49" not in now
    more = await _ask(bot, "we won 2 more new customers")
    assert "40 → 42" in more and "(+2.00)" in more
    ago = await _ask(bot, "we had 30 qualifying workloads 12 months ago", locale="en-US")
    assert "33 → 30" in ago and "(+3.00)" in ago
    assert "Saved. Your score is now 54.61 points." in await _ask(bot, "yes")
    whatif = await _ask(bot, "wat als we 35 kwalificerende workloads 12 maanden geleden hadden",
                        locale="nl-NL")
    assert "10 → 5" in whatif  # 40 − 30 → 40 − 35


async def test_workload_counts_stated_on_a_profile_with_net_adds_ask_for_the_other_count(
    seeded: BotHarness,
) -> None:
    one = await _ask(seeded, "we had 30 qualifying workloads 12 months ago")
    assert "a value your data does not give yet: qualifying customer workloads" in one
    assert "in the latest month. Tell me that value first." in one
    assert "Update your data?" not in one
    dutch = await _ask(seeded, "zet kwalificerende workloads op 42", locale="nl-NL")
    assert "nog niet noemen: kwalificerende klantworkloads 12 maanden vóór de laatste maand" in dutch
    both = await _ask(seeded, "we have 40 qualifying workloads now and had 30 12 months ago")
    assert "not given → 40" in both and "not given → 30" in both and "7 → not given" in both
    assert "(+3.00)" in both
    net = await _ask(seeded, "set net customer adds to 9")
    assert "7 → 9" in net and "(+2.00)" in net


async def test_workload_counts_on_a_records_profile_use_the_records_for_the_other_count(
    bot: BotHarness,
) -> None:
    rows = [{"customer": c, "workload": "sales", "month": "2026-10", "subscription": "S1", "active": True,
             "revenue_usd": 1800, "attribution": "CPOR", "channel": "CSP"} for c in ("C1", "C2")]
    rows.append({"customer": "C1", "workload": "sales", "month": "2025-10", "subscription": "S1",
                 "active": True, "revenue_usd": 1800, "attribution": "CPOR", "channel": "CSP"})
    await bot.seed_profile("t1", {**PROFILE, "metrics": _NO_NET, "records": {"revenue": rows}})
    text = await _ask(bot, "set qualifying workloads 12 months ago to 5")
    assert "1 → 5" in text and "(-1.00)" in text  # net adds 2 − 1 = 1 → 2 − 5 = −3


# -- refusals in words: no ids, numbers as the language writes them


async def test_refused_numbers_are_explained_in_words_in_english_and_dutch(seeded: BotHarness) -> None:
    english = await _ask(seeded, "set deployments to 3.7")
    assert english == "3.7 is not a whole number: deployments are counted in whole numbers."
    dutch = await _ask(seeded, "wat als we 2,5 implementaties toevoegen", locale="nl-NL")
    assert dutch == "2,5 is geen heel getal: implementaties worden in hele getallen geteld."
    assert (await seeded.stored_profile("t1")) == PROFILE


async def test_missing_inputs_are_named_in_words_on_the_scorecard(bot: BotHarness) -> None:
    metrics = {k: v for k, v in PROFILE["metrics"].items() if not k.startswith("consumption")}
    await bot.seed_profile("t1", {**PROFILE, "metrics": metrics})
    dutch = await _ask(bot, "wat is onze score?", locale="nl-NL")
    assert "maandelijkse verbruikswaarde in de laatste maand" in dutch
    assert "consumption_now" not in dutch and "consumption_12_months_ago" not in dutch
    english = await _ask(bot, "explain usage growth")
    assert "monthly consumption value 12 months before the latest month" in english
    assert "consumption_" not in english


# -- Save saves only the latest change shown, on the data it was shown for


def _save_of(replies: list[Reply]) -> dict[str, Any]:
    (save,) = [b["data"] for b in _buttons(replies) if b["data"]["verb"] == "update_confirm"]
    return save


async def test_an_older_save_button_or_a_save_after_no_changes_nothing(seeded: BotHarness) -> None:
    card_a = _save_of(await seeded.say("we now have 5 advanced certified people"))
    card_b = _save_of(await seeded.say("set deployments to 9"))
    assert "There is no change waiting to be saved." in _text(await seeded.submit(card_a))
    assert "Saved." in _text(await seeded.submit(card_b))
    assert "There is no change waiting to be saved." in _text(await seeded.submit(card_a))
    card_c = _save_of(await seeded.say("zet implementaties op 11", locale="nl-NL"))
    assert "niets veranderd" in await _ask(seeded, "nee", locale="nl-NL")
    assert "Er staat geen wijziging klaar" in _text(await seeded.submit(card_c, locale="nl-NL"))
    stored = await seeded.stored_profile("t1")
    assert stored is not None and stored["metrics"]["advanced_certified_people"] == 3
    assert stored["metrics"]["deployments_now"] == 9


async def test_a_change_shown_before_the_data_changed_is_not_saved_over_it(seeded: BotHarness) -> None:
    old = _save_of(await seeded.say("set deployments to 12", tenant="t1"))
    await seeded.seed_profile("t1", {**PROFILE, "metrics": {**PROFILE["metrics"], "deployments_now": 10}})
    refused = _text(await seeded.submit(old))
    assert "Your data has changed since this change was shown, so nothing was saved." in refused
    stored = await seeded.stored_profile("t1")
    assert stored is not None and stored["metrics"]["deployments_now"] == 10


async def test_a_forged_save_is_refused_and_the_dialog_goes_on(bot: BotHarness) -> None:
    await bot.say("enter data")
    forged = {"verb": "update_confirm", "change": {"values": {"advanced_certified_people": "abc"}}}
    assert _text(await bot.submit(forged)) == "There is no change waiting to be saved."
    replies = await bot.say("larger")  # the dialog was not lost: it still takes the market
    assert any("Saved: Market = larger markets" in card_text(c) for r in replies for c in r.cards)

