"""Changed source texts (seeds/): the briefings citing each on each side, and for a text that changed, each
quote and figure whose receipt sentence or verification changes from the base's text to the working tree's.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import Path

from generator.format.model import Figure, Quote
from generator.format.yamlnodes import MAX_FILE_BYTES
from generator.newsroom.diff.compare import _files
from generator.newsroom.diff.git import _cat_file, _git_line
from generator.newsroom.diff.model import PathChange, SeedChange, SourceItem
from generator.newsroom.diff.siterender import Receipt, receipt
from generator.newsroom.diff.style import _shown
from generator.newsroom.diff.versions import _Read, _Version
from generator.rules.verify import Seeds, SourceText

#: The opening line of a new source text is shown up to this many characters.
OPENING = 200


def _cites(read: _Read, file: str) -> bool:
    return any(source.file and posixpath.normpath(source.file) == file for source in read.sources)


def _text_at_base(root: Path, blob: str | None, mode: str | None) -> tuple[SourceText | None, int | None]:
    if blob is None or mode not in ("100644", "100755"):
        return None, None
    [(kind, data)] = _cat_file(root, [blob])
    if kind != "blob":
        return None, None
    try:
        return (SourceText(data.decode("utf-8-sig")) if len(data) <= MAX_FILE_BYTES else None), len(data)
    except UnicodeDecodeError:
        return None, len(data)


def _sentence(found: Receipt | None) -> str | None:
    if found is None:
        return None
    return " ".join((found.before + "".join(m + p for m, p in found.pieces) + found.after).split())


def _holds_in(text: SourceText | None, item: Figure | Quote) -> bool | None:
    if text is None:
        return None
    if isinstance(item, Quote):
        return text.contains(item.text)
    if item.evidence is not None:
        return text.contains(item.evidence)
    return item.value in text.numbers()


def _source_items(
    path: str, title: str | None, read: _Read, file: str, old: SourceText | None, new: SourceText | None, seeds: Seeds
) -> list[SourceItem]:
    """The quotes and figures of one briefing checked against `file`, whose text went from `old` to `new`."""

    def texts(at: SourceText | None) -> Callable[[str], SourceText | None]:
        def text(name: str) -> SourceText | None:
            if posixpath.normpath(name) == file:
                return at
            return seeds.text(name) if seeds.problem(name) is None else None

        return text

    items: list[SourceItem] = []
    listed: list[tuple[str, int, Figure | Quote, str]] = [("quotes", i, q, q.text) for i, q in read.quotes]
    listed += [("numbers", i, f, f.evidence if f.evidence is not None else _shown(f.value)) for i, f in read.numbers]
    for name, index, item, shown in listed:
        if file not in (posixpath.normpath(f) for f in _files(read, item.source) or ()):
            continue
        was, now = _holds_in(old, item), _holds_in(new, item)
        needle = item.text if isinstance(item, Quote) else item.evidence
        before = after = None
        if needle is not None:
            before = _sentence(receipt(needle, item.source, read.sources, texts(old)))
            after = _sentence(receipt(needle, item.source, read.sources, texts(new)))
        if was != now or before != after:
            items.append(SourceItem(path, title, f"{name}[{index}]", shown, was, now, before, after))
    return items


def _seed_changes(
    root: Path,
    paths: list[PathChange],
    blobs: dict[str, str],
    old: dict[str, _Version],
    new: dict[str, _Version],
    reading: Callable[[_Version], _Read | None],
    seeds: Seeds,
) -> list[SeedChange]:
    """Each changed source text with who cites it, and, for one whose text changed, each quote and
    figure whose receipt or verification it changes."""
    prefix = _git_line(root, "rev-parse", "--show-prefix") or ""
    changed = [c for c in paths if c.group == "seeds"]
    if not changed:
        return []
    before = [(v.path, r) for v in old.values() if (r := reading(v)) is not None]
    now = [(v.path, r) for v in new.values() if (r := reading(v)) is not None]
    found: list[SeedChange] = []
    for change in changed:
        found.append(_seed_change(root, change, prefix, blobs, before, now, seeds))
    return found


def _seed_change(
    root: Path,
    change: PathChange,
    prefix: str,
    blobs: dict[str, str],
    before: list[tuple[str, _Read]],
    now: list[tuple[str, _Read]],
    seeds: Seeds,
) -> SeedChange:
    """One changed source text: who cites it on each side, its opening line when added, and what it changes."""
    path = change.path[len(prefix) :]
    old_path = (change.old_path or change.path)[len(prefix) :] if change.status != "added" else None
    entry = SeedChange(change, path, old_path if old_path != path else None, size=change.size)
    entry.cited_by = [(p, r.title) for p, r in now if _cites(r, path)]
    if change.status != "deleted":
        entry.problem = seeds.problem(path)
    if old_path is not None:
        entry.cited_before = [(p, r.title) for p, r in before if _cites(r, old_path)]
    old_text, entry.old_size = _text_at_base(
        root, blobs.get(change.old_path or change.path), change.old_mode if change.status != "added" else None
    )
    new_text = seeds.text(path) if change.status != "deleted" and entry.problem is None else None
    if change.status == "added" and new_text is not None:
        entry.opening = _opening(new_text)
    if change.status in ("modified", "type changed", "renamed", "copied"):
        entry.items += _citing_items(now, path, old_text, new_text, seeds)
    return entry


def _opening(text: SourceText) -> str:
    """A new source text's first line that is not blank, trimmed, up to OPENING characters."""
    return next((line.strip() for line in text.original.splitlines() if line.strip()), "")[:OPENING]


def _citing_items(
    now: list[tuple[str, _Read]], path: str, old: SourceText | None, new: SourceText | None, seeds: Seeds
) -> list[SourceItem]:
    """The quotes and figures, of the briefings now citing `path`, whose receipt or verification changes."""
    items: list[SourceItem] = []
    for p, r in now:
        if _cites(r, path):
            items += _source_items(p, r.title, r, path, old, new, seeds)
    return items
