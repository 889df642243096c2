"""A rule edition in words, for every answer that says which rules it used: never its id, always the
month it applies from and the date of Microsoft's source (the edition's ``effective_from`` and
``documented``), for the score editions and the co-sell editions alike."""

from __future__ import annotations

from datetime import date

from kernel import formatting
from kernel.texts import catalog


def edition_words(effective_from: date, documented: date, lang: str, *, long: bool = False) -> str:
    """"the rules of June 2023 (Microsoft, 13 June 2023)" (``scoring.edition.name``), or with ``long``
    "rules of June 2023, as Microsoft documented them on 13 June 2023; Partner Center is
    authoritative" (``scoring.edition.label``, the heading of command-line output)."""
    return catalog().text(
        "scoring.edition.label" if long else "scoring.edition.name",
        lang,
        month=formatting.month(effective_from, lang),
        documented=formatting.day(documented, lang),
    )
