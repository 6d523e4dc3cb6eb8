"""Place memory: which city 'the city' and 'the provincial capital' mean.

Reading goes through the article in order, remembering the last capital and the last
province named; an anaphor in a block resolves to them. The memory is returned, not kept:
`assemble()` carries it from one block to the next.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.block_index import BlockIndex
from pipeline.spans import Mention

APPOSITION_REACH = 6  # tokens from an anaphor to the name it stands in apposition to, at most
# the city_anaphor rules (rules/cues.jsonl) that do not mean the last capital named
NATIONAL = "city_anaphor.national"  # 'the capital': the country's, where its actor list names one
DESCRIBED = "city_anaphor.described_capital"  # 'the northern capital': a capital, but which is not said
PROVINCIAL = "city_anaphor.provincial_capital"  # 'the provincial capital': the last province's


@dataclass(frozen=True)
class PlaceMemory:
    """The last capital and the last province named so far (an anaphor counts as its city)."""

    last_capital: Mention | None = None
    last_province: Mention | None = None


def resolve_places(
    index: BlockIndex, memory: PlaceMemory, national: str | None
) -> tuple[list[Mention], PlaceMemory]:
    """The block's place mentions in order, with 'the city' / 'the provincial capital'
    resolved, and the memory after the block.

    'the capital' alone is the country's capital (`national`, its province code) where the
    actor list names one, else kept as a place with no province: it stops a search for a
    trigger's object but never gives a record.
    """
    s = index.s
    last_capital, last_province = memory.last_capital, memory.last_province
    items = sorted(s.places + index.all_cues("city_anaphor"), key=lambda m: m.i)
    out: list[Mention] = []
    taken: set[int] = set()
    for p in s.places:
        taken.update(range(p.i, p.j))
    next_capital: list[Mention | None] = [None] * (len(items) + 1)  # the first after each item
    for n in range(len(items) - 1, -1, -1):
        later = items[n + 1] if n + 1 < len(items) else None
        named = later is not None and later.kind == "place" and later.label == "capital"
        next_capital[n] = later if named else next_capital[n + 1]
    named_before: list[Mention | None] = []  # the last capital named before each item
    last_named: Mention | None = None
    for m in items:
        named_before.append(last_named)
        if m.kind == "place" and m.label == "capital":
            last_named = m
    origins = {c.j for c in index.all_cues("origin")}
    for n, m in enumerate(items):
        if m.kind == "place":
            if index.landmark(m):
                # 'a lawmaker from Kelmar said ... the city', 'the airport north of Kelmar ... the city'
                if m.label == "capital" and (m.i in origins or index.locates_facility(m)):
                    last_capital = m
                continue
            if m.label == "capital":
                last_capital = m
                out.append(m)
            else:
                last_province = m
            continue
        if taken.intersection(range(m.i, m.j)) or _apposition(index, m, next_capital[n]):
            continue
        if _after_unknown_name(index, m):
            continue  # 'Melitopol, the second city of the oblast, fell': a place the gazetteer does not know
        if index.words(m.j, m.j + 1) == ["of"]:
            # 'the town of Sarvan', 'the capital of the Sarvan Zone': a place the gazetteer does not know
            k = m.j + 1 + bool(index.cues("determiner", m.j + 1, m.j + 2))
            if index.unknown_name_at(k):
                continue
        if m.rule == NATIONAL and national is not None and not index.landmark(m):
            # the country's capital; 'the city' after it still means the city of the story
            out.append(Mention("place", "anaphor", national, m.i, m.j, m.start, m.end))
            continue
        if m.rule in (NATIONAL, DESCRIBED):
            out.append(Mention("place", "national", "", m.i, m.j, m.start, m.end))
            continue
        provincial = m.rule == PROVINCIAL
        ref = last_capital
        if (named := next_capital[n]) is not None and index.words(m.j, named.i) == ["("]:
            ref = named  # 'taking control of the city (Gao)': the name in brackets says which
        if provincial and last_province is not None and (ref is None or last_province.start > ref.start):
            ref = last_province  # 'In Kunar ... the provincial capital'; not after a city named since
        if not provincial and index.unnamed_between(_unnamed_from(index, named_before[n], m), m.i):
            continue  # 'advanced on Sarvan, where ... the town': a place the gazetteer does not know
        if ref is not None:
            resolved = Mention("place", "anaphor", ref.rule, m.i, m.j, m.start, m.end)
            last_capital = resolved
            out.append(resolved)
    return out, PlaceMemory(last_capital, last_province)


def _unnamed_from(index: BlockIndex, named: Mention | None, m: Mention) -> int:
    """Where a place the gazetteer does not know would stand for the anaphor `m`: after the
    last capital named; past that capital's sentence if the capital opens it, since the sentence
    is about it ('Kelmar, the prize of the advance out of Sarvan, ... The rebels entered the city')."""
    if named is None:
        return 0
    lo, hi = index.sentence(named.i)
    return hi if named.i == lo and hi <= m.i else named.j


def _after_unknown_name(index: BlockIndex, m: Mention) -> bool:
    """An apposition to a name the gazetteer does not know, right before it: 'Melitopol, the
    second city of Zaporizhzhia oblast, fell'."""
    return (
        m.i >= 2
        and index.words(m.i - 1, m.i) == [","]
        and index.unknown_name_at(m.i - 2)
        and index.words(m.j, m.j + 1) in (["of"], [","])
    )


def _apposition(index: BlockIndex, m: Mention, named: Mention | None) -> bool:
    """'the biggest city in the north, the capital of Northvale province' or 'the city of
    Kelmar': the city is named right after; not 'the city, a prize Tolbek had coveted', where
    the name is the subject of a verb of its own."""
    if named is None or named.i - m.j > APPOSITION_REACH or index.starting("finite", named.j, named.j + 1):
        return False
    between = index.words(m.j, named.i)
    return "," in between or between == ["of"]
