"""What is under briefings/ (links, pipes, folders), and checking some files against the whole collection."""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.format.findings import Finding, got
from generator.rules import collection as collection_module
from generator.rules.collection import (
    NOT_UNDER_BRIEFINGS,
    SKIPPED_BY_THE_SITE,
    THROUGH_A_FOLDER_LINK,
    Collection,
    check_collection,
    check_named,
    find_root,
)
from generator.rules.validate import CheckedFile
from tests.conftest import MINIMAL, SEED

OLD = "briefings/2024-08-25-old.yaml"
NEW = "briefings/2024-08-26-new.yaml"
#: MINIMAL on the next day, with William Burns (a person by default in MINIMAL) an organization, at 7:11.
NEW_TEXT = MINIMAL.replace("date: 2024-08-25", "date: 2024-08-26").replace(
    "    role: Director, CIA\n", "    role: Director, CIA\n    kind: organization\n"
)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A repository root inside tmp_path (so that tmp_path holds files outside it), as the working folder.

    Each test fails after 20 seconds instead of hanging, should anything open a FIFO.
    """
    root = tmp_path / "repo"
    (root / "briefings").mkdir(parents=True)
    (root / "seeds").mkdir()
    shutil.copy(SEED, root / "seeds" / SEED.name)
    monkeypatch.chdir(root)

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("blocked: a FIFO was opened")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    yield root
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _write(root: Path, path: str, text: str = MINIMAL) -> Path:
    full = root / path
    full.parent.mkdir(parents=True, exist_ok=True)
    full.write_text(text, encoding="utf-8")
    return full


def _lines(collection: Collection) -> list[str]:
    return [f.format() for f in collection.findings]


def _file_error(path: str, message: str) -> str:
    return f"{path}:1:1: error: file: {message}"


# --- what is under briefings/ ---------------------------------------------------


def test_a_link_to_a_file_outside_the_repository_is_an_error_and_not_published(root: Path) -> None:
    """A link to /etc/passwd, or to any file outside the root, is never read or published."""
    outside = _write(root.parent, "outside.yaml")
    (root / "briefings" / "2024-08-25-out.yaml").symlink_to(outside)
    collection = check_collection([root / "briefings"], root)
    assert _lines(collection) == [
        _file_error("briefings/2024-08-25-out.yaml", f"a symbolic link to outside the repository {got(str(outside))}")
    ]
    assert collection.briefings == []


def test_a_relative_link_out_of_the_repository_is_refused_too(root: Path) -> None:
    """`../../outside.yaml` leads out just the same."""
    _write(root.parent, "outside.yaml")
    (root / "briefings" / "2024-08-25-out.yaml").symlink_to("../../outside.yaml")
    assert _lines(check_collection([root / "briefings"], root)) == [
        _file_error(
            "briefings/2024-08-25-out.yaml", "a symbolic link to outside the repository (got '../../outside.yaml')"
        )
    ]


def test_a_link_to_a_regular_file_inside_the_repository_is_a_briefing(root: Path) -> None:
    """Allowed: the link's name is the slug, the file it points to the content."""
    _write(root, "drafts/cairo.yaml")
    (root / "briefings" / "2024-08-25-cairo-talks.yaml").symlink_to("../drafts/cairo.yaml")
    collection = check_collection([root / "briefings"], root)
    assert collection.findings == []
    assert [b.slug for b in collection.briefings] == ["2024-08-25-cairo-talks"]


def test_a_dangling_link_is_an_error(root: Path) -> None:
    """A link to nothing is reported, not skipped."""
    (root / "briefings" / "2024-08-25-gone.yaml").symlink_to("2024-08-25-deleted.yaml")
    assert _lines(check_collection([root / "briefings"], root)) == [
        _file_error(
            "briefings/2024-08-25-gone.yaml",
            "a dangling symbolic link: what it points to does not exist (got '2024-08-25-deleted.yaml')",
        )
    ]


def test_a_link_loop_is_an_error_and_is_not_followed(root: Path) -> None:
    """Two links pointing at each other: one error each, and the check ends."""
    (root / "briefings" / "2024-08-25-a.yaml").symlink_to("2024-08-25-b.yaml")
    (root / "briefings" / "2024-08-25-b.yaml").symlink_to("2024-08-25-a.yaml")
    assert _lines(check_collection([root / "briefings"], root)) == [
        _file_error("briefings/2024-08-25-a.yaml", "a symbolic link loop (got '2024-08-25-b.yaml')"),
        _file_error("briefings/2024-08-25-b.yaml", "a symbolic link loop (got '2024-08-25-a.yaml')"),
    ]


def test_a_fifo_is_an_error_and_is_never_opened(root: Path) -> None:
    """A named pipe called *.yaml would block a reader forever: it is reported without being opened."""
    os.mkfifo(root / "briefings" / "2024-08-25-pipe.yaml")
    assert _lines(check_collection([root / "briefings"], root)) == [
        _file_error("briefings/2024-08-25-pipe.yaml", "a named pipe (FIFO), not a regular file")
    ]


def test_a_link_to_a_fifo_is_an_error_and_is_never_opened(root: Path) -> None:
    """Through a link, a FIFO inside the repository is still not a briefing."""
    os.mkfifo(root / "pipe")
    (root / "briefings" / "2024-08-25-pipe.yaml").symlink_to("../pipe")
    assert _lines(check_collection([root / "briefings"], root)) == [
        _file_error(
            "briefings/2024-08-25-pipe.yaml",
            "a symbolic link to a named pipe (FIFO), not a regular file (got '../pipe')",
        )
    ]


def test_a_link_to_a_device_is_an_error(root: Path) -> None:
    """/dev/null is outside the repository, and never read."""
    (root / "briefings" / "2024-08-25-null.yaml").symlink_to("/dev/null")
    assert _lines(check_collection([root / "briefings"], root)) == [
        _file_error("briefings/2024-08-25-null.yaml", "a symbolic link to outside the repository (got '/dev/null')")
    ]


def test_a_link_to_a_folder_is_an_error_and_is_not_followed(root: Path) -> None:
    """Whatever it is called and wherever it points, a folder link is reported and nothing under it is read."""
    _write(root, "archive/2024-08-25-cairo-talks.yaml")
    (root / "briefings" / "2023").symlink_to("../archive")
    (root / "briefings" / "loop").symlink_to(".")
    collection = check_collection([root / "briefings"], root)
    message = "a symbolic link to a folder, which is not followed: move the files into briefings/"
    assert _lines(collection) == [
        _file_error("briefings/2023", f"{message} (got '../archive')"),
        _file_error("briefings/loop", f"{message} (got '.')"),
    ]
    assert collection.briefings == []


def test_briefings_itself_as_a_link_is_an_error(root: Path) -> None:
    """The walk does not follow briefings/ when it is a symbolic link, even to a folder inside the repository."""
    os.rename(root / "briefings", root / "content")
    (root / "briefings").symlink_to("content")
    _write(root, "content/2024-08-25-cairo-talks.yaml")
    assert _lines(check_collection([root / "briefings"], root)) == [
        _file_error(
            "briefings",
            "a symbolic link to a folder, which is not followed: move the files into briefings/ (got 'content')",
        )
    ]


def test_named_paths_get_the_same_treatment(root: Path) -> None:
    """A link, a FIFO or a folder link named on the command line is reported just the same."""
    os.mkfifo(root / "briefings" / "2024-08-25-pipe.yaml")
    (root / "briefings" / "2024-08-25-gone.yaml").symlink_to("nowhere.yaml")
    (root / "briefings" / "old").symlink_to(root.parent)
    named = [Path("briefings/2024-08-25-pipe.yaml"), Path("briefings/2024-08-25-gone.yaml"), Path("briefings/old")]
    expected = [
        _file_error(
            "briefings/2024-08-25-gone.yaml",
            "a dangling symbolic link: what it points to does not exist (got 'nowhere.yaml')",
        ),
        _file_error("briefings/2024-08-25-pipe.yaml", "a named pipe (FIFO), not a regular file"),
        _file_error("briefings/old", f"a symbolic link to outside the repository {got(str(root.parent))}"),
    ]
    assert _lines(check_collection(named, root)) == expected
    assert _lines(check_named(named, root)) == expected


# --- finding the root -------------------------------------------------------------


def test_the_root_is_found_upward_as_git_finds_its_own(root: Path) -> None:
    """From the root itself, or any folder under it: the first folder holding briefings/."""
    (root / "briefings" / "2024" / "08").mkdir(parents=True)
    assert find_root(root) == root
    assert find_root(root / "briefings" / "2024" / "08") == root
    assert find_root(root / "seeds") == root


def test_no_root_above_a_folder_without_briefings(tmp_path: Path) -> None:
    """None when no folder up to / holds briefings/."""
    if find_root(tmp_path) is not None:
        pytest.skip("a folder above tmp_path holds briefings/")
    assert find_root(tmp_path / "anywhere") is None


# --- named files against the whole collection ---------------------------------------


def test_a_new_file_named_alone_is_checked_against_the_others(root: Path) -> None:
    """The new briefing gives the actor another kind: reported though only it is named."""
    _write(root, OLD)
    _write(root, NEW, NEW_TEXT)
    collection = check_named([Path(NEW)], root)
    assert _lines(collection) == [
        f"{NEW}:7:11: error: who[0].kind: actor 'william-burns' is an organization here but a person in {OLD}:5:5"
    ]
    assert [f.path for f in collection.files] == [NEW]


def test_the_old_file_named_alone_reports_the_conflict_in_itself(root: Path) -> None:
    """The conflict is placed in the later file; named alone, the earlier file reports it, naming the later."""
    _write(root, OLD)
    _write(root, NEW, NEW_TEXT)
    collection = check_named([Path(OLD)], root)
    assert _lines(collection) == [
        f"{OLD}:5:5: error: who[0].kind: actor 'william-burns' is a person here but an organization in {NEW}:7:11"
    ]
    assert [f.path for f in collection.files] == [OLD]


def test_both_named_is_the_full_check(root: Path) -> None:
    """Naming every file reports what the whole collection reports: each conflict once, in the later file."""
    _write(root, OLD)
    _write(root, NEW, NEW_TEXT)
    full = check_collection([root / "briefings"], root)
    assert (
        _lines(check_named([Path(OLD), Path(NEW)], root))
        == _lines(full)
        == _lines(check_named([Path("briefings")], root))
    )
    assert len(full.findings) == 1


def test_an_unrelated_named_file_gets_no_finding_from_others(root: Path) -> None:
    """Other files' own problems and conflicts are not the named file's."""
    _write(root, OLD)
    _write(root, NEW, NEW_TEXT)
    _write(root, "briefings/2024-08-27-broken.yaml", "title: [")
    _write(
        root,
        "briefings/2024-08-28-fine.yaml",
        MINIMAL.replace("2024-08-25", "2024-08-28").replace("William Burns", "Someone Else"),
    )
    collection = check_named([Path("briefings/2024-08-28-fine.yaml")], root)
    assert collection.findings == []
    assert len(collection.briefings) == 1


@pytest.mark.parametrize("named", ["briefings/a/2024-08-25-cairo.yaml", "briefings/b/2024-08-25-cairo.yaml"])
def test_a_duplicate_slug_is_reported_whichever_file_is_named(root: Path, named: str) -> None:
    """The same slug in two folders: the named file reports it, naming the other."""
    _write(root, "briefings/a/2024-08-25-cairo.yaml")
    _write(root, "briefings/b/2024-08-25-cairo.yaml")
    other = named.replace("/a/", "/x/").replace("/b/", "/a/").replace("/x/", "/b/")
    assert _lines(check_named([Path(named)], root)) == [
        f"{named}:1:1: error: file name: slug '2024-08-25-cairo' is also used by {other}"
    ]


def test_a_cross_file_finding_without_a_mirror_is_reported_when_it_names_the_file(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule across files that only names the other file in its message still reaches the named file."""
    _write(root, OLD)
    _write(root, NEW)

    def across(files: list[CheckedFile], mirrors: dict[Finding, Finding] | None = None) -> list[Finding]:
        return [Finding(NEW, 3, 8, "error", "story", f"same address as 'Gaza' in {OLD}:3:8")]

    monkeypatch.setattr(collection_module, "_across", across)
    assert _lines(check_named([Path(OLD)], root)) == [f"{NEW}:3:8: error: story: same address as 'Gaza' in {OLD}:3:8"]
    third = _write(root, "briefings/2024-08-27-third.yaml", MINIMAL.replace("2024-08-25", "2024-08-27"))
    assert check_named([third], root).findings == []


def test_a_file_named_twice_is_checked_once(root: Path) -> None:
    """`briefing check X X` (or X and its folder) is not a duplicate slug."""
    _write(root, OLD)
    collection = check_named([Path(OLD), root / OLD, Path("briefings")], root)
    assert collection.findings == []
    assert len(collection.files) == 1


def test_a_named_file_outside_briefings_is_checked_and_warned_about(root: Path) -> None:
    """Checked against the collection, and told it will not be published."""
    _write(root, OLD)
    _write(root, "drafts/2024-08-26-new.yaml", NEW_TEXT)
    assert _lines(check_named([Path("drafts/2024-08-26-new.yaml")], root)) == [
        "drafts/2024-08-26-new.yaml:1:1: warning: file: " + NOT_UNDER_BRIEFINGS,
        "drafts/2024-08-26-new.yaml:7:11: error: who[0].kind:"
        f" actor 'william-burns' is an organization here but a person in {OLD}:5:5",
    ]


def test_a_named_file_in_a_hidden_folder_is_warned_about(root: Path) -> None:
    """Hidden folders under briefings/ are not published."""
    _write(root, "briefings/.trash/2024-08-25-cairo.yaml")
    assert _lines(check_named([Path("briefings/.trash/2024-08-25-cairo.yaml")], root)) == [
        "briefings/.trash/2024-08-25-cairo.yaml:1:1: warning: file: " + SKIPPED_BY_THE_SITE
    ]


def test_a_named_file_through_a_folder_link_is_an_error(root: Path) -> None:
    """briefings/old/ a link to a folder elsewhere: what is named through it is not published."""
    _write(root.parent, "elsewhere/2024-08-25-cairo.yaml")
    (root / "briefings" / "old").symlink_to(root.parent / "elsewhere")
    assert _lines(check_named([Path("briefings/old/2024-08-25-cairo.yaml")], root)) == [
        "briefings/old/2024-08-25-cairo.yaml:1:1: error: file: " + THROUGH_A_FOLDER_LINK
    ]


def test_a_named_folder_with_no_briefings_is_an_error(root: Path) -> None:
    """A named folder that holds nothing to check is a mistake worth saying."""
    (root / "briefings" / "2025").mkdir()
    collection = check_named([Path("briefings/2025")], root)
    assert _lines(collection) == ["briefings/2025:1:1: error: no briefing files (*.yaml, *.yml) in this folder"]
    assert collection.files == []


def test_checking_from_a_subfolder_shows_paths_as_given(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths are shown relative to the working folder when inside it, else as reached from it."""
    _write(root, "briefings/2024/2024-08-25-old.yaml")
    _write(root, "briefings/2024/2024-08-26-new.yaml", NEW_TEXT)
    monkeypatch.chdir(root / "briefings" / "2024")
    assert _lines(check_named([Path("2024-08-25-old.yaml")], Path("../.."))) == [
        "2024-08-25-old.yaml:5:5: error: who[0].kind: actor 'william-burns' is a person here but an organization in"
        " 2024-08-26-new.yaml:7:11"
    ]


@pytest.mark.parametrize("threads", [1, 2])
def test_a_large_collection_is_checked_on_every_core_with_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    """Past PARALLEL_FROM files the check runs in processes of their own (forked, or spawned when the
    process runs other threads): the same files, briefings and findings, in the same order, as one at a
    time (errors and a cross-file conflict among them)."""
    import yaml

    monkeypatch.setattr(collection_module.threading, "active_count", lambda: threads)
    count = (collection_module.PARALLEL_FROM if threads == 1 else collection_module.PARALLEL_FROM_SPAWNED) + 20
    (tmp_path / "briefings").mkdir()
    (tmp_path / "seeds").mkdir()
    shutil.copy(SEED, tmp_path / "seeds" / SEED.name)
    for i in range(count):
        data = yaml.safe_load(MINIMAL)
        data["title"] = f"Briefing {i}"
        if i % 97 == 0:
            data["quotes"][0]["text"] = "words that are nowhere in the source"
        if i == 60:
            data["who"][0]["kind"] = "organization"  # the same actor is a person elsewhere
        (tmp_path / "briefings" / f"2024-08-25-b{i:04d}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    both = check_collection([tmp_path / "briefings"], tmp_path)
    monkeypatch.setenv("BRIEFINGS_SERIAL", "1")
    one = check_collection([tmp_path / "briefings"], tmp_path)
    assert [f.path for f in both.files] == [f.path for f in one.files]
    assert [f.briefing for f in both.files] == [f.briefing for f in one.files]
    assert both.findings == one.findings
    assert both.errors >= 2 and len(both.briefings) < count
