"""Invented countries, their actors and a place name two of them share: who gains a city
decides its status, and the article's places and names decide its country. No code names a
country: everything here lives in data files written to a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import Extractor

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
    ],
)
def test_country_who_gains_the_city_decides_its_status(
    world: Extractor, sentence: str, expected: tuple[str, str, str]
) -> None:
    [(iso, status, _, actor)] = read(world, sentence + " Zedland's war goes on.")
    assert (iso, status, actor) == expected


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
