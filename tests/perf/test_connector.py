"""The cheaper reply path posts exactly what the SDK's connector client posts.

:mod:`bot.connector` lets msrest serialize an outgoing activity without walking its plain-JSON
card contents value by value. These tests send the same turns through the host twice, once with
the SDK's client as it ships and once with the host's, and compare the bytes the channel receives;
they also check that the channel still gets the bot's token and that a channel's refusal still
reaches the turn-error handler as the SDK's error.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import json
import logging
import socket
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from botbuilder.schema import Activity, Attachment, CardAction, ChannelAccount, ConversationAccount, HeroCard
from botframework.connector import models
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials, ServiceClientCredentialsFactory
from botframework.connector.models import ErrorResponseException
from msrest import Serializer
from msrest.exceptions import ClientRequestError

import bot.activity_json
import bot.adapter
import bot.connector
from bot import edge
from bot.connector import ActivityBodySerializer, ServiceUrlPolicy, aiohttp_client
from tests.support.doubles import echo_conversation
from tests.support.harness import ADAPTIVE_CARD, BotHarness, FakeConnector
from tests.support.profiles import CONTOSO

PROFILE = CONTOSO


class RecordingConnector(FakeConnector):
    """The fake connector, keeping each posted activity's raw bytes and headers; ``refuse_with``
    makes it answer every posted activity with that status, as a channel refusing the bot would."""

    def __init__(self) -> None:
        super().__init__()
        self.bodies: list[bytes] = []
        self.headers: list[dict[str, str]] = []
        self.refuse_with: int | None = None

    async def __aenter__(self) -> RecordingConnector:
        await self.start()
        return self

    async def _activity(self, request: web.Request) -> web.Response:
        self.bodies.append(await request.read())
        self.headers.append(dict(request.headers))
        if self.refuse_with is not None:
            error = {"code": "BotNotInConversationRoster", "message": "The bot is not part of the roster."}
            return web.json_response({"error": error}, status=self.refuse_with)
        return await super()._activity(request)


def _stock_connector_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    """The host as it was: the SDK's connector client, unchanged."""
    monkeypatch.setattr(bot.adapter, "connector_client", lambda stock, session, policy: stock)


TURNS: dict[str, list[dict[str, Any]]] = {
    "score in English": [{"text": "what is our score?"}],
    "score in Dutch": [{"text": "wat is onze score?", "locale": "nl-NL"}],
    "help, then the gap": [{"text": "help"}, {"text": "what is our gap?"}],
    "welcome on install": [
        {"type": "conversationUpdate", "membersAdded": [{"id": "28:partnerbot", "name": "partnerbot"}]}
    ],
    "outside Teams": [{"text": "what is our score?", "channel": "emulator", "tenant": None}],
}


async def _run_turns(
    tmp_path: Path, connector: RecordingConnector, turns: list[dict[str, Any]]
) -> list[bytes]:
    since = len(connector.bodies)
    async with BotHarness(tmp_path, connector) as harness:
        for tenant in ("t1", "local"):
            await harness.seed_profile(tenant, PROFILE)
        for number, turn in enumerate(turns):
            options = dict(turn)
            kind = options.pop("type", "message")
            activity = harness.activity(kind, id=f"act-{number}", **options)
            result = await harness.send(activity)
            assert result.status in (200, 201), result.body
    return connector.bodies[since:]


@pytest.mark.parametrize("case", sorted(TURNS))
async def test_the_channel_receives_the_same_bytes_as_from_the_stock_client(tmp_path, monkeypatch, case):
    async with RecordingConnector() as connector:
        ours = await _run_turns(tmp_path / "ours", connector, TURNS[case])
        with monkeypatch.context() as patch:
            _stock_connector_clients(patch)
            stock = await _run_turns(tmp_path / "stock", connector, TURNS[case])
    assert ours, "the bot sent nothing"
    assert [json.loads(b) for b in ours] == [json.loads(b) for b in stock]
    assert ours == stock


async def test_a_scorecard_reply_carries_its_adaptive_card(tmp_path):
    async with RecordingConnector() as connector:
        bodies = await _run_turns(tmp_path, connector, TURNS["score in English"])
    attachments = [a for body in bodies for a in json.loads(body).get("attachments") or []]
    assert [a["contentType"] for a in attachments] == [ADAPTIVE_CARD]
    assert attachments[0]["content"]["type"] == "AdaptiveCard"
    assert attachments[0]["content"]["body"], "the card has no body"


class _Colour(enum.StrEnum):
    GOOD = "good"


def _activity(*contents: Any) -> Activity:
    return Activity(
        type="message",
        text="hé — ✓",
        conversation=ConversationAccount(id="a:1", tenant_id="t1"),
        from_property=ChannelAccount(id="28:bot", name="partnerbot"),
        recipient=ChannelAccount(id="29:user"),
        reply_to_id="act-1",
        locale="nl-NL",
        input_hint="acceptingInput",
        attachments=[Attachment(content_type=ADAPTIVE_CARD, content=c) for c in contents],
        channel_data={"tenant": {"id": "t1"}},
    )


CONTENTS: dict[str, tuple[Any, ...]] = {
    "a plain card": (
        {
            "type": "AdaptiveCard",
            "version": "1.5",
            "body": [{"type": "TextBlock", "text": "Score: 72,5 — ‘goed’ ✓", "wrap": True, "size": None}],
            "actions": [{"type": "Action.Submit", "data": {"verb": "score", "n": 3, "x": 0.25, "ok": False}}],
        },
    ),
    "an empty card": ({},),
    "a list": ([1, "two", {"three": [None, True]}],),
    "a card with a date": ({"type": "AdaptiveCard", "month": dt.date(2026, 10, 1)},),
    "a card with a number key": ({"type": "AdaptiveCard", "by_id": {1: "one", 2: "two"}},),
    "a card with a true key": ({"type": "AdaptiveCard", "flags": {True: "yes"}},),
    "a card with a tuple and an enum": ({"pair": (1, 2), "colour": _Colour.GOOD},),
    "an SDK hero card": (
        HeroCard(title="Score", buttons=[CardAction(type="imBack", title="Gap", value="gap")]),
    ),
    "no content": (None,),
    "mixed": (
        {"type": "AdaptiveCard", "body": []},
        HeroCard(title="x"),
        {"when": dt.datetime(2026, 11, 23, 9)},
    ),
}


@pytest.mark.parametrize("case", sorted(CONTENTS))
def test_an_activity_body_is_what_msrest_makes_of_it(case):
    stock = Serializer({k: v for k, v in models.__dict__.items() if isinstance(v, type)})
    expected = json.dumps(stock.body(_activity(*CONTENTS[case]), "Activity"))
    activity = _activity(*CONTENTS[case])
    contents = [a.content for a in activity.attachments]
    assert json.dumps(ActivityBodySerializer().body(activity, "Activity")) == expected
    assert [a.content for a in activity.attachments] == contents, "the activity was changed"
    assert all(a.content is c for a, c in zip(activity.attachments, contents, strict=True))


def _reply(**fields: Any) -> Activity:
    activity = _activity({"type": "AdaptiveCard", "version": "1.5", "body": []})
    for name, value in fields.items():
        setattr(activity, name, value)
    return activity


ACTIVITIES: dict[str, tuple[Activity, bool]] = {
    "a card reply": (_reply(), True),
    "an enum type": (_reply(type=models.ActivityTypes.typing, attachments=None), True),
    "a mention": (_reply(entities=[models.Entity(type="mention")], text="<at>Anna</at> hi"), True),
    "suggested actions": (
        _reply(suggested_actions=models.SuggestedActions(
            to=["29:user"], actions=[CardAction(type="imBack", title="Ja", value="ja")])),
        True,
    ),
    "no attachments, a list of strings": (_reply(attachments=[], listen_for=["yes", "no"]), True),
    "a timestamp": (_reply(timestamp=dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)), False),
    "a dict where a model belongs": (_reply(recipient={"id": "29:user", "name": "Anna"}), False),
    "a number as text": (_reply(text=7), False),
}


@pytest.mark.parametrize("case", sorted(ACTIVITIES))
def test_an_activity_of_plain_values_is_written_directly_and_others_by_msrest(case):
    activity, plain = ACTIVITIES[case]
    stock = Serializer({k: v for k, v in models.__dict__.items() if isinstance(v, type)})
    expected = json.dumps(stock.body(copy.deepcopy(activity), "Activity"))
    assert json.dumps(ActivityBodySerializer().body(activity, "Activity")) == expected
    try:
        bot.activity_json.plain_model(activity)
        written_directly = True
    except Exception:
        written_directly = False
    assert written_directly == plain


def _tree(value: Any) -> Any:
    """A model as nested plain values (its attributes and additional properties), to compare."""
    if hasattr(value, "_attribute_map"):
        return {"<model>": type(value).__name__, **{k: _tree(v) for k, v in vars(value).items()}}
    if isinstance(value, dict):
        return {k: _tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tree(v) for v in value]
    return (type(value).__name__, value)


_TEAMS_MESSAGE: dict[str, Any] = {
    "type": "message", "id": "1700000000000", "text": "<at>partnerbot</at> wat is onze score?",
    "timestamp": "2026-11-23T09:15:02.123Z", "localTimestamp": "2026-11-23T10:15:02.123+01:00",
    "serviceUrl": "https://smba.trafficmanager.net/emea/", "channelId": "msteams", "locale": "nl-NL",
    "from": {"id": "29:1abc", "name": "Anna de Vries", "aadObjectId": "6a1f0c2e-0000-4000-8000-000000000001"},
    "conversation": {"conversationType": "groupChat", "tenantId": "t1", "id": "19:abc@thread.v2",
                     "isGroup": True},
    "recipient": {"id": "28:partnerbot", "name": "partnerbot"},
    "entities": [
        {"type": "mention", "mentioned": {"id": "28:partnerbot", "name": "partnerbot"},
         "text": "<at>partnerbot</at>"},
        {"type": "clientInfo", "locale": "nl-NL", "country": "NL", "platform": "Web",
         "timezone": "Europe/Amsterdam"},
    ],
    "channelData": {"tenant": {"id": "t1"}, "eventType": None,
                    "settings": {"selectedChannel": {"id": "19:x"}}},
    "attachments": [{"contentType": "text/html", "content": "<div>wat is onze score?</div>"}],
    "unknownTopLevel": {"kept": [1, 2.5, True, None]},
}

INCOMING: dict[str, tuple[dict[str, Any], bool]] = {
    "a Teams group message with a mention": (_TEAMS_MESSAGE, True),
    "a card submit": ({**_TEAMS_MESSAGE, "text": None, "value": {"verb": "gap", "n": 3}}, True),
    "members added": ({**_TEAMS_MESSAGE, "type": "conversationUpdate", "text": None,
                       "membersAdded": [{"id": "28:partnerbot"}, {"id": "29:1abc", "name": "Anna"}]}, True),
    "a number as text": ({**_TEAMS_MESSAGE, "text": 7}, False),
    "a time msrest cannot read": ({**_TEAMS_MESSAGE, "timestamp": "yesterday"}, False),
    "a list where a model belongs": ({**_TEAMS_MESSAGE, "from": ["29:1abc"]}, False),
}


@pytest.mark.parametrize("case", sorted(INCOMING))
def test_an_incoming_activity_is_read_as_msrest_reads_it(case):
    data, plain = INCOMING[case]
    try:
        expected: Any = _tree(Activity.deserialize(copy.deepcopy(data)))
    except Exception as err:
        expected = type(err).__name__
    try:
        direct: Any = _tree(bot.activity_json.model_from_json(copy.deepcopy(data)))
    except bot.activity_json.NotPlain:
        direct = None
    assert (direct is not None) == plain
    if plain:
        assert direct == expected
    try:
        got: Any = _tree(edge.to_activity(copy.deepcopy(data)))
    except edge.BadRequest:
        got = "BadRequest"
    assert got == (expected if not isinstance(expected, str) else "BadRequest")


APP_ID = "3f1c2a6e-8d4b-4c1e-9a7f-2b5d6e8f9a01"


class _SigningCredentials(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """Incoming requests need no token (local use); outgoing replies carry a fixed bot token."""

    class Credentials(MicrosoftAppCredentials):  # type: ignore[misc]
        def get_access_token(self, force_refresh: bool = False) -> str:
            return "token-for-the-channel"

    async def is_valid_app_id(self, app_id: str) -> bool:
        return True

    async def is_authentication_disabled(self) -> bool:
        return True

    async def create_credentials(self, app_id, oauth_scope, login_endpoint, validate_authority):
        return self.Credentials(APP_ID, "not-a-real-secret", oauth_scope=oauth_scope)


SENT_HEADERS = ("Authorization", "Content-Type", "Accept", "User-Agent", "x-ms-conversation-id")


async def _signed_turns(tmp_path: Path) -> list[dict[str, str | None]]:
    async with (
        RecordingConnector() as connector,
        BotHarness(
            tmp_path,
            connector,
            conversation_factory=echo_conversation,
            credentials_factory=_SigningCredentials(),
        ) as harness,
    ):
        for text in ("one", "two"):
            assert await harness.say(text)
    return [{name: h.get(name) for name in SENT_HEADERS} for h in connector.headers]


async def test_replies_carry_the_bots_token_and_the_sdks_headers_turn_after_turn(tmp_path, monkeypatch):
    ours = await _signed_turns(tmp_path / "ours")
    with monkeypatch.context() as patch:
        _stock_connector_clients(patch)
        stock = await _signed_turns(tmp_path / "stock")
    assert ours == stock
    assert [h["Authorization"] for h in ours] == ["Bearer token-for-the-channel"] * 2
    assert all("BotBuilder Python" in (h["User-Agent"] or "") for h in ours)


def _nowhere() -> ConnectorClient:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    client = ConnectorClient(MicrosoftAppCredentials.empty(), base_url=url)
    client.config.retry_policy.policy.backoff_factor = 0  # retry at once: the channel stays away
    return client


async def _send_fails(client: ConnectorClient) -> str:
    with pytest.raises(ClientRequestError) as caught:
        await client.conversations.send_to_conversation("a:1", _activity())
    return str(caught.value)


async def test_a_channel_that_cannot_be_reached_raises_the_sdks_error(monkeypatch):
    monkeypatch.setattr(bot.connector, "BACKOFF_BASE_SECONDS", 0.0)  # retry at once, as the stock client here
    stock = await _send_fails(_nowhere())
    async with aiohttp.ClientSession() as session:
        ours = await _send_fails(aiohttp_client(_nowhere(), session, ServiceUrlPolicy(allow_loopback=True)))
    assert stock.startswith("Error occurred in request., ConnectionError")
    assert ours.startswith("Error occurred in request., ClientConnectorError")


async def _refused_turn(
    tmp_path: Path, status: int, caplog: pytest.LogCaptureFixture
) -> tuple[int, list[tuple[str, int, str]]]:
    caplog.clear()
    async with (
        RecordingConnector() as connector,
        BotHarness(tmp_path, connector, conversation_factory=echo_conversation) as harness,
    ):
        connector.refuse_with = status
        with caplog.at_level(logging.ERROR, logger="bot.teams"):
            turn = await harness.send(harness.activity(text="hello"))
    failures = [
        (type(error).__name__, error.response.status_code, str(error))
        for error in (r.exc_info[1] for r in caplog.records if r.name == "bot.teams" and r.exc_info)
        if isinstance(error, ErrorResponseException)
    ]
    return turn.status, failures


@pytest.mark.parametrize("status", [403, 404])
async def test_a_channel_refusing_a_reply_fails_the_turn_as_before(tmp_path, monkeypatch, caplog, status):
    ours = await _refused_turn(tmp_path / "ours", status, caplog)
    with monkeypatch.context() as patch:
        _stock_connector_clients(patch)
        stock = await _refused_turn(tmp_path / "stock", status, caplog)
    assert ours == stock
    assert ours[1] == [
        ("ErrorResponseException", status, "(BotNotInConversationRoster) The bot is not part of the roster.")
    ]
