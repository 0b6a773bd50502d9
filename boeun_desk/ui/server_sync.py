"""The office server in the window: the 동기화 button with the last sync and the changes not yet
synced (status bar), the sync itself through the one path for long work, and the server settings
(address, database, user; the password goes to the system keyring, or is asked and kept for this
run only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boeun_desk.i18n import t
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.widgets import plain_label
from boeun_desk.ui.worker import Task, error_message, run_with_progress
from boeun_desk.validation import InvalidValue


@dataclass
class ServerFields:
    """The settings form's values and the URL they make (no Qt: tested alone)."""

    host: str = ""
    port: str = ""
    database: str = "boeun"
    user: str = ""
    tls: bool = False  # sslmode=require: the connection is encrypted or not made

    @classmethod
    def from_url(cls, url: str) -> ServerFields:
        if not url:
            return cls()
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        return cls(parsed.host or str(parsed.query.get("host", "")), str(parsed.port or parsed.query.get("port", "")),
                   parsed.database or "",
                   parsed.username or "", parsed.query.get("sslmode") in ("require", "verify-ca", "verify-full"))

    def to_url(self) -> str:
        from sqlalchemy.engine import URL

        host, database, user = self.host.strip(), self.database.strip(), self.user.strip()
        if not host or not database or not user:
            raise InvalidValue(t("서버 주소, 데이터베이스 이름, 사용자 이름을 모두 넣으세요"))
        port = self.port.strip()
        if port and not (port.isdigit() and 0 < int(port) < 65536):
            raise InvalidValue(t("포트는 1부터 65535 사이의 숫자입니다: {port}", port=port))
        query = {"sslmode": "require"} if self.tls else {}
        if host.startswith("/"):  # a Unix socket folder (a server on this computer): libpq's own parameters
            query.update(host=host, **({"port": port} if port else {}))
            host = port = ""
        return URL.create("postgresql+psycopg", username=user, host=host or None, port=int(port) if port else None,
                          database=database, query=query).render_as_string(hide_password=False)


def ask_password(parent: QWidget | None, account: str) -> str | None:
    """The seam tests replace: the officer types the server password (not shown), or cancels."""
    text, ok = QInputDialog.getText(parent, t("서버 비밀번호"), t("{account} 비밀번호:", account=account),
                                    QLineEdit.EchoMode.Password)
    return text if ok and text else None


def sync_now(context: AppContext, parent: QWidget) -> Task | None:
    """Push and pull on a worker with progress and 취소; one change broadcast at the end. No server
    yet: the settings open instead; a password asked for: asked once, then the sync runs again."""
    from boeun_desk.services import Changes
    from boeun_desk.services.server_sync import saved_server, sync_with_server
    from boeun_desk.storage.server import ServerLoginFailed, account, remember_password

    database = context.services.database
    url = saved_server(database)
    if not url:
        ServerSettingsDialog(context, parent).exec()
        return None

    def done(result: Any) -> None:
        context.notice.emit(t("서버와 동기화했습니다: 보냄 {pushed}건, 받음 {pulled}건, 새 충돌 {conflicts}건",
                              pushed=result.pushed, pulled=result.pulled, conflicts=result.conflicts))
        if result.conflicts and context.ask(parent, t("서버와 동기화"), t(
                "양쪽에서 같은 항목을 바꾼 충돌이 {n}건 있습니다. 지금 충돌 목록을 열까요?", n=result.conflicts)) == "yes":
            from boeun_desk.ui.exchange_dialogs import SyncDialog

            SyncDialog(context, parent).exec()

    def failed(error: Exception) -> None:
        if isinstance(error, ServerLoginFailed) and error.needs_password:
            password = ask_password(parent, account(url))
            if password:
                remember_password(url, password, save=True)
                sync_now(context, parent)
                return
        context.ask(parent, t("서버와 동기화"), error_message(error, context), buttons=("ok",), icon="warning")

    return run_with_progress(parent, t("서버와 동기화"), lambda _p, progress, cancelled: sync_with_server(
        database, url, progress=progress, cancelled=cancelled), on_done=done, on_error=failed, context=context,
        changes=Changes.everything("sync"))


class SyncIndicator(QWidget):
    """Status bar: 마지막 동기화 and 동기화 안 된 변경, and the 동기화 button."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.label = QLabel()
        self.button = QPushButton(t("동기화"))
        self.button.setToolTip(t("사무실 서버와 변경 내용을 주고받습니다"))
        self.button.clicked.connect(lambda: sync_now(context, self.window()))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.button)
        context.changed.connect(lambda _changes: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        from boeun_desk.services.server_sync import sync_status

        status = sync_status(self.context.services.database)
        if not status.server:
            self.label.setText(t("서버 없음"))
            return
        last = (status.last_sync.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M") if status.last_sync
                else t("아직 없음"))  # stored in UTC, shown in this computer's time
        self.label.setText(t("마지막 동기화 {last} · 동기화 안 된 변경 {n}건", last=last, n=status.pending))


class ServerSettingsDialog(QDialog):
    """Which server this laptop syncs with, as whom; the password to the keyring."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        from boeun_desk.services.server_sync import saved_server
        from boeun_desk.storage.server import keyring_available

        self.context = context
        self.setWindowTitle(t("서버 설정"))
        fields = ServerFields.from_url(saved_server(context.services.database))
        self.host, self.port = QLineEdit(fields.host), QLineEdit(fields.port)
        self.host.setPlaceholderText(t("예: office-server 또는 192.168.0.10"))
        self.port.setPlaceholderText("5432")
        self.database, self.user = QLineEdit(fields.database), QLineEdit(fields.user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.keyring = keyring_available()
        self.password.setPlaceholderText(t("시스템 키링에 저장합니다") if self.keyring
                                         else t("이 컴퓨터에는 키링이 없어 저장하지 않습니다(이번 실행 동안만)"))
        self.tls = QCheckBox(t("암호화 연결(SSL)만 허용"))
        self.tls.setChecked(fields.tls)
        form = QFormLayout()
        for label, widget in ((t("서버"), self.host), (t("포트"), self.port), (t("데이터베이스"), self.database),
                              (t("사용자"), self.user), (t("비밀번호"), self.password), ("", self.tls)):
            form.addRow(label, widget)
        self.message = plain_label(t("관리자에게 받은 서버 주소와 사용자 이름을 넣으세요. 비밀번호는 파일에 저장하지 않습니다."),
                                   wrap=True)
        check = QPushButton(t("연결 시험"))
        check.clicked.connect(self.check)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(t("저장"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t("취소"))
        buttons.addButton(check, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def fields(self) -> ServerFields:
        return ServerFields(self.host.text(), self.port.text(), self.database.text(), self.user.text(),
                            self.tls.isChecked())

    def _url(self) -> str | None:
        from boeun_desk.storage.server import remember_password

        try:
            url = self.fields().to_url()
        except InvalidValue as error:
            self.message.setText(str(error))
            return None
        if self.password.text():
            remember_password(url, self.password.text(), save=True)
        return url

    def check(self) -> Task | None:
        """Connect once on a worker (a few seconds at most) and say what came of it."""
        from boeun_desk.services.server_sync import open_server

        url = self._url()
        if url is None:
            return None
        return run_with_progress(self, t("연결 시험"), lambda *_: open_server(url).close(),
                                 on_done=lambda _r: self.message.setText(t("서버에 연결했습니다")),
                                 on_error=lambda error: self.message.setText(error_message(error, self.context)))

    def save(self) -> None:
        from boeun_desk.services.server_sync import set_server

        url = self._url()
        if url is None:
            return
        set_server(self.context.services.database, url)
        self.context.notice.emit(t("서버 설정을 저장했습니다: {url}", url=url))
        self.accept()
