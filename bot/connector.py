"""The connector client the bot posts its replies with: the SDK's, with a cheaper activity body.

The SDK's ``ConnectorClient`` turns an outgoing :class:`Activity` into JSON with msrest, which
walks every value of an Adaptive Card attachment (``content`` is typed ``object``) through its
generic serializer: about 5 ms of CPU for a scorecard, most of a turn's cost. For values that are
already plain JSON (``dict`` with ``str`` keys, ``list``, ``str``, ``int``, ``float``, ``bool``,
``None``, exactly those types) msrest's result is an equal copy of the value, so
:class:`ActivityBodySerializer` lets msrest serialize the activity with such contents left out and
puts the contents back in their places: the JSON posted is the same, byte for byte. A content that
is anything else (an SDK card model, a date, an enum, a tuple) goes through msrest as before.

Only the body changes: URLs, headers, credentials (the ``Authorization`` header), the HTTP
pipeline and the errors a channel's 4xx/5xx raise (``ErrorResponseException``) are the SDK's own.
:func:`with_fast_activity_bodies` is the one seam: it gives a client built by the SDK's connector
factory a ``conversations`` operation group that uses this serializer.

Outbound safety (:class:`AiohttpSender`, :class:`ServiceUrlPolicy`):

- a request goes only to an allowed service URL (the Bot Framework and Teams service hosts, loopback
  without an app id, and ``PARTNERBOT_ALLOWED_SERVICE_URLS``); anything else raises
  :class:`OutboundRefused` before a connection is made (the HTTP edge refuses such activities
  before their turn runs, so this is the second line);
- each attempt may take :data:`CONNECT_TIMEOUT_SECONDS` to connect and :data:`ATTEMPT_TIMEOUT_SECONDS`
  in all; redirects are not followed;
- a 429, 502, 503 or 504, or a connection that cannot be made, is retried with exponential backoff
  and jitter, waiting at least what ``Retry-After`` asks, as long as the whole send stays within
  :data:`SEND_BUDGET_SECONDS` and :data:`MAX_ATTEMPTS`; then the last answer stands (the SDK
  raises its error for it).
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import email.utils
import functools
import ipaddress
import logging
import random
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import SplitResult, urlsplit

import aiohttp
import requests
from botbuilder.schema import Activity, Attachment
from botframework.connector.aio import ConnectorClient
from botframework.connector.aio.operations_async import ConversationsOperations
from botframework.connector.aiohttp_bf_pipeline import AsyncBfPipeline
from msrest import Serializer
from msrest.exceptions import ClientRequestError
from msrest.pipeline import Request, Response
from msrest.pipeline.async_abc import AsyncHTTPSender
from msrest.pipeline.requests import RequestsContext
from msrest.universal_http import ClientRequest
from msrest.universal_http.async_requests import AsyncRequestsClientResponse
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from yarl import URL

from bot.activity_json import CLIENT_MODELS, NotPlain, is_plain_json, plain_model

log = logging.getLogger(__name__)
_sleep = asyncio.sleep  # one name for the retry waits (tests record them)

class ActivityBodySerializer(Serializer):  # msrest is untyped
    """msrest's serializer, except for an Activity body: one made of plain values is written
    directly (:func:`plain_model`), and in any other, plain-JSON attachment contents are copied in
    as they are instead of being walked value by value (same JSON, less CPU)."""

    def __init__(self) -> None:
        super().__init__(CLIENT_MODELS)  # type: ignore[no-untyped-call]

    def body(self, data: Any, data_type: str, **kwargs: Any) -> Any:
        if data_type == "Activity" and isinstance(data, Activity):
            try:
                return plain_model(data)
            except NotPlain:
                pass
        if data_type != "Activity" or not isinstance(data, Activity) or not data.attachments:
            return super().body(data, data_type, **kwargs)  # type: ignore[no-untyped-call]
        plain: dict[int, Any] = {}
        attachments: list[Any] = []
        for index, attachment in enumerate(data.attachments):
            if (
                isinstance(attachment, Attachment)
                and isinstance(attachment.content, dict | list)
                and is_plain_json(attachment.content)
            ):
                plain[index] = attachment.content
                attachment = copy.copy(attachment)
                attachment.content = {}  # a stand-in msrest serializes at once, keeping the key's place
            attachments.append(attachment)
        if not plain:
            return super().body(data, data_type, **kwargs)  # type: ignore[no-untyped-call]
        envelope = copy.copy(data)
        envelope.attachments = attachments
        serialized = super().body(envelope, data_type, **kwargs)  # type: ignore[no-untyped-call]
        for index, content in plain.items():
            serialized["attachments"][index]["content"] = content
        return serialized


def with_fast_activity_bodies(client: ConnectorClient) -> ConnectorClient:
    """``client`` (built by the SDK) posting activities through :class:`ActivityBodySerializer`.

    Mirrors ``ConnectorClient.__init__``: the ``conversations`` operation group is rebuilt on the
    same pipeline, configuration and deserializer, with the cheaper serializer.
    """
    if isinstance(client, ConnectorClient):
        client.conversations = ConversationsOperations(
            client._client, client.config, ActivityBodySerializer(), client._deserialize
        )
    return client


# --------------------------------------------------------------------------- sending with aiohttp


class _HeaderCarrier:
    """What the SDK's credentials sign: ``AppCredentials.signed_session(session)`` sets (or removes)
    ``session.headers["Authorization"]``. One per request, so no header outlives its request."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}


def _as_requests_response(answer: aiohttp.ClientResponse, body: bytes) -> requests.Response:
    """The answer as the ``requests.Response`` the SDK's sender would have produced (the SDK's
    errors expose it as ``ErrorResponseException.response``, so handlers see the same object)."""
    response = requests.Response()
    response.status_code = answer.status
    response.headers = CaseInsensitiveDict(answer.headers)
    response.encoding = get_encoding_from_headers(response.headers)
    response.reason = answer.reason or ""
    response.url = str(answer.url)
    response._content = body
    response._content_consumed = True
    return response


CONNECT_TIMEOUT_SECONDS = 3.0
ATTEMPT_TIMEOUT_SECONDS = 5.0
SEND_BUDGET_SECONDS = 15.0
"""No send (all its attempts and waits) takes longer than this."""
MAX_ATTEMPTS = 5
RETRY_STATUSES = frozenset({429, 502, 503, 504})
BACKOFF_BASE_SECONDS = 0.5
MAX_URL_LENGTH = 2048

DEFAULT_SERVICE_URLS = ("https://*.botframework.com", "https://smba.trafficmanager.net")
"""Where Teams and the Bot Framework channels host their connector (Teams' regional paths such as
``/amer/``, ``/emea/``, ``/apac/`` are all on smba.trafficmanager.net)."""
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class OutboundRefused(ClientRequestError):
    """A request to a service URL that is not allowed; no connection was made."""


def _effective_port(url: SplitResult) -> int | None:
    try:
        port = url.port
    except ValueError:
        return None
    return port if port is not None else {"http": 80, "https": 443}.get(url.scheme)


def _host(url: SplitResult) -> str | None:
    host = url.hostname
    if not host or len(host) > 253:
        return None
    return host.lower().rstrip(".")


class ServiceUrlPolicy:
    """Which service URLs the bot may send to (see the module doc); decided on the URL's text alone,
    so a refused URL is never resolved or connected to."""

    def __init__(
        self,
        extra: Iterable[str] = (),
        *,
        allow_loopback: bool = False,
        defaults: Iterable[str] = DEFAULT_SERVICE_URLS,
    ) -> None:
        """``defaults`` are always allowed (the Bot Framework's hosts; :mod:`bot.attachments` uses the
        same rule for where files may come from), ``extra`` adds to them."""
        self._entries: list[tuple[str, str, int | None, str]] = []
        for entry in (*defaults, *extra):
            url = urlsplit(entry.strip())
            host = _host(url)
            if url.scheme not in ("http", "https") or host is None:
                raise ValueError(f"{entry!r} is not an http(s) URL such as https://smba.example.com/")
            self._entries.append((url.scheme, host, _effective_port(url), url.path.rstrip("/")))
        self.allow_loopback = allow_loopback

    def allows(self, service_url: str) -> bool:
        if not isinstance(service_url, str) or len(service_url) > MAX_URL_LENGTH:
            return False
        url = urlsplit(service_url)
        host = _host(url)
        if url.scheme not in ("http", "https") or host is None or url.username or url.password:
            return False
        port = _effective_port(url)
        if port is None:
            return False
        if self.allow_loopback and (host in LOOPBACK_HOSTS or _is_loopback_ip(host)):
            return True
        for scheme, pattern, entry_port, path in self._entries:
            if url.scheme != scheme or port != entry_port:
                continue
            if pattern.startswith("*."):
                if not host.endswith(pattern[1:]) or host == pattern[2:]:
                    continue
            elif host != pattern:
                continue
            if path and not (url.path == path or url.path.startswith(path + "/")):
                continue
            return True
        return False


def _is_loopback_ip(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback and host.count(".") in (0, 3)
    except ValueError:
        return False


def _retry_after(headers: Any) -> float | None:
    """Seconds the channel asks us to wait (``Retry-After``: seconds or an HTTP date)."""
    value = headers.get("Retry-After") if headers is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


@functools.lru_cache(maxsize=64)
def proxy_for(origin: str) -> tuple[URL | None, aiohttp.BasicAuth | None]:
    """The proxy that ``HTTPS_PROXY``/``HTTP_PROXY`` and ``NO_PROXY`` name for ``origin``
    (``scheme://host:port``), or ``(None, None)``; read once per origin and process. The session
    does not read the environment itself (``trust_env``): aiohttp would then look the proxy and a
    ``~/.netrc`` up on a worker thread for every reply, two thread hops a reply (and a netrc entry for
    the channel's host would clash with the token the credentials set)."""
    try:
        proxy, auth = aiohttp.helpers.get_env_proxy_for_url(URL(origin))
    except LookupError:
        return None, None
    return proxy, auth


class AiohttpSender(AsyncHTTPSender[ClientRequest, Any]):
    """The last step of the SDK's connector pipeline, on the event loop with a shared aiohttp session.

    The SDK's default step sends with ``requests`` on a worker thread (``run_in_executor`` for
    every call), waiting up to 100 s to read. This one keeps everything before it: the user agent,
    the credentials (which sign :class:`_HeaderCarrier`), the body and the deserialization of
    answers and errors. It refuses URLs the :class:`ServiceUrlPolicy` does not allow, bounds every
    attempt and the whole send in time, and retries what a busy channel answers (module doc);
    ``ClientRequestError`` when the channel cannot be reached.
    """

    def __init__(
        self, session: aiohttp.ClientSession, config: Any, policy: ServiceUrlPolicy | None = None
    ) -> None:
        self._session = session
        self._policy = policy or ServiceUrlPolicy()
        self._timeout = aiohttp.ClientTimeout(
            total=ATTEMPT_TIMEOUT_SECONDS, sock_connect=CONNECT_TIMEOUT_SECONDS
        )

    async def __aexit__(self, *exc_details: object) -> None:
        return None  # the session belongs to the host, which closes it

    def build_context(self) -> RequestsContext:
        return RequestsContext(session=_HeaderCarrier())  # type: ignore[no-untyped-call]

    async def send(self, request: Request[ClientRequest], **config: Any) -> Response[ClientRequest, Any]:
        http: ClientRequest = request.http_request
        if not self._policy.allows(http.url):
            raise OutboundRefused(f"the service URL {str(http.url)[:200]!r} is not allowed; nothing was sent")
        headers = dict(http.headers)
        carrier = request.context.session if request.context is not None else None
        authorization = getattr(carrier, "headers", {}).get("Authorization")
        if authorization:
            headers["Authorization"] = authorization
        target = urlsplit(http.url)
        proxy, proxy_auth = proxy_for(f"{target.scheme}://{target.netloc}")
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                async with self._session.request(
                    http.method,
                    http.url,
                    data=http.data,
                    headers=headers,
                    timeout=self._timeout,
                    allow_redirects=False,
                    proxy=proxy,
                    proxy_auth=proxy_auth,
                ) as answer:
                    body = await answer.read()
            except aiohttp.ClientConnectorError as err:
                if not await self._wait_before_retry(attempt, started, None):
                    raise _request_error(err) from err
                continue
            except (aiohttp.ClientError, TimeoutError) as err:
                # no retry: the channel may have received the activity (a second post would show twice)
                raise _request_error(err) from err
            if answer.status in RETRY_STATUSES and await self._wait_before_retry(
                attempt, started, _retry_after(answer.headers), status=answer.status
            ):
                continue
            response = AsyncRequestsClientResponse(http, _as_requests_response(answer, body))  # type: ignore[no-untyped-call]
            return Response(request, response)

    async def _wait_before_retry(
        self, attempt: int, started: float, retry_after: float | None, *, status: int | None = None
    ) -> bool:
        """Sleep before the next attempt and say so, or say that the budget does not allow one."""
        backoff = BACKOFF_BASE_SECONDS * 2 ** (attempt - 1)
        wait = backoff + random.uniform(0, backoff)  # full jitter on top of the exponential step
        if retry_after is not None:
            wait = max(wait, retry_after)
        elapsed = time.monotonic() - started
        if attempt >= MAX_ATTEMPTS or elapsed + wait + ATTEMPT_TIMEOUT_SECONDS > SEND_BUDGET_SECONDS:
            log.warning(
                "the channel is still %s after %d attempts in %.1f s; giving up on this send",
                f"answering HTTP {status}" if status else "unreachable",
                attempt,
                elapsed,
            )
            return False
        await _sleep(wait)
        return True


def _request_error(err: Exception) -> ClientRequestError:
    # The message msrest's requests step gives (``raise_with_traceback``).
    return ClientRequestError(f"Error occurred in request., {type(err).__name__}: {err}")


def aiohttp_client(
    stock: ConnectorClient, session: aiohttp.ClientSession, policy: ServiceUrlPolicy | None = None
) -> ConnectorClient:
    """A connector client like ``stock`` (its credentials, service URL and user agent) that sends
    through :class:`AiohttpSender` on ``session`` (to URLs ``policy`` allows) and posts activities
    with :class:`ActivityBodySerializer`. Uses only the SDK's documented constructor arguments
    (``pipeline_type``, ``sender``)."""
    config = stock.config
    client = ConnectorClient(
        config.credentials,
        base_url=config.base_url,
        pipeline_type=AsyncBfPipeline,
        sender=AiohttpSender(session, config, policy),
    )
    extra = config.user_agent.removeprefix(client.config.user_agent).strip()
    if extra:
        client.config.add_user_agent(extra)
    return with_fast_activity_bodies(client)
