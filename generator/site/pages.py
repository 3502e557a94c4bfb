"""The pages that are one page each: the home page, a briefing's page, and (in `mkdocs serve`) the page of
a briefing in error. Each is made through the build's `render.Renderer`."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from generator.format.findings import Finding
from generator.format.model import Briefing, Figure, Quote
from generator.site.escape import html, json_script
from generator.site.head import briefing_card, briefing_share, jsonld, listing, share_image, title
from generator.site.inputs import Deferred
from generator.site.joins import Joins
from generator.site.links import briefing_address
from generator.site.reading import long_date
from generator.site.receipts import Receipt, SourceTexts
from generator.site.render import Page, Renderer, newest
from generator.site.settings import Settings
from generator.site.watch import coming_up

#: How many briefings the home page lists.
HOME_COUNT = 20
#: How many dated next steps the home page's "Coming up" lists.
COMING_COUNT = 3
#: How many of the newest headlines the 404 page lists. It reads them from the home page's metadata
#: (`newest_briefings`): MkDocs renders overrides/404.html after reading every page.
NEWEST_HEADLINES = 5


def home_page(render: Renderer, joins: Joins, site: Settings) -> Page:
    """The home page: the newest briefing first, larger, with its first key figure (`Briefing.key_figures`);
    then "Coming up" (the first dated next steps from the newest briefing's date, as /watch/ starts); then the
    next newest by day, one entry each: its story's name, headline and key figure. Its metadata holds the
    newest headlines for the 404 page: title (escaped, as every title in a page's metadata), address and date."""
    meta = listing("", site, site.name, hide=["navigation", "toc"])
    shown = joins.briefings[:HOME_COUNT]
    meta["newest_briefings"] = [
        {"title": title(b.title), "address": briefing_address(b), "date": b.date.isoformat(), "day": long_date(b.date)}
        for b in shown[:NEWEST_HEADLINES]
    ]
    lead = shown[0] if shown else None
    stories = [joins.story_of(b) for b in shown]
    rest = [
        (b, story.name if story else None, b.key_figures(1)[0] if b.numbers else None)
        for b, story in zip(shown[1:], stories[1:], strict=True)
    ]
    days = [(day, list(entries)) for day, entries in groupby(rest, key=lambda entry: entry[0].date)]
    return render.page(
        "",
        meta,
        "home.html.j2",
        newest(shown),
        lead=lead,
        lead_story=stories[0].name if stories and stories[0] else None,
        key_figure=lead.key_figures()[0] if lead and lead.numbers else None,
        days=days,
        coming=coming_up(joins, COMING_COUNT),
        site_name=site.name,
    )


def briefing_page(
    render: Renderer,
    briefing: Briefing,
    joins: Joins,
    site: Settings,
    texts: SourceTexts | None = None,
    *,
    found: dict[Quote | Figure, Receipt | None] | Deferred | None = None,
    sources_at: dict[str, str] | None = None,
) -> Page:
    """The page of one briefing, `briefings/<slug>/`; the `site`'s address makes its JSON-LD's addresses absolute.

    Its quotes and figures show their receipts (`found`, else made from `texts`); `sources_at` gives the
    address of the page of each of its source files that has one (`publish_sources`), by `file` as written."""
    before, after = joins.neighbours(briefing)
    story = joins.story_of(briefing)
    address = briefing_address(briefing)
    shared = briefing_share(briefing, site)

    def meta() -> dict[str, Any]:
        return {
            "title": title(briefing.title),
            "description": str(html(briefing.summary)),
            "hide": ["navigation", "toc"],
            "search": {"boost": 2},
            "og": briefing_card(briefing) | share_image(shared, address, site),
            "briefing_jsonld": str(json_script(jsonld(briefing, site))),
        }

    return render.page(
        address,
        meta,
        "briefing.html.j2",
        newest([briefing]),
        card=shared,
        briefing=briefing,
        story_name=story.name if story else None,
        before=before,
        after=after,
        related=joins.related.get(briefing.slug, []),
        follow_ups=joins.follow_ups.get(briefing.slug, {}),
        site_name=site.name,
        site_url=site.url,
        receipts=found if found is not None else render.receipts(briefing, texts),
        sources_at=sources_at or {},
        reviewed_by=site.reviewer_of(briefing.slug),
        embargo=briefing.publish_at if briefing.embargoed(site.now) else None,
    )


def retraction_page(render: Renderer, briefing: Briefing, site: Settings) -> Page:
    """The page of a retracted briefing, at its address: the headline, "Retracted on …" and the reason, and
    nothing else of it (no body, quotes, figures or receipts); kept out of search engines and the site's search."""
    assert briefing.retracted is not None
    retracted = briefing.retracted
    meta = {
        "title": title(f"Retracted: {briefing.title}"),
        "description": str(html(f"Retracted on {retracted.date.isoformat()}: {retracted.reason}")),
        "hide": ["navigation", "toc"],
        "search": {"exclude": True},
        "robots": "noindex",
    }
    return render.page(
        briefing_address(briefing),
        meta,
        "retracted.html.j2",
        max(retracted.date, briefing.updated or briefing.date),
        briefing=briefing,
        retracted=retracted,
        site_name=site.name,
    )


def removed_page(render: Renderer, slug: str, site: Settings) -> Page:
    """A short "removed" page at the address of a briefing deleted from the collection (the plugin's `removed`):
    nothing of the briefing, kept out of search engines, the site's search and the sitemap."""
    meta = {"title": title("Removed"), "hide": ["navigation", "toc"], "search": {"exclude": True}, "robots": "noindex"}
    return render.page(f"briefings/{slug}/", meta, "removed.html.j2", site_name=site.name)


def problems_page(render: Renderer, slug: str, path: str, findings: list[Finding]) -> Page:
    """In `mkdocs serve`, the page of a briefing with errors: what is wrong with it."""
    meta = {"title": title(f"Errors in {path}"), "hide": ["navigation", "toc"], "search": {"exclude": True}}
    return render.page(f"briefings/{slug}/", meta, "problems.html.j2", path=path, findings=findings)
