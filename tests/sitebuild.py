"""Build real sites with real MkDocs in a temporary folder, and read them with an HTML parser."""

from __future__ import annotations

import gzip
import http.server
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup

from generator.store.cache import MANIFEST, cache_root
from tests.conftest import MINIMAL, PROJECT

#: What a site needs from the project besides its briefings and seeds.
SITE_FILES = ("mkdocs.yml", "overrides")
GENERATED = ("index.md", "briefings")


#: The order a reader meets a briefing's sections in, on a phone and a desktop alike: at a glance, what
#: happened, numbers, what's next, who, quotes, sources.
SECTION_IDS = ["glance", "what", "numbers", "next-steps", "who", "quotes", "sources"]


def make_project(root: Path, *, briefings: bool = True) -> Path:
    """A copy of the project's site setup in `root`; with the project's briefings and seeds or empty folders."""
    root.mkdir(parents=True, exist_ok=True)
    for name in SITE_FILES:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    shutil.copytree(PROJECT / "docs", root / "docs", ignore=lambda folder, names: _generated(folder, names))
    if briefings:
        shutil.copytree(PROJECT / "briefings", root / "briefings")
        shutil.copytree(PROJECT / "seeds", root / "seeds")
    else:
        (root / "briefings").mkdir()
        (root / "seeds").mkdir()
    return root


def _generated(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n in GENERATED] if Path(folder) == PROJECT / "docs" else []


def build(
    root: Path, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` in `root`, as a user runs it; `env` adds to the environment."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"mkdocs build failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def cache_of(root: Path) -> Path:
    """Where the builds of the project at `root` keep their state: outside it (`BRIEFINGS_CACHE_DIR`, set by
    the tests' conftest, holds a sub-folder per project)."""
    return cache_root(root.resolve()).resolve()


def build_without_kept(root: Path, site_dir: str) -> subprocess.CompletedProcess[str]:
    """`build` into `site_dir` as if no finished page were kept: the kept ones set aside, then put back."""
    kept = cache_of(root) / "html"
    aside = cache_of(root) / f"aside-{site_dir}"
    kept.rename(aside)
    try:
        return build(root, "--site-dir", site_dir)
    finally:
        shutil.rmtree(kept)
        aside.rename(kept)


def listed(folder: Path) -> list[str]:
    """The paths a store's manifest lists, in its order."""
    lines = (folder / MANIFEST).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# briefings manifest"), lines[:1]
    return [line.split(" ", 1)[1] for line in lines[1:]]


def page(root: Path, address: str) -> BeautifulSoup:
    """The built page at a site address such as `briefings/<slug>/`."""
    path = root / "site" / address / "index.html" if not address.endswith(".html") else root / "site" / address
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text(element: object) -> str:
    """An element's text as a reader sees it: whitespace runs as one space."""
    return " ".join(element.get_text(" ").split())  # type: ignore[attr-defined]


def publish_sources(root: Path) -> None:
    """Turn the option on in the project's mkdocs.yml."""
    config = root / "mkdocs.yml"
    before = config.read_text(encoding="utf-8")
    after = before.replace("  - briefings\n", "  - briefings:\n      publish_sources: true\n", 1)
    assert after != before
    config.write_text(after, encoding="utf-8")


def write_briefing(root: Path, day: str, words: str, **fields: Any) -> str:
    """The small valid briefing (MINIMAL) dated `day`, titled and summarised from `words`, with `fields`
    changed, written to root/briefings/; its slug."""
    data = yaml.safe_load(MINIMAL)
    data.update(date=day, title=f"Briefing {words}", summary=f"Summary of {words}.", **fields)
    slug = f"{day}-{words.lower().replace(' ', '-')}"
    (root / "briefings" / f"{slug}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return slug


#: What a host compresses: text.
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class Gzipped(http.server.SimpleHTTPRequestHandler):
    """A static server that sends text gzipped to a client that accepts it, as GitHub Pages and every CDN do."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None
