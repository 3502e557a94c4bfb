"""The `briefing` command: exact output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.schema import json_schema
from tests.conftest import MINIMAL, PROJECT


@pytest.fixture
def runner(repo: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner working in the throwaway repository."""
    monkeypatch.chdir(repo)
    return CliRunner()


def _write(repo: Path, text: str, name: str = "2024-08-25-cairo-talks.yaml") -> None:
    (repo / "briefings" / name).write_text(text, encoding="utf-8")


def test_clean_collection_exits_0_and_prints_nothing_on_stdout(runner: CliRunner, repo: Path) -> None:
    """No finding: exit 0, only the count on stderr."""
    _write(repo, MINIMAL)
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "1 file checked: 0 errors, 0 warnings\n"


def test_errors_print_one_line_each_and_exit_1(runner: CliRunner, repo: Path) -> None:
    """The exact line format: path:line:col: error: field: message (got ...)."""
    _write(repo, MINIMAL.replace("  - value: 270", "  - value: lots").replace("quotes:", "quotse:"))
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 1
    assert result.stdout == (
        "briefings/2024-08-25-cairo-talks.yaml:10:12: error: numbers[0].value:"
        " expected a number such as 270 or 0.5 (got 'lots')\n"
        "briefings/2024-08-25-cairo-talks.yaml:13:1: error: quotse: unknown key (did you mean 'quotes'?)\n"
    )
    assert result.stderr == "1 file checked: 2 errors, 0 warnings\n"


def test_warnings_exit_0_unless_strict(runner: CliRunner, repo: Path) -> None:
    """--strict makes a warning count as an error."""
    _write(
        repo,
        MINIMAL.replace("  - value: 270", "  - value: 271").replace(
            "    evidence: Israeli planes targeted 270 sites\n", ""
        ),
    )
    lenient = runner.invoke(main, ["check"])
    assert lenient.exit_code == 0
    assert lenient.stdout == (
        "briefings/2024-08-25-cairo-talks.yaml:10:12: warning: numbers[0].value:"
        " 271 appears nowhere in seeds/000_548c9463dc2f8344.txt; add evidence or check the figure\n"
    )
    assert runner.invoke(main, ["check", "--strict"]).exit_code == 1


def test_json_format_has_the_same_findings(runner: CliRunner, repo: Path) -> None:
    """--format json prints an array of finding objects."""
    _write(repo, MINIMAL.replace("quotes:", "quotse:"))
    result = runner.invoke(main, ["check", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "path": "briefings/2024-08-25-cairo-talks.yaml",
            "line": 13,
            "column": 1,
            "severity": "error",
            "field": "quotse",
            "message": "unknown key (did you mean 'quotes'?)",
        }
    ]


def test_missing_path_exits_2(runner: CliRunner) -> None:
    """A path that does not exist: exit 2, said on stderr."""
    result = runner.invoke(main, ["check", "nope.yaml"])
    assert result.exit_code == 2
    assert result.stderr == "briefing check: error: no such file or folder: nope.yaml\n"


def test_explicit_paths_check_only_those_files(runner: CliRunner, repo: Path) -> None:
    """A file path checks that file; a folder is searched recursively."""
    _write(repo, MINIMAL)
    _write(repo, "title: [", name="2024-08-26-broken.yaml")
    assert runner.invoke(main, ["check", "briefings/2024-08-25-cairo-talks.yaml"]).exit_code == 0
    assert runner.invoke(main, ["check", "briefings"]).exit_code == 1


def test_schema_command_prints_the_committed_schema() -> None:
    """docs/schema/briefing.schema.json is what `briefing schema` prints (regenerate it if this fails)."""
    committed = json.loads((PROJECT / "docs" / "schema" / "briefing.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema()
    result = CliRunner().invoke(main, ["schema"])
    assert json.loads(result.stdout) == committed


def test_every_command_has_help() -> None:
    """Each command documents itself."""
    for command in main.commands.values():
        result = CliRunner().invoke(main, [command.name or "", "--help"])
        assert result.exit_code == 0 and len(result.stdout) > 100


def test_python_m_generator_is_the_same_command(repo: Path) -> None:
    """`python -m generator` runs `briefing`, with the same exit codes."""
    _write(repo, MINIMAL)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "check"], cwd=repo, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stderr == "1 file checked: 0 errors, 0 warnings\n"


def test_project_briefings_check_clean_in_strict_mode() -> None:
    """The project's own briefings pass `briefing check --strict`."""
    done = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--strict"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout
    assert done.stdout == ""


def test_render_writes_the_site_markdown_and_reports_counts(runner: CliRunner, repo: Path) -> None:
    """`briefing render` writes the pages, feed and export; a second run writes nothing."""
    _write(repo, MINIMAL)
    (repo / "mkdocs.yml").write_text("site_name: Desk\nsite_url: https://desk.example.org/news/\n", encoding="utf-8")
    first = runner.invoke(main, ["render"])
    assert first.exit_code == 0, first.output
    assert (repo / "docs" / "briefings" / "2024-08-25-cairo-talks.md").exists()
    assert "https://desk.example.org/news/briefings/2024-08-25-cairo-talks/" in (repo / "docs" / "feed.xml").read_text(
        encoding="utf-8"
    )
    assert "<title>Desk</title>" in (repo / "docs" / "feed.xml").read_text(encoding="utf-8")
    second = runner.invoke(main, ["render"])
    assert second.stderr.startswith("1 briefings published: 0 written,")


def test_render_without_a_site_address_exits_2(runner: CliRunner, repo: Path) -> None:
    """The feed needs an absolute address: from --site-url or mkdocs.yml, else exit 2."""
    _write(repo, MINIMAL)
    result = runner.invoke(main, ["render"])
    assert result.exit_code == 2
    assert result.stderr == "briefing render: error: give --site-url, or set site_url in mkdocs.yml\n"
    assert runner.invoke(main, ["render", "--site-url", "https://example.org/"]).exit_code == 0


def test_render_leaves_out_briefings_with_errors_and_exits_1(runner: CliRunner, repo: Path) -> None:
    """A briefing in error is not written; its findings are printed; the rest is."""
    _write(repo, MINIMAL)
    _write(repo, MINIMAL.replace("quotes:", "quotse:"), name="2024-08-25-broken.yaml")
    result = runner.invoke(main, ["render", "--site-url", "https://example.org/"])
    assert result.exit_code == 1
    assert result.stdout == (
        "briefings/2024-08-25-broken.yaml:13:1: error: quotse: unknown key (did you mean 'quotes'?)\n"
    )
    assert (repo / "docs" / "briefings" / "2024-08-25-cairo-talks.md").exists()
    assert not (repo / "docs" / "briefings" / "2024-08-25-broken.md").exists()


def test_render_reads_site_url_from_a_mkdocs_yml_with_tags(runner: CliRunner, repo: Path) -> None:
    """MkDocs' own tags in mkdocs.yml (!ENV, !!python/name) do not stop render from reading site_url."""
    _write(repo, MINIMAL)
    (repo / "mkdocs.yml").write_text(
        "site_name: !ENV [SITE_NAME, 'Desk']\nsite_url: https://desk.example.org/\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8",
    )
    assert runner.invoke(main, ["render"]).exit_code == 0
