"""The aiohttp application factory: ``POST /api/messages`` and ``GET /healthz``.

Nothing is built at import time. :func:`create_app` returns an application whose resources (the
database: SQLite, or PostgreSQL (:func:`bot.backends.open_backend`); the conversation layer, the
adapter and the bot) are opened when it starts and closed when it stops (``cleanup_ctx``), and are
reachable through the typed keys below. While it runs, a task removes conversation and user state
that has not been used for ``PARTNERBOT_STATE_RETENTION_DAYS`` (partner data is never removed), and
another sends the digests and warnings that are due (:mod:`bot.notify`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from aiohttp import web
from botbuilder.core import InvokeResponse, Storage, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import AdaptiveCardInvokeResponse
from botframework.connector.auth import ServiceClientCredentialsFactory

from bot import edge, notify
from bot.activity_json import is_plain_json
from bot.adapter import (
    AuthUnavailable,
    ReusingBotFrameworkAuthentication,
    Unauthorized,
    authenticate,
    create_authentication,
)
from bot.attachments import HttpFiles
from bot.backends import open_backend
from bot.settings import Settings
from bot.storage import Backend, state_scope
from bot.teams import PartnerBot, turn_error_handler
from bot.turn_context import LeanCloudAdapter
from dialogs.conversation import build_conversation, warm_up
from dialogs.ports import ConversationLayer, PartnerRepository
from kernel import clock

log = logging.getLogger(__name__)

ConversationFactory = Callable[[Storage, PartnerRepository], ConversationLayer]
"""Builds the conversation layer on the host's storage (default: ``dialogs.conversation``)."""

SETTINGS = web.AppKey("settings", Settings)
BACKEND = web.AppKey("backend", Backend)
STORAGE = web.AppKey("storage", Storage)
PARTNERS = web.AppKey("partners", PartnerRepository)
CONVERSATION = web.AppKey("conversation", ConversationLayer)
AUTHENTICATION = web.AppKey("authentication", ReusingBotFrameworkAuthentication)
ADAPTER = web.AppKey("adapter", CloudAdapter)
BOT = web.AppKey("bot", PartnerBot)


def default_conversation_factory(storage: Storage, partners: PartnerRepository) -> ConversationLayer:
    return build_conversation(storage, partners)


def file_transfer(settings: Settings) -> HttpFiles:
    """Downloads of files sent in chat and uploads of exports, bounded by the settings."""
    return HttpFiles(
        settings.file_hosts, max_bytes=settings.file_max_bytes, timeout_seconds=settings.file_timeout_seconds
    )


def settle() -> None:
    """Before serving: load what every turn reads (:func:`dialogs.conversation.warm_up`), then set
    everything alive now aside from the garbage collector (``gc.freeze``). Those tables, the SDK
    and the rule editions live as long as the process; without this, every full collection walks
    them again, which paused a busy bot for 100 ms and more (the p99 of ``bench.bench_turns`` at
    concurrency 8 went from about 0.6 to 0.25 of the echo bot's). ``partnerbot serve`` calls it."""
    warm_up()
    gc.collect()
    gc.freeze()


def create_app(
    settings: Settings,
    *,
    conversation_factory: ConversationFactory | None = None,
    credentials_factory: ServiceClientCredentialsFactory | None = None,
) -> web.Application:
    """The bot's web application for ``settings``.

    ``conversation_factory`` replaces the conversation layer (tests use small doubles);
    ``credentials_factory`` replaces how outgoing calls get their credentials (tests).
    """
    app = web.Application(
        client_max_size=edge.MAX_BODY_BYTES,
        middlewares=[edge.error_middleware],
        handler_args=edge.handler_args(),
    )
    app[SETTINGS] = settings

    async def resources(app: web.Application) -> AsyncIterator[None]:
        if not settings.auth_enabled:
            log.warning(
                "MicrosoftAppId is empty: requests are not authenticated, so anyone who can reach "
                "%s:%d can post to the bot. Keep it on 127.0.0.1 or set MicrosoftAppId.",
                settings.bind_host,
                settings.port,
            )
        backend = await open_backend(settings)
        authentication: ReusingBotFrameworkAuthentication | None = None
        files = file_transfer(settings)
        try:
            storage = backend.storage
            partners = backend.partners
            if conversation_factory is None:
                conversation = build_conversation(storage, partners, files=files)
            else:
                conversation = conversation_factory(storage, partners)
            authentication = create_authentication(settings, credentials_factory=credentials_factory)
            adapter = LeanCloudAdapter(authentication)
            adapter.on_turn_error = turn_error_handler(conversation)
            app[BACKEND] = backend
            app[STORAGE] = storage
            app[PARTNERS] = partners
            app[CONVERSATION] = conversation
            app[AUTHENTICATION] = authentication
            app[ADAPTER] = adapter
            app[BOT] = PartnerBot(
                conversation, settings.tenant_allowed, settings.other_channel_allowed, backend.leases,
                local_from_teams=not settings.microsoft_app_id,
                roles_checked=settings.auth_enabled,
            )
            cleaner = _clean_up_periodically(backend, settings)
            tasks = [asyncio.create_task(cleaner, name="partnerbot-clean-up")]
            if settings.notify_every_seconds:
                tasks.append(asyncio.create_task(
                    notify.schedule(partners, adapter, settings.microsoft_app_id, settings.today,
                                    settings.notify_every_seconds),
                    name="partnerbot-notify",
                ))
            try:
                yield
            finally:
                for task in tasks:
                    task.cancel()
                for task in tasks:
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
        finally:
            await files.close()
            if authentication is not None:
                await authentication.close()
            await backend.close()

    app.cleanup_ctx.append(resources)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    return app


CLEAN_UP_EVERY_SECONDS = 6 * 3600.0
"""How often ``partnerbot serve`` removes unused conversation state (and once at start)."""


async def _clean_up_periodically(backend: Backend, settings: Settings) -> None:
    """Remove conversation and user state unused for ``PARTNERBOT_STATE_RETENTION_DAYS``, at start and
    then every :data:`CLEAN_UP_EVERY_SECONDS`; partner data is never touched. A failure is logged
    and tried again next time."""
    retention = dt.timedelta(days=settings.state_retention_days)
    while True:
        try:
            removed = await backend.clean_up(retention)
        except Exception:
            log.exception("the clean-up of unused conversation state failed; trying again later")
        else:
            log.info(
                "removed %d conversation and user state rows unused for %g days",
                removed,
                settings.state_retention_days,
            )
        await asyncio.sleep(CLEAN_UP_EVERY_SECONDS)


async def messages(request: web.Request) -> web.StreamResponse:
    """One activity from the Bot Framework channel: check, authenticate, run the turn."""
    app = request.app
    data = await edge.read_activity_json(request)
    auth_header = request.headers.get("Authorization")
    try:
        auth_result = await authenticate(app[AUTHENTICATION], edge.auth_view(data), auth_header)
    except Unauthorized as err:
        log.warning("refused an activity without a valid token: %s", err)
        return edge.error_response(401, "a valid Bot Framework token is required")
    except AuthUnavailable as err:
        log.error("cannot check Bot Framework tokens now: %s", err)
        return edge.error_response(503, "tokens cannot be checked right now; try again later")
    service_url = str(data["serviceUrl"])
    if not app[AUTHENTICATION].service_urls.allows(service_url):
        log.warning(
            "refused an activity: its serviceUrl %r is not an allowed Bot Framework service "
            "(PARTNERBOT_ALLOWED_SERVICE_URLS); nothing was run or sent",
            service_url[:200],
        )
        return edge.error_response(403, "the serviceUrl is not an allowed Bot Framework service")
    activity = edge.to_activity(data)  # only now: an anonymous caller's body is not deserialized
    # No state is read or written until the bot knows the turn's tenant; the turn runs "as of"
    # PARTNERBOT_TODAY when it is set.
    with state_scope(), clock.fixed(app[SETTINGS].today):
        invoke_response: InvokeResponse | None = await app[ADAPTER].process_activity(
            auth_result, activity, app[BOT].on_turn
        )
    if invoke_response is not None:
        return web.json_response(invoke_body(invoke_response.body), status=int(invoke_response.status))
    return web.Response(status=201)


def invoke_body(body: Any) -> Any:
    """An invoke response's body as JSON. The SDK answers a malformed ``adaptiveCard/action`` (e.g.
    ``value: "x"``) with a 400 whose error value is a Python ``Exception``, which msrest cannot
    serialize (that was a 500): such an error becomes the documented ``{code, message}`` object."""
    if body is None or is_plain_json(body):
        return body
    if isinstance(body, AdaptiveCardInvokeResponse) and isinstance(body.value, BaseException):
        args = [str(arg) for arg in body.value.args]
        return {
            "statusCode": body.status_code,
            "type": body.type,
            "value": {"code": args[0] if args else "BadRequest", "message": args[1] if len(args) > 1 else ""},
        }
    try:
        return serializer_helper(body)
    except Exception:
        log.exception("an invoke response body could not be serialized; answered without one")
        return None


async def healthz(request: web.Request) -> web.Response:
    """200 when the database answers, 503 otherwise."""
    try:
        await request.app[BACKEND].check()
    except Exception:
        log.exception("health check: the database does not answer")
        return web.json_response({"status": "unavailable", "storage": "error"}, status=503)
    return web.json_response({"status": "ok", "storage": "ok"})
