"""The site: the collection joined by person, story and topic (`joins`), every page rendered from its
template with text escaped once (`escape`, `render`, templates/) through the build's `render.Renderer`:
the pages by kind (`pages`, `lists`, `terms`, `watch`) and what they are made of (`links`, `pagination`,
`head`, `reading`, `receipts`, `sources`); each page named by a digest of its inputs (`inputs`), the
feed, export and calendar (`export`), the sitemap, the search index (`search`), and the whole site built
in memory (`build`) from the site's `settings` (made once at the edge, never checked again here).

May import: `generator.rules`, `generator.format`, `generator.store`; nothing of the newsroom tools or
MkDocs.
"""
