"""Property: data that passes `briefing check --strict` always builds.

Collections of about twenty briefings are made from the format's own table,
`generator.format.schema.BRIEFING`: its records and fields are walked, and each field
type gives its values from what the table says of it (a text's most characters and
whether it is one line, a list's fewest and most items, a date's earliest and
latest day, a number's digits, a choice's options). Every value is drawn at its
bounds often, by explicit draws: the most characters, the most items, the earliest
and the latest day, 15 significant digits and 15 after the point. The rules that
join fields, which the table does not hold (a date equal to the file name's, `updated`
on or after the corrections, one kind per actor id, one spelling per address, quotes
and evidence verbatim in a source), are kept by construction, and the source texts
under seeds/ are written to hold every quote and every figure's evidence.

Hypothesis draws each collection's plan (for each briefing: the seed of its filler,
where its date sits, which lists are full and which texts longest) and one value just
past a bound, which every fourth collection gets. A collection with such a value must
fail `briefing check --strict` with a finding at that field, in the usual
`path:line:col: error: field: message` form; every other one must pass it, and is then
built by real MkDocs (`mkdocs build --strict`) in tmp_path, and every output is read
back: each briefing's page, the feed, the calendar, the sitemap and its compressed
copy, the export against its JSON Schema, and the search index. After the run: at
least half of the collections were built, and every bound of the table was reached in
a collection that was built.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import random
import re
import shutil
import string
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, event, given, seed, settings
from hypothesis import strategies as st
from icalendar import Calendar
from jsonschema import Draft202012Validator

from generator.edge.cli import main
from generator.format.model import mark_digest
from generator.format.schema import (
    BRIEFING,
    MAX_DIGITS,
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
from generator.rules.addresses import MAX_CHARS, address, address_problem
from generator.site.export import export_schema
from tests.sitebuild import build, make_project, page, text

pytestmark = pytest.mark.slow

#: Briefings in one collection.
COLLECTION = 20
#: Collections made in one run (each built with real MkDocs when it passes the check).
EXAMPLES = 10
#: Every this many collections, one (the 4th, 8th, ...) gets a value past a bound, drawn by Hypothesis.
MUTATED_EVERY = 4

SITE_URL = "https://briefings.example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
#: One finding as `briefing check` prints it.
FINDING = re.compile(r"\S+\.ya?ml:\d+:\d+: (?:error|warning): (?:(?P<field>\S+): )?\S.*\Z")


# --- the format's table, walked ---------------------------------------------------------


def _leaves(record: Record, prefix: str = "") -> Iterator[tuple[str, FieldType]]:
    """Every field of a record and of the records and lists under it, by path: `who`, `who[].name`."""
    for key, spec in record.fields.items():
        path = prefix + key
        yield path, spec.type
        if isinstance(spec.type, ListOf):
            item = spec.type.item
            if isinstance(item, Record):
                yield from _leaves(item, path + "[].")
            else:
                yield path + "[]", item


FIELDS: dict[str, FieldType] = dict(_leaves(BRIEFING))
LISTS = [path for path, kind in FIELDS.items() if isinstance(kind, ListOf)]
#: `unchecked[]` is left out: a mark that passes `--strict` is `title <8 hex digits>`, never its 200-character bound
#: (which tests/test_validate.py's table of limits holds).
TEXTS = [path for path, kind in FIELDS.items() if isinstance(kind, Text) and path != "unchecked[]"]
#: Fields whose text is made an address (docs/format.md, "Addresses"): at most MAX_CHARS characters of it.
ADDRESSED = ("story", "topics[]")
#: Actor ids are addresses too: the table's bound for a slug, or the address's, whichever is less.
ACTOR_ID = "who[].id"


def date_range(kind: Date) -> tuple[dt.date, dt.date]:
    """The days a date field accepts, as the table says (a date type without bounds accepts every date)."""
    return getattr(kind, "earliest", dt.date.min), getattr(kind, "latest", dt.date.max)


def most_characters(path: str, kind: FieldType) -> int:
    """The most characters a value of this field may have once every rule is kept."""
    assert isinstance(kind, Text | Slug | Url | SeedFile | TextOrDate), path
    most = kind.text.max_length if isinstance(kind, TextOrDate) else kind.max_length
    assert most is not None
    return min(most, MAX_CHARS) if path == ACTOR_ID else most


def expected_bounds() -> set[tuple[str, str]]:
    """Every bound of the table that a built collection must have reached: (what, field path)."""
    bounds: set[tuple[str, str]] = set()
    for path, kind in FIELDS.items():
        if isinstance(kind, ListOf):
            bounds.add(("most items", path))
        elif isinstance(kind, Text | Slug | Url | SeedFile) and path != "unchecked[]":  # see TEXTS
            bounds.add(("most characters", path))
        elif isinstance(kind, TextOrDate):
            bounds |= {("most characters", path), ("earliest", path), ("latest", path)}
        elif isinstance(kind, Date):
            bounds |= {("earliest", path), ("latest", path)}
        elif isinstance(kind, Number):
            bounds |= {("most significant digits", path), ("most decimals", path)}
        elif isinstance(kind, Choice):
            bounds |= {(f"option {option}", path) for option in kind.options}
    return bounds


def bounds_reached(value: Any, kind: FieldType, path: str, found: set[tuple[str, str]]) -> None:
    """Add to `found` every bound of the table that `value` (a field's data as written) reaches."""
    if isinstance(kind, ListOf):
        if kind.max_items is not None and len(value) == kind.max_items:
            found.add(("most items", path))
        for item in value:
            bounds_reached(item, kind.item, path + "[]", found)
    elif isinstance(kind, Record):
        for key, item in value.items():
            bounds_reached(item, kind.fields[key].type, f"{path}.{key}" if path else key, found)
    elif isinstance(kind, TextOrDate) and isinstance(value, dt.date):
        bounds_reached(value, kind.date, path, found)
    elif isinstance(kind, Date):
        earliest, latest = date_range(kind)
        if value == earliest:
            found.add(("earliest", path))
        if value == latest:
            found.add(("latest", path))
    elif isinstance(kind, Text | Slug | Url | SeedFile | TextOrDate):
        if len(value) == most_characters(path, kind):
            found.add(("most characters", path))
    elif isinstance(kind, Number):
        whole, _, fraction = value.lstrip("-").partition(".")
        if len((whole + fraction).lstrip("0")) == MAX_DIGITS:
            found.add(("most significant digits", path))
        if len(fraction) == MAX_DIGITS:
            found.add(("most decimals", path))
    elif isinstance(kind, Choice):
        found.add((f"option {value}", path))


# --- the values ----------------------------------------------------------------------------

#: What texts are made of: words of several scripts, and text that looks like markup,
#: templates or Markdown, all of which must appear as written.
WORDS = (
    *"Cairo talks ended without a deal on Sunday after officials said the envoy would return".split(),
    *"café Zürich Łódź naïve São Paulo".split(),
    *"東京 北京 Україна Київ القاهرة ירושלים देवनागरी 😀".split(),
    *"<b>bold</b> <script>x</script> *x* _y_ [x](y) {{ x }} {% x %} --8<-- !!! # | & &amp; `code`".split(),
    *"1,200 2024 42 0.5 ' \" \\ % : ; ( ) ? ! . , - /".split(),
)
#: Actor names: one script (Latin), as a person's or a body's name is written.
NAME_WORDS = (*"William Burns Hamas Council Ministry of Health United Nations Agency".split(), "Łukasz", "Wójcik")
#: Names of stories and topics: letters and digits, in several scripts.
ADDRESS_WORDS = ("Gaza", "ceasefire", "Hostages", "Lebanon", "東京", "2024", "Україна", "war", "élections", "talks")


def _fit(rng: random.Random, words: tuple[str, ...], length: int, one_line: bool = True) -> str:
    """A text of exactly `length` characters, no whitespace at either end, from `words`."""
    parts: list[str] = []
    size = 0
    while size < length:
        word = rng.choice(words)
        separator = "\n" if not one_line and rng.random() < 0.1 else " "
        parts.append(word + separator)
        size += len(word) + 1
    out = "".join(parts)[:length]
    if out[0].isspace():
        out = "x" + out[1:]
    if out[-1].isspace():
        out = out[:-1] + "x"
    return out


def _slug(rng: random.Random, length: int, suffix: str = "") -> str:
    """A slug of exactly `length` characters (at least 2 plus the suffix's), ending with `suffix`."""
    size = length - len(suffix)
    words = []
    while sum(len(w) + 1 for w in words) < size:
        words.append("".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(rng.randint(1, 9))))
    out = "-".join(words)[:size].strip("-")
    out = re.sub("-+", "-", out)
    out += "x" * (size - len(out))  # what stripping took, back as letters
    return out + suffix


@dataclass(frozen=True)
class Plan:
    """One briefing's draws: the seed of its filler, where its date sits, its full lists, its longest texts."""

    seed: int
    dates: str
    full: frozenset[str]
    longest: frozenset[str]


@dataclass(frozen=True)
class Mutation:
    """One value past a bound, in briefing `index`: what the check must report, and where."""

    kind: str
    index: int


PLANS = st.builds(
    Plan,
    seed=st.integers(0, 2**32 - 1),
    dates=st.sampled_from(("earliest", "latest", "inside")),
    full=st.frozensets(st.sampled_from(LISTS), max_size=2),
    longest=st.frozensets(st.sampled_from(TEXTS), max_size=3),
)
MUTATIONS = st.builds(
    Mutation, st.sampled_from(("date", "when", "length", "count", "digits")), st.integers(0, COLLECTION - 1)
)


class Pools:
    """What briefings of one collection share: an actor id's kind, an address's spelling."""

    def __init__(self) -> None:
        self.kinds: dict[str, str] = {}
        self.ids: list[str] = []
        self.spellings: dict[str, dict[str, str]] = {"story": {}, "topics[]": {}}


class Briefer:
    """One briefing's data, made by walking the table: each field type gives values at its bounds often."""

    def __init__(self, plan: Plan, pools: Pools) -> None:
        self.rng = random.Random(plan.seed)
        self.plan = plan
        self.pools = pools
        self.done: set[str] = set()  # longest texts already made (one each)

    def briefing(self) -> dict[str, Any]:
        data: dict[str, Any] = self.record(BRIEFING, "")
        self._join(data)
        return data

    def record(self, record: Record, prefix: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, spec in record.fields.items():
            path = prefix + key
            wanted = path in self.plan.full or any(p.startswith(path) for p in self.plan.longest - self.done)
            if spec.required or wanted or self.rng.random() < 0.5:
                out[key] = self.value(spec.type, path)
        return out

    def value(self, kind: FieldType, path: str) -> Any:
        rng = self.rng
        if isinstance(kind, ListOf):
            most = kind.max_items if kind.max_items is not None else 3
            least = kind.min_items
            if any(p.startswith(path + "[]") for p in self.plan.longest - self.done):
                least = max(least, 1)
            draw = rng.random()
            count = most if path in self.plan.full or draw < 0.04 else rng.randint(least, min(most, max(least, 3)))
            item_path = path + "[]" if not isinstance(kind.item, Record) else path + "[]."
            if isinstance(kind.item, Record):
                return [self.record(kind.item, item_path) for _ in range(count)]
            return [self.value(kind.item, item_path) for _ in range(count)]
        if isinstance(kind, Record):
            return self.record(kind, path + ".")
        if isinstance(kind, TextOrDate):
            return self.value(kind.date, path) if rng.random() < 0.6 else self.value(kind.text, path)
        if isinstance(kind, Text):
            return self.text(path, kind.max_length, kind.one_line)
        if isinstance(kind, Date):
            return self.date(kind, path)
        if isinstance(kind, Number):
            return self.number()
        if isinstance(kind, Choice):
            return rng.choice(kind.options)
        if isinstance(kind, Boolean):
            return rng.random() < 0.05
        if isinstance(kind, Slug):
            return _slug(rng, self.length(path, most_characters(path, kind), floor=2))
        if isinstance(kind, Url):
            base = "https://example.org/"
            size = self.length(path, most_characters(path, kind), floor=len(base) + 1)
            return base + _slug(rng, size - len(base))
        if isinstance(kind, SeedFile):
            return "seeds/"  # made by write_collection, which writes the seed texts
        if isinstance(kind, Moment):
            # A moment past (an embargo that has lifted), in any zone, at the bounds of the day and of the zones: every
            # briefing of the collection is published (tests/test_takedown.py holds the ones not yet).
            zone = rng.choice(["Z", "+14:00", "-12:00", "+05:30"])
            return f"{rng.choice(['1970-01-02', '2000-02-29', '2020-06-15'])}T{rng.choice(['00:00', '23:59:59'])}{zone}"
        raise TypeError(f"no values for the field type {type(kind).__name__}: add them here")

    def length(self, path: str, most: int, floor: int = 1) -> int:
        """How many characters: the most when the plan says so or one time in eight, else few."""
        rng = self.rng
        if path in self.plan.longest and path not in self.done:
            self.done.add(path)
            return most
        draw = rng.random()
        if draw < 0.125:
            return most
        if draw < 0.2:
            return floor
        return rng.randint(floor, min(most, floor + 60))

    def text(self, path: str, most: int, one_line: bool) -> str:
        size = self.length(path, most)
        if path in ADDRESSED:
            return self.addressed(path, size)
        words = NAME_WORDS if path == "who[].name" else WORDS
        return _fit(self.rng, words, size, one_line)

    def addressed(self, path: str, size: int) -> str:
        """A story's or topic's name of `size` characters whose address fits; one spelling per address."""
        rng = self.rng
        spellings = self.pools.spellings[path]
        # Another briefing's spelling half the time; never in a list made full, which must keep its most items
        # once the same addresses are made one (`_join`).
        if spellings and rng.random() < 0.5 and path.removesuffix("[]") not in self.plan.full:
            return rng.choice(sorted(spellings.values()))
        letters = _fit(rng, ADDRESS_WORDS, min(size, rng.randint(1, 40)))
        while address_problem(address(letters)):
            letters = rng.choice(ADDRESS_WORDS)[:size]
        pad = size - len(letters)
        name = letters + ("-" if pad == 1 else " " + "-" * (pad - 1) if pad else "")
        return spellings.setdefault(address(name), name)

    def date(self, kind: Date, path: str) -> dt.date:
        earliest, latest = date_range(kind)
        where = self.plan.dates if path == "date" else self.rng.choice(("earliest", "latest", "inside", "inside"))
        if where == "earliest":
            return earliest
        if where == "latest":
            return latest
        return earliest + dt.timedelta(days=self.rng.randint(0, (latest - earliest).days))

    def number(self) -> str:
        rng = self.rng
        draw = rng.random()
        if draw < 0.2:  # the most significant digits, the point anywhere
            digits = str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(MAX_DIGITS - 1))
            point = rng.randint(1, MAX_DIGITS)
            value = digits if point == MAX_DIGITS else digits[:point] + "." + digits[point:]
        elif draw < 0.35:  # the most digits after the point
            value = "0." + "".join(rng.choice(string.digits) for _ in range(MAX_DIGITS - 1)) + str(rng.randint(1, 9))
        else:
            value = str(rng.randint(0, 100_000)) + (f".{rng.randint(1, 99)}" if rng.random() < 0.3 else "")
        negative = rng.random() < 0.15 and value.strip("0.") != ""
        return "-" + value if negative else value

    # --- the rules that join fields, which the table does not hold ----------------------------

    def _join(self, data: dict[str, Any]) -> None:
        rng = self.rng
        day: dt.date = data["date"]
        if "unchecked" in data:
            # Marks of fields a person has changed since the draft: they name the title, with a digest that is
            # not the title's (a mark still matching is a warning, which `--strict` refuses).
            title_digest = mark_digest(data["title"])
            data["unchecked"] = [
                f"title {digest}"
                for digest in (f"{rng.getrandbits(32):08x}" for _ in data["unchecked"])
                if digest != title_digest
            ]
        # A retracted briefing is a notice that leaves every list (tests/test_takedown.py): these collections are of
        # briefings published whole.
        data.pop("retracted", None)
        for correction in data.get("corrections", []):
            correction["date"] = max(correction["date"], day)
        newest = max((c["date"] for c in data.get("corrections", [])), default=None)
        if "updated" in data or newest is not None:
            data["updated"] = max(data.get("updated", day), day, newest or day)
        for actor in data["who"]:
            self._actor(actor, data["who"])
        if "topics" in data:
            unique: dict[str, str] = {}
            for topic in data["topics"]:
                unique.setdefault(address(topic), topic)
            data["topics"] = list(unique.values())
        for index, source in enumerate(data["sources"]):
            if "id" in source:
                size = len(source["id"]) if len(source["id"]) >= len(f"x-s{index}") else len(f"x-s{index}")
                source["id"] = _slug(rng, size, f"-s{index}")
        ids = [source.get("id", f"s{index + 1}") for index, source in enumerate(data["sources"])]
        for item in (*data.get("quotes", []), *data.get("numbers", [])):
            if "source" in item:
                item["source"] = rng.choice(ids)
        keys: set[str] = set()
        for index, figure in enumerate(data.get("numbers", [])):
            # A figure's key names one figure of its briefing.
            while "key" in figure and figure["key"] in keys:
                figure["key"] = _slug(rng, max(len(figure["key"]), 3 + len(str(index))), f"-{index}")
            keys.add(figure.get("key", ""))
        for figure in data.get("numbers", []):
            # A value found in a source text is found without its sign: a negative one needs evidence.
            if "evidence" in figure or figure["value"].startswith("-"):
                figure.setdefault("evidence", figure["value"])
                figure["evidence"] = self._stating(len(figure["evidence"]), figure["value"])

    def _actor(self, actor: dict[str, Any], who: list[dict[str, Any]]) -> None:
        """An explicit id (an address: at most MAX_CHARS), unique in the briefing, one kind across the collection."""
        rng = self.rng
        taken = {other.get("id") for other in who if other is not actor}
        known = [i for i in self.pools.ids if i not in taken]
        if known and rng.random() < 0.5:
            actor["id"] = rng.choice(known)
        else:
            size = len(actor["id"]) if "id" in actor else rng.randint(2, 20)
            actor["id"] = _slug(rng, max(size, 2 + len(str(len(self.pools.ids)))), f"-{len(self.pools.ids)}")
            self.pools.ids.append(actor["id"])
        kind = self.pools.kinds.setdefault(actor["id"], actor.get("kind", "person"))
        if "kind" in actor or kind != "person":
            actor["kind"] = kind

    def _stating(self, length: int, value: str) -> str:
        """Evidence of `length` characters (when there is room) that states `value`, with words either side."""
        room = length - len(value)
        if room < 4:
            return value
        before = self.rng.randint(1, room - 3)
        after = room - 2 - before
        return f"{_fit(self.rng, WORDS, before)} {value} {_fit(self.rng, WORDS, after)}"


def seed_text(data: dict[str, Any]) -> str:
    """A source text that holds every quote, every figure's evidence and every figure's value."""
    paragraphs = ["A source text written for the test."]
    paragraphs += [quote["text"] for quote in data.get("quotes", [])]
    for figure in data.get("numbers", []):
        paragraphs.append(figure.get("evidence", figure["value"]))
    return "\n\n".join(paragraphs) + "\n"


def long_seed_path(rng: random.Random, length: int) -> str:
    """`seeds/…/….txt` of exactly `length` characters, in folders of at most 200 (a file system's limit is 255)."""
    middle = length - len("seeds/") - len(".txt")
    parts = []
    while middle > 0:
        part = min(middle, 200)
        if middle - part == 1:  # no empty last part
            part -= 1
        parts.append("".join(rng.choice(string.ascii_lowercase) for _ in range(part)))
        middle -= part + 1
    return "seeds/" + "/".join(parts) + ".txt"


class _Dumper(yaml.SafeDumper):
    """YAML with no anchors nor aliases, which the format refuses (PyYAML makes them for a value used twice)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_collection(root: Path, plans: list[Plan], mutation: Mutation | None) -> tuple[list[dict[str, Any]], str]:
    """Write the briefings and their seed texts; their data, and the field the mutation must be reported at."""
    pools = Pools()
    collection = []
    expected = ""
    for index, plan in enumerate(plans):
        briefer = Briefer(plan, pools)
        data = briefer.briefing()
        slug = f"{data['date'].isoformat()}-b{index}"
        seed_path = f"seeds/{slug}.txt"
        content = seed_text(data)
        for source in data["sources"]:
            source["file"] = seed_path
            if "url" not in source and briefer.rng.random() < 0.3:
                source["url"] = f"https://example.org/{slug}"
        # One source of some briefings at the longest path.
        most = most_characters("sources[].file", FIELDS["sources[].file"])
        if briefer.rng.random() < 0.2 or "sources[].file" in plan.longest:
            data["sources"][0]["file"] = long_seed_path(briefer.rng, most)
            (root / data["sources"][0]["file"]).parent.mkdir(parents=True, exist_ok=True)
            (root / data["sources"][0]["file"]).write_text(content, encoding="utf-8")
        (root / seed_path).write_text(content, encoding="utf-8")
        if mutation is not None and mutation.index == index:
            expected = mutate(data, mutation)
            slug = f"{data['date'].isoformat()}-b{index}"
        data["slug"] = slug
        collection.append(data)
    for data in collection:
        slug = data.pop("slug")
        written = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
        (root / "briefings" / f"{slug}.yaml").write_text(written, encoding="utf-8")
        data["slug"] = slug
    return collection, expected


def mutate(data: dict[str, Any], mutation: Mutation) -> str:
    """Put one value just past a bound of the table into `data`; the field the check must report it at."""
    earliest, latest = date_range(FIELDS["date"])  # type: ignore[arg-type]
    kind = mutation.kind
    if kind in ("date", "when") and earliest == dt.date.min and latest == dt.date.max:
        kind = "length"  # no day is past the bounds of a table that has none
    if kind == "date":
        data["date"] = earliest - dt.timedelta(days=1) if earliest > dt.date.min else latest + dt.timedelta(days=1)
        data.pop("updated", None)
        data.pop("corrections", None)
        return "date"
    if kind == "when":
        when_earliest, when_latest = date_range(FIELDS["next[].when"].date)  # type: ignore[attr-defined]
        day = when_latest + dt.timedelta(days=1) if when_latest < dt.date.max else when_earliest - dt.timedelta(days=1)
        data["next"] = [{"text": "A vote.", "when": day}, *data.get("next", [])][:20]
        return "next[0].when"
    if kind == "length":
        most = most_characters("title", FIELDS["title"])
        data["title"] = "x" * (most + 1)
        return "title"
    if kind == "count":
        topics: ListOf = FIELDS["topics"]  # type: ignore[assignment]
        assert topics.max_items is not None
        data["topics"] = [f"Topic {n}" for n in range(topics.max_items + 1)]
        return f"topics[{topics.max_items}]"
    data["numbers"] = [{"value": "1234567890123456", "label": "too precise"}, *data.get("numbers", [])][:30]
    return "numbers[0].value"


# --- the outputs ----------------------------------------------------------------------------


def check_outputs(root: Path, collection: list[dict[str, Any]]) -> None:
    """Every output of the built site is there and reads back as what the briefings hold."""
    site = root / "site"
    published = [data for data in collection if not data.get("draft")]
    for data in published:
        soup = page(root, f"briefings/{data['slug']}/")
        (h1,) = soup.find_all("h1")
        assert text(h1) == " ".join(data["title"].split())
    assert (site / "watch" / "index.html").is_file()
    assert (site / "corrections" / "index.html").is_file()

    feed = ET.fromstring((site / "feed.xml").read_bytes())
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == min(50, len(published))
    for data in published:
        if "story" in data:
            story_feed = site / "stories" / address(data["story"]) / "feed.xml"
            assert ET.fromstring(story_feed.read_bytes()).findall(f"{ATOM}entry")

    calendar = Calendar.from_ical((site / "watch.ics").read_bytes())
    events = sorted(str(event["UID"]) for event in calendar.walk("VEVENT"))
    steps = sorted(
        f"{data['slug']}-next-{index}@briefings.example.org"
        for data in published
        for index, step in enumerate(data.get("next", []))
        if isinstance(step.get("when"), dt.date)
    )
    assert events == steps

    sitemap = (site / "sitemap.xml").read_bytes()
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == sitemap
    addresses = {loc.text for loc in ET.fromstring(sitemap).iter(f"{SITEMAP}loc")}
    assert {f"{SITE_URL}briefings/{data['slug']}/" for data in published} <= addresses

    export = json.loads((site / "briefings.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(export_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert [error.message for error in validator.iter_errors(export)][:3] == []
    assert sorted(b["slug"] for b in export["briefings"]) == sorted(data["slug"] for data in published)

    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]


# --- the property ------------------------------------------------------------------------------


def test_check_passing_collections_always_build(tmp_path: Path) -> None:
    """Collections made from the format's table: those that pass `briefing check --strict` build, with every output."""
    runs: Counter[str] = Counter()
    reached: set[tuple[str, str]] = set()

    @seed(20260516)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        # No shrinking: each step would build a site again; the first failing collection is reported as it is.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(plans=st.lists(PLANS, min_size=COLLECTION, max_size=COLLECTION), drawn=MUTATIONS)
    def collection_builds(plans: list[Plan], drawn: Mutation) -> None:
        runs["collections"] += 1
        mutation = None if runs["collections"] % MUTATED_EVERY else drawn
        root = make_project(tmp_path / f"c{runs['collections']}", briefings=False)
        try:
            collection, expected = write_collection(root, plans, mutation)
            result = CliRunner().invoke(main, ["check", "--strict", "--root", str(root)])
            lines = result.stdout.splitlines()
            assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
            for line in lines:
                assert FINDING.match(line), line
            if mutation is not None:
                event(f"mutated: {mutation.kind}")
                assert result.exit_code == 1, result.stdout
                fields = {FINDING.match(line)["field"] for line in lines}  # type: ignore[index]
                assert expected in fields, (expected, lines[:5])
                return
            assert result.exit_code == 0, "\n".join(lines[:10])
            runs["checked"] += 1
            done = build(root, check=False)
            log = done.stdout + done.stderr
            assert done.returncode == 0 and "Traceback" not in log, log[-4000:]
            check_outputs(root, collection)
            runs["built"] += 1
            for data in collection:
                found: set[tuple[str, str]] = set()
                bounds_reached({k: v for k, v in data.items() if k != "slug"}, BRIEFING, "", found)
                reached.update(found)
            event("built")
        finally:
            shutil.rmtree(root, ignore_errors=True)

    collection_builds()
    assert runs["collections"] >= EXAMPLES // 2, runs
    assert runs["built"] * 2 >= runs["collections"], runs
    missing = sorted(expected_bounds() - reached)
    assert missing == [], f"bounds never reached in a built collection: {missing}"
