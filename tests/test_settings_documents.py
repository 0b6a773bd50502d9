"""설정: the program's document settings (결재란, 작성부서 ...) saved through the one gate, the officer
as 작성자, default folders; and the reports screen's handout check box and combined batch."""

from __future__ import annotations

import subprocess
from pathlib import Path

from boeun_desk.ui import save_target
from boeun_desk.ui.settings_dialog import SettingsDialog


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_document_settings_are_saved_through_the_service_and_printed(context, qtbot, tmp_path):
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    assert dialog.document_fields["approval_titles"].text() == "담당,팀장,센터장"
    dialog.officer.setText("이담당")
    dialog.document_fields["approval_titles"].setText("담당 / 팀장 / 본부장")
    dialog.document_fields["department"].setText("식품바이오팀")
    dialog.documents_folder.edit.setText(str(tmp_path))
    dialog.exports_folder.edit.setText(str(tmp_path))
    dialog.apply()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    program = context.services.programs.list()[0]
    assert (program.approval_titles, program.department) == ("담당,팀장,본부장", "식품바이오팀")
    assert program.updated_by == "이담당"
    assert save_target.save_folder(context.settings) == tmp_path == save_target.export_folder(context.settings)
    context.undo_stack.undo()  # the settings change is an ordinary, undoable edit
    assert context.services.programs.list()[0].department == "바이오센터"
    context.undo_stack.redo()

    from boeun_desk.ui.reports_screen import ReportsScreen
    from boeun_desk.ui.table_model import Lookups

    screen = ReportsScreen(context, Lookups(context))
    qtbot.addWidget(screen)
    screen.kind.set_value("firm")
    screen.firm.set_value(context.services.firms.by_brn("303-87-40163").id)
    screen.preview()  # made on the worker
    qtbot.waitUntil(lambda: not screen.busy, timeout=60_000)
    text = pdf_text(screen.current)
    assert "본부장" in text and "작성부서: 식품바이오팀" in text and "작성자: 이담당" in text and "센터장" not in text
    representative = context.services.firms.by_brn("303-87-40163").representative
    assert representative in text
    screen.masked.setChecked(True)
    screen.preview()
    qtbot.waitUntil(lambda: not screen.busy, timeout=60_000)
    masked = pdf_text(screen.current)
    assert representative not in masked and "(배포용)" in masked
    assert "배포용" in screen.suggested_name()


def test_bad_document_settings_keep_the_dialog_open_with_a_korean_message(context, qtbot, tmp_path):
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    dialog.document_fields["approval_titles"].setText("담당,팀장,센터장,본부장,원장,이사장,감사")
    dialog.apply()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert "결재란" in dialog.document_error.text()
    assert context.services.programs.list()[0].approval_titles == "담당,팀장,센터장"
    dialog.document_fields["approval_titles"].setText("담당,팀장,센터장")
    dialog.exports_folder.edit.setText(str(tmp_path / "없는 폴더"))
    dialog.apply()
    assert "폴더가 없습니다" in dialog.document_error.text()


def test_the_reports_screen_makes_the_combined_file(context, qtbot, tmp_path):
    from pypdf import PdfReader

    from boeun_desk.ui.reports_screen import ReportsScreen
    from boeun_desk.ui.table_model import Lookups

    screen = ReportsScreen(context, Lookups(context))
    qtbot.addWidget(screen)
    target = tmp_path / "모음.pdf"
    save_target_calls = []

    def choose(parent, title, suggested):
        save_target_calls.append(suggested)
        return target

    import boeun_desk.ui.reports_screen as module

    module.save_target.choose_save_path, original = choose, module.save_target.choose_save_path
    try:
        screen.batch_combined()
        qtbot.waitUntil(lambda: target.exists() and "저장했습니다" in screen.status.text(), timeout=60_000)
    finally:
        module.save_target.choose_save_path = original
    assert save_target_calls[0].name.startswith("기업별지원현황_모음")
    assert len(PdfReader(target).pages) > len(context.services.firms.ids())
