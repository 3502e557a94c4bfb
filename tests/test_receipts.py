"""Receipts: each quote and each figure's evidence shown in the sentence of its source text, on a built site.

A closed <details> under each quote and figure: the sentence or two around the match (not cut after `Adm.`,
`Lt.`, `Jan.` or inside `3.5`), the matched words in <mark> exactly as the source has them (curly quotes,
dashes, one <mark> per paragraph with the line break between), the source's title and publisher and the
paragraph's number. A quote with no source text says so. Source text is text: markup and template code in it
are shown, never obeyed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import Tag
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.format.model import Source
from generator.format.prose import sentence_ends
from generator.rules.verify import PARAGRAPH_BREAK, SourceText, sentence_span
from generator.site.receipts import RECEIPT_CONTEXT, _cut
from generator.site.receipts import receipt as source_receipt
from tests.conftest import SEED, SEED_BRIEFING
from tests.sitebuild import build, make_project, page, text
from tests.test_browser import SLUG

RECEIPTS = "2024-08-26-receipts"

#: One paragraph per line, a blank line between some: a quote runs across the break after paragraph 2.
LINES = (
    "A headline on a line of its own\n"
    "The envoy arrived on Monday. She said the talks would go on until\n"
    "\n"
    "the end of the week, whatever happened. Nobody else spoke.\n"
    "Lt. Col. Ana Díaz said on Jan. 5 that the deal was “not dead — it’s resting” and that 3.5 rounds remained."
    " Then she left.\n"
)
HOSTILE = (
    "<p>Intro.</p>\n"
    "Before <script>alert(1)</script> the chief said {{ config }} plainly that hostile words here"
    " stay {{ config }} <script>alert(1)</script> after.\n"
)

RECEIPTS_YAML = """\
title: Receipts for every quote
date: 2024-08-26
summary: A briefing whose quotes stand in small source texts of its own.
who:
  - {name: Ana Díaz, id: ana-diaz, role: Envoy}
what:
  - The envoy spoke.
quotes:
  - {text: "on until the end of the week", speaker: ana-diaz, source: lines}
  - {text: "not dead - it's resting", speaker: ana-diaz, source: lines}
  - {text: "We will see", speaker: ana-diaz, source: web}
  - {text: "hostile words here", speaker: ana-diaz, source: hostile}
sources:
  - {id: lines, title: The envoy's remarks, publisher: Wire Agency, file: seeds/lines.txt}
  - id: web
    title: Envoy interview
    url: https://example.org/interview
    publisher: Example Daily
    published: 2024-08-26
  - {id: hostile, title: Hostile text, file: seeds/hostile.txt}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's site with RECEIPTS_YAML and its two source texts, built once for this module."""
    root = make_project(tmp_path_factory.mktemp("receipts"))
    (root / "seeds" / "lines.txt").write_text(LINES, encoding="utf-8")
    (root / "seeds" / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (root / "briefings" / "2024" / f"{RECEIPTS}.yaml").write_text(RECEIPTS_YAML, encoding="utf-8")
    build(root)
    return root


def _article(site: Path, slug: str) -> Tag:
    article = page(site, f"briefings/{slug}/").find("article", class_="bf")
    assert isinstance(article, Tag)
    return article


def _receipt_after(element: Tag) -> Tag:
    """The receipt (or its "not checked" line) of a pull quote's figure, a fragment's item or a figure's card."""
    found = element.find(class_="bf-receipt") if element.name == "li" else element.find_next_sibling()
    assert isinstance(found, Tag) and "bf-receipt" in (found.get("class") or []), found
    return found


def _quote_receipts(article: Tag) -> dict[str, Tag]:
    """Each quote's receipt, by the quote's text."""
    found = {text(figure.blockquote): _receipt_after(figure) for figure in article.select("figure.bf-quote")}
    found |= {text(li.blockquote): _receipt_after(li) for li in article.select("ul.bf-words-list > li")}
    return found


def plain(element: object) -> str:
    """An element's text as it reads, a line break as a space, whitespace runs as one space."""
    assert isinstance(element, Tag)
    parts = [" " if isinstance(node, Tag) and node.name == "br" else node for node in element.descendants]
    return " ".join("".join(part for part in parts if isinstance(part, str)).split())


def _marks(receipt: Tag) -> list[str]:
    return [mark.get_text() for mark in receipt.select(".bf-receipt-text mark")]


def test_every_seed_quote_and_figure_has_a_receipt_marking_the_source_as_it_is(site: Path) -> None:
    data = yaml.safe_load(SEED_BRIEFING.read_text(encoding="utf-8"))
    source = SourceText(SEED.read_text(encoding="utf-8"))
    article = _article(site, SLUG)
    assert len(data["quotes"]) == 6 and len(data["numbers"]) == 7
    assert len(article.select("details.bf-receipt")) == 13

    quotes = _quote_receipts(article)
    assert sorted(quotes) == sorted(q["text"] for q in data["quotes"])
    cards = article.select(".bf-numbers li")
    assert len(cards) == 7
    pairs = [(q["text"], quotes[q["text"]]) for q in data["quotes"]]
    pairs += [(f["evidence"], _receipt_after(card)) for f, card in zip(data["numbers"], cards, strict=True)]
    whole = " ".join(source.original.split())
    for needle, receipt in pairs:
        assert receipt.name == "details" and receipt.summary is not None
        assert text(receipt.summary) == "In the source"
        span = source.find(needle)
        assert span is not None
        assert _marks(receipt) == [source.original[span[0] : span[1]]], needle
        # The marked words in their own sentence, as the source has it: one sentence, whole, of the source.
        shown = plain(receipt.select_one(".bf-receipt-text"))
        assert shown in whole and shown[0].isupper() and shown.rstrip("”’\"'").endswith((".", "!", "?")), shown
        assert needle.split()[0] in shown
        where = plain(receipt.select_one(".bf-receipt-where"))
        assert where.startswith("Gaza ceasefire talks in Cairo end without agreement, paragraph ")

    hagari = plain(quotes["vast majority"].select_one(".bf-receipt-text"))
    assert hagari == (
        "He mentioned that they are currently assessing the interception rate of incoming rockets and drones,"
        " but noted that the “vast majority” were successfully neutralised."
    )
    planes = _receipt_after(cards[1])
    assert plain(planes.select_one(".bf-receipt-text")).startswith("Israel’s military spokesperson, Rear Adm. Daniel")
    assert plain(planes.select_one(".bf-receipt-where")).endswith("paragraph 4")
    assert plain(quotes["working teams"].select_one(".bf-receipt-where")).endswith("paragraph 3")


def test_receipts_are_closed_disclosures(site: Path) -> None:
    for slug in (SLUG, RECEIPTS):
        receipts = _article(site, slug).select("details.bf-receipt")
        assert receipts
        for receipt in receipts:
            assert not receipt.has_attr("open")
            assert receipt.find("summary") is receipt.contents[0]


def test_a_quote_across_a_paragraph_break_gets_a_mark_per_paragraph(site: Path) -> None:
    receipt = _quote_receipts(_article(site, RECEIPTS))["on until the end of the week"]
    assert _marks(receipt) == ["on until", "the end of the week"]
    first, second = receipt.select(".bf-receipt-text mark")
    between = []
    for sibling in first.next_siblings:
        if sibling is second:
            break
        between.append(sibling)
    # The break as the source has it: a line break, a blank line: two line breaks.
    assert [getattr(node, "name", None) for node in between] == ["br", "br"]
    assert plain(receipt.select_one(".bf-receipt-text")) == (
        "She said the talks would go on until the end of the week, whatever happened."
    )
    assert plain(receipt.select_one(".bf-receipt-where")) == "The envoy's remarks, Wire Agency, paragraph 2"


def test_curly_quotes_and_dashes_show_as_the_source_has_them(site: Path) -> None:
    receipt = _quote_receipts(_article(site, RECEIPTS))["not dead - it's resting"]
    assert _marks(receipt) == ["not dead — it’s resting"]
    # Not cut after `Lt.`, `Col.`, `Jan.` nor inside `3.5`; the next sentence is not shown.
    assert plain(receipt.select_one(".bf-receipt-text")) == (
        "Lt. Col. Ana Díaz said on Jan. 5 that the deal was “not dead — it’s resting” and that 3.5 rounds remained."
    )
    assert plain(receipt.select_one(".bf-receipt-where")).endswith("paragraph 4")


def test_a_quote_without_a_source_text_says_it_was_not_checked(site: Path) -> None:
    receipt = _quote_receipts(_article(site, RECEIPTS))["We will see"]
    assert receipt.name == "p" and text(receipt) == "Not checked against a source text"


def test_a_hostile_source_text_is_shown_as_text(site: Path) -> None:
    article = _article(site, RECEIPTS)
    receipt = _quote_receipts(article)["hostile words here"]
    shown = receipt.select_one(".bf-receipt-text")
    assert shown is not None
    assert plain(shown) == (
        "Before <script>alert(1)</script> the chief said {{ config }} plainly that hostile words here"
        " stay {{ config }} <script>alert(1)</script> after."
    )
    assert _marks(receipt) == ["hostile words here"]
    assert shown.find("script") is None and shown.find("p") is None
    assert article.find("script") is None
    assert plain(receipt.select_one(".bf-receipt-where")) == "Hostile text, paragraph 2"


def test_a_source_with_a_url_is_a_link_with_its_publisher_and_date(site: Path) -> None:
    item = _article(site, RECEIPTS).select_one("ol.bf-sources li#source-web")
    assert item is not None and item.a is not None
    assert item.a["href"] == "https://example.org/interview" and text(item.a) == "Envoy interview"
    assert text(item.select_one(".bf-publisher")) == "Example Daily"
    published = item.select_one("time.bf-published")
    assert published is not None and published["datetime"] == "2024-08-26"
    assert plain(item) == "Envoy interview, Example Daily, 26 August 2024"


@pytest.mark.parametrize(
    ("text", "needle", "sentence"),
    [
        ("One. Rear Adm. Daniel Hagari said so. Two.", "said so", "Rear Adm. Daniel Hagari said so."),
        ("One. The U.S. and the U.N. agreed on No. 5. Two.", "agreed", "The U.S. and the U.N. agreed on No. 5."),
        ("One. J. Smith paid 3.5 million. Two!", "paid", "J. Smith paid 3.5 million."),
        ("One. “Go now.” Mr. Lee left. Two.", "Go now", "“Go now.”"),
        ("One. A first. A second. Two.", "first. A second", "A first. A second."),
        ("Headline\nThe text starts here. More.", "text starts", "The text starts here."),
    ],
)
def test_sentences_are_split_as_a_newsroom_writes(text: str, needle: str, sentence: str) -> None:
    span = SourceText(text).find(needle)
    assert span is not None
    start, end = sentence_span(text, *span)
    assert text[start:end] == sentence


def test_a_sentence_that_never_ends_is_cut_at_a_space() -> None:
    words = " ".join(f"w{n}" for n in range(400))
    source = Source("s1", "Long", file="seeds/long.txt")
    found = source_receipt("w200 w201", "s1", (source,), lambda path: SourceText(words))
    assert found is not None and found.pieces == (("w200 w201", ""),)
    assert found.before.startswith("… w") and found.before.endswith("w199 ") and len(found.before) <= 402
    assert found.after.startswith(" w202") and found.after.endswith(" …") and len(found.after) <= 402
    assert found.paragraph == 1 and found.title == "Long" and found.publisher is None


# --- receipts on long texts: no scan of the whole text per quote ------------------------------------------


def _reference_sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """`sentence_span` as it was before it looked only `SENTENCE_REACH` around the match: the whole paragraph."""
    low = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    high = len(text) if last < 0 else last
    sentence_start, sentence_end = low, high
    for stop in sentence_ends(text, low, high):
        if stop <= start:
            sentence_start = stop
        elif stop >= end:
            sentence_end = stop
            break
    while sentence_start < start and text[sentence_start].isspace():
        sentence_start += 1
    return sentence_start, max(sentence_end, end)


@settings(max_examples=300, deadline=None)
@given(
    # sentences of up to 300 words (past the reach, as in a text of one long line), each ended one way or another
    sentences=st.lists(
        st.tuples(st.integers(0, 300), st.sampled_from(["end.", "Why?", "“Go.”", "…", "Adm.", "U.S.", "3.5", "\n"])),
        min_size=1,
        max_size=12,
    ),
    where=st.tuples(st.integers(0, 50_000), st.integers(1, 40)),
)
def test_a_receipt_is_the_same_whether_its_sentence_is_looked_for_near_or_everywhere(
    sentences: list[tuple[int, str]], where: tuple[int, int]
) -> None:
    """Looking for the sentence's ends only near the match changes nothing a receipt shows: past the reach, the
    receipt is cut (`receipts._cut`) the same way wherever the sentence starts or ends."""
    text = " ".join("word " * count + end for count, end in sentences)
    start = where[0] % len(text)
    end = min(len(text), start + where[1])
    near = sentence_span(text, start, end, reach=RECEIPT_CONTEXT + 200)
    everywhere = _reference_sentence_span(text, start, end)
    shown = _cut(text[near[0] : start], text[end : near[1]])
    assert shown == _cut(text[everywhere[0] : start], text[end : everywhere[1]])


def paragraph_number(text: str, at: int) -> int:
    """The number (from 1) of the paragraph of `text` that character `at` stands in, by a scan of the text
    before it: what `SourceText.paragraph_of` finds by bisection."""
    leading = len(text) - len(text.lstrip())
    return 1 + sum(1 for _ in PARAGRAPH_BREAK.finditer(text, leading, at))


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=" \t\r\nab.", max_size=300), at=st.integers(0, 300))
def test_a_receipt_numbers_paragraphs_as_the_source_page_does(text: str, at: int) -> None:
    """`SourceText.paragraph_of` (a bisection over breaks found once) is `paragraph_number` (a scan)."""
    at = min(at, len(text))
    assert SourceText(text).paragraph_of(at) == paragraph_number(text, at)
