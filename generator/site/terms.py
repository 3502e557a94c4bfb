"""The joined dimensions of the collection (taxonomies, as Hugo calls them): the people, organizations,
countries and groups in the briefings (`who/`), the running stories (`stories/`), the topics (`topics/`).

Each is a `Dimension`: data saying where its pages are, which templates show them, in which order a term
lists its briefings, what else its pages list (quotes, roles, the steps that followed), what its pages'
heads say, whether each term has an Atom feed, and how its index ranks the terms. One code path makes the
pages of every dimension: each term's briefings, 50 a page (`term_pages`); the index of its terms
(`index_pages`); and the terms' feeds (`term_feeds`). A new dimension is a `Dimension` and its templates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from generator.format.model import Briefing, Figure, NextStep, Quote
from generator.site import links
from generator.site.cards import card
from generator.site.charts import story_charts
from generator.site.escape import html
from generator.site.export import FEED_COUNT, feed_xml
from generator.site.head import JOINED, figure_words, listing
from generator.site.joins import ActorRecord, Group, Joins, actor_groups, story_groups, topic_groups
from generator.site.links import relative
from generator.site.pagination import PER_PAGE, Pager, Window, newest_windows, numbered, oldest_windows
from generator.site.reading import long_date
from generator.site.render import Page, Renderer, latest, newest
from generator.site.settings import Settings


class Term(Protocol):
    """One term of a dimension: an actor, a story, a topic."""

    @property
    def key(self) -> str:
        """What its address is made of: `<folder><key>/`."""

    @property
    def name(self) -> str: ...

    @property
    def briefings(self) -> list[Briefing]:
        """Its briefings, in its dimension's order (`Dimension.oldest_first`)."""


T = TypeVar("T", bound=Term)


@dataclass(frozen=True)
class Dimension(Generic[T]):
    """A joined dimension: where its pages are, how they show its terms, and what they list."""

    #: The index's address; each term's pages are `<folder><key>/` and its feed `<folder><key>/feed.xml`.
    folder: str
    #: The index's title.
    title: str
    #: The template of a term's pages, and of the index's.
    template: str
    index_template: str
    #: Its terms, of a join.
    terms: Callable[[Joins], Iterable[T]]
    #: The order of the index's first page (a sort key); its numbered pages list every term in the order
    #: they first appeared.
    rank: Callable[[T], Any]
    #: A term lists its briefings oldest first (a timeline, its first address the oldest 50), else newest first
    #: (its first address the newest 50; numbered pages from the oldest, either way).
    oldest_first: bool = False
    #: Each term's kind (`person`, ...), shown on its page and in the index.
    kind: Callable[[T], str] | None = None
    #: What a term is as a schema.org entity: its pages are then ProfilePages about it, else CollectionPages.
    entity: Callable[[T], dict[str, str]] | None = None
    #: The quotes a term's pages list beside its briefings, each with its briefing, newest first.
    quotes: Callable[[T], list[tuple[Quote, Briefing]]] | None = None
    #: What a term was called (an actor's roles), each with the newest briefing calling it so: the first
    #: PER_PAGE on its first page.
    roles: Callable[[T], dict[str, Briefing]] | None = None
    #: The terms with an Atom feed, of any briefings (a join need not be made for them); None: no feeds.
    feeds: Callable[[Iterable[Briefing]], Iterable[T]] | None = None
    #: How many of a term's newest briefings its feed carries.
    feed_count: int = FEED_COUNT
    #: Each next step of a briefing listed links to what followed it in the term (`Joins.follow_ups`).
    follow_ups: bool = False
    #: With `oldest_first`, a term's first address starts from now: where things stand (`Standing`), then its
    #: newest briefings newest first; its numbered pages, from `page/1/`, read it from the start, oldest first.
    now_first: bool = False
    #: What a term's share image shows beside its name (its first page's `og:image`): the kicker, and a figure's
    #: value and label; None: no share image.
    card: Callable[[T], tuple[str, str, str]] | None = None
    #: A term's first page draws each figure `key` its briefings share over time (`charts.story_charts`).
    charts: bool = False
    #: More of the index's context.
    index_context: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.oldest_first and self.quotes is not None:
            raise ValueError("quotes are listed beside a newest-first list of briefings only")
        if self.now_first and not (self.oldest_first and self.follow_ups):
            raise ValueError("a term read from now is a timeline (oldest_first) whose steps know what followed")

    def address(self, term: T) -> str:
        return f"{self.folder}{term.key}/"

    def feed_path(self, term: T) -> str:
        """A term's Atom feed: `<folder><key>/feed.xml`."""
        return f"{self.address(term)}feed.xml"


# --- the dimensions ------------------------------------------------------------------------

#: How many briefings a person's, organization's or topic's feed carries: their newest 20, so that the feeds
#: of every actor and topic a briefing names add a bounded few kilobytes to the site per briefing.
TERM_FEED_COUNT = 20

#: The kinds of actor, and the heading the index lists each under, in its order.
KINDS = {"person": "People", "organization": "Organizations", "country": "Countries", "group": "Groups"}
_KIND_ORDER = list(KINDS)

ACTORS: Dimension[ActorRecord] = Dimension(
    folder=links.WHO,
    title="Who",
    template="actor.html.j2",
    index_template="actors.html.j2",
    terms=lambda joins: joins.actors.values(),
    rank=lambda a: (_KIND_ORDER.index(a.kind), -len(a.briefings), a.name.casefold(), a.id),
    kind=lambda a: a.kind,
    entity=lambda a: {"@type": "Person" if a.kind == "person" else "Organization", "name": a.name},
    quotes=lambda a: a.quotes,
    roles=lambda a: a.roles,
    feeds=actor_groups,
    feed_count=TERM_FEED_COUNT,
    card=lambda a: _actor_card(a),
    charts=True,
    index_context={"kinds": tuple(KINDS.items())},
)
STORIES: Dimension[Group] = Dimension(
    folder=links.STORIES,
    title="Stories",
    template="story.html.j2",
    index_template="stories.html.j2",
    terms=lambda joins: joins.stories.values(),
    rank=lambda s: (-s.briefings[-1].date.toordinal(), s.key),
    oldest_first=True,
    feeds=story_groups,
    follow_ups=True,
    now_first=True,
    card=lambda s: _story_card(s),
    charts=True,
)
TOPICS: Dimension[Group] = Dimension(
    folder=links.TOPICS,
    title="Topics",
    template="topic.html.j2",
    index_template="topics.html.j2",
    terms=lambda joins: joins.topics.values(),
    rank=lambda t: (-len(t.briefings), t.name.casefold(), t.key),
    feeds=topic_groups,
    feed_count=TERM_FEED_COUNT,
)
#: Every dimension, in the order the site's pages are made.
DIMENSIONS: tuple[Dimension[Any], ...] = (ACTORS, STORIES, TOPICS)


def _actor_card(actor: ActorRecord) -> tuple[str, str, str]:
    """An actor's share image: their kind and newest role, how many briefings name them, since when."""
    kind = {"person": "Person", "organization": "Organization", "country": "Country", "group": "Group"}[actor.kind]
    role = next(iter(actor.roles), None) if actor.roles else None
    count = len(actor.briefings)
    since = f"since {long_date(actor.briefings[-1].date)}"
    return " · ".join(p for p in (kind, role) if p), f"{count:,} briefing{'s' * (count != 1)}", since


def _story_card(story: Group) -> tuple[str, str, str]:
    """A story's share image: "Story", and the newest briefing's first key figure (else how many briefings)."""
    figures = story.briefings[-1].key_figures(1)
    if figures:
        return ("Story", *figure_words(figures[0]))
    count = len(story.briefings)
    return "Story", f"{count:,} briefing{'s' * (count != 1)}", f"since {long_date(story.briefings[0].date)}"


def _oldest(dimension: Dimension[T], term: T) -> Briefing:
    return term.briefings[0] if dimension.oldest_first else term.briefings[-1]


def _newest(dimension: Dimension[T], term: T) -> Briefing:
    return term.briefings[-1] if dimension.oldest_first else term.briefings[0]


# --- a term's pages ------------------------------------------------------------------------

#: How many open next steps "where things stand" lists.
OPEN_STEPS = 5


@dataclass(frozen=True)
class Standing:
    """Where a story stands: its newest briefing; the key figures at their latest values, each with the
    briefing that gives it; and the next steps nothing in the story has followed yet (`Joins.follow_ups`),
    newest first, each with its briefing."""

    newest: Briefing
    figures: tuple[tuple[Figure, Briefing], ...]
    open_steps: tuple[tuple[NextStep, Briefing], ...]


#: How many key figures "where things stand" shows.
STANDING_FIGURES = 3


def standing(members: list[Briefing], follow_ups: Mapping[str, Mapping[int, Briefing]]) -> Standing:
    """Where a timeline (oldest first) stands now. Its figures: the newest briefing's key figures, then, while
    there is room, the latest value of each figure `key` an earlier briefing gave and the newest does not
    (the newest such briefing first): a figure the story keeps is shown at its latest value, never an old one."""
    newest = members[-1]
    figures = [(figure, newest) for figure in newest.key_figures(STANDING_FIGURES)]
    seen = {figure.key for figure in newest.numbers if figure.key}
    for briefing in reversed(members[:-1]):
        if len(figures) >= STANDING_FIGURES:
            break
        for figure in briefing.numbers:
            if figure.key and figure.key not in seen and len(figures) < STANDING_FIGURES:
                figures.append((figure, briefing))
            if figure.key:
                seen.add(figure.key)
    open_steps = [
        (step, briefing)
        for briefing in reversed(members)
        for index, step in enumerate(briefing.next)
        if index not in follow_ups.get(briefing.slug, {})
    ]
    return Standing(newest, tuple(figures), tuple(open_steps[:OPEN_STEPS]))


def now_windows(first: str, length: int) -> list[Window]:
    """The pages of a timeline read from now: `first` shows the newest PER_PAGE, newest first (its slice runs
    backwards); from two briefings on, `first` + `page/N/` hold the N-th PER_PAGE from the oldest, oldest first
    (`oldest_windows`), so that a new briefing rewrites `first` and the last numbered page only."""
    if length < 2:
        return [(first, [slice(0, length)], Pager(0, None, None, newest_first=False, at_first=True))]
    newest = slice(length - 1, max(-1, length - 1 - PER_PAGE) if length > PER_PAGE else None, -1)
    # The first address links to `page/1/` in its own words ("read it from the start"), not as a pager's "next".
    head = Pager(0, None, None, newest_first=False, at_first=True)
    return [(first, [newest], head), *oldest_windows(first, length, head=False)]


def term_pages(render: Renderer, dimension: Dimension[T], term: T, joins: Joins, site: Settings) -> list[Page]:
    """`<folder><key>/`: a term's name (and its kind, counts and roles), then its briefings (and quotes), 50 a page.

    Past 50, numbered pages from the oldest (`pagination`): newest first, its first address shows the newest
    50; oldest first (a story's timeline), its first address is the first numbered page."""
    first = dimension.address(term)
    members = term.briefings
    quotes = dimension.quotes(term) if dimension.quotes else []
    windows: list[Window]
    if dimension.now_first:
        windows = now_windows(first, len(members))
    elif dimension.oldest_first:
        windows = oldest_windows(first, len(members))
    else:
        windows = newest_windows(first, [len(members), *([len(quotes)] if dimension.quotes else [])])
    pages = []
    shared = None
    if dimension.card is not None and site.share_images and members:
        shared = card(site.name, *_named(term.name, *dimension.card(term)))
    for address, slices, pager in windows:
        chunk, shown_quotes = members[slices[0]], quotes[slices[1]] if dimension.quotes else []
        image = shared if address == first else None
        about = dimension.entity(term) if dimension.entity else None
        meta = listing(address, site, term.name, pager, about=about, image=image, **JOINED)
        if dimension.feeds:
            feed = relative(address, dimension.feed_path(term))
            meta["feed"] = {"title": str(html(f"{term.name}: every new briefing")), "href": str(feed)}
        pages.append(
            render.page(
                address,
                meta,
                dimension.template,
                newest([*chunk, *(b for _, b in shown_quotes)]),
                card=image,
                **_shown(dimension, term, joins, pager, chunk, shown_quotes),
            )
        )
    return pages


def _named(name: str, kicker: str, value: str, label: str) -> tuple[str, str, str, str]:
    """A term's share image's texts in `cards.card`'s order: kicker, headline (its name), value, label."""
    return kicker, name, value, label


def _shown(
    dimension: Dimension[T],
    term: T,
    joins: Joins,
    pager: Pager,
    chunk: list[Briefing],
    quotes: list[tuple[Quote, Briefing]],
) -> dict[str, Any]:
    """What a page of a term shows: its name and, on its first address, how many briefings it is in and from
    when to when (`span`); then what its dimension adds; then the page's briefings and its pager."""
    first = pager.at_first
    members = term.briefings
    shown: dict[str, Any] = {"name": term.name}
    if dimension.kind:
        shown["kind"] = dimension.kind(term)
    if first and members:
        shown["span"] = (len(members), _oldest(dimension, term).date, _newest(dimension, term).date)
    else:
        shown["span"] = None
    if dimension.quotes:
        shown["quoted"] = len(dimension.quotes(term)) if first else None
    if dimension.roles:
        roles = list(dimension.roles(term).items()) if first else []
        shown["roles"] = roles[:PER_PAGE]
        shown["more_roles"] = max(0, len(roles) - PER_PAGE)
    shown["briefings"] = chunk
    if dimension.quotes:
        shown["quotes"] = quotes
    if dimension.follow_ups:
        follow = joins.follow_ups
        shown["follow_ups"] = {b.slug: follow[b.slug] for b in chunk if b.slug in follow}
    if dimension.now_first:
        shown["standing"] = standing(members, joins.follow_ups) if first and members else None
        shown["from_start"] = numbered(dimension.address(term), 1) if first and len(members) > 1 else None
    if dimension.charts:  # oldest first, as a chart reads; a person's briefings are many stories'
        timeline = members if dimension.oldest_first else members[::-1]
        shown["charts"] = story_charts(timeline, by_story=not dimension.now_first) if first else []
    shown["feed"] = dimension.feed_path(term) if dimension.feeds else None
    shown["pager"] = pager
    return shown


def term_feeds(dimension: Dimension[T], briefings: list[Briefing], site: Settings) -> dict[str, str]:
    """Each term's Atom feed, `<folder><key>/feed.xml`, by path: its newest `feed_count` briefings (none without
    feeds)."""
    files = {}
    for term in dimension.feeds(briefings) if dimension.feeds else ():
        path = dimension.feed_path(term)
        files[path] = feed_xml(
            term.briefings,
            site,
            title=f"{site.name}: {term.name}",
            description="",
            path=path,
            page=dimension.address(term),
            count=dimension.feed_count,
        ).decode("utf-8")
    return files


# --- the index of a dimension ------------------------------------------------------------------

#: A row of an index page: address, name, kind (actors) or "", count, newest date.
Row = tuple[str, str, str, int, dt.date]


def index_pages(render: Renderer, dimension: Dimension[T], joins: Joins, site: Settings) -> list[Page]:
    """`<folder>`: the top 50 terms as the dimension ranks them (`Dimension.rank`); past 50, `<folder>page/N/`
    list every term in the order they first appeared, so a new one lands on the last page and none shifts."""
    terms = list(dimension.terms(joins))
    ranked = sorted(terms, key=dimension.rank)
    arrived = sorted(terms, key=lambda term: (_oldest(dimension, term).date, term.key))

    def row(term: T) -> Row:
        kind = dimension.kind(term) if dimension.kind else ""
        return (dimension.address(term), term.name, kind, len(term.briefings), latest(_newest(dimension, term)))

    ranks, arrivals = [row(term) for term in ranked], [row(term) for term in arrived]
    first, title, template = dimension.folder, dimension.title, dimension.index_template
    context = dimension.index_context
    pages = [
        render.page(
            first,
            listing(first, site, title, **JOINED),
            template,
            max((row[4] for row in ranks[:PER_PAGE]), default=None),
            rows=ranks[:PER_PAGE],
            total=len(ranks),
            pager=Pager(0, None, numbered(first, 1) if len(arrivals) > PER_PAGE else None, False, at_first=True),
            **context,
        )
    ]
    if len(arrivals) > PER_PAGE:
        for address, (window,), pager in oldest_windows(first, len(arrivals), head=False):
            chunk = arrivals[window]
            pages.append(
                render.page(
                    address,
                    listing(address, site, title, pager, **JOINED),
                    template,
                    max(row[4] for row in chunk),
                    rows=chunk,
                    total=None,
                    pager=pager,
                    **context,
                )
            )
    return pages


def dimension_pages(render: Renderer, dimension: Dimension[T], joins: Joins, site: Settings) -> list[Page]:
    """A dimension's index, then each of its terms' pages."""
    pages = index_pages(render, dimension, joins, site)
    for term in dimension.terms(joins):
        pages += term_pages(render, dimension, term, joins, site)
    return pages
