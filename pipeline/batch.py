"""Many articles: find inputs, extract in worker processes, write safely, skip unchanged.

An output is `<output>/<name><ext>`, written to a new temporary file of its own beside it
and renamed, so an interrupted run leaves no half-written file. Names are the articles'
stems made safe; articles whose stems collide are told apart by their folder.
`<output>/.manifest/<name>` remembers what that output was made from (article bytes,
metadata, publication date, gazetteer, rules, code) and a hash of what was written; an
article is skipped on the next run only when both still hold, unless `force` is set.

Each article is extracted in a worker process with a time budget: an article that takes
longer, or whose worker dies, fails on its own and its worker is replaced; the rest of the
batch goes on. Articles stream through: nothing is kept per article once its output is
written, so memory does not grow with the batch.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import glob
import hashlib
import json
import multiprocessing
import os
import re
import secrets
import signal
import stat
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from pipeline import Extractor, Sources
from pipeline.article import input_digest, metadata_path, read_article, read_inputs
from pipeline.errors import OutputError, PipelineError
from pipeline.files import kind_of
from pipeline.formats import EXTENSIONS, Format, render
from pipeline.records import Record

MANIFEST = ".manifest"  # a folder: one small record per output
WARM = 200  # articles per process that may add to the vocabulary; later ones forget their new words
TIMEOUT = 120.0  # seconds per article, by default; a plain 2 MB article takes a few
MAX_NAME = 200  # characters of an output's name; file systems allow 255 bytes
UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class Outcome:
    """What happened to one article. `digest` is of the bytes the records were made from."""

    path: Path
    records: list[Record]
    warnings: list[str]
    error: str | None = None
    skipped: bool = False
    digest: str | None = None


# -- inputs ---------------------------------------------------------------------------------


def _is_dir(path: Path) -> bool:
    return os.path.isdir(path)  # False, not an error, for a name too long or a link loop


def _exists(path: Path) -> bool:
    return os.path.lexists(path)


def _ours(path: Path) -> bool:
    """A file this tool wrote: its folder's manifest names it."""
    return _exists(path.parent / MANIFEST / path.name)


def find_inputs(args: Iterable[str], stdin_lines: Callable[[], Iterable[str]]) -> list[Path]:
    """Files, folders (their *.txt), glob patterns, or '-' for paths on standard input; an
    article named twice is read once. Files this tool wrote (named in a manifest beside them)
    are not articles, nor are its tables in a folder."""
    found: list[Path] = []
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


def check_target(target: Path, inputs: dict[str, str], folder: bool = False) -> None:
    """Refuse an output that would replace an input of the run. In an output folder
    (`folder`), also refuse to replace a text file this tool did not write, or to write a
    `.meta.json` that would be read as an article's metadata."""
    what = inputs.get(_real(target))
    if what is None and folder and target.name.endswith(".meta.json"):
        if _exists(target.with_name(target.name.removesuffix(".meta.json") + ".txt")):
            what = "the metadata of an article"
    if what is None and folder and target.name.endswith(".txt") and _exists(target) and not _ours(target):
        what = "a text file this tool did not write (an article?)"
    if what is not None:
        raise OutputError(str(target), f"would overwrite {what}; choose another --output folder")


def fingerprint(made_by: str, digest: str, published: dt.date | None) -> str:
    """What an output is made from: the article and its metadata (`digest`), the date, and
    the data and code (`made_by`)."""
    return hashlib.sha256(f"{made_by}|{digest}|{published}".encode()).hexdigest()


# -- writing --------------------------------------------------------------------------------


def write_atomic(path: Path, text: str, streams: bool = True, sync: bool = True) -> None:
    """Write `text` to `path` safely. A regular file (or none yet) is replaced whole: the text
    goes to a temporary file created exclusively beside it, under an unpredictable name and
    without following links, then is renamed over it. A device or a FIFO named by the user
    (`streams`, e.g. /dev/stdout) is written to directly; anything else, and in an output
    folder anything but a regular file, is refused. Only files this call made are removed.
    `sync` waits until the file is on disk before it is renamed into place."""
    if streams and str(path) == "-":
        sys.stdout.write(text)  # as every record printed: a closed pipe or full disk is the CLI's to report
        return
    if streams and (fd := _named_stream(path)) is not None:
        _write_fd(fd, path, text.encode("utf-8"))
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
        _write_special(path, text, found, streams, sync)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise OutputError(str(path), "cannot write output (a file stands where a folder is needed)") from exc
    except OSError as exc:
        raise OutputError(str(path), f"cannot write output ({exc.strerror})") from exc
    _replace(path, text.encode("utf-8"), sync)


def _write_special(path: Path, text: str, found: os.stat_result, streams: bool, sync: bool) -> None:
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
        _replace(Path(_real(path)), text.encode("utf-8"), sync)
    elif stat.S_ISCHR(final.st_mode) or stat.S_ISFIFO(final.st_mode):
        _write_stream(path, text.encode("utf-8"))
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


def _made_from(output: Path, name: str) -> dict[str, str] | None:
    """What the output `name` was made from, and the hash of what was written; None if unknown."""
    try:
        entry = json.loads((output / MANIFEST / name).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return entry if isinstance(entry, dict) and {"input", "output"} <= set(entry) else None


def _up_to_date(target: Path, entry: dict[str, str] | None, made_from: str) -> bool:
    if entry is None or entry["input"] != made_from:
        return False
    try:
        if not stat.S_ISREG(os.lstat(target).st_mode):
            return False
        return _digest(target.read_bytes()) == entry["output"]  # not edited or replaced since
    except OSError:
        return False


# -- extraction -----------------------------------------------------------------------------


def extract_one(
    extractor: Extractor, path: Path, published: dt.date | None, forget_new_words: bool = False
) -> Outcome:
    """One article; any failure becomes the outcome's error, so a batch goes on."""
    try:
        article = read_article(path, published)
        result = extractor.run(article, forget_new_words)
    except PipelineError as exc:
        return Outcome(path, [], [], error=str(exc))
    except Exception as exc:  # a bug must not cost the rest of the batch
        return Outcome(path, [], [], error=f"{path}: internal error ({exc!r}); please report it")
    return Outcome(path, result.records, result.warnings, digest=article.digest)


def cpus() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _exit_with_parent(parent: int) -> None:
    """Exit when the parent is gone (even killed with SIGKILL)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _serve(
    conn: Connection,
    parent: int,
    extractor: Extractor | None,
    sources: Sources,
    published: dt.date | None,
) -> None:
    """A worker: extract each path it is sent and send back the outcome, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    _exit_with_parent(parent)
    if extractor is None:  # started fresh, not forked
        extractor = Extractor.load(sources.gazetteer, sources.rules, sources.add, sources.country)
    for n in range(sys.maxsize):
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        if path is None:
            return
        conn.send(extract_one(extractor, Path(path), published, forget_new_words=n >= WARM))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    task: int | None = None  # the index of the article it is extracting
    deadline: float = 0.0


@dataclass
class Pool:
    """Worker processes, each extracting one article at a time within `timeout` seconds. A
    worker that overruns is stopped and one that dies is replaced; either way the article
    fails with its own error and the others go on."""

    extractor: Extractor
    published: dt.date | None
    jobs: int
    timeout: float
    workers: list[_Worker] = field(default_factory=list)

    def _start(self) -> _Worker:
        forking = "fork" in multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if forking else "spawn")
        for stream in (sys.stdout, sys.stderr):  # a forked child must not write the parent's buffer again
            with contextlib.suppress(Exception):
                stream.flush()
        ours, theirs = context.Pipe()
        args = (
            theirs,
            os.getpid(),
            self.extractor if forking else None,
            self.extractor.sources,
            self.published,
        )
        process = context.Process(target=_serve, args=args, daemon=True)
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        self.workers.append(worker)
        return worker

    def _stop(self, worker: _Worker, kill: bool) -> None:
        self.workers.remove(worker)
        with contextlib.suppress(OSError, ValueError):
            if kill:
                worker.process.kill()
            else:
                worker.conn.send(None)
        worker.process.join(timeout=None if kill else 5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()

    def close(self) -> None:
        for worker in list(self.workers):
            self._stop(worker, kill=worker.task is not None)

    def _idle(self) -> _Worker | None:
        for worker in self.workers:
            if worker.task is None:
                return worker
        return self._start() if len(self.workers) < self.jobs else None

    def map(self, paths: Iterable[Path]) -> Iterator[Outcome]:
        """Outcomes in input order; a few articles in flight, so memory stays flat."""
        source = iter(enumerate(paths))
        order: deque[int] = deque()  # sent, not yet given back
        sent: dict[int, Path] = {}
        done: dict[int, Outcome] = {}
        exhausted = False
        held: tuple[int, Path] | None = None  # the next article, waiting for a worker
        while True:
            while not exhausted and len(order) < 4 * self.jobs:
                held = held or next(source, None)
                if held is None:
                    exhausted = True
                    break
                worker = self._idle()
                if worker is None:
                    break
                (n, path), held = held, None
                sent[n] = path
                order.append(n)
                try:
                    worker.conn.send(str(path))
                    worker.task, worker.deadline = n, time.monotonic() + self.timeout
                except OSError:  # the worker died before it was given the article
                    self._stop(worker, kill=True)
                    done[n] = self._lost(path, worker)
            while order and order[0] in done:
                n = order.popleft()
                del sent[n]
                yield done.pop(n)
            if not order:
                if exhausted:
                    return
                continue
            self._collect(sent, done)

    def _collect(self, sent: dict[int, Path], done: dict[int, Outcome]) -> None:
        """Wait for the next outcome, death or deadline among the busy workers."""
        busy = [w for w in self.workers if w.task is not None]
        if not busy:
            return
        now = time.monotonic()
        ready = wait([w.conn for w in busy], timeout=max(0.0, min(w.deadline for w in busy) - now))
        for worker in busy:
            task = worker.task
            assert task is not None
            if worker.conn in ready:
                try:
                    done[task] = worker.conn.recv()
                    worker.task = None
                except (EOFError, OSError):  # it died: it was killed, or ran out of memory
                    self._stop(worker, kill=True)
                    done[task] = self._lost(sent[task], worker)
            elif time.monotonic() >= worker.deadline:
                self._stop(worker, kill=True)
                done[task] = Outcome(
                    sent[task],
                    [],
                    [],
                    error=f"{sent[task]}: took longer than {self.timeout:g} s, the time limit per "
                    "article; split it, or raise the limit with --timeout",
                )

    @staticmethod
    def _lost(path: Path, worker: _Worker) -> Outcome:
        code = worker.process.exitcode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        return Outcome(
            path, [], [], error=f"{path}: the process extracting it stopped ({how}); the others go on"
        )


def extract_many(
    paths: Iterable[Path],
    extractor: Extractor,
    published: dt.date | None,
    jobs: int,
    timeout: float = TIMEOUT,
) -> Iterator[Outcome]:
    """Extract every path, in input order, in at most `jobs` worker processes (never more
    than there are processors), each article within `timeout` seconds. Paths are taken as
    they come, with only a few in flight: memory stays flat."""
    pool = Pool(extractor, published, max(1, min(jobs, cpus())), timeout)
    try:
        yield from pool.map(paths)
    finally:
        pool.close()


def run_batch(
    paths: list[Path],
    extractor: Extractor,
    output: Path,
    fmt: Format,
    published: dt.date | None = None,
    force: bool = False,
    jobs: int = 2,
    timeout: float = TIMEOUT,
) -> Iterator[Outcome]:
    """Write one output per article into `output`, skipping unchanged ones; outcomes of
    skipped and refused articles come as they are found, the others as they are done."""
    names = output_names(paths, fmt)
    inputs = protected(paths)
    found: list[Outcome] = []  # skipped or refused, not yet reported
    made_by = extractor.fingerprint + fmt

    def todo() -> Iterator[Path]:
        for path in paths:
            target = output / names[path]
            try:
                check_target(target, inputs, folder=True)
                made_from = fingerprint(made_by, input_digest(*read_inputs(path)), published)
            except PipelineError as exc:
                found.append(Outcome(path, [], [], error=str(exc)))
                continue
            if not force and _up_to_date(target, _made_from(output, target.name), made_from):
                found.append(Outcome(path, [], [], skipped=True))
                continue
            yield path

    for outcome in extract_many(todo(), extractor, published, jobs, timeout):
        yield from found
        found.clear()
        if outcome.error is None:
            target = output / names[outcome.path]
            text = render(outcome.records, fmt)
            made_from = fingerprint(made_by, outcome.digest or "", published)  # what was read
            manifest = output / MANIFEST / target.name
            try:
                check_target(manifest, inputs)
                # no fsync (milliseconds each): an output the system loses in a crash no
                # longer matches its manifest's hash, and the next run makes it again
                write_atomic(target, text, streams=False, sync=False)
                record = {"input": made_from, "output": _digest(text), "article": str(outcome.path.resolve())}
                write_atomic(manifest, json.dumps(record) + "\n", streams=False, sync=False)
            except OutputError as exc:
                yield Outcome(outcome.path, [], [], error=str(exc))
                continue
        yield outcome
    yield from found
