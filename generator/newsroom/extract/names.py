"""Names: the entities an article names or describes and the references to them (`Entity`, `Ref`),
runs of capitalised words (`Run`), whether a word can be part of a name, and what a run names
(`classify`: a country, a body, a place, a person after a title, a possible person, or a single word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from nameparser import HumanName

from generator.format.prose import MONTHS
from generator.newsroom.extract.text import Token
from generator.newsroom.extract.vocabulary import (
    COUNTRIES,
    DAYS,
    DEMONYMS,
    NAMEABLE,
    ORG_WORDS,
    PARTICLES,
    PLACE_PREFIXES,
    PLACE_WORDS,
    STOP,
    is_title,
)


@dataclass(eq=False)
class Entity:
    """A person or body the article names or describes."""

    name: str
    kind: str  # person, organization, country, group
    roles: list[str] = field(default_factory=list)
    anonymous: bool = False
    head: str | None = None  # the noun of a description: official, people, ministry
    gender: str | None = None
    first: int = 0
    mentions: int = 0
    spoke: bool = False
    surnames: set[str] = field(default_factory=set)
    acting: int = 0  # mentions not after a preposition: `The CDC said`, not `an analyst at Harlow Capital`

    @property
    def role(self) -> str | None:
        parts: list[str] = []
        for role in self.roles:
            if role and not any(role.lower() in part.lower() for part in parts):
                parts.append(role)
        text = "; ".join(parts)
        if len(text) > 200:
            text = text[: text.rfind(" ", 0, 199)].rstrip(",;") + "…"
        return text or None


@dataclass
class Ref:
    """A place in the text that names or stands for an entity."""

    start: int
    end: int
    entity: Entity | None
    kind: str  # name, description, pronoun
    word: str
    possessive: bool = False
    inner: bool = False  # part of a title or a description: `CIA` in `CIA Director William Burns`


@dataclass
class Run:
    tokens: list[Token]
    initial: bool  # starts a sentence

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


ACRONYM = re.compile(r"(?:[A-Z]{2,6}|(?:[A-Z]\.){2,4})\Z")


def name_like(token: Token, inside: bool = False) -> bool:
    word = token.text
    lower = word.lower()
    if not word[:1].isupper() or lower in DAYS:
        return False
    if lower in STOP and not (inside and lower in NAMEABLE):
        return False
    if word.rstrip(".").lower() in MONTHS and len(word) > 2:
        return False
    if "-" in word:
        parts = word.split("-")
        lower_parts = [part for part in parts[1:] if part and not part[:1].isupper()]
        # `Bong Young-shik`, `Kim Jong-un`: a given name's second syllable in lowercase, after a name's word;
        # not `Kremlin-backed`, `Covid-related`
        if lower_parts and not (inside and all(p.isalpha() and p not in _COMPOUND_TAILS for p in lower_parts)):
            return False
    return True


#: The lowercase halves of compound adjectives made with a capitalised word: `Kremlin-backed`, `UK-based`.
_COMPOUND_TAILS = frozenset(
    """led backed based related owned run funded born style like era wide free friendly linked controlled made
    speaking bound aligned allied affiliated sponsored supported inspired themed focused centric registered
    listed flagged bred raised trained educated ruled held occupied dominated""".split()
)


def inner_possessive(token: Token, following: Token, text: str) -> bool:
    """`Technology Workers’ Union`, `Plainview Children's Hospital`: a possessive inside a body's name."""
    plural = text[token.end - 1 : token.end] in "’'" and token.text.endswith("s")
    return (plural or token.text in ("Women", "Children", "Men", "People")) and following.text in ORG_WORDS


def classify(run: Run) -> tuple[str, list[Token], list[Token]]:
    """What a run names: kind, the name's tokens, and the title before it."""
    toks = run.tokens
    text = run.text
    kind = _country_body_or_place(toks, text)
    if kind == "org":
        return kind, _drop_the(toks), []
    if kind is not None:
        return kind, toks, []
    # A name after its title: `Rear Adm. Daniel Hagari`, `CIA Director William Burns`.
    cut = len(toks)
    while cut > 0 and not is_title(toks[cut - 1].text) and personal(toks[cut - 1].text):
        cut -= 1
    name, title = toks[cut:], toks[:cut]
    if title and name and is_title(title[-1].text):
        return "person", name, title
    # A title of several words with a body or a place in it: `Consul General of India Dnyaneshwar M. Mulay`,
    # `Associate Commissioner for Inspections and Investigations Elizabeth Miller`.
    if title and 2 <= len(name) <= 4 and any(is_title(t.text) for t in title[:3]):
        # The body's last word goes with the title: `Minister for Justice Helen McEntee`.
        while title[-1].text.lower() in _TITLE_LINKS and len(name) >= 3 and not _initial(name[1].text):
            title, name = [*title, name[0]], name[1:]
        return "person", name, title
    if len(toks) == 1:
        if is_title(text) and text.isupper():
            return "skip", toks, []  # `CEO`, `CFO`: a title, whoever holds it is named after it
        if ACRONYM.match(text) and text not in COUNTRIES:
            return "org", toks, []
        if text in DEMONYMS:
            return "skip", toks, []
        return "single", toks, []
    if 2 <= len(toks) <= 4 and all(personal(t.text) for t in toks) and toks[0].text not in DEMONYMS:
        return "person?", toks, []
    return "skip", toks, []


#: Words that join a title to the body it names: `Associate Commissioner for Inspections and Investigations`.
_TITLE_LINKS = {"of", "for", "and", "&"}


def _initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1


def _country_body_or_place(toks: list[Token], text: str) -> str | None:
    """`country`, `org` or `place` when a run's words say so: `The Netherlands`, `Foreign Ministry`, `Black Sea`."""
    if text in COUNTRIES or (text.startswith("The ") and text[4:] in COUNTRIES):
        return "country"
    last = toks[-1].text
    if last in ORG_WORDS or (any(t.text in ORG_WORDS for t in toks) and last not in PLACE_WORDS):
        return "org"
    if last in PLACE_WORDS or (toks[0].text in PLACE_PREFIXES and len(toks) > 1):
        return "place"
    return None


def _drop_the(toks: list[Token]) -> list[Token]:
    return toks[1:] if len(toks) > 1 and toks[0].text == "The" else toks


def personal(word: str) -> bool:
    """Whether a capitalised word can be part of a person's name."""
    bare = word.rstrip(".")
    if word in ORG_WORDS or word in PLACE_WORDS or word in COUNTRIES or word in DEMONYMS:
        return False
    if len(bare) == 1 and bare.isupper() and word.endswith("."):
        return True  # an initial, `A.` and `I.` too, which are words when lowercase
    if (bare.lower() in STOP and bare.lower() not in NAMEABLE) or bare.lower() in MONTHS or bare.lower() in DAYS:
        return False
    if word.lower() in PARTICLES or word.lower() in NAMEABLE:
        return True
    return bool(re.fullmatch(r"[^\W\d_](?:[^\W\d_]|[’'-](?=[^\W\d_]))*", bare)) and not bare.isupper()


def strip_article(text: str) -> str:
    return re.sub(r"^(?:the|a|an|his|her|its|their)\s+", "", text.strip(), flags=re.IGNORECASE)


@cache
def surname_of(name: str) -> str:
    """The surname of a full name, particles kept: `Marieke van der Berg` -> `van der Berg`."""
    parsed = HumanName(name)
    last = str(parsed.last) or name.split()[-1]
    return last


def acronym_of(short: str, long: str) -> bool:
    """`CDC` for `Centers for Disease Control and Prevention`; `WHO` for `World Health Organization`."""
    if not ACRONYM.match(short.replace(".", "")) or len(short.replace(".", "")) < 3:
        return False
    initials = "".join(w[0] for w in long.split() if w[:1].isupper())
    return initials.startswith(short.replace(".", "")) and len(long.split()) > 1
