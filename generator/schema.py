"""The briefing format, version 1, written down once as data.

Each field type knows how to read a YAML node (reporting what is wrong with it)
and how to describe itself in JSON Schema, so `briefing check` and the schema
editors use can never disagree. `validate` walks a file's nodes with
`BRIEFING` and turns the result into the model.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol
from urllib.parse import urlsplit

from generator import FORMAT_VERSION
from generator.findings import got
from generator.model import ACTOR_KINDS, QUALIFIERS
from generator.yamlnodes import Broken, Mapping, Node, Scalar, Sequence

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?\Z")
_GROUPED_NUMBER = re.compile(r"-?[0-9]{1,3}(?:[,_ ][0-9]{3})+(?:\.[0-9]+)?\Z")


class Invalid:
    """The value of a field that was reported as wrong."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = Invalid()


class Context(Protocol):
    """What reading a field needs from the run: somewhere to report, and the seeds."""

    def error(self, node: Node, field: str, message: str) -> None: ...

    def mark(self, field: str, node: Node) -> None: ...

    def seed_problem(self, path: str) -> str | None: ...


class FieldType:
    """A kind of value. `read` returns the value, or INVALID after reporting why."""

    noun = "value"

    def read(self, node: Node, field: str, ctx: Context) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError


class ScalarType(FieldType):
    """A value written as one scalar. `read` takes its trimmed text; `convert` makes the value."""

    #: What the error says was expected when a list or a mapping came instead.
    expected = "a value"

    def read(self, node: Node, field: str, ctx: Context) -> Any:
        if isinstance(node, Scalar):
            return self.convert(node.value.strip(), node, field, ctx)
        if not isinstance(node, Broken):
            ctx.error(node, field, f"expected {self.expected} {_shape(node)}")
        return INVALID

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> Any:
        raise NotImplementedError


class Text(ScalarType):
    """Plain text, shown exactly as written; trimmed, never empty."""

    noun = expected = "text"

    def __init__(self, max_length: int | None = None, one_line: bool = False) -> None:
        self.max_length = max_length
        self.one_line = one_line

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> Any:
        if not text:
            ctx.error(node, field, "must not be empty")
            return INVALID
        if self.one_line and "\n" in text:
            ctx.error(node, field, f"must be one line {got(text)}")
            return INVALID
        if self.max_length is not None and len(text) > self.max_length:
            ctx.error(node, field, f"is {len(text)} characters long; at most {self.max_length} {got(text)}")
            return INVALID
        return text

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "minLength": 1}
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        if self.one_line:
            schema["pattern"] = "^[^\\n]*$"
        return schema


class Date(ScalarType):
    noun = "date"
    expected = "a date YYYY-MM-DD"

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> Any:
        if not _DATE.match(text):
            ctx.error(node, field, f"expected a date YYYY-MM-DD {got(text)}")
            return INVALID
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            ctx.error(node, field, f"no such date {got(text)}")
            return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"}


class Number(ScalarType):
    """An integer or decimal written with digits only: `270`, `0.5`, `-3`."""

    noun = "number"
    expected = "a number"

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> Any:
        if _NUMBER.match(text):
            return Decimal(text)
        hint = "; write it without separators, e.g. 1200000" if _GROUPED_NUMBER.match(text) else ""
        ctx.error(node, field, f"expected a number such as 270 or 0.5{hint} {got(text)}")
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": ["number", "string"], "pattern": "^-?\\d+(\\.\\d+)?$"}


class Boolean(ScalarType):
    noun = expected = "true or false"

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> Any:
        if text in ("true", "false"):
            return text == "true"
        ctx.error(node, field, f"expected true or false {got(text)}")
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


class Choice(ScalarType):
    noun = "choice"

    def __init__(self, options: tuple[str, ...]) -> None:
        self.options = options
        self.expected = "one of " + ", ".join(options)

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> Any:
        if text in self.options:
            return text
        ctx.error(node, field, f"expected {self.expected}{_did_you_mean(text, self.options)} {got(text)}")
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.options)}


class Slug(ScalarType):
    noun = "slug"
    expected = "a slug"

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> Any:
        if SLUG.match(text):
            return text
        ctx.error(node, field, f"expected a slug: lowercase a-z, 0-9 and single '-' between words {got(text)}")
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}


class Url(ScalarType):
    noun = "URL"
    expected = "a URL"

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> Any:
        if is_web_url(text):
            return text
        ctx.error(node, field, f"expected an http:// or https:// URL {got(text)}")
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "uri", "pattern": "^https?://[^\\s/?#]+[^\\s]*$"}


class SeedFile(ScalarType):
    """A path relative to the repository root, to a text file inside `seeds/`."""

    noun = "path"
    expected = "a path inside seeds/"

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> Any:
        problem = ctx.seed_problem(text)
        if problem:
            ctx.error(node, field, f"{problem} {got(text)}")
            return INVALID
        return text

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": "^seeds/"}


class TextOrDate(FieldType):
    """A date when written as YYYY-MM-DD, otherwise text: `coming days`."""

    noun = "text or date"

    def __init__(self) -> None:
        self.date = Date()
        self.text = Text()

    def read(self, node: Node, field: str, ctx: Context) -> Any:
        if isinstance(node, Scalar) and _DATE.match(node.value.strip()):
            return self.date.read(node, field, ctx)
        return self.text.read(node, field, ctx)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1}


class ListOf(FieldType):
    noun = "list"

    def __init__(self, item: FieldType, min_items: int = 0) -> None:
        self.item = item
        self.min_items = min_items

    def read(self, node: Node, field: str, ctx: Context) -> Any:
        """A tuple with an item per item written: INVALID in the place of each reported one."""
        if isinstance(node, Broken):
            return INVALID
        if not isinstance(node, Sequence):
            ctx.error(node, field, f"expected a list of {self.item.noun} {_shape(node)}")
            return INVALID
        values = []
        for index, child in enumerate(node.items):
            child_field = f"{field}[{index}]"
            ctx.mark(child_field, child)
            values.append(self.item.read(child, child_field, ctx))
        if len(values) < self.min_items:
            ctx.error(node, field, f"needs at least {self.min_items} {self.item.noun} (got an empty list)")
            return INVALID
        return tuple(values)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


@dataclass(frozen=True)
class Field:
    type: FieldType
    doc: str
    required: bool = False


class Record(FieldType):
    """A mapping with known keys. Reads to a dict of the keys present (values converted).

    A record with any problem reads as INVALID, unless it is `partial`: then it reads
    to the dict of its sound values, so that later rules can still check those.
    """

    def __init__(self, noun: str, title: str, fields: dict[str, Field], partial: bool = False) -> None:
        self.noun = noun
        self.title = title
        self.fields = fields
        self.partial = partial
        self.required = [key for key, spec in fields.items() if spec.required]

    def read(self, node: Node, field: str, ctx: Context) -> Any:
        if isinstance(node, Broken):
            return INVALID
        if not isinstance(node, Mapping):
            ctx.error(node, field, f"expected a mapping of keys ({', '.join(self.required)}) {_shape(node)}")
            return INVALID
        values: dict[str, Any] = {}
        ok = True
        prefix = f"{field}." if field else ""
        for key, (key_node, value_node) in node.items.items():
            child_field = prefix + key
            spec = self.fields.get(key)
            if spec is None:
                ctx.error(key_node, child_field, f"unknown key{_did_you_mean(key, self.fields)}")
                ok = False
                continue
            if isinstance(value_node, Scalar) and value_node.is_null:
                continue  # `key:` with nothing after it: as if not written
            ctx.mark(child_field, value_node)
            value = spec.type.read(value_node, child_field, ctx)
            if value is INVALID:
                ok = False
            else:
                values[key] = value
        for key in self.required:
            if key not in values and (key not in node.items or _is_null(node.items[key][1])):
                where = node.items[key][0] if key in node.items else node
                ctx.error(where, prefix + key, "required")
                ok = False
        return values if ok or self.partial else INVALID

    def json_schema(self) -> dict[str, Any]:
        properties = {}
        for key, spec in self.fields.items():
            properties[key] = {"description": spec.doc, **spec.type.json_schema()}
        schema: dict[str, Any] = {
            "type": "object",
            "title": self.title,
            "properties": properties,
            "additionalProperties": False,
        }
        if self.required:
            schema["required"] = self.required
        return schema


def _is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.is_null


def is_web_url(text: str) -> bool:
    """An absolute http:// or https:// URL with a host and no whitespace."""
    try:
        parts = urlsplit(text)
        absolute = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False
    return absolute and not any(c.isspace() for c in text)


def _shape(node: Node) -> str:
    if isinstance(node, Mapping):
        return "(got a mapping)"
    if isinstance(node, Sequence):
        return "(got a list)"
    if isinstance(node, Scalar):
        return got(node.value)
    return ""


def _did_you_mean(word: str, options: Any) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


ACTOR = Record(
    "actor",
    "Actor",
    {
        "name": Field(Text(one_line=True), "The person or body: `William Burns`, `Hezbollah`.", required=True),
        "role": Field(Text(one_line=True), "Their role here: `Director, CIA`."),
        "kind": Field(Choice(ACTOR_KINDS), "person (the default), organization, country or group."),
        "id": Field(Slug(), "Joins the same actor across briefings; defaults to the slug of the name."),
    },
)

FIGURE = Record(
    "figure",
    "Figure",
    {
        "value": Field(Number(), "The number, digits only: `270`, `0.5`, `1200000`.", required=True),
        "label": Field(Text(one_line=True), "What it counts: `sites targeted in Lebanon`.", required=True),
        "unit": Field(Text(one_line=True), "`%`, `planes`, `km`."),
        "qualifier": Field(Choice(QUALIFIERS), "about, over, under, nearly, at least or up to."),
        "evidence": Field(Text(), "A verbatim passage of a source file that states the figure."),
        "source": Field(Slug(), "The id of the source `evidence` is from."),
    },
)

QUOTE = Record(
    "quote",
    "Quote",
    {
        "text": Field(Text(), "The words, verbatim, without surrounding quotation marks.", required=True),
        "speaker": Field(Text(one_line=True), "Who said it: an actor's name or id, or any name.", required=True),
        "context": Field(Text(), "When and why it was said."),
        "source": Field(Slug(), "The id of the source it was reported in."),
    },
)

NEXT_STEP = Record(
    "next step",
    "Next step",
    {
        "text": Field(Text(), "What is expected to happen.", required=True),
        "when": Field(TextOrDate(), "`coming days`, or a date `2024-09-01`."),
        "who": Field(Text(one_line=True), "Who is expected to act."),
    },
)

SOURCE = Record(
    "source",
    "Source",
    {
        "id": Field(Slug(), "Referenced by `source:` in figures and quotes; defaults to s1, s2, ... by position."),
        "title": Field(Text(one_line=True), "The source's title.", required=True),
        "url": Field(Url(), "An http:// or https:// URL (a url or a file is required)."),
        "file": Field(SeedFile(), "The source's full text, a path inside `seeds/` (a url or a file is required)."),
        "publisher": Field(Text(one_line=True), "Who published it."),
        "published": Field(Date(), "When it was published, YYYY-MM-DD."),
    },
)

BRIEFING = Record(
    "briefing",
    "Briefing",
    {
        "title": Field(
            Text(max_length=140, one_line=True), "The headline: one line, at most 140 characters.", required=True
        ),
        "date": Field(
            Date(), "The day the briefing covers, YYYY-MM-DD; equal to the file name's prefix.", required=True
        ),
        "summary": Field(
            Text(max_length=600), "The bottom line, one to three sentences, at most 600 characters.", required=True
        ),
        "who": Field(ListOf(ACTOR, min_items=1), "The people and bodies involved.", required=True),
        "what": Field(ListOf(Text(), min_items=1), "The key developments, one sentence each.", required=True),
        "numbers": Field(ListOf(FIGURE), "The figures that matter."),
        "quotes": Field(ListOf(QUOTE), "What was said, verbatim."),
        "next": Field(ListOf(NEXT_STEP), "What happens next, what to watch."),
        "sources": Field(ListOf(SOURCE, min_items=1), "Where every fact comes from.", required=True),
        "location": Field(Text(one_line=True), "The dateline: `Cairo`."),
        "topics": Field(ListOf(Text(one_line=True)), "Tags: `Gaza ceasefire`."),
        "story": Field(Text(one_line=True), "A running story that joins briefings over time: `Israel-Hamas war`."),
        "updated": Field(Date(), "Last substantive update, YYYY-MM-DD, not before `date`."),
        "authors": Field(ListOf(Text(one_line=True)), "Who wrote the briefing."),
        "draft": Field(Boolean(), "true: checked, but not published. Defaults to false."),
    },
    partial=True,
)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a briefing file, for editors (`briefing check` is the authority)."""
    schema = BRIEFING.json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Briefing (format version {FORMAT_VERSION})",
        "description": (
            "One news briefing, written as YAML under briefings/. Every value is text unless the"
            " schema says otherwise; `briefing check` also verifies quotes and figures against seeds/."
        ),
        **{k: v for k, v in schema.items() if k != "title"},
    }
