"""The command line never prints a traceback, and reads record files only beside the profile
(issue 13, finding 10). Each case: one line on stderr, a non-zero exit."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from bot.cli import main
from scoring.rows import REVENUE_FIELDS
from tests.support.harness import ROOT, _clean_environment, partnerbot_command

COMMANDS = {
    "score": ["score"],
    "gap": ["gap"],
    "cosell": ["cosell"],
    "import": ["import", "--tenant", "t1", "--data-dir", "DATA"],
}


def _run(args: list[str], tmp_path: Path, *, close_stdout: bool = False) -> tuple[int, str, str]:
    args = [a.replace("DATA", str(tmp_path / "data")) for a in args]
    process = subprocess.Popen(
        [*partnerbot_command(), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=_clean_environment(),
    )
    if close_stdout:
        assert process.stdout is not None
        process.stdout.close()
        out = b""
        assert process.stderr is not None
        with process.stderr:
            err = process.stderr.read()
        process.wait(timeout=60)
    else:
        out, err = process.communicate(timeout=60)
    return process.returncode, out.decode(), err.decode()


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def _deep(tmp_path: Path) -> Path:
    path = tmp_path / "deep.yaml"
    path.write_text("partner: " + "[" * 50_000 + "]" * 50_000 + "\n")
    return path


def _huge(tmp_path: Path) -> Path:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:  # sparse: 40 MB of nothing on disk
        handle.truncate(40 * 1024 * 1024)
    return path


INPUTS = {
    "nested 50,000 deep": (_deep, "nested more than"),
    "/dev/zero": (lambda tmp: Path("/dev/zero"), "not a regular file"),
    "40 MB": (_huge, "larger than"),
}


def _main(args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``partnerbot ARGS`` in this process (as the console script runs it)."""
    status = main([a.replace("DATA", str(tmp_path / "data")) for a in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(INPUTS))
def test_bad_files_get_one_line_and_a_non_zero_exit(tmp_path, capsys, command, case):
    if not os.path.exists("/dev/zero") and case == "/dev/zero":
        pytest.fail("this system has no /dev/zero")
    make, said = INPUTS[case]
    path = make(tmp_path)
    args = COMMANDS[command]
    status, _, err = _main([args[0], str(path), *args[1:]], tmp_path, capsys)
    assert status == 2
    line = _one_line(err)
    assert line.startswith(f"partnerbot {command}: {path}") and said in line


@pytest.mark.parametrize("command", ["score", "gap", "cosell"])
def test_a_closed_output_pipe_gets_one_line_and_a_non_zero_exit(tmp_path, command):
    example = ROOT / "examples" / "profile-contoso.yaml"
    if command == "cosell":
        example = tmp_path / "cosell.yaml"
        example.write_text("partner: {}\noffers:\n  - {name: Contoso Insights, type: saas}\n")
    status, _, err = _run([command, str(example), "--json"], tmp_path, close_stdout=True)
    assert status == 141  # 128 + SIGPIPE
    assert _one_line(err) == f"partnerbot {command}: the output was closed before everything was written"


def _profile(folder: Path, records: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "profile.yaml"
    path.write_text(
        f"partner: Contoso\nmarket: larger\nrules: bizapps-2022\nevaluated_month: 2026-10\n"
        f"records:\n  revenue: {records}\n"
    )
    return path


@pytest.mark.parametrize("command", ["score", "gap", "import"])
def test_a_record_file_outside_the_profiles_folder_is_refused_without_echoing_it(tmp_path, capsys, command):
    secret = tmp_path / "secret.csv"
    secret.write_text("root:x:0:0:the secret first line\n")
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "escape").symlink_to(secret)
    for records in ("../secret.csv", str(secret), "/etc/passwd", "sub/../../secret.csv", "escape"):
        profile = _profile(tmp_path / "profiles", records)
        args = COMMANDS[command]
        status, out, err = _main([args[0], str(profile), *args[1:]], tmp_path, capsys)
        assert status == 2
        line = _one_line(err)
        assert "outside the profile's folder" in line
        assert "secret first line" not in out + err and "root:" not in out + err
    # nothing was stored (and so nothing can be exported)
    status, out, err = _main(["export", "--tenant", "t1", "--data-dir", "DATA"], tmp_path, capsys)
    assert status == 2 and "secret" not in out + err


def test_a_record_file_in_the_profiles_folder_or_below_is_read(tmp_path, capsys):
    folder = tmp_path / "profiles"
    (folder / "exports").mkdir(parents=True)
    (folder / "exports" / "revenue.csv").write_text(",".join(REVENUE_FIELDS) + "\n")
    profile = _profile(folder, "exports/revenue.csv")
    status, out, err = _main(["score", str(profile), "--json"], tmp_path, capsys)
    assert (status, err) == (0, "")
    assert '"partner": "Contoso"' in out


def test_a_profile_that_is_not_a_file_may_not_name_files():
    from kernel.errors import InputError
    from scoring.api import parse_profile

    with pytest.raises(InputError) as caught:
        parse_profile({"partner": "X", "market": "larger", "records": {"revenue": "/etc/passwd"}}, "profile")
    assert caught.value.code == "scoring.records_file_not_here"
