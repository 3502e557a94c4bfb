"""YAML text to a tree of nodes that remember where they were written.

The briefing format uses a deliberately small part of YAML: mappings, sequences
and text. Everything else (anchors, aliases, merge keys, tags, several
documents, deep nesting, duplicate keys) is refused here with a finding at the
exact place, and nothing is ever constructed from a tag, so no input can run
code. Every scalar stays the text that was written: there is no YAML 1.1
implicit typing (`No` is the text "No"); the schema alone decides what a field
means.

The parser is libyaml's (through PyYAML's `CParser`) when it is installed and
PyYAML's pure-Python one otherwise; both yield the same events.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

#: Largest briefing or source file read, in bytes.
MAX_FILE_BYTES = 1024 * 1024

#: The format nests three containers (briefing -> list -> record); one more level
#: is read so that a list written where text belongs gets a plain type error.
MAX_DEPTH = 4

#: Characters refused anywhere in a file, written raw: control characters (YAML
#: refuses most of them itself), and the line breaks other than LF and CRLF (NEL,
#: U+2028, U+2029, a lone CR), which YAML counts as new lines and many editors do
#: not, so that every line number reported would be off.
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]|\r(?!\n)")

#: Noncharacters: U+FDD0 to U+FDEF, and the last two code points of each of the 17 planes
#: (U+FFFE, U+FFFF, U+1FFFE, ..., U+10FFFF). Unicode sets them aside for a program's own
#: use; they are never text.
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
)

#: Characters that may not appear in any text, written raw or as an escape (`"\u202e"`):
#: control characters (other than tab and line feed: a one-line field refuses a line feed
#: itself), bidirectional overrides and isolates, zero-width characters, surrogates (a
#: `"\ud800"` escape, which only the pure-Python parser lets through) and noncharacters.
#: They are invisible on the page, or not characters at all, and can make a text read
#: other than it is written.
BAD_TEXT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u180e"
    "\ud800-\udfff" + NONCHARACTERS + "]"
)

#: The two noncharacters YAML parsers refuse when written raw (they take the whole file
#: for unreadable). Before parsing, each is swapped for another noncharacter the parser
#: lets through, and swapped back in every value, so that it is reported in its field.
_UNREADABLE = "\ufffe\uffff"

#: ASCII control characters other than tab, line feed and carriage return.
_ASCII_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _plain_ascii(text: str) -> bool:
    """ASCII with no control character but tab and line breaks: nothing `BAD_TEXT` or
    `RAW_CONTROL` (but a lone CR) could find. A fast test: their classes are large."""
    return text.isascii() and _ASCII_CONTROL.search(text) is None


ReportFn = Callable[[int, int, str, str], None]
"""report(line, column, field, message): line and column are 1-based."""


class Scalar:
    """A text value and where it starts (1-based line and column)."""

    __slots__ = ("value", "line", "column", "plain")

    def __init__(self, value: str, line: int, column: int, plain: bool) -> None:
        self.value = value
        self.line = line
        self.column = column
        #: Written without quotes or block indicators.
        self.plain = plain

    @property
    def is_null(self) -> bool:
        """Nothing written at all (`key:` with no value)."""
        return self.plain and self.value == ""


class Mapping:
    """Keys (in the order written) to (key node, value node)."""

    __slots__ = ("items", "line", "column")

    def __init__(self, line: int, column: int) -> None:
        self.items: dict[str, tuple[Scalar, Node]] = {}
        self.line = line
        self.column = column


class Sequence:
    __slots__ = ("items", "line", "column")

    def __init__(self, line: int, column: int) -> None:
        self.items: list[Node] = []
        self.line = line
        self.column = column


class Broken:
    """A node already reported as wrong; later checks pass over it silently."""

    __slots__ = ("line", "column")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


Node = Scalar | Mapping | Sequence | Broken


class YAMLSyntaxError(Exception):
    """The file cannot be read as YAML at all: one finding, at the parser's position."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 only, a leading BOM dropped. Raises YAMLSyntaxError."""
    if len(data) > MAX_FILE_BYTES:
        raise YAMLSyntaxError(1, 1, f"file is larger than 1 MiB ({MAX_FILE_BYTES:,} bytes)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(data) > 1 and b"\x00" in data[:4]):
        raise YAMLSyntaxError(1, 1, "file is not UTF-8 (it looks like UTF-16); save it as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        bad = data[exc.start : exc.end]
        raise YAMLSyntaxError(line, column, f"file is not valid UTF-8 (got byte {bad!r})") from None
    raw = RAW_CONTROL.search(text) if "\r" in text or not _plain_ascii(text) else None
    if raw:
        line, column = position(text, raw.start())
        raise YAMLSyntaxError(line, column, f"{describe(raw.group())} is not allowed in a briefing")
    return text


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_CONTROL_NAMES = {
    "\x00": "NULL",
    "\x07": "BELL",
    "\x08": "BACKSPACE",
    "\x0b": "LINE TABULATION",
    "\x0c": "FORM FEED",
    "\r": "CARRIAGE RETURN",
    "\x1b": "ESCAPE",
    "\x7f": "DELETE",
    "\x85": "NEXT LINE",
}


def describe(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`, `U+0007 BELL`, `U+FFFE (a noncharacter)`."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"U+{code:04X} (a surrogate)"
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return f"U+{code:04X} (a noncharacter)"
    name = unicodedata.name(char, None) or _CONTROL_NAMES.get(char, "control character")
    return f"U+{code:04X} {name}"


def _why(char: str) -> str:
    """The reason a character is refused in text, for the end of a message."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return "a surrogate is half of an escaped pair, not a character; write the character itself"
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return "noncharacters are not text"
    return "invisible and control characters are not allowed in text"


def _shown(name: str) -> str:
    """A key as a field path shows it: refused characters written as escapes (`\\u200b`)."""
    return BAD_TEXT.sub(
        lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) < 0x10000 else f"\\U{ord(m.group()):08x}", name
    )


def _swap_unreadable(text: str) -> tuple[str, dict[int, int]]:
    """`text` with each raw U+FFFE and U+FFFF swapped for a noncharacter the parser reads.

    Returns the text and the table that swaps them back (`str.translate`). The stand-ins
    are noncharacters from U+FDD0 to U+FDEF written nowhere in the text (raw or as an
    escape), one character and three bytes of UTF-8 each like the ones they replace, so
    every position the parser reports stays right. Raises YAMLSyntaxError in the absurd
    case of a text that already holds every possible stand-in.
    """
    restore: dict[int, int] = {}
    present = [char for char in _UNREADABLE if char in text]
    if not present:
        return text, restore
    # Nor written as an escape (`"\ufdd0"`), which would then be named as the wrong character.
    lowered = text.lower()
    free = (chr(code) for code in range(0xFDD0, 0xFDF0) if chr(code) not in text and f"{code:x}" not in lowered)
    for char in present:
        stand_in = next(free, None)
        if stand_in is None:
            line, column = position(text, text.index(char))
            raise YAMLSyntaxError(line, column, f"{describe(char)} is not allowed in a briefing")
        text = text.replace(char, stand_in)
        restore[ord(stand_in)] = ord(char)
    return text, restore


def parse(text: str, report: ReportFn) -> Node | None:
    """Parse one YAML document into nodes, reporting every disallowed construct.

    Returns None when the file holds no document. Raises YAMLSyntaxError when the
    text is not YAML at all, or holds more than one document.
    """
    swapped, restore = _swap_unreadable(text)
    parser: Any = None
    try:
        parser = _Parser(swapped)
        # Most files hold no such character at all: one search of the whole text spares a
        # search of every value. A backslash may start an escape ("\u202e") that makes one.
        suspect = "\\" in swapped or not _plain_ascii(swapped)
        return _Builder(parser.get_event, report, suspect, _end(text), restore).document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        line, column = _within(text, line, column)
        problem = exc.problem or exc.context or "not valid YAML"
        opened = exc.context_mark
        if exc.context == "while scanning a quoted scalar" and opened is not None:
            # Where the quotation mark was opened, not where the text ran out: that is where it is missing.
            ended = line
            line, column = _within(text, opened.line + 1, opened.column + 1)
            lines = text.splitlines()
            mark_char = lines[line - 1][column - 1 : column] if line <= len(lines) else '"'
            problem = (
                f"the quotation mark {mark_char!r} opened here is never closed"
                f" (YAML read on to line {ended}: {problem})"
            )
        else:
            unclosed = _unclosed_quote(text, line)
            if unclosed is not None:
                ended = line
                line, column, mark_char = unclosed
                problem = (
                    f"the quotation mark {mark_char!r} opened here is not closed on its line"
                    f" (YAML read on to line {ended}: {problem})"
                )
        if problem == "found invalid Unicode character escape code":
            # libyaml's word for a surrogate (`"\\ud800"`, half of a UTF-16 pair) or a code
            # point past U+10FFFF: neither is a character.
            problem += (
                ": a surrogate (\\ud800 to \\udfff) or a code point past \\U0010FFFF is not a character;"
                " write the character itself, or one \\U escape such as \\U0001F600"
            )
        raise YAMLSyntaxError(line, column, f"YAML syntax: {problem}") from None
    except yaml.YAMLError as exc:  # reader errors: characters YAML refuses
        offset = getattr(exc, "position", 0)
        line, column = position(text, offset)
        raise YAMLSyntaxError(line, column, f"YAML: {exc}".splitlines()[0]) from None
    finally:
        if parser is not None:
            parser.dispose()


class _Builder:
    """Events to nodes, by recursive descent (depth is bounded by MAX_DEPTH)."""

    def __init__(
        self,
        next_event: Callable[[], Any],
        report: ReportFn,
        suspect: bool,
        end: tuple[int, int],
        restore: dict[int, int],
    ) -> None:
        self.next = next_event
        self.report = report
        #: The last line and the column after its last character: where libyaml's
        #: positions past the end of the text (an empty value at the very end) are put.
        self.end = end
        #: Whether values may hold characters that are not allowed in text.
        self.suspect = suspect
        #: Stand-ins to swap back for the raw characters they replaced (`_swap_unreadable`).
        self.restore = restore

    def text(self, event: Any) -> str:
        """A scalar's value as written."""
        value: str = event.value
        return value.translate(self.restore) if self.restore else value

    def refused(self, value: str, line: int, column: int, field: str) -> bool:
        """Report the first character of `value` that is not allowed in text; whether there was one."""
        bad = BAD_TEXT.search(value) if self.suspect else None
        if bad is None:
            return False
        char = bad.group()
        self.report(line, column, field, f"contains {describe(char)} at character {bad.start() + 1}: {_why(char)}")
        return True

    def document(self) -> Node | None:
        event: Any = self.next()
        assert event.__class__ is StreamStartEvent
        event = self.next()
        if event.__class__ is StreamEndEvent:
            return None
        assert event.__class__ is DocumentStartEvent
        root = self.node(self.next(), "", 0)
        event = self.next()
        assert event.__class__ is DocumentEndEvent
        event = self.next()
        if event.__class__ is DocumentStartEvent:
            mark: Any = event.start_mark
            raise YAMLSyntaxError(
                mark.line + 1,
                mark.column + 1,
                "more than one YAML document in the file; a briefing is one document",
            )
        return root

    def node(self, event: Any, field: str, depth: int) -> Node:
        mark = event.start_mark
        line, column = mark.line + 1, mark.column + 1
        if line > self.end[0]:
            line, column = self.end
        cls = event.__class__
        if cls is AliasEvent:
            self.report(line, column, field, f"aliases are not allowed (got '*{event.anchor}')")
            return Broken(line, column)
        anchor = event.anchor
        tag = event.tag
        if anchor is not None:
            self.report(line, column, field, f"anchors are not allowed (got '&{anchor}')")
        if tag is not None:
            self.report(line, column, field, f"tags are not allowed (got {_tag(tag)!r})")
        broken = anchor is not None or tag is not None
        if cls is ScalarEvent:
            value = self.text(event)
            if self.refused(value, line, column, field):
                broken = True
            if broken:
                return Broken(line, column)
            return Scalar(value, line, column, event.implicit[0])
        if depth >= MAX_DEPTH:
            self.report(
                line,
                column,
                field,
                "nested too deeply: a briefing has at most 3 levels of lists and mappings",
            )
            self.skip()
            return Broken(line, column)
        if cls is MappingStartEvent:
            mapping = self.mapping(Mapping(line, column), field, depth + 1)
            return Broken(line, column) if broken else mapping
        if cls is SequenceStartEvent:
            sequence = Sequence(line, column)
            prefix = field or "document"
            event = self.next()
            while event.__class__ is not SequenceEndEvent:
                index = len(sequence.items)
                sequence.items.append(self.node(event, f"{prefix}[{index}]", depth + 1))
                event = self.next()
            return Broken(line, column) if broken else sequence
        raise AssertionError(f"unexpected YAML event {event!r}")  # pragma: no cover

    def mapping(self, mapping: Mapping, field: str, depth: int) -> Mapping:
        items = mapping.items
        event = self.next()
        while event.__class__ is not MappingEndEvent:
            key: Node
            if event.__class__ is ScalarEvent:
                name = self.text(event)
                refused = self.suspect and BAD_TEXT.search(name) is not None
                if refused:
                    # Reported as the key's own problem below; the field path shows the key
                    # with escapes, and the key is kept out of the mapping (it can be no
                    # field of the format), so no "unknown key" follows.
                    name = _shown(name)
                child = f"{field}.{name}" if field else name
                key = self.node(event, child, depth)
                if isinstance(key, Broken) and not refused:
                    # Reported (an anchor or tag on the key); the key itself is still known,
                    # so its value is read and no "required" follows from it.
                    key = Scalar(name, key.line, key.column, event.implicit[0])
                elif name == "<<" and isinstance(key, Scalar) and key.plain:
                    self.report(key.line, key.column, child, "merge keys ('<<') are not allowed")
                    key = Broken(key.line, key.column)
            else:
                child = field
                key = self.node(event, field, depth)
                if not isinstance(key, Broken):
                    self.report(key.line, key.column, field, "a key must be plain text, not a list or mapping")
                    key = Broken(key.line, key.column)
            value = self.node(self.next(), child, depth)
            if isinstance(key, Scalar):
                first = items.get(key.value)
                if first is not None:
                    self.report(
                        key.line,
                        key.column,
                        child,
                        f"duplicate key (first written at line {first[0].line})",
                    )
                else:
                    items[key.value] = (key, value)
            event = self.next()
        return mapping

    def skip(self) -> None:
        """Pass over the rest of a container whose start event was just read."""
        depth = 1
        while depth:
            cls = self.next().__class__
            if cls is MappingStartEvent or cls is SequenceStartEvent:
                depth += 1
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                depth -= 1


def _end(text: str) -> tuple[int, int]:
    """The last line of a text and the column just after its last character."""
    body = text[:-1] if text.endswith("\n") else text
    line = body.count("\n") + 1
    last = body[body.rfind("\n") + 1 :].rstrip("\r")
    return line, len(last) + 1


#: A value that opens with a quotation mark: after a key, a list's dash, or both.
_QUOTED_VALUE = re.compile(r"""^(\s*(?:-\s+)?(?:[^\s"'#:][^:#]*:\s+)?)(["'])(.*)$""")


def _unclosed_quote(text: str, before: int) -> tuple[int, int, str] | None:
    """The last line before line `before` whose value opens a quotation mark and does not close it on that
    line (its line, column and mark): where a syntax error further down most likely began."""
    lines = text.splitlines()[: max(0, before - 1)]
    for number in range(len(lines), 0, -1):
        match = _QUOTED_VALUE.match(lines[number - 1])
        if match is None:
            continue
        mark, rest = match.group(2), match.group(3)
        closed = re.search(r'(?<!\\)"', rest) if mark == '"' else re.search(r"'(?!')", rest.replace("''", ""))
        if closed is None:
            return number, len(match.group(1)) + 1, mark
    return None


def _within(text: str, line: int, column: int) -> tuple[int, int]:
    """A position inside the file: libyaml puts problems found at the end of the stream on the
    line after the last one; an editor shows them at the end of the last line."""
    end = _end(text)
    return end if line > end[0] else (line, column)


def _tag(tag: str) -> str:
    for long, short in (("tag:yaml.org,2002:", "!!"),):
        if tag.startswith(long):
            return short + tag[len(long) :]
    return tag
