"""Property tests: generated briefings round-trip through the checker; mutated files never crash it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import string
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.edge.cli import main
from generator.format.model import (
    ACTOR_KINDS,
    BRIEFING_KEYS,
    QUALIFIERS,
    Actor,
    Briefing,
    Figure,
    NextStep,
    Quote,
    Source,
    to_yaml,
)
from generator.format.schema import BRIEFING, EARLIEST_DATE, EARLIEST_PUBLISHED, LATEST_DATE
from generator.rules.addresses import address, address_problem
from generator.rules.collection import Collection, check_collection
from generator.rules.validate import CheckedFile, check_file
from generator.rules.verify import Seeds, normalize, numbers_in

pytestmark = pytest.mark.slow

# --- fixtures on disk ----------------------------------------------------------

PROJECT = Path(__file__).resolve().parent.parent
REAL_BRIEFING = PROJECT / "briefings" / "2024" / "2024-08-25-cairo-ceasefire-talks-end-without-deal.yaml"
SEED_NAME = "000_548c9463dc2f8344.txt"
SEED_PATH = PROJECT / "seeds" / SEED_NAME
SEED_FILE = f"seeds/{SEED_NAME}"
#: The keys a briefing must have, as the format's table says.
REQUIRED_KEYS = tuple(BRIEFING.required)
#: The days a briefing's dates may name (a source's `published` goes further back).
days = st.dates(EARLIEST_DATE, LATEST_DATE)


def tuned(examples: int) -> settings:
    """Hypothesis settings: `examples` examples, no deadline (file I/O varies)."""
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def repository() -> Iterator[Path]:
    """A temporary repository root with an empty `briefings/` and the seed article in `seeds/`."""
    with tempfile.TemporaryDirectory(prefix="briefing-prop-") as name:
        root = Path(name)
        (root / "briefings").mkdir()
        (root / "seeds").mkdir()
        shutil.copyfile(SEED_PATH, root / "seeds" / SEED_NAME)
        yield root


def write(root: Path, slug: str, data: bytes) -> Path:
    """Write a briefing file as `briefings/<slug>.yaml` under `root`."""
    path = root / "briefings" / f"{slug}.yaml"
    path.write_bytes(data)
    return path


def check_one(root: Path, path: Path) -> tuple[CheckedFile, Collection]:
    """Check one file both alone and as a collection (the collection holds only this file)."""
    alone = check_file(path, path.name, Seeds(root))
    collection = check_collection([root / "briefings"], root)
    assert len(collection.files) == 1
    return alone, collection


def errors(checked: CheckedFile | Collection) -> list[str]:
    """Every error finding, formatted (for assertion messages)."""
    return [f.format() for f in checked.findings if f.severity == "error"]


# --- text strategies -------------------------------------------------------------

#: What the format forbids in any text (control characters except newline, bidi
#: overrides and isolates, zero-width characters, line/paragraph separators, surrogates
#: and noncharacters), and tab, which the generated texts leave out.
FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u180e"
    "\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000))
    + "]"
)
ASCII_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

#: Words that YAML 1.1 (or a careless writer) would read as something other than text.
TRICKY_WORDS = (
    "No",
    "no",
    "yes",
    "Yes",
    "ON",
    "off",
    "y",
    "n",
    "null",
    "Null",
    "~",
    "true",
    "False",
    "2024",
    "0x1F",
    "0o17",
    "017",
    "1e3",
    "1_000",
    ".5",
    "-.inf",
    ".NaN",
    "12:30:00",
    "2024-08-25",
    "2024-08-25T10:00:00Z",
    "<<",
    "=",
    "---",
    "...",
    "- item",
    "? key",
    ": value",
    "key: value",
    "# not a comment",
    "a #b",
    "&anchor",
    "*alias",
    "!tag",
    "!!str",
    "%YAML",
    "@handle",
    "`code`",
    "|",
    ">-",
    "{a: b}",
    "[1, 2]",
    "'single'",
    '"double"',
    "\\n",
    "<b>bold</b>",
    "{{ x }}",
    "[x](y)",
)
SCRIPT_WORDS = (
    "القاهرة",
    "مرحبا بالعالم",
    "שלום עולם",
    "ירושלים",
    "北京",
    "停火协议",
    "東京",
    "서울",
    "Київ",
    "Αθήνα",
    "नई दिल्ली",
    "กรุงเทพ",
    "Saʿadia",
    "Café",
    "Cafe\u0301",
    "naïve",
    "ﬁne",
    "１２３",
    "٣٤٥",
    "🚀🇪🇬",
    "𠀀𝔘",
    "a\u00a0b",
    "x\u3000y",
    "soft\u00adhyphen",
    "\u200eLRM",
    "\u061cALM",
    "“curly”",
    "it’s",
    "—dash–",
)
WIDE_CHARS = st.characters(
    categories=("L", "M", "N", "P", "S", "Zs"),
    exclude_characters="\u180e\u2028\u2029\ufeff",
)
ALPHABET = st.one_of(
    st.sampled_from(string.ascii_letters + string.digits),
    st.sampled_from(string.punctuation),
    WIDE_CHARS,
)
WORD = st.one_of(
    st.sampled_from(TRICKY_WORDS),
    st.sampled_from(SCRIPT_WORDS),
    st.text(ALPHABET, min_size=1, max_size=12),
)


def texts(multiline: bool = False, max_length: int | None = None, max_words: int = 8) -> st.SearchStrategy[str]:
    """Stripped, non-empty text without forbidden characters; one line unless `multiline`."""
    separators = [" ", "  ", ", "]
    if multiline:
        separators += ["\n", "\n\n", " \n", "\n  "]
    separator = st.sampled_from(separators)

    @st.composite
    def build(draw: st.DrawFn) -> str:
        words = draw(st.lists(WORD, min_size=1, max_size=max_words))
        text = words[0]
        for word in words[1:]:
            text += draw(separator) + word
        return text

    strategy = build().map(str.strip)
    if max_length is not None:
        strategy = strategy.map(lambda t: t[:max_length].strip())
    return strategy.filter(lambda t: bool(t) and not FORBIDDEN.search(t) and (multiline or "\n" not in t))


SLUG_PART = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
slugs = st.lists(SLUG_PART, min_size=1, max_size=4).map("-".join)
one_line = texts(max_length=200)
#: A story or topic name: one that makes a usable address (docs/format.md, "Addresses").
addressable = one_line.filter(lambda name: address_problem(address(name)) is None)
multi_line = texts(multiline=True, max_length=1000)
#: What a URL may hold after its host: RFC 3986's characters but `'`, `[` and `]`, with
#: `%` only in escapes (non-ASCII is written percent-encoded) and `#` once, at the fragment.
URL_PIECES = st.one_of(
    st.sampled_from(string.ascii_letters + string.digits + "-._~/?@!$&()*+,;=:"),
    st.sampled_from(["%20", "%27", "%C3%A9", "%E5%8C%97", "%D8%B4"]),
)
urls = st.tuples(
    st.sampled_from(["example.org", "www.example.org:8443", "xn--caf-dma.example", "192.0.2.1", "[2001:db8::1]"]),
    st.lists(URL_PIECES, max_size=30).map("".join),
    st.none() | st.lists(URL_PIECES, max_size=8).map("".join),
).map(lambda parts: f"https://{parts[0]}/{parts[1]}" + ("" if parts[2] is None else "#" + parts[2]))


@st.composite
def decimals(draw: st.DrawFn) -> Decimal:
    """A number as a briefing writes it: digits, an optional sign, an optional fraction."""
    sign = draw(st.sampled_from(["", "", "", "-"]))
    whole = draw(st.integers(min_value=0, max_value=10**15 - 1))
    # At most 15 significant digits in all (docs/format.md, "Limits").
    room = min(6, 15 - len(str(whole).lstrip("0")))
    fractions = st.text("0123456789", min_size=1, max_size=room).map(lambda d: "." + d) if room else st.nothing()
    fraction = draw(st.one_of(st.just(""), fractions))
    return Decimal(f"{sign}{whole}{fraction}")


actors = st.builds(
    Actor,
    name=one_line,
    id=slugs,
    kind=st.sampled_from(ACTOR_KINDS),
    role=st.none() | one_line,
)


def sources(ids: list[str]) -> st.SearchStrategy[list[Source]]:
    """URL sources with the given ids (no file, so provenance is never checked)."""
    return st.tuples(
        *(
            st.builds(
                Source,
                id=st.just(source_id),
                title=one_line,
                url=urls,
                publisher=st.none() | one_line,
                published=st.none() | st.dates(EARLIEST_PUBLISHED, LATEST_DATE),
            )
            for source_id in ids
        )
    ).map(list)


def when_values() -> st.SearchStrategy[dt.date | str | None]:
    """`next[].when`: nothing, a date, or text not shaped like YYYY-MM-DD."""
    return st.one_of(
        st.none(),
        days,
        texts(multiline=True, max_words=3).filter(lambda t: not ASCII_DATE.fullmatch(t)),
    )


@st.composite
def briefings(draw: st.DrawFn) -> Briefing:
    """A valid briefing model in canonical form (what the checker would read back)."""
    date = draw(days)
    slug = f"{date.isoformat()}-{draw(slugs)}"
    who = draw(st.lists(actors, min_size=1, max_size=4, unique_by=lambda a: a.id))
    source_ids = draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
    source_list = draw(sources(source_ids))
    ref = st.sampled_from([None, *source_ids])
    numbers = draw(
        st.lists(
            st.builds(
                Figure,
                value=decimals(),
                label=one_line,
                unit=st.none() | one_line,
                qualifier=st.none() | st.sampled_from(QUALIFIERS),
                evidence=st.none() | multi_line,
                source=ref,
            ),
            max_size=3,
        )
    )
    quotes = draw(
        st.lists(
            st.builds(
                Quote,
                text=multi_line,
                speaker=st.one_of(one_line, st.sampled_from([a.name for a in who] + [a.id for a in who])),
                context=st.none() | multi_line,
                source=ref,
            ),
            max_size=3,
        )
    )
    steps = draw(
        st.lists(
            st.builds(NextStep, text=multi_line, when=when_values(), who=st.none() | one_line),
            max_size=3,
        )
    )
    return Briefing(
        slug=slug,
        title=draw(texts(max_length=140, max_words=30)),
        date=date,
        summary=draw(texts(multiline=True, max_length=600, max_words=60)),
        who=tuple(who),
        what=tuple(draw(st.lists(multi_line, min_size=1, max_size=4))),
        sources=tuple(source_list),
        numbers=tuple(numbers),
        quotes=tuple(quotes),
        next=tuple(steps),
        location=draw(st.none() | one_line),
        topics=tuple(draw(st.lists(addressable, max_size=3, unique_by=address))),
        story=draw(st.none() | addressable),
        updated=draw(st.none() | st.dates(date, LATEST_DATE)),
        authors=tuple(draw(st.lists(one_line, max_size=2))),
        draft=draw(st.booleans()),
    )


@st.composite
def verified_briefings(draw: st.DrawFn) -> Briefing:
    """A valid briefing whose quotes and figures cite the seed article verbatim (provenance checked)."""
    base = draw(briefings())
    words = normalize(SEED_PATH.read_text(encoding="utf-8")).split(" ")

    def passage() -> str:
        start = draw(st.integers(0, len(words) - 1))
        end = draw(st.integers(start + 1, min(len(words), start + 12)))
        return " ".join(words[start:end])

    seed = Source(id="seed", title="The seed article", file=SEED_FILE)
    quotes = tuple(
        Quote(text=passage(), speaker=draw(one_line), source=draw(st.sampled_from([None, "seed"])))
        for _ in range(draw(st.integers(0, 3)))
    )
    figures = []
    for _ in range(draw(st.integers(0, 3))):
        evidence = passage()
        stated = sorted(numbers_in(evidence))
        if stated:
            figures.append(Figure(value=draw(st.sampled_from(stated)), label=draw(one_line), evidence=evidence))
    sources_ = (*(s for s in base.sources if s.id != "seed"), seed)
    return dataclasses.replace(base, sources=sources_, quotes=quotes, numbers=tuple(figures))


# --- property A: round trip --------------------------------------------------------


def assert_round_trip(model: Briefing) -> None:
    """Write the model with to_yaml, check it, and get the same model back with no error."""
    text = to_yaml(model)
    with repository() as root:
        path = write(root, model.slug, text.encode("utf-8"))
        alone, collection = check_one(root, path)
    for finding in collection.findings:
        # Generated names mix scripts at random: a name that does is told (docs/format.md, "Names that look alike").
        lookalike = re.fullmatch(r"who\[\d+\]\.name", finding.field) and "script" in finding.message
        # Generated speakers are random text: one may come close to an actor's name, which is told.
        lookalike = lookalike or "names no one in who" in finding.message
        assert finding.severity == "warning" and ("unverified" in finding.message or lookalike), (
            finding.format(),
            text,
        )
    assert alone.briefing == model, (errors(alone), text)
    assert collection.files[0].briefing == model, (errors(collection), text)


@tuned(150)
@given(briefings())
def test_round_trip_of_generated_briefings(model: Briefing) -> None:
    """A valid model written with to_yaml reads back, with no error, as the same model."""
    assert_round_trip(model)


@tuned(40)
@given(verified_briefings())
def test_round_trip_with_seed_provenance(model: Briefing) -> None:
    """Quotes and evidence taken verbatim from a seed file verify, and the model reads back unchanged."""
    text = to_yaml(model)
    with repository() as root:
        path = write(root, model.slug, text.encode("utf-8"))
        alone, collection = check_one(root, path)
    assert not errors(collection), (errors(collection), text)
    assert alone.briefing == model, text
    assert collection.files[0].briefing == model, text


def assert_round_trip_with_seed(model: Briefing) -> None:
    """Round trip for a model that may cite the seed article."""
    text = to_yaml(model)
    with repository() as root:
        path = write(root, model.slug, text.encode("utf-8"))
        alone, _ = check_one(root, path)
    assert not errors(alone), (errors(alone), text)
    assert alone.briefing == model, text


def test_real_briefing_round_trips() -> None:
    """The project's real briefing checks clean, and to_yaml of it reads back as the same briefing."""
    with repository() as root:
        path = write(root, REAL_BRIEFING.stem, REAL_BRIEFING.read_bytes())
        alone, _ = check_one(root, path)
    assert alone.findings == [], errors(alone)
    assert alone.briefing is not None
    assert_round_trip_with_seed(alone.briefing)


# --- property B: mutations never crash ------------------------------------------------

INSERTS = (
    b"&a ",
    b"*a",
    b"&a x",
    b"*a\n",
    b"!",
    b"!foo ",
    b"!!python/object/apply:os.system ['echo hi']",
    b"!!str ",
    b"<<: ",
    b"<<: *a\n",
    b"---",
    b"---\n",
    b"\n---\n",
    b"...\n",
    b"%YAML 1.1\n",
    b"\t",
    b"\t- ",
    b"\x00",
    b"\x01",
    b"\x07",
    b"\x1b",
    b"\x7f",
    b"\r",
    b"\r\n",
    "\x85".encode(),
    "\ufeff".encode(),
    "\u202e".encode(),
    "\u200b".encode(),
    "\u2028".encode(),
    "\ud7ff".encode(),
    "\ufffe".encode(),
    "\uffff".encode(),
    "\ufdd0".encode(),
    "\U0010ffff".encode(),
    b'"\\ud800"',
    b'"\\uFFFE"',
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xef\xbb",
    b": ",
    b":",
    b"- ",
    b"? ",
    b"#",
    b" #",
    b"'",
    b'"',
    b"|",
    b">-\n",
    b"{",
    b"}",
    b"[",
    b"]",
    b"[[[[[[",
    b"{a: [b, {c: [d]}]}",
    b",",
    b"\n",
    b"  ",
    b"title: x\n",
    b"who:\n",
    b"value: 1,200\n",
    b"when: 2024-02-30\n",
    b"kind: persn\n",
    b"file: ../etc/passwd\n",
    b"file: /etc/passwd\n",
    b"file: seeds/missing.txt\n",
    b"source: nowhere\n",
    b"id: Not A Slug\n",
    b"url: ftp://x\n",
    b"draft: yes\n",
    b"\xe2\x80",
)


#: Whole lines inserted at a line boundary (with that line's indentation): keys that are
#: unknown, quoted with escapes, duplicated, or values of the wrong shape.
LINE_INSERTS = (
    b"title: Another title",
    b"quotse: []",
    b"titel: x",
    b'"ti\\ntle": x',
    b'"\\e[31mred\\e[0m": x',
    b'"loc\\u202eation": x',
    b'"\\u200b": x',
    b"? [a, b]\n: c",
    b'? "a\\nb"\n: c',
    b"<<: {title: x}",
    b"- stray item",
    b"name: Someone",
    b"kind: robot",
    b"id: UPPER",
    b"value: 1,200,000",
    b"value: 1e3",
    b"value: '12.'",
    b"source: nowhere",
    b"file: ../seeds/x.txt",
    b"file: seeds/../../etc/passwd",
    b"url: javascript:alert(1)",
    b"when: 2024-02-30",
    b"when: '2024-09-01'",
    b"updated: 1999-01-01",
    b"draft: yes",
    b"text: ''",
    b'text: "\\x07"',
    b'text: "\\uFFFE"',
    b'text: "\\ud800"',
    b'"\\udc00": x',
    "text: x\ufffe".encode(),
    b"value: " + b"9" * 5000,
    b"value: 0." + b"0" * 500 + b"1",
    b"url: https://a@b.example/",
    b"url: https://example.org:99999/",
    b"text:",
    b"&a text: x",
    b"text: *a",
    b"text: !!binary aGk=",
    b"text: [[[[x]]]]",
    b"text: {a: b}",
    b"---",
    b"...",
    b"%TAG ! tag:example.com,2000:",
    b"# a comment",
    b"",
)


@st.composite
def mutations(draw: st.DrawFn, original: bytes) -> bytes:
    """`original` with one to three random edits: lines deleted, duplicated, swapped,
    re-indented; bytes inserted, replaced; truncation."""
    data = original
    for _ in range(draw(st.integers(1, 3))):
        lines = data.split(b"\n")
        kind = draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "indent", "line", "line", "insert", "insert", "replace", "truncate"]
            )
        )
        index = draw(st.integers(0, max(len(lines) - 1, 0)))
        if kind == "delete" and lines:
            del lines[index]
        elif kind == "duplicate" and lines:
            lines.insert(index, lines[index])
        elif kind == "swap" and lines:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif kind == "line":
            indent = lines[index][: len(lines[index]) - len(lines[index].lstrip(b" -"))] if lines else b""
            lines.insert(index, indent + draw(st.sampled_from(LINE_INSERTS)))
        elif kind == "indent" and lines:
            line = lines[index]
            change = draw(st.sampled_from(["add", "remove", "tab"]))
            if change == "add":
                lines[index] = b" " * draw(st.integers(1, 6)) + line
            elif change == "remove":
                lines[index] = line[min(len(line) - len(line.lstrip(b" ")), draw(st.integers(1, 4))) :]
            else:
                lines[index] = b"\t" + line.lstrip(b" ")
        elif kind in ("insert", "replace", "truncate"):
            data = b"\n".join(lines)
            at = draw(st.integers(0, len(data)))
            if kind == "truncate":
                data = data[:at]
                continue
            piece = draw(
                st.one_of(
                    st.sampled_from(INSERTS),
                    st.binary(min_size=1, max_size=4),
                    st.text(ALPHABET, min_size=1, max_size=6).map(lambda t: t.encode("utf-8")),
                )
            )
            span = draw(st.integers(0, 3)) if kind == "replace" else 0
            data = data[:at] + piece + data[at + span :]
            continue
        data = b"\n".join(lines)
    return data


#: What a finding's printed line must never hold: line breaks, other control characters
#: (a terminal would obey `ESC [`), bidirectional overrides and isolates.
UNSAFE_OUTPUT = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def assert_sane(checked: CheckedFile, data: bytes) -> None:
    """Findings are well placed and well formed, and a file is never silently dropped."""
    last_line = data.count(b"\n") + 1
    for finding in checked.findings:
        assert finding.severity in ("error", "warning"), finding
        assert finding.line >= 1 and finding.column >= 1, finding.format()
        assert finding.line <= last_line, f"{finding.format()!r} is past the last line, {last_line}"
        assert isinstance(finding.message, str) and finding.message, finding
        assert not UNSAFE_OUTPUT.search(finding.format()), f"not one safe line: {finding.format()!r}"
    has_error = any(f.severity == "error" for f in checked.findings)
    assert (checked.briefing is not None) != has_error, (checked.briefing, errors(checked))


def assert_mutant(original: bytes, data: bytes, slug: str) -> None:
    """Check mutated bytes: no exception, sane findings; an accepted mutant round-trips."""
    with repository() as root:
        path = write(root, slug, data)
        alone, collection = check_one(root, path)
        assert_sane(alone, data)
        assert_sane(collection.files[0], data)
        if data == original:
            assert alone.briefing is not None, errors(alone)
        if alone.briefing is not None:
            # Whatever was accepted must survive being written back out unchanged.
            again = to_yaml(alone.briefing).encode("utf-8")
            path.write_bytes(again)
            reread = check_file(path, path.name, Seeds(root))
            assert reread.briefing == alone.briefing, (errors(reread), data, again)


REAL_BYTES = REAL_BRIEFING.read_bytes()

#: Failures found here once, kept as explicit examples so that they stay fixed: a syntax
#: error at the end of a file with no final newline was placed a line past it, so was an
#: empty document's value, and field paths made of quoted keys were printed raw.
NO_FINAL_NEWLINE = REAL_BYTES + b"e"
EMPTY_DOCUMENT_AT_END = b"---\n#"
KEY_WITH_NEWLINE = REAL_BYTES.replace(b"location: Cairo\n", b'location: Cairo\n"ti\\ntle": x\n')
KEY_WITH_ESCAPE = REAL_BYTES.replace(b"location: Cairo\n", b'location: Cairo\n"\\e[31mred": x\n')


@tuned(250)
@given(mutations(REAL_BYTES))
@example(NO_FINAL_NEWLINE)
@example(KEY_WITH_NEWLINE)
@example(KEY_WITH_ESCAPE)
@example(EMPTY_DOCUMENT_AT_END)
def test_mutated_real_briefing_never_crashes(data: bytes) -> None:
    """Random edits to the real briefing give sane findings, never an exception or a silent drop."""
    assert_mutant(REAL_BYTES, data, REAL_BRIEFING.stem)


@st.composite
def mutated_generated(draw: st.DrawFn) -> tuple[Briefing, bytes, bytes]:
    """A generated briefing, its file, and that file mutated."""
    model = draw(st.one_of(briefings(), verified_briefings()))
    original = to_yaml(model).encode("utf-8")
    return model, original, draw(mutations(original))


@tuned(120)
@given(mutated_generated())
def test_mutated_generated_briefing_never_crashes(case: tuple[Briefing, bytes, bytes]) -> None:
    """Random edits to generated briefings give sane findings, never an exception or a silent drop."""
    model, original, data = case
    assert_mutant(original, data, model.slug)


TOP_KEY = re.compile(rb"(" + b"|".join(k.encode() for k in BRIEFING_KEYS) + rb"):( |$)")


def without_key(data: bytes, key: str) -> bytes:
    """`data` with the top-level `key:` line removed, with the lines of its value."""
    lines = data.split(b"\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(key.encode() + b":"))
    end = start + 1
    while end < len(lines) and not TOP_KEY.match(lines[end]):
        end += 1
    return b"\n".join(lines[:start] + lines[end:])


def assert_missing_key_reported(data: bytes, slug: str, key: str) -> None:
    """Without `key`, the file is rejected with a `<key>: required` error."""
    with repository() as root:
        path = write(root, slug, without_key(data, key))
        alone, collection = check_one(root, path)
    for checked in (alone, collection.files[0]):
        assert checked.briefing is None
        fields = [(f.field, f.message) for f in checked.findings if f.severity == "error"]
        assert (key, "required") in fields, fields


@pytest.mark.parametrize("key", REQUIRED_KEYS)
def test_deleting_required_key_of_real_briefing(key: str) -> None:
    """Deleting a required top-level key (its line and value) is an error naming that field."""
    assert_missing_key_reported(REAL_BYTES, REAL_BRIEFING.stem, key)


def test_deleting_title_line_of_real_briefing() -> None:
    """Deleting just the `title:` line of the real briefing is a `title: required` error."""
    lines = REAL_BYTES.split(b"\n")
    data = b"\n".join(line for line in lines if not line.startswith(b"title:"))
    with repository() as root:
        path = write(root, REAL_BRIEFING.stem, data)
        alone, _ = check_one(root, path)
    assert [(f.field, f.message) for f in alone.findings] == [("title", "required")]


@tuned(40)
@given(briefings(), st.sampled_from(REQUIRED_KEYS))
def test_deleting_required_key_of_generated_briefing(model: Briefing, key: str) -> None:
    """Deleting a required top-level key from a generated briefing is an error naming that field."""
    assert_missing_key_reported(to_yaml(model).encode("utf-8"), model.slug, key)


# --- property C: the CLI never prints a traceback --------------------------------------


FINDING_LINE = re.compile(r"[^\n]*:[0-9]+:[0-9]+: (error|warning): [^\n]*\Z")


@tuned(15)
@given(mutations(REAL_BYTES), st.sampled_from([[], ["--strict"], ["--format", "json"]]))
@example(KEY_WITH_NEWLINE, [])
@example(KEY_WITH_ESCAPE, [])
def test_cli_never_prints_a_traceback(data: bytes, options: list[str]) -> None:
    """`briefing check` on a mutated file exits 0 or 1 with findings, never with a traceback."""
    with repository() as root:
        write(root, REAL_BRIEFING.stem, data)
        write(root, "2024-08-26-second-copy", REAL_BYTES.replace(b"date: 2024-08-25", b"date: 2024-08-26"))
        result = CliRunner().invoke(main, ["check", "--root", str(root), *options, str(root / "briefings")])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    if options == ["--format", "json"]:
        findings = json.loads(result.stdout)
        assert isinstance(findings, list)
        assert result.exit_code == (1 if any(f["severity"] == "error" for f in findings) else 0)
    else:
        for line in result.stdout.splitlines():
            assert FINDING_LINE.match(line), f"not one finding per line: {line!r}"
            assert not UNSAFE_OUTPUT.search(line), f"control character in output: {line!r}"
