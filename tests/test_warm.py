"""A warm `mkdocs build` renders only the pages whose inputs changed, and makes the same site as a cold one.

A page whose finished HTML an earlier build kept, under the digest of everything it is
rendered from (`render.Kept`, `inputs.Digests`), is not rendered again: its HTML is
copied into the site. Each test builds real sites with real MkDocs and compares them
byte for byte with a build from an empty cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from markupsafe import Markup

from generator.format.model import Correction
from generator.site.escape import html
from generator.site.inputs import Deferred, Digests, Unkeyed
from generator.store.cache import MANIFEST
from tests.sitebuild import build, build_without_kept, cache_of, listed, make_project, page, text, write_briefing


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _counts(log: str) -> tuple[int, int]:
    found = re.search(r"briefings: (\d+) page\(s\) rendered, (\d+) taken whole", log)
    assert found, log
    return int(found.group(1)), int(found.group(2))


def _cold(root: Path, name: str) -> dict[str, bytes]:
    """The site a build makes with no finished page kept (the kept ones set aside, then put back)."""
    build_without_kept(root, f"site-{name}")
    return _files(root / f"site-{name}")


def test_one_briefing_added_renders_a_few_pages_and_the_site_is_the_one_a_cold_build_makes(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    for n, day in enumerate(["2024-08-26", "2024-08-27", "2024-08-28"]):
        write_briefing(root, day, f"steady {n}")
    first = build(root)
    rendered, taken = _counts(first.stderr)
    assert taken == 0 and rendered > 20  # an empty cache: every page rendered

    again = build(root)
    rendered, taken = _counts(again.stderr)
    # Nothing changed: only the pages that must be MkDocs pages (the home page, those the navigation names).
    assert taken > 20 and rendered <= 8, again.stderr

    slug = write_briefing(root, "2024-08-29", "one more")
    added = build(root)
    rendered, taken = _counts(added.stderr)
    assert 0 < rendered < taken, added.stderr
    warm = _files(root / "site")
    cold = _cold(root, "cold")
    assert warm.keys() == cold.keys()
    assert [path for path in cold if cold[path] != warm[path]] == []
    assert "Briefing one more" in text(page(root, f"briefings/{slug}/").find("h1"))
    # The sitemap names every page, those copied whole included, as a cold build's does.
    sitemap = warm["sitemap.xml"].decode()
    assert f"briefings/{slug}/" in sitemap and sitemap.count("<url>") >= rendered + taken


def test_a_kept_page_whose_bytes_changed_is_rendered_again_never_published(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    build(root)
    kept = sorted((cache_of(root) / "html").glob("*.html"))
    assert kept
    for path in kept:
        path.write_bytes(path.read_bytes().replace(b"</body>", b"<script>alert(1)</script></body>"))
    done = build(root)
    rendered, taken = _counts(done.stderr)
    assert taken == 0 and rendered > 20, done.stderr
    site = _files(root / "site")
    assert not [path for path, data in site.items() if b"alert(1)" in data]
    assert "is not used" in done.stderr


def test_pages_the_navigation_or_docs_link_to_stay_mkdocs_pages(tmp_path: Path) -> None:
    """MkDocs checks the links of docs/ and the navigation against its pages: a page they name is never
    copied whole, so `--strict` holds build after build."""
    root = make_project(tmp_path / "p")
    slug = write_briefing(root, "2024-08-26", "linked from docs")
    (root / "docs" / "notes.md").write_text(
        f"# Notes\n\nSee [the briefing](briefings/{slug}/index.md) and [people](who/index.md).\n", encoding="utf-8"
    )
    build(root)
    done = build(root)  # --strict: a link to a page MkDocs does not know would be a warning
    _, taken = _counts(done.stderr)
    assert taken > 0
    link = page(root, "notes/").find("a", string="the briefing")
    assert link is not None and link["href"] == f"../briefings/{slug}/"


def test_keep_html_off_renders_every_page_every_time(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - briefings\n", "  - briefings:\n      keep_html: false\n", 1),
        encoding="utf-8",
    )
    build(root)
    done = build(root)
    assert "taken whole" not in done.stderr


def test_a_site_without_a_nav_keeps_no_page(tmp_path: Path) -> None:
    """Without `nav` in mkdocs.yml, MkDocs puts every page in the navigation every page shows: a new
    briefing changes every page, so none is taken whole."""
    root = make_project(tmp_path / "p")
    config = root / "mkdocs.yml"
    before = config.read_text(encoding="utf-8")
    start = before.index("\nnav:\n")
    end = before.index("\nnot_in_nav:")
    config.write_text(before[:start] + before[end:], encoding="utf-8")
    build(root)
    done = build(root)
    assert "taken whole" not in done.stderr
    assert not (cache_of(root) / "html").exists() or not list((cache_of(root) / "html").glob("*.html"))


# --- the digest of a page's inputs ---------------------------------------------------


def test_values_that_render_differently_never_share_a_digest() -> None:
    digests = Digests()
    values = [
        "1",
        1,
        1.0,
        Decimal("1"),
        Decimal("1.0"),
        True,
        None,
        "",
        Markup("<b>"),
        html("<b>"),
        "<b>",
        ("a", "b"),
        ("b", "a"),
        ["a", "b"],
        {"a": 1, "b": 2},
        {"b": 2, "a": 1},
        dt.date(2024, 8, 25),
        "2024-08-25",
        Correction(dt.date(2024, 8, 25), "a"),
        Correction(dt.date(2024, 8, 25), "b"),
        ("ab",),
        ("a", "b", ""),
        frozenset({"a"}),
    ]
    seen = [digests.of(value) for value in values]
    assert len(set(seen)) == len(values)
    assert digests.of(("a", "b")) == Digests().of(("a", "b"))  # the same value, the same digest


def test_a_value_it_cannot_name_is_unkeyed_and_deferred_values_are_named_by_their_key() -> None:
    digests = Digests()
    with pytest.raises(Unkeyed):
        digests.of(lambda: 1)
    with pytest.raises(Unkeyed):
        digests.of(object())
    assert digests.of(Deferred(lambda: 1, "k")) == digests.of(Deferred(lambda: 2, "k"))
    assert digests.of(Deferred(lambda: 1, "k")) != digests.of(Deferred(lambda: 1, "j"))
    assert digests.of(Deferred(lambda: 1, "k")) != digests.of("k")


def test_a_remembered_value_is_digested_once_and_never_confused_with_another() -> None:
    digests = Digests(remembered=(Correction,))
    one = Correction(dt.date(2024, 8, 25), "a")
    first = digests.of(one)
    assert digests.of(one) == first
    other = Correction(dt.date(2024, 8, 25), "b")
    assert digests.of(other) != first
    assert digests.of([one, other]) == Digests(remembered=(Correction,)).of([one, other])


# --- checks kept between builds --------------------------------------------------------


def _checks(log: str) -> tuple[int, int]:
    found = re.search(r"briefings: (\d+) file\(s\) checked, (\d+) check\(s\) taken from the last build", log)
    assert found, log
    return int(found.group(1)), int(found.group(2))


def test_a_file_is_checked_again_only_when_it_or_a_source_text_it_read_changed(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    first = build(root)
    checked, taken = _checks(first.stderr)
    assert checked >= 1 and taken == 0

    again = build(root)
    assert _checks(again.stderr) == (0, checked)

    # A source text the seed briefing quotes, changed: that briefing is checked again, and its quote no
    # longer found is an error, as a cold check says.
    seed = next((root / "seeds").glob("*.txt"))
    original = seed.read_text(encoding="utf-8")
    seed.write_text(original.replace("270 sites", "207 sites"), encoding="utf-8")
    failed = build(root, check=False)
    assert failed.returncode != 0
    assert "not found in" in failed.stderr + failed.stdout
    seed.write_text(original, encoding="utf-8")
    restored = build(root)
    assert _checks(restored.stderr)[0] >= 1

    slug = write_briefing(root, "2024-08-26", "checked once")
    added = build(root)
    assert _checks(added.stderr) == (1, checked)
    assert (root / "site" / "briefings" / slug / "index.html").is_file()


def test_a_kept_check_that_does_not_read_back_exactly_is_made_again(tmp_path: Path) -> None:
    """Well-formed JSON of the wrong shape, its digest recorded in the manifest so that the store hands it
    over: the reader refuses it field by field, and the file is checked again."""
    root = make_project(tmp_path / "p")
    build(root)
    site = _files(root / "site")
    store = cache_of(root) / "checks"
    entries = sorted(store.glob("*.json"))
    assert entries and sorted(listed(store)) == [path.name for path in entries]
    manifest = store / MANIFEST
    lines = manifest.read_text(encoding="utf-8").splitlines()
    for path in entries:
        entry = json.loads(path.read_bytes())
        entry["checked"]["briefing"]["date"] = "2024-08-25"  # text where a date must be
        data = json.dumps(entry).encode()
        path.write_bytes(data)
        lines = [
            f"{hashlib.sha256(data).hexdigest()} {path.name}" if line.endswith(f" {path.name}") else line
            for line in lines
        ]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = build(root)
    checked, taken = _checks(done.stderr)
    assert taken == 0 and checked == len(entries)
    assert _files(root / "site") == site


def test_a_check_reads_back_as_exactly_the_check_that_was_kept(tmp_path: Path) -> None:
    """The seed briefing (figures as decimals, dates, steps dated by a date and by words) and a briefing
    with findings: each check, written as JSON and read back, equals the check made."""
    from generator.rules.checkstore import _checked, _plain
    from generator.rules.validate import check_bytes
    from generator.rules.verify import Seeds
    from tests.conftest import PROJECT, SEED_BRIEFING

    seeds = Seeds(PROJECT)
    made = check_bytes(SEED_BRIEFING.read_bytes(), SEED_BRIEFING.name, "briefings/x.yaml", seeds)
    assert made.briefing is not None and made.briefing.numbers and made.briefing.next
    broken = check_bytes(b"title: [\ndate: 2024-13-01\n", "2024-08-25-broken.yaml", "b.yaml", seeds)
    assert broken.findings and broken.briefing is None
    for checked in (made, broken):
        assert _checked(json.loads(json.dumps(_plain(checked)))) == checked


def test_a_page_taken_whole_is_a_link_to_the_very_file_checked(tmp_path: Path) -> None:
    """A copied page is a hard link to the kept file whose bytes were checked: no page is written twice."""
    root = make_project(tmp_path / "p")
    build(root)
    build(root)
    kept = {p.stat().st_ino for p in (cache_of(root) / "html").glob("*.html")}
    pages = [p for p in (root / "site").rglob("index.html") if p.stat().st_ino in kept]
    assert len(pages) > 20
    assert all(p.stat().st_nlink == 2 for p in pages)
