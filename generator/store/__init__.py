"""The store: where build state lives, outside the checkout (`cache.Store`), and how anything kept is
read back (bytes checked against a manifest; nothing unpickled or run).

May import: the standard library and platformdirs; no other part of the generator.
"""
