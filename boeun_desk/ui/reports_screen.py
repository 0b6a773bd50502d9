"""Reports: choose a document and its firm, visit or year (the annual report, indicator achievement
and budget execution are a year's); preview in the app, print, save as PDF
(or as HWPX to edit in 한글), or print every firm's summary in the background with progress and Cancel."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boeun_desk.i18n import t
from boeun_desk.models.choices import MEETING_KIND
from boeun_desk.reports import api
from boeun_desk.storage.files import atomic_path
from boeun_desk.ui import printing, save_target
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.refresh import RefreshWhenShown
from boeun_desk.ui.report_batch import BatchActions
from boeun_desk.ui.table_model import Lookups
from boeun_desk.ui.widgets import ChoiceField, plain_label
from boeun_desk.ui.worker import Task, error_message, run_with_progress

DOCUMENTS = (("firm", "기업별 지원현황"), ("visit", "방문상담·기술지도 일지"), ("certs", "인증·시험분석 현황"),
            ("annual", "연차 성과보고"), ("indicators", "성과지표 달성 현황"), ("budget", "사업비 집행 현황"),
             ("meeting", "회의록"), ("matches", "공급기업 매칭 현황"))
# The start of a saved file's name: the document's title as printed on it, in Korean as the PDF is.
FILE_TITLES = {"firm": "기업별지원현황", "visit": "방문일지", "certs": "인증시험분석현황", "annual": "연차성과보고",
               "indicators": "성과지표달성현황", "budget": "사업비집행현황", "meeting": "회의록",
               "matches": "공급기업매칭현황"}
# The documents of a program year, and how each is rendered.
YEAR_DOCUMENTS = {"annual": api.render_annual_report, "indicators": api.render_indicator_report,
                  "budget": api.render_budget_report, "matches": api.render_matches}


class ReportsScreen(BatchActions, QWidget):
    print_started = Signal(object)  # the Task of a print just started

    def __init__(self, context: AppContext, lookups: Lookups, parent: QWidget | None = None):
        super().__init__(parent)
        self.context, self.lookups = context, lookups
        self.folder = Path(tempfile.mkdtemp(prefix="boeun-desk-preview-"))
        self.current: Path | None = None  # the PDF shown, of the current choice
        self._rendering: Task | None = None  # the preview being made
        self._choice = 0  # counts changes of the choice and of the data
        self._made = 0  # previews made (each in a file of its own)
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        # Always there: fitted to the width, a document just as tall as the view would show and hide
        # the scroll bar in turn, each changing the width (the window hung at full CPU).
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)

        self.kind = ChoiceField([(key, t(label)) for key, label in DOCUMENTS])
        self.firm = ChoiceField([], searchable=True)
        self.visit = ChoiceField([])
        self.year = ChoiceField([])
        self.meeting = ChoiceField([])
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.firm.currentIndexChanged.connect(lambda _i: self._fill_visits())
        for field in (self.kind, self.firm, self.visit, self.year, self.meeting):
            field.currentIndexChanged.connect(lambda _i: self._outdated())
        # The handout variant: 대표자 김*용, phone 043-***-1234, e-mail masked.
        self.masked = QCheckBox(t("배포용 (개인정보 가림)"))
        self.masked.setToolTip(t("대표자 이름, 전화번호, 이메일을 가린 배포용 문서를 만듭니다."))
        self.masked.toggled.connect(lambda _on: self._outdated())
        # 모든 기업 일괄 출력 as editable 한글 documents, one per firm (the command line's --format hwpx).
        self.batch_hwpx = QCheckBox(t("일괄 출력은 한글 문서(HWPX)로"))
        self.batch_hwpx.setToolTip(t("모든 기업 일괄 출력에서 기업마다 PDF 대신 한글에서 고칠 수 있는 HWPX 파일을 만듭니다."))
        form = QFormLayout()
        form.addRow(t("문서"), self.kind)
        form.addRow(t("기업"), self.firm)
        form.addRow(t("방문 기록"), self.visit)
        form.addRow(t("사업연도"), self.year)
        form.addRow(t("회의"), self.meeting)
        form.addRow("", self.masked)
        form.addRow("", self.batch_hwpx)
        self.status = plain_label(wrap=True)  # errors and paths
        buttons = QVBoxLayout()
        for label, slot in ((t("미리보기"), self.preview), (t("인쇄…"), self.print_current),
                            (t("파일로 저장 (PDF·HWPX)…"), self.save_as), (t("모든 기업 일괄 출력…"), self.batch),
                            (t("모든 기업을 한 파일로…"), self.batch_combined)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addLayout(buttons)
        side.addWidget(self.status)
        side.addStretch()
        panel = QWidget()
        panel.setLayout(side)
        panel.setFixedWidth(370)
        layout = QHBoxLayout(self)
        layout.addWidget(panel)
        layout.addWidget(self.view, 1)
        self.reload_choices()
        context.changed.connect(lambda _changes: self._outdated())  # at once: 인쇄 never prints old data
        RefreshWhenShown(self, context, lambda changes: changes.touches("firm", "visit", "program_year", "meeting"),
                         self.reload_choices)

    # --- choices ------------------------------------------------------------------------------

    def reload_choices(self) -> None:
        firm = self.firm.value()
        self.firm.blockSignals(True)
        self.firm.clear()
        for firm_id, name in sorted(self.context.services.firms.names().items(), key=lambda item: item[1]):
            self.firm.addItem(name, firm_id)
        self.firm.set_value(firm)
        self.firm.blockSignals(False)
        year = self.year.value()
        self.year.clear()
        for program_year in self.context.services.program_years.list():
            self.year.addItem(t("{year}년", year=program_year.year), program_year.year)
        self.year.set_value(year or self.context.default_year or None)
        self._fill_meetings()
        self._fill_visits()
        self._kind_changed()

    def _fill_visits(self) -> None:
        self.visit.clear()
        firm_id = self.firm.value()
        if firm_id:
            for visit in reversed(self.context.services.visits.list(firm_id=firm_id)):
                self.visit.addItem(f"{visit.starts_at:%Y-%m-%d %H:%M}  {visit.purpose[:30]}", visit.id)

    def _fill_meetings(self) -> None:
        """Every meeting, the latest first (a 회의록 is printed per meeting, as a visit record per visit)."""
        chosen = self.meeting.value()
        self.meeting.clear()
        for meeting in reversed(self.context.services.meetings.list()):
            self.meeting.addItem(f"{meeting.held_on:%Y-%m-%d}  {meeting.title or t(MEETING_KIND[meeting.kind])}",
                                 meeting.id)
        self.meeting.set_value(chosen)

    def _outdated(self) -> None:
        """Another document was chosen, or the data changed: the preview shown (or being made) is not
        what 인쇄 or 파일로 저장 would give any more, so it goes; they render the current choice."""
        self._choice += 1
        if self.current is None:
            return
        self.document.close()
        self.current.unlink(missing_ok=True)  # a print under way has a copy of its own
        self.current = None
        self.status.setText(t("선택이나 데이터가 바뀌었습니다. 미리보기를 누르면 새로 만듭니다."))

    def _kind_changed(self) -> None:
        kind = self.kind.value()
        self.firm.setEnabled(kind in {"firm", "visit", "certs"})
        self.visit.setEnabled(kind == "visit")
        self.year.setEnabled(kind in YEAR_DOCUMENTS)
        self.meeting.setEnabled(kind == "meeting")

    def show_document(self, kind: str, record_id: str) -> None:
        """Open the screen on a document picked elsewhere (a list's Print action)."""
        self.kind.set_value(kind)
        if kind == "visit":
            self.firm.set_value(self.context.services.visits.get(record_id).firm_id)
            self._fill_visits()
            self.visit.set_value(record_id)
        elif kind == "meeting":
            self.meeting.set_value(record_id)
        else:
            self.firm.set_value(record_id)
        self.preview()

    # --- rendering ----------------------------------------------------------------------------

    def render_job(self, target: Path) -> Callable[..., Path]:
        """The current choice rendered into `target` (PDF, or HWPX for an .hwpx name), as a job to
        run now or on the worker (with the worker's `progress` and `cancelled`); ValueError names
        what is still to be chosen."""
        kind, services, masked = self.kind.value(), self.context.services, self.masked.isChecked()
        firm, visit, year = self.firm.value(), self.visit.value(), self.year.value()
        if kind in YEAR_DOCUMENTS:
            if year is None:
                raise ValueError(t("사업연도를 선택하세요"))
            return lambda **work: YEAR_DOCUMENTS[kind](services, year, target, masked=masked, **work)
        if kind == "meeting":
            meeting = self.meeting.value()
            if meeting is None:
                raise ValueError(t("회의를 선택하세요"))
            return lambda **work: api.render_meeting_minutes(services, meeting, target, masked=masked, **work)
        if kind == "certs":
            return lambda **work: api.render_certifications(services, target, firm, masked=masked, **work)
        if firm is None:
            raise ValueError(t("기업을 선택하세요"))
        if kind == "firm":
            return lambda **work: api.render_firm_summary(services, firm, target, masked=masked, **work)
        if visit is None:
            raise ValueError(t("방문 기록을 선택하세요"))
        return lambda **work: api.render_visit_record(services, visit, target, masked=masked, **work)

    @property
    def busy(self) -> bool:
        """A preview is being made (on the worker)."""
        return self._rendering is not None

    def preview(self, then: Callable[[], Any] | None = None) -> Task | None:
        """Make the current choice's PDF on the worker (progress, 취소; the window keeps answering) and
        show it; `then()` runs after it is shown (인쇄 or 파일로 저장 with no preview before). None: a
        choice is missing (the status says which) or a preview is already being made."""
        if self._rendering is not None:
            self.status.setText(t("문서를 만드는 중입니다. 다 만든 뒤에 다시 누르세요."))
            return None
        self._made += 1
        target = self.folder / f"{self.kind.value()}-{self._made}.pdf"  # the one shown stays until replaced
        try:
            job = self.render_job(target)
        except ValueError as error:
            self.status.setText(str(error))
            return None
        chosen = self._choice  # the choice this preview is of

        def shown(path: Path) -> None:
            self._rendering = None
            if chosen != self._choice:  # the choice or the data changed meanwhile: not what was asked
                path.unlink(missing_ok=True)
                self.status.setText(t("선택이나 데이터가 바뀌었습니다. 미리보기를 누르면 새로 만듭니다."))
                return
            self.document.close()
            if self.current is not None:
                self.current.unlink(missing_ok=True)
            self.document.load(str(path))
            self.current = path
            self.status.setText(t("{pages}쪽 문서를 만들었습니다.", pages=self.document.pageCount()))
            if then is not None:
                then()

        def failed(error: Exception) -> None:
            self._rendering = None
            target.unlink(missing_ok=True)
            if isinstance(error, api.Cancelled):
                self.status.setText(t("미리보기를 취소했습니다."))
            elif isinstance(error, ValueError | LookupError):  # e.g. the record was deleted meanwhile
                self.status.setText(str(error))
            else:
                self.status.setText(error_message(error, self.context))

        self.status.setText(t("문서를 만드는 중…"))
        self._rendering = run_with_progress(self, t("미리보기"), lambda _params, progress, cancelled: job(
            progress=progress, cancelled=cancelled), None, on_done=shown, on_error=failed)
        return self._rendering

    def choose_printer(self) -> QPrinter | None:
        """The print dialog seam (tests replace it): a configured printer, or None when cancelled."""
        printer = printing.new_printer()
        dialog = QPrintDialog(printer, self)
        return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None

    def print_current(self) -> Task | None:
        """Print the chosen document page by page on the worker, with progress and 취소 (made first,
        on the worker too, when no preview of the current choice is shown). Returns the task that
        runs now: the print, or the preview the print follows (`print_started` tells the print)."""
        if self.current is None:
            return self.preview(then=self._print)
        return self._print()

    def _print(self) -> Task | None:
        assert self.current is not None
        printer = self.choose_printer()
        if printer is None:
            return None
        # A copy of its own: a new preview may replace self.current while the printer works.
        pdf = self.folder / f"print-{id(printer)}.pdf"
        shutil.copyfile(self.current, pdf)

        def done(pages: int) -> None:
            pdf.unlink(missing_ok=True)
            self.status.setText(t("{pages}쪽을 프린터로 보냈습니다.", pages=pages))

        def failed(error: Exception) -> None:
            pdf.unlink(missing_ok=True)
            self.status.setText(t("인쇄를 취소했습니다.") if isinstance(error, printing.PrintCancelled)
                                else t("인쇄 실패: {error}", error=error))

        self.status.setText(t("인쇄하는 중…"))
        task = run_with_progress(self, t("인쇄"), printing.print_pages, printing.job_for(pdf, printer),
                                 on_done=done, on_error=failed, modal=False)  # the officer works on meanwhile
        self.print_started.emit(task)
        return task

    def suggested_name(self) -> str:
        """The default file name: the document, then the firm and year (or the visit's day)."""
        kind, services = self.kind.value(), self.context.services
        firm = services.firms.names().get(self.firm.value(), "") if self.firm.value() else ""
        year = self.year.value() or self.context.default_year or date.today().year
        handout = ["배포용"] if self.masked.isChecked() else []
        if kind in YEAR_DOCUMENTS:
            return save_target.pdf_name(FILE_TITLES[kind], year, *handout)
        if kind == "meeting" and self.meeting.value():
            meeting = services.meetings.get(self.meeting.value())
            return save_target.pdf_name(FILE_TITLES[kind], meeting.title, f"{meeting.held_on:%Y-%m-%d}", *handout)
        if kind == "visit" and self.visit.value():
            day = services.visits.get(self.visit.value()).starts_at
            return save_target.pdf_name(FILE_TITLES[kind], firm, f"{day:%Y-%m-%d}", *handout)
        if kind == "certs" and not firm:
            firm = "전체"
        if kind == "firm" and self.firm.value():  # the firm's latest year of support, not the year box's
            years = services.queries.firm_detail(self.firm.value()).selected_years
            year = max(years) if years else year
        return save_target.pdf_name(FILE_TITLES[kind], firm, year, *handout)

    def save_as(self) -> None:
        """Save the chosen document as PDF or HWPX (its PDF made first on the worker, when no preview
        of the current choice is shown)."""
        if self.current is None:
            self.preview(then=self._save)
        else:
            self._save()

    def _save(self) -> None:
        assert self.current is not None
        settings = self.context.settings
        suggested = save_target.save_folder(settings) / self.suggested_name()
        target = save_target.choose_save_path(self, t("파일로 저장"), suggested)
        if target is None:
            return
        if target.suffix.lower() == ".hwpx":
            self.save_hwpx(target)
            return
        try:
            with atomic_path(target) as scratch:
                shutil.copyfile(self.current, scratch)
        except OSError as error:
            self.status.setText(t("저장하지 못했습니다: {error}", error=error))
            return
        save_target.remember_folder(settings, target)
        self.status.setText(t("저장했습니다: {path}", path=target))

    def save_hwpx(self, target: Path) -> Task | None:
        """The current choice as an editable 한글 document (HWPX), rendered on the worker."""
        try:
            job = self.render_job(target)
        except ValueError as error:
            self.status.setText(str(error))
            return None

        def saved(path: Path) -> None:
            save_target.remember_folder(self.context.settings, path)
            self.status.setText(t("저장했습니다: {path}", path=path))

        def failed(error: Exception) -> None:
            self.status.setText(t("저장을 취소했습니다.") if isinstance(error, api.Cancelled)
                                else t("저장하지 못했습니다: {error}", error=error))

        # 취소 stops between the document's parts; the file is written only when all is done.
        return run_with_progress(self, t("한글 문서(HWPX)로 저장"),
                                 lambda _params, progress, cancelled: job(progress=progress, cancelled=cancelled),
                                 None, on_done=saved, on_error=failed)
