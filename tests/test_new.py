"""`briefing new` and the placeholders it writes; `briefing check --format github`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.edge.cli import main
from generator.rules.collection import check_collection
from tests.conftest import MINIMAL, SEED

NEW = "briefings/2024/2024-09-01-cairo-talks-resume.yaml"


@pytest.fixture
def runner(repo: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(repo)
    return CliRunner()


def test_new_writes_a_draft_that_passes_check_with_placeholder_warnings(runner: CliRunner, repo: Path) -> None:
    """The file is where the docs say, prints its path, is a draft, and passes check (not --strict)."""
    result = runner.invoke(
        main,
        ["new", "Cairo talks resume", "--date", "2024-09-01", "--story", "Israel-Hamas war", "--location", "Cairo",
         "--source", f"seeds/{SEED.name}"],
    )  # fmt: skip
    assert (result.exit_code, result.stdout) == (0, f"{NEW}\n")
    text = (repo / NEW).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../docs/schema/briefing.schema.json\n")
    for line in ('title: "Cairo talks resume"', "date: 2024-09-01", "draft: true", 'story: "Israel-Hamas war"'):
        assert f"\n{line}\n" in text
    for commented in ("# numbers:", "# quotes:", "# next:", "# topics:", "# corrections:"):
        assert commented in text
    findings = check_collection([repo / NEW], repo).findings
    assert [(f.severity, f.field) for f in findings] == [
        ("warning", "summary"),
        ("warning", "who[0].name"),
        ("warning", "what[0]"),
        ("warning", "sources[0].title"),
    ]
    assert all(f.message.startswith("placeholder text: write the real text before publishing") for f in findings)
    assert runner.invoke(main, ["check"]).exit_code == 0
    assert runner.invoke(main, ["check", "--strict"]).exit_code == 1


def test_new_without_a_source_has_a_placeholder_url(runner: CliRunner, repo: Path) -> None:
    """With no --source, the source is a URL on `.invalid`, a warning until it is replaced."""
    assert runner.invoke(main, ["new", "Talks", "--date", "2024-09-01"]).exit_code == 0
    findings = check_collection([repo / "briefings" / "2024" / "2024-09-01-talks.yaml"], repo).findings
    (url,) = [f for f in findings if f.field == "sources[0].url"]
    assert (url.severity, url.message) == (
        "warning",
        "placeholder URL: give the source's real address (got 'https://source.invalid/todo')",
    )
    assert not [f for f in findings if f.severity == "error"]


def test_new_refuses_to_overwrite_or_reuse_a_slug(runner: CliRunner, repo: Path) -> None:
    """A file that exists, or a slug another briefing has anywhere under briefings/, is exit 2."""
    (repo / "briefings" / "2024-09-01-talks.yaml").write_text(MINIMAL.replace("2024-08-25", "2024-09-01"), "utf-8")
    before = (repo / "briefings" / "2024-09-01-talks.yaml").read_bytes()
    result = runner.invoke(main, ["new", "Talks", "--date", "2024-09-01"])
    assert result.exit_code == 2
    assert result.stderr == (
        "briefing new: error: the slug '2024-09-01-talks' is taken by briefings/2024-09-01-talks.yaml:"
        " give another title or --slug\n"
    )
    assert (repo / "briefings" / "2024-09-01-talks.yaml").read_bytes() == before
    assert not (repo / "briefings" / "2024").exists() or not list((repo / "briefings" / "2024").iterdir())
    assert runner.invoke(main, ["new", "Talks", "--date", "2024-09-01", "--slug", "talks-again"]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x" * 150], "nothing written: title: is 150 characters long; at most 140"),
        (["Talks", "--source", "../etc/passwd"], "nothing written: sources[0].file: must be a file inside seeds/"),
        (["東京"], "cannot make a file name from '東京': give --slug with lowercase a-z, 0-9 and '-'"),
        (["Talks", "--slug", "Not A Slug"], "cannot make a file name from 'Not A Slug'"),
    ],
)
def test_new_writes_nothing_that_would_not_pass(runner: CliRunner, repo: Path, args: list[str], message: str) -> None:
    """What would break the format is refused, and no file is left behind."""
    result = runner.invoke(main, ["new", *args, "--date", "2024-09-01"])
    assert result.exit_code == 2 and result.stderr.startswith(f"briefing new: error: {message}"), result.stderr
    assert not list((repo / "briefings").rglob("*.yaml"))


def test_new_works_from_a_subfolder(runner: CliRunner, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The root is found upward, as for check; the path printed is relative to where you are."""
    monkeypatch.chdir(repo / "briefings")
    result = runner.invoke(main, ["new", "Talks", "--date", "2024-09-01"])
    assert (result.exit_code, result.stdout) == (0, "2024/2024-09-01-talks.yaml\n")


def test_check_format_github_puts_findings_on_their_lines(runner: CliRunner, repo: Path) -> None:
    """Workflow commands with file, line, col and title; `%`, `:` and `,` escaped where GitHub wants."""
    (repo / "briefings" / "2024-08-25-cairo-talks.yaml").write_text(
        MINIMAL.replace("  - value: 270", "  - value: 50%, lots").replace("quotes:", "quotse:"), encoding="utf-8"
    )
    result = runner.invoke(main, ["check", "--format", "github"])
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=briefings/2024-08-25-cairo-talks.yaml,line=10,col=12,title=numbers[0].value::"
        "expected a number such as 270 or 0.5 (got '50%25, lots')\n"
        "::error file=briefings/2024-08-25-cairo-talks.yaml,line=13,col=1,title=quotse::"
        "unknown key (did you mean 'quotes'?)\n"
    )


def test_check_format_github_strict_shows_warnings_as_errors(runner: CliRunner, repo: Path) -> None:
    """Under --strict a warning blocks the pull request, so it is annotated as an error."""
    runner.invoke(main, ["new", "Talks", "--date", "2024-09-01", "--source", f"seeds/{SEED.name}"])
    plain = runner.invoke(main, ["check", "--format", "github"]).stdout.splitlines()
    strict = runner.invoke(main, ["check", "--strict", "--format", "github"])
    assert strict.exit_code == 1 and len(plain) == 4
    assert all(line.startswith("::warning file=") for line in plain)
    assert strict.stdout.splitlines() == [line.replace("::warning ", "::error ", 1) for line in plain]


def test_check_format_github_when_it_cannot_run(runner: CliRunner) -> None:
    """A missing path is an annotation too, and exit 2."""
    result = runner.invoke(main, ["check", "--format", "github", "nowhere.yaml"])
    assert result.exit_code == 2
    assert result.stdout == "::error file=nowhere.yaml,line=1,col=1,title=file::no such file or folder\n"
