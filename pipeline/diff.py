"""Compare two sets of records: added, removed and changed field by field; renderers apart."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError
from pipeline.files import read_capped
from pipeline.records import Record, read_jsonl

Key = tuple[str, str, str, bool]
MAX_RECORDS_BYTES = 100_000_000  # a file of records; a day's tracker is far smaller


@dataclass(frozen=True)
class Change:
    old: Record
    new: Record
    fields: dict[str, tuple[object, object]]


@dataclass(frozen=True)
class Diff:
    added: list[Record] = field(default_factory=list)
    removed: list[Record] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def load_records(path: Path) -> list[Record]:
    """Records from a JSONL file, or from every *.jsonl file of a folder."""
    if os.path.isdir(path):  # never an error, even for a name too long
        return [r for f in sorted(path.glob("*.jsonl")) for r in load_records(f)]
    data = read_capped(path, MAX_RECORDS_BYTES, "record files")  # a regular file, read with a cap
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 (byte {exc.start}); records are written as UTF-8") from exc
    return read_jsonl(text, str(path))


def _key(r: Record, by_doc: bool) -> Key:
    return (r.doc_id if by_doc else "", r.place.province_iso, r.status, r.historical)


def _flatten(value: object, prefix: str = "") -> dict[str, object]:
    """{"evidence": {"start": 3}} -> {"evidence.start": 3}"""
    if not isinstance(value, dict):
        return {prefix: value}
    out: dict[str, object] = {}
    for key, inner in value.items():
        out.update(_flatten(inner, f"{prefix}.{key}" if prefix else key))
    return out


def _fields(old: Record, new: Record, by_doc: bool) -> dict[str, tuple[object, object]]:
    """Every field that differs, in record order; ids aside (and article ids, for versions)."""
    a, b = _flatten(old.model_dump(mode="json")), _flatten(new.model_dump(mode="json"))
    skip = {"id"} if by_doc else {"id", "doc_id"}
    names = [*a, *(k for k in b if k not in a)]
    return {k: (a.get(k), b.get(k)) for k in names if k not in skip and a.get(k) != b.get(k)}


def compare(old: list[Record], new: list[Record]) -> Diff:
    """Records keyed by (article, capital, status); when each side holds one article, they
    are two versions of it (yesterday's and today's tracker), whatever their ids."""
    by_doc = len({r.doc_id for r in old}) > 1 or len({r.doc_id for r in new}) > 1
    before = {_key(r, by_doc): r for r in old}
    after = {_key(r, by_doc): r for r in new}
    changed = [
        Change(before[k], after[k], f)
        for k in before
        if k in after and (f := _fields(before[k], after[k], by_doc))
    ]
    return Diff(
        added=[r for k, r in after.items() if k not in before],
        removed=[r for k, r in before.items() if k not in after],
        changed=changed,
    )


def _label(r: Record) -> str:
    return f"{r.status} {r.date or 'undated'}"


def render_text(diff: Diff) -> str:
    if not diff:
        return "no differences\n"
    lines = []
    for r in diff.removed:
        lines.append(f"- {r.doc_id}: {r.place.name} ({r.place.province_iso}): {_label(r)}")
    for r in diff.added:
        lines.append(f"+ {r.doc_id}: {r.place.name} ({r.place.province_iso}): {_label(r)}")
    for c in diff.changed:
        lines.append(f"~ {c.new.doc_id}: {c.new.place.name} ({c.new.place.province_iso}): {c.new.status}")
        lines += [f"    {name}: {old!r} -> {new!r}" for name, (old, new) in c.fields.items()]
    summary = f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed"
    return "\n".join(lines) + f"\n{summary}\n"


def render_markdown(diff: Diff) -> str:
    rows = ["| | document | place | status | date | detail |", "|---|---|---|---|---|---|"]
    for sign, records in (("removed", diff.removed), ("added", diff.added)):
        rows += [f"| {sign} | {r.doc_id} | {r.place.name} | {r.status} | {r.date or ''} | |" for r in records]
    for c in diff.changed:
        detail = "; ".join(f"{k}: {o} → {n}" for k, (o, n) in c.fields.items()).replace("|", "\\|")
        r = c.new
        rows.append(f"| changed | {r.doc_id} | {r.place.name} | {r.status} | {r.date or ''} | {detail} |")
    return "\n".join(rows) + "\n"


def render_json(diff: Diff) -> str:
    payload = {
        "added": [r.model_dump(mode="json") for r in diff.added],
        "removed": [r.model_dump(mode="json") for r in diff.removed],
        "changed": [
            {
                "old": c.old.model_dump(mode="json"),
                "new": c.new.model_dump(mode="json"),
                "fields": {k: {"old": o, "new": n} for k, (o, n) in c.fields.items()},
            }
            for c in diff.changed
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
