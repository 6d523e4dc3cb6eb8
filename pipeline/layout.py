"""A block's layout: sentences, clauses and asides, and where its places and dates stand.

An aside (a parenthesis, a relative clause set off by commas, an apposition) says nothing
about the sentence around it; a clause bounds what a trigger can reach. Target finding,
date linking and the qualifiers all read the block through this layout.
"""

from __future__ import annotations

import bisect
import itertools
from functools import cached_property

from pipeline.block_index import BlockIndex, between
from pipeline.clauses import clause_starts
from pipeline.findings import Dated
from pipeline.spans import Mention

ASIDE_REACH = 20  # tokens from a place to the comma that closes an aside after it, at most
CLOSERS = {"(": ")", ",": ","}  # an aside that opens with one of these ends at the other


class Layout:
    """The block's resolved places and dates by position, and its clause structure."""

    def __init__(self, index: BlockIndex, places: list[Mention], dates: list[tuple[Mention, Dated]]) -> None:
        self.index = index
        self.s = index.s
        self.places = places
        self.place_starts = [p.i for p in places]
        self.dates = dates
        self.date_starts = [m.i for m, _ in dates]

    # -- places and dates by position ------------------------------------------------------
    def places_in(self, lo: int, hi: int) -> list[Mention]:
        """The resolved places that start in lo..hi."""
        return [self.places[n] for n in between(self.place_starts, lo, hi)]

    def places_at(self, i: int) -> list[Mention]:
        return self.places_in(i, i + 1)

    def dates_at(self, i: int) -> list[tuple[Mention, Dated]]:
        return [self.dates[n] for n in between(self.date_starts, i, i + 1)]

    @cached_property
    def cities(self) -> tuple[list[Mention], list[int]]:
        """The places that are not 'the capital', and their starts."""
        cities = [p for p in self.places if p.label != "national"]
        return cities, [p.i for p in cities]

    # -- asides ----------------------------------------------------------------------------
    @cached_property
    def aside(self) -> list[int]:
        """For each token, the aside it is in (0: none): a parenthesis, a relative clause set
        off by commas ('Kelmar, which sits south of the capital, was taken') or by a pair of
        dashes ('Rebels – led by a faction of the army – took Kelmar'), an apposition
        closed by a comma right after a place, or a direction ('in the west'). What an aside
        says is not about the sentence around it."""
        words, index = self.s.words, self.index
        place_ends = {p.j for p in self.places}
        out = [0] * len(words)
        n = ident = 0
        for cue in index.cues("aside", 0, len(words)):
            if cue.i < n:
                continue
            if cue.rule == "aside.dash":
                if (dashed := self._between_dashes(cue.i)) is not None:
                    ident += 1
                    out[cue.i : dashed + 1] = [ident] * (dashed + 1 - cue.i)
                    n = dashed + 1
                continue
            closer = CLOSERS.get(words[cue.i])  # otherwise the aside is the cue's words
            end = cue.j
            if closer and end < index.sentence(cue.i)[1]:  # the closer in the sentence, else its end
                end = min(self._next_word[closer][end], index.sentence(cue.i)[1])
            closed = end < len(words) and words[end] == closer
            if cue.rule == "aside.apposition" and (cue.i not in place_ends or not closed):
                continue
            end += closed and closer == ")"  # a closing comma may open the next aside
            ident += 1
            out[cue.i : end] = [ident] * (end - cue.i)
            n = end
        for lo, hi in (
            self._subject_asides(out) + self._possessive_appositions(out) + self._province_of_place()
        ):
            ident += 1
            out[lo:hi] = [ident] * (hi - lo)
        return out

    def _between_dashes(self, i: int) -> int | None:
        """Where the dash that closes the one at `i` stands, both set off by spaces ('Rebels
        - led by a faction of the army - took Kelmar'), in the same sentence; None if there is
        none ('KELMAR - Rebels took ...': one dash sets off nothing; 'al-Fath' is a word)."""
        s = self.s
        if not self._spaced(i):
            return None
        hi = self.index.sentence(i)[1]
        return next((k for k in range(i + 1, hi) if s.words[k] == s.words[i] and self._spaced(k)), None)

    def _spaced(self, k: int) -> bool:
        s = self.s
        return 0 < k < len(s.words) - 1 and s.starts[k] > s.ends[k - 1] and s.starts[k + 1] > s.ends[k]

    @cached_property
    def _next_word(self) -> dict[str, list[int]]:
        """For each closer: at each token, the position of the next one from there on."""
        words = self.s.words
        out = {}
        for word in set(CLOSERS.values()):
            nxt, following = [len(words)] * (len(words) + 1), len(words)
            for n in range(len(words) - 1, -1, -1):
                if words[n] == word:
                    following = n
                nxt[n] = following
            out[word] = nxt
        return out

    def _province_of_place(self) -> list[tuple[int, int]]:
        """'Kelmar in Northvale, Tolbek in Emberland': where a capital is, right after its name."""
        index = self.index
        provinces = {m.i: m for m in self.s.places if m.label == "province"}
        found = []
        for p in self.places:
            after = provinces.get(p.j + 1)
            if after is not None and index.cues("preposition", p.j, p.j + 1):
                end = after.j + (bool(index.cues("province_word", after.j, after.j + 1)))
                found.append((p.j, end))
        return found

    def _subject_asides(self, asides: list[int]) -> list[tuple[int, int]]:
        """'The city of Kelmar, less than a hundred miles from Dunmore, fell ...': a phrase set
        off by commas between a place and the status it is the subject of, or the relative
        clause about it ('Tolbek, on the border, which was handed over')."""
        index, starts = self.index, set(self.index.status_starts)
        found = []
        for lo, hi in self._set_off(asides):
            verb = hi + 1 + bool(index.cues("passive", hi + 1, hi + 2))  # "..., was handed over"
            if verb in starts or index.cues("relative", hi + 1, hi + 2):  # "..., which fell"
                found.append((lo, hi))
        return found

    def _possessive_appositions(self, asides: list[int]) -> list[tuple[int, int]]:
        """'In Kelmar, Zedland's second-largest city, paratroopers landed ...': an apposition
        that opens with a possessive name."""
        return [(lo, hi) for lo, hi in self._set_off(asides) if self.index.cues("possessive", lo + 2, lo + 3)]

    def _set_off(self, asides: list[int]) -> list[tuple[int, int]]:
        """Phrases set off by commas right after a place, in its sentence, with no trigger,
        clause break or report in them: (the opening comma, the closing one)."""
        words, sents, index = self.s.words, self.s.sents, self.index
        stops = set(index.status_starts) | {c.i for c in self.s.cues if c.label in ("clause_break", "report")}
        found = []
        for p in self.places:
            lo = p.j
            if lo >= len(words) or words[lo] != "," or asides[lo]:
                continue
            hi = next(
                (
                    k
                    for k in range(lo + 1, min(lo + ASIDE_REACH, len(words)))
                    if words[k] == "," or sents[k] != sents[lo]
                ),
                None,
            )
            if hi is not None and words[hi] == "," and not any(k in stops for k in range(lo, hi)):
                found.append((lo, hi))
        return found

    @cached_property
    def _date_glosses(self) -> set[int]:
        """Asides that are only a date in brackets ('fell on 16 Asad (7 August)'): they belong
        to the clause they gloss."""
        spans: dict[int, list[int]] = {}
        for n, aside in enumerate(self.aside):
            if aside:
                spans.setdefault(aside, []).append(n)
        return {
            aside
            for aside, tokens in spans.items()
            if self.s.words[tokens[0]] == "("
            and any(m.j == tokens[-1] for m, _ in self.dates_at(tokens[0] + 1))
        }

    def cues_beside(self, trig: Mention, label: str, lo: int, hi: int) -> list[Mention]:
        """Cues in lo..hi that are in the trigger's own clause or aside, not in another aside."""
        return [c for c in self.index.cues(label, lo, hi) if self.aside[c.i] == self.aside[trig.i]]

    # -- clauses ---------------------------------------------------------------------------
    @cached_property
    def clause(self) -> list[int]:
        """Clause ids: a new clause at each sentence and clause break; an aside is a clause of
        its own, and the clause it interrupts resumes after it."""
        breaks = {c.i for c in self.index.all_cues("clause_break")} | set(self.coordinated_clauses)
        ids = itertools.count(1)
        clause = outer = 0
        sent = None
        out = []
        glosses = self._date_glosses
        for n, tok_sent in enumerate(self.s.sents):
            aside, before = self.aside[n], self.aside[n - 1] if n else 0
            aside, before = (0 if aside in glosses else aside), (0 if before in glosses else before)
            if tok_sent != sent:
                sent, clause = tok_sent, next(ids)
            elif aside and aside != before:
                outer = outer if before else clause
                clause = next(ids)
            elif n in breaks:
                clause = next(ids)
            elif before and not aside:
                clause = outer
            out.append(clause)
        return out

    @cached_property
    def coordinated_clauses(self) -> list[int]:
        """Where an 'and' opens a clause with a subject and verb of its own (see clauses.py)."""
        s = self.s
        verbs = set(self.index.status_starts) | {c.i for c in s.cues if c.label in ("finite", "past")}
        breaks = {c.i for c in self.index.all_cues("clause_break")}
        timed = {n for m, _ in self.dates for n in range(m.i, m.j)}
        timed |= {c.i for c in self.index.all_cues("preposition") if c.j in timed}
        return clause_starts(s.words, s.puncts, s.sents, verbs, breaks, timed)

    def clause_span(self, i: int) -> tuple[int, int]:
        """Token range of the clause holding token i (asides inside it included)."""
        return self._clause_spans[(self.s.sents[i], self.clause[i])]

    @cached_property
    def _clause_spans(self) -> dict[tuple[int, int], tuple[int, int]]:
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        for n, key in enumerate(zip(self.s.sents, self.clause, strict=True)):
            spans[key] = (spans[key][0] if key in spans else n, n + 1)
        return spans

    @cached_property
    def clause_run_start(self) -> list[int]:
        """For each token, where the run of tokens of its clause that holds it starts."""
        out: list[int] = []
        for n, clause in enumerate(self.clause):
            out.append(out[-1] if n and self.clause[n - 1] == clause else n)
        return out

    def ends_clause(self, trig: Mention) -> bool:
        """Nothing but dates and asides follow the trigger in its sentence's clause."""
        dated = self.index.dated
        for n in range(trig.j, self.index.sentence(trig.i)[1]):
            if n not in dated and not self.aside[n]:
                return self.s.puncts[n]
        return True

    # -- distances -------------------------------------------------------------------------
    def gap(self, lo: int, hi: int, inside: int = 0) -> int:
        """Tokens between lo and hi, not counting asides other than `inside`."""
        if hi <= lo:
            return 0
        free = self._outside_asides[hi] - self._outside_asides[lo]
        if inside:
            at = self._aside_tokens.get(inside, [])
            free += bisect.bisect_left(at, hi) - bisect.bisect_left(at, lo)
        return free

    @cached_property
    def _outside_asides(self) -> list[int]:
        """Prefix counts of the tokens in no aside."""
        return [0, *itertools.accumulate(1 if a == 0 else 0 for a in self.aside)]

    @cached_property
    def _aside_tokens(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for n, aside in enumerate(self.aside):
            out.setdefault(aside, []).append(n)
        return out
