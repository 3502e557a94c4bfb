"""How long do quotes take to find in hostile source texts, next to an ordinary one of the same size?

    python benchmarks/bench_provenance.py [MIB]      (default: 1)

Every source is MIB mebibytes of UTF-8. The ordinary one is prose (the words of
benchmarks/synthetic.py); the hostile ones are what made a search that tries
every occurrence of a quote slow, or what makes Unicode normalisation slow:

- `a a a …` with quotes `a a … a b` (every word but the last everywhere);
- one letter repeated: one huge word, which any run of that letter is part of;
- `a a … a b` blocks: every word of the quote frequent, a near-match every
  1,000 characters that fails at its last word;
- `working teams …` with quotes starting `rking teams`: a partial word everywhere;
- curly quotes with runs of spaces and line breaks, collapsed by normalisation;
- U+0F73, which decomposes into two combining marks out of order (CPython's
  NFKC alone takes minutes over 1 MiB of it).

For each source it prints, measured in this one run: the time to normalise and
index it (`SourceText`), and to look for 30 quotes of 1,000 characters (half of
them there, half not) and their original offsets (`find`, the first call also
mapping offsets back to the original), and each time's ratio to the ordinary
source's. Then it times `briefing check` end to end (the command, start-up
included) on a briefing of 30 such quotes against each source.

It prints figures; it asserts nothing.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.rules.verify import SourceText

T = TypeVar("T")
QUOTES = 30
QUOTE_LENGTH = 1000
_WORDS = (
    "talks ceasefire minister council border delegation agreement parliament court election budget"
    " inflation harbour river province governor strike union hospital rescue envoy summit treaty"
).split()


def _repeat(unit: str, size: int) -> str:
    """`unit` repeated to `size` bytes of UTF-8 at most."""
    return unit * (size // len(unit.encode("utf-8")))


def _ordinary(size: int) -> tuple[str, list[str]]:
    rng = random.Random(1)
    words: list[str] = []
    length = 0
    while length < size:
        sentence = " ".join(rng.choice(_WORDS) for _ in range(14)).capitalize() + "."
        words.append(sentence)
        length += len(sentence) + 1
    text = " ".join(words)[:size]
    quotes = []
    for i in range(QUOTES):
        start = text.index(" ", rng.randrange(len(text) - 2 * QUOTE_LENGTH)) + 1
        quote = text[start : start + QUOTE_LENGTH].rsplit(" ", 1)[0]
        quotes.append(quote if i % 2 else quote + " zebra")  # half not in the text
    return text, quotes


def _sources(size: int) -> dict[str, tuple[str, list[str]]]:
    half = QUOTES // 2
    a_quote = ("a " * (QUOTE_LENGTH // 2))[:-1]
    block = "a " * 499 + "b "
    teams = ("working teams " * (QUOTE_LENGTH // 14 + 1))[:QUOTE_LENGTH].rsplit(" ", 1)[0]
    return {
        "ordinary prose": _ordinary(size),
        "a a a ...": (_repeat("a ", size), [a_quote[:-1] + "b"] * half + [a_quote] * half),
        "aaaa... (one word)": (_repeat("a", size), ["a" * QUOTE_LENGTH] * QUOTES),
        "a a ... b blocks": (_repeat(block, size), ["a " * 500] * half + ["b " + block[:-1]] * half),
        "working teams ...": (_repeat("working teams ", size), [teams[2:]] * half + [teams] * half),
        "curly quotes, spaces": (
            _repeat("\u201ca\u201d \n\n  ", size),
            ['"a" ' * 249 + '"b"'] * half + ['"a" ' * 250] * half,
        ),
        "U+0F73 marks": (
            _repeat("\u0f73", size),
            ["\u0f71" * 500 + " " + "\u0f72" * 499] * half + ["\u0f71" * QUOTE_LENGTH] * half,
        ),
    }


def _timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def _briefing(quotes: list[str]) -> str:
    lines = [
        "title: Provenance against a hostile source",
        "date: 2024-08-25",
        "summary: Thirty long quotes checked against one source text.",
        "who:",
        "  - name: A Speaker",
        "what:",
        "  - Quotes were checked.",
        "quotes:",
    ]
    for quote in quotes:
        escaped = quote.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        lines += [f'  - text: "{escaped}"', "    speaker: A Speaker"]
    lines += ["sources:", "  - title: The source", "    file: seeds/source.txt"]
    return "\n".join(lines) + "\n"


def _check_command(text: str, quotes: list[str]) -> float:
    """Seconds `briefing check` takes on one briefing of `quotes` against `text`, start-up included."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "briefings").mkdir()
        (root / "seeds").mkdir()
        (root / "seeds" / "source.txt").write_text(text, encoding="utf-8")
        path = root / "briefings" / "2024-08-25-provenance.yaml"
        path.write_text(_briefing(quotes), encoding="utf-8")
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "generator", "check", "--root", str(root), str(path)],
            capture_output=True,
            check=False,
        )
        return time.perf_counter() - start


def main() -> None:
    size = int(float(sys.argv[1]) * (1 << 20)) if len(sys.argv) > 1 else 1 << 20
    print(f"sources of {size:,} bytes; {QUOTES} quotes of about {QUOTE_LENGTH} characters each")
    print("index: SourceText (normalise, index); contains: the 30 quotes, as `briefing check` looks for them;")
    print("find: the 30 again with their original offsets (mapped at the first); check: the command, start-up included")
    header = ("source", "index", "ratio", "contains", "ratio", "found", "find", "ratio", "check", "ratio")
    print("{:22} {:>7} {:>6} {:>9} {:>6} {:>6} {:>8} {:>6} {:>6} {:>6}".format(*header))
    base: list[float] = []
    for name, (text, quotes) in _sources(size).items():
        figures, found = _measure(text, quotes)
        base = base or figures
        index, contains, find, check = figures
        ratios = [figure / first for figure, first in zip(figures, base, strict=True)]
        print(
            f"{name:22} {index * 1000:5.0f}ms {ratios[0]:5.1f}x {contains * 1000:7.1f}ms {ratios[1]:5.1f}x"
            f" {found:>3}/{len(quotes):<2} {find * 1000:6.0f}ms {ratios[2]:5.1f}x {check:5.2f}s {ratios[3]:5.1f}x"
        )


def _measure(text: str, quotes: list[str]) -> tuple[list[float], int]:
    """Seconds to index, to look for every quote, to find them all, and to check; and how many are there."""
    SourceText(text)  # once unmeasured: the first long run of marks builds a table, once a run
    source, index = _timed(lambda: SourceText(text))
    found, contains = _timed(lambda: sum(source.contains(quote) for quote in quotes))
    _, find = _timed(lambda: [source.find(quote) for quote in quotes])
    return [index, contains, find, _check_command(text, quotes)], found


if __name__ == "__main__":
    main()
