"""The co-sell edition of 2023 as YAML cases (tests/cosell/cases_2023/*.yaml): statuses, the new
requirements, aliases and the MACC note, and what the walkthrough asks, under ``cosell-2023``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from scoring.cosell import Offer, PartnerFacts, evaluate_offer, next_question, parse_cosell

CASES = Path(__file__).parent / "cases_2023"
RULES = "cosell-2023"
ALL_MET_PARTNER = {"partner_id": True, "business_profile": True, "solutions_partner_designation": True,
                   "azure_consumed_revenue_12m_usd": 150000}
ALL_MET_OFFER = {"published_live": True, "transactable": True, "billed_revenue_12m_usd": 0,
                 "sales_contacts": True, "one_pager": True, "pitch_deck": True, "isv_program": True,
                 "technical_validation": True, "architecture_diagram": True}


def _cases() -> list[Any]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            out.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return out


def _facts(case: dict[str, Any]) -> tuple[PartnerFacts, Offer]:
    """Through the C.4 parser, so amounts are read exactly as from a file."""
    base = case.get("base") == "all_met"
    partner = {**(ALL_MET_PARTNER if base else {}), **case.get("partner", {})}
    offer = {"name": "Offer", **(ALL_MET_OFFER if base else {}), **case["offer"]}
    parsed = parse_cosell({"partner": partner, "offers": [offer]}, "case", edition=RULES)
    return parsed.partner, parsed.offers[0]


@pytest.mark.parametrize("case", _cases())
def test_case(case: dict[str, Any]) -> None:
    partner, offer = _facts(case)
    expect = case["expect"]
    if "question" in expect:
        question = next_question(partner, offer, edition=RULES)
        assert (question.fact if question else None) == expect["question"]
        return
    result = evaluate_offer(partner, offer, edition=RULES)
    assert result.edition == RULES
    met = {r.id: r.met for r in result.requirements}
    checks = {
        "status": result.status,
        "applicable": [r.id for r in result.requirements],
        "met": {k: met[k] for k in expect.get("met", {})},
        "pending": {r.id: r.unlocks for r in result.pending},
        "to_do": [r.id for r in result.to_do],
        "next_status": result.next_status,
        "could_reach": result.could_reach,
        "notes": list(result.notes),
    }
    for key, want in expect.items():
        assert checks[key] == want, f"{key}: {checks[key]!r} != {want!r}"
