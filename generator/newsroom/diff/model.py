"""What `briefing diff` finds: the briefings, paths, source texts and actors that changed, as data.

Everything here is made by the other modules of the package and read by `markdown` and `jsondata`.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.format.findings import Finding

Status = Literal["added", "removed", "changed", "renamed"]
CheckStatus = Literal["verified", "not-found", "not-stated", "unverified", "not-checked"]


class DiffError(Exception):
    """The comparison cannot be made: not a git repository, no such base, git missing."""


# --- the outcome ------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """Whether a quote or figure verifies against its source text in the working tree."""

    status: CheckStatus
    #: The files it was found in (verified), or looked for in.
    files: tuple[str, ...] = ()
    #: The checker's finding, when it had one.
    finding: Finding | None = None


@dataclass(frozen=True)
class Change:
    """One field of a briefing added, removed or changed, or a list's items reordered.

    `old` and `new` are the values: text, a date, a flag, or the item (`Actor`, `Figure`,
    `Quote`, ...); None on the side where there is none. `parts` names the fields of a
    changed item that changed (`role`, `value`, `evidence`).
    """

    field: str
    change: Literal["added", "removed", "changed", "reordered"]
    old: Any = None
    new: Any = None
    parts: tuple[str, ...] = ()
    check: Check | None = None


@dataclass
class BriefingChanges:
    """One briefing added, removed, renamed or changed, and what changed in it."""

    status: Status
    #: Paths relative to the root: in the working tree, and at the base (None where absent).
    path: str | None
    old_path: str | None
    title: str | None
    #: Why an added and a removed file were taken for one renamed: "same content", "same title", "similar text".
    rename: str | None = None
    draft: bool = False
    #: Whether each version could be read as a briefing (None where there is no such version).
    readable: bool | None = None
    base_readable: bool | None = None
    changes: list[Change] = field(default_factory=list)
    #: The working tree version's findings not told on an item above.
    findings: list[Finding] = field(default_factory=list)
    #: The base version's findings, when it could not be read.
    base_findings: list[Finding] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.path if self.path is not None else self.old_path or ""

    @property
    def slug(self) -> str | None:
        return _slug(self.path) if self.path is not None else None

    @property
    def old_slug(self) -> str | None:
        return _slug(self.old_path) if self.old_path is not None else None


@dataclass
class Changes:
    """Every briefing that changed between a base revision and the working tree, in path order."""

    #: The revision as given, or None for the default.
    revision: str | None
    #: How the base is named in the output: `HEAD~1`, `the merge base with origin/main`.
    label: str
    commit: str
    short: str
    briefings: list[BriefingChanges] = field(default_factory=list)
    #: Every other path that changed, in path order (each group in `PATH_GROUPS`).
    paths: list[PathChange] = field(default_factory=list)
    #: The source texts among them, with what each changes.
    seeds: list[SeedChange] = field(default_factory=list)
    #: Actors whose name across the site the changed briefings change.
    actors: list[ActorRename] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.briefings or self.paths or self.actors)

    def counts(self) -> dict[str, int]:
        counted = Counter(b.status for b in self.briefings)
        return {status: counted[status] for status in ("changed", "renamed", "added", "removed")}


#: The groups of the paths outside briefings/, in the order the output shows them: code, build and CI
#: (anything else) first, as they ask for a maintainer.
PathGroup = Literal["code", "pages", "seeds"]
PATH_GROUPS: tuple[PathGroup, ...] = ("code", "pages", "seeds")
PathStatus = Literal["added", "deleted", "modified", "renamed", "copied", "type changed"]


#: What each git mode is, in words.
MODES = {"100644": "file", "100755": "executable file", "120000": "symbolic link", "160000": "repository"}


@dataclass(frozen=True)
class PathChange:
    """A path outside briefings/ added, deleted, modified, renamed, copied, or of another type now (a file
    become a symbolic link). Paths are relative to the repository's top (usually the project's root).
    `mode`, `old_mode`: git's (`100644`, `100755` executable, `120000` symbolic link, `160000` a repository);
    `target`, `old_target`: where a symbolic link leads; `size`: the bytes of a regular file now."""

    group: PathGroup
    status: PathStatus
    path: str
    old_path: str | None = None
    mode: str | None = None
    old_mode: str | None = None
    target: str | None = None
    old_target: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class SourceItem:
    """A quote or figure of a briefing in the working tree that cites a changed source text: whether it
    verified against the text at the base and verifies against the text now (None: no text there), and
    the sentence its receipt shows from each (None: none shown)."""

    briefing: str
    title: str | None
    field: str
    text: str
    was: bool | None
    now: bool | None
    old: str | None
    new: str | None


@dataclass
class SeedChange:
    """A source text under seeds/ added, deleted, modified or renamed, and what it changes.

    `path`, `old_path` are as briefings cite them (relative to the project's root). `cited_by`: the
    briefings of the working tree citing it (path, title); `cited_before`: those of the base.
    """

    change: PathChange
    path: str
    old_path: str | None
    size: int | None = None
    old_size: int | None = None
    opening: str | None = None
    #: Why the text now cannot be used as a source (not UTF-8, too large, a link), or None.
    problem: str | None = None
    cited_by: list[tuple[str, str | None]] = field(default_factory=list)
    cited_before: list[tuple[str, str | None]] = field(default_factory=list)
    items: list[SourceItem] = field(default_factory=list)


@dataclass(frozen=True)
class ActorRename:
    """An actor id whose name, as the site shows it (`joins.shown_name`), is another now; with the
    briefings of the working tree that name it (every page showing the actor shows the new name)."""

    id: str
    old: str
    new: str
    briefings: tuple[str, ...]


def readable(name: str | None) -> Any:
    """A name read from the file system or git, with each byte that is not UTF-8 (decoded as a lone
    surrogate) written as `\\xNN`: text that can be printed and put in JSON."""
    if name is None or name.isascii():
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _slug(path: str) -> str:
    return posixpath.basename(path).rsplit(".", 1)[0]
