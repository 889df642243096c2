"""The access-and-audit transcript: the real host WITH an app id (every activity carries a channel
token the SDK checks against a loopback OpenID key server; the replies' token comes from a loopback
token endpoint), on a temporary SQLite database.

A viewer is refused, the owner (named with ``partnerbot access grant``) makes them an editor with a
mention, the new editor saves a change, someone asks who changed it, and the change is undone.

    .venv/bin/python -m bench.access_transcript [OUT.txt]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

from bot.app import PARTNERS
from bot.chatclient.render import render_turn
from dialogs.audit import ACCESS, CLI, OWNER, Actor, DataChange, with_role
from tests.answers.cardcheck import actions_of
from tests.host.test_auth import _auth_settings, _OpenIdServer, token
from tests.support.harness import BotHarness, FakeConnector
from tests.support.profiles import CONTOSO
from tests.support.token_server import TokenServer


def aad(user: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, user))


async def run() -> list[str]:
    out: list[str] = []
    with _OpenIdServer() as openid, tempfile.TemporaryDirectory() as folder:
        async with FakeConnector() as connector, TokenServer() as token_server:
            settings = _auth_settings(openid, connector)
            settings.pop("conversation_factory")
            settings["to_channel_from_bot_login_url"] = token_server.login_url
            async with BotHarness(Path(folder), connector, **settings) as bot:
                await bot.seed_profile("t1", CONTOSO)
                root = Actor("cli:admin", "admin", CLI, checked=False)
                await bot.app[PARTNERS].change(DataChange(
                    "t1", ACCESS, lambda doc: with_role(doc, aad("olga"), "Olga Jansen", OWNER), actor=root))
                out.append("# partnerbot access grant --tenant t1 --user <Olga's object id> --role owner "
                           "--name 'Olga Jansen'  (done before the chat)")
                names = {"olga": "Olga Jansen", "vera": "Vera de Wit"}
                last: dict[str, list[dict[str, Any]]] = {}

                async def send(user: str, text: str | None = None, *, click: str | None = None,
                               locale: str = "en-US", entities: list[dict[str, Any]] | None = None) -> None:
                    value = None
                    if click is not None:
                        value = next(a["data"] for r in last[user] for c in _cards(r) for a in actions_of(c)
                                     if a.get("data", {}).get("verb") == click)
                    activity = bot.activity(text=text, value=value, user=user, locale=locale)
                    activity["from"]["name"] = names[user]
                    activity["entities"] += entities or []
                    turn = await bot.send(activity, headers={
                        "Authorization": "Bearer " + token(connector.service_url)})
                    assert turn.status in (200, 201), turn.body
                    last[user] = [r.raw for r in turn.replies]
                    said = f"[{click} clicked]" if click else text
                    out.append("")
                    out.append(f"{names[user]} > {said}")
                    lang = "nl" if locale.startswith("nl") else "en"
                    out.extend("  " + line for line in render_turn(last[user], lang).lines)

                await send("vera", "set deployments to 12")
                await send("vera", click="update_confirm")
                await send("olga", "who can change our data?")
                await send("olga", "make <at>Vera de Wit</at> an editor", entities=[{
                    "type": "mention", "text": "<at>Vera de Wit</at>",
                    "mentioned": {"id": "29:vera", "name": "Vera de Wit"}}])
                await send("vera", "set deployments to 12")
                await send("vera", click="update_confirm")
                await send("olga", "who changed deployments?")
                await send("vera", "maak ongedaan", locale="nl-NL")
                await send("vera", click="undo_confirm", locale="nl-NL")
                await send("olga", "what changed this week?")
                out.append("")
                out.append("# partnerbot audit --tenant t1")
                from bot.access_commands import audit_line

                entries = await bot.app[PARTNERS].audit("t1")
                out.extend(audit_line(e) for e in entries if e.via == "chat" or e.kind == ACCESS)
    return out


def _cards(activity: dict[str, Any]) -> list[dict[str, Any]]:
    return [a.get("content") or {} for a in activity.get("attachments") or []]


def main() -> None:
    lines = asyncio.run(run())
    text = "\n".join(lines) + "\n"
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
