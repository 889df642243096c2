"""Conversation and user state (the Bot Framework ``Storage``) in the SQLite database.

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
- :func:`remove_unused_state` deletes conversation and user state unused for a while (never
  partner data).
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import datetime as dt
import logging
import sqlite3
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import jsonpickle
from botbuilder.core import Storage

from bot.storage.database import Database, _now
from dialogs.ports import ConcurrentChange

log = logging.getLogger(__name__)


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
