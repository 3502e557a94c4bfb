"""Reading a news article by hand-written rules: quotations and who said them, figures,
the people and bodies it names, and what it says will happen next.

No model and no data downloaded: the rules are the ones a copy editor uses, written out.
`analyse(text)` returns an `Analysis`; `generator.newsroom.draft` turns it into a briefing.

The steps, each over the whole text and in time linear in it, and the module of each:

1. Paragraphs, told apart as headline, byline, date line, heading or prose; a
   dateline (`CAIRO (AP) —`) is cut from the first prose paragraph (`text`).
2. Quotation spans: double marks, curly or straight, or British single marks when
   the article has no double ones. A paragraph that ends inside a quotation and a
   next one that opens again continue it (newspaper style) (`text`).
3. Sentences, where `format.prose` ends them (as the checker and the receipts do), never
   broken inside a quotation (`text`).
4. References, in the order of the text and outside quotations: names (runs of
   capitalised words, with titles such as `Rear Adm.` split off as a role; a
   surname alone after a first mention), descriptions (`a U.S. official`, `the
   ministry`, `one of the people`) and pronouns (`he`, `she`, `they`), each
   resolved as it is met: a pronoun to the person last named (`names`, `cues`,
   `descriptions`, `reader`).
5. Each quotation's speaker: `“…,” said X`, `“…,” X said`, `X said: “…”`, a
   partial quotation's sentence subject, the previous quotation of the paragraph,
   or the quotation it continues (`speakers`).
6. Figures: digits (`1,200`, `5.8`), number words (read by `prose.numbers_in`, as
   `briefing check` reads them), money (`$38 million`, `£85m`), percentages, with
   the qualifier before them and the words after them; years, dates, times, scores,
   ordinals and names such as `F-16` are left out (`figures`).
7. Next steps: sentences about what will or may happen (`next_steps`); and the dateline's
   place, agency and day, and the full dates of the first lines (`dates`).

`analysis` runs them in that order; `vocabulary` holds the words they know.
"""

from __future__ import annotations

from generator.newsroom.extract.analysis import Analysis, analyse
from generator.newsroom.extract.figures import FigureFound
from generator.newsroom.extract.names import Entity
from generator.newsroom.extract.next_steps import NextFound
from generator.newsroom.extract.speakers import Quotation

__all__ = ["Analysis", "Entity", "FigureFound", "NextFound", "Quotation", "analyse"]
