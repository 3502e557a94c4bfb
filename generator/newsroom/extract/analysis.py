"""`analyse(text)`: the whole article read, step by step, into an `Analysis` (what
`generator.newsroom.draft` turns into a briefing): its paragraphs, first line, dateline and header
dates, lead and sentences, quotations, figures, entities and next steps.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from generator.newsroom.extract.dates import dateline, header_dates
from generator.newsroom.extract.figures import FigureFound, Figures
from generator.newsroom.extract.names import Entity
from generator.newsroom.extract.next_steps import NextFound, next_steps
from generator.newsroom.extract.reader import Reader
from generator.newsroom.extract.speakers import Quotation, Speakers
from generator.newsroom.extract.text import (
    Paragraph,
    mask_quotes,
    paragraphs,
    quote_spans,
    sentence_bounds,
    sentence_starts,
)
from generator.newsroom.extract.vocabulary import MAX_SCAN


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
    # The headline: the first line, or after a masthead's issue line or a date line the first block that is none.
    top = next((p for p in paras[:3] if p.kind not in ("date", "byline")), paras[0] if paras else None)
    first_line = text[top.start : top.end].split("\n", 1)[0].strip() if top is not None else ""
    prose = [p for p in paras if p.kind == "prose"]
    location, agency, dateline_day = dateline(text, prose)
    dates = header_dates(text, paras, prose)
    sentences = _sentences(text, starts, prose)
    lead = _lead(text, starts, prose)
    return Analysis(
        text=text,
        paragraphs=paras,
        first_line=first_line,
        headline=top is not None and top.kind in ("headline", "heading"),
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


def _sentences(text: str, starts: list[int], prose: list[Paragraph]) -> list[str]:
    """The sentences of the prose, whitespace collapsed: those of the paragraphs up to the one that
    brings them past 40."""
    sentences: list[str] = []
    for para in prose:
        for a, b in itertools.pairwise(sentence_bounds(starts, para.lead, para.end)):
            sentence = " ".join(text[a:b].split())
            if sentence:
                sentences.append(sentence)
        if len(sentences) > 40:
            break
    return sentences


def _lead(text: str, starts: list[int], prose: list[Paragraph]) -> list[str]:
    """The first prose paragraph's first ten sentences, whitespace collapsed."""
    lead = []
    if prose:
        bounds = sentence_bounds(starts, prose[0].lead, prose[0].end)
        lead = [" ".join(text[a:b].split()) for a, b in itertools.pairwise(bounds)][:10]
    return lead
