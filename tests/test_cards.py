"""Share images (generator/site/cards.py): the text they draw, the font's reach, the same bytes in any process,
drawn only when what they show changes, and none with `share_images: false`."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from generator.site.cards import (
    BOLD,
    HEIGHT,
    REGULAR,
    WIDTH,
    Card,
    _font,
    _font_bytes,
    card,
    clean,
    draw,
    drawable,
    font_characters,
    site_card,
    wrap,
)
from tests.conftest import PROJECT, SEED_BRIEFING
from tests.sitebuild import build, cache_of, make_project

SLUG = "2024-08-25-cairo-ceasefire-talks-end-without-deal"
EXAMPLE = card("Briefings", "Israel-Hamas war", "Cairo talks end without a deal", "270 sites", "targeted by planes")


def test_the_fonts_cover_latin_greek_and_cyrillic_and_not_cjk() -> None:
    """What the fonts' cmap tables say they draw, read from the files the package ships."""
    for name in (BOLD, REGULAR):
        covered = set(font_characters(_font_bytes(name)))
        assert {ord(ch) for ch in "AZaz09€£$%–—’“”…éçñøßąłőšžđăşț"} <= covered
        assert {ord(ch) for ch in "ΑΩαωЖжЯяЁё"} <= covered
        assert not {ord(ch) for ch in "東京서울وقף"} & covered
    assert drawable("Zelenskyy meets Tusk in Łódź; Σύνοδος; Москва")
    assert not drawable("東京の会談")


def test_clean_leaves_out_controls_and_invisible_format_characters() -> None:
    """Bidirectional overrides, zero-width characters and controls are not drawn; white space is one space."""
    assert clean("a\u202eb\u200bc\x00d\r\n\te   f") == "abcd e f"
    assert clean("Cafe\u0301") == "Café"  # composed, so the font's é is drawn
    assert len(clean("x" * 10_000)) == 300


def test_a_headline_the_font_cannot_draw_makes_the_sites_card() -> None:
    assert card("Briefings", "Story", "東京の会談") == site_card("Briefings")
    assert card("Briefings", "東京", "Talks in Tokyo", "3", "東京").kicker == ""  # the rest is still drawn


def test_wrap_breaks_between_words_and_cuts_what_does_not_fit() -> None:
    font = _font(64)
    lines, whole = wrap("Cairo talks end without a deal as both sides trade fire across the border", font, 1056, 4)
    assert whole and len(lines) == 3 and " ".join(lines).startswith("Cairo talks") and lines[-1] == "border"
    assert all(font.getlength(line) <= 1056 for line in lines)
    lines, whole = wrap("W" * 140, font, 1056, 3)  # one word wider than three lines
    assert not whole and len(lines) == 3 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1056 for line in lines)
    lines, whole = wrap("word " * 200, font, 1056, 2)
    assert not whole and len(lines) == 2 and lines[-1].endswith("…")


@pytest.mark.parametrize(
    "shown",
    [
        EXAMPLE,
        site_card("Briefings", "News briefings, checked against their sources."),
        card("Ñ", "", "x"),
        card("Briefings", "W" * 300, "W" * 300, "9" * 300, "W" * 300),
        card("Briefings", "", "a", "", ""),
    ],
)
def test_a_card_is_a_1200_by_630_png_of_few_colours(shown: Card) -> None:
    data = draw(shown)
    assert data == draw(shown)
    with Image.open(io.BytesIO(data)) as picture:
        assert (picture.format, picture.size, picture.mode) == ("PNG", (WIDTH, HEIGHT), "P")
        picture.load()  # every chunk read: the CRCs and the compressed data are right
        colours = picture.getcolors(16)
        assert colours is not None and len(colours) >= 2
    assert len(data) < 20_000


def test_the_same_card_gives_the_same_bytes_in_another_process() -> None:
    """Nothing of the process (its hash seed, what it drew before) changes a card's bytes."""
    program = (
        "import sys, hashlib\n"
        "from generator.site.cards import card, draw\n"
        "shown = card('Briefings', 'Israel-Hamas war', 'Cairo talks end without a deal', '270 sites',"
        " 'targeted by planes')\n"
        "sys.stdout.write(hashlib.sha256(draw(shown)).hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", program],
            capture_output=True,
            text=True,
            check=True,
            cwd=PROJECT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    import hashlib

    assert digests == {hashlib.sha256(draw(EXAMPLE)).hexdigest()}


def test_a_card_is_named_by_what_it_shows() -> None:
    other = card("Briefings", "Israel-Hamas war", "Cairo talks end without a deal", "271 sites", "targeted by planes")
    assert EXAMPLE.path("briefings/x/") != other.path("briefings/x/")
    assert re.fullmatch(r"briefings/x/card-[0-9a-f]{16}\.png", EXAMPLE.path("briefings/x/"))


def _cards(folder: Path) -> dict[str, tuple[int, int]]:
    """The share images under `folder`, each with its inode and modification time."""
    return {
        path.relative_to(folder).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in folder.rglob("card-*.png")
    }


def test_images_are_drawn_only_when_what_they_show_changes(tmp_path: Path) -> None:
    """A second build writes no image again; a new headline gives its page a new image (the old one gone from
    the site and the cache), and every other image stays as it was written."""
    root = make_project(tmp_path / "project")
    build(root)
    store = cache_of(root) / "pages"
    first = _cards(store)
    assert f"briefings/{SLUG}" in {path.rsplit("/", 1)[0] for path in first}
    build(root)
    assert _cards(store) == first
    text = SEED_BRIEFING.read_text(encoding="utf-8")
    edited = root / SEED_BRIEFING.relative_to(PROJECT)
    edited.write_text(text.replace("title: ", "title: Edited, ", 1), encoding="utf-8")
    build(root)
    after = _cards(store)
    changed = {path for path in first.keys() ^ after.keys()}
    assert {path.rsplit("/", 1)[0] for path in changed} == {f"briefings/{SLUG}"}
    assert len(changed) == 2  # the old one gone, the new one drawn
    assert all(after[path] == first[path] for path in first.keys() & after.keys())
    assert set(_cards(root / "site")) == set(after)


def test_share_images_false_publishes_none(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - briefings" in text
    config.write_text(text.replace("  - briefings", "  - briefings:\n      share_images: false", 1), encoding="utf-8")
    build(root)
    assert not _cards(root / "site")
    page = (root / "site" / "briefings" / SLUG / "index.html").read_text(encoding="utf-8")
    assert 'name="twitter:card" content="summary"' in page and "og:image" not in page


def test_an_image_changed_in_the_cache_is_drawn_again_not_published(tmp_path: Path) -> None:
    """The cache is hostile too: an image whose bytes are not those written is drawn again."""
    root = make_project(tmp_path / "project")
    build(root)
    store = cache_of(root) / "pages"
    path = next(iter(sorted(_cards(store))))
    original = (store / path).read_bytes()
    (store / path).write_bytes(b"<script>alert(1)</script>")
    build(root)
    assert (root / "site" / path).read_bytes() == original == (store / path).read_bytes()
