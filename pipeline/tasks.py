"""One article's work in a batch, wherever it runs: read here, extracted anywhere.

A batch reads each article once (`read_task`): the bytes, its metadata's, and their digest,
which decides whether the article is skipped. A worker, a local process or one on another
machine, extracts from those bytes (`extract_task`) and never opens the file, so it needs
no shared filesystem and nothing is read or hashed twice. A `Runner` says where that
happens: `pipeline.pool.Local` (processes on this machine) or `pipeline.cluster.Cluster`
(a Dask cluster).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pipeline.article import article_from_bytes, input_digest, read_inputs
from pipeline.errors import PipelineError
from pipeline.formats import Format, render
from pipeline.records import Record

if TYPE_CHECKING:
    from pipeline import Extractor


@dataclass(frozen=True)
class Task:
    """An article as the batch read it. `digest` is `input_digest(data, meta)`."""

    path: Path
    data: bytes
    meta: bytes | None
    digest: str


@dataclass(frozen=True)
class Outcome:
    """What happened to one article. `digest` is of the bytes the records were made from.
    When the batch asks for its output format, `text` holds the records rendered in it
    where they were extracted (records then stay empty: they are not sent twice); `count`
    is the number of records either way."""

    path: Path
    records: list[Record]
    warnings: list[str]
    error: str | None = None
    skipped: bool = False
    digest: str | None = None
    text: str | None = None
    count: int = 0


def read_task(path: Path) -> Task:
    """Read an article and its metadata, each once; an InputError says why it cannot be."""
    data, meta = read_inputs(path)
    return Task(path, data, meta, input_digest(data, meta))


def extract_task(
    extractor: Extractor,
    task: Task,
    published: dt.date | None,
    fmt: Format | None = None,
    forget_new_words: bool = False,
) -> Outcome:
    """One article; any failure becomes the outcome's error, so a batch goes on. With `fmt`,
    the records come back rendered in it."""
    path = task.path
    try:
        article = article_from_bytes(path, task.data, task.meta, task.digest, published)
        result = extractor.run(article, forget_new_words)
        text = None if fmt is None else render(result.records, fmt)
    except PipelineError as exc:
        return Outcome(path, [], [], error=str(exc))
    except Exception as exc:  # a bug must not cost the rest of the batch
        return Outcome(path, [], [], error=f"{path}: internal error ({exc!r}); please report it")
    records = result.records if text is None else []
    return Outcome(path, records, result.warnings, digest=task.digest, text=text, count=len(result.records))


class Runner(Protocol):
    """Where a batch's articles are extracted."""

    def map(
        self, extractor: Extractor, tasks: Iterable[Task], published: dt.date | None, fmt: Format | None
    ) -> Iterator[Outcome]:
        """Every task's outcome, in the order of `tasks`, taken as they come with only a few
        in flight, so that memory stays flat."""
        ...
