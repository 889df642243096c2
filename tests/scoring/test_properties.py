"""Properties that hold for every summary profile, under the 2022 and the 2023 edition: points stay
within 0..max, never fall when a count rises, the total is the sum of the parts, and gaps and plans
really reach the designation."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.api import METRIC_IDS, evaluate, gaps, parse_profile, what_if

counts = st.integers(min_value=0, max_value=60)
# Both editions: the 2022 markets and the 2023 tracks (the rules are monotone in every edition).
SEGMENTS = [("bizapps-2022", "market", "larger"), ("bizapps-2022", "market", "other"),
            ("bizapps-2023", "track", "enterprise"), ("bizapps-2023", "track", "smb")]
amounts = st.integers(min_value=0, max_value=400_000)


@st.composite
def summaries(draw: Any) -> dict[str, Any]:
    rules, key, segment = draw(st.sampled_from(SEGMENTS))
    return {
        key: segment,
        "evaluated_month": "2026-10",
        "rules": rules,
        "metrics": {
            "net_customer_adds": draw(st.integers(min_value=-30, max_value=40)),
            "intermediate_certified_people": draw(counts),
            "advanced_certified_people": draw(counts),
            "consumption_now": draw(amounts),
            "consumption_12_months_ago": draw(amounts),
            "deployments_now": draw(counts),
            "deployments_12_months_ago": draw(counts),
        },
    }


def _score(data: dict[str, Any]):
    return evaluate(parse_profile(data, "hypothesis"))


@given(summaries())
def test_points_stay_between_zero_and_the_maximum_and_add_up(data: dict[str, Any]) -> None:
    result = _score(data)
    for metric in result.metrics:
        assert 0 <= metric.points <= metric.max_points
    assert result.total == sum(m.points for m in result.metrics)
    assert result.designation_met == (result.total >= 70 and all(m.points >= 1 for m in result.metrics))


@given(
    summaries(),
    st.sampled_from(
        [
            "net_customer_adds",
            "intermediate_certified_people",
            "advanced_certified_people",
            "consumption_now",
            "deployments_now",
        ]
    ),
    st.integers(min_value=1, max_value=50_000),
)
def test_points_never_fall_when_a_count_rises(data: dict[str, Any], key: str, more: int) -> None:
    before = _score(data)
    data["metrics"][key] += more if key == "consumption_now" else more % 25 + 1
    after = _score(data)
    for old, new in zip(before.metrics, after.metrics, strict=True):
        assert new.points >= old.points
    assert after.total >= before.total


@settings(max_examples=60)
@given(summaries())
def test_units_to_designation_are_enough_and_one_fewer_is_not(data: dict[str, Any]) -> None:
    profile = parse_profile(data, "hypothesis")
    found = gaps(profile)
    for gap in found.metrics:
        if gap.units_to_designation is None or gap.units_to_designation == 0:
            continue
        assert what_if(profile, {gap.id: gap.units_to_designation}).after.designation_met
        fewer = gap.units_to_designation - 1
        assert not what_if(profile, {gap.id: fewer}).after.designation_met


@settings(max_examples=60)
@given(summaries())
def test_units_to_max_reach_full_points(data: dict[str, Any]) -> None:
    profile = parse_profile(data, "hypothesis")
    for gap in gaps(profile).metrics:
        if gap.units_to_max is None:
            continue
        after = what_if(profile, {gap.id: gap.units_to_max}).after.metric(gap.id)
        assert after.points == after.max_points
        if gap.units_to_max:
            short = what_if(profile, {gap.id: gap.units_to_max - 1}).after.metric(gap.id)
            assert short.points < short.max_points


@settings(max_examples=60)
@given(summaries())
def test_a_plan_meets_the_designation_and_is_never_costlier_than_one_metric(data: dict[str, Any]) -> None:
    profile = parse_profile(data, "hypothesis")
    found = gaps(profile)
    plan = found.plan
    if not plan.feasible:
        assert any(m.reason == "baseline_not_met" for m in found.result.metrics)
        return
    after = what_if(profile, {s.id: s.units for s in plan.steps}).after
    assert after.designation_met
    assert after.total == plan.total_after
    for gap in found.metrics:  # a one-metric route is also a plan, so it cannot be cheaper
        if gap.units_to_designation is None or gap.id == "usage_growth":
            continue
        assert plan.cost is not None and plan.cost <= gap.units_to_designation
    assert set(METRIC_IDS) >= {s.id for s in plan.steps}
    assert all(s.units > 0 for s in plan.steps)
    assert all(isinstance(s.units, Fraction) for s in plan.steps)
