"""What the conversation layer needs from its host, and what it offers the host.

``bot/`` implements :class:`PartnerRepository` (SQLite, keyed by tenant) and calls a
:class:`ConversationLayer`; neither side imports the other's concrete classes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from botbuilder.core import TurnContext
from botbuilder.schema import ChannelAccount

if TYPE_CHECKING:
    from dialogs.audit import AuditEntry, ChangeOutcome, DataChange


class ConcurrentChange(Exception):
    """Another turn changed the same state or data a moment ago; nothing of this turn was kept.

    Raised by the host's storage (an eTag conflict on conversation state) and by the conversation
    layer (an answer whose question another message answered first). The host tells the user the
    step was not saved and keeps the state the other turn saved.
    """


Document = dict[str, Any]
"""A stored document: a partner profile (RULES.md C.1) or co-sell facts (RULES.md C.4) as a mapping."""


class PartnerRepository(Protocol):
    """Partner data of one tenant at a time. Every write is all or nothing, and is :meth:`change`
    (the change, its extra writes and its audit entries in one transaction: :mod:`dialogs.audit`);
    ``save_*`` and ``update_*`` are :meth:`change` with the turn's actor."""

    async def change(self, change: DataChange) -> ChangeOutcome: ...

    async def audit(
        self, tenant_id: str, *, since: str | None = None, limit: int | None = None
    ) -> list[AuditEntry]:
        """The tenant's audit entries, oldest first (the last ``limit`` at or after ``since``)."""
        ...

    async def load_access(self, tenant_id: str) -> Document | None:
        """The tenant's roles (:func:`dialogs.audit.members`)."""
        ...

    def first_owners(self, tenant_id: str) -> tuple[str, ...]:
        """The owners a setting names for the tenant (Entra object ids)."""
        ...

    async def load_profile(self, tenant_id: str) -> Document | None: ...

    async def save_profile(self, tenant_id: str, profile: Mapping[str, Any]) -> None: ...

    async def update_profile(
        self, tenant_id: str, change: Callable[[Document | None], Document]
    ) -> Document:
        """Read, apply ``change`` and write in one transaction (no lost update); returns the result."""
        ...

    async def load_cosell(self, tenant_id: str) -> Document | None: ...

    async def save_cosell(self, tenant_id: str, facts: Mapping[str, Any]) -> None: ...

    async def update_cosell(
        self, tenant_id: str, change: Callable[[Document | None], Document]
    ) -> Document: ...

    async def load_history(self, tenant_id: str) -> list[Document]:
        """The tenant's monthly history: every kept month score (``scoring.api.MonthScore.to_json``),
        oldest first. Each stored profile adds its months in the same transaction."""
        ...

    async def subscribe(
        self, tenant_id: str, conversation_key: str, reference: Document, lang: str, score_key: str | None
    ) -> bool:
        """Opt a conversation in to notifications (its Bot Framework conversation reference, the
        language, the score it was told last); ``False`` when it already was (then updated)."""
        ...

    async def unsubscribe(self, tenant_id: str, conversation_key: str) -> bool:
        """Opt a conversation out; ``False`` when it was not opted in."""
        ...


class FileTransfer(Protocol):
    """Files in and out of a personal chat, through the host (which bounds them and allows hosts).

    Both raise :class:`kernel.errors.InputError` naming the file for what the user should hear
    (a file too large, a server too slow, a host that is not allowed, a refused upload).
    """

    async def download(self, url: str, name: str) -> bytes:
        """The content of the file ``name`` a user sent, from Teams' download URL."""
        ...

    async def upload(self, url: str, name: str, content: bytes) -> None:
        """Put ``content`` at the upload URL Teams gave when the user accepted the file ``name``."""
        ...


class ConversationLayer(Protocol):
    """Receives the turns the Teams activity handler accepted."""

    async def on_message(self, turn_context: TurnContext, tenant_id: str) -> None:
        """A message or a card submit (empty text, ``value`` set). Saves its own state."""
        ...

    async def on_members_added(
        self, turn_context: TurnContext, tenant_id: str, members: list[ChannelAccount]
    ) -> None:
        """The bot or people were added: welcome them."""
        ...

    async def language(self, turn_context: TurnContext) -> str:
        """``en`` or ``nl`` for this user: their choice, else the activity's locale."""
        ...

    async def reset(self, turn_context: TurnContext) -> None:
        """Clear this user's dialog state in this conversation after a failed turn."""
        ...


@runtime_checkable
class TakesFileConsent(Protocol):
    """A conversation layer that offers files (the export) and hears the answer to the offer."""

    async def on_file_consent(
        self, turn_context: TurnContext, tenant_id: str, response: Mapping[str, Any]
    ) -> None:
        """The user accepted or declined a file the bot offered (``fileConsent/invoke``): ``action``
        (``accept``/``decline``), ``context`` and, when accepted, ``upload_info`` (``name``,
        ``upload_url``, ``content_url``, ``unique_id``, ``file_type``)."""
        ...
