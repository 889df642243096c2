"""A client's mistake gets a short 4xx answer, never a 500 and never a turn."""

from __future__ import annotations

import json
import sqlite3

import aiohttp
import pytest

from bot.edge import MAX_BODY_BYTES


def _without(activity: dict, *path: str) -> dict:
    data = json.loads(json.dumps(activity))
    target = data
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return data


def _with(activity: dict, **changes: object) -> dict:
    return {**activity, **changes}


BAD_ACTIVITIES = {
    "missing type": lambda a: _without(a, "type"),
    "empty type": lambda a: _with(a, type=""),
    "missing channelId": lambda a: _without(a, "channelId"),
    "missing serviceUrl": lambda a: _without(a, "serviceUrl"),
    "serviceUrl not a URL": lambda a: _with(a, serviceUrl="not a url"),
    "serviceUrl not http": lambda a: _with(a, serviceUrl="file:///etc/passwd"),
    "missing conversation": lambda a: _without(a, "conversation"),
    "missing conversation id": lambda a: _without(a, "conversation", "id"),
    "conversation not an object": lambda a: _with(a, conversation="a:1"),
    "missing from": lambda a: _without(a, "from"),
    "text not a string": lambda a: _with(a, text=42),
    "attachments not a list": lambda a: _with(a, attachments={"a": 1}),
    "channelData not an object": lambda a: _with(a, channelData=[1]),
}


@pytest.mark.parametrize("case", sorted(BAD_ACTIVITIES))
async def test_an_activity_without_required_fields_gets_400_and_no_turn(echo_bot, case):
    activity = BAD_ACTIVITIES[case](echo_bot.activity(text="hello"))
    turn = await echo_bot.send(activity)
    assert turn.status == 400, turn.body
    assert isinstance(turn.body["error"], str) and turn.body["error"]
    assert echo_bot.connector.posted == []


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        pytest.param(b'{"type": "message", ', {"Content-Type": "application/json"}, id="malformed JSON"),
        pytest.param(b"\xff\xfe{}", {"Content-Type": "application/json"}, id="not UTF-8"),
        pytest.param(b"[1, 2]", {"Content-Type": "application/json"}, id="a list"),
        pytest.param(b'"message"', {"Content-Type": "application/json"}, id="a string"),
        pytest.param(b"null", {"Content-Type": "application/json"}, id="null"),
        pytest.param(b"", {"Content-Type": "application/json"}, id="empty body"),
        pytest.param(b'{"type": "message"}', {}, id="no Content-Type"),
        pytest.param(b'{"type": "message"}', {"Content-Type": "text/plain"}, id="text/plain"),
        pytest.param(b"type=message", {"Content-Type": "application/x-www-form-urlencoded"}, id="form"),
    ],
)
async def test_a_body_that_is_not_a_json_activity_gets_400(echo_bot, body, headers):
    status, answer = await echo_bot.post(body, headers=headers)
    assert status == 400
    assert answer["error"]
    assert echo_bot.connector.posted == []


async def test_a_missing_content_type_gets_a_reason_not_a_server_error(echo_bot):
    # aiohttp adds no Content-Type to raw bytes; the stock CloudAdapter raises KeyError here (a 500).
    status, answer = await echo_bot.post(json.dumps(echo_bot.activity(text="hi")).encode())
    assert status == 400
    assert "Content-Type" in answer["error"]


async def test_a_body_over_256_kb_gets_413(echo_bot):
    activity = echo_bot.activity(text="x" * (MAX_BODY_BYTES + 1))
    turn = await echo_bot.send(activity)
    assert turn.status == 413
    assert echo_bot.connector.posted == []


async def test_a_chunked_body_over_256_kb_gets_413(echo_bot):
    big = json.dumps(echo_bot.activity(text="x" * (MAX_BODY_BYTES + 1))).encode()

    async def chunks():
        for start in range(0, len(big), 65536):
            yield big[start : start + 65536]

    async with (
        aiohttp.ClientSession() as session,
        session.post(echo_bot.url, data=chunks(), headers={"Content-Type": "application/json"}) as response,
    ):
        assert response.status == 413
        assert "error" in await response.json()
    assert echo_bot.connector.posted == []


async def test_a_body_just_under_the_limit_is_served(echo_bot):
    activity = echo_bot.activity(text="hello")
    room = MAX_BODY_BYTES - len(json.dumps(activity)) - 100
    activity["channelData"]["padding"] = "y" * room  # the text itself has a limit of its own
    turn = await echo_bot.send(activity)
    assert turn.status == 201
    assert turn.texts == ["echo: hello #1 tenant=t1"]


@pytest.mark.parametrize("path", ["/", "/api", "/api/message", "/api/messages/extra", "/v3/conversations"])
async def test_unknown_paths_get_404(echo_bot, path):
    status, answer = await echo_bot.post(echo_bot.activity(text="hi"), path=path)
    assert status == 404
    assert answer == {"error": "Not Found"}
    assert echo_bot.connector.posted == []


async def test_get_on_the_messages_endpoint_is_not_allowed(echo_bot):
    status, _ = await echo_bot.get("/api/messages")
    assert status == 405


async def test_healthz_reports_storage(echo_bot):
    status, answer = await echo_bot.get("/healthz")
    assert (status, answer) == (200, {"status": "ok", "storage": "ok"})


async def test_rejected_requests_store_nothing(echo_bot):
    await echo_bot.send(_without(echo_bot.activity(text="hi"), "channelId"))
    await echo_bot.post(b"{", headers={"Content-Type": "application/json"})
    with sqlite3.connect(echo_bot.settings.database_path) as conn:
        assert conn.execute("SELECT count(*) FROM state").fetchone() == (0,)


async def test_a_good_message_is_answered_in_its_conversation(echo_bot):
    turn = await echo_bot.send(echo_bot.activity(text="hello", tenant="t1", user="anna"))
    assert turn.status == 201
    [reply] = turn.replies
    assert reply.text == "echo: hello #1 tenant=t1"
    assert reply.path == f"/v3/conversations/a:t1:anna/activities/{turn_activity_id(echo_bot, reply)}"
    assert reply.raw["recipient"]["id"] == "29:anna"


def turn_activity_id(bot, reply) -> str:
    return reply.reply_to_id


async def test_an_unhandled_activity_type_is_accepted_without_a_reply(echo_bot):
    turn = await echo_bot.send(echo_bot.activity("typing"))
    assert turn.status == 201
    assert turn.replies == []


def _nested_value(activity: dict, depth: int) -> bytes:
    """``activity`` with a card ``value`` nested ``depth`` lists deep (written by hand: json.dumps
    itself refuses such depth)."""
    body = json.dumps({**activity, "value": "@@"})
    return body.replace('"@@"', "[" * depth + "]" * depth).encode()


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(lambda a: b"[" * 100_000 + b"]" * 100_000, id="100000 nested lists"),
        pytest.param(lambda a: b'{"a":' * 20_000 + b"1" + b"}" * 20_000, id="20000 nested objects"),
        pytest.param(lambda a: _nested_value(a, 3000), id="a value nested 3000 deep"),
        pytest.param(lambda a: _nested_value(a, 900), id="a value nested 900 deep"),
    ],
)
async def test_deeply_nested_json_gets_400_and_no_turn(echo_bot, body, caplog):
    status, answer = await echo_bot.post(
        body(echo_bot.activity(text="")), headers={"Content-Type": "application/json"}
    )
    assert status == 400, answer
    assert "nested" in answer["error"]
    assert echo_bot.connector.posted == []
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_a_card_value_nested_within_the_limit_is_a_turn(echo_bot):
    value = {"verb": "score", "deep": json.loads(_nested_value({}, 40).decode())["value"]}
    [reply] = await echo_bot.submit(value)
    assert reply.text == "submitted: score"


async def test_a_wrong_method_says_which_methods_are_allowed(echo_bot):
    async with aiohttp.ClientSession() as session, session.get(echo_bot.url) as response:
        assert response.status == 405
        assert response.headers.get("Allow") == "POST"
        assert "error" in await response.json()
