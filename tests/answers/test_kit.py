"""The card kit: every helper yields schema-valid Adaptive Card 1.5, numbers read per language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from dialogs import formatting
from dialogs.cards import kit
from tests.answers.cardcheck import assert_valid_card, card_errors, card_text, cards_in, clicks


def _sample() -> kit.Card:
    return kit.card(
        [
            kit.title("Partner capability score"),
            kit.subtitle("Skilling"),
            kit.text("72.43 of 100", bold=True, colour="accent"),
            kit.fact_set([("Market", "larger"), ("Month", "October 2026")]),
            kit.columns(([kit.bar(Fraction(3, 7))], "stretch"), ([kit.text("6.43 / 15")], "auto")),
            kit.container([kit.text("Baseline not met")], style="attention"),
            kit.bullets(["one", "two"]),
            kit.pairs([("Net customer adds", "7")]),
            kit.action_set([kit.submit("Gap", "gap")]),
        ],
        [kit.submit("Enter data", "enter_data", style="positive"),
         *kit.choice_buttons([("Yes", "answer", "yes"), ("No", "answer", "no")])],
        lang="en",
    )


def test_kit_card_is_valid_adaptive_card_1_5() -> None:
    assert_valid_card(_sample())


def test_checker_catches_what_teams_would_not_show() -> None:
    bad = _sample()
    bad["body"].append({"type": "TextBlock", "text": "x", "color": "#ff0000"})
    bad["unknownKey"] = 1
    bad["actions"].append({"type": "Action.Submit", "title": "no verb", "data": {}})
    problems = "\n".join(card_errors(bad))
    assert "hard-coded colour" in problems
    assert "unknownKey" in problems
    assert "has no verb" in problems
    big = kit.card([kit.text("x" * 30_000)])
    assert any("limit" in p for p in card_errors(big))


@pytest.mark.parametrize(
    "element",
    [
        {"type": "TextBlock"},
        {"type": "Bogus", "text": "x"},
        {"type": "TextBlock", "text": "x", "size": "huge"},
        {"type": "ColumnSet", "columns": [{"type": "Column", "items": [{"type": "Image"}]}]},
    ],
    ids=["missing text", "unknown element", "size not in the schema", "image without url"],
)
def test_checker_refuses_what_the_schema_refuses_and_says_where(element: dict[str, object]) -> None:
    bad = _sample()
    bad["body"].append(element)
    where = f"schema at /body/{len(bad['body']) - 1}"
    assert any(p.startswith(where) for p in card_errors(bad)), card_errors(bad)


def test_the_fallback_text_is_the_body_read_aloud_without_bars() -> None:
    card = _sample()
    assert card["fallbackText"].split("\n") == [
        "Partner capability score", "Skilling", "72.43 of 100", "Market: larger", "Month: October 2026",
        "6.43 / 15", "Baseline not met", "- one", "- two", "Net customer adds: 7", "Gap",
        "Enter data / Yes / No"]
    assert kit.reply(card).summary == card["fallbackText"]


@pytest.mark.parametrize(("fraction", "filled"), [(0, 0), (Fraction(1, 1000), 1), (Fraction(1, 2), 5),
                                                  (Fraction(999, 1000), 9), (1, 10), (2, 10), (-1, 0)])
def test_a_bar_is_proportional_and_never_lies_at_the_ends(fraction: Fraction, filled: int) -> None:
    bar = kit.bar(fraction)
    assert bar["text"] == kit.BAR_FULL * filled + kit.BAR_EMPTY * (kit.BAR_STEPS - filled)
    assert kit.bar_share(bar) == Fraction(filled, kit.BAR_STEPS)
    assert kit.bar_share(kit.text("██ 20 %")) is None


def test_only_colours_readable_in_both_themes_are_accepted() -> None:
    for colour in ("good", "warning", "attention", "red"):  # good/warning on white, attention on dark
        with pytest.raises(ValueError):
            kit.text("x", colour=colour)
        with pytest.raises(ValueError):
            kit.bar(0.5, colour=colour)
    with pytest.raises(ValueError):
        kit.container([], style="#00ff00")


def test_buttons_that_fit_a_phone_stay_in_one_row_and_long_ones_get_their_own() -> None:
    short = kit.choice_buttons([("Yes", "answer", "yes"), ("No", "answer", "no"),
                                ("Don't know", "answer", "don't know")])
    assert kit.card([], short)["actions"] == short  # the action bar
    long = [*short, kit.submit("Stop and show checklist", "answer", text_="stop")]
    card = kit.card([kit.text("Question")], long)
    assert "actions" not in card
    rows = [[a["title"] for a in e["actions"]] for e in card["body"] if e["type"] == "ActionSet"]
    assert rows == [["Yes", "No", "Don't know"], ["Stop and show checklist"]]
    assert all(kit.fits(row) for row in rows)
    assert not kit.fits(["USD 100,000 or more", "Less than USD 100,000"])  # cut off on a phone


def test_a_click_or_a_pick_sends_the_same_data_as_typing() -> None:
    choices = kit.choice_set("Offer type", [("Software as a service (SaaS)", "saas app")],
                             placeholder="Choose…")
    ok = kit.ok_button("OK", "answer")
    cancel = kit.alone(kit.submit("Cancel", "answer", text_="cancel"))
    card = kit.card([*choices, kit.action_set([ok])], [cancel])
    assert_valid_card(card)
    assert clicks(card) == [{"verb": "answer"}, {"verb": "answer", "text": "cancel"},
                            {"verb": "answer", "text": "saas app"}]
    assert cancel["associatedInputs"] == "none"  # Cancel never sends the drop-down's value as its text


def test_reply_carries_card_and_plain_text_summary() -> None:
    activity = kit.reply(_sample())
    assert activity.summary == _sample()["fallbackText"]
    assert not activity.text
    (content,) = cards_in(activity)
    assert "Enter data" in card_text(content)
    submit = content["actions"][0]
    assert submit["data"] == {"verb": "enter_data", "text": "Enter data"}
    assert kit.reply(_sample(), with_text=True).text == _sample()["fallbackText"]


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (Fraction(7243, 100), "en", "72.43"),
        (Fraction(7243, 100), "nl", "72,43"),
        (Fraction(45, 7), "en", "6.43"),
        (Decimal("0.005"), "en", "0.01"),  # half-up, not banker's
        (Decimal("1500"), "nl", "1.500,00"),
        (-3, "en", "-3.00"),
    ],
)
def test_points_are_rounded_half_up_and_written_per_language(value, lang, expected) -> None:
    assert formatting.points(value, lang) == expected


def test_counts_money_percent_and_months_per_language() -> None:
    assert formatting.count(5, "nl") == "5"
    assert formatting.count(Decimal("2.5"), "nl") == "2,5"
    assert formatting.money(130000, "en") == "USD 130,000"
    assert formatting.money(130000, "nl") == "USD 130.000"
    assert formatting.percent(Fraction(200, 11), "nl") == "18,18%"
    assert formatting.month("2026-10", "nl") == "oktober 2026"
    assert formatting.day(date(2026, 12, 15), "en") == "15 December 2026"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1,500", 1500), ("1.500", 1500), ("12,5", Decimal("12.5")), ("12.5", Decimal("12.5")),
     ("1.234,5", Decimal("1234.5")), ("1,234.5", Decimal("1234.5")), ("1.500.000", 1500000),
     ("130 000", 130000), ("USD 100,000", 100000), ("-3", -3), ("a lot", None), ("1,2.3", None), ("", None)],
)
def test_typed_numbers_in_either_convention(typed: str, expected) -> None:
    for lang in ("en", "nl"):
        assert formatting.parse_number(typed, lang) == expected
