"""Who approved it (issue 21, item 5): "Reviewed by …" read from git, on a real built site."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from generator.edge.reviewers import ReviewersError, reviewers
from tests.conftest import SEED
from tests.sitebuild import build, make_project, page, text, write_briefing


def _git(root: Path, *args: str, name: str = "Alice", committer: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": f"{name.lower()}@example.org",
        "GIT_COMMITTER_NAME": committer or name,
        "GIT_COMMITTER_EMAIL": f"{(committer or name).lower()}@example.org",
        "GIT_AUTHOR_DATE": "2024-09-01T12:00:00Z",
        "GIT_COMMITTER_DATE": "2024-09-01T12:00:00Z",
    }
    subprocess.run(["git", *args], cwd=root, check=True, env=env, capture_output=True)


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A repository whose three briefings reached main three ways: a merged pull request (merged by Carol), a
    rebase merge (committed by Erin), and a squash merge (committed by GitHub)."""
    root = make_project(tmp_path / "repo", briefings=False)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - briefings\n", "  - briefings:\n      reviewed_by: true\n", 1),
        encoding="utf-8",
    )
    slugs = {
        name: write_briefing(root, day, name)
        for name, day in (("merged", "2024-08-25"), ("rebased", "2024-08-26"), ("squashed", "2024-08-27"))
    }
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "start")
    _git(root, "checkout", "-qb", "feature")
    merged = root / "briefings" / f"{slugs['merged']}.yaml"
    merged.write_text(merged.read_text(encoding="utf-8").replace("Summary of", "A summary of"), encoding="utf-8")
    _git(root, "commit", "-qam", "edit", name="Bob")
    _git(root, "checkout", "-q", "main")
    _git(root, "merge", "-q", "--no-ff", "feature", "-m", "Merge pull request #1", name="Carol")
    for slug, author, committer in ((slugs["rebased"], "Dave", "Erin"), (slugs["squashed"], "Frank", "GitHub")):
        path = root / "briefings" / f"{slug}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("Summary of", "A summary of"), encoding="utf-8")
        _git(root, "commit", "-qam", "edit", name=author, committer=committer)
    return root, slugs


def test_git_says_who_merged_each_briefings_last_change(history: tuple[Path, dict[str, str]]) -> None:
    root, slugs = history
    assert reviewers(root) == {slugs["merged"]: "Carol", slugs["rebased"]: "Erin"}


def test_the_page_and_the_export_say_reviewed_by(history: tuple[Path, dict[str, str]]) -> None:
    root, slugs = history
    build(root)
    shown = page(root, f"briefings/{slugs['merged']}/").select_one(".bf-reviewed")
    assert shown is not None and text(shown) == "Reviewed by Carol"
    assert page(root, f"briefings/{slugs['squashed']}/").select_one(".bf-reviewed") is None  # git records no one
    exported = json.loads((root / "site" / "briefings.json").read_text(encoding="utf-8"))["briefings"]
    assert {b["slug"]: b.get("reviewed_by") for b in exported} == {
        slugs["merged"]: "Carol",
        slugs["rebased"]: "Erin",
        slugs["squashed"]: None,
    }


def test_a_shallow_clone_is_named_and_stops_a_strict_build(
    history: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, _ = history
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", root.as_uri(), str(clone)], check=True, capture_output=True)
    with pytest.raises(ReviewersError, match="the clone is shallow"):
        reviewers(clone)
    (clone / "seeds").mkdir(exist_ok=True)
    (clone / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    done = build(clone, check=False)
    assert done.returncode != 0
    assert "briefings: reviewed_by: the clone is shallow" in done.stderr and "Traceback" not in done.stderr


def test_a_name_cannot_forge_a_reviewer_nor_carry_controls(history: tuple[Path, dict[str, str]]) -> None:
    """An author whose name holds the characters a parser might split on, or bidirectional controls, reviews
    nothing: a commit of their own, committed by GitHub (a squash merge), names no one; a merger's controls go."""
    root, slugs = history
    path = root / "briefings" / f"{slugs['squashed']}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "why: Forged.\n", encoding="utf-8")
    _git(root, "commit", "-qam", "forge", name="Eve\x1eaaaa bbbb\x1fMallory the Editor\x1f", committer="GitHub")
    path = root / "briefings" / f"{slugs['rebased']}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "why: Again.\n", encoding="utf-8")
    _git(root, "commit", "-qam", "again", name="Dave", committer="Bob \u202eevil\u202c")
    found = reviewers(root)
    assert slugs["squashed"] not in found
    assert found[slugs["rebased"]] == "Bob evil"
