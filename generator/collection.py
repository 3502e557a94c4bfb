"""A collection of briefings: find the files, check each, then check them against each other."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.findings import Finding
from generator.model import Briefing
from generator.validate import CheckedFile, check_file
from generator.verify import Seeds

BRIEFINGS_DIR = "briefings"
SUFFIXES = (".yaml", ".yml")


@dataclass
class Collection:
    """Every checked file, in path order, and every finding, sorted."""

    files: list[CheckedFile]
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    @property
    def briefings(self) -> list[Briefing]:
        """The briefings of files with no error, drafts included."""
        return [f.briefing for f in self.files if f.briefing is not None]


def find_files(paths: Iterable[Path]) -> list[Path]:
    """Briefing files named by `paths`: files as given, folders searched recursively."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                # Any case: `X.YAML` is found, and then told that its name is wrong.
                found.extend(
                    Path(folder, n)
                    for n in sorted(names)
                    if n.lower().endswith(SUFFIXES) and os.path.isfile(os.path.join(folder, n))
                )
        else:
            found.append(path)
    return found


def shown_path(path: Path, cwd: str) -> str:
    """A path as findings print it: relative to the working directory `cwd` when inside it."""
    absolute = os.path.abspath(path)
    shown = absolute[len(cwd) + 1 :].replace(os.sep, "/") if absolute.startswith(cwd + os.sep) else path.as_posix()
    return shown


def check_collection(paths: Iterable[Path], root: Path) -> Collection:
    """Check every file, then the rules that span files (unique slugs, consistent actors)."""
    seeds = Seeds(root)
    cwd = os.getcwd()
    files = [check_file(path, shown_path(path, cwd), seeds) for path in find_files(paths)]
    files.sort(key=lambda f: f.path)
    collection = Collection(files)
    findings = [f for checked in files for f in checked.findings]
    findings.extend(_across(files))
    collection.findings = sorted(findings)
    for checked in files:
        if not checked.ok or any(f.path == checked.path and f.severity == "error" for f in findings):
            checked.briefing = None
    return collection


def _across(files: list[CheckedFile]) -> list[Finding]:
    findings: list[Finding] = []
    by_slug: dict[str, CheckedFile] = {}
    for checked in files:
        first = by_slug.setdefault(checked.slug, checked)
        if first is not checked:
            findings.append(
                Finding(checked.path, 1, 1, "error", "file name", f"slug '{checked.slug}' is also used by {first.path}")
            )
    kinds: dict[str, tuple[str, str]] = {}
    for checked in files:
        if checked.briefing is None:
            continue
        for index, actor in enumerate(checked.briefing.who):
            line, column = checked.marks.get(f"who[{index}].kind") or checked.marks[f"who[{index}]"]
            seen = kinds.setdefault(actor.id, (actor.kind, f"{checked.path}:{line}:{column}"))
            if seen[0] != actor.kind:
                findings.append(
                    Finding(
                        checked.path,
                        line,
                        column,
                        "error",
                        f"who[{index}].kind",
                        f"actor '{actor.id}' is {_a(actor.kind)} here but {_a(seen[0])} in {seen[1]}",
                    )
                )
    return findings


def _a(kind: str) -> str:
    """`a person`, `an organization`."""
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
