"""What every rule edition file has in common (PCS in ``config/pcs``, co-sell in ``config/cosell``).

Both families share one shape: ``id``, ``title``, ``effective_from``, ``documented`` (the date of
Microsoft's source the values were read from), ``sources`` (key → citation), ``readings`` (values
that are the product's reading rather than Microsoft's text: key → note for maintainers, with a
catalog text ``scoring.reading.<key>`` for people) and, in every group, the ``source`` it comes
from. Files are validated by declared pydantic models (``extra="forbid"``: an unknown key is an
error); a validation error becomes an :class:`InputError` naming the file and the dotted key.

Amounts are exact: :data:`Amount` reads ``1500``, ``"1500.01"`` or ``0.2`` (YAML's float, read
through its shortest text) as a :class:`fractions.Fraction`, never a binary float.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, field_validator

from kernel.errors import InputError
from kernel.files import load_yaml_file
from scoring.numbers import to_fraction


def _exact(value: object) -> Fraction:
    if isinstance(value, bool):
        raise ValueError("must be a number")
    try:
        number = to_fraction(value)
    except InputError:
        raise ValueError("must be a number") from None
    if number < 0:
        raise ValueError("must not be negative")
    return number


def _day(value: object) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"'{value}' is not a date (YYYY-MM-DD)")


Amount = Annotated[Fraction, BeforeValidator(_exact)]
"""A non-negative exact number (Fraction) from an int, a decimal text or YAML's float."""
Day = Annotated[date, BeforeValidator(_day)]


class Strict(BaseModel):
    """Base of every edition model: unknown keys are errors, values never change after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


Comparison = Literal["greater", "at_least"]


class Threshold(Strict):
    """An amount and how a value is compared with it: ``greater`` (>) or ``at_least`` (≥)."""

    amount: Amount
    comparison: Comparison

    def passes(self, value: Fraction | int) -> bool:
        return value > self.amount if self.comparison == "greater" else value >= self.amount


class Header(Strict):
    """The part every edition file starts with (see the module docstring)."""

    id: str
    title: str
    effective_from: Day
    documented: Day
    sources: dict[str, str]
    readings: dict[str, str] = {}

    @field_validator("id", "title")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must be a non-empty text")
        return value


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def validate_file(model: type[Any], data: Any, path: Path | str, one_code: str | None = None) -> Any:
    """``model`` validated from ``data``; the first problem becomes an InputError naming file and key.

    Codes: ``scoring.edition_unknown_key``, ``.edition_missing_key``, ``.edition_bad_date``, else
    ``.edition_invalid`` (with the key and the problem); ``one_code`` instead uses that one code
    with the params ``key`` and ``problem`` (co-sell).
    """
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        key = _location(loc) or "edition"
        kind = first["type"]
        message = str(first["msg"]).removeprefix("Value error, ")
        if one_code is not None:
            problem = {"extra_forbidden": f"unknown key '{key}'", "missing": f"'{key}' is missing"}.get(
                kind, f"{key}: {message}")
            raise InputError(problem, code=one_code, params={"key": key, "problem": problem},
                             source=str(path), field=key) from None
        prefix = "scoring"
        if kind == "extra_forbidden":
            raise InputError(f"unknown key '{key}'", code=f"{prefix}.edition_unknown_key",
                             params={"key": key}, source=str(path), field=key) from None
        if kind == "missing":
            raise InputError(f"missing key '{key}'", code=f"{prefix}.edition_missing_key",
                             params={"key": key}, source=str(path), field=key) from None
        if "date" in kind or "not a date" in message:
            value = first.get("input")
            raise InputError(f"{key}: '{value}' is not a date (YYYY-MM-DD)",
                             code=f"{prefix}.edition_bad_date", params={"key": key, "value": str(value)},
                             source=str(path), field=key) from None
        raise InputError(f"{key}: {message}", code=f"{prefix}.edition_invalid",
                         params={"key": key, "problem": message}, source=str(path), field=key) from None


def invalid(path: Path | str, key: str, problem: str, code: str = "scoring.edition_invalid") -> InputError:
    """A cross-reference problem the models cannot see (e.g. an unknown family), naming file and key."""
    return InputError(f"{key}: {problem}", code=code, params={"key": key, "problem": problem},
                      source=str(path), field=key)


def read_file(model: type[Any], path: Path, one_code: str | None = None) -> Any:
    return validate_file(model, load_yaml_file(path), path, one_code)


def unique(values: tuple[str, ...] | list[str]) -> bool:
    return len(set(values)) == len(values)


SourceMap = Mapping[str, str]
