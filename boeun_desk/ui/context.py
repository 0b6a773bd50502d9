"""What every screen shares: services, the one change signal, undo, settings and the ask() seam."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from boeun_desk.i18n import t

if TYPE_CHECKING:  # the services (SQLAlchemy) load after the window is shown: see app.py
    from boeun_desk.services import Changes, SavedForm, Services


def ask(parent: QWidget | None, title: str, text: str, *, buttons: tuple[str, ...] = ("yes", "no"),
        icon: str = "question") -> str:
    """The one seam for modal questions and notices; tests replace it. Returns the button pressed.
    `text` is shown as plain text: messages quote names, paths and errors, never markup."""
    standard = {"yes": QMessageBox.StandardButton.Yes, "no": QMessageBox.StandardButton.No,
                "ok": QMessageBox.StandardButton.Ok, "cancel": QMessageBox.StandardButton.Cancel,
                "save": QMessageBox.StandardButton.Save, "discard": QMessageBox.StandardButton.Discard,
                "back": QMessageBox.StandardButton.Close}  # 돌아가기: back to the form (Escape too)
    icons = {"question": QMessageBox.Icon.Question, "warning": QMessageBox.Icon.Warning,
             "error": QMessageBox.Icon.Critical, "info": QMessageBox.Icon.Information}
    box = QMessageBox(icons[icon], title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    mask = QMessageBox.StandardButton.NoButton
    for name in buttons:
        mask |= standard[name]
    box.setStandardButtons(mask)
    for name in buttons:
        box.button(standard[name]).setText(t({"yes": "예", "no": "아니오", "ok": "확인", "cancel": "취소",
                                              "save": "저장", "discard": "저장 안 함", "back": "돌아가기"}[name]))
    pressed = box.exec()
    return next((name for name in buttons if standard[name] == pressed), buttons[-1])


class ServiceCommand(QUndoCommand):
    """An undoable officer action made of two service calls (do / undo), each returning what it
    changed. A call the services refuse (the record changed since, its firm is in the 휴지통, it was
    deleted elsewhere, the disk is full) is told to the officer and the step leaves the stack, so
    the stack never claims what did not happen."""

    def __init__(self, context: AppContext, text: str, redo: Callable[[], Changes | tuple[Changes, ...]],
                 undo: Callable[[], Changes | tuple[Changes, ...]], *,
                 done: Changes | tuple[Changes, ...] | None = None):
        super().__init__(text)
        self._context, self._redo, self._undo, self._skip = context, redo, undo, done is not None
        if done is not None:
            context.broadcast(done)

    def redo(self) -> None:
        if self._skip:  # the action already ran when the command was made
            self._skip = False
            return
        self._run(self._redo, t("다시 실행"))

    def undo(self) -> None:
        self._run(self._undo, t("실행 취소"))

    def _run(self, call: Callable[[], Changes | tuple[Changes, ...]], what: str) -> None:
        from boeun_desk.services import NotFound, StaleEdit
        from boeun_desk.validation import ValidationFailed

        try:
            changes = call()
        except Exception as error:  # noqa: BLE001  (the kinds below are told; anything else is a bug)
            refused = isinstance(error, ValidationFailed | NotFound | StaleEdit)
            problem = str(error) if refused else self._context.database_problem(error)
            if problem is None:
                raise
            self.setObsolete(True)  # QUndoStack drops it: the step did not happen
            self._context.ask(None, t("{what}하지 못했습니다", what=what), t("{step}: {problem}", step=self.text(),
                              problem=problem), buttons=("ok",), icon="warning")
            return
        self._context.broadcast(changes)
        self._context.notice.emit(t("{what}: {step}", what=what, step=self.text()))


class FormCommand(ServiceCommand):
    """A form's save (fields, a visit's follow-ups, the files added) as one undoable step."""

    def __init__(self, context: AppContext, text: str, saved: SavedForm):
        self.saved = saved
        saves = context.services.form_saves
        super().__init__(context, text, lambda: self._step(saves.redo), lambda: self._step(saves.undo),
                         done=saved.changes)

    def _step(self, step: Callable[[SavedForm], SavedForm]) -> tuple[Changes, ...]:
        self.saved = step(self.saved)
        return self.saved.changes


class AppContext(QObject):
    """Created once per open database; screens get it instead of globals."""

    changed = Signal(object)  # Changes: what a service call changed
    saved = Signal()
    notice = Signal(str)  # a short message for the status bar (files saved with a form, an undo)

    def __init__(self, services: Services, settings: QSettings | None = None):
        super().__init__()
        self.services = services
        self.settings = settings or QSettings()
        self.undo_stack = QUndoStack(self)
        self.ask = ask
        from boeun_desk.exchange.drafts import DraftJournal  # (hashlib, the seal: after the window is shown)

        self.drafts = DraftJournal.for_database(services.database)
        self.changed.connect(lambda _changes: self.saved.emit())

    @property
    def default_year(self) -> int:
        """The program year the officer works in (설정); 0: the latest."""
        return int(self.settings.value("default_year", 0) or 0)

    def database_problem(self, error: BaseException) -> str | None:
        """A Korean message when `error` is a database failure (disk full, locked, damaged file,
        no permission); None for any other error."""
        from sqlalchemy import exc

        from boeun_desk.storage.engine import describe_error
        from boeun_desk.storage.errors import DatabaseError

        if isinstance(error, exc.SQLAlchemyError):
            return describe_error(error, self.services.database)
        return str(error) if isinstance(error, DatabaseError) else None

    def set_officer(self, name: str) -> None:
        """Record later edits under this officer's name."""
        self.services.set_officer(name)

    # --- undoable record edits ------------------------------------------------------------------

    def broadcast(self, changes: Changes | tuple[Changes, ...]) -> None:
        for change in changes if isinstance(changes, tuple) else (changes,):
            self.changed.emit(change)

    def save_form(self, service_name: str, record_id: str | None, data: dict[str, Any],
                  files: Sequence[Path] = (), *, expected_version: int | None = None) -> SavedForm:
        """Create (no `record_id`) or update a record with the files added in its form, as one
        undoable step. The files are copied first (ValidationFailed names one that cannot be read,
        and nothing is saved); raises StaleEdit when `expected_version` (from `edit_version()`) is
        not the record's any more."""
        stored = [self.services.attachments.store(path) for path in files]
        saved = self.services.form_saves.save(service_name, record_id, data, stored,
                                              expected_version=expected_version)
        label = t(getattr(self.services, service_name).label)
        text = t("{label} 추가", label=label) if record_id is None else t("{label} 수정", label=label)
        self.undo_stack.push(FormCommand(self, text, saved))
        if files:
            self.notice.emit(t("{step}: 첨부파일 {n}개 저장 ({names})", step=text, n=len(files),
                               names=", ".join(stored.filename for stored in stored)))
        return saved

    def create(self, service_name: str, data: dict[str, Any], files: Sequence[Path] = ()) -> Changes:
        return self.save_form(service_name, None, data, files).changes[0]

    def update(self, service_name: str, record_id: str, data: dict[str, Any], *,
               expected_version: int | None = None, files: Sequence[Path] = ()) -> Changes:
        return self.save_form(service_name, record_id, data, files, expected_version=expected_version).changes[0]

    def delete(self, service_name: str, record_id: str) -> Changes:
        service = getattr(self.services, service_name)
        changes = service.delete(record_id)
        self.undo_stack.push(ServiceCommand(self, t("{label} 삭제", label=t(service.label)),
                                            lambda: service.delete(record_id), lambda: service.restore(record_id),
                                            done=changes))
        return changes

    def restore(self, service_name: str, record_id: str) -> Changes:
        """Bring a record back from the 휴지통 (with what went there with it), undoably."""
        service = getattr(self.services, service_name)
        changes = service.restore(record_id)
        self.undo_stack.push(ServiceCommand(self, t("{label} 복원", label=t(service.label)),
                                            lambda: service.restore(record_id), lambda: service.delete(record_id),
                                            done=changes))
        return changes
