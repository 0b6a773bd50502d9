"""Settings: language, officer name (작성자 of documents and the name in the history), default
program year, the program's document settings (작성기관, 작성부서, 결재란, 참여기관: shared with every
laptop through the database) and the default folders for documents and exports (this computer)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boeun_desk.i18n import t
from boeun_desk.ui import save_target
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.widgets import ChoiceField, ok_cancel, plain_label
from boeun_desk.validation import ValidationFailed

# Program fields edited here, with the label shown.
DOCUMENT_FIELDS = (("lead_agency", "작성기관 (주관기관)"), ("department", "작성부서"),
                   ("approval_titles", "결재란 (칸 이름을 쉼표로)"), ("participants", "참여기관"))


class FolderField(QWidget):
    """A folder path with a 찾아보기 button."""

    def __init__(self, value: str, title: str):
        super().__init__()
        self.edit = QLineEdit(value)
        self.edit.setPlaceholderText(t("비워 두면 문서 폴더"))
        browse = QPushButton(t("찾아보기…"))
        browse.clicked.connect(lambda: self._browse(title))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(browse)

    def _browse(self, title: str) -> None:
        chosen = QFileDialog.getExistingDirectory(self, title, self.edit.text() or str(save_target.documents_folder()))
        if chosen:
            self.edit.setText(chosen)

    def value(self) -> str:
        return self.edit.text().strip()


class SettingsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.restart_now = False  # the language changed and the officer chose to restart at once
        self.conversion = None  # (old key, new key): encryption to change once the window has closed
        self.setWindowTitle(t("설정"))
        settings = context.settings
        self.language = ChoiceField([("ko", "한국어"), ("en", "English")])
        self.language.set_value(settings.value("language", "ko"))
        self.officer = QLineEdit(str(settings.value("officer", "")))
        self.officer.setPlaceholderText(t("변경 이력과 문서의 작성자로 기록될 이름"))
        self.year = ChoiceField([(0, t("가장 최근 연도"))] + [
            (py.year, t("{year}년", year=py.year)) for py in context.services.program_years.list()])
        self.year.set_value(int(settings.value("default_year", 0) or 0))
        person = QFormLayout()
        person.addRow(t("표시 언어"), self.language)
        person.addRow(t("담당자 이름"), self.officer)
        person.addRow(t("기본 사업연도"), self.year)

        self.program = context.services.programs.current()
        self.document_fields: dict[str, QLineEdit] = {}
        documents = QFormLayout()
        for name, label in DOCUMENT_FIELDS:
            edit = QLineEdit(str(getattr(self.program, name, "") or "") if self.program else "")
            edit.setEnabled(self.program is not None)
            self.document_fields[name] = edit
            documents.addRow(t(label), edit)
        self.document_error = plain_label(wrap=True)
        self.document_error.setStyleSheet("color: #b00020")
        documents.addRow(self.document_error)
        for edit in self.document_fields.values():  # a refusal goes once the officer puts it right
            edit.textEdited.connect(lambda _text: self.document_error.clear())

        self.documents_folder = FolderField(str(settings.value(save_target.FOLDER_KEY, "") or ""),
                                            t("문서 저장 폴더"))
        self.exports_folder = FolderField(str(settings.value(save_target.EXPORT_KEY, "") or ""),
                                          t("내보내기 폴더"))
        folders = QFormLayout()
        folders.addRow(t("문서 저장 폴더"), self.documents_folder)
        folders.addRow(t("내보내기 폴더"), self.exports_folder)

        layout = QVBoxLayout(self)
        for title, form in ((t("담당자"), person), (t("문서 (모든 노트북에 공통)"), documents),
                            (t("폴더 (이 컴퓨터)"), folders)):
            box = QGroupBox(title)
            box.setLayout(form)
            layout.addWidget(box)
        from boeun_desk.ui.encryption import EncryptionBox

        self.encryption = EncryptionBox(context, self._conversion_chosen)
        layout.addWidget(self.encryption)
        layout.addWidget(ok_cancel(self, self.apply))
        self.resize(560, self.sizeHint().height())

    def _conversion_chosen(self) -> None:
        self.conversion = self.encryption.conversion
        self.apply()  # the other settings are kept as well; the window restarts after 확인

    def _save_document_settings(self) -> bool:
        """The program's document settings through its service (the one gate); False when refused."""
        if self.program is None:
            return True
        changed = {name: edit.text() for name, edit in self.document_fields.items()
                   if edit.text().strip() != str(getattr(self.program, name, "") or "")}
        if not changed:
            return True
        from boeun_desk.services import StaleEdit  # the window frame starts without the database layer

        try:
            self.context.update("programs", self.program.id, changed, expected_version=self.program.version)
        except (ValidationFailed, StaleEdit) as failed:
            self.document_error.setText(str(failed))
            return False
        return True

    def apply(self) -> None:
        self.context.set_officer(self.officer.text().strip())  # the change below is recorded under this name
        if not self._save_document_settings():
            return
        settings = self.context.settings
        settings.setValue("officer", self.officer.text().strip())
        settings.setValue("default_year", self.year.value())
        for key, field in ((save_target.FOLDER_KEY, self.documents_folder),
                           (save_target.EXPORT_KEY, self.exports_folder)):
            if field.value() and not Path(field.value()).is_dir():
                self.document_error.setText(t("폴더가 없습니다: {path}", path=field.value()))
                return
            settings.setValue(key, field.value())
        # Last, so that a refused folder leaves the question for the next 확인.
        language_changed = settings.value("language", "ko") != self.language.value()
        settings.setValue("language", self.language.value())
        if language_changed:  # every screen is built in the language: a restart applies it
            self.restart_now = self.context.ask(self, t("표시 언어"), t(
                "표시 언어는 프로그램을 다시 시작하면 바뀝니다. 지금 다시 시작할까요?\n"
                "저장한 내용은 그대로 있고, 실행 취소 기록만 지워집니다. (아니오: 다음에 시작할 때 바뀝니다)")) == "yes"
        self.accept()
