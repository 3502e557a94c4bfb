"""A pull request's preview: `mkdocs build` with BRIEFINGS_PREVIEW=<base> builds only the pages that show
what the pull request changed (and the pages every build makes), after checking every briefing.

Each test builds a real site with real MkDocs in a real git repository and reads it back.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sitebuild import build, make_project, write_briefing
from tests.test_diff import commit, git


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """The project's site with its seed briefing and three more, committed on main; then a branch."""
    root = make_project(tmp_path / "p")
    for n, day in enumerate(["2024-08-26", "2024-08-27", "2024-08-28"]):
        write_briefing(root, day, f"standing {n}")
    (root / ".gitignore").write_text("site/\n", encoding="utf-8")
    git(root, "init", "-q")
    commit(root, "main")
    git(root, "checkout", "-q", "-b", "change")
    yield root


#: The pages the navigation names, which every build makes.
NAV = {"/", "/stories/", "/who/", "/topics/", "/watch/", "/briefings/"}


def _preview(root: Path, base: str = "main", check: bool = True) -> tuple[set[str], str]:
    saved = os.environ.get("BRIEFINGS_PREVIEW")
    os.environ["BRIEFINGS_PREVIEW"] = base
    try:
        done = build(root, check=check)
    finally:
        if saved is None:
            os.environ.pop("BRIEFINGS_PREVIEW")
        else:
            os.environ["BRIEFINGS_PREVIEW"] = saved
    pages = {
        path.parent.relative_to(root / "site").as_posix() + "/"
        for path in (root / "site").rglob("index.html")
        if "assets" not in path.parts
    }
    return pages, done.stderr + done.stdout


def test_a_preview_holds_the_changed_briefings_pages_and_the_lists_that_show_them(project: Path) -> None:
    root = project
    full = build(root)
    assert full.returncode == 0
    everything = {p.parent.relative_to(root / "site").as_posix() + "/" for p in (root / "site").rglob("index.html")}
    slug = write_briefing(root, "2024-08-29", "under review", topics=["Review desk"])
    commit(root, "a briefing")
    pages, log = _preview(root)
    assert f"briefings/{slug}/" in pages
    assert "./" in pages  # the home page, which every build makes
    assert "topics/review-desk/" in pages  # a list that shows it
    assert "briefings/2024-08-28-standing-2/" in pages  # its neighbour, whose link to the next one changed
    # The pages of people only the seed briefing names, which does not show the new one, are left out.
    left_out = sorted(everything - pages)
    assert [page for page in left_out if page.startswith("who/") and page != "who/william-burns/"], left_out
    listing = (root / "site" / "preview.txt").read_text(encoding="utf-8")
    assert f"/briefings/{slug}/  {slug}" in listing
    # Each page is there for a changed briefing it shows, or because every build makes it (home, navigation).
    lines = [line.split() for line in listing.splitlines()[3:]]
    assert all(len(line) == 2 and line[1] == slug for line in lines if line[0] not in NAV), lines
    assert "preview of the changes since main" in log.lower()
    # Nothing of the whole collection that the preview need not show: no feed, no export.
    assert not (root / "site" / "briefings.json").exists() and not (root / "site" / "feed.xml").exists()
    assert (root / "site" / "pagefind" / "pagefind-entry.json").is_file()


def test_a_changed_source_text_previews_the_briefings_citing_it(project: Path) -> None:
    root = project
    git(root, "checkout", "-q", "main")
    seed = next((root / "seeds").glob("*.txt"))
    copy = root / "seeds" / "copy.txt"
    copy.write_bytes(seed.read_bytes())
    slug = write_briefing(root, "2024-08-30", "own source", sources=[{"title": "A copy", "file": "seeds/copy.txt"}])
    commit(root, "a briefing with a source text of its own")
    git(root, "checkout", "-q", "-b", "change-source")
    copy.write_text(copy.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
    commit(root, "a source text")
    pages, _ = _preview(root)
    assert f"briefings/{slug}/" in pages
    assert "briefings/2024-08-26-standing-0/" in pages  # shows it among related briefings
    assert "briefings/2024-08-25-cairo-ceasefire-talks-end-without-deal/" in pages
    listing = (root / "site" / "preview.txt").read_text(encoding="utf-8")
    assert "1 page(s)" not in listing and f"/briefings/{slug}/  {slug}" in listing
    assert "0 briefing file(s) changed" in listing


def test_a_preview_still_checks_every_briefing_and_names_a_base_it_cannot_find(project: Path) -> None:
    root = project
    broken = root / "briefings" / "2024-08-26-standing-0.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("date: '2024-08-26'", "date: 2024-13-40"))
    broken.write_text(broken.read_text(encoding="utf-8").replace("date: 2024-08-26", "date: 2024-13-40"))
    _, log = _preview(root, check=False)
    assert "2024-08-26-standing-0.yaml" in log and "error" in log
    broken.write_text(broken.read_text(encoding="utf-8").replace("2024-13-40", "2024-08-26"))
    _, log = _preview(root, base="no-such-branch", check=False)
    assert "preview of the changes since 'no-such-branch'" in log and "no commit" in log
