"""Files in chat: a file sent to the bot (preview, then Save) and "export my data" (the file offered,
then sent once the user accepts it).

**A file sent.** In a personal chat Teams delivers a file as an attachment of type
``application/vnd.microsoft.teams.file.download.info`` with a short-lived download URL. The host
downloads it (:class:`dialogs.ports.FileTransfer`: allowed hosts only, bounded in size and time);
:func:`dialogs.datafiles.read_upload` checks it with the same checks as ``partnerbot import``: a
profile (YAML or JSON), co-sell facts, both, or a record CSV (which replaces that kind of records
in the stored profile). The preview card shows what would change, before → after, and the score
after; the checked documents wait in this person's conversation state, and only Save (the button of
that very preview) stores them, through :func:`dialogs.datafiles.store`. An error names the file,
row and field in the user's language. In a group chat or channel Teams does not give bots files:
the bot says so.

**Export.** "export my data" offers the stored profile and co-sell facts as one YAML file that
``partnerbot import`` accepts (what ``partnerbot export --what all`` prints). Teams lets a bot send
a file in a personal chat only through its file consent card: the user accepts, Teams gives an
upload URL in the user's OneDrive, the host uploads the file there and the bot posts it as a file
card. The file is made when the user accepts, so it holds what is stored at that moment. In a group
chat the bot explains this and names the command instead.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from botbuilder.core import PrivateConversationState, TurnContext
from botbuilder.schema import Activity

from dialogs import audit, datafiles
from dialogs.cards import files as cards
from dialogs.cards.answers import text_card
from dialogs.cards.kit import reply
from dialogs.ports import FileTransfer, PartnerRepository
from dialogs.turn import is_group_conversation
from kernel.errors import InputError
from kernel.texts import catalog

log = logging.getLogger(__name__)

FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
EXPORT_WHAT = "all"


def _t(key: str, lang: str, **params: Any) -> str:
    return catalog().text(key, lang, **params)


def _text(value: str) -> Activity:
    return Activity(type="message", text=value)


def sent_files(activity: Any) -> list[tuple[str, str]]:
    """(name, download URL) of each file the message carries (Teams' file download info)."""
    found = []
    for attachment in activity.attachments or []:
        if getattr(attachment, "content_type", None) != FILE_DOWNLOAD_INFO:
            continue
        content = attachment.content if isinstance(attachment.content, Mapping) else {}
        url = content.get("downloadUrl")
        name = str(attachment.name or "").strip() or "file"
        if isinstance(url, str) and url:
            found.append((name[:200], url))
    return found


def export_name(today: date) -> str:
    return f"partner-data-{today.isoformat()}.yaml"


class FileTransfers:
    """The file flows of one conversation layer, on its private conversation state."""

    def __init__(
        self,
        partners: PartnerRepository,
        today: Callable[[], date],
        conversation_state: PrivateConversationState,
        transfer: FileTransfer | None,
    ) -> None:
        self.partners = partners
        self.today = today
        self.transfer = transfer
        self._pending = conversation_state.create_property("PendingFile")

    # -- a file sent

    async def on_file(self, turn_context: TurnContext, tenant: str, lang: str) -> None:
        files = sent_files(turn_context.activity)
        if is_group_conversation(turn_context.activity):
            await turn_context.send_activity(_text(_t("files.group_only", lang)))
            return
        if self.transfer is None:
            await turn_context.send_activity(_text(_t("files.unavailable", lang)))
            return
        await self._check_editor(tenant)
        name, url = files[0]
        if len(files) > 1:
            await turn_context.send_activity(_text(_t("files.one_at_a_time", lang, name=name)))
        try:
            content = await self.transfer.download(url, name)
            stored = await self.partners.load_profile(tenant)
            data = await asyncio.to_thread(
                datafiles.read_upload, content, name, stored_profile=stored, today=self.today()
            )
            card = await self._preview(tenant, data, lang)
        except InputError as err:
            await self._pending.set(turn_context, None)
            problem = err.render(lang, catalog())
            await turn_context.send_activity(_text(_t("files.refused", lang, problem=problem)))
            return
        await self._pending.set(turn_context, {
            "id": card["id"], "name": data.name, "profile": data.profile, "cosell": data.cosell,
            "records": data.records,
        })
        await turn_context.send_activity(reply(card["card"]))

    async def _check_editor(self, tenant: str) -> None:
        """A file sent by someone who may not change the data is refused before it is read (the
        change path checks again on Save): the host answers :class:`NotAllowed` politely."""
        actor = audit.current_actor()
        if not actor.checked:
            return
        access = await self.partners.load_access(tenant)
        role = audit.role_of(access, actor.user_id, self.partners.first_owners(tenant))
        if not audit.at_least(role, audit.EDITOR):
            owners = sorted({m["name"] for m in audit.members(access).values()
                             if m["role"] == audit.OWNER and m["name"]})
            raise audit.NotAllowed(tenant, audit.EDITOR, role, owners)

    async def _preview(self, tenant: str, data: datafiles.DataFile, lang: str) -> dict[str, Any]:
        pending_id = uuid.uuid4().hex[:16]
        profile_rows = scores = cosell_rows = None
        if data.profile is not None:
            before = await self.partners.load_profile(tenant)
            profile_rows, now, then = cards.profile_changes(before, data.profile, self.today(), lang)
            scores = (now, then)
        if data.cosell is not None:
            cosell_rows = cards.cosell_changes(await self.partners.load_cosell(tenant), data.cosell, lang)
        card = cards.preview_card(data.name, profile_rows, scores, cosell_rows, pending_id, lang)
        return {"id": pending_id, "card": card}

    async def save(
        self, turn_context: TurnContext, tenant: str, lang: str, value: Mapping[str, Any] | None
    ) -> None:
        """Store the file waiting for this person: only from the Save button of its own preview."""
        pending = await self._pending.get(turn_context, None)
        clicked = (value or {}).get("file")
        if not isinstance(pending, dict) or clicked != pending.get("id"):
            await turn_context.send_activity(_text(_t("files.nothing_pending", lang)))
            return
        data = datafiles.DataFile(str(pending["name"]), profile=pending.get("profile"),
                                  cosell=pending.get("cosell"), records=pending.get("records"))
        await datafiles.store(self.partners, tenant, data, via=audit.FILE)
        await self._pending.set(turn_context, None)
        await turn_context.send_activity(_text(_t("files.saved", lang, name=data.name)))

    async def discard(self, turn_context: TurnContext, lang: str, value: Mapping[str, Any] | None) -> None:
        pending = await self._pending.get(turn_context, None)
        if not isinstance(pending, dict) or (value or {}).get("file") != pending.get("id"):
            await turn_context.send_activity(_text(_t("files.nothing_pending", lang)))
            return
        await self._pending.set(turn_context, None)
        await turn_context.send_activity(_text(_t("files.discarded", lang, name=str(pending["name"]))))

    # -- export

    async def export(self, turn_context: TurnContext, tenant: str, lang: str) -> None:
        profile = await self.partners.load_profile(tenant)
        facts = await self.partners.load_cosell(tenant)
        if profile is None and facts is None:
            await turn_context.send_activity(_text(_t("answers.export.nothing", lang)))
            return
        if is_group_conversation(turn_context.activity) or self.transfer is None:
            lines = [_t("answers.export.text", lang), _t("answers.export.command", lang, tenant=tenant)]
            await turn_context.send_activity(reply(text_card(_t("answers.export.title", lang), lines, lang)))
            return
        content = datafiles.export_text(profile, facts, EXPORT_WHAT, tenant=tenant).encode()
        name = export_name(self.today())
        offer = Activity(type="message", text=_t("files.export.offer", lang, name=name),
                         attachments=[cards.consent_attachment(name, len(content), EXPORT_WHAT, lang)])
        await turn_context.send_activity(offer)

    async def on_consent(self, turn_context: TurnContext, tenant: str, lang: str,
                         response: Mapping[str, Any]) -> None:
        context = response.get("context") if isinstance(response.get("context"), Mapping) else {}
        name = str((context or {}).get("name") or export_name(self.today()))
        if response.get("action") != "accept":
            await turn_context.send_activity(_text(_t("files.export.declined", lang, name=name)))
            return
        info = response.get("upload_info") or {}
        upload_url, content_url = info.get("upload_url"), info.get("content_url")
        if self.transfer is None or not upload_url or not content_url:
            await turn_context.send_activity(_text(_t("files.export.failed", lang, name=name, problem="")))
            return
        profile = await self.partners.load_profile(tenant)
        facts = await self.partners.load_cosell(tenant)
        try:
            content = datafiles.export_text(profile, facts, EXPORT_WHAT, tenant=tenant).encode()
            await self.transfer.upload(str(upload_url), name, content)
        except InputError as err:
            await turn_context.send_activity(
                _text(_t("files.export.failed", lang, name=name, problem=err.render(lang, catalog()))))
            return
        sent = Activity(
            type="message",
            text=_t("files.export.sent", lang, name=str(info.get("name") or name)),
            attachments=[cards.file_info_attachment(
                str(info.get("name") or name), str(content_url), str(info.get("unique_id") or ""),
                str(info.get("file_type") or "yaml"))],
        )
        await turn_context.send_activity(sent)
