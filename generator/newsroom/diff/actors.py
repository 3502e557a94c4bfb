"""Actors renamed across the site: when what the changed briefings say of their actors changed, the name each
of their ids shows (`joins.shown_name`) at the base and now.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from generator.newsroom.diff.model import ActorRename, _slug
from generator.newsroom.diff.versions import _Read, _Version
from generator.site.joins import Spelling, shown_name


def _published(read: _Read | None) -> bool:
    return read is not None and read.title is not None and read.date is not None and not read.draft


def _uses(path: str, read: _Read | None) -> list[tuple[str, str, dt.date, str]]:
    """What a briefing adds to the names shown for its actors: (id, name, date, slug) per actor."""
    if read is None or not _published(read) or read.date is None:
        return []
    return sorted({(a.id, a.name, read.date, _slug(path)) for a in read.who})


def _census(
    versions: Iterable[tuple[str, _Read | None]], ids: set[str]
) -> tuple[dict[str, dict[str, Spelling]], dict[str, list[str]]]:
    """For each of `ids`, its spellings across these briefings (`joins.Spelling`), and the briefings naming it."""
    spellings: dict[str, dict[str, Spelling]] = defaultdict(dict)
    named: dict[str, list[str]] = defaultdict(list)
    for path, read in versions:
        for actor_id, name, day, slug in _uses(path, read):
            if actor_id in ids:
                count, earliest = spellings[actor_id].get(name, (0, (day, slug)))
                spellings[actor_id][name] = (count + 1, min(earliest, (day, slug)))
                if not named[actor_id] or named[actor_id][-1] != path:
                    named[actor_id].append(path)
    return spellings, named


def _actor_renames(
    pairs: list[tuple[_Version | None, _Version | None, str | None]],
    old: dict[str, _Version],
    new: dict[str, _Version],
    reading: Callable[[_Version], _Read | None],
) -> list[ActorRename]:
    """The ids whose shown name the changed briefings change. Only when what the changed briefings say
    of their actors changed (names, ids, dates, file names, drafts) is every briefing read for it."""
    was = Counter(u for a, _, _ in pairs if a is not None for u in _uses(a.path, reading(a)))
    now = Counter(u for _, b, _ in pairs if b is not None for u in _uses(b.path, reading(b)))
    if was == now:
        return []
    ids = {u[0] for u in (was - now) + (now - was)}
    before, _ = _census(((v.path, reading(v)) for v in old.values()), ids)
    after, named = _census(((p, reading(new[p])) for p in sorted(new)), ids)
    renames = []
    for actor_id in sorted(ids & before.keys() & after.keys()):
        a, b = shown_name(before[actor_id]), shown_name(after[actor_id])
        if a != b:
            renames.append(ActorRename(actor_id, a, b, tuple(named[actor_id])))
    return renames
