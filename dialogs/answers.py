"""Asking one question: read the tenant's data, find the intent's handler, return its replies.

:class:`Answers` knows no Bot Framework types except the reply :class:`Activity` it returns; the
router (:mod:`dialogs.conversation`) decides which answer a turn gets and sends it. Each intent's
own logic lives with it in :mod:`dialogs.intents`, registered once with what it needs; every number
comes from :mod:`scoring.api` / :mod:`scoring.cosell`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from botbuilder.schema import Activity

from dialogs import intents
from dialogs.cards import answers as cards
from dialogs.intents.changes import PendingUpdate, apply_update
from dialogs.intents.registry import Question, reply, text_reply
from dialogs.ports import Document, PartnerRepository
from dialogs.understanding import Recognition
from kernel.errors import InputError
from kernel.texts import catalog

__all__ = ["Answers", "PendingUpdate", "reply", "text_reply"]


class Answers:
    """One answer per call; ``today`` is injected so tests and the freshness rules agree on the date."""

    def __init__(self, partners: PartnerRepository, today: Callable[[], date]) -> None:
        self.partners = partners
        self.today = today

    async def known_offers(self, tenant: str) -> list[str]:
        facts = await self.partners.load_cosell(tenant)
        offers = (facts or {}).get("offers") or []
        return [str(o["name"]) for o in offers if isinstance(o, Mapping) and o.get("name")]

    async def answer(
        self,
        intent: str,
        recognition: Recognition,
        tenant: str,
        lang: str,
        context: Mapping[str, Any] | None = None,
    ) -> list[Activity]:
        """The reply to a recognised question of ``intent`` (an intent with a handler)."""
        spec = intents.get(intent)
        if spec is None or spec.handler is None:
            raise ValueError(f"no answer for intent {intent}")
        document: Document | None = await self.partners.load_profile(tenant)
        if "profile" in spec.needs and document is None:
            return [reply(cards.no_profile_card(lang))]
        question = Question(intent, recognition, tenant, lang, self.today(), document, context or {},
                            self.partners)
        try:
            return await spec.handler(question)
        except InputError as err:
            return [text_reply(err.render(lang, catalog()))]

    async def apply_update(self, tenant: str, pending: PendingUpdate, lang: str) -> list[Activity]:
        return await apply_update(self.partners, self.today(), tenant, pending, lang)
