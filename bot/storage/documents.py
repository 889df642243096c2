"""Partner data in the SQLite database: one partner profile (RULES.md C.1) and one set of co-sell
facts (C.4) per tenant, stored as JSON documents that carry their own ``doc_version`` so a later
document shape can be migrated on read."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

from bot.storage.database import Database, _now
from dialogs.ports import Document

log = logging.getLogger(__name__)


DOCUMENT_VERSION = 1
"""Shape version of stored profiles and co-sell facts (RULES.md C.1 / C.4 as of this release)."""

# (kind, from_version) -> function giving the document at from_version + 1.
DOCUMENT_MIGRATIONS: dict[tuple[str, int], Callable[[Document], Document]] = {}

PROFILE = "profile"
COSELL = "cosell"


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
