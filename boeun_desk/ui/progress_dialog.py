"""The progress dialog of long work: what is being done, how far, and 취소 — greyed out, with the
reason, while the work is in a stage that cannot be stopped safely."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from boeun_desk.i18n import t
from boeun_desk.ui.widgets import plain_label

SHOW_AFTER_MS = 300  # work that ends sooner shows no dialog at all


class ProgressDialog(QDialog):
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None, title: str, *, modal: bool = True):
        super().__init__(parent)
        self.title = title
        self.setWindowTitle(title)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        if modal:  # the window waits (it still paints and moves); other windows stay usable
            self.setWindowModality(Qt.WindowModality.WindowModal)
        self.heading = plain_label(title)
        self.heading.setStyleSheet("font-weight: bold;")
        self.stage = plain_label(t("준비하는 중…"))
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the work says how much there is
        self.bar.setTextVisible(True)
        self.note = plain_label(wrap=True)
        self.note.setStyleSheet("color: #8a4b00;")
        self.note.hide()
        self.cancel_button = QPushButton(t("취소"))
        self.cancel_button.clicked.connect(self.request_cancel)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.stage)
        layout.addWidget(self.bar)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.setMinimumWidth(420)
        self.stoppable, self.cancelling, self._over = True, False, False
        self._timer = QTimer(self, singleShot=True, interval=SHOW_AFTER_MS)
        self._timer.timeout.connect(self._appear)

    def start(self) -> None:
        self._timer.start()

    def _appear(self) -> None:
        if not self._over:
            self.show()

    def labelText(self) -> str:  # noqa: N802  (as QProgressDialog names it)
        return f"{self.heading.text()}\n{self.stage.text()}"

    def show_progress(self, done: int, total: int, stage: str, stoppable: bool) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
            counted = f"{done:,}/{total:,}"
        else:
            self.bar.setRange(0, 0)
            counted = t("{done}건", done=f"{done:,}") if done else ""
        self.stage.setText(" ".join(part for part in (stage or self.title, f"({counted})" if counted else "") if part))
        self.stoppable = stoppable
        self._update_cancel()

    def request_cancel(self) -> None:
        """취소, Esc or the window's close: stop at the next safe place (never in a stage that says
        it cannot stop: the officer is told so and the work goes on)."""
        if not self.stoppable or self.cancelling:
            self._update_cancel()
            return
        self.cancelling = True
        self.cancel_requested.emit()
        self._update_cancel()

    def _update_cancel(self) -> None:
        if self.cancelling:
            self.note.setText(t("취소하는 중입니다. 안전하게 멈출 수 있는 곳에서 멈춥니다…"))
        elif not self.stoppable:
            self.note.setText(t("이 단계는 멈출 수 없습니다 (중간에 멈추면 일이 반쯤 된 채 남습니다). 끝날 때까지 "
                                "기다려 주세요."))
        showing = self.cancelling or not self.stoppable
        if showing != self.note.isVisibleTo(self):
            self.note.setVisible(showing)
            self.adjustSize()  # room for the note's lines (or none)
        self.cancel_button.setEnabled(self.stoppable and not self.cancelling)

    def finish(self) -> None:
        self._over = True
        self._timer.stop()
        self.hide()
        self.deleteLater()

    def reject(self) -> None:  # Esc
        self.request_cancel()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._over:
            event.accept()
            return
        event.ignore()
        self.request_cancel()
