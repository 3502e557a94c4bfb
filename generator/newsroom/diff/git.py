"""git itself, run for `briefing diff`: the base to compare with (`resolve_base`), the paths a pull request
changes (`changed_paths`), and objects read with `git cat-file --batch`. git is never run through a shell.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from generator.newsroom.diff.model import DiffError

#: Where the default base is looked for, in order: its merge base with HEAD is the base.
DEFAULT_BRANCHES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")


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
