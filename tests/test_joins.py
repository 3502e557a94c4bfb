"""Pages that join briefings: actors, stories, topics, related briefings, built by real MkDocs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import SEED
from tests.sitebuild import build, make_project, page, text, write_briefing

BURNS = {"name": "William Burns", "role": "Director, CIA"}
HAMAS = {"name": "Hamas", "kind": "organization"}
HEZBOLLAH = {"name": "Hezbollah", "kind": "organization"}


@pytest.fixture(scope="module")
def joined(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Five briefings: two stories, an actor in three of them, shared topics, and a draft."""
    root = make_project(tmp_path_factory.mktemp("joined"), briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    quote = [{"text": "constructive", "speaker": "William Burns", "context": "On the talks."}]
    slugs = {
        "a": write_briefing(root, "2024-08-20", "talks open", story="Cairo talks", topics=["Gaza ceasefire"],
                    who=[BURNS, HAMAS], quotes=quote,
                    next=[{"text": "Talks resume.", "when": "2024-08-25"}]),
        "b": write_briefing(root, "2024-08-25", "talks end", story="Cairo talks", topics=["Gaza ceasefire", "Hostages"],
                    who=[{"name": "William Burns", "role": "CIA chief"}, HEZBOLLAH]),
        "c": write_briefing(root, "2024-08-22", "border fire", story="Border clashes", topics=["Hostages"],
                    who=[HEZBOLLAH]),
        "d": write_briefing(root, "2024-08-23", "border calm", story="Border clashes", who=[BURNS]),
        "e": write_briefing(root, "2024-08-24", "zorblax draft", story="Cairo talks", topics=["Zorblax topic"],
                    who=[{"name": "Zorblax Person"}], draft="true"),
    }  # fmt: skip
    build(root)
    return root, slugs


def test_actor_page_has_roles_briefings_and_quotes(joined: tuple[Path, dict[str, str]]) -> None:
    """Name, kind, each role with where it was seen, briefings newest first, quotes linked to their briefing."""
    root, slugs = joined
    soup = page(root, "who/william-burns/")
    assert text(soup.find("h1")) == "William Burns"
    assert "person" in text(soup.find(class_="bf-kicker"))
    roles = [(text(li.find(class_="bf-role-text")), li.find("a")["href"]) for li in soup.select("ul.bf-roles > li")]
    # each role once, with the newest briefing it was seen in (D is newer than A)
    assert roles == [
        ("CIA chief", f"../../briefings/{slugs['b']}/"),
        ("Director, CIA", f"../../briefings/{slugs['d']}/"),
    ]
    cards = [a["href"] for a in soup.select("li.bf-card h3 a")]
    assert cards == [f"../../briefings/{slugs[k]}/" for k in ("b", "d", "a")]
    (quote,) = soup.select("figure.bf-quote")
    assert text(quote.find("blockquote")) == "constructive"
    assert quote.find("figcaption").find("a")["href"] == f"../../briefings/{slugs['a']}/"
    assert "On the talks." in text(quote.find("figcaption"))


def test_who_index_groups_by_kind_most_briefings_first(joined: tuple[Path, dict[str, str]]) -> None:
    """People, then organizations; within each, by number of briefings."""
    root, _ = joined
    soup = page(root, "who/")
    assert [text(h2) for h2 in soup.select("article h2")] == ["People", "Organizations"]
    lists = soup.select("article ul.bf-index")
    assert [text(li) for li in lists[0].find_all("li")] == ["William Burns 3 briefings"]
    assert [text(li) for li in lists[1].find_all("li")] == ["Hezbollah 2 briefings", "Hamas 1 briefing"]
    assert lists[0].find("a")["href"] == "william-burns/"


def test_briefing_page_links_actors_story_neighbours_and_topics(joined: tuple[Path, dict[str, str]]) -> None:
    """Actors link to their pages; the story, the briefing before and after in it, and topic pages."""
    root, slugs = joined
    soup = page(root, f"briefings/{slugs['b']}/")
    assert soup.select_one("ul.bf-who a.bf-name")["href"] == "../../who/william-burns/"
    assert soup.select_one("a.bf-story")["href"] == "../../stories/cairo-talks/"
    nav = soup.select_one("nav.bf-story-nav")
    assert nav.select_one(".bf-before a")["href"] == f"../{slugs['a']}/"
    assert nav.select_one(".bf-after") is None  # the draft in between is not published
    assert [a["href"] for a in soup.select(".bf-topic-links .bf-topics a")] == [
        "../../topics/gaza-ceasefire/",
        "../../topics/hostages/",
    ]
    first = page(root, f"briefings/{slugs['a']}/")
    assert first.select_one("nav.bf-story-nav .bf-after a")["href"] == f"../{slugs['b']}/"


def test_related_briefings_best_first_at_most_five(joined: tuple[Path, dict[str, str]]) -> None:
    """A shares story, actor and topic with B, only the actor with D: B first."""
    root, slugs = joined
    soup = page(root, f"briefings/{slugs['a']}/")
    related = [a["href"] for a in soup.select("ul.bf-related a")]
    assert related == [f"../{slugs['b']}/", f"../{slugs['d']}/"]
    assert soup.select("article h2")[-1]["id"] == "related"


def test_story_page_is_a_timeline_with_next_steps(joined: tuple[Path, dict[str, str]]) -> None:
    """From now: where things stand (the newest briefing, its lead, its key figures, the steps nothing followed
    yet), then the briefings newest first, one line each; page 1 reads it from the start, oldest first, each
    with date, title, summary and its next steps. The index lists every story."""
    root, slugs = joined
    soup = page(root, "stories/cairo-talks/")
    assert text(soup.find("h1")) == "Cairo talks"
    standing = soup.select_one("section.bf-standing")
    assert standing is not None and text(standing.find("h2")) == "Where things stand"
    assert standing.select_one(".bf-standing-latest a")["href"] == f"../../briefings/{slugs['b']}/"
    assert [text(v) for v in standing.select(".bf-glance-value")] == ["270"]
    events = soup.select("li.bf-event")
    assert [e.find("a")["href"] for e in events] == [f"../../briefings/{slugs[k]}/" for k in ("b", "a")]
    assert [e.find("time")["datetime"] for e in events] == ["2024-08-25", "2024-08-20"]
    assert not soup.select(".bf-card-summary")  # one line each
    start = soup.select_one(".bf-from-start a")
    assert start is not None and start["href"] == "page/1/"
    oldest = page(root, "stories/cairo-talks/page/1/")
    events = oldest.select("li.bf-event")
    assert [e.find("time")["datetime"] for e in events] == ["2024-08-20", "2024-08-25"]
    assert text(events[0].find(class_="bf-card-summary")) == "Summary of talks open."
    assert text(events[0].select_one(".bf-next .bf-step")) == "Talks resume."
    assert text(events[0].select_one(".bf-next .bf-when")) == "25 August 2024"
    assert not oldest.select("section.bf-standing")
    index = page(root, "stories/")
    assert [a["href"] for a in index.select("ul.bf-index a")] == ["cairo-talks/", "border-clashes/"]


def test_topic_pages_list_their_briefings(joined: tuple[Path, dict[str, str]]) -> None:
    """A topic page lists its briefings newest first; the index lists topics, most used first."""
    root, slugs = joined
    soup = page(root, "topics/hostages/")
    assert [a["href"] for a in soup.select("li.bf-card h3 a")] == [f"../../briefings/{slugs[k]}/" for k in ("b", "c")]
    index = page(root, "topics/")
    assert [text(li) for li in index.select("ul.bf-index li")] == ["Gaza ceasefire 2 briefings", "Hostages 2 briefings"]


def test_topics_are_in_the_briefings_indexed_text(joined: tuple[Path, dict[str, str]]) -> None:
    """A briefing's topics are part of its text in the search index."""
    from generator.site.search import indexed_pages

    root, slugs = joined
    content = indexed_pages(root / "site")[f"/briefings/{slugs['b']}/"].content
    assert "Gaza ceasefire" in content and "Hostages" in content


def test_drafts_appear_on_no_joined_page(joined: tuple[Path, dict[str, str]]) -> None:
    """The draft's actor, topic, title and slug are nowhere in the built site, in any case."""
    root, _ = joined
    assert not (root / "site" / "who" / "zorblax-person").exists()
    assert not (root / "site" / "topics" / "zorblax-topic").exists()
    checked = 0
    for path in (root / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            assert "zorblax" not in path.read_text(encoding="utf-8").casefold(), path
            checked += 1
    assert checked > 10


def test_long_lists_are_paginated_50_a_page_numbered_from_the_oldest(tmp_path: Path) -> None:
    """120 briefings of one actor, story and topic. A newest-first list shows its newest 50 at its
    address, then numbered pages from the oldest (50, 50, 20); so does a story, whose numbered pages, from
    page 1, read it from the start. The archive is a page per month."""
    root = make_project(tmp_path / "site", briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    start = dt.date(2020, 1, 1)
    for i in range(120):
        day = (start + dt.timedelta(days=i)).isoformat()
        write_briefing(root, day, f"n{i}", story="Long story", topics=["Long topic"], who=[BURNS])
    build(root)

    def days(address: str, selector: str) -> list[int]:
        return [
            (dt.date.fromisoformat(t["datetime"]) - start).days for t in page(root, address).select(f"{selector} time")
        ]

    for first in ("who/william-burns/", "topics/long-topic/"):
        assert days(first, "li.bf-card") == list(range(119, 69, -1)), first
        assert days(first + "page/1/", "li.bf-card") == list(range(49, -1, -1))
        assert days(first + "page/2/", "li.bf-card") == list(range(99, 49, -1))
        assert days(first + "page/3/", "li.bf-card") == list(range(119, 99, -1))
        assert not (root / "site" / first / "page" / "4").exists()
        head = page(root, first).select_one("nav.bf-pager")
        assert [(a["rel"], a["href"]) for a in head.find_all("a")] == [(["next"], "page/2/")]  # day 69 is there
        pager = page(root, first + "page/2/").select_one("nav.bf-pager")
        assert [(a["rel"], a["href"]) for a in pager.find_all("a")] == [(["prev"], "../3/"), (["next"], "../1/")]
        assert text(pager) == "← Newer Page 2 Older →"
        last = page(root, first + "page/3/").select_one("nav.bf-pager")
        assert [a["href"] for a in last.find_all("a")] == ["../../", "../2/"]
    story = "stories/long-story/"
    assert days(story, "li.bf-event") == list(range(119, 69, -1))  # from now: the newest 50, newest first
    assert days(story + "page/1/", "li.bf-event") == list(range(50))  # from the start, oldest first
    assert days(story + "page/2/", "li.bf-event") == list(range(50, 100))
    assert days(story + "page/3/", "li.bf-event") == list(range(100, 120))
    assert not (root / "site" / story / "page" / "4").exists()
    assert [a["href"] for a in page(root, story + "page/1/").select("nav.bf-pager a")] == ["../../", "../2/"]
    assert [a["href"] for a in page(root, story + "page/2/").select("nav.bf-pager a")] == ["../1/", "../3/"]
    assert text(page(root, story + "page/3/").select_one("title")).startswith("Long story (page 3)")

    assert days("briefings/", "ul.bf-index") == list(range(119, 69, -1))
    months = {text(a): a["href"] for a in page(root, "briefings/").select("nav.bf-calendar a")}
    assert months == {"Apr": "2020/04/", "Mar": "2020/03/", "Feb": "2020/02/", "Jan": "2020/01/"}
    assert days("briefings/2020/02/", "ul.bf-index") == list(range(59, 30, -1))  # 29 days, newest first
    assert days("briefings/2020/01/", "ul.bf-index") == list(range(30, -1, -1))


def test_a_new_briefing_rewrites_a_bounded_number_of_list_pages(tmp_path: Path) -> None:
    """Adding the newest briefing to lists of 150 and of 300 changes the same few list pages: the
    numbered pages before the last do not shift."""
    from generator.site.build import build_site
    from generator.site.settings import Settings

    changed: dict[int, set[str]] = {}
    for count in (150, 300):
        root = make_project(tmp_path / str(count), briefings=False)
        (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
        start = dt.date(2020, 1, 1)
        topics = ["Long topic", "Other topic"]
        for i in range(count):
            day = (start + dt.timedelta(days=i)).isoformat()
            who = [BURNS, {"name": f"Person {i}"}]
            write_briefing(root, day, f"n{i}", story=f"Story {i % 2}", topics=[topics[i % 2]], who=who)
        before = build_site(root, settings=Settings.of("https://example.org/")).pages
        day = (start + dt.timedelta(days=count)).isoformat()
        write_briefing(root, day, "new", story="Story 0", topics=["Long topic"], who=[BURNS, {"name": "Person new"}])
        after = build_site(root, settings=Settings.of("https://example.org/")).pages
        changed[count] = {path for path, p in after.items() if path not in before or before[path] != p} - {
            f"briefings/{day}-new/index.md"
        }
        assert not set(before) - set(after)
        lists = {p for p in changed[count] if not p.startswith("briefings/20")}
        # per list it joins (actor, story, topic, month, the indexes): its first page and its last one or two
        assert len(lists) <= 20, sorted(lists)
        for first in ("who/william-burns/", "topics/long-topic/"):
            assert f"{first}page/1/index.md" not in changed[count]
    # the same few pages at either size: a list's first page, its last one, and a new last one
    assert abs(len(changed[150]) - len(changed[300])) <= 3


def test_feed_is_atom_of_published_briefings_linked_from_every_page(joined: tuple[Path, dict[str, str]]) -> None:
    """/feed.xml parses as Atom, newest first, with absolute links; every page's head links to it."""
    import xml.etree.ElementTree as ET

    root, slugs = joined
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(root / "site" / "feed.xml").getroot()
    assert feed.tag == f"{atom}feed"
    entries = feed.findall(f"{atom}entry")
    assert [e.findtext(f"{atom}id") for e in entries] == [
        f"https://briefings.example.org/briefings/{slugs[k]}/" for k in ("b", "d", "c", "a")
    ]
    first = entries[0]
    assert first.findtext(f"{atom}title") == "Briefing talks end"
    assert first.findtext(f"{atom}summary") == "Summary of talks end."
    assert [c.get("term") for c in first.findall(f"{atom}category")] == ["Gaza ceasefire", "Hostages"]
    assert first.findtext(f"{atom}published", "").startswith("2024-08-25")
    for address in ("", f"briefings/{slugs['a']}/", "who/william-burns/"):
        link = page(root, address).find("link", rel="alternate", type="application/atom+xml")
        assert (
            link is not None
            and (root / "site" / address / link["href"]).resolve() == (root / "site" / "feed.xml").resolve()
        )


def test_export_holds_every_published_briefing_and_validates(joined: tuple[Path, dict[str, str]]) -> None:
    """/briefings.json: the YAML's field names plus slug and url, valid against the export schema."""
    import json

    import jsonschema

    from generator.site.export import export_schema

    root, slugs = joined
    data = json.loads((root / "site" / "briefings.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(export_schema()).validate(data)
    assert data["format_version"] == 1
    assert [b["slug"] for b in data["briefings"]] == [slugs[k] for k in ("b", "d", "c", "a")]
    first = data["briefings"][-1]
    assert first["url"] == f"https://briefings.example.org/briefings/{slugs['a']}/"
    assert first["story"] == "Cairo talks" and first["numbers"][0]["value"] == 270
    assert first["quotes"][0] == {"text": "constructive", "speaker": "William Burns", "context": "On the talks."}
    assert "draft" not in first


def test_joined_pages_stay_out_of_search(joined: tuple[Path, dict[str, str]]) -> None:
    """The lists repeat summaries: of an actor's or a story's page only the name (and roles) is indexed,
    and topic pages, the indexes, home and the archive not at all."""
    from generator.site.search import indexed_pages

    root, _ = joined
    pages = indexed_pages(root / "site")
    assert pages and not [
        u for u in pages if u.startswith("/topics/") or u in ("/", "/briefings/", "/who/", "/stories/")
    ]
    joined_pages = {u: p for u, p in pages.items() if u.startswith(("/who/", "/stories/"))}
    assert joined_pages
    for url, indexed in joined_pages.items():
        assert "Summary of" not in indexed.content, url  # no briefing's summary
        assert indexed.meta["name"] in indexed.content, url


def test_the_name_shown_for_an_actor_is_the_most_used_spelling_then_the_earliest() -> None:
    """docs/format.md: the spelling of the most briefings; on a tie, the earliest briefing's (by date, then
    slug); never simply the newest, which one new briefing could set."""
    from generator.format.model import Actor, Briefing, Source
    from generator.site.joins import join

    def briefing(day: int, name: str) -> Briefing:
        who = (Actor(name, "united-states", "country"),)
        source = (Source("s1", "Wire", url="https://example.org/"),)
        return Briefing(f"2024-08-{day:02d}-b", f"Day {day}", dt.date(2024, 8, day), "S.", who, ("W.",), source)

    us, iran = "United States", "Islamic Republic of Iran"
    assert join([briefing(20, us), briefing(21, us), briefing(25, iran)]).actors["united-states"].name == us
    assert join([briefing(20, us), briefing(25, iran)]).actors["united-states"].name == us
    assert join([briefing(19, iran), briefing(25, us)]).actors["united-states"].name == iran
    assert join([briefing(19, iran), briefing(20, us), briefing(25, us)]).actors["united-states"].name == us


def test_a_new_dimension_is_configuration() -> None:
    """A joined dimension is data (`terms.Dimension`): briefings by where they were written, on the topic
    templates, get a page per place and an index through the same code as who/, stories/ and topics/."""
    from generator.format.model import Actor, Briefing, Source
    from generator.rules.addresses import address
    from generator.site.joins import Group, Joins, join
    from generator.site.render import Renderer
    from generator.site.settings import Settings
    from generator.site.terms import Dimension, dimension_pages

    def briefing(day: int, location: str) -> Briefing:
        who, source = (Actor("Hamas", "hamas", "organization"),), (Source("s1", "Wire", url="https://example.org/"),)
        return Briefing(f"2024-08-{day:02d}-b", f"Day {day}", dt.date(2024, 8, day), "S.", who, ("W.",), source,
                        location=location)  # fmt: skip

    def places(joins: Joins) -> list[Group]:
        groups: dict[str, Group] = {}
        for b in joins.briefings:  # newest first
            key = address(b.location or "")
            groups.setdefault(key, Group(key, b.location or "")).briefings.append(b)
        return list(groups.values())

    where = Dimension(folder="places/", title="Places", template="topic.html.j2", index_template="topics.html.j2",
                      terms=places, rank=lambda g: (-len(g.briefings), g.key))  # fmt: skip
    pages = dimension_pages(
        Renderer(),
        where,
        join([briefing(20, "Cairo"), briefing(21, "Doha"), briefing(22, "Cairo")]),
        Settings.of("https://example.org/"),
    )
    assert [p.address for p in pages] == ["places/", "places/cairo/", "places/doha/"]
    assert "2 briefings, newest first." in pages[1].body and "Day 22" in pages[1].body
    assert pages[0].meta["title"] == "Places" and "Cairo" in pages[0].body
