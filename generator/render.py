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
from collections.abc import Iterable
from itertools import groupby
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from generator.escape import html, json_script, slug
from generator.findings import Finding
from generator.model import Briefing, Figure

#: How many briefings the home page lists.
HOME_COUNT = 20


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


_ENV.globals.update(
    long_date=long_date,
    short_date=short_date,
    figure_value=figure_value,
    when=when,
    month_name=lambda month: calendar.month_name[month],
)


def front_matter(meta: dict[str, Any]) -> str:
    """YAML front matter; every value written as JSON, which YAML reads as it is."""
    lines = ["---"]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _page(meta: dict[str, Any], template: str, **context: Any) -> str:
    body = _ENV.get_template(template).render(**context)
    return front_matter(meta) + body


def briefing_page(briefing: Briefing, site_name: str) -> str:
    """The page of one briefing, `briefings/<slug>.md`."""
    meta = {
        "title": str(html(briefing.title)),
        "description": str(html(briefing.summary)),
        "hide": ["navigation", "toc"],
        "search": {"boost": 2},
        "briefing_jsonld": str(json_script(jsonld(briefing))),
    }
    links = {"archive": Markup("../"), "home": Markup("../../")}
    return _page(meta, "briefing.html.j2", briefing=briefing, links=links, site_name=site_name)


def problems_page(path: str, findings: list[Finding]) -> str:
    """In `mkdocs serve`, the page of a briefing with errors: what is wrong with it."""
    meta = {"title": str(html(f"Errors in {path}")), "hide": ["navigation", "toc"], "search": {"exclude": True}}
    return _page(meta, "problems.html.j2", path=path, findings=findings)


def home_page(briefings: list[Briefing], site_name: str) -> str:
    """`index.md`: the newest briefings (the list is already newest first)."""
    meta = {"title": str(html(site_name)), "hide": ["navigation", "toc"]}
    return _page(meta, "home.html.j2", briefings=briefings[:HOME_COUNT], base=Markup("briefings/"), site_name=site_name)


def archive_page(briefings: list[Briefing]) -> str:
    """`briefings/index.md`: every briefing, grouped by year and month, newest first."""
    years = [
        (year, [(month, list(items)) for month, items in groupby(group, key=lambda b: b.date.month)])
        for year, group in groupby(briefings, key=lambda b: b.date.year)
    ]
    meta = {"title": "All briefings", "hide": ["toc"]}
    return _page(meta, "archive.html.j2", years=years, count=len(briefings))


def newest_first(briefings: Iterable[Briefing]) -> list[Briefing]:
    """Newest date first; the same day by slug, so the order never depends on the file system."""
    ordered = sorted(briefings, key=lambda b: b.slug)
    return sorted(ordered, key=lambda b: b.date, reverse=True)


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
