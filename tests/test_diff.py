"""`briefing diff`: briefings compared between a git revision and the working tree, in real repositories."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.edge.cli import main
from generator.newsroom.diff import Changes, DiffError, briefing_diff, render_diff
from generator.rules.validate import CheckedFile, check_bytes, check_file
from generator.rules.verify import Seeds
from tests.conftest import MINIMAL, SEED

SEED_FILE = f"seeds/{SEED.name}"
FOLDER = "briefings/2024"


def git(cwd: Path, *args: str) -> str:
    """Run git with a test identity and no signing; its output, stripped."""
    config = ["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main"]
    done = subprocess.run(
        ["git", *config, "-c", "commit.gpgsign=false", *args], cwd=cwd, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def commit(root: Path, message: str = "base") -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD")


def new_repo(root: Path) -> Path:
    """A git repository with seeds/ holding the seed article and an empty briefings/2024/."""
    (root / "seeds").mkdir(parents=True)
    shutil.copy(SEED, root / SEED_FILE)
    (root / FOLDER).mkdir(parents=True)
    git(root, "init", "-q")
    return root


def write(root: Path, name: str, text: str) -> None:
    path = root / FOLDER / name
    path.write_text(text, encoding="utf-8")


def titled(title: str, text: str = MINIMAL) -> str:
    return text.replace("Cairo talks end without a deal", title)


#: The isolates around each value and the word joiners that break links, left out to compare words.
INVISIBLE = str.maketrans("", "", "\u2068\u2069\u2060")


@dataclass
class Ran:
    """`briefing diff`'s exit code and output: `stdout` without isolates and word joiners, `raw` as printed."""

    exit_code: int
    stdout: str
    stderr: str
    output: str
    raw: str


def run(root: Path, *args: str) -> Ran:
    """`briefing diff --root ROOT ARGS`: the result (exit code, stdout, stderr)."""
    result = CliRunner().invoke(main, ["diff", "--root", str(root), *args])
    out = result.stdout
    return Ran(result.exit_code, out.translate(INVISIBLE), result.stderr, result.output.translate(INVISIBLE), out)


# --- the scenario of a pull request -----------------------------------------------------------

ROCKETS = """\
  - value: 300
    label: Katyusha rockets launched
    unit: rockets
"""
ROCKETS_NOW = """\
  - value: 320
    label: Katyusha rockets launched
    unit: rockets
    qualifier: over
    evidence: launching over 320 Katyusha rockets
"""
CAIRO = MINIMAL.replace("quotes:\n", ROCKETS + "quotes:\n")
NEW_QUOTES = """\
    speaker: U.S. official
  - text: working teams
    speaker: U.S. official
  - text: a deal within reach
    speaker: William Burns
"""


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, str]:
    """A repository whose working tree changes a briefing's figures and quotes, renames two
    briefings (one as it is, one with a new headline), removes one and adds one; and the base commit."""
    root = new_repo(tmp_path / "newsroom")
    write(root, "2024-08-25-cairo-talks.yaml", CAIRO)
    write(root, "2024-08-25-talks-in-cairo.yaml", titled("Talks in Cairo"))
    write(root, "2024-08-25-strikes.yaml", titled("Strikes hit Lebanon"))
    hezbollah = titled("Hezbollah fires rockets").replace("William Burns", "Hassan Nasrallah")
    write(root, "2024-08-25-hezbollah.yaml", hezbollah.replace("Director, CIA", "Hezbollah leader"))
    base = commit(root)
    cairo = CAIRO.replace("value: 270", "value: 280").replace(ROCKETS, ROCKETS_NOW)
    write(root, "2024-08-25-cairo-talks.yaml", cairo.replace("    speaker: U.S. official\n", NEW_QUOTES))
    folder = root / FOLDER
    (folder / "2024-08-25-talks-in-cairo.yaml").rename(folder / "2024-08-25-cairo-round-ends.yaml")
    (folder / "2024-08-25-strikes.yaml").unlink()
    write(root, "2024-08-25-strikes-in-lebanon.yaml", titled("Israeli strikes hit Lebanon"))
    (folder / "2024-08-25-hezbollah.yaml").unlink()
    write(root, "2024-08-26-aid-convoy.yaml", titled("Aid convoy reaches Gaza").replace("2024-08-25", "2024-08-26"))
    return root, base


SUMMARY = "High-level talks in Cairo concluded on Sunday without a final agreement."
BURNS = {"name": "William Burns", "id": "william-burns", "kind": "person", "role": "Director, CIA"}
WIRE = {
    "id": "s1",
    "title": "Wire report",
    "url": None,
    "file": SEED_FILE,
    "publisher": None,
    "published": None,
    "rights": None,
}


def figure(value: str, label: str, **more: str) -> dict[str, Any]:
    return {
        "value": value,
        "label": label,
        "unit": None,
        "qualifier": None,
        "evidence": None,
        "source": None,
        "lead": False,
        "key": None,
    } | more


def quote(text: str, speaker: str) -> dict[str, Any]:
    return {"text": text, "speaker": speaker, "context": None, "source": None}


def check(status: str, finding: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"status": status, "files": [SEED_FILE], "finding": finding}


def change(field: str, kind: str, old: Any, new: Any, parts: list[str], verified: Any = None) -> dict[str, Any]:
    return {"field": field, "change": kind, "old": old, "new": new, "parts": parts, "check": verified}


def entry(status: str, path: str | None, old_path: str | None, title: str, **more: Any) -> dict[str, Any]:
    def slug(p: str | None) -> str | None:
        return None if p is None else Path(p).stem

    return {
        "status": status,
        "path": path,
        "old_path": old_path,
        "slug": slug(path),
        "old_slug": slug(old_path),
        "title": title,
        "draft": False,
        "rename": None,
        "readable": None if path is None else True,
        "base_readable": None if old_path is None else True,
        "changes": [],
        "findings": [],
        "base_findings": [],
    } | more


def test_json_names_every_change_in_path_order(pull_request: tuple[Path, str]) -> None:
    """The whole comparison, exactly: default base (the merge base with main), the working tree's
    uncommitted and untracked files, renames by content and by similar text, provenance per item."""
    root, base = pull_request
    result = run(root, "--format", "json")
    assert result.exit_code == 0, result.output
    cairo = f"{FOLDER}/2024-08-25-cairo-talks.yaml"
    not_stated = {
        "path": cairo,
        "line": 12,
        "column": 15,
        "severity": "error",
        "field": "numbers[0].evidence",
        "message": "does not state the value 280 (got 'Israeli planes targeted 270 sites')",
    }
    not_found = {
        "path": cairo,
        "line": 23,
        "column": 11,
        "severity": "error",
        "field": "quotes[2].text",
        "message": f"quote not found in {SEED_FILE} (got 'a deal within reach')",
    }
    evidence = "Israeli planes targeted 270 sites"
    assert json.loads(result.stdout) == {
        "base": {"revision": None, "label": "the merge base with main", "commit": base, "short": base[:7]},
        "counts": {"changed": 1, "renamed": 2, "added": 1, "removed": 1},
        "briefings": [
            entry(
                "renamed",
                f"{FOLDER}/2024-08-25-cairo-round-ends.yaml",
                f"{FOLDER}/2024-08-25-talks-in-cairo.yaml",
                "Talks in Cairo",
                rename="same content",
            ),
            entry(
                "changed",
                cairo,
                cairo,
                "Cairo talks end without a deal",
                changes=[
                    change(
                        "numbers",
                        "changed",
                        figure("270", "sites targeted", evidence=evidence),
                        figure("280", "sites targeted", evidence=evidence),
                        ["value"],
                        check("not-stated", not_stated),
                    ),
                    change(
                        "numbers",
                        "changed",
                        figure("300", "Katyusha rockets launched", unit="rockets"),
                        figure(
                            "320",
                            "Katyusha rockets launched",
                            unit="rockets",
                            qualifier="over",
                            evidence="launching over 320 Katyusha rockets",
                        ),
                        ["value", "qualifier", "evidence"],
                        check("verified"),
                    ),
                    change("quotes", "added", None, quote("working teams", "U.S. official"), [], check("verified")),
                    change(
                        "quotes",
                        "added",
                        None,
                        quote("a deal within reach", "William Burns"),
                        [],
                        check("not-found", not_found),
                    ),
                ],
            ),
            entry("removed", None, f"{FOLDER}/2024-08-25-hezbollah.yaml", "Hezbollah fires rockets"),
            entry(
                "renamed",
                f"{FOLDER}/2024-08-25-strikes-in-lebanon.yaml",
                f"{FOLDER}/2024-08-25-strikes.yaml",
                "Israeli strikes hit Lebanon",
                rename="similar text",
                changes=[change("title", "changed", "Strikes hit Lebanon", "Israeli strikes hit Lebanon", [])],
            ),
            entry(
                "added",
                f"{FOLDER}/2024-08-26-aid-convoy.yaml",
                None,
                "Aid convoy reaches Gaza",
                changes=[
                    # An added briefing is shown whole, in the order of the format's keys.
                    change("title", "added", None, "Aid convoy reaches Gaza", []),
                    change("date", "added", None, "2024-08-26", []),
                    change("summary", "added", None, SUMMARY, []),
                    change("who", "added", None, BURNS, []),
                    change("what", "added", None, "The talks ended without agreement.", []),
                    change(
                        "numbers",
                        "added",
                        None,
                        figure("270", "sites targeted", evidence=evidence),
                        [],
                        check("verified"),
                    ),
                    change("quotes", "added", None, quote("constructive", "U.S. official"), [], check("verified")),
                    change("sources", "added", None, WIRE, []),
                ],
            ),
        ],
        "paths": [],
        "seeds": [],
        "actors": [],
    }


def test_text_tells_each_change_in_words(pull_request: tuple[Path, str]) -> None:
    root, base = pull_request
    result = run(root)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"Briefings changed since the merge base with main ({base[:7]}): 1 changed, 2 renamed, 1 added, 1 removed."
    )
    expected = [
        'Changed: "Cairo talks end without a deal"',
        "  - figure changed: 270 → 280 sites targeted",
        f"      NOT verified: the evidence, found in {SEED_FILE}, does not state 280",
        "  - figure changed: 300 rockets → over 320 rockets (Katyusha rockets launched);"
        ' evidence added: "launching over 320 Katyusha rockets"',
        f"      verified in {SEED_FILE}",
        '  - quote added: "working teams" (U.S. official)',
        '  - quote added: "a deal within reach" (William Burns)',
        f"      NOT found in {SEED_FILE}",
        'Removed: "Hezbollah fires rockets"',
        f"  {FOLDER}/2024-08-25-hezbollah.yaml",
        'Renamed: "Talks in Cairo"',
        f"  {FOLDER}/2024-08-25-talks-in-cairo.yaml → {FOLDER}/2024-08-25-cairo-round-ends.yaml (same content)",
        "  address changed: /briefings/2024-08-25-talks-in-cairo/ → /briefings/2024-08-25-cairo-round-ends/",
        f"  {FOLDER}/2024-08-25-strikes.yaml → {FOLDER}/2024-08-25-strikes-in-lebanon.yaml (similar text)",
        '  - headline changed: "Strikes hit Lebanon" → "Israeli strikes hit Lebanon"',
        'Added: "Aid convoy reaches Gaza"',
        '  - quote added: "constructive" (U.S. official)',
    ]
    for line in expected:
        assert line in lines
    # In path order: cairo-round-ends, cairo-talks, hezbollah, strikes-in-lebanon, aid-convoy.
    headings = [line for line in lines if line and not line.startswith(" ")][1:]
    assert [h.split(":")[0] for h in headings] == ["Renamed", "Changed", "Removed", "Renamed", "Added"]


def test_markdown_has_a_heading_per_briefing_and_lists(pull_request: tuple[Path, str]) -> None:
    root, base = pull_request
    result = run(root, "--format", "markdown")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        f"## Briefings changed since the merge base with main ({base[:7]})",
        "",
        "1 changed, 2 renamed, 1 added, 1 removed.",
    ]
    seed = SEED_FILE.replace("_", "\\_")
    for line in [
        '### Changed: "Cairo talks end without a deal"',
        "- figure changed: 270 → 280 sites targeted",
        f"  - **NOT verified**: the evidence, found in {seed}, does not state 280",
        '- quote added: "working teams" (U.S. official)',
        f"  - verified in {seed}",
        f"  - **NOT found** in {seed}",
        '### Removed: "Hezbollah fires rockets"',
        '### Renamed: "Israeli strikes hit Lebanon"',
        '### Added: "Aid convoy reaches Gaza"',
    ]:
        assert line in lines
    assert "<" not in result.stdout


def test_render_diff_refuses_an_unknown_format(pull_request: tuple[Path, str]) -> None:
    changes = briefing_diff(pull_request[0], None)
    with pytest.raises(ValueError):
        render_diff(changes, "html")


# --- the base --------------------------------------------------------------------------------


def test_nothing_changed_says_so(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    write(root, "2024-08-25-cairo-talks.yaml", MINIMAL)
    base = commit(root)
    short = git(root, "rev-parse", "--short", base)
    assert run(root, "HEAD").stdout == f"No briefing changed since HEAD ({short}).\n"
    assert run(root, "HEAD", "--format", "markdown").stdout == f"No briefing changed since HEAD ({short}).\n"
    data = json.loads(run(root, "HEAD", "--format", "json").stdout)
    assert data["briefings"] == [] and data["base"] == {
        "revision": "HEAD",
        "label": "HEAD",
        "commit": base,
        "short": short,
    }


def test_a_named_base_is_compared_with_the_working_tree(tmp_path: Path) -> None:
    """The base is any revision; a later commit and uncommitted edits both count."""
    root = new_repo(tmp_path)
    write(root, "2024-08-25-cairo-talks.yaml", MINIMAL)
    first = commit(root)
    write(root, "2024-08-25-cairo-talks.yaml", titled("Cairo talks end"))
    commit(root, "second")
    write(root, "2024-08-25-cairo-talks.yaml", titled("Cairo talks end, again"))
    changes = briefing_diff(root, first)
    assert [(c.old, c.new) for c in changes.briefings[0].changes] == [
        ("Cairo talks end without a deal", "Cairo talks end, again")
    ]
    assert [(c.old, c.new) for c in briefing_diff(root, "HEAD").briefings[0].changes] == [
        ("Cairo talks end", "Cairo talks end, again")
    ]


def test_a_base_missing_from_a_shallow_clone_says_how_to_fetch_it(tmp_path: Path) -> None:
    origin = new_repo(tmp_path / "origin")
    write(origin, "2024-08-25-cairo-talks.yaml", MINIMAL)
    commit(origin)
    write(origin, "2024-08-25-cairo-talks.yaml", titled("Cairo talks end"))
    commit(origin, "second")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    result = run(clone, "HEAD~1")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("briefing diff: error: no commit 'HEAD~1' in this clone; this clone is shallow")
    assert "git fetch --unshallow" in result.stderr
    assert "--depth=" in result.stderr
    # The default base is there (origin/HEAD is HEAD): nothing changed.
    assert run(clone).stdout.startswith("No briefing changed since the merge base with origin/HEAD (")


def test_no_such_revision(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    commit(root)
    result = run(root, "no-such-branch")
    assert result.exit_code == 2
    assert "no commit 'no-such-branch' here" in result.stderr


def test_a_revision_that_looks_like_an_option_is_refused(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    commit(root)
    result = run(root, "--", "--output=/tmp/x")
    assert result.exit_code == 2
    assert result.stderr == (
        "briefing diff: error: not a revision '--output=/tmp/x': give a branch, tag or commit,"
        " e.g. origin/main or HEAD~1\n"
    )


def test_not_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = tmp_path / "plain"
    (root / "briefings").mkdir(parents=True)
    result = run(root)
    assert result.exit_code == 2
    assert "is not in a git repository" in result.stderr
    with pytest.raises(DiffError):
        briefing_diff(root, None)


def test_no_default_branch(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    commit(root)
    git(root, "branch", "-m", "main", "work")
    result = run(root)
    assert result.exit_code == 2
    assert "no default branch to compare with" in result.stderr


# --- what is told -----------------------------------------------------------------------------

FULL = """\
title: Cairo talks end without a deal
date: 2024-08-25
location: Cairo
topics: [Gaza ceasefire, Hostages]
authors: [Ann Editor]
summary: High-level talks in Cairo concluded on Sunday without a final agreement.
who:
  - name: William Burns
    role: Director, CIA
  - name: Hamas
    kind: organization
what:
  - The talks ended without agreement.
  - Lower-level talks continue.
quotes:
  - text: constructive
    speaker: U.S. official
    context: Describing the talks.
next:
  - text: Lower-level talks continue.
    when: coming days
sources:
  - title: Wire report
    file: seeds/000_548c9463dc2f8344.txt
"""


def _text(root: Path) -> list[str]:
    result = run(root, "HEAD")
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_each_field_added_removed_or_changed(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    write(root, "2024-08-25-cairo-talks.yaml", FULL)
    commit(root)
    now = (
        FULL.replace("location: Cairo\n", "story: Israel-Hamas war\n")
        .replace("[Gaza ceasefire, Hostages]", "[Gaza ceasefire, Diplomacy]")
        .replace("authors: [Ann Editor]\n", "authors: [Ann Editor]\ndraft: true\nupdated: 2024-08-26\n")
        .replace("Director, CIA", "CIA director")
        .replace("kind: organization", "kind: group")
        .replace("  - Lower-level talks continue.\nquotes", "  - Lower-level talks will continue this week.\nquotes")
        .replace("Describing the talks.", "Describing the Cairo talks.")
        .replace("when: coming days", "when: 2024-08-27")
        .replace("    file: seeds", "    publisher: Example News\n    file: seeds")
    )
    now += "corrections:\n  - date: 2024-08-26\n    text: An earlier version said 12 cables; it was 14.\n"
    write(root, "2024-08-25-cairo-talks.yaml", now)
    lines = _text(root)
    for line in [
        "  - updated added: 2024-08-26",
        '  - dateline removed: "Cairo"',
        '  - story added: "Israel-Hamas war"',
        '  - topic added: "Diplomacy"',
        '  - topic removed: "Hostages"',
        "  - now a draft: it will not be published",
        '  - actor changed: William Burns; role "Director, CIA" → "CIA director"',
        '  - actor changed: Hamas; kind "organization" → "group"',
        '  - development changed: "Lower-level talks continue." → "Lower-level talks will continue this week."',
        '  - quote changed: "constructive" (U.S. official); context "Describing the talks." → "Describing the Cairo'
        ' talks."',
        f"      verified in {SEED_FILE}",
        '  - next step changed: "Lower-level talks continue." (2024-08-27); when "coming days" → 2024-08-27',
        '  - source changed: s1; publisher added: "Example News"',
        '  - correction added: 2024-08-26: "An earlier version said 12 cables; it was 14."',
    ]:
        assert line in lines, "\n".join(lines)


def test_items_removed_added_and_reordered(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    write(root, "2024-08-25-cairo-talks.yaml", FULL)
    commit(root)
    now = FULL.replace(
        "  - The talks ended without agreement.\n  - Lower-level talks continue.\n",
        "  - Lower-level talks continue.\n  - The talks ended without agreement.\n",
    ).replace("  - name: Hamas\n    kind: organization\n", "  - name: Egypt\n    kind: country\n")
    write(root, "2024-08-25-cairo-talks.yaml", now.replace("draft", "x"))
    lines = _text(root)
    assert "  - actor added: Egypt (country; id egypt)" in lines
    assert "  - actor removed: Hamas (organization; id hamas)" in lines
    assert "  - developments reordered" in lines


def test_a_long_text_changed_is_shown_was_and_now(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    write(root, "2024-08-25-cairo-talks.yaml", MINIMAL)
    commit(root)
    longer = "High-level talks in Cairo concluded on Sunday without a final agreement, a U.S. official said."
    write(root, "2024-08-25-cairo-talks.yaml", MINIMAL.replace(MINIMAL.splitlines()[2][9:], longer))
    lines = _text(root)
    i = lines.index("  - summary changed:")
    assert lines[i + 1 : i + 3] == [
        '      was: "High-level talks in Cairo concluded on Sunday without a final agreement."',
        f'      now: "{longer}"',
    ]


def test_comments_and_layout_only_and_line_endings(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    write(root, "2024-08-25-cairo-talks.yaml", MINIMAL)
    write(root, "2024-08-25-other.yaml", titled("Other"))
    commit(root)
    write(root, "2024-08-25-cairo-talks.yaml", "# reviewed\n" + MINIMAL)
    write(root, "2024-08-25-other.yaml", titled("Other").replace("\n", "\r\n"))  # a checkout's CRLFs: no change
    lines = _text(root)
    assert lines[1:] == [
        "",
        'Changed: "Cairo talks end without a deal"',
        f"  {FOLDER}/2024-08-25-cairo-talks.yaml",
        "  no change a reader would see (comments or layout only)",
    ]


def test_a_rename_with_the_same_title(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    write(root, "2024-08-25-cairo-talks.yaml", MINIMAL)
    commit(root)
    (root / FOLDER / "2024-08-25-cairo-talks.yaml").unlink()
    other_day = MINIMAL.replace("2024-08-25", "2024-08-24").replace("William Burns", "Abbas Kamel")
    write(root, "2024-08-24-cairo-talks.yaml", other_day)
    [renamed] = briefing_diff(root, "HEAD").briefings
    assert (renamed.status, renamed.rename, renamed.old_slug, renamed.slug) == (
        "renamed",
        "same title",
        "2024-08-25-cairo-talks",
        "2024-08-24-cairo-talks",
    )
    assert [(c.field, c.change) for c in renamed.changes] == [
        ("date", "changed"),
        ("who", "added"),
        ("who", "removed"),
    ]


def test_different_briefings_of_different_days_are_not_a_rename(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    write(root, "2024-08-25-cairo-talks.yaml", MINIMAL)
    commit(root)
    (root / FOLDER / "2024-08-25-cairo-talks.yaml").unlink()
    write(root, "2024-08-26-aid.yaml", titled("Aid").replace("2024-08-25", "2024-08-26"))
    changes = briefing_diff(root, "HEAD")
    assert [(b.status, b.key) for b in changes.briefings] == [
        ("removed", f"{FOLDER}/2024-08-25-cairo-talks.yaml"),
        ("added", f"{FOLDER}/2024-08-26-aid.yaml"),
    ]


def test_provenance_unverified_without_a_source_text(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    commit(root)
    url_only = MINIMAL.replace("    file: seeds/000_548c9463dc2f8344.txt", "    url: https://example.org/story")
    write(root, "2024-08-25-cairo-talks.yaml", url_only)
    lines = _text(root)
    assert lines.count("      unverified (no source text)") == 2
    figure_line = lines.index("  - figure added: 270 sites targeted")
    assert lines[figure_line + 1] == "      unverified (no source text)"


def test_files_that_cannot_be_read_are_listed_with_their_findings(tmp_path: Path) -> None:
    """On either side: never a traceback."""
    root = new_repo(tmp_path)
    write(root, "2024-08-25-broken-then.yaml", "title: [\n")
    write(root, "2024-08-25-broken-now.yaml", MINIMAL)
    base = commit(root)
    short = git(root, "rev-parse", "--short", base)
    write(root, "2024-08-25-broken-then.yaml", MINIMAL)
    write(root, "2024-08-25-broken-now.yaml", "- just\n- a list\n")
    (root / FOLDER / "2024-08-26-not-utf8.yaml").write_bytes(b"title: caf\xe9\n")
    data = json.loads(run(root, "HEAD", "--format", "json").stdout)
    broken_now, broken_then, not_utf8 = data["briefings"]
    assert (broken_now["readable"], broken_now["base_readable"], broken_now["changes"]) == (False, True, [])
    assert [f["message"] for f in broken_now["findings"]] == [
        "a briefing must be a mapping of keys (title:, date:, ...)"
    ]
    assert (broken_then["readable"], broken_then["base_readable"]) == (True, False)
    assert [(f["path"], f["message"]) for f in broken_then["base_findings"]] == [
        (f"{short}:{FOLDER}/2024-08-25-broken-then.yaml", "YAML syntax: did not find expected node content")
    ]
    # Nothing to compare with: it is told whole, as added, its figures and quotes with their checks.
    checked = [c for c in broken_then["changes"] if c["check"] is not None]
    assert [(c["field"], c["change"], c["check"]["status"]) for c in checked] == [
        ("numbers", "added", "verified"),
        ("quotes", "added", "verified"),
    ]
    assert not_utf8["status"] == "added" and not_utf8["readable"] is False
    assert "not valid UTF-8" in not_utf8["findings"][0]["message"]
    text = run(root, "HEAD").stdout.splitlines()
    # The headline is the base's, the only version that has one.
    i = text.index('Changed: "Cairo talks end without a deal"')
    assert text[i + 1 : i + 4] == [
        f"  {FOLDER}/2024-08-25-broken-now.yaml",
        "  could not be read:",
        f"    {FOLDER}/2024-08-25-broken-now.yaml:1:1: error:"
        " a briefing must be a mapping of keys (title:, date:, ...)",
    ]


def test_problems_of_the_new_version_are_listed(tmp_path: Path) -> None:
    root = new_repo(tmp_path)
    write(root, "2024-08-25-cairo-talks.yaml", MINIMAL)
    commit(root)
    write(root, "2024-08-25-cairo-talks.yaml", MINIMAL.replace("title: Cairo talks", "titel: Cairo talks"))
    lines = _text(root)
    assert '  - headline removed: "Cairo talks end without a deal"' in lines
    i = lines.index("  problems in this version:")
    assert lines[i + 1 : i + 3] == [
        f"    {FOLDER}/2024-08-25-cairo-talks.yaml:1:1: error: titel: unknown key (did you mean 'title'?)",
        f"    {FOLDER}/2024-08-25-cairo-talks.yaml:1:1: error: title: required",
    ]


HOSTILE = "**x** <script>alert(1)</script> [link](javascript:alert(1)) $x$ :smile: @here `c` &amp; | #"


def test_hostile_text_in_markdown_appears_literally(tmp_path: Path) -> None:
    """A pull request's YAML is untrusted: no Markdown or HTML of its text is obeyed."""
    root = new_repo(tmp_path)
    write(root, "2024-08-25-cairo-talks.yaml", MINIMAL)
    commit(root)
    hostile = MINIMAL.replace("title: Cairo talks end without a deal", f"title: {json.dumps(HOSTILE)}")
    write(root, "2024-08-25-cairo-talks.yaml", hostile.replace("U.S. official", "<img src=x onerror=alert(1)>"))
    markdown = run(root, "HEAD", "--format", "markdown").stdout
    escaped = (
        r"\*\*x\*\* \<script\>alert(1)\</script\> \[link\](javascript\:alert(1)) \$x\$ \:smile\: \@here \`c\`"
        r" \&amp; \| \#"
    )
    assert f'### Changed: "{escaped}"' in markdown.splitlines()
    lines = markdown.splitlines()
    i = lines.index("- headline changed:")
    assert lines[i + 1 : i + 3] == ['  - was: "Cairo talks end without a deal"', f'  - now: "{escaped}"']
    assert (
        '- quote changed: "constructive" (\\<img src=x onerror=alert(1)\\>);'
        ' speaker "U.S. official" → "\\<img src=x onerror=alert(1)\\>"'
    ) in markdown.splitlines()
    # Every <, [, *, ` and $ of the briefing's text is escaped (nothing here is NOT verified, in bold).
    assert re.findall(r"(?<!\\)[<\[*`$&]", markdown) == []
    text = run(root, "HEAD").stdout
    assert f'Changed: "{HOSTILE}"' in text.splitlines()


def test_unprintable_names_are_escaped(tmp_path: Path) -> None:
    """A file name can hold anything; the terminal gets it escaped, never obeyed."""
    root = new_repo(tmp_path)
    commit(root)
    write(root, "2024-08-25-\x1b[31mred\n.yaml", MINIMAL)
    text = run(root, "HEAD").stdout
    assert "\x1b" not in text
    assert f"  {FOLDER}/2024-08-25-\\x1b[31mred\\x0a.yaml" in text.splitlines()
    assert "file name: must be YYYY-MM-DD-words.yaml" in text


def test_symbolic_links_at_the_base_and_a_root_below_the_repository_top(tmp_path: Path) -> None:
    """A briefing may be a link to a file inside the repository; git's copy is followed like the disk's."""
    top = new_repo(tmp_path / "top")
    root = top / "site"
    (root / "drafts").mkdir(parents=True)
    shutil.move(top / "seeds", root / "seeds")
    shutil.move(top / "briefings", root / "briefings")
    (root / "drafts" / "cairo.yaml").write_text(MINIMAL)
    (root / FOLDER / "2024-08-25-cairo-talks.yaml").symlink_to("../../drafts/cairo.yaml")
    (root / FOLDER / "2024-08-25-outside.yaml").symlink_to("../../../../outside.yaml")
    commit(top)
    (root / "drafts" / "cairo.yaml").write_text(titled("Cairo talks end"))
    (root / FOLDER / "2024-08-25-outside.yaml").unlink()
    changes = briefing_diff(root, "HEAD")
    assert [(b.status, b.key, b.base_readable) for b in changes.briefings] == [
        ("changed", f"{FOLDER}/2024-08-25-cairo-talks.yaml", True),
        ("removed", f"{FOLDER}/2024-08-25-outside.yaml", False),
    ]
    assert [(c.old, c.new) for c in changes.briefings[0].changes] == [
        ("Cairo talks end without a deal", "Cairo talks end")
    ]


def test_cost_is_one_read_per_changed_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unchanged briefings are never parsed; each changed one is checked once."""
    root = new_repo(tmp_path)
    for i in range(30):
        write(root, f"2024-08-25-b{i}.yaml", titled(f"Briefing {i}"))
    commit(root)
    write(root, "2024-08-25-b7.yaml", titled("Briefing seven"))
    import generator.newsroom.diff as diff

    calls: list[str] = []
    real = diff.check_bytes

    def counted(data: bytes, name: str, shown: str, seeds: Seeds) -> CheckedFile:
        calls.append(shown)
        return real(data, name, shown, seeds)

    monkeypatch.setattr(diff, "check_bytes", counted)
    changes = briefing_diff(root, "HEAD")
    assert [b.key for b in changes.briefings] == [f"{FOLDER}/2024-08-25-b7.yaml"]
    assert calls == [f"{FOLDER}/2024-08-25-b7.yaml"]


def test_check_bytes_is_check_file_on_bytes(repo: Path) -> None:
    path = repo / "briefings" / "2024-08-25-cairo-talks.yaml"
    path.write_text(MINIMAL.replace("value: 270", "value: 280"))
    seeds = Seeds(repo)
    from_file = check_file(path, "shown.yaml", seeds)
    from_bytes = check_bytes(path.read_bytes(), path.name, "shown.yaml", seeds)
    assert from_bytes.findings == from_file.findings and from_bytes.findings
    assert (from_bytes.slug, from_bytes.briefing, from_bytes.marks) == (
        from_file.slug,
        from_file.briefing,
        from_file.marks,
    )
    assert check_bytes(MINIMAL.encode(), "2024-08-25-cairo-talks.yaml", "x", seeds).briefing is not None


def test_changes_is_deterministic(pull_request: tuple[Path, str]) -> None:
    root, _ = pull_request
    first: Changes = briefing_diff(root, None)
    again = briefing_diff(root, None)
    assert render_diff(first, "json") == render_diff(again, "json")
    assert os.path.exists(root / FOLDER / "2024-08-25-cairo-round-ends.yaml")


# --- every change that reaches the site (issue 16) ------------------------------------------------------

FSI, PDI, WJ = "\u2068", "\u2069", "\u2060"
CAIRO_FILE = "2024-08-25-cairo-talks.yaml"
CAIRO_PATH = f"{FOLDER}/{CAIRO_FILE}"


def site_repo(tmp_path: Path, *more: tuple[str, str]) -> tuple[Path, str]:
    """A repository with the small briefing (and `more` briefings: file name, text), committed: the base."""
    root = new_repo(tmp_path / "newsroom")
    write(root, CAIRO_FILE, MINIMAL)
    for name, text in more:
        write(root, name, text)
    (root / "docs").mkdir()
    (root / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: Briefings\n", encoding="utf-8")
    return root, commit(root)


def as_json(root: Path) -> dict[str, Any]:
    result = run(root, "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.raw)
    return data


def test_a_seed_edited_tells_each_receipt_and_check_it_changes(tmp_path: Path) -> None:
    root, _ = site_repo(tmp_path)
    text = SEED.read_text(encoding="utf-8")
    edited = text.replace("Israeli planes targeted 270 sites", "Israeli planes targeted 280 sites").replace(
        "called them “constructive”", "called them “constructive” and “frank”"
    )
    (root / SEED_FILE).write_text(edited, encoding="utf-8")
    data = as_json(root)
    assert data["briefings"] == [] and data["actors"] == []
    assert [(p["group"], p["status"], p["path"]) for p in data["paths"]] == [("seeds", "modified", SEED_FILE)]
    [seed] = data["seeds"]
    assert seed["cited_by"] == [{"path": CAIRO_PATH, "title": "Cairo talks end without a deal"}]
    figure_, quote_ = sorted(seed["items"], key=lambda i: i["field"])
    assert (figure_["field"], figure_["was_verified"], figure_["now_verified"]) == ("numbers[0]", True, False)
    assert "270 sites" in figure_["old_sentence"] and figure_["new_sentence"] is None
    assert (quote_["field"], quote_["was_verified"], quote_["now_verified"]) == ("quotes[0]", True, True)
    assert "called them “constructive” and noted" in quote_["old_sentence"]
    assert "“constructive” and “frank”" in quote_["new_sentence"]
    lines = run(root, "HEAD").stdout.splitlines()
    assert "Source texts" in lines
    assert f"  modified: {SEED_FILE} (file, {len(edited.encode()):,} bytes)" in lines
    assert f'      numbers[0] of {CAIRO_PATH}: "Israeli planes targeted 270 sites": verified → NOT found' in lines
    assert f'      quotes[0] of {CAIRO_PATH}: "constructive": its receipt changes' in lines


def test_a_seed_added_shows_its_size_opening_line_and_who_cites_it(tmp_path: Path) -> None:
    root, _ = site_repo(tmp_path)
    invented = "  \nMinister resigns, sources say\nThe minister said: “I am done.”\n"
    (root / "seeds" / "invented.txt").write_text(invented, encoding="utf-8")
    write(root, CAIRO_FILE, MINIMAL + "  - title: Invented\n    file: seeds/invented.txt\n")
    data = as_json(root)
    [seed] = data["seeds"]
    assert (seed["status"], seed["path"], seed["size"]) == ("added", "seeds/invented.txt", len(invented.encode()))
    assert seed["opening"] == "Minister resigns, sources say"
    assert seed["cited_by"] == [{"path": CAIRO_PATH, "title": "Cairo talks end without a deal"}]
    assert seed["cited_before"] == []
    lines = run(root, "HEAD").stdout.splitlines()
    assert '      opening line: "Minister resigns, sources say"' in lines
    assert f'        {CAIRO_PATH} ("Cairo talks end without a deal")' in lines


def test_a_seed_deleted_says_who_cited_it(tmp_path: Path) -> None:
    root, _ = site_repo(tmp_path)
    (root / SEED_FILE).unlink()
    data = as_json(root)
    [seed] = data["seeds"]
    assert (seed["status"], seed["path"], seed["cited_before"]) == (
        "deleted",
        SEED_FILE,
        [{"path": CAIRO_PATH, "title": "Cairo talks end without a deal"}],
    )
    assert seed["cited_by"] == [{"path": CAIRO_PATH, "title": "Cairo talks end without a deal"}]
    text = run(root, "HEAD").stdout
    assert "was cited by:" in text and "still cited by (their check fails):" in text


def test_a_docs_page_with_a_script_and_a_root_folder_pip_are_told(tmp_path: Path) -> None:
    """The two changes `briefing diff` said nothing of: a page of the site, and code that runs in CI."""
    root, _ = site_repo(tmp_path)
    (root / "docs" / "news.md").write_text("<script>alert(1)</script>\n", encoding="utf-8")
    (root / "pip").mkdir()
    (root / "pip" / "__init__.py").write_text("import os\n", encoding="utf-8")
    (root / "overrides").mkdir()
    (root / "overrides" / "main.html").write_text("{{ super() }}\n", encoding="utf-8")
    data = as_json(root)
    assert [(p["group"], p["status"], p["path"], p["mode"], p["size"]) for p in data["paths"]] == [
        ("pages", "added", "docs/news.md", "100644", 26),
        ("pages", "added", "overrides/main.html", "100644", 14),
        ("code", "added", "pip/__init__.py", "100644", 10),
    ]
    text = run(root, "HEAD").stdout
    assert text.splitlines()[0] == (
        f"Changes since HEAD ({git(root, 'rev-parse', '--short', 'HEAD')}): no briefing changed;"
        " 1 path of code, build and CI, 2 paths of pages and theme."
    )
    code = text.index("Code, build and CI: a maintainer must review these")
    assert code < text.index("Pages and theme") < text.index("docs/news.md")
    assert "  added: pip/__init__.py (file, 10 bytes)" in text.splitlines()
    markdown = run(root, "HEAD", "--format", "markdown").stdout
    assert "### **Code, build and CI: a maintainer must review these**" in markdown
    assert "- added: pip/\\_\\_init\\_\\_.py (file, 10 bytes)" in markdown


def test_modes_renames_links_and_deletions_outside_briefings(tmp_path: Path) -> None:
    root, _ = site_repo(tmp_path)
    (root / "tools").mkdir()
    (root / "tools" / "build.sh").write_text("echo build\n", encoding="utf-8")
    (root / "Makefile").write_text("all:\n", encoding="utf-8")
    (root / "old.txt").write_text("kept words\n", encoding="utf-8")
    commit(root, "more")
    (root / "tools" / "build.sh").chmod(0o755)
    (root / "Makefile").unlink()
    os.symlink("/etc/os-release", root / "Makefile")
    (root / "old.txt").rename(root / "new.txt")
    (root / "docs" / "about.md").unlink()
    data = as_json(root)
    shown = {p["path"]: (p["status"], p["old_path"], p["old_mode"], p["mode"], p["target"]) for p in data["paths"]}
    assert shown == {
        "Makefile": ("type changed", None, "100644", "120000", "/etc/os-release"),
        "docs/about.md": ("deleted", None, "100644", None, None),
        "new.txt": ("renamed", "old.txt", "100644", "100644", None),
        "tools/build.sh": ("modified", None, "100644", "100755", None),
    }
    lines = run(root, "HEAD").stdout.splitlines()
    assert "  type changed: Makefile (file → symbolic link to /etc/os-release)" in lines
    assert "  modified: tools/build.sh (file → executable file, 11 bytes)" in lines
    assert "  renamed: old.txt → new.txt (file, 11 bytes)" in lines
    assert "  deleted: docs/about.md (file)" in lines


US = MINIMAL.replace(
    "  - name: William Burns\n    role: Director, CIA\n", "  - name: United States\n    kind: country\n"
)


def iran(day: str) -> str:
    """A briefing of `day` naming the actor id united-states `Islamic Republic of Iran`."""
    text = US.replace("name: United States", "name: Islamic Republic of Iran\n    id: united-states")
    return titled(f"Talks on {day}", text).replace("2024-08-25", day)


def test_an_actor_renamed_across_the_site(tmp_path: Path) -> None:
    """A new briefing that spells an id's name otherwise and wins the rule (a tie, and it is the
    earliest) renames the actor on every page: told with the briefings that name it."""
    root, _ = site_repo(tmp_path, ("2024-08-26-us.yaml", titled("US talks", US).replace("2024-08-25", "2024-08-26")))
    write(root, "2024-08-20-iran.yaml", iran("2024-08-20"))
    data = as_json(root)
    assert data["actors"] == [
        {
            "id": "united-states",
            "old_name": "United States",
            "new_name": "Islamic Republic of Iran",
            "briefings": [f"{FOLDER}/2024-08-20-iran.yaml", f"{FOLDER}/2024-08-26-us.yaml"],
        }
    ]
    lines = run(root, "HEAD").stdout.splitlines()
    assert "Actors renamed across the site" in lines
    assert '  united-states: "United States" → "Islamic Republic of Iran", on every page showing it' in lines
    assert "      named in 2 briefings:" in lines


def test_one_new_briefing_cannot_rename_an_actor_two_briefings_name(tmp_path: Path) -> None:
    us = titled("US talks", US)
    root, _ = site_repo(
        tmp_path,
        ("2024-08-26-us.yaml", us.replace("2024-08-25", "2024-08-26")),
        ("2024-08-27-us.yaml", us.replace("2024-08-25", "2024-08-27")),
    )
    write(root, "2024-08-20-iran.yaml", iran("2024-08-20"))
    assert as_json(root)["actors"] == []


def test_a_look_alike_actor_is_a_check_warning_naming_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`Hаmas` with a Cyrillic а beside `Hamas`: a warning at its line and column, naming both; `Bums`
    beside `Burns`, look-alikes in one script, is not told."""
    hamas = MINIMAL.replace(
        "  - name: William Burns\n", "  - name: Hamas\n    kind: organization\n  - name: William Burns\n"
    )
    root, _ = site_repo(
        tmp_path, ("2024-08-24-hamas.yaml", titled("Hamas talks", hamas).replace("2024-08-25", "2024-08-24"))
    )
    lookalike = MINIMAL.replace("name: William Burns", "name: Hаmas\n    id: hamas-2\n    kind: organization")
    write(root, "2024-08-26-lookalike.yaml", titled("Look", lookalike).replace("2024-08-25", "2024-08-26"))
    write(
        root,
        "2024-08-27-bums.yaml",
        titled("Bums", MINIMAL.replace("Burns", "Bums")).replace("2024-08-25", "2024-08-27"),
    )
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["check"])
    warnings = [line for line in result.output.splitlines() if ": warning: " in line]
    assert warnings == [
        f"{FOLDER}/2024-08-26-lookalike.yaml:5:11: warning: who[0].name: actor name 'Hаmas' (Cyrillic, Latin)"
        f" looks like 'Hamas' (Latin) in {FOLDER}/2024-08-24-hamas.yaml:5:11: the same shapes in another script"
        " make two actors a reader cannot tell apart"
    ]


def test_a_name_that_mixes_scripts_alone_is_a_warning(check_text: Any) -> None:
    findings = check_text(MINIMAL.replace("name: William Burns", "name: Wіlliam Burns\n    id: burns"))  # Ukrainian і
    assert [(f.severity, f.field, f.line, f.column) for f in findings] == [("warning", "who[0].name", 5, 11)]
    assert "mixes scripts (Cyrillic, Latin)" in findings[0].message
    # Names in one script, or in the mixes UTS #39 allows (Japanese), are not told.
    assert check_text(MINIMAL.replace("name: William Burns", "name: 東京タワー Tokyo\n    id: tokyo-tower")) == []


FULL_NEW = """\
title: Cairo talks resume
date: 2024-08-26
updated: 2024-08-27
location: Cairo
story: Israel-Hamas war
topics: [Gaza ceasefire]
authors: [Desk]
summary: Talks resumed in Cairo.
who:
  - name: William Burns
    role: Director, CIA
  - name: Hamas
    kind: organization
    id: hamas
what:
  - Talks resumed.
numbers:
  - value: 270
    label: sites targeted
    evidence: Israeli planes targeted 270 sites
quotes:
  - text: constructive
    speaker: U.S. official
    context: Describing the talks.
next:
  - text: Lower-level talks continue.
    when: 2024-09-01
    who: Negotiators
sources:
  - title: Wire report
    publisher: Wire
    file: seeds/000_548c9463dc2f8344.txt
corrections:
  - date: 2024-08-27
    text: An earlier version named the wrong city.
"""


def test_an_added_briefing_is_shown_whole(tmp_path: Path) -> None:
    root, _ = site_repo(tmp_path)
    write(root, "2024-08-26-cairo-talks-resume.yaml", FULL_NEW)
    lines = run(root, "HEAD").stdout.splitlines()
    start = lines.index('Added: "Cairo talks resume"')
    assert lines[start + 1 :] == [
        f"  {FOLDER}/2024-08-26-cairo-talks-resume.yaml",
        '  - headline added: "Cairo talks resume"',
        "  - date added: 2024-08-26",
        "  - updated added: 2024-08-27",
        '  - dateline added: "Cairo"',
        '  - story added: "Israel-Hamas war"',
        '  - topic added: "Gaza ceasefire"',
        '  - author added: "Desk"',
        '  - summary added: "Talks resumed in Cairo."',
        "  - actor added: William Burns (person; Director, CIA; id william-burns)",
        "  - actor added: Hamas (organization; id hamas)",
        '  - development added: "Talks resumed."',
        "  - figure added: 270 sites targeted",
        f"      verified in {SEED_FILE}",
        '  - quote added: "constructive" (U.S. official)',
        f"      verified in {SEED_FILE}",
        '  - next step added: "Lower-level talks continue." (2024-09-01; Negotiators)',
        f'  - source added: s1: "Wire report" ({SEED_FILE})',
        '  - correction added: 2024-08-27: "An earlier version named the wrong city."',
    ]


HEBREW_OLD = "שיחות קהיר הסתיימו"
ARABIC_NEW = "انتهت محادثات القاهرة"


def rtl_repo(tmp_path: Path) -> Path:
    root, _ = site_repo(tmp_path)
    write(root, CAIRO_FILE, titled(HEBREW_OLD))
    commit(root, "a headline in Hebrew")
    write(root, CAIRO_FILE, titled(ARABIC_NEW))
    return root


def test_every_value_is_isolated_so_right_to_left_text_keeps_the_order(tmp_path: Path) -> None:
    root = rtl_repo(tmp_path)
    for output in ("text", "markdown"):
        raw = run(root, "HEAD", "--format", output).raw
        assert f'headline changed: "{FSI}{HEBREW_OLD}{PDI}" → "{FSI}{ARABIC_NEW}{PDI}"' in raw
        # Every isolate is closed on its own line.
        for line in raw.splitlines():
            assert line.count(FSI) == line.count(PDI), line


LINKY = (
    "See www.evil.example and https://evil.example/x or mail a@evil.example, cc @octocat on #123:"
    " <script>alert(1)</script> [link](https://evil.example) ![img](https://evil.example/i.png)"
    " `code` *em* ~~del~~ | pipe &amp; <b>bold</b>"
)


def github_html(markdown: str) -> str:
    """Markdown as GitHub renders a job summary: cmark-gfm with GitHub's extensions (raw HTML let through,
    as GitHub does before it sanitizes), then GitHub's allowlist of tags and attributes."""
    import cmarkgfm
    import nh3
    from cmarkgfm.cmark import Options

    html = cmarkgfm.markdown_to_html_with_extensions(
        markdown, options=Options.CMARK_OPT_UNSAFE, extensions=["autolink", "table", "strikethrough", "tagfilter"]
    )
    return nh3.clean(html, tags=GITHUB_TAGS, attributes={"a": {"href"}, "img": {"src", "alt"}})


#: Roughly the tags GitHub's sanitizer keeps (html-pipeline's allowlist).
GITHUB_TAGS = set(
    "h1 h2 h3 h4 h5 h6 h7 h8 br b i strong em a pre code img tt div ins del sup sub p ol ul table thead tbody"
    " tfoot blockquote dl dt dd kbd q samp var hr ruby rt rp li tr td th s strike summary details caption"
    " figure figcaption abbr bdo cite dfn mark small span time wbr".split()
)


def hostile_repo(tmp_path: Path) -> Path:
    root, _ = site_repo(tmp_path)
    hostile = MINIMAL.replace("summary: High-level talks", f"summary: >-\n  {LINKY}\n  High-level talks")
    write(root, CAIRO_FILE, hostile)
    for name in ("<script>alert(1)<", "a\nb`c`", "\u202egnp.exe", "www.evil.example", "@octocat #12"):
        (root / "docs" / f"{name}.md").write_text("x\n", encoding="utf-8")
    (root / "docs" / os.fsdecode(b"\xff\xfe not utf-8.md")).write_text("x\n", encoding="utf-8")
    return root


def test_markdown_renders_on_github_as_text_with_no_link_or_tag_from_the_data(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    root = hostile_repo(tmp_path)
    result = run(root, "HEAD", "--format", "markdown")
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup(github_html(result.raw), "html.parser")
    assert soup.find("a") is None and soup.find("img") is None and soup.find("script") is None
    assert soup.find("code") is None and soup.find("em") is None and soup.find("del") is None
    assert {tag.name for tag in soup.find_all(True)} <= {"h2", "h3", "p", "ul", "li", "strong", "br"}
    assert [h.get_text().translate(INVISIBLE) for h in soup.find_all("h3")] == [
        "Pages and theme",
        'Changed: "Cairo talks end without a deal"',
    ]
    # The summary's text, every character as written: nothing became a tag, a link or emphasis.
    assert f'now: "{LINKY} High-level talks' in soup.get_text().translate(INVISIBLE)
    # Hostile file names: shown escaped, one line each, never a tag or a link.
    items = [li.get_text().translate(INVISIBLE) for li in soup.find_all("li")]
    assert "added: docs/<script>alert(1)<.md (file, 2 bytes)" in items
    assert "added: docs/a\\x0ab`c`.md (file, 2 bytes)" in items
    assert "added: docs/\\u202egnp.exe.md (file, 2 bytes)" in items
    assert "added: docs/www.evil.example.md (file, 2 bytes)" in items
    assert "added: docs/@octocat #12.md (file, 2 bytes)" in items
    assert "added: docs/\\xff\\xfe not utf-8.md (file, 2 bytes)" in items  # bytes that are not UTF-8, escaped
    paths = [p["path"] for p in as_json(root)["paths"]]
    assert "docs/\\xff\\xfe not utf-8.md" in paths and "docs/a\nb`c`.md" in paths


def test_the_cut_fits_the_bytes_and_says_where_the_whole_diff_is(tmp_path: Path) -> None:
    root, _ = site_repo(tmp_path)
    for day in range(1, 29):
        write(
            root,
            f"2024-09-{day:02d}-talks.yaml",
            FULL_NEW.replace("Cairo talks resume", f"Talks, day {day}").replace("2024-08-26", f"2024-09-{day:02d}"),
        )
    whole = run(root, "HEAD", "--format", "markdown").raw
    assert len(whole.encode()) > 20_000
    out = tmp_path / "full" / "diff.md"
    result = run(
        root,
        "HEAD",
        "--format",
        "markdown",
        "--max-bytes",
        "20000",
        "--output",
        str(out),
        "--full-diff-at",
        "the artifact reviewer-diff",
    )
    assert result.exit_code == 0, result.output
    cut = result.raw
    assert len(cut.encode()) <= 20_000
    assert out.read_text(encoding="utf-8") == whole
    lines = cut.splitlines()
    assert lines[-1].startswith("**This diff was cut here to fit 20,000 bytes (")
    assert lines[-1].endswith("lines shown). The full diff: the artifact reviewer-diff.**")
    # Cut before a heading or an item of the top level: what is shown is whole lines of the whole diff.
    kept = "\n".join(lines[:-2])
    assert whole.startswith(kept + "\n")
    assert whole[len(kept) + 1 :].startswith(("### ", "- ", "\n"))
    # The text output too; JSON is never cut.
    text = run(root, "HEAD", "--max-bytes", "5000").raw
    assert len(text.encode()) <= 5000 and text.splitlines()[-1].startswith("[This diff was cut here")
    assert "run `briefing diff` for it" in text.splitlines()[-1]
    assert run(root, "HEAD", "--format", "json", "--max-bytes", "5000").exit_code == 2


@pytest.mark.browser
def test_in_chromium_the_old_value_stands_left_of_the_new_one(tmp_path: Path) -> None:
    """The Markdown of a right-to-left headline change, rendered as GitHub does (cmark-gfm, its allowlist),
    in Chromium: the old value's box is left of the new one's, as `"OLD" → "NEW"` reads; and no link."""
    from playwright.sync_api import sync_playwright

    from tests.test_browser import _no_browser, find_browser

    root = rtl_repo(tmp_path)
    html = github_html(run(root, "HEAD", "--format", "markdown").raw)
    hostile = github_html(run(hostile_repo(tmp_path / "hostile"), "HEAD", "--format", "markdown").raw)
    executable = find_browser()
    if executable is None:
        _no_browser()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_content(f"<!doctype html><meta charset=utf-8><body>{html}</body>")
            boxes = page.evaluate(
                """([old, now]) => {
                    const item = [...document.querySelectorAll("li")].find(
                        (li) => li.textContent.startsWith("headline changed"));
                    const box = (needle) => {
                        const walker = document.createTreeWalker(item, NodeFilter.SHOW_TEXT);
                        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                            const at = node.data.indexOf(needle);
                            if (at >= 0) {
                                const range = document.createRange();
                                range.setStart(node, at);
                                range.setEnd(node, at + needle.length);
                                const r = range.getBoundingClientRect();
                                return {left: r.left, right: r.right, top: r.top};
                            }
                        }
                        return null;
                    };
                    return [box(old), box(now)];
                }""",
                [HEBREW_OLD, ARABIC_NEW],
            )
            old, new = boxes
            assert old is not None and new is not None
            assert abs(old["top"] - new["top"]) < 2, "one line"
            assert old["right"] <= new["left"], f"the old value stands left of the new one: {boxes}"
            assert page.locator("a").count() == 0
            page.set_content(f"<!doctype html><meta charset=utf-8><body>{hostile}</body>")
            assert page.locator("a, img, script").count() == 0
            assert "www.evil.example" in page.inner_text("body").replace(WJ, "")
        finally:
            browser.close()
