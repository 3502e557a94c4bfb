"""One table for the site at scale: checking, generating, building, searching, editing, and a peer.

    .venv/bin/python benchmarks/bench_scale.py [N ...] [--skip-peer] [--skip-serve] [--skip-floor]
                                               [--skip-generate] [--rounds R] [--ref REF]
                                               (default: 200 2000 10000)

At the start it copies generator/, mkdocs.yml, overrides/ and docs/ into a
snapshot, from the working tree or, with --ref, from a commit (`git archive`),
and every N is measured with that snapshot (subprocesses import generator/ from
it through PYTHONPATH, and so do the steps run in this process), so that edits
made to the working tree during a long run change nothing in its table. MkDocs
finds the plugin through the entry point installed in the virtual environment:
a --ref whose package layout differs from the installed one cannot run; measure
such a commit from its own extracted tree and virtual environment instead. For each N it writes, into a
temporary copy of the snapshot's site setup, N synthetic briefings with their
source texts (benchmarks/synthetic.py), makes sure `briefing check` passes them,
and measures, one step after another (never two at once):

- check: best of --rounds of `check_collection` (everything `briefing check`
  does) against only loading the same files with libyaml's CSafeLoader, as
  benchmarks/bench_check.py does; and the `briefing check` command once;
- generation: `generator.site.build.build_site` in this process (the generator alone:
  checking and rendering every page into memory), and the `briefing render`
  command writing the site as Markdown into a folder;
- `mkdocs build` cold (no site/, no cache), then warm (again, the plugin's
  cache kept), each against the FLOOR: MkDocs and Material building the same
  generated Markdown (`briefing render`'s output, with the hand-written pages
  and overrides/) with the site's plugins minus ours and its hooks (the search
  hook is ours too), and Material's search plugin on (see `make_floor`); then
  with one briefing added (a copy of the newest, retitled); and the cache's
  size, raw and as zstd -3 compresses it (what the workflow restores);
- each command's wall time, CPU time (user + system) and peak resident memory,
  from os.wait4: ru_maxrss of that process, or of a child it ran and waited for if
  larger (Pagefind, which the search hook runs), in MB of 2^20 bytes; CPU time
  includes those children's; and the peak of the whole process group (the
  command and every process under it, Pagefind included, added up), sampled
  from /proc every 0.2 s;
- the built site: bytes without the theme's assets/, mean bytes of a briefing
  page, and what a reader downloads before a search's first result (see
  `search_download`), for our site and for the floor's Material search;
- the edit loop: `mkdocs serve` on the copy; one figure's label is edited --edits times (10) in one
  briefing, and the time from that save until the served page shows it;
- the peer: Material's blog plugin building the same N briefings as posts.

It prints a Markdown table (rows: figures, columns: N) and the machine; progress
goes to stderr. It prints figures; it asserts nothing. Linux only (ru_maxrss in KB,
/proc). The machine may be shared: each build's CPU time next to its wall time shows
when it waited for the processor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import gzip
import html
import io
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.utils.yaml import yaml_load

from benchmarks.bench_site import PROJECT, folder_bytes, make_site

# generator is imported in the functions that use it, after main() has put the snapshot first on sys.path.

#: Any site_url will do; fixed, so that a SITE_URL in the environment changes nothing.
SITE_URL = "https://briefings.example.org/"
PYTHON = sys.executable
#: What the edit loop appends to a figure's label: letters only, so no escaping changes it on the page.
EDIT = " edited"
#: Material's search worker, which loads the index: the first query's download besides the index itself.
SEARCH_WORKER = "assets/javascripts/workers/search.*.min.js"
#: Results Pagefind's own UI shows (and loads a fragment each for) at first; the site's search script says
#: how many it shows (`var PAGE = 10;` in assets/search.js), and that is used when it is there.
PAGEFIND_FIRST_RESULTS = 5
#: What main() puts on sys.path and the subprocesses' PYTHONPATH: the snapshot of generator/.
SNAPSHOT: Path | None = None


class StepFailed(Exception):
    """A step did not finish: its cell says why, and the other steps still run."""


# --- running a command, measured ------------------------------------------------------------


@dataclass
class Ran:
    seconds: float
    cpu: float
    rss_mb: float
    output: str
    #: The whole process group's peak (the build and Pagefind together), sampled.
    group_mb: float = 0.0

    def cell(self, count: int | None = None) -> str:
        per = f" = {self.seconds / count * 1000:.1f} ms/briefing" if count else ""
        group = f", group {self.group_mb:.0f} MB" if self.group_mb else ""
        return f"{self.seconds:.2f} s{per} (CPU {self.cpu:.1f} s, {self.rss_mb:.0f} MB{group})"


def environment(**extra: str) -> dict[str, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": SITE_URL, **extra}
    if SNAPSHOT is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(SNAPSHOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    return env


def group_rss(pid: int) -> int:
    """The resident memory of a process and all its descendants, added up, in bytes (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        at = todo.pop()
        try:
            with open(f"/proc/{at}/statm", encoding="ascii") as statm:
                total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{at}/task"):
                with open(f"/proc/{at}/task/{task}/children", encoding="ascii") as children:
                    todo.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return total


class GroupPeak:
    """The largest `group_rss` of a process, sampled every 0.2 s in a thread until `stop`."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, group_rss(self.pid))

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def measured(command: list[str], cwd: Path, timeout: float) -> Ran:
    """Run `command` to its end (killed after `timeout` s): wall and CPU time, peak RSS of that process
    (or a child it waited for, if larger), and the peak of the whole process group's (sampled)."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=environment(), stdout=output, stderr=subprocess.STDOUT)
        killer = threading.Timer(timeout, process.kill)
        killer.start()
        sampler = GroupPeak(process.pid)
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            killer.cancel()
            group = sampler.stop()
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if process.returncode != 0:
        why = f"timed out after {timeout:.0f} s" if seconds >= timeout else f"exit {process.returncode}"
        tail = " | ".join(text.strip().splitlines()[-3:])
        raise StepFailed(f"{' '.join(command[2:4])}: {why}: {tail[:300]}")
    return Ran(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text, group / 2**20)


def mkdocs_build(root: Path, timeout: float) -> Ran:
    return measured([PYTHON, "-m", "mkdocs", "build"], root, timeout)


def indexing(ran: Ran) -> str:
    """The share of a build our search hook reports (Pagefind), if it ran."""
    found = re.search(r"search: ([\d,]+) pages indexed in ([\d.]+) s", ran.output)
    return f"; Pagefind {found.group(2)} s of it ({found.group(1)} pages)" if found else ""


def best(fn: Callable[[], object], rounds: int) -> float:
    seconds = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        fn()
        seconds = min(seconds, time.perf_counter() - start)
    return seconds


# --- the site's figures ------------------------------------------------------------------------


def kib(size: float) -> str:
    return f"{size / 1024:,.0f} KiB" if size < 1024 * 1024 * 10 else f"{size / 1024 / 1024:,.1f} MiB"


def sent(path: Path) -> int:
    """Bytes a server sends for this file: text gzipped (level 6), already compressed files as they are."""
    if path.suffix in {".js", ".css", ".json", ".html"}:
        return len(gzip.compress(path.read_bytes(), 6))
    return path.stat().st_size


def search_download(site: Path) -> tuple[str, str]:
    """What a reader downloads before a search's first result, and how that was counted.

    Material's search (the default): the whole index, search/search_index.json, and
    the worker script that loads it. With a pagefind/ folder (Pagefind's index) that
    is counted instead, estimated: pagefind.js and its worker, pagefind-entry.json,
    the language's wasm and .pf_meta, one index chunk (a one-word query fetches the
    chunk whose range holds the word: the mean chunk; and the largest), the fragments
    of the first results shown (the mean fragment times the results a page of the
    site's search dialog shows, else PAGEFIND_FIRST_RESULTS), and any other
    pagefind/ script or style the home page links (Pagefind's UI). Scripts that every
    page loads anyway (Material's bundle, the site's search.js) are not counted. Both
    raw and as sent: text gzipped; Pagefind's wasm, meta, chunks and fragments are
    compressed already and count as they are. benchmarks/bench_search.py measures a
    first query's download in a browser instead.
    """
    pagefind = site / "pagefind"
    if not pagefind.is_dir():
        files = [site / "search" / "search_index.json", *sorted(site.glob(SEARCH_WORKER))]
        missing = [str(p.relative_to(site)) for p in files if not p.is_file()]
        if missing or len(files) < 2:
            raise StepFailed(f"Material's search files not found ({missing or SEARCH_WORKER})")
        raw = sum(p.stat().st_size for p in files)
        index = files[0].stat().st_size
        return f"{kib(raw)}, gzip {kib(sum(sent(p) for p in files))} (index {kib(index)} raw)", "Material search"
    entry = json.loads((pagefind / "pagefind-entry.json").read_text(encoding="utf-8"))
    languages = entry.get("languages", {})
    if not languages:
        raise StepFailed("pagefind-entry.json lists no language")
    language, info = max(languages.items(), key=lambda item: item[1].get("page_count", 0))
    # pagefind.js runs the search in pagefind-worker.js (Pagefind 1.5) where the browser can.
    fixed = [pagefind / "pagefind.js", pagefind / "pagefind-worker.js", pagefind / "pagefind-entry.json"]
    fixed.append(pagefind / f"wasm.{info.get('wasm') or 'unknown'}.pagefind")
    fixed += sorted(pagefind.glob(f"pagefind.{info.get('hash', '*')}.pf_meta"))
    home = (site / "index.html").read_text(encoding="utf-8", errors="replace")
    linked = set(re.findall(r"pagefind/([\w.-]+\.(?:js|css))", home)) - {p.name for p in fixed}
    fixed += [pagefind / name for name in sorted(linked)]
    fixed = [p for p in fixed if p.is_file()]
    chunks = [p.stat().st_size for p in (pagefind / "index").glob(f"{language}_*.pf_index")]
    fragments = [p.stat().st_size for p in (pagefind / "fragment").glob(f"{language}_*.pf_fragment")]
    if not chunks or not fragments:
        raise StepFailed("pagefind/ holds no index chunk or fragment for its language")
    script = site / "assets" / "search.js"
    per_page = re.search(r"var PAGE = (\d+);", script.read_text(encoding="utf-8")) if script.is_file() else None
    first = int(per_page.group(1)) if per_page else PAGEFIND_FIRST_RESULTS
    shown = first * statistics.mean(fragments)
    total = sum(p.stat().st_size for p in fixed) + statistics.mean(chunks) + shown
    total_sent = sum(sent(p) for p in fixed) + statistics.mean(chunks) + shown
    # A large site is indexed in shards (generator/site/search.py), merged in the browser: a query
    # also loads each other shard's entry, its page list (.pf_meta) and one chunk of its index.
    shards = pagefind / "shards.json"
    merged = json.loads(shards.read_text(encoding="utf-8")).get("merge", []) if shards.is_file() else []
    for name in merged:
        shard = pagefind / name
        files = [shard / "pagefind-entry.json", *sorted(shard.glob("pagefind.*.pf_meta"))]
        files = [p for p in files if p.is_file()]
        shard_chunks = [p.stat().st_size for p in (shard / "index").glob(f"{language}_*.pf_index")]
        chunk = statistics.mean(shard_chunks) if shard_chunks else 0
        total += sum(p.stat().st_size for p in files) + chunk
        total_sent += sum(sent(p) for p in files) + chunk
    return (
        f"{kib(total)}, gzip {kib(total_sent)} (mean of {len(chunks)} chunks + {first} fragments;"
        f" largest chunk +{kib(max(chunks) - statistics.mean(chunks))}; {len(merged) + 1} shard(s))",
        "Pagefind, estimated",
    )


def site_figures(site: Path, count: int) -> dict[str, str]:
    pages = sorted((site / "briefings").glob("*/index.html"))
    content = folder_bytes(site) - folder_bytes(site / "assets")
    download, how = search_download(site)
    return {
        SIZE: f"{content / 1024 / 1024:,.1f} MiB = {content / count:,.0f} B/briefing",
        PAGE: f"{statistics.mean(p.stat().st_size for p in pages):,.0f} B ({len(pages)} pages)",
        SEARCH: f"{download} [{how}]",
    }


# --- the floor and the peer ------------------------------------------------------------------


def read_config(root: Path) -> dict[str, Any]:
    with open(root / "mkdocs.yml", encoding="utf-8") as source:
        return yaml_load(source)


def write_config(folder: Path, config: dict[str, Any]) -> None:
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
    (folder / "mkdocs.yml").write_text(text, encoding="utf-8")


def without_briefings(plugins: Any) -> Any:
    if isinstance(plugins, dict):
        return {name: options for name, options in plugins.items() if name != "briefings"}
    return [p for p in plugins if p != "briefings" and not (isinstance(p, dict) and "briefings" in p)]


def make_floor(root: Path, floor: Path) -> None:
    """MkDocs + Material on the Markdown `briefing render` wrote into floor/docs, without our plugin.

    The same mkdocs.yml (theme, markdown_extensions, nav, extra files), the same overrides/,
    the hand-written pages; `plugins:` without `briefings` and with Material's `search` (added
    when the site does without it); no `hooks:` (the site's hooks are the generator's work:
    the search hook runs Pagefind) and no `watch:` (only for `mkdocs serve`; it names folders
    that are not there).
    """
    for entry in (root / "docs").iterdir():
        if entry.is_dir():
            shutil.copytree(entry, floor / "docs" / entry.name, dirs_exist_ok=True)
        else:
            shutil.copy2(entry, floor / "docs" / entry.name)
    shutil.copytree(root / "overrides", floor / "overrides")
    config = read_config(root)
    plugins = without_briefings(config.get("plugins", []))
    if isinstance(plugins, dict):
        plugins.setdefault("search", {})
    elif not any(p == "search" or (isinstance(p, dict) and "search" in p) for p in plugins):
        plugins.insert(0, "search")
    config["plugins"] = plugins
    config["docs_dir"] = "docs"
    config.pop("hooks", None)
    config.pop("watch", None)
    write_config(floor, config)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---\n"):
        return {}, text
    head, body = text[4:].split("\n---\n", 1)
    meta: dict[str, Any] = yaml.load(head, Loader=yaml.CSafeLoader) or {}
    return meta, body.lstrip("\n")


def make_peer(root: Path, rendered: Path, peer: Path) -> int:
    """The same briefings as Material blog posts; returns how many posts were written."""
    posts = peer / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    (peer / "docs" / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    written = 0
    for page in sorted((rendered / "briefings").glob("*/index.md")):
        slug = page.parent.name
        meta, body = split_front_matter(page.read_text(encoding="utf-8"))
        try:
            day = dt.date.fromisoformat(json.loads(meta["briefing_jsonld"])["datePublished"][:10])
        except (KeyError, ValueError, TypeError):
            day = dt.date.fromisoformat(slug[:10])
        post = {"date": day, "title": html.unescape(str(meta.get("title", slug))), "slug": slug}
        post["categories"] = [str(topic) for topic in meta.get("tags", [])]
        # The excerpt on the blog's lists: the briefing's header (title, date, topics, summary),
        # as our lists show; without a separator Material would put whole posts on its lists.
        body = body.replace("</header>\n", "</header>\n<!-- more -->\n", 1)
        front = yaml.safe_dump(post, sort_keys=False, allow_unicode=True)
        (posts / f"{slug}.md").write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
        written += 1
    (peer / "docs" / "assets").mkdir()
    shutil.copy2(root / "docs" / "assets" / "briefings.css", peer / "docs" / "assets" / "briefings.css")
    shutil.copytree(root / "overrides", peer / "overrides")
    ours = read_config(root)
    config = {
        "site_name": "Peer",
        "site_url": SITE_URL,
        "theme": ours["theme"],
        "extra_css": ["assets/briefings.css"],
        "plugins": ["blog", "search"],
        "markdown_extensions": ours.get("markdown_extensions", []),
        "nav": [{"Blog": "blog/index.md"}],
        "validation": {"nav": {"omitted_files": "ignore"}},
    }
    write_config(peer, config)
    return written


# --- the edit loop -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(url: str, timeout: float) -> str:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # loopback only
            body: bytes = response.read()
            return body.decode("utf-8", "replace")
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return ""


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    lines: list[tuple[float, str]] = field(default_factory=list)

    def read(self) -> None:
        if self.process.stdout is None:
            return
        for raw in self.process.stdout:
            self.lines.append((time.perf_counter(), raw.decode("utf-8", "replace").rstrip()))

    def first(self, text: str, after: float = 0.0) -> tuple[float, str] | None:
        return next(((t, line) for t, line in list(self.lines) if t >= after and text in line), None)

    def wait_for(self, text: str, after: float, timeout: float) -> tuple[float, str]:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            found = self.first(text, after)
            if found:
                return found
            if self.process.poll() is not None:
                tail = " | ".join(line for _, line in self.lines[-3:])
                raise StepFailed(f"mkdocs serve exited {self.process.returncode}: {tail[:300]}")
            time.sleep(0.05)
        raise StepFailed(f"no {text!r} from mkdocs serve within {timeout:.0f} s")

    def stop(self) -> tuple[float, float]:
        """Stop it as Ctrl-C does (it removes its temporary site): CPU seconds and peak RSS (MB)."""
        self.process.send_signal(signal.SIGINT)
        killer = threading.Timer(30, self.process.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(self.process.pid, 0)
        finally:
            killer.cancel()
        self.process.returncode = os.waitstatus_to_exitcode(status)
        return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def edit_loop(root: Path, timeout: float, edit_timeout: float, edits: int) -> dict[str, str]:
    """`mkdocs serve`; `edits` times, change one figure's label (EDIT and the edit's number appended) and time
    until the served page shows it; the server's start, and the peak of its whole process group throughout."""
    from generator.rules.collection import find_files

    briefing = find_files([root / "briefings"])[0]
    text = briefing.read_text(encoding="utf-8")
    found = re.search(r"^    label: (.+)$", text, re.MULTILINE)
    if not found:
        raise StepFailed(f"no figure label in {briefing.name}")
    label = found.group(1)
    port = free_port()
    url = f"http://127.0.0.1:{port}/briefings/{briefing.stem}/"
    command = [PYTHON, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    temp = root / ".serve-tmp"  # mkdocs serve builds into a temporary folder: keep it in ours
    temp.mkdir()
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=root, env=environment(TMPDIR=str(temp)), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    sampler = GroupPeak(process.pid)
    server = Server(process)
    reader = threading.Thread(target=server.read, daemon=True)
    reader.start()
    shown: list[float] = []
    seen_after: list[float] = []
    rebuilt: list[str] = []
    try:
        ready, _ = server.wait_for("Serving on", start, timeout)
        before = fetch(url, timeout)
        if f">{label}<" not in before:
            raise StepFailed(f"{url} does not show the label {label!r} before the edit")
        for number in range(1, edits + 1):
            marker = f"{EDIT} {number}"
            edited = text[: found.end()] + marker + text[found.end() :]
            saved = time.perf_counter()
            briefing.write_text(edited, encoding="utf-8")
            deadline = saved + edit_timeout
            seen = None
            while time.perf_counter() < deadline:
                if f">{label}{marker}<" in fetch(url, max(1.0, deadline - time.perf_counter())):
                    seen = time.perf_counter()
                    break
                time.sleep(0.05)
            if seen is None:
                raise StepFailed(f"edit {number} did not show within {edit_timeout:.0f} s")
            shown.append(seen - saved)
            detected = server.first("Detected file changes", saved)
            if detected:
                seen_after.append(detected[0] - saved)
            built = server.first("page(s) rebuilt", saved) or server.first("Documentation built in", saved)
            reported = re.search(r"(?:built in|, in) ([\d.]+) s", built[1]) if built else None
            if reported:
                rebuilt.append(reported.group(1))
            time.sleep(1.0)  # let the server settle (its reload, the browser's poll) before the next save
    finally:
        cpu, rss = server.stop()
        group = sampler.stop()
        reader.join(timeout=10)
        briefing.write_text(text, encoding="utf-8")
    parts = [f"median of {len(shown)} edits, slowest {max(shown):.2f} s"]
    if seen_after:
        parts.append(f"change seen after {statistics.median(seen_after):.2f} s")
    if rebuilt:
        parts.append(f"rebuilds {', '.join(rebuilt)} s")
    return {
        EDIT_LOOP: f"{statistics.median(shown):.2f} s ({'; '.join(parts)})",
        SERVE: (
            f"{ready - start:.2f} s (server: CPU {cpu:.1f} s, {rss:.0f} MB; whole group's peak through"
            f" {len(shown)} edits {group / 2**20:,.0f} MiB)"
        ),
    }


# --- one N -------------------------------------------------------------------------------------


CHECK_CLI = "`briefing check` (CLI, once)"
YAML = "yaml.load (CSafeLoader), per briefing"
CHECK = "check_collection, per briefing"
CHECK_RATIO = "check ÷ yaml.load"
GENERATE = "build_site in-process (generator alone)"
RENDER = "`briefing render` to a folder"
COLD = "`mkdocs build` cold"
FLOOR = "FLOOR: MkDocs + Material on the same Markdown"
COLD_RATIO = "cold ÷ floor"
WARM = "`mkdocs build` warm, nothing changed"
WARM_RATIO = "warm ÷ floor"
ADDED = "`mkdocs build` warm, one briefing added"
CACHE = "the cache: raw (compressed, zstd -3)"
SIZE = "site size without assets/"
PAGE = "briefing page, mean"
SEARCH = "search: download before the first result"
FLOOR_SEARCH = "FLOOR search (Material): download before the first result"
EDIT_LOOP = "edit loop: save → served page shows it"
SERVE = "`mkdocs serve` start → serving"
PEER = "PEER: Material blog plugin, same briefings as posts"
PEER_RATIO = "peer ÷ ours (cold)"
LOAD = "load average (1 min) before → after"
#: The table's rows, in order.
ROWS = [CHECK_CLI, YAML, CHECK, CHECK_RATIO, GENERATE, RENDER, COLD, FLOOR, COLD_RATIO, WARM, WARM_RATIO, ADDED]
ROWS += [CACHE, SIZE, PAGE, SEARCH, FLOOR_SEARCH, EDIT_LOOP, SERVE, PEER, PEER_RATIO, LOAD]


class Steps:
    """Cells of one column: a step that fails says so in its cells, and the others still run."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.cells: dict[str, str] = {}

    def run(self, rows: list[str], step: Callable[[], dict[str, str]]) -> None:
        name = rows[0]
        progress(f"N={self.count}: {name} ...")
        try:
            self.cells.update(step())
        except (StepFailed, OSError, subprocess.SubprocessError) as exc:
            for row in rows:
                self.cells[row] = f"failed: {exc}".replace("|", "/").replace("\n", " ")[:200]
            progress(f"N={self.count}: {name} FAILED: {exc}")
        for row in rows:
            if row in self.cells:
                progress(f"N={self.count}:   {row}: {self.cells[row]}")


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def ratio(a: Ran | None, b: Ran | None) -> str:
    return f"{a.seconds / b.seconds:.2f}×" if a and b else "n/a"


def run(count: int, args: argparse.Namespace, source: Path) -> dict[str, str]:
    from generator.rules.collection import check_collection, find_files
    from generator.site.build import build_site

    site_options: dict[str, Any]
    try:
        from generator.site.settings import Settings
    except ImportError:  # a snapshot (--ref) from before the site's settings were one value
        site_options = {"site_url": SITE_URL}
    else:
        site_options = {"settings": Settings.of(SITE_URL)}
    steps = Steps(count)
    load = os.getloadavg()[0]
    timeout: float = args.timeout
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        # The builds' cache root (generator.store.cache), in this run's folder: the cold build starts without it.
        cache = Path(tmp) / "cache"
        os.environ["BRIEFINGS_CACHE_DIR"] = str(cache)
        make_site(root, count, source)
        files = find_files([root / "briefings"])
        ran: dict[str, Ran] = {}

        def check_cli() -> dict[str, str]:
            ran["check"] = result = measured([PYTHON, "-m", "generator", "check", "--root", "."], root, timeout)
            summary = result.output.strip().splitlines()[-1]
            return {CHECK_CLI: f"{summary}; {result.cell()}"}

        def check_ratio() -> dict[str, str]:
            def baseline() -> None:
                for path in files:
                    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)

            def check() -> None:
                check_collection([root / "briefings"], root)

            raw = best(baseline, args.rounds)
            ours = best(check, args.rounds)
            return {
                YAML: f"{raw / count * 1e6:,.0f} µs",
                CHECK: f"{ours / count * 1e6:,.0f} µs",
                CHECK_RATIO: f"{ours / raw:.2f}× (best of {args.rounds})",
            }

        def generate() -> dict[str, str]:
            gc.collect()
            start = time.perf_counter()
            site = build_site(root, **site_options)
            seconds = time.perf_counter() - start
            pages = len(site.pages)
            del site
            return {
                GENERATE: f"{seconds:.2f} s = {seconds / count * 1000:.2f} ms/briefing ({pages:,} pages, in memory)"
            }

        floor = Path(tmp) / "floor"
        rendered = floor / "docs"

        def render() -> dict[str, str]:
            command = [PYTHON, "-m", "generator", "render", "--root", ".", "--out", str(rendered)]
            ran["render"] = result = measured(command, root, timeout)
            return {RENDER: result.cell(count)}

        def cold() -> dict[str, str]:
            shutil.rmtree(root / "site", ignore_errors=True)
            shutil.rmtree(root / ".cache", ignore_errors=True)  # where commits before the cache root kept it
            shutil.rmtree(cache, ignore_errors=True)
            ran["cold"] = result = mkdocs_build(root, timeout)
            cell = result.cell(count) + indexing(result)
            return {COLD: cell} | site_figures(root / "site", count)

        def warm() -> dict[str, str]:
            ran["warm"] = result = mkdocs_build(root, timeout)
            return {WARM: result.cell(count) + indexing(result)}

        def added() -> dict[str, str]:
            add_one_briefing(root)
            ran["added"] = result = mkdocs_build(root, timeout)
            return {ADDED: result.cell() + indexing(result)}

        def cache_size() -> dict[str, str]:
            raw = folder_bytes(cache)
            return {CACHE: f"{raw / 2**20:,.0f} MiB ({compressed(cache)})"}

        def floor_build() -> dict[str, str]:
            if "render" not in ran:
                raise StepFailed("no `briefing render` output")
            make_floor(root, floor)
            ran["floor"] = result = mkdocs_build(floor, timeout)
            download, how = search_download(floor / "site")
            shutil.rmtree(floor / "site", ignore_errors=True)
            return {
                FLOOR: result.cell(count),
                FLOOR_SEARCH: f"{download} [{how}]",
            }

        def peer_build() -> dict[str, str]:
            if "render" not in ran:
                raise StepFailed("no `briefing render` output")
            peer = Path(tmp) / "peer"
            posts = make_peer(root, rendered, peer)
            ran["peer"] = result = mkdocs_build(peer, timeout)
            size = folder_bytes(peer / "site") - folder_bytes(peer / "site" / "assets")
            shutil.rmtree(peer, ignore_errors=True)
            return {
                PEER: f"{result.cell(count)}; {posts:,} posts, site without assets/ {size / 1024 / 1024:,.1f} MiB",
            }

        steps.run([CHECK_CLI], check_cli)
        if "check" not in ran or "0 errors, 0 warnings" not in ran["check"].output:
            raise SystemExit(f"N={count}: the synthetic briefings do not pass `briefing check`; nothing measured")
        steps.run([YAML, CHECK, CHECK_RATIO], check_ratio)
        if args.skip_generate:  # holds every page in memory: 7 GB and more at 100,000
            steps.cells[GENERATE] = "skipped (--skip-generate)"
        else:
            steps.run([GENERATE], generate)
        steps.run([RENDER], render)
        steps.run([COLD, SIZE, PAGE, SEARCH], cold)
        steps.run([WARM], warm)
        steps.run([CACHE], cache_size)
        steps.run([ADDED], added)
        if args.skip_floor:
            steps.cells[FLOOR] = steps.cells[FLOOR_SEARCH] = "skipped (--skip-floor)"
        else:
            steps.run([FLOOR, FLOOR_SEARCH], floor_build)
        steps.cells[COLD_RATIO] = ratio(ran.get("cold"), ran.get("floor"))
        steps.cells[WARM_RATIO] = ratio(ran.get("warm"), ran.get("floor"))
        if args.skip_peer:
            steps.cells[PEER] = steps.cells[PEER_RATIO] = "skipped (--skip-peer)"
        else:
            steps.run([PEER], peer_build)
            steps.cells[PEER_RATIO] = ratio(ran.get("peer"), ran.get("cold"))
        if args.skip_serve:
            steps.cells[EDIT_LOOP] = steps.cells[SERVE] = "skipped (--skip-serve)"
        else:
            steps.run([EDIT_LOOP, SERVE], lambda: edit_loop(root, timeout, args.edit_timeout, args.edits))
    steps.cells[LOAD] = f"{load:.2f} → {os.getloadavg()[0]:.2f}"
    return steps.cells


def add_one_briefing(root: Path) -> Path:
    """A briefing more: a copy of the newest, under a name and title of its own, as a person adds one."""
    newest = sorted((root / "briefings").rglob("*.yaml"))[-1]
    path = newest.with_name(newest.stem + "-one-more.yaml")
    text = re.sub(r"^title: .*$", "title: One more briefing", newest.read_text(encoding="utf-8"), count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    return path


def compressed(folder: Path) -> str:
    """The folder as a tar compressed with zstd -3 (what the workflow's cache holds), in MiB, and how long that
    took; or why not."""
    if not shutil.which("zstd"):
        return "zstd not installed"
    start = time.perf_counter()
    tar = subprocess.Popen(["tar", "-cf", "-", "-C", str(folder), "."], stdout=subprocess.PIPE)
    zstd = subprocess.Popen(["zstd", "-3", "-T0", "-c"], stdin=tar.stdout, stdout=subprocess.PIPE)
    assert tar.stdout is not None and zstd.stdout is not None
    tar.stdout.close()  # zstd holds it now
    size = 0
    while chunk := zstd.stdout.read(1 << 20):  # counted, not held
        size += len(chunk)
    zstd.wait()
    tar.wait()
    return f"{size / 2**20:,.0f} MiB compressed in {time.perf_counter() - start:.0f} s"


def machine() -> str:
    cpu = platform.processor()
    try:
        names = re.findall(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
        cpu = names[0] if names else cpu
    except OSError:
        pass
    return (
        f"Machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()};"
        f" Python {platform.python_version()}, MkDocs {version('mkdocs')}, Material {version('mkdocs-material')},"
        f" PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__})"
    )


#: What the snapshot holds: the generator and the site setup.
TREE = ["generator", "overrides", "docs", "mkdocs.yml"]


def git(*arguments: str) -> str:
    done = subprocess.run(["git", *arguments], cwd=PROJECT, capture_output=True, text=True, timeout=60)
    return done.stdout.strip() if done.returncode == 0 else ""


def take_snapshot(into: Path, ref: str | None) -> str:
    """Copy TREE from the working tree, or from commit `ref`, into `into`; say what was taken."""
    taken = time.strftime("%Y-%m-%d %H:%M")
    if ref is None:
        for name in TREE:
            if (PROJECT / name).is_dir():
                shutil.copytree(PROJECT / name, into / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(PROJECT / name, into / name)
        changed = len(git("status", "--porcelain").splitlines())
        return f"Tree: working tree at {taken} (HEAD {git('rev-parse', '--short', 'HEAD')} + {changed} uncommitted)"
    command = ["git", "archive", "--format=tar", ref, *TREE]
    archive = subprocess.run(command, cwd=PROJECT, capture_output=True, timeout=120)
    if archive.returncode != 0:
        raise SystemExit(f"git archive {ref}: {archive.stderr.decode('utf-8', 'replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return f"Tree: commit {git('rev-parse', '--short', ref)} ({ref}), taken {taken}"


def table(counts: list[int], columns: dict[int, dict[str, str]]) -> str:
    lines = [
        "| | " + " | ".join(f"N = {n:,}" for n in counts) + " |",
        "| --- |" + " --- |" * len(counts),
    ]
    for row in ROWS:
        lines.append(f"| {row} | " + " | ".join(columns[n].get(row, "n/a") for n in counts) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("counts", nargs="*", type=int, default=[200, 2000, 10000], metavar="N")
    parser.add_argument("--skip-peer", action="store_true", help="do not build the Material blog peer")
    parser.add_argument("--skip-serve", action="store_true", help="do not time the edit loop in mkdocs serve")
    parser.add_argument("--skip-floor", action="store_true", help="do not build the MkDocs floor (long at 100,000)")
    parser.add_argument(
        "--skip-generate", action="store_true", help="do not build the site in-process (every page held in memory)"
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the in-process check (best of)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds any one command may take")
    parser.add_argument("--edits", type=int, default=10, help="edits made in the edit loop (median and slowest)")
    parser.add_argument("--edit-timeout", type=float, default=600, help="seconds an edit may take to show")
    parser.add_argument("--ref", help="measure this commit's generator and site setup, not the working tree's")
    args = parser.parse_args()
    columns: dict[int, dict[str, str]] = {}
    started = time.perf_counter()
    global SNAPSHOT
    with tempfile.TemporaryDirectory(prefix="bench-scale-tree-") as tree:
        SNAPSHOT = source = Path(tree)
        state = take_snapshot(source, args.ref)
        sys.path.insert(0, str(source))
        # What was imported of generator/ before (benchmarks.bench_site uses it) came from the working tree:
        # forget it, so the steps run in this process import the snapshot's.
        for name in [n for n in sys.modules if n == "generator" or n.startswith("generator.")]:
            del sys.modules[name]
        print(f"{machine()}\n{state}", file=sys.stderr, flush=True)
        for count in args.counts:
            columns[count] = run(count, args, source)
            progress(f"N={count} done, {time.perf_counter() - started:.0f} s so far")
    print(machine())
    print(state)
    print()
    print(table(args.counts, columns))
    print()
    print(
        "Times are wall clock, one run each (the check: best of rounds). (CPU s, MB): user + system time and"
        " peak RSS (MB = 2^20 B) of the command, counting the children it waited for. Sizes: KiB/MiB = 2^10/2^20 B."
    )


if __name__ == "__main__":
    main()
