"""Partner data in the SQLite database: one partner profile (RULES.md C.1) and one set of co-sell
facts (C.4) per tenant, stored as JSON documents that carry their own ``doc_version`` so a later
document shape can be migrated on read."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.storage.database import Database, _now
from dialogs.audit import (
    ACCESS,
    COSELL,
    PROFILE,
    AuditEntry,
    ChangeOutcome,
    DataChange,
    Hook,
    Record,
    check_role,
    diff,
    path_key,
    path_of,
    value_of,
    value_text,
)
from dialogs.ports import Document

log = logging.getLogger(__name__)


DOCUMENT_VERSION = 1
"""Shape version of stored profiles and co-sell facts (RULES.md C.1 / C.4 as of this release)."""

# (kind, from_version) -> function giving the document at from_version + 1.
DOCUMENT_MIGRATIONS: dict[tuple[str, int], Callable[[Document], Document]] = {}



def _json_default(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot store a value of type {type(value).__name__}")


def _encode_document(document: Mapping[str, Any]) -> str:
    if not isinstance(document, Mapping):
        raise TypeError(f"a partner document must be a mapping, not {type(document).__name__}")
    return json.dumps(dict(document), default=_json_default, ensure_ascii=False, sort_keys=False)


def _decode_document(kind: str, version: int, data: str) -> Document:
    document: Document = json.loads(data)
    while version < DOCUMENT_VERSION:
        document = DOCUMENT_MIGRATIONS[(kind, version)](document)
        version += 1
    return document


def _check_tenant(tenant_id: str) -> str:
    if not isinstance(tenant_id, str) or not tenant_id.strip():
        raise ValueError("a tenant id is required for every read and write of partner data")
    return tenant_id


Row = tuple[int, str]
"""A stored document as read: its shape version and its JSON text."""

TURN_KINDS = (PROFILE, COSELL, ACCESS)
"""The documents a turn reads together, in one query, the first time it reads any of them."""

_TURN_ROWS: contextvars.ContextVar[dict[tuple[str, str], Row | None] | None] = contextvars.ContextVar(
    "partnerbot_turn_rows", default=None)


@contextlib.contextmanager
def one_read_per_turn() -> Iterator[None]:
    """Within this block (one turn), the first read of a tenant's profile, co-sell facts or
    access list reads all three in one query, and later reads take them from there: a scored turn
    reads the co-sell facts (the offer names the recognizer knows) and the profile, which were two
    round trips to PostgreSQL. The rows are kept as read and decoded again for every caller, so
    nobody shares a changed dict; a change in this turn forgets its row, so the turn reads its own
    write. Outside such a block every read goes to the database."""
    token = _TURN_ROWS.set({})
    try:
        yield
    finally:
        _TURN_ROWS.reset(token)


def _read_rows(conn: sqlite3.Connection, tenant_id: str, kinds: Sequence[str]) -> dict[str, Row]:
    marks = ", ".join("?" for _ in kinds)
    rows = conn.execute(
        f"SELECT kind, doc_version, data FROM partner_document WHERE tenant_id = ? AND kind IN ({marks})",
        (tenant_id, *kinds),
    ).fetchall()
    return {str(kind): (int(version), str(data)) for kind, version, data in rows}


def _read_document(conn: sqlite3.Connection, tenant_id: str, kind: str) -> Document | None:
    row = conn.execute(
        "SELECT doc_version, data FROM partner_document WHERE tenant_id = ? AND kind = ?", (tenant_id, kind)
    ).fetchone()
    return None if row is None else _decode_document(kind, int(row[0]), row[1])


def _write_document(conn: sqlite3.Connection, tenant_id: str, kind: str, data: str) -> None:
    conn.execute(
        "INSERT INTO partner_document (tenant_id, kind, doc_version, data, updated_at) "
        "VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(tenant_id, kind) DO UPDATE SET doc_version = excluded.doc_version, "
        "data = excluded.data, updated_at = excluded.updated_at",
        (tenant_id, kind, DOCUMENT_VERSION, data, _now()),
    )


class DocumentRepository:
    """The :class:`dialogs.ports.PartnerRepository` methods, on an engine's ``_rows``, ``_change`` and
    ``_audit``. Every write is :meth:`change` (:mod:`dialogs.audit`): the change, its extra writes
    and its audit entries in one transaction; ``save_*`` and ``update_*`` are that call with the
    turn's actor."""

    def __init__(self, first_owners: Mapping[str, Sequence[str]] | None = None) -> None:
        self._first_owners = {k: tuple(v) for k, v in (first_owners or {}).items()}
        self._hooks: list[Hook] = []
        self.notifications: Any = None
        """The engine's notification store (:mod:`bot.storage.notifications`), set when it opens."""

    def on_change(self, hook: Hook) -> None:
        """Run ``hook`` in the transaction of every change from now on (its records are written
        with the change: see :mod:`dialogs.audit`)."""
        self._hooks.append(hook)

    def first_owners(self, tenant_id: str) -> tuple[str, ...]:
        return self._first_owners.get(tenant_id, ())

    async def _rows(self, tenant_id: str, kinds: Sequence[str]) -> dict[str, Row]:
        """The stored rows of ``kinds`` (those that exist), in one query."""
        raise NotImplementedError

    async def _load(self, tenant_id: str, kind: str) -> Document | None:
        _check_tenant(tenant_id)
        turn = _TURN_ROWS.get()
        if turn is None or kind not in TURN_KINDS:
            row = (await self._rows(tenant_id, (kind,))).get(kind)
        elif (tenant_id, kind) in turn:
            row = turn[tenant_id, kind]
        else:
            kinds = [k for k in TURN_KINDS if (tenant_id, k) not in turn]
            rows = await self._rows(tenant_id, kinds)
            turn.update({(tenant_id, k): rows.get(k) for k in kinds})
            row = rows.get(kind)
        return None if row is None else _decode_document(kind, *row)

    async def _change(self, change: DataChange) -> ChangeOutcome:
        raise NotImplementedError

    async def audit(
        self, tenant_id: str, *, since: str | None = None, limit: int | None = None
    ) -> list[AuditEntry]:
        """The tenant's audit entries (oldest first), those at or after ``since`` (an ISO date or
        time), the last ``limit`` of them."""
        raise NotImplementedError

    async def change(self, change: DataChange) -> ChangeOutcome:
        _check_tenant(change.tenant_id)
        turn = _TURN_ROWS.get()
        if turn is not None:  # this turn reads what it wrote (or, should the change fail, what is)
            turn.pop((change.tenant_id, change.kind), None)
        return await self._change(change)

    async def load_profile(self, tenant_id: str) -> Document | None:
        return await self._load(tenant_id, PROFILE)

    async def records(self, tenant_id: str, namespace: str) -> dict[str, Document]:
        raise NotImplementedError

    async def load_history(self, tenant_id: str) -> list[Document]:
        """The tenant's kept month scores (``scoring.api.MonthScore`` JSON, written by the change
        path's :func:`bot.history.history_records` hook), by month, oldest first."""
        kept = (await self.records(tenant_id, "history")).values()
        return sorted(kept, key=lambda row: (str(row.get("month")), str(row.get("recorded_at", "")),
                                             int(row.get("recorded_ns", 0))))

    async def subscribe(
        self, tenant_id: str, conversation_key: str, reference: Document, lang: str, score_key: str | None
    ) -> bool:
        """Opt a conversation in to notifications (:mod:`bot.storage.notifications`)."""
        _check_tenant(tenant_id)
        store = self.notifications
        return bool(await store.subscribe(tenant_id, conversation_key, reference, lang, score_key))

    async def unsubscribe(self, tenant_id: str, conversation_key: str) -> bool:
        _check_tenant(tenant_id)
        return bool(await self.notifications.unsubscribe(tenant_id, conversation_key))

    async def save_profile(self, tenant_id: str, profile: Mapping[str, Any]) -> None:
        document = dict(profile)
        await self.change(DataChange(tenant_id, PROFILE, lambda _: document))

    async def update_profile(self, tenant_id: str, change: Callable[[Document | None], Document]) -> Document:
        return (await self.change(DataChange(tenant_id, PROFILE, change))).after

    async def load_cosell(self, tenant_id: str) -> Document | None:
        return await self._load(tenant_id, COSELL)

    async def save_cosell(self, tenant_id: str, facts: Mapping[str, Any]) -> None:
        document = dict(facts)
        await self.change(DataChange(tenant_id, COSELL, lambda _: document))

    async def update_cosell(self, tenant_id: str, change: Callable[[Document | None], Document]) -> Document:
        return (await self.change(DataChange(tenant_id, COSELL, change))).after

    async def load_access(self, tenant_id: str) -> Document | None:
        return await self._load(tenant_id, ACCESS)

    # --- the steps both engines take inside the change's transaction

    def _apply(self, change: DataChange, current: Document | None, access: Document | None) -> Applied:
        """Check the role, apply the change: the new document (encoded) and the outcome."""
        check_role(change, access, self.first_owners(change.tenant_id))
        data = _encode_document(change.compute(current))
        after: Document = json.loads(data)
        outcome = ChangeOutcome(change.tenant_id, change.kind, change.actor, current, after,
                                diff(current, after), _now())
        return Applied(data, outcome, uuid.uuid4().hex)

    def _records(self, change: DataChange, outcome: ChangeOutcome) -> Iterator[Record]:
        """The extra writes: the change's records, its hooks' and the repository's hooks'."""
        yield from change.records
        for hook in [*change.hooks, *self._hooks]:
            yield from hook(outcome)

    @staticmethod
    def _audit_rows(applied: Applied, undoes: int | None) -> list[tuple[Any, ...]]:
        outcome = applied.outcome
        actor = outcome.actor
        return [
            (applied.change_id, outcome.tenant_id, outcome.at, actor.user_id, actor.name, actor.via,
             outcome.kind, path_key(f.path), value_text(f.before), value_text(f.after), undoes)
            for f in outcome.fields
        ]


@dataclass(frozen=True)
class Applied:
    data: str
    outcome: ChangeOutcome
    change_id: str


AUDIT_COLUMNS = "seq, change_id, tenant_id, at, actor_id, actor_name, via, kind, path, before, after, undoes"


def audit_entry(row: Sequence[Any]) -> AuditEntry:
    seq, change_id, tenant, at, actor_id, actor_name, via, kind, path, before, after, undoes = row
    return AuditEntry(int(seq), str(change_id), str(tenant), at if isinstance(at, str) else at.isoformat(),
                      str(actor_id), str(actor_name), str(via), str(kind), path_of(path),
                      value_of(before), value_of(after), None if undoes is None else int(undoes))


class SqlitePartnerRepository(DocumentRepository):
    """:class:`dialogs.ports.PartnerRepository` on :class:`Database`, keyed by tenant."""

    def __init__(self, db: Database, first_owners: Mapping[str, Sequence[str]] | None = None) -> None:
        super().__init__(first_owners)
        self._db = db

    async def _rows(self, tenant_id: str, kinds: Sequence[str]) -> dict[str, Row]:
        return await self._db.run(lambda conn: _read_rows(conn, tenant_id, kinds))

    async def _change(self, change: DataChange) -> ChangeOutcome:
        tenant, kind = change.tenant_id, change.kind

        def changing(conn: sqlite3.Connection) -> ChangeOutcome:
            current = _read_document(conn, tenant, kind)
            access = current if kind == ACCESS else _read_document(conn, tenant, ACCESS)
            applied = self._apply(change, current, access)
            _write_document(conn, tenant, kind, applied.data)
            for record in self._records(change, applied.outcome):
                conn.execute(
                    "INSERT INTO partner_record (tenant_id, namespace, key, data, updated_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(tenant_id, namespace, key) DO UPDATE SET "
                    "data = excluded.data, updated_at = excluded.updated_at",
                    (tenant, record.namespace, record.key, _encode_document(record.data), applied.outcome.at),
                )
            conn.executemany(
                "INSERT INTO audit_entry (change_id, tenant_id, at, actor_id, actor_name, via, kind, path, "
                "before, after, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self._audit_rows(applied, change.undoes),
            )
            return applied.outcome

        return await self._db.transaction(changing)

    async def audit(
        self, tenant_id: str, *, since: str | None = None, limit: int | None = None
    ) -> list[AuditEntry]:
        _check_tenant(tenant_id)

        def reading(conn: sqlite3.Connection) -> list[Any]:
            rows: list[Any] = conn.execute(
                f"SELECT {AUDIT_COLUMNS} FROM audit_entry WHERE tenant_id = ? AND at >= ? "
                "ORDER BY seq DESC LIMIT ?",
                (tenant_id, since or "", -1 if limit is None else limit),
            ).fetchall()
            return rows

        return [audit_entry(row) for row in reversed(await self._db.run(reading))]

    async def records(self, tenant_id: str, namespace: str) -> dict[str, Document]:
        """The extra rows a change wrote under ``namespace`` (key → data)."""
        _check_tenant(tenant_id)
        rows = await self._db.run(lambda conn: conn.execute(
            "SELECT key, data FROM partner_record WHERE tenant_id = ? AND namespace = ? ORDER BY key",
            (tenant_id, namespace)).fetchall())
        return {str(key): json.loads(data) for key, data in rows}
