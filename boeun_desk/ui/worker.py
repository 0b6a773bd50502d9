"""Long work off the GUI thread: `fn(params, progress, cancelled)` in a QThread, results by signals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from boeun_desk.i18n import t

# Workers still running: a QThread whose Python object is collected while it runs aborts the
# program, so each one is held here until it has finished.
_RUNNING: set[QThread] = set()


class Worker(QThread):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[[Any, Callable[[int, int], None], Callable[[], bool]], Any], params: Any):
        super().__init__()
        self._fn, self._params, self._cancel = fn, params, False
        self.result: Any = None

    def cancel(self) -> None:
        self._cancel = True

    def run(self) -> None:
        try:
            result = self._fn(self._params, self.progressed.emit, lambda: self._cancel)
        except Exception as error:  # reported to the GUI thread, shown as a message there
            self.failed.emit(error)
        else:
            self.result = result
            self.succeeded.emit(result)


def keep_running(worker: Worker) -> None:
    """Hold the worker until its thread has finished (the caller keeps it after that if needed)."""
    _RUNNING.add(worker)
    worker.finished.connect(lambda: _RUNNING.discard(worker))


def wait_for_workers() -> None:
    """Before the database closes: let every worker still running finish (none is cut off)."""
    for worker in list(_RUNNING):
        worker.cancel()
        worker.wait()


def run_with_progress(parent: QWidget, title: str, fn: Any, params: Any, *, on_done: Callable[[Any], None],
                      on_error: Callable[[Exception], None]) -> Worker:
    """Start `fn` on a worker with a progress dialog whose Cancel button stops it."""
    dialog = QProgressDialog(title, t("취소"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    worker = Worker(fn, params)

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(t("{title} ({done}/{total})", title=title, done=done, total=total))

    def finish() -> None:
        dialog.reset()
        dialog.deleteLater()

    worker.progressed.connect(progressed)
    worker.succeeded.connect(lambda result: (finish(), on_done(result)))
    worker.failed.connect(lambda error: (finish(), on_error(error)))
    dialog.canceled.connect(worker.cancel)
    _RUNNING.add(worker)
    worker.finished.connect(lambda: (_RUNNING.discard(worker), worker.deleteLater()))
    worker.start()
    return worker
