"""Turn leases: the turns of one person run one after the other, even across bot processes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Protocol

from bot.storage.database import Database
from dialogs.ports import ConcurrentChange

log = logging.getLogger(__name__)


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


class Leases(Protocol):
    """Orders one person's turns across processes (:class:`TurnLeases` and its PostgreSQL twin)."""

    def hold(self, key: str, *, wait_seconds: float = ...) -> AbstractAsyncContextManager[None]: ...
