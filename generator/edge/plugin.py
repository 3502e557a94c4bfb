"""The MkDocs plugin `briefings`: the briefings' pages, added to the build as generated files.

Only MkDocs events live here; the work is in the parts below (`generator.site.build`, which
`briefing render` calls too). In `mkdocs serve`, the rebuilds of only what an edit changed and the
watch of briefings/ and seeds/ are `live`'s, the one module that calls MkDocs' private functions.

Like mkdocs-gen-files and Material's blog plugin, the plugin never writes into
`docs/`: it keeps the bodies of its pages in the cache, outside the working
tree (`generator.store.cache`: each file written only when it changed, so `mkdocs
serve --dirty` rebuilds only what changed) and adds them to MkDocs' files in
`on_files`. Each page's head data (title, description, share card, JSON-LD)
is handed to MkDocs in `on_page_markdown`, never through text MkDocs parses.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import posixpath
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin

from jinja2 import ChoiceLoader, DictLoader, Environment
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.theme import Theme

from generator.edge.live import Live
from generator.edge.reviewers import ReviewersError, reviewers
from generator.edge.shared import NAME, NO_DATE, Written, walk
from generator.format.model import Briefing
from generator.newsroom.diff import DiffError, changed_paths
from generator.rules.checkstore import KeptChecks
from generator.rules.verify import SOURCES_ENV, source_folder
from generator.site.build import (
    LOGO,
    ROBOTS,
    BuildCache,
    GeneratorError,
    Site,
    build_site,
    logo_svg,
    robots_txt,
    write_if_changed,
)
from generator.site.cards import Card, CardFiles, check_fonts
from generator.site.links import briefing_address, source_path
from generator.site.minify import MAX_BYTES, MINIFIED, minified
from generator.site.render import Kept
from generator.site.render import Page as GeneratedPage
from generator.site.search import SearchIndexError, index_site
from generator.site.settings import Settings
from generator.site.sitemap import add_to_sitemap, drop_from_sitemap, split_sitemap
from generator.store.cache import (
    CacheError,
    KeptOutputs,
    Store,
    cache_root,
    digest_of,
    tracked_build_state,
    trusted_base,
)
from generator.store.cache import Written as Synced
from generator.store.code import code_digest

log = logging.getLogger("mkdocs.plugins.briefings")

#: In a pull request's preview, the file in the site that lists its pages.
PREVIEW_LIST = "preview.txt"


class BriefingsConfig(Config):
    """Options of the `briefings` plugin in mkdocs.yml."""

    #: Publish drafts too. Default: only in `mkdocs serve`, never in `mkdocs build`.
    drafts = opt.Optional(opt.Type(bool))
    #: Where the plugin keeps what it generates and what it keeps between builds (relative to mkdocs.yml),
    #: a sub-folder per checkout in it; never inside docs_dir. Default: the platform's user cache folder
    #: (~/.cache/briefings on Linux). The environment variable BRIEFINGS_CACHE_DIR takes its place.
    cache_dir = opt.Optional(opt.Type(str))
    #: Keep each generated page's finished HTML (in the cache) and reuse it when nothing that
    #: goes into the page changed. Turn off with a plugin or template whose output depends on more than
    #: the page, the configuration, docs/, the theme and the versions installed (the build time, git).
    keep_html = opt.Type(bool, default=True)
    #: Publish each source text a briefing cites, whole, at sources/<name>/, with every passage the
    #: briefings drew on marked; the receipts link there. Off by default: source texts may be under copyright.
    publish_sources = opt.Type(bool, default=False)
    #: Give each briefing's, story's and person's page a share image (`og:image`, 1200×630 PNG, about 14 KB,
    #: drawn once per change of what it shows). Turn off to keep the site smaller.
    share_images = opt.Type(bool, default=True)
    #: A folder inside the repository (a private git submodule) that holds the source texts in place of seeds/:
    #: a briefing's `file: seeds/x.txt` is read from it. The environment variable BRIEFINGS_SOURCES_DIR takes
    #: its place, and may name a folder anywhere. Never inside docs_dir (MkDocs would publish the texts).
    sources_dir = opt.Optional(opt.Type(str))
    #: Show "Reviewed by …" on each briefing's page and in the export: who merged the change that last touched
    #: it, read from git (a merge commit's author, or another committer than the author). Needs the whole history.
    reviewed_by = opt.Type(bool, default=False)
    #: The slugs of briefings deleted from briefings/ whose addresses answer with a short "removed" page
    #: instead of the 404 (which is the default, and the choice when the slug's own words are the problem).
    removed = opt.ListOfItems(opt.Type(str), default=[])
    #: Build only a preview of what changed since this git revision (a pull request's base, `origin/main`):
    #: the pages that show a briefing changed or added since, or one citing a source text changed since,
    #: and the pages every build makes (home, the navigation's). The environment variable
    #: BRIEFINGS_PREVIEW takes its place. Every briefing is still checked.
    preview = opt.Optional(opt.Type(str))


class BriefingsPlugin(BasePlugin[BriefingsConfig]):
    """Checks briefings/ and adds the site's pages to every build."""

    def __init__(self) -> None:
        self.command = "build"
        #: The site's settings from mkdocs.yml, made and checked in `on_config` (`settings`).
        self.checked: Settings | None = None
        self.site: Site | None = None
        self.root = Path(".")
        #: The cache root of this checkout, and the store MkDocs reads the generated pages from.
        self.cache_root = Path(".")
        self.pages = Store(Path("."))
        self.newest = NO_DATE
        #: What `mkdocs serve` keeps between rebuilds (checks and rendered pages); None in `mkdocs build`.
        self.kept: BuildCache | None = None
        #: The last build's MkDocs objects, for the rebuilds that only some pages need.
        self.mkdocs_config: MkDocsConfig | None = None
        self.files: Files | None = None
        self.nav: Navigation | None = None
        self.env: Environment | None = None
        #: `mkdocs serve`'s rebuilds of only what an edit changed, and its watch (`live`).
        self.live = Live(self)
        #: The files of the site that are not pages (feeds, export, calendar), as last written; the lock
        #: keeps the serve rebuild and the job after it from writing them, or the manifest, at once.
        self.extra: dict[str, str] = {}
        #: The share images of this build's pages, by file (`cards`), as last written.
        self.cards: dict[str, Card] = {}
        self.writing = threading.Lock()
        #: Finished pages of earlier builds (`keep_html`), and what every page of this build shares.
        self.kept_html: KeptOutputs | None = None
        self.kept_search: Store | None = None
        #: Each briefing file's check, kept between builds by what it was made from (`checkstore`).
        self.kept_checks: KeptChecks | None = None
        self.fingerprint = ""
        #: Pages of this build whose HTML comes from `kept_html`, and the keys of those that do not yet.
        self.reused: dict[str, str] = {}
        self.to_keep: dict[str, str] = {}
        #: In `mkdocs build`, the pages not rendered at all, their finished HTML copied from `kept_html`
        #: into the site (`render.Kept`), by path, with where each was written; and the pages never taken
        #: so: the home page, whose metadata the 404 page reads, and every page the navigation or a page of
        #: docs/ links to.
        self.copied: dict[str, str] = {}
        self.copied_keys: dict[str, str] = {}
        self.never_copied: frozenset[str] = frozenset()
        #: A pull request's preview (`preview`): the base, the paths changed since, and the pages built.
        self.preview: str | None = None
        self.changed: set[str] = set()
        self.changed_slugs: set[str] = set()
        self.previewed: dict[str, list[str]] = {}
        #: Each generated page's body as written into the pages store: its digest and its elements' ids.
        #: In `mkdocs build` the body itself is let go once written, and read back when MkDocs builds the page.
        self.written: dict[str, Written] = {}
        self.sunk = _Sunk()

    @property
    def settings(self) -> Settings:
        """The site's settings, as `on_config` made them from mkdocs.yml."""
        if self.checked is None:
            raise PluginError("briefings: the site's settings are read in on_config, which has not run")
        return self.checked

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having on_startup also keeps this instance alive across `mkdocs serve` rebuilds.
        self.command = command
        self.kept = BuildCache() if command == "serve" else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.site_url:
            raise PluginError(
                "briefings: set site_url in mkdocs.yml to where the site is published:"
                " the Atom feed and /briefings.json need absolute addresses"
            )
        try:
            self.checked = Settings.of(
                config.site_url,
                config.site_name,
                config.site_description or "",
                # Drafts: only in `mkdocs serve` unless the plugin's `drafts` says otherwise.
                drafts=self.config.drafts if self.config.drafts is not None else self.command == "serve",
                publish_sources=self.config.publish_sources,
                share_images=self.config.share_images,
                removed=tuple(self.config.removed),
                reviewers=self._reviewers(config),
            )
        except ValueError as exc:  # site_url must be an absolute http:// or https:// URL (got ...)
            raise PluginError(f"briefings: {exc}") from None
        if self.checked.share_images:
            try:
                check_fonts()
            except RuntimeError as exc:
                raise PluginError(f"briefings: {exc}; install it, or set share_images: false") from None
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.cache_root = cache_root(self.root, self.config.cache_dir)  # never resolved: no link is followed
        docs = Path(config.docs_dir).resolve()
        if self.cache_root.is_relative_to(docs) or docs.is_relative_to(self.cache_root):
            raise PluginError(
                f"briefings: the cache must be outside docs_dir, which holds only what people wrote"
                f" (got {str(self.cache_root)!r})"
            )
        tracked = tracked_build_state(self.root, self.cache_root)
        if tracked:
            shown = ", ".join(tracked[:5]) + (f" and {len(tracked) - 5} more" if len(tracked) > 5 else "")
            raise PluginError(
                f"briefings: {len(tracked)} file(s) tracked by git are build state, which no commit may"
                f" bring (.cache/, site/, the cache): {shown}. Remove them from git (git rm --cached)"
            )
        self._sources_dir(config, docs)
        log.debug("briefings: the cache is %s", self.cache_root)
        base = trusted_base(self.cache_root, self.root)
        self.pages = Store(self.cache_root / "pages", name="pages", base=base)
        where = source_folder(self.root)
        watched = [self.root / "briefings", self.root / "seeds"]
        watched += [where.path] if where.private and not where.absent and where.problem is None else []
        for folder in watched:
            path = str(folder)
            if path not in config.watch:
                config.watch.append(path)
        self.mkdocs_config = config
        keep = self.config.keep_html
        self.kept_html = KeptOutputs(Store(self.cache_root / "html", name="html", base=base)) if keep else None
        self.kept_search = Store(self.cache_root / "search", name="search", base=base) if keep else None
        self.kept_checks = KeptChecks(Store(self.cache_root / "checks", name="checks", base=base))
        if self.kept is not None:
            self.live.before_build(config)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        serving = self.command == "serve"
        # In `mkdocs build`, each page's body is written as soon as it is made and let go (`_sink`): the
        # build never holds every body at once. `mkdocs serve` keeps them, to compare with the next edit's.
        self.written = {}
        self.sunk = _Sunk()
        self.copied = {}
        self.copied_keys = {}
        self.reused = {}
        self.to_keep = {}
        sink = self._sink if self.kept is None else None
        kept = self._kept_for(config, files, serving)
        try:
            site = self._build_site(problems=serving, sink=sink, kept=kept, files=self.preview is None)
        except GeneratorError as exc:
            raise PluginError(f"briefings: {exc}") from None
        self._report(site, serving)
        if self.preview is not None:  # of the files that are not pages, only what the pages need
            site.files = {LOGO: logo_svg(self.settings.name), ROBOTS: robots_txt(self.settings)}
        self.cards = site.cards(rendered_only=self.preview is not None)
        written = self._write(site, sink is None)
        generated = self._generated(config, files, site)
        for file in generated:
            files.append(file)
        _minify(config, files)
        self.site = site
        self.files = files
        with self.writing:
            self.extra = dict(site.files)
        dates = [page.date for page in site.pages.values() if page.date is not None]
        self.newest = max(dates).isoformat() if dates else NO_DATE
        log.info(
            "briefings: %d published, %d file(s) written, %d unchanged, %d removed",
            len(site.published),
            len(written.written),
            written.unchanged,
            len(written.deleted),
        )
        if kept is not None:
            log.info(
                "briefings: %d page(s) rendered, %d taken whole from the last build%s",
                kept.rendered,
                kept.skipped,
                f", {kept.unkeyed} that could not be named by their inputs" if kept.unkeyed else "",
            )
        return files

    def _kept_for(self, config: MkDocsConfig, files: Files, serving: bool) -> Kept | None:
        """What this build renders through: a pull request's preview (only the pages that show what it
        changed), the finished pages of earlier builds, or nothing (every page rendered)."""
        self.preview = None if serving else os.environ.get("BRIEFINGS_PREVIEW") or self.config.preview
        self.previewed = {}
        if self.preview is not None:
            try:
                self.changed = {posixpath.normpath(path) for path in changed_paths(self.root, self.preview)}
            except DiffError as exc:
                raise PluginError(f"briefings: preview of the changes since {self.preview!r}: {exc}") from None
            self.changed_slugs = {
                PurePosixPath(path).stem
                for path in self.changed
                if path.startswith("briefings/") and path.endswith((".yaml", ".yml"))
            }
            self.fingerprint = ""  # nothing of a preview is kept for other builds
            self.never_copied = _linked(config, files)
            return Kept(self._in_preview)
        if self.kept_html is not None:
            self.fingerprint = _fingerprint(config, files)
            if self.fingerprint:  # a page kept whole is not rendered
                self.never_copied = _linked(config, files)
                return Kept(self._has_kept)
        return None

    def _report(self, site: Site, serving: bool) -> None:
        """The build's findings in the log; in `mkdocs build`, an error stops it."""
        if self.sunk.error is not None:
            raise PluginError(f"briefings: {self.sunk.error}")
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

    def _write(self, site: Site, keeping: bool) -> Synced:
        """The pages store brought in line with this build: the pages (unless each was written as it was
        made) and the files that are not pages."""
        if keeping:  # `mkdocs serve`: every page made is kept, to compare with the next edit's
            made_pages = {path: page for path, page in site.pages.items() if not page.kept}
            wanted = {path: page.body for path, page in made_pages.items()} | site.files
            for path, page in made_pages.items():
                self.written[path] = Written.of(page.body)
        else:
            wanted = dict(site.files)  # the pages are written already
        # A share image is named by what it shows: one kept by an earlier build, as written, is not drawn again.
        kept_cards = {path for path in self.cards if self.pages.read(path) is not None}
        try:
            with CardFiles(
                {path: card for path, card in self.cards.items() if path not in kept_cards}, wanted
            ) as drawn:
                written = self.pages.sync(drawn, also_keep={*site.pages, *kept_cards})
        except (CacheError, OSError) as exc:
            raise PluginError(f"briefings: {exc}") from None
        written.written[:0] = self.sunk.written
        written.unchanged += self.sunk.unchanged
        return written

    def _generated(self, config: MkDocsConfig, files: Files, site: Site) -> list[File]:
        """MkDocs' files of the pages and other files this build made (not those copied whole or left out);
        refused where a file of docs/ would be published at the same address."""
        made = {path for path, page in site.pages.items() if not page.kept}
        generated = [
            File.generated(config, path, abs_src_path=str(self.pages.path(path)))
            for path in sorted({*made, *site.files, *self.cards})
        ]
        for file in generated:
            file.generated_by = NAME  # whatever mkdocs.yml calls the plugin
        _refuse_links_out(files, Path(config.docs_dir), self.root)
        # A page in docs/ that would be published where a generated one is (docs/who/hamas.md at /who/hamas/).
        by_destination = {file.dest_uri: file for file in files}
        ours = [*(f.dest_uri for f in generated), *self.copied.values()]
        taken = sorted(by_destination[dest].src_uri for dest in ours if dest in by_destination)
        if taken:
            shown = ", ".join(f"{Path(config.docs_dir).name}/{uri}" for uri in taken[:5])
            raise PluginError(
                f"briefings: {shown}: these addresses belong to pages the plugin generates;"
                " move or rename the file(s) in docs/"
            )
        return generated

    def _in_preview(self, address: str, key: str, date: dt.date | None, shown: list[Briefing]) -> bool:
        """For a pull request's preview: whether the page at `address` is left out (True), as it shows no
        briefing changed since the base, nor one citing a changed source text, and every build need not
        make it. A page that is kept is listed in `previewed` with the briefings that put it there."""
        path = source_path(address)
        touched = sorted({b.slug for b in shown if self._touched(b)})
        if touched or path in self.never_copied:
            self.previewed[address] = touched
            return False
        return True

    def _touched(self, briefing: Briefing) -> bool:
        """Whether a pull request changed this briefing's file, or a source text it cites."""
        if briefing.slug in self.changed_slugs:
            return True
        return any(source.file and posixpath.normpath(source.file) in self.changed for source in briefing.sources)

    def _preview_list(self, site_dir: Path) -> None:
        """`preview.txt` in the site: what the preview holds, for its reviewer; and the same in the log."""
        lines = [
            f"Preview of the changes since {self.preview}: {len(self.previewed)} page(s)"
            f" ({len(self.changed_slugs)} briefing file(s) changed or added).",
            "Each page's address in the site, then the changed briefings it shows;"
            " the other pages of the site are not in this preview.",
            "",
        ]
        lines += [f"/{address}  {' '.join(slugs)}".rstrip() for address, slugs in sorted(self.previewed.items())]
        text = "\n".join(lines) + "\n"
        write_if_changed(site_dir / PREVIEW_LIST, text)
        log.info("briefings: %s", text.strip().replace("\n", "\n    "))

    def _has_kept(self, address: str, key: str, date: dt.date | None, shown: list[Briefing]) -> bool:
        """Whether the page at `address`, rendered from inputs of digest `key`, need not be rendered: an
        earlier build kept its finished HTML, whose bytes are the ones recorded. Then it is written into
        the site now, as MkDocs would have written it. Never for a page without a date, or one that must
        be an MkDocs page (`_linked`)."""
        config = self.mkdocs_config
        path = source_path(address)
        if self.kept_html is None or config is None or date is None or not self.fingerprint:
            return False
        if path in self.never_copied:
            return False
        final = _kept_key(self.fingerprint, path, key, date.isoformat())
        if not self.kept_html.has(final):
            return False
        destination = File(path, None, config.site_dir, config.use_directory_urls).dest_uri
        # A hard link to the kept file, its bytes checked first (a copy across file systems): no 35 KB a page
        # written again. Nothing writes into a page of the site in place, so the kept file stays as it was.
        if not self.kept_html.link_into(final, Path(config.site_dir) / destination):
            return False  # not the bytes recorded: rendered
        self.copied[path] = destination
        self.copied_keys[path] = final
        return True

    def _reviewers(self, config: MkDocsConfig) -> dict[str, str]:
        """With `reviewed_by`, who merged each briefing's last change (`edge.reviewers`); a history that cannot be
        read is a warning (which stops a --strict build), never a guess."""
        if not self.config.reviewed_by:
            return {}
        try:
            return reviewers(Path(config.config_file_path or ".").resolve().parent)
        except ReviewersError as exc:
            log.warning("briefings: reviewed_by: %s", exc)
            return {}

    def _sources_dir(self, config: MkDocsConfig, docs: Path) -> None:
        """The folder of the source texts: BRIEFINGS_SOURCES_DIR, else the plugin's `sources_dir` (which must be
        inside the repository, as a submodule is), else seeds/; never in or around a folder MkDocs publishes
        (docs_dir, the theme's folders) or empties (site_dir). The option is handed on as the environment
        variable, which every reader of the texts reads."""
        written = os.environ.get(SOURCES_ENV, "")
        if not written.strip() and self.config.sources_dir is not None:
            value = self.config.sources_dir
            try:
                folder = (self.root / value).resolve()
            except (OSError, RuntimeError, ValueError):
                raise PluginError(f"briefings: sources_dir cannot be resolved (got {value[:120]!r})") from None
            if not folder.is_relative_to(self.root):
                raise PluginError(
                    "briefings: sources_dir must be a folder inside the repository (a private submodule); set"
                    f" {SOURCES_ENV} for one outside it (got {value[:120]!r})"
                )
            os.environ[SOURCES_ENV] = str(folder)
        where = source_folder(self.root)
        if where.problem is not None:
            return  # each source file it leaves unread is an error at that file
        try:
            folder = where.path.resolve()
        except (OSError, RuntimeError):
            return
        published = [("docs_dir, which MkDocs publishes", docs)]
        published.append(("site_dir, which MkDocs empties before each build", Path(config.site_dir).resolve()))
        published += [("a folder of the theme, which MkDocs publishes", Path(d).resolve()) for d in config.theme.dirs]
        for what, other in published:
            if folder.is_relative_to(other) or other.is_relative_to(folder):
                raise PluginError(f"briefings: the source texts must be outside {what} (got {str(folder)[:120]!r})")

    def _url(self, config: MkDocsConfig, path: str) -> str:
        """The absolute address MkDocs gives the page of `path` (`Page.canonical_url`)."""
        url = File(path, None, config.site_dir, config.use_directory_urls).url
        return urljoin(self.settings.url, url)

    def _sink(self, page: GeneratedPage) -> GeneratedPage:
        """A page as it is made, in `mkdocs build`: its body written into the pages store, and the page
        kept without it. A failure to write is kept for `on_files` to report, never blamed on a briefing."""
        if self.sunk.error is not None or page.kept:
            return page
        try:
            if self.pages.write(page.path, page.body):
                self.sunk.written.append(page.path)
            else:
                self.sunk.unchanged += 1
        except (CacheError, OSError) as exc:
            self.sunk.error = exc
            return page
        self.written[page.path] = Written.of(page.body)
        return dataclasses.replace(page, body="")

    def _body(self, page: Page, ours: GeneratedPage) -> str:
        """A generated page's body: the plugin's own copy in `mkdocs serve`, else the pages store's, which
        must be the bytes written."""
        if ours.body:
            return ours.body
        body = self.pages.read_text(page.file.src_uri)
        if body is None:
            raise PluginError(f"briefings: {page.file.src_uri} changed in the cache during the build")
        return body

    def _build_site(
        self,
        *,
        problems: bool,
        files: bool = True,
        sink: Callable[[GeneratedPage], GeneratedPage] | None = None,
        kept: Kept | None = None,
    ) -> Site:
        """The site of this project as mkdocs.yml describes it (`settings`), through the serve cache when there
        is one."""
        return build_site(
            self.root,
            settings=self.settings,
            problems=problems,
            cache=self.kept,
            files=files,
            sink=sink,
            kept=kept,
            checks=self.kept_checks,
        )

    def _ours(self, page: Page) -> GeneratedPage | None:
        """The generated page behind an MkDocs page, or None for a page people wrote."""
        return self.site.pages.get(page.file.src_uri) if self.site and page.file.generated_by else None

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        if self.kept_html is not None and env.loader is not None:
            # The template of a page whose finished HTML was kept: that HTML, as it is.
            kept = DictLoader({_KEPT_TEMPLATE: "{{ page.content }}"})
            env.loader = ChoiceLoader([kept, env.loader])
        self.env = env
        return env

    def _sitemap(self, config: MkDocsConfig) -> None:
        """The sitemap MkDocs wrote, with the pages copied whole added, split when it is too long."""
        if self.copied and self.site is not None:
            add_to_sitemap(
                Path(config.site_dir),
                self.settings,
                ours={path: (self._url(config, path), page.date) for path, page in self.site.pages.items()},
                copied=set(self.copied),
            )
        if self.site is not None:
            withdrawn = {
                self._url(config, source_path(briefing_address(b))) for b in self.site.published if b.retracted
            }
            withdrawn |= {self._url(config, source_path(f"briefings/{slug}/")) for slug in self.settings.removed}
            drop_from_sitemap(Path(config.site_dir), withdrawn)
        split_sitemap(Path(config.site_dir), self.settings)

    def _let_bodies_go(self) -> None:
        """In `mkdocs build`: the body of each page whose finished HTML is kept now, deleted from the pages
        store, where it served only while MkDocs built the page. A later build takes the page whole, or
        renders it again; the cache holds each page once, finished (2.6 GB less at 100,000 briefings)."""
        if self.site is None:
            return
        # Only the pages a build can take whole (named by their inputs, dated, not ones every build renders):
        # the others' bodies stay as they are, not written and let go at every build.
        site = self.site
        finished = {
            path
            for path in (set(self.to_keep) | set(self.reused) | set(self.copied)) - self.never_copied
            if path in site.pages and site.pages[path].key is not None and site.pages[path].date is not None
        }
        gone = sorted(finished & set(self.pages.entries))
        try:
            for path in gone:
                self.pages.delete(path)
                self.written.pop(path, None)
            if gone:
                self.pages.save()
        except (CacheError, OSError) as exc:
            log.info("briefings: the pages' bodies could not all be let go: %s", exc)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.preview is not None:
            self._preview_list(Path(config.site_dir))
        if self.kept_checks is not None:
            log.info(
                "briefings: %d file(s) checked, %d check(s) taken from the last build",
                self.kept_checks.checked,
                self.kept_checks.reused,
            )
            with contextlib.suppress(CacheError, OSError):
                if self.kept is None:
                    self.kept_checks.keep_only_used()  # the checks of files deleted since are let go
                else:
                    self.kept_checks.store.save()
        self._sitemap(config)
        if self.kept_html is not None and self.preview is None:
            reused = len(self.reused) + len(self.copied)
            if self.kept is None:
                gone = self.kept_html.keep_only_used()
                if self.fingerprint:
                    self._let_bodies_go()
            else:  # serve keeps all it made, listed so that the next build can use them
                gone = 0
                self.kept_html.store.save()
            log.info(
                "briefings: %d finished page(s) reused, %d kept for next time, %d let go",
                reused,
                len(self.to_keep),
                gone,
            )
        # Pagefind's index of the built pages (briefings and guides), `mkdocs serve` included: a
        # reader's first search loads only the parts a query needs, not an index of every page.
        try:
            vouched = {}
            if self.kept_html is not None:  # the pages copied whole: their bytes are the kept files' as checked
                entries = self.kept_html.store.entries
                vouched = {dest: entries[f"{self.copied_keys[path]}.html"] for path, dest in self.copied.items()}
            result = index_site(
                Path(config.site_dir),
                keep=self.kept_search if self.preview is None else None,
                vouched=vouched,
            )
        except SearchIndexError as exc:
            raise PluginError(f"briefings: search: {exc}") from None
        peak = f", peak memory {result.peak_memory / 2**20:.0f} MiB" if result.peak_memory else ""
        log.info(
            "search: %d pages indexed in %.1f s (%d shard%s, %d bytes%s)%s",
            result.pages,
            result.seconds,
            result.shards,
            "s" * (result.shards != 1),
            result.bytes,
            peak,
            "; every shard kept from the last build, its pages being the same"
            if result.reused
            else f"; {result.made} made, the others kept from the last build"
            if result.made < result.shards and self.kept_search is not None
            else "",
        )

    # --- `mkdocs serve`: its rebuilds and its watch are `live`'s ---------------------------------

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer:
        return self.live.serve(server, config, builder)

    def on_shutdown(self) -> None:
        self.live.shutdown()
        if self.kept_html is not None:
            with contextlib.suppress(CacheError, OSError):
                self.kept_html.store.save()  # the pages that serve's rebuilds kept, for the next build

    @event_priority(100)  # before any other plugin reads the page's metadata
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        ours = self._ours(page)
        if ours is None:
            page.update_date = self.newest
            return markdown
        written = self.written.get(page.file.src_uri)
        if page.meta or written is None or digest_of(markdown.encode("utf-8", "surrogatepass")) != written.digest:
            # MkDocs read something other than what was written: never publish it.
            raise PluginError(f"briefings: {page.file.src_uri} does not read back as it was written")
        page.meta = dict(ours.meta)
        page.update_date = ours.date.isoformat() if ours.date else self.newest
        self.reused.pop(page.file.src_uri, None)
        self.to_keep.pop(page.file.src_uri, None)
        if self.kept_html is not None and self.fingerprint:
            if ours.key is not None:  # named by its inputs (`render.Kept`), as the next build looks for it
                key = _kept_key(self.fingerprint, page.file.src_uri, ours.key, page.update_date or "")
            else:
                key = _page_key(self.fingerprint, page.file.src_uri, page.meta, page.update_date, written.digest)
            if self.kept_html.get(key) is not None:
                self.reused[page.file.src_uri] = key
                page.meta["template"] = _KEPT_TEMPLATE
            else:
                self.to_keep[page.file.src_uri] = key
        # Read back and found the same: the page is rendered from our own copy of the body (on_pre_page),
        # so MkDocs need not hold a second copy of every page until the build ends.
        return ""

    @event_priority(-100)  # after every other plugin: what Python-Markdown made of the empty text is dropped
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        ours = self._ours(page)
        if ours is None:
            return html
        # Python-Markdown read the empty text on_page_markdown returned: the body is HTML already, put in
        # place when the page is built (on_page_context), so that MkDocs, which makes every page before it
        # builds the first, holds no body meanwhile. Its elements' ids, for MkDocs' check of links to anchors.
        page.present_anchor_ids = set(self.written[page.file.src_uri].anchors)
        return ""

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        # MkDocs may have reset the date since on_page_markdown (it is set when a page is made).
        ours = self._ours(page)
        page.update_date = ours.date.isoformat() if ours and ours.date else self.newest
        key = self.reused.get(page.file.src_uri)
        if key is not None and self.kept_html is not None:
            kept = self.kept_html.get(key)
            if kept is None:  # gone since on_page_markdown: it cannot be rendered as it was
                raise PluginError(f"briefings: {self.kept_html.store.folder / key}.html went away during the build")
            page.content = kept
        elif ours is not None:
            page.content = self._body(page, ours)
        return context

    @event_priority(-100)  # after every other plugin: the page as it is written
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self._ours(page) is None:
            return output
        src = page.file.src_uri
        if self.kept_html is not None and src in self.reused:
            # Kept after every plugin had its say the first time: written again as it was kept.
            output = page.content or output
        elif self.kept_html is not None and src in self.to_keep:
            self.kept_html.put(self.to_keep[src], output)
        # Written once this returns, and read again only if an edit in `mkdocs serve` changes it:
        # a large site need not hold every page twice more until the build ends.
        page.content = page.markdown = None
        if self.kept is None and self.site is not None and src != "index.md":
            # In `mkdocs build`, nothing reads a page's head data once it is written (but the home page's,
            # whose newest headlines the 404 page shows): let it go, keeping the date the sitemap shows.
            ours = self.site.pages[src]
            self.site.pages[src] = GeneratedPage(ours.address, {}, "", ours.date, key=ours.key, card=ours.card)
            page.meta = {}
        return output


def _refuse_links_out(files: Files, docs: Path, root: Path) -> None:
    """PluginError naming each file of docs/ reached through a symbolic link to something outside the
    project (`docs/leak.txt -> /etc/os-release`): MkDocs would publish a file of the build machine."""
    docs_dir = os.path.abspath(docs)
    project = os.path.realpath(root)
    out = []
    for file in files:
        source = file.abs_src_path
        if file.generated_by or not source or not os.path.abspath(source).startswith(docs_dir + os.sep):
            continue
        real = os.path.realpath(source)
        if real != project and not real.startswith(project + os.sep):
            out.append(file.src_uri)
    if out:
        shown = ", ".join(out[:5]) + (f" and {len(out) - 5} more" if len(out) > 5 else "")
        raise PluginError(
            f"briefings: {shown} in docs/ lead(s), through a symbolic link, outside the project: nothing"
            " outside it is published; copy the file in, or remove the link"
        )


@dataclass
class _Sunk:
    """What `BriefingsPlugin._sink` wrote in one build, and the first failure to write."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    error: Exception | None = None


#: Settings that change where and how a site is built, never what a page holds. The files of docs_dir
#: are taken by their content.
_NOT_IN_PAGES = frozenset(("site_dir", "docs_dir", "config_file_path", "watch", "dev_addr", "strict"))

#: The part of a repr that names where an object is in memory.
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")

#: The theme template of a page whose finished HTML is reused (`on_env`).
_KEPT_TEMPLATE = "briefings-kept-page.html"


def _fingerprint(config: MkDocsConfig, files: Files) -> str:
    """A digest of what every page's HTML depends on besides the page itself: the versions installed,
    the generator's own code and templates, the configuration as resolved (environment variables
    included), the navigation as mkdocs.yml gives it, every file that is not the plugin's (docs/, the
    theme's assets) and the theme's custom_dir. Empty (nothing is kept) without a `nav` in mkdocs.yml:
    MkDocs then puts every page in the navigation every page shows, so a new page changes them all."""
    if config.nav is None:
        return ""
    digest = hashlib.sha256()
    root = os.path.dirname(config.config_file_path or "") or os.getcwd()

    def add(*parts: object) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)

    for package in ("mkdocs", "mkdocs-material", "jinja2", "markupsafe", "briefings"):
        try:
            add(package, metadata.version(package))
        except metadata.PackageNotFoundError:
            add(package, None)
    add(code_digest())
    for key in sorted(config):
        if key == "plugins":
            for name, plugin in config.plugins.items():
                add(
                    name,
                    type(plugin).__module__,
                    json.dumps(dict(plugin.config), sort_keys=True, default=_config_value),
                )
        elif key not in _NOT_IN_PAGES:
            # Where the project is does not change its pages: a copy elsewhere reuses them.
            add(key, json.dumps(config[key], sort_keys=True, default=_config_value).replace(root, "<root>"))
    for file in files:
        if file.generated_by != NAME:
            add(file.src_uri, file.dest_uri, file.content_bytes if not file.generated_by else repr(file))
    custom = config.theme.custom_dir
    for path in walk(Path(custom)) if custom else []:
        add(os.path.relpath(path, custom), path.read_bytes() if path.is_file() and not path.is_symlink() else None)
    return digest.hexdigest()


def _config_value(value: object) -> object:
    """A configuration value JSON cannot write: the theme by its name, folders and settings; else its repr."""
    if isinstance(value, Theme):
        return {"name": value.name, "dirs": value.dirs, **dict(value)}
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return _ADDRESS.sub("", repr(value))  # `<object at 0x7f...>` differs from run to run


def _kept_key(fingerprint: str, src: str, inputs: str, date: str) -> str:
    """The key of one generated page's finished HTML, for a page named by the digest of its inputs
    (`render.Kept`): the build can look for it before rendering the page."""
    digest = hashlib.sha256()
    for part in ("inputs", fingerprint, src, inputs, date):
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


#: A link's target in Markdown: `[text](target)`, `[text]: target`, `<a href="target">`.
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)|href=[\"']([^\"']+)", re.MULTILINE)


def _linked(config: MkDocsConfig, files: Files) -> frozenset[str]:
    """The pages that must be MkDocs pages in every build: the home page (the 404 page reads its metadata),
    and every Markdown file the navigation names or a page of docs/ links to (MkDocs checks those links)."""
    found = {"index.md"}
    stack: list[Any] = [config.nav]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.add(posixpath.normpath(item.lstrip("/")))
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    for file in files:
        if file.generated_by or not file.is_documentation_page():
            continue
        try:
            text = file.content_string
        except (OSError, UnicodeDecodeError):
            continue
        for match in _LINK.finditer(text):
            target = next(group for group in match.groups() if group is not None)
            target = target.split("#", 1)[0].split("?", 1)[0]
            if not target or "://" in target:
                continue
            base = "" if target.startswith("/") else posixpath.dirname(file.src_uri)
            path = posixpath.normpath(posixpath.join(base, target.lstrip("/")))
            found.add(path)
            found.add(posixpath.join(path, "index.md"))
    return frozenset(found)


def _page_key(fingerprint: str, src: str, meta: dict[str, Any], date: str | None, body: str) -> str:
    """The key of one generated page's finished HTML."""
    digest = hashlib.sha256()
    for part in (fingerprint, src, json.dumps(meta, sort_keys=True, ensure_ascii=False), date or "", body):
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _minify(config: MkDocsConfig, files: Files) -> None:
    """Each stylesheet and script of `docs/` (the site's own, not the theme's) replaced by its minified text
    (`site.minify`): MkDocs writes that instead of copying the file. A file that is not a regular file, or is
    larger than MAX_BYTES or not UTF-8, is left to MkDocs as it is."""
    docs = Path(config.docs_dir).resolve()
    for file in list(files):
        if file.generated_by or not file.src_uri.endswith(MINIFIED) or not file.abs_src_path:
            continue
        path = Path(file.abs_src_path)
        try:
            if not path.resolve().is_relative_to(docs) or not path.is_file() or path.stat().st_size > MAX_BYTES:
                continue
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        small = minified(file.src_uri, text)
        if small is not None:
            files.remove(file)
            files.append(File.generated(config, file.src_uri, content=small))
