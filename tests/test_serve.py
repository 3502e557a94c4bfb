"""`mkdocs serve` rebuilds only what an edit changed, and the result is the site a full build makes.

Each test runs a real `mkdocs serve` on a project of 70 briefings (so that the
lists of one actor, story and topic run to numbered pages), edits it as a
person would, waits for the rebuild, and compares every file the server
publishes, byte for byte, with a fresh build of the same files.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from generator.store.cache import ENV_VAR
from tests.conftest import MINIMAL, SEED
from tests.sitebuild import cache_of, listed, make_project, publish_sources

COUNT = 70
START = dt.date(2024, 1, 1)
BURNS = {"name": "William Burns", "role": "Director, CIA"}
AFTERWARDS = "briefings: feed, export and search index made again"


def _slug(i: int) -> str:
    return f"{(START + dt.timedelta(days=i)).isoformat()}-event-{i}"


def _briefing(i: int, **changes: object) -> str:
    data = yaml.safe_load(MINIMAL)
    data.update(
        date=(START + dt.timedelta(days=i)).isoformat(),
        title=f"Event number {i}",
        summary=f"Summary of event {i}.",
        story="Long story",
        topics=["Long topic", f"Topic {i % 3}"],
        who=[BURNS, {"name": f"Person {i % 4}"}],
    )
    data.update(changes)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _write(root: Path, i: int, **changes: object) -> Path:
    path = root / "briefings" / f"{_slug(i)}.yaml"
    path.write_text(_briefing(i, **changes), encoding="utf-8")
    return path


@dataclass
class Served:
    root: Path
    url: str
    log: Path
    tmp: Path

    def logged(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def site(self) -> Path:
        (folder,) = self.tmp.glob("mkdocs_*")
        return folder

    def settle(self, change: object, *, full: bool = False) -> str:
        """Make a change and wait until its rebuild, and the work after it, are done; the rebuild's log line."""
        lines = len(self.logged().splitlines())
        change()  # type: ignore[operator]
        deadline = time.monotonic() + 120

        def new() -> str:
            return "\n".join(self.logged().splitlines()[lines:])

        def done() -> bool:
            if full:
                return "search: " in new()  # a full build's last step: the index, in on_post_build
            return AFTERWARDS in new() or "nothing else to make" in new()

        while not done():
            assert "Traceback" not in self.logged(), self.logged()
            assert time.monotonic() < deadline, f"no rebuild:\n{self.logged()}"
            time.sleep(0.1)
        return new()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    yield from _serve(tmp_path, warm=False)


@pytest.fixture
def served_warm(tmp_path: Path) -> Iterator[Served]:
    """`mkdocs serve` started with the cache of a `mkdocs build` of the same project: its first build
    copies every page it can instead of rendering it."""
    yield from _serve(tmp_path, warm=True)


def _serve(tmp_path: Path, *, warm: bool) -> Iterator[Served]:
    root = make_project(tmp_path / "p", briefings=False)
    publish_sources(root)  # the source pages too: each edit must leave them as a full build makes them
    shutil.copy(SEED, root / "seeds" / SEED.name)
    for i in range(COUNT):
        _write(root, i)
    port = _free_port()
    if warm:  # built as the server builds: with drafts, at its own address, with the project's cache
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        url = f"http://127.0.0.1:{port}/"
        script = (
            "import sys\n"
            "from mkdocs.commands.build import build\n"
            "from mkdocs.config import load_config\n"
            "config = load_config('mkdocs.yml', site_dir='warm-site')\n"
            "config.plugins.on_startup(command='serve', dirty=False)\n"
            "config.site_url = sys.argv[1]\n"
            "build(config, serve_url=sys.argv[1])\n"
        )
        subprocess.run([sys.executable, "-c", script, url], cwd=root, check=True, capture_output=True, env=env)
        shutil.rmtree(root / "warm-site")
    log = tmp_path / "serve.log"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp)},
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + 120
            while "Serving on" not in log.read_text(encoding="utf-8"):
                assert time.monotonic() < deadline and process.poll() is None, log.read_text(encoding="utf-8")
                time.sleep(0.2)
            yield Served(root, url, log, tmp)
        finally:
            process.terminate()
            process.wait(timeout=60)


def fresh_build(served: Served, into: Path) -> Path:
    """The site a full `mkdocs serve` build makes of the project as it is now (its own cache folder)."""
    script = (
        "import sys\n"
        "from mkdocs.commands.build import build\n"
        "from mkdocs.config import load_config\n"
        "config = load_config('mkdocs.yml', site_dir=sys.argv[1])\n"
        "config.plugins.on_startup(command='serve', dirty=False)\n"
        "config.site_url = sys.argv[2]\n"
        "build(config, serve_url=sys.argv[2])\n"
    )
    subprocess.run(
        [sys.executable, "-c", script, str(into), served.url],
        cwd=served.root,
        check=True,
        capture_output=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", ENV_VAR: str(into.parent / f"{into.name}-cache")},
    )
    return into


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_site(served: Served, tmp_path: Path, name: str) -> dict[str, bytes]:
    """Every file of the served site is the file a fresh build makes, and there is no other."""
    fresh = _tree(fresh_build(served, tmp_path / f"fresh-{name}"))
    live = _tree(served.site())
    assert sorted(set(live) ^ set(fresh)) == [], name
    different = [path for path in fresh if live[path] != fresh[path]]
    assert different == [], name
    return live


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return str(response.read().decode("utf-8"))


def _showing(site: dict[str, bytes], words: str) -> set[str]:
    return {path for path, content in site.items() if words.encode() in content and path.endswith(".html")}


def test_each_edit_rebuilds_only_its_pages_and_gives_the_site_a_full_build_gives(
    served: Served, tmp_path: Path
) -> None:
    """An edited title shows on every page that lists it, and nowhere the old one; then a rename, a
    deletion, a draft, an error, a new briefing, the error fixed, a source changed and a guide edited:
    after each, the served site is byte for byte the site a full build makes."""
    root = served.root
    first = assert_same_site(served, tmp_path, "start")
    old_title = "Event number 69"
    shown_before = _showing(first, old_title + "<")
    # its page, the home page, the archive and its month, the actor's, the story's and topics' lists, neighbours
    assert len(shown_before) >= 8, sorted(shown_before)

    done = served.settle(lambda: _write(root, 69, title="Talks resume in Cairo"))
    assert "1 file(s) checked again" in done, done
    rebuilt = int(re.search(r"briefings: (\d+) page\(s\) rebuilt", done).group(1))  # type: ignore[union-attr]
    assert rebuilt < 40, done  # not the 200-odd pages of the site
    site = assert_same_site(served, tmp_path, "title")
    assert _showing(site, old_title + "<") == set()
    assert _showing(site, "Talks resume in Cairo") >= shown_before
    assert "Talks resume in Cairo" in _get(served.url + f"briefings/{_slug(69)}/")

    renamed = root / "briefings" / "2024-03-10-renamed.yaml"
    served.settle(lambda: (root / "briefings" / f"{_slug(69)}.yaml").rename(renamed))
    site = assert_same_site(served, tmp_path, "rename")
    assert f"briefings/{_slug(69)}/index.html" not in site
    assert "briefings/2024-03-10-renamed/index.html" in site

    served.settle(lambda: (root / "briefings" / f"{_slug(68)}.yaml").unlink())
    site = assert_same_site(served, tmp_path, "delete")
    assert _showing(site, "Event number 68<") == set()

    served.settle(lambda: _write(root, 67, draft=True))
    assert_same_site(served, tmp_path, "draft")

    served.settle(lambda: _write(root, 66, quotes=[{"text": "words nobody said", "speaker": "William Burns"}]))
    site = assert_same_site(served, tmp_path, "error")
    assert _showing(site, "Event number 66<") == set()
    assert "Errors in" in site[f"briefings/{_slug(66)}/index.html"].decode()

    served.settle(lambda: _write(root, 80, title="A new briefing", story="Short story"))
    site = assert_same_site(served, tmp_path, "new")
    assert "A new briefing" in site["index.html"].decode()
    assert "stories/short-story/feed.xml" in site  # a new story's feed, written after the rebuild
    assert "stories/short-story/feed.xml" in listed(cache_of(root) / "pages")

    served.settle(lambda: _write(root, 66))
    assert_same_site(served, tmp_path, "fixed")

    served.settle(lambda: _write(root, 80, title="A new briefing"))  # back in the long story
    site = assert_same_site(served, tmp_path, "story gone")
    assert not any(path.startswith("stories/short-story/") for path in site)
    assert not (cache_of(root) / "pages" / "stories" / "short-story").exists()

    seed = root / "seeds" / SEED.name
    text = seed.read_text(encoding="utf-8")
    quoted = yaml.safe_load(MINIMAL)["quotes"][0]["text"]
    assert quoted in text
    done = served.settle(lambda: seed.write_text(text.replace(quoted, "something else"), encoding="utf-8"))
    assert f"{COUNT} file(s) checked again" in done, done
    site = assert_same_site(served, tmp_path, "source")
    assert _showing(site, "Event number 1<") == set()  # every briefing quoting it is in error now

    guide = next((root / "docs").glob("*.md"))
    served.settle(lambda: guide.write_text(guide.read_text(encoding="utf-8") + "\nA new line.\n"), full=True)
    assert_same_site(served, tmp_path, "guide")


def test_a_server_started_warm_copies_pages_and_each_edit_still_gives_the_full_builds_site(
    served_warm: Served, tmp_path: Path
) -> None:
    """Started with a kept cache, the server's first build copies the pages it kept; an edit then renders
    the pages it changes, those copied included, and removes the ones gone: each time, the served site is
    byte for byte the site a full build makes."""
    served = served_warm
    root = served.root
    assert re.search(r"briefings: \d+ page\(s\) rendered, [1-9]\d* taken whole", served.logged()), served.logged()
    assert_same_site(served, tmp_path, "start")
    served.settle(lambda: _write(root, 40, title="Talks resume in Cairo"))
    site = assert_same_site(served, tmp_path, "title")
    assert _showing(site, "Event number 40<") == set()
    served.settle(lambda: (root / "briefings" / f"{_slug(30)}.yaml").unlink())
    site = assert_same_site(served, tmp_path, "delete")
    assert f"briefings/{_slug(30)}/index.html" not in site
    served.settle(lambda: _write(root, 90, title="A new briefing"))
    assert "A new briefing" in assert_same_site(served, tmp_path, "new")["index.html"].decode()


def test_a_save_that_changes_nothing_rewrites_nothing(served: Served) -> None:
    """Saving a briefing unchanged checks it again and writes no file, into the cache or the site."""
    cache = cache_of(served.root) / "pages"
    site = served.site()

    def stamps() -> dict[str, int]:
        return {
            str(p): p.stat().st_mtime_ns
            for folder in (cache, site)
            for p in folder.rglob("*")
            if p.is_file() and "pagefind" not in p.parts and p.name not in ("sitemap.xml", "sitemap.xml.gz")
        }

    before = stamps()
    time.sleep(0.05)
    path = served.root / "briefings" / f"{_slug(5)}.yaml"
    done = served.settle(lambda: path.write_bytes(path.read_bytes()))
    assert "briefings: 0 page(s) rebuilt" in done and "1 file(s) checked again" in done, done
    assert stamps() == before
