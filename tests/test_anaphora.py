"""Places the gazetteer does not know, on invented sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import Extractor
from pipeline.anaphora import unnamed_places


def test_anaphora_unnamed_places_are_capitalised_words_after_a_preposition() -> None:
    texts = ["advanced", "on", "Sarvan", "in", "August", "and", "in", "UN", "convoys", "from", "Kelmar"]
    covered = [False] * 10 + [True]  # Kelmar is a known place
    after = {2, 4, 7, 10}
    assert unnamed_places(texts, covered, after, {"august"}) == [2]


def keys(tiny: Extractor, body: str) -> set[tuple[str, str, str | None]]:
    records = tiny.extract_text("Headline of the day\n\n" + body, published=dt.date(2030, 3, 14))
    return {(r.place.province_iso, r.status, r.date) for r in records}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # 'the town' is the unknown town named after the last capital
            "Rebels overran Kelmar on March 3. They then advanced on Sarvan, where fighting broke out "
            "on the edge of the town on March 5.",
            {("ZZ-NV", "fallen", "2030-03-03")},
        ),
        (  # with no other place named, 'the town' is still the capital
            "Rebels overran Kelmar on March 3. Fighting broke out on the edge of the town on March 5.",
            {("ZZ-NV", "fallen", "2030-03-03"), ("ZZ-NV", "contested", "2030-03-05")},
        ),
        (  # a capital that only locates an unknown place is not the trigger's object
            "Rebels overran a barracks at Ardavan, on the edge of Tolbek, on March 4.",
            set(),
        ),
    ],
)
def test_anaphora_a_place_the_gazetteer_does_not_know(tiny: Extractor, body: str, expected: set) -> None:
    assert keys(tiny, body) == expected


def test_anaphora_a_month_is_no_place(tiny: Extractor) -> None:
    body = "Rebels overran Kelmar on March 3. In August fighting broke out in the town again."
    assert "contested" in {status for _, status, _ in keys(tiny, body)}


def test_anaphora_a_persons_town_is_a_landmark_that_the_city_can_mean(tiny: Extractor) -> None:
    body = (
        "Rebels captured Kelmar on March 10. A councillor from Tolbek said by phone that rebels had "
        "broken into the centre of the city."
    )
    assert ("ZZ-EM", "contested") in {(iso, status) for iso, status, _ in keys(tiny, body)}
    moved = (
        "Rebels captured Kelmar on March 10. Reinforcements flew in from Tolbek for the fighting in the city."
    )
    assert {(iso, status) for iso, status, _ in keys(tiny, moved)} == {
        ("ZZ-NV", "fallen"),
        ("ZZ-NV", "contested"),
    }


@pytest.mark.parametrize("anaphor", ["the provincial capital", "the regional capital", "the state capital"])
def test_anaphora_a_regional_capital_is_the_provinces_capital(tiny: Extractor, anaphor: str) -> None:
    """Every word the cue rules give for a province's capital is one, not only 'provincial'
    ('the regional capital' was read as the country's capital and gave nothing)."""
    body = f"Fighting in Northvale intensified on March 2. On March 3 rebels overran {anaphor}."
    assert keys(tiny, body) == {("ZZ-NV", "fallen", "2030-03-03")}


def test_anaphora_the_capital_alone_is_not_the_last_city(tiny: Extractor) -> None:
    """'the capital' (and 'the northern capital') is the country's, never the city just named."""
    for anaphor in ("the capital", "the northern capital"):
        body = f"Rebels reached Kelmar on March 2. On March 3 they overran {anaphor}."
        assert ("ZZ-NV", "fallen", "2030-03-03") not in keys(tiny, body)


def test_anaphora_the_regional_capital_after_a_city_named_since_the_province(tiny: Extractor) -> None:
    """Emberland was named, then Kelmar: 'the regional capital' is Kelmar, not Tolbek."""
    body = (
        "Rockets hit the airport of Tolbek in Emberland on March 1.\n\n"
        "On March 3 the army launched its assault on Kelmar. That evening officials said "
        "government troops had taken full control of the regional capital."
    )
    assert ("ZZ-NV", "retaken", "2030-03-03") in keys(tiny, body)
    assert not {k for k in keys(tiny, body) if k[0] == "ZZ-EM"}


def test_anaphora_a_capital_that_stands_for_its_government_is_no_antecedent(tiny: Extractor) -> None:
    body = "On March 3 rebels entered Kelmar as troops and officials appointed by Dunmore left the city."
    assert {k[0] for k in keys(tiny, body)} == {"ZZ-NV"}


def test_anaphora_a_landmark_after_the_capital_is_not_the_story_s_city(tiny: Extractor) -> None:
    """'100 km south of the capital Dunmore' locates Kelmar: 'the town' is still Kelmar."""
    body = (
        "On March 3 rebels entered part of Kelmar, 100 km south of the capital Dunmore. "
        "Officials denied the loss of the town."
    )
    assert {k[0] for k in keys(tiny, body)} == {"ZZ-NV"}


def test_anaphora_the_city_after_a_facility_near_a_city_is_that_city(tiny: Extractor) -> None:
    """The airport lies 30 km north of Tolbek: 'the city' is Tolbek, not Kelmar named before."""
    body = (
        "Rebels took Kelmar in January. On March 3 they captured the airport, 30 km north of Tolbek, "
        "and entered the city's northern districts that night."
    )
    assert ("ZZ-EM", "contested", "2030-03-03") in keys(tiny, body)
    assert not {k for k in keys(tiny, body) if k[0] == "ZZ-NV" and k[1] == "contested"}


def test_anaphora_it_after_a_place_the_gazetteer_does_not_know_is_that_place(tiny: Extractor) -> None:
    body = (
        "Officials feared that Kelmar would be next. On March 3 rebels seized Sarvo, a market "
        "town, before abandoning it a week later."
    )
    assert keys(tiny, body) == set()


def test_anaphora_a_city_people_fled_is_not_the_city_of_the_story(tiny: Extractor) -> None:
    body = (
        "On March 3 rebels attacked Kelmar, where thousands who had fled Tolbek had found refuge. "
        "On March 5 the army withdrew and the rebels entered the city."
    )
    assert ("ZZ-NV", "fallen", "2030-03-05") in keys(tiny, body)
    assert not {k for k in keys(tiny, body) if k[0] == "ZZ-EM"}


def test_anaphora_the_passage_moves_to_a_place_the_gazetteer_does_not_know(tiny: Extractor) -> None:
    """After Kelmar, a paragraph opens in Sarvo: troops withdrawing there left Sarvo, not Kelmar."""
    body = (
        "Gunfire was heard on the outskirts of Kelmar on March 3.\n\n"
        "In Sarvo, a market town, residents said rebels entered the town on March 4 after "
        "government troops withdrew."
    )
    assert keys(tiny, body) == {("ZZ-NV", "contested", "2030-03-03")}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "On March 3 the column reached Kelmar, the capital of Northvale, and took it without a shot.",
            {("ZZ-NV", "fallen", "2030-03-03")},
        ),
        # a facility named between: 'it' is the airport
        ("On March 3 rebels reached Kelmar, seized its airport and held it for a day.", set()),
    ],
)
def test_anaphora_it_after_and_is_the_city_named_before(tiny: Extractor, body: str, expected: set) -> None:
    assert {k for k in keys(tiny, body) if k[1] == "fallen"} == expected


def test_anaphora_a_name_with_a_verb_of_its_own_after_the_city_is_no_apposition(tiny: Extractor) -> None:
    """'took control of the city, a prize Tolbek had coveted': the city is Kelmar, and Tolbek,
    the subject of its own verb, is not taken."""
    body = "On March 3 rebels moved into Kelmar and took control of the city, a prize Tolbek had coveted."
    assert {k for k in keys(tiny, body) if k[1] == "fallen"} == {("ZZ-NV", "fallen", "2030-03-03")}


def test_anaphora_the_city_after_a_sentence_about_a_capital_is_that_capital(tiny: Extractor) -> None:
    """A place the gazetteer does not know, named in passing in a sentence that opens with a
    capital, is not what 'the city' in the next sentence means."""
    body = (
        "Kelmar, a port of some 280,000 people, was the biggest prize of the advance out of Sarvan. "
        "Rebels fought their way into the city on March 3."
    )
    assert keys(tiny, body) == {("ZZ-NV", "contested", "2030-03-03")}
    other = (
        "Rebels took Kelmar on March 1 and advanced on Sarvan. "
        "They fought their way into the city on March 3."
    )
    assert keys(tiny, other) == {("ZZ-NV", "fallen", "2030-03-01")}


def test_anaphora_a_name_in_brackets_after_the_city_says_which(tiny: Extractor) -> None:
    """'taking control of the city (Kelmar)' after Tolbek was named: the brackets say Kelmar."""
    body = "Rebels encircled Tolbek. They said they had seized the city (Kelmar) this Saturday."
    assert ("ZZ-NV", "fallen", "2030-03-09") in keys(tiny, body)
    assert ("ZZ-EM", "fallen", "2030-03-09") not in keys(tiny, body)


def test_anaphora_the_city_in_apposition_to_an_unknown_name_is_that_place(tiny: Extractor) -> None:
    """'Sarvan, the second city of Northvale, fell': not Kelmar, named before."""
    body = "Kelmar was calm on Monday. Sarvan, the second city of Northvale, fell on March 1."
    assert keys(tiny, body) == set()
    assert ("ZZ-NV", "fallen", "2030-03-01") in keys(
        tiny, "Rebels reached Kelmar. However, the city fell on March 1."
    )


def test_anaphora_a_named_ward_is_part_of_the_city_not_a_town(tiny: Extractor) -> None:
    """'in Mong Lone ward in the south of the city': the city is still Kelmar."""
    text = (
        "Head\n\nMarch 4 - Kelmar. Rebel units struck back, attacking junta positions in Sarvo ward "
        "in the south of the city."
    )
    found = {
        (r.place.province_iso, r.status) for r in tiny.extract_text(text, published=dt.date(2030, 3, 14))
    }
    assert found == {("ZZ-NV", "contested")}
