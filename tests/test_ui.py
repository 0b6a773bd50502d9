"""GUI flows with pytest-qt (offscreen): forms, undo, search, firm detail, dashboard, reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QDialog

from boeun_desk.ui.context import AppContext
from boeun_desk.ui.dashboard import Dashboard
from boeun_desk.ui.main_window import MainWindow
from boeun_desk.ui.specs import SPECS
from boeun_desk.ui.table_model import Lookups, RecordTableModel
from tests.conftest import Answers


def finished(qtbot, task):
    """Wait for long work (a worker's Task) to end; its result (None after an error)."""
    qtbot.waitUntil(lambda: task.done, timeout=60_000)
    return task.result


@pytest.mark.parametrize("key", sorted(SPECS))
def test_every_table_model_passes_qtmodeltester(context, qtmodeltester, key):
    model = RecordTableModel(context, SPECS[key], Lookups(context))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() > 0


def test_add_firm_bad_brn_shows_error_keeps_text_and_saves_nothing(context, window, qtbot):
    screen = window.screen("firms")
    before = screen.model.rowCount()
    form = screen.form()
    qtbot.addWidget(form)
    form.editors["name"].setText("새보은식품")
    form.editors["brn"].setText("124-81-00999")
    form.editors["phone"].setText("043-111-2222")
    assert form.save() is False
    assert form.errors["brn"].isVisibleTo(form) and "검증번호" in form.errors["brn"].text()
    assert form.editors["name"].text() == "새보은식품" and form.editors["phone"].text() == "043-111-2222"
    assert context.services.firms.list(search="새보은식품") == []
    form.editors["brn"].setText("124-81-00998")
    assert form.save() is True and form.result() == QDialog.DialogCode.Accepted
    assert screen.model.rowCount() == before + 1
    assert screen.selected_id() == form.record_id or screen.select(form.record_id)


def test_edit_then_undo_and_redo(context, window):
    firm = context.services.firms.list()[0]
    form = window.screen("firms").form(firm.id)
    form.editors["phone"].setText("043-999-0000")
    assert form.save()
    assert context.services.firms.get(firm.id).phone == "043-999-0000"
    context.undo_stack.undo()
    assert context.services.firms.get(firm.id).phone == firm.phone
    context.undo_stack.redo()
    assert context.services.firms.get(firm.id).phone == "043-999-0000"


def test_delete_asks_and_undo_restores(context, window):
    screen = window.screen("firms")
    firm_id = screen.model.id_at(0)
    screen.select(firm_id)
    context.ask = Answers("yes")
    screen.delete_or_restore()
    assert screen.model.row_of(firm_id) == -1 and "휴지통" in context.ask.asked[0]
    context.undo_stack.undo()
    assert screen.model.row_of(firm_id) >= 0


def test_unsaved_changes_prompt(context, window, qtbot):
    form = window.screen("firms").form()
    qtbot.addWidget(form)
    form.show()
    form.editors["name"].setText("입력 중인 기업")
    context.ask = Answers("cancel", "discard")
    form.reject()
    assert form.isVisible() and form.editors["name"].text() == "입력 중인 기업"
    form.reject()
    assert not form.isVisible()
    assert len(context.ask.asked) == 2


def test_search_as_you_type_and_filters(window, qtbot):
    screen = window.screen("firms")
    total = screen.model.rowCount()
    screen.search.setText("대추")  # QTest cannot type Hangul; setText fires the same textChanged
    assert 0 < screen.model.rowCount() < total
    assert all("대추" in (row.name + row.main_products + row.local_resource)
               for row in (screen.model.row_at(i) for i in range(screen.model.rowCount())))
    screen.search.clear()
    assert screen.model.rowCount() == total
    cases = window.screen("cases")
    year_filter = cases.filters["program_year_id"]
    year_filter.setCurrentIndex(year_filter.findText("2024년"))
    assert cases.model.rowCount() == 38  # 37 counted + 1 cancelled
    status = cases.filters["status"]
    status.setCurrentIndex(status.findData("cancelled"))
    assert cases.model.rowCount() == 1


def test_firm_detail_adds_a_visit_with_the_firm_prefilled(context, window, qtbot):
    firm_id = window.screen("firms").model.id_at(0)
    detail = window.open_firm(firm_id)
    visits = detail.show_tab("visits")
    before = visits.model.rowCount()
    form = visits.form()
    qtbot.addWidget(form)
    assert form.editors["firm_id"].value() == firm_id
    form.editors["starts_at"].setText("2026-11-20 10:00")
    form.editors["purpose"].setText("현장 점검")
    form.editors["follow_ups"].add_row({"action": "시험성적서 제출", "due_date": "2026-12-01"})
    assert form.save()
    assert visits.model.rowCount() == before + 1
    follow_ups = context.services.visits.follow_ups(form.record_id)
    assert [f.action for f in follow_ups] == ["시험성적서 제출"]


def test_dashboard_shows_the_year_and_opens_items(context, qtbot):
    dashboard = Dashboard(context)
    qtbot.addWidget(dashboard)
    dashboard.year.setCurrentIndex(dashboard.year.findData(2024))
    assert "13개사" in dashboard.summary.text() and "37건" in dashboard.summary.text()
    assert dashboard.overdue.rowCount() > 0
    from PySide6.QtCharts import QValueAxis

    [counts] = [axis for axis in dashboard.chart.axes() if isinstance(axis, QValueAxis)]
    assert counts.tickType() == QValueAxis.TickType.TicksDynamic  # ticks on whole counts
    assert counts.tickInterval() >= 1 and counts.tickInterval() == int(counts.tickInterval())
    with qtbot.waitSignal(dashboard.open_record) as signal:
        dashboard.open_record.emit("visits", dashboard.overdue.rows[0][-1])
    assert signal.args[0] == "visits"


def test_report_preview_and_batch_with_progress(context, window, qtbot, tmp_path):
    firm_id = window.screen("firms").model.id_at(0)
    window.show_report("firm", firm_id)
    qtbot.waitUntil(lambda: not window.report_screen().busy, timeout=60_000)
    assert window.report_screen().document.pageCount() >= 1
    window.report_screen().kind.set_value("annual")
    window.report_screen().year.set_value(2024)
    window.report_screen().preview()
    qtbot.waitUntil(lambda: not window.report_screen().busy, timeout=60_000)
    assert window.report_screen().document.pageCount() >= 2
    window.report_screen().start_batch(tmp_path / "batch")
    # Wait on what the officer sees; a finished() signal could come before a wait on it started.
    qtbot.waitUntil(lambda: "22개 파일" in window.report_screen().status.text(), timeout=60_000)
    assert len(list((tmp_path / "batch").glob("*.pdf"))) == 22


def test_corrupt_database_gets_a_dialog_not_a_traceback(tmp_path, monkeypatch, qapp):
    from boeun_desk import app

    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(b"not a database" * 400)
    shown = Answers()
    monkeypatch.setattr(app, "ask", shown)
    assert app.run(bogus) == 1
    assert "열 수 없습니다" in shown.asked[0]


def test_window_opens_every_page(window):
    from boeun_desk.ui.main_window import PAGES

    for key, _label, _specs in PAGES:
        window.go(key)
        assert window.stack.currentWidget() is window.page(key)
    assert "저장됨" in window.saved_label.text()


def test_attachment_dropped_on_a_form_is_saved_with_the_record(context, window, qtbot, tmp_path: Path):
    photo = tmp_path / "현장.jpg"
    photo.write_bytes(b"\xff\xd8 photo")
    form = window.screen("visits").form(window.screen("visits").model.id_at(0))
    qtbot.addWidget(form)
    form._add_files([photo])
    assert "현장.jpg" in form.attach_label.text()
    assert form.save()
    assert [a.filename for a in context.services.attachments.for_owner(form.record_id)] == ["현장.jpg"]


def test_whole_program_starts_and_exits_cleanly_on_a_large_database(tmp_path):
    """Start-up to a usable window and a clean exit, as a separate process, with 3,000 firms in the
    combo boxes (PySide6 6.12.0 crashed at exit after many addItem calls: pinned below it)."""
    import os
    import subprocess
    import sys

    from benchmarks.generate import generate

    path = tmp_path / "large.sqlite3"
    generate(path, scale=0.3)
    trace = tmp_path / "trace.txt"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BOEUN_DESK_QUIT_WHEN_READY": "1",
           "BOEUN_DESK_STARTUP_TRACE": str(trace)}

    def start() -> list[str]:
        trace.unlink(missing_ok=True)
        result = subprocess.run([sys.executable, "-m", "boeun_desk", "--db", str(path)], env=env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
        assert "Fatal" not in result.stderr
        return [line.split()[0] for line in trace.read_text().splitlines()]

    # The frame is on screen first; the data follows once the file is open.
    assert start() == ["window_shown", "database_open", "data_shown", "ready"]
    # The clean close left the dashboard's figures with its stamp: the next start shows them at once.
    assert '"firms_supported"' in (tmp_path / "large.sqlite3.lock").read_text(encoding="utf-8")
    assert start() == ["window_shown", "data_shown", "database_open", "ready"]


def test_the_window_frame_needs_no_database_layer():
    """Start-up shows the frame before SQLAlchemy (slower to import than Qt's start) is loaded."""
    import os
    import subprocess
    import sys

    code = ("import sys\nfrom boeun_desk.app import application\nfrom boeun_desk.ui.main_window import MainWindow\n"
            "application()\nwindow = MainWindow()\nwindow.show()\n"
            "print(window.stack.currentWidget().text(), window.nav.count(), 'sqlalchemy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.stdout.split() == ["데이터베이스를", "여는", "중…", "10", "False"], result.stderr[-2000:]


def test_closing_while_the_file_opens_still_closes_it(demo_path, monkeypatch, qapp):
    """Closed before the worker has opened the file: the database is closed and its lock released."""
    import time

    from boeun_desk import app

    real_load = app._load

    def slow_load(*args):
        time.sleep(0.3)
        return real_load(*args)

    monkeypatch.setattr(app, "_load", slow_load)
    monkeypatch.delenv(app.QUIT_WHEN_READY, raising=False)
    QTimer.singleShot(50, qapp.quit)
    assert app.run(demo_path) == 0
    database = app.open_for_window(demo_path)  # the instance lock was released
    database.close()


def test_a_page_chosen_while_the_file_opens_is_shown_once_open(context, qtbot):
    window = MainWindow(settings=context.settings)
    qtbot.addWidget(window)
    window.nav.setCurrentRow(1)  # the officer clicks 기업 before the data is there
    assert window.stack.currentWidget() is window.loading
    window.attach(context)
    assert window.stack.currentWidget() is window.page("firms")
    assert window.screen("firms").model.rowCount() == 22


@pytest.mark.parametrize("spec_key, terms", [("firms", ["대", "대추", "대추 농업", "303-87", "30387"]),
                                             ("cases", ["대추", "대추즙", "영양", "과제 없음"]),
                                             ("cases", ["황토사과", "황토사과 시제품"]),  # firm's name
                                             ("visits", ["구병산", "구병산 이서연"]),  # firm, officer
                                             ("matches", ["삼년산성"])])
def test_in_memory_search_matches_the_sql_search(context, spec_key, terms):
    model = RecordTableModel(context, SPECS[spec_key], Lookups(context))
    service = model.service
    for n, term in enumerate(terms):  # typed one after another, so later terms narrow earlier results
        model.search = term
        model.reload()
        assert model.ids() == service.ids(search=term), term
        assert model.ids() or n > 0, "the first term finds something"


def test_records_are_found_by_their_firms_name(demo):
    firm = next(f for f in demo.firms.list() if f.name == "보은황토사과농원")
    for service in (demo.cases, demo.visits, demo.certifications, demo.indicators):
        found = service.ids(search="황토사과")
        assert found and found == service.ids(firm_id=firm.id), service.label
        texts = service.search_texts()
        assert all("황토사과" in texts[i] for i in found)


def opened_by(open_or_restore, qtbot, *args):
    """What app.open_or_restore hands over (a restore runs on a worker: waited for)."""
    got = []
    task = open_or_restore(*args, got.append)
    if task is not None:
        qtbot.waitUntil(lambda: task.done, timeout=60_000)
    [database] = got
    return database


def test_second_window_on_the_same_file_gets_a_clear_message(demo_path, monkeypatch, qtbot):
    from boeun_desk import app

    first = opened_by(app.open_or_restore, qtbot, demo_path)
    shown = Answers()
    monkeypatch.setattr(app, "ask", shown)
    try:
        assert opened_by(app.open_or_restore, qtbot, demo_path) is None
        assert "사용 중" in shown.asked[0]
    finally:
        first.close()
    second = opened_by(app.open_or_restore, qtbot, demo_path)
    assert second is not None
    second.close()


def test_damaged_file_offers_the_newest_backup_and_keeps_the_damaged_one(demo_path, monkeypatch, qtbot):
    from boeun_desk import app
    from boeun_desk.storage import backup

    backup.create_backup(demo_path, reason="test")
    demo_path.write_bytes(b"\x00" * 4096 + b"broken" * 1000)
    shown = Answers("yes", "ok")
    monkeypatch.setattr(app, "ask", shown)
    database = opened_by(app.open_or_restore, qtbot, demo_path)
    assert database is not None
    try:
        from boeun_desk.services import Services

        assert len(Services(database).firms.ids()) == 22
    finally:
        database.close()
    assert "복원" in shown.asked[0] and "복원했습니다" in shown.asked[1]
    kept = list(demo_path.parent.glob(demo_path.name + ".before-restore-*"))
    assert kept and kept[0].read_bytes().endswith(b"broken")


def test_history_shows_who_changed_which_field(context, window, qtbot):
    screen = window.screen("firms")
    firm_id = screen.model.id_at(0)
    context.set_officer("박민준")
    context.update("firms", firm_id, {"phone": "043-777-8888"})
    screen.select(firm_id)
    dialog = screen.show_history()
    qtbot.addWidget(dialog)
    rows = dialog.model.rows
    assert rows[-1][2] == "등록"  # newest first
    assert ("박민준", "수정", "전화번호", "043-777-8888") in [(r[1], r[2], r[3], r[5]) for r in rows]


def test_typed_text_survives_a_crash_as_a_draft_and_is_offered_back(context, window, qtbot):
    form = window.screen("firms").form()
    qtbot.addWidget(form)
    form.editors["name"].setText("정전 직전 입력한 기업")
    form.editors["brn"].setText("124-81-00998")
    form._journal()  # what the 0.5 s timer does while typing
    drafts = context.drafts.pending()
    assert [d.data["name"] for d in drafts] == ["정전 직전 입력한 기업"]
    # The program dies here; a new window offers the draft back.
    reopened = window.screen("firms").form(drafts[0].record_id, draft=drafts[0])
    qtbot.addWidget(reopened)
    assert reopened.editors["name"].text() == "정전 직전 입력한 기업"
    assert reopened.save()
    assert context.services.firms.list(search="정전 직전") and context.drafts.pending() == []


def test_import_dialog_previews_refuses_bad_files_and_imports_good_ones(context, window, qtbot, tmp_path):
    from openpyxl import Workbook

    from boeun_desk.ui.exchange_dialogs import ImportDialog

    def sheet(rows):
        book = Workbook()
        book.active.append(["2025 수혜기업 명단"])
        book.active.append(["기업명", "사업자번호", "대표자명", "소재지"])
        for row in rows:
            book.active.append(row)
        path = tmp_path / f"firms{len(rows)}.xlsx"
        book.save(path)
        return path

    dialog = ImportDialog(context, window)
    qtbot.addWidget(dialog)
    bad = finished(qtbot, dialog.preview(sheet([["새 기업", "124-81-00998", "홍길동", "보은읍"],
                                                ["틀린 번호", "124-81-00999", "", ""]])))
    assert not bad.ok and not dialog.apply_button.isEnabled() and "오류 1건" in dialog.summary.text()
    assert context.services.firms.list(search="새 기업") == []
    good = finished(qtbot, dialog.preview(sheet([["새 기업", "124-81-00998", "홍길동", "보은읍"]])))
    assert good.ok and dialog.apply_button.isEnabled()
    context.services.firms.create({"name": "다른 창에서", "brn": "124-81-00998"})  # after the preview
    finished(qtbot, dialog.apply())
    assert "미리보기 뒤에 데이터가 바뀌었습니다" in context.ask.asked[-1]
    assert context.services.firms.by_brn("1248100998").name == "다른 창에서"
    qtbot.waitUntil(lambda: "변경 1건" in dialog.summary.text())  # previewed again: now a change of that firm
    finished(qtbot, dialog.apply())
    assert context.services.firms.by_brn("1248100998").name == "새 기업"
    assert window.screen("firms").model.row_of(context.services.firms.by_brn("1248100998").id) >= 0


def test_sync_dialog_merges_a_laptop_copy_and_settles_a_conflict(context, window, qtbot, tmp_path):
    from boeun_desk.services import Services, sync
    from boeun_desk.storage.engine import open_database
    from boeun_desk.ui.exchange_dialogs import SyncDialog

    services = context.services
    firm = services.firms.list()[0]
    laptop_path = tmp_path / "laptop.sqlite3"
    sync.clone(services.database.path, laptop_path)
    laptop = open_database(laptop_path)
    Services(laptop, "현장담당").firms.update(firm.id, {"phone": "043-222-3333"})
    bundle = tmp_path / "laptop.sync"
    sync.export_bundle(laptop, bundle)
    laptop.close()
    services.firms.update(firm.id, {"phone": "043-111-0000"})
    dialog = SyncDialog(context, window)
    qtbot.addWidget(dialog)
    result = finished(qtbot, dialog.import_from(bundle))
    assert result.conflicts == 1 and dialog.conflicts.rowCount() == 1
    assert services.firms.get(firm.id).phone == "043-111-0000"  # nothing overwritten silently
    dialog.view.selectRow(0)
    dialog.resolve("remote")
    assert services.firms.get(firm.id).phone == "043-222-3333" and dialog.conflicts.rowCount() == 0


def test_sync_dialog_refuses_a_hand_made_bundle_with_a_korean_message(context, window, qtbot, tmp_path):
    import uuid

    from boeun_desk.services import sync
    from boeun_desk.ui.exchange_dialogs import SyncDialog
    from tests.test_sync_gate import read_lines, write_lines

    services = context.services
    bundle = tmp_path / "mine.sync"
    sync.export_bundle(services.database, bundle)
    lines = read_lines(bundle)
    firm_line = next(line for line in lines[1:] if line[0] == "firm")
    firm_line[1][lines[0]["tables"]["firm"].index("brn")] = "ABCDEFGHIJ"
    firm_line[1][0], firm_line[2] = str(uuid.uuid4()), []  # a firm this copy has not seen
    write_lines(bundle, lines)
    dialog = SyncDialog(context, window)
    qtbot.addWidget(dialog)
    assert finished(qtbot, dialog.import_from(bundle)) is None
    assert "아무것도 가져오지 않았습니다" in dialog.status.text() and "사업자등록번호" in dialog.status.text()
    (tmp_path / "empty.sync").write_bytes(b"")
    assert finished(qtbot, dialog.import_from(tmp_path / "empty.sync")) is None
    assert "동기화 파일" in dialog.status.text()


def test_a_list_exports_what_it_shows(window, tmp_path, qtbot):
    from openpyxl import load_workbook

    screen = window.screen("firms")
    screen.search.setText("대추")
    path = tmp_path / "firms.xlsx"
    finished(qtbot, screen.export_shown(path))
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][0] == "업체명" and len(rows) - 1 == screen.model.rowCount() < 22
    assert all("대추" in " ".join(str(v) for v in row if v) for row in rows[1:])


def test_a_full_disk_on_save_is_told_and_what_was_typed_stays(context, window, qtbot):
    from sqlalchemy import event

    engine = context.services.database.engine
    engine.dispose()

    def tiny_disk(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 2}")

    event.listen(engine, "connect", tiny_disk)
    screen = window.screen("firms")
    before = screen.model.rowCount()
    form = screen.form()
    qtbot.addWidget(form)
    form.editors["name"].setText("새보은식품")
    form.editors["brn"].setText("124-81-00998")
    form.editors["main_products"].setText("대추즙 " * 4000)
    try:
        assert form.save() is False
    finally:
        event.remove(engine, "connect", tiny_disk)
        engine.dispose()
    assert "디스크 공간이 부족" in context.ask.asked[-1]
    assert "그대로 남아" in form.message.text()
    assert form.editors["name"].text() == "새보은식품"
    assert [d.data.get("name") for d in context.drafts.pending()] == ["새보은식품"]
    assert form.save() is True  # space again: the same form saves
    assert screen.model.rowCount() == before + 1


def test_an_error_no_screen_handled_is_shown_not_swallowed(demo_path, monkeypatch, qapp):
    from boeun_desk import app

    shown = Answers()
    monkeypatch.setattr(app, "ask", shown)

    def broken_slot():
        raise RuntimeError("고장난 화면")

    QTimer.singleShot(0, lambda: QTimer.singleShot(0, broken_slot))
    QTimer.singleShot(400, qapp.quit)
    monkeypatch.delenv(app.QUIT_WHEN_READY, raising=False)
    assert app.run(demo_path) == 0
    assert any("예기치 않은 오류" in text and "고장난 화면" in text for text in shown.asked)


def test_damage_found_while_the_window_fills_is_told_and_the_program_ends(demo_path, monkeypatch, qapp):
    from sqlalchemy import exc

    from boeun_desk import app

    def damaged(_self, _context):
        raise exc.OperationalError("SELECT", {}, Exception("database disk image is malformed"))

    shown = Answers()
    monkeypatch.setattr(app, "ask", shown)
    monkeypatch.setattr(app.MainWindow, "attach", damaged)
    assert app.run(demo_path) == 1
    assert "손상" in shown.asked[-1] and "restore --latest" in shown.asked[-1]


def _closed_with_start_page(path: Path, taken_on=None) -> None:
    """Open and close the file as the program does, leaving the dashboard's figures with the stamp."""
    from boeun_desk import app
    from boeun_desk.services import Services

    database = app.open_for_window(path)
    overview = Services(database).queries.overview(today=taken_on)
    database.close({"version": app.__version__, **overview.to_json()})


def test_the_start_page_is_shown_before_the_database_layer_loads(demo_path):
    import os
    import subprocess
    import sys

    _closed_with_start_page(demo_path)
    code = ("import sys\nfrom boeun_desk.app import application, _start_page\n"
            "from boeun_desk.ui.main_window import MainWindow\napplication()\n"
            f"window = MainWindow(start_page=_start_page({str(demo_path)!r}))\nwindow.show()\n"
            "page = window.stack.currentWidget()\n"
            "print(page.summary.text(), page.overdue.rowCount() > 0, 'sqlalchemy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.stdout.split()[-2:] == ["True", "False"], result.stderr[-2000:]
    assert "지원기업" in result.stdout and "개사" in result.stdout


def _window_on_start_page(path: Path, settings: QSettings, qtbot, monkeypatch) -> tuple[MainWindow, list[int]]:
    from boeun_desk import app
    from boeun_desk.services import Services

    window = MainWindow(settings=settings, start_page=app._start_page(path))
    qtbot.addWidget(window)
    database = app.open_for_window(path)
    services = Services(database)
    queried: list[int] = []
    real = services.queries.overview
    monkeypatch.setattr(services.queries, "overview", lambda *a, **k: queried.append(1) or real(*a, **k))
    context = AppContext(services, settings)
    context.ask = Answers()
    window.attach(context)
    return window, queried


def test_a_current_start_page_is_kept_and_a_changed_file_is_queried(demo_path, tmp_path, qtbot, monkeypatch):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    _closed_with_start_page(demo_path)
    window, queried = _window_on_start_page(demo_path, settings, qtbot, monkeypatch)
    dashboard = window.page("dashboard")
    assert window.stack.currentWidget() is dashboard and queried == []  # today's figures of this file
    firm = window.context.services.firms.list()[0]
    window.context.update("firms", firm.id, {"phone": "043-999-0000"})
    assert queried == [1]  # the dashboard follows the data from now on
    window.close()
    window.context.services.database.close()

    # Settings changed elsewhere: another default year than the start page's, so it is queried.
    _closed_with_start_page(demo_path)
    settings.setValue("default_year", 2024)
    window, queried = _window_on_start_page(demo_path, settings, qtbot, monkeypatch)
    assert queried == [1] and window.page("dashboard").shown.year == 2024
    window.context.services.database.close()


def test_a_start_page_from_another_day_shows_the_year_and_waits_for_the_lists(demo_path, tmp_path, qtbot,
                                                                            monkeypatch):
    from datetime import date, timedelta

    from boeun_desk import app

    _closed_with_start_page(demo_path, taken_on=date.today() - timedelta(days=1))
    page = app._start_page(demo_path)
    dashboard = Dashboard(overview=page)
    qtbot.addWidget(dashboard)
    assert str(page.firms_supported) in dashboard.summary.text()
    assert dashboard.overdue.rowCount() == 0 and "불러오는 중" in dashboard.overdue_box.title()
    assert not dashboard.year.isEnabled()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window, queried = _window_on_start_page(demo_path, settings, qtbot, monkeypatch)
    dashboard = window.page("dashboard")
    assert queried == [1] and dashboard.overdue.rowCount() > 0 and "불러오는 중" not in dashboard.overdue_box.title()
    window.context.services.database.close()


def test_the_search_box_focus_loads_the_texts_for_the_first_keystroke(context, window, qtbot, monkeypatch):
    screen = window.screen("cases")
    model = screen.model
    loads: list[int] = []
    real = model.service.search_texts
    monkeypatch.setattr(model.service, "search_texts", lambda **f: loads.append(1) or real(**f))
    window.go("cases")
    window.show()
    screen.search.setFocus()
    qtbot.waitUntil(lambda: model._rows is not None, timeout=5000)
    assert loads == [1] and dict(model._rows) == real()
    screen.search.setText("대추")
    assert loads == [1] and 0 < model.rowCount() < len(model._base[1])
    # Rows fetched again (an edit) while texts load: the stale ones are dropped, the keystroke waits for none.
    screen.search.clear()
    model.reload(refetch=True)
    model.prepare_search()
    stale = model._preparing[1]
    model.reload(refetch=True)
    qtbot.waitUntil(lambda: model._preparing is None, timeout=5000)  # the stale load came in...
    assert stale.result is not None and model._rows is None  # ...and was dropped
    screen.search.setText("대추")
    assert loads == [1, 1, 1] and model.rowCount() > 0
    # Typed before the texts are in: the keystroke waits for that load instead of starting another.
    screen.search.clear()
    model.reload(refetch=True)
    model.prepare_search()
    screen.search.setText("대추")
    assert loads == [1, 1, 1, 1] and model._rows is not None and model.rowCount() > 0


def test_demo_data_put_into_a_new_file_drops_the_empty_files_start_page(tmp_path, monkeypatch, qapp):
    from boeun_desk import app
    from boeun_desk.services import Services

    path = tmp_path / "new.sqlite3"
    database = app.open_for_window(path)
    database.close(app._closing_page(AppContext(Services(database), QSettings(str(tmp_path / "s.ini"),
                                                                              QSettings.Format.IniFormat))))
    assert app._start_page(path) is not None and app._start_page(path).firms_supported == 0
    database = app.open_for_window(path)
    assert database.start_page is not None
    monkeypatch.setattr(app, "ask", Answers("yes"))
    assert app.offer_demo(database, Services(database)) is True
    assert database.start_page is None  # so the window queries the demo's figures
    database.close()


def test_a_start_page_from_another_program_version_is_not_shown(demo_path, monkeypatch):
    from boeun_desk import app

    _closed_with_start_page(demo_path)
    assert app._start_page(demo_path) is not None
    monkeypatch.setattr(app, "__version__", "9.9.9")
    assert app._start_page(demo_path) is None


def test_print_and_save_give_the_document_chosen_now_not_the_last_preview(context, window, monkeypatch, tmp_path,
                                                                          qtbot):
    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog

    screen = window.report_screen()
    firms = sorted(context.services.firms.list(), key=lambda f: f.name)
    window.show_report("firm", firms[0].id)
    qtbot.waitUntil(lambda: not screen.busy, timeout=60_000)
    assert screen.current is not None and screen.document.pageCount() >= 1
    screen.firm.set_value(firms[1].id)  # another firm chosen after the preview
    assert screen.current is None and "미리보기" in screen.status.text()
    target = tmp_path / "saved.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    screen.save_as()  # the chosen firm's PDF is made first, on the worker
    qtbot.waitUntil(lambda: not screen.busy, timeout=60_000)
    text = "".join(page.extract_text() for page in PdfReader(target).pages).replace(" ", "")
    assert firms[1].name.replace(" ", "") in text and firms[0].name.replace(" ", "") not in text


MARKUP = "<img src=file:///tmp/x.png><h1>BIG</h1>"
SEEN = "<h1>BIG</h1>"  # what a person reads only if the text is not taken for HTML


def seen(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """The text a person reads: Qt renders it as HTML when the format says so or, as QLabel,
    QMessageBox and tooltips do by default (AutoText), when it looks like HTML."""
    from PySide6.QtGui import Qt as GuiQt
    from PySide6.QtGui import QTextDocument

    if text_format == Qt.TextFormat.PlainText or (text_format == Qt.TextFormat.AutoText
                                                  and not GuiQt.mightBeRichText(text)):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def test_officer_data_shows_as_typed_never_as_markup(context, window, qtbot, monkeypatch, tmp_path):
    from PySide6.QtCharts import QBarCategoryAxis
    from PySide6.QtWidgets import QLabel, QMessageBox

    from boeun_desk.ui import context as context_module

    services = context.services
    year = max(services.program_years.list(), key=lambda y: y.year)
    kind = services.support_types.list()[0]
    services.support_types.update(kind.id, {"name": MARKUP})
    with services.database.engine.begin() as conn:  # a code no form takes now, as an older file may hold
        conn.exec_driver_sql("UPDATE support_type SET code = '<B>R&D</B>' WHERE id = ?", (kind.id,))
    firm = context.create("firms", {"name": MARKUP, "brn": "124-81-00998", "representative": MARKUP,
                                    "main_products": MARKUP}).id
    context.create("cases", {"firm_id": firm, "program_year_id": year.id, "support_type_id": kind.id,
                             "title": MARKUP})
    visit = context.create("visits", {"firm_id": firm, "starts_at": "2026-11-20 10:00", "purpose": MARKUP,
                                      "follow_ups": [{"action": MARKUP, "due_date": "2026-11-01"}]}).id

    detail = window.open_firm(firm)
    header = [label for label in detail.findChildren(QLabel) if MARKUP in label.text()]
    assert len(header) == 3  # the title, 대표자, 주요 제품
    assert all(SEEN in seen(label.text(), label.textFormat()) for label in header)
    for key in ("cases", "visits"):  # a cell's tooltip shows its whole text
        model = detail.show_tab(key).model
        tips = [model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
                for row in range(model.rowCount()) for column in range(model.columnCount())]
        tips = [tip for tip in tips if "BIG" in tip]
        assert tips and all(SEEN in seen(tip) for tip in tips), key

    # A message that quotes a name, next to the field.
    form = window.screen("firms").form()
    qtbot.addWidget(form)
    form.editors["name"].setText("다른 기업")
    form.editors["brn"].setText("124-81-00998")
    assert form.save() is False
    error = form.errors["brn"]
    assert "이미 등록된" in error.text() and SEEN in seen(error.text(), error.textFormat())
    # File names in the visit form.
    photo = tmp_path / "<h1>BIG.jpg"
    photo.write_bytes(b"\xff\xd8 photo")
    visit_form = window.screen("visits").form(visit)
    qtbot.addWidget(visit_form)
    visit_form._add_files([photo])
    label = visit_form.attach_label
    assert "<h1>BIG.jpg" in seen(label.text(), label.textFormat())

    # The dashboard: Qt Charts draws axis labels as HTML, the chart's tooltip is a tooltip.
    dashboard = Dashboard(context)
    qtbot.addWidget(dashboard)
    dashboard.year.setCurrentIndex(dashboard.year.findData(year.year))
    axis = next(a for a in dashboard.chart.axes() if isinstance(a, QBarCategoryAxis))
    assert any(SEEN in seen(name, Qt.TextFormat.RichText) for name in axis.categories())  # names, not codes
    assert SEEN in seen(dashboard.chart.toolTip())

    # The real ask(): messages and questions that quote a name.
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box) or QMessageBox.StandardButton.Ok)
    context_module.ask(window, "확인", f"이 기업을 삭제할까요? {MARKUP}", buttons=("ok",))
    assert SEEN in seen(boxes[0].text(), boxes[0].textFormat())


def test_a_record_changed_elsewhere_is_not_overwritten_and_the_typed_text_stays(context, window, qtbot):
    services = context.services
    firm = services.firms.list()[0]
    form = window.screen("firms").form(firm.id)
    qtbot.addWidget(form)
    form.show()
    # Meanwhile another window (or a merged laptop copy) changes the same firm.
    services.firms.update(firm.id, {"phone": "043-222-3333", "notes": "다른 창에서 쓴 메모"})
    form.editors["phone"].setText("043-999-0000")
    form.editors["representative"].setText("새대표")
    assert form.save() is False
    assert form.isVisible() and form.result() != QDialog.DialogCode.Accepted
    assert "다른 곳" in form.message.text() and "전화번호" in form.message.text()
    assert form.editors["phone"].text() == "043-999-0000" and form.editors["representative"].text() == "새대표"
    assert form.errors["phone"].isVisibleTo(form) and "043-222-3333" in form.errors["phone"].text()
    assert form.editors["notes"].text() == "다른 창에서 쓴 메모"  # a field left alone shows the other change
    saved = services.firms.get(firm.id)
    assert (saved.phone, saved.representative, saved.notes) == ("043-222-3333", firm.representative,
                                                                "다른 창에서 쓴 메모")
    assert [(d.data["phone"], d.data["representative"]) for d in context.drafts.pending()] == [
        ("043-999-0000", "새대표")]
    # Seen and saved again: what was typed is stored, the other change to 비고 stays.
    assert form.save() is True
    saved = services.firms.get(firm.id)
    assert (saved.phone, saved.representative, saved.notes) == ("043-999-0000", "새대표", "다른 창에서 쓴 메모")
    assert context.drafts.pending() == []


def test_a_visit_whose_follow_up_was_ticked_elsewhere_is_caught(context, window, qtbot):
    services = context.services
    visit = next(v for v in services.visits.list() if any(not f.done for f in services.visits.follow_ups(v.id)))
    follow_up = next(f for f in services.visits.follow_ups(visit.id) if not f.done)
    form = window.screen("visits").form(visit.id)
    qtbot.addWidget(form)
    services.visits.set_follow_up_done(follow_up.id)  # ticked on the dashboard of another window
    form.editors["purpose"].setText("현장 재점검")
    assert form.save() is False and "다른 곳" in form.message.text()
    assert form.editors["purpose"].text() == "현장 재점검"
    assert {i["id"]: i["done"] for i in form.editors["follow_ups"].items()}[follow_up.id] is True
    assert services.visits.get(visit.id).purpose == visit.purpose
    assert form.save() is True
    assert services.visits.get(visit.id).purpose == "현장 재점검"
    assert next(f for f in services.visits.follow_ups(visit.id) if f.id == follow_up.id).done


def test_a_draft_offered_back_after_a_crash_still_catches_a_change_made_meanwhile(context, window, qtbot):
    services = context.services
    firm = services.firms.list()[0]
    form = window.screen("firms").form(firm.id)
    qtbot.addWidget(form)
    form.editors["phone"].setText("043-999-0000")
    form._journal()  # what the 0.5 s timer does while typing
    # The program dies here; before it starts again the firm is changed elsewhere.
    services.firms.update(firm.id, {"phone": "043-222-3333"})
    draft = context.drafts.pending()[0]
    reopened = window.screen("firms").form(firm.id, draft=draft)
    qtbot.addWidget(reopened)
    assert reopened.editors["phone"].text() == "043-999-0000"
    assert reopened.save() is False and "043-222-3333" in reopened.errors["phone"].text()
    assert services.firms.get(firm.id).phone == "043-222-3333"
    assert reopened.save() is True and services.firms.get(firm.id).phone == "043-999-0000"
