"""The spec as YAML cases: tests/scoring/cases/*.yaml, one sentence per case.

A case has a ``name`` (the rule it shows), a ``profile`` (docs/rules.md C.1), optional ``files``
(CSV files written beside the profile), optional ``today`` and ``edition``, and either ``expect`` or
``error``. In ``expect``, numbers are compared like this: a whole number must equal the exact value
(``points: 15`` means exactly 15, not 14.999…); a decimal (``2.14``) is compared with the value
rounded half-up to 2 decimals, as shown to people; ``"45/7"`` is an exact fraction.

Cases are read with the project's strict YAML loader (a duplicate key fails), and a key this runner
does not check fails the case: a typo never turns a case into one that tests nothing. An ``expect``
key without a check of its own (below) is compared with the result's attribute of that name, and a
key the result does not have fails.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from kernel.errors import InputError
from kernel.files import load_yaml_file
from scoring.api import evaluate, gaps, load_profile, round_half_up

CASES = Path(__file__).parent / "cases"


CASE_KEYS = {"name", "profile", "files", "today", "edition", "expect", "error"}
# Checked below, each in its own way; any other key of ``expect`` must be an attribute of the result.
EXPECT_CHECKS = {"evaluated_month", "total", "shown_total", "metrics", "warnings", "no_warnings", "not_met",
                 "missing_inputs", "rows", "gaps", "plan"}


def _cases() -> list[Any]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        for case in load_yaml_file(path):
            unknown = set(case) - CASE_KEYS
            assert not unknown, f"{path.name}: case {case.get('name')!r} has unknown keys {sorted(unknown)}"
            assert ("expect" in case) != ("error" in case), f"{case['name']!r}: give expect or error"
            out.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return out


def _same(actual: Fraction | None, expected: Any) -> bool:
    if expected is None or actual is None:
        return actual is None and expected is None
    if isinstance(expected, bool):
        raise AssertionError("a boolean is not a number")
    if isinstance(expected, int):
        return actual == expected
    if isinstance(expected, str) and "/" in expected:
        return actual == Fraction(expected)
    return round_half_up(actual) == Decimal(str(expected))


def _write(case: dict[str, Any], tmp_path: Path) -> Path:
    for name, text in (case.get("files") or {}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(case["profile"], sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", _cases())
def test_case(case: dict[str, Any], tmp_path: Path) -> None:
    path = _write(case, tmp_path)
    today = date.fromisoformat(str(case.get("today", "2026-11-23")))
    if "error" in case:
        with pytest.raises(InputError) as caught:
            evaluate(load_profile(path), today=today, edition=case.get("edition"))
        err = caught.value
        for key, want in case["error"].items():
            got = Path(err.source).name if key == "source" and err.source else getattr(err, key)
            assert got == want, f"error {key}: {got!r} != {want!r} ({err})"
        return
    result = evaluate(load_profile(path), today=today, edition=case.get("edition"))
    expect = case["expect"]
    for key in sorted(set(expect) - EXPECT_CHECKS):
        assert hasattr(result, key), f"expect key {key!r}: the result has no such field (a typo?)"
        assert getattr(result, key) == expect[key], f"{key}: {getattr(result, key)!r}"
    if "evaluated_month" in expect:
        assert str(result.evaluated_month) == expect["evaluated_month"]
    if "total" in expect:
        assert _same(result.total, expect["total"]), f"total {result.total} ({float(result.total)})"
    if "shown_total" in expect:
        assert result.shown_total == Decimal(str(expect["shown_total"]))
    for metric_id, want in (expect.get("metrics") or {}).items():
        metric = result.metric(metric_id)
        for key, value in want.items():
            if key in ("value", "points", "full_at"):
                got = getattr(metric, key)
                assert _same(got, value), f"{metric_id}.{key}: {got} != {value}"
            elif key == "inputs":
                assert dict(metric.inputs) == {k: Fraction(str(v)) for k, v in value.items()}
            else:
                assert getattr(metric, key) == (tuple(value) if isinstance(value, list) else value), (
                    f"{metric_id}.{key}: {getattr(metric, key)!r}"
                )
    codes = [(w.code, w.metric) for w in result.warnings]
    for want in expect.get("warnings") or []:
        code, _, metric = want.partition(":")
        assert any(c == code and (not metric or m == metric) for c, m in codes), f"{want} not in {codes}"
    for unwanted in expect.get("no_warnings") or []:
        assert unwanted not in [c for c, _ in codes], f"unexpected warning {unwanted}: {result.warnings}"
    if "not_met" in expect:
        assert [n.code for n in result.not_met] == expect["not_met"]
    if "missing_inputs" in expect:
        assert list(result.missing_inputs) == expect["missing_inputs"]
    for kind, want in (expect.get("rows") or {}).items():
        assert set(want) <= {"used", "ignored"}, f"rows.{kind}: unknown keys {sorted(want)}"
        count = next(r for r in result.rows if r.kind == kind)
        assert count.used == want["used"], f"{kind} used: {count.used}"
        assert dict(count.ignored) == (want.get("ignored") or {}), f"{kind} ignored: {dict(count.ignored)}"
    if "gaps" in expect:
        found = gaps(result)
        for metric_id, want in expect["gaps"].items():
            gap = found.metric(metric_id)
            for key, value in want.items():
                got = getattr(gap, key)
                if key in ("units_to_max", "units_to_designation"):
                    assert _same(got, value), f"{metric_id}.{key}: {got} != {value}"
                else:
                    assert got == (tuple(value) if isinstance(value, list) else value), (
                        f"{metric_id}.{key}: {got}"
                    )
    if "plan" in expect:
        plan = gaps(result).plan
        want = expect["plan"]
        if want is None:
            assert not plan.feasible
        else:
            assert {s.id: s.units for s in plan.steps} == {k: Fraction(v) for k, v in want.items()}, (
                plan.steps
            )
