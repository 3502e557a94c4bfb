"""`briefing diff` at the format's limits: one briefing changed against the whole collection changed.

Each briefing is at every limit of the format (the longest headline, summary and texts, the most actors,
developments, figures, quotes, next steps, sources and corrections) and its texts repeat one phrase, the
input that made difflib's matching quadratic (67 s for one briefing). Every quote and figure's evidence
is in the briefing's own source text under seeds/, so each is verified as a real one is.

For each size of collection, a git repository is made with the briefings committed, then:

- one briefing changed: every text of one briefing gets a word more (each item paired by similar text,
  each quote and figure verified again);
- the whole collection changed: the same in every briefing.

It prints the time of each and their ratio, and asserts nothing about them. Run it with
`.venv/bin/python -m benchmarks.bench_diff [SIZE ...]`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.format.schema import LONG_LENGTH
from generator.newsroom.diff import briefing_diff, render_diff

#: The collections measured, in briefings.
SIZES = (25, 50, 100)
PHRASE = "the talks "


def _text(n: int, mark: str, length: int = LONG_LENGTH) -> str:
    """A text of `length` characters repeating one phrase, told apart by `mark` and `n`."""
    head = f"{mark} {n} "
    return (head + PHRASE * (length // len(PHRASE) + 1))[:length].strip()


def briefing(day: int, seed: str, mark: str = "") -> str:
    """A briefing at the format's limits whose texts repeat one phrase; `mark` changes every text."""
    date = f"2024-{1 + day // 28:02d}-{1 + day % 28:02d}"
    lines = [
        f"title: {_text(day, 'Headline' + mark, 140)}",
        f"date: {date}",
        f"updated: {date}",
        "location: Cairo",
        "story: The talks",
        "topics: [" + ", ".join(f"Topic {i}" for i in range(8)) + "]",
        "authors: [" + ", ".join(f"Author {i}" for i in range(10)) + "]",
        f"summary: {_text(day, 'Summary' + mark, 600)}",
        "who:",
    ]
    for i in range(50):
        lines += [f"  - name: Person {i}", f"    role: {_text(i, 'Role' + mark, 200)}"]
    lines += ["what:", *(f"  - {_text(i, 'Development' + mark)}" for i in range(20))]
    lines += ["numbers:"]
    for i in range(30):
        lines += [f"  - value: {1000 + i}", f"    label: {_text(i, 'label' + mark, 200)}"]
        lines += [f"    evidence: figure {i} is {1000 + i} {PHRASE * 20}".rstrip(), "    source: s1"]
    lines += ["quotes:"]
    for i in range(30):
        lines += [f"  - text: quote {i} {PHRASE * 90}".rstrip(), f"    speaker: Person {i}", "    source: s1"]
        lines += [f"    context: {_text(i, 'Context' + mark)}"]
    lines += ["next:", *(f"  - text: {_text(i, 'Step' + mark)}\n    when: 2025-01-01" for i in range(20))]
    lines += ["sources:", f"  - title: Wire\n    file: {seed}"]
    lines += [f"  - title: Wire {i}\n    url: https://example.org/{i}" for i in range(1, 20)]
    lines += ["corrections:", *(f"  - date: {date}\n    text: {_text(i, 'Correction' + mark)}" for i in range(20))]
    return "\n".join(lines) + "\n"


def source_text() -> str:
    """A source text holding every quote and figure's evidence of `briefing`, in paragraphs."""
    paragraphs = [f"figure {i} is {1000 + i} {PHRASE * 20}".rstrip() + "." for i in range(30)]
    paragraphs += [f"He said quote {i} {PHRASE * 90}".rstrip() + "." for i in range(30)]
    return "\n\n".join(paragraphs) + "\n"


def _git(root: Path, *args: str) -> None:
    config = ["-c", "user.name=Bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *config, *args], cwd=root, check=True, capture_output=True)


def make_repository(root: Path, size: int) -> list[tuple[Path, str]]:
    """A repository with `size` briefings committed; each briefing's path and source text's name."""
    (root / "briefings").mkdir(parents=True)
    (root / "seeds").mkdir()
    text = source_text()
    made = []
    for day in range(size):
        seed = f"seeds/article-{day:05d}.txt"
        (root / seed).write_text(text, encoding="utf-8")
        date = f"2024-{1 + day // 28:02d}-{1 + day % 28:02d}"
        path = root / "briefings" / f"{date}-talks-{day:05d}.yaml"
        path.write_text(briefing(day, seed), encoding="utf-8")
        made.append((path, seed))
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    return made


def timed(root: Path) -> tuple[float, int]:
    """Seconds to compare and write the Markdown, and how many briefings changed."""
    start = time.perf_counter()
    changes = briefing_diff(root, "HEAD")
    render_diff(changes, "markdown")
    return time.perf_counter() - start, len(changes.briefings)


def main(sizes: tuple[int, ...]) -> None:
    print(f"{'briefings':>9}  {'one changed':>11}  {'all changed':>11}  {'all ÷ one':>9}  {'all, per briefing':>17}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            made = make_repository(root, size)
            path, seed = made[size // 2]
            path.write_text(briefing(size // 2, seed, " now"), encoding="utf-8")
            one, changed = timed(root)
            if changed != 1:
                raise SystemExit(f"expected one briefing changed, found {changed}")
            for day, (path, seed) in enumerate(made):
                path.write_text(briefing(day, seed, " now"), encoding="utf-8")
            whole, changed = timed(root)
            if changed != size:
                raise SystemExit(f"expected {size} briefings changed, found {changed}")
        print(f"{size:>9}  {one:>10.2f}s  {whole:>10.2f}s  {whole / one:>8.1f}×  {whole / size * 1000:>14.0f} ms")


if __name__ == "__main__":
    main(tuple(int(arg) for arg in sys.argv[1:]) or SIZES)
