"""Names that look alike across scripts (Unicode's confusables, UTS #39), for `briefing check`.

`skeleton(name)` is UTS #39's skeleton: the name in NFD, default-ignorable characters left
out, each character replaced by the prototype of its class of confusables, and NFD again.
Two names with one skeleton look alike: `Hаmas` (a Cyrillic а) and `Hamas`, but also
`Bums` and `Burns` (`m` looks like `rn`). The second pair is one script's own look-alikes,
which a reader can tell apart in context and an editor may mean: only names whose scripts
differ (`scripts`) are told, and a name that mixes scripts, which no real name does except
the mixes UTS #39 allows (Han with Hiragana and Katakana, with Bopomofo, with Hangul, each
with Latin).

The classes come from confusables.txt as the `confusable_homoglyphs` package ships it
(`confusables.json`): for each line `source → prototype`, each side is listed under the
other. So each class is a star around its prototype: a prototype of several characters
(`rn`) is the one member longer than one character; a class of single characters is
written here as its lowest code point (any one member would do, as long as it is one).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from confusable_homoglyphs import categories, confusables

#: Script aliases that go with any script: digits, punctuation, spaces; combining marks.
_ANY_SCRIPT = frozenset({"COMMON", "INHERITED", "Unknown"})
#: The mixes of scripts UTS #39's "highly restrictive" level allows in one name.
_ALLOWED_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
#: Marks the data file's comments put around right-to-left characters; not part of them.
_MARKS = str.maketrans("", "", "\u200e\u200f")


@cache
def _prototypes() -> dict[str, str]:
    """Each confusable character, and what it is written as in a skeleton."""
    data: dict[str, list[dict[str, str]]] = confusables.confusables_data
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for key, entries in data.items():
        a = key.translate(_MARKS)
        for entry in entries:
            b = entry["c"].translate(_MARKS)
            if a and b:
                parent[find(a)] = find(b)
    classes: dict[str, list[str]] = {}
    for member in list(parent):
        classes.setdefault(find(member), []).append(member)
    single: dict[str, str] = {}
    longer: dict[str, str] = {}
    for members in classes.values():
        chars = [m for m in members if len(m) == 1]
        sequences = sorted(m for m in members if len(m) > 1)
        if sequences:
            for char in chars:
                longer[char] = sequences[0]
        else:
            lowest = min(chars)
            for char in chars:
                single[char] = lowest
    # A prototype of several characters is written with each of its characters' own prototypes.
    prototypes = dict(single)
    for char, sequence in longer.items():
        prototypes[char] = "".join(single.get(c, c) for c in unicodedata.normalize("NFD", sequence))
    return prototypes


def skeleton(name: str) -> str:
    """UTS #39's skeleton of a name: two names with one skeleton look alike."""
    prototypes = _prototypes()
    decomposed = unicodedata.normalize("NFD", name)
    mapped = "".join(prototypes.get(c, c) for c in decomposed if unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFD", mapped)


#: Unicode's default-ignorable code points (DerivedCoreProperties.txt): drawn as nothing at all.
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]"
)


def visible(name: str) -> str:
    """A name as a reader sees it: compatibility forms as their letters (NFKC: `𝐚` and `ａ` as `a`), no
    default-ignorable character (a soft hyphen, a joiner), and every run of spaces of any kind as one space.
    Two names with one visible form cannot be told apart on a page."""
    shown = _IGNORABLE.sub("", unicodedata.normalize("NFKC", name))
    return " ".join(shown.split())


def scripts(name: str) -> frozenset[str]:
    """The scripts a name is written in (`LATIN`, `CYRILLIC`, ...), leaving out what goes with any."""
    return frozenset(categories.alias(c) for c in name) - _ANY_SCRIPT


def mixes_scripts(name: str) -> bool:
    """Whether a name mixes scripts no real name mixes (UTS #39's highly restrictive level)."""
    found = scripts(name)
    return len(found) > 1 and not any(found <= allowed for allowed in _ALLOWED_MIXES)


def script_names(found: frozenset[str]) -> str:
    """`Cyrillic, Latin`."""
    return ", ".join(sorted(s.title() for s in found)) or "no script"
