"""Date resolution: anchored on the publication date, never a guessed year."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.data import load_rules
from pipeline.dates import DateParsing, DateResolver, make_resolver


def resolver(published: dt.date | None) -> DateResolver:
    rules = load_rules()
    return make_resolver(
        published, rules.date_settings, rules.dates, DateParsing("DMY", load_rules().date_settings.months)
    )


@pytest.mark.parametrize(
    ("text", "rule", "expected"),
    [
        ("Aug. 6", "absolute.month_day", "2021-08-06"),
        ("August 6", "absolute.month_day", "2021-08-06"),
        ("6 August", "absolute.day_month", "2021-08-06"),
        ("Friday 13 August 2021", "absolute.day_month", "2021-08-13"),
        ("13/08/2021", "absolute.numeric", "2021-08-13"),
        ("Sept. 28, 2015", "absolute.month_day", "2015-09-28"),
        ("September 2015", "absolute.month_year", "2015-09"),
        ("in 2015", "absolute.year", "2015"),
        ("on Tuesday", "weekday.day", "2021-08-10"),  # the publication day itself
        ("late Sunday", "weekday.day", "2021-08-08"),
        ("Wednesday", "weekday.day", "2021-08-04"),
        ("overnight", "relative.today", "2021-08-10"),
        ("yesterday", "relative.yesterday", "2021-08-09"),
    ],
)
def test_dates_resolve_against_publication(text: str, rule: str, expected: str) -> None:
    assert resolver(dt.date(2021, 8, 10)).resolve(text, rule, None).value == expected


def test_dates_yearless_rolls_back_over_new_year() -> None:
    found = resolver(dt.date(2022, 1, 3)).resolve("Dec. 30", "absolute.month_day", None)
    assert found.value == "2021-12-30"


def test_dates_without_publication_never_guess_a_year() -> None:
    r = resolver(None)
    assert r.resolve("Aug. 6", "absolute.month_day", None).value == "--08-06"
    assert r.resolve("on Monday", "weekday.day", None).value is None
    assert r.resolve("Aug. 6, 2021", "absolute.month_day", None).value == "2021-08-06"


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("anaphoric.day_later", "2021-08-09"),
        ("anaphoric.day_before", "2021-08-07"),
        ("anaphoric.same_day", "2021-08-08"),
    ],
)
def test_dates_anaphora_follow_the_last_date(rule: str, expected: str) -> None:
    anchor = dt.date(2021, 8, 8)
    assert resolver(dt.date(2021, 8, 10)).resolve("x", rule, anchor).value == expected


def test_dates_impossible_days_are_unknown() -> None:
    r = resolver(dt.date(2021, 8, 10))
    assert r.resolve("Feb. 30, 2021", "absolute.month_day", None).value is None
    assert r.resolve("Feb. 30", "absolute.month_day", None).value is None
    assert r.resolve("31/02/2021", "absolute.numeric", None).value is None
