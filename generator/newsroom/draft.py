"""`briefing draft ARTICLE`: a briefing drafted from a raw article under seeds/, for a person to finish.

`draft_briefing` reads the article (`generator.newsroom.extract` finds its quotations and
speakers, figures, actors and next steps), writes the briefing as YAML with
comments, then runs the real checker on it and leaves out every quotation and
figure that would not verify, so the draft always passes `briefing check` as
written. It has `draft: true`: the site does not publish it until a person has
checked it and removed that line.

The date is `--date`, else a full date in the article's header lines (`Published
March 12, 2025`), else the dateline's day (`LONDON, May 14 (Reuters)`) in the most
recent year that does not put it after today, else today. A briefing's date must
equal its file name's, so the draft is to be saved as `briefings/<date>-<words>.yaml`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from generator.format.model import mark_digest
from generator.format.schema import EARLIEST_DATE, EARLIEST_PUBLISHED, LATEST_DATE
from generator.format.yamlnodes import (
    BAD_TEXT,
    RAW_CONTROL,
    Mapping,
    Scalar,
    Sequence,
    YAMLSyntaxError,
    decode,
    parse,
)
from generator.newsroom.extract.analysis import Analysis, analyse
from generator.newsroom.extract.figures import FigureFound
from generator.newsroom.extract.names import Entity
from generator.newsroom.extract.speakers import Quotation
from generator.rules.addresses import ascii_slug
from generator.rules.collection import BRIEFINGS_DIR, file_problem, find_files
from generator.rules.validate import check_file, read_limited
from generator.rules.verify import Seeds

SCHEMA_LINE = "# yaml-language-server: $schema=../../docs/schema/briefing.schema.json"

# The format's limits (docs/format.md, "Limits").
MAX_TITLE = 140
MAX_SUMMARY = 600
MAX_SHORT = 200
MAX_LONG = 1000
MAX_WHO = 50
MAX_WHAT = 20
MAX_FIGURES = 30
MAX_QUOTES = 30
MAX_NEXT = 20
#: `what` is seeded with this many of the lead's sentences.
WHAT_SENTENCES = 8
#: The one actor of a draft from an article that names nobody (`who` needs one).
PLACEHOLDER = "To be named"


class DraftError(Exception):
    """The article cannot be drafted from; the message says why, for the user."""


def draft_briefing(
    article: Path,
    root: Path,
    *,
    date: dt.date | None = None,
    title: str | None = None,
    today: dt.date | None = None,
) -> str:
    """The YAML text of a draft briefing drawn from `article`, a file inside `root`/seeds/."""
    return drafted(article, root, date=date, title=title, today=today)[0]


def drafted(
    article: Path,
    root: Path,
    *,
    date: dt.date | None = None,
    title: str | None = None,
    today: dt.date | None = None,
) -> tuple[str, list[str]]:
    """`draft_briefing`'s YAML, and what the draft found and guessed, a line each, for the terminal."""
    relative = seed_path(article, root)
    seeds = Seeds(root)
    problem = seeds.problem(relative)
    if problem is not None:
        raise DraftError(f"{article}: {problem}")
    text = seeds.text(relative).original
    if not re.search(r"[^\W\d_]", text):
        raise DraftError(f"{article}: {'is empty' if not text.strip() else 'holds no words'}: nothing to draft from")
    if title is not None:
        title = " ".join(title.split())
        if not title or len(title) > MAX_TITLE or BAD_TEXT.search(title):
            raise DraftError(f"--title must be one line of 1 to {MAX_TITLE} characters (got {len(title)})")
    analysis = analyse(text)
    draft = Draft.build(analysis, relative, date=date, title=title, today=today or dt.date.today())
    draft.adopt_kinds(known_actors(root))
    yaml_text = draft.verified(root, seeds)
    return yaml_text, draft.report()


def _guessed(how: str) -> bool:
    """Whether a speaker was found other than by a name in the quotation's own attribution."""
    return any(word in how for word in ("taken as", "same speaker", "continues", "paragraph before", "part of"))


def seed_path(article: Path, root: Path) -> str:
    """The article's path as a source `file:` names it (`seeds/x.txt`), or DraftError."""
    absolute = Path(os.path.abspath(article))
    seeds = Path(os.path.abspath(root)) / "seeds"
    try:
        inside = absolute.relative_to(seeds)
    except ValueError:
        raise DraftError(
            f"{article} is not inside {seeds}: a briefing's source file must be under seeds/;"
            " copy the article there (or give --root) and run again"
        ) from None
    return str(PurePosixPath("seeds", *inside.parts))


# --- the draft ---------------------------------------------------------------------------


@dataclass
class Actor:
    name: str
    kind: str
    role: str | None
    id: str | None  # written only when it is not the default slug of the name


@dataclass
class Draft:
    """A draft briefing: every field, and the notes written as comments."""

    relative: str
    title: str
    date: dt.date
    date_note: str | None
    location: str | None
    summary: str
    who: list[Actor]
    what: list[str]
    numbers: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    next: list[dict[str, Any]]
    source: dict[str, Any]
    title_note: str | None = None
    unattributed: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    truncated: bool = False

    @classmethod
    def build(
        cls, analysis: Analysis, relative: str, *, date: dt.date | None, title: str | None, today: dt.date
    ) -> Draft:
        day, note = _date(analysis, date, today)
        first_line = clean(analysis.first_line, MAX_SHORT)
        lead = [clean(s, MAX_LONG) for s in (analysis.lead or analysis.sentences[:3])]
        lead = [s for s in lead if s]
        headline, title_note = _headline(analysis, title, lead, relative)
        summary = _summary(lead or [headline])
        what = [s for s in (clean(s, MAX_LONG) for s in _what(analysis)) if s][:MAX_WHAT] or [summary[:MAX_LONG]]
        actors, speaker_names = _actors(analysis.entities)
        if not actors:
            actors = [Actor(PLACEHOLDER, "person", "no person or body could be named from the article: replace", None)]
        quotes, unattributed = _quotes(analysis.quotes, speaker_names)
        source = _source(analysis, first_line or headline, relative)
        return cls(
            relative=relative,
            title=headline,
            title_note=title_note,
            date=day,
            date_note=note,
            location=clean(analysis.location, MAX_SHORT) if analysis.location else None,
            summary=summary,
            who=actors,
            what=what,
            numbers=_figures(analysis.figures),
            quotes=quotes,
            next=_next(analysis),
            source=source,
            unattributed=unattributed,
            truncated=analysis.truncated,
        )

    def adopt_kinds(self, known: dict[str, tuple[str, str]]) -> None:
        """Use the id and kind the collection already gives an actor, so the draft joins it (and
        never gives one id two kinds, which `briefing check` refuses across files)."""
        by_name = {name: value for name, value in known.items() if not name.startswith("#")}
        by_id = {key[1:]: value for key, value in known.items() if key.startswith("#")}
        for actor in self.who:
            if actor.name in by_name:
                actor_id, kind = by_name[actor.name]
                actor.kind = kind
                actor.id = actor_id if actor_id != ascii_slug(actor.name) else None
            elif (actor.id or ascii_slug(actor.name) or "") in by_id:
                actor.kind = by_id[actor.id or ascii_slug(actor.name) or ""][1]
        _unique_ids(self.who)

    def marks(self) -> list[str]:
        """The `unchecked` marks: the title, the summary, each `what` item, and each speaker that was guessed."""
        marks = [f"title {mark_digest(self.title)}", f"summary {mark_digest(self.summary)}"]
        marks += [f"what[{index}] {mark_digest(item)}" for index, item in enumerate(self.what)]
        marks += [
            f"quotes[{index}].speaker {mark_digest(str(quote['speaker']))}"
            for index, quote in enumerate(self.quotes)
            if _guessed(str(quote.get("how", "")))
        ]
        return marks

    def report(self) -> list[str]:
        """What the draft found and what it guessed, a line each: what a person must check first."""
        guessed = [q for q in self.quotes if _guessed(str(q.get("how", "")))]
        lines = [
            f"title: {self.title!r}" + (f" ({self.title_note})" if self.title_note else " (the article's headline)"),
            f"date: {self.date.isoformat()}" + (f" ({self.date_note})" if self.date_note else ""),
            f"{len(self.quotes)} quote{'s' * (len(self.quotes) != 1)}, each with its speaker"
            + (
                f"; {len(guessed)} speaker{'s' * (len(guessed) != 1)} guessed from a pronoun, a role or the quotation"
                " before: check them"
                if guessed
                else ""
            ),
            f"{len(self.numbers)} figure{'s' * (len(self.numbers) != 1)}, each with its evidence",
            f"{len(self.who)} people and bodies in who",
            f"{len(self.next)} next step{'s' * (len(self.next) != 1)} (guessed from what the article says will happen)",
        ]
        if self.unattributed:
            lines.append(f"{len(self.unattributed)} quotation(s) with no speaker found: left as comments")
        if self.dropped:
            lines.append(f"{len(self.dropped)} item(s) the check refused: left as comments")
        lines.append("the summary and `what` are the article's own words: rewrite them, then remove `draft: true`")
        return lines

    # -- writing

    def yaml(self) -> str:
        out: list[str] = [SCHEMA_LINE]
        out.append(f"# Drafted by `briefing draft` from {_comment(self.relative)}: check every line against the")
        out.append("# article, rewrite the summary and `what` in your own words, then remove `draft: true`.")
        if self.truncated:
            out.append("# The article is long: only its first 200,000 characters were read.")
        out.append(f"title: {_q(self.title)}" + (f"  # {_comment(self.title_note)}" if self.title_note else ""))
        out.append(f"date: {self.date.isoformat()}" + (f"  # {_comment(self.date_note)}" if self.date_note else ""))
        if self.location:
            out.append(f"location: {_q(self.location)}")
        out.append("draft: true")
        out.append("unchecked:  # what the draft wrote or guessed: change each, or delete its line to accept it")
        out.extend(f"  - {_q(mark)}" for mark in self.marks())
        out.append(f"summary: {_q(self.summary)}  # the lead, as the article has it: rewrite")
        out += self._who_yaml()
        out.append("what:  # the lead's sentences, as the article has them: rewrite, one development each")
        out.extend(f"  - {_q(item)}" for item in self.what)
        out += self._numbers_yaml()
        out += self._quotes_yaml()
        if self.next:
            out.append("next:  # sentences about what will or may happen: keep what matters, rewrite")
            for step in self.next:
                out.append(f"  - text: {_q(step['text'])}")
                if step.get("when"):
                    out.append(f"    when: {_q(step['when'])}")
                if step.get("who"):
                    out.append(f"    who: {_q(step['who'])}")
        out += self._sources_yaml()
        return "\n".join(out) + "\n"

    def _who_yaml(self) -> list[str]:
        out = ["who:"]
        for actor in self.who:
            out.append(f"  - name: {_q(actor.name)}")
            if actor.id:
                out.append(f"    id: {actor.id}")
            if actor.role:
                out.append(f"    role: {_q(actor.role)}")
            out.append(f"    kind: {actor.kind}")
        return out

    def _numbers_yaml(self) -> list[str]:
        if not self.numbers:
            return []
        out = ["numbers:"]
        for figure in self.numbers:
            out.append(f"  - value: {_number(figure['value'])}")
            out.append(f"    label: {_q(figure['label'])}")
            if figure.get("unit"):
                out.append(f"    unit: {_q(figure['unit'])}")
            if figure.get("qualifier"):
                out.append(f"    qualifier: {figure['qualifier']}")
            out.append(f"    evidence: {_q(figure['evidence'])}")
            out.append("    source: s1")
        return out

    def _quotes_yaml(self) -> list[str]:
        """The quotes, then as comments the quotations without a speaker and what the check refused."""
        out = []
        if self.quotes:
            out.append("quotes:")
            for quote in self.quotes:
                if quote.get("how"):
                    out.append(f"  # speaker: {_comment(quote['how'])}")
                out.append(f"  - text: {_q(quote['text'])}")
                out.append(f"    speaker: {_q(quote['speaker'])}")
                out.append("    source: s1")
        if self.unattributed:
            out.append("# Quotations found without a speaker (add them as quotes if someone said them):")
            out.extend(f"#   “{_comment(text, 100)}”" for text in self.unattributed[:10])
        if self.dropped:
            out.append("# Left out because `briefing check` would not verify them against the article:")
            out.extend(f"#   {_comment(text, 100)}" for text in self.dropped[:10])
        return out

    def _sources_yaml(self) -> list[str]:
        out = ["sources:", "  - id: s1"]
        out.append(f"    title: {_q(self.source['title'])}")
        out.append(f"    file: {_q(self.source['file'])}")
        if self.source.get("publisher"):
            out.append(f"    publisher: {_q(self.source['publisher'])}")
        if self.source.get("published"):
            out.append(f"    published: {self.source['published'].isoformat()}")
        return out

    # -- checking

    def verified(self, root: Path, seeds: Seeds) -> str:
        """The YAML, after dropping every quotation, figure or item the real checker refuses."""
        for _ in range(5):
            text = self.yaml()
            errors = _check(text, self.date, seeds)
            if not errors:
                return text
            drop: dict[str, set[int]] = {}
            for field_path, message in errors:
                match = re.match(r"(quotes|numbers|who|next|what)\[(\d+)\]", field_path)
                if match is None:
                    raise DraftError(f"the draft does not pass briefing check: {field_path}: {message}")
                drop.setdefault(match.group(1), set()).add(int(match.group(2)))
            for kind, indexes in drop.items():
                items: list[Any] = getattr(self, kind)
                for index in sorted(indexes, reverse=True):
                    if index < len(items):
                        removed = items.pop(index)
                        if kind == "quotes":
                            self.dropped.append(f"quote “{removed['text']}”")
                        elif kind == "numbers":
                            self.dropped.append(f"figure {_number(removed['value'])}: {removed['evidence']}")
            if not self.who:
                self.who = [
                    Actor(PLACEHOLDER, "person", "no person or body could be named from the article: replace", None)
                ]
            if not self.what:
                self.what = [self.summary[:MAX_LONG]]
        raise DraftError("the draft does not pass briefing check; please report this article")  # pragma: no cover


def _headline(analysis: Analysis, title: str | None, lead: list[str], relative: str) -> tuple[str, str | None]:
    """The draft's title (given, else the article's first line, else its lead's), and the note beside it."""
    headline = clean(title or analysis.first_line, MAX_TITLE) or (lead[0][:MAX_TITLE] if lead else "")
    if not headline:
        raise DraftError(f"{relative}: has no line of text to draw a title from")
    if title is not None:
        return headline, None
    cut = headline.endswith("…") and not analysis.first_line.strip().endswith("…")
    return headline, "the article's first line, cut short: write a headline" if cut else "the article's first line"


def _source(analysis: Analysis, title: str, relative: str) -> dict[str, Any]:
    """The draft's one source: the article, with its agency and first date where it gives them."""
    source: dict[str, Any] = {"id": "s1", "title": title, "file": relative}
    if analysis.agency:
        source["publisher"] = clean(_AGENCIES.get(analysis.agency.strip(), analysis.agency.strip()), MAX_SHORT)
    if analysis.dates:
        published = _valid_date(*analysis.dates[0], earliest=EARLIEST_PUBLISHED)
        if published is not None:
            source["published"] = published
    return source


def _check(text: str, day: dt.date, seeds: Seeds) -> list[tuple[str, str]]:
    """The errors `briefing check` finds in a briefing text: (field, message)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{day.isoformat()}-draft.yaml"
        path.write_text(text, encoding="utf-8")
        checked = check_file(path, path.name, seeds)
    return [(f.field, f.message) for f in checked.findings if f.severity == "error"]


def known_actors(root: Path) -> dict[str, tuple[str, str]]:
    """The actors of the collection: name -> (id, kind), and `#id` -> (id, kind). Read with the
    checker's own parser (no alias is ever expanded) and leniently: a file that cannot be read or
    parsed is skipped, since `briefing check` reports it, not the draft."""
    folder = root / BRIEFINGS_DIR
    known: dict[str, tuple[str, str]] = {}
    if not folder.is_dir() or folder.is_symlink():
        return known
    for path in find_files([folder]):
        if file_problem(path, root) is not None:
            continue
        try:
            tree = parse(decode(read_limited(path)), lambda *_: None)
        except (OSError, YAMLSyntaxError, ValueError):
            continue
        who = tree.items.get("who", (None, None))[1] if isinstance(tree, Mapping) else None
        for actor in who.items if isinstance(who, Sequence) else []:
            if not isinstance(actor, Mapping):
                continue
            fields = {key: node.value.strip() for key, (_, node) in actor.items.items() if isinstance(node, Scalar)}
            name = fields.get("name", "")
            actor_id = fields.get("id") or ascii_slug(name) or ""
            if name and actor_id:
                kind = fields.get("kind") or "person"
                known.setdefault(name, (actor_id, kind))
                known.setdefault("#" + actor_id, (actor_id, kind))
    return known


# --- the fields ----------------------------------------------------------------------------

_AGENCIES = {"AP": "The Associated Press", "AFP": "Agence France-Presse", "Reuters": "Reuters"}


def _date(analysis: Analysis, given: dt.date | None, today: dt.date) -> tuple[dt.date, str | None]:
    if given is not None:
        return given, None
    for year, month, day in analysis.dates:
        found = _valid_date(year, month, day)
        if found is not None:
            return found, "from the article's date line; the file name must start with it"
    if analysis.dateline_day is not None:
        month, day = analysis.dateline_day
        for year in (today.year, today.year - 1):
            found = _valid_date(year, month, day)
            if found is not None and found <= today:
                return found, "the dateline's day, in the latest year not after today: check the year"
    return today, "no date found in the article: today's date; set the day the briefing covers (--date)"


def _valid_date(year: int, month: int, day: int, earliest: dt.date = EARLIEST_DATE) -> dt.date | None:
    """The day, when it is one and the format accepts it (from `earliest` to LATEST_DATE)."""
    try:
        found = dt.date(year, month, day)
    except ValueError:
        return None
    return found if earliest <= found <= LATEST_DATE else None


def _summary(lead: list[str]) -> str:
    summary = ""
    for sentence in lead[:3]:
        joined = f"{summary} {sentence}".strip()
        if len(joined) > MAX_SUMMARY:
            break
        summary = joined
    return summary or clean(lead[0], MAX_SUMMARY)


def _what(analysis: Analysis) -> list[str]:
    """The first sentences of the prose that are the article's own words (not quotations)."""
    picked: list[str] = []
    for sentence in analysis.sentences:
        if sentence[:1] in "“\"‘'" or len(sentence) < 25:
            continue
        picked.append(sentence)
        if len(picked) >= WHAT_SENTENCES:
            break
    return picked


def _actors(entities: list[Entity]) -> tuple[list[Actor], dict[int, str]]:
    """The actors worth listing: everyone named, and the unnamed and described only when they spoke."""
    chosen: list[Entity] = []
    for entity in entities:
        if entity.anonymous or entity.head is not None:
            if entity.spoke:
                chosen.append(entity)
        elif entity.kind in ("person", "organization", "country", "group"):
            chosen.append(entity)
    if len(chosen) > MAX_WHO:
        ranked = sorted(chosen, key=lambda e: (not e.spoke, e.kind != "person", -e.mentions, e.first))
        keep = {id(e) for e in ranked[:MAX_WHO]}
        chosen = [e for e in chosen if id(e) in keep]
    actors: list[Actor] = []
    names: dict[int, str] = {}
    for entity in chosen:
        name = clean(entity.name, MAX_SHORT)
        if not name:
            continue
        role = clean(entity.role, MAX_SHORT) if entity.role else None
        actors.append(Actor(name, entity.kind, role or None, None))
        names[id(entity)] = name
    _unique_ids(actors)
    return actors, names


def _unique_ids(actors: list[Actor]) -> None:
    """Give an explicit id where the default would be missing (a name with no ASCII letters) or
    taken by another actor; merge nothing."""
    seen: set[str] = set()
    for actor in actors:
        default = ascii_slug(actor.name)
        wanted = actor.id or default or f"{actor.kind}-{zlib.crc32(actor.name.encode('utf-8')):08x}"
        wanted = wanted[:80].strip("-") or "actor"
        candidate, n = wanted, 2
        while candidate in seen:
            candidate, n = f"{wanted[:76]}-{n}", n + 1
        seen.add(candidate)
        actor.id = candidate if candidate != default else None


def _quotes(quotations: list[Quotation], names: dict[int, str]) -> tuple[list[dict[str, Any]], list[str]]:
    quotes: list[dict[str, Any]] = []
    unattributed: list[str] = []
    seen: set[tuple[str, str]] = set()
    for quotation in quotations:
        text = quotation.text
        if not text or len(text) > MAX_LONG or BAD_TEXT.search(text) or RAW_CONTROL.search(text):
            continue
        speaker = names.get(id(quotation.speaker)) if quotation.speaker is not None else None
        if speaker is None:
            unattributed.append(text)
            continue
        if (text, speaker) in seen:
            continue
        seen.add((text, speaker))
        quotes.append({"text": text, "speaker": speaker, "how": quotation.how})
    return quotes[:MAX_QUOTES], unattributed


def _figures(found: Iterable[FigureFound]) -> list[dict[str, Any]]:
    figures: list[dict[str, Any]] = []
    seen: set[tuple[Decimal, str | None, str]] = set()
    for figure in found:
        evidence = figure.evidence
        if len(evidence) > MAX_LONG or BAD_TEXT.search(evidence) or RAW_CONTROL.search(evidence):
            continue
        if not _fits(figure.value):
            continue
        key = (figure.value, figure.unit, figure.label)
        if key in seen:
            continue
        seen.add(key)
        label = clean(figure.label, MAX_SHORT) or "figure"
        item: dict[str, Any] = {"value": figure.value, "label": label, "evidence": evidence}
        if figure.unit:
            item["unit"] = clean(figure.unit, MAX_SHORT)
        if figure.qualifier:
            item["qualifier"] = figure.qualifier
        figures.append(item)
    return figures[:MAX_FIGURES]


def _fits(value: Decimal) -> bool:
    """At most 15 significant digits and 15 after the point (the format's limit)."""
    digits = _number(value).lstrip("-").replace(".", "").lstrip("0")
    decimals = _number(value).partition(".")[2]
    return len(digits) <= 15 and len(decimals) <= 15


def _next(analysis: Analysis) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    for step in analysis.next[:MAX_NEXT]:
        text = clean(step.text, MAX_LONG)
        if not text:
            continue
        item: dict[str, Any] = {"text": text}
        if step.when:
            item["when"] = clean(step.when, MAX_LONG)
        if step.who:
            item["who"] = clean(step.who, MAX_LONG)
        steps.append(item)
    return steps


# --- text as YAML ---------------------------------------------------------------------------


def clean(text: str | None, limit: int) -> str:
    """Text fit for a one-line field: refused characters out, whitespace collapsed, cut at a word
    (with `…`) to at most `limit` characters."""
    if not text:
        return ""
    text = " ".join(RAW_CONTROL.sub(" ", BAD_TEXT.sub("", text)).split())
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit - 1)
        text = text[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:") + "…"
    return text


def _q(text: str) -> str:
    """A YAML double-quoted scalar: read back as exactly this text, whatever it holds."""
    return json.dumps(text, ensure_ascii=False)


def _number(value: Decimal) -> str:
    """Digits only: 38000000, 5.8, 142.3."""
    text = format(value.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


def _comment(text: str, limit: int = 300) -> str:
    """Text safe inside a comment: one line, no refused character."""
    return clean(text, limit)
