"""Renames: which removed and added briefing files are one briefing renamed, and why (see the package doc)."""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Callable, Hashable

from generator.newsroom.diff.versions import _Version

#: Files at least this alike (their lines, as multisets) may be one briefing renamed.
RENAME_SIMILARITY = 0.6
#: Each removed file is compared with at most this many added files of its date: those that share
#: the most of its rare lines, lines found in at most RARE_LINE of the removed and added files.
RENAME_CANDIDATES = 20
RARE_LINE = 8


# --- renames --------------------------------------------------------------------------------


def _lines(version: _Version) -> Counter[str]:
    text = (version.data or b"").decode("utf-8", "replace")
    return Counter(line for line in map(str.strip, text.splitlines()) if line and not line.startswith("#"))


def _alike(a: Counter[str], b: Counter[str]) -> float:
    total = a.total() + b.total()
    return 2 * (a & b).total() / total if total else 0.0


def _renames(removed: list[_Version], added: list[_Version]) -> list[tuple[_Version, _Version, str]]:
    """Pairs of a removed and an added file taken for one briefing renamed, and why (see the package doc)."""
    pairs: list[tuple[_Version, _Version, str]] = []
    taken: set[str] = set()
    _match(lambda v: v.same_text, "same content", removed, added, pairs, taken)
    _match(lambda v: v.read.title if v.read is not None else None, "same title", removed, added, pairs, taken)
    olds = [v for v in removed if v.path not in taken and v.data is not None]
    news = [v for v in added if v.path not in taken and v.data is not None]
    for _, _, _, old, new in _similar(olds, news):
        if old.path not in taken and new.path not in taken:
            pairs.append((old, new, "similar text"))
            taken.update((old.path, new.path))
    return pairs


def _match(
    key: Callable[[_Version], Hashable | None],
    why: str,
    removed: list[_Version],
    added: list[_Version],
    pairs: list[tuple[_Version, _Version, str]],
    taken: set[str],
) -> None:
    """Each removed file not taken yet paired with the first added one not taken with the same `key` (None matches
    nothing), in list order: the pairs, with `why`, added to `pairs`, and their paths to `taken`."""
    index: dict[Hashable, deque[_Version]] = defaultdict(deque)
    for new in added:
        k = key(new)
        if new.path not in taken and k is not None:
            index[k].append(new)
    for old in removed:
        k = key(old)
        if old.path in taken or k is None or not index.get(k):
            continue
        new = index[k].popleft()
        pairs.append((old, new, why))
        taken.update((old.path, new.path))


def _similar(olds: list[_Version], news: list[_Version]) -> list[tuple[float, str, str, _Version, _Version]]:
    """The removed and added files at least RENAME_SIMILARITY alike, most alike first (then by path): as
    (minus the score, old path, new path, old, new).

    Similar text: each removed file is compared with the added files of its date that share
    the most of its rare lines (lines in at most RARE_LINE of the files left), at most
    RENAME_CANDIDATES of them, so the cost stays linear however many files share a date.
    """
    lines = {v.path: _lines(v) for v in (*olds, *news)}
    spread = Counter(line for v in (*olds, *news) for line in lines[v.path])
    postings = _postings(news, lines, spread)
    scored: list[tuple[float, str, str, _Version, _Version]] = []
    for old in olds:
        shared: Counter[str] = Counter()
        candidates: dict[str, _Version] = {}
        for line in lines[old.path]:
            for new in postings.get((old.name[:10], line), ()) if spread[line] <= RARE_LINE else ():
                shared[new.path] += 1
                candidates[new.path] = new
        for path, _ in shared.most_common(RENAME_CANDIDATES):
            score = _alike(lines[old.path], lines[path])
            if score >= RENAME_SIMILARITY:
                scored.append((-score, old.path, path, old, candidates[path]))
    return sorted(scored, key=lambda s: s[:3])


def _postings(
    news: list[_Version], lines: dict[str, Counter[str]], spread: Counter[str]
) -> dict[tuple[str, str], list[_Version]]:
    """The added files by their date (their name's first ten characters) and each of their rare lines."""
    postings: dict[tuple[str, str], list[_Version]] = defaultdict(list)
    for new in news:
        for line in lines[new.path]:
            if spread[line] <= RARE_LINE:
                postings[new.name[:10], line].append(new)
    return postings
