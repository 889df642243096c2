"""Explanations and names the bot renders, in English and Dutch."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kernel.errors import InputError
from kernel.files import config_dir
from scoring.cosell import TOPICS, explain, offer_types, status_name
from scoring.cosell.edition import parse_edition


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_status_is_explained_lowest_first(lang: str) -> None:
    explanation = explain("statuses", lang, edition="cosell-2022")
    assert [i.id for i in explanation.items] == [
        "not_eligible", "not_published", "on_market", "co_sell_ready", "azure_ip_co_sell_incentive",
        "business_applications_co_sell_incentive"]
    assert all(i.title and i.text for i in explanation.items)


def test_texts_differ_between_languages() -> None:
    en = explain("statuses", "en", edition="cosell-2022")
    nl = explain("statuses", "nl", edition="cosell-2022")
    assert [i.text for i in en.items] != [i.text for i in nl.items]
    assert status_name("on_market", "nl") == "Op de markt"


def test_incentives_list_their_own_requirements_and_offer_types() -> None:
    items = {i.id: i for i in explain("incentives", "en", edition="cosell-2022").items}
    assert set(items) == {"azure_ip_co_sell_incentive", "business_applications_co_sell_incentive"}
    azure = " ".join(items["azure_ip_co_sell_incentive"].details)
    assert "USD 100,000" in azure and "architecture diagram" in azure and "Technical validation" in azure
    assert "Software as a service" in azure and "ISV Connect" not in azure
    business = " ".join(items["business_applications_co_sell_incentive"].details)
    assert "ISV Connect" in business and "Dataverse" in business and "100,000" not in business
    dutch = " ".join(explain("incentives", "nl", edition="cosell-2022").items[0].details)
    assert "USD 100.000" in dutch


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_2023_statuses_are_explained_with_their_new_names(lang: str) -> None:
    explanation = explain("statuses", lang, edition="cosell-2023")
    assert [i.id for i in explanation.items] == [
        "not_eligible", "not_published", "in_market", "co_sell_ready", "azure_ip_co_sell_eligible",
        "business_applications_co_sell_eligible"]
    titles = [i.title for i in explanation.items]
    wanted = "Azure IP co-sell eligible" if lang == "en" else "Komt in aanmerking voor Azure IP co-sell"
    assert wanted in titles


def test_the_2023_azure_ip_requirements_are_four_and_the_diagram_is_for_saas_only() -> None:
    items = {i.id: i for i in explain("incentives", "en", edition="cosell-2023").items}
    azure = " ".join(items["azure_ip_co_sell_eligible"].details)
    assert "Transactable offer" in azure and "marketplace billed sales" in azure and "SaaS" in azure
    assert "50%" not in azure, "the 2022 technical validation wording is not the 2023 one"
    business = " ".join(items["business_applications_co_sell_eligible"].details)
    assert "ISV Success" in business


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_numbers_of_the_azure_requirements_come_from_the_edition(lang: str) -> None:
    """The trailing months of the revenue requirement and the 2022 technical validation's share of
    Azure IP are edition data: an edition that says 9 months and 60 % is explained with those."""
    data = yaml.safe_load((config_dir() / "cosell" / "2022.yaml").read_text(encoding="utf-8"))
    for requirement in data["requirements"]:
        if requirement["id"] == "azure_revenue":
            requirement["window_months"] = 9
        if requirement["id"] == "technical_validation":
            requirement["azure_share_percent"] = 60
    changed = parse_edition(data, Path("cosell-9.yaml"))
    for edition, months, share in (("cosell-2022", 12, 50), (changed, 9, 60)):
        items = {i.id: i for i in explain("incentives", lang, edition=edition).items}
        azure = " ".join(items["azure_ip_co_sell_incentive"].details)
        assert {"en": f"trailing {months} months", "nl": f"afgelopen {months} maanden"}[lang] in azure
        assert {"en": f"more than {share}%", "nl": f"meer dan {share}%"}[lang] in azure


def test_offer_versus_solution() -> None:
    items = explain("offer_vs_solution", "en").items
    assert [i.id for i in items] == ["offer", "solution"]
    assert "Developer or Manager" in items[0].details[0] and "Co-sell solution admin" in items[1].details[0]
    assert all(i.link and i.link.startswith("https://") for i in items)


def test_unknown_topic() -> None:
    assert set(TOPICS) == {"statuses", "incentives", "offer_vs_solution"}
    with pytest.raises(InputError) as err:
        explain("weather")
    assert err.value.code == "cosell_unknown_topic"


def test_offer_types_have_names_in_both_languages_and_eligibility() -> None:
    types = offer_types()
    assert len(types) == 15
    assert {t.id for t in types if not t.eligible} == {"office_add_in", "teams_app", "sharepoint_solution"}
    assert next(t for t in types if t.id == "azure_virtual_machine").name("nl") == "Virtuele Azure-machine"
