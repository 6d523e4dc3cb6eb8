"""Articles extracted in worker processes on this machine, each within a time limit.

Each worker is sent a few articles ahead (their bytes, up to `DEPTH` articles and
`AHEAD_BYTES` bytes waiting), so it never waits while the batch writes an output: it takes
the next one as soon as it has sent back the last. The article a worker is on is the
oldest it was sent; its time limit runs from when the one before came back. A worker that
overruns is stopped and one that dies is replaced: that article fails with its own error,
the ones still waiting for it go to another worker, and the rest of the batch goes on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING

from pipeline.formats import Format
from pipeline.tasks import Outcome, Task, extract_task

if TYPE_CHECKING:
    from pipeline import Extractor, Sources

WARM = 200  # articles per process that may add to the vocabulary; later ones forget their new words
TIMEOUT = 120.0  # seconds per article, by default; a plain 2 MB article takes a few
DEPTH = 4  # articles sent to a worker and not yet given back
AHEAD_BYTES = 65_536  # bytes of articles waiting for a worker: well within what a local socket holds


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
    fmt: Format | None,
) -> None:
    """A worker: extract each task it is sent and send back the outcome, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    _exit_with_parent(parent)
    if extractor is None:  # started fresh, not forked
        from pipeline import Extractor

        extractor = Extractor.load(sources.gazetteer, sources.rules, sources.add, sources.country)
    for n in range(sys.maxsize):
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(extract_task(extractor, task, published, fmt, forget_new_words=n >= WARM))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    tasks: deque[tuple[int, Task]] = field(default_factory=deque)  # sent, not given back; first: running
    waiting: int = 0  # bytes of the tasks sent and not given back
    deadline: float = 0.0  # of the first task


@dataclass
class Pool:
    """At most `jobs` worker processes, each article within `timeout` seconds; with `fmt`,
    the workers render the records in it."""

    extractor: Extractor
    published: dt.date | None
    jobs: int
    timeout: float
    fmt: Format | None = None
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
            self.fmt,
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
            self._stop(worker, kill=bool(worker.tasks))

    def _worker_for(self, task: Task) -> _Worker | None:
        """An idle worker, else a new one, else one with room for `task` in its queue."""
        for worker in self.workers:
            if not worker.tasks:
                return worker
        if len(self.workers) < self.jobs:
            return self._start()
        roomy = [
            w for w in self.workers if len(w.tasks) < DEPTH and w.waiting + len(task.data) <= AHEAD_BYTES
        ]
        return min(roomy, key=lambda w: len(w.tasks), default=None)

    def map(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """Outcomes in input order; a few articles in flight, so memory stays flat."""
        source = iter(enumerate(tasks))
        order: deque[int] = deque()  # taken, not yet given back
        pending: deque[tuple[int, Task]] = deque()  # taken, not yet sent to a worker
        done: dict[int, Outcome] = {}
        exhausted = False
        while True:
            while not exhausted and len(order) < 2 * DEPTH * self.jobs:
                taken = next(source, None)
                if taken is None:
                    exhausted = True
                else:
                    order.append(taken[0])
                    pending.append(taken)
            while pending and (worker := self._worker_for(pending[0][1])) is not None:
                self._send(worker, pending.popleft(), pending, done)
            while order and order[0] in done:
                yield done.pop(order.popleft())
            if not order and exhausted:
                return
            self._collect(pending, done)

    def _send(
        self,
        worker: _Worker,
        job: tuple[int, Task],
        pending: deque[tuple[int, Task]],
        done: dict[int, Outcome],
    ) -> None:
        if not worker.tasks:
            worker.deadline = time.monotonic() + self.timeout
        worker.tasks.append(job)
        worker.waiting += len(job[1].data)
        try:
            worker.conn.send(job[1])
        except OSError:  # it died: the task it was on fails, the others wait for another worker
            self._lose(worker, pending, done)

    def _lose(
        self, worker: _Worker, pending: deque[tuple[int, Task]], done: dict[int, Outcome], late: bool = False
    ) -> None:
        """Stop `worker`: the task it was on fails (it overran, if `late`, else it died), the
        others go back to be sent again."""
        self._stop(worker, kill=True)
        (first, task), *rest = worker.tasks
        done[first] = self._late(task) if late else self._lost(task, worker)
        pending.extendleft(reversed(rest))

    def _collect(self, pending: deque[tuple[int, Task]], done: dict[int, Outcome]) -> None:
        """Wait for the next outcomes, death or deadline among the busy workers."""
        busy = [w for w in self.workers if w.tasks]
        if not busy:
            return
        ready = wait(
            [w.conn for w in busy], timeout=max(0.0, min(w.deadline for w in busy) - time.monotonic())
        )
        for worker in busy:
            if worker.conn in ready:
                try:
                    while worker.tasks and worker.conn.poll():
                        outcome = worker.conn.recv()
                        n, task = worker.tasks.popleft()
                        worker.waiting -= len(task.data)
                        worker.deadline = time.monotonic() + self.timeout  # the next one starts now
                        done[n] = outcome
                except (EOFError, OSError):  # it died: it was killed, or ran out of memory
                    self._lose(worker, pending, done)
            elif time.monotonic() >= worker.deadline:
                self._lose(worker, pending, done, late=True)

    def _late(self, task: Task) -> Outcome:
        error = (
            f"{task.path}: took longer than {self.timeout:g} s, the time limit per article; "
            "split it, or raise the limit with --timeout"
        )
        return Outcome(task.path, [], [], error=error)

    @staticmethod
    def _lost(task: Task, worker: _Worker) -> Outcome:
        code = worker.process.exitcode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        return Outcome(
            task.path,
            [],
            [],
            error=f"{task.path}: the process extracting it stopped ({how}); the others go on",
        )


@dataclass(frozen=True)
class Local:
    """Extraction in at most `jobs` worker processes here (never more than there are
    processors), each article within `timeout` seconds."""

    jobs: int = 2
    timeout: float = TIMEOUT

    def map(
        self, extractor: Extractor, tasks: Iterable[Task], published: dt.date | None, fmt: Format | None
    ) -> Iterator[Outcome]:
        pool = Pool(extractor, published, max(1, min(self.jobs, cpus())), self.timeout, fmt)
        try:
            yield from pool.map(tasks)
        finally:
            pool.close()
