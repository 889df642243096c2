"""The HTTP edge: what a request must look like before the Bot Framework SDK sees it.

A client's mistake gets a 4xx with a short JSON reason, never a 500 and never a turn:

- body over :data:`MAX_BODY_BYTES` → 413;
- missing or wrong ``Content-Type``, malformed JSON, JSON nested deeper than
  :data:`MAX_JSON_DEPTH`, an activity that is not a JSON object or lacks
  a required field → 400;
- unknown path → 404, wrong method → 405 (aiohttp's router);
- missing or invalid Bot Framework token → 401 (see :mod:`bot.adapter`).

The stock ``CloudAdapter.process`` raises ``KeyError`` on a missing ``Content-Type`` and lets a
token it cannot parse escape as a 500; :mod:`bot.app` therefore does not call it, but validates
here and calls ``CloudAdapter.process_activity`` itself.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.schema import Activity, ChannelAccount

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
MAX_JSON_DEPTH = 64
"""Deepest nesting of lists and objects an activity may have (Teams sends fewer than 10 levels)."""

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


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
    body = await request.read()  # aiohttp enforces client_max_size here too (chunked bodies)
    try:
        data = json.loads(body.decode(request.charset or "utf-8"))
    except (UnicodeDecodeError, LookupError):
        raise BadRequest("the body is not valid UTF-8") from None
    except json.JSONDecodeError as err:
        raise BadRequest(f"malformed JSON: {err.msg} at line {err.lineno} column {err.colno}") from None
    except RecursionError:
        raise BadRequest(f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep") from None
    if _too_deep(data):
        raise BadRequest(f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep")
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
    """The SDK's activity for checked JSON; :class:`BadRequest` when the SDK cannot read it."""
    try:
        activity: Activity = Activity().deserialize(data)
    except Exception as err:  # msrest raises its own DeserializationError and friends
        raise BadRequest(f"the activity cannot be read: {type(err).__name__}") from None
    return activity


def _too_deep(data: Any) -> bool:
    """Whether ``data`` nests lists and objects deeper than :data:`MAX_JSON_DEPTH` (no recursion:
    the SDK's deserializer, the dialogs and the state store all walk values recursively)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth >= MAX_JSON_DEPTH:
                    return True
                stack.append((child, depth + 1))
    return False


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
