"""The guided walkthrough: the next fact worth asking, and what each answer would do.

A question is worth asking when its fact is unknown, not yet asked in this walkthrough, and can
still settle a requirement that applies to the offer type and is not settled by other facts (e.g.
the billed revenue only for a transactable offer whose partner's Azure revenue does not settle the
revenue requirement). Partner facts are asked once per partner: they live on the partner and are
shared by all its offers.

Questions come in two tiers, read from the offer type's ladder (no rule names a fact). The
*horizon* is the lowest status above the one reached that a requirement known to be unmet already
blocks (e.g. "pitch deck: no" blocks co-sell ready). Requirements needed for a status up to the
horizon are asked first: their answers can change the status reached, or the to-do list of the
status the partner must work towards. Requirements needed only above the horizon cannot change
either until the blocking items are done; they are asked last, with ``deferred_until`` set to the
horizon and ``waiting_for`` naming the blocking requirements, so the bot can say "these matter only
once X is reached" (or leave them out: ``later=False``). Without a blocked status every question is
of the first tier.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from kernel.texts import catalog
from scoring.cosell.contract import FACT_SPECS, AnswerKind, Scope
from scoring.cosell.edition import Edition, Requirement, worded
from scoring.cosell.edition import edition as find_edition
from scoring.cosell.evaluate import evaluate_offer, fact_value, requirement_met, rule_params
from scoring.cosell.facts import CosellInput, Offer, PartnerFacts, Value, format_usd

Asked = Collection[tuple[str | None, str]]
"""Facts already asked in this walkthrough (answered "don't know"): ``(offer name or None, fact)``;
``None`` for a partner fact (it is then skipped for every offer)."""


@dataclass(frozen=True)
class Outcome:
    """One possible answer and the status the offer would have after it."""

    answer: str
    """``yes``, ``no``, ``unknown`` (yes/no facts) or ``at_least``, ``below``, ``unknown`` (amounts)."""
    value: bool | int | Decimal | None
    """The value :func:`scoring.cosell.set_fact` would store for this answer (amounts exact)."""
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
    threshold_usd: int | Decimal | None = None
    """For ``amount_usd``: the amount that matters (``at_least`` means at least this), exact."""
    deferred_until: str | None = None
    """Set when the answer matters only once this status is reached (the horizon): none of the
    answers can change the status reached now or the horizon's to-do list."""
    waiting_for: tuple[str, ...] = ()
    """With ``deferred_until``: the requirement ids known unmet that block that status, in work order."""
    deferred: tuple[str, ...] = ()
    """With ``deferred_until``: every requirement still unknown that matters only after that status."""
    edition: str | None = None
    """The edition id: its own wording of the question wins."""
    window_months: int | None = None
    """The months the requirement's revenue counts over (``{months}`` in the question)."""
    azure_share_percent: int | None = None
    """The share of Azure IP the technical validation asks for, where the edition names one."""

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
        params = {"threshold": "", **rule_params(self.threshold_usd, self.window_months,
                                                 self.azure_share_percent, lang)}
        return cat.text(worded(f"cosell.question.{self.fact}", self.edition), lang, offer=self.offer,
                        offer_type=cat.text(f"cosell.offer_type.{self.offer_type}", lang), **params)

    def answer_label(self, answer: str, lang: str = "en") -> str:
        """The button text of one of :attr:`outcomes`' answers."""
        return catalog().text(f"cosell.answer.{answer}", lang, threshold=format_usd(self.threshold_usd, lang))


def _candidate_facts(req: Requirement, partner: PartnerFacts, offer: Offer,
                     done: Collection[tuple[str | None, str]] = ()) -> tuple[str, ...]:
    """The facts of ``req`` that could still settle it, in the order worth asking."""
    if req.rule == "revenue" and req.transactable_fact is None:
        assert req.organisation_fact and req.offer_fact
        return (req.organisation_fact, req.offer_fact)
    if req.rule == "revenue":
        assert req.organisation_fact and req.transactable_fact and req.offer_fact
        facts = [req.organisation_fact]
        transactable = fact_value(req.transactable_fact, partner, offer)
        billed = fact_value(req.offer_fact, partner, offer)
        # whether the offer is transactable matters when "no" settles the requirement (the
        # organisation's revenue is known), when "yes" does (the billed revenue is known and reaches
        # the threshold), or when "yes" opens the billed-revenue question (not answered "don't know")
        if (fact_value(req.organisation_fact, partner, offer) is not None
                or (billed is not None and not isinstance(billed, bool) and req.threshold is not None
                    and Fraction(billed) >= req.threshold)
                or (billed is None and (offer.name, req.offer_fact) not in done)):
            facts.append(req.transactable_fact)
        if transactable is True:
            facts.append(req.offer_fact)
        return tuple(facts)
    if req.rule == "fact_or_default":
        assert req.fact and req.transactable_fact
        return (req.transactable_fact, req.fact) if offer.type in req.default_offer_types else (req.fact,)
    assert req.fact
    return (req.fact,)


@dataclass(frozen=True)
class Horizon:
    """How far the known facts let the offer climb now (see the module docstring)."""

    status: str | None
    """The lowest status above the one reached that a known unmet requirement blocks (``None``: none)."""
    blocking: tuple[str, ...]
    """Requirement ids known unmet that ``status`` needs, in work order."""
    requirements: tuple[str, ...]
    """Requirement ids needed for a status up to ``status`` (all of them when nothing is blocked)."""


def horizon(partner: PartnerFacts, offer: Offer, *, edition: str | Edition | None = None) -> Horizon:
    """The first blocked status of ``offer``'s ladder and the requirements that matter before it."""
    ed = edition if isinstance(edition, Edition) else find_edition(edition)
    reqs = ed.requirements_for(offer.type)
    met = {r.id: requirement_met(r, partner, offer) for r in reqs}
    needed: list[str] = []
    for status in ed.ladder(offer.type):
        needed += [r.id for r in ed.needed_for(status, offer.type) if r.id not in needed]
        blocking = tuple(r.id for r in reqs if r.id in needed and met[r.id] is False)
        if blocking:
            return Horizon(status.id, blocking, tuple(r.id for r in reqs if r.id in needed))
    return Horizon(None, (), tuple(r.id for r in reqs))


def _with(
    partner: PartnerFacts, offer: Offer, fact: str, value: bool | int | Decimal | None
) -> tuple[PartnerFacts, Offer]:
    exact = isinstance(value, int | Decimal) and not isinstance(value, bool)
    stored: Value = Fraction(value) if exact and value is not None else value
    if FACT_SPECS[fact].scope == "partner":
        return replace(partner, values={**partner.values, fact: stored}), offer
    return partner, replace(offer, values={**offer.values, fact: stored})


def _question_for(req: Requirement, partner: PartnerFacts, offer: Offer, ed: Edition,
                  done: set[tuple[str | None, str]], scope: Scope | None) -> Question | None:
    """The first fact of ``req`` still worth asking, with what each answer would do."""
    if requirement_met(req, partner, offer) is not None:
        return None
    for fact in _candidate_facts(req, partner, offer, done):
        spec = FACT_SPECS[fact]
        key = (None if spec.scope == "partner" else offer.name, fact)
        if fact_value(fact, partner, offer) is not None or key in done or scope not in (None, spec.scope):
            continue
        threshold = req.threshold_usd if spec.kind == "amount_usd" else None
        answers: list[tuple[str, bool | int | Decimal | None]] = (
            [("yes", True), ("no", False), ("unknown", None)] if spec.kind == "yes_no_unknown"
            else [("at_least", threshold), ("below", 0), ("unknown", None)])
        outcomes = tuple(
            Outcome(answer, value, evaluate_offer(*_with(partner, offer, fact, value), edition=ed).status)
            for answer, value in answers)
        return Question(fact, spec.scope, spec.kind, offer.name, offer.type, req.id, outcomes, threshold,
                        edition=ed.id, window_months=req.window_months,
                        azure_share_percent=req.azure_share_percent)
    return None


def next_question(partner: PartnerFacts, offer: Offer, *, asked: Asked = (),
                  edition: str | Edition | None = None, scope: Scope | None = None,
                  later: bool = True) -> Question | None:
    """The next fact worth asking for ``offer``, or ``None`` when nothing more can matter.

    Facts that matter now come first (in work order), then those that matter only once the
    horizon is reached (``deferred_until`` set); ``later=False`` leaves the latter out. ``scope``
    limits the question to partner or offer facts.
    """
    ed = edition if isinstance(edition, Edition) else find_edition(edition)
    done = set(asked)
    ahead = horizon(partner, offer, edition=ed)
    reqs = ed.requirements_for(offer.type)
    now = [r for r in reqs if r.id in ahead.requirements]
    rest = [r for r in reqs if r.id not in ahead.requirements]
    for tier, deferred in ((now, False), (rest if later else [], True)):
        for req in tier:
            question = _question_for(req, partner, offer, ed, done, scope)
            if question is None:
                continue
            if not deferred:
                return question
            open_later = tuple(r.id for r in rest if requirement_met(r, partner, offer) is None)
            return replace(question, deferred_until=ahead.status, waiting_for=ahead.blocking,
                           deferred=open_later)
    return None


def next_question_all(cosell: CosellInput, *, asked: Asked = (),
                      edition: str | Edition | None = None, later: bool = True) -> Question | None:
    """The next question for a whole C.4 document: what matters now before what matters only later;
    within each, partner facts first (once), then offer by offer."""
    ed = edition if isinstance(edition, Edition) else find_edition(edition)
    deferred: Question | None = None
    for scope in ("partner", "offer"):
        for offer in cosell.offers:
            question = next_question(cosell.partner, offer, asked=asked, edition=ed, scope=scope, later=later)
            if question is not None and question.deferred_until is None:
                return question
            deferred = deferred or question
    return deferred
