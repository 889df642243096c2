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
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import aiohttp
import requests
from botbuilder.schema import Activity, Attachment
from botframework.connector import models
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

_PLAIN_SCALARS = (str, int, float, bool, type(None))

CLIENT_MODELS: dict[str, type] = {k: v for k, v in models.__dict__.items() if isinstance(v, type)}
"""The models the SDK's ``ConnectorClient`` gives its serializer (the same dictionary)."""


def is_plain_json(value: object) -> bool:
    """True when ``value`` is made only of the exact JSON types msrest copies unchanged."""
    kind = type(value)
    if kind in _PLAIN_SCALARS:
        return True
    if kind is dict:
        return all(type(key) is str and is_plain_json(item) for key, item in value.items())  # type: ignore[attr-defined]
    if kind is list:
        return all(is_plain_json(item) for item in value)  # type: ignore[attr-defined]
    return False


class ActivityBodySerializer(Serializer):  # msrest is untyped
    """msrest's serializer, except that plain-JSON attachment contents of an Activity body are
    copied in as they are instead of being walked value by value (same JSON, less CPU)."""

    def __init__(self) -> None:
        super().__init__(CLIENT_MODELS)  # type: ignore[no-untyped-call]

    def body(self, data: Any, data_type: str, **kwargs: Any) -> Any:
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


class AiohttpSender(AsyncHTTPSender[ClientRequest, Any]):
    """The last step of the SDK's connector pipeline, on the event loop with a shared aiohttp session.

    The SDK's default step sends with ``requests`` on a worker thread (``run_in_executor`` for
    every call). This one keeps everything before it: the user agent, the credentials (which sign
    :class:`_HeaderCarrier`), the body and the deserialization of answers and errors. Like the
    ``requests`` step it waits ``config.connection.timeout`` seconds to connect and to read, retries
    a connection that cannot be made as often as ``config.retry_policy`` allows, and raises
    ``ClientRequestError`` when the channel cannot be reached.
    """

    def __init__(self, session: aiohttp.ClientSession, config: Any) -> None:
        self._session = session
        timeout = float(config.connection.timeout)
        self._timeout = aiohttp.ClientTimeout(total=None, sock_connect=timeout, sock_read=timeout)
        policy = config.retry_policy.policy
        self._connect_retries = int(policy.connect if policy.connect is not None else policy.total or 0)
        self._backoff = float(policy.backoff_factor or 0)
        self._max_backoff = float(getattr(policy, "backoff_max", 120))

    async def __aexit__(self, *exc_details: object) -> None:
        return None  # the session belongs to the host, which closes it

    def build_context(self) -> RequestsContext:
        return RequestsContext(session=_HeaderCarrier())  # type: ignore[no-untyped-call]

    async def send(self, request: Request[ClientRequest], **config: Any) -> Response[ClientRequest, Any]:
        http: ClientRequest = request.http_request
        headers = dict(http.headers)
        carrier = request.context.session if request.context is not None else None
        authorization = getattr(carrier, "headers", {}).get("Authorization")
        if authorization:
            headers["Authorization"] = authorization
        attempt = 0
        while True:
            try:
                async with self._session.request(
                    http.method, http.url, data=http.data, headers=headers, timeout=self._timeout
                ) as answer:
                    body = await answer.read()
                response = AsyncRequestsClientResponse(http, _as_requests_response(answer, body))  # type: ignore[no-untyped-call]
                return Response(request, response)
            except aiohttp.ClientConnectorError as err:
                if attempt >= self._connect_retries:
                    raise _request_error(err) from err
                attempt += 1
                # urllib3's schedule: no wait after the first failure, then backoff * 2 ** (n - 1)
                wait = 0.0 if attempt == 1 else min(self._max_backoff, self._backoff * 2 ** (attempt - 1))
                await asyncio.sleep(wait)
            except (aiohttp.ClientError, TimeoutError) as err:
                raise _request_error(err) from err


def _request_error(err: Exception) -> ClientRequestError:
    # The message msrest's requests step gives (``raise_with_traceback``).
    return ClientRequestError(f"Error occurred in request., {type(err).__name__}: {err}")


def aiohttp_client(stock: ConnectorClient, session: aiohttp.ClientSession) -> ConnectorClient:
    """A connector client like ``stock`` (its credentials, service URL and user agent) that sends
    through :class:`AiohttpSender` on ``session`` and posts activities with
    :class:`ActivityBodySerializer`. Uses only the SDK's documented constructor arguments
    (``pipeline_type``, ``sender``)."""
    config = stock.config
    client = ConnectorClient(
        config.credentials,
        base_url=config.base_url,
        pipeline_type=AsyncBfPipeline,
        sender=AiohttpSender(session, config),
    )
    extra = config.user_agent.removeprefix(client.config.user_agent).strip()
    if extra:
        client.config.add_user_agent(extra)
    return with_fast_activity_bodies(client)
