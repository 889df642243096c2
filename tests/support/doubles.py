"""A small conversation layer for host tests: real SDK state on the host's storage, no dialogs.

It implements :class:`dialogs.ports.ConversationLayer` with a few commands, so host tests can see
state, partner data, tenants and errors through HTTP without depending on the real dialogs:

- any text → ``"echo: <text> #<n> tenant=<tenant>"`` where ``n`` counts this conversation's turns
  (conversation state, saved every turn);
- ``"save profile <name>"`` → stores ``{"partner": <name>, "market": "other"}`` for the tenant;
- ``"profile?"`` → ``"profile: <name>"`` or ``"profile: none"``;
- ``"taal nl"`` → the user's language becomes Dutch (user state);
- ``"boom"`` → raises ``RuntimeError`` (the host's turn-error path);
- ``"bad input"`` → raises :class:`kernel.errors.InputError`;
- ``"slow"`` → reads the turn counter, waits until :attr:`EchoConversation.slow_gate` opens, then
  writes it (two of these at once make an e_tag conflict);
- a card submit → ``"submitted: <verb>"`` with the card's value.
"""

from __future__ import annotations

import asyncio
from typing import Any

from botbuilder.core import ConversationState, Storage, TurnContext, UserState
from botbuilder.schema import ChannelAccount

from dialogs.ports import ConversationLayer, PartnerRepository
from dialogs.turn import begin_turn, submit_value, submitted_text
from kernel.errors import InputError
from kernel.texts import language_from_locale


class EchoConversation:
    def __init__(self, storage: Storage, partners: PartnerRepository) -> None:
        self.conversation_state = ConversationState(storage)
        self.user_state = UserState(storage)
        self.partners = partners
        self._turns = self.conversation_state.create_property("turns")
        self._language = self.user_state.create_property("language")
        self.slow_gate = asyncio.Event()
        self.slow_arrived = 0
        self.welcomed: list[tuple[str, list[str]]] = []

    async def language(self, turn_context: TurnContext) -> str:
        chosen = await self._language.get(turn_context, None)
        return str(chosen) if chosen else language_from_locale(turn_context.activity.locale)

    async def on_message(self, turn_context: TurnContext, tenant_id: str) -> None:
        begin_turn(turn_context, tenant_id, await self.language(turn_context))
        value = submit_value(turn_context)
        text = submitted_text(turn_context)
        if value is not None and not (turn_context.activity.text or "").strip():
            await turn_context.send_activity(f"submitted: {value['verb']}")
            return
        if text == "boom":
            raise RuntimeError("the double failed on purpose (developer text the user must not see)")
        if text == "bad input":
            raise InputError("that is not a number", code="invalid", field="advanced_certified_people")
        if text.startswith("save profile "):
            name = text.removeprefix("save profile ")
            await self.partners.save_profile(tenant_id, {"partner": name, "market": "other"})
            await turn_context.send_activity(f"saved: {name}")
            return
        if text == "profile?":
            profile = await self.partners.load_profile(tenant_id)
            await turn_context.send_activity(f"profile: {profile['partner'] if profile else 'none'}")
            return
        if text == "taal nl":
            await self._language.set(turn_context, "nl")
            await self.user_state.save_changes(turn_context)
            await turn_context.send_activity("taal: nl")
            return
        turns = int(await self._turns.get(turn_context) or 0) + 1
        if text == "slow":
            self.slow_arrived += 1
            await self.slow_gate.wait()
        await self._turns.set(turn_context, turns)
        await self.conversation_state.save_changes(turn_context)
        await turn_context.send_activity(f"echo: {text} #{turns} tenant={tenant_id}")

    async def on_members_added(
        self, turn_context: TurnContext, tenant_id: str, members: list[ChannelAccount]
    ) -> None:
        self.welcomed.append((tenant_id, [m.id for m in members]))
        await turn_context.send_activity(f"welcome tenant={tenant_id}")

    async def reset(self, turn_context: TurnContext) -> None:
        await self.conversation_state.clear_state(turn_context)
        await self.conversation_state.save_changes(turn_context)


def echo_conversation(storage: Storage, partners: PartnerRepository) -> ConversationLayer:
    layer: Any = EchoConversation(storage, partners)
    return layer
