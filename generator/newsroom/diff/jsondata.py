"""The comparison as JSON data (`to_json`), with the same keys whatever changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, is_dataclass
from decimal import Decimal
from typing import Any

from generator.newsroom.diff.model import Change, Changes, PathChange, readable


def _plain(value: Any) -> Any:
    """A value as JSON data: records as objects of their written fields, figures' values as text."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return str(value)


def _change_json(change: Change) -> dict[str, Any]:
    check = change.check
    return {
        "field": change.field,
        "change": change.change,
        "old": _plain(change.old),
        "new": _plain(change.new),
        "parts": list(change.parts),
        "check": None
        if check is None
        else {
            "status": check.status,
            "files": list(check.files),
            "finding": check.finding.to_json() if check.finding else None,
        },
    }


def to_json(changes: Changes) -> dict[str, Any]:
    """The comparison as JSON data, with the same keys whatever changed."""
    return {
        "base": {
            "revision": changes.revision,
            "label": changes.label,
            "commit": changes.commit,
            "short": changes.short,
        },
        "counts": changes.counts(),
        "briefings": [
            {
                "status": entry.status,
                "path": readable(entry.path),
                "old_path": readable(entry.old_path),
                "slug": readable(entry.slug),
                "old_slug": readable(entry.old_slug),
                "title": entry.title,
                "draft": entry.draft,
                "rename": entry.rename,
                "readable": entry.readable,
                "base_readable": entry.base_readable,
                "changes": [_change_json(change) for change in entry.changes],
                "findings": [f.to_json() for f in entry.findings],
                "base_findings": [f.to_json() for f in entry.base_findings],
            }
            for entry in changes.briefings
        ],
        "paths": [_path_json(c) for c in changes.paths],
        "seeds": [
            {
                "path": e.path,
                "old_path": e.old_path,
                "status": e.change.status,
                "size": e.size,
                "old_size": e.old_size,
                "opening": e.opening,
                "problem": e.problem,
                "cited_by": [{"path": p, "title": t} for p, t in e.cited_by],
                "cited_before": [{"path": p, "title": t} for p, t in e.cited_before],
                "items": [
                    {
                        "briefing": i.briefing,
                        "title": i.title,
                        "field": i.field,
                        "text": i.text,
                        "was_verified": i.was,
                        "now_verified": i.now,
                        "old_sentence": i.old,
                        "new_sentence": i.new,
                    }
                    for i in e.items
                ],
            }
            for e in changes.seeds
        ],
        "actors": [
            {"id": a.id, "old_name": a.old, "new_name": a.new, "briefings": list(a.briefings)} for a in changes.actors
        ],
    }


def _path_json(change: PathChange) -> dict[str, Any]:
    return {
        "group": change.group,
        "status": change.status,
        "path": change.path,
        "old_path": change.old_path,
        "mode": change.mode,
        "old_mode": change.old_mode,
        "target": change.target,
        "old_target": change.old_target,
        "size": change.size,
    }
