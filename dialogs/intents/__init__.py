"""Every intent the bot answers, each registered once with what it needs (see :mod:`.registry`).

One module per kind of question; importing this package registers them all.
"""

from dialogs.intents import (
    access,
    changes,
    cosell,
    eligibility,
    explain,
    freshness,
    general,
    history,
    notify,
    questions,
    score,
)
from dialogs.intents.registry import INTENTS, Intent, Question, get

__all__ = ["INTENTS", "Intent", "Question", "access", "changes", "cosell", "eligibility", "explain",
           "freshness", "general", "get", "history", "notify", "questions", "score"]
