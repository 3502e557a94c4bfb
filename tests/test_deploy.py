"""The deploy past GitHub Pages' 1 GB: `deploy/s3-sync.sh`, the script the workflow's object-storage job runs.

These tests run that same script, with rclone, against moto's S3 server (`python -m moto.server`, from
PyPI's moto[server]), a local stand-in for S3 started on 127.0.0.1: not the real service, nor any
provider's. What they prove is what rclone asks of any S3 API: a built site is uploaded whole and reads
back byte for byte, with its Content-Type and Cache-Control; a second sync of the same bytes with new
modification times (a fresh checkout and build) uploads nothing and deletes nothing; and after one file
changes and one goes, exactly those are uploaded and deleted, as both rclone's log and moto's request
log show. What the real service adds (its credentials and permissions, a CDN in front) is not tested here.

rclone is Debian's package, which `make test` installs with apt when it is missing. Without it these
tests are skipped, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import PROJECT
from tests.sitebuild import build, make_project

pytestmark = pytest.mark.slow

SCRIPT = PROJECT / "deploy" / "s3-sync.sh"
STAND_IN = "moto's S3 server, a local stand-in for S3 (not the real service)"

#: rclone's line for each file it uploads or deletes (`-v`): `... INFO  : path: Copied (new)`.
RCLONE_LINE = re.compile(r"INFO  : (.+): (Copied \(new\)|Copied \(replaced existing\)|Deleted)$", re.M)
#: moto's request log (werkzeug's): `127.0.0.1 - - [date] "PUT /bucket/key HTTP/1.1" 200 -`.
REQUEST_LINE = re.compile(r'"([A-Z]+) (\S+) HTTP/[\d.]+" (\d{3})')
#: Content types that rclone sets from each extension (Go's own table, whatever the system's mime.types says).
CONTENT_TYPES = {
    ".html": ("text/html",),
    ".css": ("text/css",),
    ".js": ("text/javascript", "application/javascript"),
    ".json": ("application/json",),
    ".svg": ("image/svg+xml",),
    ".png": ("image/png",),
    ".xml": ("text/xml", "application/xml"),
}


def rclone_or_skip() -> str:
    found = shutil.which("rclone")
    if found:
        return found
    reason = (
        f"rclone is not installed, so the deploy cannot be run against {STAND_IN}: "
        "`make test` installs Debian's rclone with apt (apt-get install rclone)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true, so the deploy test fails rather than skips")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def without_aws_or_rclone_settings() -> dict[str, str]:
    """The environment, less anything that would point rclone or boto3 at a real account or configuration."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "RCLONE_", "S3_"))}


@pytest.fixture(autouse=True)
def no_aws_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """boto3, reading the bucket back, looks at no profile or account of the user's."""
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)


@dataclass
class Server:
    """moto's S3 server on 127.0.0.1, and where its request log goes."""

    endpoint: str
    log: Path

    def requests_since(self, offset: int, bucket: str) -> list[tuple[str, str]]:
        """(method, key) of each request logged after byte `offset` of the log, all to `bucket`."""
        text = self.log.read_bytes()[offset:].decode("utf-8", "replace")
        found = []
        for method, target, _status in REQUEST_LINE.findall(text):
            path = unquote(urlsplit(target).path).lstrip("/")
            name, _, key = path.partition("/")
            assert name == bucket, f"a request to {path!r}, not to the bucket {bucket}"
            found.append((method, key))
        return found

    def offset(self) -> int:
        return self.log.stat().st_size


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """moto's S3 server, a local stand-in for S3, on a free port of 127.0.0.1; stopped after the module."""
    rclone_or_skip()
    folder = tmp_path_factory.mktemp("moto")
    log = folder / "requests.log"
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=without_aws_or_rclone_settings(),
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"{STAND_IN} stopped at once:\n{log.read_text(errors='replace')}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"{STAND_IN} did not listen within 60 s"
                time.sleep(0.2)
        yield Server(f"http://127.0.0.1:{port}", log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def client(server: Server) -> Any:
    """A boto3 client of the stand-in, to read the bucket back independently of rclone."""
    import boto3  # moto's dependency

    return boto3.session.Session(
        aws_access_key_id="stand-in",
        aws_secret_access_key="stand-in",
        region_name="us-east-1",
    ).client("s3", endpoint_url=server.endpoint)


def sync(server: Server, site: Path, bucket: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`deploy/s3-sync.sh SITE`, with the rclone remote configured by environment variables only, as the
    workflow's job configures it, pointed at the stand-in."""
    settings = {
        **without_aws_or_rclone_settings(),
        # No configuration file of the user's is read: the remote is made of these variables alone.
        "RCLONE_CONFIG": str(site.parent / "no-rclone.conf"),
        "RCLONE_CONFIG_SITE_TYPE": "s3",
        "RCLONE_CONFIG_SITE_PROVIDER": "Other",
        "RCLONE_CONFIG_SITE_ENDPOINT": server.endpoint,
        "RCLONE_CONFIG_SITE_ACCESS_KEY_ID": "stand-in",
        "RCLONE_CONFIG_SITE_SECRET_ACCESS_KEY": "stand-in",
        "RCLONE_CONFIG_SITE_REGION": "us-east-1",
        "S3_BUCKET": bucket,
        **env,
    }
    return subprocess.run(
        [str(SCRIPT), str(site)], env=settings, capture_output=True, text=True, timeout=300, check=False
    )


def logged(done: subprocess.CompletedProcess[str]) -> dict[str, set[str]]:
    """What rclone says it did: {'Copied (new)': {path, ...}, 'Copied (replaced existing)': ..., 'Deleted': ...}."""
    assert done.returncode == 0, f"deploy/s3-sync.sh against {STAND_IN} failed:\n{done.stdout}\n{done.stderr}"
    found: dict[str, set[str]] = {"Copied (new)": set(), "Copied (replaced existing)": set(), "Deleted": set()}
    for path, what in RCLONE_LINE.findall(done.stderr):
        found[what].add(path)
    return found


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def objects(s3: Any, bucket: str) -> dict[str, bytes]:
    """Every object in the bucket, read back through boto3: its key and bytes."""
    keys = []
    for listing in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys += [o["Key"] for o in listing.get("Contents", [])]
    return {key: s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in sorted(keys)}


def written(requests: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The requests that change the bucket (uploads, copies, deletions)."""
    return sorted((method, key) for method, key in requests if method not in {"GET", "HEAD"})


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real site, built as the workflow builds it (`mkdocs build --strict`)."""
    root = make_project(tmp_path_factory.mktemp("deploy") / "project")
    build(root)
    return root / "site"


def test_only_changed_files_are_uploaded_and_gone_ones_deleted(server: Server, built: Path, tmp_path: Path) -> None:
    """Against moto's S3 server, a local stand-in for S3, not the real service: a whole site, then nothing,
    then exactly one file uploaded and one deleted."""
    bucket = "site-whole"
    s3 = client(server)
    s3.create_bucket(Bucket=bucket)
    site = tmp_path / "site"
    shutil.copytree(built, site)
    expected = files(site)
    assert "index.html" in expected and len(expected) > 50, sorted(expected)

    # 1. An empty bucket: every file is uploaded once, and reads back byte for byte.
    start = server.offset()
    done = sync(server, site, bucket)
    did = logged(done)
    assert did["Copied (new)"] == set(expected), f"rclone's log, against {STAND_IN}"
    assert did["Copied (replaced existing)"] == did["Deleted"] == set()
    assert written(server.requests_since(start, bucket)) == sorted(("PUT", key) for key in expected), STAND_IN
    assert "Transferred:" in done.stderr, "rclone's totals are printed"
    assert objects(s3, bucket) == expected, f"the bucket read back from {STAND_IN} differs from site/"
    for key in expected:
        head = s3.head_object(Bucket=bucket, Key=key)
        assert head["CacheControl"] == "public, max-age=300", key
        suffix = Path(key).suffix
        if suffix in CONTENT_TYPES:
            assert head["ContentType"].split(";")[0] in CONTENT_TYPES[suffix], (key, head["ContentType"])

    # 2. The same bytes in a fresh copy, every modification time new (a new checkout and build): nothing
    # is uploaded, copied or deleted; the stand-in sees listings only.
    fresh = tmp_path / "fresh" / "site"
    shutil.copytree(site, fresh, copy_function=shutil.copy)
    later = time.time() + 3600
    for path in fresh.rglob("*"):
        os.utime(path, (later, later))
    start = server.offset()
    did = logged(sync(server, fresh, bucket))
    assert did == {"Copied (new)": set(), "Copied (replaced existing)": set(), "Deleted": set()}, STAND_IN
    requests = server.requests_since(start, bucket)
    assert requests and written(requests) == [], f"{len(written(requests))} requests changed the bucket on {STAND_IN}"
    assert {method for method, _ in requests} == {"GET"} and {key for _, key in requests} == {""}, (
        "only listings of the bucket, no request per file"
    )

    # 3. One page changed, one file gone: exactly those are uploaded and deleted.
    changed = "404.html"
    gone = "feed.xml"
    (fresh / changed).write_bytes((fresh / changed).read_bytes() + b"\n<!-- changed -->\n")
    (fresh / gone).unlink()
    start = server.offset()
    did = logged(sync(server, fresh, bucket))
    assert did == {"Copied (new)": set(), "Copied (replaced existing)": {changed}, "Deleted": {gone}}, STAND_IN
    assert written(server.requests_since(start, bucket)) == [("DELETE", gone), ("PUT", changed)], STAND_IN
    assert objects(s3, bucket) == files(fresh), f"the bucket read back from {STAND_IN} differs from site/"


def test_a_folder_in_the_bucket_and_another_cache_control(server: Server, tmp_path: Path) -> None:
    """S3_BUCKET=bucket/folder deploys under that folder only; S3_CACHE_CONTROL sets the header (against
    moto's S3 server, a local stand-in, not the real service)."""
    bucket = "site-folder"
    s3 = client(server)
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="elsewhere/keep.txt", Body=b"not the site's")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_bytes(b"<!doctype html><title>x</title>")
    done = sync(server, site, f"{bucket}/preview", S3_CACHE_CONTROL="no-cache")
    assert logged(done)["Copied (new)"] == {"index.html"}
    assert s3.get_object(Bucket=bucket, Key="elsewhere/keep.txt")["Body"].read() == b"not the site's"
    assert s3.head_object(Bucket=bucket, Key="preview/index.html")["CacheControl"] == "no-cache"


@pytest.mark.parametrize(
    ("setting", "folder", "message"),
    [
        ({}, "site", "S3_BUCKET is not set"),
        ({"S3_BUCKET": "remote:bucket"}, "site", "a bucket name"),
        ({"S3_BUCKET": "bucket"}, "missing", "no site folder"),
        ({"S3_BUCKET": "bucket"}, "empty", "no index.html"),
    ],
)
def test_the_script_refuses_before_touching_the_bucket(
    tmp_path: Path, setting: dict[str, str], folder: str, message: str
) -> None:
    """No bucket named, no site folder, or a folder that is no built site (a sync would empty the bucket):
    exit 2 with the reason, before rclone is run (no stand-in needed)."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("x", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    env = {**without_aws_or_rclone_settings(), **setting}
    done = subprocess.run(
        [str(SCRIPT), str(tmp_path / folder)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2 and message in done.stderr, (done.returncode, done.stderr)
    assert done.stdout == ""


def test_an_unknown_remote_is_refused(tmp_path: Path) -> None:
    """The remote must be configured (RCLONE_CONFIG_SITE_TYPE=s3 and the rest) before anything is synced."""
    rclone_or_skip()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("x", encoding="utf-8")
    env = {**without_aws_or_rclone_settings(), "S3_BUCKET": "bucket", "RCLONE_CONFIG": str(tmp_path / "none.conf")}
    done = subprocess.run(
        [str(SCRIPT), str(tmp_path / "site")], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2 and "RCLONE_CONFIG_SITE_TYPE=s3" in done.stderr, done.stderr
