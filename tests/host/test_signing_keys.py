"""Token checks are bounded (issue 13, finding 6): no thread per check, a timeout, a cache, and keys
fetched only from the configured metadata URLs. Loopback key servers only."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time

import jwt
import pytest

import bot.signing_keys
from tests.host.test_auth import APP_ID, ATTACKER_KEY, KID, TRUSTED_KEY, _auth_settings, _OpenIdServer, token
from tests.support.doubles import echo_conversation


class SilentKeyServer:
    """A loopback 'OpenID endpoint' that accepts connections and never answers."""

    def __init__(self) -> None:
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._held: list[asyncio.StreamWriter] = []

    async def __aenter__(self) -> SilentKeyServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        for writer in self._held:
            writer.close()
        self._server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 1)

    @property
    def metadata_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/.well-known/openidconfiguration"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._held.append(writer)


async def test_forged_tokens_against_a_key_server_that_never_answers_leave_no_threads(
    make_bot, fake_connector, monkeypatch
):
    monkeypatch.setattr(bot.signing_keys, "FETCH_TIMEOUT_SECONDS", 0.5)
    async with SilentKeyServer() as keys:
        echo = await make_bot(
            conversation_factory=echo_conversation,
            microsoft_app_id=APP_ID,
            microsoft_app_password="x",
            channel_openid_metadata_url=keys.metadata_url,
        )
        forged = {"Authorization": "Bearer " + token(fake_connector.service_url, key=ATTACKER_KEY)}
        first = await echo.send(echo.activity(text="hi"), headers=forged)
        before = threading.active_count()  # after one check: asyncio's default pool may have started
        turns = await asyncio.gather(
            *(echo.send(echo.activity(text="hi"), headers=forged) for _ in range(24))
        )
        bot.signing_keys.install().get(keys.metadata_url)._failed_at = float("-inf")  # backoff over
        turns += await asyncio.gather(
            *(echo.send(echo.activity(text="hi"), headers=forged) for _ in range(24))
        )
        after = threading.active_count()
    assert {t.status for t in [first, *turns]} == {503}
    assert after <= before  # (it was 2 -> 26 with a thread per check)
    assert keys.connections == 2  # one fetch per backoff period for all of them, each given up in time
    assert fake_connector.posted == []


def _emulator_token(service_url: str) -> str:
    now = int(time.time())
    payload = {
        "iss": "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/",
        "aud": APP_ID,
        "appid": APP_ID,
        "ver": "1.0",
        "serviceurl": service_url,
        "nbf": now - 10,
        "exp": now + 600,
    }
    return jwt.encode(payload, ATTACKER_KEY, algorithm="RS256", headers={"kid": "emulator-key"})


async def test_an_emulator_token_fetches_keys_only_from_the_configured_metadata_url(
    make_bot, fake_connector, monkeypatch
):
    fetched: list[str] = []
    real_fetch = bot.signing_keys.fetch_json

    async def recording_fetch(url: str):
        fetched.append(url)
        return await real_fetch(url)

    monkeypatch.setattr(bot.signing_keys, "fetch_json", recording_fetch)
    with _OpenIdServer() as openid:
        echo = await make_bot(**_auth_settings(openid, fake_connector))
        headers = {"Authorization": "Bearer " + _emulator_token(fake_connector.service_url)}
        turn = await echo.send(echo.activity(text="hi", channel="emulator", tenant=None), headers=headers)
    assert turn.status == 401
    assert fetched and all(url.startswith(openid.base) for url in fetched)
    assert fake_connector.posted == []


async def test_a_metadata_url_nobody_configured_is_never_fetched(monkeypatch):
    fetched: list[str] = []

    async def recording_fetch(url: str):
        fetched.append(url)
        return {}

    monkeypatch.setattr(bot.signing_keys, "fetch_json", recording_fetch)
    source = bot.signing_keys.install().get("http://169.254.169.254/.well-known/openidconfiguration")
    with pytest.raises(bot.signing_keys.KeysUnavailable):
        await source.get(KID)
    assert fetched == []


async def test_keys_are_fetched_once_and_cached(make_bot, fake_connector, monkeypatch):
    fetched: list[str] = []
    real_fetch = bot.signing_keys.fetch_json

    async def recording_fetch(url: str):
        fetched.append(url)
        return await real_fetch(url)

    monkeypatch.setattr(bot.signing_keys, "fetch_json", recording_fetch)
    from tests.host.test_auth import _LoopbackCredentials

    with _OpenIdServer() as openid:
        echo = await make_bot(
            **_auth_settings(openid, fake_connector), credentials_factory=_LoopbackCredentials()
        )
        headers = {"Authorization": "Bearer " + token(fake_connector.service_url, key=TRUSTED_KEY)}
        turns = await asyncio.gather(
            *(echo.send(echo.activity(text="hi", user=f"u{i}"), headers=headers) for i in range(5))
        )
    assert [t.status for t in turns] == [201] * 5
    assert len(fetched) == 2  # the metadata and its key set, once for all five
