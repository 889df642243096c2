"""Spec-like YAML cases (tests/cosell/cases/*.yaml) for the co-sell ladder, applicability, OR-rules
and the walkthrough. Each case is a sentence, the facts, and what a partner would be told.

Cases are read with the project's strict YAML loader, and a key that no check below reads fails the
case, so a typo in ``expect`` never turns a case into one that tests nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kernel.files import load_yaml_file
from scoring.cosell import Offer, PartnerFacts, evaluate_offer, next_question

CASES = Path(__file__).parent / "cases"

ALL_MET_PARTNER = {"partner_id": True, "business_profile": True, "gold_competency": True,
                   "azure_consumed_revenue_12m_usd": 150000}
ALL_MET_OFFER = {"published_live": True, "transactable": True, "billed_revenue_12m_usd": 150000,
                 "sales_contacts": True, "one_pager": True, "pitch_deck": True, "isv_connect": True,
                 "technical_validation": True, "architecture_diagram": True}


CASE_KEYS = {"name", "base", "partner", "offer", "asked", "later", "expect"}
RESULT_KEYS = {"status", "applicable", "met", "pending", "to_do", "next_status", "next_status_needs",
               "could_reach", "reason"}
QUESTION_KEYS = {"question", "scope", "kind", "threshold", "deferred_until", "waiting_for", "deferred",
                 "outcomes"}


def load(name: str, expect_keys: set[str] = RESULT_KEYS) -> list[Any]:
    """The cases of ``name``; a key no check reads (a typo) fails loading, naming the case."""
    cases = load_yaml_file(CASES / name)
    for case in cases:
        unknown = (set(case) - CASE_KEYS) | (set(case["expect"]) - expect_keys)
        assert not unknown, f"{name}: case {case['name']!r} has keys no check reads: {sorted(unknown)}"
        assert case.get("base") in (None, "all_met"), f"{name}: case {case['name']!r}: unknown base"
    return [pytest.param(case, id=case["name"]) for case in cases]


def facts(case: dict[str, Any]) -> tuple[PartnerFacts, Offer]:
    base = case.get("base") == "all_met"
    partner = {**(ALL_MET_PARTNER if base else {}), **case.get("partner", {})}
    raw = {**(ALL_MET_OFFER if base else {}), **case["offer"]}
    offer_type = raw.pop("type")
    return PartnerFacts(partner), Offer(case["name"][:30], offer_type, raw)


def check_result(case: dict[str, Any]) -> None:
    result = evaluate_offer(*facts(case), edition="cosell-2022")
    expect = case["expect"]
    met = {r.id: r.met for r in result.requirements}
    if "status" in expect:
        assert result.status == expect["status"]
    if "applicable" in expect:
        assert [r.id for r in result.requirements] == expect["applicable"]
    if "met" in expect:
        assert {k: met[k] for k in expect["met"]} == expect["met"]
    if "pending" in expect:
        assert {r.id: r.unlocks for r in result.pending} == expect["pending"]
    if "to_do" in expect:
        assert [r.id for r in result.to_do] == expect["to_do"]
    if "next_status" in expect:
        assert result.next_status == expect["next_status"]
    if "next_status_needs" in expect:
        assert list(result.next_status_needs) == expect["next_status_needs"]
    if "could_reach" in expect:
        assert result.could_reach == expect["could_reach"]
    if "reason" in expect:
        assert (result.not_eligible_reason is not None) == expect["reason"]
        if expect["reason"]:
            assert result.to_json()["reason"], "a not-eligible offer must say why"


@pytest.mark.parametrize("case", load("statuses.yaml"))
def test_status_ladder(case: dict[str, Any]) -> None:
    check_result(case)


@pytest.mark.parametrize("case", load("applicability.yaml"))
def test_requirements_apply_by_offer_type(case: dict[str, Any]) -> None:
    check_result(case)


@pytest.mark.parametrize("case", load("or_rules.yaml"))
def test_or_rules(case: dict[str, Any]) -> None:
    check_result(case)


@pytest.mark.parametrize("case", load("walkthrough.yaml", QUESTION_KEYS))
def test_walkthrough_next_question(case: dict[str, Any]) -> None:
    partner, offer = facts(case)
    asked = [(None if o is None else offer.name, f) for o, f in case.get("asked", [])]
    question = next_question(partner, offer, asked=asked, edition="cosell-2022",
                             later=case.get("later", True))
    expect = case["expect"]
    if expect["question"] is None:
        assert question is None, f"asked {question.fact if question else ''} although nothing can matter"
        return
    assert question is not None
    assert question.fact == expect["question"]
    for key in ("scope", "kind"):
        if key in expect:
            assert getattr(question, key) == expect[key]
    if "threshold" in expect:
        assert question.threshold_usd == expect["threshold"]
    if "deferred_until" in expect:
        assert question.deferred_until == expect["deferred_until"]
    for key in ("waiting_for", "deferred"):
        if key in expect:
            assert list(getattr(question, key)) == expect[key]
    outcomes = {o.answer: o.status for o in question.outcomes}
    for answer, status in expect.get("outcomes", {}).items():
        assert outcomes[answer] == status, answer
