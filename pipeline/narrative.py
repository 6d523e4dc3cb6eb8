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


def stated(value: str | None) -> dt.date | None:
    """The first day of what a resolved date with a year states: '2021-08-06' -> that day,
    '2021-07' -> 2021-07-01, '2021' -> 2021-01-01; None for '--08-06' or no date."""
    if not value or not value[:4].isdigit():
        return None
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def in_narrative(reference: dt.date, month: int, day: int) -> dt.date | None:
    """The day `month`/`day` names in a narrative whose last stated date is `reference`."""
    for year in (reference.year, reference.year + 1):
        try:
            found = dt.date(year, month, day)
        except ValueError:  # 29 February
            continue
        if found >= reference - _BACKWARD:
            return found
    return None
