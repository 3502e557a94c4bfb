"""How well does `briefing draft` read an article? Recall and precision against hand annotations.

    python benchmarks/bench_draft.py [--details] [--show-held-out] [--measure-held-out]

Two corpora, each with a hand annotation NAME.gold.yaml beside each NAME.txt (its quotations with their
speakers, its figures, the people it quotes):

- tests/real/: real copy, published articles nobody on the project wrote (Wikinews, Voice of America,
  US federal agencies; tests/real/SOURCES.yaml gives each one's origin and licence), annotated before any
  rule was tuned on them. A third is held out (`held_out: true`, drawn by `split`): their annotations'
  SHA-256 are in the README, and their figures are printed only with `--measure-held-out`, which is run
  once, at the end of a piece of tuning, and its output reported.
- tests/articles/: articles written for the project (in news styles, by sessions of its development):
  h1-h7 held out from the rules written before them, t1-t9 tuned on.

Every rate is printed with its 95% Wilson interval: with a few hundred quotes, a rate is known to a few
points, no better. The seed article is measured against its hand-written briefing.

Each article is drafted exactly as `briefing draft` does it (the real checker
included, so what fails verification is already dropped), and the YAML is read back.

- A quotation is found when its text equals a gold one after the checker's
  normalisation (`verify.normalize`), without the punctuation that ends it (the
  annotations drop a final `?` or ellipsis as they drop a full stop; a draft may
  keep them); precision counts every quotation drafted.
- Its speaker is right when it names the gold speaker: a person by surname, a body
  by its name, an unnamed source by its description (the head noun and the words of
  the shorter description within the longer). Accuracy is over the quotations found.
- A figure is found when its value equals a gold one, and its unit too where the
  gold gives one. Each gold figure matches at most one drafted figure. An annotation
  lists a figure each time the text states it and a briefing lists it once, so recall
  is also printed over each gold value and unit counted once. A qualifier agrees when
  the annotation's words (`more than`, `approximately`) mean the format's qualifier the
  draft chose (`over`, `about`), by the benchmark's own table of those words.

It prints figures; it asserts nothing. `--details` lists what was missed and what was
extra in the tuning set (and, with `--show-held-out`, in the held-out set).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.newsroom.draft import draft_briefing
from generator.rules.verify import normalize

PROJECT = Path(__file__).resolve().parent.parent
ARTICLES = PROJECT / "tests" / "articles"
REAL = PROJECT / "tests" / "real"
#: An annotation without a date is drafted as of this day.
NO_DATE = dt.date(2024, 1, 1)
SEED = PROJECT / "seeds" / "000_548c9463dc2f8344.txt"
SEED_BRIEFING = PROJECT / "briefings" / "2024" / "2024-08-25-cairo-ceasefire-talks-end-without-deal.yaml"


@dataclass
class GoldQuote:
    text: str
    speakers: list[str]
    kind: str  # person, organization, anonymous


@dataclass
class GoldFigure:
    value: Decimal
    unit: str | None
    qualifier: str | None


@dataclass
class Gold:
    name: str
    held_out: bool
    date: dt.date
    quotes: list[GoldQuote]
    figures: list[GoldFigure]
    #: The people and organisations quoted, when the annotation lists them.
    people: list[str] | None = None
    folder: Path = ARTICLES


@dataclass
class Score:
    """Counts for one article or a set of them."""

    gold_quotes: int = 0
    drafted_quotes: int = 0
    found_quotes: int = 0
    right_speakers: int = 0
    gold_figures: int = 0
    drafted_figures: int = 0
    found_figures: int = 0
    #: The gold figures counted once per value and unit, and how many of those the draft has: a briefing
    #: lists a figure once, where an annotation lists each time the text states it.
    distinct_figures: int = 0
    found_distinct: int = 0
    right_qualifiers: int = 0
    gold_people: int = 0
    found_people: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in (
            "gold_quotes",
            "drafted_quotes",
            "found_quotes",
            "right_speakers",
            "gold_figures",
            "drafted_figures",
            "found_figures",
            "distinct_figures",
            "found_distinct",
            "right_qualifiers",
            "gold_people",
            "found_people",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.seconds += other.seconds


def load_gold(path: Path) -> Gold:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    quotes = []
    for item in data.get("quotes") or []:
        speakers = item["speaker"] if isinstance(item["speaker"], list) else [item["speaker"]]
        quotes.append(GoldQuote(str(item["text"]), [str(s) for s in speakers], str(item.get("kind", "person"))))
    figures = [
        GoldFigure(Decimal(str(item["value"])), item.get("unit"), item.get("qualifier"))
        for item in data.get("figures") or []
    ]
    name = path.name.removesuffix(".gold.yaml")
    people = [str(p) for p in data["people"] or []] if "people" in data else None
    day = data.get("date") or NO_DATE
    return Gold(name, bool(data.get("held_out")), day, quotes, figures, people, path.parent)


def seed_gold() -> Gold:
    """The seed article's hand-written briefing, as gold."""
    data = yaml.safe_load(SEED_BRIEFING.read_text(encoding="utf-8"))
    names = {actor.get("id", ""): actor["name"] for actor in data["who"]}
    quotes = [GoldQuote(q["text"], [names.get(q["speaker"], q["speaker"])], "person") for q in data["quotes"]]
    figures = [GoldFigure(Decimal(str(n["value"])), n.get("unit"), n.get("qualifier")) for n in data["numbers"]]
    return Gold("seed", False, data["date"], quotes, figures)


def draft(article: Path, day: dt.date) -> tuple[dict[str, Any], float]:
    """Draft one article in a throwaway repository; the YAML read back, and the time it took."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "seeds").mkdir()
        (root / "briefings").mkdir()
        copy = root / "seeds" / article.name
        shutil.copy(article, copy)
        start = time.perf_counter()
        text = draft_briefing(copy, root, date=day)
        seconds = time.perf_counter() - start
    data: dict[str, Any] = yaml.safe_load(text)
    return data, seconds


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", normalize(text)).encode("ascii", "ignore").decode("ascii")
    words = [w.strip(",") for w in plain.casefold().replace("-", " ").replace(".", "").split()]
    words = [w for w in words if w and w not in ("the", "a", "an")]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()  # `Arthur M. Cummings, II`: the surname is Cummings
    return words


#: What may follow a surname: `Jr.`, `II`.
_SUFFIXES = frozenset("jr sr ii iii iv".split())


def speaker_matches(gold: GoldQuote, drafted: str) -> bool:
    said = _words(drafted)
    if not said:
        return False
    for name in gold.speakers:
        wanted = _words(name)
        if not wanted:
            continue
        if gold.kind == "person":
            if said[-1] == wanted[-1]:
                return True
        elif said[-1] == wanted[-1] or said == wanted:
            shorter, longer = sorted((said, wanted), key=len)
            if set(shorter) <= set(longer):
                return True
    return False


def _unit(unit: Any) -> str:
    text = str(unit or "").casefold().strip()
    text = {"percent": "%", "per cent": "%"}.get(text, text)
    return text[:-1] if text.endswith("s") and len(text) > 3 else text


def score(gold: Gold, data: dict[str, Any], seconds: float) -> Score:
    result = Score(seconds=seconds)
    drafted_quotes = [(_quote_key(str(q["text"])), str(q["speaker"])) for q in data.get("quotes") or []]
    result.gold_quotes = len(gold.quotes)
    result.drafted_quotes = len(drafted_quotes)
    unused = list(drafted_quotes)
    for quote in gold.quotes:
        wanted = _quote_key(quote.text)
        found = next((q for q in unused if q[0] == wanted), None)
        if found is None:
            result.notes.append(f"missed quote: {quote.text[:70]!r} ({quote.speakers[0]})")
            continue
        unused.remove(found)
        result.found_quotes += 1
        if speaker_matches(quote, found[1]):
            result.right_speakers += 1
        else:
            result.notes.append(f"wrong speaker: {quote.text[:50]!r}: {found[1]!r}, not {quote.speakers[0]!r}")
    result.notes.extend(f"extra quote: {q[0][:70]!r} ({q[1]})" for q in unused)

    drafted = [
        (Decimal(str(n["value"])), _unit(n.get("unit")), n.get("qualifier"), str(n.get("evidence", "")))
        for n in data.get("numbers") or []
    ]
    result.gold_figures = len(gold.figures)
    result.drafted_figures = len(drafted)
    left = list(drafted)
    ordered = sorted(gold.figures, key=lambda f: f.unit is None)  # figures with a unit claim theirs first
    for figure in ordered:
        unit = _unit(figure.unit) if figure.unit else None
        match = next((d for d in left if d[0] == figure.value and (unit is None or d[1] == unit)), None)
        if match is None:
            result.notes.append(f"missed figure: {figure.value} {figure.unit or ''}")
            continue
        left.remove(match)
        result.found_figures += 1
        if _format_qualifier(figure.qualifier) == (match[2] or None):
            result.right_qualifiers += 1
        else:
            result.notes.append(f"qualifier: {figure.value}: {match[2]!r}, not {figure.qualifier!r}")
    result.notes.extend(f"extra figure: {d[0]} {d[1]} ({d[3][:60]!r})" for d in left)
    distinct = {(f.value, _unit(f.unit) if f.unit else None) for f in gold.figures}
    result.distinct_figures = len(distinct)
    result.found_distinct = sum(
        any(d[0] == value and (unit is None or d[1] == unit) for d in drafted) for value, unit in distinct
    )
    if gold.people is not None:
        names = [str(actor.get("name", "")) for actor in data.get("who") or []]
        result.gold_people = len(gold.people)
        for person in gold.people:
            who = GoldQuote("", [person], "person" if len(_words(person)) <= 3 else "organization")
            if any(speaker_matches(who, name) for name in names):
                result.found_people += 1
            else:
                result.notes.append(f"missed person: {person}")
    return result


def _format_qualifier(words: str | None) -> str | None:
    """The format's qualifier (`about`, `over`, `under`, `nearly`, `at least`, `up to`) for the words an annotation
    took from the text (`more than`, `approximately`, `or more`): a briefing can hold only the six."""
    if not words:
        return None
    return _QUALIFIER_WORDS.get(" ".join(words.lower().split()), words)


#: The words annotations took from the texts, by the format's qualifier they mean (written for the benchmark,
#: apart from the drafter's own table).
_QUALIFIER_WORDS = {
    word: name
    for name, words in {
        "about": "about|around|roughly|approximately|some|an estimated|estimated",
        "nearly": "nearly|almost|close to|just under",
        "over": "over|more than|above|in excess of|upwards of|just over|exceeding",
        "under": "under|less than|fewer than|below",
        "at least": "at least|or more|no fewer than|no less than",
        "up to": "up to|as many as|as much as|at most|no more than",
    }.items()
    for word in words.split("|")
}


def _quote_key(text: str) -> str:
    """A quotation as compared: normalised, without the punctuation that ends it. The annotations drop a final
    `?`, `!` or ellipsis inside the marks as they drop a final full stop; a draft may keep them (`what can we do
    next?`), and the two are the same quotation."""
    return normalize(text).rstrip(" .,;:!?…")


def wilson(part: int, whole: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a rate of `part` in `whole`."""
    if not whole:
        return 0.0, 1.0
    rate = part / whole
    centre = (rate + z * z / (2 * whole)) / (1 + z * z / whole)
    margin = z * ((rate * (1 - rate) / whole + z * z / (4 * whole * whole)) ** 0.5) / (1 + z * z / whole)
    return max(0.0, centre - margin), min(1.0, centre + margin)


def _pct(part: int, whole: int) -> str:
    if not whole:
        return "n/a"
    low, high = wilson(part, whole)
    return f"{100 * part / whole:.1f}% [{100 * low:.1f}-{100 * high:.1f}] ({part}/{whole})"


def report(title: str, total: Score, count: int) -> None:
    print(f"{title} ({count} article{'s' if count != 1 else ''}); rate [95% Wilson interval] (count):")
    print(f"  quote recall       {_pct(total.found_quotes, total.gold_quotes)}")
    print(f"  quote precision    {_pct(total.found_quotes, total.drafted_quotes)}")
    print(f"  speaker accuracy   {_pct(total.right_speakers, total.found_quotes)}")
    print(f"  figure recall      {_pct(total.found_figures, total.gold_figures)}")
    print(f"  figure precision   {_pct(total.found_figures, total.drafted_figures)}")
    print(f"  figure recall, each value and unit once {_pct(total.found_distinct, total.distinct_figures)}")
    print(f"  qualifiers agree   {_pct(total.right_qualifiers, total.found_figures)}")
    if total.gold_people:
        print(f"  people quoted found {_pct(total.found_people, total.gold_people)}")
    print(f"  time: {total.seconds * 1000 / max(count, 1):.0f} ms per article, the check included")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--details", action="store_true", help="list misses and extras (tuning sets)")
    parser.add_argument("--show-held-out", action="store_true", help="with --details, the held-out sets' too")
    parser.add_argument(
        "--measure-held-out", action="store_true", help="measure the real held-out set (once, at the end of tuning)"
    )
    args = parser.parse_args(argv)
    golds = sorted((load_gold(p) for p in REAL.glob("*.gold.yaml")), key=lambda g: g.name)
    golds += sorted((load_gold(p) for p in ARTICLES.glob("*.gold.yaml")), key=lambda g: g.name)
    sets: dict[str, tuple[Score, int]] = {
        "real copy, tuning set": (Score(), 0),
        "real copy, held-out set": (Score(), 0),
        "written for the project, tuning set": (Score(), 0),
        "written for the project, held-out set": (Score(), 0),
    }
    for gold in golds:
        real = gold.folder == REAL
        if real and gold.held_out and not args.measure_held_out:
            continue
        data, seconds = draft(gold.folder / f"{gold.name}.txt", gold.date)
        result = score(gold, data, seconds)
        key = f"{'real copy' if real else 'written for the project'}, {'held-out' if gold.held_out else 'tuning'} set"
        total, count = sets[key]
        total.add(result)
        sets[key] = (total, count + 1)
        if args.details and (not gold.held_out or args.show_held_out):
            print(f"-- {gold.name}")
            for note in result.notes:
                print(f"   {note}")
    gold = seed_gold()
    data, seconds = draft(SEED, gold.date)
    seed = score(gold, data, seconds)
    if args.details:
        print("-- seed")
        for note in seed.notes:
            print(f"   {note}")
    for title, (total, count) in sets.items():
        if count:
            report(title, total, count)
    if not args.measure_held_out:
        print("real copy, held-out set: not measured (--measure-held-out, once, at the end of tuning)")
    report("seed article (against its hand-written briefing)", seed, 1)


if __name__ == "__main__":
    main()
