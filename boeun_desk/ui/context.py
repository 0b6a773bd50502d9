"""What every screen shares: services, the one change signal, undo, settings and the ask() seam."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from boeun_desk.exchange.drafts import DraftJournal
from boeun_desk.i18n import t

if TYPE_CHECKING:  # the services (SQLAlchemy) load after the window is shown: see app.py
    from boeun_desk.services import Changes, Services


def ask(parent: QWidget | None, title: str, text: str, *, buttons: tuple[str, ...] = ("yes", "no"),
        icon: str = "question") -> str:
    """The one seam for modal questions and notices; tests replace it. Returns the button pressed.
    `text` is shown as plain text: messages quote names, paths and errors, never markup."""
    standard = {"yes": QMessageBox.StandardButton.Yes, "no": QMessageBox.StandardButton.No,
                "ok": QMessageBox.StandardButton.Ok, "cancel": QMessageBox.StandardButton.Cancel,
                "save": QMessageBox.StandardButton.Save, "discard": QMessageBox.StandardButton.Discard}
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
                                              "save": "저장", "discard": "저장 안 함"}[name]))
    pressed = box.exec()
    return next((name for name in buttons if standard[name] == pressed), buttons[-1])


class ServiceCommand(QUndoCommand):
    """An undoable officer action made of two service calls (do / undo)."""

    def __init__(self, context: AppContext, text: str, redo: Callable[[], Changes], undo: Callable[[], Changes],
                 *, done: Changes | None = None):
        super().__init__(text)
        self._context, self._redo, self._undo, self._skip = context, redo, undo, done is not None
        if done is not None:
            context.changed.emit(done)

    def redo(self) -> None:
        if self._skip:  # the action already ran when the command was made
            self._skip = False
            return
        self._context.changed.emit(self._redo())

    def undo(self) -> None:
        self._context.changed.emit(self._undo())


class AppContext(QObject):
    """Created once per open database; screens get it instead of globals."""

    changed = Signal(object)  # Changes: what a service call changed
    saved = Signal()

    def __init__(self, services: Services, settings: QSettings | None = None):
        super().__init__()
        self.services = services
        self.settings = settings or QSettings()
        self.undo_stack = QUndoStack(self)
        self.ask = ask
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

    def create(self, service_name: str, data: dict[str, Any]) -> Changes:
        service = getattr(self.services, service_name)
        changes = service.create(data)
        self.undo_stack.push(ServiceCommand(self, t("{label} 추가", label=t(service.label)),
                                            lambda: service.restore(changes.id), lambda: service.delete(changes.id),
                                            done=changes))
        return changes

    def update(self, service_name: str, record_id: str, data: dict[str, Any], *,
               expected_version: int | None = None) -> Changes:
        """Raises StaleEdit when `expected_version` (from `edit_version()`) is not the record's any more."""
        service = getattr(self.services, service_name)
        before = service.get(record_id)
        old = {key: getattr(before, key) for key in data if hasattr(before, key)}
        changes = service.update(record_id, data, expected_version=expected_version)
        self.undo_stack.push(ServiceCommand(self, t("{label} 수정", label=t(service.label)),
                                            lambda: service.update(record_id, data),
                                            lambda: service.update(record_id, old), done=changes))
        return changes

    def delete(self, service_name: str, record_id: str) -> Changes:
        service = getattr(self.services, service_name)
        changes = service.delete(record_id)
        self.undo_stack.push(ServiceCommand(self, t("{label} 삭제", label=t(service.label)),
                                            lambda: service.delete(record_id), lambda: service.restore(record_id),
                                            done=changes))
        return changes
