"""The format's rules, one test each, through the same path `briefing check` takes."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest

from generator.collection import check_collection
from tests.conftest import MINIMAL, SEED_BRIEFING, CheckText, fields


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
        ("    label: sites targeted", "    label: sites targeted\n    qualifier: around", "numbers[0].qualifier", ""),
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
    """A named pipe called *.yaml is not read (it would block forever)."""
    fifo = repo / "briefings" / "2024-08-25-pipe.yaml"
    os.mkfifo(fifo)
    assert check_collection([repo / "briefings"], repo).files == []
    (finding,) = check_collection([fifo], repo).findings
    assert finding.message == "cannot be read: not a regular file"


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
