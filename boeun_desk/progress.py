"""Long work's two callbacks, the same for the window, the command line and tests (no Qt here).

A long core function takes `progress(done, total, *, stage="", stoppable=True)` and `cancelled()`:
it reports how far it is (total 0: not known), names the stage it is in, and says when it enters a
stage that cannot be stopped (the window then greys out 취소 and says why). It asks `cancelled()`
only where stopping leaves nothing half-done, and raises `Cancelled` there.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Protocol

from boeun_desk.i18n import t

IsCancelled = Callable[[], bool]


class Progress(Protocol):
    def __call__(self, done: int, total: int, *, stage: str = "", stoppable: bool = True) -> None: ...


class Cancelled(Exception):
    """The officer pressed 취소 where stopping was safe: nothing was changed or left behind."""

    def __init__(self, message: str = ""):
        super().__init__(message or t("작업을 취소했습니다. 아무것도 바뀌지 않았습니다."))


def quiet(done: int, total: int, *, stage: str = "", stoppable: bool = True) -> None:
    """No one is watching (the command line, tests)."""


def never() -> bool:
    return False


def stop_if(cancelled: IsCancelled | None) -> None:
    """A safe place to stop: raises Cancelled if the officer asked to."""
    if cancelled is not None and cancelled():
        raise Cancelled()


def count_line(text: str, *, last: bool) -> None:
    """A count on stderr that the next one overwrites: the carriage return goes to the terminal as it
    is (the command line shows control characters of data as U+FFFD: its stderr's `unfiltered`)."""
    getattr(sys.stderr, "unfiltered", sys.stderr).write("\r")
    print(text, end="\n" if last else "", file=sys.stderr)
