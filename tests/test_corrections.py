"""Corrections: on the briefing's page above its summary (newest first), in its feed entry with its
`updated`, in the export, and on `/corrections/`, linked from the footer; never a draft's."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from tests.conftest import MINIMAL, SEED
from tests.sitebuild import build, make_project, page, text

ATOM = "{http://www.w3.org/2005/Atom}"
FIRST = {"date": "2024-08-26", "text": "An earlier version said 12 cables; it was 14."}
SECOND = {"date": "2024-08-27", "text": 'An earlier version named the wrong <b>city</b> & "port".'}


def _write(root: Path, slug: str, **changes: object) -> None:
    data = yaml.safe_load(MINIMAL)
    data.update(changes)
    (root / "briefings" / f"{slug}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("corrections"), briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    _write(root, "2024-08-25-corrected", title="Corrected briefing", updated="2024-08-27", corrections=[FIRST, SECOND])
    _write(root, "2024-08-25-plain", title="Plain briefing")
    _write(root, "2024-08-25-secret", title="Secret draft", draft=True, updated="2024-08-26", corrections=[FIRST])
    build(root)
    return root


def test_a_correction_shows_above_at_a_glance_newest_first(corrected: Path) -> None:
    article = page(corrected, "briefings/2024-08-25-corrected/").select_one("article")
    assert article is not None
    notes = [text(p).replace(" :", ":") for p in article.select(".bf-correction")]
    assert notes == [
        f"Correction, 27 August 2024: {SECOND['text']}",
        f"Correction, 26 August 2024: {FIRST['text']}",
    ]
    aside = article.select_one("aside.bf-corrections-notes")
    summary = article.select_one(".bf-glance")
    assert aside is not None and summary is not None
    assert list(article.descendants).index(aside) < list(article.descendants).index(summary)
    assert not aside.select("b")  # the text as written, not markup
    assert not page(corrected, "briefings/2024-08-25-plain/").select(".bf-correction")


def test_the_feed_entry_carries_the_correction_and_its_update(corrected: Path) -> None:
    feed = ET.parse(corrected / "site" / "feed.xml").getroot()
    entries = {e.findtext(f"{ATOM}title"): e for e in feed.iter(f"{ATOM}entry")}
    assert "Secret draft" not in entries
    entry = entries["Corrected briefing"]
    assert (entry.findtext(f"{ATOM}updated") or "").startswith("2024-08-27")
    summary = entry.findtext(f"{ATOM}summary") or ""
    assert summary.startswith(f"Correction, 2024-08-27: {SECOND['text']} Correction, 2024-08-26: {FIRST['text']}")


def test_the_export_holds_the_corrections(corrected: Path) -> None:
    export = json.loads((corrected / "site" / "briefings.json").read_text(encoding="utf-8"))
    by_slug = (
        {item["slug"]: item for item in export["briefings"]}
        if isinstance(export, dict)
        else {item["slug"]: item for item in export}
    )
    assert by_slug["2024-08-25-corrected"]["corrections"] == [FIRST, SECOND]
    assert "2024-08-25-secret" not in by_slug


def test_corrections_page_lists_every_correction_newest_first_and_the_footer_links_it(corrected: Path) -> None:
    listing = page(corrected, "corrections/")
    items = listing.select(".bf-corrections-list li")
    assert [text(li.select_one(".bf-correction-text")) for li in items] == [SECOND["text"], FIRST["text"]]
    assert all(li.select_one("a")["href"] == "../briefings/2024-08-25-corrected/" for li in items)
    assert "Secret" not in text(listing)
    footer = page(corrected, "").select_one("nav.bf-footer-menu")
    assert footer is not None and "corrections/" in [a["href"] for a in footer.select("a")]


def test_corrections_are_paginated_like_every_list(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    start = dt.date(2024, 9, 1)
    for n in range(3):
        corrections = [
            {"date": (start + dt.timedelta(days=n * 20 + i)).isoformat(), "text": f"Fix {n}-{i}."} for i in range(20)
        ]
        _write(
            root,
            f"2024-08-2{n}-b{n}",
            title=f"B {n}",
            date=f"2024-08-2{n}",
            updated="2024-12-31",
            corrections=corrections,
        )
    build(root)
    assert len(page(root, "corrections/").select(".bf-corrections-list li")) == 50
    counts = [len(page(root, f"corrections/page/{n}/").select(".bf-corrections-list li")) for n in (1, 2)]
    assert counts == [50, 10]
    assert not (root / "site" / "corrections" / "page" / "3").exists()
