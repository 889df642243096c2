"""The checklist card at every status of the ladder, in English and Dutch: ✓ / ✗ / ? per requirement,
the status reached, the next status and exactly what it needs (or that there is none), next steps
with the Partner Center role and link. Every card validates against Adaptive Cards 1.5."""

from __future__ import annotations

from typing import Any

import pytest

from dialogs.guided.cosell import checklist_card
from kernel.texts import catalog
from scoring import cosell
from tests.answers.cardcheck import assert_valid_card, card_text, cards_in

ALL_P = {"partner_id": True, "business_profile": True, "gold_competency": True,
         "azure_consumed_revenue_12m_usd": 150000}
ALL_O = {"published_live": True, "sales_contacts": True, "one_pager": True, "pitch_deck": True,
         "isv_connect": True, "technical_validation": True, "architecture_diagram": True}
LADDER: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    ("teams_app", {}, {}, "not_eligible"),
    ("saas", {}, {"published_live": False}, "not_published"),
    ("saas", ALL_P, {**ALL_O, "one_pager": False, "pitch_deck": None}, "on_market"),
    ("saas", ALL_P, {**ALL_O, "architecture_diagram": False}, "co_sell_ready"),
    ("consulting_service", ALL_P, ALL_O, "co_sell_ready"),
    ("saas", ALL_P, ALL_O, "azure_ip_co_sell_incentive"),
    ("dynamics_365_dataverse_app", ALL_P, ALL_O, "business_applications_co_sell_incentive"),
]
MARK = {True: "✓", False: "✗", None: "?"}


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize(("offer_type", "partner", "offer", "reached"), LADDER)
def test_checklist_at_every_status(offer_type: str, partner: dict[str, Any], offer: dict[str, Any],
                                   reached: str, lang: str) -> None:
    facts = cosell.PartnerFacts(partner), cosell.Offer("Contoso Insights", offer_type, offer)
    result = cosell.evaluate_offer(*facts, edition="cosell-2022")
    assert result.status == reached
    activity = checklist_card(result, lang)
    [card] = cards_in(activity)
    assert_valid_card(card)
    text = card_text(card)
    t = catalog().text
    type_name = cosell.offer_type_name(offer_type, lang)
    assert t("guided.cosell.checklist.status", lang, status=cosell.status_name(reached, lang)) in text
    for req in result.requirements:
        assert f"{MARK[req.met]}: {req.name(lang)}" in text
        if req.met is not True:  # a next step with its role and link
            assert req.next_step(lang) in text and req.role(lang) in text and req.link(lang) in text
        else:
            assert req.next_step(lang) not in text
    if result.not_eligible_reason:
        assert t(result.not_eligible_reason, lang, offer_type=type_name) in text
    elif result.next_status:
        needs = "; ".join(r.name(lang) for r in result.requirements if r.id in result.next_status_needs)
        assert t("guided.cosell.checklist.next", lang, status=cosell.status_name(result.next_status, lang),
                 needs=needs) in text
    else:  # the top of the offer type's ladder used to end the card without a word
        assert t("guided.cosell.checklist.top", lang, offer_type=type_name) in text
