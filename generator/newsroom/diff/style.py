"""How a value is written for one output of `briefing diff`: text for a terminal, Markdown for GitHub. Every
value is isolated (FSI … PDI); in Markdown every ASCII punctuation is escaped and a WORD JOINER breaks what
GitHub would make a link.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from generator.format.findings import printable
from generator.newsroom.diff.model import readable

#: FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: each value is set apart from the words around it, so that
#: right-to-left text in it never reorders them (`"OLD" → "NEW"` stays in that order). GitHub's sanitizer
#: removes `<bdi>`; these are characters, which it keeps.
FSI, PDI = "\u2068", "\u2069"
#: WORD JOINER: invisible, it breaks what GitHub would make a link of in a value (`www.`, `http://`,
#: `a@b.org`, `@name`, `#123`) and changes nothing a reader sees.
WJ = "\u2060"
_LINKY = re.compile(r"(?i)(www)(?=\.)|(@|#|:(?=/))")


class _Style:
    """How a text is written for one output: `text` for a terminal, `markdown` for GitHub.

    Every value is isolated (FSI … PDI); in Markdown, every ASCII punctuation is escaped and a
    WORD JOINER breaks what GitHub would link (see `WJ`).
    """

    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown

    def _out(self, text: str) -> str:
        text = readable(text)
        if self.markdown:
            text = _LINKY.sub(lambda m: m.group() + WJ, _MARKDOWN.sub(r"\\\g<0>", text))
        return f"{FSI}{text}{PDI}"

    def t(self, value: object) -> str:
        """User text, on one line, unprintable characters escaped; for Markdown, every ASCII punctuation too."""
        return self._out(printable(" ".join(_shown(value).split())))

    def path(self, value: object) -> str:
        """A path or a finding's line: as it is, unprintable characters (a line break too) escaped."""
        return self._out(printable(_shown(value)))

    def q(self, value: object) -> str:
        return f'"{self.t(value)}"' if isinstance(value, str) else self.t(value)

    def strong(self, text: str) -> str:
        return f"**{text}**" if self.markdown else text


#: The characters that are Markdown (GitHub's) anywhere in a line: emphasis, code, links and
#: images, HTML and entities, headings' closing `#`, tables, strikethrough, math, emoji
#: shortcodes and mentions. Each is written with a backslash, which CommonMark allows before
#: any ASCII punctuation. Text never starts a line (it is on one line, after a prefix of
#: ours), so `-`, `+`, `.` and `=`, which are Markdown only there, are left as they are.
_MARKDOWN = re.compile(r"[\\`*_\[\]<>&#!|~$:@]")


def _shown(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
