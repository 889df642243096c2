"""Partner data as files: what ``partnerbot import`` reads, what ``export`` writes, and the checks a
file sent in chat goes through (the same ones, so the two cannot drift apart).

A data file is YAML or JSON in one of three shapes, told apart by its top-level keys:

- a partner profile (docs/rules.md C.1): checked as the scoring engine reads it, every record row
  included, and its record files read and stored inline as rows;
- co-sell facts (C.4): a ``partner:`` mapping of facts and/or an ``offers:`` list; stored normalised
  (facts as ``true``/``false``/``null``), exactly as the co-sell walkthrough stores its answers;
- both, as ``profile:`` and ``cosell:`` (what ``partnerbot export --what all`` prints).

In chat a fourth kind is read: a record CSV with the C.1 columns of one kind of records (revenue,
usage or certifications, told by its columns), which replaces that kind's rows in the stored
profile. It is checked by the same profile checks, the CSV read by the scoring engine's own reader.

Every problem is an :class:`InputError` naming the file, row and field. Nothing here stores
anything except :func:`store`, the one place a checked data file is written (``partnerbot import``
and the Save button of a file sent in chat both call it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dialogs import audit
from dialogs.ports import Document, PartnerRepository
from kernel.errors import InputError
from kernel.files import load_yaml_file, open_csv, parse_yaml
from scoring import cosell as cosell_rules
from scoring.api import RECORD_FIELDS, evaluate, parse_profile

WHAT = ("profile", "cosell", "all")
"""What ``partnerbot export --what`` prints: the profile, the co-sell facts, or both."""
BOTH_KEYS = frozenset({"profile", "cosell"})
DATA_SUFFIXES = (".yaml", ".yml", ".json")
CSV_SUFFIX = ".csv"


@dataclass(frozen=True)
class DataFile:
    """A checked data file, ready to store: its name, and the documents it gives."""

    name: str
    profile: Document | None = None
    cosell: Document | None = None
    records: str | None = None
    """The record kind of a record CSV (chat): ``profile`` is then the stored profile with those rows."""

    @property
    def what(self) -> str:
        if self.profile is not None and self.cosell is not None:
            return "all"
        return "cosell" if self.cosell is not None else "profile"


def shape_of(data: Any) -> str:
    """``profile``, ``cosell`` or ``all`` (both), from a data file's top-level keys."""
    if isinstance(data, Mapping) and data and set(data) <= BOTH_KEYS:
        return "all"
    if isinstance(data, Mapping) and ("offers" in data or isinstance(data.get("partner"), Mapping)):
        return "cosell"
    return "profile"


def check_profile(
    data: Any, source: str, *, base_dir: Path | None = None, today: dt.date | None = None
) -> Document:
    """The C.1 mapping ``data``, checked (every record row too) and with record files inlined as rows.

    Record files are read only from ``base_dir`` and below; without one (stored data, a file sent in
    chat) a profile may not name files at all.
    """
    profile = parse_profile(data, source, base_dir=base_dir)  # shape, keys, track, month, values
    evaluate(profile, today=today)  # every record row, naming file, row and field on error
    assert isinstance(data, Mapping)  # parse_profile refused anything else
    inlined = dict(data)
    records = dict(inlined.get("records") or {})
    for kind, src in profile.records.items():
        if src.csv_path is not None:
            records[kind] = _csv_rows(src.csv_path)
    if records:
        inlined["records"] = records
    parse_profile(inlined, source)  # still a valid profile after inlining
    return inlined


def check_cosell(data: Any, source: str) -> Document:
    """The C.4 mapping ``data``, checked and normalised as the walkthrough stores it."""
    return cosell_rules.to_mapping(cosell_rules.parse_cosell(data, source))


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with open_csv(path) as reader:  # a regular file (the profile's checks read it already)
        header = [name.strip() for name in next(reader)]
        rows: list[dict[str, str]] = []
        for values in reader:
            if values:
                rows.append({name: value for name, value in zip(header, values, strict=True) if value != ""})
        return rows


def check_data(data: Any, source: str, *, base_dir: Path | None = None,
               today: dt.date | None = None) -> DataFile:
    """A parsed data file of any of the three shapes, checked."""
    shape = shape_of(data)
    if shape == "profile":
        return DataFile(source, profile=check_profile(data, source, base_dir=base_dir, today=today))
    if shape == "cosell":
        return DataFile(source, cosell=check_cosell(data, source))
    assert isinstance(data, Mapping)
    profile = data.get("profile")
    facts = data.get("cosell")
    return DataFile(
        source,
        profile=None if profile is None else check_profile(
            profile, f"{source} profile", base_dir=base_dir, today=today),
        cosell=None if facts is None else check_cosell(facts, f"{source} cosell"),
    )


def read_path(path: Path, *, today: dt.date | None = None) -> DataFile:
    """``partnerbot import``: a data file on disk; record files are read from its folder and below."""
    return check_data(load_yaml_file(path), str(path), base_dir=path.parent, today=today)


def read_upload(content: bytes, name: str, *, stored_profile: Document | None,
                today: dt.date | None = None) -> DataFile:
    """A file sent in chat, by its name: a data file (YAML or JSON), or a record CSV that replaces
    one kind of records in ``stored_profile``. Errors name ``name``, never a path of this machine."""
    suffix = Path(name).suffix.lower()
    if suffix in DATA_SUFFIXES:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("not UTF-8 text", code="not_text", source=name) from None
        return check_data(parse_yaml(text, name), name, today=today)
    if suffix == CSV_SUFFIX:
        return _read_records(content, name, stored_profile, today)
    raise InputError(
        f"a file of type '{suffix or name}' cannot be read",
        code="files.unknown_type",
        params={"suffixes": ", ".join((*DATA_SUFFIXES, CSV_SUFFIX))},
        source=name,
    )


def record_kind(header: list[str], name: str) -> str:
    """The record kind whose required C.1 columns a CSV header has (one kind only)."""
    columns = {column.strip() for column in header}
    kinds = [kind for kind, (required, _) in RECORD_FIELDS.items() if set(required) <= columns]
    if len(kinds) == 1:
        return kinds[0]
    raise InputError(
        "the columns do not tell which records these are",
        code="files.records_unknown",
        params={"columns": "; ".join(
            f"{kind}: {', '.join(req)}" for kind, (req, _) in RECORD_FIELDS.items())},
        source=name,
        row=1,
    )


def _read_records(content: bytes, name: str, stored: Document | None, today: dt.date | None) -> DataFile:
    first = content.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
    kind = record_kind([c.strip().strip('"') for c in first.split(",")], name)
    if stored is None:  # records alone cannot be scored: the track (or market) and the rest are missing
        raise InputError(
            "records replace those of the stored profile, and no profile is stored yet",
            code="files.records_need_profile",
            source=name,
        )
    with tempfile.TemporaryDirectory(prefix="partnerbot-upload-") as folder:
        path = Path(folder) / f"{kind}.csv"
        path.write_bytes(content)
        merged = dict(stored or {})
        merged["records"] = {**dict(merged.get("records") or {}), kind: path.name}
        try:
            profile = check_profile(merged, name, base_dir=Path(folder), today=today)
        except InputError as err:
            if err.source and err.source.startswith(folder):
                err.source = name  # the rows of the file sent, not the copy on this machine
            raise
    return DataFile(name, profile=profile, records=kind)


def dump(document: Mapping[str, Any]) -> str:
    """YAML that :func:`read_path` reads back to the same document (so export → import is exact)."""
    text: str = yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True, default_flow_style=False)
    return text


def export_text(profile: Document | None, facts: Document | None, what: str, *, tenant: str,
                source: str = "") -> str:
    """What ``partnerbot export --what WHAT`` prints: YAML that ``partnerbot import`` accepts."""
    if what not in WHAT:
        raise ValueError(f"unknown export {what!r}")
    if what == "profile":
        if profile is None:
            raise _nothing("bot.no_profile", tenant, source)
        return dump(profile)
    if what == "cosell":
        if facts is None:
            raise _nothing("bot.no_cosell", tenant, source)
        return dump(facts)
    both = {key: doc for key, doc in (("profile", profile), ("cosell", facts)) if doc is not None}
    if not both:
        raise _nothing("bot.no_data", tenant, source)
    return dump(both)


def _nothing(code: str, tenant: str, source: str) -> InputError:
    what = {"bot.no_profile": "no profile is", "bot.no_cosell": "no co-sell facts are"}.get(
        code, "no partner data is")
    return InputError(f"{what} stored for tenant {tenant}", code=code, params={"tenant": tenant},
                      source=source or None)


async def store(partners: PartnerRepository, tenant: str, data: DataFile, *, via: str | None = None) -> None:
    """Store a checked data file for ``tenant``: each document it gives replaces the stored one, each
    in one transaction of the change path (:mod:`dialogs.audit`: role checked, audit entries per
    field), made by the actor of this turn or command, ``via`` ``file`` for a file sent in chat.

    The one place a data file is written (``partnerbot import`` and Save in chat).
    """
    actor = audit.current_actor()
    if via is not None:
        actor = dataclasses.replace(actor, via=via)
    for kind, document in ((audit.PROFILE, data.profile), (audit.COSELL, data.cosell)):
        if document is not None:
            await partners.change(audit.DataChange(tenant, kind, _replace_with(document), actor=actor))


def _replace_with(document: Document) -> Callable[[Document | None], Document]:
    return lambda _stored: dict(document)
