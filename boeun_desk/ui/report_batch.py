"""The reports screen's batches: every firm's summary, one file each in a folder (PDF or HWPX) or
all in one combined document, on the worker with progress and 취소; the firms left out are named."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog

from boeun_desk.i18n import t
from boeun_desk.reports import api
from boeun_desk.ui import save_target
from boeun_desk.ui.worker import error_message, run_with_progress

if TYPE_CHECKING:
    from PySide6.QtWidgets import QCheckBox, QLabel

    from boeun_desk.ui.context import AppContext


class BatchActions:
    """모든 기업 일괄 출력 and 모든 기업을 한 파일로, for the reports screen (a QWidget with these)."""

    context: AppContext
    status: QLabel
    masked: QCheckBox
    batch_hwpx: QCheckBox

    def batch(self) -> None:
        # Offered where documents went last (Qt's default, the working folder, is the program's own
        # folder when started from a Windows shortcut), and remembered like a saved document's folder.
        settings, hwpx = self.context.settings, self.batch_hwpx.isChecked()
        folder = QFileDialog.getExistingDirectory(self, t("기업별 HWPX를 저장할 폴더") if hwpx else t("기업별 PDF를 저장할 폴더"),
                                                  str(save_target.save_folder(settings)))
        if folder:
            save_target.remember_folder(settings, Path(folder) / "기업별지원현황.pdf")
            self.start_batch(Path(folder), hwpx=hwpx)

    def batch_combined(self) -> None:
        """Every firm in one document (cover, contents, continuous page numbers)."""
        settings = self.context.settings
        suggested = save_target.save_folder(settings) / save_target.pdf_name(
            "기업별지원현황_모음", *(["배포용"] if self.masked.isChecked() else []), date.today().strftime("%Y%m%d"))
        target = save_target.choose_save_path(self, t("한 파일로 저장"), suggested)
        if target is not None:
            save_target.remember_folder(settings, target)
            self.start_batch(target, combined=True)

    def start_batch(self, folder: Path, *, combined: bool = False, hwpx: bool = False) -> Any:
        """Every firm's summary, one file each in `folder` (HWPX with `hwpx`, else PDF) or (combined)
        one document at that path."""
        services, firm_ids = self.context.services, self.context.services.firms.ids()
        masked = self.masked.isChecked()

        title = t("기업별 지원현황 일괄 출력")

        def work(_params: Any, progress: Any, cancelled: Any) -> api.BatchResult:
            return api.render_firm_batch(services, firm_ids, folder, combined=combined, masked=masked,
                                         progress=progress, cancelled=cancelled, hwpx=hwpx and not combined)

        def done(result: api.BatchResult) -> None:
            said = t("저장했습니다: {path}", path=folder) if combined else t(
                "{n}개 파일을 저장했습니다: {path}", n=len(result.paths), path=folder)
            if result.skipped:  # the others are saved; the officer learns which firms are missing and why
                said += "\n" + skipped_text(result.skipped)
                self.status.setText(said)
                self.context.ask(self, title, said, buttons=("ok",), icon="warning")
            else:
                self.status.setText(said)

        def failed(error: Exception) -> None:
            self.status.setText(t("일괄 출력을 취소했습니다.") if isinstance(error, api.Cancelled)
                                else t("일괄 출력 실패: {error}", error=error_message(error, self.context)))

        return run_with_progress(self, title, work, None, on_done=done, on_error=failed, modal=False)


SKIPPED_SHOWN = 20  # firms named one by one; more are counted


def skipped_text(skipped: tuple[api.SkippedFirm, ...]) -> str:
    """The firms a batch left out, each with the reason: "· 보은식품 — ..." (at most SKIPPED_SHOWN)."""
    lines = [t("{n}개 기업은 문서를 만들지 못해 건너뛰었습니다:", n=len(skipped))]
    lines += [f"· {firm.name} — {firm.reason}" for firm in skipped[:SKIPPED_SHOWN]]
    if len(skipped) > SKIPPED_SHOWN:
        lines.append(t("외 {n}개 기업", n=len(skipped) - SKIPPED_SHOWN))
    return "\n".join(lines)

