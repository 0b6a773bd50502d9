"""A record form generated from the core schema: right widget per field, core validation shown next
to each field, typed text kept on error, unsaved-changes prompt, files attached by dialog or drop,
and a save refused (typed text kept) when the record was changed elsewhere after the form opened."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from boeun_desk.i18n import t
from boeun_desk.kinds import REFERENCES
from boeun_desk.services import NotFound, StaleEdit
from boeun_desk.ui import screen_fit
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.form_logic import FormLogic
from boeun_desk.ui.rows_editor import RowsEditor
from boeun_desk.ui.specs import ListSpec
from boeun_desk.ui.table_model import Lookups
from boeun_desk.ui.widgets import AmountField, ChoiceField, DateField, TextArea, plain_label
from boeun_desk.validation import Field, ValidationFailed

ERROR_STYLE = "color: #b3261e;"


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
    from PySide6.QtWidgets import QLineEdit

    edit = QLineEdit()
    placeholders = {"brn": "000-00-00000", "crn": "000000-0000000", "phone": "043-000-0000",
                    "email": "name@example.kr", "time": "14:00"}
    edit.setPlaceholderText(placeholders.get(field.kind, ""))
    if field.kind == "int":
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    return edit


def _on_change(editor: QWidget, callback: Any) -> None:
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


class RecordForm(QDialog):
    """Add or edit one record. `preset` pre-fills fields (e.g. the firm when adding from its detail)."""

    def __init__(self, context: AppContext, spec: ListSpec, lookups: Lookups, record_id: str | None = None,
                 preset: dict[str, Any] | None = None, parent: QWidget | None = None, *, draft: Any = None):
        super().__init__(parent)
        self.context, self.spec = context, spec
        # Typed values are journaled (debounced) so a crash or a dead battery loses nothing.
        self.draft_key = draft.key if draft else f"{spec.key}:{record_id or 'new:' + uuid.uuid4().hex}"
        self.journal_timer = QTimer(self, singleShot=True, interval=500)
        self.journal_timer.timeout.connect(self._journal)
        self.logic = FormLogic(context, spec, record_id, preset)
        if draft:
            self.logic.resume(draft.base, draft.version)
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.pending_files: list[Path] = []
        self.setWindowTitle(t("{label} {action}", label=t(spec.title),
                              action=t("추가") if self.logic.is_new else t("수정")))
        self.setAcceptDrops(True)
        screen_fit.resize_within(self, QSize(720, 640))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for field in spec.schema:
            self._add_row(form, field.name, t(field.label) + (" *" if field.required else ""),
                          make_editor(field, lookups))
        for child in self.logic.children:
            self._add_row(form, child.key, t(child.title), RowsEditor(child))
        body = QWidget()
        body.setLayout(form)
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)

        self.attach_label = plain_label(wrap=True)  # file names
        attach = QPushButton(t("파일 첨부…"))
        attach.clicked.connect(self._choose_files)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(t("저장"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t("취소"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self.message = plain_label(wrap=True)
        footer = QHBoxLayout()
        footer.addWidget(attach)
        footer.addWidget(self.attach_label, 1)
        footer.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(footer)
        if "firm_id" in self.editors and "case_id" in self.editors:
            self.editors["firm_id"].currentIndexChanged.connect(lambda _i: self._fill_cases())
            self._fill_cases()
        for name, value in self.logic.initial.items():
            if name in self.editors:
                write_editor(self.editors[name], value)
        for name, value in (draft.data.items() if draft else ()):
            if name in self.editors:
                write_editor(self.editors[name], value)
        for editor in self.editors.values():
            _on_change(editor, self.journal_timer.start)
        self._add_files([])

    def _journal(self) -> None:
        values = self.values()
        if self.logic.dirty(values):
            self.context.drafts.save(self.draft_key, self.spec.key, values, record_id=self.logic.record_id,
                                     base=self.logic.initial, version=self.logic.version)
        else:
            self.context.drafts.discard(self.draft_key)  # typed back to what is saved: nothing to offer

    def _fill_cases(self) -> None:
        """The case combo lists only the chosen firm's support cases."""
        firm_id, cases = read_editor(self.editors["firm_id"]), self.editors["case_id"]
        assert isinstance(cases, ChoiceField)
        chosen = cases.value()
        cases.clear()
        cases.addItem("", None)
        if firm_id:
            for case in self.context.services.cases.list(firm_id=firm_id):
                cases.addItem(case.title, case.id)
        cases.set_value(chosen)

    def _add_row(self, form: QFormLayout, name: str, label: str, editor: QWidget) -> None:
        error = plain_label(wrap=True)  # messages quote data: "이미 등록된 사업자등록번호입니다: <name>"
        error.setStyleSheet(ERROR_STYLE)
        error.hide()
        cell = QWidget()
        box = QVBoxLayout(cell)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        box.addWidget(editor)
        box.addWidget(error)
        form.addRow(label, cell)
        self.editors[name], self.errors[name] = editor, error

    # --- values and saving --------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {name: read_editor(editor) for name, editor in self.editors.items()}

    def show_errors(self, failed: ValidationFailed) -> None:
        for label in self.errors.values():
            label.hide()
        for error in failed.errors:
            label = self.errors.get(error.field)
            if label is not None:
                label.setText(str(error) if error.field in self.logic.child_keys else error.message)
                label.show()
        first = next((e.field for e in failed.errors if e.field in self.editors), None)
        if first is not None:
            self.editors[first].setFocus()
            self.scroll.ensureWidgetVisible(self.errors[first])  # a list's message sits below a long form
        self.message.setStyleSheet(ERROR_STYLE)
        elsewhere = [str(e) for e in failed.errors if e.field not in self.errors]  # e.g. a file that cannot be read
        self.message.setText("\n".join([*elsewhere, t("입력값을 확인하세요. 입력한 내용은 그대로 남아 있습니다.")]))

    def save(self) -> bool:
        values = self.values()
        if not self.logic.is_new and not self.logic.dirty(values) and not self.pending_files:
            self.accept()
            return True
        try:
            changes = self.logic.submit(values, self.pending_files)
        except ValidationFailed as failed:
            self.show_errors(failed)
            return False
        except StaleEdit:
            self._catch_up(values)
            return False
        except NotFound as error:  # deleted elsewhere meanwhile
            self._refused(str(error) + "\n" + t("입력한 내용은 그대로 남아 있습니다."))
            return False
        except Exception as error:  # a full disk, a locked or damaged file: say so, keep what was typed
            problem = self.context.database_problem(error)
            if problem is None:
                raise
            self._refused(t("저장하지 못했습니다. 입력한 내용은 그대로 남아 있습니다."))
            self.context.ask(self, t("저장하지 못했습니다"), problem + "\n" + t("입력한 내용은 그대로 남아 있습니다."),
                             buttons=("ok",), icon="error")
            return False
        self.journal_timer.stop()
        self.context.drafts.discard(self.draft_key)
        self.pending_files = []  # saved with the record (the status bar says so)
        if changes.warnings:
            self.context.ask(self, t("저장했습니다 (확인 필요)"), "\n".join(str(w) for w in changes.warnings),
                             buttons=("ok",), icon="warning")
        self.accept()
        return True

    def _catch_up(self, values: dict[str, Any]) -> None:
        """The record changed elsewhere since the form opened: nothing was saved. The fields the
        officer left alone take the other change, typed ones stay, and a field changed on both
        sides shows the other value next to it; saving again writes what the officer typed."""
        try:
            shown, both = self.logic.catch_up(values)
        except NotFound as error:
            self._refused(str(error) + "\n" + t("입력한 내용은 그대로 남아 있습니다."))
            return
        for name, value in shown.items():
            if name in self.editors and value != values[name]:
                write_editor(self.editors[name], value)
        for label in self.errors.values():
            label.hide()
        for name, theirs in both.items():
            self.errors[name].setText(t("다른 곳에서 바뀐 값: {value}", value=shown_value(self.editors[name], theirs)))
            self.errors[name].show()
        message = t("양식을 연 뒤 다른 곳(다른 창, 동기화)에서 이 기록이 바뀌어 저장하지 않았습니다. 입력한 내용은 그대로 "
                    "남아 있고, 손대지 않은 항목에는 바뀐 값을 채웠습니다.")
        if both:
            labels = [t(f.label) for f in self.spec.schema if f.name in both]
            labels += [t(c.title) for c in self.logic.children if c.key in both]
            message += "\n" + t("양쪽에서 바꾼 항목: {fields}. 확인한 뒤 다시 저장하면 입력한 값으로 저장됩니다.",
                                fields=", ".join(labels))
        else:
            message += "\n" + t("확인한 뒤 다시 저장하세요.")
        self._refused(message)

    def _refused(self, message: str) -> None:
        """Nothing was saved: say why above the buttons and keep what was typed (in the journal too)."""
        self._journal()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(message)

    @property
    def record_id(self) -> str | None:
        return self.logic.record_id

    # --- closing and files --------------------------------------------------------------------

    def reject(self) -> None:
        if self.logic.dirty(self.values()) or self.pending_files:
            answer = self.context.ask(self, t("저장하지 않은 내용"), t("입력한 내용을 저장할까요?"),
                                      buttons=("save", "discard", "cancel"))
            if answer == "save":
                self.save()  # closes the form on success, keeps it open with errors otherwise
            if answer != "discard":
                return
        self.journal_timer.stop()
        self.context.drafts.discard(self.draft_key)
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        event.ignore()
        self.reject()

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, t("첨부할 파일"), "",
                                                t("사진과 문서 (*.jpg *.jpeg *.png *.pdf *.hwp *.docx *.xlsx);;모든 파일 (*)"))
        self._add_files([Path(p) for p in paths])

    def _add_files(self, paths: list[Path]) -> None:
        """Add files to attach on save; the label names the record's files and those to come."""
        self.pending_files += [p for p in paths if p.is_file()]
        held = [a.filename for a in self.context.services.attachments.for_owner(self.record_id)] if self.record_id else []
        parts = [t("첨부파일: {names}", names=", ".join(held))] if held else []
        parts += [t("저장할 때 첨부: {names}", names=", ".join(p.name for p in self.pending_files))] if self.pending_files else []
        self.attach_label.setText(" · ".join(parts))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self._add_files([Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()])
        event.acceptProposedAction()

