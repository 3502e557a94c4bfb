"""The briefing, as plain immutable data. No I/O, no YAML: see `validate` for how it is made."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

ACTOR_KINDS = ("person", "organization", "country", "group")
QUALIFIERS = ("about", "over", "under", "nearly", "at least", "up to")
#: How many figures a briefing shows at a glance (`Briefing.key_figures`).
KEY_FIGURES = 3


@dataclass(frozen=True, slots=True)
class Actor:
    """A person or body involved: `William Burns`, `Hezbollah`."""

    name: str
    id: str
    kind: str = "person"
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """A number that matters, with what it counts."""

    value: Decimal
    label: str
    unit: str | None = None
    qualifier: str | None = None
    evidence: str | None = None
    source: str | None = None
    #: One of the figures that matter most: shown at a glance, on the home page and in share cards.
    lead: bool = False
    #: The name a story keeps for this figure from one briefing to the next (`rockets-fired`): its values are
    #: drawn over time on the story's page.
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """Words said, verbatim, and who said them."""

    text: str
    speaker: str
    context: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class NextStep:
    """What is expected to happen; `when` is a date or a text such as `coming days`."""

    text: str
    when: dt.date | str | None = None
    who: str | None = None


#: What a source's `rights` may say, from the most shown to the least.
RIGHTS = ("public", "excerpts", "private")


@dataclass(frozen=True, slots=True)
class Source:
    """Where facts come from: a URL, a file under `seeds/`, or both."""

    id: str
    title: str
    url: str | None = None
    file: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    #: What the site may show of its text: `public` (the default: receipts with their sentences, and its own page
    #: with `publish_sources`), `excerpts` (receipts of the matched words only, no page), `private` (no words).
    rights: str | None = None

    @property
    def shown(self) -> str:
        """The rights that apply: `public` unless the source says otherwise."""
        return self.rights or "public"


@dataclass(frozen=True, slots=True)
class Correction:
    """A correction made after publication: when, and what was wrong and what is right now."""

    date: dt.date
    text: str


@dataclass(frozen=True, slots=True)
class Retraction:
    """A briefing withdrawn after publication: when, and why. Its page keeps its address and says so."""

    date: dt.date
    reason: str


@dataclass(frozen=True, slots=True)
class Briefing:
    """One news briefing, as its YAML file says, with defaults filled in."""

    slug: str
    title: str
    date: dt.date
    summary: str
    who: tuple[Actor, ...]
    what: tuple[str, ...]
    sources: tuple[Source, ...]
    numbers: tuple[Figure, ...] = ()
    quotes: tuple[Quote, ...] = ()
    next: tuple[NextStep, ...] = ()
    location: str | None = None
    topics: tuple[str, ...] = ()
    story: str | None = None
    updated: dt.date | None = None
    authors: tuple[str, ...] = ()
    draft: bool = False
    corrections: tuple[Correction, ...] = ()
    #: Why it matters: one or two sentences.
    why: str | None = None
    #: What `briefing draft` wrote that no person has changed or accepted yet: `<field> <digest>` each.
    unchecked: tuple[str, ...] = ()
    #: The embargo: not published before this moment (a date and time with its zone).
    publish_at: dt.datetime | None = None
    #: Withdrawn after publication: the page becomes a notice, and the briefing leaves every list.
    retracted: Retraction | None = None

    def embargoed(self, now: dt.datetime) -> bool:
        """Whether the briefing is held until a moment after `now` (an aware date and time)."""
        return self.publish_at is not None and self.publish_at > now

    def actor(self, name_or_id: str) -> Actor | None:
        """The actor a quote's speaker names, by id or by name."""
        for actor in self.who:
            if actor.id == name_or_id or actor.name == name_or_id:
                return actor
        return None

    def key_figures(self, count: int = KEY_FIGURES) -> tuple[Figure, ...]:
        """The figures that matter most: those marked `lead`, else the first ones; at most `count`."""
        marked = tuple(figure for figure in self.numbers if figure.lead)
        return (marked or self.numbers)[:count]


def newest_first(briefings: Iterable[Briefing]) -> list[Briefing]:
    """Newest date first; the same day by slug, so the order never depends on the file system."""
    ordered = sorted(briefings, key=lambda b: b.slug)
    return sorted(ordered, key=lambda b: b.date, reverse=True)


#: The order of a briefing's keys when written out (the order the docs teach).
BRIEFING_KEYS = (
    "title",
    "date",
    "updated",
    "location",
    "story",
    "topics",
    "authors",
    "draft",
    "publish_at",
    "retracted",
    "unchecked",
    "summary",
    "why",
    "who",
    "what",
    "numbers",
    "quotes",
    "next",
    "sources",
    "corrections",
)


def mark_digest(text: str) -> str:
    """The digest an `unchecked` mark keeps of a field's text as drafted: 8 hexadecimal digits of its SHA-256,
    white space runs as one space."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()[:8]


def to_data(briefing: Briefing) -> dict[str, Any]:
    """The briefing as plain data with the YAML's field names; empty optional fields left out.

    Dates stay `datetime.date` and figures `Decimal`: the caller picks how to write them.
    """
    data: dict[str, Any] = {}
    for key in BRIEFING_KEYS:
        value = getattr(briefing, key)
        if key == "draft" and not value:
            continue
        if value is None or value == ():
            continue
        if isinstance(value, tuple):
            value = [_record(item) if hasattr(item, "__dataclass_fields__") else item for item in value]
        elif hasattr(value, "__dataclass_fields__"):
            value = _record(value)
        data[key] = value
    return data


def _record(item: Any) -> dict[str, Any]:
    """An item's fields, without those not written: None, and a flag left false (a figure's `lead`)."""
    return {f.name: value for f in fields(item) if (value := getattr(item, f.name)) is not None and value is not False}


#: Characters YAML does not allow written raw (C1 controls, DEL, lone surrogates, U+FFFE/FFFF), or
#: reads as line breaks (NEL, U+2028, U+2029): written as `\\u` escapes in a double-quoted scalar.
_NOT_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def yaml_scalar(value: Any) -> str:
    """A value as a YAML flow scalar any YAML parser reads back as it is: JSON, whose strings are
    YAML's double-quoted scalars.

    Not as ASCII: JSON writes a character beyond U+FFFF (an emoji) as two `\\u` escapes of
    surrogates, which YAML does not read as one character.
    """
    text = json.dumps(value, ensure_ascii=False)
    return _NOT_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def to_yaml(briefing: Briefing) -> str:
    """The briefing written back as a briefing file (every value as text, in the docs' key order)."""
    import yaml

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, bool):
            return value
        if isinstance(value, Decimal):
            return format(value, "f")
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    data = plain(to_data(briefing))
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
