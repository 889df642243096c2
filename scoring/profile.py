"""Partner profiles (RULES.md C.1): the summary form an admin types and references to raw records.

Parsing is cheap and checks the shape only: keys, market, month and summary values. Records are
read row by row when a profile is evaluated (:mod:`scoring.records`), because they can be large CSV
exports and their rows are checked against the rule edition of the evaluated month.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from kernel.errors import InputError
from kernel.files import load_yaml_file
from scoring.months import Month
from scoring.numbers import to_fraction

RECORD_KINDS = ("revenue", "usage", "certifications")
PROFILE_KEYS = ("partner", "market", "track", "evaluated_month", "rules", "metrics", "records")


@dataclass(frozen=True)
class SummaryKey:
    """One key of the summary form: which metric it feeds, and what it may hold.

    ``kind`` is ``count`` (a whole number ≥ 0), ``signed_count`` (a whole number, may be negative)
    or ``amount`` (a number ≥ 0, monthly consumption value). ``text_key`` is the catalog key of its
    meaning (``scoring.summary.<key>``), for prompts.
    """

    key: str
    metric: str
    kind: str

    @property
    def text_key(self) -> str:
        return f"scoring.summary.{self.key}"


SUMMARY_KEYS: tuple[SummaryKey, ...] = (
    SummaryKey("net_customer_adds", "net_customer_adds", "signed_count"),
    SummaryKey("qualifying_workloads_now", "net_customer_adds", "count"),
    SummaryKey("qualifying_workloads_12_months_ago", "net_customer_adds", "count"),
    SummaryKey("intermediate_certified_people", "intermediate_certifications", "count"),
    SummaryKey("advanced_certified_people", "advanced_certifications", "count"),
    SummaryKey("consumption_now", "usage_growth", "amount"),
    SummaryKey("consumption_12_months_ago", "usage_growth", "amount"),
    SummaryKey("deployments_now", "deployments", "count"),
    SummaryKey("deployments_12_months_ago", "deployments", "count"),
)
_SUMMARY = {k.key: k for k in SUMMARY_KEYS}
# Setting one of these removes the others: they are two ways to give the same metric.
_EXCLUSIVE = {
    "net_customer_adds": ("qualifying_workloads_now", "qualifying_workloads_12_months_ago"),
    "qualifying_workloads_now": ("net_customer_adds",),
    "qualifying_workloads_12_months_ago": ("net_customer_adds",),
}


@dataclass(frozen=True)
class RecordSource:
    """Rows of one kind: inline (``rows``) or a CSV file (``csv_path``). ``where`` names it in errors."""

    kind: str
    where: str
    rows: tuple[Any, ...] | None = None
    csv_path: Path | None = None


@dataclass(frozen=True)
class Profile:
    """A parsed C.1 profile. ``summary`` holds the metric inputs given (exact numbers, by key of
    :data:`SUMMARY_KEYS`); ``records`` the record sources given, by kind."""

    source: str
    partner: str | None
    market: str | None
    evaluated_month: Month | None
    rules: str | None
    summary: Mapping[str, Fraction] = field(default_factory=dict)
    records: Mapping[str, RecordSource] = field(default_factory=dict)
    track: str | None = None
    """The 2023 track (``enterprise``/``smb``); ``market`` is the 2022 classification."""

    def has_records(self, kind: str) -> bool:
        return kind in self.records


def summary_key(key: str) -> SummaryKey:
    try:
        return _SUMMARY[key]
    except KeyError:
        known = ", ".join(_SUMMARY)
        raise InputError(
            f"unknown metric input '{key}' (known: {known})",
            code="scoring.unknown_summary_key",
            params={"key": key, "known": known},
            field=f"metrics.{key}",
        ) from None


def check_summary_value(key: str, value: object, *, source: str | None = None) -> Fraction:
    """The exact value of summary ``key``, or an InputError saying what it must be."""
    spec = summary_key(key)
    where = f"metrics.{key}"
    number = to_fraction(value, source=source, field=where)
    if spec.kind in ("count", "signed_count") and number.denominator != 1:
        raise InputError(
            f"{key} must be a whole number, not {value}",
            code="scoring.not_whole",
            params={"key": key, "value": str(value)},
            source=source,
            field=where,
        )
    if spec.kind != "signed_count" and number < 0:
        raise InputError(
            f"{key} cannot be negative ({value})",
            code="scoring.negative",
            params={"key": key, "value": str(value)},
            source=source,
            field=where,
        )
    return number


def parse_profile(data: Mapping[str, Any], source: str, base_dir: Path | None = None) -> Profile:
    """Check a C.1 mapping and return its :class:`Profile`. ``source`` names it in errors; CSV
    record files are found relative to ``base_dir`` (default: the current folder)."""
    if not isinstance(data, Mapping):
        raise InputError(
            "a partner profile must be a mapping (partner, market, metrics, records)",
            code="scoring.profile_shape",
            source=source,
        )
    for key in data:
        if key not in PROFILE_KEYS:
            raise InputError(
                f"unknown key '{key}' (known: {', '.join(PROFILE_KEYS)})",
                code="scoring.profile_unknown_key",
                params={"key": str(key), "known": ", ".join(PROFILE_KEYS)},
                source=source,
                field=str(key),
            )
    partner = data.get("partner")
    if partner is not None and not isinstance(partner, str | int):
        raise InputError("partner must be a name", code="scoring.bad_partner", source=source, field="partner")
    market = data.get("market")
    if market is not None:
        market = check_market(market, source=source)
    track = data.get("track")
    if track is not None:
        track = check_segment(track, "track", source=source)
    month = data.get("evaluated_month")
    evaluated = Month.parse(month, source=source, field="evaluated_month") if month is not None else None
    rules = data.get("rules")
    if rules is not None and not isinstance(rules, str):
        raise InputError(
            "rules must be an edition id", code="scoring.bad_rules", source=source, field="rules"
        )

    summary: dict[str, Fraction] = {}
    metrics = data.get("metrics") or {}
    if not isinstance(metrics, Mapping):
        raise InputError(
            "metrics must be a mapping of metric inputs",
            code="scoring.metrics_shape",
            source=source,
            field="metrics",
        )
    for key, value in metrics.items():
        try:
            summary_key(str(key))
        except InputError as err:
            raise err.at(source=source) from None
        if value is None:
            continue  # an explicit null is "not given"
        summary[str(key)] = check_summary_value(str(key), value, source=source)
    if "net_customer_adds" in summary and (
        "qualifying_workloads_now" in summary or "qualifying_workloads_12_months_ago" in summary
    ):
        now = summary.get("qualifying_workloads_now")
        ago = summary.get("qualifying_workloads_12_months_ago")
        if now is None or ago is None or now - ago != summary["net_customer_adds"]:
            raise InputError(
                "give net_customer_adds or the two qualifying_workloads values, not both",
                code="scoring.summary_conflict",
                params={"key": "net_customer_adds"},
                source=source,
                field="metrics.net_customer_adds",
            )

    records: dict[str, RecordSource] = {}
    raw_records = data.get("records") or {}
    if not isinstance(raw_records, Mapping):
        raise InputError(
            "records must be a mapping of revenue, usage, certifications",
            code="scoring.records_shape",
            source=source,
            field="records",
        )
    for kind, value in raw_records.items():
        if kind not in RECORD_KINDS:
            raise InputError(
                f"unknown record kind '{kind}' (known: {', '.join(RECORD_KINDS)})",
                code="scoring.unknown_record_kind",
                params={"kind": str(kind), "known": ", ".join(RECORD_KINDS)},
                source=source,
                field=f"records.{kind}",
            )
        if value is None:
            continue
        if isinstance(value, str):
            path = _record_file(value, base_dir, source=source, kind=str(kind))
            records[kind] = RecordSource(kind, str(path), csv_path=path)
        elif isinstance(value, list):
            records[kind] = RecordSource(kind, f"{source} records.{kind}", rows=tuple(value))
        else:
            raise InputError(
                f"records.{kind} must be a list of rows or the name of a CSV file",
                code="scoring.records_kind_shape",
                params={"kind": str(kind)},
                source=source,
                field=f"records.{kind}",
            )
    return Profile(
        source=source,
        partner=None if partner is None else str(partner),
        market=market,
        evaluated_month=evaluated,
        rules=rules,
        summary=summary,
        records=records,
        track=track,
    )


def _record_file(value: str, base_dir: Path | None, *, source: str, kind: str) -> Path:
    """The CSV file a profile names for ``records.<kind>``: only in the profile's own folder or below.

    A profile that does not come from a file (stored data, a chat) may not name files at all. The
    error names the key and the rule, never the file's content (it is not opened).
    """
    if base_dir is None:
        raise InputError(
            f"records.{kind} names a file, but here records must be given as rows",
            code="scoring.records_file_not_here",
            params={"kind": kind},
            source=source,
            field=f"records.{kind}",
        )
    path = Path(value) if Path(value).is_absolute() else base_dir / value
    if not path.resolve().is_relative_to(base_dir.resolve()):
        raise InputError(
            f"records.{kind} names a file outside the profile's folder; record files must be in "
            "that folder or below it",
            code="scoring.records_outside_folder",
            params={"kind": kind},
            source=source,
            field=f"records.{kind}",
        )
    return path


def check_market(
    value: object, *, source: str | None = None, row: int | str | None = None, field: str = "market"
) -> str:
    return check_segment(value, "market", source=source, row=row, field=field)


def check_segment(
    value: object,
    kind: str,
    *,
    source: str | None = None,
    row: int | str | None = None,
    field: str | None = None,
) -> str:
    """A market (``kind="market"``) or track (``"track"``) id known to some edition, lower-cased."""
    from scoring.editions import all_editions

    known = sorted({m for e in all_editions() if e.segment_kind == kind for m in e.markets})
    if not isinstance(value, str) or value.strip().lower() not in known:
        raise InputError(
            f"unknown {kind} '{value}' (known: {', '.join(known)})",
            code=f"scoring.unknown_{kind}",
            params={"value": str(value), "known": ", ".join(known)},
            source=source,
            row=row,
            field=field or kind,
        )
    return value.strip().lower()


def load_profile(path: str | Path) -> Profile:
    """Read a C.1 profile from a YAML or JSON file; CSV record files are relative to its folder."""
    file = Path(path)
    data = load_yaml_file(file)
    return parse_profile(data, str(file), base_dir=file.parent)


def set_summary(data: Mapping[str, Any], key: str, value: object) -> dict[str, Any]:
    """A copy of the C.1 mapping ``data`` with summary ``key`` set to ``value`` (``None`` removes it).

    ``value`` is checked like a profile value (InputError otherwise) and stored as ``int`` for whole
    numbers, else as a decimal text. Setting ``net_customer_adds`` removes the two
    ``qualifying_workloads_*`` keys and vice versa (two ways to give the same metric). ``data`` itself
    is not changed, so bad input never damages a stored profile.
    """
    spec = summary_key(key)
    out = {k: v for k, v in data.items()}
    metrics = dict(out.get("metrics") or {})
    if value is None:
        metrics.pop(spec.key, None)
    else:
        number = check_summary_value(spec.key, value)
        metrics[spec.key] = int(number) if number.denominator == 1 else _decimal_text(number)
        for other in _EXCLUSIVE.get(spec.key, ()):
            metrics.pop(other, None)
    out["metrics"] = metrics
    parse_profile(out, "profile")  # the whole mapping stays valid
    return out


def set_market(data: Mapping[str, Any], market: str) -> dict[str, Any]:
    """A copy of ``data`` with the market set (``larger``/``other``, checked)."""
    out = dict(data)
    out["market"] = check_market(market)
    return out


def set_track(data: Mapping[str, Any], track: str) -> dict[str, Any]:
    """A copy of ``data`` with the 2023 track set (``enterprise``/``smb``, checked)."""
    out = dict(data)
    out["track"] = check_segment(track, "track")
    return out


def _decimal_text(number: Fraction) -> str:
    """The exact decimal text of a number that came from decimal input (e.g. ``"1234.5"``)."""
    import decimal

    with decimal.localcontext(decimal.Context(prec=60)):
        return str((decimal.Decimal(number.numerator) / decimal.Decimal(number.denominator)).normalize())
