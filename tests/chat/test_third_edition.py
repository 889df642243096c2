"""A third, synthetic edition — other numbers, other track names, another certification list, a
comparison window of 9 months instead of 12, a co-sell edition with another revenue threshold
counted over 6 months — all in force from 2030 — is scored, explained and asked for in chat (EN and
NL) through the real app and router, and by the command line, with no code change: new files in a
copy of the config folder (``PARTNERBOT_CONFIG_DIR``) and the names of its tracks in a text file.
No answer shows a number of another edition, nor their 12-month window ("12 months", "12-month",
"12 maanden", "twelve", "a year"); where an answer names the window, it says 9 months. The input
keys keep their names (``consumption_12_months_ago``): they are the file format, not words a person
reads.

The 2030 numbers (tracks ``global``/``local``): a global partner with 3 net customer adds (full at 6),
6 intermediate (12) and 2 advanced (4) certified people, 25 % growth (40) and 4 more deployments (8)
scores 7.5 + 10 + 7.5 + 18.75 + 10 = 53.75 points; the designation needs 65.
"""

from __future__ import annotations

import importlib
import re
import shutil
from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

import kernel.texts
import scoring.editions
from bot.cli import main
from dialogs.cards import answers as cards
from dialogs.conversation import build_conversation
from kernel.errors import InputError
from kernel.files import config_dir
from scoring import api, cosell
from tests.answers.cardcheck import card_text
from tests.support.chat import Chat
from tests.support.harness import BotHarness

DAY_2030 = date(2030, 3, 25)  # the latest evaluable month is February 2030
RULES_2030 = {"en": "the rules of January 2030 (Microsoft, 20 November 2029)",
              "nl": "de regels van januari 2030 (Microsoft, 20 november 2029)"}
TRACKS = {"en": ("Global track", "Local track"), "nl": ("Wereldwijde track", "Lokale track")}
OTHER_EDITIONS = ("5,000", "1,500", "250", "50,000", "25,000", "10,000", "100,000", "5.000", "1.500",
                  "50.000", "25.000", "10.000", "100.000", "Enterprise", "SMB", "larger market",
                  "grotere markt", "PL-600", "MB-210")
"""Numbers, track names and certifications of the 2022 and 2023 editions, as an answer would show them."""
OTHER_WINDOW = re.compile(r"\b12[ -]?(month|maand)|\btwelve\b|\btwaalf\b|\ba year\b|\been jaar\b",
                          re.IGNORECASE)
"""The comparison window of the 2022 and 2023 editions (12 months), in figures or in words."""
WINDOW = {"en": "9 months", "nl": "9 maanden"}
"""How an answer names the 2030 comparison window."""
COSELL_WINDOW = {"en": "6 months", "nl": "6 maanden"}
"""How an answer names the months the 2030 co-sell revenue is counted over."""


def _edition_2030(folder: Path) -> None:
    pcs = yaml.safe_load((folder / "pcs" / "2023-bizapps.yaml").read_text(encoding="utf-8"))
    pcs.update(id="bizapps-2030", title="Business Applications, synthetic 2030 edition",
               effective_from=date(2030, 1, 1), documented=date(2029, 11, 20), readings={})
    pcs["segments"].update(ids=["global", "local"])
    pcs["segments"]["classification"].update(track="global", otherwise="local", min_pairs=3,
                                             pair_revenue={"amount": 9000, "comparison": "greater"})
    pcs["designation"]["min_total"] = 65
    for metric, (top, low) in {"net_customer_adds": (6, 4), "intermediate_certifications": (12, 3),
                               "advanced_certifications": (4, 1), "usage_growth": (40, 20),
                               "deployments": (8, 2)}.items():
        pcs["metrics"][metric]["full_at"] = {"global": top, "local": low}
    pcs["revenue"]["pair_minimum"] = {"global": {"amount": 2000, "comparison": "greater"},
                                      "local": {"amount": 400, "comparison": "at_least"}}
    pcs["usage"]["baseline"] = {"global": 80000, "local": 30000}
    pcs["usage"]["deployment_min"] = {"global": 12000, "local": 6000}
    pcs["certifications"]["file"] = "certifications/2030-bizapps.yaml"
    pcs["windows"]["comparison_months"] = 9
    (folder / "pcs" / "2030-bizapps.yaml").write_text(yaml.safe_dump(pcs, sort_keys=False), encoding="utf-8")
    (folder / "pcs" / "certifications" / "2030-bizapps.yaml").write_text(
        'source: "a synthetic list"\n'
        "intermediate:\n  - {name: Agentic Business Consultant, exams: [AB-100], source: synthetic}\n"
        "advanced:\n  - {name: Agentic Solution Architect, exams: [AB-410], source: synthetic}\n",
        encoding="utf-8")
    (folder / "texts" / "zz-2030.yaml").write_text(
        'scoring.market.global: {en: "Global track", nl: "Wereldwijde track"}\n'
        'scoring.market.local: {en: "Local track", nl: "Lokale track"}\n', encoding="utf-8")
    co = yaml.safe_load((folder / "cosell" / "2023.yaml").read_text(encoding="utf-8"))
    co.update(id="cosell-2030", effective_from=date(2030, 1, 1), documented=date(2029, 12, 1))
    for requirement in co["requirements"]:
        if requirement.get("threshold_usd") is not None:
            requirement["threshold_usd"] = 250000
            requirement["window_months"] = 6
    (folder / "cosell" / "2030.yaml").write_text(yaml.safe_dump(co, sort_keys=False), encoding="utf-8")


def _forget() -> None:
    scoring.editions.all_editions.cache_clear()
    importlib.import_module("scoring.cosell.edition")._load.cache_clear()
    kernel.texts.catalog.cache_clear()


@pytest.fixture
def third(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[api.Edition]:
    folder = tmp_path / "config"
    shutil.copytree(config_dir(), folder)
    _edition_2030(folder)
    monkeypatch.setenv("PARTNERBOT_CONFIG_DIR", str(folder))
    _forget()
    try:
        yield api.get_edition("bizapps-2030")
    finally:
        monkeypatch.delenv("PARTNERBOT_CONFIG_DIR")
        _forget()


def _clean(text: str) -> None:
    """No number, track, certification or comparison window of another edition (a number as a whole:
    not 105,000 for 5,000)."""
    for shown in OTHER_EDITIONS:
        assert not re.search(rf"(?<![\w.,]){re.escape(shown)}(?![\w]|[.,]\d)", text), shown
    assert not OTHER_WINDOW.search(text), OTHER_WINDOW.search(text)


def test_it_is_scored_by_its_own_numbers_tracks_and_certifications(third: api.Edition) -> None:
    profile = api.parse_profile({"track": "global", "evaluated_month": "2030-02", "metrics": {
        "net_customer_adds": 3, "intermediate_certified_people": 6, "advanced_certified_people": 2,
        "consumption_now": 105000, "consumption_12_months_ago": 84000, "deployments_now": 10,
        "deployments_12_months_ago": 6}}, "p")
    result = api.evaluate(profile)
    assert result.edition == "bizapps-2030" and result.market == "global"
    assert [m.points for m in result.metrics] == [7.5, 10, 7.5, 18.75, 10] and result.total == 53.75
    assert result.designation_met is False  # 53.75 < 65
    counted = api.evaluate(api.parse_profile({"track": "local", "evaluated_month": "2030-02", "records": {
        "certifications": [{"person": "P1", "certification": "AB-410"},
                           {"person": "P2", "certification": "ab-100"}]}}, "p"))
    assert counted.metric("advanced_certifications").points == 15  # 1 person is full at on local
    assert counted.metric("intermediate_certifications").value == 1
    with pytest.raises(InputError) as caught:  # a 2023 certification is not on this edition's list
        api.evaluate(api.parse_profile({"track": "local", "evaluated_month": "2030-02", "records": {
            "certifications": [{"person": "P1", "certification": "PL-600"}]}}, "p"))
    assert caught.value.code == "scoring.unknown_certification"
    assert api.edition_name(third, "en") == RULES_2030["en"]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_it_is_explained_with_its_own_numbers_and_track_names(third: api.Edition, lang: str) -> None:
    shown = "\n".join(card_text(cards.explain_card(third, metric, None, lang)) for metric in
                      (None, "net_customer_adds", "advanced_certifications", "usage_growth", "deployments"))
    assert TRACKS[lang][0] in shown and TRACKS[lang][1] in shown and RULES_2030[lang] in shown
    assert {"en": "USD 80,000", "nl": "USD 80.000"}[lang] in shown  # the global baseline
    assert {"en": "USD 12,000", "nl": "USD 12.000"}[lang] in shown  # the global deployment minimum
    assert {"en": "more than USD 2,000", "nl": "meer dan USD 2.000"}[lang] in shown
    assert {"en": "at least 65 of 100 points", "nl": "minstens 65 van de 100 punten"}[lang] in shown
    assert WINDOW[lang] in shown  # "minus 9 months before", "consumption 9 months ago"
    _clean(shown)


@pytest.fixture
async def bot_2030(third: api.Edition, make_bot: Callable[..., Awaitable[BotHarness]]) -> BotHarness:
    return await make_bot(conversation_factory=lambda storage, partners: build_conversation(
        storage, partners, today=lambda: DAY_2030))


PROFILE_2030: dict[str, Any] = {"partner": "Tailspin", "track": "global", "metrics": {
    "net_customer_adds": 3, "intermediate_certified_people": 6, "advanced_certified_people": 2,
    "consumption_now": 105000, "consumption_12_months_ago": 84000, "deployments_now": 10,
    "deployments_12_months_ago": 6}}


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("nl-NL", "nl")])
async def test_it_is_asked_for_and_answered_in_chat(bot_2030: BotHarness, locale: str, lang: str) -> None:
    chat = Chat(bot_2030, locale=locale, tenant=f"t-{lang}")
    text = "\n".join(await chat.begin("profile"))  # the track question, with this edition's rule
    assert TRACKS[lang][0] in text and TRACKS[lang][1] in text
    assert {"en": "more than USD 9,000", "nl": "meer dan USD 9.000"}[lang] in text and "3 " in text
    assert WINDOW[lang] in text  # "in both the latest month and the month 9 months before"
    _clean(text)
    text = "\n".join(await chat.click("local"))
    assert await chat.partners.load_profile(chat.tenant) == {"track": "local"}
    assert {"en": "at least USD 400", "nl": "minstens USD 400"}[lang] in text  # the next question
    assert WINDOW[lang] in text  # net customer adds: "more ... than 9 months ago"
    _clean(text)
    await chat.cancel()

    await chat.partners.save_profile(chat.tenant, PROFILE_2030)
    score = "\n".join(await chat.say({"en": "what's our score?", "nl": "wat is onze score?"}[lang]))
    assert {"en": "53.75 of 100 points", "nl": "53,75 van de 100 punten"}[lang] in score
    assert RULES_2030[lang] in score and TRACKS[lang][0] in score and "bizapps" not in score
    _clean(score)
    asked = {"en": "how does usage growth work?", "nl": "hoe werkt gebruiksgroei?"}[lang]
    how = "\n".join(await chat.say(asked))
    assert {"en": "USD 80,000 (Global track)", "nl": "USD 80.000 (Wereldwijde track)"}[lang] in how
    _clean(how)


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("nl-NL", "nl")])
async def test_its_cosell_edition_asks_for_its_own_amount(bot_2030: BotHarness, locale: str,
                                                           lang: str) -> None:
    chat = Chat(bot_2030, locale=locale, tenant=f"c-{lang}")
    text = "\n".join(await chat.begin("cosell", {"offer": "Fabrikam Flow", "offer_type": "saas"}))
    assert "PartnerID" in text  # the 2023 wording holds until an edition words it otherwise
    seen = [text]
    for _ in range(12):  # yes to every question until the Azure revenue question
        reply = "\n".join(await chat.click({"en": "yes", "nl": "ja"}[lang]))
        seen.append(reply)
        if {"en": "USD 250,000", "nl": "USD 250.000"}[lang] in reply:
            break
    else:
        pytest.fail("the revenue question never came:\n" + "\n---\n".join(seen))
    assert COSELL_WINDOW[lang] in seen[-1]  # "over the last 6 months"
    assert all("100,000" not in t and "100.000" not in t and not OTHER_WINDOW.search(t) for t in seen)
    assert cosell.edition(on=DAY_2030).id == "cosell-2030"


PROFILE_2030_WINDOW: dict[str, Any] = {"partner": "Tailspin", "track": "global", "metrics": {
    "qualifying_workloads_now": 10, "qualifying_workloads_12_months_ago": 7,
    "intermediate_certified_people": 6, "advanced_certified_people": 2, "consumption_now": 105000,
    "consumption_12_months_ago": 70000,
    "deployments_now": 10, "deployments_12_months_ago": 6}}
"""Net customer adds from the two counts, and consumption 9 months ago below the global baseline (80,000):
the answers name the inputs of the window and say why growth scores nothing."""


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("nl-NL", "nl")])
async def test_its_window_is_named_in_every_chat_answer(bot_2030: BotHarness, locale: str, lang: str) -> None:
    chat = Chat(bot_2030, locale=locale, tenant=f"w-{lang}")
    await chat.partners.save_profile(chat.tenant, PROFILE_2030_WINDOW)
    asked = {"en": ["what's our score?", "how does net customer adds work?", "how do deployments work?",
                    "will my score drop next month?", "explain usage growth"],
             "nl": ["wat is onze score?", "hoe werkt nettoklanttoevoegingen?", "hoe werken implementaties?",
                    "daalt mijn score volgende maand?", "leg gebruiksgroei uit"]}[lang]
    for question in asked:
        said = "\n".join(await chat.say(question))
        assert WINDOW[lang] in said, (question, said)
        _clean(said)
    summary = "\n".join(await chat.begin("profile"))  # nothing to ask: the summary names every input
    for label in ({"en": "Monthly consumption value 9 months ago",
                   "nl": "Maandelijkse verbruikswaarde 9 maanden geleden"},
                  {"en": "Deployments 9 months ago", "nl": "Implementaties 9 maanden geleden"}):
        assert label[lang] in summary, summary
    _clean(summary)
    await chat.cancel()


COSELL_2030 = """\
partner: {partner_id: true, business_profile: true, azure_consumed_revenue_12m_usd: 1000}
offers:
  - {name: Fabrikam Flow, type: saas, published_live: true, transactable: true, billed_revenue_12m_usd: 0}
"""


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_command_line_names_its_window(third: api.Edition, tmp_path: Path, lang: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    profile = tmp_path / "tailspin.yaml"
    profile.write_text(yaml.safe_dump({**PROFILE_2030_WINDOW, "evaluated_month": "2030-02"}),
                       encoding="utf-8")
    facts = tmp_path / "cosell.yaml"
    facts.write_text(COSELL_2030, encoding="utf-8")
    for command in (["score", str(profile)], ["gap", str(profile)],
                    ["cosell", str(facts), "--on", "2030-03-25"]):
        assert main([*command, "--lang", lang]) == 0, command
        out = capsys.readouterr().out
        window = COSELL_WINDOW if command[0] == "cosell" else WINDOW
        assert window[lang] in out, (command, out)
        _clean(out)


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("nl-NL", "nl")])
async def test_the_conversation_reads_certifications_by_the_edition_of_its_day(
        bot_2030: BotHarness, locale: str, lang: str) -> None:
    """The conversation is on a 2030 day while the real date is earlier: "AB-410" (an advanced
    certification of the 2030 list only) is read as one, as the edition of the conversation's day says."""
    chat = Chat(bot_2030, locale=locale, tenant=f"r-{lang}")
    await chat.partners.save_profile(chat.tenant, PROFILE_2030)
    text = "\n".join(await chat.say({"en": "what if 2 people pass AB-410",
                                     "nl": "wat als 2 collega's AB-410 behalen"}[lang]))
    assert {"en": "2 → 4 · 7.50 → 15.00", "nl": "2 → 4 · 7,50 → 15,00"}[lang] in text, text
    _clean(text)
