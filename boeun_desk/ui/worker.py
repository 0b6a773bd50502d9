"""Long work off the GUI thread, through one path.

`Task` runs `fn(params, progress, cancelled)` on a QThread and keeps its outcome: a callback added
with `then()` after the work ended still runs (a Qt signal connected that late would be missed).
`run_with_progress()` is what every screen uses for long work (import, export, sync, backup,
restore, printing): a Task, a progress dialog with 취소 (greyed, with the reason, where the work
says stopping is not safe), one change broadcast at the end, and errors as Korean messages.
"""

from __future__ import annotations

import errno
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QWidget

from boeun_desk.i18n import t

if TYPE_CHECKING:
    from boeun_desk.services import Changes
    from boeun_desk.ui.context import AppContext

WorkFn = Callable[[Any, Callable[..., None], Callable[[], bool]], Any]
PROGRESS_EVERY = 0.05  # seconds between progress reports sent to the GUI thread (a flood would slow it)

# Tasks still running: a QThread whose Python object is collected while it runs aborts the
# program, so each Task is held here until its outcome has been handed over on the GUI thread.
_RUNNING: set[Task] = set()


class _Thread(QThread):
    def __init__(self, task: Task):
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task._work()


class Task(QObject):
    """One piece of long work on its own thread; its outcome is kept (`done`, `result`, `error`)."""

    progressed = Signal(int, int, str, bool)  # done, total (0: not known), stage, stoppable; GUI thread
    ended = Signal()  # the outcome is known and the callbacks have run; GUI thread
    _relay = Signal(int, int, str, bool)  # emitted on the worker thread

    def __init__(self, fn: WorkFn, params: Any = None):
        super().__init__()
        self._fn, self._params = fn, params
        self._cancel = threading.Event()
        self._last: tuple[float, str, bool] = (0.0, "", True)
        self._callbacks: list[tuple[Callable[[Any], Any] | None, Callable[[Exception], Any] | None]] = []
        self.result: Any = None
        self.error: Exception | None = None
        self.done = False  # the outcome has been handed over (on the GUI thread)
        self.title = ""  # what the officer started (run_with_progress); "" for work of the program's own
        self.stoppable = True  # as the work last said
        self._thread = _Thread(self)
        self._relay.connect(self.progressed, Qt.ConnectionType.QueuedConnection)
        self._thread.finished.connect(self._resolve, Qt.ConnectionType.QueuedConnection)

    def start(self) -> Task:
        _RUNNING.add(self)
        self._thread.start()
        return self

    def then(self, on_done: Callable[[Any], Any] | None = None,
             on_error: Callable[[Exception], Any] | None = None) -> Task:
        """Call `on_done(result)` or `on_error(error)` on the GUI thread when the work has ended;
        at once if it already has."""
        if self.done:
            self._call(on_done, on_error)
        else:
            self._callbacks.append((on_done, on_error))
        return self

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def wait(self) -> None:
        """Block until the work has ended (its `result`/`error` are set; callbacks come later)."""
        self._thread.wait()

    # --- on the worker thread -----------------------------------------------------------------

    def _work(self) -> None:
        try:
            self.result = self._fn(self._params, self._progress, self._cancel.is_set)
        except Exception as error:  # handed to the GUI thread, shown there as a Korean message
            self.error = error

    def _progress(self, done: int, total: int, *, stage: str = "", stoppable: bool = True) -> None:
        now = time.monotonic()
        last, last_stage, last_stoppable = self._last
        if now - last >= PROGRESS_EVERY or stage != last_stage or stoppable != last_stoppable or done == total:
            self._last = (now, stage, stoppable)
            self._relay.emit(done, total, stage, stoppable)

    # --- on the GUI thread --------------------------------------------------------------------

    def _resolve(self) -> None:
        self._thread.wait()  # `finished` comes just before the thread's very end
        self.done = True
        _RUNNING.discard(self)
        callbacks, self._callbacks = self._callbacks, []
        for on_done, on_error in callbacks:
            self._call(on_done, on_error)
        self.ended.emit()

    def _call(self, on_done: Callable[[Any], Any] | None, on_error: Callable[[Exception], Any] | None) -> None:
        if self.error is None:
            if on_done is not None:
                on_done(self.result)
        elif on_error is not None:
            on_error(self.error)


def unfinished_work() -> list[str]:
    """What the officer started and is still running (a batch of PDFs, a print job): the window
    asks before closing, as closing cancels it."""
    return sorted({task.title for task in _RUNNING if task.title and not task.done})


def wait_for_workers() -> None:
    """Before the database closes: stop every task still running where it can stop, and wait."""
    for task in list(_RUNNING):
        task.cancel()
        task.wait()


# Errors whose str() is a Korean message for the officer (module, class). Only a module already
# loaded can have raised one, so none is imported to check (openpyxl stays unloaded).
KOREAN_ERRORS = (("boeun_desk.progress", "Cancelled"), ("boeun_desk.storage.errors", "DatabaseError"),
                 ("boeun_desk.validation", "InvalidValue"), ("boeun_desk.validation", "ValidationFailed"),
                 ("boeun_desk.services.base", "NotFound"), ("boeun_desk.services.base", "StaleEdit"),
                 ("boeun_desk.exchange.bundle", "BundleError"), ("boeun_desk.exchange.excel_package", "SheetError"),
                 ("boeun_desk.reports.pool", "PoolBroken"))


def error_message(error: BaseException, context: AppContext | None = None) -> str:
    """What the officer reads about an error from long work: the Korean message our errors carry;
    anything unforeseen gets the general message (its details go to stderr, not on screen)."""
    from boeun_desk.storage.files import PART

    problem = context.database_problem(error) if context is not None else None
    if problem:
        return problem
    if any(module in sys.modules and isinstance(error, getattr(sys.modules[module], name))
           for module, name in KOREAN_ERRORS):
        return str(error)
    if isinstance(error, OSError) and error.filename:  # a file chosen to read or write
        reason = {errno.ENOSPC: t("디스크 공간이 부족합니다"), errno.EACCES: t("권한이 없습니다"),
                  errno.EPERM: t("권한이 없습니다"), errno.ENOENT: t("파일이나 폴더가 없습니다"),
                  errno.EROFS: t("읽기 전용 위치입니다")}.get(error.errno or 0, error.strerror or str(error))
        path = Path(error.filename)
        if path.name.startswith(".") and path.name.endswith(PART):  # our temporary file: its folder
            path = path.parent
        return t("파일을 읽거나 쓸 수 없습니다: {path} ({reason})", path=path, reason=reason)
    traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
    return t("예기치 않은 오류가 발생했습니다. 방금 한 작업을 다시 확인하세요.\n({detail})",
             detail=f"{type(error).__name__}: {error}")


def run_with_progress(parent: QWidget, title: str, fn: WorkFn, params: Any = None, *,
                      on_done: Callable[[Any], Any] | None = None,
                      on_error: Callable[[Exception], Any] | None = None,
                      context: AppContext | None = None,
                      changes: Changes | Callable[[Any], Changes | None] | None = None,
                      modal: bool = True) -> Task:
    """The one path for long work: `fn(params, progress, cancelled)` on a worker thread with a
    progress dialog (shown when it takes longer than a moment; `modal`: the window waits, though
    it still paints). When it ends: one change broadcast on `context.changed` (`changes`, or
    `changes(result)`; None: nothing changed), then `on_done(result)`. An error goes to
    `on_error(error)`, or else is shown as a Korean message (a cancel says nothing was changed)."""
    from boeun_desk.ui.progress_dialog import ProgressDialog

    task = Task(fn, params)
    task.title = title
    dialog = ProgressDialog(parent, title, modal=modal)
    task.progressed.connect(dialog.show_progress)
    dialog.cancel_requested.connect(task.cancel)

    def succeeded(result: Any) -> None:
        dialog.finish()
        found = changes(result) if callable(changes) else changes
        if context is not None and found is not None:
            context.changed.emit(found)
        if on_done is not None:
            on_done(result)

    def failed(error: Exception) -> None:
        dialog.finish()
        if on_error is not None:
            on_error(error)
        else:
            from boeun_desk.progress import Cancelled

            ask = context.ask if context is not None else _ask
            ask(parent, title, error_message(error, context), buttons=("ok",),
                icon="info" if isinstance(error, Cancelled) else "warning")

    task.then(succeeded, failed)
    dialog.start()
    return task.start()


def _ask(*args: Any, **kwargs: Any) -> str:
    from boeun_desk.ui.context import ask

    return ask(*args, **kwargs)
