"""A wire dateline is the publication date and dates nothing in the story."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import Extractor, Record


def keys(records: list[Record]) -> set[tuple[str, str, str | None]]:
    return {(r.place.province_iso, r.status, r.date) for r in records}


@pytest.mark.parametrize(
    "dateline",
    [
        "DUNMORE, March 14, 2030 (Wirenews) - ",
        "DUNMORE, Zedland, Mar. 14, 2030 (WN) -- ",
        "DUNMORE, 14 March 2030 - ",
        "March 14, 2030 (Wirenews) - ",
    ],
)
def test_dateline_is_the_publication_date(tiny: Extractor, dateline: str) -> None:
    text = f"Rebels take Kelmar\n\n{dateline}Kelmar fell to the rebels on Sunday, officials said."
    (record,) = tiny.extract_text(text, published=None)
    assert (record.date, record.published) == ("2030-03-10", "2030-03-14")


def test_dateline_without_a_year_dates_nothing(tiny: Extractor) -> None:
    text = "Rebels take Kelmar\n\nDUNMORE, March 14 (WN) - Rebels entered Kelmar, officials said."
    (record,) = tiny.extract_text(text, published=None)
    assert record.date is None


def test_dateline_of_date_and_agency_alone_dates_nothing(tiny: Extractor) -> None:
    text = "Head\n\nMar 14 (WN) - Rebels have taken two capitals since March 6, Kelmar among them"
    assert keys(tiny.extract_text(text, published=dt.date(2030, 3, 14))) == {("ZZ-NV", "fallen", None)}


def test_dateline_the_given_date_is_the_article_s_the_dateline_the_story_s(tiny: Extractor) -> None:
    """Posted on 20 March, filed on 14 March: 'on Sunday' is the Sunday before the story was
    filed; the records keep the publication date given."""
    text = "Rebels take Kelmar\n\nDUNMORE, March 14, 2030 (WN) - Kelmar fell on Sunday."
    (record,) = tiny.extract_text(text, published=dt.date(2030, 3, 20))
    assert (record.date, record.published) == ("2030-03-10", "2030-03-20")


def test_dateline_overnight_into_a_day_is_that_day(tiny: Extractor) -> None:
    text = "Rebels take Kelmar\n\nDUNMORE, March 14, 2030 (WN) - Kelmar was taken overnight into March 13."
    assert keys(tiny.extract_text(text, published=None)) == {("ZZ-NV", "fallen", "2030-03-13")}


def test_dateline_a_sentence_in_capitals_is_not_one(tiny: Extractor) -> None:
    text = "Rebels take Kelmar\n\nOn March 12, 2030, rebels captured Kelmar - officials said."
    assert keys(tiny.extract_text(text, published=None)) == {("ZZ-NV", "fallen", "2030-03-12")}


def test_dateline_a_diary_s_day_headings_date_their_entries(tiny: Extractor) -> None:
    """'Friday, 8 March 2030' names its day by the full date, not by the weekday counted back
    from the first heading."""
    text = (
        "A notebook from the north\n\nWednesday, 6 March 2030\n\nKelmar fell today.\n\n"
        "Friday, 8 March 2030\n\nTolbek fell yesterday."
    )
    assert keys(tiny.extract_text(text, published=None)) == {
        ("ZZ-NV", "fallen", "2030-03-06"),
        ("ZZ-EM", "fallen", "2030-03-07"),
    }


def test_dateline_a_page_date_after_the_publication_date_dates_nothing(tiny: Extractor) -> None:
    """An archive saved in 2034 shows its own date above a story published on 14 March 2030:
    'on Tuesday' is counted back from the publication date, not from the page's date."""
    text = "Friday, April 27, 2034\n\nRebels take Kelmar\n\nRebels captured Kelmar on Tuesday."
    records = tiny.extract_text(text, published=dt.date(2030, 3, 14))
    assert keys(records) == {("ZZ-NV", "fallen", "2030-03-12")}


def test_dateline_in_title_case_after_page_boilerplate_is_the_story_s_day(tiny: Extractor) -> None:
    """A reprint posted on 14 March of a story filed on Tuesday 12 March: the dateline's
    town is no place of the story, and the story's 'Monday' and undated present are of the
    day it was filed."""
    text = (
        "Rebels take Kelmar\n\nPosted On 14 March 2030\n\nRead by 52 people\n\n"
        "Subscribe to our newsletter today\n\n"
        "Dunmore, March 12, 2030 - Rebels captured Kelmar on Monday.\n\n"
        "Fighting is going on in Tolbek, a spokesman said."
    )
    assert keys(tiny.extract_text(text, published=dt.date(2030, 3, 14))) == {
        ("ZZ-NV", "fallen", "2030-03-11"),
        ("ZZ-EM", "contested", "2030-03-12"),
    }


def test_dateline_a_reporting_period_is_two_dates_not_one(tiny: Extractor) -> None:
    """'28 January - 3 February 2030' is a range: 'On Saturday' counts back from its
    last day (Sunday 3 February), not from a 'January - 3' read out of the dash."""
    text = (
        "Situation report\n\nReporting period: 28 January - 3 February 2030\n\n"
        "On Saturday, armed men drove into Kelmar and exchanged fire with police."
    )
    assert keys(tiny.extract_text(text, published=dt.date(2030, 2, 4))) == {
        ("ZZ-NV", "contested", "2030-02-02")
    }
