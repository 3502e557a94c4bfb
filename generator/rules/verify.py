"""Provenance: quotes and figures checked against the source texts in `seeds/`.

Texts are compared after normalisation (Unicode NFKC, curly quotes and
apostrophes to straight ones, dashes to `-`, runs of whitespace to one space);
case matters. A figure is stated by a text when the text holds its value in
digits (with or without thousands separators) or in English words.
"""

from __future__ import annotations

import difflib
import hashlib
import operator
import os
import re
import stat
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, partial
from itertools import accumulate, pairwise
from pathlib import Path, PurePosixPath

from generator.format.prose import numbers_in, sentence_ends
from generator.format.schema import SEED_ABSENT
from generator.format.yamlnodes import MAX_FILE_BYTES

_PUNCTUATION = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\ufe58": "-",
}
_PUNCTUATION_RE = re.compile("[" + "".join(_PUNCTUATION) + "]")
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """The form texts are compared in."""
    if not text.isascii():  # NFKC and the punctuation map change only non-ASCII text
        text = _nfkc(text)
        text = _PUNCTUATION_RE.sub(lambda m: _PUNCTUATION[m.group()], text)
    return _SPACE.sub(" ", text).strip()


# Combining marks come out of NFKC in order of their combining class; CPython puts
# them in order with an insertion sort, so a long run of them out of order (or of
# characters that decompose into them, as U+0F73 does) takes time growing with the
# square of its length: 40 s for 80,000 of U+0F73. Such runs are put in order first.
_LONG_RUN = 16
_LONG_NON_ASCII = re.compile(f"[^\\x00-\\x7f]{{{_LONG_RUN}}}")


def _nfkc(text: str) -> str:
    """`unicodedata.normalize("NFKC", text)`, in time linear in the text."""
    if _LONG_NON_ASCII.search(text):
        text = _marks_runs().sub(_marks_in_order, text)
    return unicodedata.normalize("NFKC", text)


@cache
def _marks_runs() -> re.Pattern[str]:
    """Long runs of characters that decompose into combining marks only (none past U+1FFFF)."""
    nfkd = partial(unicodedata.normalize, "NFKD")
    marks = [
        char
        for char in map(chr, range(0x80, 0x20000))
        if unicodedata.combining(nfkd(char)[0]) and all(map(unicodedata.combining, nfkd(char)))
    ]
    return re.compile(f"[{''.join(map(re.escape, marks))}]{{{_LONG_RUN},}}")


def _marks_in_order(run: re.Match[str]) -> str:
    """A run of combining marks decomposed and in order, as NFKC would put them (sorting is stable)."""
    chars = run.group()
    marks = chars.translate({ord(char): unicodedata.normalize("NFKD", char) for char in set(chars)})
    distinct = set(marks)
    if len(distinct) > 6:
        return "".join(sorted(marks, key=unicodedata.combining))
    # A few marks (the usual case): taking out the others, class by class, beats sorting.
    ordered = []
    for ccc in sorted({unicodedata.combining(mark) for mark in distinct}):
        kept = marks
        for other in distinct:
            if unicodedata.combining(other) != ccc:
                kept = kept.replace(other, "")
        ordered.append(kept)
    return "".join(ordered)


def contains(text: str | SourceText, needle: str) -> bool:
    """Whether `needle` stands in `text` as whole words, both compared normalised:
    `rking teams` is not in "working teams"."""
    return (text if isinstance(text, SourceText) else SourceText(text)).contains(needle)


# --- a source text, normalised once and indexed -------------------------------

# The words a match stands on: maximal runs of letters and digits (as `str.isalnum`
# has them), and every other character on its own, the space included.
_TOKEN = re.compile(r"[^\W_]+|.", re.DOTALL)
# A non-ASCII run with the ASCII character before it, which may compose with it.
# NFKC never changes ASCII nor carries anything across a boundary before an ASCII
# character, so normalising these pieces alone is normalising the whole text.
_NON_ASCII = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")
# Whitespace the normalised text does not keep one for one: runs, and the ends.
_SPACE_EDIT = re.compile(r"\s\s+|\A\s|\s\Z")
# Tokens are coded as one character each while there are at most this many distinct
# ones (always so in a 1 MiB file); beyond, as two: a first below _HALF, a second from
# it. Code 0 is never a token's.
_MAX_ONE_CHAR_CODES = 0x10FFFF
_HALF = 0x88000


_Edit = tuple[int, int, int, int]  # out_start, in_start, out_length, in_length: see _Edits.add


class _Edits:
    """Where each character of a derived text came from in the text it was derived from.

    The derived text is the other with some spans replaced (`add`, left to right);
    outside them the two correspond character for character.
    """

    def __init__(self) -> None:
        self._out_starts: list[int] = []
        self._out_ends: list[int] = []
        self._in_starts: list[int] = []
        self._in_ends: list[int] = []

    def add(self, out_start: int, in_start: int, out_length: int, in_length: int) -> None:
        """Characters `in_start` to `in_start + in_length` became `out_length` characters at `out_start`."""
        self._out_starts.append(out_start)
        self._out_ends.append(out_start + out_length)
        self._in_starts.append(in_start)
        self._in_ends.append(in_start + in_length)

    def start(self, i: int) -> int:
        """Where derived character `i` starts in the other text."""
        k = bisect_right(self._out_starts, i) - 1
        if k < 0:
            return i
        if i < self._out_ends[k]:
            return self._in_starts[k]
        return i + self._in_ends[k] - self._out_ends[k]

    def end(self, j: int) -> int:
        """Where derived character `j - 1` ends in the other text (`j` > 0)."""
        k = bisect_right(self._out_starts, j - 1) - 1
        if k < 0:
            return j
        if j - 1 < self._out_ends[k]:
            return self._in_ends[k]
        return j + self._in_ends[k] - self._out_ends[k]


def _nfkc_edits(text: str) -> tuple[str, _Edits]:
    """NFKC and the punctuation map, with where each resulting character came from."""
    edits = _Edits()
    if text.isascii():
        return text, edits
    parts: list[str] = []
    copied = 0  # text[:copied] is in parts
    out = 0  # len("".join(parts))
    known: dict[str, tuple[str, list[_Edit]]] = {}
    for match in _NON_ASCII.finditer(text):
        piece = match.group()
        if piece not in known:
            known[piece] = _attribute(piece)
        normal, piece_edits = known[piece]
        if normal == piece:
            continue
        start = match.start()
        out += start - copied
        parts += (text[copied:start], normal)
        for out_offset, in_offset, out_length, in_length in piece_edits:
            edits.add(out + out_offset, start + in_offset, out_length, in_length)
        out += len(normal)
        copied = match.end()
    parts.append(text[copied:])
    return _PUNCTUATION_RE.sub(lambda m: _PUNCTUATION[m.group()], "".join(parts)), edits


def _attribute(piece: str) -> tuple[str, list[_Edit]]:
    """The NFKC form of `piece`, and where its characters came from (`_Edits.add`'s terms).

    Each character with its combining marks is normalised alone, but for those that
    compose with what came before (Hangul jamo, some vowel signs): they stay with it,
    up to a few dozen characters. Should the parts still not make the whole, the whole
    piece is one edit.
    """
    normal = _nfkc(piece)
    if normal == piece:
        return normal, []
    starts = [0]
    for i in range(1, len(piece)):
        start = starts[-1]
        if not (unicodedata.combining(piece[i]) or i - start > 32 or _composes(piece[start:i], piece[i])):
            starts.append(i)
    groups = [piece[start:end] for start, end in pairwise([*starts, len(piece)])]
    normals = [_nfkc(group) for group in groups]
    if "".join(normals) != normal:
        return normal, [(0, 0, len(normal), len(piece))]
    edits: list[_Edit] = []
    in_offset = out_offset = 0
    for group, group_normal in zip(groups, normals, strict=True):
        if group_normal != group:
            edits.append((out_offset, in_offset, len(group_normal), len(group)))
        in_offset += len(group)
        out_offset += len(group_normal)
    return normal, edits


def _composes(before: str, char: str) -> bool:
    """Whether `char` changes how the (short) `before` normalises."""
    nfkc = unicodedata.normalize
    return nfkc("NFKC", before + char) != nfkc("NFKC", before) + nfkc("NFKC", char)


def _collapse_spaces(text: str) -> tuple[str, _Edits]:
    """Runs of whitespace to one space, none at the ends, with where each character came from."""
    edits = _Edits()
    add = edits.add
    removed = 0
    length = len(text)
    for start, end in map(re.Match.span, _SPACE_EDIT.finditer(text)):
        kept = 0 if start == 0 or end == length else 1
        add(start - removed, start, kept, end - start)
        removed += end - start - kept
    return _SPACE.sub(" ", text).strip(), edits


class SourceText:
    """A source text normalised once, its words indexed for quotes to be found in it.

    `text` is `normalize(original)`. Its tokens (runs of letters and digits, and every
    other character alone, the space too) are coded one character per distinct token,
    so a match on whole words is exactly an occurrence of the needle's code in the
    text's code: one `str.find`, which CPython runs in time linear in the two, whatever
    they hold (Crochemore and Perrin's two-way search: Objects/stringlib/fastsearch.h,
    since 3.10; see `_find`), never a loop over occurrences that fail at a word's edge.
    Where a match came from in `original` is worked out at the first `find` that needs it.
    """

    def __init__(self, original: str) -> None:
        self.original = original
        self._text: str | None = None
        self._width = 1
        #: the index, made at the first `find` (a build that takes a page whole never needs it): every
        #: distinct token and its code, and the text coded
        self._index: tuple[dict[str, str], str] | None = None
        self._starts: array[int] | None = None
        self._edits: tuple[_Edits, _Edits] | None = None
        self._numbers: set[Decimal] | None = None
        self._paragraphs: tuple[list[tuple[int, int]], array[int]] | None = None

    @property
    def text(self) -> str:
        """`normalize(original)`."""
        if self._text is None:
            self._text = normalize(self.original)
        return self._text

    @property
    def _codes(self) -> dict[str, str]:
        return self._indexed()[0]

    @property
    def _coded(self) -> str:
        return self._indexed()[1]

    def _indexed(self) -> tuple[dict[str, str], str]:
        if self._index is None:
            tokens = _TOKEN.findall(self.text)
            vocabulary = dict.fromkeys(tokens)
            self._width = 1 if len(vocabulary) <= _MAX_ONE_CHAR_CODES else 2
            codes = {token: self._code(n) for n, token in enumerate(vocabulary, 1)}
            self._index = (codes, "".join(map(codes.__getitem__, tokens)))
        return self._index

    def _code(self, n: int) -> str:
        if self._width == 1:
            return chr(n)
        # No first character of a code is ever a second one: codes cannot match out of step.
        high, low = divmod(n, _HALF)
        return chr(high + 1) + chr(_HALF + low)

    def paragraphs(self) -> list[tuple[int, int]]:
        """Where each paragraph of `original` starts and ends, between its paragraph breaks (`PARAGRAPH_BREAK`:
        a line break and the whitespace around it); leading and trailing whitespace are no paragraph."""
        return self._paragraph_breaks()[0]

    def paragraph_of(self, at: int) -> int:
        """The number (from 1) of the paragraph that character `at` stands in: one more than the line breaks
        of paragraph breaks before it. A bisection over the breaks found once, not a scan of the text before
        `at` (receipts ask once per quote, which on a long text added up to quotes × text)."""
        return 1 + bisect_left(self._paragraph_breaks()[1], at)

    def _paragraph_breaks(self) -> tuple[list[tuple[int, int]], array[int]]:
        if self._paragraphs is None:
            original = self.original
            at = len(original) - len(original.lstrip())
            spans: list[tuple[int, int]] = []
            newlines: array[int] = array("q")
            for gap in PARAGRAPH_BREAK.finditer(original, at):
                spans.append((at, gap.start()))
                newlines.append(gap.start() + gap.group().index("\n"))
                at = gap.end()
            if at < len(original):
                spans.append((at, len(original)))
            self._paragraphs = (spans, newlines)
        return self._paragraphs

    def contains(self, needle: str) -> bool:
        """Whether `needle` stands in the text as whole words (compared normalised)."""
        return self._match(needle) is not None

    def find(self, needle: str) -> tuple[int, int] | None:
        """Where `needle` first stands as whole words: `(start, end)` in `original`.

        `original[start:end]` is what the source has there, as it has it: curly quotes,
        dashes, line breaks and runs of spaces. A match starting or ending inside what
        one character became (`…` became `...`) takes in that whole character.
        """
        match = self._match(needle)
        if match is None:
            return None
        first, count = match
        starts = self._token_starts()
        return self._original_span(starts[first], starts[first + count])

    def _match(self, needle: str) -> tuple[int, int] | None:
        """The first token and the number of tokens where `needle` stands, or None.

        The needle is normalised here: a normalised needle stays as it is. An empty one
        stands nowhere.
        """
        tokens = _TOKEN.findall(normalize(needle))
        codes = self._codes
        if not tokens or any(token not in codes for token in tokens):
            return None
        at = _find(self._coded, "".join(map(codes.__getitem__, tokens)))
        return None if at < 0 else (at // self._width, len(tokens))

    def _token_starts(self) -> array[int]:
        """Where each token starts in `text`, and the text's length last."""
        if self._starts is None:
            lengths = {code: len(token) for token, code in self._codes.items()}
            coded = self._coded
            codes = iter(coded) if self._width == 1 else map(operator.add, coded[::2], coded[1::2])
            self._starts = array("q", accumulate(map(lengths.__getitem__, codes), initial=0))
        return self._starts

    def _original_span(self, start: int, end: int) -> tuple[int, int]:
        """Where `text[start:end]` (not empty) came from in `original`."""
        if self._edits is None:
            folded, nfkc = _nfkc_edits(self.original)
            collapsed, spaces = _collapse_spaces(folded)
            if collapsed != self.text:  # pragma: no cover - normalize is these two steps
                nfkc, spaces = _Edits(), _Edits()
                nfkc.add(0, 0, len(self.text), len(self.original))
            self._edits = (nfkc, spaces)
        nfkc, spaces = self._edits
        return nfkc.start(spaces.start(start)), nfkc.end(spaces.end(end))

    def numbers(self) -> set[Decimal]:
        """Every number the text states (`numbers_in` of the normalised text), worked out once."""
        if self._numbers is None:
            self._numbers = numbers_in(self.text)
        return self._numbers


def _find(haystack: str, needle: str) -> int:
    """`haystack.find(needle)`, kept out of CPython's one search that is not linear.

    For a needle over about a third of the haystack, CPython starts with Horspool's
    search and moves to the two-way one only while over 2,000 places remain: up to
    some 1,000 comparisons of the whole needle. Blanks in front (code 0, in no needle)
    keep it on the two-way search. (Short needles or haystacks get Horspool's search,
    bounded: under 6 times the haystack, or 100 times 30,000 characters.)
    """
    if len(needle) > len(haystack):
        return -1
    pad = 0
    if 4 * len(needle) >= len(haystack):
        pad = 4 * len(needle)
        haystack = "\0" * pad + haystack
    at = haystack.find(needle)
    return at - pad if at >= 0 else -1


# --- the seeds ---------------------------------------------------------------


#: The environment variable naming a folder that holds the source texts in place of `<root>/seeds/`: a folder
#: outside the repository, or a private submodule's. Relative to the root when not absolute.
SOURCES_ENV = "BRIEFINGS_SOURCES_DIR"


@dataclass(frozen=True)
class SourceFolder:
    """Where the files a briefing names `seeds/...` are read: `<root>/seeds/`, or the folder `SOURCES_ENV` names
    (`private`); `absent` when it names one that is not there in this run."""

    path: Path
    private: bool = False
    absent: bool = False
    #: Why the folder named cannot be used (it is a file, a device, a link loop, a name too long), or None.
    problem: str | None = None


def source_folder(root: Path, environ: Mapping[str, str] | None = None) -> SourceFolder:
    """The folder of the source texts for the repository at `root` (`SOURCES_ENV`, else `seeds/`). Set to nothing
    (as a workflow sets it where no private texts are configured), it is unset."""
    value = (os.environ if environ is None else environ).get(SOURCES_ENV, "")
    if not value.strip():
        return SourceFolder(root / "seeds")
    path = Path(value) if os.path.isabs(value) else root / value
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return SourceFolder(path, private=True, absent=True)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return SourceFolder(path, private=True, problem=f"cannot be used ({reason})")
    if not stat.S_ISDIR(mode):
        return SourceFolder(path, private=True, problem="is not a folder")
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return SourceFolder(path, private=True, problem="cannot be resolved (a symbolic link loop?)")
    return SourceFolder(resolved, private=True)


class Seeds:
    """The source texts under `<root>/seeds/` (or the folder `SOURCES_ENV` names): checked once, read once,
    normalised once.

    A file named by several paths (`seeds/a.txt`, `seeds/./a.txt`, a link inside
    seeds/) is still read and normalised once; every briefing citing it shares it.
    """

    def __init__(self, root: Path, keep: int | None = None) -> None:
        self.root = root
        self.where = source_folder(root)
        self.linked = not self.where.private and (root / "seeds").is_symlink()
        self.folder = self.where.path if self.where.private else self.where.path.resolve()
        self._problems: dict[str, str | None] = {}
        self._texts: dict[str, SourceText] = {}
        self._files: dict[Path, SourceText] = {}
        #: With `keep`, at most that many texts are held, the least recently used let go first and read
        #: again when asked for (`mkdocs build` renders each briefing's receipts once, in date order: the
        #: texts of a large collection need not all be held at once). None: every text, for good.
        self.keep = keep
        self._resolved: dict[str, Path] = {}
        self._digests_by_file: dict[Path, str] = {}
        #: The SHA-256 of each usable file's bytes as read, by path.
        self._digests: dict[str, str] = {}
        #: While not None, every path asked about, in order (`checkstore`: what a file's check read).
        self.asked: dict[str, None] | None = None

    def digest(self, path: str) -> str | None:
        """The SHA-256 of the bytes of a file that `problem` accepted, as they were read; else None."""
        if self.problem(path) is not None:
            return None
        return self._digests.get(path)

    def problem(self, path: str) -> str | None:
        """Why `path` is not a usable source file, or None."""
        if self.asked is not None:
            self.asked[path] = None
        if path not in self._problems:
            self._problems[path] = self._check(path)
        return self._problems[path]

    def _check(self, path: str) -> str | None:
        pure = PurePosixPath(path)
        if pure.is_absolute() or "\\" in path or re.match(r"[A-Za-z]:", path):
            return "must be a path relative to the repository root, inside seeds/"
        if ".." in pure.parts or not pure.parts or pure.parts[0] != "seeds":
            return "must be a file inside seeds/"
        if self.linked:
            return "seeds/ is a symbolic link; source texts must be real files inside the repository"
        if self.where.problem is not None:
            return f"cannot be read: {SOURCES_ENV} ({_shown(self.where.path)}) {self.where.problem}"
        if self.where.absent:
            return f"{SEED_ABSENT}: the source texts are kept in {SOURCES_ENV} ({_shown(self.where.path)}), not there"
        full = self.folder.joinpath(*pure.parts[1:]) if self.where.private else self.root / path
        try:
            resolved = full.resolve()
        except (OSError, RuntimeError):
            return "cannot be resolved (a symbolic link loop?)"
        if not resolved.is_relative_to(self.folder):
            folder = "the source texts' folder" if self.where.private else "seeds/"
            return f"resolves outside {folder} (through a symbolic link)"
        self._resolved[path] = resolved
        if resolved in self._files:
            self._texts[path] = self._files[resolved]
            self._digests[path] = self._digests_by_file[resolved]
            return None
        try:
            mode = resolved.stat().st_mode
        except (FileNotFoundError, NotADirectoryError):
            return "no such file"
        except OSError as exc:
            return f"cannot be read ({exc.strerror})"
        if stat.S_ISDIR(mode):
            return "is not a file"
        if not stat.S_ISREG(mode):  # a named pipe would never answer; a device might never end
            return "is not a regular file"
        data = _read_regular(resolved)
        if isinstance(data, str):
            return data
        if len(data) > MAX_FILE_BYTES:
            return f"is larger than 1 MiB ({MAX_FILE_BYTES:,} bytes)"
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return "is not UTF-8 text"
        self._texts[path] = self._files[resolved] = SourceText(text)
        self._digests[path] = self._digests_by_file[resolved] = hashlib.sha256(data).hexdigest()
        if self.keep is not None and len(self._files) > self.keep:
            self._let_go()
        return None

    def _let_go(self) -> None:
        """Let the least recently used texts go, down to `keep`; their paths are read again when asked for."""
        assert self.keep is not None
        while len(self._files) > self.keep:
            oldest = next(iter(self._files))
            del self._files[oldest]
        held = set(map(id, self._files.values()))
        self._texts = {path: text for path, text in self._texts.items() if id(text) in held}

    def text(self, path: str) -> SourceText:
        """The source text of a file that `problem` accepted."""
        if self.asked is not None:
            self.asked[path] = None
        found = self._texts.get(path)
        if found is None:  # let go (`keep`): read again, and refused if it can no longer be used
            del self._problems[path]
            problem = self.problem(path)
            if problem is not None:
                raise ValueError(f"{path} {problem}")
            found = self._texts[path]
        elif self.keep is not None:  # the most recently used last
            resolved = self._resolved[path]
            self._files[resolved] = self._files.pop(resolved)
        return found

    def numbers(self, path: str) -> set[Decimal]:
        """Every number the text of a file that `problem` accepted states."""
        return self.text(path).numbers()


def _shown(path: Path) -> str:
    """A folder's path in a finding: quoted, cut to 120 characters."""
    text = str(path)
    return repr(text if len(text) <= 120 else text[:119] + "…")


def _read_regular(path: Path) -> bytes | str:
    """Up to MAX_FILE_BYTES + 1 bytes of a regular file, or why not.

    Opened without waiting (a file swapped for a named pipe since it was looked at
    does not block) and without following a last symbolic link, then checked again.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    with os.fdopen(fd, "rb") as file:
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return "is not a regular file"
            return file.read(min(info.st_size, MAX_FILE_BYTES) + 1)  # see validate.read_limited
        except OSError as exc:
            return f"cannot be read ({exc.strerror})"


# --- where a match stands: its paragraph and its sentences -------------------------

#: A paragraph break: a run of whitespace with a line break in it (news texts put one paragraph on a line,
#: with or without a blank line after it).
PARAGRAPH_BREAK = re.compile(r"[^\S\n]*\n\s*")
#: How far before and after a match `sentence_span` looks for its sentence's ends. A receipt shows at most
#: `receipts.RECEIPT_CONTEXT` (400) characters on either side, so a sentence running further is cut the same
#: wherever it starts; and a text of one long line costs each receipt this much, not the whole line.
SENTENCE_REACH = 2_000


def sentence_span(text: str, start: int, end: int, reach: int = SENTENCE_REACH) -> tuple[int, int]:
    """The sentence or sentences of `text` that `text[start:end]` stands in, within its paragraphs (a line
    ends a sentence): split as a newsroom writes (`Rear Adm. Daniel Hagari said...` is one sentence, `3.5`
    one number). Looked for within `reach` of the match: past it, that far is the span's end."""
    floor, ceiling = max(0, start - reach), min(len(text), end + reach)
    newline = text.rfind("\n", floor, start)
    low = newline + 1 if newline >= 0 else floor
    newline = text.find("\n", end, ceiling)
    high = newline if newline >= 0 else ceiling
    sentence_start, sentence_end = low, high
    for stop in sentence_ends(text, low, high):
        if stop <= start:
            sentence_start = stop
        elif stop >= end:
            sentence_end = stop
            break
    while sentence_start < start and text[sentence_start].isspace():
        sentence_start += 1
    return sentence_start, max(sentence_end, end)


# --- the closest passage, for a quote or evidence not found ------------------------------------------------

#: Words compared without their case and the punctuation around them.
_SPACED = re.compile(r"\S+")
_EDGES = re.compile(r"^[^\w]+|[^\w]+$")
#: The most differing words a finding names.
MAX_DIFFERENCES = 3


@dataclass(frozen=True)
class Passage:
    """Where a source text comes closest to a quote or evidence it does not hold: the line and column (from 1)
    of its first word in the original text, the passage as written there, and the words that differ, each as
    (in the briefing, in the source), "" where one side has no word."""

    line: int
    column: int
    text: str
    differences: tuple[tuple[str, str], ...]
    #: How many of the needle's words the passage holds, in order.
    same: int


def _plain_word(word: str) -> str:
    return _EDGES.sub("", normalize(word)).casefold()


def closest_passage(original: str, needle: str) -> Passage | None:
    """The passage of `original` that holds the most of `needle`'s words in their places, or None when none holds
    half of them. Linear in the text: each word of the text votes once, for the start its word has in the
    needle (its first place there); the start with the most votes is the passage."""
    wanted = [_plain_word(w) for w in _SPACED.findall(needle)]
    wanted_at: dict[str, int] = {}
    for index, word in enumerate(wanted):
        if word:
            wanted_at.setdefault(word, index)
    if not wanted_at:
        return None
    words = [(m.start(), m.group()) for m in _SPACED.finditer(original)]
    votes: dict[int, int] = {}
    for position, (_, word) in enumerate(words):
        place = wanted_at.get(_plain_word(word))
        if place is not None:
            votes[position - place] = votes.get(position - place, 0) + 1
    if not votes:
        return None
    start = min(votes, key=lambda s: (-votes[s], s))
    first, last = max(0, start), min(len(words), start + len(wanted))
    if first >= last:
        return None
    theirs = [w for _, w in words[first:last]]
    ours = _SPACED.findall(needle)[first - start : last - start]
    matcher = difflib.SequenceMatcher(a=[_plain_word(w) for w in ours], b=[_plain_word(w) for w in theirs])
    differences: list[tuple[str, str]] = []
    same = 0
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            same += a1 - a0
            continue
        shown = (" ".join(ours[a0:a1]), " ".join(theirs[b0:b1]))
        differences.append((_EDGES.sub("", shown[0]) or shown[0], _EDGES.sub("", shown[1]) or shown[1]))
    if same * 2 < len(wanted):
        return None  # less than half of it there: nothing close enough to point at
    at = words[first][0]
    line = original.count("\n", 0, at) + 1
    column = at - (original.rfind("\n", 0, at) + 1) + 1
    end = words[last - 1][0] + len(words[last - 1][1])
    return Passage(line, column, original[at:end], tuple(differences[:MAX_DIFFERENCES]), same)


# --- words copied from a source -----------------------------------------------------------------------------

#: A run of at least this many words found as written in a source is copying, not summarising.
COPIED_WORDS = 15
#: The words looked up at once, and how far apart the lookups start: every run of GRAM + STEP - 1 words or
#: more holds a looked-up gram, so each is found with a handful of searches, whatever the text's length.
_GRAM = 12
_STEP = 4


def copied_run(text: SourceText, written: str) -> tuple[int, str] | None:
    """The longest run of `written`'s words that stands in `text` as written, if it is COPIED_WORDS words or
    more: its length in words and its first words. Grams of _GRAM words at every _STEP-th word are looked up
    (each search linear in the text); a gram found is grown word by word while it is still there."""
    words = written.split()
    best: tuple[int, int] | None = None  # length, start
    start = 0
    while start + _GRAM <= len(words):
        if best is not None and start < best[1] + best[0]:
            start += _STEP
            continue
        if text.contains(" ".join(words[start : start + _GRAM])):
            begin, end = start, start + _GRAM
            while begin > 0 and text.contains(" ".join(words[begin - 1 : end])):
                begin -= 1
            while end < len(words) and text.contains(" ".join(words[begin : end + 1])):
                end += 1
            if best is None or end - begin > best[0]:
                best = (end - begin, begin)
        start += _STEP
    if best is None or best[0] < COPIED_WORDS:
        return None
    length, begin = best
    return length, " ".join(words[begin : begin + 8])
