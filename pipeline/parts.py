"""Parts of a city: 'eastern Kelmar', 'the western half', 'the northern districts'.

A compass word right before a city's name names a part of the city, not the whole: 'troops
retook eastern Kelmar' is a step in the fight for Kelmar, not its retaking, and 'the western
half remains in rebel hands' leaves the city contested, not fallen. The words come from the
`city_part` cues (rules/cues.jsonl).
"""

from __future__ import annotations

from pipeline.spans import BlockSpans, Mention


def part_ends(s: BlockSpans) -> frozenset[int]:
    """Where a compass word of the block ends: a city's name starting there names a part of it."""
    return frozenset(c.j for c in s.cues if c.label == "city_part")


def names_a_part(ends: frozenset[int], place: Mention) -> bool:
    """The place's name is right after a compass word ('eastern Kelmar'); `ends` from part_ends."""
    return place.i in ends
