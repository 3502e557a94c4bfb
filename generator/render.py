"""Briefings to pages, through Jinja templates in `generator/templates/`.

A page is its metadata for the head (title, description, search boost, tags,
JSON-LD) and one block of HTML, its body. The MkDocs plugin hands the metadata
to the templates directly and gives MkDocs the body alone, so no text in the
metadata can ever fall into the body; `briefing render` writes both as a
Markdown file with front matter, for other tools. Every value a template prints
passes through `escape.html` on its way out (the environment's `finalize`)
unless `escape` made it, so no template can forget to escape, and no text from
a briefing can become HTML, Markdown, an attribute, an include or template code.
"""

from __future__ import annotations

import calendar
import datetime as dt
import posixpath
from dataclasses import dataclass
from functools import partial
from itertools import groupby
from typing import Any, TypeVar

from jinja2 import Environment, PackageLoader, StrictUndefined

from generator.addresses import address as name_address
from generator.escape import Safe, href, html, json_script, slug, web_url
from generator.findings import Finding
from generator.joins import ActorRecord, Group, Joins
from generator.model import Briefing, Figure, newest_first, yaml_scalar

__all__ = ["newest_first"]  # re-exported: the order every list of briefings uses

#: How many briefings the home page lists.
HOME_COUNT = 20
#: Longer lists are cut into pages of this many entries.
PER_PAGE = 50


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    return html(value)  # a Safe as it is; anything else, Markup included, as text


#: Jinja's filters that return Markup from text (`|e`, `|safe`, `|tojson`, ...). The finalizer
#: would escape their output as text anyway; removed, a template using one fails at once.
_MARKUP_FILTERS = ("e", "escape", "forceescape", "safe", "tojson", "urlize", "xmlattr", "indent", "wordwrap")


_ENV = Environment(
    loader=PackageLoader("generator", "templates"),
    autoescape=True,
    finalize=_finalize,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
for _name in _MARKUP_FILTERS:
    _ENV.filters.pop(_name, None)
_ENV.filters["slug"] = slug


def long_date(day: dt.date) -> str:
    """`25 August 2024`."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def short_date(day: dt.date) -> str:
    """`25 Aug`."""
    return f"{day.day} {calendar.month_abbr[day.month]}"


def figure_value(figure: Figure) -> str:
    """A figure for a reader: `about 100`, `90%`, `1,200,000`, `0.5`."""
    number = format(figure.value, ",f")
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    if figure.unit == "%":
        number += "%"
    return f"{figure.qualifier} {number}" if figure.qualifier else number


def when(value: dt.date | str) -> str:
    return long_date(value) if isinstance(value, dt.date) else value


def front_matter(meta: dict[str, Any]) -> str:
    """YAML front matter; every value written as JSON, which YAML reads as it is (`yaml_scalar`)."""
    lines = ["---", *(f"{key}: {yaml_scalar(value)}" for key, value in meta.items()), "---"]
    return "\n".join(lines) + "\n\n"


@dataclass(frozen=True)
class Page:
    """One page of the site: what goes in its head, and its body (HTML)."""

    #: The page's address in the site: a folder such as `who/hamas/`; "" is the home page.
    address: str
    #: The page's metadata for the templates (title, description, tags, JSON-LD, search).
    meta: dict[str, Any]
    body: str
    #: The newest date among what the page shows (for the sitemap); None when it shows no briefing.
    date: dt.date | None = None

    @property
    def path(self) -> str:
        """The Markdown file MkDocs turns into this page."""
        return source_path(self.address)

    def markdown(self) -> str:
        """The page as one Markdown file with front matter, as `briefing render` writes it."""
        return front_matter(self.meta) + self.body


# --- addresses ----------------------------------------------------------------
# A page is named by its address in the site, a folder such as `who/hamas/` ("" is the
# home page); `source_path` gives the Markdown file MkDocs turns into that address.


def source_path(address: str) -> str:
    """`who/hamas/` -> `who/hamas/index.md`; `` -> `index.md`.

    Every page is the index of its own folder, so no address can take another's file:
    the topic `index` is `topics/index/index.md`, apart from `topics/index.md`'s list.
    """
    return address + "index.md"


def relative(source: str, target: str) -> Safe:
    """The link from the page at address `source` to the address (or file) `target`."""
    path = posixpath.relpath("/" + target, "/" + source) if target else posixpath.relpath("/", "/" + source)
    if target.endswith("/") or target == "":
        path = "./" if path == "." else path + "/"
    return href(path)


def briefing_address(briefing: Briefing) -> str:
    return f"briefings/{briefing.slug}/"


def actor_address(actor_id: str) -> str:
    return f"who/{actor_id}/"


def story_address(story: str) -> str:
    return f"stories/{name_address(story)}/"


def topic_address(topic: str) -> str:
    return f"topics/{name_address(topic)}/"


@dataclass(frozen=True)
class Pager:
    """Where a page of a long list stands, and the addresses of its neighbours."""

    number: int
    count: int
    previous: str | None
    next: str | None


T = TypeVar("T")


def pages_of(first: str, count: int) -> list[tuple[str, Pager]]:
    """The addresses of `count` pages of one list: `first`, then `first` + `page/2/`, ..."""
    addresses = [first] + [f"{first}page/{n}/" for n in range(2, count + 1)]
    return [
        (
            address,
            Pager(
                number,
                count,
                addresses[number - 2] if number > 1 else None,
                addresses[number] if number < count else None,
            ),
        )
        for number, address in enumerate(addresses, start=1)
    ]


def paginate(first: str, items: list[T], size: int = PER_PAGE) -> list[tuple[str, list[T], Pager]]:
    """A list cut into pages of `size` (one empty page for an empty list)."""
    count = max(1, -(-len(items) // size))
    return [
        (address, items[(pager.number - 1) * size : pager.number * size], pager)
        for address, pager in pages_of(first, count)
    ]


def _page(address: str, meta: dict[str, Any], template: str, shows: Any = (), **context: Any) -> Page:
    """One page, rendered; its templates link with `link(target address)`.

    `shows` is what it lists (briefings, or pairs of a quote and its briefing): the newest
    date among them is the page's date.
    """
    body = _ENV.get_template(template).render(link=partial(relative, address), address=address, **context)
    if not body.startswith("<"):
        raise ValueError(f"{template}: a page's body must start with an HTML element")
    return Page(address, meta, body, newest(shows))


def newest(shows: Any) -> dt.date | None:
    """The newest date (its `updated`, else its `date`) of the briefings in `shows`."""
    dates = [item.updated or item.date for item in (x[-1] if isinstance(x, tuple) else x for x in shows)]
    return max(dates, default=None)


def _title(text: str, pager: Pager | None = None) -> str:
    if pager is not None and pager.number > 1:
        text = f"{text} (page {pager.number} of {pager.count})"
    return str(html(text))


def briefing_page(briefing: Briefing, joins: Joins, site_name: str) -> Page:
    """The page of one briefing, `briefings/<slug>/`."""
    meta = {
        "title": _title(briefing.title),
        "description": str(html(briefing.summary)),
        "hide": ["navigation", "toc", "tags"],
        "search": {"boost": 2},
        "tags": [str(html(topic)) for topic in briefing.topics],
        "briefing_jsonld": str(json_script(jsonld(briefing))),
    }
    before, after = joins.neighbours(briefing)
    return _page(
        briefing_address(briefing),
        meta,
        "briefing.html.j2",
        shows=[briefing],
        briefing=briefing,
        story=joins.story_of(briefing),
        before=before,
        after=after,
        related=joins.related.get(briefing.slug, []),
        site_name=site_name,
    )


def problems_page(slug: str, path: str, findings: list[Finding]) -> Page:
    """In `mkdocs serve`, the page of a briefing with errors: what is wrong with it."""
    meta = {"title": _title(f"Errors in {path}"), "hide": ["navigation", "toc"], "search": {"exclude": True}}
    return _page(f"briefings/{slug}/", meta, "problems.html.j2", path=path, findings=findings)


def home_page(joins: Joins, site_name: str) -> Page:
    """The home page: the newest briefings."""
    meta = {"title": _title(site_name), "hide": ["navigation", "toc"]}
    shown = joins.briefings[:HOME_COUNT]
    return _page("", meta, "home.html.j2", shows=shown, briefings=shown, site_name=site_name)


def archive_pages(briefings: list[Briefing]) -> list[Page]:
    """`briefings/`: every briefing, grouped by year and month, newest first, 50 a page.

    The first page also lists every month, linked to the page where it starts.
    """
    months: dict[tuple[int, int], list[Any]] = {}
    for index, briefing in enumerate(briefings):
        key = (briefing.date.year, briefing.date.month)
        if key not in months:
            number = index // PER_PAGE + 1
            months[key] = [f"briefings/page/{number}/" if number > 1 else "briefings/", 0]
        months[key][1] += 1
    calendar_index = [
        (year, [(month, address, count) for (_, month), (address, count) in group])
        for year, group in groupby(months.items(), key=lambda item: item[0][0])
    ]
    pages = []
    for address, chunk, pager in paginate("briefings/", briefings):
        years = [
            (year, [(month, list(items)) for month, items in groupby(group, key=lambda b: b.date.month)])
            for year, group in groupby(chunk, key=lambda b: b.date.year)
        ]
        meta = {"title": _title("All briefings", pager), "hide": ["toc"]}
        pages.append(
            _page(
                address,
                meta,
                "archive.html.j2",
                shows=chunk,
                years=years,
                count=len(briefings),
                calendar=calendar_index if pager.number == 1 else [],
                pager=pager,
            )
        )
    return pages


#: Front matter of the pages that join briefings. They are left out of search: they
#: repeat the briefings' summaries, which would crowd the briefings out of the results
#: and grow the index with every page of every list.
_JOINED: dict[str, Any] = {"hide": ["navigation", "toc"], "search": {"exclude": True}}


def actor_pages(actor: ActorRecord) -> list[Page]:
    """`who/<id>/`: name, kind and roles, then the briefings and the quotes, 50 of each a page."""
    count = max(1, -(-len(actor.briefings) // PER_PAGE), -(-len(actor.quotes) // PER_PAGE))
    roles = list(actor.roles.items())
    pages = []
    for address, pager in pages_of(actor_address(actor.id), count):
        window = slice((pager.number - 1) * PER_PAGE, pager.number * PER_PAGE)
        meta = {"title": _title(actor.name, pager), **_JOINED}
        pages.append(
            _page(
                address,
                meta,
                "actor.html.j2",
                shows=[*actor.briefings[window], *actor.quotes[window]],
                actor=actor,
                roles=roles[:PER_PAGE] if pager.number == 1 else [],
                more_roles=max(0, len(roles) - PER_PAGE),
                briefings=actor.briefings[window],
                quotes=actor.quotes[window],
                pager=pager,
            )
        )
    return pages


_KINDS = {"person": "People", "organization": "Organizations", "country": "Countries", "group": "Groups"}


def _listing(first: str, items: list[Any], title: str, template: str, name: str, **context: Any) -> list[Page]:
    """The pages of one long list of a joined page: 50 entries, passed to the template as `name`.

    The entries are briefings, or groups of briefings (stories, topics): a page's date is
    the newest briefing it shows.
    """
    return [
        _page(
            address,
            {"title": _title(title, pager), **_JOINED},
            template,
            shows=[b for item in chunk for b in (_ends(item.briefings) if isinstance(item, Group) else [item])],
            pager=pager,
            **{name: chunk},
            **context,
        )
        for address, chunk, pager in paginate(first, items)
    ]


def _ends(briefings: list[Briefing]) -> list[Briefing]:
    """The first and last of a list: a story lists its briefings oldest first, a topic newest first."""
    return [briefings[0], briefings[-1]] if briefings else []


def actors_index(joins: Joins) -> list[Page]:
    """`who/`: every actor, grouped by kind, most briefings first, 50 a page."""
    order = list(_KINDS)
    actors = sorted(
        joins.actors.values(), key=lambda a: (order.index(a.kind), -len(a.briefings), a.name.casefold(), a.id)
    )
    return [
        _page(
            address,
            {"title": _title("Who", pager), **_JOINED},
            "actors.html.j2",
            shows=[actor.briefings[0] for actor in chunk],
            groups=[(kind, _KINDS[kind], list(items)) for kind, items in groupby(chunk, key=lambda a: a.kind)],
            total=len(actors),
            pager=pager,
        )
        for address, chunk, pager in paginate("who/", actors)
    ]


def story_pages(story: Group) -> list[Page]:
    """`stories/<address>/`: the story's briefings, oldest first, with their next steps, 50 a page."""
    return _listing(f"stories/{story.key}/", story.briefings, story.name, "story.html.j2", "briefings", story=story)


def stories_index(joins: Joins) -> list[Page]:
    """`stories/`: every running story, the most recently active first, 50 a page."""
    stories = sorted(joins.stories.values(), key=lambda s: (-s.briefings[-1].date.toordinal(), s.key))
    return _listing("stories/", stories, "Stories", "stories.html.j2", "stories", total=len(stories))


def topic_pages(topic: Group) -> list[Page]:
    """`topics/<address>/`: the topic's briefings, newest first, 50 a page."""
    return _listing(f"topics/{topic.key}/", topic.briefings, topic.name, "topic.html.j2", "briefings", topic=topic)


def topics_index(joins: Joins) -> list[Page]:
    """`topics/`: every topic, the most used first, 50 a page."""
    topics = sorted(joins.topics.values(), key=lambda t: (-len(t.briefings), t.name.casefold(), t.key))
    return _listing("topics/", topics, "Topics", "topics.html.j2", "topics", total=len(topics))


_SCHEMA_TYPES = {"person": "Person", "organization": "Organization", "country": "Country", "group": "Organization"}


def jsonld(briefing: Briefing) -> dict[str, Any]:
    """schema.org NewsArticle for the page head."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": briefing.title,
        "datePublished": briefing.date.isoformat(),
        "dateModified": (briefing.updated or briefing.date).isoformat(),
        "description": briefing.summary,
    }
    if briefing.location:
        data["dateline"] = briefing.location
    if briefing.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in briefing.authors]
    if briefing.topics:
        data["keywords"] = list(briefing.topics)
    data["mentions"] = [
        {"@type": _SCHEMA_TYPES[actor.kind], "name": actor.name, **({"jobTitle": actor.role} if actor.role else {})}
        if actor.kind == "person"
        else {"@type": _SCHEMA_TYPES[actor.kind], "name": actor.name}
        for actor in briefing.who
    ]
    citations = []
    for source in briefing.sources:
        work: dict[str, Any] = {"@type": "CreativeWork", "name": source.title}
        if source.url:
            work["url"] = source.url
        if source.publisher:
            work["publisher"] = {"@type": "Organization", "name": source.publisher}
        if source.published:
            work["datePublished"] = source.published.isoformat()
        citations.append(work)
    data["citation"] = citations
    data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": briefing.story} if briefing.story else None
    return {k: v for k, v in data.items() if v is not None}


_ENV.globals.update(
    briefing_address=briefing_address,
    actor_address=actor_address,
    story_address=story_address,
    topic_address=topic_address,
    long_date=long_date,
    short_date=short_date,
    figure_value=figure_value,
    when=when,
    web_url=web_url,
    month_name=lambda month: calendar.month_name[month],
)
