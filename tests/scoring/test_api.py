"""The facade the bot codes against: time, summary editing, what-if, gaps, explanations in en/nl."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from kernel.errors import InputError
from kernel.texts import catalog
from scoring.api import (
    SUMMARY_KEYS,
    Month,
    certification_counts_by,
    evaluate,
    format_number,
    gaps,
    input_name,
    latest_evaluable_month,
    parse_profile,
    round_half_up,
    set_summary,
    what_if,
    when_counts,
)
from scoring.numbers import format_below

BASE: dict[str, Any] = {
    "partner": "Contoso Ltd",
    "market": "larger",
    "rules": "bizapps-2022",
    "evaluated_month": "2026-10",
    "metrics": {
        "net_customer_adds": 12,
        "intermediate_certified_people": 18,
        "advanced_certified_people": 5,
        "consumption_now": 125000,
        "consumption_12_months_ago": 100000,
        "deployments_now": 8,
        "deployments_12_months_ago": 2,
    },
}


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (date(2022, 12, 14), Month(2022, 10)),
        (date(2022, 12, 15), Month(2022, 11)),
        (date(2023, 1, 3), Month(2022, 11)),
        (date(2026, 11, 19), Month(2026, 9)),  # 2023 edition: the 20th
        (date(2026, 11, 20), Month(2026, 10)),
    ],
)
def test_latest_evaluable_month_turns_on_the_availability_day(today: date, month: Month) -> None:
    assert latest_evaluable_month(today) == month


def test_something_added_on_10_march_counts_on_15_april_and_a_certification_three_days_later() -> None:
    assert when_counts("workload_added", date(2023, 3, 10)) == date(2023, 4, 15)
    assert when_counts("usage", date(2022, 12, 31)) == date(2023, 1, 15)
    assert when_counts("certification_earned", date(2023, 3, 11)) == date(2023, 3, 14)
    assert certification_counts_by(date(2023, 3, 11), linked=date(2023, 3, 20)) == date(2023, 3, 23)
    with pytest.raises(InputError):
        when_counts("birthday", date(2026, 3, 11))


def test_from_2023_revenue_counts_on_the_20th_and_a_certification_ten_days_later() -> None:
    assert when_counts("workload_added", date(2026, 3, 10)) == date(2026, 4, 20)
    assert when_counts("usage", date(2026, 12, 31)) == date(2027, 1, 20)
    assert when_counts("certification_earned", date(2026, 3, 11)) == date(2026, 3, 21)
    assert certification_counts_by(date(2026, 3, 11), linked=date(2026, 3, 20)) == date(2026, 3, 30)


def test_set_summary_returns_a_new_valid_mapping_and_leaves_the_stored_one_alone() -> None:
    changed = set_summary(BASE, "advanced_certified_people", 7)
    assert changed["metrics"]["advanced_certified_people"] == 7
    assert BASE["metrics"]["advanced_certified_people"] == 5
    assert evaluate(parse_profile(changed, "x")).metric("advanced_certifications").points == 15
    pair = set_summary(BASE, "qualifying_workloads_now", 40)
    assert "net_customer_adds" not in pair["metrics"]
    with pytest.raises(InputError) as caught:
        set_summary(BASE, "advanced_certified_people", -1)
    assert caught.value.code == "scoring.negative"
    assert "consumption_now" not in set_summary(BASE, "consumption_now", None)["metrics"]
    assert set_summary(BASE, "consumption_now", "1234.5")["metrics"]["consumption_now"] == "1234.5"
    assert {k.key for k in SUMMARY_KEYS} >= set(BASE["metrics"])
    for key in SUMMARY_KEYS:  # each input has a name, and it states the edition's window, not a 12
        assert catalog().text(key.text_key, "nl", months=9)
        assert input_name(key.key, "bizapps-2023", "nl") == catalog().text(key.text_key, "nl", months=12)
    assert input_name("consumption_12_months_ago", "bizapps-2023") == "monthly consumption value 12 months " \
        "before the latest month"


def test_what_if_two_more_advanced_people() -> None:
    change = what_if(parse_profile(BASE, "x"), {"advanced_certifications": 2})
    assert change.before.metric("advanced_certifications").points == Fraction(75, 7)
    assert change.after.metric("advanced_certifications").points == 15
    assert change.difference == 15 - Fraction(75, 7)
    assert change.metric_differences["deployments"] == 0
    grown = what_if(parse_profile(BASE, "x"), {"usage_growth": 5000})
    assert grown.after.metric("usage_growth").value == 30
    with pytest.raises(InputError) as caught:
        what_if(parse_profile(BASE, "x"), {"advanced_certifications": -9})
    assert caught.value.code == "scoring.what_if_negative"
    # what a partner admin reads in chat: the metric's name and today's value, no ids or file fields
    assert caught.value.render("nl", catalog()) == (
        "Geavanceerde certificeringen: die verandering komt onder nul uit (nu is het 5)")
    assert caught.value.render("en", catalog()).startswith(
        "Advanced certifications: that change would go below zero")
    with pytest.raises(InputError):
        what_if(parse_profile(BASE, "x"), {"advanced_certifications": 1.5})


def test_gap_to_the_designation_through_one_metric() -> None:
    # 12 + 18 + 75/7 + 25 + 12 = 77.71: already met, so every gap is 0.
    found = gaps(parse_profile(BASE, "x"))
    assert all(g.units_to_designation == 0 for g in found.metrics)
    assert found.plan.feasible and found.plan.steps == ()
    low = set_summary(BASE, "deployments_now", 2)  # deployments at 0 points block the designation
    found = gaps(parse_profile(low, "x"))
    assert found.metric("deployments").units_to_designation == 3  # 65.71 + 2·3 = 71.71 ≥ 70
    assert found.metric("advanced_certifications").units_to_designation is None
    assert found.metric("advanced_certifications").designation_reason == "other_metric_below_minimum"
    assert found.metric("advanced_certifications").blocking == ("deployments",)
    assert found.metric("usage_growth").units_to_max == 5000


def test_gap_is_impossible_when_growth_has_no_baseline() -> None:
    data = set_summary(BASE, "consumption_12_months_ago", 90000)
    found = gaps(parse_profile(data, "x"))
    growth = found.metric("usage_growth")
    assert (growth.units_to_max, growth.max_reason) == (None, "baseline_not_met")
    assert found.metric("deployments").designation_reason == "other_metric_below_minimum"
    assert not found.plan.feasible and found.plan.reason is not None
    assert found.plan.reason.code == "baseline_not_met"


def test_explanations_and_warnings_render_in_english_and_dutch() -> None:
    data = set_summary(BASE, "consumption_12_months_ago", 90000)
    result = evaluate(parse_profile(data, "x"))
    adv = result.metric("advanced_certifications").explanation
    assert (adv.rule, adv.edition) == ("A.5", "bizapps-2022")
    assert "5 people" in adv.render("en") and "10.71 points" in adv.render("en")
    assert "5 personen" in adv.render("nl") and "10,71 punten" in adv.render("nl")
    warning = next(w for w in result.warnings if w.code == "baseline_not_met")
    assert "90,000" in warning.render("en") and "100,000" in warning.render("en")
    assert "90.000" in warning.render("nl") and "basislijn" in warning.render("nl")
    assert "Gebruiksgroei" in warning.render("nl")


def test_round_half_up_and_number_formatting() -> None:
    assert round_half_up(Fraction(15, 7)) == Decimal("2.14")
    assert round_half_up(Decimal("2.145")) == Decimal("2.15")
    assert round_half_up(Decimal("-2.145")) == Decimal("-2.15")
    assert round_half_up(Fraction(69999999, 1000000)) == Decimal("70.00")
    assert format_number(Decimal("1234.5"), "nl") == "1.234,5"  # one formatter: decimals only where they are
    assert format_number(Fraction(71, 10), "nl") == "7,1"  # as the cards show it (was "7,10" here)
    assert format_number(7, "en", fixed=True) == "7.00"  # points
    assert format_number(Decimal(10) ** 300, "en") == "1E300"  # never hundreds of digits


def test_json_of_a_score_follows_the_contract() -> None:
    data = evaluate(parse_profile(BASE, "x")).to_json()
    assert data["rules"] == "bizapps-2022" and data["evaluated_month"] == "2026-10"
    assert [m["id"] for m in data["metrics"]] == [
        "net_customer_adds",
        "intermediate_certifications",
        "advanced_certifications",
        "usage_growth",
        "deployments",
    ]
    assert data["total"] == 77.71 and data["designation_met"] is True
    assert data["metrics"][2] == {
        "id": "advanced_certifications",
        "value": 5,
        "points": 10.71,
        "max_points": 15,
        "full_at": 7,
    }


def test_a_total_just_below_70_never_reads_as_70_in_the_reason() -> None:
    # 15 + 20 + 15/7 + 12.852143 + 20 = 69.995: shown 70.00 (A.8), yet not met (A.2)
    profile = parse_profile({
        "market": "larger", "evaluated_month": "2026-10", "rules": "bizapps-2022",
        "metrics": {"net_customer_adds": 15, "intermediate_certified_people": 20,
                    "advanced_certified_people": 1, "consumption_now": "112852.143",
                    "consumption_12_months_ago": 100000, "deployments_now": 10,
                    "deployments_12_months_ago": 0},
    }, "x")
    result = evaluate(profile)
    assert str(result.shown_total) == "70.00" and result.designation_met is False
    assert result.not_met[0].render("en") == "the total of 69.995 points is below the 70 points needed"
    assert result.not_met[0].render("nl") == "het totaal van 69,995 punten ligt onder de benodigde 70 punten"


def test_format_below_shows_as_many_decimals_as_needed() -> None:
    assert format_below(Fraction(6543, 100), 70) == "65.43"
    assert format_below(Fraction(69995, 1000), 70, "nl") == "69,995"
    assert format_below(Fraction(6999999999, 10**8), 70) == "69.999999…"
    assert format_below(70, 70) == "70.00"
