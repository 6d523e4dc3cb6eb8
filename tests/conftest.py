"""Shared fixtures: a tiny invented gazetteer, so tests do not depend on one country."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import Extractor
from pipeline.cache import ENV

ROOT = Path(__file__).resolve().parent.parent

TINY = [
    {
        "country": "ZZ",
        "province_iso": "ZZ-NV",
        "province": "Northvale",
        "province_aliases": ["Nordvale"],
        "capital": "Kelmar",
        "capital_aliases": ["Kelmaar"],
        "geonames_id": None,
        "lat": 10.0,
        "lon": 20.0,
    },
    {
        "country": "ZZ",
        "province_iso": "ZZ-SM",
        "province": "Southmarch",
        "province_aliases": [],
        "capital": "Port Ardin-e Sol",
        "capital_aliases": ["Port Ardin"],
        "geonames_id": None,
        "lat": 11.0,
        "lon": 21.0,
    },
    {
        "country": "ZZ",
        "province_iso": "ZZ-RV",
        "province": "Rivane",
        "province_aliases": [],
        "capital": "Rivane",
        "capital_aliases": [],
        "geonames_id": None,
        "lat": 12.0,
        "lon": 22.0,
    },
    {
        "country": "ZZ",
        "province_iso": "ZZ-EM",
        "province": "Emberland",
        "province_aliases": [],
        "capital": "Tolbek",
        "capital_aliases": ["Tölbek"],
        "geonames_id": None,
        "lat": 13.0,
        "lon": 23.0,
    },
    {
        "country": "ZZ",
        "province_iso": "ZZ-HQ",
        "province": "Central",
        "province_aliases": [],
        "capital": "Dunmore",
        "capital_aliases": [],
        "geonames_id": None,
        "lat": 14.0,
        "lon": 24.0,
    },
]


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Caches go to a folder of this session, not the user's; subprocesses inherit it."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV, str(folder))
        yield folder


@pytest.fixture(scope="session")
def tiny_gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gazetteer")
    path = folder / "zz.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in TINY), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def tiny(tiny_gazetteer: Path) -> Extractor:
    return Extractor.load(tiny_gazetteer)


@pytest.fixture(scope="session")
def afghan() -> Extractor:
    return Extractor.load(ROOT / "gazetteer")
