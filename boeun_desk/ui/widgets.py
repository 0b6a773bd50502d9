"""Field editors: one widget per kind of value in the core schemas, all read and written as text;
and the two ways officer data is put on screen as plain text (labels, tooltips)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import Qt as GuiQt  # Qt's text functions (mightBeRichText) live in QtGui
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from boeun_desk.i18n import t
from boeun_desk.validation import InvalidValue, parse_int


def plain_label(text: str = "", *, wrap: bool = False) -> QLabel:
    """A label for officer data or a message that may quote it. QLabel's default (AutoText) reads
    anything that looks like HTML as HTML: a firm named `<img src=…><h1>…` would show an image."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


def plain_tooltip(text: str) -> str:
    """A tooltip that shows `text` as typed: Qt reads a tooltip that looks like HTML as HTML and has
    no plain-text switch for tooltips, so such a text is escaped (it wraps as rich text does)."""
    if GuiQt.mightBeRichText(text):
        return GuiQt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)
    return text


class DateField(QWidget):
    """Typed date (any form the core accepts) with a calendar pop-up; `with_time` adds HH:MM."""

    def __init__(self, with_time: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.with_time = with_time
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("2024-11-28 14:30" if with_time else "2024-11-28")
        button = QToolButton()
        button.setText(t("달력"))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._sync_calendar)
        self.calendar.clicked.connect(lambda day: (self._pick(day), menu.hide()))
        button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(button)
        self.setFocusProxy(self.edit)

    def _sync_calendar(self) -> None:
        day = QDate.fromString(self.edit.text()[:10], "yyyy-MM-dd")
        if day.isValid():
            self.calendar.setSelectedDate(day)

    def _pick(self, day: QDate) -> None:
        time_part = self.edit.text()[10:].strip() if self.with_time else ""
        self.edit.setText(day.toString("yyyy-MM-dd") + (f" {time_part}" if time_part else ""))

    def text(self) -> str:
        return self.edit.text().strip()

    def setText(self, value: str) -> None:  # noqa: N802 (Qt naming)
        self.edit.setText(value)


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

    def text(self) -> str:
        return self.toPlainText().strip()

    def setText(self, value: str) -> None:  # noqa: N802 (Qt naming)
        self.setPlainText(value)
