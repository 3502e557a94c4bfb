"""Holes found by attacking issue 16's work (a pull request's files, a hostile cache), each failing before its fix.

- A symbolic link at the cache root itself (or at a folder above `briefing render`'s folder, such as a
  committed `build` link) is followed: the build writes its stores through it, outside the cache root.
- Names a reader cannot tell apart pass `briefing check --strict` without a warning when the difference is
  an invisible or Common-script character (soft hyphen, no-break space, a mathematical letter).
- `briefing diff` never lists a file under briefings/ that is not a briefing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from generator.store.cache import cache_root
from tests.conftest import MINIMAL, SEED
from tests.sitebuild import build, make_project
from tests.test_diff import git


def _tree(top: Path) -> dict[str, object]:
    found: dict[str, object] = {}
    for folder, dirs, names in os.walk(top):
        for name in [*dirs, *names]:
            path = Path(folder, name)
            found[str(path.relative_to(top))] = os.readlink(path) if path.is_symlink() else path.is_dir()
    return found


def _briefing(tool: str) -> str:
    return str(Path(sys.executable).with_name(tool))


def test_a_link_at_the_cache_root_is_not_written_through(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    outside = tmp_path / "outside"
    outside.mkdir()
    link = cache_root(root.resolve())  # what the build computes, before it resolves it
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside, target_is_directory=True)
    build(root, check=False)
    assert sorted(p.name for p in outside.iterdir()) == [], "the build wrote its stores through the link"


def test_briefing_render_does_not_write_through_a_committed_build_link(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "build").symlink_to("../outside", target_is_directory=True)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "add", "-f", "build")
    git(root, "commit", "-qm", "a pull request")
    before = _tree(outside)
    subprocess.run([_briefing("briefing"), "render"], cwd=root, capture_output=True, text=True, check=False)
    assert _tree(outside) == before, "render wrote through the committed link `build`"


def test_plugin_cache_dir_in_the_checkout_is_not_written_through_a_committed_link(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - briefings\n", "  - briefings:\n      cache_dir: build/cache\n", 1
        ),
        encoding="utf-8",
    )
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "build").symlink_to("../outside", target_is_directory=True)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "add", "-f", "build")
    git(root, "commit", "-qm", "a pull request")
    env = {k: v for k, v in os.environ.items() if k != "BRIEFINGS_CACHE_DIR"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env, capture_output=True, check=False
    )
    assert sorted(p.name for p in outside.iterdir()) == [], "the build wrote its cache through the committed link"


def _repo_with_actors(tmp_path: Path, names: list[str]) -> Path:
    root = tmp_path / "repo"
    (root / "briefings").mkdir(parents=True)
    (root / "seeds").mkdir()
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    for number, name in enumerate(names):
        data = yaml.safe_load(MINIMAL)
        data.update(
            title=f"Briefing {number}",
            date=f"2024-08-{10 + number}",
            who=[{"name": name, "id": f"actor-{number}", "role": "x", "kind": "organization"}],
        )
        path = root / "briefings" / f"2024-08-{10 + number}-b{number}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def test_names_that_differ_by_an_invisible_or_common_script_character_are_warned(tmp_path: Path) -> None:
    # Each looks exactly like the first on the site (the no-break space is even folded into a space there).
    names = ["Hamas", "Ha\u00admas", "H\U0001d41amas", "Hamas\u034f", "William Burns", "William\u00a0Burns"]
    root = _repo_with_actors(tmp_path, names)
    done = subprocess.run(
        [_briefing("briefing"), "check", "--strict", "--format", "json"], cwd=root, capture_output=True, text=True
    )
    findings = json.loads(done.stdout)
    warned = {f["path"].rsplit("/", 1)[-1] for f in findings if "looks like" in f["message"]}
    missed = [
        repr(name)
        for number, name in enumerate(names)
        if name not in ("Hamas", "William Burns") and f"2024-08-{10 + number}-b{number}.yaml" not in warned
    ]
    assert not missed, f"no warning for look-alike names: {', '.join(missed)}"


def test_briefing_diff_lists_a_file_under_briefings_that_is_not_a_briefing(tmp_path: Path) -> None:
    root = _repo_with_actors(tmp_path, ["Hamas"])
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    (root / "briefings" / "payload.py").write_text("print('unseen')\n", encoding="utf-8")
    done = subprocess.run(
        [_briefing("briefing"), "diff", "HEAD", "--format", "json"], cwd=root, capture_output=True, text=True
    )
    paths = [p["path"] for p in json.loads(done.stdout)["paths"]]
    assert "briefings/payload.py" in paths, f"briefing diff does not show briefings/payload.py (paths: {paths})"


def test_a_docs_link_out_of_the_project_stops_the_build(tmp_path: Path) -> None:
    """A link in docs/ to a file of the build machine (`docs/leak.txt -> /etc/os-release`) is never
    published: the build stops, naming it. A link to a file inside the project is fine."""
    root = make_project(tmp_path / "project")
    secret = tmp_path / "machine.txt"
    secret.write_text("a file of the build machine\n", encoding="utf-8")
    (root / "docs" / "inside.md").symlink_to(root / "docs" / "about.md")
    done = build(root, check=False)
    assert done.returncode == 0, done.stderr
    (root / "docs" / "leak.txt").symlink_to(secret)
    done = build(root, check=False)
    assert done.returncode != 0 and "leak.txt in docs/ lead(s), through a symbolic link, outside" in done.stderr
    assert not any(b"build machine" in p.read_bytes() for p in (root / "site").rglob("*") if p.is_file())
