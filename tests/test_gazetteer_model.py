"""Gazetteer entries beyond a plain province and capital: a province without a seat, names
that are ordinary words (matched only as written), a former ISO code, names shared across
countries. Invented places only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline import Extractor
from pipeline.article import from_text
from pipeline.blocks import segment
from pipeline.data import load_gazetteer
from pipeline.errors import DataFileError
from pipeline.spans import find_spans
from tests.conftest import TINY

HARBOUR = {
    "country": "ZZ",
    "province_iso": "ZZ-HB",
    "province": "Harbour",
    "province_aliases": [],
    "capital": "Velmora",
    "capital_aliases": [],
    "lat": 15.0,
    "lon": 25.0,
    "cased": ["Harbour"],
}
SEATLESS = {
    "country": "ZZ",
    "province_iso": "ZZ-MV",
    "former_iso": ["ZZ-OM"],
    "province": "Mistvale",
    "capital": None,
    "note": "the seat is disputed between two towns",
}


def _gazetteer(tmp_path: Path, files: dict[str, list[dict[str, Any]]]) -> Path:
    for name, entries in files.items():
        (tmp_path / name).write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    return tmp_path


def _places(extractor: Extractor, sentence: str) -> list[tuple[str, str, str]]:
    article = from_text("Head\n\n" + sentence, "t", None)
    out = []
    for spans in find_spans(extractor.nlp, article, segment(article.norm, extractor.layout)):
        out += [(p.rule, p.label, article.text[p.start : p.end]) for p in spans.places]
    return out


@pytest.fixture(scope="module")
def special(tmp_path_factory: pytest.TempPathFactory) -> Extractor:
    folder = tmp_path_factory.mktemp("special")
    return Extractor.load(_gazetteer(folder, {"zz.jsonl": [*TINY, HARBOUR, SEATLESS]}))


def test_gazetteer_cased_name_matches_only_as_written(special: Extractor) -> None:
    assert _places(special, "Fighting spread across Harbour province.") == [("ZZ-HB", "province", "Harbour")]
    assert _places(special, "Boats left the harbour at dawn.") == []
    assert _places(special, "Boats left the HARBOUR at dawn.") == []
    assert ("ZZ-HB", "capital") in {p[:2] for p in _places(special, "Fighters reached velmora.")}


def test_gazetteer_a_province_without_a_seat_yields_no_record(special: Extractor) -> None:
    text = "Head\n\nRebels captured the capital of Mistvale province on 3 May 2030."
    assert special.extract_text(text) == []
    (record,) = special.extract_text("Head\n\nRebels captured the capital of Harbour province on 3 May 2030.")
    assert record.place.name == "Velmora"


def test_gazetteer_a_province_without_a_seat_needs_a_note(tmp_path: Path) -> None:
    bad = {k: v for k, v in SEATLESS.items() if k != "note"}
    with pytest.raises(DataFileError, match=r"zz.jsonl:1: \(entry\): .*a note saying why"):
        load_gazetteer([_gazetteer(tmp_path, {"zz.jsonl": [bad]})])


def test_gazetteer_cased_names_must_be_names_of_the_entry(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cased names must be names"):
        load_gazetteer([_gazetteer(tmp_path, {"zz.jsonl": [dict(HARBOUR, cased=["Quay"])]})])


def test_gazetteer_names_shared_between_countries_load(tmp_path: Path) -> None:
    """The same capital name in two countries, and a province named like another country's
    capital, load; only a province_iso defined twice is refused."""
    other = [
        dict(TINY[0], country="ZY", province_iso="ZY-AA"),  # a second Kelmar
        dict(TINY[1], country="ZY", province_iso="ZY-BB", province="Tolbek"),
    ]
    folder = _gazetteer(tmp_path, {"zz.jsonl": TINY, "zy.jsonl": other})
    assert len(load_gazetteer([folder])) == len(TINY) + 2
    (folder / "zx.jsonl").write_text(json.dumps(dict(TINY[0], country="ZX")) + "\n")
    with pytest.raises(DataFileError, match="ZZ-NV is already defined"):
        load_gazetteer([folder])
