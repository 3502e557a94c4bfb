"""The whole site's Markdown: check the collection, render every page, write what changed.

The generator owns `docs/index.md` and the folder `docs/briefings/`: it writes
each file only when its content changed (so `mkdocs serve` reloads only what
changed, and timestamps mean something) and deletes files there it did not
produce (a deleted briefing, or a draft after `mkdocs serve`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.collection import BRIEFINGS_DIR, Collection, check_collection
from generator.model import Briefing
from generator.render import archive_page, briefing_page, home_page, newest_first, problems_page
from generator.schema import SLUG

#: The folder under docs/ that the generator owns.
GENERATED_DIR = "briefings"
HOME = "index.md"


@dataclass
class Generated:
    """What one run produced: the checked collection, the published briefings, the files touched."""

    collection: Collection
    published: list[Briefing]
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0


def pages(briefings: list[Briefing], site_name: str) -> dict[str, str]:
    """Every generated page, by path relative to docs/."""
    ordered = newest_first(briefings)
    result = {HOME: home_page(ordered, site_name), f"{GENERATED_DIR}/index.md": archive_page(ordered)}
    for briefing in ordered:
        result[f"{GENERATED_DIR}/{briefing.slug}.md"] = briefing_page(briefing, site_name)
    return result


def generate(
    root: Path, docs_dir: Path, *, drafts: bool = False, problems: bool = False, site_name: str = "Briefings"
) -> Generated:
    """Check every briefing under root/briefings and write the site's Markdown into docs_dir.

    A file with errors is left out; the rest of the site is written. Drafts are
    published only when `drafts` is true, and with `problems` a file in error
    gets a page listing its findings at its address (both as `mkdocs serve` does).
    """
    collection = check_collection([root / BRIEFINGS_DIR], root)
    published = [b for b in collection.briefings if drafts or not b.draft]
    result = Generated(collection, published)
    wanted = pages(published, site_name)
    if problems:
        for checked in collection.files:
            page = f"{GENERATED_DIR}/{checked.slug}.md"
            if checked.briefing is None and SLUG.match(checked.slug) and page not in wanted:
                findings = [f for f in collection.findings if f.path == checked.path]
                wanted[page] = problems_page(checked.path, findings)
    for relative, content in wanted.items():
        if write_if_changed(docs_dir / relative, content):
            result.written.append(relative)
        else:
            result.unchanged += 1
    owned = docs_dir / GENERATED_DIR
    for folder, _dirs, names in os.walk(owned):
        for name in names:
            relative = Path(folder, name).relative_to(docs_dir).as_posix()
            if relative not in wanted:
                Path(folder, name).unlink()
                result.deleted.append(relative)
    return result


def write_if_changed(path: Path, content: str) -> bool:
    """Write `content` unless the file already holds exactly that. Returns whether it wrote."""
    data = content.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True
