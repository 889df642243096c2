"""The Teams app package offers the bot where the conversation works: personal, team and group chat."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import jsonschema

from bot.cli import main
from tests.conftest import load_schema

BOT_ID = "3f1c2a6e-8d4b-4c1e-9a7f-2b5d6e8f9a01"


def _manifest(tmp_path: Path) -> dict:
    out = tmp_path / "app.zip"
    assert main(["package", "--bot-id", BOT_ID, "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        return json.loads(archive.read("manifest.json"))


def test_the_bot_and_its_commands_are_offered_in_personal_team_and_group_chat(tmp_path, capsys):
    manifest = _manifest(tmp_path)
    jsonschema.validate(manifest, load_schema("MicrosoftTeams.schema.v1.19.json"))
    bot = manifest["bots"][0]
    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    scoped = {scope for command_list in bot["commandLists"] for scope in command_list["scopes"]}
    assert scoped == {"groupChat", "personal", "team"}, "the command menu shows in every scope"
    assert all(command_list["commands"] for command_list in bot["commandLists"])
    assert "wrote" in capsys.readouterr().out


def test_a_scope_teams_does_not_know_is_refused_with_the_schema(tmp_path, capsys, monkeypatch):
    import bot.package as package

    config = package.app_config()
    monkeypatch.setattr(package, "app_config", lambda: {**config, "scopes": ["personal", "meeting"]})
    out = tmp_path / "app.zip"
    assert main(["package", "--bot-id", BOT_ID, "-o", str(out)]) == 2
    assert "bots/0/scopes/1" in capsys.readouterr().err
    assert not out.exists()
