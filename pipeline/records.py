"""Frozen record models, the one canonical serializer, and the JSON Schema export."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from pipeline.dates import Precision
from pipeline.errors import InputError

SCHEMA_VERSION = "2"
DateSource = Literal["explicit", "weekday", "relative", "anaphoric", "entry", "section", "published", "none"]
BlockKind = str


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)  # JSON has no NaN


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
    source: str | None = None  # the outlet, from the article's metadata
    published: str | None = None  # the publication date the article's dates were read against
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


def read_jsonl(text: str, where: str) -> list[Record]:
    """Parse records written by `to_jsonl`; errors name the file and line."""
    records = []
    for lineno, line in enumerate(text.split("\n"), start=1):  # not splitlines: U+2028 is text
        if not line.strip():
            continue
        try:
            records.append(Record.model_validate_json(line))
        except ValueError as exc:
            raise InputError(f"{where}:{lineno}", f"not a record ({str(exc).splitlines()[0]})") from exc
    return records


def json_schema() -> str:
    return json.dumps(Record.model_json_schema(), indent=2, sort_keys=True) + "\n"
