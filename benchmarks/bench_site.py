"""Does the site scale linearly? Build sites of N synthetic briefings with real MkDocs.

    python benchmarks/bench_site.py [N ...]      (default: 200 2000)

For each N it copies the project's site setup (mkdocs.yml, overrides/, the
hand-written docs/) into a temporary folder, writes N synthetic briefings with
their source texts, runs `mkdocs build` once, and prints:

- build time per briefing (the whole `mkdocs build`, generator included);
- HTML bytes per briefing page (mean), which must not grow with N: no page
  lists the whole collection;
- the same for the joined pages: actor (`who/<id>/`), story and topic pages,
  every page of each (they are paginated, 50 entries a page);
- the built site's bytes per briefing, without the theme's own files under
  `assets/` (Material's scripts, styles and search languages: the same
  whatever the collection, about 3 MB that would otherwise swamp small sites).

It prints figures; it asserts nothing.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import write_collection

PROJECT = Path(__file__).resolve().parent.parent
GENERATED = {"index.md", "briefings"}


def make_site(root: Path, count: int, source: Path = PROJECT) -> None:
    """The site setup of `source` (mkdocs.yml, overrides/, the hand-written docs/) and `count` briefings, in root."""
    shutil.copy(source / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(source / "overrides", root / "overrides")
    shutil.copytree(
        source / "docs",
        root / "docs",
        ignore=lambda folder, names: [n for n in names if n in GENERATED] if Path(folder) == source / "docs" else [],
    )
    write_collection(root, count)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_site(root, count)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, env=env, check=True)
        seconds = time.perf_counter() - start
        site = root / "site"
        pages = [p for p in (site / "briefings").glob("*/index.html")]
        sizes = [p.stat().st_size for p in pages]
        assert len(pages) == count, (len(pages), count)
        content = folder_bytes(site) - folder_bytes(site / "assets")
        print(
            f"N={count:>6}  build {seconds:7.2f} s = {seconds / count * 1000:6.2f} ms/briefing"
            f"  | briefing page {statistics.mean(sizes):7.0f} B mean (max {max(sizes)})"
            f"  | home {(site / 'index.html').stat().st_size} B"
            f"  | search index {(site / 'search' / 'search_index.json').stat().st_size / count:5.0f} B/briefing"
        )
        for section in ("who", "stories", "topics"):
            section_pages = [p for p in (site / section).rglob("index.html") if p.parent != site / section]
            section_sizes = [p.stat().st_size for p in section_pages]
            print(
                f"{'':9}{section:>8}: {len(section_pages):5} pages, {statistics.mean(section_sizes):7.0f} B mean"
                f" (max {max(section_sizes)})"
            )
        print(
            f"{'':9}site without theme assets {content / count:7.0f} B/briefing"
            f" (theme assets {folder_bytes(site / 'assets'):,} B)"
        )


def main() -> None:
    counts = [int(arg) for arg in sys.argv[1:]] or [200, 2000]
    for count in counts:
        run(count)


if __name__ == "__main__":
    main()
