"""The self-test's look at Qt: the application starts, the shipped font loads, the window builds."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFontInfo

from boeun_desk.app import application
from boeun_desk.services import Services
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.main_window import MainWindow


def open_main_window(services: Services) -> str:
    app = application()
    family = QFontInfo(app.font()).family()
    assert "Nanum" in family, f"UI font is {family}, not NanumGothic"
    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "BoeunDeskSelfTest")
    window = MainWindow(AppContext(services, settings))
    window.show()
    app.processEvents()
    rows = window.screen("firms").model.rowCount()
    window.close()
    assert rows == 22, f"firm list shows {rows} rows"
    return f"{app.platformName()} platform, font {family}, firm list {rows} rows"
