"""Screenshots of every screen at 1366x768 with the demo data (docs/screenshots/*.png).

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QTabWidget

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from boeun_desk.app import application  # noqa: E402
from boeun_desk.services import Services  # noqa: E402
from boeun_desk.services.demo import write_demo  # noqa: E402
from boeun_desk.storage.engine import open_database  # noqa: E402
from boeun_desk.ui.context import AppContext  # noqa: E402
from boeun_desk.ui.main_window import PAGES, MainWindow  # noqa: E402


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = application()
    folder = Path(tempfile.mkdtemp())
    database = open_database(write_demo(folder / "demo.sqlite3", today=date.today()))
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(AppContext(Services(database, "이서연"), settings))
    window.setWindowState(Qt.WindowState.WindowNoState)  # not maximized to the offscreen screen
    window.resize(1366, 768)
    window.show()

    def shot(name: str) -> None:
        settle()
        window.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")

    def settle() -> None:
        deadline = time.monotonic() + 0.6  # let QPdfView render its pages
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)

    for key, _label, specs in PAGES:
        window.go(key)
        page = window.page(key)
        if isinstance(page, QTabWidget):
            for index, spec in enumerate(specs):
                page.setCurrentIndex(index)
                shot(f"{key}-{spec}")
        elif key == "reports":
            window.report_screen().kind.set_value("annual")
            window.report_screen().preview()
            while window.report_screen().busy:  # made on the worker
                app.processEvents()
            shot(key)
        else:
            shot(key)
    firm_id = window.screen("firms").model.id_at(0)
    detail = window.open_firm(firm_id)
    shot("firm-detail")
    detail.show_tab("visits")
    shot("firm-detail-visits")
    screen = window.screen("cases")
    window.go("cases")
    form = screen.form(screen.model.id_at(0))
    form.show()
    settle()
    form.grab().save(str(out / "case-form.png"))
    form.close()
    visits = window.screen("visits")
    form = visits.form(visits.model.id_at(0))
    form.resize(720, 740)
    form.show()
    settle()
    form.grab().save(str(out / "visit-form.png"))
    database.close()
    QApplication.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
