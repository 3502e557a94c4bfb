"""Lighthouse (npm `lighthouse`, run with the machine's Node and Debian's Chromium) on the built site.

Accessibility, best practices and SEO must each score 100 on the home, briefing,
story and actor pages, with Lighthouse's default (mobile) settings, and no
other host is reached (`make test` runs the suite in a network namespace of its own, with
no way out). The scores are recorded in the README.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from tests.sitebuild import build, make_project
from tests.test_browser import SLUG, _no_browser, find_browser

pytestmark = pytest.mark.browser

LIGHTHOUSE = PROJECT / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("accessibility", "best-practices", "seo")
#: Chromium's switches for Lighthouse: headless, and no connection of its own to any other host.
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run --disable-default-apps"
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = make_project(tmp_path_factory.mktemp("lighthouse"))
    build(root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", root / "site"
    server.shutdown()


def _first_page(folder: Path) -> str:
    """The address of the first page under a list's folder (`stories/<key>/`), from the built site."""
    found = sorted(p.parent for p in folder.glob("*/index.html") if p.parent.name != "page")
    assert found, f"no page under {folder}"
    return f"{folder.name}/{found[0].name}/"


def _lighthouse(url: str, report: Path) -> dict[str, object]:
    node = shutil.which("node")
    if node is None or not LIGHTHOUSE.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("Node or node_modules/lighthouse is missing: `make browser` installs them")
        pytest.skip("Node or node_modules/lighthouse is missing: run `make browser`")
    chromium = find_browser()
    if chromium is None:
        _no_browser()
    command = [node, str(LIGHTHOUSE), url, f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={FLAGS}"]
    command += ["--output=json", f"--output-path={report}", "--quiet"]
    env = {**os.environ, "CHROME_PATH": chromium}
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(report.read_text(encoding="utf-8")))


@pytest.mark.parametrize("kind", ["home", "briefing", "story", "actor"])
def test_lighthouse_scores_100_for_accessibility_best_practices_and_seo(
    site: tuple[str, Path], kind: str, tmp_path: Path
) -> None:
    url, folder = site
    address = {
        "home": "",
        "briefing": f"briefings/{SLUG}/",
        "story": _first_page(folder / "stories"),
        "actor": _first_page(folder / "who"),
    }[kind]
    result = _lighthouse(url + address, tmp_path / "report.json")
    categories: dict[str, dict[str, object]] = result["categories"]  # type: ignore[assignment]
    audits: dict[str, dict[str, object]] = result["audits"]  # type: ignore[assignment]
    failing = {
        name: [
            ref["id"]  # type: ignore[index]
            for ref in category["auditRefs"]  # type: ignore[attr-defined]
            if ref.get("weight") and audits[ref["id"]].get("score") not in (None, 1)
        ]
        for name, category in categories.items()
    }
    scores = {name: category["score"] for name, category in categories.items()}
    assert scores == dict.fromkeys(CATEGORIES, 1), (address, scores, failing)
    assert result["finalDisplayedUrl"] == url + address
