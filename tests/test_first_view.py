"""What stands between a reader and the first paint: the budget behind a fast first view, on the built site.
No print stylesheet blocks a screen's paint, the site's own styles and scripts are minified as they are
published, and every image is sized (so nothing moves when it loads). Lighthouse's scores are measured in
tests/test_lighthouse.py; these are the rules behind them."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.site.minify import minified
from tests.conftest import PROJECT
from tests.sitebuild import build, make_project

PAGES = ["index.html", "briefings/2024-08-25-cairo-ceasefire-talks-end-without-deal/index.html", "about/index.html"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("first-view"))
    build(root)
    return root / "site"


@pytest.mark.parametrize("address", PAGES)
def test_the_print_rules_never_block_a_screen(site: Path, address: str) -> None:
    soup = BeautifulSoup((site / address).read_text(encoding="utf-8"), "html.parser")
    sheets = soup.find_all("link", rel="stylesheet")
    printing = [link for link in sheets if "print.css" in link["href"]]
    assert len(printing) == 1 and printing[0].get("media") == "print"
    assert all(link.get("media") in (None, "all", "screen") for link in sheets if link not in printing)


@pytest.mark.parametrize("address", PAGES)
def test_every_image_is_sized(site: Path, address: str) -> None:
    soup = BeautifulSoup((site / address).read_text(encoding="utf-8"), "html.parser")
    images = soup.find_all("img")
    assert images  # the header's logo at least
    assert all(img.get("width") and img.get("height") for img in images), images


@pytest.mark.parametrize("name", ["assets/briefings.css", "assets/search.css", "assets/print.css", "assets/search.js"])
def test_the_sites_own_styles_and_scripts_are_minified(site: Path, name: str) -> None:
    """Published as rcssmin and rjsmin make them from docs/: smaller, no comment left, and the same rules."""
    written = (PROJECT / "docs" / name).read_text(encoding="utf-8")
    published = (site / name).read_text(encoding="utf-8")
    assert published == minified(name, written)
    assert len(published) < 0.8 * len(written)
    assert "/*" not in published and "\n\n" not in published
    for token in ("bf-glance", "@media") if name.endswith(".css") else ("pagefind", "addEventListener"):
        assert (token in written) == (token in published), token


def test_the_themes_files_are_published_as_they_are(site: Path) -> None:
    """Only the site's own files are minified: the theme's are copied byte for byte."""
    import material

    theme = Path(material.__file__).parent / "templates" / "assets" / "javascripts"
    bundle = next(theme.glob("bundle.*.min.js"))
    assert (site / "assets" / "javascripts" / bundle.name).read_bytes() == bundle.read_bytes()
