"""Numbers typed in chat, read the way the user's language writes them.

English writes ``1,500.25`` and Dutch ``1.500,25``; people type both styles in both languages, and
both are accepted wherever they cannot be confused (see :func:`_read`): ``1.500`` and ``1,500`` are
fifteen hundred, ``12,5`` and ``12.5`` twelve and a half. The reason for a refused answer is given
in the user's language.

    parse_number("1.500", "nl", whole=True)              -> Decimal("1500")
    parse_number("12,5 mensen", "nl", whole=True)        -> InputError(code="guided_not_whole")
    parse_number("-3", "en", whole=True)                 -> InputError(code="guided_negative")
    parse_number("a lot", "en", whole=True)              -> InputError(code="guided_not_a_number")

Small numbers written as words ("twee", "three") and the words that scale a number ("130k", "1,2
miljoen") are read from ``config/recognizer/words.yaml`` (:mod:`dialogs.understanding.words`).

:func:`amounts` is the one reader of numbers in a sentence (sign, body, scale word, ``%``): the
guided questions read their answer with it, and so does the recognizer for updates and what-ifs
("set consumption now to 130k", "zet implementaties op -3"); :func:`check_size` is the one limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from dialogs.formatting import parse_number as parse_number_text
from dialogs.understanding import words as vocabulary
from kernel.errors import InputError
from kernel.texts import catalog

TOO_LARGE = Decimal(10) ** 12
"""No partner has a trillion certified people or a trillion dollars of monthly consumption: a number
this large is a typing slip, asked again rather than stored."""

_MINUS = "-\u2212\u2013"  # hyphen-minus, minus sign, en dash
_SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space (Dutch/French grouping)
_TOKEN = re.compile(
    rf"(?<![^\W_])(?P<sign>[{_MINUS}]\s?)?(?<![^\W_])(?P<body>\d(?:[\d.,'{_SPACES}]*\d)?)(?![\d])"
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_POWER = re.compile(r"(?:(?P<e>[eE])\+?|\s?(?P<op>\^|\*\*)\s?)(?P<exp>\d+)")
_EXP_LIMIT = 999_999


def _powered(value: Decimal | None, power: re.Match[str]) -> Decimal | None:
    """``value`` × 10^exp (``1e50``) or ``value`` ^ exp (``10^50``), exactly enough to be refused as too
    large: the exponent is capped so that no reading ever costs time or overflows."""
    if value is None:
        return None
    typed = power.group("exp")
    exp = _EXP_LIMIT if len(typed) > 6 else min(int(typed), _EXP_LIMIT)
    if power.group("e"):
        return Decimal(f"{value}E{exp}")
    if value == 0 or abs(value) == 1:
        return value
    digits = len(str(abs(int(value))))  # an upper bound of log10: enough to tell "far too large"
    return value ** exp if digits * exp <= 1000 else Decimal(f"1E{min(digits * exp, _EXP_LIMIT)}")


def _read(body: str) -> Decimal | None:
    """The value of a number body such as ``1.500``, ``1,500.25``, ``1.500,25``, ``12,5``, ``1 500``:
    the one reading of :func:`dialogs.formatting.parse_number`, so a number means the same everywhere."""
    return parse_number_text(body.replace("\u202f", " "), "en")


def _fmt(value: Decimal, lang: str) -> str:
    """Plain rendering for an error message (no grouping, the language's decimal separator)."""
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if "." in text and value == value.to_integral_value():
        text = text.split(".")[0]
    return text.replace(".", ",") if lang == "nl" else text


def _word_numbers() -> dict[str, int]:
    return dict(vocabulary.number_words())


def _scale_words() -> dict[str, Decimal]:
    return {word: Decimal(factor) for word, factor in vocabulary.scale_words().items()}


@dataclass(frozen=True)
class Amount:
    """One number found in a sentence: ``value`` with its sign and scale word applied (``None`` when
    the digits cannot be read, e.g. ``1.500.25``), the ``text`` as typed (sign, digits and scale
    word) and its place ``start``–``end`` in the sentence; ``percent`` when a ``%`` follows."""

    value: Decimal | None
    text: str
    start: int
    end: int
    percent: bool = False


def amounts(text: str) -> list[Amount]:
    """Every number typed in ``text``, in order: ``-3``, ``1.500``, ``12,5``, ``130k``, ``1,2 miljoen``,
    ``10%``, ``1e50``, ``10^50``. Digits inside a word (``PL300``) are not numbers. A run of digits and
    spaces that is
    not one grouped number (``3 4``) is read as separate numbers."""
    scale = _scale_words()
    found: list[Amount] = []
    read_to = 0
    for token in _TOKEN.finditer(text):
        if token.start() < read_to:
            continue  # the exponent of a power read just before
        parts = [(token.start("body"), token.group("body").strip())]
        if _read(parts[0][1]) is None and re.search(rf"[{_SPACES}]", parts[0][1]):
            parts = [(token.start("body") + m.start(), m.group(0))
                     for m in re.finditer(r"\d(?:[\d.,']*\d)?", token.group("body"))]
        for n, (start, body) in enumerate(parts):
            value = _read(body)
            end = start + len(body)
            begin = token.start() if n == 0 else start
            if value is not None and n == 0 and token.group("sign"):
                value = -value
            power = _POWER.match(text, end) if n == len(parts) - 1 else None
            if power:  # "1e50", "10^50", "10**400": read as the huge number it is, never as 1 or 10
                value = _powered(value, power)
                end = power.end()
            elif n == len(parts) - 1:
                word = _WORD.match(text, end + len(text[end:]) - len(text[end:].lstrip()))
                if value is not None and word and word.group(0).lower() in scale:
                    value *= scale[word.group(0).lower()]
                    end = word.end()
            percent = text[end:].lstrip().startswith("%")
            found.append(Amount(value, text[begin:end].strip(), begin, end, percent))
            read_to = end
    return found


def check_size(value: Decimal, typed: str) -> None:
    """The one limit on numbers typed in chat: :data:`TOO_LARGE` or more is refused (``guided_too_large``)."""
    if abs(value) >= TOO_LARGE:
        raise InputError(f"'{typed}' is too large", code="guided_too_large", params={"text": typed})


def parse_number(text: str, lang: str, *, whole: bool, allow_negative: bool = False) -> Decimal:
    """The one number in ``text`` (other words around it are allowed), in the user's convention.

    ``whole``: a count (people, workloads, deployments); ``allow_negative``: a difference such as
    net customer adds. Raises :class:`InputError` with a ``guided_*`` code and the typed text.
    """
    said = text.strip()
    found = amounts(said)
    if not found:
        known = _word_numbers()
        hits = [known[w.lower()] for w in _WORD.findall(said) if w.lower() in known]
        if len(hits) == 1:
            return Decimal(hits[0])
        if len(hits) > 1:
            raise InputError(f"'{said}' holds more than one number", code="guided_several_numbers",
                             params={"text": said})
        raise InputError(f"'{said}' is not a number", code="guided_not_a_number", params={"text": said})
    if len(found) > 1:
        raise InputError(f"'{said}' holds more than one number", code="guided_several_numbers",
                         params={"text": said})
    amount = found[0]
    if amount.value is None:
        body = amount.text.lstrip(_MINUS + _SPACES)
        raise InputError(f"'{body}' is not a number I can read", code="guided_number_format",
                         params={"text": body, "example": catalog().text("guided.numbers.example", lang)})
    value = amount.value
    typed = amount.text
    if value < 0 and not allow_negative:
        raise InputError(f"'{typed}' is negative", code="guided_negative", params={"text": typed})
    check_size(value, typed)
    if whole and value != value.to_integral_value():
        raise InputError(f"{_fmt(value, lang)} is not a whole number", code="guided_not_whole",
                         params={"value": _fmt(value, lang)})
    return value
