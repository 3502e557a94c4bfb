"""Share cards and search engines: canonical URLs, Open Graph and Twitter tags, JSON-LD and robots.txt,
read from a real site built by real MkDocs, and checked against the briefings' own data."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.rules.addresses import address
from tests.conftest import MINIMAL, SEED_BRIEFING
from tests.sitebuild import build, make_project, page

SLUG = "2024-08-25-cairo-ceasefire-talks-end-without-deal"
#: Where the site is published: below a folder, so that every address must keep it.
SITE_URL = "https://news.example.com/briefings-site/"

#: One title that would end a script element, open one, close an attribute and open an element.
HOSTILE = '</script><script>alert(1)</script> & "quotes" <b>'
HOSTILE_SLUG = "2024-08-20-hostile-share"
HOSTILE_SUMMARY = f"{HOSTILE} happened; <i>nobody</i> & 'everybody' said so."
#: A headline in a script the share images' font has no glyphs for.
UNDRAWN_SLUG = "2024-08-19-tokyo-talks"
UNDRAWN_TITLE = "東京の会談は合意なしに終わった"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own site, with one briefing more whose title, story, topic, author and actor are hostile."""
    root = make_project(tmp_path_factory.mktemp("share"))
    config = root / "mkdocs.yml"
    config.write_text(
        re.sub(r"(?m)^site_url:.*$", f"site_url: {SITE_URL}", config.read_text(encoding="utf-8")), encoding="utf-8"
    )
    data = yaml.safe_load(MINIMAL)
    data.update(
        title=HOSTILE,
        date="2024-08-20",
        story=HOSTILE,
        topics=[HOSTILE, "Plain topic"],
        authors=[HOSTILE],
        summary=HOSTILE_SUMMARY,
    )
    data["who"].append({"name": HOSTILE, "id": "hostile-actor", "kind": "organization"})
    path = root / "briefings" / "2024" / f"{HOSTILE_SLUG}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    other = yaml.safe_load(MINIMAL)
    other.update(title=UNDRAWN_TITLE, date="2024-08-19")
    path = root / "briefings" / "2024" / f"{UNDRAWN_SLUG}.yaml"
    path.write_text(yaml.safe_dump(other, sort_keys=False, allow_unicode=True), encoding="utf-8")
    build(root)
    return root


def _seed() -> dict[str, Any]:
    return yaml.safe_load(SEED_BRIEFING.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _setting(site: Path, key: str) -> str:
    """A plain setting of the site's mkdocs.yml (`site_name`, `site_description`)."""
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    found = re.search(rf"(?m)^{key}:[ \t]*(.+)$", config)
    assert found is not None
    return found.group(1).strip().strip("'\"")


def _description(site: Path) -> str:
    """The site's description: the card's description on every page but a briefing's."""
    return _setting(site, "site_description")


def _flat(value: object) -> str:
    return " ".join(str(value).split())


def _meta(soup: BeautifulSoup, key: str) -> list[str]:
    """The content of every `<meta property=key>` or `<meta name=key>`, in page order."""
    return [
        str(tag.get("content"))
        for tag in soup.head.find_all("meta")
        if tag.get("property") == key or tag.get("name") == key
    ]


def _one(soup: BeautifulSoup, key: str) -> str:
    values = _meta(soup, key)
    assert len(values) == 1, (key, values)
    return values[0]


def _jsonld(soup: BeautifulSoup) -> dict[str, Any]:
    """The page's one JSON-LD block, parsed."""
    (script,) = soup.find_all("script", type="application/ld+json")
    assert script.parent.name == "head"
    return json.loads(script.string)  # type: ignore[no-any-return]


def _card(soup: BeautifulSoup) -> dict[str, str]:
    """The share card's common tags, which every page has once each."""
    keys = ["og:type", "og:title", "og:description", "og:url", "og:site_name"]
    keys += ["twitter:card", "twitter:title", "twitter:description"]
    return {key: _one(soup, key) for key in keys}


def _canonical(soup: BeautifulSoup) -> str:
    (link,) = [link for link in soup.head.find_all("link") if "canonical" in (link.get("rel") or [])]
    return str(link["href"])


LIST_PAGES = [
    ("", None),  # the site's name
    ("briefings/", "All briefings"),
    ("briefings/2024/08/", "August 2024"),
    ("stories/", "Stories"),
    ("stories/israel-hamas-war/", "Israel-Hamas war"),
    ("topics/", "Topics"),
    ("topics/gaza-ceasefire/", "Gaza ceasefire"),
    ("who/", "Who"),
]


@pytest.mark.parametrize(
    "where", ["", "briefings/", f"briefings/{SLUG}/", "who/hassan-nasrallah/", "topics/diplomacy/", "about/"]
)
def test_every_page_has_a_canonical_url_and_one_share_card(site: Path, where: str) -> None:
    """Canonical link, og:url, site name and Twitter card on generated and hand-written pages alike."""
    soup = page(site, where)
    card = _card(soup)
    assert _canonical(soup) == card["og:url"] == SITE_URL + where
    assert card["og:site_name"] == _setting(site, "site_name")
    shared = where.startswith(("briefings/2024-", "who/"))  # a briefing's and an actor's page: a share image
    assert card["twitter:card"] == ("summary_large_image" if shared else "summary")
    assert bool(_meta(soup, "og:image")) == shared
    assert card["twitter:title"] == card["og:title"] != ""
    assert card["twitter:description"] == card["og:description"] != ""
    assert card["og:type"] == ("article" if where.startswith("briefings/2024-") else "website")
    if card["og:type"] == "website":
        assert not _meta(soup, "article:published_time") and not _meta(soup, "article:tag")


def test_briefing_page_card_is_the_briefing(site: Path) -> None:
    """Title, summary, dates, section (the story) and one tag per topic, as the YAML has them."""
    data = _seed()
    soup = page(site, f"briefings/{SLUG}/")
    card = _card(soup)
    assert card["og:type"] == "article"
    assert card["og:title"] == card["twitter:title"] == data["title"]
    assert card["og:description"] == card["twitter:description"] == _flat(data["summary"])
    assert _one(soup, "article:published_time") == data["date"].isoformat()
    assert _one(soup, "article:modified_time") == (data.get("updated") or data["date"]).isoformat()
    assert _one(soup, "article:section") == data["story"]
    assert _meta(soup, "article:tag") == data["topics"]


def test_briefing_page_newsarticle_jsonld_names_its_address_publisher_and_section(site: Path) -> None:
    """url and mainEntityOfPage are the page's canonical address; publisher the site with its logo;
    author the publisher when the briefing names no author; section and series the story."""
    data = _seed()
    soup = page(site, f"briefings/{SLUG}/")
    ld = _jsonld(soup)
    url = SITE_URL + f"briefings/{SLUG}/"
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == data["title"]
    assert ld["url"] == url == _canonical(soup)
    assert ld["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert ld["publisher"] == {
        "@type": "Organization",
        "name": _setting(site, "site_name"),
        "url": SITE_URL,
        "logo": {"@type": "ImageObject", "url": SITE_URL + "assets/logo.svg"},
    }
    assert "authors" not in data
    assert ld["author"] == [ld["publisher"]]
    assert ld["articleSection"] == data["story"]
    assert ld["isPartOf"] == {"@type": "CreativeWorkSeries", "name": data["story"]}
    assert ld["keywords"] == data["topics"]
    assert ld["datePublished"] == data["date"].isoformat()


@pytest.mark.parametrize(
    ("actor_id", "schema_type"),
    [("hassan-nasrallah", "Person"), ("hamas", "Organization"), ("hamas-delegation", "Organization")],
)
def test_actor_page_carries_profilepage_jsonld(site: Path, actor_id: str, schema_type: str) -> None:
    """An actor's page is a ProfilePage whose main entity is the actor, a Person or an Organization."""
    (actor,) = [a for a in _seed()["who"] if a["id"] == actor_id]
    soup = page(site, f"who/{actor_id}/")
    ld = _jsonld(soup)
    assert ld == {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "name": actor["name"],
        "url": SITE_URL + f"who/{actor_id}/",
        "mainEntity": {"@type": schema_type, "name": actor["name"]},
    }
    card = _card(soup)
    assert card["og:title"] == actor["name"]
    assert card["og:description"] == _description(site)


@pytest.mark.parametrize(("where", "title"), LIST_PAGES)
def test_list_page_carries_collectionpage_jsonld(site: Path, where: str, title: str | None) -> None:
    """Home, archive, month, story, topic and index pages: a CollectionPage named as the page, at its address."""
    soup = page(site, where)
    title = title or _setting(site, "site_name")
    assert _jsonld(soup) == {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": title,
        "url": SITE_URL + where,
    }
    card = _card(soup)
    assert card["og:title"] == card["twitter:title"] == title
    assert card["og:description"] == _description(site)


def test_hand_written_page_has_a_card_and_no_jsonld(site: Path) -> None:
    """A guide page is shared with its own title and the site's description; it carries no JSON-LD."""
    soup = page(site, "about/")
    card = _card(soup)
    assert card["og:title"] in ("About", "About these briefings")
    assert card["og:description"] == _description(site)
    assert not soup.find_all("script", type="application/ld+json")


def test_robots_txt_allows_everything_and_names_the_sitemap(site: Path) -> None:
    """/robots.txt at the site's root: every crawler, everything, and where the sitemap is."""
    lines = (site / "site" / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if line] == ["User-agent: *", "Allow: /", f"Sitemap: {SITE_URL}sitemap.xml"]
    assert (site / "site" / "sitemap.xml").is_file()


# --- a hostile title -------------------------------------------------------------------------

_TAG = re.compile(r"<meta\b[^>]*>")
_JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
_SHARED = ("og:", "article:", "twitter:")


def _raw_head_is_inert(html_text: str) -> list[str]:
    """What in the raw HTML of the share tags and JSON-LD is markup; empty when nothing is."""
    problems = []
    for raw in _TAG.findall(html_text):
        (tag,) = BeautifulSoup(raw, "html.parser").find_all(True)
        key = tag.get("property") or tag.get("name") or ""
        if not str(key).startswith(_SHARED):
            continue
        if set(tag.attrs) != {"property" if tag.get("property") else "name", "content"} or "<" in raw[1:]:
            problems.append(f"share tag is not one plain element: {raw}")
    blocks = _JSONLD.findall(html_text)
    if len(blocks) != 1:
        problems.append(f"{len(blocks)} JSON-LD blocks")
    problems += [f"markup in JSON-LD: {block[:120]}" for block in blocks if set("<>&") & set(block)]
    return problems


def _hostile_page(site: Path, where: str) -> tuple[str, BeautifulSoup]:
    path = site / "site" / where / "index.html"
    html_text = path.read_text(encoding="utf-8")
    assert _raw_head_is_inert(html_text) == []
    soup = BeautifulSoup(html_text, "html.parser")
    assert not soup.head.find_all("b") and not soup.head.find_all("i")
    for script in soup.find_all("script"):
        assert "alert(1)" not in (script.string or "") or script.get("type") == "application/ld+json"
    return html_text, soup


def test_hostile_title_stays_text_in_every_share_tag_and_jsonld(site: Path) -> None:
    """No share tag or JSON-LD holds markup, and every value parses back to the text as written."""
    _, soup = _hostile_page(site, f"briefings/{HOSTILE_SLUG}/")
    card = _card(soup)
    assert card["og:title"] == card["twitter:title"] == HOSTILE
    assert card["og:description"] == card["twitter:description"] == HOSTILE_SUMMARY
    assert _one(soup, "article:section") == HOSTILE
    assert _meta(soup, "article:tag") == [HOSTILE, "Plain topic"]
    assert _one(soup, "article:published_time") == "2024-08-20"
    ld = _jsonld(soup)
    assert ld["headline"] == HOSTILE and ld["description"] == HOSTILE_SUMMARY
    assert ld["articleSection"] == HOSTILE
    assert ld["author"] == [{"@type": "Person", "name": HOSTILE}]
    assert ld["isPartOf"]["name"] == HOSTILE
    assert ld["url"] == SITE_URL + f"briefings/{HOSTILE_SLUG}/"


def test_hostile_names_stay_text_on_story_topic_and_actor_pages(site: Path) -> None:
    """The story, topic and actor named by the hostile text: their cards and JSON-LD hold it as text."""
    key = address(HOSTILE)
    for where in (f"stories/{key}/", f"topics/{key}/"):
        _, soup = _hostile_page(site, where)
        assert _card(soup)["og:title"] == HOSTILE
        ld = _jsonld(soup)
        assert ld["@type"] == "CollectionPage" and ld["name"] == HOSTILE and ld["url"] == SITE_URL + where
    _, soup = _hostile_page(site, "who/hostile-actor/")
    assert _card(soup)["og:title"] == HOSTILE
    assert _jsonld(soup)["mainEntity"] == {"@type": "Organization", "name": HOSTILE}


# --- share images ------------------------------------------------------------------------------------------

#: The pages with a share image: a briefing's, a story's first page, an actor's first page.
SHARED = [f"briefings/{SLUG}/", "stories/israel-hamas-war/", "who/william-burns/", f"briefings/{HOSTILE_SLUG}/"]


def _image(site: Path, soup: BeautifulSoup, where: str) -> Path:
    """The page's share image: named in og:image and twitter:image alike, a file of the site beside the page."""
    url = _one(soup, "og:image")
    assert _one(soup, "twitter:image") == url
    assert _one(soup, "twitter:card") == "summary_large_image"
    assert re.fullmatch(re.escape(SITE_URL + where) + r"card-[0-9a-f]{16}\.png", url), url
    return site / "site" / url.removeprefix(SITE_URL)


@pytest.mark.parametrize("where", SHARED)
def test_share_image_is_a_small_1200_by_630_png_beside_its_page(site: Path, where: str) -> None:
    """og:image (with its type, size and text) names a PNG of the site: 1200×630, 16 colours at most, under
    20 KB, as Open Graph and Twitter's large card want it."""
    from PIL import Image

    soup = page(site, where)
    path = _image(site, soup, where)
    assert _one(soup, "og:image:type") == "image/png"
    assert (_one(soup, "og:image:width"), _one(soup, "og:image:height")) == ("1200", "630")
    assert _one(soup, "og:image:alt") == _one(soup, "twitter:image:alt") != ""
    data = path.read_bytes()
    assert len(data) < 20_000, len(data)
    with Image.open(path) as picture:
        assert (picture.format, picture.size, picture.mode) == ("PNG", (1200, 630), "P")
        colours = picture.getcolors(16)
        assert colours is not None and len(colours) > 2  # white, and two inks at least


def test_share_image_says_the_kicker_headline_and_key_figure(site: Path) -> None:
    """The seed's image: its story, its headline, its lead figure (270 sites), in its text alternative."""
    data = _seed()
    soup = page(site, f"briefings/{SLUG}/")
    alt = _one(soup, "og:image:alt")
    assert alt.startswith(f"{data['story']}. {_flat(data['title'])}. 270 sites"), alt
    story = _one(page(site, "stories/israel-hamas-war/"), "og:image:alt")
    assert story.startswith("Story. Israel-Hamas war. "), story
    person = _one(page(site, "who/william-burns/"), "og:image:alt")
    assert re.fullmatch(
        r"Person · .+\. William Burns\. [0-9]+ briefings since [0-9]+ [A-Z][a-z]+ 20[0-9]{2}", person
    ), person


def test_hostile_headline_is_text_in_the_share_image_tags(site: Path) -> None:
    """The hostile title, section and all: og:image:alt holds them as text, and the image is a plain PNG."""
    _, soup = _hostile_page(site, f"briefings/{HOSTILE_SLUG}/")
    assert _one(soup, "og:image:alt").startswith(f"{HOSTILE}. {HOSTILE}. ")  # its story, its headline, a figure
    assert _image(site, soup, f"briefings/{HOSTILE_SLUG}/").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_a_headline_the_font_cannot_draw_gets_the_sites_image(site: Path) -> None:
    """A headline in a script the font has no glyphs for: not drawn half blank, the site's own image instead
    (its monogram and name), still beside the page."""
    where = f"briefings/{UNDRAWN_SLUG}/"
    soup = page(site, where)
    _image(site, soup, where)
    assert _one(soup, "og:image:alt") == _setting(site, "site_name")


def test_every_share_image_of_the_site_is_named_by_its_page(site: Path) -> None:
    """No image without a page naming it, and each page that names one finds it."""
    files = {path.relative_to(site / "site").as_posix() for path in (site / "site").rglob("card-*.png")}
    named = set()
    for html_path in (site / "site").rglob("index.html"):
        soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
        for url in _meta(soup, "og:image"):
            named.add(url.removeprefix(SITE_URL))
    assert files == named
    assert len(files) >= len(SHARED)
