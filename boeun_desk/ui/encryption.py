"""Encryption in the settings: turn it on, change the passphrase, turn it off. The file cannot be
converted while this window has it open, so the choice is carried out after the window closes
(app.run) and the program starts again, asking for the new passphrase."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from boeun_desk.i18n import t
from boeun_desk.ui import passphrase_dialog
from boeun_desk.ui.context import AppContext, ask
from boeun_desk.ui.widgets import plain_label
from boeun_desk.ui.worker import error_message, run_with_progress


class EncryptionBox(QGroupBox):
    """The database's encryption state and what can be done with it; `conversion` is the
    (old key, new key) chosen, None while nothing is."""

    def __init__(self, context: AppContext, on_chosen: Any):
        super().__init__(t("암호화 (이 데이터베이스)"))
        self.context, self.on_chosen = context, on_chosen
        self.conversion: tuple[Any, Any] | None = None
        database = context.services.database
        self.key = database.key
        layout = QVBoxLayout(self)
        if database.path is None:
            layout.addWidget(plain_label(t("서버 데이터베이스는 여기서 암호화하지 않습니다"), wrap=True))
            return
        self.state = plain_label(
            t("암호화되어 있습니다. 데이터베이스, 백업, 저장하지 않은 입력은 암호 없이 읽을 수 없습니다.") if self.key is not None
            else t("암호화되어 있지 않습니다. 노트북을 잃어버리면 누구나 파일을 읽을 수 있습니다."), wrap=True)
        layout.addWidget(self.state)
        row = QHBoxLayout()
        actions = ((t("암호 바꾸기…"), self.change), (t("암호화 해제…"), self.decrypt)) if self.key is not None \
            else ((t("암호화…"), self.encrypt),)
        self.buttons: dict[str, QPushButton] = {}
        for label, slot in actions:
            button = QPushButton(label)
            button.clicked.connect(slot)
            self.buttons[label] = button
            row.addWidget(button)
        row.addStretch()
        layout.addLayout(row)

    def _restart_ok(self, what: str) -> bool:
        return self.context.ask(self, t("암호화"), t(
            "{what} 프로그램을 닫은 뒤에 합니다(창이 파일을 쓰는 동안에는 바꿀 수 없습니다). 끝나면 프로그램이 다시 "
            "시작되고 암호를 묻습니다. 저장한 내용은 그대로 있고, 실행 취소 기록만 지워집니다. 계속할까요?", what=what)) == "yes"

    def _choose(self, old: Any, new: Any, what: str) -> None:
        if self._restart_ok(what):
            self.conversion = (old, new)
            self.on_chosen()

    def _current_matches(self, passphrase: str) -> bool:
        if self.key is not None and self.key.matches(passphrase):
            return True
        self.context.ask(self, t("암호가 맞지 않습니다"), t("지금 암호가 맞지 않습니다. 아무것도 바꾸지 않았습니다."),
                         buttons=("ok",), icon="warning")
        return False

    def encrypt(self) -> None:
        from boeun_desk.storage.cipher import Key

        entered = passphrase_dialog.ask_passphrase(self, passphrase_dialog.NEW, t("데이터베이스 암호화"), t(
            "이 데이터베이스와 백업, 저장하지 않은 입력을 암호로 암호화합니다. 프로그램을 열 때마다 암호를 묻습니다."))
        if entered is not None:
            self._choose(None, Key(entered.passphrase), t("암호화는"))

    def change(self) -> None:
        from boeun_desk.storage.cipher import Key

        entered = passphrase_dialog.ask_passphrase(self, passphrase_dialog.CHANGE, t("암호 바꾸기"),
                                                   t("지금 암호와 새 암호를 입력하세요."))
        if entered is not None and self._current_matches(entered.current):
            self._choose(self.key, Key(entered.passphrase), t("암호 바꾸기는"))

    def decrypt(self) -> None:
        entered = passphrase_dialog.ask_passphrase(self, passphrase_dialog.OPEN, t("암호화 해제"), t(
            "암호화를 풀면 데이터베이스와 백업이 암호 없이 읽을 수 있는 파일이 됩니다. 지금 암호를 입력하세요."))
        if entered is not None and self._current_matches(entered.passphrase):
            self._choose(self.key, None, t("암호화 해제는"))


def _convert(params: tuple[Path, Any, Any], progress: Any, cancelled: Any) -> Any:
    from boeun_desk.exchange.drafts import DraftJournal
    from boeun_desk.storage import convert

    path, old, new = params
    result = convert.convert(path, old, new, progress=progress, cancelled=cancelled)
    DraftJournal.beside(path, old).move_to(DraftJournal.beside(path, new))
    return result


def convert_after_close(path: Path, old: Any, new: Any, parent: QWidget | None = None) -> bool:
    """Convert the closed database on a worker with the progress window (취소 until the new file
    takes the path); tell the officer how it went. True when it was converted."""
    title = t("데이터베이스 암호화") if old is None else t("암호 바꾸기") if new is not None else t("암호화 해제")
    outcome: list[Any] = []
    task = run_with_progress(parent, title, _convert, (path, old, new), on_done=outcome.append,
                             on_error=outcome.append)
    if not task.done:
        loop = QEventLoop()
        task.ended.connect(loop.quit)
        loop.exec()
    result = outcome[0]
    if isinstance(result, BaseException):  # Cancelled too: the file is as it was
        report_failure(result)
        return False
    done = (t("암호화했습니다. 다음부터 프로그램을 열 때 암호를 묻습니다.") if old is None else
            t("암호를 바꿨습니다.") if new is not None else t("암호화를 풀었습니다."))
    left = t("\n이 암호로 열리지 않아 그대로 둔 백업 {n}개: {names}", n=len(result.left),
             names=", ".join(p.name for p in result.left)) if result.left else ""
    ask(parent, t("암호화"), done + left, buttons=("ok",), icon="info")
    return True


def report_failure(error: BaseException) -> None:
    ask(None, t("바꾸지 못했습니다"), t("데이터베이스를 바꾸지 못했습니다. 파일은 그대로입니다.\n{detail}",
                                    detail=error_message(error)), buttons=("ok",), icon="error")
