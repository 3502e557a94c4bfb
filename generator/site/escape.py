"""The one place where text from a briefing is made safe for a page.

Briefing text is plain text: `<b>`, `*`, `[x](y)`, `{{ }}`, `--8<--`, `!!!`
and `# ` must reach the reader as those characters. A generated page is
Markdown that holds HTML, read by Python-Markdown and its extensions and then
put into MkDocs templates that do not autoescape. So every character that HTML,
Markdown or an extension could read as syntax is written as a numeric character
reference (`&#42;` for `*`): no parser sees syntax, every browser shows the
character, and the search index (which decodes references) sees the text.

Everything safe to print is a `Safe`, and only this module makes one:

- `html()` for text and attribute values;
- `slug()` for an id the format has already checked to be `a-z0-9-`;
- `href()` for a link to an address the generator made itself;
- `web_url()` for a source's URL, which the format has checked;
- `json_script()` for JSON inside a `<script>` element.

The renderer's Jinja environment prints a `Safe` as it is and passes every
other value through `html()`, a `Markup` made anywhere else included (see
`render.py`), so no template, filter or library can print briefing text raw.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from generator.format.schema import SLUG
from generator.format.urls import is_web_url

#: ASCII characters that are syntax somewhere: HTML (`<>&"'`), Markdown
#: (`*_[]()#!\`~|+-.:>=` and more), attr_list and Jinja (`{}`), snippets (`-8<`).
_SPECIAL = frozenset("&<>\"'`*_[](){}#!\\|~+-.:=^$%@/")
#: Control characters that are not whitespace (NUL, C0, DEL, C1): a parse error in HTML text, NUL dropped by
#: browsers. Briefing text cannot hold them (the format refuses them); a source text can, and its receipts and
#: page show U+FFFD in their place.
_CONTROLS = [c for c in [*range(0x20), *range(0x7F, 0xA0)] if not chr(c).isspace()]
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL} | dict.fromkeys(_CONTROLS, "\ufffd")

#: A relative link as `href()` writes it: percent-encoded path segments, `./` or `../` steps,
#: an optional `#fragment` of the same characters. Nothing that could end the attribute.
_HREF = re.compile(r"(?:\./|(?:\.\./)*)(?:[A-Za-z0-9%._~-]+/)*[A-Za-z0-9%._~-]*(?:#[A-Za-z0-9%._~-]+)?\Z")


class Safe(Markup):
    """Text that is safe to print as it is. Made only by the functions of this module."""

    __slots__ = ()


def html(value: Any) -> Safe:
    """Text made inert for HTML and Markdown alike. Whitespace runs become one space.

    A `Markup` that this module did not make is text like any other: its characters
    are shown, not obeyed.
    """
    if isinstance(value, Safe):
        return value
    text = " ".join(str(value).split())
    return Safe(text.translate(_TABLE))


def html_piece(value: Any) -> Safe:
    """`html()` for a piece of a longer text printed piece by piece (a source text cut where passages are
    marked): whitespace at either end is kept, as one space, so that the pieces keep the spaces between them."""
    text = str(value)
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() and text.strip() else ""
    return Safe(lead + str(html(text)) + trail)


def slug(value: str) -> Safe:
    """A slug (checked to be `a-z0-9` and `-`) for ids and paths, where it needs no escaping."""
    if not SLUG.match(value):
        raise ValueError(f"not a slug (got {value!r})")
    return Safe(value)


def href(path: str) -> Safe:
    """A relative link the generator made (`../who/hamas/`, `../topics/東京-2024/#y2024`).

    Each character outside `A-Za-z0-9._~-/#` is percent-encoded; anything that is not the
    shape of such a link (a scheme, a query, a quote) is refused, so no briefing text can
    become an address.
    """
    encoded = quote(path, safe="/#")
    if not _HREF.match(encoded):
        raise ValueError(f"not a link the generator makes (got {path!r})")
    return Safe(encoded)


def web_url(url: str) -> Safe:
    """A source's URL for an `href`: one the format accepted (absolute http or https), escaped as text."""
    if not is_web_url(url):
        raise ValueError(f"not an http(s) URL (got {url!r})")
    return html(url)


def json_script(data: Any) -> Safe:
    """JSON that is safe inside `<script type="application/ld+json">`.

    Besides the characters that could end the element (`<`, `>`, `&`), every ASCII
    character that Markdown or HTML reads as syntax is written as a `\\u` escape inside
    JSON strings, so the JSON stays inert even if it were ever read as page text.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return Safe(_JSON_STRING.sub(_escape_json_string, text))


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
#: In JSON strings: what could end the script element (`<>&`), and what Markdown, attr_list
#: or Jinja could read as syntax. `@` (in `@context`), `:` and `/` (in URLs) are harmless.
_JSON_SPECIAL = re.compile("[<>&'`*_\\[\\](){}#!|~+=^\u2028\u2029]")


def _escape_json_string(match: re.Match[str]) -> str:
    return _JSON_SPECIAL.sub(lambda m: f"\\u{ord(m.group()):04x}", match.group())
