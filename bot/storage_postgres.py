"""Shared storage: PostgreSQL for several bot processes (``PARTNERBOT_DATABASE_URL=postgresql://…``).

The same guarantees as the embedded SQLite backend (:mod:`bot.storage`), for processes on several
machines that share one database:

- :class:`PostgresStorage` is the Bot Framework ``Storage`` with the same e_tag rules: a write that
  carries an e_tag is one conditional statement (``UPDATE … WHERE etag = $2``, or an insert that
  only happens while the key is absent), all keys of one write in one transaction, so a stale
  write changes nothing and raises :class:`bot.storage.ETagConflict`. Keys carry the turn's tenant
  as in SQLite (:func:`bot.storage.bind_state_tenant`).
- :class:`PostgresTurnLeases` orders one person's turns across processes with session advisory
  locks on connections this process keeps for them: a killed process's connections close and
  PostgreSQL releases its locks at once, so the survivor does not wait for a lease to expire; a
  turn that waits for another process's is handed the lock when it is released.
- :class:`PostgresPartnerRepository`: profiles and co-sell facts per tenant; an update is one
  transaction under a transaction advisory lock on (tenant, kind), so concurrent updates of a
  document that does not exist yet cannot both create it (the compare-and-set of guided answers
  runs inside it).
- The schema has a version (table ``partnerbot_schema``) and ordered migrations, run under an
  advisory lock so that processes starting together migrate once; a database of a newer partnerbot
  is refused untouched.

The driver is asyncpg, with a connection pool of ``PARTNERBOT_DATABASE_POOL_SIZE`` connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import asyncpg
import jsonpickle
from botbuilder.core import Storage

from bot.history import history_records
from bot.settings import redacted_url as redacted
from bot.storage import Backend
from bot.storage.documents import (
    AUDIT_COLUMNS,
    DOCUMENT_VERSION,
    DocumentRepository,
    Row,
    _check_tenant,
    _decode_document,
    _encode_document,
    audit_entry,
)
from bot.storage.leases import LEASE_SECONDS, LeaseBusy
from bot.storage.notifications import PostgresNotifications
from bot.storage.state import (
    ABSENT_ETAG,
    TOUCH_AFTER,
    ETagConflict,
    _encode_state,
    _etag_of,
    _set_etag,
    _state_prefix,
)
from dialogs.audit import ACCESS, AuditEntry, ChangeOutcome, DataChange
from dialogs.ports import Document
from kernel.errors import InputError

log = logging.getLogger(__name__)

# Ordered schema migrations: version N is reached by running MIGRATIONS[N - 1]. (Version 1 already
# has the tenant in front of state keys: PostgreSQL came after SQLite's schema version 2.)
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE state (
               key TEXT PRIMARY KEY,
               etag TEXT NOT NULL,
               data TEXT NOT NULL,
               updated_at TIMESTAMPTZ NOT NULL,
               used_at TIMESTAMPTZ NOT NULL
           )""",
        "CREATE INDEX state_used_at ON state (used_at)",
        """CREATE TABLE partner_document (
               tenant_id TEXT NOT NULL,
               kind TEXT NOT NULL CHECK (kind IN ('profile', 'cosell')),
               doc_version INTEGER NOT NULL,
               data TEXT NOT NULL,
               updated_at TIMESTAMPTZ NOT NULL,
               PRIMARY KEY (tenant_id, kind)
           )""",
    ),
    (
        # Roles are a third kind of document ('access'); the audit log (append-only, refused by a
        # trigger); extra rows written in a change's transaction (dialogs.audit.Record).
        "ALTER TABLE partner_document DROP CONSTRAINT IF EXISTS partner_document_kind_check",
        """CREATE TABLE audit_entry (
               seq BIGSERIAL PRIMARY KEY,
               change_id TEXT NOT NULL,
               tenant_id TEXT NOT NULL,
               at TEXT NOT NULL,
               actor_id TEXT NOT NULL,
               actor_name TEXT NOT NULL,
               via TEXT NOT NULL,
               kind TEXT NOT NULL,
               path TEXT NOT NULL,
               before TEXT,
               after TEXT,
               undoes BIGINT
           )""",
        "CREATE INDEX audit_entry_tenant ON audit_entry (tenant_id, seq)",
        """CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$""",
        """CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entry
           FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()""",
        """CREATE TABLE partner_record (
               tenant_id TEXT NOT NULL,
               namespace TEXT NOT NULL,
               key TEXT NOT NULL,
               data TEXT NOT NULL,
               updated_at TEXT NOT NULL,
               PRIMARY KEY (tenant_id, namespace, key)
           )""",
    ),
    (
        # Notifications (bot.notify): opted-in conversations and the sends claimed for them.
        """CREATE TABLE notification_subscription (
               tenant_id TEXT NOT NULL,
               conversation_key TEXT NOT NULL,
               reference TEXT NOT NULL,
               lang TEXT NOT NULL,
               score_key TEXT,
               created_at TIMESTAMPTZ NOT NULL,
               PRIMARY KEY (tenant_id, conversation_key)
           )""",
        """CREATE TABLE notification_sent (
               tenant_id TEXT NOT NULL,
               conversation_key TEXT NOT NULL,
               kind TEXT NOT NULL,
               period TEXT NOT NULL,
               claimed_at TIMESTAMPTZ NOT NULL,
               PRIMARY KEY (tenant_id, conversation_key, kind, period)
           )""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

_MIGRATION_LOCK = 0x70617274  # the advisory lock processes take while they check the schema


def _open_error(url: str, err: BaseException) -> InputError:
    reason = str(err) or type(err).__name__
    return InputError(
        f"cannot open the database: {reason}",
        code="bot.database_open",
        params={"reason": reason},
        source=redacted(url),
    )


async def _nothing_to_reset(conn: asyncpg.Connection) -> None:
    """What a connection goes back to the pool with. asyncpg's default sends a reset query (unlock
    advisory locks, close cursors, unlisten, reset settings) on every release, a second round trip
    for each call; the pool's connections never hold any of those (session advisory locks live on
    :class:`PostgresTurnLeases`' own connection, a partner update's lock ends with its
    transaction), so there is nothing to reset."""


class PostgresDatabase:
    """A pool of connections to one PostgreSQL database, its schema brought up to date."""

    def __init__(self, url: str, pool: asyncpg.Pool) -> None:
        self.url = url
        self.pool = pool

    @classmethod
    async def open(cls, url: str, *, pool_size: int = 10, connect_timeout: float = 10.0) -> PostgresDatabase:
        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=1,
                max_size=pool_size,
                timeout=connect_timeout,
                command_timeout=60,
                reset=_nothing_to_reset,
            )
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, ValueError, TimeoutError) as err:
            raise _open_error(url, err) from None
        db = cls(url, pool)
        try:
            await db._migrate()
        except BaseException:
            await pool.close()
            raise
        return db

    async def _migrate(self) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
            await conn.execute("CREATE TABLE IF NOT EXISTS partnerbot_schema (version INTEGER NOT NULL)")
            version = await conn.fetchval("SELECT max(version) FROM partnerbot_schema") or 0
            if version > SCHEMA_VERSION:
                raise InputError(
                    f"the database has schema version {version}; this partnerbot knows up to "
                    f"{SCHEMA_VERSION}",
                    code="bot.database_newer",
                    params={"version": version, "known": SCHEMA_VERSION},
                    source=redacted(self.url),
                )
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[target - 1]:
                    await conn.execute(statement)
                await conn.execute("DELETE FROM partnerbot_schema")
                await conn.execute("INSERT INTO partnerbot_schema (version) VALUES ($1)", target)
                log.info("database %s migrated to schema version %d", redacted(self.url), target)

    async def check(self) -> None:
        """Raise if the database cannot be read (used by ``GET /healthz``)."""
        await self.pool.fetchval("SELECT count(*) FROM partner_document")

    async def clean_up(self, older_than: dt.timedelta) -> int:
        """Delete conversation and user state not read or written for ``older_than`` (partner data
        is not touched); returns the number of rows removed."""
        status = await self.pool.execute("DELETE FROM state WHERE used_at < now() - $1::interval", older_than)
        return int(status.split()[-1])

    async def close(self) -> None:
        await self.pool.close()


# --------------------------------------------------------------------------- state storage


_READ = """
WITH touched AS (
    UPDATE state SET used_at = now() WHERE key = ANY($1::text[]) AND used_at < now() - $2::interval
)
SELECT key, etag, data FROM state WHERE key = ANY($1::text[])
"""
_UPSERT = """
INSERT INTO state (key, etag, data, updated_at, used_at) VALUES ($1, $2, $3, now(), now())
ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, data = excluded.data,
    updated_at = excluded.updated_at, used_at = excluded.used_at
"""
_CREATE = """
INSERT INTO state (key, etag, data, updated_at, used_at) VALUES ($1, $2, $3, now(), now())
ON CONFLICT (key) DO NOTHING
"""
_REPLACE = """
UPDATE state SET etag = $2, data = $3, updated_at = now(), used_at = now() WHERE key = $1 AND etag = $4
"""


async def _write_row(
    conn: asyncpg.Connection, prefix: str, row: tuple[str, str | None, str], new_etags: Mapping[str, str]
) -> None:
    """Write one state row: unconditionally without an e_tag (or ``*``), else only if the stored
    row still has it (or is still absent); :class:`ETagConflict` when it has not."""
    key, expected, data = row
    if expected in (None, "*"):
        await conn.execute(_UPSERT, key, new_etags[key], data)
        return
    if expected == ABSENT_ETAG:
        status = await conn.execute(_CREATE, key, new_etags[key], data)
    else:
        status = await conn.execute(_REPLACE, key, new_etags[key], data, expected)
    if status.split()[-1] != "1":
        raise ETagConflict(key.removeprefix(prefix))


class PostgresStorage(Storage):  # type: ignore[misc]  # the SDK is untyped
    """Bot Framework state storage in PostgreSQL, with e_tag concurrency checks."""

    def __init__(self, db: PostgresDatabase) -> None:
        super().__init__()
        self._db = db

    async def read(self, keys: Sequence[str]) -> dict[str, Any]:
        keys = list(keys or [])
        if not keys:
            return {}
        prefix = _state_prefix()
        stored = {prefix + key: key for key in keys}
        rows = await self._db.pool.fetch(_READ, list(stored), TOUCH_AFTER)
        result: dict[str, Any] = {key: {"e_tag": ABSENT_ETAG} for key in keys}
        for key, etag, data in rows:
            item = jsonpickle.decode(data, keys=True)
            _set_etag(item, etag)
            result[stored[key]] = item
        return result

    async def write(self, changes: Mapping[str, Any]) -> None:
        if changes is None:
            raise TypeError("PostgresStorage.write(): changes are required")
        if not changes:
            return
        prefix = _state_prefix()
        rows = [(prefix + key, _etag_of(item), _encode_state(item)) for key, item in changes.items()]
        new_etags = {prefix + key: uuid.uuid4().hex for key in changes}
        async with self._db.pool.acquire() as conn:
            if len(rows) == 1:  # one statement is its own transaction: one round trip
                await _write_row(conn, prefix, rows[0], new_etags)
            else:
                async with conn.transaction():
                    for row in rows:
                        await _write_row(conn, prefix, row, new_etags)  # a conflict rolls all back
        for key, item in changes.items():
            _set_etag(item, new_etags[prefix + key])

    async def delete(self, keys: Sequence[str]) -> None:
        keys = list(keys or [])
        if not keys:
            return
        prefix = _state_prefix()
        stored = [prefix + key for key in keys]
        await self._db.pool.execute("DELETE FROM state WHERE key = ANY($1::text[])", stored)


# --------------------------------------------------------------------------- turn leases


class PostgresTurnLeases:
    """One person's turns one after the other across processes: a session advisory lock per key.

    A free key is locked with ``pg_try_advisory_lock`` on one connection of this process's own (not
    the pool's), so the locks are released when this process ends, however it ends. Within one
    process the host's own lock already orders the turns of a key, so this connection never asks
    for a key it holds. A key that another process holds is waited for on a connection of a small
    pool of waiters with ``pg_advisory_lock`` under ``lock_timeout``: PostgreSQL hands the lock over
    the moment the other process lets go (asking again every 50 ms, as before, kept a person's
    next message waiting up to that long whenever two processes took turns). Should a connection
    break, the lock it held is gone, and the storage's e_tags still refuse a second writer.
    """

    def __init__(self, db: PostgresDatabase) -> None:
        self._db = db
        self._conn: asyncpg.Connection | None = None
        self._use = asyncio.Lock()
        self._waiters: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()

    async def _query(self, sql: str, key: str) -> bool:
        async with self._use:
            if self._conn is None or self._conn.is_closed():
                self._conn = await asyncpg.connect(self._db.url, timeout=10.0)
            return bool(await self._conn.fetchval(sql, key))

    async def _waiting_room(self) -> asyncpg.Pool:
        async with self._opening:
            if self._waiters is None:
                # asyncpg's reset on release unlocks whatever a waiter still holds (pg_advisory_unlock_all)
                self._waiters = await asyncpg.create_pool(
                    self._db.url, min_size=0, max_size=self._db.pool.get_max_size(), timeout=10.0,
                    command_timeout=None,
                )
            return self._waiters

    @contextlib.asynccontextmanager
    async def hold(self, key: str, *, wait_seconds: float = LEASE_SECONDS) -> AsyncIterator[None]:
        """Hold the lock on ``key`` for the body; :class:`bot.storage.LeaseBusy` after ``wait_seconds``."""
        if await self._query(_TRY_LOCK, key):
            try:
                yield
            finally:
                with contextlib.suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                    await self._query(_UNLOCK, key)
            return
        deadline = time.monotonic() + wait_seconds
        waiters = await self._waiting_room()
        try:
            conn = await waiters.acquire(timeout=max(wait_seconds, 0.001))
        except TimeoutError:
            raise LeaseBusy(key) from None
        try:
            milliseconds = max(1, int((deadline - time.monotonic()) * 1000))
            await conn.execute(f"SET lock_timeout = {milliseconds}")
            try:
                await conn.execute(_LOCK, key)
            except asyncpg.LockNotAvailableError:
                raise LeaseBusy(key) from None
            try:
                yield
            finally:
                with contextlib.suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                    await conn.execute(_UNLOCK, key)
        finally:
            await waiters.release(conn)

    async def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                await self._conn.close(timeout=5.0)
            self._conn = None
        if self._waiters is not None:
            with contextlib.suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                await self._waiters.close()
            self._waiters = None


_TRY_LOCK = "SELECT pg_try_advisory_lock(hashtextextended($1, 0))"
_LOCK = "SELECT pg_advisory_lock(hashtextextended($1, 0))"
_UNLOCK = "SELECT pg_advisory_unlock(hashtextextended($1, 0))"


# --------------------------------------------------------------------------- partner data


_SELECT_DOCUMENT = "SELECT doc_version, data FROM partner_document WHERE tenant_id = $1 AND kind = $2"
_SELECT_DOCUMENTS = (
    "SELECT kind, doc_version, data FROM partner_document WHERE tenant_id = $1 AND kind = ANY($2::text[])"
)
_UPSERT_DOCUMENT = """
INSERT INTO partner_document (tenant_id, kind, doc_version, data, updated_at) VALUES ($1, $2, $3, $4, now())
ON CONFLICT (tenant_id, kind) DO UPDATE SET doc_version = excluded.doc_version, data = excluded.data,
    updated_at = excluded.updated_at
"""


class PostgresPartnerRepository(DocumentRepository):
    """:class:`dialogs.ports.PartnerRepository` in PostgreSQL, keyed by tenant."""

    def __init__(self, db: PostgresDatabase, first_owners: Mapping[str, Sequence[str]] | None = None) -> None:
        super().__init__(first_owners)
        self._db = db

    async def _rows(self, tenant_id: str, kinds: Sequence[str]) -> dict[str, Row]:
        rows = await self._db.pool.fetch(_SELECT_DOCUMENTS, tenant_id, list(kinds))
        return {str(kind): (int(version), str(data)) for kind, version, data in rows}

    async def _change(self, change: DataChange) -> ChangeOutcome:
        tenant, kind = change.tenant_id, change.kind
        async with self._db.pool.acquire() as conn, conn.transaction():
            lock = json.dumps(["partner_document", tenant, kind])
            await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", lock)
            current = await _read(conn, tenant, kind)
            access = current if kind == ACCESS else await _read(conn, tenant, ACCESS)
            applied = self._apply(change, current, access)
            await conn.execute(_UPSERT_DOCUMENT, tenant, kind, DOCUMENT_VERSION, applied.data)
            for record in self._records(change, applied.outcome):
                await conn.execute(
                    "INSERT INTO partner_record (tenant_id, namespace, key, data, updated_at) "
                    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, namespace, key) DO UPDATE SET "
                    "data = excluded.data, updated_at = excluded.updated_at",
                    tenant, record.namespace, record.key, _encode_document(record.data), applied.outcome.at,
                )
            rows = self._audit_rows(applied, change.undoes)
            if rows:
                await conn.executemany(
                    "INSERT INTO audit_entry (change_id, tenant_id, at, actor_id, actor_name, via, kind, "
                    "path, before, after, undoes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                    rows,
                )
        return applied.outcome

    async def audit(
        self, tenant_id: str, *, since: str | None = None, limit: int | None = None
    ) -> list[AuditEntry]:
        _check_tenant(tenant_id)
        rows = await self._db.pool.fetch(
            f"SELECT {AUDIT_COLUMNS} FROM audit_entry WHERE tenant_id = $1 AND at >= $2 "
            "ORDER BY seq DESC LIMIT $3",
            tenant_id, since or "", limit,
        )
        return [audit_entry(tuple(row)) for row in reversed(rows)]

    async def records(self, tenant_id: str, namespace: str) -> dict[str, Document]:
        """The extra rows a change wrote under ``namespace`` (key → data)."""
        _check_tenant(tenant_id)
        rows = await self._db.pool.fetch(
            "SELECT key, data FROM partner_record WHERE tenant_id = $1 AND namespace = $2 ORDER BY key",
            tenant_id, namespace,
        )
        return {str(row[0]): json.loads(row[1]) for row in rows}


async def _read(conn: asyncpg.Connection, tenant_id: str, kind: str) -> Document | None:
    row = await conn.fetchrow(_SELECT_DOCUMENT, tenant_id, kind)
    return None if row is None else _decode_document(kind, int(row[0]), row[1])


async def open_postgres_backend(
    url: str, *, pool_size: int = 10, first_owners: Mapping[str, Sequence[str]] | None = None
) -> Backend:
    db = await PostgresDatabase.open(url, pool_size=pool_size)
    leases = PostgresTurnLeases(db)

    async def closing() -> None:
        await leases.close()
        await db.close()

    partners = PostgresPartnerRepository(db, first_owners)
    partners.notifications = PostgresNotifications(db.pool)
    partners.on_change(history_records)
    return Backend(
        storage=PostgresStorage(db),
        partners=partners,
        leases=leases,
        label=redacted(url),
        check=db.check,
        clean_up=db.clean_up,
        close=closing,
    )
