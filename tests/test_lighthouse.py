"""Lighthouse (npm `lighthouse`, run with the machine's Node and Debian's Chromium) on the built site.

The site is the seed plus 200 synthetic briefings, served from 127.0.0.1 with gzip (as any host serves
text). Accessibility, best practices and SEO must each score 100 on the home, briefing, story and person
pages, with Lighthouse's default (mobile) settings, and no other host is reached (`make test` runs the
suite in a network namespace of its own, with no way out). Performance is measured in the same run and
written, with the other three, to test-artifacts/lighthouse.json (the README's table), not asserted: the
machine is noisy, and the score depends on it. tests/test_first_view.py asserts the budget behind it.
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

from benchmarks.synthetic import write_collection
from tests.conftest import PROJECT
from tests.sitebuild import Gzipped, build, make_project
from tests.test_browser import SLUG, _no_browser, find_browser

pytestmark = pytest.mark.browser

LIGHTHOUSE = PROJECT / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("accessibility", "best-practices", "seo")
#: Measured and recorded, not asserted.
MEASURED = ("performance",)
#: Where each page's four scores are written, for the README.
SCORES = PROJECT / "test-artifacts" / "lighthouse.json"
#: Chromium's switches for Lighthouse: headless, and no connection of its own to any other host.
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run --disable-default-apps"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = make_project(tmp_path_factory.mktemp("lighthouse"))
    write_collection(root, 200)
    build(root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Gzipped, directory=str(root / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", root / "site"
    server.shutdown()


def _lighthouse(url: str, report: Path) -> dict[str, object]:
    node = shutil.which("node")
    if node is None or not LIGHTHOUSE.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("Node or node_modules/lighthouse is missing: `make browser` installs them")
        pytest.skip("Node or node_modules/lighthouse is missing: run `make browser`")
    chromium = find_browser()
    if chromium is None:
        _no_browser()
    categories = ",".join((*CATEGORIES, *MEASURED))
    command = [node, str(LIGHTHOUSE), url, f"--only-categories={categories}", f"--chrome-flags={FLAGS}"]
    command += ["--output=json", f"--output-path={report}", "--quiet"]
    env = {**os.environ, "CHROME_PATH": chromium}
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(report.read_text(encoding="utf-8")))


@pytest.mark.parametrize("kind", ["home", "briefing", "story", "actor"])
def test_lighthouse_scores_100_for_accessibility_best_practices_and_seo(
    site: tuple[str, Path], kind: str, tmp_path: Path
) -> None:
    url = site[0]
    address = {
        "home": "",
        "briefing": f"briefings/{SLUG}/",
        "story": "stories/border-dispute/",
        "actor": "who/william-burns/",
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
    _record(kind, scores, audits)
    assert {name: scores[name] for name in CATEGORIES} == dict.fromkeys(CATEGORIES, 1), (address, scores, failing)
    assert result["finalDisplayedUrl"] == url + address


def _record(kind: str, scores: dict[str, object], audits: dict[str, dict[str, object]]) -> None:
    """This page's scores (out of 100), its largest paint and its bytes, into SCORES, beside the other pages'."""
    SCORES.parent.mkdir(exist_ok=True)
    try:
        recorded = json.loads(SCORES.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = {}
    recorded[kind] = {
        **{name: round(float(score) * 100) for name, score in scores.items() if isinstance(score, int | float)},
        "largest_paint_ms": audits["largest-contentful-paint"].get("numericValue"),
        "bytes": audits["total-byte-weight"].get("numericValue"),
    }
    SCORES.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8")
