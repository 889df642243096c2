"""The scorecard shown when the partner data dialog ends: the answers' own score card.

:func:`dialogs.cards.answers.score_card` (the answer to "what's my score?") is built from
:func:`scoring.api.evaluate` of the profile just confirmed, so the dialog and the question show the
same card.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from botbuilder.schema import Activity

from dialogs.cards import answers as answer_cards
from dialogs.cards import kit
from kernel.errors import InputError
from kernel.texts import catalog
from scoring import api


def score_reply(profile: Mapping[str, Any], lang: str, today: date) -> Activity:
    """The scorecard of a stored profile, or why it cannot be scored (in ``lang``)."""
    try:
        result = api.evaluate(api.parse_profile(profile, "profile"), today=today)
    except InputError as err:
        return Activity(type="message", text=err.render(lang, catalog()))
    return kit.reply(answer_cards.score_card(result, api.get_edition(result.edition), lang))
