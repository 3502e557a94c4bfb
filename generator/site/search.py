"""The site's search index: Pagefind, run over the built site after each build.

Material's own search puts every page's text into one file that a reader's
browser downloads before the first result (45 MB at 10,000 synthetic
briefings). Pagefind (the binary that `pagefind[extended]` ships in its wheel,
run here as a command) splits its index into chunks by word: a first query
downloads Pagefind's script and WebAssembly, the site's page list and the
chunk(s) that hold the query's words, then one fragment per result shown.

What is indexed is chosen in the templates, not here:

- a briefing page's `<article data-pagefind-body>` (generator/templates/briefing.html.j2),
  with `data-pagefind-ignore` on what is not the briefing's own text (the related
  and story lists, the section headings) and `data-pagefind-weight` on its title,
  people and topics;
- a person's, organization's, country's or group's page (generator/templates/actor.html.j2)
  and a story's page (generator/templates/story.html.j2) by their head only: the name,
  weighted 10 and kept as meta `name`, which the site's script ranks twice a title
  (Pagefind's `metaWeights`, docs/assets/search.js), so a name finds its page first,
  then the briefings naming it; and an actor's roles, weighted low (so a briefing
  ranks first for any other word); `kind` meta Person, Organization, Country, Group or
  Story, `about` how many briefings. Only at the list's first address: the numbered
  pages `page/N/` hold no `data-pagefind-body`. Their lists of briefings, which repeat
  the briefings' titles and summaries, are not indexed;
- a hand-written guide page's content (overrides/main.html), at a low weight, so
  that a briefing ranks above a guide page whose example uses the same words.

Every other page (home, archive and its months, the lists of people, stories and
topics, the topics' pages, the numbered pages of any list) has no
`data-pagefind-body`, and is not even shown to Pagefind.

Pagefind holds every word it indexes in memory, about 340 bytes each: 0.87 GB
for 10,000 synthetic briefings of 245 words, 3.2 GB for 10,000 briefings the
size of the seed one (980 words). So a large site is indexed in shards of at
most `MAX_WORDS` words, each by its own run of Pagefind, each kept near 0.5 GB:
the first is the bundle `pagefind/`, the others `pagefind/shard-N/`, listed in
`pagefind/shards.json`; the site's script merges them in the browser
(Pagefind's `mergeIndex`), which loads each shard's page list and chunks but
only one WebAssembly.

Pagefind works offline: nothing is downloaded when it runs, nor when the site is read.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from generator.store.cache import Store

#: Where in the built site the index and its scripts go: the site's script loads `pagefind/pagefind.js`.
BUNDLE_DIR = "pagefind"
#: The list of the bundles to merge into the first one, in the first one: {"merge": ["shard-1/", ...]}.
SHARDS_FILE = "shards.json"
#: The words Pagefind indexes in one run, at most (about 0.5 GB of memory).
MAX_WORDS = 1_500_000
#: Files Pagefind always writes into its bundle: a folder holding one is Pagefind's, and is replaced.
_BUNDLE_MARKERS = ("pagefind-entry.json", "pagefind.js")
#: What a merged shard needs of its bundle: the rest (scripts, styles, WebAssembly) comes from the first.
_SHARD_KEEPS = re.compile(r"pagefind-entry\.json|.*\.pf_meta|index|fragment|filter")
#: The distributions that ship Pagefind's binary in their wheel: `pagefind[extended]` installs the first
#: (it also segments Chinese and Japanese text), `pagefind[bin]` the second.
_BINARY_MODULES = ("pagefind_bin_extended", "pagefind_bin")
#: An element that marks what of its page Pagefind indexes: a page without one is left out.
_BODY = re.compile(rb"<[a-zA-Z][^>]*\sdata-pagefind-body[\s=/>]")
_TAG = re.compile(rb"<[^>]*>")
_FRAGMENT_SIGNATURE = b"pagefind_dcd"
#: Indexing 10,000 briefings takes well under a minute; a run ten times longer is stuck.
TIMEOUT_SECONDS = 600


class SearchIndexError(Exception):
    """The search index could not be made: the message says why, for a person."""


@dataclass(frozen=True)
class SearchIndexResult:
    """What one indexing made."""

    #: The folder holding the index and its scripts, `<site>/pagefind`.
    bundle: Path
    #: Pages in the index: briefings, guide pages, and the first page of each actor and story.
    pages: int
    #: Runs of Pagefind, each writing one bundle: `pagefind/` and `pagefind/shard-N/`.
    shards: int
    #: The index's files, added up, in bytes (scripts and WebAssembly included).
    bytes: int
    #: How long Pagefind ran, all shards.
    seconds: float
    #: The largest peak resident memory of a run of Pagefind in bytes, where the system reports it (not on Windows).
    peak_memory: int | None
    #: What Pagefind printed.
    log: str
    #: Whether every shard was the one kept from an earlier run over exactly the same pages.
    reused: bool = False
    #: The shards Pagefind made in this run (the others were kept ones).
    made: int = 0


def pagefind_executable() -> Path:
    """The Pagefind binary that the installed `pagefind[extended]` (or `pagefind[bin]`) ships in its wheel."""
    for name in _BINARY_MODULES:
        try:
            module = __import__(name)
        except ImportError:
            continue
        path = Path(module.get_executable())
        if path.is_file():
            return path
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    if found:
        return Path(found)
    raise SearchIndexError(
        "Pagefind is not installed, so the site has no search index:"
        " install the project again (`pip install -e .`, or `make setup`), which installs pagefind[extended]"
    )


def pages_to_index(site_dir: Path) -> dict[Path, int]:
    """The built pages that hold an element marked `data-pagefind-body`, relative to `site_dir`, each with
    an estimate of the words Pagefind will index there (those from the marked element to the page's end)."""
    return _scan_pages(site_dir, {})[0]


def shard(pages: dict[Path, int], max_words: int = MAX_WORDS) -> list[list[Path]]:
    """`pages` dealt into enough shards to keep each near or under `max_words` words (the words of a page
    larger than that make a shard of their own), each page by a digest of its path.

    Dealt, not cut in runs, so that every shard holds briefings of every period and its word
    statistics, which rank the results, are alike; by the digest of the path, so that a new page
    changes one shard, not every one after it, and a kept index of each other shard is still good
    (`index_site`). The briefings' pages are dealt apart from the others (people, stories, guides),
    whose counts of briefings change with every new one: a new briefing makes again its own shard,
    its neighbour's, and the small shard(s) of the others. A site whose pages fit in one shard has one.
    """
    if sum(pages.values()) <= max_words * _FILL:  # one shard holds them all
        return [list(pages)]
    briefings = {page: words for page, words in pages.items() if page.parts[0] == "briefings"}
    others = {page: words for page, words in pages.items() if page not in briefings}
    shards = [*_dealt(others, max_words), *_dealt(briefings, max_words)]
    return shards or [[]]


def _dealt(pages: dict[Path, int], max_words: int) -> list[list[Path]]:
    total = sum(pages.values())
    count = min(max(1, math.ceil(total / max(1, max_words * _FILL))), len(pages) or 1)
    shards: list[list[Path]] = [[] for _ in range(count)]
    for page in pages:
        shards[_deal(page, count)].append(page)
    return [chunk for chunk in shards if chunk]  # few pages dealt over many shards may miss one


#: How full a shard is planned: pages dealt by digest fill shards unevenly, by a few per cent.
_FILL = 0.85


def _deal(page: Path, count: int) -> int:
    digest = hashlib.sha256(page.as_posix().encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count


def index_site(
    site_dir: Path,
    *,
    executable: Path | None = None,
    max_words: int = MAX_WORDS,
    keep: Store | None = None,
    vouched: dict[str, str] | None = None,
) -> SearchIndexResult:
    """Index the built site in `site_dir` with Pagefind, writing `site_dir/pagefind/`.

    Pagefind is shown only the pages it indexes (those with a `data-pagefind-body`
    element), linked into a temporary folder: it holds every page it reads in memory,
    and the pages it does not index (home, the archive and its months, the topics'
    pages, the numbered pages of every list) would add to its peak for nothing.

    An index left by an earlier run is replaced whole, so `mkdocs serve`, which builds
    into the same folder again and again, never serves a stale chunk. A `pagefind/`
    folder that Pagefind did not write (a page of the site published there) is refused
    rather than deleted.

    With `keep`, a store of the cache (`cache.Store`), each shard is kept there after it is
    made, and a shard kept from a run over exactly the same pages (same paths, same bytes,
    same Pagefind and options) is copied instead of being made again: each of its files
    only if its bytes are those kept (else that shard is made again). Pages are dealt into
    shards by a digest of their path (`shard`), so a new briefing makes one shard again.
    `vouched` gives the SHA-256 of pages whose bytes the caller knows (by their path in the site: the
    pages it copied from its own checked store), which are then not read again.
    """
    site_dir = site_dir.resolve()
    bundle = _clear_bundle(site_dir)
    program = str(executable or pagefind_executable())
    options = f"{max_words} {Path(program).name} {_pagefind_version()}"
    known: dict[str, int] = _kept_words(keep) if keep is not None else {}
    pages, digests, seen = _scan_pages(site_dir, known, vouched)
    shards = shard(pages, max_words)
    # Only the options given here: no PAGEFIND_* variable, and no pagefind.yml in the working folder.
    env = {key: value for key, value in os.environ.items() if not key.upper().startswith("PAGEFIND_")}
    logs, peaks = [], []
    start = time.perf_counter()
    used: set[str] = set()
    made = 0
    for number, chunk in enumerate(shards):
        output = bundle if number == 0 else bundle / f"shard-{number}"
        key = _shard_key(options, number == 0, {page: digests[page] for page in chunk})
        used.add(key)
        if keep is not None and _restore_shard(keep, key, output):
            continue
        made += 1
        with _staging(site_dir) as staging:
            for page in chunk:
                _link(site_dir / page, staging / page)
            command = [program, "--site", str(staging), "--output-path", str(output)]
            log, code, peak = _run(command, cwd=staging, env=env)
        logs.append(log)
        peaks.append(peak)
        _check_shard(site_dir, output, code, log, first=number == 0)
        if keep is not None:
            _keep_shard(keep, key, output)
    seconds = time.perf_counter() - start
    merge = {"merge": [f"shard-{number}/" for number in range(1, len(shards))]}
    (bundle / SHARDS_FILE).write_text(json.dumps(merge) + "\n", encoding="utf-8")
    peak = None if None in peaks or not peaks else max(p for p in peaks if p is not None)
    if keep is not None:
        _keep_only(keep, used, seen)
    return _result(bundle, len(shards), seconds, peak, "\n".join(logs), reused=made == 0, made=made)


def _clear_bundle(site_dir: Path) -> Path:
    """The index's folder in the site, emptied of an index left by an earlier run; refused when it holds
    something Pagefind did not write."""
    if not site_dir.is_dir():
        raise SearchIndexError(f"{site_dir} holds no built site to index")
    bundle = site_dir / BUNDLE_DIR
    if bundle.exists():
        if not bundle.is_dir() or not any((bundle / name).is_file() for name in _BUNDLE_MARKERS):
            raise SearchIndexError(
                f"{bundle} is not a search index the site made, and the index goes there:"
                f" move or rename what is published at /{BUNDLE_DIR}/"
            )
        shutil.rmtree(bundle)
    return bundle


def _check_shard(site_dir: Path, output: Path, code: int, log: str, *, first: bool) -> None:
    """A shard Pagefind made: refused if it failed; a shard after the first keeps only what merging needs."""
    if code != 0:
        raise SearchIndexError(f"Pagefind failed (exit {code}) indexing {site_dir}:\n{log.strip()}")
    if not (output / "pagefind-entry.json").is_file():
        raise SearchIndexError(f"Pagefind wrote no index into {output}:\n{log.strip()}")
    if first:
        return
    for path in output.iterdir():
        if _SHARD_KEEPS.fullmatch(path.name):
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def _result(
    bundle: Path, shards: int, seconds: float, peak: int | None, log: str, reused: bool = False, made: int = 0
) -> SearchIndexResult:
    indexed = sum(1 for _ in bundle.rglob("*.pf_fragment"))
    size = sum(path.stat().st_size for path in bundle.rglob("*") if path.is_file())
    return SearchIndexResult(bundle, indexed, shards, size, seconds, peak, log, reused, made)


#: In a store that keeps an index: each shard's files under `shard/<key>/`, its key naming the pages it
#: was made from (their paths and bytes), whether it is the first, and Pagefind and its options; and the
#: words of each page indexed, by the digest of its bytes, so that only new pages are counted again.
_KEPT_SHARDS = "shard/"
_WORDS_FILE = "words.json"


def _scan_pages(
    site_dir: Path, known: dict[str, int], digests_of: dict[str, str] | None = None
) -> tuple[dict[Path, int], dict[Path, str], dict[str, int]]:
    """`pages_to_index` and the SHA-256 of each of those pages' bytes; a page whose digest is in `known`
    is not counted again, and one whose digest `digests_of` gives (by its path in the site, its bytes
    vouched for by whoever wrote it) is not even read when `known` has it. Also the words of every page
    seen, by digest, -1 for a page not indexed: the next run's `known`."""
    pages: dict[Path, int] = {}
    digests: dict[Path, str] = {}
    seen: dict[str, int] = {}
    vouched = digests_of or {}
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir)
        if relative.parts[0] == BUNDLE_DIR or not path.is_file():
            continue
        digest = vouched.get(relative.as_posix())
        words = known.get(digest) if digest is not None else None
        if words is None:
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            words = known.get(digest)
            if words is None:
                body = _BODY.search(data)
                words = len(_TAG.sub(b" ", data[body.start() :]).split()) if body else -1
        assert digest is not None
        seen[digest] = words
        if words >= 0:
            pages[relative] = words
            digests[relative] = digest
    return pages, digests, seen


def _shard_key(options: str, first: bool, pages: dict[Path, str]) -> str:
    digest = hashlib.sha256(f"{options}\n{first}\n".encode())
    for page in sorted(pages):
        name = page.as_posix().encode("utf-8", "surrogateescape")
        digest.update(len(name).to_bytes(8, "big") + name + pages[page].encode("ascii"))
    return digest.hexdigest()


def _kept_words(keep: Store) -> dict[str, int]:
    data = keep.read(_WORDS_FILE)
    try:
        words = json.loads(data) if data is not None else {}
    except ValueError:
        return {}
    if not isinstance(words, dict):
        return {}
    return {k: v for k, v in words.items() if isinstance(k, str) and type(v) is int and v >= -1}


def _restore_shard(keep: Store, key: str, output: Path) -> bool:
    """Copy the shard kept under `key` into `output`, every file as it was kept; False (and nothing left
    in `output`) when there is none, or any of its files is not as kept."""
    prefix = f"{_KEPT_SHARDS}{key}/"
    files = sorted(path for path in keep.entries if path.startswith(prefix))
    if prefix + "pagefind-entry.json" not in files:
        return False
    for path in files:
        data = keep.read(path)
        if data is None:
            shutil.rmtree(output, ignore_errors=True)
            return False
        target = output / path.removeprefix(prefix)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return True


def _keep_shard(keep: Store, key: str, output: Path) -> None:
    """Keep a copy of a shard just made (for the first, its own files: the other shards come after it)."""
    for path in sorted(output.rglob("*")):
        relative = path.relative_to(output)
        if relative.parts[0].startswith("shard-") or relative.as_posix() == SHARDS_FILE:
            continue
        if path.is_file() and not path.is_symlink():
            keep.write(f"{_KEPT_SHARDS}{key}/{relative.as_posix()}", path.read_bytes())


def _keep_only(keep: Store, used: set[str], words: dict[str, int]) -> None:
    """Let go the shards this run did not use, and every entry of another form; keep the pages' words."""
    for path in sorted(keep.entries):
        parts = path.split("/")
        if not (path == _WORDS_FILE or (parts[0] + "/" == _KEPT_SHARDS and len(parts) > 2 and parts[1] in used)):
            keep.delete(path)
    keep.write(_WORDS_FILE, json.dumps(words, sort_keys=True, separators=(",", ":")))
    keep.save()


def _pagefind_version() -> str:
    for package in ("pagefind_bin_extended", "pagefind_bin", "pagefind"):
        try:
            return f"{package} {metadata.version(package.replace('_', '-'))}"
        except metadata.PackageNotFoundError:
            continue
    return "unknown"


@dataclass(frozen=True)
class IndexedPage:
    """A page as the search index holds it (its fragment): what a result shows, and the text searched."""

    #: The page's address from the site's root: `/briefings/<slug>/`.
    url: str
    #: Its `title` (the first h1 of the indexed part), `date`, and `kind` for a page that is not a briefing
    #: (Guide, Person, Organization, Country, Group, Story), with `name` and `about` (how many briefings) for
    #: the last five.
    meta: dict[str, str]
    #: The indexed text, as text (not HTML): what was written, markup characters and all.
    content: str


def indexed_pages(site_dir: Path) -> dict[str, IndexedPage]:
    """Every page in the site's search index, all shards, by address: for tests and for looking into an index.
    (Pagefind's fragment files: gzip, the signature `pagefind_dcd`, then JSON.)"""
    pages = {}
    for path in sorted((site_dir / BUNDLE_DIR).rglob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        if not data.startswith(_FRAGMENT_SIGNATURE):
            raise SearchIndexError(f"{path} is not a Pagefind fragment this version reads")
        fragment = json.loads(data[len(_FRAGMENT_SIGNATURE) :])
        url = fragment["url"]
        pages[url] = IndexedPage(url, dict(fragment.get("meta") or {}), fragment.get("content") or "")
    return pages


@contextlib.contextmanager
def _staging(site_dir: Path) -> Iterator[Path]:
    """A temporary folder beside the site (so that its pages can be hard-linked there), else in the system's."""
    try:
        folder = tempfile.TemporaryDirectory(prefix=".pagefind-pages-", dir=site_dir.parent)
    except OSError:
        folder = tempfile.TemporaryDirectory(prefix="pagefind-pages-")
    with folder as name:
        yield Path(name)


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(source, target)


def _run(command: list[str], *, cwd: Path, env: dict[str, str]) -> tuple[str, int, int | None]:
    """Run `command`; its output, its exit code and its peak resident memory in bytes (None where unknown)."""
    try:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
    except OSError as exc:
        raise SearchIndexError(f"Pagefind could not be started ({command[0]}): {exc}") from None
    assert process.stdout is not None
    if not hasattr(os, "wait4"):  # Windows: no resource usage of a child
        try:
            out, _ = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise SearchIndexError(f"Pagefind ran for more than {TIMEOUT_SECONDS} s and was stopped") from None
        return out.decode("utf-8", "replace"), process.returncode, None
    timer = _Deadline(process, TIMEOUT_SECONDS)
    try:
        out = process.stdout.read()
        process.stdout.close()
        # wait4 rather than Popen.wait: it also reports the child's peak memory.
        _, status, usage = os.wait4(process.pid, 0)
    except ChildProcessError:  # reaped by the deadline's kill (Popen.poll) as it ended
        status, usage = None, None
    finally:
        timer.cancel()
    if timer.fired:
        raise SearchIndexError(f"Pagefind ran for more than {TIMEOUT_SECONDS} s and was stopped")
    if status is None or usage is None:
        return out.decode("utf-8", "replace"), process.wait(), None
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    peak = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return out.decode("utf-8", "replace"), process.returncode, peak


class _Deadline:
    """Kills a process still running after `seconds`."""

    def __init__(self, process: subprocess.Popen[bytes], seconds: float) -> None:
        self.fired = False
        self._process = process
        self._timer = threading.Timer(seconds, self._kill)
        self._timer.daemon = True
        self._timer.start()

    def _kill(self) -> None:
        self.fired = True
        self._process.kill()

    def cancel(self) -> None:
        self._timer.cancel()
