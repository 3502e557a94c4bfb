"""The generator's own code, named: what every kept thing's key includes, so that an edit to the code
or its templates makes nothing kept by an older one be used."""

from __future__ import annotations

import hashlib
from pathlib import Path


def code_digest() -> str:
    """The SHA-256 of the generator's own files (its code and templates), as installed: an edit to
    them, in a checkout installed for development, changes every page's key."""
    global _CODE
    if _CODE is None:
        digest = hashlib.sha256()
        package = Path(__file__).parents[1]  # the generator package, every part of it
        for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            data = path.read_bytes()
            name = path.relative_to(package).as_posix().encode("utf-8", "surrogateescape")
            digest.update(len(name).to_bytes(8, "big") + name + len(data).to_bytes(8, "big") + data)
        _CODE = digest.hexdigest()
    return _CODE


_CODE: str | None = None
