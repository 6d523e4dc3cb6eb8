"""Target finding: the places a status trigger is about.

Its object or subject (by the rule's `target`, turned round in the passive voice and in a
small clause, 'declared Kelmar retaken'), the places coordinated with it, the antecedent of
a relative clause ('Tolbek, which fell'), the city the passage is about; failing those, a
list entry's heads, the scene a sentence opens with, or a place said to be held. A place
named as a facility's ('Kelmar airport') or its countryside is not the city.
"""

from __future__ import annotations

import bisect
import itertools

from pipeline.block_index import PEOPLE, between
from pipeline.data import StatusRule
from pipeline.layout import Layout
from pipeline.lists import announced
from pipeline.qualifiers import Qualifiers
from pipeline.spans import Mention

REACH = 12  # tokens between a trigger and its place, at most
NEAR = 3  # tokens between a trigger and a place it governs through a preposition, at most
WHERE_REACH = 20  # the same for fighting and the place where it is ('in the streets of Kelmar')
WHERE_LEAD = 5  # tokens from 'in', 'around' to the place that ends the phrase, at most
LIST_GAP = 14  # tokens between two items of a list after a trigger, at most
SUBJECT_LIST_GAP = 4  # the same for a list before it
HEAD = 6  # tokens from a trigger to the noun its object is headed by ('the first major city'), at most
APPOSITION = "aside.apposition"
POSSESSIVE = "object_pronoun.its"  # 'its outskirts': a part of the city named before
RELATIVE_GAP = 2  # tokens between an antecedent and its relative pronoun, at most


class TargetFinder:
    def __init__(
        self, layout: Layout, rules: dict[str, StatusRule], qualifiers: Qualifiers, before: Mention | None
    ) -> None:
        """`before`: the last capital named before the block, the city a passage may be about."""
        self.layout = layout
        self.index = layout.index
        self.s = layout.s
        self.rules = rules
        self.qualifiers = qualifiers
        self.before = before
        self._found: dict[tuple[Mention, str], list[Mention]] = {}  # target_places, once each

    def target_places(self, trig: Mention, target: str) -> list[Mention]:
        if (trig, target) not in self._found:
            self._found[(trig, target)] = self._target_places(trig, target)
        return self._found[(trig, target)]

    def _declared(self, trig: Mention) -> bool:
        """A place between a verb of declaring and the trigger, with at most one word for how
        ('declared Kelmar fully liberated'): the small clause says what the place is."""
        index = self.index
        for end in (trig.i, trig.i - 1):
            for place in index.places_at_end(end):
                if index.cues("declare", place.i - 1, place.i):
                    return True
        return False

    def _target_places(self, trig: Mention, target: str) -> list[Mention]:
        layout, index = self.layout, self.index
        participle = not self.s.words[trig.i].endswith("ing")
        passive = target == "object" and self.passive(trig)
        if passive:
            target = "subject"  # passive voice: "was captured", "..., retaken by commandos"
        elif target == "object" and participle and index.places_at_end(trig.i) and layout.ends_clause(trig):
            target = "subject"  # a small clause: "declared Kelmar retaken", "Tolbek captured."
        elif target == "object" and participle and self._declared(trig):
            target = "subject"  # "declared Kelmar fully liberated on March 2 after a siege"
        if target == "context":  # "drove the rebels out of Tolbek", else the city the passage is about
            semicolons = index.semicolons  # nor past a semicolon: '... pulled out; Addis Ababa declared'
            near = itertools.takewhile(  # the gap only grows: stop at the first place too far
                lambda p: layout.gap(trig.j, p.i) <= NEAR and semicolons[p.i] == semicolons[trig.j],
                layout.places_in(trig.j, index.sentence(trig.i)[1]),
            )
            return self._forward(trig, list(near)) or self._context(trig)
        if index.words(trig.i - 1, trig.i) == [","] and index.unnamed_between(trig.i - 2, trig.i - 1):
            return []  # "Ardavan, on the outskirts of Tolbek": where a place the gazetteer does not know lies
        if self.rules[trig.rule].approach and index.cues("settlement", trig.i - 1, trig.i):
            return []  # 'Nyanya, a satellite town on the edge of Abuja': where that town lies
        if trig.label == "fallen" and self._seat_object(trig):
            return self._context(trig)
        if target == "object" and (pronouns := index.starting("object_pronoun", trig.j, trig.j + 1)):
            if pronouns[0].rule == POSSESSIVE and not _is_contest(trig):
                return []  # 'took its airport': a part of the city, not the city
            return self._antecedent(trig)  # 'the army abandoned it', 'pushed into its outskirts'
        clause = layout.clause[trig.i]
        usable = layout.places_in(*index.sentence(trig.i))
        in_clause = [p for p in usable if layout.clause[p.i] == clause]
        after = [p for p in in_clause if p.i >= trig.j]
        before = [p for p in in_clause if p.j <= trig.i]
        found: list[Mention] = []
        if target == "object" or (target == "either" and after and after[0].i - trig.j <= NEAR):
            found = self._forward(trig, after)
        elif target == "subject":
            found = self._backward(trig, before)
        else:
            found = self._backward(trig, before) or self._forward(trig, after)
        if not found:
            found = self._relative(trig, usable)
        return [
            p
            for p in found
            if p.label != "national"
            and (_is_contest(trig) or not self._facility(p))
            and not index.starting("outlying", p.j, p.j + 1)  # 'fighting at Kelmar airport' is outside it
            and not index.starting("rural", p.j, p.j + 1)  # 'the Kelmar countryside' is outside the city
            and not (passive and p.j <= trig.i and not _is_contest(trig) and self._describes(p))
        ]

    def _placeless(self, trig: Mention) -> bool:
        """Its sentence names no place, known or not, and its clause no district or facility."""
        index, layout = self.index, self.layout
        lo, hi = index.sentence(trig.i)
        if index.all_places_in(lo, hi) or index.unnamed_between(lo, hi):
            return False
        return not layout.cues_beside(trig, "noncity", *layout.clause_span(trig.i))

    def passive(self, trig: Mention) -> bool:
        """'was captured', '..., retaken by commandos': its subject is the place taken."""
        index = self.index
        if self.s.words[trig.i].endswith("ing"):  # 'was capturing' is active
            return False
        be = [
            c for c in index.cues("passive", max(0, trig.i - 2), trig.i) if not index.acronym(c.i)
        ]  # not 'IS'
        return bool(be or (index.cues("agent", trig.j, trig.j + 1) and not self._aimed_after_agent(trig)))

    def _aimed_after_agent(self, trig: Mention) -> bool:
        """'an attack by the rebels on Kelmar': a noun whose agent comes first, then what it
        is aimed at, behind a preposition; not the passive 'attacked by the rebels'."""
        index = self.index
        actors = index.starting("actor", trig.j + 1, trig.j + 3)
        if not actors:
            return False
        k = actors[0].j
        return bool(index.cues("object_preposition", k, k + 1) and self.layout.places_in(k + 1, k + 1 + NEAR))

    def announced(self, trig: Mention) -> list[Mention]:
        """The places a count near the trigger announces (see lists.py)."""
        index = self.index
        lo, hi = index.sentence(trig.i)
        return announced(
            self.s.words,
            trig,
            (lo, hi),
            index.cues("count", lo, hi),
            index.cues("list_lead", lo, hi),
            (self.layout.places, self.layout.place_starts),
            index.status_starts,
        )

    def _facility(self, place: Mention) -> bool:
        """'Kelmar airport', 'Northvale district': a place named as a facility's or a district's
        is not the city."""
        return any(c.i == place.j for c in self.index.starting("noncity", place.j, place.j + 1))

    def _antecedent(self, trig: Mention) -> list[Mention]:
        """The city a pronoun object stands for: the last one the paragraph names in a sentence
        before the trigger's, with no facility named between ('Kelmar is no longer in doubt.
        The army abandoned it on Thursday'; not 'took the airport near Kelmar and held it').
        In the trigger's own sentence 'it' may be anything ('captured Kelmar in May before
        troops retook it' tells no day for the retake), but for a verb joined by 'and' to the
        one before, which named the city ('reached Kelmar, the capital of Northvale, and took
        it')."""
        lo = self.index.sentence(trig.i)[0]
        if self.index.unnamed_between(lo, trig.i) or between(self.index.unnamed_objects, lo, trig.i):
            return []  # 'seized Sarvan before abandoning it': the place the gazetteer does not know
        if self.index.cues("coordination", trig.i - 1, trig.i) and (own := self._last_city(trig.i)):
            if own.i >= lo and not self.index.cues("noncity", own.j, trig.i):
                return [own]
        city = self._last_city(lo)
        if city is None or self.index.cues("noncity", self._said_of(city), trig.i):
            return []
        return [self._subject_city(city)]

    def _said_of(self, city: Mention) -> int:
        """Where what is said of the city ends: 'Kelmar was the main supply base of the north.'
        describes Kelmar itself; the base is no facility of its own for 'it' to stand for."""
        if self.index.starting("copula", city.j, city.j + 1):
            return self.index.sentence(city.i)[1]
        return city.j

    def _subject_city(self, city: Mention) -> Mention:
        """The city that opens the sentence of `city`, if one does: 'Kelmar was the main base
        for the Tolbek front. Troops retook it': the sentence is about its subject."""
        lo = self.index.sentence(city.i)[0]
        cities, starts = self.layout.cities
        first = cities[bisect.bisect_left(starts, lo)]
        return first if first.i == lo and not self.index.landmark(first) else city

    def _names_facility(self, place: Mention) -> bool:
        """The place names a facility right after it, alone, possessive or joined by a
        hyphen to another place: 'Kelmar airport', 'Kelmar's airport', 'the Kelmar-Tolbek
        motorway'."""
        index = self.index
        end = place.j
        joined = index.all_places_in(end + 1, end + 2) if index.words(end, end + 1) == ["-"] else []
        if joined:
            end = joined[0].j
        if index.starting("possessive", end, end + 1):
            end += 1  # "the city's airport", "Kelmar's airport"
        return bool(index.starting("noncity", end, end + 1))

    def _facility_in(self, place: Mention) -> bool:
        """A facility right before the place, joined by a preposition: 'the base in Kelmar', 'the
        northern districts of Kelmar'."""
        k = place.i - 1
        joined = self.index.cues("preposition", k, k + 1) or self.index.cues("partitive", k, k + 1)
        return bool(joined) and any(c.j == k for c in self.index.cues("noncity", k - 1, k))

    def _beside_actor(self, k: int) -> bool:
        """The name at k is joined to an actor right after it: 'fought French and Malian
        soldiers' names two sides, not a place."""
        joined = self.index.cues("coordination", k + 1, k + 2)
        return bool(joined) and bool(self.index.starting("actor", joined[0].j, joined[0].j + 1))

    def _where_in_clause(self, trig: Mention, place: Mention) -> bool:
        """The place closes a phrase that says where, in the trigger's clause: 'in the streets of
        Kelmar', 'around Kelmar'."""
        lead = self.index.cues("locative", max(place.i - WHERE_LEAD, trig.j), place.i)
        if not lead or self._facility_in(place):  # 'at their barracks in Juba': where the barracks are
            return False
        return self.layout.clause[lead[0].i] == self.layout.clause[trig.i]

    def _object_before(self, trig: Mention, place: Mention) -> bool:
        """Words of the trigger's own object, then 'in', 'at' or 'around' before the place:
        'captured positions around Kelmar' took the positions."""
        return any(
            c.i > trig.j and not self.layout.aside[c.i] for c in self.index.cues("locative", trig.j, place.i)
        )

    def _facility_of(self, place: Mention) -> bool:
        """A facility right before the place, joined by 'of': 'the camps of Gao'."""
        k = place.i - 1
        return bool(self.index.cues("partitive", k, k + 1)) and any(
            c.j == k and c.rule != PEOPLE for c in self.index.cues("noncity", k - 1, k)
        )

    def _describes(self, place: Mention) -> bool:
        """The place only describes a person or a facility named before it in its clause: 'The
        commander who had defended Kelmar was taken', 'the governor of Kelmar was captured'."""
        index = self.index
        for c in index.cues("noncity", self.layout.clause_run_start[place.i], place.i):
            if index.cues("report", c.j, place.i):
                continue  # 'the soldiers said that Kelmar was taken'
            if index.cues("relative", c.j, place.i) or (
                c.j == place.i - 1 and index.cues("partitive", c.j, place.i)
            ):
                return True
        return False

    def _object_start(self, trig: Mention) -> int:
        """Where the object of the verb before a place phrase starts ('overran the headquarters
        of the Northern Command on the outskirts of Kelmar'): after that verb, in the clause;
        else the word before the phrase."""
        clause = self.layout.clause
        verbs = [t for t in self.s.status if t.j <= trig.i and clause[t.i] == clause[trig.i]]
        return verbs[-1].j if verbs else trig.i - 1

    def _noncity_between(self, lo: int, hi: int, trig: Mention) -> bool:
        return bool(self.layout.cues_beside(trig, "noncity", lo, hi))

    def _seat_object(self, trig: Mention) -> bool:
        """'seized the governor's office': taking the seat of power takes the city."""
        return bool(self.index.starting("seat", trig.j, trig.j + 2))

    def _context(self, trig: Mention) -> list[Mention]:
        """The city the passage is about: the last one named before the trigger, unless a
        place the gazetteer does not know was named since ('In Sarvan, ... after troops withdrew')."""
        named = self._last_city(trig.i)
        if self.index.unnamed_between(named.j if named else 0, trig.i):
            return []
        if named is not None and self._after_phrase(named):
            return []  # 'After Kisangani, the cities of the south went': when, not which
        city = named or self.before
        return [city] if city is not None else []

    def _last_city(self, i: int) -> Mention | None:
        """The last city the block names before token i ('the capital' is not a city, nor a
        landmark: '100 km south of Dunmore')."""
        cities, starts = self.layout.cities
        n = bisect.bisect_left(starts, i)
        while n > 0:
            n -= 1
            if cities[n].j <= i and not self.index.landmark(cities[n]):
                return cities[n]
        return None

    def _forward(self, trig: Mention, after: list[Mention]) -> list[Mention]:
        layout, index = self.layout, self.index
        reach = NEAR if index.cues("object_preposition", trig.j - 1, trig.j) else REACH
        if after and _is_contest(trig) and self._facility_in(after[0]):
            reach = REACH  # "fighting for the division's headquarters in Kelmar": in the city
        if reach == REACH and after and _is_contest(trig) and self._where_in_clause(trig, after[0]):
            reach = WHERE_REACH  # 'battled army units loyal to General X in the streets of Kelmar'
        if not after or (layout.gap(trig.j, after[0].i) > reach and not self._renamed(trig, after[0])):
            return []
        first = after[0]
        if any(index.words(k + 1, k + 2) == [","] for k in index.unnamed_between(trig.j, first.i)):
            return []  # "stormed the base at Ardavan, on the outskirts of Tolbek": Ardavan's
        if trig.j in index.unnamed_objects and not self._beside_actor(trig.j):
            return []  # "captured Sarvan and threatened Tolbek": its object is a place not in the gazetteer
        if self._noncity_between(trig.j, first.i, trig) and not _is_contest(trig):
            return []
        if self._object_before(trig, first) and not (_is_contest(trig) or self.rules[trig.rule].has_object):
            return []  # 'drove past abandoned houses in the city of Loikaw': the houses
        if self._names_facility(first) and not _is_contest(trig):
            return []  # "seized the Kelmar-Tolbek motorway": the road, not the city
        if index.cues("preposition", trig.i, trig.i + 1) and self._noncity_between(
            self._object_start(trig), trig.i, trig
        ):
            return []  # "the prison on the edge of the city", "the headquarters of X on the outskirts of"
        out = [first]
        for p in after[1:]:
            if not self.coordinated(out[-1], p, LIST_GAP):
                break
            if index.starting("finite", p.j, p.j + 1):
                break  # 'took the city, a prize Tolbek had coveted': the subject of a verb of its own
            out.append(p)
        return out

    def _renamed(self, trig: Mention, place: Mention) -> bool:
        """The object is a city described, then named: 'regained the key strategic town of
        Kelmar', or in an apposition, 'took the largest city in the region so far, the trading
        hub of Kelmar'."""
        index, layout = self.index, self.layout
        hi = trig.j + HEAD
        heads = index.cues("place_suffix", trig.j, hi) + index.cues("capital_word", trig.j, hi)
        if not heads or layout.cues_beside(trig, "clause_break", trig.j, place.i):
            return False
        if index.statuses_in(trig.j, place.i):
            return False
        if any(index.cues("name_joiner", h.j, place.i) and h.j + 1 == place.i for h in heads):
            return True  # 'the town of Kelmar'
        renaming = [a for a in index.starting("aside", trig.j, place.i) if a.rule == APPOSITION]
        return bool(renaming) and layout.gap(renaming[-1].j, place.i) <= NEAR + 1

    def coordinated(self, a: Mention, b: Mention, longest: int) -> bool:
        """b follows a in a list: joined by 'and' or a comma, no preposition or trigger between."""
        layout = self.layout
        lo, hi = a.j, b.i
        if hi <= lo or layout.gap(lo, hi) > longest or not layout.cues_beside(a, "coordination", lo, hi):
            return False
        if layout.cues_beside(a, "preposition", lo, hi) or layout.cues_beside(a, "clause_break", lo, hi):
            return False
        if between(layout.coordinated_clauses, lo, hi):  # '..., and Tolbek was overrun'
            return False
        return not any(t.j <= hi for t in self.index.statuses_in(lo, hi))

    def _backward(self, trig: Mention, before: list[Mention]) -> list[Mention]:
        layout = self.layout
        if not before or layout.gap(before[-1].j, trig.i, layout.aside[trig.i]) > REACH:
            return []
        last = before[-1]
        if self._noncity_between(max(last.j, trig.i - 2), trig.i, trig) and not _is_contest(trig):
            return []
        if self._facility_of(last) and not _is_contest(trig):
            return []  # 'the two camps of Gao have fallen': the camps, not the city
        if self._after_phrase(last):
            return []  # 'After Kisangani, the cities of the south went': when, not what
        out = [last]
        for p in reversed(before[:-1]):
            if not self.coordinated(p, out[-1], SUBJECT_LIST_GAP) or self._after_phrase(p):
                break
            out.append(p)
        return out

    def _after_phrase(self, place: Mention) -> bool:
        """'After Kisangani, ...': a place right after 'after' and before a comma says when."""
        index = self.index
        return bool(index.cues("prior", place.i - 1, place.i)) and index.words(place.j, place.j + 1) == [","]

    def _relative(self, trig: Mention, usable: list[Mention]) -> list[Mention]:
        """'Tolbek, which fell ...': the place just before the relative pronoun."""
        layout, index = self.layout, self.index
        start = layout.clause_run_start[trig.i]
        if not index.cues("relative", start, start + 1):
            return []
        if self.rules[trig.rule].target == "object" and not self._objectless(trig, index.sentence(trig.i)[1]):
            return []  # 'the city centre, where rebels hold the palace': the verb has an object of its own
        # a landmark is still the antecedent: 'pressing on from Kelmar, which troops abandoned'
        landmarks = [
            p
            for p in index.all_places_in(*index.sentence(trig.i))
            if p.label == "capital" and index.landmark(p)
        ]
        prior = sorted(
            (p for p in usable + landmarks if p.j <= start and layout.gap(p.j, start) <= RELATIVE_GAP),
            key=lambda p: p.i,
        )
        return prior[-1:]

    def bare(self, trig: Mention) -> bool:
        """No object of its own and no facility in its clause: a list entry's head is meant."""
        layout, index = self.layout, self.index
        hi = index.sentence(trig.i)[1]
        if index.cues("noncity", *layout.clause_span(trig.i)):
            return False
        return self.rules[trig.rule].target != "object" or self._objectless(trig, hi)

    def _objectless(self, trig: Mention, hi: int) -> bool:
        """Nothing but dates, asides and a few adverbs follow the trigger before punctuation."""
        layout, index = self.layout, self.index
        for n in range(trig.j, hi):  # the first word after the trigger, dates and asides aside
            # asides other than the one the trigger stands in are passed over
            if n in index.dated or layout.aside[n] not in (0, layout.aside[trig.i]):
                continue
            if not self.s.words[n].strip():
                continue
            if index.cues("object_filler", n, n + 1):
                continue
            return self.s.puncts[n] or bool(index.cues("time_lead", n, n + 1))
        return True

    def fallback_places(self, trig: Mention, heads: list[Mention]) -> list[Mention]:
        """Where a trigger names no place of its own: the list entry's heads, the scene a
        sentence opens with ('In Kelmar, commandos were battling ...'), or for fighting, the
        city whose seat of power its clause names, the city of the passage for 'the fighting'
        in a sentence that names no place, or a place the sentence says is held
        ('still in government hands, even as gunfire ...')."""
        layout, index = self.layout, self.index
        if heads and self.bare(trig):
            return heads
        lo, hi = index.sentence(trig.i)
        located = index.cues("object_preposition", trig.j - 1, trig.j)  # "fighting in the provinces"
        if index.cues("preposition", lo, lo + 1) and not located and (_is_contest(trig) or self.bare(trig)):
            # 'In Kelmar, ...', not 'After Kelmar, ...' (when, not where)
            scene = [
                p for p in layout.places_at(lo + 1) if p.label != "national" and not self._after_phrase(p)
            ]
            after = scene and scene[0].j < len(self.s.words) and self.s.words[scene[0].j]
            if scene and after == "," and layout.gap(scene[0].j, trig.i) <= REACH:
                return scene
        if _is_contest(trig) and layout.cues_beside(trig, "seat", *layout.clause_span(trig.i)):
            return self._context(trig)  # 'fighting broke out around the governor's office': in the city
        if _is_contest(trig) and index.cues("determiner", trig.i - 1, trig.i) and self._placeless(trig):
            return self._context(trig)  # 'The fighting went on all day': the fighting told of before
        in_clause = layout.cues_beside(trig, "noncity", *layout.clause_span(trig.i))
        facilities = [c for c in in_clause if c.rule != PEOPLE]
        if _is_contest(trig) and not facilities:  # 'fought troops on the edge of ...' is in the city
            held = [
                t
                for t in index.statuses_in(lo, hi)
                if t.label == "held" or self.qualifiers.negation(t) is not None
            ]
            for t in held:
                if places := self.target_places(t, self.rules[t.rule].target):
                    return places
        return []


def _is_contest(trig: Mention) -> bool:
    return trig.label == "contested"
