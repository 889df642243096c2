"""A small bot on the real SDK (CloudAdapter + ActivityHandler), served on loopback, for chat-client tests.

It answers like a channel bot: replies go to the activity's ``serviceUrl``. What it says shows
what it received, so tests can assert on the activities the chat client sent.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from types import SimpleNamespace

from aiohttp import web
from botbuilder.core import ActivityHandler, CardFactory, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount

QUESTION_CARD = {
    "type": "AdaptiveCard",
    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
    "version": "1.5",
    "fallbackText": "Is the offer live? Yes / No",
    "body": [{"type": "TextBlock", "text": "Is the offer live?", "wrap": True}],
    "actions": [
        {"type": "Action.Submit", "title": "Yes", "data": {"verb": "answer", "text": "yes"}},
        {"type": "Action.Submit", "title": "No", "data": {"verb": "answer", "text": "no"}},
        {"type": "Action.OpenUrl", "title": "Partner Center", "url": "https://partner.microsoft.com/dashboard"},
    ],
}


class EchoBot(ActivityHandler):  # type: ignore[misc]  # the SDK is untyped
    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext):
        for member in members_added:
            if member.id != turn_context.activity.recipient.id:
                await turn_context.send_activity(f"welcome {member.name}")

    async def on_message_activity(self, turn_context: TurnContext):
        activity = turn_context.activity
        await turn_context.send_activity(Activity(type=ActivityTypes.typing))
        if activity.value is not None:
            value = json.dumps(activity.value, sort_keys=True)
            await turn_context.send_activity(
                f"value: {value} text: '{activity.text or ''}' replyTo: {activity.reply_to_id}")
            return
        text = (activity.text or "").strip()
        if text == "card":
            card = CardFactory.adaptive_card(QUESTION_CARD)
            await turn_context.send_activity(MessageFactory.attachment(card))
        elif text == "whoami":
            tenant = (activity.channel_data or {}).get("tenant", {}).get("id")
            await turn_context.send_activity(
                f"channel {activity.channel_id} locale {activity.locale} tenant {tenant} "
                f"conversation-tenant {activity.conversation.tenant_id} from {activity.from_property.id}")
        elif text == "update":
            sent = await turn_context.send_activity("first version")
            changed = MessageFactory.text("second version")
            changed.id = sent.id
            await turn_context.update_activity(changed)
        elif text == "delete":
            sent = await turn_context.send_activity("short-lived")
            await turn_context.delete_activity(sent.id)
        elif text == "two":
            await turn_context.send_activity("one")
            await turn_context.send_activity("two")
        else:
            await turn_context.send_activity(f"echo: {text}")


def echo_app(bot: ActivityHandler | None = None) -> web.Application:
    """The stock SDK set-up (``CloudAdapter`` as shipped, no auth) serving ``bot`` (default: EchoBot)."""
    config = SimpleNamespace(APP_ID="", APP_PASSWORD="", APP_TYPE="MultiTenant", APP_TENANTID="")
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))
    bot = bot or EchoBot()

    async def messages(request: web.Request) -> web.Response:
        response = await adapter.process(request, bot)
        return response if response is not None else web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


@asynccontextmanager
async def serve(app: web.Application) -> AsyncIterator[str]:
    """Serve ``app`` on 127.0.0.1 at a free port; yields the messaging endpoint."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}/api/messages"
    finally:
        await runner.cleanup()


@contextmanager
def serve_in_thread(make_app: Callable[[], web.Application]) -> Iterator[str]:
    """Serve the app made by ``make_app`` on loopback in its own thread and event loop (for sync tests
    that run the CLI, which starts its own loop); yields the messaging endpoint."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    url: list[str] = []
    runner_box: list[web.AppRunner] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        runner = web.AppRunner(make_app(), access_log=None)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        host, port = runner.addresses[0][:2]
        url.append(f"http://{host}:{port}/api/messages")
        runner_box.append(runner)
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not ready.wait(10):
        raise RuntimeError("the test bot did not start")
    try:
        yield url[0]
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
