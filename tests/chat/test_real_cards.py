"""The chat client renders the bot's own cards (dialogs/cards, dialogs/guided) readably, in both languages."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.chatclient.render import Rendered, render_turn
from dialogs import formatting
from dialogs.cards import answers
from dialogs.guided import cosell as guided_cosell
from dialogs.guided.score import score_reply
from kernel.texts import catalog
from scoring import api, cosell

ROOT = Path(__file__).resolve().parents[2]
PROFILE = yaml.safe_load((ROOT / "examples" / "profile-contoso.yaml").read_text(encoding="utf-8"))
TODAY = date(2026, 11, 23)
BAR = re.compile(r"^(█*)(░*)  (.+)$")
"""A bar drawn as text (10 steps) with the metric's points beside it."""


def rendered(card: dict[str, Any], lang: str) -> Rendered:
    return render_turn([{"type": "message", "id": "1:x", "attachments": [
        {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}]}], lang)


def result() -> api.ScoreResult:
    return api.evaluate(api.parse_profile(PROFILE, "profile"), today=TODAY)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_guided_scorecard_reads_as_text_with_a_bar_per_metric(lang: str) -> None:
    score = result()
    out = render_turn([score_reply(PROFILE, lang, TODAY).serialize()], lang)
    text = "\n".join(out.lines)
    assert formatting.points(score.total, lang) in text  # 51.61 / 51,61
    for metric in score.metrics:
        name = catalog().text(f"scoring.metric.{metric.id}", lang)
        [line] = [x for x in out.lines if x.startswith(name + "  ")]  # the name, its value beside it
        bar = BAR.match(out.lines[out.lines.index(line) + 1])
        assert bar, f"no bar under {name}"
        assert len(bar.group(1) + bar.group(2)) == 10
        assert formatting.points(metric.points, lang) in bar.group(3)  # the points beside the bar
        share = float(metric.points / metric.max_points) * 10
        assert abs(len(bar.group(1)) - share) <= 0.5  # the card draws bars in 10 % steps


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_answer_cards_number_every_button_with_its_submit_data(lang: str) -> None:
    edition = api.get_edition(result().edition)
    for card in (answers.score_card(result(), edition, lang), answers.help_card(lang),
                 answers.welcome_card(lang), answers.no_profile_card(lang),
                 answers.gap_card(api.gaps(result()), None, edition, lang)):
        out = rendered(card, lang)
        titles = [a["title"] for a in card.get("actions", [])]
        assert [b.title for b in out.buttons][-len(titles):] == titles if titles else True
        numbered = " ".join(out.lines)
        for number, button in enumerate(out.buttons, start=1):
            assert f"[{number}] {button.title}" in numbered
            # a submit carries its verb; "More…" opens a card of more such buttons
            assert ((button.kind == "submit" and button.value["verb"])
                    or (button.kind == "card" and button.card))
        assert out.lines[0] and set(out.lines[1]) == {"═"}  # the title comes first


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_cosell_checklist_marks_every_requirement(lang: str) -> None:
    offer = {"name": "Contoso Insights", "type": "saas", "published_live": True, "sales_contacts": True,
             "one_pager": True, "pitch_deck": False}
    partner = {"partner_id": True, "business_profile": True}
    facts = cosell.parse_cosell({"partner": partner, "offers": [offer]},
                                source="test")
    [offer_result] = cosell.evaluate_all(facts)
    out = render_turn([guided_cosell.checklist_card(offer_result, lang).serialize()], lang)
    text = "\n".join(out.lines)
    assert "Contoso Insights" in out.lines[0]
    assert cosell.status_name(offer_result.status, lang) in text
    assert "✗" in text  # what the next status needs comes first
    [every] = [b for b in out.buttons if b.kind == "card" and b.card]  # one tap: every requirement
    assert every.card is not None
    shown = "\n".join(rendered({"type": "AdaptiveCard", "version": "1.5", **every.card}, lang).lines)
    assert "✓" in shown and "✗" in shown and "?" in shown
    assert "Traceback" not in text and "{" not in text
