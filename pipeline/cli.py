"""Thin command-line layer over the library.

`extract` turns articles into records; `capitals diff|timeline|schema` reviews them.
Records go to stdout or files, everything else to stderr.
Exit status: 0 fine, 1 differences found (--check, diff), 2 bad input, data or internal error.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import click
import typer

from pipeline import Extractor
from pipeline.batch import (
    TIMEOUT,
    check_target,
    extract_many,
    find_inputs,
    output_name,
    output_names,
    protected,
    run_batch,
    write_atomic,
)
from pipeline.diff import compare, load_records, render_json, render_markdown, render_text
from pipeline.errors import PipelineError
from pipeline.formats import Format, render, to_table
from pipeline.records import json_schema, read_jsonl, to_jsonl
from pipeline.timeline import TIMELINE_FORMATS, build, render_timeline

# "\b" keeps click from re-wrapping the lines of a paragraph
EXAMPLES = """
\b
Examples:
  extract corpus/article.txt                   table on stdout, writes outputs/article.jsonl
  extract new.txt --published 2021-08-13 --output - --format csv > new.csv
  extract corpus/                              every *.txt into outputs/, skipping unchanged
  ls feeds/*.txt | extract - --output today/   paths on standard input
  extract corpus/ --check                      exit 1 if outputs/ differs from a fresh run
"""

app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
tools = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Review records: diff two sets, a timeline per capital, the record schema.",
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
        raise fail(f"--published: {value!r} is not a date; use YYYY-MM-DD") from None


def _load(gazetteer: Path, rules: Path | None) -> Extractor:
    try:
        return Extractor.load(gazetteer, rules)
    except PipelineError as exc:
        raise fail(str(exc)) from exc


Paths = Annotated[list[str], typer.Argument(help="Article files, folders, globs, or - for a list on stdin.")]
Published = Annotated[
    str | None, typer.Option(help="Publication date YYYY-MM-DD (else <stem>.meta.json, else a date line).")
]
Gazetteer = Annotated[Path, typer.Option(help="Gazetteer file, or folder of <cc>.jsonl files.")]
Rules = Annotated[Path | None, typer.Option(help="Folder of rule files to use instead of the shipped ones.")]
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
Output = Annotated[str | None, typer.Option(help="'-' for stdout, a file, or a folder. Default: outputs/.")]
Check = Annotated[
    bool, typer.Option(help="Compare with the records in the output folder; exit 1 if they differ.")
]
Force = Annotated[bool, typer.Option(help="Redo articles whose output is up to date.")]
Jobs = Annotated[int, typer.Option(min=1, help="Processes for a batch (at most one per processor).")]
Timeout = Annotated[
    float,
    typer.Option(min=0.01, envvar="CAPITALS_TIMEOUT", help="Seconds an article may take before it fails."),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Report every article on stderr.")]


@app.command(help="Extract records of provincial capitals from articles.\n" + EXAMPLES)
def extract(
    paths: Paths,
    published: Published = None,
    gazetteer: Gazetteer = Path("gazetteer"),
    rules: Rules = None,
    fmt: FormatOption = Format.jsonl,
    output: Output = None,
    check: Check = False,
    force: Force = False,
    jobs: Jobs = 2,
    timeout: Timeout = TIMEOUT,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    if quiet and verbose:
        raise fail("--quiet and --verbose: choose one")
    date = _published(published)
    extractor = _load(gazetteer, rules)
    inputs = find_inputs(paths, lambda: sys.stdin)
    if not inputs:
        raise fail(f"no articles found in {' '.join(paths)}")
    run = Run(extractor, gazetteer, rules, date, jobs, quiet, verbose, timeout)
    if check:
        raise typer.Exit(run.check(inputs, Path(output or "outputs")))
    if output == "-":
        raise typer.Exit(run.to_stdout(inputs, fmt))
    single = len(inputs) == 1 and not Path(paths[0]).is_dir() and paths != ["-"]
    if single and (output is None or not (Path(output).is_dir() or output.endswith(("/", os.sep)))):
        raise typer.Exit(run.one(inputs[0], fmt, output))
    raise typer.Exit(run.batch(inputs, Path(output or "outputs"), fmt, force))


class Run:
    """One invocation's settings, and the ways `extract` can deliver its records."""

    def __init__(
        self,
        extractor: Extractor,
        gazetteer: Path,
        rules: Path | None,
        date: dt.date | None,
        jobs: int,
        quiet: bool,
        verbose: bool,
        timeout: float = TIMEOUT,
    ) -> None:
        self.extractor, self.gazetteer, self.rules, self.date = extractor, gazetteer, rules, date
        self.jobs, self.quiet, self.verbose, self.timeout = jobs, quiet, verbose, timeout

    def outcomes(self, inputs: list[Path], jobs: int | None = None):
        jobs = jobs or self.jobs
        return extract_many(inputs, self.extractor, self.gazetteer, self.date, jobs, self.rules, self.timeout)

    def report(self, path: Path, records: int, warnings: list[str]) -> None:
        if self.quiet:
            return
        for warning in warnings:
            typer.echo(f"warning: {warning}", err=True)
        if self.verbose:
            typer.echo(f"{path}: {records} records", err=True)

    def one(self, path: Path, fmt: Format, output: str | None) -> int:
        """One article: a table on stdout and outputs/<stem>.<ext>, or the file named."""
        ((outcome),) = list(self.outcomes([path], jobs=1))
        if outcome.error:
            typer.echo(f"error: {outcome.error}", err=True)
            return 2
        self.report(path, len(outcome.records), outcome.warnings)
        target = Path(output) if output else Path("outputs") / output_name(path, fmt)
        try:
            check_target(target, protected([path]))
            write_atomic(target, render(outcome.records, fmt))
        except PipelineError as exc:
            typer.echo(f"error: {exc}", err=True)
            return 2
        if output is None:
            sys.stdout.write(to_table(outcome.records))
        if not self.quiet:
            typer.echo(f"wrote {len(outcome.records)} records to {target}", err=True)
        return 0

    def to_stdout(self, inputs: list[Path], fmt: Format) -> int:
        records, failed = [], 0
        for outcome in self.outcomes(inputs):
            if outcome.error:
                failed += 1
                typer.echo(f"error: {outcome.error}", err=True)
                continue
            self.report(outcome.path, len(outcome.records), outcome.warnings)
            if fmt is Format.jsonl:  # stream: a record per line as soon as its article is done
                sys.stdout.write(to_jsonl(outcome.records))
            records += outcome.records
        if fmt is not Format.jsonl:
            sys.stdout.write(render(records, fmt))
        return 2 if failed else 0

    def batch(self, inputs: list[Path], folder: Path, fmt: Format, force: bool) -> int:
        written = skipped = 0
        failures: list[str] = []
        bar = _progress(len(inputs), self.quiet)
        try:
            batch = run_batch(
                inputs,
                self.extractor,
                self.gazetteer,
                folder,
                fmt,
                self.date,
                force,
                self.jobs,
                self.rules,
                self.timeout,
            )
            for outcome in batch:
                if outcome.error:
                    failures.append(outcome.error)
                elif outcome.skipped:
                    skipped += 1
                else:
                    written += 1
                    self.report(outcome.path, len(outcome.records), outcome.warnings)
                if bar:
                    bar[0].advance(bar[1])
        finally:
            if bar:
                bar[0].stop()
        if not self.quiet:
            typer.echo(
                f"{written} written, {skipped} unchanged, {len(failures)} failed -> {folder}/", err=True
            )
        for failure in failures:
            typer.echo(f"failed: {failure}", err=True)
        return 2 if failures else 0

    def check(self, inputs: list[Path], folder: Path) -> int:
        """Extract again and compare with the JSONL records in `folder`."""
        differ = errors = 0
        names = output_names(inputs, Format.jsonl)
        for outcome in self.outcomes(inputs):
            if outcome.error:
                errors += 1
                typer.echo(f"error: {outcome.error}", err=True)
                continue
            golden = folder / names[outcome.path]
            fresh = to_jsonl(outcome.records)
            if not golden.exists():
                differ += 1
                typer.echo(f"{golden}: missing ({len(outcome.records)} records expected)")
                continue
            old_text = golden.read_text(encoding="utf-8")
            if old_text != fresh:
                differ += 1
                try:
                    result = compare(read_jsonl(old_text, str(golden)), outcome.records)
                except PipelineError as exc:
                    typer.echo(f"{exc}; the golden file is not records written by extract")
                    continue
                detail = render_text(result) if result else "same records, written differently\n"
                typer.echo(f"--- {golden}\n+++ {outcome.path}\n" + detail, nl=False)
        if not differ and not errors and not self.quiet:
            typer.echo(f"{len(inputs)} articles match {folder}/", err=True)
        return 2 if errors else 1 if differ else 0


def _progress(total: int, quiet: bool):
    """A progress bar on stderr when it is a terminal; nothing when piped."""
    if quiet or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import Progress

    progress = Progress(console=Console(stderr=True), transient=True)
    progress.start()
    return progress, progress.add_task("extracting", total=total)


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@tools.command()
def diff(
    old: Annotated[Path, typer.Argument(help="Records: a JSONL file or a folder of them.")],
    new: Annotated[Path, typer.Argument(help="Records to compare with OLD.")],
    fmt: Annotated[DiffFormat, typer.Option("--format", help="text, markdown or json.")] = DiffFormat.text,
) -> None:
    """Show records added, removed and changed between OLD and NEW; exit 1 when they differ.

    Records are matched by article, capital and status. Two files that each hold one
    article are compared as two versions of it, even when their article ids differ.

    \b
    Examples:
      capitals diff yesterday/tracker.jsonl today/tracker.jsonl
      capitals diff before/ after/ --format markdown > comment.md
      capitals diff before/ after/ --format json | jq '.changed[].fields'
    """
    try:
        result = compare(load_records(old), load_records(new))
    except PipelineError as exc:
        raise fail(str(exc)) from exc
    renderer = {"text": render_text, "markdown": render_markdown, "json": render_json}[fmt.value]
    sys.stdout.write(renderer(result))
    raise typer.Exit(1 if result else 0)


TimelineFormat = StrEnum("TimelineFormat", {name: name for name in TIMELINE_FORMATS})  # type: ignore[misc]


@tools.command()
def timeline(
    paths: Annotated[list[Path], typer.Argument(help="Record files or folders (e.g. outputs/).")],
    fmt: Annotated[TimelineFormat, typer.Option("--format", help="Output format.")] = "table",  # type: ignore[valid-type,assignment]
    output: Annotated[Path | None, typer.Option(help="Write to this file instead of stdout.")] = None,
) -> None:
    """One row per capital: latest status, date and source; earlier ones; disagreements (!!).

    Undated and disputed records are never the latest status where a dated, undisputed
    one exists; sources that give one status different dates, and denied claims, are
    flagged.

    \b
    Examples:
      capitals timeline outputs/
      capitals timeline outputs/ --format csv --output timeline.csv
      capitals timeline outputs/ --format geojson --output timeline.geojson
    """
    try:
        records = [r for p in paths for r in load_records(p)]
    except PipelineError as exc:
        raise fail(str(exc)) from exc
    text = render_timeline(build(records), str(fmt))
    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_atomic(output, text)
    except PipelineError as exc:
        raise fail(str(exc)) from exc


@tools.command()
def schema() -> None:
    """Print the JSON Schema of a record.

    \b
    Example:
      capitals schema > record.schema.json
    """
    sys.stdout.write(json_schema())


tools.command(name="extract", help="Same as the extract command.\n" + EXAMPLES)(extract)


def _guarded(command: typer.Typer, name: str) -> None:
    """Run a command with our exit codes: a usage error is 2, Ctrl-C 130, a closed pipe ends
    quietly (`extract ... | head`), and a failing stdout is an error, not a traceback."""
    try:
        code = typer.main.get_command(command).main(prog_name=name, standalone_mode=False)
        sys.stdout.flush()
    except click.ClickException as exc:
        exc.show()
        code = 2
    except click.exceptions.Abort:
        typer.echo("interrupted", err=True)
        code = 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EBADF):
            raise
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        typer.echo(f"error: cannot write output ({exc.strerror})", err=True)
        code = 2
    sys.exit(code if isinstance(code, int) else 0)


def _hold_closed_stdout() -> None:
    """Started with standard output closed (`>&-`): keep descriptor 1 taken, so that no file
    this run opens lands there, and let writes to it fail as they should (EBADF)."""
    if sys.stdout is None:
        fd = os.open(os.devnull, os.O_RDONLY)
        if fd == 1:
            sys.stdout = open(1, "w", closefd=False)  # lives as long as the process
        else:
            os.close(fd)


def main() -> None:
    _hold_closed_stdout()
    _guarded(app, "extract")


def main_tools() -> None:
    _hold_closed_stdout()
    _guarded(tools, "capitals")


__all__ = ["app", "tools", "main", "main_tools"]
