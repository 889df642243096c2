"""The card kit: every helper yields schema-valid Adaptive Card 1.5, numbers read per language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from dialogs import formatting
from dialogs.cards import kit
from tests.answers.cardcheck import assert_valid_card, card_errors, card_text, cards_in


def _sample() -> kit.Card:
    return kit.card(
        [
            kit.title("Partner capability score"),
            kit.subtitle("Skilling"),
            kit.text("72.43 of 100", bold=True, colour="good"),
            kit.fact_set([("Market", "larger"), ("Month", "October 2026")]),
            kit.metric_bar(Fraction(3, 7)),
            kit.container([kit.text("Baseline not met", colour="attention")], style="attention"),
            kit.bullets(["one", "two"]),
            kit.columns(([kit.text("left")], "stretch"), ([kit.text("right")], "auto")),
            kit.action_set([kit.submit("Gap", "gap")]),
        ],
        [kit.submit("Enter data", "enter_data", style="positive"),
         *kit.choice_buttons([("Yes", "answer", "yes"), ("No", "answer", "no")])],
        fallback_text="Partner capability score: 72.43 of 100",
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
    big = kit.card([kit.text("x" * 30_000)], fallback_text="big")
    assert any("limit" in p for p in card_errors(big))


@pytest.mark.parametrize(("fraction", "filled"), [(0, 0), (Fraction(1, 1000), 1), (Fraction(1, 2), 10),
                                                  (Fraction(999, 1000), 19), (1, 20), (2, 20), (-1, 0)])
def test_metric_bar_is_proportional_and_never_lies_at_the_ends(fraction: Fraction, filled: int) -> None:
    bar = kit.metric_bar(fraction)
    widths = {c["style"]: c["width"] for c in bar["columns"]}
    assert widths.get("good", 0) == filled
    assert widths.get("good", 0) + widths.get("emphasis", 0) == kit.BAR_STEPS


def test_only_semantic_colours_are_accepted() -> None:
    with pytest.raises(ValueError):
        kit.text("x", colour="red")
    with pytest.raises(ValueError):
        kit.metric_bar(0.5, style="#00ff00")


def test_reply_carries_card_and_plain_text_summary() -> None:
    activity = kit.reply(_sample())
    assert activity.summary == "Partner capability score: 72.43 of 100"
    assert not activity.text
    (content,) = cards_in(activity)
    assert "Enter data" in card_text(content)
    submit = content["actions"][0]
    assert submit["data"] == {"verb": "enter_data", "text": "Enter data"}
    assert kit.reply(_sample(), "fallback", with_text=True).text == "fallback"


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
