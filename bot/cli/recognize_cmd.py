"""``partnerbot recognize "TEXT" [--locale nl-NL] [--rules EDITION] [--json]``: what the bot understands
in a sentence."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "recognize",
        help="show the intent and entities the bot reads in a sentence (English or Dutch)",
        description="Show the intent and entities (metric ids as in the spec, numbers, changes, "
        "workloads, offer types...) the chat bot reads in TEXT. A change is 'add' (\"2 more\", \"up by "
        "2000\", \"10%% more\") or 'set' (\"to 95,000\", \"we now have 12\"). No network is used.",
    )
    parser.add_argument("text", help="the sentence, as typed in Teams")
    parser.add_argument("--locale", default=None, help="the Teams locale, e.g. nl-NL or en-US")
    parser.add_argument("--rules", default=None, metavar="EDITION",
                        help="the rule edition whose certifications and workloads are known "
                        "(default: the edition in force today), e.g. bizapps-2022")
    parser.add_argument("--json", action="store_true", help='print {"intent", "entities", ...} as JSON')
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from dialogs.understanding import recognize  # the recognizer's vocabularies only when asked

    result = recognize(args.text, args.locale, edition=args.rules).to_json()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, sort_keys=False))
        return 0
    print(f"intent: {result['intent'] or '-'} (score {result['score']}, "
          f"{'confident' if result['confident'] else 'not confident'})")
    for alt in result["alternatives"]:
        print(f"  or: {alt['intent']} ({alt['score']})")
    for key, value in result["entities"].items():
        print(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return 0
