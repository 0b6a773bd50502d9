"""GUI figure: what one visit save costs the GUI thread with every screen built and the visits list
on display (screens not on display refresh when shown), beside the service's save alone; the note
gives the SQL statements, and what refreshing the hidden screens at once (as before) would add."""

from __future__ import annotations

import os
import shutil
import time
from itertools import count

from sqlalchemy import event

from benchmarks.common import Context, Figure, figure, median_seconds


@figure("visit_save_gui_ms")
def visit_save(ctx: Context) -> Figure:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from boeun_desk.app import application
    from boeun_desk.services import Services
    from boeun_desk.storage.engine import open_database
    from boeun_desk.ui.context import AppContext
    from boeun_desk.ui.main_window import PAGES, MainWindow
    from boeun_desk.ui.refresh import RefreshWhenShown

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    application()
    copy = ctx.workdir / "visit-save.sqlite3"  # saves change the data: not in the shared database
    shutil.copyfile(ctx.db_path, copy)
    services = Services(open_database(copy), "벤치마크")
    context = AppContext(services, QSettings(str(ctx.workdir / "bench-settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(context)
    window.resize(1366, 740)
    window.show()
    for key, _label, _specs in PAGES:  # every screen built, its caches filled
        window.go(key)
        QApplication.processEvents()
    window.go("visits")
    QApplication.processEvents()
    visit_id = window.screen("visits").model.id_at(0)
    numbers, statements = count(), []
    event.listen(services.database.engine, "before_cursor_execute", lambda *_args: statements.append(1))

    def save() -> None:
        context.update("visits", visit_id, {"purpose": f"벤치마크 방문 {next(numbers)}"})
        QApplication.processEvents()  # the visible list repaints

    value = median_seconds(save, repeat=5)
    statements.clear()
    save()
    per_save = len(statements)
    changes = services.visits.update(visit_id, {"purpose": "벤치마크 방문"})
    hidden = [f for f in window.findChildren(RefreshWhenShown) if f.wants(changes) and not f.screen.isVisible()]
    statements.clear()
    started = time.perf_counter()
    for follower in hidden:  # as before: the screens not on display refreshed on every save too
        follower.refresh()
    eager, eager_statements = time.perf_counter() - started, len(statements)
    baseline = median_seconds(lambda: services.visits.update(visit_id, {"purpose": f"서비스만 {next(numbers)}"}),
                              repeat=5)
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    services.database.close()
    copy.unlink(missing_ok=True)
    return Figure(value * 1000, "ms", baseline * 1000, "the service's save alone",
                  f"{per_save} SQL statements per save; the {len(hidden)} screens not on display, refreshed at "
                  f"once as before, would add {eager * 1000:.0f} ms and {eager_statements} statements")
