"""One reading of news text (`generator.format.prose`): the draft, the checker's receipts and the site's lead
sentence end sentences in the same places, read the same abbreviations, months and numbers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from generator.format.prose import MONTHS, is_abbreviation, numbers_in, sentence_ends
from generator.newsroom.extract.text import paragraphs, quote_spans, sentence_starts
from generator.rules.verify import sentence_span
from generator.site.reading import lead_sentence

ROOT = Path(__file__).resolve().parent.parent


def _split(text: str) -> list[str]:
    pieces, at = [], 0
    for end in sentence_ends(text, 0, len(text)):
        pieces.append(text[at:end].strip())
        at = end
    if text[at:].strip():
        pieces.append(text[at:].strip())
    return pieces


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # an abbreviation, an initial, a dotted abbreviation, a title: no end
        ("Rear Adm. Daniel Hagari spoke. He left.", ["Rear Adm. Daniel Hagari spoke.", "He left."]),
        (
            "Dennis G. Sartain pleaded guilty. He was sentenced.",
            ["Dennis G. Sartain pleaded guilty.", "He was sentenced."],
        ),
        (
            "She is pursuing her Ph.D. in bioengineering. She won.",
            ["She is pursuing her Ph.D. in bioengineering.", "She won."],
        ),
        ("The U.S. Army said so. Then it left.", ["The U.S. Army said so.", "Then it left."]),
        (
            "SPRINGFIELD, Ill. (AP) — A jury ruled. It took a day.",
            ["SPRINGFIELD, Ill. (AP) — A jury ruled.", "It took a day."],
        ),
        ("It was No. 1 on Sept. 4 at 3 p.m. Then it fell.", ["It was No. 1 on Sept. 4 at 3 p.m. Then it fell."]),
        # a domain's dot is no abbreviation; a lowercase `no` is a word
        ("Its home is Challenge.gov. Stay tuned.", ["Its home is Challenge.gov.", "Stay tuned."]),
        ("He said no. Then he left.", ["He said no.", "Then he left."]),
        # a quotation's mark before a lowercase attribution ends nothing
        ("“What can we do next?” he said. It rained.", ["“What can we do next?” he said.", "It rained."]),
        # a name's particle and a word with an inner capital start sentences; an ellipsis may open one
        ("She is Brazilian. de Oliveira grew up there.", ["She is Brazilian.", "de Oliveira grew up there."]),
        ("It sold out. iPhone sales rose.", ["It sold out.", "iPhone sales rose."]),
        ("He sprained an ankle. ... Denver shot 41%.", ["He sprained an ankle.", "... Denver shot 41%."]),
        # numbers and a mark inside a word
        ("It grew 3.5 percent. Prices fell.", ["It grew 3.5 percent.", "Prices fell."]),
        ("“Go.” She went.", ["“Go.”", "She went."]),
    ],
)
def test_sentences_end_where_a_reader_ends_them(text: str, sentences: list[str]) -> None:
    assert _split(text) == sentences


def test_abbreviations_are_read_as_written() -> None:
    assert is_abbreviation("Adm.") and is_abbreviation("Calif") and is_abbreviation("U.S.") and is_abbreviation("J")
    assert is_abbreviation("Sept.") and is_abbreviation("a.m.") and is_abbreviation("Ph.D")
    assert not is_abbreviation("no.") and not is_abbreviation("Challenge.gov.") and not is_abbreviation("ore")
    assert MONTHS["sept"] == 9 and MONTHS["may"] == 5


def test_the_number_reader_reads_digits_scales_and_words() -> None:
    assert numbers_in("Rs 3,200 crore and 2.5 lakh") >= {Decimal(3200), Decimal(32_000_000_000), Decimal(250_000)}
    assert numbers_in("three hundred and two, twenty-one, a million") == {Decimal(302), Decimal(21), Decimal(10**6)}


# --- the draft, the receipts and the site agree -----------------------------------------------------


def _tuning_texts() -> list[Path]:
    """The texts the rules were tuned on (the real held-out ones are not read here)."""
    import yaml

    found = []
    for gold in sorted((ROOT / "tests" / "real").glob("*.gold.yaml")) + sorted(
        (ROOT / "tests" / "articles").glob("*.gold.yaml")
    ):
        if not yaml.safe_load(gold.read_text(encoding="utf-8")).get("held_out"):
            found.append(gold.with_name(gold.name.replace(".gold.yaml", ".txt")))
    return found


def test_the_draft_and_the_receipts_end_sentences_in_the_same_places() -> None:
    """On every tuning text of both corpora, each sentence the draft reads outside a quotation is the sentence
    a receipt shows for its words (before the shared reading, 5 sentences of these texts were read differently)."""
    disagree = []
    texts = _tuning_texts()
    assert len(texts) >= 30
    for path in texts:
        text = path.read_text(encoding="utf-8")
        paras = paragraphs(text)
        spans = quote_spans(text, paras)
        inside = [(s.start, s.end) for s in spans]
        starts = sentence_starts(text, paras, spans)
        for para in (p for p in paras if p.kind == "prose"):
            ours = [s for s in starts if para.lead <= s < para.end]
            for here, following in zip(ours, [*ours[1:], para.end], strict=True):
                if any(a < following and here < b for a, b in inside):
                    continue  # a sentence with a quotation, which the draft keeps whole
                words = text[here:following].rstrip()
                if not words:
                    continue
                low, high = sentence_span(text, here, here + 1)
                if (max(low, para.lead), high) != (here, here + len(words)):
                    disagree.append(f"{path.name}:{here}: {words[:60]!r} / {text[low:high][:60]!r}")
    assert disagree == []


def test_the_site_reads_a_summarys_lead_sentence_as_the_draft_does() -> None:
    summary = "Rear Adm. Daniel Hagari of the U.S. Navy spoke on Sept. 4. “What next?” he asked. He left."
    assert lead_sentence(summary) == (
        "Rear Adm. Daniel Hagari of the U.S. Navy spoke on Sept. 4.",
        "“What next?” he asked. He left.",
    )
    paras = paragraphs(summary)
    starts = sentence_starts(summary, paras, quote_spans(summary, paras))
    assert summary[starts[1] :].startswith("“What next?”")
