"""How light is search? Pagefind's index against Material's, on synthetic sites of N briefings.

    python benchmarks/bench_search.py [N ...]      (default: 2000 10000)
    python benchmarks/bench_search.py --site SITE_DIR [--query WORDS ...]   (a site already built)

For each N it makes a site as benchmarks/bench_site.py does, turns Material's
search plugin back on beside Pagefind (so one build gives both indexes), runs
`mkdocs build` once, and prints:

- Material's index: search/search_index.json, which its search downloads
  whole, with its worker, before the first result (raw, and gzip-compressed as
  a server would send it);
- Pagefind's indexing, run again on the built site: time, peak memory of the
  indexer, pages indexed, the index's size (all of pagefind/, and without the
  UI bundles Pagefind writes but the site never loads);
- the bytes a reader's FIRST query downloads, measured in Chromium: the page
  is loaded from a server on 127.0.0.1, the search dialog opened, a query
  typed, and every response after the page's own load is added up
  (pagefind.js, its entry file, the WebAssembly, the metadata, the index
  chunk(s), the fragments of the first results shown), as served, without
  compression.

The browser is $BRIEFINGS_CHROMIUM, else the first Chromium or Chrome on PATH.
It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_site import make_site
from generator.site.search import BUNDLE_DIR, MAX_WORDS, index_site

#: A person's name (in about 3 briefings of 7), a topic, a quote's words and a figure's label.
QUERIES = ("Omar Haddad", "Diplomacy", "delegation summit", "grain affected")
UI_FILES = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class _Counting(http.server.SimpleHTTPRequestHandler):
    """Serves the site quietly, and notes the path and size of every file it sends."""

    sent: list[tuple[str, int]]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        self.sent.append((self.path, len(data)))
        outputfile.write(data)


def _browser() -> str:
    named = os.environ.get("BRIEFINGS_CHROMIUM")
    for name in [named] if named else BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("no Chromium or Chrome: set BRIEFINGS_CHROMIUM")


def _kind(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if name.endswith(".pf_fragment"):
        return "fragments"
    if name.endswith(".pf_index"):
        return "index chunks"
    if name.endswith(".pf_filter"):
        return "filter chunks"
    if name.endswith(".pf_meta"):
        return "metadata"
    if name.startswith("wasm."):
        return "wasm"
    return "scripts and entry"


def first_queries(site: Path, queries: tuple[str, ...]) -> list[tuple[str, str, int, Counter[str], int]]:
    """For each query, in a fresh browser: the result count shown, the bytes the server sent for its first
    search in all and by kind, and the bytes Chromium's response events add up to (a check on the first)."""
    from playwright.sync_api import sync_playwright

    sent: list[tuple[str, int]] = []
    handler = type("Handler", (_Counting,), {"sent": sent})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    page_address = next(site.glob("briefings/*/index.html")).parent.relative_to(site).as_posix() + "/"
    measured = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=_browser(),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
            )
            for query in queries:
                context = browser.new_context()  # an empty cache: a reader's first visit
                page = context.new_page()
                page.goto(url + page_address)
                page.wait_for_load_state("networkidle")
                seen: list[int] = []
                outside: list[str] = []

                def count(response: Any, seen: list[int] = seen, outside: list[str] = outside) -> None:
                    if not response.url.startswith(url):
                        outside.append(response.url)
                    else:
                        seen.append(len(response.body()))

                context.on("response", count)
                del sent[:]
                page.click(".bf-search-open")
                page.keyboard.type(query, delay=30)
                page.locator(".bf-search__item").first.wait_for(timeout=60_000)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(1000)
                shown = page.locator(".bf-search__status").inner_text()
                assert not outside, outside
                sizes: Counter[str] = Counter()
                for path, size in sent:
                    sizes[_kind(path) if f"/{BUNDLE_DIR}/" in path else "other"] += size
                measured.append((query, shown, sum(sizes.values()), sizes, sum(seen)))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return measured


def run(count: int, queries: tuple[str, ...], max_words: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_site(root, count)
        config = root / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        assert "\n  - briefings\n" in text
        config.write_text(text.replace("\n  - briefings\n", "\n  - briefings\n  - search\n", 1), encoding="utf-8")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, env=env, check=True)
        build = time.perf_counter() - start
        site = root / "site"

        material = site / "search" / "search_index.json"
        worker = next((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
        raw = material.read_bytes()
        material_gz = len(gzip.compress(raw, 6)) + len(gzip.compress(worker.read_bytes(), 6))
        material_raw = len(raw) + worker.stat().st_size
        print(
            f"N={count:>6}  mkdocs build (both indexes) {build:6.1f} s"
            f"\n{'':9}Material: search_index.json + worker {material_raw / 1e6:6.2f} MB"
            f" ({material_gz / 1e6:.2f} MB gzip), all of it before the first result"
        )
        measure(site, queries, max_words)


def measure(site: Path, queries: tuple[str, ...], max_words: int) -> None:
    """Pagefind on a built site: index it (again, to time it alone), then the first queries."""
    result = index_site(site, max_words=max_words)
    bundle = result.bundle
    ui = sum(p.stat().st_size for p in bundle.iterdir() if p.is_file() and p.name.startswith(UI_FILES))
    chunks = list(bundle.rglob("*.pf_index"))
    fragments = sum(p.stat().st_size for p in bundle.rglob("*.pf_fragment"))
    print(
        f"{'':9}Pagefind: {result.pages} pages indexed in {result.shards} shard(s) in {result.seconds:.1f} s,"
        f" peak memory {(result.peak_memory or 0) / 2**20:.0f} MiB;"
        f" index {result.bytes / 1e6:.2f} MB ({(result.bytes - ui) / 1e6:.2f} MB without the unused UI bundles),"
        f" {len(chunks)} index chunks of {max(p.stat().st_size for p in chunks) / 1e3:.0f} kB at most,"
        f" {fragments / 1e6:.1f} MB of fragments"
    )
    print(f"{'':9}the page's own search script and style: {ui_bytes(site) / 1e3:.0f} kB, loaded with every page")
    for query, shown, total, sizes, seen in first_queries(site, queries):
        parts = ", ".join(f"{kind} {size / 1e3:.0f} kB" for kind, size in sorted(sizes.items()))
        print(
            f"{'':9}first query {query!r:20} ({shown}): {total / 1e3:4.0f} kB = {parts}"
            f" (Chromium's responses: {seen / 1e3:.0f} kB)"
        )


def ui_bytes(site: Path) -> int:
    return sum((site / "assets" / name).stat().st_size for name in ("search.js", "search.css"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("counts", nargs="*", type=int, default=[2000, 10000], help="sizes of the synthetic sites")
    parser.add_argument("--site", type=Path, action="append", help="measure a site already built instead")
    parser.add_argument("--query", action="append", help=f"the queries to measure (default: {', '.join(QUERIES)})")
    parser.add_argument("--max-words", type=int, default=MAX_WORDS, help="words per shard of the index, at most")
    args = parser.parse_args()
    queries = tuple(args.query or QUERIES)
    for folder in args.site or []:
        print(folder)
        measure(folder, queries, args.max_words)
    for count in [] if args.site else args.counts:
        run(count, queries, args.max_words)


if __name__ == "__main__":
    main()
