"""Shared fixtures: a throwaway repository with the seed article, and a way to check one text."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from generator.format.findings import Finding
from generator.rules.collection import check_collection
from generator.store.cache import ENV_VAR

PROJECT = Path(__file__).resolve().parent.parent
SEED = PROJECT / "seeds" / "000_548c9463dc2f8344.txt"
SEED_BRIEFING = PROJECT / "briefings" / "2024" / "2024-08-25-cairo-ceasefire-talks-end-without-deal.yaml"

#: A small valid briefing; tests change one thing in it.
MINIMAL = """\
title: Cairo talks end without a deal
date: 2024-08-25
summary: High-level talks in Cairo concluded on Sunday without a final agreement.
who:
  - name: William Burns
    role: Director, CIA
what:
  - The talks ended without agreement.
numbers:
  - value: 270
    label: sites targeted
    evidence: Israeli planes targeted 270 sites
quotes:
  - text: constructive
    speaker: U.S. official
sources:
  - title: Wire report
    file: seeds/000_548c9463dc2f8344.txt
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository root with briefings/ and seeds/ holding the seed article."""
    (tmp_path / "briefings").mkdir()
    (tmp_path / "seeds").mkdir()
    shutil.copy(SEED, tmp_path / "seeds" / SEED.name)
    return tmp_path


CheckText = Callable[..., list[Finding]]


@pytest.fixture
def check_text(repo: Path) -> CheckText:
    """Write a text as a briefing in `repo` and return its findings."""

    def run(text: str | bytes, name: str = "2024-08-25-cairo-talks.yaml") -> list[Finding]:
        path = repo / "briefings" / name
        if isinstance(text, str):
            text = text.encode("utf-8")
        path.write_bytes(text)
        return check_collection([path], repo).findings

    return run


@pytest.fixture(scope="session", autouse=True)
def cache_outside_checkouts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every build of the tests keeps its state in the test run's temporary folder, never the user's cache:
    a sub-folder per project there (`generator.store.cache.cache_root`), as for any user."""
    folder = tmp_path_factory.mktemp("briefings-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_VAR, str(folder))
        yield folder


def fields(findings: list[Finding], severity: str = "error") -> list[str]:
    """The field paths of the findings of one severity, in order."""
    return [f.field for f in findings if f.severity == severity]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden/ from the current output.")


# In CI, property tests run the same examples every time: a failure there is reproducible,
# never a matter of luck. Locally they explore anew on each run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
