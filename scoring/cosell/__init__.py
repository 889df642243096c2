"""Co-sell readiness of commercial marketplace offers (RULES.md Part B, contract C.4).

Stable facade for the bot, the dialogs and the CLI; import from here, not from the sub-modules.

Input (C.4), stored per tenant as a plain dict ``{"partner": {...}, "offers": [{...}]}``::

    cosell = parse_cosell(data, source="tenant facts")   # or load_cosell(path)
    for result in evaluate_all(cosell):                  # one OfferResult per offer, input order
        result.status                 # status id of RULES.md B.1, e.g. "on_market"
        result.requirements           # RequirementResult per requirement applying to the type
        #   .id .level .met (True/False/None) .unlocks .next_step(lang) .role(lang) .link(lang)
        result.pending                # requirements still unknown (each with .unlocks)
        result.to_do                  # requirements known unmet, in work order
        result.next_status, result.next_status_needs, result.could_reach
        result.not_eligible_reason    # catalog key, only for status "not_eligible"
        result.to_json(lang)          # the C.4 JSON object (plus extra fields)

Walkthrough (the bot asks one fact at a time)::

    q = next_question_all(cosell, asked=asked)           # or next_question(partner, offer, asked=...)
    horizon(partner, offer)                              # the lowest status a known 'no' blocks, and why
    if q is not None:
        q.text(lang); q.fact; q.scope ("partner"/"offer"); q.kind ("yes_no_unknown"/"amount_usd")
        q.outcomes   # (Outcome(answer, value, status), ...): yes/no/unknown or at_least/below/unknown
        data = set_fact(data, q.offer_name, q.fact, value)  # new validated dict; store it
        # answer "don't know": keep the fact unknown and add q.key to ``asked``

Other helpers: ``add_offer(data, name, offer_type)``, ``remove_offer(data, name)``,
``offer_types()`` (ids, groups, eligibility, ``.name(lang)``), ``explain(topic, lang)`` with topic
``statuses``, ``incentives`` or ``offer_vs_solution``, ``status_name(id, lang)``,
``offer_type_name(id, lang)``, ``edition(id=None, on=date)`` (the dated rule edition from
``config/cosell/``: ``cosell-2022`` before 2023-07-11, ``cosell-2023`` from then on; old status ids
are aliases: ``edition().status_id("on_market") == "in_market"``), ``edition_label(edition, lang)``
("rules of July 2023, as Microsoft documented them on 24 August 2023; …"),
``edition_name(edition or id, lang)`` ("the rules of July 2023 (Microsoft, 24 August 2023)", in
answers), ``requirement(edition, id)`` (one requirement as the edition words it, to explain what it
asks). ``result.notes``:
catalog keys of notes such as the MACC note of Azure IP co-sell eligible. Bad input raises
:class:`kernel.errors.InputError` (codes ``cosell_*``).
"""

from __future__ import annotations

from scoring.cosell.checklist import checklist_lines
from scoring.cosell.contract import FACTS, FactSpec
from scoring.cosell.edition import Edition, edition, edition_label, edition_name, load_editions
from scoring.cosell.evaluate import OfferResult, RequirementResult, evaluate_all, evaluate_offer, requirement
from scoring.cosell.explain import (
    TOPICS,
    Explanation,
    ExplanationItem,
    OfferTypeInfo,
    explain,
    offer_type_name,
    offer_types,
    status_name,
)
from scoring.cosell.facts import (
    CosellInput,
    Offer,
    PartnerFacts,
    add_offer,
    load_cosell,
    parse_cosell,
    remove_offer,
    set_fact,
    to_mapping,
)
from scoring.cosell.walkthrough import (
    Asked,
    Horizon,
    Outcome,
    Question,
    horizon,
    next_question,
    next_question_all,
)

__all__ = [
    "FACTS",
    "TOPICS",
    "Asked",
    "CosellInput",
    "Edition",
    "Explanation",
    "ExplanationItem",
    "FactSpec",
    "Horizon",
    "Offer",
    "OfferResult",
    "OfferTypeInfo",
    "Outcome",
    "PartnerFacts",
    "Question",
    "RequirementResult",
    "add_offer",
    "checklist_lines",
    "edition",
    "edition_label",
    "edition_name",
    "evaluate_all",
    "evaluate_offer",
    "explain",
    "horizon",
    "load_cosell",
    "load_editions",
    "next_question",
    "next_question_all",
    "offer_type_name",
    "offer_types",
    "parse_cosell",
    "remove_offer",
    "requirement",
    "set_fact",
    "status_name",
    "to_mapping",
]
