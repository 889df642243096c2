"""Sample partner data shared by tests and benchmarks."""

from __future__ import annotations

from typing import Any

# Contoso in larger markets, summary form (RULES.md C.1): 7 + 12 + 3×15/7 + 18.18… + 4×2 = 51.61 points.
# It names the 2022 rules: markets exist only there (from June 2023 Microsoft uses tracks).
CONTOSO: dict[str, Any] = {
    "partner": "Contoso Ltd",
    "market": "larger",
    "evaluated_month": "2026-10",
    "rules": "bizapps-2022",
    "metrics": {
        "net_customer_adds": 7,
        "intermediate_certified_people": 12,
        "advanced_certified_people": 3,
        "consumption_now": 130000,
        "consumption_12_months_ago": 110000,
        "deployments_now": 8,
        "deployments_12_months_ago": 4,
    },
}
