"""Numbers typed in chat: both the English and the Dutch way of writing them, with reasons for refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dialogs.understanding.numbers import amounts, parse_number
from kernel.errors import InputError
from kernel.texts import catalog


@pytest.mark.parametrize(
    ("said", "lang", "whole", "negative", "expected"),
    [
        ("12", "en", True, False, "12"),
        ("1,500", "en", True, False, "1500"),
        ("1.500", "nl", True, False, "1500"),
        ("1.500", "en", True, False, "1500"),  # nobody counts people with three decimals
        ("1,500", "nl", True, False, "1500"),
        ("130 000", "nl", False, False, "130000"),
        ("1.234.567", "nl", True, False, "1234567"),
        ("1,234,567", "en", True, False, "1234567"),
        ("1.500,25", "nl", False, False, "1500.25"),
        ("1,500.25", "en", False, False, "1500.25"),
        ("12,5", "nl", False, False, "12.5"),
        ("12.5", "en", False, False, "12.5"),
        ("0,125", "nl", False, False, "0.125"),
        ("USD 130,000", "en", False, False, "130000"),
        ("we have 7 people now", "en", True, False, "7"),
        ("twee", "nl", True, False, "2"),
        ("three", "en", True, False, "3"),
        ("-3", "en", True, True, "-3"),
        ("−3", "nl", True, True, "-3"),
        ("0", "en", True, False, "0"),
        ("about 1.2 million", "en", False, False, "1200000"),
        ("1,2 miljoen", "nl", False, False, "1200000"),
        ("130k", "en", False, False, "130000"),
        ("12 mensen", "nl", True, False, "12"),
    ],
)
def test_numbers_are_read_in_both_conventions(said: str, lang: str, whole: bool, negative: bool,
                                              expected: str) -> None:
    assert parse_number(said, lang, whole=whole, allow_negative=negative) == Decimal(expected)


@pytest.mark.parametrize(
    ("said", "lang", "whole", "code", "shown"),
    [
        ("a lot", "en", True, "guided_not_a_number", "'a lot' is not a number"),
        ("heel veel", "nl", True, "guided_not_a_number", "'heel veel' is geen getal"),
        ("-3", "en", True, "guided_negative", "'-3' is negative"),
        ("-3", "nl", True, "guided_negative", "'-3' is negatief"),
        ("12,5 mensen", "nl", True, "guided_not_whole", "12,5 is geen heel getal"),
        ("12.5 people", "en", True, "guided_not_whole", "12.5 is not a whole number"),
        ("3 or 4", "en", True, "guided_several_numbers", "more than one number"),
        ("1,50,0", "en", True, "guided_number_format", "cannot read '1,50,0'"),
        ("1.500.25", "en", False, "guided_number_format", "cannot read"),
        ("", "en", True, "guided_not_a_number", "is not a number"),
        ("99999999999999999999999", "en", True, "guided_too_large", "far too large to be right"),
        ("1.000.000.000.000", "nl", False, "guided_too_large", "veel te groot"),
    ],
)
def test_refusals_say_why_in_the_users_language(
    said: str, lang: str, whole: bool, code: str, shown: str
) -> None:
    with pytest.raises(InputError) as err:
        parse_number(said, lang, whole=whole)
    assert err.value.code == code
    assert shown in err.value.render(lang, catalog())


@pytest.mark.parametrize(
    ("said", "found"),
    [
        ("set consumption now to 130k", [("130000", "130k")]),
        ("zet verbruik nu op 1,2 miljoen", [("1200000", "1,2 miljoen")]),
        ("zet implementaties op -3", [("-3", "-3")]),
        ("add 2 thousand deployments and 3 advanced", [("2000", "2 thousand"), ("3", "3")]),
        ("in 2026, 5 deployments", [("2026", "2026"), ("5", "5")]),
        ("we passed PL300, 12 months ago", [("12", "12")]),
    ],
)
def test_every_number_in_a_sentence_is_read_with_its_sign_and_scale(said: str, found: list) -> None:
    got = [(a.value, a.text) for a in amounts(said)]
    assert got == [(Decimal(v), text) for v, text in found]


@pytest.mark.parametrize(("text", "at_least"), [("1e50", Decimal("1e50")), ("10^50", Decimal("1e50")),
                                                ("10**400", Decimal("1e400")),
                                                ("1e9999999999", Decimal("1e999"))])
def test_powers_are_read_as_the_huge_numbers_they_are_and_refused(text: str, at_least: Decimal) -> None:
    (amount,) = amounts(text)
    assert amount.value is not None and amount.value >= at_least and amount.text == text
    with pytest.raises(InputError) as caught:
        parse_number(text, "en", whole=True)
    assert caught.value.code == "guided_too_large"
