"""Every output format parses back; records validate against the committed JSON Schema."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from pipeline import Extractor, Record
from pipeline.formats import ACLED_COLUMNS, FLAT_COLUMNS, Format, flat, render
from pipeline.records import json_schema, read_jsonl

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def records(afghan: Extractor) -> list[Record]:
    return afghan.extract_path(ROOT / "corpus" / "article.txt")


def test_formats_jsonl_round_trips(records: list[Record]) -> None:
    assert read_jsonl(render(records, Format.jsonl), "x") == records


def test_formats_json_and_schema(records: list[Record]) -> None:
    schema = json.loads(json_schema())
    for item in json.loads(render(records, Format.json)):
        jsonschema.validate(item, schema)


def test_formats_committed_schema_is_current() -> None:
    assert (ROOT / "schema" / "record.schema.json").read_text() == json_schema()


def test_formats_csv_opens_as_a_table(records: list[Record]) -> None:
    rows = list(csv.DictReader(io.StringIO(render(records, Format.csv))))
    assert len(rows) == len(records)
    assert list(rows[0]) == FLAT_COLUMNS == list(flat(records[0]))
    assert rows[0]["place"] == "Zaranj" and rows[0]["date"] == "2021-08-06"


def test_formats_geojson_is_a_feature_collection(records: list[Record]) -> None:
    collection = json.loads(render(records, Format.geojson))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(records)
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point" and 60 < lon < 75 and 29 < lat < 39
        assert feature["properties"]["province_iso"].startswith("AF-")


def test_formats_acled_columns_and_precision(records: list[Record], tiny: Extractor) -> None:
    rows = list(csv.DictReader(io.StringIO(render(records, Format.acled))))
    assert list(rows[0]) == ACLED_COLUMNS
    zaranj = rows[0]
    assert (zaranj["event_date"], zaranj["time_precision"], zaranj["sub_event_type"]) == (
        "2021-08-06",
        "1",
        "Non-state actor overtakes territory",
    )
    assert (zaranj["country"], zaranj["iso"], zaranj["admin1"]) == ("Afghanistan", "4", "Nimroz")
    undated = tiny.extract_text("Head\n\nRebels captured Kelmar on March 2.")  # no year known
    (row,) = csv.DictReader(io.StringIO(render(undated, Format.acled)))
    assert (row["event_date"], row["time_precision"]) == ("", "")


def test_formats_schema_is_draft_2020_12_with_an_id() -> None:
    schema = json.loads(json_schema())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:capitals-pipeline:record:3"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(
    ("path", "value", "valid"),
    [
        (("date",), "2021-08-06", True),
        (("date",), "2021-08", True),
        (("date",), "2021", True),
        (("date",), "--08-06", True),
        (("date",), None, True),
        (("date",), "6 Aug 2021", False),
        (("date",), "2021-13-01", False),
        (("published",), "2021-08", False),
        (("place", "lat"), 200, False),
        (("place", "lon"), -181, False),
        (("place", "province_iso"), "Nimroz", False),
        (("place", "country"), "AFG", False),
        (("evidence", "start"), -1, False),
        (("actor_inter",), 9, False),
        (("meta",), {"url": "https://news.example/x", "tags": ["a"]}, True),
    ],
)
def test_formats_schema_checks_dates_codes_and_bounds(
    records: list[Record], path: tuple[str, ...], value: object, valid: bool
) -> None:
    item = records[0].model_dump(mode="json")
    target = item
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    errors = list(jsonschema.Draft202012Validator(json.loads(json_schema())).iter_errors(item))
    assert not errors if valid else errors
