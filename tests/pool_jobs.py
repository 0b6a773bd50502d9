"""Work functions for the worker-pool tests: module-level (a spawned worker imports them by name)
and light (nothing but the standard library to import)."""

from __future__ import annotations

import os
import signal
import sys


def note(job: tuple[str, int]) -> None:
    """Writes the job's number into its own file in the folder named by the job."""
    folder, number = job
    with open(os.path.join(folder, f"{number:03d}.txt"), "w") as handle:
        handle.write(str(number))


def fail_on_two(job: int) -> None:
    if job == 2:
        raise ValueError("둘째 일은 실패")


def killed_on_three(job: int) -> None:
    """The worker is killed (as by the out-of-memory killer) while it does job 3."""
    if job == 3:
        os.kill(os.getpid(), signal.SIGKILL)


def always_dies(job: int) -> None:
    os._exit(3)


def disk_full(job: int) -> None:
    raise OSError(28, "No space left on device", "/scratch/part.pdf")


def modules_loaded(job: int) -> None:
    """Fails when the worker has loaded Qt or the database layer."""
    loaded = sorted({name.split(".")[0] for name in sys.modules} & {"PySide6", "shiboken6", "sqlalchemy"})
    if loaded:
        raise RuntimeError(f"loaded {loaded}")


def fails_at_length(job: int) -> None:
    """Job 1 fails with an error that quotes a very long text."""
    if job == 1:
        raise ValueError("가" * 100_000)


# Whether Ctrl+C was held back while the worker imported this module (while it started).
HELD_AT_START = signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, [])


def ctrl_c_held_from_the_start(job: int) -> None:
    if not HELD_AT_START:
        raise RuntimeError("a Ctrl+C could interrupt the worker while it started")
