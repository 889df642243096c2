"""What an admin ran into going through both dialogs in English and Dutch (round 2 review): each test
failed before its fix."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from scoring import cosell
from tests.guided.test_cosell import OFFER, asked, status
from tests.guided.test_profile import FULL
from tests.support.chat import Chat

Make = Callable[..., Awaitable[Chat]]


# --- partner data dialog -------------------------------------------------------------------------

async def test_changing_one_workload_count_asks_both_and_never_loses_the_stored_net_adds(en: Chat) -> None:
    """Changing 'Qualifying workloads 12 months ago' alone used to wipe the stored net customer adds
    (the summary then said 'Net customer adds: not given')."""
    await en.partners.save_profile(en.tenant, FULL)
    await en.begin("profile")
    await en.say("change")
    reply = await en.say("Qualifying workloads 12 months ago")
    assert "Question 1 of 2" in reply[0] and "Qualifying workloads now" in reply[0]
    reply = await en.say("20")
    assert "Question 2 of 2" in reply[0] and "Qualifying workloads 12 months ago" in reply[0]
    stored = await en.partners.load_profile(en.tenant)
    assert stored is not None and stored["metrics"]["net_customer_adds"] == 12, "kept until both are given"
    reply = await en.cancel()
    assert "Net customer adds = 12" in reply[0]
    assert await en.partners.load_profile(en.tenant) == FULL


async def test_both_workload_counts_replace_net_adds_together(en: Chat) -> None:
    await en.partners.save_profile(en.tenant, FULL)
    await en.begin("profile")
    await en.say("change")
    await en.say("Qualifying workloads now")
    await en.say("20")
    reply = await en.say("8")
    assert "Net customer adds: 20 now − 8 (12 months ago) = 12" in reply[0]
    stored = await en.partners.load_profile(en.tenant)
    assert stored is not None
    assert stored["metrics"]["qualifying_workloads_now"] == 20
    assert stored["metrics"]["qualifying_workloads_12_months_ago"] == 8
    assert "net_customer_adds" not in stored["metrics"]


@pytest.mark.parametrize(
    ("locale", "said", "reason"),
    [("en-US", "no idea", "No problem: the line 'Partner Center → …' below says where to find this number."),
     ("nl-NL", "geen idee", "Geen probleem: de regel 'Partner Center → …' hieronder zegt waar u dit getal"),
     ("nl-NL", "weet ik niet", "Geen probleem:")],
)
async def test_dont_know_at_a_number_says_where_to_look_and_that_nothing_is_lost(
        make_chat: Make, locale: str, said: str, reason: str) -> None:
    """It used to say "'geen idee' is not a number. Type a number such as 12."."""
    chat = await make_chat(locale=locale)
    await chat.begin("profile")
    await chat.click("larger" if locale == "en-US" else "groter")
    reply = await chat.say(said)
    assert reply[0].startswith(reason)
    assert "Partner Center →" in reply[0]  # the line it points at is on the same card


async def test_one_question_left_is_announced_in_the_singular(en: Chat, make_chat: Make) -> None:
    """It said "Let's enter your partner data: 1 questions."."""
    partial = {"market": "larger", "metrics": {k: v for k, v in FULL["metrics"].items()  # type: ignore[attr-defined]
                                               if k != "deployments_12_months_ago"}}
    await en.partners.save_profile(en.tenant, partial)
    reply = await en.begin("profile")
    assert reply[0].startswith("Let's enter your partner data: 1 question. Its answer is saved")
    nl = await make_chat(locale="nl-NL", conversation="conv-nl")
    reply = await nl.begin("profile")
    assert reply[0].startswith("We voeren uw partnergegevens in: 1 vraag. Het antwoord")


@pytest.mark.parametrize(
    ("said", "value"),
    [("1.500", 1500), ("1,5k", 1500), ("twintig", 20), ("12 people", 12), ("ongeveer 10", 10)],
)
async def test_numbers_typed_in_many_forms(en: Chat, said: str, value: int) -> None:
    await en.begin("profile")
    await en.say("other")
    await en.say(said)
    stored = await en.partners.load_profile(en.tenant)
    assert stored is not None and stored["metrics"]["net_customer_adds"] == value


# --- co-sell walkthrough: typed answers and offer types -------------------------------------------

@pytest.mark.parametrize(("locale", "said", "value"),
                         [("nl-NL", "ja hoor", True), ("nl-NL", "nee hoor", False), ("en-US", "Yes!", True),
                          ("en-US", "nope", False), ("en-US", "yup", True), ("nl-NL", "zeker niet", False)])
async def test_everyday_yes_and_no(make_chat: Make, locale: str, said: str, value: bool) -> None:
    """'ja hoor' used to be "not an answer I understand"."""
    chat = await make_chat(locale=locale)
    await chat.begin("cosell", {"offer": OFFER, "offer_type": "saas"})
    await chat.say(said)
    stored = await chat.partners.load_cosell(chat.tenant)
    assert stored is not None and stored["partner"] == {"partner_id": value}


@pytest.mark.parametrize(("said", "offer_type"),
                         [("saas", "saas"), ("SaaS-app", "saas"), ("consulting", "consulting_service"),
                          ("Consulting service", "consulting_service"), ("it is a Teams app", "teams_app"),
                          ("Adviesdienst", "consulting_service"),
                          ("virtual machine", "azure_virtual_machine")])
async def test_offer_types_typed_instead_of_clicked(en: Chat, said: str, offer_type: str) -> None:
    """'SaaS-app' and 'consulting' used to be "not an offer type"."""
    await en.begin("cosell", {"offer": "Fabrikam Flow", "offer_type": None})
    await en.say(said)
    stored = await en.partners.load_cosell(en.tenant)
    assert stored is not None and stored["offers"] == [{"name": "Fabrikam Flow", "type": offer_type}]


async def test_a_teams_app_typed_is_not_eligible_and_says_why(nl: Chat) -> None:
    await nl.begin("cosell", {"offer": "Fabrikam Bot", "offer_type": None})
    reply = await nl.say("Teams-app")
    text = reply[-1]
    assert "Bereikte status: Komt niet in aanmerking" in text
    assert "kunnen nooit samen met Microsoft worden verkocht" in text


async def test_a_type_that_fits_several_names_them(en: Chat) -> None:
    await en.begin("cosell", {"offer": "Fabrikam Flow", "offer_type": None})
    reply = await en.say("Power BI")
    # one line: the card with the types is right above
    assert reply == ["'Power BI' fits several offer types: Power BI app / Power BI visual. "
                     "Click the right one. Or say cancel to stop."]


# --- co-sell walkthrough: questions that matter only later ---------------------------------------

async def _to_the_gate(chat: Chat, yes: str = "yes", no: str = "no") -> str:
    """A SaaS offer with everything co-sell ready given except the pitch deck (answered no)."""
    await chat.begin("cosell", {"offer": OFFER, "offer_type": "saas"})
    for answer in (yes, yes, yes, yes, yes, no):  # MPN ID … one-pager yes, pitch deck no
        reply = await chat.say(answer)
    return reply[-1]


async def test_after_pitch_deck_no_the_azure_questions_are_offered_as_planning_not_asked(en: Chat) -> None:
    """It used to go straight on to the organisation's Azure revenue, 'Needed for: Azure IP co-sell
    incentive', although no answer could change the status or what co-sell ready still needs."""
    text = await _to_the_gate(en)
    assert asked(text) is None
    assert ("Contoso Insights cannot become Co-sell ready before this is done: Pitch deck uploaded. "
            "The questions left (Azure revenue of USD 100,000; Technical validation; Reference architecture "
            "diagram) matter only after that") in text
    assert [b["text"] for b in en.last_buttons()] == ["yes", "no"]
    reply = await en.click("no")
    assert f"Status reached: {status('on_market')}" in reply[-1]
    assert f"Next status: {status('co_sell_ready')}. It needs: Pitch deck uploaded." in reply[-1]
    assert await en.nothing_runs()


async def test_planning_ahead_asks_the_later_questions_with_when_they_count(en: Chat) -> None:
    await _to_the_gate(en)
    reply = await en.click("yes")
    assert asked(reply[0]) == "azure_consumed_revenue_12m_usd"
    assert ("Planning ahead: this counts only once Contoso Insights is Co-sell ready "
            "(first: Pitch deck uploaded).") in reply[0]
    assert "→" not in reply[0].split("Planning ahead")[0].split("\n")[-1]
    seen = [asked(reply[0])]
    for _ in range(6):
        reply = await en.say("yes")
        if asked(reply[-1]) is None:
            break
        assert "Planning ahead" in reply[-1]  # the gate is not asked again
        seen.append(asked(reply[-1]))
    assert seen == ["azure_consumed_revenue_12m_usd", "technical_validation", "architecture_diagram"]
    assert f"Status reached: {status('on_market')}" in reply[-1]
    assert "If the 0 open" not in reply[-1]


async def test_dutch_gate_typed(nl: Chat) -> None:
    text = await _to_the_gate(nl, "ja", "nee")
    assert "Contoso Insights kan pas Gereed voor collectieve verkoop worden als dit is gedaan" in text
    assert "Wilt u ze nu beantwoorden om vooruit te plannen, of de checklist zien?" in text
    reply = await nl.say("misschien later")
    assert reply[0].startswith("'misschien later' is geen antwoord dat ik begrijp.")
    reply = await nl.say("nee")
    assert "Co-sell-checklist: Contoso Insights" in reply[-1]


async def test_an_offer_that_is_not_live_offers_the_co_sell_questions_as_planning(en: Chat) -> None:
    await en.begin("cosell", {"offer": OFFER, "offer_type": "consulting_service"})
    await en.say("yes")
    await en.say("yes")
    reply = await en.say("no")  # not live
    live = cosell.evaluate_offer(cosell.PartnerFacts({}), cosell.Offer("x", "saas", {})).requirements[2]
    assert f"cannot become {status('on_market')} before this is done: {live.name('en')}." in reply[-1]
    assert asked(reply[-1]) is None
