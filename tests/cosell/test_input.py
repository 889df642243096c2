"""C.4 input: strict parsing with errors naming file, offer and field; one-fact updates that never
lose stored data."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from kernel.errors import InputError
from kernel.texts import catalog
from scoring.cosell import add_offer, load_cosell, parse_cosell, remove_offer, set_fact

DOC: dict[str, Any] = {
    "partner": {"partner_id": True, "business_profile": None},
    "offers": [{"name": "Contoso Insights", "type": "saas", "published_live": True},
               {"name": "Contoso Advisory", "type": "consulting_service"}],
}


@pytest.mark.parametrize(
    ("offer", "field", "code"),
    [
        ({"name": "X", "type": "chrome_extension"}, "type", "cosell_offer_unknown_type"),
        ({"name": "X", "type": "saas", "pitch_deck": "maybe"}, "pitch_deck", "cosell_offer_not_yes_no"),
        ({"name": "X", "type": "saas", "one_pager": 1}, "one_pager", "cosell_offer_not_yes_no"),
        ({"name": "X", "type": "saas", "billed_revenue_12m_usd": -5}, "billed_revenue_12m_usd",
         "cosell_offer_negative_amount"),
        ({"name": "X", "type": "saas", "billed_revenue_12m_usd": "lots"}, "billed_revenue_12m_usd",
         "cosell_offer_not_amount"),
        ({"name": "X", "type": "saas", "pitchdeck": True}, "pitchdeck", "cosell_offer_unknown_key"),
        ({"name": "X"}, "type", "cosell_offer_no_type"),
    ],
)
def test_invalid_offer_fact_names_file_offer_and_field(offer, field, code) -> None:
    with pytest.raises(InputError) as err:
        parse_cosell({"partner": {}, "offers": [offer]}, "facts.yaml")
    assert err.value.code == code
    assert err.value.source == "facts.yaml"
    assert err.value.field == field
    line = str(err.value)
    assert "facts.yaml" in line and "'X'" in line and field in line and "\n" not in line
    assert "'X'" in err.value.render("nl", catalog())


def test_negative_partner_revenue_is_refused() -> None:
    with pytest.raises(InputError) as err:
        parse_cosell({"partner": {"azure_consumed_revenue_12m_usd": -1}, "offers": []}, "f.yaml")
    assert err.value.code == "cosell_partner_negative_amount"
    assert err.value.field == "azure_consumed_revenue_12m_usd"


def test_partner_fact_in_an_offer_is_refused() -> None:
    # gold_competency is a partner fact: writing it on an offer must not silently count as unknown.
    with pytest.raises(InputError, match="gold_competency"):
        parse_cosell({"offers": [{"name": "X", "type": "managed_service", "gold_competency": True}]}, "f")


def test_duplicate_offer_names_are_refused() -> None:
    with pytest.raises(InputError) as err:
        parse_cosell({"offers": [{"name": "A", "type": "saas"}, {"name": "A", "type": "teams_app"}]}, "f")
    assert err.value.code == "cosell_offer_duplicate"


def test_yes_no_unknown_words_and_absent_facts(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text("partner:\n  partner_id: yes\n  business_profile: unknown\n"
                    "offers:\n  - name: A\n    type: saas\n    pitch_deck: no\n    one_pager: 'unknown'\n"
                    "    billed_revenue_12m_usd: 120000\n", encoding="utf-8")
    cosell = load_cosell(path)
    assert cosell.partner.get("partner_id") is True
    assert cosell.partner.get("business_profile") is None
    assert cosell.partner.get("gold_competency") is None
    offer = cosell.offers[0]
    assert (offer.get("pitch_deck"), offer.get("one_pager"), offer.get("billed_revenue_12m_usd")) == (
        False, None, 120000)


def test_set_fact_returns_a_new_validated_mapping_and_keeps_the_old_one() -> None:
    before = copy.deepcopy(DOC)
    after = set_fact(DOC, "Contoso Insights", "pitch_deck", "yes")
    assert before == DOC, "the stored mapping must not change"
    assert after["offers"][0]["pitch_deck"] is True
    assert after["offers"][1] == {"name": "Contoso Advisory", "type": "consulting_service"}
    shared = set_fact(after, None, "gold_competency", True)
    assert parse_cosell(shared, "x").partner.get("gold_competency") is True
    cleared = set_fact(shared, "Contoso Insights", "pitch_deck", None)
    assert parse_cosell(cleared, "x").offers[0].get("pitch_deck") is None


@pytest.mark.parametrize(
    ("offer", "fact", "value", "code"),
    [
        ("Contoso Insights", "pitch_deck", "perhaps", "cosell_offer_not_yes_no"),
        ("Contoso Insights", "billed_revenue_12m_usd", -1, "cosell_offer_negative_amount"),
        ("Nope", "pitch_deck", True, "cosell_no_such_offer"),
        (None, "pitch_deck", True, "cosell_offer_needed"),
        ("Contoso Insights", "colour", True, "cosell_unknown_fact"),
    ],
)
def test_set_fact_refuses_bad_answers(offer, fact, value, code) -> None:
    with pytest.raises(InputError) as err:
        set_fact(DOC, offer, fact, value)
    assert err.value.code == code


def test_add_and_remove_offers() -> None:
    added = add_offer(None, "Contoso VM", "azure_virtual_machine")
    assert added == {"partner": {}, "offers": [{"name": "Contoso VM", "type": "azure_virtual_machine"}]}
    with pytest.raises(InputError) as err:
        add_offer(added, "Contoso VM", "saas")
    assert err.value.code == "cosell_offer_duplicate"
    with pytest.raises(InputError) as err:
        add_offer(added, "Other", "fax_machine")
    assert err.value.code == "cosell_offer_unknown_type"
    assert remove_offer(added, "Contoso VM")["offers"] == []
