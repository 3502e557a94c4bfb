"""Briefings: check news briefings written as YAML and publish them as a static site."""

from __future__ import annotations

__version__ = "0.1.0"

#: The version of the briefing format this generator reads (docs/format.md).
FORMAT_VERSION = 1
