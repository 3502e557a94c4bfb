"""What to watch (/watch/, /watch.ics) and the follow-up links of next steps, on built sites; each story's feed."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from generator.format.model import Actor, Briefing, NextStep, Source
from generator.site.build import build_site
from generator.site.settings import Settings
from generator.site.terms import STORIES, term_feeds
from generator.site.watch import watch_ics
from tests.conftest import SEED
from tests.sitebuild import build, make_project, page, text, write_briefing

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://briefings.example.org/"


Built = tuple[Path, dict[str, str], bytes]


@pytest.fixture(scope="module")
def watched(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A story of three briefings (the newest dated 25 August) with dated and undated next steps, and a draft."""
    root = make_project(tmp_path_factory.mktemp("watched"), briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    slugs = {
        "a": write_briefing(root, "2024-08-20", "talks open", story="Cairo talks", next=[
            {"text": "Talks resume.", "when": "2024-08-25"},
            {"text": "Mediators report.", "when": "coming days"},
            {"text": "Envoys meet.", "when": "2024-08-21", "who": "Qatar"},
        ]),
        "c": write_briefing(root, "2024-08-23", "talks pause", story="Cairo talks"),
        "b": write_briefing(root, "2024-08-25", "talks end", story="Cairo talks", next=[
            {"text": "Vote due.", "when": "2024-09-10"},
        ]),
        "e": write_briefing(root, "2024-08-22", "secret draft", story="Cairo talks", draft="true", next=[
            {"text": "Secret step.", "when": "2024-08-30"},
        ]),
    }  # fmt: skip
    build(root)
    first = (root / "site" / "watch.ics").read_bytes()
    build(root)
    return root, slugs, first


def _follow_ups(soup: Any) -> list[tuple[str, str]]:
    """Each next step's text and where its follow-up link leads ("" for none)."""
    found = []
    for li in soup.select("ul.bf-next > li"):
        link = li.select_one(".bf-follow-up a")
        found.append((text(li.find(class_="bf-step")), link["href"] if link else ""))
    return found


def test_briefing_page_links_steps_to_what_came_next(watched: Built) -> None:
    """A dated step: the first later briefing on or after its day; an undated one: the next briefing of the story."""
    root, slugs, _ = watched
    soup = page(root, f"briefings/{slugs['a']}/")
    assert _follow_ups(soup) == [
        ("Talks resume.", f"../{slugs['b']}/"),
        ("Mediators report.", f"../{slugs['c']}/"),
        ("Envoys meet.", f"../{slugs['c']}/"),
    ]
    label = text(soup.select_one(".bf-follow-up"))
    assert label.startswith("Next in this story: Briefing talks end")
    assert "resolved" not in soup.select_one("ul.bf-next").get_text().lower()
    # the newest briefing of the story: nothing came next yet
    assert _follow_ups(page(root, f"briefings/{slugs['b']}/")) == [("Vote due.", "")]


def test_story_page_links_steps_to_what_came_next(watched: Built) -> None:
    """The story's timeline from the start links each step to what followed it; the story's first address
    lists, under "Where things stand", the steps nothing has followed yet."""
    root, slugs, _ = watched
    now = page(root, "stories/cairo-talks/")
    assert [text(s) for s in now.select(".bf-open-steps .bf-step")] == ["Vote due."]
    soup = page(root, "stories/cairo-talks/page/1/")
    assert _follow_ups(soup) == [
        ("Talks resume.", f"../../../../briefings/{slugs['b']}/"),
        ("Mediators report.", f"../../../../briefings/{slugs['c']}/"),
        ("Envoys meet.", f"../../../../briefings/{slugs['c']}/"),
        ("Vote due.", ""),
    ]
    assert "Secret" not in soup.get_text()


def test_watch_lists_dated_steps_by_month_split_by_newest_briefing(watched: Built) -> None:
    """From the newest briefing's date (25 August) on: "Coming up"; before it: "Earlier"; text `when` below."""
    root, slugs, _ = watched
    soup = page(root, "watch/")
    assert [text(h2) for h2 in soup.select("h2")][:3] == ["Coming up", "Earlier", "Without a date"]
    coming = soup.select_one(".bf-watch-coming")
    assert [text(h3) for h3 in coming.find_all("h3")] == ["August 2024", "September 2024"]
    rows = [text(li) for li in coming.select("li")]
    assert rows[0].startswith("25 Aug Talks resume.")
    assert rows[1].startswith("10 Sep Vote due.")
    links = [a["href"] for a in coming.select("li")[0].find_all("a")]
    assert links == [f"../briefings/{slugs['a']}/", "../stories/cairo-talks/"]
    earlier = soup.select_one(".bf-watch-earlier")
    assert [text(h3) for h3 in earlier.find_all("h3")] == ["August 2024"]
    assert text(earlier.select_one("li")).startswith("21 Aug Envoys meet. Qatar")
    assert "coming days Mediators report." in text(soup)
    assert soup.select_one("a.bf-calendar-feed")["href"] == "../watch.ics"
    assert "Secret" not in soup.get_text()


def test_watch_is_a_tab(watched: Built) -> None:
    root, _, _ = watched
    tabs = [text(a) for a in page(root, "watch/").select("nav.md-tabs a.md-tabs__link")]
    assert tabs.index("Watch") == tabs.index("Topics") + 1 == tabs.index("Archive") - 1


def test_watch_ics_holds_the_dated_steps_as_all_day_events(watched: Built) -> None:
    root, slugs, first = watched
    data = (root / "site" / "watch.ics").read_bytes()
    assert data == first  # the same input, the same bytes: no stamp of the build's time
    calendar = Calendar.from_ical(data)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == ["Envoys meet.", "Talks resume.", "Vote due."]
    talks = events["Talks resume."]
    assert talks.decoded("dtstart") == dt.date(2024, 8, 25)
    assert not isinstance(talks.decoded("dtstart"), dt.datetime)  # all day
    assert talks.decoded("dtend") == dt.date(2024, 8, 26)
    assert str(talks["uid"]).startswith(f"{slugs['a']}-next-0@")
    assert str(events["Envoys meet."]["uid"]).startswith(f"{slugs['a']}-next-2@")
    assert talks.decoded("dtstamp") == dt.datetime(2024, 8, 20, tzinfo=dt.UTC)
    assert str(talks["url"]).endswith(f"/briefings/{slugs['a']}/")
    assert b"Secret" not in data


def test_story_feed_is_atom_with_the_story_briefings(watched: Built) -> None:
    """Each story publishes its own Atom feed, its published briefings only, linked from the story page's head."""
    root, slugs, _ = watched
    site = build_site(root, settings=Settings.of(SITE_URL))
    feeds = term_feeds(STORIES, site.published, Settings.of(SITE_URL))
    assert list(feeds) == ["stories/cairo-talks/feed.xml"]
    built = (root / "site" / "stories" / "cairo-talks" / "feed.xml").read_bytes()
    assert built == feeds["stories/cairo-talks/feed.xml"].encode("utf-8")
    soup = page(root, "stories/cairo-talks/")
    heads = soup.select('head link[rel~="alternate"][type="application/atom+xml"]')
    alternates = {link["href"]: link["title"] for link in heads}
    assert alternates["feed.xml"] == "Cairo talks: every new briefing"
    assert alternates["../../feed.xml"] == "Briefings"  # the whole site's, as on every page
    assert soup.select_one("a[type='application/atom+xml']")["href"] == "feed.xml"
    feed = ET.fromstring(built)
    assert feed.tag == f"{ATOM}feed"
    ids = [entry.findtext(f"{ATOM}id") or "" for entry in feed.findall(f"{ATOM}entry")]
    assert ids == [f"{SITE_URL}briefings/{slugs[k]}/" for k in ("b", "c", "a")]  # newest first, no draft
    self_link = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href") == f"{SITE_URL}stories/cairo-talks/feed.xml"
    assert feed.findtext(f"{ATOM}id") == f"{SITE_URL}stories/cairo-talks/"
    assert feed.findtext(f"{ATOM}title") == "Briefings: Cairo talks"
    assert_atom(feed)


def test_actor_and_topic_feeds_carry_their_newest_twenty(tmp_path: Path) -> None:
    """Follow a person or a topic: each has an Atom feed of its newest 20 briefings (TERM_FEED_COUNT), linked
    from its page's head and text; a story's carries 50."""
    from generator.site.terms import ACTORS, TERM_FEED_COUNT, TOPICS

    root = make_project(tmp_path / "site", briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    start = dt.date(2020, 1, 1)
    for i in range(25):
        day = (start + dt.timedelta(days=i)).isoformat()
        write_briefing(root, day, f"n{i}", story="Long story", topics=["Long topic"], who=[{"name": "William Burns"}])
    build(root)
    assert TERM_FEED_COUNT == 20 and ACTORS.feeds is not None and TOPICS.feeds is not None
    for folder in ("who/william-burns/", "topics/long-topic/", "stories/long-story/"):
        built = (root / "site" / folder / "feed.xml").read_bytes()
        feed = ET.fromstring(built)
        assert_atom(feed)
        entries = [entry.findtext(f"{ATOM}published") or "" for entry in feed.findall(f"{ATOM}entry")]
        assert len(entries) == (25 if folder.startswith("stories") else 20), folder
        assert entries[0].startswith("2020-01-25") and entries == sorted(entries, reverse=True)
        assert feed.findtext(f"{ATOM}id") == f"{SITE_URL}{folder}"
        soup = page(root, folder)
        assert soup.select('head link[rel~="alternate"][href="feed.xml"]')
        assert soup.select_one("p.bf-follow-feed a")["href"] == "feed.xml"


#: RFC 3339 date-time, as Atom's date constructs need (RFC 4287, 3.3).
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})\Z")


def assert_atom(feed: ET.Element) -> None:
    """The rules of RFC 4287 an Atom feed document must keep (4.1.1, 4.1.2, 4.2): exactly one id, title and
    updated in the feed and in each entry, ids absolute IRIs, dates RFC 3339, an author for the feed or for
    every entry, at most one alternate link per type and language, a self link, no unknown element in Atom's
    namespace."""
    known = {"author", "category", "contributor", "generator", "icon", "id", "link", "logo", "rights", "subtitle",
             "title", "updated", "entry", "summary", "content", "published", "source"}  # fmt: skip

    def one(parent: ET.Element, name: str) -> str:
        found = parent.findall(f"{ATOM}{name}")
        assert len(found) == 1, (name, len(found))
        return found[0].text or ""

    def check(parent: ET.Element) -> None:
        assert urlsplit(one(parent, "id")).scheme in ("http", "https")
        assert one(parent, "title").strip()
        assert RFC3339.match(one(parent, "updated"))
        alternates = [(link.get("type"), link.get("hreflang")) for link in parent.findall(f"{ATOM}link")
                      if link.get("rel", "alternate") == "alternate"]  # fmt: skip
        assert len(alternates) == len(set(alternates))
        for link in parent.findall(f"{ATOM}link"):
            assert urlsplit(link.get("href", "")).scheme in ("http", "https")
        for child in parent:
            if child.tag.startswith(ATOM):
                assert child.tag.removeprefix(ATOM) in known, child.tag

    assert feed.tag == f"{ATOM}feed"
    check(feed)
    assert any(link.get("rel") == "self" for link in feed.findall(f"{ATOM}link"))
    entries = feed.findall(f"{ATOM}entry")
    for entry in entries:
        check(entry)
        published = entry.findtext(f"{ATOM}published")
        assert published is None or RFC3339.match(published)
        assert entry.find(f"{ATOM}content") is not None or entry.find(f"{ATOM}link") is not None
    if feed.find(f"{ATOM}author") is None:
        assert all(entry.find(f"{ATOM}author") is not None for entry in entries)


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sixty dated next steps, all after the newest briefing."""
    root = make_project(tmp_path_factory.mktemp("many"), briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    for n in range(3):
        steps = [{"text": f"Step {n}-{i}.", "when": f"2025-0{n + 1}-{i + 1:02d}"} for i in range(20)]
        write_briefing(root, f"2024-08-2{n}", f"many {n}", next=steps)
    build(root)
    return root


def test_watch_paginates_past_50_steps(many: Path) -> None:
    """The first address shows the next 50; numbered pages hold every step, 50 a page, from the oldest."""
    first = page(many, "watch/")
    assert len(first.select(".bf-watch-coming li")) == 50
    assert first.select_one(".bf-watch-all a")["href"] == "page/1/"
    one, two = page(many, "watch/page/1/"), page(many, "watch/page/2/")
    assert len(one.select("ul.bf-watch li")) == 50
    rows = [text(li) for li in two.select("ul.bf-watch li")]
    assert len(rows) == 10
    assert rows[0].startswith("11 Mar Step 2-10.")
    assert not (many / "site" / "watch" / "page" / "3").exists()


def test_watch_ics_carries_any_day_a_model_can_hold() -> None:
    """The calendar never computes a day past Python's last: a step on 9999-12-31 (which `briefing check`
    refuses) is an all-day event with no DTEND, one day long by RFC 5545; the first day has its DTEND."""
    steps = (NextStep("The last day.", dt.date.max), NextStep("The first day.", dt.date.min))
    briefing = Briefing(
        slug="2024-08-25-edges",
        title="Edges",
        date=dt.date(2024, 8, 25),
        summary="Both ends of the calendar.",
        who=(Actor("William Burns", "william-burns"),),
        what=("Nothing.",),
        sources=(Source("s1", "Wire", url="https://example.org/a"),),
        next=steps,
    )
    calendar = Calendar.from_ical(watch_ics([briefing], Settings.of("https://briefings.example.org/")))
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert events["The last day."].decoded("dtstart") == dt.date.max
    assert "DTEND" not in events["The last day."]
    assert events["The first day."].decoded("dtend") == dt.date(1, 1, 2)
