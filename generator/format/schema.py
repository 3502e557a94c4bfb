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
from collections.abc import Callable, Iterable
from collections.abc import Mapping as ReadValues
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, Final, Generic, Protocol, TypeVar, get_args, get_type_hints

from generator import FORMAT_VERSION
from generator.format.findings import got
from generator.format.model import (
    ACTOR_KINDS,
    BRIEFING_KEYS,
    KEY_FIGURES,
    QUALIFIERS,
    RIGHTS,
    Actor,
    Briefing,
    Correction,
    Figure,
    NextStep,
    Quote,
    Retraction,
    Source,
)
from generator.format.urls import URL_PATTERN, url_host, url_problem
from generator.format.yamlnodes import Broken, Mapping, Node, Scalar, Sequence

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_MOMENT_PATTERN = (
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})$"
)
_MOMENT = re.compile(_MOMENT_PATTERN.strip("^$") + r"\Z")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?\Z")
_GROUPED_NUMBER = re.compile(r"-?[0-9]{1,3}(?:[,_ ][0-9]{3})+(?:\.[0-9]+)?\Z")

# --- the format's limits (docs/format.md, "Limits") ----------------------------------

#: A headline.
TITLE_LENGTH = 140
#: The bottom line.
SUMMARY_LENGTH = 600
#: Why it matters.
WHY_LENGTH = 300
#: The most marks `unchecked` holds: a draft's title, summary, `what` items and guessed speakers.
UNCHECKED_ITEMS = 80
#: A figure's key: an address, whose bound is the address rule's (`rules.addresses.MAX_CHARS`; a slug is ASCII,
#: so its 200 bytes follow).
KEY_LENGTH = 80
#: Names and short labels: name, role, label, unit, speaker, topics[], story, location,
#: authors[], a source's title and publisher.
SHORT_LENGTH = 200
#: Every other text (what[], evidence, a quote's text, context, a next step's text, who
#: and when, a correction's text), and every other value written as text (ids, URLs,
#: file paths): what no sentence-sized value comes near.
LONG_LENGTH = 1000
#: Digits of a figure's value: significant ones (from the first non-zero digit to the last
#: digit written), and ones after the decimal point. 15 is what a double (a JSON number)
#: holds exactly, so every value allowed is exported as written.
MAX_DIGITS = 15
#: The days a briefing's dates may name: its `date` and `updated`, its corrections' dates and its
#: next steps' dated `when`. Every output carries them: the pages are dated by them, and MkDocs
#: stamps the compressed sitemap with the newest page's date in gzip's 32-bit count of seconds
#: since 1970 (the build stops on a day before 1970-01-01 or after 2106-02-07); the calendar's
#: all-day event ends the day after its day. The ceiling is well inside every such limit.
EARLIEST_DATE = dt.date(1970, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)
#: The earliest day a source may have been published: a source can be far older than the news it
#: informs (a treaty, a charter, an old report), and the date is only shown and exported.
EARLIEST_PUBLISHED = dt.date(1000, 1, 1)


#: How the problem of a source file starts when the source texts are kept outside the repository
#: (`BRIEFINGS_SOURCES_DIR`) and are not where it says in this run: not an error of the briefing.
SEED_ABSENT = "is not here"

#: What `briefing new` writes where a person must write the real thing: text starting with
#: it, and URLs on the reserved `.invalid` domain, are warnings ("placeholder"), so that
#: `briefing check --strict` refuses a briefing nobody finished.
PLACEHOLDER = "TODO"
PLACEHOLDER_HOST = ".invalid"


class Invalid:
    """The value of a field that was reported as wrong."""

    def __repr__(self) -> str:
        return "INVALID"


#: The one `Invalid`: test a value with `isinstance(value, Invalid)` (or `is INVALID`).
INVALID: Final = Invalid()

#: What a field type reads (covariant: a `FieldType[str]` is a `FieldType[object]`).
T = TypeVar("T", covariant=True)
#: What each item of a list reads.
Item = TypeVar("Item", covariant=True)
#: The model dataclass a record builds.
M = TypeVar("M", bound="DataclassInstance")

#: What a record reads: each key written (and sound) to what its field's type read.
Values = dict[str, object]


class Context(Protocol):
    """What reading a field needs from the run: somewhere to report, and the seeds."""

    def error(self, node: Node, field: str, message: str) -> None: ...

    def warning(self, node: Node, field: str, message: str) -> None: ...

    def mark(self, field: str, node: Node) -> None: ...

    def seed_problem(self, path: str) -> str | None: ...


class FieldType(Generic[T]):
    """A kind of value. `read` returns the value, a `T`, or INVALID after reporting why."""

    noun = "value"

    def read(self, node: Node, field: str, ctx: Context) -> T | Invalid:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def holds(self) -> object:
        """The type a model's field holds for this value: the `T` a subclass names (`Text` is a
        `ScalarType[str]`, so `str`); a list's and a record's say what they become once built."""
        for cls in type(self).__mro__:
            for base in getattr(cls, "__orig_bases__", ()):
                args = get_args(base)
                if args and not isinstance(args[0], TypeVar):
                    return args[0]
        raise TypeError(f"{type(self).__name__} names no type it reads")


class ScalarType(FieldType[T]):
    """A value written as one scalar. `read` takes its trimmed text; `convert` makes the value."""

    #: What the error says was expected when a list or a mapping came instead.
    expected = "a value"
    #: The most characters the trimmed text may have; None when its form bounds it already.
    max_length: int | None = None

    def read(self, node: Node, field: str, ctx: Context) -> T | Invalid:
        if isinstance(node, Scalar):
            text = node.value.strip()
            if self.max_length is not None and len(text) > self.max_length:
                ctx.error(node, field, _too_long(text, self.max_length))
                return INVALID
            return self.convert(text, node, field, ctx)
        if not isinstance(node, Broken):
            ctx.error(node, field, f"expected {self.expected} {_shape(node)}")
        return INVALID

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> T | Invalid:
        raise NotImplementedError


class Text(ScalarType[str]):
    """Plain text, shown exactly as written; trimmed, never empty, at most `max_length` characters.

    Characters are Unicode code points, counted after trimming (a line break is one).
    """

    noun = expected = "text"
    max_length: int

    def __init__(self, max_length: int = LONG_LENGTH, one_line: bool = False) -> None:
        self.max_length = max_length
        self.one_line = one_line

    def read(self, node: Node, field: str, ctx: Context) -> str | Invalid:
        # The length is checked after the other rules (ScalarType checks it first).
        if isinstance(node, Scalar):
            return self.convert(node.value.strip(), node, field, ctx)
        return super().read(node, field, ctx)

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> str | Invalid:
        if not text:
            ctx.error(node, field, "must not be empty")
            return INVALID
        if self.one_line and "\n" in text:
            ctx.error(node, field, f"must be one line {got(text)}")
            return INVALID
        if len(text) > self.max_length:
            ctx.error(node, field, _too_long(text, self.max_length))
            return INVALID
        if text.startswith(PLACEHOLDER):
            ctx.warning(node, field, f"placeholder text: write the real text before publishing {got(text)}")
        return text

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": self.max_length}
        if self.one_line:
            schema["pattern"] = "^[^\\n]*$"
        return schema


def _too_long(text: str, max_length: int) -> str:
    return f"is {len(text):,} characters long; at most {max_length:,} {got(text)}"


class Date(ScalarType[dt.date]):
    """A day written YYYY-MM-DD, from `earliest` to `latest` (both whole years: the schema's pattern says so)."""

    noun = "date"
    expected = "a date YYYY-MM-DD"

    def __init__(self, earliest: dt.date = EARLIEST_DATE, latest: dt.date = LATEST_DATE) -> None:
        if (earliest.month, earliest.day, latest.month, latest.day) != (1, 1, 12, 31):
            raise ValueError(f"a date's bounds are whole years (got {earliest} to {latest})")
        self.earliest = earliest
        self.latest = latest

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> dt.date | Invalid:
        read = partial(_dated, text, node, field, ctx)
        return read(_DATE, self.expected, "date", dt.date.fromisoformat, lambda day: day, self.earliest, self.latest)

    def pattern(self) -> str:
        """YYYY-MM-DD with a year from `earliest`'s to `latest`'s (the day itself is left to `format`)."""
        return f"^(?:{_digits_from_to(f'{self.earliest.year:04d}', f'{self.latest.year:04d}')})-\\d{{2}}-\\d{{2}}$"

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": self.pattern()}


def _digits_from_to(low: str, high: str) -> str:
    """A regular expression for the numbers from `low` to `high`, each written with as many digits."""
    if low == high:
        return low
    rest = len(low) - 1
    if low[1:] == "0" * rest and high[1:] == "9" * rest:
        first = _digit_range(low[0], high[0])
        return _any_digits(rest + 1) if first == "\\d" else first + _any_digits(rest)
    if low[0] == high[0]:
        return low[0] + _group(_digits_from_to(low[1:], high[1:]))
    parts = [low[0] + _group(_digits_from_to(low[1:], "9" * rest))]
    if int(high[0]) - int(low[0]) > 1:
        parts.append(_digit_range(str(int(low[0]) + 1), str(int(high[0]) - 1)) + _any_digits(rest))
    parts.append(high[0] + _group(_digits_from_to("0" * rest, high[1:])))
    return "|".join(parts)


def _digit_range(low: str, high: str) -> str:
    return low if low == high else "\\d" if (low, high) == ("0", "9") else f"[{low}-{high}]"


def _any_digits(count: int) -> str:
    return "" if count == 0 else "\\d" if count == 1 else f"\\d{{{count}}}"


def _group(pattern: str) -> str:
    return f"(?:{pattern})" if "|" in pattern else pattern


class Number(ScalarType[Decimal]):
    """An integer or decimal written with digits only: `270`, `0.5`, `-3`.

    At most MAX_DIGITS significant digits (from the first non-zero digit to the last
    digit written: 1200000 has 7, 0.5 has 1, 1.50 has 3) and at most MAX_DIGITS digits
    after the decimal point (so that 0.000...1 cannot turn into 0 as a JSON number).
    """

    noun = "number"
    expected = "a number"

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> Decimal | Invalid:
        if not _NUMBER.match(text):
            hint = "; write it without separators, e.g. 1200000" if _GROUPED_NUMBER.match(text) else ""
            ctx.error(node, field, f"expected a number such as 270 or 0.5{hint} {got(text)}")
            return INVALID
        whole, _, fraction = text.lstrip("-").partition(".")
        significant = len((whole + fraction).lstrip("0"))
        if significant > MAX_DIGITS:
            ctx.error(node, field, f"has {significant:,} significant digits; at most {MAX_DIGITS} {got(text)}")
            return INVALID
        if len(fraction) > MAX_DIGITS:
            ctx.error(
                node, field, f"has {len(fraction):,} digits after the decimal point; at most {MAX_DIGITS} {got(text)}"
            )
            return INVALID
        return Decimal(text)

    def json_schema(self) -> dict[str, Any]:
        # Zero (any number of zeros, and up to 15 after the point), or a number whose digits
        # from its first non-zero one number 1 to 15, with up to 15 after the point.
        n = MAX_DIGITS
        pattern = f"^-?(?:0+(?:\\.\\d{{1,{n}}})?|0*(?=[1-9])(?=(?:\\.?\\d){{1,{n}}}$)\\d+(?:\\.\\d{{1,{n}}})?)$"
        return {"type": ["number", "string"], "pattern": pattern}


D = TypeVar("D", dt.date, dt.datetime)


def _dated(
    text: str,
    node: Node,
    field: str,
    ctx: Context,
    form: re.Pattern[str],
    expected: str,
    noun: str,
    parse: Callable[[str], D],
    day_of: Callable[[D], dt.date],
    earliest: dt.date,
    latest: dt.date,
) -> D | Invalid:
    """A day or a moment written in `form` (else `expected …`), that exists (else `no such …`), on a day from
    `earliest` to `latest` (else `must be from …`)."""
    if not form.match(text):
        ctx.error(node, field, f"expected {expected} {got(text)}")
        return INVALID
    try:
        value = parse(text)
    except ValueError:
        ctx.error(node, field, f"no such {noun} {got(text)}")
        return INVALID
    if not earliest <= day_of(value) <= latest:
        ctx.error(node, field, f"must be from {earliest} to {latest} {got(text)}")
        return INVALID
    return value


class Moment(ScalarType[dt.datetime]):
    """A date and time with its zone, ISO 8601: `2026-12-08T09:00:00+01:00`, `2026-12-08T08:00Z`; its day from
    EARLIEST_DATE to LATEST_DATE. A time without a zone is refused: an embargo means one moment everywhere."""

    noun = "date and time"
    expected = "a date and time with its zone, YYYY-MM-DDTHH:MM[:SS]+HH:MM or Z"
    max_length = 40

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> dt.datetime | Invalid:
        read = partial(_dated, text, node, field, ctx)
        return read(
            _MOMENT,
            self.expected,
            "date and time",
            dt.datetime.fromisoformat,
            dt.datetime.date,
            EARLIEST_DATE,
            LATEST_DATE,
        )

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date-time", "pattern": _MOMENT_PATTERN}


class Boolean(ScalarType[bool]):
    noun = expected = "true or false"

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> bool | Invalid:
        if text in ("true", "false"):
            return text == "true"
        ctx.error(node, field, f"expected true or false {got(text)}")
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


class Choice(ScalarType[str]):
    noun = "choice"

    def __init__(self, options: tuple[str, ...]) -> None:
        self.options = options
        self.expected = "one of " + ", ".join(options)

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> str | Invalid:
        if text in self.options:
            return text
        ctx.error(node, field, f"expected {self.expected}{_did_you_mean(text, self.options)} {got(text)}")
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.options)}


class Slug(ScalarType[str]):
    noun = "slug"
    expected = "a slug"
    max_length = LONG_LENGTH

    def __init__(self, max_length: int = LONG_LENGTH) -> None:
        self.max_length = max_length

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> str | Invalid:
        if SLUG.match(text):
            return text
        ctx.error(node, field, f"expected a slug: lowercase a-z, 0-9 and single '-' between words {got(text)}")
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "maxLength": self.max_length, "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}


class Url(ScalarType[str]):
    noun = "URL"
    expected = "a URL"
    max_length = LONG_LENGTH

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> str | Invalid:
        problem = url_problem(text)
        if problem is None:
            if url_host(text).endswith(PLACEHOLDER_HOST):
                ctx.warning(node, field, f"placeholder URL: give the source's real address {got(text)}")
            return text
        ctx.error(node, field, f"expected an http:// or https:// URL{problem and ': '}{problem} {got(text)}")
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "maxLength": self.max_length, "format": "uri", "pattern": URL_PATTERN}


class SeedFile(ScalarType[str]):
    """A path relative to the repository root, to a text file inside `seeds/`."""

    noun = "path"
    expected = "a path inside seeds/"
    max_length = LONG_LENGTH

    def convert(self, text: str, node: Node, field: str, ctx: Context) -> str | Invalid:
        problem = ctx.seed_problem(text)
        if problem and problem.startswith(SEED_ABSENT):
            return text  # kept elsewhere and not here: what it leaves unverified is a notice (`validate`)
        if problem:
            ctx.error(node, field, f"{problem} {got(text)}")
            return INVALID
        return text

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "maxLength": self.max_length, "pattern": "^seeds/"}


class TextOrDate(FieldType[dt.date | str]):
    """A date when written as YYYY-MM-DD, otherwise text: `coming days`."""

    noun = "text or date"

    def __init__(self, max_length: int = LONG_LENGTH) -> None:
        self.date = Date()
        self.text = Text(max_length)

    def read(self, node: Node, field: str, ctx: Context) -> dt.date | str | Invalid:
        if isinstance(node, Scalar) and _DATE.match(node.value.strip()):
            return self.date.read(node, field, ctx)
        return self.text.read(node, field, ctx)

    def json_schema(self) -> dict[str, Any]:
        # Text, or, when it is written YYYY-MM-DD, a date in the bounds.
        return {
            "type": "string",
            "minLength": 1,
            "maxLength": self.text.max_length,
            "anyOf": [{"not": {"pattern": _DATE_PATTERN}}, {"format": "date", "pattern": self.date.pattern()}],
        }


class ListOf(FieldType[tuple[Item | Invalid, ...]]):
    """A list of at least `min_items` and at most `max_items` items.

    A list longer than `max_items` is one error, at the first item past the bound
    (`topics[8]: is topic 9; at most 8 topics (the list has 9)`); the items up to the
    bound are checked as usual, the ones past it are not read at all, and the list
    reads as INVALID.
    """

    noun = "list"

    def __init__(
        self,
        item: FieldType[Item],
        min_items: int = 0,
        max_items: int | None = None,
        names: tuple[str, str] | None = None,
    ) -> None:
        self.item = item
        self.min_items = min_items
        self.max_items = max_items
        #: What one item and several are called in messages: ("topic", "topics").
        self.names = names or (item.noun, item.noun + "s")

    def holds(self) -> object:
        """A tuple of what each item holds (the invalid ones are reported, never built)."""
        return tuple[self.item.holds(), ...]  # type: ignore[misc]

    def read(self, node: Node, field: str, ctx: Context) -> tuple[Item | Invalid, ...] | Invalid:
        """A tuple with an item per item written: INVALID in the place of each reported one."""
        if isinstance(node, Broken):
            return INVALID
        if not isinstance(node, Sequence):
            ctx.error(node, field, f"expected a list of {self.item.noun} {_shape(node)}")
            return INVALID
        items = node.items
        if self.max_items is not None:
            items = items[: self.max_items]
        values: list[Item | Invalid] = []
        for index, child in enumerate(items):
            child_field = f"{field}[{index}]"
            ctx.mark(child_field, child)
            values.append(self.item.read(child, child_field, ctx))
        if self.max_items is not None and len(node.items) > self.max_items:
            one, many = self.names
            ctx.error(
                node.items[self.max_items],
                f"{field}[{self.max_items}]",
                f"is {one} {self.max_items + 1}; at most {self.max_items} {many} (the list has {len(node.items):,})",
            )
            return INVALID
        if len(values) < self.min_items:
            ctx.error(node, field, f"needs at least {self.min_items} {self.item.noun} (got an empty list)")
            return INVALID
        return tuple(values)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        return schema


@dataclass(frozen=True)
class Field:
    type: FieldType[object]
    doc: str
    required: bool = False


class Record(FieldType[Values], Generic[M]):
    """A mapping with known keys. Reads to a dict of the keys present (values converted).

    A record with any problem reads as INVALID, unless it is `partial`: then it reads
    to the dict of its sound values, so that later rules can still check those.

    It names the `model` dataclass it becomes (`build`): the dataclass has a field for each
    key, and beyond them only the `derived` ones (made from the file, not written in it);
    a key in one and not the other is a TypeError when the record is made.
    """

    def __init__(
        self,
        noun: str,
        title: str,
        fields: dict[str, Field],
        partial: bool = False,
        *,
        model: type[M],
        derived: tuple[str, ...] = (),
    ) -> None:
        self.noun = noun
        self.title = title
        self.fields = fields
        self.partial = partial
        self.required = [key for key, spec in fields.items() if spec.required]
        self.model = model
        self.derived = derived
        _check_shape(self)

    def holds(self) -> object:
        return self.model

    def build(self, values: ReadValues[str, object], **derived: object) -> M:
        """The model made from what `read` returned (every required key there), `derived` given or replacing values."""
        return self.model(**{**values, **derived})

    def read(self, node: Node, field: str, ctx: Context) -> Values | Invalid:
        if isinstance(node, Broken):
            return INVALID
        if not isinstance(node, Mapping):
            ctx.error(node, field, f"expected a mapping of keys ({', '.join(self.required)}) {_shape(node)}")
            return INVALID
        values: Values = {}
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


#: A type a value read has, for `value_of` and its kin.
V = TypeVar("V")


def value_of(values: ReadValues[str, object], key: str, kind: type[V]) -> V | None:
    """What a record's `read` put at `key`, as the type its field reads; None when it read nothing there.

    A value of another type is a TypeError: a field's type and the caller disagree (a bug, never the input).
    """
    value = values.get(key)
    if value is None:
        return None
    if not isinstance(value, kind):
        raise TypeError(f"{key} was read as {type(value).__name__}, not {kind.__name__}")
    return value


def required_of(values: ReadValues[str, object], key: str, kind: type[V]) -> V:
    """`value_of` a key that is there: a required key of a record read without a problem."""
    value = value_of(values, key, kind)
    if value is None:
        raise KeyError(key)
    return value


def items_of(values: ReadValues[str, object], key: str, kind: type[V]) -> list[tuple[int, V]]:
    """The items of the list read at `key` that were read without a problem, with their index (none when no list)."""
    items = value_of(values, key, tuple) or ()
    sound = [(index, item) for index, item in enumerate(items) if not isinstance(item, Invalid)]
    for _, item in sound:
        if not isinstance(item, kind):
            raise TypeError(f"an item of {key} was read as {type(item).__name__}, not {kind.__name__}")
    return sound


def records_of(values: ReadValues[str, object], key: str) -> list[tuple[int, Values]]:
    """`items_of` a list of records: each sound record's values, with its index."""
    return [(index, item) for index, item in items_of(values, key, dict)]


def _check_shape(record: Record[Any]) -> None:
    """The record's keys and its model's fields are one shape: a TypeError names what is in one only,
    and each key whose field type reads another type than the model's field holds (or that, or None)."""
    names = [f.name for f in fields(record.model)]
    only_record = [key for key in record.fields if key not in names]
    only_model = [name for name in names if name not in record.fields and name not in record.derived]
    not_derived = [name for name in record.derived if name not in names or name in record.fields]
    if only_record or only_model or not_derived:
        raise TypeError(
            f"the {record.noun} record and {record.model.__name__} disagree: keys with no field {only_record},"
            f" fields with no key {only_model}, derived fields that are not model-only {not_derived}"
        )
    hints = get_type_hints(record.model)
    mistyped = [
        f"{key} reads {read} but {record.model.__name__}.{key} is {hints[key]}"
        for key, spec in record.fields.items()
        if hints[key] not in (read := spec.type.holds(), read | None)  # type: ignore[operator]
    ]
    if mistyped:
        raise TypeError(f"the {record.noun} record and {record.model.__name__} disagree: {'; '.join(mistyped)}")


def _is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.is_null


def _shape(node: Node) -> str:
    if isinstance(node, Mapping):
        return "(got a mapping)"
    if isinstance(node, Sequence):
        return "(got a list)"
    if isinstance(node, Scalar):
        return got(node.value)
    return ""


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


#: The range of a briefing's dates, as the field descriptions give it.
_RANGE = f"{EARLIEST_DATE} to {LATEST_DATE}"

ACTOR = Record(
    "actor",
    "Actor",
    {
        "name": Field(
            Text(SHORT_LENGTH, one_line=True), "The person or body: `William Burns`, `Hezbollah`.", required=True
        ),
        "role": Field(Text(SHORT_LENGTH, one_line=True), "Their role here: `Director, CIA`."),
        "kind": Field(Choice(ACTOR_KINDS), "person (the default), organization, country or group."),
        "id": Field(Slug(), "Joins the same actor across briefings; defaults to the slug of the name."),
    },
    model=Actor,
)

FIGURE = Record(
    "figure",
    "Figure",
    {
        "value": Field(
            Number(),
            "The number, digits only: `270`, `0.5`, `1200000`; at most 15 significant digits and 15 after the point.",
            required=True,
        ),
        "label": Field(
            Text(SHORT_LENGTH, one_line=True), "What it counts: `sites targeted in Lebanon`.", required=True
        ),
        "unit": Field(Text(SHORT_LENGTH, one_line=True), "`%`, `planes`, `km`."),
        "qualifier": Field(Choice(QUALIFIERS), "about, over, under, nearly, at least or up to."),
        "evidence": Field(Text(), "A verbatim passage of a source file that states the figure."),
        "source": Field(Slug(), "The id of the source `evidence` is from."),
        "lead": Field(
            Boolean(),
            f"true: one of the figures that matter most, shown at a glance (at most {KEY_FIGURES}; without any, the"
            " first figures are).",
        ),
        "key": Field(
            Slug(KEY_LENGTH),
            "A short name a story keeps for this figure from one briefing to the next (`rockets-fired`, an address:"
            " a-z, 0-9 and -, at most 80 characters): the story's page draws its values over time.",
        ),
    },
    model=Figure,
)

QUOTE = Record(
    "quote",
    "Quote",
    {
        "text": Field(Text(), "The words, verbatim, without surrounding quotation marks.", required=True),
        "speaker": Field(
            Text(SHORT_LENGTH, one_line=True), "Who said it: an actor's name or id, or any name.", required=True
        ),
        "context": Field(Text(), "When and why it was said."),
        "source": Field(Slug(), "The id of the source it was reported in."),
    },
    model=Quote,
)

NEXT_STEP = Record(
    "next step",
    "Next step",
    {
        "text": Field(Text(), "What is expected to happen.", required=True),
        "when": Field(TextOrDate(), f"`coming days`, or a date `2024-09-01` ({_RANGE})."),
        "who": Field(Text(one_line=True), "Who is expected to act."),
    },
    model=NextStep,
)

SOURCE = Record(
    "source",
    "Source",
    {
        "id": Field(Slug(), "Referenced by `source:` in figures and quotes; defaults to s1, s2, ... by position."),
        "title": Field(Text(SHORT_LENGTH, one_line=True), "The source's title.", required=True),
        "url": Field(Url(), "An http:// or https:// URL (a url or a file is required)."),
        "file": Field(SeedFile(), "The source's full text, a path inside `seeds/` (a url or a file is required)."),
        "publisher": Field(Text(SHORT_LENGTH, one_line=True), "Who published it."),
        "published": Field(
            Date(EARLIEST_PUBLISHED), f"When it was published, YYYY-MM-DD ({EARLIEST_PUBLISHED} to {LATEST_DATE})."
        ),
        "rights": Field(
            Choice(RIGHTS),
            "What the site may show of the text: `public` (the default: each receipt with its sentence, and the"
            " text's own page with `publish_sources`), `excerpts` (each receipt shows the matched words only; no"
            " page), `private` (no words of it: a receipt says only that it was checked).",
        ),
    },
    model=Source,
)

CORRECTION = Record(
    "correction",
    "Correction",
    {
        "date": Field(
            Date(),
            f"When the correction was made, YYYY-MM-DD ({_RANGE}); not before the briefing's date.",
            required=True,
        ),
        "text": Field(
            Text(),
            "What was wrong and what is right now: `An earlier version said 12 cables; it was 14.`",
            required=True,
        ),
    },
    model=Correction,
)

RETRACTION = Record(
    "retraction",
    "Retraction",
    {
        "date": Field(
            Date(),
            f"When the briefing was retracted, YYYY-MM-DD ({_RANGE}); not before the briefing's date.",
            required=True,
        ),
        "reason": Field(
            Text(),
            "Why, for readers: `The company's filing it relied on was forged.`",
            required=True,
        ),
    },
    model=Retraction,
)

BRIEFING = Record(
    "briefing",
    "Briefing",
    {
        "title": Field(
            Text(TITLE_LENGTH, one_line=True), "The headline: one line, at most 140 characters.", required=True
        ),
        "date": Field(
            Date(),
            f"The day the briefing covers, YYYY-MM-DD ({_RANGE}); equal to the file name's prefix.",
            required=True,
        ),
        "summary": Field(
            Text(SUMMARY_LENGTH), "The bottom line, one to three sentences, at most 600 characters.", required=True
        ),
        "why": Field(Text(WHY_LENGTH), f"Why it matters: one or two sentences, at most {WHY_LENGTH} characters."),
        "who": Field(ListOf(ACTOR, min_items=1, max_items=50), "The people and bodies involved.", required=True),
        "what": Field(
            ListOf(Text(), min_items=1, max_items=20, names=("item", "items")),
            "The key developments, one sentence each.",
            required=True,
        ),
        "numbers": Field(ListOf(FIGURE, max_items=30), "The figures that matter."),
        "quotes": Field(ListOf(QUOTE, max_items=30), "What was said, verbatim."),
        "next": Field(ListOf(NEXT_STEP, max_items=20), "What happens next, what to watch."),
        "sources": Field(ListOf(SOURCE, min_items=1, max_items=20), "Where every fact comes from.", required=True),
        "location": Field(Text(SHORT_LENGTH, one_line=True), "The dateline: `Cairo`."),
        "topics": Field(
            ListOf(Text(SHORT_LENGTH, one_line=True), max_items=8, names=("topic", "topics")),
            "Tags: `Gaza ceasefire`.",
        ),
        "story": Field(
            Text(SHORT_LENGTH, one_line=True),
            "A running story that joins briefings over time: `Israel-Hamas war`.",
        ),
        "updated": Field(
            Date(),
            f"Last substantive update, YYYY-MM-DD ({_RANGE}), not before `date` nor before the newest correction.",
        ),
        "authors": Field(
            ListOf(Text(SHORT_LENGTH, one_line=True), max_items=10, names=("author", "authors")),
            "Who wrote the briefing.",
        ),
        "draft": Field(Boolean(), "true: checked, but not published. Defaults to false."),
        "publish_at": Field(
            Moment(),
            "The embargo: a date and time with its zone (`2026-12-08T09:00:00+01:00`). Before it the briefing is"
            " treated as a draft everywhere; from it on, it is published (by the next build).",
        ),
        "retracted": Field(
            RETRACTION,
            "Withdrawn after publication: `date` and `reason`. The page keeps its address and becomes a notice; the"
            " briefing leaves every list, the search index and the sitemap.",
        ),
        "unchecked": Field(
            ListOf(Text(SHORT_LENGTH, one_line=True), max_items=UNCHECKED_ITEMS, names=("mark", "marks")),
            "What `briefing draft` wrote or guessed that no person has changed or accepted yet, one"
            " `<field> <digest>` each (`title 3f2a9c1b`, `quotes[2].speaker 0c41d2aa`): a warning while the field"
            " is as drafted. Change the field, or delete its line to accept it as it is.",
        ),
        "corrections": Field(
            ListOf(CORRECTION, max_items=20),
            "What was corrected after publication, and when; `updated` must be on or after the newest.",
        ),
    },
    partial=True,
    model=Briefing,
    derived=("slug",),
)

if sorted(BRIEFING_KEYS) != sorted(BRIEFING.fields):
    raise TypeError("model.BRIEFING_KEYS (the order a briefing is written in) must name each key of BRIEFING once")


# --- rules that join fields ----------------------------------------------------------------


def correction_rules(values: ReadValues[str, object], updated_written: bool) -> list[tuple[str, str]]:
    """The rules of `corrections` that join fields, for `validate`: (field path, error message) pairs.

    `values` is what `BRIEFING.read` returned; `updated_written` whether the file has an
    `updated:` value at all (sound or not: one in error was reported already). A correction
    is not dated before the briefing's `date`; a briefing with corrections has `updated` on
    or after the newest one (reported at `updated`, or, without one, at that correction's date).
    """
    problems: list[tuple[str, str]] = []
    date = value_of(values, "date", dt.date)
    updated = value_of(values, "updated", dt.date)
    newest: tuple[dt.date, int] | None = None
    for index, item in records_of(values, "corrections"):
        corrected = required_of(item, "date", dt.date)
        if date is not None and corrected < date:
            problems.append((f"corrections[{index}].date", f"must not be before date {date} (got '{corrected}')"))
        if newest is None or corrected > newest[0]:
            newest = (corrected, index)
    if newest is not None:
        corrected, index = newest
        if updated is not None and updated < corrected:
            problems.append(
                (
                    "updated",
                    f"must be on or after the newest correction, corrections[{index}] of {corrected} (got '{updated}')",
                )
            )
        elif updated is None and not updated_written:
            problems.append(
                (
                    f"corrections[{index}].date",
                    f"is the newest correction: the briefing needs `updated: {corrected}` or later",
                )
            )
    return problems


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
