"""End to end: real sites built by real MkDocs in tmp_path, read with an HTML parser."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import MINIMAL, SEED
from tests.sitebuild import SECTION_IDS, build, make_project, page, text

SLUG = "2024-08-25-cairo-ceasefire-talks-end-without-deal"


@pytest.fixture(scope="module")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own site, built once for this module."""
    root = make_project(tmp_path_factory.mktemp("project"))
    build(root)
    return root


def _seed_briefing() -> dict[str, object]:
    source = Path(__file__).resolve().parent.parent / "briefings" / "2024" / f"{SLUG}.yaml"
    return yaml.safe_load(source.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_seed_briefing_page_shows_everything_in_order(project_site: Path) -> None:
    """Title as the only h1, then the six sections in order, each with its exact id."""
    soup = page(project_site, f"briefings/{SLUG}/")
    data = _seed_briefing()
    (h1,) = soup.find_all("h1")
    assert text(h1) == data["title"]
    article = soup.find("article", class_="bf")
    assert [h2["id"] for h2 in article.find_all("h2")] == SECTION_IDS
    summary = " ".join(str(data["summary"]).split())
    lead, rest = text(soup.select_one(".bf-glance-lead")), text(soup.select_one(".bf-summary-rest"))
    assert f"{lead} {rest}" == summary and lead.endswith("coming days.")  # the first sentence, then the rest
    # after the h1: date and location; no story line (the kicker is the story's link), no topics before the end
    header = [el.get("class", [el.name])[0] for el in soup.select_one("header.bf-head").find_all(recursive=False)]
    assert header == ["bf-kicker", "h1", "bf-meta"]
    meta = text(soup.find(class_="bf-meta"))
    assert "25 August 2024" in meta and "Cairo" in meta
    assert [text(li) for li in soup.select(".bf-topic-links .bf-topics li")] == data["topics"]
    assert text(soup.select_one(".bf-kicker a.bf-story")) == "Israel-Hamas war"
    assert not soup.select(".bf-story-line")


def test_at_a_glance_holds_the_key_figures_the_people_and_the_next_step(project_site: Path) -> None:
    """The seed marks two figures `lead`: those two, each linked to its card; its first three persons with
    their roles; its first next step (none is dated); why it matters."""
    soup = page(project_site, f"briefings/{SLUG}/")
    data = _seed_briefing()
    glance = soup.select_one("section.bf-glance")
    assert glance is not None and glance.find_previous("h1") is not None
    numbers = data["numbers"]  # type: ignore[index]
    lead = [i for i, f in enumerate(numbers) if f.get("lead")]
    assert [numbers[i]["value"] for i in lead] == [270, 320]
    assert [a["href"] for a in glance.select(".bf-glance-figures a")] == [f"#figure-{i}" for i in lead]
    assert [text(s) for s in glance.select(".bf-glance-label")] == [numbers[i]["label"] for i in lead]
    assert [text(v) for v in glance.select(".bf-glance-value")] == ["270 sites", "over 320 rockets"]
    for a in glance.select(".bf-glance-figures a"):
        assert soup.find(id=a["href"][1:]) is not None
    assert text(glance.select_one(".bf-why-text")) == " ".join(str(data["why"]).split())
    persons = [a for a in data["who"] if a["kind"] == "person"][:3]  # type: ignore[index]
    assert [text(a) for a in glance.select(".bf-glance-people a")] == [a["name"] for a in persons]
    assert [text(r) for r in glance.select(".bf-glance-role")] == [a["role"] for a in persons]
    step = data["next"][0]  # type: ignore[index]
    assert text(glance.select_one(".bf-glance-next")).replace(" :", ":") == f"Next, {step['when']}: {step['text']}"


def test_seed_briefing_page_misses_nothing_of_the_briefing(project_site: Path) -> None:
    """Every actor, development, figure, quote, next step and source is on the page."""
    soup = page(project_site, f"briefings/{SLUG}/")
    data = _seed_briefing()
    assert [text(li.find(class_="bf-name")) for li in soup.select("ul.bf-who > li")] == [
        a["name"]
        for a in data["who"]  # type: ignore[attr-defined]
    ]
    assert [text(li) for li in soup.select("ul.bf-what > li")] == data["what"]
    figures = [text(li.find(class_="bf-figure")) for li in soup.select(".bf-numbers li")]
    assert figures[:4] == ["10 months", "about 100 planes", "270 sites", "90%"]
    assert len(figures) == len(data["numbers"])  # type: ignore[arg-type]
    # Pull quotes, then the fragments of one to three words listed compactly, each in the briefing's order.
    quotes = [text(q) for q in soup.select("figure.bf-quote blockquote, ul.bf-words-list blockquote")]
    said = [q["text"] for q in data["quotes"]]  # type: ignore[attr-defined]
    assert quotes == [q for q in said if len(q.split()) > 3] + [q for q in said if len(q.split()) <= 3]
    steps = [text(li.find(class_="bf-step")) for li in soup.select("ul.bf-next > li")]
    assert steps == [n["text"] for n in data["next"]]  # type: ignore[attr-defined]
    assert [text(li.find(class_="bf-when")) for li in soup.select("ul.bf-next > li")[:2]] == ["coming days"] * 2
    assert len(soup.select("ol.bf-sources > li")) == 1


def test_quote_speakers_link_to_their_actor(project_site: Path) -> None:
    """A speaker that names an actor (by name or id) links to that actor's page, with the role."""
    soup = page(project_site, f"briefings/{SLUG}/")
    first = soup.select("figure.bf-quote")[0]
    link = first.find("a", class_="bf-speaker")
    assert link["href"] == "../../who/us-official/" and text(link) == "U.S. official"
    assert soup.find(id="who-us-official") is not None
    assert "Anonymous U.S. official" in text(first.find("figcaption"))


def test_head_has_title_description_and_newsarticle_jsonld(project_site: Path) -> None:
    """<title>, meta description and schema.org NewsArticle with mentions and citations."""
    soup = page(project_site, f"briefings/{SLUG}/")
    data = _seed_briefing()
    assert soup.title.string.startswith(str(data["title"]))
    assert soup.find("meta", attrs={"name": "description"})["content"] == " ".join(str(data["summary"]).split())
    (script,) = soup.head.find_all("script", type="application/ld+json")
    ld = json.loads(script.string)
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == data["title"]
    assert ld["datePublished"] == ld["dateModified"] == "2024-08-25"
    assert ld["dateline"] == "Cairo"
    assert [m["name"] for m in ld["mentions"]] == [a["name"] for a in data["who"]]  # type: ignore[attr-defined]
    assert ld["citation"][0]["name"] == data["sources"][0]["title"]  # type: ignore[index]


def test_briefings_stay_out_of_the_navigation(project_site: Path) -> None:
    """No page's navigation links to a briefing: the nav does not grow with the collection."""
    for address in ("", "about/", f"briefings/{SLUG}/"):
        nav = page(project_site, address).find("nav", class_="md-nav--primary")
        assert nav is not None
        assert all(SLUG not in (a.get("href") or "") for a in nav.find_all("a"))


def test_search_index_holds_briefings_and_guides(project_site: Path) -> None:
    """Title, names, quotes, labels and topics are in the index; the other pages indexed are the guides."""
    from generator.site.search import indexed_pages

    pages = indexed_pages(project_site / "site")
    body = pages[f"/briefings/{SLUG}/"].content
    for words in ("Nasrallah", "size of the miracle", "sites targeted by Israeli planes", "Gaza ceasefire", "Cairo"):
        assert words in body
    others = [page for url, page in pages.items() if not url.startswith(("/briefings/", "/who/", "/stories/"))]
    assert others and all(page.meta.get("kind") == "Guide" for page in others)
    people = [page for url, page in pages.items() if url.startswith("/who/")]
    assert people and all(page.meta.get("kind") in ("Person", "Organization", "Country", "Group") for page in people)


def _briefing(day: dt.date, words: str, **changes: object) -> str:
    data = yaml.safe_load(MINIMAL)
    data["date"] = day.isoformat()
    data["title"] = f"Briefing {words}"
    data.update(changes)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _collection(root: Path, count: int) -> list[dt.date]:
    days = [dt.date(2023, 11, 20) + dt.timedelta(days=7 * i) for i in range(count)]
    shutil_seed(root)
    for i, day in enumerate(days):
        path = root / "briefings" / str(day.year) / f"{day.isoformat()}-briefing-{i}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_briefing(day, str(i), location=f"City {i}", topics=[f"Topic {i % 3}"]), encoding="utf-8")
    return days


def shutil_seed(root: Path) -> None:
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())


def test_home_lists_the_newest_20_then_links_the_archive(tmp_path: Path) -> None:
    """Home: the newest leads with title, date, location, summary, topics; the next 19 follow, newest first;
    archive: all, by year and month."""
    root = make_project(tmp_path / "site", briefings=False)
    days = _collection(root, 25)
    build(root)
    home = page(root, "")
    lead = home.select_one("article.bf-lead")
    cards = home.select("li.bf-card")
    assert len(cards) == 19
    newest = sorted(days, reverse=True)[:20]
    days_shown = [c.find_parent("ul").find_previous_sibling("h3").find("time")["datetime"] for c in cards]
    shown = [lead.find("time")["datetime"], *days_shown]
    assert shown == [d.isoformat() for d in newest]
    assert text(lead.find("h2")) == "Briefing 24"
    assert lead.find("h2").find("a")["href"] == f"briefings/{newest[0].isoformat()}-briefing-24/"
    assert "City 24" in text(lead.find(class_="bf-card-meta"))
    assert text(lead.find(class_="bf-lead-summary")).startswith("High-level talks in Cairo")
    assert text(lead.find(class_="bf-topics")) == "Topic 0"
    assert text(cards[0].find("h4")) == "Briefing 23"
    assert home.find("a", string=re.compile("All briefings"))["href"] == "briefings/"

    archive = page(root, "briefings/")
    years = [text(h2) for h2 in archive.find_all("h2")]
    assert years == ["2024", "2023"]
    months = [text(h3) for h3 in archive.find_all("h3")]
    assert months[0] == "May 2024" and months[-1] == "November 2023"
    dates = [t["datetime"] for t in archive.select("ul.bf-index time")]
    assert dates == sorted(d.isoformat() for d in days)[::-1]
    assert len(dates) == 25


def test_optional_sections_are_left_out_when_empty(tmp_path: Path) -> None:
    """A briefing without numbers, quotes or next steps has no such sections."""
    root = make_project(tmp_path / "site", briefings=False)
    shutil_seed(root)
    data = yaml.safe_load(MINIMAL)
    del data["numbers"], data["quotes"]
    (root / "briefings" / "2024-08-25-short.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    build(root)
    soup = page(root, "briefings/2024-08-25-short/")
    assert [h2["id"] for h2 in soup.select("article h2")] == ["glance", "what", "who", "sources"]
    glance = soup.select_one(".bf-glance")
    assert glance is not None and not glance.select(".bf-glance-figures, .bf-glance-next, .bf-why")


def test_drafts_appear_nowhere_in_a_build(tmp_path: Path) -> None:
    """A draft has no page and is in no list, search index or sitemap."""
    root = make_project(tmp_path / "site", briefings=False)
    shutil_seed(root)
    (root / "briefings" / "2024-08-25-public.yaml").write_text(MINIMAL, encoding="utf-8")
    draft = _briefing(dt.date(2024, 8, 26), "zorblax draft", draft="true")
    (root / "briefings" / "2024-08-26-zorblax.yaml").write_text(draft, encoding="utf-8")
    build(root)
    site = root / "site"
    assert (site / "briefings" / "2024-08-25-public" / "index.html").exists()
    assert not (site / "briefings" / "2024-08-26-zorblax").exists()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            content = path.read_text(encoding="utf-8")
            assert "zorblax" not in content, path


def test_a_briefing_with_errors_fails_the_build_with_its_findings(tmp_path: Path) -> None:
    """`mkdocs build` stops, printing the same path:line:col findings as `briefing check`."""
    root = make_project(tmp_path / "site", briefings=False)
    shutil_seed(root)
    (root / "briefings" / "2024-08-25-bad.yaml").write_text(MINIMAL.replace("quotes:", "quotse:"), encoding="utf-8")
    done = build(root, check=False)
    assert done.returncode != 0
    assert "briefings/2024-08-25-bad.yaml:13:1: error: quotse: unknown key (did you mean 'quotes'?)" in done.stderr
    assert "Traceback" not in done.stderr


def test_built_site_fetches_nothing_from_other_hosts(project_site: Path) -> None:
    """No script, style, font, image or frame is loaded from another host."""
    external = re.compile(r"^(https?:)?//", re.IGNORECASE)
    loading = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src"}
    checked = 0
    for path in (project_site / "site").rglob("*.html"):
        soup = page(project_site, str(path.relative_to(project_site / "site")))
        for tag, attribute in loading.items():
            for element in soup.find_all(tag):
                assert not external.match(element.get(attribute) or ""), (path, element)
                checked += 1
        for link in soup.find_all("link"):
            rel = " ".join(link.get("rel") or [])
            if rel not in ("canonical", "alternate"):
                assert not external.match(link.get("href") or ""), (path, link)
                checked += 1
    assert checked > 20
    for css in (project_site / "site").rglob("*.css"):
        content = css.read_text(encoding="utf-8")
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", content), css


def test_build_without_site_url_says_what_to_set(tmp_path: Path) -> None:
    """The feed and export need absolute addresses: a build without site_url stops and says so."""
    root = make_project(tmp_path / "site", briefings=False)
    config = root / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url:.*\n", "", config.read_text(encoding="utf-8")), encoding="utf-8")
    done = build(root, check=False)
    assert done.returncode != 0
    assert "set site_url in mkdocs.yml" in done.stderr


def test_a_story_of_one_briefing_reads_naturally(project_site: Path) -> None:
    """The seed's story has one briefing: "the story so far" (its headline, lead, key figures and the first
    five of its next steps), its day, and no list of one or link to read it from the start."""
    soup = page(project_site, "stories/israel-hamas-war/")
    data = _seed_briefing()
    assert soup.select_one(".bf-lede").get_text() == "1 briefing, 25 August 2024."
    standing = soup.select_one("section.bf-standing")
    assert standing is not None and text(standing.find("h2")) == "The story so far"
    assert text(standing.select_one(".bf-standing-latest a")) == data["title"]
    assert [text(v) for v in standing.select(".bf-glance-value")] == ["270 sites", "over 320 rockets"]
    steps = [text(s) for s in standing.select(".bf-open-steps .bf-step")]
    assert steps == [step["text"] for step in data["next"][:5]]  # type: ignore[index]
    assert not standing.select(".bf-step-from")  # all from the newest briefing
    assert not soup.select("li.bf-event, .bf-from-start, nav.bf-pager")
    assert not (project_site / "site" / "stories" / "israel-hamas-war" / "page").exists()
