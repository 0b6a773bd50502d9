"""Asking for a passphrase: to open an encrypted database, to set or change one (with the plain
warning that a forgotten passphrase cannot be recovered), to seal or open a sync bundle.

`ask_passphrase()` is the one seam the screens call (tests replace it, as they replace `ask`)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from boeun_desk.i18n import t
from boeun_desk.storage.cipher import check_passphrase

OPEN, NEW, CHANGE = "open", "new", "change"


def forgotten_warning() -> str:
    return t("암호를 잊으면 누구도 되찾을 수 없습니다. 이 데이터베이스와 그 백업을 다시 열 수 없게 됩니다. "
             "암호를 안전한 곳에 적어 두세요.")


@dataclass(frozen=True)
class Entered:
    passphrase: str
    current: str = ""  # CHANGE: the passphrase now


class PassphraseRules:
    """What the dialog decides, without a window: the Korean reason to refuse, or None."""

    @staticmethod
    def problem(mode: str, passphrase: str, confirm: str, understood: bool) -> str | None:
        if not passphrase:
            return t("암호를 입력하세요")
        if mode == OPEN:
            return None
        reason = check_passphrase(passphrase)
        if reason:
            return reason
        if passphrase != confirm:
            return t("두 번 입력한 암호가 다릅니다")
        if not understood:
            return t("암호를 잊으면 되찾을 수 없다는 것을 확인해 주세요")
        return None


class PassphraseDialog(QDialog):
    def __init__(self, parent: QWidget | None, mode: str, title: str, text: str, *, warn: bool = True):
        super().__init__(parent)
        self.mode, self.entered = mode, None
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        from boeun_desk.ui.widgets import ok_cancel, plain_label

        layout.addWidget(plain_label(text, wrap=True))
        form = QFormLayout()
        self.current = self._field()
        self.passphrase = self._field()
        self.confirm = self._field()
        if mode == CHANGE:
            form.addRow(t("지금 암호"), self.current)
        form.addRow(t("새 암호") if mode != OPEN else t("암호"), self.passphrase)
        if mode != OPEN:
            form.addRow(t("새 암호 확인"), self.confirm)
        layout.addLayout(form)
        self.understood = QCheckBox(t("암호를 잊으면 되찾을 수 없다는 것을 이해했습니다"))
        if mode != OPEN and warn:
            warning = plain_label(forgotten_warning(), wrap=True)
            warning.setStyleSheet("color: #b00020")
            layout.addWidget(warning)
            layout.addWidget(self.understood)
        else:
            self.understood.setChecked(True)
        self.error = plain_label(wrap=True)
        self.error.setStyleSheet("color: #b00020")
        self.error.hide()  # shown with the first refusal (an empty line would leave a gap above the buttons)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, self.submit))
        self.resize(460, self.sizeHint().height())

    @staticmethod
    def _field() -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def submit(self) -> None:
        problem = t("지금 암호를 입력하세요") if self.mode == CHANGE and not self.current.text() else \
            PassphraseRules.problem(self.mode, self.passphrase.text(), self.confirm.text(), self.understood.isChecked())
        if problem:
            self.error.setText(problem)  # what was typed stays
            self.error.show()
            return
        self.entered = Entered(self.passphrase.text(), self.current.text())
        self.accept()


def ask_passphrase(parent: QWidget | None, mode: str, title: str, text: str, *, warn: bool = True) -> Entered | None:
    """The passphrase typed (None: cancelled). `warn`: a new passphrase comes with the warning
    that a forgotten one cannot be recovered (a sync bundle's does not need it)."""
    dialog = PassphraseDialog(parent, mode, title, text, warn=warn)
    return dialog.entered if dialog.exec() else None
