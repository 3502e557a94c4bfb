"""The built site in a real browser: Debian's Chromium, driven by Playwright, on localhost only."""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, sync_playwright

from tests.conftest import MINIMAL, PROJECT, SEED
from tests.sitebuild import build, make_project

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT / "test-artifacts"
SCREENSHOTS = PROJECT / "docs" / "assets" / "screenshots"
SLUG = "2024-08-25-cairo-ceasefire-talks-end-without-deal"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, with no background connections to other hosts."""
    assert Path(CHROMIUM).exists(), "install Debian's chromium (make test does: apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
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
    """Type into Material's search box as a reader does; the first result's link."""
    page.click("label.md-search__icon, input.md-search__input")
    page.keyboard.type(words, delay=20)
    first = page.locator(".md-search-result__item a").first
    first.wait_for(timeout=15_000)
    return first


@pytest.mark.parametrize("words", ["Cairo", "William Burns", "constructive", "sites targeted", "Gaza ceasefire"])
def test_briefings_rank_first_in_search(browser: Browser, served: str, words: str) -> None:
    """For a title word, a name, a quote, a figure's label or a topic, the briefing is the first result,
    above the guide pages whose examples use the same words."""
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


def test_search_for_nasrallah_reaches_the_cairo_briefing(browser: Browser, served: str) -> None:
    """Search finds the briefing by a name in it; nothing is fetched from another host."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests = _watch_requests(page)
    page.goto(served)
    first = _search(page, "Nasrallah")
    first.click()
    page.wait_for_url(f"**/briefings/{SLUG}/**")
    assert "Cairo talks" in page.locator("h1").inner_text()
    page.wait_for_load_state("networkidle")
    assert requests and not _elsewhere(requests)
    page.close()


@pytest.mark.parametrize(
    "address",
    ["", f"briefings/{SLUG}/", "briefings/", "who/", "who/hassan-nasrallah/", "stories/israel-hamas-war/", "topics/"],
)
def test_no_serious_accessibility_violation(browser: Browser, served: str, address: str) -> None:
    """axe-core finds no serious or critical violation on the home, briefing, list and joined pages."""
    assert AXE.exists(), "install axe-core (make test does: npm ci)"
    for scheme in ("light", "dark"):
        page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        page.goto(served + address)
        page.wait_for_load_state("networkidle")
        assert _serious_violations(page) == [], scheme
        page.close()


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 900), ("phone", 390, 844)])
def test_screenshots_of_the_briefing_page(
    browser: Browser, served: str, name: str, width: int, height: int, request: pytest.FixtureRequest
) -> None:
    """The briefing page at desktop and phone widths, saved to test-artifacts/ (and docs/ with --update-golden)."""
    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
    requests = _watch_requests(page)
    page.goto(served + f"briefings/{SLUG}/")
    page.wait_for_load_state("networkidle")
    # Nothing overflows sideways: the page reads on a phone without horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"briefing-{name}.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    if request.config.getoption("--update-golden"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, SCREENSHOTS / shot.name)
    assert not _elsewhere(requests)
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
