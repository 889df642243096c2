"""Under the 2023 rules the qualification window (RULES-2023.md A′.2) takes months the records do
not cover from the kept history: a month qualified earlier still counts in the history card."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from kernel import clock
from scoring import api
from tests.answers.cardcheck import card_text

ROOT = Path(__file__).resolve().parents[2]
SMB = yaml.safe_load((ROOT / "examples" / "profile-contoso-2023.yaml").read_text(encoding="utf-8"))
"""Contoso on the SMB track, 57.50 points: not qualified."""


def _as_of(**metrics: int) -> dict[str, Any]:
    data = {k: v for k, v in SMB.items() if k != "evaluated_month"}
    data["metrics"] = {**SMB["metrics"], **metrics}
    return data


def test_fill_window_takes_a_kept_month_and_keeps_the_rest_without_data() -> None:
    result = api.evaluate(api.parse_profile(SMB, "smb"))
    assert result.qualified_in is None
    august = api.MonthScore(api.Month(2026, 8), result.edition, Fraction(80), True, {})
    other_rules = api.MonthScore(api.Month(2026, 7), "bizapps-2022", Fraction(90), True, {})
    filled = api.fill_window(result, [august, other_rules])
    assert filled.qualified_in is not None and filled.qualified_in.month == api.Month(2026, 8)
    assert api.Month(2026, 8) not in filled.window_without_data
    assert api.Month(2026, 7) in filled.window_without_data  # a month scored under other rules does not count
    assert "qualified in August 2026 (80.00 points)" in " ".join(api.window_lines(filled))


async def test_the_history_card_shows_the_window_qualified_in_a_kept_month(make_bot: Any) -> None:
    bot = await make_bot(today=dt.date(2026, 11, 25))
    with clock.fixed(dt.date(2026, 9, 25)):  # August: 10 more deployments than a year before, qualified
        await bot.seed_profile("t1", _as_of(deployments_now=12, qualifying_workloads_now=20,
                                            intermediate_certified_people=10))
    with clock.fixed(dt.date(2026, 11, 25)):  # October: 57.50 points
        await bot.seed_profile("t1", _as_of())
    text = card_text((await bot.say("score history", tenant="t1"))[0].cards[0])
    assert "Qualification window" in text
    assert "qualified in August 2026" in text
    assert "October 2026: 57.50 points" in text
