"""Representative Adaptive Card 1.5 cards, as the bot's answers and dialogs build them."""

from __future__ import annotations

from typing import Any

from dialogs.cards import kit

SCORECARD: dict[str, Any] = kit.card(
    [
        kit.title("Partner capability score: 72.43 of 100"),
        kit.container([kit.text("Designation met: 70 points and at least 1 point per metric.")],
                      style="good"),
        kit.fact_set([("Market", "larger"), ("Evaluated month", "2026-10"), ("Rule edition", "2022")]),
        kit.subtitle("Metrics"),
        kit.text("Advanced certifications", bold=True),
        kit.columns(([kit.bar(0.72)], "stretch"), ([kit.text("6.43 / 15", bold=True)], "auto")),
        kit.container([kit.text("Deployments", bold=True),
                       kit.columns(([kit.bar(0, colour="default")], "stretch"),
                                   ([kit.text("0 / 20", bold=True)], "auto"))], style="attention"),
        kit.text("Intermediate certifications", bold=True),
        kit.columns(([kit.bar(1)], "stretch"), ([kit.text("20 / 20", bold=True)], "auto")),
    ],
    [kit.submit("What if?", "whatif"), kit.submit("Gaps", "gap", text_="gap")],
)

WALKTHROUGH_QUESTION: dict[str, Any] = kit.card(
    [
        kit.text("Contoso Insights (SaaS)", subtle=True),
        kit.text("Is a sales contact given for every co-sell eligible geography?"),
        *kit.button_rows(kit.choice_buttons([("Yes", "cosell_answer", "yes"), ("No", "cosell_answer", "no"),
                                             ("Don't know", "cosell_answer", "don't know")])),
    ],
)

EVERYTHING: dict[str, Any] = {
    "type": "AdaptiveCard",
    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
    "version": "1.5",
    "fallbackText": "Co-sell checklist",
    "body": [
        {"type": "TextBlock", "text": "Co-sell checklist", "style": "heading", "wrap": True},
        {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": "Status: "},
                                              {"type": "TextRun", "text": "on market", "weight": "Bolder"}]},
        {"type": "TextBlock", "text": "Read the **co-sell** [requirements](https://learn.microsoft.com/co-sell).",
         "wrap": True},
        {"type": "Image", "url": "https://example.com/logo.png", "altText": "Contoso logo"},
        {"type": "Table", "columns": [{"width": 1}, {"width": 1}], "rows": [
            {"type": "TableRow", "cells": [
                {"type": "TableCell", "items": [{"type": "TextBlock", "text": "Requirement"}]},
                {"type": "TableCell", "items": [{"type": "TextBlock", "text": "Met"}]}]},
            {"type": "TableRow", "cells": [
                {"type": "TableCell", "items": [{"type": "TextBlock", "text": "Pitch deck"}]},
                {"type": "TableCell", "items": [{"type": "TextBlock", "text": "✗"}]}]},
        ]},
        {"type": "Container", "style": "attention", "separator": True, "items": [
            {"type": "TextBlock", "text": "Upload the pitch deck", "wrap": True},
            {"type": "TextBlock", "text": "hidden detail", "isVisible": False},
        ]},
        {"type": "Input.ChoiceSet", "id": "offer", "label": "Which offer?", "choices": [
            {"title": "Contoso Insights", "value": "insights"}, {"title": "Contoso Sync", "value": "sync"}]},
        {"type": "Input.Text", "id": "note", "label": "Note", "value": "urgent"},
        {"type": "ActionSet", "actions": [
            {"type": "Action.OpenUrl", "title": "Open Partner Center", "url": "https://partner.microsoft.com/"}]},
    ],
    "actions": [
        {"type": "Action.Submit", "title": "Check", "data": {"verb": "cosell_check"}},
        {"type": "Action.Submit", "title": "Say hi", "data": {"msteams": {"type": "imBack", "value": "hi"}}},
        {"type": "Action.ShowCard", "title": "More", "card": {
            "type": "AdaptiveCard", "version": "1.5",
            "body": [{"type": "TextBlock", "text": "Extra details"}],
            "actions": [{"type": "Action.Submit", "title": "Explain", "data": {"verb": "explain"}}]}},
        {"type": "Action.ToggleVisibility", "title": "Details", "targetElements": ["x"]},
    ],
}
