"""Many documents on worker processes, one job at a time each (no Qt, no database here).

The caller's process prepares each job's plain data (it alone reads the database) and hands it to
an idle worker, which only renders and writes a file; the next job's data is prepared while the
workers draw. Every worker holds at most one job, so a batch of 10,000 firms never has more than
a few firms' data in flight, and results are files, not bytes. Workers are started with `spawn`,
never forked: the window's process has Qt's threads, which a fork would copy half-way.

A job that fails is named with a Korean reason and the batch goes on; a worker that dies (killed,
out of memory) fails its one job and is replaced. 취소 (and any error) terminates the workers.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from boeun_desk.i18n import t
from boeun_desk.progress import IsCancelled, Progress, stop_if

START_METHOD = "spawn"
# Each worker holds ReportLab and the fonts (~70 MB). Beyond four, the caller's process is the limit:
# it gathers a firm's data in ~8 ms while a worker draws its summary in ~30 ms.
MAX_WORKERS = 4
POLL = 0.1  # seconds between looks at 취소 while the workers draw
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
    return t("문서를 만들지 못했습니다 ({detail})", detail=f"{type(error).__name__}: {error}")


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

class _Worker:
    def __init__(self, context: Any, work: Callable[[Any], None], initializer: Callable[..., None] | None,
                 initargs: tuple[Any, ...]):
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs, work, initializer, initargs),
                                       name="boeun-desk-render", daemon=True)
        self.process.start()
        theirs.close()
        self.job: int | None = None  # the job it is drawing

    def give(self, index: int, job: Any) -> None:
        self.job = index
        self.conn.send((index, job))

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


class _Pool:
    def __init__(self, work: Callable[[Any], None], workers: int, initializer: Callable[..., None] | None,
                 initargs: tuple[Any, ...]):
        self._start = lambda: _Worker(multiprocessing.get_context(START_METHOD), work, initializer, initargs)
        self.workers: list[_Worker] = []
        for _ in range(workers):
            self.workers.append(self._start())
        self._clean = False
        self._deaths = 0  # workers dead since the last job done

    def run(self, jobs: Iterator[tuple[int, Any]], total: int, progress: Progress | None,
            cancelled: IsCancelled | None) -> dict[int, str]:
        failures: dict[int, str] = {}
        ready: deque[tuple[int, Any]] = deque()  # prepared, waiting for an idle worker
        done = 0

        def finished(index: int, reason: str | None) -> None:
            nonlocal done
            if reason is not None:
                failures[index] = reason
            done += 1
            if progress:
                progress(done, total)

        def next_job() -> tuple[int, Any] | None:
            """The next job to hand out; failures found while preparing are counted here."""
            for index, job in jobs:
                if not isinstance(job, Skip):
                    return index, job
                finished(index, job.reason)
            return None

        more = True
        while True:
            stop_if(cancelled)
            for worker in list(self.workers):
                if worker.job is not None:
                    continue
                job = ready.popleft() if ready else (next_job() if more else None)
                if job is None:
                    more = False
                    break
                try:
                    worker.give(*job)
                except OSError:  # it died after its last answer: the job waits for its successor
                    worker.job = None
                    ready.appendleft(job)
                    self._replace(worker)
            busy = [w for w in self.workers if w.job is not None]
            if not busy:
                break
            if more and len(ready) < len(self.workers):  # the next data, made while the workers draw
                job = next_job()
                more = job is not None
                if job is not None:
                    ready.append(job)
            waiting: dict[Any, _Worker] = {w.conn: w for w in busy}
            waiting.update({w.process.sentinel: w for w in busy})
            for signalled in wait(list(waiting), timeout=POLL):
                worker = waiting[signalled]
                if worker.job is None:
                    continue  # its answer and its end in the same look
                answer = self._answer(worker)
                if answer is _GONE:
                    worker.process.join(1)  # its pipe closed: it is ending
                if isinstance(answer, tuple):
                    index, outcome = answer
                    worker.job = None
                    if isinstance(outcome, OSError):
                        raise outcome
                    self._deaths = 0
                    finished(index, outcome)
                elif not worker.process.is_alive():
                    index, worker.job = worker.job, None
                    finished(index, t("문서를 만드는 작업 프로세스가 멈췄습니다 (종료 코드 {code})",
                                      code=worker.process.exitcode))
                    self._replace(worker)
        stop_if(cancelled)
        self._clean = True
        return failures

    def _replace(self, worker: _Worker) -> None:
        """A new worker in place of one that died; none after a few deaths in a row."""
        self._deaths += 1
        if self._deaths >= DEATHS_IN_A_ROW:
            raise PoolBroken(t("문서를 만드는 작업 프로세스가 거듭 멈춰 일괄 출력을 멈췄습니다. "
                               "메모리가 부족하지 않은지 확인하세요."))
        self.workers[self.workers.index(worker)] = self._start()
        worker.stop(now=True)

    @staticmethod
    def _answer(worker: _Worker) -> Any:
        """The worker's answer (index, outcome) if one has come; None if not yet; _GONE if its
        pipe closed (it died)."""
        try:
            return worker.conn.recv() if worker.conn.poll() else None
        except (EOFError, OSError):
            return _GONE

    def close(self) -> None:
        """Workers told to end after a clean run; terminated after a cancel or an error."""
        for worker in self.workers:
            worker.stop(now=not self._clean)
        self.workers = []
