"""What dates the article itself: a wire story's dateline, or a line that is only a date.

The date in a dateline ('DUNMORE, Aug 16, 2031 (Wire) - Rebels ...') is the day the
story was filed, so it is the publication date and dates nothing in the story: 'fell on
Sunday' in that story is the Sunday before it. A line that is only a date near the top or
the foot ('Last updated: Saturday 14 August 2021') dates an article that has no other
publication date; in a live blog, such a line heads the day's entries (see assemble.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from pipeline.dates import DateResolver
from pipeline.spans import BlockSpans

_LOOK = 6  # datelines open one of the first few blocks (boilerplate lines may come first)
_DASHES = frozenset({"-", "–", "—", "--"})


def _opens_with_dateline(s: BlockSpans, text: str) -> bool:
    """The block opens with a place in capitals, a date, maybe '(Agency)', and a dash; or
    with the date and '(Agency)' alone: 'Mar 14 (Wirenews) -'."""
    if not s.dates or not s.words:
        return False
    m = s.dates[0]
    if s.block.kind == "paragraph" and m.end <= s.block.body_start:
        return True  # segmenting found it: 'Tripoli, June 26, 2019 - ' (see rules/blocks.json)
    head = [text[s.starts[n] : s.ends[n]] for n in range(m.i)]
    words = [w for w in head if w not in (",", "/")]
    if (words and not words[0].isupper()) or len(words) > 5:
        return False
    if not all(w.isupper() or w.istitle() or not w.isalpha() for w in words):  # 'KABUL, Afghanistan,'
        return False
    n = m.j
    if n < len(s.words) and s.words[n] == "(":  # '(Reuters)'
        close = s.words.index(")", n) if ")" in s.words[n:] else None
        if close is None or close - n > 5:
            return False
        n = close + 1
    elif not words:  # a date alone opens many sentences; 'Mar 14 (Wirenews) -' names its agency
        return False
    return n < len(s.words) and s.words[n] in _DASHES


def wire_dateline(
    spans: list[BlockSpans], text: str, resolver: DateResolver
) -> tuple[dt.date | None, list[BlockSpans]] | None:
    """The publication date a dateline gives (None when it has no year), and the spans
    without the dateline's date mention; None when no block opens with a dateline."""
    for k, s in enumerate(spans[:_LOOK]):
        if not _opens_with_dateline(s, text):
            continue
        m = s.dates[0]
        found = resolver.resolve(text[m.start : m.end], m.rule, None)
        rest = dataclasses.replace(s, dates=s.dates[1:])
        day = found.day if found.precision == "day" else None
        return day, [*spans[:k], rest, *spans[k + 1 :]]
    return None


DATE_LINE_WORDS = 14  # tokens of a line that is only a date, at most
DATE_LINE_OTHER = 3  # words of it that are neither the date nor a number, at most
_DATE_LINE_LOOK = 8  # date lines stand among the first or the last few blocks


def date_line(s: BlockSpans, text: str, resolver: DateResolver) -> dt.date | None:
    """The day a line names when it is (almost) only a date: '14/08/2021 - 21:35',
    'Friday 13 August 2021', 'Updated 13 August 2021, 11:20 GMT'."""
    if not s.words or not s.dates or s.places or s.status or len(s.words) > DATE_LINE_WORDS:
        return None
    covered = {t for m in s.dates for t in range(m.i, m.j)}
    rest = [
        word
        for n, word in enumerate(s.words)
        if n not in covered and not s.puncts[n] and not any(ch.isdigit() for ch in word)
    ]
    if len(rest) > DATE_LINE_OTHER:
        return None
    # 'Friday, 6 August 2021': the full date names the day; the weekday alone would be
    # counted back from the publication date. 'Reporting period: 26 January - 1 February
    # 2015': a period's line speaks from its last day.
    for absolute in (True, False):
        days = [
            found.day
            for m in s.dates
            if (m.label == "absolute") == absolute
            and (found := resolver.resolve(text[m.start : m.end], m.rule, None)).precision == "day"
            and found.day
        ]
        if days:
            return max(days)
    return None


def find_dateline(spans: list[BlockSpans], text: str, resolver: DateResolver) -> dt.date | None:
    """A publication date from a date line near the top of the article, or at its foot
    ('Last updated: Saturday 14 August 2021 09:12 BST')."""
    for s in spans[:_DATE_LINE_LOOK] + spans[_DATE_LINE_LOOK:][-_DATE_LINE_LOOK:]:
        if found := date_line(s, text, resolver):
            return found
    return None


@dataclasses.dataclass(frozen=True)
class Publication:
    """When the article appeared (`published`) and, if a wire dateline says so, the day its
    story was filed (`filed`), which a reprint may give later than the site's date."""

    published: dt.date | None
    filed: dt.date | None


def publication_date(
    given: dt.date | None, spans: list[BlockSpans], text: str, resolver: DateResolver
) -> tuple[Publication, list[BlockSpans]]:
    """The article's publication date, and its spans without a dateline's date mention. The
    date given (`--published`, a meta file) comes first, then a wire dateline's, then a line
    that is only a date near the top or the foot; None when none of them gives a day."""
    published = given
    day = None
    if found := wire_dateline(spans, text, resolver):
        day, spans = found  # the day the story was filed dates nothing in it
        published = published or day
    if published is None:
        published = find_dateline(spans, text, resolver)
    return Publication(published, day), spans
