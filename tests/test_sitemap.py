"""Past 50,000 addresses the sitemap becomes a sitemap index and its parts (tested with a lower limit)."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

from generator.sitemap import split_sitemap
from tests.sitebuild import build, make_project

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _locs(path: Path) -> list[str]:
    return [loc.text or "" for loc in ET.parse(path).getroot().iter(f"{NS}loc")]


def test_a_sitemap_past_the_limit_becomes_an_index_of_parts(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    build(root)
    site = root / "site"
    whole = _locs(site / "sitemap.xml")
    assert len(whole) > 12
    assert split_sitemap(site, "https://briefings.example.org/", limit=10_000) == 0
    assert _locs(site / "sitemap.xml") == whole  # under the limit: left as MkDocs wrote it

    parts = split_sitemap(site, "https://briefings.example.org/", limit=5)
    assert parts == -(-len(whole) // 5)
    index = ET.parse(site / "sitemap.xml").getroot()
    assert index.tag == f"{NS}sitemapindex"
    names = [f"sitemap-{n}.xml" for n in range(1, parts + 1)]
    assert _locs(site / "sitemap.xml") == [f"https://briefings.example.org/{name}" for name in names]
    assert all(m.text and len(m.text) == 10 for m in index.iter(f"{NS}lastmod"))
    found = []
    for name in names:
        urls = _locs(site / name)
        assert 0 < len(urls) <= 5
        found += urls
        assert gzip.decompress((site / f"{name}.gz").read_bytes()) == (site / name).read_bytes()
    assert found == whole  # every address once, in MkDocs' order
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()
    assert split_sitemap(site, "https://briefings.example.org/", limit=5) == 0  # an index is left alone

    # the next build writes one sitemap again, and the parts it no longer needs are gone
    build(root)
    assert _locs(site / "sitemap.xml") == whole
    assert not list(site.glob("sitemap-*.xml*"))
