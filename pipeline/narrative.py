"""The reference time of a narrative that has no publication date.

An encyclopaedia page or a reconstruction ("In May 2021 ... On 6 August ...") states its
year once and then gives bare days. As HeidelTime does for narratives, a day without a
year is read against the last date before it that states a year, never against a date
the text does not give: the year is taken from the text, not guessed.
"""

from __future__ import annotations

import datetime as dt

# A bare day more than this long before the reference is read in the following year:
# narratives move forward ("In December 2015 ... on 3 January" is 2016).
_BACKWARD = dt.timedelta(days=183)
# A new section may go back to the end of the year before the one last written, this far at most.
_RESTART_BACK = dt.timedelta(days=92)


def stated(value: str | None) -> dt.date | None:
    """The first day of what a resolved date with a year states: '2021-08-06' -> that day,
    '2021-07' -> 2021-07-01, '2021' -> 2021-01-01; None for '--08-06' or no date."""
    if not value or not value[:4].isdigit():
        return None
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def in_narrative(reference: dt.date, month: int, day: int, restart: bool = False) -> dt.date | None:
    """The day `month`/`day` names in a narrative whose last stated date is `reference`. Where
    a new section starts the story again (`restart`), a day shortly before it may lie in the
    year before ('Upper Nile' after '18 January 2014': 'on 24 December' is of 2013)."""
    before = _day(reference.year - 1, month, day)
    if restart and before is not None and reference - _RESTART_BACK <= before:
        return before
    for year in (reference.year, reference.year + 1):
        found = _day(year, month, day)
        if found is not None and found >= reference - _BACKWARD:
            return found
    return None


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:  # 29 February
        return None
