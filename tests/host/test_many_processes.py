"""Two ``partnerbot serve`` processes on one PostgreSQL database, as behind a load balancer.

Six people each run the data-entry dialog and a co-sell walkthrough, their messages going to the
two processes in turn; then bursts of two answers at once (one to each process), and a kill -9 of
one process in the middle of a burst. Afterwards:
- every answer a person was told was saved ("Saved: … = v", as posted to the channel) is what the
  dialog's summary shows, unless a later acknowledged answer to the same question replaced it;
- the dialogs never skipped or repeated a question (each answer moves to the next one), and no
  turn was told of a conflict or an error;
- the surviving process finishes every dialog.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest

from kernel.texts import catalog
from tests.guided.test_http import shown
from tests.support.harness import FakeConnector, RemoteBot, ServerProcess

PEOPLE = 6
QUESTION = re.compile(r"Question (\d) of 8\n([^\n]+)")
SAVED = re.compile(r"^Saved: (.+) = (.+)\.$", re.M)


ANSWERS = (
    "Track",
    "Net customer adds",
    "Intermediate certified people",
    "Advanced certified people",
    "Monthly consumption value now",
    "Monthly consumption value 12 months ago",
    "Deployments now",
    "Deployments 12 months ago",
)


def answer(label: str, person: int) -> str:
    """The answer a person gives to the question ``label`` (no two people give the same numbers, so
    that an answer that lands in another person's dialog would show)."""
    values = {
        "Track": "enterprise",  # the 2023 rules (in force today) ask the track first
        "Net customer adds": str(7 + 100 * person),
        "Intermediate certified people": str(10 + 100 * person),
        "Advanced certified people": str(20 + 100 * person),
        "Monthly consumption value now": f"{140 + person},000",
        "Monthly consumption value 12 months ago": f"{110 + person},000",
        "Deployments now": str(30 + 100 * person),
        "Deployments 12 months ago": str(40 + 100 * person),
    }
    return values[label]


def _question(texts: list[str]) -> tuple[int, str] | None:
    for text in reversed(texts):
        found = QUESTION.search(text)
        if found:
            return int(found.group(1)), found.group(2)
    return None


class Person:
    def __init__(self, number: int, processes: list[RemoteBot]) -> None:
        self.number = number
        self.tenant = f"t{number}"
        self.processes = processes
        self.sent = 0

    def activity(self, text: str, **kwargs: Any) -> dict[str, Any]:
        return self.processes[0].activity(text=text, tenant=self.tenant, user=f"u{self.number}", **kwargs)

    async def say(self, text: str, *, to: int | None = None, **kwargs: Any) -> list[str]:
        """Send to the given process (default: the next in turn); the texts the person saw."""
        if to is None:
            to, self.sent = self.sent % len(self.processes), self.sent + 1
        turn = await self.processes[to].send(self.activity(text, **kwargs))
        assert turn.status in (200, 201), f"HTTP {turn.status}: {turn.body}"
        return shown(turn.replies)


def _all_texts(connector: FakeConnector, conversation: str) -> list[str]:
    return shown(connector.replies(conversation))


@pytest.mark.slow
async def test_two_processes_share_dialogs_through_bursts_and_a_kill(
    server_process: Callable[..., ServerProcess], fake_connector: FakeConnector, postgres_url: str, tmp_path
) -> None:
    env = {"PARTNERBOT_DATABASE_URL": postgres_url}
    one = await server_process(tmp_path / "one", env=env).start(timeout=90)
    two = await server_process(tmp_path / "two", env=env).start(timeout=90)
    bots = [RemoteBot(one, fake_connector), RemoteBot(two, fake_connector)]
    people = [Person(n, bots) for n in range(PEOPLE)]

    async def start(person: Person) -> None:
        """Alternate messages, one at a time: each answer moves the dialog to the next question."""
        texts = await person.say("enter data")
        assert _question(texts) == (1, "Track")
        for expected in range(2, 4):
            asked = _question(texts)
            assert asked is not None
            texts = await person.say(answer(asked[1], person.number))
            assert _question(texts) is not None and _question(texts)[0] == expected, texts  # type: ignore[index]
        # the co-sell walkthrough, in another conversation, alternating too
        nl: dict[str, Any] = {"locale": "nl-NL", "conversation": f"a:{person.tenant}:walkthrough"}
        await person.say("is Contoso Insights co-sell ready?", **nl)
        await person.say("SaaS", **nl)
        reply = await person.say("ja", **nl)
        assert "bedrijfsprofiel" in reply[0]
        reply = await person.say("nee", **nl)
        assert "Staat Contoso Insights live" in reply[0]

    await asyncio.gather(*(start(p) for p in people))

    # a burst: every person sends two answers at once, one to each process
    async def burst(person: Person) -> None:
        turns = await asyncio.gather(
            bots[0].send(person.activity(answer("Intermediate certified people", person.number))),
            bots[1].send(person.activity(answer("Advanced certified people", person.number))),
        )
        assert [t.status for t in turns] == [201, 201]

    await asyncio.gather(*(burst(p) for p in people))

    # another burst, and process two is killed while it runs
    async def send_quietly(bot: RemoteBot, activity: dict[str, Any]) -> None:
        with contextlib.suppress(aiohttp.ClientError, AssertionError):
            await bot.send(activity)

    sends = [
        send_quietly(bots[i % 2], p.activity(answer(label, p.number)))
        for p in people
        for i, label in enumerate(ANSWERS[4:6])
    ]
    in_flight = asyncio.gather(*sends)
    await asyncio.sleep(0.15)
    assert two.process is not None
    two.process.kill()
    await asyncio.to_thread(two.process.wait, 10)
    two.process = None
    await in_flight

    # the survivor finishes every dialog
    async def finish(person: Person) -> list[str]:
        texts = await person.say("a lot", to=0)  # not a number: the open question is asked again
        for _ in range(12):
            asked = _question(texts)
            if asked is None:
                break
            texts = await person.say(answer(asked[1], person.number), to=0)
        assert texts and texts[0].startswith("Your partner data"), texts
        nl: dict[str, Any] = {"locale": "nl-NL", "conversation": f"a:{person.tenant}:walkthrough"}
        reply = await person.say("stop", to=0, **nl)
        assert any("✓: PartnerID" in r and "✗: Volledig bedrijfsprofiel" in r for r in reply)
        return texts

    summaries = await asyncio.gather(*(finish(p) for p in people))

    conflict = catalog().text("bot.turn_error.conflict", "en")
    failure = catalog().text("bot.turn_error.general", "en")
    for person, summary in zip(people, summaries, strict=True):
        texts = _all_texts(fake_connector, f"a:{person.tenant}:u{person.number}")
        assert not any(conflict in t or failure in t for t in texts)
        acknowledged: dict[str, str] = {}
        for text in texts:  # in the order the channel received them
            for label, value in SAVED.findall(text):
                acknowledged[label] = value
        assert len(acknowledged) >= 6, acknowledged
        shown_values = dict(line.split(": ", 1) for line in summary[0].splitlines() if ": " in line)
        for label, value in acknowledged.items():
            if label == "Track":
                assert shown_values[label] == "Enterprise track"
            else:
                assert shown_values[label] == value, (person.tenant, label, acknowledged, summary[0])
                mine = {answer(other, person.number) for other in ANSWERS}
                assert value in mine, (person.tenant, label, value)  # nobody else's answer
