"""Long work off the GUI thread through one path (progress, 취소, one change at the end), and every
screen showing the truth after a change: at once when shown, when next shown when hidden."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QSettings, QTimer
from sqlalchemy import event

from boeun_desk.progress import Cancelled
from boeun_desk.services import Services, sync
from boeun_desk.storage import backup
from boeun_desk.storage.engine import open_database
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.main_window import MainWindow
from boeun_desk.ui.progress_dialog import ProgressDialog
from boeun_desk.ui.worker import Task, run_with_progress
from tests.conftest import Answers
from tests.test_ui import finished


@pytest.fixture
def window(context, qtbot):
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    return win


def pause_in(monkeypatch, owner, name, *, at_call=1):
    """Make `owner.name` stop on its `at_call`-th call (on the worker) until the test says go on:
    (reached, go_on) events."""
    real, calls = getattr(owner, name), []
    reached, go_on = threading.Event(), threading.Event()

    def paused(*args, **kwargs):
        calls.append(threading.current_thread())
        if len(calls) == at_call:
            reached.set()
            assert go_on.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, paused)
    paused.calls = calls
    return reached, go_on


def press_cancel(qtbot, parent):
    """What the officer does: wait for the progress dialog and press its 취소."""
    qtbot.waitUntil(lambda: any(d.isVisible() for d in parent.findChildren(ProgressDialog)))
    [dialog] = [d for d in parent.findChildren(ProgressDialog) if d.isVisible()]
    assert dialog.cancel_button.isEnabled() and dialog.cancel_button.text() == "취소"
    dialog.cancel_button.click()
    return dialog


def laptop_bundle(services, tmp_path):
    """A laptop copy that added a firm with a visit and a support type, and renamed a firm: its bundle."""
    laptop_path = tmp_path / "laptop.sqlite3"
    sync.clone(services.database.path, laptop_path)
    laptop = Services(open_database(laptop_path), "현장담당")
    firm = laptop.firms.create({"name": "노트북에서 등록한 기업", "brn": "124-81-00998"}).id
    laptop.visits.create({"firm_id": firm, "starts_at": "2026-11-20 10:00", "purpose": "노트북 방문"})
    laptop.support_types.create({"code": "MKT", "name": "마케팅지원", "grant_share_percent": 75})
    renamed = laptop.firms.list()[0].id
    laptop.firms.update(renamed, {"name": "이름 바꾼 기업"})
    bundle = tmp_path / "laptop.sync"
    sync.export_bundle(laptop.database, bundle)
    laptop.database.close()
    return bundle, firm, renamed


def test_a_sync_runs_off_the_gui_thread_and_every_screen_shows_what_it_brought(context, window, qtbot,
                                                                               tmp_path, monkeypatch):
    from boeun_desk.ui.exchange_dialogs import SyncDialog

    services = context.services
    bundle, new_firm, renamed = laptop_bundle(services, tmp_path)
    # Every screen built and its caches filled; the visits list is the one on display.
    for key in ("dashboard", "firms", "reports", "cases", "visits"):
        window.go(key)
    cases = window.screen("cases")
    types = cases.filters["support_type_id"]
    types.setCurrentIndex(1)  # the officer looks at one type's cases
    chosen = types.currentData()
    visits = window.screen("visits")
    firms = window.screen("firms")
    reports = window.report_screen()
    old_names = dict(window.lookups.get("firm"))
    assert new_firm not in old_names and old_names[renamed] != "이름 바꾼 기업"
    overviews = []
    real_overview = services.queries.overview
    services.queries.overview = lambda *a, **k: overviews.append(1) or real_overview(*a, **k)
    # The merge waits for a timer on the GUI thread: it can only finish if the event loop runs.
    reached, go_on = pause_in(monkeypatch, sync, "_merge_bundle")
    dialog = SyncDialog(context, window)
    qtbot.addWidget(dialog)
    task = dialog.import_from(bundle)
    qtbot.waitUntil(reached.is_set)
    QTimer.singleShot(0, go_on.set)
    result = finished(qtbot, task)
    assert result.added >= 2 and result.updated >= 1
    assert all(thread is not threading.main_thread() for thread in sync._merge_bundle.calls)
    # Shown: the visits list has the new visit with its new firm's name (the name cache was dropped).
    row = visits.model.row_of(services.visits.list(firm_id=new_firm)[0].id)
    assert row >= 0
    firm_column = [c.key for c in visits.spec.columns].index("firm_id")
    assert visits.model.index(row, firm_column).data() == "노트북에서 등록한 기업"
    assert window.lookups.get("firm")[renamed] == "이름 바꾼 기업"
    # Hidden screens catch up when shown.
    window.go("firms")
    assert firms.model.row_of(new_firm) >= 0
    window.go("reports")
    assert reports.firm.findData(new_firm) >= 0
    window.go("cases")  # its type filter offers the new type; the one chosen stays
    assert types.findText("마케팅지원") > 0 and types.currentData() == chosen
    assert overviews == []
    window.go("dashboard")
    assert overviews == [1]  # the dashboard counted again when shown
    assert "추가" in dialog.status.text()


def test_cancelling_a_sync_keeps_nothing_of_the_file(context, window, qtbot, tmp_path, monkeypatch):
    from boeun_desk.ui.exchange_dialogs import SyncDialog

    services = context.services
    bundle, new_firm, renamed = laptop_bundle(services, tmp_path)
    name_before = services.firms.get(renamed).name
    counts_before = (len(services.firms.ids()), len(services.visits.ids()), len(sync.list_conflicts(services.database)))
    reached, go_on = pause_in(monkeypatch, sync, "_merge_batch", at_call=2)  # one batch already merged
    dialog = SyncDialog(context, window)
    qtbot.addWidget(dialog)
    shown = []
    context.changed.connect(shown.append)
    task = dialog.import_from(bundle)
    qtbot.waitUntil(reached.is_set)
    press_cancel(qtbot, dialog)
    go_on.set()
    assert finished(qtbot, task) is None and isinstance(task.error, Cancelled)
    assert dialog.status.text() == "작업을 취소했습니다. 아무것도 바뀌지 않았습니다."
    assert (len(services.firms.ids()), len(services.visits.ids()),
            len(sync.list_conflicts(services.database))) == counts_before
    assert services.firms.get(renamed).name == name_before
    assert shown == []  # nothing changed, nothing broadcast
    folder = services.database.path.parent
    assert not [p for p in folder.rglob("*.part*")]


def test_cancelling_an_excel_import_writes_no_row(context, window, qtbot, tmp_path, monkeypatch):
    from openpyxl import Workbook

    from boeun_desk.services.entities import FirmService
    from boeun_desk.ui.exchange_dialogs import ImportDialog

    book = Workbook()
    book.active.append(["기업명", "사업자번호", "대표자명"])
    for n, brn in enumerate(("124-81-00998", "124-81-00979", "124-81-00964")):
        book.active.append([f"가져올 기업 {n}", brn, "홍길동"])
    path = tmp_path / "firms.xlsx"
    book.save(path)
    dialog = ImportDialog(context, window)
    qtbot.addWidget(dialog)
    plan = finished(qtbot, dialog.preview(path))
    assert plan.ok and len(plan.new) == 3 and dialog.apply_button.isEnabled()
    before = len(context.services.firms.ids())
    reached, go_on = pause_in(monkeypatch, FirmService, "create_in")
    task = dialog.apply()
    qtbot.waitUntil(reached.is_set)
    press_cancel(qtbot, dialog)
    go_on.set()
    finished(qtbot, task)
    assert isinstance(task.error, Cancelled) and "취소" in context.ask.asked[-1]
    assert len(context.services.firms.ids()) == before  # the first row was rolled back with the rest
    assert context.services.firms.list(search="가져올 기업") == []
    assert not dialog.result()  # the dialog stays open: the officer can import again


def test_cancelling_a_backup_leaves_no_backup(context, window, qtbot, monkeypatch):
    from boeun_desk.ui.exchange_dialogs import backup_now

    path = context.services.database.path
    before = backup.list_backups(path)
    reached, go_on = pause_in(monkeypatch, backup, "copy_pages")
    task = backup_now(context, window)
    qtbot.waitUntil(reached.is_set)
    press_cancel(qtbot, window)
    go_on.set()
    finished(qtbot, task)
    assert isinstance(task.error, Cancelled)
    assert context.ask.asked[-1] == "백업: 작업을 취소했습니다. 아무것도 바뀌지 않았습니다."
    assert backup.list_backups(path) == before
    assert not list(backup.backups_dir(path).glob(".*part*"))
    finished(qtbot, backup_now(context, window))  # and without 취소 it is written
    assert len(backup.list_backups(path)) == len(before) + 1 and "백업을 저장했습니다" in context.ask.asked[-1]


def test_cancelling_an_export_leaves_no_file_and_a_bad_folder_is_told_in_korean(context, window, qtbot,
                                                                                tmp_path, monkeypatch):
    from boeun_desk.exchange import excel_export
    from boeun_desk.ui.exchange_dialogs import export_sheets

    target = tmp_path / "전체.xlsx"
    reached, go_on = pause_in(monkeypatch, excel_export, "_write_sheet", at_call=2)
    task = export_sheets(context, window, ["all"], target)
    qtbot.waitUntil(reached.is_set)
    press_cancel(qtbot, window)
    go_on.set()
    finished(qtbot, task)
    assert isinstance(task.error, Cancelled) and not target.exists() and not list(tmp_path.glob(".*part"))
    monkeypatch.undo()
    missing = tmp_path / "없는 폴더" / "목록.xlsx"
    finished(qtbot, window.screen("firms").export_shown(missing))
    message = context.ask.asked[-1]
    assert "파일을 읽거나 쓸 수 없습니다" in message and "파일이나 폴더가 없습니다" in message
    assert "없는 폴더" in message and ".part" not in message and "Errno" not in message


def test_an_unforeseen_error_on_the_worker_is_a_korean_message_not_a_traceback(context, window, qtbot):
    def broken(_params, _progress, _cancelled):
        return 1 / 0

    task = run_with_progress(window, "계산", broken, context=context)
    finished(qtbot, task)
    assert isinstance(task.error, ZeroDivisionError)
    message = context.ask.asked[-1]
    assert message.startswith("계산: 예기치 않은 오류가 발생했습니다") and "Traceback" not in message


def test_a_stage_that_cannot_stop_greys_out_cancel_and_says_why(window, qtbot):
    steps = {name: threading.Event() for name in ("safe", "final", "go_on")}

    def work(_params, progress, cancelled):
        progress(1, 3, stage="복사하는 중")
        steps["safe"].set()
        assert steps["go_on"].wait(30)
        steps["go_on"].clear()
        progress(2, 3, stage="바꿔 넣는 중", stoppable=False)
        steps["final"].set()
        assert steps["go_on"].wait(30)
        return cancelled()

    task = run_with_progress(window, "복원", work)
    qtbot.waitUntil(steps["safe"].is_set)
    qtbot.waitUntil(lambda: bool(window.findChildren(ProgressDialog))
                    and window.findChild(ProgressDialog).isVisible())
    dialog = window.findChild(ProgressDialog)
    qtbot.waitUntil(lambda: "복사하는 중 (1/3)" in dialog.labelText())
    assert dialog.cancel_button.isEnabled() and not dialog.note.isVisibleTo(dialog)
    steps["go_on"].set()
    qtbot.waitUntil(lambda: "바꿔 넣는 중" in dialog.labelText())
    assert not dialog.cancel_button.isEnabled() and "멈출 수 없습니다" in dialog.note.text()
    dialog.reject()  # Esc: the work goes on, it is not cancelled
    dialog.close()
    assert dialog.isVisible() and not task.cancelled
    steps["go_on"].set()
    assert finished(qtbot, task) is False  # the work was never told to stop


def test_a_callback_added_after_the_work_ended_still_runs(qtbot):
    task = Task(lambda params, _progress, _cancelled: params * 2, 21).start()
    qtbot.waitUntil(lambda: task.done)
    got = []
    task.then(got.append)  # a signal connected this late would have been missed
    assert got == [42] and not task.running and task.error is None
    failing = Task(lambda *_args: {}["x"]).start()
    qtbot.waitUntil(lambda: failing.done)
    errors = []
    failing.then(got.append, errors.append)
    assert got == [42] and isinstance(errors[0], KeyError)


def test_a_restore_at_start_up_runs_on_the_worker_and_cancel_leaves_the_file_as_it_was(demo_path, qtbot,
                                                                                        monkeypatch):
    from boeun_desk import app
    from boeun_desk.storage import restore

    backup.create_backup(demo_path, reason="test")
    damaged = b"\x00" * 4096 + b"broken" * 1000
    demo_path.write_bytes(damaged)
    monkeypatch.setattr(app, "ask", Answers("yes", "ok"))
    reached, go_on = pause_in(monkeypatch, restore, "copy_pages")
    parent = MainWindow(settings=QSettings(str(demo_path.parent / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(parent)
    parent.show()
    got = []
    task = app.open_or_restore(demo_path, got.append, parent)
    qtbot.waitUntil(reached.is_set)
    press_cancel(qtbot, parent)
    go_on.set()
    finished(qtbot, task)
    assert got == [None] and isinstance(task.error, Cancelled)
    assert "복원할 수 없습니다: 작업을 취소했습니다" in app.ask.asked[-1]
    assert demo_path.read_bytes() == damaged
    assert not list(demo_path.parent.glob("*.before-restore-*")) and not list(demo_path.parent.glob(".*part*"))
    assert restore.copy_pages.calls[0] is not threading.main_thread()


def test_a_hidden_screen_does_not_query_on_a_save_but_does_when_shown(context, window, qtbot):
    services = context.services
    for key in ("dashboard", "firms", "reports", "cases", "visits"):
        window.go(key)  # all built; the visits list is on display
    overview_calls, choices = [], []  # the dashboard's query; the reports screen's year choices
    real_overview, real_years = services.queries.overview, services.program_years.list
    services.queries.overview = lambda *a, **k: overview_calls.append(1) or real_overview(*a, **k)
    services.program_years.list = lambda *a, **k: choices.append(1) or real_years(*a, **k)
    statements = []

    def count(_conn, _cursor, sql, *_rest):
        statements.append(sql)

    event.listen(services.database.engine, "before_cursor_execute", count)
    visits = window.screen("visits")
    visit_id = visits.model.id_at(0)
    context.update("visits", visit_id, {"purpose": "숨은 화면은 나중에"})
    event.remove(services.database.engine, "before_cursor_execute", count)
    assert overview_calls == [] and choices == []  # the dashboard and the reports screen are hidden
    # The save itself and the visits list on display; none for the hidden firm list or the others.
    assert len(statements) <= 12 and not [s for s in statements if " firm" in s.split("WHERE")[0]
                                          and s.startswith("SELECT firm")], statements
    purpose = [c.key for c in visits.spec.columns].index("purpose")
    assert visits.model.index(visits.model.row_of(visit_id), purpose).data() == "숨은 화면은 나중에"
    window.go("dashboard")
    assert overview_calls == [1]  # shown: it catches up once
    window.go("reports")
    assert choices == [1]
    window.go("dashboard")
    assert overview_calls == [1]  # nothing changed since: not queried again

def test_a_window_never_shown_keeps_refreshing_at_once(demo, tmp_path, qtbot):
    """A screen is 'hidden' only on a window that is on display: scripts and tests that build a
    window without showing it see every change at once."""
    context = AppContext(demo, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window = MainWindow(context)
    qtbot.addWidget(window)
    firms = window.screen("firms")
    window.go("visits")
    created = context.create("firms", {"name": "바로 보이는 기업", "brn": "124-81-00998"})
    assert firms.model.row_of(created.id) >= 0


def test_lookups_forget_every_kind_after_everything_changed(context):
    from boeun_desk.services import Changes
    from boeun_desk.ui.table_model import Lookups

    lookups = Lookups(context)
    for kind in ("firm", "support_type", "program_year"):
        lookups.get(kind)
    context.changed.emit(Changes("visit", ("x",), "update"))
    assert set(lookups._cache) == {"firm", "support_type", "program_year"}
    context.changed.emit(Changes.everything("sync"))
    assert lookups._cache == {}

