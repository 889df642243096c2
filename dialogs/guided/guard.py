"""Write an answer only if what it answers is still as it was when the question was asked.

Two messages of one conversation can arrive at once (a double click, a retry by the channel). Both
turns read the same dialog state and answer the same question; the host's eTag check lets only one
of them save the dialog state. The partner data is written before that, through the repository, so
without a guard the losing turn would overwrite the winner's answer with its own and then be told
its step was not saved. :func:`guarded` makes the repository write a compare-and-set inside the
repository's own transaction: the value must still be the one seen when the question was asked
(or already the new one), else :class:`StaleAnswer` is raised and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dialogs.ports import Document


class StaleAnswer(Exception):
    """The value changed since the question was asked: another message answered it first."""


def guarded(
    change: Callable[[Document | None], Document],
    current_of: Callable[[Document | None], Any],
    before: Any,
    new: Any,
) -> Callable[[Document | None], Document]:
    """``change`` if ``current_of(doc)`` is still ``before`` (or already ``new``), else StaleAnswer."""

    def apply(doc: Document | None) -> Document:
        current = current_of(doc)
        if current != before and current != new:
            raise StaleAnswer
        return change(doc)

    return apply
