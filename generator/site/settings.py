"""The site's settings: one typed, frozen value, made and checked once at the edge, passed down whole.

`Settings.of` makes it from what mkdocs.yml or the command line says (the MkDocs plugin's `on_config`,
`briefing render`): the site's address checked (an absolute http:// or https:// URL) and ending in `/`
once, here. Nothing below the edge checks or normalises the address again: a function that needs it
takes the `Settings` (or its `url`, which always ends in `/`).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.format.urls import is_web_url


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
    ) -> Settings:
        """The settings of a site published at `url`, which ends in `/` here if it did not (after a query
        or a fragment too, as every address the site writes has always put it). ValueError naming the value
        unless `url` is an absolute http:// or https:// URL."""
        if not is_web_url(url):
            raise ValueError(f"site_url must be an absolute http:// or https:// URL (got {url!r})")
        root = url if url.endswith("/") else url + "/"
        return cls(root, name, description, drafts=drafts, publish_sources=publish_sources, share_images=share_images)
