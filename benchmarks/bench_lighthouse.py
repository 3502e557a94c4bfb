"""Lighthouse's mobile performance score (npm `lighthouse`, the machine's Node and Chromium) on the home,
a briefing, a story and a person's page of the seed plus a 200-briefing synthetic collection, served from
127.0.0.1 with gzip (as any real host serves text), five runs each: the median, the spread, and the largest
contentful paint and total blocking time of the median run. It prints figures and asserts nothing: the
machine is noisy, and Lighthouse's score depends on it. tests/test_first_view.py holds the budget behind
the score (print rules that block nothing, minified styles and scripts, sized images).

    .venv/bin/python benchmarks/bench_lighthouse.py [--runs 5] [--count 200]
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import write_collection  # noqa: E402
from tests.sitebuild import Gzipped, build, make_project  # noqa: E402
from tests.test_browser import SLUG, find_browser  # noqa: E402

#: As tests/test_lighthouse.py runs it (not imported from there: mypy would then check that test module too):
#: npm's lighthouse, and Chromium headless with no connection of its own.
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run --disable-default-apps"
)


def lighthouse(url: str, report: Path) -> dict[str, float]:
    node, chromium = shutil.which("node"), find_browser()
    if node is None or chromium is None or not LIGHTHOUSE.is_file():
        raise SystemExit("needs node, node_modules/lighthouse (make browser) and Chromium")
    command = [node, str(LIGHTHOUSE), url, "--only-categories=performance", f"--chrome-flags={FLAGS}"]
    command += ["--output=json", f"--output-path={report}", "--quiet"]
    subprocess.run(command, check=True, timeout=300, env={**os.environ, "CHROME_PATH": chromium})
    result = json.loads(report.read_text(encoding="utf-8"))
    audits = result["audits"]
    return {
        "score": result["categories"]["performance"]["score"] * 100,
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp:
        root = make_project(Path(tmp) / "project")
        write_collection(root, args.count)
        os.environ["BRIEFINGS_CACHE_DIR"] = str(Path(tmp) / "cache")
        build(root)
        site = root / "site"
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Gzipped, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        pages = {
            "home": "",
            "briefing": f"briefings/{SLUG}/",
            "story": "stories/border-dispute/",
            "person": "who/william-burns/",
        }
        print(f"Lighthouse performance (mobile), {args.runs} runs each, gzip, seed + {args.count} briefings")
        for kind, address in pages.items():
            runs = [lighthouse(url + address, Path(tmp) / "report.json") for _ in range(args.runs)]
            scores = sorted(run["score"] for run in runs)
            median = statistics.median(scores)
            middle = min(runs, key=lambda run: abs(run["score"] - median))
            print(
                f"{kind:9} median {median:.0f} (runs {', '.join(f'{s:.0f}' for s in scores)});"
                f" LCP {middle['lcp'] / 1000:.2f} s, TBT {middle['tbt']:.0f} ms,"
                f" {middle['bytes'] / 1024:.0f} KiB transferred"
            )
        server.shutdown()


if __name__ == "__main__":
    main()
