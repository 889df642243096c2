"""No 500 and no silent failed turn for a client's mistake (issue 13, findings 8 and 9).

:data:`CATALOGUE` is the bad-input catalogue: activities with odd values in odd places. Each gets a
4xx at the edge, a proper invoke response, or a turn that answers; never a 5xx (other than the
SDK's 501 for an invoke the bot does not implement) and never a failed turn in the log.
``bench/bench_hardening.py`` counts the answers of the same catalogue by status code.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import pytest

import bot.edge

Maker = Callable[[Any], dict[str, Any]]


def _set(path: str, value: Any) -> Maker:
    def make(bot: Any) -> dict[str, Any]:
        activity = bot.activity(text="what is our score?")
        node = activity
        *parents, last = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
        return activity

    return make


def _invoke(name: str | None, value: Any) -> Maker:
    def make(bot: Any) -> dict[str, Any]:
        activity = bot.activity("invoke", name=name)
        if value is not None:
            activity["value"] = value
        return activity

    return make


def _surrogate(field: str) -> Maker:
    def make(bot: Any) -> dict[str, Any]:
        return _set(field, "LONE-SURROGATE")(bot)

    return make


CATALOGUE: dict[str, Maker] = {
    "adaptiveCard/action value 'x'": _invoke("adaptiveCard/action", "x"),
    "adaptiveCard/action without value": _invoke("adaptiveCard/action", None),
    "adaptiveCard/action value []": _invoke("adaptiveCard/action", []),
    "adaptiveCard/action action 'x'": _invoke("adaptiveCard/action", {"action": "x"}),
    "adaptiveCard/action Action.Submit": _invoke(
        "adaptiveCard/action", {"action": {"type": "Action.Submit"}}
    ),
    "composeExtension/query value 'x'": _invoke("composeExtension/query", "x"),
    "task/fetch value 7": _invoke("task/fetch", 7),
    "invoke without a name": _invoke(None, {"a": 1}),
    "NUL in the activity id": _set("id", "a\x00b"),
    "NUL in the text (answered)": _set("text", "score\x00"),
    "NUL in conversation.id": _set("conversation.id", "a:\x00"),
    "NUL in a key": _set("channelData.x\x00y", 1),
    "lone surrogate in from.id": _surrogate("from.id"),
    "lone surrogate in the text": _surrogate("text"),
    "lone surrogate in the tenant": _surrogate("channelData.tenant.id"),
    "channelData.team a string": _set("channelData.team", "General"),
    "channelData.tenant a string": _set("channelData.tenant", "t1"),
    "channelData.tenant.id a number": _set("channelData.tenant.id", 5),
    "channelData.channel a list": _set("channelData.channel", ["x"]),
    "conversation.id a number": _set("conversation.id", 5),
    "conversation.tenantId an object": _set("conversation.tenantId", {"id": "t1"}),
    "conversation.conversationType a number": _set("conversation.conversationType", 1),
    "from.id a list": _set("from.id", ["x"]),
    "from.name an object": _set("from.name", {}),
    "recipient.id a number": _set("recipient.id", 28),
    "entities of strings": _set("entities", ["mention"]),
    "membersAdded of numbers": lambda bot: bot.activity("conversationUpdate", membersAdded=[1, 2]),
    "membersAdded without ids": lambda bot: bot.activity("conversationUpdate", membersAdded=[{"name": "x"}]),
    "attachments of strings": _set("attachments", ["x"]),
    "timestamp a number": _set("timestamp", 12),
    "timestamp not a date": _set("timestamp", "yesterday"),
    "value a string": lambda bot: bot.activity(value="x"),
    "value a list": lambda bot: bot.activity(value=[1, 2]),
    "value verb a number": lambda bot: bot.activity(value={"verb": 5}),
    "value huge number": lambda bot: bot.activity(value={"verb": "score", "n": 10**400}),
    "mention entity of strings": _set("entities", [{"type": "mention", "mentioned": "x", "text": 5}]),
    "suggestedActions a string": _set("suggestedActions", "x"),
    "locale a number": _set("locale", 1031),
    "textFormat a number": _set("textFormat", 1),
    "relatesTo a string": _set("relatesTo", "x"),
    "event with a string value": lambda bot: bot.activity("event", name="x", value="y"),
    "messageReaction with a string": lambda bot: bot.activity("messageReaction", reactionsAdded="x"),
    "unknown type": lambda bot: bot.activity("somethingElse"),
}


def encode(activity: dict[str, Any]) -> str:
    """JSON text of ``activity``; "LONE-SURROGATE" becomes the escape of a lone surrogate."""
    return json.dumps(activity).replace("LONE-SURROGATE", "\\ud800")


def acceptable(status: int, replies: int, kind: str) -> bool:
    """A 4xx; a proper invoke response (the SDK's 501 for an invoke the bot does not implement);
    or a turn that answers a message (other activities need no answer)."""
    if 400 <= status < 500:
        return True
    if kind == "invoke":
        return status in (200, 501)
    return status in (200, 201) and (replies > 0 or kind != "message")


@pytest.mark.parametrize("case", sorted(CATALOGUE))
async def test_bad_input_gets_a_4xx_or_a_proper_answer_never_a_500_or_a_silent_failure(bot, caplog, case):
    activity = CATALOGUE[case](bot)
    since = len(bot.connector.posted)
    with caplog.at_level(logging.WARNING):
        status, body = await bot.post(encode(activity), headers={"Content-Type": "application/json"})
    replies = len(bot.connector.posted) - since
    assert acceptable(status, replies, str(activity.get("type"))), (status, body, replies)
    failures = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert failures == []
    if status == 400:  # says what is wrong: the edge's reason, or the invoke's error value
        assert isinstance(body, dict) and (body.get("error") or body["value"]["message"])


async def test_the_adaptive_card_invoke_error_is_the_documented_json(bot):
    status, body = await bot.post(_invoke("adaptiveCard/action", "x")(bot))
    assert status == 400
    assert body == {
        "statusCode": 400,
        "type": "application/vnd.microsoft.error",
        "value": {"code": "BadRequest", "message": "Value property is not properly formed"},
    }


async def _closed(reader: asyncio.StreamReader) -> bytes:
    """Everything the server sends until it closes the connection (bounded by the test's loop)."""
    received = b""
    for _ in range(200):
        try:
            chunk = await asyncio.wait_for(reader.read(65536), 0.1)
        except TimeoutError:
            continue
        if not chunk:
            return received
        received += chunk
    raise AssertionError(f"the server kept the connection open; it sent {received[:200]!r}")


async def test_a_request_whose_headers_never_finish_is_cut_off(make_bot, monkeypatch):
    monkeypatch.setattr(bot.edge, "READ_TIMEOUT_SECONDS", 0.5)
    harness = await make_bot()
    host, port = harness.base_url.removeprefix("http://").rstrip("/").split(":")
    connections = [await asyncio.open_connection(host, int(port)) for _ in range(10)]
    for _, writer in connections:
        writer.write(b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: appl")
        await writer.drain()
    for reader, writer in connections:
        assert await _closed(reader) == b""
        writer.close()
    assert (await harness.get("/healthz"))[0] == 200


async def test_a_body_that_never_finishes_gets_408(make_bot, monkeypatch):
    monkeypatch.setattr(bot.edge, "READ_TIMEOUT_SECONDS", 0.5)
    harness = await make_bot()
    host, port = harness.base_url.removeprefix("http://").rstrip("/").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b'Content-Length: 1000\r\n\r\n{"type": '
    )
    await writer.drain()
    answer = await _closed(reader)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 408")
