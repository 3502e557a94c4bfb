"""The plugin's contract with MkDocs: generated pages live outside docs/, read back as written,
never clobber what people wrote, give the same bytes on any day, and one save is one build."""

from __future__ import annotations

import html
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.utils.meta import get_data

from generator.site.build import (
    GeneratorError,
    build_site,
    markdown_files,
    read_back,
    sync_folder,
    write_markdown,
)
from generator.site.render import Page
from generator.site.settings import Settings
from tests.conftest import MINIMAL
from tests.sitebuild import build, build_without_kept, cache_of, listed, make_project, page, text
from tests.test_render import generate

SITE_URL = "https://briefings.example.org/"
#: The site of these tests, as the edge makes it from mkdocs.yml.
SETTINGS = Settings.of(SITE_URL)
SLUG = "2024-08-25-cairo-ceasefire-talks-end-without-deal"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_writes_nothing_into_docs_and_keeps_hand_written_pages(tmp_path: Path) -> None:
    """docs/ is only what people wrote: a build adds no file there, and docs/who/notes.md is published."""
    root = make_project(tmp_path / "p")
    (root / "docs" / "who").mkdir()
    (root / "docs" / "who" / "notes.md").write_text("# Notes on people\n\nHand-written.\n", encoding="utf-8")
    before = _files(root / "docs")
    build(root)
    assert _files(root / "docs") == before
    assert text(page(root, "who/notes/").find("h1")) == "Notes on people"
    assert page(root, "who/hamas/").find("h1") is not None
    # Built from the cache, outside the checkout: the finished pages are kept there, and the bodies they
    # were built from let go once kept; the feed and the export stay.
    assert len(listed(cache_of(root) / "html")) > 20
    assert "who/hamas/index.md" not in listed(cache_of(root) / "pages")
    assert "feed.xml" in listed(cache_of(root) / "pages")
    assert not (root / ".cache").exists()


def test_a_hand_written_page_at_a_generated_address_is_a_clean_error(tmp_path: Path) -> None:
    """docs/who/hamas.md would be published at /who/hamas/, the actor's page: the build says so."""
    root = make_project(tmp_path / "p")
    (root / "docs" / "who").mkdir()
    (root / "docs" / "who" / "hamas.md").write_text("# Mine\n", encoding="utf-8")
    done = build(root, check=False)
    assert done.returncode != 0
    assert "who/hamas.md" in done.stderr and "belong to pages the plugin generates" in done.stderr
    assert "Traceback" not in done.stderr
    assert (root / "docs" / "who" / "hamas.md").read_text(encoding="utf-8") == "# Mine\n"


@pytest.mark.parametrize("url", ["ftp://briefings.example.org/", "not-a-url", "https://exa mple.org/"])
def test_a_site_url_that_is_no_web_address_is_a_clean_error(tmp_path: Path, url: str) -> None:
    """`site_url: ftp://...` stops the build with a message naming the value, never a traceback."""
    root = make_project(tmp_path / "p")
    config = root / "mkdocs.yml"
    config.write_text(
        re.sub(r"(?m)^site_url:.*$", f"site_url: {url}", config.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    done = build(root, check=False)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    # MkDocs refuses an address without a scheme itself; the plugin refuses the rest.
    said = done.stderr.replace("Config value 'site_url'", "site_url must be an absolute http:// or https:// URL")
    assert "site_url must be an absolute http:// or https:// URL" in said, done.stderr


def test_every_generated_page_reads_back_as_mkdocs_reads_it(tmp_path: Path) -> None:
    """Each page `briefing render` writes has front matter MkDocs reads as a mapping with the page's keys."""
    root = make_project(tmp_path / "p")
    site = build_site(root, settings=Settings.of(SITE_URL, drafts=True))
    files = markdown_files(site)
    assert len(site.pages) > 20
    for path, page_ in site.pages.items():
        body, meta = get_data(files[path])
        assert isinstance(meta, dict) and meta == page_.meta, path
        assert {"title", "hide"} <= set(meta), path
        assert body == page_.body and body.startswith("<"), path
    briefing = site.pages[f"briefings/{SLUG}/index.md"].meta
    assert {"title", "description", "og", "briefing_jsonld", "search"} <= set(briefing)


def test_a_page_that_does_not_read_back_is_refused() -> None:
    """Front matter that MkDocs would not read as written is an error, never a published page."""
    good = Page("x/", {"title": "T"}, "<p>b</p>\n")
    read_back(good.markdown(), good)
    with pytest.raises(GeneratorError, match="does not read back"):
        read_back("---\ntitle: [\n---\n\n<p>b</p>\n", good)
    with pytest.raises(GeneratorError, match="does not read back"):
        read_back("<p>b</p>\n", good)


def test_briefing_render_writes_nothing_unless_every_page_reads_back(tmp_path: Path) -> None:
    """The Markdown is made one file at a time as it is written, but every page is checked first: one page
    that would not read back means no file is written at all."""
    root = make_project(tmp_path / "p")
    site = build_site(root, settings=SETTINGS)
    last = sorted(site.pages)[-1]
    site.pages[last] = Page(site.pages[last].address, {"title": float("nan")}, "<p>b</p>\n")  # reads back as text
    out = tmp_path / "out"
    with pytest.raises(GeneratorError, match="does not read back"):
        write_markdown(site, out)
    assert not out.exists()


@pytest.mark.parametrize(
    "title", ["Talks 😀 end", "a\u2028b\u2029c", "NEL \x85 DEL \x7f", 'quote " and \\ slash', "東京 – Україна"]
)
def test_front_matter_reads_back_whatever_the_text(title: str) -> None:
    """Emoji (beyond U+FFFF), line separators and C1 controls in a title read back exactly."""
    written = Page("x/", {"title": title, "tags": [title]}, "<p>b</p>\n")
    read_back(written.markdown(), written)
    body, meta = get_data(written.markdown())
    assert meta == written.meta and body == written.body


def test_render_refuses_a_folder_it_did_not_write_and_deletes_nothing(tmp_path: Path) -> None:
    """`briefing render --out .` (the project root) writes nothing and deletes nothing."""
    root = make_project(tmp_path / "p")
    before = _files(root)
    with pytest.raises(GeneratorError, match="did not write"):
        generate(root, root, settings=SETTINGS)
    assert _files(root) == before
    with pytest.raises(GeneratorError, match="did not write"):
        generate(root, root / "docs", settings=SETTINGS)
    assert _files(root) == before


def test_render_owns_its_folder_through_a_manifest(tmp_path: Path) -> None:
    """A second render deletes only what the first wrote and no briefing produces any more."""
    root = make_project(tmp_path / "p")
    out = tmp_path / "out"
    first = generate(root, out, settings=SETTINGS)
    assert f"briefings/{SLUG}/index.md" in first.written
    assert listed(out) == sorted(first.written)
    (root / "briefings" / "2024" / f"{SLUG}.yaml").unlink()
    second = generate(root, out, settings=SETTINGS)
    assert f"briefings/{SLUG}/index.md" in second.deleted and not (out / "briefings" / SLUG).exists()
    (out / "mine.txt").write_text("a file of mine", encoding="utf-8")
    with pytest.raises(GeneratorError, match=r"mine\.txt"):
        generate(root, out, settings=SETTINGS)
    assert (out / "mine.txt").read_text(encoding="utf-8") == "a file of mine"


def test_sync_folder_refuses_links_and_paths_outside(tmp_path: Path) -> None:
    """A link inside the folder is not ours; a wanted path outside the folder is refused."""
    out = tmp_path / "out"
    sync_folder(out, {"a/index.md": "x"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "b").symlink_to(elsewhere)
    with pytest.raises(GeneratorError, match="did not write"):
        sync_folder(out, {"b/index.md": "y"})
    assert list(elsewhere.iterdir()) == []
    (out / "b").unlink()
    with pytest.raises(GeneratorError, match="outside"):
        sync_folder(out, {"../escape.md": "y"})
    assert not (tmp_path / "escape.md").exists()


def test_the_same_input_gives_the_same_site_on_any_day(tmp_path: Path) -> None:
    """Two builds with different SOURCE_DATE_EPOCH are byte-identical, the sitemap and its .gz included."""
    root = make_project(tmp_path / "p")
    sites = []
    for day, epoch in (("a", "1700000000"), ("b", "1800000000")):
        os.environ["SOURCE_DATE_EPOCH"] = epoch
        try:
            build(root, "--site-dir", f"site-{day}")
        finally:
            del os.environ["SOURCE_DATE_EPOCH"]
        sites.append(_files(root / f"site-{day}"))
    assert sites[0].keys() == sites[1].keys()
    different = [path for path in sites[0] if sites[0][path] != sites[1][path]]
    assert different == []
    sitemap = sites[0]["sitemap.xml"].decode("utf-8")
    assert "<lastmod>2024-08-25</lastmod>" in sitemap and sitemap.count("<lastmod>") == sitemap.count("<url>")


def test_a_page_that_fails_to_render_is_a_finding_on_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever breaks while rendering one briefing is an error naming its file; the rest is rendered."""
    root = make_project(tmp_path / "p")
    (root / "briefings" / "2024-08-20-older.yaml").write_text(
        MINIMAL.replace("2024-08-25", "2024-08-20"), encoding="utf-8"
    )
    import generator.site.build as site_module

    real = site_module.briefing_page

    def fragile(render, briefing, *args, **kwargs):  # type: ignore[no-untyped-def]
        if briefing.slug == "2024-08-20-older":
            raise ValueError("a renderer bug")
        return real(render, briefing, *args, **kwargs)

    monkeypatch.setattr(site_module, "briefing_page", fragile)
    site = build_site(root, settings=SETTINGS, problems=True)
    (failure,) = site.failures
    assert failure.path.endswith("2024-08-20-older.yaml") and "a renderer bug" in failure.message
    assert f"briefings/{SLUG}/index.md" in site.pages
    assert "This briefing has errors" in site.pages["briefings/2024-08-20-older/index.md"].body
    assert [b.slug for b in site.published] == [SLUG]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    """`mkdocs serve` on a copy of the project; its log goes to a file."""
    root = make_project(tmp_path / "p")
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            _wait(lambda: "Serving on" in log.read_text(encoding="utf-8"), "mkdocs serve did not start")
            yield root, url, log
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait(ready: object, message: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not ready():  # type: ignore[operator]
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return str(response.read().decode("utf-8"))


def _get_soon(url: str) -> str:
    """The page, or "" while it is not there yet (a rebuild may still be running)."""
    try:
        return _get(url)
    except urllib.error.HTTPError:
        return ""


def _watched_state(root: Path) -> dict[Path, tuple[int, int]]:
    """Each file `mkdocs serve` watches in the project (mkdocs.yml, docs/, overrides/, briefings/, seeds/):
    its size and time of change."""
    found = {}
    for top in ("mkdocs.yml", "docs", "overrides", "briefings", "seeds"):
        for path in [root / top, *(root / top).rglob("*")] if (root / top).is_dir() else [root / top]:
            if path.exists():
                info = path.stat()
                found[path] = (info.st_size, info.st_mtime_ns)
    return found


def test_one_save_in_serve_is_one_build_and_a_broken_file_shows_its_findings(
    serving: tuple[Path, str, Path],
) -> None:
    """A save rebuilds once (the plugin writes nothing the watcher sees); a broken briefing shows its
    findings on its page while the rest of the site keeps serving."""
    root, url, log = serving
    # MkDocs logs each rebuild it starts (the plugin's own, of only the changed pages, included)
    builds = log.read_text(encoding="utf-8").count("Detected file changes")
    source = root / "briefings" / "2024" / f"{SLUG}.yaml"
    watched = _watched_state(root)
    source.write_text(source.read_text(encoding="utf-8").replace("quotes:", "quotse:"), encoding="utf-8")
    _wait(lambda: "Errors in" in _get(url + f"briefings/{SLUG}/"), "the broken briefing's page never showed its errors")
    assert log.read_text(encoding="utf-8").count("Detected file changes") == builds + 1
    # Nothing the server watches was written by the rebuild, but the save itself: no second build can follow.
    after = _watched_state(root)
    assert {path for path in watched.keys() | after.keys() if watched.get(path) != after.get(path)} == {source}
    assert "quotse: unknown key" in html.unescape(_get(url + f"briefings/{SLUG}/"))
    assert "About" in _get(url + "about/")
    # Inputs that once passed the checks and then crashed the build (and hung every request
    # of `mkdocs serve`): each is now a finding, shown on its page, and the site keeps serving.
    breaker = MINIMAL.replace("  - value: 270", "  - value: " + "9" * 5000) + f"topics: [{'x' * 250}]\n"
    (root / "briefings" / "2024-08-24-breaker.yaml").write_text(breaker, encoding="utf-8")
    _wait(lambda: "Errors in" in _get_soon(url + "briefings/2024-08-24-breaker/"), "the breaker's page never showed")
    shown = html.unescape(_get(url + "briefings/2024-08-24-breaker/"))
    assert "numbers[0].value:" in shown and "topics[0]:" in shown
    assert "About" in _get(url + "about/")
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_every_link_between_pages_resolves_with_names_in_every_script(tmp_path: Path) -> None:
    """Each relative href of each built page leads to a built file, `/topics/東京-2024/` included."""
    import yaml
    from bs4 import BeautifulSoup

    root = make_project(tmp_path / "p")
    names = [("東京 2024", "Україна war"), ("北京 2024", "Россия war"), ("index", "page")]
    for day, (story, topic) in zip(("2024-08-21", "2024-08-22", "2024-08-23"), names, strict=True):
        data = yaml.safe_load(MINIMAL)
        data.update(date=day, story=story, topics=[topic, "Gaza ceasefire"])
        path = root / "briefings" / f"{day}-talks.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build(root)
    site = root / "site"
    assert (site / "stories" / "東京-2024" / "index.html").is_file()
    assert (site / "topics" / "україна-war" / "index.html").is_file()
    assert (site / "stories" / "index" / "index.html").is_file() and (site / "stories" / "index.html").is_file()
    assert (site / "topics" / "page" / "index.html").is_file() and (site / "topics" / "index.html").is_file()
    checked = 0
    for html_file in site.rglob("*.html"):
        soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
        for anchor in soup.select("article a[href], .bf-home a[href], .bf-archive a[href]"):
            href = anchor["href"].split("#")[0]
            if not href or "://" in href:
                continue
            # the 404 page is served at any address: its links start at the site's root
            base = site if href.startswith("/") else html_file.parent
            target = (base / urllib.parse.unquote(href.lstrip("/"))).resolve()
            target = target / "index.html" if href.endswith("/") or target.is_dir() else target
            assert target.is_file(), f"{html_file.relative_to(site)}: {anchor['href']}"
            checked += 1
    assert checked > 100


def test_generated_bodies_are_published_as_written_without_markdown(tmp_path: Path) -> None:
    """A generated page's body is HTML already: it reaches the built page byte for byte."""
    root = make_project(tmp_path / "p")
    build(root)
    site = build_site(root, settings=SETTINGS)
    for path in (f"briefings/{SLUG}/index.md", "index.md", "who/hamas/index.md", "topics/gaza-ceasefire/index.md"):
        built = (root / "site" / path.replace("index.md", "index.html")).read_text(encoding="utf-8")
        assert site.pages[path].body in built, path


def _cold_and_warm(root: Path, name: str, env: dict[str, str] | None = None) -> tuple[dict[str, bytes], str]:
    """The site a build makes with the kept pages of earlier builds, checked against a build without them."""
    extra = env or {}
    saved = {key: os.environ.get(key) for key in extra}
    os.environ.update(extra)
    try:
        warm = build(root, "--site-dir", f"site-{name}-warm")
        build_without_kept(root, f"site-{name}-cold")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    site = _files(root / f"site-{name}-warm")
    cold = _files(root / f"site-{name}-cold")
    assert site.keys() == cold.keys(), name
    assert [path for path in cold if cold[path] != site[path]] == [], name
    return site, warm.stderr


def test_a_warm_build_reuses_finished_pages_only_while_nothing_that_went_into_them_changed(tmp_path: Path) -> None:
    """A build with the kept finished pages of the last one is byte-identical to a build without them,
    after each kind of change: none, mkdocs.yml, an environment variable it reads, a page in docs/,
    the theme's overrides, a briefing."""
    root = make_project(tmp_path / "p")
    build(root)
    site, log = _cold_and_warm(root, "same")
    generated = sum(1 for path in site if path.endswith("index.html")) - 1  # the guides are not kept
    assert re.search(r"briefings: (\d+) finished page\(s\) reused, 0 kept", log), log
    reused = int(re.search(r"(\d+) finished page\(s\) reused", log).group(1))  # type: ignore[union-attr]
    assert reused >= 20 and reused <= generated

    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_name: ", "site_name: The "), encoding="utf-8")
    site, log = _cold_and_warm(root, "config")
    assert "0 finished page(s) reused" in log
    assert b"<title>The " in site["index.html"]

    site, log = _cold_and_warm(root, "env", {"SITE_URL": "https://news.example.com/briefings/"})
    assert "0 finished page(s) reused" in log
    assert b"https://news.example.com/briefings/" in site["briefings/index.html"]

    about = root / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    _cold_and_warm(root, "docs")

    main = root / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + "\n{# changed #}\n", encoding="utf-8")
    _cold_and_warm(root, "theme")

    briefing = next((root / "briefings").rglob("*.yaml"))
    briefing.write_text(briefing.read_text(encoding="utf-8").replace("title: ", "title: Updated ", 1), encoding="utf-8")
    build(root)  # the kept pages of the state before
    site, log = _cold_and_warm(root, "briefing")
    assert re.search(r"briefings: [1-9]\d* finished page\(s\) reused, 0 kept", log), log
    kept = cache_of(root) / "html"
    assert len(list(kept.glob("*.html"))) == reused  # the pages of earlier builds are let go


def test_keep_html_off_keeps_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        .replace("plugins:\n", "plugins:\n  - briefings:\n      keep_html: false\n", 1)
        .replace("\n  - briefings\n", "\n", 1),
        encoding="utf-8",
    )
    build(root)
    build(root)
    assert not (cache_of(root) / "html").exists()


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_run_that_changes_nothing_writes_no_file_it_keeps(tmp_path: Path) -> None:
    """A second `mkdocs build` writes nothing into the generator's folders in the cache (pages, finished
    pages, search index), and a second `briefing render` nothing into its folder."""
    root = make_project(tmp_path / "p")
    build(root)
    build(root)  # the first to reuse finished pages compiles their template once
    cache = cache_of(root)
    before = _stamps(cache)
    assert any(path.startswith("html/") for path in before)
    assert any(path.startswith("search/") for path in before)
    time.sleep(0.01)
    build(root)
    assert _stamps(cache) == before

    out = tmp_path / "out"
    generate(root, out, settings=SETTINGS)
    rendered = _stamps(out)
    again = generate(root, out, settings=SETTINGS)
    assert again.written == [] and again.deleted == []
    assert _stamps(out) == rendered
