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


def records_profile(
    latest: str,
    *,
    span: int = 18,
    customers: Any = lambda i: 10 + i,
    deployments: Any = lambda i: 8 + i // 2,
    intermediate: int = 12,
    advanced: int = 3,
    advanced_expires: str | None = None,
    evaluated: bool = True,
) -> dict[str, Any]:
    """A 2022-rules profile (larger markets) of monthly records for ``span`` months up to ``latest``.

    Month ``i`` (0 = the oldest) has ``customers(i)`` customers with USD 2,000 of Sales each (each
    a qualifying pair) and ``deployments(i)`` customers with 150 Power Apps users (USD 15,000 of
    consumption each, so each is a deployment); ``intermediate`` people hold PL-200 and ``advanced``
    hold PL-600 (until ``advanced_expires`` when given). Without ``evaluated`` the date decides the
    evaluated month."""
    from scoring.months import Month

    last = Month.parse(latest)
    revenue: list[dict[str, Any]] = []
    usage: list[dict[str, Any]] = []
    for i in range(span):
        month = str(last.shift(i - span + 1))
        for c in range(customers(i)):
            revenue.append({"customer": f"Customer {c + 1}", "workload": "sales", "month": month,
                            "subscription": f"S{c + 1}", "active": True, "revenue_usd": 2000,
                            "attribution": "CPOR", "channel": "CSP"})
        for d in range(deployments(i)):
            usage.append({"customer": f"Customer {d + 1}", "workload": "power_apps", "month": month,
                          "units": 150, "attribution": "PAL"})
    certifications: list[dict[str, Any]] = [
        {"person": f"Person {p + 1}", "certification": "PL-200"} for p in range(intermediate)
    ]
    for p in range(advanced):
        row: dict[str, Any] = {"person": f"Architect {p + 1}", "certification": "PL-600"}
        if advanced_expires is not None:
            row["expires"] = advanced_expires
        certifications.append(row)
    profile: dict[str, Any] = {
        "partner": "Contoso Ltd",
        "market": "larger",
        "rules": "bizapps-2022",
        "records": {"revenue": revenue, "usage": usage, "certifications": certifications},
    }
    if evaluated:
        profile["evaluated_month"] = latest
    return profile
