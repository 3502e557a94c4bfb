"""The format: a briefing file as YAML nodes with their lines and columns (`yamlnodes`), the format's
table of fields and its JSON Schemas (`schema`), the typed briefing it reads into (`model`), a figure
in words (`wording`), and the finding every problem is reported as (`findings`).

May import: `generator.store` and the standard library, PyYAML; nothing of the rules, the site, the
newsroom tools or MkDocs.
"""
