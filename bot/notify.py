"""The bot speaks first: digests and warnings to the conversations that asked for them.

A conversation opts in with "notify me" (:mod:`dialogs.intents.notify`), which stores its Bot
Framework conversation reference. :func:`run_due` then sends, as of a day:

- a **digest** (:func:`dialogs.digest.prepare`: score, change since the previous month, designation,
  most useful next step) on the data-refresh day of the rules in force (the 15th, from June 2023
  the 20th: :func:`scoring.api.refresh_day`), and whenever the tenant's score differs from the one
  the conversation was last told (after an import or a saved change);
- a **warning** when a drop is foreseen for next month or a certification expires within 30 days.

Each send is first **claimed** in the database (a unique key per conversation, kind and month, or
score for a change), so a digest goes out at most once per month per conversation, even across
restarts and with several bot processes. A claim is given back when the send fails for a passing
reason (tried again next time); a conversation whose channel answers 403 or 404 (the bot was
removed) is unsubscribed.

Sending uses the adapter's proactive path (``continue_conversation``) and so the same connector
client, retries and outbound allow-list as replies. ``partnerbot serve`` runs :func:`run_due` every
``PARTNERBOT_NOTIFY_EVERY_SECONDS`` (default 300); ``partnerbot notify --due`` runs it once (cron).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, ConversationReference
from botframework.connector.models import ErrorResponseException

from bot.storage.documents import DocumentRepository
from bot.storage.notifications import Subscription
from dialogs import digest
from kernel import clock
from kernel.texts import catalog
from scoring import api

log = logging.getLogger(__name__)

GONE = frozenset({403, 404})
"""Channel answers that mean the bot can no longer write to the conversation."""


@dataclass
class Report:
    """What one run did, by conversation key."""

    sent: list[str] = field(default_factory=list)
    warned: list[str] = field(default_factory=list)
    unsubscribed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return catalog().text("bot.notify.report", "en", sent=len(self.sent), warned=len(self.warned),
                              unsubscribed=len(self.unsubscribed), failed=len(self.failed))


class Gone(Exception):
    """The channel answered 403 or 404: the bot was removed from the conversation."""


async def run_due(partners: object, adapter: BotAdapter, app_id: str, today: dt.date | None = None) -> Report:
    """Send every digest and warning due ``today`` (default :func:`kernel.clock.today`)."""
    if not isinstance(partners, DocumentRepository):
        raise TypeError("notifications need the host's own partner repository")
    day = today or clock.today()
    refresh = api.refresh_day(day) == day
    report = Report()
    for sub in await partners.notifications.subscriptions():
        try:
            await _one(partners, adapter, app_id, sub, day, refresh, report)
        except Gone:
            await partners.unsubscribe(sub.tenant_id, sub.conversation_key)
            report.unsubscribed.append(sub.conversation_key)
            log.info("the bot was removed from %s: its notifications are switched off", sub.conversation_key)
    return report


async def _one(partners: DocumentRepository, adapter: BotAdapter, app_id: str, sub: Subscription,
               day: dt.date, refresh: bool, report: Report) -> None:
    profile = await partners.load_profile(sub.tenant_id)
    if profile is None:
        return
    key = digest.current_key(profile, day)
    if key is None:
        return
    due: list[tuple[str, str]] = []
    if refresh:
        due.append(("digest", day.strftime("%Y-%m")))
    if sub.score_key is not None and key != sub.score_key:
        due.append(("change", key))
    store = partners.notifications
    if sub.score_key is None:  # the first score seen: nothing to tell yet
        await store.told(sub.tenant_id, sub.conversation_key, key)
    claimed = [(kind, period) for kind, period in due
               if await partners.notifications.claim(sub.tenant_id, sub.conversation_key, kind, period)]
    prepared = digest.prepare(profile, await partners.load_history(sub.tenant_id), day, sub.lang,
                              changed=not refresh)
    if prepared is None:
        return
    if claimed and await _send(partners, adapter, app_id, sub, [prepared.digest], claimed, report):
        await partners.notifications.told(sub.tenant_id, sub.conversation_key, key)
        report.sent.append(sub.conversation_key)
    if prepared.warning is not None:
        warning = [("warning", day.strftime("%Y-%m"))]
        if await store.claim(sub.tenant_id, sub.conversation_key, *warning[0]) and await _send(
            partners, adapter, app_id, sub, [prepared.warning], warning, report
        ):
            report.warned.append(sub.conversation_key)


async def _send(partners: DocumentRepository, adapter: BotAdapter, app_id: str, sub: Subscription,
                activities: Sequence[Activity], claims: Sequence[tuple[str, str]], report: Report) -> bool:
    """Send ``activities`` to the conversation; on a passing failure give the claims back."""
    try:
        await send_proactive(adapter, app_id, sub.reference, activities)
    except Gone:
        raise
    except Exception as err:  # the channel is busy or unreachable: one line, not a traceback
        log.warning("a notification to %s could not be sent (%s: %s); it is tried again later",
                    sub.conversation_key, type(err).__name__, err)
        for kind, period in claims:
            await partners.notifications.release(sub.tenant_id, sub.conversation_key, kind, period)
        report.failed.append(sub.conversation_key)
        return False
    return True


async def send_proactive(adapter: BotAdapter, app_id: str, reference: dict[str, object],
                         activities: Sequence[Activity]) -> None:
    """Post ``activities`` to the referenced conversation through the adapter's proactive path;
    :class:`Gone` when the channel answers 403 or 404."""
    conversation = ConversationReference.deserialize(reference)

    failed: list[BaseException] = []

    async def post(turn_context: TurnContext) -> None:
        # Caught here: the adapter's turn-error handler would log it and carry on as if it were sent.
        try:
            await turn_context.send_activities(list(activities))
        except Exception as err:
            failed.append(err)

    await adapter.continue_conversation(conversation, post, app_id or None)
    if failed:
        err = failed[0]
        status = getattr(getattr(err, "response", None), "status_code", None)
        if isinstance(err, ErrorResponseException) and status in GONE:
            raise Gone(str(status)) from err
        raise err


async def schedule(partners: object, adapter: BotAdapter, app_id: str, today: dt.date | None,
                   every_seconds: float) -> None:
    """``partnerbot serve``'s loop: :func:`run_due` at start and every ``every_seconds``; a failure
    is logged and tried again next time."""
    while True:
        try:
            with clock.fixed(today):
                report = await run_due(partners, adapter, app_id)
            if report.sent or report.warned or report.unsubscribed or report.failed:
                log.info("notifications: %s", report)
        except Exception:
            log.exception("looking for due notifications failed; trying again later")
        await asyncio.sleep(every_seconds)
