"""Synthetic but realistic briefings, with source texts, for benchmarks and scale tests.

Every briefing is valid: its quotes and figures' evidence are really in its
source text, so checking one does all the work a real one needs.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from generator.format.schema import LATEST_DATE

_WORDS = (
    "talks ceasefire minister council border talks delegation agreement parliament court"
    " election budget inflation harbour river province governor strike union hospital"
    " rescue envoy summit treaty sanctions exports wheat grain storm flood bridge"
).split()
_PEOPLE = ["Amina Diallo", "Jonas Berg", "Lucia Ferreira", "Omar Haddad", "Mei Tanaka", "Pavel Novak", "Grace Okafor"]
_BODIES = ["United Nations", "European Commission", "Red Cross", "World Bank", "African Union"]
_STORIES = ["Border dispute", "Grain corridor", "Harbour strike", "Flood recovery"]
_TOPICS = ["Diplomacy", "Economy", "Climate", "Labour", "Health", "Security", "Trade"]


def _sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(_WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def write_collection(root: Path, count: int, seed: int = 1) -> list[Path]:
    """Write `count` briefings under root/briefings and their sources under root/seeds."""
    rng = random.Random(seed)
    (root / "briefings").mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    start = dt.date(2020, 1, 1)
    # A briefing every day and a half, or as many a day as keep the collection within the format's
    # latest date (2099-12-31): from about 53,000 briefings, several share a day.
    step = min(1.5, (LATEST_DATE - start).days / max(count, 1))
    paths = []
    for i in range(count):
        day = start + dt.timedelta(days=int(i * step))
        people = rng.sample(_PEOPLE, 3)
        body = rng.choice(_BODIES)
        figures = [(rng.randint(2, 9000), rng.choice(_WORDS)) for _ in range(4)]
        quotes = [f"{_sentence(rng, 9)[:-1]} {i}" for _ in range(3)]
        paragraphs = [_sentence(rng) + " " + _sentence(rng) for _ in range(6)]
        paragraphs += [f"Officials said {value:,} {noun} were affected." for value, noun in figures]
        paragraphs += [f"“{quote},” said {person}." for quote, person in zip(quotes, people, strict=True)]
        paragraphs.extend(_sentence(rng) + " " + _sentence(rng) for _ in range(6))
        seed_name = f"seeds/article-{i:05d}.txt"
        (root / seed_name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")

        lines = [
            f"title: {_sentence(rng, 9)[:-1]} (briefing {i})",
            f"date: {day.isoformat()}",
            "location: Geneva",
            f"story: {rng.choice(_STORIES)}",
            "topics:",
            *(f"  - {t}" for t in rng.sample(_TOPICS, 2)),
            "summary: >-",
            f"  {_sentence(rng, 25)} {_sentence(rng, 20)}",
            "who:",
        ]
        for person in people:
            lines += [f"  - name: {person}", f"    role: {rng.choice(_WORDS).capitalize()} envoy"]
        lines += [f"  - name: {body}", "    kind: organization"]
        lines.append("what:")
        lines += [f"  - {_sentence(rng)}" for _ in range(4)]
        lines.append("numbers:")
        for value, noun in figures:
            lines += [
                f"  - value: {value}",
                f"    label: {noun} affected",
                "    qualifier: about",
                f"    evidence: Officials said {value:,} {noun} were affected.",
                "    source: s1",
            ]
        lines.append("quotes:")
        for quote, person in zip(quotes, people, strict=True):
            lines += [f'  - text: "{quote}"', f"    speaker: {person}", "    context: Speaking to reporters."]
        lines += ["next:", f"  - text: {_sentence(rng)}", "    when: coming days", f"    who: {body}"]
        lines += ["sources:", "  - title: Wire report", f"    file: {seed_name}", "    publisher: Wire"]
        path = root / "briefings" / str(day.year) / f"{day.isoformat()}-briefing-{i:05d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
