"""The pages that list briefings or what they hold, newest first, 50 a page: the archive (`briefings/` and each
month's page), the corrections (`corrections/`), and the source texts (`sources/`, with each source's own page,
the plugin's `publish_sources`). A person's, story's or topic's pages are in `terms`; `watch/` in `watch`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from itertools import groupby
from typing import Any, TypeVar

from generator.format.model import Briefing, Correction, Retraction
from generator.site.escape import html
from generator.site.head import JOINED, carded, listing
from generator.site.joins import Joins
from generator.site.links import absolute_url, month_address
from generator.site.pagination import PER_PAGE, Pager, newest_windows
from generator.site.render import Page, Renderer, newest
from generator.site.settings import Settings
from generator.site.sources import SOURCES, SourceRecord

T = TypeVar("T")


def newest_first_list(
    render: Renderer,
    first: str,
    title: str,
    template: str,
    items: list[T],
    site: Settings,
    date: Callable[[list[T]], dt.date | None],
    shown: Callable[[list[T]], dict[str, Any]],
) -> list[Page]:
    """A list of `items`, given newest first: `first` shows the newest 50 and the total, numbered pages every
    one, 50 a page from the oldest (`newest_windows`). Each page is dated by `date` of what it shows, and
    its template gets `shown` of it with `total` and `pager`."""
    pages = []
    for address, (window,), pager in newest_windows(first, [len(items)]):
        chunk = items[window]
        pages.append(
            render.page(
                address,
                listing(address, site, title, pager, **JOINED),
                template,
                date(chunk),
                **shown(chunk),
                total=len(items) if pager.number == 0 else None,
                pager=pager,
            )
        )
    return pages


def archive_pages(render: Renderer, briefings: list[Briefing], site: Settings) -> list[Page]:
    """`briefings/`: every month with its count, and the newest 50; `briefings/<yyyy>/<mm>/` each month's briefings.

    A month's page is numbered from the oldest past 50 (`briefings/2024/08/page/2/`), so
    a new briefing changes `briefings/`, its month's page and at most two numbered pages.
    """
    months: dict[tuple[int, int], list[Briefing]] = {}
    for briefing in briefings:
        months.setdefault((briefing.date.year, briefing.date.month), []).append(briefing)
    calendar_index = [
        (year, [(month, month_address(year, month), len(items)) for (_, month), items in group])
        for year, group in groupby(months.items(), key=lambda item: item[0][0])
    ]
    newest_ones = briefings[:PER_PAGE]
    pages = [
        render.page(
            "briefings/",
            listing("briefings/", site, "All briefings", hide=["toc"]),
            "archive.html.j2",
            newest(newest_ones),
            heading="All briefings",
            years=_by_month(newest_ones),
            count=len(briefings),
            calendar=calendar_index,
            pager=Pager(0, None, None, at_first=True),
        )
    ]
    for (year, month), items in months.items():
        name = f"{calendar.month_name[month]} {year}"
        for address, (window,), pager in newest_windows(month_address(year, month), [len(items)]):
            chunk = items[window]
            pages.append(
                render.page(
                    address,
                    listing(address, site, name, pager, **JOINED),
                    "archive.html.j2",
                    newest(chunk),
                    heading=name,
                    years=_by_month(chunk),
                    count=len(items) if pager.number == 0 else None,
                    calendar=[],
                    pager=pager,
                )
            )
    return pages


def _by_month(briefings: list[Briefing]) -> list[tuple[int, list[tuple[int, list[Briefing]]]]]:
    return [
        (year, [(month, list(items)) for month, items in groupby(group, key=lambda b: b.date.month)])
        for year, group in groupby(briefings, key=lambda b: b.date.year)
    ]


def corrections_pages(render: Renderer, joins: Joins, site: Settings, withdrawn: Sequence[Briefing] = ()) -> list[Page]:
    """`corrections/`: every correction and retraction across the site, newest first (by its date, then the
    briefing's), each linked to its briefing; past 50, numbered pages from the oldest, like every list."""
    made: list[tuple[Correction | Retraction, Briefing]] = [
        (correction, briefing) for briefing in joins.briefings for correction in briefing.corrections
    ]
    made += [(briefing.retracted, briefing) for briefing in withdrawn if briefing.retracted is not None]
    made.sort(key=lambda item: (item[0].date, item[1].date, item[1].slug), reverse=True)
    return newest_first_list(
        render,
        "corrections/",
        "Corrections",
        "corrections.html.j2",
        made,
        site,
        lambda chunk: newest(briefing for _, briefing in chunk),
        lambda chunk: {"corrections": chunk},
    )


def source_pages(render: Renderer, records: list[SourceRecord], site: Settings) -> list[Page]:
    """`sources/<name>/` for each source record: the whole text with what briefings drew from it marked;
    and `sources/`, every source newest first by the day it was first cited, 50 a page."""
    pages = []
    for record in records:
        source = record.source
        meta = carded(
            f"Source: {source.title}",
            None,
            {
                "description": str(
                    html(
                        f"The source text of {len(record.briefings)} briefing(s), "
                        "with every passage they drew on marked."
                    )
                ),
                "hide": ["navigation", "toc"],
                "search": {"exclude": True},
            },
            {
                "@context": "https://schema.org",
                "@type": "WebPage",
                "name": source.title,
                "url": absolute_url(site.url, record.address),
            },
        )
        pages.append(
            render.page(
                record.address,
                meta,
                "source.html.j2",
                newest(record.briefings),
                source=source,
                text=record.text,
                drawn=record.drawn,
                cited=len(record.briefings),
                first_cited=record.briefings[-1],
            )
        )
    ordered = sorted(records, key=lambda r: (r.briefings[-1].date, r.key), reverse=True)
    pages += newest_first_list(
        render,
        SOURCES,
        "Sources",
        "sources.html.j2",
        ordered,
        site,
        lambda chunk: newest(b for r in chunk for b in r.briefings),
        lambda chunk: {"rows": [(r.address, r.source, len(r.briefings), r.briefings[-1].date) for r in chunk]},
    )
    return pages
