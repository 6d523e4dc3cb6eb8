"""Thin command-line layer over the library.

`extract` turns articles into records; `capitals diff|timeline|schema` reviews them.
Records go to stdout or files, everything else to stderr.
Exit status: 0 fine, 1 differences found (--check, diff), 2 bad input, data or internal error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import errno
import gc
import itertools
import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pipeline import Extractor, __version__
from pipeline.batch import (
    TIMEOUT,
    Outcome,
    check_target,
    extract_many,
    find_inputs,
    output_name,
    output_names,
    protected,
    run_batch,
    write_atomic,
)
from pipeline.diff import check_fields, compare, load_records, render_json, render_markdown, render_text
from pipeline.errors import PipelineError
from pipeline.formats import (
    BINARY,
    Format,
    MissingDependency,
    format_for,
    render,
    render_bytes,
    require,
    to_table,
)
from pipeline.pool import Local
from pipeline.records import Record, json_schema, read_jsonl, to_jsonl
from pipeline.review import review as render_review
from pipeline.tasks import Runner
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

SETTINGS = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(
    add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False, context_settings=SETTINGS
)
tools = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings=SETTINGS,
    no_args_is_help=False,
    help="Review records: diff two sets, a timeline per capital, a review page, the record schema.",
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"capitals-pipeline {__version__}")
        raise typer.Exit(0)


Version = Annotated[
    bool,
    typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
]


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


def _load(gazetteer: Path | None, rules: Path | None, add: list[Path], country: str | None) -> Extractor:
    if country is not None and not (len(country) == 2 and country.isalpha()):
        raise fail(f"--country: {country!r} is not a country code; use two letters such as SY")
    try:
        return Extractor.load(gazetteer, rules, add, country.upper() if country else None)
    except PipelineError as exc:
        raise fail(str(exc)) from exc


Paths = Annotated[
    list[str],
    typer.Argument(metavar="PATH", help="Article files, folders, globs, or - for a list on stdin."),
]
Published = Annotated[
    str | None,
    typer.Option(
        metavar="DATE", help="Publication date YYYY-MM-DD (else <stem>.meta.json, else a date line)."
    ),
]
Gazetteer = Annotated[
    Path | None,
    typer.Option(
        metavar="PATH", help="Gazetteer file, or folder of <cc>.jsonl files, instead of the shipped one."
    ),
]
AddGazetteer = Annotated[
    list[Path] | None,
    typer.Option(
        "--add-gazetteer", metavar="PATH", help="A gazetteer file or folder to use beside the shipped one."
    ),
]
CountryOption = Annotated[
    str | None,
    typer.Option(
        "--country", metavar="CC", help="Read every article as about this country (ISO code, e.g. SY)."
    ),
]
Rules = Annotated[
    Path | None, typer.Option(metavar="DIR", help="Folder of rule files to use instead of the shipped ones.")
]
FormatOption = Annotated[
    Format | None,
    typer.Option("--format", help="Output format [default: from the --output file's suffix, else jsonl]."),
]
Output = Annotated[
    str | None,
    typer.Option(
        metavar="PATH",
        help="'-' for stdout; a file (one file for all articles); a folder (ends with / or exists): "
        "one file per article. Default: outputs/.",
    ),
]
Check = Annotated[bool, typer.Option(help="Compare with the outputs already written; exit 1 if they differ.")]
Force = Annotated[bool, typer.Option(help="Redo articles whose output is up to date.")]
Jobs = Annotated[
    int, typer.Option(min=1, metavar="N", help="Processes for a batch (at most one per processor).")
]
Timeout = Annotated[
    float,
    typer.Option(
        min=0.01,
        metavar="SECONDS",
        envvar="CAPITALS_TIMEOUT",
        help="Seconds an article may take before it fails.",
    ),
]
Scheduler = Annotated[
    str | None,
    typer.Option(
        metavar="ADDRESS",
        envvar="CAPITALS_SCHEDULER",
        help="Extract on the Dask cluster at this scheduler (tcp://HOST:8786); no --jobs nor --timeout.",
    ),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Report every article on stderr.")]


@app.command(help="Extract records of provincial capitals from articles.\n" + EXAMPLES)
def extract(
    paths: Paths,
    published: Published = None,
    gazetteer: Gazetteer = None,
    add_gazetteer: AddGazetteer = None,
    country: CountryOption = None,
    rules: Rules = None,
    fmt: FormatOption = None,
    output: Output = None,
    check: Check = False,
    force: Force = False,
    jobs: Jobs = 2,
    timeout: Timeout = TIMEOUT,
    scheduler: Scheduler = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
    version: Version = False,
) -> None:
    if quiet and verbose:
        raise fail("--quiet and --verbose: choose one")
    date = _published(published)
    extractor = _load(gazetteer, rules, add_gazetteer or [], country)
    inputs = find_inputs(paths, lambda: sys.stdin)
    if not inputs:
        raise fail(f"no articles found in {' '.join(paths)}")
    single = len(inputs) == 1 and not Path(paths[0]).is_dir() and paths != ["-"]
    folder_output = output not in (None, "-") and (Path(output).is_dir() or output.endswith(("/", os.sep)))
    named = format_for(output) if output not in (None, "-") and not folder_output else None
    _binary_usable(fmt or named, check, output == "-", folder_output or (output is None and not single))
    with _runner(scheduler, jobs, timeout) as runner:
        run = Run(extractor, date, jobs, quiet, verbose, timeout, runner)
        try:
            _deliver(run, inputs, output, fmt, check, force, single, folder_output)
        except PipelineError as exc:  # the cluster is gone, or a worker cannot extract
            raise fail(str(exc)) from exc


@contextlib.contextmanager
def _runner(scheduler: str | None, jobs: int, timeout: float) -> Iterator[Runner]:
    """Where articles are extracted: processes here, or the Dask cluster at `scheduler`."""
    if scheduler is None:
        yield Local(jobs, timeout)
        return
    try:
        from pipeline.cluster import connect
    except ImportError as exc:
        raise fail(
            f"--scheduler needs dask.distributed ({exc}); pip install 'capitals-pipeline[cluster]'"
        ) from exc
    try:
        cluster = connect(scheduler)
    except PipelineError as exc:
        raise fail(str(exc)) from exc
    with cluster:
        yield cluster


def _deliver(
    run: Run,
    inputs: list[Path],
    output: str | None,
    fmt: Format | None,
    check: bool,
    force: bool,
    single: bool,
    folder_output: bool,
) -> None:
    """Records where `--output` says: stdout, one file, or a file per article in a folder."""
    if output == "-":
        if check:
            raise fail("--check compares with written outputs; give --output a file or folder, not -")
        raise typer.Exit(run.to_stdout(inputs, fmt or Format.jsonl))
    if output is not None and not folder_output:
        target, fmt = Path(output), fmt or format_for(output) or Format.jsonl
        raise typer.Exit(run.check_file(inputs, target, fmt) if check else run.to_file(inputs, target, fmt))
    fmt = fmt or Format.jsonl
    if single and output is None:  # one article: its file in outputs/ and a table on stdout
        target = Path("outputs") / output_name(inputs[0], fmt)
        if check:
            raise typer.Exit(run.check_file(inputs, target, fmt))
        raise typer.Exit(run.to_file(inputs, target, fmt, table=True))
    folder = Path(output or "outputs")
    if check:
        raise typer.Exit(run.check_folder(inputs, folder, fmt))
    raise typer.Exit(run.batch(inputs, folder, fmt, force))


def _binary_usable(fmt: Format | None, check: bool, stdout: bool, folder_output: bool) -> None:
    """A binary format (parquet) is one file for a whole batch, written, never compared."""
    if fmt not in BINARY:
        return
    if stdout:
        raise fail(f"--format {fmt} is binary and is not written to stdout; give --output FILE.{fmt}")
    if folder_output:
        raise fail(
            f"--format {fmt} writes one file for a batch, not one per article; give --output FILE.{fmt}"
        )
    if check:
        raise fail(f"--check does not compare {fmt} files; check with --format jsonl")
    try:
        require(fmt)
    except MissingDependency as exc:
        raise fail(str(exc)) from exc


class Run:
    """One invocation's settings, and the ways `extract` can deliver its records."""

    def __init__(
        self,
        extractor: Extractor,
        date: dt.date | None,
        jobs: int,
        quiet: bool,
        verbose: bool,
        timeout: float = TIMEOUT,
        runner: Runner | None = None,
    ) -> None:
        self.extractor, self.date, self.jobs = extractor, date, jobs
        self.quiet, self.verbose, self.timeout = quiet, verbose, timeout
        self.runner = runner or Local(jobs, timeout)

    def outcomes(self, inputs: list[Path]) -> Iterator[Outcome]:
        """Every article's outcome in input order; errors are reported here, on stderr."""
        for outcome in extract_many(inputs, self.extractor, self.date, self.jobs, self.timeout, self.runner):
            if outcome.error:
                typer.echo(f"error: {outcome.error}", err=True)
                continue
            if not self.quiet:
                for warning in outcome.warnings:
                    typer.echo(f"warning: {warning}", err=True)
            if self.verbose:
                typer.echo(f"{outcome.path}: {len(outcome.records)} records", err=True)
            yield outcome

    def to_file(self, inputs: list[Path], target: Path, fmt: Format, table: bool = False) -> int:
        """All records in one file, in input order, written atomically; with `table`, also
        a table on stdout. An article that fails is reported and the others are written."""
        try:
            check_target(target, protected(inputs))  # never over an input, a link or a device
        except PipelineError as exc:
            typer.echo(f"error: {exc}", err=True)
            return 2
        outcomes = list(self.outcomes(inputs))
        if not outcomes:  # every article failed: nothing to write
            return 2
        records = [r for o in outcomes for r in o.records]
        try:
            write_atomic(target, render_bytes(records, fmt) if fmt in BINARY else render(records, fmt))
        except PipelineError as exc:
            typer.echo(f"error: {exc}", err=True)
            return 2
        if table:
            sys.stdout.write(to_table(records))
        if not self.quiet:
            typer.echo(f"wrote {len(records)} records to {target}", err=True)
        return 0 if len(outcomes) == len(inputs) else 2

    def to_stdout(self, inputs: list[Path], fmt: Format) -> int:
        records, done = [], 0
        for outcome in self.outcomes(inputs):
            done += 1
            if fmt is Format.jsonl:  # stream: a record per line as soon as its article is done
                sys.stdout.write(to_jsonl(outcome.records))
            records += outcome.records
        if fmt is not Format.jsonl:
            sys.stdout.write(render(records, fmt))
        return 0 if done == len(inputs) else 2

    def batch(self, inputs: list[Path], folder: Path, fmt: Format, force: bool) -> int:
        written = skipped = 0
        failures: list[str] = []
        bar = _progress(len(inputs), self.quiet)
        try:
            for outcome in run_batch(
                inputs, self.extractor, folder, fmt, self.date, force, runner=self.runner
            ):
                if outcome.error:
                    failures.append(outcome.error)
                elif outcome.skipped:
                    skipped += 1
                else:
                    written += 1
                    if not self.quiet:
                        for warning in outcome.warnings:
                            typer.echo(f"warning: {warning}", err=True)
                    if self.verbose:
                        typer.echo(f"{outcome.path}: {outcome.count} records", err=True)
                if bar:
                    bar[0].advance(bar[1])
        except PipelineError as exc:  # the folder's manifest cannot be read or written at all
            typer.echo(f"error: {exc}", err=True)
            return 2
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

    def check_folder(self, inputs: list[Path], folder: Path, fmt: Format) -> int:
        """Extract again and compare each article's output in `folder`, in any format."""
        names = output_names(inputs, fmt)
        done = differ = 0
        for outcome in self.outcomes(inputs):
            done += 1
            differ += _differs(folder / names[outcome.path], outcome.records, fmt, str(outcome.path))
        return self._checked(len(inputs), done, differ, f"{folder}/")

    def check_file(self, inputs: list[Path], target: Path, fmt: Format) -> int:
        """Extract again and compare with the one file that holds every article's records."""
        outcomes = list(self.outcomes(inputs))
        records = [r for o in outcomes for r in o.records]
        differ = _differs(target, records, fmt, f"{len(inputs)} articles")
        return self._checked(len(inputs), len(outcomes), differ, str(target))

    def _checked(self, total: int, done: int, differ: int, where: str) -> int:
        if done == total and not differ and not self.quiet:
            typer.echo(f"{total} articles match {where}", err=True)
        return 2 if done < total else 1 if differ else 0


def _differs(golden: Path, records: list[Record], fmt: Format, label: str) -> bool:
    """Print how `golden` differs from a fresh rendering of `records`; True if it does."""
    fresh = render(records, fmt)
    try:
        old_text = golden.read_text(encoding="utf-8")
    except FileNotFoundError:
        typer.echo(f"{golden}: missing ({len(records)} records expected)")
        return True
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"{golden}: cannot read ({exc})")
        return True
    if old_text == fresh:
        return False
    detail = ""
    if fmt is Format.jsonl:
        try:
            result = compare(read_jsonl(old_text, str(golden)), records, offsets=True)
            detail = render_text(result) if result else "same records, written differently\n"
        except PipelineError as exc:
            detail = f"{exc}; the file is not records written by extract\n"
    else:
        lines = difflib.unified_diff(
            old_text.splitlines(keepends=True), fresh.splitlines(keepends=True), "written", "fresh"
        )
        detail = "".join(itertools.islice(lines, DIFF_LINES))
    typer.echo(f"--- {golden}\n+++ {label}\n" + detail, nl=False)
    return True


DIFF_LINES = 200  # of a text diff shown by --check


def _progress(total: int, quiet: bool):
    """A progress bar on stderr when it is a terminal; nothing when piped."""
    if quiet or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import Progress

    progress = Progress(console=Console(stderr=True), transient=True)
    progress.start()
    return progress, progress.add_task("extracting", total=total)


@tools.callback()
def _tools(version: Version = False) -> None:
    """Review records: diff two sets, a timeline per capital, the record schema."""


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


def _fields(values: list[str] | None) -> list[str]:
    """Field names from repeated or comma-separated options."""
    return [name.strip() for value in values or [] for name in value.split(",") if name.strip()]


@tools.command()
def diff(
    old: Annotated[Path, typer.Argument(help="Records: a JSONL file or a folder of them.")],
    new: Annotated[Path, typer.Argument(help="Records to compare with OLD.")],
    fmt: Annotated[DiffFormat, typer.Option("--format", help="text, markdown or json.")] = DiffFormat.text,
    key: Annotated[
        list[str] | None,
        typer.Option(
            metavar="FIELD", help="Field(s) that match a record in OLD with one in NEW (repeat, or a,b)."
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(metavar="FIELD", help="Field, or group such as 'place', not to compare (repeat)."),
    ] = None,
    offsets: Annotated[
        bool, typer.Option(help="Also compare where each record was found (evidence, mention offsets).")
    ] = False,
) -> None:
    """Show records added, removed and changed between OLD and NEW; exit 1 when they differ.

    Records are compared on what they say (place, status, date, actors, source,
    qualifiers), not on where in the article they were found: a record that only moved
    is counted on one line, and --offsets lists it. Records are matched by article,
    capital, status and historical; two files that each hold one article are compared
    as two versions of it, even when their article ids differ.

    \b
    Examples:
      capitals diff yesterday/tracker.jsonl today/tracker.jsonl
      capitals diff before/ after/ --format markdown > comment.md
      capitals diff before/ after/ --ignore attribution --ignore source
      capitals diff before/ after/ --key doc_id,place.province_iso,status --offsets
      capitals diff before/ after/ --format json | jq '.changed[].fields'
    """
    keys, ignored = _fields(key), _fields(ignore)
    try:
        check_fields(keys, "--key")
        check_fields(ignored, "--ignore")
        result = compare(load_records(old), load_records(new), keys or None, ignored, offsets)
    except PipelineError as exc:
        raise fail(str(exc)) from exc
    if fmt is DiffFormat.markdown:
        sys.stdout.write(render_markdown(result, f"Changes in records: `{old}` → `{new}`"))
    else:
        sys.stdout.write(render_text(result) if fmt is DiffFormat.text else render_json(result))
    raise typer.Exit(1 if result else 0)


TimelineFormat = StrEnum("TimelineFormat", {name: name for name in TIMELINE_FORMATS})  # type: ignore[misc]


@tools.command()
def timeline(
    paths: Annotated[list[Path], typer.Argument(help="Record files or folders (e.g. outputs/).")],
    fmt: Annotated[TimelineFormat, typer.Option("--format", help="Output format.")] = "table",  # type: ignore[valid-type,assignment]
    output: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """One row per capital: latest status, date, outlet and article; earlier ones; disagreements (!!).

    Undated and disputed records are never the latest status where a dated, undisputed
    one exists. Sources that date a fall or a retaking on days that cannot be the same,
    and denied claims, are flagged; fighting reported on several days is not.

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
def review(
    paths: Annotated[list[Path], typer.Argument(help="Record files or folders (e.g. today/).")],
    against: Annotated[
        Path | None,
        typer.Option(
            metavar="PATH", help="Earlier records (file or folder): show what was added, removed, changed."
        ),
    ] = None,
    articles: Annotated[
        list[Path] | None,
        typer.Option(
            metavar="DIR",
            help="Folder holding the articles as <doc_id>.txt (repeat); else the outputs' manifest.",
        ),
    ] = None,
    output: Annotated[
        str, typer.Option(metavar="FILE", help="The HTML file to write, or - for stdout.")
    ] = "review.html",
) -> None:
    """Write one self-contained HTML page to review records in a browser.

    Each article's text with every record's evidence highlighted by status, a table of
    records filtered by status, country, province and date, and, with --against, what
    was added, removed and changed. The page needs no network and opens from disk.
    Articles are found through the manifest `extract` writes beside a batch's outputs,
    or as <doc_id>.txt in the --articles folders.

    \b
    Examples:
      capitals review today/ --output review.html
      capitals review today/ --against yesterday/ --output review.html
      capitals review outputs/ --articles corpus/ --output review.html
    """
    try:
        page = render_review(paths, against, articles or [])
    except PipelineError as exc:
        raise fail(str(exc)) from exc
    if output == "-":
        sys.stdout.write(page)
        return
    try:
        write_atomic(Path(output), page)
    except PipelineError as exc:
        raise fail(str(exc)) from exc
    typer.echo(f"wrote {output}", err=True)


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
    """Run a command with our exit codes: a usage error is one line and 2, Ctrl-C 130, a
    closed pipe ends quietly (`extract ... | head`), and a failing stdout is an error, not a
    traceback."""
    try:
        code = typer.main.get_command(command).main(prog_name=name, standalone_mode=False)
        sys.stdout.flush()
    except typer.TyperException as exc:  # typer's own click: bad option, value or argument
        context = getattr(exc, "ctx", None)  # usage errors know which (sub)command they are for
        where = context.command_path if context else name
        typer.echo(f"error: {exc.format_message()} (see '{where} --help')", err=True)
        code = 2
    except typer.Abort:
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


def _settle_imports() -> None:
    """What the imports made (some 85,000 containers, spaCy's mostly) lives until the process
    ends: frozen, the garbage collector never scans it again. Each full collection did, 0.05
    to 0.1 s: twice while loading the data, once more at exit. Only the console scripts do
    this, as they own their process and end it; a forked worker also leaves those pages
    shared. Not in the library, which must not change its host's collector."""
    gc.freeze()


def main() -> None:
    _settle_imports()
    _hold_closed_stdout()
    _guarded(app, "extract")


def main_tools() -> None:
    _settle_imports()
    _hold_closed_stdout()
    _guarded(tools, "capitals")


__all__ = ["app", "tools", "main", "main_tools"]
