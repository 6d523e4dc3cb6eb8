"""A review page: one self-contained HTML file (no network, opens from disk) with each
article's text, every record's evidence highlighted by status, a table of records that
filters by status, country, province and date, and what changed since an earlier run.

Records point into their article by offsets; the article is found beside the outputs
(`<outputs>/.manifest.db` names it when `extract` wrote the folder) or in the folders
given as `articles` (`<folder>/<doc_id>.txt`). An article that cannot be found, or whose
text no longer matches the records, is shown as its evidence sentences only.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pipeline.article import read_article
from pipeline.diff import Diff, compare, load_records
from pipeline.errors import InputError, PipelineError
from pipeline.formats import qualifiers
from pipeline.manifest import read_entries
from pipeline.records import Record, read_jsonl

STATUSES = ("fallen", "contested", "retaken")


@dataclass
class Source:
    """The records of one output file and the text of the article they came from."""

    name: str
    records: list[Record]
    text: str | None = None
    note: str = ""  # why the text is not shown
    keys: list[str] = field(default_factory=list)  # a page-wide key per record


def _files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(path.glob("*.jsonl"))
        elif path.exists():
            found.append(path)
        else:
            raise InputError(str(path), "no such file or folder of records")
    return found


def _article_path(records_file: Path, doc_id: str, articles: Sequence[Path]) -> Path | None:
    for folder in articles:
        if (folder / f"{doc_id}.txt").is_file():
            return folder / f"{doc_id}.txt"
    entry = read_entries(records_file.parent, strict=False).get(records_file.name)
    return Path(entry.article) if entry is not None and Path(entry.article).is_file() else None


def _text(path: Path | None, records: list[Record]) -> tuple[str | None, str]:
    """The article's decoded text, if every record's evidence still slices it."""
    if path is None:
        return None, "article not found (pass --articles FOLDER); showing the evidence only"
    try:
        text = read_article(path).text
    except PipelineError as exc:
        return None, f"{exc}; showing the evidence only"
    if any(text[r.evidence.start : r.evidence.end] != r.evidence.text for r in records):
        return None, f"{path} has changed since these records were made; showing the evidence only"
    return text, ""


def load_sources(paths: Sequence[Path], articles: Sequence[Path] = ()) -> list[Source]:
    sources = []
    for n, file in enumerate(_files(paths)):
        try:
            records = read_jsonl(file.read_text(encoding="utf-8"), str(file))
        except OSError as exc:
            raise InputError(str(file), f"cannot read records ({exc.strerror})") from exc
        if not records:
            continue
        doc_id = records[0].doc_id
        text, note = _text(_article_path(file, doc_id, articles), records)
        keys = [f"r{n}-{i}" for i in range(len(records))]
        sources.append(Source(file.stem, records, text, note, keys))
    return sources


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _segments(
    text: str, marks: list[tuple[int, int, str, str]]
) -> list[tuple[int, int, list[tuple[str, str]]]]:
    """Cut `text` at every mark boundary: (start, end, [(kind, value)]) for each piece."""
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a < b:
            pieces.append((a, b, [(kind, value) for s, e, kind, value in marks if s <= a and b <= e]))
    return pieces


def _highlighted(source: Source) -> str:
    """The article's text with each record's evidence in a <mark> coloured by status (claims
    outlined, denied claims struck through, a title telling what it says); the place,
    trigger and date mentions are underlined or bold inside it."""
    assert source.text is not None
    by_key = dict(zip(source.keys, source.records, strict=True))
    marks: list[tuple[int, int, str, str]] = []
    for key, r in by_key.items():
        marks.append((r.evidence.start, r.evidence.end, "record", key))
        for kind, ref in (("place", r.place_mention), ("trigger", r.trigger), ("date", r.date_mention)):
            if ref is not None:
                marks.append((ref.start, ref.end, "mention", kind))
    out = []
    for a, b, on in _segments(source.text, marks):
        piece = _esc(source.text[a:b])
        records = [by_key[value] for kind, value in on if kind == "record"]
        classes = [f"m-{m}" for m in sorted({value for kind, value in on if kind == "mention"})]
        if records:
            keys = " ".join(value for kind, value in on if kind == "record")
            statuses = sorted({r.status for r in records}, key=STATUSES.index)
            tags = sorted({tag for r in records for tag in qualifiers(r) if tag in ("claimed", "denied")})
            classes = ["ev", f"st-{statuses[0]}", *(["mixed"] if len(statuses) > 1 else []), *tags, *classes]
            title = _esc(" | ".join(_says(r) for r in records))
            out.append(
                f'<mark class="{" ".join(classes)}" data-records="{keys}" title="{title}">{piece}</mark>'
            )
        elif classes:
            out.append(f'<span class="{" ".join(classes)}">{piece}</span>')
        else:
            out.append(piece)
    return "".join(out)


def _says(r: Record) -> str:
    tags = qualifiers(r)
    return f"{r.place.name}: {r.status} {r.date or 'undated'}" + (f" ({'; '.join(tags)})" if tags else "")


def _evidence_only(source: Source) -> str:
    items = [
        f'<li><mark class="ev st-{r.status}" data-records="{key}">{_esc(r.evidence.text)}</mark></li>'
        for key, r in zip(source.keys, source.records, strict=True)
    ]
    return f'<p class="note">{_esc(source.note)}</p><ul class="evidence">{"".join(items)}</ul>'


def _date_range(date: str | None) -> tuple[str, str]:
    """The first and last day a date may mean, as comparable strings ('' when undated)."""
    if not date or date.startswith("--"):
        return "", ""
    pad = {4: ("-01-01", "-12-31"), 7: ("-01", "-31")}.get(len(date), ("", ""))
    return date + pad[0], date + pad[1]


def _row(key: str, r: Record, n: int, change: str) -> str:
    lo, hi = _date_range(r.date)
    cells = [
        _esc(r.place.name),
        _esc(r.place.province),
        _esc(r.place.country),
        f'<span class="badge st-{r.status}">{r.status}</span>',
        _esc(r.date or "undated"),
        _esc("; ".join(qualifiers(r))),
        _esc(r.actor or ""),
        _esc(r.source or ""),
        f'<a href="#doc-{n}">{_esc(r.doc_id)}</a>',
        f'<a href="#doc-{n}" class="show" data-key="{key}">{_esc(_short(r.evidence.text))}</a>',
    ]
    attrs = (
        f'data-key="{key}" data-status="{r.status}" data-country="{_esc(r.place.country)}" '
        f'data-province="{_esc(r.place.province_iso)}" data-from="{lo}" data-to="{hi}" data-change="{change}"'
    )
    return f"<tr {attrs}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _options(values: dict[str, str]) -> str:
    return '<option value="">all</option>' + "".join(
        f'<option value="{_esc(v)}">{_esc(label)}</option>'
        for v, label in sorted(values.items(), key=lambda x: x[1])
    )


def _changes(diff: Diff, against: str) -> str:
    if not diff:
        moved = f" ({_esc(diff.moved_note())})" if diff.moved else ""
        return f'<section id="changes"><h2>Since {_esc(against)}</h2><p>no differences{moved}</p></section>'
    items = []
    for sign, records in (("added", diff.added), ("removed", diff.removed)):
        items += [
            f'<li class="{sign}"><b>{sign}</b> {_esc(r.doc_id)}: {_esc(r.place.name)} '
            f"({_esc(r.place.province_iso)}) {r.status} {_esc(r.date or 'undated')}</li>"
            for r in records
        ]
    for c in diff.changed:
        fields = "; ".join(f"{_esc(k)}: {_esc(o)} → {_esc(n)}" for k, (o, n) in c.fields.items())
        r = c.new
        items.append(
            f'<li class="changed"><b>changed</b> {_esc(r.doc_id)}: {_esc(r.place.name)} '
            f"({_esc(r.place.province_iso)}) {r.status}: {fields}</li>"
        )
    moved = f"<p>{_esc(diff.moved_note())}</p>" if diff.moved else ""
    return (
        f'<section id="changes"><h2>Since {_esc(against)}</h2><p class="summary">{_esc(diff.summary())}</p>'
        f"<ul>{''.join(items)}</ul>{moved}</section>"
    )


def render(sources: list[Source], before: list[Record] | None = None, against: str = "") -> str:
    """The whole page as one string: styles and script inline, nothing fetched."""
    records = [(key, r, n) for n, s in enumerate(sources) for key, r in zip(s.keys, s.records, strict=True)]
    change: dict[int, str] = {}
    changes = ""
    if before is not None:
        diff = compare(before, [r for _, r, _ in records])
        change = {id(r): "added" for r in diff.added} | {id(c.new): "changed" for c in diff.changed}
        changes = _changes(diff, against)
    rows = "".join(
        _row(key, r, n, change.get(id(r), "same" if before is not None else "")) for key, r, n in records
    )
    countries = {r.place.country: r.place.country for _, r, _ in records}
    provinces = {r.place.province_iso: f"{r.place.province} ({r.place.country})" for _, r, _ in records}
    articles = "".join(
        f'<article id="doc-{n}"><h3>{_esc(s.records[0].doc_id)}</h3>'
        f'<p class="meta">{_esc(_byline(s.records[0]))}</p>'
        + (f'<div class="text">{_highlighted(s)}</div>' if s.text is not None else _evidence_only(s))
        + "</article>"
        for n, s in enumerate(sources)
    )
    change_filter = (
        '<label>Change <select id="f-change"><option value="">all</option>'
        '<option value="added">added</option><option value="changed">changed</option>'
        '<option value="same">unchanged</option></select></label>'
        if before is not None
        else ""
    )
    statuses = "".join(
        f'<label class="badge st-{s}"><input type="checkbox" name="status" value="{s}" checked> {s}</label>'
        for s in STATUSES
    )
    summary = f"{len(records)} records from {len(sources)} article{'' if len(sources) == 1 else 's'}"
    return PAGE.format(
        summary=_esc(summary),
        changes=changes,
        statuses=statuses,
        countries=_options(countries),
        provinces=_options(provinces),
        change_filter=change_filter,
        total=len(records),
        rows=rows,
        articles=articles,
        style=_static("review.css"),
        script=_static("review.js"),
    )


def _static(name: str) -> str:
    return (resources.files("pipeline") / "static" / name).read_text(encoding="utf-8")


def _byline(r: Record) -> str:
    parts = [r.source or "", f"published {r.published}" if r.published else ""]
    return " · ".join(p for p in parts if p)


def review(paths: Sequence[Path], against: Path | None = None, articles: Sequence[Path] = ()) -> str:
    """The page for the records in `paths`, compared with those in `against`."""
    before = load_records(against) if against is not None else None
    return render(load_sources(paths, articles), before, str(against or ""))


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Review of records</title>
<style>{style}</style>
</head>
<body>
<header><h1>Review of records</h1><p class="summary">{summary}</p></header>
{changes}
<section id="records">
<h2>Records</h2>
<form id="filters">
<fieldset><legend>Status</legend>{statuses}</fieldset>
<label>Country <select id="f-country">{countries}</select></label>
<label>Province <select id="f-province">{provinces}</select></label>
<label>From <input type="date" id="f-from"></label>
<label>To <input type="date" id="f-to"></label>
{change_filter}
</form>
<p id="shown">{total} of {total} records</p>
<table id="record-table">
<thead><tr><th>place</th><th>province</th><th>country</th><th>status</th><th>date</th><th>qualifiers</th>\
<th>actor</th><th>source</th><th>article</th><th>evidence</th></tr></thead>
<tbody>{rows}</tbody>
</table>
</section>
<section id="articles"><h2>Articles</h2>{articles}</section>
<script>{script}</script>
</body>
</html>
"""
