"""Briefings to pages, through Jinja templates in `generator/templates/`.

A page is its metadata for the head (title, description, search boost, share card,
JSON-LD) and one block of HTML, its body. The MkDocs plugin hands the metadata
to the templates directly and gives MkDocs the body alone, so no text in the
metadata can ever fall into the body; `briefing render` writes both as a
Markdown file with front matter, for other tools. Every value a template prints
passes through `escape.html` on its way out (the environment's `finalize`)
unless `escape` made it, so no template can forget to escape, and no text from
a briefing can become HTML, Markdown, an attribute, an include or template code.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import hashlib
import posixpath
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from itertools import groupby, pairwise
from pathlib import PurePosixPath
from typing import Any, TypeVar
from urllib.parse import quote as percent_encode
from urllib.parse import urlsplit

from icalendar import Calendar, Event
from jinja2 import Environment, PackageLoader, StrictUndefined

from generator.format.findings import Finding
from generator.format.model import Actor, Briefing, Figure, NextStep, Quote, Source, newest_first, yaml_scalar
from generator.format.wording import figure_text, figure_value
from generator.rules.addresses import MAX_BYTES, MAX_CHARS
from generator.rules.addresses import address as name_address
from generator.rules.verify import PARAGRAPH_BREAK, SourceText, sentence_span
from generator.site.escape import Safe, href, html, html_piece, json_script, slug, web_url
from generator.site.inputs import Deferred, Digests, Unkeyed
from generator.site.joins import ActorRecord, Group, Joins

__all__ = ["newest_first"]  # re-exported: the order every list of briefings uses

#: How many briefings the home page lists.
HOME_COUNT = 20
#: Longer lists are cut into pages of this many entries.
PER_PAGE = 50


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    return html(value)  # a Safe as it is; anything else, Markup included, as text


#: Jinja's filters that return Markup from text (`|e`, `|safe`, `|tojson`, ...). The finalizer
#: would escape their output as text anyway; removed, a template using one fails at once.
_MARKUP_FILTERS = ("e", "escape", "forceescape", "safe", "tojson", "urlize", "xmlattr", "indent", "wordwrap")


_ENV = Environment(
    loader=PackageLoader("generator.site", "templates"),
    autoescape=True,
    finalize=_finalize,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
for _name in _MARKUP_FILTERS:
    _ENV.filters.pop(_name, None)
_ENV.filters["slug"] = slug
_ENV.filters["piece"] = html_piece


def long_date(day: dt.date) -> str:
    """`25 August 2024`."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def short_date(day: dt.date) -> str:
    """`25 Aug`."""
    return f"{day.day} {calendar.month_abbr[day.month]}"


def weekday_date(day: dt.date) -> str:
    """`Sunday 25 August 2024`: a briefing's dateline."""
    return f"{calendar.day_name[day.weekday()]} {long_date(day)}"


#: Reading speed for a page's reading time, in words a minute.
WORDS_PER_MINUTE = 200


def reading_minutes(briefing: Briefing) -> int:
    """Minutes to read what a briefing's page shows, at WORDS_PER_MINUTE, rounded up: at least 1."""
    texts = [briefing.title, briefing.summary, *briefing.what, *briefing.authors]
    texts += [f"{actor.name} {actor.role or ''}" for actor in briefing.who]
    texts += [f"{f.value} {f.unit or ''} {f.label} {f.evidence or ''}" for f in briefing.numbers]
    texts += [f"{quote.text} {quote.speaker} {quote.context or ''}" for quote in briefing.quotes]
    texts += [f"{s.text} {s.when if isinstance(s.when, str) else ''} {s.who or ''}" for s in briefing.next]
    texts += [f"{source.title} {source.publisher or ''}" for source in briefing.sources]
    words = sum(len(text.split()) for text in texts)
    return max(1, -(-words // WORDS_PER_MINUTE))


# --- quotes ----------------------------------------------------------------------------

#: A quote of at most this many words is a fragment: listed among "Words quoted", not a pull quote.
FRAGMENT_WORDS = 3


@dataclass(frozen=True)
class QuoteLine:
    """A quote as its page shows it: who said it (their actor, if the speaker names one), and
    whether the speaker's role is printed with it."""

    quote: Quote
    actor: Actor | None
    role: bool


def quote_lines(briefing: Briefing) -> tuple[list[QuoteLine], list[QuoteLine]]:
    """A briefing's pull quotes, then its fragments (one to FRAGMENT_WORDS words), each in the
    briefing's order. Of consecutive quotes by the same speaker, only the first shown prints the role."""
    runs: list[int] = []
    previous: str | None = None
    for quote in briefing.quotes:
        actor = briefing.actor(quote.speaker)
        speaker = actor.id if actor else quote.speaker
        runs.append(len(runs) if speaker != previous or not runs else runs[-1])
        previous = speaker
    pulls = [i for i, q in enumerate(briefing.quotes) if len(q.text.split()) > FRAGMENT_WORDS]
    fragments = [i for i, q in enumerate(briefing.quotes) if len(q.text.split()) <= FRAGMENT_WORDS]
    seen: set[int] = set()
    lines: list[QuoteLine] = []
    for i in pulls + fragments:
        quote = briefing.quotes[i]
        actor = briefing.actor(quote.speaker)
        lines.append(QuoteLine(quote, actor, bool(actor and actor.role) and runs[i] not in seen))
        seen.add(runs[i])
    return lines[: len(pulls)], lines[len(pulls) :]


# --- receipts: a quote or a figure's evidence where its source text has it ---------------


@dataclass(frozen=True)
class Receipt:
    """The sentence or two of a source text around a quote or a figure's evidence, as data for the template:
    `before`, then each piece of the match (`marked`, one per paragraph) with the text after it up to the
    next (`plain`: the paragraph break as the source has it, each line break shown as one), then `after`;
    and where it stands. Every part is text, escaped as any other when the template prints it."""

    before: str
    pieces: tuple[tuple[str, str], ...]
    after: str
    title: str
    publisher: str | None
    #: The paragraph of the source text the match starts in, counted from 1.
    paragraph: int
    #: The source's file (as the briefing names it), and where the match is in its text (`SourceText.original`).
    file: str = ""
    start: int = 0
    end: int = 0

    @property
    def anchor(self) -> str:
        """The match's id on its source's page (`publish_sources`): `at-<start>-<end>`."""
        return f"at-{self.start}-{self.end}"


#: A function giving the source text of a file under seeds/, or None when it cannot be read.
SourceTexts = Callable[[str], SourceText | None]
#: At most this many characters of a receipt's sentence before the match, and as many after it: past them
#: (a sentence that never ends), it is cut at a space and the cut shown as `…`.
RECEIPT_CONTEXT = 400


def _cut(before: str, after: str) -> tuple[str, str]:
    if len(before) > RECEIPT_CONTEXT:
        kept = before[-RECEIPT_CONTEXT:]
        before = "… " + kept[kept.find(" ") + 1 :] if " " in kept else "…" + kept
    if len(after) > RECEIPT_CONTEXT:
        kept = after[:RECEIPT_CONTEXT]
        after = kept[: kept.rfind(" ")] + " …" if " " in kept else kept + "…"
    return before, after


def receipt(needle: str, source_id: str | None, sources: tuple[Source, ...], texts: SourceTexts) -> Receipt | None:
    """Where `needle` stands in its source's text (without a source named, in the first source text holding
    it), found as the checks find it; None when there is no source text to show it in."""
    candidates = [s for s in sources if s.id == source_id] if source_id is not None else list(sources)
    for source in candidates:
        text = texts(source.file) if source.file else None
        span = text.find(needle) if text is not None else None
        if text is None or span is None:
            continue
        original = text.original
        start, end = span
        low, high = sentence_span(original, start, end)
        pieces: list[tuple[str, str]] = []
        at = start
        for gap in PARAGRAPH_BREAK.finditer(original, start, end):
            pieces.append((original[at : gap.start()], gap.group()))
            at = gap.end()
        pieces.append((original[at:end], ""))
        before, after = _cut(original[low:start], original[end:high])
        paragraph = text.paragraph_of(start)
        return Receipt(
            before, tuple(pieces), after, source.title, source.publisher, paragraph, source.file or "", start, end
        )
    return None


def receipts(briefing: Briefing, texts: SourceTexts | None) -> dict[Quote | Figure, Receipt | None]:
    """The receipt of each quote and of each figure with evidence (None: not checked against a source text)."""
    found: dict[Quote | Figure, Receipt | None] = {}
    for quote in briefing.quotes:
        found[quote] = receipt(quote.text, quote.source, briefing.sources, texts) if texts else None
    for figure in briefing.numbers:
        if figure.evidence is not None:
            found[figure] = receipt(figure.evidence, figure.source, briefing.sources, texts) if texts else None
    return found


def when(value: dt.date | str) -> str:
    return long_date(value) if isinstance(value, dt.date) else value


def front_matter(meta: dict[str, Any]) -> str:
    """YAML front matter; every value written as JSON, which YAML reads as it is (`yaml_scalar`)."""
    lines = ["---", *(f"{key}: {yaml_scalar(value)}" for key, value in meta.items()), "---"]
    return "\n".join(lines) + "\n\n"


@dataclass(frozen=True)
class Page:
    """One page of the site: what goes in its head, and its body (HTML)."""

    #: The page's address in the site: a folder such as `who/hamas/`; "" is the home page.
    address: str
    #: The page's metadata for the templates (title, description, share card, JSON-LD, search).
    meta: dict[str, Any]
    body: str
    #: The newest date among what the page shows (for the sitemap); None when it shows no briefing.
    date: dt.date | None = None
    #: The digest of everything the page was rendered from (`Kept`); None when it has none.
    key: str | None = None
    #: Not rendered: its finished HTML is kept from an earlier build under `key` (`Kept`); no meta, no body.
    kept: bool = False

    @property
    def path(self) -> str:
        """The Markdown file MkDocs turns into this page."""
        return source_path(self.address)

    def markdown(self) -> str:
        """The page as one Markdown file with front matter, as `briefing render` writes it."""
        return front_matter(self.meta) + self.body


# --- addresses ----------------------------------------------------------------
# A page is named by its address in the site, a folder such as `who/hamas/` ("" is the
# home page); `source_path` gives the Markdown file MkDocs turns into that address.


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


def briefing_address(briefing: Briefing) -> str:
    return f"briefings/{briefing.slug}/"


def actor_address(actor_id: str) -> str:
    return f"who/{actor_id}/"


def story_address(story: str) -> str:
    return f"stories/{name_address(story)}/"


def topic_address(topic: str) -> str:
    return f"topics/{name_address(topic)}/"


@dataclass(frozen=True)
class Pager:
    """Where a page of a long list stands, and its neighbours in reading order.

    Long lists are numbered from the oldest entry, so that a new briefing changes
    the last numbered page and the list's first address, never the pages before:
    `who/hamas/page/1/` shows the same 50 briefings for ever. A newest-first list
    shows its newest 50 at its first address (`number` 0), then numbered pages.
    """

    #: 1, 2, ... counted from the oldest entries; 0 for the first address of a newest-first list.
    number: int
    previous: str | None
    next: str | None
    #: The words of the links: newer/older for a newest-first list, else previous/next.
    newest_first: bool = True
    #: Whether this is the list's first address (`who/hamas/`), which has no number in its title.
    at_first: bool = False

    @property
    def shown(self) -> bool:
        return self.previous is not None or self.next is not None

    @property
    def suffix(self) -> str:
        """What the page's title adds: nothing on a list's first address, else ` (page N)`."""
        return "" if self.at_first else f" (page {self.number})"


T = TypeVar("T")

Window = tuple[str, list[slice], Pager]


def numbered(first: str, number: int) -> str:
    return f"{first}page/{number}/"


def newest_windows(first: str, lengths: list[int], size: int = PER_PAGE) -> list[Window]:
    """The pages of newest-first lists shown side by side (an actor's briefings and quotes).

    Up to `size` entries of each fit on `first`. Longer, `first` shows the newest `size`
    of each, and `first` + `page/N/` shows the N-th `size` of each counted from the
    oldest, so that no numbered page changes when newer entries come.
    """
    longest = max(lengths, default=0)
    if longest <= size:
        return [(first, [slice(0, length) for length in lengths], Pager(0, None, None, at_first=True))]
    count = -(-longest // size)
    # The first numbered page that holds an entry the first address does not show.
    after_first = (longest - size - 1) // size + 1
    windows: list[Window] = [
        (first, [slice(0, size) for _ in lengths], Pager(0, None, numbered(first, after_first), at_first=True))
    ]
    for number in range(1, count + 1):
        slices = [slice(max(0, n - number * size), max(0, n - (number - 1) * size)) for n in lengths]
        newer = numbered(first, number + 1) if number < count else first
        older = numbered(first, number - 1) if number > 1 else None
        windows.append((numbered(first, number), slices, Pager(number, newer, older)))
    return windows


def oldest_windows(first: str, length: int, size: int = PER_PAGE, *, head: bool = True) -> list[Window]:
    """The pages of an oldest-first list: `first` holds the first `size`, `first` + `page/2/` the next...

    With `head` False, `first` is a page of its own (a ranking, say) and the list
    starts at `first` + `page/1/`.
    """
    count = max(1, -(-length // size))
    addresses = [first if head and number == 1 else numbered(first, number) for number in range(1, count + 1)]
    windows: list[Window] = []
    for number, address in enumerate(addresses, start=1):
        previous = addresses[number - 2] if number > 1 else (None if head else first)
        following = addresses[number] if number < count else None
        window = slice((number - 1) * size, number * size)
        pager = Pager(number, previous, following, newest_first=False, at_first=address == first)
        windows.append((address, [window], pager))
    return windows


# --- reusing what an earlier build rendered -------------------------------------


class Memo:
    """The pages of the last build of this process, each with what it was rendered from.

    `mkdocs serve` keeps one across rebuilds: a page whose template, metadata, date
    and context compare equal to last time's is not rendered again. Briefings are
    immutable and an unchanged file keeps its Briefing object, so comparing is
    mostly comparing pointers. Everything a template reads must be in its context;
    no context holds a dict whose order matters (dicts compare without order).
    """

    def __init__(self) -> None:
        self.previous: dict[str, tuple[object, Page]] = {}
        self.current: dict[str, tuple[object, Page]] = {}
        #: Each briefing's receipts with the briefing and the source texts they were found for (by identity:
        #: finding them is most of rendering a briefing page, and an unchanged file keeps its Briefing).
        self.receipts: dict[str, tuple[Briefing, object, dict[Any, Any]]] = {}
        self.rendered = 0
        self.reused = 0

    def begin(self) -> None:
        self.current = {}
        self.rendered = self.reused = 0

    def commit(self) -> None:
        """What was rendered since `begin` is what the next build compares with."""
        self.previous, self.current = self.current, {}


_MEMO: ContextVar[Memo | None] = ContextVar("memo", default=None)


class Kept:
    """Pages an earlier build finished, named by the digest of everything they are rendered from.

    `mkdocs build` renders through one: each page's inputs (its template, metadata, date and
    every value of its context, `inputs.Digests`) are digested first, and a page for which
    `has(address, key, date, shown)` answers yes is not rendered at all: it comes back `kept`,
    with its key and date but no metadata and no body, and the plugin copies its finished HTML
    (or, for a pull request's preview, leaves it out). `shown` lists the briefings among its inputs.
    A value of the context may be `inputs.Deferred`, made only if the page is rendered.
    """

    def __init__(self, has: Callable[[str, str, dt.date | None, list[Briefing]], bool]) -> None:
        self.has = has
        self.digests = Digests(remembered=(Briefing,))
        #: Pages not rendered, pages rendered, and pages rendered because a value could not be digested.
        self.skipped = 0
        self.rendered = 0
        self.unkeyed = 0

    def shown(self) -> list[Briefing]:
        """The briefings among the inputs of the page last digested."""
        return [value for value in self.digests.seen if isinstance(value, Briefing)]

    def key(self, address: str, inputs: tuple[object, ...]) -> str | None:
        try:
            return self.digests.of(address, *inputs)
        except Unkeyed:
            self.unkeyed += 1
            return None


_KEPT: ContextVar[Kept | None] = ContextVar("kept", default=None)


@contextmanager
def kept_in_use(kept: Kept | None) -> Iterator[None]:
    """Render through `kept` (None: render every page) within the block."""
    token = _KEPT.set(kept)
    try:
        yield
    finally:
        _KEPT.reset(token)


def deferring() -> bool:
    """Whether pages are rendered through a `Kept`, which takes `inputs.Deferred` values."""
    return _KEPT.get() is not None


@contextmanager
def memo_in_use(memo: Memo | None) -> Iterator[None]:
    """Render through `memo` (None: render every page) within the block."""
    token = _MEMO.set(memo)
    try:
        yield
    finally:
        _MEMO.reset(token)


def _page(
    address: str,
    meta: dict[str, Any] | Callable[[], dict[str, Any]],
    template: str,
    date: dt.date | None = None,
    **context: Any,
) -> Page:
    """One page, rendered; its templates link with `link(target address)`.

    `meta` may be a function, called only when the page is rendered: then it must
    derive from the context alone. `date` is the newest date among what the page shows.
    """
    memo = _MEMO.get()
    inputs = (template, meta if isinstance(meta, dict) else None, date, context)
    if memo is not None:
        before = memo.previous.get(address)
        if before is not None and before[0] == inputs:
            memo.current[address] = before
            memo.reused += 1
            return before[1]
    kept = _KEPT.get()
    key = kept.key(address, inputs) if kept is not None else None
    if kept is not None and key is not None and kept.has(address, key, date, kept.shown()):
        kept.skipped += 1
        page = Page(address, {}, "", date, key=key, kept=True)
    else:
        made = {name: value.make() if isinstance(value, Deferred) else value for name, value in context.items()}
        body = _ENV.get_template(template).render(link=partial(relative, address), address=address, **made)
        if not body.startswith("<"):
            raise ValueError(f"{template}: a page's body must start with an HTML element")
        page = Page(address, meta if isinstance(meta, dict) else meta(), body, date, key=key)
        if kept is not None:
            kept.rendered += 1
    if memo is not None:  # a page taken whole too: the next build compares with its inputs
        memo.current[address] = (inputs, page)
        memo.rendered += 1
    return page


def newest(briefings: Iterable[Briefing]) -> dt.date | None:
    """The newest date (its `updated`, else its `date`) of `briefings`."""
    return max((b.updated or b.date for b in briefings), default=None)


def _latest(briefing: Briefing) -> dt.date:
    return briefing.updated or briefing.date


def _title(text: str, pager: Pager | None = None) -> str:
    return str(html(text + (pager.suffix if pager else "")))


# --- share cards and search engines ---------------------------------------------------
# Each page the generator makes carries its Open Graph card (`og`, every value made by
# `escape.html`) and schema.org JSON-LD (`briefing_jsonld` on a briefing's page, `page_jsonld`
# on the others, made by `escape.json_script`); overrides/main.html prints them in the head.


def absolute_url(site_url: str, address: str) -> str:
    """The page at `address` as an absolute URL: the site's address, then the page's percent-encoded
    as MkDocs writes it (`page.canonical_url`)."""
    root = site_url if site_url.endswith("/") else site_url + "/"
    return root + percent_encode(address)


def article_section(briefing: Briefing) -> str | None:
    """A briefing's section: its story, else its first topic."""
    return briefing.story or (briefing.topics[0] if briefing.topics else None)


def _briefing_card(briefing: Briefing) -> dict[str, Any]:
    """The Open Graph card of a briefing's page, every value escaped."""
    section = article_section(briefing)
    card: dict[str, Any] = {
        "type": "article",
        "title": _title(briefing.title),
        "description": str(html(briefing.summary)),
        "published_time": str(html(briefing.date.isoformat())),
        "modified_time": str(html(_latest(briefing).isoformat())),
        "tags": [str(html(topic)) for topic in briefing.topics],
    }
    if section:
        card["section"] = str(html(section))
    return card


def _listing(address: str, site_url: str, title: str, pager: Pager | None = None, **meta: Any) -> dict[str, Any]:
    """The metadata of a page that lists briefings: its title, its card and CollectionPage JSON-LD."""
    data = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": title + (pager.suffix if pager else ""),
        "url": absolute_url(site_url, address),
    }
    return _carded(title, pager, meta, data)


def _profile(address: str, site_url: str, actor: ActorRecord, pager: Pager) -> dict[str, Any]:
    """The metadata of an actor's page: its title, its card and ProfilePage JSON-LD about the actor."""
    data = {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "name": actor.name + pager.suffix,
        "url": absolute_url(site_url, address),
        "mainEntity": {"@type": "Person" if actor.kind == "person" else "Organization", "name": actor.name},
    }
    return _carded(actor.name, pager, _JOINED, data)


def _carded(title: str, pager: Pager | None, meta: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """`meta` after the page's title, then its card and its JSON-LD (`data`)."""
    return {
        "title": _title(title, pager),
        **meta,
        "og": {"type": "website", "title": _title(title, pager)},
        "page_jsonld": str(json_script(data)),
    }


def briefing_page(
    briefing: Briefing,
    joins: Joins,
    site_name: str,
    site_url: str,
    texts: SourceTexts | None = None,
    *,
    found: dict[Quote | Figure, Receipt | None] | Deferred | None = None,
    sources_at: dict[str, str] | None = None,
) -> Page:
    """The page of one briefing, `briefings/<slug>/`; `site_url` makes its JSON-LD's addresses absolute.

    Its quotes and figures show their receipts (`found`, else made from `texts`); `sources_at` gives the
    address of the page of each of its source files that has one (`publish_sources`), by `file` as written."""
    before, after = joins.neighbours(briefing)
    story = joins.story_of(briefing)

    def meta() -> dict[str, Any]:
        return {
            "title": _title(briefing.title),
            "description": str(html(briefing.summary)),
            "hide": ["navigation", "toc"],
            "search": {"boost": 2},
            "og": _briefing_card(briefing),
            "briefing_jsonld": str(json_script(jsonld(briefing, site_url, site_name))),
        }

    return _page(
        briefing_address(briefing),
        meta,
        "briefing.html.j2",
        newest([briefing]),
        briefing=briefing,
        story_name=story.name if story else None,
        before=before,
        after=after,
        related=joins.related.get(briefing.slug, []),
        follow_ups=joins.follow_ups.get(briefing.slug, {}),
        site_name=site_name,
        site_url=site_url,
        receipts=found if found is not None else receipts_of(briefing, texts),
        sources_at=sources_at or {},
    )


def receipts_key(
    briefing: Briefing, texts: SourceTexts | None, digest: Callable[[str], str | None] | None = None
) -> tuple[tuple[str, str | None], ...]:
    """What a briefing's receipts are found from besides the briefing: each source file it cites, with the
    SHA-256 of its bytes as `digest` gives it (else of its text), None when there is no text to find them in."""
    cited = []
    for source in briefing.sources:
        if source.file:
            if texts is None:
                found = None
            elif digest is not None:
                known = digest(source.file)  # None for a file `texts` gives no text of
                found = None if known is None else "bytes " + known
            else:
                text = texts(source.file)
                found = hashlib.sha256(text.original.encode("utf-8", "surrogatepass")).hexdigest() if text else None
            cited.append((source.file, found))
    return tuple(cited)


def receipts_of(briefing: Briefing, texts: SourceTexts | None) -> dict[Quote | Figure, Receipt | None]:
    """`receipts`, taken from the memo when the same briefing was rendered with the same source texts."""
    memo = _MEMO.get()
    if memo is None:
        return receipts(briefing, texts)
    known = memo.receipts.get(briefing.slug)
    if known is not None and known[0] is briefing and known[1] is texts:
        return known[2]
    found = receipts(briefing, texts)
    memo.receipts[briefing.slug] = (briefing, texts, found)
    return found


def problems_page(slug: str, path: str, findings: list[Finding]) -> Page:
    """In `mkdocs serve`, the page of a briefing with errors: what is wrong with it."""
    meta = {"title": _title(f"Errors in {path}"), "hide": ["navigation", "toc"], "search": {"exclude": True}}
    return _page(f"briefings/{slug}/", meta, "problems.html.j2", path=path, findings=findings)


#: How many of the newest headlines the 404 page lists. It reads them from the home page's metadata
#: (`newest_briefings`): MkDocs renders overrides/404.html after reading every page.
NEWEST_HEADLINES = 5


def home_page(joins: Joins, site_name: str, site_url: str) -> Page:
    """The home page: the newest briefing first, larger, with its first figure as the key figure; then the
    next newest as a list, each under its story's name. Its metadata holds the newest headlines for the
    404 page: title (escaped, as every title in a page's metadata), address and date."""
    meta = _listing("", site_url, site_name, hide=["navigation", "toc"])
    shown = joins.briefings[:HOME_COUNT]
    meta["newest_briefings"] = [
        {"title": _title(b.title), "address": briefing_address(b), "date": b.date.isoformat(), "day": long_date(b.date)}
        for b in shown[:NEWEST_HEADLINES]
    ]
    lead = shown[0] if shown else None
    stories = [joins.story_of(b) for b in shown]
    return _page(
        "",
        meta,
        "home.html.j2",
        newest(shown),
        lead=lead,
        lead_story=stories[0].name if stories and stories[0] else None,
        key_figure=lead.numbers[0] if lead and lead.numbers else None,
        rest=[(b, story.name if story else None) for b, story in zip(shown[1:], stories[1:], strict=True)],
        site_name=site_name,
    )


def month_address(year: int, month: int) -> str:
    return f"briefings/{year:04d}/{month:02d}/"


def archive_pages(briefings: list[Briefing], site_url: str) -> list[Page]:
    """`briefings/`: every month with its count, and the newest 50; `briefings/<yyyy>/<mm>/` each month's briefings.

    A month's page is numbered from the oldest past 50 (`briefings/2024/08/page/2/`), so
    a new briefing changes `briefings/`, its month's page and at most two numbered pages.
    """
    months: dict[tuple[int, int], list[Briefing]] = {}
    for briefing in briefings:
        months.setdefault((briefing.date.year, briefing.date.month), []).append(briefing)
    calendar_index = [
        (year, [(month, month_address(year, month), len(items)) for (_, month), items in group])
        for year, group in groupby(months.items(), key=lambda item: item[0][0])
    ]
    newest_ones = briefings[:PER_PAGE]
    pages = [
        _page(
            "briefings/",
            _listing("briefings/", site_url, "All briefings", hide=["toc"]),
            "archive.html.j2",
            newest(newest_ones),
            heading="All briefings",
            years=_by_month(newest_ones),
            count=len(briefings),
            calendar=calendar_index,
            pager=Pager(0, None, None, at_first=True),
        )
    ]
    for (year, month), items in months.items():
        name = f"{calendar.month_name[month]} {year}"
        for address, (window,), pager in newest_windows(month_address(year, month), [len(items)]):
            chunk = items[window]
            pages.append(
                _page(
                    address,
                    _listing(address, site_url, name, pager, **_JOINED),
                    "archive.html.j2",
                    newest(chunk),
                    heading=name,
                    years=_by_month(chunk),
                    count=len(items) if pager.number == 0 else None,
                    calendar=[],
                    pager=pager,
                )
            )
    return pages


def _by_month(briefings: list[Briefing]) -> list[tuple[int, list[tuple[int, list[Briefing]]]]]:
    return [
        (year, [(month, list(items)) for month, items in groupby(group, key=lambda b: b.date.month)])
        for year, group in groupby(briefings, key=lambda b: b.date.year)
    ]


#: Front matter of the pages that join briefings. They are left out of search: they
#: repeat the briefings' summaries, which would crowd the briefings out of the results
#: and grow the index with every page of every list.
_JOINED: dict[str, Any] = {"hide": ["navigation", "toc"], "search": {"exclude": True}}


def actor_pages(actor: ActorRecord, site_url: str) -> list[Page]:
    """`who/<id>/`: name, kind and roles, then the newest 50 briefings and quotes; older ones on numbered pages."""
    roles = list(actor.roles.items())
    pages = []
    for address, (in_briefings, in_quotes), pager in newest_windows(
        actor_address(actor.id), [len(actor.briefings), len(actor.quotes)]
    ):
        briefings, quotes = actor.briefings[in_briefings], actor.quotes[in_quotes]
        first = pager.number == 0
        pages.append(
            _page(
                address,
                _profile(address, site_url, actor, pager),
                "actor.html.j2",
                newest([*briefings, *(b for _, b in quotes)]),
                name=actor.name,
                kind=actor.kind,
                counts=(len(actor.briefings), len(actor.quotes)) if first else None,
                roles=roles[:PER_PAGE] if first else [],
                more_roles=max(0, len(roles) - PER_PAGE) if first else 0,
                briefings=briefings,
                quotes=quotes,
                pager=pager,
            )
        )
    return pages


_KINDS = {"person": "People", "organization": "Organizations", "country": "Countries", "group": "Groups"}


def story_feed_path(story: Group) -> str:
    """The Atom feed of one story: `stories/<address>/feed.xml`."""
    return f"stories/{story.key}/feed.xml"


def story_pages(story: Group, site_url: str, follow_ups: dict[str, dict[int, Briefing]] | None = None) -> list[Page]:
    """`stories/<address>/`: the story's briefings, oldest first, with their next steps, 50 a page.

    Each next step links to what came next in the story (`joins.follow_ups`)."""
    members = story.briefings
    follow = follow_ups or {}
    feed = story_feed_path(story)
    pages = []
    for address, (window,), pager in oldest_windows(f"stories/{story.key}/", len(members)):
        chunk = members[window]
        first = pager.number == 1
        meta = _listing(address, site_url, story.name, pager, **_JOINED)
        meta["feed"] = {"title": str(html(f"{story.name}: every new briefing")), "href": str(relative(address, feed))}
        pages.append(
            _page(
                address,
                meta,
                "story.html.j2",
                newest(chunk),
                name=story.name,
                span=(len(members), members[0].date, members[-1].date) if first and members else None,
                briefings=chunk,
                follow_ups={b.slug: follow[b.slug] for b in chunk if b.slug in follow},
                feed=feed,
                pager=pager,
            )
        )
    return pages


# --- what to watch ------------------------------------------------------------------

#: A dated next step as /watch/ lists it: its day, its briefing, its index there, the step, the story's name.
Watched = tuple[dt.date, Briefing, int, NextStep, str | None]

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


def _months(items: list[Watched]) -> list[tuple[int, int, list[Watched]]]:
    by_month = groupby(items, key=lambda item: (item[0].year, item[0].month))
    return [(year, month, list(group)) for (year, month), group in by_month]


def corrections_pages(joins: Joins, site_url: str) -> list[Page]:
    """`corrections/`: every correction across the site, newest first (by the correction's date, then the
    briefing's), each linked to its briefing; past 50, numbered pages from the oldest, like every list."""
    made = [(correction, briefing) for briefing in joins.briefings for correction in briefing.corrections]
    made.sort(key=lambda item: (item[0].date, item[1].date, item[1].slug), reverse=True)
    return _newest_first_list(
        "corrections/",
        "Corrections",
        "corrections.html.j2",
        made,
        site_url,
        lambda chunk: newest(briefing for _, briefing in chunk),
        lambda chunk: {"corrections": chunk},
    )


def _newest_first_list(
    first: str,
    title: str,
    template: str,
    items: list[T],
    site_url: str,
    date: Callable[[list[T]], dt.date | None],
    shown: Callable[[list[T]], dict[str, Any]],
) -> list[Page]:
    """A list of `items`, given newest first: `first` shows the newest 50 and the total, numbered pages every
    one, 50 a page from the oldest (`newest_windows`). Each page is dated by `date` of what it shows, and
    its template gets `shown` of it with `total` and `pager`."""
    pages = []
    for address, (window,), pager in newest_windows(first, [len(items)]):
        chunk = items[window]
        pages.append(
            _page(
                address,
                _listing(address, site_url, title, pager, **_JOINED),
                template,
                date(chunk),
                **shown(chunk),
                total=len(items) if pager.number == 0 else None,
                pager=pager,
            )
        )
    return pages


def watch_pages(joins: Joins, site_url: str) -> list[Page]:
    """`watch/`: the dated next steps by month: those on or after the newest briefing's date ("Coming up",
    the next 50), then the 50 before it ("Earlier"), then the steps with a text `when` of the newest 50
    briefings. Past 50 dated steps, `watch/page/N/` list every one in date order, numbered from the oldest,
    so that no page grows with the collection. The newest briefing's date, never the build's day, splits them.
    """
    steps = dated_steps(joins)
    pivot = joins.briefings[0].date if joins.briefings else None
    split = bisect.bisect_left([item[0] for item in steps], pivot) if pivot else len(steps)
    coming, earlier = steps[split : split + PER_PAGE], steps[max(0, split - PER_PAGE) : split]
    texts = []
    for briefing in joins.briefings[:PER_PAGE]:
        undated = [(i, step) for i, step in enumerate(briefing.next) if isinstance(step.when, str)]
        if undated:
            story = joins.story_of(briefing)
            texts.append((briefing, story.name if story else None, undated))
    first = "watch/"
    more = len(steps) > PER_PAGE
    shown = [item[1] for item in coming + earlier] + [entry[0] for entry in texts]
    pages = [
        _page(
            first,
            _listing(first, site_url, "What to watch", **_JOINED),
            "watch.html.j2",
            newest(shown),
            pivot=pivot,
            coming=_months(coming),
            earlier=_months(earlier),
            texts=texts,
            total=len(steps),
            all_pages=numbered(first, 1) if more else None,
            pager=Pager(0, None, None, False, at_first=True),
        )
    ]
    if more:
        for address, (window,), pager in oldest_windows(first, len(steps), head=False):
            chunk = steps[window]
            pages.append(
                _page(
                    address,
                    _listing(address, site_url, "What to watch", pager, **_JOINED),
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


def watch_ics(briefings: Iterable[Briefing], site_url: str, site_name: str) -> bytes:
    """The dated next steps of these briefings as all-day events (RFC 5545), in date order.

    Each event's UID is the briefing's slug and the step's index; its DTSTAMP is the briefing's
    `updated` (else its date) at midnight UTC, never the build's time: the same briefings give
    the same bytes."""
    joins_like = sorted(briefings, key=lambda b: b.slug)
    root = site_url if site_url.endswith("/") else site_url + "/"
    host = urlsplit(root).hostname or "briefings"
    calendar_ = Calendar()
    calendar_.add("prodid", "-//Briefings//What to watch//EN")
    calendar_.add("version", "2.0")
    calendar_.add("calscale", "GREGORIAN")
    calendar_.add("x-wr-calname", f"{site_name}: what to watch")
    events = []
    for briefing in joins_like:
        for index, step in enumerate(briefing.next):
            if isinstance(step.when, dt.date):
                events.append((step.when, briefing.slug, index, briefing, step))
    events.sort(key=lambda item: item[:3])
    for day, slug_, index, briefing, step in events:
        event = Event()
        event.add("uid", f"{slug_}-next-{index}@{host}")
        stamp = _latest(briefing)
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
        event.add("url", absolute_url(site_url, briefing_address(briefing)))
        calendar_.add_component(event)
    ical: bytes = calendar_.to_ical()
    return ical


# --- source pages (the plugin's `publish_sources`) ----------------------------------------

#: The index of the source pages; each source's page is `sources/<name>/`.
SOURCES = "sources/"
#: Names no source page takes: the index's numbered pages are `sources/page/N/`.
_RESERVED_SOURCE_NAMES = frozenset(("page",))
#: A source page names, under each paragraph, at most this many of the briefings drawn from it (the newest).
DRAWN_SHOWN = 5
#: A passage of a source text that a briefing quotes or gives as a figure's evidence: where it is in the
#: text (`start`, `end`), and the briefing.
Drawn = tuple[int, int, Briefing]


def source_key(path: str) -> str:
    """A source file's path as one spelling (`seeds/./a.txt` and `seeds//a.txt` are `seeds/a.txt`)."""
    return PurePosixPath(path).as_posix()


def source_addresses(files: Iterable[str]) -> dict[str, str]:
    """The page address of each source file, by `source_key`: `sources/<name>/`, the name being its path
    under seeds/ without its last suffix, made an address as a story's name is (`seeds/Reuters/Gaza talks.txt`
    -> `sources/reuters-gaza-talks/`). A name that is empty, too long, reserved, or the same as another's
    (`a b.txt`, `a-b.txt`) gets the first characters of its path's SHA-256 after it, so each is its own; and
    should that be another's name, `-2`, `-3`, ... after it."""
    keys = sorted({source_key(path) for path in files})
    names: dict[str, str] = {}
    for key in keys:
        parts = list(PurePosixPath(key).parts[1:])  # under seeds/
        if parts:
            parts[-1] = PurePosixPath(parts[-1]).stem
        names[key] = name_address(" ".join(parts))
    counts = Counter(names.values())
    chosen: dict[str, tuple[bool, str]] = {}
    for key, name in names.items():
        usable = name and len(name) <= MAX_CHARS - 12 and len(name.encode("utf-8")) <= MAX_BYTES - 12
        digested = not usable or counts[name] > 1 or name in _RESERVED_SOURCE_NAMES
        if digested:
            digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:10]
            name = f"{name[:40].strip('-')}-{digest}".lstrip("-")
        chosen[key] = (digested, name)
    # A file named like another's name and digest (`a-b-<digest of seeds/a b.txt>.txt`) would take its address:
    # names are taken plain ones first, then by name and path; a name already taken is numbered after it.
    addresses: dict[str, str] = {}
    taken: set[str] = set()
    for key, (_, name) in sorted(chosen.items(), key=lambda item: (item[1], item[0])):
        unique, number = name, 1
        while unique in taken:
            number += 1
            unique = f"{name}-{number}"
        taken.add(unique)
        addresses[key] = f"{SOURCES}{unique}/"
    return addresses


@dataclass(frozen=True)
class SourceRecord:
    """One source text as the published briefings drew on it."""

    key: str
    address: str
    #: The source as the oldest briefing citing it describes it (title, publisher, date, URL).
    source: Source
    #: Its text (as the file has it: `SourceText.original`).
    text: SourceText
    #: The briefings citing it, newest first.
    briefings: tuple[Briefing, ...]
    #: Every quote and figure's evidence they took from it, by where it is in the text.
    drawn: tuple[Drawn, ...]


def cited_sources(briefings: list[Briefing], texts: SourceTexts | None) -> dict[str, str]:
    """The page address (`source_addresses`) of every source file these briefings cite that can be read,
    by `file` as written."""
    if texts is None:
        return {}
    files = {source.file for b in briefings for source in b.sources if source.file and texts(source.file)}
    return source_addresses(files)


def source_records(
    briefings: list[Briefing],
    texts: SourceTexts | None,
    addresses: dict[str, str],
    found: dict[str, dict[Quote | Figure, Receipt | None]],
) -> list[SourceRecord]:
    """Every source file in `addresses` as the published `briefings` (newest first) drew on it, from their
    receipts (`found`, by slug), in the order of their keys."""
    if texts is None:
        return []
    cited: dict[str, list[Briefing]] = {}
    described: dict[str, Source] = {}
    originals: dict[str, SourceText] = {}
    drawn: dict[str, list[Drawn]] = {}
    for briefing in briefings:
        for source in briefing.sources:
            key = source_key(source.file) if source.file else ""
            if key not in addresses or source.file is None:
                continue
            citing = cited.setdefault(key, [])
            if not citing or citing[-1] is not briefing:
                citing.append(briefing)
            described[key] = source  # the oldest briefing's, the last seen
            if key not in originals:
                text = texts(source.file)
                assert text is not None  # `addresses` holds only the files that can be read
                originals[key] = text
        for shown in found.get(briefing.slug, {}).values():
            if shown is not None:
                drawn.setdefault(source_key(shown.file), []).append((shown.start, shown.end, briefing))
    return [
        SourceRecord(
            key,
            addresses[key],
            described[key],
            originals[key],
            tuple(cited[key]),
            tuple(sorted(drawn.get(key, []), key=lambda d: (d[0], d[1], -d[2].date.toordinal(), d[2].slug))),
        )
        for key in sorted(cited)
    ]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a source page: its number, its text in runs, and the briefings drawn from it.

    Each run is `(marked, parts)`: `marked` when briefings drew on it; each part `(ids, text)`, `ids`
    being the anchors (`Receipt.anchor`) of the passages that start where the part does."""

    number: int
    runs: tuple[tuple[bool, tuple[tuple[tuple[str, ...], str], ...]], ...]
    drawn_by: tuple[Briefing, ...]
    more: int


def source_paragraphs(source: SourceText, drawn: tuple[Drawn, ...]) -> list[Paragraph]:
    """A source text in paragraphs (`SourceText.paragraphs`, numbered as receipts number them), each passage
    of `drawn` marked in the paragraphs it stands in (one mark per paragraph, overlapping passages as one) and
    anchored where it starts. Linear in the text and the passages (sorted by start, as `source_records` gives
    them)."""
    text = source.original
    bounds = source.paragraphs()
    starts = [low for low, _ in bounds]
    spans_in: list[list[Drawn]] = [[] for _ in bounds]
    for item in drawn:
        number = max(0, bisect.bisect_right(starts, item[0]) - 1)
        while number < len(bounds) and bounds[number][0] < max(item[1], item[0] + 1):
            spans_in[number].append(item)
            number += 1
    paragraphs: list[Paragraph] = []
    for number, ((low, high), spans) in enumerate(zip(bounds, spans_in, strict=True), start=1):
        cuts = {low, high}
        ids: dict[int, list[str]] = {}
        marked: list[tuple[int, int]] = []
        for start, end, _ in spans:
            lo, hi = max(start, low), min(end, high)
            cuts.update((lo, hi))
            anchor = f"at-{start}-{end}"
            if low <= start < high and anchor not in ids.get(start, ()):
                ids.setdefault(start, []).append(anchor)
            if marked and lo <= marked[-1][1]:
                marked[-1] = (marked[-1][0], max(marked[-1][1], hi))
            else:
                marked.append((lo, hi))
        runs: list[tuple[bool, list[tuple[tuple[str, ...], str]]]] = []
        region = 0
        for lo, hi in pairwise(sorted(cuts)):
            while region < len(marked) and marked[region][1] <= lo:
                region += 1
            inside = region < len(marked) and marked[region][0] <= lo < marked[region][1]
            part = (tuple(ids.get(lo, ())), text[lo:hi])
            if runs and runs[-1][0] == inside:
                runs[-1][1].append(part)
            else:
                runs.append((inside, [part]))
        by = sorted({id(s[2]): s[2] for s in spans}.values(), key=lambda b: (b.date, b.slug), reverse=True)
        paragraphs.append(
            Paragraph(
                number,
                tuple((inside, tuple(parts)) for inside, parts in runs),
                tuple(by[:DRAWN_SHOWN]),
                max(0, len(by) - DRAWN_SHOWN),
            )
        )
    return paragraphs


def source_pages(records: list[SourceRecord], site_url: str) -> list[Page]:
    """`sources/<name>/` for each source record: the whole text with what briefings drew from it marked;
    and `sources/`, every source newest first by the day it was first cited, 50 a page."""
    pages = []
    for record in records:
        source = record.source
        meta = _carded(
            f"Source: {source.title}",
            None,
            {
                "description": str(
                    html(
                        f"The source text of {len(record.briefings)} briefing(s), "
                        "with every passage they drew on marked."
                    )
                ),
                "hide": ["navigation", "toc"],
                "search": {"exclude": True},
            },
            {
                "@context": "https://schema.org",
                "@type": "WebPage",
                "name": source.title,
                "url": absolute_url(site_url, record.address),
            },
        )
        pages.append(
            _page(
                record.address,
                meta,
                "source.html.j2",
                newest(record.briefings),
                source=source,
                text=record.text,
                drawn=record.drawn,
                cited=len(record.briefings),
                first_cited=record.briefings[-1],
            )
        )
    ordered = sorted(records, key=lambda r: (r.briefings[-1].date, r.key), reverse=True)
    pages += _newest_first_list(
        SOURCES,
        "Sources",
        "sources.html.j2",
        ordered,
        site_url,
        lambda chunk: newest(b for r in chunk for b in r.briefings),
        lambda chunk: {"rows": [(r.address, r.source, len(r.briefings), r.briefings[-1].date) for r in chunk]},
    )
    return pages


def topic_pages(topic: Group, site_url: str) -> list[Page]:
    """`topics/<address>/`: the topic's newest 50 briefings; older ones on numbered pages."""
    pages = []
    for address, (window,), pager in newest_windows(f"topics/{topic.key}/", [len(topic.briefings)]):
        chunk = topic.briefings[window]
        pages.append(
            _page(
                address,
                _listing(address, site_url, topic.name, pager, **_JOINED),
                "topic.html.j2",
                newest(chunk),
                name=topic.name,
                count=len(topic.briefings) if pager.number == 0 else None,
                briefings=chunk,
                pager=pager,
            )
        )
    return pages


#: A row of an index page: address, name, kind (actors) or "", count, newest date.
Row = tuple[str, str, str, int, dt.date]


def _index(
    first: str, title: str, template: str, ranked: list[Row], arrived: list[Row], site_url: str, **context: Any
) -> list[Page]:
    """An index (`who/`, `stories/`, `topics/`): `first` shows the top 50 of `ranked`; past 50,
    `first` + `page/N/` list every entry in the order they first appeared, so a new one
    lands on the last page and none shifts."""
    pages = [
        _page(
            first,
            _listing(first, site_url, title, **_JOINED),
            template,
            max((row[4] for row in ranked[:PER_PAGE]), default=None),
            rows=ranked[:PER_PAGE],
            total=len(ranked),
            pager=Pager(0, None, numbered(first, 1) if len(arrived) > PER_PAGE else None, False, at_first=True),
            **context,
        )
    ]
    if len(arrived) > PER_PAGE:
        for address, (window,), pager in oldest_windows(first, len(arrived), head=False):
            chunk = arrived[window]
            pages.append(
                _page(
                    address,
                    _listing(address, site_url, title, pager, **_JOINED),
                    template,
                    max(row[4] for row in chunk),
                    rows=chunk,
                    total=None,
                    pager=pager,
                    **context,
                )
            )
    return pages


def actors_index(joins: Joins, site_url: str) -> list[Page]:
    """`who/`: the 50 actors in most briefings, by kind; past 50, every actor on numbered pages."""
    order = list(_KINDS)
    actors = list(joins.actors.values())
    ranked = sorted(actors, key=lambda a: (order.index(a.kind), -len(a.briefings), a.name.casefold(), a.id))
    arrived = sorted(actors, key=lambda a: (a.briefings[-1].date, a.id))

    def row(actor: ActorRecord) -> Row:
        return (actor_address(actor.id), actor.name, actor.kind, len(actor.briefings), _latest(actor.briefings[0]))

    return _index(
        "who/",
        "Who",
        "actors.html.j2",
        [row(a) for a in ranked],
        [row(a) for a in arrived],
        site_url,
        kinds=tuple(_KINDS.items()),
    )


def stories_index(joins: Joins, site_url: str) -> list[Page]:
    """`stories/`: the 50 most recently active stories; past 50, every story on numbered pages."""
    stories = list(joins.stories.values())
    ranked = sorted(stories, key=lambda s: (-s.briefings[-1].date.toordinal(), s.key))
    arrived = sorted(stories, key=lambda s: (s.briefings[0].date, s.key))

    def row(story: Group) -> Row:
        return (f"stories/{story.key}/", story.name, "", len(story.briefings), _latest(story.briefings[-1]))

    ranks, arrivals = [row(s) for s in ranked], [row(s) for s in arrived]
    return _index("stories/", "Stories", "stories.html.j2", ranks, arrivals, site_url)


def topics_index(joins: Joins, site_url: str) -> list[Page]:
    """`topics/`: the 50 most used topics; past 50, every topic on numbered pages."""
    topics = list(joins.topics.values())
    ranked = sorted(topics, key=lambda t: (-len(t.briefings), t.name.casefold(), t.key))
    arrived = sorted(topics, key=lambda t: (t.briefings[-1].date, t.key))

    def row(topic: Group) -> Row:
        return (f"topics/{topic.key}/", topic.name, "", len(topic.briefings), _latest(topic.briefings[0]))

    ranks, arrivals = [row(t) for t in ranked], [row(t) for t in arrived]
    return _index("topics/", "Topics", "topics.html.j2", ranks, arrivals, site_url)


_SCHEMA_TYPES = {"person": "Person", "organization": "Organization", "country": "Country", "group": "Organization"}


#: The site's logo, which the publisher of every NewsArticle names (`jsonld`).
LOGO_PATH = "assets/logo.svg"


def site_publisher(site_url: str, site_name: str) -> dict[str, Any]:
    """The site as a schema.org Organization: the publisher of its briefings, with its logo."""
    return {
        "@type": "Organization",
        "name": site_name,
        "url": absolute_url(site_url, ""),
        "logo": {"@type": "ImageObject", "url": absolute_url(site_url, LOGO_PATH)},
    }


def jsonld(briefing: Briefing, site_url: str, site_name: str) -> dict[str, Any]:
    """schema.org NewsArticle for the page head; `site_url` and `site_name` make its address and publisher."""
    url = absolute_url(site_url, briefing_address(briefing))
    site = site_publisher(site_url, site_name)
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


_ENV.globals.update(
    briefing_address=briefing_address,
    actor_address=actor_address,
    story_address=story_address,
    topic_address=topic_address,
    long_date=long_date,
    short_date=short_date,
    figure_value=figure_value,
    figure_text=figure_text,
    weekday_date=weekday_date,
    reading_minutes=reading_minutes,
    quote_lines=quote_lines,
    absolute_url=absolute_url,
    when=when,
    web_url=web_url,
    month_name=lambda month: calendar.month_name[month],
    month_address=month_address,
    source_paragraphs=source_paragraphs,
)
