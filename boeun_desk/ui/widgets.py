"""Field editors: one widget per kind of value in the core schemas, all read and written as text.
(The two ways officer data is put on screen as plain text, labels and tooltips, are in plain.py.)"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QLocale, QSize, Qt
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from boeun_desk.entry import now_rounded, phone_groups
from boeun_desk.i18n import language, t
from boeun_desk.ui.plain import plain_label, plain_tooltip  # noqa: F401 (the screens import them from here too)
from boeun_desk.validation import InvalidValue, parse_date, parse_int


class DateField(QWidget):
    """Typed date (any form the core accepts) with a calendar pop-up; `with_time` adds HH:MM.

    Empty looks empty: the hint says what goes in ("연-월-일"), not an example date that reads as a
    value. Choosing a day keeps the time typed; with none yet it takes the time now (to 10 minutes),
    never a silent 00:00."""

    def __init__(self, with_time: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.with_time = with_time
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(t("연-월-일 시:분") if with_time else t("연-월-일"))
        self.edit.setToolTip(t("예: 2024-11-28 14:30 (20241128, 2024.11.28도 됩니다)") if with_time
                             else t("예: 2024-11-28 (20241128, 2024.11.28도 됩니다)"))
        button = QToolButton()
        button.setText(t("달력"))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        self.calendar = calendar_widget()
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._sync_calendar)
        self.calendar.clicked.connect(lambda day: (self._pick(day), menu.hide()))
        self.calendar.activated.connect(lambda day: (self._pick(day), menu.hide()))  # Enter on a day
        button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(button)
        self.setFocusProxy(self.edit)

    def _sync_calendar(self) -> None:
        day, _time = split_date_time(self.edit.text())
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day) if day else QDate.currentDate())

    def _pick(self, day: QDate) -> None:
        _day, time = split_date_time(self.edit.text())
        text = day.toString("yyyy-MM-dd")
        if self.with_time:
            text += " " + (time or now_rounded().strftime("%H:%M"))
        self.edit.setText(text)
        self.edit.setFocus()

    def text(self) -> str:
        return self.edit.text().strip()

    def setText(self, value: str) -> None:  # noqa: N802 (Qt naming)
        self.edit.setText(value)


def split_date_time(text: str) -> tuple[date | None, str]:
    """The day of a typed date (any form the core reads) and its time as typed ("" if none)."""
    words = text.split()
    time = words.pop() if len(words) > 1 and ":" in words[-1] else ""
    try:
        return parse_date(" ".join(words)), time
    except InvalidValue:
        return None, time


def calendar_widget() -> QCalendarWidget:
    """A calendar in the program's language: 2024년 11월, 일 월 화 … (Sunday first, as Korean
    calendars are), Saturdays blue and Sundays red, no week numbers."""
    calendar = QCalendarWidget()
    calendar.setGridVisible(True)
    calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
    if language() != "ko":
        calendar.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return calendar
    calendar.setLocale(QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea))
    calendar.setFirstDayOfWeek(Qt.DayOfWeek.Sunday)
    saturday = QTextCharFormat()
    saturday.setForeground(QColor("#1a56b0"))
    calendar.setWeekdayTextFormat(Qt.DayOfWeek.Saturday, saturday)
    # Qt shows "11월 2024"; Korean writes the year first, with 년.
    bar = calendar.findChild(QWidget, "qt_calendar_navigationbar")
    year = calendar.findChild(QToolButton, "qt_calendar_yearbutton")
    if bar is not None and year is not None and isinstance(bar.layout(), QHBoxLayout):
        layout = bar.layout()
        layout.removeWidget(year)
        layout.insertWidget(layout.indexOf(calendar.findChild(QToolButton, "qt_calendar_monthbutton")), year)

        def year_text(shown: int, _month: int = 0) -> None:
            year.setText(t("{year}년", year=shown))

        calendar.currentPageChanged.connect(year_text)
        spin = calendar.findChild(QSpinBox, "qt_calendar_yearedit")
        if spin is not None:
            spin.editingFinished.connect(lambda: year_text(calendar.yearShown()))
        year_text(calendar.yearShown())
    return calendar


class PhoneField(QLineEdit):
    """A phone number put in its groups as it is typed (0435441234 -> 043-544-1234, see
    validation.phone_groups); the cursor stays after the same digit, and Backspace (or Delete) next
    to a dash takes the digit beyond it, as the dash would only come back."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.textEdited.connect(self._group)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        text, cursor = self.text(), self.cursorPosition()
        if not self.hasSelectedText():
            if event.key() == Qt.Key.Key_Backspace and cursor > 0 and text[cursor - 1] in "- ":
                self.setCursorPosition(cursor - 1)
            elif event.key() == Qt.Key.Key_Delete and cursor < len(text) and text[cursor] in "- ":
                self.setCursorPosition(cursor + 1)
        super().keyPressEvent(event)

    def _group(self, text: str) -> None:
        grouped = phone_groups(text)
        if grouped == text or text.endswith(("-", " ")):  # a dash typed by hand stays until the next digit
            return
        digits = sum(char.isdigit() for char in text[:self.cursorPosition()])
        self.setText(grouped)
        position = 0
        while digits > 0 and position < len(grouped):  # just after the same number of digits
            digits -= grouped[position].isdigit()
            position += 1
        self.setCursorPosition(position)


class AmountField(QLineEdit):
    """Whole won, right-aligned, shown with thousands separators once typed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setPlaceholderText("0")
        self.editingFinished.connect(self._format)

    def _format(self) -> None:
        try:
            number = parse_int(self.text())
        except InvalidValue:
            return  # keep what was typed; the core explains the problem on save
        if number is not None:
            self.setText(f"{number:,}")


class ChoiceField(QComboBox):
    """Codes with Korean labels; `items` is [(value, label)], value None for "not chosen"."""

    def __init__(self, items: list[tuple[Any, str]], *, searchable: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        # Long item texts must not widen the combo and squeeze the field's label.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        for value, label in items:
            self.addItem(label, value)
        if searchable:
            self.setEditable(True)
            self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = self.completer()
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def value(self) -> Any:
        if self.isEditable() and self.currentText() != self.itemText(self.currentIndex()):
            index = self.findText(self.currentText())
            return self.itemData(index) if index >= 0 else None
        return self.currentData()

    def set_value(self, value: Any) -> None:
        index = self.findData(value)
        self.setCurrentIndex(max(index, 0))


class TextArea(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(64)
        self.setMaximumHeight(140)

    def sizeHint(self) -> QSize:  # noqa: N802
        """As tall as its minimum: it grows into room the form has to spare, but a form's message
        (a word-wrapped label, which makes the scroll area lay the form out at its preferred height)
        does not make every note box jump to its largest."""
        return QSize(super().sizeHint().width(), self.minimumHeight())

    def text(self) -> str:
        return self.toPlainText().strip()

    def setText(self, value: str) -> None:  # noqa: N802 (Qt naming)
        self.setPlainText(value)


def ok_cancel(dialog: Any, accept: Any) -> Any:
    """The 확인 / 취소 buttons of a dialog: 확인 calls `accept`, 취소 rejects."""
    from PySide6.QtWidgets import QDialogButtonBox

    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(t("확인"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t("취소"))
    buttons.accepted.connect(accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
