"""``partnerbot chat``: talk to a running bot from the terminal, as a Teams channel would."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from kernel.texts import language_from_locale


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "chat",
        help="chat with a running bot in the terminal (cards as text, numbered buttons)",
        description="Talk to a running partnerbot exactly as Teams does: this command hosts a local "
        "endpoint on 127.0.0.1 as the serviceUrl and receives the bot's replies there. Adaptive Cards "
        "are shown as text; type a button's number ([2]) or title to click it. With --script, each "
        "line of FILE is a message (blank lines and # comments skipped) and the transcript is printed.",
    )
    parser.add_argument("--url", default="http://localhost:3978/api/messages",
                        help="the bot's messaging endpoint (default: %(default)s)")
    parser.add_argument("--locale", default="en-US",
                        help="locale of the messages, e.g. nl-NL for Dutch (default: %(default)s)")
    parser.add_argument("--tenant", default="local",
                        help="Microsoft Entra tenant id sent as Teams does (default: %(default)s, "
                        "as for `partnerbot import --tenant local`)")
    parser.add_argument("--script", type=Path, metavar="FILE",
                        help="send the lines of FILE and print the transcript instead of prompting")
    parser.add_argument("--conversation", type=conversation_name, metavar="NAME",
                        help="continue the conversation NAME of an earlier run (same tenant): an "
                        "unfinished question is asked on, answers given are kept (default: a new "
                        "conversation each run; letters, digits, '.', '_' and '-')")
    parser.add_argument("--user", metavar="NAME",
                        help="the name the messages come from, as Teams sends it (default: Partner admin)")
    parser.add_argument("--user-id", metavar="OBJECT_ID",
                        help="the Microsoft Entra object id the messages come from (from.aadObjectId; the "
                        "audit log names it; default: one fixed id per tenant)")
    parser.add_argument("--no-welcome", dest="welcome", action="store_false",
                        help="do not announce the chat to the bot first (no welcome card)")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                        help="how long one turn may take (default: %(default)s)")
    parser.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                        help="wait up to SECONDS for the bot to start listening (default: %(default)s)")
    parser.set_defaults(func=_run)


def conversation_name(name: str) -> str:
    """A ``--conversation`` name: 1 to 64 letters, digits, ``.``, ``_`` or ``-``."""
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", name):
        raise argparse.ArgumentTypeError(
            f"'{name}' is not a conversation name: use 1 to 64 letters, digits, '.', '_' or '-'")
    return name


def _run(args: argparse.Namespace) -> int:
    from bot.chatclient.session import chat  # aiohttp is imported only when chatting

    return chat(args.url, locale=args.locale, tenant=args.tenant, lang=language_from_locale(args.locale),
                script=args.script, welcome=args.welcome, timeout=args.timeout, wait=args.wait,
                conversation=args.conversation, user=args.user, user_id=args.user_id)
