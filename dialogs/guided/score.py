"""The scorecard shown when the partner data dialog ends.

Uses the answers engineer's score answer when it is there; until then a minimal card.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from botbuilder.schema import Activity


def score_reply(profile: Mapping[str, Any], lang: str, today: date) -> Activity:
    """The scorecard of ``profile`` as a reply."""
    return Activity(type="message", text="")
