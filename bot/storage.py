"""Embedded storage: one SQLite file (WAL mode) for conversation state and partner data.

- :class:`SqliteStorage` is the Bot Framework :class:`Storage` for ``ConversationState`` and
  ``UserState``, with optimistic concurrency: :meth:`SqliteStorage.read` hands out an ``e_tag``;
  a write that carries an ``e_tag`` succeeds only if the stored item still has it, else it raises
  :class:`ETagConflict` and writes nothing (the SDK's ``MemoryStorage`` silently keeps the last
  writer). A write without ``e_tag`` (or ``"*"``) overwrites. A key that does not exist reads as an
  empty item whose ``e_tag`` is :data:`ABSENT_ETAG`, so two turns that both start a conversation
  cannot both create it either: the second gets the conflict. (Unlike ``MemoryStorage``, ``read``
  therefore returns an item for every key asked.)
- :class:`SqlitePartnerRepository` implements :class:`dialogs.ports.PartnerRepository`: one partner
  profile (RULES.md C.1) and one set of co-sell facts (C.4) per tenant, stored as JSON documents.

Every call runs on one worker thread that owns the connection, inside one transaction
(``BEGIN IMMEDIATE``), so a write is all or nothing and a read-modify-write cannot interleave with
another writer, in this process or another (``partnerbot import`` while the bot runs).

The database schema has a version (``PRAGMA user_version``) and ordered migrations; each stored
document carries its own ``doc_version`` so a later document shape can be migrated on read.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import datetime as dt
import json
import logging
import sqlite3
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import jsonpickle
from botbuilder.core import Storage

from dialogs.ports import ConcurrentChange, Document
from kernel.errors import InputError

log = logging.getLogger(__name__)

T = TypeVar("T")

# Ordered schema migrations: version N is reached by running MIGRATIONS[N - 1].
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE state (
               key TEXT PRIMARY KEY,
               etag TEXT NOT NULL,
               data TEXT NOT NULL,
               updated_at TEXT NOT NULL
           )""",
        """CREATE TABLE partner_document (
               tenant_id TEXT NOT NULL,
               kind TEXT NOT NULL CHECK (kind IN ('profile', 'cosell')),
               doc_version INTEGER NOT NULL,
               data TEXT NOT NULL,
               updated_at TEXT NOT NULL,
               PRIMARY KEY (tenant_id, kind)
           )""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

DOCUMENT_VERSION = 1
"""Shape version of stored profiles and co-sell facts (RULES.md C.1 / C.4 as of this release)."""

# (kind, from_version) -> function giving the document at from_version + 1.
DOCUMENT_MIGRATIONS: dict[tuple[str, int], Callable[[Document], Document]] = {}

PROFILE = "profile"
COSELL = "cosell"


ABSENT_ETAG = "absent"
"""The e_tag of a key read while it did not exist: writing it back creates it only if still absent."""


class ETagConflict(ConcurrentChange, KeyError):
    """Another writer changed the item since it was read. Read it again and retry.

    A :class:`KeyError`, like the conflict of the SDK's ``MemoryStorage``, and the conversation
    layer's :class:`~dialogs.ports.ConcurrentChange`.
    """

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key

    def __str__(self) -> str:
        return f"e_tag conflict on {self.key!r}: it changed since it was read"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class Database:
    """One SQLite database file and the single thread that uses it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="partnerbot-sqlite")
        self._conn: sqlite3.Connection | None = None

    @classmethod
    async def open(cls, path: Path) -> Database:
        db = cls(path)
        try:
            await asyncio.get_running_loop().run_in_executor(db._executor, db._connect)
        except BaseException:
            db._executor.shutdown(wait=True)
            raise
        return db

    def _connect(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
        except (OSError, sqlite3.Error) as err:
            raise InputError(
                f"cannot open the database: {err}",
                code="bot.database_open",
                params={"reason": str(err)},
                source=str(self.path),
            ) from None
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            _migrate(conn, self.path)
        except sqlite3.DatabaseError as err:
            conn.close()
            raise InputError(
                f"cannot open the database: {err}",
                code="bot.database_open",
                params={"reason": str(err)},
                source=str(self.path),
            ) from None
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work(connection)`` on the database thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._call, work)

    def _call(self, work: Callable[[sqlite3.Connection], T]) -> T:
        if self._conn is None:
            raise RuntimeError("the database is closed")
        return work(self._conn)

    async def transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` inside ``BEGIN IMMEDIATE`` … ``COMMIT`` (rolled back if it raises)."""

        def in_transaction(conn: sqlite3.Connection) -> T:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return result

        return await self.run(in_transaction)

    async def check(self) -> None:
        """Raise if the database cannot be read (used by ``GET /healthz``)."""
        await self.run(lambda conn: conn.execute("SELECT count(*) FROM partner_document").fetchone())

    async def close(self) -> None:
        def closing(conn: sqlite3.Connection) -> None:
            conn.close()

        if self._conn is not None:
            await self.run(closing)
            self._conn = None
        self._executor.shutdown(wait=True)


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise InputError(
                f"the database has schema version {version}; this partnerbot knows up to {SCHEMA_VERSION}",
                code="bot.database_newer",
                params={"version": version, "known": SCHEMA_VERSION},
                source=str(path),
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[target - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
            log.info("database %s migrated to schema version %d", path, target)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


# --------------------------------------------------------------------------- state storage


def _etag_of(item: object) -> str | None:
    value = item.get("e_tag") if isinstance(item, dict) else getattr(item, "e_tag", None)
    return str(value) if value is not None else None


def _set_etag(item: object, etag: str) -> None:
    if isinstance(item, dict):
        item["e_tag"] = etag
    else:
        with contextlib.suppress(AttributeError):  # an object that refuses attributes keeps no e_tag
            item.e_tag = etag  # type: ignore[attr-defined]


def _encode_state(item: object) -> str:
    if isinstance(item, dict):
        item = {k: v for k, v in item.items() if k != "e_tag"}
    else:
        item = copy.copy(item)
        if hasattr(item, "e_tag"):
            delattr(item, "e_tag")
    return str(jsonpickle.encode(item, keys=True))


class SqliteStorage(Storage):  # type: ignore[misc]  # the SDK is untyped
    """Bot Framework state storage in :class:`Database`, with e_tag concurrency checks."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self._db = db

    async def read(self, keys: Sequence[str]) -> dict[str, Any]:
        keys = list(keys or [])
        if not keys:
            return {}

        def reading(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
            marks = ",".join("?" * len(keys))
            return conn.execute(f"SELECT key, etag, data FROM state WHERE key IN ({marks})", keys).fetchall()

        result: dict[str, Any] = {key: {"e_tag": ABSENT_ETAG} for key in keys}
        for key, etag, data in await self._db.run(reading):
            item = jsonpickle.decode(data, keys=True)
            _set_etag(item, etag)
            result[key] = item
        return result

    async def write(self, changes: Mapping[str, Any]) -> None:
        if changes is None:
            raise TypeError("SqliteStorage.write(): changes are required")
        if not changes:
            return
        rows = [(key, _etag_of(item), _encode_state(item)) for key, item in changes.items()]
        new_etags = {key: uuid.uuid4().hex for key in changes}

        def writing(conn: sqlite3.Connection) -> None:
            now = _now()
            for key, expected, data in rows:
                if expected not in (None, "*"):
                    found = conn.execute("SELECT etag FROM state WHERE key = ?", (key,)).fetchone()
                    if (found[0] if found else ABSENT_ETAG) != expected:
                        raise ETagConflict(key)
                conn.execute(
                    "INSERT INTO state (key, etag, data, updated_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, data = excluded.data, "
                    "updated_at = excluded.updated_at",
                    (key, new_etags[key], data, now),
                )

        await self._db.transaction(writing)
        # The caller's items now carry the new e_tag, so a second save in the same turn is not
        # mistaken for someone else's write.
        for key, item in changes.items():
            _set_etag(item, new_etags[key])

    async def delete(self, keys: Sequence[str]) -> None:
        keys = list(keys or [])
        if not keys:
            return

        def deleting(conn: sqlite3.Connection) -> None:
            conn.executemany("DELETE FROM state WHERE key = ?", [(k,) for k in keys])

        await self._db.transaction(deleting)


# --------------------------------------------------------------------------- partner data


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


class SqlitePartnerRepository:
    """:class:`dialogs.ports.PartnerRepository` on :class:`Database`, keyed by tenant."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def _load(self, tenant_id: str, kind: str) -> Document | None:
        _check_tenant(tenant_id)
        return await self._db.run(lambda conn: _read_document(conn, tenant_id, kind))

    async def _save(self, tenant_id: str, kind: str, document: Mapping[str, Any]) -> None:
        _check_tenant(tenant_id)
        data = _encode_document(document)
        await self._db.transaction(lambda conn: _write_document(conn, tenant_id, kind, data))

    async def _update(
        self, tenant_id: str, kind: str, change: Callable[[Document | None], Document]
    ) -> Document:
        _check_tenant(tenant_id)

        def updating(conn: sqlite3.Connection) -> Document:
            result = change(_read_document(conn, tenant_id, kind))
            data = _encode_document(result)
            _write_document(conn, tenant_id, kind, data)
            decoded: Document = json.loads(data)
            return decoded

        return await self._db.transaction(updating)

    async def load_profile(self, tenant_id: str) -> Document | None:
        return await self._load(tenant_id, PROFILE)

    async def save_profile(self, tenant_id: str, profile: Mapping[str, Any]) -> None:
        await self._save(tenant_id, PROFILE, profile)

    async def update_profile(self, tenant_id: str, change: Callable[[Document | None], Document]) -> Document:
        return await self._update(tenant_id, PROFILE, change)

    async def load_cosell(self, tenant_id: str) -> Document | None:
        return await self._load(tenant_id, COSELL)

    async def save_cosell(self, tenant_id: str, facts: Mapping[str, Any]) -> None:
        await self._save(tenant_id, COSELL, facts)

    async def update_cosell(self, tenant_id: str, change: Callable[[Document | None], Document]) -> Document:
        return await self._update(tenant_id, COSELL, change)
