"""Cues in the words around a name, read from the masked text: the word before it, a role written
before it (`retired teacher`), a speech verb after it, the roles around it, and what says that a
possible name is a person's (`Dunmore, 54,`) or a body's (`the Hamas delegation`), or that a country's
name stands before a noun (`U.S. official`).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from generator.newsroom.extract.names import Run, strip_article
from generator.newsroom.extract.text import Token
from generator.newsroom.extract.vocabulary import (
    COUNTRIES,
    ORG_HEADS,
    PARTIAL_VERBS,
    ROLE_WORDS,
    SAID_VERBS,
    STOP,
    is_title,
)

_AGE = re.compile(r"\d{1,3}-year-old\Z")


def word_before(masked: str, at: int) -> str:
    match = re.search(r"(\w+)\W{0,3}\Z", masked[max(0, at - 30) : at])
    return match.group(1).lower() if match else ""


#: Prepositions after the head noun of an appositive: `a spokesman for the ministry`.
_PREPOSITIONS = frozenset("for of at with in from to on".split())


def org_cue(masked: str, run: Run) -> bool:
    """`Hezbollah leader`, `the Hamas delegation`, `the grid operator Rede Norte`,
    `Brightwave, the British streaming technology group,`."""
    after = masked[run.end : run.end + 60]
    following = re.match(r"(?:\s+[a-z][\w-]*){1,3}", after)
    if following:
        words: list[str] = []
        for word in following.group().split():
            if word in STOP or word in PARTIAL_VERBS:
                break
            words.append(word)
        if words and words[0] in ("leader", "spokesperson", "spokesman", "spokeswoman", "chief", "head"):
            return True
        if any(word in ORG_HEADS for word in words):
            return True
    appositive = re.match(r",\s+(?:the|a|an)\s+(?:[\w’'-]+\s+){0,4}?([a-z]+)\s*,", after + ",")
    if appositive and appositive.group(1) in ORG_HEADS:
        # the head is the noun before any preposition: `Omar Haddad, a spokesman for the ministry,` is a person
        words = appositive.group().split()
        cut = next((k for k, w in enumerate(words) if w in _PREPOSITIONS), None)
        return cut is None or words[cut - 1].strip(",") in ORG_HEADS
    before = masked[max(0, run.start - 40) : run.start]
    cue = re.search(r"\b(?:the|a|an)\s+(?:[a-z][\w-]*\s+){0,2}([a-z]+)\s+\Z", before)
    return bool(cue and cue.group(1) in ORG_HEADS)


def person_cue(masked: str, run: Run) -> bool:
    """A title, a role, an age or a speech verb next to a name: `retired teacher Saadia Even Tsur`."""
    after = masked[run.end : run.end + 120]
    if re.match(r",\s+\d{1,3},", after) or verb_after(masked, run.end):
        return True
    if re.match(r",\s+(?:a|an|the)\s+[\w’' -]{2,80}?(?:,|\.\s|\.\Z|;)", after):
        return True
    word = re.match(r",\s+([a-z]+)\b", after)
    if word and is_title(word.group(1)):
        return True
    if role_before(masked, run.start):
        return True
    # `Another expert, Bong Young-shik from …`: a role noun and a comma before the name
    noun = re.search(
        r"\b(?:[Aa]nother|[Aa]n?|[Tt]he|[Oo]ne)\s+(?:[a-z][\w-]*\s+){0,2}([a-z]+),\s\Z",
        masked[max(0, run.start - 60) : run.start],
    )
    if noun and is_title(noun.group(1)):
        return True
    return word_before(masked, run.start) in SAID_VERBS


def verb_after(masked: str, end: int) -> str | None:
    """The speech verb right after a name, past an appositive: `Dunmore, who …, added`."""
    rest = masked[end : end + 200]
    match = re.match(r"\s+([a-z]+)\b", rest)
    if match and match.group(1) in PARTIAL_VERBS:
        return match.group(1)
    if rest.startswith(","):
        inner = re.match(r",[^,.;:\0“”\"]{1,150},\s+([a-z]+)\b", rest)
        if inner and inner.group(1) in PARTIAL_VERBS:
            return inner.group(1)
    return None


def role_before(masked: str, start: int) -> str | None:
    """The role written before a name: `retired teacher`, `City head coach`, `U.N. aid chief`."""
    window = masked[max(0, start - 90) : start]
    if not window.endswith(" "):
        return None
    words = list(re.finditer(r"[^\s,;:()\"“”‘’\0]+", window))
    taken: list[re.Match[str]] = []
    titled = False
    for match in reversed(words):
        if taken and window[match.end() : taken[-1].start()] != " ":
            break
        step = _role_word(match.group(), titled)
        if step is None:
            break
        titled = titled or step == "title"
        taken.append(match)
        if len(taken) >= 6:
            break
    while taken and not is_title(taken[0].group().rstrip(".")):
        taken.pop(0)  # the role ends with a title: `retired teacher`, not `teacher Acre`
    if not titled or not taken:
        return None
    taken.reverse()
    return window[taken[0].start() : taken[-1].end()]


def _role_word(word: str, titled: bool) -> str | None:
    """A word of a role read back from a name: `title` (`teacher`, `Adm.`), `word` (a word a role may
    hold: `retired`, `City`, `76-year-old`), or None where the role stops. `titled`: a title was read."""
    bare = word.rstrip(".")
    lower = bare.lower()
    if is_title(bare) and lower not in STOP:
        return "title"
    if _AGE.match(bare):
        return "word"  # `76-year-old retired teacher`: an age is part of the role
    if (bare[:1].isupper() and lower not in STOP and bare not in COUNTRIES) or word.endswith(("’s", "'s")):
        return "word" if titled else None
    if titled and bare.isalpha() and lower not in STOP and lower not in PARTIAL_VERBS:
        return None if lower.endswith(("ed", "ing", "ly")) and lower not in ROLE_WORDS else "word"
    return None


def roles_around(text: str, masked: str, starts: list[int], run: Run, title: list[Token]) -> list[str]:
    roles: list[str] = []
    before = role_before(masked, run.start)
    # `Israel’s military spokesperson, Rear Adm. Daniel Hagari`: a role, a comma, the name.
    k = bisect_right(starts, run.start) - 1
    sentence = starts[k] if k >= 0 else 0
    head = masked[max(sentence, run.start - 100) : run.start]
    pre = re.search(r"(?:\A|[,;:(]\s*)([^,;:()\0]{2,80}?)\s*,\s*\Z", head)
    if pre:
        words = pre.group(1).split()
        if words and is_title(words[-1]) and len(words) <= 6:
            roles.append(strip_article(pre.group(1)))
    if title:
        roles.append(text[title[0].start : title[-1].end])
    if before:
        roles.append(before)
    after = masked[run.end : run.end + 160]
    of = re.match(r"\s+(?:of|at|from)\s+((?:the\s+)?[A-Z][\w’'.-]*(?:\s+(?:of\s+)?[A-Z][\w’'.-]*){0,5})", after)
    if of and (roles or title):
        roles[-1] = roles[-1] + " " + text[run.end : run.end + of.end()].strip()
    word = r"(?:[\w’'&-]|\.(?=\w))+"
    appositive = re.match(rf",\s+((?:(?:a|an|the)\s+)?{word}(?:\s+{word}){{0,14}}?)\s*(?=,|\.\s|\.\Z|;|\.$)", after)
    if appositive:
        words = appositive.group(1).split()
        first = words[0].lower()
        speech = re.search(r"\b(?:said|says|told)\b", appositive.group(1))
        if (first in ("a", "an", "the") or is_title(words[0])) and not speech:
            roles.append(strip_article(appositive.group(1)))
    age = re.match(r",\s+(\d{1,3}),", after)
    if age:
        roles.append(f"{age.group(1)} years old")
    return roles


def adjectival(masked: str, run: Run) -> bool:
    """`U.S. official`: a country's name used before a noun is not the country acting."""
    after = masked[run.end : run.end + 30]
    match = re.match(r" ([\w’'-]+)", after)
    if not match or run.tokens[-1].possessive:
        return False
    word = match.group(1)
    return word.islower() and word not in STOP and word not in PARTIAL_VERBS and not word.endswith("ed")
