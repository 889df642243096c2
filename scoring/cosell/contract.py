"""The C.4 input contract: which co-sell facts exist, whose they are, and what kind of answer each takes.

Not a rule: which facts a requirement reads is in the edition. Both the facts parser and the
edition loader read this module, so neither imports the other for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Scope = Literal["partner", "offer"]
AnswerKind = Literal["yes_no_unknown", "amount_usd"]


@dataclass(frozen=True)
class FactSpec:
    """One fact of the C.4 input: its name, whether it belongs to the partner or an offer, its kind."""

    name: str
    scope: Scope
    kind: AnswerKind


FACTS: tuple[FactSpec, ...] = (
    FactSpec("partner_id", "partner", "yes_no_unknown"),
    FactSpec("business_profile", "partner", "yes_no_unknown"),
    FactSpec("gold_competency", "partner", "yes_no_unknown"),
    FactSpec("solutions_partner_designation", "partner", "yes_no_unknown"),
    FactSpec("azure_consumed_revenue_12m_usd", "partner", "amount_usd"),
    FactSpec("published_live", "offer", "yes_no_unknown"),
    FactSpec("transactable", "offer", "yes_no_unknown"),
    FactSpec("billed_revenue_12m_usd", "offer", "amount_usd"),
    FactSpec("sales_contacts", "offer", "yes_no_unknown"),
    FactSpec("one_pager", "offer", "yes_no_unknown"),
    FactSpec("pitch_deck", "offer", "yes_no_unknown"),
    FactSpec("isv_connect", "offer", "yes_no_unknown"),
    FactSpec("isv_program", "offer", "yes_no_unknown"),
    FactSpec("technical_validation", "offer", "yes_no_unknown"),
    FactSpec("architecture_diagram", "offer", "yes_no_unknown"),
)
FACT_SPECS: dict[str, FactSpec] = {f.name: f for f in FACTS}
PARTNER_FACTS = tuple(f.name for f in FACTS if f.scope == "partner")
OFFER_FACTS = tuple(f.name for f in FACTS if f.scope == "offer")
