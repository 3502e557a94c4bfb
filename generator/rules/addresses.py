"""The shared vocabulary of names made into addresses: actor ids, and story and topic addresses.

Two rules, both from the format (docs/format.md, "Addresses"):

- An actor's default `id` is the slug of its name: lowercase ASCII `a-z`,
  `0-9` and `-` (`U.S. official` -> `u-s-official`, `Łukasz Wójcik` ->
  `lukasz-wojcik`). A name whose letters cannot be written in ASCII
  (`Владимир Путин`, `李 2024`) has no such slug: it needs an explicit `id`,
  so that two names never merge into one actor by what they share (`2024`).
- A story's or a topic's address keeps the letters, combining marks and
  digits of every script: the name normalised to NFC and lowercased, every
  run of other characters turned into one `-`, no `-` at either end
  (`東京 2024` -> `東京-2024`, `Gaza ceasefire` -> `gaza-ceasefire`).

An address is at most `MAX_CHARS` characters and `MAX_BYTES` bytes of UTF-8,
so that no file name made from it can overflow a file system's limit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

from generator.format.findings import Finding, got
from generator.format.model import Briefing

#: Longest address, in characters and in bytes of UTF-8.
MAX_CHARS = 80
MAX_BYTES = 200

#: Latin letters that Unicode does not decompose into an ASCII letter and a mark.
_LATIN = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
        "ħ": "h",
        "Ħ": "H",
    }
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """`U.S. official` -> `u-s-official`; `Saʿadia Even-Tsur` -> `saadia-even-tsur`; `Þóra` -> `thora`.

    Letters outside ASCII are written without their accents; letters with no ASCII form
    (Cyrillic, CJK, Arabic) are dropped: see `ascii_slug` for when that is refused.
    """
    ascii_text = unicodedata.normalize("NFKD", text.translate(_LATIN)).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")


def ascii_slug(name: str) -> str | None:
    """The slug of a name when every letter of it has an ASCII form, else None.

    `李 2024` would slug to `2024` and `Владимир Путин` to nothing: such a name needs an id.
    Modifier letters (`ʿ` in `Saʿadia`) are not letters of the name for this purpose.
    """
    slug = slugify(name)
    for char in name:
        if char.isascii() or unicodedata.category(char) in ("Lm",) or not char.isalpha():
            continue
        if not slugify(char):
            return None
    return slug or None


@lru_cache(maxsize=1 << 16)
def address(name: str) -> str:
    """A story's or topic's address: NFC, lowercase, letters, marks and digits of any script kept.

    Remembered: a collection names the same few stories and topics thousands of times.
    """
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).lower())
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] in "LM" or category == "Nd":
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def address_problem(value: str) -> str | None:
    """Why an address cannot be used (empty, or too long for a file name), or None."""
    if not value:
        return "has no letter or digit to make an address from"
    size = len(value.encode("utf-8"))
    if len(value) > MAX_CHARS or size > MAX_BYTES:
        return (
            f"makes an address of {len(value)} characters ({size} bytes);"
            f" at most {MAX_CHARS} characters and {MAX_BYTES} bytes"
        )
    return None


class Checked(Protocol):
    """What `collisions` needs of a checked file (`validate.CheckedFile`)."""

    @property
    def path(self) -> str: ...

    @property
    def briefing(self) -> Briefing | None: ...

    @property
    def marks(self) -> dict[str, tuple[int, int]]: ...


def collisions(files: Iterable[Checked]) -> list[Finding]:
    """Two different story names, or two different topic names, that give one address.

    `Gaza ceasefire` and `gaza ceasefire` would share a page and each show the other's
    spelling: an error at the later one (in the order given), naming the first and where it is.
    """
    findings: list[Finding] = []
    first: dict[tuple[str, str], tuple[str, str]] = {}
    for checked in files:
        briefing = checked.briefing
        if briefing is None:
            continue
        named = [("story", "story", briefing.story)] if briefing.story else []
        named += [("topic", f"topics[{index}]", topic) for index, topic in enumerate(briefing.topics)]
        for kind, field, name in named:
            key = address(name)
            line, column = checked.marks.get(field, (1, 1))
            seen = first.setdefault((kind, key), (name, f"{checked.path}:{line}:{column}"))
            if seen[0] != name:
                findings.append(
                    Finding(
                        checked.path,
                        line,
                        column,
                        "error",
                        field,
                        f"gives the {kind} address '{key}', as '{seen[0]}' does in {seen[1]}:"
                        f" use one spelling {got(name)}",
                    )
                )
    return findings
