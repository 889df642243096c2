"""Questions that had no answer: next month, points needed, the market, who can change the data,
exporting it. Through the real app over HTTP, in English and Dutch; the answer comes first."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conversation.helpers import shown
from tests.support.harness import BotHarness
from tests.support.profiles import CONTOSO

LOCALE = {"en": "en-US", "nl": "nl-NL"}

# Deployments from monthly usage records: 3 customers in October 2026 against 1 in October 2025;
# November 2025 (2 customers) enters the comparison next month, so deployments lose points.
WITH_RECORDS: dict[str, Any] = {
    "market": "larger",
    "rules": "bizapps-2022",
    "evaluated_month": "2026-10",
    "records": {
        "usage": [
            {"customer": c, "workload": "guides", "month": m, "units": 10, "attribution": "CPOR"}
            for c, m in [("C1", "2026-10"), ("C2", "2026-10"), ("C3", "2026-10"), ("C1", "2025-10"),
                         ("C1", "2025-11"), ("C2", "2025-11")]
        ]
    },
}


async def ask(bot: BotHarness, verb: str, text: str, lang: str) -> str:
    replies = await bot.submit({"verb": verb, "text": text}, locale=LOCALE[lang])
    return "\n".join(shown(replies))


@pytest.mark.parametrize(
    ("lang", "first", "month"),
    [
        ("en", "Yes: your score is expected to drop in November 2026, when October 2025 leaves",
         "Deployments"),
        ("nl", "Ja: uw score daalt naar verwachting in november 2026, wanneer oktober 2025 uit",
         "Implementaties"),
    ],
)
async def test_from_records_the_drop_next_month_names_the_month_that_leaves(
    bot: BotHarness, lang: str, first: str, month: str
) -> None:
    await bot.seed_profile("t1", WITH_RECORDS)
    said = await ask(bot, "forecast", "will our score drop next month?", lang)
    lines = said.splitlines()
    assert lines[1].startswith(first), said  # the title, then the answer
    assert month in said


async def test_from_summary_numbers_it_says_what_would_be_needed(bot: BotHarness) -> None:
    await bot.seed_profile("t1", CONTOSO)
    said = await ask(bot, "forecast", "what happens next month?", "en")
    assert "can't tell from the summary numbers alone" in said
    assert "October 2025 leaves the 12-month window" in said and "monthly records" in said


@pytest.mark.parametrize(
    ("lang", "text", "first"),
    [
        ("en", "is 70 points enough?", "70 points is enough, if every metric has at least 1 point"),
        ("en", "is 65 points enough?", "No, 65 points is not enough"),
        ("nl", "is 70 punten genoeg?", "70 punten is genoeg, als elke metrische waarde minstens 1 punt"),
    ],
)
async def test_points_needed(bot: BotHarness, lang: str, text: str, first: str) -> None:
    await bot.seed_profile("t1", CONTOSO)
    said = await ask(bot, "threshold", text, lang)
    assert said.splitlines()[1].startswith(first), said
    assert ("51.61" if lang == "en" else "51,61") in said  # and the partner's own total


@pytest.mark.parametrize(
    ("lang", "first"),
    [("en", "You are scored as larger markets"), ("nl", "U wordt beoordeeld als grotere markten")],
)
async def test_the_stored_market_comes_first(bot: BotHarness, lang: str, first: str) -> None:
    await bot.seed_profile("t1", CONTOSO)
    said = await ask(bot, "market", "are we larger or other market?", lang)
    assert said.splitlines()[1].startswith(first), said


async def test_without_data_the_market_is_not_known(bot: BotHarness) -> None:
    said = await ask(bot, "market", "which market are we in", "en")  # today the 2023 rules: a track
    assert said.splitlines()[1].startswith("I don't know yet: your track is not stored.")


@pytest.mark.parametrize(
    ("lang", "first"),
    [("en", "You are scored on the Enterprise track"), ("nl", "U wordt beoordeeld op de Enterprise-track")],
)
async def test_under_the_2023_rules_the_answer_is_the_track(bot: BotHarness, lang: str, first: str) -> None:
    profile = {k: v for k, v in CONTOSO.items() if k != "market"}
    await bot.seed_profile("t1", {**profile, "rules": "bizapps-2023", "track": "enterprise"})
    said = await ask(bot, "market", "are we larger or other market?", lang)
    assert said.splitlines()[1].startswith(first), said


@pytest.mark.parametrize(("lang", "word"), [("en", "Owners: nobody yet."), ("nl", "Eigenaren: nog niemand.")])
async def test_who_can_change_the_data(bot: BotHarness, lang: str, word: str) -> None:
    """Without an app id (this harness) roles are not checked, and the answer says so; the roles
    themselves are tested with an app id in tests/host/test_access.py."""
    said = await ask(bot, "access", "who can change our data?", lang)
    assert said.splitlines()[1] == word
    assert "app id" in said or "app-id" in said


@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_export_offers_the_file_in_a_personal_chat(bot: BotHarness, lang: str) -> None:
    await bot.seed_profile("t1", CONTOSO)
    replies = await bot.submit({"verb": "export", "text": "export my data"}, locale=LOCALE[lang])
    offered = [a for r in replies for a in r.attachments]
    assert [a["contentType"] for a in offered] == ["application/vnd.microsoft.teams.card.file.consent"]
    assert offered[0]["name"].endswith(".yaml") and "OneDrive" in replies[0].text
    assert "went wrong" not in replies[0].text and "fout" not in replies[0].text


@pytest.mark.parametrize(("lang", "text", "said"), [
    ("en", "how do advanced certifications work?", "On your track (Enterprise track), each person is worth"),
    ("nl", "hoe werken geavanceerde certificeringen?", "Op uw track (Enterprise-track) is elke persoon"),
])
async def test_explanations_under_the_2023_rules_name_the_track(bot: BotHarness, lang: str, text: str,
                                                                said: str) -> None:
    profile = {k: v for k, v in CONTOSO.items() if k != "market"}
    await bot.seed_profile("t1", {**profile, "rules": "bizapps-2023", "track": "enterprise"})
    assert said in "\n".join(shown(await bot.say(text, locale=LOCALE[lang])))
