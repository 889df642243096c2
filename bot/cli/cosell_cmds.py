"""``partnerbot cosell FILE... [--json]``: co-sell status of every offer (docs/rules.md C.4)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from kernel.errors import InputError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "cosell",
        help="co-sell status of marketplace offers, with what is missing and what to do next",
        description="Read co-sell facts (YAML or JSON: partner facts and offers, docs/rules.md C.4) and "
        "print each offer's co-sell status with every requirement that applies to its type. Facts are "
        "true, false or unknown (null or absent). All files are checked before anything is printed; "
        "an invalid file exits with status 2 and one line naming the file, the offer and the field.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="co-sell facts file(s)")
    parser.add_argument("--json", action="store_true",
                        help="one JSON object per offer, one per line, in input order")
    parser.add_argument("--lang", choices=("en", "nl"), default="en",
                        help="language of the checklist and of next_step (default: %(default)s)")
    parser.add_argument("--edition", metavar="ID",
                        help="co-sell rule edition by id (default: the one in force today)")
    parser.add_argument("--on", metavar="YYYY-MM-DD", help="use the edition in force on this date")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from scoring.cosell import checklist_lines, edition, edition_label, evaluate_all, load_cosell

    on = None
    if args.on:
        try:
            on = dt.date.fromisoformat(args.on)
        except ValueError:
            raise InputError(f"'{args.on}' is not a date (YYYY-MM-DD)", code="cosell_bad_date",
                             params={"value": args.on}, field="--on") from None
    rules = edition(args.edition, on=on)
    inputs = [load_cosell(path, edition=rules) for path in args.files]  # validate every file before printing
    if not args.json:
        print(edition_label(rules, args.lang))
        print()
    first = True
    for cosell in inputs:
        results = evaluate_all(cosell, edition=rules)
        for result in results:
            if args.json:
                print(json.dumps(result.to_json(args.lang), ensure_ascii=False))
            else:
                if not first:
                    print()
                print("\n".join(checklist_lines(result, args.lang)))
            first = False
    return 0
