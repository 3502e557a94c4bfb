"""What the plugin and the live rebuild share: the plugin's name on the files it adds, how a generated
page's body is recorded when written, and the deletion of a file we wrote."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from generator.site.build import prune
from generator.store.cache import digest_of

#: An element's id in the HTML the generator writes (`<h2 id="who">`).
ID = re.compile(r'\sid="([^"]+)"')

#: The plugin's name in mkdocs.yml, which MkDocs records on each file the plugin adds (`File.generated_by`).
NAME = "briefings"

#: The date of a page that shows no briefing, in a site that has none: fixed, never the build day.
NO_DATE = "1970-01-01"


@dataclass(frozen=True)
class Written:
    """A generated page's body as written: the SHA-256 of its UTF-8 bytes, and the ids of its elements."""

    digest: str
    anchors: frozenset[str]

    @classmethod
    def of(cls, body: str) -> Written:
        return cls(digest_of(body.encode("utf-8", "surrogatepass")), frozenset(ID.findall(body)))


def remove(path: Path, top: Path) -> None:
    """Delete a file we wrote, and the folders above it up to `top` that it leaves empty."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    prune(path.parent, top)


def walk(top: Path) -> list[Path]:
    """`top` and, for a folder, everything under it, in a fixed order."""
    found = [top]
    if top.is_dir() and not top.is_symlink():
        for folder, dirs, names in os.walk(top):
            dirs.sort()
            found.extend(Path(folder, name) for name in sorted([*dirs, *names]))
    return found
