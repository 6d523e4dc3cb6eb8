"""The places a count announces, on invented sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import Extractor

PUB = dt.date(2030, 3, 14)  # a Thursday


def keys(tiny: Extractor, body: str) -> set[tuple[str, str, str | None]]:
    records = tiny.extract_text("Headline of the day\n\n" + body, published=PUB)
    return {(r.place.province_iso, r.status, r.date) for r in records}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # after a colon, items cut at semicolons; each item's first place
            "On March 10 the rebels seized three capitals: Kelmar, in the far north; Tolbek, the capital "
            "of Emberland; and Dunmore.",
            {
                ("ZZ-NV", "fallen", "2030-03-10"),
                ("ZZ-EM", "fallen", "2030-03-10"),
                ("ZZ-HQ", "fallen", "2030-03-10"),
            },
        ),
        (  # after a semicolon, items cut at commas and 'and'
            "The rebels captured four capitals on Tuesday; Kelmar, Tolbek, Dunmore and Rivane.",
            {
                ("ZZ-NV", "fallen", "2030-03-12"),
                ("ZZ-EM", "fallen", "2030-03-12"),
                ("ZZ-HQ", "fallen", "2030-03-12"),
                ("ZZ-RV", "fallen", "2030-03-12"),
            },
        ),
        (  # a lead word, far from the trigger
            "Over the past weeks the rebels have taken 4 provincial capitals in all, among them "
            "the two largest towns of the north, Kelmar and Tolbek.",
            {("ZZ-NV", "fallen", None), ("ZZ-EM", "fallen", None)},
        ),
        (  # the count as the subject
            "Three more capitals fell on Tuesday: Kelmar, Tolbek and Rivane.",
            {
                ("ZZ-NV", "fallen", "2030-03-12"),
                ("ZZ-EM", "fallen", "2030-03-12"),
                ("ZZ-RV", "fallen", "2030-03-12"),
            },
        ),
        (  # a described count, and each item's own date after 'on'
            "At the start of March the three northern regional capitals fell one after another: "
            "Kelmar on March 9, Tolbek on March 10 and Rivane on March 11.",
            {
                ("ZZ-NV", "fallen", "2030-03-09"),
                ("ZZ-EM", "fallen", "2030-03-10"),
                ("ZZ-RV", "fallen", "2030-03-11"),
            },
        ),
        (  # a list ends at the next trigger
            "The rebels took two more capitals on Monday: Kelmar and Tolbek; "
            "fighting went on in Dunmore on March 13.",
            {
                ("ZZ-NV", "fallen", "2030-03-11"),
                ("ZZ-EM", "fallen", "2030-03-11"),
                ("ZZ-HQ", "contested", "2030-03-13"),
            },
        ),
    ],
)
def test_lists_items_after_a_count_take_its_trigger_and_date(
    tiny: Extractor, body: str, expected: set
) -> None:
    assert keys(tiny, body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "Rebels have captured three capitals in a month, the army says; in Kelmar life goes on.",  # no list
        "Rebels took the town; Kelmar is calm.",  # no count
    ],
)
def test_lists_no_list_no_places(tiny: Extractor, body: str) -> None:
    assert not [r for r in tiny.extract_text("Head\n\n" + body, published=PUB) if r.status == "fallen"]
