"""The window fits the screens officers have (down to 1280x720 logical: 1920x1080 at 150 %, a
1366x768 screen less its taskbar), in Korean and in English; a new language applies on a restart
the officer can choose at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from boeun_desk import i18n
from boeun_desk.ui import screen_fit
from boeun_desk.ui.main_window import PAGES, MainWindow
from boeun_desk.ui.settings_dialog import SettingsDialog
from boeun_desk.ui.specs import SPECS
from tests.conftest import Answers

SMALLEST = QSize(1280, 720)


@pytest.fixture(params=["ko", "en"])
def language(request):
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("ko")


def fits(size: QSize, room: QSize = SMALLEST) -> bool:
    return size.width() <= room.width() and size.height() <= room.height()


@pytest.mark.parametrize(("area", "fill"), [
    (QRect(0, 0, 1280, 720), True),  # 1920x1080 at 150 %
    (QRect(0, 0, 1366, 728), True),  # 1366x768 less a 40 px taskbar
    (QRect(0, 0, 1536, 824), False),  # 1920x1080 at 125 %, taskbar
    (QRect(1920, 0, 1920, 1040), False),  # a second monitor
])
def test_the_first_window_is_never_larger_than_the_available_area(area, fill):
    rect, maximized = screen_fit.first_geometry(area, QSize(1366, 740))
    frame = rect.adjusted(-screen_fit.BORDER, -screen_fit.TITLE_BAR, screen_fit.BORDER, screen_fit.BORDER)
    assert area.contains(frame), (frame, area)
    assert maximized is fill
    assert rect.size() == (QSize(1366, 740) if not fill else QSize(area.width() - 16, area.height() - 40))


def build_everything(context) -> MainWindow:
    window = MainWindow(context)
    for key, _label, _specs in PAGES:
        window.page(key)
    window.open_firm(window.screen("firms").model.id_at(0))
    return window


def test_every_screen_is_usable_at_1280x720(context, qtbot, language):
    """Every page, the firm detail, every form and dialog: their smallest usable size fits (the
    window's own, with the navigation and menus, too); what is larger scrolls."""
    from boeun_desk.ui.exchange_dialogs import ImportDialog, SyncDialog
    from boeun_desk.ui.history_dialog import HistoryDialog

    window = build_everything(context)
    qtbot.addWidget(window)
    assert fits(window.minimumSizeHint()), window.minimumSizeHint()
    for key in window.pages:
        assert fits(window.page(key).minimumSizeHint()), key
    dialogs: list[QWidget] = [SettingsDialog(context, window), ImportDialog(context, window),
                              SyncDialog(context, window),
                              HistoryDialog(context.services.database, window.screen("firms").model.id_at(0), window)]
    dialogs += [window.screen(key).form(window.screen(key).model.id_at(0)) for key in SPECS]
    room = QSize(SMALLEST.width() - 16, SMALLEST.height() - 40)  # less the title bar and borders
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        assert fits(dialog.minimumSizeHint(), room) and fits(dialog.size(), room), (type(dialog), dialog.size())


def test_english_navigation_fits_without_a_horizontal_scroll_bar(context, qtbot):
    i18n.set_language("en")
    try:
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        labels = [window.nav.item(row).text() for row in range(window.nav.count())]
        assert "Supply companies & matches" in labels
        QApplication.processEvents()
        assert not window.nav.horizontalScrollBar().isVisible()
        assert window.nav.horizontalScrollBar().maximum() == 0
        assert window.nav.sizeHintForColumn(0) <= window.nav.viewport().width()
    finally:
        i18n.set_language("ko")


def test_the_window_fits_a_1920x1080_screen_at_150_percent(demo_path, tmp_path):
    """The real thing, in a program of its own (Qt's offscreen screen set to 1920x1080 with window
    frames, scaled 150 %): the first window, one remembered from a larger monitor, Korean and English."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"windowFrameMargins": True, "screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96,
         "logicalBaseDpi": 96, "dpr": 1}]}))
    code = textwrap.dedent(f"""
        import json, sys
        from PySide6.QtCore import QByteArray, QRect, QSettings
        from PySide6.QtWidgets import QApplication
        app = QApplication([sys.argv[0], "-platform", "offscreen:configfile={config}"])
        from boeun_desk import i18n
        from boeun_desk.services import Services
        from boeun_desk.storage.engine import open_database
        from boeun_desk.ui.context import AppContext
        from boeun_desk.ui.main_window import PAGES, MainWindow
        database = open_database({str(demo_path)!r})
        seen = []
        for language, remembered in (("ko", False), ("en", False), ("ko", True)):
            i18n.set_language(language)
            settings = QSettings({str(tmp_path / "settings.ini")!r}, QSettings.Format.IniFormat)
            if remembered:  # saved on a 2560x1440 monitor
                big = MainWindow(settings=settings)
                big.setGeometry(QRect(100, 80, 2400, 1300))
                settings.setValue("window/geometry", big.saveGeometry())
            window = MainWindow(AppContext(Services(database), settings), settings=settings)
            for key, _label, _specs in PAGES:
                window.go(key)
            window.show()
            for _ in range(5):
                app.processEvents()
            area = window.windowHandle().screen().availableGeometry()
            seen.append({{"area": area.getRect(), "frame": window.frameGeometry().getRect(),
                          "inside": area.contains(window.frameGeometry()),
                          "status_bar": window.statusBar().isVisible(),
                          "scroll": window.nav.horizontalScrollBar().isVisible()}})
            window.close()
        print(json.dumps(seen))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_SCALE_FACTOR": "1.5"}, cwd=Path(__file__).parent.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert [s["area"] for s in seen] == [[0, 0, 1280, 720]] * 3  # 1920x1080 at 150 %
    assert all(s["inside"] and s["status_bar"] and not s["scroll"] for s in seen), seen


def test_a_new_language_asks_to_restart_and_restarts_on_yes(context, qtbot, monkeypatch):
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    # No: saved, applied at the next start; the window stays.
    context.ask = Answers("no")
    monkeypatch.setattr(SettingsDialog, "exec", lambda dialog: (dialog.language.set_value("en"), dialog.apply(),
                                                                 dialog.result())[-1])
    dialog = window.open_settings()
    assert context.settings.value("language") == "en" and not dialog.restart_now
    assert "다시 시작" in context.ask.asked[0] and window.isVisible() and not window.restart_requested
    # Back to Korean, and yes: the window closes to start again.
    context.ask = Answers("yes")
    monkeypatch.setattr(SettingsDialog, "exec", lambda dialog: (dialog.language.set_value("ko"), dialog.apply(),
                                                                 dialog.result())[-1])
    dialog = window.open_settings()
    assert context.settings.value("language") == "ko" and dialog.restart_now
    assert window.restart_requested and not window.isVisible()
    # The same language again: nothing asked.
    context.ask = Answers()
    dialog = SettingsDialog(context, window)
    dialog.apply()
    assert context.ask.asked == [] and not dialog.restart_now
    # A folder that does not exist keeps the dialog open: the language waits for the next 확인.
    dialog = SettingsDialog(context, window)
    dialog.language.set_value("en")
    dialog.documents_folder.edit.setText("/없는/폴더")
    dialog.apply()
    assert context.ask.asked == [] and context.settings.value("language") == "ko"
    dialog.documents_folder.edit.setText("")
    context.ask = Answers("no")
    dialog.apply()
    assert context.settings.value("language") == "en" and "다시 시작" in context.ask.asked[0]


def test_the_program_starts_again_after_the_database_is_closed(demo_path, monkeypatch, qapp):
    from boeun_desk import app

    started: list[bool] = []

    def relaunch() -> None:  # the new window must find the file free: open it as the new one would
        app.open_for_window(demo_path).close()
        started.append(True)

    monkeypatch.setattr(app, "relaunch", relaunch)
    monkeypatch.delenv(app.QUIT_WHEN_READY, raising=False)

    def restart() -> None:
        window = next(w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow))
        if window.context is None:  # still opening the file: try again shortly
            QTimer.singleShot(100, restart)
            return
        window.restart()

    QTimer.singleShot(100, restart)
    assert app.run(demo_path) == 0
    assert started == [True]
