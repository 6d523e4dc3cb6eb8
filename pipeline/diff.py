"""Compare two sets of records on what they say; renderers apart.

A record says where (place), what (status), when (date), who (actor, opponent, source,
attribution) and how sure (claimed, disputed, historical). Where in the article it was
found (evidence and mention offsets, how the date was read) is provenance: an edit above a
sentence moves it without changing what any record says, so provenance is compared only on
request (`offsets=True`) and otherwise counted as "moved".
"""

from __future__ import annotations

import json
import os
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from pipeline.errors import InputError
from pipeline.files import read_capped
from pipeline.records import Record, read_jsonl

PROVENANCE = ("evidence", "place_mention", "trigger", "date_mention", "date_source")
NOT_COMPARED = ("id", "schema_version")  # derived from the key; the writer's version
DEFAULT_KEY = ("doc_id", "place.province_iso", "status", "historical")
Key = tuple[object, ...]
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
    moved: list[Change] = field(default_factory=list)  # same content, found elsewhere
    versions: bool = False  # each side one article: two versions of it

    def __bool__(self) -> bool:
        """True when the records say something different (moves aside)."""
        return bool(self.added or self.removed or self.changed)

    def articles(self) -> int:
        if self.versions:
            return 1 if self else 0
        docs = {r.doc_id for r in [*self.added, *self.removed]} | {c.new.doc_id for c in self.changed}
        return len(docs)

    def summary(self) -> str:
        n = self.articles()
        return (
            f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed "
            f"in {n} article{'' if n == 1 else 's'}"
        )

    def moved_note(self) -> str:
        n = len(self.moved)
        if not n:
            return ""
        return f"{n} record{'' if n == 1 else 's'} found elsewhere in the article (--offsets shows where)"


def _names(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Dotted field names of a model: place.province_iso, evidence.start, ..."""
    out = []
    for name, info in model.model_fields.items():
        options = typing.get_args(info.annotation) or (info.annotation,)
        inner = [a for a in options if isinstance(a, type) and issubclass(a, BaseModel)]
        out += _names(inner[0], f"{prefix}{name}.") if inner else [prefix + name]
    return out


FIELDS = _names(Record)


def check_fields(names: Iterable[str], option: str) -> None:
    """Every name is a record field, a group of them ('place') or a metadata key ('meta.url')."""
    for name in names:
        if not any(f == name or f.startswith(name + ".") for f in FIELDS) and not name.startswith("meta."):
            raise InputError(option, f"{name!r} is not a record field; use one of {', '.join(FIELDS)}")


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


def _flatten(value: object, prefix: str = "") -> dict[str, object]:
    """{"evidence": {"start": 3}} -> {"evidence.start": 3}"""
    if not isinstance(value, dict):
        return {prefix: value}
    out: dict[str, object] = {}
    for key, inner in value.items():
        out.update(_flatten(inner, f"{prefix}.{key}" if prefix else key))
    return out


def _under(name: str, groups: Iterable[str]) -> bool:
    return any(name == g or name.startswith(g + ".") for g in groups)


def _differences(old: Record, new: Record, skip: Sequence[str]) -> dict[str, tuple[object, object]]:
    """Every field that differs, in record order, except those under `skip`."""
    a, b = _flatten(old.model_dump(mode="json")), _flatten(new.model_dump(mode="json"))
    names = [*a, *(k for k in b if k not in a)]
    return {k: (a.get(k), b.get(k)) for k in names if not _under(k, skip) and a.get(k) != b.get(k)}


def _index(records: list[Record], key: Sequence[str], where: str) -> dict[Key, Record]:
    indexed: dict[Key, Record] = {}
    for r in records:
        flat = _flatten(r.model_dump(mode="json"))
        k = tuple(flat.get(name) for name in key)
        if k in indexed:
            raise InputError(
                where,
                f"two records share the key {', '.join(map(str, k))}; choose a --key that tells them apart",
            )
        indexed[k] = r
    return indexed


def compare(
    old: list[Record],
    new: list[Record],
    key: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    offsets: bool = False,
) -> Diff:
    """Records matched by `key` (default: article, province, status, historical); when each
    side holds one article and no key is given, they are two versions of it (yesterday's
    and today's tracker), whatever their ids. Fields under `ignore` are not compared, nor is
    provenance unless `offsets`: records that differ only there are `moved`."""
    versions = key is None and len({r.doc_id for r in old}) <= 1 and len({r.doc_id for r in new}) <= 1
    key = tuple(key or (DEFAULT_KEY[1:] if versions else DEFAULT_KEY))
    before, after = _index(old, key, "OLD"), _index(new, key, "NEW")
    skip = [*NOT_COMPARED, *key, *ignore, *(["doc_id"] if versions else [])]
    changed, moved = [], []
    for k, r in before.items():
        if k not in after:
            continue
        said = _differences(r, after[k], [*skip, *([] if offsets else PROVENANCE)])
        if said:
            changed.append(Change(r, after[k], said))
        elif not offsets and (where := _differences(r, after[k], skip)):
            moved.append(Change(r, after[k], where))
    return Diff(
        added=[r for k, r in after.items() if k not in before],
        removed=[r for k, r in before.items() if k not in after],
        changed=changed,
        moved=moved,
        versions=versions,
    )


def _label(r: Record) -> str:
    return f"{r.status} {r.date or 'undated'}"


def render_text(diff: Diff) -> str:
    """One line per record added or removed, a line per field changed, then the summary."""
    if not diff:
        return "no differences\n" + (f"({diff.moved_note()})\n" if diff.moved else "")
    lines = []
    for r in diff.removed:
        lines.append(f"- {r.doc_id}: {r.place.name} ({r.place.province_iso}): {_label(r)}")
    for r in diff.added:
        lines.append(f"+ {r.doc_id}: {r.place.name} ({r.place.province_iso}): {_label(r)}")
    for c in diff.changed:
        lines.append(f"~ {c.new.doc_id}: {c.new.place.name} ({c.new.place.province_iso}): {c.new.status}")
        lines += [f"    {name}: {old!r} -> {new!r}" for name, (old, new) in c.fields.items()]
    lines.append(diff.summary())
    if diff.moved:
        lines.append(diff.moved_note())
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    return ("" if value is None else str(value)).replace("|", "\\|").replace("\n", " ")


def _row(sign: str, r: Record, detail: str) -> str:
    return f"| {sign} | {_cell(r.doc_id)} | {_cell(r.place.name)} | {r.status} | {r.date or ''} | {detail} |"


def render_markdown(diff: Diff, title: str = "Changes in records") -> str:
    """A heading, the summary, then a table (for a pull request comment)."""
    if not diff:
        return "no differences\n" + (f"\n_{diff.moved_note()}_\n" if diff.moved else "")
    rows = [
        f"## {title}",
        "",
        diff.summary(),
        "",
        "| | article | place | status | date | detail |",
        "|---|---|---|---|---|---|",
    ]
    for sign, records in (("removed", diff.removed), ("added", diff.added)):
        rows += [_row(sign, r, "") for r in records]
    for c in diff.changed:
        rows.append(
            _row(
                "changed", c.new, "; ".join(f"{k}: {_cell(o)} → {_cell(n)}" for k, (o, n) in c.fields.items())
            )
        )
    if diff.moved:
        rows += ["", f"_{diff.moved_note()}_"]
    return "\n".join(rows) + "\n"


def render_json(diff: Diff) -> str:
    payload = {
        "summary": {
            "added": len(diff.added),
            "removed": len(diff.removed),
            "changed": len(diff.changed),
            "moved": len(diff.moved),
            "articles": diff.articles(),
        },
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
        "moved": [
            {"id": c.new.id, "fields": {k: {"old": o, "new": n} for k, (o, n) in c.fields.items()}}
            for c in diff.moved
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
