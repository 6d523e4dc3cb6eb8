"""Many articles: find inputs, extract in a process pool, write atomically, skip unchanged.

An output is `<output>/<stem><ext>`, written to a temporary file and renamed, so an
interrupted run leaves no half-written file. `<output>/.manifest.json` remembers the
fingerprint (article bytes, metadata, publication date, gazetteer, rules) each output was
made from; an unchanged article is skipped on the next run unless `force` is set.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline import Extractor
from pipeline.article import read_article
from pipeline.errors import InputError, OutputError, PipelineError
from pipeline.formats import EXTENSIONS, Format, render
from pipeline.records import Record

MANIFEST = ".manifest.json"
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Outcome:
    """What happened to one article."""

    path: Path
    records: list[Record]
    warnings: list[str]
    error: str | None = None
    skipped: bool = False


def find_inputs(args: Iterable[str], stdin_lines: Callable[[], Iterable[str]]) -> list[Path]:
    """Files, folders (their *.txt), glob patterns, or '-' for paths on standard input."""
    found: list[Path] = []
    for arg in args:
        if arg == "-":
            found += [Path(line.strip()) for line in stdin_lines() if line.strip()]
        elif Path(arg).is_dir():
            found += sorted(Path(arg).glob("*.txt"))
        elif any(c in arg for c in "*?[") and not Path(arg).exists():
            found += [Path(p) for p in sorted(glob.glob(arg))]
        else:
            found.append(Path(arg))
    return found


def output_name(path: Path, fmt: Format) -> str:
    """A file name inside the output folder, whatever the article's name holds."""
    stem = SAFE_NAME.sub("_", path.stem).lstrip(".") or "article"
    return stem + EXTENSIONS[fmt]


def fingerprint(path: Path, published: dt.date | None, data: str) -> str:
    digest = hashlib.sha256(data.encode())
    digest.update(path.read_bytes())
    meta = path.with_name(path.stem + ".meta.json")
    if meta.exists():
        digest.update(meta.read_bytes())
    digest.update(str(published).encode())
    return digest.hexdigest()


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise OutputError(str(path), f"cannot write output ({exc.strerror})") from exc


def read_manifest(folder: Path) -> dict[str, str]:
    try:
        return dict(json.loads((folder / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


@lru_cache(maxsize=2)
def _worker_extractor(gazetteer: str) -> Extractor:
    """One Extractor per worker process, built on its first article."""
    return Extractor.load(Path(gazetteer))


def extract_one(extractor: Extractor, path: Path, published: dt.date | None) -> Outcome:
    """One article; any failure becomes the outcome's error, so a batch goes on."""
    try:
        result = extractor.run(read_article(path, published))
    except PipelineError as exc:
        return Outcome(path, [], [], error=str(exc))
    except Exception as exc:  # a bug must not cost the rest of the batch
        return Outcome(path, [], [], error=f"{path}: internal error ({exc!r}); please report it")
    return Outcome(path, result.records, result.warnings)


def _extract_in_worker(job: tuple[str, str, dt.date | None]) -> Outcome:
    path, gazetteer, published = job
    return extract_one(_worker_extractor(gazetteer), Path(path), published)


def extract_many(
    paths: list[Path],
    extractor: Extractor,
    gazetteer: Path,
    published: dt.date | None,
    jobs: int,
) -> Iterator[Outcome]:
    """Extract every path, in input order, with `jobs` processes (1: in this process)."""
    if jobs <= 1 or len(paths) < 4:
        for path in paths:
            yield extract_one(extractor, path, published)
        return
    work = [(str(p), str(gazetteer), published) for p in paths]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_extract_in_worker, work, chunksize=8)


def run_batch(
    paths: list[Path],
    extractor: Extractor,
    gazetteer: Path,
    output: Path,
    fmt: Format,
    published: dt.date | None = None,
    force: bool = False,
    jobs: int = 2,
) -> Iterator[Outcome]:
    """Write one output per article into `output`, skipping unchanged ones."""
    manifest = read_manifest(output)
    for stale in output.glob(".*.tmp"):  # left by a run that was killed mid-write
        stale.unlink(missing_ok=True)
    todo: list[Path] = []
    prints: dict[Path, str] = {}
    for path in paths:
        try:
            if not path.is_file():
                raise InputError(str(path), "no such file" if not path.exists() else "not a file")
            prints[path] = fingerprint(path, published, extractor.fingerprint + fmt)
        except (PipelineError, OSError) as exc:
            yield Outcome(path, [], [], error=str(exc))
            continue
        target = output / output_name(path, fmt)
        if not force and manifest.get(target.name) == prints[path] and target.exists():
            yield Outcome(path, [], [], skipped=True)
        else:
            todo.append(path)
    for outcome in extract_many(todo, extractor, gazetteer, published, jobs):
        if outcome.error is None:
            target = output / output_name(outcome.path, fmt)
            try:
                write_atomic(target, render(outcome.records, fmt))
            except OutputError as exc:
                yield Outcome(outcome.path, [], [], error=str(exc))
                continue
            manifest[target.name] = prints[outcome.path]
            write_atomic(output / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        yield outcome
