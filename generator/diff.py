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
  their text. Two texts are similar when at least half of their words are the same, in
  order (`difflib`'s ratio of their lists of words, in lowercase, punctuation aside). What
  is left is added or removed.
- **Provenance** is the checker's: the working tree's version of each changed briefing is
  checked with `validate.check_bytes` against the working tree's `seeds/`, and its findings
  on `quotes[i].text`, `numbers[i].evidence` and `numbers[i].value` are told on the items.
- **A file that cannot be read** (not UTF-8, not YAML, not a mapping) is listed with its
  findings. A version that can be read but has errors is compared as far as it is sound,
  and its findings are listed with it.
- An added briefing is listed with its headline and its figures and quotes (with whether
  each verifies), a removed one with its headline; the rest is read in the file itself.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import posixpath
import re
import subprocess
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, TypeVar

from generator.addresses import ascii_slug
from generator.collection import BRIEFINGS_DIR, FILE_FIELD, SUFFIXES, file_problem, find_files
from generator.findings import Finding, printable
from generator.model import Actor, Correction, Figure, NextStep, Quote, Source
from generator.render import figure_value
from generator.schema import BRIEFING, INVALID
from generator.validate import check_bytes, read_limited
from generator.verify import Seeds, contains, normalize
from generator.yamlnodes import Mapping, Node, YAMLSyntaxError, decode, parse

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
    """How alike two texts are: difflib's ratio of their lists of words (runs of letters and
    digits, in lowercase): 1 is the same words in the same order."""
    matcher = difflib.SequenceMatcher(None, _WORD.findall(a.lower()), _WORD.findall(b.lower()), autojunk=False)
    if matcher.real_quick_ratio() < TEXT_SIMILARITY or matcher.quick_ratio() < TEXT_SIMILARITY:
        return 0.0
    return matcher.ratio()


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
    """An added briefing's figures and quotes: what a reviewer must check against the source."""
    changes: list[tuple[Change, int | None]] = [
        (Change("numbers", "added", None, figure), j) for j, (_, figure) in enumerate(new.numbers)
    ]
    changes += [(Change("quotes", "added", None, quote), j) for j, (_, quote) in enumerate(new.quotes)]
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

    def prepare(version: _Version) -> _Version:
        if version.data is not None and version.read is None and not version.checked:
            version.read = _read(version.data)
            version.checked = True
        return version

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


class _Style:
    """How a text is written for one output: `text` for a terminal, `markdown` for GitHub."""

    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown

    def t(self, value: object) -> str:
        """User text, on one line, unprintable characters escaped; for Markdown, every ASCII punctuation too."""
        text = printable(" ".join(_shown(value).split()))
        return _MARKDOWN.sub(r"\\\g<0>", text) if self.markdown else text

    def path(self, value: object) -> str:
        """A path or a finding's line: as it is, unprintable characters (a line break too) escaped."""
        text = printable(_shown(value))
        return _MARKDOWN.sub(r"\\\g<0>", text) if self.markdown else text

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
        return f"{s.t(item.name)} ({'; '.join(s.t(x) for x in (item.kind, item.role) if x)})"
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


def _summary(changes: Changes) -> str:
    counts = [f"{n} {status}" for status, n in changes.counts().items() if n]
    return ", ".join(counts)


def render_diff(changes: Changes, output: str) -> str:
    """The comparison as `text` (a terminal), `markdown` (a GitHub job summary) or `json`."""
    if output == "json":
        return json.dumps(to_json(changes), ensure_ascii=False, indent=2) + "\n"
    if output not in ("text", "markdown"):
        raise ValueError(f"no such output format {output!r}")
    s = _Style(output == "markdown")
    since = f"{s.t(changes.label)} ({s.t(changes.short)})"
    if not changes.briefings:
        return f"No briefing changed since {since}.\n"
    if s.markdown:
        out = [f"## Briefings changed since {since}", "", _summary(changes) + ".", ""]
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
        return "\n".join(out).rstrip("\n") + "\n"
    out = [f"Briefings changed since {since}: {_summary(changes)}."]
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
    return "\n".join(out) + "\n"


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
                "path": entry.path,
                "old_path": entry.old_path,
                "slug": entry.slug,
                "old_slug": entry.old_slug,
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
    }
