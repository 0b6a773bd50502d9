"""The editors of a record form: the right widget for each kind of field in the core schemas, the
rows saved with a record (a visit's follow-ups, a meeting's attendees), and reading and writing their values as the text an officer types."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLineEdit,
    QWidget,
)

from boeun_desk.i18n import t
from boeun_desk.kinds import REFERENCES
from boeun_desk.ui.rows_editor import RowsEditor
from boeun_desk.ui.table_model import Lookups
from boeun_desk.ui.widgets import AmountField, ChoiceField, DateField, PhoneField, TextArea
from boeun_desk.validation import Field


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
    placeholders = {"brn": "000-00-00000", "crn": "000000-0000000", "email": "name@example.kr", "time": "14:00"}
    edit.setPlaceholderText(placeholders.get(field.kind, ""))
    if field.kind == "int":
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    return edit


def on_change(editor: QWidget, callback: Any) -> None:
    """Call `callback` whenever the officer changes the editor's value."""
    if isinstance(editor, ChoiceField):
        editor.currentIndexChanged.connect(lambda _i: callback())
        editor.editTextChanged.connect(lambda _s: callback())
    elif isinstance(editor, RowsEditor):
        editor.table.itemChanged.connect(lambda _item: callback())
        editor.table.model().rowsInserted.connect(lambda *_: callback())
        editor.table.model().rowsRemoved.connect(lambda *_: callback())
    elif isinstance(editor, DateField):
        editor.edit.textChanged.connect(lambda _s: callback())
    else:
        editor.textChanged.connect(lambda *_: callback())  # type: ignore[attr-defined]


def read_editor(editor: QWidget) -> Any:
    if isinstance(editor, ChoiceField):
        return editor.value()
    if isinstance(editor, RowsEditor):
        return editor.items()
    return editor.text()  # type: ignore[attr-defined]


def write_editor(editor: QWidget, value: Any) -> None:
    if isinstance(editor, ChoiceField):
        editor.set_value(value)
    elif isinstance(editor, RowsEditor):
        editor.set_items(value or [])
    else:
        editor.setText("" if value is None else str(value))  # type: ignore[attr-defined]


def shown_value(editor: QWidget, value: Any) -> str:
    """How a value (as `read_editor` gives it) reads in its editor: a choice by its label."""
    if isinstance(editor, ChoiceField):
        index = editor.findData(value)
        text = editor.itemText(index) if index >= 0 else str(value or "")
    elif isinstance(editor, RowsEditor):
        named = next((f for f in editor.fields if f.required), editor.fields[0]).name  # e.g. an attendee's 성명
        text = ", ".join(str(item.get(named, "")) for item in value or [])
    else:
        text = "" if value is None else str(value)
    return text or t("(비어 있음)")


