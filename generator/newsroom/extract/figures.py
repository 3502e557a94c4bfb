"""Figures: digits (`1,200`, `5.8`), number words (read by `prose.numbers_in`, as `briefing check`
reads them), money (`$38 million`, `£85m`), percentages, with the qualifier before them, the words
after them as a label, and the clause that states them as evidence; years, dates, times, scores,
ordinals and names such as `F-16` are left out.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from generator.format.prose import MONTH_NAMES, MONTHS, SCALE_AFTER, SCALES, numbers_in
from generator.newsroom.extract.reader import Reader
from generator.newsroom.extract.text import Paragraph
from generator.newsroom.extract.vocabulary import (
    MAX_NUMBERS,
    NUMBER_WORDS,
    STOP,
    WINDOW,
)
from generator.rules.verify import normalize


@dataclass
class FigureFound:
    """A figure: its value, unit and qualifier, what it counts, and the words of the text that state it."""

    value: Decimal
    unit: str | None
    qualifier: str | None
    label: str
    evidence: str
    start: int


_CURRENCY = {"$": "USD", "US$": "USD", "C$": "CAD", "A$": "AUD", "HK$": "HKD", "NZ$": "NZD", "S$": "SGD"}
_CURRENCY |= {"£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "Rs": "INR", "Rs.": "INR", "INR": "INR"}
_CURRENCY_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "rupees": "INR",
    "francs": "CHF",
}
_ABBREVIATED_SCALES = {"k": "thousand", "m": "million", "mn": "million", "bn": "billion", "b": "billion"}
_ABBREVIATED_SCALES |= {"tn": "trillion", "trn": "trillion"}
_NUMBER = re.compile(
    r"(?P<cur>(?:US|C|A|HK|NZ|S)?\$|[£€¥₹]|\bRs\.?\s?|\bINR\s)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<suffix>[A-Za-z%]*)"
)
_WORD_NUMBER = "(?:" + "|".join(NUMBER_WORDS) + ")"
_WORD_RUN = re.compile(
    rf"\b(?:an?\s+(?=hundred|thousand|million|billion|trillion|lakh|crore))?{_WORD_NUMBER}"
    rf"(?:(?:[ -]|(?<=hundred) and |(?<=thousand) and |(?<=million) and |(?<=billion) and ){_WORD_NUMBER})*\b",
    re.IGNORECASE,
)
_QUALIFIERS = (
    (r"about|around|roughly|approximately|approx\.|some|an estimated|estimated", "about"),
    (r"nearly|almost|close to|just under|just shy of|not quite", "nearly"),
    (r"more than|over|above|in excess of|upwards of|just over|past|exceeding|higher than|greater than", "over"),
    (r"fewer than|less than|under|below|lower than|short of", "under"),
    (r"at least|no fewer than|no less than|a minimum of", "at least"),
    (r"up to|as many as|as much as|a maximum of|as high as|at most|no more than", "up to"),
)
_QUALIFIER_RES = [(re.compile(rf"(?<![\w-])(?:{words})\s+\Z", re.IGNORECASE), name) for words, name in _QUALIFIERS]
_MEASURES = (
    "percentage points|percentage point|degrees Celsius|degrees Fahrenheit|degrees|square feet|square metres|"
    "square meters|square miles|square kilometres|square kilometers|metres|meters|kilometres|kilometers|km|miles|mph|"
    "centimetres|centimeters|cm|millimetres|millimeters|mm|kilograms|kg|grams|tonnes|tons|pounds|ounces|"
    "litres|liters|gallons|barrels|acres|hectares|feet|inches|yards|megawatts|gigawatts|MW|GW|"
    "seconds|minutes|hours|days|weeks|months|years|decades|centuries|seasons|points|goals|runs|votes|cents|pence"
)
#: A measure, and its speed where it is one: `1,235 kilometers an hour`, `1,500 kilometers per hour` (a rate per
#: day or year is left to the label: `0.9 metres a year` counts metres).
_MEASURE = re.compile(rf"\s+(?P<unit>(?:{_MEASURES})(?:\s+(?:per|an|a)\s+(?:second|minute|hour))?)\b")
_TIME_SINGULAR = {
    "second": "seconds",
    "minute": "minutes",
    "hour": "hours",
    "day": "days",
    "week": "weeks",
    "month": "months",
    "year": "years",
    "decade": "decades",
    "century": "centuries",
    "season": "seasons",
}
_IRREGULAR_PLURALS = {"people", "children", "men", "women", "police", "staff", "personnel", "cattle", "troops"}
_LABEL_STOP = set(
    """that which who whom whose and but or nor because while when if than since as was were is are be been being
    has have had will would could should may might can to including""".split()
)
#: A dash written between two words without spaces: `year—more`.
_WORD_DASH = re.compile(r"(?<=[^\W\d_])[—–](?=[^\W\d_])")
_CLAUSE_BOUNDARY = re.compile(r",(?!\d{3}\b)\s|;\s|:\s|\s[—–]\s|(?<=[^\W\d_])—(?=[^\W\d_])|\s-\s|[“”\"(]|\)")
_TIME_OF_DAY = re.compile(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT\b|BST\b|ET\b|EST\b|EDT\b|PT\b|o’clock|o'clock)", re.I)
_ORDINAL_SUFFIXES = {"st", "nd", "rd", "th"}
#: Words a label is not made of alone: `of the`, `in`.
_FUNCTION_WORDS = _LABEL_STOP | set("of the a an in on at by for from with into over under per each".split())
#: Words about time that say nothing of what a figure counts: `£85m a year`.
_TIME_WORDS = set("year years month months week weeks day days earlier later ago this next last per annually".split())
#: Nouns that count sources: `two people familiar with the matter said` is not a figure.
_SOURCE_COUNTS = {"sources", "people", "officials", "diplomats", "persons"}
#: `one` counts when a noun follows it, in lowercase (`one count`, `one spacewalk`), but not these words, which
#: make it a pronoun or an idiom; nor after these (`no one`, `the one`, `any one`, `every one`).
_ONE_AFTER = re.compile(r"[ -]([a-z][a-z’'-]+)\b")
_NOT_COUNTED_AFTER_ONE = set(
    """of another or and day time way side thing in to who that which by at on for from with is was has had will
    would can could may might must should than as more less another's else's hand""".split()
)
_NOT_COUNTED_BEFORE_ONE = re.compile(r"\b(?:no|the|any|every|each|which|this|that|if|someone|anyone)\s+\Z", re.I)
#: What follows a street number: one to three capitalised words, then a street word (`42 Mill Street`).
_ADDRESS = re.compile(
    r"\s+(?:[A-Z][\w’'-]*\s+){1,3}(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Boulevard|Blvd\.?|Lane|Drive|Dr\.?"
    r"|Way|Place|Court|Terrace|Crescent|Close|Square|Highway|Parkway)\b"
)


class Figures:
    """Finds the figures of the prose paragraphs."""

    def __init__(self, text: str, paras: list[Paragraph], starts: list[int], reader: Reader) -> None:
        self.text = text
        self.paras = [p for p in paras if p.kind == "prose"]
        self.starts = starts
        self.reader = reader
        self.numbers = 0

    def find(self) -> list[FigureFound]:
        found: list[FigureFound] = []
        for para in self.paras:
            spans: list[tuple[int, int, Decimal, str | None, str, int]] = []
            for match in _NUMBER.finditer(self.text, para.lead, para.end):
                figure = self._digits(match, para)
                if figure is not None:
                    spans.append(figure)
            for match in _WORD_RUN.finditer(self.text, para.lead, para.end):
                figure = self._words(match, para)
                if figure is not None:
                    spans.append(figure)
            spans.sort()
            if self.numbers >= MAX_NUMBERS:
                break
            self.numbers += len(spans)
            for start, end, value, unit, kind, scale_end in spans[:MAX_NUMBERS]:
                made = self._figure(start, end, value, unit, kind, scale_end, para)
                if made is not None:
                    found.append(made)
        return found

    # Each number found is (start, end, value, unit, kind, end including the scale word).

    def _digits(self, match: re.Match[str], para: Paragraph) -> tuple[int, int, Decimal, str | None, str, int] | None:
        text = self.text
        start, end = match.span()
        cur, num, suffix = match.group("cur"), match.group("num"), match.group("suffix")
        cur = cur.strip() if cur else cur
        scaled = SCALE_AFTER.match(text, end, end + 12)
        if scaled is not None and scaled.end() == end:
            scaled = None
        if self._joined_before(start, cur, para) or (not scaled and _joined_after(text[end : end + 3])):
            return None
        value = Decimal(num.replace(",", ""))
        if suffix.lower() in SCALES:  # `$1million`, the scale word written on to the digits
            value *= SCALES[suffix.lower()]
            suffix, scaled = "", None
        counted, unit = _suffix_unit(suffix, cur)
        if not counted:
            return None
        if self._not_a_count(start, end, cur, suffix, num, value, para):
            return None
        scale_end = end
        if not suffix:
            if scaled:
                value *= SCALES[scaled.group(1).lower()]  # the checker's table: read as `briefing check` reads it
                scale_end = scaled.end()
            if cur:
                unit = _CURRENCY[cur]
        if self._after_number_word(start, para):
            return None  # five 3-pointers
        return (start, end, value, unit, "digits", scale_end)

    def _joined_before(self, start: int, cur: str | None, para: Paragraph) -> bool:
        """Digits that are part of a name or a score, by what comes before them: F-16, A24, 9/11, 4:12, 3-1."""
        text = self.text
        before = text[start - 1] if start > para.lead else " "
        if not cur and (before.isalnum() or before in ".,/:#-_'’"):
            if before == "-" and start - 2 >= para.lead and text[start - 2].isdigit():
                return True  # the second half of a score: 3-1
            if before not in "-" or (start - 2 >= para.lead and text[start - 2].isalnum()):
                return True  # F-16, A24, 9/11, 4:12
        return False

    def _not_a_count(
        self, start: int, end: int, cur: str | None, suffix: str, num: str, value: Decimal, para: Paragraph
    ) -> bool:
        """A time of day, a date, a year or a number that names (`Section 230`)."""
        text = self.text
        if _TIME_OF_DAY.match(text, end):
            return True
        if self._is_date(start, end):
            return True
        plain = not cur and not suffix and num.isdigit() and len(num) == 4 and 1800 <= value <= 2100
        if plain and not re.match(r"\s*(?:%|percent|per cent|thousand|million|billion)", text[end : end + 12]):
            return True  # a year
        return not cur and self._identifier(start, para, end)

    def _words(self, match: re.Match[str], para: Paragraph) -> tuple[int, int, Decimal, str | None, str, int] | None:
        start, end = match.span()
        words = match.group()
        values = numbers_in(words)
        if len(values) != 1:
            return None
        value = values.pop()
        scaled = any(word in SCALES for word in re.split(r"[\s-]+", words.lower()))
        if value == 1 and not scaled and not self._one_counted(start, end, para):
            return None  # `one of the`, `no one`, `one another`: rarely a figure
        before = self.text[max(para.lead, start - 12) : start]
        if re.search(r"\d\s*\Z", before):
            return None  # the scale of `1.5 million`, read with the digits
        if re.match(
            r"-(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)\b", self.text[end : end + 8], re.I
        ):
            return None
        if words[:1].isupper() and self._identifier(start, para):
            return None  # Formula One
        if self._is_date(start, end):
            return None
        if re.search(r"\b(?:one|1) in\s\Z", before, re.IGNORECASE):
            return None  # `one in five`: a ratio, which no figure states
        return (start, end, value, None, "words", end)

    def _one_counted(self, start: int, end: int, para: Paragraph) -> bool:
        """`one count of fraud`, `one spacewalk`, `just one animal`: `one` before the noun it counts, not a
        pronoun (`one of`, `no one`, `one another`, `one day`, `the one`)."""
        after = _ONE_AFTER.match(self.text, end, min(para.end, end + 40))
        if after is None or after.group(1).lower() in _NOT_COUNTED_AFTER_ONE:
            return False
        before = self.text[max(para.lead, start - 12) : start]
        return _NOT_COUNTED_BEFORE_ONE.search(before) is None

    def _after_number_word(self, start: int, para: Paragraph) -> bool:
        before = self.text[max(para.lead, start - 14) : start]
        return re.search(rf"\b{_WORD_NUMBER}\s\Z", before, re.IGNORECASE) is not None

    def _is_date(self, start: int, end: int) -> bool:
        before = self.text[max(0, start - 11) : start]
        if re.search(rf"\b(?:{MONTH_NAMES})\.?\s\Z", before):
            return True
        return re.match(rf",?\s(?:{MONTH_NAMES})\b", self.text[end : end + 12]) is not None

    def _identifier(self, start: int, para: Paragraph, end: int | None = None) -> bool:
        """`Women 3`, `Section 230`, `No. 2`, `42 Mill Street`: a number that names rather than counts."""
        if end is not None and _ADDRESS.match(self.text, end, min(para.end, end + 60)):
            return True  # a street number
        before = self.text[max(para.lead, start - 30) : start]
        match = re.search(r"([A-Z][\w.’'-]*) \Z", before)
        if not match:
            return re.search(r"\b(?:No\.|number|#)\s?\Z", before) is not None
        word = match.group(1)
        if word.rstrip(".").lower() in MONTHS:
            return False
        word_start = start - len(match.group())
        return word_start not in self.reader.starts and word.lower() not in STOP

    def _figure(
        self, start: int, end: int, value: Decimal, unit: str | None, kind: str, scale_end: int, para: Paragraph
    ) -> FigureFound | None:
        text = self.text
        s0 = max(self._sentence_start(start, para), start - WINDOW)
        s1 = min(self._sentence_end(end, para), end + WINDOW)
        qualifier = self._qualifier(start, para)
        unit, rest_at = self._percent(unit, scale_end)
        label = ""
        if unit is None:
            unit, label, rest_at = self._unit_after(start, end, rest_at, para)
        words = self._label_words(rest_at, s1)
        standing_for_a_noun = unit is None and not label and kind == "words" and not words
        if standing_for_a_noun and re.search(r"\bthe\s+\Z", text[max(para.lead, start - 6) : start]):
            return None  # `the three could try`: a number standing for a noun said before
        if unit is None and not label:
            unit = self._head_noun(words)
        if unit is not None and unit.lower() in _SOURCE_COUNTS and self._counts_sources(start, end, words, s0):
            return None  # `two people familiar with the matter said`: how many sources, not a figure
        if not label:
            label = self._label_of(words, unit, start, end, s0)
        if not label:
            label = unit or "figure"
        label = " ".join(label.split())[:200].rstrip(" ,;:")
        evidence = self._evidence(start, max(rest_at, scale_end), s0, s1, value)
        if evidence is None:
            return None
        return FigureFound(value, unit, qualifier, label, evidence, start)

    def _percent(self, unit: str | None, rest_at: int) -> tuple[str | None, int]:
        """A figure with no unit, or a percentage, read on: `12 percent`, `3 percentage points`, `5% points`.
        The unit, and where the words after the figure start."""
        if unit is not None and unit != "%":
            return unit, rest_at
        rest = self.text[rest_at : rest_at + 160]
        percent = re.match(r"\s*(?:%|percent\b|per cent\b)", rest)
        if unit == "%" or percent:
            unit = "%"
            if percent:
                rest_at += percent.end()
            points = re.match(r"\s*(?:%|percent|per cent)?\s*points?\b", rest)
            if points and not percent:
                unit = "percentage points"
        return unit, rest_at

    def _unit_after(self, start: int, end: int, rest_at: int, para: Paragraph) -> tuple[str | None, str, int]:
        """The unit of a figure that has none yet, from the words after it: money (`12 dollars`), a compound
        (`a 12-week`, `a 19-year-old`), a range of percentages, an age between commas, a measure (`12 miles`).
        The unit, a label when it gives one, and where the words after the unit start."""
        rest = self.text[rest_at : rest_at + 160]
        money = re.match(r"\s+(dollars|dollar|euros|euro|pounds|yen|yuan|rupees|francs)\b(?!\s+of\b)", rest)
        compound = re.match(r"[-–](?P<word>[a-z]+)(?P<old>-old)?\b", rest)
        range_to = re.match(r"\s+(?:to|and|or)\s+[\d.,]+\s*(%|percent|per cent)", rest)
        # The first of a range takes the unit of the second: `ten to 32 pages`, `40 to 50 questions`.
        ranged = re.match(rf"\s+(?:to|-|–)\s+(?:[\d.,]+|{_WORD_NUMBER})\s+(?P<unit>{_MEASURES}|[a-z]{{3,}}s)\b", rest)
        if money:
            return _CURRENCY_WORDS[money.group(1)], "", rest_at + money.end()
        if compound:
            if compound.group("old"):
                return "years", "age", rest_at + compound.end()
            word = compound.group("word")
            return _TIME_SINGULAR.get(word, word if word.endswith("s") else word + "s"), "", rest_at + compound.end()
        if range_to:
            return "%", "", rest_at
        if ranged:
            return ranged.group("unit"), "", rest_at
        age = self._age(start, end, para)
        if age:
            return "years", "age of " + age, rest_at
        measure = _MEASURE.match(rest)
        if measure:
            return measure.group("unit"), "", rest_at + measure.end()
        return None, "", rest_at

    def _label_of(self, words: list[str], unit: str | None, start: int, end: int, s0: int) -> str:
        """A figure's label from the words after it (`share of …` for a percentage of something, `length of
        the …` for a compound of time), else from the words before it."""
        share = unit == "%" and bool(words) and words[0].lower() == "of"
        words = _trim_words(words)
        content = [w for w in words if w.lower() not in _FUNCTION_WORDS | _TIME_WORDS]
        label = " ".join(words) if content else ""
        if share and label:
            label = "share of " + label
        elif unit in _TIME_SINGULAR.values() and label and self.text[end : end + 1] in "-–":
            label = "length of the " + label
        if not label:
            label = self._label_before(start, s0)
        return label

    def _sentence_start(self, at: int, para: Paragraph) -> int:
        k = bisect_right(self.starts, at) - 1
        return max(self.starts[k] if k >= 0 else para.lead, para.lead)

    def _sentence_end(self, at: int, para: Paragraph) -> int:
        k = bisect_right(self.starts, at)
        return min(self.starts[k], para.end) if k < len(self.starts) else para.end

    def _qualifier(self, start: int, para: Paragraph) -> str | None:
        before = self.text[max(para.lead, start - 24) : start]
        for pattern, name in _QUALIFIER_RES:
            match = pattern.search(before)
            if match:
                if name == "over" and re.search(r"\b(?:the|last|next)\s+(?:past|over)\s+\Z", before, re.I):
                    return None
                return name
        return None

    def _age(self, start: int, end: int, para: Paragraph) -> str:
        """`Brink, 19, came off`: the name whose age a number between commas is."""
        if self.text[end : end + 1] != ",":
            return ""
        match = re.search(
            r"([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3}),\s\Z", self.text[max(para.lead, start - 60) : start]
        )
        if not match:
            return ""
        refs = self.reader.refs_between(start - len(match.group()), start)
        people = [r for r in refs if r.entity is not None and r.entity.kind == "person"]
        return people[-1].entity.name if people and people[-1].entity is not None else ""

    def _label_words(self, at: int, limit: int) -> list[str]:
        words: list[str] = []
        for match in re.finditer(r"[^\s]+", self.text[at : min(limit, at + 120)]):
            raw = match.group()
            dash = _WORD_DASH.search(raw)
            if dash:  # `people—most of them women`: a dash between words ends the phrase
                raw = raw[: dash.start()]
            word = raw.strip("“”\"‘’'()")
            if not word or any(ch.isdigit() for ch in word) or word.lower() in _LABEL_STOP:
                break
            if word.lower().rstrip(",.;:") in NUMBER_WORDS:
                break
            if raw[:1] in '“"(' or not re.match(r"[\w$£€]", word):
                break
            clean = word.rstrip(",.;:!?")
            if clean:
                words.append(clean)
            if clean != word or raw.endswith(("”", '"', ")", "’")) or len(words) >= 7 or dash:
                break
        return words

    def _head_noun(self, words: list[str]) -> str | None:
        for word in words[:3]:
            lower = word.lower()
            if lower in _IRREGULAR_PLURALS:
                return lower
            if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and word.islower() and len(word) > 3:
                return lower
            if lower == "of":
                return None
        return None

    def _label_before(self, start: int, s0: int) -> str:
        """The words before a figure, for a label when none follow it: `Revenue climbed`."""
        before = self.text[s0:start]
        for pattern, _ in _QUALIFIER_RES:
            before = pattern.sub("", before)
        words = [w.strip('“”"‘’()') for w in before.split()]
        words = [w for w in words if w]
        while words and (words[-1].lower() in _FUNCTION_WORDS or any(ch.isdigit() for ch in words[-1])):
            words.pop()
        while words and words[-1].lower() in NUMBER_WORDS:
            words.pop()
        taken: list[str] = []
        for word in reversed(words):
            if word.endswith((",", ";", ":")) and len(taken) >= 2:
                break
            taken.insert(0, word.rstrip(",;:"))
            if len(taken) >= 6:
                break
        return " ".join(_trim_words(taken)).strip(" ,;:")

    def _counts_sources(self, start: int, end: int, words: list[str], s0: int) -> bool:
        """`two sources`, `two people familiar with the matter`, `according to three officials`."""
        phrase = " ".join(words).lower()
        if re.search(r"\b(?:familiar with|involved in|close to|briefed on|with knowledge of)\b", phrase):
            return True
        if words and words[0].lower() == "sources":
            return True
        return re.search(r"\baccording to\s+\Z", self.text[max(s0, start - 20) : start]) is not None

    def _evidence(self, start: int, end: int, s0: int, s1: int, value: Decimal) -> str | None:
        """The clause that holds the figure, as the text has it; a little more when the clause is short."""
        text = self.text
        boundaries = [m for m in _CLAUSE_BOUNDARY.finditer(text, s0, s1)]
        left = max((m.end() for m in boundaries if m.end() <= start), default=s0)
        right = min((m.start() for m in boundaries if m.start() >= end), default=s1)
        if len(text[left:right].split()) < 5:
            left = max((m.end() for m in boundaries if m.end() < left - 1), default=s0)
            right = min((m.start() for m in boundaries if m.start() > right + 1), default=s1)
        if right - left > 240:
            words = list(re.finditer(r"\S+", text[left:right]))
            offsets = [(left + w.start(), left + w.end()) for w in words]
            inside = [i for i, (a, b) in enumerate(offsets) if b > start and a < end]
            if not inside:
                return None
            first = max(0, inside[0] - 10)
            last = min(len(offsets) - 1, inside[-1] + 12)
            left, right = offsets[first][0], offsets[last][1]
        evidence = _tidy(text[left:right])
        if evidence and value in numbers_in(normalize(evidence)):
            return evidence
        return self._narrower(start, end, left, right, value)

    def _narrower(self, start: int, end: int, left: int, right: int, value: Decimal) -> str | None:
        """A shorter span around the figure that `briefing check` reads as stating it: it reads
        `four of their last five games` as 9, and `of their last five games` as 5."""
        words = [(left + m.start(), left + m.end()) for m in re.finditer(r"\S+", self.text[left:right])]
        inside = [i for i, (a, b) in enumerate(words) if b > start and a < end]
        if not inside:
            return None
        first, last = inside[0], inside[-1]
        tries = [(first, len(words) - 1), (0, last), (max(0, first - 3), min(len(words) - 1, last + 3))]
        tries += [
            (first, min(len(words) - 1, last + 3)),
            (max(0, first - 3), last),
            (first, min(len(words) - 1, last + 1)),
        ]
        tries.append((first, last))
        for lo, hi in tries:
            candidate = _tidy(self.text[words[lo][0] : words[hi][1]])
            if candidate and value in numbers_in(normalize(candidate)):
                return candidate
        return None


def _trim_words(words: list[str]) -> list[str]:
    """A label's words without function or time words hanging at either end: `of the jobs` -> `jobs`."""
    drop = _FUNCTION_WORDS | _TIME_WORDS | {"between", "more", "less", "than", "some"}
    while words and words[-1].lower() in drop:
        words = words[:-1]
    while words and words[0].lower() in drop - {"per"}:
        words = words[1:]
    return words


def _tidy(span: str) -> str:
    """A span of the text as evidence: whitespace collapsed, no punctuation hanging at either end."""
    evidence = " ".join(span.split()).strip(' ,;:—–-“”"‘’()')
    return evidence.rstrip(".") if not evidence.endswith("..") else evidence


def _joined_after(after: str) -> bool:
    """Digits followed by more digits that make a score, a range, a time or a date: 3-1, 61-45, 4:12, 9/11."""
    if after[:1] in ("-", "–") and after[1:2].isdigit():
        return True  # a score or a range: 3-1, 61-45
    if after[:1] in (":", "/") and after[1:2].isdigit():
        return True  # 4:12, 9/11
    return after[:1] == "." and after[1:2].isdigit()


def _suffix_unit(suffix: str, cur: str | None) -> tuple[bool, str | None]:
    """What the letters right after digits make of them: whether they still count (not `58th`, `1990s`, `4K`),
    and the unit they give (`%`, `USD million`, `pence`, `km`), if any."""
    lower_suffix = suffix.lower()
    if lower_suffix in _ORDINAL_SUFFIXES or lower_suffix == "s":
        return False, None  # 58th, 1990s
    if lower_suffix == "%":
        return True, "%"
    if lower_suffix in _ABBREVIATED_SCALES:
        scale = _ABBREVIATED_SCALES[lower_suffix]
        return True, f"{_CURRENCY[cur]} {scale}" if cur else scale
    if lower_suffix == "p" and not cur:
        return True, "pence"
    if lower_suffix in ("km", "kg", "mm", "cm", "mph", "mw", "gw"):
        return True, suffix
    if suffix:
        return False, None  # 4K, 3D
    return True, None
