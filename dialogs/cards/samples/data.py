"""The sample partner data the card samples run on: four organisations and their co-sell facts,
kept in memory like a database keeps them (:class:`MemoryPartners`)."""

from __future__ import annotations

from dialogs.memory import MemoryPartners as MemoryPartners  # kept importable from here
from dialogs.ports import Document

CONTOSO: Document = {
    "partner": "Contoso Ltd",
    "market": "larger",
    "rules": "bizapps-2022",
    "evaluated_month": "2026-10",
    "metrics": {
        "qualifying_workloads_now": 40,
        "qualifying_workloads_12_months_ago": 33,
        "intermediate_certified_people": 12,
        "advanced_certified_people": 3,
        "consumption_now": 130000,
        "consumption_12_months_ago": 110000,
        "deployments_now": 8,
        "deployments_12_months_ago": 4,
    },
}
"""Not designated: 51.61 of 100 (the README's example)."""
FABRIKAM: Document = {
    "partner": "Fabrikam BV",
    "market": "other",
    "rules": "bizapps-2022",
    "evaluated_month": "2026-10",
    "metrics": {
        "qualifying_workloads_now": 30,
        "qualifying_workloads_12_months_ago": 20,
        "intermediate_certified_people": 15,
        "advanced_certified_people": 6,
        "consumption_now": 90000,
        "consumption_12_months_ago": 60000,
        "deployments_now": 11,
        "deployments_12_months_ago": 3,
    },
}
"""Designated, in other markets."""
NORTHWIND: Document = {
    "partner": "Northwind Traders",
    "market": "larger",
    "rules": "bizapps-2022",
    "evaluated_month": "2026-10",
    "metrics": {
        "intermediate_certified_people": 4,
        "advanced_certified_people": 0,
        "deployments_now": 2,
        "deployments_12_months_ago": 2,
    },
}
"""Half entered: net customer adds and consumption still unknown, so the verdict is open."""
COSELL: Document = {
    "partner": {
        "partner_id": True,
        "business_profile": True,
        "gold_competency": None,
        "azure_consumed_revenue_12m_usd": None,
    },
    "offers": [
        {"name": "Contoso Insights", "type": "saas", "published_live": True, "transactable": True},
        {"name": "Contoso Sync for Teams", "type": "teams_app", "published_live": True},
    ],
}
