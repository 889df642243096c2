"""Understanding what admins type, in English and Dutch: one package for the recognizer, number and
date reading, yes/no and other answer words, follow-ups and the vocabularies they use.

    recognize(text, locale=None, *, known_offers=(), edition=None) -> Recognition
    recognizer(edition=None) -> Recognizer           built once per rule edition
    follow_up(context, text, ...) -> Recognition     "and intermediate?" after a gap answer
    Context(intent, metric, period, offer)           what the previous answer was about
    is_command_word(text) -> bool                    exactly a command ("help", "annuleer"), nothing more
    plausible_limit(metric) -> Decimal               the most of a metric any partner could have
    numbers.amounts / numbers.parse_number / numbers.check_size
    words.is_word / words.which                      yes, no, don't know, help, cancel... (words.yaml)
    dates.date_of / dates.month_of                   the day or month a question names

Vocabularies live in ``config/recognizer/``: ``intents.yaml`` (example phrases), ``entities.yaml``
(how admins name metrics, statuses, offer types...), ``words.yaml`` (answer words and number words).
The certification and workload vocabularies are built from the rule edition in force
(``config/pcs``), so an exam code counts at the level the edition gives it.
A recognised change is scoring's own :class:`scoring.api.Change`.
"""

from __future__ import annotations

from dialogs.understanding import dates, numbers, words
from dialogs.understanding.configured import is_command_word, plausible_limit, recognize, recognizer
from dialogs.understanding.followup import Context, follow_up
from dialogs.understanding.recognition import Recognition
from dialogs.understanding.recognizer import Recognizer
from scoring.api import Change

__all__ = [
    "Change",
    "Context",
    "Recognition",
    "Recognizer",
    "dates",
    "follow_up",
    "is_command_word",
    "numbers",
    "plausible_limit",
    "recognize",
    "recognizer",
    "words",
]
