"""The chat client talks to a real SDK bot (CloudAdapter) as Teams does, and receives its replies."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.chatclient.protocol import ChatClient, ChatError, Connector
from tests.chat.echobot import echo_app, serve


@pytest.fixture
async def bot_url():
    async with serve(echo_app()) as url:
        yield url


def texts(received) -> list[str]:
    return [r.activity.get("text", "") for r in received if r.activity.get("type") == "message"]


async def test_a_message_reaches_the_bot_teams_shaped(bot_url: str) -> None:
    async with ChatClient(bot_url, locale="nl-NL", tenant="t-42") as client:
        received = await client.say("whoami")
    assert texts(received) == [
        "channel msteams locale nl-NL tenant t-42 conversation-tenant None from 29:partnerbot-chat-t-42"]


async def test_every_reply_of_the_turn_is_there_in_order_when_the_post_returns(bot_url: str) -> None:
    async with ChatClient(bot_url) as client:
        received = await client.say("two")
        assert [r.activity["type"] for r in received] == ["typing", "message", "message"]
        assert texts(received) == ["one", "two"]
        assert all(r.activity["replyToId"] for r in received)  # sent as replies to our message
        changed = await client.say("update")
        assert [(r.kind, r.activity.get("text")) for r in changed if r.activity["type"] == "message"] == [
            ("send", "first version"), ("update", "second version")]
        assert changed[1].activity_id == changed[2].activity_id
        gone = await client.say("delete")
        assert [r.kind for r in gone] == ["send", "send", "delete"]
        assert gone[1].activity_id == gone[2].activity_id


async def test_welcome_on_conversation_update(bot_url: str) -> None:
    async with ChatClient(bot_url, user_name="Anna") as client:
        assert texts(await client.open()) == ["welcome Anna"]


async def test_a_click_sends_empty_text_and_the_submit_data_as_value(bot_url: str) -> None:
    async with ChatClient(bot_url) as client:
        received = await client.submit({"verb": "answer", "text": "yes"}, reply_to="7:abc")
    assert texts(received) == ["value: {\"text\": \"yes\", \"verb\": \"answer\"} text: '' replyTo: 7:abc"]


async def recorded_activity(send) -> dict[str, Any]:
    """The JSON the client posts, as a bot endpoint receives it."""
    seen: list[dict[str, Any]] = []

    async def messages(request: web.Request) -> web.Response:
        seen.append(await request.json())
        return web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    async with serve(app) as url, ChatClient(url, locale="nl-NL", tenant="contoso-tenant") as client:
        await send(client)
        assert seen[0]["serviceUrl"] == client.connector.service_url
    return seen[0]


async def test_the_message_has_every_field_teams_sends() -> None:
    activity = await recorded_activity(lambda c: c.say("wat is mijn score?"))
    assert activity["type"] == "message" and activity["text"] == "wat is mijn score?"
    assert activity["channelId"] == "msteams" and activity["locale"] == "nl-NL"
    assert activity["id"] and activity["timestamp"].endswith("Z")
    assert activity["serviceUrl"].startswith("http://127.0.0.1:")
    assert activity["from"]["id"].startswith("29:") and activity["recipient"]["id"].startswith("28:")
    assert activity["conversation"]["id"] and activity["conversation"]["tenantId"] == "contoso-tenant"
    assert activity["channelData"]["tenant"]["id"] == "contoso-tenant"
    assert "value" not in activity


async def test_a_click_has_empty_text_and_value() -> None:
    activity = await recorded_activity(lambda c: c.submit({"verb": "gap"}, reply_to="3:x"))
    assert activity["text"] == "" and activity["value"] == {"verb": "gap"} and activity["replyToId"] == "3:x"


async def test_the_connector_answers_every_call_and_refuses_garbage() -> None:
    user = {"id": "29:u", "name": "U"}
    connector = Connector(user, {"id": "28:b", "name": "b"})
    base = await connector.start()
    try:
        async with aiohttp.ClientSession() as http:
            conv = f"{base}v3/conversations/a%3Aconv%3Bmessageid%3D1"
            async with http.post(f"{conv}/activities", data=b"{not json",
                                 headers={"Content-Type": "application/json"}) as r:
                assert r.status == 400 and "error" in await r.json()
            async with http.post(f"{conv}/activities", json=[1, 2]) as r:
                assert r.status == 400
            async with http.get(f"{conv}/members/29:u") as r:
                assert await r.json() == user
            async with http.get(f"{conv}/members/29:nobody") as r:
                assert r.status == 404
            async with http.get(f"{conv}/members") as r:
                assert await r.json() == [user]
            async with http.get(f"{base}v3/teams/19:team") as r:
                assert r.status == 404 and (await r.json())["error"]["code"] == "NotFound"
            async with http.post(f"{conv}/activities/42", json={"type": "message", "text": "hi"}) as r:
                assert r.status == 200 and (await r.json())["id"]
        assert [r.activity["text"] for r in connector.drain()] == ["hi"]
        assert connector.drain() == []
    finally:
        await connector.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_unreachable_bot_is_a_chat_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/api/messages"
    async with ChatClient(url) as client:
        with pytest.raises(ChatError) as err:
            await client.say("hi")
    assert err.value.code == "unreachable"
    assert err.value.render("en") == f"cannot reach the bot at {url} — is `partnerbot serve` running?"
    assert err.value.render("nl") == f"kan de bot op {url} niet bereiken — draait `partnerbot serve`?"


async def failing_bot(behaviour: str):
    async def messages(request: web.Request) -> web.StreamResponse:
        await request.read()
        if behaviour == "500":
            return web.Response(status=500, text="Internal Server Error\nboom")
        if behaviour == "401":
            return web.Response(status=401)
        if behaviour == "slow":
            await asyncio.sleep(1)
        if behaviour == "hangup":
            assert request.transport is not None
            request.transport.close()
        return web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


@pytest.mark.parametrize(("behaviour", "code", "english"), [
    ("500", "http", "answered HTTP 500: Internal Server Error"),
    ("401", "unauthorized", "refused the message (HTTP 401)"),
    ("slow", "timeout", "did not answer within 0.3 seconds"),
    ("hangup", "disconnected", "closed the connection before answering"),
])
async def test_bad_answers_are_chat_errors(behaviour: str, code: str, english: str) -> None:
    async with serve(await failing_bot(behaviour)) as url, ChatClient(url, timeout=0.3) as client:
        with pytest.raises(ChatError) as err:
            await client.say("hi")
    assert err.value.code == code
    assert english in err.value.render("en")
    assert "\n" not in err.value.render("nl")


@pytest.mark.parametrize("url", ["localhost:3978", "ftp://x/api", "http://", "nonsense"])
def test_a_bad_url_is_refused_before_anything_is_sent(url: str) -> None:
    with pytest.raises(ChatError) as err:
        ChatClient(url)
    assert err.value.code == "bad_url" and err.value.status == 2
    assert json.dumps(url)[1:-1] in err.value.render("en")
