"""What the pages say about a briefing besides its own text: dates in words, the reading time, and the
quotes in the order a briefing's page shows them. Plain values for the templates, which escape them."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from generator.format.model import Actor, Briefing, Figure, NextStep, Quote
from generator.format.prose import sentence_ends


def long_date(day: dt.date) -> str:
    """`25 August 2024`."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def short_date(day: dt.date) -> str:
    """`25 Aug`."""
    return f"{day.day} {calendar.month_abbr[day.month]}"


def weekday_date(day: dt.date) -> str:
    """`Sunday 25 August 2024`: a briefing's dateline."""
    return f"{calendar.day_name[day.weekday()]} {long_date(day)}"


def month_name(month: int) -> str:
    """`August`."""
    return calendar.month_name[month]


def when(value: dt.date | str) -> str:
    """A next step's `when`: a day as `long_date`, a text as written."""
    return long_date(value) if isinstance(value, dt.date) else value


#: Reading speed for a page's reading time, in words a minute.
WORDS_PER_MINUTE = 200


def reading_minutes(briefing: Briefing) -> int:
    """Minutes to read what a briefing's page shows, at WORDS_PER_MINUTE, rounded up: at least 1."""
    texts = [briefing.title, briefing.summary, *briefing.what, *briefing.authors]
    texts += [f"{actor.name} {actor.role or ''}" for actor in briefing.who]
    texts += [f"{f.value} {f.unit or ''} {f.label} {f.evidence or ''}" for f in briefing.numbers]
    texts += [f"{quote.text} {quote.speaker} {quote.context or ''}" for quote in briefing.quotes]
    texts += [f"{s.text} {s.when if isinstance(s.when, str) else ''} {s.who or ''}" for s in briefing.next]
    texts += [f"{source.title} {source.publisher or ''}" for source in briefing.sources]
    words = sum(len(text.split()) for text in texts)
    return max(1, -(-words // WORDS_PER_MINUTE))


# --- quotes ----------------------------------------------------------------------------

#: A quote of at most this many words is a fragment: listed among "Words quoted", not a pull quote.
FRAGMENT_WORDS = 3


@dataclass(frozen=True)
class QuoteLine:
    """A quote as its page shows it: who said it (their actor, if the speaker names one), and
    whether the speaker's role is printed with it."""

    quote: Quote
    actor: Actor | None
    role: bool


def quote_lines(briefing: Briefing) -> tuple[list[QuoteLine], list[QuoteLine]]:
    """A briefing's pull quotes, then its fragments (one to FRAGMENT_WORDS words), each in the
    briefing's order. Of consecutive quotes by the same speaker, only the first shown prints the role."""
    runs: list[int] = []
    previous: str | None = None
    for quote in briefing.quotes:
        actor = briefing.actor(quote.speaker)
        speaker = actor.id if actor else quote.speaker
        runs.append(len(runs) if speaker != previous or not runs else runs[-1])
        previous = speaker
    pulls = [i for i, q in enumerate(briefing.quotes) if len(q.text.split()) > FRAGMENT_WORDS]
    fragments = [i for i, q in enumerate(briefing.quotes) if len(q.text.split()) <= FRAGMENT_WORDS]
    seen: set[int] = set()
    lines: list[QuoteLine] = []
    for i in pulls + fragments:
        quote = briefing.quotes[i]
        actor = briefing.actor(quote.speaker)
        lines.append(QuoteLine(quote, actor, bool(actor and actor.role) and runs[i] not in seen))
        seen.add(runs[i])
    return lines[: len(pulls)], lines[len(pulls) :]


# --- at a glance -----------------------------------------------------------------------


def lead_sentence(text: str) -> tuple[str, str]:
    """The first sentence of `text` and the rest (empty when it is one sentence), where `prose.sentence_ends`
    ends it, as the draft and the receipts read sentences: a full stop after an initial (`U.S.`,
    `J. Smith`) or an abbreviation (`Adm.`, `Sept.`) ends none."""
    for end in sentence_ends(text, 0, len(text)):
        if not text[:end].strip(" \"'“‘([.!?…”’)]"):
            continue  # a mark before any word ends no sentence
        if end < len(text):
            return text[:end].rstrip(), text[end:].lstrip()
    return text, ""


#: How many named people a briefing shows at a glance.
GLANCE_PEOPLE = 3
#: A lead sentence longer than this is `long`: a phone shows its first lines at a glance (about as many
#: characters), and "What happened" opens with the whole summary, so none of it is lost.
LONG_LEAD = 300


@dataclass(frozen=True)
class Glance:
    """What a briefing's page shows first: its lead sentence (and the rest of its summary, which starts
    "What happened"), why it matters, its key figures, the people who matter most, and the next step."""

    lead: str
    #: What "What happened" opens with: the rest of the summary, or all of it when the lead is `long`.
    rest: str
    long: bool
    why: str | None
    figures: tuple[Figure, ...]
    people: tuple[Actor, ...]
    next_step: NextStep | None


def glance(briefing: Briefing) -> Glance:
    """A briefing at a glance. The people are its persons in the order `who` lists them; the next step is
    the earliest one with a date, else the first one."""
    lead, rest = lead_sentence(briefing.summary)
    dated = [(step.when, index) for index, step in enumerate(briefing.next) if isinstance(step.when, dt.date)]
    step = briefing.next[min(dated)[1]] if dated else (briefing.next[0] if briefing.next else None)
    people = tuple(actor for actor in briefing.who if actor.kind == "person")[:GLANCE_PEOPLE]
    long = len(lead) > LONG_LEAD
    rest = briefing.summary if long else rest.strip()
    return Glance(lead, rest, long, briefing.why, briefing.key_figures(), people, step)
