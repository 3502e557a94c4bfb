"""The live rebuild's use of MkDocs' private functions (generator/edge/live.py): checked at start-up
against the versions tested; with any other, every edit is a full build, said once in the log."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands import build

from generator.edge import live
from generator.edge.plugin import BriefingsPlugin


def test_the_version_installed_is_one_tested_and_its_functions_are_found() -> None:
    private, why = live.private_functions()
    assert private is not None, why
    assert private.build_page is build._build_page
    assert private.populate_page is build._populate_page
    assert private.build_theme_template is build._build_theme_template


def test_a_version_not_tested_is_refused() -> None:
    private, why = live.private_functions("1.7.0")
    assert private is None
    assert why == "MkDocs 1.7.0 is not a version the live rebuild was tested with (1.6.1)"


def test_a_function_with_other_parameters_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def _build_page(page: Any, config: Any, doc_files: Any, nav: Any, env: Any) -> None:
        raise AssertionError("never called")

    monkeypatch.setattr(build, "_build_page", _build_page)
    private, why = live.private_functions()
    assert private is None
    assert why == (
        "_build_page takes (page, config, doc_files, nav, env),"
        " not (page, config, doc_files, nav, env, dirty, excluded)"
    )


def test_a_missing_function_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(build, "_populate_page")
    private, why = live.private_functions()
    assert private is None
    assert why == "mkdocs.commands.build has no _populate_page"


class _Server:
    """What `Live.serve` uses of MkDocs' LiveReloadServer."""

    def __init__(self) -> None:
        self.builder = "MkDocs' own builder"
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def _plugin_serving(monkeypatch: pytest.MonkeyPatch, version: str | None, root: Path) -> BriefingsPlugin:
    real = live.private_functions
    monkeypatch.setattr(live, "private_functions", lambda: real(version))
    plugin = BriefingsPlugin()
    plugin.on_startup(command="serve", dirty=False)
    plugin.root = root  # no briefings/ or seeds/ to watch
    return plugin


def test_with_the_functions_checked_serve_takes_over_the_rebuilds(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    plugin = _plugin_serving(monkeypatch, None, tmp_path)
    server = _Server()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.briefings"):
        plugin.live.serve(server, None, lambda: None)  # type: ignore[arg-type]
    assert server.builder != "MkDocs' own builder"
    assert "full build" not in caplog.text


def test_with_a_version_not_tested_every_edit_is_a_full_build_said_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    plugin = _plugin_serving(monkeypatch, "2.0.0", tmp_path)
    server = _Server()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.briefings"):
        plugin.live.serve(server, None, lambda: None)  # type: ignore[arg-type]
    assert server.builder == "MkDocs' own builder"
    said = [r.getMessage() for r in caplog.records if "full build" in r.getMessage()]
    assert said == [
        "briefings: every edit is a full build: MkDocs 2.0.0 is not a version the live rebuild was tested with (1.6.1)"
    ]
