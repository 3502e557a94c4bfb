"""The first screen of a briefing on a phone (390×844), measured in Debian's Chromium: the headline, at a
glance with at least two key figures (where the briefing has two) and its next step, without scrolling.

On every briefing of a 200-briefing synthetic collection plus the seed briefing, and the seed again with
a title of the format's most, 140 characters, a summary of one sentence of its most, 600, and a `why` of its
most, 300.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from functools import partial

import pytest
import yaml
from playwright.sync_api import Browser

from benchmarks.synthetic import write_collection
from tests.sitebuild import build, make_project
from tests.test_browser import SLUG, _Quiet, browser  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LONGEST = "2024-08-26-longest-title"


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """The seed, its copy with the longest title and `why`, and 200 synthetic briefings, built and served."""
    root = make_project(tmp_path_factory.mktemp("first-screen"))
    write_collection(root, 200)
    seed = next((root / "briefings").rglob(f"{SLUG}.yaml"))
    data = yaml.safe_load(seed.read_text(encoding="utf-8"))
    data["date"] = "2024-08-26"
    data["title"] = ("Cairo talks on a Gaza ceasefire end without agreement as Israel and Hezbollah trade fire " * 2)[
        :140
    ].strip()
    data["why"] = ("A deal is the best chance to stop a wider war in the Middle East, say the mediators. " * 4)[
        :300
    ].strip()
    # One sentence of the format's most, 600 characters: all of it is the lead.
    data["summary"] = ("Talks in Cairo on a ceasefire and a hostage deal ended on Sunday without agreement, " * 8)[
        :599
    ].rstrip(", ") + "."
    data["next"].append({"text": "A vote on the truce.", "when": "2024-09-02"})  # "Coming up" on the home page
    assert len(data["title"]) >= 139 and len(data["why"]) >= 299 and len(data["summary"]) >= 590
    (root / "briefings" / f"{LONGEST}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    build(root)
    site = root / "site"
    slugs = sorted(p.parent.name for p in (site / "briefings").glob("*/index.html") if p.parent.name[:1].isdigit())
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", slugs
    server.shutdown()


#: Measured in the page: the bottom of the headline, of each key figure and of the next step, the number of
#: figures the briefing has, and the page's height; null where the page has no such element.
MEASURE = """() => {
  const bottom = (e) => e ? e.getBoundingClientRect().bottom + window.scrollY : null;
  return {
    title: bottom(document.querySelector("article.bf h1")),
    figures: [...document.querySelectorAll(".bf-glance-figures > li")].map(bottom),
    numbers: document.querySelectorAll(".bf-numbers li[id^='figure-']").length,
    next: bottom(document.querySelector(".bf-glance-next")),
    steps: document.querySelectorAll("ul.bf-next > li").length,
    scrolled: window.scrollY,
  };
}"""


def test_every_briefing_shows_its_answer_in_the_first_screen(
    browser: Browser,  # noqa: F811
    collection: tuple[str, list[str]],
) -> None:
    served, slugs = collection
    assert len(slugs) == 202 and LONGEST in slugs and SLUG in slugs
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    problems = []
    tallest = 0.0
    for slug in slugs:
        page.goto(f"{served}briefings/{slug}/")
        seen = page.evaluate(MEASURE)
        assert seen["scrolled"] == 0, slug
        wanted = min(2, seen["numbers"])
        shown = [b for b in seen["figures"] if b is not None and b <= PHONE["height"]]
        if seen["title"] is None or seen["title"] > PHONE["height"]:
            problems.append(f"{slug}: headline ends at {seen['title']}")
        if len(shown) < wanted:
            problems.append(f"{slug}: {len(shown)} of {wanted} key figures in the first screen ({seen['figures']})")
        if seen["steps"] and (seen["next"] is None or seen["next"] > PHONE["height"]):
            problems.append(f"{slug}: the next step ends at {seen['next']}")
        tallest = max(tallest, seen["next"] or 0.0)
    context.close()
    assert not problems, "\n".join(problems[:20])
    assert tallest > PHONE["height"] / 2  # measured on pages that were laid out, not on empty ones


def test_the_home_page_shows_twenty_briefings_in_three_phone_screens(
    browser: Browser,  # noqa: F811
    collection: tuple[str, list[str]],
) -> None:
    """The lead briefing (the longest title), then nineteen by day, one entry each (headline, story, key
    figure): the twentieth ends within three screens; "Coming up" and the link to Watch follow."""
    served, _ = collection
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(served)
    entries = page.eval_on_selector_all(
        "ul.bf-home-list > li", "lis => lis.map(li => li.getBoundingClientRect().bottom + window.scrollY)"
    )
    assert len(entries) == 19 and page.locator("article.bf-lead").count() == 1
    assert entries[-1] <= 3 * PHONE["height"], entries[-1]
    assert page.locator(".bf-coming li").count() == 1
    assert page.locator(".bf-more a[href='watch/']").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    context.close()
