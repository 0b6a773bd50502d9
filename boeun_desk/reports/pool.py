"""Many documents on worker processes, one job at a time each (no Qt, no database here).

The caller's process prepares each job's plain data (it alone reads the database) and hands it to
a worker, which only renders and writes a file; the next job's data is prepared while the workers
draw. A worker holds the job it draws and the next (so it never waits for the caller, which may be
busy or not scheduled on a loaded machine): a batch of 10,000 firms never has more than a few
firms' data in flight, and results are files, not bytes. Workers are started with `spawn`,
never forked: the window's process has Qt's threads, which a fork would copy half-way.

A job that fails is named with a Korean reason and the batch goes on; a worker that dies (killed,
out of memory) fails its one job and is replaced. 취소 (and any error) terminates the workers.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing import connection, resource_tracker
from multiprocessing.connection import Connection, wait
from typing import Any

from boeun_desk.i18n import t
from boeun_desk.progress import IsCancelled, Progress, stop_if

START_METHOD = "spawn"
# Each worker holds ReportLab and the fonts (~70 MB). Beyond four, the caller's process is the limit:
# it gathers a firm's data in ~8 ms while a worker draws its summary in ~30 ms.
MAX_WORKERS = 4
POLL = 0.1  # seconds between looks at 취소 while the workers draw
DEPTH = 2  # jobs handed to a worker at once: the one it draws and the next
QUEUED_BYTES = 32 * 1024  # the largest job that may wait in a worker's pipe on Linux: see queued_bytes()
# A worker's answer always fits the smallest of those buffers: the worker never blocks on it (on
# Windows, while this process waits to hand it a job, both would wait for ever).
REASON_CHARS = 300
DEATHS_IN_A_ROW = 3  # workers dying one after another with nothing done in between: stop
_GONE = object()  # a worker's pipe closed: it died


@dataclass(frozen=True)
class Skip:
    """A job that failed while its data was prepared (yielded by the jobs in place of a job)."""

    reason: str


class PoolBroken(Exception):
    """The workers keep dying: the batch cannot go on (str() is Korean)."""


def available_cores() -> int:
    """The cores this process may run on (a container or a job object may allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def queued_bytes(platform: str) -> int:
    """The largest job that may wait in a worker's pipe: it must fit the pipe's buffer, or handing it
    over blocks this process until the worker has drawn the job before it. Linux's Unix socket pairs
    take ~90 KB; macOS's 8 KB each way (net.local.stream) and Windows' named pipes multiprocessing's
    BUFSIZE (8 KB), some kept for the pipe's own use."""
    return QUEUED_BYTES if platform.startswith("linux") else connection.BUFSIZE - 1024


def workers_for(jobs: int, smallest_pool: int) -> int:
    """How many worker processes to start for `jobs` jobs: 0 (draw them in this process) when
    there are fewer than `smallest_pool` (starting workers would cost more than it saves) or
    one core only; else one per core, at most MAX_WORKERS."""
    cores = available_cores()
    if jobs < smallest_pool or cores < 2:
        return 0
    return min(cores, MAX_WORKERS)


def failure_reason(error: BaseException) -> str:
    """Why one document could not be made, in words for the officer."""
    from reportlab.platypus.doctemplate import LayoutError

    if isinstance(error, LayoutError):
        return t("내용이 한 쪽에 들어가지 않아 문서를 만들 수 없습니다")
    if isinstance(error, MemoryError):
        return t("메모리가 부족합니다")
    detail = f"{type(error).__name__}: {error}"
    if len(detail) > REASON_CHARS:  # an error may quote a whole text (a 10,000-character memo)
        detail = detail[:REASON_CHARS - 1] + "…"
    return t("문서를 만들지 못했습니다 ({detail})", detail=detail)


def run_jobs(work: Callable[[Any], None], jobs: Iterable[Any], total: int, *, workers: int,
             initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = (),
             progress: Progress | None = None, cancelled: IsCancelled | None = None) -> dict[int, str]:
    """`work(job)` for every job (taken from `jobs` only when a worker is about to need it), on
    `workers` processes (0: in this process). `work` and `initializer` must be module-level
    functions and the jobs picklable. Returns the reasons of the jobs that failed, by their
    position in `jobs`; an OSError (the disk is full, the folder went away) stops the batch.
    `progress(done, total)` counts finished jobs; `cancelled()` stops with `Cancelled`."""
    if workers <= 0:
        return _run_here(work, jobs, total, initializer, initargs, progress, cancelled)
    pool = _Pool(work, workers, initializer, initargs)
    try:
        return pool.run(iter(enumerate(jobs)), total, progress, cancelled)
    finally:
        pool.close()


def _run_here(work: Callable[[Any], None], jobs: Iterable[Any], total: int,
              initializer: Callable[..., None] | None, initargs: tuple[Any, ...],
              progress: Progress | None, cancelled: IsCancelled | None) -> dict[int, str]:
    if initializer is not None:
        initializer(*initargs)
    failures: dict[int, str] = {}
    for index, job in enumerate(jobs):
        stop_if(cancelled)
        if isinstance(job, Skip):
            failures[index] = job.reason
        else:
            try:
                work(job)
            except OSError:
                raise
            except Exception as error:  # one document: named, and the batch goes on
                failures[index] = failure_reason(error)
        if progress:
            progress(index + 1, total)
    stop_if(cancelled)
    return failures


# --- in the worker process ---------------------------------------------------------------------

def _serve(conn: Connection, work: Callable[[Any], None], initializer: Callable[..., None] | None,
           initargs: tuple[Any, ...]) -> None:
    """A worker's life: take a job, do it, say how it went; end when told or when the caller's
    process is gone (its end of the pipe closes)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the caller's: it ends the workers
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, job = message
        try:
            work(job)
            outcome: Any = None
        except OSError as error:
            outcome = error
        except Exception as error:
            outcome = failure_reason(error)
        try:
            conn.send((index, outcome))
        except OSError:  # the caller is gone
            return


# --- in the caller's process -------------------------------------------------------------------

_QUEUED_HERE = queued_bytes(sys.platform)


@contextlib.contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """A worker starts with Ctrl+C held back (a new process inherits the signal mask), so one pressed
    while it imports prints no traceback of its own; `_serve` then ignores it: the caller ends its
    workers. Held, not ignored: a Ctrl+C meant for this process arrives as soon as the worker has
    started (ignoring lost it). POSIX only; Windows has no signal mask."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    # spawn starts multiprocessing's resource tracker with the first worker, and unblocks SIGINT after
    resource_tracker.ensure_running()
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


class _Worker:
    def __init__(self, context: Any, work: Callable[[Any], None], initializer: Callable[..., None] | None,
                 initargs: tuple[Any, ...]):
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs, work, initializer, initargs),
                                       name="boeun-desk-render", daemon=True)
        with _ctrl_c_held():
            self.process.start()
        theirs.close()
        self.jobs: deque[_Job] = deque()  # handed to it, in order: it draws the first

    def can_take(self, job: _Job) -> bool:
        """A second job waits in the pipe while the first is drawn (the worker never waits for this
        process to hand it the next), if it is small enough to wait there without blocking us."""
        return not self.jobs or (len(self.jobs) < DEPTH and len(job.message) <= _QUEUED_HERE)

    def give(self, job: _Job) -> None:
        self.conn.send_bytes(job.message)
        self.jobs.append(job)

    def stop(self, *, now: bool) -> None:
        if not now and self.process.is_alive():
            try:
                self.conn.send(None)
                self.process.join(5)
            except OSError:
                pass
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.conn.close()
        self.process.close()


@dataclass(frozen=True)
class _Job:
    index: int
    message: bytes  # (index, job), pickled once: its size decides whether it may wait in a pipe


class _Pool:
    def __init__(self, work: Callable[[Any], None], workers: int, initializer: Callable[..., None] | None,
                 initargs: tuple[Any, ...]):
        self._start = lambda: _Worker(multiprocessing.get_context(START_METHOD), work, initializer, initargs)
        self.workers: list[_Worker] = []
        for _ in range(workers):
            self.workers.append(self._start())
        self._clean = False
        self._deaths = 0  # workers dead since the last job done
        self._ready: deque[_Job] = deque()  # prepared, waiting for a worker
        self._failures: dict[int, str] = {}
        self._done = 0

    def run(self, jobs: Iterator[tuple[int, Any]], total: int, progress: Progress | None,
            cancelled: IsCancelled | None) -> dict[int, str]:
        self._jobs, self._total, self._progress = jobs, total, progress
        more = True
        while True:
            stop_if(cancelled)
            for depth in range(DEPTH):  # every idle worker gets a job before any gets a second
                for worker in list(self.workers):
                    while len(worker.jobs) == depth and (self._ready or more):
                        job = self._ready[0] if self._ready else self._prepare()
                        if job is None:
                            more = False
                        elif not worker.can_take(job):
                            break
                        else:
                            self._ready.popleft()
                            try:
                                worker.give(job)
                            except OSError:  # it died after its last answer
                                self._ready.appendleft(job)
                                self._bury(worker)
                                break
            busy = [w for w in self.workers if w.jobs]
            if not busy and not self._ready and not more:
                break
            if more and not self._ready:  # the next data, made while the workers draw
                more = self._prepare() is not None
            waiting: dict[Any, _Worker] = {w.conn: w for w in busy}
            waiting.update({w.process.sentinel: w for w in busy})
            for signalled in wait(list(waiting), timeout=POLL):
                self._hear(waiting[signalled])
        stop_if(cancelled)
        self._clean = True
        return self._failures

    def _prepare(self) -> _Job | None:
        """The next job, pickled and put in the ready queue (None: no more); failures found while
        preparing are counted here."""
        for index, job in self._jobs:
            if isinstance(job, Skip):
                self._finished(index, job.reason)
                continue
            prepared = _Job(index, pickle.dumps((index, job), protocol=pickle.HIGHEST_PROTOCOL))
            self._ready.append(prepared)
            return prepared
        return None

    def _finished(self, index: int, reason: str | None) -> None:
        if reason is not None:
            self._failures[index] = reason
        self._done += 1
        if self._progress:
            self._progress(self._done, self._total)

    def _hear(self, worker: _Worker) -> None:
        """A worker's answers (its first job's outcome), or its end."""
        while worker.jobs:
            try:
                if not worker.conn.poll():
                    break
                index, outcome = worker.conn.recv()
            except (EOFError, OSError):  # its pipe closed: it is ending
                worker.process.join(1)
                break
            worker.jobs.popleft()
            if isinstance(outcome, OSError):
                raise outcome
            self._deaths = 0
            self._finished(index, outcome)
        if worker.jobs and not worker.process.is_alive():
            self._bury(worker)

    def _bury(self, worker: _Worker) -> None:
        """A worker died: the job it was drawing failed, the ones waiting for it go to another, and
        a new worker takes its place; none after a few deaths in a row."""
        if worker.jobs:
            drawn = worker.jobs.popleft()
            self._finished(drawn.index, t("문서를 만드는 작업 프로세스가 멈췄습니다 (종료 코드 {code})",
                                          code=worker.process.exitcode))
            self._ready.extendleft(reversed(worker.jobs))
            worker.jobs.clear()
        self._deaths += 1
        if self._deaths >= DEATHS_IN_A_ROW:
            raise PoolBroken(t("문서를 만드는 작업 프로세스가 거듭 멈춰 일괄 출력을 멈췄습니다. "
                               "메모리가 부족하지 않은지 확인하세요."))
        self.workers[self.workers.index(worker)] = self._start()
        worker.stop(now=True)

    def close(self) -> None:
        """Workers told to end after a clean run; terminated after a cancel or an error."""
        for worker in self.workers:
            worker.stop(now=not self._clean)
        self.workers = []
