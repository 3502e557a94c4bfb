"""A sitemap of more than 50,000 addresses, split as the protocol asks: a sitemap index and its parts.

MkDocs writes one `sitemap.xml` (and `sitemap.xml.gz`) from its theme's
template. The sitemap protocol allows at most 50,000 addresses in one file;
past that, `split_sitemap` rewrites it as a sitemap index pointing to
`sitemap-1.xml`, `sitemap-2.xml`, ... each of at most `LIMIT` addresses, in
the order MkDocs wrote them, each with a `.gz` beside it. Crawlers read
`/sitemap.xml` either way. Nothing is read but the sitemap MkDocs wrote, and
the entries are copied as they were written (MkDocs escaped them).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
from pathlib import Path

from generator.site.settings import Settings

#: Addresses in one sitemap file, at most (sitemaps.org).
LIMIT = 50_000

SITEMAP = "sitemap.xml"
_URL = re.compile(rb"<url>.*?</url>", re.DOTALL)
_LASTMOD = re.compile(rb"<lastmod>([^<]*)</lastmod>")
_LOC = re.compile(rb"<loc>([^<]*)</loc>")
_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_NAMESPACE = b'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def split_sitemap(site_dir: Path, site: Settings, limit: int = LIMIT) -> int:
    """Split `site_dir/sitemap.xml` when it holds more than `limit` addresses; the number of parts (0: kept whole).

    Parts left by an earlier split of the same folder (`sitemap-N.xml` beyond the
    ones written now) are deleted; nothing else is touched.
    """
    path = site_dir / SITEMAP
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return 0
    if b"<sitemapindex" in data:  # split already
        return 0
    entries = _URL.findall(data)
    parts = [entries[i : i + limit] for i in range(0, len(entries), limit)] if len(entries) > limit else []
    names = [f"sitemap-{number}.xml" for number in range(1, len(parts) + 1)]
    for name, part in zip(names, parts, strict=True):
        body = _HEAD + b"<urlset " + _NAMESPACE + b">\n" + b"\n".join(part) + b"\n</urlset>\n"
        _write(site_dir / name, body)
    number = len(parts) + 1
    while (site_dir / f"sitemap-{number}.xml").is_file():  # an earlier split's, no longer wanted
        for stale in (site_dir / f"sitemap-{number}.xml", site_dir / f"sitemap-{number}.xml.gz"):
            stale.unlink(missing_ok=True)
        number += 1
    if not parts:
        return 0
    lines = [_HEAD + b"<sitemapindex " + _NAMESPACE + b">"]
    for name, part in zip(names, parts, strict=True):
        dates = [m.group(1) for entry in part for m in [_LASTMOD.search(entry)] if m]
        lastmod = b"<lastmod>" + max(dates) + b"</lastmod>" if dates else b""
        lines.append(b"<sitemap><loc>" + _xml(site.url + name) + b"</loc>" + lastmod + b"</sitemap>")
    lines.append(b"</sitemapindex>\n")
    _write(path, b"\n".join(lines))
    return len(parts)


def add_to_sitemap(
    site_dir: Path, site: Settings, *, ours: dict[str, tuple[str, dt.date | None]], copied: set[str]
) -> int:
    """Put into MkDocs' `sitemap.xml` the pages `copied` into the site rather than built (a warm build's
    kept pages, which MkDocs does not know as pages); how many were added.

    `ours` gives each of the plugin's pages, by path, its absolute address and date. The sitemap is
    written as a build that made every page would have written it: the pages people wrote in MkDocs'
    order, then the plugin's by path, each entry in the form MkDocs gave the home page's, and the
    `.gz` beside it with the time MkDocs gave it.
    """
    path = site_dir / SITEMAP
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return 0
    entries = _URL.findall(data)
    home = _xml(site.url)
    sample = next((e for e in entries if _loc(e) == home and _LASTMOD.search(e)), None)
    if sample is None or len(entries) < 2 or not copied:
        return 0
    first, last = data.index(entries[0]), data.rindex(entries[-1]) + len(entries[-1])
    between = data[first + len(entries[0]) : data.index(entries[1], first + len(entries[0]))]
    by_loc = {_xml(url): name for name, (url, _) in ours.items()}
    people = [e for e in entries if _loc(e) not in by_loc]
    made = {by_loc[_loc(e)]: e for e in entries if _loc(e) in by_loc}
    loc, lastmod = _LOC.search(sample), _LASTMOD.search(sample)
    assert loc is not None and lastmod is not None
    for name in copied:
        url, date = ours[name]
        if date is None:
            continue
        made[name] = b"".join(
            (
                sample[: loc.start(1)],
                _xml(url),
                sample[loc.end(1) : lastmod.start(1)],
                date.isoformat().encode("ascii"),
                sample[lastmod.end(1) :],
            )
        )
    body = data[:first] + between.join([*people, *(made[name] for name in sorted(made))]) + data[last:]
    _write(path, body, mtime=_gzip_mtime(path.with_name(path.name + ".gz")))
    return len(copied)


def drop_from_sitemap(site_dir: Path, urls: set[str]) -> int:
    """Take the pages at `urls` (absolute addresses, as MkDocs wrote them) out of `sitemap.xml` and its `.gz`:
    a retracted briefing's notice is not offered to crawlers. How many were taken out."""
    path = site_dir / SITEMAP
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return 0
    wanted = {_xml(url) for url in urls}
    entries = _URL.findall(data)
    gone = [entry for entry in entries if _loc(entry) in wanted]
    if not gone:
        return 0
    kept = [entry for entry in entries if _loc(entry) not in wanted]
    if not kept:
        return 0  # never a sitemap without a page: the home page is always in it
    first, last = data.index(entries[0]), data.rindex(entries[-1]) + len(entries[-1])
    between = (
        data[first + len(entries[0]) : data.index(entries[1], first + len(entries[0]))] if len(entries) > 1 else b"\n"
    )
    body = data[:first] + between.join(kept) + data[last:]
    _write(path, body, mtime=_gzip_mtime(path.with_name(path.name + ".gz")))
    return len(gone)


def _loc(entry: bytes) -> bytes:
    found = _LOC.search(entry)
    return found.group(1) if found else b""


def _gzip_mtime(path: Path) -> int:
    """The time a gzip file's header records (0 when there is none)."""
    try:
        with path.open("rb") as file:
            head = file.read(8)
    except OSError:
        return 0
    return int.from_bytes(head[4:8], "little") if len(head) == 8 and head[:2] == b"\x1f\x8b" else 0


def _xml(text: str) -> bytes:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


def _write(path: Path, data: bytes, mtime: int = 0) -> None:
    """The file and its `.gz` (dated `mtime`, 0 unless told: the same sitemap gives the same bytes)."""
    path.write_bytes(data)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename=path.name, mode="wb", fileobj=buffer, mtime=mtime) as gz:
        gz.write(data)
    path.with_name(path.name + ".gz").write_bytes(buffer.getvalue())
