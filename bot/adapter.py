"""The Bot Framework adapter and authentication, built from :class:`bot.settings.Settings`.

``CloudAdapter`` + ``ConfigurationBotFrameworkAuthentication`` as the SDK ships them, with one
change: the stock authentication builds a new connector client and a new user-token client (each
with its own HTTP pipeline, retry policy and credentials) on every turn, which costs several
milliseconds of CPU per turn. :class:`ReusingBotFrameworkAuthentication` keeps those clients and
hands the same ones to later turns for the same app id, service URL and audience. The connector
clients it keeps are built by :func:`connector_client` (:mod:`bot.connector`): the SDK's client
with its credentials and user agent, sending on one shared aiohttp session on the event loop
instead of ``requests`` on a worker thread, and posting activities without msrest walking every
value of an Adaptive Card (the same JSON).

:func:`authenticate` runs the SDK's token validation and turns every way it can fail (missing
header, garbage token, untrusted issuer, unknown key, bad signature, wrong audience) into
:class:`Unauthorized`, so the HTTP edge answers 401 and the bot never runs. The signing keys it
needs come from :mod:`bot.signing_keys` (only the configured metadata URLs, fetched on the event
loop with a timeout, cached); when they cannot be had, :class:`AuthUnavailable` (503).
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections import OrderedDict
from typing import Any

import aiohttp
import certifi
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    JwtTokenValidation,
    ServiceClientCredentialsFactory,
    UserTokenClient,
)

from bot import signing_keys
from bot.connector import ServiceUrlPolicy, aiohttp_client
from bot.outbound_token import AsyncTokenCredentialsFactory, ChannelTokenCredentials
from bot.settings import Settings
from bot.signing_keys import KeysUnavailable

log = logging.getLogger(__name__)

MAX_CACHED_CLIENTS = 64
TOKEN_CHECK_TIMEOUT_SECONDS = 15.0


class Unauthorized(Exception):
    """The request does not carry a valid Bot Framework token."""


class AuthUnavailable(Exception):
    """The keys that sign tokens cannot be fetched now, so no token can be checked (try again later)."""


def connector_client(
    stock: ConnectorClient, session: aiohttp.ClientSession, policy: ServiceUrlPolicy
) -> ConnectorClient:
    """The client the host keeps in place of ``stock``, the one the SDK's factory built."""
    return aiohttp_client(stock, session, policy)


class _ReusingConnectorFactory(ConnectorFactory):  # type: ignore[misc]
    def __init__(self, owner: ReusingBotFrameworkAuthentication, inner: Any, app_id: str | None) -> None:
        self._owner = owner
        self._inner = inner
        self._app_id = app_id

    async def create(self, service_url: str, audience: str | None = None) -> Any:
        key = (self._app_id, service_url, audience)
        cache = self._owner._connectors
        client = cache.get(key)
        if client is None:
            stock = await self._inner.create(service_url, audience)
            client = connector_client(stock, self._owner.session(), self._owner.service_urls)
            cache[key] = client
            while len(cache) > MAX_CACHED_CLIENTS:
                cache.popitem(last=False)
        else:
            cache.move_to_end(key)
        credentials = getattr(getattr(client, "config", None), "credentials", None)
        if isinstance(credentials, ChannelTokenCredentials):  # the reply token, fetched on the loop
            await credentials.refresh(self._owner.session())
        return client


class ReusingBotFrameworkAuthentication(BotFrameworkAuthentication):  # type: ignore[misc]
    """Delegates to the SDK's authentication, reusing connector and user-token clients across turns."""

    def __init__(
        self, inner: BotFrameworkAuthentication, service_urls: ServiceUrlPolicy | None = None
    ) -> None:
        self._inner = inner
        self.service_urls = service_urls or ServiceUrlPolicy()
        """Where replies may be sent (the HTTP edge checks each activity's serviceUrl against it too)."""
        self._connectors: OrderedDict[tuple[str | None, str, str | None], Any] = OrderedDict()
        self._token_clients: dict[str | None, UserTokenClient] = {}
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        """The HTTP session every kept connector client sends on (opened on first use)."""
        if self._session is None or self._session.closed:
            # The same CA bundle as the SDK's own requests-based sender, not the host's store
            # (slim container images often have none). A proxy from the environment is applied per
            # origin by bot.connector.proxy_for, not by the session on every request.
            tls = ssl.create_default_context(cafile=certifi.where())
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=tls))
        return self._session

    @staticmethod
    def _app_id(claims_identity: ClaimsIdentity | None) -> str | None:
        if claims_identity is None:
            return None
        app_id: str | None = JwtTokenValidation.get_app_id_from_claims(claims_identity.claims)
        return app_id

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        # Signing keys come from bot.signing_keys (async, bounded in time, cached): this check never
        # blocks the loop; the bound below is a backstop for anything else that could stall it.
        try:
            result = await asyncio.wait_for(
                self._inner.authenticate_request(activity, auth_header), TOKEN_CHECK_TIMEOUT_SECONDS
            )
        except TimeoutError:
            raise KeysUnavailable(
                f"the token check did not finish within {TOKEN_CHECK_TIMEOUT_SECONDS:g} s"
            ) from None
        if result.connector_factory is not None:
            result.connector_factory = _ReusingConnectorFactory(
                self, result.connector_factory, self._app_id(result.claims_identity)
            )
        return result

    async def authenticate_streaming_request(self, auth_header: str, channel_id_header: str) -> Any:
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _ReusingConnectorFactory(
            self, self._inner.create_connector_factory(claims_identity), self._app_id(claims_identity)
        )

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        app_id = self._app_id(claims_identity)
        client = self._token_clients.get(app_id)
        if client is None:
            client = await self._inner.create_user_token_client(claims_identity)
            self._token_clients[app_id] = client
        return client

    def create_bot_framework_client(self) -> Any:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        audience: str = self._inner.get_originating_audience()
        return audience

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)

    async def close(self) -> None:
        """Forget the cached clients and close the one HTTP session they all send on."""
        self._connectors.clear()
        self._token_clients.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None


def create_authentication(
    settings: Settings, *, credentials_factory: ServiceClientCredentialsFactory | None = None
) -> ReusingBotFrameworkAuthentication:
    """The SDK's configuration-driven authentication for ``settings``, with client reuse."""
    signing_keys.allow(*settings.openid_metadata_urls())
    password_app = settings.auth_enabled and settings.microsoft_app_type != "UserAssignedMSI"
    if credentials_factory is None and password_app:  # the reply token is fetched on the event loop
        credentials_factory = AsyncTokenCredentialsFactory(
            settings.microsoft_app_id,
            settings.microsoft_app_password.get_secret_value(),
            settings.microsoft_app_tenant_id or None,
            settings.to_channel_from_bot_login_url,
        )
    inner = ConfigurationBotFrameworkAuthentication(
        settings.sdk_configuration(), credentials_factory=credentials_factory
    )
    policy = ServiceUrlPolicy(settings.allowed_service_urls, allow_loopback=not settings.auth_enabled)
    return ReusingBotFrameworkAuthentication(inner, policy)


async def authenticate(
    authentication: BotFrameworkAuthentication, activity: Activity, auth_header: str | None
) -> AuthenticateRequestResult:
    """Validate the request's token; :class:`Unauthorized` for every way it can be wrong.

    ``auth_header`` is ``None`` when the request has no ``Authorization`` header: the SDK then
    accepts the request only if authentication is disabled (no app id), and refuses it otherwise.
    """
    try:
        result: AuthenticateRequestResult = await authentication.authenticate_request(activity, auth_header)
    except PermissionError as err:
        raise Unauthorized(str(err)) from None
    except OSError as err:  # requests' errors fetching the OpenID metadata and signing keys
        raise AuthUnavailable(f"{type(err).__name__}: {err}") from None
    except Exception as err:
        # A token the SDK cannot even parse (it assumes well-formed JWTs), and the bare Exception
        # it raises for an unendorsed channel or a signing algorithm it does not allow (before it
        # checks any signature), are the client's problem, not a server error.
        raise Unauthorized(f"{type(err).__name__}: {err}") from None
    if result.claims_identity is None or not result.claims_identity.is_authenticated:
        raise Unauthorized("the token is not authenticated")
    return result
