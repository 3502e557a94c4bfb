"""Pages that join briefings: actors, stories, topics, related briefings, built by real MkDocs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import MINIMAL, SEED
from tests.sitebuild import build, make_project, page, text


def _write(root: Path, day: str, words: str, **fields: Any) -> str:
    data = yaml.safe_load(MINIMAL)
    data.update(date=day, title=f"Briefing {words}", summary=f"Summary of {words}.", **fields)
    slug = f"{day}-{words.lower().replace(' ', '-')}"
    (root / "briefings" / f"{slug}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return slug


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
        "a": _write(root, "2024-08-20", "talks open", story="Cairo talks", topics=["Gaza ceasefire"],
                    who=[BURNS, HAMAS], quotes=quote,
                    next=[{"text": "Talks resume.", "when": "2024-08-25"}]),
        "b": _write(root, "2024-08-25", "talks end", story="Cairo talks", topics=["Gaza ceasefire", "Hostages"],
                    who=[{"name": "William Burns", "role": "CIA chief"}, HEZBOLLAH]),
        "c": _write(root, "2024-08-22", "border fire", story="Border clashes", topics=["Hostages"],
                    who=[HEZBOLLAH]),
        "d": _write(root, "2024-08-23", "border calm", story="Border clashes", who=[BURNS]),
        "e": _write(root, "2024-08-24", "secret draft", story="Cairo talks", topics=["Secret topic"],
                    who=[{"name": "Secret Person"}], draft="true"),
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
    assert [a["href"] for a in soup.select(".bf-head .bf-topics a")] == [
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
    """Oldest first, each with date, title, summary and its next steps; the index lists every story."""
    root, slugs = joined
    soup = page(root, "stories/cairo-talks/")
    assert text(soup.find("h1")) == "Cairo talks"
    events = soup.select("li.bf-event")
    assert [e.find("a")["href"] for e in events] == [f"../../briefings/{slugs[k]}/" for k in ("a", "b")]
    assert [e.find("time")["datetime"] for e in events] == ["2024-08-20", "2024-08-25"]
    assert text(events[0].find(class_="bf-card-summary")) == "Summary of talks open."
    assert text(events[0].select_one(".bf-next .bf-step")) == "Talks resume."
    assert text(events[0].select_one(".bf-next .bf-when")) == "25 August 2024"
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
    from generator.search import indexed_pages

    root, slugs = joined
    content = indexed_pages(root / "site")[f"/briefings/{slugs['b']}/"].content
    assert "Gaza ceasefire" in content and "Hostages" in content


def test_drafts_appear_on_no_joined_page(joined: tuple[Path, dict[str, str]]) -> None:
    """The draft's actor, topic, title and slug are nowhere in the built site, in any case."""
    root, _ = joined
    assert not (root / "site" / "who" / "secret-person").exists()
    assert not (root / "site" / "topics" / "secret-topic").exists()
    checked = 0
    for path in (root / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            assert "secret" not in path.read_text(encoding="utf-8").casefold(), path
            checked += 1
    assert checked > 10


def test_long_lists_are_paginated_50_a_page(tmp_path: Path) -> None:
    """120 briefings of one actor, story and topic: three pages each, 50, 50 and 20, linked in order."""
    root = make_project(tmp_path / "site", briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    start = dt.date(2020, 1, 1)
    for i in range(120):
        day = (start + dt.timedelta(days=i)).isoformat()
        _write(root, day, f"n{i}", story="Long story", topics=["Long topic"], who=[BURNS])
    build(root)
    for first in ("who/william-burns/", "stories/long-story/", "topics/long-topic/"):
        selector = "li.bf-event" if first.startswith("stories") else "li.bf-card"
        counts = [len(page(root, first + suffix).select(selector)) for suffix in ("", "page/2/", "page/3/")]
        assert counts == [50, 50, 20], first
        assert not (root / "site" / first / "page" / "4").exists()
        pager = page(root, first + "page/2/").select_one("nav.bf-pager")
        assert [a["href"] for a in pager.find_all("a")] == ["../../", "../3/"]
        assert "Page 2 of 3" in text(pager)
    archive = [len(page(root, "briefings/" + suffix).select("ul.bf-index li")) for suffix in ("", "page/2/", "page/3/")]
    assert archive == [50, 50, 20]
    months = {text(a): a["href"] for a in page(root, "briefings/").select("nav.bf-calendar a")}
    # newest first: April and March start on page 1, January 31 is the 90th briefing (page 2)
    assert months == {"Apr": "./#y2020-04", "Mar": "./#y2020-03", "Feb": "page/2/#y2020-02", "Jan": "page/2/#y2020-01"}
    story = page(root, "stories/long-story/").select("li.bf-event time")
    assert story[0]["datetime"] == "2020-01-01"  # oldest first
    topic = page(root, "topics/long-topic/").select("li.bf-card time")
    assert topic[0]["datetime"] == (start + dt.timedelta(days=119)).isoformat()  # newest first


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

    from generator.export import export_schema

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
    """Actor, story and topic pages repeat summaries, so only the briefings themselves are indexed."""
    from generator.search import indexed_pages

    root, _ = joined
    urls = list(indexed_pages(root / "site"))
    assert urls and not [
        u for u in urls if u.startswith(("/who/", "/stories/", "/topics/")) or u in ("/", "/briefings/")
    ]
