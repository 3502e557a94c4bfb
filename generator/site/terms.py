"""The pages of the joins: each actor's (`who/<id>/`), each story's (`stories/<address>/`) and each topic's
(`topics/<address>/`) briefings, 50 a page, and the index of each (`who/`, `stories/`, `topics/`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.format.model import Briefing
from generator.site.escape import html
from generator.site.head import JOINED, listing
from generator.site.joins import ActorRecord, Group, Joins
from generator.site.links import actor_address, relative
from generator.site.pagination import PER_PAGE, Pager, newest_windows, numbered, oldest_windows
from generator.site.render import Page, Renderer, latest, newest


def actor_pages(render: Renderer, actor: ActorRecord, site_url: str) -> list[Page]:
    """`who/<id>/`: name, kind and roles, then the newest 50 briefings and quotes; older ones on numbered pages."""
    roles = list(actor.roles.items())
    pages = []
    for address, (in_briefings, in_quotes), pager in newest_windows(
        actor_address(actor.id), [len(actor.briefings), len(actor.quotes)]
    ):
        briefings, quotes = actor.briefings[in_briefings], actor.quotes[in_quotes]
        first = pager.number == 0
        pages.append(
            render.page(
                address,
                listing(address, site_url, actor.name, pager, about=_entity(actor), **JOINED),
                "actor.html.j2",
                newest([*briefings, *(b for _, b in quotes)]),
                name=actor.name,
                kind=actor.kind,
                counts=(len(actor.briefings), len(actor.quotes)) if first else None,
                roles=roles[:PER_PAGE] if first else [],
                more_roles=max(0, len(roles) - PER_PAGE) if first else 0,
                briefings=briefings,
                quotes=quotes,
                pager=pager,
            )
        )
    return pages


def _entity(actor: ActorRecord) -> dict[str, str]:
    """An actor as schema.org's `mainEntity` of their page."""
    return {"@type": "Person" if actor.kind == "person" else "Organization", "name": actor.name}


_KINDS = {"person": "People", "organization": "Organizations", "country": "Countries", "group": "Groups"}


def story_feed_path(story: Group) -> str:
    """The Atom feed of one story: `stories/<address>/feed.xml`."""
    return f"stories/{story.key}/feed.xml"


def story_pages(
    render: Renderer, story: Group, site_url: str, follow_ups: dict[str, dict[int, Briefing]] | None = None
) -> list[Page]:
    """`stories/<address>/`: the story's briefings, oldest first, with their next steps, 50 a page.

    Each next step links to what came next in the story (`joins.follow_ups`)."""
    members = story.briefings
    follow = follow_ups or {}
    feed = story_feed_path(story)
    pages = []
    for address, (window,), pager in oldest_windows(f"stories/{story.key}/", len(members)):
        chunk = members[window]
        first = pager.number == 1
        meta = listing(address, site_url, story.name, pager, **JOINED)
        meta["feed"] = {"title": str(html(f"{story.name}: every new briefing")), "href": str(relative(address, feed))}
        pages.append(
            render.page(
                address,
                meta,
                "story.html.j2",
                newest(chunk),
                name=story.name,
                span=(len(members), members[0].date, members[-1].date) if first and members else None,
                briefings=chunk,
                follow_ups={b.slug: follow[b.slug] for b in chunk if b.slug in follow},
                feed=feed,
                pager=pager,
            )
        )
    return pages


def topic_pages(render: Renderer, topic: Group, site_url: str) -> list[Page]:
    """`topics/<address>/`: the topic's newest 50 briefings; older ones on numbered pages."""
    pages = []
    for address, (window,), pager in newest_windows(f"topics/{topic.key}/", [len(topic.briefings)]):
        chunk = topic.briefings[window]
        pages.append(
            render.page(
                address,
                listing(address, site_url, topic.name, pager, **JOINED),
                "topic.html.j2",
                newest(chunk),
                name=topic.name,
                count=len(topic.briefings) if pager.number == 0 else None,
                briefings=chunk,
                pager=pager,
            )
        )
    return pages


#: A row of an index page: address, name, kind (actors) or "", count, newest date.
Row = tuple[str, str, str, int, dt.date]


def _index(
    render: Renderer,
    first: str,
    title: str,
    template: str,
    ranked: list[Row],
    arrived: list[Row],
    site_url: str,
    **context: Any,
) -> list[Page]:
    """An index (`who/`, `stories/`, `topics/`): `first` shows the top 50 of `ranked`; past 50,
    `first` + `page/N/` list every entry in the order they first appeared, so a new one
    lands on the last page and none shifts."""
    pages = [
        render.page(
            first,
            listing(first, site_url, title, **JOINED),
            template,
            max((row[4] for row in ranked[:PER_PAGE]), default=None),
            rows=ranked[:PER_PAGE],
            total=len(ranked),
            pager=Pager(0, None, numbered(first, 1) if len(arrived) > PER_PAGE else None, False, at_first=True),
            **context,
        )
    ]
    if len(arrived) > PER_PAGE:
        for address, (window,), pager in oldest_windows(first, len(arrived), head=False):
            chunk = arrived[window]
            pages.append(
                render.page(
                    address,
                    listing(address, site_url, title, pager, **JOINED),
                    template,
                    max(row[4] for row in chunk),
                    rows=chunk,
                    total=None,
                    pager=pager,
                    **context,
                )
            )
    return pages


def actors_index(render: Renderer, joins: Joins, site_url: str) -> list[Page]:
    """`who/`: the 50 actors in most briefings, by kind; past 50, every actor on numbered pages."""
    order = list(_KINDS)
    actors = list(joins.actors.values())
    ranked = sorted(actors, key=lambda a: (order.index(a.kind), -len(a.briefings), a.name.casefold(), a.id))
    arrived = sorted(actors, key=lambda a: (a.briefings[-1].date, a.id))

    def row(actor: ActorRecord) -> Row:
        return (actor_address(actor.id), actor.name, actor.kind, len(actor.briefings), latest(actor.briefings[0]))

    return _index(
        render,
        "who/",
        "Who",
        "actors.html.j2",
        [row(a) for a in ranked],
        [row(a) for a in arrived],
        site_url,
        kinds=tuple(_KINDS.items()),
    )


def stories_index(render: Renderer, joins: Joins, site_url: str) -> list[Page]:
    """`stories/`: the 50 most recently active stories; past 50, every story on numbered pages."""
    stories = list(joins.stories.values())
    ranked = sorted(stories, key=lambda s: (-s.briefings[-1].date.toordinal(), s.key))
    arrived = sorted(stories, key=lambda s: (s.briefings[0].date, s.key))

    def row(story: Group) -> Row:
        return (f"stories/{story.key}/", story.name, "", len(story.briefings), latest(story.briefings[-1]))

    ranks, arrivals = [row(s) for s in ranked], [row(s) for s in arrived]
    return _index(render, "stories/", "Stories", "stories.html.j2", ranks, arrivals, site_url)


def topics_index(render: Renderer, joins: Joins, site_url: str) -> list[Page]:
    """`topics/`: the 50 most used topics; past 50, every topic on numbered pages."""
    topics = list(joins.topics.values())
    ranked = sorted(topics, key=lambda t: (-len(t.briefings), t.name.casefold(), t.key))
    arrived = sorted(topics, key=lambda t: (t.briefings[-1].date, t.key))

    def row(topic: Group) -> Row:
        return (f"topics/{topic.key}/", topic.name, "", len(topic.briefings), latest(topic.briefings[0]))

    ranks, arrivals = [row(t) for t in ranked], [row(t) for t in arrived]
    return _index(render, "topics/", "Topics", "topics.html.j2", ranks, arrivals, site_url)
