"""The bot's outbound token, as in production: the real host WITH an app id, no credentials replaced.
Incoming tokens are checked against a loopback OpenID key server; the token for the bot's replies
comes from a loopback token endpoint named by ``PARTNERBOT_TO_CHANNEL_FROM_BOT_LOGIN_URL``."""

from __future__ import annotations

import pytest

from bot.settings import load_settings
from tests.host.test_auth import APP_ID, _auth_settings, openid, token  # noqa: F401
from tests.support.token_server import TokenServer


@pytest.fixture
async def token_server():
    async with TokenServer() as server:
        yield server


async def test_replies_carry_the_token_fetched_once_from_the_configured_login_url(
    make_bot, fake_connector, openid, token_server  # noqa: F811
):
    settings = {**_auth_settings(openid, fake_connector),
                "to_channel_from_bot_login_url": token_server.login_url}
    bot = await make_bot(**settings)  # the real credentials path: nothing replaced
    headers = {"Authorization": "Bearer " + token(bot.connector.service_url)}
    for text in ("hello", "hello again"):
        turn = await bot.send(bot.activity(text=text), headers=headers)
        assert turn.status == 201 and turn.texts
    assert fake_connector.authorizations and set(fake_connector.authorizations) == {"Bearer token-1"}
    assert len(token_server.requests) == 1  # cached for the token's lifetime
    grant = token_server.requests[0]
    assert grant["grant_type"] == "client_credentials" and grant["client_id"] == APP_ID
    assert grant["client_secret"] == "not-a-real-secret" and grant["scope"].endswith("/.default")


async def test_a_token_endpoint_that_fails_keeps_the_dialog_and_sends_nothing_unsigned(
    make_bot, fake_connector, openid  # noqa: F811
):
    settings = {**_auth_settings(openid, fake_connector),
                "to_channel_from_bot_login_url": "http://127.0.0.1:9/nothing-listens-here"}
    bot = await make_bot(**settings)
    turn = await bot.send(bot.activity(text="hello"),
                          headers={"Authorization": "Bearer " + token(bot.connector.service_url)})
    assert turn.status in (200, 201, 502, 503)
    assert fake_connector.posted == []  # no reply went out without a token


def test_the_login_url_setting_is_read_and_checked(monkeypatch, tmp_path):
    monkeypatch.setenv("PARTNERBOT_TO_CHANNEL_FROM_BOT_LOGIN_URL", "https://login.example.com/tenant")
    assert load_settings(env_file=None, data_dir=tmp_path).to_channel_from_bot_login_url == (
        "https://login.example.com/tenant")
    monkeypatch.setenv("PARTNERBOT_TO_CHANNEL_FROM_BOT_LOGIN_URL", "http://login.example.com/tenant")
    with pytest.raises(Exception, match="https"):
        load_settings(env_file=None, data_dir=tmp_path)
