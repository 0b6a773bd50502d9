"""A record form generated from the core schema: right widget per field (editors.py), core
validation shown next to each field and hidden once put right, warnings asked before the save,
typed text kept on error, unsaved-changes prompt, files attached by dialog or drop, and a save
refused (typed text kept) when the record was changed elsewhere after the form opened."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer
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
from boeun_desk.services import NotFound, StaleEdit
from boeun_desk.ui import screen_fit
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.editors import (
    make_editor,
    on_change,
    read_editor,
    shown_value,
    write_editor,
)
from boeun_desk.ui.form_logic import FormLogic
from boeun_desk.ui.rows_editor import RowsEditor
from boeun_desk.ui.specs import ListSpec
from boeun_desk.ui.table_model import Lookups
from boeun_desk.ui.widgets import ChoiceField, plain_label
from boeun_desk.validation import FieldError, ValidationFailed

ERROR_STYLE = "color: #b3261e;"
WARNING_STYLE = "color: #8a5300;"


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
        # Field -> (its value when the error was shown, whether a database-free rule found it).
        self.shown_errors: dict[str, tuple[Any, bool]] = {}
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
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the form opens in its first field, not on the scroll area
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
        self.logic.settle(self.values())
        for name, value in (draft.data.items() if draft else ()):
            if name in self.editors:
                write_editor(self.editors[name], value)
        for editor in self.editors.values():
            on_change(editor, self.journal_timer.start)
            on_change(editor, self._recheck)
        if "case_id" in self.editors and "support_type_id" in self.editors:
            self.editors["case_id"].activated.connect(lambda _i: self._case_chosen())
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

    def _case_chosen(self) -> None:
        """A visit's support type follows the case the officer chose (it can still be changed)."""
        support_type = self.logic.case_support_type(read_editor(self.editors["case_id"]))
        if support_type is not None:
            write_editor(self.editors["support_type_id"], support_type)

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
        values = self.values()
        found_here = self.logic.problems(values)
        self.shown_errors = {}
        for error in failed.errors:
            label = self.errors.get(error.field)
            if label is not None:
                label.setText(str(error) if error.field in self.logic.child_keys else error.message)
                label.show()
                self.shown_errors[error.field] = (values.get(error.field), error.field in found_here)
        first = next((e.field for e in failed.errors if e.field in self.editors), None)
        if first is not None:
            self.editors[first].setFocus()
            # Lay the form out with its messages shown first: scrolled before, a message below a long
            # form (a list's) was measured where it was not yet, and stayed out of sight.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            self.scroll.ensureWidgetVisible(self.errors[first])
        self.message.setStyleSheet(ERROR_STYLE)
        elsewhere = [str(e) for e in failed.errors if e.field not in self.errors]  # e.g. a file that cannot be read
        self.message.setText("\n".join([*elsewhere, t("입력값을 확인하세요. 입력한 내용은 그대로 남아 있습니다.")]))

    def _recheck(self) -> None:
        """Hide the error of each field put right: one a database-free rule found once that rule is
        met, any other (a number already taken, say) once the field is changed."""
        if not self.shown_errors:
            return
        values = self.values()
        wrong = self.logic.problems(values)
        for name, (then, found_here) in list(self.shown_errors.items()):
            if (name not in wrong) if found_here else values.get(name) != then:
                self.errors[name].hide()
                del self.shown_errors[name]
        if not self.shown_errors:
            self.message.clear()

    def _confirmed(self, warnings: list[FieldError]) -> bool:
        """Ask before saving what the rules warn about: 저장 saves, 돌아가기 returns to the form
        (the warning stays above the buttons)."""
        text = "\n".join(f"• {w}" for w in warnings)
        if self.context.ask(self, t("저장하기 전에 확인하세요"), text + "\n\n" + t("이대로 저장할까요?"),
                            buttons=("save", "back"), icon="warning") == "save":
            return True
        self.message.setStyleSheet(WARNING_STYLE)
        self.message.setText(t("저장하지 않았습니다: {warnings}", warnings=" / ".join(str(w) for w in warnings)))
        return False

    def save(self) -> bool:
        values = self.values()
        if not self.logic.is_new and not self.logic.dirty(values) and not self.pending_files:
            self.accept()
            return True
        try:
            warnings = self.logic.warnings(values)
            if warnings and not self._confirmed(warnings):
                return False
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
        unasked = [w for w in changes.warnings if w not in warnings]  # e.g. a rule met only as it saved
        if unasked:
            self.context.ask(self, t("저장했습니다 (확인 필요)"), "\n".join(str(w) for w in unasked),
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
        self.shown_errors = {}
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

