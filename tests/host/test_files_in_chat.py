"""Files in chat, through the real host with the fake connector: a loopback file server stands in for
Teams' download URL (and for the OneDrive upload URL of the export's file consent flow)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.app import PARTNERS
from dialogs import datafiles
from dialogs.audit import ACCESS, EDITOR, DataChange, with_role
from dialogs.files import FILE_DOWNLOAD_INFO
from kernel.texts import catalog
from tests.conversation.helpers import button, everything, group_message
from tests.host.test_access import ROOT_ACTOR, aad
from tests.host.test_auth import _auth_settings, _LoopbackCredentials, openid, token  # noqa: F401
from tests.support.harness import BotHarness, FakeConnector, Reply
from tests.support.profiles import CONTOSO

LOCALE = {"en": "en-US", "nl": "nl-NL"}
ONEDRIVE = "https://contoso-my.sharepoint.com/personal/admin/Documents"
FACTS = Path(__file__).parents[2] / "examples" / "cosell-contoso.yaml"
MAX_BYTES = 64 * 1024
USAGE_CSV = (
    "customer,workload,month,units,attribution\n"
    "C1,guides,2026-10,10,CPOR\n"
    "C2,no_such_workload,2026-10,5,CPOR\n"
)


class FileServer:
    """Serves files as Teams' download URLs would, and takes uploads as OneDrive's upload URL would."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.requests: list[str] = []
        self.uploads: dict[str, tuple[bytes, str]] = {}
        self.never_answers = asyncio.Event()
        app = web.Application()
        app.router.add_get("/files/{name}", self._get)
        app.router.add_get("/slow/{name}", self._slow)
        app.router.add_put("/upload/{name}", self._put)
        self.server = TestServer(app, host="127.0.0.1")

    @property
    def origin(self) -> str:
        return str(self.server.make_url("")).rstrip("/")

    async def _get(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        name = request.match_info["name"]
        if name not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[name])

    async def _slow(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        await self.never_answers.wait()  # released when the test ends
        return web.Response(body=b"too late")

    async def _put(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        body = await request.read()
        self.uploads[request.match_info["name"]] = (body, request.headers.get("Content-Range", ""))
        return web.Response(status=201)


@pytest.fixture
async def files() -> AsyncIterator[FileServer]:
    server = FileServer()
    await server.server.start_server()
    try:
        yield server
    finally:
        server.never_answers.set()
        await server.server.close()


@pytest.fixture
async def bot(tmp_path: Path, files: FileServer) -> AsyncIterator[BotHarness]:
    async with FakeConnector() as connector, BotHarness(
        tmp_path, connector, file_hosts=(files.origin,), file_max_bytes=MAX_BYTES, file_timeout_seconds=0.5
    ) as harness:
        await harness.seed_profile("t1", CONTOSO)
        yield harness


def file_attachment(name: str, url: str) -> dict[str, Any]:
    """The attachment Teams delivers for a file sent in a personal chat."""
    return {
        "contentType": FILE_DOWNLOAD_INFO,
        "contentUrl": f"{ONEDRIVE}/Microsoft Teams Chat Files/{name}",
        "name": name,
        "content": {"downloadUrl": url, "uniqueId": str(uuid.uuid4()), "fileType": name.rsplit(".")[-1]},
    }


async def send_file(bot: BotHarness, name: str, url: str, *, lang: str = "en", **kwargs: Any) -> list[Reply]:
    activity = bot.activity(attachments=[file_attachment(name, url)], locale=LOCALE[lang], **kwargs)
    turn = await bot.send(activity)
    assert turn.status in (200, 201), turn.body
    return turn.replies


def changed_profile() -> bytes:
    profile = {**CONTOSO, "metrics": {**CONTOSO["metrics"], "advanced_certified_people": 7}}
    return yaml.safe_dump(profile, sort_keys=False).encode()


@pytest.mark.parametrize(
    ("lang", "row", "total", "saved"),
    [
        ("en", "3 · 6.43 → 7 · 15.00", "Score after saving: 51.61 → 60.18 points", "Saved: profile.yaml."),
        ("nl", "3 · 6,43 → 7 · 15,00", "Score na opslaan: 51,61 → 60,18 punten", "Opgeslagen: profile.yaml."),
    ],
)
async def test_a_profile_sent_in_chat_is_previewed_and_saved_only_on_save(
    bot: BotHarness, files: FileServer, lang: str, row: str, total: str, saved: str
) -> None:
    files.files["profile.yaml"] = changed_profile()
    replies = await send_file(bot, "profile.yaml", f"{files.origin}/files/profile.yaml", lang=lang)
    shown = everything(replies)
    assert row in shown and total in shown and "profile.yaml" in shown
    assert "advanced_certified_people" not in shown  # names as Partner Center shows them, no ids
    assert (await bot.stored_profile("t1")) == CONTOSO  # nothing saved yet
    save = button(replies, "save the file" if lang == "en" else "sla het bestand op")
    replies = await bot.submit(save, locale=LOCALE[lang])
    assert everything(replies).startswith(saved)
    stored = await bot.stored_profile("t1")
    assert stored is not None and stored["metrics"]["advanced_certified_people"] == 7
    # the same button again finds nothing waiting, and changes nothing
    again = everything(await bot.submit(save, locale=LOCALE[lang]))
    assert "no file waiting" in again or "wacht geen bestand" in again


async def test_dont_save_keeps_what_is_stored(bot: BotHarness, files: FileServer) -> None:
    files.files["profile.yaml"] = changed_profile()
    replies = await send_file(bot, "profile.yaml", f"{files.origin}/files/profile.yaml")
    answer = everything(await bot.submit(button(replies, "don't save the file")))
    assert answer.startswith("Not saved: profile.yaml")
    assert (await bot.stored_profile("t1")) == CONTOSO


async def test_an_older_preview_is_not_saved_after_a_newer_one(bot: BotHarness, files: FileServer) -> None:
    files.files["profile.yaml"] = changed_profile()
    first = await send_file(bot, "profile.yaml", f"{files.origin}/files/profile.yaml")
    files.files["facts.yaml"] = FACTS.read_bytes()
    await send_file(bot, "facts.yaml", f"{files.origin}/files/facts.yaml")
    answer = everything(await bot.submit(button(first, "save the file")))
    assert "no file waiting" in answer
    assert (await bot.stored_profile("t1")) == CONTOSO


async def test_co_sell_facts_sent_show_each_offers_status_after(bot: BotHarness, files: FileServer) -> None:
    files.files["facts.yaml"] = FACTS.read_bytes()
    replies = await send_file(bot, "facts.yaml", f"{files.origin}/files/facts.yaml")
    shown = everything(replies)
    assert "Co-sell status per offer" in shown
    assert "Contoso Insights" in shown and "new →" in shown
    assert await bot.stored_cosell("t1") is None
    await bot.submit(button(replies, "save the file"))
    stored = await bot.stored_cosell("t1")
    assert stored is not None
    assert [o["name"] for o in stored["offers"]] == ["Contoso Insights", "Contoso Field Service"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", ["usage.csv", "row 3", "workload", "nothing was saved"]),
     ("nl", ["usage.csv", "rij 3", "workload", "niets opgeslagen"])],
)
async def test_a_broken_file_names_the_file_row_and_field_and_nothing_is_offered(
    bot: BotHarness, files: FileServer, lang: str, words: list[str]
) -> None:
    files.files["usage.csv"] = USAGE_CSV.encode()
    replies = await send_file(bot, "usage.csv", f"{files.origin}/files/usage.csv", lang=lang)
    shown = everything(replies)
    for word in words:
        assert word in shown, shown
    assert not any(r.cards for r in replies)  # no preview, no Save
    assert (await bot.stored_profile("t1")) == CONTOSO


async def test_a_record_csv_replaces_that_kind_of_records(bot: BotHarness, files: FileServer) -> None:
    files.files["usage.csv"] = USAGE_CSV.rsplit("C2", 1)[0].encode()
    replies = await send_file(bot, "usage.csv", f"{files.origin}/files/usage.csv")
    shown = everything(replies)
    assert "Usage records: 0 → 1 row" in shown and "0 → 1 rows" not in shown
    await bot.submit(button(replies, "save the file"))
    stored = await bot.stored_profile("t1")
    assert stored is not None and stored["records"]["usage"] == [
        {"customer": "C1", "workload": "guides", "month": "2026-10", "units": "10", "attribution": "CPOR"}
    ]
    assert stored["metrics"] == CONTOSO["metrics"]


async def test_a_too_large_file_is_refused_without_reading_it_all(bot: BotHarness, files: FileServer) -> None:
    files.files["big.yaml"] = b"# " + b"x" * (MAX_BYTES + 10) + b"\n"
    shown = everything(await send_file(bot, "big.yaml", f"{files.origin}/files/big.yaml"))
    assert "big.yaml" in shown and "larger than 0.0625 MB" in shown and "nothing was saved" in shown


async def test_a_slow_file_server_is_given_up_on(bot: BotHarness, files: FileServer) -> None:
    shown = everything(await send_file(bot, "slow.yaml", f"{files.origin}/slow/slow.yaml", lang="nl"))
    assert "slow.yaml" in shown and "niet binnen 0.5 seconden" in shown
    assert (await bot.stored_profile("t1")) == CONTOSO


async def test_a_file_on_a_host_not_allowed_is_not_fetched(bot: BotHarness, files: FileServer) -> None:
    files.files["profile.yaml"] = changed_profile()
    elsewhere = files.origin.replace("127.0.0.1", "localhost")  # the same server under a name not listed
    shown = everything(await send_file(bot, "profile.yaml", f"{elsewhere}/files/profile.yaml"))
    assert "profile.yaml" in shown and "may not read files from" in shown
    assert files.requests == []


async def test_a_file_in_a_group_chat_gets_a_short_explanation(bot: BotHarness, files: FileServer) -> None:
    files.files["profile.yaml"] = changed_profile()
    activity = group_message(bot, "here is our profile", user="u2", tenant="t1")
    activity["attachments"] = [file_attachment("profile.yaml", f"{files.origin}/files/profile.yaml")]
    turn = await bot.send(activity)
    shown = everything(turn.replies)
    assert "only in a personal chat" in shown
    assert files.requests == [] and (await bot.stored_profile("t1")) == CONTOSO


async def test_export_in_chat_offers_the_file_and_uploads_it_once_accepted(
    bot: BotHarness, files: FileServer, tmp_path: Path
) -> None:
    facts = yaml.safe_load(FACTS.read_text())
    await bot.seed_cosell("t1", datafiles.check_cosell(facts, "facts"))
    replies = await bot.say("export my data", tenant="t1")
    consent = [a for r in replies for a in r.attachments if a["contentType"].endswith("file.consent")]
    assert len(consent) == 1
    name = consent[0]["name"]
    assert name.endswith(".yaml") and consent[0]["content"]["sizeInBytes"] > 0
    invoke = bot.activity("invoke", name="fileConsent/invoke")
    invoke["value"] = {
            "type": "fileUpload",
            "action": "accept",
            "context": consent[0]["content"]["acceptContext"],
            "uploadInfo": {
                "contentUrl": f"{ONEDRIVE}/{name}",
                "name": name,
                "uploadUrl": f"{files.origin}/upload/{name}",
                "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C9D",
                "fileType": "yaml",
            },
    }
    turn = await bot.send(invoke)
    assert turn.status == 200
    content, content_range = files.uploads[name]
    assert content_range == f"bytes 0-{len(content) - 1}/{len(content)}"
    assert len(content) == consent[0]["content"]["sizeInBytes"]
    info = [a for r in turn.replies for a in r.attachments if a["contentType"].endswith("file.info")]
    assert info and info[0]["name"] == name and info[0]["content"]["uniqueId"].startswith("1150D938")
    # the file is what `partnerbot export --what all` prints, and imports again
    exported = yaml.safe_load(content)
    assert exported["profile"] == CONTOSO
    assert exported["cosell"]["offers"][0]["name"] == "Contoso Insights"
    again = tmp_path / name
    again.write_bytes(content)
    checked = datafiles.read_path(again)
    assert checked.profile == CONTOSO and checked.cosell == exported["cosell"]


async def test_a_declined_export_sends_nothing(bot: BotHarness, files: FileServer) -> None:
    invoke = bot.activity("invoke", name="fileConsent/invoke", locale="nl-NL")
    invoke["value"] = {"type": "fileUpload", "action": "decline", "context": {"name": "x.yaml"}}
    turn = await bot.send(invoke)
    assert turn.status == 200 and "niet verstuurd" in everything(turn.replies)
    assert files.uploads == {}


async def test_export_in_a_group_chat_names_the_command(bot: BotHarness) -> None:
    turn = await bot.send(group_message(bot, "export my data", user="u2", tenant="t1"))
    shown = everything(turn.replies)
    assert "partnerbot export --tenant t1 --what all" in shown and "personal chat" in shown
    assert not any(a["contentType"].endswith("file.consent") for r in turn.replies for a in r.attachments)


# --- roles (issue 14): WITH an app id and real token validation, as tests/host/test_access.py ---------


@pytest.fixture
async def secured(make_bot, fake_connector, openid, files: FileServer):  # noqa: F811
    settings = {**_auth_settings(openid, fake_connector)}
    settings.pop("conversation_factory")  # the real conversation
    harness = await make_bot(**settings, credentials_factory=_LoopbackCredentials(),
                             file_hosts=(files.origin,))
    await harness.seed_profile("t1", CONTOSO)
    grant = lambda doc: with_role(doc, aad("eddie"), "User eddie", EDITOR)  # noqa: E731
    await harness.app[PARTNERS].change(DataChange("t1", ACCESS, grant, actor=ROOT_ACTOR))
    return harness


async def _send_as(bot: BotHarness, user: str, activity: dict[str, Any]) -> list[Reply]:
    headers = {"Authorization": "Bearer " + token(bot.connector.service_url)}
    turn = await bot.send(activity, headers=headers)
    assert turn.status in (200, 201), turn.body
    return turn.replies


async def test_a_viewer_s_file_is_refused_unread(secured: BotHarness, files: FileServer) -> None:
    files.files["profile.yaml"] = changed_profile()
    activity = secured.activity(user="vera", attachments=[
        file_attachment("profile.yaml", f"{files.origin}/files/profile.yaml")])
    shown = everything(await _send_as(secured, "vera", activity))
    no_owner = catalog().text("access.refused.no_owner", "en")
    assert catalog().text("access.refused.edit", "en", owners=no_owner) in shown
    assert files.requests == [] and (await secured.stored_profile("t1")) == CONTOSO


async def test_an_editor_s_file_is_saved_and_logged_via_file(secured: BotHarness, files: FileServer) -> None:
    files.files["profile.yaml"] = changed_profile()
    activity = secured.activity(user="eddie", attachments=[
        file_attachment("profile.yaml", f"{files.origin}/files/profile.yaml")])
    replies = await _send_as(secured, "eddie", activity)
    await _send_as(secured, "eddie", secured.activity(user="eddie", value=button(replies, "save the file")))
    stored = await secured.stored_profile("t1")
    assert stored is not None and stored["metrics"]["advanced_certified_people"] == 7
    entry = (await secured.app[PARTNERS].audit("t1"))[-1]
    assert (entry.actor_name, entry.via, entry.path, entry.before, entry.after) == (
        "User eddie", "file", ("metrics", "advanced_certified_people"), 3, 7)


async def test_a_file_with_many_offers_gives_a_preview_that_fits(bot: BotHarness, files: FileServer) -> None:
    offers = [{"name": f"Offer {i}", "type": "saas", "published_live": True} for i in range(1, 41)]
    files.files["offers.json"] = json.dumps({"offers": offers}).encode()
    replies = await send_file(bot, "offers.json", f"{files.origin}/files/offers.json")
    shown = everything(replies)  # every card checked: schema, size under Teams' limit, fallback text
    assert "Offer 11" in shown and "Offer 12" not in shown and "29 more offers" in shown


async def test_records_without_a_profile_ask_for_one_first(bot: BotHarness, files: FileServer) -> None:
    files.files["usage.csv"] = USAGE_CSV.rsplit("C2", 1)[0].encode()
    shown = everything(await send_file(bot, "usage.csv", f"{files.origin}/files/usage.csv", tenant="t-new"))
    assert "usage.csv" in shown and "send a profile first" in shown
    assert await bot.stored_profile("t-new") is None
