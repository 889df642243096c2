"""The HTTP edge: what a request must look like before the Bot Framework SDK sees it.

A client's mistake gets a 4xx with a short JSON reason, never a 500 and never a turn:

- body over :data:`MAX_BODY_BYTES` → 413;
- a body that has not arrived within :data:`READ_TIMEOUT_SECONDS` → 408 (and a connection whose
  request line and headers have not arrived by then is closed: :func:`handler_args`);
- missing or wrong ``Content-Type``, malformed JSON, JSON nested deeper than
  :data:`MAX_JSON_DEPTH`, an activity that is not a JSON object or lacks
  a required field, a text with a lone surrogate anywhere or a NUL character outside the typed
  text, or a field of the
  wrong type (``channelData.team`` as a string, a number as ``conversation.id``) → 400;
- unknown path → 404, wrong method → 405 (aiohttp's router);
- missing or invalid Bot Framework token → 401 (see :mod:`bot.adapter`).

The stock ``CloudAdapter.process`` raises ``KeyError`` on a missing ``Content-Type`` and lets a
token it cannot parse escape as a 500; :mod:`bot.app` therefore does not call it, but validates
here and calls ``CloudAdapter.process_activity`` itself.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.schema import Activity, ChannelAccount

from bot.activity_json import NotPlain, model_from_json

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
MAX_JSON_DEPTH = 64
"""Deepest nesting of lists and objects an activity may have (Teams sends fewer than 10 levels)."""
READ_TIMEOUT_SECONDS = 15.0
"""How long a client may take to send a request's headers, and then its body."""

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def handler_args() -> dict[str, Any]:
    """Arguments for aiohttp's connection handler: an idle connection, or one whose request line
    and headers have not all arrived, is closed after :data:`READ_TIMEOUT_SECONDS` (aiohttp
    waits an hour by default)."""
    return {"keepalive_timeout": READ_TIMEOUT_SECONDS}


def error_response(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


class BadRequest(Exception):
    """The request is not a usable activity; ``reason`` says why (for the calling developer)."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Client mistakes as short JSON errors; anything unexpected as a bare 500 (and a log line)."""
    try:
        return await handler(request)
    except BadRequest as err:
        return error_response(err.status, err.reason)
    except web.HTTPRequestEntityTooLarge:
        return error_response(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    except web.HTTPException as err:
        if err.status >= 400:
            response = error_response(err.status, err.reason)
            if "Allow" in err.headers:  # 405 says which methods the path takes
                response.headers["Allow"] = err.headers["Allow"]
            return response
        raise
    except Exception:
        log.exception("unexpected error serving %s %s", request.method, request.path)
        return error_response(500, "internal error")


async def read_activity(request: web.Request) -> tuple[Activity, dict[str, Any]]:
    """The request's activity, checked; :class:`BadRequest` says what is wrong with it."""
    data = await read_activity_json(request)
    return to_activity(data), data


async def read_activity_json(request: web.Request) -> dict[str, Any]:
    """The request's activity as checked JSON (required fields present, nesting bounded), not yet
    deserialized: :func:`auth_view` is enough to check the token, :func:`to_activity` comes after."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise BadRequest(f"the body is larger than {MAX_BODY_BYTES} bytes", status=413)
    if "Content-Type" not in request.headers:
        raise BadRequest("Content-Type is missing; send application/json")
    if request.content_type != "application/json":
        raise BadRequest(f"Content-Type is {request.content_type}; send application/json")
    try:  # aiohttp enforces client_max_size here too (chunked bodies)
        body = await asyncio.wait_for(request.read(), READ_TIMEOUT_SECONDS)
    except TimeoutError:
        raise BadRequest(f"the body did not arrive within {READ_TIMEOUT_SECONDS:g} s", status=408) from None
    try:
        data = json.loads(body.decode(request.charset or "utf-8"))
    except (UnicodeDecodeError, LookupError):
        raise BadRequest("the body is not valid UTF-8") from None
    except json.JSONDecodeError as err:
        raise BadRequest(f"malformed JSON: {err.msg} at line {err.lineno} column {err.colno}") from None
    except RecursionError:
        raise BadRequest(f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep") from None
    _check_values(data)
    if not isinstance(data, dict):
        raise BadRequest("the activity must be a JSON object")
    _check_fields(data)
    return data


def auth_view(data: dict[str, Any]) -> Activity:
    """The fields of a checked activity that the SDK's token check reads (channel, service URL,
    recipient's role), without deserializing the rest for a caller who may not be authenticated."""
    recipient = data.get("recipient")
    return Activity(
        channel_id=data["channelId"],
        service_url=data["serviceUrl"],
        recipient=ChannelAccount(id=recipient.get("id"), role=recipient.get("role"))
        if isinstance(recipient, dict)
        else None,
        relates_to=data.get("relatesTo"),
    )


def to_activity(data: dict[str, Any]) -> Activity:
    """The SDK's activity for checked JSON; :class:`BadRequest` when the SDK cannot read it.
    Read directly when every value is of the kind the model declares (the same Activity as
    msrest's, see :mod:`bot.activity_json`), else by msrest."""
    try:
        plain: Activity = model_from_json(data, "Activity")
        return plain
    except NotPlain:
        pass
    try:
        activity: Activity = Activity().deserialize(data)
    except Exception as err:  # msrest raises its own DeserializationError and friends
        raise BadRequest(f"the activity cannot be read: {type(err).__name__}") from None
    return activity


def _check_values(data: Any) -> None:
    """Refuse JSON nested deeper than :data:`MAX_JSON_DEPTH` (no recursion: the SDK's deserializer,
    the dialogs and the state store all walk values recursively), and any text (key or value) with
    a NUL character or a lone surrogate (in ids and other fields they failed the turn silently);
    the typed ``text`` may hold a NUL."""
    if isinstance(data, dict) and isinstance(data.get("text"), str):
        # A typed message may hold a NUL (the conversation answers it like any odd text); it may
        # not hold a lone surrogate, which no reply, log line or database row can carry.
        _check_text(data["text"].replace("\x00", ""))
        data = {key: value for key, value in data.items() if key != "text"}
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            for key in node:
                _check_text(key)
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            _check_text(node)
            continue
        for child in children:
            if isinstance(child, dict | list):
                if depth >= MAX_JSON_DEPTH:
                    raise BadRequest(f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep")
                stack.append((child, depth + 1))
            else:
                _check_text(child)


def _check_text(value: Any) -> None:
    if not isinstance(value, str):
        return
    if "\x00" in value:
        raise BadRequest("a text in the activity contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest("a text in the activity contains a lone surrogate (not valid Unicode)") from None


_TYPES: dict[str, tuple[type, ...]] = {"string": (str,), "object": (dict,), "list": (list,)}

NESTED_FIELDS: tuple[tuple[str, str], ...] = (
    ("conversation.id", "string"),
    ("conversation.conversationType", "string"),
    ("conversation.tenantId", "string"),
    ("conversation.name", "string"),
    ("from.name", "string"),
    ("from.aadObjectId", "string"),
    ("from.role", "string"),
    ("recipient.id", "string"),
    ("recipient.name", "string"),
    ("recipient.role", "string"),
    ("channelData.tenant", "object"),
    ("channelData.tenant.id", "string"),
    ("channelData.team", "object"),
    ("channelData.team.id", "string"),
    ("channelData.team.name", "string"),
    ("channelData.channel", "object"),
    ("channelData.channel.id", "string"),
    ("channelData.eventType", "string"),
    ("name", "string"),
    ("timestamp", "string"),
    ("localTimestamp", "string"),
    ("textFormat", "string"),
    ("action", "string"),
    ("relatesTo", "object"),
)
"""Fields of an activity that Teams sends with one JSON type, checked when present (``null`` is
allowed): the SDK and the handlers read them as that type, and a string ``channelData.team``
failed the turn with a traceback and no reply."""


def _check_nested(data: dict[str, Any]) -> None:
    for path, kind in NESTED_FIELDS:
        node: Any = data
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None and not isinstance(node, _TYPES[kind]):
            raise BadRequest(f"'{path}' must be a{'n' if kind == 'object' else ''} {kind}")
    for name in ("attachments", "entities", "membersAdded", "membersRemoved"):
        for item in data.get(name) or []:
            if not isinstance(item, dict):
                raise BadRequest(f"each of '{name}' must be an object")
    for name in ("membersAdded", "membersRemoved"):
        for member in data.get(name) or []:
            if not isinstance(member.get("id"), str):
                raise BadRequest(f"each of '{name}' needs 'id' as a string")


def _check_fields(data: dict[str, Any]) -> None:
    def text(name: str, value: Any) -> None:
        if not isinstance(value, str) or not value.strip():
            raise BadRequest(f"the activity needs '{name}' as a non-empty string")

    def account(name: str) -> None:
        value = data.get(name)
        if not isinstance(value, dict):
            raise BadRequest(f"the activity needs '{name}' as an object")
        text(f"{name}.id", value.get("id"))

    text("type", data.get("type"))
    text("channelId", data.get("channelId"))
    text("serviceUrl", data.get("serviceUrl"))
    url = urlsplit(data["serviceUrl"])
    if url.scheme not in ("http", "https") or not url.netloc:
        raise BadRequest("'serviceUrl' must be an http or https URL")
    account("conversation")
    account("from")
    for name in ("text", "locale", "id", "replyToId"):
        if name in data and data[name] is not None and not isinstance(data[name], str):
            raise BadRequest(f"'{name}' must be a string")
    for name in ("attachments", "membersAdded", "membersRemoved", "entities"):
        if name in data and data[name] is not None and not isinstance(data[name], list):
            raise BadRequest(f"'{name}' must be a list")
    for name in ("recipient", "channelData"):
        if name in data and data[name] is not None and not isinstance(data[name], dict):
            raise BadRequest(f"'{name}' must be an object")
    _check_nested(data)
