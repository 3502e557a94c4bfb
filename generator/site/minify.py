"""The site's own styles and scripts (those under `docs/`), minified as they are published: comments and
needless whitespace removed by rcssmin and rjsmin, whose C versions run in time linear in the text. The
theme's files are minified by the theme already. Plain functions: the MkDocs plugin hands each file to them."""

from __future__ import annotations

import rcssmin  # type: ignore[import-untyped]
import rjsmin  # type: ignore[import-untyped]

#: The kinds of file minified, by the end of their names.
MINIFIED = (".css", ".js")
#: A file larger than this is published as it is (a stylesheet of ours is a few tens of kilobytes).
MAX_BYTES = 1 << 20


def minified(name: str, text: str) -> str | None:
    """A stylesheet or a script, minified; None for any other kind of file."""
    if name.endswith(".css"):
        css: str = rcssmin.cssmin(text)
        return css
    if name.endswith(".js"):
        js: str = rjsmin.jsmin(text)
        return js
    return None
