"""Renderers for records: JSONL (canonical), JSON, CSV, GeoJSON, ACLED-shaped CSV, table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from enum import StrEnum

from pipeline.records import Record, to_jsonl


class Format(StrEnum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    geojson = "geojson"
    acled = "acled"
    table = "table"


EXTENSIONS: dict[Format, str] = {
    Format.jsonl: ".jsonl",
    Format.json: ".json",
    Format.csv: ".csv",
    Format.geojson: ".geojson",
    Format.acled: ".acled.csv",
    Format.table: ".table.txt",
}


def format_for(name: str) -> Format | None:
    """The format a file name's suffix asks for ('all.csv', 'x.acled.csv'); None if none does."""
    for fmt, ext in sorted(EXTENSIONS.items(), key=lambda item: -len(item[1])):
        if name.lower().endswith(ext):
            return fmt
    return None


def flat(r: Record) -> dict[str, object]:
    """One flat row per record: spreadsheet columns and GeoJSON properties."""
    return {
        "doc_id": r.doc_id,
        "source": r.source or "",
        "published": r.published or "",
        "place": r.place.name,
        "province": r.place.province,
        "province_iso": r.place.province_iso,
        "country": r.place.country,
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
        "geonames_id": r.place.geonames_id,
        "id": r.id,
        "schema_version": r.schema_version,
    }


def csv_text(rows: list[dict[str, object]], columns: Iterable[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def to_json(records: list[Record]) -> str:
    return json.dumps([r.model_dump(mode="json") for r in records], indent=2, ensure_ascii=False) + "\n"


FLAT_COLUMNS = (
    "doc_id source published place province province_iso country status date date_precision "
    "date_source actor attribution claimed disputed historical evidence_start evidence_end "
    "evidence_text block rule lat lon geonames_id id schema_version"
).split()


def to_csv(records: list[Record]) -> str:
    return csv_text([flat(r) for r in records], FLAT_COLUMNS)


def geometry(r: Record) -> dict[str, object] | None:
    """A GeoJSON point ([lon, lat]); a place without coordinates has no geometry."""
    if r.place.lat is None or r.place.lon is None:
        return None
    return {"type": "Point", "coordinates": [r.place.lon, r.place.lat]}


def to_geojson(records: list[Record]) -> str:
    """A FeatureCollection of points with the flat record as properties."""
    features = [{"type": "Feature", "geometry": geometry(r), "properties": flat(r)} for r in records]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, indent=2, ensure_ascii=False) + "\n"


# ACLED's columns; see README "ACLED-shaped CSV" for the mapping from statuses and precisions.
ACLED_COLUMNS = (
    "event_date time_precision event_type sub_event_type actor1 country iso admin1 location "
    "latitude longitude geo_precision source notes"
).split()
SUB_EVENT = {
    "fallen": "Non-state actor overtakes territory",
    "retaken": "Government regains territory",
    "contested": "Armed clash",
}
TIME_PRECISION = {"day": "1", "month": "3", "year": "3"}


def acled_row(r: Record) -> dict[str, object]:
    import pycountry  # only this format needs country names and numeric codes

    country = pycountry.countries.get(alpha_2=r.place.country)
    full_date = r.date_precision == "day" and r.date and not r.date.startswith("-")
    return {
        "event_date": r.date if full_date else "",
        "time_precision": TIME_PRECISION.get(r.date_precision, ""),
        "event_type": "Battles",
        "sub_event_type": SUB_EVENT[r.status],
        "actor1": r.actor or "",
        "country": country.name if country else r.place.country,
        "iso": int(country.numeric) if country else "",
        "admin1": r.place.province,
        "location": r.place.name,
        "latitude": r.place.lat if r.place.lat is not None else "",
        "longitude": r.place.lon if r.place.lon is not None else "",
        "geo_precision": 1 if r.place.lat is not None else "",
        "source": r.source or r.doc_id,
        "notes": f"{r.doc_id}: {r.evidence.text}" + (f" ({r.attribution})" if r.attribution else ""),
    }


def to_acled(records: list[Record]) -> str:
    return csv_text([acled_row(r) for r in records], ACLED_COLUMNS)


def to_table(records: list[Record]) -> str:
    rows = [("place", "province", "status", "date", "source", "evidence")]
    for r in records:
        evidence = r.evidence.text.replace("\n", " ").replace("\r", "")
        rows.append(
            (
                r.place.name,
                r.place.province_iso,
                r.status,
                r.date or "-",
                r.date_source,
                evidence if len(evidence) <= 60 else evidence[:57] + "...",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines) + f"\n({len(records)} records)\n"


RENDERERS: dict[Format, Callable[[list[Record]], str]] = {
    Format.jsonl: to_jsonl,
    Format.json: to_json,
    Format.csv: to_csv,
    Format.geojson: to_geojson,
    Format.acled: to_acled,
    Format.table: to_table,
}


def render(records: list[Record], fmt: Format) -> str:
    return RENDERERS[fmt](records)
