"""Pages, rendered: the Jinja environment the templates in `templates/` run in, a page as data (`Page`), and
the `Renderer` every page is made through.

A page is its metadata for the head (title, description, search boost, share card,
JSON-LD) and one block of HTML, its body. The MkDocs plugin hands the metadata
to the templates directly and gives MkDocs the body alone, so no text in the
metadata can ever fall into the body; `briefing render` writes both as a
Markdown file with front matter, for other tools. Every value a template prints
passes through `escape.html` on its way out (the environment's `finalize`)
unless `escape` made it, so no template can forget to escape, and no text from
a briefing can become HTML, Markdown, an attribute, an include or template code.

What an earlier build made is reused through the `Renderer` a build makes and hands to each page
function: its `Memo` (the last build of this process, in `mkdocs serve`) and its `Kept` (pages whose
finished HTML an earlier build kept). Nothing else decides how a page is made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from generator.format.model import Briefing, Figure, Quote, yaml_scalar
from generator.format.wording import figure_text, figure_value
from generator.site.cards import Card
from generator.site.escape import html, html_piece, slug, web_url
from generator.site.inputs import Deferred, Digests, Unkeyed
from generator.site.links import (
    absolute_url,
    actor_address,
    briefing_address,
    month_address,
    relative,
    source_path,
    story_address,
    topic_address,
)
from generator.site.reading import (
    glance,
    long_date,
    month_name,
    quote_lines,
    reading_minutes,
    short_date,
    weekday_date,
    when,
)
from generator.site.receipts import Receipt, SourceTexts, receipts
from generator.site.sources import source_paragraphs

# --- the templates' environment ------------------------------------------------------


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    return html(value)  # a Safe as it is; anything else, Markup included, as text


#: Jinja's filters that return Markup from text (`|e`, `|safe`, `|tojson`, ...). The finalizer
#: would escape their output as text anyway; removed, a template using one fails at once.
_MARKUP_FILTERS = ("e", "escape", "forceescape", "safe", "tojson", "urlize", "xmlattr", "indent", "wordwrap")


def environment() -> Environment:
    """The environment the templates run in: every value printed escaped (`finalize`) unless `escape` made it,
    the filters that make markup removed, and the functions the templates call."""
    env = Environment(
        loader=PackageLoader("generator.site", "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    for name in _MARKUP_FILTERS:
        env.filters.pop(name, None)
    env.filters["slug"] = slug
    env.filters["piece"] = html_piece
    env.globals.update(
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
        glance=glance,
        absolute_url=absolute_url,
        when=when,
        web_url=web_url,
        month_name=month_name,
        month_address=month_address,
        source_paragraphs=source_paragraphs,
    )
    return env


#: The one environment every page is rendered in (its templates compiled once).
ENVIRONMENT = environment()


# --- a page --------------------------------------------------------------------------


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
    #: Its share image (`cards`), drawn into `card_path` beside it; kept with a page that was not rendered.
    card: Card | None = None

    @property
    def card_path(self) -> str | None:
        """The file of its share image, beside the page."""
        return self.card.path(self.address) if self.card is not None else None

    @property
    def path(self) -> str:
        """The Markdown file MkDocs turns into this page."""
        return source_path(self.address)

    def markdown(self) -> str:
        """The page as one Markdown file with front matter, as `briefing render` writes it."""
        return front_matter(self.meta) + self.body


def newest(briefings: Iterable[Briefing]) -> dt.date | None:
    """The newest date (its `updated`, else its `date`) of `briefings`."""
    return max((b.updated or b.date for b in briefings), default=None)


def latest(briefing: Briefing) -> dt.date:
    """A briefing's newest date: its `updated`, else its `date`."""
    return briefing.updated or briefing.date


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


@dataclass(frozen=True)
class Renderer:
    """What every page of a build is made through, handed to each page function: the templates'
    environment, and what earlier builds left to reuse.

    With a `memo` (`mkdocs serve`), a page whose inputs equal the last build's is taken from it, and so are
    a briefing's receipts; with `kept`, a page whose finished HTML an earlier build kept is not rendered
    at all. Without either, every page is rendered.
    """

    memo: Memo | None = None
    kept: Kept | None = None
    environment: Environment = field(default=ENVIRONMENT, repr=False, compare=False)

    @property
    def reuses(self) -> bool:
        """Whether a page may be taken from an earlier build, unrendered: then a value of its context may be
        `inputs.Deferred`, made only if it is rendered."""
        return self.memo is not None or self.kept is not None

    def page(
        self,
        address: str,
        meta: dict[str, Any] | Callable[[], dict[str, Any]],
        template: str,
        date: dt.date | None = None,
        *,
        card: Card | None = None,
        **context: Any,
    ) -> Page:
        """One page, rendered; its templates link with `link(target address)`.

        `meta` may be a function, called only when the page is rendered: then it must
        derive from the context (and the `card`) alone. `date` is the newest date among what the page shows;
        `card` its share image, which its metadata names (`head.share_image`).
        """
        memo, kept = self.memo, self.kept
        inputs = (template, meta if isinstance(meta, dict) else None, date, context, card)
        if memo is not None:
            before = memo.previous.get(address)
            if before is not None and before[0] == inputs:
                memo.current[address] = before
                memo.reused += 1
                return before[1]
        key = kept.key(address, inputs) if kept is not None else None
        if kept is not None and key is not None and kept.has(address, key, date, kept.shown()):
            kept.skipped += 1
            page = Page(address, {}, "", date, key=key, kept=True, card=card)
        else:
            made = {name: value.make() if isinstance(value, Deferred) else value for name, value in context.items()}
            body = self.environment.get_template(template).render(
                link=partial(relative, address), address=address, **made
            )
            if not body.startswith("<"):
                raise ValueError(f"{template}: a page's body must start with an HTML element")
            page = Page(address, meta if isinstance(meta, dict) else meta(), body, date, key=key, card=card)
            if kept is not None:
                kept.rendered += 1
        if memo is not None:  # a page taken whole too: the next build compares with its inputs
            memo.current[address] = (inputs, page)
            memo.rendered += 1
        return page

    def receipts(self, briefing: Briefing, texts: SourceTexts | None) -> dict[Quote | Figure, Receipt | None]:
        """A briefing's `receipts.receipts`, taken from the memo when the same briefing was rendered with the
        same source texts."""
        memo = self.memo
        if memo is None:
            return receipts(briefing, texts)
        known = memo.receipts.get(briefing.slug)
        if known is not None and known[0] is briefing and known[1] is texts:
            return known[2]
        found = receipts(briefing, texts)
        memo.receipts[briefing.slug] = (briefing, texts, found)
        return found
