"""The shipped gazetteers: complete, located, coded as pycountry codes them, ordinary words
matched only as written, and exactly what tools/build_gazetteer.py makes of the sources."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pycountry
import pytest
from wordfreq import zipf_frequency

from pipeline.data import GazetteerEntry, load_gazetteer

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "gazetteer"
CASED_ZIPF = 3.7  # as in tools/build_gazetteer.py
COUNTRIES = "AF SY IQ UA YE LY SD SS CD ET SO ML BF MM NG MZ".split()


@pytest.fixture(scope="module")
def entries() -> list[GazetteerEntry]:
    return load_gazetteer([GAZETTEER])


def test_gazetteer_ships_the_countries_of_issue_10(entries: list[GazetteerEntry]) -> None:
    assert {e.country for e in entries} >= set(COUNTRIES)
    assert sorted(p.stem.upper() for p in (GAZETTEER / "sources").glob("*.json")) == sorted(
        p.stem.upper() for p in GAZETTEER.glob("*.jsonl")
    )


def test_gazetteer_every_entry_is_located_and_coded(entries: list[GazetteerEntry]) -> None:
    for e in entries:
        assert e.lat is not None and e.lon is not None and e.geonames_id, e.province_iso
        assert pycountry.subdivisions.get(code=e.province_iso) is not None, e.province_iso
        assert e.province_iso.startswith(e.country + "-")


def test_gazetteer_every_first_level_division_is_present(entries: list[GazetteerEntry]) -> None:
    shipped = {e.province_iso for e in entries}
    for country in {e.country for e in entries}:
        divisions = pycountry.subdivisions.get(country_code=country)
        assert {s.code for s in divisions if s.parent_code is None} <= shipped, country


def test_gazetteer_a_seatless_entry_says_why(entries: list[GazetteerEntry]) -> None:
    seatless = {e.province_iso for e in entries if e.capital is None}
    assert {"SY-RD", "UA-32", "IQ-KR"} <= seatless
    assert all(e.note for e in entries if e.capital is None)


def _ordinary(name: str) -> bool:
    words = ["".join(c for c in w.lower() if c.isalnum()) for w in name.replace("-", " ").split()]
    return bool(words) and all(w and zipf_frequency(w, "en") >= CASED_ZIPF for w in words)


def test_gazetteer_no_name_is_an_ordinary_word_unless_cased(entries: list[GazetteerEntry]) -> None:
    for e in entries:
        for names in e.names().values():
            for name in names:
                assert not _ordinary(name) or name in e.cased, (e.province_iso, name)
    cased = {name for e in entries for name in e.cased}
    assert {"Unity", "Lakes", "Bay", "Red Sea", "Northern"} <= cased


def test_gazetteer_names_from_the_devset_readme_are_covered(entries: list[GazetteerEntry]) -> None:
    by_iso = {e.province_iso: e for e in entries}
    for iso, spellings in {
        "SY-HL": ["Aleppo", "Halab"],
        "SY-DY": ["Deir ez-Zor", "Deir al-Zour", "Dayr az Zawr"],
        "SY-DR": ["Daraa", "Deraa"],
        "SY-SU": ["As-Suwayda", "Suwayda", "Sweida"],
        "SY-TA": ["Tartus", "Tartous"],
        "SY-ID": ["Idlib", "Idleb"],
        "UA-23": ["Zaporizhzhia", "Zaporizhia", "Zaporozhye"],
        "SD-GZ": ["Wad Madani", "Wad Medani"],
        "YE-HU": ["Hodeidah", "Hudaydah"],
        "ET-TI": ["Mekelle", "Mek'ele"],
        "ML-6": ["Timbuktu", "Tombouctou"],
    }.items():
        assert set(spellings) <= set(by_iso[iso].names()["CAPITAL"]), iso
    assert by_iso["IQ-KI"].former_iso == ["IQ-TS"]


def test_gazetteer_sources_cite_each_seat() -> None:
    for path in (GAZETTEER / "sources").glob("*.json"):
        for iso, e in json.loads(path.read_text(encoding="utf-8"))["provinces"].items():
            assert e.get("source") and "UNREVIEWED" not in e["source"], iso


def test_gazetteer_build_is_reproducible() -> None:
    """The committed files are exactly what the build makes of the sources (no internet)."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_gazetteer.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
