"""The `briefing` command. Library errors become messages and exit codes here, and only here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import yaml

from generator import __version__
from generator.collection import BRIEFINGS_DIR, check_collection

#: Exit status when a command could not run at all (no such path).
EXIT_USAGE = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefing")
def main() -> None:
    """Check news briefings written as YAML, and publish them as a static site."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The repository root: where briefings/ and seeds/ are.",
)
@click.option("--strict", is_flag=True, help="Count warnings as errors.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per finding; json: a JSON array of findings.",
)
def check(paths: tuple[Path, ...], root: Path, strict: bool, output: str) -> None:
    """Check briefing files against the format and their sources.

    PATHS are briefing files or folders (searched for *.yaml and *.yml); with
    none, every briefing under ROOT/briefings/. Each problem is printed as
    `path:line:column: error|warning: field: message`. Exit status: 0 when
    there is no error, 1 when there is one, 2 when a path does not exist.
    """
    targets = list(paths) or [root / BRIEFINGS_DIR]
    missing = [p for p in targets if not p.exists()]
    if missing:
        for path in missing:
            click.echo(f"briefing check: error: no such file or folder: {path}", err=True)
        sys.exit(EXIT_USAGE)
    collection = check_collection(targets, root)
    if output == "json":
        click.echo(json.dumps([f.to_json() for f in collection.findings], indent=2, ensure_ascii=False))
    else:
        for finding in collection.findings:
            click.echo(finding.format())
    files = len(collection.files)
    click.echo(
        f"{files} file{'s' * (files != 1)} checked: "
        f"{collection.errors} error{'s' * (collection.errors != 1)}, "
        f"{collection.warnings} warning{'s' * (collection.warnings != 1)}",
        err=True,
    )
    failed = collection.errors or (strict and collection.warnings)
    sys.exit(1 if failed else 0)


@main.command()
@click.option(
    "--export",
    is_flag=True,
    help="Print the schema of the site's /briefings.json instead (docs/schema/briefings-export.schema.json).",
)
def schema(export: bool) -> None:
    """Print the JSON Schema of a briefing file (docs/schema/briefing.schema.json)."""
    if export:
        from generator.export import export_schema

        click.echo(json.dumps(export_schema(), indent=2, ensure_ascii=False))
        return
    from generator.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=".",
    show_default=True,
    help="The repository root: where briefings/, seeds/ and docs/ are.",
)
@click.option(
    "--docs",
    "docs_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the Markdown (default: ROOT/docs).",
)
@click.option("--drafts", is_flag=True, help="Publish drafts too, as `mkdocs serve` does.")
@click.option(
    "--site-url",
    default=None,
    help="Where the site is published, for the feed and the export (default: site_url in ROOT/mkdocs.yml).",
)
def render(root: Path, docs_dir: Path | None, drafts: bool, site_url: str | None) -> None:
    """Write the site's Markdown, feed and export from the briefings, as the MkDocs plugin does.

    Writes DOCS/index.md, DOCS/feed.xml, DOCS/briefings.json and the folders
    DOCS/briefings/, DOCS/who/, DOCS/stories/ and DOCS/topics/, each file only
    when its content changed, and removes pages there that no briefing produces
    any more. Files with errors are left out and their findings printed; exit
    status 1 then.
    """
    from generator.site import generate

    if not (root / BRIEFINGS_DIR).is_dir():
        click.echo(f"briefing render: error: no such folder: {root / BRIEFINGS_DIR}", err=True)
        sys.exit(EXIT_USAGE)
    settings = _site_settings(root / "mkdocs.yml")
    site_url = site_url or settings.get("site_url")
    if not site_url:
        click.echo("briefing render: error: give --site-url, or set site_url in mkdocs.yml", err=True)
        sys.exit(EXIT_USAGE)
    result = generate(
        root,
        docs_dir or root / "docs",
        site_url=site_url,
        site_name=settings.get("site_name") or "Briefings",
        description=settings.get("site_description") or "",
        drafts=drafts,
    )
    for finding in result.collection.findings:
        click.echo(finding.format())
    click.echo(
        f"{len(result.published)} briefings published: {len(result.written)} written,"
        f" {result.unchanged} unchanged, {len(result.deleted)} removed",
        err=True,
    )
    sys.exit(1 if result.collection.errors else 0)


def _site_settings(config_file: Path) -> dict[str, str]:
    """site_url, site_name and site_description from mkdocs.yml, when it has them as plain text."""
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except (OSError, yaml.YAMLError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k.startswith("site_") and isinstance(v, str)}


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml safely: MkDocs' own tags (`!ENV`, `!!python/name:`) become plain data."""


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_ConfigLoader.add_multi_constructor("!", _tagged)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _tagged)
