"""The briefing page for a reader with thirty seconds, and on paper.

On a built site: the kicker, the dateline with its weekday, the byline, the updated date and the reading time;
`who` one line per actor with the rest past six behind a disclosure; short quote fragments listed compactly,
a speaker's role not repeated, speakers linked to their pages; figures in words a reader scans. In Chromium:
the `what` heading within a screen and a half of a phone, and the seed briefing on at most two A4 pages.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import Tag
from playwright.sync_api import Browser

from generator.format.model import Actor, Briefing, Figure, Quote
from generator.format.wording import FigureText, figure_number, figure_text, scaled_number
from generator.site.reading import quote_lines, reading_minutes, weekday_date
from tests.conftest import MINIMAL, SEED
from tests.sitebuild import SECTION_IDS, build, make_project, page, text
from tests.test_browser import SLUG, browser, served  # noqa: F401 (fixtures)

EIGHT = "2024-08-26-mediators-brief-the-delegations"
PHONE = {"width": 390, "height": 844}

#: A briefing with eight actors, two authors, an updated date, topics but no story, and quotes: two long
#: ones and a fragment by one speaker in a row, then a fragment by another.
EIGHT_YAML = """\
title: Mediators brief the delegations in Cairo
date: 2024-08-26
updated: 2024-08-27
location: Cairo
topics:
  - Diplomacy
  - Hostages
authors:
  - Jane Doe
  - John Roe
summary: The mediators briefed the Hamas delegation after the round of talks in Cairo.
who:
  - {name: William Burns, id: william-burns, role: "Director, CIA"}
  - {name: David Barnea, id: david-barnea, role: Head of Mossad}
  - {name: Daniel Hagari, id: daniel-hagari, role: Israeli military spokesperson}
  - {name: U.S. official, id: us-official, role: Anonymous U.S. official}
  - {name: Hamas, id: hamas, kind: organization, role: Party to the talks}
  - {name: Egypt, id: egypt, kind: country, role: Mediator and host}
  - {name: Qatar, id: qatar, kind: country, role: Mediator}
  - {name: Hezbollah, id: hezbollah, kind: organization, role: Armed group}
what:
  - The Hamas delegation was briefed by Egyptian and Qatari mediators.
quotes:
  - text: final and implementable agreement
    speaker: us-official
    context: On what all parties were working towards.
  - text: size of the miracle
    speaker: U.S. official
  - text: constructive
    speaker: us-official
    context: Describing the discussions.
  - text: vast majority
    speaker: Daniel Hagari
sources:
  - title: Wire report
    url: https://example.org/wire
    file: seeds/000_548c9463dc2f8344.txt
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's site with one more briefing (EIGHT_YAML), built once for this module."""
    root = make_project(tmp_path_factory.mktemp("page"))
    (root / "briefings" / "2024" / f"{EIGHT}.yaml").write_text(EIGHT_YAML, encoding="utf-8")
    build(root)
    return root


def plain(element: object) -> str:
    """An element's text as it reads, with no space added between its parts: `William Burns, Director, CIA`."""
    return " ".join(element.get_text().split())  # type: ignore[attr-defined]


def _article(site: Path, slug: str) -> Tag:
    article = page(site, f"briefings/{slug}/").find("article", class_="bf")
    assert isinstance(article, Tag)
    return article


# --- the header -------------------------------------------------------------------------------------------


def test_kicker_names_the_story_else_the_first_topic(site: Path) -> None:
    kicker = _article(site, SLUG).select_one("header .bf-kicker a")
    assert kicker is not None and text(kicker) == "Israel-Hamas war"
    assert kicker["href"] == "../../stories/israel-hamas-war/"
    kicker = _article(site, EIGHT).select_one("header .bf-kicker a")
    assert kicker is not None and text(kicker) == "Diplomacy"
    assert kicker["href"] == "../../topics/diplomacy/"
    # Above the title.
    head = _article(site, EIGHT).select_one("header.bf-head")
    assert head is not None
    names = [el.name for el in head.find_all(recursive=False)]
    assert names.index("h1") == names.index("p") + 1


def test_dateline_has_the_weekday_in_a_time_element_and_the_location(site: Path) -> None:
    dateline = _article(site, SLUG).select_one(".bf-meta .bf-dateline")
    assert dateline is not None and text(dateline) == "Sunday 25 August 2024 · Cairo"
    time = dateline.find("time")
    assert time["datetime"] == "2024-08-25" and text(time) == "Sunday 25 August 2024"
    assert weekday_date(dt.date(2024, 8, 26)) == "Monday 26 August 2024"


def test_byline_updated_date_and_reading_time(site: Path) -> None:
    byline = _article(site, EIGHT).select_one(".bf-meta .bf-byline")
    assert byline is not None
    assert text(byline) == "By Jane Doe and John Roe · Updated 27 August 2024 · 1 min read"
    assert [text(a) for a in byline.select(".bf-author")] == ["Jane Doe", "John Roe"]
    assert byline.select_one(".bf-updated time")["datetime"] == "2024-08-27"
    # Without authors or updates: the reading time alone; the seed briefing takes minutes.
    seed = _article(site, SLUG).select_one(".bf-meta .bf-byline")
    assert seed is not None and seed.select(".bf-author") == [] and "Updated" not in text(seed)
    minutes = re.fullmatch(r"(\d+) min read", text(seed))
    assert minutes is not None and int(minutes.group(1)) >= 3


def _briefing(words: int, **changes: object) -> Briefing:
    data: dict[str, object] = {
        "slug": "2024-08-25-x",
        "title": " ".join(["word"] * words),
        "date": dt.date(2024, 8, 25),
        "summary": "",
        "who": (),
        "what": (),
        "sources": (),
    }
    data.update(changes)
    return Briefing(**data)  # type: ignore[arg-type]


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (1, 1), (200, 1), (201, 2), (1000, 5), (1001, 6)])
def test_reading_time_is_words_over_200_rounded_up_at_least_one(words: int, minutes: int) -> None:
    assert reading_minutes(_briefing(words)) == minutes


# --- who ---------------------------------------------------------------------------------------------------


def test_who_is_one_line_per_actor_with_the_rest_past_six_in_a_disclosure(site: Path) -> None:
    article = _article(site, EIGHT)
    lists = article.select("ul.bf-who")
    shown, more = lists
    assert more.find_parent("details") is not None and shown.find_parent("details") is None
    assert [plain(li) for li in shown.find_all("li")] == [
        "William Burns, Director, CIA",
        "David Barnea, Head of Mossad",
        "Daniel Hagari, Israeli military spokesperson",
        "U.S. official, Anonymous U.S. official",
        "Hamas, Party to the talks",
        "Egypt, Mediator and host",
    ]
    details = article.select_one("details.bf-who-more")
    assert details is not None and details.get("open") is None
    assert text(details.find("summary")) == "2 more"
    assert [text(li.find(class_="bf-name")) for li in more.find_all("li")] == ["Qatar", "Hezbollah"]
    assert more.select_one("a.bf-name")["href"] == "../../who/qatar/"
    # The seed briefing's eighteen: six, then twelve more.
    seed = _article(site, SLUG)
    assert [len(ul.find_all("li")) for ul in seed.select("ul.bf-who")] == [6, 12]
    assert text(seed.select_one("details.bf-who-more summary")) == "12 more"
    # The sections in the order a phone reader wants them.
    assert [h2["id"] for h2 in seed.find_all("h2")][:7] == SECTION_IDS


# --- quotes ------------------------------------------------------------------------------------------------


def test_fragments_are_listed_compactly_and_long_quotes_are_pull_quotes(site: Path) -> None:
    article = _article(site, SLUG)
    pulls = [text(figure.find("blockquote")) for figure in article.select("figure.bf-quote")]
    assert pulls == ["final and implementable agreement", "size of the miracle"]
    words = article.select_one(".bf-words")
    assert words is not None and text(words.select_one(".bf-words-title")) == "Words quoted"
    assert words.find(["h2", "h3"]) is None  # the format's headings are the sections' alone
    fragments = [text(li.find("blockquote")) for li in words.select("ul.bf-words-list > li")]
    assert fragments == ["working teams", "constructive", "vast majority", "large number"]
    assert words.find("figure") is None


def test_a_speakers_role_is_not_repeated_on_consecutive_quotes(site: Path) -> None:
    article = _article(site, EIGHT)
    first, second = article.select("figure.bf-quote")
    assert plain(first.find("figcaption")).startswith("U.S. official, Anonymous U.S. official")
    assert second.select(".bf-role") == [] and plain(second.find("figcaption")) == "U.S. official"
    constructive, majority = article.select("ul.bf-words-list > li")
    assert constructive.select(".bf-role") == []  # the third in a row by the U.S. official
    assert text(majority.select_one(".bf-role")) == "Israeli military spokesperson"
    # In the seed briefing, the U.S. official's three quotes in a row name the role once.
    seed = _article(site, SLUG)
    roles = [text(r) for r in seed.select(".bf-quote .bf-role, .bf-words .bf-role")]
    assert roles.count("Anonymous U.S. official who described the outcome of the Cairo talks") == 1


def test_a_quotes_speaker_links_to_the_actors_page(site: Path) -> None:
    article = _article(site, EIGHT)
    links = [(text(a), a["href"]) for a in article.select("a.bf-speaker")]
    assert links == [
        ("U.S. official", "../../who/us-official/"),
        ("U.S. official", "../../who/us-official/"),
        ("U.S. official", "../../who/us-official/"),
        ("Daniel Hagari", "../../who/daniel-hagari/"),
    ]
    assert (site / "site" / "who" / "us-official" / "index.html").is_file()


def test_quote_lines_group_pulls_and_fragments() -> None:
    us = Actor("U.S. official", "us", role="official")
    briefing = _briefing(
        1,
        who=(us,),
        quotes=(Quote("one two three", "us"), Quote("one two three four", "us"), Quote("x", "Someone")),
    )
    pulls, fragments = quote_lines(briefing)
    assert [(line.quote.text, line.role) for line in pulls] == [("one two three four", True)]
    assert [(line.quote.text, line.actor, line.role) for line in fragments] == [
        ("one two three", us, False),
        ("x", None, False),
    ]


# --- figures -----------------------------------------------------------------------------------------------


def test_seed_figures_read_as_number_and_unit(site: Path) -> None:
    article = _article(site, SLUG)
    figures = [text(p) for p in article.select(".bf-numbers .bf-figure")]
    assert figures == ["10 months", "about 100 planes", "270 sites", "90%", "over 320 rockets", "76 years", "5 minutes"]


def _figure(value: str, unit: str | None = None, label: str = "what it counts", qualifier: str | None = None) -> Figure:
    return Figure(Decimal(value), label, unit, qualifier)


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "shown"),
    [
        ("38000000", "USD", None, "$38 million"),
        ("40000000", "EUR", None, "€40 million"),
        ("1200000000", None, None, "1.2 billion"),
        ("7600000000", "USD", "about", "about $7.6 billion"),
        ("85", "GBP million", None, "£85 million"),
        ("500", "JPY", None, "¥500"),
        ("400000", "USD", "nearly", "nearly $400,000"),
        ("142.30", "USD", None, "$142.3"),
        ("-5000000", "USD", None, "-$5 million"),
        ("1234567", None, None, "1,234,567"),
        ("1250000", None, None, "1,250,000"),
        ("2000000", "people", None, "2 million"),
        ("90", "%", None, "90%"),
        ("100", "planes", "about", "about 100"),
        ("0.5", None, None, "0.5"),
    ],
)
def test_figure_number(value: str, unit: str | None, qualifier: str | None, shown: str) -> None:
    assert figure_number(_figure(value, unit, qualifier=qualifier)) == shown


def test_scaled_number() -> None:
    assert scaled_number(Decimal(38_000_000)) == "38 million"
    assert scaled_number(Decimal(3_000_000_000_000)) == "3 trillion"
    assert scaled_number(Decimal(999_999)) == "999,999"
    assert scaled_number(Decimal("1234560000")) == "1,234,560,000"


def test_figure_text_prints_the_unit_once() -> None:
    # A currency is its symbol; another code stays after the number.
    assert figure_text(_figure("38000000", "USD", "cost")) == FigureText("$38 million", None, "cost")
    assert figure_text(_figure("38000000", "CHF", "cost")) == FigureText("38 million", "CHF", "cost")
    assert figure_text(_figure("270", "sites", "sites targeted")) == FigureText("270", "sites", "sites targeted")
    # A label that ends with the unit is shown as written, its ending marked as the unit.
    assert figure_text(_figure("320", "rockets", "Katyusha rockets", "over")) == FigureText(
        "over 320", None, "Katyusha", "rockets"
    )
    assert figure_text(_figure("3", "Ships", "ships")) == FigureText("3", None, "", "ships")
    assert figure_text(_figure("3", "rockets", "microrockets")) == FigureText("3", "rockets", "microrockets")


def test_a_label_ending_with_its_unit_prints_the_unit_once(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    body = MINIMAL.replace(
        "    label: sites targeted\n", "    label: sites targeted by Israeli planes\n    unit: planes\n"
    )
    (root / "briefings" / "2024-08-25-units.yaml").write_text(body, encoding="utf-8")
    build(root)
    article = _article(root, "2024-08-25-units")
    assert article.select("details.bf-who-more") == [] and len(article.select("ul.bf-who > li")) == 1
    card = article.select_one(".bf-numbers li")
    assert card is not None
    assert text(card.find(class_="bf-figure")) == "270"
    assert text(card.find(class_="bf-label")) == "sites targeted by Israeli planes"
    assert [text(u) for u in card.select(".bf-unit")] == ["planes"]


# --- in a browser ------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_what_starts_within_a_screen_and_a_half_on_a_phone(browser: Browser, served: str) -> None:  # noqa: F811
    """On a 390x844 phone the seed briefing's `what` heading starts above 1.5 screens (1266 px), after at a
    glance; in Who, a long role wraps under its name, never cut short, and the page does not widen."""
    tab = browser.new_page(viewport=PHONE, device_scale_factor=1)
    tab.goto(served + f"briefings/{SLUG}/")
    tab.wait_for_load_state("networkidle")
    top = tab.evaluate("document.getElementById('what').getBoundingClientRect().top + scrollY")
    glance = tab.evaluate("document.querySelector('.bf-glance').getBoundingClientRect().bottom + scrollY")
    assert glance < top < 1.5 * PHONE["height"], (glance, top)
    # Six actors shown, the rest closed away; every role whole: nothing clipped, and the long ones on two lines.
    rows = tab.eval_on_selector_all(
        "ul.bf-who:not(details ul) > li",
        "lis => lis.map(li => [li.offsetHeight, li.scrollWidth <= li.clientWidth, getComputedStyle(li).textOverflow])",
    )
    assert len(rows) == 6 and all(fits and cut != "ellipsis" for _, fits, cut in rows), rows
    heights = [height for height, _, _ in rows]
    assert max(heights) >= 1.8 * min(heights), heights  # "Head of Mossad, Israel's intelligence agency; ..." wraps
    assert tab.locator("details.bf-who-more ul").is_visible() is False
    assert tab.eval_on_selector("article.bf", "a => a.scrollWidth <= a.clientWidth")
    tab.close()


def _pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


@pytest.mark.browser
def test_seed_briefing_prints_on_at_most_two_a4_pages(browser: Browser, served: str) -> None:  # noqa: F811
    tab = browser.new_page()
    tab.goto(served + f"briefings/{SLUG}/")
    tab.wait_for_load_state("networkidle")
    pages = _pages(tab.pdf(format="A4"))
    assert 1 <= pages <= 2, pages
    tab.close()


@pytest.mark.browser
def test_print_shows_the_masthead_and_the_content_only(browser: Browser, served: str) -> None:  # noqa: F811
    tab = browser.new_page()
    tab.goto(served + f"briefings/{SLUG}/")
    tab.wait_for_load_state("networkidle")
    tab.emulate_media(media="print")
    for hidden in (".md-header", ".md-footer", ".md-sidebar--primary", ".bf-story-nav", ".bf-related-block"):
        if tab.locator(hidden).count():
            assert not tab.locator(hidden).first.is_visible(), hidden
    masthead = tab.locator(".bf-masthead")
    assert masthead.is_visible()
    name, url = masthead.inner_text().split()
    assert name == "Briefings" and url.startswith("http") and url.endswith(f"/briefings/{SLUG}/")
    assert tab.locator(".bf-dateline time").inner_text() == "Sunday 25 August 2024"
    # Every actor prints, the disclosure's content too.
    assert tab.locator("details.bf-who-more li").first.is_visible()
    # A source's link prints its address after its title; no other link does.
    tab.evaluate(
        "document.querySelector('.bf-sources li').insertAdjacentHTML('afterbegin', "
        "'<a href=\"https://example.org/wire\">Wire</a> ')"
    )
    after = "el => getComputedStyle(el, '::after').content"
    assert tab.eval_on_selector(".bf-sources a", after) == '" (https://example.org/wire)"'
    assert tab.eval_on_selector(".bf-kicker a", after) in ("none", "normal")
    tab.emulate_media(media="screen")
    assert not masthead.is_visible()
    tab.close()


@pytest.mark.browser
def test_a_receipt_opens_with_the_keyboard(browser: Browser, served: str) -> None:  # noqa: F811
    """A quote's "In the source" disclosure is closed, takes the focus, and opens with Enter."""
    tab = browser.new_page()
    tab.goto(served + f"briefings/{SLUG}/")
    tab.wait_for_load_state("networkidle")
    receipt = tab.locator("details.bf-receipt").first
    assert receipt.get_attribute("open") is None
    assert not receipt.locator("mark").is_visible()
    receipt.locator("summary").focus()
    tab.keyboard.press("Enter")
    assert receipt.get_attribute("open") is not None
    assert receipt.locator("mark").is_visible()
    tab.close()
