"""``partnerbot score FILE... [--json]`` and ``partnerbot gap FILE... [--json]`` (docs/rules.md C.2, C.3).

Every file is read and scored before anything is printed, so an invalid file gives one error line
(exit status 2, via :mod:`bot.cli`) and no partial output.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from typing import Any

from kernel import clock
from kernel.errors import InputError
from kernel.formatting import month as month_words
from kernel.formatting import unit_name
from kernel.texts import catalog
from scoring.api import (
    GapResult,
    ScoreResult,
    edition_label,
    evaluate,
    format_number,
    gaps,
    load_profile,
    reason_text,
    segment_name,
    window_lines,
)


def register(subparsers: Any) -> None:
    for name, func, help_text in (
        ("score", _score, "partner capability score of each profile (docs/rules.md C.2)"),
        ("gap", _gap, "gaps to each metric's maximum and to the designation, and a plan (docs/rules.md C.3)"),
    ):
        parser = subparsers.add_parser(name, help=help_text, description=help_text)
        parser.add_argument(
            "files", nargs="+", metavar="FILE", help="partner profile (YAML or JSON, docs/rules.md C.1)"
        )
        parser.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            help="the date that decides the latest evaluable month (default: today)",
        )
        parser.add_argument(
            "--rules", default=None, metavar="EDITION", help="rule edition id (default: in force)"
        )
        parser.add_argument("--lang", choices=("en", "nl"), default="en", help="language of the table")
        parser.set_defaults(func=func)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def _results(args: argparse.Namespace) -> list[ScoreResult]:
    today = args.today or clock.today()
    return [evaluate(load_profile(path), today=today, edition=args.rules) for path in args.files]


def _score(args: argparse.Namespace) -> int:
    results = _results(args)
    _emit(args, [(r, r.to_json()) for r in results], lambda r: _score_table(r, args.lang))
    return 0


def _gap(args: argparse.Namespace) -> int:
    found = [gaps(r) for r in _results(args)]
    _emit(args, [(g, g.to_json()) for g in found], lambda g: _gap_table(g, args.lang))
    return 0


def _emit(
    args: argparse.Namespace, items: list[tuple[Any, dict[str, Any]]], table: Callable[[Any], str]
) -> None:
    for index, (item, data) in enumerate(items):
        if args.json:
            print(json.dumps(data, ensure_ascii=False))
        else:
            if index:
                print()
            print(table(item))


def _t(key: str, lang: str, **params: Any) -> str:
    return catalog().text(key, lang, **params)


def _heading(result: ScoreResult, lang: str) -> str:
    return _t(
        "scoring.cli.heading",
        lang,
        partner=result.partner or _t("scoring.cli.unnamed", lang),
        market=segment_name(result, result.market, lang),
        month=month_words(date(result.evaluated_month.year, result.evaluated_month.month, 1), lang),
        label=edition_label(result.edition, lang),
    )


def _grid(header: list[str], rows: list[list[str]], left: tuple[int, ...] = (0,)) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _score_table(result: ScoreResult, lang: str) -> str:
    none = _t("scoring.cli.none", lang)
    rows = [
        [
            _t(f"scoring.metric.{m.id}", lang),
            none if m.value is None else format_number(m.value, lang) + (" %" if m.unit == "percent" else ""),
            format_number(m.shown_points, lang, fixed=True),
            format_number(m.max_points, lang),
            format_number(m.full_at, lang) + (" %" if m.unit == "percent" else ""),
        ]
        for m in result.metrics
    ]
    rows.append(
        [
            _t("scoring.cli.total", lang),
            "",
            format_number(result.shown_total, lang, fixed=True),
            format_number(sum(m.max_points for m in result.metrics), lang),
            "",
        ]
    )
    header = [_t(f"scoring.cli.col_{c}", lang) for c in ("metric", "value", "points", "max", "full_at")]
    lines = [_heading(result, lang), *_grid(header, rows)]
    verdict = {True: "met", False: "not_met", None: "undecided"}[result.designation_met]
    lines.append(_t(f"scoring.cli.{verdict}", lang))
    lines += list(window_lines(result, lang))
    for notice in (*result.not_met, *result.warnings):
        lines.append(_t("scoring.cli.warning", lang, text=notice.render(lang)))
    for count in result.rows:
        ignored = sum(count.ignored.values())
        detail = ", ".join(f"{_t(f'scoring.ignored.{k}', lang)} {v}" for k, v in count.ignored.items())
        line = _t(
            "scoring.cli.rows",
            lang,
            kind=count.kind,
            used=format_number(count.used, lang),
            ignored=format_number(ignored, lang),
        )
        lines.append(f"{line} ({detail})" if detail else line)
    return "\n".join(lines)


def _gap_table(found: GapResult, lang: str) -> str:
    none = _t("scoring.cli.none", lang)

    def units(value: Any, reason: str | None) -> str:
        if value is not None:
            return format_number(value, lang)
        return f"{none} ({reason_text(reason, lang, found.result.edition)})" if reason else none

    rows = [
        [
            _t(f"scoring.metric.{g.id}", lang),
            _t(f"scoring.unit.{g.unit}", lang),
            units(g.units_to_max, g.max_reason),
            units(g.units_to_designation, g.designation_reason),
        ]
        for g in found.metrics
    ]
    header = [_t(f"scoring.cli.col_{c}", lang) for c in ("metric", "value", "to_max", "to_designation")]
    header[1] = ""
    lines = [_heading(found.result, lang), *_grid(header, rows, left=(0, 1, 3))]
    plan = found.plan
    if not plan.feasible:
        reason = plan.reason.render(lang) if plan.reason else none
        lines.append(_t("scoring.cli.plan_none", lang, reason=reason))
    elif not plan.steps:
        lines.append(_t("scoring.cli.plan_done", lang))
    else:
        lines.append(_t("scoring.cli.plan", lang))
        for step in plan.steps:
            lines.append(
                _t(
                    "scoring.cli.plan_step",
                    lang,
                    units=format_number(step.units, lang),
                    unit=unit_name(f"scoring.unit.{step.unit}", step.units, lang),
                    metric=_t(f"scoring.metric.{step.id}", lang),
                    points_before=format_number(step.points_before, lang, fixed=True),
                    points_after=format_number(step.points_after, lang, fixed=True),
                )
            )
    return "\n".join(lines)


__all__ = ["InputError", "register"]
