"""A narrative without a publication date: bare days take the year the text last stated."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import Extractor, Record
from pipeline.narrative import in_narrative, stated


def keys(records: list[Record]) -> set[tuple[str, str, str | None]]:
    return {(r.place.province_iso, r.status, r.date) for r in records}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2030-03-12", dt.date(2030, 3, 12)),
        ("2030-03", dt.date(2030, 3, 1)),
        ("2030", dt.date(2030, 1, 1)),
        ("--03-12", None),
        (None, None),
    ],
)
def test_narrative_stated_is_the_first_day_a_date_names(value: str | None, expected: dt.date | None) -> None:
    assert stated(value) == expected


@pytest.mark.parametrize(
    ("reference", "month", "day", "expected"),
    [
        (dt.date(2030, 5, 1), 8, 6, dt.date(2030, 8, 6)),
        (dt.date(2030, 5, 1), 12, 27, dt.date(2030, 12, 27)),  # later in the same year
        (dt.date(2030, 8, 10), 7, 28, dt.date(2030, 7, 28)),  # a little before
        (dt.date(2030, 12, 1), 1, 3, dt.date(2031, 1, 3)),  # over the new year
        (dt.date(2030, 1, 1), 2, 29, None),  # no 29 February in 2030 or 2031
    ],
)
def test_narrative_day_in_the_reference_year(
    reference: dt.date, month: int, day: int, expected: dt.date | None
) -> None:
    assert in_narrative(reference, month, day) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "The offensive began in May 2030.\n\nOn 6 August, rebels captured Kelmar.",
            {("ZZ-NV", "fallen", "2030-08-06")},
        ),
        (  # the year in the page's title line, then a bare day
            "Rebels took Kelmar on 6 August.",
            {("ZZ-NV", "fallen", "2030-08-06")},
        ),
        (
            "The rebels attacked on 2 August 2030.\n\nOn 6 August, they captured Kelmar. "
            "The following day they took Tolbek.",
            {("ZZ-NV", "fallen", "2030-08-06"), ("ZZ-EM", "fallen", "2030-08-07")},
        ),
        (  # a later stated year becomes the reference
            "Rebels captured Kelmar on 6 August 2030.\n\nThe counter-offensive began in March 2031. "
            "On 31 March, government troops recaptured Kelmar.",
            {("ZZ-NV", "fallen", "2030-08-06"), ("ZZ-NV", "retaken", "2031-03-31")},
        ),
    ],
)
def test_narrative_bare_days_take_the_stated_year(
    tiny: Extractor, body: str, expected: set[tuple[str, str, str | None]]
) -> None:
    assert keys(tiny.extract_text("The northern campaign (May 2030)\n\n" + body, published=None)) == expected


def test_narrative_without_a_stated_year_keeps_it_open(tiny: Extractor) -> None:
    (record,) = tiny.extract_text("Northern campaign\n\nOn 6 August, rebels captured Kelmar.", published=None)
    assert (record.date, record.date_precision) == ("--08-06", "day_no_year")


def test_narrative_publication_date_wins_over_the_text(tiny: Extractor) -> None:
    body = "Northern campaign\n\nThe offensive began in May 2029.\n\nOn 6 August, rebels captured Kelmar."
    (record,) = tiny.extract_text(body, published=dt.date(2030, 8, 10))
    assert record.date == "2030-08-06"


def test_narrative_a_chronology_s_year_heading_dates_the_entries_under_it(tiny: Extractor) -> None:
    """Each entry under '2029' is of 2029, even after an entry looks ahead to a later year."""
    text = (
        "Chronology of the war\n\n2028\n\n"
        "12 March: Rebels attack Kelmar.\n\n"
        "2029\n\n"
        "2 January: A siege begins that will last until June 2030.\n\n"
        "4 March: Rebels capture Tolbek.\n\n"
        "9 April: Government troops recapture Tolbek."
    )
    assert keys(tiny.extract_text(text, published=None)) == {
        ("ZZ-NV", "contested", "2028-03-12"),
        ("ZZ-EM", "fallen", "2029-03-04"),
        ("ZZ-EM", "retaken", "2029-04-09"),
    }


def test_narrative_a_new_section_reads_bare_days_from_the_year_the_text_wrote(tiny: Extractor) -> None:
    """After a section that ran to September, the next one goes back to February of the
    same year the text wrote; within a section the story moves forward."""
    text = (
        "The war in the north\n\nThe war began in 2029.\n\nCapture\n\n"
        "Rebels entered Kelmar on 1 March. A referendum was staged on 30 September.\n\n"
        "Other cities\n\n"
        "Rebels reached the edge of Tolbek on 26 February, and clashes there went on for weeks."
    )
    assert ("ZZ-EM", "contested", "2029-02-26") in keys(tiny.extract_text(text, published=None))


def test_narrative_a_year_that_labels_a_title_dates_the_section_under_it(tiny: Extractor) -> None:
    text = (
        "Notebook\n\n2029: Kelmar holds\n\nThe rebels launched an assault on Kelmar on May 10.\n\n"
        "2030: the tide turns (a bit)\n\nTwo things happened this year. First, on January 11 the "
        "army recaptured Tolbek."
    )
    assert keys(tiny.extract_text(text, published=None)) == {
        ("ZZ-NV", "contested", "2029-05-10"),
        ("ZZ-EM", "retaken", "2030-01-11"),
    }


def test_narrative_a_new_section_may_go_back_to_the_end_of_the_year_before(tiny: Extractor) -> None:
    """The first section crossed into 2030; the next starts again in late December 2029,
    while a section that goes on forward keeps its year."""
    text = (
        "The war in the north\n\nKelmar\n\n"
        "Rebels seized Kelmar on 18 December 2029. The army recaptured it on 18 January 2030.\n\n"
        "Tolbek\n\n"
        "Fighting reached Tolbek on 24 December. Rebels overran it on 14 February.\n\n"
        "Rivane\n\n"
        "Rebels attacked Rivane on 20 June."
    )
    found = keys(tiny.extract_text(text, published=None))
    assert {("ZZ-EM", "contested", "2029-12-24"), ("ZZ-EM", "fallen", "2030-02-14")} <= found
    assert ("ZZ-RV", "contested", "2030-06-20") in found


def test_narrative_a_state_held_since_an_earlier_year_does_not_move_the_story_back(tiny: Extractor) -> None:
    """'held since September 2026' looks back; the bare days after it are of the year the
    story is in (2030), not of the year after the look back (2027)."""
    text = (
        "How Kelmar fell\n\n"
        "The offensive began in January 2030, east of Dunmore, the capital the rebels have "
        "held since September 2026.\n\n"
        "On 1 March rebels captured Kelmar."
    )
    assert keys(tiny.extract_text(text, published=None)) == {("ZZ-NV", "fallen", "2030-03-01")}


@pytest.mark.parametrize("lead", ["By the start of 2028", "In the summer of 2028", "In late 2028"])
def test_narrative_a_part_of_a_year_gives_the_year_and_a_regular_past_its_paragraph_s_day(
    tiny: Extractor, lead: str
) -> None:
    """The year comes from 'the start of 2028'; 'clashed', told with no date of its own, happened
    on the paragraph's last date (29 February, a day only a leap year has)."""
    text = (
        f"The night rebels reached Kelmar\n\n{lead}, officials said the north was calm.\n\n"
        "That changed on 29 February. Shortly after dark, rebels who had slipped into Kelmar "
        "clashed with soldiers."
    )
    assert keys(tiny.extract_text(text, published=None)) == {("ZZ-NV", "contested", "2028-02-29")}


def test_narrative_a_look_ahead_to_another_year_does_not_move_the_story(tiny: Extractor) -> None:
    """'only in 2034' is an aside about later: 30 March is still of 2028."""
    text = (
        "The fall of the north\n\n"
        "The rebellion opened in January 2028. Sarvo was then a town of Northvale; it became "
        "the seat of a province of its own only in 2034.\n\n"
        "On 30 March rebels entered Kelmar, which fell by nightfall."
    )
    assert ("ZZ-NV", "fallen", "2028-03-30") in keys(tiny.extract_text(text, published=None))


def test_narrative_what_would_happen_in_a_later_year_does_not_move_the_story(tiny: Extractor) -> None:
    """'which would retake Kelmar on 16 October 2034' looks ahead: 17 June is still of 2028."""
    text = (
        "The fall of the north\n\n"
        "On 12 June 2028 the rebels took Kelmar. The government, which would send its troops back "
        "to retake the city on 16 October 2034, could do nothing then. On 17 June the rebels "
        "stormed Tolbek."
    )
    assert ("ZZ-EM", "contested", "2028-06-17") in keys(tiny.extract_text(text, published=None))


def test_narrative_a_day_of_the_month_alone_follows_the_date_before_it(tiny: Extractor) -> None:
    """'On the 18th' after 15 December is 18 December; 'the 3rd Division' is no date;
    'on the 1st of December' names its month."""
    text = (
        "The fall of the south\n\n"
        "On 15 December 2027 rebels attacked the outskirts of Kelmar, held by the 3rd Division. "
        "On the 18th government troops withdrew and the rebels entered the city.\n\n"
        "Earlier, on the 1st of December, gunmen had stormed Tolbek."
    )
    assert keys(tiny.extract_text(text, published=None)) == {
        ("ZZ-NV", "contested", "2027-12-15"),
        ("ZZ-NV", "fallen", "2027-12-18"),
        ("ZZ-EM", "contested", "2027-12-01"),
    }


def test_narrative_a_day_of_the_month_alone_falls_in_the_month_last_named(tiny: Extractor) -> None:
    """'In April 2029 ... On the 14th' is 14 April, though no full date came before it."""
    text = (
        "The spring campaign\n\n"
        "In April 2029 the rebels moved south along the river.\n\n"
        "On the 14th they overran Kelmar after a night of shelling."
    )
    assert keys(tiny.extract_text(text, published=None)) == {("ZZ-NV", "fallen", "2029-04-14")}


def test_narrative_most_of_a_day_before_something_is_a_span_not_the_day_before(tiny: Extractor) -> None:
    """'held ... for most of a day before reinforcements pushed them back' names no date:
    'the next day' is the day after 5 June."""
    text = (
        "The offensive\n\nIn the spring of 2028 the north was calm.\n\n"
        "On 5 June, columns raced into Sarvo and held it for most of a day before reinforcements "
        "pushed them back.\n\n"
        "Before dawn the next day the real attack began. Fighters fought their way into Kelmar."
    )
    assert keys(tiny.extract_text(text, published=None)) == {("ZZ-NV", "contested", "2028-06-06")}


@pytest.mark.parametrize(
    "aside",
    [
        "It was the first assault on Tolbek since a smaller raid in 2025.",
        "Rivane, which rebels had taken in 2024, stayed calm.",
    ],
)
def test_narrative_a_bare_earlier_year_looks_back_and_leaves_the_story_s_year(
    tiny: Extractor, aside: str
) -> None:
    text = (
        "The campaign\n\nThe pattern changed in 2028.\n\n"
        f"On 14 May rebels attacked Tolbek. {aside}\n\n"
        "On 3 June rebels captured Kelmar."
    )
    assert ("ZZ-NV", "fallen", "2028-06-03") in keys(tiny.extract_text(text, published=None))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # 'seized Kelmar in 2025' told as the past of a 2030 story
            "The coastal campaign\n\n"
            "On 6 January 2030 rebels entered Kelmar after a local brigade switched sides, and the city "
            "fell within hours. It had a bitter history: militants seized Kelmar in 2025 and were driven "
            "out only in December 2026.",
            {("ZZ-NV", "fallen", "2030-01-06", False), ("ZZ-NV", "fallen", "2025", True)},
        ),
        (  # a page titled '(2029-2030)' whose background tells of 2026
            "Northern campaign (2029-2030)\n\nBackground\n\n"
            "In May 2026, deserters briefly took control of Kelmar before a deal returned the town.\n\n"
            "Offensive\n\nThe rebellion opened on 17 January 2029. On 30 March rebels attacked Kelmar, "
            "and by nightfall the town was in their hands.",
            {
                ("ZZ-NV", "fallen", "2026-05", True),
                ("ZZ-NV", "contested", "2029-03-30", False),
                ("ZZ-NV", "fallen", "2029-03-30", False),
            },
        ),
    ],
)
def test_narrative_an_earlier_year_the_story_looks_back_to_is_history_kept_apart(
    tiny: Extractor, text: str, expected: set
) -> None:
    """Without a publication date, a look back to an earlier year, or what an undated page's
    background tells of years before the one its title names, is historical: it neither
    replaces the story's own fall of the city nor passes for it."""
    records = tiny.extract_text(text, published=None)
    assert {(r.place.province_iso, r.status, r.date, r.historical) for r in records} == expected


def test_narrative_an_earlier_year_told_with_had_is_a_look_back(tiny: Extractor) -> None:
    """'in August 2014 rebels had seized ...' inside a 2030 story leaves the story in 2030:
    'On 17 May' after it is 2030's, and the 2014 seizure is history."""
    text = (
        "The last campaign\n\n"
        "The offensive opened in March 2030. It was the second time that Tolbek changed hands: in "
        "August 2014 rebels had seized it.\n\n"
        "On 17 May columns walked into Kelmar almost unopposed."
    )
    records = tiny.extract_text(text, published=None)
    assert ("ZZ-NV", "fallen", "2030-05-17") in {(r.place.province_iso, r.status, r.date) for r in records}


def test_narrative_a_month_named_alone_moves_the_story_on(tiny: Extractor) -> None:
    """'that October ... On the 26th', 'In mid-December ... on the 15th. Three days later',
    'That May' after December: the next May; 'that may change' is no month."""
    text = (
        "The long war\n\n"
        "The war began on 15 April 2027. Then, that October, the garrisons began to go. On the 26th "
        "rebels captured Kelmar.\n\n"
        "In mid-December columns crossed the river on the 15th. Three days later Tolbek fell.\n\n"
        "That May rebels attacked Rivane from the east, on the 10th. Officials said that may change. "
        "In June they took Port Ardin."
    )
    assert keys(tiny.extract_text(text, published=None)) == {
        ("ZZ-NV", "fallen", "2027-10-26"),
        ("ZZ-EM", "fallen", "2027-12-18"),
        ("ZZ-RV", "contested", "2028-05-10"),
        ("ZZ-SM", "fallen", "2028-06"),
    }


def test_narrative_a_timeline_under_a_year_stays_in_that_year(tiny: Extractor) -> None:
    """Month headings under 'in 2029' do not send October back to 2028; 'overnight' in an
    entry is that entry's night, not the entry's before; 'the following month' is no day."""
    text = (
        "Timeline of the war (2029)\n\nThis is a timeline of the war in 2029.\n\n"
        "August\n\n"
        "14 August – Rebels enter Rivane.\n"
        "20 August – At sunset rebel cells rise up, and fighting spreads through Kelmar overnight.\n\n"
        "October\n\n"
        "17 October – Tolbek falls to the rebels, who seized Port Ardin the following month."
    )
    found = keys(tiny.extract_text(text, published=None))
    assert {("ZZ-NV", "contested", "2029-08-20"), ("ZZ-EM", "fallen", "2029-10-17")} <= found
    assert ("ZZ-SM", "fallen", None) in found


def test_narrative_what_had_happened_a_year_before_and_the_following_month(tiny: Extractor) -> None:
    """'had entered ... on 21 September 2028' in a story of 2029 looks back, so a new section
    reads its bare days in 2029; 'The following April, on the 24th' is the April after."""
    text = (
        "Chapter 3\n\nThis chapter examines the offensive launched in March 2029.\n\n"
        "From the north\n\n"
        "Their fighters had entered Kelmar almost unopposed on 21 September 2028. On 22 March "
        "their units took over Tolbek. On the 14th of July the army retook Tolbek.\n\n"
        "The south\n\n"
        "On 25 May rebels attacked Rivane. The following April, on the 24th, troops recaptured Rivane."
    )
    found = keys(tiny.extract_text(text, published=None))
    assert {("ZZ-EM", "fallen", "2029-03-22"), ("ZZ-RV", "contested", "2029-05-25")} <= found
    assert ("ZZ-RV", "retaken", "2030-04-24") in found


def test_narrative_a_week_later(tiny: Extractor) -> None:
    text = "The war\n\nRebels took Kelmar on 8 August 2029, and a week later Tolbek fell."
    assert ("ZZ-EM", "fallen", "2029-08-15") in keys(tiny.extract_text(text, published=None))


def test_narrative_the_year_of_an_insurgency_and_the_first_days_of_a_month(tiny: Extractor) -> None:
    text = (
        "3.4 The north\n\nThe insurgency of 2029 brought the war to Kelmar. Fighters entered Tolbek in "
        "the first days of August, and on the night of the 7th they attacked Kelmar."
    )
    assert ("ZZ-NV", "contested", "2029-08-07") in keys(tiny.extract_text(text, published=None))


def test_narrative_that_month_goes_on_from_where_the_story_was_in_a_new_section(tiny: Extractor) -> None:
    """A new section may go back to the year the text wrote, but 'That May' after the story
    reached December is the next May."""
    text = (
        "The long war\n\nI. The start\n\nThe war began on 15 April 2027. In mid-December rebels "
        "crossed the river on the 15th, and three days later Tolbek fell.\n\n"
        "II. The second year\n\nThat May rebels attacked Kelmar from the east, on the 10th."
    )
    assert ("ZZ-NV", "contested", "2028-05-10") in keys(tiny.extract_text(text, published=None))
