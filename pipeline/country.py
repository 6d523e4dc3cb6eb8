"""Which country an article is about, and who its actors are.

The country is the one whose places and names the article mentions most; a place name that
exists in several countries ('Tripoli') is read as the article's country's, and dropped
when the article gives no way to tell. An actor's side (government, attacker, other) is
looked up in that country's actor list, so one name can stand for different sides in
different wars.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.data import Actor, Country
from pipeline.nlp import TYPO
from pipeline.spans import DocView

NAME_WEIGHT = 2  # a country named outright counts as much as two of its places


def key(name: str) -> str:
    """How an actor's name is looked up: lower case, single spaces, no leading article."""
    words = name.lower().replace("\u2019", "'").split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class Countries:
    """Every country's actors by name, for the country an article is about."""

    actors: dict[str, dict[str, Actor]]  # key(alias) -> country -> actor
    groups: frozenset[str] = frozenset()  # words for any armed group ('rebels'): attackers
    capitals: dict[str, str] = dataclasses.field(default_factory=dict)  # country -> its capital's province
    governments: dict[str, Actor] = dataclasses.field(
        default_factory=dict
    )  # country -> first government actor

    @classmethod
    def build(cls, countries: list[Country], groups: Sequence[str] = ()) -> Countries:
        actors: dict[str, dict[str, Actor]] = defaultdict(dict)
        governments: dict[str, Actor] = {}
        for country in countries:
            for actor in country.actors:
                for alias in (actor.name, *actor.aliases):
                    actors[key(alias)].setdefault(country.country, actor)
                if actor.side == "government":
                    governments.setdefault(country.country, actor)
        capitals = {c.country: c.capital for c in countries if c.capital is not None}
        return cls(dict(actors), frozenset(key(g) for g in groups), capitals, governments)

    def actor(self, name: str, country: str | None) -> Actor | None:
        """The actor `name` stands for in `country`'s war; without a country, only a name
        that stands for one side everywhere."""
        found = self.actors.get(key(name), {})
        if country in found:
            return found[country]
        sides = {(a.name, a.side) for a in found.values()}
        return next(iter(found.values())) if len(sides) == 1 else None

    def side(self, name: str, country: str | None) -> str | None:
        """'government', 'attacker' or 'other'; a word for any armed group ('rebels')
        attacks; None when the name stands for different sides and the country is unknown."""
        actor = self.actor(name, country)
        if actor is not None:
            return actor.side
        return "attacker" if key(name) in self.groups else None


def decide(v: DocView, forced: str | None = None) -> str | None:
    """The country the article is about: `forced`, or the one its places (each name that
    can only be one country's) and country names point to most; None on a tie or nothing."""
    if forced:
        return forced
    votes: Counter[str] = Counter()
    named = dataclasses.replace(
        v, places=[row for row in v.places if row[2] != TYPO]
    )  # a typo is no evidence
    for countries in _countries_by_span(named).values():
        if len(countries) == 1:
            votes[next(iter(countries))] += 1
    for _, _, kind, label, rule, _, _ in v.rules:
        if kind == "cue" and label == "country":
            votes[rule] += NAME_WEIGHT
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def restrict(v: DocView, country: str | None) -> DocView:
    """Drop the readings of a place name that belong to another country than the article's;
    a name of several countries, none of them the article's, is dropped altogether, and so is
    a word one typo from another country's place ('Awasse' in a story from elsewhere)."""
    by_span = _countries_by_span(v)
    ambiguous = {span for span, countries in by_span.items() if len(countries) > 1}
    typos = any(row[2] == TYPO for row in v.places)
    if not ambiguous and not (typos and country is not None):
        return v
    places = [
        row
        for row in v.places
        if ((row[0], row[1]) not in ambiguous and (row[2] != TYPO or country in (None, row[4][:2])))
        or (country is not None and row[4][:2] == country)
    ]
    return dataclasses.replace(v, places=places)


def _countries_by_span(v: DocView) -> dict[tuple[int, int], set[str]]:
    found: dict[tuple[int, int], set[str]] = defaultdict(set)
    for start, end, _, _, iso, _, _ in v.places:
        found[(start, end)].add(iso[:2])
    return found
