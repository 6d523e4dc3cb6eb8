"""Many articles: find inputs, read each once, extract (here or on a cluster), write safely,
skip unchanged.

An output is `<output>/<name><ext>`, written to a new temporary file of its own beside it
and renamed, so an interrupted run leaves no half-written file. Names are the articles'
stems made safe; articles whose stems collide are told apart by their folder.
`<output>/.manifest.db` (pipeline/manifest.py) remembers what each output was made from
(article bytes, metadata, publication date, gazetteer, rules, code) and a hash of what was
written; an article is skipped on the next run only when both still hold, unless `force`
is set.

Each article is read here once, and its bytes go to where it is extracted: worker
processes with a time budget each (pipeline/pool.py), or a Dask cluster
(pipeline/cluster.py). An article that fails, fails on its own; the rest of the batch goes
on. Articles stream through: nothing is kept per article once its output is written, so
memory does not grow with the batch.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import glob
import hashlib
import os
import re
import secrets
import stat
import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path

from pipeline import Extractor
from pipeline.article import metadata_path
from pipeline.errors import OutputError, PipelineError
from pipeline.files import kind_of
from pipeline.formats import EXTENSIONS, Format
from pipeline.manifest import MANIFEST, Entry, Manifest, read_entries
from pipeline.pool import TIMEOUT, Local, cpus
from pipeline.tasks import Outcome, Runner, Task, read_task

MAX_NAME = 200  # characters of an output's name; file systems allow 255 bytes
UNSAFE = re.compile(r"[^\w.-]+")

__all__ = [
    "MANIFEST",
    "TIMEOUT",
    "Outcome",
    "cpus",
    "extract_many",
    "find_inputs",
    "run_batch",
    "write_atomic",
]


# -- inputs ---------------------------------------------------------------------------------


def _is_dir(path: Path) -> bool:
    return os.path.isdir(path)  # False, not an error, for a name too long or a link loop


def _exists(path: Path) -> bool:
    return os.path.lexists(path)


class _Owned:
    """Which files this tool wrote: their folder's manifest names them. Each folder's
    manifest is read once."""

    def __init__(self) -> None:
        self.names: dict[Path, Collection[str]] = {}

    def __call__(self, path: Path) -> bool:
        if path.parent not in self.names:
            self.names[path.parent] = read_entries(path.parent, strict=False).keys()
        return path.name in self.names[path.parent]


def find_inputs(args: Iterable[str], stdin_lines: Callable[[], Iterable[str]]) -> list[Path]:
    """Files, folders (their *.txt), glob patterns, or '-' for paths on standard input; an
    article named twice is read once. Files this tool wrote (named in a manifest beside them)
    are not articles, nor are its tables in a folder."""
    found: list[Path] = []
    _ours = _Owned()
    for arg in args:
        if arg == "-":
            found += [Path(line.strip()) for line in stdin_lines() if line.strip()]
        elif _is_dir(Path(arg)):
            found += sorted(
                p
                for p in Path(arg).glob("*.txt")
                if not p.name.endswith(EXTENSIONS[Format.table]) and not _ours(p)
            )
        elif any(c in arg for c in "*?[") and not _exists(Path(arg)):
            found += [Path(p) for p in sorted(glob.glob(arg)) if not _ours(Path(p))]
        else:
            found.append(Path(arg))
    seen: set[Path] = set()
    unique = []
    for path in found:
        if (key := path.absolute()) not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _safe(name: str) -> str:
    return UNSAFE.sub("_", name).lstrip(".") or "article"


def _short(stem: str, ext: str, key: str) -> str:
    """`stem + ext`, with a long stem cut and told apart by a hash of `key`."""
    if len(stem) + len(ext) <= MAX_NAME:
        return stem + ext
    digest = hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"{stem[: MAX_NAME - len(ext) - 9]}-{digest}{ext}"


def output_name(path: Path, fmt: Format) -> str:
    """A file name inside the output folder, whatever the article's name holds."""
    return _short(_safe(path.stem), EXTENSIONS[fmt], str(path))


def output_names(paths: list[Path], fmt: Format) -> dict[Path, str]:
    """A distinct output name per article: 'a/story.txt' and 'b/story.txt' become
    'a__story.jsonl' and 'b__story.jsonl'; a hash of the path settles what is still alike."""
    ext = EXTENSIONS[fmt]
    names = {p: output_name(p, fmt) for p in paths}
    count = Counter(names.values())
    for p in paths:
        if count[names[p]] > 1:
            names[p] = _short(f"{_safe(p.absolute().parent.name)}__{_safe(p.stem)}", ext, str(p.absolute()))
    count = Counter(names.values())
    for p in paths:
        if count[names[p]] > 1:
            digest = hashlib.sha1(str(p.absolute()).encode("utf-8", "surrogateescape")).hexdigest()[:8]
            names[p] = _short(_safe(p.stem), f"-{digest}{ext}", "")
    return names


def _real(path: Path) -> str:
    return os.path.realpath(path)  # never raises, unlike Path.resolve on a link loop


def protected(paths: Iterable[Path]) -> dict[str, str]:
    """What no output may replace: the run's articles and their metadata files."""
    out: dict[str, str] = {}
    for path in paths:
        out[_real(path)] = "an article"
        out[_real(metadata_path(path))] = "the metadata of an article"
    return out


def check_target(
    target: Path, inputs: dict[str, str], folder: bool = False, ours: Collection[str] | None = None
) -> None:
    """Refuse an output that would replace an input of the run. In an output folder
    (`folder`), also refuse to replace a text file this tool did not write (`ours`: the names
    in the folder's manifest, read when not given), or to write a `.meta.json` that would be
    read as an article's metadata."""
    what = inputs.get(_real(target))
    if what is None and folder and target.name.endswith(".meta.json"):
        if _exists(target.with_name(target.name.removesuffix(".meta.json") + ".txt")):
            what = "the metadata of an article"
    if what is None and folder and target.name.endswith(".txt") and _exists(target):
        if target.name not in (read_entries(target.parent, strict=False) if ours is None else ours):
            what = "a text file this tool did not write (an article?)"
    if what is not None:
        raise OutputError(str(target), f"would overwrite {what}; choose another --output folder")


def fingerprint(made_by: str, digest: str, published: dt.date | None) -> str:
    """What an output is made from: the article and its metadata (`digest`), the date, and
    the data and code (`made_by`)."""
    return hashlib.sha256(f"{made_by}|{digest}|{published}".encode()).hexdigest()


# -- writing --------------------------------------------------------------------------------


def write_atomic(path: Path, text: str | bytes, streams: bool = True, sync: bool = True) -> None:
    """Write `text` (or bytes: a Parquet file) to `path` safely. A regular file (or none yet)
    is replaced whole: the text goes to a temporary file created exclusively beside it, under
    an unpredictable name and without following links, then is renamed over it. A device or
    a FIFO named by the user (`streams`, e.g. /dev/stdout) is written to directly; anything
    else, and in an output folder anything but a regular file, is refused. Only files this
    call made are removed. `sync` waits until the file is on disk before it is renamed."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if streams and str(path) == "-":
        # as every record printed: a closed pipe or full disk is the CLI's to report
        if isinstance(text, str):
            sys.stdout.write(text)
        else:
            sys.stdout.buffer.write(text)
        return
    if streams and (fd := _named_stream(path)) is not None:
        _write_fd(fd, path, data)
        return
    try:
        found: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        found = None
    except NotADirectoryError as exc:
        raise OutputError(str(path), "cannot write output (a file stands where a folder is needed)") from exc
    except OSError as exc:
        raise OutputError(str(path), f"cannot write output ({exc.strerror})") from exc
    if found is not None and not stat.S_ISREG(found.st_mode):
        _write_special(path, data, found, streams, sync)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise OutputError(str(path), "cannot write output (a file stands where a folder is needed)") from exc
    except OSError as exc:
        raise OutputError(str(path), f"cannot write output ({exc.strerror})") from exc
    _replace(path, data, sync)


def _write_special(path: Path, data: bytes, found: os.stat_result, streams: bool, sync: bool) -> None:
    """A link, a device, a FIFO or a folder where an output goes."""
    if stat.S_ISDIR(found.st_mode):
        raise OutputError(str(path), "cannot write output (is a folder)")
    if not streams:
        kind = "a symbolic link" if stat.S_ISLNK(found.st_mode) else kind_of(found.st_mode)
        raise OutputError(str(path), f"is {kind}, not a regular file; remove it or choose another --output")
    try:
        final = os.stat(path)  # what the link leads to
    except OSError as exc:
        raise OutputError(str(path), f"cannot write output ({exc.strerror})") from exc
    if stat.S_ISREG(final.st_mode):  # a link to a file: replace the file, keep the link
        _replace(Path(_real(path)), data, sync)
    elif stat.S_ISCHR(final.st_mode) or stat.S_ISFIFO(final.st_mode):
        _write_stream(path, data)
    else:
        raise OutputError(str(path), f"is {kind_of(final.st_mode)}; choose a file to write to")


_FD_PATH = re.compile(r"/(?:dev|proc/self)/fd/(\d+)")


def _named_stream(path: Path) -> int | None:
    """The descriptor that /dev/stdout, /dev/stderr or /dev/fd/N names, if it is one."""
    name = str(path)
    if name == "/dev/stdout":
        return 1
    if name == "/dev/stderr":
        return 2
    match = _FD_PATH.fullmatch(name)
    return int(match.group(1)) if match else None


def _write_fd(fd: int, path: Path, data: bytes) -> None:
    """Write to an open descriptor of this process (its standard output, say) as it is."""
    for stream in (sys.stdout, sys.stderr):  # what was printed before comes first
        with contextlib.suppress(Exception):
            stream.flush()
    try:
        _write_all(fd, data)
    except OSError as exc:
        raise OutputError(str(path), f"cannot write output ({exc.strerror})") from exc


def _write_stream(path: Path, data: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OutputError(str(path), "is a FIFO that nothing reads; start its reader first") from exc
        raise OutputError(str(path), f"cannot write output ({exc.strerror})") from exc
    try:
        os.set_blocking(fd, True)
        _write_all(fd, data)
    except OSError as exc:
        raise OutputError(str(path), f"cannot write output ({exc.strerror})") from exc
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _replace(path: Path, data: bytes, sync: bool) -> None:
    """Write a new file beside `path` and rename it over `path`."""
    tmp: Path | None = None
    try:
        fd, tmp = _new_file(path)
        try:
            _write_all(fd, data)
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(str(path), f"cannot write output ({exc.strerror})") from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)  # ours: this call created it, exclusively


def _new_file(path: Path) -> tuple[int, Path]:
    """A new file beside `path`, created exclusively (O_EXCL: never one that exists, nor a
    link) under a name nobody can guess."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _ in range(100):
        tmp = path.with_name(f".{path.name[:MAX_NAME]}.{secrets.token_hex(8)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise OSError(errno.EEXIST, "no free temporary name")


# -- manifest -------------------------------------------------------------------------------


def _digest(text: str | bytes) -> str:
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


def _up_to_date(target: Path, entry: Entry | None, made_from: str) -> bool:
    if entry is None or entry.input != made_from:
        return False
    try:
        if not stat.S_ISREG(os.lstat(target).st_mode):
            return False
        return _digest(target.read_bytes()) == entry.output  # not edited or replaced since
    except OSError:
        return False


# -- extraction -----------------------------------------------------------------------------


def _read_all(paths: Iterable[Path], found: list[Outcome]) -> Iterator[Task]:
    """Each article read; one that cannot be read goes to `found` as a failed outcome."""
    for path in paths:
        try:
            yield read_task(path)
        except PipelineError as exc:
            found.append(Outcome(path, [], [], error=str(exc)))


def _with_found(outcomes: Iterator[Outcome], found: list[Outcome]) -> Iterator[Outcome]:
    """`outcomes`, with those found on the way in (skipped, unreadable) given as they come."""
    for outcome in outcomes:
        yield from found
        found.clear()
        yield outcome
    yield from found


def extract_many(
    paths: Iterable[Path],
    extractor: Extractor,
    published: dt.date | None,
    jobs: int,
    timeout: float = TIMEOUT,
    runner: Runner | None = None,
) -> Iterator[Outcome]:
    """Extract every path with its records, in at most `jobs` worker processes (never more
    than there are processors), each article within `timeout` seconds, or by `runner`.
    Articles that were read come in input order; paths are taken as they come, with only a
    few in flight: memory stays flat."""
    runner = runner or Local(jobs, timeout)
    found: list[Outcome] = []
    yield from _with_found(runner.map(extractor, _read_all(paths, found), published, None), found)


def run_batch(
    paths: list[Path],
    extractor: Extractor,
    output: Path,
    fmt: Format,
    published: dt.date | None = None,
    force: bool = False,
    jobs: int = 2,
    timeout: float = TIMEOUT,
    runner: Runner | None = None,
) -> Iterator[Outcome]:
    """Write one output per article into `output`, skipping unchanged ones; outcomes of
    skipped and refused articles come as they are found, the others as they are done.
    Extraction runs in `jobs` local processes, or where `runner` says."""
    runner = runner or Local(jobs, timeout)
    names = output_names(paths, fmt)
    inputs = protected(paths)
    made_by = extractor.fingerprint + fmt
    found: list[Outcome] = []  # skipped or refused, not yet reported
    known = read_entries(output) if os.path.isdir(output) else {}

    def todo() -> Iterator[Task]:
        for path in paths:
            target = output / names[path]
            try:
                check_target(target, inputs, folder=True, ours=known.keys())
                task = read_task(path)
            except PipelineError as exc:
                found.append(Outcome(path, [], [], error=str(exc)))
                continue
            made_from = fingerprint(made_by, task.digest, published)
            if not force and _up_to_date(target, known.get(target.name), made_from):
                found.append(Outcome(path, [], [], skipped=True))
                continue
            yield task

    with Manifest(output) as manifest:
        check_target(manifest.path, inputs)
        for outcome in _with_found(runner.map(extractor, todo(), published, fmt), found):
            if outcome.error is None and not outcome.skipped:
                made_from = fingerprint(made_by, outcome.digest or "", published)  # what was read
                outcome = _write(outcome, output / names[outcome.path], manifest, made_from)
            yield outcome


def _write(outcome: Outcome, target: Path, manifest: Manifest, made_from: str) -> Outcome:
    """Write an article's output, its manifest entry first: an entry whose output never
    came to be only makes the output again. A failure is the article's."""
    text = outcome.text or ""
    try:
        manifest.record(target.name, Entry(made_from, _digest(text), _real(outcome.path)))
        # no fsync (milliseconds each): an output the system loses in a crash no longer
        # matches its manifest's hash, and the next run makes it again
        write_atomic(target, text, streams=False, sync=False)
    except OutputError as exc:
        return Outcome(outcome.path, [], [], error=str(exc))
    return outcome
