"""The answer cards, in one place for the router: pure functions from results to Adaptive Cards.

Each builder takes what it shows as arguments (a scoring result with the rule edition it was scored
under, texts, names) and returns a :data:`dialogs.cards.kit.Card` in English or Dutch, whose
``fallbackText`` is derived from its body. They live in modules by job:

- :mod:`dialogs.cards.score`: scorecard, gaps, plan, what-if, update;
- :mod:`dialogs.cards.explain`: how it works, what counts, when it counts;
- :mod:`dialogs.cards.cosell`: co-sell explanations, a requirement, the checklist;
- :mod:`dialogs.cards.general`: welcome, help, no profile, import, did you mean, language;
- :mod:`dialogs.cards.common`: names and values every card writes the same way.
"""

from __future__ import annotations

from datetime import date

from dialogs import formatting
from dialogs.cards.common import input_names, metric_name, t
from dialogs.cards.cosell import checklist_card, cosell_explanation_card, requirement_card
from dialogs.cards.explain import definition, eligibility_card, explain_card, freshness_card, text_card
from dialogs.cards.general import (
    did_you_mean_card,
    help_card,
    import_card,
    language_card,
    no_profile_card,
    welcome_card,
)
from dialogs.cards.score import gap_card, plan_card, score_card, update_card, whatif_card


def today_text(today: date, lang: str) -> str:
    return formatting.day(today, lang)


__all__ = [
    "checklist_card",
    "cosell_explanation_card",
    "definition",
    "did_you_mean_card",
    "eligibility_card",
    "explain_card",
    "freshness_card",
    "gap_card",
    "help_card",
    "import_card",
    "input_names",
    "language_card",
    "metric_name",
    "no_profile_card",
    "plan_card",
    "requirement_card",
    "score_card",
    "t",
    "text_card",
    "today_text",
    "update_card",
    "welcome_card",
    "whatif_card",
]
