"""What the host keeps of every stored profile change: the score of each month it can evaluate.

:func:`history_records` is a hook of the one change path (:mod:`dialogs.audit`,
``partners.on_change``): for a change of a partner profile (RULES.md C.1) it gives one
:class:`dialogs.audit.Record` per month :func:`scoring.api.month_scores` evaluates (the evaluated
month as of :func:`kernel.clock.today`, and earlier months that monthly records cover), each the
month's :class:`scoring.api.MonthScore` as JSON. The change path writes them in the change's own
transaction, with its audit entries: a saved change and its history are kept together or not at
all. The key is the month and the score, so the same score of a month is kept once; several
different scores of one month are all kept, and readers show the highest, as Partner Center shows
a month.
"""

from __future__ import annotations

import hashlib
import json
import time

from dialogs.audit import PROFILE, ChangeOutcome, Record
from kernel import clock
from kernel.errors import InputError
from scoring import api

HISTORY = "history"
"""The namespace of the month scores among a tenant's change records."""


def history_records(outcome: ChangeOutcome) -> list[Record]:
    """The month scores of a changed profile as of today; none for other documents, or for a
    profile scoring cannot complete (data entry half done, a track still to ask)."""
    if outcome.kind != PROFILE:
        return []
    try:
        parsed = api.parse_profile(outcome.after, "profile")
    except InputError:
        return []
    records: list[Record] = []
    for score in api.month_scores(parsed, today=clock.today()):
        data = score.to_json()
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
        # recorded_ns orders two changes within one millisecond (``at`` has milliseconds only)
        kept = {**data, "recorded_at": outcome.at, "recorded_ns": time.time_ns()}
        records.append(Record(HISTORY, f"{data['month']}/{digest}", kept))
    return records
