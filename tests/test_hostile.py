"""A hostile corpus for `briefing check`: each case is one briefing with exactly one kind of thing wrong.

The committed cases live in `tests/hostile/`, laid out like a repository root
(`briefings/`, `seeds/`). Each file's first lines state what must be reported:

    # expect: error LINE:COL FIELD: MESSAGE-SUBSTRING
    # expect: warning LINE:COL FIELD: MESSAGE-SUBSTRING
    # expect: none

An empty FIELD (`# expect: error 4:26 : YAML syntax`) is a finding about the
whole file. Cases whose first bytes cannot be such a comment (encodings, empty
and oversized files), or that need symbolic links or a marker path, are built
in `tmp_path` below with their expectations written here. Expectations follow
docs/format.md, not what the checker happens to print.
"""

from __future__ import annotations

import codecs
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.format.findings import Finding
from generator.format.yamlnodes import MAX_FILE_BYTES
from generator.rules.collection import check_collection

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT / "tests" / "hostile"
BRIEFINGS = CORPUS / "briefings"
SEEDS = CORPUS / "seeds"
SEED = "seeds/000_548c9463dc2f8344.txt"
BASELINE = BRIEFINGS / "2024-08-25-clean-baseline.yaml"

_EXPECT = re.compile(
    r"# expect: (?P<severity>error|warning) (?P<line>\d+):(?P<column>\d+) (?P<field>.*?): (?P<message>.+)\Z"
)
_OUTPUT_LINE = re.compile(r"^[^:]+:\d+:\d+: (error|warning): ")


@dataclass(frozen=True)
class Expected:
    """One finding a case must produce: exact place, severity and field; part of the message."""

    severity: str
    line: int
    column: int
    field: str
    message: str

    @property
    def key(self) -> tuple[int, int, str, str]:
        return (self.line, self.column, self.severity, self.field)

    def matches(self, finding: Finding) -> bool:
        return (finding.line, finding.column, finding.severity, finding.field) == self.key and (
            self.message in finding.message
        )


def read_expectations(path: Path) -> list[Expected]:
    """The `# expect:` lines at the top of a corpus file; `# expect: none` is an empty list."""
    expected: list[Expected] = []
    for raw in path.read_bytes().split(b"\n"):
        line = raw.decode("utf-8", "replace")
        if not line.startswith("# expect:"):
            break
        if line == "# expect: none":
            return []
        match = _EXPECT.match(line)
        assert match, f"{path.name}: malformed expectation {line!r}"
        expected.append(
            Expected(
                match["severity"],
                int(match["line"]),
                int(match["column"]),
                match["field"],
                match["message"],
            )
        )
    assert expected, f"{path.name}: the first line must be '# expect: ...'"
    return expected


def assert_findings(findings: list[Finding], expected: list[Expected]) -> None:
    """Every expected finding is there, and nothing else is (exact place, severity and field)."""
    shown = "\n".join(f.format() for f in findings) or "(no findings)"
    for item in expected:
        assert any(item.matches(f) for f in findings), f"missing {item}\ngot:\n{shown}"
    actual = {(f.line, f.column, f.severity, f.field) for f in findings}
    assert actual == {item.key for item in expected}, f"unexpected findings\ngot:\n{shown}"


def corpus_files() -> list[Path]:
    """Every case file in the committed corpus."""
    return sorted(p for p in BRIEFINGS.rglob("*") if p.suffix in (".yaml", ".yml"))


def baseline_text() -> str:
    """The clean baseline case; the generated cases change one thing in it (same line numbers)."""
    return BASELINE.read_text(encoding="utf-8")


def baseline_with(old: str, new: str) -> str:
    """The baseline with one unique piece of text replaced."""
    text = baseline_text()
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A throwaway repository root holding the corpus seeds and an empty briefings/."""
    repo = tmp_path / "repo"
    (repo / "briefings").mkdir(parents=True)
    shutil.copytree(SEEDS, repo / "seeds")
    return repo


# --- the committed corpus -----------------------------------------------------


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_case(path: Path) -> None:
    """A committed case reports exactly what its `# expect:` lines state."""
    expected = read_expectations(path)
    findings = check_collection([path], root=CORPUS).findings
    assert_findings(findings, expected)


def test_corpus_has_every_kind_of_case() -> None:
    """The corpus holds clean cases, errors and warnings, and the baseline the generated cases start from."""
    everything = [e for p in corpus_files() for e in read_expectations(p)]
    assert BASELINE in corpus_files() and read_expectations(BASELINE) == []
    assert {e.severity for e in everything} == {"error", "warning"}
    assert len(corpus_files()) >= 70


@pytest.mark.parametrize(("name", "title"), [("clean-title-no", "No"), ("clean-title-2024", "2024")])
def test_yaml_11_words_are_read_as_the_text_written(name: str, title: str) -> None:
    """`title: No` is the text "No" and `title: 2024` the text "2024", not a boolean or number."""
    collection = check_collection([BRIEFINGS / f"2024-08-25-{name}.yaml"], root=CORPUS)
    (briefing,) = collection.briefings
    assert briefing.title == title


def test_yaml_11_words_in_lists_and_optional_text_stay_text() -> None:
    """`off`, `~`, `yes`, `null`, `1e3`, `0x1F`, dates and `.inf` are all kept as written."""
    collection = check_collection([BRIEFINGS / "2024-08-25-clean-yaml11-words-stay-text.yaml"], root=CORPUS)
    (briefing,) = collection.briefings
    assert briefing.location == "off"
    assert briefing.story == "Null"
    assert list(briefing.topics) == ["yes", "null", "1e3", "0x1F", "2024-08-25", ".inf"]


# --- cases built in tmp_path --------------------------------------------------

Build = Callable[[Path], bytes]
"""Given the repository root, prepare whatever the case needs and return the briefing's bytes."""


def _padded(size: int) -> Build:
    def build(root: Path) -> bytes:
        data = baseline_text().encode("utf-8")
        filler = size - len(data) - len(b"# \n")
        assert filler > 0
        return data + b"# " + b"x" * filler + b"\n"

    return build


def _fixed(data: bytes) -> Build:
    return lambda root: data


def _encoded(prefix: bytes, encoding: str) -> Build:
    return lambda root: prefix + baseline_text().encode(encoding)


def _with_seed(name: str, content: bytes) -> Build:
    def build(root: Path) -> bytes:
        (root / "seeds" / name).write_bytes(content)
        return baseline_with(f"file: {SEED}", f"file: seeds/{name}").encode("utf-8")

    return build


def _symlink_out(absolute: bool, directory: bool) -> Build:
    def build(root: Path) -> bytes:
        # The target holds the real article, so following the link would make every check pass.
        outside = root.parent / "outside"
        outside.mkdir(exist_ok=True)
        shutil.copy(root / SEED, outside / "article.txt")
        target = outside if directory else outside / "article.txt"
        link = root / "seeds" / ("escape" if directory else "escape.txt")
        link.symlink_to(target if absolute else os.path.relpath(target, link.parent))
        path = "seeds/escape/article.txt" if directory else "seeds/escape.txt"
        return baseline_with(f"file: {SEED}", f"file: {path}").encode("utf-8")

    return build


def _deep(depth: int) -> Build:
    def build(root: Path) -> bytes:
        old = "title: Cairo talks on a Gaza ceasefire end without a deal"
        return baseline_with(old, "title: " + "[" * depth + "x" + "]" * depth).encode("utf-8")

    return build


def _bad_byte(before: str) -> Build:
    def build(root: Path) -> bytes:
        data = baseline_with("High-level talks in", f"{before} in").encode("utf-8")
        assert data.count(b"@") == 1
        return data.replace(b"@", b"\xff")

    return build


#: What a source file in error keeps from being checked, said once at `sources:`.
UNVERIFIED = Expected("warning", 23, 3, "sources", "went unverified")


def _whole_file(message: str) -> list[Expected]:
    return [Expected("error", 1, 1, "", message)]


GENERATED: list[tuple[str, Build, list[Expected]]] = [
    ("empty-file", _fixed(b""), _whole_file("empty")),
    ("whitespace-only", _fixed(b"  \n\n   \r\n \n"), _whole_file("empty")),
    ("over-1-mib", _padded(MAX_FILE_BYTES + 1), _whole_file("1 MiB")),
    ("exactly-1-mib", _padded(MAX_FILE_BYTES), []),
    ("utf-16-le-with-bom", _encoded(codecs.BOM_UTF16_LE, "utf-16-le"), _whole_file("UTF-8")),
    ("utf-16-be-with-bom", _encoded(codecs.BOM_UTF16_BE, "utf-16-be"), _whole_file("UTF-8")),
    ("utf-16-le-without-bom", _encoded(b"", "utf-16-le"), _whole_file("UTF-8")),
    ("utf-16-be-without-bom", _encoded(b"", "utf-16-be"), _whole_file("UTF-8")),
    ("utf-8-bom", _encoded(codecs.BOM_UTF8, "utf-8"), []),
    # `summary: High-level talks ` is 26 characters: the bad byte is the 27th.
    ("invalid-utf-8-byte", _bad_byte("High-level talks @"), [Expected("error", 4, 27, "", "UTF-8")]),
    # Columns count characters, as in every other finding: `é` is one column, two bytes.
    ("invalid-utf-8-after-multibyte", _bad_byte("High-lével talks @"), [Expected("error", 4, 27, "", "UTF-8")]),
    (
        "deep-nesting-500",
        _deep(500),
        [
            Expected("error", 2, 8, "title", "expected text"),
            Expected("error", 2, 11, "title[0][0][0]", "nested too deeply"),
        ],
    ),
    (
        "symlink-out-of-seeds",
        _symlink_out(absolute=False, directory=False),
        [Expected("error", 25, 11, "sources[0].file", "outside seeds/"), UNVERIFIED],
    ),
    (
        "absolute-symlink-out-of-seeds",
        _symlink_out(absolute=True, directory=False),
        [Expected("error", 25, 11, "sources[0].file", "outside seeds/"), UNVERIFIED],
    ),
    (
        "symlinked-folder-out-of-seeds",
        _symlink_out(absolute=False, directory=True),
        [Expected("error", 25, 11, "sources[0].file", "outside seeds/"), UNVERIFIED],
    ),
    (
        "seed-not-utf-8",
        _with_seed("latin-1.txt", "Israeli planes targeted 270 sites, café".encode("latin-1")),
        [Expected("error", 25, 11, "sources[0].file", "UTF-8"), UNVERIFIED],
    ),
    (
        "seed-over-1-mib",
        _with_seed("huge.txt", b"constructive " * (MAX_FILE_BYTES // 13 + 1)),
        [Expected("error", 25, 11, "sources[0].file", "1 MiB"), UNVERIFIED],
    ),
]


@pytest.mark.parametrize(("name", "build", "expected"), GENERATED, ids=[case[0] for case in GENERATED])
def test_generated_case(root: Path, name: str, build: Build, expected: list[Expected]) -> None:
    """A case whose bytes or surroundings are built in tmp_path reports exactly what is expected."""
    path = root / "briefings" / f"2024-08-25-{name}.yaml"
    path.write_bytes(build(root))
    findings = check_collection([path], root=root).findings
    assert_findings(findings, expected)


def test_nesting_deeper_than_any_parser_allows_is_an_error_not_a_crash(root: Path) -> None:
    """100,000 nested lists: reported as too deep (by the rule or the parser's own limit), nothing else."""
    path = root / "briefings" / "2024-08-25-deep-nesting-100000.yaml"
    path.write_bytes(_deep(100_000)(root))
    findings = check_collection([path], root=root).findings
    assert findings, "nesting 100,000 deep must be an error"
    assert all(f.severity == "error" and f.line == 2 for f in findings), [f.format() for f in findings]
    assert any("nest" in f.message for f in findings), [f.format() for f in findings]


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/object/apply:subprocess.call",
    ],
)
def test_python_tag_is_an_error_and_runs_nothing(root: Path, tag: str) -> None:
    """`!!python/object/apply:os.system [...]` is reported as a tag and never constructed."""
    marker = root.parent / "pwned"
    command = f'["touch {marker}"]' if "os.system" in tag else f'[["touch", "{marker}"]]'
    old = "title: Cairo talks on a Gaza ceasefire end without a deal"
    path = root / "briefings" / "2024-08-25-python-tag.yaml"
    path.write_text(baseline_with(old, f"title: {tag} {command}"), encoding="utf-8")
    findings = check_collection([path], root=root).findings
    assert_findings(findings, [Expected("error", 2, 8, "title", "tags are not allowed")])
    assert not marker.exists()


# --- across files ---------------------------------------------------------------


def _findings_naming_both(findings: list[Finding], first: Path, second: Path, root: Path) -> list[Finding]:
    names = (first.relative_to(root).as_posix(), second.relative_to(root).as_posix())
    return [f for f in findings if all(name in f.format() for name in names)]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("a/2024-08-25-same-slug.yaml", "b/2024-08-25-same-slug.yaml"),
        ("2024-08-25-same-slug.yaml", "2024-08-25-same-slug.yml"),
    ],
)
def test_same_slug_twice_is_one_error_naming_both_files(root: Path, first: str, second: str) -> None:
    """Two files with one slug (other folders, or .yaml beside .yml): an error naming both files."""
    paths = [root / "briefings" / first, root / "briefings" / second]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(baseline_text(), encoding="utf-8")
    findings = check_collection([root / "briefings"], root=root).findings
    assert len(findings) == 1, [f.format() for f in findings]
    (finding,) = findings
    assert (finding.severity, finding.line, finding.column, finding.field) == ("error", 1, 1, "file name")
    assert _findings_naming_both(findings, paths[0], paths[1], root) == [finding]


@pytest.mark.parametrize(
    ("kind_there", "kind_line"),
    [("    kind: group\n", 10), ("", None)],
    ids=["explicit-kinds", "default-kind"],
)
def test_one_actor_id_with_two_kinds_is_one_error_naming_both_files(
    root: Path, kind_there: str, kind_line: int | None
) -> None:
    """`hamas` an organization in one briefing and a group (or a person by default) in another."""
    first = root / "briefings" / "2024-08-25-first.yaml"
    second = root / "briefings" / "2024-08-26-second.yaml"
    first.write_text(baseline_text(), encoding="utf-8")
    changed = baseline_with("  - name: Hamas\n    kind: organization\n", "  - name: Hamas\n" + kind_there)
    second.write_text(changed.replace("date: 2024-08-25", "date: 2024-08-26"), encoding="utf-8")
    findings = check_collection([root / "briefings"], root=root).findings
    assert len(findings) == 1, [f.format() for f in findings]
    (finding,) = findings
    assert finding.severity == "error" and finding.field == "who[1].kind"
    assert "hamas" in finding.message
    # At the kind as written, or at the actor when the kind is the default.
    assert (finding.line, finding.column) == ((kind_line, 11) if kind_line else (9, 5))
    assert _findings_naming_both(findings, first, second, root) == [finding]


# --- the real command -----------------------------------------------------------


def _run_check(root: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", "check", "--root", str(root), *map(str, paths)]
    return subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=300, check=False)


def test_cli_over_the_whole_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """`briefing check` over every case: exit 1, no traceback, one well-formed line per finding, every file checked."""
    result = _run_check(CORPUS, BRIEFINGS)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    bad = [line for line in lines if not _OUTPUT_LINE.match(line)]
    assert lines and not bad, bad
    assert f"{len(corpus_files())} files checked" in result.stderr
    # The command prints what the library finds over the whole corpus in one run, nothing lost.
    monkeypatch.chdir(PROJECT)
    findings = check_collection([BRIEFINGS], root=CORPUS).findings
    assert lines == [f.format() for f in findings]
    # Files that cannot be parsed at all do not stop the others, before or after them.
    named = {line.split(":", 1)[0].rsplit("/", 1)[-1] for line in lines}
    for name in ("comment-only", "syntax-error", "two-documents", "raw-control-character", "url-javascript"):
        assert f"2024-08-25-{name}.yaml" in named, name


def test_cli_prints_one_line_per_finding_for_a_file_name_with_a_line_break(root: Path) -> None:
    """A file name holding a line break is reported, and cannot split a finding into two output lines."""
    path = root / "briefings" / "2024-08-25-two\nlines.yaml"
    path.write_text(baseline_text(), encoding="utf-8")
    result = _run_check(root, root / "briefings")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, lines
    assert _OUTPUT_LINE.match(lines[0]) and ": error: file name: " in lines[0]
