"""Stated counts: 'nine capitals have fallen', and a warning when the records disagree.

A count is a running total only with a fall in its sentence told in the perfect ('have
fallen'); 'three capitals in one day' is not one. The warning is about the article as a
whole: it names the count, where it stands, and how many fallen records were found.
"""

from __future__ import annotations

from pipeline.article import Article
from pipeline.reading import BlockReading
from pipeline.records import Record
from pipeline.spans import Mention

PERFECT_LEAD = 3  # tokens before a fall in which its 'have' may stand


def stated_counts(reading: BlockReading, numbers: dict[str, int]) -> list[tuple[int, Mention]]:
    """'nine capitals have fallen': a count with a fall trigger in its sentence."""
    index, words = reading.index, reading.s.words
    out = []
    for cue in index.all_cues("count"):
        word = words[cue.i]
        value = int(word) if word.isdigit() else numbers.get(word)
        lo, hi = index.sentence(cue.i)
        falls = [t for t in index.statuses_in(lo, hi) if t.label == "fallen"]
        owned = index.cues("partitive", cue.i - 1, cue.i)  # 'two of nine' counts no total
        if value is None or owned or not falls or reading.qualifiers.blocked(falls[0]):
            continue
        if not index.cues("perfect", max(lo, falls[0].i - PERFECT_LEAD), falls[0].i):
            continue  # "three capitals in one day ... are overrun": not a running total
        out.append((value, cue))
    return out


def count_warnings(counts: list[tuple[int, Mention]], records: list[Record], article: Article) -> list[str]:
    """A stated count ("nine capitals have fallen") that the records do not match."""
    fallen = sum(1 for r in records if r.status == "fallen" and not r.historical)
    return [
        f"{article.path}: the article says {count} capitals have fallen "
        f"({article.text[m.start : m.end]!r} at offset {m.start}) but {fallen} fallen records were found"
        for count, m in counts
        if count != fallen
    ]
