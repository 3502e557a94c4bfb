"""The whole site: check the collection, render every page, and write files only into folders we own.

`build_site` is pure but for reading the briefings and seeds: it returns every
page and file of the site in memory. Two callers write them: the MkDocs plugin
puts page bodies into its cache folder (outside `docs/`) and hands MkDocs the
head data itself; `briefing render` writes Markdown with front matter into an
output folder, for other tools. Both write through `cache.Store`, which writes a
file only when its content changed, deletes only files it wrote before (it keeps
a manifest of their digests), and never writes through a link.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from generator.format.findings import Finding
from generator.format.model import Briefing, Figure, Quote, newest_first
from generator.format.schema import SLUG
from generator.rules.checkstore import KeptChecks
from generator.rules.collection import ACROSS_MARKS, BRIEFINGS_DIR, CheckCache, Collection, check_collection
from generator.rules.verify import Seeds
from generator.site.cards import NOT_XML, Card, CardFiles, monogram
from generator.site.escape import html
from generator.site.export import FEED_PATH, export_json, feed_xml
from generator.site.inputs import Deferred
from generator.site.joins import JoinMemo, join
from generator.site.lists import archive_pages, corrections_pages, source_pages
from generator.site.pages import briefing_page, home_page, problems_page, removed_page, retraction_page
from generator.site.receipts import Receipt, SourceTexts, receipts_key
from generator.site.render import Kept, Memo, Page, Renderer
from generator.site.settings import Settings
from generator.site.sources import cited_sources, source_key, source_records
from generator.site.terms import DIMENSIONS, dimension_pages, term_feeds
from generator.site.watch import WATCH_ICS, watch_ics, watch_pages
from generator.store.cache import CacheError, Store, Written

EXPORT = "briefings.json"
#: The source texts a build without a cache holds at once (`Seeds.keep`), the least recently used let go.
SEEDS_HELD = 64
ROBOTS = "robots.txt"
#: The site's monogram, its logo and favicon unless mkdocs.yml names others (theme.logo, theme.favicon).
LOGO = "assets/logo.svg"
#: The file in an output folder that lists what the generator wrote there.


class GeneratorError(Exception):
    """The site could not be made or written: the message says why, for a person."""


@dataclass
class BuildCache:
    """What `mkdocs serve` keeps between rebuilds: each file's check, and each page with its inputs."""

    check: CheckCache = field(default_factory=CheckCache)
    pages: Memo = field(default_factory=Memo)
    joins: JoinMemo = field(default_factory=JoinMemo)
    #: The source texts' reader, kept with the Seeds it reads while they are the same.
    texts: tuple[Seeds, SourceTexts] | None = None


@dataclass
class Site:
    """Every page and file of the site, and what went into it."""

    collection: Collection
    #: The briefings on the site, drafts among them when they are shown.
    published: list[Briefing]
    #: Pages by the path of their Markdown file (`briefings/<slug>/index.md`).
    pages: dict[str, Page] = field(default_factory=dict)
    #: Other files by path: the feed and the export.
    files: dict[str, str] = field(default_factory=dict)
    #: Briefings that passed the checks but could not be published, as findings on their files.
    failures: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return sorted(self.collection.findings + self.failures)

    @property
    def errors(self) -> int:
        return self.collection.errors + len(self.failures)

    def cards(self, rendered_only: bool = False) -> dict[str, Card]:
        """The share images of its pages (of those rendered this build only, for a pull request's preview),
        by file."""
        return {
            page.card_path: page.card
            for page in self.pages.values()
            if page.card is not None and page.card_path is not None and not (rendered_only and page.kept)
        }


def render_pages(
    briefings: list[Briefing],
    site: Settings,
    render: Renderer | None = None,
    joined: JoinMemo | None = None,
    *,
    texts: SourceTexts | None = None,
    sink: Callable[[Page], Page] | None = None,
    source_digest: Callable[[str], str | None] | None = None,
    unpublished: Sequence[Briefing] = (),
) -> dict[str, Page]:
    """Every page of these briefings, by the path of its Markdown file; the `site`'s address makes the
    absolute addresses of their heads (JSON-LD); `texts` gives the source texts that quotes and figures
    are shown in (their receipts), by file. With the `site`'s `publish_sources`, each source text they cite
    gets a page of its own (`lists.source_pages`), which their receipts link to, unless any briefing (of these, or
    of the `unpublished` drafts and embargoed ones) cites that text with rights short of `public`.

    Each page is made through `render` (`render.Renderer`): with its memo of the previous build, a page
    whose inputs are unchanged is taken from it instead of being rendered again; with its `kept`, a page
    whose finished HTML an earlier build kept is not rendered, and a briefing's receipts are found only
    for the pages that are. With a `sink`, each page is handed to it as soon as it is made and what it
    returns is kept instead (the MkDocs plugin writes the body and keeps the page without it: a build
    never holds every page's body at once).
    """
    render = render or Renderer()
    out: dict[str, Page] = {}

    def add(pages: Iterable[Page]) -> None:
        for page in pages:
            out[page.path] = sink(page) if sink is not None else page

    # A retracted briefing keeps its address, as a notice, and leaves every list, join, story and chart.
    live = [briefing for briefing in briefings if briefing.retracted is None]
    withdrawn = [briefing for briefing in briefings if briefing.retracted is not None]
    joins = join(live, joined)
    publish_sources = site.publish_sources
    add([home_page(render, joins, site), *archive_pages(render, joins.briefings, site)])
    addresses = cited_sources(joins.briefings, texts, [*briefings, *unpublished]) if publish_sources else {}
    found: dict[str, dict[Quote | Figure, Receipt | None]] = {}
    for briefing in joins.briefings:
        receipts: dict[Quote | Figure, Receipt | None] | Deferred
        if render.reuses and not publish_sources:
            # Named by what they are found from (the briefing, and its source texts' digests), and
            # found only if the page is rendered.
            receipts = Deferred(partial(render.receipts, briefing, texts), receipts_key(briefing, texts, source_digest))
        else:
            receipts = render.receipts(briefing, texts)
        if publish_sources:  # what the source pages mark; else let go with the page
            assert not isinstance(receipts, Deferred)
            found[briefing.slug] = receipts
        at = {
            source.file: addresses[source_key(source.file)]
            for source in briefing.sources
            if source.file and source_key(source.file) in addresses
        }
        add([briefing_page(render, briefing, joins, site, found=receipts, sources_at=at)])
    if publish_sources:
        add(source_pages(render, source_records(joins.briefings, texts, addresses, found), site))
    add(retraction_page(render, briefing, site) for briefing in withdrawn)
    slugs = {briefing.slug for briefing in briefings}
    add(removed_page(render, slug, site) for slug in site.removed if slug not in slugs)
    add(watch_pages(render, joins, site))
    add(corrections_pages(render, joins, site, withdrawn))
    for dimension in DIMENSIONS:  # who/, stories/, topics/: each term's pages, and their index
        add(dimension_pages(render, dimension, joins, site))
    return out


def site_files(briefings: list[Briefing], site: Settings) -> dict[str, str]:
    """The files of the site that are not pages: the feed and the export, each of the whole collection,
    robots.txt, the logo (`logo_svg`), the calendar of what to watch, and the feed of each story (of each term
    of a dimension with feeds, `terms.term_feeds`). A retracted briefing is in the feed (its entry updated to say
    so) and in the export (marked by its `retracted`), and in nothing else."""
    ordered = newest_first(briefings)
    live = [briefing for briefing in ordered if briefing.retracted is None]
    files = {
        FEED_PATH: feed_xml(ordered, site).decode("utf-8"),
        EXPORT: export_json(ordered, site),
        ROBOTS: robots_txt(site),
        LOGO: logo_svg(site.name),
        WATCH_ICS: watch_ics(live, site).decode("utf-8"),
    }
    for dimension in DIMENSIONS:
        files.update(term_feeds(dimension, live, site))
    return files


def robots_txt(site: Settings) -> str:
    """`/robots.txt`: every page may be crawled, and the sitemap (which MkDocs writes) is at `<site.url>sitemap.xml`."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.url}sitemap.xml\n"


def logo_svg(site_name: str) -> str:
    """`assets/logo.svg`: a monogram, the first letters of the site's name's first two words (of a one-word
    name, its first letter), white on a coloured square. The name, escaped, is its title."""
    name = NOT_XML.sub("", site_name)  # characters XML 1.0 does not allow, even as references
    letters, colour = monogram(name)
    size = 36 if len(letters) == 1 else 28
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64"'
        f' role="img" aria-label="{html(name)}">\n'
        f"<title>{html(name)}</title>\n"
        f'<rect width="64" height="64" rx="12" fill="{colour}"/>\n'
        f'<text x="32" y="32" dy="0.35em" fill="#ffffff" font-family="system-ui, -apple-system, Segoe UI, Roboto,'
        f' Helvetica, Arial, sans-serif" font-size="{size}" font-weight="700" text-anchor="middle">'
        f"{html(letters)}</text>\n</svg>\n"
    )


def render_site(
    briefings: list[Briefing], site: Settings, memo: Memo | None = None
) -> tuple[dict[str, Page], dict[str, str]]:
    """Every page (by Markdown path) and every other file (feed, export) of these briefings."""
    pages = render_pages(briefings, site, Renderer(memo))
    return pages, site_files(briefings, site)


def build_site(
    root: Path,
    *,
    settings: Settings,
    problems: bool = False,
    cache: BuildCache | None = None,
    files: bool = True,
    sink: Callable[[Page], Page] | None = None,
    kept: Kept | None = None,
    checks: KeptChecks | None = None,
) -> Site:
    """Check every briefing under root/briefings and render the site `settings` describe (made and checked
    at the edge: its address, name and description, and what it publishes).

    With `settings.publish_sources`, each source text a published briefing cites gets a page
    (`sources/<name>/`): the newsroom's choice, as the texts may be under copyright.
    With a `sink`, each page is handed to it as it is made, and with `kept` a page an
    earlier build finished is not rendered (`render_pages`). With `checks`, a file an earlier
    build checked, unchanged with its sources since, is not checked again (`checkstore`).

    A file with errors is left out, and so is a briefing that passed the checks but
    could not be rendered (its failure becomes a finding on its file): the rest of the
    site is made. Drafts are published only with `settings.drafts`, and with `problems` a file
    in error gets a page listing its findings at its address (as `mkdocs serve` does).
    """
    # Without a cache (`mkdocs build`, `briefing render`), the source texts are read as the checks and the
    # receipts need them, at most SEEDS_HELD at once: a large collection's texts are never all held.
    held = Seeds(root, keep=SEEDS_HELD) if cache is None else None
    collection = check_collection([root / BRIEFINGS_DIR], root, cache.check if cache else None, checks, held)
    published = [b for b in collection.briefings if settings.drafts or not (b.draft or b.embargoed(settings.now))]
    site = Site(collection, published)
    shown = {id(b) for b in published}
    # What is not published still says what may be shown of the texts it cites (`rights`).
    unpublished = [b for b in collection.briefings if id(b) not in shown]
    seeds, texts = _sources(root, cache, held)
    if kept is not None:
        _name_briefings(kept, collection)
    joined = cache.joins if cache else None
    renderer = Renderer(cache.pages if cache else None, kept)
    site.pages, bad = _guarded(
        lambda chosen, render: render_pages(
            chosen,
            settings,
            render,
            joined if render.memo else None,
            texts=texts,
            sink=sink,
            source_digest=seeds.digest,
            unpublished=unpublished,
        ),
        published,
        renderer,
    )
    if renderer.memo is not None:
        renderer.memo.commit()
    _left_out(site, bad)
    _still_there(site, settings)
    if files:
        site.files = site_files(site.published, settings)
    _let_go_of_marks(collection)
    if problems:
        _add_problem_pages(site, sink)
    return site


def _sources(root: Path, cache: BuildCache | None, held: Seeds | None) -> tuple[Seeds, SourceTexts]:
    """The source texts the receipts are found in: the checks' (`held`, or the cache's), and their reader,
    kept in the cache with them while they are the same."""
    seeds = (
        cache.check.seeds if cache and cache.check.seeds else held or Seeds(root, keep=None if cache else SEEDS_HELD)
    )
    if cache is not None and cache.texts is not None and cache.texts[0] is seeds:
        return seeds, cache.texts[1]  # the same callable while the sources are unchanged: receipts are reused
    texts = source_texts(seeds)
    if cache is not None:
        cache.texts = (seeds, texts)
    return seeds, texts


def _name_briefings(kept: Kept, collection: Collection) -> None:
    """Name each briefing in the pages' digests by what it was made from (its file's check key), when known."""
    for checked in collection.files:
        if checked.briefing is not None and checked.key is not None:
            kept.digests.remember(checked.briefing, bytes.fromhex(checked.key))


def _left_out(site: Site, bad: list[tuple[Briefing, Exception]]) -> None:
    """Each briefing that could not be rendered becomes a finding on its file, and is not published."""
    paths = {checked.slug: checked.path for checked in site.collection.files if checked.briefing is not None}
    for briefing, exc in bad:
        site.failures.append(
            Finding(paths[briefing.slug], 1, 1, "error", "", f"cannot be published: {type(exc).__name__}: {exc}"[:300])
        )
    site.published = [b for b in site.published if all(b is not other for other, _ in bad)]


def _still_there(site: Site, settings: Settings) -> None:
    """An error at each briefing file whose slug the plugin's `removed` lists: a removed briefing's address would
    answer for a briefing still in the collection (a draft's or an embargoed one's words in its address)."""
    removed = set(settings.removed)
    for checked in site.collection.files:
        if checked.slug in removed:
            site.failures.append(
                Finding(
                    checked.path,
                    1,
                    1,
                    "error",
                    "",
                    "is listed in the briefings plugin's `removed`, which answers its address with a Removed page:"
                    " delete the file, or take its slug off the list",
                )
            )


def _let_go_of_marks(collection: Collection) -> None:
    """Each file's map of field positions served its findings, all made by now: a large collection
    need not carry tens of millions of them through the build. Only the few that the rules
    across files need are kept, for a `cache` that checks this file against others again."""
    for checked in collection.files:
        checked.marks = {key: at for key, at in checked.marks.items() if ACROSS_MARKS.match(key)}


def _add_problem_pages(site: Site, sink: Callable[[Page], Page] | None) -> None:
    """A page at the address of each file in error that has none, listing its errors (as `mkdocs serve` does)."""
    for checked in site.collection.files:
        findings = [f for f in site.findings if f.path == checked.path and f.severity == "error"]
        if findings and SLUG.match(checked.slug):
            page = problems_page(Renderer(), checked.slug, checked.path, findings)
            if page.path not in site.pages:
                site.pages[page.path] = sink(page) if sink is not None else page


def source_texts(seeds: Seeds) -> SourceTexts:
    """The source text of a file under seeds/ (read on first use, once), or None when it cannot be used."""
    return lambda path: None if seeds.problem(path) else seeds.text(path)


def _guarded(
    render: Callable[[list[Briefing], Renderer], dict[str, Page]], briefings: list[Briefing], renderer: Renderer
) -> tuple[dict[str, Page], list[tuple[Briefing, Exception]]]:
    """Render the pages; when that fails, find the briefings that fail on their own and leave them out.

    The search costs one small render per briefing (without the memo), and only when something failed.
    A failure no single briefing explains is a GeneratorError.
    """
    memo = renderer.memo
    try:
        if memo is not None:
            memo.begin()
        return render(briefings, renderer), []
    except Exception as first:  # anything at all: it becomes a finding, never a traceback
        bad: list[tuple[Briefing, Exception]] = []
        alone = replace(renderer, memo=None)
        for briefing in briefings:
            try:
                render([briefing], alone)
            except Exception as exc:
                bad.append((briefing, exc))
        if not bad:
            raise GeneratorError(f"the site could not be rendered: {type(first).__name__}: {first}") from first
    rest = [b for b in briefings if all(b is not other for other, _ in bad)]
    try:
        if memo is not None:
            memo.begin()
        return render(rest, renderer), bad
    except Exception as exc:
        raise GeneratorError(f"the site could not be rendered: {type(exc).__name__}: {exc}") from exc


# --- reading back what was written --------------------------------------------

#: Front matter as MkDocs finds it (mkdocs.utils.meta.YAML_RE).
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)


def read_back(markdown: str, page: Page) -> None:
    """Raise GeneratorError unless `markdown` reads back, the way MkDocs reads a page, as `page`:
    its front matter a mapping equal to the page's metadata, and its body the page's body."""
    match = _FRONT_MATTER.match(markdown)
    meta: Any = None
    if match:
        try:
            meta = yaml.load(match.group(1), Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            meta = None
    body = markdown[match.end() :].lstrip("\n") if match else markdown
    if meta != page.meta or body != page.body:
        raise GeneratorError(f"{page.path}: the page does not read back as it was written; nothing was published")


class MarkdownFiles(Mapping[str, str]):
    """The site as Markdown files with front matter, and its other files: what `briefing render` writes.

    Every page is checked to read back (`read_back`) when this is made, so that nothing is written
    unless all of it is right; then each file's text is made when it is asked for, and not kept: the
    site's pages are not held a second time, as Markdown, while they are written (at 10,000
    briefings, 390 MB less at the peak of `briefing render`)."""

    def __init__(self, site: Site) -> None:
        for page in site.pages.values():
            read_back(page.markdown(), page)
        self.site = site

    def __getitem__(self, path: str) -> str:
        page = self.site.pages.get(path)
        return page.markdown() if page is not None else self.site.files[path]

    def __iter__(self) -> Iterator[str]:
        yield from self.site.pages
        yield from (path for path in self.site.files if path not in self.site.pages)

    def __len__(self) -> int:
        return len(self.site.pages.keys() | self.site.files.keys())


def markdown_files(site: Site) -> MarkdownFiles:
    """The site as Markdown files with front matter, and its other files (`MarkdownFiles`)."""
    return MarkdownFiles(site)


class Spool(Mapping[str, str]):
    """`briefing render`'s pages as Markdown, each written, as it is made, into an unnamed temporary file
    (`sink`, for `build_site`) and let go: a large site's pages are never all held at once. Each page is
    checked to read back (`read_back`) as it is made; the first that does not is kept in `error`, and
    the caller writes nothing. Then, as a mapping, the files to write: each page read from the spool
    when asked for, then the site's other files."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - held open while the site is written
        self._at: dict[str, tuple[int, int]] = {}
        self._end = 0
        self.files: dict[str, str] = {}
        self.error: GeneratorError | None = None

    def sink(self, page: Page) -> Page:
        text = page.markdown()
        try:
            read_back(text, page)
        except GeneratorError as exc:
            self.error = self.error or exc
            return page
        data = text.encode("utf-8", "surrogatepass")
        self._file.seek(self._end)
        self._file.write(data)
        self._at[page.path] = (self._end, len(data))
        self._end += len(data)
        return Page(page.address, {}, "", page.date, card=page.card)

    def close(self) -> None:
        self._file.close()

    def __getitem__(self, path: str) -> str:
        where = self._at.get(path)
        if where is None:
            return self.files[path]
        self._file.seek(where[0])
        return self._file.read(where[1]).decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        yield from self._at
        yield from (path for path in self.files if path not in self._at)

    def __len__(self) -> int:
        return len(self._at.keys() | self.files.keys())


# --- writing into a folder we own -----------------------------------------------


def sync_folder(
    folder: Path, wanted: Mapping[str, str], base: Path | None = None, cards: Mapping[str, Card] | None = None
) -> Written:
    """Make `folder`, a folder a user gave (`briefing render --out`), hold exactly the files `wanted` and the
    share images `cards`, writing each only when its content changed (each asked for from `wanted` as it is
    written, so that a mapping may make them one at a time; a card, named by what it shows, drawn only when
    the folder does not hold it), and deleting the files written before that are not wanted.

    The folder must not exist, be empty, or hold only files this function wrote there, as written (its
    manifest lists each with its SHA-256): anything else, a symbolic link anywhere included, is a
    GeneratorError and nothing is written or deleted (`cache.Store`, strict).
    """
    try:
        store = Store(folder, strict=True, base=base)
        held = {path for path in cards or {} if store.entries.get(path)}  # the sync checks their bytes first
        with CardFiles({path: card for path, card in (cards or {}).items() if path not in held}, wanted) as drawn:
            written = store.sync(drawn, also_keep=held)
        written.unchanged += len(held)
        return written
    except CacheError as exc:
        raise GeneratorError(str(exc)) from None


def prune(folder: Path, top: Path) -> None:
    """Remove `folder` and its parents up to `top` while they are empty."""
    while folder != top and folder.is_relative_to(top):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write `content` unless the file already holds exactly that. Returns whether it wrote.
    For the site folder MkDocs writes; kept things go through `cache.Store`."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def write_markdown(site: Site, out: Path, base: Path | None = None) -> Written:
    """`briefing render`: the site as Markdown files with front matter, synced into `out` (see `sync_folder`);
    from `base` (the project, for a folder inside it) down to `out`, no link is followed."""
    return sync_folder(out, markdown_files(site), base, site.cards())
