"""The `briefing` command. Library errors become messages and exit codes here, and only here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NoReturn

import click
import yaml

from generator import __version__
from generator.format.findings import Finding, got, printable
from generator.rules.collection import (
    BRIEFINGS_DIR,
    FILE_FIELD,
    Collection,
    check_collection,
    check_named,
    find_root,
    shown_path,
)
from generator.site.settings import Settings, build_moment

#: Exit status when a command could not run at all (no such path, no usable mkdocs.yml).
EXIT_USAGE = 2

NO_ROOT = "no briefings/ folder here or in any folder above; run it in the project or give --root"

#: `--root` of the commands that work in a project: where briefings/ and seeds/ are.
ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The repository root (default: the first folder, from here upward, that holds briefings/).",
)


def _project_root(given: Path | None) -> Path:
    """`--root` when given; else the project found upward from here, as a path relative to here."""
    if given is not None:
        return given
    found = find_root(Path.cwd())
    if found is None:
        raise CannotRun(NO_ROOT)
    return Path(os.path.relpath(found))


class CannotRun(click.ClickException):
    """A command could not run at all: exit status 2, each problem one line `briefing CMD: error: ...` on stderr."""

    exit_code = EXIT_USAGE

    def __init__(self, *problems: str) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        context = click.get_current_context(silent=True)
        self.command = context.info_name if context is not None else None

    def show(self, file: IO[Any] | None = None) -> None:
        prefix = f"briefing {self.command}" if self.command else "briefing"
        for problem in self.problems:
            click.echo(printable(f"{prefix}: error: {problem}"), file=file, err=file is None)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefing")
def main() -> None:
    """Check news briefings written as YAML, and publish them as a static site."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The repository root: where briefings/ and seeds/ are."
    "  [default: the current folder, or the first folder above it that holds briefings/]",
)
@click.option("--strict", is_flag=True, help="Count warnings as errors.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text: one line per finding; json: a JSON array of findings; github: GitHub workflow commands,"
    " which put each finding on its line of a pull request's diff.",
)
def check(paths: tuple[Path, ...], root: Path | None, strict: bool, output: str) -> None:
    """Check briefing files against the format, their sources and each other.

    PATHS are briefing files or folders (searched for *.yaml and *.yml); with
    none, every briefing under ROOT/briefings/. Named files are checked against
    the whole collection under ROOT/briefings/ (a slug, or an actor's kind, used
    by another briefing), and only the findings that involve them are printed.
    A symbolic link is read only when it leads to a regular file inside the
    repository; any other link, a FIFO or a device is an error. Each problem
    is printed as `path:line:column: error|warning: field: message`; the
    count goes to stderr.

    Exit status: 0 when there is no error, 1 when there is one (a named folder
    with no briefing file in it is one), 2 when the check could not run: a path
    does not exist, or no briefings/ folder was found.
    """
    root = _check_root(root, paths, output)
    briefings = root / BRIEFINGS_DIR
    missing = [p for p in paths if not os.path.lexists(p)]
    if not paths and not os.path.lexists(briefings):
        missing = [briefings]
    if missing:
        _cannot_check(output, [(str(path), "no such file or folder") for path in missing])
    collection = check_named(paths, root) if paths else check_collection([briefings], root)
    collection.findings[:0] = build_state_findings(root)
    _print_findings(collection.findings, output, strict)
    files = len(collection.files)
    if not paths and not collection.files:
        where = shown_path(briefings, os.getcwd())
        click.echo(f"no briefing files (*.yaml, *.yml) in {where}/: nothing to check", err=True)
    else:
        notices = sum(f.severity == "notice" for f in collection.findings)
        click.echo(
            f"{files} file{'s' * (files != 1)} checked: "
            f"{collection.errors} error{'s' * (collection.errors != 1)}, "
            f"{collection.warnings} warning{'s' * (collection.warnings != 1)}"
            + (f", {notices} notice{'s' * (notices != 1)} (not counted by --strict)" if notices else ""),
            err=True,
        )
    _print_embargoes(collection)
    failed = collection.errors or (strict and collection.warnings)
    sys.exit(1 if failed else 0)


def _print_embargoes(collection: Collection) -> None:
    """The embargoes still to lift, soonest first, on stderr: each briefing held by its `publish_at`, and when
    it lifts, as of the build's "now" (`SOURCE_DATE_EPOCH`, else the clock)."""
    try:
        now = build_moment()
    except ValueError as exc:
        click.echo(printable(f"embargoes not listed: {exc}"), err=True)
        return
    held = [
        (checked.briefing.publish_at, checked.path)
        for checked in collection.files
        if checked.briefing is not None
        and checked.briefing.publish_at is not None
        and checked.briefing.embargoed(now)
        and not checked.briefing.draft
    ]
    for moment, path in sorted(held, key=lambda item: (item[0], str(item[1]))):
        minutes = int((moment - now).total_seconds() // 60)
        wait = (
            f"{minutes // 1440} d {minutes % 1440 // 60} h"
            if minutes >= 1440
            else f"{minutes // 60} h {minutes % 60} min"
        )
        click.echo(
            printable(f"{path}: embargoed until {moment.isoformat()} (lifts in {wait})"),
            err=True,
        )


def _check_root(root: Path | None, paths: tuple[Path, ...], output: str) -> Path:
    """The root `check` works in: as given, else found upward, else (for named files) the current folder."""
    if root is not None:
        return root
    found = find_root(Path.cwd())
    if found is not None:
        return Path(os.path.relpath(found))
    if paths:
        return Path(".")  # the named files are checked on their own
    _cannot_check(output, [(None, NO_ROOT)])


def _print_findings(findings: list[Finding], output: str, strict: bool) -> None:
    if output == "json":
        click.echo(json.dumps([f.to_json() for f in findings], indent=2, ensure_ascii=False))
        return
    for finding in findings:
        if output == "github":
            # With --strict a warning stops the pull request as an error does: show it as one.
            strict_error = strict and finding.severity == "warning"
            click.echo(dataclasses.replace(finding, severity="error").github() if strict_error else finding.github())
        else:
            click.echo(finding.format())


def build_state_findings(root: Path) -> list[Finding]:
    """An error for each file git tracks under `.cache/`, `site/` or the cache root (when that is in the
    checkout): build state that a commit brought, such as a planted page or search index."""
    from generator.store.cache import cache_root, tracked_build_state

    return [
        Finding(
            shown_path(root / path, os.getcwd()),
            1,
            1,
            "error",
            "file",
            "build state tracked by git: .cache/, site/ and the cache hold only what builds write;"
            " remove it from git (git rm --cached)",
        )
        for path in tracked_build_state(root, cache_root(root.resolve(), configured_cache_dir(root)))
    ]


def configured_cache_dir(root: Path) -> str | None:
    """The briefings plugin's `cache_dir` in ROOT/mkdocs.yml, read as data (no plugin loaded, tags such as
    `!ENV` taken as nothing), or None."""
    config_file = next((root / name for name in CONFIG_NAMES if (root / name).is_file()), None)
    if config_file is None:
        return None

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        with config_file.open("rb") as file:
            data = yaml.load(file.read(1 << 20), Loader=_Loader)
    except (OSError, yaml.YAMLError):
        return None
    plugins = data.get("plugins") if isinstance(data, dict) else None
    for entry in plugins if isinstance(plugins, list) else []:
        options = entry.get("briefings") if isinstance(entry, dict) else None
        if isinstance(options, dict) and isinstance(options.get("cache_dir"), str):
            return str(options["cache_dir"])
    return None


def _cannot_check(output: str, problems: list[tuple[str | None, str]]) -> NoReturn:
    """Exit 2, each problem (about a path, or None) on stderr; with --format json or github, as
    findings on stdout too."""
    for path, problem in problems:
        click.echo(printable(f"briefing check: error: {problem}" + (f": {path}" if path else "")), err=True)
    findings = [Finding(path or ".", 1, 1, "error", FILE_FIELD, problem) for path, problem in problems]
    if output == "json":
        click.echo(json.dumps([f.to_json() for f in findings], indent=2, ensure_ascii=False))
    elif output == "github":
        for finding in findings:
            click.echo(finding.github())
    sys.exit(EXIT_USAGE)


@main.command()
@click.option(
    "--export",
    is_flag=True,
    help="Print the schema of the site's /briefings.json instead (docs/schema/briefings-export.schema.json).",
)
def schema(export: bool) -> None:
    """Print the JSON Schema of a briefing file (docs/schema/briefing.schema.json).

    Exit status: 0.
    """
    if export:
        from generator.site.export import export_schema

        click.echo(json.dumps(export_schema(), indent=2, ensure_ascii=False))
        return
    from generator.format.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="The repository root: where briefings/, seeds/ and mkdocs.yml are (default: found upward, as for check).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The folder to write into, which render owns (default: ROOT/build/markdown).",
)
@click.option("--drafts", is_flag=True, help="Publish drafts too, as `mkdocs serve` does.")
@click.option(
    "--site-url",
    default=None,
    help="Where the site is published, for the feed and the export (default: site_url in ROOT/mkdocs.yml).",
)
@click.option(
    "--publish-sources/--no-publish-sources",
    default=None,
    help="Write a page of each cited source text, whole, at sources/<name>/"
    " (default: the briefings plugin's publish_sources in ROOT/mkdocs.yml, else no).",
)
def render(
    root: Path | None, out: Path | None, drafts: bool, site_url: str | None, publish_sources: bool | None
) -> None:
    """Write the site as Markdown files with front matter, for other tools, into a folder it owns.

    Writes OUT/index.md, OUT/feed.xml, OUT/briefings.json and the folders
    OUT/briefings/, OUT/who/, OUT/stories/ and OUT/topics/, each file only when
    its content changed, and deletes the files it wrote before that no briefing
    produces any more. OUT must be new, empty, or written by render before (it
    keeps a manifest, OUT/.briefings-manifest): render refuses a folder holding
    anything else, and then writes and deletes nothing. The MkDocs plugin does
    not need this command. Files with errors are left out and their findings
    printed.

    Exit status: 0 when every briefing was published, 1 when a briefing has an
    error, 2 when nothing could be written (no briefings/, a broken mkdocs.yml,
    a site_url that is no http(s) address, or a folder render does not own).
    """
    from generator.site.build import GeneratorError, Spool, build_site, sync_folder
    from generator.store.cache import cache_root, tracked_build_state, trusted_base

    root = _project_root(root)
    if not (root / BRIEFINGS_DIR).is_dir():
        raise CannotRun(f"no such folder: {root / BRIEFINGS_DIR}")
    settings = site_settings(root, site_url, drafts=drafts, publish_sources=publish_sources)
    # Each page is spooled to a temporary file as it is made, not held: `render` of a large site holds
    # no more pages than `mkdocs build` does.
    spool = Spool()
    try:
        site = build_site(root, settings=settings.site, sink=spool.sink)
        if spool.error is not None:
            raise spool.error
        spool.files = site.files
        folder = out or root / "build" / "markdown"
        tracked = tracked_build_state(root, folder, cache_root(root.resolve(), configured_cache_dir(root)))
        if tracked:
            raise CannotRun(
                *(
                    f"{shown_path(root / path, os.getcwd())}: build output tracked by git; remove it from git"
                    " (git rm --cached): render writes and deletes only files it wrote"
                    for path in tracked
                )
            )
        written = sync_folder(folder, spool, trusted_base(folder, root), site.cards())
    except (GeneratorError, OSError) as exc:
        raise CannotRun(str(exc)) from None
    finally:
        spool.close()
    for finding in site.findings:
        click.echo(finding.format())
    published = len(site.published)
    click.echo(
        f"{published} briefing{'s' * (published != 1)} published: {len(written.written)} written,"
        f" {written.unchanged} unchanged, {len(written.deleted)} removed",
        err=True,
    )
    sys.exit(1 if site.errors else 0)


@main.command()
@click.argument("title")
@click.option(
    "--date",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="The day the briefing covers, YYYY-MM-DD.  [default: today]",
)
@click.option("--story", default=None, help="The running story it belongs to.")
@click.option("--source", default=None, help="The source text it is drawn from, a file under seeds/.")
@click.option("--location", default=None, help="The dateline: `Cairo`.")
@click.option("--slug", default=None, help="The words of the file name (default: from the title).")
@ROOT_OPTION
def new(
    title: str,
    day: dt.datetime | None,
    story: str | None,
    source: str | None,
    location: str | None,
    slug: str | None,
    root: Path | None,
) -> None:
    """Start a briefing: write briefings/YEAR/DATE-WORDS.yaml with every section, as a draft.

    Required fields hold `TODO:` placeholders, which `briefing check` reports as
    warnings (and `--strict` as errors) until they are written; optional
    sections are there as comments. Prints the path it wrote.

    Exit status: 0 when the file was written, 2 when it was not (a file or a
    slug that exists, a title with nothing to name the file after, no
    briefings/ folder found).
    """
    from generator.newsroom.scaffold import NewBriefing, ScaffoldError, new_briefing

    root = _project_root(root)
    request = NewBriefing(
        title=title,
        date=day.date() if day else dt.date.today(),
        story=story,
        source=source,
        location=location,
        slug=slug,
    )
    try:
        path = new_briefing(root, request)
    except (ScaffoldError, OSError) as exc:
        raise CannotRun(str(exc)) from None
    click.echo(shown_path(path, os.getcwd()))


@main.command()
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="The day the briefing covers.")
@click.option("--title", default=None, help="The headline (default: the article's first line).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the draft (default: standard output).",
)
@ROOT_OPTION
def draft(article: Path, day: dt.datetime | None, title: str | None, output: Path | None, root: Path | None) -> None:
    """Draft a briefing from a raw article under seeds/, for a person to finish.

    Finds the article's quotations and their speakers, its figures with their
    evidence, the people and organisations it names, candidate next steps, and
    seeds the summary and `what` from its lead. The draft has `draft: true`
    and passes `briefing check` as written.

    Exit status: 0 when the draft was written, 2 when it could not be (no such
    article, an article outside seeds/, a file that exists).
    """
    from generator.newsroom.draft import DraftError, drafted

    root = root or find_root(Path.cwd()) or Path(".")
    try:
        text, report = drafted(article, root, date=day.date() if day else None, title=title)
    except DraftError as exc:
        raise CannotRun(str(exc)) from None
    if output is not None and output.exists():
        raise CannotRun(f"{output} exists; give another file name or remove it")
    if output is None:
        click.echo(text, nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    # What it found and guessed, on standard error: standard output stays the YAML alone.
    for line in report:
        click.echo(f"  {line}", err=True)


@main.command()
@click.argument("base", required=False)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for a terminal, markdown for a pull request's job summary, json for tools.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1000),
    default=None,
    help="Cut the text or Markdown printed to fit this many bytes (GitHub's job summary holds 1 MiB),"
    " before an item, with a note saying so and where the full diff is.",
)
@click.option(
    "--output",
    "output_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the whole diff, never cut, to this file (for an artifact).",
)
@click.option(
    "--full-diff-at",
    default=None,
    metavar="TEXT",
    help="Where the full diff is, for the note of a cut diff (default: the --output file, else how to make it).",
)
@ROOT_OPTION
def diff(
    base: str | None,
    output: str,
    max_bytes: int | None,
    output_file: Path | None,
    full_diff_at: str | None,
    root: Path | None,
) -> None:
    """What changed in the briefings since BASE, in a newsroom's words, for a reviewer.

    BASE is a git revision (default: the merge base with the default branch);
    the briefings there are compared with the working tree: briefings added,
    removed and renamed, and in each the fields added, removed or changed, with
    whether each changed quote and figure still verifies against its source;
    an added briefing whole; every other changed path (source texts, pages and
    theme, code) and what a changed source text changes; actors renamed.

    Exit status: 0 when the comparison was printed, 2 when it could not be made
    (not a git repository, a base that is not there: in a shallow clone, fetch it).
    """
    from generator.newsroom.diff import DiffError, briefing_diff, render_diff

    root = _project_root(root)
    if max_bytes is not None and output == "json":
        raise click.UsageError("--max-bytes cuts text or Markdown; JSON is written whole")
    try:
        changes = briefing_diff(root, base)
    except DiffError as exc:
        raise CannotRun(str(exc)) from None
    if output_file is not None:
        whole = render_diff(changes, output)
        try:
            output_file.parent.mkdir(parents=True, exist_ok=True)
            output_file.write_text(whole, encoding="utf-8")
        except OSError as exc:
            raise CannotRun(f"cannot write {output_file}: {exc.strerror or exc}") from None
        if full_diff_at is None:
            full_diff_at = f"the file {output_file}"
    click.echo(render_diff(changes, output, max_bytes, full_diff_at), nl=False)


@dataclass(frozen=True)
class SiteSettings:
    """What `briefing render` takes from mkdocs.yml, read as a MkDocs build reads it."""

    #: The site's settings: its address (checked, ending in `/`), name and description, and the options
    #: (the briefings plugin's `publish_sources` unless the command line says otherwise; drafts).
    site: Settings
    #: MkDocs' docs_dir, absolute (it may not exist yet).
    docs_dir: Path


#: The names MkDocs looks for, in its order.
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


def site_settings(
    root: Path, site_url: str | None = None, *, drafts: bool = False, publish_sources: bool | None = None
) -> SiteSettings:
    """The site's settings from ROOT/mkdocs.yml, as MkDocs reads them (`!ENV`, `INHERIT`, its defaults).

    `site_url`, when given (`--site-url`), takes the place of the file's, which is
    then not checked; `publish_sources`, when given, the plugin's option. The settings
    are made, and the address checked, once, by `checked_settings`. A missing
    or broken mkdocs.yml, or no usable address, raises `CannotRun` (exit status 2,
    one line per problem, no traceback).
    """
    config_file = next((root / name for name in CONFIG_NAMES if (root / name).is_file()), None)
    if config_file is None:
        raise CannotRun(
            f"no such file: {shown_path(root / CONFIG_NAMES[0], os.getcwd())} (it holds the site's name and address)"
        )
    shown = shown_path(config_file, os.getcwd())
    config, errors = _load_mkdocs_config(config_file, shown)
    docs_dir = Path(config_file.parent, str(config["docs_dir"]))
    problems = []
    for name, error in errors:
        if name == "docs_dir" and not docs_dir.exists():
            continue  # render writes it
        if name == "site_url" and site_url is not None:
            continue  # replaced by --site-url
        raw = config.get(name)
        value = f" {got(raw)}" if isinstance(raw, str) else ""
        problems.append(f"{shown}: {name}: {' '.join(str(error).split())}{value}")
    if problems:
        raise CannotRun(*problems)
    site = checked_settings(
        site_url if site_url is not None else config["site_url"],
        "--site-url" if site_url is not None else f"{shown}: site_url",
        str(config["site_name"]),
        str(config["site_description"] or ""),
        drafts=drafts,
        publish_sources=_plugin_option(config, "publish_sources") if publish_sources is None else publish_sources,
        share_images=_plugin_option(config, "share_images", default=True),
        removed=_plugin_list(config, "removed"),
    )
    return SiteSettings(site=site, docs_dir=docs_dir)


_UNSET = object()


def _plugin_value(config: Any, name: str) -> object:
    """An option of the briefings plugin in mkdocs.yml, as MkDocs validated it (its default where it is not
    written), or as written when another setting did not validate (a docs_dir that render has not made yet);
    `_UNSET` where the plugin is not listed or, written, does not set it."""
    from generator.edge.plugin import BriefingsPlugin

    plugins = config.get("plugins")
    if isinstance(plugins, dict):  # validated: the plugins themselves
        found = next((p for p in plugins.values() if isinstance(p, BriefingsPlugin)), None)
        return found.config.get(name) if found is not None else _UNSET
    for entry in plugins if isinstance(plugins, list) else ():
        options = entry.get("briefings") if isinstance(entry, dict) else None
        if isinstance(options, dict):
            return options.get(name, _UNSET)
    return _UNSET


def _plugin_option(config: Any, name: str, *, default: bool = False) -> bool:
    """A yes/no option of the briefings plugin in mkdocs.yml; `default` where it is not set (or the plugin is not
    listed)."""
    value = _plugin_value(config, name)
    return default if value is _UNSET else value is True


def _plugin_list(config: Any, name: str) -> tuple[str, ...]:
    """A list option of the briefings plugin in mkdocs.yml (empty where it is not set); an item that is not text
    is kept as text, for `Settings.of` to refuse by name."""
    value = _plugin_value(config, name)
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def checked_settings(
    url: str | None,
    where: str,
    name: str,
    description: str,
    *,
    drafts: bool,
    publish_sources: bool,
    share_images: bool = True,
    removed: tuple[str, ...] = (),
) -> Settings:
    """The site's settings, made once (`Settings.of`): the address an absolute http:// or https:// URL, ending
    in `/` as MkDocs makes site_url; `where` names its origin. Raises `CannotRun` naming the value."""
    if url is None:
        raise CannotRun("give --site-url, or set site_url in mkdocs.yml")
    try:
        now = build_moment()
    except ValueError as exc:
        raise CannotRun(str(exc)) from None
    try:
        return Settings.of(
            url,
            name,
            description,
            drafts=drafts,
            publish_sources=publish_sources,
            share_images=share_images,
            now=now,
            removed=removed,
        )
    except ValueError as exc:
        if str(exc).startswith("removed:"):
            raise CannotRun(f"the briefings plugin's {exc}") from None
        raise CannotRun(f"{where}: must be an absolute http:// or https:// address {got(url)}") from None


def _load_mkdocs_config(config_file: Path, shown: str) -> tuple[Any, list[tuple[str, Exception]]]:
    """mkdocs.yml loaded and validated by MkDocs itself, and its validation errors.

    This is what `mkdocs.config.load_config` does, minus logging the errors and
    exiting: they are returned, so that each is reported, and so that a docs_dir
    render has not written yet is not one.
    """
    from mkdocs.config.defaults import MkDocsConfig

    config = MkDocsConfig(config_file_path=str(config_file.absolute()))
    try:
        with config_file.absolute().open("rb") as file:
            config.load_file(file)
        errors, _warnings = config.validate()
    except Exception as exc:  # a config file runs plugins and hooks: anything can fail there
        raise CannotRun(f"cannot read {shown}: {' '.join(str(exc).split()) or type(exc).__name__}") from exc
    return config, list(errors)
