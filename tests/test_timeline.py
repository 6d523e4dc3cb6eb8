"""The timeline: latest status per capital, honest columns, and what counts as a disagreement."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from pipeline import Extractor, Record
from pipeline.timeline import build, compatible, render_timeline


def extract(tiny: Extractor, doc_id: str, body: str, day: str, source: str | None = None) -> list[Record]:
    records = tiny.extract_text("Head\n\n" + body, doc_id=doc_id, published=dt.date.fromisoformat(day))
    return [r.model_copy(update={"source": source}) for r in records]


def test_timeline_fighting_on_several_days_is_not_a_disagreement(tiny: Extractor) -> None:
    records = extract(tiny, "mon", "Fighting continues in Kelmar.", "2030-03-11")
    records += extract(tiny, "tue", "Clashes went on in Kelmar on Tuesday.", "2030-03-12")
    (row,) = build(records)
    assert {r.status for r in records} == {"contested"} and len({r.date for r in records}) == 2
    assert row.disagreements == []
    assert "!!" not in render_timeline([row], "table")


def test_timeline_outcome_dated_differently_is_a_disagreement(tiny: Extractor) -> None:
    records = extract(tiny, "a", "Rebels captured Kelmar on March 10.", "2030-03-14")
    records += extract(tiny, "b", "Rebels captured Kelmar on March 12.", "2030-03-14")
    records += extract(tiny, "c", "Rebels captured Kelmar in March 2030.", "2030-03-14")  # agrees with both
    (row,) = build(records)
    assert row.disagreements == ["fallen: 2030-03 (c); 2030-03-10 (a); 2030-03-12 (b)"]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("2030-03-12", "2030-03-12", True),
        ("2030-03", "2030-03-12", True),
        ("2030", "2030-03-12", True),
        ("--03-12", "2030-03-12", True),
        ("--03-12", "2030-03", True),
        ("--03-12", "2030-04", False),
        ("--03-12", "--03-13", False),
        ("2030-03-12", "2030-03-13", False),
        ("2030-03", "2030-04-01", False),
    ],
)
def test_timeline_compatible_dates(a: str, b: str, same: bool) -> None:
    assert compatible(a, b) is same and compatible(b, a) is same


def test_timeline_table_has_a_header_the_outlet_and_the_qualifiers(tiny: Extractor) -> None:
    body = "The rebels say they have captured Kelmar on March 12. The governor denies it."
    rows = build(extract(tiny, "story-7", body, "2030-03-14", source="Wire Service"))
    header, line = render_timeline(rows, "table").splitlines()[:2]
    assert header.split() == [
        "place",
        "province",
        "status",
        "date",
        "qualifiers",
        "source",
        "article",
        "flags",
    ]
    assert line.split()[:6] == ["Kelmar", "Northvale", "fallen", "2030-03-12", "claimed;", "denied"]
    assert "Wire Service  story-7" in line and "!! fallen claimed and denied (story-7)" in line
    (row,) = csv.DictReader(io.StringIO(render_timeline(rows, "csv")))
    assert (row["source"], row["article"], row["qualifiers"]) == (
        "Wire Service",
        "story-7",
        "claimed; denied",
    )


def test_timeline_earlier_entries_name_outlet_and_article(tiny: Extractor) -> None:
    records = extract(tiny, "mon", "Fighting continues in Kelmar.", "2030-03-11", source="Radio North")
    records += extract(tiny, "tue", "Rebels captured Kelmar on Tuesday.", "2030-03-12")
    (row,) = build(records)
    assert [e.label() for e in row.earlier] == [
        "contested 2030-03-11 (date from publication) (Radio North, mon)"
    ]
