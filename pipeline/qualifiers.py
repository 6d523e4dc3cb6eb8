"""Qualifiers: what the sentence around a trigger does to it.

Negated ('has not fallen'), hedged ('could be overrun'), asked ('Could Kelmar fall?'),
predicted ('the fall of Kelmar would be a blow'), rumoured, corrected, claimed and denied,
attributed ('a council member said'), or only partial ('most of the city'). Each finding
carries the cue that set it, so that a record can say why.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.block_index import between
from pipeline.data import StatusRule
from pipeline.layout import Layout
from pipeline.spans import Mention

LEAD_WORDS = 4  # words before a trigger in which its negation or modal may stand
NOMINAL_VERB = 6  # tokens from a noun trigger to the verb whose modal hedges it, at most
ATTRIBUTION_LONGEST = 12  # tokens of an attribution, at most
PARTIAL_LEAD = 2  # tokens before a place in which 'most of' may stand
QUANTIFIED = 3  # tokens from 'part of' to the forces it quantifies ('part of the army'), at most
MOST = "partial.most_of"  # 'most of the city': a part while it is held, the city once it is taken


@dataclass(frozen=True)
class Qualified:
    """How a trigger's sentence qualifies it: each is the cue that says so, or None."""

    rumour: Mention | None
    correction: Mention | None
    claim: Mention | None  # a claim cue before the trigger
    denial: Mention | None  # a denial in the sentence or the next, of a claim
    actor: Mention | None  # the sentence's first actor
    attribution: str | None  # the words that attribute it ('a council member said')

    @property
    def claimed(self) -> bool:
        return self.claim is not None

    @property
    def disputed(self) -> bool:
        return self.denial is not None


class Qualifiers:
    def __init__(self, layout: Layout, rules: dict[str, StatusRule]) -> None:
        self.layout = layout
        self.index = layout.index
        self.s = layout.s
        self.rules = rules

    def blocked(self, trig: Mention) -> bool:
        """Negated or hedged: a cue among the few words before the trigger, in its clause; or
        asked ('Could Dunmore be overrun next?'): a question asserts nothing."""
        hedged = self.negation(trig) is not None or bool(
            self.index.cues("modality", self._lead(trig), trig.i)
        )
        asked = (
            self.s.block.kind != "section_header" and self.s.words[self.index.sentence(trig.i)[1] - 1] == "?"
        )
        return hedged or asked or self._predicted(trig) or self._purpose(trig)

    def _purpose(self, trig: Mention) -> bool:
        """'launched an operation to drive the rebels out of Kelmar': 'to' right before the
        trigger after a verb of setting out in its clause."""
        if not self.index.cues("infinitive", trig.i - 1, trig.i):
            return False
        lo = self.layout.clause_span(trig.i)[0]
        return bool(self.layout.cues_beside(trig, "purpose", lo, trig.i - 1))

    def _predicted(self, trig: Mention) -> bool:
        """A noun trigger whose verb comes after it: 'the capture of Kelmar will likely worsen
        ...', 'the fall of Kelmar, which ..., would be a blow': a modal after its object hedges it."""
        if not self.rules[trig.rule].nominal:
            return False
        layout = self.layout
        clause, end = layout.clause, layout.clause_span(trig.i)[1]
        hi = trig.j
        while hi < end and layout.gap(trig.j, hi) < NOMINAL_VERB:  # asides are passed over
            hi += 1
        return any(clause[c.i] == clause[trig.i] for c in self.index.cues("modality", trig.j, hi))

    def negation(self, trig: Mention) -> Mention | None:
        """The negation cue among the few words before the trigger, if any."""
        found = self.index.cues("negation", self._lead(trig), trig.i)
        return found[0] if found else None

    def _lead(self, trig: Mention) -> int:
        """Start of the few words before the trigger in its clause, asides passed over:
        'not (yet) taken'."""
        sents, aside, clause = self.s.sents, self.layout.aside, self.layout.clause
        lo, words = trig.i, 0
        while lo > 0 and words < LEAD_WORDS and sents[lo - 1] == sents[trig.i]:
            if aside[lo - 1] and aside[lo - 1] != aside[trig.i]:
                lo -= 1
                continue
            if clause[lo - 1] != clause[trig.i]:
                break
            lo, words = lo - 1, words + 1
        return lo

    def of(self, trig: Mention) -> Qualified:
        """How the trigger's sentence qualifies it."""
        index = self.index
        lo, hi = index.sentence(trig.i)
        claims = [c for c in index.cues("claim", lo, hi) if c.i < trig.i]
        nxt_hi = index.sentence(hi)[1] if hi < len(self.s.words) else hi
        denials = index.cues("denial", lo, nxt_hi) if claims else []
        if not claims:  # 'the general said his troops had retaken Kelmar. The rebels called it false.'
            reports = [c for c in index.cues("report", lo, hi) if c.i < trig.i]
            denials = index.cues("denial", hi, nxt_hi) if reports else []
            claims = reports if denials else []
        return Qualified(
            rumour=_first(index.cues("rumour", lo, hi)),
            correction=_first(index.cues("correction", lo, hi)),
            claim=_first(claims),
            denial=_first(denials),
            actor=_first(index.cues("actor", lo, hi)),
            attribution=self.attribution(trig, lo, hi),
        )

    def attribution(self, trig: Mention, lo: int, hi: int) -> str | None:
        """The comma-bounded part of the sentence that holds a reporting verb."""
        index, words = self.index, self.s.words
        reports = index.cues("report", lo, hi)
        if not reports:
            return None
        cue = reports[-1]
        a, b = cue.i, cue.j
        if cue.rule == "report.according_to":  # "according to officials": the source follows
            while b < hi and words[b] not in (",", ".", '"', ";"):
                b += 1
        else:  # "a provincial council member said"
            while a > lo and words[a - 1] not in (",", '"', ";", ":"):
                a -= 1
        if between(self.layout.place_starts, a, b) or a <= trig.i < b or b - a > ATTRIBUTION_LONGEST:
            return None  # a report about something else
        return index.text((self.s.starts[a], self.s.ends[b - 1]))

    def partial(self, trig: Mention, place: Mention, state: bool) -> bool:
        """'most of the city is in rebel hands', 'entered part of the city': only part of it.
        Taking most of a city (not a `state`) takes the city."""
        if place.i < self.index.sentence(trig.i)[0]:
            return False  # the city the passage is about: what was said of it before is not said here
        # right before the place ('most of the city'), or between the trigger and the place
        # after it ('entered part of the city'); not a part of something else between a city
        # and the trigger after it ('Ramadi, bringing much of Anbar under their control')
        lo = min(place.i - PARTIAL_LEAD, trig.i) if trig.i < place.i else place.i - PARTIAL_LEAD
        hi = max(place.i, trig.j) if trig.i < place.i else place.i
        cues = self.layout.cues_beside(trig, "partial", max(lo, 0), hi)
        return any(state or c.rule != MOST for c in cues)

    def part_left(self, trig: Mention) -> bool:
        """'A part of the army abandoned the city': some of its defenders left, not all."""
        lo = self.layout.clause_span(trig.i)[0]
        parts = self.layout.cues_beside(trig, "partial", lo, trig.i)
        return any(self.index.starting("leaver", c.j, c.j + QUANTIFIED) for c in parts)


def _first(cues: list[Mention]) -> Mention | None:
    return cues[0] if cues else None
