"""The last line of defence of every ``partnerbot`` command: one line, never a traceback.

Registered last in :data:`bot.cli.COMMAND_MODULES`, its :func:`register` wraps the ``func`` of every
command registered before it. What a command cannot turn into an :class:`kernel.errors.InputError`
itself ends here as one line on stderr and a non-zero exit:

- output closed early (``partnerbot score big.yaml | head -1``): ``BrokenPipeError`` → exit 141
  (128 + SIGPIPE, as :func:`bot.cli.main` answers too), and the rest of the output is dropped
  quietly (also at interpreter exit);
- ``MemoryError`` and ``RecursionError`` (input beyond what the readers' own limits catch) → exit 2.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable
from typing import Any

from kernel.texts import catalog

Command = Callable[[argparse.Namespace], int]


def register(subparsers: Any) -> None:
    for name, parser in subparsers.choices.items():
        func = parser.get_default("func")
        if func is not None and not getattr(func, "guarded", False):
            parser.set_defaults(func=guarded(name, func))


def guarded(name: str, func: Command) -> Command:
    def run(args: argparse.Namespace) -> int:
        try:
            status = func(args)
            sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
            return status
        except BrokenPipeError:
            _drop_further_output()
            _say(name, "bot.cli.broken_pipe")
            return 141
        except MemoryError:
            _say(name, "bot.cli.out_of_memory")
            return 2
        except RecursionError:
            _say(name, "bot.cli.too_deep")
            return 2

    run.guarded = True  # type: ignore[attr-defined]
    return run


def _say(name: str, key: str) -> None:
    with contextlib.suppress(OSError):  # stderr may be closed too
        print(f"partnerbot {name}: {catalog().text(key, 'en')}", file=sys.stderr)


def _drop_further_output() -> None:
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
