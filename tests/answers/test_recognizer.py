"""The recognizer: accuracy on what admins type (English and Dutch), entities, typos, mentions,
changes, follow-ups, CLI."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from dialogs.understanding import (
    Context,
    Recognition,
    Recognizer,
    dates,
    follow_up,
    is_command_word,
    recognize,
    recognizer,
)
from dialogs.understanding.edition_words import certification_names
from kernel import clock
from kernel.errors import InputError
from kernel.files import config_dir, load_yaml_file
from scoring import api

SET = yaml.safe_load((config_dir() / "recognizer" / "sentences.yaml").read_text(encoding="utf-8"))
"""The labelled sentences the recognizer learns from (``config/recognizer/sentences.yaml``)."""
HELD = yaml.safe_load(Path(__file__).with_name("held_out.yaml").read_text(encoding="utf-8")) or {}
"""Blind rounds measured before anything learned from them (``tests/answers/held_out.yaml``): the
recognizer never reads this file."""
SPLITS = ("tuning", "held_out", "held_out_3", "held_out_4", "held_out_5", "held_out_6", "held_out_7",
          "held_out_8", "dev_9a", "dev_9b", "dev_9c", "dev_9d", "dev_9e", "dev_9f", "held_out_9", "dev_10a",
          "dev_10b", "dev_10c", "dev_10d", "dev_10e", "dev_10f", "dev_10g", "held_out_10", "dev_11a",
          "dev_11b", "dev_11c", "dev_11d", "dev_11e", "dev_11f", "dev_11g",
          "dev_11h", "dev_11i", "dev_11j", "dev_11k", "dev_11l", "dev_11m", "dev_11n",
          "dev_11o", "own", "held_out_11")
REQUIRED = dict.fromkeys(SPLITS, 0.97) | {"dev_11n": 0.95, "held_out_11": 0.98}
"""At least this accuracy per part (see the README table for each part's first, untuned figure).
Round 6 was written by a session that never saw the recognizer and measured 80.8 % the first time.
Round 7, written blind after round 6's fixes, measured 71.2 %. Both are no longer blind: their misses
were read and their general causes fixed (sentence frames, the words of a change, follow-ups that are
sentences), and their floors are what they measure since. Round 8, written blind after those fixes,
measured 83.3 % once; after the fixes its misses showed it measures 92.1 %, and after session 3's fixes
97.4 %. The development rounds 9a–9f were written blind too and then tuned on (README table: each one's
first figure); their floors are what they measure since. Round 9, written blind after all of that,
measured 92.6 % once. Since session 5 the recognizer learns from every part of sentences.yaml, so
those parts now measure text it has seen; development rounds 10a-10g were written blind and tuned on,
then learned from. Round 10, written blind at the start of session 5, measured 92.0 % once; since
session 6 it is learned from too, with the development rounds 11a-11o written blind in session 6 (each
measured once before tuning: README table). Every part of sentences.yaml now measures at least 97 %,
but round 11n (95 %: what-ifs stated without "what if" that it showed last are not all read yet).
Round 11 (held_out.yaml), written blind at the start of session 6 and never learned from, measured
98.6 % once, at the end of session 6 (its floor)."""


def _cases(split: str) -> list[dict]:
    source = HELD if split in HELD else SET
    return [dict(case, lang=lang) for lang, cases in source[split].items() for case in cases]


READ_ON: date = SET["read_on"]
"""The sets are read as of the day their latest parts were written: their labels follow the rules in
force that day, and "in January" was next month then."""


def _miss(case: dict) -> str | None:
    """Why the recognizer reads ``case`` wrong (intent, metric, and the changes when given), or None."""
    context = _context(case["context"]) if case.get("context") else None
    with clock.fixed(READ_ON):
        got = follow_up(context, case["text"], case.get("locale")) if context else recognize(
            case["text"], case.get("locale"))
    have: tuple[object, ...] = (got.intent, got.metric)
    want: tuple[object, ...] = (case["intent"], case.get("metric"))
    if "changes" in case:
        have += (tuple((c.metric, c.amount, c.mode, c.unit) for c in got.changes),)
        want += (tuple((m, Decimal(str(a)), mode, unit) for m, a, mode, unit in case["changes"]),)
    return None if have == want else f"{case['text']!r}: got {have}, want {want}"


def _context(data: dict) -> Context:
    """A case's context; a what-if's changes are written like a case's: [metric, amount, mode, unit]."""
    changes = tuple(api.Change(m, Decimal(str(a)), mode, unit)
                    for m, a, mode, unit in data.get("changes", []))
    return Context(**{k: v for k, v in data.items() if k != "changes"}, changes=changes)


def _accuracy(split: str) -> tuple[float, list[str]]:
    misses = [miss for case in _cases(split) if (miss := _miss(case))]
    return 1 - len(misses) / len(_cases(split)), misses


def test_the_set_is_big_varied_and_half_dutch() -> None:
    cases = [c for split in SPLITS for c in _cases(split)]
    assert len(cases) >= 400
    dutch = [c for c in cases if c["lang"] == "nl"]
    assert 0.45 <= len(dutch) / len(cases) <= 0.55
    intents = {c["intent"] for c in cases}
    assert intents >= {"help", "score", "gap", "plan", "whatif", "update", "explain", "freshness",
                       "eligibility", "cosell", "cosell_explain", "language", "cancel", "forecast",
                       "threshold", "market", "access", "export"}
    assert len({(c["text"], c["lang"], str(c.get("context"))) for c in cases}) == len(cases), "duplicates"
    assert all(len(_cases(s)) >= 60 for s in SPLITS), "keep real held-out parts"
    new = [c for split in SPLITS[2:] if split != "own" for c in _cases(split)]  # rounds 3 on
    assert sum("changes" in c for c in new) >= 30, "the new held-out part measures changes"
    assert sum("context" in c for c in new) >= 10, "and follow-ups"
    tuned = {c["text"].lower() for c in _cases("tuning")}
    assert not [c["text"] for c in new if c["text"].lower() in tuned], "held-out is not tuning"


def test_the_blind_rounds_are_not_learned_from() -> None:
    """No sentence of held_out.yaml is one the recognizer learns from, and every part of either file is
    measured."""
    learned = {case["text"].lower() for split, languages in SET.items() if split != "read_on"
               for cases in languages.values() for case in cases}
    held = [case["text"] for split in HELD for case in _cases(split)]
    assert held and not [text for text in held if text.lower() in learned]
    assert set(SPLITS) == set(HELD) | (set(SET) - {"read_on"})


@pytest.mark.parametrize("split", SPLITS)
def test_accuracy_per_part(split: str, capsys) -> None:
    """Intent and metric right, and for utterances that state changes, every change (metric, amount,
    add or set, count or percent); follow-ups are read with the context they follow."""
    accuracy, misses = _accuracy(split)
    with capsys.disabled():
        print(f"\nrecognizer accuracy ({split}, {len(_cases(split))} utterances): {accuracy:.1%}")
    assert accuracy >= REQUIRED[split], "\n".join(misses)


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
    assert [(c.metric, c.amount, c.mode) for c in got.changes] == [
        ("advanced_certifications", Decimal(2), "add"), ("deployments", Decimal(3), "add")]
    got = recognize("stel dat we twee implementaties meer hebben en vijf intermediate gecertificeerde mensen")
    assert [(c.metric, c.amount) for c in got.changes] == [
        ("deployments", Decimal(2)), ("intermediate_certifications", Decimal(5))]


def test_new_values_are_absolute_and_past_values_are_marked() -> None:
    got = recognize("we now have 5 advanced certified people")
    assert got.intent == "update"
    assert [(c.metric, c.amount, c.mode) for c in got.changes] == [
        ("advanced_certifications", Decimal(5), "set")]
    got = recognize("het verbruik van 12 maanden geleden was 90.000")
    (change,) = got.changes
    assert (change.metric, change.amount, change.past) == ("usage_growth", Decimal(90000), True)


def test_dutch_een_is_an_article_but_een_with_accents_is_one() -> None:
    assert not recognize("we hebben een klant toegevoegd").entities.get("numbers")
    assert recognize("wat als we één implementatie meer hebben").changes[0].amount == 1


@pytest.mark.parametrize(("text", "metric"), [
    ("er is nog een collega geslaagd voor MB-800", "intermediate_certifications"),
    ("wat als we nog een implementatie doen", "deployments"),
    ("what if another colleague passes PL-600", "advanced_certifications"),
    ("what if we do another deployment", "deployments"),
])
def test_nog_een_and_another_are_one_more(text: str, metric: str) -> None:
    got = [(c.metric, c.amount, str(c.mode)) for c in recognize(text).changes]
    assert got == [(metric, Decimal(1), "add")]


@pytest.mark.parametrize(("text", "amount"), [
    ("what if consumption were 10% lower", -10), ("wat als het verbruik 20% lager is", -20),
    ("what if usage were 5% higher", 5), ("wat als we 2 implementaties kwijtraken", -2),
    ("wat als het verbruik met 3.000 omhooggaat", 3000),
])
def test_comparatives_and_dutch_separable_verbs_are_relative(text: str, amount: int) -> None:
    (change,) = recognize(text).changes
    assert (change.amount, str(change.mode)) == (Decimal(amount), "add")


@pytest.mark.parametrize(("text", "changes"), [
    ("what if two advanced certified people leave", [("advanced_certifications", -2, "add")]),
    ("wat als er 2 mensen met een geavanceerde certificering vertrekken",
     [("advanced_certifications", -2, "add")]),
    ("wat als we 6 nieuwe klanten binnenhalen", [("net_customer_adds", 6, "add")]),
    ("what if we lose 3 customers but gain 2 deployments",
     [("net_customer_adds", -3, "add"), ("deployments", 2, "add")]),
    ("stel dat het verbruik met 3000 stijgt, we 2 implementaties toevoegen",
     [("usage_growth", 3000, "add"), ("deployments", 2, "add")]),
])
def test_verbs_of_going_subtract_and_but_or_a_comma_ends_a_clause(text: str, changes: list) -> None:
    got = [(c.metric, c.amount, str(c.mode)) for c in recognize(text).changes]
    assert got == [(m, Decimal(a), mode) for m, a, mode in changes]


def test_a_phrase_with_a_one_letter_word_and_filler_words_in_follow_ups() -> None:
    context = Context("whatif", "deployments", changes=(api.Change("deployments", Decimal(4)),))
    for text in ["ok and a month from now?", "and next month then?", "en over een maand?"]:
        got = follow_up(context, text)
        assert (got.intent, got.entities.get("period"), got.changes) == ("whatif", "next_month",
                                                                          list(context.changes)), text
    assert follow_up(Context("score"), "and in a month?").intent == "forecast"


@pytest.mark.parametrize("text", ["what happens to our score if 5 people pass PL-400",
                                  "wat gebeurt er met onze score als 2 mensen PL-600 halen"])
def test_a_conditional_sentence_that_states_a_change_is_a_what_if(text: str) -> None:
    assert recognize(text).intent == "whatif"
    assert recognize("telt PL-600 als geavanceerde certificering?").intent != "whatif"


def test_an_update_without_anything_to_update_is_a_question() -> None:
    assert recognize("wat is nu onze partnerscore").intent == "score"
    assert recognize("onze markt is grotere markten").intent == "update"


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
        {"metric": "deployments", "amount": 3, "mode": "add", "unit": "count", "past": False}]


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


# --- issue 9: what changes mean, where the vocabulary comes from, follow-ups ------------------------


@pytest.mark.parametrize(
    ("text", "change"),
    [
        ("what if consumption goes up by 2000", ("usage_growth", 2000, "add", "count")),
        ("what if usage increases by 10%", ("usage_growth", 10, "add", "percent")),
        ("wat als het verbruik met 5.000 stijgt", ("usage_growth", 5000, "add", "count")),
        ("what if we lose 2 deployments", ("deployments", -2, "add", "count")),
        ("what if consumption drops to 95,000", ("usage_growth", 95000, "set", "count")),
        ("what if we had 12 deployments now", ("deployments", 12, "set", "count")),
        ("what if 2 people pass PL-600", ("advanced_certifications", 2, "add", "count")),
    ],
)
def test_relative_changes_add_and_absolute_ones_set(text: str, change: tuple) -> None:
    (got,) = recognize(text).changes
    assert (got.metric, got.amount, got.mode, got.unit) == (change[0], Decimal(change[1]), *change[2:])


def test_an_exam_counts_at_the_level_of_the_rule_editions_own_list() -> None:
    """MB-335 is an advanced (Expert) certification in the 2022 list; the recognizer keeps no copy."""
    assert recognize("what if one more person passes MB-335").changes[0].metric == "advanced_certifications"
    assert recognize("does MB-335 count").metric == "advanced_certifications"
    assert recognize("what if 2 people pass the Power Platform Solution Architect Expert exam").metric == (
        "advanced_certifications")


def _synthetic_recognizer(edition: api.Edition) -> Recognizer:
    folder = config_dir() / "recognizer"
    intents, entities = (load_yaml_file(folder / name) for name in ("intents.yaml", "entities.yaml"))
    return Recognizer(intents, entities, edition)


def test_another_edition_brings_its_own_certifications_and_workloads() -> None:
    edition = api.get_edition("bizapps-2022")
    moved = [dataclasses.replace(c, level="intermediate") if "MB-335" in c.exams else c
             for c in edition.certifications]
    fewer = {k: v for k, v in edition.revenue_workloads.items() if k != "fraud_protection"}
    other = dataclasses.replace(edition, id="synthetic", certifications=tuple(moved), revenue_workloads=fewer,
                                usage_workloads={**edition.usage_workloads,
                                                 "copilot_studio": api.UsageWorkload("copilot_studio",
                                                                                     "Copilot Studio", ())})
    reader = _synthetic_recognizer(other)
    assert reader.recognize("what if 2 people pass MB-335").changes[0].metric == "intermediate_certifications"
    assert reader.recognize("does copilot studio count").entities.get("workload") == "copilot_studio"
    # a workload the edition dropped is still that workload (the answer says it does not count there)
    assert reader.recognize("does fraud protection count").entities.get("workload") == "fraud_protection"
    assert "fraud_protection" not in other.revenue_workloads


@pytest.mark.parametrize(("text", "intent"), [
    ("our PL-600 certificates expire soon, will that cost us points?", "forecast"),
    ("onze PL-600 certificaten verlopen binnenkort, kost dat punten?", "forecast"),
    ("if our PL-600 certificates expire, will that cost us points?", "whatif"),
])
def test_a_change_expected_soon_without_an_amount_is_the_forecast(text: str, intent: str) -> None:
    assert recognize(text).intent == intent


@pytest.mark.parametrize("text", ["what if we now have 5 advanced certified people",
                                  "stel dat we nu 12 implementaties hebben",
                                  "what happens to the score if we set deployments to 12",
                                  "wat als we zetten op 4 implementaties"])
def test_a_hypothetical_sentence_never_proposes_an_update(text: str) -> None:
    got = recognize(text)
    assert got.intent == "whatif" and got.hypothetical


@pytest.mark.parametrize("text", ["we now have 5 advanced certified people", "zet implementaties op 12",
                                  "2 more people passed PL-600"])
def test_a_statement_is_an_update(text: str) -> None:
    assert recognize(text).intent == "update"


COSELL_QUESTIONS = ["what does co-sell ready mean", "explain the business applications incentive",
                    "how is the azure ip co-sell incentive calculated", "wat betekent collectieve verkoop",
                    "leg Gereed voor collectieve verkoop uit"]


@pytest.mark.parametrize("text", COSELL_QUESTIONS)
def test_a_cosell_question_never_gets_a_partner_score_explanation(text: str) -> None:
    assert recognize(text).intent == "cosell_explain"


@pytest.mark.parametrize(
    ("text", "metric"),
    [("hoeveel tussenliggende certificeringen hebben we nog nodig", "intermediate_certifications"),
     ("hoeveel expertcertificeringen nog", "advanced_certifications"),
     ("hoeveel punten voor de Netto-klant voegt toe", "net_customer_adds"),
     ("hoe werkt de gebruiksgroei", "usage_growth"),
     ("hoeveel implementaties nog", "deployments"),
     ("hoeveel associate certificeringen nog", "intermediate_certifications")],
)
def test_partner_centers_dutch_terms_name_the_metric(text: str, metric: str) -> None:
    assert recognize(text).metric == metric


@pytest.mark.parametrize(("text", "metric", "changes"), [
    # what admins type fast
    ("how many deps do we have", "deployments", []),
    ("impl gap", "deployments", []),
    ("NCA score?", "net_customer_adds", []),
    ("what if 2 more int certs", "intermediate_certifications", [("intermediate_certifications", 2, "add")]),
    ("what if deps 6 mo ago were 2", "deployments", [("deployments", 2, "set")]),
    ("whatif we add 2 customers", "net_customer_adds", [("net_customer_adds", 2, "add")]),
    ("UG pts?", "usage_growth", []),
    ("how many assoc certs do we need", "intermediate_certifications", []),
    # everyday names, by admins who do not know the terms
    ("how far are we on the harder exams", "advanced_certifications", []),
    ("how do the mid-level certificates score", "intermediate_certifications", []),
    ("hoeveel punten voor de middelste certificaten", "intermediate_certifications", []),
    ("hoe werkt de groei van de klantuitgaven", "usage_growth", []),
    ("how many points for the top-level certificates", "advanced_certifications", []),
    ("what if our clients' cloud costs go up 10%", "usage_growth", [("usage_growth", 10, "add")]),
    ("wat als we 2 klantimplementaties extra doen", "deployments", [("deployments", 2, "add")]),
    ("als we het gebruik met 10% verhogen, wat dan?", "usage_growth", [("usage_growth", 10, "add")]),
    # a compound with a slip in its head; an idiom of quitting
    ("wat als het maandverbuik met 4.000 stijgt", "usage_growth", [("usage_growth", 4000, "add")]),
    ("wat als onze enige MB-700 architect er de brui aan geeft", "advanced_certifications",
     [("advanced_certifications", -1, "add")]),
    # customers who spend or use are whose consumption it is
    ("what if clients spend 10% more per month", "usage_growth", [("usage_growth", 10, "add")]),
    ("wat als onze klanten 4.000 per maand meer uitgeven", "usage_growth", [("usage_growth", 4000, "add")]),
    ("hoeveel punten voor de cloudrekening van onze klanten", "usage_growth", []),
    ("what if our customers use 2,000 more per month", "usage_growth", [("usage_growth", 2000, "add")]),
    ("wat als klanten 3.000 minder aan de cloud kwijt zijn", "usage_growth",
     [("usage_growth", -3000, "add")]),
    # customers where a deployment is, or why it was lost
    ("wat als we bij 3 klanten extra uitrollen", "deployments", [("deployments", 3, "add")]),
    ("what if we lose an installation at a customer in Utrecht", "deployments", [("deployments", -1, "add")]),
    ("een implementatie is weggevallen omdat de klant failliet ging", "deployments",
     [("deployments", -1, "add")]),
    # but customers counted beside them still are
    ("what if we win 2 customers and consumption grows 5%", "net_customer_adds",
     [("net_customer_adds", 2, "add"), ("usage_growth", 5, "add")]),
    ("wat als 2 klanten opzeggen en we 1 implementatie kwijtraken", "net_customer_adds",
     [("net_customer_adds", -2, "add"), ("deployments", -1, "add")]),
    ("what if we lose 2 customers that use Dynamics", "net_customer_adds",
     [("net_customer_adds", -2, "add")]),
    ("what if we add 3 customers who spend 1,000 a month each", "net_customer_adds",
     [("net_customer_adds", 3, "add"), ("usage_growth", 1000, "add")]),
    ("we went live at a new customer yesterday, when does the deployment count", "deployments", []),
    # "gebruikers" are users, no usage
    ("tellen Power Apps-gebruikers mee voor implementaties?", "deployments", []),
    # a certification named without its level word, when no other has that name
    ("what if our Business Central Functional Consultant leaves", "intermediate_certifications",
     [("intermediate_certifications", -1, "add")]),
    # what something counts as, with the thing between the verb and "as"
    ("telt een klant als implementatie?", "deployments", []),
    # no metric: customers who use a product, "ik gebruik" as a verb
    ("do our clients use Power BI a lot?", None, []),
    ("ik gebruik dit om de score te bekijken", None, []),
    ("hoe gebruiken we deze bot", None, []),
])
def test_admins_own_words_name_the_metric(text: str, metric: str | None, changes: list) -> None:
    """Abbreviations, everyday names, and customers named as who spends, where a deployment is or who
    uses a product (not the metric net customer adds)."""
    got = recognize(text)
    assert got.metric == metric
    assert [(c.metric, c.amount, str(c.mode)) for c in got.changes] == [
        (m, Decimal(a), mode) for m, a, mode in changes]


def test_a_certification_name_without_its_level_word_names_it_only_when_no_other_has_that_name() -> None:
    (rules,) = [e for e in api.editions() if e.id == "bizapps-2023"]
    names = certification_names(rules)
    assert "Finance Functional Consultant" in names["mb-310"]
    assert "Finance and Operations Apps Solution Architect" in names["mb-700"]
    bare = "Supply Chain Management Functional Consultant"  # MB-330 (Associate) and MB-335 (Expert)
    assert bare not in names["mb-330"] and bare not in names["mb-335"]


@pytest.mark.parametrize(
    ("text", "status"),
    [("wat betekent Gereed voor collectieve verkoop", "co_sell_ready"),
     ("wat vereist Business Applications incentives voor collectieve verkoop",
      "business_applications_co_sell_incentive"),
     ("wat betekent Op de markt", "on_market")],
)
def test_partner_centers_dutch_cosell_statuses(text: str, status: str) -> None:
    assert recognize(text).entities.get("status") == status


def test_implausible_amounts_are_flagged_for_a_refusal() -> None:
    assert recognize("what if we had 150000 advanced certified people").implausible
    assert recognize("what if we add 1e50 customers").implausible or not recognize(
        "what if we add 1e50 customers").changes
    big = recognize("what if we add " + "9" * 60 + " deployments")
    assert big.implausible and big.implausible[0].metric == "deployments"
    assert not recognize("what if we had 12 advanced certified people").implausible


def test_follow_ups_reuse_the_previous_question() -> None:
    gap = Context("gap", metric="advanced_certifications")
    assert (follow_up(gap, "and intermediate?").intent, follow_up(gap, "and intermediate?").metric) == (
        "gap", "intermediate_certifications")
    assert follow_up(gap, "en implementaties?").metric == "deployments"
    why = follow_up(gap, "why?")
    assert (why.intent, why.metric) == ("explain", "advanced_certifications")
    assert follow_up(Context("score"), "and next month?").intent == "forecast"
    # a question of its own is read as itself, and without a context nothing is a follow-up
    assert follow_up(gap, "what's my score?").intent == "score"
    assert follow_up(None, "and intermediate?").intent != "gap"


def test_follow_ups_after_a_what_if_ask_the_same_change_again() -> None:
    context = Context.of(recognize("what if 2 people pass MB-335"))
    assert context is not None and context.changes
    other = follow_up(context, "and intermediate?")
    assert (other.intent, [(c.metric, c.amount, str(c.mode)) for c in other.changes]) == (
        "whatif", [("intermediate_certifications", Decimal(2), "add")])
    later = follow_up(context, "en volgende maand?")
    assert (later.intent, later.entities.get("period"), later.changes) == (
        "whatif", "next_month", list(context.changes))
    # a percentage of consumption says nothing about deployments: read as a follow-up of a score
    growth = Context.of(recognize("what if usage grows by 10%"))
    assert growth is not None and follow_up(growth, "and deployments?").intent == "score"
    # nor does an amount of consumption (money), either way: not 2,000 more deployments
    money = Context.of(recognize("what if consumption goes up by 2000"))
    assert money is not None and money.changes
    for text in ("and deployments?", "en implementaties?"):
        assert (follow_up(money, text).intent, follow_up(money, text).changes) == ("score", [])
    people = Context.of(recognize("what if 2 people pass PL-600"))
    assert people is not None and follow_up(people, "and usage growth?").changes == []
    # the moved amount is checked against the new metric's limit
    many = Context.of(recognize("what if we had 500000 more deployments"))
    assert many is not None and follow_up(many, "and advanced?").implausible


def test_the_context_survives_storage_and_refuses_forged_state() -> None:
    context = Context.of(recognize("how many more deployments do we need"))
    assert context == Context("gap", "deployments")
    assert Context.from_json(context.to_json()) == context
    assert Context.from_json({"intent": 3}) is None
    assert Context.from_json({"intent": "gap", "metric": ["x"]}) is None
    assert Context.from_json("gap") is None
    whatif = Context.of(recognize("what if consumption goes up by 2000"))
    assert whatif is not None and Context.from_json(whatif.to_json()) == whatif
    forged = {**whatif.to_json(), "changes": [{"metric": "deployments", "amount": "1e999999", "mode": "add",
                                               "unit": "count"}]}
    assert Context.from_json({**whatif.to_json(), "changes": [{"metric": 1}]}) is None
    assert Context.from_json({**forged, "changes": [{**forged["changes"][0], "mode": "drop"}]}) is None


@pytest.mark.parametrize(("text", "command"), [
    ("help", True), ("Help!", True), ("annuleer", True), ("stop", True), ("hulp", True),
    ("Tulp Analytics", False), ("Help Desk Pro", False), ("Stop Fraud Suite", False)])
def test_only_exactly_a_command_word_is_a_command(text: str, command: bool) -> None:
    assert is_command_word(text) is command


def test_dates_and_months_named_in_a_question() -> None:
    today = date(2026, 11, 23)
    assert dates.date_of(recognize("we added a customer on 10 march").entities, today) == date(2026, 3, 10)
    december = recognize("we added a customer on 10 december").entities
    assert dates.date_of(december, today) == date(2025, 12, 10)
    assert dates.date_of(recognize("gehaald op 31-2-2026").entities, today) is None  # no such day
    october = recognize("when is the october data available").entities
    assert dates.month_of(october, today) == date(2026, 10, 1)


def test_cli_reads_with_the_vocabulary_of_a_named_edition(capsys) -> None:
    assert main(["recognize", "what if 2 people pass MB-335", "--rules", "bizapps-2022", "--json"]) == 0
    (change,) = json.loads(capsys.readouterr().out)["entities"]["changes"]
    assert change == {"metric": "advanced_certifications", "amount": 2, "mode": "add", "unit": "count",
                      "past": False}
    assert main(["recognize", "x", "--rules", "bizapps-1999"]) == 2


ODD = ["", " ", "?", "🙂🙂", "1e400", "10^999999", "-0", "<b>score</b>", "'; DROP TABLE profiles; --",
       "a" * 300, "what if " + "9" * 300 + " deployments", "wat als 1e400 implementaties", "and", "en?",
       "why why", "score\x00", "what if we add 2\x003 deployments",
       "MB-", "PL-6000", "12-13-2026", "31-02-2026", "%%%", "1,2,3,4", "what if we lose -3 deployments"]


@pytest.mark.parametrize("text", ODD)
def test_odd_messages_are_read_without_failing(text: str) -> None:
    for got in (recognize(text), follow_up(Context("gap", "deployments"), text)):
        json.dumps(got.to_json())  # whatever it is, it can be shown and stored
        for change in got.changes:
            assert change.amount.is_finite()


# --- round 7's general causes, with sentences of our own (never the held-out ones) ------------------


@pytest.mark.parametrize("text", ["zitten we goed met de punten?", "laat me onze score zien",
                                  "laten we beginnen met de gegevens", "stop and tell me the score please",
                                  "en als het om klanten gaat?", "stop the digest", "stop het overzicht"])
def test_a_cancel_is_a_short_command_not_a_look_alike(text: str) -> None:
    assert recognize(text).intent != "cancel"


@pytest.mark.parametrize("text", ["cancel", "laat maar", "stop maar", "never mind", "forget it", "afbreken",
                                  "nee laat maar", "nah forget it"])
def test_a_cancel_command_is_still_a_cancel(text: str) -> None:
    assert recognize(text).intent == "cancel"


def test_a_state_changing_intent_needs_its_own_words() -> None:
    assert recognize("wie mag de cijfers bewerken").intent != "grant"
    assert recognize("make Anna an editor").intent == "grant"
    assert recognize("speak english please").intent == "language"


@pytest.mark.parametrize(("text", "change"), [
    ("three more deployments, what would that do to our points?", (D, 3, "add", "count")),
    ("assume consumption of 150,000, score?", ("usage_growth", 150000, "set", "count")),
    ("stel 4 extra implementaties, wat levert dat op?", (D, 4, "add", "count")),
    ("hoe verandert onze score als er twee klanten bijkomen", (N, 2, "add", "count")),
    ("say we lose a deployment, where does that leave us", (D, -1, "add", "count")),
    ("+5 customers, what happens?", (N, 5, "add", "count")),
    ("+2 deployments what does it do for us", (D, 2, "add", "count")),
    ("whatif we lose 2 customers", (N, -2, "add", "count")),
])
def test_a_stated_change_asked_about_is_a_what_if(text: str, change: tuple) -> None:
    got = recognize(text)
    assert (got.intent, [(c.metric, c.amount, c.mode, c.unit) for c in got.changes]) == (
        "whatif", [(change[0], Decimal(change[1]), *change[2:])])
    assert got.hypothetical


@pytest.mark.parametrize(("text", "change"), [
    ("what if consumption dips by 3,000", ("usage_growth", -3000, "add", "count")),
    ("wat als 2 geavanceerde certificeringen verlopen", (A, -2, "add", "count")),
    ("what if usage ends up at 90,000", ("usage_growth", 90000, "set", "count")),
    ("what if we reach a usage growth of 30%", ("usage_growth", 30, "set", "percent")),
    ("what if we had tweeëndertig implementaties", (D, 32, "set", "count")),
    ("imagine thirty-one advanced certified people", (A, 31, "set", "count")),
    ("what if twenty five people get an intermediate cert", (M, 25, "set", "count")),
    ("what if we add an intermediate certified consultant", (M, 1, "add", "count")),
    ("what if we add another 2,000 of consumption", ("usage_growth", 2000, "add", "count")),
    ("wat als we er een implementatie bij krijgen", (D, 1, "add", "count")),
    # the same people or things are counted once: "both" / "all three" name a group again, a later
    # question restates an earlier sentence's change, "quick one" and "another provider" count nothing
    ("what if our two PL-600 architects both resign", (A, -2, "add", "count")),
    ("als onze twee PL-600 architecten allebei vertrekken", (A, -2, "add", "count")),
    ("three customers may move to another provider. what if all three leave?", (N, -3, "add", "count")),
    ("Two of our consultants plan to pass PL-600 this spring. What would two more advanced certs do?",
     (A, 2, "add", "count")),
    ("we might hire a PL-600 architect. what would one more of those do for us?", (A, 1, "add", "count")),
    ("Our biggest customer may leave. If we lost that customer, what then?", (N, -1, "add", "count")),
    ("quick one: what if we add 2 deployments", (D, 2, "add", "count")),
    # what is kept is a total; someone hired from a competitor comes in; a superlative names one thing
    ("say we only keep 5 deployments", (D, 5, "set", "count")),
    ("we hebben inmiddels 9 implementaties", (D, 9, "set", "count")),
    ("what if we poach a PL-600 architect from a competitor", (A, 1, "add", "count")),
    ("what if we lose our largest customer", (N, -1, "add", "count")),
    # no amount: a time served, a year planned for, a customer whose size changes
    ("Our PL-600 architect retires after twenty years with us. What does that cost us?",
     (A, -1, "add", "count")),
    ("Ik maak de begroting voor 2027. Stel dat het verbruik met 10% groeit?",
     ("usage_growth", 10, "add", "percent")),
    ("a large customer is trimming licences. what if consumption falls 10%?",
     ("usage_growth", -10, "add", "percent")),
    # a number compared after its metric, "the new year" is no "new", a pronoun in a later clause of
    # the same sentence, a number named as part of a certification's name, a day only without a metric
    ("what if the Contoso rollout is cancelled and we end up with one deployment fewer",
     (D, -1, "add", "count")),
    ("say we keep 4 deployments into the new year", (D, 4, "set", "count")),
    ("our analyst Sam is taking PL-300 next week, what if she passes?", (M, 1, "add", "count")),
    ("we nemen een Dynamics 365 Business Central Functional Consultant Associate aan, wat levert die op?",
     (M, 1, "add", "count")),
    ("wat als we voor maart 3 nieuwe klanten binnenhalen", (N, 3, "add", "count")),
    # a certification named without its level word; a month before an amount is no day
    ("what if Jo passes the Dynamics 365 Sales Functional Consultant exam?", (M, 1, "add", "count")),
    ("als we in januari 5 nieuwe klanten binnenhalen, halen we het dan?", (N, 5, "add", "count")),
    ("what if usage ends up 10 percent below where it is now?", ("usage_growth", -10, "add", "percent")),
    ("what if our consumption got cut in half", ("usage_growth", -50, "add", "percent")),
    ("Halen we de 70 als iemand van het team nog PL-400 haalt?", (M, 1, "add", "count")),  # 70: points
    ("als het verbruik met de helft daalt", ("usage_growth", -50, "add", "percent")),
    ("if we add 2 deployments do we clear 70 or not", (D, 2, "add", "count")),
    # one customer whose size changes is no amount; "only" a number reached is the total; a rate per year
    ("Een van onze grote klanten gaat licenties afbouwen. Wat als het verbruik 10% daalt?",
     ("usage_growth", -10, "add", "percent")),
    ("als we dit jaar maar 5 nieuwe klanten halen, hoe staan we dan?", (N, 5, "set", "count")),
    ("what if we only reach 5 deployments this year", (D, 5, "set", "count")),
    ("what if consumption grows by 60,000 a year", ("usage_growth", 60000, "add", "count")),
    ("we started the year with 5 deployments", (D, 5, "set", "count")),
    ("what if we reach 200k consumption a month", ("usage_growth", 200000, "set", "count")),
    ("wat als we 5.000 meer verbruik halen", ("usage_growth", 5000, "add", "count")),
    ("what if we hire two PL-600 architects, does that push us past 70?", (A, 2, "add", "count")),
    # a number of months is a period, not an amount, unless it is a rate ("8,000/month", "a month")
    ("what if we had 5 deployments in the last 12 months", (D, 5, "set", "count")),
    ("what if consumption grows 8,000/month", ("usage_growth", 8000, "add", "count")),
    ("als onze enige MB-700 consultant er de brui aan geeft, wat dan?", (A, -1, "add", "count")),
    # a customer that "cuts back" / "bouwt af" changes consumption, not the count of customers
    ("our largest client cuts back, what if consumption drops by 4,000?",
     ("usage_growth", -4000, "add", "count")),
    ("een klant bouwt af, wat als het verbruik 5% daalt?", ("usage_growth", -5, "add", "percent")),
])
def test_direction_mode_and_amount_come_from_the_words_of_the_change(text: str, change: tuple) -> None:
    got = recognize(text)
    assert [(c.metric, c.amount, c.mode, c.unit) for c in got.changes] == [
        (change[0], Decimal(change[1]), *change[2:])], text


def test_a_name_without_its_level_word_that_two_levels_share_names_no_level() -> None:
    """"Supply Chain Management Functional Consultant" is an Associate (intermediate) and an Expert
    (advanced): without "Associate" or "Expert" it names no level, so it counts no one."""
    assert recognize("what if Jo passes the Supply Chain Management Functional Consultant exam").changes == []
    assert recognize("what if Jo passes the Finance Functional Consultant exam").metric == M


def test_an_article_counts_one_only_in_a_sentence_that_changes_something() -> None:
    assert recognize("what is a deployment").changes == []
    assert recognize("how does an intermediate certification count").changes == []
    assert recognize("how many advanced do we need for 30 points").changes == []  # points are no amount
    assert recognize("if we only hired advanced certified consultants, how many would we need?").changes == []


@pytest.mark.parametrize(("text", "change"), [
    ("two of our advanced certified people left in October", (A, -2, "add")),
    ("een collega met een geavanceerde certificering is gisteren vertrokken", (A, -1, "add")),
    ("we onboarded a PL-600 holder, please save that", (A, 1, "add")),
    ("we hebben 6 mensen met een associate certificering bij ons", (M, 6, "set")),
    ("we hebben een collega met PL-600 in dienst genomen, tel haar erbij", (A, 1, "add")),
    ("Deze week zijn drie nieuwe klanten begonnen, sla dat op", (N, 3, "add")),
    ("we zijn een implementatie kwijtgeraakt bij een klant in Utrecht", (D, -1, "add")),
    ("three of our people got their associate certificate this week", (M, 3, "add")),
    ("another colleague passed PL-300 today, add one", (M, 1, "add")),
])
def test_a_stated_fact_is_an_update(text: str, change: tuple) -> None:
    got = recognize(text)
    assert (got.intent, [(c.metric, c.amount, c.mode) for c in got.changes]) == (
        "update", [(change[0], Decimal(change[1]), change[2])])


def test_greetings_before_a_question_and_dutch_compounds() -> None:
    assert recognize("hallo, hoe staan we ervoor?").intent == "score"
    assert recognize("good morning, what's our score").intent == "score"
    assert recognize("hello").intent == "help"
    assert recognize("wat is onze totaalscore").intent == "score"
    # an introduction before the question: the question is what is asked
    assert recognize("hi, I'm new here. what's our score?").intent == "score"
    assert recognize("Hoi! Eerste keer dat ik dit gebruik. Wat kun je allemaal?").intent == "help"


def test_follow_ups_that_are_sentences() -> None:
    adds = Context("whatif", N, changes=(api.Change(N, Decimal(2)),))
    for text in ("do the same for intermediate", "en als het nu eens intermediate certificeringen waren?"):
        got = follow_up(adds, text)
        moved = [(c.metric, c.amount) for c in got.changes]
        assert (got.intent, moved) == ("whatif", [(M, Decimal(2))]), text
    later = follow_up(Context("whatif", D, changes=(api.Change(D, Decimal(2)),)),
                      "and what would that give next month?")
    assert (later.intent, later.entities.get("period")) == ("whatif", "next_month")
    assert (follow_up(Context("gap", D), "dezelfde vraag voor de klanten").intent,
            follow_up(Context("gap", D), "dezelfde vraag voor de klanten").metric) == ("gap", N)
    why = follow_up(Context("score", D), "why is that so bad?")
    assert (why.intent, why.metric) == ("explain", D)
    # a question of its own after a what-if is that question
    assert follow_up(adds, "and how many more deployments do we still need?").intent == "gap"


def _built(sentences: dict) -> Recognizer:
    folder = config_dir() / "recognizer"
    return Recognizer(load_yaml_file(folder / "intents.yaml"), load_yaml_file(folder / "entities.yaml"),
                      api.get_edition("bizapps-2022"), sentences)


def test_a_labelled_sentence_teaches_its_phrasing() -> None:
    """A sentence of sentences.yaml is one more example of its intent: a phrasing the examples do not
    cover is read right once it is labelled, and a follow-up (read with its context) teaches nothing."""
    text = "beam our numbers over to me"
    untaught = _built({})
    taught = _built({"part": {"en": [{"text": text, "intent": "export"}]}})
    follow = _built({"part": {"en": [{"text": text, "intent": "export", "context": {"intent": "score"}}]}})
    assert untaught.recognize(text).intent != "export"
    assert taught.recognize(text).intent == "export"
    assert follow.recognize(text).intent == untaught.recognize(text).intent


def test_a_label_naming_no_intent_is_refused_with_where() -> None:
    with pytest.raises(InputError, match=r"part\.nl\[2\]: unknown intent 'scroe'"):
        _built({"part": {"nl": [{"text": "onze score", "intent": "score"},
                                {"text": "x", "intent": "scroe"}]}})


@pytest.mark.parametrize(("day", "period"), [(date(2026, 12, 2), "next_month"), (date(2027, 6, 1), None)])
def test_the_name_of_next_month_is_next_month(day: date, period: str | None) -> None:
    """On 2 December "in januari" is next month (the forecast); in June it is no period at all."""
    with clock.fixed(day):
        got = recognize("hoeveel punten hebben we in januari?")
        asked = recognize("is our score still above 70 in January?")
    assert got.entities.get("period") == asked.entities.get("period") == period
    assert (got.intent, asked.intent) == (("forecast", "forecast") if period else ("score", "score"))


def test_both_is_two_and_a_total_is_no_new_value() -> None:
    got = recognize("what if both our advanced certified architects leave")
    assert [(c.metric, c.amount, c.mode) for c in got.changes] == [(A, Decimal(-2), "add")]
    got = recognize("what would our total be with 2 more deployments")
    assert [(c.metric, c.amount, c.mode) for c in got.changes] == [(D, Decimal(2), "add")]


def test_a_statement_read_as_a_what_if_is_an_update() -> None:
    got = recognize("we hebben 2 klanten meer dan vorige maand")
    assert (got.intent, got.hypothetical) == ("update", False)


def test_the_same_what_if_with_another_amount() -> None:
    context = Context("whatif", D, changes=(api.Change(D, Decimal(2)),))
    for text in ("and if it were 6 instead?", "en als het er 6 waren?"):
        got = follow_up(context, text)
        assert (got.intent, [(c.metric, c.amount, c.mode) for c in got.changes]) == (
            "whatif", [(D, Decimal(6), "add")]), text
    why = follow_up(Context("gap", "usage_growth"), "and why is that?")
    assert (why.intent, why.metric) == ("explain", "usage_growth")


def test_from_a_value_to_another_sets_the_new_one() -> None:
    got = recognize("what if usage goes from 90k to 120k")
    assert [(c.metric, c.amount, c.mode) for c in got.changes] == [("usage_growth", Decimal(120000), "set")]
    assert [c.amount for c in recognize("wat als het verbruik daalt van 5.000").changes] == [Decimal(-5000)]


def test_follow_ups_with_only_an_amount_or_a_reference() -> None:
    context = Context("whatif", A, changes=(api.Change(A, Decimal(3)),))
    for text in ("what about 7?", "en met 7?"):
        assert [(c.metric, c.amount) for c in follow_up(context, text).changes] == [(A, Decimal(7))], text
    for text in ("explain that", "leg dat uit"):
        got = follow_up(Context("score", D), text)
        assert (got.intent, got.metric) == ("explain", D), text
    other = follow_up(Context("cosell", offer="Fabrikam Cloud"), "and for Contoso Flow?")
    assert (other.intent, other.entities.get("offer")) == ("cosell", "Contoso Flow")
    assert follow_up(Context("cosell", offer="Fabrikam Cloud"), "and intermediate?").intent == "score"


@pytest.mark.parametrize(("text", "intent"), [("we have no advanced certified people", "update"),
                                              ("we hebben geen implementaties meer", "update"),
                                              ("what if we had no deployments", "whatif"),
                                              ("wat als we geen klanten hadden", "whatif")])
def test_none_of_a_metric_is_zero(text: str, intent: str) -> None:
    got = recognize(text)
    assert (got.intent, [(c.amount, c.mode) for c in got.changes]) == (intent, [(Decimal(0), "set")])
    assert recognize("no more digests").changes == [] and recognize("geen idee").changes == []


OFF_TOPIC = ["tell me a joke", "what's the weather in Amsterdam", "hoe wordt het weer morgen",
             "how is the traffic today", "wie is de president"]


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_a_sentence_about_nothing_the_bot_knows_is_not_guessed_at(text: str) -> None:
    assert recognize(text).intent is None


SHORT = [("hi", "help"), ("who are you", "help"), ("how does it work", "explain"),
         ("did we make it to 70?", "score")]


@pytest.mark.parametrize(("text", "intent"), SHORT)
def test_short_questions_of_common_words_are_still_read(text: str, intent: str) -> None:
    assert recognize(text).intent == intent


def test_the_value_of_a_unit_is_no_what_if_and_a_workload_question_asks_what_counts() -> None:
    assert recognize("how many points does one advanced certification give").intent != "whatif"
    assert recognize("is Power Apps usage counted").intent == "eligibility"


def test_another_amount_of_a_loss_is_a_loss() -> None:
    context = Context("whatif", D, changes=(api.Change(D, Decimal(-1)),))
    assert [c.amount for c in follow_up(context, "and if it were 3 instead?").changes] == [Decimal(-3)]


def test_a_clear_lead_is_confident_and_a_frame_decision_is_too() -> None:
    thresholds = recognize("score").thresholds
    assert Recognition("score", 0.3, (("gap", 0.1),), {}, thresholds).confident
    assert not Recognition("score", 0.3, (("gap", 0.25),), {}, thresholds).confident
    assert not Recognition("market", 0.34, (), {}, thresholds).confident  # "enterprise" at the track buttons
    assert not Recognition("score", 0.2, (("gap", 0.05),), {}, thresholds).confident
    for text in ("stel 4 extra implementaties, wat levert dat op?", "one of our deployments was cancelled"):
        assert recognize(text).confident, text


def test_english_words_are_no_dutch_compounds() -> None:
    tokenizer = recognizer().tokenizer
    assert tokenizer.parts("somewhere") == ("somewhere",)
    assert tokenizer.parts("totaalscore") == ("totaal", "score")


def test_a_number_word_after_a_month_is_an_amount_and_follow_ups_of_every_metric() -> None:
    got = recognize("we zijn in november twee klanten kwijtgeraakt")
    assert [(c.metric, c.amount, c.mode) for c in got.changes] == [(N, Decimal(-2), "add")]
    assert recognize("we added a customer on 10 march").entities.get("day") == 10
    for text in ("and the other metrics?", "en de andere meetwaarden?"):
        got = follow_up(Context("gap", D), text)
        assert (got.intent, got.metric) == ("gap", None), text
    exploring = follow_up(Context("whatif", D, changes=(api.Change(D, Decimal(2)),)), "and with 3 customers?")
    assert (exploring.intent, exploring.hypothetical) == ("whatif", True)


def test_a_score_to_reach_at_the_end_of_a_question_is_points() -> None:
    got = recognize("assuming 2 more deployments, would we pass 70?")
    assert [(c.metric, c.amount) for c in got.changes] == [(D, Decimal(2))]
    assert [(c.metric, c.amount) for c in recognize("what if deployments hit 7").changes] == [(D, Decimal(7))]
    assert [(c.metric, c.amount, c.mode) for c in recognize("three deployments went live today").changes] == [
        (D, Decimal(3), "add")]


def test_a_later_question_restates_an_earlier_change_only_in_the_same_mode() -> None:
    """ "we have 2 deployments. what if we had 2 more?" states a total, then asks a change of it."""
    got = recognize("we have 2 deployments. what if we had 2 more?")
    assert [(c.amount, c.mode) for c in got.changes] == [(Decimal(2), "set"), (Decimal(2), "add")]
