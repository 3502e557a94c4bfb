"""The format's rules, one test each, through the same path `briefing check` takes."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import re
import string
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from generator.format.model import Briefing, Correction, Figure, NextStep
from generator.format.schema import (
    BRIEFING,
    FIGURE,
    Date,
    Field,
    ListOf,
    Number,
    Record,
    Text,
    correction_rules,
    json_schema,
)
from generator.format.urls import is_web_url, url_problem
from generator.format.yamlnodes import Scalar
from generator.rules.collection import check_collection
from tests.conftest import MINIMAL, PROJECT, SEED_BRIEFING, CheckText, fields


def _edit(old: str, new: str) -> str:
    assert old in MINIMAL
    return MINIMAL.replace(old, new, 1)


def test_minimal_briefing_is_valid_and_filled_with_defaults(repo: Path) -> None:
    """Defaults: actor kind person, actor id from the name, source ids by position, draft false."""
    path = repo / "briefings" / "2024-08-25-cairo-talks.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    collection = check_collection([path], repo)
    assert collection.findings == []
    (briefing,) = collection.briefings
    assert briefing.slug == "2024-08-25-cairo-talks"
    assert briefing.date == dt.date(2024, 8, 25)
    assert briefing.who[0].id == "william-burns" and briefing.who[0].kind == "person"
    assert briefing.sources[0].id == "s1"
    assert briefing.numbers[0].value == Decimal(270)
    assert briefing.draft is False


def test_the_project_briefing_passes_with_no_warning() -> None:
    """The hand-written seed briefing is clean."""
    collection = check_collection([SEED_BRIEFING], SEED_BRIEFING.parents[2])
    assert collection.findings == []
    assert len(collection.briefings) == 1


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("title: Cairo talks end without a deal\n", "", "title", "required"),
        ("title: Cairo talks end without a deal", 'title: ""', "title", "must not be empty"),
        ("title: Cairo talks end without a deal", 'title: "one\\ntwo"', "title", "must be one line"),
        ("title: Cairo talks end without a deal", "title: " + "x" * 141, "title", "141 characters long; at most 140"),
        ("summary: High", "summary: " + "y" * 600 + " High", "summary", "at most 600"),
        ("date: 2024-08-25", "date: 2024-02-30", "date", "no such date"),
        ("date: 2024-08-25", "date: 25 August 2024", "date", "expected a date YYYY-MM-DD"),
        ("date: 2024-08-25", "date: 2024-08-26", "date", "must equal the date the file name starts with"),
        ("date: 2024-08-25", "date: 2024-08-25\nupdated: 2024-08-24", "updated", "must not be before date"),
        ("quotes:", "quotse:", "quotse", "unknown key (did you mean 'quotes'?)"),
        (
            "    role: Director, CIA",
            "    role: Director, CIA\n    kind: Person",
            "who[0].kind",
            "did you mean 'person'",
        ),
        ("    role: Director, CIA", "    role: Director, CIA\n    id: Burns_W", "who[0].id", "expected a slug"),
        ("who:\n  - name: William Burns\n    role: Director, CIA\n", "who: []\n", "who", "needs at least 1"),
        ("who:\n  - name: William Burns\n    role: Director, CIA\n", "", "who", "required"),
        ("    role: Director, CIA", "    role: Director, CIA\n  - name: William  Burns!", "who[1].name", "two actors"),
        ("    role: Director, CIA", "    role: [a, b]", "who[0].role", "expected text (got a list)"),
        ("what:\n  - The", "what: The", "what", "expected a list of text"),
        ("  - value: 270", "  - value: 1,200", "numbers[0].value", "without separators"),
        ("  - value: 270", "  - value: lots", "numbers[0].value", "expected a number such as 270 or 0.5 (got 'lots')"),
        (
            "    label: sites targeted",
            "    label: sites targeted\n    qualifier: around",
            "numbers[0].qualifier",
            "expected one of about, over, under, nearly, at least, up to",
        ),
        (
            "    label: sites targeted",
            "    label: sites targeted\n    source: s9",
            "numbers[0].source",
            "names no source",
        ),
        ("    speaker: U.S. official\n", "", "quotes[0].speaker", "required"),
        ("    speaker: U.S. official", "    speaker: U.S. official\n    source: s2", "quotes[0].source", "names no"),
        ("date: 2024-08-25", "date: 2024-08-25\ndraft: yes", "draft", "expected true or false (got 'yes')"),
        ("    file: seeds/", "    url: javascript:alert(1)\n    file: seeds/", "sources[0].url", "http:// or https://"),
        ("    file: seeds/", "    url: ftp://example.org/a\n    file: seeds/", "sources[0].url", "http:// or https://"),
        ("    file: seeds/000_548c9463dc2f8344.txt", "    publisher: AP", "sources[0]", "needs a url or a file"),
        ("    file: seeds/000_548c9463dc2f8344.txt", "    file: ../README.md", "sources[0].file", "inside seeds/"),
        ("    file: seeds/000_548c9463dc2f8344.txt", "    file: /etc/passwd", "sources[0].file", "relative"),
        ("    file: seeds/000_548c9463dc2f8344.txt", "    file: seeds/nope.txt", "sources[0].file", "no such file"),
        ("    file: seeds/000_548c9463dc2f8344.txt", "    file: seeds/../seeds/x", "sources[0].file", "inside seeds/"),
        (
            "sources:\n  - title: Wire",
            "sources:\n  - id: a\n    title: W\n    url: https://a.b\n  - id: a\n    title: Wire",
            "sources[1].id",
            "two sources with the id 'a'",
        ),
    ],
)
def test_rule(check_text: CheckText, old: str, new: str, field: str, message: str) -> None:
    """Each broken rule is an error naming its field, with a message saying what is wrong."""
    findings = check_text(_edit(old, new))
    errors = [f for f in findings if f.severity == "error"]
    assert field in [f.field for f in errors], findings
    assert any(message in f.message for f in errors if f.field == field), errors


def test_every_problem_in_a_file_is_reported_in_one_run(check_text: CheckText) -> None:
    """Problems in different fields are all reported, in file order."""
    text = _edit("title: Cairo talks end without a deal", 'title: ""')
    text = text.replace("  - value: 270", "  - value: lots").replace("quotes:", "quotse:")
    text = text.replace("date: 2024-08-25", "date: 2024-08-25\ndraft: maybe")
    assert fields(check_text(text)) == ["title", "draft", "numbers[0].value", "quotse"]


@pytest.mark.parametrize("name", ["Bad_Name.yaml", "2024-08-25.yaml", "2024-08-25-Cairo.yaml", "2024-8-25-cairo.yaml"])
def test_file_name_must_be_date_and_words(check_text: CheckText, name: str) -> None:
    """The slug is lowercase a-z, 0-9 and '-' after a YYYY-MM-DD prefix."""
    findings = check_text(MINIMAL, name=name)
    assert ("file name", 1, 1) in [(f.field, f.line, f.column) for f in findings]


def test_file_name_date_must_exist(check_text: CheckText) -> None:
    """A prefix such as 2024-02-30 is no date."""
    findings = check_text(MINIMAL.replace("2024-08-25", "2024-02-30"), name="2024-02-30-x.yaml")
    assert any(f.field == "file name" and "no such date" in f.message for f in findings)


def test_yml_suffix_is_accepted(check_text: CheckText) -> None:
    """`.yml` is as good as `.yaml`."""
    assert check_text(MINIMAL, name="2024-08-25-cairo-talks.yml") == []


def test_quote_must_be_verbatim_in_its_source(check_text: CheckText) -> None:
    """A quote missing from the seed is an error naming the seed file."""
    findings = check_text(_edit("  - text: constructive", "  - text: very constructive"))
    (error,) = findings
    assert error.field == "quotes[0].text"
    assert error.message.startswith("quote not found in seeds/000_548c9463dc2f8344.txt")


def test_quote_matches_after_normalisation(check_text: CheckText) -> None:
    """Curly quotes, dashes and spacing do not matter; the seed has `Israel’s` and a curly quote."""
    text = _edit("  - text: constructive", '  - text: "the head of Israel\'s   Mossad"')
    assert check_text(text) == []


def test_quote_match_is_case_sensitive(check_text: CheckText) -> None:
    """Case matters."""
    assert fields(check_text(_edit("  - text: constructive", "  - text: Constructive"))) == ["quotes[0].text"]


def test_quote_with_only_a_url_source_is_unverified(check_text: CheckText) -> None:
    """No file to check against: a warning, not an error."""
    text = _edit("    file: seeds/000_548c9463dc2f8344.txt", "    url: https://example.org/story")
    text = text.replace("    evidence: Israeli planes targeted 270 sites\n", "")
    findings = check_text(text)
    assert [(f.severity, f.field) for f in findings] == [("warning", "quotes[0].text")]
    assert "unverified" in findings[0].message


def test_evidence_must_be_in_the_source(check_text: CheckText) -> None:
    """Evidence is checked verbatim, like a quote."""
    findings = check_text(_edit("planes targeted 270 sites", "planes hit 270 sites"))
    assert [(f.field, f.message[:21]) for f in findings] == [("numbers[0].evidence", "evidence not found in")]


def test_evidence_must_state_the_value(check_text: CheckText) -> None:
    """Evidence that is in the source but names another number is an error."""
    findings = check_text(_edit("  - value: 270", "  - value: 271"))
    assert [(f.field, f.message[:26]) for f in findings] == [("numbers[0].evidence", "does not state the value 2")]


@pytest.mark.parametrize(
    ("value", "evidence"),
    [("5", "five minutes before his bedroom"), ("76", "76-year-old"), ("90", "90% of the strikes")],
)
def test_evidence_may_state_the_value_in_words_or_digits(check_text: CheckText, value: str, evidence: str) -> None:
    """`five` states 5; `76-year-old` states 76."""
    text = _edit("  - value: 270", f"  - value: {value}").replace("Israeli planes targeted 270 sites", evidence)
    assert check_text(text) == []


def test_figure_without_evidence_warns_when_absent_from_sources(check_text: CheckText) -> None:
    """A value that appears nowhere in the file sources is a warning."""
    text = _edit("  - value: 270", "  - value: 271").replace("    evidence: Israeli planes targeted 270 sites\n", "")
    findings = check_text(text)
    assert [(f.severity, f.field) for f in findings] == [("warning", "numbers[0].value")]


def test_figure_without_evidence_is_quiet_when_the_value_is_there(check_text: CheckText) -> None:
    """320 appears in the seed: no warning."""
    text = _edit("  - value: 270", "  - value: 320").replace("    evidence: Israeli planes targeted 270 sites\n", "")
    assert check_text(text) == []


def test_source_file_symlinked_out_of_seeds_is_refused(repo: Path, check_text: CheckText) -> None:
    """A link inside seeds/ that points elsewhere is not a seed."""
    outside = repo / "secret.txt"
    outside.write_text("constructive", encoding="utf-8")
    (repo / "seeds" / "link.txt").symlink_to(outside)
    findings = check_text(_edit("seeds/000_548c9463dc2f8344.txt", "seeds/link.txt"))
    assert any(f.field == "sources[0].file" and "outside seeds/" in f.message for f in findings)


def test_syntax_error_is_one_error_and_other_files_are_still_checked(repo: Path) -> None:
    """One unreadable file does not hide the problems of the next."""
    (repo / "briefings" / "2024-08-25-a.yaml").write_text("title: [unclosed\nb: 1\n", encoding="utf-8")
    (repo / "briefings" / "2024-08-25-b.yaml").write_text(MINIMAL.replace("quotes:", "quotse:"), encoding="utf-8")
    findings = check_collection([repo / "briefings"], repo).findings
    assert [(f.path.rsplit("/", 1)[1], f.field) for f in findings] == [
        ("2024-08-25-a.yaml", ""),
        ("2024-08-25-b.yaml", "quotse"),
    ]
    assert findings[0].message.startswith("YAML syntax:")


def test_duplicate_slugs_across_folders_name_both_files(repo: Path) -> None:
    """The same slug in two folders is an error naming the other file."""
    for folder in ("a", "b"):
        (repo / "briefings" / folder).mkdir()
        (repo / "briefings" / folder / "2024-08-25-cairo.yaml").write_text(MINIMAL, encoding="utf-8")
    findings = check_collection([repo / "briefings"], repo).findings
    (error,) = findings
    assert error.path.endswith("briefings/b/2024-08-25-cairo.yaml")
    assert error.message.endswith("is also used by " + findings[0].path.replace("/b/", "/a/"))


def test_conflicting_actor_kinds_across_files_name_both_files(repo: Path) -> None:
    """One actor id, two kinds: an error at the second kind, naming the first file and place."""
    (repo / "briefings" / "2024-08-25-a.yaml").write_text(MINIMAL, encoding="utf-8")
    other = MINIMAL.replace("    role: Director, CIA", "    role: Director, CIA\n    kind: organization")
    (repo / "briefings" / "2024-08-25-b.yaml").write_text(other, encoding="utf-8")
    (error,) = check_collection([repo / "briefings"], repo).findings
    assert error.path.endswith("2024-08-25-b.yaml") and error.field == "who[0].kind"
    assert "is an organization here but a person in" in error.message
    assert "2024-08-25-a.yaml:5:5" in error.message


def test_quote_must_match_whole_words(check_text: CheckText) -> None:
    """`rking teams` is not in "working teams": a quote starts and ends at word boundaries."""
    assert fields(check_text(_edit("  - text: constructive", "  - text: rking teams"))) == ["quotes[0].text"]


def test_full_width_digits_are_not_a_number(check_text: CheckText) -> None:
    """Only ASCII digits make a number."""
    assert fields(check_text(_edit("  - value: 270", "  - value: ２７０"))) == ["numbers[0].value"]


def test_a_fifo_is_reported_not_waited_for(repo: Path) -> None:
    """A named pipe called *.yaml is never opened (it would block forever): one error at its path."""
    fifo = repo / "briefings" / "2024-08-25-pipe.yaml"
    os.mkfifo(fifo)
    for target in (repo / "briefings", fifo):
        (finding,) = check_collection([target], repo).findings
        assert (finding.line, finding.column, finding.severity, finding.field) == (1, 1, "error", "file")
        assert finding.message == "a named pipe (FIFO), not a regular file"


def test_upper_case_suffix_is_found_and_refused(repo: Path) -> None:
    """`X.YAML` is checked, and told its name is wrong, rather than silently skipped."""
    (repo / "briefings" / "2024-08-25-cairo.YAML").write_text(MINIMAL, encoding="utf-8")
    findings = check_collection([repo / "briefings"], repo).findings
    assert [(f.field, f.line) for f in findings] == [("file name", 1)]


def test_a_path_with_a_line_break_stays_on_one_line(repo: Path) -> None:
    """Control characters in a path are escaped, so every finding is one line."""
    (repo / "briefings" / "2024-08-25-two\nlines.yaml").write_text(MINIMAL, encoding="utf-8")
    (finding,) = check_collection([repo / "briefings"], repo).findings
    assert "\n" not in finding.format() and "two\\x0alines" in finding.format()


# --- limits (docs/format.md, "Limits") --------------------------------------------------


def _with(block: str, after: str = "sources:\n") -> str:
    """MINIMAL with `block` inserted before the line `after` (keys are placed where they read well)."""
    assert MINIMAL.count(after) == 1
    return MINIMAL.replace(after, block + after)


#: (field, bound, a briefing with that field holding the text VALUE): every text bound of the spec's table.
TEXT_BOUNDS: list[tuple[str, int, str]] = [
    ("title", 140, _edit("title: Cairo talks end without a deal", "title: VALUE")),
    (
        "summary",
        600,
        _edit("summary: High-level talks in Cairo concluded on Sunday without a final agreement.", "summary: VALUE"),
    ),
    ("who[0].name", 200, _edit("  - name: William Burns", "  - name: VALUE")),
    ("who[0].role", 200, _edit("    role: Director, CIA", "    role: VALUE")),
    ("numbers[0].label", 200, _edit("    label: sites targeted", "    label: VALUE")),
    ("numbers[0].unit", 200, _edit("    label: sites targeted", "    label: sites targeted\n    unit: VALUE")),
    ("quotes[0].speaker", 200, _edit("    speaker: U.S. official", "    speaker: VALUE")),
    ("topics[0]", 200, _with("topics:\n  - VALUE\n")),
    ("story", 200, _with("story: VALUE\n")),
    ("location", 200, _with("location: VALUE\n")),
    ("authors[0]", 200, _with("authors:\n  - VALUE\n")),
    ("sources[0].title", 200, _edit("  - title: Wire report", "  - title: VALUE")),
    ("sources[0].publisher", 200, _edit("  - title: Wire report", "  - title: Wire report\n    publisher: VALUE")),
    ("what[0]", 1000, _edit("  - The talks ended without agreement.", "  - VALUE")),
    ("numbers[0].evidence", 1000, _edit("    evidence: Israeli planes targeted 270 sites", "    evidence: VALUE")),
    ("quotes[0].text", 1000, _edit("  - text: constructive", "  - text: VALUE")),
    ("quotes[0].context", 1000, _edit("    speaker: U.S. official", "    speaker: U.S. official\n    context: VALUE")),
    ("next[0].text", 1000, _with("next:\n  - text: VALUE\n")),
    ("next[0].who", 1000, _with("next:\n  - text: Talks resume.\n    who: VALUE\n")),
    ("next[0].when", 1000, _with("next:\n  - text: Talks resume.\n    when: VALUE\n")),
    (
        "corrections[0].text",
        1000,
        _with("updated: 2024-08-26\ncorrections:\n  - date: 2024-08-26\n    text: VALUE\n", after="who:\n"),
    ),
    ("sources[0].id", 1000, _edit("  - title: Wire report", "  - title: Wire report\n    id: VALUE")),
    ("who[0].id", 1000, _edit("    role: Director, CIA", "    role: Director, CIA\n    id: VALUE")),
]


def _text_of(field: str, length: int) -> str:
    """A value of exactly `length` characters that is otherwise right for the field."""
    if field.endswith(".id"):
        return "a" * length
    return "x" * length


@pytest.mark.parametrize(("field", "bound", "text"), TEXT_BOUNDS, ids=[case[0] for case in TEXT_BOUNDS])
def test_every_text_has_its_bound(check_text: CheckText, field: str, bound: int, text: str) -> None:
    """At the bound a text is accepted; one character more is an error at the value, in the usual words."""
    at_bound = check_text(text.replace("VALUE", _text_of(field, bound)))
    assert not [f for f in at_bound if f.field == field and "characters long" in f.message], at_bound
    over = check_text(text.replace("VALUE", _text_of(field, bound + 1)))
    mine = [f for f in over if f.field == field and f.severity == "error"]
    assert len(mine) == 1, over
    assert f"is {bound + 1:,} characters long; at most {bound:,} (got '" in mine[0].message
    line = text.split("VALUE")[0].count("\n") + 1
    assert mine[0].line == line


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("    file: seeds/000_548c9463dc2f8344.txt", "    file: seeds/" + "a/" * 497 + "a", "sources[0].file"),
        ("    file: seeds/", "    url: https://example.org/" + "a" * 981 + "\n    file: seeds/", "sources[0].url"),
    ],
)
def test_paths_and_urls_are_bounded_as_other_texts(check_text: CheckText, old: str, new: str, field: str) -> None:
    """A source's file and url are values written as text: at most 1,000 characters."""
    findings = check_text(_edit(old, new))
    errors = [(f.field, f.message[:40]) for f in findings if f.severity == "error"]
    assert errors == [(field, "is 1,001 characters long; at most 1,000 ")]
    # A file in error keeps the quotes and figures that may cite it from being checked: said once.
    assert [f.field for f in findings if f.severity == "warning"] == (["sources"] if field.endswith("file") else [])


def test_characters_are_code_points_counted_after_trimming(check_text: CheckText) -> None:
    """200 emoji (800 bytes) make a 200-character name; surrounding spaces do not count; `é` written as
    e and a combining accent is two."""
    assert check_text(_edit("  - name: William Burns", "  - name: '  " + "😀" * 200 + "  '\n    id: emoji")) == []
    findings = check_text(_edit("  - name: William Burns", "  - name: " + "e\u0301" * 100 + "x"))
    assert [(f.field, f.message[:36]) for f in findings] == [("who[0].name", "is 201 characters long; at most 200 ")]


#: (list, bound, plural, one item written with {n} somewhere in it, where it goes, what it replaces).
LIST_BOUNDS: list[tuple[str, int, str, str, str, str]] = [
    (
        "who",
        50,
        "actors",
        "  - name: Actor {n}\n",
        "who:\n",
        "who:\n  - name: William Burns\n    role: Director, CIA\n",
    ),
    ("what", 20, "items", "  - Item {n}.\n", "what:\n", "what:\n  - The talks ended without agreement.\n"),
    ("numbers", 30, "figures", "  - value: {n}\n    label: l\n", "numbers:\n", ""),
    ("quotes", 30, "quotes", "  - text: constructive\n    speaker: Speaker {n}\n", "quotes:\n", ""),
    ("next", 20, "next steps", "  - text: Step {n}.\n", "next:\n", "sources:\n"),
    ("sources", 20, "sources", "  - title: T{n}\n    url: https://example.org/{n}\n", "sources:\n", ""),
    ("corrections", 20, "corrections", "  - date: 2024-08-26\n    text: Fix {n}.\n", "corrections:\n", ""),
    ("topics", 8, "topics", "  - Topic {n}\n", "topics:\n", "sources:\n"),
    ("authors", 10, "authors", "  - Author {n}\n", "authors:\n", "sources:\n"),
]


def _list_of(name: str, count: int) -> str:
    """MINIMAL with the list `name` holding `count` items (numbered from 1) besides any it has."""
    _, _, _, item, head, replaced = next(case for case in LIST_BOUNDS if case[0] == name)
    items = "".join(item.format(n=n) for n in range(1, count + 1))
    text = MINIMAL
    if name == "corrections":
        return text.replace("date: 2024-08-25\n", "date: 2024-08-25\nupdated: 2024-08-26\n") + head + items
    if replaced == "sources:\n":  # a new list, placed before sources
        return text.replace("sources:\n", head + items + "sources:\n")
    if replaced:  # the list is rewritten
        return text.replace(replaced, head + items)
    return text.replace(head, head + items)  # the items go first; MINIMAL's own one last


@pytest.mark.parametrize(
    ("name", "bound", "plural"), [case[:3] for case in LIST_BOUNDS], ids=[case[0] for case in LIST_BOUNDS]
)
def test_every_list_has_its_bound(check_text: CheckText, name: str, bound: int, plural: str) -> None:
    """A list at its bound is accepted; past it, one error at the first item past the bound, nothing else about it."""
    extra = 1 if name in ("numbers", "quotes", "sources") else 0  # MINIMAL has one of these already
    at_bound = check_text(_list_of(name, bound - extra))
    assert not [f for f in at_bound if "at most" in f.message], at_bound
    text = _list_of(name, bound - extra + 2)
    over = [f for f in check_text(text) if f.severity == "error"]
    one = "next step" if name == "next" else ("item" if name == "what" else plural[:-1])
    assert [(f.field, f.message) for f in over] == [
        (f"{name}[{bound}]", f"is {one} {bound + 1}; at most {bound} {plural} (the list has {bound + 2})")
    ]
    # At the first item past the bound: the generated item numbered bound + 1 (they come first).
    marker = LIST_BOUNDS[[c[0] for c in LIST_BOUNDS].index(name)][3].format(n=bound + 1)
    line = text[: text.index(marker)].count("\n") + 1
    assert (over[0].line, over[0].column) == (line, 5)


def test_a_list_past_its_bound_still_has_its_items_checked(check_text: CheckText) -> None:
    """Items up to the bound are read as usual (every problem in one run); the ones past it are not."""
    topics = "topics:\n  - ''\n" + "".join(f"  - Topic {n}\n" for n in range(2, 10)) + "  - ''\n"
    findings = check_text(_with(topics))
    assert [(f.field, f.message[:16]) for f in findings] == [
        ("topics[0]", "must not be empt"),
        ("topics[8]", "is topic 9; at m"),
    ]


def test_a_huge_list_is_one_finding(check_text: CheckText) -> None:
    """100,000 topics: one error, quickly, not one per item."""
    findings = check_text(_with("topics:\n" + "  - t\n" * 100_000))
    assert [(f.field, f.message) for f in findings] == [
        ("topics[8]", "is topic 9; at most 8 topics (the list has 100,000)")
    ]


# --- a figure's value -----------------------------------------------------------------------

ACCEPTED_VALUES = [
    "0",
    "270",
    "-3",
    "0.5",
    "1200000",
    "123456789012345",
    "-123456789012345",
    "100000000000000",
    "1.23456789012345",
    "0.123456789012345",
    "0.000000000000001",
    "000000000000000000000000001",
    "0.000000000000000",
    "12.50",
]
REFUSED_VALUES = [
    ("1234567890123456", "has 16 significant digits; at most 15"),
    ("1000000000000000", "has 16 significant digits; at most 15"),
    ("1.000000000000000", "has 16 significant digits; at most 15"),
    ("1.234567890123456", "has 16 significant digits; at most 15"),
    ("-99999999999999999", "has 17 significant digits; at most 15"),
    ("0.0000000000000001", "has 16 digits after the decimal point; at most 15"),
    ("0.0000000000000000", "has 16 digits after the decimal point; at most 15"),
    ("0." + "0" * 500 + "1", "has 501 digits after the decimal point; at most 15"),
    ("9" * 5000, "has 5,000 significant digits; at most 15"),
    ("1" + "0" * 5000, "has 5,001 significant digits; at most 15"),
    ("1." + "0" * 5000, "has 5,001 significant digits; at most 15"),
]


@pytest.mark.parametrize("value", ACCEPTED_VALUES)
def test_figure_values_within_15_digits_are_accepted(check_text: CheckText, value: str) -> None:
    """Significant digits run from the first non-zero digit to the last one written."""
    text = _edit("  - value: 270", f"  - value: '{value}'").replace(
        "    evidence: Israeli planes targeted 270 sites\n", ""
    )
    assert [f.severity for f in check_text(text)] in ([], ["warning"])


@pytest.mark.parametrize(("value", "message"), REFUSED_VALUES, ids=[v[:20] for v, _ in REFUSED_VALUES])
def test_figure_values_past_15_digits_are_one_clean_error(check_text: CheckText, value: str, message: str) -> None:
    """Too many digits, or too many after the point (which would turn 0.000...1 into 0): an error, never a traceback."""
    text = _edit("  - value: 270", f"  - value: {value}").replace(
        "    evidence: Israeli planes targeted 270 sites\n", ""
    )
    findings = check_text(text)
    assert [(f.line, f.column, f.field) for f in findings] == [(10, 12, "numbers[0].value")]
    assert findings[0].message.startswith(message + " (got '")


@pytest.mark.parametrize(
    ("value", "accepted"), [(v, True) for v in ACCEPTED_VALUES] + [(v, False) for v, _ in REFUSED_VALUES]
)
def test_the_schema_pattern_of_a_value_agrees_with_the_checker(value: str, accepted: bool) -> None:
    """The JSON Schema's pattern for a value written as text accepts exactly what `briefing check` does."""
    pattern = json_schema()["properties"]["numbers"]["items"]["properties"]["value"]["pattern"]
    assert bool(re.search(pattern, value)) is accepted


@given(st.from_regex(r"-?[0-9]{1,20}(\.[0-9]{1,20})?", fullmatch=True))
def test_the_value_pattern_agrees_with_the_checker_on_any_number(value: str) -> None:
    """Generated numbers: the schema's pattern and the checker agree on every one."""
    pattern = json_schema()["properties"]["numbers"]["items"]["properties"]["value"]["pattern"]
    errors: list[str] = []
    Number().convert(value, Scalar(value, 1, 1, True), "v", _Errors(errors))
    assert bool(re.search(pattern, value)) is (not errors)


class _Errors:
    """A reading context that only collects error messages."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors

    def error(self, node: object, field: str, message: str) -> None:
        self.errors.append(message)

    def mark(self, field: str, node: object) -> None:
        pass

    def seed_problem(self, path: str) -> str | None:
        return None


# --- URLs ------------------------------------------------------------------------------------

GOOD_URLS = [
    "https://example.org",
    "http://example.org/",
    "https://www.example.org/news/2024/08/25/cairo-talks.html",
    "http://example.org:8080/a/b?c=d&e=f#g",
    "https://EXAMPLE.org/A%20B",
    "https://xn--caf-dma.example/",
    "https://de.wikipedia.org/wiki/Stra%C3%9Fe",
    "https://en.wikipedia.org/wiki/Conan_O%27Brien",
    "http://192.168.0.1/",
    "http://0.0.0.0:1/",
    "http://[2001:db8::1]:443/",
    "http://[::ffff:1.2.3.4]/",
    "https://medium.com/@user/post",
    "https://example.org/a;b=c,d!$*+()~_.-",
    "https://localhost/",
    "https://example.org/?q=a/b?c:d@e",
    "https://example.org/#",
    "https://example.org?x",
    "https://example.org#top",
    "https://a-b.c-d.example/",
    "http://example.org:65535/",
    "https://" + "a" * 63 + ".example/",
]
BAD_URLS = [
    ("HTTPS://example.org/", "write http:// or https:// in lowercase"),
    ("Http://example.org/", "in lowercase"),
    ("ftp://example.org/", ""),
    ("javascript:alert(1)", ""),
    ("https:example.org", ""),
    ("//example.org/", ""),
    ("https://", "there is no host"),
    ("https:///path", "there is no host"),
    ("https://:80/", "there is no host"),
    ("https://user:pass@example.org/", "user name or password"),
    ("https://www.example.org@evil.example/", "user name or password"),
    ("https://@example.org/", "user name or password"),
    ("https://example.org:0/", "the port must be a number from 1 to 65535 (got '0')"),
    ("https://example.org:65536/", "(got '65536')"),
    ("https://example.org:80a/", "(got '80a')"),
    ("https://example.org:/", "(got '')"),
    ("https://example.org:000080/", "(got '000080')"),
    ("https://example.org:8:8/", "(got '8:8')"),
    ("https://exa mple.org/", "a space must be written percent-encoded (%20)"),
    ("https://example.org/a b", "a space"),
    ('https://example.org/"x"', 'a quotation mark (") must be written percent-encoded (%22)'),
    ("https://example.org/O'Brien", "a quotation mark (') must be written percent-encoded (%27)"),
    ("https://example.org/<script>", "'<' must be written percent-encoded (%3C)"),
    ("https://evil.example\\@example.org/", "'\\\\' must be written percent-encoded (%5C)"),
    ("https://example.org/a\tb", "the character U+0009"),
    ("https://example.org/a\u00a0b", "the character U+00A0 must be written percent-encoded (%C2%A0)"),
    ("https://example.org/\u202e", "the character U+202E"),
    ("https://café.example/", "'é' must be written percent-encoded (%C3%A9)"),
    ("https://example.org/café", "'é'"),
    ("https://example.org/a|b", "'|'"),
    ("https://example.org/{x}", "'{'"),
    ("https://example.org/^", "'^'"),
    ("https://example.org/`", "'`'"),
    ("https://example.org/a%zz", "a '%' must start an escape"),
    ("https://example.org/100%", "a '%' must start an escape"),
    ("https://example.org/[x]", "'[' and ']' only enclose an IPv6 host"),
    ("https://example.org/#a#b", "a second '#'"),
    ("https://example..org/", "is not a host name"),
    ("https://.example.org/", "is not a host name"),
    ("https://example.org./", "is not a host name"),
    ("https://-example.org/", "is not a host name"),
    ("https://example-.org/", "is not a host name"),
    ("https://ex_ample.org/", "is not a host name"),
    ("https://%65xample.org/", "is not a host name"),
    ("https://" + "a" * 64 + ".example/", "is not a host name"),
    ("https://" + ("a" * 63 + ".") * 4 + "org/", "longer than 253"),
    ("http://256.1.1.1/", "is not an IPv4 address"),
    ("http://1.2.3/", "is not an IPv4 address"),
    ("http://01.2.3.4/", "is not an IPv4 address"),
    ("http://1.2.3.4.5/", "is not an IPv4 address"),
    ("http://999/", "is not an IPv4 address"),
    ("http://example.123/", "is not an IPv4 address"),
    ("http://[::1/", "in brackets"),
    ("http://[::1]x/", "in brackets"),
    ("http://[zz::1]/", "is not an IPv6 address"),
    ("http://[1.2]/", "is not an IPv6 address"),
    ("http://[]/", "is not an IPv6 address"),
    ("http://[fe80::1%25eth0]/", "is not an IPv6 address"),
    ("http://[v1.x]/", "is not an IPv6 address"),
    ("http://[::1]:0/", "the port must be"),
    ("https://example.org/\n", "the character U+000A"),
]


@pytest.mark.parametrize("url", GOOD_URLS)
def test_well_formed_web_urls_are_accepted(url: str) -> None:
    """Absolute http(s) URLs with a host name, IPv4 or bracketed IPv6 address, and an optional port."""
    assert url_problem(url) is None and is_web_url(url)


@pytest.mark.parametrize(("url", "reason"), BAD_URLS, ids=[repr(u[:40]) for u, _ in BAD_URLS])
def test_malformed_or_tricky_urls_are_refused_saying_why(url: str, reason: str) -> None:
    """No user info, spaces, quotes, angle brackets, backslashes, controls or non-ASCII; a real host and port."""
    problem = url_problem(url)
    assert problem is not None and not is_web_url(url)
    assert reason in problem if reason else problem == ""


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "expected an http:// or https:// URL (got 'javascript:alert(1)')"),
        ("https://a@b.example/", "expected an http:// or https:// URL: a user name or password ('...@') is not"),
    ],
)
def test_a_refused_url_is_one_error_at_its_value(check_text: CheckText, url: str, message: str) -> None:
    """The reason, when there is one, follows the usual words."""
    findings = check_text(_edit("    file: seeds/", f"    url: '{url}'\n    file: seeds/"))
    assert [(f.line, f.column, f.field) for f in findings] == [(18, 10, "sources[0].url")]
    assert findings[0].message.startswith(message)


def _schema_accepts(url: str) -> bool:
    """The committed briefing schema's checks of a source's url, formats included."""
    schema = json.loads((PROJECT / "docs" / "schema" / "briefing.schema.json").read_text(encoding="utf-8"))
    url_schema = schema["properties"]["sources"]["items"]["properties"]["url"]
    return Draft202012Validator(url_schema, format_checker=Draft202012Validator.FORMAT_CHECKER).is_valid(url)


def test_format_uri_is_really_checked() -> None:
    """`format: uri` is checked only with rfc3986-validator installed: these prove it is, and that it refuses."""
    checker = Draft202012Validator.FORMAT_CHECKER
    assert "uri" in checker.checkers
    assert not checker.conforms("http://exa mple.org/", "uri")
    assert not checker.conforms("http://[1.2]/", "uri")
    # Passes the schema's pattern: only the format can refuse it.
    pattern = json_schema()["properties"]["sources"]["items"]["properties"]["url"]["pattern"]
    assert re.search(pattern, "http://[1.2]/")
    assert not _schema_accepts("http://[1.2]/")


@pytest.mark.parametrize("url", GOOD_URLS)
def test_every_url_the_format_accepts_is_an_rfc_3986_uri(url: str) -> None:
    """What `briefing check` accepts, the JSON Schema accepts too: `format: uri`, pattern and length."""
    assert _schema_accepts(url)


_HOSTS = st.sampled_from(
    [
        "example.org",
        "EXAMPLE.org",
        "a.b",
        "localhost",
        "1.2.3.4",
        "[::1]",
        "[2001:db8::1]",
        "xn--caf-dma.example",
        "example.org:8080",
        "example.org:0",
        "a@b",
        "a..b",
        "café.example",
        "",
        "[v1.x]",
        "256.0.0.1",
        "[fe80::1%eth0]",
        "exa mple.org",
        "example.org\\",
    ]
)
_URL_TAIL_CHARS = st.sampled_from(
    [
        *string.ascii_letters,
        *string.digits,
        *string.punctuation,
        *" \t\n\r\x00\x7f\u00a0\u202e\u200bé北😀",
        "%20",
        "%zz",
        "%",
    ]
)


@given(
    st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "https:"]),
    _HOSTS,
    st.lists(_URL_TAIL_CHARS, max_size=20),
)
def test_the_checker_and_the_schema_agree_on_hostile_urls(scheme: str, host: str, tail: list[str]) -> None:
    """Property: every URL `briefing check` accepts passes `format: uri` and the schema's pattern."""
    url = scheme + host + "".join(tail)
    if is_web_url(url):
        assert Draft202012Validator.FORMAT_CHECKER.conforms(url, "uri"), url
        assert _schema_accepts(url), url


@given(st.ip_addresses(v=6))
def test_every_ipv6_host_accepted_is_an_rfc_3986_uri(address: ipaddress.IPv6Address) -> None:
    """IPv6 hosts are checked with `ipaddress`: what it accepts, RFC 3986 accepts too."""
    for text in (str(address), address.exploded):
        url = f"http://[{text}]/"
        assert is_web_url(url)
        assert Draft202012Validator.FORMAT_CHECKER.conforms(url, "uri"), url


# --- the briefing schema, checked with formats --------------------------------------------


def test_the_committed_briefing_schema_validates_a_briefing_with_formats() -> None:
    """The committed schema is valid, accepts the minimal briefing (as the text YAML holds), and checks formats."""
    schema = json.loads((PROJECT / "docs" / "schema" / "briefing.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    data = yaml.load(
        _edit("    file: seeds/", "    url: https://example.org/a\n    file: seeds/"), Loader=yaml.BaseLoader
    )
    assert list(validator.iter_errors(data)) == []
    data["sources"][0]["url"] = "http://[1.2]/"
    assert [error.validator for error in validator.iter_errors(data)] == ["format"]


def _schema_bounds(schema: dict[str, object], path: str = "") -> dict[str, int]:
    """Every maxLength and maxItems of a schema, by field path (`who[].name`)."""
    found: dict[str, int] = {}
    for key in ("maxLength", "maxItems"):
        if key in schema:
            found[path] = schema[key]  # type: ignore[assignment]
    properties = schema.get("properties", {})
    assert isinstance(properties, dict)
    for name, child in properties.items():
        found.update(_schema_bounds(child, f"{path}.{name}" if path else name))
    if isinstance(schema.get("items"), dict):
        found.update(_schema_bounds(schema["items"], path + "[]"))  # type: ignore[arg-type]
    return found


def test_the_json_schema_carries_every_bound_of_the_limits_table() -> None:
    """The spec's table of limits, as maxItems and maxLength of the briefing schema."""
    bounds = _schema_bounds(json_schema())
    table = {
        "who": 50, "what": 20, "next": 20, "numbers": 30, "quotes": 30, "sources": 20, "corrections": 20,
        "topics": 8, "authors": 10, "unchecked": 80, "title": 140, "summary": 600, "why": 300, "unchecked[]": 200,
        "who[].name": 200, "who[].role": 200, "numbers[].label": 200, "numbers[].unit": 200,
        "quotes[].speaker": 200, "topics[]": 200, "story": 200, "location": 200, "authors[]": 200,
        "sources[].title": 200, "sources[].publisher": 200,
        "what[]": 1000, "numbers[].evidence": 1000, "quotes[].text": 1000, "quotes[].context": 1000,
        "next[].text": 1000, "next[].who": 1000, "next[].when": 1000, "corrections[].text": 1000,
        "retracted.reason": 1000,
    }  # fmt: skip
    assert {path: bounds.get(path) for path in table} == table
    # Every other value written as text has the bound of "every other text".
    others = {path: bound for path, bound in bounds.items() if path not in table}
    assert others == {
        "who[].id": 1000,
        "numbers[].source": 1000,
        "numbers[].key": 80,
        "quotes[].source": 1000,
        "sources[].id": 1000,
        "sources[].url": 1000,
        "sources[].file": 1000,
    }


# --- corrections -----------------------------------------------------------------------------

CORRECTED = _with(
    "updated: 2024-08-27\ncorrections:\n  - date: 2024-08-26\n    text: An earlier version said 12 sites.\n"
    "  - date: 2024-08-27\n    text: The talks ended on Sunday.\n",
    after="who:\n",
)


def test_corrections_are_read(check_text: CheckText) -> None:
    """A briefing with well-formed corrections is clean."""
    assert check_text(CORRECTED) == []


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("  - date: 2024-08-26\n", "  - date: 26 August\n", "corrections[0].date", "expected a date YYYY-MM-DD"),
        ("    text: An earlier version said 12 sites.\n", "", "corrections[0].text", "required"),
        ("  - date: 2024-08-26\n", "  - text2: x\n    date: 2024-08-26\n", "corrections[0].text2", "unknown key"),
        ("    text: An earlier version said 12 sites.", "    text: ''", "corrections[0].text", "must not be empty"),
        ("  - date: 2024-08-27\n    text: The talks ended on Sunday.\n", "  more: x\n", "", "YAML syntax"),
    ],
)
def test_correction_fields(check_text: CheckText, old: str, new: str, field: str, message: str) -> None:
    """Each correction is a date and a text, both required."""
    assert CORRECTED.count(old) == 1
    findings = check_text(CORRECTED.replace(old, new))
    assert [f.field for f in findings if f.severity == "error"][:1] == [field], findings
    assert message in findings[0].message


def _rules(date: str, updated: str | None, written: bool, *corrections: str) -> list[tuple[str, str]]:
    values: dict[str, object] = {"date": dt.date.fromisoformat(date)}
    if updated:
        values["updated"] = dt.date.fromisoformat(updated)
    values["corrections"] = tuple({"date": dt.date.fromisoformat(c), "text": "x"} for c in corrections)
    return correction_rules(values, updated_written=written)


def test_correction_rules() -> None:
    """Not before the briefing's date; `updated` on or after the newest correction (at updated, or the correction)."""
    assert _rules("2024-08-25", "2024-08-27", True, "2024-08-25", "2024-08-27") == []
    assert _rules("2024-08-25", None, False) == []
    assert _rules("2024-08-25", "2024-08-27", True, "2024-08-24") == [
        ("corrections[0].date", "must not be before date 2024-08-25 (got '2024-08-24')")
    ]
    assert _rules("2024-08-25", "2024-08-26", True, "2024-08-26", "2024-08-28", "2024-08-27") == [
        ("updated", "must be on or after the newest correction, corrections[1] of 2024-08-28 (got '2024-08-26')")
    ]
    assert _rules("2024-08-25", None, False, "2024-08-26") == [
        ("corrections[0].date", "is the newest correction: the briefing needs `updated: 2024-08-26` or later")
    ]
    # An `updated` in error was reported already: nothing more about it.
    assert _rules("2024-08-25", None, True, "2024-08-26") == []


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("  - date: 2024-08-26\n", "  - date: 2024-08-24\n", "corrections[0].date"),
        ("updated: 2024-08-27\n", "updated: 2024-08-26\n", "updated"),
        ("updated: 2024-08-27\n", "", "corrections[1].date"),
    ],
)
def test_correction_rules_run_in_briefing_check(check_text: CheckText, old: str, new: str, field: str) -> None:
    """The rules that join corrections to the briefing's dates are errors of `briefing check`."""
    assert [f.field for f in check_text(CORRECTED.replace(old, new))] == [field]


def test_corrections_reach_the_model(repo: Path) -> None:
    """A checked briefing carries its corrections, in the order written."""
    path = repo / "briefings" / "2024-08-25-cairo-talks.yaml"
    path.write_text(CORRECTED, encoding="utf-8")
    (briefing,) = check_collection([path], repo).briefings
    assert briefing.corrections == (
        Correction(dt.date(2024, 8, 26), "An earlier version said 12 sites."),
        Correction(dt.date(2024, 8, 27), "The talks ended on Sunday."),
    )


# --- dates ---------------------------------------------------------------------------------------

#: A briefing whose every date field is written: `date` (and the file name), `updated`, a correction's
#: date, a next step's `when` and a source's `published`. Each test puts days at its bounds.
DATED = """\
title: Cairo talks end without a deal
date: DATE
updated: UPDATED
summary: High-level talks in Cairo concluded on Sunday without a final agreement.
who:
  - name: William Burns
what:
  - The talks ended without agreement.
next:
  - text: A vote.
    when: WHEN
sources:
  - title: Wire report
    file: seeds/000_548c9463dc2f8344.txt
    published: PUBLISHED
corrections:
  - date: CORRECTED
    text: An earlier version said 12 sites.
"""


def _dated(date: str, other: str | None = None, **days: str) -> tuple[str, str]:
    """DATED with these days (`updated`, `when`, `published`, `corrected`; by default `other`, or else `date`),
    and its file name."""
    text = DATED.replace("DATE", date, 1)
    for key in ("updated", "when", "published", "corrected"):
        text = text.replace(key.upper(), days.get(key, other or date), 1)
    return text, f"{date}-cairo-talks.yaml"


@pytest.mark.parametrize(
    ("date", "days"),
    [
        ("1970-01-01", {}),
        ("2099-12-31", {}),
        ("1970-01-01", {"updated": "2099-12-31", "corrected": "2099-12-31", "when": "2099-12-31"}),
        ("2099-12-31", {"when": "1970-01-01", "published": "1000-01-01"}),
        ("1970-01-01", {"published": "2099-12-31"}),
    ],
)
def test_dates_at_their_bounds_are_accepted(check_text: CheckText, date: str, days: dict[str, str]) -> None:
    """The earliest and the latest day of each date field: no finding."""
    text, name = _dated(date, **days)
    assert check_text(text, name=name) == []


@pytest.mark.parametrize(
    ("date", "days", "field", "place", "earliest"),
    [
        ("1969-12-31", {}, "date", (2, 7), "1970-01-01"),
        ("2100-01-01", {}, "date", (2, 7), "1970-01-01"),
        ("2107-01-01", {}, "date", (2, 7), "1970-01-01"),  # crashed the compressed sitemap (gzip's 32-bit time)
        ("2024-08-25", {"updated": "2100-01-01"}, "updated", (3, 10), "1970-01-01"),
        ("2024-08-25", {"when": "1969-12-31"}, "next[0].when", (11, 11), "1970-01-01"),
        ("2024-08-25", {"when": "2100-01-01"}, "next[0].when", (11, 11), "1970-01-01"),
        ("2024-08-25", {"when": "9999-12-31"}, "next[0].when", (11, 11), "1970-01-01"),  # crashed the calendar
        ("2024-08-25", {"published": "0999-12-31"}, "sources[0].published", (15, 16), "1000-01-01"),
        ("2024-08-25", {"published": "2100-01-01"}, "sources[0].published", (15, 16), "1000-01-01"),
    ],
)
def test_a_date_past_its_bounds_is_one_error_at_it(
    check_text: CheckText, date: str, days: dict[str, str], field: str, place: tuple[int, int], earliest: str
) -> None:
    """One day past a bound is one error at the value, naming the bounds and the value."""
    text, name = _dated(date, "2024-08-25", **days)
    findings = check_text(text, name=name)
    value = days.get(field.split(".")[-1].split("[")[0], date)
    assert [(f.field, (f.line, f.column), f.severity) for f in findings] == [(field, place, "error")], findings
    assert findings[0].message == f"must be from {earliest} to 2099-12-31 (got '{value}')"
    assert findings[0].format().endswith(f":{place[0]}:{place[1]}: error: {field}: {findings[0].message}")


def test_a_correction_past_the_latest_day_is_one_error_at_it(check_text: CheckText) -> None:
    """A correction dated 2100 is reported at its date; `updated`, which is in bounds, is not blamed for it."""
    text, name = _dated("2024-08-25", updated="2099-12-31", corrected="2100-01-01")
    findings = check_text(text, name=name)
    assert [(f.field, f.line, f.message) for f in findings] == [
        ("corrections[0].date", 17, "must be from 1970-01-01 to 2099-12-31 (got '2100-01-01')")
    ]


def test_a_text_when_is_not_a_date_and_has_no_date_bounds(check_text: CheckText) -> None:
    """`when` written other than YYYY-MM-DD is text: `in 2100` and `9999` are fine."""
    for when in ("in 2100", "9999", "by 31 December 9999"):
        text, name = _dated("2024-08-25", when=when)
        assert check_text(text, name=name) == []


def _schema_date(field: str) -> dict[str, object]:
    schema = json.loads((PROJECT / "docs" / "schema" / "briefing.schema.json").read_text(encoding="utf-8"))
    node = schema
    for part in field.split("."):
        node = node["properties"][part.removesuffix("[]")]
        if part.endswith("[]"):
            node = node["items"]
    return node  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("field", "earliest"),
    [
        ("date", 1970),
        ("updated", 1970),
        ("corrections[].date", 1970),
        ("next[].when", 1970),
        ("sources[].published", 1000),
    ],
)
def test_the_schema_bounds_each_date_as_the_checker_does(field: str, earliest: int) -> None:
    """The committed schema accepts exactly the years the checker accepts, for every date field."""
    validator = Draft202012Validator(_schema_date(field), format_checker=Draft202012Validator.FORMAT_CHECKER)
    accepted = [year for year in range(10000) if validator.is_valid(f"{year:04d}-06-15")]
    assert accepted == list(range(earliest, 2100))
    assert validator.is_valid(f"{earliest:04d}-01-01") and validator.is_valid("2099-12-31")
    assert not validator.is_valid("2099-02-30")  # `format: date`: the day itself
    if field == "next[].when":
        assert validator.is_valid("coming days") and validator.is_valid("in 2100")


def test_a_record_and_its_model_are_one_shape() -> None:
    """A key with no model field, or a model field with no key (and not derived), fails when the record is made."""
    with pytest.raises(TypeError, match=r"keys with no field \['extra'\]"):
        Record("figure", "Figure", {**FIGURE.fields, "extra": FIGURE.fields["label"]}, model=Figure)
    with pytest.raises(TypeError, match=r"fields with no key \['label'\]"):
        Record("figure", "Figure", {k: v for k, v in FIGURE.fields.items() if k != "label"}, model=Figure)
    with pytest.raises(TypeError, match=r"derived fields that are not model-only \['label'\]"):
        Record("figure", "Figure", FIGURE.fields, model=Figure, derived=("label",))


def test_a_record_and_its_model_hold_the_same_types() -> None:
    """A field type that reads another type than the model's field holds fails when the record is made:
    scalars, lists of scalars and lists of records alike; a field that may be left out may be `T | None`."""
    with pytest.raises(TypeError, match=r"value reads <class 'str'> but Figure.value is <class 'decimal.Decimal'>"):
        Record("figure", "Figure", {**FIGURE.fields, "value": Field(Text(), "v", required=True)}, model=Figure)
    with pytest.raises(TypeError, match=r"topics reads tuple\[datetime.date, \.\.\.\] but Briefing.topics"):
        Record(
            "briefing",
            "Briefing",
            {**BRIEFING.fields, "topics": Field(ListOf(Date()), "t")},
            model=Briefing,
            derived=("slug",),
        )
    with pytest.raises(TypeError, match=r"who reads tuple\[generator.format.model.Figure, \.\.\.\]"):
        Record(
            "briefing",
            "Briefing",
            {**BRIEFING.fields, "who": Field(ListOf(FIGURE), "w", required=True)},
            model=Briefing,
            derived=("slug",),
        )
    assert FIGURE.fields["unit"].type.holds() is str  # Figure.unit is `str | None`: accepted
    assert BRIEFING.fields["next"].type.holds() == tuple[NextStep, ...]


def test_a_keys_bound_is_the_address_rules() -> None:
    """A figure's key is an address: the schema's bound on it is the address rule's."""
    from generator.format.schema import FIGURE, KEY_LENGTH
    from generator.rules.addresses import MAX_CHARS

    assert KEY_LENGTH == MAX_CHARS == FIGURE.fields["key"].type.json_schema()["maxLength"]
