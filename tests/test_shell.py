"""The newsroom's shell around the pages: tabs, footer menu, logo, titles, the home page's lead, the 404
page, empty states, heading levels, the skip link and the topic chips, on sites built by real MkDocs."""

from __future__ import annotations

import http.server
import json
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from generator.site.build import LOGO, logo_svg
from tests.conftest import MINIMAL
from tests.sitebuild import build, make_project, page, text
from tests.test_browser import AXE, _Quiet, _serious_violations, browser  # noqa: F401 (the fixture)

SVG = "{http://www.w3.org/2000/svg}"
SITE_NAME = "Briefings"
#: A site's name with every character that is syntax in XML or HTML.
HOSTILE_NAME = 'Daily & <Co> "News"'
SLUG = "2024-08-25-cairo-ceasefire-talks-end-without-deal"
CAIRO = "Cairo talks on a Gaza ceasefire and hostage deal end without agreement as Israel and Hezbollah trade fire"
STORY = "Israel-Hamas war"
TABS = ["Latest", "Stories", "Who", "Topics", "Watch", "Archive"]
GUIDES = {
    "About": "about/",
    "Reading a briefing": "reading/",
    "Contributing": "contributing/",
    "Reviewing and publishing": "publishing/",
    "The format": "format/",
    "Feed and data": "data/",
}
DATA = {"Corrections": "corrections/", "Atom feed": "feed.xml", "Briefings as JSON": "briefings.json"}

#: Briefings added to the project's own, newest first: slug, title, story (or None), topics.
ADDED = [
    ("2024-08-30-talks-move-to-doha", "Talks move to Doha", STORY, ["Gaza ceasefire", "Diplomacy"]),
    ("2024-08-29-aid-convoy-enters-gaza", "An aid convoy enters Gaza", None, []),
    ("2024-08-28-terms-and-markup", 'Talks & <b>terms</b> "agreed"', STORY, []),
    ("2024-08-27-mediators-meet-again", "Mediators meet again", None, []),
    ("2024-08-26-a-quiet-day", "A quiet day on the border", None, []),
]
LEAD = ADDED[0][0]


def _briefing(slug: str, title: str, story: str | None, topics: list[str]) -> str:
    text = MINIMAL.replace("title: Cairo talks end without a deal", f"title: {json.dumps(title)}")
    extra = f"date: {slug[:10]}\n"
    if story:
        extra += f"story: {json.dumps(story)}\n"
    if topics:
        extra += "topics:\n" + "".join(f"  - {json.dumps(topic)}\n" for topic in topics)
    return text.replace("date: 2024-08-25\n", extra)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's site, with five newer briefings: the newest in a story, with topics; one titled in markup."""
    root = make_project(tmp_path_factory.mktemp("shell"))
    for slug, title, story, topics in ADDED:
        (root / "briefings" / "2024" / f"{slug}.yaml").write_text(_briefing(slug, title, story, topics))
    build(root)
    return root


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site with no briefings at all, named with characters that are syntax in HTML and XML."""
    root = make_project(tmp_path_factory.mktemp("empty"), briefings=False)
    config = root / "mkdocs.yml"
    named = re.sub(r"(?m)^site_name:.*$", f"site_name: {json.dumps(HOSTILE_NAME)}", config.read_text("utf-8"))
    config.write_text(named, encoding="utf-8")
    build(root)
    return root


def _target(address: str, href: str) -> Path:
    """The file of the site that a link on the page at `address` leads to."""
    path = urlsplit(urljoin("http://site/" + address, href)).path.lstrip("/")
    return Path(path + "index.html" if path == "" or path.endswith("/") else path)


def _generated(root: Path) -> list[str]:
    """The address of every page the plugin generated (every page of the site but those of docs/, the
    theme's and the search index's), and the 404 page."""
    written = {
        path.with_suffix("").as_posix() + "/" for path in (root / "docs").rglob("*.md") if path.name != "index.md"
    }
    written = {address.removeprefix(f"{root / 'docs'}/") for address in written}
    pages = sorted(
        path.parent.relative_to(root / "site").as_posix() + "/"
        for path in (root / "site").rglob("index.html")
        if not {"assets", "pagefind"} & set(path.relative_to(root / "site").parts)
    )
    return [("" if page == "./" else page) for page in pages if page not in written] + ["404.html"]


def _skips(soup: BeautifulSoup) -> list[str]:
    """Where a page's headings skip a level (h1 then h3), or do not start at h1."""
    found, previous = [], 0
    for heading in soup.find_all(re.compile(r"^h[1-6]$")):
        level = int(heading.name[1])
        if level > previous + 1:
            found.append(f"h{previous} then {heading.name} {text(heading)!r}")
        previous = level
    return found


# Tabs and the footer's menu


@pytest.mark.parametrize("address", ["", f"briefings/{SLUG}/", "about/", "who/", "briefings/"])
def test_the_tabs_are_the_news_only(site: Path, address: str) -> None:
    """Latest, Stories, Who, Topics, Watch, Archive: each leads to its list; no guide page is a tab."""
    soup = page(site, address)
    links = soup.select("nav.md-tabs a.md-tabs__link")
    assert [text(a) for a in links] == TABS
    expected = ["index.html", "stories/index.html", "who/index.html", "topics/index.html", "watch/index.html"]
    expected.append("briefings/index.html")
    assert [str(_target(address, a["href"])) for a in links] == expected
    assert all(GUIDES[title] not in (a.get("href") or "") for a in soup.select(".md-tabs a") for title in GUIDES)


def test_the_archive_tab_is_active_on_the_archive(site: Path) -> None:
    active = page(site, "briefings/").select(".md-tabs__item--active a")
    assert [text(a) for a in active] == ["Archive"]


@pytest.mark.parametrize("address", ["", f"briefings/{SLUG}/", "about/", "404.html"])
def test_the_footer_menu_links_the_guides_the_feed_and_the_data(site: Path, address: str) -> None:
    """A nav "About this site" in the footer: every guide page (built, though in no tab), the feed and the JSON."""
    soup = page(site, address)
    (menu,) = soup.select('footer nav[aria-label="About this site"]')
    links = {text(a): a["href"] for a in menu.find_all("a")}
    assert list(links) == [*GUIDES, *DATA]
    for title, href in links.items():
        wanted = {**GUIDES, **DATA}[title]
        if address == "404.html":  # served at any address: its links are absolute
            assert href == "/" + wanted
        assert _target(address, href) == _target("", wanted)
        assert (site / "site" / _target(address, href)).is_file(), title


def test_the_footer_has_a_colophon_of_its_own(site: Path) -> None:
    footer = page(site, "").find("footer")
    words = text(footer)
    assert "© Briefings" in words and "MkDocs" in words
    assert "Made with Material for MkDocs" not in words


def test_guide_pages_are_built_and_titled(site: Path) -> None:
    for address in GUIDES.values():
        soup = page(site, address)
        assert soup.find("h1") is not None, address
        assert soup.title.string.endswith(" · Briefings"), address


# Logo and titles


def test_the_logo_is_a_monogram_used_as_logo_favicon_and_touch_icon(site: Path) -> None:
    svg = (site / "site" / LOGO).read_text(encoding="utf-8")
    assert svg == logo_svg(SITE_NAME)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == SITE_NAME
    assert root.find(f"{SVG}text").text == "B"
    assert root.find(f"{SVG}rect") is not None
    for address in ("", f"briefings/{SLUG}/", "about/"):
        soup = page(site, address)
        assert str(_target(address, soup.select_one(".md-header .md-logo img")["src"])) == LOGO
        assert str(_target(address, soup.find("link", rel="icon")["href"])) == LOGO
        assert str(_target(address, soup.find("link", rel="apple-touch-icon")["href"])) == LOGO
        colours = {m["media"]: m["content"] for m in soup.find_all("meta", attrs={"name": "theme-color"})}
        assert set(colours) == {"(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"}


def test_the_logo_escapes_a_hostile_site_name(empty: Path) -> None:
    svg = (empty / "site" / LOGO).read_text(encoding="utf-8")
    assert "<Co>" not in svg and '"News"' not in svg
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == HOSTILE_NAME
    assert root.get("aria-label") == HOSTILE_NAME
    assert root.find(f"{SVG}text").text == "DC"


@pytest.mark.parametrize(
    ("name", "letters"),
    [
        ("Briefings", "B"),
        ("the daily briefings", "TD"),
        ("]]><script>alert(1)</script>", "SA"),
        ("A\x01B\x1f & 'C'", "AC"),
        ("Östliche Nachrichten 😀", "ÖN"),
        ("<>&", "?"),
    ],
)
def test_the_monogram_is_valid_svg_whatever_the_name(name: str, letters: str) -> None:
    root = ET.fromstring(logo_svg(name))
    shown = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", name)
    assert root.find(f"{SVG}title").text == " ".join(shown.split())
    assert root.find(f"{SVG}text").text == letters


@pytest.mark.parametrize(
    ("address", "title"),
    [
        ("", "Briefings"),
        (f"briefings/{SLUG}/", f"{CAIRO} · Briefings"),
        ("briefings/", "All briefings · Briefings"),
        ("who/", "Who · Briefings"),
        ("stories/israel-hamas-war/", f"{STORY} · Briefings"),
        ("about/", "About these briefings · Briefings"),
        ("briefings/2024-08-28-terms-and-markup/", 'Talks & <b>terms</b> "agreed" · Briefings'),
        ("404.html", "Page not found · Briefings"),
    ],
)
def test_titles_name_the_page_then_the_site(site: Path, address: str, title: str) -> None:
    assert page(site, address).title.string == title


def test_a_hostile_site_name_is_text_in_every_title(empty: Path) -> None:
    assert page(empty, "").title.string == HOSTILE_NAME
    assert page(empty, "who/").title.string == f"Who · {HOSTILE_NAME}"
    assert page(empty, "404.html").title.string == f"Page not found · {HOSTILE_NAME}"
    assert f"© {HOSTILE_NAME}" in text(page(empty, "").find("footer"))


# The home page


def test_home_leads_with_the_newest_briefing_and_its_key_figure(site: Path) -> None:
    home = page(site, "")
    (lead,) = home.select("article.bf-lead")
    headline = lead.find("h2")
    assert text(headline) == "Talks move to Doha"
    assert headline.find("a")["href"] == f"briefings/{LEAD}/"
    kicker = lead.select_one(".bf-kicker a")
    assert text(kicker) == STORY and kicker["href"] == "stories/israel-hamas-war/"
    assert text(lead.select_one(".bf-key-figure .bf-value")) == "270"
    assert text(lead.select_one(".bf-key-figure .bf-label")) == "sites targeted"
    assert [text(a) for a in lead.select("ul.bf-topics a")] == ["Gaza ceasefire", "Diplomacy"]
    assert lead.find("time")["datetime"] == "2024-08-30"


def test_home_lists_the_rest_with_headlines_and_story_kickers(site: Path) -> None:
    """After the lead, the rest by day (a heading each), one entry each: headline, then its story and key
    figure on one line; no summary."""
    home = page(site, "")
    assert text(home.find("h2", id="more")) == "More briefings"
    items = home.select("ul.bf-home-list > li")
    assert [text(li.find("h4")) for li in items] == [title for _, title, _, _ in ADDED[1:]] + [CAIRO]
    kickers = [text(li.select_one(".bf-kicker")) if li.select_one(".bf-kicker") else None for li in items]
    assert kickers == [story for _, _, story, _ in ADDED[1:]] + [STORY]
    assert [li.find("h4").find("a")["href"] for li in items] == [f"briefings/{s}/" for s, *_ in ADDED[1:]] + [
        f"briefings/{SLUG}/"
    ]
    assert not home.select("ul.bf-home-list .bf-card-summary")
    for li in items:  # each under the heading of its day
        day = li.find_parent("ul")["aria-labelledby"]
        assert li.find_parent("ul").find_previous_sibling("h3")["id"] == day
    assert home.select_one(".bf-more a[href='watch/']") is not None


# The 404 page


def test_the_404_page_lists_the_five_newest_headlines(site: Path) -> None:
    soup = page(site, "404.html")
    assert text(soup.find("h1")) == "Page not found"
    links = soup.select("ul.bf-newest a")
    assert [text(a) for a in links] == [title for _, title, _, _ in ADDED]  # the markup shown as text
    assert [a["href"] for a in links] == [f"/briefings/{slug}/" for slug, *_ in ADDED]
    assert [t["datetime"] for t in soup.select("ul.bf-newest time")] == [slug[:10] for slug, *_ in ADDED]
    assert soup.select("ul.bf-newest b") == []
    for a in links:
        assert (site / "site" / a["href"].lstrip("/") / "index.html").is_file()
    # The header's search: its button and dialog, with Pagefind's bundle at an absolute address.
    assert soup.select_one("button.bf-search-open") is not None
    assert soup.select_one("dialog#bf-search")["data-bundle"] == "/pagefind/"
    assert soup.find("a", string="All briefings, by month")["href"] == "/briefings/"


def test_the_404_page_of_an_empty_site_links_the_lists(empty: Path) -> None:
    soup = page(empty, "404.html")
    assert soup.select("ul.bf-newest") == []
    assert soup.find("a", string="All briefings, by month")["href"] == "/briefings/"


# Empty states


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("", "No briefings yet: a briefing is one YAML file in briefings/"),
        ("briefings/", "No briefings yet: a briefing is one YAML file in briefings/"),
        ("stories/", "No stories yet: a briefing joins a story with story:"),
        ("topics/", "No topics yet: a briefing lists its topics under topics:"),
        ("who/", "No one yet: every briefing names the people, organizations, countries and groups in it under who:"),
    ],
)
def test_empty_lists_say_what_to_do(empty: Path, address: str, says: str) -> None:
    soup = page(empty, address)
    (empty_state,) = soup.select(".bf-empty")
    assert text(empty_state).startswith(says)
    (link,) = empty_state.find_all("a")
    assert (empty / "site" / _target(address, link["href"])).is_file()
    assert soup.select(".md-content ul.bf-index, .md-content ul.bf-list, .md-content .bf-lede time") == []


# Headings


def test_no_generated_page_skips_a_heading_level(site: Path, empty: Path) -> None:
    """On every page the plugin generates, and the 404 page: h1 first, and never a level skipped."""
    checked, skipped = 0, {}
    for root in (site, empty):
        for address in _generated(root):
            soup = page(root, address)
            if _skips(soup):
                skipped[address] = _skips(soup)
            assert len(soup.find_all("h1")) == 1, address
            checked += 1
    assert skipped == {}
    assert checked > 40


# In the browser


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("address", ["", f"briefings/{SLUG}/", "who/", "topics/gaza-ceasefire/", "about/", "404.html"])
def test_skip_to_content_is_first_in_the_tab_order_and_skips(browser: Browser, served: str, address: str) -> None:  # noqa: F811
    """The first Tab focuses "Skip to content", shown; Enter moves to the page's heading, and the next Tab
    to a link in the content, past the header and tabs."""
    page_ = browser.new_page(viewport={"width": 1280, "height": 900})
    page_.goto(served + address)
    page_.keyboard.press("Tab")
    focused = page_.evaluate(
        "() => { const a = document.activeElement; return [a.tagName, a.classList.contains('md-skip'),"
        " a.textContent.trim(), a.getAttribute('href')] }"
    )
    assert focused[:3] == ["A", True, "Skip to content"]
    page_.wait_for_function("getComputedStyle(document.activeElement).opacity === '1'")  # shown while focused
    target = focused[3]
    assert target.startswith("#") and page_.locator(target).count() == 1
    assert page_.locator(target).evaluate("element => element.tagName") == "H1"
    page_.keyboard.press("Enter")
    page_.wait_for_function("hash => location.hash === hash", arg=target)
    page_.keyboard.press("Tab")
    assert page_.evaluate("() => !!document.activeElement.closest('.md-content')")
    page_.close()


@pytest.mark.browser
@pytest.mark.parametrize(("address", "width"), [("", 1280), (f"briefings/{SLUG}/", 1280), (f"briefings/{SLUG}/", 390)])
def test_topic_chips_are_links_on_their_whole_pill_of_24_px_at_least(
    browser: Browser,  # noqa: F811
    served: str,
    address: str,
    width: int,
) -> None:
    page_ = browser.new_page(viewport={"width": width, "height": 900})
    page_.goto(served + address)
    chips = page_.locator(".md-content ul.bf-topics > li")
    assert chips.count() >= 2
    chips.last.scroll_into_view_if_needed()  # a briefing's topics close its page
    for i in range(chips.count()):
        pill, link = chips.nth(i).bounding_box(), chips.nth(i).locator("a").bounding_box()
        assert pill is not None and link is not None
        assert link["width"] >= 24 and link["height"] >= 24
        assert abs(pill["width"] - link["width"]) < 1 and abs(pill["height"] - link["height"]) < 1
        # Just inside the pill's left end, in its padding, is the link.
        x, y = link["x"] + 4, link["y"] + link["height"] / 2
        assert page_.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('ul.bf-topics a')", [x, y])
    first = chips.first.locator("a")
    box = first.bounding_box()
    assert box is not None
    href = first.get_attribute("href") or ""
    page_.mouse.click(box["x"] + 4, box["y"] + box["height"] / 2)
    page_.wait_for_url(f"**/{href.strip('./')}**")
    assert "/topics/" in page_.url
    page_.close()


@pytest.mark.browser
@pytest.mark.parametrize("address", ["404.html", "about/"])
def test_no_serious_accessibility_violation_on_the_404_and_guide_pages(
    browser: Browser,  # noqa: F811
    served: str,
    address: str,
) -> None:
    """axe-core finds no serious or critical violation on the 404 page and a guide page (footer menu, skip
    link, tabs), light and dark."""
    assert AXE.exists(), "axe-core is not installed: run `make browser` (it runs `npm install`)"
    for scheme in ("light", "dark"):
        page_ = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        page_.goto(served + address)
        page_.wait_for_load_state("networkidle")
        assert _serious_violations(page_) == [], scheme
        page_.close()
