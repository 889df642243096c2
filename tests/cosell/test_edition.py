"""Dated co-sell editions: strict loading, choice by date or id, and a later edition held beside the
2022 one without code changes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from kernel.errors import InputError
from kernel.files import config_dir
from scoring.cosell import Offer, PartnerFacts, edition, evaluate_offer

SEED = config_dir() / "cosell" / "2022.yaml"


def seed() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    return data


def write(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_shipped_edition_names_its_source_for_every_value() -> None:
    rules = edition("cosell-2022")
    assert rules.effective_from == dt.date(2022, 1, 1)
    assert rules.sources["url"].startswith("https://learn.microsoft.com/")
    raw = seed()
    assert all(entry["source"] for entry in raw["offer_types"].values())
    assert all(s.source for s in rules.statuses) and all(r.source for r in rules.requirements)
    revenue = next(r for r in rules.requirements if r.id == "azure_revenue")
    assert revenue.threshold_usd == 100000


def later_edition() -> dict[str, Any]:
    """Like Microsoft's newer pages: 'In market' instead of 'On market', and a fourth Azure IP
    requirement (a transactable offer)."""
    data = seed()
    data.update(id="cosell-2025", title="Co-sell requirements (2025)", effective_from=dt.date(2025, 1, 1))
    for status in data["statuses"]:
        if status["id"] == "on_market":
            status["id"] = "in_market"
    data["requirements"].append({"id": "transactable_offer", "level": "azure_ip_co_sell_incentive",
                                 "applies_to": ["azure"], "rule": "fact", "fact": "transactable",
                                 "source": "later Microsoft page"})
    return data


def test_a_later_edition_is_chosen_by_date_or_by_id(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "2022.yaml")
    write(tmp_path, "2025.yaml", later_edition())
    assert edition(on=dt.date(2024, 12, 31), folder=tmp_path).id == "cosell-2022"
    assert edition(on=dt.date(2025, 1, 1), folder=tmp_path).id == "cosell-2025"
    assert edition("cosell-2022", folder=tmp_path).id == "cosell-2022"
    with pytest.raises(InputError) as err:
        edition(on=dt.date(2020, 1, 1), folder=tmp_path)
    assert err.value.code == "cosell_no_edition"

    partner = PartnerFacts({"partner_id": True, "business_profile": True,
                            "azure_consumed_revenue_12m_usd": 150000})
    offer = Offer("Contoso", "saas", {"published_live": True, "transactable": False, "sales_contacts": True,
                                       "one_pager": True, "pitch_deck": True, "technical_validation": True,
                                       "architecture_diagram": True})
    old = evaluate_offer(partner, offer, edition=edition("cosell-2022", folder=tmp_path))
    new = evaluate_offer(partner, offer, edition=edition("cosell-2025", folder=tmp_path))
    assert old.status == "azure_ip_co_sell_incentive"
    assert new.status == "co_sell_ready" and [r.id for r in new.to_do] == ["transactable_offer"]
    live_only = Offer("Contoso", "saas", {"published_live": True})
    later = edition("cosell-2025", folder=tmp_path)
    assert evaluate_offer(partner, live_only, edition=later).status == "in_market"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(colour="blue"), "colour"),
        (lambda d: d.update(effective_from="soon"), "effective_from"),
        (lambda d: d["requirements"][8].update(threshold_usd="lots"), "requirements[8].threshold_usd"),
        (lambda d: d["requirements"][0].update(threshold_usd=5), "requirements[0].threshold_usd"),
        (lambda d: d["requirements"][0].update(fact="mpn"), "requirements[0].fact"),
        (lambda d: d["requirements"][0].update(level="gold"), "requirements[0].level"),
        (lambda d: d["requirements"][0].update(applies_to=["fax_machine"]), "requirements[0].applies_to"),
        (lambda d: d["requirements"][0].pop("source"), "requirements[0].source"),
        (lambda d: d["statuses"][1].update(kind="maybe"), "statuses[1].kind"),
    ],
)
def test_a_broken_edition_is_refused_naming_file_and_key(tmp_path: Path, change, field: str) -> None:
    data = seed()
    change(data)
    path = write(tmp_path, "broken.yaml", data)
    with pytest.raises(InputError) as err:
        edition(folder=tmp_path)
    assert err.value.source == str(path)
    assert err.value.field == field


def test_the_2023_edition_reads_old_ids_as_aliases_and_keeps_gold_and_designation_apart() -> None:
    rules = edition("cosell-2023")
    assert rules.effective_from == dt.date(2023, 7, 11) and rules.documented == dt.date(2023, 8, 24)
    assert edition(on=dt.date(2023, 7, 10)).id == "cosell-2022"
    assert edition(on=dt.date(2023, 7, 11)).id == "cosell-2023"
    assert rules.status_id("on_market") == "in_market"
    assert rules.status_id("azure_ip_co_sell_incentive") == "azure_ip_co_sell_eligible"
    status = rules.status("business_applications_co_sell_incentive")
    assert status.id == "business_applications_co_sell_eligible"
    partner = PartnerFacts({"partner_id": True, "business_profile": True, "gold_competency": True})
    offer = Offer("Advisory", "consulting_service", {"published_live": True, "sales_contacts": True,
                                                      "one_pager": True, "pitch_deck": True})
    new = evaluate_offer(partner, offer, edition=rules)
    assert new.status == "in_market" and [r.id for r in new.pending] == ["solutions_partner_designation"]
    old = evaluate_offer(PartnerFacts({"partner_id": True, "business_profile": True,
                                       "solutions_partner_designation": True}), offer, edition="cosell-2022")
    assert [r.id for r in old.pending] == ["gold_competency"]
    facts = {"published_live": True, "sales_contacts": True, "one_pager": True, "pitch_deck": True,
             "isv_connect": True}
    app = Offer("App", "dynamics_365_dataverse_app", facts)
    assert evaluate_offer(partner, app, edition=rules).status == "business_applications_co_sell_eligible"


def test_an_amount_just_below_the_threshold_never_counts_as_reaching_it() -> None:
    from scoring.cosell import parse_cosell, to_mapping

    data = {"partner": {"partner_id": True, "business_profile": True,
                        "azure_consumed_revenue_12m_usd": "99999.9999999999999"},
            "offers": [{"name": "X", "type": "saas", "transactable": True,
                        "billed_revenue_12m_usd": "99999.9999999999999"}]}
    parsed = parse_cosell(data, "facts", edition="cosell-2022")
    result = evaluate_offer(parsed.partner, parsed.offers[0], edition="cosell-2022")
    assert {r.id: r.met for r in result.requirements}["azure_revenue"] is False
    stored = to_mapping(parsed)
    assert stored["partner"]["azure_consumed_revenue_12m_usd"] == "99999.9999999999999"
    again = parse_cosell(stored, "stored", edition="cosell-2022")
    assert evaluate_offer(again.partner, again.offers[0], edition="cosell-2022").requirements[6].met is False
