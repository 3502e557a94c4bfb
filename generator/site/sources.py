"""Source texts as the site publishes them (the plugin's `publish_sources`): each cited file's page address,
the briefings that drew on it and what they drew, and its text in paragraphs with those passages marked.

Data only: the pages themselves are made in `lists.source_pages`, and `source.html.j2` reads a text's
paragraphs through `source_paragraphs`.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import PurePosixPath

from generator.format.model import Briefing, Figure, Quote, Source
from generator.rules.addresses import MAX_BYTES, MAX_CHARS
from generator.rules.addresses import address as name_address
from generator.rules.verify import SourceText
from generator.site.receipts import Receipt, SourceTexts

#: The index of the source pages; each source's page is `sources/<name>/`.
SOURCES = "sources/"
#: Names no source page takes: the index's numbered pages are `sources/page/N/`.
_RESERVED_SOURCE_NAMES = frozenset(("page",))
#: A source page names, under each paragraph, at most this many of the briefings drawn from it (the newest).
DRAWN_SHOWN = 5
#: A passage of a source text that a briefing quotes or gives as a figure's evidence: where it is in the
#: text (`start`, `end`), and the briefing.
Drawn = tuple[int, int, Briefing]


def source_key(path: str) -> str:
    """A source file's path as one spelling (`seeds/./a.txt` and `seeds//a.txt` are `seeds/a.txt`)."""
    return PurePosixPath(path).as_posix()


def source_addresses(files: Iterable[str]) -> dict[str, str]:
    """The page address of each source file, by `source_key`: `sources/<name>/`, the name being its path
    under seeds/ without its last suffix, made an address as a story's name is (`seeds/Reuters/Gaza talks.txt`
    -> `sources/reuters-gaza-talks/`). A name that is empty, too long, reserved, or the same as another's
    (`a b.txt`, `a-b.txt`) gets the first characters of its path's SHA-256 after it, so each is its own; and
    should that be another's name, `-2`, `-3`, ... after it."""
    keys = sorted({source_key(path) for path in files})
    names: dict[str, str] = {}
    for key in keys:
        parts = list(PurePosixPath(key).parts[1:])  # under seeds/
        if parts:
            parts[-1] = PurePosixPath(parts[-1]).stem
        names[key] = name_address(" ".join(parts))
    counts = Counter(names.values())
    chosen: dict[str, tuple[bool, str]] = {}
    for key, name in names.items():
        usable = name and len(name) <= MAX_CHARS - 12 and len(name.encode("utf-8")) <= MAX_BYTES - 12
        digested = not usable or counts[name] > 1 or name in _RESERVED_SOURCE_NAMES
        if digested:
            digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:10]
            name = f"{name[:40].strip('-')}-{digest}".lstrip("-")
        chosen[key] = (digested, name)
    # A file named like another's name and digest (`a-b-<digest of seeds/a b.txt>.txt`) would take its address:
    # names are taken plain ones first, then by name and path; a name already taken is numbered after it.
    addresses: dict[str, str] = {}
    taken: set[str] = set()
    for key, (_, name) in sorted(chosen.items(), key=lambda item: (item[1], item[0])):
        unique, number = name, 1
        while unique in taken:
            number += 1
            unique = f"{name}-{number}"
        taken.add(unique)
        addresses[key] = f"{SOURCES}{unique}/"
    return addresses


@dataclass(frozen=True)
class SourceRecord:
    """One source text as the published briefings drew on it."""

    key: str
    address: str
    #: The source as the oldest briefing citing it describes it (title, publisher, date, URL).
    source: Source
    #: Its text (as the file has it: `SourceText.original`).
    text: SourceText
    #: The briefings citing it, newest first.
    briefings: tuple[Briefing, ...]
    #: Every quote and figure's evidence they took from it, by where it is in the text.
    drawn: tuple[Drawn, ...]


def cited_sources(
    briefings: list[Briefing], texts: SourceTexts | None, citing: Sequence[Briefing] | None = None
) -> dict[str, str]:
    """The page address (`source_addresses`) of every source file these briefings cite that can be read,
    by `file` as written; none for a text that any of `citing` (else these briefings) cites with rights short
    of `public`, under whatever name (`seeds/./x.txt`, a link to it, a copy of its words)."""
    if texts is None:
        return {}
    keys: dict[str, str | None] = {}

    def words_key(file: str) -> str | None:
        """What the text of `file` is, whatever the file is called (the SHA-256 of its words), worked out once;
        None when it cannot be read."""
        if file not in keys:
            text = texts(file)
            keys[file] = hashlib.sha256(text.original.encode("utf-8", "surrogatepass")).hexdigest() if text else None
        return keys[file]

    withheld = {
        words_key(source.file)
        for briefing in (briefings if citing is None else citing)
        for source in briefing.sources
        if source.file and source.shown != "public"
    } - {None}
    files = {
        source.file
        for briefing in briefings
        for source in briefing.sources
        if source.file and (key := words_key(source.file)) is not None and key not in withheld
    }
    return source_addresses(files)


def source_records(
    briefings: list[Briefing],
    texts: SourceTexts | None,
    addresses: dict[str, str],
    found: dict[str, dict[Quote | Figure, Receipt | None]],
) -> list[SourceRecord]:
    """Every source file in `addresses` as the published `briefings` (newest first) drew on it, from their
    receipts (`found`, by slug), in the order of their keys."""
    if texts is None:
        return []
    cited: dict[str, list[Briefing]] = {}
    described: dict[str, Source] = {}
    originals: dict[str, SourceText] = {}
    drawn: dict[str, list[Drawn]] = {}
    for briefing in briefings:
        for source in briefing.sources:
            key = source_key(source.file) if source.file else ""
            if key not in addresses or source.file is None:
                continue
            citing = cited.setdefault(key, [])
            if not citing or citing[-1] is not briefing:
                citing.append(briefing)
            described[key] = source  # the oldest briefing's, the last seen
            if key not in originals:
                text = texts(source.file)
                assert text is not None  # `addresses` holds only the files that can be read
                originals[key] = text
        for shown in found.get(briefing.slug, {}).values():
            if shown is not None:
                drawn.setdefault(source_key(shown.file), []).append((shown.start, shown.end, briefing))
    return [
        SourceRecord(
            key,
            addresses[key],
            described[key],
            originals[key],
            tuple(cited[key]),
            tuple(sorted(drawn.get(key, []), key=lambda d: (d[0], d[1], -d[2].date.toordinal(), d[2].slug))),
        )
        for key in sorted(cited)
    ]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a source page: its number, its text in runs, and the briefings drawn from it.

    Each run is `(marked, parts)`: `marked` when briefings drew on it; each part `(ids, text)`, `ids`
    being the anchors (`Receipt.anchor`) of the passages that start where the part does."""

    number: int
    runs: tuple[tuple[bool, tuple[tuple[tuple[str, ...], str], ...]], ...]
    drawn_by: tuple[Briefing, ...]
    more: int


def source_paragraphs(source: SourceText, drawn: tuple[Drawn, ...]) -> list[Paragraph]:
    """A source text in paragraphs (`SourceText.paragraphs`, numbered as receipts number them), each passage
    of `drawn` marked in the paragraphs it stands in (one mark per paragraph, overlapping passages as one) and
    anchored where it starts. Linear in the text and the passages (sorted by start, as `source_records` gives
    them)."""
    text = source.original
    bounds = source.paragraphs()
    starts = [low for low, _ in bounds]
    spans_in: list[list[Drawn]] = [[] for _ in bounds]
    for item in drawn:
        number = max(0, bisect.bisect_right(starts, item[0]) - 1)
        while number < len(bounds) and bounds[number][0] < max(item[1], item[0] + 1):
            spans_in[number].append(item)
            number += 1
    paragraphs: list[Paragraph] = []
    for number, ((low, high), spans) in enumerate(zip(bounds, spans_in, strict=True), start=1):
        cuts = {low, high}
        ids: dict[int, list[str]] = {}
        marked: list[tuple[int, int]] = []
        for start, end, _ in spans:
            lo, hi = max(start, low), min(end, high)
            cuts.update((lo, hi))
            anchor = f"at-{start}-{end}"
            if low <= start < high and anchor not in ids.get(start, ()):
                ids.setdefault(start, []).append(anchor)
            if marked and lo <= marked[-1][1]:
                marked[-1] = (marked[-1][0], max(marked[-1][1], hi))
            else:
                marked.append((lo, hi))
        runs: list[tuple[bool, list[tuple[tuple[str, ...], str]]]] = []
        region = 0
        for lo, hi in pairwise(sorted(cuts)):
            while region < len(marked) and marked[region][1] <= lo:
                region += 1
            inside = region < len(marked) and marked[region][0] <= lo < marked[region][1]
            part = (tuple(ids.get(lo, ())), text[lo:hi])
            if runs and runs[-1][0] == inside:
                runs[-1][1].append(part)
            else:
                runs.append((inside, [part]))
        by = sorted({id(s[2]): s[2] for s in spans}.values(), key=lambda b: (b.date, b.slug), reverse=True)
        paragraphs.append(
            Paragraph(
                number,
                tuple((inside, tuple(parts)) for inside, parts in runs),
                tuple(by[:DRAWN_SHOWN]),
                max(0, len(by) - DRAWN_SHOWN),
            )
        )
    return paragraphs
