"""Every output format parses back; records validate against the committed JSON Schema."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import jsonschema
import pytest

from pipeline import Extractor, Record
from pipeline.formats import ACLED_COLUMNS, FLAT_COLUMNS, Format, flat, render
from pipeline.records import json_schema, read_jsonl

ROOT = Path(__file__).resolve().parent.parent
PUB = dt.date(2030, 3, 14)

# ACLED's columns in the order of its codebook and of its exports since the March 2023 column
# changes, checked by hand against the codebook (acledR's acled_old_dummy documents the same
# list) and ACLED's "Guide to 2023 ACLED Column Changes". Kept here, apart from the code, so
# that a change to the code's list must be checked against the codebook again.
ACLED_CODEBOOK = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]


def acled(records: list[Record]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(render(records, Format.acled))))


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
    rows = acled(records)
    assert list(rows[0]) == ACLED_CODEBOOK == ACLED_COLUMNS
    zaranj = rows[0]
    assert (zaranj["event_date"], zaranj["year"], zaranj["time_precision"]) == ("2021-08-06", "2021", "1")
    assert (zaranj["disorder_type"], zaranj["event_type"], zaranj["sub_event_type"]) == (
        "Political violence",
        "Battles",
        "Non-state actor overtakes territory",
    )
    assert (zaranj["country"], zaranj["iso"], zaranj["admin1"]) == ("Afghanistan", "4", "Nimroz")
    assert zaranj["fatalities"] == zaranj["region"] == zaranj["timestamp"] == ""  # unknown, not 0
    undated = tiny.extract_text("Head\n\nRebels captured Kelmar on March 2.")  # no year known
    (row,) = acled(undated)
    assert (row["event_date"], row["year"], row["time_precision"]) == ("", "", "")


def test_formats_acled_event_id_is_stable_and_distinct(records: list[Record]) -> None:
    ids = [row["event_id_cnty"] for row in acled(records)]
    assert len(set(ids)) == len(records)
    assert all(i.startswith("AFG") and i[3:].isdigit() for i in ids)
    assert ids == [row["event_id_cnty"] for row in acled(read_jsonl(render(records, Format.jsonl), "x"))]
    assert ids[0] == f"AFG{int(records[0].id[:12], 16)}"


def test_formats_acled_actors_come_from_the_record_never_invented(records: list[Record]) -> None:
    both = records[0].model_copy(
        update={
            "actor": "Rebel Front",
            "actor_inter": 2,
            "opponent": "Military of Zedland",
            "opponent_inter": 1,
        }
    )
    one = records[0].model_copy(update={"actor": "Rebel Front", "actor_inter": None, "opponent": None})
    none = records[0].model_copy(update={"actor": None, "actor_inter": None})
    rows = acled([both, one, none])
    assert [(r["actor1"], r["inter1"], r["actor2"], r["inter2"], r["interaction"]) for r in rows] == [
        ("Rebel Front", "2", "Military of Zedland", "1", "12"),
        ("Rebel Front", "", "", "", ""),
        ("", "", "", "", ""),
    ]


@pytest.mark.parametrize(
    ("body", "tags"),
    [
        ("Rebels captured Kelmar on March 12.", ""),
        (
            "The rebels say they have captured Kelmar. The governor denies it.",
            "claimed; denied; date from publication",
        ),
        ("A rebel spokesman claimed Kelmar had been captured on March 12.", "claimed"),
        ("Kelmar had fallen once before, in May 2015.", "historical"),
        ("Kelmar is under rebel control.", "date from publication"),
    ],
)
def test_formats_acled_tags_mark_claims_denials_and_the_past(tiny: Extractor, body: str, tags: str) -> None:
    (row,) = acled(tiny.extract_text("Headline of the day\n\n" + body, published=PUB))
    assert row["tags"] == tags
    assert row["notes"].endswith(f" [{tags}]" if tags else body.split(". ")[-1])


def test_formats_acled_source_scale_from_metadata(records: list[Record]) -> None:
    scaled = records[0].model_copy(update={"source": "Wire", "meta": {"source_scale": "International"}})
    (row,) = acled([scaled])
    assert (row["source"], row["source_scale"]) == ("Wire", "International")


def test_formats_table_names_its_columns_honestly(tiny: Extractor) -> None:
    body = "The rebels say they have captured Kelmar on March 12. The governor denies it."
    (record,) = tiny.extract_text("Headline of the day\n\n" + body, published=PUB)
    record = record.model_copy(update={"source": "Wire Service"})
    header, row = render([record], Format.table).splitlines()[:2]
    assert header.split() == [
        "place", "province", "status", "date", "dated", "by", "qualifiers", "source", "evidence"
    ]  # fmt: skip
    assert row.split()[:7] == [
        "Kelmar",
        "Northvale",
        "fallen",
        "2030-03-12",
        "explicit",
        "claimed;",
        "denied",
    ]
    assert "Wire Service" in row and "ZZ-NV" not in row


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
