"""`mkdocs serve`: an edit rebuilds only the pages it changed.

MkDocs builds the whole site on every save (its own `--dirty` took 9 to 11 s an edit at 2,000 briefings).
When only files under briefings/ or seeds/ changed, `Live` checks again only the files that changed,
renders only the pages whose inputs changed (`site.build.BuildCache`), has MkDocs build just those pages,
deletes the pages that are gone, and makes the feed, the export and the search index after the browser
has reloaded (0.9 to 1.3 s an edit at 2,000). Any other change (docs/, mkdocs.yml, the theme) is a full
build, as MkDocs does it. briefings/ and seeds/ are watched through the operating system where it can.

This is the one module of the generator that calls MkDocs' private functions (`_populate_page`,
`_build_page`, `_build_theme_template` of `mkdocs.commands.build`, which build one page or one theme
template). `private_functions()` checks them at start-up against the versions tested (MkDocs 1.6.1; the
three have the same parameters in ProperDocs 1.6.7's `properdocs.commands.build`): with any other version,
or other parameters, every edit is a full build, and the log says so once.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from mkdocs.structure.pages import Page

from generator.edge.shared import NAME, NO_DATE, Written, remove, walk
from generator.site.build import Site, site_files, write_if_changed
from generator.site.cards import draw
from generator.site.render import Kept
from generator.site.search import SearchIndexError, index_site

if TYPE_CHECKING:
    from generator.edge.plugin import BriefingsPlugin

log = logging.getLogger("mkdocs.plugins.briefings")

#: The versions of MkDocs whose private functions were tested with the live rebuild.
TESTED = ("1.6.1",)

#: The parameters of each private function, as in the versions tested.
PARAMETERS = {
    "_populate_page": ["page", "config", "files", "dirty"],
    "_build_page": ["page", "config", "doc_files", "nav", "env", "dirty", "excluded"],
    "_build_theme_template": ["template_name", "env", "files", "config", "nav"],
}


@dataclass(frozen=True)
class Private:
    """MkDocs' private functions the live rebuild calls, found and checked (`private_functions`)."""

    populate_page: Callable[..., Any]
    build_page: Callable[..., Any]
    build_theme_template: Callable[..., Any]


def private_functions(version: str | None = None) -> tuple[Private | None, str]:
    """MkDocs' private functions, if this is a version tested and each has the parameters tested; else
    None and why not."""
    try:
        version = version or metadata.version("mkdocs")
    except metadata.PackageNotFoundError:
        return None, "MkDocs is not installed as a package"
    if version not in TESTED:
        return None, f"MkDocs {version} is not a version the live rebuild was tested with ({', '.join(TESTED)})"
    try:
        from mkdocs.commands import build
    except ImportError as exc:
        return None, f"mkdocs.commands.build cannot be imported ({exc})"
    found = {}
    for name, parameters in PARAMETERS.items():
        function = getattr(build, name, None)
        if not callable(function):
            return None, f"mkdocs.commands.build has no {name}"
        try:
            have = list(inspect.signature(function).parameters)
        except (TypeError, ValueError):
            return None, f"the parameters of {name} cannot be read"
        if have != parameters:
            return None, f"{name} takes ({', '.join(have)}), not ({', '.join(parameters)})"
        found[name] = function
    return Private(found["_populate_page"], found["_build_page"], found["_build_theme_template"]), ""


#: The watcher's events that are changes (watchdog's names): not `opened` nor `closed_no_write`.
_CHANGES = frozenset(("created", "deleted", "modified", "moved", "closed"))


class Live:
    """What `mkdocs serve` does besides MkDocs: the rebuild of only what an edit changed, the watch of
    briefings/ and seeds/, and the job that makes the whole collection's files after an edit."""

    def __init__(self, plugin: BriefingsPlugin) -> None:
        self.plugin = plugin
        self.afterwards = Afterwards()
        #: What watches briefings/ and seeds/, where the system can (`_watch_natively`).
        self.observer: Any = None
        #: What the files outside briefings/ and seeds/ were when the last full build started.
        self.others: tuple[tuple[str, tuple[int, ...]], ...] = ()
        self.private, self.why_not = private_functions()

    def before_build(self, config: MkDocsConfig) -> None:
        """At a full build's start: the state of the files whose change makes the next rebuild a full one."""
        self.others = self._others(config)

    def serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., Any]) -> LiveReloadServer:
        if self.plugin.kept is not None:
            if self.private is None:
                log.info("briefings: every edit is a full build: %s", self.why_not)
            else:
                server.builder = partial(self._rebuild, builder)
        self._watch_natively(server, config)
        return server

    def shutdown(self) -> None:
        if self.observer is not None:
            self.observer.stop()
        self.afterwards.wait(timeout=60)

    def _watch_natively(self, server: LiveReloadServer, config: MkDocsConfig) -> None:
        """Have the operating system tell of changes under briefings/ and seeds/ (inotify on Linux), not
        MkDocs' poll, which reads every file's state twice a second (about 2 s a pass, a core kept busy, at
        200,000 files). A change is passed on by touching a file in a small folder of the cache that MkDocs
        polls (`LiveReloadServer.watch`), so MkDocs rebuilds as it always does. Where the system cannot
        watch them (no such service, too many folders for its limit), MkDocs' poll stays."""
        plugin = self.plugin
        folders = [plugin.root / name for name in ("briefings", "seeds") if (plugin.root / name).is_dir()]
        if not folders:
            return
        try:
            from watchdog.events import FileSystemEvent, FileSystemEventHandler
            from watchdog.observers import Observer
            from watchdog.observers.polling import PollingObserver
        except ImportError:
            return
        signal = plugin.cache_root / "watch"
        try:
            signal.mkdir(parents=True, exist_ok=True)
            touch = signal / "changed"
            touch.write_bytes(b"")
        except OSError:
            return

        class Poke(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                # Not a file opened or closed unwritten: the rebuild reads the briefings it checks.
                if not event.is_directory and event.event_type in _CHANGES:
                    with contextlib.suppress(OSError):
                        touch.write_bytes(str(time.monotonic_ns()).encode())

        observer = Observer()
        if isinstance(observer, PollingObserver):  # no watching service here: MkDocs' poll is as good
            return
        try:
            for folder in folders:
                observer.schedule(Poke(), str(folder), recursive=True)
            observer.start()
        except OSError as exc:  # inotify's limit of watches, for one
            log.info("briefings: briefings/ and seeds/ are polled by MkDocs: the system cannot watch them (%s)", exc)
            return
        self.observer = observer
        server.watch(str(signal))
        # MkDocs watches the paths of `watch` (which on_config added them to) after on_serve: not these.
        mine = {os.path.abspath(folder) for folder in folders}
        config.watch[:] = [path for path in config.watch if os.path.abspath(path) not in mine]
        log.info("briefings: briefings/ and seeds/ are watched through %s", type(observer).__name__)

    def _others(self, config: MkDocsConfig) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """What the files that are not briefings or sources are: docs/, mkdocs.yml, the theme, watched paths."""
        plugin = self.plugin
        mine = {str(plugin.root / "briefings"), str(plugin.root / "seeds")}
        # The theme's own folders are installed packages (Material's holds 14,000 icons): only its custom_dir.
        paths = [config.docs_dir, config.config_file_path or "", *config.watch, config.theme.custom_dir or ""]
        return tuple(
            (path, _identity(entry))
            for path in sorted(set(p for p in paths if p and os.path.abspath(p) not in mine))
            for entry in walk(Path(path))
        )

    def _rebuild(self, full: Callable[[], None]) -> None:
        """A rebuild of `mkdocs serve`: only the pages an edit changed, when only briefings or sources changed."""
        plugin = self.plugin
        config = plugin.mkdocs_config
        ready = plugin.site is not None and None not in (config, plugin.files, plugin.nav, plugin.env)
        if not ready or config is None or self._others(config) != self.others:
            self.afterwards.wait()  # a full build empties the site folder
            full()
            return
        try:
            self._rebuild_pages(config)
        except Exception as exc:  # never a stuck server: anything unexpected is a full build
            log.warning(
                "briefings: rebuilding only the changed pages failed (%s: %s); building everything",
                type(exc).__name__,
                exc,
            )
            self.afterwards.wait()
            plugin.site = None
            full()

    def _rebuild_pages(self, config: MkDocsConfig) -> None:
        plugin = self.plugin
        private = self.private
        assert private is not None and plugin.site is not None and plugin.files is not None
        assert plugin.nav is not None and plugin.env is not None
        start = time.perf_counter()
        before = plugin.site
        # Each page rendered again is named by its inputs, as a full build names it, for the builds after.
        site = plugin._build_site(problems=True, files=False, kept=Kept(_never))
        for finding in site.findings:
            (log.warning if finding.severity == "error" else log.info)(finding.format())
        changed = sorted(path for path, page in site.pages.items() if before.pages.get(path) != page)
        gone = sorted(set(before.pages) - set(site.pages))
        self._store(site, changed, gone, Path(config.site_dir))
        files = self._files(config, changed, gone)
        plugin.site = site
        dates = [page.date for page in site.pages.values() if page.date is not None]
        plugin.newest = max(dates).isoformat() if dates else NO_DATE
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for path in changed:
            page = files.get_file_from_path(path).page  # type: ignore[union-attr]
            assert page is not None
            private.populate_page(page, config, files)
            private.build_page(page, config, doc_files, plugin.nav, plugin.env)
        same = not changed and not gone and site.published == before.published
        if not same:
            self._whole_site_pages(config, files, doc_files)
        log.info(
            "briefings: %d page(s) rebuilt, %d removed, %d unchanged, in %.2f s; %d file(s) checked again%s",
            len(changed),
            len(gone),
            len(site.pages) - len(changed),
            time.perf_counter() - start,
            plugin.kept.check.checked if plugin.kept else 0,
            "; nothing else to make" if same else "",
        )
        if not same:
            job = partial(self._whole_collection, config, list(site.published), Path(config.site_dir))
            self.afterwards.submit(job)

    def _store(self, site: Site, changed: list[str], gone: list[str], site_dir: Path) -> None:
        """The pages store first, as MkDocs reads each page's body from it: the changed pages written, the
        pages gone deleted. The share images are not MkDocs' pages: a new one is drawn into the store and
        the site, one no page names any more deleted from both."""
        plugin = self.plugin
        cards = site.cards()
        with plugin.writing:
            for path in changed:
                plugin.pages.write(path, site.pages[path].body)
                plugin.written[path] = Written.of(site.pages[path].body)
            for path in gone:
                plugin.pages.delete(path)
                plugin.written.pop(path, None)
            for path in sorted(cards.keys() - plugin.cards.keys()):
                image = draw(cards[path])
                plugin.pages.write(path, image)
                write_if_changed(site_dir / path, image)
            for path in sorted(plugin.cards.keys() - cards.keys()):
                plugin.pages.delete(path)
                remove(site_dir / path, site_dir)
            plugin.cards = cards
            plugin.pages.save()

    def _files(self, config: MkDocsConfig, changed: list[str], gone: list[str]) -> Files:
        """MkDocs' files after the edit: the pages gone removed from them and from the site, a page new
        since (or copied whole by the first build) made an MkDocs page."""
        plugin = self.plugin
        assert plugin.files is not None
        files = plugin.files
        site_dir = Path(config.site_dir)
        ours = {file.src_uri: file for file in files if file.generated_by == NAME}
        for path in gone:
            if path in plugin.copied:  # copied whole by the first build: no file of MkDocs'
                remove(site_dir / plugin.copied.pop(path), site_dir)
                continue
            file = ours.pop(path)
            remove(Path(file.abs_dest_path), site_dir)
        added = [path for path in changed if path not in ours]
        for path in added:
            copied = plugin.copied.pop(path, None)
            if copied is not None:  # now an MkDocs page, which MkDocs writes in place: not into the kept file
                Path(config.site_dir, copied).unlink(missing_ok=True)
        if not (gone or added):
            return files
        taken = {file.dest_uri for file in files if file.generated_by != NAME}
        for path in added:
            file = File.generated(config, path, abs_src_path=str(plugin.pages.path(path)))
            file.generated_by = NAME
            if file.dest_uri in taken:
                raise PluginError(f"briefings: docs/ holds a page at {file.dest_uri}, where {path} goes")
            set_exclusions([file], config)
            Page(None, file, config)
            ours[path] = file
        # In the order a full build has them (people's files, then ours by path): the sitemap's order.
        files = Files([*(f for f in files if f.generated_by != NAME), *(ours[p] for p in sorted(ours))])
        plugin.files = files
        return files

    def _whole_site_pages(self, config: MkDocsConfig, files: Files, doc_files: Any) -> None:
        """After an edit that changed what the site publishes: the dates of the pages that show no
        briefing, the theme's pages of the whole site (the sitemap; the 404 page, which shows the newest
        headlines), and the sitemap's copied pages."""
        plugin = self.plugin
        private = self.private
        assert private is not None
        for file in doc_files:  # a page that shows no briefing is dated by the newest one
            mine = plugin._ours(file.page) if file.page is not None else None
            if file.page is not None and (mine is None or mine.date is None):
                file.page.update_date = plugin.newest
        for template in config.theme.static_templates:
            private.build_theme_template(template, plugin.env, files, config, plugin.nav)
        plugin._sitemap(config)

    def _whole_collection(self, config: MkDocsConfig, published: list[Any], site_dir: Path) -> None:
        """After an edit has been served: the feeds, the export, the calendar and the search index, made again.
        A story's feed that no story has any more is deleted, from the cache and from the site."""
        plugin = self.plugin
        start = time.perf_counter()
        made = site_files(published, plugin.settings)
        with plugin.writing:
            for path, content in made.items():
                plugin.pages.write(path, content)
                write_if_changed(site_dir / path, content)
            for path in sorted(set(plugin.extra) - set(made)):
                plugin.pages.delete(path)
                remove(site_dir / path, site_dir)
            plugin.extra = made
            plugin.pages.save()
        try:
            index_site(site_dir)
        except SearchIndexError as exc:
            log.warning("briefings: search: %s", exc)
        log.info("briefings: feed, export and search index made again in %.1f s", time.perf_counter() - start)


def _identity(path: Path) -> tuple[int, ...]:
    try:
        info = os.lstat(path)
    except OSError:
        return ()
    return (info.st_mode, info.st_ino, info.st_size, info.st_mtime_ns)


def _never(address: str, key: str, date: Any, shown: list[Any]) -> bool:
    """`render.Kept`'s question answered no: every page is rendered, and named by its inputs."""
    return False


class Afterwards:
    """One job at a time in a thread of its own; a job submitted while one runs replaces any waiting one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: Callable[[], None] | None = None
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()

    def submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            self._waiting = job
            self._idle.clear()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="briefings-afterwards", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                job, self._waiting = self._waiting, None
                if job is None:
                    self._thread = None
                    self._idle.set()
                    return
            try:
                job()
            except Exception as exc:  # the next edit makes them again
                log.warning("briefings: the feed, export or search index could not be made: %s", exc)

    def wait(self, timeout: float | None = None) -> bool:
        return self._idle.wait(timeout)
