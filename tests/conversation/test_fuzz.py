"""No turn ever fails: every dialog state × a corpus of odd messages, through the real router.

Each state is reached the way a user reaches it (stored data chosen so that "enter data" or the
co-sell check begins at that very question), then one odd message is sent. Asserted for every pair:

- the bot accepts the turn (HTTP 200/201) and answers something;
- no reply is the host's failure text ("something went wrong") in either language;
- the dialog state is still valid: the next message in that conversation is answered normally
  (the following odd message, or "cancel" before the conversation is left).

A message that moves the dialog on (a number that answers the question, "cancel") leaves the state;
the next message then starts again from that state in a new conversation. A Hypothesis part sends
generated text to the idle bot and to a data-entry question.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kernel.texts import LANGUAGES, catalog
from tests.conversation.helpers import shown
from tests.support.harness import BotHarness, Reply
from tests.support.profiles import CONTOSO

FAILURES = {catalog().text("bot.turn_error.general", lang) for lang in LANGUAGES}

ODD = [
    "", "?", "👍", "🤷‍♀️🔥💯", "0", "7", "-3", "1e400", "10^50", "NaN", "9" * 60, "12,5 mensen", "130k",
    "[99]",
    "<b>bold</b><script>alert(1)</script>", "&nbsp;&lt;&gt;", "'; DROP TABLE partner_document; --", "a" * 300,
    "\u202e\u200b", "\t\r\n", "Tulp Analytics", "Help Desk Pro", "Stop Fraud Suite", "yes", "weet ik niet",
    "MB-335", "31 February", "we now have 100000000000 advanced certified people",
    "what if we add 10^50 deployments", "zet implementaties op -4",
    # typed at a button choice (one line back, not the card again) and implausible counts
    "maybe later", "misschien", "big", "Power BI", "a teams thing", "150000", "250.000", "100001 mensen",
    "what if 150000 people pass PL-600", "and intermediate?", "en volgende maand?",
]
NUMBERISH = ["0", "-3", "1e400", "10^50", "NaN", "9" * 60, "12,5 mensen", "130k", "[99]", "👍", "a" * 300,
             "150000", "100001 mensen"]
"""What differs between data-entry questions is how a number is read: later questions get these."""
INTENT_PHRASES = [
    "help", "what's my score?", "wat is onze score?", "how many more advanced certifications do I need?",
    "what are we missing?", "make a plan", "maak een plan", "what if we add 3 deployments",
    "stel dat we drie implementaties meer hebben", "we now have 5 advanced certified people",
    "zet implementaties op 12", "how does usage growth work?", "leg netto klantgroei uit",
    "does Power BI count?", "which certifications are eligible?", "when does a new customer count?",
    "what does co-sell ready mean?", "wat vereist de Azure IP co-sell incentive?",
    "is my offer co-sell ready?", "enter data", "spreek Nederlands", "speak English", "thanks",
    "how do I import a file", "will our score drop next month?", "is 70 points enough?",
    "are we larger or other market?", "who can change our data?", "export my data",
    "download my profile", "and intermediate?", "why?", "what about deployments?", "cancel",
]
CORPUS = ODD + INTENT_PHRASES

_STORED_ORDER = [
    ("market", "larger"),
    ("net_customer_adds", 7),
    ("intermediate_certified_people", 12),
    ("advanced_certified_people", 3),
    ("consumption_now", 130000),
    ("consumption_12_months_ago", 110000),
    ("deployments_now", 8),
]


def _profile_with(n: int) -> dict[str, Any]:
    """A profile with the first ``n`` inputs of data entry stored, so it asks question n + 1."""
    doc: dict[str, Any] = {"metrics": {}}
    for name, value in _STORED_ORDER[:n]:
        if name == "market":
            doc["market"] = value
        else:
            doc["metrics"][name] = value
    return doc


OFFERS = {
    "partner": {},
    "offers": [
        {"name": "Contoso Insights", "type": "saas"},
        {"name": "Fabrikam Flow", "type": "saas"},
    ],
}


@dataclass
class State:
    """How to reach a dialog state from nothing: stored data, then messages; ``marker`` is a text the
    last reply shows while the state holds."""

    name: str
    profile: dict[str, Any] | None = None
    cosell: dict[str, Any] | None = None
    steps: list[str] = field(default_factory=list)
    marker: str | None = None
    ended_by: tuple[str, ...] = ()
    """Texts (catalog keys) that say the state ended; without them, the marker must be shown again."""
    phrases: bool = False
    """Also send every intent's phrases (each may begin another dialog, so the state is entered anew)."""
    numbers_only: bool = False

    def corpus(self) -> list[str]:
        return NUMBERISH if self.numbers_only else CORPUS if self.phrases else ODD

    def stays(self, text: str, replies: list[str]) -> bool:
        """Whether the state still holds after ``text`` was answered with ``replies``."""
        said = "\n".join(replies)
        if self.ended_by:
            ended = [catalog().text(k, lang, total="")[:12] for k in self.ended_by for lang in LANGUAGES]
            return text not in INTENT_PHRASES and not any(e in said for e in ended)
        if self.marker is None:
            return text not in INTENT_PHRASES
        return self.marker in said


STATES = [
    State("idle", phrases=True),
    State("idle with data", profile=CONTOSO, phrases=True),
    State("pending update", profile=CONTOSO, steps=["we now have 12 deployments"], marker="Save",
          phrases=True, ended_by=("answers.update.saved", "answers.update.discarded", "answers.cancelled")),
    *[State(f"data entry question {n + 1}", profile=_profile_with(n), steps=["enter data"],
            marker="Question 1 of", phrases=n == 2, numbers_only=n > 2) for n in range(8)],
    State("data entry summary", profile=CONTOSO, steps=["enter data"], marker="Confirm to see your score"),
    State("data entry pick a value", profile=CONTOSO, steps=["enter data", "change a value"],
          marker="Which value do you want to change?"),
    State("co-sell choose an offer", cosell=OFFERS, steps=["is my offer co-sell ready?"],
          marker="Which offer shall we check?"),
    State("co-sell name a new offer", steps=["is my offer co-sell ready?"],
          marker="What is the offer called?"),
    State("co-sell offer type", steps=["is Northwind Cloud co-sell ready?"], marker="What type"),
    State("co-sell first question", cosell=OFFERS, steps=["is Contoso Insights co-sell ready?"],
          marker="MPN", phrases=True),
    State("co-sell later question", cosell=OFFERS, steps=["is Contoso Insights co-sell ready?", "yes"],
          marker="?"),
]


class Runner:
    """Sends messages in one state, starting again from the state (a new tenant and conversation)
    when a message left it; a state without a marker (idle) is entered anew for every message."""

    def __init__(self, bot: BotHarness, state: State, prefix: str = "fuzz") -> None:
        self.bot = bot
        self.state = state
        self.prefix = f"{prefix}-{state.name.replace(' ', '-')}"
        self.numbers = itertools.count()
        self.tenant = ""
        self.user = ""
        self.conversation: str | None = None

    async def turn(self, text: str) -> list[Reply]:
        assert self.conversation is not None
        replies = await self.bot.say(text, tenant=self.tenant, user=self.user, conversation=self.conversation)
        said = shown(replies)  # also checks every card against Adaptive Card 1.5
        failed = [r for r in said if any(f in r for f in FAILURES)]
        assert not failed, f"{self.state.name}: {text!r} → {failed}"
        assert replies, f"{self.state.name}: {text!r} got no answer"
        return replies

    async def enter(self) -> None:
        await self.leave()
        number = next(self.numbers)
        self.tenant = f"{self.prefix}-{number}"
        self.user = f"user-{number}"  # "spreek Nederlands" is remembered per user
        self.conversation = f"fuzz:{self.tenant}"
        if self.state.profile is not None:
            await self.bot.seed_profile(self.tenant, self.state.profile)
        if self.state.cosell is not None:
            await self.bot.seed_cosell(self.tenant, self.state.cosell)
        replies: list[Reply] = []
        for step in self.state.steps:
            replies = await self.turn(step)
        if self.state.marker is not None:
            assert self.state.marker in "\n".join(shown(replies)), (self.state.name, shown(replies))

    async def leave(self) -> None:
        """The conversation's state must still load and end normally."""
        if self.conversation is not None:
            await self.turn("cancel")
            self.conversation = None

    async def send(self, text: str) -> None:
        if self.conversation is None:
            await self.enter()
        replies = await self.turn(text)
        if not self.state.stays(text, shown(replies)):
            await self.leave()


@pytest.mark.parametrize("state", STATES, ids=[s.name for s in STATES])
async def test_no_odd_message_fails_a_turn_in_any_state(bot: BotHarness, state: State) -> None:
    runner = Runner(bot, state)
    for text in state.corpus():
        await runner.send(text)
    await runner.leave()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    # NUL and lone surrogates (not UTF-8) are refused at the HTTP edge (400, tests/host),
    # before any turn: not sent here
    text=st.text(st.characters(blacklist_characters="\x00", codec="utf-8"), max_size=300),
    where=st.sampled_from(["idle with data", "data entry question 3", "co-sell first question"]),
)
async def test_generated_text_never_fails_a_turn(bot: BotHarness, text: str, where: str) -> None:
    state = next(s for s in STATES if s.name == where)
    runner = Runner(bot, state, prefix=f"gen{id(text)}")
    await runner.send(text)
    await runner.leave()
