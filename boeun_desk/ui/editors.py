"""The editors of a record form: the right widget for each kind of field in the core schemas, a
visit's follow-up list, and reading and writing their values as the text an officer types."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from boeun_desk.i18n import t
from boeun_desk.kinds import REFERENCES
from boeun_desk.ui.table_model import Lookups
from boeun_desk.ui.widgets import AmountField, ChoiceField, DateField, PhoneField, TextArea
from boeun_desk.validation import Field


class FollowUpEditor(QWidget):
    """The follow-up list of a visit: action, due date, done."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([t("후속조치"), t("기한"), t("완료")])
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(0, 330)
        self.table.setColumnWidth(1, 110)
        self.table.setColumnWidth(2, 50)
        self.table.setMinimumHeight(120)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the buttons; arrows move between cells
        add, remove = QPushButton(t("후속조치 추가")), QPushButton(t("선택 삭제"))
        add.clicked.connect(lambda: self.add_row({}))
        remove.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add_row(self, item: dict[str, Any]) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        action = QTableWidgetItem(item.get("action", ""))
        action.setData(Qt.ItemDataRole.UserRole, item.get("id"))
        self.table.setItem(row, 0, action)
        self.table.setItem(row, 1, QTableWidgetItem(item.get("due_date", "")))
        done = QTableWidgetItem()
        done.setFlags(done.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        done.setCheckState(Qt.CheckState.Checked if item.get("done") else Qt.CheckState.Unchecked)
        self.table.setItem(row, 2, done)

    def set_items(self, items: list[dict[str, Any]]) -> None:
        self.table.setRowCount(0)
        for item in items:
            self.add_row(item)

    def items(self) -> list[dict[str, Any]]:
        result = []
        for row in range(self.table.rowCount()):
            action, due, done = (self.table.item(row, c) for c in range(3))
            entry = {"action": action.text().strip() if action else "", "due_date": due.text().strip() if due else "",
                     "done": bool(done and done.checkState() == Qt.CheckState.Checked)}
            if action and action.data(Qt.ItemDataRole.UserRole):
                entry = {"id": action.data(Qt.ItemDataRole.UserRole), **entry}
            result.append(entry)
        return result


def make_editor(field: Field, lookups: Lookups) -> QWidget:
    if field.kind in {"date", "datetime"}:
        return DateField(with_time=field.kind == "datetime")
    if field.kind == "amount":
        return AmountField()
    if field.kind == "choice":
        assert field.choices is not None
        items = [] if field.required else [(None, "")]
        return ChoiceField(items + [(code, t(label)) for code, label in field.choices.items()])
    if field.kind == "bool":
        return ChoiceField([(None, ""), (True, t("예")), (False, t("아니오"))])
    if field.kind == "ref":
        # A case is chosen among the chosen firm's cases (RecordForm._fill_cases), not among all.
        target = REFERENCES.get(field.name) if field.name != "case_id" else None
        names = lookups.get(target.key) if target else {}
        items = sorted(((key, str(name)) for key, name in names.items()), key=lambda item: item[1])
        return ChoiceField([(None, "")] + items, searchable=len(items) > 15)
    if field.kind == "note":
        return TextArea()
    return _line_edit(field)


def _line_edit(field: Field) -> QWidget:
    edit = PhoneField() if field.kind == "phone" else QLineEdit()
    placeholders = {"brn": "000-00-00000", "crn": "000000-0000000", "email": "name@example.kr"}
    edit.setPlaceholderText(placeholders.get(field.kind, ""))
    if field.kind == "int":
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    return edit


def on_change(editor: QWidget, callback: Any) -> None:
    """Call `callback` whenever the officer changes the editor's value."""
    if isinstance(editor, ChoiceField):
        editor.currentIndexChanged.connect(lambda _i: callback())
        editor.editTextChanged.connect(lambda _s: callback())
    elif isinstance(editor, FollowUpEditor):
        editor.table.itemChanged.connect(lambda _item: callback())
    elif isinstance(editor, DateField):
        editor.edit.textChanged.connect(lambda _s: callback())
    else:
        editor.textChanged.connect(lambda *_: callback())  # type: ignore[attr-defined]


def read_editor(editor: QWidget) -> Any:
    if isinstance(editor, ChoiceField):
        return editor.value()
    if isinstance(editor, FollowUpEditor):
        return editor.items()
    return editor.text()  # type: ignore[attr-defined]


def write_editor(editor: QWidget, value: Any) -> None:
    if isinstance(editor, ChoiceField):
        editor.set_value(value)
    elif isinstance(editor, FollowUpEditor):
        editor.set_items(value or [])
    else:
        editor.setText("" if value is None else str(value))  # type: ignore[attr-defined]


def shown_value(editor: QWidget, value: Any) -> str:
    """How a value (as `read_editor` gives it) reads in its editor: a choice by its label."""
    if isinstance(editor, ChoiceField):
        index = editor.findData(value)
        text = editor.itemText(index) if index >= 0 else str(value or "")
    elif isinstance(editor, FollowUpEditor):
        text = ", ".join(item.get("action", "") for item in value or [])
    else:
        text = "" if value is None else str(value)
    return text or t("(비어 있음)")


