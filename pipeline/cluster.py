"""Articles extracted on a Dask cluster: `extract DIR --scheduler tcp://HOST:8786`.

Only where extraction runs differs from a batch on this machine (pipeline/pool.py): the
batch still reads each article here, skips unchanged ones, writes the outputs and the
manifest and reports progress and errors (pipeline/batch.py). Each article's bytes go to a
worker as a task, and its outcome comes back, so workers need no shared filesystem, only
the project installed. Each worker builds the extractor once, in a worker plugin, from the
run's `Sources` with the data files shipped along (a custom gazetteer or rules folder need
not exist on the workers); a worker whose extractor differs from this one (other code) is
refused before anything is sent.

A worker that dies mid-run has its articles done again by the others (Dask reschedules
them); an article whose workers keep dying fails alone. What a local batch has and a
cluster has not: the time limit per article. Dask cannot stop a running task, and a worker
stuck in one (a regular expression that backtracks for ever holds the interpreter) answers
nothing, not even for the results it holds; such an article holds the batch until its
worker is restarted (`dask worker` runs it under a nanny).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import secrets
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from distributed import Client, Future, WorkerPlugin, get_worker
from distributed.comm import parse_address, parse_host_port
from distributed.comm.registry import get_backend

from pipeline import Extractor, Sources
from pipeline.errors import ClusterError
from pipeline.formats import Format
from pipeline.pool import WARM
from pipeline.tasks import Outcome, Task, extract_task

CONNECT_SECONDS = 10.0  # to reach the scheduler, and for it to have a worker
POLL_SECONDS = 1.0  # how often the workers are counted
CHUNK = 8  # articles per task, at most
CHUNK_BYTES = 262_144  # of articles per task, at most (a longer article goes alone)
AHEAD = 3  # chunks in flight per worker thread
DATA_SUFFIXES = (".json", ".jsonl")


# -- the data, shipped to the workers -------------------------------------------------------


@dataclass(frozen=True)
class Shipped:
    """A data file or folder given by path, as bytes: `files` by path relative to it (a
    folder's own data files and its `actors/`), or the one file's under its name."""

    folder: bool
    files: dict[str, bytes]

    @classmethod
    def pack(cls, path: Path) -> Shipped:
        if not path.is_dir():
            return cls(False, {path.name: path.read_bytes()})
        found = [f for f in [*path.iterdir(), *(path / "actors").glob("*")] if f.is_file()]
        wanted = [f for f in found if f.name.endswith(DATA_SUFFIXES)]
        return cls(True, {f.relative_to(path).as_posix(): f.read_bytes() for f in wanted})

    def unpack(self, where: Path) -> Path:
        for name, data in self.files.items():
            (where / name).parent.mkdir(parents=True, exist_ok=True)
            (where / name).write_bytes(data)
        return where if self.folder else where / next(iter(self.files))


@dataclass(frozen=True)
class Data:
    """`Sources` with its files as bytes, to build the same extractor on another machine."""

    gazetteer: Shipped | None
    add: tuple[Shipped, ...]
    rules: Shipped | None
    country: str | None

    @classmethod
    def of(cls, sources: Sources) -> Data:
        pack = Shipped.pack
        return cls(
            pack(sources.gazetteer) if sources.gazetteer else None,
            tuple(pack(p) for p in sources.add),
            pack(sources.rules) if sources.rules else None,
            sources.country,
        )

    def load(self) -> Extractor:
        """The extractor, built from the files written to a temporary folder (all is read
        into memory: the folder is gone when it returns)."""
        with tempfile.TemporaryDirectory(prefix="capitals-data-") as tmp:
            root = Path(tmp)
            gazetteer = self.gazetteer.unpack(root / "gazetteer") if self.gazetteer else None
            rules = self.rules.unpack(root / "rules") if self.rules else None
            add = [shipped.unpack(root / f"add{n}") for n, shipped in enumerate(self.add)]
            return Extractor.load(gazetteer, rules, add, self.country)


# -- on each worker -------------------------------------------------------------------------


@dataclass
class _State:
    """A worker's extractor; one article at a time, whatever the worker's threads."""

    extractor: Extractor
    lock: threading.Lock = field(default_factory=threading.Lock)
    done: int = 0


class ExtractorPlugin(WorkerPlugin):
    """Builds the extractor once per worker (and again on a worker that joins or is
    restarted); tasks find it by the plugin's name."""

    def __init__(self, data: Data, fingerprint: str) -> None:
        self.data = data
        self.fingerprint = fingerprint
        self.state: _State | None = None  # built on the worker, never sent
        self.problem: str | None = None

    def setup(self, worker: Any) -> None:
        try:
            extractor = self.data.load()
        except Exception as exc:  # reported with the worker's address, not only in its log
            self.problem = f"cannot build the extractor ({exc})"
            return
        if extractor.fingerprint != self.fingerprint:
            self.problem = "runs other code than this machine; install the same version of the project there"
            return
        self.state = _State(extractor)


def _check(name: str, dask_worker: Any = None) -> str | None:
    """What is wrong with a worker's extractor, if anything."""
    plugin = dask_worker.plugins.get(name)
    return "has not built the extractor" if plugin is None else plugin.problem


def extract_chunk(
    tasks: list[Task], name: str, published: dt.date | None, fmt: Format | None
) -> list[Outcome]:
    """A few articles, one after the other, on a worker, with the extractor its plugin built."""
    worker = get_worker()
    plugin = worker.plugins[name]
    state = plugin.state
    if state is None:
        return [
            Outcome(t.path, [], [], error=f"{t.path}: worker {worker.address} {plugin.problem}")
            for t in tasks
        ]
    outcomes = []
    for task in tasks:
        with state.lock:
            outcomes.append(extract_task(state.extractor, task, published, fmt, state.done >= WARM))
            state.done += 1
    return outcomes


# -- on this machine ------------------------------------------------------------------------


def connect(address: str) -> Cluster:
    """A client of the scheduler at `address` that has at least one worker."""
    try:
        scheme, where = parse_address(address)
        get_backend(scheme)
        parse_host_port(where)
    except ValueError as exc:
        raise ClusterError(address, f"not a scheduler's address ({exc}); give tcp://HOST:8786") from exc
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(
            address,
            f"cannot reach the Dask scheduler ({exc}); start one with 'dask scheduler', "
            "or check the address (tcp://HOST:8786)",
        ) from exc
    try:
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise ClusterError(
            address, f"the scheduler has no workers; start some with 'dask worker {address}'"
        ) from exc
    return Cluster(client, address)


@dataclass(frozen=True)
class _Chunk:
    """Articles sent as one task: (place in the batch, article)."""

    jobs: list[tuple[int, Task]]
    future: Future


@dataclass
class _Flight:
    """The chunks sent to the cluster and not yet given back, by task key."""

    name: str  # of the run's plugin; task keys start with it
    chunks: dict[str, _Chunk] = field(default_factory=dict)
    threads: int = 1  # of the cluster's workers, when last looked at
    looked: float = 0.0  # when the workers were last looked at
    workerless: float | None = None  # since when the cluster has had no worker
    finished: threading.Event = field(default_factory=threading.Event)  # set as each chunk finishes
    sent: Iterator[int] = field(default_factory=itertools.count)  # numbers the task keys


@dataclass
class Cluster:
    """Extraction on the workers of a Dask cluster. Articles go in chunks of a few (one
    task costs the scheduler and this client about what extracting a short article
    costs); a chunk that fails is sent again one article a task, so that only the article
    at fault fails."""

    client: Client
    address: str

    def map(
        self, extractor: Extractor, tasks: Iterable[Task], published: dt.date | None, fmt: Format | None
    ) -> Iterator[Outcome]:
        name = f"capitals-pipeline-{secrets.token_hex(6)}"  # this run's: another run may share the cluster
        self.client.register_plugin(
            ExtractorPlugin(Data.of(extractor.sources), extractor.fingerprint), name=name
        )
        try:
            for worker, problem in self.client.run(_check, name, on_error="ignore").items():
                if problem is not None:
                    raise ClusterError(f"worker {worker}", problem)
            yield from self._run(_Flight(name), tasks, published, fmt)
        finally:
            with contextlib.suppress(Exception):
                self.client.unregister_worker_plugin(name)

    def _run(
        self, flight: _Flight, tasks: Iterable[Task], published: dt.date | None, fmt: Format | None
    ) -> Iterator[Outcome]:
        source = iter(enumerate(tasks))
        flight.threads = max(1, sum(self.client.nthreads().values()))
        order: deque[int] = deque()  # taken, not yet given back
        done: dict[int, Outcome] = {}
        exhausted = False
        while True:
            while not exhausted and len(order) < AHEAD * CHUNK * flight.threads:
                jobs = _chunk(source)
                exhausted = not jobs
                if jobs:
                    order.extend(n for n, _ in jobs)
                    self._send(flight, jobs, published, fmt)
            while order and order[0] in done:
                yield done.pop(order.popleft())
            if not order and exhausted:
                return
            self._collect(flight, done, published, fmt)

    def _send(
        self, flight: _Flight, jobs: list[tuple[int, Task]], published: dt.date | None, fmt: Format | None
    ) -> None:
        key = f"{flight.name}-{next(flight.sent)}"
        tasks = [task for _, task in jobs]
        future = self.client.submit(extract_chunk, tasks, flight.name, published, fmt, key=key, pure=False)
        flight.chunks[key] = _Chunk(jobs, future)
        future.add_done_callback(lambda _: flight.finished.set())

    def _collect(
        self, flight: _Flight, done: dict[int, Outcome], published: dt.date | None, fmt: Format | None
    ) -> None:
        """The outcomes of the chunks that finish within a poll; now and then, the workers."""
        flight.finished.wait(POLL_SECONDS)
        flight.finished.clear()
        for key in [key for key, chunk in flight.chunks.items() if chunk.future.done()]:
            chunk = flight.chunks[key]
            try:
                outcomes = chunk.future.result()
            except Exception as exc:  # the workers that ran it died (KilledWorker), or it was lost
                del flight.chunks[key]
                if len(chunk.jobs) > 1:  # again, one article a task: only the one at fault fails
                    for job in chunk.jobs:
                        self._send(flight, [job], published, fmt)
                    continue
                path = chunk.jobs[0][1].path
                error = f"{path}: the cluster could not extract it ({type(exc).__name__}: {exc})"
                outcomes = [Outcome(path, [], [], error=error)]
            else:
                del flight.chunks[key]
            done.update((n, outcome) for (n, _), outcome in zip(chunk.jobs, outcomes, strict=True))
        if time.monotonic() - flight.looked >= POLL_SECONDS:
            self._look(flight)

    def _look(self, flight: _Flight) -> None:
        """Give up when the cluster has had no worker for a while (asked of the scheduler)."""
        now = flight.looked = time.monotonic()
        threads = sum(self.client.nthreads().values())
        flight.threads = max(1, threads)
        flight.workerless = None if threads else flight.workerless or now
        if flight.workerless is not None and now - flight.workerless > CONNECT_SECONDS:
            raise ClusterError(
                self.address,
                f"the cluster has had no worker for {CONNECT_SECONDS:g} s; start some with "
                f"'dask worker {self.address}', then run again to finish",
            )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Cluster:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _chunk(source: Iterator[tuple[int, Task]]) -> list[tuple[int, Task]]:
    """The next few articles: up to CHUNK of them, or CHUNK_BYTES."""
    jobs: list[tuple[int, Task]] = []
    size = 0
    while len(jobs) < CHUNK and size < CHUNK_BYTES and (taken := next(source, None)) is not None:
        jobs.append(taken)
        size += len(taken[1].data)
    return jobs
