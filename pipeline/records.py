"""Frozen record models, the one canonical serializer, and the JSON Schema export."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from pipeline.dates import Precision
from pipeline.errors import InputError

SCHEMA_VERSION = "3"
SCHEMA_ID = f"urn:capitals-pipeline:record:{SCHEMA_VERSION}"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
# YYYY-MM-DD, YYYY-MM, YYYY, or --MM-DD (a day without a year); ECMA-262 and Rust regex alike
DAY = r"(0[1-9]|[12][0-9]|3[01])"
MONTH = r"(0[1-9]|1[0-2])"
DATE_PATTERN = rf"^([0-9]{{4}}(-{MONTH}(-{DAY})?)?|--{MONTH}-{DAY})$"
ISO_DATE_PATTERN = rf"^[0-9]{{4}}-{MONTH}-{DAY}$"
Offset = Annotated[int, Field(ge=0)]
InterCode = Annotated[int, Field(ge=1, le=8)]  # ACLED's actor types, 1 State forces .. 8 External/Other
Status = Literal["fallen", "contested", "retaken"]
STATUSES: frozenset[str] = frozenset(get_args(Status))  # "held" and "sequel" triggers are not statuses
DateSource = Literal["explicit", "weekday", "relative", "anaphoric", "entry", "section", "published", "none"]
BlockKind = str


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)  # JSON has no NaN


class Place(Frozen):
    name: str
    province: str
    province_iso: str = Field(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
    country: str = Field(pattern=r"^[A-Z]{2}$")
    geonames_id: int | None
    lat: float | None = Field(ge=-90, le=90)
    lon: float | None = Field(ge=-180, le=180)


class Evidence(Frozen):
    """Where the record comes from: offsets into the article's decoded text."""

    start: Offset
    end: Offset
    text: str
    block: BlockKind
    rule: str


class MentionRef(Frozen):
    start: Offset
    end: Offset
    text: str
    rule: str


class Record(Frozen):
    schema_version: str = SCHEMA_VERSION
    id: str = Field(pattern=r"^[0-9a-f]{16}$")
    doc_id: str
    source: str | None = None  # the outlet, from the article's metadata
    # the publication date the article's dates were read against
    published: str | None = Field(default=None, pattern=ISO_DATE_PATTERN)
    place: Place
    status: Status
    date: str | None = Field(pattern=DATE_PATTERN)
    date_precision: Precision
    date_source: DateSource
    actor: str | None
    actor_inter: InterCode | None = None  # ACLED's actor type of `actor`
    opponent: str | None = None  # the other side: the government that lost the city, ...
    opponent_inter: InterCode | None = None
    attribution: str | None
    claimed: bool
    disputed: bool
    historical: bool
    evidence: Evidence
    place_mention: MentionRef
    trigger: MentionRef | None
    date_mention: MentionRef | None
    meta: dict[str, JsonValue] = {}  # keys of the article's metadata file other than its own fields


def record_id(doc_id: str, province_iso: str, status: str, historical: bool, episode: int = 0) -> str:
    """Content hash of the record's key: the same input gives the same id on every run. A
    city's second and later episodes (taken again after a retake) add their number."""
    key = f"{doc_id}|{province_iso}|{status}|{'historical' if historical else 'current'}"
    if episode:
        key += f"|{episode}"
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
    """JSON Schema draft 2020-12 of a record, with its dialect and id."""
    schema = {"$schema": DRAFT, "$id": SCHEMA_ID, **Record.model_json_schema()}
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
