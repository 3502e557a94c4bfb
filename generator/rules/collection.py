"""A collection of briefings: find the files, check each, then check them against each other.

Two ways in. `check_collection` checks exactly the files it is given (the site
build gives it all of `briefings/`). `check_named` checks some files against
the whole collection under `ROOT/briefings/`, as `briefing check FILE` does,
and keeps only the findings that involve the named files.

Nothing under `briefings/` is read before it is known to be a regular file
inside the repository: a symbolic link is followed only to a regular file
inside the repository root, never to a folder; FIFOs, sockets and devices are
never opened (a FIFO would block, a device never end). Each of these is one
error at its path.
"""

from __future__ import annotations

import dataclasses
import errno
import multiprocessing
import os
import re
import stat
import threading
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from generator.format.findings import Finding, Severity, got
from generator.format.model import Briefing
from generator.rules.addresses import collisions
from generator.rules.checkstore import KeptChecks, briefing_key
from generator.rules.validate import CheckedFile, check_bytes, check_file, read_limited
from generator.rules.verify import Seeds, source_folder

BRIEFINGS_DIR = "briefings"
SUFFIXES = (".yaml", ".yml")
#: The field of findings about a file as a whole: what it is, rather than what it holds.
FILE_FIELD = "file"

NOT_UNDER_BRIEFINGS = "not under briefings/: it will not be published"
SKIPPED_BY_THE_SITE = "the site does not read it (a hidden folder, or not *.yaml or *.yml): it will not be published"
THROUGH_A_FOLDER_LINK = "reached through a symbolic link to a folder, which is not followed: it will not be published"
NO_BRIEFING_FILES = "no briefing files (*.yaml, *.yml) in this folder"


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


def find_root(start: Path) -> Path | None:
    """The repository root, found as git finds its own: `start` or the first folder above it holding briefings/."""
    here = Path(os.path.abspath(start))
    for folder in (here, *here.parents):
        if (folder / BRIEFINGS_DIR).is_dir():
            return folder
    return None


def find_files(paths: Iterable[Path]) -> list[Path]:
    """Briefing files named by `paths`: files as given, folders searched recursively.

    A folder's *.yaml and *.yml entries are all returned, whatever they are (a FIFO,
    a dangling link: `file_problem` tells), and so are its symbolic links to folders,
    which are not followed. Hidden folders are skipped. A folder or a named path that
    is a symbolic link is returned as it is, not searched.
    """
    found: list[Path] = []
    for path in paths:
        if os.path.isdir(path) and not os.path.islink(path):
            found.extend(_walk(path))
        else:
            found.append(path)
    return found


def _walk(top: Path) -> list[Path]:
    found: list[Path] = []
    unreadable: list[Path] = []
    for folder, dirs, names in os.walk(top, onerror=lambda exc: unreadable.append(Path(exc.filename))):
        links = [d for d in dirs if not d.startswith(".") and os.path.islink(os.path.join(folder, d))]
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in links)
        # Any case: `X.YAML` is found, and then told that its name is wrong.
        entries = [n for n in names if n.lower().endswith(SUFFIXES)] + links
        found.extend(Path(folder, n) for n in sorted(entries))
    # A folder that cannot be listed is reported at its path (check_file: "cannot be read").
    return found + unreadable


def file_problem(path: Path, root: Path) -> str | None:
    """Why `path` cannot be read as a briefing, found without opening it; None when it can.

    A symbolic link is followed only to a regular file inside the repository `root`.
    """
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    link = stat.S_ISLNK(info.st_mode)
    if link:
        target = got(_readlink(path))
        try:
            info = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return f"a symbolic link loop {target}"
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                return f"a dangling symbolic link: what it points to does not exist {target}"
            return f"a symbolic link that cannot be followed: {exc.strerror or exc} {target}"
        if not _inside(os.path.realpath(path), os.path.realpath(root)):
            return f"a symbolic link to outside the repository {target}"
    if stat.S_ISREG(info.st_mode):
        return None
    if stat.S_ISDIR(info.st_mode):
        if link:
            return f"a symbolic link to a folder, which is not followed: move the files into briefings/ {target}"
        return "a folder that cannot be listed"
    what = _special(info.st_mode)
    return f"a symbolic link to {what}, not a regular file {target}" if link else f"{what}, not a regular file"


def _readlink(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "a special file"


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def shown_path(path: Path, cwd: str) -> str:
    """A path as findings print it: relative to the working directory `cwd` when inside it."""
    absolute = os.path.abspath(path)
    shown = absolute[len(cwd) + 1 :].replace(os.sep, "/") if absolute.startswith(cwd + os.sep) else path.as_posix()
    return shown


@dataclass
class CheckCache:
    """What one process (`mkdocs serve`) remembers between checks of the same collection.

    A file is checked again only when what `os.lstat` and `os.stat` say of it changed
    (inode, size, times, mode): its own check is kept, and the rules across files run
    again over all of them. A change anywhere under `seeds/` checks every file again.
    """

    #: By shown path: the file's identity, its check, and its briefing before the rules across files.
    files: dict[str, tuple[tuple[int, ...], CheckedFile, Briefing | None]] = field(default_factory=dict)
    seeds: Seeds | None = None
    seeds_identity: tuple[tuple[str, tuple[int, ...]], ...] | None = None
    #: Files checked, and files taken from the cache, by the last run.
    checked: int = 0
    reused: int = 0

    def seeds_for(self, root: Path) -> Seeds:
        """The source texts, read again (and every file checked again) when anything under seeds/ changed."""
        identity = _folder_identity(source_folder(root).path)
        if self.seeds is None or identity != self.seeds_identity or self.seeds.root != root:
            self.seeds, self.seeds_identity = Seeds(root), identity
            self.files.clear()
        return self.seeds


def _identity(path: Path | str) -> tuple[int, ...]:
    """What the file system says of a path, and of what it points to: () when it cannot say."""
    try:
        found = [os.lstat(path)]
        if stat.S_ISLNK(found[0].st_mode):
            found.append(os.stat(path))
    except OSError:
        return ()
    return tuple(x for s in found for x in (s.st_mode, s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns))


def _folder_identity(folder: Path) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Every entry under `folder` (links not followed) with its identity."""
    entries = [("", _identity(folder))]
    for current, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted([*dirs, *names]):
            path = os.path.join(current, name)
            entries.append((path, _identity(path)))
    return tuple(entries)


def check_collection(
    paths: Iterable[Path],
    root: Path,
    cache: CheckCache | None = None,
    kept: KeptChecks | None = None,
    seeds: Seeds | None = None,
) -> Collection:
    """Check every file, then the rules that span files (unique slugs, consistent actors).

    With a `cache`, a file unchanged since the cache's last run is not checked again; with `kept`,
    a file whose bytes and source texts are those of a check an earlier run kept (`checkstore`).
    The rules across files run over every file, every time. `seeds` reads the source texts (without a
    `cache`), when the caller reads them too.
    """
    if cache is not None:
        seeds = cache.seeds_for(root)
    elif seeds is None:
        seeds = Seeds(root)
    files, findings = _check(find_files(paths), root, seeds, cache=cache, kept=kept)
    return Collection(files, findings)


def check_named(paths: Iterable[Path], root: Path) -> Collection:
    """Check the files named by `paths` against the whole collection under `root`/briefings/.

    Every briefing of the collection is checked, so that the rules across files see
    them all; the result holds only the named files and the findings that involve
    them: their own, and a cross-file finding naming one of them. Such a finding is
    placed in the later file in path order; when only the earlier file is named, it
    is reported there instead, naming the later one. A named file that the site does
    not publish gets a warning saying so. A named folder with no briefing file in it
    is an error.
    """
    paths = list(paths)
    briefings = root / BRIEFINGS_DIR
    folder_problems: list[Finding] = []
    cwd = os.getcwd()
    for path in paths:
        if os.path.isdir(path) and not os.path.islink(path) and not find_files([path]):
            folder_problems.append(Finding(shown_path(path, cwd), 1, 1, "error", "", NO_BRIEFING_FILES))
    named = {_key(path): path for path in find_files(paths)}
    collected = {_key(path): path for path in find_files([briefings])} if os.path.lexists(briefings) else {}
    # A named file is checked once, under the path it was named by.
    to_check = [named.get(key, path) for key, path in collected.items()]
    to_check += [path for key, path in named.items() if key not in collected]
    seeds = Seeds(root)
    mirrors: dict[Finding, Finding] = {}
    files, findings = _check(to_check, root, seeds, mirrors)
    shown_named = {shown_path(path, cwd) for path in named.values()}
    # A problem with briefings/ itself (a symbolic link) concerns every file.
    kept = [*folder_problems, *_involving(findings, shown_named | {shown_path(briefings, cwd)}, mirrors)]
    for key, path in named.items():
        if key not in collected:
            problem = _unpublished(path, briefings)
            kept.append(Finding(shown_path(path, cwd), 1, 1, problem[0], FILE_FIELD, problem[1]))
    return Collection([f for f in files if f.path in shown_named], sorted(set(kept)))


def _key(path: Path) -> str:
    """One name for one directory entry, however it was reached: its folder resolved, itself not."""
    absolute = os.path.abspath(path)
    return os.path.join(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))


def _unpublished(path: Path, briefings: Path) -> tuple[Severity, str]:
    """Why a named file is not among the files the site reads: its severity and message."""
    if _through_a_link(path, briefings):
        return "error", THROUGH_A_FOLDER_LINK
    if _inside(_key(path), os.path.realpath(briefings)):
        return "warning", SKIPPED_BY_THE_SITE
    return "warning", NOT_UNDER_BRIEFINGS


def _through_a_link(path: Path, briefings: Path) -> bool:
    """Whether `path` is under `briefings` as written, through a symbolic link to a folder (briefings/ included)."""
    absolute, top = Path(os.path.abspath(path)), Path(os.path.abspath(briefings))
    if not absolute.is_relative_to(top):
        return False
    folders = [top]
    for part in absolute.relative_to(top).parts[:-1]:
        folders.append(folders[-1] / part)
    return any(folder.is_symlink() for folder in folders)


def _check(
    paths: list[Path],
    root: Path,
    seeds: Seeds,
    mirrors: dict[Finding, Finding] | None = None,
    cache: CheckCache | None = None,
    kept: KeptChecks | None = None,
) -> tuple[list[CheckedFile], list[Finding]]:
    """Check each file, then the rules across files; a file with an error has no briefing."""
    cwd = os.getcwd()
    jobs = [(path, shown_path(path, cwd)) for path in paths]
    files = _check_each(jobs, root, seeds, kept) if cache is None else _check_cached(jobs, root, seeds, cache, kept)
    files.sort(key=lambda f: f.path)
    findings = [f for checked in files for f in checked.findings]
    findings.extend(_across(files, mirrors))
    findings.extend(collisions(files))
    in_error = {f.path for f in findings if f.severity == "error"}
    for checked in files:
        if checked.path in in_error:
            checked.briefing = None
    return files, sorted(findings)


#: From how many files a check uses every core: below, starting the processes costs more than it
#: saves. A forked process starts in milliseconds, a spawned one (which imports everything again) in
#: about 0.3 s.
PARALLEL_FROM = 100
PARALLEL_FROM_SPAWNED = 500
#: Field positions the rules across files report at (`_across`, `addresses.collisions`): all a
#: file's check keeps of its map of positions once its own findings are made.
ACROSS_MARKS = re.compile(r"who\[\d+\](?:\.kind|\.name)?$|story$|topics\[\d+\]$")


def _check_each(
    jobs: list[tuple[Path, str]], root: Path, seeds: Seeds, kept: KeptChecks | None = None
) -> list[CheckedFile]:
    """Each file checked on its own: the rules within one file. A large collection is checked in
    processes of their own, one per core, each with its own source texts. With `kept`, a file whose
    check an earlier run kept, and whose bytes and source texts are unchanged, is not checked again."""
    if kept is None:
        return _run([(path, shown, None) for path, shown in jobs], root, seeds)
    results: list[CheckedFile | None] = []
    todo: list[tuple[int, Path, str, bytes | None, str | None]] = []
    for path, shown in jobs:
        data = key = None
        if file_problem(path, root) is None:
            try:
                data = read_limited(path)
            except OSError:
                data = None
        if data is not None:
            key = kept.key(shown, path.name, data)
            found = kept.get(key, shown, seeds)
            if found is not None:
                results.append(found)
                continue
        results.append(None)
        todo.append((len(results) - 1, path, shown, data, key))
    done = _run([(path, shown, data) for _, path, shown, data, _ in todo], root, seeds)
    for (at, _, _, _, key), checked in zip(todo, done, strict=True):
        if key is not None:  # with only the positions the rules across files need
            marks = {name: at for name, at in checked.marks.items() if ACROSS_MARKS.match(name)}
            kept.put(key, dataclasses.replace(checked, marks=marks))
            checked.key = briefing_key(key, checked.read)
        results[at] = checked
    return [checked for checked in results if checked is not None]


def _run(jobs: list[tuple[Path, str, bytes | None]], root: Path, seeds: Seeds) -> list[CheckedFile]:
    """The files checked: in processes of their own, one per core, when there are enough of them."""
    # Forked when this process runs no other thread; else spawned (`mkdocs serve` runs threads,
    # which a fork would copy in the middle of whatever they were doing).
    fork = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    least = PARALLEL_FROM if fork else PARALLEL_FROM_SPAWNED
    workers = min(os.cpu_count() or 1, len(jobs) // (least // 2))
    if workers < 2 or os.environ.get("BRIEFINGS_SERIAL"):
        return [_check_one(path, shown, root, seeds, data) for path, shown, data in jobs]
    size = -(-len(jobs) // (workers * 4))
    chunks = [jobs[start : start + size] for start in range(0, len(jobs), size)]
    context = multiprocessing.get_context("fork" if fork else "spawn")
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return [checked for chunk in pool.map(_check_chunk, chunks, [root] * len(chunks)) for checked in chunk]
    except (OSError, BrokenProcessPool):  # no processes to be had here: one at a time, then
        return [_check_one(path, shown, root, seeds, data) for path, shown, data in jobs]


def _check_chunk(jobs: list[tuple[Path, str, bytes | None]], root: Path) -> list[CheckedFile]:
    """In a process of its own: some files checked, each keeping only the positions the rules across files need."""
    seeds = Seeds(root)
    checked = [_check_one(path, shown, root, seeds, data) for path, shown, data in jobs]
    for one in checked:
        one.marks = {key: at for key, at in one.marks.items() if ACROSS_MARKS.match(key)}
    return checked


def _check_cached(
    jobs: list[tuple[Path, str]], root: Path, seeds: Seeds, cache: CheckCache, checks: KeptChecks | None = None
) -> list[CheckedFile]:
    """`_check_each`, taking from the cache each file whose identity is unchanged."""
    kept: dict[str, tuple[tuple[int, ...], CheckedFile, Briefing | None]] = {}
    identities = {shown: _identity(path) for path, shown in jobs}
    again = []
    for path, shown in jobs:
        known = cache.files.get(shown)
        if known is not None and identities[shown] and known[0] == identities[shown]:
            known[1].briefing = known[2]  # the rules across files may have taken it away last time
            kept[shown] = known
        else:
            again.append((path, shown))
    for checked in _check_each(again, root, seeds, checks):
        kept[checked.path] = (identities[checked.path], checked, checked.briefing)
    cache.checked, cache.reused = len(again), len(jobs) - len(again)
    cache.files = kept
    return [kept[shown][1] for _, shown in jobs]


def _check_one(path: Path, shown: str, root: Path, seeds: Seeds, data: bytes | None = None) -> CheckedFile:
    """One file: what it is (links, special files), then what it holds (`data`, when read already). The
    source files its check read are recorded in it (`CheckedFile.read`), as they were read."""
    slug = path.name.rsplit(".", 1)[0]
    if data is None:
        problem = file_problem(path, root)
        if problem is not None:
            return CheckedFile(shown, slug, findings=[Finding(shown, 1, 1, "error", FILE_FIELD, problem)])
    seeds.asked = {}
    try:
        checked = check_file(path, shown, seeds) if data is None else check_bytes(data, path.name, shown, seeds)
    except Exception as exc:  # a bug of ours must not hide the other files' findings
        message = f"could not be checked: {type(exc).__name__}: {exc}"[:300]
        return CheckedFile(shown, slug, findings=[Finding(shown, 1, 1, "error", "", message)])
    finally:
        asked, seeds.asked = seeds.asked or {}, None
    checked.read = [(source, seeds.problem(source), seeds.digest(source)) for source in asked]
    return checked


def _across(files: list[CheckedFile], mirrors: dict[Finding, Finding] | None = None) -> list[Finding]:
    """The rules that span files. Each finding is placed in the later file in path order, naming the earlier.

    When `mirrors` is given, it is filled with, for a finding, the same problem seen
    from the earlier file (placed there, naming the later one): `check_named`
    reports that one when only the earlier file is named. A finding with no mirror
    is still reported for a named file whose path its message names.
    """
    mirrors = {} if mirrors is None else mirrors
    findings: list[Finding] = []
    by_slug: dict[str, CheckedFile] = {}
    for checked in files:
        first = by_slug.setdefault(checked.slug, checked)
        if first is not checked:
            slug = f"slug '{checked.slug}' is also used by"
            finding = Finding(checked.path, 1, 1, "error", "file name", f"{slug} {first.path}")
            findings.append(finding)
            mirrors[finding] = Finding(first.path, 1, 1, "error", "file name", f"{slug} {checked.path}")
    kinds: dict[str, _Place] = {}
    for checked in files:
        if checked.briefing is None:
            continue
        for index, actor in enumerate(checked.briefing.who):
            line, column = checked.marks.get(f"who[{index}].kind") or checked.marks[f"who[{index}]"]
            here = _Place(actor.kind, checked.path, line, column, f"who[{index}].kind")
            there = kinds.setdefault(actor.id, here)
            if there.kind != here.kind:
                finding = here.finding(f"actor '{actor.id}' is {_a(here.kind)} here but {_a(there.kind)} in {there}")
                findings.append(finding)
                mirrors[finding] = there.finding(
                    f"actor '{actor.id}' is {_a(there.kind)} here but {_a(here.kind)} in {here}"
                )
    findings.extend(_lookalikes(files, mirrors))
    return findings


def _lookalikes(files: list[CheckedFile], mirrors: dict[Finding, Finding]) -> list[Finding]:
    """Actor names that look like another actor's name written in another script (`Hаmas` with a Cyrillic
    а, and `Hamas`), or that mix scripts: a warning at the later name in path order, naming the earlier.
    One skeleton per distinct name, looked up in a dict: linear in the number of actors."""
    from generator.rules.confusables import mixes_scripts, script_names, scripts, skeleton, visible

    first: dict[str, tuple[str, frozenset[str], str]] = {}  # skeleton: the first name, its scripts, where
    seen: dict[str, tuple[str, str]] = {}  # visible form: the first name, where
    known: dict[str, tuple[str, frozenset[str], bool]] = {}  # name: its skeleton, its scripts, whether mixed
    findings: list[Finding] = []
    for checked in files:
        if checked.briefing is None:
            continue
        for index, actor in enumerate(checked.briefing.who):
            name = actor.name
            if name not in known:
                found = scripts(name)
                known[name] = (skeleton(name), found, mixes_scripts(name))
            shape, found, mixed = known[name]
            line, column = checked.marks.get(f"who[{index}].name") or checked.marks[f"who[{index}]"]
            here = f"{checked.path}:{line}:{column}"
            other, other_scripts, there = first.setdefault(shape, (name, found, here))
            field = f"who[{index}].name"
            twin, twin_at = seen.setdefault(visible(name), (name, here))
            warn = _Warner(findings, checked.path, line, column, field)

            if twin != name:
                warn(
                    f"actor name {name!r} looks like {twin!r} in {twin_at}, exactly: they differ only in"
                    " invisible characters, kinds of space or letter forms, so a reader sees one name for"
                    " two actors; write it as the other is written"
                )
            elif other != name and other_scripts != found:
                finding = warn(
                    f"actor name '{name}' ({script_names(found)}) looks like '{other}' ({script_names(other_scripts)})"
                    f" in {there}: the same shapes in another script make two actors a reader cannot tell apart",
                )
                path, at_line, at_column = there.rsplit(":", 2)
                mirrors[finding] = Finding(
                    path,
                    int(at_line),
                    int(at_column),
                    "warning",
                    "",
                    f"actor name '{other}' looks like '{name}' ({script_names(found)}) in {here}",
                )
            elif mixed:
                warn(
                    f"actor name '{name}' mixes scripts ({script_names(found)}): letters of one script may stand"
                    " for look-alikes of another; write it in one script"
                )
    return findings


class _Warner(NamedTuple):
    """Adds a warning at one place to a list of findings; returns it."""

    findings: list[Finding]
    path: str
    line: int
    column: int
    field: str

    def __call__(self, message: str) -> Finding:
        finding = Finding(self.path, self.line, self.column, "warning", self.field, message)
        self.findings.append(finding)
        return finding


class _Place(NamedTuple):
    """Where an actor's kind is written (or, when it is the default, the actor)."""

    kind: str
    path: str
    line: int
    column: int
    field: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def finding(self, message: str) -> Finding:
        return Finding(self.path, self.line, self.column, "error", self.field, message)


#: A path named in a message: a word ending in .yaml or .yml, before `:line:column`, punctuation or the end.
_NAMED_PATH = re.compile(r"(?:^|(?<=[\s'\"(]))(\S+?\.ya?ml)(?=[:,;)'\"\s]|$)", re.IGNORECASE)


def _involving(findings: list[Finding], named: set[str], mirrors: dict[Finding, Finding]) -> list[Finding]:
    """The findings in a named file, or seen from one (a mirror), or naming one in their message."""
    kept = []
    for finding in findings:
        mirror = mirrors.get(finding)
        if finding.path in named:
            kept.append(finding)
        elif mirror is not None:
            if mirror.path in named:
                kept.append(mirror)
        elif any(match in named for match in _NAMED_PATH.findall(finding.message)):
            kept.append(finding)
    return kept


def _a(kind: str) -> str:
    """`a person`, `an organization`."""
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
