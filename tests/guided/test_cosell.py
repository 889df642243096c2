"""The co-sell walkthrough, turn by turn: choosing the offer, one question at a time, the checklist."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from kernel.texts import catalog
from scoring import cosell
from tests.guided.conftest import RULES_2022_DAY
from tests.support.chat import Chat, shown

OFFER = "Contoso Insights"
PARTNER_FACTS = {"partner_id", "business_profile", "gold_competency", "azure_consumed_revenue_12m_usd"}


def asked(reply: str, offer: str = OFFER, lang: str = "en") -> str | None:
    """Which fact a reply asks about, recognised by the question's own text."""
    for spec in cosell.FACTS:
        text = catalog().text(f"cosell.question.{spec.name}", lang, offer=offer, threshold="100,000",
                              months=12, share=50, offer_type="")
        if text.split("?")[0] in reply:
            return spec.name
    return None


def status(status_id: str, lang: str = "en") -> str:
    return cosell.status_name(status_id, lang)


async def walk(chat: Chat, answers: Callable[[str], str], *, limit: int = 20,
               ahead: str = "no") -> list[str]:
    """Answer every question with ``answers(fact)`` until the checklist; the facts asked, in order.
    ``ahead``: the answer when the questions left matter only later ("yes" plans ahead)."""
    facts: list[str] = []
    text = shown(chat.replies[-1])
    gate = catalog().text("guided.cosell.later.ask", "en")
    for _ in range(limit):
        fact = asked(text)
        if fact is None and gate in text:  # the rest matters only later: plan ahead, or the checklist
            text = (await chat.click(ahead))[-1]
            continue
        if fact is None:
            break
        facts.append(fact)
        text = (await chat.click(answers(fact)))[-1]
    assert "Co-sell checklist" in text, text
    return facts


async def test_a_new_offer_named_in_the_message_asks_its_type_then_the_questions(en: Chat) -> None:
    reply = await en.begin("cosell", {"offer": OFFER, "offer_type": None})
    assert "What type of offer is Contoso Insights?" in reply[0]
    assert {"verb": "answer", "text": "Software as a service (SaaS)"} in en.last_buttons()
    reply = await en.click("Software as a service (SaaS)")
    assert asked(reply[0]) == "partner_id"
    assert "This is about your organisation" in reply[0]
    assert [b["text"] for b in en.last_buttons()] == ["yes", "no", "don't know", "stop"]
    stored = await en.partners.load_cosell(en.tenant)
    assert stored == {"partner": {}, "offers": [{"name": OFFER, "type": "saas"}]}

    reply = await en.say("yes")
    assert asked(reply[0]) == "business_profile"
    stored = await en.partners.load_cosell(en.tenant)
    assert stored is not None and stored["partner"] == {"partner_id": True}  # stored as it is given


@pytest.mark.parametrize(
    ("locale", "yes", "no", "unknown"),
    [("en-US", "yes", "no", "don't know"), ("nl-NL", "ja", "nee", "weet ik niet"),
     ("nl-NL", "yes", "No", "Weet ik niet."), ("en-US", "Ja", "nee", "not sure")],
)
async def test_typed_answers_in_either_language(make_chat: Callable[..., Awaitable[Chat]], locale: str,
                                                yes: str, no: str, unknown: str) -> None:
    chat = await make_chat(locale=locale)
    await chat.begin("cosell", {"offer": OFFER, "offer_type": "consulting_service"})
    await chat.say(yes)
    await chat.say(no)
    reply = await chat.say(unknown)  # the third question: is the offer live?
    lang = "nl" if locale.startswith("nl") else "en"
    assert asked(reply[0], lang=lang) == "sales_contacts"
    stored = await chat.partners.load_cosell(chat.tenant)
    assert stored is not None
    assert stored["partner"] == {"partner_id": True, "business_profile": False}
    reply = await chat.say("perhaps tomorrow")
    # one line under the card that is still there, not the whole card again
    expected = {"en": "'perhaps tomorrow' is not an answer I understand. Answer yes, no or don't know. "
                      "Or say cancel to stop.",
                "nl": "'perhaps tomorrow' is geen antwoord dat ik begrijp. Antwoord ja, nee of weet ik niet. "
                      "Of zeg annuleren om te stoppen."}
    assert reply == [expected[lang]]
    assert "published_live" not in stored["offers"][0]
    await chat.say(yes)  # the same question still waits for its answer
    stored = await chat.partners.load_cosell(chat.tenant)
    assert stored is not None and stored["offers"][0]["sales_contacts"] is True


# Answers that reach each status of the ladder (RULES.md B.1), with the offer type that can.
LADDER = [
    ("teams_app", {}, "not_eligible"),
    ("saas", {"published_live": "no"}, "not_published"),
    ("saas", {"pitch_deck": "no"}, "on_market"),
    ("consulting_service", {}, "co_sell_ready"),
    ("saas", {}, "azure_ip_co_sell_incentive"),
    ("dynamics_365_dataverse_app", {}, "business_applications_co_sell_incentive"),
]


@pytest.mark.parametrize(("offer_type", "special", "reached"), LADDER)
async def test_every_status_of_the_ladder_is_reached(en: Chat, offer_type: str, special: dict[str, str],
                                                     reached: str) -> None:
    await en.begin("cosell", {"offer": OFFER, "offer_type": offer_type})
    facts = await walk(en, lambda fact: special.get(fact, "yes"))
    text = shown(en.replies[-1])
    assert f"Status reached: {status(reached)}" in text
    if reached == "not_eligible":
        assert facts == []  # nothing to ask: the type can never be co-sold
    else:
        assert facts, "an eligible offer is asked something"
    if special:  # a "no" blocks the next status: the questions left only plan ahead, and are offered so
        assert facts[-1] in special, "nothing is asked after the answer that blocks the next status"


@pytest.mark.parametrize("offer_type", [t.id for t in cosell.offer_types()])
async def test_the_walkthrough_never_asks_an_irrelevant_question(en: Chat, offer_type: str) -> None:
    """Only facts of requirements that apply to the offer type, each once, and none already settled."""
    await en.begin("cosell", {"offer": OFFER, "offer_type": offer_type})
    facts = await walk(en, lambda fact: "yes")
    assert len(facts) == len(set(facts))
    relevant = {f for r in cosell.edition(on=RULES_2022_DAY).requirements_for(offer_type) for f in r.facts()}
    assert set(facts) <= relevant
    if offer_type not in ("consulting_service", "managed_service"):
        assert "gold_competency" not in facts
    if offer_type not in ("dynamics_365_dataverse_app", "dynamics_365_operations_app"):
        assert "isv_connect" not in facts
    # the organisation's Azure revenue was "yes" (USD 100,000 or more): the offer's billing cannot matter
    assert "billed_revenue_12m_usd" not in facts
    if offer_type in ("azure_application", "azure_virtual_machine"):
        assert "technical_validation" not in facts  # transactable: met by default


async def test_partner_answers_are_reused_for_the_partners_other_offers(en: Chat) -> None:
    await en.begin("cosell", {"offer": OFFER, "offer_type": "saas"})
    first = await walk(en, lambda fact: "yes")
    assert PARTNER_FACTS & set(first) == {"partner_id", "business_profile", "azure_consumed_revenue_12m_usd"}
    reply = await en.begin("cosell", {"offer": None, "offer_type": None})
    assert "Which offer shall we check?" in reply[0]
    assert {"verb": "answer", "text": OFFER} in en.last_buttons()
    reply = await en.click("new offer")
    assert "What is the offer called?" in reply[0]
    await en.say("Fabrikam Flow")
    reply = await en.say("SaaS")  # typed offer type (its short name)
    fact = asked(reply[0], offer="Fabrikam Flow")
    assert fact == "published_live"  # not partner_id, business_profile or the Azure revenue again
    stored = await en.partners.load_cosell(en.tenant)
    assert stored is not None and [o["name"] for o in stored["offers"]] == [OFFER, "Fabrikam Flow"]


async def test_stop_shows_the_checklist_of_what_is_known(en: Chat) -> None:
    await en.begin("cosell", {"offer": OFFER, "offer_type": "saas"})
    await en.say("yes")
    await en.say("no")
    await en.say("yes")
    reply = await en.click("stop")
    text = reply[-1]
    assert f"Status reached: {status('on_market')}" in text
    assert "✓: MPN ID and marketplace account" in text or "✓" in text
    assert "✗" in text and "?" in text
    assert f"Next status: {status('co_sell_ready')}. It needs:" in text
    assert "Role:" in text and "https://" in text  # next steps with role and link
    assert await en.nothing_runs()


async def test_cancel_keeps_the_answers_and_shows_where_it_stands(nl: Chat) -> None:
    await nl.begin("cosell", {"offer": OFFER, "offer_type": "saas"})
    await nl.say("ja")
    await nl.say("ja")
    reply = await nl.cancel()
    assert reply[0].startswith("De co-sell-controle van Contoso Insights is gestopt.")
    assert "Co-sell-checklist: Contoso Insights" in reply[1]
    assert await nl.nothing_runs()
    stored = await nl.partners.load_cosell(nl.tenant)
    assert stored is not None and stored["partner"] == {"partner_id": True, "business_profile": True}


async def test_an_amount_can_be_typed(en: Chat) -> None:
    await en.partners.save_cosell(en.tenant, {
        "partner": {"partner_id": True, "business_profile": True},
        "offers": [{"name": OFFER, "type": "saas", "published_live": True, "sales_contacts": True,
                    "one_pager": True, "pitch_deck": True}]})
    reply = await en.begin("cosell", {"offer": "contoso insights", "offer_type": None})  # any case
    assert asked(reply[0]) == "azure_consumed_revenue_12m_usd"
    assert "USD 100,000 or more" in reply[0]
    reply = await en.say("a lot")
    assert reply[0].startswith("'a lot' is not a number.")
    assert asked(reply[0]) == "azure_consumed_revenue_12m_usd"
    reply = await en.say("USD 150,000")
    stored = await en.partners.load_cosell(en.tenant)
    assert stored is not None and stored["partner"]["azure_consumed_revenue_12m_usd"] == 150000
    assert asked(reply[0]) != "billed_revenue_12m_usd"


async def test_interruption_and_restart_continue_at_the_same_question(en: Chat) -> None:
    await en.begin("cosell", {"offer": OFFER, "offer_type": "saas"})
    await en.say("yes")
    reply = await en.interrupt()  # the score, then "Back to where we were:", then the same question
    assert reply[-2] == catalog().text("answers.back", "en")
    assert asked(reply[-1]) == "business_profile"
    await en.restart()
    reply = await en.say("yes")
    assert asked(reply[0]) == "published_live"
    stored = await en.partners.load_cosell(en.tenant)
    assert stored is not None and stored["partner"] == {"partner_id": True, "business_profile": True}


async def test_help_explains_what_the_question_settles(en: Chat) -> None:
    await en.begin("cosell", {"offer": OFFER, "offer_type": "saas"})
    reply = await en.say("help")
    assert "It settles the requirement" in reply[0]
    assert "Role:" in reply[0]
    assert asked(reply[1]) == "partner_id"


async def test_stopping_before_an_offer_is_chosen_says_nothing_was_stored(nl: Chat) -> None:
    reply = await nl.begin("cosell", {"offer": None, "offer_type": None})
    assert "Hoe heet de aanbieding?" in reply[0]
    reply = await nl.say("annuleren")
    assert reply == ["De co-sell-controle is gestopt. Er is niets opgeslagen."]
    assert await nl.partners.load_cosell(nl.tenant) is None
