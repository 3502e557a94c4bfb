"""Descriptions of an unnamed person or a body, read from the masked text: `a U.S. official`, `the
ministry`, `two people familiar with the matter`, `the state labor relations board`. Each is a
reference with no entity yet, and what the reader resolves it by: its determiner, its head noun and
the modifiers between them.
"""

from __future__ import annotations

import re

from generator.format.prose import is_abbreviation
from generator.newsroom.extract.names import Ref
from generator.newsroom.extract.text import Paragraph
from generator.newsroom.extract.vocabulary import (
    ANON_HEADS,
    ANON_PLURALS,
    NUMBER_WORDS,
    ORG_HEADS,
    PARTIAL_VERBS,
    PLACE_PREPOSITIONS,
    ROLE_HEADS,
    ROLE_WORDS,
    STOP,
    is_title,
)

#: What a description is resolved by: its determiner, its head noun and its modifiers (`the`, `official`, `U.S.`).
Described = tuple[str, str, str]

_HEADS = "|".join(sorted({*ANON_HEADS, *ANON_HEADS.values(), *ORG_HEADS, *ROLE_HEADS}, key=len, reverse=True))
_HEAD = re.compile(rf"\b(?:{_HEADS})\b")
#: The words before a head noun, read back from it.
_WORD = re.compile(r"[^\s,;:()\"“”‘\0—–]+")
#: Words that open a description: `the ministry`, `his spokesman`, `three officials`.
_DETERMINERS = ("a", "an", "the", "another", "his", "her", "its", "their")
_QUANTIFIERS = ("several", "some", "many", "two", "three", "four", "five")
#: What follows a description of an unnamed source: `familiar with the matter`, `at the Interior Ministry`.
_PP = re.compile(
    r"\s+((?:at|from|with|of|for|in|close to|familiar with|involved in|briefed on)\s+"
    r"(?:[^,.;:“”\"\0()]|\.(?=\S)){1,60}?)"
    r"(?=\s*(?:[,;:]|\.(?:\s|\Z))|\s+(?:said|says|told|who|which|speaking)\b)"
)


def descriptions(text: str, masked: str, paras: list[Paragraph]) -> list[tuple[Ref, Described]]:
    """`a U.S. official`, `the ministry`, `two people familiar with the matter`, `the state labor board`."""
    found: list[tuple[Ref, Described]] = []
    for para in paras:
        for match in _HEAD.finditer(masked, para.lead, para.end):
            description = _description(text, masked, match, para)
            if description is not None:
                found.append(description)
    return found


def _description(text: str, masked: str, match: re.Match[str], para: Paragraph) -> tuple[Ref, Described] | None:
    head = match.group()
    if _noun_follows(masked, match.end()):
        return None  # `military spokesperson`: the noun is the next word
    window_start = max(para.lead, match.start() - 80)
    det, det_start, mods = _before_head(masked, window_start, match.start())
    start = det_start if det else (window_start + mods[0].start() if mods else match.start())
    if not det and head not in ANON_PLURALS:
        return None
    mod_text = text[window_start + mods[0].start() : match.start()].strip() if mods else ""
    end = match.end()
    pp = _PP.match(masked[end : end + 80])
    if pp and head in {*ANON_HEADS, *ANON_HEADS.values()}:
        end += pp.end()
    phrase = " ".join(text[(window_start + mods[0].start()) if mods else match.start() : end].split())
    possessive = masked[match.end() : match.end() + 2] in ("’s", "'s")
    ref = Ref(start, end, None, "description", phrase, possessive)
    return ref, (det, head, mod_text)


def _noun_follows(masked: str, end: int) -> bool:
    """Whether the head noun found is a modifier of the noun after it: `military spokesperson`."""
    following = re.match(r" ([a-z]+)\b", masked[end : end + 30])
    noun = following.group(1) if following else ""
    return bool(noun) and noun not in STOP and (noun in ORG_HEADS or noun in ANON_HEADS or is_title(noun))


def _before_head(masked: str, window_start: int, head_start: int) -> tuple[str, int, list[re.Match[str]]]:
    """Read back from a head noun: its determiner (`the`, `two`, `one of the`; empty when there is none),
    where the determiner starts, and the modifiers between the two, in the order of the text."""
    words = list(_WORD.finditer(masked[window_start:head_start]))
    mods: list[re.Match[str]] = []
    det = ""
    det_start = head_start
    prev_end = head_start - window_start
    for word_match in reversed(words):
        word = word_match.group()
        if masked[window_start + word_match.end() : window_start + prev_end].strip(" ") != "":
            break
        lower = word.lower()
        if lower in _DETERMINERS or lower in NUMBER_WORDS[1:10]:
            det = lower
            det_start = window_start + word_match.start()
            if lower == "the" and mods == [] and _one_of_before(masked, det_start):
                det = "one of the"
            break
        if lower in _QUANTIFIERS:
            det = lower
            det_start = window_start + word_match.start()
            break
        if _ends_modifiers(word, len(mods)):
            break
        mods.append(word_match)
        prev_end = word_match.start()
    mods.reverse()
    return det, det_start, mods


def _ends_modifiers(word: str, taken: int) -> bool:
    """Whether a word before a head noun is no modifier of it (nor are the words before it)."""
    lower = word.lower()
    return (
        lower in STOP
        or lower in PLACE_PREPOSITIONS
        or (word.endswith(".") and not is_abbreviation(word))
        or lower in PARTIAL_VERBS
        or lower in NUMBER_WORDS
        or (lower.endswith(("ed", "ing", "ly")) and lower not in ROLE_WORDS and not word[:1].isupper())
        or any(ch.isdigit() for ch in word)
        or taken >= 4
    )


def _one_of_before(masked: str, at: int) -> bool:
    return re.search(r"\b[Oo]ne of\s+\Z", masked[max(0, at - 12) : at]) is not None
