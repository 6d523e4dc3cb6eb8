"""Resolve date mentions to ISO dates, anchored on the publication date; never guess a year.

Absolute expressions go through one dateparser `DateDataParser` per run (cached by text).
Weekdays, relative and anaphoric expressions are simple day arithmetic on an anchor.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pipeline.data import DateRule, DateSettings
from pipeline.narrative import in_narrative

Precision = Literal["day", "month", "year", "day_no_year", "unknown"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_WORD_END = re.compile(r"[.,-]")
_SEPARATORS = re.compile(r"[\s/.,-]+")


@dataclass(frozen=True)
class ResolvedDate:
    value: str | None  # "2021-08-06", "2021-08", "2015", "--08-06" or None
    precision: Precision
    day: dt.date | None  # a full date, usable as an anchor


@dataclass
class DateParsing:
    """One per run: the dateparser instance, built on first use, and its cache.

    "Aug. 6", "6 August 2021" and "September 2015" are read directly with the month names
    of the date settings; everything else goes to dateparser, whose first call costs a
    tenth of a second of start-up.
    """

    date_order: str
    months: dict[str, int] = field(default_factory=dict)
    ordinal_suffixes: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: DateSettings) -> DateParsing:
        return cls(settings.date_order, settings.months, tuple(settings.ordinal_suffixes))

    _parser: Any = None
    _cache: dict[str, tuple[int | None, int | None, int | None]] = field(default_factory=dict)

    def parts(self, text: str) -> tuple[int | None, int | None, int | None]:
        """(year, month, day) that the text states; a missing part is None."""
        text = self._trim(text)
        if text not in self._cache and (simple := self._simple(text)) is not None:
            self._cache[text] = simple
        if text not in self._cache:
            if self._parser is None:
                from dateparser.date import DateDataParser  # heavy: only once a date is seen

                self._parser = DateDataParser(
                    languages=["en"],
                    settings={"DATE_ORDER": self.date_order, "PREFER_DAY_OF_MONTH": "first"},
                )
            data = self._parser.get_date_data(text)
            found, period = data.date_obj, data.period or "day"
            if found is None:
                self._cache[text] = (None, None, None)
            else:
                self._cache[text] = (
                    found.year if _YEAR.search(text) else None,
                    found.month if period in ("day", "month") else None,
                    found.day if period == "day" else None,
                )
        return self._cache[text]

    def _trim(self, text: str) -> str:
        """From the first number or month name on: 'on the evening of 12 August' -> '12 August'."""
        words = text.split()
        for n, word in enumerate(words):
            if word[:1].isdigit() or _WORD_END.split(word.lower())[0] in self.months:
                return " ".join(words[n:])
        return text

    def _simple(self, text: str) -> tuple[int | None, int | None, int | None] | None:
        """Month name, day and year words in either order ('6th of August 2021'), or a date
        all in numbers with a four-digit year, read as ISO ('2021-08-13') or in the order of
        the settings ('13/08/2021'); None for anything else."""
        words = [w for w in _SEPARATORS.split(text.lower()) if w and w != "of"]
        months = [self.months[w] for w in words if w in self.months]
        others = [w for w in words if w not in self.months]
        if not months and len(others) == 3 and all(w.isdigit() for w in others):
            order = "YMD" if len(others[0]) == 4 else self.date_order
            parts = dict(zip(order, map(int, others), strict=True))
            return (parts["Y"], parts["M"], parts["D"]) if len(str(parts["Y"])) == 4 else None
        if len(months) == 1 and not others:  # 'October'
            return None, months[0], None
        if len(months) > 1 or len(others) > 2 or not others:
            return None
        day = year = None
        for word in others:
            number = self._number(word)
            if word.isdigit() and len(word) == 4 and year is None:
                year = int(word)
            elif number is not None and 1 <= number <= 31 and len(word) <= 4 and day is None:
                day = number
            else:
                return None
        return year, (months[0] if months else None), day

    def _number(self, word: str) -> int | None:
        """'12', '12th': the number; None for any other word."""
        for suffix in self.ordinal_suffixes:
            if word.endswith(suffix) and word[: -len(suffix)].isdigit():
                return int(word[: -len(suffix)])
        return int(word) if word.isdigit() else None


@dataclass(frozen=True)
class DateResolver:
    """One per article: resolves its date mentions against its publication date."""

    published: dt.date | None
    settings: DateSettings
    rules: dict[str, DateRule]
    parsing: DateParsing

    def _absolute(self, text: str, reference: dt.date | None, restart: bool = False) -> ResolvedDate:
        year, month, day = self.parsing.parts(text)
        if year and month and day:
            try:
                found = dt.date(year, month, day)
            except ValueError:  # "Feb. 30, 2021"
                return _UNKNOWN
            return ResolvedDate(found.isoformat(), "day", found)
        if year and month:
            return ResolvedDate(f"{year:04d}-{month:02d}", "month", None)
        if year:
            return ResolvedDate(f"{year:04d}", "year", None)
        if month and day:
            if self.published is None and reference is not None:  # a narrative's own year
                found = in_narrative(reference, month, day, restart)
                return ResolvedDate(found.isoformat(), "day", found) if found else _UNKNOWN
            if self.published is None:
                return ResolvedDate(f"--{month:02d}-{day:02d}", "day_no_year", None)
            found = self._toward_past(month, day)
            return ResolvedDate(found.isoformat(), "day", found) if found else _UNKNOWN
        return _UNKNOWN

    def _toward_past(self, month: int, day: int) -> dt.date | None:
        assert self.published is not None
        latest = _add(self.published, self.settings.future_grace_days) or dt.date.max
        for year in (latest.year, latest.year - 1):
            try:
                found = dt.date(year, month, day)
            except ValueError:
                continue
            if found <= latest:
                return found
        return None

    def _shift(self, anchor: dt.date | None, days: int) -> ResolvedDate:
        found = _add(anchor, days) if anchor is not None else None
        return ResolvedDate(found.isoformat(), "day", found) if found else _UNKNOWN

    def resolve(
        self,
        text: str,
        rule_id: str,
        anchor: dt.date | None,
        today: dt.date | None = None,
        reference: dt.date | None = None,
        status_before: bool = False,
        restart: bool = False,
    ) -> ResolvedDate:
        """Resolve one date mention. `anchor` is the last full date mentioned before it;
        `today` the day the passage is written on (a live blog's day heading), by default
        the publication date; `reference` the last date before it that states a year, which
        gives a day without a year its year when there is no publication date;
        `status_before`: for the status told before it, where its rule says that differs;
        `restart`: a new section of a narrative starts the story again (see `in_narrative`)."""
        rule = self.rules[rule_id]
        if status_before and rule.offset_for_status_before is not None:
            return self._shift(anchor, rule.offset_for_status_before)
        today = today or self.published
        if rule.label == "absolute":
            return self._absolute(text, reference, restart)
        if rule.label == "relative":
            return self._shift(today, rule.offset)
        if rule.label == "anaphoric":
            return self._shift(anchor, rule.offset)
        if rule.label == "month_day":
            return self._month_day(text, anchor)
        if rule.label == "month":
            return self._month(text, reference, restart, after=rule.offset > 0, onward=rule.onward)
        if rule.label == "vague":
            return _UNKNOWN
        return self._weekday(text, today, rule.offset)

    def _month(
        self, text: str, reference: dt.date | None, restart: bool, after: bool, onward: bool
    ) -> ResolvedDate:
        """'in October': in a narrative, the first October on from the last date with a year
        (see `in_narrative`); `onward` from the month it has reached ('That May'), or `after`
        it ('the following April'); with a publication date, the last October on or before it."""
        month = self.parsing.parts(text)[1]
        if month is None:
            return _UNKNOWN
        if self.published is not None:
            found = self._toward_past(month, 1)
        elif reference is not None and (after or onward):
            later = month <= reference.month if after else month < reference.month
            found = dt.date(reference.year + later, month, 1)
        elif reference is not None:
            found = in_narrative(reference, month, _last_day(reference.year, month), restart)
        else:
            found = None
        return ResolvedDate(f"{found.year:04d}-{month:02d}", "month", None) if found else _UNKNOWN

    def _month_day(self, text: str, anchor: dt.date | None) -> ResolvedDate:
        """'on the 18th' after 15 December is 18 December; after 20 December, 18 January."""
        numbers = [w for w in text.split() if w[:1].isdigit()]  # "by the 21st (of that month)"
        day = self.parsing.parts(numbers[0])[2] if numbers else None
        if anchor is None or day is None:
            return _UNKNOWN
        month_start = anchor.replace(day=1)
        for start in (month_start, (month_start + dt.timedelta(days=31)).replace(day=1)):
            try:
                found = start.replace(day=day)
            except ValueError:  # the 31st of a short month
                continue
            if found >= anchor:
                return ResolvedDate(found.isoformat(), "day", found)
        return _UNKNOWN

    def _weekday(self, text: str, today: dt.date | None, offset: int) -> ResolvedDate:
        """The last such weekday on or before `today` moved by `offset` days: 'on Tuesday' on a
        Tuesday is that day, 'last Tuesday' (offset -1) the one before."""
        today = _add(today, offset) if today is not None else None
        if today is None:
            return _UNKNOWN
        words = text.lower().split()
        wanted = next(i for i, d in enumerate(WEEKDAYS) for w in words if w.startswith(d))
        back = (today.weekday() - wanted) % 7
        return self._shift(today, -back)


_UNKNOWN = ResolvedDate(None, "unknown", None)


def _last_day(year: int, month: int) -> int:
    """The last day of a month: a month counts as on from a date while any of its days is."""
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def _add(day: dt.date, days: int) -> dt.date | None:
    """`day` moved by `days`; None past the calendar's ends (year 1, year 9999)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def make_resolver(
    published: dt.date | None, settings: DateSettings, rules: list[DateRule], parsing: DateParsing
) -> DateResolver:
    return DateResolver(published, settings, {r.id: r for r in rules}, parsing)
