"""One briefing file to a `Briefing`, with every problem in it as a `Finding`.

The steps, each reporting everything it finds before the next one runs on what
is sound: the file name, the bytes (size, encoding), the YAML (`yamlnodes`),
the fields (`schema.BRIEFING`), the rules that join fields (ids, references,
dates), and provenance against `seeds/` (`verify`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import stat
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from generator.format.findings import Finding, Severity, got
from generator.format.model import KEY_FIGURES, Actor, Briefing, Figure, Quote, Source, mark_digest
from generator.format.prose import states
from generator.format.schema import (
    ACTOR,
    BRIEFING,
    CORRECTION,
    FIGURE,
    NEXT_STEP,
    QUOTE,
    RETRACTION,
    SEED_ABSENT,
    SOURCE,
    Invalid,
    Values,
    correction_rules,
    items_of,
    records_of,
    required_of,
    value_of,
)
from generator.format.yamlnodes import MAX_FILE_BYTES, Mapping, Node, YAMLSyntaxError, decode, parse
from generator.rules.addresses import address, address_problem, ascii_slug
from generator.rules.verify import SOURCES_ENV, Seeds, closest_passage, contains, copied_run, normalize

FILE_NAME = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.ya?ml\Z")
FILE_NAME_FIELD = "file name"


@dataclass
class CheckedFile:
    """The outcome for one file: its briefing when it has no error, and every finding."""

    path: str
    slug: str
    briefing: Briefing | None = None
    findings: list[Finding] = field(default_factory=list)
    #: Field path (`who[2].id`) to 1-based (line, column) of its value.
    marks: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: The source files its check read: each path, why it cannot be used (None: it can), and the SHA-256
    #: of its bytes as read (`checkstore`).
    read: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    #: A digest naming its briefing by everything it was made from (`checkstore.briefing_key`), when
    #: the check was kept or taken from a kept one; None otherwise.
    key: str | None = None

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


class _FileContext:
    """Collects the findings and positions of one file as its fields are read."""

    def __init__(self, checked: CheckedFile, seeds: Seeds) -> None:
        self.checked = checked
        self.seeds = seeds

    def report(self, line: int, column: int, field: str, message: str, severity: Severity = "error") -> None:
        self.checked.findings.append(Finding(self.checked.path, line, column, severity, field, message))

    def error(self, node: Node, field: str, message: str) -> None:
        self.report(node.line, node.column, field, message)

    def warning(self, node: Node, field: str, message: str) -> None:
        self.report(node.line, node.column, field, message, "warning")

    def mark(self, field: str, node: Node) -> None:
        self.checked.marks[field] = (node.line, node.column)

    def at(self, field: str, severity: Severity, message: str) -> None:
        """Report at the value of a field read earlier (or its nearest recorded parent)."""
        probe = field
        while probe not in self.checked.marks and probe:
            probe = probe.rpartition(".")[0] if "." in probe else probe.rpartition("[")[0]
        line, column = self.checked.marks.get(probe, (1, 1))
        self.report(line, column, field, message, severity)

    def seed_problem(self, path: str) -> str | None:
        return self.seeds.problem(path)


def check_file(path: Path, shown: str, seeds: Seeds) -> CheckedFile:
    """Check one briefing file. `shown` is the path as findings print it."""
    checked, ctx, name_date = _named(path.name, shown, seeds)
    try:
        data = read_limited(path)
    except OSError as exc:
        ctx.report(1, 1, "", f"cannot be read: {exc.strerror or exc}")
        return checked
    return _check_data(data, checked, ctx, name_date)


def check_bytes(data: bytes, name: str, shown: str, seeds: Seeds) -> CheckedFile:
    """Check one briefing given as its bytes and its file name `name` (`2024-08-25-words.yaml`),
    as `check_file` checks a file: `briefing diff` checks versions read from git this way.

    `shown` is the path as findings print it. Bytes past the size limit are an error, as in a file.
    """
    checked, ctx, name_date = _named(name, shown, seeds)
    return _check_data(data, checked, ctx, name_date)


def _named(name: str, shown: str, seeds: Seeds) -> tuple[CheckedFile, _FileContext, dt.date | None]:
    """A file's outcome begun: its slug, and its file name checked. Also the date the name starts with."""
    checked = CheckedFile(shown, name.rsplit(".", 1)[0])
    ctx = _FileContext(checked, seeds)
    match = FILE_NAME.match(name)
    name_date: dt.date | None = None
    if not match:
        ctx.report(1, 1, FILE_NAME_FIELD, f"must be YYYY-MM-DD-words.yaml, lowercase a-z, 0-9 and '-' {got(name)}")
    else:
        try:
            name_date = dt.date.fromisoformat(match.group("date"))
        except ValueError:
            ctx.report(1, 1, FILE_NAME_FIELD, f"starts with no such date {got(match.group('date'))}")
    return checked, ctx, name_date


def _check_data(data: bytes, checked: CheckedFile, ctx: _FileContext, name_date: dt.date | None) -> CheckedFile:
    """The bytes, the YAML, the fields and provenance of a file whose name was checked."""
    try:
        text = decode(data)
        root = parse(text, ctx.report)
    except YAMLSyntaxError as exc:
        # A file that cannot be parsed is one error, at the parser's position.
        checked.findings = [f for f in checked.findings if f.field == FILE_NAME_FIELD]
        ctx.report(exc.line, exc.column, "", exc.message)
        return checked
    if root is None:
        ctx.report(1, 1, "", "file is empty; a briefing needs title, date, summary, who, what and sources")
        return checked
    if not isinstance(root, Mapping):
        ctx.error(root, "", "a briefing must be a mapping of keys (title:, date:, ...)")
        return checked
    values = BRIEFING.read(root, "", ctx)
    checked.briefing = _build(values, checked, ctx, name_date)
    return checked


def read_limited(path: Path) -> bytes:
    """A regular file's bytes, reading at most one byte past the size limit (decode reports it)."""
    if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block, a device never end
        raise OSError(0, "not a regular file")
    with path.open("rb") as file:
        # Asked for what fstat says is there (and one byte more, to see a file that grew), not for the
        # limit: a read of a megabyte allocates a megabyte first, 0.1 ms for every small file.
        size = os.fstat(file.fileno()).st_size
        return file.read(min(size, MAX_FILE_BYTES) + 1)


def _build(
    values: Values | Invalid, checked: CheckedFile, ctx: _FileContext, name_date: dt.date | None
) -> Briefing | None:
    """Fill in defaults and check the rules that join fields, on whatever was sound.

    Returns the briefing when the file has no error at all.
    """
    if isinstance(values, Invalid):
        return None  # the whole record was wrong; already reported
    _dates(values, checked, ctx, name_date)
    actors = _actors(records_of(values, "who"), ctx)
    _addresses(values, ctx)
    source_items = value_of(values, "sources", tuple) or ()
    sources = _sources(records_of(values, "sources"), ctx)
    # Only when every source was read can a reference to an unknown id be told from one to a broken source.
    all_sources = "sources" in values and len(sources) == len(source_items)
    if all_sources:
        _references(values, [s.id for s in sources], ctx)
    numbers = [(i, FIGURE.build(item)) for i, item in records_of(values, "numbers")]
    _lead(numbers, ctx)
    _keys(numbers, ctx)
    quotes = [(i, QUOTE.build(item)) for i, item in records_of(values, "quotes")]
    _speakers(quotes, actors, ctx)
    drafted = _unchecked(values, numbers, quotes, ctx)
    _copied(values, sources, drafted, ctx)
    # A source with a file that could not be read keeps what may cite it from being checked: said once.
    broken_file = any(re.fullmatch(r"sources\[\d+\]\.file", f.field) for f in checked.findings if f.severity == "error")
    for index, item in records_of(values, "sources"):
        file = value_of(item, "file", str)
        problem = ctx.seeds.problem(file) if file else None
        if problem and problem.startswith(SEED_ABSENT):
            where = str(ctx.seeds.where.path)
            ctx.at(
                f"sources[{index}].file",
                "notice",
                f"not verified in this run: the source texts are kept in {SOURCES_ENV} ({where!r}), which is not"
                f" there {got(file)}",
            )
    _verify(numbers, quotes, sources, all_sources, ctx, broken_file)
    if not checked.ok:
        return None
    # With no error, every record read without a problem: no list holds an INVALID.
    return BRIEFING.build(
        values,
        slug=checked.slug,
        who=actors,
        sources=sources,
        numbers=tuple(figure for _, figure in numbers),
        quotes=tuple(quote for _, quote in quotes),
        next=tuple(NEXT_STEP.build(item) for _, item in records_of(values, "next")),
        corrections=tuple(CORRECTION.build(item) for _, item in records_of(values, "corrections")),
        retracted=RETRACTION.build(retracted) if (retracted := value_of(values, "retracted", dict)) else None,
    )


def _dates(values: Values, checked: CheckedFile, ctx: _FileContext, name_date: dt.date | None) -> None:
    """The rules between the file's dates: its name's, `date`, `updated` and the corrections'."""
    date = value_of(values, "date", dt.date)
    if name_date is not None and date is not None and date != name_date:
        ctx.at("date", "error", f"must equal the date the file name starts with, {name_date} (got '{date}')")
    updated = value_of(values, "updated", dt.date)
    if date is not None and updated is not None and updated < date:
        ctx.at("updated", "error", f"must not be before date {date} (got '{updated}')")
    for field_path, message in correction_rules(values, updated_written="updated" in checked.marks):
        ctx.at(field_path, "error", message)
    retracted = value_of(values, "retracted", dict)
    withdrawn = retracted.get("date") if retracted else None
    if date is not None and isinstance(withdrawn, dt.date) and withdrawn < date:
        ctx.at("retracted.date", "error", f"must not be before date {date} (got '{withdrawn}')")


def _keys(numbers: list[tuple[int, Figure]], ctx: _FileContext) -> None:
    """A figure's `key` is an address (at most 80 characters), and names one figure of the briefing."""
    first: dict[str, int] = {}
    for index, figure in numbers:
        if figure.key is None:
            continue
        problem = address_problem(figure.key)
        if problem:
            ctx.at(f"numbers[{index}].key", "error", f"{problem} {got(figure.key)}")
        elif figure.key in first:
            ctx.at(f"numbers[{index}].key", "error", f"numbers[{first[figure.key]}] has this key too {got(figure.key)}")
        else:
            first[figure.key] = index


def _lead(numbers: list[tuple[int, Figure]], ctx: _FileContext) -> None:
    """At most KEY_FIGURES figures are `lead`: a warning at each one past them, which the page does not show
    at a glance."""
    marked = [index for index, figure in numbers if figure.lead]
    for index in marked[KEY_FIGURES:]:
        ctx.at(
            f"numbers[{index}].lead",
            "warning",
            f"at most {KEY_FIGURES} figures are shown at a glance; this is lead figure {marked.index(index) + 1}"
            f" of {len(marked)}, not shown there (got lead: true)",
        )


def _references(values: Values, ids: list[str], ctx: _FileContext) -> None:
    """Each figure's and quote's `source` names one of the sources (every source read)."""
    for kind in ("numbers", "quotes"):
        for index, item in records_of(values, kind):
            ref = value_of(item, "source", str)
            if ref is not None and ref not in ids:
                ctx.at(f"{kind}[{index}].source", "error", f"names no source; the ids are {', '.join(ids)} {got(ref)}")


def _actors(items: list[tuple[int, Values]], ctx: _FileContext) -> tuple[Actor, ...]:
    actors = []
    first: dict[str, int] = {}
    for index, item in items:
        name = required_of(item, "name", str)
        actor_id = value_of(item, "id", str) or ascii_slug(name)
        if not actor_id:
            ctx.at(
                f"who[{index}].name",
                "error",
                f"needs an id: the name has letters outside a-z, so no slug can be made from it {got(name)}",
            )
            continue
        problem = address_problem(actor_id)
        if problem:
            field = f"who[{index}].id" if "id" in item else f"who[{index}].name"
            ctx.at(field, "error", f"the actor's id {problem}; give a shorter id {got(actor_id)}")
            continue
        if actor_id in first:
            field = f"who[{index}].id" if "id" in item else f"who[{index}].name"
            ctx.at(field, "error", f"two actors with the id '{actor_id}': who[{first[actor_id]}] has it too")
            continue
        first[actor_id] = index
        actors.append(ACTOR.build(item, id=actor_id))
    return tuple(actors)


def _addresses(values: Values, ctx: _FileContext) -> None:
    """A story's and each topic's address must be usable as a page's address."""
    story = value_of(values, "story", str)
    named = [("story", story)] if story is not None else []
    named += [(f"topics[{i}]", topic) for i, topic in items_of(values, "topics", str)]
    for path, name in named:
        problem = address_problem(address(name))
        if problem:
            ctx.at(path, "error", f"{problem} {got(name)}")


def _sources(items: list[tuple[int, Values]], ctx: _FileContext) -> tuple[Source, ...]:
    sources = []
    first: dict[str, int] = {}
    for index, item in items:
        written_id = value_of(item, "id", str)
        source_id = written_id if written_id is not None else f"s{index + 1}"
        if "url" not in item and "file" not in item:
            ctx.at(f"sources[{index}]", "error", "needs a url or a file")
            continue
        if source_id in first:
            ctx.at(
                f"sources[{index}].id",
                "error",
                f"two sources with the id '{source_id}': sources[{first[source_id]}] has it too",
            )
            continue
        first[source_id] = index
        sources.append(SOURCE.build(item, id=source_id))
    return tuple(sources)


def _verify(
    numbers: list[tuple[int, Figure]],
    quotes: list[tuple[int, Quote]],
    sources: tuple[Source, ...],
    all_sources: bool,
    ctx: _FileContext,
    broken_file: bool = False,
) -> None:
    """Quotes verbatim in their source texts; figures' evidence verbatim and stating the value.

    Runs on whatever was sound, so provenance problems are reported in the same run
    as any other. What points at a source in error (or, without `source:`, could be
    in one) is not checked: that source's own error comes first.
    """
    seeds = ctx.seeds
    by_id = {s.id: s for s in sources}
    unverified = [0, 0]  # quotes, figures: what a source in error kept from being checked
    absent = {s.file for s in sources if s.file and (seeds.problem(s.file) or "").startswith(SEED_ABSENT)}
    private = frozenset(s.file for s in sources if s.file and s.shown == "private")
    not_here = [0, 0]  # quotes, figures: what source texts kept elsewhere, and absent, kept from being checked
    for index, quote in quotes:
        files = _files_for(by_id, quote.source, all_sources)
        field = f"quotes[{index}].text"
        if files is None:
            unverified[0] += 1
            continue
        if files and set(files) <= absent:
            not_here[0] += 1
            continue
        files = [f for f in files if f not in absent]
        if not files:
            ctx.at(field, "warning", "unverified: no source file to check the quote against")
            continue
        needle = normalize(quote.text)
        if not any(contains(seeds.text(f), needle) for f in files):
            closest = _closest(seeds, files, quote.text, private)
            ctx.at(field, "error", f"quote not found in {' or '.join(files)} {got(quote.text)}{closest}")
    for index, figure in numbers:
        files = _files_for(by_id, figure.source, all_sources)
        if files is None:
            unverified[1] += 1
            continue
        if files and set(files) <= absent:
            not_here[1] += 1
            continue
        files = [f for f in files if f not in absent]
        if figure.evidence is None:
            if files and not any(figure.value in seeds.numbers(f) for f in files):
                ctx.at(
                    f"numbers[{index}].value",
                    "warning",
                    f"{_show(figure.value)} appears nowhere in {' or '.join(files)}; add evidence or check the figure",
                )
            continue
        field = f"numbers[{index}].evidence"
        if not files:
            ctx.at(field, "warning", "unverified: no source file to check the evidence against")
            continue
        needle = normalize(figure.evidence)
        if not any(contains(seeds.text(f), needle) for f in files):
            closest = _closest(seeds, files, figure.evidence, private)
            ctx.at(field, "error", f"evidence not found in {' or '.join(files)} {got(figure.evidence)}{closest}")
        elif not states(needle, figure.value):
            ctx.at(field, "error", f"does not state the value {_show(figure.value)} {got(figure.evidence)}")
    if any(not_here):
        quoted, counted = not_here
        ctx.at(
            "sources",
            "notice",
            f"{quoted} quote{'s' * (quoted != 1)} and {counted} figure{'s' * (counted != 1)} not verified in this run:"
            f" the source texts are kept elsewhere ({SOURCES_ENV}) and are not here",
        )
    if broken_file and any(unverified):
        quoted, counted = unverified
        ctx.at(
            "sources",
            "warning",
            f"{quoted} quote{'s' * (quoted != 1)} and {counted} figure{'s' * (counted != 1)} went unverified:"
            " a source file they may cite is in error (fix it, and they are checked)",
        )


_MARK = re.compile(r"(?P<path>[a-z]+(?:\[\d+\])?(?:\.[a-z]+)?) (?P<digest>[0-9a-f]{8})")
#: The fields a mark may name: the briefing's texts, an item of `what`, a quote's speaker or text, a figure's label.
_MARKED = re.compile(r"(?:title|summary|why|what\[\d+\]|quotes\[\d+\]\.(?:speaker|text)|numbers\[\d+\]\.label)")


def _unchecked(
    values: Values, numbers: list[tuple[int, Figure]], quotes: list[tuple[int, Quote]], ctx: _FileContext
) -> set[str]:
    """Each `unchecked` mark whose field still holds the text `briefing draft` wrote: a warning at that field
    (so an unedited draft cannot pass `--strict`). A field changed since clears its mark; a mark that names no
    field, or is not `<field> <digest>`, is a warning at the mark. Returns the fields still as drafted."""
    drafted: set[str] = set()
    texts: dict[str, str] = {}
    for key in ("title", "summary", "why"):
        text = value_of(values, key, str)
        if text is not None:
            texts[key] = text
    texts.update({f"what[{i}]": text for i, text in items_of(values, "what", str)})
    for index, quote in quotes:
        texts[f"quotes[{index}].speaker"] = quote.speaker
        texts[f"quotes[{index}].text"] = quote.text
    texts.update({f"numbers[{index}].label": figure.label for index, figure in numbers})
    for index, mark in items_of(values, "unchecked", str):
        found = _MARK.fullmatch(mark)
        if found is None or not _MARKED.fullmatch(found["path"]):
            ctx.at(
                f"unchecked[{index}]",
                "warning",
                f"expected `<field> <8 hex digits>`, such as `title 3f2a9c1b` {got(mark)}",
            )
            continue
        path = found["path"]
        if path not in texts:
            ctx.at(f"unchecked[{index}]", "warning", f"names no field of this briefing; delete it {got(mark)}")
        elif mark_digest(texts[path]) == found["digest"]:
            drafted.add(path)
            ctx.at(
                path,
                "warning",
                "as `briefing draft` wrote it, unchecked: check it against the article and rewrite it, or delete"
                f" `{mark}` from `unchecked` to accept it",
            )
    return drafted


def _copied(values: Values, sources: tuple[Source, ...], drafted: set[str], ctx: _FileContext) -> None:
    """A summary, why or `what` item that copies a long run of words from a source as written: a warning (a
    briefing summarises in its own words; copying at length is also a copyright matter). Quotes are for that.
    A field still as `briefing draft` wrote it is warned of once, as unchecked (`drafted`)."""
    files = [source.file for source in sources if source.file and ctx.seed_problem(source.file) is None]
    if not files:
        return
    written = [(key, text) for key in ("summary", "why") if (text := value_of(values, key, str)) is not None]
    written += [(f"what[{i}]", text) for i, text in items_of(values, "what", str)]
    for field_path, text in written:
        if field_path in drafted:
            continue
        for file in files:
            run = copied_run(ctx.seeds.text(file), text)
            if run is not None:
                ctx.at(
                    field_path,
                    "warning",
                    f"copies {run[0]} words of {file} as written ('{run[1]} …'): summarise in your own words,"
                    " or quote it (long copying is also a copyright matter)",
                )
                break


#: How alike a speaker and an actor's name must be (difflib's ratio) to be taken for a misspelling of it.
SPEAKER_LIKENESS = 0.75


def _speakers(quotes: list[tuple[int, Quote]], actors: tuple[Actor, ...], ctx: _FileContext) -> None:
    """A speaker that names no actor of `who` but comes close to one (`Jackie Bailie` for `Jackie Baillie`,
    `Burns` for `William Burns`) is most likely that actor misspelt: a warning naming them, as the quote
    would link to no page. A speaker like no one (`a U.S. official`) is left as written: an unnamed source."""
    names = {actor.name: actor.name for actor in actors} | {actor.id: actor.name for actor in actors}
    for index, quote in quotes:
        if quote.speaker in names:
            continue
        said = quote.speaker.split()
        near = difflib.get_close_matches(quote.speaker, list(names), n=1, cutoff=SPEAKER_LIKENESS)
        ending = [
            a.name for a in actors if said and len(said) < len(a.name.split()) and a.name.split()[-len(said) :] == said
        ]
        closest = names[near[0]] if near else (ending[0] if ending else None)
        if closest is not None:
            ctx.at(
                f"quotes[{index}].speaker",
                "warning",
                f"names no one in who, so the quote links to no page: did you mean {closest!r}? {got(quote.speaker)}",
            )


def _closest(seeds: Seeds, files: list[str], needle: str, private: frozenset[str] = frozenset()) -> str:
    """Where the source texts come closest to what was not found: `; closest: FILE:LINE:COL “…” (“a” where the
    source has “b”)`, or "" when no source holds any of its words. Of a file in `private` (a source whose rights
    allow no words of it, `rights: private`), only where: a check's output may be read by anyone (a public
    repository's build log)."""
    found = [(passage, file) for file in files if (passage := closest_passage(seeds.text(file).original, needle))]
    if not found:
        return ""
    passage, file = max(found, key=lambda pair: pair[0].same)
    if file in private:
        return f"; closest: {file}:{passage.line}:{passage.column} (a private source text: its words are not shown)"
    text = passage.text if len(passage.text) <= 90 else passage.text[:89] + "…"
    said = []
    for ours, theirs in passage.differences:
        if ours and theirs:
            said.append(f"{ours!r} where the source has {theirs!r}")
        elif ours:
            said.append(f"{ours!r} not in the source")
        else:
            said.append(f"the source has {theirs!r} here")
    differs = f" ({'; '.join(said)})" if said else ""
    return f"; closest: {file}:{passage.line}:{passage.column} {text!r}{differs}"


def _files_for(by_id: dict[str, Source], source_id: str | None, all_sources: bool) -> list[str] | None:
    """The files to check against; None when that cannot be known (a source in error)."""
    if source_id is None:
        return [s.file for s in by_id.values() if s.file] if all_sources else None
    source = by_id.get(source_id)
    if source is None:
        return None
    return [source.file] if source.file else []


def _show(value: Decimal) -> str:
    return format(value, "f")
