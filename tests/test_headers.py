"""Section headers that set the status and date of the lines under them, on invented pages."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import Extractor
from pipeline.article import from_text
from pipeline.blocks import segment
from pipeline.headers import heading_year
from pipeline.spans import spans_of, view_article

PUB = dt.date(2030, 3, 14)
LEAD = "Headline of the day\n\nRebels advanced on several fronts this week.\n\n"


def keys(tiny: Extractor, body: str) -> set[tuple[str, str, str | None]]:
    records = tiny.extract_text(LEAD + body, published=PUB)
    return {(r.place.province_iso, r.status, r.date) for r in records}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # a title with a status word that is a status only in a header, and its date
            "Provincial capitals contested as of March 12\n\nKelmar: fighting in the western suburbs\n\n"
            "Tolbek: the army says the city is calm\n",
            {("ZZ-NV", "contested", "2030-03-12"), ("ZZ-EM", "contested", "2030-03-12")},
        ),
        (  # an entry's own date wins over the header's
            "Capitals under attack as of March 12\n\nKelmar: shelling began on March 10.\n\nTolbek: quiet.\n",
            {("ZZ-NV", "contested", "2030-03-10"), ("ZZ-EM", "contested", "2030-03-12")},
        ),
        (  # bare lines that open with a capital are entries
            "Captured so far\n\nKelmar (Northvale)\n\nTolbek (Emberland), March 9\n",
            {("ZZ-NV", "fallen", "2030-03-14"), ("ZZ-EM", "fallen", "2030-03-09")},
        ),
        (
            "Fallen:\n\nKelmar, Northvale province\n\nDunmore\n",
            {("ZZ-NV", "fallen", "2030-03-14"), ("ZZ-HQ", "fallen", "2030-03-14")},
        ),
    ],
)
def test_headers_give_their_status_and_date_to_the_entries_under_them(
    tiny: Extractor, body: str, expected: set
) -> None:
    assert keys(tiny, body) == expected


@pytest.mark.parametrize(
    "body",
    [
        # a title, not an entry
        "The fall of the north\n\nKelmar\n\nResidents of Kelmar say the city is calm.\n",
        # prose ends the list
        "Captured so far\n\nThe rebels are strong in the west.\n\nKelmar (Northvale)\n",
        # prose is no entry
        "Capitals under attack as of March 12\n\nKelmar is a big city with many markets.\n",
        # no entry at all
        "Provincial capitals contested in court\n\nNo ruling is expected before May.\n",
        # a heading with no status of its own ends the section above it
        "Rivane changes hands again\n\nFor three months Rivane was the rebels' base.\n\n3 comments\n\n"
        "reader88: You skipped the Tolbek airport battles entirely!\n",
    ],
)
def test_headers_status_reaches_only_entries(tiny: Extractor, body: str) -> None:
    assert keys(tiny, body) == set()


def test_headers_date_yields_to_the_paragraphs_own_story(tiny: Extractor) -> None:
    body = "Which cities do the rebels hold now?\n\nOn Monday the rebels moved north. They captured Kelmar.\n"
    assert keys(tiny, body) == {("ZZ-NV", "fallen", "2030-03-11")}


def test_headers_a_dated_title_entry_dates_the_paragraphs_under_it(tiny: Extractor) -> None:
    body = (
        "2 March - Kelmar besieged\n\nRebels surrounded the city at dawn.\n\n"
        "4 March - Tolbek bombing\n\nAircraft struck rebel positions near Dunmore.\n\n"
        "Street battles then erupted inside Tolbek.\n"
    )
    assert keys(tiny, body) == {("ZZ-NV", "contested", "2030-03-02"), ("ZZ-EM", "contested", "2030-03-04")}


@pytest.mark.parametrize(
    ("line", "year"),
    [
        ("2029", 2029),
        ("2029:", 2029),
        ("In 2029", None),
        ("2²29", None),
        ("1850", None),
        ("12", None),
    ],
)
def test_headers_a_line_that_is_only_a_year_is_a_year_heading(
    tiny: Extractor, line: str, year: int | None
) -> None:
    article = from_text(line, "t", None)
    [spans] = list(spans_of(view_article(tiny.nlp, article, False), segment(article.norm, tiny.layout)))
    assert heading_year(spans, (1900, 2100)) == year


def test_headers_a_shouted_label_over_a_title_starts_a_new_section(tiny: Extractor) -> None:
    """'WHAT WE ARE WATCHING: Kelmar' after a list of falls is a heading of its own, not one
    more fall; a speaker's label before a sentence is no heading."""
    body = (
        "Here is how the month went, capital by capital:\n\n"
        "- Tolbek: captured March 9.\n"
        "- Rivane: taken a day later.\n\n"
        "WHAT WE ARE WATCHING: Kelmar\n\n"
        "Kelmar is the only capital still held by the army.\n\n"
        "JO SMITH, REPORTER: Dunmore fell on Monday."
    )
    assert keys(tiny, body) == {
        ("ZZ-EM", "fallen", "2030-03-09"),
        ("ZZ-RV", "fallen", "2030-03-10"),
        ("ZZ-HQ", "fallen", "2030-03-11"),
    }
