"""What the second new-officer walk (issue #15) ran into, each put right and kept so (pytest-qt)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from boeun_desk.ui.forms import write_editor
from tests.test_meeting_ui import _type_row


def _on_screen(widget, viewport) -> bool:
    """The whole of `widget` lies inside the scroll area's visible part."""
    return viewport.rect().contains(QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size()))


def test_a_refused_visit_scrolls_to_its_follow_up_message_and_keeps_its_layout(context, window, qtbot):
    firm = context.services.firms.list()[0]
    form = window.screen("visits").form(preset={"firm_id": firm.id})
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    write_editor(form.editors["purpose"], "시제품 진행 점검")
    _type_row(qtbot, form.editors["follow_ups"], ["대체 포장재 견적 받기", "다음주", False])
    heights = {name: form.editors[name].height() for name in ("purpose", "situation", "advice")}
    assert form.save() is False
    QApplication.processEvents()
    message = form.errors["follow_ups"]
    assert message.isVisibleTo(form) and "기한" in message.text()
    assert _on_screen(message, form.scroll.viewport())  # not 45 wheel clicks further down
    # The note boxes above keep their size (within a line's spacing): the form does not jump to
    # twice its length while the officer reads it (they grew from 64 to 138 pixels each).
    assert all(abs(form.editors[name].height() - height) <= 8 for name, height in heights.items())



def test_the_list_s_excel_button_asks_for_a_file_and_writes_it(context, window, qtbot, tmp_path, monkeypatch):
    """The button's clicked(checked) reached export_shown as its path: a TypeError box, no file."""
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    screen = window.screen("firms")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(tmp_path / "기업 목록"), "Excel (*.xlsx)"))
    button = next(b for b in screen.findChildren(QPushButton) if b.text() == "엑셀로…")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(context.ask.asked), timeout=60_000)
    written = tmp_path / "기업 목록.xlsx"  # typed without its extension: it is added
    assert context.ask.asked == [f"엑셀로 내보내기: 1개 시트를 저장했습니다: {written}"]
    assert load_workbook(written).active.max_row - 1 == screen.model.rowCount() == 22


def _conflicting_bundle(context, tmp_path) -> tuple[Path, str]:
    """A laptop copy whose phone number of the first firm differs from the one typed here."""
    from boeun_desk.services import Services, sync
    from boeun_desk.storage.engine import open_database

    services = context.services
    firm = services.firms.list()[0]
    laptop_path = tmp_path / "laptop.sqlite3"
    sync.clone(services.database.path, laptop_path)
    laptop = open_database(laptop_path)
    Services(laptop, "현장담당").firms.update(firm.id, {"phone": "043-222-3333", "founded": "2011-03-04"})
    bundle = tmp_path / "laptop.sync"
    sync.export_bundle(laptop, bundle)
    laptop.close()
    services.firms.update(firm.id, {"phone": "043-111-0000", "founded": "2012-01-02"})
    return bundle, firm.name


def test_sync_conflicts_name_the_record_and_its_field_in_korean(context, window, qtbot, tmp_path, capsys):
    """They read "firm | phone" with no firm named: the officer could not tell what to decide."""
    from boeun_desk import cli
    from boeun_desk.ui.exchange_dialogs import SyncDialog
    from tests.test_ui import finished

    bundle, name = _conflicting_bundle(context, tmp_path)
    dialog = SyncDialog(context, window)
    qtbot.addWidget(dialog)
    assert finished(qtbot, dialog.import_from(bundle)).conflicts == 2
    rows = sorted(row[:6] for row in dialog.conflicts.rows)
    assert rows == [("기업", name, "설립일", "2012-01-02", "2011-03-04", "현장담당"),
                    ("기업", name, "전화번호", "043-111-0000", "043-222-3333", "현장담당")]
    headers = [dialog.conflicts.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert headers == ["종류", "기록", "항목", "이쪽 값", "가져온 값", "가져온 쪽 담당자"]
    # The command line says the same.
    assert cli.main(["--db", str(context.services.database.path), "sync", "conflicts"]) == 0
    out = capsys.readouterr().out
    assert f"기업 '{name}' 전화번호" in out and "firm.phone" not in out
    # Settling one still works from the rows (the record id is kept last, out of sight).
    dialog.view.selectRow(next(i for i, row in enumerate(dialog.conflicts.rows) if row[2] == "전화번호"))
    dialog.resolve("remote")
    assert context.services.firms.by_brn(context.services.firms.list()[0].brn).phone == "043-222-3333"
    assert [row[2] for row in dialog.conflicts.rows] == ["설립일"]


def test_a_firm_added_on_both_laptops_reads_as_a_clash_of_its_registration_number(context):
    from boeun_desk.services.conflict_view import describe
    from boeun_desk.services.sync import Conflict

    firm = context.services.firms.list()[0]
    clash = Conflict("c1", "firm", "remote-id", "*", None, {"name": "보은식품(B)", "brn": firm.brn}, "이담당", "",
                     reason="UNIQUE constraint failed: firm.brn")
    with context.services.database.sessions() as session:
        view = describe(session, clash)
    assert (view.kind, view.record, view.field) == ("기업", "보은식품(B)", "새 기록 (추가하지 못함)")
    assert view.local == "같은 사업자등록번호의 기록이 이미 있습니다" and view.officer == "이담당"


def test_the_sync_dialog_closes_by_its_button_and_a_bundle_typed_without_extension_gets_it(
        context, window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog, QFileDialog

    from boeun_desk.ui.exchange_dialogs import SyncDialog

    dialog = SyncDialog(context, window)
    qtbot.addWidget(dialog)
    filters = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args: (filters.append(args[3]) or str(tmp_path / "번들"), args[3]))
    export = next(b for b in dialog.findChildren(QPushButton) if b.text() == "동기화 파일 내보내기…")
    qtbot.mouseClick(export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "저장했습니다" in dialog.status.text(), timeout=60_000)
    assert (tmp_path / "번들.sync").is_file() and not (tmp_path / "번들").exists()
    assert filters == ["동기화 파일 (*.sync)"]
    dialog.show()
    qtbot.mouseClick(next(b for b in dialog.findChildren(QPushButton) if b.text() == "닫기"), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()


def test_exports_are_offered_in_the_documents_folder_of_the_settings_when_none_is_set(context, tmp_path):
    """설정 says "비워 두면 문서 폴더": an empty export folder meant the system's Documents, not that."""
    from boeun_desk.ui import save_target

    context.settings.setValue(save_target.FOLDER_KEY, str(tmp_path))
    context.settings.setValue(save_target.EXPORT_KEY, "")
    assert save_target.export_folder(context.settings) == tmp_path
    (tmp_path / "exports").mkdir()
    context.settings.setValue(save_target.EXPORT_KEY, str(tmp_path / "exports"))
    assert save_target.export_folder(context.settings) == tmp_path / "exports"
    assert save_target.with_suffix(Path("a/목록.XLSX"), ".xlsx") == Path("a/목록.XLSX")
    assert save_target.with_suffix(Path("a/2025.하반기"), ".xlsx") == Path("a/2025.하반기.xlsx")


def test_from_the_search_box_down_or_enter_goes_on_to_the_rows_found(window, qtbot):
    from tests.test_keyboard import focused, press, type_text

    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # 기업
    screen = window.screen("firms")
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focused() is screen.search
    type_text(qtbot, "67894")  # 회인들기름방앗간 303-55-67894
    assert screen.model.rowCount() == 1
    press(qtbot, Qt.Key.Key_Down)  # not Tab past the 휴지통 box
    assert focused() is screen.view and screen.selected_id() == screen.model.id_at(0)
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    screen.view.clearSelection()
    press(qtbot, Qt.Key.Key_Return)  # Enter in the search box: to the list, nothing opens yet
    assert focused() is screen.view and screen.selected_id() == screen.model.id_at(0)
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "00000000")
    assert screen.model.rowCount() == 0
    press(qtbot, Qt.Key.Key_Down)  # nothing found: the focus stays where the officer types
    assert focused() is screen.search


def test_the_settings_message_goes_once_the_approval_boxes_are_put_right(context, qtbot):
    from boeun_desk.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    boxes = dialog.document_fields["approval_titles"]
    boxes.setText("담당,팀장,센터장,본부장,원장,이사장,감사")
    dialog.apply()
    assert "6칸까지" in dialog.document_error.text() and dialog.result() != SettingsDialog.DialogCode.Accepted
    boxes.selectAll()
    qtbot.keyClicks(boxes, "A,B,C")  # typed (English titles: keyClicks types ASCII)
    assert dialog.document_error.text() == ""


def test_a_sheet_exported_here_imports_back_without_a_note_about_its_id_column(context, tmp_path):
    from boeun_desk.exchange.excel_export import export_workbook
    from boeun_desk.exchange.excel_import import plan_import

    path = tmp_path / "기업.xlsx"
    export_workbook(context.services.database, ["firms"], path)
    plan = plan_import(context.services.database, "firms", path)
    assert plan.ok and plan.unchanged == 22 and [str(w) for w in plan.warnings] == []


def test_closing_the_window_during_a_batch_asks_first(context, window, qtbot, tmp_path):
    """The window closed at once and the 40,000-page batch was dropped without a word."""
    import threading

    from boeun_desk.ui.worker import run_with_progress, unfinished_work

    release = threading.Event()
    task = run_with_progress(window, "기업별 지원현황 일괄 출력", lambda _p, _progress, cancelled: release.wait(30) and
                             not cancelled(), modal=False)
    window.show()
    assert unfinished_work() == ["기업별 지원현황 일괄 출력"]
    context.ask.answers = ["no"]
    window.close()
    assert window.isVisible() and "기업별 지원현황 일괄 출력" in context.ask.asked[-1]
    assert "취소되고" in context.ask.asked[-1] and not task.done
    context.ask.answers = ["yes"]
    window.close()
    assert not window.isVisible()
    release.set()
    qtbot.waitUntil(lambda: task.done, timeout=30_000)
    assert unfinished_work() == []
    window.close()  # nothing running: no question
    assert len(context.ask.asked) == 2
