"""Linking triggers to places and dates, on invented articles and an invented gazetteer."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import Extractor, Record
from pipeline.article import from_text

PUB = dt.date(2030, 3, 14)  # a Thursday


def keys(records: list[Record]) -> set[tuple[str, str, str | None]]:
    return {(r.place.province_iso, r.status, r.date) for r in records}


def run(tiny: Extractor, body: str, published: dt.date | None = PUB) -> list[Record]:
    return tiny.extract_text("Headline of the day\n\n" + body, published=published)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Rebels captured Kelmar on March 12.", {("ZZ-NV", "fallen", "2030-03-12")}),
        ("Kelmar fell to the rebels on Monday.", {("ZZ-NV", "fallen", "2030-03-11")}),
        ("Kelmar was overrun late on Thursday.", {("ZZ-NV", "fallen", "2030-03-14")}),
        ("The capital of Northvale province fell on March 9.", {("ZZ-NV", "fallen", "2030-03-09")}),
        ("Northvale's capital is under rebel control.", {("ZZ-NV", "fallen", "2030-03-14")}),
        ("Fighting continues in Port Ardin.", {("ZZ-SM", "contested", "2030-03-14")}),
        ("Government troops recaptured Tolbek on March 2.", {("ZZ-EM", "retaken", "2030-03-02")}),
        (
            "Rebels seized Kelmar and Tolbek on Tuesday.",
            {("ZZ-NV", "fallen", "2030-03-12"), ("ZZ-EM", "fallen", "2030-03-12")},
        ),
        (
            "Rebels took the provincial capitals of Northvale and Emberland on Friday.",
            {("ZZ-NV", "fallen", "2030-03-08"), ("ZZ-EM", "fallen", "2030-03-08")},
        ),
        (
            "In Emberland, officials handed over the provincial capital on March 13.",
            {("ZZ-EM", "fallen", "2030-03-13")},
        ),
        (
            "Rebels entered Kelmar on March 10. A day later the city fell.",
            {("ZZ-NV", "contested", "2030-03-10"), ("ZZ-NV", "fallen", "2030-03-11")},
        ),
        (
            "Kelmar became the second provincial capital to fall on Tuesday.",
            {("ZZ-NV", "fallen", "2030-03-12")},
        ),
        (
            "Tolbek was the first provincial capital to be captured, on March 3.",
            {("ZZ-EM", "fallen", "2030-03-03")},
        ),
    ],
)
def test_assemble_links_status_place_and_date(tiny: Extractor, body: str, expected: set) -> None:
    assert keys(run(tiny, body)) == expected


@pytest.mark.parametrize(
    "body",
    [
        "Kelmar has not fallen, officials said.",
        "Kelmar is expected to fall within days.",
        "Analysts say Kelmar could be overrun.",
        "Kelmar remains in government hands.",
        "Rebels have set their sights on Kelmar.",
        "Kelmar would be the next provincial capital to fall, analysts warned.",
        "Kelmar is not the first provincial capital to fall.",
        "Rebels took control of the airport outside Kelmar.",
        "Officials dismissed social media reports that Kelmar had fallen.",
        "Families fled from Kelmar after the fighting in the provinces.",
        "Thousands of runners took part in the annual Kelmar marathon on Saturday.",
        "Government troops launched an offensive to retake Kelmar on Monday.",
        "The campaign to recapture Kelmar began on March 2.",
        "Troops took the ruins of the old mosque in Kelmar on Monday.",
        "Rebels reached the outskirts of Kelmar and took the airport without meeting resistance.",
        "A day earlier rebels captured Sarvan and threatened Kelmar.",
        "On Monday the rebels said they had taken the old Kelmar International Airport.",
    ],
)
def test_assemble_negation_hedges_and_facilities_give_nothing(tiny: Extractor, body: str) -> None:
    assert [r for r in run(tiny, body) if r.place.province_iso == "ZZ-NV"] == []


def test_assemble_negated_fall_with_fighting_is_contested(tiny: Extractor) -> None:
    body = '"Kelmar has not fallen," he said. Clashes were continuing in the city.'
    assert keys(run(tiny, body)) == {("ZZ-NV", "contested", "2030-03-14")}


def test_assemble_partial_control_is_contested(tiny: Extractor) -> None:
    body = "Port Ardin - Street fighting continues; most of the city is in rebel hands."
    assert {(k[0], k[1]) for k in keys(run(tiny, body))} == {("ZZ-SM", "contested")}


def test_assemble_capturing_most_of_the_city_takes_it(tiny: Extractor) -> None:
    body = "By the evening of March 10 the rebels had captured most of Kelmar as the army fell apart."
    assert keys(run(tiny, body)) == {("ZZ-NV", "fallen", "2030-03-10")}


def test_assemble_claim_and_denial_are_marked(tiny: Extractor) -> None:
    body = "The rebels say they have captured Kelmar. The governor denies it."
    (record,) = run(tiny, body)
    assert record.status == "fallen" and record.claimed and record.disputed


def test_assemble_correction_withdraws_the_earlier_report(tiny: Extractor) -> None:
    body = (
        "09:10 GMT\nKelmar has fallen to the rebels, an official said.\n\n"
        "11:30 GMT\nCorrection: earlier we reported that Kelmar had fallen. "
        "Officials now say fighting continues in the city."
    )
    assert {(k[0], k[1]) for k in keys(run(tiny, body))} == {("ZZ-NV", "contested")}


def test_assemble_section_header_sets_status_and_date(tiny: Extractor) -> None:
    body = (
        "Fighting for these capitals is ongoing as of March 13:\n\n"
        "Kelmar: capital of Northvale in the north\n\n"
        "Tolbek: capital of Emberland in the east\n"
    )
    assert keys(run(tiny, body)) == {
        ("ZZ-NV", "contested", "2030-03-13"),
        ("ZZ-EM", "contested", "2030-03-13"),
    }


def test_assemble_list_entry_head_and_date(tiny: Extractor) -> None:
    body = "CAPTURED\n\n1. Kelmar (Northvale) - captured Mar. 3.\n2. Tolbek (Emberland) - taken Mar. 5."
    assert keys(run(tiny, body)) == {
        ("ZZ-NV", "fallen", "2030-03-03"),
        ("ZZ-EM", "fallen", "2030-03-05"),
    }


def test_assemble_negated_section_gives_nothing(tiny: Extractor) -> None:
    body = "NOT UNDER ATTACK\n\n* Kelmar (Northvale) - No fighting has been reported in the city."
    assert run(tiny, body) == []


def test_assemble_captions_and_links_give_nothing(tiny: Extractor) -> None:
    body = (
        "A man walks through Kelmar, which fell on March 3 [Jo Smith/AFP]\n\n"
        "Smoke over Tolbek after it was captured. Photo: Reuters\n\n"
        "Rebels patrol Port Ardin, captured on March 1 (AFP via Getty Images)\n\n"
        "Read more: How Kelmar fell\n"
    )
    assert run(tiny, body) == []


def test_assemble_historical_event_is_kept_apart(tiny: Extractor) -> None:
    body = "Rebels overran Kelmar on Monday. Kelmar had fallen once before, in May 2015."
    records = run(tiny, body)
    assert {(r.date, r.historical) for r in records} == {("2030-03-11", False), ("2015-05", True)}


def test_assemble_same_name_province_and_city(tiny: Extractor) -> None:
    assert keys(run(tiny, "Rebels captured Rivane on March 2.")) == {("ZZ-RV", "fallen", "2030-03-02")}
    assert run(tiny, "Rebels captured several districts in Rivane province.") == []


def test_assemble_the_city_of_names_its_city(tiny: Extractor) -> None:
    body = "Rebels entered Kelmar last week. On Tuesday they seized the city of Tolbek."
    assert keys(run(tiny, body)) == {("ZZ-NV", "contested", None), ("ZZ-EM", "fallen", "2030-03-12")}


def test_assemble_landmarks_are_not_targets(tiny: Extractor) -> None:
    body = "Rebels seized Tolbek on Sunday, about 70 km south of Dunmore."
    assert keys(run(tiny, body)) == {("ZZ-EM", "fallen", "2030-03-10")}


def test_assemble_no_publication_date_keeps_the_year_open(tiny: Extractor) -> None:
    (record,) = run(tiny, "Rebels captured Kelmar on March 12.", published=None)
    assert (record.date, record.date_precision) == ("--03-12", "day_no_year")
    (record,) = run(tiny, "Rebels captured Kelmar on Monday.", published=None)
    assert (record.date, record.date_precision) == (None, "unknown")


def test_assemble_dateline_gives_the_publication_date(tiny: Extractor) -> None:
    body = "14/03/2030 - 21:35\n\nRebels captured Kelmar on Monday."
    assert keys(run(tiny, body, published=None)) == {("ZZ-NV", "fallen", "2030-03-11")}


def test_assemble_evidence_offsets_slice_the_original(tiny: Extractor) -> None:
    text = "Head\r\n\r\n\u201cKelmar\u201d fell \u2013 officials said \u2013 on March\u00a012.\r\n"
    (record,) = tiny.extract_text(text, published=PUB)
    for ref in (record.evidence, record.place_mention, record.trigger, record.date_mention):
        assert ref is not None and text[ref.start : ref.end] == ref.text
    assert record.date == "2030-03-12"


def test_assemble_stated_count_is_checked(tiny: Extractor) -> None:
    text = "Head\n\nTo date, three capitals have fallen.\n\nRebels captured Kelmar on March 2."
    result = tiny.run(from_text(text, "count", PUB))
    assert len(result.records) == 1
    assert any("says 3 capitals have fallen" in w and "1 fallen records" in w for w in result.warnings)
    agreeing = "Head\n\nTwo capitals have fallen. Rebels captured Kelmar and Tolbek on March 2."
    result = tiny.run(from_text(agreeing, "count", PUB))
    assert len(result.records) == 2 and result.warnings == []
    in_one_day = "Head\n\nThree capitals in one day were overrun. Rebels captured Kelmar on March 2."
    assert tiny.run(from_text(in_one_day, "count", PUB)).warnings == []  # not a running total


def test_assemble_paragraph_continues_the_list_entry(tiny: Extractor) -> None:
    body = (
        "Kelmar, March 7: The rebels say they have captured the city.\n\n"
        "A boy in Kelmar, March 9 [AFP]\n\n"
        "Heavy fighting is reported in the city on March 8."
    )
    assert keys(run(tiny, body)) == {("ZZ-NV", "fallen", "2030-03-07"), ("ZZ-NV", "contested", "2030-03-08")}


@pytest.mark.parametrize("outcome", ["fell", "was retaken by government forces"])
def test_assemble_an_entry_on_the_day_of_the_outcome_is_part_of_it(tiny: Extractor, outcome: str) -> None:
    """An entry, or fighting the passage dates by nothing of its own, is how the city fell that
    day; fighting with a day of its own is a contest before the outcome (dev set rule: 'a
    capital reported contested and later fallen gets both records')."""
    status = "retaken" if "retaken" in outcome else "fallen"
    entered = run(tiny, f"Troops entered Kelmar on March 7. The city {outcome} that day after a siege.")
    assert [r.status for r in entered] == [status]
    undated = run(tiny, f"Kelmar {outcome} on Thursday.\n\nThere is heavy fighting in the city.")
    assert [r.status for r in undated] == [status]  # the fighting's day is the publication date
    fought = run(
        tiny, f"Heavy fighting raged in Kelmar on March 7. The city {outcome} that day after a siege."
    )
    assert {(r.status, r.date) for r in fought} == {("contested", "2030-03-07"), (status, "2030-03-07")}
    contested_before = run(tiny, f"Clashes broke out in Kelmar on March 6. Kelmar {outcome} on March 7.")
    assert {r.status for r in contested_before} == {"contested", status}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Rebels captured Kelmar on March 3, and Tolbek, a market town on the river, followed on March 5.",
            {("ZZ-NV", "fallen", "2030-03-03"), ("ZZ-EM", "fallen", "2030-03-05")},
        ),
        (
            "Kelmar fell on March 3, followed by Tolbek a day later.",
            {("ZZ-NV", "fallen", "2030-03-03"), ("ZZ-EM", "fallen", "2030-03-04")},
        ),
        (
            "Clashes broke out in Kelmar on Monday; Tolbek followed suit.",
            {("ZZ-NV", "contested", "2030-03-11"), ("ZZ-EM", "contested", "2030-03-11")},
        ),
        ("In the days that followed, families left Tolbek.", set()),
        ("Rebels captured Kelmar on March 3. Tolbek has not followed.", {("ZZ-NV", "fallen", "2030-03-03")}),
    ],
)
def test_assemble_sequel_repeats_the_status_before_it(tiny: Extractor, body: str, expected: set) -> None:
    assert keys(run(tiny, body)) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Kelmar, which sits on the main road south from the capital, was taken on Tuesday.",
            {("ZZ-NV", "fallen", "2030-03-12")},
        ),
        (
            "Kelmar, where most of the old garrison died in 2010, was also captured on Tuesday.",
            {("ZZ-NV", "fallen", "2030-03-12")},
        ),
        (
            "Kelmar, the old market town on the river that the caravans of the plains used, fell on Tuesday.",
            {("ZZ-NV", "fallen", "2030-03-12")},
        ),
        (
            "Kelmar (Northvale), Tolbek (Emberland) and Port Ardin (Southmarch) were handed over on Tuesday.",
            {
                ("ZZ-NV", "fallen", "2030-03-12"),
                ("ZZ-EM", "fallen", "2030-03-12"),
                ("ZZ-SM", "fallen", "2030-03-12"),
            },
        ),
        (
            "On Tuesday rebels took Kelmar in the north and Tolbek, capital of Emberland, in the far east.",
            {("ZZ-NV", "fallen", "2030-03-12"), ("ZZ-EM", "fallen", "2030-03-12")},
        ),
        (
            "In Dunmore, long queues formed outside banks, and families who had fled the fighting "
            "in the provinces crowded the parks.",
            set(),
        ),
    ],
)
def test_assemble_asides_are_not_about_the_sentence(tiny: Extractor, body: str, expected: set) -> None:
    assert keys(run(tiny, body)) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a fall told informally: only when nothing but a date follows the verb
        ("Tolbek went on Tuesday.", {("ZZ-EM", "fallen", "2030-03-12")}),
        ("Officials from Tolbek went to the capital on Tuesday.", set()),
        # a list entry whose head names two places
        (
            "1) kelmar & tolbek: both fell on tues.",
            {("ZZ-NV", "fallen", "2030-03-12"), ("ZZ-EM", "fallen", "2030-03-12")},
        ),
        # gapping: later places with only a date of their own share the trigger
        (
            "Kelmar fell on Sunday, Tolbek on Monday, and Port Ardin a day after that.",
            {
                ("ZZ-NV", "fallen", "2030-03-10"),
                ("ZZ-EM", "fallen", "2030-03-11"),
                ("ZZ-SM", "fallen", "2030-03-12"),
            },
        ),
        ("Kelmar fell on Sunday, Tolbek residents said on Monday.", {("ZZ-NV", "fallen", "2030-03-10")}),
        # a sentence that opens with its scene
        (
            "In Kelmar, commandos were battling rebels in several neighbourhoods on Tuesday.",
            {("ZZ-NV", "contested", "2030-03-12")},
        ),
        # a place said to be held, with fighting in the same breath
        (
            "Officials insisted Kelmar was still in government hands, even as residents described gunfire.",
            {("ZZ-NV", "contested", "2030-03-14")},
        ),
        # a date in brackets after each place
        (
            "Kelmar, Northvale (March 8), and Tolbek, Emberland (March 10), are under rebel control.",
            {("ZZ-NV", "fallen", "2030-03-08"), ("ZZ-EM", "fallen", "2030-03-10")},
        ),
        # any actor's control, but not the government's
        ("Kelmar came under NSAG control on March 13.", {("ZZ-NV", "fallen", "2030-03-13")}),
        (
            "Kelmar came under the control of the armed group on March 13.",
            {("ZZ-NV", "fallen", "2030-03-13")},
        ),
        ("Kelmar remains under the control of the government.", set()),
        ("Kelmar remains under army control.", set()),
        # a city can surrender; a place can be the first to go
        (
            "The provincial capital Kelmar surrendered without a fight on Tuesday.",
            {("ZZ-NV", "fallen", "2030-03-12")},
        ),
        ("Tolbek was the first to go, on March 6.", {("ZZ-EM", "fallen", "2030-03-06")}),
    ],
)
def test_assemble_phrasings_from_other_outlets(tiny: Extractor, body: str, expected: set) -> None:
    assert keys(run(tiny, body)) == expected


def test_assemble_markdown_bullets_under_a_lead_in(tiny: Extractor) -> None:
    body = (
        "## The north\n\nWithin days the rebels had swept through the north:\n\n"
        "* **Kelmar**, **Tolbek** and **Rivane** (Mar. 8)\n* **Port Ardin**, Southmarch (Mar. 9) - a port\n"
    )
    assert keys(run(tiny, body)) == {
        ("ZZ-NV", "fallen", "2030-03-08"),
        ("ZZ-EM", "fallen", "2030-03-08"),
        ("ZZ-RV", "fallen", "2030-03-08"),
        ("ZZ-SM", "fallen", "2030-03-09"),
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Kelmar came under rebel control on 7 March, Tolbek town on 8 March "
            "and Port Ardin (Southmarch) on 9 March.",
            {
                ("ZZ-NV", "fallen", "2030-03-07"),
                ("ZZ-EM", "fallen", "2030-03-08"),
                ("ZZ-SM", "fallen", "2030-03-09"),
            },
        ),
        # "now" is the present, not a day that "the same day" can refer to
        (
            "Tolbek fell on Tuesday; its governor is now in custody. Kelmar went the same day.",
            {("ZZ-EM", "fallen", "2030-03-12"), ("ZZ-NV", "fallen", "2030-03-12")},
        ),
        (
            "Rebels have tightened their grip since Sunday, when Kelmar was captured.",
            {("ZZ-NV", "fallen", "2030-03-10")},
        ),
        (
            "Kelmar remains under government control; clashes were reported in two districts of Northvale.",
            set(),
        ),
    ],
)
def test_assemble_dates_of_elliptical_and_subordinate_clauses(
    tiny: Extractor, body: str, expected: set
) -> None:
    assert keys(run(tiny, body)) == expected


def test_assemble_claim_contradicted_elsewhere_is_disputed(tiny: Extractor) -> None:
    body = '"Kelmar has not fallen," an official said. A rebel spokesman claimed the city had been captured.'
    (record,) = run(tiny, body)
    assert (record.status, record.claimed, record.disputed) == ("fallen", True, True)
    (record,) = run(tiny, "A rebel spokesman claimed Kelmar had been captured.")
    assert (record.claimed, record.disputed) == (True, False)


def test_assemble_denied_claim_keeps_the_fighting_of_that_day(tiny: Extractor) -> None:
    body = "The rebels say they have captured Kelmar. The governor denied it; clashes continue in the city."
    assert {(r.status, r.disputed) for r in run(tiny, body)} == {("fallen", True), ("contested", False)}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("March 31, 2030 - The prime minister declares Kelmar liberated.", ("retaken", "2030-03-31")),
        ("Kelmar was liberated, officials said on Monday.", ("retaken", "2030-04-01")),
        ("On Monday the rebels declared the town of Kelmar 'liberated'.", ("fallen", "2030-04-01")),
    ],
)
def test_assemble_a_city_declared_liberated_stands_before_the_word(
    tiny: Extractor, body: str, expected: tuple[str, str]
) -> None:
    (record,) = run(tiny, body, published=dt.date(2030, 4, 2))
    assert (record.place.province_iso, record.status, record.date) == ("ZZ-NV", *expected)


def test_assemble_the_town_of_an_unknown_name_is_that_town(tiny: Extractor) -> None:
    body = "Government troops retook Kelmar on Sunday.\n\nOn Monday rebels overran the town of Sarvan."
    assert keys(run(tiny, body)) == {("ZZ-NV", "retaken", "2030-03-10")}


@pytest.mark.parametrize(
    "body",
    [
        "On Monday officials said eastern Kelmar was liberated; the western half remains in rebel hands.",
        "Government troops retook northern Kelmar on Monday.",
        "Rebels captured southern Kelmar on Monday.",
    ],
)
def test_assemble_a_compass_part_of_a_city_is_not_the_city(tiny: Extractor, body: str) -> None:
    assert keys(run(tiny, body)) == {("ZZ-NV", "contested", "2030-03-11")}


def test_assemble_a_relative_clause_with_its_own_object_is_not_about_its_antecedent(tiny: Extractor) -> None:
    body = "In Kelmar, fighting goes on in the city centre, where the rebels hold the palace and the banks."
    assert keys(run(tiny, body)) == {("ZZ-NV", "contested", "2030-03-14")}


@pytest.mark.parametrize(
    "body",
    [
        "On Monday rebels entered Kelmar after local elders agreed to let them in without a fight.",
        "On Monday rebels entered Kelmar after local commanders switched sides; there was no fighting.",
        "On Monday rebels entered Kelmar and met no resistance.",
    ],
)
def test_assemble_an_entry_that_met_no_resistance_takes_the_city(tiny: Extractor, body: str) -> None:
    assert keys(run(tiny, body)) == {("ZZ-NV", "fallen", "2030-03-11")}


def test_assemble_the_city_someone_fled_to_is_the_city_after_it(tiny: Extractor) -> None:
    body = (
        "Rebels overran Tolbek on March 2, and the governor escaped south to Kelmar. "
        "On Monday rebels pushed into the port city itself."
    )
    assert keys(run(tiny, body)) == {("ZZ-EM", "fallen", "2030-03-02"), ("ZZ-NV", "contested", "2030-03-11")}


def test_assemble_the_day_an_offensive_began_is_not_the_day_of_the_fall(tiny: Extractor) -> None:
    body = (
        "The offensive that began on March 2 has already taken Kelmar. Fighting began in Tolbek on March 9."
    )
    assert keys(run(tiny, body)) == {("ZZ-NV", "fallen", None), ("ZZ-EM", "contested", "2030-03-09")}


@pytest.mark.parametrize("verb", ["have taken control of", "have taken full control of"])
def test_assemble_taken_control_of_a_city_takes_it(tiny: Extractor, verb: str) -> None:
    body = f"On Saturday local groups said they {verb} Kelmar, after the garrison agreed to leave."
    assert ("ZZ-NV", "fallen", "2030-03-09") in keys(run(tiny, body))


def test_assemble_unconfirmed_claim_keeps_the_fighting_of_that_day(tiny: Extractor) -> None:
    body = (
        "Rebels claimed they captured Kelmar early Monday. On Monday, gunfire was heard throughout the city."
    )
    assert {(r.status, r.date, r.claimed) for r in run(tiny, body)} == {
        ("fallen", "2030-03-11", True),
        ("contested", "2030-03-11", False),
    }


def test_assemble_confirmed_fall_absorbs_the_fighting_of_that_day(tiny: Extractor) -> None:
    body = (
        "Rebels claimed they captured Kelmar on Monday. "
        "Officials confirmed Kelmar fell on Monday after clashes."
    )
    assert {(r.status, r.date) for r in run(tiny, body)} == {("fallen", "2030-03-11")}


def test_assemble_tables_take_status_from_header_or_cell(tiny: Extractor) -> None:
    body = (
        "Capital | Province | Captured\n|---|---|---|\nKelmar | Northvale | Mar. 6\n\n"
        "Capital\tStatus\tDate\nTolbek\tUnder attack\t12/03/2030\nRivane\tCaptured\t13/03/2030\n"
    )
    assert keys(run(tiny, body)) == {
        ("ZZ-NV", "fallen", "2030-03-06"),
        ("ZZ-EM", "contested", "2030-03-12"),
        ("ZZ-RV", "fallen", "2030-03-13"),
    }


def test_assemble_dashed_list_with_upper_case_names(tiny: Extractor) -> None:
    body = "CAPITALS TAKEN:\n\n- Mar. 6 - KELMAR.\n- Mar. 8 - PORT ARDIN."
    assert keys(run(tiny, body)) == {("ZZ-NV", "fallen", "2030-03-06"), ("ZZ-SM", "fallen", "2030-03-08")}


def test_assemble_live_blog_day_headings_date_their_entries(tiny: Extractor) -> None:
    body = (
        "Wednesday 13 March 2030\n\n21:40 GMT\nFighting continues in Tolbek, residents say.\n\n"
        "Thursday 14 March 2030\n\n08:05 GMT\nKelmar is now under rebel control, officials say.\n"
    )
    assert keys(run(tiny, body)) == {("ZZ-EM", "contested", "2030-03-13"), ("ZZ-NV", "fallen", "2030-03-14")}


def test_assemble_wire_dateline_and_relative_days(tiny: Extractor) -> None:
    body = (
        "KELMAR, March 14 (Wire) - Rebels took Tolbek overnight, the day after they seized "
        "Port Ardin. Fighting broke out in Rivane yesterday."
    )
    assert keys(run(tiny, body)) == {
        ("ZZ-EM", "fallen", "2030-03-14"),
        ("ZZ-SM", "fallen", "2030-03-13"),
        ("ZZ-RV", "contested", "2030-03-13"),
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Rebels took Tolbek on March 12. Kelmar was taken the day after Tolbek fell.", "2030-03-13"),
        ("Rebels took Tolbek on March 10. Kelmar was taken two days after Tolbek fell.", "2030-03-12"),
        ("Rebels pushed on toward Rivane on March 12, two days after they overran Kelmar.", "2030-03-10"),
    ],
)
def test_assemble_days_after_an_event_count_from_the_side_they_date(
    tiny: Extractor, body: str, expected: str
) -> None:
    """'X was taken the day after Y fell' is a day after the date last given; 'on March 12,
    two days after they overran X' puts X two days before it."""
    assert ("ZZ-NV", "fallen", expected) in keys(run(tiny, body))


@pytest.mark.parametrize(
    "body",
    [
        "Kelmar remains besieged, with the roads to Tolbek cut.",
        "Kelmar stayed encircled, its roads to Tolbek cut.",
    ],
)
def test_assemble_a_city_that_remains_besieged_is_the_one_besieged(tiny: Extractor, body: str) -> None:
    """'remains' is a passive's verb, as 'is' is: the city before it is the object."""
    assert keys(run(tiny, body)) == {("ZZ-NV", "contested", "2030-03-14")}


def test_assemble_a_vague_time_of_another_verb_leaves_the_day_to_the_passage(tiny: Extractor) -> None:
    """'a week ago' is when the invasion began, not when Kelmar was taken."""
    body = (
        "Rebels have taken Kelmar, the first major urban centre to fall since the rebels invaded a week ago."
    )
    assert keys(run(tiny, body)) == {("ZZ-NV", "fallen", "2030-03-14")}
    assert keys(run(tiny, "Rebels took Kelmar last week.")) == {("ZZ-NV", "fallen", None)}


def test_assemble_a_relative_day_set_off_after_a_date_describes_that_date(tiny: Extractor) -> None:
    """'On 10 March, a day after the first bombing, fighters attacked Kelmar': 10 March."""
    body = "On 10 March, a day after the first bombing, fighters attacked Kelmar."
    assert keys(run(tiny, body)) == {("ZZ-NV", "contested", "2030-03-10")}


def test_assemble_a_fall_in_a_since_clause_came_before_on_a_day_not_told(tiny: Extractor) -> None:
    """'Tolbek had been the rebels' seat since Kelmar fell' tells no day for the fall, though
    its sentence has one; 'since Kelmar fell on Monday' does."""
    body = "On March 12 troops closed on Tolbek, which had been the rebels' seat since Kelmar fell."
    assert ("ZZ-NV", "fallen", None) in keys(run(tiny, body))
    assert ("ZZ-NV", "fallen", "2030-03-11") in keys(
        run(tiny, "Tolbek has been quiet since Kelmar fell on Monday.")
    )


@pytest.mark.parametrize(
    "body",
    [
        "After Kelmar, Tolbek fell on March 4.",
        "After Kelmar, the towns of the south went one after another: Tolbek on March 4.",
    ],
)
def test_assemble_a_place_after_after_and_before_a_comma_says_when(tiny: Extractor, body: str) -> None:
    """'After Kisangani, the cities of the south went ...': Kisangani is when, not what fell."""
    assert "ZZ-NV" not in {iso for iso, _, _ in keys(run(tiny, body))}


def test_assemble_since_dates_a_state_but_not_an_event(tiny: Extractor) -> None:
    state = run(tiny, "Kelmar has been under rebel control since Tuesday.")
    assert keys(state) == {("ZZ-NV", "fallen", "2030-03-12")}
    events = run(tiny, "Kelmar and Tolbek have fallen since Tuesday.")
    assert keys(events) == {("ZZ-NV", "fallen", None), ("ZZ-EM", "fallen", None)}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a factbox as running text: label, entries split at semicolons, abbreviations kept whole
        (
            "CAPTURED: Kelmar, Northvale prov.: captured Mar. 6, first cap. to fall; "
            "Tolbek, Emberland prov.: captured Mar. 8, govt. troops withdrew to airport; "
            "Port Ardin, Southmarch prov.: handed over Sat.",
            {
                ("ZZ-NV", "fallen", "2030-03-06"),
                ("ZZ-EM", "fallen", "2030-03-08"),
                ("ZZ-SM", "fallen", "2030-03-09"),
            },
        ),
        # question headings set, and reset, the status of the entries under them
        (
            "Which cities have fallen?\n\n- Kelmar (Northvale)\n- Tolbek (Emberland)\n\n"
            "Where is the fighting now?\n\n- Port Ardin: under attack since Friday\n\n"
            "Which cities does the government still hold?\n\n- Rivane, where there is no fighting",
            {
                ("ZZ-NV", "fallen", "2030-03-14"),
                ("ZZ-EM", "fallen", "2030-03-14"),
                ("ZZ-SM", "contested", "2030-03-14"),
            },
        ),
        # "drove out of the city" is leaving it; "drove the rebels out" is retaking it
        ("The governor drove out of Kelmar in a convoy on Monday.", set()),
        ("Troops drove the rebels out of Tolbek on Monday.", {("ZZ-EM", "retaken", "2030-03-11")}),
        # summaries and references repeat the body
        ("HEADLINES: Kelmar falls; fighting in Tolbek.", set()),
        ('[2] "Rebels take Kelmar", Wire Service, 6 March 2030.', set()),
        # numbers of days
        ("It started eight days ago, when Kelmar fell.", {("ZZ-NV", "fallen", "2030-03-06")}),
        (
            "Rebels took Kelmar on March 3. Two days later Tolbek fell.",
            {("ZZ-NV", "fallen", "2030-03-03"), ("ZZ-EM", "fallen", "2030-03-05")},
        ),
        # fighting "since" a time goes on: the passage's day
        ("He says there is fighting inside Kelmar since the night.", {("ZZ-NV", "contested", "2030-03-14")}),
        # a past-tense status with no date of its own: the paragraph's last date
        (
            "Rebels entered Tolbek town on Friday morning. The city fell without a fight.",
            {("ZZ-EM", "fallen", "2030-03-08")},  # the day's fighting is part of the fall
        ),
        # a date in brackets glosses the words before it; a date belongs to its nearest trigger
        (
            "Kelmar was captured on 16 Asad (7 March), and one day after, Tolbek fell.",
            {("ZZ-NV", "fallen", "2030-03-07"), ("ZZ-EM", "fallen", "2030-03-08")},
        ),
        (
            "Kelmar was briefly overrun March 7, retaken by commandos March 8.",
            {("ZZ-NV", "fallen", "2030-03-07"), ("ZZ-NV", "retaken", "2030-03-08")},
        ),
        # a phrase set off by commas between a place and its verb
        (
            "The city of Kelmar, less than a hundred miles from Dunmore on the main road, fell this morning.",
            {("ZZ-NV", "fallen", "2030-03-14")},
        ),
        (
            "Rebels captured Kelmar, as well as Tolbek, on Monday.",
            {("ZZ-NV", "fallen", "2030-03-11"), ("ZZ-EM", "fallen", "2030-03-11")},
        ),
        (
            "Government troops re-captured Kelmar on Monday after a counter-attack near Tolbek.",
            {("ZZ-NV", "retaken", "2030-03-11")},  # a compound is not its last word
        ),
    ],
)
def test_assemble_layouts_and_phrasings_of_unseen_outlets(tiny: Extractor, body: str, expected: set) -> None:
    assert keys(run(tiny, body)) == expected


def test_assemble_footer_date_line_gives_the_publication_date(tiny: Extractor) -> None:
    body = "Rebels captured Kelmar on Thursday.\n\nLast updated: Friday 15 March 2030 09:12 GMT"
    assert keys(run(tiny, body, published=None)) == {("ZZ-NV", "fallen", "2030-03-14")}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Reports circulating online that Kelmar has fallen are false, officials said.", set()),
        ("Could Kelmar be overrun next, or Tolbek itself be encircled by May?", set()),
        (
            "Rebels took Tolbek on March 8.\n\nIn Kelmar, two hours from Dunmore, street fighting is raging.",
            {("ZZ-EM", "fallen", "2030-03-08"), ("ZZ-NV", "contested", "2030-03-14")},
        ),
        (
            "March 10 (Monday)\n\nKelmar is seized in the evening. Tolbek goes around midday.",
            {("ZZ-NV", "fallen", "2030-03-10"), ("ZZ-EM", "fallen", "2030-03-10")},
        ),
        ("Rebels broke into the prison on the edge of Kelmar on Monday.", set()),
        (
            "On Friday rebels seized Kelmar in Northvale, Tolbek in Emberland "
            "and Port Ardin in Southmarch province.",
            {
                ("ZZ-NV", "fallen", "2030-03-08"),
                ("ZZ-EM", "fallen", "2030-03-08"),
                ("ZZ-SM", "fallen", "2030-03-08"),
            },
        ),
        (
            "From Wednesday the pattern changed: Kelmar and Tolbek fell within 48 hours.",
            {("ZZ-NV", "fallen", None), ("ZZ-EM", "fallen", None)},
        ),
        (
            "Tolbek fell on March 9. Kelmar, which had endured weeks of fighting, was abandoned that day.",
            {("ZZ-EM", "fallen", "2030-03-09"), ("ZZ-NV", "fallen", "2030-03-09")},
        ),
        (
            "Table 1. Capitals that changed hands\n\n"
            "  Capital    Province    Date\n"
            "  Kelmar     Northvale   Mar 6\n"
            "  Tolbek     Emberland   Mar 8\n\n"
            "Table 2. Capitals not (yet) taken\n\n"
            "  Capital    Province    Notes\n"
            "  Dunmore    Central     quiet\n"
            "  Rivane     Rivane      talks\n",
            {("ZZ-NV", "fallen", "2030-03-06"), ("ZZ-EM", "fallen", "2030-03-08")},
        ),
    ],
)
def test_assemble_a_third_round_of_unseen_outlets(tiny: Extractor, body: str, expected: set) -> None:
    assert keys(run(tiny, body)) == expected


def test_assemble_fighting_on_another_day_than_the_fall_is_kept(tiny: Extractor) -> None:
    """Fighting on the day of the fall is part of it; fighting on an earlier day, told after
    it, is a state of its own."""
    text = (
        "Head\n\nRebels broke into Kelmar on March 3, 2021. Rebels captured Kelmar on March 3, 2021. "
        "On March 2, 2021 there was heavy fighting in Kelmar.\n"
    )
    got = [(r.status, r.date) for r in tiny.extract_text(text)]
    assert sorted(got) == [("contested", "2021-03-02"), ("fallen", "2021-03-03")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "CAPTURED\n\n- KELMAR - Rebels broke into the city on March 2, 2021. "
            "By March 3, 2021 they held it.\n",
            ("fallen", "2021-03-03"),
        ),
        (
            "FIGHTING UNDER WAY\n\n- KELMAR - Rebels captured two villages on March 2, 2021; "
            "they are battling troops.\n",
            ("contested", "2021-03-05"),
        ),
    ],
)
def test_assemble_an_entry_under_a_status_header_is_dated_by_a_clause_of_that_status(
    tiny: Extractor, text: str, expected: tuple[str, str]
) -> None:
    records = tiny.extract_text("Head\n\n" + text, published=dt.date(2021, 3, 5))
    assert expected in [(r.status, r.date) for r in records]


@pytest.mark.parametrize(
    "body",
    [
        "On Monday rebels captured every provincial capital except Dunmore.[7] Later, Kelmar fell.",
        "Rebels took all the capitals of the south apart from Tolbek on Monday.",
        "Rebels, with most towns surrendering without a fight, captured all capitals other than Tolbek.",
    ],
)
def test_assemble_a_place_after_except_is_left_out(tiny: Extractor, body: str) -> None:
    assert not {iso for iso, _, _ in keys(run(tiny, body))} & {"ZZ-HQ", "ZZ-EM"}


def test_assemble_a_withdrawal_does_not_reach_into_the_next_sentence(tiny: Extractor) -> None:
    body = (
        "On 3 March the rebels took Kelmar after its garrison withdrew.[6] Tolbek, where the army "
        "had its headquarters, was captured the following day."
    )
    assert keys(run(tiny, body)) == {("ZZ-NV", "fallen", "2030-03-03"), ("ZZ-EM", "fallen", "2030-03-04")}


def test_assemble_citation_marker_keeps_the_place(tiny: Extractor) -> None:
    body = "On 15 March, the rebels captured Kelmar.[11] Tolbek held out."
    assert keys(run(tiny, body)) == {("ZZ-NV", "fallen", "2030-03-15")}


@pytest.mark.parametrize(
    "body",
    [
        "Protests took place in Kelmar on Monday.",
        "Talks were taking place in Kelmar on Monday.",
        "Militiamen took part in the parade in Kelmar on Monday.",
        "Crowds took to the streets of Kelmar on Monday.",
        "The rebels took note of the losses in Kelmar.",
        "Officials took refuge in Kelmar on Monday.",
        "The guns of Kelmar fell silent on Monday.",
        "The rebels fell short of Kelmar on Monday.",
        "Government troops fell back to Kelmar on Monday.",
        "The siege of Kelmar in March falls outside the scope of this paper.",
    ],
)
def test_assemble_idioms_are_not_captures(tiny: Extractor, body: str) -> None:
    assert not [r for r in run(tiny, body) if r.status == "fallen"]


@pytest.mark.parametrize(
    "body",
    [
        "The rebels had governed Kelmar and most of the surrounding province for years, "
        "making Kelmar the only capital outside the government's control.",
        "Aid reached Kelmar and people in surrounding villages on Monday.",
    ],
)
def test_assemble_surrounding_as_an_adjective_is_no_siege(tiny: Extractor, body: str) -> None:
    assert run(tiny, body) == []


@pytest.mark.parametrize(
    "body",
    [
        "Kelmar, the governor's home town, stayed outside the fighting until September.",
        "Kelmar was spared the worst of the fighting on Monday.",
        "Kelmar remained untouched by the clashes on Monday.",
        "Kelmar stayed clear of the fighting on Monday.",
    ],
)
def test_assemble_a_city_kept_out_of_the_fighting_is_not_contested(tiny: Extractor, body: str) -> None:
    assert run(tiny, body) == []


@pytest.mark.parametrize(
    "body",
    [
        "Rebels entered Kelmar on March 11. It was the third provincial capital to fall.",
        "Kelmar was entered on March 11. It was the third regional capital to fall in a week.",
        "Rebels entered Kelmar on March 11. It was the first city to be taken.",
    ],
)
def test_assemble_it_was_the_nth_to_fall_makes_an_entry_a_fall(tiny: Extractor, body: str) -> None:
    assert ("ZZ-NV", "fallen", "2030-03-11") in keys(run(tiny, body))


def test_assemble_victories_in_battles_are_falls(tiny: Extractor) -> None:
    body = "The rebels' victories in the battles of Kelmar and Tolbek ended the war."
    assert keys(run(tiny, body, published=None)) == {("ZZ-NV", "fallen", None), ("ZZ-EM", "fallen", None)}


@pytest.mark.parametrize(
    "body",
    [
        "Starting on 9 March, the rebels took several capitals, including Kelmar.",
        "Beginning on 9 March, rebels captured Kelmar and other towns.",
        "Between 9 and 11 March government troops abandoned Kelmar.",
        "Rebels took Kelmar from 9 to 11 March.",
    ],
)
def test_assemble_a_period_is_not_the_day_of_a_fall(tiny: Extractor, body: str) -> None:
    assert keys(run(tiny, body)) == {("ZZ-NV", "fallen", None)}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Starting on 9 March, some 3,000 soldiers besieged Kelmar from three sides.", "2030-03-09"),
        ("Fighting raged in Kelmar between 9 and 11 March.", "2030-03-09"),
        ("Rebels battled troops in Kelmar from 9 to 11 March.", "2030-03-09"),
        ("Kelmar has been besieged since 9 March.", "2030-03-14"),  # going on: the publication day
        ("On March 2 the rebels came. For three days from the 9th, they fought in Kelmar.", "2030-03-09"),
    ],
)
def test_assemble_fighting_over_a_period_was_going_on_on_its_first_day(
    tiny: Extractor, body: str, expected: str
) -> None:
    assert keys(run(tiny, body)) == {("ZZ-NV", "contested", expected)}


@pytest.mark.parametrize(
    "body",
    [
        "Rebels captured Kelmar airport on Monday.",
        "Rebels seized the radio station of Kelmar on Monday.",
        "Rebels captured Kelmar district on Monday.",
        "Kelmar prison was overrun on Monday.",
        "Rebels seized Kelmar's airport on Monday.",
        "The two military camps of Kelmar have fallen into the hands of the rebels.",
        "Rebels captured army positions around Kelmar on Monday.",
        "Fighters drove past abandoned houses in Kelmar on Monday.",
    ],
)
def test_assemble_a_part_of_the_city_is_not_the_city(tiny: Extractor, body: str) -> None:
    assert not [r for r in run(tiny, body) if r.status in ("fallen", "retaken")]


def test_assemble_a_part_of_the_province_after_the_city_is_no_part_of_the_city(tiny: Extractor) -> None:
    body = "On Monday militants took Sarvan and Kelmar, bringing much of Northvale under their control."
    assert keys(run(tiny, body)) == {("ZZ-NV", "fallen", "2030-03-11")}


def test_assemble_of_two_dates_found_alike_the_more_precise_one_dates_the_record(tiny: Extractor) -> None:
    body = "The battle of Kelmar in 2030 was long. On 9 March rebels attacked Kelmar from the west."
    assert keys(run(tiny, body)) == {("ZZ-NV", "contested", "2030-03-09")}


def test_assemble_fighting_reaches_the_city_where_it_was(tiny: Extractor) -> None:
    """'battled army units loyal to General X in the streets of Kelmar': the
    phrase that says where names the city, however long the object before it."""
    body = (
        "On Monday fighters battled army units loyal to General Tor Vessan al-Orrin in the streets of Kelmar."
    )
    assert keys(run(tiny, body)) == {("ZZ-NV", "contested", "2030-03-11")}


def test_assemble_in_the_rebels_hands_after_an_aside(tiny: Extractor) -> None:
    body = "Kelmar, a town of 300,000 people, was in the rebels' hands on Monday."
    assert keys(run(tiny, body)) == {("ZZ-NV", "fallen", "2030-03-11")}


def test_assemble_a_flag_raised_on_a_square_in_the_city_takes_the_city(tiny: Extractor) -> None:
    body = "Rebels planted their flag on the main roundabout in Kelmar on Monday."
    assert keys(run(tiny, body)) == {("ZZ-NV", "fallen", "2030-03-11")}


def test_assemble_the_city_s_airport_is_not_the_city(tiny: Extractor) -> None:
    body = "Rebels took Tolbek on Sunday. On Monday they seized the city's airport, the main depot of Kelmar."
    assert keys(run(tiny, body)) == {("ZZ-EM", "fallen", "2030-03-10")}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Soldiers took the governor's complex on March 12 and declared Kelmar retaken, officials said.",
            {("ZZ-NV", "retaken", "2030-03-12")},
        ),
        (
            "Tolbek captured, officials say.",
            {("ZZ-EM", "fallen", "2030-03-14")},
        ),
    ],
)
def test_assemble_a_participle_after_a_place_is_a_small_clause(
    tiny: Extractor, body: str, expected: set
) -> None:
    assert keys(run(tiny, body)) == expected


def test_assemble_attackers_driven_out_the_same_day_is_fighting(tiny: Extractor) -> None:
    body = "An armoured column got into Tolbek on March 5 but was driven back out of the city."
    assert keys(run(tiny, body)) == {("ZZ-EM", "contested", "2030-03-05")}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Fighting for the old police headquarters in Kelmar started on March 3.",
            {("ZZ-NV", "contested", "2030-03-03")},
        ),
        ("Fighting for the villages around the district headquarters near Kelmar began on March 3.", set()),
    ],
)
def test_assemble_fighting_for_a_facility_in_the_city_is_in_the_city(
    tiny: Extractor, body: str, expected: set
) -> None:
    assert keys(run(tiny, body)) == expected


def test_assemble_invading_a_city_takes_it(tiny: Extractor) -> None:
    body = "Rebel units met no resistance on Monday, invading Tolbek from three sides."
    assert keys(run(tiny, body)) == {("ZZ-EM", "fallen", "2030-03-11")}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Heavy fighting for Kelmar began on March 3.", {("ZZ-NV", "contested", "2030-03-03")}),
        ("The battle for Kelmar began on March 3.", {("ZZ-NV", "contested", "2030-03-03")}),
        ("Heavy fighting near Kelmar began on March 3.", set()),
        ("The rebels headed for Kelmar on March 3.", set()),
    ],
)
def test_assemble_the_battle_for_a_city_is_about_it(tiny: Extractor, body: str, expected: set) -> None:
    assert keys(run(tiny, body)) == expected


def test_assemble_the_countryside_named_after_a_city_is_not_the_city(tiny: Extractor) -> None:
    assert run(tiny, "Thousands escaped the clashes into the Kelmar countryside.") == []
    assert run(tiny, "Rebels seized villages in the Tolbek countryside on Monday.") == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("The capture of Kelmar will likely worsen the crisis.", set()),
        ("The fall of Kelmar would be a blow to the government.", set()),
        ("Analysts said an assault on Kelmar was unlikely in the coming days.", set()),
        ("The rebels are now determined to capture Kelmar and deal a blow to the army.", set()),
        ("The raid was meant to forestall an offensive on rebel positions in Kelmar.", set()),
        ("The elders of Kelmar chose talks with the rebels rather than battles.", set()),
        ("An assault on Kelmar, with its large garrison, was unlikely before winter.", set()),
        ("The capture of Kelmar on March 3 shocked the government.", {("ZZ-NV", "fallen", "2030-03-03")}),
    ],
)
def test_assemble_a_modal_or_a_plan_hedges_the_trigger(tiny: Extractor, body: str, expected: set) -> None:
    assert keys(run(tiny, body)) == expected


def test_assemble_what_an_after_clause_tells_came_before_the_date_of_its_sentence(tiny: Extractor) -> None:
    """'After seizing Kelmar and Tolbek, rebels on Sunday besieged Dunmore': the seizing came
    before Sunday, on a day not told; a date inside the after-clause is its own."""
    body = (
        "After seizing Kelmar and Tolbek, rebels on Sunday began besieging Dunmore. "
        "After taking Rivane on Monday, they moved on."
    )
    assert keys(run(tiny, body)) == {
        ("ZZ-NV", "fallen", None),
        ("ZZ-EM", "fallen", None),
        ("ZZ-HQ", "contested", "2030-03-10"),
        ("ZZ-RV", "fallen", "2030-03-11"),
    }
    noun = "After the fall of Kelmar, rebels on Sunday began besieging Dunmore."
    assert keys(run(tiny, noun)) == {("ZZ-NV", "fallen", None), ("ZZ-HQ", "contested", "2030-03-10")}


def test_assemble_an_acronym_is_not_the_verb_it_spells(tiny: Extractor) -> None:
    """'The IS's takeover of Kelmar': 'IS' is a group, not a passive 'is'."""
    body = "The IS's takeover of Kelmar on Monday is the group's first major success."
    assert keys(run(tiny, body)) == {("ZZ-NV", "fallen", "2030-03-11")}


@pytest.mark.parametrize(
    "body",
    [
        # a fight that has not reached the cities of the entry
        "Capitals at a glance\n\n- Kelmar and Tolbek: under army control. Fighting in the surrounding "
        "townships of Northvale has not reached them.",
        "Fighting in the townships around Kelmar has never reached the city.",
        # an edge that says where a town lies
        "On Monday a bomb tore through a bus station in Sarvan, a satellite town on the edge of Kelmar.",
    ],
)
def test_assemble_a_fight_that_did_not_reach_the_city_is_no_contest(tiny: Extractor, body: str) -> None:
    assert run(tiny, body) == []


def test_assemble_a_day_told_by_reference_wins_over_a_month_stated(tiny: Extractor) -> None:
    body = (
        "Fighting raged in Kelmar in March 2030.\n\n"
        "Rebels attacked Tolbek on 5 March 2030; the next day they attacked Kelmar."
    )
    assert ("ZZ-NV", "contested", "2030-03-06") in keys(run(tiny, body, published=None))


def test_assemble_shooting_in_a_city_is_fighting_there(tiny: Extractor) -> None:
    body = "In Kelmar, the capital of Northvale, the shooting started on March 11 and never really stopped."
    assert keys(run(tiny, body)) == {("ZZ-NV", "contested", "2030-03-11")}


def test_assemble_fighting_until_a_day_is_dated_by_the_day_it_began(tiny: Extractor) -> None:
    body = (
        "On 3 March rebels slipped into Kelmar after a bombing at a checkpoint, and fighting went "
        "on in the city until the following day."
    )
    assert keys(run(tiny, body)) == {("ZZ-NV", "contested", "2030-03-03")}


def test_assemble_the_night_of_a_weekday_is_that_weekday(tiny: Extractor) -> None:
    body = "Tolbek fell on Wednesday. Rebels captured Kelmar on the night of Monday."
    assert ("ZZ-NV", "fallen", "2030-03-11") in keys(run(tiny, body))


def test_assemble_a_trigger_takes_the_day_its_clause_gives_over_a_month(tiny: Extractor) -> None:
    """'After attacks ... in late February 2030, rebels entered Kelmar, the capital, on 28
    February and seized the garrison': the month frames the attacks, the day is the entry's."""
    body = (
        "After attacks on the outskirts of Sarvan, the largest town, in late February 2030, rebels "
        "entered Kelmar, the provincial capital, on 28 February and seized the garrison there."
    )
    assert keys(run(tiny, body)) == {("ZZ-NV", "contested", "2030-02-28")}


def test_assemble_moving_into_the_districts_of_a_city_is_fighting_for_it(tiny: Extractor) -> None:
    body = "Aline, it went very fast. By Tuesday the rebels had moved into the northern districts of Kelmar."
    assert keys(run(tiny, body)) == {("ZZ-NV", "contested", "2030-03-12")}


def test_assemble_fighting_at_an_airport_named_after_a_city_is_outside_it(tiny: Extractor) -> None:
    body = (
        "Fighting broke out at Kelmar International Airport on March 9. The city itself was calm.\n\n"
        "Rebels attacked the outskirts of Kelmar on March 11."
    )
    assert keys(run(tiny, body)) == {("ZZ-NV", "contested", "2030-03-11")}
