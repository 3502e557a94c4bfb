"""A finding is one problem in one place: the data every check produces."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

#: `notice`: what could not be done and is no one's fault here (source texts kept elsewhere and absent from this
#: run): printed, never counted by `--strict`.
Severity = Literal["error", "warning", "notice"]

#: Characters that would break a finding's line or act on a terminal: line breaks,
#: control characters, bidirectional controls and zero-width characters.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def printable(text: str) -> str:
    """`text` with every unprintable character written as an escape: `\\x0a`, `\\u202e`."""
    return _UNPRINTABLE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text
    )


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One problem, at a 1-based line and column of a file."""

    path: str
    line: int
    column: int
    severity: Severity
    field: str
    message: str

    def format(self) -> str:
        """The one-line form: `path:line:col: severity: field: message`, always one line."""
        where = f"{self.path}:{self.line}:{self.column}: {self.severity}: "
        return printable(where + (f"{self.field}: {self.message}" if self.field else self.message))

    def github(self) -> str:
        """The finding as a GitHub workflow command, shown on its line of a pull request's diff:
        `::error file=briefings/x.yaml,line=12,col=7,title=numbers[0].value::expected a number (got 'lots')`.
        """
        properties = ",".join(
            f"{key}={_github_property(value)}"
            for key, value in (
                ("file", self.path),
                ("line", str(self.line)),
                ("col", str(self.column)),
                ("title", self.field or "briefing"),
            )
        )
        return f"::{self.severity} {properties}::{_github_data(printable(self.message))}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def got(value: object, limit: int = 60) -> str:
    """Show what came in, safely: a repr (control characters escaped), cut to `limit`."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"(got {text!r})"


def _github_data(text: str) -> str:
    """A workflow command's message: `%`, CR and LF escaped as GitHub's runner reads them."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    """A workflow command's property value: as a message, and `:` and `,` escaped too."""
    return _github_data(printable(text)).replace(":", "%3A").replace(",", "%2C")
