"""The one place where text from a briefing is made safe for a page.

Briefing text is plain text: `<b>`, `*`, `[x](y)`, `{{ }}`, `--8<--`, `!!!`
and `# ` must reach the reader as those characters. A generated page is
Markdown that holds HTML, read by Python-Markdown and its extensions and then
put into MkDocs templates that do not autoescape. So every character that HTML,
Markdown or an extension could read as syntax is written as a numeric character
reference (`&#42;` for `*`): no parser sees syntax, every browser shows the
character, and the search index (which decodes references) sees the text.

`html()` is for text and attribute values; `json_script()` is for JSON inside a
`<script>` element. Templates never call either: the renderer's Jinja
environment applies `html()` to every `{{ value }}` (see `render.py`).
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from generator.schema import SLUG

#: ASCII characters that are syntax somewhere: HTML (`<>&"'`), Markdown
#: (`*_[]()#!\`~|+-.:>=` and more), attr_list and Jinja (`{}`), snippets (`-8<`).
_SPECIAL = frozenset("&<>\"'`*_[](){}#!\\|~+-.:=^$%@/")
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}


def html(value: Any) -> Markup:
    """Text made inert for HTML and Markdown alike. Whitespace runs become one space."""
    if isinstance(value, Markup):
        return value
    text = " ".join(str(value).split())
    return Markup(text.translate(_TABLE))


def slug(value: str) -> Markup:
    """A slug (checked to be `a-z0-9` and `-`) for ids and paths, where it needs no escaping."""
    if not SLUG.match(value):
        raise ValueError(f"not a slug (got {value!r})")
    return Markup(value)


def json_script(data: Any) -> Markup:
    """JSON that is safe inside `<script type="application/ld+json">`."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
