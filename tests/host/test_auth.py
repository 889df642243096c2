"""With MicrosoftAppId set, only requests with a valid Bot Framework token run a turn.

Offline: the keys that sign channel tokens are published by a loopback OpenID endpoint (the SDK
reads its address from ``PARTNERBOT_CHANNEL_OPENID_METADATA_URL``, the SDK's
``TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL``), so the SDK's real validation runs - issuer check,
signature against the published key, audience, service URL - without the internet. A token whose
issuer is not trusted is refused before any key is fetched.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from botframework.connector.auth import MicrosoftAppCredentials, ServiceClientCredentialsFactory
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.support.doubles import echo_conversation

APP_ID = "3f1c2a6e-8d4b-4c1e-9a7f-2b5d6e8f9a01"
OTHER_APP_ID = "7a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"
ISSUER = "https://api.botframework.com"
KID = "partnerbot-test-key"
SAFETY_SECONDS = 15.0
"""Bounds every wait of the slow-endpoint test, so a blocked event loop fails it instead of hanging."""


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


TRUSTED_KEY = _key()
ATTACKER_KEY = _key()


class _OpenIdServer:
    """Publishes the trusted key as the Bot Framework's OpenID metadata would, on loopback."""

    def __init__(self) -> None:
        jwk = json.loads(RSAAlgorithm.to_jwk(TRUSTED_KEY.public_key()))
        jwk.update(kid=KID, use="sig", endorsements=["msteams", "emulator", "webchat"])
        server = self
        self.gate: threading.Event | None = None
        """When set by a test: the metadata is sent only once this event is set (a slow endpoint)."""
        self.arrived = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body: dict[str, Any]
                if self.path == "/.well-known/openidconfiguration":
                    server.arrived.set()
                    if server.gate is not None:
                        server.gate.wait(SAFETY_SECONDS)
                    body = {"issuer": ISSUER, "jwks_uri": f"{server.base}/keys"}
                elif self.path == "/keys":
                    body = {"keys": [jwk]}
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def metadata_url(self) -> str:
        return f"{self.base}/.well-known/openidconfiguration"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def openid():
    with _OpenIdServer() as server:
        yield server


def token(service_url: str, *, key=TRUSTED_KEY, **claims: object) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": APP_ID, "serviceurl": service_url, "nbf": now - 10, "exp": now + 600}
    payload.update(claims)
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": KID})


class _LoopbackCredentials(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """Outgoing replies need no token on the fake connector; app id checks stay as in the SDK."""

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == APP_ID

    async def is_authentication_disabled(self) -> bool:
        return False

    async def create_credentials(self, app_id, oauth_scope, login_endpoint, validate_authority):
        return MicrosoftAppCredentials.empty()


def _auth_settings(openid, connector) -> dict:
    """An app id, the loopback OpenID endpoint, and the fake connector as an allowed service URL
    (with an app id loopback is not allowed by default)."""
    return {
        "conversation_factory": echo_conversation,
        "microsoft_app_id": APP_ID,
        "microsoft_app_password": "not-a-real-secret",
        "channel_openid_metadata_url": openid.metadata_url,
        "allowed_service_urls": (connector.service_url,),
    }


def _stored_rows(bot) -> int:
    with sqlite3.connect(bot.settings.database_path) as conn:
        return conn.execute("SELECT count(*) FROM state").fetchone()[0]


REFUSED = {
    "no Authorization header": lambda url: None,
    "empty header": lambda url: "",
    "not a bearer token": lambda url: "Basic dXNlcjpwYXNz",
    "bearer garbage": lambda url: "Bearer not-a-jwt",
    "three dots of garbage": lambda url: "Bearer a.b.c",
    "signed by someone else with the trusted key id": lambda url: "Bearer " + token(url, key=ATTACKER_KEY),
    "unsigned (alg none)": lambda url: (
        "Bearer " + jwt.encode({"iss": ISSUER, "aud": APP_ID, "serviceurl": url}, "", algorithm="none")
    ),
    "untrusted issuer": lambda url: "Bearer " + token(url, iss="https://evil.example.com"),
    "for another bot": lambda url: "Bearer " + token(url, aud=OTHER_APP_ID),
    "for another service url": lambda url: "Bearer " + token(url, serviceurl="https://evil.example.com/"),
    "expired": lambda url: "Bearer " + token(url, exp=int(time.time()) - 3600, nbf=int(time.time()) - 7200),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
async def test_without_a_valid_token_nothing_runs(make_bot, fake_connector, openid, case):
    bot = await make_bot(**_auth_settings(openid, fake_connector))
    header = REFUSED[case](bot.connector.service_url)
    headers = {} if header is None else {"Authorization": header}
    turn = await bot.send(bot.activity(text="save profile Intruder"), headers=headers)
    assert turn.status == 401, turn.body
    assert turn.body == {"error": "a valid Bot Framework token is required"}
    assert bot.connector.posted == []
    assert _stored_rows(bot) == 0
    assert await bot.stored_profile("t1") is None


async def test_a_valid_token_runs_the_turn(make_bot, fake_connector, openid):
    bot = await make_bot(**_auth_settings(openid, fake_connector), credentials_factory=_LoopbackCredentials())
    headers = {"Authorization": "Bearer " + token(bot.connector.service_url)}
    turn = await bot.send(bot.activity(text="hello"), headers=headers)
    assert turn.status == 201
    assert turn.texts == ["echo: hello #1 tenant=t1"]


def test_with_an_app_id_the_server_listens_on_all_interfaces_by_default(tmp_path):
    from tests.support.harness import make_settings

    assert make_settings(tmp_path, host=None).bind_host == "127.0.0.1"
    secured = make_settings(tmp_path, host=None, microsoft_app_id=APP_ID, microsoft_app_password="x")
    assert secured.bind_host == "0.0.0.0"


async def test_without_an_app_id_a_warning_says_anyone_can_post(make_bot, caplog):
    with caplog.at_level("WARNING", logger="bot.app"):
        await make_bot(conversation_factory=echo_conversation)
    assert any("anyone" in r.getMessage() and "MicrosoftAppId" in r.getMessage() for r in caplog.records)


# Cases the SDK refuses before fetching any key: safe to run on the production configuration
# (public cloud endpoints, no override), which must never reach the internet for them.
REFUSED_WITHOUT_KEYS = [
    "no Authorization header",
    "empty header",
    "not a bearer token",
    "bearer garbage",
    "three dots of garbage",
    "untrusted issuer",
]


@pytest.mark.parametrize("case", REFUSED_WITHOUT_KEYS)
async def test_the_public_cloud_configuration_refuses_bad_tokens_offline(make_bot, case):
    bot = await make_bot(
        conversation_factory=echo_conversation, microsoft_app_id=APP_ID, microsoft_app_password="x"
    )
    header = REFUSED[case](bot.connector.service_url)
    turn = await bot.send(
        bot.activity(text="hi"), headers={} if header is None else {"Authorization": header}
    )
    assert turn.status == 401
    assert bot.connector.posted == []


async def test_when_signing_keys_cannot_be_fetched_nothing_runs_and_the_channel_may_retry(make_bot):
    from tests.support.harness import free_port

    unreachable = f"http://127.0.0.1:{free_port()}/.well-known/openidconfiguration"
    bot = await make_bot(
        conversation_factory=echo_conversation,
        microsoft_app_id=APP_ID,
        microsoft_app_password="x",
        channel_openid_metadata_url=unreachable,
    )
    headers = {"Authorization": "Bearer " + token(bot.connector.service_url)}
    turn = await bot.send(bot.activity(text="hi"), headers=headers)
    assert turn.status == 503
    assert bot.connector.posted == []


def _hs256_with_trusted_kid(service_url: str) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": APP_ID, "serviceurl": service_url, "nbf": now - 10, "exp": now + 600}
    return jwt.encode(payload, "a shared secret the attacker picked", algorithm="HS256", headers={"kid": KID})


FORGED = {
    # The SDK raises a bare Exception for these before it checks any signature.
    "a channel the signing key does not endorse": (
        "someotherchannel",
        lambda url: token(url, key=ATTACKER_KEY),
    ),
    "HS256 with the trusted key id": ("msteams", _hs256_with_trusted_kid),
}


@pytest.mark.parametrize("case", sorted(FORGED))
async def test_a_forged_token_the_sdk_rejects_with_a_bare_exception_gets_401(
    make_bot, fake_connector, openid, case, caplog
):
    channel, forge = FORGED[case]
    bot = await make_bot(**_auth_settings(openid, fake_connector))
    headers = {"Authorization": "Bearer " + forge(bot.connector.service_url)}
    turn = await bot.send(bot.activity(text="save profile Intruder", channel=channel), headers=headers)
    assert turn.status == 401, turn.body
    assert bot.connector.posted == []
    assert _stored_rows(bot) == 0
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_while_the_signing_keys_are_slow_to_arrive_the_server_keeps_answering(make_bot, fake_connector):
    with _OpenIdServer() as openid:
        openid.gate = threading.Event()
        valve = threading.Timer(SAFETY_SECONDS, openid.gate.set)  # a blocked loop cannot open it
        valve.start()
        try:
            bot = await make_bot(
                **_auth_settings(openid, fake_connector), credentials_factory=_LoopbackCredentials()
            )
            headers = {"Authorization": "Bearer " + token(bot.connector.service_url)}
            turn_task = asyncio.create_task(bot.send(bot.activity(text="hello"), headers=headers))
            assert await asyncio.to_thread(openid.arrived.wait, SAFETY_SECONDS)
            health = await bot.get("/healthz")
            answered_while_the_keys_were_on_their_way = not openid.gate.is_set()
            openid.gate.set()
            turn = await turn_task
        finally:
            openid.gate.set()
            valve.cancel()
    assert health == (200, {"status": "ok", "storage": "ok"})
    assert answered_while_the_keys_were_on_their_way
    assert turn.status == 201
    assert turn.texts == ["echo: hello #1 tenant=t1"]


async def test_with_an_app_id_another_channel_is_refused_and_stores_nothing(make_bot, fake_connector, openid):
    from kernel.texts import catalog

    bot = await make_bot(**_auth_settings(openid, fake_connector), credentials_factory=_LoopbackCredentials())
    headers = {"Authorization": "Bearer " + token(bot.connector.service_url)}
    activity = bot.activity(text="save profile Intruder", channel="emulator", tenant=None, locale="nl-NL")
    turn = await bot.send(activity, headers=headers)
    assert turn.status == 201
    assert turn.texts == [catalog().text("bot.refusal.channel", "nl")]
    assert _stored_rows(bot) == 0
    assert await bot.stored_profile("local") is None


async def test_a_channel_named_in_the_settings_is_served_as_the_local_tenant(
    make_bot, fake_connector, openid
):
    bot = await make_bot(
        **_auth_settings(openid, fake_connector),
        credentials_factory=_LoopbackCredentials(),
        allowed_channels=frozenset({"emulator"}),
    )
    headers = {"Authorization": "Bearer " + token(bot.connector.service_url)}
    turn = await bot.send(bot.activity(text="hi", channel="emulator", tenant=None), headers=headers)
    assert turn.texts == ["echo: hi #1 tenant=local"]
    turn = await bot.send(bot.activity(text="hi", channel="webchat", tenant=None), headers=headers)
    assert turn.status == 201
    assert turn.texts != ["echo: hi #1 tenant=local"] and len(turn.texts) == 1


def test_allowed_channels_are_read_from_the_environment(monkeypatch, tmp_path):
    from bot.settings import load_settings

    monkeypatch.setenv("PARTNERBOT_ALLOWED_CHANNELS", "webchat, directline")
    settings = load_settings(env_file=None, data_dir=tmp_path)
    assert settings.allowed_channels == frozenset({"webchat", "directline"})


async def test_without_a_token_the_activity_is_not_read_further_than_its_required_fields(
    make_bot, fake_connector, openid
):
    # The SDK's deserializer runs only for an authenticated request: an anonymous caller with an
    # unreadable activity gets the same 401 as any other, not a description of its mistake.
    bot = await make_bot(**_auth_settings(openid, fake_connector))
    activity = bot.activity(text="hi", timestamp="not a date")
    turn = await bot.send(activity)
    assert turn.status == 401
    assert turn.body == {"error": "a valid Bot Framework token is required"}
    # with a valid token the same activity is the client's mistake: 400
    headers = {"Authorization": "Bearer " + token(bot.connector.service_url)}
    turn = await bot.send(activity, headers=headers)
    assert turn.status == 400
    assert "cannot be read" in turn.body["error"]
    assert bot.connector.posted == []
