"""Reading one block: its mentions, places, dates and layout, and the readers built on them.

`read()` resolves what the block names against the article's memory (the last capital
named, the last full date) and returns the readers with the memory after the block; it
writes nothing. `assemble()` decides what of it the article keeps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.article import Article
from pipeline.block_dates import DateMemory, resolve_dates
from pipeline.block_index import BlockIndex
from pipeline.data import StatusRule
from pipeline.date_links import DateLinker
from pipeline.dates import DateResolver
from pipeline.layout import Layout
from pipeline.place_memory import PlaceMemory, resolve_places
from pipeline.qualifiers import Qualifiers
from pipeline.spans import BlockSpans
from pipeline.targets import TargetFinder


@dataclass(frozen=True)
class Memory:
    """What the blocks read so far leave for the next: places and dates."""

    places: PlaceMemory = PlaceMemory()
    dates: DateMemory = DateMemory()


@dataclass(frozen=True)
class BlockReading:
    index: BlockIndex
    layout: Layout
    dates: DateLinker
    qualifiers: Qualifiers
    targets: TargetFinder
    rules: dict[str, StatusRule]

    @property
    def s(self) -> BlockSpans:
        return self.index.s


def read(
    spans: BlockSpans,
    article: Article,
    resolver: DateResolver,
    rules: dict[str, StatusRule],
    memory: Memory,
    today: dt.date | None,
    national: str | None,
) -> tuple[BlockReading, Memory]:
    """The block's readers, and the memory after it. `today`: the day a live blog's day
    heading names; `national`: the province code of the country's capital, if known."""
    index = BlockIndex(spans, article.text, article.norm, resolver.settings.months)
    dates, dating = resolve_dates(spans, article.text, resolver, memory.dates, today)
    places, placing = resolve_places(index, memory.places, national)
    layout = Layout(index, places, dates)
    qualifiers = Qualifiers(layout, rules)
    reading = BlockReading(
        index,
        layout,
        DateLinker(layout, rules),
        qualifiers,
        TargetFinder(layout, rules, qualifiers, memory.places.last_capital),
        rules,
    )
    return reading, Memory(placing, dating)
