"""The site's settings: one typed, frozen value, made and checked once at the edge, passed down whole.

`Settings.of` makes it from what mkdocs.yml or the command line says (the MkDocs plugin's `on_config`,
`briefing render`): the site's address checked (an absolute http:// or https:// URL) and ending in `/`
once, here. Nothing below the edge checks or normalises the address again: a function that needs it
takes the `Settings` (or its `url`, which always ends in `/`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from generator.format.urls import is_web_url

#: A briefing's slug: its file's name without the extension (`2024-08-25-cairo-talks`).
_BRIEFING_SLUG = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9]+(?:-[a-z0-9]+)*\Z")
#: The latest moment `SOURCE_DATE_EPOCH` may name: the last second of the format's latest day.
_LATEST_EPOCH = int(dt.datetime(2099, 12, 31, 23, 59, 59, tzinfo=dt.UTC).timestamp())


def build_moment(environ: Mapping[str, str] | None = None) -> dt.datetime:
    """ "Now", as a build sees it: `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) where it is set, so that a build
    is reproducible, else the clock. ValueError naming the value when it is not a whole number of seconds in
    range."""
    environ = os.environ if environ is None else environ
    if "SOURCE_DATE_EPOCH" not in environ:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    text = environ["SOURCE_DATE_EPOCH"].strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12 or int(text) > _LATEST_EPOCH:
        raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (got {text[:40]!r})")
    return dt.datetime.fromtimestamp(int(text), dt.UTC)


@dataclass(frozen=True)
class Settings:
    """Where the site is published, its name and description, and the options that choose what it shows."""

    #: Where the site is published: an absolute http:// or https:// URL ending in `/`.
    url: str
    #: The site's name (mkdocs.yml's `site_name`): the feed's title, the publisher in JSON-LD, the logo's letters.
    name: str = "Briefings"
    #: The site's description (mkdocs.yml's `site_description`): the feed's subtitle.
    description: str = ""
    #: Publish drafts too (`mkdocs serve`, `briefing render --drafts`).
    drafts: bool = False
    #: Each source text a published briefing cites gets a page of its own (the plugin's `publish_sources`).
    publish_sources: bool = False
    #: Each briefing's, story's and person's page gets a share image (`cards`; the plugin's `share_images`).
    share_images: bool = True
    #: The slugs of deleted briefings whose addresses answer with a short "removed" page (the plugin's `removed`).
    removed: tuple[str, ...] = ()
    #: Who approved each briefing, by slug, as (slug, name) pairs in slug order (the plugin's `reviewed_by`).
    reviewers: tuple[tuple[str, str], ...] = ()
    #: The build's "now": a briefing embargoed until after it (`publish_at`) is held as a draft.
    now: dt.datetime = field(default_factory=lambda: build_moment({}))

    def __post_init__(self) -> None:
        if not self.url.endswith("/") or not is_web_url(self.url):
            raise ValueError(f"site_url must be an absolute http:// or https:// URL (got {self.url!r})")

    @classmethod
    def of(
        cls,
        url: str,
        name: str = "Briefings",
        description: str = "",
        *,
        drafts: bool = False,
        publish_sources: bool = False,
        share_images: bool = True,
        now: dt.datetime | None = None,
        removed: tuple[str, ...] = (),
        reviewers: Mapping[str, str] | None = None,
    ) -> Settings:
        """The settings of a site published at `url`, which ends in `/` here if it did not (after a query
        or a fragment too, as every address the site writes has always put it). ValueError naming the value
        unless `url` is an absolute http:// or https:// URL, or when `now` is not given and SOURCE_DATE_EPOCH is
        not a number of seconds (`build_moment`)."""
        if not is_web_url(url):
            raise ValueError(f"site_url must be an absolute http:// or https:// URL (got {url!r})")
        root = url if url.endswith("/") else url + "/"
        for slug in removed:
            if not isinstance(slug, str) or not _BRIEFING_SLUG.match(slug):
                raise ValueError(f"removed: each item must be a briefing's slug, YYYY-MM-DD-words (got {slug!r:.80})")
        return cls(
            root,
            name,
            description,
            drafts=drafts,
            publish_sources=publish_sources,
            share_images=share_images,
            now=now or build_moment(),
            removed=tuple(sorted(set(removed))),
            reviewers=tuple(sorted((reviewers or {}).items())),
        )

    def reviewer_of(self, slug: str) -> str | None:
        """Who approved the briefing `slug`, when `reviewers` knows."""
        return self._reviewers.get(slug)

    @cached_property
    def _reviewers(self) -> dict[str, str]:
        return dict(self.reviewers)
