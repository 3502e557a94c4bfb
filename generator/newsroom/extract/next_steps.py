"""Next steps: the sentences of the prose about what will, is expected to or may happen, with when
(`next week`, `by June 30`) and who, the strong ones (`will`, `is expected to`) before the weak (`may`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from generator.format.prose import MONTH_NAMES
from generator.newsroom.extract.reader import Reader
from generator.newsroom.extract.text import Paragraph, sentence_bounds


@dataclass
class NextFound:
    """A sentence about what will, is expected to or may happen."""

    text: str
    when: str | None
    who: str | None
    strong: bool


_STRONG_NEXT = re.compile(
    r"\b(?:will|won['’]t|(?:is|are|was|were)\s+(?:expected|scheduled|set|due|likely|poised|slated)\s+to|"
    r"(?:is|are)\s+scheduled\s+for|plans?\s+to|intends?\s+to|aims?\s+to|is\s+to|are\s+to)\b"
)
_WEAK_NEXT = re.compile(r"\b(?:may|could|might)\b(?!\s+(?:not|have|be\s+seen)\b)")
_WHEN = re.compile(
    r"\b(?:(?:in|over|within)\s+the\s+(?:coming|next)\s+(?:few\s+)?(?:days|weeks|months|years)"
    r"|(?:next|this|later\s+this)\s+(?:week|month|year|spring|summer|fall|autumn|winter|weekend)"
    r"|by\s+the\s+end\s+of\s+(?:the|this|next)\s+(?:week|month|year)"
    r"|as\s+early\s+as\s+(?:next\s+)?\w+"
    r"|(?:on|by|before|from)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|night))?"
    rf"|(?:on|by|in|from|before|for)\s+(?:{MONTH_NAMES})\.?(?:\s+\d{{1,2}})?(?:,\s+\d{{4}})?"
    r"|tomorrow|tonight|within\s+\d+\s+(?:days|weeks|hours|months))\b"
)


def next_steps(text: str, masked: str, paras: list[Paragraph], starts: list[int], reader: Reader) -> list[NextFound]:
    """Sentences of the prose about what will happen, strongest first in the order of the text."""
    found: list[NextFound] = []
    prose = [p for p in paras if p.kind == "prose"]
    for para in prose:
        for a, b in itertools.pairwise(sentence_bounds(starts, para.lead, para.end)):
            step = _next_step(text, masked, a, b, reader)
            if step is not None:
                found.append(step)
    strong_ones = [n for n in found if n.strong]
    weak_ones = [n for n in found if not n.strong]
    return (strong_ones + weak_ones)[:20] if len(found) > 20 else found


def _next_step(text: str, masked: str, a: int, b: int, reader: Reader) -> NextFound | None:
    """The sentence from `a` to `b` as a next step, when it says what will or may happen (and is not
    mostly quotation, nor under 20 or over 1,000 characters)."""
    outside = masked[a:b]
    strong = _STRONG_NEXT.search(outside)
    weak = _WEAK_NEXT.search(outside)
    if not strong and not weak:
        return None
    if outside.count("\0") > len(outside) / 2:
        return None
    sentence = " ".join(text[a:b].split())
    if len(sentence) > 1000 or len(sentence) < 20:
        return None
    when = _WHEN.search(outside)
    refs = [r for r in reader.refs_between(a, b) if not r.inner and r.entity is not None]
    who = refs[0].entity.name if refs and refs[0].entity is not None else None
    return NextFound(sentence, when.group() if when else None, who, strong is not None)
