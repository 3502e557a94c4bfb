"""Source pages (the plugin's `publish_sources`), on built sites.

Off (the default), no source text is published beyond the receipts' excerpts. On, each source text a
published briefing cites has a page, `sources/<name>/`, holding the whole text in numbered paragraphs with
every passage a briefing quotes or gives as a figure's evidence marked and anchored where it starts, each
paragraph naming the briefings drawn from it; the receipts link to their passage there, the briefing's
sources list links to the whole text, and `sources/` lists every source. Drafts draw on none of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
import yaml
from bs4 import Tag
from click.testing import CliRunner

from generator.edge.cli import main
from generator.rules.verify import SourceText
from generator.site.sources import Drawn, source_addresses, source_paragraphs
from tests.conftest import MINIMAL, SEED, SEED_BRIEFING
from tests.sitebuild import build, make_project, page, publish_sources, text
from tests.test_browser import SLUG
from tests.test_receipts import HOSTILE, LINES, RECEIPTS, RECEIPTS_YAML

#: A paragraph of the seed article that no briefing quotes: it must not be published with the option off.
UNQUOTED = "Despite the ongoing tensions, the Cairo talks are seen as crucial"
SEED_PAGE = "sources/000-548c9463dc2f8344/"

#: A draft citing the seed with a quote of its own, and a source text no published briefing cites.
DRAFT_YAML = """\
title: A draft drawing on two sources
date: 2024-08-27
draft: true
summary: Never published.
who:
  - name: William Burns
what:
  - Nothing yet.
quotes:
  - {text: "Hezbollah leader Hassan Nasrallah warned", speaker: William Burns, source: seed}
  - {text: "only a draft cites this", speaker: William Burns, source: secret}
sources:
  - {id: seed, title: Wire report, file: seeds/000_548c9463dc2f8344.txt}
  - {id: secret, title: Secret memo, file: seeds/secret.txt}
"""


#: A source text with control characters (a parse error in HTML text, NUL dropped by browsers), and its briefing.
CONTROLS = "Start \x01\x02\x0b\x0c\x1c\x7f\x9f text hello world.\nNext \x00 nul here.\n"
CONTROLS_YAML = """\
title: A source with control characters
date: 2024-08-20
summary: Its quote stands next to them.
who:
  - name: William Burns
what:
  - Nothing much.
quotes:
  - {text: "hello world", speaker: William Burns}
sources:
  - {title: Controls, file: seeds/ctrl.txt}
"""


def _project(root: Path) -> Path:
    root = make_project(root)
    (root / "seeds" / "ctrl.txt").write_text(CONTROLS, encoding="utf-8")
    (root / "briefings" / "2024" / "2024-08-20-controls.yaml").write_text(CONTROLS_YAML, encoding="utf-8")
    (root / "seeds" / "lines.txt").write_text(LINES, encoding="utf-8")
    (root / "seeds" / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (root / "seeds" / "secret.txt").write_text("Words only a draft cites this week.\n", encoding="utf-8")
    (root / "briefings" / "2024" / f"{RECEIPTS}.yaml").write_text(RECEIPTS_YAML, encoding="utf-8")
    (root / "briefings" / "2024" / "2024-08-27-draft.yaml").write_text(DRAFT_YAML, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def off(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _project(tmp_path_factory.mktemp("sources-off"))
    build(root)
    return root


@pytest.fixture(scope="module")
def on(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _project(tmp_path_factory.mktemp("sources-on"))
    publish_sources(root)
    build(root)
    return root


def _files(root: Path) -> dict[str, str]:
    """Every text file of the built site, by path."""
    found = {}
    for path in sorted((root / "site").rglob("*")):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".ics", ".txt"):
            found[path.relative_to(root / "site").as_posix()] = path.read_text(encoding="utf-8")
    return found


def test_off_no_source_text_is_published_beyond_the_receipts(off: Path) -> None:
    assert not (off / "site" / "sources").exists()
    soup = page(off, f"briefings/{SLUG}/")
    assert soup.select(".bf-receipt-link") == [] and soup.select(".bf-whole-text") == []
    assert len(soup.select("details.bf-receipt")) == 13  # the receipts are there all the same
    leaked = [path for path, content in _files(off).items() if UNQUOTED in content]
    assert leaked == []


def _source_page(root: Path, address: str) -> Tag:
    article = page(root, address).find("article", class_="bf-source-page")
    assert isinstance(article, Tag)
    return article


def _anchored(article: Tag, anchor: str) -> str:
    """The text of the mark holding the anchor `anchor`, from the anchor on."""
    found = article.find(id=anchor)
    assert isinstance(found, Tag) and "bf-anchor" in (found.get("class") or []), anchor
    mark = found.find_parent("mark")
    assert isinstance(mark, Tag), anchor
    after = []
    for node in found.next_siblings:
        after.append(node.get_text() if isinstance(node, Tag) else str(node))
    return "".join(after)


def test_on_the_seed_page_holds_the_whole_text_with_each_receipt_anchored(on: Path) -> None:
    article = _source_page(on, SEED_PAGE)
    original = SEED.read_text(encoding="utf-8")
    paragraphs = [" ".join(line.split()) for line in original.splitlines() if line.strip()]
    shown = [" ".join(li.p.get_text().split()) for li in article.select("ol.bf-source-text > li")]
    assert shown == paragraphs  # the whole text, a paragraph an item, in order
    assert [li["id"] for li in article.select("ol.bf-source-text > li")] == [f"p{n}" for n in range(1, 10)]
    source = SourceText(original)

    briefing = page(on, f"briefings/{SLUG}/")
    links = briefing.select("a.bf-receipt-link")
    assert len(links) == 13  # six quotes, seven figures
    data = yaml.safe_load(SEED_BRIEFING.read_text(encoding="utf-8"))
    needles = [q["text"] for q in data["quotes"]] + [f["evidence"] for f in data["numbers"]]
    targets = {link["href"] for link in links}
    for needle in needles:
        span = source.find(needle)
        assert span is not None
        href = f"../../{SEED_PAGE}#at-{span[0]}-{span[1]}"
        assert href in targets, needle
        # the passage, marked, starts at its anchor: the source's own characters
        assert _anchored(article, f"at-{span[0]}-{span[1]}").startswith(original[span[0] : span[1]].split("\n")[0])
        where = next(link for link in links if link["href"] == href).find_parent("p")
        paragraph = int(re.search(r"paragraph (\d+)", text(where)).group(1))  # type: ignore[union-attr]
        item = article.find(id=f"at-{span[0]}-{span[1]}").find_parent("li")  # type: ignore[union-attr]
        assert item["id"] == f"p{paragraph}"  # the receipt's paragraph is the page's
    # the paragraph names the briefing that drew on it, linked back
    drawn = article.select_one("#p2 .bf-drawn a")
    assert drawn is not None and drawn["href"] == f"../../briefings/{SLUG}/"
    # the briefing's list of sources links to the whole text
    whole = briefing.select_one("ol.bf-sources a.bf-whole-text")
    assert whole is not None and whole["href"] == f"../../{SEED_PAGE}"


def test_on_a_passage_across_a_paragraph_break_is_marked_in_each(on: Path) -> None:
    addresses = source_addresses(["seeds/lines.txt"])
    article = _source_page(on, addresses["seeds/lines.txt"])
    marks = [
        (mark.find_parent("li")["id"], " ".join(mark.get_text().split()))
        for mark in article.select("ol.bf-source-text mark")
    ]
    assert ("p2", "on until") in marks and ("p3", "the end of the week") in marks
    assert ("p4", "not dead — it’s resting") in marks  # curly quotes and dashes as the source has them


def test_on_a_hostile_source_text_is_text(on: Path) -> None:
    address = source_addresses(["seeds/hostile.txt"])["seeds/hostile.txt"]
    raw = (on / "site" / address / "index.html").read_text(encoding="utf-8")
    article = _source_page(on, address)
    assert article.find("script") is None and article.find("p", string="Intro.") is None
    assert "<script>alert(1)</script>" in article.get_text() and "{{ config }}" in article.get_text()
    assert "<script>alert" not in raw


def test_on_control_characters_of_a_source_text_are_shown_as_replacement_characters(on: Path) -> None:
    """Not written raw: each non-whitespace control character is U+FFFD, on the source page and in the receipt."""
    address = source_addresses(["seeds/ctrl.txt"])["seeds/ctrl.txt"]
    briefing = on / "site" / "briefings" / "2024-08-20-controls" / "index.html"
    for path in (on / "site" / address / "index.html", briefing):
        raw = path.read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0e-\x1f\x7f-\x9f]", raw), path
    article = _source_page(on, address)
    shown = [" ".join(li.p.get_text().split()) for li in article.select("ol.bf-source-text > li")]
    assert shown == ["Start \ufffd\ufffd \ufffd\ufffd text hello world.", "Next \ufffd nul here."]
    receipt = page(on, "briefings/2024-08-20-controls/").select_one(".bf-receipt-text")
    assert receipt is not None and " ".join(receipt.get_text().split()) == shown[0]


def test_on_drafts_draw_on_nothing(on: Path) -> None:
    assert not (on / "site" / source_addresses(["seeds/secret.txt"])["seeds/secret.txt"]).exists()
    seed = _source_page(on, SEED_PAGE)
    assert "Hezbollah leader Hassan Nasrallah warned" in seed.get_text()
    assert seed.select("#p7 mark") == [] and seed.select("#p7 .bf-drawn") == []
    assert "draft" not in text(seed).lower()
    assert "Secret memo" not in text(page(on, "sources/"))


def test_the_footer_links_the_sources_only_when_published(on: Path, off: Path) -> None:
    def footer(root: Path) -> dict[str, str]:
        return {text(a): a["href"] for a in page(root, "about/").select(".bf-footer-menu a")}

    assert footer(on)["Sources"] == "../sources/"
    assert "Sources" not in footer(off) and "Corrections" in footer(off)


def test_on_sources_index_lists_each_source_linked(on: Path) -> None:
    soup = page(on, "sources/")
    rows = {text(li.a): li.a["href"] for li in soup.select("ul.bf-index > li")}
    assert rows["Gaza ceasefire talks in Cairo end without agreement"] == "000-548c9463dc2f8344/"
    assert set(rows) >= {"The envoy's remarks", "Hostile text"}
    assert len(rows) == 4
    assert soup.select_one("h1").get_text() == "Sources"  # type: ignore[union-attr]
    kicker = _source_page(on, SEED_PAGE).select_one(".bf-kicker a")
    assert kicker is not None and kicker["href"] == "../"


def test_source_addresses_are_distinct_whatever_the_file_names() -> None:
    names = ["seeds/a b.txt", "seeds/a-b.txt", "seeds/page.txt", "seeds/東京/報告.txt", "seeds/.txt", "seeds/x/../y"]
    names += ["seeds/" + "long " * 40 + ".txt", "seeds/./c.txt", "seeds/c.txt", "seeds/<img src=x>.txt"]
    names += ["seeds/a#b?.txt", "seeds/%2e%2e.txt", 'seeds/"q".txt', "seeds/---.txt", "seeds/𝔘𝔫𝔦.txt"]
    digest = hashlib.sha256(b"seeds/a b.txt").hexdigest()  # files named like another's name and digest
    names += [f"seeds/a-b-{digest[:10]}.txt", f"seeds/{digest[:32]}.txt"]
    found = source_addresses(names)
    assert found[f"seeds/a-b-{digest[:10]}.txt"] == f"sources/a-b-{digest[:10]}/"  # a plain name keeps it
    assert found["seeds/東京/報告.txt"] == "sources/東京-報告/"
    assert found["seeds/c.txt"] == "sources/c/"  # `seeds/./c.txt` is the same file
    assert len(set(found.values())) == len(found)  # `a b` and `a-b` apart
    assert found["seeds/page.txt"] != "sources/page/"  # the index's numbered pages are sources/page/N/
    for address in found.values():
        name = address.removeprefix("sources/").removesuffix("/")
        assert name and "/" not in name and len(name) <= 80 and len(name.encode()) <= 200, address
        assert re.fullmatch(r"[\w-]+", name) and not name.startswith("-"), address


def test_overlapping_passages_are_one_mark_each_anchored() -> None:
    text_ = "One two three four five.\nSix seven.\n"

    class B:
        """Stands for a briefing: a source page reads only its identity, date and slug."""

        def __init__(self, slug: str) -> None:
            self.slug, self.date = slug, dt.date(2024, 1, 1)

    first, second = B("a"), B("b")
    drawn: list[Drawn] = [(4, 13, first), (8, 18, second), (19, 35, first)]  # type: ignore[list-item]
    paragraphs = source_paragraphs(SourceText(text_), tuple(drawn))
    assert [p.number for p in paragraphs] == [1, 2]
    runs = paragraphs[0].runs
    assert [(marked, "".join(t for _, t in parts)) for marked, parts in runs] == [
        (False, "One "),
        (True, "two three four"),
        (False, " "),
        (True, "five."),
    ]
    anchors = [ids for _, parts in runs for ids, _ in parts if ids]
    assert anchors == [("at-4-13",), ("at-8-18",), ("at-19-35",)]
    assert [(marked, "".join(t for _, t in parts)) for marked, parts in paragraphs[1].runs] == [(True, "Six seven.")]
    assert [b.slug for b in paragraphs[0].drawn_by] == ["b", "a"]


def test_render_writes_source_pages_with_the_option(repo: Path) -> None:
    (repo / "briefings" / "2024-08-25-cairo-talks.yaml").write_text(MINIMAL, encoding="utf-8")
    (repo / "mkdocs.yml").write_text(
        "site_name: Desk\nsite_url: https://desk.example.org/\nplugins:\n  - briefings:\n      publish_sources: true\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    done = runner.invoke(main, ["render", "--root", str(repo)])
    assert done.exit_code == 0, done.output
    written = repo / "build" / "markdown" / "sources" / "000-548c9463dc2f8344" / "index.md"
    body = written.read_text(encoding="utf-8")
    assert "<mark>" in body and "constructive" in body
    done = runner.invoke(main, ["render", "--root", str(repo), "--no-publish-sources"])
    assert done.exit_code == 0, done.output
    assert not written.exists()  # deleted: render wrote it, and it is not wanted any more


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sixty briefings, each citing a source text of its own and the seed article, quoting the same words of it."""
    root = make_project(tmp_path_factory.mktemp("sources-many"), briefings=False)
    publish_sources(root)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    for n in range(60):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=n)
        (root / "seeds" / f"note-{n:02d}.txt").write_text(f"Note number {n} says little.\n", encoding="utf-8")
        data = yaml.safe_load(MINIMAL)
        data.update(date=day.isoformat(), title=f"Briefing {n}", summary=f"Summary {n}.")
        data["sources"].append({"title": f"Note {n}", "file": f"seeds/note-{n:02d}.txt"})
        path = root / "briefings" / f"{day.isoformat()}-briefing-{n}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    build(root)
    return root


def test_sources_index_is_paginated_past_50(crowded: Path) -> None:
    first = page(crowded, "sources/")
    rows = [text(li.a) for li in first.select("ul.bf-index > li")]
    assert len(rows) == 50 and rows[0] == "Note 59"  # the most recently first cited first
    assert "61 source texts" in text(first.select_one(".bf-lede"))
    numbered = [page(crowded, f"sources/page/{n}/") for n in (1, 2)]
    held = [text(li.a) for soup in numbered for li in soup.select("ul.bf-index > li")]
    assert sorted(held) == sorted(["Wire report", *(f"Note {n}" for n in range(60))])  # every source, once
    assert not (crowded / "site" / "sources" / "page" / "3").exists()


def test_a_source_page_does_not_grow_with_the_briefings_citing_it(crowded: Path) -> None:
    seed = _source_page(crowded, SEED_PAGE)
    cited = seed.select_one("#p3 .bf-drawn")
    assert cited is not None
    assert [a.get_text() for a in cited.select("a")] == [f"Briefing {n}" for n in (59, 58, 57, 56, 55)]
    assert text(cited).endswith("and 55 more briefings")
    assert len(seed.select("#p3 mark")) == 1  # sixty citations of the same words: one mark, one anchor
    assert len(seed.select("#p3 .bf-anchor")) == 1
