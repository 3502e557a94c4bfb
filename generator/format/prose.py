"""One reading of news text, shared by `briefing draft`, `briefing check`, the receipts and the site.

Where a sentence ends, which words a full stop follows without ending one, the months' names and the
numbers a text states are read here, once, so that a draft and a receipt never disagree on where a sentence
ends, and a figure the draft finds is one the checker finds.

- A sentence ends at `.`, `!`, `?` or `…` (and any closing quotes or brackets) before whitespace and a word
  that starts with a capital or a digit (an opening quote, bracket or ellipsis may come first), or at the
  end of its paragraph. A lowercase word starts a sentence only when it is a name's particle before a
  capitalised word (`… nationality. de Oliveira grew up`) or is written with a capital inside (`iPhone`):
  `“What next?” he said` is one sentence.
- A full stop after an abbreviation (`Adm.`, `Calif.`, `Sept.`, `No.`), an initial (`J.`) or a dotted
  abbreviation (`U.S.`, `a.m.`, `Ph.D.`) ends no sentence; after a domain (`Challenge.gov.`) it does.
- Numbers: digits with or without thousands separators, a scale word after them (`1.2 million`,
  `3,200 crore`), and English number words (`twenty-one`, `three hundred and two`, `a million`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation

# --- months ----------------------------------------------------------------------

#: The months' names and their short forms, lowercase, with their numbers.
MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
#: The months as a regular expression's alternatives, capitalised, longest first (`September|Sept|Sep|…`).
MONTH_NAMES = "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True))

# --- abbreviations -----------------------------------------------------------------

#: Words a full stop follows without ending a sentence, as they are written: titles and ranks, the months'
#: short forms, the US states' abbreviations of the AP style, and a few of business and reference.
ABBREVIATIONS = frozenset(
    (
        "Mr Mrs Ms Dr Prof Gen Adm Rep Reps Sen Gov Lt Col Maj Capt Cmdr Cpl Sgt Pvt Rev Hon Pres Supt Det Insp"
        " St Sr Jr Mt Ft Ave Blvd Rd No Nos Vol Fig Dept Inc Corp Co Ltd Bros Messrs Esq"
        " Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La Md Mass Mich Minn Miss Mo Mont Neb Nev"
        " Okla Ore Pa Tenn Tex Va Vt Wash Wis Wyo"
        " vs etc approx est fig dept"
    ).split()
    + [m.capitalize() for m in MONTHS if len(m) <= 4 and m != "june" and m != "july" and m != "may"]
)
#: Initials and dotted abbreviations, without their last full stop: `J`, `U.S`, `a.m`, `Ph.D`, `e.g`.
_DOTTED = re.compile(r"[A-Z]|(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")


def is_abbreviation(word: str) -> bool:
    """Whether a full stop after `word` (given with or without it) ends no sentence: `Adm`, `Calif.`, `U.S.`,
    `J.`; not `Challenge.gov.` nor `no.` (`He said no.`)."""
    bare = word[:-1] if word.endswith(".") else word
    return bare in ABBREVIATIONS or _DOTTED.fullmatch(bare) is not None


# --- sentences -------------------------------------------------------------------

#: A mark that may end a sentence, with the closing quotes and brackets after it.
_MARK = re.compile(r"[.!?\u2026]+[\"'\u2019\u201d)\]]*")
#: The word before a full stop, at the end of the few characters before it.
_WORD_BEFORE = re.compile(r"[^\s\"'(\[\u2018\u201c]*\Z")
#: What may come between a sentence's end and its next word: spaces on the line, opening quotes, brackets
#: and ellipses (`… ankle. ... Seattle shot`).
_BETWEEN = re.compile(r"[^\S\n]+(?:[\"'\u2018\u201c(\[.\u2026]+[^\S\n]*)*")
#: The next word, and the word after it.
_NEXT_WORDS = re.compile(r"([^\W_][\w'\u2019-]*)(?:[^\S\n]+([^\W_]))?")
#: Lowercase particles of names that may start a sentence (`de Oliveira`).
_PARTICLES = frozenset("de da di du del della dos van von der den la le al el bin ibn ten ter".split())
#: A letter or a digit: a sentence has one.
_WORDY = re.compile(r"[^\W_]")
#: How far past a mark its next word is looked for.
_LOOK = 48


def ends_sentence(text: str, start: int, end: int) -> bool:
    """Whether the mark `text[start:end]` (`.`, `?”`, `…`) ends a sentence (see the module's rules)."""
    if text[start] == "." and text[start + 1 : start + 2] != ".":
        word = _WORD_BEFORE.search(text, max(0, start - 32), start)
        if word and is_abbreviation(word.group()):
            return False
    if end >= len(text) or text[end] == "\n":
        return True
    between = _BETWEEN.match(text, end, end + _LOOK)
    if between is None:
        return False  # a mark inside a word (`3.5`, `Challenge.gov`)
    after = between.end()
    if after >= len(text) or text[after] == "\n":
        return True
    words = _NEXT_WORDS.match(text, after, after + _LOOK)
    if words is None:
        return False
    first = words.group(1)
    if first[0].isupper() or first[0].isdigit():
        return True
    if any(c.isupper() for c in first[1:]):
        return True  # `iPhone`, `eBay`
    return first in _PARTICLES and words.group(2) is not None and words.group(2).isupper()


def sentence_ends(text: str, low: int, high: int) -> Iterator[int]:
    """Where sentences end in `text[low:high]`, in order: the offset just after each ending mark and its
    closing quotes or brackets. A mark with no word since the last end ends nothing (`ankle. ... Denver`)."""
    last = low
    for match in _MARK.finditer(text, low, high):
        if ends_sentence(text, match.start(), match.end()) and _WORDY.search(text, last, match.start()):
            last = match.end()
            yield last


# --- numbers ---------------------------------------------------------------------

_DIGITS = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d]|,\d{3})", re.ASCII)

_UNITS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen"
        " fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {word: 10 * (i + 2) for i, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
#: The scale words a number may take, in words or after digits. A lakh is a hundred thousand and a crore ten
#: million (`Rs 3,200 crore`).
SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
SCALES |= {"lakh": 10**5, "lakhs": 10**5, "lac": 10**5, "lacs": 10**5, "crore": 10**7, "crores": 10**7}
#: A scale word after digits: `1.2 million`, `3,200-crore`.
SCALE_AFTER = re.compile(r"[\s-]*(" + "|".join(sorted(SCALES, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")
# Beyond any number the words above make in English (they stop below 10**15).
_TOO_BIG = 10**30


def numbers_in(text: str) -> set[Decimal]:
    """Every number a text states, in digits or in English words."""
    found: set[Decimal] = set()
    for match in _DIGITS.finditer(text):
        try:
            value = Decimal(match.group(1).replace(",", "") + (match.group(2) or ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            continue
        found.add(value)
        scale = SCALE_AFTER.match(text, match.end())
        if scale:
            found.add(value * SCALES[scale.group(1).lower()])
    found.update(_word_numbers(text))
    return found


def states(text: str, value: Decimal) -> bool:
    """Whether a text states a number: `1,200,000`, `1200000`, `1.2 million`, `twenty-one`."""
    return value in numbers_in(text) or (value < 0 and -value in numbers_in(text))


class _WordRun:
    """A run of number words being read: its value so far and what its last word was."""

    __slots__ = ("current", "in_run", "last", "pending_a", "too_big", "total")

    def __init__(self) -> None:
        self.total = self.current = 0
        self.in_run = self.too_big = False
        self.pending_a = False
        #: What the run's last word was: "unit" (one..nineteen), "tens" (twenty..ninety), or "" (hundred,
        #: a scale, and): `four five` is two numbers, `twenty-one` one.
        self.last = ""

    def continued_by(self, word: str, gap: str) -> bool:
        """Whether `word`, after `gap`, goes on with the run. A word that is no number word ends it
        (`four of their last five` is 4, then 5), and so does a unit after a unit or a tens after a unit
        or tens (`four five`)."""
        if not self.in_run or gap.strip(" -") != "" or "\n" in gap:
            return False
        if (word in _UNITS and self.last == "unit") or (word in _TENS and self.last in ("unit", "tens")):
            return False
        return word in _UNITS or word in _TENS or word == "hundred" or word in SCALES or word == "and"

    def end(self) -> Decimal | None:
        """The run's number (None past any number these words make), and a new run begun."""
        value = None if self.too_big else Decimal(self.total + self.current)
        self.total = self.current = 0
        self.in_run = self.too_big = False
        self.last = ""
        return value

    def take(self, word: str) -> None:
        if word in _UNITS:
            self.current += _UNITS[word]
            self.last = "unit"
        elif word in _TENS:
            self.current += _TENS[word]
            self.last = "tens"
        elif word == "hundred" and (self.in_run or self.pending_a):
            self.current = (self.current or 1) * 100
            self.last = ""
        elif word in SCALES and (self.in_run or self.pending_a):
            self.total += (self.current or 1) * SCALES[word]
            self.current = 0
            self.last = ""
        elif word == "and" and self.in_run:
            self.last = ""
            return
        else:
            self.pending_a = word in ("a", "one")
            return
        self.in_run = True
        self.pending_a = False
        if self.total + self.current > _TOO_BIG:
            self.too_big = True
            self.total = self.current = 0


def _word_numbers(text: str) -> Iterable[Decimal]:
    """Runs of English number words: `five`, `twenty-one`, `three hundred and two`, `a million`.

    A run past any number these words make (`hundred hundred hundred …`) is none: left
    to grow, it would take time growing with the square of its length.
    """
    run = _WordRun()
    previous_end = 0
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if run.in_run and not run.continued_by(word, text[previous_end : match.start()]):
            value = run.end()
            if value is not None:
                yield value
        previous_end = match.end()
        run.take(word)
    if run.in_run:
        value = run.end()
        if value is not None:
            yield value
