"""Screenshots of the site as a reader meets it: home, a briefing, a story, an actor's page, search, and a
source text where a receipt leads; on a desktop and a phone, light and dark, in Debian's Chromium.

Each is saved to test-artifacts/; with `--update-golden` also to docs/assets/screenshots/, which the
README shows. The tests check what a reader would: the page's heading is drawn, nothing overflows
sideways, the picture is not blank, and no request leaves 127.0.0.1.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.test_browser import (  # noqa: F401 (fixtures)
    ARTIFACTS,
    SCREENSHOTS,
    SLUG,
    _elsewhere,
    _png_image,
    _search,
    _watch_requests,
    browser,
    served,
)

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
PAGES = {
    "home": "",
    "briefing": f"briefings/{SLUG}/",
    "story": "stories/israel-hamas-war/",  # the example briefing's story and first person
    "actor": "who/william-burns/",
    "search": f"briefings/{SLUG}/",
    "source": "sources/000-548c9463dc2f8344/#at-1331-1375",  # publish_sources: a receipt's passage, outlined
}


@pytest.fixture
def page_in(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:  # noqa: F811
    size, scheme = request.param
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("kind", list(PAGES))
@pytest.mark.parametrize(
    "page_in",
    [(size, scheme) for size in SIZES for scheme in ("light", "dark")],
    indirect=True,
    ids=[f"{size}-{scheme}" for size in SIZES for scheme in ("light", "dark")],
)
def test_screenshots(page_in: Page, served: str, kind: str, request: pytest.FixtureRequest) -> None:  # noqa: F811
    page = page_in
    requests = _watch_requests(page)
    response = page.goto(served + PAGES[kind])
    assert response is not None and response.ok, PAGES[kind]
    page.wait_for_load_state("networkidle")
    if kind == "search":
        _search(page, "William Burns")
    width, height = page.viewport_size["width"], page.viewport_size["height"]  # type: ignore[index]
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert page.locator("h1").first.is_visible()
    size, scheme = request.node.callspec.params["page_in"]
    drawn = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert drawn == ("slate" if scheme == "dark" else "default")
    name = f"{kind}-{size}-{scheme}.png"
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / name
    page.screenshot(path=str(shot), full_page=False)
    png_width, png_height, pixels = _png_image(shot.read_bytes())
    assert (png_width, png_height) == (width, height)
    assert len(set(pixels)) > 64  # not a blank picture
    if request.config.getoption("--update-golden"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, SCREENSHOTS / name)
    assert not _elsewhere(requests)
