"""Thin command-line layer over the library: `extract FILE... [options]`."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pipeline import Extractor
from pipeline.article import read_article
from pipeline.errors import OutputError, PipelineError
from pipeline.records import Record, to_csv, to_json, to_jsonl

app = typer.Typer(add_completion=False, help="Extract provincial-capital records from articles.")


class Format(StrEnum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    table = "table"


EXTENSIONS = {
    Format.jsonl: ".jsonl",
    Format.json: ".json",
    Format.csv: ".csv",
    Format.table: ".txt",
}


def render(records: list[Record], fmt: Format) -> str:
    if fmt is Format.jsonl:
        return to_jsonl(records)
    if fmt is Format.json:
        return to_json(records)
    if fmt is Format.csv:
        return to_csv(records)
    return render_table(records)


def render_table(records: list[Record]) -> str:
    rows = [("place", "province", "status", "date", "source", "evidence")]
    for r in records:
        evidence = r.evidence.text.replace("\n", " ")
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
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines) + f"\n({len(records)} records)\n"


def write_atomic(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise OutputError(str(path), f"cannot write output ({exc.strerror})") from exc


def _published(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Article text files.")],
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD (overrides <stem>.meta.json).")
    ] = None,
    gazetteer: Annotated[Path, typer.Option(help="Gazetteer file or folder of <cc>.jsonl files.")] = Path(
        "gazetteer"
    ),
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.jsonl,
    output: Annotated[
        str | None,
        typer.Option(help="'-' for stdout, a file, or a folder. Default: outputs/<stem>.<ext>."),
    ] = None,
) -> None:
    """Extract records from FILES.

    With no options, `extract corpus/article.txt` prints a table and writes
    outputs/article.jsonl. Exit status: 0 fine, 2 bad input or data.
    """
    date = _published(published)
    try:
        extractor = Extractor.load(gazetteer)
    except PipelineError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    failed = 0
    for path in files:
        try:
            result = extractor.run(read_article(path, date))
            for warning in result.warnings:
                typer.echo(f"warning: {warning}", err=True)
            emit(result.records, path, fmt, output, many=len(files) > 1)
        except PipelineError as exc:
            typer.echo(f"error: {exc}", err=True)
            failed += 1
    if failed:
        raise typer.Exit(2)


def emit(records: list[Record], path: Path, fmt: Format, output: str | None, many: bool) -> None:
    text = render(records, fmt)
    if output == "-":
        sys.stdout.write(text)
        return
    if output is None:
        target = Path("outputs") / (path.stem + EXTENSIONS[fmt])
        sys.stdout.write(render_table(records))
    else:
        target = Path(output)
        if many or target.is_dir():
            target = target / (path.stem + EXTENSIONS[fmt])
    write_atomic(target, text)
    typer.echo(f"wrote {len(records)} records to {target}", err=True)
