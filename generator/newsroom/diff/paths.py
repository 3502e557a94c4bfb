"""Every other path that changed: outside briefings/ (and any file under it that is not a briefing), between
the base and the working tree, untracked files included, each in its group: code, build and CI; pages and
theme; source texts.
"""

from __future__ import annotations

import os
import stat
from collections import defaultdict, deque
from dataclasses import replace
from pathlib import Path

from generator.newsroom.diff.git import _cat_file, _git, _git_line
from generator.newsroom.diff.model import PathChange, PathGroup, PathStatus, readable
from generator.newsroom.diff.versions import _is_briefing
from generator.rules.collection import BRIEFINGS_DIR

_GIT_STATUS: dict[str, PathStatus] = {
    "A": "added",
    "D": "deleted",
    "M": "modified",
    "R": "renamed",
    "C": "copied",
    "T": "type changed",
}
#: The project's pages and theme: these folders, and MkDocs' configuration.
_PAGE_FOLDERS = ("docs/", "overrides/")
_PAGE_FILES = ("mkdocs.yml", "mkdocs.yaml")


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
    found, blobs = _tracked(root, commit, top, prefix)
    untracked, ids = _untracked(root, top, prefix)
    _add_untracked(found, blobs, untracked, ids, top, prefix)
    _add_old_targets(root, found, blobs)
    found.sort(key=lambda c: (c.path, c.old_path or ""))
    shown = [
        replace(c, **{k: readable(getattr(c, k)) for k in ("path", "old_path", "target", "old_target")}) for c in found
    ]
    return shown, {readable(path): blob for path, blob in blobs.items()}


def _tracked(root: Path, commit: str, top: Path, prefix: str) -> tuple[list[PathChange], dict[str, str]]:
    """The tracked paths outside briefings/ that differ between `commit` and the working tree (`git diff
    --raw`, renames found), in git's order; and each old path's blob id at the base."""
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
    return found, blobs


def _untracked(root: Path, top: Path, prefix: str) -> tuple[list[str], dict[str, str]]:
    """The untracked files git does not ignore, outside briefings/; and the blob id of each regular one."""
    listed = _git(root, "ls-files", "-z", "--others", "--exclude-standard", "--full-name", "--", ":/")
    untracked = [os.fsdecode(p) for p in listed.split(b"\0") if p and _group(os.fsdecode(p), prefix) is not None]
    # An untracked file with the bytes of a deleted one is that file renamed.
    regular = [p for p in untracked if _lstat_mode(top / p)[0] in ("100644", "100755") and "\n" not in p]
    ids: dict[str, str] = {}
    if regular:
        hashed = _git(top, "hash-object", "--stdin-paths", data=b"".join(os.fsencode(p) + b"\n" for p in regular))
        ids = dict(zip(regular, hashed.decode("ascii", "replace").split(), strict=False))
    return untracked, ids


def _add_untracked(
    found: list[PathChange], blobs: dict[str, str], untracked: list[str], ids: dict[str, str], top: Path, prefix: str
) -> None:
    """Each untracked file into `found`: as added, or, with the bytes of a deleted file, as that file renamed."""
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


def _add_old_targets(root: Path, found: list[PathChange], blobs: dict[str, str]) -> None:
    """Where each symbolic link of the base led (its blob's bytes), into its change in `found`."""
    links = [c for c in found if c.old_mode == "120000"]
    requests = sorted({blobs[c.old_path or c.path] for c in links if (c.old_path or c.path) in blobs})
    targets = dict(zip(requests, _cat_file(root, requests), strict=True))
    for i, change in enumerate(found):
        if change.old_mode == "120000":
            kind_, data = targets.get(blobs.get(change.old_path or change.path, ""), ("missing", b""))
            if kind_ == "blob":
                found[i] = replace(change, old_target=os.fsdecode(data))
