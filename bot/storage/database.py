"""The embedded SQLite database file (WAL mode): opening, schema migrations, and running work on it.

Every call runs inside one transaction (``BEGIN IMMEDIATE``) when it writes, so a write is all or
nothing and a read-modify-write cannot interleave with another writer, in this process or another
(``partnerbot import`` while the bot runs). The schema has a version (``PRAGMA user_version``) and
ordered migrations.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

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
    (
        # Roles are a third kind of document ('access'): the kind's CHECK goes (SQLite cannot drop
        # a constraint, so the table is rebuilt).
        """CREATE TABLE partner_document_v3 (
               tenant_id TEXT NOT NULL,
               kind TEXT NOT NULL,
               doc_version INTEGER NOT NULL,
               data TEXT NOT NULL,
               updated_at TEXT NOT NULL,
               PRIMARY KEY (tenant_id, kind)
           )""",
        "INSERT INTO partner_document_v3 SELECT tenant_id, kind, doc_version, data, updated_at "
        "FROM partner_document",
        "DROP TABLE partner_document",
        "ALTER TABLE partner_document_v3 RENAME TO partner_document",
        # The audit log: one row per changed field, written in the change's transaction.
        """CREATE TABLE audit_entry (
               seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
               undoes INTEGER
           )""",
        "CREATE INDEX audit_entry_tenant ON audit_entry (tenant_id, seq)",
        # Append-only: the database itself refuses to change or remove an entry.
        """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        # Extra rows written in a change's transaction (dialogs.audit.Record).
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
               created_at TEXT NOT NULL,
               PRIMARY KEY (tenant_id, conversation_key)
           )""",
        """CREATE TABLE notification_sent (
               tenant_id TEXT NOT NULL,
               conversation_key TEXT NOT NULL,
               kind TEXT NOT NULL,
               period TEXT NOT NULL,
               claimed_at TEXT NOT NULL,
               PRIMARY KEY (tenant_id, conversation_key, kind, period)
           )""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


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
