"""GUI figures: whole-process start-up, a search keystroke, sorting, opening a firm, peak memory.

Start-up is compared with an empty QMainWindow started the same way (process start to on screen); list operations with the raw
SQLite query of the same data.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import Context, Figure, figure, median_seconds

# The baseline: an empty QMainWindow, its moment on screen recorded the same way as the program's.
EMPTY_WINDOW = ("import os, sys, time; from PySide6.QtWidgets import QApplication, QMainWindow; "
                "from PySide6.QtCore import QTimer; app = QApplication(sys.argv); w = QMainWindow(); w.show(); "
                "QTimer.singleShot(0, lambda: (open(os.environ['BOEUN_DESK_STARTUP_TRACE'], 'a')"
                ".write(f'window_shown {time.monotonic()}\\n'), app.quit())); app.exec()")


def _milestones(argv: list[str], workdir: Path) -> dict[str, float]:
    """Seconds from starting the process to each start-up milestone it records (app.py:
    window_shown, data_shown, database_open, ready), and to the process's end ("exit")."""
    trace = workdir / "startup-trace.txt"
    trace.unlink(missing_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BOEUN_DESK_QUIT_WHEN_READY": "1",
           "XDG_CONFIG_HOME": str(workdir / "config"),  # not the officer's settings (window size)
           "BOEUN_DESK_STARTUP_TRACE": str(trace)}
    started = time.monotonic()  # CLOCK_MONOTONIC: the same clock in the child process
    subprocess.run(argv, env=env, check=True, capture_output=True)
    marks = {"exit": time.monotonic() - started}
    for line in trace.read_text().splitlines():
        name, at = line.split()
        marks[name] = float(at) - started
    return marks


_STARTUP: dict[str, dict[str, float]] = {}


def _startup(ctx: Context) -> dict[str, dict[str, float]]:
    """Median milestones of each kind of start. The kinds take turns (no start page, everyday,
    empty window, and again), so a machine that slows down for a while slows each of them alike."""
    if not _STARTUP:
        # The program's bytecode as an installed copy has it (pip and PyInstaller compile it): with
        # PYTHONDONTWRITEBYTECODE set, a module changed since its .pyc was written would be compiled
        # again at every start and counted as start-up.
        import compileall

        compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "boeun_desk"), quiet=2)
        repeat = 3 if ctx.quick else 7
        program = [sys.executable, "-m", "boeun_desk", "--db", str(ctx.db_path)]
        lock = ctx.db_path.with_name(ctx.db_path.name + ".lock")
        runs: dict[str, list[dict[str, float]]] = {"first": [], "program": [], "empty": []}
        for _ in range(repeat):
            # No start page: a file this program did not close (first open, a copy, after a crash).
            lock.unlink(missing_ok=True)
            runs["first"].append(_milestones(program, ctx.workdir))
            # The everyday start: the last close was clean (the run before closed cleanly).
            runs["program"].append(_milestones(program, ctx.workdir))
            runs["empty"].append(_milestones([sys.executable, "-c", EMPTY_WINDOW], ctx.workdir))
        for kind, marks in runs.items():
            _STARTUP[kind] = {name: statistics.median(m[name] for m in marks) for name in marks[0]}
    return _STARTUP


@figure("startup_s")
def startup(ctx: Context) -> Figure:
    """Process start to the dashboard's figures on screen, after a clean close (the everyday start):
    the start page the close left (overview.py) is shown with the frame."""
    runs = _startup(ctx)
    program = runs["program"]
    return Figure(program["data_shown"], "s", runs["empty"]["window_shown"], "empty QMainWindow on screen",
                  f"< 1.5 s and < 3x baseline; file open at {program['database_open']:.2f} s, "
                  f"process end {program['exit']:.2f} s")


@figure("startup_ready_s")
def startup_ready(ctx: Context) -> Figure:
    """Process start to every screen working (database layer loaded, file open, window attached)."""
    runs = _startup(ctx)
    return Figure(runs["program"]["ready"], "s", runs["empty"]["window_shown"], "empty QMainWindow on screen",
                  "< 1.5 s")


@figure("startup_no_start_page_s")
def startup_no_start_page(ctx: Context) -> Figure:
    """Process start to the dashboard's figures for a file with no start page (first open, a copied
    file, after a crash): the figures come with the open file."""
    runs = _startup(ctx)
    return Figure(runs["first"]["data_shown"], "s", runs["empty"]["window_shown"], "empty QMainWindow on screen",
                  f"< 1.5 s; every screen working at {runs['first']['ready']:.2f} s")


@figure("startup_window_s")
def startup_window(ctx: Context) -> Figure:
    """Process start to the window frame on screen (navigation, menus come with the data)."""
    runs = _startup(ctx)
    return Figure(runs["program"]["window_shown"], "s", runs["empty"]["window_shown"],
                  "empty QMainWindow on screen", "frame shown before the database layer loads")


def _gui(ctx: Context):
    from PySide6.QtCore import QSettings

    from boeun_desk.app import application
    from boeun_desk.services import Services
    from boeun_desk.storage.engine import open_database
    from boeun_desk.ui.context import AppContext

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    application()
    services = Services(open_database(ctx.db_path), "벤치마크")
    settings = QSettings(str(ctx.workdir / "bench-settings.ini"), QSettings.Format.IniFormat)
    return AppContext(services, settings)


def _keystroke(ctx: Context, spec_key: str, text: str) -> tuple[float, float, str]:
    """(a keystroke, the raw query, what the first keystroke of all costs: it needs the list's
    search texts, which start loading when the search box gets the focus)."""
    from PySide6.QtWidgets import QApplication

    from boeun_desk.ui.list_screen import ListScreen
    from boeun_desk.ui.specs import SPECS
    from boeun_desk.ui.table_model import Lookups

    context = _gui(ctx)
    screen = ListScreen(context, SPECS[spec_key], Lookups(context))
    screen.resize(1200, 700)
    screen.show()
    terms = [text[: i + 1] for i in range(len(text))]

    def type_all() -> None:
        for term in terms:  # one keystroke each: new search, reset, paint the first visible rows
            screen.search.setText(term)
            for row in range(min(30, screen.model.rowCount())):
                for column in range(screen.model.columnCount()):
                    screen.model.data(screen.model.index(row, column))
        screen.search.setText("")

    started = time.perf_counter()
    screen.search.setText(terms[0])  # typed with no focus event before it: the texts load now
    cold = time.perf_counter() - started
    screen.search.setText("")
    screen.model.reload(refetch=True)  # forget the texts
    started = time.perf_counter()
    screen.model.prepare_search()  # what the search box's focus does
    while time.perf_counter() - started < 0.3:  # the officer's hand from the click to the first key
        QApplication.processEvents()
        time.sleep(0.005)
    preparing = screen.model._preparing
    loaded = screen.model._rows is not None or (preparing is not None and not preparing[1].running)
    started = time.perf_counter()
    screen.search.setText(terms[0])
    first = time.perf_counter() - started
    screen.search.setText("")
    first_note = (f"first keystroke {first * 1000:.0f} ms typed 0.3 s after the focus (texts "
                  f"{'loaded' if loaded else 'still loading'} by then), {cold * 1000:.0f} ms with no focus first")
    value = median_seconds(type_all, repeat=5) / (len(terms) + 1)
    table = SPECS[spec_key].service.rstrip("s") if spec_key == "firms" else "support_case"
    column = "name" if spec_key == "firms" else "title"
    connection = sqlite3.connect(ctx.db_path)
    baseline = median_seconds(lambda: connection.execute(
        f"SELECT id FROM {table} WHERE {column} LIKE ? ORDER BY {column}", (f"%{text[:2]}%",)).fetchall())
    connection.close()
    context.services.database.close()
    return value, baseline, first_note


@figure("search_keystroke_ms")
def search_firms(ctx: Context) -> Figure:
    value, baseline, first = _keystroke(ctx, "firms", "보은대추")
    return Figure(value * 1000, "ms", baseline * 1000, "raw LIKE query on firm names", f"< 50 ms (firm list); {first}")


@figure("search_keystroke_cases_ms")
def search_cases(ctx: Context) -> Figure:
    value, baseline, first = _keystroke(ctx, "cases", "대추즙")
    return Figure(value * 1000, "ms", baseline * 1000, "raw LIKE query on case titles", f"< 50 ms (case list); {first}")


@figure("sort_column_ms")
def sort_column(ctx: Context) -> Figure:
    from PySide6.QtCore import Qt

    from boeun_desk.ui.specs import SPECS
    from boeun_desk.ui.table_model import Lookups, RecordTableModel

    context = _gui(ctx)
    model = RecordTableModel(context, SPECS["cases"], Lookups(context))
    title = [c.key for c in SPECS["cases"].columns].index("title")
    orders = iter([Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder] * 10)
    value = median_seconds(lambda: model.sort(title, next(orders)), repeat=5)
    connection = sqlite3.connect(ctx.db_path)
    baseline = median_seconds(lambda: connection.execute(
        "SELECT id FROM support_case WHERE deleted_at IS NULL ORDER BY title").fetchall(), repeat=5)
    connection.close()
    context.services.database.close()
    return Figure(value * 1000, "ms", baseline * 1000, "raw ORDER BY title", f"{model.rowCount():,} cases by title")


@figure("firm_open_gui_ms")
def firm_open_gui(ctx: Context) -> Figure:
    from boeun_desk.ui.firm_detail import FirmDetail
    from boeun_desk.ui.table_model import Lookups

    context = _gui(ctx)
    lookups = Lookups(context)
    firm_id = context.services.firms.ids()[0]

    def open_firm() -> None:
        detail = FirmDetail(context, lookups, firm_id)
        detail.show()
        detail.close()
        detail.deleteLater()

    value = median_seconds(open_firm, repeat=5)
    connection = sqlite3.connect(ctx.db_path)
    baseline = median_seconds(lambda: connection.execute(
        "SELECT * FROM support_case WHERE firm_id = ?", (firm_id,)).fetchall())
    connection.close()
    context.services.database.close()
    return Figure(value * 1000, "ms", baseline * 1000, "raw SELECT of its cases", "firm detail with all tabs")
