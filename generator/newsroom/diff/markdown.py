"""The comparison in words: as text for a terminal or Markdown for a GitHub job summary (`render_diff`,
which also writes JSON), cut to fit a number of bytes when asked.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

from generator.format.model import Actor, Correction, Figure, NextStep, Quote, Retraction, Source
from generator.newsroom.diff.jsondata import to_json
from generator.newsroom.diff.model import (
    MODES,
    PATH_GROUPS,
    ActorRename,
    BriefingChanges,
    Change,
    Changes,
    PathChange,
    SeedChange,
)
from generator.newsroom.diff.siterender import figure_value
from generator.newsroom.diff.style import _shown, _Style

_NOUNS = {
    "title": "headline",
    "date": "date",
    "updated": "updated",
    "location": "dateline",
    "story": "story",
    "topics": "topic",
    "authors": "author",
    "unchecked": "mark of what a person has not checked",
    "summary": "summary",
    "why": "why it matters",
    "who": "actor",
    "what": "development",
    "numbers": "figure",
    "quotes": "quote",
    "next": "next step",
    "sources": "source",
    "corrections": "correction",
}
_PLURALS = {"who": "actors", "what": "developments", "next": "next steps", "numbers": "figures"}
#: Texts longer than this (both sides together) are shown on lines of their own: was, now.
_SHORT = 90


def _figure(figure: Figure) -> str:
    """A figure's value as the site shows it, with its unit: `about 100 planes`, `90%`."""
    unit = f" {figure.unit}" if figure.unit and figure.unit != "%" else ""
    return figure_value(figure) + unit


def _with_label(values: str, figure: Figure, s: _Style) -> str:
    """`270 → 280 sites targeted`; with a unit, the label in brackets: `100 planes (Israeli planes ...)`."""
    return f"{values} ({s.t(figure.label)})" if figure.unit else f"{values} {s.t(figure.label)}"


def _item(field: str, item: Any, s: _Style) -> str:
    """An item of a list, in a few words."""
    if isinstance(item, Actor):
        return f"{s.t(item.name)} ({'; '.join(s.t(x) for x in (item.kind, item.role) if x)}; id {s.t(item.id)})"
    if isinstance(item, Figure):
        return _with_label(s.t(_figure(item)), item, s) + (", a lead figure" if item.lead else "")
    if isinstance(item, Quote):
        return f"{s.q(item.text)} ({s.t(item.speaker)})"
    if isinstance(item, NextStep):
        extra = [s.t(x) for x in (item.when, item.who) if x is not None]
        return s.q(item.text) + (f" ({'; '.join(extra)})" if extra else "")
    if isinstance(item, Source):
        where = [s.t(x) for x in (item.file, item.url) if x]
        return f"{s.t(item.id)}: {s.q(item.title)}" + (f" ({', '.join(where)})" if where else "")
    if isinstance(item, Correction):
        return f"{s.t(item.date)}: {s.q(item.text)}"
    return s.q(item)


def _part(name: str, old: object, new: object, s: _Style) -> str:
    if old is None:
        return f"{name} added: {s.q(new)}"
    if new is None:
        return f"{name} removed: {s.q(old)}"
    return f"{name} {s.q(old)} → {s.q(new)}"


#: The text of each kind of item that is shown on a line of its own when it changed.
_MAIN_TEXT = {"quotes": "text", "next": "text", "corrections": "text"}


def _describe(change: Change, s: _Style) -> tuple[str, list[str]]:
    """A change as a line, and the lines under it (was/now of a long text, the check)."""
    name = change.field
    noun = _NOUNS.get(name, name)
    old, new = change.old, change.new
    if change.change == "reordered":
        return f"{_PLURALS.get(name, noun + 's')} reordered", []
    if name == "draft":
        if new:
            return "now a draft: it will not be published", []
        return "no longer a draft: it will be published", []
    if name == "retracted":
        if isinstance(new, Retraction):
            return (
                f"{s.strong('RETRACTED')} on {s.t(new.date.isoformat())}: the page becomes a notice and the briefing"
                " leaves every list, search and the sitemap",
                [f"reason: {s.q(new.reason)}"],
            )
        return "no longer retracted: it will be published again", []
    if name == "publish_at":
        if isinstance(new, dt.datetime):
            return f"embargoed until {s.t(new.isoformat())}: not published before then", []
        return "embargo removed: published by the next build", []
    if change.change in ("added", "removed"):
        value = new if change.change == "added" else old
        return f"{noun} {change.change}: {_item(name, value, s)}", _checked(change, s)
    if name in ("who", "numbers", "quotes", "next", "sources", "corrections"):
        return _record(change, s)
    # A field of one value, or a text of a list (a development).
    if name in ("date", "updated") or len(_shown(old)) + len(_shown(new)) <= _SHORT:
        return f"{noun} changed: {s.q(old)} → {s.q(new)}", []
    return f"{noun} changed:", [f"was: {s.q(old)}", f"now: {s.q(new)}"]


def _record(change: Change, s: _Style) -> tuple[str, list[str]]:
    """A changed item of a list of records."""
    name, old, new = change.field, change.old, change.new
    noun = _NOUNS[name]
    under: list[str] = []
    parts = list(change.parts)
    if isinstance(new, Figure):
        value_parts = {"value", "qualifier", "unit"}
        values = s.t(_figure(new))
        if value_parts & set(parts):
            values = f"{s.t(_figure(old))} → {values}"
        head = f"{noun} changed: {_with_label(values, new, s)}"
        if "lead" in parts:  # a flag, worded: shown at a glance or not
            under_head = "now a lead figure, shown at a glance" if new.lead else "no longer a lead figure"
            head += f"; {under_head}"
        parts = [p for p in parts if p not in value_parts and p != "lead"]
    elif isinstance(new, Actor):
        head = f"{noun} changed: {s.t(new.name)}"
    elif isinstance(new, Source):
        head = f"{noun} changed: {s.t(new.id)}"
    else:
        main = _MAIN_TEXT[name]
        head = f"{noun} changed: {_item(name, new, s)}"
        if main in parts:
            under.append(f"was: {s.q(getattr(old, main))}")
            parts.remove(main)
    details = [_part(p, getattr(old, p), getattr(new, p), s) for p in parts]
    if details:
        head += "; " + "; ".join(details)
    return head, under + _checked(change, s)


def _checked(change: Change, s: _Style) -> list[str]:
    check = change.check
    if check is None:
        return []
    files = " or ".join(s.path(f) for f in check.files)
    if check.status == "verified":
        return [f"verified in {files}"]
    if check.status == "unverified":
        return ["unverified (no source text)"]
    if check.status == "not-checked":
        return ["not checked: its source is in error (see the problems below)"]
    if check.status == "not-stated":
        value = s.t(change.new.value) if isinstance(change.new, Figure) else "the value"
        return [f"{s.strong('NOT verified')}: the evidence, found in {files}, does not state {value}"]
    if isinstance(change.new, Figure) and change.new.evidence is None:
        return [f"{s.strong('NOT found')} in {files}: no evidence given, and the value appears nowhere there"]
    return [f"{s.strong('NOT found')} in {files}"]


def _header(entry: BriefingChanges, s: _Style) -> tuple[str, list[str]]:
    """The heading of a briefing and the lines under it: paths, address, readability."""
    title = s.q(entry.title) if entry.title is not None else s.path(entry.slug or entry.old_slug)
    heading = f"{entry.status.capitalize()}: {title}"
    if entry.draft:
        heading += " (draft)"
    lines = []
    if entry.status == "renamed":
        lines.append(f"{s.path(entry.old_path)} → {s.path(entry.path)} ({entry.rename})")
        if entry.old_slug != entry.slug:
            lines.append(f"address changed: /briefings/{s.path(entry.old_slug)}/ → /briefings/{s.path(entry.slug)}/")
    else:
        lines.append(s.path(entry.key))
    if entry.base_readable is False:
        lines.append("the version at the base could not be read" + (":" if entry.base_findings else ""))
    if entry.readable is False:
        lines.append("could not be read:")
    elif entry.status == "changed" and entry.base_readable and not entry.changes:
        lines.append("no change a reader would see (comments or layout only)")
    return heading, lines


def _finding_lines(entry: BriefingChanges, s: _Style) -> list[str]:
    lines = [s.path(f.format()) for f in entry.base_findings]
    if entry.findings:
        if entry.readable:
            lines.append("problems in this version:")
        lines += [s.path(f.format()) for f in entry.findings]
    return lines


_GROUP_HEADINGS = {
    "code": "Code, build and CI: a maintainer must review these",
    "pages": "Pages and theme",
    "seeds": "Source texts",
}
_GROUP_NOUNS = {"code": "of code, build and CI", "pages": "of pages and theme", "seeds": "source text"}
#: At most this many briefings are named under a renamed actor (JSON names them all).
NAMED = 20


def _summary(changes: Changes) -> str:
    counts = [f"{n} {status}" for status, n in changes.counts().items() if n]
    text = ", ".join(counts) if counts else "no briefing changed"
    grouped = Counter(c.group for c in changes.paths)
    others = []
    for group in PATH_GROUPS:
        if grouped[group]:
            n = grouped[group]
            others.append(
                f"{n} {'path' if n == 1 else 'paths'} {_GROUP_NOUNS[group]}"
                if group != "seeds"
                else f"{n} source {'text' if n == 1 else 'texts'}"
            )
    if changes.actors:
        others.append(f"{len(changes.actors)} {'actor' if len(changes.actors) == 1 else 'actors'} renamed")
    return text + ("; " + ", ".join(others) if others else "")


def _kind(mode: str | None, target: str | None, size: int | None, s: _Style) -> str:
    if mode is None:
        return ""
    what = MODES.get(mode, f"mode {mode}")
    if mode == "120000":
        return f"{what} to {s.path(target)}" if target is not None else what
    return f"{what}, {size:,} {'byte' if size == 1 else 'bytes'}" if size is not None else what


def _path_line(change: PathChange, s: _Style) -> str:
    """`added: pip/__init__.py (file, 12 bytes)`, `renamed: a → b`, `modified: x (file → symbolic link to y)`."""
    where = s.path(change.path)
    if change.old_path is not None:
        where = f"{s.path(change.old_path)} → {where}"
    old, new = _kind(change.old_mode, change.old_target, None, s), _kind(change.mode, change.target, change.size, s)
    if change.status == "deleted":
        detail = old
    elif change.status == "added" or old == new or not old or change.old_mode == change.mode:
        detail = new
    else:
        detail = f"{old} → {new}"
    return f"{change.status}: {where}" + (f" ({detail})" if detail else "")


def _verified(state: bool | None) -> str:
    return {True: "verified", False: "NOT found", None: "no text"}[state]


def _cited(label: str, citers: list[tuple[str, str | None]], s: _Style) -> list[str]:
    if not citers:
        return [f"{label}: no briefing"]
    shown = [f"{s.path(p)}" + (f" ({s.q(t)})" if t is not None else "") for p, t in citers[:NAMED]]
    more = [f"and {len(citers) - NAMED:,} more"] if len(citers) > NAMED else []
    return [f"{label}:", *(f"  {x}" for x in shown + more)]


def _seed_lines(entry: SeedChange, s: _Style) -> tuple[str, list[str]]:
    """A changed source text as a line, and the lines under it."""
    head = _path_line(entry.change, s)
    under: list[str] = []
    if entry.change.status == "added" and entry.opening is not None:
        under.append(f"opening line: {s.q(entry.opening)}")
    if entry.problem is not None:
        under.append(f"{s.strong('cannot be used as a source')}: {s.t(entry.problem)}")
    if entry.change.status == "deleted":
        under += _cited("was cited by", entry.cited_before, s)
        if entry.cited_by:
            under += _cited(s.strong("still cited by (their check fails)"), entry.cited_by, s)
    else:
        under += _cited("cited by", entry.cited_by, s)
    for item in entry.items:
        what = f"{s.path(item.field)} of {s.path(item.briefing)}: {s.q(item.text)}"
        if item.was != item.now:
            what += f": {_verified(item.was)} → {s.strong(_verified(item.now))}"
        else:
            what += ": its receipt changes"
        under.append(what)
        if item.old != item.new:
            under += [f"  was: {s.q(item.old) if item.old is not None else 'no receipt'}"]
            under += [f"  now: {s.q(item.new) if item.new is not None else 'no receipt'}"]
    return head, under


def _actor_lines(rename: ActorRename, s: _Style) -> tuple[str, list[str]]:
    head = f"{s.t(rename.id)}: {s.q(rename.old)} → {s.q(rename.new)}, on every page showing it"
    named = [s.path(p) for p in rename.briefings[:NAMED]]
    if len(rename.briefings) > NAMED:
        named.append(f"and {len(rename.briefings) - NAMED:,} more")
    return head, [
        f"named in {len(rename.briefings):,} {'briefing' if len(rename.briefings) == 1 else 'briefings'}:",
        *(f"  {x}" for x in named),
    ]


def _sections(changes: Changes, s: _Style) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """The parts before the briefings: each heading, and its lines each with the lines under it."""
    sections: list[tuple[str, list[tuple[str, list[str]]]]] = []
    for group in ("code", "pages"):
        listed: list[tuple[str, list[str]]] = [(_path_line(c, s), []) for c in changes.paths if c.group == group]
        if listed:
            heading = _GROUP_HEADINGS[group]
            sections.append((s.strong(heading) if group == "code" else heading, listed))
    if changes.actors:
        sections.append(("Actors renamed across the site", [_actor_lines(a, s) for a in changes.actors]))
    if changes.seeds:
        sections.append((_GROUP_HEADINGS["seeds"], [_seed_lines(e, s) for e in changes.seeds]))
    return sections


def _nested(lines: list[str], indent: str) -> list[str]:
    """Lines under an item as Markdown list items, each line indented by two spaces one level deeper."""
    out = []
    for line in lines:
        depth = (len(line) - len(line.lstrip(" "))) // 2
        out.append(f"{indent}{'  ' * depth}- {line.lstrip(' ')}")
    return out


def render_diff(changes: Changes, output: str, max_bytes: int | None = None, full_diff_at: str | None = None) -> str:
    """The comparison as `text` (a terminal), `markdown` (a GitHub job summary) or `json`.

    With `max_bytes`, text and Markdown are cut to fit that many bytes of UTF-8, before an item, and end
    with a note saying so and where the full diff is (`full_diff_at`).
    """
    if output == "json":
        if max_bytes is not None:
            raise ValueError("JSON is never cut: write it whole")
        return json.dumps(to_json(changes), ensure_ascii=False, indent=2) + "\n"
    if output not in ("text", "markdown"):
        raise ValueError(f"no such output format {output!r}")
    s = _Style(output == "markdown")
    since = f"{s.t(changes.label)} ({s.t(changes.short)})"
    if changes.empty:
        return f"No briefing changed since {since}.\n"
    lines = _markdown(changes, s, since) if s.markdown else _text(changes, s, since)
    text = "\n".join(lines).rstrip("\n") + "\n"
    if max_bytes is None or len(text.encode("utf-8")) <= max_bytes:
        return text
    return _cut(lines, max_bytes, s, full_diff_at)


def _markdown(changes: Changes, s: _Style, since: str) -> list[str]:
    what = "Briefings changed" if changes.briefings else "Changes"
    out = [f"## {what} since {since}", "", _summary(changes) + ".", ""]
    for heading, listed in _sections(changes, s):
        out += [f"### {heading}", ""]
        for head, under in listed:
            out += [f"- {head}", *_nested(under, "  ")]
        out.append("")
    for entry in changes.briefings:
        heading, lines = _header(entry, s)
        out += [f"### {heading}", ""]
        out += [f"{line}  " for line in lines[:-1]] + lines[-1:] + [""]
        items = []
        for change in entry.changes:
            head, under = _describe(change, s)
            items += [f"- {head}", *(f"  - {line}" for line in under)]
        problems = _finding_lines(entry, s)
        if problems and entry.readable:
            items += [f"- {problems[0]}", *(f"  - {line}" for line in problems[1:])]
        elif problems:
            items += [f"- {line}" for line in problems]
        out += [*items, ""] if items else []
    return out


def _text(changes: Changes, s: _Style, since: str) -> list[str]:
    what = "Briefings changed" if changes.briefings else "Changes"
    out = [f"{what} since {since}: {_summary(changes)}."]
    for heading, listed in _sections(changes, s):
        out += ["", heading]
        for head, under in listed:
            out += [f"  {head}", *(f"      {line}" for line in under)]
    for entry in changes.briefings:
        heading, lines = _header(entry, s)
        out += ["", heading, *(f"  {line}" for line in lines)]
        for change in entry.changes:
            head, under = _describe(change, s)
            out += [f"  - {head}", *(f"      {line}" for line in under)]
        problems = _finding_lines(entry, s)
        if problems and entry.readable:
            out += [f"  {problems[0]}", *(f"    {line}" for line in problems[1:])]
        else:
            out += [f"    {line}" for line in problems]
    return out


def _cut(lines: list[str], max_bytes: int, s: _Style, full_diff_at: str | None) -> str:
    """The most lines that fit in `max_bytes` with the note, cut before a blank line, a heading or an item
    at the top level (never between an item and the lines under it)."""
    where = full_diff_at or "run `briefing diff` for it"
    at = 0  # bytes of lines[:i]
    shown = 0
    for i, line in enumerate(lines):
        clean = not line or (line.startswith(("#", "- ")) if s.markdown else not line.startswith("   "))
        if clean and at + len(_cut_note(max_bytes, i, len(lines), where, s).encode("utf-8")) + 2 <= max_bytes:
            shown = i
        at += len(line.encode("utf-8")) + 1
        if at > max_bytes:
            break
    head = "\n".join(lines[:shown]).rstrip("\n")
    return f"{head}\n\n{_cut_note(max_bytes, shown, len(lines), where, s)}\n"


def _cut_note(max_bytes: int, shown: int, total: int, where: str, s: _Style) -> str:
    text = (
        f"This diff was cut here to fit {max_bytes:,} bytes ({shown:,} of its {total:,} lines shown)."
        f" The full diff: {where}."
    )
    return s.strong(text) if s.markdown else f"[{text}]"
