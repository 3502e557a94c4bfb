"""Search: Pagefind's index of the built site (generator/search.py) and the header's search dialog.

The index holds the briefings and the guide pages and nothing else; a briefing's related and story
lists are not its text; results show every string literally; the dialog is keyboard- and
screen-reader-usable; a large site's index, in shards, is searched as one; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import http.server
import json
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from generator.search import (
    BUNDLE_DIR,
    SHARDS_FILE,
    SearchIndexError,
    index_site,
    indexed_pages,
    pages_to_index,
    shard,
)
from tests.conftest import MINIMAL
from tests.sitebuild import build, make_project
from tests.test_browser import (  # noqa: F401 (fixtures)
    AXE,
    SLUG,
    _elsewhere,
    _Quiet,
    _serious_violations,
    browser,
    serving,
)

HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
ENTITIES_TITLE = "&lt;b&gt; &amp; <b>bold</b> &#60;"
BLINKEN = "2024-08-26-blinken-joins-the-cairo-talks"
RESUMED = "2024-08-27-talks-resume-in-doha"


def _variant(title: str, date: str, extra_who: str = "") -> str:
    text = MINIMAL.replace("title: Cairo talks end without a deal", f"title: {json.dumps(title)}")
    text = text.replace("date: 2024-08-25", f"date: {date}")
    return text.replace("    role: Director, CIA\n", "    role: Director, CIA\n" + extra_who)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's site, with three more briefings: one naming Antony Blinken, one related to it (they
    share William Burns) that does not name him, and one whose title is markup."""
    root = make_project(tmp_path_factory.mktemp("search"))
    folder = root / "briefings" / "2024"
    blinken = "  - name: Antony Blinken\n    role: U.S. Secretary of State\n"
    (folder / f"{BLINKEN}.yaml").write_text(_variant("Blinken joins the talks", "2024-08-26", blinken))
    (folder / f"{RESUMED}.yaml").write_text(_variant("Talks resume in Doha", "2024-08-27"))
    (folder / "2024-08-28-hostile.yaml").write_text(_variant(HOSTILE_TITLE, "2024-08-28"))
    (folder / "2024-08-29-entities.yaml").write_text(_variant(ENTITIES_TITLE, "2024-08-29"))
    build(root)
    return root / "site"


# The index, read from the built site


def test_built_site_has_pagefinds_index_and_no_material_index(site: Path) -> None:
    bundle = site / BUNDLE_DIR
    for name in ("pagefind.js", "pagefind-entry.json", "wasm.en.pagefind", SHARDS_FILE):
        assert (bundle / name).is_file(), name
    assert json.loads((bundle / SHARDS_FILE).read_text()) == {"merge": []}
    assert not (site / "search" / "search_index.json").exists()
    # The pages do not load Material's search: no form named "search" makes its script fetch an index.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'name="search"' not in home and "bf-search-open" in home
    assert not list(site.parent.glob(".pagefind-pages-*")), "the staging folder is left behind"


def test_only_briefings_and_guide_pages_are_indexed(site: Path) -> None:
    pages = indexed_pages(site)
    briefings = {url for url in pages if url.startswith("/briefings/")}
    assert briefings == {
        f"/briefings/{slug}/" for slug in (SLUG, BLINKEN, RESUMED, "2024-08-28-hostile", "2024-08-29-entities")
    }
    guides = {url for url in pages if not url.startswith("/briefings/")}
    assert {"/about/", "/reading/", "/format/"} <= guides
    assert not [url for url in guides if url.split("/")[1] in ("who", "stories", "topics", "")]
    for url, page in pages.items():
        assert page.meta.get("kind") == ("Guide" if url in guides else None), url
        assert page.meta.get("title"), url
    assert pages[f"/briefings/{SLUG}/"].meta == {
        "title": "Cairo talks on a Gaza ceasefire and hostage deal end without agreement as Israel and Hezbollah"
        " trade fire",
        "date": "25 August 2024",
    }


def test_related_and_story_lists_are_not_a_briefings_text(site: Path) -> None:
    """A briefing's page lists related briefings by title; the index holds only its own text."""
    page_html = (site / "briefings" / RESUMED / "index.html").read_text(encoding="utf-8")
    assert "Blinken joins the talks" in page_html  # the related list names it...
    resumed = indexed_pages(site)[f"/briefings/{RESUMED}/"]
    content = resumed.content
    assert "Blinken" not in content and "Related briefings" not in content  # ...the index does not
    assert "Talks resume in Doha" in content and "William Burns" in content
    # Nor are the section headings, the same on every briefing.
    for heading in ("What happened", "In numbers", "What’s next"):
        assert heading not in content, heading


def test_title_people_and_topics_weigh_more(site: Path) -> None:
    html = (site / "briefings" / SLUG / "index.html").read_text(encoding="utf-8")
    assert '<article class="bf" data-pagefind-body>' in html
    assert '<h1 id="title" data-pagefind-weight="10">' in html
    assert '<ul class="bf-who" data-pagefind-weight="6">' in html
    assert 'data-pagefind-weight="5"' in html  # the topics
    guide = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-body data-pagefind-weight="0.5" data-pagefind-meta="kind:Guide"' in guide


def test_index_holds_the_text_as_written(site: Path) -> None:
    pages = indexed_pages(site)
    for slug, title in (("2024-08-28-hostile", HOSTILE_TITLE), ("2024-08-29-entities", ENTITIES_TITLE)):
        page = pages[f"/briefings/{slug}/"]
        assert page.meta["title"] == title
        assert page.content.startswith(title)


# index_site itself


def _page(body: bool, text: str) -> str:
    marked = " data-pagefind-body" if body else ""
    return (
        f'<!doctype html><html lang="en"><head><title>{text}</title></head>'
        f"<body><main{marked}><h1>{text}</h1><p>{text} words here</p></main></body></html>"
    )


def _tiny_site(root: Path, count: int = 6) -> Path:
    site = root / "site"
    for i in range(count):
        (site / "briefings" / f"b{i}").mkdir(parents=True)
        (site / "briefings" / f"b{i}" / "index.html").write_text(_page(True, f"Briefing number{i} zebra"))
    (site / "who").mkdir()
    (site / "who" / "index.html").write_text(_page(False, "Listing zebra"))
    (site / "index.html").write_text(_page(False, "Home"))
    return site


def test_pages_to_index_takes_only_marked_pages(tmp_path: Path) -> None:
    site = _tiny_site(tmp_path, 2)
    (site / "quoted").mkdir()
    (site / "quoted" / "index.html").write_text(_page(False, "the attribute data-pagefind-body in text"))
    assert sorted(pages_to_index(site)) == [Path("briefings/b0/index.html"), Path("briefings/b1/index.html")]
    assert all(words > 5 for words in pages_to_index(site).values())


def test_shards_are_dealt_and_bounded() -> None:
    pages = {Path(f"p{i}"): 100 for i in range(10)}
    assert shard(pages, 10_000) == [list(pages)]
    shards = shard(pages, 300)
    assert len(shards) == 4 and sorted(p for s in shards for p in s) == sorted(pages)
    assert shards[0] == [Path("p0"), Path("p4"), Path("p8")]
    assert shard({}, 300) == [[]]
    assert len(shard({Path("huge"): 10**9}, 300)) == 1


def test_index_site_replaces_its_own_index_and_refuses_another_folder(tmp_path: Path) -> None:
    site = _tiny_site(tmp_path)
    first = index_site(site)
    assert (first.pages, first.shards) == (6, 1)
    assert first.bytes > 100_000 and first.seconds > 0
    assert first.peak_memory is None or 1_000_000 < first.peak_memory < 1_000_000_000
    (site / BUNDLE_DIR / "stale.pf_fragment").write_bytes(b"old")
    second = index_site(site, max_words=30)
    assert not (site / BUNDLE_DIR / "stale.pf_fragment").exists()
    assert second.pages == 6 and second.shards > 1
    merge = json.loads((site / BUNDLE_DIR / SHARDS_FILE).read_text())["merge"]
    assert merge == [f"shard-{n}/" for n in range(1, second.shards)]
    for name in merge:  # a merged shard keeps its index, not a second copy of the scripts
        assert (site / BUNDLE_DIR / name / "pagefind-entry.json").is_file()
        assert not list((site / BUNDLE_DIR / name).glob("*.js"))
    assert len(indexed_pages(site)) == 6
    shutil.rmtree(site / BUNDLE_DIR)
    (site / BUNDLE_DIR).mkdir()
    (site / BUNDLE_DIR / "index.html").write_text("a page someone published here")
    with pytest.raises(SearchIndexError, match="not a search index the site made"):
        index_site(site)
    assert (site / BUNDLE_DIR / "index.html").exists()


def _bundle(site: Path) -> dict[str, bytes]:
    folder = site / BUNDLE_DIR
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_index_is_kept_and_reused_only_for_exactly_the_same_pages(tmp_path: Path) -> None:
    """With `keep`, the second run over the same pages copies the kept index; a changed page, or a
    changed setting, makes it again, the same as made without a kept one."""
    site = _tiny_site(tmp_path)
    keep = tmp_path / "kept"
    made = index_site(site, keep=keep)
    assert not made.reused and (keep / "key").is_file()
    first = _bundle(site)
    again = index_site(site, keep=keep)
    assert again.reused and again.pages == 6 and _bundle(site) == first
    (site / "briefings" / "b3" / "index.html").write_text(_page(True, "Briefing number3 giraffe"))
    changed = index_site(site, keep=keep)
    assert not changed.reused and "giraffe" in str(indexed_pages(site))
    made_again = _bundle(site)
    shutil.rmtree(site / BUNDLE_DIR)
    index_site(site)
    assert _bundle(site) == made_again
    assert not index_site(site, keep=keep, max_words=30).reused
    # a folder that holds anything else is left as it is, and nothing is kept there
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("not the generator's")
    assert not index_site(site, keep=foreign).reused
    assert sorted(p.name for p in foreign.iterdir()) == ["mine.txt"]


def test_index_site_says_when_pagefind_cannot_run(tmp_path: Path) -> None:
    site = _tiny_site(tmp_path)
    with pytest.raises(SearchIndexError, match="could not be started"):
        index_site(site, executable=tmp_path / "no-such-pagefind")
    with pytest.raises(SearchIndexError, match="no built site"):
        index_site(tmp_path / "missing")


# In the browser

SEARCH_TIMEOUT = 20_000


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:  # noqa: F811
    """A fresh browser profile; its requests, the dedicated workers' included, in `context.requests`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.requests = requests  # type: ignore[attr-defined]
    dialogs: list[str] = []
    context.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    context.dialogs = dialogs  # type: ignore[attr-defined]
    yield context
    assert requests and not _elsewhere(requests), _elsewhere(requests)
    assert not dialogs, dialogs  # no alert() ran
    context.close()


def _shown(page: Page) -> None:
    """Wait for the results of what was typed last."""
    page.wait_for_function(
        "document.querySelector('#bf-search-results').getAttribute('aria-busy') === 'false'", timeout=SEARCH_TIMEOUT
    )


def _results(page: Page, words: str) -> list[tuple[str, str]]:
    """Search as a reader does; the results shown: (address, title)."""
    if not page.locator("#bf-search").evaluate("dialog => dialog.open"):
        page.click(".bf-search-open")
    page.locator("#bf-search-input").fill(words)
    _shown(page)
    links = page.locator("#bf-search-results a")
    return [
        (links.nth(i).get_attribute("href") or "", links.nth(i).locator(".bf-search__title").inner_text())
        for i in range(links.count())
    ]


@pytest.mark.browser
@pytest.mark.parametrize(
    "words",
    ["Nasrallah", "Hassan Nasrallah", "miracle", "Katyusha rockets", "synagogue", "Hostages", "Hezbollah trade fire"],
)
def test_search_finds_the_briefing_by_name_quote_figure_and_topic(
    context: BrowserContext, served: str, words: str
) -> None:
    page = context.new_page()
    page.goto(served + "about/")
    results = _results(page, words)
    assert results and results[0][0].endswith(f"/briefings/{SLUG}/"), results


@pytest.mark.browser
def test_a_related_briefing_is_not_found_by_the_names_in_its_related_list(context: BrowserContext, served: str) -> None:
    page = context.new_page()
    page.goto(served + f"briefings/{RESUMED}/")
    assert page.locator(".bf-related").get_by_text("Blinken joins the talks").count() == 1  # on the page
    found = [href for href, _ in _results(page, "Blinken") if "/briefings/" in href]
    assert found == [f"/briefings/{BLINKEN}/"]


@pytest.mark.browser
@pytest.mark.parametrize(("words", "title"), [("onerror", HOSTILE_TITLE), ("bold", ENTITIES_TITLE)])
def test_results_show_markup_in_a_title_literally(context: BrowserContext, served: str, words: str, title: str) -> None:
    page = context.new_page()
    page.goto(served)
    results = _results(page, words)
    assert (results[0][0].rsplit("/", 2)[-2], results[0][1]) in {
        ("2024-08-28-hostile", title),
        ("2024-08-29-entities", title),
    }
    dialog = page.locator("#bf-search")
    assert dialog.locator("img, b, script").count() == 0
    excerpt = dialog.locator(".bf-search__excerpt").first
    assert title in excerpt.inner_text()
    assert excerpt.locator("mark").count() >= 1


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_dialog_by_keyboard_and_for_screen_readers(browser: Browser, served: str, scheme: str) -> None:  # noqa: F811
    """ "/" opens a labelled modal dialog with a labelled field; results are links the arrow keys reach;
    Escape closes it and gives focus back; axe finds nothing serious with results shown."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(served + "reading/")
    opener = page.locator(".bf-search-open")
    assert opener.is_visible() and opener.get_attribute("aria-haspopup") == "dialog"
    page.keyboard.press("/")
    dialog = page.get_by_role("dialog", name="Search")
    assert dialog.is_visible()
    field = page.get_by_role("textbox", name="Search")
    assert field.evaluate("element => element === document.activeElement")
    page.keyboard.type("Nasrallah")
    _shown(page)
    first = dialog.get_by_role("link").filter(has_text="Cairo talks").first
    assert dialog.get_by_role("status").inner_text() == "1 result"
    page.keyboard.press("ArrowDown")
    assert first.evaluate("element => element === document.activeElement")
    page.keyboard.press("ArrowUp")
    assert field.evaluate("element => element === document.activeElement")
    assert AXE.exists(), "axe-core is not installed: run `make browser`"
    assert _serious_violations(page) == [], scheme
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    page.wait_for_function("document.activeElement && document.activeElement.matches('.bf-search-open')")
    # Enter on a result follows it.
    opener.click()
    page.keyboard.type("Nasrall")  # the last query is still in the field, selected: typing replaces it
    _shown(page)
    assert field.input_value() == "Nasrall"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/briefings/{SLUG}/")
    context.close()


@pytest.mark.browser
def test_search_on_a_phone_fills_the_screen(browser: Browser, served: str) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(served)
    assert page.locator(".bf-search-open__label").is_hidden()  # the magnifier alone
    results = _results(page, "Nasrallah")
    assert results[0][0].endswith(f"/briefings/{SLUG}/")
    box = page.locator("#bf-search").bounding_box()
    assert box is not None and (box["width"], box["height"]) == (390, 844)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    context.close()


@pytest.mark.browser
def test_an_index_in_shards_is_searched_as_one(
    context: BrowserContext, site: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A large site's index is in several bundles (each run of Pagefind kept small); the page merges them."""
    copy = tmp_path_factory.mktemp("sharded") / "site"
    shutil.copytree(site, copy)
    result = index_site(copy, max_words=1_000)
    assert result.shards >= 4
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(copy)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/about/")
        found = {href.rsplit("/", 2)[-2] for href, _ in _results(page, "William Burns")}
        # In several shards: the seed briefing, the three variants of MINIMAL, and guide pages.
        assert {SLUG, BLINKEN, RESUMED, "2024-08-28-hostile", "2024-08-29-entities"} <= found
        assert [href for href, _ in _results(page, "Blinken") if "/briefings/" in href] == [f"/briefings/{BLINKEN}/"]
    finally:
        server.shutdown()


@pytest.mark.browser
def test_serve_indexes_after_every_build(browser: Browser, serving: tuple[Path, str]) -> None:  # noqa: F811
    """`mkdocs serve` builds into a folder of its own: the index is made there too, and made again
    after an edit."""
    root, url = serving
    with urllib.request.urlopen(url + "pagefind/pagefind-entry.json", timeout=10) as response:
        assert response.status == 200
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "about/")
    assert _results(page, "Nasrallah")[0][0].endswith(f"/briefings/{SLUG}/")
    source = root / "briefings" / "2024" / f"{SLUG}.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("title: Cairo talks", "title: Zanzibar Cairo talks", 1), encoding="utf-8")
    page.goto(url + f"briefings/{SLUG}/")
    page.wait_for_function("document.querySelector('h1').innerText.startsWith('Zanzibar')", timeout=60_000)
    page.wait_for_timeout(2_000)  # the index is written after the pages
    page.reload()
    results = _results(page, "Zanzibar")
    assert results and results[0][1].startswith("Zanzibar Cairo talks")
    context.close()
