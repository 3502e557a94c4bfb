"""The edges: the `briefing` command (`cli`) and the MkDocs plugin (`plugin`), which answer the user and
MkDocs' events by calling the parts below; nothing below imports them.

May import: every other part of the generator, MkDocs and Material.
"""
