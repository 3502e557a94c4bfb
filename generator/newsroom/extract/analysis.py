"""`analyse(text)`: the whole article read, step by step, into an `Analysis` (what
`generator.newsroom.draft` turns into a briefing), with the dateline's place, agency and day and
the full dates of the header lines.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from generator.newsroom.extract.figures import FigureFound, Figures
from generator.newsroom.extract.names import Entity
from generator.newsroom.extract.next_steps import NextFound, next_steps
from generator.newsroom.extract.reader import Reader
from generator.newsroom.extract.speakers import Quotation, Speakers
from generator.newsroom.extract.text import (
    DATELINE,
    FULL_DATE,
    Paragraph,
    mask_quotes,
    paragraphs,
    quote_spans,
    sentence_bounds,
    sentence_starts,
)
from generator.newsroom.extract.vocabulary import MAX_SCAN, MONTHS


@dataclass
class Analysis:
    """What `analyse` finds in an article."""

    text: str
    paragraphs: list[Paragraph]
    first_line: str
    headline: bool  # whether the first line is a headline rather than the lead
    location: str | None
    agency: str | None
    dateline_day: tuple[int, int] | None  # month, day
    dates: list[tuple[int, int, int]]  # year, month, day found in the header lines
    lead: list[str]  # the first sentences of the prose
    sentences: list[str]
    quotes: list[Quotation]
    figures: list[FigureFound]
    entities: list[Entity]
    next: list[NextFound]
    truncated: bool


def analyse(original: str) -> Analysis:
    """Read an article (its text, as a source file holds it)."""
    truncated = len(original) > MAX_SCAN
    text = original[:MAX_SCAN]
    paras = paragraphs(text)
    spans = quote_spans(text, paras)
    starts = sentence_starts(text, paras, spans)
    masked = mask_quotes(text, spans)
    reader = Reader(text, masked, paras, starts)
    quotes = Speakers(text, masked, paras, spans, starts, reader).find()
    figures = Figures(text, paras, starts, reader).find()
    steps = next_steps(text, masked, paras, starts, reader)
    first_line = text.strip().split("\n", 1)[0].strip() if text.strip() else ""
    location = agency = None
    dateline_day = None
    prose = [p for p in paras if p.kind == "prose"]
    if prose and prose[0].lead > prose[0].start:
        match = DATELINE.match(text, prose[0].start, prose[0].end)
        if match:
            location = _place_name(match.group("place"))
            agency = match.group("agency")
            if match.group("month"):
                dateline_day = (MONTHS[match.group("month").lower()], int(match.group("day")))
    dates: list[tuple[int, int, int]] = []
    for para in paras[:8]:
        if para.kind in ("byline", "date", "heading") or (para is (prose[0] if prose else None)):
            end = para.lead if para.kind == "prose" and para.lead > para.start else para.end
            for match in FULL_DATE.finditer(text, para.start, end):
                dates.append(_date_of(match))
    sentences: list[str] = []
    for para in prose:
        for a, b in itertools.pairwise(sentence_bounds(starts, para.lead, para.end)):
            sentence = " ".join(text[a:b].split())
            if sentence:
                sentences.append(sentence)
        if len(sentences) > 40:
            break
    lead = []
    if prose:
        bounds = sentence_bounds(starts, prose[0].lead, prose[0].end)
        lead = [" ".join(text[a:b].split()) for a, b in itertools.pairwise(bounds)][:10]
    return Analysis(
        text=text,
        paragraphs=paras,
        first_line=first_line,
        headline=bool(paras) and paras[0].kind == "headline",
        location=location,
        agency=agency,
        dateline_day=dateline_day,
        dates=[d for d in dates if d[1] > 0],
        lead=[s for s in lead if s],
        sentences=sentences,
        quotes=quotes,
        figures=figures,
        entities=reader.entities,
        next=steps,
        truncated=truncated,
    )


def _place_name(caps: str) -> str:
    """`SAN JOSE` -> `San Jose`, `THE HAGUE` -> `The Hague`."""
    return " ".join(word.capitalize() if word.isupper() else word for word in caps.split())


def _date_of(match: re.Match[str]) -> tuple[int, int, int]:
    if match.group("iso"):
        year, month, day = (int(part) for part in match.group("iso").split("-"))
        return year, month, day
    month_name: str = match.group("month") or match.group("month2")
    day_text: str = match.group("day") or match.group("day2")
    year_text: str = match.group("year") or match.group("year2")
    return int(year_text), MONTHS.get(month_name.lower(), 0), int(day_text)
