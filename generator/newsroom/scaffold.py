"""`briefing new`: a briefing file to start from, with every section present and explained.

The file passes `briefing check` as written: required fields hold placeholder
text (`TODO: ...`, and a source URL on the reserved `.invalid` domain when no
source text is given), which `check` reports as warnings, so `--strict` and the
pull-request check refuse a briefing nobody finished. Optional sections are
there as comments, to be filled in or left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.format.model import yaml_scalar
from generator.format.schema import PLACEHOLDER, PLACEHOLDER_HOST
from generator.rules.addresses import slugify
from generator.rules.collection import BRIEFINGS_DIR, check_named, find_files

#: The words of a title kept in the file name: enough to know it, short enough to type.
SLUG_WORDS = 8
SLUG_LENGTH = 60


class ScaffoldError(Exception):
    """The file could not be written: the message says why, for a person."""


@dataclass(frozen=True)
class NewBriefing:
    """What `briefing new` is asked for."""

    title: str
    date: dt.date
    story: str | None = None
    source: str | None = None
    location: str | None = None
    slug: str | None = None


def slug_for(title: str) -> str:
    """The words of a file name from a title: `Cairo talks end without a deal` -> `cairo-talks-end-without-a-deal`."""
    words = slugify(title).split("-")[:SLUG_WORDS]
    slug = ""
    for word in words:
        if slug and len(slug) + 1 + len(word) > SLUG_LENGTH:
            break
        slug = f"{slug}-{word}" if slug else word[:SLUG_LENGTH]
    return slug


def new_briefing(root: Path, request: NewBriefing) -> Path:
    """Write the new briefing under root/briefings/<year>/ and return its path.

    Refuses (ScaffoldError) a title with nothing to name the file after (without
    `slug`), a file that exists, and a slug another briefing already has.
    """
    title = " ".join(request.title.split())
    if not title:
        raise ScaffoldError("the title must not be empty")
    words = request.slug or slug_for(title)
    if not words or not all(part.isascii() and part.isalnum() and part.islower() for part in words.split("-")):
        raise ScaffoldError(
            f"cannot make a file name from {request.slug or title!r}: give --slug with lowercase a-z, 0-9 and '-'"
        )
    slug = f"{request.date.isoformat()}-{words}"
    briefings = root / BRIEFINGS_DIR
    taken = (
        [path for path in find_files([briefings]) if path.name.rsplit(".", 1)[0] == slug] if briefings.is_dir() else []
    )
    if taken:
        raise ScaffoldError(f"the slug {slug!r} is taken by {taken[0]}: give another title or --slug")
    path = briefings / str(request.date.year) / f"{slug}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:  # "x": never overwrite
            file.write(skeleton(title, request))
    except FileExistsError:
        raise ScaffoldError(f"{path} exists; give another title or --slug") from None
    # What was asked for may break the format (a title over 140 characters, a source outside
    # seeds/): the file must pass `briefing check` as written, or not be written at all.
    errors = [f for f in check_named([path], root).findings if f.severity == "error"]
    if errors:
        path.unlink()
        raise ScaffoldError("nothing written: " + "; ".join(f"{f.field}: {f.message}" for f in errors))
    return path


def skeleton(title: str, request: NewBriefing) -> str:
    """The text of a new briefing file."""
    todo = PLACEHOLDER + ":"

    def optional(key: str, value: str | None, hint: str) -> str:
        if value:
            return f"{key}: {yaml_scalar(value)}\n"
        return f"# {key}: {hint}\n"

    if request.source:
        source = (
            f"  - title: {yaml_scalar(f'{todo} the title of the source')}\n"
            f"    file: {yaml_scalar(request.source)}   # its full text, which quotes and figures are checked against\n"
        )
    else:
        source = (
            f"  - title: {yaml_scalar(f'{todo} the title of the source')}\n"
            f"    url: https://source{PLACEHOLDER_HOST}/{PLACEHOLDER.lower()}"
            "   # its address; or file: seeds/... for its text\n"
        )
    return f"""\
# yaml-language-server: $schema=../../docs/schema/briefing.schema.json
# A new briefing. Replace every {todo} (briefing check warns about each one, and
# `briefing check --strict` refuses them), fill in or delete the commented sections,
# and set draft: false when it is ready. The format: docs/format.md.
title: {yaml_scalar(title)}
date: {request.date.isoformat()}
draft: true
{optional("location", request.location, "Cairo                      # the dateline")}\
{optional("story", request.story, "Israel-Hamas war           # a running story that joins briefings")}\
# topics: [Gaza ceasefire, Hostages]       # at most 8
# authors: [Your Name]
summary: {yaml_scalar(f"{todo} the bottom line, one to three sentences.")}
who:                                       # the people and bodies involved
  - name: {yaml_scalar(f"{todo} a person or organization")}
    # role: Director, CIA
    # kind: person                         # person, organization, country or group
what:                                      # the key developments, one sentence each
  - {yaml_scalar(f"{todo} what happened.")}
# numbers:                                 # the figures that matter
#   - value: 270                           # digits only
#     label: sites targeted
#     qualifier: about                     # about, over, under, nearly, at least, up to
#     evidence: Israeli planes targeted 270 sites   # verbatim from the source
# quotes:                                  # what was said, verbatim
#   - text: constructive
#     speaker: U.S. official
#     context: Describing the talks.
# next:                                    # what happens next
#   - text: Lower-level talks continue.
#     when: coming days                    # text, or a date YYYY-MM-DD
sources:                                   # where every fact comes from
{source}\
    # publisher: Example News
    # published: {request.date.isoformat()}
# corrections:                             # after publication: what was corrected, and when
#   - date: {request.date.isoformat()}
#     text: An earlier version said 12 cables; it was 14.
"""
