"""Start the desktop program: Qt application, shipped Hangul font, settings, database, main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from boeun_desk.db import DamagedDatabase, Database, DatabaseError, open_database
from boeun_desk.exchange import backup
from boeun_desk.i18n import LANGUAGES, set_language, t
from boeun_desk.paths import resource
from boeun_desk.services import Services
from boeun_desk.services.demo import build_demo
from boeun_desk.ui.context import AppContext, ask
from boeun_desk.ui.main_window import MainWindow

# Benchmarks set this to measure start-up to a usable window: quit as soon as it is shown.
QUIT_WHEN_READY = "BOEUN_DESK_QUIT_WHEN_READY"


def application() -> QApplication:
    """The QApplication with names for QSettings and the shipped NanumGothic as the UI font."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("BoeunDesk")
    app.setApplicationName("BoeunDesk")
    app.setWindowIcon(QIcon(str(resource("icons", "boeun-desk.png"))))
    families = []
    for name in ("NanumGothic.ttf", "NanumGothicBold.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(resource("fonts", name)))
        families += QFontDatabase.applicationFontFamilies(font_id)
    if families:
        app.setFont(QFont(families[0], 10))
    return app  # type: ignore[return-value]


def offer_demo(database: Database, services: Services) -> None:
    """An empty database offers the demo program or a clean start."""
    if services.firms.ids(include_deleted=True):
        return
    answer = ask(None, t("새 데이터베이스"), t("데이터가 없는 새 데이터베이스입니다.\n연습용 데모 데이터를 넣을까요? "
                                          "(아니오: 빈 상태로 시작)"))
    if answer == "yes":
        build_demo(database)


def open_or_restore(target: str | Path | None) -> Database | None:
    """Open for this window alone (instance lock, automatic backups). A damaged file offers the
    newest sound backup; the damaged file itself is kept aside. None when nothing could be opened."""
    try:
        return open_database(target, exclusive=True, auto_backup=True)
    except DamagedDatabase as error:
        if error.path is None or not backup.list_backups(error.path):
            ask(None, t("데이터베이스를 열 수 없습니다"), str(error), buttons=("ok",), icon="error")
            return None
        question = str(error) + "\n\n" + t("가장 최근의 정상 백업으로 복원할까요? (손상된 파일은 지우지 않고 옆에 보관합니다)")
        if ask(None, t("데이터베이스 손상"), question, icon="warning") != "yes":
            return None
        try:
            result = backup.restore(error.path)
            database = open_database(target, exclusive=True, auto_backup=True)
        except DatabaseError as failure:
            ask(None, t("복원할 수 없습니다"), str(failure), buttons=("ok",), icon="error")
            return None
        ask(None, t("복원했습니다"), t("{source} 백업으로 복원했습니다. 손상된 파일은 {aside}에 보관했습니다.",
                                    source=result.restored_from.name,
                                    aside=", ".join(p.name for p in result.kept_aside) or "-"),
            buttons=("ok",), icon="info")
        return database
    except DatabaseError as error:
        ask(None, t("데이터베이스를 열 수 없습니다"), str(error), buttons=("ok",), icon="error")
        return None


def run(target: str | Path | None, *, officer: str = "") -> int:
    app = application()
    settings = QSettings()
    language = str(settings.value("language", "ko"))
    set_language(language if language in LANGUAGES else "ko")
    database = open_or_restore(target)
    if database is None:
        return 1
    services = Services(database, officer or str(settings.value("officer", "")))
    if not os.environ.get(QUIT_WHEN_READY):
        offer_demo(database, services)
    window = MainWindow(AppContext(services, settings))
    window.show()
    if os.environ.get(QUIT_WHEN_READY):
        QTimer.singleShot(0, app.quit)
    try:
        return app.exec()
    finally:
        # Delete the window (and its models and threads) while Qt is alive; left to the garbage
        # collector at interpreter exit, PySide6 can crash after the event loop has ended.
        shiboken6.delete(window)
        database.close()
