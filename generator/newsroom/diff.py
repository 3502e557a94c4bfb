"""`briefing diff`: what changed in the briefings since a git revision, in a newsroom's words.

The briefings at a revision BASE are read with git itself (`git ls-tree`, `git cat-file
--batch`), never by checking anything out, and compared with the briefings of the working
tree as they are on disk, uncommitted changes included. The outcome is a list of briefings
added, removed, renamed and changed, and in each the fields added, removed or changed,
with whether each added or changed quote and figure still verifies against its source.

Decisions (docs/format.md words them for editors):

- **The base.** BASE when given. Otherwise the merge base of HEAD with the default
  branch: the first of `origin/HEAD`, `origin/main`, `origin/master`, `main` and `master`
  that exists, so that a pull request is compared with where it started.
- **Renames.** A briefing removed at one path and added at another is a rename when,
  in this order: the two files hold the same bytes (line endings aside); or they have the
  same title; or their file names start with the same date and at least 60% of their
  lines (blank lines and comments aside, each line trimmed) are the same. Several
  candidates: the earlier path first, and for similar text the most similar pair first.
  So that the cost stays linear, a removed file is compared with at most 20 added files of
  its date: those that share the most of its rare lines (lines in at most 8 of the files).
- **Matching items** between the two versions of a briefing: actors by id, then by name;
  figures by label, then by a similar label; quotes by speaker and text, then by text,
  then by a similar text of the same speaker; developments and next steps by text, then
  by a similar text; sources by id, then by url, then by file; corrections by date and
  text, then by text, then by a similar text on the same date; topics and authors by
  their text. Two texts are similar when at least half of their words are the same (in
  lowercase, punctuation aside, each counted as often as both texts have it, in any order:
  linear in the texts, whatever they repeat). What is left is added or removed.
- **Provenance** is the checker's: the working tree's version of each changed briefing is
  checked with `validate.check_bytes` against the working tree's `seeds/`, and its findings
  on `quotes[i].text`, `numbers[i].evidence` and `numbers[i].value` are told on the items.
- **A file that cannot be read** (not UTF-8, not YAML, not a mapping) is listed with its
  findings. A version that can be read but has errors is compared as far as it is sound,
  and its findings are listed with it.
- An added briefing is listed whole, field by field, each figure and quote with whether it
  verifies; a removed one with its headline.
- **Every other path** that changed outside briefings/ is listed (`git diff --raw` against
  the base, and the untracked files git does not ignore; an untracked file with the bytes of
  a deleted one is that file renamed), grouped: code, build and CI (anything else) for a
  maintainer; pages and theme (`docs/`, `overrides/`, `mkdocs.yml`); source texts (`seeds/`).
- **A changed source text**: the briefings citing it on each side, and for a text that
  changed, each quote and figure (of the working tree's briefings) whose receipt sentence
  (`receipts.receipt`, as the site shows it) or whose verification changes from the base's
  text to the working tree's.
- **Actors**: when what the changed briefings say of their actors changed, the name each of
  their ids shows across the site (`joins.shown_name`) at the base and now; a change is a
  rename, with the briefings naming the id.
- **Output**: every value isolated (FSI … PDI) in text and Markdown; in Markdown every ASCII
  punctuation escaped and a WORD JOINER where GitHub would make a link.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
import re
import stat
import subprocess
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, TypeVar

from generator.format.findings import Finding, printable
from generator.format.model import Actor, Correction, Figure, NextStep, Quote, Source
from generator.format.schema import BRIEFING, INVALID
from generator.format.wording import figure_value
from generator.format.yamlnodes import MAX_FILE_BYTES, Mapping, Node, YAMLSyntaxError, decode, parse
from generator.rules.addresses import ascii_slug
from generator.rules.collection import BRIEFINGS_DIR, FILE_FIELD, SUFFIXES, file_problem, find_files
from generator.rules.validate import check_bytes, read_limited
from generator.rules.verify import Seeds, SourceText, contains, normalize
from generator.site.joins import Spelling, shown_name
from generator.site.receipts import Receipt, receipt

#: Where the default base is looked for, in order: its merge base with HEAD is the base.
DEFAULT_BRANCHES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")
#: Files at least this alike (their lines, as multisets) may be one briefing renamed.
RENAME_SIMILARITY = 0.6
#: Each removed file is compared with at most this many added files of its date: those that share
#: the most of its rare lines, lines found in at most RARE_LINE of the removed and added files.
RENAME_CANDIDATES = 20
RARE_LINE = 8
#: Two texts this alike (their words, in order) are one item changed.
TEXT_SIMILARITY = 0.5

Status = Literal["added", "removed", "changed", "renamed"]
CheckStatus = Literal["verified", "not-found", "not-stated", "unverified", "not-checked"]
T = TypeVar("T")


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


# --- git ------------------------------------------------------------------------------------


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    """Run git in `root` (never through a shell) and return its standard output."""
    command = ["git", "-c", "core.quotepath=off", "--no-pager", *args]
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(command, cwd=root, input=data, capture_output=True, env=env, check=False)
    except FileNotFoundError:
        raise DiffError("git is not installed (or not on PATH): briefing diff reads the base with git") from None
    except OSError as exc:
        raise DiffError(f"git could not be run: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(f"git {args[0]} failed: {message[0] if message else f'exit status {done.returncode}'}")
    return done.stdout


def _git_line(root: Path, *args: str) -> str | None:
    """The first line of git's output, or None when git exits with an error."""
    try:
        out = _git(root, *args)
    except DiffError:
        return None
    return os.fsdecode(out).rstrip("\n")


def _commit(root: Path, revision: str) -> str | None:
    return _git_line(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")


def _shallow(root: Path) -> bool:
    return _git_line(root, "rev-parse", "--is-shallow-repository") == "true"


_FETCH_HINT = (
    "this clone is shallow (cloned with --depth): fetch the history, `git fetch --unshallow`, or enough of it,"
    " e.g. `git fetch origin main --depth=100`, then run briefing diff again"
)


def resolve_base(root: Path, base: str | None) -> tuple[str, str]:
    """The commit to compare with, and how to name it. Raises DiffError."""
    if _git_line(root, "rev-parse", "--is-inside-work-tree") != "true":
        raise DiffError(
            f"{root} is not in a git repository (or not in its work tree):"
            " briefing diff compares the briefings with a git revision"
        )
    if base is not None:
        if not base or base.startswith("-") or any(c in base for c in "\0\n\r"):
            raise DiffError(f"not a revision {base!r}: give a branch, tag or commit, e.g. origin/main or HEAD~1")
        commit = _commit(root, base)
        if commit is None:
            if _shallow(root):
                raise DiffError(f"no commit {base!r} in this clone; {_FETCH_HINT}")
            raise DiffError(f"no commit {base!r} here: check the name, or fetch it (`git fetch origin {base}`)")
        return commit, base
    for branch in DEFAULT_BRANCHES:
        if _commit(root, branch) is None:
            continue
        merge_base = _git_line(root, "merge-base", "HEAD", branch)
        if merge_base:
            return merge_base, f"the merge base with {branch}"
        if _commit(root, "HEAD") is None:
            raise DiffError("HEAD has no commit yet: commit first, or name the base")
        hint = _FETCH_HINT if _shallow(root) else "name the base instead, e.g. `briefing diff HEAD~1`"
        raise DiffError(f"HEAD and {branch} have no common commit here; {hint}")
    hint = f"; {_FETCH_HINT}" if _shallow(root) else ""
    raise DiffError(
        f"no default branch to compare with (none of {', '.join(DEFAULT_BRANCHES)} is here):"
        f" name the base, e.g. `briefing diff origin/main` after `git fetch origin main`{hint}"
    )


def changed_paths(root: Path, base: str) -> set[str]:
    """The paths (relative to `root`, as git names them) that differ between the merge base of `base` and
    HEAD and the working tree, untracked files included: what a pull request changes. Raises DiffError."""
    commit, _ = resolve_base(root, base)
    since = _git_line(root, "merge-base", commit, "HEAD") or commit
    listed = _git(root, "diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--no-textconv", since, "--")
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard")
    return {os.fsdecode(path) for path in (listed + untracked).split(b"\0") if path}


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


_HEADER = re.compile(rb"[0-9a-f]{40,64} (\w+) (\d+)\Z")
_SYMLINK_HEADER = re.compile(rb"(dangling|loop|notdir|symlink) (\d+)\Z")


def _cat_file(root: Path, requests: list[str], follow: bool = False) -> list[tuple[str, bytes]]:
    """`git cat-file --batch`: for each request (an object id, or `commit:path`), its type and bytes.

    The type is `blob`, `tree`, ..., or `missing`; with `follow`, also git's `dangling`,
    `loop`, `notdir` and `symlink` (a link leading out of the repository).
    """
    if not requests:
        return []
    args = ["cat-file", "--batch", *(["--follow-symlinks"] if follow else [])]
    out = _git(root, *args, data=b"".join(os.fsencode(r) + b"\n" for r in requests))
    results = []
    at = 0
    for _ in requests:
        end = out.index(b"\n", at)
        header = out[at:end]
        at = end + 1
        match = _HEADER.match(header) or _SYMLINK_HEADER.match(header)
        if match is None:  # `<request> missing` or `<request> ambiguous`
            results.append(("missing", b""))
            continue
        size = int(match.group(2))
        results.append((match.group(1).decode(), out[at : at + size]))
        at += size + 1
    return results


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


# --- every other path: source texts, pages and theme, code ----------------------------------

#: The groups of the paths outside briefings/, in the order the output shows them: code, build and CI
#: (anything else) first, as they ask for a maintainer.
PathGroup = Literal["code", "pages", "seeds"]
PATH_GROUPS: tuple[PathGroup, ...] = ("code", "pages", "seeds")
PathStatus = Literal["added", "deleted", "modified", "renamed", "copied", "type changed"]
_GIT_STATUS: dict[str, PathStatus] = {
    "A": "added",
    "D": "deleted",
    "M": "modified",
    "R": "renamed",
    "C": "copied",
    "T": "type changed",
}
#: What each git mode is, in words.
MODES = {"100644": "file", "100755": "executable file", "120000": "symbolic link", "160000": "repository"}
#: The project's pages and theme: these folders, and MkDocs' configuration.
_PAGE_FOLDERS = ("docs/", "overrides/")
_PAGE_FILES = ("mkdocs.yml", "mkdocs.yaml")


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


def _group(path: str, prefix: str) -> PathGroup | None:
    """The group of a path relative to the repository's top; None for a briefing (shown field by field).
    Any other file under briefings/ is code's: nothing of the site reads it, so it is there for something else."""
    if not path.startswith(prefix):
        return "code"
    inside = path[len(prefix) :]
    if inside.startswith(f"{BRIEFINGS_DIR}/"):
        return None if _is_briefing(inside) else "code"
    if inside.startswith("seeds/"):
        return "seeds"
    if inside.startswith(_PAGE_FOLDERS) or inside in _PAGE_FILES:
        return "pages"
    return "code"


def _lstat_mode(path: Path) -> tuple[str | None, str | None, int | None]:
    """A working tree path's git mode, link target and size, from `lstat`: a link is never followed."""
    try:
        info = os.lstat(path)
    except OSError:
        return None, None, None
    if stat.S_ISLNK(info.st_mode):
        try:
            return "120000", os.readlink(path), None
        except OSError:
            return "120000", None, None
    if stat.S_ISDIR(info.st_mode):
        return "160000", None, None  # a folder git lists as one path holds a repository of its own
    if stat.S_ISREG(info.st_mode):
        return ("100755" if info.st_mode & 0o111 else "100644"), None, info.st_size
    return None, None, None


def _other_paths(root: Path, commit: str) -> tuple[list[PathChange], dict[str, str]]:
    """Every path outside briefings/ that differs between `commit` and the working tree, untracked
    files included (ignored ones are not in a pull request); and each old path's blob id at the base."""
    top = Path(_git_line(root, "rev-parse", "--show-toplevel") or root)
    prefix = _git_line(root, "rev-parse", "--show-prefix") or ""
    raw = _git(
        root,
        "diff",
        "--raw",
        "-z",
        "-M",
        "--no-abbrev",
        "--no-ext-diff",
        "--ignore-submodules=none",
        commit,
        "--",
        ":/",
    )
    parts = raw.split(b"\0")
    found: list[PathChange] = []
    blobs: dict[str, str] = {}
    at = 0
    while at < len(parts) and parts[at].startswith(b":"):
        old_mode, _, old_id, _, status = parts[at][1:].decode("ascii", "replace").split(" ")[:5]
        kind = _GIT_STATUS.get(status[:1], "modified")
        if kind in ("renamed", "copied"):
            old_path, path = os.fsdecode(parts[at + 1]), os.fsdecode(parts[at + 2])
            at += 3
        else:
            old_path = path = os.fsdecode(parts[at + 1])
            at += 2
        group = _group(path, prefix) or _group(old_path, prefix)
        if group is None:
            continue
        if old_mode != "000000":
            blobs[old_path] = old_id
        mode, target, size = _lstat_mode(top / path) if kind != "deleted" else (None, None, None)
        found.append(
            PathChange(
                group,
                kind,
                path,
                old_path if old_path != path else None,
                mode,
                old_mode if old_mode != "000000" else None,
                target,
                None,
                size,
            )
        )
    listed = _git(root, "ls-files", "-z", "--others", "--exclude-standard", "--full-name", "--", ":/")
    untracked = [os.fsdecode(p) for p in listed.split(b"\0") if p and _group(os.fsdecode(p), prefix) is not None]
    # An untracked file with the bytes of a deleted one is that file renamed.
    regular = [p for p in untracked if _lstat_mode(top / p)[0] in ("100644", "100755") and "\n" not in p]
    ids: dict[str, str] = {}
    if regular:
        hashed = _git(top, "hash-object", "--stdin-paths", data=b"".join(os.fsencode(p) + b"\n" for p in regular))
        ids = dict(zip(regular, hashed.decode("ascii", "replace").split(), strict=False))
    gone: dict[str, deque[int]] = defaultdict(deque)
    for i, change in enumerate(found):
        if change.status == "deleted":
            gone[blobs.get(change.path, "")].append(i)
    for path in untracked:
        mode, target, size = _lstat_mode(top / path)
        group = _group(path, prefix) or "code"
        twins = gone.get(ids.get(path, "-"))
        if twins:
            old = found[twins.popleft()]
            found[found.index(old)] = PathChange(
                group, "renamed", path, old.path, mode, old.old_mode, target, None, size
            )
        else:
            found.append(PathChange(group, "added", path, None, mode, None, target, None, size))
    # Where each symbolic link of the base led: its blob's bytes.
    links = [c for c in found if c.old_mode == "120000"]
    requests = sorted({blobs[c.old_path or c.path] for c in links if (c.old_path or c.path) in blobs})
    targets = dict(zip(requests, _cat_file(root, requests), strict=True))
    for i, change in enumerate(found):
        if change.old_mode == "120000":
            kind_, data = targets.get(blobs.get(change.old_path or change.path, ""), ("missing", b""))
            if kind_ == "blob":
                found[i] = replace(change, old_target=os.fsdecode(data))
    found.sort(key=lambda c: (c.path, c.old_path or ""))
    shown = [
        replace(c, **{k: readable(getattr(c, k)) for k in ("path", "old_path", "target", "old_target")}) for c in found
    ]
    return shown, {readable(path): blob for path, blob in blobs.items()}


def readable(name: str | None) -> Any:
    """A name read from the file system or git, with each byte that is not UTF-8 (decoded as a lone
    surrogate) written as `\\xNN`: text that can be printed and put in JSON."""
    if name is None or name.isascii():
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


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
    summary: str | None = None
    who: tuple[Actor, ...] = ()
    what: tuple[str, ...] = ()
    numbers: tuple[tuple[int, Figure], ...] = ()
    quotes: tuple[tuple[int, Quote], ...] = ()
    next: tuple[NextStep, ...] = ()
    sources: tuple[Source, ...] = ()
    corrections: tuple[Correction, ...] = ()


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
    if not isinstance(values, dict):
        return None

    def sound(key: str) -> list[tuple[int, Any]]:
        return [(i, item) for i, item in enumerate(values.get(key, ())) if item is not INVALID]

    def texts(key: str) -> tuple[str, ...]:
        return tuple(item for _, item in sound(key))

    actors = tuple(
        Actor(
            name=item["name"],
            id=item.get("id") or ascii_slug(item["name"]) or item["name"],
            kind=item.get("kind", "person"),
            role=item.get("role"),
        )
        for _, item in sound("who")
    )
    sources = tuple(
        Source(id=item.get("id", f"s{i + 1}"), **{k: v for k, v in item.items() if k != "id"})
        for i, item in sound("sources")
    )
    return _Read(
        title=values.get("title"),
        date=values.get("date"),
        updated=values.get("updated"),
        location=values.get("location"),
        story=values.get("story"),
        topics=texts("topics"),
        authors=texts("authors"),
        draft=values.get("draft", False),
        summary=values.get("summary"),
        who=actors,
        what=texts("what"),
        numbers=tuple((i, Figure(**item)) for i, item in sound("numbers")),
        quotes=tuple((i, Quote(**item)) for i, item in sound("quotes")),
        next=tuple(NextStep(**item) for _, item in sound("next")),
        sources=sources,
        corrections=tuple(Correction(**item) for _, item in sound("corrections")),
    )


def _slug(path: str) -> str:
    return posixpath.basename(path).rsplit(".", 1)[0]


# --- renames --------------------------------------------------------------------------------


def _lines(version: _Version) -> Counter[str]:
    text = (version.data or b"").decode("utf-8", "replace")
    return Counter(line for line in map(str.strip, text.splitlines()) if line and not line.startswith("#"))


def _alike(a: Counter[str], b: Counter[str]) -> float:
    total = a.total() + b.total()
    return 2 * (a & b).total() / total if total else 0.0


def _renames(removed: list[_Version], added: list[_Version]) -> list[tuple[_Version, _Version, str]]:
    """Pairs of a removed and an added file taken for one briefing renamed, and why (see the module doc)."""
    pairs: list[tuple[_Version, _Version, str]] = []
    taken: set[str] = set()

    def match(key: Callable[[_Version], Hashable | None], why: str) -> None:
        index: dict[Hashable, deque[_Version]] = defaultdict(deque)
        for new in added:
            k = key(new)
            if new.path not in taken and k is not None:
                index[k].append(new)
        for old in removed:
            k = key(old)
            if old.path in taken or k is None or not index.get(k):
                continue
            new = index[k].popleft()
            pairs.append((old, new, why))
            taken.update((old.path, new.path))

    match(lambda v: v.same_text, "same content")
    match(lambda v: v.read.title if v.read is not None else None, "same title")
    # Similar text: each removed file is compared with the added files of its date that share
    # the most of its rare lines (lines in at most RARE_LINE of the files left), at most
    # RENAME_CANDIDATES of them, so the cost stays linear however many files share a date.
    olds = [v for v in removed if v.path not in taken and v.data is not None]
    news = [v for v in added if v.path not in taken and v.data is not None]
    lines = {v.path: _lines(v) for v in (*olds, *news)}
    spread = Counter(line for v in (*olds, *news) for line in lines[v.path])
    postings: dict[tuple[str, str], list[_Version]] = defaultdict(list)
    for new in news:
        for line in lines[new.path]:
            if spread[line] <= RARE_LINE:
                postings[new.name[:10], line].append(new)
    scored: list[tuple[float, str, str, _Version, _Version]] = []
    for old in olds:
        shared: Counter[str] = Counter()
        candidates: dict[str, _Version] = {}
        for line in lines[old.path]:
            for new in postings.get((old.name[:10], line), ()) if spread[line] <= RARE_LINE else ():
                shared[new.path] += 1
                candidates[new.path] = new
        for path, _ in shared.most_common(RENAME_CANDIDATES):
            score = _alike(lines[old.path], lines[path])
            if score >= RENAME_SIMILARITY:
                scored.append((-score, old.path, path, old, candidates[path]))
    for _, _, _, old, new in sorted(scored, key=lambda s: s[:3]):
        if old.path not in taken and new.path not in taken:
            pairs.append((old, new, "similar text"))
            taken.update((old.path, new.path))
    return pairs


# --- matching items -------------------------------------------------------------------------


_WORD = re.compile(r"\w+")


def _similarity(a: str, b: str) -> float:
    """How alike two texts are: the share of their words (runs of letters and digits, in lowercase) that
    they have in common, each word counted as often as both have it (2 × common ÷ all): 1 is the same
    words. In time linear in the texts, whatever they repeat (difflib's `SequenceMatcher.ratio`, used
    before, took 10 ms for two texts of one phrase repeated, so 67 s for one briefing at the limits)."""
    words_a, words_b = Counter(_WORD.findall(a.lower())), Counter(_WORD.findall(b.lower()))
    total = words_a.total() + words_b.total()
    return 2 * (words_a & words_b).total() / total if total else 0.0


def _pair(
    old: Sequence[T],
    new: Sequence[T],
    keys: Iterable[Callable[[T], Hashable]],
    similar: Callable[[T, T], float] | None = None,
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Match two lists' items: by each key in turn (in list order; a key of None matches nothing),
    then by similarity (best first).

    Returns the matched (old index, new index) pairs in the new list's order, and the
    indexes of the old items left (removed) and of the new ones left (added). The lists
    are bounded by the format's limits, so comparing every pair costs a bounded time.
    """
    pairs: list[tuple[int, int]] = []
    old_left = list(range(len(old)))
    new_left = list(range(len(new)))
    for key in keys:
        index: dict[Hashable, deque[int]] = defaultdict(deque)
        for j in new_left:
            if (k := key(new[j])) is not None:
                index[k].append(j)
        still: list[int] = []
        for i in old_left:
            k = key(old[i])
            candidates = index.get(k) if k is not None else None
            if candidates:
                pairs.append((i, candidates.popleft()))
            else:
                still.append(i)
        matched = {j for _, j in pairs}
        old_left, new_left = still, [j for j in new_left if j not in matched]
    if similar is not None and old_left and new_left:
        scored = [(-s, i, j) for i in old_left for j in new_left if (s := similar(old[i], new[j])) >= TEXT_SIMILARITY]
        for _, i, j in sorted(scored):
            if i in old_left and j in new_left:
                pairs.append((i, j))
                old_left.remove(i)
                new_left.remove(j)
    return sorted(pairs, key=lambda p: p[1]), old_left, new_left


def _parts(old: Any, new: Any) -> tuple[str, ...]:
    return tuple(f.name for f in fields(old) if getattr(old, f.name) != getattr(new, f.name))


def _reordered(pairs: list[tuple[int, int]]) -> bool:
    olds = [i for i, _ in pairs]
    return olds != sorted(olds)


def _list_changes(
    name: str,
    old: Sequence[Any],
    new: Sequence[Any],
    keys: Iterable[Callable[[Any], Hashable]],
    similar: Callable[[Any, Any], float] | None = None,
) -> list[tuple[Change, int | None]]:
    """The changes of one list field, each with the new item's position (to check it)."""
    pairs, removed, added = _pair(old, new, keys, similar)
    changes: list[tuple[Change, int | None]] = []
    for i, j in pairs:
        if old[i] != new[j]:
            parts = _parts(old[i], new[j]) if is_dataclass(old[i]) else ()
            changes.append((Change(name, "changed", old[i], new[j], parts), j))
    changes += [(Change(name, "added", None, new[j]), j) for j in added]
    changes += [(Change(name, "removed", old[i], None), None) for i in removed]
    if _reordered(pairs):
        changes.append((Change(name, "reordered"), None))
    return changes


def _same(value: T) -> T:
    return value


def _compare(old: _Read, new: _Read) -> list[tuple[Change, int | None]]:
    """Every field added, removed or changed from `old` to `new`, in the order of the format's keys."""
    changes: list[tuple[Change, int | None]] = []

    def scalar(name: str) -> None:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            change: Literal["added", "removed", "changed"] = (
                "added" if a is None else "removed" if b is None else "changed"
            )
            changes.append((Change(name, change, a, b), None))

    for name in ("title", "date", "updated", "location", "story"):
        scalar(name)
    changes += _list_changes("topics", old.topics, new.topics, [_same])
    changes += _list_changes("authors", old.authors, new.authors, [_same])
    if old.draft != new.draft:
        changes.append((Change("draft", "changed", old.draft, new.draft), None))
    scalar("summary")
    changes += _list_changes("who", old.who, new.who, [lambda a: a.id, lambda a: a.name])
    changes += _list_changes("what", old.what, new.what, [_same], _similarity)
    old_figures = [f for _, f in old.numbers]
    new_figures = [f for _, f in new.numbers]
    changes += _list_changes(
        "numbers", old_figures, new_figures, [lambda f: f.label], lambda a, b: _similarity(a.label, b.label)
    )
    changes += _list_changes(
        "quotes",
        [q for _, q in old.quotes],
        [q for _, q in new.quotes],
        [lambda q: (q.speaker, q.text), lambda q: q.text],
        lambda a, b: _similarity(a.text, b.text) if a.speaker == b.speaker else 0.0,
    )
    changes += _list_changes("next", old.next, new.next, [lambda n: n.text], lambda a, b: _similarity(a.text, b.text))
    changes += _list_changes("sources", old.sources, new.sources, [lambda s: s.id, lambda s: s.url, lambda s: s.file])
    changes += _list_changes(
        "corrections",
        old.corrections,
        new.corrections,
        [lambda c: (c.date, c.text), lambda c: c.text],
        lambda a, b: _similarity(a.text, b.text) if a.date == b.date else 0.0,
    )
    return changes


def _added(new: _Read) -> list[tuple[Change, int | None]]:
    """An added briefing whole, field by field in the order of the format's keys: everything a reader
    will see, each figure and quote with whether it verifies."""
    changes: list[tuple[Change, int | None]] = []
    for name in ("title", "date", "updated", "location", "story"):
        if getattr(new, name) is not None:
            changes.append((Change(name, "added", None, getattr(new, name)), None))
    changes += [(Change("topics", "added", None, topic), None) for topic in new.topics]
    changes += [(Change("authors", "added", None, author), None) for author in new.authors]
    if new.summary is not None:
        changes.append((Change("summary", "added", None, new.summary), None))
    changes += [(Change("who", "added", None, actor), None) for actor in new.who]
    changes += [(Change("what", "added", None, text), None) for text in new.what]
    changes += [(Change("numbers", "added", None, figure), j) for j, (_, figure) in enumerate(new.numbers)]
    changes += [(Change("quotes", "added", None, quote), j) for j, (_, quote) in enumerate(new.quotes)]
    changes += [(Change("next", "added", None, step), None) for step in new.next]
    changes += [(Change("sources", "added", None, source), None) for source in new.sources]
    changes += [(Change("corrections", "added", None, correction), None) for correction in new.corrections]
    return changes


# --- provenance -----------------------------------------------------------------------------

_PROVENANCE = re.compile(r"(quotes|numbers)\[(\d+)\]\.(text|evidence|value)\Z")


def _provenance(findings: list[Finding]) -> dict[tuple[str, int], Finding]:
    """The checker's findings on whether a quote or figure stands in its source, by (list, index)."""
    found: dict[tuple[str, int], Finding] = {}
    for finding in findings:
        match = _PROVENANCE.match(finding.field)
        if match is None:
            continue
        if finding.severity == "warning" and not (
            finding.message.startswith("unverified") or "appears nowhere" in finding.message
        ):
            continue  # a placeholder, say: not about the source
        found.setdefault((match.group(1), int(match.group(2))), finding)
    return found


def _files(read: _Read, source_id: str | None) -> list[str] | None:
    """The source files an item is checked against; None when it names no source there is."""
    if source_id is None:
        return [s.file for s in read.sources if s.file]
    for source in read.sources:
        if source.id == source_id:
            return [source.file] if source.file else []
    return None


def _holds(seeds: Seeds, file: str, item: Figure | Quote) -> bool:
    if seeds.problem(file) is not None:
        return False
    if isinstance(item, Quote):
        return contains(seeds.text(file), normalize(item.text))
    if item.evidence is not None:
        return contains(seeds.text(file), normalize(item.evidence))
    return item.value in seeds.numbers(file)


def _check(item: Figure | Quote, finding: Finding | None, read: _Read, seeds: Seeds) -> Check:
    files = _files(read, item.source)
    if finding is not None:
        if finding.severity == "warning" and finding.message.startswith("unverified"):
            return Check("unverified", (), finding)
        status: CheckStatus = "not-stated" if "does not state" in finding.message else "not-found"
        return Check(status, tuple(files or ()), finding)
    if files == []:
        return Check("unverified")
    found = tuple(f for f in files or () if _holds(seeds, f, item))
    # No finding and not found: the checker did not check it, as its source is in error.
    return Check("verified", found) if found else Check("not-checked", tuple(files or ()))


def _with_checks(
    changes: list[tuple[Change, int | None]], version: _Version, findings: list[Finding], seeds: Seeds
) -> tuple[list[Change], list[Finding]]:
    """Each added or changed quote and figure with its check; and the findings not told on one."""
    read = version.read
    assert read is not None
    by_item = _provenance(findings)
    told: set[Finding] = set()
    done: list[Change] = []
    for change, j in changes:
        if change.field in ("numbers", "quotes") and j is not None:
            index, item = (read.numbers if change.field == "numbers" else read.quotes)[j]
            finding = by_item.get((change.field, index))
            if finding is not None:
                told.add(finding)
            change = Change(
                change.field, change.change, change.old, change.new, change.parts, _check(item, finding, read, seeds)
            )
        done.append(change)
    return done, [f for f in findings if f not in told]


# --- the comparison -------------------------------------------------------------------------


def briefing_diff(root: Path, base: str | None) -> Changes:
    """Compare the briefings at revision `base` (default: see `resolve_base`) with the working tree."""
    root = Path(os.path.abspath(root))
    commit, label = resolve_base(root, base)
    short = _git_line(root, "rev-parse", "--short", commit) or commit[:7]
    old = _base(root, commit)
    new = _working_tree(root)
    seeds = Seeds(root)
    changes = Changes(base, label, commit, short)

    memo: dict[bytes, _Read | None] = {}

    def prepare(version: _Version) -> _Version:
        """A version read once (the same bytes on both sides are read once too)."""
        if version.data is not None and version.read is None and not version.checked:
            if version.data not in memo:
                memo[version.data] = _read(version.data)
            version.read = memo[version.data]
            version.checked = True
        return version

    def reading(version: _Version) -> _Read | None:
        return prepare(version).read

    pairs: list[tuple[_Version | None, _Version | None, str | None]] = []
    for path in sorted(old.keys() & new.keys()):
        if old[path].same_text != new[path].same_text or old[path].problem != new[path].problem:
            pairs.append((old[path], new[path], None))
    removed = [prepare(old[p]) for p in sorted(old.keys() - new.keys())]
    added = [prepare(new[p]) for p in sorted(new.keys() - old.keys())]
    renamed = _renames(removed, added)
    taken = {v.path for pair in renamed for v in pair[:2]}
    pairs += [(a, b, why) for a, b, why in renamed]
    pairs += [(v, None, None) for v in removed if v.path not in taken]
    pairs += [(None, v, None) for v in added if v.path not in taken]
    for a, b, why in pairs:
        changes.briefings.append(_briefing(a and prepare(a), b and prepare(b), why, short, seeds))
    changes.briefings.sort(key=lambda b: (b.key, b.old_path or ""))
    changes.paths, blobs = _other_paths(root, commit)
    changes.seeds = _seed_changes(root, changes.paths, blobs, old, new, reading, seeds)
    changes.actors = _actor_renames(pairs, old, new, reading)
    return changes


def _findings(version: _Version, shown: str, seeds: Seeds) -> list[Finding]:
    if version.data is None:
        return [Finding(shown, 1, 1, "error", FILE_FIELD, version.problem or "cannot be read")]
    return check_bytes(version.data, version.name, shown, seeds).findings


def _briefing(
    old: _Version | None, new: _Version | None, rename: str | None, short: str, seeds: Seeds
) -> BriefingChanges:
    status: Status = "renamed" if rename else "changed" if old and new else "added" if new else "removed"
    titled = new.read if new is not None and new.read is not None else old.read if old is not None else None
    entry = BriefingChanges(
        status,
        new.path if new else None,
        old.path if old else None,
        titled.title if titled is not None else None,
        rename,
        draft=bool(titled and titled.draft),
        readable=None if new is None else new.read is not None,
        base_readable=None if old is None else old.read is not None,
    )
    if old is not None and old.read is None and new is not None:
        entry.base_findings = _findings(old, f"{short}:{old.path}", seeds)
    if new is None:
        return entry
    findings = _findings(new, new.path, seeds)
    if new.read is None:
        entry.findings = findings
        return entry
    raw = _compare(old.read, new.read) if old is not None and old.read is not None else _added(new.read)
    entry.changes, entry.findings = _with_checks(raw, new, findings, seeds)
    return entry


# --- source texts ---------------------------------------------------------------------------

#: The opening line of a new source text is shown up to this many characters.
OPENING = 200


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


def _cites(read: _Read, file: str) -> bool:
    return any(source.file and posixpath.normpath(source.file) == file for source in read.sources)


def _text_at_base(root: Path, blob: str | None, mode: str | None) -> tuple[SourceText | None, int | None]:
    if blob is None or mode not in ("100644", "100755"):
        return None, None
    [(kind, data)] = _cat_file(root, [blob])
    if kind != "blob":
        return None, None
    try:
        return (SourceText(data.decode("utf-8-sig")) if len(data) <= MAX_FILE_BYTES else None), len(data)
    except UnicodeDecodeError:
        return None, len(data)


def _sentence(found: Receipt | None) -> str | None:
    if found is None:
        return None
    return " ".join((found.before + "".join(m + p for m, p in found.pieces) + found.after).split())


def _holds_in(text: SourceText | None, item: Figure | Quote) -> bool | None:
    if text is None:
        return None
    if isinstance(item, Quote):
        return text.contains(item.text)
    if item.evidence is not None:
        return text.contains(item.evidence)
    return item.value in text.numbers()


def _source_items(
    path: str, title: str | None, read: _Read, file: str, old: SourceText | None, new: SourceText | None, seeds: Seeds
) -> list[SourceItem]:
    """The quotes and figures of one briefing checked against `file`, whose text went from `old` to `new`."""

    def texts(at: SourceText | None) -> Callable[[str], SourceText | None]:
        def text(name: str) -> SourceText | None:
            if posixpath.normpath(name) == file:
                return at
            return seeds.text(name) if seeds.problem(name) is None else None

        return text

    items: list[SourceItem] = []
    listed: list[tuple[str, int, Figure | Quote, str]] = [("quotes", i, q, q.text) for i, q in read.quotes]
    listed += [("numbers", i, f, f.evidence if f.evidence is not None else _shown(f.value)) for i, f in read.numbers]
    for name, index, item, shown in listed:
        if file not in (posixpath.normpath(f) for f in _files(read, item.source) or ()):
            continue
        was, now = _holds_in(old, item), _holds_in(new, item)
        needle = item.text if isinstance(item, Quote) else item.evidence
        before = after = None
        if needle is not None:
            before = _sentence(receipt(needle, item.source, read.sources, texts(old)))
            after = _sentence(receipt(needle, item.source, read.sources, texts(new)))
        if was != now or before != after:
            items.append(SourceItem(path, title, f"{name}[{index}]", shown, was, now, before, after))
    return items


def _seed_changes(
    root: Path,
    paths: list[PathChange],
    blobs: dict[str, str],
    old: dict[str, _Version],
    new: dict[str, _Version],
    reading: Callable[[_Version], _Read | None],
    seeds: Seeds,
) -> list[SeedChange]:
    """Each changed source text with who cites it, and, for one whose text changed, each quote and
    figure whose receipt or verification it changes."""
    prefix = _git_line(root, "rev-parse", "--show-prefix") or ""
    changed = [c for c in paths if c.group == "seeds"]
    if not changed:
        return []
    before = [(v.path, r) for v in old.values() if (r := reading(v)) is not None]
    now = [(v.path, r) for v in new.values() if (r := reading(v)) is not None]
    found: list[SeedChange] = []
    for change in changed:
        path = change.path[len(prefix) :]
        old_path = (change.old_path or change.path)[len(prefix) :] if change.status != "added" else None
        entry = SeedChange(change, path, old_path if old_path != path else None, size=change.size)
        entry.cited_by = [(p, r.title) for p, r in now if _cites(r, path)]
        if change.status != "deleted":
            entry.problem = seeds.problem(path)
        if old_path is not None:
            entry.cited_before = [(p, r.title) for p, r in before if _cites(r, old_path)]
        old_text, entry.old_size = _text_at_base(
            root, blobs.get(change.old_path or change.path), change.old_mode if change.status != "added" else None
        )
        new_text = seeds.text(path) if change.status != "deleted" and entry.problem is None else None
        if change.status == "added" and new_text is not None:
            entry.opening = next((line.strip() for line in new_text.original.splitlines() if line.strip()), "")[
                :OPENING
            ]
        if change.status in ("modified", "type changed", "renamed", "copied"):
            for p, r in now:
                if _cites(r, path):
                    entry.items += _source_items(p, r.title, r, path, old_text, new_text, seeds)
        found.append(entry)
    return found


# --- actors: the name each id shows across the site -------------------------------------------


@dataclass(frozen=True)
class ActorRename:
    """An actor id whose name, as the site shows it (`joins.shown_name`), is another now; with the
    briefings of the working tree that name it (every page showing the actor shows the new name)."""

    id: str
    old: str
    new: str
    briefings: tuple[str, ...]


def _published(read: _Read | None) -> bool:
    return read is not None and read.title is not None and read.date is not None and not read.draft


def _uses(path: str, read: _Read | None) -> list[tuple[str, str, dt.date, str]]:
    """What a briefing adds to the names shown for its actors: (id, name, date, slug) per actor."""
    if read is None or not _published(read) or read.date is None:
        return []
    return sorted({(a.id, a.name, read.date, _slug(path)) for a in read.who})


def _census(
    versions: Iterable[tuple[str, _Read | None]], ids: set[str]
) -> tuple[dict[str, dict[str, Spelling]], dict[str, list[str]]]:
    """For each of `ids`, its spellings across these briefings (`joins.Spelling`), and the briefings naming it."""
    spellings: dict[str, dict[str, Spelling]] = defaultdict(dict)
    named: dict[str, list[str]] = defaultdict(list)
    for path, read in versions:
        for actor_id, name, day, slug in _uses(path, read):
            if actor_id in ids:
                count, earliest = spellings[actor_id].get(name, (0, (day, slug)))
                spellings[actor_id][name] = (count + 1, min(earliest, (day, slug)))
                if not named[actor_id] or named[actor_id][-1] != path:
                    named[actor_id].append(path)
    return spellings, named


def _actor_renames(
    pairs: list[tuple[_Version | None, _Version | None, str | None]],
    old: dict[str, _Version],
    new: dict[str, _Version],
    reading: Callable[[_Version], _Read | None],
) -> list[ActorRename]:
    """The ids whose shown name the changed briefings change. Only when what the changed briefings say
    of their actors changed (names, ids, dates, file names, drafts) is every briefing read for it."""
    was = Counter(u for a, _, _ in pairs if a is not None for u in _uses(a.path, reading(a)))
    now = Counter(u for _, b, _ in pairs if b is not None for u in _uses(b.path, reading(b)))
    if was == now:
        return []
    ids = {u[0] for u in (was - now) + (now - was)}
    before, _ = _census(((v.path, reading(v)) for v in old.values()), ids)
    after, named = _census(((p, reading(new[p])) for p in sorted(new)), ids)
    renames = []
    for actor_id in sorted(ids & before.keys() & after.keys()):
        a, b = shown_name(before[actor_id]), shown_name(after[actor_id])
        if a != b:
            renames.append(ActorRename(actor_id, a, b, tuple(named[actor_id])))
    return renames


# --- output ---------------------------------------------------------------------------------

_NOUNS = {
    "title": "headline",
    "date": "date",
    "updated": "updated",
    "location": "dateline",
    "story": "story",
    "topics": "topic",
    "authors": "author",
    "summary": "summary",
    "who": "actor",
    "what": "development",
    "numbers": "figure",
    "quotes": "quote",
    "next": "next step",
    "sources": "source",
    "corrections": "correction",
}
_PLURALS = {"who": "actors", "what": "developments", "next": "next steps", "numbers": "figures"}
#: Texts longer than this (both sides together) are shown on lines of their own: was, now.
_SHORT = 90


#: FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: each value is set apart from the words around it, so that
#: right-to-left text in it never reorders them (`"OLD" → "NEW"` stays in that order). GitHub's sanitizer
#: removes `<bdi>`; these are characters, which it keeps.
FSI, PDI = "\u2068", "\u2069"
#: WORD JOINER: invisible, it breaks what GitHub would make a link of in a value (`www.`, `http://`,
#: `a@b.org`, `@name`, `#123`) and changes nothing a reader sees.
WJ = "\u2060"
_LINKY = re.compile(r"(?i)(www)(?=\.)|(@|#|:(?=/))")


class _Style:
    """How a text is written for one output: `text` for a terminal, `markdown` for GitHub.

    Every value is isolated (FSI … PDI); in Markdown, every ASCII punctuation is escaped and a
    WORD JOINER breaks what GitHub would link (see `WJ`).
    """

    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown

    def _out(self, text: str) -> str:
        text = readable(text)
        if self.markdown:
            text = _LINKY.sub(lambda m: m.group() + WJ, _MARKDOWN.sub(r"\\\g<0>", text))
        return f"{FSI}{text}{PDI}"

    def t(self, value: object) -> str:
        """User text, on one line, unprintable characters escaped; for Markdown, every ASCII punctuation too."""
        return self._out(printable(" ".join(_shown(value).split())))

    def path(self, value: object) -> str:
        """A path or a finding's line: as it is, unprintable characters (a line break too) escaped."""
        return self._out(printable(_shown(value)))

    def q(self, value: object) -> str:
        return f'"{self.t(value)}"' if isinstance(value, str) else self.t(value)

    def strong(self, text: str) -> str:
        return f"**{text}**" if self.markdown else text


#: The characters that are Markdown (GitHub's) anywhere in a line: emphasis, code, links and
#: images, HTML and entities, headings' closing `#`, tables, strikethrough, math, emoji
#: shortcodes and mentions. Each is written with a backslash, which CommonMark allows before
#: any ASCII punctuation. Text never starts a line (it is on one line, after a prefix of
#: ours), so `-`, `+`, `.` and `=`, which are Markdown only there, are left as they are.
_MARKDOWN = re.compile(r"[\\`*_\[\]<>&#!|~$:@]")


def _shown(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _figure(figure: Figure) -> str:
    """A figure's value as the site shows it, with its unit: `about 100 planes`, `90%`."""
    unit = f" {figure.unit}" if figure.unit and figure.unit != "%" else ""
    return figure_value(figure) + unit


def _with_label(values: str, figure: Figure, s: _Style) -> str:
    """`270 → 280 sites targeted`; with a unit, the label in brackets: `100 planes (Israeli planes ...)`."""
    return f"{values} ({s.t(figure.label)})" if figure.unit else f"{values} {s.t(figure.label)}"


def _item(field: str, item: Any, s: _Style) -> str:
    """An item of a list, in a few words."""
    if isinstance(item, Actor):
        return f"{s.t(item.name)} ({'; '.join(s.t(x) for x in (item.kind, item.role) if x)}; id {s.t(item.id)})"
    if isinstance(item, Figure):
        return _with_label(s.t(_figure(item)), item, s)
    if isinstance(item, Quote):
        return f"{s.q(item.text)} ({s.t(item.speaker)})"
    if isinstance(item, NextStep):
        extra = [s.t(x) for x in (item.when, item.who) if x is not None]
        return s.q(item.text) + (f" ({'; '.join(extra)})" if extra else "")
    if isinstance(item, Source):
        where = [s.t(x) for x in (item.file, item.url) if x]
        return f"{s.t(item.id)}: {s.q(item.title)}" + (f" ({', '.join(where)})" if where else "")
    if isinstance(item, Correction):
        return f"{s.t(item.date)}: {s.q(item.text)}"
    return s.q(item)


def _part(name: str, old: object, new: object, s: _Style) -> str:
    if old is None:
        return f"{name} added: {s.q(new)}"
    if new is None:
        return f"{name} removed: {s.q(old)}"
    return f"{name} {s.q(old)} → {s.q(new)}"


#: The text of each kind of item that is shown on a line of its own when it changed.
_MAIN_TEXT = {"quotes": "text", "next": "text", "corrections": "text"}


def _describe(change: Change, s: _Style) -> tuple[str, list[str]]:
    """A change as a line, and the lines under it (was/now of a long text, the check)."""
    name = change.field
    noun = _NOUNS.get(name, name)
    old, new = change.old, change.new
    if change.change == "reordered":
        return f"{_PLURALS.get(name, noun + 's')} reordered", []
    if name == "draft":
        if new:
            return "now a draft: it will not be published", []
        return "no longer a draft: it will be published", []
    if change.change in ("added", "removed"):
        value = new if change.change == "added" else old
        return f"{noun} {change.change}: {_item(name, value, s)}", _checked(change, s)
    if name in ("who", "numbers", "quotes", "next", "sources", "corrections"):
        return _record(change, s)
    # A field of one value, or a text of a list (a development).
    if name in ("date", "updated") or len(_shown(old)) + len(_shown(new)) <= _SHORT:
        return f"{noun} changed: {s.q(old)} → {s.q(new)}", []
    return f"{noun} changed:", [f"was: {s.q(old)}", f"now: {s.q(new)}"]


def _record(change: Change, s: _Style) -> tuple[str, list[str]]:
    """A changed item of a list of records."""
    name, old, new = change.field, change.old, change.new
    noun = _NOUNS[name]
    under: list[str] = []
    parts = list(change.parts)
    if isinstance(new, Figure):
        value_parts = {"value", "qualifier", "unit"}
        values = s.t(_figure(new))
        if value_parts & set(parts):
            values = f"{s.t(_figure(old))} → {values}"
        head = f"{noun} changed: {_with_label(values, new, s)}"
        parts = [p for p in parts if p not in value_parts]
    elif isinstance(new, Actor):
        head = f"{noun} changed: {s.t(new.name)}"
    elif isinstance(new, Source):
        head = f"{noun} changed: {s.t(new.id)}"
    else:
        main = _MAIN_TEXT[name]
        head = f"{noun} changed: {_item(name, new, s)}"
        if main in parts:
            under.append(f"was: {s.q(getattr(old, main))}")
            parts.remove(main)
    details = [_part(p, getattr(old, p), getattr(new, p), s) for p in parts]
    if details:
        head += "; " + "; ".join(details)
    return head, under + _checked(change, s)


def _checked(change: Change, s: _Style) -> list[str]:
    check = change.check
    if check is None:
        return []
    files = " or ".join(s.path(f) for f in check.files)
    if check.status == "verified":
        return [f"verified in {files}"]
    if check.status == "unverified":
        return ["unverified (no source text)"]
    if check.status == "not-checked":
        return ["not checked: its source is in error (see the problems below)"]
    if check.status == "not-stated":
        value = s.t(change.new.value) if isinstance(change.new, Figure) else "the value"
        return [f"{s.strong('NOT verified')}: the evidence, found in {files}, does not state {value}"]
    if isinstance(change.new, Figure) and change.new.evidence is None:
        return [f"{s.strong('NOT found')} in {files}: no evidence given, and the value appears nowhere there"]
    return [f"{s.strong('NOT found')} in {files}"]


def _header(entry: BriefingChanges, s: _Style) -> tuple[str, list[str]]:
    """The heading of a briefing and the lines under it: paths, address, readability."""
    title = s.q(entry.title) if entry.title is not None else s.path(entry.slug or entry.old_slug)
    heading = f"{entry.status.capitalize()}: {title}"
    if entry.draft:
        heading += " (draft)"
    lines = []
    if entry.status == "renamed":
        lines.append(f"{s.path(entry.old_path)} → {s.path(entry.path)} ({entry.rename})")
        if entry.old_slug != entry.slug:
            lines.append(f"address changed: /briefings/{s.path(entry.old_slug)}/ → /briefings/{s.path(entry.slug)}/")
    else:
        lines.append(s.path(entry.key))
    if entry.base_readable is False:
        lines.append("the version at the base could not be read" + (":" if entry.base_findings else ""))
    if entry.readable is False:
        lines.append("could not be read:")
    elif entry.status == "changed" and entry.base_readable and not entry.changes:
        lines.append("no change a reader would see (comments or layout only)")
    return heading, lines


def _finding_lines(entry: BriefingChanges, s: _Style) -> list[str]:
    lines = [s.path(f.format()) for f in entry.base_findings]
    if entry.findings:
        if entry.readable:
            lines.append("problems in this version:")
        lines += [s.path(f.format()) for f in entry.findings]
    return lines


_GROUP_HEADINGS = {
    "code": "Code, build and CI: a maintainer must review these",
    "pages": "Pages and theme",
    "seeds": "Source texts",
}
_GROUP_NOUNS = {"code": "of code, build and CI", "pages": "of pages and theme", "seeds": "source text"}
#: At most this many briefings are named under a renamed actor (JSON names them all).
NAMED = 20


def _summary(changes: Changes) -> str:
    counts = [f"{n} {status}" for status, n in changes.counts().items() if n]
    text = ", ".join(counts) if counts else "no briefing changed"
    grouped = Counter(c.group for c in changes.paths)
    others = []
    for group in PATH_GROUPS:
        if grouped[group]:
            n = grouped[group]
            others.append(
                f"{n} {'path' if n == 1 else 'paths'} {_GROUP_NOUNS[group]}"
                if group != "seeds"
                else f"{n} source {'text' if n == 1 else 'texts'}"
            )
    if changes.actors:
        others.append(f"{len(changes.actors)} {'actor' if len(changes.actors) == 1 else 'actors'} renamed")
    return text + ("; " + ", ".join(others) if others else "")


def _kind(mode: str | None, target: str | None, size: int | None, s: _Style) -> str:
    if mode is None:
        return ""
    what = MODES.get(mode, f"mode {mode}")
    if mode == "120000":
        return f"{what} to {s.path(target)}" if target is not None else what
    return f"{what}, {size:,} {'byte' if size == 1 else 'bytes'}" if size is not None else what


def _path_line(change: PathChange, s: _Style) -> str:
    """`added: pip/__init__.py (file, 12 bytes)`, `renamed: a → b`, `modified: x (file → symbolic link to y)`."""
    where = s.path(change.path)
    if change.old_path is not None:
        where = f"{s.path(change.old_path)} → {where}"
    old, new = _kind(change.old_mode, change.old_target, None, s), _kind(change.mode, change.target, change.size, s)
    if change.status == "deleted":
        detail = old
    elif change.status == "added" or old == new or not old or change.old_mode == change.mode:
        detail = new
    else:
        detail = f"{old} → {new}"
    return f"{change.status}: {where}" + (f" ({detail})" if detail else "")


def _verified(state: bool | None) -> str:
    return {True: "verified", False: "NOT found", None: "no text"}[state]


def _cited(label: str, citers: list[tuple[str, str | None]], s: _Style) -> list[str]:
    if not citers:
        return [f"{label}: no briefing"]
    shown = [f"{s.path(p)}" + (f" ({s.q(t)})" if t is not None else "") for p, t in citers[:NAMED]]
    more = [f"and {len(citers) - NAMED:,} more"] if len(citers) > NAMED else []
    return [f"{label}:", *(f"  {x}" for x in shown + more)]


def _seed_lines(entry: SeedChange, s: _Style) -> tuple[str, list[str]]:
    """A changed source text as a line, and the lines under it."""
    head = _path_line(entry.change, s)
    under: list[str] = []
    if entry.change.status == "added" and entry.opening is not None:
        under.append(f"opening line: {s.q(entry.opening)}")
    if entry.problem is not None:
        under.append(f"{s.strong('cannot be used as a source')}: {s.t(entry.problem)}")
    if entry.change.status == "deleted":
        under += _cited("was cited by", entry.cited_before, s)
        if entry.cited_by:
            under += _cited(s.strong("still cited by (their check fails)"), entry.cited_by, s)
    else:
        under += _cited("cited by", entry.cited_by, s)
    for item in entry.items:
        what = f"{s.path(item.field)} of {s.path(item.briefing)}: {s.q(item.text)}"
        if item.was != item.now:
            what += f": {_verified(item.was)} → {s.strong(_verified(item.now))}"
        else:
            what += ": its receipt changes"
        under.append(what)
        if item.old != item.new:
            under += [f"  was: {s.q(item.old) if item.old is not None else 'no receipt'}"]
            under += [f"  now: {s.q(item.new) if item.new is not None else 'no receipt'}"]
    return head, under


def _actor_lines(rename: ActorRename, s: _Style) -> tuple[str, list[str]]:
    head = f"{s.t(rename.id)}: {s.q(rename.old)} → {s.q(rename.new)}, on every page showing it"
    named = [s.path(p) for p in rename.briefings[:NAMED]]
    if len(rename.briefings) > NAMED:
        named.append(f"and {len(rename.briefings) - NAMED:,} more")
    return head, [
        f"named in {len(rename.briefings):,} {'briefing' if len(rename.briefings) == 1 else 'briefings'}:",
        *(f"  {x}" for x in named),
    ]


def _sections(changes: Changes, s: _Style) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """The parts before the briefings: each heading, and its lines each with the lines under it."""
    sections: list[tuple[str, list[tuple[str, list[str]]]]] = []
    for group in ("code", "pages"):
        listed: list[tuple[str, list[str]]] = [(_path_line(c, s), []) for c in changes.paths if c.group == group]
        if listed:
            heading = _GROUP_HEADINGS[group]
            sections.append((s.strong(heading) if group == "code" else heading, listed))
    if changes.actors:
        sections.append(("Actors renamed across the site", [_actor_lines(a, s) for a in changes.actors]))
    if changes.seeds:
        sections.append((_GROUP_HEADINGS["seeds"], [_seed_lines(e, s) for e in changes.seeds]))
    return sections


def _nested(lines: list[str], indent: str) -> list[str]:
    """Lines under an item as Markdown list items, each line indented by two spaces one level deeper."""
    out = []
    for line in lines:
        depth = (len(line) - len(line.lstrip(" "))) // 2
        out.append(f"{indent}{'  ' * depth}- {line.lstrip(' ')}")
    return out


def render_diff(changes: Changes, output: str, max_bytes: int | None = None, full_diff_at: str | None = None) -> str:
    """The comparison as `text` (a terminal), `markdown` (a GitHub job summary) or `json`.

    With `max_bytes`, text and Markdown are cut to fit that many bytes of UTF-8, before an item, and end
    with a note saying so and where the full diff is (`full_diff_at`).
    """
    if output == "json":
        if max_bytes is not None:
            raise ValueError("JSON is never cut: write it whole")
        return json.dumps(to_json(changes), ensure_ascii=False, indent=2) + "\n"
    if output not in ("text", "markdown"):
        raise ValueError(f"no such output format {output!r}")
    s = _Style(output == "markdown")
    since = f"{s.t(changes.label)} ({s.t(changes.short)})"
    if changes.empty:
        return f"No briefing changed since {since}.\n"
    lines = _markdown(changes, s, since) if s.markdown else _text(changes, s, since)
    text = "\n".join(lines).rstrip("\n") + "\n"
    if max_bytes is None or len(text.encode("utf-8")) <= max_bytes:
        return text
    return _cut(lines, max_bytes, s, full_diff_at)


def _markdown(changes: Changes, s: _Style, since: str) -> list[str]:
    what = "Briefings changed" if changes.briefings else "Changes"
    out = [f"## {what} since {since}", "", _summary(changes) + ".", ""]
    for heading, listed in _sections(changes, s):
        out += [f"### {heading}", ""]
        for head, under in listed:
            out += [f"- {head}", *_nested(under, "  ")]
        out.append("")
    for entry in changes.briefings:
        heading, lines = _header(entry, s)
        out += [f"### {heading}", ""]
        out += [f"{line}  " for line in lines[:-1]] + lines[-1:] + [""]
        items = []
        for change in entry.changes:
            head, under = _describe(change, s)
            items += [f"- {head}", *(f"  - {line}" for line in under)]
        problems = _finding_lines(entry, s)
        if problems and entry.readable:
            items += [f"- {problems[0]}", *(f"  - {line}" for line in problems[1:])]
        elif problems:
            items += [f"- {line}" for line in problems]
        out += [*items, ""] if items else []
    return out


def _text(changes: Changes, s: _Style, since: str) -> list[str]:
    what = "Briefings changed" if changes.briefings else "Changes"
    out = [f"{what} since {since}: {_summary(changes)}."]
    for heading, listed in _sections(changes, s):
        out += ["", heading]
        for head, under in listed:
            out += [f"  {head}", *(f"      {line}" for line in under)]
    for entry in changes.briefings:
        heading, lines = _header(entry, s)
        out += ["", heading, *(f"  {line}" for line in lines)]
        for change in entry.changes:
            head, under = _describe(change, s)
            out += [f"  - {head}", *(f"      {line}" for line in under)]
        problems = _finding_lines(entry, s)
        if problems and entry.readable:
            out += [f"  {problems[0]}", *(f"    {line}" for line in problems[1:])]
        else:
            out += [f"    {line}" for line in problems]
    return out


def _cut(lines: list[str], max_bytes: int, s: _Style, full_diff_at: str | None) -> str:
    """The most lines that fit in `max_bytes` with the note, cut before a blank line, a heading or an item
    at the top level (never between an item and the lines under it)."""
    where = full_diff_at or "run `briefing diff` for it"
    at = 0  # bytes of lines[:i]
    shown = 0
    for i, line in enumerate(lines):
        clean = not line or (line.startswith(("#", "- ")) if s.markdown else not line.startswith("   "))
        if clean and at + len(_cut_note(max_bytes, i, len(lines), where, s).encode("utf-8")) + 2 <= max_bytes:
            shown = i
        at += len(line.encode("utf-8")) + 1
        if at > max_bytes:
            break
    head = "\n".join(lines[:shown]).rstrip("\n")
    return f"{head}\n\n{_cut_note(max_bytes, shown, len(lines), where, s)}\n"


def _cut_note(max_bytes: int, shown: int, total: int, where: str, s: _Style) -> str:
    text = (
        f"This diff was cut here to fit {max_bytes:,} bytes ({shown:,} of its {total:,} lines shown)."
        f" The full diff: {where}."
    )
    return s.strong(text) if s.markdown else f"[{text}]"


def _plain(value: Any) -> Any:
    """A value as JSON data: records as objects of their written fields, figures' values as text."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return str(value)


def _change_json(change: Change) -> dict[str, Any]:
    check = change.check
    return {
        "field": change.field,
        "change": change.change,
        "old": _plain(change.old),
        "new": _plain(change.new),
        "parts": list(change.parts),
        "check": None
        if check is None
        else {
            "status": check.status,
            "files": list(check.files),
            "finding": check.finding.to_json() if check.finding else None,
        },
    }


def to_json(changes: Changes) -> dict[str, Any]:
    """The comparison as JSON data, with the same keys whatever changed."""
    return {
        "base": {
            "revision": changes.revision,
            "label": changes.label,
            "commit": changes.commit,
            "short": changes.short,
        },
        "counts": changes.counts(),
        "briefings": [
            {
                "status": entry.status,
                "path": readable(entry.path),
                "old_path": readable(entry.old_path),
                "slug": readable(entry.slug),
                "old_slug": readable(entry.old_slug),
                "title": entry.title,
                "draft": entry.draft,
                "rename": entry.rename,
                "readable": entry.readable,
                "base_readable": entry.base_readable,
                "changes": [_change_json(change) for change in entry.changes],
                "findings": [f.to_json() for f in entry.findings],
                "base_findings": [f.to_json() for f in entry.base_findings],
            }
            for entry in changes.briefings
        ],
        "paths": [_path_json(c) for c in changes.paths],
        "seeds": [
            {
                "path": e.path,
                "old_path": e.old_path,
                "status": e.change.status,
                "size": e.size,
                "old_size": e.old_size,
                "opening": e.opening,
                "problem": e.problem,
                "cited_by": [{"path": p, "title": t} for p, t in e.cited_by],
                "cited_before": [{"path": p, "title": t} for p, t in e.cited_before],
                "items": [
                    {
                        "briefing": i.briefing,
                        "title": i.title,
                        "field": i.field,
                        "text": i.text,
                        "was_verified": i.was,
                        "now_verified": i.now,
                        "old_sentence": i.old,
                        "new_sentence": i.new,
                    }
                    for i in e.items
                ],
            }
            for e in changes.seeds
        ],
        "actors": [
            {"id": a.id, "old_name": a.old, "new_name": a.new, "briefings": list(a.briefings)} for a in changes.actors
        ],
    }


def _path_json(change: PathChange) -> dict[str, Any]:
    return {
        "group": change.group,
        "status": change.status,
        "path": change.path,
        "old_path": change.old_path,
        "mode": change.mode,
        "old_mode": change.old_mode,
        "target": change.target,
        "old_target": change.old_target,
        "size": change.size,
    }
