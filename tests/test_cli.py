"""The `briefing` command: exact output and exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from generator.edge.cli import CannotRun, main, site_settings
from generator.format.schema import json_schema
from generator.rules.collection import find_root
from tests.conftest import MINIMAL, PROJECT
from tests.sitebuild import listed


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


def test_missing_path_with_json_format_prints_json_and_exits_2(runner: CliRunner) -> None:
    """--format json always prints JSON: the paths that do not exist as findings."""
    result = runner.invoke(main, ["check", "--format", "json", "nope.yaml", "briefings", "gone/"])
    assert result.exit_code == 2
    assert json.loads(result.stdout) == [
        {
            "path": path,
            "line": 1,
            "column": 1,
            "severity": "error",
            "field": "file",
            "message": "no such file or folder",
        }
        for path in ("nope.yaml", "gone")
    ]
    assert result.stderr == (
        "briefing check: error: no such file or folder: nope.yaml\n"
        "briefing check: error: no such file or folder: gone\n"
    )


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


#: The exit statuses each command's help must document.
EXIT_STATUSES = {
    "check": ("0", "1", "2"),
    "diff": ("0", "2"),
    "draft": ("0", "2"),
    "new": ("0", "2"),
    "render": ("0", "1", "2"),
    "schema": ("0",),
}


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help(name: str) -> None:
    """Each command's help names every option it takes and every exit status it can end with."""
    assert set(main.commands) == set(EXIT_STATUSES), "document the exit statuses of a new command here"
    command = main.commands[name]
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    options = [opt for param in command.params if isinstance(param, click.Option) for opt in param.opts]
    assert options and [opt for opt in options if opt not in text] == []
    statuses = re.search(r"exit status:?(.*)", text, re.IGNORECASE | re.DOTALL)
    assert statuses, f"the help of `{name}` says nothing of its exit status"
    assert [s for s in EXIT_STATUSES[name] if not re.search(rf"\b{s}\b", statuses.group(1))] == []


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
    out = repo / "build" / "markdown"
    assert (out / "briefings" / "2024-08-25-cairo-talks" / "index.md").exists()
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "https://desk.example.org/news/briefings/2024-08-25-cairo-talks/" in feed
    assert "<title>Desk</title>" in feed
    assert not (repo / "docs").exists()
    second = runner.invoke(main, ["render"])
    assert second.stderr == f"1 briefing published: 0 written, {len(first_written(out))} unchanged, 0 removed\n"


def first_written(out: Path) -> list[str]:
    return listed(out)


def test_render_refuses_a_folder_it_does_not_own_and_deletes_nothing(runner: CliRunner, repo: Path) -> None:
    """`briefing render --out .` is refused with exit 2: nothing written, nothing deleted."""
    _write(repo, MINIMAL)
    (repo / "mkdocs.yml").write_text("site_name: Desk\nsite_url: https://desk.example.org/\n", encoding="utf-8")
    before = sorted(p for p in repo.rglob("*"))
    result = runner.invoke(main, ["render", "--out", "."])
    assert result.exit_code == 2
    assert result.stderr.startswith("briefing render: error: . holds files the generator did not write (")
    assert sorted(p for p in repo.rglob("*")) == before


def test_render_without_a_site_address_exits_2(runner: CliRunner, repo: Path) -> None:
    """The feed needs an absolute address: from --site-url or mkdocs.yml, else exit 2."""
    _write(repo, MINIMAL)
    (repo / "mkdocs.yml").write_text("site_name: Desk\n", encoding="utf-8")
    result = runner.invoke(main, ["render"])
    assert result.exit_code == 2
    assert result.stderr == "briefing render: error: give --site-url, or set site_url in mkdocs.yml\n"
    assert runner.invoke(main, ["render", "--site-url", "https://example.org/"]).exit_code == 0


def test_render_leaves_out_briefings_with_errors_and_exits_1(runner: CliRunner, repo: Path) -> None:
    """A briefing in error is not written; its findings are printed; the rest is."""
    _write(repo, MINIMAL)
    _write(repo, MINIMAL.replace("quotes:", "quotse:"), name="2024-08-25-broken.yaml")
    (repo / "mkdocs.yml").write_text("site_name: Desk\n", encoding="utf-8")
    result = runner.invoke(main, ["render", "--site-url", "https://example.org/"])
    assert result.exit_code == 1
    assert result.stdout == (
        "briefings/2024-08-25-broken.yaml:13:1: error: quotse: unknown key (did you mean 'quotes'?)\n"
    )
    assert (repo / "build" / "markdown" / "briefings" / "2024-08-25-cairo-talks" / "index.md").exists()
    assert not (repo / "build" / "markdown" / "briefings" / "2024-08-25-broken").exists()


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


# --- check: where it runs, what it is given ------------------------------------

#: MINIMAL on the next day, with William Burns (a person by default in MINIMAL) an organization, at 7:11.
NEW_KIND = MINIMAL.replace("date: 2024-08-25", "date: 2024-08-26").replace(
    "    role: Director, CIA\n", "    role: Director, CIA\n    kind: organization\n"
)
OLD = "briefings/2024-08-25-cairo-talks.yaml"
NEW = "briefings/2024-08-26-cairo-talks.yaml"


def test_check_runs_from_any_folder_inside_the_project(
    runner: CliRunner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The root is found upward; paths are shown from the working folder; seeds/ is the root's."""
    (repo / "briefings" / "2024").mkdir()
    (repo / "briefings" / "2023").mkdir()
    _write(repo, MINIMAL.replace("quotes:", "quotse:"), name="2024/2024-08-25-cairo-talks.yaml")
    _write(repo, MINIMAL.replace("2024-08-25", "2023-08-25"), name="2023/2023-08-25-cairo-talks.yaml")
    monkeypatch.chdir(repo / "briefings" / "2024")
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 1
    assert result.stdout == "2024-08-25-cairo-talks.yaml:13:1: error: quotse: unknown key (did you mean 'quotes'?)\n"
    assert result.stderr == "2 files checked: 1 error, 0 warnings\n"
    named = runner.invoke(main, ["check", "../2023/2023-08-25-cairo-talks.yaml"])
    assert (named.exit_code, named.stdout, named.stderr) == (0, "", "1 file checked: 0 errors, 0 warnings\n")


def test_root_option_overrides_the_search(
    runner: CliRunner, repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """--root names the repository wherever the command runs."""
    _write(repo, MINIMAL)
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    os.chdir(elsewhere)
    result = runner.invoke(main, ["check", "--root", str(repo)])
    assert (result.exit_code, result.stderr) == (0, "1 file checked: 0 errors, 0 warnings\n")


def test_no_briefings_folder_anywhere_up_exits_2(runner: CliRunner, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Outside any project, with no path: exit 2, said on stderr (and as JSON with --format json)."""
    nowhere = tmp_path_factory.mktemp("nowhere")
    if find_root(nowhere) is not None:
        pytest.skip("a folder above the temporary folder holds briefings/")
    os.chdir(nowhere)
    message = "no briefings/ folder here or in any folder above; run it in the project or give --root"
    result = runner.invoke(main, ["check"])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"briefing check: error: {message}\n")
    as_json = runner.invoke(main, ["check", "--format", "json"])
    assert as_json.exit_code == 2
    assert json.loads(as_json.stdout) == [
        {"path": ".", "line": 1, "column": 1, "severity": "error", "field": "file", "message": message}
    ]


def test_a_new_file_named_alone_is_checked_against_the_collection(runner: CliRunner, repo: Path) -> None:
    """Passing on its own is not enough: the actor's kind conflicts with an existing briefing."""
    _write(repo, MINIMAL)
    _write(repo, NEW_KIND, name="2024-08-26-cairo-talks.yaml")
    result = runner.invoke(main, ["check", NEW])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{NEW}:7:11: error: who[0].kind: actor 'william-burns' is an organization here but a person in {OLD}:5:5\n"
    )
    assert result.stderr == "1 file checked: 1 error, 0 warnings\n"


def test_the_old_file_named_alone_reports_the_conflict_too(runner: CliRunner, repo: Path) -> None:
    """The conflict is the earlier file's too: named alone, it reports it at its own actor, naming the later file."""
    _write(repo, MINIMAL)
    _write(repo, NEW_KIND, name="2024-08-26-cairo-talks.yaml")
    result = runner.invoke(main, ["check", OLD])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{OLD}:5:5: error: who[0].kind: actor 'william-burns' is a person here but an organization in {NEW}:7:11\n"
    )
    assert result.stderr == "1 file checked: 1 error, 0 warnings\n"


def test_a_named_file_outside_briefings_gets_a_warning(runner: CliRunner, repo: Path) -> None:
    """Checked, and told it will not be published; --strict makes that fail."""
    (repo / "drafts").mkdir()
    (repo / "drafts" / "2024-08-25-cairo-talks.yaml").write_text(MINIMAL, encoding="utf-8")
    result = runner.invoke(main, ["check", "drafts/2024-08-25-cairo-talks.yaml"])
    assert result.exit_code == 0
    assert result.stdout == (
        "drafts/2024-08-25-cairo-talks.yaml:1:1: warning: file: not under briefings/: it will not be published\n"
    )
    assert runner.invoke(main, ["check", "--strict", "drafts"]).exit_code == 1


def test_a_link_out_of_the_repository_is_an_error(
    runner: CliRunner, repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A briefing that is a symbolic link to a file outside the repository is refused, named or found."""
    outside = tmp_path_factory.mktemp("outside") / "passwd"
    outside.write_text(MINIMAL, encoding="utf-8")
    (repo / "briefings" / "2024-08-25-cairo-talks.yaml").symlink_to(outside)
    expected = f"{OLD}:1:1: error: file: a symbolic link to outside the repository (got {str(outside)[:59] + '…'!r})\n"
    if len(str(outside)) <= 60:
        expected = f"{OLD}:1:1: error: file: a symbolic link to outside the repository (got {str(outside)!r})\n"
    for args in (["check"], ["check", OLD]):
        result = runner.invoke(main, args)
        assert (result.exit_code, result.stdout) == (1, expected)


def test_a_fifo_named_on_the_command_line_is_an_error_and_does_not_block(runner: CliRunner, repo: Path) -> None:
    """A named pipe is reported without being opened."""
    os.mkfifo(repo / "briefings" / "2024-08-25-pipe.yaml")
    result = runner.invoke(main, ["check", "briefings/2024-08-25-pipe.yaml"])
    assert result.exit_code == 1
    assert result.stdout == "briefings/2024-08-25-pipe.yaml:1:1: error: file: a named pipe (FIFO), not a regular file\n"


def test_an_empty_briefings_folder_says_so_and_exits_0(runner: CliRunner) -> None:
    """Nothing to check is not an error when nothing was named; JSON is an empty array."""
    result = runner.invoke(main, ["check"])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "no briefing files (*.yaml, *.yml) in briefings/: nothing to check\n"
    as_json = runner.invoke(main, ["check", "--format", "json"])
    assert (as_json.exit_code, json.loads(as_json.stdout)) == (0, [])


def test_a_named_folder_with_no_briefings_exits_1(runner: CliRunner, repo: Path) -> None:
    """A folder named explicitly that holds no briefing file is an error (a typo, a wrong folder)."""
    (repo / "briefings" / "2025").mkdir()
    (repo / "briefings" / "2025" / "notes.txt").write_text("", encoding="utf-8")
    result = runner.invoke(main, ["check", "briefings/2025"])
    assert result.exit_code == 1
    assert result.stdout == "briefings/2025:1:1: error: no briefing files (*.yaml, *.yml) in this folder\n"
    assert result.stderr == "0 files checked: 1 error, 0 warnings\n"


# --- the site's settings, for render --------------------------------------------------

MKDOCS = "site_name: Desk\nsite_url: https://desk.example.org/news/\n"


def _problems(root: Path, site_url: str | None = None) -> tuple[str, ...]:
    with pytest.raises(CannotRun) as raised:
        site_settings(root, site_url)
    assert raised.value.exit_code == 2
    return raised.value.problems


def test_site_settings_are_read_as_mkdocs_reads_them(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """!ENV and INHERIT work as in a build; site_url ends in /, as MkDocs makes it; docs/ need not exist yet."""
    monkeypatch.chdir(repo)
    monkeypatch.setenv("DESK_NAME", "Night desk")
    (repo / "base.yml").write_text("site_url: https://desk.example.org/news\nsite_description: All night\n")
    (repo / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: !ENV [DESK_NAME, 'Desk']\n", encoding="utf-8")
    settings = site_settings(repo)
    assert (settings.site.url, settings.site.name, settings.site.description) == (
        "https://desk.example.org/news/",
        "Night desk",
        "All night",
    )
    assert settings.docs_dir == repo / "docs"
    assert site_settings(repo, "https://other.example.org").site.url == "https://other.example.org/"
    # The options come with it: the plugin's publish_sources (none here) unless the command line says otherwise.
    assert (settings.site.drafts, settings.site.publish_sources) == (False, False)
    given = site_settings(repo, drafts=True, publish_sources=True).site
    assert (given.drafts, given.publish_sources) == (True, True)


@pytest.mark.parametrize(
    ("site_url", "problem"),
    [
        (
            "ftp://desk.example.org/",
            "mkdocs.yml: site_url: must be an absolute http:// or https:// address (got 'ftp://desk.example.org/')",
        ),
        (
            "not-a-url",
            "mkdocs.yml: site_url: The URL isn't valid, it should include the http:// (scheme) (got 'not-a-url')",
        ),
    ],
)
def test_a_site_url_that_is_no_web_address_is_refused(
    repo: Path, monkeypatch: pytest.MonkeyPatch, site_url: str, problem: str
) -> None:
    """Checked once, by `Settings.of`, after MkDocs' own check: the error names the value."""
    monkeypatch.chdir(repo)
    (repo / "mkdocs.yml").write_text(f"site_name: Desk\nsite_url: {site_url}\n", encoding="utf-8")
    assert _problems(repo) == (problem,)
    # --site-url takes the file's place.
    assert site_settings(repo, "https://desk.example.org/").site.url == "https://desk.example.org/"


def test_a_site_url_option_that_is_no_web_address_is_refused(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--site-url not-a-url` names the option and the value."""
    monkeypatch.chdir(repo)
    (repo / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    assert _problems(repo, "not-a-url") == (
        "--site-url: must be an absolute http:// or https:// address (got 'not-a-url')",
    )
    assert _problems(repo, "https://exa mple.org/") == (
        "--site-url: must be an absolute http:// or https:// address (got 'https://exa mple.org/')",
    )


def test_no_site_url_anywhere_is_refused(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The feed needs an absolute address."""
    monkeypatch.chdir(repo)
    (repo / "mkdocs.yml").write_text("site_name: Desk\n", encoding="utf-8")
    assert _problems(repo) == ("give --site-url, or set site_url in mkdocs.yml",)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        (None, "no such file: mkdocs.yml (it holds the site's name and address)"),
        ("site_name: [\n", "cannot read mkdocs.yml: MkDocs encountered an error parsing the configuration file:"),
        ("INHERIT: base.yml\n", "cannot read mkdocs.yml: Inherited config file 'base.yml' does not exist"),
        ("- a list\n", "cannot read mkdocs.yml: The configuration is invalid."),
        ("site_name: !!python/name:nowhere.nothing\n", "cannot read mkdocs.yml: MkDocs encountered an error parsing"),
        (
            "site_name: Desk\ntheme: {name: no-such-theme}\n",
            "mkdocs.yml: theme: Unrecognised theme name: 'no-such-theme'.",
        ),
    ],
    ids=["missing", "yaml", "inherit", "list", "python-name", "invalid"],
)
def test_a_missing_or_broken_mkdocs_yml_is_one_clean_line(
    repo: Path, monkeypatch: pytest.MonkeyPatch, text: str | None, start: str
) -> None:
    """Never a traceback: each problem is one line, exit status 2."""
    monkeypatch.chdir(repo)
    if text is not None:
        (repo / "mkdocs.yml").write_text(text, encoding="utf-8")
    (problem,) = _problems(repo, "https://example.org/")
    assert problem.startswith(start) and "\n" not in problem, problem


def test_a_broken_mkdocs_yml_ends_a_command_with_exit_2_and_one_line(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a command sees it: `briefing <command>: error: ...` on stderr, exit 2, nothing on stdout."""

    @click.command()
    @click.option("--site-url")
    def probe(site_url: str | None) -> None:
        click.echo(site_settings(Path("."), site_url).site.url)

    monkeypatch.chdir(repo)
    (repo / "mkdocs.yml").write_text("site_name: Desk\nsite_url: ftp://desk.example.org/\n", encoding="utf-8")
    result = CliRunner().invoke(probe, [])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "briefing probe: error: mkdocs.yml: site_url:"
        " must be an absolute http:// or https:// address (got 'ftp://desk.example.org/')\n"
    )
    fine = CliRunner().invoke(probe, ["--site-url", "https://desk.example.org"])
    assert (fine.exit_code, fine.stdout) == (0, "https://desk.example.org/\n")


@pytest.mark.parametrize(
    ("mkdocs", "args", "message"),
    [
        (
            MKDOCS,
            ["--site-url", "not-a-url"],
            "--site-url: must be an absolute http:// or https:// address (got 'not-a-url')",
        ),
        (
            "site_name: Desk\nsite_url: ftp://desk.example.org/\n",
            [],
            "mkdocs.yml: site_url: must be an absolute http:// or https:// address (got 'ftp://desk.example.org/')",
        ),
    ],
)
def test_render_refuses_a_site_url_that_is_no_web_address(
    runner: CliRunner, repo: Path, mkdocs: str, args: list[str], message: str
) -> None:
    """`briefing render` checks the address through `site_settings`: exit 2, one line naming the value."""
    _write(repo, MINIMAL)
    (repo / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    result = runner.invoke(main, ["render", *args])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"briefing render: error: {message}\n"


def test_a_quote_or_evidence_not_found_names_the_closest_passage_and_what_differs(
    runner: CliRunner, repo: Path
) -> None:
    """A one-word change is found for the contributor: where the source comes closest (its line and column in
    the source text), the passage as written there, and the words that differ."""
    _write(
        repo,
        MINIMAL.replace("evidence: Israeli planes targeted 270 sites", "evidence: Israeli jets targeted 270 sites")
        .replace("  - text: constructive", "  - text: constructive and serious")
        .replace("\n\n", "\n"),
    )
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 1
    assert result.stdout == (
        "briefings/2024-08-25-cairo-talks.yaml:12:15: error: numbers[0].evidence: evidence not found in"
        " seeds/000_548c9463dc2f8344.txt (got 'Israeli jets targeted 270 sites');"
        " closest: seeds/000_548c9463dc2f8344.txt:7:453 'Israeli planes targeted 270 sites,'"
        " ('jets' where the source has 'planes')\n"
        "briefings/2024-08-25-cairo-talks.yaml:14:11: error: quotes[0].text: quote not found in"
        " seeds/000_548c9463dc2f8344.txt (got 'constructive and serious');"
        " closest: seeds/000_548c9463dc2f8344.txt:5:294 '“constructive” and noted'"
        " ('serious' where the source has 'noted')\n"
    )


@pytest.mark.parametrize(
    ("later", "expected"),
    [
        (  # the file ends inside the quotation
            "",
            "briefings/2024-08-25-cairo-talks.yaml:1:8: error: YAML syntax: the quotation mark '\"' opened here is"
            " never closed (YAML read on to line 18: found unexpected end of stream)\n",
        ),
        (  # a later quotation mark closes it, and YAML stumbles there
            '"constructive"',
            "briefings/2024-08-25-cairo-talks.yaml:1:8: error: YAML syntax: the quotation mark '\"' opened here is"
            " not closed on its line (YAML read on to line 14: did not find expected key)\n",
        ),
    ],
)
def test_an_unclosed_quotation_mark_is_reported_where_it_opens(
    runner: CliRunner, repo: Path, later: str, expected: str
) -> None:
    text = MINIMAL.replace("title: ", 'title: "', 1)
    if later:
        text = text.replace("  - text: constructive", f"  - text: {later}")
    _write(repo, text)
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 1
    assert result.stdout == expected


def test_a_source_file_that_cannot_be_read_says_what_went_unverified(runner: CliRunner, repo: Path) -> None:
    """A wrong source path does not hide the checks of the quotes and figures citing it without a word."""
    _write(repo, MINIMAL.replace("seeds/000_548c9463dc2f8344.txt", "seeds/missing.txt"))
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 1
    assert result.stdout == (
        "briefings/2024-08-25-cairo-talks.yaml:17:3: warning: sources: 1 quote and 1 figure went unverified:"
        " a source file they may cite is in error (fix it, and they are checked)\n"
        "briefings/2024-08-25-cairo-talks.yaml:18:11: error: sources[0].file: no such file (got 'seeds/missing.txt')\n"
    )


@pytest.mark.parametrize(
    ("speaker", "meant"),
    [("William Burn", "William Burns"), ("Burns", "William Burns"), ("william-burn", "William Burns")],
)
def test_a_speaker_like_an_actor_but_not_one_is_a_warning_naming_them(
    runner: CliRunner, repo: Path, speaker: str, meant: str
) -> None:
    """A misspelt speaker would show unlinked without a word; an unnamed source (`U.S. official`) stays quiet."""
    _write(repo, MINIMAL.replace("    speaker: U.S. official", f"    speaker: {speaker}"))
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 0
    assert result.stdout == (
        f"briefings/2024-08-25-cairo-talks.yaml:15:14: warning: quotes[0].speaker: names no one in who, so the"
        f" quote links to no page: did you mean {meant!r}? (got {speaker!r})\n"
    )


def test_a_what_item_copied_from_its_source_is_a_warning(runner: CliRunner, repo: Path) -> None:
    """A briefing summarises: twenty words of the source as written, in `what`, are said to be copied."""
    copied = (
        "Israel's military spokesperson Daniel Hagari said around 100 Israeli planes targeted 270 sites, with 90%"
        " of the strikes aimed at rocket launchers directed towards northern Israel."
    )
    _write(repo, MINIMAL.replace("what:\n", f"what:\n  - {copied}\n", 1))
    result = runner.invoke(main, ["check", "--strict"])
    assert result.exit_code == 1
    assert result.stdout == (
        "briefings/2024-08-25-cairo-talks.yaml:8:5: warning: what[0]: copies 20 words of"
        " seeds/000_548c9463dc2f8344.txt as written ('around 100 Israeli planes targeted 270 sites, with …'):"
        " summarise in your own words, or quote it (long copying is also a copyright matter)\n"
    )
