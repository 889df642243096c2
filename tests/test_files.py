"""kernel.files' strict YAML: a key written twice fails with its line; a merge key may be overridden."""

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
