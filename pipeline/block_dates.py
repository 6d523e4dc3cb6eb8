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
    "vague": "none",
}


@dataclass(frozen=True)
class DateMemory:
    """The last full date (`anchor`) and the last date that stated a year (`reference`)."""

    anchor: dt.date | None = None
    reference: dt.date | None = None


def resolve_dates(
    s: BlockSpans, text: str, resolver: DateResolver, memory: DateMemory, today: dt.date | None
) -> tuple[list[tuple[Mention, Dated]], DateMemory]:
    """The block's dates in order, and the memory after them. `today`: the day a live blog's
    day heading names, if the block is under one."""
    anchor, reference = memory.anchor, memory.reference
    out = []
    for m in s.dates:
        resolved = resolver.resolve(text[m.start : m.end], m.rule, anchor, today, reference)
        reference = stated(resolved.value) or reference
        out.append((m, Dated(resolved, SOURCES.get(m.rule.split(".")[0], "none"), m)))
        if resolved.day and resolver.rules[m.rule].anchor:
            anchor = resolved.day
    return out, DateMemory(anchor, reference)
