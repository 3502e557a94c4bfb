"""Search: Pagefind's index of the built site (generator/site/search.py) and the header's search dialog.

The index holds the briefings, the guide pages and the heads (name, roles) of the first pages of
people and stories, and nothing else: no list, month or numbered page; a briefing's related and story
lists are not its text; no two words run together in it; a name finds its page first, then the
briefings naming it, and any other word a briefing first; results show every string literally, the
matched words highlighted at 4.5:1 at least, and say what to try when nothing matches; the dialog is
keyboard- and screen-reader-usable; a large site's index, in shards, is searched as one; nothing
leaves 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import re
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup, Comment
from playwright.sync_api import Browser, BrowserContext, Page

from generator.site.reading import lead_sentence
from generator.site.search import (
    BUNDLE_DIR,
    SHARDS_FILE,
    SearchIndexError,
    index_site,
    indexed_pages,
    pages_to_index,
    shard,
)
from generator.store.cache import Store
from tests.conftest import MINIMAL, SEED, SEED_BRIEFING
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
HOSTILE = "2024-08-28-hostile"
ENTITIES = "2024-08-29-entities"
#: The month pages of the archive: `/briefings/2024/08/`.
MONTH = re.compile(r"/briefings/\d{4}/\d{2}/")


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
    (folder / f"{HOSTILE}.yaml").write_text(_variant(HOSTILE_TITLE, "2024-08-28"))
    (folder / f"{ENTITIES}.yaml").write_text(_variant(ENTITIES_TITLE, "2024-08-29"))
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


def test_briefings_guide_pages_and_the_names_of_people_and_stories_are_indexed(site: Path) -> None:
    pages = indexed_pages(site)
    briefings = {url for url in pages if url.startswith("/briefings/")}
    assert briefings == {f"/briefings/{slug}/" for slug in (SLUG, BLINKEN, RESUMED, HOSTILE, ENTITIES)}
    actors = {url for url in pages if url.startswith("/who/")}
    stories = {url for url in pages if url.startswith("/stories/")}
    guides = set(pages) - briefings - actors - stories
    assert {"/about/", "/reading/", "/format/"} <= guides
    assert not [url for url in guides if url.split("/")[1] in ("who", "stories", "topics", "")]
    # Every person, organization, country and group of the briefings, and the story: their first page only.
    assert {"/who/hassan-nasrallah/", "/who/antony-blinken/", "/who/hamas/", "/who/egypt/"} <= actors
    assert len(actors) == 19 and stories == {"/stories/israel-hamas-war/"}
    assert not {"/who/", "/stories/", "/topics/", "/briefings/", "/"} & set(pages)
    for url, page in pages.items():
        kind = page.meta.get("kind")
        if url in briefings:
            assert kind is None, url
        elif url in guides:
            assert kind == "Guide", url
        elif url in stories:
            assert kind == "Story", url
        else:
            assert kind in ("Person", "Organization", "Country", "Group"), url
        assert page.meta.get("title"), url
    seed = yaml.safe_load(SEED_BRIEFING.read_text(encoding="utf-8"))
    assert pages[f"/briefings/{SLUG}/"].meta == {
        "title": "Cairo talks on a Gaza ceasefire and hostage deal end without agreement as Israel and Hezbollah"
        " trade fire",
        "date": "25 August 2024",
        "summary": lead_sentence(" ".join(seed["summary"].split()))[0],  # its lead, as at a glance
    }
    assert pages["/who/hamas/"].meta["kind"] == "Organization"
    assert pages["/who/egypt/"].meta["kind"] == "Country"


def test_a_person_or_story_is_indexed_by_name_and_roles_only(site: Path) -> None:
    """Not the briefings their page lists (titles, summaries, topics), nor the quotes, nor the headings."""
    pages = indexed_pages(site)
    nasrallah = pages["/who/hassan-nasrallah/"]
    assert nasrallah.meta == {
        "title": "Hassan Nasrallah",
        "name": "Hassan Nasrallah",
        "kind": "Person",
        "about": "In 1 briefing",
        "date": "25 August 2024",  # the day of their latest briefing, shown with the result
    }
    assert nasrallah.content == "Hassan Nasrallah. Hezbollah leader."
    burns = pages["/who/william-burns/"]
    assert burns.meta["about"] == "In 5 briefings"
    # Each role a sentence of its own, not the briefing it was seen in.
    assert burns.content == "William Burns. Director, CIA. Director, CIA; took part in the Cairo talks."
    story = pages["/stories/israel-hamas-war/"]
    assert story.meta == {
        "title": "Israel-Hamas war",
        "name": "Israel-Hamas war",
        "kind": "Story",
        "about": "1 briefing",
        "date": "25 August 2024",  # a story of one briefing: its day
    }
    assert story.content == "Israel-Hamas war."
    for url in [url for url in pages if url.startswith(("/who/", "/stories/"))]:
        content = pages[url].content
        for words in ("Roles", "Briefings", "Quotes", "Cairo talks on a Gaza", "High-level talks", "Gaza ceasefire"):
            assert words not in content, (url, words)


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
    article = BeautifulSoup(html, "html.parser").select_one("article.bf")
    assert article is not None and article.has_attr("data-pagefind-body")
    assert article["data-pagefind-sort"] == "date:2024-08-25"  # what search sorts the briefings by
    assert '<h1 id="title" data-pagefind-weight="10">' in html
    assert '<ul class="bf-who" data-pagefind-weight="6">' in html
    assert 'data-pagefind-weight="5"' in html  # the topics
    guide = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-body data-pagefind-weight="0.5" data-pagefind-meta="kind:Guide"' in guide
    # A person's or a story's name weighs as much as a briefing's title, on a page of a few words; roles little.
    for address, kind, name in (
        ("who/hassan-nasrallah", "Person", "Hassan Nasrallah"),
        ("stories/israel-hamas-war", "Story", "Israel-Hamas war"),
    ):
        soup = BeautifulSoup((site / address / "index.html").read_text(encoding="utf-8"), "html.parser")
        [body] = soup.select("[data-pagefind-body]")
        assert body.name == "div" and body["data-pagefind-meta"] == f"kind:{kind}", address
        title = body.select_one("h1#title")
        assert title is not None and title["data-pagefind-weight"] == "10" and title.get_text() == name
    roles = BeautifulSoup((site / "who" / "hassan-nasrallah" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert roles.select_one("[data-pagefind-body] ul.bf-roles[data-pagefind-weight='0.5']") is not None


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def _page_words(html: str) -> set[str]:
    """The words of a page's indexed part, its text nodes taken apart: none of them run together."""
    soup = BeautifulSoup(html, "html.parser")
    words: set[str] = set()
    for body in soup.select("[data-pagefind-body]"):
        words |= _words(" ".join(str(s) for s in body.find_all(string=True) if not isinstance(s, Comment)))
    return words


def _run_together(site: Path, url: str, text: str) -> set[str]:
    """The words of `text` (from the index, or a result) that the page at `url` does not hold: words of two
    elements that Pagefind joined, which a search for either word does not find ("leaderOn")."""
    return _words(text) - _page_words((site / url.strip("/") / "index.html").read_text(encoding="utf-8"))


def test_no_two_words_run_together_in_the_index(site: Path) -> None:
    """Pagefind joins the text of two elements without a space unless one is a block (p, li, div...):
    a role followed by a quote's context would be indexed as one word."""
    pages = indexed_pages(site)
    checked = [f"/briefings/{SLUG}/", "/who/hassan-nasrallah/", "/who/william-burns/", "/stories/israel-hamas-war/"]
    assert {url: _run_together(site, url, pages[url].content) for url in checked} == {url: set() for url in checked}


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """51 briefings of one person, story and topic over two months: each list has numbered pages."""
    root = make_project(tmp_path_factory.mktemp("paged"), briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    start = dt.date(2024, 7, 1)
    for i in range(51):
        data = yaml.safe_load(MINIMAL)
        day = (start + dt.timedelta(days=i)).isoformat()
        data.update(date=day, title=f"Briefing number {i}", story="Long story", topics=["Long topic"])
        (root / "briefings" / f"{day}-n{i}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    build(root)
    return root / "site"


def test_lists_months_and_numbered_pages_are_not_indexed(paged: Path) -> None:
    pages = indexed_pages(paged)
    assert len([url for url in pages if url.startswith("/briefings/")]) == 51
    assert {"/who/william-burns/", "/stories/long-story/"} <= set(pages)
    not_indexed = [
        "",
        "briefings/",
        "briefings/2024/07/",
        "briefings/2024/08/",
        "who/",
        "who/william-burns/page/1/",
        "who/william-burns/page/2/",
        "stories/",
        "stories/long-story/page/2/",
        "topics/",
        "topics/long-topic/",
        "topics/long-topic/page/1/",
    ]
    for address in not_indexed:
        html = (paged / address / "index.html").read_text(encoding="utf-8")
        assert "data-pagefind-body" not in html, address
        assert f"/{address}" not in pages, address
    assert not [url for url in pages if "/page/" in url or MONTH.fullmatch(url) or url.startswith("/topics/")]
    marked = {path.parent.as_posix() + "/" for path in pages_to_index(paged)}
    assert not [address for address in marked if "/page/" in address or address.startswith(("topics/", "./"))]


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


def test_shards_are_dealt_by_path_so_a_new_page_changes_one_shard() -> None:
    pages = {Path(f"p{i}"): 100 for i in range(10)}
    assert shard(pages, 10_000) == [list(pages)]
    shards = shard(pages, 400)
    assert len(shards) == 3 and sorted(p for s in shards for p in s) == sorted(pages)
    assert all(shards)  # dealt over every shard
    more = shard({**pages, Path("p10"): 10}, 400)
    assert len(more) == 3
    changed = [n for n in range(3) if more[n] != shards[n]]
    assert len(changed) == 1 and Path("p10") in more[changed[0]]
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
    keep = Store(tmp_path / "kept")
    made = index_site(site, keep=keep)
    assert not made.reused and made.made == 1 and (keep.folder / "words.json").is_file()
    first = _bundle(site)
    again = index_site(site, keep=keep)
    assert again.reused and again.pages == 6 and _bundle(site) == first
    (site / "briefings" / "b3" / "index.html").write_text(_page(True, "Briefing number3 giraffe"))
    changed = index_site(site, keep=keep)
    assert not changed.reused and changed.made == 1 and "giraffe" in str(indexed_pages(site))
    made_again = _bundle(site)
    shutil.rmtree(site / BUNDLE_DIR)
    index_site(site)
    assert _bundle(site) == made_again
    assert not index_site(site, keep=keep, max_words=30).reused
    # a folder that holds anything else: what is not ours is left as it is
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("not the generator's")
    assert not index_site(site, keep=Store(foreign)).reused
    assert (foreign / "mine.txt").read_text() == "not the generator's"


def test_a_changed_page_makes_only_its_own_shard_again(tmp_path: Path) -> None:
    """In shards, a page changed or added: the shard it is dealt to is made again, the others are copied,
    and the index is the one made without any kept."""
    site = _tiny_site(tmp_path, 12)
    keep = Store(tmp_path / "kept")
    limit = int(sum(pages_to_index(site).values()) / 2.5 / 0.85)  # three shards, a page more or not
    first = index_site(site, keep=keep, max_words=limit)
    assert first.shards == 3 and first.made == 3
    (site / "briefings" / "b12").mkdir()
    (site / "briefings" / "b12" / "index.html").write_text(_page(True, "Briefing number12 okapi"))
    again = index_site(site, keep=keep, max_words=limit)
    assert again.shards == 3 and again.made == 1 and not again.reused
    warm = _bundle(site)
    shutil.rmtree(site / BUNDLE_DIR)
    index_site(site, max_words=limit)
    assert _bundle(site) == warm
    assert "okapi" in str(indexed_pages(site))


def test_a_kept_index_whose_files_were_altered_is_made_again(tmp_path: Path) -> None:
    """A kept file whose bytes are not those kept (a planted pagefind.js), or a link in its place, is never
    copied into the site: the index is made again, as it is made without a kept one."""
    site = _tiny_site(tmp_path)
    keep = Store(tmp_path / "kept")
    index_site(site, keep=keep)
    made = _bundle(site)
    script = next(keep.folder.glob("shard/*/pagefind.js"))
    script.write_text("alert('planted')")
    again = index_site(site, keep=Store(keep.folder))
    assert not again.reused and _bundle(site) == made
    outside = tmp_path / "outside.js"
    outside.write_text("alert('planted')")
    script = next(keep.folder.glob("shard/*/pagefind.js"))
    script.unlink()
    script.symlink_to(outside)
    again = index_site(site, keep=Store(keep.folder))
    assert not again.reused and _bundle(site) == made
    assert b"planted" not in b"".join(made.values())
    assert outside.read_text() == "alert('planted')"


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


def _addresses(page: Page, words: str) -> list[str]:
    """The addresses of the results, from the site's root: `/who/hassan-nasrallah/`."""
    return [urlsplit(href).path for href, _ in _results(page, words)]


@pytest.mark.browser
@pytest.mark.parametrize(
    "words",
    [
        "miracle",
        "Katyusha rockets",
        "synagogue",
        "Hostages",
        "Hezbollah trade fire",
        "compromises",
        "intelligence agency",
    ],
)
def test_search_finds_the_briefing_first_by_quote_figure_topic_and_role(
    context: BrowserContext, served: str, words: str
) -> None:
    """Words that are not a name find the briefing first, even those of a person's roles, which
    their page holds in a few words."""
    page = context.new_page()
    page.goto(served + "about/")
    results = _addresses(page, words)
    assert results and results[0] == f"/briefings/{SLUG}/", results


@pytest.mark.browser
@pytest.mark.parametrize(
    ("words", "first", "named"),
    [
        ("Nasrallah", "/who/hassan-nasrallah/", {SLUG}),
        ("Hassan Nasrallah", "/who/hassan-nasrallah/", {SLUG}),
        ("Blinken", "/who/antony-blinken/", {BLINKEN}),
        ("Antony Blinken", "/who/antony-blinken/", {BLINKEN}),
        ("William Burns", "/who/william-burns/", {SLUG, BLINKEN, RESUMED, HOSTILE, ENTITIES}),
        ("Hezbollah", "/who/hezbollah/", {SLUG}),
        ("Israel-Hamas war", "/stories/israel-hamas-war/", {SLUG}),
    ],
)
def test_a_name_finds_its_page_first_then_the_briefings_naming_it(
    context: BrowserContext, served: str, words: str, first: str, named: set[str]
) -> None:
    page = context.new_page()
    page.goto(served)
    results = _addresses(page, words)
    assert results[0] == first, results
    assert set(results[1 : 1 + len(named)]) == {f"/briefings/{slug}/" for slug in named}, results
    assert not [url for url in results if url in ("/", "/briefings/") or MONTH.fullmatch(url) or "/page/" in url]
    kind = page.locator(".bf-search__meta").first.inner_text()
    assert kind.casefold().startswith("story" if first.startswith("/stories/") else ("person", "organization"))


@pytest.mark.browser
def test_results_are_names_then_the_news_newest_first_then_guides_only_alone(
    context: BrowserContext, served: str
) -> None:
    """The rule (docs/assets/search.js, `ranked`): William Burns's page first; then the five briefings naming
    him, which score alike, newest first; every result dated. A word of the briefings and of the guides
    finds no guide page; a word only the guides hold finds them."""
    page = context.new_page()
    page.goto(served)
    results = _addresses(page, "William Burns")
    assert results[0] == "/who/william-burns/"
    news = [url for url in results[1:6]]
    assert news == [f"/briefings/{slug}/" for slug in (ENTITIES, HOSTILE, RESUMED, BLINKEN, SLUG)], results
    dates = page.locator(".bf-search__meta").all_inner_texts()
    assert all(re.search(r"\d{1,2} [a-z]+ 20\d\d", meta, re.IGNORECASE) for meta in dates), dates
    assert not [url for url in _addresses(page, "Hezbollah") if not url.startswith(("/who/", "/briefings/"))]
    guides = _addresses(page, "yaml-language-server")
    assert guides and all(url in ("/format/", "/contributing/", "/publishing/", "/data/") for url in guides), guides


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
def test_a_result_shows_the_briefings_date_and_summary_and_no_words_run_together(
    context: BrowserContext, served: str, site: Path
) -> None:
    """The words around "surviving" are a quote's speaker, role and context: three elements, which the
    index must not join into one word ("attacksOn")."""
    page = context.new_page()
    page.goto(served)
    assert _addresses(page, "surviving")[0] == f"/briefings/{SLUG}/"
    result = page.locator(".bf-search__link").first
    assert result.locator(".bf-search__meta").inner_text().casefold() == "briefing · 25 august 2024"
    excerpt = result.locator(".bf-search__excerpt").inner_text()
    assert "surviving" in excerpt and result.locator(".bf-search__excerpt mark").first.inner_text() == "surviving"
    assert _run_together(site, f"/briefings/{SLUG}/", excerpt) == set(), excerpt
    # The summary, where the index holds it (meta "summary" on the briefing's summary), else the excerpt alone.
    summary = indexed_pages(site)[f"/briefings/{SLUG}/"].meta.get("summary")
    shown = result.locator(".bf-search__summary")
    if summary is None:
        assert shown.count() == 0
    else:
        assert shown.inner_text() == summary


@pytest.mark.browser
def test_no_result_says_what_to_try(context: BrowserContext, served: str) -> None:
    page = context.new_page()
    page.goto(served)
    words = "<b>zqxjvw</b>"
    assert _results(page, words) == []
    status = page.locator("#bf-search-status").inner_text()
    assert status == f"No briefing matches \u201c{words}\u201d: try a person\u2019s name, a place or a topic."
    assert page.locator("#bf-search b").count() == 0 and page.locator(".bf-search__more").is_hidden()


def _luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2's relative luminance of an sRGB colour (0-255 a channel)."""
    channels = [c / 255 for c in rgb]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _rgba(css: str) -> tuple[float, float, float, float]:
    """A computed colour, `rgb(r, g, b)` or `rgba(r, g, b, a)`, as numbers."""
    match = re.fullmatch(r"rgba?\(([^)]*)\)", css.strip())
    assert match, f"not an sRGB colour: {css}"
    parts = [float(p) for p in re.split(r"[\s,/]+", match.group(1).strip())]
    return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)


def _over(top: tuple[float, float, float, float], under: tuple[float, float, float]) -> tuple[float, float, float]:
    alpha = top[3]
    return (
        top[0] * alpha + under[0] * (1 - alpha),
        top[1] * alpha + under[1] * (1 - alpha),
        top[2] * alpha + under[2] * (1 - alpha),
    )


#: The computed colour of each highlighted word, and the backgrounds from it up to the root, innermost first.
_MARK_COLOURS = """() => Array.from(document.querySelectorAll('.bf-search__excerpt mark')).map(mark => {
    const backgrounds = [];
    for (let element = mark; element; element = element.parentElement) {
        backgrounds.push(getComputedStyle(element).backgroundColor);
    }
    return [getComputedStyle(mark).color, backgrounds];
})"""


def _contrasts(page: Page) -> list[float]:
    ratios = []
    for color, backgrounds in page.evaluate(_MARK_COLOURS):
        background = (255.0, 255.0, 255.0)  # the canvas, behind everything
        for layer in reversed(backgrounds):
            background = _over(_rgba(layer), background)
        text = _over(_rgba(color), background)
        light, dark = sorted((_luminance(text), _luminance(background)), reverse=True)
        ratios.append((light + 0.05) / (dark + 0.05))
    return ratios


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_highlighted_words_have_a_contrast_of_4_5_to_1(browser: Browser, served: str, scheme: str) -> None:  # noqa: F811
    """WCAG 2's contrast of each <mark> in the results against what is behind it, from the computed styles,
    in the light and the dark scheme, on a result as shown and as focused (its background changes)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(served + "about/")
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    assert _results(page, "Cairo")
    shown = _contrasts(page)
    assert shown and min(shown) >= 4.5, shown
    page.keyboard.press("ArrowDown")  # focus on the first result
    page.locator(".bf-search__link").first.hover()
    focused = _contrasts(page)
    assert min(focused) >= 4.5, focused
    context.close()


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
    page.keyboard.type("Katyusha")
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
    page.keyboard.type("Katyush")  # the last query is still in the field, selected: typing replaces it
    _shown(page)
    assert field.input_value() == "Katyush"
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
    results = _results(page, "Katyusha")
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
    assert _results(page, "Katyusha")[0][0].endswith(f"/briefings/{SLUG}/")
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


def test_the_index_is_the_same_bytes_build_after_build(tmp_path: Path) -> None:
    """Pagefind's index of the same pages is byte-identical from one fresh build to the next: the only sort key
    is the briefings' date (a filter, or a second sort key, is written in an order that changes run to run)."""

    def index(name: str) -> dict[str, bytes]:
        root = make_project(tmp_path / name)
        build(root)
        bundle = root / "site" / BUNDLE_DIR
        return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}

    first, second, third = index("a"), index("b"), index("c")
    assert first == second == third
    assert not [path for path in first if path.startswith("filter/")]
