"""One injectable clock: ``PARTNERBOT_TODAY`` / ``--today`` make the bot and the CLI run "as of" a day."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.settings import load_settings
from kernel import clock
from kernel.errors import InputError
from tests.support.harness import ROOT, clean_environment, partnerbot_command
from tests.support.profiles import CONTOSO

SUMMARY = {k: v for k, v in CONTOSO.items() if k not in ("evaluated_month", "rules")}
"""Contoso without its evaluated month and edition: the date decides both."""


def test_fixed_blocks_nest_and_the_real_date_comes_back() -> None:
    real = clock.today()
    with clock.fixed(dt.date(2023, 5, 23)):
        assert clock.today() == dt.date(2023, 5, 23)
        with clock.fixed(dt.date(2027, 1, 20)):
            assert clock.today() == dt.date(2027, 1, 20)
        assert clock.today() == dt.date(2023, 5, 23)
    assert clock.today() == real


def test_the_setting_is_read_and_a_bad_day_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARTNERBOT_TODAY", "2023-05-23")
    assert load_settings(env_file=None).today == dt.date(2023, 5, 23)
    monkeypatch.setenv("PARTNERBOT_TODAY", "23-05-2023")
    with pytest.raises(InputError, match=r"PARTNERBOT_TODAY.*YYYY-MM-DD"):
        load_settings(env_file=None)


async def test_the_bot_scores_as_of_the_configured_day(make_bot: Any) -> None:
    early = await make_bot(today=dt.date(2023, 5, 23))
    await early.seed_profile("t1", SUMMARY)
    card = (await early.say("what's my score?", tenant="t1"))[0].cards[0]
    text = str(card)
    assert "data of April 2023" in text and "rules of October 2022" in text  # April's data is out on the 15th
    late = await make_bot(today=dt.date(2023, 5, 10))
    await late.seed_profile("t1", SUMMARY)
    text = str((await late.say("what's my score?", tenant="t1"))[0].cards[0])
    assert "data of March 2023" in text


def test_the_cli_runs_as_of_partnerbot_today(tmp_path: Path) -> None:
    path = tmp_path / "contoso.yaml"
    path.write_text(yaml.safe_dump(SUMMARY), encoding="utf-8")
    env = {**clean_environment(), "PARTNERBOT_TODAY": "2023-05-23"}
    done = subprocess.run([*partnerbot_command(), "score", "--json", str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["evaluated_month"] == "2023-04"
    env["PARTNERBOT_TODAY"] = "May 23"
    done = subprocess.run([*partnerbot_command(), "score", str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "PARTNERBOT_TODAY" in done.stderr and "Traceback" not in done.stderr
