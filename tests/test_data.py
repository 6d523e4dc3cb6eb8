"""Data files are validated on load, with errors that say file, line and field."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pycountry
import pytest

from pipeline import Extractor
from pipeline.data import load_gazetteer, load_rules
from pipeline.errors import DataFileError
from tests.conftest import TINY


def test_data_shipped_rules_load() -> None:
    rules = load_rules()
    assert rules.status and rules.cues and rules.dates
    assert all("." in r.id for r in rules.status + rules.cues + rules.dates)


def test_data_bad_gazetteer_entry_names_file_line_and_field(tmp_path: Path) -> None:
    bad = dict(TINY[0], province_iso="northvale")
    (tmp_path / "zz.jsonl").write_text(json.dumps(TINY[1]) + "\n" + json.dumps(bad) + "\n")
    with pytest.raises(DataFileError) as error:
        load_gazetteer([tmp_path])
    assert str(error.value).startswith(f"{tmp_path / 'zz.jsonl'}:2: province_iso: ")


def test_data_unknown_field_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zz.jsonl").write_text(json.dumps(dict(TINY[0], capitol="x")) + "\n")
    with pytest.raises(DataFileError, match=r"zz.jsonl:1: capitol: Extra inputs"):
        load_gazetteer([tmp_path])


def test_data_bad_rule_pattern_names_the_line(tmp_path: Path) -> None:
    shipped = resources.files("pipeline.rules")
    for name in (
        "status.jsonl",
        "cues.jsonl",
        "dates.jsonl",
        "blocks.json",
        "date_settings.json",
        "numbers.json",
    ):
        shutil.copy(str(shipped / name), tmp_path / name)
    with (tmp_path / "status.jsonl").open("a") as handle:
        handle.write(
            '{"id": "fallen.bad", "label": "fallen", "target": "subject", "pattern": [{"LOWR": "x"}]}\n'
        )
    lines = (tmp_path / "status.jsonl").read_text().splitlines()
    with pytest.raises(DataFileError, match=rf"status.jsonl:{len(lines)}: pattern"):
        load_rules(tmp_path)


def test_data_second_country_needs_no_code(tiny_gazetteer: Path) -> None:
    extractor = Extractor.load(tiny_gazetteer)
    (record,) = extractor.extract_text("Head\n\nRebels captured Tölbek on 3 May 2030.")
    assert (record.place.country, record.place.province_iso, record.date) == ("ZZ", "ZZ-EM", "2030-05-03")


def test_data_afghan_gazetteer_covers_every_province() -> None:
    entries = load_gazetteer([Path(__file__).resolve().parent.parent / "gazetteer"])
    codes = {s.code for s in pycountry.subdivisions.get(country_code="AF")}
    assert {e.province_iso for e in entries if e.country == "AF"} == codes


def _rules_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(str(resources.files("pipeline.rules")), folder)
    return folder


def test_data_a_word_in_two_classes_is_refused(tmp_path: Path) -> None:
    folder = _rules_copy(tmp_path)
    classes = json.loads((folder / "classes.json").read_text())
    classes["<ordinal>"].append("August")  # already a <month>
    (folder / "classes.json").write_text(json.dumps(classes))
    with pytest.raises(
        DataFileError, match="'August' is in <ordinal> and <month>|'august' is in <ordinal> and <month>"
    ):
        load_rules(folder)


def test_data_a_class_word_must_not_be_a_place_name(tmp_path: Path, tiny_gazetteer: Path) -> None:
    folder = _rules_copy(tmp_path)
    classes = json.loads((folder / "classes.json").read_text())
    classes["<government>"].append("kelmar")
    (folder / "classes.json").write_text(json.dumps(classes))
    with pytest.raises(DataFileError, match="'kelmar' is in <government> and in a place name of ZZ-NV"):
        Extractor.load(tiny_gazetteer, folder)
