"""Every card kind the bot sends, in English and Dutch, written to a folder from sample data.

    python3 dev.py cards OUT_DIR            # or: .venv/bin/python -m dialogs.cards.samples OUT_DIR

The cards are not built by hand here: scripted conversations run through the real conversation
layer (:mod:`dialogs.conversation`: router, answers, guided dialogs) in memory, with sample partner
data, a fixed date and a card-less in-memory host. Each Adaptive Card a turn sends is written as
``<lang>-<nn>-<name>.json`` (the card itself), so the folder can be checked with Microsoft's
renderer (see the README, "Checking the cards"). This is the one package of :mod:`dialogs.cards` that
runs the conversation; nothing else imports it. The sample data is in :mod:`.data`, the
conversations in :mod:`.scripts`; this module runs them and writes the cards.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from botbuilder.core import BotAdapter, MemoryStorage, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount, ResourceResponse

from dialogs.cards.samples.data import MemoryPartners
from dialogs.cards.samples.scripts import Script, scripts

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
TODAY = date(2023, 5, 22)  # the 2022 rules (markets, co-sell 2022) are in force; the profiles name them
LOCALES = {"en": "en-US", "nl": "nl-NL"}


@dataclass
class Sample:
    name: str
    card: dict[str, Any]


class _Host(BotAdapter):  # type: ignore[misc]  # the SDK is untyped
    """Keeps what a turn sends instead of posting it to a channel."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Activity] = []

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        self.sent.extend(activities)
        return [ResourceResponse(id=str(len(self.sent) + i)) for i in range(len(activities))]

    async def update_activity(self, context: TurnContext, activity: Activity) -> None:
        raise NotImplementedError

    async def delete_activity(self, context: TurnContext, reference: Any) -> None:
        raise NotImplementedError


def _message(
    script: Script, lang: str, conversation: str, text: str | None, value: Mapping[str, Any] | None
) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        id="m",
        channel_id="msteams",
        service_url="https://smba.example/",
        locale=LOCALES[lang],
        text=text,
        value=dict(value) if value is not None else None,
        from_property=ChannelAccount(id=script.user, name="Admin"),
        recipient=ChannelAccount(id="28:partnerbot", name="Partner score"),
        conversation=ConversationAccount(id=conversation, conversation_type="personal"),
    )


def _cards(activities: Sequence[Activity]) -> list[dict[str, Any]]:
    return [
        dict(a.content)
        for activity in activities
        for a in (activity.attachments or [])
        if a.content_type == ADAPTIVE_CARD and isinstance(a.content, dict)
    ]


def _submits(node: Any) -> list[dict[str, Any]]:
    """The submit ``data`` of a card's buttons, and of each choice of a choice set (its value as ``id``)."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "Action.Submit" and isinstance(node.get("data"), dict):
            found.append(node["data"])
        for value in node.values():
            found += _submits(value)
    elif isinstance(node, list):
        for item in node:
            found += _submits(item)
    return found


def _choices(node: Any) -> list[tuple[str, Any]]:
    """``(input id, value)`` of every choice of every Input.ChoiceSet."""
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "Input.ChoiceSet":
            found += [(str(node["id"]), c.get("value")) for c in node.get("choices", [])]
        for value in node.values():
            found += _choices(value)
    elif isinstance(node, list):
        for item in node:
            found += _choices(item)
    return found


def _click(cards: Sequence[dict[str, Any]], wanted: str, lang: str) -> dict[str, Any]:
    """The submit a user sends by clicking the button (or picking the choice) that stands for ``wanted``:
    a router verb (``update_confirm``, ``import``) or a guided answer word (``yes``, ``counts``)."""
    from kernel.texts import catalog

    said = catalog().text(f"guided.say.{wanted}", lang) if catalog().has(f"guided.say.{wanted}") else wanted
    for card in reversed(cards):
        for data in _submits(card):
            verb = str(data.get("verb", ""))
            if verb == wanted or verb.startswith(wanted + "_") or str(data.get("text", "")) == said:
                return dict(data)
        for input_id, value in _choices(card):
            if str(value) == said:
                submit = next(d for d in _submits(card))
                return {**submit, input_id: value}
    raise LookupError(f"no button for {wanted!r} on the last cards")


async def _run(script: Script, lang: str) -> list[Sample]:
    from dialogs.conversation import Conversation

    partners = MemoryPartners()
    tenant = f"samples-{script.tenant}"
    if script.profile is not None:
        await partners.save_profile(tenant, script.profile)
    if script.cosell is not None:
        await partners.save_cosell(tenant, script.cosell)
    conversation = Conversation(MemoryStorage(), partners, today=lambda: TODAY)
    host = _Host()
    samples: list[Sample] = []
    last: list[dict[str, Any]] = []
    for number, step in enumerate(script.steps, start=1):
        host.sent.clear()
        where = f"{script.tenant} step {number}"
        if step.welcome:
            activity = _message(script, lang, script.tenant, None, None)
            activity.type = ActivityTypes.conversation_update
            activity.members_added = [activity.recipient]
            await conversation.on_members_added(TurnContext(host, activity), tenant, activity.members_added)
        else:
            value = _click(last, step.click, lang) if step.click else None
            said = step.say
            if step.verb:
                value, said = {"verb": step.verb, "text": step.say}, None
            context = TurnContext(host, _message(script, lang, script.tenant, said, value))
            await conversation.on_message(context, tenant)
        cards = _cards(host.sent)
        if len(cards) != len(step.names):
            shown = [a.text or "(card)" for a in host.sent]
            raise AssertionError(
                f"{where} ({step.say or step.click}): {len(cards)} cards, expected "
                f"{len(step.names)}; sent {shown}"
            )
        samples += [Sample(name, card) for name, card in zip(step.names, cards, strict=True) if name]
        last = cards or last
    return samples


def collect(langs: Sequence[str] = ("en", "nl")) -> list[Sample]:
    """Every sample card, named ``<lang>-<nn>-<name>`` in the order the scripts send them."""
    result: list[Sample] = []
    for lang in langs:
        count = 0
        for script in scripts(lang):
            for sample in asyncio.run(_run(script, lang)):
                count += 1
                result.append(Sample(f"{lang}-{count:02d}-{sample.name}", sample.card))
    return result


def write(folder: Path, samples: Sequence[Sample]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):
        if re.fullmatch(r"(en|nl)-\d\d-[a-z0-9-]+\.json", old.name):
            old.unlink()
    paths = []
    for sample in samples:
        path = folder / f"{sample.name}.json"
        path.write_text(json.dumps(sample.card, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1 or args[0].startswith("-"):
        print(
            "usage: python3 dev.py cards OUT_DIR   (writes every card kind, en and nl, as JSON)",
            file=sys.stderr,
        )
        return 2
    paths = write(Path(args[0]), collect())
    print(f"wrote {len(paths)} cards to {args[0]}")
    return 0
