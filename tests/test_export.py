"""The Atom feed and the JSON export: parsed back with real parsers, checked against the export's schema."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from generator import FORMAT_VERSION
from generator.edge.cli import main
from generator.format.model import Actor, Briefing, Correction, Figure, NextStep, Quote, Retraction, Source
from generator.rules.collection import check_collection
from generator.site.export import export_data, export_json, export_schema, feed_xml
from generator.site.settings import Settings
from tests.conftest import PROJECT

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://news.example.org/briefings-site/"
#: The site of these tests, as the edge makes it from mkdocs.yml.
SETTINGS = Settings.of(SITE)
HOSTILE = "<script>alert('x')</script> & ]]> \"quoted\" &amp; <!-- -->"


def briefing(slug: str = "2024-08-25-cairo-talks", **changes: Any) -> Briefing:
    """A small valid briefing dated by its slug; keyword arguments replace fields."""
    fields: dict[str, Any] = {
        "slug": slug,
        "title": "Cairo talks end without a deal",
        "date": dt.date.fromisoformat(slug[:10]),
        "summary": "High-level talks in Cairo ended without agreement.",
        "who": (Actor(name="William Burns", id="william-burns"),),
        "what": ("The talks ended without agreement.",),
        "sources": (Source(id="s1", title="Wire report", url="https://wire.example.com/a"),),
    }
    fields.update(changes)
    return Briefing(**fields)


def full_briefing() -> Briefing:
    """A briefing with every optional field filled in, draft excepted."""
    return briefing(
        "2024-08-26-every-field",
        who=(
            Actor(name="William Burns", id="william-burns", kind="person", role="Director, CIA"),
            Actor(name="Hezbollah", id="hezbollah", kind="organization"),
        ),
        numbers=(
            Figure(
                Decimal("270"),
                "sites targeted",
                unit="sites",
                qualifier="about",
                evidence="270 sites",
                source="s1",
                lead=True,
                key="sites-targeted",
            ),
            Figure(Decimal("0.5"), "share"),
            Figure(Decimal("12.50"), "price", unit="USD"),
            Figure(Decimal("1200000"), "people"),
        ),
        quotes=(Quote("constructive", "U.S. official", context="after the talks", source="s1"),),
        next=(
            NextStep("Talks resume", when=dt.date(2024, 9, 1), who="Mediators"),
            NextStep("A vote", when="coming days"),
            NextStep("Nothing dated"),
        ),
        sources=(
            Source(
                id="s1",
                title="Wire report",
                url="https://wire.example.com/a",
                file="seeds/000_548c9463dc2f8344.txt",
                publisher="Wire",
                published=dt.date(2024, 8, 25),
                rights="excerpts",
            ),
            Source(id="s2", title="Local paper", file="seeds/other.txt"),
        ),
        location="Cairo",
        why="The talks are the last channel left.",
        topics=("Gaza ceasefire", "Diplomacy"),
        story="Israel-Hamas war",
        updated=dt.date(2024, 8, 27),
        authors=("Jane Doe", "John Roe"),
        unchecked=("what[0] 0e35755b",),
        corrections=(Correction(dt.date(2024, 8, 27), "An earlier version said 12 sites; it was 270."),),
        publish_at=dt.datetime(2024, 8, 26, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))),
        retracted=Retraction(dt.date(2024, 9, 2), "The report it relied on was withdrawn."),
    )


def sixty() -> list[Briefing]:
    """60 briefings on 60 days, shuffled, some updated later, each with authors and topics."""
    start = dt.date(2024, 1, 1)
    items = []
    for n in range(60):
        day = start + dt.timedelta(days=n)
        items.append(
            briefing(
                f"{day.isoformat()}-briefing-{n}",
                title=f"Briefing {n}",
                summary=f"Summary {n}.",
                updated=day + dt.timedelta(days=2) if n % 3 == 0 else None,
                authors=(f"Author {n}", "Desk"),
                topics=(f"Topic {n % 5}", "World"),
            )
        )
    random.Random(7).shuffle(items)
    return items


def parse_feed(xml: bytes) -> ET.Element:
    """The feed's root element, after checking it is an Atom feed."""
    root = ET.fromstring(xml)
    assert root.tag == f"{ATOM}feed"
    return root


def text(element: ET.Element, tag: str) -> str:
    """The text of the one child `tag` (Atom namespace) of `element`."""
    found = element.findall(f"{ATOM}{tag}")
    assert len(found) == 1, f"expected one <{tag}>, got {len(found)}"
    return found[0].text or ""


def links(element: ET.Element, rel: str) -> list[str]:
    """The hrefs of `element`'s links of relation `rel` (no rel means alternate, RFC 4287 4.2.7.2)."""
    return [link.get("href", "") for link in element.findall(f"{ATOM}link") if link.get("rel", "alternate") == rel]


def real_briefings() -> list[Briefing]:
    """The project's own briefings, checked."""
    collection = check_collection([PROJECT / "briefings"], PROJECT)
    assert collection.errors == 0
    assert collection.briefings
    return collection.briefings


def validator() -> Draft202012Validator:
    """A validator for the export's schema, checking formats too."""
    schema = export_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


# --- the feed --------------------------------------------------------------------


def test_feed_is_atom_with_its_id_title_updated_and_links() -> None:
    """The feed's id, title, subtitle, updated, alternate and self links, and author."""
    root = parse_feed(feed_xml([briefing()], Settings.of(SITE, "Briefings", "News, checked")))
    assert text(root, "id") == SITE
    assert text(root, "title") == "Briefings"
    assert text(root, "subtitle") == "News, checked"
    assert text(root, "updated") == "2024-08-25T00:00:00+00:00"
    assert links(root, "alternate") == [SITE]
    assert links(root, "self") == [SITE + "feed.xml"]
    assert [text(a, "name") for a in root.findall(f"{ATOM}author")] == ["Briefings"]


def test_feed_has_the_newest_50_entries_newest_first_with_every_element() -> None:
    """60 briefings in any order: 50 entries, newest first, each complete."""
    items = sixty()
    root = parse_feed(feed_xml(items, Settings.of(SITE, "Briefings", "News")))
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 50
    expected = sorted(items, key=lambda b: b.date, reverse=True)[:50]
    for entry, item in zip(entries, expected, strict=True):
        url = f"{SITE}briefings/{item.slug}/"
        assert text(entry, "id") == url
        assert text(entry, "title") == item.title
        assert links(entry, "alternate") == [url]
        assert text(entry, "published") == f"{item.date.isoformat()}T00:00:00+00:00"
        assert text(entry, "updated") == f"{(item.updated or item.date).isoformat()}T00:00:00+00:00"
        assert text(entry, "summary") == item.summary
        assert [text(a, "name") for a in entry.findall(f"{ATOM}author")] == list(item.authors)
        categories = [(c.get("term"), c.get("label")) for c in entry.findall(f"{ATOM}category")]
        assert categories == [(topic, topic) for topic in item.topics]
    published = [text(entry, "published") for entry in entries]
    assert published == sorted(published, reverse=True)


def test_feed_updated_is_the_latest_entry_update() -> None:
    """The feed's <updated> is the latest of its entries', even when an older briefing was updated later."""
    newest = briefing("2024-08-25-newest")
    older = briefing("2024-08-20-older", updated=dt.date(2024, 8, 30))
    root = parse_feed(feed_xml([newest, older], Settings.of(SITE, "Briefings", "News")))
    assert text(root, "updated") == "2024-08-30T00:00:00+00:00"


def test_feed_holds_no_clock_time() -> None:
    """Every timestamp in the feed is a briefing's date at midnight UTC; the generator is this project."""
    items = sixty()
    xml = feed_xml(items, Settings.of(SITE, "Briefings", "News"))
    days = {b.date.isoformat() for b in items} | {b.updated.isoformat() for b in items if b.updated}
    stamps = re.findall(rb"\d{4}-\d{2}-\d{2}T[0-9:.+Z-]+", xml)
    assert stamps
    assert all(s[:10].decode() in days and s.endswith(b"T00:00:00+00:00") for s in stamps)
    generator = parse_feed(xml).find(f"{ATOM}generator")
    assert generator is not None and generator.text == "Briefings"
    assert b"feedgen" not in xml


def test_feed_is_byte_identical_on_every_call() -> None:
    """The same briefings, in any order, give the same bytes."""
    items = sixty()
    first = feed_xml(items, Settings.of(SITE, "Briefings", "News"))
    assert feed_xml(list(reversed(items)), Settings.of(SITE, "Briefings", "News")) == first
    assert feed_xml(items, Settings.of(SITE, "Briefings", "News")) == first


def test_feed_keeps_hostile_text_as_text() -> None:
    """Markup in a title, summary, topic or author is escaped, and parses back to the same characters."""
    item = briefing(title=HOSTILE, summary=HOSTILE + "\nsecond line", topics=(HOSTILE,), authors=(HOSTILE,))
    xml = feed_xml([item], Settings.of(SITE, HOSTILE, HOSTILE))
    assert b"<script>" not in xml
    root = parse_feed(xml)
    assert text(root, "title") == HOSTILE
    assert text(root, "subtitle") == HOSTILE
    (entry,) = root.findall(f"{ATOM}entry")
    assert text(entry, "title") == HOSTILE
    assert text(entry, "summary") == HOSTILE + "\nsecond line"
    summary = entry.find(f"{ATOM}summary")
    assert summary is not None and summary.get("type", "text") == "text"
    (category,) = entry.findall(f"{ATOM}category")
    assert category.get("term") == HOSTILE and category.get("label") == HOSTILE
    assert [text(a, "name") for a in entry.findall(f"{ATOM}author")] == [HOSTILE]


def test_empty_feed_is_valid_and_dated_1970() -> None:
    """No briefings: a feed with its id, title, author and self link, no entries, updated at the epoch."""
    root = parse_feed(feed_xml([], Settings.of(SITE, "Briefings", "News")))
    assert root.findall(f"{ATOM}entry") == []
    assert text(root, "id") == SITE
    assert text(root, "updated") == "1970-01-01T00:00:00+00:00"
    assert links(root, "self") == [SITE + "feed.xml"]


def test_real_briefing_in_the_feed() -> None:
    """The project's briefing becomes an entry with its topics."""
    items = real_briefings()
    root = parse_feed(feed_xml(items, Settings.of(SITE, "Briefings", "News")))
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(items)
    assert {c.get("term") for c in entries[0].findall(f"{ATOM}category")} >= {"Gaza ceasefire"}


@pytest.mark.parametrize("site_url", ["https://news.example.org/briefings-site", SITE])
def test_site_url_gets_one_trailing_slash(site_url: str) -> None:
    """With or without a trailing slash, the addresses are the same."""
    root = parse_feed(feed_xml([briefing()], Settings.of(site_url, "Briefings", "News")))
    assert text(root, "id") == SITE
    url = export_data([briefing()], Settings.of(site_url))["briefings"][0]["url"]
    assert url == SITE + "briefings/2024-08-25-cairo-talks/"


@pytest.mark.parametrize(
    ("site_url", "shown"),
    [
        ("https://news.example.org/a?q=1", "https://news.example.org/a?q=1/"),
        ("https://news.example.org/a#top", "https://news.example.org/a#top/"),
        ("https://news.example.org/a/?q=1", "https://news.example.org/a/?q=1/"),
    ],
)
def test_site_url_ends_in_one_slash_after_a_query_or_fragment_too(site_url: str, shown: str) -> None:
    """The address ends in `/` however it ends, as every address the site writes has always had it."""
    assert Settings.of(site_url).url == shown
    assert text(parse_feed(feed_xml([], Settings.of(site_url))), "id") == shown


@pytest.mark.parametrize("site_url", ["", "/", "news.example.org", "ftp://example.org/", "https://exa mple.org/"])
def test_site_url_must_be_absolute(site_url: str) -> None:
    """Atom ids and export urls are absolute, so a relative or missing site_url is refused, saying what came in:
    the site's settings cannot be made with it, so no feed or export is ever given one."""
    with pytest.raises(
        ValueError, match=re.escape(f"site_url must be an absolute http:// or https:// URL (got {site_url!r})")
    ):
        Settings.of(site_url)
    with pytest.raises(ValueError, match=re.escape(repr(site_url))):
        Settings(site_url)


def test_settings_made_directly_hold_a_checked_address() -> None:
    """`Settings` itself refuses an address that is not one `Settings.of` makes: one not ending in `/`."""
    with pytest.raises(ValueError, match=re.escape("(got 'https://news.example.org/briefings-site')")):
        Settings("https://news.example.org/briefings-site")


# --- the JSON export -------------------------------------------------------------


def test_export_of_the_real_briefing_validates() -> None:
    """The project's briefing, exported, is valid against the export's schema."""
    data = json.loads(export_json(real_briefings(), SETTINGS))
    assert list(validator().iter_errors(data)) == []
    first = data["briefings"][0]
    assert first["slug"] == "2024-08-25-cairo-ceasefire-talks-end-without-deal"
    assert first["url"] == SITE + "briefings/2024-08-25-cairo-ceasefire-talks-end-without-deal/"


def test_export_of_every_optional_field_validates() -> None:
    """Synthetic briefings, minimal and with every optional field, are valid against the schema."""
    data = json.loads(export_json([briefing(), full_briefing(), *sixty()], SETTINGS))
    assert data["format_version"] == FORMAT_VERSION
    assert list(validator().iter_errors(data)) == []


def test_export_is_newest_first_slug_and_url_first_in_yaml_order() -> None:
    """Briefings newest first; each starts with slug and url, then the YAML's keys in the YAML's order."""
    data = export_data([briefing(), full_briefing()], SETTINGS)
    assert [b["slug"] for b in data["briefings"]] == ["2024-08-26-every-field", "2024-08-25-cairo-talks"]
    assert list(data["briefings"][0]) == [
        "slug",
        "url",
        "title",
        "date",
        "updated",
        "location",
        "story",
        "topics",
        "authors",
        "publish_at",
        "retracted",
        "unchecked",
        "summary",
        "why",
        "who",
        "what",
        "numbers",
        "quotes",
        "next",
        "sources",
        "corrections",
    ]
    assert list(data["briefings"][1]) == ["slug", "url", "title", "date", "summary", "who", "what", "sources"]


def test_export_writes_numbers_as_numbers_and_dates_as_text() -> None:
    """Figures are JSON numbers (ints when integral), dates and `when` are YYYY-MM-DD strings."""
    text_ = export_json([full_briefing()], SETTINGS)
    exported = json.loads(text_, parse_float=Decimal)["briefings"][0]
    values = [figure["value"] for figure in exported["numbers"]]
    assert values == [270, Decimal("0.5"), Decimal("12.5"), 1200000]
    assert [type(v) for v in values] == [int, Decimal, Decimal, int]
    assert '"value":270,' in text_ and '"value":0.5,' in text_ and '"value":1200000,' in text_
    assert exported["date"] == "2024-08-26" and exported["updated"] == "2024-08-27"
    assert [step.get("when") for step in exported["next"]] == ["2024-09-01", "coming days", None]
    assert exported["sources"][0]["published"] == "2024-08-25"


def test_long_decimals_become_the_nearest_double() -> None:
    """A decimal beyond a double's precision is written as the nearest double (documented in export.py)."""
    item = briefing(numbers=(Figure(Decimal("3.14159265358979323846"), "pi"), Figure(Decimal("-0.000001"), "tiny")))
    values = [f["value"] for f in json.loads(export_json([item], SETTINGS))["briefings"][0]["numbers"]]
    assert values == [3.141592653589793, -0.000001]


def test_export_never_has_draft() -> None:
    """A draft passed in by mistake is exported without its `draft` key."""
    data = export_data([briefing(draft=True)], SETTINGS)
    assert "draft" not in data["briefings"][0]
    assert list(validator().iter_errors(data)) == []


def test_export_json_is_deterministic_utf8_with_a_final_newline() -> None:
    """The same briefings, in any order, give the same text: one line, non-ASCII as is, then a newline."""
    items = [*sixty(), briefing(title="Gespräche in Kairo — ohne Einigung")]
    first = export_json(items, SETTINGS)
    assert export_json(list(reversed(items)), SETTINGS) == first
    assert first.endswith("}\n") and first.count("\n") == 1
    assert "Gespräche in Kairo — ohne Einigung" in first


def test_export_of_nothing() -> None:
    """No briefings: an empty list, still valid."""
    data = json.loads(export_json([], SETTINGS))
    assert data == {"format_version": FORMAT_VERSION, "briefings": []}
    assert list(validator().iter_errors(data)) == []


# --- the export's schema ---------------------------------------------------------


def _records(schema: dict[str, Any], data: Any) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every (object schema, exported object) pair, walking the schema and the data together."""
    if schema.get("type") == "object":
        pairs = [(schema, data)]
        for key, value in data.items():
            pairs += _records(schema["properties"][key], value)
        return pairs
    if schema.get("type") == "array":
        return [pair for item in data for pair in _records(schema["items"], item)]
    return []


def test_schema_requires_exactly_what_a_minimal_briefing_has() -> None:
    """A briefing with no optional field exports exactly the keys the schema requires (defaults filled)."""
    data = export_data([briefing()], SETTINGS)
    pairs = _records(export_schema()["properties"]["briefings"]["items"], data["briefings"][0])
    assert {s["title"] for s, _ in pairs} == {"Briefing", "Actor", "Source"}
    for schema, exported in pairs:
        one_of = {key for option in schema.get("anyOf", []) for key in option["required"]}
        assert set(exported) - one_of == set(schema["required"]), schema["title"]
        assert len(set(exported) & one_of) == (1 if one_of else 0)


def test_schema_knows_every_key_of_a_full_briefing() -> None:
    """A briefing with every optional field exports every property the schema lists, draft excepted (with a
    reviewer, as the plugin's reviewed_by reads one from git)."""
    reviewed = Settings.of(SITE, reviewers={"2024-08-26-every-field": "Carol"})
    data = export_data([full_briefing()], reviewed)
    pairs = _records(export_schema()["properties"]["briefings"]["items"], data["briefings"][0])
    seen: dict[str, set[str]] = {}
    for schema, exported in pairs:
        seen.setdefault(schema["title"], set()).update(exported)
    for schema, _ in pairs:
        assert seen[schema["title"]] == set(schema["properties"]), schema["title"]


def test_schema_reuses_the_format_descriptions() -> None:
    """Field descriptions come from generator.format.schema; the export's types are JSON's."""
    from generator.format.schema import BRIEFING

    item = export_schema()["properties"]["briefings"]["items"]
    assert item["properties"]["title"]["description"] == BRIEFING.fields["title"].doc
    assert "draft" not in item["properties"]
    assert item["required"] == ["slug", "url", "title", "date", "summary", "who", "what", "sources"]
    figure = item["properties"]["numbers"]["items"]
    assert figure["properties"]["value"]["type"] == "number"
    assert item["properties"]["date"]["format"] == "date"
    assert item["properties"]["url"]["format"] == "uri"
    assert export_schema()["properties"]["format_version"] == {
        "description": "The version of the briefing format the briefings are written in.",
        "const": FORMAT_VERSION,
    }


def test_schema_refuses_what_the_export_never_writes() -> None:
    """Numbers as text, a draft key, a missing url or a bad slug are invalid."""
    check = validator()
    good = export_data([full_briefing()], SETTINGS)
    assert check.is_valid(good)
    for breaks in (
        lambda b: b["numbers"][0].update(value="270"),
        lambda b: b.update(draft=False),
        lambda b: b.pop("url"),
        lambda b: b.update(slug="cairo-talks"),
        lambda b: b["who"][0].pop("kind"),
        lambda b: b["sources"][0].pop("id"),
        lambda b: [b["sources"][1].pop(key, None) for key in ("url", "file")],
        lambda b: b.update(date="25 August 2024"),
    ):
        bad = json.loads(json.dumps(good))
        breaks(bad["briefings"][0])
        assert not check.is_valid(bad)


def test_committed_export_schema_is_current() -> None:
    """docs/schema/briefings-export.schema.json is what `briefing schema --export` prints (regenerate it if not)."""
    path = PROJECT / "docs" / "schema" / "briefings-export.schema.json"
    committed = path.read_text(encoding="utf-8")
    assert json.loads(committed) == export_schema()
    result = CliRunner().invoke(main, ["schema", "--export"])
    assert result.exit_code == 0
    assert result.stdout == committed


def test_the_export_schema_really_checks_formats() -> None:
    """`format: uri` is checked (rfc3986-validator is installed): a url the pattern lets through is refused."""
    assert Draft202012Validator.FORMAT_CHECKER.conforms("https://news.example.org/", "uri")
    assert not Draft202012Validator.FORMAT_CHECKER.conforms("https://exa mple.org/", "uri")
    good = export_data([full_briefing()], SETTINGS)
    for where in ("url", "source url"):
        bad = json.loads(json.dumps(good))
        item = bad["briefings"][0]
        if where == "url":
            item["url"] = "https://[1.2]/"
        else:
            item["sources"][0]["url"] = "https://[1.2]/"
        assert [error.validator for error in validator().iter_errors(bad)] == ["format"], where


def test_the_export_schema_carries_the_text_bounds() -> None:
    """The limits of texts reach the export's schema (it reuses the format's own field types)."""
    item = export_schema()["properties"]["briefings"]["items"]
    assert item["properties"]["title"]["maxLength"] == 140
    assert item["properties"]["topics"]["items"]["maxLength"] == 200
    assert item["properties"]["corrections"]["items"]["properties"]["text"]["maxLength"] == 1000


def test_the_export_schema_carries_the_list_bounds() -> None:
    """The limits of lists reach the export's schema as maxItems."""
    item = export_schema()["properties"]["briefings"]["items"]
    bounds = {key: item["properties"][key].get("maxItems") for key in ("who", "what", "topics", "corrections")}
    assert bounds == {"who": 50, "what": 20, "topics": 8, "corrections": 20}
