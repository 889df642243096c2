"""Properties that must hold for any facts: the status is what the known facts prove, and the
walkthrough only asks questions whose answer can change something."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.cosell import (
    FACTS,
    CosellInput,
    Offer,
    PartnerFacts,
    edition,
    evaluate_offer,
    next_question,
    next_question_all,
    offer_types,
)

RULES = edition("cosell-2022")
TYPES = [t.id for t in offer_types(edition=RULES)]
AMOUNTS = st.sampled_from([None, 0, 99999, 100000, 250000])
TRI = st.sampled_from([None, True, False])


def fact_values(known_only: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    def one(kind: str) -> st.SearchStrategy[Any]:
        if kind == "amount_usd":
            return AMOUNTS.filter(lambda v: v is not None) if known_only else AMOUNTS
        return st.booleans() if known_only else TRI

    return st.fixed_dictionaries({f.name: one(f.kind) for f in FACTS})


def split(values: dict[str, Any], offer_type: str) -> tuple[PartnerFacts, Offer]:
    scope = {f.name: f.scope for f in FACTS}
    partner = {k: v for k, v in values.items() if scope[k] == "partner"}
    offer = {k: v for k, v in values.items() if scope[k] == "offer"}
    return PartnerFacts(partner), Offer("Offer", offer_type, offer)


def rank(offer_type: str, status: str) -> int:
    if RULES.ineligible_status(offer_type):
        return 0
    return [s.id for s in RULES.ladder(offer_type)].index(status)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TYPES), fact_values(), fact_values(known_only=True))
def test_status_is_proven_by_the_known_facts(offer_type: str, values: dict[str, Any],
                                             filler: dict[str, Any]) -> None:
    """Whatever the unknown facts turn out to be, the status never drops below the one reported now,
    and never rises above `could_reach`."""
    now = evaluate_offer(*split(values, offer_type), edition=RULES)
    completed = {k: (filler[k] if v is None else v) for k, v in values.items()}
    later = evaluate_offer(*split(completed, offer_type), edition=RULES)
    assert rank(offer_type, now.status) <= rank(offer_type, later.status) <= rank(offer_type, now.could_reach)
    for before, after in zip(now.requirements, later.requirements, strict=True):
        if before.met is not None:
            assert after.met == before.met, f"{before.id} was settled, more facts must not change it"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TYPES), fact_values(), st.sets(st.sampled_from([f.name for f in FACTS])))
def test_every_question_can_change_a_requirement(offer_type: str, values: dict[str, Any],
                                                 asked_facts: set[str]) -> None:
    """A question is asked only when an answer changes a requirement, directly or by opening the
    one follow-up that can (whether an offer is transactable decides if its billed revenue is asked)."""
    partner, offer = split(values, offer_type)
    scope = {f.name: f.scope for f in FACTS}
    asked = {(None if scope[f] == "partner" else offer.name, f) for f in asked_facts}
    question = next_question(partner, offer, asked=asked, edition=RULES)
    if question is None:
        return
    assert values[question.fact] is None, "a known fact is never asked"
    assert question.key not in asked, "a fact answered 'don't know' is not asked again"
    assert _can_change(offer_type, values, asked, question, follow_ups=1), (
        f"{question.fact} cannot change anything for a {offer_type} offer"
    )


def _can_change(offer_type: str, values: dict[str, Any], asked: set[tuple[str | None, str]],
                question: Any, follow_ups: int) -> bool:
    before = [r.met for r in evaluate_offer(*split(values, offer_type), edition=RULES).requirements]
    walks: dict[Any, tuple[dict[str, Any], set[str]]] = {}
    for outcome in question.outcomes:
        after_values = {**values, question.fact: outcome.value}
        partner, offer = split(after_values, offer_type)
        result = evaluate_offer(partner, offer, edition=RULES)
        assert result.status == outcome.status, "the announced status for an answer is the real one"
        if [r.met for r in result.requirements] != before:
            return True
        walks[outcome.answer] = (after_values, _facts_asked(offer_type, after_values, asked))
    if not follow_ups:
        return False
    for answer, (after_values, facts) in walks.items():
        others = set().union(*(f for a, (_, f) in walks.items() if a != answer))
        for fact in facts - others:  # a question only this answer opens
            partner, offer = split(after_values, offer_type)
            opened = next_question(partner, offer, asked=asked | _all_but(fact, facts, offer.name),
                                   edition=RULES)
            if opened is not None and opened.fact == fact and _can_change(
                offer_type, after_values, asked, opened, follow_ups - 1
            ):
                return True
    return False


def _facts_asked(offer_type: str, values: dict[str, Any], asked: set[tuple[str | None, str]]) -> set[str]:
    """Every fact the walkthrough goes on to ask when each answer is 'don't know'."""
    partner, offer = split(values, offer_type)
    seen = set(asked)
    facts: set[str] = set()
    while (question := next_question(partner, offer, asked=seen, edition=RULES)) is not None:
        facts.add(question.fact)
        seen.add(question.key)
    return facts


def _all_but(fact: str, facts: set[str], offer_name: str) -> set[tuple[str | None, str]]:
    scope = {f.name: f.scope for f in FACTS}
    return {(None if scope[f] == "partner" else offer_name, f) for f in facts if f != fact}


def test_answering_dont_know_to_everything_ends_and_asks_each_fact_once() -> None:
    for offer_type in TYPES:
        partner, offer = PartnerFacts({}), Offer("O", offer_type, {})
        asked: list[tuple[str | None, str]] = []
        for _ in range(len(FACTS) + 1):
            question = next_question(partner, offer, asked=asked, edition=RULES)
            if question is None:
                break
            asked.append(question.key)
        else:
            raise AssertionError(f"the walkthrough of a {offer_type} offer does not end")
        facts = [fact for _, fact in asked]
        assert len(facts) == len(set(facts))
        if offer_type not in ("consulting_service", "managed_service"):
            assert "gold_competency" not in facts
        if RULES.group_of(offer_type) != "azure":
            assert not {"azure_consumed_revenue_12m_usd", "transactable", "billed_revenue_12m_usd",
                        "technical_validation", "architecture_diagram"} & set(facts)
        if RULES.group_of(offer_type) != "business_applications":
            assert "isv_connect" not in facts
        if RULES.ineligible_status(offer_type):
            assert facts == []


def test_partner_facts_are_asked_once_for_all_offers_and_first() -> None:
    cosell = CosellInput(PartnerFacts({}), (Offer("A", "managed_service", {}), Offer("B", "saas", {}),
                                           Offer("C", "consulting_service", {})))
    asked: list[tuple[str | None, str]] = []
    scopes = []
    for _ in range(60):
        question = next_question_all(cosell, asked=asked, edition=RULES)
        if question is None:
            break
        asked.append(question.key)
        scopes.append(question.scope)
    partner_keys = [k for k in asked if k[0] is None]
    assert sorted(f for _, f in partner_keys) == sorted(
        ["partner_id", "business_profile", "gold_competency", "azure_consumed_revenue_12m_usd"])
    assert scopes == sorted(scopes, key=lambda s: s != "partner"), "partner questions come first"
    assert len(asked) == len(set(asked))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TYPES), fact_values(), st.sets(st.sampled_from([f.name for f in FACTS])))
def test_a_question_asked_for_later_changes_neither_the_status_nor_the_next_to_do_list(
        offer_type: str, values: dict[str, Any], asked_facts: set[str]) -> None:
    """Questions that matter only once a blocked status is reached come after every question that
    matters now, and no answer to them moves the status or the next status's to-do list."""
    partner, offer = split(values, offer_type)
    scope = {f.name: f.scope for f in FACTS}
    asked = {(None if scope[f] == "partner" else offer.name, f) for f in asked_facts}
    question = next_question(partner, offer, asked=asked, edition=RULES)
    if question is None:
        return
    now_only = next_question(partner, offer, asked=asked, edition=RULES, later=False)
    if question.deferred_until is None:
        assert now_only == question
        return
    assert now_only is None, "a question that matters now comes before any question for later"
    assert question.waiting_for, "a deferred question says what blocks it"
    before = evaluate_offer(partner, offer, edition=RULES)
    assert all(before.requirements[[r.id for r in before.requirements].index(w)].met is False
               for w in question.waiting_for)
    assert question.requirement in question.deferred
    for outcome in question.outcomes:
        after = evaluate_offer(*split({**values, question.fact: outcome.value}, offer_type), edition=RULES)
        assert (after.status, after.next_status, after.next_status_needs) == (
            before.status, before.next_status, before.next_status_needs), outcome.answer


def test_a_question_that_matters_now_for_another_offer_comes_before_a_partner_question_for_later() -> None:
    """Partner facts come first only among questions of the same tier."""
    cosell = CosellInput(
        PartnerFacts({"partner_id": True, "business_profile": True}),
        (Offer("A", "saas", {"published_live": True, "sales_contacts": True, "one_pager": True,
                             "pitch_deck": False}),
         Offer("B", "power_bi_app", {})))
    first = next_question_all(cosell, edition=RULES)
    assert first is not None
    assert (first.offer, first.fact, first.deferred_until) == ("B", "published_live", None)
    b_facts = ("published_live", "sales_contacts", "one_pager", "pitch_deck")
    later = next_question_all(cosell, asked=[("B", f) for f in b_facts], edition=RULES)
    assert later is not None and later.fact == "azure_consumed_revenue_12m_usd"
    assert later.deferred_until == "co_sell_ready" and later.waiting_for == ("pitch_deck",)
