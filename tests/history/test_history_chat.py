"""Monthly history through the real host: six imported months, then "how did our score change?"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from bot import data_commands
from kernel import clock
from tests.answers.cardcheck import assert_valid_card
from tests.support.harness import BotHarness
from tests.support.profiles import CONTOSO, records_profile

# Net customer adds and advanced people per month: 62.70 → … → 79.27 points (2022 rules, larger).
MONTHS = [  # (day of the import, net customer adds, advanced certified people)
    (dt.date(2026, 6, 21), 7, 3),
    (dt.date(2026, 7, 21), 9, 3),
    (dt.date(2026, 8, 21), 9, 5),
    (dt.date(2026, 9, 21), 12, 5),
    (dt.date(2026, 10, 21), 12, 7),
    (dt.date(2026, 11, 21), 15, 7),
]


def _profile(adds: int, advanced: int) -> dict[str, Any]:
    data = {k: v for k, v in CONTOSO.items() if k != "evaluated_month"}
    data["metrics"] = {**CONTOSO["metrics"], "net_customer_adds": adds, "advanced_certified_people": advanced,
                       "consumption_now": 140000, "deployments_now": 9}
    return data


async def _import_months(bot: BotHarness, tmp_path: Path, tenant: str) -> None:
    for day, adds, advanced in MONTHS:
        path = tmp_path / f"profile-{day}.yaml"
        path.write_text(yaml.safe_dump(_profile(adds, advanced)), encoding="utf-8")
        with clock.fixed(day):
            await data_commands.import_file(bot.settings, path, tenant)


def _texts(card: dict[str, Any]) -> list[str]:
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                out.append(str(node["text"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card.get("body", []))
    return out


async def test_six_imported_months_show_with_what_changed_between_them(make_bot: Any, tmp_path: Path) -> None:
    bot = await make_bot(today=dt.date(2026, 12, 2))
    await _import_months(bot, tmp_path, "t1")
    card = (await bot.say("how did our score change?", tenant="t1"))[0].cards[0]
    assert_valid_card(card)
    lines = _texts(card)
    assert lines[0] == "Score history"
    months = [line for line in lines if line.endswith(" points") and ": " in line and "→" not in line]
    assert months == [
        "May 2026: 62.70 points",  # 7 + 12 + 15 × 3/7 + 27.27 (growth 30,000 / 110,000) + 10
        "June 2026: 64.70 points",
        "July 2026: 68.99 points",
        "August 2026: 71.99 points",
        "September 2026: 76.27 points",
        "October 2026: 79.27 points",
    ]
    assert "July 2026 → August 2026: +3.00 points" in lines
    assert "August 2026 → September 2026: +4.29 points" in lines
    assert any("Net customer adds: 9 → 12 (+3.00 points)" in line for line in lines)
    assert any("Advanced certifications: 5 → 7 (+4.29 points)" in line for line in lines)
    assert "designation met" in lines and "designation not met" in lines
    dutch = (await bot.say("hoe is onze score veranderd?", tenant="t1", locale="nl-NL"))[0].cards[0]
    assert_valid_card(dutch)
    nl = _texts(dutch)
    assert nl[0] == "Scoregeschiedenis"
    assert "oktober 2026: 79,27 punten" in nl
    assert not any("net_customer_adds" in line or "bizapps" in line for line in lines + nl)  # no internal ids
    assert await bot.say("score history", tenant="t2")  # another tenant: its own (no) data
    assert (await bot.say("score history", tenant="t2"))[0].cards[0] != card


async def test_a_month_imported_twice_shows_its_highest_score(make_bot: Any, tmp_path: Path) -> None:
    bot = await make_bot(today=dt.date(2026, 12, 2))
    await _import_months(bot, tmp_path, "t1")
    lower = tmp_path / "lower.yaml"
    lower.write_text(yaml.safe_dump(_profile(3, 3)), encoding="utf-8")
    with clock.fixed(dt.date(2026, 11, 25)):  # October again, scored lower: the month keeps 79.27
        await data_commands.import_file(bot.settings, lower, "t1")
    lines = _texts((await bot.say("score history", tenant="t1"))[0].cards[0])
    assert "October 2026: 79.27 points" in lines


async def test_records_covering_months_fill_the_history_from_one_import(make_bot: Any) -> None:
    bot = await make_bot(today=dt.date(2026, 12, 2))
    await bot.seed_profile("t1", records_profile("2026-10", customers=lambda i: 4 + i * i // 12))
    lines = _texts((await bot.say("how did our score change?", tenant="t1"))[0].cards[0])
    shown = [line for line in lines if line.endswith(" points") and "→" not in line and ": " in line]
    months = [line.split(":")[0] for line in shown]
    assert months == ["May 2026", "June 2026", "July 2026", "August 2026", "September 2026", "October 2026"]
