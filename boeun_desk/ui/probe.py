"""The self-test's look at Qt: the application starts, the shipped font loads, the window builds."""

from __future__ import annotations

from PySide6.QtCore import QCollator, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFontInfo, QImage, QImageReader

from boeun_desk.app import application
from boeun_desk.paths import resource
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


def qt_parts() -> str:
    """The parts of Qt a smaller build could lose: its Korean (standard buttons and dialogs), the image
    formats the style and dialogs use, and collation (Qt's file dialog sorts names with it; on Linux
    through ICU's data, which the build trims)."""
    application()
    translator = QTranslator()  # loaded, not installed: the running application keeps its language
    assert translator.load("qtbase_ko", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)), \
        "Qt's Korean (qtbase_ko.qm) missing"
    cancel = translator.translate("QPlatformTheme", "Cancel")
    assert cancel == "취소", f"Qt's Korean Cancel reads {cancel!r}"
    formats = {bytes(name.data()).decode() for name in QImageReader.supportedImageFormats()}
    assert {"png", "jpg", "gif", "ico", "svg"} <= formats, f"Qt image formats: {sorted(formats)}"
    assert not QImage(str(resource("icons", "boeun-desk.png"))).isNull(), "the window icon does not load"
    collator = QCollator(QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea))
    collator.setNumericMode(True)
    order = (collator.compare("가지", "나무"), collator.compare("file2", "file10"), collator.compare("apple", "Zebra"))
    assert all(result < 0 for result in order), f"Korean collation in code-point order {order} (no collation data?)"
    return f"Qt's Korean, image formats {', '.join(sorted(formats & {'png', 'jpg', 'gif', 'ico', 'svg'}))}, " \
           "Korean collation"
