"""How a figure reads: its value in words a reader scans (`about 100`, `90%`, `$38 million`).

The site's pages print figures this way (its templates call `figure_value` and `figure_text`), and so does
the reviewer's diff (`newsroom/diff.py`), which must show a figure as the site shows it: the wording is part
of the format's meaning, below both, so that neither has to import the other for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.format.model import Figure

#: Currency codes printed as their symbol before the number (`$38 million`); other codes stay as written.
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
#: Round values from a million up are written with the word: `38 million`, `1.2 billion`.
_LARGE = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))
_SCALE_WORDS = ("thousand", "million", "billion", "trillion")


def plain_number(value: Decimal) -> str:
    """`1,234,567`, `0.5`, `142.3`: digits grouped by thousands, no trailing zeros."""
    number = format(value, ",f")
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    return number


def figure_value(figure: Figure) -> str:
    """A figure for a reader: `about 100`, `90%`, `1,200,000`, `0.5`."""
    number = plain_number(figure.value)
    if figure.unit == "%":
        number += "%"
    return f"{figure.qualifier} {number}" if figure.qualifier else number


def scaled_number(value: Decimal) -> str:
    """`38 million`, `1.2 billion`: a round value from a million up (at most one decimal in millions,
    billions or trillions) in words; anything else in digits: `1,234,567`, `250,000`."""
    for size, word in _LARGE:
        if abs(value) >= size:
            if (value * 10) % size == 0:
                return f"{plain_number(value / size)} {word}"
            break
    return plain_number(value)


def _currency(unit: str | None) -> tuple[str, str] | None:
    """The symbol of a unit that is a currency with one, and the scale word after it, if any:
    `USD` -> (`$`, ``), `GBP million` -> (`£`, `million`); None for any other unit."""
    code, _, scale = (unit or "").partition(" ")
    if code in CURRENCY_SYMBOLS and (not scale or scale in _SCALE_WORDS):
        return CURRENCY_SYMBOLS[code], scale
    return None


def figure_number(figure: Figure) -> str:
    """A figure's number as a reader scans it, its qualifier first: `about 100`, `90%`, `$38 million`,
    `€40 million`, `£85 million` (unit `GBP million`), `1.2 billion`, `over 320`."""
    currency = _currency(figure.unit)
    if figure.unit == "%":
        number = plain_number(figure.value) + "%"
    elif currency is not None:
        symbol, scale = currency
        number = f"{plain_number(figure.value)} {scale}" if scale else scaled_number(figure.value)
        number = f"-{symbol}{number[1:]}" if number.startswith("-") else symbol + number
    else:
        number = scaled_number(figure.value)
    return f"{figure.qualifier} {number}" if figure.qualifier else number


@dataclass(frozen=True)
class FigureText:
    """A figure as its card shows it: `number` then `unit` on one line, then the label.

    When the label ends with the unit (`Katyusha rockets`, unit `rockets`), the unit is not printed
    after the number as well: the label is shown as written, its ending (`label_unit`) marked as the unit.
    """

    number: str
    #: The unit printed after the number; None for `%` and currencies (in `number`) and units the label ends with.
    unit: str | None
    #: The label, less `label_unit`.
    label: str
    label_unit: str | None = None


def figure_text(figure: Figure) -> FigureText:
    """What a figure's card prints (see FigureText)."""
    number = figure_number(figure)
    if not figure.unit or figure.unit == "%" or _currency(figure.unit) is not None:
        return FigureText(number, None, figure.label)
    label, unit = " ".join(figure.label.split()), " ".join(figure.unit.split())
    head, tail = label[: len(label) - len(unit)], label[len(label) - len(unit) :]
    if len(label) >= len(unit) and tail.casefold() == unit.casefold() and (not head or head.endswith(" ")):
        return FigureText(number, None, head.rstrip(), tail)
    return FigureText(number, figure.unit, figure.label)
