"""Every text field, filled with hostile strings, renders literally on the built site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from tests.sitebuild import SECTION_IDS, build, make_project, page, publish_sources, text

HOSTILE = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '{: onclick="alert(1)" }',
    "{{ config.site_name }} {% include 'x' %}",
    '--8<-- "README.md"',
    '!!! danger "Hacked"',
    "# heading",
    "__init__ *em* `code` ~~del~~ ==mark==",
    "مرحبا بالعالم שלום עולם",
    "&amp; &lt;b&gt; &#60;",
    "<!-- comment --> ]]> <![CDATA[ x ]]>",
]

#: Line-start syntax needs a line of its own: multi-line fields get these as separate lines.
MULTILINE = 'intro\n# heading\n!!! danger\n--8<-- "README.md"\n    indented code\n- item\n1. item\n> quote'


def _briefing(index: int, hostile: str) -> dict[str, object]:
    one_line = hostile
    many = f"{hostile}\n{MULTILINE}" if index % 2 == 0 else hostile
    return {
        "title": one_line,
        "date": f"2024-08-{index + 1:02d}",
        "location": one_line,
        "story": one_line,
        "topics": [one_line],
        "authors": [one_line],
        "summary": many,
        "why": many,
        "who": [{"name": one_line, "role": one_line, "kind": "person", "id": "actor"}],
        "what": [many],
        "numbers": [
            {"value": "270", "label": one_line, "unit": one_line, "evidence": f"{hostile} 270", "source": "s1"}
        ],
        "quotes": [{"text": many, "speaker": one_line, "context": many, "source": "s1"}],
        "next": [{"text": many, "when": one_line, "who": one_line}],
        "sources": [
            {
                "id": "s1",
                "title": one_line,
                "url": "https://example.org/a?q=%3Cscript%3E&x=%22y%22",
                "file": f"seeds/hostile-{index}.txt",
                "publisher": one_line,
            }
        ],
    }


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of one briefing per hostile string, each in every text field."""
    root = make_project(tmp_path_factory.mktemp("hostile"), briefings=False)
    publish_sources(root)  # the source texts are hostile too: their pages are published
    (root / "README.md").write_text("SECRET README CONTENT\n", encoding="utf-8")
    for index, hostile in enumerate(HOSTILE):
        data = _briefing(index, hostile)
        many = f"{hostile}\n{MULTILINE}" if index % 2 == 0 else hostile
        (root / "seeds" / f"hostile-{index}.txt").write_text(f"{many}\n\n{hostile} 270\n", encoding="utf-8")
        path = root / "briefings" / f"2024-08-{index + 1:02d}-hostile-{index}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build(root)
    return root


def _flat(value: str) -> str:
    return " ".join(value.split())


@pytest.mark.parametrize("index", range(len(HOSTILE)))
def test_every_field_shows_exactly_what_was_written(hostile_site: Path, index: int) -> None:
    """Each field's element holds the text as written, and nothing else."""
    hostile = HOSTILE[index]
    many = _flat(f"{hostile}\n{MULTILINE}" if index % 2 == 0 else hostile)
    one = _flat(hostile)
    soup = page(hostile_site, f"briefings/2024-08-{index + 1:02d}-hostile-{index}/")
    article = soup.find("article", class_="bf")
    assert isinstance(article, Tag)
    expected = {
        "h1": one,
        ".bf-location": one,
        ".bf-story": one,
        ".bf-topic-links .bf-topics li": one,
        ".bf-why-text": many,
        ".bf-who .bf-name": one,
        ".bf-who .bf-role": one,
        ".bf-what li": many,
        ".bf-label": one,
        ".bf-unit": one,
        ".bf-glance-label": one,
        ".bf-glance-unit": one,
        ".bf-glance-step": many,
        ".bf-glance-when": one,
        ".bf-glance-people a": one,
        ".bf-glance-role": one,
        ".bf-evidence": f"“{one} 270”",
        "blockquote": many,
        ".bf-speaker": one,
        ".bf-context": many,
        ".bf-step": many,
        ".bf-when": one,
        ".bf-by": one,
        ".bf-sources a:not(.bf-whole-text)": one,
    }
    for selector, value in expected.items():
        (element,) = article.select(selector)
        assert text(element) == value, selector
    # The summary: its first sentence at a glance, the rest (if any) opening "What happened".
    shown = [text(e) for e in article.select(".bf-glance-lead, .bf-summary-rest")]
    assert " ".join(shown) == many and len(article.select(".bf-glance-lead")) == 1
    assert (
        article.select_one(".bf-sources a:not(.bf-whole-text)")["href"]
        == "https://example.org/a?q=%3Cscript%3E&x=%22y%22"
    )
    assert one in text(soup.find(class_="bf-meta"))  # authors
    assert soup.title.string == f"{one} · Briefings"
    assert soup.find("meta", attrs={"name": "description"})["content"] == many
    (ld,) = soup.find_all("script", type="application/ld+json")
    data = json.loads(ld.string)
    raw = f"{hostile}\n{MULTILINE}" if index % 2 == 0 else hostile
    assert data["headline"] == hostile and data["description"] == raw.strip()


def test_templates_cannot_bypass_the_escaping() -> None:
    """Jinja's Markup filters are gone, and a Markup made anywhere but escape.py is printed as text."""
    from jinja2 import TemplateAssertionError
    from markupsafe import Markup

    from generator.site.escape import Safe, html
    from generator.site.render import ENVIRONMENT

    env = ENVIRONMENT

    for name in ("e", "escape", "forceescape", "safe", "tojson", "urlize", "xmlattr"):
        assert name not in env.filters, name
        with pytest.raises(TemplateAssertionError):
            env.from_string(f"{{{{ x | {name} }}}}")
    hostile = "<img src=x onerror=alert(1)>"
    for value in (hostile, Markup(hostile), Markup("&lt;b&gt;")):
        out = env.from_string("{{ x }}|{{ [x] | join }}|{{ x ~ '' }}|{% autoescape false %}{{ x }}{% endautoescape %}")
        printed = out.render(x=value)
        assert "<" not in printed and "&lt;" not in printed.replace("&#38;lt;", ""), printed
    assert env.from_string("{{ x }}").render(x=html("<b>")) == "&#60;b&#62;"
    assert isinstance(html("x"), Safe) and not isinstance(Markup("x"), Safe)


def test_links_accept_only_addresses_the_generator_made() -> None:
    """`link()` percent-encodes an address and refuses anything shaped like another kind of URL."""
    from generator.site.links import relative

    assert relative("briefings/x/", "topics/東京-2024/") == "../../topics/%E6%9D%B1%E4%BA%AC-2024/"
    assert relative("", "who/hamas/") == "who/hamas/"
    for target in ('who/"onmouseover=x', "javascript:alert(1)", "who/a?b=c", "who/a b/"):
        encoded = None
        try:
            encoded = relative("", target)
        except ValueError:
            continue
        assert '"' not in encoded and ":" not in encoded and "?" not in encoded and " " not in encoded


def _data_elements(soup: BeautifulSoup) -> list[Tag]:
    return [el for el in soup.find_all(True) if isinstance(el, Tag)]


def _json_ld(soup: BeautifulSoup, path: Path) -> list[dict[str, object]]:
    """A page's JSON-LD, each script of it data and only data; and no other script carries the strings."""
    found = []
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            found.append(json.loads(script.string))
        else:
            assert "alert" not in (script.string or ""), path
    return found


def test_no_element_attribute_link_or_include_comes_from_data(hostile_site: Path) -> None:
    """No script, handler, javascript: URL, admonition, heading, comment or included file from any field."""
    pages = sorted((hostile_site / "site" / "briefings").glob("*/index.html"))
    assert len(pages) == len(HOSTILE)
    for path in pages:
        html_text = path.read_text(encoding="utf-8")
        assert "SECRET README CONTENT" not in html_text
        soup = BeautifulSoup(html_text, "html.parser")
        _json_ld(soup, path)
        for element in _data_elements(soup):
            for name, value in element.attrs.items():
                assert not name.lower().startswith("on"), (path, element)
                if name in ("href", "src", "action"):
                    assert not str(value).strip().lower().startswith("javascript:"), (path, element)
        article = soup.find("article", class_="bf")
        assert isinstance(article, Tag)
        for element in _data_elements(article):
            assert element.name not in ("img", "iframe", "object", "embed", "form", "b", "i", "script"), element
        assert len(soup.find_all("h1")) == 1
        # every hostile briefing shares the actor `actor`: each has related briefings
        assert [h["id"] for h in article.find_all(["h2", "h3", "h4", "h5", "h6"])] == [*SECTION_IDS, "related"]
        assert not article.select(
            ".admonition, pre, code, em, strong, del, mark:not(.bf-receipt-text > mark), ol ol, blockquote blockquote"
        )
        assert "<!--" not in str(article)
        assert not [a for a in article.find_all("a") if not a["href"].startswith(("#", "../", "https://example.org"))]


def test_joined_pages_show_hostile_text_literally(hostile_site: Path) -> None:
    """Actor, story and topic pages and their indexes carry the strings as text, never as markup."""
    site = hostile_site / "site"
    pages = [p for folder in ("who", "stories", "topics") for p in (site / folder).rglob("index.html")]
    assert len(pages) >= 2 * len(HOSTILE) + 3
    names = set()
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        article = soup.find("article", class_="bf")
        assert isinstance(article, Tag), path
        for element in _data_elements(article):
            assert element.name not in ("img", "iframe", "object", "embed", "form", "b", "i", "script"), element
            assert not any(n.lower().startswith("on") for n in element.attrs), element
        assert not article.select(".admonition, pre, code, em, strong, del, mark")
        names.add(text(soup.find("h1")))
    assert {_flat(h) for h in HOSTILE} <= names  # each as a story and as a topic page title


def test_hostile_strings_are_literal_in_home_archive_and_search(hostile_site: Path) -> None:
    """Lists and the search index carry the same text, escaped, not markup."""
    home = page(hostile_site, "")
    titles = [text(h3) for h3 in home.select(".bf-lead-title, .bf-card-title")]
    assert sorted(titles) == sorted(_flat(h) for h in HOSTILE)
    archive = page(hostile_site, "briefings/")
    assert sorted(text(a) for a in archive.select("ul.bf-index a")) == sorted(_flat(h) for h in HOSTILE)
    for soup in (home, archive):
        assert not [el for el in _data_elements(soup) if any(n.lower().startswith("on") for n in el.attrs)]
    from generator.site.search import indexed_pages

    pages = indexed_pages(hostile_site / "site")
    titles = [page.meta["title"] for url, page in pages.items() if url.startswith("/briefings/")]
    assert sorted(titles) == sorted(_flat(h) for h in HOSTILE)


def test_source_pages_show_hostile_text_literally(hostile_site: Path) -> None:
    """A source page's title, head, JSON-LD and whole text carry the strings (and the source texts) as text."""
    pages = sorted((hostile_site / "site" / "sources").glob("*/index.html"))
    assert len(pages) == len(HOSTILE)
    titles = set()
    for path in pages:
        raw = path.read_text(encoding="utf-8")
        assert "SECRET README CONTENT" not in raw
        soup = BeautifulSoup(raw, "html.parser")
        titles |= {_flat(data["name"]) for data in _json_ld(soup, path) if data.get("@type") == "WebPage"}
        article = soup.find("article", class_="bf-source-page")
        assert isinstance(article, Tag), path
        for element in _data_elements(soup):
            assert not any(n.lower().startswith("on") for n in element.attrs), element
        for element in _data_elements(article):
            assert element.name not in ("img", "iframe", "object", "embed", "form", "b", "i", "script"), element
        assert not article.select(".admonition, pre, code, em, strong, del, blockquote, h2:not(#text), h3")
        heading = text(soup.find("h1"))
        assert soup.title is not None and soup.title.string == f"Source: {heading} · Briefings"
        assert _flat(soup.find("meta", property="og:title")["content"]) == f"Source: {heading}"  # type: ignore[index]
        # the whole text, as text: every line of the source file is there, marks or not
        shown = _flat(article.select_one("ol.bf-source-text").get_text())  # type: ignore[union-attr]
        index = int(path.parent.name.rsplit("-", 1)[-1])
        lines = (hostile_site / "seeds" / f"hostile-{index}.txt").read_text(encoding="utf-8").splitlines()
        assert all(_flat(line) in shown for line in lines if line.strip()), path
        assert article.select("ol.bf-source-text mark")  # the quote and the figure's evidence
    assert titles == {_flat(h) for h in HOSTILE}
