"""The ``partnerbot`` command line.

Each sub-command lives in its own module of this package and exposes
``register(subparsers) -> None``, adding a parser whose ``func`` default takes the parsed
``argparse.Namespace`` and returns the exit status. Errors of type
:class:`kernel.errors.InputError` are shown here, once, as one line, with exit status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from bot.cli import access_cmds, chat_cmd, cosell_cmds, guard, host_cmds, recognize_cmd, scoring_cmds
from kernel import clock
from kernel.errors import InputError

# Sub-command modules, in the order --help lists them.
COMMAND_MODULES = (
    scoring_cmds,  # score, gap
    cosell_cmds,  # cosell
    host_cmds,  # serve, import, export, package
    access_cmds,  # access, audit
    recognize_cmd,  # recognize
    chat_cmd,  # chat
    guard,  # last: wraps every command above (broken pipe, memory, recursion: one line)
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="partnerbot",
        description="Partner capability score and co-sell readiness for Microsoft partners: "
        "the Teams bot, its data, and the same answers for scripts.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _clock_from_environment()
        status: int = args.func(args)
    except InputError as err:
        print(f"partnerbot {args.command}: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader left (``partnerbot score … | head``): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not fail too
        return 141  # 128 + SIGPIPE, as a command killed by the broken pipe reports
    return status


def _clock_from_environment() -> None:
    """Every command runs as of ``PARTNERBOT_TODAY`` when it is set (commands that read the
    settings also take it from ``.env``, and ``--today`` wins over both)."""
    value = os.environ.get("PARTNERBOT_TODAY", "").strip()
    if value:
        try:
            clock.set_today(clock.parse_day(value))
        except ValueError as err:
            raise InputError(f"invalid setting PARTNERBOT_TODAY: {err}", code="bot.settings",
                             params={"name": "PARTNERBOT_TODAY", "problem": str(err)}) from None


if __name__ == "__main__":
    sys.exit(main())
