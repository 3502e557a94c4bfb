"""The text of an article as the other steps read it: paragraphs (headline, byline, date line, heading
or prose, a dateline cut from the first prose paragraph), quotation spans, sentence starts, the text
with its quotations masked, and word tokens.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from generator.format.prose import MONTH_NAMES, is_abbreviation, sentence_ends

# --- the text: paragraphs -------------------------------------------------------


@dataclass
class Paragraph:
    """One paragraph: where it is, what kind of block it is, and where its prose starts."""

    start: int
    end: int
    kind: str  # headline, byline, date, heading, prose
    lead: int  # where the prose starts: after a dateline, else `start`


_PARAGRAPH = re.compile(r"[^\n]+(?:\n[ \t]*\S[^\n]*)*")
_LINE = re.compile(r"[^\n]+")
_TERMINAL = re.compile(r"[.!?…:;\"”’')\]]\s*\Z")
DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z'’.-]+(?:[ ][A-Z][A-Z'’.-]+){0,3})"
    r"(?:,[ ](?P<region>[A-Z][A-Za-z.]+(?:[ ][A-Z][A-Za-z.]+){0,2}))?"
    rf"(?:,?[ ](?P<month>{MONTH_NAMES})\.?[ ](?P<day>\d{{1,2}}))?"
    r"(?:[ ]?\((?P<agency>[A-Za-z][A-Za-z .&-]{0,30})\))?"
    r"[ ]?(?:—|–|--|-)[ ]?"
)
FULL_DATE = re.compile(
    rf"\b(?:(?P<month>{MONTH_NAMES})\.?[ ](?P<day>\d{{1,2}}),?[ ](?P<year>(?:19|20)\d\d)"
    rf"|(?P<day2>\d{{1,2}})[ ](?P<month2>{MONTH_NAMES})\.?,?[ ](?P<year2>(?:19|20)\d\d)"
    r"|(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d))\b"
)
_BYLINE = re.compile(r"(?:By|BY)\s+\S")
#: A newspaper's issue line: `Vol. 72/No. 30`, `Volume 12, Issue 4`.
_ISSUE_LINE = re.compile(r"\b(?:Vol\.|Volume|VOL\.)\s*\d+|\b(?:No\.|Issue|Number)\s*\d+\b.*\d{4}")
_WORD_COUNT = re.compile(r"\S+")


def paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of an article, blank lines between them (or, with none, one per line)."""
    found = _blocks(text)
    for index, para in enumerate(found):
        para.kind = _kind(text[para.start : para.end], index == 0 and len(found) > 1)
    _cut_dateline(text, found)
    return found


def _blocks(text: str) -> list[Paragraph]:
    """The blocks of text between blank lines (or the lines), trimmed; each prose until told apart."""
    pattern = _PARAGRAPH if re.search(r"\n[ \t]*\n", text) else _LINE
    found: list[Paragraph] = []
    for match in pattern.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            found.append(Paragraph(start, end, "prose", start))
    return found


def _kind(block: str, first_of_several: bool) -> str:
    """What kind of block a paragraph is: headline, byline, date, heading or prose."""
    words = len(_WORD_COUNT.findall(block[:2000]))
    terminal = _TERMINAL.search(block[-10:]) is not None
    if words <= 12 and _ISSUE_LINE.search(block) and not terminal:
        return "date"  # a masthead's issue line: `Vol. 72/No. 30 July 28, 2008`
    if first_of_several and "\n" not in block and (not terminal or words <= 12):
        return "headline"
    if _BYLINE.match(block) and words <= 12 and not block.endswith("."):
        return "byline"
    if words <= 8 and FULL_DATE.search(block) and not terminal:
        return "date"
    if (words <= 14 and not terminal) or (block.startswith("(") and block.endswith(")") and words <= 8):
        return "heading"
    return "prose"


def _cut_dateline(text: str, found: list[Paragraph]) -> None:
    """The first prose paragraph's prose starts after its dateline (`CAIRO (AP) —`), when it has one."""
    for para in found:
        if para.kind == "prose":
            dateline = DATELINE.match(text, para.start, para.end)
            if dateline and len(dateline.group("place").replace(" ", "")) >= 2:
                para.lead = dateline.end()
            break


# --- quotation spans --------------------------------------------------------------


@dataclass
class QuoteSpan:
    """A quotation: the text between its marks (`start`, `end`) in one paragraph."""

    para: int
    open: int  # the opening mark
    start: int
    end: int
    close: int | None  # the closing mark; None when the paragraph ends first
    continues: bool = False  # opens again a quotation the previous paragraph left open
    chain: int = -1  # quotations continued across paragraphs share a chain number


_OPENERS = {"“": "open", "”": "close", '"': "toggle", "«": "open", "»": "close", "„": "open"}
_DOUBLE_MARKS = re.compile('[“”"«»„]')
# A single mark opens after a space or bracket and before a letter; it closes after a
# non-space and before anything but a letter or digit (an apostrophe sits between letters).
_SINGLE_MARKS = re.compile(r"(?:(?<![^\s(\[—–-])[‘'](?=[^\W\d_])|(?<=\S)[’'](?![^\W_]))")


def quote_spans(text: str, paras: list[Paragraph]) -> list[QuoteSpan]:
    """The quotations of the prose paragraphs, in order."""
    prose = [p for p in paras if p.kind == "prose"]
    double = any(_DOUBLE_MARKS.search(text, p.lead, p.end) for p in prose)
    spans: list[QuoteSpan] = []
    chain = 0
    left_open = False
    for index, para in enumerate(paras):
        if para.kind != "prose":
            left_open = False
            continue
        if double:
            found = _double_spans(text, para, index, left_open and _closes_first(text, para))
        else:
            found = _single_spans(text, para, index)
        if found and left_open and found[0].open == para.lead:
            found[0].continues = True
            found[0].chain = spans[-1].chain
        for span in found:
            if span.chain < 0:
                chain += 1
                span.chain = chain
        spans.extend(found)
        left_open = bool(found) and found[-1].close is None
    return spans


def _closes_first(text: str, para: Paragraph) -> bool:
    """Whether a paragraph after one left inside a quotation goes on with it without opening it again: its
    first double mark closes (`… early." After the match, …`): a `”`, or a `"` after a word and before a
    space or the paragraph's end."""
    first = _DOUBLE_MARKS.search(text, para.lead, para.end)
    if first is None or first.start() == para.lead:
        return False
    mark, at = first.group(), first.start()
    if mark in "”»":
        return True
    after = text[at + 1 : at + 2]
    return mark == '"' and not text[at - 1].isspace() and (after == "" or after.isspace() or after in ",;)")


def _double_spans(text: str, para: Paragraph, index: int, inside: bool = False) -> list[QuoteSpan]:
    """The quotations of a paragraph; `inside`: it starts within one that the paragraph before left open."""
    found: list[QuoteSpan] = []
    # Where the quotation open at the paragraph's start opened: as if its mark stood just before the paragraph (its
    # words start at `para.lead`; the span's `open` is kept inside the paragraph).
    opened: int | None = para.lead - 1 if inside else None
    for match in _DOUBLE_MARKS.finditer(text, para.lead, para.end):
        at = match.start()
        kind = _OPENERS[match.group()]
        if kind == "open" or (kind == "toggle" and opened is None):
            opened = at  # an opening mark with one still open: the earlier one was stray
        elif opened is not None:
            found.append(QuoteSpan(index, max(opened, para.lead), opened + 1, at, at))
            opened = None
    if opened is not None:
        found.append(QuoteSpan(index, max(opened, para.lead), opened + 1, para.end, None))
    return found


def _single_spans(text: str, para: Paragraph, index: int) -> list[QuoteSpan]:
    found: list[QuoteSpan] = []
    opened: int | None = None
    for match in _SINGLE_MARKS.finditer(text, para.lead, para.end):
        at = match.start()
        mark = match.group()
        before = text[at - 1] if at > para.lead else " "
        opening = mark == "‘" or (mark == "'" and (before.isspace() or before in "([—–-"))
        if opening and opened is None:
            opened = at
        elif not opening and opened is not None and at > opened + 1:
            found.append(QuoteSpan(index, opened, opened + 1, at, at))
            opened = None
    if opened is not None:
        found.append(QuoteSpan(index, opened, opened + 1, para.end, None))
    return found


def quote_text(text: str, span: QuoteSpan) -> str:
    """The words of a quotation as a briefing quotes them: whitespace collapsed, without the
    comma or full stop that closes it inside the marks (`“…,” she said`); at most 1,000 characters."""
    words = " ".join(text[span.start : span.end].split())
    if len(words) > 1000:
        cut = max(words.rfind(". ", 0, 999), words.rfind("? ", 0, 999), words.rfind("! ", 0, 999))
        words = words[: cut + 1] if cut > 200 else words[: words.rfind(" ", 0, 1000)]
    if not words.endswith(("...", "…")):
        words = words.rstrip(" ,;:.")
    return words.strip()


# --- sentences --------------------------------------------------------------------


def sentence_starts(text: str, paras: list[Paragraph], spans: list[QuoteSpan]) -> list[int]:
    """Where each sentence of the prose starts, sorted: where `prose.sentence_ends` ends one (the checker's and
    the receipts' reading), but never inside a quotation unless its mark closes it."""
    inside = _Inside(spans)
    starts: list[int] = []
    for para in paras:
        if para.kind != "prose":
            continue
        starts.append(para.lead)
        for end in sentence_ends(text, para.lead, para.end):
            if inside(end - 1) and not inside.closes_at(end - 1):
                continue
            nxt = end
            while nxt < para.end and text[nxt].isspace():
                nxt += 1
            if nxt < para.end:
                starts.append(nxt)
    return sorted(set(starts))


class _Inside:
    """Whether an offset lies inside a quotation (between its marks)."""

    def __init__(self, spans: list[QuoteSpan]) -> None:
        self.bounds = [(s.start, s.end) for s in spans]
        self.closes = {s.close for s in spans if s.close is not None}
        self.starts = [s.start for s in spans]

    def __call__(self, at: int) -> bool:
        k = bisect_right(self.starts, at) - 1
        return k >= 0 and self.bounds[k][0] <= at < self.bounds[k][1]

    def closes_at(self, at: int) -> bool:
        return at in self.closes


def mask_quotes(text: str, spans: list[QuoteSpan]) -> str:
    """The text with every quotation's words blanked (NUL), offsets unchanged."""
    parts: list[str] = []
    at = 0
    for span in spans:
        parts.append(text[at : span.start])
        parts.append("\0" * (span.end - span.start))
        at = span.end
    parts.append(text[at:])
    return "".join(parts)


# --- tokens -------------------------------------------------------------------------

# Words: initialisms (U.S., a.m.), words with inner hyphens and apostrophes, a final period kept
# for abbreviation checks. Digits start no word here.
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_][\w’'-]*(?:\.(?=\s|$|,))?")


@dataclass
class Token:
    start: int
    end: int
    text: str  # without a final period that ends the sentence, without a possessive 's
    possessive: bool = False

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def tokens(masked: str, start: int, end: int) -> list[Token]:
    found: list[Token] = []
    for match in _TOKEN.finditer(masked, start, end):
        word = match.group()
        token_end = match.end()
        if word.endswith(".") and word.count(".") == 1 and not is_abbreviation(word):
            word = word[:-1]
            token_end -= 1
        possessive = False
        if word.endswith(("’s", "'s")) and len(word) > 2:
            word = word[:-2]
            possessive = True
        elif word.endswith(("s’", "s'")) and word[:1].isupper():
            word = word[:-1]
            possessive = True
        found.append(Token(match.start(), token_end, word.rstrip("-’'"), possessive))
    return found


def sentence_bounds(starts: list[int], lead: int, end: int) -> list[int]:
    """The sentence starts of a paragraph, and its end."""
    return [*starts[bisect_left(starts, lead) : bisect_left(starts, end)], end]
