"""`briefing diff`: what changed in the briefings since a git revision, in a newsroom's words.

The briefings at a revision BASE are read with git itself (`git ls-tree`, `git cat-file
--batch`), never by checking anything out, and compared with the briefings of the working
tree as they are on disk, uncommitted changes included. The outcome is a list of briefings
added, removed, renamed and changed, and in each the fields added, removed or changed,
with whether each added or changed quote and figure still verifies against its source.

Decisions (docs/format.md words them for editors):

- **The base.** BASE when given. Otherwise the merge base of HEAD with the default
  branch: the first of `origin/HEAD`, `origin/main`, `origin/master`, `main` and `master`
  that exists, so that a pull request is compared with where it started.
- **Renames.** A briefing removed at one path and added at another is a rename when,
  in this order: the two files hold the same bytes (line endings aside); or they have the
  same title; or their file names start with the same date and at least 60% of their
  lines (blank lines and comments aside, each line trimmed) are the same. Several
  candidates: the earlier path first, and for similar text the most similar pair first.
  So that the cost stays linear, a removed file is compared with at most 20 added files of
  its date: those that share the most of its rare lines (lines in at most 8 of the files).
- **Matching items** between the two versions of a briefing: actors by id, then by name;
  figures by label, then by a similar label; quotes by speaker and text, then by text,
  then by a similar text of the same speaker; developments and next steps by text, then
  by a similar text; sources by id, then by url, then by file; corrections by date and
  text, then by text, then by a similar text on the same date; topics and authors by
  their text. Two texts are similar when at least half of their words are the same (in
  lowercase, punctuation aside, each counted as often as both texts have it, in any order:
  linear in the texts, whatever they repeat). What is left is added or removed.
- **Provenance** is the checker's: the working tree's version of each changed briefing is
  checked with `validate.check_bytes` against the working tree's `seeds/`, and its findings
  on `quotes[i].text`, `numbers[i].evidence` and `numbers[i].value` are told on the items.
- **A file that cannot be read** (not UTF-8, not YAML, not a mapping) is listed with its
  findings. A version that can be read but has errors is compared as far as it is sound,
  and its findings are listed with it.
- An added briefing is listed whole, field by field, each figure and quote with whether it
  verifies; a removed one with its headline.
- **Every other path** that changed outside briefings/ is listed (`git diff --raw` against
  the base, and the untracked files git does not ignore; an untracked file with the bytes of
  a deleted one is that file renamed), grouped: code, build and CI (anything else) for a
  maintainer; pages and theme (`docs/`, `overrides/`, `mkdocs.yml`); source texts (`seeds/`).
- **A changed source text**: the briefings citing it on each side, and for a text that
  changed, each quote and figure (of the working tree's briefings) whose receipt sentence
  (`receipts.receipt`, as the site shows it) or whose verification changes from the base's
  text to the working tree's.
- **Actors**: when what the changed briefings say of their actors changed, the name each of
  their ids shows across the site (`joins.shown_name`) at the base and now; a change is a
  rename, with the briefings naming the id.
- **Output**: every value isolated (FSI … PDI) in text and Markdown; in Markdown every ASCII
  punctuation escaped and a WORD JOINER where GitHub would make a link.

The package, in the order the comparison runs: `git` (git itself: the base, `changed_paths`),
`versions` (the briefings at the base and in the working tree, each read as far as it is sound),
`renames`, `compare` (matching items, provenance), `paths` (every other path), `seeds` (changed
source texts), `actors`; `model` holds the outcome; `markdown` writes it as text or Markdown (with
`style`), `jsondata` as JSON; `siterender` is what they take from the site's renderer.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.format.findings import Finding
from generator.newsroom.diff.actors import _actor_renames
from generator.newsroom.diff.compare import TEXT_SIMILARITY, _added, _compare, _with_checks
from generator.newsroom.diff.git import DEFAULT_BRANCHES, _git_line, changed_paths, resolve_base
from generator.newsroom.diff.jsondata import to_json
from generator.newsroom.diff.markdown import NAMED, render_diff
from generator.newsroom.diff.model import (
    MODES,
    PATH_GROUPS,
    ActorRename,
    BriefingChanges,
    Change,
    Changes,
    Check,
    CheckStatus,
    DiffError,
    PathChange,
    PathGroup,
    PathStatus,
    SeedChange,
    SourceItem,
    Status,
    readable,
)
from generator.newsroom.diff.paths import _other_paths
from generator.newsroom.diff.renames import RARE_LINE, RENAME_CANDIDATES, RENAME_SIMILARITY, _renames
from generator.newsroom.diff.seeds import OPENING, _seed_changes
from generator.newsroom.diff.style import FSI, PDI, WJ
from generator.newsroom.diff.versions import _base, _Read, _read, _Version, _working_tree
from generator.rules.collection import FILE_FIELD
from generator.rules.validate import check_bytes
from generator.rules.verify import Seeds

__all__ = [
    "DEFAULT_BRANCHES",
    "FSI",
    "MODES",
    "NAMED",
    "OPENING",
    "PATH_GROUPS",
    "PDI",
    "RARE_LINE",
    "RENAME_CANDIDATES",
    "RENAME_SIMILARITY",
    "TEXT_SIMILARITY",
    "WJ",
    "ActorRename",
    "BriefingChanges",
    "Change",
    "Changes",
    "Check",
    "CheckStatus",
    "DiffError",
    "PathChange",
    "PathGroup",
    "PathStatus",
    "SeedChange",
    "SourceItem",
    "Status",
    "briefing_diff",
    "changed_paths",
    "readable",
    "render_diff",
    "resolve_base",
    "to_json",
]


def briefing_diff(root: Path, base: str | None) -> Changes:
    """Compare the briefings at revision `base` (default: see `resolve_base`) with the working tree."""
    root = Path(os.path.abspath(root))
    commit, label = resolve_base(root, base)
    short = _git_line(root, "rev-parse", "--short", commit) or commit[:7]
    old = _base(root, commit)
    new = _working_tree(root)
    seeds = Seeds(root)
    changes = Changes(base, label, commit, short)

    memo: dict[bytes, _Read | None] = {}

    def prepare(version: _Version) -> _Version:
        """A version read once (the same bytes on both sides are read once too)."""
        if version.data is not None and version.read is None and not version.checked:
            if version.data not in memo:
                memo[version.data] = _read(version.data)
            version.read = memo[version.data]
            version.checked = True
        return version

    def reading(version: _Version) -> _Read | None:
        return prepare(version).read

    pairs: list[tuple[_Version | None, _Version | None, str | None]] = []
    for path in sorted(old.keys() & new.keys()):
        if old[path].same_text != new[path].same_text or old[path].problem != new[path].problem:
            pairs.append((old[path], new[path], None))
    removed = [prepare(old[p]) for p in sorted(old.keys() - new.keys())]
    added = [prepare(new[p]) for p in sorted(new.keys() - old.keys())]
    renamed = _renames(removed, added)
    taken = {v.path for pair in renamed for v in pair[:2]}
    pairs += [(a, b, why) for a, b, why in renamed]
    pairs += [(v, None, None) for v in removed if v.path not in taken]
    pairs += [(None, v, None) for v in added if v.path not in taken]
    for a, b, why in pairs:
        changes.briefings.append(_briefing(a and prepare(a), b and prepare(b), why, short, seeds))
    changes.briefings.sort(key=lambda b: (b.key, b.old_path or ""))
    changes.paths, blobs = _other_paths(root, commit)
    changes.seeds = _seed_changes(root, changes.paths, blobs, old, new, reading, seeds)
    changes.actors = _actor_renames(pairs, old, new, reading)
    return changes


def _findings(version: _Version, shown: str, seeds: Seeds) -> list[Finding]:
    if version.data is None:
        return [Finding(shown, 1, 1, "error", FILE_FIELD, version.problem or "cannot be read")]
    return check_bytes(version.data, version.name, shown, seeds).findings


def _briefing(
    old: _Version | None, new: _Version | None, rename: str | None, short: str, seeds: Seeds
) -> BriefingChanges:
    entry = _entry(old, new, rename)
    if old is not None and old.read is None and new is not None:
        entry.base_findings = _findings(old, f"{short}:{old.path}", seeds)
    if new is None:
        return entry
    findings = _findings(new, new.path, seeds)
    if new.read is None:
        entry.findings = findings
        return entry
    raw = _compare(old.read, new.read) if old is not None and old.read is not None else _added(new.read)
    entry.changes, entry.findings = _with_checks(raw, new, findings, seeds)
    return entry


def _entry(old: _Version | None, new: _Version | None, rename: str | None) -> BriefingChanges:
    """A briefing's entry, its changes yet to tell: its status, paths and headline (the working tree's, else the
    base's), whether it is a draft, and whether each version could be read."""
    status: Status = "renamed" if rename else "changed" if old and new else "added" if new else "removed"
    titled = new.read if new is not None and new.read is not None else old.read if old is not None else None
    return BriefingChanges(
        status,
        new.path if new else None,
        old.path if old else None,
        titled.title if titled is not None else None,
        rename,
        draft=bool(titled and titled.draft),
        readable=None if new is None else new.read is not None,
        base_readable=None if old is None else old.read is not None,
    )
