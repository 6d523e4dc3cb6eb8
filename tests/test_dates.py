"""Date resolution: anchored on the publication date, never a guessed year."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import Extractor
from pipeline.data import load_rules
from pipeline.dates import DateParsing, DateResolver, make_resolver


def resolver(published: dt.date | None) -> DateResolver:
    rules = load_rules()
    return make_resolver(
        published, rules.date_settings, rules.dates, DateParsing.from_settings(rules.date_settings)
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


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("on 6-Aug-2021", "2021-08-06"),
        ("on Aug-6-2021", "2021-08-06"),
        ("on 13-aug-21", "2021-08-13"),
        ("on the evening of 12 August", "2021-08-12"),
        ("in the early hours of Aug. 11", "2021-08-11"),
        ("last Sunday", "2021-08-08"),  # published on a Sunday: a week back, not today
        ("on Sunday", "2021-08-15"),
        ("late on fri", "2021-08-13"),
        ("thurs night", "2021-08-12"),
        ("on sat", "2021-08-14"),
        ("wed night", "2021-08-11"),
        ("last tues", "2021-08-10"),
    ],
)
def test_dates_found_in_text_and_resolved(tiny: Extractor, phrase: str, expected: str) -> None:
    (record,) = tiny.extract_text(f"Head\n\nRebels captured Kelmar {phrase}.", published=dt.date(2021, 8, 15))
    assert record.date == expected
    assert record.date_mention is not None and phrase.endswith(record.date_mention.text.split()[-1])


@pytest.mark.parametrize(
    "sentence",
    [
        "Rebels captured Kelmar on 6 August, 12 officials said.",
        "Rebels who sat out the winter captured Kelmar on 6 August.",
    ],
)
def test_dates_numbers_and_words_that_are_not_dates(tiny: Extractor, sentence: str) -> None:
    (record,) = tiny.extract_text(f"Head\n\n{sentence}", published=dt.date(2021, 8, 15))
    assert (record.date, record.date_mention and record.date_mention.text) == ("2021-08-06", "6 August")


@pytest.mark.parametrize(
    "vague", ["last week", "weeks ago", "in recent days", "earlier this month", "recently"]
)
def test_dates_vague_times_leave_the_day_unknown(tiny: Extractor, vague: str) -> None:
    (record,) = tiny.extract_text(f"Head\n\nRebels entered Kelmar {vague}.", published=dt.date(2021, 8, 15))
    assert (record.date, record.date_source) == (None, "none")
    assert record.date_mention is not None and record.date_mention.text in vague


def test_dates_vague_time_of_another_clause_does_not_count(tiny: Extractor) -> None:
    text = "Head\n\nClashes continued in Kelmar, where rebels have advanced in recent days."
    (record,) = tiny.extract_text(text, published=dt.date(2021, 8, 15))
    assert (record.date, record.date_source) == ("2021-08-15", "published")


@pytest.mark.parametrize(
    ("order", "text", "expected"),
    [
        ("DMY", "13/08/2021", (2021, 8, 13)),
        ("MDY", "08/13/2021", (2021, 8, 13)),
        ("DMY", "2021-08-13", (2021, 8, 13)),
        ("DMY", "13.08.2021", (2021, 8, 13)),
        ("DMY", "6th of August 2021", (2021, 8, 6)),
        ("DMY", "Aug. 6, 2021", (2021, 8, 6)),
        ("DMY", "12 AUGUST", (None, 8, 12)),
        ("DMY", "September 2015", (2015, 9, None)),
        ("DMY", "2015", (2015, None, None)),
    ],
)
def test_dates_common_forms_are_read_without_dateparser(order: str, text: str, expected: tuple) -> None:
    settings = load_rules().date_settings.model_copy(update={"date_order": order})
    parsing = DateParsing.from_settings(settings)
    assert parsing.parts(text) == expected
    assert parsing._parser is None  # dateparser's first use costs a tenth of a second
