"""Every `briefing` command, each of its options, and every option of the MkDocs plugin is documented in
docs/ (the site's own guides), by its name as a user types it."""

from __future__ import annotations

import pytest

from generator.edge.cli import main
from generator.edge.plugin import BriefingsConfig
from tests.conftest import PROJECT

DOCS = "\n".join(path.read_text(encoding="utf-8") for path in sorted((PROJECT / "docs").rglob("*.md")))

OPTIONS = [
    (name, option)
    for name, command in sorted(main.commands.items())
    for parameter in command.params
    for option in [*parameter.opts, *parameter.secondary_opts]
    if option.startswith("--") and option != "--help"
]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_each_command_is_documented(name: str) -> None:
    assert f"briefing {name}" in DOCS


@pytest.mark.parametrize(("name", "option"), OPTIONS, ids=[f"{n} {o}" for n, o in OPTIONS])
def test_each_option_of_each_command_is_documented(name: str, option: str) -> None:
    assert f"`{option}" in DOCS or f"{option} " in DOCS or f"{option}`" in DOCS


@pytest.mark.parametrize("option", sorted(name for name, _ in BriefingsConfig._schema))
def test_each_option_of_the_plugin_is_documented(option: str) -> None:
    assert f"`{option}`" in DOCS


def test_the_lists_are_not_empty() -> None:
    assert len(main.commands) >= 6 and len(OPTIONS) >= 10 and len(BriefingsConfig._schema) >= 5
