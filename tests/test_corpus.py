"""The real-copy corpus of benchmarks/bench_draft.py (tests/real/): every file has its origin and licence, every
annotated quote is in its article word for word, no publisher is more than 30% of it, and the held-out files
are exactly those whose SHA-256 the README gives (committed before the first change to the drafter: an
annotation edited to fit the rules would no longer match)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

from tests.conftest import PROJECT

REAL = PROJECT / "tests" / "real"


def _gold() -> dict[str, dict[str, object]]:
    return {
        path.name.removesuffix(".gold.yaml"): yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(REAL.glob("*.gold.yaml"))
    }


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, straight)
    return " ".join(text.split())


def test_every_article_has_its_source_and_licence() -> None:
    sources = yaml.safe_load((REAL / "SOURCES.yaml").read_text(encoding="utf-8"))
    listed = {entry["file"] for entry in sources}
    texts = {path.name for path in REAL.glob("*.txt")}
    assert listed == texts and len(texts) >= 30
    assert {path.name.removesuffix(".gold.yaml") + ".txt" for path in REAL.glob("*.gold.yaml")} == texts
    for entry in sources:
        assert entry["licence"] and entry["publisher"] and entry["taken_from"] and entry["retrieved"], entry


def test_no_publisher_is_more_than_thirty_percent_and_there_are_five() -> None:
    sources = yaml.safe_load((REAL / "SOURCES.yaml").read_text(encoding="utf-8"))
    shares = Counter(re.sub(r" \(.*\)$", "", entry["publisher"]) for entry in sources)
    assert len(shares) >= 5, shares
    assert max(shares.values()) <= 0.3 * len(sources), shares


def test_every_annotated_quote_is_in_its_article_word_for_word() -> None:
    missing = []
    for name, gold in _gold().items():
        text = _plain((REAL / f"{name}.txt").read_text(encoding="utf-8"))
        for quote in gold.get("quotes") or []:  # type: ignore[attr-defined]
            if _plain(str(quote["text"])) not in text:
                missing.append(f"{name}: {quote['text']!r}")
    assert not missing, "\n".join(missing)


def test_the_held_out_files_are_those_the_readme_names_byte_for_byte() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    line = r"(?m)^([0-9a-f]{64})  ([a-z0-9_-]+\.(?:gold\.yaml|txt))$"
    named = {name: digest for digest, name in re.findall(line, readme)}
    held = sorted(name for name, gold in _gold().items() if gold["held_out"] is True)
    assert len(held) >= 10 and len(held) * 3 >= len(_gold()) - 1
    expected = {f"{name}{suffix}" for name in held for suffix in (".gold.yaml", ".txt")}
    assert set(named) == expected
    for name, digest in named.items():
        assert hashlib.sha256((REAL / name).read_bytes()).hexdigest() == digest, name


def test_the_guides_real_article_finished_passes_check_strictly(tmp_path: Path) -> None:
    """docs/contributing.md's finished briefing from a real article is what it says: no finding at all."""
    import textwrap

    from generator.rules.collection import check_collection

    guide = (PROJECT / "docs" / "contributing.md").read_text(encoding="utf-8")
    section = guide[guide.index("### A real article, from draft to page") :]
    block = re.search(r"   ```yaml\n(.*?)\n   ```", section, re.DOTALL)
    assert block is not None
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "us04_antiquities-returned-india.txt").write_bytes(
        (REAL / "us04_antiquities-returned-india.txt").read_bytes()
    )
    folder = tmp_path / "briefings" / "2014"
    folder.mkdir(parents=True)
    path = folder / "2014-01-14-antiquities-returned-to-india.yaml"
    path.write_text(textwrap.dedent(block.group(1)) + "\n", encoding="utf-8")
    assert [f.format() for f in check_collection([tmp_path / "briefings"], tmp_path).findings] == []
