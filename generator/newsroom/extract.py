"""Reading a news article by hand-written rules: quotations and who said them, figures,
the people and bodies it names, and what it says will happen next.

No model and no data downloaded: the rules are the ones a copy editor uses, written out.
`analyse(text)` returns an `Analysis`; `generator.newsroom.draft` turns it into a briefing.

The steps, each over the whole text and in time linear in it:

1. Paragraphs, told apart as headline, byline, date line, heading or prose; a
   dateline (`CAIRO (AP) —`) is cut from the first prose paragraph.
2. Quotation spans: double marks, curly or straight, or British single marks when
   the article has no double ones. A paragraph that ends inside a quotation and a
   next one that opens again continue it (newspaper style).
3. Sentences, never broken inside a quotation.
4. References, in the order of the text and outside quotations: names (runs of
   capitalised words, with titles such as `Rear Adm.` split off as a role; a
   surname alone after a first mention), descriptions (`a U.S. official`, `the
   ministry`, `one of the people`) and pronouns (`he`, `she`, `they`), each
   resolved as it is met: a pronoun to the person last named.
5. Each quotation's speaker: `“…,” said X`, `“…,” X said`, `X said: “…”`, a
   partial quotation's sentence subject, the previous quotation of the paragraph,
   or the quotation it continues.
6. Figures: digits (`1,200`, `5.8`), number words (read by `verify.numbers_in`, as
   `briefing check` reads them), money (`$38 million`, `£85m`), percentages, with
   the qualifier before them and the words after them; years, dates, times, scores,
   ordinals and names such as `F-16` are left out.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from nameparser import HumanName
from nameparser.config import CONSTANTS

from generator.rules.verify import normalize, numbers_in

# --- vocabulary ---------------------------------------------------------------

#: At most this much of an article is read (a 1 MiB file of quotations stays fast).
MAX_SCAN = 200_000
#: How many entities back a pronoun or a description looks for what it stands for.
RECENT = 40
#: How far before or after a quotation or a figure its sentence is read (so a text with no full stop stays fast).
WINDOW = 400
#: At most this many quotations and numbers are read (an article has a few dozen).
MAX_QUOTATIONS = 2000
MAX_NUMBERS = 1000


MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH_NAMES = "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True))
DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

#: Verbs that attribute words to a speaker: `“…,” X said`, `said X`, `X said: “…”`.
SAID_VERBS = set(
    """said says say told tells added adds asked asks wrote writes explained explains noted notes stated
    argued argues insisted insists warned warns recalled recalls continued remarked acknowledged admitted
    declared tweeted posted replied responded answered complained conceded cautioned stressed emphasized
    emphasised predicted suggested announced urged concluded joked pleaded shouted yelled whispered
    testified recounted observed countered quipped boasted vowed promised reiterated commented
    maintained contended lamented mused told""".split()
)
#: Verbs before a partial quotation that make the sentence's subject its speaker:
#: `the official called them “constructive”`.
PARTIAL_VERBS = SAID_VERBS | set(
    """called calling calls described describing describes termed labelled labeled dubbed branded
    characterized characterised mentioned mentioning claimed claims claiming remarking noting saying
    telling adding warning praised praising criticized criticised condemned welcomed hailed accused
    denied pledged expressed reported reporting signalled signaled declined refused insisting arguing
    stressing complaining questioned dismissed rejected describe call promising vowing recounting
    recalling acknowledging admitting deploying expects expected blamed blaming urging spoke speaks speaking""".split()
)
#: Lowercase words that may stand between a title and a name, or before one: `retired teacher`.
ROLE_WORDS = set(
    """spokesperson spokesman spokeswoman head chairman chairwoman chairperson striker midfielder
    goalkeeper defender quarterback prosecutor official analyst negotiator caretaker acting interim
    former retired incoming outgoing deputy assistant senior junior chief vice executive councilmember
    councilman councilwoman commander superintendent lawmaker legislator delegate attorney substitute
    rookie teenager performer plaintiff defendant resident veteran regional national local federal
    state county city district association union finance foreign defence defense interior health
    economy trade security military police aid managing founding co-founder cofounder owner
    researcher economist scientist strategist editor reporter columnist lawyer activist organizer
    organiser campaigner coach manager captain director president leader minister secretary
    governor mayor senator representative ambassador envoy mediator spokesperson top longtime
    veteran political shipping media social media staff lead principal head teacher nurse
    teacher farmer worker student parent doctor""".split()
)
#: nameparser's titles that are not titles in running text.
_NOT_TITLES = {"his", "her", "me", "law", "pro", "air", "met", "mag", "the", "of", "and", "hon", "bishop", "king"}
#: Heads of a description of an unnamed person or group: `a U.S. official`, `two people familiar with the matter`.
ANON_HEADS = {
    "official": "officials",
    "spokesperson": "spokespeople",
    "spokesman": "spokesmen",
    "spokeswoman": "spokeswomen",
    "diplomat": "diplomats",
    "source": "sources",
    "person": "people",
    "juror": "jurors",
    "aide": "aides",
    "adviser": "advisers",
    "advisor": "advisors",
    "insider": "insiders",
    "witness": "witnesses",
    "officer": "officers",
    "negotiator": "negotiators",
    "employee": "employees",
    "lawmaker": "lawmakers",
    "investigator": "investigators",
    "prosecutor": "prosecutors",
    "executive": "executives",
    "auditor": "auditors",
    "analyst": "analysts",
    "resident": "residents",
    "mediator": "mediators",
}
_ANON_PLURALS = {plural: singular for singular, plural in ANON_HEADS.items()}
#: Heads of a description of a body: `the ministry`, `the state labor relations board`.
ORG_HEADS = set(
    """ministry department agency company firm union association council board court district police
    government military army club team commission committee office service authority hospital school
    university group party administration bank institute organization organisation operator regulator
    airline network federation league coalition delegation campaign municipality embassy cabinet
    parliament senate center centre foundation charity startup utility navy""".split()
)
#: Generic heads that name the last body mentioned, whatever it is called: `the company`.
_GENERIC_ORG_HEADS = {"company", "firm", "group", "agency", "organization", "organisation", "operator", "startup"}
#: Capitalised words that make a name a body's: `Foreign Ministry`, `Lakeshore Partners`.
ORG_WORDS = set(
    """Ministry Department Agency Council Committee Commission University Bank Party Court Police Association
    Union Federation League Club Foundation Institute Office Service Services Authority Board Fund Organization
    Organisation Army Forces Navy Corp Corp. Corporation Inc Inc. Ltd Ltd. LLC Co. Company Group Partners
    Holdings Capital Securities Research Survey Project Center Centre Centers Hospital School College
    Semiconductor Technologies Systems Airlines Motors Media News Alliance Coalition Movement Front Assembly
    Parliament Congress Senate Cabinet Government Administration Bureau Network Labs Studios Pharmaceuticals
    Energy Railways Trust Society Church Chamber Exchange Reserve Guard Command Corps Brigades Brigade
    Conference Association Federation plc PLC AG SA NV GmbH Bancorp Insurance Industries Airways""".split()
)
#: Capitalised words that make a name a place's: `Meadow Lane`, `Black Sea`.
PLACE_WORDS = set(
    """Street St. Road Avenue Ave. Lane Boulevard Square Park Valley River Lake Mountain Mountains Island
    Islands Sea Ocean Gulf Bay Strip Heights Hills Hill County Province Region City Town Village Palace
    Airport Stadium Arena Hall Bridge Port Shelf Glacier Peninsula Coast Desert Forest Canyon Falls Beach
    Harbor Harbour Plaza Elementary Middle High Creek Canal Highway Motorway Way Drive Court's East West
    North South Basin Corridor Garden Gardens Field Fields Campus Tower Building Cathedral Station""".split()
)
_PLACE_PREFIXES = {"New", "San", "Santa", "Los", "Las", "Saint", "St.", "Fort", "Port", "Mount", "Lake", "Cape", "El"}
#: Words before a name that make it a place: `in Cairo`.
_PLACE_PREPOSITIONS = {"in", "at", "near", "from", "to", "into", "across", "outside", "inside", "toward", "towards"}
_PLACE_PREPOSITIONS |= {"via", "around", "throughout", "of"}
#: Particles inside names: `Marieke van der Berg`, `Ribeira de Cima`.
PARTICLES = {"van", "der", "den", "de", "la", "le", "du", "da", "das", "dos", "del", "della", "von", "zu"}
PARTICLES |= {"bin", "ibn", "al", "el", "ten", "ter", "di", "st", "y", "bint", "abu"}
#: Words that open a clause or an appositive after a name, never a name: `Dunmore, who …, added`.
_CLAUSE_WORDS = set(
    """who which whose where when while speaking according including a an the his her its their also like
    now then aged whom as since after before once""".split()
)
#: Capitalised words that are never a name by themselves.
STOP = set(
    """a an the this that these those he she it they we i you his her its their our my your him them us
    and but or nor so yet for of in on at to by with from as if when while after before since until
    because although though however despite during about above below over under between among into
    onto upon through across against without within along around near off out up down not no yes
    there here then now also still even just only more most much many some any each every all both
    either neither one other another such what which who whom whose where why how than too very
    according meanwhile earlier later last next first second third new old former asked told said says
    mr mrs ms dr sir madam monday tuesday wednesday thursday friday saturday sunday today tomorrow
    yesterday tonight morning afternoon evening night week month year is are was were be been being
    has have had do does did will would could should may might must can shall let lets please
    despite instead overall separately elsewhere nonetheless nevertheless still yet while""".split()
)
#: Demonyms and adjectives of place: not names by themselves.
DEMONYMS = set(
    """American Americans British English Scottish Welsh Irish French German Germans Italian Spanish
    Portuguese Dutch Belgian Swiss Austrian Polish Russian Russians Ukrainian Ukrainians Turkish Greek
    Israeli Israelis Palestinian Palestinians Egyptian Egyptians Qatari Qataris Lebanese Syrian Iraqi
    Iranian Saudi Emirati Jordanian Chinese Japanese Korean Indian Pakistani Afghan Canadian Mexican
    Brazilian Argentine Australian African European Europeans Western Eastern Northern Southern Arab
    Asian Latin Nordic Scandinavian Danish Swedish Norwegian Finnish Muslim Christian Jewish Catholic
    Antarctic Arctic Atlantic Pacific Mediterranean Iberian Celsius Fahrenheit""".split()
)
COUNTRIES = {
    name: name
    for name in """Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria Azerbaijan
    Bahrain Bangladesh Barbados Belarus Belgium Belize Benin Bhutan Bolivia Botswana Brazil Brunei Bulgaria
    Burundi Cambodia Cameroon Canada Chad Chile China Colombia Comoros Congo Croatia Cuba Cyprus Denmark
    Djibouti Dominica Ecuador Egypt Eritrea Estonia Eswatini Ethiopia Fiji Finland France Gabon Gambia Georgia
    Germany Ghana Greece Grenada Guatemala Guinea Guyana Haiti Honduras Hungary Iceland India Indonesia Iran
    Iraq Ireland Israel Italy Jamaica Japan Jordan Kazakhstan Kenya Kiribati Kosovo Kuwait Kyrgyzstan Laos
    Latvia Lebanon Lesotho Liberia Libya Liechtenstein Lithuania Luxembourg Madagascar Malawi Malaysia
    Maldives Mali Malta Mauritania Mauritius Mexico Micronesia Moldova Monaco Mongolia Montenegro Morocco
    Mozambique Myanmar Namibia Nauru Nepal Netherlands Nicaragua Niger Nigeria Norway Oman Pakistan Palau
    Palestine Panama Paraguay Peru Philippines Poland Portugal Qatar Romania Russia Rwanda Samoa Senegal
    Serbia Seychelles Singapore Slovakia Slovenia Somalia Spain Sudan Suriname Sweden Switzerland Syria
    Taiwan Tajikistan Tanzania Thailand Togo Tonga Tunisia Turkey Turkmenistan Tuvalu Uganda Ukraine
    Uruguay Uzbekistan Vanuatu Venezuela Vietnam Yemen Zambia Zimbabwe""".split()
}
COUNTRIES.update(
    {
        "United States": "United States",
        "U.S.": "United States",
        "US": "United States",
        "USA": "United States",
        "U.S.A.": "United States",
        "America": "United States",
        "United Kingdom": "United Kingdom",
        "U.K.": "United Kingdom",
        "UK": "United Kingdom",
        "Britain": "United Kingdom",
        "Great Britain": "United Kingdom",
        "Türkiye": "Turkey",
        "Saudi Arabia": "Saudi Arabia",
        "United Arab Emirates": "United Arab Emirates",
        "UAE": "United Arab Emirates",
        "South Africa": "South Africa",
        "South Korea": "South Korea",
        "North Korea": "North Korea",
        "New Zealand": "New Zealand",
        "Sri Lanka": "Sri Lanka",
        "Costa Rica": "Costa Rica",
        "El Salvador": "El Salvador",
        "Czech Republic": "Czech Republic",
        "Czechia": "Czech Republic",
        "Dominican Republic": "Dominican Republic",
        "Ivory Coast": "Ivory Coast",
        "South Sudan": "South Sudan",
        "Sierra Leone": "Sierra Leone",
        "Papua New Guinea": "Papua New Guinea",
        "Bosnia": "Bosnia and Herzegovina",
        "North Macedonia": "North Macedonia",
        "Vatican": "Vatican City",
    }
)
#: Abbreviations after which a period does not end a sentence.
ABBREVIATIONS = set(
    """mr mrs ms dr prof gen adm rep sen gov lt col sgt capt maj cmdr cpl pvt rev hon st jr sr inc corp co ltd
    no vs etc jan feb mar apr aug sept sep oct nov dec ala ariz ark calif colo conn del fla ga ill ind kan ky
    la md mass mich minn miss mo mont neb nev okla ore pa tenn tex va vt wash wis wyo supt det insp sgt
    fig approx dept est mt ft""".split()
)
NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
    " seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand"
    " million billion trillion"
).split()

# --- titles (nameparser's list, with the roles newsrooms use) -----------------


@cache
def titles() -> frozenset[str]:
    """Lowercase words that are titles before a name: nameparser's, and the roles of news copy."""
    known = {title.replace(".", "") for title in CONSTANTS.titles}
    return frozenset((known | ROLE_WORDS) - _NOT_TITLES)


def is_title(token: str) -> bool:
    return token.rstrip(".").lower() in titles()


# --- the text: paragraphs -------------------------------------------------------


@dataclass
class Paragraph:
    """One paragraph: where it is, what kind of block it is, and where its prose starts."""

    start: int
    end: int
    kind: str  # headline, byline, date, heading, prose
    lead: int  # where the prose starts: after a dateline, else `start`


_PARAGRAPH = re.compile(r"[^\n]+(?:\n[ \t]*\S[^\n]*)*")
_LINE = re.compile(r"[^\n]+")
_TERMINAL = re.compile(r"[.!?…:;\"”’')\]]\s*\Z")
DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z'’.-]+(?:[ ][A-Z][A-Z'’.-]+){0,3})"
    r"(?:,[ ](?P<region>[A-Z][A-Za-z.]+(?:[ ][A-Z][A-Za-z.]+){0,2}))?"
    rf"(?:,?[ ](?P<month>{_MONTH_NAMES})\.?[ ](?P<day>\d{{1,2}}))?"
    r"(?:[ ]?\((?P<agency>[A-Za-z][A-Za-z .&-]{0,30})\))?"
    r"[ ]?(?:—|–|--|-)[ ]?"
)
FULL_DATE = re.compile(
    rf"\b(?:(?P<month>{_MONTH_NAMES})\.?[ ](?P<day>\d{{1,2}}),?[ ](?P<year>(?:19|20)\d\d)"
    rf"|(?P<day2>\d{{1,2}})[ ](?P<month2>{_MONTH_NAMES})\.?,?[ ](?P<year2>(?:19|20)\d\d)"
    r"|(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d))\b"
)
_BYLINE = re.compile(r"(?:By|BY)\s+\S")
_WORD_COUNT = re.compile(r"\S+")


def paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of an article, blank lines between them (or, with none, one per line)."""
    pattern = _PARAGRAPH if re.search(r"\n[ \t]*\n", text) else _LINE
    found: list[Paragraph] = []
    for match in pattern.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            found.append(Paragraph(start, end, "prose", start))
    for index, para in enumerate(found):
        block = text[para.start : para.end]
        words = len(_WORD_COUNT.findall(block[:2000]))
        terminal = _TERMINAL.search(block[-10:]) is not None
        if index == 0 and len(found) > 1 and "\n" not in block and (not terminal or words <= 12):
            para.kind = "headline"
        elif _BYLINE.match(block) and words <= 12 and not block.endswith("."):
            para.kind = "byline"
        elif words <= 8 and FULL_DATE.search(block) and not terminal:
            para.kind = "date"
        elif (words <= 14 and not terminal) or (block.startswith("(") and block.endswith(")") and words <= 8):
            para.kind = "heading"
    for para in found:
        if para.kind == "prose":
            dateline = DATELINE.match(text, para.start, para.end)
            if dateline and len(dateline.group("place").replace(" ", "")) >= 2:
                para.lead = dateline.end()
            break
    return found


# --- quotation spans --------------------------------------------------------------


@dataclass
class QuoteSpan:
    """A quotation: the text between its marks (`start`, `end`) in one paragraph."""

    para: int
    open: int  # the opening mark
    start: int
    end: int
    close: int | None  # the closing mark; None when the paragraph ends first
    continues: bool = False  # opens again a quotation the previous paragraph left open
    chain: int = -1  # quotations continued across paragraphs share a chain number


_OPENERS = {"“": "open", "”": "close", '"': "toggle", "«": "open", "»": "close", "„": "open"}
_DOUBLE_MARKS = re.compile('[“”"«»„]')
# A single mark opens after a space or bracket and before a letter; it closes after a
# non-space and before anything but a letter or digit (an apostrophe sits between letters).
_SINGLE_MARKS = re.compile(r"(?:(?<![^\s(\[—–-])[‘'](?=[^\W\d_])|(?<=\S)[’'](?![^\W_]))")


def quote_spans(text: str, paras: list[Paragraph]) -> list[QuoteSpan]:
    """The quotations of the prose paragraphs, in order."""
    prose = [p for p in paras if p.kind == "prose"]
    double = any(_DOUBLE_MARKS.search(text, p.lead, p.end) for p in prose)
    spans: list[QuoteSpan] = []
    chain = 0
    left_open = False
    for index, para in enumerate(paras):
        if para.kind != "prose":
            left_open = False
            continue
        found = _double_spans(text, para, index) if double else _single_spans(text, para, index)
        if found and left_open and found[0].open == para.lead:
            found[0].continues = True
            found[0].chain = spans[-1].chain
        for span in found:
            if span.chain < 0:
                chain += 1
                span.chain = chain
        spans.extend(found)
        left_open = bool(found) and found[-1].close is None
    return spans


def _double_spans(text: str, para: Paragraph, index: int) -> list[QuoteSpan]:
    found: list[QuoteSpan] = []
    opened: int | None = None
    for match in _DOUBLE_MARKS.finditer(text, para.lead, para.end):
        at = match.start()
        kind = _OPENERS[match.group()]
        if kind == "open" or (kind == "toggle" and opened is None):
            opened = at  # an opening mark with one still open: the earlier one was stray
        elif opened is not None:
            found.append(QuoteSpan(index, opened, opened + 1, at, at))
            opened = None
    if opened is not None:
        found.append(QuoteSpan(index, opened, opened + 1, para.end, None))
    return found


def _single_spans(text: str, para: Paragraph, index: int) -> list[QuoteSpan]:
    found: list[QuoteSpan] = []
    opened: int | None = None
    for match in _SINGLE_MARKS.finditer(text, para.lead, para.end):
        at = match.start()
        mark = match.group()
        before = text[at - 1] if at > para.lead else " "
        opening = mark == "‘" or (mark == "'" and (before.isspace() or before in "([—–-"))
        if opening and opened is None:
            opened = at
        elif not opening and opened is not None and at > opened + 1:
            found.append(QuoteSpan(index, opened, opened + 1, at, at))
            opened = None
    if opened is not None:
        found.append(QuoteSpan(index, opened, opened + 1, para.end, None))
    return found


def quote_text(text: str, span: QuoteSpan) -> str:
    """The words of a quotation as a briefing quotes them: whitespace collapsed, without the
    comma or full stop that closes it inside the marks (`“…,” she said`); at most 1,000 characters."""
    words = " ".join(text[span.start : span.end].split())
    if len(words) > 1000:
        cut = max(words.rfind(". ", 0, 999), words.rfind("? ", 0, 999), words.rfind("! ", 0, 999))
        words = words[: cut + 1] if cut > 200 else words[: words.rfind(" ", 0, 1000)]
    if not words.endswith(("...", "…")):
        words = words.rstrip(" ,;:.")
    return words.strip()


# --- sentences --------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.+$")


def sentence_starts(text: str, paras: list[Paragraph], spans: list[QuoteSpan]) -> list[int]:
    """Where each sentence of the prose starts, sorted; never inside a quotation."""
    inside = _Inside(spans)
    starts: list[int] = []
    for para in paras:
        if para.kind != "prose":
            continue
        starts.append(para.lead)
        for match in _SENTENCE_END.finditer(text, para.lead, para.end):
            end = match.end()
            if inside(match.start()) and not inside.closes_at(end - 1):
                continue
            word = _LAST_WORD.search(text, max(para.lead, match.start() - 12), match.start() + 1)
            if word and match.group().startswith(".") and _is_abbreviation(word.group(1)):
                continue
            nxt = end
            while nxt < para.end and text[nxt].isspace():
                nxt += 1
            starts.append(nxt)
    return sorted(set(starts))


def _is_abbreviation(word: str) -> bool:
    bare = word.rstrip(".")
    if "." in bare:  # U.S., a.m.
        return True
    return (len(bare) == 1 and bare.isupper()) or bare.lower() in ABBREVIATIONS


class _Inside:
    """Whether an offset lies inside a quotation (between its marks)."""

    def __init__(self, spans: list[QuoteSpan]) -> None:
        self.bounds = [(s.start, s.end) for s in spans]
        self.closes = {s.close for s in spans if s.close is not None}
        self.starts = [s.start for s in spans]

    def __call__(self, at: int) -> bool:
        k = bisect_right(self.starts, at) - 1
        return k >= 0 and self.bounds[k][0] <= at < self.bounds[k][1]

    def closes_at(self, at: int) -> bool:
        return at in self.closes


def mask_quotes(text: str, spans: list[QuoteSpan]) -> str:
    """The text with every quotation's words blanked (NUL), offsets unchanged."""
    parts: list[str] = []
    at = 0
    for span in spans:
        parts.append(text[at : span.start])
        parts.append("\0" * (span.end - span.start))
        at = span.end
    parts.append(text[at:])
    return "".join(parts)


# --- tokens -------------------------------------------------------------------------

# Words: initialisms (U.S., a.m.), words with inner hyphens and apostrophes, a final period kept
# for abbreviation checks. Digits start no word here.
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_][\w’'-]*(?:\.(?=\s|$|,))?")


@dataclass
class Token:
    start: int
    end: int
    text: str  # without a final period that ends the sentence, without a possessive 's
    possessive: bool = False

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def tokens(masked: str, start: int, end: int) -> list[Token]:
    found: list[Token] = []
    for match in _TOKEN.finditer(masked, start, end):
        word = match.group()
        token_end = match.end()
        if word.endswith(".") and word.count(".") == 1 and not _is_abbreviation(word):
            word = word[:-1]
            token_end -= 1
        possessive = False
        if word.endswith(("’s", "'s")) and len(word) > 2:
            word = word[:-2]
            possessive = True
        elif word.endswith(("s’", "s'")) and word[:1].isupper():
            word = word[:-1]
            possessive = True
        found.append(Token(match.start(), token_end, word.rstrip("-’'"), possessive))
    return found


# --- entities and references ----------------------------------------------------


@dataclass(eq=False)
class Entity:
    """A person or body the article names or describes."""

    name: str
    kind: str  # person, organization, country, group
    roles: list[str] = field(default_factory=list)
    anonymous: bool = False
    head: str | None = None  # the noun of a description: official, people, ministry
    gender: str | None = None
    first: int = 0
    mentions: int = 0
    spoke: bool = False
    surnames: set[str] = field(default_factory=set)
    acting: int = 0  # mentions not after a preposition: `The CDC said`, not `an analyst at Harlow Capital`

    @property
    def role(self) -> str | None:
        parts: list[str] = []
        for role in self.roles:
            if role and not any(role.lower() in part.lower() for part in parts):
                parts.append(role)
        text = "; ".join(parts)
        if len(text) > 200:
            text = text[: text.rfind(" ", 0, 199)].rstrip(",;") + "…"
        return text or None


@dataclass
class Ref:
    """A place in the text that names or stands for an entity."""

    start: int
    end: int
    entity: Entity | None
    kind: str  # name, description, pronoun
    word: str
    possessive: bool = False
    inner: bool = False  # part of a title or a description: `CIA` in `CIA Director William Burns`


@dataclass
class _Run:
    tokens: list[Token]
    initial: bool  # starts a sentence

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


_CONNECTORS = {"of", "for", "and", "&"}
#: Words before a body's name that make the mention an affiliation, not the body acting.
_AFFILIATION = {"at", "of", "with", "by", "from", "for", "in", "to", "on"}
#: What follows a description of an unnamed source: `familiar with the matter`, `at the Interior Ministry`.
_PP = re.compile(
    r"\s+((?:at|from|with|of|for|in|close to|familiar with|involved in|briefed on)\s+"
    r"(?:[^,.;:“”\"\0()]|\.(?=\S)){1,60}?)"
    r"(?=\s*(?:[,;:]|\.(?:\s|\Z))|\s+(?:said|says|told|who|which|speaking)\b)"
)
_ACRONYM = re.compile(r"(?:[A-Z]{2,6}|(?:[A-Z]\.){2,4})\Z")
_AGE = re.compile(r"\d{1,3}-year-old\Z")


#: Common words that are also parts of names, inside a name: `Saadia Even Tsur`.
NAMEABLE = {"even", "will", "may", "long", "young", "rich", "new", "still", "more", "mark", "last", "little"}


def _name_like(token: Token, inside: bool = False) -> bool:
    word = token.text
    lower = word.lower()
    if not word[:1].isupper() or lower in DAYS:
        return False
    if lower in STOP and not (inside and lower in NAMEABLE):
        return False
    if word.rstrip(".").lower() in MONTHS and len(word) > 2:
        return False
    if "-" in word:
        parts = word.split("-")
        if any(part and not part[:1].isupper() for part in parts[1:]):
            return False
    return True


class Reader:
    """One pass over an article's prose: its names, descriptions and pronouns, resolved in order."""

    def __init__(self, text: str, masked: str, paras: list[Paragraph], starts: list[int]) -> None:
        self.text = text
        self.masked = masked
        self.paras = [p for p in paras if p.kind == "prose"]
        self.starts = set(starts)
        self._sorted_starts = starts
        self.lower_vocab = {w for w in re.findall(r"\b[a-z][a-z’'-]*\b", text[:MAX_SCAN])}
        self.entities: list[Entity] = []
        self.refs: list[Ref] = []
        self._people: dict[str, Entity] = {}
        self._orgs: dict[str, Entity] = {}
        self._surnames: dict[str, list[Entity]] = {}
        self._last: dict[int, int] = {}  # id(entity) -> where it was last referred to
        self._recent: dict[int, Entity] = {}  # entities, the last referred to last
        self._pending: dict[int, tuple[str, str, str]] = {}
        self._starts_cache: list[int] = []
        self._role_spans: list[tuple[int, int]] = []  # roles before names: what is named there is not a subject
        runs = [run for para in self.paras for run in self._runs(para)]
        self._read(runs)

    # -- runs of capitalised words

    def _runs(self, para: Paragraph) -> list[_Run]:
        toks = tokens(self.masked, para.lead, para.end)
        runs: list[_Run] = []
        current: list[Token] = []

        def flush() -> None:
            while current and not current[-1].text[:1].isupper():
                current.pop()
            if current:
                runs.append(_Run(list(current), current[0].start in self.starts or self._after_opening(current[0])))
            current.clear()

        i = 0
        while i < len(toks):
            tok = toks[i]
            adjacent = (
                bool(current)
                and self.masked[current[-1].end : tok.start] == " "
                and (not current[-1].possessive or _inner_possessive(current[-1], tok, self.text))
            )
            if _name_like(tok, adjacent):
                if current and not adjacent:
                    flush()
                current.append(tok)
            elif adjacent and self._joins(current, toks, i):
                current.append(tok)
            else:
                flush()
            i += 1
        flush()
        return [run for run in map(self._trim, runs) if run is not None]

    def _after_opening(self, tok: Token) -> bool:
        before = self.masked[max(0, tok.start - 2) : tok.start]
        return (
            bool(before) and before[-1] in "“\"‘'(" and (tok.start - 1 in self.starts or tok.start - 2 in self.starts)
        )

    def _joins(self, current: list[Token], toks: list[Token], i: int) -> bool:
        """A lowercase particle or connector inside a name: `van der Berg`, `Ministry of Health`."""
        word = toks[i].text
        j = i
        while j < len(toks) and (toks[j].text in PARTICLES or toks[j].text in _CONNECTORS):
            if j > i and self.masked[toks[j - 1].end : toks[j].start] != " ":
                return False
            j += 1
        if j >= len(toks) or j - i > 3 or not _name_like(toks[j]):
            return False
        if self.masked[toks[j - 1].end : toks[j].start] != " ":
            return False
        if word in PARTICLES:
            return True
        if word in ("and", "&"):
            return any(t.text in ORG_WORDS for t in current)
        return any(t.text in ORG_WORDS or is_title(t.text) for t in current)

    def _trim(self, run: _Run) -> _Run | None:
        """A sentence's first word that is a common word (`Jurors`, `Despite`) is not part of a name."""
        toks = run.tokens
        if run.initial:
            first = toks[0].text
            lower = first.lower()
            if lower in STOP or (lower in self.lower_vocab and not is_title(first)):
                toks = toks[1:]
                run = _Run(toks, False) if toks else run
                if not toks:
                    return None
        return run

    # -- classification

    def _read(self, runs: list[_Run]) -> None:
        capitalised_inside: set[str] = {r.tokens[0].text for r in runs if not r.initial}
        capitalised_inside |= {t.text for r in runs for t in r.tokens[1:]}
        initial_counts: dict[str, int] = {}
        for r in runs:
            if r.initial and len(r.tokens) == 1:
                initial_counts[r.tokens[0].text] = initial_counts.get(r.tokens[0].text, 0) + 1
        capitalised_inside |= {w for w, n in initial_counts.items() if n >= 2 and w.lower() not in self.lower_vocab}
        person_evidence: dict[str, int] = {}
        org_evidence: dict[str, int] = {}
        place_evidence: dict[str, int] = {}
        plans: list[tuple[_Run, str, list[Token], list[Token]]] = []
        for run in runs:
            kind, name, title = self._classify(run)
            first = run.tokens[0].text
            if kind == "single" and run.initial and first not in capitalised_inside and not _ACRONYM.match(first):
                continue  # `Jurors deliberated`: a common word that starts a sentence
            plans.append((run, kind, name, title))
            key = " ".join(t.text for t in name)
            before = self._word_before(run.start)
            if before in _PLACE_PREPOSITIONS:
                place_evidence[key] = place_evidence.get(key, 0) + 1
            if kind in ("person?", "single"):
                if self._org_cue(run):
                    org_evidence[key] = org_evidence.get(key, 0) + 1
                if kind == "person?" and self._person_cue(run):
                    person_evidence[key] = person_evidence.get(key, 0) + 1
                if kind == "single" and (self._verb_after(run.end) or _ACRONYM.match(key)):
                    org_evidence[key] = org_evidence.get(key, 0) + 1
        # Surnames of people named in full make a later surname alone theirs, and confirm them.
        full_names = [name for _, kind, name, _ in plans if kind in ("person", "person?") and len(name) > 1]
        surnames = {name[-1].text for name in full_names}
        singles = {" ".join(t.text for t in name) for _, kind, name, _ in plans if kind == "single"}
        for name in full_names:
            key = " ".join(t.text for t in name)
            if name[-1].text in singles:
                person_evidence[key] = person_evidence.get(key, 0) + 1
        confirmed = {
            key
            for key, count in person_evidence.items()
            if count > 0 and org_evidence.get(key, 0) == 0 and place_evidence.get(key, 0) <= count
        }
        refs: list[Ref] = []
        surname_keys = self._surname_keys(full_names, confirmed)
        for run, kind, name, title in plans:
            key = " ".join(t.text for t in name)
            if kind == "person?":
                if key in confirmed:
                    kind = "person"
                elif org_evidence.get(key, 0) > place_evidence.get(key, 0):
                    kind = "org"
                else:
                    continue
            if kind == "single":
                if key in surnames or key in surname_keys:
                    kind = "surname"
                elif org_evidence.get(key, 0) > place_evidence.get(key, 0):
                    kind = "org"
                else:
                    continue
            refs.extend(self._refs_of(run, kind, name, title))
        refs.extend(self._descriptions())
        refs.extend(self._pronouns())
        refs.sort(key=lambda r: (r.start, -r.end))
        self._resolve(refs)

    def _surname_keys(self, full_names: list[list[Token]], confirmed: set[str]) -> set[str]:
        keys: set[str] = set()
        for name in full_names:
            if " ".join(t.text for t in name) in confirmed:
                keys.add(_surname(" ".join(t.text for t in name)))
        return keys

    def _classify(self, run: _Run) -> tuple[str, list[Token], list[Token]]:
        """What a run names: kind, the name's tokens, and the title before it."""
        toks = run.tokens
        text = run.text
        if text in COUNTRIES or (text.startswith("The ") and text[4:] in COUNTRIES):
            return "country", toks, []
        last = toks[-1].text
        if last in ORG_WORDS or (any(t.text in ORG_WORDS for t in toks) and last not in PLACE_WORDS):
            return "org", _drop_the(toks), []
        if last in PLACE_WORDS or (toks[0].text in _PLACE_PREFIXES and len(toks) > 1):
            return "place", toks, []
        # A name after its title: `Rear Adm. Daniel Hagari`, `CIA Director William Burns`.
        cut = len(toks)
        while cut > 0 and not is_title(toks[cut - 1].text) and _personal(toks[cut - 1].text):
            cut -= 1
        name, title = toks[cut:], toks[:cut]
        if title and name and is_title(title[-1].text):
            return "person", name, title
        if len(toks) == 1:
            if _ACRONYM.match(text) and text not in COUNTRIES:
                return "org", toks, []
            if text in DEMONYMS:
                return "skip", toks, []
            return "single", toks, []
        if 2 <= len(toks) <= 4 and all(_personal(t.text) for t in toks) and toks[0].text not in DEMONYMS:
            return "person?", toks, []
        return "skip", toks, []

    def _word_before(self, at: int) -> str:
        match = re.search(r"(\w+)\W{0,3}\Z", self.masked[max(0, at - 30) : at])
        return match.group(1).lower() if match else ""

    def _org_cue(self, run: _Run) -> bool:
        """`Hezbollah leader`, `the Hamas delegation`, `the grid operator Rede Norte`,
        `Brightwave, the British streaming technology group,`."""
        after = self.masked[run.end : run.end + 60]
        following = re.match(r"(?:\s+[a-z][\w-]*){1,3}", after)
        if following:
            words: list[str] = []
            for word in following.group().split():
                if word in STOP or word in PARTIAL_VERBS:
                    break
                words.append(word)
            if words and words[0] in ("leader", "spokesperson", "spokesman", "spokeswoman", "chief", "head"):
                return True
            if any(word in ORG_HEADS for word in words):
                return True
        appositive = re.match(r",\s+(?:the|a|an)\s+(?:[\w’'-]+\s+){0,4}?([a-z]+)\s*,", after + ",")
        if appositive and appositive.group(1) in ORG_HEADS:
            return True
        before = self.masked[max(0, run.start - 40) : run.start]
        cue = re.search(r"\b(?:the|a|an)\s+(?:[a-z][\w-]*\s+){0,2}([a-z]+)\s+\Z", before)
        return bool(cue and cue.group(1) in ORG_HEADS)

    def _person_cue(self, run: _Run) -> bool:
        """A title, a role, an age or a speech verb next to a name: `retired teacher Saadia Even Tsur`."""
        after = self.masked[run.end : run.end + 120]
        if re.match(r",\s+\d{1,3},", after) or self._verb_after(run.end):
            return True
        if re.match(r",\s+(?:a|an|the)\s+[\w’' -]{2,80}?(?:,|\.\s|\.\Z|;)", after):
            return True
        word = re.match(r",\s+([a-z]+)\b", after)
        if word and is_title(word.group(1)):
            return True
        if self._role_before(run.start):
            return True
        return self._word_before(run.start) in SAID_VERBS

    def _verb_after(self, end: int) -> str | None:
        """The speech verb right after a name, past an appositive: `Dunmore, who …, added`."""
        rest = self.masked[end : end + 200]
        match = re.match(r"\s+([a-z]+)\b", rest)
        if match and match.group(1) in PARTIAL_VERBS:
            return match.group(1)
        if rest.startswith(","):
            inner = re.match(r",[^,.;:\0“”\"]{1,150},\s+([a-z]+)\b", rest)
            if inner and inner.group(1) in PARTIAL_VERBS:
                return inner.group(1)
        return None

    def _role_before(self, start: int) -> str | None:
        """The role written before a name: `retired teacher`, `City head coach`, `U.N. aid chief`."""
        window = self.masked[max(0, start - 90) : start]
        if not window.endswith(" "):
            return None
        words = list(re.finditer(r"[^\s,;:()\"“”‘’\0]+", window))
        taken: list[re.Match[str]] = []
        titled = False
        for match in reversed(words):
            word = match.group()
            bare = word.rstrip(".")
            if taken and window[match.end() : taken[-1].start()] != " ":
                break
            lower = bare.lower()
            if is_title(bare) and lower not in STOP:
                titled = True
            elif _AGE.match(bare):
                pass  # `76-year-old retired teacher`: an age is part of the role
            elif (bare[:1].isupper() and lower not in STOP and bare not in COUNTRIES) or word.endswith(("’s", "'s")):
                if not titled:
                    break
            elif titled and bare.isalpha() and lower not in STOP and lower not in PARTIAL_VERBS:
                if lower.endswith(("ed", "ing", "ly")) and lower not in ROLE_WORDS:
                    break
            else:
                break
            taken.append(match)
            if len(taken) >= 6:
                break
        while taken and not is_title(taken[0].group().rstrip(".")):
            taken.pop(0)  # the role ends with a title: `retired teacher`, not `teacher Acre`
        if not titled or not taken:
            return None
        taken.reverse()
        return window[taken[0].start() : taken[-1].end()]

    def _roles_around(self, run: _Run, title: list[Token]) -> list[str]:
        roles: list[str] = []
        before = self._role_before(run.start)
        # `Israel’s military spokesperson, Rear Adm. Daniel Hagari`: a role, a comma, the name.
        k = bisect_right(self._sorted_starts, run.start) - 1
        sentence = self._sorted_starts[k] if k >= 0 else 0
        head = self.masked[max(sentence, run.start - 100) : run.start]
        pre = re.search(r"(?:\A|[,;:(]\s*)([^,;:()\0]{2,80}?)\s*,\s*\Z", head)
        if pre:
            words = pre.group(1).split()
            if words and is_title(words[-1]) and len(words) <= 6:
                roles.append(_strip_article(pre.group(1)))
        if title:
            roles.append(self.text[title[0].start : title[-1].end])
        if before:
            roles.append(before)
        after = self.masked[run.end : run.end + 160]
        of = re.match(r"\s+(?:of|at|from)\s+((?:the\s+)?[A-Z][\w’'.-]*(?:\s+(?:of\s+)?[A-Z][\w’'.-]*){0,5})", after)
        if of and (roles or title):
            roles[-1] = roles[-1] + " " + self.text[run.end : run.end + of.end()].strip()
        word = r"(?:[\w’'&-]|\.(?=\w))+"
        appositive = re.match(rf",\s+((?:(?:a|an|the)\s+)?{word}(?:\s+{word}){{0,14}}?)\s*(?=,|\.\s|\.\Z|;|\.$)", after)
        if appositive:
            words = appositive.group(1).split()
            first = words[0].lower()
            speech = re.search(r"\b(?:said|says|told)\b", appositive.group(1))
            if (first in ("a", "an", "the") or is_title(words[0])) and not speech:
                roles.append(_strip_article(appositive.group(1)))
        age = re.match(r",\s+(\d{1,3}),", after)
        if age:
            roles.append(f"{age.group(1)} years old")
        return roles

    # -- references

    def _refs_of(self, run: _Run, kind: str, name: list[Token], title: list[Token]) -> list[Ref]:
        text = " ".join(t.text for t in name)
        possessive = run.tokens[-1].possessive
        refs: list[Ref] = []
        if kind == "country":
            canonical = COUNTRIES.get(text) or COUNTRIES.get(text[4:], text)
            if self._adjectival(run):
                return []
            entity = self._org_entity(canonical, "country", run.start)
            refs.append(Ref(run.start, run.end, entity, "name", text, possessive))
        elif kind == "org":
            written = " ".join(self.text[name[0].start : run.end].split())
            entity = self._org_entity(
                written if run.tokens[-1].possessive is False else text, "organization", run.start
            )
            org_role = self._role_before(run.start)
            appositive = re.match(
                r",\s+(?:the|a|an)\s+((?:[\w’'-]+\s+){0,5}?[a-z]+)\s*,", self.masked[run.end : run.end + 120]
            )
            if org_role and org_role not in entity.roles:
                entity.roles.append(_strip_article(org_role))
            if appositive and appositive.group(1).split()[-1] in ORG_HEADS:
                entity.roles.append(appositive.group(1))
            refs.append(Ref(name[0].start, run.end, entity, "name", text, possessive))
        elif kind == "person":
            if len(name) == 1 and title:
                entity = self._by_surname(text, run.start) or self._person(text, run.start)
            else:
                entity = self._person(text, run.start)
            for role in self._roles_around(run, title):
                if role not in entity.roles:
                    entity.roles.append(role)
            before = self._role_before(run.start)
            if before:
                self._role_spans.append((run.start - len(before) - 1, run.start))
            if title:
                self._gender_from(entity, title[0].text)
                # An organisation in the title (`CIA Director`) is named too, but is not the subject.
                org_tokens = [t for t in title if _ACRONYM.match(t.text) and t.text not in COUNTRIES]
                for tok in org_tokens:
                    org = self._org_entity(tok.text, "organization", tok.start)
                    refs.append(Ref(tok.start, tok.end, org, "name", tok.text, inner=True))
            refs.append(Ref(name[0].start, run.end, entity, "name", text, possessive))
        elif kind == "surname":
            refs.append(Ref(run.start, run.end, None, "surname", text, possessive))
        return refs

    def _adjectival(self, run: _Run) -> bool:
        """`U.S. official`: a country's name used before a noun is not the country acting."""
        after = self.masked[run.end : run.end + 30]
        match = re.match(r" ([\w’'-]+)", after)
        if not match or run.tokens[-1].possessive:
            return False
        word = match.group(1)
        return word.islower() and word not in STOP and word not in PARTIAL_VERBS and not word.endswith("ed")

    def _person(self, name: str, at: int) -> Entity:
        entity = self._people.get(name)
        if entity is None:
            entity = Entity(name, "person", first=at)
            entity.surnames = {name.split()[-1], _surname(name)}
            self._people[name] = entity
            self.entities.append(entity)
            for surname in entity.surnames:
                self._surnames.setdefault(surname, []).append(entity)
        return entity

    def _by_surname(self, surname: str, at: int) -> Entity | None:
        candidates = self._surnames.get(surname, [])
        if not candidates:
            return None
        return max(candidates[-RECENT:], key=lambda e: self._last.get(id(e), e.first))

    def _org_entity(self, name: str, kind: str, at: int) -> Entity:
        key = name.lower().removeprefix("the ")
        entity = self._orgs.get(key)
        if entity is None:
            for other in self.recent(RECENT * 4):
                if other.kind == kind and (_acronym_of(name, other.name) or _acronym_of(other.name, name)):
                    entity = other
                    break
        if entity is None:
            entity = Entity(name, kind, first=at)
            self._orgs[key] = entity
            self.entities.append(entity)
        return entity

    def _gender_from(self, entity: Entity, title: str) -> None:
        lower = title.rstrip(".").lower()
        if lower in ("mr", "sir", "lord", "king", "prince", "father", "brother"):
            entity.gender = "m"
        elif lower in ("ms", "mrs", "miss", "dame", "lady", "queen", "princess", "sister", "mother"):
            entity.gender = "f"

    def _descriptions(self) -> list[Ref]:
        """`a U.S. official`, `the ministry`, `two people familiar with the matter`, `the state labor board`."""
        heads = "|".join(sorted({*ANON_HEADS, *ANON_HEADS.values(), *ORG_HEADS}, key=len, reverse=True))
        pattern = re.compile(rf"\b(?:{heads})\b")
        refs: list[Ref] = []
        for para in self.paras:
            for match in pattern.finditer(self.masked, para.lead, para.end):
                ref = self._description(match, para)
                if ref is not None:
                    refs.append(ref)
        return refs

    def _description(self, match: re.Match[str], para: Paragraph) -> Ref | None:
        head = match.group()
        following = re.match(r" ([a-z]+)\b", self.masked[match.end() : match.end() + 30])
        noun = following.group(1) if following else ""
        if noun and noun not in STOP and (noun in ORG_HEADS or noun in ANON_HEADS or is_title(noun)):
            return None  # `military spokesperson`: the noun is the next word
        window_start = max(para.lead, match.start() - 80)
        words = list(re.finditer(r"[^\s,;:()\"“”‘\0—–]+", self.masked[window_start : match.start()]))
        mods: list[re.Match[str]] = []
        det = ""
        det_start = match.start()
        prev_end = match.start() - window_start
        for word_match in reversed(words):
            word = word_match.group()
            if self.masked[window_start + word_match.end() : window_start + prev_end].strip(" ") != "":
                break
            lower = word.lower()
            if lower in ("a", "an", "the", "another", "his", "her", "its", "their") or lower in NUMBER_WORDS[1:10]:
                det = lower
                det_start = window_start + word_match.start()
                if lower == "the" and mods == [] and self._one_of_before(det_start):
                    det = "one of the"
                break
            if lower in ("several", "some", "many", "two", "three", "four", "five"):
                det = lower
                det_start = window_start + word_match.start()
                break
            if (
                lower in STOP
                or lower in _PLACE_PREPOSITIONS
                or (word.endswith(".") and not _is_abbreviation(word))
                or lower in PARTIAL_VERBS
                or lower in NUMBER_WORDS
                or (lower.endswith(("ed", "ing", "ly")) and lower not in ROLE_WORDS and not word[:1].isupper())
                or any(ch.isdigit() for ch in word)
                or len(mods) >= 4
            ):
                break
            mods.append(word_match)
            prev_end = word_match.start()
        mods.reverse()
        start = det_start if det else (window_start + mods[0].start() if mods else match.start())
        if not det and head not in _ANON_PLURALS:
            return None
        mod_text = self.text[window_start + mods[0].start() : match.start()].strip() if mods else ""
        end = match.end()
        pp = _PP.match(self.masked[end : end + 80])
        if pp and head in {*ANON_HEADS, *ANON_HEADS.values()}:
            end += pp.end()
        phrase = " ".join(self.text[(window_start + mods[0].start()) if mods else match.start() : end].split())
        possessive = self.masked[match.end() : match.end() + 2] in ("’s", "'s")
        ref = Ref(start, end, None, "description", phrase, possessive)
        self._pending[id(ref)] = (det, head, mod_text)
        return ref

    def _one_of_before(self, at: int) -> bool:
        return re.search(r"\b[Oo]ne of\s+\Z", self.masked[max(0, at - 12) : at]) is not None

    def _pronouns(self) -> list[Ref]:
        refs: list[Ref] = []
        for para in self.paras:
            for match in re.finditer(r"\b(?:[Hh]e|[Ss]he|[Tt]hey)\b", self.masked[para.lead : para.end]):
                start = para.lead + match.start()
                refs.append(Ref(start, start + len(match.group()), None, "pronoun", match.group().lower()))
        return refs

    def _resolve(self, refs: list[Ref]) -> None:
        """Resolve every reference in the order of the text: pronouns to the person last named."""
        kept: list[Ref] = []
        covering: Ref | None = None
        names = [r for r in refs if r.kind in ("name", "surname")]
        name_starts = {r.start: r for r in names}
        roles = sorted(self._role_spans)
        role_starts = [a for a, _ in roles]
        for ref in refs:
            if covering is not None and ref.start >= covering.start and ref.end <= covering.end and ref is not covering:
                ref.inner = True
            k = bisect_right(role_starts, ref.start) - 1
            if k >= 0 and ref.end <= roles[k][1] and ref.kind != "pronoun":
                ref.inner = True
            if ref.kind == "description" and self._before_name(ref, name_starts):
                ref.inner = True
                continue
            if ref.kind == "description":
                ref.entity = self._resolve_description(ref)
                covering = ref if ref.entity is not None else covering
            elif ref.kind == "pronoun":
                ref.entity = self._resolve_pronoun(ref)
            elif ref.kind == "surname":
                ref.entity = self._by_surname(ref.word, ref.start)
                ref.kind = "name"
            if ref.entity is None:
                continue
            entity = ref.entity
            entity.mentions += 1
            if self._word_before(ref.start) not in _AFFILIATION:
                entity.acting += 1
            if not ref.inner or ref.kind == "name":
                self._last[id(entity)] = ref.start
                self._recent.pop(id(entity), None)
                self._recent[id(entity)] = entity
            kept.append(ref)
        # A description right before a name is that name's role: `the grid operator Rede Norte`.
        for before, after in itertools.pairwise(kept):
            named = before.kind == "description" and after.kind == "name" and after.entity is not None
            if named and after.entity is not None and self.masked[before.end : after.start] == " ":
                before.inner = True
                role = _strip_article(before.word)
                if role not in after.entity.roles:
                    after.entity.roles.insert(0, role)
        self.refs = kept

    def _before_name(self, ref: Ref, name_starts: dict[int, Ref]) -> bool:
        """`Israel’s military spokesperson, Rear Adm. Daniel Hagari,`: a description that is a name's role."""
        match = re.match(r",\s+(?:[A-Z][\w’'.-]*\s+){0,4}", self.masked[ref.end : ref.end + 80])
        if not match:
            return False
        for offset in range(ref.end + 2, ref.end + match.end() + 1):
            named = name_starts.get(offset)
            if named is not None and named.kind in ("name", "surname") and not named.word.isupper():
                after = self.masked[named.end : named.end + 2]
                return after.startswith((",", " said", " told"))
        return False

    def _resolve_description(self, ref: Ref) -> Entity | None:
        det, head, mods = self._pending.pop(id(ref), ("", "", ""))
        singular = _ANON_PLURALS.get(head, head)
        plural = head in _ANON_PLURALS or head == "people"
        if singular in ANON_HEADS:
            if det in ("one of the",):
                return self._last_anonymous(singular) or self._new_anonymous(ref, singular, plural)
            if det in ("the",):
                found = self._last_anonymous(singular)
                if found is not None:
                    return found
                person = self._last_with_role(singular)
                return person or self._new_anonymous(ref, singular, plural)
            if det in ("his", "her", "its", "their"):
                return None
            return self._new_anonymous(ref, singular, plural)
        if det in ("a", "an", "another") or det in NUMBER_WORDS or det in ("his", "her", "its", "their"):
            return None
        if det == "" and not mods:
            return None
        phrase = _strip_article(ref.word)
        for entity in self.recent():
            if entity.kind not in ("organization", "group") or entity.anonymous:
                continue
            lower = entity.name.lower()
            wanted = " ".join([*mods.lower().split()[-1:], head]) if mods else head
            if wanted in lower or (not mods and any(head in r.lower() for r in entity.roles)):
                return entity
            if not mods and head in _GENERIC_ORG_HEADS:
                return self._main_org(entity)
        if not mods and head not in ("government", "military", "army", "police", "delegation"):
            return None
        kind = "group" if head == "delegation" else "organization"
        entity = Entity(phrase, kind, first=ref.start, head=head)
        self.entities.append(entity)
        self._orgs[phrase.lower()] = entity
        return entity

    def _main_org(self, latest: Entity) -> Entity:
        """`the company`: the body most talked about of the last few named, not merely the last
        (`a media analyst at Harlow Capital` does not make Harlow Capital `the company`)."""
        return next(
            (e for e in self.recent(12) if e.kind == "organization" and e.head is None and e.acting > 0), latest
        )

    def _last_anonymous(self, singular: str) -> Entity | None:
        return next((e for e in self.recent() if e.anonymous and e.head == singular), None)

    def _last_with_role(self, singular: str) -> Entity | None:
        return next(
            (e for e in self.recent() if e.kind == "person" and any(singular in r.lower() for r in e.roles)), None
        )

    def _new_anonymous(self, ref: Ref, singular: str, plural: bool) -> Entity:
        name = _strip_article(ref.word)
        name = re.sub(r"^(?:one of the|several|some|many|two|three|four|five)\s+", "", name, flags=re.IGNORECASE)
        entity = Entity(name, "group" if plural else "person", anonymous=True, head=singular, first=ref.start)
        reason = re.match(
            r",\s+((?:speaking|who (?:spoke|asked|requested|declined)|on condition)[^.;]{0,150}?)(?=,|\.|;)",
            self.masked[ref.end : ref.end + 200],
        )
        entity.roles.append("not named" + (f", {reason.group(1)}" if reason else ""))
        self.entities.append(entity)
        return entity

    def _resolve_pronoun(self, ref: Ref) -> Entity | None:
        if ref.word == "they":
            entity = next((e for e in self.recent() if e.kind in ("group", "organization")), None)
        else:
            gender = "m" if ref.word == "he" else "f"
            entity = next((e for e in self.recent() if e.kind == "person" and e.gender in (None, gender)), None)
        if entity is None:
            return None
        if ref.word in ("he", "she") and entity.gender is None and not entity.anonymous:
            entity.gender = "m" if ref.word == "he" else "f"
        return entity

    # -- looking references up

    def refs_between(self, start: int, end: int) -> list[Ref]:
        starts = self._ref_starts()
        k = bisect_left(starts, start)
        found: list[Ref] = []
        while k < len(self.refs) and self.refs[k].start < end:
            if self.refs[k].end <= end:
                found.append(self.refs[k])
            k += 1
        return found

    def _ref_starts(self) -> list[int]:
        if len(self._starts_cache) != len(self.refs):
            self._starts_cache = [r.start for r in self.refs]
        return self._starts_cache

    def recent(self, limit: int = RECENT) -> Iterator[Entity]:
        """Entities, the one referred to last first; at most `limit`, so that resolving stays fast."""
        for n, entity in enumerate(reversed(self._recent.values())):
            if n >= limit:
                return
            yield entity


def _inner_possessive(token: Token, following: Token, text: str) -> bool:
    """`Technology Workers’ Union`, `Plainview Children's Hospital`: a possessive inside a body's name."""
    plural = text[token.end - 1 : token.end] in "’'" and token.text.endswith("s")
    return (plural or token.text in ("Women", "Children", "Men", "People")) and following.text in ORG_WORDS


def _drop_the(toks: list[Token]) -> list[Token]:
    return toks[1:] if len(toks) > 1 and toks[0].text == "The" else toks


def _personal(word: str) -> bool:
    """Whether a capitalised word can be part of a person's name."""
    bare = word.rstrip(".")
    if word in ORG_WORDS or word in PLACE_WORDS or word in COUNTRIES or word in DEMONYMS:
        return False
    if (bare.lower() in STOP and bare.lower() not in NAMEABLE) or bare.lower() in MONTHS or bare.lower() in DAYS:
        return False
    if len(bare) == 1 and word.endswith("."):
        return True  # an initial
    if word.lower() in PARTICLES or word.lower() in NAMEABLE:
        return True
    return bool(re.fullmatch(r"[^\W\d_](?:[^\W\d_]|[’'-](?=[^\W\d_]))*", bare)) and not bare.isupper()


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:the|a|an|his|her|its|their)\s+", "", text.strip(), flags=re.IGNORECASE)


@cache
def _surname(name: str) -> str:
    """The surname of a full name, particles kept: `Marieke van der Berg` -> `van der Berg`."""
    parsed = HumanName(name)
    last = str(parsed.last) or name.split()[-1]
    return last


def _acronym_of(short: str, long: str) -> bool:
    """`CDC` for `Centers for Disease Control and Prevention`; `WHO` for `World Health Organization`."""
    if not _ACRONYM.match(short.replace(".", "")) or len(short.replace(".", "")) < 3:
        return False
    initials = "".join(w[0] for w in long.split() if w[:1].isupper())
    return initials.startswith(short.replace(".", "")) and len(long.split()) > 1


# --- quotations and their speakers -------------------------------------------------


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
_VERB_FIRST = re.compile(rf"[\s,;:—–-]*\b(?P<verb>{_SAID})\b")
_NAME_FIRST = re.compile(rf"[\s,;:—–-]*(?P<who>[^\0“”\"]{{1,140}}?)\s+(?P<verb>{_SAID})\b")
_VERB_BEFORE = re.compile(rf"\b(?P<verb>{_SAID})\b(?:(?:\s+(?!that\b)[\w’'.-]+){{0,5}}?\s*[:,]|\s*)\s*\Z")
_PARTIAL_VERB = re.compile(rf"\b(?:{_PARTIAL})\b")
#: Words that may stand between a verb and the speaker, or before a speaker: `said association president`.
_GAP_WORDS = {"the", "a", "an", "one", "of", "two", "three", "several", "some"}
_CLAUSE_COMMA = re.compile(r",(?!\d{3}\b)")


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
        by_chain: dict[int, tuple[Entity, str]] = {}
        previous_in_para: dict[int, Quotation] = {}
        last_of_para: dict[int, Quotation] = {}
        for index, span in enumerate(self.spans[:MAX_QUOTATIONS]):
            words = quote_text(self.text, span)
            if not re.search(r"[^\W_]", words):
                continue
            entity, how = self._attributed(index, span)
            if entity is None:
                entity, how = self._embedded(span)
            direct = entity is not None
            if entity is None and span.continues and span.chain in by_chain:
                entity, how = by_chain[span.chain][0], "continues the quotation before"
            previous = previous_in_para.get(span.para)
            if entity is None and previous is not None and previous.speaker and self._starts_sentence(span):
                entity, how = previous.speaker, "same speaker as the quotation before"
            if entity is None and previous is None and self._starts_sentence(span):
                before = last_of_para.get(span.para - 1)
                if before is not None and before.speaker is not None and self._quote_paragraph(span):
                    entity, how = before.speaker, "same speaker as the paragraph before"
            quotation = Quotation(words, entity, how, span)
            found.append(quotation)
            previous_in_para[span.para] = quotation
            last_of_para[span.para] = quotation
            if entity is not None and span.chain not in by_chain and direct:
                by_chain[span.chain] = (entity, how)
            quotation.direct = direct
        # A quotation continued across paragraphs takes the speaker named anywhere in it.
        for quotation in found:
            if not quotation.direct and quotation.span.chain in by_chain:
                chained = by_chain[quotation.span.chain][0]
                if quotation.speaker is not chained:
                    quotation.speaker = chained
                    quotation.how = "part of a quotation continued across paragraphs"
        for quotation in found:
            if quotation.speaker is not None:
                quotation.speaker.spoke = True
        return found

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

    def _how(self, ref: Ref, pattern: str) -> str:
        assert ref.entity is not None
        if ref.kind == "pronoun":
            return f"{pattern}; “{ref.word}” taken as the person last named"
        if ref.kind == "description" and _strip_article(ref.word).lower() != ref.entity.name.lower():
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
        """The speaker right after a verb: `“…,” said Dr. Amara Okonkwo`."""
        for ref in self.reader.refs_between(start, end):
            if ref.inner:
                continue
            if self._ok_gap(self.masked[start : ref.start]):
                return ref
            return None
        return None

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
            appositive = first_word in _CLAUSE_WORDS or re.fullmatch(r"\s*\d{1,3}\s*", piece)
            if idx > 0 and not open_last and appositive:
                continue
            refs = [r for r in self.reader.refs_between(a, b) if not r.inner and r.entity is not None]
            refs = [r for k, r in enumerate(refs) if not (r.possessive and k + 1 < len(refs))]
            if refs:
                return refs[0]
        return None


# --- figures ------------------------------------------------------------------------


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
_CURRENCY |= {"£": "GBP", "€": "EUR", "¥": "JPY"}
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
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_ABBREVIATED_SCALES = {"k": "thousand", "m": "million", "mn": "million", "bn": "billion", "b": "billion"}
_ABBREVIATED_SCALES |= {"tn": "trillion", "trn": "trillion"}
_NUMBER = re.compile(
    r"(?P<cur>(?:US|C|A|HK|NZ|S)?\$|[£€¥])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<suffix>[A-Za-z%]*)"
)
_WORD_NUMBER = "(?:" + "|".join(NUMBER_WORDS) + ")"
_WORD_RUN = re.compile(
    rf"\b(?:an?\s+(?=hundred|thousand|million|billion|trillion))?{_WORD_NUMBER}"
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
    "square meters|square miles|square kilometres|metres|meters|kilometres|kilometers|km|miles|mph|"
    "centimetres|centimeters|cm|millimetres|millimeters|mm|kilograms|kg|grams|tonnes|tons|pounds|ounces|"
    "litres|liters|gallons|barrels|acres|hectares|feet|inches|yards|megawatts|gigawatts|MW|GW|"
    "seconds|minutes|hours|days|weeks|months|years|decades|centuries|seasons|points|goals|runs|votes|cents|pence"
)
_MEASURE = re.compile(rf"\s+(?P<unit>{_MEASURES})\b")
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
_CLAUSE_BOUNDARY = re.compile(r",(?!\d{3}\b)\s|;\s|:\s|\s[—–]\s|\s-\s|[“”\"(]|\)")
_TIME_OF_DAY = re.compile(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT\b|BST\b|ET\b|EST\b|EDT\b|PT\b|o’clock|o'clock)", re.I)
_ORDINAL_SUFFIXES = {"st", "nd", "rd", "th"}
#: Words a label is not made of alone: `of the`, `in`.
_FUNCTION_WORDS = _LABEL_STOP | set("of the a an in on at by for from with into over under per each".split())
#: Words about time that say nothing of what a figure counts: `£85m a year`.
_TIME_WORDS = set("year years month months week weeks day days earlier later ago this next last per annually".split())
#: Nouns that count sources: `two people familiar with the matter said` is not a figure.
_SOURCE_COUNTS = {"sources", "people", "officials", "diplomats", "persons"}


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
        before = text[start - 1] if start > para.lead else " "
        if not cur and (before.isalnum() or before in ".,/:#-_'’"):
            if before == "-" and start - 2 >= para.lead and text[start - 2].isdigit():
                return None  # the second half of a score: 3-1
            if before not in "-" or (start - 2 >= para.lead and text[start - 2].isalnum()):
                return None  # F-16, A24, 9/11, 4:12
        after = text[end : end + 3]
        if after[:1] in ("-", "–") and after[1:2].isdigit():
            return None  # a score or a range: 3-1, 61-45
        if after[:1] in (":", "/") and after[1:2].isdigit():
            return None  # 4:12, 9/11
        if after[:1] == "." and after[1:2].isdigit():
            return None
        lower_suffix = suffix.lower()
        value = Decimal(num.replace(",", ""))
        unit: str | None = None
        scale_end = end
        if lower_suffix in _ORDINAL_SUFFIXES or lower_suffix == "s":
            return None  # 58th, 1990s
        if lower_suffix == "%":
            unit = "%"
        elif lower_suffix in _ABBREVIATED_SCALES:
            scale = _ABBREVIATED_SCALES[lower_suffix]
            unit = f"{_CURRENCY[cur]} {scale}" if cur else scale
        elif lower_suffix == "p" and not cur:
            unit = "pence"
        elif lower_suffix in ("km", "kg", "mm", "cm", "mph", "mw", "gw"):
            unit = suffix
        elif suffix:
            return None  # 4K, 3D
        if _TIME_OF_DAY.match(text, end):
            return None
        if self._is_date(start, end):
            return None
        plain = not cur and not suffix and num.isdigit() and len(num) == 4 and 1800 <= value <= 2100
        if plain and not re.match(r"\s*(?:%|percent|per cent|thousand|million|billion)", text[end : end + 12]):
            return None  # a year
        if not cur and self._identifier(start, para):
            return None
        if not suffix:
            scale_word = re.match(r"\s+(thousand|million|billion|trillion)\b", text[end : end + 12], re.IGNORECASE)
            if scale_word:
                value *= _SCALES[scale_word.group(1).lower()]
                scale_end = end + scale_word.end()
            if cur:
                unit = _CURRENCY[cur]
        if self._after_number_word(start, para):
            return None  # five 3-pointers
        return (start, end, value, unit, "digits", scale_end)

    def _words(self, match: re.Match[str], para: Paragraph) -> tuple[int, int, Decimal, str | None, str, int] | None:
        start, end = match.span()
        words = match.group()
        values = numbers_in(words)
        if len(values) != 1:
            return None
        value = values.pop()
        if value == 1 and not re.search(r"thousand|million|billion|trillion", words, re.IGNORECASE):
            return None  # `one of the`, `no one`: rarely a figure
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

    def _after_number_word(self, start: int, para: Paragraph) -> bool:
        before = self.text[max(para.lead, start - 14) : start]
        return re.search(rf"\b{_WORD_NUMBER}\s\Z", before, re.IGNORECASE) is not None

    def _is_date(self, start: int, end: int) -> bool:
        before = self.text[max(0, start - 11) : start]
        if re.search(rf"\b(?:{_MONTH_NAMES})\.?\s\Z", before):
            return True
        return re.match(rf",?\s(?:{_MONTH_NAMES})\b", self.text[end : end + 12]) is not None

    def _identifier(self, start: int, para: Paragraph) -> bool:
        """`Women 3`, `Section 230`, `No. 2`: a number that names rather than counts."""
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
        cur_start = start
        qualifier = self._qualifier(cur_start, para)
        rest_at = scale_end
        label = ""
        rest = text[rest_at : rest_at + 160]
        if unit is None or unit == "%":
            percent = re.match(r"\s*(?:%|percent\b|per cent\b)", rest)
            if unit == "%" or percent:
                unit = "%"
                if percent:
                    rest_at += percent.end()
                points = re.match(r"\s*(?:%|percent|per cent)?\s*points?\b", rest)
                if points and not percent:
                    unit = "percentage points"
        rest = text[rest_at : rest_at + 160]
        if unit is None:
            money = re.match(r"\s+(dollars|dollar|euros|euro|pounds|yen|yuan|rupees|francs)\b(?!\s+of\b)", rest)
            compound = re.match(r"[-–](?P<word>[a-z]+)(?P<old>-old)?\b", rest)
            range_to = re.match(r"\s+(?:to|and|or)\s+[\d.,]+\s*(%|percent|per cent)", rest)
            if money:
                unit = _CURRENCY_WORDS[money.group(1)]
                rest_at += money.end()
            elif compound:
                word = compound.group("word")
                if compound.group("old"):
                    unit, label = "years", "age"
                    rest_at += compound.end()
                else:
                    unit = _TIME_SINGULAR.get(word, word if word.endswith("s") else word + "s")
                    rest_at += compound.end()
            elif range_to:
                unit = "%"
            elif self._age(start, end, para):
                unit = "years"
                label = "age of " + self._age(start, end, para)
            else:
                measure = _MEASURE.match(rest)
                if measure:
                    unit = measure.group("unit")
                    rest_at += measure.end()
        words = self._label_words(rest_at, s1)
        standing_for_a_noun = unit is None and not label and kind == "words" and not words
        if standing_for_a_noun and re.search(r"\bthe\s+\Z", text[max(para.lead, start - 6) : start]):
            return None  # `the three could try`: a number standing for a noun said before
        if unit is None and not label:
            unit = self._head_noun(words)
        if unit is not None and unit.lower() in _SOURCE_COUNTS and self._counts_sources(start, end, words, s0):
            return None  # `two people familiar with the matter said`: how many sources, not a figure
        if not label:
            share = unit == "%" and bool(words) and words[0].lower() == "of"
            words = _trim_words(words)
            content = [w for w in words if w.lower() not in _FUNCTION_WORDS | _TIME_WORDS]
            label = " ".join(words) if content else ""
            if share and label:
                label = "share of " + label
            elif unit in _TIME_SINGULAR.values() and label and text[end : end + 1] in "-–":
                label = "length of the " + label
            if not label:
                label = self._label_before(start, s0)
        if not label:
            label = unit or "figure"
        label = " ".join(label.split())[:200].rstrip(" ,;:")
        evidence = self._evidence(start, max(rest_at, scale_end), s0, s1, value)
        if evidence is None:
            return None
        return FigureFound(value, unit, qualifier, label, evidence, start)

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
            if clean != word or raw.endswith(("”", '"', ")", "’")) or len(words) >= 7:
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


# --- next steps ------------------------------------------------------------------------


@dataclass
class NextFound:
    """A sentence about what will, is expected to or may happen."""

    text: str
    when: str | None
    who: str | None
    strong: bool


_STRONG_NEXT = re.compile(
    r"\b(?:will|won['’]t|(?:is|are|was|were)\s+(?:expected|scheduled|set|due|likely|poised|slated)\s+to|"
    r"(?:is|are)\s+scheduled\s+for|plans?\s+to|intends?\s+to|aims?\s+to|is\s+to|are\s+to)\b"
)
_WEAK_NEXT = re.compile(r"\b(?:may|could|might)\b(?!\s+(?:not|have|be\s+seen)\b)")
_WHEN = re.compile(
    r"\b(?:(?:in|over|within)\s+the\s+(?:coming|next)\s+(?:few\s+)?(?:days|weeks|months|years)"
    r"|(?:next|this|later\s+this)\s+(?:week|month|year|spring|summer|fall|autumn|winter|weekend)"
    r"|by\s+the\s+end\s+of\s+(?:the|this|next)\s+(?:week|month|year)"
    r"|as\s+early\s+as\s+(?:next\s+)?\w+"
    r"|(?:on|by|before|from)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|night))?"
    rf"|(?:on|by|in|from|before|for)\s+(?:{_MONTH_NAMES})\.?(?:\s+\d{{1,2}})?(?:,\s+\d{{4}})?"
    r"|tomorrow|tonight|within\s+\d+\s+(?:days|weeks|hours|months))\b"
)


def next_steps(text: str, masked: str, paras: list[Paragraph], starts: list[int], reader: Reader) -> list[NextFound]:
    """Sentences of the prose about what will happen, strongest first in the order of the text."""
    found: list[NextFound] = []
    prose = [p for p in paras if p.kind == "prose"]
    for para in prose:
        for a, b in itertools.pairwise(_bounds(starts, para.lead, para.end)):
            outside = masked[a:b]
            strong = _STRONG_NEXT.search(outside)
            weak = _WEAK_NEXT.search(outside)
            if not strong and not weak:
                continue
            if outside.count("\0") > len(outside) / 2:
                continue
            sentence = " ".join(text[a:b].split())
            if len(sentence) > 1000 or len(sentence) < 20:
                continue
            when = _WHEN.search(outside)
            refs = [r for r in reader.refs_between(a, b) if not r.inner and r.entity is not None]
            who = refs[0].entity.name if refs and refs[0].entity is not None else None
            found.append(NextFound(sentence, when.group() if when else None, who, strong is not None))
    strong_ones = [n for n in found if n.strong]
    weak_ones = [n for n in found if not n.strong]
    return (strong_ones + weak_ones)[:20] if len(found) > 20 else found


# --- the whole article ----------------------------------------------------------------


@dataclass
class Analysis:
    """What `analyse` finds in an article."""

    text: str
    paragraphs: list[Paragraph]
    first_line: str
    headline: bool  # whether the first line is a headline rather than the lead
    location: str | None
    agency: str | None
    dateline_day: tuple[int, int] | None  # month, day
    dates: list[tuple[int, int, int]]  # year, month, day found in the header lines
    lead: list[str]  # the first sentences of the prose
    sentences: list[str]
    quotes: list[Quotation]
    figures: list[FigureFound]
    entities: list[Entity]
    next: list[NextFound]
    truncated: bool


def analyse(original: str) -> Analysis:
    """Read an article (its text, as a source file holds it)."""
    truncated = len(original) > MAX_SCAN
    text = original[:MAX_SCAN]
    paras = paragraphs(text)
    spans = quote_spans(text, paras)
    starts = sentence_starts(text, paras, spans)
    masked = mask_quotes(text, spans)
    reader = Reader(text, masked, paras, starts)
    quotes = Speakers(text, masked, paras, spans, starts, reader).find()
    figures = Figures(text, paras, starts, reader).find()
    steps = next_steps(text, masked, paras, starts, reader)
    first_line = text.strip().split("\n", 1)[0].strip() if text.strip() else ""
    location = agency = None
    dateline_day = None
    prose = [p for p in paras if p.kind == "prose"]
    if prose and prose[0].lead > prose[0].start:
        match = DATELINE.match(text, prose[0].start, prose[0].end)
        if match:
            location = _place_name(match.group("place"))
            agency = match.group("agency")
            if match.group("month"):
                dateline_day = (MONTHS[match.group("month").lower()], int(match.group("day")))
    dates: list[tuple[int, int, int]] = []
    for para in paras[:8]:
        if para.kind in ("byline", "date", "heading") or (para is (prose[0] if prose else None)):
            end = para.lead if para.kind == "prose" and para.lead > para.start else para.end
            for match in FULL_DATE.finditer(text, para.start, end):
                dates.append(_date_of(match))
    sentences: list[str] = []
    for para in prose:
        for a, b in itertools.pairwise(_bounds(starts, para.lead, para.end)):
            sentence = " ".join(text[a:b].split())
            if sentence:
                sentences.append(sentence)
        if len(sentences) > 40:
            break
    lead = []
    if prose:
        bounds = _bounds(starts, prose[0].lead, prose[0].end)
        lead = [" ".join(text[a:b].split()) for a, b in itertools.pairwise(bounds)][:10]
    return Analysis(
        text=text,
        paragraphs=paras,
        first_line=first_line,
        headline=bool(paras) and paras[0].kind == "headline",
        location=location,
        agency=agency,
        dateline_day=dateline_day,
        dates=[d for d in dates if d[1] > 0],
        lead=[s for s in lead if s],
        sentences=sentences,
        quotes=quotes,
        figures=figures,
        entities=reader.entities,
        next=steps,
        truncated=truncated,
    )


def _trim_words(words: list[str]) -> list[str]:
    """A label's words without function or time words hanging at either end: `of the jobs` -> `jobs`."""
    drop = _FUNCTION_WORDS | _TIME_WORDS | {"between", "more", "less", "than", "some"}
    while words and words[-1].lower() in drop:
        words = words[:-1]
    while words and words[0].lower() in drop - {"per"}:
        words = words[1:]
    return words


def _bounds(starts: list[int], lead: int, end: int) -> list[int]:
    """The sentence starts of a paragraph, and its end."""
    return [*starts[bisect_left(starts, lead) : bisect_left(starts, end)], end]


def _tidy(span: str) -> str:
    """A span of the text as evidence: whitespace collapsed, no punctuation hanging at either end."""
    evidence = " ".join(span.split()).strip(' ,;:—–-“”"‘’()')
    return evidence.rstrip(".") if not evidence.endswith("..") else evidence


def _place_name(caps: str) -> str:
    """`SAN JOSE` -> `San Jose`, `THE HAGUE` -> `The Hague`."""
    return " ".join(word.capitalize() if word.isupper() else word for word in caps.split())


def _date_of(match: re.Match[str]) -> tuple[int, int, int]:
    if match.group("iso"):
        year, month, day = (int(part) for part in match.group("iso").split("-"))
        return year, month, day
    month_name: str = match.group("month") or match.group("month2")
    day_text: str = match.group("day") or match.group("day2")
    year_text: str = match.group("year") or match.group("year2")
    return int(year_text), MONTHS.get(month_name.lower(), 0), int(day_text)
