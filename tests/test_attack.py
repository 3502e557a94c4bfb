"""An attack suite: a hostile contributor's briefings, and what the BUILT site makes of them.

The promise (shared/spec/briefing-format.md): every input either gets a clear
finding from `briefing check` (exit 1, one `path:line:col: error: field: message`
line) or is published inertly: never a traceback, never a stalled build, and
nothing live in any output channel of the site (pages, `<title>`, meta
description, JSON-LD, the Atom feed, `/briefings.json`, the search index, the
sitemap).

`test_escaping.py` fills every field with one hostile string per briefing and
reads the briefing pages; this suite goes further: more strings (breaking out
of `<title>`, `<script>`, attributes; attr_list, Jinja, snippets, front
matter), every output channel compared with the original strings exactly, one
inertness check applied to every HTML file of the site, and the inputs that
pass `check` but break the build (issue 7: noncharacters in front matter,
addresses too long for a file name, huge figures, names in other scripts,
quadratic output).

Every command runs in a subprocess with a timeout, so a stalled build fails
instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from mkdocs.utils.meta import get_data

from generator.edge.cli import site_settings
from generator.site.cards import clean, drawable
from generator.site.reading import lead_sentence
from tests.conftest import PROJECT
from tests.sitebuild import make_project, publish_sources, text

#: Seconds any one command may take: a stalled build fails the test instead of hanging it.
TIMEOUT = 120
SITE_NAME = "Briefings"
#: Read as a MkDocs build reads it (`!ENV [SITE_URL, default]`).
SITE_URL = site_settings(PROJECT).site.url
ATOM = "{http://www.w3.org/2005/Atom}"

# --- hostile strings --------------------------------------------------------------------------

#: One-line hostile strings, by a key that names the briefing that carries them.
HOSTILE: dict[str, str] = {
    "script": "<script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "attr-list-img": "![x](https://evil.example/x.png){: onerror='alert(1)' }",
    "javascript-link": "[link](javascript:alert(1))",
    "jinja-config": "{{ config }}",
    "jinja-raw": "{% raw %}",
    "snippet": '--8<-- "/etc/passwd"',
    "admonition": '!!! danger "x"',
    "heading": "# heading",
    "front-matter": "--- title: x ---",
    "script-breakout": "</script><script>alert(1)</script>",
    "attribute-breakout": "\"'><svg onload=alert(1)>",
    "title-breakout": "</title><script>alert(1)</script>",
    "escaped-entity": "&lt;script&gt; &amp; &#60;b&#62;",
    "rtl": "وقف إطلاق النار في غزة — הפסקת אש בעזה",
    "cjk": "東京の会談 北京 2024 서울 회담",
    "emoji": "🕊 ceasefire 🔥😀 🇺🇦",
    "combining": "Cafe\u0301 Z\u0351\u0300a\u0316l\u0317g\u0301o\u0353",
    "punctuation": "*_~^=+|",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
}

#: What the multi-line fields (summary, what, quote text and context, next text) carry instead:
#: syntax that only works at the start of a line gets lines of its own.
MANY: dict[str, str] = {
    "script": "<script>\nalert(1)\n</script>",
    "jinja-raw": "{% raw %}\n{{ config }}\n{% endraw %}",
    "snippet": '--8<-- "/etc/passwd"\n--8<--\n/etc/passwd\n--8<--',
    "admonition": '!!! danger "x"\n    body',
    "heading": "# heading\n## sub\n    indented code\n> quote\n- item\n1. item",
    "front-matter": "---\ntitle: x\n---",
}

#: Heading texts that Markdown would make of the strings above, were it ever to read them.
MARKDOWN_HEADINGS = {"heading", "sub", "title: x"}

#: Every source links here: markup, percent-encoded as the format wants it in a URL (`<`, `>`, `"`
#: and `'` written raw are a finding), must stay one inert attribute value.
SOURCE_URL = "https://example.org/a?q=%3Cscript%3Ealert(1)%3C/script%3E&x=%22y%22#%27onmouseover=alert(1)"


def flat(value: str) -> str:
    """A text as a page shows it: whitespace runs as one space."""
    return " ".join(value.split())


def spec_address(name: str) -> str:
    """A story's or topic's address as the format defines it (NFC, lowercase, letters/marks/digits, `-`)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).lower()):
        if unicodedata.category(char)[0] in "LM" or unicodedata.category(char) == "Nd":
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


@dataclass(frozen=True)
class Hostile:
    """One hostile briefing: which string it carries, in which form, in which file."""

    index: int
    key: str

    @property
    def one(self) -> str:
        return HOSTILE[self.key]

    @property
    def many(self) -> str:
        return MANY.get(self.key, self.one)

    @property
    def name(self) -> str:
        """The story and topic name: the string itself, unless it has no letter to make an address of."""
        return self.one if spec_address(self.one) else f"{self.one} {self.key}"

    @property
    def slug(self) -> str:
        return f"2024-08-{self.index + 1:02d}-{self.key}"

    @property
    def actor_id(self) -> str:
        return f"actor-{self.key}"

    def data(self) -> dict[str, object]:
        one, many = self.one, self.many
        return {
            "title": one,
            "date": self.slug[:10],
            "summary": many,
            "why": many,
            "location": one,
            "story": self.name,
            "topics": [self.name],
            "authors": [one],
            "who": [{"name": one, "role": one, "kind": "person", "id": self.actor_id}],
            "what": [many],
            "numbers": [{"value": "270", "label": one, "unit": one, "lead": "true"}],
            # No file source: the quotes cannot be verified, which is a warning only.
            "quotes": [
                {"text": many, "speaker": one, "context": many},
                {"text": many, "speaker": f"Anonymous {one}"},
            ],
            "next": [{"text": many, "when": one, "who": one}],
            "sources": [{"title": one, "url": SOURCE_URL, "publisher": one}],
        }


BRIEFINGS = [Hostile(index, key) for index, key in enumerate(HOSTILE)]


def write_hostile(root: Path) -> None:
    """The hostile briefings as YAML files under root/briefings/2024/."""
    names = [spec_address(b.name) for b in BRIEFINGS]
    assert len(set(names)) == len(names), f"test data: two story names share an address: {names}"
    folder = root / "briefings" / "2024"
    folder.mkdir(parents=True, exist_ok=True)
    for briefing in BRIEFINGS:
        data = briefing.data()
        dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        assert yaml.safe_load(dumped) == data, f"test data: {briefing.key} does not round-trip through YAML"
        (folder / f"{briefing.slug}.yaml").write_text(dumped, encoding="utf-8")


# --- running commands ---------------------------------------------------------------------------


def run(args: list[str], cwd: Path, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """A command of this project, as a user runs it, with this checkout's generator, under a timeout."""
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONPATH": os.pathsep.join(p for p in (str(PROJECT), os.environ.get("PYTHONPATH", "")) if p),
    }
    return subprocess.run(
        args,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        timeout=timeout,
        check=False,
    )


def mkdocs_build(root: Path) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "mkdocs", "build", "--strict"], root)


def briefing_cli(root: Path, *args: str, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "generator", *args], root, timeout)


def output(done: subprocess.CompletedProcess[str]) -> str:
    return f"{done.stdout}\n{done.stderr}"


_FINDING = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): (?P<rest>.*)$")


@dataclass(frozen=True)
class Line:
    """One finding as `briefing check` prints it."""

    path: str
    line: int
    column: int
    severity: str
    field: str
    rest: str  # `field: message`, as the build must show it too

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.rest}"


def findings(stdout: str) -> list[Line]:
    """The finding lines of `briefing check` output; any other stdout line is a test failure."""
    found = []
    for raw in stdout.splitlines():
        match = _FINDING.match(raw)
        assert match, f"not a finding line: {raw!r}"
        rest = match["rest"]
        field = rest.split(": ", 1)[0] if ": " in rest else ""
        found.append(Line(match["path"], int(match["line"]), int(match["column"]), match["severity"], field, rest))
    return found


def check(root: Path, *args: str, timeout: float = TIMEOUT) -> tuple[int, list[Line], str]:
    """`briefing check` in root: exit status, findings, and everything it printed."""
    done = briefing_cli(root, "check", *args, timeout=timeout)
    assert "Traceback" not in output(done), output(done)
    return done.returncode, findings(done.stdout), output(done)


# --- reading the built site -----------------------------------------------------------------------

#: Attributes whose value is a URL a browser may follow or fetch.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "cite", "srcset", "ping"}
#: Tags that are live wherever they appear; the theme uses none of them.
NEVER = {"iframe", "object", "embed", "frame", "frameset", "applet", "base", "portal"}
#: Tags that briefing text must never become inside the page's content.
NOT_FROM_DATA = NEVER | {
    "script",
    "style",
    "img",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "link",
    "meta",
    "video",
    "audio",
    "source",
    "picture",
    "template",
    "pre",
    "code",
    "em",
    "strong",
    "del",
    "mark",
    "table",
}
#: The folders of pages the generator writes; home is `index.html`.
GENERATED_FOLDERS = ("briefings", "who", "stories", "topics", "watch", "corrections", "sources")


def snippet(element: object, limit: int = 200) -> str:
    """An element's markup on one line, cut short, for a failure message."""
    return flat(str(element))[:limit]


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_files(site: Path) -> list[Path]:
    """Every HTML file of the site but the theme's own assets."""
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "assets")


def is_generated(site: Path, path: Path) -> bool:
    relative = path.relative_to(site)
    return relative.as_posix() == "index.html" or relative.parts[0] in GENERATED_FOLDERS


def is_briefing_page(site: Path, path: Path) -> bool:
    parts = path.relative_to(site).parts
    return len(parts) == 3 and parts[0] == "briefings" and re.match(r"\d{4}-\d{2}-\d{2}-", parts[1]) is not None


def _scheme_of(value: str) -> str:
    """A URL as a browser reads its scheme: whitespace and control characters dropped, lowercase."""
    return "".join(c for c in value if not c.isspace() and ord(c) >= 0x20).lower()


def _normalised_script(source: str) -> str:
    """A theme script with its page-relative paths taken out (`"../.."`, `"../assets/x"`)."""
    source = re.sub(r'"(?:(?:\.\./)*\.\.?|/)"', '""', source)
    return re.sub(r'"(?:(?:\.\.?/)+|/)', '"', source)


def theme_scripts(site: Path) -> set[str]:
    """The inline scripts of a page no briefing touches: the only inline scripts a page may have."""
    for candidate in ("about/index.html", "reading/index.html", "404.html"):
        if (site / candidate).is_file():
            soup = soup_of(site / candidate)
            return {
                _normalised_script(s.string or "")
                for s in soup.find_all("script")
                if not s.get("src") and s.get("type") != "application/ld+json"
            }
    raise AssertionError("no page without briefing data to learn the theme's scripts from")


def resolve(page: Path, href: str, site: Path) -> Path:
    """The file a relative link on a built page leads to."""
    path = unquote(urlsplit(href).path)
    base = site if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve() if path else page
    return target / "index.html" if target.is_dir() or path.endswith("/") else target


def live_markup(path: Path, site: Path, theme: set[str], allowed_links: frozenset[str] = frozenset()) -> list[str]:
    """What on a built page could run, load or mislead; empty when the page is inert.

    Anywhere: scripts are the theme's (same inline code as a page with no briefing data,
    or a file under site/assets/), JSON-LD that parses (briefing pages only, at most one);
    no `on*` attribute; no javascript:/vbscript:/data: URL; no frame, object, embed or base;
    nothing fetched from another host. In the content of a generated page: one `h1`, no
    element, heading, admonition or link made from briefing text.
    """
    problems: list[str] = []
    where = path.relative_to(site).as_posix()
    soup = soup_of(path)
    ld = 0
    for script in soup.find_all("script"):
        if script.get("src"):
            target = resolve(path, script["src"], site)
            if urlsplit(script["src"]).scheme or script["src"].startswith("//"):
                problems.append(f"{where}: script from another host: {snippet(script)}")
            elif not target.is_file() or not target.is_relative_to((site / "assets").resolve()):
                problems.append(f"{where}: script that is not a theme asset: {snippet(script)}")
        elif script.get("type") == "application/ld+json":
            ld += 1
            try:
                json.loads(script.string or "")
            except ValueError as exc:
                problems.append(f"{where}: JSON-LD does not parse ({exc}): {snippet(script)}")
        elif _normalised_script(script.string or "") not in theme:
            problems.append(f"{where}: inline script that is not the theme's: {snippet(script)}")
    if ld and not is_generated(site, path):
        problems.append(f"{where}: JSON-LD on a page the generator did not make")
    if ld > 1:
        problems.append(f"{where}: {ld} JSON-LD scripts")
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                problems.append(f"{where}: event handler attribute {name}= on <{element.name}>")
            is_url = name.lower() in URL_ATTRIBUTES or name.lower().endswith(":href")
            if is_url and _scheme_of(value).startswith(("javascript:", "vbscript:", "data:")):
                problems.append(f"{where}: {name}={value!r} on <{element.name}>")
        if element.name in NEVER:
            problems.append(f"{where}: <{element.name}> element: {snippet(element)}")
        if element.name == "meta" and element.get("http-equiv", "").lower() == "refresh":
            problems.append(f"{where}: meta refresh: {snippet(element)}")
        fetched = element.get("src") if element.name in ("img", "source", "video", "audio", "input") else None
        if element.name == "link" and not {"canonical", "alternate"} & set(element.get("rel", [])):
            fetched = element.get("href")
        if fetched and (urlsplit(fetched).scheme or fetched.startswith("//")):
            problems.append(f"{where}: fetched from another host: {snippet(element)}")
    if is_generated(site, path):
        problems += _content_problems(where, soup, allowed_links)
    return problems


def _content_problems(where: str, soup: BeautifulSoup, allowed_links: frozenset[str]) -> list[str]:
    problems = []
    content = soup.select_one("article.md-content__inner") or soup.select_one(".md-content")
    if not isinstance(content, Tag):
        return [f"{where}: no content article"]
    if len(soup.find_all("h1")) != 1:
        problems.append(f"{where}: {len(soup.find_all('h1'))} h1 elements: {[text(h) for h in soup.find_all('h1')]}")
    for element in content.find_all(True):
        if element.name in NOT_FROM_DATA:
            problems.append(f"{where}: <{element.name}> in the content: {snippet(element)}")
        if "style" in element.attrs:
            problems.append(f"{where}: style attribute in the content: {snippet(element)}")
        if "admonition" in element.get("class", []):
            problems.append(f"{where}: admonition in the content: {snippet(element)}")
        if re.fullmatch(r"h[1-6]", element.name) and text(element) in MARKDOWN_HEADINGS:
            problems.append(f"{where}: heading made by Markdown from briefing text: {snippet(element)}")
        if element.name == "a" and element.get("href") is not None:
            href = element["href"]
            if (urlsplit(href).scheme or href.startswith("//")) and href not in allowed_links:
                problems.append(f"{where}: link out of the site that no source gave: {href!r}")
    if "<!--" in str(content):
        problems.append(f"{where}: HTML comment in the content")
    return problems


# --- the hostile site -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build of every hostile briefing, each string in every text field."""
    root = make_project(tmp_path_factory.mktemp("attack"), briefings=False)
    publish_sources(root)  # every page the generator can make
    write_hostile(root)
    done = mkdocs_build(root)
    assert done.returncode == 0, f"mkdocs build failed ({done.returncode}):\n{output(done)}"
    assert "Traceback" not in output(done)
    return root


def _page(site: Path, briefing: Hostile) -> BeautifulSoup:
    return soup_of(site / "briefings" / briefing.slug / "index.html")


def test_hostile_briefings_pass_check_with_only_the_unverified_quote_warnings(hostile_site: Path) -> None:
    """Hostile text is valid text: `briefing check` publishes it (exit 0), warning only about the quotes."""
    status, found, printed = check(hostile_site)
    assert status == 0, printed
    assert [f for f in found if f.severity == "error"] == [], printed
    warned = {Path(f.path).stem for f in found if f.field.startswith("quotes[")}
    assert warned == {b.slug for b in BRIEFINGS}, printed


def test_every_html_file_of_the_site_is_inert(hostile_site: Path) -> None:
    """No script, handler, dangerous URL, frame or foreign fetch on any page; no markup from data in content."""
    site = hostile_site / "site"
    theme = theme_scripts(site)
    pages = html_files(site)
    generated = [p for p in pages if is_generated(site, p)]
    # 20 briefings, and for each an actor, a story and a topic page, plus home and the indexes.
    assert len(generated) >= 4 * len(BRIEFINGS) + 5, [p.relative_to(site).as_posix() for p in generated]
    problems = [p for path in pages for p in live_markup(path, site, theme, frozenset({SOURCE_URL}))]
    assert not problems, "\n".join(problems[:40])


def test_briefing_pages_show_every_field_literally(hostile_site: Path) -> None:
    """Each field's element holds the string as written (whitespace runs as one space), and nothing else."""
    problems = []
    for briefing in BRIEFINGS:
        one, many, name = flat(briefing.one), flat(briefing.many), flat(briefing.name)
        article = _page(hostile_site / "site", briefing).select_one("article.bf")
        if not isinstance(article, Tag):
            problems.append(f"{briefing.key}: no article.bf")
            continue
        expected = {
            "h1": [one],
            ".bf-location": [one],
            ".bf-author": [one],
            ".bf-topic-links .bf-topics li": [name],
            ".bf-story": [name],
            ".bf-glance-lead, .bf-summary-rest": [many]
            if many == lead_sentence(many)[0]
            else list(lead_sentence(many)),
            ".bf-why-text": [many],
            ".bf-glance-value": ["270"],  # the unit ends the label: it is printed there (format.wording)
            ".bf-glance-label": [one],
            ".bf-glance-unit": [one],
            ".bf-glance-step": [many],
            ".bf-glance-when": [one],
            ".bf-glance-people a": [one],
            ".bf-glance-role": [one],
            ".bf-who .bf-name": [one],
            ".bf-who .bf-role": [one],
            ".bf-what li": [many],
            ".bf-label": [one],
            ".bf-unit": [one],
            "blockquote": [many, many],
            ".bf-speaker": [one, f"Anonymous {one}"],
            ".bf-context": [many],
            ".bf-step": [many],
            ".bf-when": [one],
            ".bf-by": [one],
            ".bf-sources a": [one],
        }
        for selector, values in expected.items():
            got = [text(element) for element in article.select(selector)]
            if got != values:
                problems.append(f"{briefing.key}: {selector}: {got!r} != {values!r}")
        links = article.select(".bf-sources a")
        if [a.get("href") for a in links] != [SOURCE_URL]:
            problems.append(f"{briefing.key}: source href {[a.get('href') for a in links]!r}")
        publisher = [text(li) for li in article.select(".bf-sources li")]
        if len(publisher) != 1 or not publisher[0].endswith(f", {one}"):
            problems.append(f"{briefing.key}: source line {publisher!r} does not end with the publisher")
    assert not problems, "\n".join(problems)


def test_page_title_and_meta_description_hold_the_strings(hostile_site: Path) -> None:
    """`<title>` is the title then the site name; the meta description is the summary; neither breaks out."""
    problems = []
    for briefing in BRIEFINGS:
        soup = _page(hostile_site / "site", briefing)
        title = soup.title.string if soup.title else None
        if title != f"{flat(briefing.one)} · {SITE_NAME}":
            problems.append(f"{briefing.key}: <title> {title!r}")
        descriptions = soup.find_all("meta", attrs={"name": "description"})
        contents = [meta.get("content") for meta in descriptions]
        if contents != [flat(briefing.many)]:
            problems.append(f"{briefing.key}: meta description {contents!r} != {[flat(briefing.many)]!r}")
    assert not problems, "\n".join(problems)


def test_share_images_draw_the_strings_as_text_or_fall_back_to_the_sites(hostile_site: Path) -> None:
    """Each briefing's and actor's share image: a PNG of the site beside its page, whose text alternative is the
    strings as written (cleaned of controls), or the site's own image where the font cannot draw the headline."""
    from PIL import Image

    problems = []
    site = hostile_site / "site"
    for briefing in BRIEFINGS:
        for where in (f"briefings/{briefing.slug}/", f"who/{briefing.actor_id}/"):
            soup = soup_of(site / where / "index.html")
            metas = {
                str(tag.get("property") or tag.get("name")): str(tag.get("content"))
                for tag in soup.head.find_all("meta")
            }
            url = metas.get("og:image", "")
            if not url.startswith(SITE_URL + where) or metas.get("twitter:card") != "summary_large_image":
                problems.append(f"{where}: og:image {url!r}, twitter:card {metas.get('twitter:card')!r}")
                continue
            with Image.open(site / url.removeprefix(SITE_URL)) as picture:
                if (picture.format, picture.size) != ("PNG", (1200, 630)):
                    problems.append(f"{where}: {picture.format} {picture.size}")
            alt = metas.get("og:image:alt", "")
            headline = clean(briefing.one)
            expected = headline if drawable(headline) else SITE_NAME
            if (alt != SITE_NAME and f". {expected}" not in alt) or (alt == SITE_NAME and drawable(headline)):
                problems.append(f"{where}: og:image:alt {alt!r} does not show {expected!r}")
    assert not problems, "\n".join(problems)


def test_jsonld_values_equal_the_original_strings(hostile_site: Path) -> None:
    """The NewsArticle JSON-LD parses, and each value is exactly the string written (line breaks and all)."""
    problems = []
    for briefing in BRIEFINGS:
        scripts = _page(hostile_site / "site", briefing).find_all("script", type="application/ld+json")
        if len(scripts) != 1:
            problems.append(f"{briefing.key}: {len(scripts)} JSON-LD scripts")
            continue
        data = json.loads(scripts[0].string or "")
        one, many, name = briefing.one, briefing.many, briefing.name
        actual = {
            "headline": data.get("headline"),
            "description": data.get("description"),
            "dateline": data.get("dateline"),
            "author": [a.get("name") for a in data.get("author", [])],
            "keywords": data.get("keywords"),
            "mentions.name": [m.get("name") for m in data.get("mentions", [])],
            "mentions.jobTitle": [m.get("jobTitle") for m in data.get("mentions", [])],
            "citation.name": [c.get("name") for c in data.get("citation", [])],
            "citation.url": [c.get("url") for c in data.get("citation", [])],
            "citation.publisher": [(c.get("publisher") or {}).get("name") for c in data.get("citation", [])],
            "isPartOf": (data.get("isPartOf") or {}).get("name"),
        }
        wanted = {
            "headline": one,
            "description": many,
            "dateline": one,
            "author": [one],
            "keywords": [name],
            "mentions.name": [one],
            "mentions.jobTitle": [one],
            "citation.name": [one],
            "citation.url": [SOURCE_URL],
            "citation.publisher": [one],
            "isPartOf": name,
        }
        problems += [
            f"{briefing.key}: {key}: {actual[key]!r} != {wanted[key]!r}" for key in wanted if actual[key] != wanted[key]
        ]
    assert not problems, "\n".join(problems)


def test_atom_feed_entries_equal_the_original_strings(hostile_site: Path) -> None:
    """site/feed.xml is XML; each entry's title, summary, categories and authors are the strings, as text."""
    feed = ET.parse(hostile_site / "site" / "feed.xml").getroot()
    entries = {}
    for entry in feed.findall(f"{ATOM}entry"):
        entry_id = entry.findtext(f"{ATOM}id") or ""
        entries[entry_id.rstrip("/").rsplit("/", 1)[-1]] = entry
    assert set(entries) == {b.slug for b in BRIEFINGS}
    problems = []
    for briefing in BRIEFINGS:
        entry = entries[briefing.slug]
        for tag, wanted in (("title", briefing.one), ("summary", briefing.many)):
            element = entry.find(f"{ATOM}{tag}")
            if element is None or element.text != wanted:
                problems.append(f"{briefing.key}: <{tag}> {None if element is None else element.text!r} != {wanted!r}")
            elif element.get("type", "text") != "text":
                problems.append(f"{briefing.key}: <{tag} type={element.get('type')!r}>: read as markup by feed readers")
        terms = [(c.get("term"), c.get("label")) for c in entry.findall(f"{ATOM}category")]
        if terms != [(briefing.name, briefing.name)]:
            problems.append(f"{briefing.key}: categories {terms!r}")
        authors = [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")]
        if authors != [briefing.one]:
            problems.append(f"{briefing.key}: authors {authors!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("folder", ["stories", "topics", "who"])
def test_story_feeds_name_the_stories_as_text(hostile_site: Path, folder: str) -> None:
    """Each story's, topic's and actor's feed (site/<folder>/<address>/feed.xml) is XML titled with the name as
    text, its one entry the briefing, and the page's head links to it with the name as the link's title."""
    problems = []
    for briefing in BRIEFINGS:
        key = briefing.actor_id if folder == "who" else spec_address(briefing.name)
        name = briefing.one if folder == "who" else briefing.name
        where = hostile_site / "site" / folder / key
        feed = ET.parse(where / "feed.xml").getroot()
        title = feed.find(f"{ATOM}title")
        if title is None or title.text != f"Briefings: {name}" or title.get("type", "text") != "text":
            problems.append(f"{briefing.key}: feed <title> {None if title is None else title.text!r}")
        ids = [entry.findtext(f"{ATOM}id") or "" for entry in feed.findall(f"{ATOM}entry")]
        if [i.rstrip("/").rsplit("/", 1)[-1] for i in ids] != [briefing.slug]:
            problems.append(f"{briefing.key}: feed entries {ids!r}")
        head = soup_of(where / "index.html").select('head link[rel~="alternate"][href="feed.xml"]')
        if [flat(link.get("title", "")) for link in head] != [flat(f"{name}: every new briefing")]:
            problems.append(f"{briefing.key}: {folder} page's feed link {[str(link) for link in head]!r}")
    assert not problems, "\n".join(problems)


def test_export_json_values_equal_the_original_strings(hostile_site: Path) -> None:
    """site/briefings.json holds every field exactly as written."""
    data = json.loads((hostile_site / "site" / "briefings.json").read_text(encoding="utf-8"))
    exported = {b["slug"]: b for b in data["briefings"]}
    assert set(exported) == {b.slug for b in BRIEFINGS}
    problems = []
    for briefing in BRIEFINGS:
        got = exported[briefing.slug]
        one, many, name = briefing.one, briefing.many, briefing.name
        actual = {
            "title": got.get("title"),
            "summary": got.get("summary"),
            "location": got.get("location"),
            "story": got.get("story"),
            "topics": got.get("topics"),
            "authors": got.get("authors"),
            "who": [(a.get("name"), a.get("role")) for a in got.get("who", [])],
            "what": got.get("what"),
            "numbers": [(n.get("value"), n.get("label"), n.get("unit")) for n in got.get("numbers", [])],
            "quotes": [(q.get("text"), q.get("speaker"), q.get("context")) for q in got.get("quotes", [])],
            "next": [(s.get("text"), s.get("when"), s.get("who")) for s in got.get("next", [])],
            "sources": [(s.get("title"), s.get("publisher"), s.get("url")) for s in got.get("sources", [])],
        }
        wanted = {
            "title": one,
            "summary": many,
            "location": one,
            "story": name,
            "topics": [name],
            "authors": [one],
            "who": [(one, one)],
            "what": [many],
            "numbers": [(270, one, one)],
            "quotes": [(many, one, many), (many, f"Anonymous {one}", None)],
            "next": [(many, one, one)],
            "sources": [(one, one, SOURCE_URL)],
        }
        problems += [
            f"{briefing.key}: {key}: {actual[key]!r} != {wanted[key]!r}" for key in wanted if actual[key] != wanted[key]
        ]
    assert not problems, "\n".join(problems)


def _fragment_problems(label: str, fragment: str) -> list[str]:
    """Search-index text is HTML the search UI inserts into the page: it must hold no live markup."""
    problems = []
    for element in BeautifulSoup(fragment, "html.parser").find_all(True):
        if element.name in NEVER | {"script", "style", "img", "svg", "math", "iframe", "link", "meta", "form", "input"}:
            problems.append(f"{label}: <{element.name}>: {snippet(element)}")
        for name, value in element.attrs.items():
            if name.lower().startswith("on"):
                problems.append(f"{label}: {name}= on <{element.name}>")
            if name.lower() in URL_ATTRIBUTES and _scheme_of(str(value)).startswith(("javascript:", "data:")):
                problems.append(f"{label}: {name}={value!r}")
    return problems


def test_search_index_holds_the_literal_strings(hostile_site: Path) -> None:
    """The search index (Pagefind's: generator/site/search.py) holds each briefing's title and topic as written,
    as text; the search dialog shows it as text (tests/test_search.py checks that in the browser)."""
    from generator.site.search import indexed_pages

    pages = indexed_pages(hostile_site / "site")
    problems = []
    for briefing in BRIEFINGS:
        page = pages.get(f"/briefings/{briefing.slug}/")
        if page is None:
            problems.append(f"{briefing.key}: not in the search index")
            continue
        if page.meta.get("title") != flat(briefing.one):
            problems.append(f"{briefing.key}: search title reads {page.meta.get('title')!r}")
        if flat(briefing.name) not in page.content:
            problems.append(f"{briefing.key}: its topic is not in the indexed text")
    assert not problems, "\n".join(problems[:40])


def test_sitemap_is_well_formed_and_lists_every_briefing(hostile_site: Path) -> None:
    """site/sitemap.xml parses as XML and names every briefing page by its absolute address."""
    root = ET.parse(hostile_site / "site" / "sitemap.xml").getroot()
    locations = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {f"{SITE_URL}briefings/{b.slug}/" for b in BRIEFINGS} <= locations


def test_home_archive_actor_story_and_topic_pages_name_the_strings_literally(hostile_site: Path) -> None:
    """The pages that list and join briefings show each string as its text, and link to pages that exist."""
    site = hostile_site / "site"
    problems = []
    home = soup_of(site / "index.html")
    cards = sorted(text(h) for h in home.select(".bf-lead-title, .bf-card-title"))
    if cards != sorted(flat(b.one) for b in BRIEFINGS):
        problems.append(f"home: card titles {cards!r}")
    archive = soup_of(site / "briefings" / "index.html")
    listed = sorted(text(a) for a in archive.select("ul.bf-index a"))
    if listed != sorted(flat(b.one) for b in BRIEFINGS):
        problems.append(f"archive: {listed!r}")
    for briefing in BRIEFINGS:
        page_path = site / "briefings" / briefing.slug / "index.html"
        article = soup_of(page_path).select_one("article.bf")
        assert isinstance(article, Tag), briefing.key
        targets = {
            "actor": (article.select_one(".bf-who .bf-name"), flat(briefing.one)),
            "story": (article.select_one(".bf-story"), flat(briefing.name)),
            "topic": (article.select_one(".bf-topic-links .bf-topics a"), flat(briefing.name)),
        }
        for kind, (link, wanted) in targets.items():
            if link is None or not link.get("href"):
                problems.append(f"{briefing.key}: no {kind} link")
                continue
            target = resolve(page_path, link["href"], site)
            if not target.is_file():
                problems.append(f"{briefing.key}: {kind} link {link['href']!r} leads nowhere")
                continue
            h1 = [text(h) for h in soup_of(target).find_all("h1")]
            if h1 != [wanted]:
                problems.append(f"{briefing.key}: {kind} page {target.relative_to(site)} has h1 {h1!r}")
    for folder, wanted in (
        ("who", [flat(b.one) for b in BRIEFINGS]),
        ("stories", [flat(b.name) for b in BRIEFINGS]),
        ("topics", [flat(b.name) for b in BRIEFINGS]),
    ):
        content = soup_of(site / folder / "index.html").select_one("article.md-content__inner")
        names = {text(a) for a in content.find_all("a")} if content else set()
        missing = [w for w in wanted if w not in names]
        if missing:
            problems.append(f"{folder}/ index does not list {missing!r}")
    assert not problems, "\n".join(problems)


def test_no_file_is_included_and_no_template_code_runs(hostile_site: Path) -> None:
    """`--8<-- "/etc/passwd"` includes nothing, `{{ config }}` prints nothing: in no output file."""
    site = hostile_site / "site"
    passwd = Path("/etc/passwd")
    secret = next((line for line in passwd.read_text().splitlines() if line.strip()), None) if passwd.exists() else None
    outputs = [p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json")]
    assert outputs
    for path in outputs:
        content = path.read_text(encoding="utf-8")
        assert "root:x:0:0" not in content, path
        if secret:
            assert secret not in content, path
        # A rendered `{{ config }}` prints MkDocs' config mapping, with its keys quoted.
        assert "'site_url'" not in content and "'mdx_configs'" not in content, path
    page = _page(site, next(b for b in BRIEFINGS if b.key == "jinja-config"))
    assert text(page.find("h1")) == "{{ config }}"


# --- front matter: noncharacters (issue 7, item 1) ----------------------------------------------

#: Noncharacters written as YAML escapes in every kind of one-line field, and an attr_list image
#: in the summary: were the page's front matter ever refused by MkDocs' YAML reader, the front
#: matter (JSON-LD included) would be read as Markdown and the image would come alive.
NONCHARACTERS = """\
title: "Cairo talks \\uFFFE end without a deal"
date: 2024-08-25
summary: "![x](https://evil.example/x.png){: onerror='alert(1)' }"
location: "Cairo \\uFFFF"
story: "Gaza \\uFDD0 war"
topics:
  - "Diplomacy \\U0001FFFE"
authors:
  - "Staff \\uFDEF"
who:
  - name: "William \\uFDEF Burns"
    role: "Director, CIA \\uFFFE"
    id: william-burns
what:
  - The talks ended without agreement.
sources:
  - title: "Wire \\U0010FFFF report"
    url: https://example.org/wire
"""
NONCHARACTER_FIELDS = {
    "title": "title:",
    "location": "location:",
    "story": "story:",
    "topics[0]": '  - "Diplomacy',
    "authors[0]": '  - "Staff',
    "who[0].name": "  - name:",
    "who[0].role": "    role:",
    "sources[0].title": "  - title:",
}
NONCHARACTER_SLUG = "2024-08-25-noncharacters"


def _value_position(source: str, line_start: str) -> tuple[int, int]:
    """1-based line and column of the quoted value on the line that starts with `line_start`."""
    for number, line in enumerate(source.splitlines(), start=1):
        if line.startswith(line_start):
            return number, line.index('"') + 1
    raise AssertionError(f"test data: no line starts with {line_start!r}")


def test_noncharacters_are_refused_at_their_node(tmp_path: Path) -> None:
    """U+FFFE, U+FFFF, U+FDD0.., U+1FFFE, U+10FFFF as escapes: one error per field, at the value's line:col."""
    root = make_project(tmp_path, briefings=False)
    (root / "briefings" / f"{NONCHARACTER_SLUG}.yaml").write_text(NONCHARACTERS, encoding="utf-8")
    status, found, printed = check(root)
    assert status == 1, printed
    errors = {(f.field, f.line, f.column) for f in found if f.severity == "error"}
    wanted = {(field, *_value_position(NONCHARACTERS, start)) for field, start in NONCHARACTER_FIELDS.items()}
    assert wanted <= errors, f"missing {sorted(wanted - errors)}\n{printed}"
    for finding in found:
        assert finding.path.endswith(f"{NONCHARACTER_SLUG}.yaml"), printed


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """`briefing render` of the hostile briefings and the noncharacter one, into a folder of its own."""
    root = make_project(tmp_path_factory.mktemp("render"), briefings=False)
    write_hostile(root)
    (root / "briefings" / f"{NONCHARACTER_SLUG}.yaml").write_text(NONCHARACTERS, encoding="utf-8")
    helped = briefing_cli(root, "render", "--help")
    assert helped.returncode == 0, output(helped)
    option = "--out" if "--out" in helped.stdout else "--docs"
    out = tmp_path_factory.mktemp("rendered")
    return briefing_cli(root, "render", "--root", str(root), option, str(out)), out


def test_render_leaves_out_the_briefing_with_noncharacters(
    rendered: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    """The refused briefing has no page, its findings are printed, and the status says so (1)."""
    done, out = rendered
    assert "Traceback" not in output(done), output(done)[-1500:]
    assert done.returncode == 1, output(done)
    assert NONCHARACTER_SLUG in done.stdout, output(done)
    assert not [p for p in out.rglob("*.md") if NONCHARACTER_SLUG in p.as_posix()]


def test_rendered_markdown_front_matter_reads_as_mkdocs_reads_it(
    rendered: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    """Every page's front matter is a mapping to MkDocs (never refused, so never shown as Markdown)."""
    done, out = rendered
    assert "Traceback" not in output(done), output(done)[-1500:]
    pages = sorted(out.rglob("*.md"))
    problems = []
    briefing_pages = 0
    for path in pages:
        body, meta = get_data(path.read_text(encoding="utf-8"))
        where = path.relative_to(out).as_posix()
        stem = path.parent.name if path.stem == "index" else path.stem
        is_briefing = re.match(r"\d{4}-\d{2}-\d{2}-", stem) is not None
        briefing_pages += is_briefing
        wanted = {"title", "description"} if is_briefing else {"title"}
        if not isinstance(meta, dict) or not wanted <= set(meta):
            problems.append(f"{where}: front matter read as {meta!r}, wanted keys {sorted(wanted)}")
        if not body.lstrip().startswith("<"):
            problems.append(f"{where}: body starts {body.lstrip()[:80]!r}")
    assert briefing_pages >= len(BRIEFINGS), [p.relative_to(out).as_posix() for p in pages]
    assert not problems, "\n".join(problems)


# --- inputs that passed check and crashed the build (issue 7, item 4) ---------------------------

BASE = """\
title: Cairo talks end without a deal
date: 2024-08-25
summary: High-level talks in Cairo concluded on Sunday without a final agreement.
who:
  - name: William Burns
    role: Director, CIA
    id: william-burns
what:
  - The talks ended without agreement.
sources:
  - title: Wire report
    url: https://example.org/wire
"""
BASE_LINES = BASE.count("\n")
TITLE = BASE.splitlines()[0]


@dataclass(frozen=True)
class Crasher:
    """Files that must be refused: each with the field, line and column of a finding it must get."""

    files: dict[str, str]
    field: str
    line: int
    column: int
    #: A cross-file finding must name every one of these files in one line.
    names_both: bool = False


def _story(name: str) -> str:
    return BASE + f"story: {name}\n"


def _topic(name: str) -> str:
    return BASE + f"topics:\n  - {name}\n"


CRASHERS: dict[str, Crasher] = {
    "topic-250-ascii": Crasher({"2024-08-25-x.yaml": _topic("a" * 250)}, "topics[0]", BASE_LINES + 2, 5),
    "story-250-ascii": Crasher({"2024-08-25-x.yaml": _story("a" * 250)}, "story", BASE_LINES + 1, 8),
    "actor-id-250-ascii": Crasher(
        {"2024-08-25-x.yaml": BASE.replace("id: william-burns", "id: " + "a" * 250)}, "who[0].id", 7, 9
    ),
    "topic-100-cjk": Crasher({"2024-08-25-x.yaml": _topic("東京" * 50)}, "topics[0]", BASE_LINES + 2, 5),
    "story-100-cjk": Crasher({"2024-08-25-x.yaml": _story("東京" * 50)}, "story", BASE_LINES + 1, 8),
    "figure-5000-digits": Crasher(
        {"2024-08-25-x.yaml": BASE + "numbers:\n  - value: " + "9" * 5000 + "\n    label: digits\n"},
        "numbers[0].value",
        BASE_LINES + 2,
        12,
    ),
    "title-escaped-noncharacter": Crasher(
        {"2024-08-25-x.yaml": BASE.replace(TITLE, f'title: "{TITLE[7:]} \\uFFFE"')}, "title", 1, 8
    ),
    "title-raw-noncharacter": Crasher({"2024-08-25-x.yaml": BASE.replace(TITLE, f"{TITLE} \ufdd0")}, "title", 1, 8),
    "story-case-collision": Crasher(
        {
            "2024-08-25-a.yaml": _story("Gaza ceasefire"),
            "2024-08-26-b.yaml": _story("gaza ceasefire").replace("2024-08-25", "2024-08-26"),
        },
        "story",
        BASE_LINES + 1,
        8,
        names_both=True,
    ),
    "topic-case-collision": Crasher(
        {
            "2024-08-25-a.yaml": _topic("Gaza ceasefire"),
            "2024-08-26-b.yaml": _topic("gaza ceasefire").replace("2024-08-25", "2024-08-26"),
        },
        "topics[0]",
        BASE_LINES + 2,
        5,
        names_both=True,
    ),
    "story-nfc-collision": Crasher(
        {
            "2024-08-25-a.yaml": _story("Caf\u00e9 talks"),
            "2024-08-26-b.yaml": _story("Cafe\u0301 talks").replace("2024-08-25", "2024-08-26"),
        },
        "story",
        BASE_LINES + 1,
        8,
        names_both=True,
    ),
}


@pytest.mark.parametrize("case", list(CRASHERS))
def test_build_breakers_get_a_finding_and_a_clean_build_failure(tmp_path: Path, case: str) -> None:
    """`briefing check` exits 1 with the finding at its node; `mkdocs build` fails with that finding, no traceback."""
    crasher = CRASHERS[case]
    root = make_project(tmp_path, briefings=False)
    for name, content in crasher.files.items():
        (root / "briefings" / name).write_text(content, encoding="utf-8")
    problems = []
    status, found, printed = check(root)
    if status != 1:
        problems.append(f"briefing check exited {status}, not 1:\n{printed}")
    at_node = [f for f in found if f.severity == "error" and f.field == crasher.field]
    if crasher.names_both:
        at_node = [f for f in at_node if all(Path(n).stem in str(f) for n in crasher.files)]
        if not at_node:
            problems.append(f"no {crasher.field} error naming both {sorted(crasher.files)}:\n{printed}")
    else:
        at_node = [f for f in at_node if (f.line, f.column) == (crasher.line, crasher.column)]
        if not at_node:
            problems.append(f"no error at {crasher.line}:{crasher.column} {crasher.field}:\n{printed}")
    done = mkdocs_build(root)
    built = output(done)
    if done.returncode == 0:
        problems.append(f"mkdocs build succeeded:\n{built[-2000:]}")
    if "Traceback" in built:
        problems.append(f"mkdocs build printed a traceback:\n{built[-3000:]}")
    if at_node and not any(f.rest in built for f in at_node):
        problems.append(f"mkdocs build output lacks the finding {at_node[0].rest!r}:\n{built[-2000:]}")
    assert not problems, "\n\n".join(problems)


# --- names in other scripts (issue 7, item 5) -----------------------------------------------------

#: Story (and topic) names, each in a briefing of its own, with the address the format gives them.
SCRIPTS = {
    "tokyo": ("東京 2024", "東京-2024"),
    "beijing": ("北京 2024", "北京-2024"),
    "ukraine": ("Україна war", "україна-war"),
    "russia": ("Россия war", "россия-war"),
    "cafe": ("Cafe\u0301 \u00c9lys\u00e9e talks", "caf\u00e9-\u00e9lys\u00e9e-talks"),  # decomposed -> NFC
    "arabic": ("وقف إطلاق النار", "وقف-إطلاق-النار"),
    "greek": ("ΑΘΗΝΑ Summit", "αθηνα-summit"),
}


@pytest.fixture(scope="module")
def scripts_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("scripts"), briefings=False)
    for index, (key, (name, _address)) in enumerate(SCRIPTS.items()):
        date = f"2024-08-{index + 1:02d}"
        data = yaml.safe_load(BASE)
        data.update(date=date, story=name, topics=[name], title=f"Briefing on {name}")
        (root / "briefings" / f"{date}-{key}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    done = mkdocs_build(root)
    assert done.returncode == 0, f"mkdocs build failed ({done.returncode}):\n{output(done)}"
    return root


@pytest.mark.parametrize("kind", ["stories", "topics"])
def test_names_in_every_script_get_pages_of_their_own(scripts_site: Path, kind: str) -> None:
    """`東京 2024` and `北京 2024`, `Україна war` and `Россия war`: one page each, at the NFC lowercase address."""
    site = scripts_site / "site"
    problems = []
    for key, (name, address) in SCRIPTS.items():
        assert unicodedata.is_normalized("NFC", address) and address == spec_address(name), "test data"
        page_path = site / kind / address / "index.html"
        if not page_path.is_file():
            found = sorted(p.parent.name for p in (site / kind).glob("*/index.html"))
            problems.append(f"{key}: no {kind}/{address}/ (pages: {found})")
            continue
        h1 = [text(h) for h in soup_of(page_path).find_all("h1")]
        if h1 != [name]:
            problems.append(f"{key}: {kind}/{address}/ has h1 {h1!r}, not {name!r}")
        briefing = next((site / "briefings").glob(f"*-{key}/index.html"))
        selector = ".bf-story" if kind == "stories" else ".bf-topic-links .bf-topics a"
        link = soup_of(briefing).select_one(selector)
        if link is None or resolve(briefing, link["href"], site) != page_path.resolve():
            problems.append(f"{key}: the briefing's link {link and link.get('href')!r} is not {kind}/{address}/")
    assert not problems, "\n".join(problems)


# --- quadratic output (issue 7, item 2) --------------------------------------------------------------


def test_two_thousand_topics_are_refused_in_a_few_findings(tmp_path: Path) -> None:
    """Topics are at most 8: 2,000 of them get an error at `topics`, in a few findings, and the build
    stops before it makes a page of any of them (the timeouts only stop a hang; speed is benchmarked)."""
    root = make_project(tmp_path, briefings=False)
    topics = "".join(f"  - topic {n}\n" for n in range(2000))
    (root / "briefings" / "2024-08-25-topics.yaml").write_text(BASE + "topics:\n" + topics, encoding="utf-8")
    status, found, printed = check(root, timeout=60)
    assert status == 1, printed[-2000:]
    limit = [f for f in found if f.severity == "error" and re.fullmatch(r"topics(\[\d+\])?", f.field)]
    assert limit and any("8" in f.rest for f in limit), printed[-2000:]
    assert len(found) <= 10, f"{len(found)} findings for one list that is too long"
    # Unrefused, 2,000 topics made 2,000 topic pages and a build of minutes: the build must stop at once.
    try:
        done = run([sys.executable, "-m", "mkdocs", "build", "--strict"], root, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("mkdocs build of a briefing with 2,000 topics ran for over 60 s instead of failing")
    assert done.returncode != 0 and "Traceback" not in output(done), output(done)[-2000:]
    assert any(f.rest in output(done) for f in limit), output(done)[-2000:]
    assert not (root / "site" / "topics" / "topic-1999").exists()


# --- names that address the index pages -------------------------------------------------------------


def test_names_that_address_an_index_page_never_replace_it(tmp_path: Path) -> None:
    """A topic, story or actor called `index` gets a page of its own: the list pages stay."""
    root = make_project(tmp_path, briefings=False)
    content = BASE.replace("id: william-burns", "id: index") + "story: Index\ntopics:\n  - index\n"
    (root / "briefings" / "2024-08-25-index.yaml").write_text(content, encoding="utf-8")
    status, _, printed = check(root)
    done = mkdocs_build(root)
    assert "Traceback" not in output(done), output(done)
    # Not refused: each gets a page of its own (an actor `index`, a story and a topic called Index).
    assert status == 0 and done.returncode == 0, f"{printed}\n{output(done)}"
    site = root / "site"
    for folder, title in (("who", "Who"), ("stories", "Stories"), ("topics", "Topics")):
        h1 = [text(h) for h in soup_of(site / folder / "index.html").find_all("h1")]
        assert h1 == [title], f"{folder}/index.html was replaced: h1 {h1!r}"
    page_path = site / "briefings" / "2024-08-25-index" / "index.html"
    article = soup_of(page_path).select_one("article.bf")
    assert isinstance(article, Tag)
    for selector, wanted in (
        (".bf-who .bf-name", "William Burns"),
        (".bf-story", "Index"),
        (".bf-topic-links .bf-topics a", "index"),
    ):
        target = resolve(page_path, article.select_one(selector)["href"], site)
        assert target.is_file(), selector
        assert [text(h) for h in soup_of(target).find_all("h1")] == [wanted], (selector, target)
