"""One row per capital over a batch of records: latest status, earlier ones, disagreements."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.formats import ACLED_COLUMNS, acled_row, csv_text, geometry, qualifiers, table_text
from pipeline.records import Record

STAGE = {"contested": 0, "retaken": 1, "fallen": 2}  # on one day, the later stage comes last
ONGOING = {"contested"}  # a state that lasts: several dates of it are no disagreement


@dataclass(frozen=True)
class Entry:
    status: str
    date: str | None
    doc_id: str  # the article
    disputed: bool
    source: str | None = None  # the outlet
    qualifiers: tuple[str, ...] = ()  # claimed, denied, date from publication

    def label(self) -> str:
        said = f"{self.source}, {self.doc_id}" if self.source else self.doc_id
        how = f" ({', '.join(self.qualifiers)})" if self.qualifiers else ""
        return f"{self.status} {self.date or 'undated'}{how} ({said})"


@dataclass(frozen=True)
class Row:
    province_iso: str
    place: str
    latest: Entry
    earlier: list[Entry]
    disagreements: list[str]
    record: Record  # the latest status's record: coordinates, province, evidence


def _entry(r: Record) -> Entry:
    return Entry(r.status, r.date, r.doc_id, r.disputed, r.source, tuple(qualifiers(r)))


def _latest_key(r: Record) -> tuple[object, ...]:
    """Undisputed before disputed, dated before undated, then by date, stage and source."""
    return (not r.disputed, r.date is not None, r.date or "", STAGE[r.status], r.published or "", r.doc_id)


def build(records: list[Record]) -> list[Row]:
    """Current (not historical) records grouped by capital."""
    by_place: dict[str, list[Record]] = {}
    for r in records:
        if not r.historical:
            by_place.setdefault(r.place.province_iso, []).append(r)
    rows = []
    for iso, group in sorted(by_place.items()):
        latest = max(group, key=_latest_key)
        earlier = sorted(
            (r for r in group if r is not latest),
            key=lambda r: (r.date is not None, r.date or "", STAGE[r.status], r.doc_id),
        )
        rows.append(
            Row(
                iso,
                latest.place.name,
                _entry(latest),
                [_entry(r) for r in earlier],
                _disagreements(group),
                latest,
            )
        )
    return rows


def compatible(a: str, b: str) -> bool:
    """Two dates that may name the same day: equal, one the month or year of the other, or
    a day without a year ('--08-06') that the other has or does not contradict."""
    if a.startswith("--") and b.startswith("--"):
        return a == b
    if a.startswith("--") or b.startswith("--"):
        month_day, full = (a, b) if a.startswith("--") else (b, a)
        return month_day[2:].startswith(full[5:])
    return a.startswith(b) or b.startswith(a)


def _disagreements(group: list[Record]) -> list[str]:
    """Sources that date one outcome (a fall, a retaking) on days that cannot be the same,
    and claims that are denied. Fighting reported on several days is ongoing, not disputed;
    an undated report disagrees with nothing."""
    dates: dict[str, dict[str, set[str]]] = {}
    for r in group:
        if r.status not in ONGOING and r.date:
            dates.setdefault(r.status, {}).setdefault(r.date, set()).add(r.doc_id)
    out = [
        f"{status}: " + "; ".join(f"{d} ({', '.join(sorted(docs))})" for d, docs in sorted(by_date.items()))
        for status, by_date in sorted(dates.items())
        if any(not compatible(a, b) for a in by_date for b in by_date)
    ]
    return out + [f"{r.status} claimed and denied ({r.doc_id})" for r in group if r.disputed]


def flat(row: Row) -> dict[str, object]:
    return {
        "province_iso": row.province_iso,
        "place": row.place,
        "province": row.record.place.province,
        "status": row.latest.status,
        "date": row.latest.date or "",
        "qualifiers": "; ".join(row.latest.qualifiers),
        "disputed": row.latest.disputed,
        "source": row.latest.source or "",
        "article": row.latest.doc_id,
        "earlier": "; ".join(e.label() for e in row.earlier),
        "disagreements": " | ".join(row.disagreements),
        "lat": row.record.place.lat,
        "lon": row.record.place.lon,
    }


def _as_dict(row: Row) -> dict[str, object]:
    return {
        "province_iso": row.province_iso,
        "place": row.place,
        "latest": vars(row.latest),
        "earlier": [vars(e) for e in row.earlier],
        "disagreements": row.disagreements,
        "record": row.record.model_dump(mode="json"),
    }


def to_jsonl(rows: list[Row]) -> str:
    return "".join(json.dumps(_as_dict(r), ensure_ascii=False) + "\n" for r in rows)


def to_json(rows: list[Row]) -> str:
    return json.dumps([_as_dict(r) for r in rows], indent=2, ensure_ascii=False) + "\n"


def to_csv(rows: list[Row]) -> str:
    columns = list(flat(rows[0])) if rows else ["province_iso"]
    return csv_text([flat(r) for r in rows], columns)


def to_geojson(rows: list[Row]) -> str:
    """A point per capital with its latest status: a map of the state of the offensive."""
    features = [{"type": "Feature", "geometry": geometry(r.record), "properties": flat(r)} for r in rows]
    return (
        json.dumps({"type": "FeatureCollection", "features": features}, indent=2, ensure_ascii=False) + "\n"
    )


def to_acled(rows: list[Row]) -> str:
    """The latest status of each capital as an ACLED-shaped row."""
    return csv_text([acled_row(r.record) for r in rows], ACLED_COLUMNS)


def to_table(rows: list[Row]) -> str:
    """A header row, then one line per capital; `!!` flags what sources disagree on."""
    lines = [("place", "province", "status", "date", "qualifiers", "source", "article", "flags")]
    for row in rows:
        lines.append(
            (
                row.place,
                row.record.place.province,
                row.latest.status,
                row.latest.date or "undated",
                "; ".join(row.latest.qualifiers) or "-",
                row.latest.source or "-",
                row.latest.doc_id,
                "!! " + " | ".join(row.disagreements) if row.disagreements else "",
            )
        )
    return table_text(lines, f"{len(rows)} capitals")


TIMELINE_FORMATS: dict[str, Callable[[list[Row]], str]] = {
    "table": to_table,
    "jsonl": to_jsonl,
    "json": to_json,
    "csv": to_csv,
    "geojson": to_geojson,
    "acled": to_acled,
}


def render_timeline(rows: list[Row], fmt: str) -> str:
    return TIMELINE_FORMATS[fmt](rows)
