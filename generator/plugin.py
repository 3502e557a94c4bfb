"""The MkDocs plugin `briefings`: run the generator at the start of every build.

Only MkDocs events live here; the work is in `site`, which the `briefing
render` command calls too.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from generator.site import generate

log = logging.getLogger("mkdocs.plugins.briefings")


class BriefingsConfig(Config):
    """Options of the `briefings` plugin in mkdocs.yml."""

    #: Publish drafts too. Default: only in `mkdocs serve`, never in `mkdocs build`.
    drafts = opt.Optional(opt.Type(bool))


class BriefingsPlugin(BasePlugin[BriefingsConfig]):
    """Writes the site's Markdown from briefings/ before MkDocs reads docs/."""

    def __init__(self) -> None:
        self.command = "build"

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having on_startup also keeps this instance alive across `mkdocs serve` rebuilds.
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        serving = self.command == "serve"
        drafts = self.config.drafts if self.config.drafts is not None else serving
        root = Path(config.config_file_path or ".").resolve().parent
        if not config.site_url:
            raise PluginError(
                "briefings: set site_url in mkdocs.yml to where the site is published:"
                " the Atom feed and /briefings.json need absolute addresses"
            )
        result = generate(
            root,
            Path(config.docs_dir),
            site_url=config.site_url,
            site_name=config.site_name,
            description=config.site_description or "",
            drafts=drafts,
            problems=serving,
        )
        findings = result.collection.findings
        errors = result.collection.errors
        if errors and not serving:
            raise PluginError(
                f"{errors} error{'s' * (errors != 1)} in briefings (run `briefing check`):\n"
                + "\n".join(f.format() for f in findings)
            )
        for finding in findings:
            # In `mkdocs serve` the site keeps serving; a problem is shown here (and on the
            # briefing's page) until it is fixed. Warnings never stop a build: CI runs
            # `briefing check --strict` for those.
            if finding.severity == "error":
                log.warning(finding.format())
            else:
                log.info(finding.format())
        log.info(
            "briefings: %d published, %d page(s) written, %d unchanged, %d removed",
            len(result.published),
            len(result.written),
            result.unchanged,
            len(result.deleted),
        )
        for folder in ("briefings", "seeds"):
            path = str(root / folder)
            if path not in config.watch:
                config.watch.append(path)
        return config
