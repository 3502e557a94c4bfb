"""Briefings for machines: the Atom feed (`/feed.xml`) and the JSON export (`/briefings.json`).

Pure functions of the briefings and the site's settings: no MkDocs, no I/O, no
clock. The same briefings give byte-identical output, so a build writes these
files only when a briefing changed. Which briefings to pass (published ones, or
drafts too in a preview) is the caller's choice; here a draft is just a briefing.

The schema of the JSON export (`export_schema`) is derived from the format's
own table, `generator.format.schema.BRIEFING`, so the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

from generator import FORMAT_VERSION, __version__
from generator.format.model import Briefing, newest_first, to_data
from generator.format.schema import (
    ACTOR,
    BRIEFING,
    SLUG,
    SOURCE,
    Boolean,
    Choice,
    Date,
    FieldType,
    ListOf,
    Moment,
    Number,
    Record,
    SeedFile,
    Slug,
    Text,
    TextOrDate,
    Url,
)
from generator.site.links import briefing_address
from generator.site.settings import Settings

#: How many briefings the feed carries (the newest).
FEED_COUNT = 50

#: The feed's `<updated>` when it has no entry: a fixed instant, never "now".
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

#: The address of the feed, relative to the site's root.
FEED_PATH = "feed.xml"

#: A briefing's slug: its file name without the extension, `YYYY-MM-DD-words`.
BRIEFING_SLUG_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}(-[a-z0-9]+)+$"

#: Fields of the format that the export leaves out: drafts are never published.
NOT_EXPORTED = frozenset({"draft"})

#: Optional fields of a record that the export always has, because the model fills
#: in their defaults (an actor's kind and id, a source's id).
ALWAYS_PRESENT: dict[Record[Any], tuple[str, ...]] = {ACTOR: ("kind", "id"), SOURCE: ("id",)}

#: Optional fields of a record of which the format requires at least one (a source's url or file).
AT_LEAST_ONE: dict[Record[Any], tuple[str, ...]] = {SOURCE: ("url", "file")}

#: Field types whose value is exported as the same JSON its YAML text describes:
#: text stays text, a date is written YYYY-MM-DD, a choice, slug or URL as written.
_AS_WRITTEN = (Text, Date, Moment, TextOrDate, Choice, Slug, Url, SeedFile, Boolean)


def page_url(site: Settings, briefing: Briefing) -> str:
    """The absolute address of a briefing's page: `<site.url>briefings/<slug>/`."""
    if not SLUG.match(briefing.slug):
        raise ValueError(f"not a slug (got {briefing.slug!r})")
    return site.url + briefing_address(briefing)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _updated(briefing: Briefing) -> dt.datetime:
    if briefing.retracted is not None:
        return _midnight(max(briefing.retracted.date, briefing.updated or briefing.date))
    return _midnight(briefing.updated or briefing.date)


def feed_xml(
    briefings: list[Briefing],
    site: Settings,
    *,
    title: str | None = None,
    description: str | None = None,
    path: str = FEED_PATH,
    page: str = "",
    count: int = FEED_COUNT,
) -> bytes:
    """The Atom 1.0 feed of the newest `count` briefings (given in any order), as UTF-8 XML.

    The feed's `<updated>` is the latest `<updated>` of its entries (1970-01-01 with
    none), and its `<generator>` names this project, so nothing in it depends on the
    clock or on the installed feedgen. The site is the feed's author, which covers the
    entries with no `authors` (Atom requires an author for each entry, or the feed).
    A story's feed (`path` `stories/<address>/feed.xml`) has its page's address `page` as its
    id and alternate link, and its own address as its self link. Its title and subtitle are the site's name
    and description unless `title` and `description` are given.
    """
    root = site.url
    site_name = site.name if title is None else title
    description = site.description if description is None else description
    if not site_name.strip():
        raise ValueError(f"site_name must not be empty (got {site_name!r})")
    entries = newest_first(briefings)[:count]

    feed = FeedGenerator()
    feed.id(root + page)
    feed.title(site_name)
    if description.strip():
        feed.subtitle(description)
    feed.link(href=root + page, rel="alternate", type="text/html")
    feed.link(href=root + path, rel="self", type="application/atom+xml")
    feed.author({"name": site_name})
    # feedgen's default names itself and its version; and its default <updated> is now.
    feed.generator("Briefings", version=__version__)
    feed.updated(max((_updated(b) for b in entries), default=EPOCH))

    for briefing in entries:
        url = page_url(site, briefing)
        entry = feed.add_entry(order="append")  # feedgen prepends by default
        entry.id(url)
        entry.title(briefing.title)
        # feedgen 1.0 writes an entry's link with its href only (lkiesow/python-feedgen#135);
        # a link with no rel is the alternate link all the same (RFC 4287, 4.2.7.2).
        entry.link(href=url, rel="alternate")
        entry.published(_midnight(briefing.date))
        entry.updated(_updated(briefing))
        # no type: Atom's default, plain text, escaped by lxml; a correction leads, as on the page
        if briefing.retracted is not None:  # the entry updated to say so, and nothing more of it
            entry.title(f"Retracted: {briefing.title}")
            entry.summary(f"Retracted on {briefing.retracted.date.isoformat()}: {briefing.retracted.reason}")
            continue
        corrections = sorted(briefing.corrections, key=lambda c: c.date, reverse=True)
        notes = "".join(f"Correction, {c.date.isoformat()}: {c.text} " for c in corrections)
        entry.summary(notes + briefing.summary)
        for name in briefing.authors:
            entry.author({"name": name})
        for topic in briefing.topics:
            entry.category({"term": topic, "label": topic})

    xml: bytes = feed.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return xml


def _number(value: Decimal) -> int | float:
    """A figure's value as a JSON number: an int when integral, else the nearest float.

    `json` cannot write a Decimal. A float is written as the shortest text that reads
    back as the same float, so a decimal of up to 15 significant digits (`0.5`,
    `12.75`, `3.14159`) is written with exactly its digits; a longer one is rounded
    to the nearest double, which is what a JSON reader would make of it anyway.
    """
    if not value.is_finite():
        raise ValueError(f"a figure's value must be a finite number (got {value!r})")
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _plain(value: Any) -> Any:
    """Model values as JSON values: dates YYYY-MM-DD, decimals numbers, the rest as is."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def export_briefing(briefing: Briefing, site: Settings) -> dict[str, Any]:
    """One briefing as the export writes it: `slug`, `url`, then the YAML's fields in the YAML's order."""
    data = {key: value for key, value in to_data(briefing).items() if key not in NOT_EXPORTED}
    reviewer = site.reviewer_of(briefing.slug)
    extra = {"reviewed_by": reviewer} if reviewer else {}
    return {"slug": briefing.slug, "url": page_url(site, briefing), **_plain(data), **extra}


def export_data(briefings: list[Briefing], site: Settings) -> dict[str, Any]:
    """`{"format_version": ..., "briefings": [...]}`: every briefing given, newest first."""
    return {
        "format_version": FORMAT_VERSION,
        "briefings": [export_briefing(briefing, site) for briefing in newest_first(briefings)],
    }


def export_json(briefings: list[Briefing], site: Settings) -> str:
    """`/briefings.json`: `export_data` as compact UTF-8 JSON on one line, ending with a newline."""
    data = export_data(briefings, site)
    return json.dumps(data, ensure_ascii=False, sort_keys=False, allow_nan=False, separators=(",", ":")) + "\n"


def _exported(field_type: FieldType[object]) -> dict[str, Any]:
    """The JSON Schema of a field's value as the export writes it."""
    if isinstance(field_type, Record):
        return _record(field_type)
    if isinstance(field_type, ListOf):
        schema: dict[str, Any] = {"type": "array", "items": _exported(field_type.item)}
        if field_type.min_items:
            schema["minItems"] = field_type.min_items
        if field_type.max_items is not None:
            schema["maxItems"] = field_type.max_items
        return schema
    if isinstance(field_type, Number):
        return {"type": "number"}  # written as text in YAML, as a number in JSON
    if isinstance(field_type, _AS_WRITTEN):
        return field_type.json_schema()
    # A new kind of field needs a decision here about how it is exported.
    raise TypeError(f"no export form for the field type {type(field_type).__name__}")


def _record(record: Record[Any]) -> dict[str, Any]:
    always = ALWAYS_PRESENT.get(record, ())
    properties = {
        key: {"description": spec.doc, **_exported(spec.type)}
        for key, spec in record.fields.items()
        if key not in NOT_EXPORTED
    }
    schema: dict[str, Any] = {
        "type": "object",
        "title": record.title,
        "properties": properties,
        "additionalProperties": False,
    }
    required = [key for key in properties if record.fields[key].required or key in always]
    if required:
        schema["required"] = required
    if record in AT_LEAST_ONE:
        schema["anyOf"] = [{"required": [key]} for key in AT_LEAST_ONE[record]]
    return schema


def export_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `/briefings.json`, derived from the format's own table."""
    briefing = _record(BRIEFING)
    briefing["properties"] = {
        "slug": {
            "description": "The briefing's file name without the extension: YYYY-MM-DD-words.",
            "type": "string",
            "pattern": BRIEFING_SLUG_PATTERN,
        },
        "url": {
            "description": "The absolute address of the briefing's page: <site>/briefings/<slug>/.",
            **Url().json_schema(),
        },
        **briefing["properties"],
        "reviewed_by": {
            "description": "Who merged the change that last touched the briefing, read from git (the plugin's"
            " opt-in reviewed_by); left out when git records no one.",
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
        },
    }
    briefing["required"] = ["slug", "url", *briefing["required"]]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Briefings export (format version {FORMAT_VERSION})",
        "description": (
            "/briefings.json: every published briefing, newest first, with the field names of the"
            " briefing files plus slug and url. Dates are YYYY-MM-DD, figures are numbers, optional"
            " fields that are empty are left out, and drafts are never exported."
        ),
        "type": "object",
        "properties": {
            "format_version": {
                "description": "The version of the briefing format the briefings are written in.",
                "const": FORMAT_VERSION,
            },
            "briefings": {
                "description": "Every published briefing, newest first (by date, then slug).",
                "type": "array",
                "items": briefing,
            },
        },
        "required": ["format_version", "briefings"],
        "additionalProperties": False,
    }
