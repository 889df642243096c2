"""Partner data in memory: :class:`dialogs.ports.PartnerRepository` for the card samples, which
render real conversations without a database. Every write is :meth:`MemoryPartners.change`, as in
the real engines; it keeps no audit log and checks no roles."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from dialogs import audit
from dialogs.ports import Document


class MemoryPartners:
    """:class:`dialogs.ports.PartnerRepository` in dicts (copies in and out, like a database)."""

    def __init__(self) -> None:
        self.documents: dict[tuple[str, str], Document] = {}

    async def change(self, change: audit.DataChange) -> audit.ChangeOutcome:
        key = (change.tenant_id, change.kind)
        before = copy.deepcopy(self.documents.get(key))
        after = copy.deepcopy(change.compute(copy.deepcopy(before)))
        self.documents[key] = after
        return audit.ChangeOutcome(change.tenant_id, change.kind, change.actor, before, copy.deepcopy(after),
                                   audit.diff(before, after), "")

    async def _load(self, tenant_id: str, kind: str) -> Document | None:
        return copy.deepcopy(self.documents.get((tenant_id, kind)))

    async def load_profile(self, tenant_id: str) -> Document | None:
        return await self._load(tenant_id, audit.PROFILE)

    async def save_profile(self, tenant_id: str, profile: Mapping[str, Any]) -> None:
        await self.change(audit.DataChange(tenant_id, audit.PROFILE, lambda _: dict(profile)))

    async def update_profile(self, tenant_id: str, change: Callable[[Document | None], Document]) -> Document:
        return (await self.change(audit.DataChange(tenant_id, audit.PROFILE, change))).after

    async def load_cosell(self, tenant_id: str) -> Document | None:
        return await self._load(tenant_id, audit.COSELL)

    async def save_cosell(self, tenant_id: str, facts: Mapping[str, Any]) -> None:
        await self.change(audit.DataChange(tenant_id, audit.COSELL, lambda _: dict(facts)))

    async def update_cosell(self, tenant_id: str, change: Callable[[Document | None], Document]) -> Document:
        return (await self.change(audit.DataChange(tenant_id, audit.COSELL, change))).after

    async def audit(self, tenant_id: str, *, since: str | None = None,
                    limit: int | None = None) -> list[audit.AuditEntry]:
        return []

    async def load_access(self, tenant_id: str) -> Document | None:
        return await self._load(tenant_id, audit.ACCESS)

    def first_owners(self, tenant_id: str) -> tuple[str, ...]:
        return ()

    async def load_history(self, tenant_id: str) -> list[Document]:
        return []  # the samples show no history card

    async def subscribe(self, tenant_id: str, conversation_key: str, reference: Document, lang: str,
                        score_key: str | None) -> bool:
        return True  # the samples send no notifications

    async def unsubscribe(self, tenant_id: str, conversation_key: str) -> bool:
        return False
