"""Quotations and their speakers: `“…,” said X`, `“…,” X said`, `X said: “…”`, a partial
quotation's sentence subject, the previous quotation of the paragraph, or the quotation it continues.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from generator.format.prose import sentence_ends
from generator.newsroom.extract.names import Entity, Ref, strip_article
from generator.newsroom.extract.reader import Reader
from generator.newsroom.extract.text import Paragraph, QuoteSpan, quote_text
from generator.newsroom.extract.vocabulary import (
    CLAUSE_WORDS,
    MAX_QUOTATIONS,
    PARTIAL_VERBS,
    PARTICLES,
    SAID_VERBS,
    WINDOW,
    is_title,
)
from generator.newsroom.extract.vocabulary import (
    ROLE_WORDS as ROLE_NOUNS,
)


@dataclass
class Quotation:
    """A quotation's words, its speaker when one was found, and how it was found."""

    text: str
    speaker: Entity | None
    how: str
    span: QuoteSpan
    direct: bool = False  # found by its own attribution, not taken from a quotation near it


_SAID = "|".join(sorted(SAID_VERBS, key=len, reverse=True))
_PARTIAL = "|".join(sorted(PARTIAL_VERBS, key=len, reverse=True))
_AFFILIATED = re.compile(r"\b(?:of|at|from|for|with)(?:\s+the)?\s+\Z", re.IGNORECASE)
_ACCORDING = re.compile(r"\baccording to\s+", re.IGNORECASE)
_SAID_WORD = re.compile(rf"\b(?:{_SAID}|spoke|speaks|issued a statement|in a statement)\b")
#: Before a paragraph of quotation with no attribution, a verb of opinion says who speaks too: `Another expert,
#: Bong Young-shik …, doubts the commitment.` then `“I think that proposal …”`.
_SPEAKING_WORD = re.compile(
    rf"\b(?:{_SAID}|spoke|speaks|issued a statement|in a statement|doubts|believes|thinks|agrees|disagrees"
    r"|expects|fears|worries|hopes|questions|welcomes|criticizes|criticises|doubted|believed|thought|agreed"
    r"|disagreed|feared|worried|hoped|questioned|welcomed|criticized|criticised)\b"
)
_VERB_FIRST = re.compile(rf"[\s,;:—–-]*\b(?P<verb>{_SAID})\b")
_NAME_FIRST = re.compile(rf"[\s,;:—–-]*(?P<who>[^\0“”\"]{{1,140}}?)\s+(?P<verb>{_SAID})\b")
_VERB_BEFORE = re.compile(rf"\b(?P<verb>{_SAID})\b(?:(?:\s+(?!that\b)[\w’'.-]+){{0,5}}?\s*[:,]|\s*)\s*\Z")
_PARTIAL_VERB = re.compile(rf"\b(?:{_PARTIAL})\b")
#: Words that may stand between a verb and the speaker, or before a speaker: `said association president`.
_GAP_WORDS = {"the", "a", "an", "one", "of", "two", "three", "several", "some"}
_CLAUSE_COMMA = re.compile(r",(?!\d{3}\b)")
#: The most words of a role between a verb and the name it comes before, and the words no role holds.
ROLE_WORDS = 6
ROLE_BREAKS = {"that", "which", "who", "when", "while", "after", "before", "because", "and", "but", "to", "in"}

#: The speaker (and how it was found) of each chain of quotations continued across paragraphs, by chain number.
_Chains = dict[int, tuple[Entity, str]]


class Speakers:
    """Finds who said each quotation."""

    def __init__(
        self, text: str, masked: str, paras: list[Paragraph], spans: list[QuoteSpan], starts: list[int], reader: Reader
    ) -> None:
        self.text = text
        self.masked = masked
        self.paras = paras
        self.spans = spans
        self.starts = starts
        self.reader = reader
        self._quote_only: dict[int, bool] = {}

    def find(self) -> list[Quotation]:
        found: list[Quotation] = []
        by_chain: _Chains = {}
        previous_in_para: dict[int, Quotation] = {}
        last_of_para: dict[int, Quotation] = {}
        for index, span in enumerate(self.spans[:MAX_QUOTATIONS]):
            words = quote_text(self.text, span)
            if not re.search(r"[^\W_]", words):
                continue
            entity, how = self._attributed(index, span)
            if entity is None:
                entity, how = self._embedded(span)
            if entity is None:
                entity, how = self._according(span)
            direct = entity is not None
            if entity is None:
                previous = previous_in_para.get(span.para)
                entity, how = self._nearby(span, by_chain, previous, last_of_para.get(span.para - 1))
            quotation = Quotation(words, entity, how, span)
            found.append(quotation)
            previous_in_para[span.para] = quotation
            last_of_para[span.para] = quotation
            if entity is not None and span.chain not in by_chain and direct:
                by_chain[span.chain] = (entity, how)
            quotation.direct = direct
        _chained(found, by_chain)
        for quotation in found:
            if quotation.speaker is not None:
                quotation.speaker.spoke = True
        return found

    def _nearby(
        self, span: QuoteSpan, by_chain: _Chains, previous: Quotation | None, before: Quotation | None
    ) -> tuple[Entity | None, str]:
        """The speaker of a quotation with no attribution of its own, from the quotations near it: the
        quotation it continues, the one before it in its paragraph, or the paragraph before's last when
        its own paragraph is nothing but quotation."""
        if span.continues and span.chain in by_chain:
            return by_chain[span.chain][0], "continues the quotation before"
        if previous is not None and previous.speaker and self._starts_sentence(span):
            return previous.speaker, "same speaker as the quotation before"
        if previous is not None and previous.speaker and self._second_half(previous.span, span):
            return previous.speaker, "the second half of a quotation split around its attribution"
        if (
            previous is None
            and self._starts_sentence(span)
            and before is not None
            and before.speaker is not None
            and self._quote_paragraph(span)
        ):
            return before.speaker, "same speaker as the paragraph before"
        if previous is None and before is None and span.para > 0 and self._quote_paragraph(span):
            para = self.paras[span.para - 1]
            ref = self._speaking_in(para.lead, para.end)
            if ref is not None and ref.entity is not None:
                return ref.entity, self._how(ref, "who speaks in the paragraph before")
        if previous is None and self._starts_sentence(span) and span.open > self.paras[span.para].lead:
            # The paragraph's sentences before it say who speaks: `Senator X issued a statement. “Like many …”`
            ref = self._speaking_in(self.paras[span.para].lead, span.open)
            if ref is not None and ref.entity is not None:
                return ref.entity, self._how(ref, "who speaks in the sentence before")
        return None, ""

    def _second_half(self, first: QuoteSpan, span: QuoteSpan) -> bool:
        """Whether a quotation goes on with the one before it in its sentence, around the attribution between
        them: `“…,” said Associate Commissioner Elizabeth Miller, Pharm.D., “The FDA ImportShield …”`."""
        if first.close is None or first.para != span.para:
            return False
        between = self.masked[first.close + 1 : span.open]
        return (
            between.rstrip().endswith(",")
            and len(between) <= WINDOW
            and _SAID_WORD.search(between) is not None
            and next(sentence_ends(self.text, first.close + 1, span.open), None) is None
        )

    def _speaking_in(self, lo: int, hi: int) -> Ref | None:
        """The person some text without quotations ends by saying speaks: the subject of its last verb of
        saying (`Strickland said / He told VOA he has seen good results.`, `Ibrahim spoke about …:`, `X issued
        a statement`), before a quotation that has no attribution of its own."""
        verbs = list(_SPEAKING_WORD.finditer(self.masked, lo, hi))
        if not verbs:
            return None
        verb = verbs[-1].start()
        ref = self._subject(verb, max(self._sentence_start(verb), verb - WINDOW))
        return ref if ref is not None and ref.entity is not None and ref.entity.kind == "person" else None

    def _starts_sentence(self, span: QuoteSpan) -> bool:
        return self._sentence_start(span.open) == span.open

    def _quote_paragraph(self, span: QuoteSpan) -> bool:
        """A paragraph that is nothing but quotation (with no attribution of its own)."""
        if span.para not in self._quote_only:
            para = self.paras[span.para]
            outside = self.masked[para.lead : para.end].replace("\0", "")
            self._quote_only[span.para] = re.search(r"[^\W\d_]", outside) is None
        return self._quote_only[span.para]

    def _sentence_start(self, at: int) -> int:
        k = bisect_right(self.starts, at) - 1
        return self.starts[k] if k >= 0 else 0

    def _sentence_end(self, at: int, limit: int) -> int:
        k = bisect_right(self.starts, at)
        return min(self.starts[k], limit) if k < len(self.starts) else limit

    def _attributed(self, index: int, span: QuoteSpan) -> tuple[Entity | None, str]:
        para = self.paras[span.para]
        nxt = self.spans[index + 1] if index + 1 < len(self.spans) else None
        if span.close is not None:
            limit = nxt.open if nxt is not None and nxt.para == span.para else para.end
            end = self._sentence_end(span.close + 1, min(limit, span.close + 220))
            region_start = span.close + 1
            region = self.masked[region_start:end]
            verb = _VERB_FIRST.match(region)
            if verb:
                ref = self._first_ref(region_start + verb.end(), end)
                if ref is not None:
                    return ref.entity, self._how(ref, "said X")
            name = _NAME_FIRST.match(region)
            if name:
                ref = self._subject_ref(region_start + name.start("who"), region_start + name.start("verb"))
                if ref is not None:
                    return ref.entity, self._how(ref, "X said")
        prev = self.spans[index - 1] if index > 0 else None
        lo = prev.close + 1 if prev is not None and prev.para == span.para and prev.close is not None else para.lead
        sentence = self._sentence_start(span.open)
        lo = max(lo, sentence if sentence < span.open else lo, span.open - WINDOW)
        before = self.masked[lo : span.open]
        verb = _VERB_BEFORE.search(before)
        if verb:
            ref = self._subject(lo + verb.start(), lo)
            if ref is not None:
                return ref.entity, self._how(ref, "X said: “…”")
        return None, ""

    def _embedded(self, span: QuoteSpan) -> tuple[Entity | None, str]:
        """A quotation inside a sentence: the subject of the last verb before it."""
        start = max(self._sentence_start(span.open), span.open - WINDOW)
        if start >= span.open:
            return None, ""
        verbs = list(_PARTIAL_VERB.finditer(self.masked, start, span.open))
        if not verbs:
            return None, ""
        ref = self._subject(verbs[-1].start(), start)
        if ref is None:
            return None, ""
        return ref.entity, self._how(ref, f"subject of “{verbs[-1].group()}”")

    def _according(self, span: QuoteSpan) -> tuple[Entity | None, str]:
        """A quotation in a sentence that says whose words they are: `According to X, the plan is “dead”`."""
        start = max(self._sentence_start(span.open), span.open - WINDOW)
        found = list(_ACCORDING.finditer(self.masked, start, span.open))
        if not found:
            return None, ""
        at = found[-1].end()
        for ref in self.reader.refs_between(at, min(span.open, at + 120)):
            if not ref.inner and ref.entity is not None and self._ok_gap(self.masked[at : ref.start]):
                return ref.entity, self._how(ref, "according to X")
            break
        return None, ""

    def _how(self, ref: Ref, pattern: str) -> str:
        assert ref.entity is not None
        if ref.kind == "pronoun":
            return f"{pattern}; “{ref.word}” taken as the person last named"
        if ref.kind == "description" and strip_article(ref.word).lower() != ref.entity.name.lower():
            return f"{pattern}; “{ref.word}” taken as {ref.entity.name}"
        return pattern

    def _ok_gap(self, gap: str) -> bool:
        for word in re.findall(r"[^\s,]+", gap):
            bare = word.rstrip(".")
            if bare.lower() in _GAP_WORDS or bare in PARTICLES or is_title(bare) or bare[:1].isupper():
                continue
            return False
        return True

    def _first_ref(self, start: int, end: int) -> Ref | None:
        """The speaker right after a verb: `“…,” said Dr. Amara Okonkwo`; a person's role may come first in
        lowercase words: `said regional emergency coordinator Priya Varma`, `said agency spokesperson X`."""
        for ref in self.reader.refs_between(start, end):
            if ref.inner:
                continue
            gap = self.masked[start : ref.start]
            if self._ok_gap(gap) or self._role_gap(gap, ref):
                return ref
            return None
        return None

    @staticmethod
    def _role_gap(gap: str, ref: Ref) -> bool:
        """A role in at most ROLE_WORDS words, no clause in it, before a person's name."""
        words = gap.split()
        if ref.kind == "name" and ref.entity is not None and " ".join(words) in ref.entity.roles:
            return True  # the title read with the name: `Commissioner for Inspections and Investigations`
        return (
            ref.kind == "name"
            and ref.entity is not None
            and ref.entity.kind == "person"
            and 0 < len(words) <= ROLE_WORDS
            and all(re.fullmatch(r"[\w’'.-]+", word) for word in words)
            and not any(word.lower() in ROLE_BREAKS for word in words)
        )

    def _subject_ref(self, start: int, verb: int) -> Ref | None:
        """The speaker written between a quotation and its verb: `“…,” Assistant U.S. Attorney Rachel Ortiz told`."""
        refs = [r for r in self.reader.refs_between(start, verb) if not r.inner]
        if not refs or not self._ok_gap(self.masked[start : refs[0].start]):
            return None
        between = self.masked[refs[0].end : verb]
        if between.strip() == "" or re.fullmatch(r"\s*,[^\0]*,\s*", between):
            return refs[0]
        if len(refs) > 1 and refs[0].possessive:
            return refs[1]
        return None

    def _subject(self, verb: int, lower: int) -> Ref | None:
        """The subject of a verb: the first name in its clause, past appositives between commas."""
        cuts = [lower] + [m.end() for m in _CLAUSE_COMMA.finditer(self.masked, lower, verb)]
        pieces = [(a, b) for a, b in zip(cuts, [*cuts[1:], verb], strict=True)]
        enclosed = self.masked[lower:verb].rstrip().endswith(",")
        last = len(pieces) - 1
        for idx in range(last, -1, -1):
            a, b = pieces[idx]
            piece = self.masked[a:b].rstrip(", ")
            if not piece.strip():
                continue
            open_last = idx == last and not enclosed
            first_word = piece.split()[0].lower() if piece.split() else ""
            # `, which runs the council,`, `, the deputy leader,`, `, spokeswoman for the Labour Party,`, `, 61,`
            appositive = first_word in CLAUSE_WORDS or first_word in ROLE_NOUNS or re.fullmatch(r"\s*\d{1,3}\s*", piece)
            if idx > 0 and not open_last and appositive:
                continue
            refs = [r for r in self.reader.refs_between(a, b) if not r.inner and r.entity is not None]
            refs = [r for k, r in enumerate(refs) if not (r.possessive and k + 1 < len(refs))]
            # `CEO of the Refugee Council Enver Solomon told`: the body after `of` is where the person works.
            while len(refs) > 1 and _AFFILIATED.search(self.masked, max(a, refs[0].start - 12), refs[0].start):
                refs = refs[1:]
            if refs:
                return refs[0]
        return None


def _chained(found: list[Quotation], by_chain: _Chains) -> None:
    """A quotation continued across paragraphs takes the speaker named anywhere in it."""
    for quotation in found:
        if not quotation.direct and quotation.span.chain in by_chain:
            chained = by_chain[quotation.span.chain][0]
            if quotation.speaker is not chained:
                quotation.speaker = chained
                quotation.how = "part of a quotation continued across paragraphs"
