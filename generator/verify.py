"""Provenance: quotes and figures checked against the source texts in `seeds/`.

Texts are compared after normalisation (Unicode NFKC, curly quotes and
apostrophes to straight ones, dashes to `-`, runs of whitespace to one space);
case matters. A figure is stated by a text when the text holds its value in
digits (with or without thousands separators) or in English words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath

from generator.yamlnodes import MAX_FILE_BYTES

_PUNCTUATION = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\ufe58": "-",
}
_PUNCTUATION_RE = re.compile("[" + "".join(_PUNCTUATION) + "]")
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """The form texts are compared in."""
    if not text.isascii():  # NFKC and the punctuation map change only non-ASCII text
        text = unicodedata.normalize("NFKC", text)
        text = _PUNCTUATION_RE.sub(lambda m: _PUNCTUATION[m.group()], text)
    return _SPACE.sub(" ", text).strip()


def contains(text: str, needle: str) -> bool:
    """Whether normalised `needle` stands in normalised `text` as whole words: `rking teams`
    is not in "working teams"."""
    start = text.find(needle)
    while start != -1:
        end = start + len(needle)
        before_ok = start == 0 or not (text[start - 1].isalnum() and needle[0].isalnum())
        after_ok = end == len(text) or not (text[end].isalnum() and needle[-1].isalnum())
        if before_ok and after_ok:
            return True
        start = text.find(needle, start + 1)
    return False


# --- numbers in text ---------------------------------------------------------

_DIGITS = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d]|,\d{3})", re.ASCII)
_SCALE_AFTER = re.compile(r"\s*(thousand|million|billion|trillion)\b", re.IGNORECASE)

_UNITS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen"
        " fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {word: 10 * (i + 2) for i, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_WORD = re.compile(r"[A-Za-z]+")


def numbers_in(text: str) -> set[Decimal]:
    """Every number a text states, in digits or in English words."""
    found: set[Decimal] = set()
    for match in _DIGITS.finditer(text):
        try:
            value = Decimal(match.group(1).replace(",", "") + (match.group(2) or ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            continue
        found.add(value)
        scale = _SCALE_AFTER.match(text, match.end())
        if scale:
            found.add(value * _SCALES[scale.group(1).lower()])
    found.update(_word_numbers(text))
    return found


def _word_numbers(text: str) -> Iterable[Decimal]:
    """Runs of English number words: `five`, `twenty-one`, `three hundred and two`, `a million`."""
    total = current = 0
    in_run = False
    previous_end = 0
    pending_a = False
    for match in _WORD.finditer(text):
        word = match.group().lower()
        gap = text[previous_end : match.start()]
        joined = in_run and gap.strip(" -") == "" and "\n" not in gap
        if not joined and in_run:
            yield Decimal(total + current)
            total = current = 0
            in_run = False
        previous_end = match.end()
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred" and (in_run or pending_a):
            current = (current or 1) * 100
        elif word in _SCALES and (in_run or pending_a):
            total += (current or 1) * _SCALES[word]
            current = 0
        elif word == "and" and in_run:
            continue
        else:
            pending_a = word in ("a", "one")
            continue
        in_run = True
        pending_a = False
    if in_run:
        yield Decimal(total + current)


def states(text: str, value: Decimal) -> bool:
    """Whether a text states a number: `1,200,000`, `1200000`, `1.2 million`, `twenty-one`."""
    return value in numbers_in(text) or (value < 0 and -value in numbers_in(text))


# --- the seeds ---------------------------------------------------------------


class Seeds:
    """The source texts under `<root>/seeds/`: checked once, read once, normalised once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = (root / "seeds").resolve()
        self._problems: dict[str, str | None] = {}
        self._texts: dict[str, str] = {}
        self._numbers: dict[str, set[Decimal]] = {}

    def problem(self, path: str) -> str | None:
        """Why `path` is not a usable source file, or None."""
        if path not in self._problems:
            self._problems[path] = self._check(path)
        return self._problems[path]

    def _check(self, path: str) -> str | None:
        pure = PurePosixPath(path)
        if pure.is_absolute() or "\\" in path or re.match(r"[A-Za-z]:", path):
            return "must be a path relative to the repository root, inside seeds/"
        if ".." in pure.parts or not pure.parts or pure.parts[0] != "seeds":
            return "must be a file inside seeds/"
        full = self.root / path
        try:
            resolved = full.resolve()
        except (OSError, RuntimeError):
            return "cannot be resolved (a symbolic link loop?)"
        if not resolved.is_relative_to(self.folder):
            return "resolves outside seeds/ (through a symbolic link)"
        if not resolved.exists():
            return "no such file"
        if not resolved.is_file():
            return "is not a file"
        try:
            with resolved.open("rb") as file:
                data = file.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            return f"cannot be read ({exc.strerror})"
        if len(data) > MAX_FILE_BYTES:
            return f"is larger than 1 MiB ({MAX_FILE_BYTES:,} bytes)"
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return "is not UTF-8 text"
        self._texts[path] = normalize(text)
        return None

    def text(self, path: str) -> str:
        """The normalised text of a file that `problem` accepted."""
        return self._texts[path]

    def numbers(self, path: str) -> set[Decimal]:
        if path not in self._numbers:
            self._numbers[path] = numbers_in(self._texts[path])
        return self._numbers[path]
