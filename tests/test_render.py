"""The generated Markdown: golden files, determinism, and writing only what changed."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.rules.collection import Collection
from generator.site.build import Site, Written, build_site, write_markdown
from generator.site.settings import Settings
from tests.conftest import MINIMAL, PROJECT, SEED

GOLDEN = Path(__file__).resolve().parent / "golden"
SITE_URL = "https://briefings.example.org/"
#: The site of these tests, as the edge makes it from mkdocs.yml.
SETTINGS = Settings.of(SITE_URL)
SLUG = "2024-08-25-cairo-ceasefire-talks-end-without-deal"


@dataclass
class Rendered:
    """What one `briefing render` did: the site it made and what it wrote."""

    site: Site
    files: Written

    @property
    def collection(self) -> Collection:
        return self.site.collection

    @property
    def written(self) -> list[str]:
        return self.files.written

    @property
    def deleted(self) -> list[str]:
        return self.files.deleted

    @property
    def unchanged(self) -> int:
        return self.files.unchanged


def generate(root: Path, out: Path, **options: Any) -> Rendered:
    """`briefing render` as a function: build the site, write its Markdown into `out`."""
    site = build_site(root, **options)
    return Rendered(site, write_markdown(site, out))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The project's briefings and seeds; `briefing render` writes into out/."""
    shutil.copytree(PROJECT / "briefings", tmp_path / "briefings")
    shutil.copytree(PROJECT / "seeds", tmp_path / "seeds")
    return tmp_path


@pytest.mark.parametrize(
    "page",
    [
        f"briefings/{SLUG}/index.md",
        "briefings/index.md",
        "index.md",
        "who/hassan-nasrallah/index.md",
        "who/index.md",
        "stories/israel-hamas-war/index.md",
        "topics/gaza-ceasefire/index.md",
        "feed.xml",
        "briefings.json",
    ],
)
def test_seed_briefing_markdown_matches_golden(project: Path, page: str, request: pytest.FixtureRequest) -> None:
    """The pages of the seed briefing are exactly the golden files (`pytest --update-golden` rewrites them)."""
    generate(project, project / "out", settings=SETTINGS)
    produced = (project / "out" / page).read_text(encoding="utf-8")
    golden = GOLDEN / page.replace("/", "__")
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(produced, encoding="utf-8")
    assert produced == golden.read_text(encoding="utf-8")


def test_output_is_byte_identical_and_written_only_when_changed(project: Path) -> None:
    """A second run writes nothing and leaves every file as it was."""
    first = generate(project, project / "out", settings=SETTINGS)
    assert {
        f"briefings/{SLUG}/index.md",
        "briefings/index.md",
        "index.md",
        "who/hamas/index.md",
        "stories/index.md",
    } <= set(first.written)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (project / "out").rglob("*") if p.is_file()}
    assert len(before) == len(first.written) + 1  # and the manifest
    second = generate(project, project / "out", settings=SETTINGS)
    assert second.written == [] and second.deleted == [] and second.unchanged == len(first.written)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (project / "out").rglob("*") if p.is_file()}
    assert after == before


def test_an_edit_rewrites_only_the_pages_it_changes(project: Path) -> None:
    """Editing a briefing rewrites its page and the lists that show it, nothing else."""
    (project / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    (project / "briefings" / "2024-08-20-older.yaml").write_text(
        MINIMAL.replace("2024-08-25", "2024-08-20"), encoding="utf-8"
    )
    generate(project, project / "out", settings=SETTINGS)
    path = project / "briefings" / "2024-08-20-older.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("The talks ended", "The round ended"), encoding="utf-8")
    written = generate(project, project / "out", settings=SETTINGS).written
    assert written == ["briefings.json", "briefings/2024-08-20-older/index.md"]


def test_stale_pages_are_removed_and_drafts_only_published_on_request(project: Path) -> None:
    """A deleted briefing's page goes; a draft is written with drafts=True and removed without."""
    generate(project, project / "out", settings=SETTINGS)
    source = project / "briefings" / "2024" / f"{SLUG}.yaml"
    source.write_text(source.read_text(encoding="utf-8") + "draft: true\n", encoding="utf-8")
    with_drafts = generate(project, project / "out", settings=Settings.of(SITE_URL, drafts=True))
    assert with_drafts.deleted == []
    page = (project / "out" / "briefings" / SLUG / "index.md").read_text(encoding="utf-8")
    assert "Draft: shown by mkdocs serve only" in page
    without = generate(project, project / "out", settings=SETTINGS)
    assert f"briefings/{SLUG}/index.md" in without.deleted and "who/hamas/index.md" in without.deleted
    assert "Cairo" not in (project / "out" / "index.md").read_text(encoding="utf-8")


def test_problems_page_in_serve_mode(project: Path) -> None:
    """With problems=True, a briefing in error gets a page that lists its findings."""
    source = project / "briefings" / "2024" / f"{SLUG}.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("quotes:", "quotse:"), encoding="utf-8")
    result = generate(project, project / "out", settings=SETTINGS, problems=True)
    assert result.collection.errors == 1
    page = (project / "out" / "briefings" / SLUG / "index.md").read_text(encoding="utf-8")
    assert "This briefing has errors" in page
    assert "quotse&#58; unknown key" in page


def test_the_command_spools_each_page_and_writes_what_the_whole_site_in_memory_writes(project: Path) -> None:
    """`briefing render` writes each page to a spool as it is made (never all held): the folder it writes is
    byte for byte the one written from the whole site held in memory."""
    from click.testing import CliRunner

    from generator.edge.cli import main

    (project / "mkdocs.yml").write_text(
        "site_name: Briefings\nsite_url: https://briefings.example.org/\n", encoding="utf-8"
    )
    held = generate(project, project / "held", settings=SETTINGS)
    assert held.written
    done = CliRunner().invoke(main, ["render", "--root", str(project), "--out", str(project / "spooled")])
    assert done.exit_code == 0, done.output

    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    assert files(project / "spooled") == files(project / "held")
