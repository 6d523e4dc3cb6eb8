"""Thin command-line layer over the library.

`extract` turns articles into records; `capitals diff|timeline|schema` reviews them.
Records go to stdout or files, everything else to stderr.
Exit status: 0 fine, 1 differences found (--check, diff), 2 bad input, data or internal error.
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pipeline import Extractor
from pipeline.batch import extract_many, find_inputs, output_name, run_batch, write_atomic
from pipeline.diff import compare, load_records, render_json, render_markdown, render_text
from pipeline.errors import PipelineError
from pipeline.formats import EXTENSIONS, Format, render, to_table
from pipeline.records import json_schema, read_jsonl, to_jsonl
from pipeline.timeline import build, to_csv, to_json
from pipeline.timeline import to_jsonl as timeline_jsonl
from pipeline.timeline import to_table as timeline_table

EXAMPLES = """
Examples:

  extract corpus/article.txt                     table on stdout, writes outputs/article.jsonl
  extract new.txt --published 2021-08-13 --output - --format csv > new.csv
  extract corpus/                                every *.txt into outputs/, skipping unchanged
  ls feeds/*.txt | extract - --output today/     paths on standard input
  extract corpus/ --check                        exit 1 if outputs/ differs from a fresh run
"""

app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
tools = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Review records: diff, timeline, schema.",
)


def fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _published(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


def _load(gazetteer: Path) -> Extractor:
    try:
        return Extractor.load(gazetteer)
    except PipelineError as exc:
        raise fail(str(exc)) from exc


Published = Annotated[
    str | None, typer.Option(help="Publication date YYYY-MM-DD (else <stem>.meta.json, else a date line).")
]
Gazetteer = Annotated[Path, typer.Option(help="Gazetteer file, or folder of <cc>.jsonl files.")]


@app.command(help="Extract records of provincial capitals from articles.\n" + EXAMPLES)
def extract(
    paths: Annotated[
        list[str], typer.Argument(help="Article files, folders, globs, or - for a list on stdin.")
    ],
    published: Published = None,
    gazetteer: Gazetteer = Path("gazetteer"),
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.jsonl,
    output: Annotated[
        str | None, typer.Option(help="'-' for stdout, a file, or a folder. Default: outputs/.")
    ] = None,
    check: Annotated[bool, typer.Option(help="Compare with the records in the output folder.")] = False,
    force: Annotated[bool, typer.Option(help="Redo articles whose output is up to date.")] = False,
    jobs: Annotated[int, typer.Option(min=1, help="Processes for a batch.")] = 2,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Report every article.")] = False,
) -> None:
    date = _published(published)
    extractor = _load(gazetteer)
    inputs = find_inputs(paths, lambda: sys.stdin)
    if not inputs:
        raise fail(f"no articles found in {' '.join(paths)}")
    single = len(inputs) == 1 and not Path(paths[0]).is_dir() and paths != ["-"]
    if check:
        raise typer.Exit(_check(inputs, extractor, gazetteer, Path(output or "outputs"), date, jobs))
    if output == "-":
        raise typer.Exit(_to_stdout(inputs, extractor, gazetteer, fmt, date, jobs, quiet))
    if single and (output is None or not (Path(output).is_dir() or output.endswith("/"))):
        raise typer.Exit(_one(inputs[0], extractor, fmt, output, date, quiet))
    folder = Path(output or "outputs")
    raise typer.Exit(_batch(inputs, extractor, gazetteer, folder, fmt, date, force, jobs, quiet, verbose))


def _warn(warnings: list[str], quiet: bool) -> None:
    if not quiet:
        for warning in warnings:
            typer.echo(f"warning: {warning}", err=True)


def _one(path: Path, extractor: Extractor, fmt: Format, output: str | None, date, quiet: bool) -> int:
    """One article: a table on stdout and outputs/<stem>.<ext>, or the file named."""
    ((outcome),) = list(extract_many([path], extractor, Path(), date, jobs=1))
    if outcome.error:
        typer.echo(f"error: {outcome.error}", err=True)
        return 2
    _warn(outcome.warnings, quiet)
    target = Path(output) if output else Path("outputs") / output_name(path, fmt)
    try:
        write_atomic(target, render(outcome.records, fmt))
    except PipelineError as exc:
        typer.echo(f"error: {exc}", err=True)
        return 2
    if output is None:
        sys.stdout.write(to_table(outcome.records))
    if not quiet:
        typer.echo(f"wrote {len(outcome.records)} records to {target}", err=True)
    return 0


def _to_stdout(inputs, extractor, gazetteer, fmt: Format, date, jobs: int, quiet: bool) -> int:
    records, failed = [], 0
    for outcome in extract_many(inputs, extractor, gazetteer, date, jobs):
        if outcome.error:
            failed += 1
            typer.echo(f"error: {outcome.error}", err=True)
            continue
        _warn(outcome.warnings, quiet)
        if fmt is Format.jsonl:  # stream: a record per line as soon as its article is done
            sys.stdout.write(to_jsonl(outcome.records))
        records += outcome.records
    if fmt is not Format.jsonl:
        sys.stdout.write(render(records, fmt))
    return 2 if failed else 0


def _progress(total: int, quiet: bool):
    """A progress bar on a terminal, nothing when piped."""
    if quiet or not sys.stderr.isatty():
        return None
    from rich.progress import Progress

    progress = Progress(transient=True)
    progress.start()
    return progress, progress.add_task("extracting", total=total)


def _batch(inputs, extractor, gazetteer, folder: Path, fmt, date, force, jobs, quiet, verbose) -> int:
    written = skipped = 0
    failures: list[str] = []
    bar = _progress(len(inputs), quiet)
    try:
        for outcome in run_batch(inputs, extractor, gazetteer, folder, fmt, date, force, jobs):
            if outcome.error:
                failures.append(outcome.error)
            elif outcome.skipped:
                skipped += 1
            else:
                written += 1
                _warn(outcome.warnings, quiet)
                if verbose:
                    typer.echo(f"{outcome.path}: {len(outcome.records)} records", err=True)
            if bar:
                bar[0].advance(bar[1])
    finally:
        if bar:
            bar[0].stop()
    if not quiet:
        typer.echo(f"{written} written, {skipped} unchanged, {len(failures)} failed -> {folder}/", err=True)
    for failure in failures:
        typer.echo(f"failed: {failure}", err=True)
    return 2 if failures else 0


def _check(inputs, extractor, gazetteer, folder: Path, date, jobs: int) -> int:
    """Extract again and compare with the JSONL records in `folder`."""
    differ = errors = 0
    for outcome in extract_many(inputs, extractor, gazetteer, date, jobs):
        if outcome.error:
            errors += 1
            typer.echo(f"error: {outcome.error}", err=True)
            continue
        golden = folder / output_name(outcome.path, Format.jsonl)
        fresh = to_jsonl(outcome.records)
        if not golden.exists():
            differ += 1
            typer.echo(f"{golden}: missing ({len(outcome.records)} records expected)")
            continue
        old_text = golden.read_text(encoding="utf-8")
        if old_text != fresh:
            differ += 1
            diff = compare(read_jsonl(old_text, str(golden)), outcome.records)
            typer.echo(f"--- {golden}\n+++ {outcome.path}\n" + render_text(diff), nl=False)
    if not differ and not errors:
        typer.echo(f"{len(inputs)} articles match {folder}/", err=True)
    return 2 if errors else 1 if differ else 0


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


class TimelineFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


@tools.command()
def diff(
    old: Annotated[Path, typer.Argument(help="Records: a JSONL file or a folder of them.")],
    new: Annotated[Path, typer.Argument(help="Records to compare with OLD.")],
    fmt: Annotated[DiffFormat, typer.Option("--format", help="text, markdown or json.")] = DiffFormat.text,
) -> None:
    """Show records added, removed and changed between OLD and NEW; exit 1 when they differ.

    Two files are compared as two versions of one article (document ids may differ);
    two folders are compared article by article.

      capitals diff yesterday/tracker.jsonl today/tracker.jsonl --format markdown
    """
    try:
        result = compare(load_records(old), load_records(new), by_doc=old.is_dir() or new.is_dir())
    except PipelineError as exc:
        raise fail(str(exc)) from exc
    renderer = {"text": render_text, "markdown": render_markdown, "json": render_json}[fmt.value]
    sys.stdout.write(renderer(result))
    raise typer.Exit(1 if result else 0)


@tools.command()
def timeline(
    paths: Annotated[list[Path], typer.Argument(help="Record files or folders (e.g. outputs/).")],
    fmt: Annotated[TimelineFormat, typer.Option("--format")] = TimelineFormat.table,
) -> None:
    """One row per capital: latest status, date and source; earlier ones; disagreements (!!).

    capitals timeline outputs/ --format csv > timeline.csv
    """
    try:
        records = [r for p in paths for r in load_records(p)]
    except PipelineError as exc:
        raise fail(str(exc)) from exc
    rows = build(records)
    renderer = {"table": timeline_table, "csv": to_csv, "json": to_json, "jsonl": timeline_jsonl}
    sys.stdout.write(renderer[fmt.value](rows))


@tools.command()
def schema() -> None:
    """Print the JSON Schema of a record."""
    sys.stdout.write(json_schema())


@tools.command(name="extract", help="Same as the extract command.\n" + EXAMPLES)
def extract_alias(
    paths: Annotated[list[str], typer.Argument()],
    published: Published = None,
    gazetteer: Gazetteer = Path("gazetteer"),
    fmt: Annotated[Format, typer.Option("--format")] = Format.jsonl,
    output: Annotated[str | None, typer.Option()] = None,
    check: bool = False,
    force: bool = False,
    jobs: int = 2,
) -> None:
    extract(paths, published, gazetteer, fmt, output, check, force, jobs, False, False)


__all__ = ["app", "tools", "EXTENSIONS"]
