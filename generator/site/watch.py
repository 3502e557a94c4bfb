"""What to watch: the dated next steps of the briefings, on `watch/` (by month, split by the newest
briefing's date) and as an iCalendar feed (`watch.ics`), both the same for the same briefings."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from itertools import groupby
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from generator.format.model import Briefing, NextStep
from generator.site.head import JOINED, listing
from generator.site.joins import Joins
from generator.site.links import absolute_url, briefing_address
from generator.site.pagination import PER_PAGE, Pager, numbered, oldest_windows
from generator.site.render import Page, Renderer, latest, newest
from generator.site.settings import Settings

#: A dated next step as /watch/ lists it: its day, its briefing, its index there, the step, the story's name.
Watched = tuple[dt.date, Briefing, int, NextStep, str | None]

#: A briefing's next steps with a text `when`, as /watch/ lists them: the briefing, its story's name, and
#: each step with its index in the briefing.
Undated = tuple[Briefing, str | None, list[tuple[int, NextStep]]]

#: The address of /watch/, and its title.
WATCH = "watch/"
_TITLE = "What to watch"
#: The iCalendar feed of the dated next steps.
WATCH_ICS = "watch.ics"


def dated_steps(joins: Joins) -> list[Watched]:
    """Every next step dated a day, of every published briefing, in date order (then briefing, then index)."""
    steps: list[Watched] = []
    for briefing in joins.briefings:
        story = joins.story_of(briefing)
        for index, step in enumerate(briefing.next):
            if isinstance(step.when, dt.date):
                steps.append((step.when, briefing, index, step, story.name if story else None))
    steps.sort(key=lambda item: (item[0], item[1].date, item[1].slug, item[2]))
    return steps


def coming_up(joins: Joins, count: int) -> list[Watched]:
    """The first `count` dated next steps on or after the newest briefing's date (never the build's day), as
    /watch/'s "Coming up" starts."""
    steps = dated_steps(joins)
    if not joins.briefings:
        return []
    split = bisect.bisect_left([item[0] for item in steps], joins.briefings[0].date)
    return steps[split : split + count]


def _months(items: list[Watched]) -> list[tuple[int, int, list[Watched]]]:
    by_month = groupby(items, key=lambda item: (item[0].year, item[0].month))
    return [(year, month, list(group)) for (year, month), group in by_month]


def watch_pages(render: Renderer, joins: Joins, site: Settings) -> list[Page]:
    """`watch/`: the dated next steps by month: those on or after the newest briefing's date ("Coming up",
    the next 50), then the 50 before it ("Earlier"), then the steps with a text `when` of the newest 50
    briefings. Past 50 dated steps, `watch/page/N/` list every one in date order, numbered from the oldest,
    so that no page grows with the collection. The newest briefing's date, never the build's day, splits them.
    """
    steps = dated_steps(joins)
    pivot = joins.briefings[0].date if joins.briefings else None
    split = bisect.bisect_left([item[0] for item in steps], pivot) if pivot else len(steps)
    coming, earlier = steps[split : split + PER_PAGE], steps[max(0, split - PER_PAGE) : split]
    texts = undated_steps(joins)
    more = len(steps) > PER_PAGE
    shown = [item[1] for item in coming + earlier] + [entry[0] for entry in texts]
    first = render.page(
        WATCH,
        listing(WATCH, site, _TITLE, **JOINED),
        "watch.html.j2",
        newest(shown),
        pivot=pivot,
        coming=_months(coming),
        earlier=_months(earlier),
        texts=texts,
        total=len(steps),
        all_pages=numbered(WATCH, 1) if more else None,
        pager=Pager(0, None, None, False, at_first=True),
    )
    return [first, *(_every_step(render, steps, pivot, site) if more else [])]


def undated_steps(joins: Joins) -> list[Undated]:
    """The next steps with a text `when` of the newest 50 briefings, newest first: those that have any."""
    texts: list[Undated] = []
    for briefing in joins.briefings[:PER_PAGE]:
        undated = [(i, step) for i, step in enumerate(briefing.next) if isinstance(step.when, str)]
        if undated:
            story = joins.story_of(briefing)
            texts.append((briefing, story.name if story else None, undated))
    return texts


def _every_step(render: Renderer, steps: list[Watched], pivot: dt.date | None, site: Settings) -> list[Page]:
    """`watch/page/N/`: every dated step in date order, 50 a page, numbered from the oldest."""
    pages = []
    for address, (window,), pager in oldest_windows(WATCH, len(steps), head=False):
        chunk = steps[window]
        pages.append(
            render.page(
                address,
                listing(address, site, _TITLE, pager, **JOINED),
                "watch.html.j2",
                newest(item[1] for item in chunk),
                pivot=pivot,
                coming=_months([item for item in chunk if pivot and item[0] >= pivot]),
                earlier=_months([item for item in chunk if not pivot or item[0] < pivot]),
                texts=[],
                total=None,
                all_pages=None,
                pager=pager,
            )
        )
    return pages


def watch_ics(briefings: Iterable[Briefing], site: Settings) -> bytes:
    """The dated next steps of these briefings as all-day events (RFC 5545), in date order.

    Each event's UID is the briefing's slug and the step's index; its DTSTAMP is the briefing's
    `updated` (else its date) at midnight UTC, never the build's time: the same briefings give
    the same bytes."""
    joins_like = sorted(briefings, key=lambda b: b.slug)
    host = urlsplit(site.url).hostname or "briefings"
    calendar_ = Calendar()
    calendar_.add("prodid", "-//Briefings//What to watch//EN")
    calendar_.add("version", "2.0")
    calendar_.add("calscale", "GREGORIAN")
    calendar_.add("x-wr-calname", f"{site.name}: what to watch")
    events = []
    for briefing in joins_like:
        for index, step in enumerate(briefing.next):
            if isinstance(step.when, dt.date):
                events.append((step.when, briefing.slug, index, briefing, step))
    events.sort(key=lambda item: item[:3])
    for day, slug_, index, briefing, step in events:
        event = Event()
        event.add("uid", f"{slug_}-next-{index}@{host}")
        stamp = latest(briefing)
        event.add("dtstamp", dt.datetime(stamp.year, stamp.month, stamp.day, tzinfo=dt.UTC))
        event.add("dtstart", day)
        if day < dt.date.max:  # RFC 5545: an all-day event with no end lasts its one day
            event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", step.text)
        details = [f"From: {briefing.title}"]
        if step.who:
            details.append(f"Who: {step.who}")
        if briefing.story:
            details.append(f"Story: {briefing.story}")
        event.add("description", "\n".join(details))
        event.add("url", absolute_url(site.url, briefing_address(briefing)))
        calendar_.add_component(event)
    ical: bytes = calendar_.to_ical()
    return ical
