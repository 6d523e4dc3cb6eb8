"""Date linking: which of the block's dates tells when a status happened.

The nearest date in the trigger's clause, else in its sentence, unless that date belongs to
another coordinated clause's trigger; a period ('since Friday', 'between 6 and 8 August')
is not the day of an event; a past-tense status with no date of its own happened on the
paragraph's last date; a date in brackets after a place is that place's own.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import replace
from functools import cached_property

from pipeline.block_index import between
from pipeline.data import StatusRule
from pipeline.dates import ResolvedDate
from pipeline.findings import UNDATED, Dated
from pipeline.layout import Layout
from pipeline.spans import Mention

ONSET_LEAD = 2  # tokens before a date in which an onset cue ('began on') may stand
PERIOD_LEAD = 4  # tokens before a date in which a period cue ('starting on') may stand
PLUPERFECT_REACH = 12  # tokens before a trigger in which its 'had' may stand
SINCE_SUBJECT = 4  # tokens of the place between 'since' and the trigger it opens, at most
OWN_DATE_REACH = 4  # tokens after a place in which its own bracketed date may open


DAYS = ("day", "day_no_year")  # the precisions that name a day


class DateLinker:
    def __init__(self, layout: Layout, rules: dict[str, StatusRule]) -> None:
        self.layout = layout
        self.index = layout.index
        self.s = layout.s
        self.rules = rules
        self._owners: dict[int, Mention | None] = {}  # _owner, once per date

    def date_for(self, trigger: Mention) -> Dated | None:
        """The nearest date in the trigger's clause, else in its sentence. A vague time
        ('last week') in the trigger's own clause means the day is unknown."""
        layout = self.layout
        clause, dates = layout.clause, layout.dates
        in_sentence = between(layout.date_starts, *self.index.sentence(trigger.i))
        for same, vague in (
            (lambda m, n: clause[m.i] == clause[trigger.i], True),
            (lambda m, n: not self._told_in_another_clause(n, trigger), False),
        ):
            near = [  # its own dates first, a day before a month ('in late June 2024 ... on 29 June')
                (
                    self._owner(n) != trigger,
                    d.resolved.precision not in DAYS,
                    self._ends_fight(m, trigger),
                    abs(m.i - trigger.i),
                    n,
                )
                for n in in_sentence
                for m, d in [dates[n]]
                if same(m, n)
                and (d.resolved.value is not None or (vague and self._vague_of(n, m, trigger)))
                and not self._describes_date_before(n, trigger)
            ]
            if near and vague and all(key[2] for key in near):
                continue  # 'fighting went on until the following day': the sentence may tell its start
            if near:
                dated = dates[min(near)[-1]][1]
                if (
                    self._since(dated)
                    and not self.rules[trigger.rule].state
                    and not self._when(dated, trigger)
                ):
                    # "have fallen since Friday": a period, not the day of a fall; "fighting
                    # since the night" goes on, so the day is the passage's own; but a
                    # siege 'starting on 2 March' or fighting 'between 24 and 27 December'
                    # was going on on its first day
                    if trigger.label == "contested" and (first := self._first_day(dated)):
                        return first
                    return None if trigger.label == "contested" else UNDATED
                if trigger.label != "contested" and self._onset(dated) and not self._when(dated, trigger):
                    return UNDATED  # 'the offensive that began on 27 November has taken Kelmar'
                if self._before_its_clause(trigger, dated):
                    return UNDATED
                if dated.for_status_before and dated.mention and trigger.j <= dated.mention.i:
                    return replace(dated, resolved=dated.for_status_before)
                return dated
        return None

    def _ends_fight(self, m: Mention, trigger: Mention) -> bool:
        """'fighting went on in the city until the following day': the day a fight ended, which
        gives way to the day the sentence says it began ('On 30 March jihadists slipped in')."""
        return trigger.label == "contested" and bool(self.index.cues("span_end", m.i - 1, m.i))

    def _told_in_another_clause(self, n: int, trigger: Mention) -> bool:
        """'They seized Kelmar on Tuesday, and had advanced ..., also taking Tolbek': the n-th
        date follows the trigger of its own clause, so it is that clause's, not the other
        coordinated clause's (joined by 'and', 'but' or a semicolon). A date that opens the sentence
        ('On Monday, ...') frames every clause after it, and a subordinate clause ('hours
        after troops pulled out') is timed by the clause it hangs on."""
        clause = self.layout.clause
        m, owner = self.layout.dates[n][0], self._owner(n)
        if owner is None or owner == trigger or clause[m.i] == clause[trigger.i]:
            return False
        if trigger.label == "sequel":  # 'Tolbek followed suit' repeats what the other clause says
            return False
        lo, hi = sorted((m.i, trigger.i))
        semicolons = self.index.semicolons
        coordinated = (
            bool(between(self.layout.coordinated_clauses, lo, hi))
            or semicolons[hi] > semicolons[lo]
            or bool(self.index.cues("contrast", lo, hi))
        )
        return coordinated and clause[owner.i] == clause[m.i] and owner.j <= m.i

    def _describes_date_before(self, n: int, trigger: Mention) -> bool:
        """'On 10 February, a day after the first bombing, fighters attacked': set off by commas
        right after another date, it tells what that date was, not when a trigger after the
        aside happened ('on March 12, two days after they overran Kelmar' dates the overrun)."""
        if n == 0:
            return False
        m, before = self.layout.dates[n][0], self.layout.dates[n - 1][0]
        words = self.s.words
        set_off = before.j == m.i - 1 and words[m.i - 1] == "," and "," in words[m.j : trigger.i]
        return set_off and m.rule.startswith("anaphoric.")

    def _vague_of(self, n: int, m: Mention, trigger: Mention) -> bool:
        """A vague time ('last week') that is the trigger's, not another verb's ('the first
        to fall since Moscow invaded a week ago'); or a count from a day the text never gave
        ('fell in late June, and Tolbek a week later')."""
        unknown = m.rule.startswith(("vague.", "anaphoric."))
        return unknown and self._owner(n) in (None, trigger)

    def _owner(self, n: int) -> Mention | None:
        """The trigger the n-th date belongs to: the nearest in its clause, else in its sentence,
        the one before it on a tie ('overrun July 7, retaken by commandos July 8': July 7 is
        the overrun's; 'took Kelmar on March 11; fighting ...': March 11 is the taking's). A date
        that 'and' follows closes what came before it ('entered Kelmar, the capital, on 29 June
        and seized the barracks')."""
        if n not in self._owners:
            date = self.layout.dates[n][0]
            status, clause = self.s.status, self.layout.clause
            word_after = date.j < len(self.s.words) and not self.s.puncts[date.j]
            closes = word_after and bool(self.index.cues("coordination", date.j, date.j + 1))
            ranked = [
                (
                    clause[status[k].i] != clause[date.i],
                    closes and date.j <= status[k].i,  # 'on 29 June and seized': not the seizing's
                    *((date.i - status[k].j, 0) if status[k].j <= date.i else (status[k].i - date.j, 1)),
                    k,
                )
                for k in between(self.index.status_starts, *self.index.sentence(date.i))
            ]
            self._owners[n] = status[min(ranked)[-1]] if ranked else None
        return self._owners[n]

    def _when(self, dated: Dated, trigger: Mention) -> bool:
        """'since Sunday, when Kelmar was captured': the when-clause happened on that date."""
        m = dated.mention
        assert m is not None
        words = self.s.words
        k = m.j + (m.j < len(words) and words[m.j] == ",")
        return (
            k < trigger.i
            and bool(self.index.cues("time_clause", k, k + 1))
            and self.layout.clause[k] == self.layout.clause[trigger.i]
        )

    def _before_its_clause(self, trigger: Mention, dated: Dated) -> bool:
        """'After seizing Kelmar, rebels on Sunday besieged Tolbek': the seizing came before
        Sunday, on a day the sentence does not tell; so did a fall 'since Kelmar fell'. A date
        inside the clause, up to its first punctuation, is its own ('after taking Kelmar on
        March 3, they ...')."""
        m, index = dated.mention, self.index
        # or 'which had been our capital since Enugu fell': earlier, on a day not told
        opened = self._after(trigger) or self._since_clause(trigger)
        if m is None or not opened:
            return False
        hi = index.sentence(trigger.i)[1]
        end = next((k for k in range(trigger.j, hi) if self.s.puncts[k]), hi)
        return not trigger.j <= m.i < end

    def _after(self, trigger: Mention) -> bool:
        """'After seizing Kelmar', 'After the fall of Kelmar': a phrase that tells what came before."""
        index = self.index
        k = trigger.i - bool(index.cues("determiner", trigger.i - 1, trigger.i))
        return bool(index.cues("prior", k - 1, k))

    def _since_clause(self, trigger: Mention) -> bool:
        """'since Kelmar fell': a clause that 'since' opens, with the place as its subject."""
        subject = [
            p for p in self.layout.places_in(max(trigger.i - SINCE_SUBJECT, 0), trigger.i) if p.j == trigger.i
        ]
        return bool(subject) and bool(self.index.cues("period_word", subject[0].i - 1, subject[0].i))

    def _onset(self, dated: Dated) -> bool:
        """'began on 27 November': the start of what is told, not the day of its outcome."""
        m = dated.mention
        if m is None:
            return False
        return any(c.j == m.i for c in self.index.cues("onset", max(m.i - ONSET_LEAD, 0), m.i))

    def _since(self, dated: Dated) -> bool:
        return dated.mention is not None and self.since(dated.mention)

    def _first_day(self, dated: Dated) -> Dated | None:
        """The first day of a span that a cue before the date opens: the date itself after
        'starting on', the day the cue names in 'between 24 and 27 December'."""
        m, value = dated.mention, dated.resolved.value
        if m is None or value is None or dated.resolved.precision != "day":
            return None
        cues = self.index.cues("period", max(m.i - PERIOD_LEAD, 0), m.i + 1)
        cue = next((c for c in cues if c.j == m.i or c.i == m.i), None)  # 'from the 18th' holds its cue
        if cue is None:
            return None
        word = next((w for w in self.s.words[cue.i : cue.j] if w[:1].isdigit()), None)
        if word is None:  # 'starting on 2 March'
            return dated
        first = int("".join(itertools.takewhile(str.isdigit, word)))
        if not 1 <= first < int(value[-2:]):
            return None
        day = dated.resolved.day.replace(day=first) if dated.resolved.day else None
        return replace(dated, resolved=ResolvedDate(f"{value[:-2]}{first:02d}", "day", day))

    def since(self, m: Mention) -> bool:
        """'since Friday', 'starting on 6 August', 'between 6 and 8 August': the start or the
        span of a period, not the day of an event."""
        period = any(c.j == m.i for c in self.index.cues("period", max(m.i - PERIOD_LEAD, 0), m.i))
        return period or bool(self.index.cues("period_word", m.i - 1, m.j))

    def pluperfect(self, trig: Mention) -> bool:
        """'had' before the trigger in its clause: 'had taken', 'had advanced ..., also taking':
        before the time the text speaks of, so not on the day of publication."""
        layout = self.layout
        lo = max(layout.clause_span(trig.i)[0], trig.i - PLUPERFECT_REACH)
        return any(
            layout.aside[c.i] == layout.aside[trig.i] and layout.clause[c.i] == layout.clause[trig.i]
            for c in self.index.cues("pluperfect", lo, trig.i)
        )

    def paragraph_date(self, trig: Mention) -> Dated | None:
        """'On Friday morning the flag was up. The city fell without a fight.': a status told in
        the past tense, with no date in its sentence, happened on the paragraph's last date."""
        index = self.index
        if not index.cues("past", max(trig.i - 1, 0), trig.j):
            return None
        lo = index.sentence(trig.i)[0]
        valued, starts = self._valued_dates
        n = bisect.bisect_left(starts, lo)  # the dates with a value before the sentence, last first
        while n > 0:
            n -= 1
            m, d = self.layout.dates[valued[n]]
            if m.j <= lo:
                return Dated(d.resolved, "anaphoric", m)
        return None

    @cached_property
    def _valued_dates(self) -> tuple[list[int], list[int]]:
        """Indices and starts of the dates that resolved to a value."""
        dates = self.layout.dates
        valued = [n for n, (_, d) in enumerate(dates) if d.resolved.value]
        return valued, [dates[n][0].i for n in valued]

    def own_date(self, place: Mention, trig: Mention | None = None) -> Dated | None:
        """A date in brackets right after a place: 'Tolbek, Emberland (8 August)', or one that
        follows it with 'on' ('fell one after another: Kelmar on March 30, Tolbek on ...'); not
        for a trigger whose place is another verb's before it ('attacked Kelmar on March 1 and
        captured it on March 2')."""
        layout, words = self.layout, self.s.words
        if trig is not None and place.j <= trig.i:  # another verb's before it: its object
            if between(self.index.status_starts, self.index.sentence(place.i)[0], place.i):
                return None
        k = bisect.bisect_left(layout.date_starts, place.j)
        named = place.label == "capital"  # not 'broke into the city on July 7', another verb's
        if named and self.index.cues("day_preposition", place.j, place.j + 1) and k < len(layout.dates):
            m, d = layout.dates[k]  # the date's rule may take the 'on' in or leave it out
            if m.i in (place.j, place.j + 1) and d.resolved.value:
                return d
        for n in range(place.j, min(place.j + OWN_DATE_REACH, len(words))):
            if words[n] == "(" and layout.aside[n]:
                in_sentence = between(layout.date_starts, *self.index.sentence(n))  # asides end there
                inside = [
                    d
                    for k in in_sentence
                    for m, d in [layout.dates[k]]
                    if layout.aside[m.i] == layout.aside[n] and d.resolved.value
                ]
                return inside[0] if inside else None
            if layout.places_at(n):
                return None
        return None

    def gapped(self, trig: Mention, targets: list[Mention]) -> list[tuple[Mention, Dated]]:
        """'Rivane and Kelmar all went last Sunday, Sarvan on Monday': after the trigger, a
        place that only has a date of its own shares the trigger, with that date."""
        layout, index, s = self.layout, self.index, self.s
        lo, hi = index.sentence(trig.i)
        out: list[tuple[Mention, Dated]] = []
        chosen = set(targets)
        next_trigger = bisect.bisect_left(index.status_starts, trig.j)  # the first after this one
        next_start = index.status_starts[next_trigger] if next_trigger < len(s.status) else hi
        for p in layout.places_in(trig.j, hi):
            if p in chosen or p.label == "national" or layout.aside[p.i]:
                continue
            if next_start < p.i or not index.cues("coordination", p.i - 1, p.i):
                break
            # the place's own date may follow an aside and a preposition ("Sarvan (Southmarch) on 9 August")
            k = p.j
            while k < hi and layout.aside[k]:
                k += 1
            k += bool(index.cues("preposition", k, k + 1)) and not layout.dates_at(k)
            own = [(m, d) for m, d in layout.dates_at(k) if d.resolved.value]
            end = own[0][0].j if own else p.j
            if not own or (end < hi and not s.puncts[end] and not index.cues("coordination", end, end + 1)):
                continue
            out.append((p, own[0][1]))
        return out
