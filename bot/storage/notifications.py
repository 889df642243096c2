"""Notifications (:mod:`bot.notify`) in the database: the conversations that opted in, and each
send claimed before it goes out.

A claim is one row whose primary key is (tenant, conversation, kind, period): inserting it succeeds
for the first process only, so a digest goes out at most once per period and conversation, however
many bot processes share the database and whatever restarts in between. A send that fails for a
passing reason gives its claim back (:meth:`release`).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

import asyncpg

from bot.storage.database import Database, _now
from dialogs.ports import Document


@dataclass(frozen=True)
class Subscription:
    """One opted-in conversation: its tenant, key (``<channel>/<conversation id>``), Bot Framework
    conversation reference (JSON), language, and the score key it was last told (or saw at opt-in)."""

    tenant_id: str
    conversation_key: str
    reference: Document
    lang: str
    score_key: str | None


class SqliteNotifications:
    """Subscriptions and claims in the SQLite database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def subscribe(
        self, tenant_id: str, conversation_key: str, reference: Document, lang: str, score_key: str | None
    ) -> bool:
        """Opt a conversation in (``False``: it already was; its reference and language are updated)."""
        data = json.dumps(reference, sort_keys=True)

        def subscribing(conn: sqlite3.Connection) -> bool:
            found = conn.execute(
                "SELECT 1 FROM notification_subscription WHERE tenant_id = ? AND conversation_key = ?",
                (tenant_id, conversation_key),
            ).fetchone()
            conn.execute(
                "INSERT INTO notification_subscription "
                "(tenant_id, conversation_key, reference, lang, score_key, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, conversation_key) "
                "DO UPDATE SET reference = excluded.reference, lang = excluded.lang",
                (tenant_id, conversation_key, data, lang, score_key, _now()),
            )
            return found is None

        return await self._db.transaction(subscribing)

    async def unsubscribe(self, tenant_id: str, conversation_key: str) -> bool:
        """Opt a conversation out (``False``: it was not opted in)."""

        def unsubscribing(conn: sqlite3.Connection) -> bool:
            return bool(conn.execute(
                "DELETE FROM notification_subscription WHERE tenant_id = ? AND conversation_key = ?",
                (tenant_id, conversation_key),
            ).rowcount)

        return await self._db.transaction(unsubscribing)

    async def subscriptions(self) -> list[Subscription]:
        """Every opted-in conversation of every tenant."""
        rows = await self._db.run(lambda conn: conn.execute(
            "SELECT tenant_id, conversation_key, reference, lang, score_key FROM notification_subscription "
            "ORDER BY tenant_id, conversation_key").fetchall())
        return [Subscription(t, k, json.loads(r), lang, s) for t, k, r, lang, s in rows]

    async def claim(self, tenant_id: str, conversation_key: str, kind: str, period: str) -> bool:
        """``True`` for the first claim of this send only, whichever process asks."""

        def claiming(conn: sqlite3.Connection) -> bool:
            return bool(conn.execute(
                "INSERT INTO notification_sent (tenant_id, conversation_key, kind, period, claimed_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (tenant_id, conversation_key, kind, period, _now()),
            ).rowcount)

        return await self._db.transaction(claiming)

    async def release(self, tenant_id: str, conversation_key: str, kind: str, period: str) -> None:
        """Give a claim back after a send that failed for a passing reason."""
        await self._db.transaction(lambda conn: conn.execute(
            "DELETE FROM notification_sent "
            "WHERE tenant_id = ? AND conversation_key = ? AND kind = ? AND period = ?",
            (tenant_id, conversation_key, kind, period)))

    async def told(self, tenant_id: str, conversation_key: str, score_key: str) -> None:
        """Remember the score a conversation was last told."""
        await self._db.transaction(lambda conn: conn.execute(
            "UPDATE notification_subscription SET score_key = ? WHERE tenant_id = ? AND conversation_key = ?",
            (score_key, tenant_id, conversation_key)))


class PostgresNotifications:
    """Subscriptions and claims in PostgreSQL (the same tables and guarantees)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def subscribe(
        self, tenant_id: str, conversation_key: str, reference: Document, lang: str, score_key: str | None
    ) -> bool:
        # xmax = 0 only for a row this statement inserted (not one it updated)
        inserted = await self._pool.fetchval(
            "INSERT INTO notification_subscription "
            "(tenant_id, conversation_key, reference, lang, score_key, created_at) "
            "VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT (tenant_id, conversation_key) "
            "DO UPDATE SET reference = excluded.reference, lang = excluded.lang RETURNING (xmax = 0)",
            tenant_id, conversation_key, json.dumps(reference, sort_keys=True), lang, score_key,
        )
        return bool(inserted)

    async def unsubscribe(self, tenant_id: str, conversation_key: str) -> bool:
        status = await self._pool.execute(
            "DELETE FROM notification_subscription WHERE tenant_id = $1 AND conversation_key = $2",
            tenant_id, conversation_key,
        )
        return bool(status != "DELETE 0")

    async def subscriptions(self) -> list[Subscription]:
        rows = await self._pool.fetch(
            "SELECT tenant_id, conversation_key, reference, lang, score_key FROM notification_subscription "
            "ORDER BY tenant_id, conversation_key"
        )
        return [Subscription(r[0], r[1], json.loads(r[2]), r[3], r[4]) for r in rows]

    async def claim(self, tenant_id: str, conversation_key: str, kind: str, period: str) -> bool:
        status = await self._pool.execute(
            "INSERT INTO notification_sent (tenant_id, conversation_key, kind, period, claimed_at) "
            "VALUES ($1, $2, $3, $4, now()) ON CONFLICT DO NOTHING",
            tenant_id, conversation_key, kind, period,
        )
        return bool(status == "INSERT 0 1")

    async def release(self, tenant_id: str, conversation_key: str, kind: str, period: str) -> None:
        await self._pool.execute(
            "DELETE FROM notification_sent WHERE tenant_id = $1 AND conversation_key = $2 AND kind = $3 "
            "AND period = $4",
            tenant_id, conversation_key, kind, period,
        )

    async def told(self, tenant_id: str, conversation_key: str, score_key: str) -> None:
        await self._pool.execute(
            "UPDATE notification_subscription SET score_key = $1 "
            "WHERE tenant_id = $2 AND conversation_key = $3",
            score_key, tenant_id, conversation_key,
        )
