"""Dates in forms (issue 15, item 4): an empty date field looks empty, a new visit starts now (to
10 minutes), the calendar is Korean, and choosing a day keeps the time typed."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QTableView, QToolButton

from boeun_desk import i18n
from boeun_desk.entry import now_rounded
from boeun_desk.ui.widgets import DateField


def test_now_rounded_takes_the_nearest_ten_minutes():
    at = datetime(2026, 11, 30, 14, 34, 59)
    assert now_rounded(now=at) == datetime(2026, 11, 30, 14, 30)
    assert now_rounded(now=at.replace(minute=35, second=0)) == datetime(2026, 11, 30, 14, 40)
    assert now_rounded(now=datetime(2026, 12, 31, 23, 57)) == datetime(2027, 1, 1, 0, 0)
    assert now_rounded(5, now=at) == datetime(2026, 11, 30, 14, 35)


def test_an_empty_date_field_shows_what_goes_in_not_a_date(qtbot):
    for with_time, hint in ((False, "연-월-일"), (True, "연-월-일 시:분")):
        field = DateField(with_time=with_time)
        qtbot.addWidget(field)
        assert field.text() == "" and field.edit.placeholderText() == hint
        assert not any(char.isdigit() for char in field.edit.placeholderText())  # nothing that reads as a value
        assert "2024-11-28" in field.edit.toolTip()  # the example is one hover away


def test_a_new_visit_starts_now_rounded_and_an_edit_keeps_its_time(context, window, qtbot):
    screen = window.screen("visits")
    before = now_rounded().strftime("%Y-%m-%d %H:%M")
    form = screen.form()
    qtbot.addWidget(form)
    after = now_rounded().strftime("%Y-%m-%d %H:%M")
    assert form.editors["starts_at"].text() in {before, after}
    assert int(form.editors["starts_at"].text()[-2:]) % 10 == 0
    assert form.editors["ends_at"].text() == ""
    visit = context.services.visits.list()[0]
    edit = screen.form(visit.id)
    qtbot.addWidget(edit)
    assert edit.editors["starts_at"].text() == visit.starts_at.strftime("%Y-%m-%d %H:%M")


def test_the_calendar_is_korean_with_the_year_first(qtbot):
    field = DateField(with_time=True)
    qtbot.addWidget(field)
    calendar = field.calendar
    calendar.setCurrentPage(2024, 11)
    calendar.show()
    assert calendar.locale().language() == QLocale.Language.Korean
    year = calendar.findChild(QToolButton, "qt_calendar_yearbutton")
    month = calendar.findChild(QToolButton, "qt_calendar_monthbutton")
    assert (year.text(), month.text()) == ("2024년", "11월")
    bar = year.parentWidget().layout()
    assert bar.indexOf(year) < bar.indexOf(month)  # 2024년 11월, not 11월 2024
    calendar.showNextMonth()
    assert (year.text(), month.text()) == ("2024년", "12월")
    grid = calendar.findChild(QTableView, "qt_calendar_calendarview").model()
    days = [grid.index(0, column).data() for column in range(grid.columnCount())]
    assert days == ["일", "월", "화", "수", "목", "금", "토"]  # Sunday first, as Korean calendars


def test_the_calendar_follows_the_english_setting(qtbot):
    i18n.set_language("en")
    try:
        field = DateField()
        qtbot.addWidget(field)
        assert field.calendar.locale().language() == QLocale.Language.English
    finally:
        i18n.set_language("ko")


def test_choosing_a_day_keeps_the_time(qtbot):
    field = DateField(with_time=True)
    qtbot.addWidget(field)
    field.setText("2024-11-28 14:30")
    field.calendar.clicked.emit(QDate(2024, 12, 3))  # what a click on the 3rd sends
    assert field.text() == "2024-12-03 14:30"
    field.setText("2024.11.28 9:05")  # any form the core reads
    field.calendar.clicked.emit(QDate(2024, 12, 4))
    assert field.text() == "2024-12-04 9:05"
    field.setText("")  # no time yet: the time now, never a silent 00:00
    before = now_rounded().strftime("%H:%M")
    field.calendar.clicked.emit(QDate(2024, 12, 5))
    assert field.text() in {f"2024-12-05 {before}", "2024-12-05 " + now_rounded().strftime("%H:%M")}
    day_only = DateField()
    qtbot.addWidget(day_only)
    day_only.calendar.clicked.emit(QDate(2024, 12, 6))
    assert day_only.text() == "2024-12-06"


def test_the_calendar_opens_on_the_typed_day(qtbot):
    field = DateField()
    qtbot.addWidget(field)
    field.setText("2025.3.7")
    field._sync_calendar()  # what opening the pop-up does (menu.aboutToShow)
    assert field.calendar.selectedDate() == QDate(2025, 3, 7)


def test_a_visit_saved_through_the_calendar_keeps_its_time(context, window, qtbot):
    screen = window.screen("visits")
    form = screen.form()
    qtbot.addWidget(form)
    firms = form.editors["firm_id"]
    firms.set_value(firms.itemData(1))
    form.editors["starts_at"].setText("2026-11-20 14:30")
    form.editors["starts_at"].calendar.clicked.emit(QDate(2026, 11, 24))
    assert form.save()
    assert context.services.visits.get(form.record_id).starts_at == datetime(2026, 11, 24, 14, 30)


def test_a_visit_typed_without_its_time_is_warned_before_the_save(context, window, qtbot):
    from tests.test_form_warnings import Asked

    form = window.screen("visits").form()
    qtbot.addWidget(form)
    firms = form.editors["firm_id"]
    firms.set_value(firms.itemData(1))
    form.editors["starts_at"].setText("2026-11-24")
    context.ask = Asked("back")
    assert form.save() is False
    [(_title, text, _buttons)] = context.ask.asked
    assert "시작 일시: 시간을 입력하지 않아 00:00으로 저장됩니다" in text
    form.editors["starts_at"].setText("2026-11-24 09:30")
    context.ask = Asked()
    assert form.save() and context.ask.asked == []
