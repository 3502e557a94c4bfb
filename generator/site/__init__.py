"""The site: the collection joined by person, story and topic (`joins`), every page rendered from its
template with text escaped once (`escape`, `render`, templates/), each page named by a digest of its
inputs (`inputs`), the feed, export and calendar (`export`), the sitemap, the search index (`search`),
and the whole site built in memory (`build`).

May import: `generator.rules`, `generator.format`, `generator.store`; nothing of the newsroom tools or
MkDocs.
"""
