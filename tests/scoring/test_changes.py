"""Stated changes → scoring's inputs (scoring.api.apply_changes), from the YAML cases in changes/."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from kernel.errors import InputError
from kernel.texts import catalog
from scoring import api

CASES = yaml.safe_load((Path(__file__).parent / "changes" / "cases.yaml").read_text(encoding="utf-8"))


def _profile(case: dict[str, Any]) -> api.Profile:
    data = {"market": case.get("market", "larger"), "rules": "bizapps-2022", "evaluated_month": "2026-10",
            "metrics": case["metrics"]}
    return api.parse_profile(data, "case")


def _changes(case: dict[str, Any]) -> list[api.Change]:
    out = []
    for metric, amount, mode, unit, *rest in case["changes"]:
        past = bool(rest[0]) if rest else False
        stated = rest[1] if len(rest) > 1 else None
        out.append(api.Change(metric, Decimal(str(amount)), mode, unit, past, stated))
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    profile = _profile(case)
    result = api.evaluate(profile)
    if "error" in case:
        with pytest.raises(InputError) as caught:
            api.apply_changes(result, _changes(case))
        assert caught.value.code == case["error"]
        for lang in ("en", "nl"):  # the refusal reads as a sentence, with the value named in words
            text = caught.value.render(lang, catalog())
            assert "scoring.summary" not in text and "{" not in text
        return
    applied = api.apply_changes(result, _changes(case))
    if "values" in case:
        assert dict(applied.values) == {k: Fraction(v) for k, v in case["values"].items()}
    if "units" in case:
        assert dict(applied.units) == {k: Fraction(v) for k, v in case["units"].items()}
    if "after_points" in case:
        after = api.what_if(profile, applied)
        for metric, points in case["after_points"].items():
            assert after.after.metric(metric).points == Fraction(points), metric
        # an update stores exactly these values: scoring the stored profile gives the same total
        stored = dict(profile.summary)
        document: dict[str, Any] = {"market": profile.market, "rules": "bizapps-2022",
                                    "evaluated_month": "2026-10",
                                    "metrics": {k: str(v) for k, v in stored.items()}}
        for key, value in applied.values.items():
            document = api.set_summary(document, key, Decimal(value.numerator) / value.denominator)
        assert api.evaluate(api.parse_profile(document, "stored")).total == after.after.total


def test_units_of_applied_changes_equal_the_old_what_if_form() -> None:
    profile = _profile({"metrics": {"advanced_certified_people": 3, "deployments_now": 4,
                                    "consumption_now": 120000, "consumption_12_months_ago": 100000}})
    result = api.evaluate(profile)
    applied = api.apply_changes(result, [api.Change("advanced_certifications", Decimal(2)),
                                         api.Change("usage_growth", Decimal(10), "add", "percent")])
    by_units = api.what_if(profile, dict(applied.units))
    by_applied = api.what_if(profile, applied)
    assert by_units.after.total == by_applied.after.total
    assert by_applied.changes == {"advanced_certifications": 2, "usage_growth": 12000}


def test_a_change_needing_a_missing_input_of_a_what_if_is_refused() -> None:
    profile = _profile({"metrics": {"consumption_now": 120000}})
    result = api.evaluate(profile)
    applied = api.apply_changes(result, [api.Change("usage_growth", Decimal(1000))])
    with pytest.raises(InputError) as caught:
        api.what_if(profile, applied)
    assert caught.value.code == "scoring.what_if_missing"
    # stating the missing value makes it complete
    filled = api.apply_changes(result, [api.Change("usage_growth", Decimal(100000), "set", past=True)])
    assert api.what_if(profile, filled).after.metric("usage_growth").points == 20
