"""A finding is one problem in one place: the data every check produces."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


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
        """The one-line form: `path:line:col: severity: field: message`."""
        where = f"{self.path}:{self.line}:{self.column}: {self.severity}: "
        return where + (f"{self.field}: {self.message}" if self.field else self.message)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def got(value: object, limit: int = 60) -> str:
    """Show what came in, safely: a repr (control characters escaped), cut to `limit`."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"(got {text!r})"
