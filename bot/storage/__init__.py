"""Embedded storage: one SQLite file (WAL mode) for conversation state and partner data.

Modules, by job (each says what it guarantees):

- :mod:`.database`: the file, schema migrations, and every call in one transaction
  (``BEGIN IMMEDIATE`` when it writes) on the event loop's thread; another process's write lock
  is waited for with short asynchronous retries;
- :mod:`.state`: :class:`SqliteStorage`, the Bot Framework ``Storage`` with e_tag concurrency and
  state kept per tenant, and the clean-up of unused state;
- :mod:`.leases`: :class:`TurnLeases`, one person's turns one after the other across processes;
- :mod:`.documents`: :class:`SqlitePartnerRepository`, the partner documents (RULES.md C.1, C.4)
  with the one change path and its append-only audit log;
- :mod:`.notifications`: opted-in conversations and the sends claimed for them.

:class:`Backend` bundles what the host uses; :func:`bot.backends.open_backend` opens SQLite, or
PostgreSQL when ``PARTNERBOT_DATABASE_URL`` is set (:mod:`bot.storage_postgres`, with the same
guarantees).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from botbuilder.core import Storage

from bot.history import history_records
from bot.storage.database import BUSY_SECONDS, MIGRATIONS, SCHEMA_VERSION, Database
from bot.storage.documents import (
    DOCUMENT_MIGRATIONS,
    DOCUMENT_VERSION,
    DocumentRepository,
    SqlitePartnerRepository,
)
from bot.storage.leases import LEASE_POLL_SECONDS, LEASE_SECONDS, LeaseBusy, Leases, TurnLeases
from bot.storage.notifications import SqliteNotifications
from bot.storage.state import (
    ABSENT_ETAG,
    DEFAULT_STATE_TENANT,
    LEGACY_SCOPE,
    TOUCH_AFTER,
    ETagConflict,
    SqliteStorage,
    StateScopeMissing,
    bind_state_tenant,
    clean_up,
    remove_unused_state,
    state_scope,
)
from dialogs.audit import COSELL, PROFILE

__all__ = [
    "ABSENT_ETAG",
    "BUSY_SECONDS",
    "COSELL",
    "DEFAULT_STATE_TENANT",
    "DOCUMENT_MIGRATIONS",
    "DOCUMENT_VERSION",
    "LEASE_POLL_SECONDS",
    "LEASE_SECONDS",
    "LEGACY_SCOPE",
    "MIGRATIONS",
    "PROFILE",
    "SCHEMA_VERSION",
    "TOUCH_AFTER",
    "Backend",
    "Database",
    "DocumentRepository",
    "ETagConflict",
    "LeaseBusy",
    "Leases",
    "SqlitePartnerRepository",
    "SqliteStorage",
    "StateScopeMissing",
    "TurnLeases",
    "bind_state_tenant",
    "clean_up",
    "open_sqlite_backend",
    "remove_unused_state",
    "state_scope",
]


@dataclass(frozen=True)
class Backend:
    """What the host needs from its database, whichever engine keeps it."""

    storage: Storage
    partners: DocumentRepository
    leases: Leases
    label: str
    """Where the data is, for messages (a file path, or a URL without its password)."""
    check: Callable[[], Awaitable[None]]
    """Raises if the database cannot be read (``GET /healthz``)."""
    clean_up: Callable[[dt.timedelta], Awaitable[int]]
    """Removes conversation and user state unused for the given time; returns the rows removed."""
    close: Callable[[], Awaitable[None]]


async def open_sqlite_backend(
    path: Path, *, first_owners: Mapping[str, Sequence[str]] | None = None
) -> Backend:
    db = await Database.open(path)

    async def cleaning(older_than: dt.timedelta) -> int:
        return await clean_up(db, older_than)

    partners = SqlitePartnerRepository(db, first_owners)
    partners.notifications = SqliteNotifications(db)
    partners.on_change(history_records)
    return Backend(
        storage=SqliteStorage(db),
        partners=partners,
        leases=TurnLeases(db),
        label=str(path),
        check=db.check,
        clean_up=cleaning,
        close=db.close,
    )
