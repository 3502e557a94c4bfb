"""The MkDocs plugin `briefings`: the briefings' pages, added to the build as generated files.

Only MkDocs events live here; the work is in `site`, which `briefing render`
calls too. Like mkdocs-gen-files and Material's blog plugin, the plugin never
writes into `docs/`: it keeps the bodies of its pages in a cache folder
(`.cache/briefings/` by default, each file written only when it changed, so
`mkdocs serve --dirty` rebuilds only what changed) and adds them to MkDocs'
files in `on_files`. Each page's head data (title, description, tags, JSON-LD)
is handed to MkDocs in `on_page_markdown`, never through text MkDocs parses.
"""

from __future__ import annotations

import logging
import re
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator.render import Page as GeneratedPage
from generator.schema import is_web_url
from generator.search import SearchIndexError, index_site
from generator.site import GeneratorError, Site, build_site, sync_folder

log = logging.getLogger("mkdocs.plugins.briefings")

#: An element's id in the HTML the generator writes (`<h2 id="who">`).
_ID = re.compile(r'\sid="([^"]+)"')

#: The date of a page that shows no briefing, in a site that has none: fixed, never the build day.
NO_DATE = "1970-01-01"


class BriefingsConfig(Config):
    """Options of the `briefings` plugin in mkdocs.yml."""

    #: Publish drafts too. Default: only in `mkdocs serve`, never in `mkdocs build`.
    drafts = opt.Optional(opt.Type(bool))
    #: Where the plugin keeps the pages it generates, relative to mkdocs.yml; never inside docs_dir.
    cache_dir = opt.Type(str, default=".cache/briefings")


class BriefingsPlugin(BasePlugin[BriefingsConfig]):
    """Checks briefings/ and adds the site's pages to every build."""

    def __init__(self) -> None:
        self.command = "build"
        self.site: Site | None = None
        self.root = Path(".")
        self.cache = Path(".cache/briefings")
        self.newest = NO_DATE

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having on_startup also keeps this instance alive across `mkdocs serve` rebuilds.
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.site_url:
            raise PluginError(
                "briefings: set site_url in mkdocs.yml to where the site is published:"
                " the Atom feed and /briefings.json need absolute addresses"
            )
        if not is_web_url(config.site_url):
            raise PluginError(
                f"briefings: site_url must be an absolute http:// or https:// URL (got {config.site_url!r})"
            )
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.cache = (self.root / self.config.cache_dir).resolve()
        docs = Path(config.docs_dir).resolve()
        if self.cache == docs or self.cache.is_relative_to(docs) or docs.is_relative_to(self.cache):
            raise PluginError(
                f"briefings: cache_dir must be outside docs_dir, which holds only what people wrote"
                f" (got {self.config.cache_dir!r})"
            )
        for folder in ("briefings", "seeds"):
            path = str(self.root / folder)
            if path not in config.watch:
                config.watch.append(path)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        serving = self.command == "serve"
        drafts = self.config.drafts if self.config.drafts is not None else serving
        try:
            site = build_site(
                self.root,
                site_url=config.site_url or "",
                site_name=config.site_name,
                description=config.site_description or "",
                drafts=drafts,
                problems=serving,
            )
        except GeneratorError as exc:
            raise PluginError(f"briefings: {exc}") from None
        if site.errors and not serving:
            raise PluginError(
                f"{site.errors} error{'s' * (site.errors != 1)} in briefings (run `briefing check`):\n"
                + "\n".join(f.format() for f in site.findings if f.severity == "error")
            )
        for finding in site.findings:
            # In `mkdocs serve` the site keeps serving; a problem is shown here (and on the
            # briefing's page) until it is fixed. Warnings never stop a build: CI runs
            # `briefing check --strict` for those.
            (log.warning if finding.severity == "error" else log.info)(finding.format())
        wanted = {path: page.body for path, page in site.pages.items()} | site.files
        try:
            written = sync_folder(self.cache, wanted)
        except (GeneratorError, OSError) as exc:
            raise PluginError(f"briefings: {exc}") from None
        generated = [File.generated(config, path, abs_src_path=str(self.cache / path)) for path in sorted(wanted)]
        # A page in docs/ that would be published where a generated one is (docs/who/hamas.md at /who/hamas/).
        by_destination = {file.dest_uri: file for file in files}
        taken = sorted(by_destination[f.dest_uri].src_uri for f in generated if f.dest_uri in by_destination)
        if taken:
            shown = ", ".join(f"{Path(config.docs_dir).name}/{uri}" for uri in taken[:5])
            raise PluginError(
                f"briefings: {shown}: these addresses belong to pages the plugin generates;"
                " move or rename the file(s) in docs/"
            )
        for file in generated:
            files.append(file)
        self.site = site
        dates = [page.date for page in site.pages.values() if page.date is not None]
        self.newest = max(dates).isoformat() if dates else NO_DATE
        log.info(
            "briefings: %d published, %d file(s) written, %d unchanged, %d removed",
            len(site.published),
            len(written.written),
            written.unchanged,
            len(written.deleted),
        )
        return files

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        ours = self._ours(page)
        if ours is not None:
            # The body is HTML already: Python-Markdown would only pass it through, at about
            # half of MkDocs' time per page. Render it as it is.
            page.render = partial(_render_html, page, ours.body)  # type: ignore[method-assign]
        return page

    def _ours(self, page: Page) -> GeneratedPage | None:
        """The generated page behind an MkDocs page, or None for a page people wrote."""
        return self.site.pages.get(page.file.src_uri) if self.site and page.file.generated_by else None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # Pagefind's index of the built pages (briefings and guides), `mkdocs serve` included: a
        # reader's first search loads only the parts a query needs, not an index of every page.
        try:
            result = index_site(Path(config.site_dir))
        except SearchIndexError as exc:
            raise PluginError(f"briefings: search: {exc}") from None
        peak = f", peak memory {result.peak_memory / 2**20:.0f} MiB" if result.peak_memory else ""
        log.info(
            "search: %d pages indexed in %.1f s (%d shard%s, %d bytes%s)",
            result.pages,
            result.seconds,
            result.shards,
            "s" * (result.shards != 1),
            result.bytes,
            peak,
        )

    @event_priority(100)  # before any other plugin (tags, search) reads the page's metadata
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        ours = self._ours(page)
        if ours is None:
            page.update_date = self.newest
            return markdown
        if page.meta or markdown != ours.body:
            # MkDocs read something other than what was written: never publish it.
            raise PluginError(f"briefings: {page.file.src_uri} does not read back as it was written")
        page.meta = dict(ours.meta)
        page.update_date = ours.date.isoformat() if ours.date else self.newest
        return markdown

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        # MkDocs may have reset the date since on_page_markdown (it is set when a page is made).
        ours = self._ours(page)
        page.update_date = ours.date.isoformat() if ours and ours.date else self.newest
        return context


def _render_html(page: Page, body: str, config: MkDocsConfig, files: Files) -> None:
    """`Page.render` for a page whose body is HTML: the content is the body, as written."""
    page.content = body
    page.toc = get_toc([])
    page.present_anchor_ids = set(_ID.findall(body))
