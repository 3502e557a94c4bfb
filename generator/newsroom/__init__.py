"""The newsroom tools: a draft briefing from a source article (`draft`, `extract`), a new briefing's
skeleton (`scaffold`), and the reviewer's diff of a pull request (`diff`).

May import: `generator.site`, `generator.rules`, `generator.format`, `generator.store`; nothing of
MkDocs.
"""
