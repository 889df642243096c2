"""Embedded storage: one SQLite file (WAL mode) for conversation state and partner data.

- :class:`SqliteStorage` is the Bot Framework :class:`Storage` for ``ConversationState`` and
  ``UserState``, with optimistic concurrency: :meth:`SqliteStorage.read` hands out an ``e_tag``;
  a write that carries an ``e_tag`` succeeds only if the stored item still has it, else it raises
  :class:`ETagConflict` and writes nothing (the SDK's ``MemoryStorage`` silently keeps the last
  writer). A write without ``e_tag`` (or ``"*"``) overwrites. A key that does not exist reads as an
  empty item whose ``e_tag`` is :data:`ABSENT_ETAG`, so two turns that both start a conversation
  cannot both create it either: the second gets the conflict. (Unlike ``MemoryStorage``, ``read``
  therefore returns an item for every key asked.)
- State keys are kept per tenant: the SDK's keys (``msteams/conversations/…``, which name the
  channel) are stored under the tenant of the turn (:func:`bind_state_tenant`, set by the host for
  each turn), so an activity of tenant B that reuses tenant A's conversation and user ids starts
  afresh instead of reading A's state.
- :class:`TurnLeases`: one lease row per user and conversation, so the turns of one person run one
  after the other even when two bot processes share the database.
- :func:`remove_unused_state` deletes conversation and user state unused for a while (never
  partner data).
- :class:`SqlitePartnerRepository` implements :class:`dialogs.ports.PartnerRepository`: one partner
  profile (RULES.md C.1) and one set of co-sell facts (C.4) per tenant, stored as JSON documents.
- :class:`Backend` bundles what the host uses (state storage, partner data, turn leases, health
  check, clean-up); :func:`bot.backends.open_backend` opens SQLite, or PostgreSQL when
  ``PARTNERBOT_DATABASE_URL`` is set (:mod:`bot.storage_postgres`, with the same guarantees).

Every call runs on one worker thread that owns the connection, inside one transaction
(``BEGIN IMMEDIATE``), so a write is all or nothing and a read-modify-write cannot interleave with
another writer, in this process or another (``partnerbot import`` while the bot runs).

The database schema has a version (``PRAGMA user_version``) and ordered migrations; each stored
document carries its own ``doc_version`` so a later document shape can be migrated on read.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import copy
import datetime as dt
import json
import logging
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import quote

import jsonpickle
from botbuilder.core import Storage

from dialogs.ports import ConcurrentChange, Document, PartnerRepository
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
    (
        # State keys get the tenant in front. Rows of other channels than Teams belonged to
        # 'local' (the only tenant those channels ever had); a Teams row's tenant was not recorded,
        # so it waits under LEGACY_SCOPE until the first turn that asks for its key adopts it.
        """UPDATE state SET key = CASE WHEN key LIKE 'msteams/%' THEN '*/' || key
                                       ELSE 'local/' || key END""",
        # When a row was last read or written, for the clean-up of unused state.
        "ALTER TABLE state ADD COLUMN used_at TEXT NOT NULL DEFAULT ''",
        "UPDATE state SET used_at = updated_at",
        "CREATE INDEX state_used_at ON state (used_at)",
        """CREATE TABLE turn_lease (
               key TEXT PRIMARY KEY,
               holder TEXT NOT NULL,
               expires_at REAL NOT NULL
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

DEFAULT_STATE_TENANT = "local"
"""The tenant of state keys used outside a host turn (tests, tools that drive dialogs directly)."""
LEGACY_SCOPE = "*"
"""Where schema version 1's Teams state rows wait to be adopted (no tenant id quotes to ``*``)."""
TOUCH_AFTER = dt.timedelta(hours=1)
"""A read refreshes a row's ``used_at`` when it is older than this (one write an hour at most)."""

_UNBOUND = ""
_STATE_TENANT: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "partnerbot_state_tenant", default=None
)


class StateScopeMissing(RuntimeError):
    """Conversation or user state was used in a host turn before the turn's tenant was known."""


@contextlib.contextmanager
def state_scope() -> Iterator[None]:
    """A host turn's state scope: state may be used only once :func:`bind_state_tenant` named the
    tenant (a turn refused before that reads and writes no state at all)."""
    token = _STATE_TENANT.set(_UNBOUND)
    try:
        yield
    finally:
        _STATE_TENANT.reset(token)


def bind_state_tenant(tenant: str) -> None:
    """The tenant whose conversation and user state this turn (this asyncio task) reads and writes."""
    if not tenant:
        raise ValueError("a tenant id is required for conversation and user state")
    _STATE_TENANT.set(tenant)


def _state_prefix() -> str:
    tenant = _STATE_TENANT.get()
    if tenant is None:
        tenant = DEFAULT_STATE_TENANT
    elif tenant == _UNBOUND:
        raise StateScopeMissing("conversation state was used before the turn's tenant was known")
    return quote(tenant, safe="") + "/"


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


BUSY_SECONDS = 10.0
"""How long a call waits for a write lock another process holds before it fails."""


def _is_busy(err: sqlite3.OperationalError) -> bool:
    """SQLite refused because another connection holds a lock (SQLITE_BUSY or SQLITE_LOCKED)."""
    code = getattr(err, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class Database:
    """One SQLite database file. It is opened (and migrated) on a worker thread; after that every
    call runs on the event loop's own thread (a WAL read or a small write takes well under a
    millisecond, less than handing it to a thread and back), and a write lock held by another
    process is waited for without blocking the loop (:meth:`run`)."""

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
            conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=BUSY_SECONDS, check_same_thread=False
            )
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
            conn.execute("PRAGMA busy_timeout = 0")  # from now on, run() waits without blocking the loop
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
        """Run ``work(connection)``. While another process holds the write lock (SQLite answers
        "busy" at once), ``work`` is tried again after a short asynchronous wait, for up to
        :data:`BUSY_SECONDS`; ``work`` must therefore change nothing before it fails (a
        transaction, which is rolled back, or a single statement)."""
        deadline = time.monotonic() + BUSY_SECONDS
        delay = 0.002
        while True:
            try:
                return self._call(work)
            except sqlite3.OperationalError as err:
                if not _is_busy(err) or time.monotonic() >= deadline:
                    raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)

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
            self._call(closing)
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
        prefix = _state_prefix()
        stored = {prefix + key: key for key in keys}

        def reading(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
            marks = ",".join("?" * len(stored))
            rows: list[tuple[str, str, str, str]] = conn.execute(
                f"SELECT key, etag, data, used_at FROM state WHERE key IN ({marks})", list(stored)
            ).fetchall()
            missing = set(stored) - {row[0] for row in rows}
            if missing and prefix != LEGACY_SCOPE + "/":
                rows += _adopt_legacy(conn, missing, prefix)
            now = dt.datetime.now(dt.UTC)
            touched_before = (now - TOUCH_AFTER).isoformat(timespec="milliseconds")
            stale = [row[0] for row in rows if row[3] < touched_before]
            if stale:
                conn.executemany(
                    "UPDATE state SET used_at = ? WHERE key = ?",
                    [(now.isoformat(timespec="milliseconds"), key) for key in stale],
                )
            return [(key, etag, data) for key, etag, data, _ in rows]

        result: dict[str, Any] = {key: {"e_tag": ABSENT_ETAG} for key in keys}
        for key, etag, data in await self._db.run(reading):
            item = jsonpickle.decode(data, keys=True)
            _set_etag(item, etag)
            result[stored[key]] = item
        return result

    async def write(self, changes: Mapping[str, Any]) -> None:
        if changes is None:
            raise TypeError("SqliteStorage.write(): changes are required")
        if not changes:
            return
        prefix = _state_prefix()
        rows = [(prefix + key, _etag_of(item), _encode_state(item)) for key, item in changes.items()]
        new_etags = {prefix + key: uuid.uuid4().hex for key in changes}

        def writing(conn: sqlite3.Connection) -> None:
            now = _now()
            for key, expected, data in rows:
                if expected not in (None, "*"):
                    found = conn.execute("SELECT etag FROM state WHERE key = ?", (key,)).fetchone()
                    if (found[0] if found else ABSENT_ETAG) != expected:
                        raise ETagConflict(key.removeprefix(prefix))
                conn.execute(
                    "INSERT INTO state (key, etag, data, updated_at, used_at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, data = excluded.data, "
                    "updated_at = excluded.updated_at, used_at = excluded.used_at",
                    (key, new_etags[key], data, now, now),
                )

        await self._db.transaction(writing)
        # The caller's items now carry the new e_tag, so a second save in the same turn is not
        # mistaken for someone else's write.
        for key, item in changes.items():
            _set_etag(item, new_etags[prefix + key])

    async def delete(self, keys: Sequence[str]) -> None:
        keys = list(keys or [])
        if not keys:
            return
        prefix = _state_prefix()

        def deleting(conn: sqlite3.Connection) -> None:
            conn.executemany("DELETE FROM state WHERE key = ?", [(prefix + k,) for k in keys])

        await self._db.transaction(deleting)


def _adopt_legacy(
    conn: sqlite3.Connection, missing: set[str], prefix: str
) -> list[tuple[str, str, str, str]]:
    """Schema version 1 kept Teams state without its tenant: the first tenant to ask for such a key
    takes it (moved under its own prefix, so no other tenant can read it afterwards)."""
    legacy = {LEGACY_SCOPE + "/" + key.removeprefix(prefix): key for key in missing}
    marks = ",".join("?" * len(legacy))
    found = conn.execute(f"SELECT key FROM state WHERE key IN ({marks})", list(legacy)).fetchall()
    if not found:
        return []
    adopted: list[tuple[str, str, str, str]] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for (old,) in found:
            if conn.execute("UPDATE state SET key = ? WHERE key = ?", (legacy[old], old)).rowcount:
                row = conn.execute(
                    "SELECT key, etag, data, used_at FROM state WHERE key = ?", (legacy[old],)
                ).fetchone()
                adopted.append(row)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return adopted


def remove_unused_state(conn: sqlite3.Connection, older_than: dt.timedelta) -> int:
    """Delete conversation and user state rows not read or written for ``older_than``, and
    expired turn leases; returns the number of state rows removed. Partner data is not touched."""
    cutoff = (dt.datetime.now(dt.UTC) - older_than).isoformat(timespec="milliseconds")
    removed = conn.execute("DELETE FROM state WHERE used_at < ?", (cutoff,)).rowcount
    conn.execute("DELETE FROM turn_lease WHERE expires_at < ?", (time.time(),))
    return int(removed)


async def clean_up(db: Database, older_than: dt.timedelta) -> int:
    """:func:`remove_unused_state` in one transaction."""
    return await db.transaction(lambda conn: remove_unused_state(conn, older_than))


# --------------------------------------------------------------------------- turn leases


LEASE_SECONDS = 60.0
"""How long a turn's lease holds before another process may take it (a killed process's lease
expires); far longer than a turn takes, whose every outbound call is bounded (bot.connector)."""
LEASE_POLL_SECONDS = 0.05


class LeaseBusy(ConcurrentChange):
    """Another bot process is still running a turn of this person and did not finish in time."""


class TurnLeases:
    """One row per (tenant, channel, conversation, user) that a turn holds while it runs.

    Taking it is one ``BEGIN IMMEDIATE`` transaction (insert, or take over an expired row), so two
    processes on one database cannot both hold it; a second process waits until the first turn
    has saved its state and released it, then reads that state. Within one process the host's own
    lock already orders the turns, so each process has at most one waiter per key.
    """

    def __init__(self, db: Database, *, lease_seconds: float = LEASE_SECONDS) -> None:
        self._db = db
        self._lease_seconds = lease_seconds
        self._holder = uuid.uuid4().hex

    @contextlib.asynccontextmanager
    async def hold(self, key: str, *, wait_seconds: float = LEASE_SECONDS) -> AsyncIterator[None]:
        """Hold the lease on ``key`` for the body; :class:`LeaseBusy` after ``wait_seconds``."""
        deadline = time.monotonic() + wait_seconds
        holder = f"{self._holder}:{uuid.uuid4().hex[:8]}"

        def take(conn: sqlite3.Connection) -> bool:
            now = time.time()
            row = conn.execute("SELECT holder, expires_at FROM turn_lease WHERE key = ?", (key,)).fetchone()
            if row is not None and row[1] >= now:
                return False
            conn.execute(
                "INSERT INTO turn_lease (key, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) "
                "DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at",
                (key, holder, now + self._lease_seconds),
            )
            return True

        while not await self._db.transaction(take):
            if time.monotonic() >= deadline:
                raise LeaseBusy(key)
            await asyncio.sleep(LEASE_POLL_SECONDS)
        try:
            yield
        finally:
            await self._db.transaction(
                lambda conn: conn.execute(
                    "DELETE FROM turn_lease WHERE key = ? AND holder = ?", (key, holder)
                )
            )


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


class DocumentRepository:
    """The :class:`dialogs.ports.PartnerRepository` methods, on an engine's ``_load``, ``_save`` and
    ``_update`` of one tenant's document of a kind (``profile`` or ``cosell``)."""

    async def _load(self, tenant_id: str, kind: str) -> Document | None:
        raise NotImplementedError

    async def _save(self, tenant_id: str, kind: str, document: Mapping[str, Any]) -> None:
        raise NotImplementedError

    async def _update(
        self, tenant_id: str, kind: str, change: Callable[[Document | None], Document]
    ) -> Document:
        raise NotImplementedError

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


class SqlitePartnerRepository(DocumentRepository):
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



# --------------------------------------------------------------------------- backends


class Leases(Protocol):
    """Orders one person's turns across processes (:class:`TurnLeases` and its PostgreSQL twin)."""

    def hold(self, key: str, *, wait_seconds: float = ...) -> AbstractAsyncContextManager[None]: ...


@dataclass(frozen=True)
class Backend:
    """What the host needs from its database, whichever engine keeps it."""

    storage: Storage
    partners: PartnerRepository
    leases: Leases
    label: str
    """Where the data is, for messages (a file path, or a URL without its password)."""
    check: Callable[[], Awaitable[None]]
    """Raises if the database cannot be read (``GET /healthz``)."""
    clean_up: Callable[[dt.timedelta], Awaitable[int]]
    """Removes conversation and user state unused for the given time; returns the rows removed."""
    close: Callable[[], Awaitable[None]]


async def open_sqlite_backend(path: Path) -> Backend:
    db = await Database.open(path)

    async def cleaning(older_than: dt.timedelta) -> int:
        return await clean_up(db, older_than)

    return Backend(
        storage=SqliteStorage(db),
        partners=SqlitePartnerRepository(db),
        leases=TurnLeases(db),
        label=str(path),
        check=db.check,
        clean_up=cleaning,
        close=db.close,
    )
