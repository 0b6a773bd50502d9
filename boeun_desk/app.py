"""Start the desktop program: Qt application, shipped Hangul font, settings, database, main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from boeun_desk.db import Database, DatabaseError, open_database
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


def run(target: str | Path | None, *, officer: str = "") -> int:
    app = application()
    settings = QSettings()
    language = str(settings.value("language", "ko"))
    set_language(language if language in LANGUAGES else "ko")
    try:
        database = open_database(target)
    except DatabaseError as error:
        ask(None, t("데이터베이스를 열 수 없습니다"), str(error), buttons=("ok",), icon="error")
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
