"""Excel import with a preview, Excel export, sync bundles with the conflict list, backup now.
Each reads or writes files on a worker with progress and 취소 (worker.run_with_progress); what
changes data ends with one broadcast that every screen understands (Changes.everything)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boeun_desk.exchange.bundle import is_sealed_bundle
from boeun_desk.exchange.excel_export import export_workbook
from boeun_desk.exchange.excel_import import KINDS, ImportPlan, apply_import, plan_import
from boeun_desk.i18n import t
from boeun_desk.services import Changes, sync
from boeun_desk.services.conflict_view import describe_conflicts
from boeun_desk.storage import backup
from boeun_desk.ui import passphrase_dialog
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.dashboard import RowsModel, table_view
from boeun_desk.ui.save_target import export_folder, with_suffix
from boeun_desk.ui.widgets import ChoiceField, plain_label
from boeun_desk.ui.worker import Task, error_message, run_with_progress
from boeun_desk.validation import InvalidValue


class ImportDialog(QDialog):
    """Choose a spreadsheet, see what it would add and change (or why it is refused), then import."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context, self.plan = context, None
        self.setWindowTitle(t("엑셀에서 가져오기"))
        self.resize(980, 560)
        self.kind = ChoiceField([(key, t(kind.title)) for key, (kind, _required) in KINDS.items()])
        choose = QPushButton(t("파일 선택…"))
        choose.clicked.connect(self._choose)
        self.summary = plain_label(t("가져올 엑셀 파일(.xlsx)을 고르세요. 모든 행을 먼저 검사하고, 오류가 하나라도 있으면 "
                                "아무것도 가져오지 않습니다."), wrap=True)
        self.rows = RowsModel([t("구분"), t("행"), t("이름"), t("내용")])
        self.apply_button = QPushButton(t("가져오기"))
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        top = QHBoxLayout()
        top.addWidget(self.kind)
        top.addWidget(choose)
        top.addStretch()
        bottom = QHBoxLayout()
        bottom.addStretch()
        bottom.addWidget(self.apply_button)
        close = QPushButton(t("닫기"))
        close.clicked.connect(self.reject)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(table_view(self.rows, [70, 50, 220]), 1)
        layout.addLayout(bottom)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, t("가져올 엑셀 파일"), str(export_folder(self.context.settings)),
                                              "Excel (*.xlsx)")
        if path:
            self.preview(Path(path))

    def preview(self, path: Path) -> Task:
        """Read and check the file on a worker; the plan is shown when it is ready."""
        database, kind = self.context.services.database, self.kind.value()
        self.apply_button.setEnabled(False)
        return run_with_progress(self, t("엑셀 파일 검사"), lambda _p, progress, cancelled: plan_import(
            database, kind, path, progress=progress, cancelled=cancelled), on_done=self.show_plan,
            context=self.context)

    def show_plan(self, plan: ImportPlan) -> ImportPlan:
        self.plan = plan
        rows = [(t("오류"), e.row or "", "", str(e), "") for e in plan.errors]
        rows += [(t("새로 추가"), r.row, r.name, "", "") for r in plan.new]
        rows += [(t("변경"), r.row, r.name, ", ".join(f"{k}: {r.old.get(k) or '-'} → {v}" for k, v in r.values.items()),
                  "") for r in plan.changed]
        rows += [(t("참고"), w.row or "", "", str(w), "") for w in plan.warnings]
        self.rows.set_rows(rows)
        self.summary.setText(
            t("새로 추가 {new}건, 변경 {changed}건, 그대로 {same}건, 오류 {errors}건", new=len(plan.new),
              changed=len(plan.changed), same=plan.unchanged, errors=len(plan.errors))
            + ("" if plan.ok else "\n" + t("오류가 있어 이 파일은 가져올 수 없습니다. 파일을 고친 뒤 다시 선택하세요.")))
        self.apply_button.setEnabled(plan.ok and bool(plan.new or plan.changed))
        return plan

    def apply(self) -> Task:
        """Write the previewed plan on a worker (all rows or none; 취소 until the commit)."""
        assert self.plan is not None and self.plan.ok
        database, officer = self.context.services.database, self.context.services.officer

        def done(plan: ImportPlan) -> None:
            if not plan.applied:  # the database changed since the preview: nothing was written
                self.context.ask(self, t("가져오기"), "\n".join(str(e) for e in plan.errors), buttons=("ok",),
                                 icon="warning")
                self.preview(plan.path)
                return
            self.context.ask(self, t("가져오기 완료"), t("새로 추가 {new}건, 변경 {changed}건을 저장했습니다.",
                                                      new=len(plan.new), changed=len(plan.changed)),
                             buttons=("ok",), icon="info")
            self.accept()

        return run_with_progress(self, t("엑셀에서 가져오기"), lambda plan, progress, cancelled: apply_import(
            database, plan, officer, progress=progress, cancelled=cancelled), self.plan, on_done=done,
            context=self.context, changes=lambda plan: Changes.everything("import") if plan.applied else None)


class SyncDialog(QDialog):
    """Bring copies from several laptops together: export, import, decide conflicts."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(t("노트북 간 동기화"))
        self.resize(980, 520)
        self.status = plain_label(t("다른 노트북에서 내보낸 동기화 파일을 가져오면 서로 다른 변경은 합치고, 같은 항목을 양쪽에서 "
                               "바꾼 경우는 아래 충돌 목록에 남깁니다."), wrap=True)  # then errors and paths
        self.conflicts = RowsModel([t("종류"), t("기록"), t("항목"), t("이쪽 값"), t("가져온 값"), t("가져온 쪽 담당자")])
        self.view = table_view(self.conflicts, [90, 200, 110, 200, 200])
        buttons = QHBoxLayout()
        for label, slot in ((t("동기화 파일 내보내기…"), self._export), (t("동기화 파일 가져오기…"), self._import),
                            (t("이쪽 값 유지"), lambda: self.resolve("local")),
                            (t("가져온 값 사용"), lambda: self.resolve("remote"))):
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.sealed = QCheckBox(t("내보낼 때 암호로 봉인"))
        buttons.addWidget(self.sealed)
        buttons.addStretch()
        close = QPushButton(t("닫기"))
        close.clicked.connect(self.reject)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        """The conflicts as the officer reads them: the kind, the record by its name, the field's label."""
        self.conflicts.set_rows([(c.kind, c.record, c.field, c.local, c.remote, c.officer, c.id)
                                 for c in describe_conflicts(self.context.services.database)])

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, t("동기화 파일 내보내기"),
                                              str(export_folder(self.context.settings) / "boeun-desk.sync"),
                                              t("동기화 파일 (*.sync)"))
        if path:
            self.export_to(with_suffix(Path(path), ".sync"))

    def export_to(self, path: Path) -> Task | None:
        """Write a bundle on a worker; sealed (its passphrase asked first) when the box is ticked.
        None: the officer gave no passphrase."""
        passphrase = None
        if self.sealed.isChecked():
            entered = passphrase_dialog.ask_passphrase(self, passphrase_dialog.NEW, t("동기화 파일 암호"), t(
                "동기화 파일을 이 암호로 봉인합니다. 받는 쪽에 암호를 이 파일과 다른 길로(전화 등) 알려 주세요."), warn=False)
            if entered is None:
                return None
            passphrase = entered.passphrase

        def done(counts: dict[str, int]) -> None:
            missing = t(" (이 사본에 없는 첨부파일 {n}개는 담지 못했습니다)", n=counts["files_missing"])
            self.status.setText(t("동기화 파일을 저장했습니다: {path}", path=path)
                                + (missing if counts["files_missing"] else ""))

        database = self.context.services.database
        return run_with_progress(self, t("동기화 파일 내보내기"), lambda _p, progress, cancelled: sync.export_bundle(
            database, path, passphrase=passphrase, progress=progress, cancelled=cancelled), on_done=done,
            on_error=self._failed)

    def _import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, t("동기화 파일 가져오기"), str(export_folder(self.context.settings)),
                                              t("동기화 파일 (*.sync);;모든 파일 (*)"))
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> Task | None:
        """Merge a bundle on a worker (all of it or nothing; 취소 until the commit); then every
        screen is told that anything may have changed. A sealed bundle's passphrase is asked
        first (None: the officer gave none; a wrong one is told in the status line)."""
        passphrase = None
        try:
            sealed = is_sealed_bundle(path)
        except OSError as error:
            self._failed(error)
            return None
        if sealed:
            entered = passphrase_dialog.ask_passphrase(self, passphrase_dialog.OPEN, t("동기화 파일 암호"),
                                                       t("암호로 봉인된 동기화 파일입니다. 암호를 입력하세요:\n{path}",
                                                         path=path.name))
            if entered is None:
                self.status.setText(t("가져오지 않았습니다: {path}", path=path.name))
                return None
            passphrase = entered.passphrase

        def done(result: Any) -> None:
            self.status.setText(t("추가 {added}건, 변경 {updated}건, 충돌 {conflicts}건", added=result.added,
                                  updated=result.updated, conflicts=result.conflicts))
            self.reload()

        database = self.context.services.database
        return run_with_progress(self, t("동기화 파일 가져오기"), lambda _p, progress, cancelled: sync.import_bundle(
            database, path, passphrase=passphrase, progress=progress, cancelled=cancelled), on_done=done,
            on_error=self._failed, context=self.context, changes=Changes.everything("sync"))

    def _failed(self, error: Exception) -> None:
        self.status.setText(error_message(error, self.context))  # nothing of the file was kept or left

    def resolve(self, take: str) -> None:
        settled = []
        for index in self.view.selectionModel().selectedRows():
            try:
                settled.append(sync.resolve_conflict(self.context.services.database,
                                                     self.conflicts.rows[index.row()][-1], take,
                                                     self.context.services.officer))
            except InvalidValue as refused:  # e.g. the other copy's number now belongs to another firm
                self.status.setText(str(refused))
        kinds = {conflict.entity for conflict in settled}
        if len(kinds) == 1:
            self.context.changed.emit(Changes(kinds.pop(), tuple(c.entity_id for c in settled), "resolve"))
        elif kinds:
            self.context.changed.emit(Changes.everything("resolve"))
        self.reload()


def export_excel(context: AppContext, parent: QWidget) -> Task | None:
    path, _ = QFileDialog.getSaveFileName(parent, t("엑셀로 내보내기"), str(export_folder(context.settings) / "보은데스크.xlsx"),
                                          "Excel (*.xlsx)")
    return export_sheets(context, parent, ["all"], with_suffix(Path(path), ".xlsx")) if path else None


def export_sheets(context: AppContext, parent: QWidget, keys: list[str], path: Path, *,
                  only_ids: set[str] | None = None, announce: bool = True) -> Task:
    """Write sheets to an Excel file on a worker (nothing is left at `path` when it is cancelled)."""
    database = context.services.database

    def done(counts: dict[str, int]) -> None:
        if announce:
            context.ask(parent, t("엑셀로 내보내기"), t("{n}개 시트를 저장했습니다: {path}", n=len(counts), path=path),
                        buttons=("ok",), icon="info")

    return run_with_progress(parent, t("엑셀로 내보내기"), lambda _p, progress, cancelled: export_workbook(
        database, keys, path, only_ids=only_ids, progress=progress, cancelled=cancelled), on_done=done,
        context=context)


def backup_now(context: AppContext, parent: QWidget) -> Task | None:
    path = context.services.database.path
    if path is None:
        return None
    return run_with_progress(parent, t("백업"), lambda _p, progress, cancelled: backup.create_backup(
        path, reason="manual", progress=progress, cancelled=cancelled), on_done=lambda written: context.ask(
        parent, t("백업"), t("백업을 저장했습니다: {path}", path=written), buttons=("ok",), icon="info"),
        context=context)
