"""What joins briefings together: actors, running stories, topics, and related briefings.

Everything here is computed once per build from the published briefings, in
time that grows linearly with the collection: indexes are built in one pass,
and related briefings are found through those indexes, looking at a bounded
number of neighbours per shared key, never at every pair of briefings.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from generator.format.model import Briefing, Quote, newest_first
from generator.rules.addresses import address

#: Related briefings shown at the end of a briefing page.
RELATED_COUNT = 5
#: Per shared key (story, actor, topic), how many briefings nearest in time are considered.
RELATED_NEIGHBOURS = 20


@dataclass
class ActorRecord:
    """One actor id across the whole collection."""

    id: str
    name: str
    kind: str
    #: Each distinct role, with the newest briefing it was seen in; newest first.
    roles: dict[str, Briefing] = field(default_factory=dict)
    #: Every briefing the actor appears in, newest first.
    briefings: list[Briefing] = field(default_factory=list)
    #: Every quote they gave, with its briefing, newest first.
    quotes: list[tuple[Quote, Briefing]] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The actor's id: what their address is made of (`who/<id>/`), as a story's or topic's key."""
        return self.id


@dataclass
class Group:
    """The briefings of one story or one topic, under its name."""

    #: The name made into an address (`generator.rules.addresses.address`).
    key: str
    name: str
    #: Oldest first for a story (a timeline), newest first for a topic.
    briefings: list[Briefing] = field(default_factory=list)

    def position(self, briefing: Briefing) -> int:
        """Where a briefing stands in `briefings`: looked up, not searched for."""
        if len(self._positions) != len(self.briefings):
            self._positions = {b.slug: i for i, b in enumerate(self.briefings)}
        return self._positions[briefing.slug]

    _positions: dict[str, int] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class Joins:
    """Every join across the published collection."""

    briefings: list[Briefing]
    actors: dict[str, ActorRecord]
    stories: dict[str, Group]
    topics: dict[str, Group]
    related: dict[str, list[Briefing]]

    def story_of(self, briefing: Briefing) -> Group | None:
        return self.stories[address(briefing.story)] if briefing.story else None

    def neighbours(self, briefing: Briefing) -> tuple[Briefing | None, Briefing | None]:
        """The previous and next briefing in the same story."""
        story = self.story_of(briefing)
        if story is None:
            return None, None
        index = story.position(briefing)
        before = story.briefings[index - 1] if index > 0 else None
        after = story.briefings[index + 1] if index + 1 < len(story.briefings) else None
        return before, after

    @cached_property
    def follow_ups(self) -> dict[str, dict[int, Briefing]]:
        """Per briefing slug and next step's index, what came next in its story (`follow_ups`)."""
        return follow_ups(self.stories.values())


def follow_ups(stories: Iterable[Group]) -> dict[str, dict[int, Briefing]]:
    """Per briefing slug, per index of one of its next steps, the briefing of the same story that followed.

    For a step dated a day, the first later briefing of the story dated on or after that day; for
    any other step (a text `when`, or none), the next briefing of the story. A step that nothing
    followed yet has no entry. This says what came next, not that the step happened.
    """
    found: dict[str, dict[int, Briefing]] = {}
    for story in stories:
        members = story.briefings  # oldest first
        days = [b.date for b in members]
        for i, briefing in enumerate(members):
            steps: dict[int, Briefing] = {}
            for index, step in enumerate(briefing.next):
                k = bisect.bisect_left(days, step.when, lo=i + 1) if isinstance(step.when, dt.date) else i + 1
                if k < len(members):
                    steps[index] = members[k]
            if steps:
                found[briefing.slug] = steps
    return found


#: What related briefings depend on, per briefing: slug, date, story, actors and topics.
Shape = tuple[str, dt.date, str, tuple[str, ...], tuple[str, ...]]


@dataclass
class JoinMemo:
    """The related briefings of the last join, with the shape of the collection they were found in.

    Finding related briefings is the one part of a join that looks around each briefing;
    `mkdocs serve` keeps a memo so that an edit that changes no briefing's date, story,
    actors or topics (a figure, a quote, a title) reuses them.
    """

    shape: list[Shape] = field(default_factory=list)
    related: dict[str, list[str]] = field(default_factory=dict)


def join(briefings: Iterable[Briefing], memo: JoinMemo | None = None) -> Joins:
    """Index the published briefings by actor, story and topic, and find related briefings."""
    ordered = newest_first(briefings)
    actors = {record.id: record for record in actor_groups(ordered)}
    for briefing in ordered:
        for quote in briefing.quotes:
            speaker = briefing.actor(quote.speaker)
            if speaker is not None:
                actors[speaker.id].quotes.append((quote, briefing))
    # Two names with one address are an error of `briefing check`; should one reach here
    # anyway (in `mkdocs serve`, beside a file in error), the spelling used most is shown.
    stories = {group.key: group for group in story_groups(ordered)}
    story_members = {key: group.briefings[::-1] for key, group in stories.items()}  # newest first, as topics
    topics = {group.key: group for group in topic_groups(ordered)}
    topic_members = {key: group.briefings for key, group in topics.items()}
    joins = Joins(ordered, actors, stories, topics, {})
    if memo is None:
        joins.related = _related(ordered, actors, story_members, topic_members)
        return joins
    shape = [
        (b.slug, b.date, address(b.story) if b.story else "", tuple(a.id for a in b.who), tuple(map(address, b.topics)))
        for b in ordered
    ]
    if memo.shape == shape:
        by_slug = {b.slug: b for b in ordered}
        joins.related = {slug: [by_slug[other] for other in others] for slug, others in memo.related.items()}
    else:
        joins.related = _related(ordered, actors, story_members, topic_members)
    memo.shape = shape
    memo.related = {slug: [b.slug for b in others] for slug, others in joins.related.items()}
    return joins


def _add_actors(briefing: Briefing, actors: dict[str, ActorRecord], spellings: dict[str, dict[str, Spelling]]) -> None:
    """A briefing's actors into their records, with the spelling of each name it uses."""
    for actor in briefing.who:
        record = actors.get(actor.id)
        if record is None:
            record = actors[actor.id] = ActorRecord(actor.id, actor.name, actor.kind)
        if not record.briefings or record.briefings[-1] is not briefing:
            count, _ = spellings[actor.id].get(actor.name, (0, None))
            # Newest first: each briefing seen is the earliest yet.
            spellings[actor.id][actor.name] = (count + 1, (briefing.date, briefing.slug))
        record.briefings.append(briefing)
        if actor.role:
            record.roles.setdefault(actor.role, briefing)


def _add_topics(briefing: Briefing, members: dict[str, list[Briefing]], names: dict[str, Counter[str]]) -> None:
    """A briefing into its topics' lists, once each, and the spelling of each topic it uses."""
    for topic in dict.fromkeys(briefing.topics):
        key = address(topic)
        if not members[key] or members[key][-1] is not briefing:
            members[key].append(briefing)
        names[key][topic] += 1


#: How often a spelling of an actor's name is used (in how many briefings), and the earliest briefing using it
#: (its date and slug).
Spelling = tuple[int, tuple[dt.date, str]]


def shown_name(spellings: dict[str, Spelling]) -> str:
    """The name shown for an actor id across the site (docs/format.md, "How briefings are joined"): the
    spelling used by the most briefings; on a tie, the one of the earliest briefing (by date, then slug);
    then the first in sort order. So one new briefing cannot rename an actor that two briefings name."""
    return min(spellings.items(), key=lambda item: (-item[1][0], item[1][1], item[0]))[0]


def story_groups(briefings: Iterable[Briefing]) -> list[Group]:
    """The stories of these briefings, each under the spelling used most and oldest first: `join`'s
    stories, and all the story feeds need of a join."""
    members: dict[str, list[Briefing]] = defaultdict(list)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for briefing in newest_first(briefings):
        if briefing.story:
            key = address(briefing.story)
            members[key].append(briefing)
            names[key][briefing.story] += 1
    return [Group(key, _most_used(names[key]), items[::-1]) for key, items in members.items()]


def actor_groups(briefings: Iterable[Briefing]) -> list[ActorRecord]:
    """The actors of these briefings, each under the name `join` shows and with its briefings newest first:
    all the actors' feeds need of a join (no quotes, no related briefings)."""
    actors: dict[str, ActorRecord] = {}
    spellings: dict[str, dict[str, Spelling]] = defaultdict(dict)
    for briefing in newest_first(briefings):
        _add_actors(briefing, actors, spellings)
    for actor_id, record in actors.items():
        record.name = shown_name(spellings[actor_id])
    return list(actors.values())


def topic_groups(briefings: Iterable[Briefing]) -> list[Group]:
    """The topics of these briefings, each under the spelling used most, newest first: `join`'s topics."""
    members: dict[str, list[Briefing]] = defaultdict(list)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for briefing in newest_first(briefings):
        _add_topics(briefing, members, names)
    return [Group(key, _most_used(names[key]), items) for key, items in members.items()]


def _most_used(names: Counter[str]) -> str:
    """The spelling written most often; on a tie, the first in sort order (never the file order)."""
    return min(names.items(), key=lambda item: (-item[1], item[0]))[0]


def _related(
    ordered: list[Briefing],
    actors: dict[str, ActorRecord],
    stories: dict[str, list[Briefing]],
    topics: dict[str, list[Briefing]],
) -> dict[str, list[Briefing]]:
    """For each briefing, the best matches among those sharing its story, actors or topics.

    A shared story scores 3, each shared actor 2, each shared topic 1; ties go to the
    briefing nearest in date, then to the slug. Only the RELATED_NEIGHBOURS briefings
    nearest in time under each shared key are considered, so a topic that thousands
    of briefings share costs a bounded amount per briefing.
    """
    position = {b.slug: i for i, b in enumerate(ordered)}
    keyed: list[tuple[int, list[Briefing], dict[str, int]]] = []
    for weight, groups in ((3, stories), (2, {k: a.briefings for k, a in actors.items()}), (1, topics)):
        for members in groups.values():
            # every members list here is newest first
            keyed.append((weight, members, {b.slug: i for i, b in enumerate(members)}))
    by_briefing: dict[str, list[tuple[int, list[Briefing], int]]] = defaultdict(list)
    for weight, members, index in keyed:
        if len(members) < 2:
            continue
        for slug, i in index.items():
            by_briefing[slug].append((weight, members, i))
    related: dict[str, list[Briefing]] = {}
    half = RELATED_NEIGHBOURS // 2
    for briefing in ordered:
        me = briefing.slug
        scores: dict[str, int] = {}
        for weight, members, i in by_briefing.get(me, ()):
            for other in members[max(0, i - half) : i + half + 1]:
                scores[other.slug] = scores.get(other.slug, 0) + weight
        scores.pop(me, None)
        here = position[me]
        best = heapq.nsmallest(
            RELATED_COUNT, scores, key=lambda slug: (-scores[slug], abs(position[slug] - here), slug)
        )
        related[me] = [ordered[position[slug]] for slug in best]
    return related
