"""How fast is `briefing check`, next to only parsing the same files with libyaml?

    python benchmarks/bench_check.py [N ...]      (default: 1000)

For each N it writes N synthetic briefings with their source texts into a
temporary folder, then times, best of several rounds:

- baseline: read every file and `yaml.load(..., Loader=yaml.CSafeLoader)` it;
- check: `check_collection` on the folder, everything `briefing check` does
  (YAML, schema, cross-field and cross-file rules, reading and normalising
  every source text, verifying every quote and figure);
- and once, the `briefing check` command itself, start-up included.

It prints figures; it asserts nothing.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import write_collection
from generator.rules.collection import check_collection, find_files

ROUNDS = 5


def _best(fn: object, rounds: int = ROUNDS) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def run(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_collection(root, count)
        files = find_files([root / "briefings"])

        def baseline() -> None:
            for path in files:
                yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)

        def check() -> None:
            collection = check_collection([root / "briefings"], root)
            assert collection.errors == 0 and collection.warnings == 0, collection.findings[:3]

        raw = _best(baseline)
        ours = _best(check)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "generator", "check", "--root", str(root)],
            check=True,
            capture_output=True,
        )
        cli = time.perf_counter() - start
        print(
            f"N={count:>6}  yaml.load(CSafeLoader) {raw / count * 1e6:7.0f} µs/briefing"
            f"  briefing check {ours / count * 1e6:7.0f} µs/briefing"
            f"  ratio {ours / raw:4.2f}x"
            f"  | CLI end to end {cli:6.2f} s ({cli / count * 1e6:5.0f} µs/briefing)"
        )


def main() -> None:
    counts = [int(arg) for arg in sys.argv[1:]] or [1000]
    print(f"libyaml: {yaml.__with_libyaml__}; best of {ROUNDS} rounds")
    for count in counts:
        run(count)


if __name__ == "__main__":
    main()
