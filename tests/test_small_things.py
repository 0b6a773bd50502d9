"""Small things an officer notices (issue 15, item 8): a visit's case fills its support type, phone
numbers are grouped as typed, the overdue follow-ups sort by due date either way, the delete
question names the record with the right particle, and the chart shows the types' names."""

from __future__ import annotations

import pytest
from PySide6.QtCharts import QBarCategoryAxis
from PySide6.QtCore import Qt

from boeun_desk import i18n
from boeun_desk.entry import phone_groups
from boeun_desk.i18n import josa
from boeun_desk.ui.dashboard import Dashboard
from boeun_desk.ui.widgets import PhoneField
from tests.conftest import Answers


@pytest.mark.parametrize(("typed", "grouped"), [
    ("0435441234", "043-544-1234"), ("01012345678", "010-1234-5678"), ("0101234567", "010-123-4567"),
    ("0212345678", "02-1234-5678"), ("021234567", "02-123-4567"), ("07012345678", "070-1234-5678"),
    ("05051234567", "0505-123-4567"), ("15881234", "1588-1234"), ("5441234", "544-1234"),
    ("0435", "043-5"), ("043", "043"), ("043 544 1234", "043-544-1234"),
    ("043-544-1234 (내선 2)", "043-544-1234 (내선 2)"), ("+82 10-1234-5678", "+82 10-1234-5678"),
    ("043123456789", "043123456789"),  # too long for a Korean number: left as typed
])
def test_phone_groups(typed, grouped):
    assert phone_groups(typed) == grouped


def test_a_phone_number_is_grouped_as_it_is_typed(qtbot):
    field = PhoneField()
    qtbot.addWidget(field)
    qtbot.keyClicks(field, "0435441234")
    assert field.text() == "043-544-1234" and field.cursorPosition() == len(field.text())
    field.clear()
    qtbot.keyClicks(field, "01012345678")
    assert field.text() == "010-1234-5678"
    field.clear()
    qtbot.keyClicks(field, "0212345678")
    assert field.text() == "02-1234-5678"
    field.setCursorPosition(3)  # after "02-": Backspace takes the 2, not only the dash
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    assert field.text() == "012-345-678" and field.cursorPosition() == 1
    field.clear()
    qtbot.keyClicks(field, "043-")  # a dash typed by hand stays until the next digit
    assert field.text() == "043-"
    qtbot.keyClicks(field, "5441234")
    assert field.text() == "043-544-1234"
    field.setCursorPosition(4)  # an edit in the middle keeps the cursor after the same digit
    qtbot.keyClicks(field, "9")
    assert field.text() == "043-9544-1234" and field.cursorPosition() == 5


@pytest.mark.parametrize(("word", "pair", "expected"), [
    ("지원과제", "을/를", "지원과제를"), ("기업", "을/를", "기업을"), ("인증 '유기가공식품 인증'", "을/를", "인증 '유기가공식품 인증'을"),
    ("방문·상담 '2026-11-20 10:00'", "을/를", "방문·상담 '2026-11-20 10:00'을"), ("2024년 2", "을/를", "2024년 2를"),
    ("HACCP", "을/를", "HACCP를"), ("ISO 22000", "이/가", "ISO 22000이"), ("기업 '속리산대추명가(주)'", "을/를",
                                                                      "기업 '속리산대추명가(주)'를"),
    ("사과", "은/는", "사과는"), ("'…'", "을/를", "'…'을(를)"),
])
def test_josa_follows_the_last_sound(word, pair, expected):
    assert josa(word, pair) == expected


def test_josa_leaves_english_alone():
    i18n.set_language("en")
    try:
        assert josa("case 'Quality'", "을/를") == "case 'Quality'"
    finally:
        i18n.set_language("ko")


def test_the_delete_question_names_the_record(context, window):
    screen = window.screen("cases")
    case_id = screen.model.id_at(0)
    title = context.services.cases.get(case_id).title
    screen.select(case_id)
    context.ask = Answers("no")
    screen.delete_or_restore()
    named = josa(f"지원과제 '{title}'", "을/를")
    assert context.ask.asked == [f"삭제 확인: {named} 휴지통으로 옮길까요? (실행 취소 가능)"]
    assert "을(를)" not in context.ask.asked[0] and screen.model.row_of(case_id) >= 0
    visits = window.screen("visits")
    visits.select(visits.model.id_at(0))
    context.ask = Answers("no")
    visits.delete_or_restore()
    assert context.ask.asked[0].startswith("삭제 확인: 방문·상담 '20")  # its day and its firm


def test_choosing_a_case_in_a_visit_fills_its_support_type(context, window, qtbot):
    case = next(c for c in context.services.cases.list() if c.support_type_id)
    form = window.screen("visits").form(preset={"firm_id": case.firm_id})
    qtbot.addWidget(form)
    types, cases = form.editors["support_type_id"], form.editors["case_id"]
    assert types.value() is None
    cases.setFocus()
    while cases.value() != case.id:  # down the firm's cases with the arrow key, as an officer would
        qtbot.keyClick(cases, Qt.Key.Key_Down)
    assert types.value() == case.support_type_id
    other = next(k for k in context.services.support_types.list() if k.id != case.support_type_id)
    types.set_value(other.id)  # it can still be changed
    assert form.save() and context.services.visits.get(form.record_id).support_type_id == other.id


def test_the_overdue_follow_ups_sort_by_due_date_either_way(context, qtbot, monkeypatch):
    from boeun_desk.services import queries
    from boeun_desk.ui import dashboard as dashboard_module

    monkeypatch.setattr(queries, "OVERDUE_SHOWN", 3)  # more overdue than the overview holds
    monkeypatch.setattr(dashboard_module, "OVERDUE_SHOWN", 3)
    every = context.services.queries.overdue_follow_ups()
    assert len(every) > 3
    dashboard = Dashboard(context)
    qtbot.addWidget(dashboard)
    due = [row[2] for row in dashboard.overdue.rows]
    assert due == sorted(f.due_date for f in every)[:3]  # the oldest first
    dashboard.overdue_view.horizontalHeader().setSortIndicator(2, Qt.SortOrder.DescendingOrder)  # a header click
    due = [row[2] for row in dashboard.overdue.rows]
    assert due == sorted((f.due_date for f in every), reverse=True)[:3]  # the newest, not the oldest reversed
    assert "최근 3건 / 전체" in dashboard.overdue_box.title()
    dashboard.refresh()  # a change elsewhere: the order chosen stays
    assert [row[2] for row in dashboard.overdue.rows] == due
    dashboard.overdue_view.horizontalHeader().setSortIndicator(2, Qt.SortOrder.AscendingOrder)
    assert [row[2] for row in dashboard.overdue.rows] == sorted(f.due_date for f in every)[:3]
    assert "오래된 3건 / 전체" in dashboard.overdue_box.title()


def test_the_chart_shows_the_types_names_not_codes(context, qtbot):
    dashboard = Dashboard(context)
    qtbot.addWidget(dashboard)
    [axis] = [a for a in dashboard.chart.axes() if isinstance(a, QBarCategoryAxis)]
    names = axis.categories()
    assert "시제품 제작지원" in names and "스마트 기술적용 생산성향상" in names
    assert not {"PROTO", "SMART", "TEST"} & set(names)
    assert names[-1] == "시제품 제작지원"  # the first type on top of the bars across
