"""Who approved each briefing, read from git (the plugin's opt-in `reviewed_by`): the person who merged the change
that last touched its file into the branch the site is built from.

One `git log` over the first-parent history of HEAD, newest first, with the files each commit changed against
its first parent (`-m --first-parent`): the first commit that lists a briefing's file is the one that brought
its last change to the branch.

- A merge commit (a pull request merged with a merge commit): its author, who merged it (GitHub records the
  person who pressed the button).
- A commit with another committer than its author (a rebase merge, a patch applied by a maintainer): its
  committer.
- Anything else (a commit pushed by its own author, or a squash merge, whose committer is GitHub itself): no one.
  Git does not record who approved it, and the page says nothing rather than guess.

The same history gives the same names: nothing depends on the clock or on the checkout's state. Names are text
from the repository, escaped wherever they are shown as any other text.
"""

from __future__ import annotations

import os
import subprocess
import unicodedata
from pathlib import Path, PurePosixPath

#: A committer that stands for GitHub itself (squash merges, edits in the web editor), not a person.
_NOT_A_PERSON = frozenset({"GitHub", "GitHub Enterprise", "web-flow"})
#: Longer names are cut: a name is a line of the page.
MAX_NAME = 200
#: Each commit's record starts with a NUL, which no name or path holds; its parents, author and committer are a line
#: each (git keeps no line break in a name), then the files it changed.
_RECORD = "\x00"
#: Characters never shown in a name: controls, and the invisible formatting ones (bidirectional overrides and
#: isolates, zero-width characters), which would reorder or hide the rest of the byline.
_UNSHOWN = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"))


class ReviewersError(Exception):
    """The history could not be read: the message says why, for a person."""


def reviewers(root: Path, folder: str = "briefings") -> dict[str, str]:
    """The reviewer of each briefing under `root/folder` that git knows one for, by slug (its file's name
    without `.yaml` or `.yml`). Raises ReviewersError when git cannot be run, `root` is not in a repository or
    the clone is shallow (its history is cut, so what merged a file may be missing)."""
    shallow = _git(root, "rev-parse", "--is-shallow-repository").strip()
    if shallow == "true":
        raise ReviewersError(
            "the clone is shallow, so who merged each briefing is not in it: fetch the whole history"
            " (actions/checkout with fetch-depth: 0, or git fetch --unshallow)"
        )
    out = _git(
        root,
        "log",
        "--first-parent",
        "-m",
        "--no-renames",
        "--name-only",
        "--format=%x00%P%n%an%n%cn",
        "HEAD",
        "--",
        folder,
    )
    found: dict[str, str] = {}
    seen: set[str] = set()
    for record in out.split(_RECORD)[1:]:
        parents, author, committer, *names = [*record.split("\n"), "", "", ""]
        person = _merger(parents.split(), author, committer)
        for name in names:
            if not name.strip():
                continue
            path = PurePosixPath(name.strip())
            if path.suffix not in (".yaml", ".yml") or name in seen:
                continue
            seen.add(name)  # the newest commit that touched it decides, whoever it names
            if person:
                found.setdefault(path.stem, person)
    return found


def _merger(parents: list[str], author: str, committer: str) -> str | None:
    if len(parents) > 1:
        return _name(author)
    if committer and committer != author and committer not in _NOT_A_PERSON:
        return _name(committer)
    return None


def _name(text: str) -> str | None:
    """A name as the page shows it: without controls or invisible formatting characters, white space as one space,
    at most MAX_NAME characters; None when nothing is left."""
    shown = "".join(char for char in text if unicodedata.category(char) not in _UNSHOWN)
    name = " ".join(shown.split())[:MAX_NAME]
    return name or None


def _git(root: Path, *args: str) -> str:
    """git's standard output in `root`, run without a shell and without a pager or a prompt."""
    command = ["git", "-c", "core.quotepath=off", "--no-pager", *args]
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(command, cwd=root, capture_output=True, env=env, check=False)
    except OSError as exc:
        raise ReviewersError(f"git could not be run: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReviewersError(f"git {args[0]} failed: {message[0] if message else f'exit status {done.returncode}'}")
    return done.stdout.decode("utf-8", "replace")
