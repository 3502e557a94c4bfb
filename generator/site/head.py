"""A page's head: its title, its share card and its schema.org JSON-LD, every value made by `escape`.

Each page the generator makes carries its Open Graph card (`og`, every value made by
`escape.html`) and schema.org JSON-LD (`briefing_jsonld` on a briefing's page, `page_jsonld`
on the others, made by `escape.json_script`); overrides/main.html prints them in the head.
"""

from __future__ import annotations

from typing import Any

from generator.format.model import Briefing, Figure
from generator.format.wording import figure_text
from generator.site.cards import HEIGHT, WIDTH, Card, card
from generator.site.escape import html, json_script
from generator.site.links import absolute_url, briefing_address
from generator.site.pagination import Pager
from generator.site.render import latest
from generator.site.settings import Settings

#: Front matter of the pages that join briefings. They are left out of search: they
#: repeat the briefings' summaries, which would crowd the briefings out of the results
#: and grow the index with every page of every list.
JOINED: dict[str, Any] = {"hide": ["navigation", "toc"], "search": {"exclude": True}}


def title(text: str, pager: Pager | None = None) -> str:
    """A page's title, escaped, with its page number on a list's numbered pages."""
    return str(html(text + (pager.suffix if pager else "")))


def article_section(briefing: Briefing) -> str | None:
    """A briefing's section: its story, else its first topic."""
    return briefing.story or (briefing.topics[0] if briefing.topics else None)


def briefing_card(briefing: Briefing) -> dict[str, Any]:
    """The Open Graph card of a briefing's page, every value escaped."""
    section = article_section(briefing)
    card: dict[str, Any] = {
        "type": "article",
        "title": title(briefing.title),
        "description": str(html(briefing.summary)),
        "published_time": str(html(briefing.date.isoformat())),
        "modified_time": str(html(latest(briefing).isoformat())),
        "tags": [str(html(topic)) for topic in briefing.topics],
    }
    if section:
        card["section"] = str(html(section))
    return card


def briefing_share(briefing: Briefing, site: Settings) -> Card | None:
    """A briefing's share image: its section as the kicker, its headline, its first key figure; None when the
    site has none (`Settings.share_images`)."""
    if not site.share_images:
        return None
    figures = briefing.key_figures(1)
    value, label = figure_words(figures[0]) if figures else ("", "")
    return card(site.name, article_section(briefing) or "", briefing.title, value, label)


def figure_words(figure: Figure) -> tuple[str, str]:
    """A figure as a share image prints it: its number (with its unit, unless its label ends with it), and
    its label as written."""
    text = figure_text(figure)
    if text.label_unit:
        return text.number, f"{text.label} {text.label_unit}".strip()
    if not text.unit:
        return text.number, text.label
    label = text.label
    if label.casefold().startswith(text.unit.casefold() + " "):  # 270 sites, "sites targeted by ...": said once
        label = label[len(text.unit) + 1 :]
    return f"{text.number} {text.unit}", label


def share_image(shared: Card | None, address: str, site: Settings) -> dict[str, Any]:
    """The share card's image entries (`og`) of the page at `address`, every value escaped; none without one."""
    if shared is None:
        return {}
    return {
        "image": str(html(absolute_url(site.url, shared.path(address)))),
        "image_alt": str(html(shared.alt)),
        "image_width": WIDTH,
        "image_height": HEIGHT,
    }


def listing(
    address: str,
    site: Settings,
    name: str,
    pager: Pager | None = None,
    *,
    about: dict[str, Any] | None = None,
    image: Card | None = None,
    **meta: Any,
) -> dict[str, Any]:
    """The metadata of a page that lists briefings: its title, its card (with its share `image`, if any) and
    CollectionPage JSON-LD; a ProfilePage when it is `about` someone (schema.org's `mainEntity`)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "CollectionPage" if about is None else "ProfilePage",
        "name": name + (pager.suffix if pager else ""),
        "url": absolute_url(site.url, address),
    }
    if about is not None:
        data["mainEntity"] = about
    found = carded(name, pager, meta, data)
    found["og"].update(share_image(image, address, site))
    return found


def carded(name: str, pager: Pager | None, meta: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """`meta` after the page's title, then its card and its JSON-LD (`data`)."""
    return {
        "title": title(name, pager),
        **meta,
        "og": {"type": "website", "title": title(name, pager)},
        "page_jsonld": str(json_script(data)),
    }


_SCHEMA_TYPES = {"person": "Person", "organization": "Organization", "country": "Country", "group": "Organization"}


#: The site's logo, which the publisher of every NewsArticle names (`jsonld`).
LOGO_PATH = "assets/logo.svg"


def site_publisher(site: Settings) -> dict[str, Any]:
    """The site as a schema.org Organization: the publisher of its briefings, with its logo."""
    return {
        "@type": "Organization",
        "name": site.name,
        "url": absolute_url(site.url, ""),
        "logo": {"@type": "ImageObject", "url": absolute_url(site.url, LOGO_PATH)},
    }


def jsonld(briefing: Briefing, settings: Settings) -> dict[str, Any]:
    """schema.org NewsArticle for the page head; the site's address and name make its address and publisher."""
    url = absolute_url(settings.url, briefing_address(briefing))
    site = site_publisher(settings)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": briefing.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": briefing.date.isoformat(),
        "dateModified": (briefing.updated or briefing.date).isoformat(),
        "description": briefing.summary,
    }
    if briefing.location:
        data["dateline"] = briefing.location
    if briefing.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in briefing.authors]
    else:
        data["author"] = [site]
    data["publisher"] = site
    data["articleSection"] = article_section(briefing)
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
