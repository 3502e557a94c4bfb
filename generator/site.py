"""The whole site's Markdown: check the collection, render every page, write what changed.

The generator owns `docs/index.md` and the folders `docs/briefings/`,
`docs/who/`, `docs/stories/` and `docs/topics/`: it writes each file only when
its content changed (so `mkdocs serve` reloads only what changed, and
timestamps mean something) and deletes files there it did not produce (a
deleted briefing, or a draft after `mkdocs serve`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.collection import BRIEFINGS_DIR, Collection, check_collection
from generator.export import FEED_PATH, export_json, feed_xml
from generator.joins import join
from generator.model import Briefing
from generator.render import (
    actor_pages,
    actors_index,
    archive_pages,
    briefing_page,
    home_page,
    problems_page,
    stories_index,
    story_pages,
    topic_pages,
    topics_index,
)
from generator.schema import SLUG

#: The folders under docs/ that the generator owns, and its files outside them.
GENERATED_DIRS = ("briefings", "who", "stories", "topics")
HOME = "index.md"
FEED = FEED_PATH
EXPORT = "briefings.json"


@dataclass
class Generated:
    """What one run produced: the checked collection, the published briefings, the files touched."""

    collection: Collection
    published: list[Briefing]
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0


def pages(briefings: list[Briefing], site_name: str, site_url: str, description: str = "") -> dict[str, str]:
    """Every generated file (pages, feed, export), by path relative to docs/."""
    joins = join(briefings)
    produced = [home_page(joins, site_name), *archive_pages(joins.briefings)]
    produced += [briefing_page(briefing, joins, site_name) for briefing in joins.briefings]
    produced += actors_index(joins)
    for actor in joins.actors.values():
        produced += actor_pages(actor)
    produced += stories_index(joins)
    for story in joins.stories.values():
        produced += story_pages(story)
    produced += topics_index(joins)
    for topic in joins.topics.values():
        produced += topic_pages(topic)
    produced.append((FEED, feed_xml(joins.briefings, site_url, site_name, description).decode("utf-8")))
    produced.append((EXPORT, export_json(joins.briefings, site_url)))
    return dict(produced)


def generate(
    root: Path,
    docs_dir: Path,
    *,
    site_url: str,
    site_name: str = "Briefings",
    description: str = "",
    drafts: bool = False,
    problems: bool = False,
) -> Generated:
    """Check every briefing under root/briefings and write the site's Markdown into docs_dir.

    A file with errors is left out; the rest of the site is written. Drafts are
    published only when `drafts` is true, and with `problems` a file in error
    gets a page listing its findings at its address (both as `mkdocs serve` does).
    `site_url` is where the site is published: the feed and the export need absolute
    addresses.
    """
    collection = check_collection([root / BRIEFINGS_DIR], root)
    published = [b for b in collection.briefings if drafts or not b.draft]
    result = Generated(collection, published)
    wanted = pages(published, site_name, site_url, description)
    if problems:
        for checked in collection.files:
            if checked.briefing is None and SLUG.match(checked.slug):
                findings = [f for f in collection.findings if f.path == checked.path]
                page, content = problems_page(checked.slug, checked.path, findings)
                wanted.setdefault(page, content)
    for relative, content in wanted.items():
        if write_if_changed(docs_dir / relative, content):
            result.written.append(relative)
        else:
            result.unchanged += 1
    for owned in GENERATED_DIRS:
        for folder, _dirs, names in sorted(os.walk(docs_dir / owned)):
            for name in sorted(names):
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
