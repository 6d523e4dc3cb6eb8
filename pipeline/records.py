"""Frozen record models, the one canonical serializer, and the JSON Schema export."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from pipeline.dates import Precision

SCHEMA_VERSION = "1"
DateSource = Literal["explicit", "weekday", "relative", "anaphoric", "entry", "section", "published", "none"]
BlockKind = str


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Place(Frozen):
    name: str
    province: str
    province_iso: str
    country: str
    geonames_id: int | None
    lat: float | None
    lon: float | None


class Evidence(Frozen):
    """Where the record comes from: offsets into the article's decoded text."""

    start: int
    end: int
    text: str
    block: BlockKind
    rule: str


class MentionRef(Frozen):
    start: int
    end: int
    text: str
    rule: str


class Record(Frozen):
    schema_version: str = SCHEMA_VERSION
    id: str
    doc_id: str
    place: Place
    status: Literal["fallen", "contested", "retaken"]
    date: str | None
    date_precision: Precision
    date_source: DateSource
    actor: str | None
    attribution: str | None
    claimed: bool
    disputed: bool
    historical: bool
    evidence: Evidence
    place_mention: MentionRef
    trigger: MentionRef | None
    date_mention: MentionRef | None


def record_id(doc_id: str, province_iso: str, status: str, historical: bool) -> str:
    """Content hash of the record's key: the same input gives the same id on every run."""
    key = f"{doc_id}|{province_iso}|{status}|{'historical' if historical else 'current'}"
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def to_jsonl(records: Iterable[Record]) -> str:
    """The canonical serialization: one JSON object per line, keys in model order."""
    return "".join(r.model_dump_json() + "\n" for r in records)


def to_json(records: Iterable[Record]) -> str:
    return json.dumps([r.model_dump(mode="json") for r in records], indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = (
    "doc_id",
    "place",
    "province",
    "province_iso",
    "status",
    "date",
    "date_precision",
    "date_source",
    "actor",
    "attribution",
    "claimed",
    "disputed",
    "historical",
    "evidence_start",
    "evidence_end",
    "evidence_text",
    "block",
    "rule",
    "lat",
    "lon",
    "id",
)


def _flat(r: Record) -> dict[str, object]:
    return {
        "doc_id": r.doc_id,
        "place": r.place.name,
        "province": r.place.province,
        "province_iso": r.place.province_iso,
        "status": r.status,
        "date": r.date or "",
        "date_precision": r.date_precision,
        "date_source": r.date_source,
        "actor": r.actor or "",
        "attribution": r.attribution or "",
        "claimed": r.claimed,
        "disputed": r.disputed,
        "historical": r.historical,
        "evidence_start": r.evidence.start,
        "evidence_end": r.evidence.end,
        "evidence_text": r.evidence.text,
        "block": r.evidence.block,
        "rule": r.evidence.rule,
        "lat": r.place.lat,
        "lon": r.place.lon,
        "id": r.id,
    }


def to_csv(records: Iterable[Record]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow(_flat(r))
    return out.getvalue()


def json_schema() -> str:
    return json.dumps(Record.model_json_schema(), indent=2, sort_keys=True) + "\n"
