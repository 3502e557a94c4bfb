"""The words the extraction knows: speech verbs, titles and roles, heads of descriptions, words of
bodies' and places' names, countries, demonyms, abbreviations and number words; and the limits of a read.

Every rule of the other modules looks words up here; nothing here reads an article.
"""

from __future__ import annotations

from functools import cache

from nameparser.config import CONSTANTS

#: At most this much of an article is read (a 1 MiB file of quotations stays fast).
MAX_SCAN = 200_000
#: How many entities back a pronoun or a description looks for what it stands for.
RECENT = 40
#: How far before or after a quotation or a figure its sentence is read (so a text with no full stop stays fast).
WINDOW = 400
#: At most this many quotations and numbers are read (an article has a few dozen).
MAX_QUOTATIONS = 2000
MAX_NUMBERS = 1000


DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

#: Verbs that attribute words to a speaker: `“…,” X said`, `said X`, `X said: “…”`.
SAID_VERBS = set(
    """said says say told tells added adds asked asks wrote writes explained explains noted notes stated
    argued argues insisted insists warned warns recalled recalls continued remarked acknowledged admitted
    declared tweeted posted replied responded answered complained conceded cautioned stressed emphasized
    emphasised predicted suggested announced urged concluded joked pleaded shouted yelled whispered
    testified recounted observed countered quipped boasted vowed promised reiterated commented
    maintained contended lamented mused told stating""".split()
)
#: Verbs before a partial quotation that make the sentence's subject its speaker:
#: `the official called them “constructive”`.
PARTIAL_VERBS = SAID_VERBS | set(
    """called calling calls described describing describes termed labelled labeled dubbed branded
    characterized characterised mentioned mentioning claimed claims claiming remarking noting saying
    telling adding warning praised praising criticized criticised condemned welcomed hailed accused
    denied pledged expressed reported reporting signalled signaled declined refused insisting arguing
    stressing complaining questioned dismissed rejected describe call promising vowing recounting
    recalling acknowledging admitting deploying expects expected blamed blaming urging spoke speaks speaking
    found finds ruled rules judged deemed considered considers""".split()
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
    teacher farmer worker student parent doctor coordinator emergency officer engineer professor physician
    rancher expert administrator inspector investigator agent specialist adviser advisor consultant surgeon
    judge author historian curator conductor musician artist founder supervisor counsel commissioner
    ice climate space program project research""".split()
)
#: Roles a person named earlier may be referred to by alone: `the council's finance director told the meeting`.
ROLE_HEADS = frozenset(
    """director minister secretary coach manager chairman chairwoman chair president mayor governor commissioner
    superintendent prosecutor attorney judge lawyer leader founder officer inspector sheriff principal treasurer
    administrator senator ambassador economist scientist researcher professor analyst coordinator editor
    captain commander investigator""".split()
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
ANON_PLURALS = {plural: singular for singular, plural in ANON_HEADS.items()}
#: Heads of a description of a body: `the ministry`, `the state labor relations board`.
ORG_HEADS = set(
    """ministry department agency company firm union association council board court district police
    government military army club team commission committee office service authority hospital school
    university group party administration bank institute organization organisation operator regulator
    airline network federation league coalition delegation campaign municipality embassy cabinet
    parliament senate center centre foundation charity startup utility navy""".split()
)
#: Generic heads that name the last body mentioned, whatever it is called: `the company`.
GENERIC_ORG_HEADS = {"company", "firm", "group", "agency", "organization", "organisation", "operator", "startup"}
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
PLACE_PREFIXES = {"New", "San", "Santa", "Los", "Las", "Saint", "St.", "Fort", "Port", "Mount", "Lake", "Cape", "El"}
#: Words before a name that make it a place: `in Cairo`.
PLACE_PREPOSITIONS = {"in", "at", "near", "from", "to", "into", "across", "outside", "inside", "toward", "towards"}
PLACE_PREPOSITIONS |= {"via", "around", "throughout", "of"}
#: Particles inside names: `Marieke van der Berg`, `Ribeira de Cima`.
PARTICLES = {"van", "der", "den", "de", "la", "le", "du", "da", "das", "dos", "del", "della", "von", "zu"}
PARTICLES |= {"bin", "ibn", "al", "el", "ten", "ter", "di", "st", "y", "bint", "abu"}
#: Words that open a clause or an appositive after a name, never a name: `Dunmore, who …, added`.
CLAUSE_WORDS = set(
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
NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
    " seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand"
    " million billion trillion lakhs lakh crores crore"
).split()


#: Common words that are also parts of names, inside a name: `Saadia Even Tsur`.
NAMEABLE = {"even", "will", "may", "long", "young", "rich", "new", "still", "more", "mark", "last", "little"}


# --- titles (nameparser's list, with the roles newsrooms use) -----------------


@cache
def titles() -> frozenset[str]:
    """Lowercase words that are titles before a name: nameparser's, and the roles of news copy."""
    known = {title.replace(".", "") for title in CONSTANTS.titles}
    return frozenset((known | ROLE_WORDS) - _NOT_TITLES)


def is_title(token: str) -> bool:
    return token.rstrip(".").lower() in titles()
