"""Taking things down and holding them back (issue 21): embargoes and retractions, on real built sites."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from generator.edge.cli import main
from tests.conftest import SEED
from tests.sitebuild import build, cache_of, make_project, page, publish_sources, text, write_briefing

#: The embargo of the held briefing, and the build moments on either side of it.
LIFTS = dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.UTC)
BEFORE = str(int(LIFTS.timestamp()) - 1)
AT = str(int(LIFTS.timestamp()))
WORD = "Zanzibarquux"


def _everything_under(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, a gzipped one's (the search index's fragments, the sitemap's copy) unpacked."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found[str(path.relative_to(folder))] = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    return found


def _holding(folder: Path, word: str) -> list[str]:
    """The files under `folder` that hold `word` (in their bytes, or their names)."""
    return [name for name, data in _everything_under(folder).items() if word.encode() in data or word.lower() in name]


@pytest.fixture
def embargoed(tmp_path: Path) -> tuple[Path, str]:
    root = make_project(tmp_path / "site", briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    write_briefing(root, "2029-12-30", "open news")
    slug = write_briefing(root, "2029-12-31", WORD, publish_at="2030-01-01T10:00:00+01:00")
    return root, slug


def test_an_embargoed_briefing_is_in_no_output_before_its_moment(embargoed: tuple[Path, str]) -> None:
    root, slug = embargoed
    build(root, env={"SOURCE_DATE_EPOCH": BEFORE})
    assert _holding(root / "site", WORD) == []
    assert not (root / "site" / "briefings" / slug).exists()
    assert _holding(root / "site", "open-news") != []  # the rest of the site is there


def test_an_embargoed_briefing_is_published_from_its_moment_in_every_channel(embargoed: tuple[Path, str]) -> None:
    root, slug = embargoed
    build(root, env={"SOURCE_DATE_EPOCH": BEFORE})
    build(root, env={"SOURCE_DATE_EPOCH": AT})  # the next build after the embargo lifts, warm
    holding = set(_holding(root / "site", WORD))
    assert f"briefings/{slug}/index.html" in holding
    assert {"feed.xml", "briefings.json", "index.html", "briefings/index.html"} <= holding
    assert any(name.startswith("pagefind/fragment/") for name in holding), holding
    assert f"briefings/{slug}/" in (root / "site" / "sitemap.xml").read_text(encoding="utf-8")


def test_the_same_moment_gives_the_same_bytes(embargoed: tuple[Path, str]) -> None:
    root, _ = embargoed
    build(root, "--site-dir", "one", env={"SOURCE_DATE_EPOCH": AT})
    build(root, "--site-dir", "two", env={"SOURCE_DATE_EPOCH": AT})
    assert _everything_under(root / "one") == _everything_under(root / "two")


def test_a_bad_source_date_epoch_stops_the_build_with_its_value(embargoed: tuple[Path, str]) -> None:
    root, _ = embargoed
    done = build(root, env={"SOURCE_DATE_EPOCH": "tomorrow"}, check=False)
    assert done.returncode != 0
    assert "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (got 'tomorrow')" in done.stderr
    assert "Traceback" not in done.stderr


def test_briefing_check_lists_the_embargoes_still_to_lift(
    embargoed: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, slug = embargoed
    monkeypatch.chdir(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(LIFTS.timestamp()) - 90 * 60))
    done = CliRunner().invoke(main, ["check"])
    assert done.exit_code == 0, done.output
    assert done.stderr.splitlines()[-1] == (
        f"briefings/{slug}.yaml: embargoed until 2030-01-01T10:00:00+01:00 (lifts in 1 h 30 min)"
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", AT)
    assert "embargoed" not in CliRunner().invoke(main, ["check"]).stderr


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "2030-01-01 10:00",
            "expected a date and time with its zone, YYYY-MM-DDTHH:MM[:SS]+HH:MM or Z (got '2030-01-01 10:00')",
        ),
        ("2030-02-30T10:00Z", "no such date and time (got '2030-02-30T10:00Z')"),
        ("1969-12-31T23:00Z", "must be from 1970-01-01 to 2099-12-31 (got '1969-12-31T23:00Z')"),
    ],
)
def test_a_publish_at_without_a_zone_or_out_of_range_is_an_error(
    tmp_path: Path, written: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "site", briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    slug = write_briefing(root, "2029-12-31", "held")
    path = root / "briefings" / f"{slug}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"publish_at: '{written}'\n", encoding="utf-8")
    monkeypatch.chdir(root)
    done = CliRunner().invoke(main, ["check"])
    line = len(path.read_text(encoding="utf-8").splitlines())
    assert done.output.splitlines()[0] == f"briefings/{slug}.yaml:{line}:13: error: publish_at: {message}"


# --- retraction -------------------------------------------------------------------------------------------

REASON = "The filing it relied on was forged."


@pytest.fixture(scope="module")
def retracted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A site of two briefings in one story and topic, the newer retracted; built twice (cold, then warm)."""
    root = make_project(tmp_path_factory.mktemp("retracted"), briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    write_briefing(root, "2024-08-25", "kept news", story="Talks", topics=["Diplomacy"])
    slug = write_briefing(
        root,
        "2024-08-26",
        "Quokkaword",
        story="Talks",
        topics=["Diplomacy"],
        retracted={"date": "2024-09-02", "reason": REASON},
    )
    build(root)
    build(root)
    return root, slug


def test_a_retracted_briefing_keeps_its_address_as_a_notice_and_nothing_more(retracted: tuple[Path, str]) -> None:
    root, slug = retracted
    notice = page(root, f"briefings/{slug}/")
    body = notice.select_one("article.bf-retracted")
    assert body is not None
    assert text(body.select_one("h1")) == "Briefing Quokkaword"
    assert text(body.select_one(".bf-retracted-notice")).startswith("Retracted on 2 September 2024 .")
    assert text(body.select_one(".bf-retracted-reason")) == REASON
    assert "Summary of Quokkaword" not in str(notice)  # no body
    assert not notice.select(".bf-quote, .bf-figure, .bf-receipt, [data-pagefind-body]")
    assert notice.select_one('meta[name="robots"]')["content"] == "noindex"


def test_a_retracted_briefing_leaves_every_list_search_story_and_the_sitemap(retracted: tuple[Path, str]) -> None:
    root, slug = retracted
    site = root / "site"
    holding = set(_holding(site, "Quokkaword")) | set(_holding(site, slug))
    # Only its notice, the corrections list, the feed (the entry updated) and the export name it.
    assert holding == {
        f"briefings/{slug}/index.html",
        "corrections/index.html",
        "feed.xml",
        "briefings.json",
    }, holding
    assert _holding(site, "kept-news") != []  # the other briefing is everywhere it was


def test_the_feed_carries_the_retraction_as_an_update_and_the_export_keeps_it_marked(
    retracted: tuple[Path, str],
) -> None:
    root, slug = retracted
    feed = BeautifulSoup((root / "site" / "feed.xml").read_bytes(), "xml")
    entry = next(e for e in feed.find_all("entry") if e.id.get_text().endswith(f"/briefings/{slug}/"))
    assert entry.title.get_text() == "Retracted: Briefing Quokkaword"
    assert entry.summary.get_text() == f"Retracted on 2024-09-02: {REASON}"
    assert entry.updated.get_text().startswith("2024-09-02")
    exported = json.loads((root / "site" / "briefings.json").read_text(encoding="utf-8"))
    one = next(b for b in exported["briefings"] if b["slug"] == slug)
    assert one["retracted"] == {"date": "2024-09-02", "reason": REASON}


def test_the_corrections_page_lists_the_retraction(retracted: tuple[Path, str]) -> None:
    root, slug = retracted
    item = page(root, "corrections/").select_one("li.bf-retraction")
    assert item is not None
    assert text(item) == f"2 September 2024 · Retracted · Briefing Quokkaword {REASON}"
    assert item.select_one("a")["href"] == f"../briefings/{slug}/"


def test_briefing_diff_shows_a_retraction_and_an_embargo_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "repo", briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    slug = write_briefing(root, "2024-08-26", "to be withdrawn")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=root, check=True)
    path = root / "briefings" / f"{slug}.yaml"
    added = f"publish_at: '2030-01-01T10:00:00+01:00'\nretracted:\n  date: 2024-09-02\n  reason: {REASON}\n"
    path.write_text(path.read_text(encoding="utf-8") + added, encoding="utf-8")
    monkeypatch.chdir(root)
    done = CliRunner().invoke(main, ["diff", "HEAD"])
    lines = [line.replace("\u2068", "").replace("\u2069", "") for line in done.output.splitlines()]
    assert "  - embargoed until 2030-01-01T10:00:00+01:00: not published before then" in lines
    assert (
        "  - RETRACTED on 2024-09-02: the page becomes a notice and the briefing leaves every list, search and the"
        " sitemap" in lines
    )
    assert f'      reason: "{REASON}"' in lines


# --- legal removal ------------------------------------------------------------------------------------------


def test_a_deleted_briefing_leaves_no_trace_in_the_site_or_the_kept_cache(tmp_path: Path) -> None:
    """Built twice (so that its finished page is kept), then deleted and built once more, warm: none of its words
    and not its address is anywhere under site/ or in the build's cache, its share image included."""
    root = make_project(tmp_path / "site", briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    write_briefing(root, "2024-08-25", "kept news", story="Talks", topics=["Diplomacy"])
    slug = write_briefing(root, "2024-08-26", "Libelword", story="Talks", topics=["Diplomacy"])
    build(root)
    build(root)
    cache = cache_of(root)
    assert _holding(root / "site", "Libelword") and _holding(cache, "Libelword")  # it was there
    cards = {p.name for p in (root / "site" / "briefings" / slug).glob("card-*.png")}
    assert cards
    (root / "briefings" / f"{slug}.yaml").unlink()
    build(root)
    for folder in (root / "site", cache):
        assert _holding(folder, "Libelword") == [], folder
        assert _holding(folder, slug) == [], folder
        assert not [p for p in folder.rglob("card-*.png") if p.name in cards], folder
    assert _holding(root / "site", "kept-news") != []


def _removing(root: Path, *slugs: str) -> None:
    """The plugin's `removed` option in the project's mkdocs.yml."""
    config = root / "mkdocs.yml"
    before = config.read_text(encoding="utf-8")
    listed = "".join(f"\n        - {slug!r}" for slug in slugs)
    after = before.replace("  - briefings\n", f"  - briefings:\n      removed:{listed}\n", 1)
    assert after != before
    config.write_text(after, encoding="utf-8")


def test_a_removed_briefings_address_answers_404_or_a_short_removed_page(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    write_briefing(root, "2024-08-25", "kept news")
    slug = write_briefing(root, "2024-08-26", "Libelword")
    build(root)
    (root / "briefings" / f"{slug}.yaml").unlink()
    build(root)
    assert not (root / "site" / "briefings" / slug).exists()  # the default: the 404
    _removing(root, slug)
    build(root)
    removed = page(root, f"briefings/{slug}/")
    assert text(removed.select_one("article h1")) == "Removed"
    assert (
        text(removed.select_one("article .bf-lede"))
        == "The briefing that was at this address has been removed from Briefings."
    )
    assert removed.select_one('meta[name="robots"]')["content"] == "noindex"
    files = _everything_under(root / "site")
    assert [name for name, data in files.items() if b"Libelword" in data] == []
    # Its address is only its own page's: not in the sitemap, the search index or any list.
    assert [name for name, data in files.items() if slug.encode() in data] == [f"briefings/{slug}/index.html"]


def test_a_removed_item_that_is_not_a_slug_stops_the_build_by_name(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", briefings=False)
    _removing(root, "../../etc")
    done = build(root, check=False)
    assert done.returncode != 0
    assert "removed: each item must be a briefing's slug, YYYY-MM-DD-words (got '../../etc')" in done.stderr
    assert "Traceback" not in done.stderr


# --- rights: what the site may show of a source text ---------------------------------------------------------


@pytest.fixture(scope="module")
def rights(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three briefings citing three copies of the seed, public, excerpts and private, with publish_sources on."""
    root = make_project(tmp_path_factory.mktemp("rights"), briefings=False)
    publish_sources(root)
    for name, level in (("open", "public"), ("wire", "excerpts"), ("closed", "private")):
        # Each copy's words its own: a text cited as private under one name is withheld under every other.
        (root / "seeds" / f"{name}.txt").write_bytes(SEED.read_bytes() + f"\n\nFiled as {name}.\n".encode())
        source = {"title": f"{name.title()} copy", "file": f"seeds/{name}.txt", "rights": level}
        write_briefing(root, "2024-08-25", f"{name} copy", sources=[source])
    build(root)
    return root


def _receipt(root: Path, name: str) -> Any:
    """The receipt of the briefing's figure (its first receipt: the figure comes before the quote)."""
    return page(root, f"briefings/2024-08-25-{name}-copy/").select_one(".bf-receipt")


def test_a_public_source_shows_its_sentence_and_has_its_page(rights: Path) -> None:
    shown = text(_receipt(rights, "open").select_one(".bf-receipt-text"))
    assert "Israeli planes targeted 270 sites" in shown and len(shown) > len("Israeli planes targeted 270 sites") + 20
    assert (rights / "site" / "sources" / "open" / "index.html").is_file()


def test_an_excerpts_source_shows_the_matched_words_only_and_has_no_page(rights: Path) -> None:
    shown = text(_receipt(rights, "wire").select_one(".bf-receipt-text"))
    assert shown.strip("… ") == "Israeli planes targeted 270 sites"
    assert not (rights / "site" / "sources" / "wire").exists()


def test_a_private_source_shows_no_word_and_has_no_page(rights: Path) -> None:
    receipt = _receipt(rights, "closed")
    assert "bf-withheld" in receipt["class"]
    assert text(receipt) == "Checked against Closed copy , a source text that is not published"
    assert not (rights / "site" / "sources" / "closed").exists()
    # Not a word of the text beyond what the briefing itself quotes is anywhere on the site.
    article = SEED.read_text(encoding="utf-8")
    sentence = next(s for s in article.split(". ") if "270 sites" in s)
    holding = [n for n, d in _everything_under(rights / "site").items() if sentence[:60].encode() in d]
    assert not [n for n in holding if "closed" in n], holding


# --- source texts kept outside the repository ---------------------------------------------------------------


@pytest.fixture
def private(tmp_path: Path) -> tuple[Path, Path, str]:
    """A project whose seeds/ is empty, its two briefings' texts in a folder outside it."""
    root = make_project(tmp_path / "repo", briefings=False)
    texts = tmp_path / "private-texts"
    texts.mkdir()
    (texts / SEED.name).write_bytes(SEED.read_bytes())
    (texts / "other.txt").write_bytes(SEED.read_bytes())
    slug = write_briefing(root, "2024-08-25", "private copy")
    write_briefing(root, "2024-08-26", "other copy", sources=[{"title": "Other", "file": "seeds/other.txt"}])
    return root, texts, slug


def test_private_texts_present_verify_and_give_receipts(private: tuple[Path, Path, str]) -> None:
    root, texts, slug = private
    build(root, env={"BRIEFINGS_SOURCES_DIR": str(texts)})
    receipt = page(root, f"briefings/{slug}/").select_one(".bf-receipt-text")
    assert receipt is not None and "Israeli planes targeted 270 sites" in text(receipt)


def test_private_texts_absent_are_notices_naming_what_went_unverified(
    private: tuple[Path, Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, texts, slug = private
    gone = str(texts.parent / "not-checked-out")
    monkeypatch.chdir(root)
    monkeypatch.setenv("BRIEFINGS_SOURCES_DIR", gone)
    done = CliRunner().invoke(main, ["check", "--strict"])
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[:2] == [
        f"briefings/{slug}.yaml:17:1: notice: sources: 1 quote and 1 figure not verified in this run: the source"
        " texts are kept elsewhere (BRIEFINGS_SOURCES_DIR) and are not here",
        f"briefings/{slug}.yaml:18:9: notice: sources[0].file: not verified in this run: the source texts are kept"
        f" in BRIEFINGS_SOURCES_DIR ({gone!r}), which is not there (got 'seeds/000_548c9463dc2f8344.txt')",
    ]
    assert done.stderr.splitlines()[-1] == "2 files checked: 0 errors, 0 warnings, 4 notices (not counted by --strict)"
    build(root, env={"BRIEFINGS_SOURCES_DIR": gone})  # a pull request's preview: built, nothing verified shown
    unchecked = page(root, f"briefings/{slug}/").select_one(".bf-unchecked")
    assert unchecked is not None and text(unchecked) == "Not checked against a source text"


def test_private_texts_partly_present_are_an_error_at_the_missing_file(private: tuple[Path, Path, str]) -> None:
    root, texts, _ = private
    (texts / "other.txt").unlink()
    done = build(root, env={"BRIEFINGS_SOURCES_DIR": str(texts)}, check=False)
    assert done.returncode != 0
    assert "sources[0].file: no such file (got 'seeds/other.txt')" in done.stderr


def _sources_dir(root: Path, value: str) -> None:
    config = root / "mkdocs.yml"
    before = config.read_text(encoding="utf-8")
    after = before.replace("  - briefings\n", f"  - briefings:\n      sources_dir: {value!r}\n", 1)
    assert after != before
    config.write_text(after, encoding="utf-8")


def test_the_plugins_sources_dir_is_a_folder_inside_the_repository_never_in_docs(
    private: tuple[Path, Path, str],
) -> None:
    root, texts, slug = private
    shutil.copytree(texts, root / "private-seeds")  # as a private submodule would be checked out
    _sources_dir(root, "private-seeds")
    env = {"BRIEFINGS_SOURCES_DIR": ""}
    build(root, env=env)
    assert page(root, f"briefings/{slug}/").select_one(".bf-receipt-text") is not None
    for value, message in (
        ("../private-texts", "sources_dir must be a folder inside the repository (a private submodule)"),
        ("docs/texts", "the source texts must be outside docs_dir, which MkDocs publishes"),
    ):
        (root / "mkdocs.yml").write_text(
            (root / "mkdocs.yml")
            .read_text(encoding="utf-8")
            .replace("private-seeds", value)
            .replace("../private-texts", value),
            encoding="utf-8",
        )
        done = build(root, env=env, check=False)
        assert done.returncode != 0 and message in done.stderr and "Traceback" not in done.stderr, done.stderr


# --- hostile text in what this adds ------------------------------------------------------------------------


def test_hostile_reasons_titles_and_reviewers_are_inert_in_every_channel(tmp_path: Path) -> None:
    """Every hostile string of the attack suite as a retraction's title and reason, and as a removed slug's
    neighbour: the notice, /corrections/ and the feed hold each literally, and no page has live markup."""
    from tests.test_attack import HOSTILE, html_files, live_markup, theme_scripts

    root = make_project(tmp_path / "site", briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    slugs = {}
    for number, hostile in enumerate(sorted(HOSTILE.values())):
        day = (dt.date(2024, 1, 1) + dt.timedelta(days=number)).isoformat()
        slug = write_briefing(root, day, f"retracted {number}", retracted={"date": day, "reason": hostile})
        path = root / "briefings" / f"{slug}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["title"] = hostile
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        slugs[slug] = hostile
    write_briefing(root, "2024-12-31", "kept news")
    done = build(root, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    site = root / "site"
    theme = theme_scripts(site)
    ours = [path for path in html_files(site) if path.parent.name in slugs or path.parent.name == "corrections"]
    assert len(ours) == len(slugs) + 1
    problems = [p for path in ours for p in live_markup(path, site, theme)]
    assert not problems, "\n".join(problems[:20])
    feed = BeautifulSoup((site / "feed.xml").read_bytes(), "xml")
    entries = {e.id.get_text().rstrip("/").rsplit("/", 1)[-1]: e for e in feed.find_all("entry")}
    listed = {
        li.select_one("a")["href"].strip("./").rsplit("/", 1)[-1]: li
        for li in page(root, "corrections/").select("li.bf-retraction")
    }
    for slug, hostile in slugs.items():
        notice = page(root, f"briefings/{slug}/")
        plain = " ".join(hostile.split())
        assert text(notice.select_one(".bf-retracted-reason")) == plain, slug
        assert text(notice.select_one("article h1")) == plain, slug
        assert entries[slug].summary.get_text().endswith(hostile.strip()), slug
        assert text(listed[slug].select_one(".bf-correction-text")) == plain, slug


def test_mkdocs_serve_shows_an_embargoed_briefing_as_such(embargoed: tuple[Path, str]) -> None:
    """Drafts shown (as `mkdocs serve` shows them): the embargoed briefing is there, saying until when."""
    root, slug = embargoed
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - briefings\n", "  - briefings:\n      drafts: true\n", 1),
        encoding="utf-8",
    )
    build(root, env={"SOURCE_DATE_EPOCH": BEFORE})
    banner = page(root, f"briefings/{slug}/").select_one(".bf-embargo")
    assert banner is not None
    assert text(banner) == (
        "Embargoed until 2030-01-01 10:00:00+01:00 : shown by mkdocs serve only, published by the first build from"
        " then on"
    )
    build(root, env={"SOURCE_DATE_EPOCH": AT})
    assert page(root, f"briefings/{slug}/").select_one(".bf-embargo") is None


def test_a_private_text_is_withheld_under_any_name_and_from_any_briefing(tmp_path: Path) -> None:
    """Cited as private by one briefing (a draft, even), the text gets no page under another name that a public
    citation gives it (`seeds/./x.txt`, a link to it, a copy of it), and a check's closest passage names no words
    of it."""
    root = make_project(tmp_path / "site", briefings=False)
    publish_sources(root)
    (root / "seeds" / "priv.txt").write_bytes(SEED.read_bytes())
    (root / "seeds" / "alias.txt").symlink_to("priv.txt")
    (root / "seeds" / "copy.txt").write_bytes(SEED.read_bytes())
    private = {"title": "Private", "file": "seeds/priv.txt", "rights": "private"}
    write_briefing(root, "2024-08-25", "held back", sources=[private], draft=True)
    for number, file in enumerate(("seeds/./priv.txt", "seeds//priv.txt", "seeds/alias.txt", "seeds/copy.txt")):
        write_briefing(root, "2024-08-26", f"public {number}", sources=[{"title": "Public", "file": file}])
    build(root)
    assert not (root / "site" / "sources").exists() or not [
        p for p in (root / "site" / "sources").iterdir() if p.is_dir()
    ]
    slug = write_briefing(
        root,
        "2024-08-27",
        "bad quote",
        sources=[private],
        quotes=[{"text": "Israeli planes targeted 280 sites", "speaker": "U.S. official"}],
    )
    monkey = CliRunner().invoke(main, ["check", "--root", str(root)])
    line = next(line for line in monkey.output.splitlines() if f"{slug}.yaml:" in line and "quotes[0].text" in line)
    assert line.endswith("(a private source text: its words are not shown)"), line


def test_a_removed_slug_that_is_still_a_briefing_is_an_error_at_its_file(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    live = write_briefing(root, "2024-08-25", "live")
    held = write_briefing(root, "2024-08-26", "embargoed secret words", publish_at="2099-01-01T00:00:00Z")
    _removing(root, live, held)
    done = build(root, check=False)
    assert done.returncode != 0
    for slug in (live, held):
        assert (
            f"briefings/{slug}.yaml:1:1: error: is listed in the briefings plugin's `removed`, which answers its"
            " address with a Removed page: delete the file, or take its slug off the list"
        ) in done.stderr


@pytest.mark.parametrize("value", ["", "  "])
def test_a_blank_source_date_epoch_stops_the_build_by_name(embargoed: tuple[Path, str], value: str) -> None:
    root, _ = embargoed
    done = build(root, env={"SOURCE_DATE_EPOCH": value}, check=False)
    assert done.returncode != 0
    assert f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (got {value.strip()!r})" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("kind", ["file", "loop", "long"])
def test_a_sources_folder_that_cannot_be_one_is_an_error_at_each_file(
    private: tuple[Path, Path, str], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, texts, slug = private
    if kind == "file":
        where, problem = str(texts / SEED.name), "is not a folder"
    elif kind == "loop":
        (texts.parent / "loop").symlink_to(texts.parent / "loop")
        where, problem = str(texts.parent / "loop"), "cannot be used (Too many levels of symbolic links)"
    else:
        where, problem = "a" * 5000, "cannot be used (File name too long)"
    monkeypatch.chdir(root)
    monkeypatch.setenv("BRIEFINGS_SOURCES_DIR", where)
    done = CliRunner().invoke(main, ["check"])
    assert done.exit_code == 1 and (done.exception is None or isinstance(done.exception, SystemExit))
    shown = repr(where if len(where) <= 120 else where[:119] + "…")
    assert (
        f"briefings/{slug}.yaml:18:9: error: sources[0].file: cannot be read: BRIEFINGS_SOURCES_DIR ({shown})"
        f" {problem} (got 'seeds/000_548c9463dc2f8344.txt')"
    ) in done.output.splitlines()
    built = build(root, env={"BRIEFINGS_SOURCES_DIR": where}, check=False)
    assert built.returncode != 0 and "Traceback" not in built.stderr, built.stderr[-2000:]


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        ("site", "the source texts must be outside site_dir, which MkDocs empties before each build"),
        ("overrides", "the source texts must be outside a folder of the theme, which MkDocs publishes"),
    ],
)
def test_the_source_texts_are_never_where_mkdocs_publishes_or_empties(
    private: tuple[Path, Path, str], folder: str, message: str
) -> None:
    root = private[0]
    (root / folder).mkdir(exist_ok=True)
    (root / folder / "keep.txt").write_text("not ours\n", encoding="utf-8")
    done = build(root, env={"BRIEFINGS_SOURCES_DIR": folder}, check=False)
    assert done.returncode != 0 and message in done.stderr and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert (root / folder / "keep.txt").read_text(encoding="utf-8") == "not ours\n"  # nothing deleted
