"""The rule editions of the partner capability score in ``config/pcs/*.yaml``, and which one applies.

The engine asks :func:`edition_for` for the edition in force in the evaluated month — the one with the
latest ``effective_from`` not after the month's first day — or :func:`get_edition` for one named
explicitly. What an edition holds is :mod:`scoring.edition`; reading one file is
:mod:`scoring.editionfile` (a duplicate id across files is refused here).

To add a later edition, copy the newest file in ``config/pcs`` to a new file, give it a new ``id``
and a later ``effective_from``, and change the values; earlier editions and their scoring stay as
they are. A change of *logic* needs code that reads new keys.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

from kernel.errors import InputError
from kernel.files import config_dir
from scoring.edition import Edition
from scoring.editionfile import load_edition
from scoring.months import Month


def editions_dir() -> Path:
    return config_dir() / "pcs"


@functools.cache
def all_editions() -> tuple[Edition, ...]:
    """Every edition in ``config/pcs``, oldest first. Loaded once per process."""
    loaded = [load_edition(p) for p in sorted(editions_dir().glob("*.yaml"))]
    by_id: dict[str, Edition] = {}
    for edition in loaded:
        if edition.id in by_id:
            raise InputError(
                f"edition id '{edition.id}' is also used by {by_id[edition.id].path}",
                code="scoring.edition_duplicate_id",
                params={"id": edition.id, "other": by_id[edition.id].path},
                source=edition.path,
                field="id",
            )
        by_id[edition.id] = edition
    if not loaded:
        raise InputError("no rule edition found", code="scoring.no_edition", source=str(editions_dir()))
    return tuple(sorted(loaded, key=lambda e: e.effective_from))


def vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """Workload and attribution ids of every edition: a row naming one that the edition in use does
    not list is reported as not eligible, not refused as unknown (e.g. ``customer_voice`` in 2023)."""
    workloads: set[str] = set()
    attributions: set[str] = set()
    for edition in all_editions():
        workloads |= edition.known_workloads
        attributions |= edition.known_attributions
    return frozenset(workloads), frozenset(attributions)


def get_edition(edition_id: str) -> Edition:
    for edition in all_editions():
        if edition.id == edition_id:
            return edition
    known = ", ".join(e.id for e in all_editions())
    raise InputError(
        f"unknown rule edition '{edition_id}' (known: {known})",
        code="scoring.unknown_edition",
        params={"id": edition_id, "known": known},
    )


def edition_on(day: date) -> Edition:
    """The edition in force on ``day``: the latest ``effective_from`` not after it."""
    candidates = [e for e in all_editions() if e.effective_from <= day]
    if not candidates:
        first = all_editions()[0]
        raise InputError(
            f"no rule edition is in force on {day} (the first starts {first.effective_from})",
            code="scoring.no_edition_in_force",
            params={"when": str(day), "first": str(first.effective_from)},
        )
    return candidates[-1]


def edition_for(month: Month) -> Edition:
    """The edition in force for an evaluated month (on its first day)."""
    return edition_on(month.first_day())
