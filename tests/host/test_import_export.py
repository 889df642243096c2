"""``partnerbot import`` / ``export`` of co-sell facts (C.4) and of both documents: exact round-trips,
refusals that name the file, offer and field, and export of what was answered in chat."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import main
from tests.support.chat import Chat
from tests.support.harness import BotHarness, FakeConnector
from tests.support.profiles import CONTOSO

ROOT = Path(__file__).resolve().parents[2]
COSELL = ROOT / "examples" / "cosell-contoso.yaml"
PROFILE = ROOT / "examples" / "profile-contoso.yaml"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("what", ["cosell", "profile", "all"])
def test_import_export_import_export_is_byte_identical(tmp_path, capsys, what):
    data = str(tmp_path / "data")
    for file in (PROFILE, COSELL):
        assert _run(capsys, "import", str(file), "--tenant", "t1", "--data-dir", data)[0] == 0
    status, first, _ = _run(capsys, "export", "--tenant", "t1", "--what", what, "--data-dir", data)
    assert status == 0
    exported = tmp_path / "exported.yaml"
    exported.write_text(first)
    status, out, _ = _run(capsys, "import", str(exported), "--tenant", "t2", "--data-dir", data)
    assert status == 0 and "t2" in out
    status, second, _ = _run(capsys, "export", "--tenant", "t2", "--what", what, "--data-dir", data)
    assert status == 0 and second == first
    parsed = yaml.safe_load(first)
    facts = parsed["cosell"] if what == "all" else parsed
    if what != "profile":
        assert [o["name"] for o in facts["offers"]] == ["Contoso Insights", "Contoso Field Service"]
        assert facts["offers"][0]["pitch_deck"] is None  # unknown stays unknown, not false


def test_importing_co_sell_facts_says_how_many_offers_and_keeps_the_profile(tmp_path, capsys):
    data = str(tmp_path / "data")
    assert _run(capsys, "import", str(PROFILE), "--tenant", "t1", "--data-dir", data)[0] == 0
    status, out, _ = _run(capsys, "import", str(COSELL), "--tenant", "t1", "--data-dir", data)
    assert status == 0 and "co-sell facts (2 offers)" in out and "t1" in out
    status, out, _ = _run(capsys, "export", "--tenant", "t1", "--data-dir", data)  # default: profile
    assert status == 0 and yaml.safe_load(out)["partner"] == "Contoso Ltd"


def test_a_bad_co_sell_file_names_the_file_offer_and_field_and_keeps_what_was_stored(tmp_path, capsys):
    data = str(tmp_path / "data")
    assert _run(capsys, "import", str(COSELL), "--tenant", "t1", "--data-dir", data)[0] == 0
    bad = tmp_path / "facts.yaml"
    bad.write_text(COSELL.read_text().replace("published_live: true\n    sales_contacts: false",
                                              "published_live: perhaps\n    sales_contacts: false"))
    status, _, err = _run(capsys, "import", str(bad), "--tenant", "t1", "--data-dir", data)
    assert status == 2
    assert "facts.yaml" in err and "Contoso Field Service" in err and "published_live" in err
    status, out, _ = _run(capsys, "export", "--tenant", "t1", "--what", "cosell", "--data-dir", data)
    assert status == 0 and yaml.safe_load(out)["offers"][1]["published_live"] is True


def test_a_combined_file_with_one_bad_part_stores_neither(tmp_path, capsys):
    data = str(tmp_path / "data")
    both = {"profile": dict(CONTOSO), "cosell": {"offers": [{"name": "X", "type": "no_such_type"}]}}
    file = tmp_path / "both.yaml"
    file.write_text(yaml.safe_dump(both))
    status, _, err = _run(capsys, "import", str(file), "--tenant", "t1", "--data-dir", data)
    assert status == 2 and "both.yaml cosell" in err and "no_such_type" in err
    status, _, err = _run(capsys, "export", "--tenant", "t1", "--what", "all", "--data-dir", data)
    assert status == 2 and "no partner data" in err


def test_export_of_missing_co_sell_facts_says_so(tmp_path, capsys):
    data = str(tmp_path / "data")
    assert _run(capsys, "import", str(PROFILE), "--tenant", "t1", "--data-dir", data)[0] == 0
    status, _, err = _run(capsys, "export", "--tenant", "t1", "--what", "cosell", "--data-dir", data)
    assert status == 2 and "no co-sell facts are stored for tenant t1" in err
    status, out, _ = _run(capsys, "export", "--tenant", "t1", "--what", "all", "--data-dir", data)
    assert status == 0 and set(yaml.safe_load(out)) == {"profile"}


async def _answer_in_chat(data: Path) -> dict[str, Any] | None:
    async with FakeConnector() as connector, BotHarness(data, connector) as bot:
        chat = Chat(bot, tenant="t1")
        await chat.begin("cosell", {"offer": "Tulp Analytics", "offer_type": "saas"})
        await chat.click("yes")  # the first question's answer is stored as it is given
        return await bot.stored_cosell("t1")


def test_what_was_answered_in_chat_is_exported_and_imports_again(tmp_path, capsys):
    data = tmp_path / "data"
    stored = asyncio.run(_answer_in_chat(data))
    assert stored is not None and [o["name"] for o in stored["offers"]] == ["Tulp Analytics"]
    status, first, _ = _run(capsys, "export", "--tenant", "t1", "--what", "cosell", "--data-dir", str(data))
    assert status == 0 and yaml.safe_load(first) == stored
    again = tmp_path / "again.yaml"
    again.write_text(first)
    assert _run(capsys, "import", str(again), "--tenant", "t2", "--data-dir", str(data))[0] == 0
    status, second, _ = _run(capsys, "export", "--tenant", "t2", "--what", "cosell", "--data-dir", str(data))
    assert status == 0 and second == first
