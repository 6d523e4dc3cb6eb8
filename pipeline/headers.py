"""Which lines set the status and date of the lines under them, and which lines take them.

A header is a line of its own that names a status: 'CAPTURED', 'Fallen:', 'Captured so far',
or a title with no sentence end that names capitals and a status, 'Provincial capitals
contested as of March 12' (a status word such as 'contested' names a status only in a
header: in prose it means disputed). Under a header, an entry is a list item ('Kelmar: ...')
or a short line that opens with a capital and tells nothing of its own ('Kelmar
(Northvale)', 'Tolbek (Emberland), March 9'): it takes the header's status, and its date
when it gives none.
"""

from __future__ import annotations

import dataclasses

from pipeline.blocks import BlockKind
from pipeline.spans import BlockSpans

TITLE_WORDS = 16  # words of a title that acts as a header, at most
LABELLED_TITLE_WORDS = 6  # words after a shouted label ('WHAT WE ARE WATCHING: El Fasher'), at most
ENTRY_WORDS = 8  # words of a line that is an entry by its shape, at most
_SENTENCE_ENDS = frozenset({".", "!", "?"})


def named_statuses(s: BlockSpans) -> set[str]:
    """The statuses a header names with a word that is a status only in a header."""
    return {c.rule.split(".", 1)[1] for c in s.cues if c.label == "header_status"}


def _words(s: BlockSpans) -> int:
    return sum(1 for p in s.puncts if not p)


def is_title_header(s: BlockSpans, statuses: frozenset[str]) -> bool:
    """A paragraph that is a title over what follows: no sentence end, no place, a word for
    capitals ('capitals', 'cities') and a status ('Capitals under attack as of March 12')."""
    if s.block.kind != "paragraph" or not s.words or s.places or s.words[-1] in _SENTENCE_ENDS:
        return False
    if _words(s) > TITLE_WORDS or not any(c.label == "collective" for c in s.cues):
        return False
    return bool(named_statuses(s)) or any(t.label in statuses for t in s.status)


def is_label_heading(s: BlockSpans, text: str) -> bool:
    """A list entry whose head is a shouted label of several words and no place, and whose
    body is a title ('WHAT WE ARE WATCHING: El Fasher'): a newsletter's heading over what
    follows, not an entry of the list above it (nor a speaker: 'HOLLIS: Has it fallen?')."""
    head_end = s.block.head_end
    if s.block.kind != "list_item" or head_end is None or not s.words or s.words[-1] in _SENTENCE_ENDS:
        return False
    if len(text[head_end : s.block.end].split()) > LABELLED_TITLE_WORDS:
        return False
    head = text[s.block.body_start : head_end]
    shouted = head.upper() == head and sum(c.isalpha() for c in head) >= 4 and len(head.split()) >= 2
    return shouted and not any(p.start < head_end for p in s.places)


def is_heading(s: BlockSpans) -> bool:
    """A section header, or a short line with no sentence end and nothing happening in it
    ('Other regional capitals in the south'): what follows may start the story again."""
    if s.block.kind == "section_header":
        return True
    if s.block.kind != "paragraph" or not s.words or s.status or s.words[-1] in _SENTENCE_ENDS:
        return False
    return _words(s) <= TITLE_WORDS


def heading_year(s: BlockSpans, years: tuple[int, int]) -> int | None:
    """The year a line names when it is only a year ('2015', '2015:'), or a title's label
    ('2025: the tide turns'): a chronology's heading over entries that give day and month alone."""
    words = [w for w, punct in zip(s.words, s.puncts, strict=True) if not punct]
    head_end = s.block.head_end
    if s.block.kind == "list_item" and head_end is not None and s.words[-1] not in _SENTENCE_ENDS:
        words = [
            w for w, punct, at in zip(s.words, s.puncts, s.starts, strict=True) if not punct and at < head_end
        ]
    elif s.block.kind not in ("paragraph", "section_header", "headline"):
        return None
    if len(words) != 1:
        return None
    year = int(words[0]) if words[0].isascii() and words[0].isdigit() else None
    return year if year is not None and years[0] <= year <= years[1] else None


def title_year(s: BlockSpans, years: tuple[int, int]) -> int | None:
    """The earliest year a title names, as a number of its own ('2015 offensive', 'Battle of
    Kelmar (2012-2013)'): when the story is, for a page that has no date."""
    found = [int(w) for w in s.words if w.isascii() and w.isdigit() and years[0] <= int(w) <= years[1]]
    return min(found, default=None)


def is_bare_entry(s: BlockSpans) -> bool:
    """A short line that opens with a capital and has no trigger or verb of its own."""
    if s.block.kind not in ("paragraph", "section_header") or s.status or not s.places:
        return False
    if any(c.label in ("finite", "past") for c in s.cues):  # 'Kelmar is a big city.' is prose
        return False
    first = s.places[0]
    return first.i == 0 and first.label == "capital" and _words(s) <= ENTRY_WORDS and s.words[-1] != "?"


def is_dated_heading(s: BlockSpans) -> bool:
    """A list entry whose head is a date and whose body is a title, not a sentence ('2 March -
    Shelling of Kelmar'): a heading that dates the paragraphs under it, as a day heading does."""
    head_end = s.block.head_end
    if s.block.kind != "list_item" or head_end is None or not s.dates or s.words[-1] in _SENTENCE_ENDS:
        return False
    first = s.dates[0]
    return first.start <= s.block.body_start + 1 and first.end >= head_end - 1


def as_kind(s: BlockSpans, kind: BlockKind) -> BlockSpans:
    """The same block read as another kind."""
    return dataclasses.replace(s, block=dataclasses.replace(s.block, kind=kind))
