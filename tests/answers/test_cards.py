"""Every card kind the bot sends (``python3 dev.py cards``), in English and Dutch, follows the rules
that make it readable in Teams: the checks that need no browser. The rendered check (Microsoft's
renderer at 440 and 320 px, light and dark) is run by hand: README, "Checking the cards".
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest

from dialogs.cards import kit, samples
from tests.answers.cardcheck import actions_of, assert_valid_card, clicks

KINDS = [
    # welcome, help, did-you-mean, no-profile
    "welcome", "help", "did-you-mean", "no-profile", "import-help", "language",
    # scorecard, gaps, plan, what-if, update and Save
    "scorecard-not-met", "scorecard-met", "scorecard-open", "gap-one-metric", "gap-all-metrics", "plan",
    "plan-done", "what-if", "update", "update-saved-scorecard",
    # explain, when-it-counts, what-counts
    "explain-metric", "explain-rule", "explain-no-profile", "when-it-counts", "what-counts-workload",
    "what-counts-metric", "what-counts-certifications", "what-counts-rate",
    # short answers in words: next month, points needed, market, access, export
    "forecast", "threshold", "market", "access", "export",
    # co-sell explain, every walkthrough step and the checklist
    "cosell-explain-status", "cosell-explain-incentive", "cosell-pick-offer", "cosell-name",
    "cosell-offer-type", "cosell-question-1", "cosell-question-revenue", "cosell-later",
    "cosell-planning-ahead", "cosell-checklist", "cosell-checklist-stopped", "cosell-checklist-not-eligible",
    # every data-entry step and the summary
    "entry-market", "entry-net-adds", "entry-workloads-now", "entry-workloads-ago", "entry-intermediate",
    "entry-advanced", "entry-consumption-now", "entry-consumption-ago", "entry-summary", "entry-change-pick",
    "entry-market-change", "entry-done-scorecard",
    # refusals of a typed number: the question again, with the reason (typed text at a button choice
    # gets one line of text instead, no card)
    "entry-refused-not-a-number", "entry-refused-negative",
    # a name typed at "which offer?" starts a new offer (its type is asked); the card keeps its old name
    "cosell-pick-refused",
]
_URL = re.compile(r"https?://\S+")
_LINK = re.compile(r"\[[^\]]+\]\(https?://[^)\s]+\)")


@functools.cache
def _all() -> tuple[samples.Sample, ...]:
    return tuple(samples.collect())


def _cards() -> list[tuple[str, dict[str, Any]]]:
    return [(s.name, s.card) for s in _all()]


def _walk(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found += _walk(value)
    elif isinstance(node, list):
        for item in node:
            found += _walk(item)
    return found


def test_every_card_kind_is_dumped_in_both_languages() -> None:
    names = [s.name for s in _all()]
    for lang in ("en", "nl"):
        kinds = {re.sub(r"^(en|nl)-\d\d-", "", n) for n in names if n.startswith(lang)}
        assert set(KINDS) <= kinds, set(KINDS) - kinds
    assert len(names) == len(set(names))


def test_every_sample_card_is_valid_adaptive_card_1_5_below_28_kb() -> None:
    for name, card in _cards():
        try:
            assert_valid_card(card)
        except AssertionError as err:
            raise AssertionError(f"{name}: {err}") from None


def test_buttons_fit_a_phone_and_colour_is_readable_in_both_themes() -> None:
    for name, card in _cards():
        rows = [card.get("actions", [])]
        rows += [e["actions"] for e in _walk(card["body"]) if e.get("type") == "ActionSet"]
        for row in rows:
            titles = [str(a.get("title", "")) for a in row]
            assert kit.fits(titles), f"{name}: {titles}"
        for element in _walk(card):
            assert element.get("color") in (None, "Default", "Accent"), f"{name}: {element.get('color')}"


def test_texts_have_no_markdown_teams_shows_as_typed_and_links_have_short_titles() -> None:
    for name, card in _cards():
        for element in _walk(card):
            if element.get("type") != "TextBlock":
                continue
            text = str(element.get("text", ""))
            assert "`" not in text and not re.search(r"(?m)^#", text), f"{name}: {text}"
            bare = _URL.findall(_LINK.sub("", text))
            assert not bare, f"{name}: a bare web address {bare}"
            for title in re.findall(r"\[([^\]]+)\]\(", text):
                assert len(title) <= 40, f"{name}: long link title {title!r}"


def test_every_click_says_what_typing_would_and_fallback_is_the_body() -> None:
    for name, card in _cards():
        inputs = {e["id"] for e in _walk(card["body"]) if str(e.get("type", "")).startswith("Input.")}
        for data in clicks(card):
            assert data.get("verb"), name
        for action in actions_of(card):
            if action.get("type") != "Action.Submit":
                continue
            data = action["data"]
            # a button says its text; the OK of a drop-down or a number field gets it from the input
            assert "text" in data or "text" in inputs, f"{name}: {action.get('title')}"
            if inputs and "text" in data:
                assert action.get("associatedInputs") == "none", f"{name}: {action.get('title')}"
        assert card["fallbackText"] == kit.fallback_of(card["body"], card.get("actions", [])), name


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_long_lists_and_met_requirements_are_one_tap_away(lang: str) -> None:
    cards = {re.sub(r"^(en|nl)-\d\d-", "", s.name): s.card for s in _all() if s.name.startswith(lang)}
    for kind in ("what-counts-certifications", "cosell-checklist", "cosell-checklist-stopped"):
        assert any(a["type"] == "Action.ShowCard" for a in actions_of(cards[kind])), kind
    drop_downs = {kind for kind, card in cards.items()
                  if any(e.get("type") == "Input.ChoiceSet" for e in _walk(card["body"]))}
    assert {"cosell-offer-type", "entry-change-pick"} <= drop_downs
    numbers = {kind for kind, card in cards.items()
               if any(e.get("type") == "Input.Number" for e in _walk(card["body"]))}
    assert {"entry-net-adds", "entry-consumption-now", "entry-advanced"} <= numbers
    for kind in ("welcome", "help"):  # three main buttons, the rest under "More"
        more = next(a for a in actions_of(cards[kind]) if a["type"] == "Action.ShowCard")
        top = [a for a in actions_of(cards[kind])
               if a["type"] == "Action.Submit" and a not in actions_of(more)]
        assert len(top) == 3, kind


def test_the_dump_command_writes_one_json_file_per_card(tmp_path: Path) -> None:
    (tmp_path / "en-99-old-card.json").write_text("{}")
    assert samples.main([str(tmp_path)]) == 0
    written = sorted(p.stem for p in tmp_path.glob("*.json"))
    assert written == sorted(s.name for s in _all())
    assert samples.main([]) == 2
