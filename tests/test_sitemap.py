"""Past 50,000 addresses the sitemap becomes a sitemap index and its parts (tested with a lower limit)."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

from generator.site.settings import Settings
from generator.site.sitemap import split_sitemap
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
    assert split_sitemap(site, Settings.of("https://briefings.example.org/"), limit=10_000) == 0
    assert _locs(site / "sitemap.xml") == whole  # under the limit: left as MkDocs wrote it

    parts = split_sitemap(site, Settings.of("https://briefings.example.org/"), limit=5)
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
    assert split_sitemap(site, Settings.of("https://briefings.example.org/"), limit=5) == 0  # an index is left alone

    # the next build writes one sitemap again, and the parts it no longer needs are gone
    build(root)
    assert _locs(site / "sitemap.xml") == whole
    assert not list(site.glob("sitemap-*.xml*"))


def test_each_page_is_dated_in_the_sitemap_by_what_it_shows(tmp_path: Path) -> None:
    """A briefing's `lastmod` is its `updated`, else its `date`; a joined page's is the newest it shows."""
    import yaml

    from tests.conftest import MINIMAL, SEED

    root = make_project(tmp_path / "p", briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    older = yaml.safe_load(MINIMAL) | {"date": "2024-08-20", "title": "Older briefing"}
    newer = yaml.safe_load(MINIMAL) | {"date": "2024-08-22", "updated": "2024-08-24", "title": "Newer briefing"}
    for slug, data in (("2024-08-20-older", older), ("2024-08-22-newer", newer)):
        (root / "briefings" / f"{slug}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    build(root)
    tree = ET.parse(root / "site" / "sitemap.xml").getroot()
    dates = {
        (url.findtext(f"{NS}loc") or "").split("/", 3)[-1]: url.findtext(f"{NS}lastmod")
        for url in tree.iter(f"{NS}url")
    }
    assert dates["briefings/2024-08-20-older/"] == "2024-08-20"
    assert dates["briefings/2024-08-22-newer/"] == "2024-08-24"
    actor = next(address for address in dates if address.startswith("who/") and address != "who/")
    assert dates[actor] == "2024-08-24"
    assert dates["briefings/2024/08/"] == "2024-08-24"
    assert set(dates.values()) == {"2024-08-20", "2024-08-24"}  # never the day of the build
