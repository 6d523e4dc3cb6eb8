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
    "vague": "none",
}


@dataclass(frozen=True)
class DateMemory:
    """The last full date (`anchor`), the last date that has a year (`reference`, which a
    bare day read in the narrative moves on) and the last the text wrote with its year
    (`written`: 'in 2022', '3 March 2022'), where a new section of a narrative starts again."""

    anchor: dt.date | None = None
    reference: dt.date | None = None
    written: dt.date | None = None


def resolve_dates(
    s: BlockSpans, text: str, resolver: DateResolver, memory: DateMemory, today: dt.date | None
) -> tuple[list[tuple[Mention, Dated]], DateMemory]:
    """The block's dates in order, and the memory after them. `today`: the day a live blog's
    day heading names, if the block is under one."""
    anchor, reference, written = memory.anchor, memory.reference, memory.written
    out = []
    backdrops = {c.j for c in s.cues if c.label == "backdrop"}
    for m in s.dates:
        resolved = resolver.resolve(text[m.start : m.end], m.rule, anchor, today, reference)
        out.append((m, Dated(resolved, SOURCES.get(m.rule.split(".")[0], "none"), m)))
        day = stated(resolved.value)
        if resolved.day and resolver.rules[m.rule].anchor:
            anchor = resolved.day
        if day and reference and day.year != reference.year and (m.i in backdrops or m.i + 1 in backdrops):
            continue  # 'held since September 2014', 'only in 2016': the narrative stays in its year
        if day and reference and resolved.precision == "year" and day.year < reference.year:
            continue  # 'the first raid since one in 2021': a bare earlier year looks back
        reference = day or reference
        if resolver.rules[m.rule].label == "absolute":
            written = stated(resolver.resolve(text[m.start : m.end], m.rule, None).value) or written
    return out, DateMemory(anchor, reference, written)
