#!/usr/bin/env python3
"""Set up and run partnerbot with one command.

    python3 dev.py run [serve options]   install what is needed, then start the bot
    python3 dev.py test [pytest options] install what is needed, then run the whole test suite
    python3 dev.py cards OUT_DIR         write every card kind the bot sends (en, nl) as JSON

Both create (or refresh) a virtual environment in .venv next to this file and install the
project into it in editable mode. Only Python 3.11 and access to the package registry are needed.

``test`` runs pytest on every core (pytest-xdist, ``-n auto --dist worksteal``) in a random order
(pytest-randomly) and prints the order's seed at the end: ``python3 dev.py test --randomly-seed=N``
repeats an order, ``-n 0`` runs in one process and ``-p no:randomly`` keeps the file order.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".partnerbot-installed"
PACKAGES = ("kernel", "scoring", "dialogs", "bot")


def _ensure_venv() -> None:
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"partnerbot needs Python 3.11; this is {sys.version.split()[0]} ({sys.executable}).")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PYTHON.exists():
        return
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing partnerbot and its dependencies into .venv (about two minutes the first time) ...",
          flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "on"]
    subprocess.run([*pip, "-e", f"{ROOT}[test]"], check=True, cwd=ROOT)
    STAMP.write_text(wanted)
    print("Installed.", flush=True)


def _run(args: list[str]) -> int:
    return subprocess.call([str(BIN / "partnerbot"), "serve", *args], cwd=ROOT)


def _pytest_args(args: list[str]) -> tuple[list[str], str | None]:
    """The pytest arguments: on every core and in a seeded random order, unless ``args`` say otherwise."""
    extra: list[str] = []
    if not any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args) and "no:xdist" not in args:
        extra += ["-n", "auto", "--dist", "worksteal"]  # a slow test does not hold a queue up
    seed = None
    if "no:randomly" not in args and not any(a.startswith("--randomly-seed") for a in args):
        seed = str(random.randrange(10**9))
        extra += [f"--randomly-seed={seed}"]
    return [*extra, *args], seed


def _ensure_postgresql() -> None:
    """The PostgreSQL storage tests start a throwaway server from Debian's ``postgresql`` package:
    install it when it is missing and this runs as root (CI); otherwise those tests say what to do."""
    if list(Path("/usr/lib/postgresql").glob("*/bin/initdb")) or shutil.which("initdb"):
        return
    if os.name == "nt" or os.geteuid() != 0 or not shutil.which("apt-get"):
        print("PostgreSQL is missing; its storage tests will fail: apt-get install -y postgresql", flush=True)
        return
    print("Installing PostgreSQL (Debian's postgresql package) for the storage tests ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    apt = ["apt-get", "-q", "-o", "Dpkg::Use-Pty=0"]
    subprocess.run([*apt, "update"], check=False, env=env, stdout=subprocess.DEVNULL)
    subprocess.run([*apt, "install", "-y", "--no-install-recommends", "postgresql"], check=False, env=env,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def _test(args: list[str]) -> int:
    _ensure_postgresql()
    pytest_args, seed = _pytest_args(args)
    steps = [
        [str(PYTHON), "-m", "pytest", *pytest_args],
        [str(PYTHON), "-m", "ruff", "check", *PACKAGES, "tests", "bench", "dev.py"],
        [str(PYTHON), "-m", "mypy"],
    ]
    began = time.monotonic()
    failed = []
    for step in steps:
        print("$", " ".join(Path(step[0]).name if i == 0 else s for i, s in enumerate(step)), flush=True)
        if subprocess.call(step, cwd=ROOT) != 0:
            failed.append(step[2])
    print(f"dev.py test: {'failed: ' + ', '.join(failed) if failed else 'all passed'} "
          f"in {time.monotonic() - began:.0f} s", flush=True)
    if seed is not None:
        print(f"tests ran in random order {seed}; repeat it with: "
              f"python3 dev.py test --randomly-seed={seed}", flush=True)
    return 1 if failed else 0


def _cards(args: list[str]) -> int:
    return subprocess.call([str(PYTHON), "-m", "dialogs.cards.samples", *args], cwd=ROOT)


def main() -> int:
    commands = {"run": _run, "test": _test, "cards": _cards}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    _ensure_venv()
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
