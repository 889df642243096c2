"""The server as a process (restart keeps data), settings errors, import/export, the Teams package."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.cli import main
from bot.package import png_size
from kernel.texts import catalog
from tests.conftest import load_schema
from tests.support.process import ROOT, RemoteBot, clean_environment, partnerbot_command
from tests.support.profiles import CONTOSO

pytestmark = pytest.mark.slow

PROFILE = yaml.safe_dump({**CONTOSO, "records": {"usage": "usage.csv"}}, sort_keys=False)
USAGE_CSV = "customer,workload,month,units,attribution\nC1,power_apps,2026-10,120,PAL\n"


async def test_conversation_state_and_partner_data_survive_a_restart(
    server_process, fake_connector, tmp_path
):
    server = await server_process(tmp_path / "data", double=True).start()
    bot = RemoteBot(server, fake_connector)
    assert [r.text for r in await bot.say("one")] == ["echo: one #1 tenant=t1"]
    assert [r.text for r in await bot.say("save profile Contoso")] == ["saved: Contoso"]
    assert await server.stop() == 0
    await server.start()
    assert [r.text for r in await bot.say("two")] == ["echo: two #2 tenant=t1"]
    assert [r.text for r in await bot.say("profile?")] == ["profile: Contoso"]


async def test_partnerbot_serve_answers_with_the_real_conversation_and_imported_data(
    server_process, fake_connector, tmp_path, capsys
):
    data = tmp_path / "data"
    (tmp_path / "usage.csv").write_text(USAGE_CSV)
    (tmp_path / "profile.yaml").write_text(PROFILE)
    imported = await asyncio.to_thread(
        main, ["import", str(tmp_path / "profile.yaml"), "--tenant", "t1", "--data-dir", str(data)]
    )
    assert imported == 0
    server = await server_process(data).start()
    bot = RemoteBot(server, fake_connector)
    ours = await bot.say("what is our score?", tenant="t1")
    theirs = await bot.say("what is our score?", tenant="t2")
    assert "Contoso" in json.dumps([r.raw for r in ours])
    assert "Contoso" not in json.dumps([r.raw for r in theirs])
    await server.stop()
    await server.start()
    again = await bot.say("what is our score?", tenant="t1")
    assert "Contoso" in json.dumps([r.raw for r in again])


def _cli(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*partnerbot_command(), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean_environment(), **(env or {})},
        cwd=cwd or ROOT,
    )


def test_an_invalid_setting_stops_the_server_process_with_one_line(tmp_path):
    result = _cli("serve", "--data-dir", str(tmp_path), env={"PARTNERBOT_PORT": "abc"}, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "PARTNERBOT_PORT" in lines[0] and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PARTNERBOT_PORT": "99999"}, "PARTNERBOT_PORT"),
        ({"PARTNERBOT_PORT": "abc"}, "PARTNERBOT_PORT"),
        ({"PARTNERBOT_LOG_LEVEL": "LOUD"}, "PARTNERBOT_LOG_LEVEL"),
        ({"PARTNERBOT_HOST": "example.com"}, "PARTNERBOT_HOST"),
        ({"MicrosoftAppId": "not-a-guid"}, "MicrosoftAppId"),
        ({"MicrosoftAppId": "3f1c2a6e-8d4b-4c1e-9a7f-2b5d6e8f9a01"}, "MicrosoftAppPassword"),
        ({"MicrosoftAppType": "SingleTenant"}, "SingleTenant"),
    ],
)
def test_invalid_settings_stop_start_up_with_one_line(env, named, tmp_path, monkeypatch, capsys):
    # The same command in this process (one real process above): nothing starts, one line says why.
    for key in [k for k in os.environ if k.upper().startswith(("PARTNERBOT_", "MICROSOFTAPP"))]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)  # no project .env
    assert main(["serve", "--data-dir", str(tmp_path)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and named in lines[0]


def test_a_busy_port_stops_the_server_process_with_one_line_naming_port_and_setting(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = _cli("serve", "--port", str(port), "--data-dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"partnerbot serve: port {port} on 127.0.0.1 is already in use (is partnerbot already running?); "
        "choose another with PARTNERBOT_PORT or --port"
    ]


def test_settings_are_read_from_a_dot_env_file(tmp_path):
    (tmp_path / ".env").write_text("PARTNERBOT_PORT=70000\n")
    result = _cli("serve", "--data-dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2 and "PARTNERBOT_PORT" in result.stderr


def test_import_export_round_trip_with_csv_records_inlined(tmp_path, capsys):
    (tmp_path / "usage.csv").write_text(USAGE_CSV)
    (tmp_path / "profile.yaml").write_text(PROFILE)
    data = str(tmp_path / "data")
    assert main(["import", str(tmp_path / "profile.yaml"), "--tenant", "t1", "--data-dir", data]) == 0
    capsys.readouterr()
    assert main(["export", "--tenant", "t1", "--data-dir", data]) == 0
    exported = capsys.readouterr().out
    parsed = yaml.safe_load(exported)
    assert parsed["partner"] == "Contoso Ltd"
    assert parsed["records"]["usage"] == [
        {"customer": "C1", "workload": "power_apps", "month": "2026-10", "units": "120", "attribution": "PAL"}
    ]
    # the export is accepted again, without the CSV file beside it
    (tmp_path / "usage.csv").unlink()
    again = tmp_path / "elsewhere" / "exported.yaml"
    again.parent.mkdir()
    again.write_text(exported)
    assert main(["import", str(again), "--tenant", "t2", "--data-dir", data]) == 0
    capsys.readouterr()
    assert main(["export", "--tenant", "t2", "--data-dir", data]) == 0
    assert yaml.safe_load(capsys.readouterr().out) == parsed


def test_a_bad_profile_is_refused_naming_the_row_and_the_stored_one_is_kept(tmp_path, capsys):
    (tmp_path / "usage.csv").write_text(USAGE_CSV)
    (tmp_path / "profile.yaml").write_text(PROFILE)
    data = str(tmp_path / "data")
    assert main(["import", str(tmp_path / "profile.yaml"), "--tenant", "t1", "--data-dir", data]) == 0
    (tmp_path / "usage.csv").write_text(USAGE_CSV + "C2,no_such_workload,2026-10,5,PAL\n")
    (tmp_path / "profile.yaml").write_text(PROFILE.replace("Contoso Ltd", "Changed"))
    capsys.readouterr()
    assert main(["import", str(tmp_path / "profile.yaml"), "--tenant", "t1", "--data-dir", data]) == 2
    error = capsys.readouterr().err
    assert "usage.csv" in error and "row 3" in error and "workload" in error
    assert main(["export", "--tenant", "t1", "--data-dir", data]) == 0
    assert yaml.safe_load(capsys.readouterr().out)["partner"] == "Contoso Ltd"


def test_export_of_a_tenant_without_a_profile_says_so(tmp_path, capsys):
    assert main(["export", "--tenant", "nobody", "--data-dir", str(tmp_path / "data")]) == 2
    assert "nobody" in capsys.readouterr().err


BOT_ID = "3f1c2a6e-8d4b-4c1e-9a7f-2b5d6e8f9a01"


def test_the_teams_package_has_a_valid_manifest_icons_and_the_command_list(tmp_path, capsys):
    out = tmp_path / "app.zip"
    assert main(["package", "--bot-id", BOT_ID, "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        color, outline = archive.read("color.png"), archive.read("outline.png")
        dutch = json.loads(archive.read("nl.json"))
    assert names == {"manifest.json", "color.png", "outline.png", "nl.json"}
    jsonschema.validate(manifest, load_schema("MicrosoftTeams.schema.v1.19.json"))
    assert manifest["bots"][0]["botId"] == BOT_ID
    assert "personal" in manifest["bots"][0]["scopes"]
    assert manifest["bots"][0]["supportsFiles"] is True  # files in a personal chat, the export
    titles = [c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]]
    ids = ["score", "gap", "what_if", "cosell", "help", "language"]
    assert titles == [catalog().text(f"bot.manifest.command.{i}.title", "en") for i in ids]
    assert dutch["bots[0].commandLists[0].commands[0].title"] == catalog().text(
        "bot.manifest.command.score.title", "nl"
    )
    assert png_size(color) == (192, 192) and png_size(outline) == (32, 32)
    assert color[25] == 6 and outline[25] == 6  # RGBA: the outline can be transparent


def _pixels(png: bytes) -> bytes:
    import zlib

    idat = png[png.index(b"IDAT") + 4 :]
    return zlib.decompress(idat[: idat.index(b"IEND") - 8])


def test_the_outline_icon_is_white_on_transparent(tmp_path):
    from bot.package import outline_icon

    raw = _pixels(outline_icon(32))
    rows = [raw[i * 129 + 1 : (i + 1) * 129] for i in range(32)]
    pixels = {bytes(row[j : j + 4]) for row in rows for j in range(0, 128, 4)}
    assert pixels == {b"\x00\x00\x00\x00", b"\xff\xff\xff\xff"}


@pytest.mark.parametrize(("bot_id", "code"), [("", "bot.no_bot_id"), ("not-a-guid", "bot.bad_bot_id")])
def test_the_package_needs_a_bot_id(tmp_path, capsys, bot_id, code):
    out = tmp_path / "app.zip"
    assert main(["package", "--bot-id", bot_id, "-o", str(out)]) == 2
    assert catalog().text(f"error.{code}", "en", value=bot_id) in capsys.readouterr().err
    assert not out.exists()


def test_manifest_problems_are_listed_and_nothing_is_written(tmp_path, capsys):
    strict = tmp_path / "schema.json"
    schema = load_schema("MicrosoftTeams.schema.v1.19.json")
    schema["properties"]["name"]["properties"]["short"]["maxLength"] = 3
    schema["properties"]["accentColor"] = {"type": "string", "pattern": "^#000000$"}
    strict.write_text(json.dumps(schema))
    out = tmp_path / "app.zip"
    assert main(["package", "--bot-id", BOT_ID, "-o", str(out), "--schema", str(strict)]) == 2
    err = capsys.readouterr().err
    assert "name/short" in err and "accentColor" in err
    assert not out.exists()
