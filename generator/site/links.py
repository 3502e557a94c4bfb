"""Where each page is: its address in the site, the Markdown file MkDocs turns into it, and the links
between pages (relative, made safe by `escape.href`) or to a page from elsewhere (absolute).

A page is named by its address in the site, a folder such as `who/hamas/` ("" is the home page);
`source_path` gives the Markdown file MkDocs turns into that address.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote as percent_encode

from generator.format.model import Briefing
from generator.rules.addresses import address as name_address
from generator.site.escape import Safe, href


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


def absolute_url(site_url: str, address: str) -> str:
    """The page at `address` as an absolute URL: the site's address (`settings.Settings.url`, which ends
    in `/`), then the page's percent-encoded as MkDocs writes it (`page.canonical_url`)."""
    return site_url + percent_encode(address)


#: The folders of the joined dimensions (`terms`): each term's pages are `<folder><key>/`, the index `<folder>`.
WHO = "who/"
STORIES = "stories/"
TOPICS = "topics/"


def briefing_address(briefing: Briefing) -> str:
    return f"briefings/{briefing.slug}/"


def actor_address(actor_id: str) -> str:
    return f"{WHO}{actor_id}/"


def story_address(story: str) -> str:
    return f"{STORIES}{name_address(story)}/"


def topic_address(topic: str) -> str:
    return f"{TOPICS}{name_address(topic)}/"


def month_address(year: int, month: int) -> str:
    return f"briefings/{year:04d}/{month:02d}/"
