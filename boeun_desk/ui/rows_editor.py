"""The editor of a list saved with its record (services/children.py): a visit's follow-ups, a
meeting's attendees and actions. One row per item, one column per field of the list; a tick box
for a yes/no field, typed text for the rest (checked by the core on save, like any field)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from boeun_desk.i18n import t
from boeun_desk.services.children import ChildList


def _width(spec: Any) -> int:
    """A column's width in pixels by its field: a note gets the room the others leave (0 here)."""
    if spec.kind == "note":
        return 0
    if spec.kind in {"bool", "date"}:
        return {"bool": 50, "date": 100}[spec.kind]
    return 90 if (spec.max_length or 0) <= 60 else 110 if spec.max_length <= 100 else 200


class RowsEditor(QWidget):
    def __init__(self, child: ChildList, parent: QWidget | None = None):
        super().__init__(parent)
        self.fields = child.fields
        self.table = QTableWidget(0, len(self.fields))
        self.table.setHorizontalHeaderLabels([t(f.label) for f in self.fields])
        self.table.horizontalHeader().setStretchLastSection(False)
        fixed = sum(_width(f) for f in self.fields)
        for column, spec in enumerate(self.fields):
            self.table.setColumnWidth(column, _width(spec) or max(490 - fixed, 200))
        self.table.setMinimumHeight(140)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the buttons; arrows move between cells
        add, remove = QPushButton(t("{label} 추가", label=t(child.title))), QPushButton(t("선택 삭제"))
        add.clicked.connect(self.add_empty_row)
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
        for column, spec in enumerate(self.fields):
            if spec.kind == "bool":
                cell = QTableWidgetItem()
                cell.setFlags(cell.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                cell.setCheckState(Qt.CheckState.Checked if item.get(spec.name) else Qt.CheckState.Unchecked)
            else:
                value = item.get(spec.name)
                cell = QTableWidgetItem("" if value is None else str(value))
            if column == 0:
                cell.setData(Qt.ItemDataRole.UserRole, item.get("id"))
            self.table.setItem(row, column, cell)

    def add_empty_row(self) -> None:
        """A new row at the end, its first cell open for typing (Tab moves on to the next)."""
        self.add_row({})
        row = self.table.rowCount() - 1
        self.table.scrollToBottom()
        self.table.setCurrentCell(row, 0)
        self.table.editItem(self.table.item(row, 0))

    def set_items(self, items: list[dict[str, Any]]) -> None:
        self.table.setRowCount(0)
        for item in items:
            self.add_row(item)

    def items(self) -> list[dict[str, Any]]:
        """The rows as the service takes them, in the order shown; a row already saved keeps its id."""
        result = []
        for row in range(self.table.rowCount()):
            entry: dict[str, Any] = {}
            for column, spec in enumerate(self.fields):
                cell = self.table.item(row, column)
                if spec.kind == "bool":
                    entry[spec.name] = bool(cell and cell.checkState() == Qt.CheckState.Checked)
                else:
                    entry[spec.name] = cell.text().strip() if cell else ""
            first = self.table.item(row, 0)
            if first and first.data(Qt.ItemDataRole.UserRole):
                entry = {"id": first.data(Qt.ItemDataRole.UserRole), **entry}
            result.append(entry)
        return result
