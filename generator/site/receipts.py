"""Receipts: where a quote or a figure's evidence stands in its source text, as a briefing's page shows it
(the sentence or two around it, the match marked) and the reviewer's diff reads it (`newsroom/diff.py`).

Found as the checks find them (`rules/verify.py`); each is plain text, escaped as any other when a template
prints it. Finding them is most of rendering a briefing's page: `receipts_key` names what they are found
from, so that a page kept from an earlier build needs none (`render.Renderer.receipts`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from generator.format.model import Briefing, Figure, Quote, Source
from generator.rules.verify import PARAGRAPH_BREAK, SourceText, sentence_span


@dataclass(frozen=True)
class Receipt:
    """The sentence or two of a source text around a quote or a figure's evidence, as data for the template:
    `before`, then each piece of the match (`marked`, one per paragraph) with the text after it up to the
    next (`plain`: the paragraph break as the source has it, each line break shown as one), then `after`;
    and where it stands. Every part is text, escaped as any other when the template prints it."""

    before: str
    pieces: tuple[tuple[str, str], ...]
    after: str
    title: str
    publisher: str | None
    #: The paragraph of the source text the match starts in, counted from 1.
    paragraph: int
    #: The source's file (as the briefing names it), and where the match is in its text (`SourceText.original`).
    file: str = ""
    start: int = 0
    end: int = 0
    #: The source's rights (`Source.shown`): `excerpts` shows the match only, `private` no words at all.
    rights: str = "public"

    @property
    def withheld(self) -> bool:
        """Whether the source's rights allow no words of it on the page (`private`)."""
        return self.rights == "private"

    @property
    def anchor(self) -> str:
        """The match's id on its source's page (`publish_sources`): `at-<start>-<end>`."""
        return f"at-{self.start}-{self.end}"


#: A function giving the source text of a file under seeds/, or None when it cannot be read.
SourceTexts = Callable[[str], SourceText | None]
#: At most this many characters of a receipt's sentence before the match, and as many after it: past them
#: (a sentence that never ends), it is cut at a space and the cut shown as `…`.
RECEIPT_CONTEXT = 400


def _cut(before: str, after: str) -> tuple[str, str]:
    if len(before) > RECEIPT_CONTEXT:
        kept = before[-RECEIPT_CONTEXT:]
        before = "… " + kept[kept.find(" ") + 1 :] if " " in kept else "…" + kept
    if len(after) > RECEIPT_CONTEXT:
        kept = after[:RECEIPT_CONTEXT]
        after = kept[: kept.rfind(" ")] + " …" if " " in kept else kept + "…"
    return before, after


def receipt(needle: str, source_id: str | None, sources: tuple[Source, ...], texts: SourceTexts) -> Receipt | None:
    """Where `needle` stands in its source's text (without a source named, in the first source text holding
    it), found as the checks find it; None when there is no source text to show it in."""
    candidates = [s for s in sources if s.id == source_id] if source_id is not None else list(sources)
    for source in candidates:
        text = texts(source.file) if source.file else None
        span = text.find(needle) if text is not None else None
        if text is None or span is None:
            continue
        original = text.original
        start, end = span
        low, high = sentence_span(original, start, end)
        pieces: list[tuple[str, str]] = []
        at = start
        for gap in PARAGRAPH_BREAK.finditer(original, start, end):
            pieces.append((original[at : gap.start()], gap.group()))
            at = gap.end()
        pieces.append((original[at:end], ""))
        before, after = _cut(original[low:start], original[end:high])
        paragraph = text.paragraph_of(start)
        rights = source.shown
        if rights == "private":  # checked, and not a word of it shown
            before, pieces, after = "", [], ""
        elif rights == "excerpts":  # the matched words, and nothing around them
            before, after = ("… " if low < start else ""), (" …" if end < high else "")
        return Receipt(
            before,
            tuple(pieces),
            after,
            source.title,
            source.publisher,
            paragraph,
            source.file or "",
            start,
            end,
            rights,
        )
    return None


def receipts(briefing: Briefing, texts: SourceTexts | None) -> dict[Quote | Figure, Receipt | None]:
    """The receipt of each quote and of each figure with evidence (None: not checked against a source text)."""
    found: dict[Quote | Figure, Receipt | None] = {}
    for quote in briefing.quotes:
        found[quote] = receipt(quote.text, quote.source, briefing.sources, texts) if texts else None
    for figure in briefing.numbers:
        if figure.evidence is not None:
            found[figure] = receipt(figure.evidence, figure.source, briefing.sources, texts) if texts else None
    return found


def receipts_key(
    briefing: Briefing, texts: SourceTexts | None, digest: Callable[[str], str | None] | None = None
) -> tuple[tuple[str, str | None], ...]:
    """What a briefing's receipts are found from besides the briefing: each source file it cites, with the
    SHA-256 of its bytes as `digest` gives it (else of its text), None when there is no text to find them in."""
    cited = []
    for source in briefing.sources:
        if source.file:
            if texts is None:
                found = None
            elif digest is not None:
                known = digest(source.file)  # None for a file `texts` gives no text of
                found = None if known is None else "bytes " + known
            else:
                text = texts(source.file)
                found = hashlib.sha256(text.original.encode("utf-8", "surrogatepass")).hexdigest() if text else None
            cited.append((source.file, found))
    return tuple(cited)
