"""The block's dates: each date mention resolved against what the article has said so far.

A relative date ('the next day') counts from the anchor, the last full date mentioned; a
bare day ('6 August') takes its year from the reference, the last date that stated one
(see narrative.py). Both move on as the block's own dates are read; the memory is
returned, and `assemble()` carries it to the next block.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.dates import DateResolver
from pipeline.findings import Dated
from pipeline.narrative import stated
from pipeline.records import DateSource
from pipeline.spans import BlockSpans, Mention

SOURCES: dict[str, DateSource] = {  # a date rule's family -> how a record's date was found
    "absolute": "explicit",
    "weekday": "weekday",
    "relative": "relative",
    "anaphoric": "anaphoric",
    "month_day": "anaphoric",
    "month": "explicit",
    "vague": "none",
}


@dataclass(frozen=True)
class DateMemory:
    """The last full date (`anchor`), the last date that has a year (`reference`, which a
    bare day read in the narrative moves on) and the last the text wrote with its year
    (`written`: 'in 2022', '3 March 2022'), where a new section of a narrative starts again.
    `month` is the first of the month last named ('In April 2014', '3 April'), which a day
    of the month alone ('on the 14th') falls in when no later full date was given."""

    anchor: dt.date | None = None
    reference: dt.date | None = None
    written: dt.date | None = None
    month: dt.date | None = None
    restart: bool = False  # a new section begins: its first bare day may go back a year
    whole_year: bool = False  # `written` is a year alone ('in 2011'): a new section stays in it
    reached: dt.date | None = None  # where the story was when a new section started it again


PLUPERFECT_NEAR = 6  # tokens between an earlier year and the 'had' of its clause, at most
LOOK_AHEAD_NEAR = 10  # tokens from a 'would' to the date it looks ahead to, at most


def _told_before(s: BlockSpans, m: Mention, pluperfects: list[int]) -> bool:
    """'in August 1964 rebels had seized the city', 'had entered the capital almost unopposed
    on 21 September 2014': a 'had' near the date, in its sentence, tells an earlier time than
    the narrative's."""
    return any(
        s.sents[k] == s.sents[m.i] and min(abs(k - m.j), abs(m.i - k)) <= PLUPERFECT_NEAR for k in pluperfects
    )


def _looks_ahead(s: BlockSpans, m: Mention, ahead: list[int]) -> bool:
    """A 'would' shortly before the date, in its sentence: a time after the narrative's."""
    return any(s.sents[k] == s.sents[m.i] and 0 <= m.i - k <= LOOK_AHEAD_NEAR for k in ahead)


def resolve_dates(
    s: BlockSpans, text: str, resolver: DateResolver, memory: DateMemory, today: dt.date | None
) -> tuple[list[tuple[Mention, Dated]], DateMemory]:
    """The block's dates in order, and the memory after them. `today`: the day a live blog's
    day heading names, if the block is under one."""
    anchor, reference, written, month = memory.anchor, memory.reference, memory.written, memory.month
    restart, whole_year = memory.restart, memory.whole_year
    out = []
    backdrops = {c.j for c in s.cues if c.label == "backdrop"}
    ahead = [c.j for c in s.cues if c.label == "look_ahead"]
    pluperfects = [c.i for c in s.cues if c.label == "pluperfect"]
    for m in s.dates:
        family = resolver.rules[m.rule].label
        since = max((d for d in (anchor, month) if d), default=None) if family == "month_day" else anchor
        # a narrative's day heading is the day of what follows until the text names a later one
        # ('20 August - ... Fighting spreads overnight' under a timeline's 14 August entry before)
        now = max(today, anchor) if today and anchor and resolver.published is None else today
        onward = resolver.rules[m.rule].onward and restart and memory.reached
        told_from = memory.reached if onward else reference  # 'That May' goes on from the story
        resolved = resolver.resolve(text[m.start : m.end], m.rule, since, now, told_from, restart=restart)
        day = stated(resolved.value)
        # 'held since September 2014', 'only in 2016': a look back or ahead, and 'the first raid
        # since one in 2021': a bare earlier year; the narrative stays in its year
        # 'Baghdad, which would retake Kirkuk on 16 October 2017, could do nothing': a look ahead
        backdrop = m.i in backdrops or m.i + 1 in backdrops or _looks_ahead(s, m, ahead)
        aside = day and reference and day.year != reference.year and backdrop
        bare_past = (
            day
            and reference
            and day.year < reference.year
            and (resolved.precision == "year" or _told_before(s, m, pluperfects))
        )
        looks_back = bool(bare_past or (aside and day.year < reference.year))  # not a look ahead
        before = None
        if resolver.rules[m.rule].offset_for_status_before is not None:
            words = text[m.start : m.end]
            before = resolver.resolve(words, m.rule, since, today, reference, status_before=True)
        out.append((m, Dated(resolved, SOURCES.get(family, "none"), m, looks_back, before)))
        if day and resolved.precision in ("day", "month"):
            month = day.replace(day=1)
        if resolved.day and resolver.rules[m.rule].anchor:
            anchor = resolved.day
        elif resolved.precision == "month" and day and anchor and day > anchor:
            anchor = None  # 'fell in late June and Lysychansk a week later': no day to count from
        if aside or bare_past:
            continue
        restart = restart and not day  # once the section has a day with a year, it goes on from there
        reference = day or reference
        if resolver.rules[m.rule].label == "absolute":
            own = resolver.resolve(text[m.start : m.end], m.rule, None)
            if stated(own.value):
                written, whole_year = stated(own.value), own.precision == "year"
    return out, DateMemory(anchor, reference, written, month, restart, whole_year, memory.reached)
