"""The pull request is the trust boundary: build state a pull request plants runs nothing and publishes nothing.

A test repository shaped like a pull request plants each file of the attack that
found the holes (issue 16), each carrying a sentinel: Jinja bytecode with a pickle
payload at the name the kept-page template had; finished HTML at the keys main's
build computes; a kept search index with a hostile `pagefind.js`; a manifest
listing files reached through links out of the cache. Each is planted both under
`.cache/` in the checkout (tracked by git, or not) and in the cache root itself,
with and without a cache that a build of main left; the site is built with
`mkdocs build`, served with `mkdocs serve` and written with `briefing render`.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import bc_magic

from generator.store.cache import MANIFEST
from tests.sitebuild import build, cache_of, make_project
from tests.test_diff import git
from tests.test_serve import _free_port

SENTINEL = "SENTINEL-7f3c2a9e"


class _Payload:
    """Unpickled, it writes the file named by its argument: proof that planted code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


def _bytecode_bucket(marker: Path) -> bytes:
    """A Jinja bytecode-cache file whose checksum is a pickle that runs code when loaded."""
    return bc_magic + pickle.dumps(_Payload(marker), 2) + b"\x00" * 16


def _hostile_html() -> str:
    return f"<!doctype html><html><body><script>alert('{SENTINEL}')</script>{SENTINEL}</body></html>\n"


def _plant(folder: Path, marker: Path, outside: Path, keys: list[str], layout: str) -> None:
    """Every attack file, under `folder` (`.cache/` in the checkout, or the cache root), in its old
    (`.cache/briefings-*`) or new (`pages/`, `html/`, `search/`) layout."""
    names = {
        "old": ("briefings", "briefings-html", "briefings-search", "briefings-templates"),
        "new": ("pages", "html", "search", "templates"),
    }[layout]
    pages, html, search, templates = (folder / name for name in names)
    # Jinja's bytecode cache, at the name the kept-page template had, and at the theme's main template's.
    templates.mkdir(parents=True, exist_ok=True)
    for name in ("briefings-kept-page.html", "main.html", "base.html"):
        key = FileSystemBytecodeCache().get_cache_key(name, None)
        (templates / f"__jinja2_{key}.cache").write_bytes(_bytecode_bucket(marker))
    # Finished pages at the keys main's build computes, and a link at one to a file of the machine; the
    # manifest left as the build wrote it (whoever can write both the entries and the manifest of the
    # cache root can change the site: the cache root is outside the checkout, written only by builds).
    html.mkdir(parents=True, exist_ok=True)
    for number, key in enumerate(keys):
        target = html / f"{key}.html"
        target.unlink(missing_ok=True)
        if number == 0:
            target.symlink_to(outside / "secret.txt")
        else:
            target.write_text(_hostile_html(), encoding="utf-8")
    if layout == "old":
        (html / MANIFEST).write_text("".join(f"{key}\n" for key in keys), encoding="utf-8")
    # A kept search index whose script is hostile.
    index = search / "index"
    index.mkdir(parents=True, exist_ok=True)
    (index / "pagefind.js").write_text(f"alert('{SENTINEL}')", encoding="utf-8")
    (index / "pagefind-entry.json").write_text('{"version": "1"}', encoding="utf-8")
    (index / "shards.json").write_text('{"merge": []}', encoding="utf-8")
    # A manifest listing files through links out of the cache: to be written into, and deleted.
    pages.mkdir(parents=True, exist_ok=True)
    for name in ("who", "escape"):
        link = pages / name
        if link.is_symlink() or link.is_file():
            link.unlink()
        elif link.is_dir():
            continue  # a real folder a build made: the link goes beside it
        link.symlink_to(outside, target_is_directory=True)
    (pages / "index.md").unlink(missing_ok=True)
    (pages / "index.md").symlink_to(outside / "victim.md")
    victim_digest = hashlib.sha256((outside / "victim.md").read_bytes()).hexdigest()
    (pages / MANIFEST).write_text(
        "# briefings manifest 2: sha256 path\n"
        f"{victim_digest} escape/victim.md\n{victim_digest} who/victim.md\n{victim_digest} gone/victim.md\n"
        if layout == "new"
        else "escape/victim.md\nwho/victim.md\n../victim.md\n",
        encoding="utf-8",
    )


def _tree(folder: Path, skip: tuple[Path, ...] = ()) -> dict[str, bytes | str]:
    """Every file and link under `folder`, links by their target, except under `skip`."""
    found: dict[str, bytes | str] = {}
    for current, dirs, names in os.walk(folder):
        here = Path(current)
        dirs[:] = [d for d in dirs if here / d not in skip]
        for name in [*dirs, *names]:
            path = here / name
            if path.is_symlink():
                found[path.relative_to(folder).as_posix()] = "-> " + os.readlink(path)
            elif path.is_file():
                found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def _sentinels(folder: Path) -> list[str]:
    return sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink() and SENTINEL.encode() in path.read_bytes()
    )


@pytest.fixture(scope="module")
def main_keys(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The keys of finished pages that a build of main computes (a build of the same project elsewhere
    computes the same: where a project is does not change its pages)."""
    root = make_project(tmp_path_factory.mktemp("main") / "p")
    build(root)
    keys = sorted(path.stem for path in (cache_of(root) / "html").glob("*.html"))
    assert len(keys) > 20
    return keys


def _project(tmp_path: Path, restored: bool) -> tuple[Path, Path, Path]:
    """A checkout with its git history, a folder outside it that must stay untouched, and the marker that
    planted code would write."""
    root = make_project(tmp_path / "p")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "main")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"a file of the build machine {SENTINEL}\n", encoding="utf-8")
    (outside / "victim.md").write_text("a file nobody may delete\n", encoding="utf-8")
    if restored:
        build(root)  # what main's build left in the cache
        (root / "site").rename(tmp_path / "site-of-main")
    return root, outside, tmp_path / "ran"


@pytest.mark.parametrize("restored", [False, True], ids=["no-cache", "main-cache"])
@pytest.mark.parametrize("tracked", [False, True], ids=["untracked", "tracked"])
def test_planted_build_state_runs_nothing_and_publishes_nothing(
    tmp_path: Path, main_keys: list[str], tracked: bool, restored: bool
) -> None:
    root, outside, marker = _project(tmp_path, restored)
    cache = cache_of(root)
    _plant(root / ".cache", marker, outside, main_keys, "old")
    _plant(root / ".cache", marker, outside, main_keys, "new")
    _plant(cache, marker, outside, main_keys, "new")
    if tracked:
        git(root, "add", "-f", ".cache")
        git(root, "commit", "-qm", "a pull request")
    before = _tree(tmp_path, skip=(cache, root / "site"))
    done = build(root, check=False)
    assert not marker.exists(), "planted code ran"
    if tracked:
        assert done.returncode != 0
        assert "tracked by git are build state" in done.stderr and ".cache/briefings-html/" in done.stderr
    else:
        assert done.returncode == 0, done.stderr
        assert (root / "site" / "index.html").is_file() and (root / "site" / "pagefind" / "pagefind.js").is_file()
    if (root / "site").exists():
        assert _sentinels(root / "site") == []
    assert _tree(tmp_path, skip=(cache, root / "site")) == before, "a file outside the cache and site/ changed"
    # The same checks at the end of `briefing check`: the planted files are named, one error each.
    checked = subprocess.run(
        [str(Path(sys.executable).with_name("briefing")), "check"], cwd=root, capture_output=True, text=True
    )
    if tracked:
        assert checked.returncode == 1 and "error: file: build state tracked by git" in checked.stdout
    else:
        assert checked.returncode == 0, checked.stdout


def test_an_entry_not_as_written_is_made_again_with_a_line_in_the_log(tmp_path: Path) -> None:
    """Altered kept pages are not used: the next build makes them again and says so."""
    root, _outside, _marker = _project(tmp_path, restored=True)
    keys = sorted(path.stem for path in (cache_of(root) / "html").glob("*.html"))
    for key in keys:
        path = cache_of(root) / "html" / f"{key}.html"
        path.write_text(_hostile_html(), encoding="utf-8")
    done = build(root)
    assert "is not used (its bytes are not those written)" in done.stderr
    assert "0 finished page(s) reused" in done.stderr
    assert _sentinels(root / "site") == []
    assert b"<h1" in (root / "site" / "index.html").read_bytes()


@pytest.fixture
def planted_and_served(tmp_path: Path, main_keys: list[str]) -> Iterator[tuple[str, Path, Path, Path]]:
    root, outside, marker = _project(tmp_path, restored=True)
    cache = cache_of(root)
    _plant(root / ".cache", marker, outside, main_keys, "old")
    _plant(cache, marker, outside, main_keys, "new")
    port = _free_port()
    log = tmp_path / "serve.log"
    served = tmp_path / "tmp"
    served.mkdir()
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(served)},
        )
        try:
            deadline = time.monotonic() + 180
            while "Serving on" not in log.read_text(encoding="utf-8"):
                assert process.poll() is None, log.read_text(encoding="utf-8")
                assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
                time.sleep(0.2)
            while "search: " not in log.read_text(encoding="utf-8"):
                assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
                time.sleep(0.2)
            yield f"http://127.0.0.1:{port}/", served, outside, marker
        finally:
            process.terminate()
            process.wait(timeout=60)


def test_mkdocs_serve_serves_nothing_planted(planted_and_served: tuple[str, Path, Path, Path]) -> None:
    url, served, outside, marker = planted_and_served
    for address in ("", "pagefind/pagefind.js", "who/", "briefings/"):
        with urllib.request.urlopen(url + address, timeout=30) as response:
            assert SENTINEL.encode() not in response.read(), address
    (site,) = served.glob("mkdocs_*")
    assert _sentinels(site) == []
    assert not marker.exists()
    assert (outside / "victim.md").read_text(encoding="utf-8") == "a file nobody may delete\n"
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt", "victim.md"]


def test_briefing_render_refuses_a_planted_folder_and_writes_nothing_through_links(tmp_path: Path) -> None:
    root, outside, marker = _project(tmp_path, restored=False)
    render = [str(Path(sys.executable).with_name("briefing")), "render"]
    out = root / "build" / "markdown"
    out.mkdir(parents=True)
    (out / "who").symlink_to(outside, target_is_directory=True)
    (out / MANIFEST).write_text("who/victim.md\n../outside/victim.md\n", encoding="utf-8")
    before = _tree(tmp_path)
    done = subprocess.run(render, cwd=root, capture_output=True, text=True)
    assert done.returncode == 2 and "is not a plain path" in done.stderr and "Traceback" not in done.stderr
    assert _tree(tmp_path) == before
    (out / MANIFEST).write_text("who/victim.md\n", encoding="utf-8")
    before = _tree(tmp_path)
    done = subprocess.run(render, cwd=root, capture_output=True, text=True)
    assert done.returncode == 2 and "who (a symbolic link)" in done.stderr and "Traceback" not in done.stderr
    assert _tree(tmp_path) == before
    # A manifest in the new format that lists the link's target by its digest: refused just the same.
    digest = hashlib.sha256((outside / "victim.md").read_bytes()).hexdigest()
    (out / MANIFEST).write_text(f"# briefings manifest 2: sha256 path\n{digest} who/victim.md\n", encoding="utf-8")
    before = _tree(tmp_path)
    done = subprocess.run(render, cwd=root, capture_output=True, text=True)
    assert done.returncode == 2 and "symbolic link" in done.stderr
    assert _tree(tmp_path) == before
    # Tracked there, the folder is refused by name.
    (out / "who").unlink()
    (out / MANIFEST).unlink()
    (out / "index.md").write_text(SENTINEL, encoding="utf-8")
    git(root, "add", "-f", "build")
    git(root, "commit", "-qm", "a pull request")
    done = subprocess.run(render, cwd=root, capture_output=True, text=True)
    assert done.returncode == 2 and "build/markdown/index.md: build output tracked by git" in done.stderr
    assert (out / "index.md").read_text(encoding="utf-8") == SENTINEL
    assert not marker.exists()


def test_a_cache_root_inside_the_checkout_holding_tracked_files_stops_the_build(
    tmp_path: Path, main_keys: list[str]
) -> None:
    """Moved into the checkout (`BRIEFINGS_CACHE_DIR`), the cache root is refused while git tracks a file
    in it: the build, `briefing check` and `briefing render` name the file; nothing planted runs."""
    root, outside, marker = _project(tmp_path, restored=False)
    env = {**os.environ, "BRIEFINGS_CACHE_DIR": str(root / "build-state"), "NO_MKDOCS_2_WARNING": "1"}
    inside = cache_root_of(root, root / "build-state")
    _plant(inside, marker, outside, main_keys, "new")
    git(root, "add", "-f", "build-state")
    git(root, "commit", "-qm", "a pull request")
    before = _tree(tmp_path)
    bin_dir = Path(sys.executable).parent
    built = subprocess.run(
        [str(bin_dir / "mkdocs"), "build", "--strict"], cwd=root, env=env, capture_output=True, text=True
    )
    assert built.returncode != 0 and "build-state/" in built.stderr and "tracked by git" in built.stderr
    checked = subprocess.run([str(bin_dir / "briefing"), "check"], cwd=root, env=env, capture_output=True, text=True)
    assert checked.returncode == 1 and "build-state/" in checked.stdout
    rendered = subprocess.run([str(bin_dir / "briefing"), "render"], cwd=root, env=env, capture_output=True, text=True)
    assert rendered.returncode == 2 and "build-state/" in rendered.stderr
    assert _tree(tmp_path) == before
    assert not marker.exists()


def cache_root_of(root: Path, base: Path) -> Path:
    """The cache root of the checkout `root` under `base`, as the plugin computes it."""
    from generator.store.cache import cache_root

    saved = os.environ.get("BRIEFINGS_CACHE_DIR")
    os.environ["BRIEFINGS_CACHE_DIR"] = str(base)
    try:
        return cache_root(root.resolve())
    finally:
        if saved is None:
            del os.environ["BRIEFINGS_CACHE_DIR"]
        else:
            os.environ["BRIEFINGS_CACHE_DIR"] = saved
