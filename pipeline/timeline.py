"""One row per capital over a batch of records: latest status, earlier ones, disagreements."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from pipeline.records import Record

STAGE = {"contested": 0, "retaken": 1, "fallen": 2}  # on one day, the later stage comes last


@dataclass(frozen=True)
class Entry:
    status: str
    date: str | None
    doc_id: str


@dataclass(frozen=True)
class Row:
    province_iso: str
    place: str
    latest: Entry
    earlier: list[Entry]
    disagreements: list[str]


def build(records: list[Record]) -> list[Row]:
    """Current (not historical) records grouped by capital, oldest first."""
    by_place: dict[str, list[Record]] = {}
    for r in records:
        if not r.historical:
            by_place.setdefault(r.place.province_iso, []).append(r)
    rows = []
    for iso, group in sorted(by_place.items()):
        group.sort(key=lambda r: (r.date is None, r.date or "", STAGE[r.status], r.doc_id))
        entries = [Entry(r.status, r.date, r.doc_id) for r in group]
        rows.append(Row(iso, group[0].place.name, entries[-1], entries[:-1], _disagreements(group)))
    return rows


def _disagreements(group: list[Record]) -> list[str]:
    """Sources that give one status different dates."""
    dates: dict[str, dict[str, list[str]]] = {}
    for r in group:
        dates.setdefault(r.status, {}).setdefault(r.date or "undated", []).append(r.doc_id)
    return [
        f"{status}: " + "; ".join(f"{d} ({', '.join(docs)})" for d, docs in sorted(by_date.items()))
        for status, by_date in sorted(dates.items())
        if len(by_date) > 1
    ]


def flat(row: Row) -> dict[str, object]:
    return {
        "province_iso": row.province_iso,
        "place": row.place,
        "status": row.latest.status,
        "date": row.latest.date or "",
        "source": row.latest.doc_id,
        "earlier": "; ".join(f"{e.status} {e.date or 'undated'} ({e.doc_id})" for e in row.earlier),
        "disagreements": " | ".join(row.disagreements),
    }


def to_jsonl(rows: list[Row]) -> str:
    return "".join(json.dumps(asdict(r), ensure_ascii=False) + "\n" for r in rows)


def to_json(rows: list[Row]) -> str:
    return json.dumps([asdict(r) for r in rows], indent=2, ensure_ascii=False) + "\n"


def to_csv(rows: list[Row]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(flat(rows[0])) if rows else ["province_iso"], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(flat(r) for r in rows)
    return out.getvalue()


def to_table(rows: list[Row]) -> str:
    lines = []
    for row in rows:
        flag = "  !! " + " | ".join(row.disagreements) if row.disagreements else ""
        lines.append(
            f"{row.place:16} {row.province_iso:7} {row.latest.status:9} "
            f"{row.latest.date or 'undated':10} {row.latest.doc_id}{flag}"
        )
    return "\n".join(lines) + f"\n({len(rows)} capitals)\n"
