"""The two sides: the briefings at the base, read from git's objects (never checked out), and in the working
tree as they are on disk; and each version read as far as it is sound.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from generator.format.model import Actor, Correction, Figure, NextStep, Quote, Retraction, Source
from generator.format.schema import (
    ACTOR,
    BRIEFING,
    CORRECTION,
    FIGURE,
    NEXT_STEP,
    QUOTE,
    RETRACTION,
    SOURCE,
    Invalid,
    Values,
    items_of,
    records_of,
    required_of,
    value_of,
)
from generator.format.yamlnodes import Mapping, Node, YAMLSyntaxError, decode, parse
from generator.newsroom.diff.git import _cat_file, _git, _git_line
from generator.rules.addresses import ascii_slug
from generator.rules.collection import BRIEFINGS_DIR, SUFFIXES, file_problem, find_files
from generator.rules.validate import read_limited

# --- the two sides --------------------------------------------------------------------------


@dataclass
class _Version:
    """One file at the base or in the working tree: its bytes, or why they could not be read."""

    path: str
    data: bytes | None
    problem: str | None = None
    read: _Read | None = None
    checked: bool = False

    @property
    def name(self) -> str:
        return posixpath.basename(self.path)

    @property
    def same_text(self) -> bytes | None:
        """The bytes with line endings made one, so that a checkout's CRLFs are no change."""
        return None if self.data is None else self.data.replace(b"\r\n", b"\n")


def _is_briefing(path: str) -> bool:
    """Whether a path under briefings/ is one the site reads: *.yaml or *.yml, in no hidden folder."""
    parts = path.split("/")
    return path.lower().endswith(SUFFIXES) and not any(part.startswith(".") for part in parts[1:-1])


def _working_tree(root: Path) -> dict[str, _Version]:
    folder = root / BRIEFINGS_DIR
    if not os.path.lexists(folder) or os.path.islink(folder):
        return {}
    versions = {}
    for path in find_files([folder]):
        relative = path.relative_to(root).as_posix()
        if not _is_briefing(relative):
            continue
        problem = file_problem(path, root)
        if problem is not None:
            versions[relative] = _Version(relative, None, problem)
            continue
        try:
            versions[relative] = _Version(relative, read_limited(path))
        except OSError as exc:
            versions[relative] = _Version(relative, None, f"cannot be read: {exc.strerror or exc}")
    return versions


def _base(root: Path, commit: str) -> dict[str, _Version]:
    """The briefings at `commit`, read from git's objects: paths relative to the root."""
    listing = _git(root, "ls-tree", "-r", "-z", commit, "--", f"{BRIEFINGS_DIR}/")
    entries: list[tuple[str, str, str]] = []  # path, mode, object id
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, object_id = meta.decode().split(" ")
        path = os.fsdecode(raw_path)
        if kind == "blob" and _is_briefing(path):
            entries.append((path, mode, object_id))
    blobs = _cat_file(root, [object_id for _, _, object_id in entries])
    versions: dict[str, _Version] = {}
    links: list[tuple[str, str]] = []  # path, where its link leads, relative to the repository's top
    prefix = _git_line(root, "rev-parse", "--show-prefix") or ""
    for (path, mode, _), (kind, data) in zip(entries, blobs, strict=True):
        if kind != "blob":  # a partial clone that cannot fetch it
            versions[path] = _Version(path, None, f"not in this clone (git cat-file: {kind})")
            continue
        if mode != "120000":
            versions[path] = _Version(path, data)
            continue
        target = os.fsdecode(data)
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
        if target.startswith("/") or joined == ".." or joined.startswith("../"):
            versions[path] = _Version(path, None, f"a symbolic link to outside the repository (got {target!r})")
        elif "\n" in joined or "\r" in joined:
            versions[path] = _Version(path, None, f"a symbolic link git cannot follow here (got {target!r})")
        else:
            links.append((path, prefix + joined))
    followed = _cat_file(root, [f"{commit}:{target}" for _, target in links], follow=True)
    for (path, _), (kind, data) in zip(links, followed, strict=True):
        if kind == "blob":
            versions[path] = _Version(path, data)
        else:
            what = {"tree": "a folder, which is not followed", "symlink": "outside the repository"}
            versions[path] = _Version(path, None, f"a symbolic link to {what.get(kind, 'nothing (dangling)')}")
    return versions


# --- reading a version as far as it is sound -------------------------------------------------


@dataclass(frozen=True)
class _Read:
    """What a version says, as far as it could be read: every sound field and item.

    `numbers` and `quotes` keep each item's index in the file, to find the checker's
    findings on it.
    """

    title: str | None = None
    date: dt.date | None = None
    updated: dt.date | None = None
    location: str | None = None
    story: str | None = None
    topics: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    draft: bool = False
    unchecked: tuple[str, ...] = ()
    summary: str | None = None
    why: str | None = None
    who: tuple[Actor, ...] = ()
    what: tuple[str, ...] = ()
    numbers: tuple[tuple[int, Figure], ...] = ()
    quotes: tuple[tuple[int, Quote], ...] = ()
    next: tuple[NextStep, ...] = ()
    sources: tuple[Source, ...] = ()
    corrections: tuple[Correction, ...] = ()
    publish_at: dt.datetime | None = None
    retracted: Retraction | None = None


class _Quiet:
    """A reading context that reports nothing: the findings come from `check_bytes`."""

    def error(self, node: Node, field: str, message: str) -> None:
        pass

    def warning(self, node: Node, field: str, message: str) -> None:
        pass

    def mark(self, field: str, node: Node) -> None:
        pass

    def seed_problem(self, path: str) -> str | None:
        return None


def _ignore(*args: object) -> None:
    pass


def _read(data: bytes) -> _Read | None:
    """The sound fields of a briefing's bytes; None when they are not a YAML mapping at all."""
    try:
        root = parse(decode(data), _ignore)
    except YAMLSyntaxError:
        return None
    if not isinstance(root, Mapping):
        return None
    values = BRIEFING.read(root, "", _Quiet())
    if isinstance(values, Invalid):
        return None

    def texts(key: str) -> tuple[str, ...]:
        return tuple(item for _, item in items_of(values, key, str))

    def actor(item: Values) -> Actor:
        name = required_of(item, "name", str)
        return ACTOR.build(item, id=value_of(item, "id", str) or ascii_slug(name) or name)

    def source(index: int, item: Values) -> Source:
        written = value_of(item, "id", str)
        return SOURCE.build(item, id=written if written is not None else f"s{index + 1}")

    draft = value_of(values, "draft", bool)
    return _Read(
        title=value_of(values, "title", str),
        date=value_of(values, "date", dt.date),
        updated=value_of(values, "updated", dt.date),
        location=value_of(values, "location", str),
        story=value_of(values, "story", str),
        topics=texts("topics"),
        authors=texts("authors"),
        draft=draft if draft is not None else False,
        unchecked=texts("unchecked"),
        summary=value_of(values, "summary", str),
        why=value_of(values, "why", str),
        who=tuple(actor(item) for _, item in records_of(values, "who")),
        what=texts("what"),
        numbers=tuple((i, FIGURE.build(item)) for i, item in records_of(values, "numbers")),
        quotes=tuple((i, QUOTE.build(item)) for i, item in records_of(values, "quotes")),
        next=tuple(NEXT_STEP.build(item) for _, item in records_of(values, "next")),
        sources=tuple(source(i, item) for i, item in records_of(values, "sources")),
        corrections=tuple(CORRECTION.build(item) for _, item in records_of(values, "corrections")),
        publish_at=value_of(values, "publish_at", dt.datetime),
        retracted=_retraction(value_of(values, "retracted", dict)),
    )


def _retraction(values: Values | None) -> Retraction | None:
    """A retraction read whole (its date and reason both sound), else None."""
    if not values or not isinstance(values.get("date"), dt.date) or not isinstance(values.get("reason"), str):
        return None
    return RETRACTION.build(values)
