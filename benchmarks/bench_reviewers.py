"""How long does "Reviewed by" take to read from git, and does it grow with the history linearly?

    python benchmarks/bench_reviewers.py [BRIEFINGS]      (default: 2000)

Builds two repositories in a temporary folder, of BRIEFINGS/4 and BRIEFINGS briefing files, each reaching main
through its own merged pull request (a commit on a branch and the merge commit that brings it to main: two commits
per briefing), filed as the project files them, one folder per year (`briefings/YYYY/`, PER_YEAR a year), and
times `edge.reviewers.reviewers` (one `git log --first-parent -m --name-only`) on each. It prints both times and
their ratio per briefing, measured in this one run; a linear cost gives a ratio near 1.

Git compares each merge's tree with its parent's folder by folder, skipping every folder whose hash is the same:
the cost of a commit is that of the folders it changed, so a year's folder bounds it. With `--flat` every
briefing is in `briefings/` itself, as a collection that never files by year would be, and each commit's cost
grows with the whole collection.

It prints figures; it asserts nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.edge.reviewers import reviewers

#: Briefings filed in one year's folder.
PER_YEAR = 1000


def _path(number: int, flat: bool) -> bytes:
    folder = "briefings" if flat else f"briefings/{2000 + number // PER_YEAR}"
    return f"{folder}/2024-01-01-b{number}.yaml".encode()


def _history(root: Path, count: int, flat: bool = False) -> None:
    """`count` briefings, each merged into main by its own merge commit, written with git fast-import (one process:
    making the history costs seconds, not the minutes of a git command per commit)."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    lines: list[bytes] = []
    mark = 0
    main_mark = 0
    stamp = 1_700_000_000

    def data(text: str) -> None:
        body = text.encode()
        lines.append(b"data %d\n" % len(body) + body)

    mark += 1
    lines.append(b"commit refs/heads/main\nmark :%d\n" % mark)
    lines.append(b"committer Start <s@example.org> %d +0000\n" % stamp)
    data("start\n")
    lines.append(b"M 644 inline README\n")
    data("history\n")
    main_mark = mark
    for number in range(count):
        stamp += 60
        mark += 1
        branch = mark
        lines.append(b"commit refs/heads/topic\nmark :%d\n" % branch)
        lines.append(b"author Writer <w@example.org> %d +0000\n" % stamp)
        lines.append(b"committer Writer <w@example.org> %d +0000\n" % stamp)
        data(f"briefing {number}\n")
        lines.append(b"from :%d\n" % main_mark)
        lines.append(b"M 644 inline %s\n" % _path(number, flat))
        data(f"title: Briefing {number}\n")
        mark += 1
        lines.append(b"commit refs/heads/main\nmark :%d\n" % mark)
        lines.append(b"author Editor%d <e@example.org> %d +0000\n" % (number % 7, stamp))
        lines.append(b"committer Editor%d <e@example.org> %d +0000\n" % (number % 7, stamp))
        data(f"Merge pull request #{number}\n")
        lines.append(b"from :%d\nmerge :%d\n" % (main_mark, branch))
        lines.append(b"M 644 inline %s\n" % _path(number, flat))  # the merge's tree holds the change
        data(f"title: Briefing {number}\n")
        main_mark = mark
    lines.append(b"done\n")
    subprocess.run(
        ["git", "fast-import", "--quiet", "--done"], cwd=root, input=b"".join(lines), check=True, env=os.environ
    )
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True)


def _timed(root: Path) -> tuple[float, int]:
    start = time.perf_counter()
    found = reviewers(root)
    return time.perf_counter() - start, len(found)


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--flat"]
    flat = "--flat" in sys.argv[1:]
    count = int(args[0]) if args else 2000
    print(f"briefings {'all in briefings/' if flat else f'in a folder per year, {PER_YEAR} a year'}:")
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp, "small"), Path(tmp, "large")
        _history(small, count // 4, flat)
        _history(large, count, flat)
        small_time, small_found = _timed(small)
        large_time, large_found = _timed(large)
    for number, seconds, found in ((count // 4, small_time, small_found), (count, large_time, large_found)):
        print(f"{number:>6} briefings, {2 * number:>6} commits: {seconds * 1000:8.1f} ms ({found} reviewers)")
    ratio = (large_time / count) / (small_time / (count // 4))
    print(f"time per briefing, large over small: {ratio:.2f} (1.00 is linear)")


if __name__ == "__main__":
    main()
