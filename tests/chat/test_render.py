"""The chat client shows cards as readable text, with numbered buttons that clicks map to."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from bot.chatclient.render import (
    Button,
    TurnRenderer,
    is_click_syntax,
    plain,
    render_turn,
    resolve_click,
    text_bar,
)
from tests.chat.cards import EVERYTHING, SCORECARD, WALKTHROUGH_QUESTION
from tests.conftest import load_schema

ADAPTIVE = "application/vnd.microsoft.card.adaptive"


def message(card: dict[str, Any] | None = None, text: str | None = None, **extra: Any) -> dict[str, Any]:
    activity: dict[str, Any] = {"type": "message", "id": "5:abc", **extra}
    if text is not None:
        activity["text"] = text
    if card is not None:
        activity["attachments"] = [{"contentType": ADAPTIVE, "content": card}]
    return activity


@pytest.mark.parametrize("card", [SCORECARD, WALKTHROUGH_QUESTION, EVERYTHING],
                         ids=["score", "question", "all"])
def test_the_test_cards_are_valid_adaptive_cards_1_5(card: dict[str, Any]) -> None:
    schema = load_schema("adaptive-card.1.5.0.json")
    jsonschema.validate({k: v for k, v in card.items() if k != "msteams"}, schema)


def test_scorecard_shows_title_facts_aligned_and_bars() -> None:
    out = render_turn([message(SCORECARD)], "en")
    assert out.lines[0] == "Partner capability score: 72.43 of 100"
    assert set(out.lines[1]) == {"═"}
    assert "Market:          larger" in out.lines
    assert "Evaluated month: 2026-10" in out.lines
    assert "Rule edition:    2022" in out.lines
    # the kit draws a bar as text in 10 % steps (0.72 → 7 of 10), with the points beside it
    assert out.lines[out.lines.index("Advanced certifications") + 1] == "███████░░░  6.43 / 15"
    assert out.lines[out.lines.index("Deployments") + 1] == "░░░░░░░░░░  0 / 20"
    assert out.lines[out.lines.index("Intermediate certifications") + 1] == "██████████  20 / 20"
    assert not any(set(line) == {"═"} for line in out.lines[2:])  # a bar is no heading
    assert out.lines[-1] == "[1] What if?  [2] Gaps"
    assert [b.value for b in out.buttons] == [{"verb": "whatif", "text": "What if?"},
                                              {"verb": "gap", "text": "gap"}]


def test_question_card_numbers_its_buttons_and_keeps_the_submit_data() -> None:
    out = render_turn([message(WALKTHROUGH_QUESTION)], "nl")
    assert out.lines == [
        "Contoso Insights (SaaS)",
        "Is a sales contact given for every co-sell eligible geography?",
        "[1] Yes  [2] No  [3] Don't know",
    ]
    assert out.buttons[2] == Button("Don't know", "submit",
                                    value={"verb": "cosell_answer", "text": "don't know"}, reply_to="5:abc")


def test_every_element_kind_degrades_to_text() -> None:
    out = render_turn([message(EVERYTHING)], "en")
    text = "\n".join(out.lines)
    assert out.lines[:2] == ["Co-sell checklist", "═" * len("Co-sell checklist")]
    assert "Status: on market" in out.lines
    assert "Read the co-sell requirements (https://learn.microsoft.com/co-sell)." in out.lines
    assert "[image: Contoso logo]" in out.lines
    assert out.lines[out.lines.index("Requirement  Met") + 2] == "Pitch deck   ✗"
    assert "Upload the pitch deck" in out.lines and "hidden detail" not in text
    assert out.lines[out.lines.index("Upload the pitch deck") - 1] == ""  # separator
    assert "Which offer?" in out.lines
    assert "[1] Contoso Insights  [2] Contoso Sync" in out.lines
    assert "Note: [urgent]" in out.lines
    assert "[3] Open Partner Center" in out.lines
    assert out.lines[-1] == "[4] Check  [5] Say hi  [6] More  [7] Details"
    choice, _, url, check, imback, more, toggle = out.buttons
    # a choice submits the card's submit data with that choice and the other inputs' values
    assert choice.value == {"verb": "cosell_check", "offer": "insights", "note": "urgent"}
    assert check.value == {"verb": "cosell_check", "offer": "", "note": "urgent"}
    assert (url.kind, url.url) == ("url", "https://partner.microsoft.com/")
    assert (imback.kind, imback.text, imback.value) == ("text", "hi", None)
    assert more.kind == "card" and more.card is not None
    assert toggle.kind == "unsupported"
    nested = TurnRenderer("en", start=8)
    assert nested.card(more.card) == ["Extra details", "[8] Explain"]


def test_unknown_elements_use_their_fallback_or_their_text() -> None:
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [
        {"type": "Carousel", "fallback": {"type": "TextBlock", "text": "no carousel here"}},
        {"type": "Rating", "fallback": "drop", "text": "dropped"},
        {"type": "CodeBlock", "text": "print('hi')"},
        {"type": "Mystery", "items": [{"type": "TextBlock", "text": "inside"}]},
        {"type": "Blank"},
        "not even an object",
    ]}
    assert render_turn([message(card)], "en").lines == ["no carousel here", "print('hi')", "inside"]


def test_a_card_with_nothing_renderable_shows_its_fallback_text() -> None:
    card = {"type": "AdaptiveCard", "version": "1.5", "fallbackText": "Your score is 72.43.",
            "body": [{"type": "Image", "url": "https://example.com/x.png"}]}
    assert render_turn([message(card)], "en").lines == ["Your score is 72.43."]


def test_text_and_card_in_one_message_and_several_messages_number_buttons_on() -> None:
    out = render_turn([message(WALKTHROUGH_QUESTION, text="Question 2 of 5"),
                       {"type": "typing"},
                       message(SCORECARD)], "en")
    assert out.lines[:2] == ["Question 2 of 5", ""]
    assert "[1] Yes  [2] No  [3] Don't know" in out.lines
    assert out.lines[-1] == "[4] What if?  [5] Gaps"
    assert len(out.buttons) == 5


def test_hero_cards_and_suggested_actions_are_buttons_too() -> None:
    hero = {"type": "message", "id": "9", "attachments": [
        {"contentType": "application/vnd.microsoft.card.hero", "content": {
            "title": "Did you mean", "buttons": [
                {"type": "imBack", "title": "My score", "value": "what is my score"},
                {"type": "openUrl", "title": "Docs", "value": "https://learn.microsoft.com"}]}}],
            "suggestedActions": {"actions": [{"type": "messageBack", "title": "Help", "text": "help",
                                              "value": {"verb": "help"}}]}}
    out = render_turn([hero], "en")
    assert out.lines == ["Did you mean", "════════════", "[1] My score  [2] Docs", "[3] Help"]
    assert out.buttons[0].text == "what is my score"
    assert (out.buttons[2].text, out.buttons[2].value) == ("help", {"verb": "help"})


def test_plain_text_and_other_attachments() -> None:
    out = render_turn([message(text="Hello <b>there</b>,<br>**you** &amp; _me_"),
                       {"type": "message",
                        "attachments": [{"contentType": "image/png", "name": "chart.png"}]},
                       {"type": "message", "summary": "only a summary"}], "nl")
    assert out.lines == ["Hello there,", "you & me", "[bijlage: chart.png]", "only a summary"]


@pytest.mark.parametrize(("fraction", "bar"), [
    (0.0, "░░░░░░░░░░ 0 %"), (0.72, "███████░░░ 72 %"), (0.01, "█░░░░░░░░░ 1 %"),
    (0.999, "█████████░ 100 %"), (1.0, "██████████ 100 %"), (1.7, "██████████ 100 %"), (-1, "░░░░░░░░░░ 0 %"),
])
def test_text_bar(fraction: float, bar: str) -> None:
    assert text_bar(fraction) == bar


def test_progress_and_plain_weighted_columns_are_bars() -> None:
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [
        {"type": "ProgressBar", "value": 30, "max": 60},
        {"type": "ColumnSet", "columns": [{"type": "Column", "width": 3}, {"type": "Column", "width": "1"}]},
        {"type": "ColumnSet", "columns": [{"type": "Column", "width": "30px", "style": "accent", "items": []},
                                          {"type": "Column", "width": "70px", "style": "emphasis"}]},
    ]}
    assert render_turn([message(card)], "en").lines == [
        "█████░░░░░ 50 %", "████████░░ 75 %", "███░░░░░░░ 30 %"]


def test_markdown_links_keep_their_address() -> None:
    assert plain("See [Partner Center](https://partner.microsoft.com) or [https://x.y](https://x.y)") == (
        "See Partner Center (https://partner.microsoft.com) or https://x.y")
    assert plain("- item one\n- item **two**") == "- item one\n- item two"
    assert plain("3 * 4 * 5 and snake_case_name") == "3 * 4 * 5 and snake_case_name"


BUTTONS = [Button("Yes", "submit", value={"verb": "a", "text": "yes"}),
           Button("No", "submit", value={"verb": "a", "text": "no"}),
           Button("Don't know", "submit"),
           Button("✓ Yes", "submit", value={"verb": "b"})]


@pytest.mark.parametrize(("line", "bare", "number"), [
    ("[2]", False, 2), (" [ 3 ] ", False, 3), ("2", True, 2), ("2", False, None),
    ("[9]", True, None), ("9", True, None), ("0", True, None),
    ("no", False, 2), ("NO!", False, 2), ("don't know", False, 3), ("  Don't   Know ", False, 3),
    ("yes", False, 4),  # two buttons titled Yes: the newest (last) one
    ("maybe", False, None), ("no thanks", False, None), ("", True, None),
])
def test_typed_line_to_button(line: str, bare: bool, number: int | None) -> None:
    assert resolve_click(line, BUTTONS, bare_numbers=bare) == number


def test_bracketed_number_is_always_a_click() -> None:
    assert is_click_syntax("[12]") and is_click_syntax(" [1] ")
    assert not is_click_syntax("12") and not is_click_syntax("[x]")


def test_a_fact_set_of_marks_reads_as_a_checklist() -> None:
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [
        {"type": "FactSet", "facts": [{"title": "✓", "value": "Offer published live"},
                                      {"title": "✗", "value": "Pitch deck uploaded"},
                                      {"title": "?", "value": "Technical validation"}]}]}
    assert render_turn([message(card)], "en").lines == [
        "✓ Offer published live", "✗ Pitch deck uploaded", "? Technical validation"]
