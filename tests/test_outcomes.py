"""What a passage says happened, on invented text: phrases that look like statuses and are
not, entries and fighting on the day a city falls, corrections of one day's report."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import Extractor

PUB = dt.date(2030, 3, 14)  # a Thursday


def keys(tiny: Extractor, text: str, published: dt.date | None = PUB) -> set[tuple[str, str, str | None]]:
    records = tiny.extract_text(text, published=published)
    return {(r.place.province_iso, r.status, r.date) for r in records}


@pytest.mark.parametrize(
    "body",
    [
        # things that fall are not the city
        "Troops used heavy weapons inside Kelmar on March 3 and shells fell in residential quarters.",
        "Prices fell in Kelmar's markets on March 3.",
        # a town that takes in people takes no city
        "Tolbek has taken in thousands of people fleeing Kelmar since March 3.",
        # a purpose is a plan, not an outcome
        "Rebels launched an offensive on March 2 with the stated aim of driving the army out of Kelmar.",
    ],
)
def test_outcomes_phrases_that_tell_no_fall(tiny: Extractor, body: str) -> None:
    assert not {k for k in keys(tiny, "Headline\n\n" + body) if k[1] == "fallen"}


def test_outcomes_penetrating_a_city_is_fighting_in_it(tiny: Extractor) -> None:
    body = "Rebels penetrated Kelmar on the night of March 3, and exchanges of fire went on until dawn."
    assert keys(tiny, "Headline\n\n" + body) == {("ZZ-NV", "contested", "2030-03-03")}


def test_outcomes_fighting_with_a_day_of_its_own_comes_before_the_fall(tiny: Extractor) -> None:
    """The fighting has its own date; the fall 'by evening' is on that day, and both stand."""
    body = (
        "In Kelmar, heavy fighting erupted on the morning of March 3, and by evening rebels were "
        "in control of the town."
    )
    assert keys(tiny, "Headline\n\n" + body) == {
        ("ZZ-NV", "contested", "2030-03-03"),
        ("ZZ-NV", "fallen", "2030-03-03"),
    }


def test_outcomes_an_entry_on_the_day_of_the_fall_is_how_it_fell(tiny: Extractor) -> None:
    body = "Kelmar was entered on March 3. It was the second provincial capital to fall in a week."
    assert keys(tiny, "Headline\n\n" + body) == {("ZZ-NV", "fallen", "2030-03-03")}


def test_outcomes_a_header_that_asks_gives_no_status(tiny: Extractor) -> None:
    """'Has Kelmar fallen?' asks; 'Which capitals have fallen?' announces the list under it."""
    asked = (
        "Kelmar: what we know\n\nHas Kelmar fallen?\n\n"
        "- A commander said the city would be liberated within weeks.\n"
    )
    assert keys(tiny, asked) == set()
    listed = "Kelmar: what we know\n\nWhich capitals have fallen?\n\n- Kelmar, on March 3.\n"
    assert keys(tiny, listed) == {("ZZ-NV", "fallen", "2030-03-03")}


def test_outcomes_a_correction_withdraws_the_day_it_names(tiny: Extractor) -> None:
    """The correction withdraws this morning's report; an attack on another day stands."""
    blog = (
        "Live: unrest in Northvale\n\n"
        "Correction: an earlier entry said gunmen had attacked Kelmar this morning. Police say "
        "there was no attack today. Kelmar was last attacked on March 1, when rebels battled "
        "troops in its streets for hours.\n\n"
        "Residents of Kelmar say gunmen are attacking the city.\n"
    )
    assert keys(tiny, blog) == {("ZZ-NV", "contested", "2030-03-01")}
    undated = "Live\n\nCorrection: an earlier entry wrongly said Kelmar had fallen.\n\nKelmar has fallen.\n"
    assert keys(tiny, undated) == set()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("The rebels were pushed out of Kelmar on March 3.", "retaken"),  # the attackers lose it
        ("Government troops were driven out of Kelmar on March 3.", "fallen"),  # the government loses it
        ("Government troops drove the rebel fighters out of Kelmar on March 3.", "retaken"),
    ],
)
def test_outcomes_who_is_driven_out_decides(tiny: Extractor, body: str, status: str) -> None:
    assert keys(tiny, "Headline\n\n" + body) == {("ZZ-NV", status, "2030-03-03")}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # 'it' is the city the paragraph last named
            "Kelmar is no longer in doubt. The army abandoned it on March 5 after a week of fighting.",
            {("ZZ-NV", "fallen", "2030-03-05")},
        ),
        (  # the attackers abandoning a city leave it to the government
            "Kelmar was calm. The rebels abandoned it on March 5 ahead of an army advance.",
            {("ZZ-NV", "retaken", "2030-03-05")},
        ),
        (  # 'it' is the city the last sentence is about, not one it names in passing
            "Kelmar was the rebels' main depot for the Tolbek front. The army retook it on March 5.",
            {("ZZ-NV", "retaken", "2030-03-05")},
        ),
        (  # 'it' takes its own sentence's date, not the one its antecedent was named with
            "Rebels seized Kelmar on March 1. The army recaptured it on March 5.",
            {("ZZ-NV", "fallen", "2030-03-01"), ("ZZ-NV", "retaken", "2030-03-05")},
        ),
        (  # what the city is said to be is the city: its 'base' is no facility for 'it'
            "Kelmar was the main supply base of the army in the north. Rebels captured it on March 5.",
            {("ZZ-NV", "fallen", "2030-03-05")},
        ),
        (  # a facility named after the city's sentence still is what 'it' stands for
            "Kelmar was the main supply town of the north. Rebels took the base. "
            "The army retook it on March 5.",
            set(),
        ),
        (  # positions held near a city are not the city
            "The rebels blew up the bridge, and they now hold positions on the far bank, within "
            "artillery range of Kelmar.",
            set(),
        ),
        (  # a person the city only describes is who was taken
            "Yusuf Amar, the commander who had armed the people of Kelmar, was taken by the rebels "
            "on March 5.",
            set(),
        ),
        ("The governor of Kelmar was captured by the rebels on March 5.", set()),
        (  # but a person who reports it, or one in a clause before, does not stand for the city
            "The police chief said that Kelmar was taken by the rebels on March 5.",
            {("ZZ-NV", "fallen", "2030-03-05")},
        ),
        (
            "After the police fled, Kelmar was taken by the rebels on March 5.",
            {("ZZ-NV", "fallen", "2030-03-05")},
        ),
        (  # a facility named between: 'it' is the airport, and Kelmar did not fall
            "Rebels took the airport near Kelmar on March 5 and have held it since.",
            set(),
        ),
        (
            "Insurgents fought government troops on the northern edge of Kelmar on March 6.",
            {("ZZ-NV", "contested", "2030-03-06")},
        ),
    ],
)
def test_outcomes_pronouns_and_losers(tiny: Extractor, body: str, expected: set) -> None:
    assert keys(tiny, "Headline\n\n" + body) == expected


def test_outcomes_fighting_troops_near_a_city_said_to_stand_is_fighting_in_it(tiny: Extractor) -> None:
    """Troops are people, not a facility: fighting them by a city said not to have fallen is a
    contest for the city ('fighting at the airport' still is not)."""
    body = (
        "Officials insisted on Thursday that Kelmar had not fallen, even as insurgents fought "
        "government troops on the northern fringe of the region's third city."
    )
    assert keys(tiny, "Headline\n\n" + body) == {("ZZ-NV", "contested", "2030-03-14")}
    airport = (
        "Officials insisted on Thursday that Kelmar had not fallen, even as insurgents fought at the airport."
    )
    assert keys(tiny, "Headline\n\n" + airport) == set()


def test_outcomes_a_possessive_apposition_after_the_scene_is_an_aside(tiny: Extractor) -> None:
    """The apposition does not count in the distance from the scene to the trigger."""
    body = (
        "In Kelmar, Zedland's second-largest and oldest city, enemy paratroopers landed overnight "
        "and attacked a military hospital, the army said."
    )
    assert keys(tiny, "Headline\n\n" + body) == {("ZZ-NV", "contested", "2030-03-14")}


def test_outcomes_the_month_may_hedges_nothing(tiny: Extractor) -> None:
    body = "Rebels seized Kelmar in March 2029.\n\nOn 3 May the military recaptured Tolbek."
    assert ("ZZ-EM", "retaken", "2029-05-03") in keys(tiny, "Headline\n\n" + body, None)
    hedged = "Rebels seized Kelmar on 2 May 2029. They may take Tolbek next."
    assert not {k for k in keys(tiny, "Headline\n\n" + hedged, None) if k[0] == "ZZ-EM"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a place declared what it is, with a word for how and more after it
        (
            "Officials declared Kelmar fully liberated on March 3 after weeks of fighting.",
            {("ZZ-NV", "retaken", "2030-03-03")},
        ),
        # the longer name says whose fighters they are
        ("Pro-government fighters took control of Kelmar on March 3.", {("ZZ-NV", "retaken", "2030-03-03")}),
        # control at stake is a contest for it
        ("Rebels fought the army for control of Kelmar on March 3.", {("ZZ-NV", "contested", "2030-03-03")}),
        # a prospect is no fight yet
        ("Commanders spoke on March 3 of an eventual push on Kelmar.", set()),
        ("Diplomats on March 3 discussed a possible assault on Kelmar.", set()),
    ],
)
def test_outcomes_small_clauses_sides_and_prospects(tiny: Extractor, body: str, expected: set) -> None:
    assert keys(tiny, "Headline\n\n" + body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # driving into a city is an entry: fighting for it, unless the government's forces do it
        ("Rebels drove into Kelmar on March 3.", {("ZZ-NV", "contested", "2030-03-03")}),
        ("Government troops poured into Kelmar on March 3.", {("ZZ-NV", "retaken", "2030-03-03")}),
        ("Rebels exchanged fire with police in Kelmar on March 3.", {("ZZ-NV", "contested", "2030-03-03")}),
        # the soldiers behind 'with' are not the ones who withdrew: the raiders left
        (
            "Rebels drove into Kelmar on March 3. "
            "They exchanged fire with soldiers in the town, then withdrew at dusk.",
            {("ZZ-NV", "contested", "2030-03-03")},
        ),
    ],
)
def test_outcomes_entries_and_raids(tiny: Extractor, body: str, expected: set) -> None:
    assert keys(tiny, "Headline\n\n" + body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # full control of the city
        ("Rebels entered Kelmar on March 2. On March 3 they took full control of the city.", "2030-03-03"),
        # an office named with 'of' is no place the gazetteer does not know: 'the city' is Kelmar
        (
            "Rebels entered Kelmar on March 2. On March 3 the Rebel Ministry of Defence said "
            "its fighters had taken full control of the city.",
            "2030-03-03",
        ),
    ],
)
def test_outcomes_full_control_of_the_city(tiny: Extractor, body: str, expected: str) -> None:
    assert ("ZZ-NV", "fallen", expected) in keys(tiny, "Headline\n\n" + body)


def test_outcomes_a_power_plant_named_after_a_city_is_not_the_city(tiny: Extractor) -> None:
    assert keys(tiny, "Headline\n\nRebels seized the Kelmar Nuclear Power Plant on March 3.") == set()


def test_outcomes_an_ultimatum_to_surrender_is_no_surrender(tiny: Extractor) -> None:
    body = "On March 3 the government gave the rebels in Kelmar an ultimatum to surrender."
    assert keys(tiny, "Headline\n\n" + body) == set()


@pytest.mark.parametrize(
    "body",
    [
        "On March 3 rebels took the largest city in the north so far, the old trading hub of Kelmar.",
        "On March 3 rebels seized their first provincial capital of the offensive, Kelmar.",
    ],
)
def test_outcomes_a_city_described_then_named_in_an_apposition(tiny: Extractor, body: str) -> None:
    assert keys(tiny, "Headline\n\n" + body) == {("ZZ-NV", "fallen", "2030-03-03")}


def test_outcomes_fighting_around_the_seat_of_power_is_fighting_in_the_city(tiny: Extractor) -> None:
    body = (
        "On March 2 the mayor of Kelmar said rebels were on their way. The next day street fighting "
        "broke out around the governor's office and the main market."
    )
    assert keys(tiny, "Headline\n\n" + body) == {("ZZ-NV", "contested", "2030-03-03")}


def test_outcomes_part_of_the_garrison_leaving_is_no_fall(tiny: Extractor) -> None:
    body = "Part of the army abandoned Kelmar on March 3, and shelling went on."
    assert keys(tiny, "Headline\n\n" + body) == {("ZZ-NV", "contested", "2030-03-03")}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Rebels entered part of Kelmar on March 3.", ("ZZ-NV", "contested", "2030-03-03")),
        ("Government troops retook parts of Kelmar on March 3.", ("ZZ-NV", "contested", "2030-03-03")),
        ("Rebels captured most of Kelmar on March 3.", ("ZZ-NV", "fallen", "2030-03-03")),
    ],
)
def test_outcomes_a_part_of_the_city_taken_is_a_fight(tiny: Extractor, body: str, expected: tuple) -> None:
    assert keys(tiny, "Headline\n\n" + body) == {expected}


def test_outcomes_a_city_described_before_its_name(tiny: Extractor) -> None:
    body = "On March 3 government troops regained control of the key strategic town of Kelmar."
    assert keys(tiny, "Headline\n\n" + body) == {("ZZ-NV", "retaken", "2030-03-03")}


@pytest.mark.parametrize(
    "body",
    [
        "On March 5 officials said Kelmar was back in government hands.",
        "On March 4 rebels fought troops in Kelmar, and the next day the army declared the city back "
        "under government control.",
    ],
)
def test_outcomes_back_in_government_hands_is_a_retake(tiny: Extractor, body: str) -> None:
    assert ("ZZ-NV", "retaken", "2030-03-05") in keys(tiny, "Headline\n\n" + body)


@pytest.mark.parametrize("denial", ["called the claim false", "called it a fabrication"])
def test_outcomes_a_claim_called_false_gives_way_to_what_the_article_stands_by(
    tiny: Extractor, denial: str
) -> None:
    """The general's claim is denied in the next sentence: the retake the article tells later,
    of no known day, is the record, not the claim's day."""
    body = (
        f"On March 3 the general told reporters that his troops had retaken Kelmar. The rebels "
        f"{denial}.\n\nWeeks later the army recaptured Kelmar."
    )
    assert keys(tiny, "Headline\n\n" + body, published=None) == {("ZZ-NV", "retaken", None)}


def test_outcomes_who_says_a_city_is_liberated_is_the_side_that_took_it(tiny: Extractor) -> None:
    body = (
        '"Kelmar is liberated," a rebel spokesman told reporters on March 3. '
        '"Tolbek is liberated," a government spokesman said on March 4.'
    )
    assert keys(tiny, "Headline\n\n" + body) == {
        ("ZZ-NV", "fallen", "2030-03-03"),
        ("ZZ-EM", "retaken", "2030-03-04"),
    }


def test_outcomes_fighting_is_the_day_of_a_contest_rather_than_an_approach(tiny: Extractor) -> None:
    """Both the approach and the fighting are told with the section's date: the fighting's wins."""
    text = (
        "Live: the war\n\n"
        "Updates for Tuesday, March 12, 2030\n\n"
        "Rebels said they had reached the edge of Kelmar.\n\n"
        "Updates for Wednesday, March 13, 2030\n\n"
        "Rebels are fighting troops inside Kelmar."
    )
    assert keys(tiny, text) == {("ZZ-NV", "contested", "2030-03-13")}


def test_outcomes_an_attack_by_a_side_on_a_city(tiny: Extractor) -> None:
    body = "On March 3 the army said it had beaten back a major attack by the rebels on Kelmar."
    assert keys(tiny, "Headline\n\n" + body) == {("ZZ-NV", "contested", "2030-03-03")}


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        ("The fighting went on for most of the day.", {("ZZ-NV", "contested", "2030-03-03")}),
        # it moved elsewhere: into places the gazetteer does not know
        ("The fighting had moved into Sarvan and Osk.", set()),
    ],
)
def test_outcomes_the_fighting_is_the_fighting_in_the_city_told_of(
    tiny: Extractor, second: str, expected: set
) -> None:
    body = f"On March 3 the mayor of Kelmar said rebels were near. {second}"
    assert keys(tiny, "Headline\n\n" + body) == expected


def test_outcomes_a_clause_joined_by_and_shares_its_subject(tiny: Extractor) -> None:
    body = "On March 3 rebels overran the garrison and by evening controlled Kelmar."
    assert keys(tiny, "Headline\n\n" + body) == {("ZZ-NV", "fallen", "2030-03-03")}


def test_outcomes_an_assault_that_would_be_catastrophic_is_no_assault(tiny: Extractor) -> None:
    body = "An assault on Kelmar, which shelters 600,000 displaced people, would be catastrophic."
    assert keys(tiny, "Headline\n\n" + body) == set()


def test_outcomes_soldiers_of_a_side_are_that_side(tiny: Extractor) -> None:
    """'government soldiers' is the government's side, though 'soldiers' names people, as
    'the army base' names a place."""
    body = "On March 3 the first government soldiers drove into Kelmar."
    assert keys(tiny, "Headline\n\n" + body) == {("ZZ-NV", "retaken", "2030-03-03")}


def test_outcomes_a_plan_that_depended_on_taking_a_city_takes_none(tiny: Extractor) -> None:
    body = "The drive on Dunmore, which depended on taking Kelmar first, never began."
    assert keys(tiny, "Headline\n\n" + body) == set()


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        ("On March 3 a rebel column pushed into its outskirts.", {("ZZ-NV", "contested", "2030-03-03")}),
        ("On March 3 rebels took its airport.", set()),
    ],
)
def test_outcomes_its_outskirts_are_the_city_before(tiny: Extractor, second: str, expected: set) -> None:
    assert keys(tiny, f"Headline\n\nKelmar fared differently. {second}") == expected


def test_outcomes_a_rumour_of_fighting_that_officials_dismiss_gives_nothing(tiny: Extractor) -> None:
    body = (
        "Messages circulating on social media on Sunday claimed that Kelmar was under attack. "
        "State officials dismissed the reports."
    )
    assert keys(tiny, "Headline\n\n" + body) == set()


def test_outcomes_what_an_operation_was_launched_to_do_is_not_done(tiny: Extractor) -> None:
    body = (
        "On March 3 government forces launched Operation Red Dawn to drive the rebels out of Kelmar. "
        "On March 6 the last rebel units withdrew and the government declared that Kelmar had been retaken."
    )
    assert keys(tiny, "Headline\n\n" + body) == {("ZZ-NV", "retaken", "2030-03-06")}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # driven out on the day they attacked a city that never fell: an attack repelled
            "On March 3 fighters attacked Kelmar at dawn and fought troops in its streets until the "
            "afternoon, when reinforcements drove them out.",
            {("ZZ-NV", "contested", "2030-03-03")},
        ),
        (  # driven out of a city they had taken: a retake
            "Rebels captured Kelmar on March 1. On March 3 troops attacked the city and drove them out.",
            {("ZZ-NV", "fallen", "2030-03-01"), ("ZZ-NV", "retaken", "2030-03-03")},
        ),
    ],
)
def test_outcomes_driving_attackers_out_the_day_they_came_repels_an_attack(
    tiny: Extractor, body: str, expected: set
) -> None:
    assert keys(tiny, "Headline\n\n" + body) == expected


def test_outcomes_a_city_that_changed_hands_and_back_has_each_time(tiny: Extractor) -> None:
    """Taken, retaken and taken again: two falls, and fighting before and after the retake is
    two fights; several reports of one fall keep one record, the best-dated."""
    body = (
        "Rebels attacked Kelmar on March 1 and captured it on March 2. Troops recaptured Kelmar on "
        "March 5. Rebels attacked Kelmar again on March 9 and seized the city on March 10. Kelmar "
        "has changed hands twice."
    )
    records = tiny.extract_text("Headline\n\n" + body, published=PUB)
    assert {(r.place.province_iso, r.status, r.date) for r in records} == {
        ("ZZ-NV", "contested", "2030-03-01"),
        ("ZZ-NV", "fallen", "2030-03-02"),
        ("ZZ-NV", "retaken", "2030-03-05"),
        ("ZZ-NV", "contested", "2030-03-09"),
        ("ZZ-NV", "fallen", "2030-03-10"),
    }
    assert len({r.id for r in records}) == len(records)


@pytest.mark.parametrize(
    "body",
    [
        "On March 2 troops of the army's 3rd Division who had defected seized Kelmar.",
        "On March 2 renegade army units seized Kelmar.",
    ],
)
def test_outcomes_forces_that_turned_on_the_government_take_the_city_from_it(
    tiny: Extractor, body: str
) -> None:
    records = tiny.extract_text("Headline\n\n" + body, published=PUB)
    assert [(r.status, r.date, r.actor) for r in records] == [("fallen", "2030-03-02", None)]


def test_outcomes_a_clause_after_but_is_not_timed_by_the_one_before(tiny: Extractor) -> None:
    body = (
        "Troops pushed the rebels out of two districts of Kelmar on 26 February, "
        "but fighting continues in Kelmar."
    )
    assert ("ZZ-NV", "contested", "2030-03-14") in keys(tiny, "Headline\n\n" + body)


def test_outcomes_talk_of_taking_a_city_takes_none(tiny: Extractor) -> None:
    assert keys(tiny, "Headline\n\nRebel commanders speak of taking Kelmar in due course.") == set()


def test_outcomes_a_count_from_a_month_alone_gives_no_day(tiny: Extractor) -> None:
    """'fell in late June, and a week later Tolbek fell': no day to count from, and not the
    publication date either."""
    body = "On March 2 rebels attacked Rivane. Villages fell in late June, and a week later Tolbek fell."
    assert ("ZZ-EM", "fallen", None) in keys(tiny, "Headline\n\n" + body, published=dt.date(2030, 9, 1))


def test_outcomes_a_facility_on_the_outskirts_is_not_a_fight_for_the_city(tiny: Extractor) -> None:
    body = "On March 4 rebels overran the headquarters of the army's 3rd Corps on the outskirts of Kelmar."
    assert keys(tiny, "Headline\n\n" + body) == set()


def test_outcomes_a_withdrawal_does_not_reach_past_a_semicolon(tiny: Extractor) -> None:
    body = "On March 4 rebels entered Kelmar as troops pulled out; Dunmore declared a ceasefire that night."
    assert {iso for iso, _, _ in keys(tiny, "Headline\n\n" + body)} == {"ZZ-NV"}


def test_outcomes_a_battle_that_may_shift_is_no_fight(tiny: Extractor) -> None:
    assert (
        keys(tiny, "Headline\n\nAnalysts say the battle for Kelmar may now shift to clan politics.") == set()
    )
