"""Many articles: find inputs, extract in a process pool, write atomically, skip unchanged.

An output is `<output>/<name><ext>`, written to a temporary file and renamed, so an
interrupted run leaves no half-written file. Names are the articles' stems made safe;
articles whose stems collide are told apart by their folder. `<output>/.manifest/<name>`
remembers what that output was made from (article bytes, metadata, publication date,
gazetteer, rules, code) and a hash of what was written; an article is skipped on the next
run only when both still hold, unless `force` is set. Articles stream through: nothing
is kept per article once its output is written, so memory does not grow with the batch.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import hashlib
import itertools
import json
import os
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline import Extractor, Sources
from pipeline.article import read_article
from pipeline.errors import InputError, OutputError, PipelineError
from pipeline.formats import EXTENSIONS, Format, render
from pipeline.records import Record

MANIFEST = ".manifest"  # a folder: one small record per output
CHUNK = 8  # articles sent to a worker at once
WARM = 200  # articles per process that may add to the vocabulary; later ones forget their new words
UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class Outcome:
    """What happened to one article."""

    path: Path
    records: list[Record]
    warnings: list[str]
    error: str | None = None
    skipped: bool = False


def find_inputs(args: Iterable[str], stdin_lines: Callable[[], Iterable[str]]) -> list[Path]:
    """Files, folders (their *.txt), glob patterns, or '-' for paths on standard input; an
    article named twice is read once."""
    found: list[Path] = []
    for arg in args:
        if arg == "-":
            found += [Path(line.strip()) for line in stdin_lines() if line.strip()]
        elif Path(arg).is_dir():  # its articles, not tables this tool wrote there
            found += sorted(
                p for p in Path(arg).glob("*.txt") if not p.name.endswith(EXTENSIONS[Format.table])
            )
        elif any(c in arg for c in "*?[") and not Path(arg).exists():
            found += [Path(p) for p in sorted(glob.glob(arg))]
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


def output_name(path: Path, fmt: Format) -> str:
    """A file name inside the output folder, whatever the article's name holds."""
    return _safe(path.stem) + EXTENSIONS[fmt]


def output_names(paths: list[Path], fmt: Format) -> dict[Path, str]:
    """A distinct output name per article: 'a/story.txt' and 'b/story.txt' become
    'a__story.jsonl' and 'b__story.jsonl'; a hash of the path settles what is still alike."""
    names = {p: output_name(p, fmt) for p in paths}
    count = Counter(names.values())
    for p in paths:
        if count[names[p]] > 1:
            names[p] = f"{_safe(p.absolute().parent.name)}__{names[p]}"
    count = Counter(names.values())
    for p in paths:
        if count[names[p]] > 1:
            digest = hashlib.sha1(str(p.absolute()).encode()).hexdigest()[:8]
            names[p] = f"{_safe(p.stem)}-{digest}{EXTENSIONS[fmt]}"
    return names


def fingerprint(path: Path, published: dt.date | None, data: str) -> str:
    """What an output is made from: the article, its metadata, the date, data and code."""
    digest = hashlib.sha256(data.encode())
    try:
        digest.update(path.read_bytes())
        meta = path.with_name(path.stem + ".meta.json")
        if meta.exists():
            digest.update(meta.read_bytes())
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror})") from exc
    digest.update(str(published).encode())
    return digest.hexdigest()


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except (FileExistsError, NotADirectoryError) as exc:
        raise OutputError(str(path), "cannot write output (a file stands where a folder is needed)") from exc
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise OutputError(str(path), f"cannot write output ({exc.strerror})") from exc


def _digest(text: str | bytes) -> str:
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


def _made_from(output: Path, name: str) -> dict[str, str] | None:
    """What the output `name` was made from, and the hash of what was written; None if unknown."""
    try:
        entry = json.loads((output / MANIFEST / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) and {"input", "output"} <= set(entry) else None


def _up_to_date(target: Path, entry: dict[str, str] | None, made_from: str) -> bool:
    if entry is None or entry["input"] != made_from:
        return False
    try:
        return _digest(target.read_bytes()) == entry["output"]  # not edited or replaced since
    except OSError:
        return False


@lru_cache(maxsize=2)
def _worker_extractor(sources: Sources) -> Extractor:
    """One Extractor per worker process, built on its first article."""
    return Extractor.load(sources.gazetteer, sources.rules, sources.add, sources.country)


def _exit_with_parent() -> None:
    """Worker initializer: exit when the parent is gone (even killed with SIGKILL)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def extract_one(
    extractor: Extractor, path: Path, published: dt.date | None, forget_new_words: bool = False
) -> Outcome:
    """One article; any failure becomes the outcome's error, so a batch goes on."""
    try:
        result = extractor.run(read_article(path, published), forget_new_words)
    except PipelineError as exc:
        return Outcome(path, [], [], error=str(exc))
    except Exception as exc:  # a bug must not cost the rest of the batch
        return Outcome(path, [], [], error=f"{path}: internal error ({exc!r}); please report it")
    return Outcome(path, result.records, result.warnings)


def _extract_chunk(
    paths: list[str], sources: Sources, published: dt.date | None, forget: bool
) -> list[Outcome]:
    extractor = _worker_extractor(sources)
    return [extract_one(extractor, Path(path), published, forget) for path in paths]


def _chunks(paths: Iterable[Path], size: int) -> Iterator[list[Path]]:
    chunk: list[Path] = []
    for path in paths:
        chunk.append(path)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_many(
    paths: Iterable[Path],
    extractor: Extractor,
    published: dt.date | None,
    jobs: int,
) -> Iterator[Outcome]:
    """Extract every path, in input order, with `jobs` processes (1: in this process).
    Paths are taken as they come, with only a few chunks in flight: memory stays flat."""
    chunks = _chunks(paths, CHUNK)
    first = next(chunks, [])
    if jobs <= 1 or len(first) < CHUNK:  # one process, or too few articles to share
        for n, path in enumerate(itertools.chain(first, *chunks)):
            yield extract_one(extractor, path, published, forget_new_words=n >= WARM)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_exit_with_parent) as pool:
        running: deque[Future[list[Outcome]]] = deque()
        for n, chunk in enumerate(itertools.chain([first], chunks)):
            forget = n * CHUNK >= WARM * jobs
            work = [str(p) for p in chunk]
            running.append(pool.submit(_extract_chunk, work, extractor.sources, published, forget))
            if len(running) >= 4 * jobs:
                yield from running.popleft().result()
        while running:
            yield from running.popleft().result()


def run_batch(
    paths: list[Path],
    extractor: Extractor,
    output: Path,
    fmt: Format,
    published: dt.date | None = None,
    force: bool = False,
    jobs: int = 2,
) -> Iterator[Outcome]:
    """Write one output per article into `output`, skipping unchanged ones; outcomes of
    skipped and refused articles come as they are found, the others as they are done."""
    for stale in [*output.glob(".*.tmp"), *(output / MANIFEST).glob(".*.tmp")]:  # from a killed run
        stale.unlink(missing_ok=True)
    names = output_names(paths, fmt)
    inputs = {p.resolve() for p in paths}
    found: list[Outcome] = []  # skipped or refused, not yet reported
    made_from: dict[Path, str] = {}  # articles in flight only

    def todo() -> Iterator[Path]:
        for path in paths:
            target = output / names[path]
            try:
                if not path.is_file():
                    raise InputError(str(path), "no such file" if not path.exists() else "not a file")
                if target.resolve() in inputs:
                    raise OutputError(
                        str(target), "would overwrite an article; choose another --output folder"
                    )
                fingerprint_ = fingerprint(path, published, extractor.fingerprint + fmt)
            except PipelineError as exc:
                found.append(Outcome(path, [], [], error=str(exc)))
                continue
            if not force and _up_to_date(target, _made_from(output, target.name), fingerprint_):
                found.append(Outcome(path, [], [], skipped=True))
                continue
            made_from[path] = fingerprint_
            yield path

    for outcome in extract_many(todo(), extractor, published, jobs):
        yield from found
        found.clear()
        made = made_from.pop(outcome.path)
        if outcome.error is None:
            target = output / names[outcome.path]
            text = render(outcome.records, fmt)
            try:
                write_atomic(target, text)
                record = {"input": made, "output": _digest(text), "article": str(outcome.path.resolve())}
                write_atomic(output / MANIFEST / target.name, json.dumps(record) + "\n")
            except OutputError as exc:
                yield Outcome(outcome.path, [], [], error=str(exc))
                continue
        yield outcome
    yield from found
