"""Section scope: a header's status and date over the entries under it, and an entry's heads.

'Captured so far' sets the status of the list entries under it, 'as of August 12' their
date; a table's row of column names keeps the section around it. An entry's heads are the
places it opens with ('Kelmar & Port Ardin: both fell'), dated by its head, a cell, or
its first clause.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pipeline.blocks import ENTRY_KINDS
from pipeline.findings import Dated
from pipeline.headers import named_statuses
from pipeline.reading import BlockReading
from pipeline.records import STATUSES
from pipeline.spans import BlockSpans, Mention

HEAD_LIST_GAP = 4  # tokens between two places of an entry's head, at most


@dataclass(frozen=True)
class Section:
    """What the last header set: the statuses and date of the entries under it."""

    status: frozenset[str] = frozenset()
    date: Dated | None = None
    is_table: bool = False  # the status came from a table's column names
    summary: bool = False  # a summary ('Key events') repeats what the body tells

    def closed(self) -> Section:
        """The section after a timestamp: no status, date or summary; a table stays one."""
        return replace(self, status=frozenset(), date=None, summary=False)


def read_header(reading: BlockReading, current: Section) -> Section:
    """The section a header opens. A table's row of column names with no status of its own
    keeps the status of the section around it."""
    s, qualifiers = reading.s, reading.qualifiers
    statuses = {
        t.label
        for t in s.status
        if t.label in STATUSES and not qualifiers.blocked(t) and reading.rules[t.rule].needs is None
    } | named_statuses(s)
    if _yes_no_question(reading):
        statuses = set()  # 'Has Kelmar fallen?' asks; the lines under it tell
    table = bool(s.block.cells)
    if table and not statuses and not current.is_table:
        return replace(
            current, is_table=True
        )  # "Table 1. Capitals that changed hands" above "Capital  Province  Date"
    dated = [d for _, d in reading.layout.dates if d.resolved.value]
    return Section(
        status=frozenset(statuses),
        date=Dated(dated[0].resolved, "section", dated[0].mention) if dated else None,
        is_table=table,
        summary=bool(reading.index.cues("summary", 0, len(s.words))),
    )


def _yes_no_question(reading: BlockReading) -> bool:
    """A header that asks without a wh-word ('Has Kelmar fallen?', not 'Which capitals have
    fallen?')."""
    words = reading.s.words
    return bool(words) and words[-1] == "?" and not reading.index.all_cues("wh_question")


def _chain(reading: BlockReading, places: list[Mention]) -> list[Mention]:
    """The first place and those coordinated with it ('Kelmar, Tolbek and Rivane')."""
    out = places[:1]
    for p in places[1:]:
        if not reading.targets.coordinated(out[-1], p, HEAD_LIST_GAP):
            break
        out.append(p)
    return out


def heads(reading: BlockReading, section: Section) -> tuple[list[Mention], Dated | None]:
    """A list entry's head places ('Kelmar & Port Ardin: both fell') and its date: in the
    head, in any cell of a table row, or else in the entry's first sentence."""
    s, layout = reading.s, reading.layout
    block, clause = s.block, layout.clause
    places = [p for p in layout.places if p.label != "national"]
    if block.head_end:
        found = _chain(reading, [p for p in places if p.end <= block.head_end])
        dates = [d for m, d in layout.dates if block.cells or m.end <= block.head_end]
        body = {m.i for m, _ in layout.dates if m.start >= block.head_end and not reading.dates.since(m)}
        if not dates and body:  # "Tolbek, Emberland prov.: captured Aug. 7, ...": the body's first clause
            first = next(i for i, t in enumerate(s.starts) if t >= block.head_end)
            dates = [d for m, d in layout.dates if m.i in body and clause[m.i] == clause[first]]
            if section.status:
                dates = _dates_of_section_status(reading, section, body, dates)
    else:
        found, dates = [], [d for m, d in layout.dates if block.cells]
    if not found and block.kind in ENTRY_KINDS:  # "- Aug. 6 - TOLBEK.", "* Kelmar and Tolbek (Aug. 8)"
        hi = reading.index.sentence(0)[1] if s.words else 0
        first_clause = layout.clause_span(0)[1] if s.words else 0  # "HEADLINES: ... fall; fighting in Kelmar"
        found = _chain(reading, [p for p in places if p.j <= first_clause])
        dates = dates if block.head_end or block.cells else [d for m, d in layout.dates if m.j <= hi]
    head_date = (
        Dated(dates[0].resolved, "entry", dates[0].mention) if dates and dates[0].resolved.value else None
    )
    return found, head_date


def _dates_of_section_status(
    reading: BlockReading, section: Section, body: set[int], first: list[Dated]
) -> list[Dated]:
    """Under a section header's status, an entry is dated by the first clause of its body that
    tells that status ('By Nov. 30 they held it'), else by its first clause unless that one
    tells another ('took two towns on Dec. 6 and are fighting for the city': not the day)."""
    clause = reading.layout.clause

    def told(i: int) -> set[str]:
        return {t.label for t in reading.s.status if clause[t.i] == clause[i]} & STATUSES

    matching = [d for m, d in reading.layout.dates if m.i in body and told(m.i) & section.status]
    if matching:
        return matching[:1]
    return [d for d in first if d.mention is None or not told(d.mention.i) - section.status]


def summary_head(s: BlockSpans) -> bool:
    """'HEADLINES: Two more cities fall; ...': an entry whose head is a summary's name (one or
    two words) repeats the body."""
    head_end = s.block.head_end
    if not head_end:
        return False
    head = [w for w, start in zip(s.words, s.starts, strict=True) if start < head_end and w.isalpha()]
    return len(head) <= 2 and any(c.label == "summary" and c.end <= head_end for c in s.cues)
