"""Briefings to Markdown pages, through Jinja templates in `generator/templates/`.

A page is YAML front matter (title, description, search boost, JSON-LD for
the head) and one block of HTML. Every value a template prints passes through
`escape.html` on its way out (the environment's `finalize`), so no template can
forget to escape, and no text from a briefing can become HTML, Markdown, an
attribute, an include or template code.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import posixpath
from dataclasses import dataclass
from functools import partial
from itertools import groupby
from typing import Any, TypeVar

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from generator.escape import html, json_script, slug
from generator.findings import Finding
from generator.joins import ActorRecord, Group, Joins, url_slug
from generator.model import Briefing, Figure, newest_first

__all__ = ["newest_first"]  # re-exported: the order every list of briefings uses

#: How many briefings the home page lists.
HOME_COUNT = 20
#: Longer lists are cut into pages of this many entries.
PER_PAGE = 50


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    return html(value)


_ENV = Environment(
    loader=PackageLoader("generator", "templates"),
    autoescape=True,
    finalize=_finalize,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
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
    """YAML front matter; every value written as JSON, which YAML reads as it is."""
    lines = ["---"]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


# --- addresses ----------------------------------------------------------------
# A page is named by its address in the site, a folder such as `who/hamas/` ("" is the
# home page); `source_path` gives the Markdown file MkDocs turns into that address.


def source_path(address: str) -> str:
    """`who/hamas/` -> `who/hamas.md`; `who/` -> `who/index.md`; `` -> `index.md`."""
    if address == "":
        return "index.md"
    folder = address.rstrip("/")
    return f"{folder}.md" if "/" in folder else f"{folder}/index.md"


def relative(source: str, target: str) -> Markup:
    """The link from the page at address `source` to the address (or file) `target`."""
    path = posixpath.relpath("/" + target, "/" + source) if target else posixpath.relpath("/", "/" + source)
    if target.endswith("/") or target == "":
        path = "./" if path == "." else path + "/"
    return Markup(path)


def briefing_address(briefing: Briefing) -> str:
    return f"briefings/{briefing.slug}/"


def actor_address(actor_id: str) -> str:
    return f"who/{url_slug(actor_id)}/"


def story_address(story: str) -> str:
    return f"stories/{url_slug(story)}/"


def topic_address(topic: str) -> str:
    return f"topics/{url_slug(topic)}/"


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


def _page(address: str, meta: dict[str, Any], template: str, **context: Any) -> tuple[str, str]:
    """(Markdown path, content) of one page; its templates link with `link(target address)`."""
    body = _ENV.get_template(template).render(link=partial(relative, address), address=address, **context)
    return source_path(address), front_matter(meta) + body


def _title(text: str, pager: Pager | None = None) -> str:
    if pager is not None and pager.number > 1:
        text = f"{text} (page {pager.number} of {pager.count})"
    return str(html(text))


def briefing_page(briefing: Briefing, joins: Joins, site_name: str) -> tuple[str, str]:
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
        briefing=briefing,
        story=joins.story_of(briefing),
        before=before,
        after=after,
        related=joins.related.get(briefing.slug, []),
        site_name=site_name,
    )


def problems_page(slug: str, path: str, findings: list[Finding]) -> tuple[str, str]:
    """In `mkdocs serve`, the page of a briefing with errors: what is wrong with it."""
    meta = {"title": _title(f"Errors in {path}"), "hide": ["navigation", "toc"], "search": {"exclude": True}}
    return _page(f"briefings/{slug}/", meta, "problems.html.j2", path=path, findings=findings)


def home_page(joins: Joins, site_name: str) -> tuple[str, str]:
    """The home page: the newest briefings."""
    meta = {"title": _title(site_name), "hide": ["navigation", "toc"]}
    return _page("", meta, "home.html.j2", briefings=joins.briefings[:HOME_COUNT], site_name=site_name)


def archive_pages(briefings: list[Briefing]) -> list[tuple[str, str]]:
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


def actor_pages(actor: ActorRecord) -> list[tuple[str, str]]:
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


def _listing(
    first: str, items: list[Any], title: str, template: str, name: str, **context: Any
) -> list[tuple[str, str]]:
    """The pages of one long list of a joined page: 50 entries, passed to the template as `name`."""
    return [
        _page(address, {"title": _title(title, pager), **_JOINED}, template, pager=pager, **{name: chunk}, **context)
        for address, chunk, pager in paginate(first, items)
    ]


def actors_index(joins: Joins) -> list[tuple[str, str]]:
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
            groups=[(kind, _KINDS[kind], list(items)) for kind, items in groupby(chunk, key=lambda a: a.kind)],
            total=len(actors),
            pager=pager,
        )
        for address, chunk, pager in paginate("who/", actors)
    ]


def story_pages(story: Group) -> list[tuple[str, str]]:
    """`stories/<slug>/`: the story's briefings, oldest first, with their next steps, 50 a page."""
    return _listing(f"stories/{story.slug}/", story.briefings, story.name, "story.html.j2", "briefings", story=story)


def stories_index(joins: Joins) -> list[tuple[str, str]]:
    """`stories/`: every running story, the most recently active first, 50 a page."""
    stories = sorted(joins.stories.values(), key=lambda s: (-s.briefings[-1].date.toordinal(), s.slug))
    return _listing("stories/", stories, "Stories", "stories.html.j2", "stories", total=len(stories))


def topic_pages(topic: Group) -> list[tuple[str, str]]:
    """`topics/<slug>/`: the topic's briefings, newest first, 50 a page."""
    return _listing(f"topics/{topic.slug}/", topic.briefings, topic.name, "topic.html.j2", "briefings", topic=topic)


def topics_index(joins: Joins) -> list[tuple[str, str]]:
    """`topics/`: every topic, the most used first, 50 a page."""
    topics = sorted(joins.topics.values(), key=lambda t: (-len(t.briefings), t.name.casefold(), t.slug))
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
    month_name=lambda month: calendar.month_name[month],
)
