"""The built site in a real browser: Chromium or Chrome, driven by Playwright, on localhost only.

The browser is $BRIEFINGS_CHROMIUM (the path of its executable) when set, else the first of BROWSER_NAMES
on PATH: the Makefile looks in the same order and passes what it found in BRIEFINGS_CHROMIUM. With none,
the tests fail in CI (CI=true) and where apt-get could install one (`make browser`), and are skipped
elsewhere, with the reason.
"""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
import zlib
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, sync_playwright

from tests.conftest import MINIMAL, PROJECT, SEED
from tests.sitebuild import build, make_project, publish_sources

pytestmark = pytest.mark.browser

BROWSER_VARIABLE = "BRIEFINGS_CHROMIUM"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT / "test-artifacts"
SCREENSHOTS = PROJECT / "docs" / "assets" / "screenshots"
SLUG = "2024-08-25-cairo-ceasefire-talks-end-without-deal"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def find_browser() -> str | None:
    """The Chromium or Chrome to drive, as the Makefile finds it: $BRIEFINGS_CHROMIUM when set (and then
    only it), else the first of BROWSER_NAMES on PATH; None when there is none."""
    named = os.environ.get(BROWSER_VARIABLE)
    for name in [named] if named else BROWSER_NAMES:
        found = shutil.which(name)
        if found and Path(found).is_file():
            return found
    return None


def _no_browser() -> NoReturn:
    """Fail, or skip where a missing browser is expected: never in CI, never where apt-get could install one."""
    named = os.environ.get(BROWSER_VARIABLE)
    if named:
        pytest.fail(f"{BROWSER_VARIABLE}={named} is not an executable file")
    reason = f"no Chromium or Chrome: none of {', '.join(BROWSER_NAMES)} on PATH, and {BROWSER_VARIABLE} is not set"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true, so the browser tests fail rather than skip")
    if shutil.which("apt-get"):
        pytest.fail(f"{reason}; `make browser` installs Debian's chromium")
    pytest.skip(f"{reason}, and no apt-get to install one; set {BROWSER_VARIABLE}=/path/to/chrome to run them")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium or Chrome, headless, with no background connections to other hosts."""
    executable = find_browser()
    if executable is None:
        _no_browser()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The project's site, built by MkDocs and served on 127.0.0.1."""
    root = make_project(tmp_path_factory.mktemp("browser"))
    publish_sources(root)
    build(root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def _watch_requests(page: Page) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


def _elsewhere(requests: list[str]) -> list[str]:
    return [
        url
        for url in requests
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).hostname not in LOCAL_HOSTS
    ]


def _search(page: Page, words: str) -> Locator:
    """Open the header's search (Pagefind's index: generator/site/search.py) and type as a reader does; the first
    result's link, once the results for all the words typed are shown."""
    page.click(".bf-search-open")
    page.keyboard.type(words, delay=20)
    page.wait_for_function(
        "document.querySelector('#bf-search-results').getAttribute('aria-busy') === 'false'", timeout=15_000
    )
    first = page.locator("#bf-search-results a").first
    first.wait_for(timeout=15_000)
    return first


@pytest.mark.parametrize("words", ["Cairo", "constructive", "sites targeted", "Gaza ceasefire"])
def test_briefings_rank_first_in_search(browser: Browser, served: str, words: str) -> None:
    """For a title word, a quote, a figure's label or a topic, the briefing is the first result, above the
    guide pages whose examples use the same words. (A name lists the person's page first: below.)"""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(served + "about/")
    assert SLUG in (_search(page, words).get_attribute("href") or "")
    page.close()


def _serious_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(("words", "person"), [("Nasrallah", "hassan-nasrallah"), ("William Burns", "william-burns")])
def test_search_for_a_name_lists_the_person_then_the_briefing(
    browser: Browser, served: str, words: str, person: str
) -> None:
    """A name finds that person's page first and the briefing naming them next, never the home page or the
    archive; the briefing opens from its result; nothing is fetched from another host."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests = _watch_requests(page)
    page.goto(served)
    first = _search(page, words)
    links = [link.get_attribute("href") or "" for link in page.locator("#bf-search-results a").all()]
    assert f"/who/{person}/" in links[0]
    assert SLUG in links[1]
    assert not [link for link in links if urlsplit(link).path in ("/", "/briefings/")]
    assert first.get_attribute("href") == links[0]
    page.locator("#bf-search-results a").nth(1).click()
    page.wait_for_url(f"**/briefings/{SLUG}/**")
    assert "Cairo talks" in page.locator("h1").inner_text()
    page.wait_for_load_state("networkidle")
    assert requests and not _elsewhere(requests)
    page.close()


@pytest.mark.parametrize(
    "address",
    [
        "",
        f"briefings/{SLUG}/",
        "briefings/",
        "who/",
        "who/hassan-nasrallah/",
        "stories/israel-hamas-war/",
        "topics/",
        "watch/",
        "corrections/",
        "sources/",
        "sources/000-548c9463dc2f8344/",
    ],
)
def test_no_serious_accessibility_violation(browser: Browser, served: str, address: str) -> None:
    """axe-core finds no serious or critical violation on the home, briefing, list and joined pages."""
    assert AXE.exists(), "axe-core is not installed: run `make browser` (it runs `npm install`)"
    for scheme in ("light", "dark"):
        page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        page.goto(served + address)
        page.wait_for_load_state("networkidle")
        assert _serious_violations(page) == [], scheme
        page.close()


@pytest.mark.parametrize("address", ["", f"briefings/{SLUG}/", "stories/israel-hamas-war/"])
def test_a_page_loads_no_sitemap_and_nothing_missing(browser: Browser, served: str, address: str) -> None:
    """A page downloads what it shows: not the sitemap (which Material fetches beside every link[rel=alternate],
    taking it for a translation), and nothing that is not there."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests = _watch_requests(page)
    missing: list[str] = []
    page.on("response", lambda response: missing.append(response.url) if response.status >= 400 else None)
    page.goto(served + address)
    page.wait_for_load_state("networkidle")
    assert requests and not [url for url in requests if "sitemap" in url]
    assert missing == []
    feeds = page.locator('link[rel~="alternate"][type="application/atom+xml"]')
    assert feeds.count() == (2 if address.startswith("stories/") else 1)  # a story's own feed, and the site's
    page.close()


def test_a_receipt_opens_its_passage_in_the_whole_source_text(browser: Browser, served: str) -> None:
    """With publish_sources: a quote's receipt, opened by keyboard, links to its passage on the source's page,
    which scrolls into view marked and outlined as the target."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests = _watch_requests(page)
    page.goto(served + f"briefings/{SLUG}/")
    summary = page.locator("#quotes ~ details.bf-receipt summary").first
    summary.focus()
    page.keyboard.press("Enter")
    link = page.locator("details.bf-receipt[open] a.bf-receipt-link").first
    assert link.is_visible()
    link.click()
    page.wait_for_url("**/sources/000-548c9463dc2f8344/#at-*")
    anchor = urlsplit(page.url).fragment
    mark = page.locator(f"mark:has(#{anchor})")
    assert mark.is_visible()
    box = mark.bounding_box()
    assert box is not None and 0 <= box["y"] < 900
    outline = mark.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline == "solid"
    page.wait_for_load_state("networkidle")
    assert not _elsewhere(requests)
    page.close()


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # by colour type: grey, RGB, palette, grey+alpha, RGBA


def _png_image(data: bytes) -> tuple[int, int, bytes]:
    """A PNG's width and height, read from its IHDR chunk, and its image data inflated (each row a filter
    byte and its pixels, still filtered): checked to hold exactly the rows and pixels the header promises."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    assert data[12:16] == b"IHDR", "a PNG starts with its IHDR chunk"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
    assert (depth, interlace) == (8, 0), "Chromium writes 8-bit, non-interlaced PNGs"
    compressed = []
    at = 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        if kind == b"IDAT":
            compressed.append(data[at + 8 : at + 8 + length])
        at += 12 + length  # length, type, data, CRC
    pixels = zlib.decompress(b"".join(compressed))
    assert len(pixels) == height * (1 + width * PNG_CHANNELS[colour]), "the image data is not width × height"
    return width, height, pixels


def _box(page: Page, selector: str) -> dict[str, float]:
    """Where the first element `selector` names is drawn: x, y, width and height in CSS pixels."""
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not rendered"
    return {"x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"]}


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 900), ("phone", 390, 844)])
def test_screenshots_of_the_briefing_page(
    browser: Browser, served: str, name: str, width: int, height: int, request: pytest.FixtureRequest
) -> None:
    """The briefing page at desktop and phone widths, saved to test-artifacts/:
    the picture is the viewport, and what it shows is the briefing's title, uncovered, with the page laid out
    in one column that does not overflow sideways."""
    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
    requests = _watch_requests(page)
    page.goto(served + f"briefings/{SLUG}/")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    # Nothing overflows sideways: the page reads on a phone without horizontal scrolling.
    assert page.evaluate("[innerWidth, document.documentElement.scrollWidth <= innerWidth]") == [width, True]
    # The briefing's title is whole within the viewport, and nothing is drawn over it.
    assert "Cairo talks" in page.locator("article.bf h1").inner_text()
    title = _box(page, "article.bf h1")
    assert title["x"] >= 0 and title["x"] + title["width"] <= width
    assert title["y"] >= 0 and title["y"] + title["height"] <= height
    centre = [title["x"] + title["width"] / 2, title["y"] + title["height"] / 2]
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.closest('h1')?.id", centre) == "title"
    # At a glance follows the header, then what happened, then (after the numbers and next steps) Who, in the
    # title's column, within the width.
    glance, who, what = _box(page, "article.bf .bf-glance"), _box(page, "article.bf #who"), _box(page, "#what")
    assert title["y"] + title["height"] < glance["y"] < what["y"] < who["y"]
    assert glance["x"] == title["x"] and glance["x"] + glance["width"] <= width
    assert what["x"] == title["x"] and what["x"] + what["width"] <= width
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"briefing-{name}.png"
    page.screenshot(path=str(shot), full_page=False)
    png_width, png_height, pixels = _png_image(shot.read_bytes())
    assert (png_width, png_height) == (width, height)
    # Not a blank picture: the filtered rows of a page of one colour hold a handful of byte values.
    assert len(set(pixels)) > 64
    assert not _elsewhere(requests)  # (tests/test_screenshots.py takes the README's pictures)
    page.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """`mkdocs serve` on a copy of the project, as an editor runs it."""
    root = make_project(tmp_path / "project")
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.monotonic() < deadline, "mkdocs serve did not start"
            time.sleep(0.2)
    yield root, url
    process.terminate()
    process.wait(timeout=20)


def test_serve_reloads_the_page_when_its_yaml_changes(browser: Browser, serving: tuple[Path, str]) -> None:
    """Editing a briefing's YAML rebuilds the site and the open page reloads itself with the change."""
    root, url = serving
    page = browser.new_page()
    page.goto(url + f"briefings/{SLUG}/")
    assert "Cairo talks" in page.locator("h1").inner_text()
    source = root / "briefings" / "2024" / f"{SLUG}.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("title: Cairo talks", "title: Edited live, Cairo talks", 1), encoding="utf-8")
    page.wait_for_function("document.querySelector('h1').innerText.startsWith('Edited live')", timeout=60_000)
    page.close()


def test_serve_shows_drafts_and_errors_and_keeps_serving(browser: Browser, serving: tuple[Path, str]) -> None:
    """In serve a draft shows, marked; a broken briefing shows its findings; the rest is still served."""
    root, url = serving
    shutil.copy(SEED, root / "seeds" / SEED.name)
    draft = MINIMAL.replace("date: 2024-08-25", "date: 2024-08-25\ndraft: true")
    (root / "briefings" / "2024-08-25-draft-note.yaml").write_text(draft, encoding="utf-8")
    (root / "briefings" / "2024-08-25-broken.yaml").write_text(MINIMAL.replace("quotes:", "quotse:"), encoding="utf-8")
    page = browser.new_page()
    deadline = time.monotonic() + 60
    while True:
        response = page.goto(url + "briefings/2024-08-25-broken/")
        if response is not None and response.ok:
            break
        assert time.monotonic() < deadline, "the rebuild did not happen"
        time.sleep(0.5)
    assert "quotse: unknown key" in page.locator("article.bf").inner_text()
    page.goto(url + "briefings/2024-08-25-draft-note/")
    assert "Draft" in page.locator(".bf-draft").inner_text()
    response = page.goto(url + f"briefings/{SLUG}/")
    assert response is not None and response.ok
    page.close()
