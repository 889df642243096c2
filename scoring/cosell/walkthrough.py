"""The guided walkthrough: the next fact worth asking, and what each answer would do.

A question is worth asking when its fact is unknown, not yet asked in this walkthrough, and can
still settle a requirement that applies to the offer type and is not settled by other facts (e.g.
the billed revenue only for a transactable offer whose partner's Azure revenue does not settle the
revenue requirement). Partner facts are asked once per partner: they live on the partner and are
shared by all its offers.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from scoring.cosell.edition import Edition, Requirement
from scoring.cosell.edition import edition as find_edition
from scoring.cosell.evaluate import evaluate_offer, fact_value, requirement_met
from scoring.cosell.facts import FACT_SPECS, AnswerKind, CosellInput, Offer, PartnerFacts, Scope, format_usd
from scoring.loading import catalog

Asked = Collection[tuple[str | None, str]]
"""Facts already asked in this walkthrough (answered "don't know"): ``(offer name or None, fact)``;
``None`` for a partner fact (it is then skipped for every offer)."""


@dataclass(frozen=True)
class Outcome:
    """One possible answer and the status the offer would have after it."""

    answer: str
    """``yes``, ``no``, ``unknown`` (yes/no facts) or ``at_least``, ``below``, ``unknown`` (amounts)."""
    value: bool | float | None
    """The value :func:`scoring.cosell.set_fact` would store for this answer."""
    status: str


@dataclass(frozen=True)
class Question:
    fact: str
    scope: Scope
    kind: AnswerKind
    offer: str
    """The offer that needs the fact (for a partner fact: the first offer that does)."""
    offer_type: str
    requirement: str
    """The requirement the answer helps settle."""
    outcomes: tuple[Outcome, ...]
    threshold_usd: float | None = None
    """For ``amount_usd``: the amount that matters (``at_least`` means at least this)."""

    @property
    def key(self) -> tuple[str | None, str]:
        """What to add to ``asked`` when the answer is "don't know"."""
        return (None if self.scope == "partner" else self.offer, self.fact)

    @property
    def offer_name(self) -> str | None:
        """The offer whose fact this is, ``None`` for a partner fact (the ``set_fact`` argument)."""
        return None if self.scope == "partner" else self.offer

    def text(self, lang: str = "en") -> str:
        cat = catalog()
        return cat.text(f"cosell.question.{self.fact}", lang, offer=self.offer,
                        threshold=format_usd(self.threshold_usd, lang),
                        offer_type=cat.text(f"cosell.offer_type.{self.offer_type}", lang))

    def answer_label(self, answer: str, lang: str = "en") -> str:
        """The button text of one of :attr:`outcomes`' answers."""
        return catalog().text(f"cosell.answer.{answer}", lang, threshold=format_usd(self.threshold_usd, lang))


def _candidate_facts(req: Requirement, partner: PartnerFacts, offer: Offer) -> tuple[str, ...]:
    """The facts of ``req`` that could still settle it, in the order worth asking."""
    if req.rule == "revenue":
        assert req.organisation_fact and req.transactable_fact and req.offer_fact
        facts = [req.organisation_fact, req.transactable_fact]
        if fact_value(req.transactable_fact, partner, offer) is True:
            facts.append(req.offer_fact)
        return tuple(facts)
    if req.rule == "fact_or_default":
        assert req.fact and req.transactable_fact
        return (req.transactable_fact, req.fact) if offer.type in req.default_offer_types else (req.fact,)
    assert req.fact
    return (req.fact,)


def _with(
    partner: PartnerFacts, offer: Offer, fact: str, value: bool | float | None
) -> tuple[PartnerFacts, Offer]:
    if FACT_SPECS[fact].scope == "partner":
        return replace(partner, values={**partner.values, fact: value}), offer
    return partner, replace(offer, values={**offer.values, fact: value})


def next_question(partner: PartnerFacts, offer: Offer, *, asked: Asked = (),
                  edition: str | Edition | None = None, scope: Scope | None = None) -> Question | None:
    """The next fact worth asking for ``offer``, or ``None`` when nothing more can matter.

    ``scope`` limits the question to partner or offer facts.
    """
    ed = edition if isinstance(edition, Edition) else find_edition(edition)
    done = set(asked)
    for req in ed.requirements_for(offer.type):
        if requirement_met(req, partner, offer) is not None:
            continue
        for fact in _candidate_facts(req, partner, offer):
            spec = FACT_SPECS[fact]
            key = (None if spec.scope == "partner" else offer.name, fact)
            if fact_value(fact, partner, offer) is not None or key in done or scope not in (None, spec.scope):
                continue
            threshold = req.threshold_usd if spec.kind == "amount_usd" else None
            answers: list[tuple[str, bool | float | None]] = (
                [("yes", True), ("no", False), ("unknown", None)] if spec.kind == "yes_no_unknown"
                else [("at_least", threshold), ("below", 0.0), ("unknown", None)])
            outcomes = tuple(
                Outcome(answer, value, evaluate_offer(*_with(partner, offer, fact, value), edition=ed).status)
                for answer, value in answers)
            return Question(fact, spec.scope, spec.kind, offer.name, offer.type, req.id, outcomes, threshold)
    return None


def next_question_all(cosell: CosellInput, *, asked: Asked = (),
                      edition: str | Edition | None = None) -> Question | None:
    """The next question for a whole C.4 document: partner facts first (once), then offer by offer."""
    ed = edition if isinstance(edition, Edition) else find_edition(edition)
    for scope in ("partner", "offer"):
        for offer in cosell.offers:
            question = next_question(cosell.partner, offer, asked=asked, edition=ed, scope=scope)
            if question is not None:
                return question
    return None
