"""One block's mentions looked up by position.

Every look-up touches the mentions near it, never all of them: mentions are kept sorted by
start, and a range is found by bisection. This is the ground floor of reading a block;
place memory, dates, layout, targets and qualifiers all ask it where things are.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Collection
from functools import cached_property

from pipeline.anaphora import unnamed_places
from pipeline.spans import BlockSpans, Mention

LOCATED_REACH = 10  # tokens from a facility to the landmark that locates it ('airport, 30 km north of')
PEOPLE = "noncity.people"  # the noncity cues that name people ('troops'), not a facility
DIRECTION = "not_target.direction_of"  # 'north of', '30 km from': where something lies
QUARTER_REACH = (
    2  # tokens from an unknown name to the word that makes it a quarter of a city ("Mong Lone ward")
)


def between(starts: list[int], lo: int, hi: int) -> range:
    """Indices of the mentions (sorted by start, `starts`) that start in lo..hi."""
    return range(bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi))


class BlockIndex:
    """The block's words and mentions (cues by label, status triggers, places as named),
    with the position look-ups every reader needs."""

    def __init__(self, spans: BlockSpans, text: str, norm: str, months: Collection[str]) -> None:
        """`text` and `norm`: the article as written and as normalised (offsets are shared);
        `months`: month names in lower case, which name no place."""
        self.s = spans
        self._text = text
        self._norm = norm
        self._months = months
        self._cues: dict[str, list[Mention]] = {}
        joined = {n for c in spans.cues if c.label == "coordination" for n in range(c.i, c.j)}
        dated = {n for d in spans.dates for n in range(d.i, d.j)}
        facilities = {c.i for c in spans.cues if c.label == "noncity" and c.rule != PEOPLE}
        settlements = {c.i for c in spans.cues if c.label == "settlement"}
        for cue in spans.cues:
            if cue.label == "clause_break" and cue.i in joined:
                continue  # the "as" of "as well as" joins, it does not break
            if cue.label == "modality" and cue.i in dated:
                continue  # the "May" of "on 3 May" is a month
            if cue.label == "actor" and (cue.j in facilities or cue.j in settlements):
                continue  # 'the army base', 'the Ukrainian city of': a place of theirs, not the side
            self._cues.setdefault(cue.label, []).append(cue)
        self._cue_starts = {label: [c.i for c in cues] for label, cues in self._cues.items()}
        self.status_starts = [t.i for t in spans.status]
        self.status_ends = {t.j for t in spans.status}
        governs = {c.i for c in spans.cues if c.label == "object_preposition"}
        self._not_target_ends = {  # 'headed for Kelmar', but not 'the battle for Kelmar'
            c.j
            for c in spans.cues
            if c.label == "not_target" and not (c.i in self.status_ends and c.i in governs)
        }

    def text(self, m: Mention | tuple[int, int]) -> str:
        """The article's text of a mention, or of a range of offsets, as written."""
        start, end = (m.start, m.end) if isinstance(m, Mention) else m
        return self._text[start:end]

    def words(self, lo: int, hi: int) -> list[str]:
        return self.s.words[max(lo, 0) : hi]

    def cues(self, label: str, lo: int, hi: int) -> list[Mention]:
        """Cues of `label` within tokens lo..hi."""
        return [c for c in self.starting(label, lo, hi) if c.j <= hi]

    def starting(self, label: str, lo: int, hi: int) -> list[Mention]:
        """Cues of `label` that start in lo..hi."""
        cues, starts = self._cues.get(label, []), self._cue_starts.get(label, [])
        return cues[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]

    def all_cues(self, label: str) -> list[Mention]:
        return self._cues.get(label, [])

    def statuses_in(self, lo: int, hi: int) -> list[Mention]:
        """The status triggers that start in lo..hi."""
        return [self.s.status[n] for n in between(self.status_starts, lo, hi)]

    @cached_property
    def _all_places(self) -> tuple[list[Mention], list[int]]:
        """Every place the block names, anaphors aside, sorted by start, and their starts."""
        places = sorted(self.s.places, key=lambda p: p.i)
        return places, [p.i for p in places]

    def all_places_in(self, lo: int, hi: int) -> list[Mention]:
        places, starts = self._all_places
        return places[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]

    def places_at_end(self, j: int) -> list[Mention]:
        """The places that end right before token j."""
        return [p for p in self.all_places_in(max(j - 8, 0), j) if p.j == j]

    @cached_property
    def _sentence(self) -> list[tuple[int, int]]:
        """For each token, the token range of its sentence."""
        out: list[tuple[int, int]] = []
        for _, group in itertools.groupby(range(len(self.s.sents)), key=self.s.sents.__getitem__):
            members = list(group)
            out += [(members[0], members[-1] + 1)] * len(members)
        return out

    def sentence(self, i: int) -> tuple[int, int]:
        """Token range of the sentence holding token i."""
        return self._sentence[i]

    @cached_property
    def semicolons(self) -> list[int]:
        """Prefix counts of semicolons: how many stand before each token."""
        return [0, *itertools.accumulate(w == ";" for w in self.s.words)]

    @cached_property
    def dated(self) -> set[int]:
        """The tokens of dates."""
        return {t for m in self.s.dates for t in range(m.i, m.j)}

    def landmark(self, m: Mention) -> bool:
        """A place named only as a landmark: 'south of (the capital) Dunmore', 'flew to Dunmore'; not the
        place a trigger ends on ('withdrew from Dunmore')."""
        k = m.i
        for c in self.cues("capital_word", m.i - 2, m.i):  # 'south of the capital Dunmore'
            if c.j == m.i:
                k = c.i - bool(self.cues("determiner", c.i - 1, c.i))
        return k in self._not_target_ends and m.i not in self.status_ends

    def locates_facility(self, m: Mention) -> bool:
        """A landmark that says where a facility is: 'the airport, 30 km north of Kelmar'. A
        facility is no city, so 'the city' after it is still the landmark."""
        lo = max(m.i - LOCATED_REACH, 0)
        directions = [c for c in self.cues("not_target", m.i - 3, m.i) if c.rule == DIRECTION]
        if not directions:
            return False  # 'the road to Kelmar' leads there; it is not near it
        facilities = [c for c in self.cues("noncity", lo, directions[0].i) if c.rule != PEOPLE]
        return bool(facilities) and not self.all_places_in(facilities[-1].j, m.i)

    @cached_property
    def _unnamed(self) -> list[int]:
        """Where the block names a place the gazetteer does not know (see anaphora.py)."""
        s = self.s
        reports = {n for c in s.cues if c.label == "report" for n in range(c.i, c.j)}
        _, texts = self._words_as_written
        joined = {  # 'the Ministry of Defence': a name goes on after 'of', no place follows
            c.j for c in s.cues if c.label == "name_joiner" and c.i > 0 and texts[c.i - 1][:1].isupper()
        }
        after = {
            c.j
            for c in s.cues
            if c.label in ("object_preposition", "not_target") and c.i not in reports and c.j not in joined
        }
        quarters = {c.i for c in s.cues if c.label == "quarter"}  # 'Mong Lone ward': part of a city
        return [
            k
            for k in self._unknown_names(after)
            if not quarters.intersection(range(k + 1, k + 1 + QUARTER_REACH))
        ]

    @cached_property
    def unnamed_objects(self) -> list[int]:
        """Where a trigger's object is a place the gazetteer does not know: 'captured Sarvan'."""
        return self._unknown_names({t.j for t in self.s.status})

    def unknown_name_at(self, k: int) -> bool:
        """Token k names a place the gazetteer does not know: 'the capital of the Sarvan Zone'."""
        return bool(self._unknown_names({k}))

    def _unknown_names(self, after: set[int]) -> list[int]:
        covered, texts = self._words_as_written
        return unnamed_places(texts, covered, after, self._months)

    @cached_property
    def _words_as_written(self) -> tuple[list[bool], list[str]]:
        """Which tokens a place, date, actor or report covers, and the tokens as written."""
        s = self.s
        covered = [False] * len(s.words)
        for m in itertools.chain(s.places, s.dates, (c for c in s.cues if c.label in ("actor", "report"))):
            covered[m.i : m.j] = [True] * (m.j - m.i)
        return covered, [self._norm[a:b] for a, b in zip(s.starts, s.ends, strict=True)]

    def acronym(self, k: int) -> bool:
        """Token k is written in capitals, two or more: 'IS', not the verb 'is'."""
        text = self._words_as_written[1][k]
        return len(text) > 1 and text.isalpha() and text.isupper()

    def unnamed_between(self, lo: int, hi: int) -> list[int]:
        starts = self._unnamed
        return starts[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]
