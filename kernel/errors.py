"""The one error type for input a person or a script got wrong.

    PartnerbotError
     └── InputError      bad input: a profile row, a YAML key, a setting, a chat answer

An :class:`InputError` knows *what* is wrong (``code`` + ``params``, rendered from the text catalog
in English or Dutch) and *where* (``source`` file, ``row``, ``field``). It is raised anywhere and
shown in exactly one place per front end: the CLI prints ``str(error)`` (or ``render``) on one line
and exits 2; the bot renders ``error.render(lang, texts)`` in the user's language. The front end
passes its text catalog in, so this module depends on no other part but :mod:`kernel.numbers` (to
write numbers in the reader's language). Classify errors by type and ``code``, never by matching
message text.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Protocol

from kernel.numbers import number


class Texts(Protocol):
    """What rendering needs of a text catalog (:class:`kernel.texts.Catalog` is one)."""

    def has(self, key: str) -> bool: ...

    def text(self, key: str, lang: str, /, **params: Any) -> str: ...


class PartnerbotError(Exception):
    """Base of every error partnerbot raises on purpose."""


class InputError(PartnerbotError):
    """Input that cannot be used, with what is wrong and where.

    ``code`` names a catalog entry ``error.<code>`` whose English and Dutch texts are formatted
    with ``params``; a param ``<name>_label`` holds a catalog key, shown translated as ``{<name>}``
    (e.g. a metric's name rather than its id; the label's own placeholders, such as ``{months}`` in
    "Consumption {months} months ago", are filled from the same params); a param ``<name>_number``
    holds a number (an ``int``, ``Decimal``, ``Fraction`` or its text ``"5000"``), shown as
    ``{<name>}`` in the reader's writing ("5,000" / "5.000"). ``message`` is the English text used
    when no catalog is at hand.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        params: Mapping[str, Any] | None = None,
        source: str | None = None,
        row: int | str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.params: dict[str, Any] = dict(params or {})
        self.source = source
        self.row = row
        self.field = field

    def at(
        self, *, source: str | None = None, row: int | str | None = None, field: str | None = None
    ) -> InputError:
        """Fill in location details the raiser did not know (keeps what is already set)."""
        self.source = self.source or source
        self.row = self.row if self.row is not None else row
        self.field = self.field or field
        return self

    def where(self, lang: str, texts: Texts) -> str:
        """Where the problem is (file, row, field), in ``lang``."""
        parts: list[str] = []
        if self.source:
            parts.append(self.source)
        if self.row is not None:
            parts.append(texts.text("error.where.row", lang, row=self.row))
        if self.field:
            parts.append(texts.text("error.where.field", lang, field=self.field))
        return ", ".join(parts)

    def render(self, lang: str, texts: Texts) -> str:
        """The full sentence for a person, in ``lang`` (``en`` or ``nl``), from ``texts``."""
        cat = texts
        key = f"error.{self.code}"
        # ``<name>_number``: a number, written in the reader's language, shown as ``{<name>}``.
        numbers = {
            name.removesuffix("_number"): number(Fraction(str(value)), lang)
            for name, value in self.params.items()
            if name.endswith("_number")
        }
        plain = {**self.params, **numbers}
        # ``<name>_label``: a catalog key (its placeholders filled from the params), shown as ``{<name>}``.
        labels = {
            name.removesuffix("_label"): cat.text(value, lang, **plain)
            for name, value in self.params.items()
            if name.endswith("_label")
        }
        params = {**plain, **labels}
        what = cat.text(key, lang, **params) if cat.has(key) else self.message
        where = self.where(lang, texts)
        return f"{where}: {what}" if where else what

    def __str__(self) -> str:
        where = ", ".join(
            p
            for p in (
                self.source,
                f"row {self.row}" if self.row is not None else None,
                f"field '{self.field}'" if self.field else None,
            )
            if p
        )
        return f"{where}: {self.message}" if where else self.message
