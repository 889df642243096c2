"""The recognizer: accuracy on what admins type (English and Dutch), entities, typos, mentions, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from dialogs.recognizer import recognize

SET = yaml.safe_load((Path(__file__).with_name("utterances.yaml")).read_text(encoding="utf-8"))
REQUIRED = 0.95


def _cases(split: str) -> list[dict]:
    return [dict(case, lang=lang) for lang, cases in SET[split].items() for case in cases]


def _accuracy(split: str) -> tuple[float, list[str]]:
    misses = []
    for case in _cases(split):
        got = recognize(case["text"], case.get("locale"))
        if got.intent != case["intent"] or got.metric != case.get("metric"):
            misses.append(f"{case['text']!r}: got {got.intent}/{got.metric}, "
                          f"want {case['intent']}/{case.get('metric')}")
    return 1 - len(misses) / len(_cases(split)), misses


def test_the_set_is_big_varied_and_half_dutch() -> None:
    cases = _cases("tuning") + _cases("held_out")
    assert len(cases) >= 150
    dutch = [c for c in cases if c["lang"] == "nl"]
    assert 0.45 <= len(dutch) / len(cases) <= 0.55
    intents = {c["intent"] for c in cases}
    assert intents >= {"help", "score", "gap", "plan", "whatif", "update", "explain", "freshness",
                       "eligibility", "cosell", "cosell_explain", "language", "cancel"}
    assert len({(c["text"], c["lang"]) for c in cases}) == len(cases), "duplicate utterances"
    assert len(_cases("held_out")) >= 60, "keep a real held-out part"


@pytest.mark.parametrize("split", ["tuning", "held_out"])
def test_accuracy_of_intent_and_metric_is_at_least_95_percent(split: str, capsys) -> None:
    accuracy, misses = _accuracy(split)
    with capsys.disabled():
        print(f"\nrecognizer accuracy ({split}, {len(_cases(split))} utterances): {accuracy:.1%}")
    assert accuracy >= REQUIRED, "\n".join(misses)


@pytest.mark.parametrize(
    ("text", "intent", "metric"),
    [
        ("whats our scroe", "score", None),  # swapped letters
        ("how many more advnaced certifcations do we ned", "gap", "advanced_certifications"),
        ("hoeveel geavanceerde certificringen hebben we nog nodig", "gap", "advanced_certifications"),
        ("<at>Partner Bot</at> what is our score", "score", None),
        ("<at>PartnerBot</at>&nbsp;hoeveel implementaties nog tot het maximum", "gap", "deployments"),
        ("certifications advanced, how many more needed?", "gap", "advanced_certifications"),  # word order
        ("Could you please, kindly, tell me the score? Thanks!", "score", None),
        ("MCV: how many more?", "gap", "deployments"),
    ],
)
def test_typos_mentions_politeness_and_word_order(text: str, intent: str, metric: str | None) -> None:
    got = recognize(text)
    assert (got.intent, got.metric) == (intent, metric)


def test_several_changes_in_one_sentence_with_words_and_digits() -> None:
    got = recognize("what if we certify two more people as advanced and add 3 deployments")
    assert got.intent == "whatif"
    assert [(c.metric, c.amount, c.relative) for c in got.changes] == [
        ("advanced_certifications", Decimal(2), True), ("deployments", Decimal(3), True)]
    got = recognize("stel dat we twee implementaties meer hebben en vijf intermediate gecertificeerde mensen")
    assert [(c.metric, c.amount) for c in got.changes] == [
        ("deployments", Decimal(2)), ("intermediate_certifications", Decimal(5))]


def test_new_values_are_absolute_and_past_values_are_marked() -> None:
    got = recognize("we now have 5 advanced certified people")
    assert got.intent == "update"
    assert [(c.metric, c.amount, c.relative) for c in got.changes] == [
        ("advanced_certifications", Decimal(5), False)]
    got = recognize("het verbruik van 12 maanden geleden was 90.000")
    (change,) = got.changes
    assert (change.metric, change.amount, change.past) == ("usage_growth", Decimal(90000), True)


def test_dutch_een_is_an_article_but_een_with_accents_is_one() -> None:
    assert not recognize("we hebben een klant toegevoegd").entities.get("numbers")
    assert recognize("wat als we één implementatie meer hebben").changes[0].amount == 1


def test_dates_are_not_amounts() -> None:
    got = recognize("we added a customer on 10 march, when does it show up")
    assert got.intent == "freshness"
    assert not got.changes


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("check co-sell for Contoso Insights", "offer", "Contoso Insights"),
        ("is onze SaaS app Fabrikam Cloud co-sell ready?", "offer_type", "saas"),
        ("does power bi count?", "workload", "power_bi"),
        ("is DPOR an eligible attribution", "attribution", "DPOR"),
        ("change the market to other", "market", "other"),
        ("verander de markt naar grotere", "market", "larger"),
        ("spreek Nederlands", "language", "nl"),
        ("switch to english", "language", "en"),
        ("what does azure ip co-sell incentive require", "status", "azure_ip_co_sell_incentive"),
        ("why do I need a pitch deck", "requirement", "pitch_deck"),
        ("I just passed MB-210, when will it count", "certification", "MB-210"),
        ("is CSP tier 1 eligible for usage", "attribution", "CSP_T1"),  # a digit inside a phrase
        ("why do I need a one pager", "requirement", "one_pager"),  # a number word inside a phrase
        ("which attributions count for dynamics 365", "family", "dynamics_365"),
        ("if I add a workload on 2026-03-03 when does it show up", "year", 2026),
        ("gehaald op 3-11-2026", "month", 11),
        ("when is the october data available", "month", 10),
        ("may I ask something", "month", None),  # "may" names a month only next to a day
    ],
)
def test_entities(text: str, key: str, value: str) -> None:
    assert recognize(text).entities.get(key) == value


def test_a_one_word_market_needs_the_word_market() -> None:
    assert "market" not in recognize("what other certifications count").entities


def test_known_offer_names_are_found_in_any_case() -> None:
    got = recognize("is contoso insights co-sell ready", known_offers=["Contoso Insights"])
    assert got.entities["offer"] == "Contoso Insights"


def test_gibberish_is_not_confident_and_offers_two_guesses() -> None:
    got = recognize("purple monkey dishwasher")
    assert not got.confident
    vague = recognize("advanced")
    assert not vague.confident and len(vague.best_two()) == 2


def test_cli_prints_intent_and_metric_ids_as_json(capsys) -> None:
    assert main(["recognize", "hoeveel geavanceerde certificeringen heb ik nog nodig?", "--locale", "nl-NL",
                 "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["intent"] == "gap"
    assert result["entities"]["metric"] == "advanced_certifications"


@pytest.mark.slow
def test_cli_runs_as_the_installed_command() -> None:
    exe = Path(sys.executable).with_name("partnerbot")
    assert exe.exists(), "the partnerbot console script is not installed: run python3 dev.py test"
    out = subprocess.run([str(exe), "recognize", "what if we had 3 more deployments", "--json"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    result = json.loads(out)
    assert result["intent"] == "whatif"
    assert result["entities"]["changes"] == [
        {"metric": "deployments", "amount": 3, "relative": True, "percent": False, "past": False}]


A, M, D, N = ("advanced_certifications", "intermediate_certifications", "deployments", "net_customer_adds")


@pytest.mark.parametrize(
    ("text", "changes"),
    [
        # Dutch puts the verb last and it applies to every clause before it
        ("wat als we 5 implementaties en 4 geavanceerde certificeringen toevoegen",
         [(D, 5, True), (A, 4, True)]),
        ("stel dat we 2 geavanceerde certs en 3 implementaties erbij krijgen", [(A, 2, True), (D, 3, True)]),
        ("wat als we 2 intermediate, 1 geavanceerde en 3 implementaties extra hebben",
         [(M, 2, True), (A, 1, True), (D, 3, True)]),
        ("wat als we 3 implementaties toevoegen en de geavanceerde certificeringen op 12 zetten",
         [(D, 3, True), (A, 12, False)]),
        ("we hebben nu 12 implementaties en 4 geavanceerde certificeringen", [(D, 12, False), (A, 4, False)]),
        ("wat als we 2 implementaties minder hebben en 1 geavanceerde erbij", [(D, -2, True), (A, 1, True)]),
        ("zet implementaties naar 10 en geavanceerde certs op 6", [(D, 10, False), (A, 6, False)]),
        # English: the verb comes first and carries over; "to 12" and "now have" make a total
        ("what if we add 5 deployments and 4 advanced certifications", [(D, 5, True), (A, 4, True)]),
        ("what if we certify 2 more people to advanced level and 3 deployments",
         [(A, 2, True), (D, 3, True)]),
        ("what if deployments go to 12 and we add 2 advanced certs", [(D, 12, False), (A, 2, True)]),
        ("we now have 12 deployments and 4 advanced certified people", [(D, 12, False), (A, 4, False)]),
        ("what if we had 2 fewer deployments and one more advanced cert", [(D, -2, True), (A, 1, True)]),
        ("what if we lose 3 customers", [(N, -3, True)]),
    ],
)
def test_several_changes_relative_or_absolute_per_clause(text: str, changes: list) -> None:
    got = recognize(text)
    assert [(c.metric, c.amount, c.relative) for c in got.changes] == [
        (m, Decimal(a), r) for m, a, r in changes], text
