"""The meeting form with its attendance list and actions, and the two new documents on the reports
screen (pytest-qt, offscreen)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from boeun_desk.ui.forms import write_editor
from tests.test_totals import layout_text


def _button(editor, text: str) -> QPushButton:
    return next(b for b in editor.findChildren(QPushButton) if b.text() == text)


def _type_row(qtbot, editor, values: list[str]) -> None:
    """Press the editor's add button and type into the new row's cells (a tick box for yes/no)."""
    qtbot.mouseClick(next(b for b in editor.findChildren(QPushButton) if b.text().endswith("추가")),
                     Qt.MouseButton.LeftButton)
    row = editor.table.rowCount() - 1
    for column, value in enumerate(values):
        cell = editor.table.item(row, column)
        if editor.fields[column].kind == "bool":
            cell.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
        else:
            cell.setText(value)


def _new_meeting_form(window, qtbot, context):  # noqa: F811
    form = window.screen("meetings").form()
    qtbot.addWidget(form)
    for name, value in (("program_year_id", context.services.program_years.by_year(2025).id),
                        ("kind", "advisory"), ("title", "2025년 하반기 자문회의"), ("held_on", "2025-11-20"),
                        ("start_time", "14:00"), ("end_time", "16:00"), ("place", "보은군청 소회의실"),
                        ("agenda", "하반기 실적 점검\n2026년 방향 자문"), ("recorder", "이서연")):
        write_editor(form.editors[name], value)
    return form


def test_the_meeting_form_saves_attendees_and_actions_and_shows_them_again(context, window, qtbot):  # noqa: F811
    form = _new_meeting_form(window, qtbot, context)
    people, actions = form.editors["attendee_rows"], form.editors["action_rows"]
    assert [people.table.horizontalHeaderItem(c).text() for c in range(4)] == ["구분", "소속", "직위", "성명"]
    assert [actions.table.horizontalHeaderItem(c).text() for c in range(4)] == ["후속 조치", "담당자", "기한", "완료"]
    _type_row(qtbot, people, ["외부위원", "충북대학교 식품생명공학과", "교수(위원장)", "남기훈"])
    _type_row(qtbot, people, ["주관기관", "충북테크노파크", "책임연구원", "이서연"])
    _type_row(qtbot, people, ["관계기관", "보은군", "주무관", "안소희"])
    _type_row(qtbot, actions, ["자문 결과 보고", "이서연", "2025. 12. 5.", False])
    assert form.save()
    meetings = context.services.meetings
    assert [(a.seq, a.category, a.name) for a in meetings.attendee_rows(form.record_id)] == [
        (1, "외부위원", "남기훈"), (2, "주관기관", "이서연"), (3, "관계기관", "안소희")]
    [action] = meetings.action_rows(form.record_id)
    assert (action.action, action.owner, action.due_date.isoformat(), action.done) == (
        "자문 결과 보고", "이서연", "2025-12-05", False)

    again = window.screen("meetings").form(form.record_id)
    qtbot.addWidget(again)
    people, actions = again.editors["attendee_rows"], again.editors["action_rows"]
    assert [people.table.item(r, 3).text() for r in range(3)] == ["남기훈", "이서연", "안소희"]
    assert actions.table.item(0, 2).text() == "2025-12-05" and not again.logic.dirty(again.values())
    # The officer corrects a position, removes an attendee, ticks the action done and adds another.
    people.table.item(0, 2).setText("교수")
    people.table.setCurrentCell(1, 0)
    qtbot.mouseClick(_button(people, "선택 삭제"), Qt.MouseButton.LeftButton)
    actions.table.item(0, 3).setCheckState(Qt.CheckState.Checked)
    _type_row(qtbot, actions, ["2026년 계획 반영", "안소희", "2026-01-30", False])
    assert again.logic.dirty(again.values())
    assert again.save()
    assert [(a.name, a.position) for a in meetings.attendee_rows(form.record_id)] == [("남기훈", "교수"),
                                                                                       ("안소희", "주무관")]
    assert [(a.action, a.done) for a in meetings.action_rows(form.record_id)] == [("자문 결과 보고", True),
                                                                                  ("2026년 계획 반영", False)]


def test_a_bad_due_date_is_shown_next_to_the_list_and_nothing_typed_is_lost(context, window, qtbot):  # noqa: F811
    before = len(context.services.meetings.list())
    form = _new_meeting_form(window, qtbot, context)
    _type_row(qtbot, form.editors["attendee_rows"], ["외부위원", "한국식품연구원", "책임연구원", "장수빈"])
    _type_row(qtbot, form.editors["action_rows"], ["결과 보고", "이서연", "다음 주 금요일", False])
    write_editor(form.editors["end_time"], "13:00")
    typed = form.values()
    assert form.save() is False
    # Every fault at once, each next to its field: the row's and the record's.
    assert form.errors["action_rows"].isVisibleTo(form) and form.errors["end_time"].isVisibleTo(form)
    assert "후속 조치 1: 기한: 날짜 형식이 올바르지 않습니다" in form.errors["action_rows"].text()
    assert "종료 시각이 시작 시각보다 빠릅니다" in form.errors["end_time"].text()
    assert "입력한 내용은 그대로 남아 있습니다" in form.message.text()
    assert form.values() == typed and len(context.services.meetings.list()) == before
    form.editors["action_rows"].table.item(0, 2).setText("2025-12-05")
    write_editor(form.editors["end_time"], "16:00")
    assert form.save()
    assert [a.name for a in context.services.meetings.attendee_rows(form.record_id)] == ["장수빈"]


def test_the_reports_screen_prints_a_meeting_s_minutes_and_the_year_s_matches(context, window, qtbot):  # noqa: F811
    meeting = next(m for m in context.services.meetings.list() if m.kind == "report")
    screen = window.screen("meetings")
    screen.select(meeting.id)
    with qtbot.waitSignal(screen.print_requested) as signal:
        screen.print_selected()
    assert signal.args == ["meeting", meeting.id]
    window.show_report(*signal.args)
    reports = window.report_screen()
    qtbot.waitUntil(lambda: not reports.busy, timeout=60_000)
    assert reports.kind.value() == "meeting" and reports.meeting.value() == meeting.id
    assert reports.meeting.isEnabled() and not reports.firm.isEnabled()
    assert reports.document.pageCount() == 2 and reports.current is not None
    assert reports.suggested_name() == "회의록_2024년 성과보고회_2024-11-28.pdf"
    assert reports.meeting.itemText(0).startswith("2025-06-19")  # the latest first
    assert "황보경태" in layout_text(reports.current)
    reports.masked.setChecked(True)  # the handout for the meeting's table
    reports.preview()
    qtbot.waitUntil(lambda: not reports.busy, timeout=60_000)
    assert "황보경태" not in layout_text(reports.current) and "황**태" in layout_text(reports.current)
    assert reports.suggested_name() == "회의록_2024년 성과보고회_2024-11-28_배포용.pdf"
    reports.masked.setChecked(False)
    reports.kind.set_value("matches")
    assert reports.year.isEnabled() and not reports.meeting.isEnabled()
    reports.year.set_value(2025)
    reports.preview()
    qtbot.waitUntil(lambda: not reports.busy, timeout=60_000)
    assert reports.document.pageCount() == 1 and "1쪽" in reports.status.text()
    assert reports.suggested_name() == "공급기업매칭현황_2025.pdf"
    # A meeting added elsewhere appears in the choice without reopening the screen.
    count = reports.meeting.count()
    context.create("meetings", {"program_year_id": context.services.program_years.by_year(2025).id,
                                "kind": "advisory", "title": "추가 회의", "held_on": "2025-12-01"})
    assert reports.meeting.count() == count + 1
