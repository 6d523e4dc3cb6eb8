"""Invented countries, their actors and a place name two of them share: who gains a city
decides its status, and the article's places and names decide its country. No code names a
country: everything here lives in data files written to a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import Extractor
from pipeline.errors import DataFileError

PLACES = [
    ("ZZ", "ZZ-NV", "Northvale", "Kelmar"),
    ("ZZ", "ZZ-EM", "Emberland", "Tolbek"),
    ("ZZ", "ZZ-RV", "Rivane", "Rivane"),
    ("ZZ", "ZZ-TR", "Tarland", "Tarvik"),
    ("YY", "YY-OS", "Ostmark", "Halbrun"),
    ("YY", "YY-TR", "Tarmoor", "Tarvik"),
]
COUNTRIES = {
    "zz": {
        "country": "ZZ",
        "names": ["Zedland"],
        "capital": "ZZ-RV",
        "actors": [
            {"name": "Vorn Legion", "aliases": ["Vorn", "the Legion"], "side": "attacker", "inter": 2},
            {
                "name": "Zedish forces",
                "aliases": ["Zedish troops", "Zedish"],
                "side": "government",
                "inter": 1,
            },
            {"name": "Orvish forces", "aliases": ["Orvish"], "side": "attacker", "inter": 8},
        ],
    },
    "yy": {
        "country": "YY",
        "names": ["Yonderland"],
        "actors": [{"name": "Orvish forces", "aliases": ["Orvish"], "side": "government", "inter": 8}],
    },
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Extractor:
    folder = tmp_path_factory.mktemp("world")
    for cc in ("ZZ", "YY"):
        rows = [
            {"country": c, "province_iso": iso, "province": p, "capital": cap, "lat": 1.0, "lon": 2.0}
            for c, iso, p, cap in PLACES
            if c == cc
        ]
        (folder / f"{cc.lower()}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (folder / "actors").mkdir()
    for name, country in COUNTRIES.items():
        (folder / "actors" / f"{name}.json").write_text(json.dumps(country), encoding="utf-8")
    return Extractor.load(folder)


def read(extractor: Extractor, text: str) -> list[tuple[str, str, str | None, str | None]]:
    records = extractor.extract_text("Head\n\n" + text, published=None)
    return [(r.place.province_iso, r.status, r.date, r.actor) for r in records]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Kelmar fell to the Vorn Legion on March 2.", ("ZZ-NV", "fallen", "Vorn Legion")),
        ("Zedish troops recaptured Tolbek on March 3.", ("ZZ-EM", "retaken", "Zedish forces")),
        ("The Vorn Legion recaptured Rivane on March 4.", ("ZZ-RV", "fallen", "Vorn Legion")),
        ("Zedish forces captured Kelmar on March 5.", ("ZZ-NV", "retaken", "Zedish forces")),
        ("Kelmar has been under Vorn control since March 2.", ("ZZ-NV", "fallen", "Vorn Legion")),
        ("Zedish troops abandoned Tolbek to the Legion on March 6.", ("ZZ-EM", "fallen", "Vorn Legion")),
        ("Tolbek was retaken by the Vorn Legion on March 7.", ("ZZ-EM", "fallen", "Vorn Legion")),
        ("Zedish troops entered Kelmar on March 8.", ("ZZ-NV", "retaken", "Zedish forces")),
        ("The Vorn Legion entered Kelmar on March 8.", ("ZZ-NV", "contested", "Vorn Legion")),
        ("Two days later, the Vorn Legion walked into Tolbek.", ("ZZ-EM", "fallen", "Vorn Legion")),
        ("On March 9 Zedish troops walked back into Rivane.", ("ZZ-RV", "retaken", "Zedish forces")),
        ("On March 9 the Vorn Legion marched back into Rivane.", ("ZZ-RV", "fallen", "Vorn Legion")),
    ],
)
def test_country_who_gains_the_city_decides_its_status(
    world: Extractor, sentence: str, expected: tuple[str, str, str]
) -> None:
    [(iso, status, _, actor)] = read(world, sentence + " Zedland's war goes on.")
    assert (iso, status, actor) == expected


@pytest.mark.parametrize("forces", ["The army", "Government troops", "Security forces"])
def test_country_the_state_s_forces_named_without_a_country_are_the_government(
    world: Extractor, forces: str
) -> None:
    text = f"The Vorn Legion took Kelmar on March 2. {forces} entered the city on May 3."
    assert ("ZZ-NV", "retaken", "--05-03", "Zedish forces") in read(world, text)


def test_country_an_army_base_is_no_side(world: Extractor) -> None:
    text = (
        "The Vorn Legion overran Kelmar on March 2. Zedish troops withdrew to the army base outside the city."
    )
    assert {status for _, status, _, _ in read(world, text)} == {"fallen"}


@pytest.mark.parametrize(
    "text",
    [
        "The Vorn Legion has taken the Zedish city of Kelmar, the first major urban centre to fall.",
        "Vorn forces took the Zedish port of Kelmar, officials said, the first major urban centre to fall.",
    ],
)
def test_country_a_side_s_name_before_a_word_for_a_town_describes_it(world: Extractor, text: str) -> None:
    """'the Ukrainian city of Kherson': the adjective tells whose city it is, not who took it."""
    assert {status for _, status, _, _ in read(world, text)} == {"fallen"}


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("On March 2 Zedish troops and allied fighters retook Kelmar.", "retaken"),
        ("On March 2 the Vorn Legion fought Zedish troops and took Kelmar.", "fallen"),
    ],
)
def test_country_the_first_of_a_compound_subject_is_the_side(
    world: Extractor, text: str, status: str
) -> None:
    assert {s for _, s, _, _ in read(world, text)} == {status}


def test_country_a_name_joined_to_a_side_is_a_side_not_a_place(world: Extractor) -> None:
    """'fought Fennish and Zedish troops in Kelmar': 'Fennish', a word no list knows, is
    joined to an actor, so it is one of the sides fought, not a town the trigger took."""
    text = "On March 2 Legion fighters fought Fennish and Zedish troops for hours in Kelmar."
    assert [(iso, status) for iso, status, _, _ in read(world, text)] == [("ZZ-NV", "contested")]


def test_country_a_word_one_typo_from_another_country_s_place_is_no_place(world: Extractor) -> None:
    """'Halbrunn' is one typo from Yonderland's Halbrun: in a story from Zedland it is a
    village of Zedland, and 'the town' after it is not Halbrun."""
    text = "The Vorn Legion overran Kelmar on March 2 after clashes at Halbrunn. Zedland mourns."
    assert [iso for iso, *_ in read(world, text)] == ["ZZ-NV"]
    assert [iso for iso, *_ in read(world, "Rebels overran Halbrunn on March 2.")] == ["YY-OS"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an actor between dashes is not the subject
        (
            "The Vorn Legion - backed by some Zedish troops - overran Kelmar on March 2.",
            ("fallen", "Vorn Legion"),
        ),
        # who speaks of a loss lost the city
        ("Zedish troops confirmed the loss of Kelmar on March 2.", ("fallen", None)),
        # 'they' after a report verb is the speaker, not the side the speaker fought
        (
            "The Vorn Legion, which has fought Zedish troops for months, "
            "said they had seized Kelmar on March 2.",
            ("fallen", "Vorn Legion"),
        ),
        # 'X was theirs': the side before it holds the city now
        (
            "On March 2 the Vorn Legion overran the barracks in Kelmar, and Kelmar was theirs.",
            ("fallen", "Vorn Legion"),
        ),
        # the agent of a verb of loss in the passive lost the city
        ("Kelmar was abandoned by Zedish troops on March 2.", ("fallen", None)),
        ("Kelmar was abandoned by the Vorn Legion on March 2.", ("retaken", None)),
        # a verb joined by 'and' shares the first verb's subject, not a side named in its object
        (
            "The Vorn Legion overran the headquarters of the Zedish troops' northern division in "
            "Kelmar and took control of the city on March 2.",
            ("fallen", "Vorn Legion"),
        ),
        # but a side that is the subject of the verb before 'and' takes the city
        (
            "As Zedish troops pulled back from the valley, the Vorn Legion crossed the river and "
            "took control of Kelmar on March 2.",
            ("fallen", "Vorn Legion"),
        ),
        # a side named in the clause before is not who speaks: 'they' are the unnamed rebels
        (
            "Zedish troops pulled out shortly after midnight, and on March 2 the rebels "
            "announced that they had taken full control of Kelmar.",
            ("fallen", "rebels"),
        ),
    ],
)
def test_country_who_the_sentence_says_took_the_city(
    world: Extractor, text: str, expected: tuple[str, str | None]
) -> None:
    assert [(status, actor) for _, status, _, actor in read(world, text)] == [expected]


def test_country_halfway_to_retaking_a_city_is_not_retaking_it(world: Extractor) -> None:
    assert read(world, "Zedish troops are halfway to recapturing Kelmar, residents said on March 2.") == []


def test_country_they_is_the_side_the_sentence_before_names(world: Extractor) -> None:
    text = "Zedish troops reached the edge of Kelmar on March 7. They entered the city on March 8."
    assert ("ZZ-NV", "retaken", "--03-08", "Zedish forces") in read(world, text)


def test_country_the_side_behind_a_preposition_is_not_the_one_entering(world: Extractor) -> None:
    text = "The Legion met little opposition from Zedish troops on entering Kelmar."
    assert {status for _, status, _, _ in read(world, text)} == {"contested"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Kelmar remains under Zedish control.",
        "Tolbek is still in Zedish hands, officials in Zedland said.",
    ],
)
def test_country_a_city_the_government_holds_gives_no_record(world: Extractor, sentence: str) -> None:
    assert read(world, sentence) == []


def test_country_one_name_two_sides_in_two_wars(world: Extractor) -> None:
    """'Orvish forces' attack in Zedland and fight for the government in Yonderland."""
    attack = read(world, "Orvish forces retook Tarvik on March 2. Kelmar is quiet.")
    assert attack == [("ZZ-TR", "fallen", "--03-02", "Orvish forces")]
    defend = read(world, "Orvish forces retook Tarvik on March 2. Halbrun is quiet.")
    assert defend == [("YY-TR", "retaken", "--03-02", "Orvish forces")]


def test_country_a_shared_place_name_follows_the_article(world: Extractor, tmp_path: Path) -> None:
    assert read(world, "Rebels captured Tarvik on March 2, in the north of Yonderland.")[0][0] == "YY-TR"
    assert read(world, "Rebels captured Tarvik on March 2, not far from Kelmar.")[0][0] == "ZZ-TR"
    assert read(world, "Rebels captured Tarvik on March 2.") == []  # no way to tell: nothing
    forced = Extractor.load(world.sources.gazetteer, country="YY")
    assert read(forced, "Rebels captured Tarvik on March 2.")[0][0] == "YY-TR"


def test_country_option_at_the_command_line(world: Extractor, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pipeline.cli import app

    story = tmp_path / "story.txt"
    story.write_text("Head\n\nRebels captured Tarvik on March 2.\n", encoding="utf-8")
    args = [str(story), "--gazetteer", str(world.sources.gazetteer), "--output", "-"]
    runner = CliRunner()
    assert runner.invoke(app, args).stdout == ""  # which Tarvik: nothing says
    forced = runner.invoke(app, [*args, "--country", "yy"])
    assert json.loads(forced.stdout)["place"]["province_iso"] == "YY-TR"
    bad = runner.invoke(app, [*args, "--country", "Yonderland"])
    assert bad.exit_code == 2 and "--country" in bad.stderr


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Zedish troops pulled out of Kelmar on March 2.", [("ZZ-NV", "fallen", "--03-02")]),
        ("The army withdrew its units from Tolbek on March 3.", [("ZZ-EM", "fallen", "--03-03")]),
        ("Government troops and officials left Rivane on March 4.", [("ZZ-RV", "fallen", "--03-04")]),
        ("The Vorn Legion pushed Zedish troops out of Kelmar on March 5.", [("ZZ-NV", "fallen", "--03-05")]),
        ("The Vorn Legion now holds Tolbek.", [("ZZ-EM", "fallen", None)]),
        ("Tolbek passed to the Vorn Legion on March 6.", [("ZZ-EM", "fallen", "--03-06")]),
        # the side that leaves or holds decides: no record for rebels leaving, families
        # leaving or the government holding a city
        ("The rebels pulled out of Kelmar on March 2.", []),
        ("Many families left Tolbek on March 3.", []),
        ("Zedish troops still hold Rivane.", []),
        ("Elections were held in Rivane on March 4.", []),
    ],
)
def test_country_a_city_left_or_held_falls_by_who_leaves_or_holds(
    world: Extractor, sentence: str, expected: list[tuple[str, str, str | None]]
) -> None:
    assert [r[:3] for r in read(world, sentence)] == expected


def test_country_a_section_out_of_government_control_makes_its_entries_falls(world: Extractor) -> None:
    text = "OUT OF GOVERNMENT CONTROL\n\n- KELMAR - Taken on March 2.\n\n- TOLBEK - Rebels won it.\n"
    assert {(iso, status) for iso, status, _, _ in read(world, text)} == {
        ("ZZ-NV", "fallen"),
        ("ZZ-EM", "fallen"),
    }


def test_country_the_capital_alone_is_the_national_capital_its_actor_list_names(world: Extractor) -> None:
    assert read(world, "Kelmar is calm. The Vorn Legion entered the capital on March 2.") == [
        ("ZZ-RV", "contested", "--03-02", "Vorn Legion")
    ]
    # a landmark, and any country whose list names no capital, give nothing
    assert read(world, "Rebels attacked a town 40 km north of the capital on March 2. Kelmar is calm.") == []
    assert read(world, "Halbrun is calm. Rebels entered the capital on March 2.") == []
    # the capital of a place the gazetteer does not know is not the country's
    assert read(world, "Kelmar is calm. Sarvo, the capital of the Osk Zone, fell on March 2.") == []


def test_country_a_relative_clause_after_a_landmark_is_about_it(world: Extractor) -> None:
    text = "Columns pressed south from Kelmar, which Zedish troops abandoned on March 2."
    assert [r[:3] for r in read(world, text)] == [("ZZ-NV", "fallen", "--03-02")]


@pytest.mark.parametrize(
    ("capital", "message"),
    [("ZZ-XX", "ZZ-XX is in no gazetteer loaded"), ("YY-OS", "YY-OS is not a province of ZZ")],
)
def test_country_a_national_capital_must_be_a_province_of_its_country(
    tmp_path: Path, capital: str, message: str
) -> None:
    rows = [
        {
            "country": "ZZ",
            "province_iso": "ZZ-NV",
            "province": "Northvale",
            "capital": "Kelmar",
            "lat": 1.0,
            "lon": 2.0,
        }
    ]
    (tmp_path / "zz.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "zz.json").write_text(
        json.dumps({"country": "ZZ", "names": ["Zedland"], "capital": capital})
    )
    with pytest.raises(DataFileError, match=message):
        Extractor.load(tmp_path)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Kelmar fell to the Vorn Legion on March 2.", ("Vorn Legion", 2, "Zedish forces", 1)),
        (
            "Zedish troops recaptured Tolbek from the Vorn Legion on March 3.",
            ("Zedish forces", 1, "Vorn Legion", 2),
        ),
        ("Zedish troops recaptured Rivane on March 4.", ("Zedish forces", 1, None, None)),  # nobody named
        ("Rebels captured Kelmar on March 5.", ("Rebels", None, "Zedish forces", 1)),  # a word, no type
        ("Kelmar fell on March 6.", (None, None, None, None)),  # nobody known: nothing invented
    ],
)
def test_country_records_carry_both_sides_and_their_acled_types(
    world: Extractor, sentence: str, expected: tuple[str | None, int | None, str | None, int | None]
) -> None:
    [record] = world.extract_text("Head\n\n" + sentence + " Zedland's war goes on.", published=None)
    assert (record.actor, record.actor_inter, record.opponent, record.opponent_inter) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bare withdrawal leaves the city the passage is about
        ("Fighting reached Tolbek on March 2. Hours later Zedish troops pulled out.", ("ZZ-EM", "fallen")),
        ("In Kelmar, gunmen clashed with Zedish troops on March 3.", ("ZZ-NV", "contested")),
        ("The factions held the whole of Rivane by March 4.", ("ZZ-RV", "fallen")),
    ],
)
def test_country_withdrawal_clashes_and_factions(
    world: Extractor, text: str, expected: tuple[str, str]
) -> None:
    assert expected in {(iso, status) for iso, status, _, _ in read(world, text)}


def test_country_a_place_that_names_a_road_or_airport_is_not_the_city(world: Extractor) -> None:
    assert read(world, "The rebels seized the Kelmar-Tolbek motorway on March 2.") == []
    assert read(world, "The rebels seized Kelmar airport on March 2.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kelmar is calm, and neither it nor Tolbek has seen any fighting.", []),
        ("The Vorn Legion entered Tolbek on March 2 and declared the city free.", [("ZZ-EM", "fallen")]),
        ("Zedish troops entered Tolbek on March 2 and declared the city free.", [("ZZ-EM", "retaken")]),
        ("[Photo] Fighters in Kelmar on March 2, days after the city fell to them.", []),
    ],
)
def test_country_any_negates_a_city_declared_free_and_bracketed_photo_lines(
    world: Extractor, text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(iso, status) for iso, status, _, _ in read(world, text)] == expected


def test_country_a_side_named_in_it_was_the_nth_capital_to_fall(world: Extractor) -> None:
    text = (
        "Vorn units reached central Kelmar on March 2. It became the first Zedish regional capital to fall."
    )
    assert ("ZZ-NV", "fallen", "--03-02") in {
        (iso, status, date) for iso, status, date, _ in read(world, text)
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The next day Tolbek was in the hands of the Vorn Legion.", [("ZZ-EM", "fallen")]),
        ("The next day Tolbek was in the hands of Zedish troops.", []),
        ("The future of Tolbek is in the hands of negotiators.", []),
    ],
)
def test_country_in_the_hands_of_a_side_named_in_words(
    world: Extractor, sentence: str, expected: list[tuple[str, str]]
) -> None:
    assert [(iso, status) for iso, status, _, _ in read(world, sentence)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The battle for Kelmar began on 2 March 2030. It ended in a Vorn victory on 9 March 2030.",
            "fallen",
        ),
        (
            "The battle for Kelmar began on 2 March 2030. It ended in a Zedish victory on 9 March 2030.",
            None,
        ),
    ],
)
def test_country_a_battle_that_ended_in_a_sides_victory(
    world: Extractor, text: str, expected: str | None
) -> None:
    found = {(status, date) for _, status, date, _ in read(world, text)}
    assert (expected, "2030-03-09") in found if expected else all(date != "2030-03-09" for _, date in found)
