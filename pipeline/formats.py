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


def qualifiers(r: Record) -> list[str]:
    """What an analyst may want to filter out, in ACLED's `tags` style: a claim, a denied
    claim, a past event, a date that is the publication date."""
    tags = []
    if r.claimed:
        tags.append("claimed")
    if r.disputed:
        tags.append("denied")
    if r.historical:
        tags.append("historical")
    if r.date_source == "published":
        tags.append("date from publication")
    return tags


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
        "actor_inter": r.actor_inter or "",
        "opponent": r.opponent or "",
        "opponent_inter": r.opponent_inter or "",
        "attribution": r.attribution or "",
        "claimed": r.claimed,
        "disputed": r.disputed,
        "historical": r.historical,
        "qualifiers": "; ".join(qualifiers(r)),
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
        "meta": json.dumps(r.meta, ensure_ascii=False, sort_keys=True) if r.meta else "",
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
    "date_source actor actor_inter opponent opponent_inter attribution claimed disputed historical "
    "qualifiers evidence_start evidence_end evidence_text block rule lat lon geonames_id id "
    "schema_version meta"
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


# ACLED's columns in ACLED's order, as in its codebook and exports since the March 2023
# column changes (disorder_type, civilian_targeting and tags added); see README.
ACLED_COLUMNS = (
    "event_id_cnty event_date year time_precision disorder_type event_type sub_event_type "
    "actor1 assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction civilian_targeting "
    "iso region country admin1 admin2 admin3 location latitude longitude geo_precision "
    "source source_scale notes fatalities tags timestamp"
).split()
SUB_EVENT = {
    "fallen": "Non-state actor overtakes territory",
    "retaken": "Government regains territory",
    "contested": "Armed clash",
}
TIME_PRECISION = {"day": "1", "month": "3", "year": "3"}


def interaction(first: int | None, second: int | None) -> str:
    """ACLED's interaction code: the two actor types, the lower first (1 and 2 -> "12");
    empty unless both are known."""
    if first is None or second is None:
        return ""
    return f"{min(first, second)}{max(first, second)}"


def acled_row(r: Record) -> dict[str, object]:
    """One record as an ACLED row. Nothing is invented: what the record does not hold
    (fatalities, region, districts, an actor's type) is left empty."""
    import pycountry  # only this format needs country names and numeric codes

    country = pycountry.countries.get(alpha_2=r.place.country)
    full_date = r.date_precision == "day" and r.date and not r.date.startswith("-")
    year = r.date[:4] if r.date and r.date[:4].isdigit() else ""
    tags = qualifiers(r)
    notes = f"{r.doc_id}: {r.evidence.text}" + (f" ({r.attribution})" if r.attribution else "")
    scale = r.meta.get("source_scale")
    return {
        "event_id_cnty": f"{country.alpha_3 if country else r.place.country}{int(r.id[:12], 16)}",
        "event_date": r.date if full_date else "",
        "year": year,
        "time_precision": TIME_PRECISION.get(r.date_precision, "") if year else "",
        "disorder_type": "Political violence",
        "event_type": "Battles",
        "sub_event_type": SUB_EVENT[r.status],
        "actor1": r.actor or "",
        "assoc_actor_1": "",
        "inter1": r.actor_inter if r.actor and r.actor_inter else "",
        "actor2": r.opponent or "",
        "assoc_actor_2": "",
        "inter2": r.opponent_inter if r.opponent and r.opponent_inter else "",
        "interaction": interaction(r.actor_inter, r.opponent_inter) if r.actor and r.opponent else "",
        "civilian_targeting": "",
        "iso": int(country.numeric) if country else "",
        "region": "",
        "country": country.name if country else r.place.country,
        "admin1": r.place.province,
        "admin2": "",
        "admin3": "",
        "location": r.place.name,
        "latitude": r.place.lat if r.place.lat is not None else "",
        "longitude": r.place.lon if r.place.lon is not None else "",
        "geo_precision": 1 if r.place.lat is not None else "",
        "source": r.source or r.doc_id,
        "source_scale": scale if isinstance(scale, str) else "",
        "notes": notes + (f" [{'; '.join(tags)}]" if tags else ""),
        "fatalities": "",
        "tags": "; ".join(tags),
        "timestamp": "",
    }


def to_acled(records: list[Record]) -> str:
    return csv_text([acled_row(r) for r in records], ACLED_COLUMNS)


def table_text(rows: list[tuple[str, ...]], footer: str) -> str:
    """Columns padded to their widest cell, a header row first."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines) + f"\n({footer})\n"


def to_table(records: list[Record]) -> str:
    """For reading: the capital and its province, what happened when, how the date was
    found, claims and denials, and the outlet."""
    rows = [("place", "province", "status", "date", "dated by", "qualifiers", "source", "evidence")]
    for r in records:
        evidence = r.evidence.text.replace("\n", " ").replace("\r", "")
        rows.append(
            (
                r.place.name,
                r.place.province,
                r.status,
                r.date or "-",
                r.date_source,
                "; ".join(qualifiers(r)) or "-",
                r.source or "-",
                evidence if len(evidence) <= 60 else evidence[:57] + "...",
            )
        )
    return table_text(rows, f"{len(records)} records")


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
