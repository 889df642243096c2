"""Every card kind the bot sends, in English and Dutch, written to a folder from sample data.

    python3 dev.py cards OUT_DIR            # or: .venv/bin/python -m dialogs.cards.samples OUT_DIR

The cards are not built by hand here: scripted conversations run through the real conversation
layer (:mod:`dialogs.conversation`: router, answers, guided dialogs) in memory, with sample partner
data, a fixed date and a card-less in-memory host. Each Adaptive Card a turn sends is written as
``<lang>-<nn>-<name>.json`` (the card itself), so the folder can be checked with Microsoft's
renderer (see the README, "Checking the cards"). This is the one module of :mod:`dialogs.cards` that
runs the conversation; nothing else imports it.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from botbuilder.core import BotAdapter, MemoryStorage, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount, ResourceResponse

from dialogs.ports import Document

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
TODAY = date(2023, 5, 22)  # the 2022 rules (markets, co-sell 2022) are in force; the profiles name them
LOCALES = {"en": "en-US", "nl": "nl-NL"}

CONTOSO: Document = {
    "partner": "Contoso Ltd",
    "market": "larger",
    "rules": "bizapps-2022",
    "evaluated_month": "2026-10",
    "metrics": {
        "qualifying_workloads_now": 40,
        "qualifying_workloads_12_months_ago": 33,
        "intermediate_certified_people": 12,
        "advanced_certified_people": 3,
        "consumption_now": 130000,
        "consumption_12_months_ago": 110000,
        "deployments_now": 8,
        "deployments_12_months_ago": 4,
    },
}
"""Not designated: 51.61 of 100 (the README's example)."""
FABRIKAM: Document = {
    "partner": "Fabrikam BV",
    "market": "other",
    "rules": "bizapps-2022",
    "evaluated_month": "2026-10",
    "metrics": {
        "qualifying_workloads_now": 30,
        "qualifying_workloads_12_months_ago": 20,
        "intermediate_certified_people": 15,
        "advanced_certified_people": 6,
        "consumption_now": 90000,
        "consumption_12_months_ago": 60000,
        "deployments_now": 11,
        "deployments_12_months_ago": 3,
    },
}
"""Designated, in other markets."""
NORTHWIND: Document = {
    "partner": "Northwind Traders",
    "market": "larger",
    "rules": "bizapps-2022",
    "evaluated_month": "2026-10",
    "metrics": {
        "intermediate_certified_people": 4,
        "advanced_certified_people": 0,
        "deployments_now": 2,
        "deployments_12_months_ago": 2,
    },
}
"""Half entered: net customer adds and consumption still unknown, so the verdict is open."""
COSELL: Document = {
    "partner": {
        "partner_id": True,
        "business_profile": True,
        "gold_competency": None,
        "azure_consumed_revenue_12m_usd": None,
    },
    "offers": [
        {"name": "Contoso Insights", "type": "saas", "published_live": True, "transactable": True},
        {"name": "Contoso Sync for Teams", "type": "teams_app", "published_live": True},
    ],
}


class MemoryPartners:
    """:class:`dialogs.ports.PartnerRepository` in a dict (copies in and out, like a database)."""

    def __init__(self) -> None:
        self.profiles: dict[str, Document] = {}
        self.cosell: dict[str, Document] = {}

    async def load_profile(self, tenant_id: str) -> Document | None:
        return copy.deepcopy(self.profiles.get(tenant_id))

    async def save_profile(self, tenant_id: str, profile: Mapping[str, Any]) -> None:
        self.profiles[tenant_id] = copy.deepcopy(dict(profile))

    async def update_profile(self, tenant_id: str, change: Callable[[Document | None], Document]) -> Document:
        self.profiles[tenant_id] = copy.deepcopy(change(await self.load_profile(tenant_id)))
        return copy.deepcopy(self.profiles[tenant_id])

    async def load_cosell(self, tenant_id: str) -> Document | None:
        return copy.deepcopy(self.cosell.get(tenant_id))

    async def save_cosell(self, tenant_id: str, facts: Mapping[str, Any]) -> None:
        self.cosell[tenant_id] = copy.deepcopy(dict(facts))

    async def update_cosell(self, tenant_id: str, change: Callable[[Document | None], Document]) -> Document:
        self.cosell[tenant_id] = copy.deepcopy(change(await self.load_cosell(tenant_id)))
        return copy.deepcopy(self.cosell[tenant_id])


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


@dataclass
class Step:
    """One user turn: typed ``say`` or a click on the button (or choice) whose submit text is ``click``.

    ``names`` name the cards the turn sends, in order (``""``: not dumped, already shown elsewhere).
    """

    say: str | None = None
    click: str | None = None
    names: Sequence[str] = ()
    welcome: bool = False
    verb: str | None = None
    """A submit with this verb (an intent) and ``say`` as its text, as a menu button sends it."""


@dataclass
class Script:
    tenant: str
    steps: Sequence[Step]
    profile: Document | None = None
    cosell: Document | None = None
    user: str = "user-1"


@dataclass
class Sample:
    name: str
    card: dict[str, Any]


def _texts(lang: str, en: str, nl: str) -> str:
    return en if lang == "en" else nl


def scripts(lang: str) -> list[Script]:
    """The conversations that together send every card kind, in ``lang``."""

    def s(en: str, nl: str) -> str:
        return _texts(lang, en, nl)

    return [
        Script(
            "new",
            [
                Step(welcome=True, names=["welcome"]),
                Step(say="help", names=["help"]),
                Step(say=s("what's my score?", "wat is mijn score?"), names=["no-profile"]),
                Step(click="import", names=["import-help"]),
                Step(say=s("deployments", "implementaties"), names=["did-you-mean"]),
                Step(
                    say=s("how does usage growth work?", "hoe werkt verbruiksgroei?"),
                    names=["explain-no-profile"],
                ),
            ],
        ),
        Script(
            "contoso",
            [
                Step(say=s("what's my score?", "wat is mijn score?"), names=["scorecard-not-met"]),
                Step(
                    say=s(
                        "how many more advanced certifications do I need?",
                        "hoeveel geavanceerde certificeringen heb ik nog nodig?",
                    ),
                    names=["gap-one-metric"],
                ),
                Step(say=s("what are we missing?", "wat ontbreekt er nog?"), names=["gap-all-metrics"]),
                Step(say=s("make a plan", "maak een plan"), names=["plan"]),
                Step(
                    say=s(
                        "what if we certify 2 more people as advanced and add 3 deployments?",
                        "wat als we 2 geavanceerde certificeringen en 3 implementaties toevoegen?",
                    ),
                    names=["what-if"],
                ),
                Step(
                    say=s(
                        "we now have 5 advanced certified people",
                        "we hebben nu 5 geavanceerd gecertificeerde mensen",
                    ),
                    names=["update"],
                ),
                Step(click="update_confirm", names=["update-saved-scorecard"]),
                Step(
                    say=s("how does usage growth work?", "hoe werkt verbruiksgroei?"),
                    names=["explain-metric"],
                ),
                Step(say=s("how does the score work?", "hoe werkt de score?"), names=["explain-rule"]),
                Step(
                    say=s(
                        "we added a customer on 10 March, when does it show up?",
                        "we hebben op 10 maart een klant toegevoegd, wanneer telt die mee?",
                    ),
                    names=["when-it-counts"],
                ),
                Step(say=s("does Power BI count?", "telt Power BI mee?"), names=["what-counts-workload"]),
                Step(
                    say=s("which certifications are eligible?", "welke certificeringen tellen mee?"),
                    names=["what-counts-certifications"],
                ),
                Step(
                    say=s(
                        "what is the rate for Business Central?", "wat is het tarief voor Business Central?"
                    ),
                    names=["what-counts-rate"],
                ),
                Step(
                    say=s("what does co-sell ready mean?", "wat betekent co-sell ready?"),
                    names=["cosell-explain-status"],
                ),
                Step(
                    say=s(
                        "what does the Azure IP co-sell incentive require?",
                        "wat vereist de Azure IP co-sell incentive?",
                    ),
                    names=["cosell-explain-incentive"],
                ),
                Step(say=s("language", "taal"), names=["language"]),
                Step(
                    verb="forecast",
                    say=s("will our score drop next month?", "daalt onze score volgende maand?"),
                    names=["forecast"],
                ),
                Step(
                    verb="threshold",
                    say=s("is 70 points enough?", "zijn 70 punten genoeg?"),
                    names=["threshold"],
                ),
                Step(
                    verb="market",
                    say=s("are we larger or other markets?", "zijn we grotere of andere markten?"),
                    names=["market"],
                ),
                Step(
                    verb="access",
                    say=s("who can change our data?", "wie kan onze gegevens wijzigen?"),
                    names=["access"],
                ),
                Step(verb="export", say=s("export my data", "exporteer mijn gegevens"), names=["export"]),
            ],
            profile=CONTOSO,
        ),
        Script(
            "fabrikam",
            [
                Step(say=s("what's my score?", "wat is mijn score?"), names=["scorecard-met"]),
                Step(say=s("make a plan", "maak een plan"), names=["plan-done"]),
            ],
            profile=FABRIKAM,
        ),
        Script(
            "northwind",
            [
                Step(say=s("what's my score?", "wat is mijn score?"), names=["scorecard-open"]),
                Step(say=s("enter data", "gegevens invoeren"), names=["entry-net-adds"]),
                Step(say=s("a lot", "heel veel"), names=["entry-refused-not-a-number"]),
                Step(click="counts", names=["entry-workloads-now"]),
                Step(say="40", names=["entry-workloads-ago"]),
                Step(say="-3", names=["entry-refused-negative"]),
                Step(say="33", names=["entry-consumption-now"]),
                Step(say="130k", names=["entry-consumption-ago"]),
                Step(say="110000", names=["entry-summary"]),
                Step(say=s("maybe", "misschien"), names=["entry-summary-refused"]),
                Step(click="change", names=["entry-change-pick"]),
                Step(say="xyz", names=["entry-change-pick-refused"]),
                Step(say="1", names=["entry-market-change"]),
                Step(say=s("somewhere", "ergens"), names=["entry-market-refused"]),
                Step(click="other", names=["entry-summary-after-change"]),
                Step(click="yes", names=["entry-done-scorecard"]),
            ],
            profile=NORTHWIND,
        ),
        Script(
            "fresh",
            [
                Step(say=s("enter data", "gegevens invoeren"), names=["entry-market"]),
                Step(click="larger", names=["entry-net-adds-first"]),
                Step(say="7", names=["entry-intermediate"]),
                Step(say="12", names=["entry-advanced"]),
                Step(say="3", names=["entry-consumption-now-first"]),
                Step(say="cancel", names=[]),
                Step(
                    say=s("is my offer co-sell ready?", "is mijn aanbieding klaar voor co-sell?"),
                    names=["cosell-name"],
                ),
                Step(say="Contoso Insights", names=["cosell-offer-type"]),
                Step(say=s("a spaceship", "een ruimteschip"), names=["cosell-offer-type-refused"]),
                Step(say="SaaS", names=["cosell-question-1"]),
                Step(click="yes", names=["cosell-question-2"]),
                Step(say=s("perhaps", "misschien"), names=["cosell-question-refused"]),
                Step(click="yes", names=["cosell-question-3"]),
                Step(click="yes", names=["cosell-question-4"]),
                Step(click="yes", names=["cosell-question-5"]),
                Step(click="unknown", names=["cosell-question-6"]),
                Step(click="yes", names=["cosell-question-revenue"]),
                Step(say="250000", names=["cosell-question-8"]),
                Step(click="yes", names=["cosell-question-9"]),
                Step(click="yes", names=["cosell-checklist"]),
            ],
        ),
        Script(
            "cosell",
            [
                Step(
                    say=s("is my offer co-sell ready?", "is mijn aanbieding klaar voor co-sell?"),
                    names=["cosell-pick-offer"],
                ),
                Step(say=s("the other one", "de andere"), names=["cosell-pick-refused"]),
                Step(say="Contoso Sync for Teams", names=["cosell-checklist-not-eligible"]),
                Step(
                    say=s("is Contoso Insights co-sell ready?", "is Contoso Insights klaar voor co-sell?"),
                    names=["cosell-insights-question-1"],
                ),
                Step(click="no", names=["cosell-insights-question-2"]),
                Step(click="no", names=["cosell-insights-question-3"]),
                Step(click="no", names=["cosell-later"]),
                Step(click="yes", names=["cosell-planning-ahead"]),
                Step(click="no", names=["cosell-planning-ahead-2"]),
                Step(click="stop", names=["cosell-checklist-stopped"]),
            ],
            cosell=COSELL,
        ),
    ]


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


if __name__ == "__main__":
    sys.exit(main())
