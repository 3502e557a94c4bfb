"""Normalisation and numbers in text: the two tools provenance is built on."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.verify import normalize, numbers_in, states


def test_normalize_straightens_quotes_dashes_and_spaces() -> None:
    """Curly quotes, every dash and runs of whitespace compare equal to their plain forms."""
    assert normalize("“Israel’s  —\n\tfinal”") == '"Israel\'s - final"'
    assert normalize("ﬁnal") == "final"  # NFKC folds the ligature


def test_normalize_keeps_case() -> None:
    """Case matters."""
    assert normalize("Constructive") != normalize("constructive")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("around 100 Israeli planes", 100),
        ("targeted 1,200,000 people", 1200000),
        ("targeted 1200000 people", 1200000),
        ("90% of the strikes", 90),
        ("the 10-month conflict", 10),
        ("a 76-year-old teacher", 76),
        ("grew 0.5 percent", Decimal("0.5")),
        ("1.2 million people", 1200000),
        ("five minutes before", 5),
        ("twenty-one rockets", 21),
        ("three hundred sites", 300),
        ("one thousand two hundred and five", 1205),
        ("a million people", 1000000),
        ("Ninety planes", 90),
    ],
)
def test_numbers_are_read_in_digits_and_words(text: str, value: int | Decimal) -> None:
    """Digits with or without separators, decimals, scale words and English number words."""
    assert states(text, Decimal(value))


@pytest.mark.parametrize(("text", "value"), [("targeted 1270 sites", 270), ("version 2.70", 270), ("fifty", 15)])
def test_a_number_inside_another_is_not_stated(text: str, value: int) -> None:
    """270 is not stated by 1270 or 2.70."""
    assert not states(text, Decimal(value))


def test_numbers_in_finds_all_of_them() -> None:
    """Every number in a passage."""
    assert numbers_in("over 320 Katyusha rockets, 76-year-old, five minutes") == {
        Decimal(320),
        Decimal(76),
        Decimal(5),
    }
