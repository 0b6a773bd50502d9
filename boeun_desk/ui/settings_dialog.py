"""Settings: language, officer name, default program year (kept in QSettings)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from boeun_desk.i18n import t
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.widgets import ChoiceField


class SettingsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(t("설정"))
        settings = context.settings
        self.language = ChoiceField([("ko", "한국어"), ("en", "English")])
        self.language.set_value(settings.value("language", "ko"))
        self.officer = QLineEdit(str(settings.value("officer", "")))
        self.officer.setPlaceholderText(t("변경 이력에 기록될 이름"))
        self.year = ChoiceField([(0, t("가장 최근 연도"))] + [
            (py.year, t("{year}년", year=py.year)) for py in context.services.program_years.list()])
        self.year.set_value(int(settings.value("default_year", 0) or 0))
        form = QFormLayout(self)
        form.addRow(t("표시 언어"), self.language)
        form.addRow(t("담당자 이름"), self.officer)
        form.addRow(t("기본 사업연도"), self.year)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(t("확인"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t("취소"))
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def apply(self) -> None:
        settings = self.context.settings
        language_changed = settings.value("language", "ko") != self.language.value()
        settings.setValue("language", self.language.value())
        settings.setValue("officer", self.officer.text().strip())
        settings.setValue("default_year", self.year.value())
        self.context.set_officer(self.officer.text().strip())
        if language_changed:
            self.context.ask(self, t("설정"), t("언어 설정은 프로그램을 다시 시작하면 적용됩니다."), buttons=("ok",),
                             icon="info")
        self.accept()
