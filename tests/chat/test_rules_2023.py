"""The chat on today's date, under the rules in force (score 2023: Enterprise/SMB tracks; co-sell 2023):
the real app and router with the real clock, in English and Dutch.

The numbers are the 2023 edition's (RULES-2023.md A′.3): Contoso on the Enterprise track scores
15 + 12 + 3×15/7 + 18.18… + 4×20/5 = 67.61 points; certifying 2 more advanced people gives
5×15/7 = 10.71 for that metric and 71.90 in total, which meets the designation (70).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest

from dialogs.conversation import build_conversation
from kernel.texts import catalog
from scoring import api, cosell
from tests.support.chat import Chat, shown
from tests.support.harness import BotHarness
from tests.support.profiles import CONTOSO

TODAY_2023 = {"en": "the rules of June 2023 (Microsoft, 13 June 2023)",
              "nl": "de regels van juni 2023 (Microsoft, 13 juni 2023)"}
COSELL_2023 = {"en": "the rules of July 2023 (Microsoft, 24 August 2023)",
               "nl": "de regels van juli 2023 (Microsoft, 24 augustus 2023)"}
CONTOSO_2023: dict[str, Any] = {  # no month, no rules: today's month and the rules in force
    "partner": CONTOSO["partner"], "track": "enterprise", "metrics": dict(CONTOSO["metrics"])}
LANGS = [("en-US", "en"), ("nl-NL", "nl")]


def test_today_is_under_the_2023_rules() -> None:
    """What these tests rely on: the real date picks the 2023 editions (else they test nothing new)."""
    assert api.edition_for(api.latest_evaluable_month(date.today())).segment_kind == "track"
    assert cosell.edition(on=date.today()).status_id("on_market") == "in_market"


@pytest.fixture
async def bot(make_bot: Callable[..., Awaitable[BotHarness]]) -> BotHarness:
    return await make_bot()  # the real clock


async def _chat(bot: BotHarness, locale: str, profile: dict[str, Any] | None = None) -> Chat:
    chat = Chat(bot, locale=locale, tenant=f"tenant-{locale}")
    if profile is not None:
        await chat.partners.save_profile(chat.tenant, profile)
    return chat


@pytest.mark.parametrize(("locale", "lang"), LANGS)
async def test_guided_entry_asks_the_track_with_the_2023_rule(bot: BotHarness, locale: str,
                                                               lang: str) -> None:
    chat = await _chat(bot, locale)
    text = "\n".join(await chat.begin("profile"))
    track = {"en": ("Enterprise track", "SMB track", "more than USD 5,000"),
             "nl": ("Enterprise-track", "SMB-track", "meer dan USD 5.000")}[lang]
    assert track[0] in text and track[1] in text and track[2] in text
    assert "5 " in text  # the 5 pairs of the classification rule
    assert catalog().text("scoring.market.larger", lang) not in text
    reply = "\n".join(await chat.click("enterprise"))
    assert (await chat.partners.load_profile(chat.tenant)) == {"track": "enterprise"}
    # the next question states the Enterprise and SMB pair revenue of the 2023 edition
    assert {"en": "more than USD 1,500 (Enterprise track) / at least USD 250 (SMB track)",
            "nl": "meer dan USD 1.500 (Enterprise-track) / minstens USD 250 (SMB-track)"}[lang] in reply


@pytest.mark.parametrize(("locale", "lang"), LANGS)
async def test_the_scorecard_is_scored_and_named_by_the_2023_rules(bot: BotHarness, locale: str,
                                                                    lang: str) -> None:
    chat = await _chat(bot, locale, CONTOSO_2023)
    text = "\n".join(await chat.say({"en": "what's our score?", "nl": "wat is onze score?"}[lang]))
    assert {"en": "67.61 of 100 points", "nl": "67,61 van de 100 punten"}[lang] in text
    assert {"en": "value 4 · full at 5", "nl": "waarde 4 · vol bij 5"}[lang] in text  # deployments
    assert {"en": "Enterprise track", "nl": "Enterprise-track"}[lang] in text
    assert TODAY_2023[lang] in text and "bizapps" not in text
    gap = "\n".join(await chat.say({"en": "what are we missing?", "nl": "wat ontbreekt er nog?"}[lang]))
    assert {"en": "Scored by ", "nl": "Berekend volgens "}[lang] + TODAY_2023[lang] in gap
    plan = "\n".join(await chat.say({"en": "make a plan", "nl": "maak een plan"}[lang]))
    assert {"en": "Scored by ", "nl": "Berekend volgens "}[lang] + TODAY_2023[lang] in plan
    how = "\n".join(await chat.say({"en": "how does the designation work?",
                                    "nl": "hoe werkt de aanduiding?"}[lang]))
    assert TODAY_2023[lang] in how and "bizapps" not in how


@pytest.mark.parametrize(("locale", "lang"), LANGS)
async def test_a_what_if_under_the_2023_rules(bot: BotHarness, locale: str, lang: str) -> None:
    chat = await _chat(bot, locale, CONTOSO_2023)
    text = "\n".join(await chat.say({"en": "what if we certify 2 more people as advanced",
                                     "nl": "wat als we 2 mensen extra geavanceerd certificeren"}[lang]))
    assert {"en": "3 → 5 · 6.43 → 10.71", "nl": "3 → 5 · 6,43 → 10,71"}[lang] in text
    assert {"en": "67.61 → 71.90 points (+4.29)", "nl": "67,61 → 71,90 punten (+4,29)"}[lang] in text
    assert (await chat.partners.load_profile(chat.tenant)) == CONTOSO_2023  # a what-if stores nothing


@pytest.mark.parametrize(("locale", "lang"), LANGS)
async def test_a_workload_the_2023_rules_dropped_is_named_and_does_not_count(bot: BotHarness, locale: str,
                                                                            lang: str) -> None:
    """Customer Voice is a workload of the 2022 rules only: asked about today, the answer names it and
    says it counts for nothing, instead of answering about customers."""
    assert "customer_voice" not in api.edition_on(date.today()).known_workloads
    chat = await _chat(bot, locale, CONTOSO_2023)
    text = "\n".join(await chat.say({"en": "is customer voice still an eligible workload",
                                     "nl": "telt customer voice nog mee als workload?"}[lang]))
    assert {"en": "Customer Voice does not count for net customer adds.",
            "nl": "Customer Voice telt niet mee voor nettoklanttoevoegingen."}[lang] in text
    assert {"en": "Customer Voice does not count for usage growth or deployments.",
            "nl": "Customer Voice telt niet mee voor gebruiksgroei of implementaties."}[lang] in text
    assert "customer_voice" not in text


@pytest.mark.parametrize(("locale", "lang"), LANGS)
async def test_a_track_change_stated_in_chat_is_proposed_and_saved(bot: BotHarness, locale: str,
                                                                    lang: str) -> None:
    """"We're on the SMB track now, please change it": the track, before → after, saved on "yes"."""
    chat = await _chat(bot, locale, CONTOSO_2023)
    text = "\n".join(await chat.say({"en": "we're on the SMB track now, please change it",
                                     "nl": "zet ons traject op smb"}[lang]))
    assert {"en": "Enterprise track → SMB track", "nl": "Enterprise-track → SMB-track"}[lang] in text
    assert (await chat.partners.load_profile(chat.tenant))["track"] == "enterprise"  # not yet
    saved = "\n".join(await chat.say({"en": "yes", "nl": "ja"}[lang]))
    assert {"en": "Saved.", "nl": "Opgeslagen."}[lang] in saved
    stored = await chat.partners.load_profile(chat.tenant)
    assert stored == {**CONTOSO_2023, "track": "smb"}
    said = {"en": "switch our track to SMB please", "nl": "zet ons traject op smb"}[lang]
    again = "\n".join(await chat.say(said))
    assert {"en": "Your data already says SMB track: nothing to change.",
            "nl": "In uw gegevens staat al SMB-track: er is niets te wijzigen."}[lang] in again


def _asked(text: str, lang: str) -> str | None:
    """Which co-sell fact a reply asks, recognised by the 2023 edition's wording of the question."""
    edition = cosell.edition(on=date.today())
    window = next(r.window_months for r in edition.requirements if r.window_months)
    for spec in cosell.FACTS:
        question = cosell.Question(fact=spec.name, scope="offer", kind="yes_no_unknown",
                                   offer="Fabrikam Flow", offer_type="saas", requirement="", outcomes=(),
                                   threshold_usd=100000, edition=edition.id, window_months=window)
        if question.text(lang).split("?")[0] in text:
            return spec.name
    return None


async def _walk(chat: Chat, lang: str) -> tuple[list[str], str]:
    """Answer yes to every question (planning ahead when asked); the facts asked and the checklist."""
    facts: list[str] = []
    text = shown(chat.replies[-1]) if chat.replies else ""
    gate = catalog().text("guided.cosell.later.ask", lang)
    for _ in range(25):
        fact = _asked(text, lang)
        if fact is None and gate in text:
            text = (await chat.click({"en": "yes", "nl": "ja"}[lang]))[-1]
            continue
        if fact is None:
            break
        facts.append(fact)
        text = (await chat.click({"en": "yes", "nl": "ja"}[lang]))[-1]
    return facts, text


@pytest.mark.parametrize(("locale", "lang"), LANGS)
@pytest.mark.parametrize(("offer_type", "needs", "top"), [
    ("saas", {"partner_id", "transactable", "architecture_diagram"}, "azure_ip_co_sell_eligible"),
    ("azure_virtual_machine", {"partner_id", "transactable"}, "azure_ip_co_sell_eligible"),
    ("dynamics_365_dataverse_app", {"partner_id", "isv_program"}, "business_applications_co_sell_eligible"),
    ("consulting_service", {"partner_id", "solutions_partner_designation"}, "co_sell_ready"),
])
async def test_a_2023_cosell_walkthrough(bot: BotHarness, locale: str, lang: str, offer_type: str,
                                         needs: set[str], top: str) -> None:
    """The 2023 requirements are asked (a PartnerID, the transactable offer, the Solutions Partner
    designation of services partners, the architecture diagram for SaaS only) and the checklist
    reaches the 2023 status."""
    chat = await _chat(bot, locale)
    first = "\n".join(await chat.begin("cosell", {"offer": "Fabrikam Flow", "offer_type": offer_type}))
    assert "PartnerID" in first and "MPN" not in first
    facts, checklist = await _walk(chat, lang)
    assert needs <= set(facts), facts
    assert "gold_competency" not in facts and "isv_connect" not in facts
    assert ("architecture_diagram" in facts) == (offer_type == "saas")  # the diagram is for SaaS only
    reached = catalog().text("guided.cosell.checklist.status", lang, status=cosell.status_name(top, lang))
    assert reached in checklist
    assert COSELL_2023[lang] in checklist and "cosell-2023" not in checklist


@pytest.mark.parametrize(("locale", "lang"), LANGS)
async def test_cosell_questions_are_answered_by_the_edition_of_the_day(
        make_bot: Callable[..., Awaitable[BotHarness]], locale: str, lang: str) -> None:
    """Asked today, a status is explained by its 2023 name; on a day of the 2022 rules, by the 2022 one."""
    question = {"en": "explain the business applications co-sell incentive",
                "nl": "leg de business applications co-sell incentive uit"}[lang]
    answers = {}
    for day in (None, date(2023, 5, 23)):
        factory = None if day is None else (lambda storage, partners, d=day: build_conversation(
            storage, partners, today=lambda: d))
        bot = await make_bot(**({} if factory is None else {"conversation_factory": factory}))
        chat = await _chat(bot, locale)
        answers[day] = "\n".join(await chat.say(question))
    today, before = answers[None], answers[date(2023, 5, 23)]
    now, then = (catalog().text(f"cosell.status.business_applications_co_sell_{s}.name", lang)
                 for s in ("eligible", "incentive"))
    assert now != then and now in today and then not in today
    assert then in before and now not in before


@pytest.mark.parametrize(("locale", "lang"), LANGS)
async def test_a_new_offer_name_typed_at_which_offer_starts_that_offer(bot: BotHarness, locale: str,
                                                                      lang: str) -> None:
    chat = await _chat(bot, locale)
    await chat.partners.save_cosell(chat.tenant, {"partner": {}, "offers": [{"name": "Contoso Insights",
                                                                            "type": "saas"}]})
    reply = "\n".join(await chat.begin("cosell"))
    assert catalog().text("guided.cosell.pick.title", lang) in reply
    reply = "\n".join(await chat.say("Fabrikam Flow"))
    assert catalog().text("guided.cosell.type.title", lang, offer="Fabrikam Flow") in reply
    assert "Fabrikam Flow" in reply and "not one of your offers" not in reply
    await chat.say("SaaS")
    stored = await chat.partners.load_cosell(chat.tenant)
    assert [o["name"] for o in stored["offers"]] == ["Contoso Insights", "Fabrikam Flow"]
    await chat.cancel()
    await chat.begin("cosell")
    out_of_range = "\n".join(await chat.say("7"))  # a number is a button, and there is no 7th offer
    assert catalog().text("error.guided_offer_expected", lang, text="7") in out_of_range
