"""The rules: what a briefing must hold beyond its shape (`validate`), that every quote and figure is in
its source (`verify`), addresses and names (`addresses`, `confusables`), and the whole collection
checked at once, each check kept between builds (`collection`, `checkstore`).

May import: `generator.format`, `generator.store`; nothing of the site, the newsroom tools or MkDocs.
"""
