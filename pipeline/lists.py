"""The places a count announces: 'seized three capitals: Kelmar in the north; Tolbek, the
capital of Emberland; and Dunmore', 'captured four capitals on Tuesday; Kelmar, Tolbek, ...',
'have taken nine capitals in a week, including Kelmar and Tolbek'.

After a trigger and a count of capitals near it, a colon, a semicolon or a word that leads
into a list ('including') opens the list; each of its items names a place that takes the
trigger, as the count says. Items are cut at semicolons where the list has them, otherwise
at commas and 'and'; an item's first place is the one it names (the rest is its apposition:
'Tolbek, the capital of Emberland').
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from pipeline.spans import Mention

NEAR = 6  # tokens between the trigger and its count
LEAD = 8  # tokens between the count and the start of its list
_SEPARATORS = frozenset({":", ";"})


def announced(
    words: Sequence[str],
    trig: Mention,
    sentence: tuple[int, int],
    counts: Sequence[Mention],
    leads: Sequence[Mention],
    places: tuple[Sequence[Mention], Sequence[int]],
    stops: Sequence[int],
) -> list[Mention]:
    """The places listed after the count that goes with `trig`, in order. `counts` and
    `leads` are the sentence's count and list-lead cues, `places` the block's places sorted
    by start and their starts, `stops` the sorted starts of the block's triggers: the list
    ends at the next trigger or the sentence's end."""
    lo, hi = sentence
    count = next((c for c in counts if lo <= c.i < hi and _near(trig, c)), None)
    if count is None:
        return []
    start = _list_start(words, max(trig.j, count.j), hi, leads)
    if start is None:
        return []
    n = bisect.bisect_left(stops, start)
    end = min(hi, stops[n]) if n < len(stops) else hi
    return _first_of_each_item(words, start, end, places)


def _near(trig: Mention, count: Mention) -> bool:
    gap = count.i - trig.j if count.i >= trig.j else trig.i - count.j
    return 0 <= gap <= NEAR


def _list_start(words: Sequence[str], lo: int, hi: int, leads: Sequence[Mention]) -> int | None:
    """The token after the colon, semicolon or lead word that opens the list."""
    for k in range(lo, min(lo + LEAD + 1, hi)):
        if words[k] in _SEPARATORS:
            return k + 1
        lead = next((c for c in leads if c.i == k), None)
        if lead is not None:
            return lead.j
        if words[k] == "," and not any(c.i == k + 1 for c in leads):
            return None  # 'captured three capitals, officials said: ...' is no list
    return None


def _first_of_each_item(
    words: Sequence[str], lo: int, hi: int, indexed: tuple[Sequence[Mention], Sequence[int]]
) -> list[Mention]:
    """The first place of each item between lo and hi."""
    places, starts = indexed
    semicolons = [n for n in range(lo, hi) if words[n] == ";"]
    pieces = zip([lo, *(n + 1 for n in semicolons)], [*semicolons, hi], strict=True)
    named = sum(1 for a, b in pieces if bisect.bisect_left(starts, a) < bisect.bisect_left(starts, b))
    if named >= 2:  # 'Kelmar in the north; Tolbek, the capital of Emberland; and Dunmore'
        cuts = {";"}
    else:  # 'Kelmar, Tolbek and Rivane', up to a semicolon that ends the list
        cuts, hi = {",", "and", "&"}, semicolons[0] if semicolons else hi
    out: list[Mention] = []
    item_open = True
    k = bisect.bisect_left(starts, lo)
    for n in range(lo, hi):
        if words[n] in cuts:
            item_open = True
            continue
        while k < len(places) and places[k].i < n:
            k += 1
        if item_open and k < len(places) and places[k].i == n and places[k].j <= hi:
            if places[k].label == "capital":  # not 'the capital', nor a province
                out.append(places[k])
            item_open = False
    return out
