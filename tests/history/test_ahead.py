"""Ahead of time through the real host: "will our score drop next month?" names what leaves the
12-month window from the records, with the points at stake, and certifications that expire."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.answers.cardcheck import assert_valid_card, card_text
from tests.support.profiles import records_profile

# 18 months of records up to October 2026. November 2025 (month 6) had three more customers than
# October 2025, and one more deployment: next month those stop counting as adds and deployments.
EXTRA = 3


def _profile(**options: Any) -> dict[str, Any]:
    return records_profile(
        "2026-10",
        customers=lambda i: 4 + i + (EXTRA if i == 6 else 0),
        deployments=lambda i: 8 + i // 2,
        **options,
    )


async def test_the_drop_names_the_customers_and_deployments_that_leave_the_window(make_bot: Any) -> None:
    bot = await make_bot(today=dt.date(2026, 11, 25))
    await bot.seed_profile("t1", _profile())
    card = (await bot.say("will our score drop next month?", tenant="t1"))[0].cards[0]
    assert_valid_card(card)
    text = card_text(card)
    # adds: 21 now − 9 a year before = 12 (12 points); next month 21 − 13 = 8 (8 points)
    assert "Net customer adds: from 12.00 to 8.00 points." in text
    # 13 qualifying pairs in November 2025 against 9 in October 2025: customers 10 to 13 leave
    assert ("Leaving the window (counted as adds now, not next month): Customer 10 · Sales (USD 2,000); "
            "Customer 11 · Sales (USD 2,000); Customer 12 · Sales (USD 2,000); "
            "Customer 13 · Sales (USD 2,000).") in text
    # deployments: 16 now − 10 = 6 (12 points); next month 16 − 11 = 5 (10 points)
    assert "Deployments: from 12.00 to 10.00 points." in text
    assert "Deployments leaving the window: Customer 11 · Power Apps (USD 15,000)." in text
    assert "6.00 points at stake in November 2026." in text
    replies = await bot.say("gaat onze score volgende maand omlaag?", tenant="t1", locale="nl-NL")
    dutch = card_text(replies[0].cards[0])
    assert "Implementaties die uit de periode vallen: Customer 11 · Power Apps (USD 15.000)." in dutch
    assert "6,00 punten op het spel in november 2026." in dutch


async def test_certifications_that_expire_are_named_with_the_points_they_cost(make_bot: Any) -> None:
    bot = await make_bot(today=dt.date(2026, 12, 2))
    await bot.seed_profile("t1", _profile(advanced_expires="2027-02-15"))
    text = card_text((await bot.say("will our score drop next month?", tenant="t1"))[0].cards[0])
    # 3 of 7 advanced people: 15 × 3/7 = 6.43 points
    assert "3 advanced certified people expire before 1 April 2027: −6.43 points." in text
    assert "The first expires on 15 February 2027." in text
    replies = await bot.say("will our score drop next month?", tenant="t1", locale="nl-NL")
    later = card_text(replies[0].cards[0])
    assert "3 personen met een geavanceerde certificering verlopen vóór 1 april 2027: −6,43 punten." in later
