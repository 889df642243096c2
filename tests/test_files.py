"""kernel.files' strict YAML: a key written twice fails with its line, a merge key may be overridden,
nesting is bounded, an impossible date names its line."""

from __future__ import annotations

import pytest

from kernel.errors import InputError
from kernel.files import parse_yaml


def test_a_key_written_twice_is_refused_with_its_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml("a: 1\nb: 2\na: 3\n", "x.yaml")
    assert (caught.value.code, caught.value.row, caught.value.field) == ("duplicate_key", 3, "a")


def test_a_key_brought_in_by_a_merge_may_be_overridden() -> None:
    text = "base: &base {market: larger, metrics: {a: 1}}\ncase:\n  <<: *base\n  metrics: {a: 2}\n"
    assert parse_yaml(text, "x.yaml")["case"] == {"market": "larger", "metrics": {"a": 2}}


@pytest.mark.parametrize("depth", [101, 999, 1_001, 50_000])
def test_nesting_deeper_than_100_levels_is_refused_naming_the_file(depth: int) -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml("a: " + "[" * depth + "]" * depth + "\n", "deep.yaml")
    assert (caught.value.code, caught.value.source) == ("too_deep", "deep.yaml")


def test_nesting_of_100_levels_is_read() -> None:
    text = "a: " + "{b: " * 98 + "[1]" + "}" * 98 + "\n"  # the top mapping, 98 mappings, the list
    value = parse_yaml(text, "ok.yaml")["a"]
    for _ in range(98):
        value = value["b"]
    assert value == [1]


def test_an_impossible_date_is_refused_with_its_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml("month: ok\nsince: 2022-13-01\n", "x.yaml")
    assert (caught.value.code, caught.value.row) == ("bad_yaml", 2)
