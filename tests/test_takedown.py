"""Taking things down and holding them back (issue 21): embargoes and retractions, on real built sites."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.edge.cli import main
from tests.conftest import SEED
from tests.sitebuild import build, make_project, write_briefing

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
