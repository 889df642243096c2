"""The bot speaks first, through the real host and the fake connector: opt-in per conversation, one
digest on the data-refresh day (not twice, not after a restart, not from another process), a digest
after an import changes the score, warnings, and unsubscribing a conversation the bot was removed from."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import data_commands, notify
from bot.app import ADAPTER, PARTNERS
from bot.storage.documents import DocumentRepository
from kernel import clock
from tests.answers.cardcheck import assert_valid_card, card_text
from tests.support.harness import ROOT, BotHarness, FakeConnector, clean_environment, partnerbot_command
from tests.support.profiles import CONTOSO, records_profile

REFRESH = dt.date(2026, 12, 20)
"""December's data-refresh day: November's data lands on the 20th under the rules in force."""


def _contoso(adds: int) -> dict[str, Any]:
    data = {k: v for k, v in CONTOSO.items() if k != "evaluated_month"}
    data["metrics"] = {**CONTOSO["metrics"], "net_customer_adds": adds}
    return data


async def _setup(make_bot: Any, data_dir: Path) -> BotHarness:
    """A bot with Contoso's October (7 adds) and November (10 adds) kept, and two conversations
    opted in: one in English, one in Dutch."""
    bot = await make_bot(data_dir=data_dir, today=dt.date(2026, 12, 2), notify_every_seconds=0)
    with clock.fixed(dt.date(2026, 11, 25)):
        await bot.seed_profile("t1", _contoso(7))
    replies = await bot.say("notify me", tenant="t1", conversation="conv-en")
    assert "Notifications on" in card_text(replies[0].cards[0])
    replies = await bot.say("houd me op de hoogte", tenant="t1", conversation="conv-nl", locale="nl-NL")
    assert "Meldingen aan" in card_text(replies[0].cards[0])
    return bot


async def _run(bot: BotHarness, day: dt.date) -> notify.Report:
    with clock.fixed(day):
        return await notify.run_due(bot.app[PARTNERS], bot.app[ADAPTER], "", day)


def _sent(connector: FakeConnector, since: int) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for posted in connector.posted[since:]:
        for card in posted.cards:
            assert_valid_card(card)
            out.setdefault(posted.conversation_id, []).append(card_text(card))
    return out


async def test_one_digest_on_the_refresh_day_even_after_a_restart_and_from_another_process(
    make_bot: Any, fake_connector: FakeConnector, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    bot = await _setup(make_bot, data_dir)
    since = len(fake_connector.posted)
    assert (await _run(bot, dt.date(2026, 12, 19))).sent == []  # not the refresh day, nothing changed
    with clock.fixed(REFRESH):  # November's data is in: 10 adds
        await bot.seed_profile("t1", _contoso(10))
    report = await _run(bot, REFRESH)
    assert sorted(report.sent) == ["msteams/conv-en", "msteams/conv-nl"]
    sent = _sent(fake_connector, since)
    assert len(sent["conv-en"]) == 1 and len(sent["conv-nl"]) == 1
    english, dutch = sent["conv-en"][0], sent["conv-nl"][0]
    assert "Your monthly digest" in english
    assert "November 2026: 54.61 points" in english  # 10 + 12 + 6.43 + 18.18 + 8
    assert "+3.00 points since October 2026 (51.61 points)." in english
    assert "The designation is not met yet." in english
    assert "Most useful next step" in english
    assert "Uw maandelijkse overzicht" in dutch and "november 2026: 54,61 punten" in dutch
    # the same day again, after a restart on the same database, and from `partnerbot notify --due`
    assert (await _run(bot, REFRESH)).sent == []
    await bot.close()
    again = await make_bot(data_dir=data_dir, today=REFRESH, notify_every_seconds=0)
    assert (await _run(again, REFRESH)).sent == []
    env = {**clean_environment(), "PARTNERBOT_DATA_DIR": str(data_dir)}
    done = await asyncio.to_thread(
        subprocess.run, [*partnerbot_command(), "notify", "--due", "--today", REFRESH.isoformat()],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "digests sent: 0" in done.stdout
    assert len(_sent(fake_connector, since)["conv-en"]) == 1
    # next month's refresh day: one more each
    report = await _run(again, dt.date(2027, 1, 20))
    assert sorted(report.sent) == ["msteams/conv-en", "msteams/conv-nl"]


async def test_a_changed_score_is_told_once_and_stop_notifications_ends_it(
    make_bot: Any, fake_connector: FakeConnector, tmp_path: Path
) -> None:
    bot = await _setup(make_bot, tmp_path / "data")
    path = tmp_path / "contoso.yaml"
    path.write_text(yaml.safe_dump(_contoso(12)), encoding="utf-8")
    with clock.fixed(dt.date(2026, 12, 2)):
        await data_commands.import_file(bot.settings, path, "t1")
    assert (await bot.say("stop notifications", tenant="t1", conversation="conv-nl"))[0].cards
    since = len(fake_connector.posted)
    report = await _run(bot, dt.date(2026, 12, 3))
    assert report.sent == ["msteams/conv-en"]
    text = _sent(fake_connector, since)["conv-en"][0]
    assert "Your score changed" in text and "October 2026: 56.61 points" in text
    assert (await _run(bot, dt.date(2026, 12, 4))).sent == []  # told once


@pytest.mark.parametrize("status", [403, 404])
async def test_a_conversation_the_bot_was_removed_from_is_unsubscribed(
    make_bot: Any, fake_connector: FakeConnector, tmp_path: Path, status: int
) -> None:
    bot = await _setup(make_bot, tmp_path / "data")
    fake_connector.gone_status = status
    fake_connector.gone.add("conv-nl")
    report = await _run(bot, REFRESH)
    assert report.sent == ["msteams/conv-en"] and report.unsubscribed == ["msteams/conv-nl"]
    partners = bot.app[PARTNERS]
    assert isinstance(partners, DocumentRepository)
    assert [s.conversation_key for s in await partners.notifications.subscriptions()] == ["msteams/conv-en"]
    fake_connector.gone.clear()
    assert (await _run(bot, dt.date(2027, 1, 20))).sent == ["msteams/conv-en"]


async def test_warnings_for_a_drop_ahead_and_a_certification_that_expires_within_30_days(
    make_bot: Any, fake_connector: FakeConnector
) -> None:
    bot = await make_bot(today=dt.date(2026, 11, 25), notify_every_seconds=0)
    profile = records_profile("2026-10", customers=lambda i: 4 + i + (3 if i == 6 else 0),
                              advanced_expires="2026-12-20")
    await bot.seed_profile("t1", profile)
    await bot.say("notify me", tenant="t1", conversation="conv-en")
    since = len(fake_connector.posted)
    report = await _run(bot, dt.date(2026, 11, 26))
    assert report.warned == ["msteams/conv-en"] and report.sent == []
    text = _sent(fake_connector, since)["conv-en"][0]
    assert "Heads-up" in text
    # adds 12 → 8 points and deployments 12 → 10 points (see test_ahead)
    assert "Your score is expected to drop by 6.00 points in November 2026, when October 2025 leaves" in text
    assert "3 advanced certified people expire before 27 December 2026: −6.43 points." in text
    assert (await _run(bot, dt.date(2026, 11, 27))).warned == []  # once a month


async def test_a_send_that_fails_for_a_passing_reason_is_tried_again_later(
    make_bot: Any, fake_connector: FakeConnector, tmp_path: Path
) -> None:
    bot = await _setup(make_bot, tmp_path / "data")
    fake_connector.refusing.add("conv-en")
    report = await _run(bot, REFRESH)
    assert report.failed == ["msteams/conv-en"] and report.sent == ["msteams/conv-nl"]
    fake_connector.refusing.clear()
    since = len(fake_connector.posted)
    report = await _run(bot, REFRESH)  # the claim was given back: sent now, and only there
    assert report.sent == ["msteams/conv-en"]
    assert list(_sent(fake_connector, since)) == ["conv-en"]
