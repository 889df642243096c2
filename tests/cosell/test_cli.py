"""`partnerbot cosell FILE... [--json]` (RULES.md C.4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main

FIRST = """\
partner:
  partner_id: true
  business_profile: true
  gold_competency: null
  azure_consumed_revenue_12m_usd: 120000
offers:
  - name: Contoso Insights
    type: saas
    published_live: true
    transactable: true
    billed_revenue_12m_usd: 0
    sales_contacts: true
    one_pager: true
    pitch_deck: false
    isv_connect: null
    technical_validation: null
    architecture_diagram: true
  - name: Contoso Teams Tab
    type: teams_app
"""
SECOND = '{"partner": {}, "offers": [{"name": "Fabrikam Advisory", "type": "consulting_service"}]}'


@pytest.fixture()
def files(tmp_path: Path) -> list[str]:
    (tmp_path / "a.yaml").write_text(FIRST, encoding="utf-8")
    (tmp_path / "b.json").write_text(SECOND, encoding="utf-8")
    return [str(tmp_path / "a.yaml"), str(tmp_path / "b.json")]


def test_json_one_object_per_offer_per_line_in_input_order(files, capsys) -> None:
    assert main(["cosell", *files, "--json", "--edition", "cosell-2022"]) == 0
    lines = capsys.readouterr().out.splitlines()
    objects = [json.loads(line) for line in lines]
    assert [o["offer"] for o in objects] == ["Contoso Insights", "Contoso Teams Tab", "Fabrikam Advisory"]
    assert [o["status"] for o in objects] == ["on_market", "not_eligible", "not_published"]
    saas = objects[0]
    assert [r["id"] for r in saas["requirements"]] == [
        "partner_id", "business_profile", "published_live", "sales_contacts", "one_pager", "pitch_deck",
        "azure_revenue", "technical_validation", "architecture_diagram"]
    by_id = {r["id"]: r for r in saas["requirements"]}
    assert by_id["pitch_deck"]["met"] is False
    assert by_id["technical_validation"]["met"] is None
    revenue = by_id["azure_revenue"]
    assert (revenue["met"], revenue["level"]) == (True, "azure_ip_co_sell_incentive")
    assert all(isinstance(r["next_step"], str) and r["next_step"] for r in saas["requirements"])
    assert objects[1]["requirements"] == [] and objects[1]["reason"]
    assert "gold_competency" in {r["id"] for r in objects[2]["requirements"]}


def test_readable_checklist_without_json(files, capsys) -> None:
    assert main(["cosell", files[0], "--on", "2023-07-10"]) == 0
    out = capsys.readouterr().out
    assert "Contoso Insights" in out and "On market" in out
    assert "[ ] Pitch deck uploaded" in out and "Co-sell solution admin" in out
    assert "[?] Technical validation" in out
    assert "Not eligible" in out


def test_dutch_checklist(files, capsys) -> None:
    assert main(["cosell", files[0], "--lang", "nl", "--edition", "cosell-2022"]) == 0
    out = capsys.readouterr().out
    assert "Op de markt" in out and "Pitchdeck" in out and "Komt niet in aanmerking" in out


@pytest.mark.parametrize(
    ("offer", "field"),
    [
        ("{name: Bad Offer, type: fax_machine}", "type"),
        ("{name: Bad Offer, type: saas, pitch_deck: maybe}", "pitch_deck"),
        ("{name: Bad Offer, type: saas, billed_revenue_12m_usd: -10}", "billed_revenue_12m_usd"),
    ],
)
def test_invalid_file_exits_2_with_one_line(tmp_path: Path, files, capsys, offer: str, field: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"offers:\n  - {offer}\n", encoding="utf-8")
    assert main(["cosell", files[0], str(bad), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "", "nothing is printed when one of the files is invalid"
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert str(bad) in lines[0] and "Bad Offer" in lines[0] and field in lines[0]


def test_missing_file_and_unknown_edition_exit_2(tmp_path: Path, capsys) -> None:
    assert main(["cosell", str(tmp_path / "nope.yaml")]) == 2
    assert main(["cosell", "--edition", "cosell-1999", str(tmp_path / "nope.yaml")]) == 2
    assert "cosell-2022" in capsys.readouterr().err



def test_today_the_2023_rules_apply_with_their_statuses_requirements_and_the_macc_note(files, capsys) -> None:
    assert main(["cosell", *files, "--json", "--on", "2026-12-01"]) == 0
    objects = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    saas = objects[0]
    assert saas["rules"] == "cosell-2023" and saas["status"] == "in_market"
    assert [r["id"] for r in saas["requirements"]] == [
        "partner_id", "business_profile", "published_live", "sales_contacts", "one_pager", "pitch_deck",
        "azure_revenue", "transactable", "technical_validation", "architecture_diagram"]
    assert {r["id"]: r["level"] for r in saas["requirements"]}["transactable"] == "azure_ip_co_sell_eligible"
    assert "solutions_partner_designation" in {r["id"] for r in objects[2]["requirements"]}
    assert "gold_competency" not in {r["id"] for r in objects[2]["requirements"]}
    assert main(["cosell", files[0], "--on", "2026-12-01"]) == 0
    out = capsys.readouterr().out
    assert "rules of July 2023" in out and "24 August 2023" in out
    assert "In market" in out and "PartnerID" in out and "MPN" not in out
