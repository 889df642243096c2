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

Modules, by job: :mod:`.database` (the file, migrations, transactions), :mod:`.state`
(conversation and user state, clean-up), :mod:`.leases` (turn leases), :mod:`.documents` (partner
data).

Every call runs on one worker thread that owns the connection, inside one transaction
(``BEGIN IMMEDIATE``), so a write is all or nothing and a read-modify-write cannot interleave with
another writer, in this process or another (``partnerbot import`` while the bot runs).

The database schema has a version (``PRAGMA user_version``) and ordered migrations; each stored
document carries its own ``doc_version`` so a later document shape can be migrated on read.
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
