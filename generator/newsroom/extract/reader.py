"""The reading of references: one pass over an article's prose that finds its names, descriptions
(`a U.S. official`, `the ministry`) and pronouns, and resolves each in the order of the text: a
surname alone to the person named in full, a pronoun to the person last named, a description to
the body or source it stands for.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.newsroom.extract.cues import (
    adjectival,
    org_cue,
    person_cue,
    role_before,
    roles_around,
    verb_after,
    word_before,
)
from generator.newsroom.extract.descriptions import Described, descriptions
from generator.newsroom.extract.names import (
    ACRONYM,
    Entity,
    Ref,
    Run,
    acronym_of,
    classify,
    inner_possessive,
    name_like,
    personal,
    strip_article,
    surname_of,
)
from generator.newsroom.extract.text import Paragraph, Token, tokens
from generator.newsroom.extract.vocabulary import (
    ANON_HEADS,
    ANON_PLURALS,
    COUNTRIES,
    GENERIC_ORG_HEADS,
    MAX_SCAN,
    NUMBER_WORDS,
    ORG_HEADS,
    ORG_WORDS,
    PARTICLES,
    PLACE_PREPOSITIONS,
    RECENT,
    ROLE_HEADS,
    STOP,
    is_title,
)

_CONNECTORS = {"of", "for", "and", "&"}
#: Words before a body's name that make the mention an affiliation, not the body acting.
_AFFILIATION = {"at", "of", "with", "by", "from", "for", "in", "to", "on"}


def _within(ref: Ref, covering: Ref | None, roles: list[tuple[int, int]], role_starts: list[int]) -> bool:
    """Whether a reference lies inside a description resolved before it, or a role written before a name."""
    if covering is not None and ref.start >= covering.start and ref.end <= covering.end and ref is not covering:
        return True
    k = bisect_right(role_starts, ref.start) - 1
    return k >= 0 and ref.end <= roles[k][1] and ref.kind != "pronoun"


#: A run as classified: the run, what it names, the name's tokens and the title before it.
_Plan = tuple[Run, str, list[Token], list[Token]]


@dataclass
class _Evidence:
    """How often each name was met where a person's, a body's or a place's name stands."""

    person: dict[str, int] = field(default_factory=dict)
    org: dict[str, int] = field(default_factory=dict)
    place: dict[str, int] = field(default_factory=dict)

    def more_body_than_place(self, key: str) -> bool:
        return self.org.get(key, 0) > self.place.get(key, 0)


def _count(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


def _key(name: list[Token]) -> str:
    return " ".join(t.text for t in name)


def _confirm_people(plans: list[_Plan], evidence: _Evidence) -> tuple[list[list[Token]], set[str], set[str]]:
    """The full names of people and possible people, their last words, and the possible people confirmed:
    with more evidence of a person than of a place, and none of a body (a surname met alone is evidence)."""
    full_names = [name for _, kind, name, _ in plans if kind in ("person", "person?") and len(name) > 1]
    surnames = {name[-1].text for name in full_names}
    singles = {_key(name) for _, kind, name, _ in plans if kind == "single"}
    for name in full_names:
        if name[-1].text in singles:
            _count(evidence.person, _key(name))
    confirmed = {
        key
        for key, count in evidence.person.items()
        if count > 0 and evidence.org.get(key, 0) == 0 and evidence.place.get(key, 0) <= count
    }
    return full_names, surnames, confirmed


def _settled(kind: str, key: str, confirmed: set[str], surnames: set[str], evidence: _Evidence) -> str | None:
    """What a possible person or a single word names after all, by the evidence; None: nothing to refer to."""
    if kind == "person?":
        if key in confirmed:
            return "person"
        return "org" if evidence.more_body_than_place(key) else None
    if kind == "single":
        if key in surnames:
            return "surname"
        return "org" if evidence.more_body_than_place(key) else None
    return kind


def _add_role(entity: Entity, role: str) -> None:
    if role and role not in entity.roles:
        entity.roles.append(role)


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
        self._pending: dict[int, Described] = {}
        self._starts_cache: list[int] = []
        self._role_spans: list[tuple[int, int]] = []  # roles before names: what is named there is not a subject
        runs = [run for para in self.paras for run in self._runs(para)]
        self._read(runs)

    # -- runs of capitalised words

    def _runs(self, para: Paragraph) -> list[Run]:
        toks = tokens(self.masked, para.lead, para.end)
        runs: list[Run] = []
        current: list[Token] = []

        def flush() -> None:
            while current and not current[-1].text[:1].isupper():
                current.pop()
            if current:
                runs.append(Run(list(current), current[0].start in self.starts or self._after_opening(current[0])))
            current.clear()

        i = 0
        while i < len(toks):
            tok = toks[i]
            adjacent = (
                bool(current)
                and self.masked[current[-1].end : tok.start] == " "
                and (not current[-1].possessive or inner_possessive(current[-1], tok, self.text))
            )
            if name_like(tok, adjacent):
                if current and not adjacent:
                    flush()
                current.append(tok)
            elif adjacent and self._joins(current, toks, i):
                current.append(tok)
            else:
                flush()
            i += 1
        flush()
        return [run for run in map(self._trim, _split_bodies(runs)) if run is not None]

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
        if j >= len(toks) or j - i > 3 or not name_like(toks[j]):
            return False
        if self.masked[toks[j - 1].end : toks[j].start] != " ":
            return False
        if word in PARTICLES:
            return True
        if word in ("and", "&"):
            # `Ministry of Trade and Industry`; a title naming a body: `Commissioner for Inspections and Investigations`
            return any(t.text in ORG_WORDS for t in current) or (
                any(t.text in ("of", "for") for t in current) and any(is_title(t.text) for t in current)
            )
        return any(t.text in ORG_WORDS or is_title(t.text) for t in current)

    def _trim(self, run: Run) -> Run | None:
        """A sentence's first word that is a common word (`Jurors`, `Despite`) is not part of a name."""
        toks = run.tokens
        if run.initial:
            first = toks[0].text
            lower = first.lower()
            if lower in STOP or (lower in self.lower_vocab and not is_title(first)):
                toks = toks[1:]
                run = Run(toks, False) if toks else run
                if not toks:
                    return None
        return run

    # -- classification

    def _read(self, runs: list[Run]) -> None:
        evidence = _Evidence()
        plans = self._plans(runs, evidence)
        # Surnames of people named in full make a later surname alone theirs, and confirm them.
        full_names, surnames, confirmed = _confirm_people(plans, evidence)
        refs: list[Ref] = []
        surname_keys = self._surname_keys(full_names, confirmed)
        known_surnames = surnames | surname_keys
        for run, kind, name, title in plans:
            settled = _settled(kind, _key(name), confirmed, known_surnames, evidence)
            if settled is None:
                continue
            refs.extend(self._refs_of(run, settled, name, title))
        refs.extend(self._descriptions())
        refs.extend(self._pronouns())
        refs.sort(key=lambda r: (r.start, -r.end))
        self._resolve(refs)

    def _plans(self, runs: list[Run], evidence: _Evidence) -> list[_Plan]:
        """Each run classified (a common word that starts a sentence left out), the evidence around it counted."""
        capitalised_inside = self._capitalised_inside(runs)
        plans: list[_Plan] = []
        for run in runs:
            kind, name, title = classify(run)
            first = run.tokens[0].text
            if kind == "single" and run.initial and first not in capitalised_inside and not ACRONYM.match(first):
                continue  # `Jurors deliberated`: a common word that starts a sentence
            plans.append((run, kind, name, title))
            self._weigh(run, kind, _key(name), evidence)
        return plans

    def _capitalised_inside(self, runs: list[Run]) -> set[str]:
        """Words capitalised inside a sentence, or at the start of two and never written in lowercase."""
        capitalised_inside: set[str] = {r.tokens[0].text for r in runs if not r.initial}
        capitalised_inside |= {t.text for r in runs for t in r.tokens[1:]}
        initial_counts: dict[str, int] = {}
        for r in runs:
            if r.initial and len(r.tokens) == 1:
                initial_counts[r.tokens[0].text] = initial_counts.get(r.tokens[0].text, 0) + 1
        capitalised_inside |= {w for w, n in initial_counts.items() if n >= 2 and w.lower() not in self.lower_vocab}
        return capitalised_inside

    def _weigh(self, run: Run, kind: str, key: str, evidence: _Evidence) -> None:
        """Count what the words around a run say it names: a place, a body or a person."""
        before = word_before(self.masked, run.start)
        if before in PLACE_PREPOSITIONS:
            _count(evidence.place, key)
        if kind in ("person?", "single"):
            if org_cue(self.masked, run):
                _count(evidence.org, key)
            if kind == "person?" and person_cue(self.masked, run):
                _count(evidence.person, key)
            if kind == "single" and (verb_after(self.masked, run.end) or ACRONYM.match(key)):
                _count(evidence.org, key)

    def _surname_keys(self, full_names: list[list[Token]], confirmed: set[str]) -> set[str]:
        keys: set[str] = set()
        for name in full_names:
            if " ".join(t.text for t in name) in confirmed:
                keys.add(surname_of(" ".join(t.text for t in name)))
        return keys

    # -- references

    def _refs_of(self, run: Run, kind: str, name: list[Token], title: list[Token]) -> list[Ref]:
        text = " ".join(t.text for t in name)
        possessive = run.tokens[-1].possessive
        if kind == "country":
            return self._country_refs(run, text, possessive)
        if kind == "org":
            return self._org_refs(run, name, text, possessive)
        if kind == "person":
            return self._person_refs(run, name, title, text, possessive)
        if kind == "surname":
            return [Ref(run.start, run.end, None, "surname", text, possessive)]
        return []

    def _country_refs(self, run: Run, text: str, possessive: bool) -> list[Ref]:
        canonical = COUNTRIES.get(text) or COUNTRIES.get(text[4:], text)
        if adjectival(self.masked, run):
            return []
        entity = self._org_entity(canonical, "country", run.start)
        return [Ref(run.start, run.end, entity, "name", text, possessive)]

    def _org_refs(self, run: Run, name: list[Token], text: str, possessive: bool) -> list[Ref]:
        written = " ".join(self.text[name[0].start : run.end].split())
        entity = self._org_entity(written if run.tokens[-1].possessive is False else text, "organization", run.start)
        org_role = role_before(self.masked, run.start)
        appositive = re.match(
            r",\s+(?:the|a|an)\s+((?:[\w’'-]+\s+){0,5}?[a-z]+)\s*,", self.masked[run.end : run.end + 120]
        )
        if org_role and org_role not in entity.roles:
            entity.roles.append(strip_article(org_role))
        if appositive and appositive.group(1).split()[-1] in ORG_HEADS:
            entity.roles.append(appositive.group(1))
        return [Ref(name[0].start, run.end, entity, "name", text, possessive)]

    def _person_refs(self, run: Run, name: list[Token], title: list[Token], text: str, possessive: bool) -> list[Ref]:
        refs: list[Ref] = []
        if len(name) == 1 and title:
            entity = self._by_surname(text, run.start) or self._person(text, run.start)
        else:
            entity = self._person(text, run.start)
        for role in roles_around(self.text, self.masked, self._sorted_starts, run, title):
            if role not in entity.roles:
                entity.roles.append(role)
        before = role_before(self.masked, run.start)
        if before:
            self._role_spans.append((run.start - len(before) - 1, run.start))
        if title:
            self._gender_from(entity, title[0].text)
            # An organisation in the title (`CIA Director`) is named too, but is not the subject.
            org_tokens = [t for t in title if ACRONYM.match(t.text) and t.text not in COUNTRIES]
            for tok in org_tokens:
                org = self._org_entity(tok.text, "organization", tok.start)
                refs.append(Ref(tok.start, tok.end, org, "name", tok.text, inner=True))
        refs.append(Ref(name[0].start, run.end, entity, "name", text, possessive))
        return refs

    def _person(self, name: str, at: int) -> Entity:
        entity = self._people.get(name)
        if entity is None:
            entity = Entity(name, "person", first=at)
            entity.surnames = {name.split()[-1], surname_of(name)}
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
        if entity is None:  # the bodies referred to last, then those named last: `Korean Central News Agency (KCNA)`
            named = itertools.islice(reversed(self._orgs.values()), RECENT * 4)
            for other in itertools.chain(self.recent(RECENT * 4), named):
                if other.kind == kind and (acronym_of(name, other.name) or acronym_of(other.name, name)):
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
        refs: list[Ref] = []
        for ref, described in descriptions(self.text, self.masked, self.paras):
            self._pending[id(ref)] = described
            refs.append(ref)
        return refs

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
        previous: Ref | None = None
        for ref in refs:
            if _within(ref, covering, roles, role_starts):
                ref.inner = True
            if ref.kind == "description":
                named = self._before_name(ref, name_starts) or self._after_name(ref, previous)
                if named is not None:
                    ref.inner = True
                    if named.entity is not None and named.entity.kind == "person":
                        _add_role(named.entity, strip_article(ref.word))
                    continue
            self._resolve_one(ref)
            if ref.kind == "name":
                previous = ref
            if ref.kind == "description" and ref.entity is not None:
                covering = ref
            if ref.entity is None:
                continue
            self._mentioned(ref, ref.entity)
            kept.append(ref)
        self._roles_from_descriptions(kept)
        self.refs = kept

    def _resolve_one(self, ref: Ref) -> None:
        """The entity a description, a pronoun or a surname stands for (a name has its own)."""
        if ref.kind == "description":
            ref.entity = self._resolve_description(ref)
        elif ref.kind == "pronoun":
            ref.entity = self._resolve_pronoun(ref)
        elif ref.kind == "surname":
            ref.entity = self._by_surname(ref.word, ref.start)
            ref.kind = "name"

    def _mentioned(self, ref: Ref, entity: Entity) -> None:
        """Count a mention of an entity (acting, unless after a preposition) and, unless it is inside
        a title or a description, make it the one referred to last."""
        entity.mentions += 1
        if word_before(self.masked, ref.start) not in _AFFILIATION:
            entity.acting += 1
        if not ref.inner or ref.kind == "name":
            self._last[id(entity)] = ref.start
            self._recent.pop(id(entity), None)
            self._recent[id(entity)] = entity

    def _roles_from_descriptions(self, kept: list[Ref]) -> None:
        """A description right before a name is that name's role: `the grid operator Rede Norte`."""
        for before, after in itertools.pairwise(kept):
            named = before.kind == "description" and after.kind == "name" and after.entity is not None
            if named and after.entity is not None and self.masked[before.end : after.start] == " ":
                before.inner = True
                role = strip_article(before.word)
                if role not in after.entity.roles:
                    after.entity.roles.insert(0, role)

    def _before_name(self, ref: Ref, name_starts: dict[int, Ref]) -> Ref | None:
        """`Israel’s military spokesperson, Rear Adm. Daniel Hagari,`: a description that is a name's role; the
        name."""
        match = re.match(r",\s+(?:[A-Z][\w’'.-]*\s+){0,4}", self.masked[ref.end : ref.end + 80])
        if not match:
            return None
        for offset in range(ref.end + 2, ref.end + match.end() + 1):
            named = name_starts.get(offset)
            if named is not None and named.kind in ("name", "surname") and not named.word.isupper():
                after = self.masked[named.end : named.end + 2]
                return named if after.startswith((",", " said", " told")) else None
        return None

    def _after_name(self, ref: Ref, previous: Ref | None) -> Ref | None:
        """`Omar Haddad, a spokesman for the ministry, spoke`: a description between commas right after a
        person's name is the person's role, not another person; the name."""
        if previous is None or previous.entity is None or previous.entity.kind != "person":
            return None
        if not re.fullmatch(r",\s+", self.masked[previous.end : ref.start]):
            return None
        closed = re.match(r"\s*[,;]|\s+(?:said|says|told|added)\b", self.masked[ref.end : ref.end + 12])
        return previous if closed else None

    def _resolve_description(self, ref: Ref) -> Entity | None:
        det, head, mods = self._pending.pop(id(ref), ("", "", ""))
        singular = ANON_PLURALS.get(head, head)
        plural = head in ANON_PLURALS or head == "people"
        if singular in ANON_HEADS:
            return self._resolve_anonymous(ref, det, singular, plural)
        if head in ROLE_HEADS and head not in ORG_HEADS:
            return self._resolve_role(ref, det, head, mods)
        return self._resolve_body(ref, det, head, mods)

    def _resolve_role(self, ref: Ref, det: str, head: str, mods: str) -> Entity | None:
        """`the council's finance director told the meeting`: the person named before with that role, if any
        (never a new one); not a role written before a name (`the finance director Priya Varma`)."""
        if det != "the" or re.match(r" [A-Z]", self.masked[ref.end : ref.end + 2]):
            return None
        words = [w.strip("’'s").lower() for w in mods.split()]
        people = [e for e in self.recent() if e.kind == "person" and any(head in r.lower() for r in e.roles)]
        fitting = [e for e in people if all(any(w in r.lower() for r in e.roles) for w in words[-1:])]
        chosen = fitting or people
        return chosen[0] if chosen else None

    def _resolve_anonymous(self, ref: Ref, det: str, singular: str, plural: bool) -> Entity | None:
        """`one of the officials`, `the official`: the unnamed source last described so, or a new one."""
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

    def _resolve_body(self, ref: Ref, det: str, head: str, mods: str) -> Entity | None:
        """`the ministry`, `the company`, `the state labor board`: a body named before, or a new one."""
        if det in ("a", "an", "another") or det in NUMBER_WORDS or det in ("his", "her", "its", "their"):
            return None
        if det == "" and not mods:
            return None
        phrase = strip_article(ref.word)
        known = self._known_body(head, mods)
        if known is not None:
            return known
        if not mods and head not in ("government", "military", "army", "police", "delegation"):
            return None
        kind = "group" if head == "delegation" else "organization"
        entity = Entity(phrase, kind, first=ref.start, head=head)
        self.entities.append(entity)
        self._orgs[phrase.lower()] = entity
        return entity

    def _known_body(self, head: str, mods: str) -> Entity | None:
        """The body of the last few referred to whose name or role a description's words are in."""
        for entity in self.recent():
            if entity.kind not in ("organization", "group") or entity.anonymous:
                continue
            lower = entity.name.lower()
            wanted = " ".join([*mods.lower().split()[-1:], head]) if mods else head
            if wanted in lower or (not mods and any(head in r.lower() for r in entity.roles)):
                return entity
            if not mods and head in GENERIC_ORG_HEADS:
                return self._main_org(entity)
        return None

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
        name = strip_article(ref.word)
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


def _split_bodies(runs: list[Run]) -> list[Run]:
    """A body's name run into a person's: `Refugee Council Enver Solomon` is the council, then Enver Solomon
    (as in `CEO of the Refugee Council Enver Solomon`): a run whose last two or three words can be a person's
    name and follow a word that ends a body's name is two runs."""
    out: list[Run] = []
    for run in runs:
        toks = run.tokens
        cut = len(toks)
        while cut > 0 and len(toks) - cut < 3 and personal(toks[cut - 1].text) and not is_title(toks[cut - 1].text):
            cut -= 1
        if 2 <= len(toks) - cut <= 3 and cut >= 2 and toks[cut - 1].text in ORG_WORDS:
            out += [Run(toks[:cut], run.initial), Run(toks[cut:], False)]
        else:
            out.append(run)
    return out
