"""Known failures of the command line that must stay fixed: a plan blocked by the usage baseline
in text mode, and a reader that leaves early (``partnerbot … | head``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from bot.cli import main
from tests.support.profiles import CONTOSO

BELOW_BASELINE = {**CONTOSO, "metrics": {**CONTOSO["metrics"], "consumption_12_months_ago": 10}}


def test_gap_in_text_mode_names_the_missed_baseline(tmp_path: Path, capsys) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(BELOW_BASELINE), encoding="utf-8")
    assert main(["gap", str(path)]) == 0
    out = capsys.readouterr().out
    assert ("no plan: Usage growth: consumption 12 months ago (USD 10) is below the baseline of USD 100,000"
            in out)


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(CONTOSO), encoding="utf-8")
    paths = [str(path)] * 300  # far more than a pipe buffer holds
    with subprocess.Popen(
        [str(Path(sys.executable).parent / "partnerbot"), "score", *paths],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # like `head -1`
        errors = process.stderr.read().decode()
        assert process.wait() == 141
    assert "Traceback" not in errors and "BrokenPipeError" not in errors
