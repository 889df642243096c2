"""The bot's outbound token (for its replies), fetched on the event loop, bounded in time, cached.

The SDK's ``MicrosoftAppCredentials`` fetches the token with MSAL, which uses ``requests``: a
blocking call on the event loop whenever the token is missing or old, without the host's timeouts.
Here the token is fetched with aiohttp before a turn's connector client is handed out
(:meth:`ChannelTokenCredentials.refresh`, awaited by :mod:`bot.adapter`), once per token lifetime
for all turns (single-flight), with the connect and attempt timeouts of every other outbound call;
signing a request (the SDK calls :meth:`get_access_token` synchronously) only reads the cache.

Where the token comes from is the SDK's ``ToChannelFromBotLoginUrl``: the public cloud's
``https://login.microsoftonline.com/<tenant or botframework.com>``, or the setting
``PARTNERBOT_TO_CHANNEL_FROM_BOT_LOGIN_URL`` (a private cloud, or a loopback token endpoint in tests).
The request goes only to that configured URL, never to one an activity names (the token endpoint
is ``<login URL>/oauth2/v2.0/token``, the OAuth 2.0 client-credentials grant).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import aiohttp
from botframework.connector.auth import (
    AuthenticationConstants,
    MicrosoftAppCredentials,
    PasswordServiceClientCredentialFactory,
)
from msrest.authentication import Authentication
from msrest.exceptions import ClientRequestError

log = logging.getLogger(__name__)

TOKEN_TIMEOUT = aiohttp.ClientTimeout(total=5.0, sock_connect=3.0)
RENEW_BEFORE_SECONDS = 300.0
"""A token is renewed this long before it expires, so a turn never signs with an expiring one."""
FAILURE_BACKOFF_SECONDS = 10.0


class OutboundTokenUnavailable(ClientRequestError):
    """No token for the bot's replies (the login endpoint failed): a delivery failure, so the user's
    dialog and data are kept (bot.teams.is_delivery_failure)."""


class ChannelTokenCredentials(MicrosoftAppCredentials):  # type: ignore[misc]  # the SDK is untyped
    """The SDK's credentials, with the token fetched by :meth:`refresh` instead of by MSAL."""

    def __init__(self, app_id: str, password: str, tenant: str | None, oauth_scope: str | None,
                 login_url: str) -> None:
        super().__init__(app_id, password, tenant, oauth_scope)
        self.oauth_endpoint = login_url.rstrip("/")
        self._token: str | None = None
        self._expires = 0.0
        self._failed_at = 0.0
        self._lock = asyncio.Lock()

    @property
    def token_url(self) -> str:
        return f"{self.oauth_endpoint}/oauth2/v2.0/token"

    def _fresh(self) -> bool:
        return self._token is not None and time.time() < self._expires - RENEW_BEFORE_SECONDS

    def get_access_token(self, force_refresh: bool = False) -> str:
        if self._token is None or time.time() >= self._expires:
            raise OutboundTokenUnavailable(
                "no token for the bot's replies: the login endpoint did not answer")
        return self._token

    async def refresh(self, session: aiohttp.ClientSession) -> None:
        """Fetch a token unless the cached one is fresh (one fetch at a time for all turns)."""
        if self._fresh() or not self.microsoft_app_id:
            return
        async with self._lock:
            recently_failed = self._failed_at and time.monotonic() - self._failed_at < FAILURE_BACKOFF_SECONDS
            if self._fresh() or recently_failed:
                return  # fresh, or the endpoint failed a moment ago: not asked again at once
            scope = self.oauth_scope
            scope = scope if scope.endswith("/.default") else scope + "/.default"
            form = {"grant_type": "client_credentials", "client_id": self.microsoft_app_id,
                    "client_secret": self.microsoft_app_password or "", "scope": scope}
            try:
                async with session.post(self.token_url, data=form, timeout=TOKEN_TIMEOUT,
                                        allow_redirects=False) as answer:
                    body: Any = await answer.json(content_type=None)
                    if answer.status != 200 or not isinstance(body, dict) or "access_token" not in body:
                        raise ValueError(f"HTTP {answer.status}: {str(body)[:200]}")
            except (aiohttp.ClientError, TimeoutError, ValueError) as err:
                self._failed_at = time.monotonic()
                log.warning("could not get the bot's outbound token from %s: %s", self.token_url, err)
                return  # signing raises OutboundTokenUnavailable unless an older token is still valid
            self._failed_at = 0.0
            self._token = str(body["access_token"])
            self._expires = time.time() + float(body.get("expires_in", 3600))


class AsyncTokenCredentialsFactory(PasswordServiceClientCredentialFactory):  # type: ignore[misc]
    """The SDK's password credentials factory, whose credentials fetch their token asynchronously
    from ``login_url`` (empty: the public cloud's login URL for the tenant)."""

    def __init__(self, app_id: str, password: str, tenant_id: str | None, login_url: str = "") -> None:
        super().__init__(app_id, password, tenant_id)
        self._login_url = login_url
        self._made: dict[tuple[str, str], ChannelTokenCredentials] = {}

    async def create_credentials(self, app_id: str, oauth_scope: str, login_endpoint: str,
                                 validate_authority: bool) -> Authentication:
        if await self.is_authentication_disabled():
            empty: Authentication = MicrosoftAppCredentials.empty()
            return empty
        if not await self.is_valid_app_id(app_id):
            raise PermissionError("Invalid app_id")
        key = (app_id, oauth_scope or "")
        made = self._made.get(key)
        if made is None:
            tenant = self.tenant_id or AuthenticationConstants.DEFAULT_CHANNEL_AUTH_TENANT
            login = self._login_url or AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX + tenant
            made = ChannelTokenCredentials(app_id, self.password, self.tenant_id, oauth_scope, login)
            self._made[key] = made
        return made
