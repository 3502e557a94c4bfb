"""The changes of one briefing: its two versions' fields compared and their items matched (or an added
briefing told whole), and each added or changed quote and figure with whether it verifies (provenance).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import fields, is_dataclass
from typing import Any, Literal, TypeVar

from generator.format.findings import Finding
from generator.format.model import Figure, Quote
from generator.newsroom.diff.model import Change, Check, CheckStatus
from generator.newsroom.diff.versions import _Read, _Version
from generator.rules.verify import Seeds, contains, normalize

#: Two texts this alike (their words, in order) are one item changed.
TEXT_SIMILARITY = 0.5

T = TypeVar("T")


# --- matching items -------------------------------------------------------------------------


_WORD = re.compile(r"\w+")


def _similarity(a: str, b: str) -> float:
    """How alike two texts are: the share of their words (runs of letters and digits, in lowercase) that
    they have in common, each word counted as often as both have it (2 × common ÷ all): 1 is the same
    words. In time linear in the texts, whatever they repeat (difflib's `SequenceMatcher.ratio`, used
    before, took 10 ms for two texts of one phrase repeated, so 67 s for one briefing at the limits)."""
    words_a, words_b = Counter(_WORD.findall(a.lower())), Counter(_WORD.findall(b.lower()))
    total = words_a.total() + words_b.total()
    return 2 * (words_a & words_b).total() / total if total else 0.0


def _pair(
    old: Sequence[T],
    new: Sequence[T],
    keys: Iterable[Callable[[T], Hashable]],
    similar: Callable[[T, T], float] | None = None,
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Match two lists' items: by each key in turn (in list order; a key of None matches nothing),
    then by similarity (best first).

    Returns the matched (old index, new index) pairs in the new list's order, and the
    indexes of the old items left (removed) and of the new ones left (added). The lists
    are bounded by the format's limits, so comparing every pair costs a bounded time.
    """
    pairs: list[tuple[int, int]] = []
    old_left = list(range(len(old)))
    new_left = list(range(len(new)))
    for key in keys:
        index: dict[Hashable, deque[int]] = defaultdict(deque)
        for j in new_left:
            if (k := key(new[j])) is not None:
                index[k].append(j)
        still: list[int] = []
        for i in old_left:
            k = key(old[i])
            candidates = index.get(k) if k is not None else None
            if candidates:
                pairs.append((i, candidates.popleft()))
            else:
                still.append(i)
        matched = {j for _, j in pairs}
        old_left, new_left = still, [j for j in new_left if j not in matched]
    if similar is not None and old_left and new_left:
        scored = [(-s, i, j) for i in old_left for j in new_left if (s := similar(old[i], new[j])) >= TEXT_SIMILARITY]
        for _, i, j in sorted(scored):
            if i in old_left and j in new_left:
                pairs.append((i, j))
                old_left.remove(i)
                new_left.remove(j)
    return sorted(pairs, key=lambda p: p[1]), old_left, new_left


def _parts(old: Any, new: Any) -> tuple[str, ...]:
    return tuple(f.name for f in fields(old) if getattr(old, f.name) != getattr(new, f.name))


def _reordered(pairs: list[tuple[int, int]]) -> bool:
    olds = [i for i, _ in pairs]
    return olds != sorted(olds)


def _list_changes(
    name: str,
    old: Sequence[Any],
    new: Sequence[Any],
    keys: Iterable[Callable[[Any], Hashable]],
    similar: Callable[[Any, Any], float] | None = None,
) -> list[tuple[Change, int | None]]:
    """The changes of one list field, each with the new item's position (to check it)."""
    pairs, removed, added = _pair(old, new, keys, similar)
    changes: list[tuple[Change, int | None]] = []
    for i, j in pairs:
        if old[i] != new[j]:
            parts = _parts(old[i], new[j]) if is_dataclass(old[i]) else ()
            changes.append((Change(name, "changed", old[i], new[j], parts), j))
    changes += [(Change(name, "added", None, new[j]), j) for j in added]
    changes += [(Change(name, "removed", old[i], None), None) for i in removed]
    if _reordered(pairs):
        changes.append((Change(name, "reordered"), None))
    return changes


def _same(value: T) -> T:
    return value


def _compare(old: _Read, new: _Read) -> list[tuple[Change, int | None]]:
    """Every field added, removed or changed from `old` to `new`, in the order of the format's keys."""
    changes: list[tuple[Change, int | None]] = []

    def scalar(name: str) -> None:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            change: Literal["added", "removed", "changed"] = (
                "added" if a is None else "removed" if b is None else "changed"
            )
            changes.append((Change(name, change, a, b), None))

    for name in ("title", "date", "updated", "location", "story"):
        scalar(name)
    changes += _list_changes("topics", old.topics, new.topics, [_same])
    changes += _list_changes("authors", old.authors, new.authors, [_same])
    if old.draft != new.draft:
        changes.append((Change("draft", "changed", old.draft, new.draft), None))
    scalar("publish_at")
    scalar("retracted")
    changes += _list_changes("unchecked", old.unchecked, new.unchecked, [_same])
    scalar("summary")
    scalar("why")
    changes += _list_changes("who", old.who, new.who, [lambda a: a.id, lambda a: a.name])
    changes += _list_changes("what", old.what, new.what, [_same], _similarity)
    old_figures = [f for _, f in old.numbers]
    new_figures = [f for _, f in new.numbers]
    changes += _list_changes(
        "numbers", old_figures, new_figures, [lambda f: f.label], lambda a, b: _similarity(a.label, b.label)
    )
    changes += _list_changes(
        "quotes",
        [q for _, q in old.quotes],
        [q for _, q in new.quotes],
        [lambda q: (q.speaker, q.text), lambda q: q.text],
        lambda a, b: _similarity(a.text, b.text) if a.speaker == b.speaker else 0.0,
    )
    changes += _list_changes("next", old.next, new.next, [lambda n: n.text], lambda a, b: _similarity(a.text, b.text))
    changes += _list_changes("sources", old.sources, new.sources, [lambda s: s.id, lambda s: s.url, lambda s: s.file])
    changes += _list_changes(
        "corrections",
        old.corrections,
        new.corrections,
        [lambda c: (c.date, c.text), lambda c: c.text],
        lambda a, b: _similarity(a.text, b.text) if a.date == b.date else 0.0,
    )
    return changes


def _added(new: _Read) -> list[tuple[Change, int | None]]:
    """An added briefing whole, field by field in the order of the format's keys: everything a reader
    will see, each figure and quote with whether it verifies."""
    changes: list[tuple[Change, int | None]] = []
    for name in ("title", "date", "updated", "location", "story"):
        if getattr(new, name) is not None:
            changes.append((Change(name, "added", None, getattr(new, name)), None))
    changes += [(Change("topics", "added", None, topic), None) for topic in new.topics]
    changes += [(Change("authors", "added", None, author), None) for author in new.authors]
    for name in ("publish_at", "retracted"):
        if getattr(new, name) is not None:
            changes.append((Change(name, "added", None, getattr(new, name)), None))
    changes += [(Change("unchecked", "added", None, mark), None) for mark in new.unchecked]
    for name in ("summary", "why"):
        if getattr(new, name) is not None:
            changes.append((Change(name, "added", None, getattr(new, name)), None))
    changes += [(Change("who", "added", None, actor), None) for actor in new.who]
    changes += [(Change("what", "added", None, text), None) for text in new.what]
    changes += [(Change("numbers", "added", None, figure), j) for j, (_, figure) in enumerate(new.numbers)]
    changes += [(Change("quotes", "added", None, quote), j) for j, (_, quote) in enumerate(new.quotes)]
    changes += [(Change("next", "added", None, step), None) for step in new.next]
    changes += [(Change("sources", "added", None, source), None) for source in new.sources]
    changes += [(Change("corrections", "added", None, correction), None) for correction in new.corrections]
    return changes


# --- provenance -----------------------------------------------------------------------------

_PROVENANCE = re.compile(r"(quotes|numbers)\[(\d+)\]\.(text|evidence|value)\Z")


def _provenance(findings: list[Finding]) -> dict[tuple[str, int], Finding]:
    """The checker's findings on whether a quote or figure stands in its source, by (list, index)."""
    found: dict[tuple[str, int], Finding] = {}
    for finding in findings:
        match = _PROVENANCE.match(finding.field)
        if match is None:
            continue
        if finding.severity == "warning" and not (
            finding.message.startswith("unverified") or "appears nowhere" in finding.message
        ):
            continue  # a placeholder, say: not about the source
        found.setdefault((match.group(1), int(match.group(2))), finding)
    return found


def _files(read: _Read, source_id: str | None) -> list[str] | None:
    """The source files an item is checked against; None when it names no source there is."""
    if source_id is None:
        return [s.file for s in read.sources if s.file]
    for source in read.sources:
        if source.id == source_id:
            return [source.file] if source.file else []
    return None


def _holds(seeds: Seeds, file: str, item: Figure | Quote) -> bool:
    if seeds.problem(file) is not None:
        return False
    if isinstance(item, Quote):
        return contains(seeds.text(file), normalize(item.text))
    if item.evidence is not None:
        return contains(seeds.text(file), normalize(item.evidence))
    return item.value in seeds.numbers(file)


def _check(item: Figure | Quote, finding: Finding | None, read: _Read, seeds: Seeds) -> Check:
    files = _files(read, item.source)
    if finding is not None:
        if finding.severity == "warning" and finding.message.startswith("unverified"):
            return Check("unverified", (), finding)
        status: CheckStatus = "not-stated" if "does not state" in finding.message else "not-found"
        return Check(status, tuple(files or ()), finding)
    if files == []:
        return Check("unverified")
    found = tuple(f for f in files or () if _holds(seeds, f, item))
    # No finding and not found: the checker did not check it, as its source is in error.
    return Check("verified", found) if found else Check("not-checked", tuple(files or ()))


def _with_checks(
    changes: list[tuple[Change, int | None]], version: _Version, findings: list[Finding], seeds: Seeds
) -> tuple[list[Change], list[Finding]]:
    """Each added or changed quote and figure with its check; and the findings not told on one."""
    read = version.read
    assert read is not None
    by_item = _provenance(findings)
    told: set[Finding] = set()
    done: list[Change] = []
    for change, j in changes:
        if change.field in ("numbers", "quotes") and j is not None:
            index, item = (read.numbers if change.field == "numbers" else read.quotes)[j]
            finding = by_item.get((change.field, index))
            if finding is not None:
                told.add(finding)
            change = Change(
                change.field, change.change, change.old, change.new, change.parts, _check(item, finding, read, seeds)
            )
        done.append(change)
    return done, [f for f in findings if f not in told]
