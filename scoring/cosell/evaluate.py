"""Tri-state co-sell evaluation of one offer (RULES.md B.3).

Every fact is true, false or unknown. A requirement is met (``True``), not met (``False``) or
pending (``None``). The status is the highest one of the offer type's ladder whose requirements,
and those of every lower status, are all proven met; an eligible offer starts at the ladder's base
status (``not_published``) when nothing more is proven.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kernel.texts import catalog
from scoring.cosell.contract import FACT_SPECS
from scoring.cosell.edition import Edition, Requirement, Status, worded
from scoring.cosell.edition import edition as find_edition
from scoring.cosell.facts import CosellInput, Offer, PartnerFacts, Value, format_usd


def rule_params(threshold_usd: int | Decimal | None, window_months: int | None,
                azure_share_percent: int | None, lang: str) -> dict[str, str]:
    """The numbers of a requirement for its texts, from the edition: ``{threshold}`` (an amount in the
    language's writing), ``{months}`` (the trailing window) and ``{share}`` (a percentage)."""
    params: dict[str, str] = {}
    if threshold_usd is not None:
        params["threshold"] = format_usd(threshold_usd, lang)
    if window_months is not None:
        params["months"] = str(window_months)
    if azure_share_percent is not None:
        params["share"] = str(azure_share_percent)
    return params


def result_of(r: Requirement, met: bool | None, unlocks: str, edition: str) -> RequirementResult:
    """A requirement of ``edition`` with what the facts tell of it, carrying its numbers."""
    return RequirementResult(r.id, r.level, met, unlocks, r.threshold_usd, edition, r.window_months,
                             r.azure_share_percent)


@dataclass(frozen=True)
class RequirementResult:
    """One requirement applying to the offer type, as far as the facts tell."""

    id: str
    level: str
    met: bool | None
    unlocks: str
    """The lowest status of this offer type's ladder that needs this requirement."""
    threshold_usd: int | Decimal | None = None
    """The amount a revenue requirement asks for (filled into its texts), exact."""
    edition: str | None = None
    """The edition id: its own wording of a text wins (:func:`scoring.cosell.edition.worded`)."""
    window_months: int | None = None
    """The months a revenue requirement counts over (filled into its texts as ``{months}``)."""
    azure_share_percent: int | None = None
    """The share of Azure IP a technical validation asks for, in an edition that names it (``{share}``)."""

    @property
    def step_key(self) -> str:
        return f"cosell.step.{self.id}"

    def _params(self, lang: str) -> dict[str, str]:
        return rule_params(self.threshold_usd, self.window_months, self.azure_share_percent, lang)

    def name(self, lang: str = "en") -> str:
        key = worded(f"cosell.requirement.{self.id}", self.edition)
        return catalog().text(key, lang, **self._params(lang))

    def meaning(self, lang: str = "en") -> str:
        """What the requirement asks, in a sentence (its name when the catalog has no more to say)."""
        key = worded(f"cosell.requirement.{self.id}.meaning", self.edition)
        return catalog().text(key, lang, **self._params(lang)) if catalog().has(key) else self.name(lang)

    def next_step(self, lang: str = "en") -> str:
        return catalog().text(worded(self.step_key, self.edition), lang, **self._params(lang))

    def role(self, lang: str = "en") -> str:
        """The Partner Center role that can take the step."""
        return catalog().text(worded(f"{self.step_key}.role", self.edition), lang)

    def link(self, lang: str = "en") -> str:
        """The Microsoft page that explains the step."""
        return catalog().text(worded(f"{self.step_key}.link", self.edition), lang)


@dataclass(frozen=True)
class OfferResult:
    """The co-sell status of one offer, what is missing and what to do next."""

    offer: str
    offer_type: str
    edition: str
    status: str
    requirements: tuple[RequirementResult, ...]
    """Every requirement applying to the offer type, in work order (empty when not eligible)."""
    next_status: str | None
    """The status just above ``status`` on this offer type's ladder (``None`` at the top)."""
    next_status_needs: tuple[str, ...]
    """Requirement ids not yet proven met (false or unknown) that ``next_status`` needs."""
    could_reach: str
    """The status the offer would have if every pending requirement turned out met."""
    not_eligible_reason: str | None = None
    """Catalog key explaining why the offer type can never be co-sold (only for ``not_eligible``)."""
    notes: tuple[str, ...] = ()
    """Catalog keys of notes to say with the result (e.g. ``cosell.note.macc``: reaching Azure IP
    co-sell eligible is also what makes an offer count toward customers' Azure commitments)."""

    @property
    def pending(self) -> tuple[RequirementResult, ...]:
        """Requirements still unknown, each with the status it could unlock."""
        return tuple(r for r in self.requirements if r.met is None)

    @property
    def to_do(self) -> tuple[RequirementResult, ...]:
        """Requirements known to be unmet, in the order a partner works through them."""
        return tuple(r for r in self.requirements if r.met is False)

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        """The C.4 object (``offer``, ``status``, ``requirements``) plus extra fields."""
        cat = catalog()
        out: dict[str, Any] = {
            "offer": self.offer,
            "type": self.offer_type,
            "status": self.status,
            "requirements": [
                {"id": r.id, "level": r.level, "met": r.met, "next_step": r.next_step(lang),
                 "role": r.role(lang), "link": r.link(lang), "unlocks": r.unlocks}
                for r in self.requirements
            ],
            "pending": [{"id": r.id, "unlocks": r.unlocks} for r in self.pending],
            "next_status": self.next_status,
            "next_status_needs": list(self.next_status_needs),
            "could_reach": self.could_reach,
            "rules": self.edition,
        }
        if self.notes:
            out["notes"] = [cat.text(key, lang) for key in self.notes]
        if self.not_eligible_reason:
            out["reason"] = cat.text(self.not_eligible_reason, lang,
                                     offer_type=cat.text(f"cosell.offer_type.{self.offer_type}", lang))
        return out


def fact_value(fact: str, partner: PartnerFacts, offer: Offer, aliases: tuple[str, ...] = ()) -> Value:
    """The value of ``fact``; when it is unknown, the first known value of its ``aliases``."""
    for name in (fact, *aliases):
        value = partner.get(name) if FACT_SPECS[name].scope == "partner" else offer.get(name)
        if value is not None:
            return value
    return None


def requirement_met(req: Requirement, partner: PartnerFacts, offer: Offer) -> bool | None:
    """``True`` when the known facts prove ``req`` met, ``False`` when they prove it unmet, else ``None``."""
    if req.rule == "fact":
        assert req.fact is not None
        value = fact_value(req.fact, partner, offer, req.fact_aliases)
        return None if value is None else bool(value)
    if req.rule == "revenue":
        assert req.organisation_fact and req.offer_fact
        threshold = req.threshold
        assert threshold is not None
        organisation = _amount(fact_value(req.organisation_fact, partner, offer))
        # without a transactable_fact (2023) the offer's billed sales count whether or not it transacts
        transactable = fact_value(req.transactable_fact, partner, offer) if req.transactable_fact else True
        billed = _amount(fact_value(req.offer_fact, partner, offer))
        if organisation is not None and organisation >= threshold:
            return True
        if transactable is True and billed is not None and billed >= threshold:
            return True
        offer_side_fails = transactable is False or (billed is not None and billed < threshold)
        return False if organisation is not None and offer_side_fails else None
    # fact_or_default
    assert req.fact is not None and req.transactable_fact is not None
    value = fact_value(req.fact, partner, offer, req.fact_aliases)
    if value is True:
        return True
    if offer.type in req.default_offer_types:
        transactable = fact_value(req.transactable_fact, partner, offer)
        if transactable is True:
            return True
        if transactable is None:
            return None
    return None if value is None else False


def _amount(value: Value) -> Fraction | None:
    return None if value is None or isinstance(value, bool) else Fraction(value)


def _climb(
    ladder: tuple[Status, ...], needs: Mapping[str, tuple[str, ...]], met: Mapping[str, bool | None]
) -> int:
    """Index of the highest ladder status whose requirements, and those of all below, are met."""
    reached = 0
    for i in range(1, len(ladder)):
        if not all(met[r] is True for s in ladder[1 : i + 1] for r in needs[s.id]):
            break
        reached = i
    return reached


def evaluate_offer(
    partner: PartnerFacts, offer: Offer, *, edition: str | Edition | None = None
) -> OfferResult:
    """The co-sell status of ``offer`` under ``edition`` (id or :class:`Edition`; default: in force today)."""
    ed = edition if isinstance(edition, Edition) else find_edition(edition)
    ineligible = ed.ineligible_status(offer.type)
    if ineligible is not None:
        return OfferResult(offer.name, offer.type, ed.id, ineligible.id, (), None, (), ineligible.id,
                           "cosell.not_eligible.reason")
    ladder = ed.ladder(offer.type)
    needs = {s.id: tuple(r.id for r in ed.needed_for(s, offer.type)) for s in ladder}
    reqs = ed.requirements_for(offer.type)
    met = {r.id: requirement_met(r, partner, offer) for r in reqs}
    unlocks = {r.id: next((s.id for s in ladder if r.id in needs[s.id]), ladder[-1].id) for r in reqs}
    results = tuple(result_of(r, met[r.id], unlocks[r.id], ed.id) for r in reqs)
    reached = _climb(ladder, needs, met)
    optimistic = {k: (True if v is None else v) for k, v in met.items()}
    could = _climb(ladder, needs, optimistic)
    next_status = ladder[reached + 1] if reached + 1 < len(ladder) else None
    next_needs: tuple[str, ...] = ()
    if next_status is not None:
        wanted = {r for s in ladder[1 : reached + 2] for r in needs[s.id]}
        next_needs = tuple(r.id for r in reqs if r.id in wanted and met[r.id] is not True)
    notes = tuple(f"cosell.note.{s.missed_note}" for i, s in enumerate(ladder)
                  if s.missed_note and i == reached + 1)
    return OfferResult(offer.name, offer.type, ed.id, ladder[reached].id, results,
                       next_status.id if next_status else None, next_needs, ladder[could].id, notes=notes)


def evaluate_all(cosell: CosellInput, *, edition: str | Edition | None = None) -> list[OfferResult]:
    """One result per offer, in input order."""
    ed = edition if isinstance(edition, Edition) else find_edition(edition)
    return [evaluate_offer(cosell.partner, offer, edition=ed) for offer in cosell.offers]


def requirement(edition: Edition, requirement_id: str) -> RequirementResult:
    """One requirement as the edition words it, nothing known about it (to explain what it asks):
    its amount from the edition, its texts in the edition's own wording."""
    found = next((r for r in edition.requirements if r.id == requirement_id), None)
    if found is None:
        return RequirementResult(requirement_id, "", None, "", None, edition.id)
    return result_of(found, None, "", edition.id)
