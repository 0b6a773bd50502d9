"""A list screen: search as you type, filters, sortable columns, edit on double-click, context menu,
trash view with restore; selection and scroll survive refreshes. The keyboard is enough: Tab leaves
the table for the buttons, Enter and F2 open the selected record, Delete moves it to the 휴지통
(Ctrl+N and Ctrl+F are the window's), and after a form or a question the focus is back on the list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QItemSelectionModel, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from boeun_desk.i18n import josa, t
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.forms import RecordForm
from boeun_desk.ui.history_dialog import HistoryDialog
from boeun_desk.ui.refresh import RefreshWhenShown
from boeun_desk.ui.specs import ListSpec
from boeun_desk.ui.table_model import ID_ROLE, Lookups, RecordTableModel, display
from boeun_desk.validation import ValidationFailed

# The certificate filter: expired ones apart from those about to expire (days from today).
EXPIRY_CHOICES = ((None, "만료 전체"), ("expired", "만료됨"), (30, "30일 이내 만료 예정"), (60, "60일 이내 만료 예정"),
                  (90, "90일 이내 만료 예정"))
OPEN_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2}
SEARCH_TO_LIST = {Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter}


class ListScreen(QWidget):
    print_requested = Signal(str, str)  # document kind, record id
    detail_requested = Signal(str)  # firm id

    def __init__(self, context: AppContext, spec: ListSpec, lookups: Lookups, *,
                 fixed: dict[str, Any] | None = None, compact: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.context, self.spec, self.lookups = context, spec, lookups
        self.fixed = fixed or {}
        self.model = RecordTableModel(context, spec, lookups, fixed=self.fixed)
        self.entity = self.model.service.entity

        self.search = QLineEdit()
        self.search.setPlaceholderText(t("검색: 이름, 번호, 내용…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.search.installEventFilter(self)  # focus: the searchable texts start loading (prepare_search)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        self.filters: dict[str, QComboBox] = {}
        if spec.year_field and not compact:
            self._add_filter(bar, spec.year_field, self._year_choices())
        if spec.type_field and not compact:
            self._add_filter(bar, spec.type_field, self._type_choices())
        if spec.status_choices and not compact:
            self._add_filter(bar, "status", [(None, t("전체 상태"))] + [(k, t(v)) for k, v in
                                                                      spec.status_choices.items()])
        if spec.expiring:
            self._add_filter(bar, "_expiring", [(days, t(label)) for days, label in EXPIRY_CHOICES])
        self.trash = QCheckBox(t("휴지통"))
        self.trash.toggled.connect(self._trash_toggled)
        bar.addWidget(self.trash)
        self.count = QLabel()
        bar.addWidget(self.count)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)  # Tab goes on to the buttons; arrows move in the list
        self.view.installEventFilter(self)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        header = self.view.horizontalHeader()
        for column, spec_column in enumerate(spec.columns):
            if spec_column.width:  # wide enough for its heading too (English headings are longer)
                self.view.setColumnWidth(column, max(spec_column.width, header.sectionSizeHint(column)))
        self.view.horizontalHeader().setStretchLastSection(True)
        self._restore_columns()
        for column, spec_column in enumerate(spec.columns):
            self.view.setColumnHidden(column, spec_column.key in self.fixed)
        self.view.horizontalHeader().sectionResized.connect(lambda *_: self._save_columns())

        buttons = QHBoxLayout()
        self.add_button = QPushButton(t("새로 만들기"))
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton(t("수정"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(t("삭제"))
        self.delete_button.clicked.connect(self.delete_or_restore)
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        if spec.key == "firms":
            detail = QPushButton(t("상세 보기"))
            detail.clicked.connect(lambda: self.selected_id() and self.detail_requested.emit(self.selected_id()))
            buttons.addWidget(detail)
        excel = QPushButton(t("엑셀로…"))
        excel.setToolTip(t("지금 목록에 보이는 기록을 엑셀 파일로 저장합니다"))
        excel.clicked.connect(lambda: self.export_shown())  # clicked(checked) must not become the path
        buttons.addWidget(excel)
        if spec.print_kind:
            printing = QPushButton(t("인쇄…"))
            printing.clicked.connect(self.print_selected)
            buttons.addWidget(printing)
        buttons.addStretch()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0 if compact else 8, 6, 0 if compact else 8, 6)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        RefreshWhenShown(self, context, self._shows, self._catch_up)
        self._update_count()

    # --- filters and refresh ------------------------------------------------------------------

    def _year_choices(self) -> list[tuple[Any, str]]:
        years = sorted(self.lookups.get("program_year").items(), key=lambda item: item[1])
        return [(None, t("전체 연도"))] + [(key if self.spec.year_field == "program_year_id" else year,
                                          t("{year}년", year=year)) for key, year in years]

    def _type_choices(self) -> list[tuple[Any, str]]:
        return [(None, t("전체 유형"))] + [(k, t(v)) for k, v in self.lookups.get("support_type").items()]

    def _catch_up(self) -> None:
        """After a change it shows: the filters' years and types as they are now (a sync may bring
        new ones; the one chosen stays), the certificates expiring soon, then the rows."""
        for key, choices in ((self.spec.year_field, self._year_choices), (self.spec.type_field, self._type_choices)):
            combo = self.filters.get(key or "")
            if combo is not None:
                chosen = combo.currentData()
                combo.blockSignals(True)
                combo.clear()
                for value, label in choices():
                    combo.addItem(label, value)
                combo.setCurrentIndex(max(0, combo.findData(chosen)))
                combo.blockSignals(False)
        self._filter_changed(refetch=True)

    def _add_filter(self, bar: QHBoxLayout, key: str, values: list[tuple[Any, str]]) -> None:
        combo = QComboBox()
        for value, label in values:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(lambda _i: self._filter_changed())
        bar.addWidget(combo)
        self.filters[key] = combo

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.search and event.type() == QEvent.Type.FocusIn:
            self.model.prepare_search()
        elif watched is self.search and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and event.key() in SEARCH_TO_LIST and self.model.rowCount():
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)  # typed, then ↓ or Enter: on to the rows found
            return True
        elif watched is self.view and event.type() == QEvent.Type.FocusIn and not self.selected_id():
            if self.model.rowCount():  # tabbed into: the row under the cursor (or the first) is chosen
                self.view.selectRow(max(self.view.currentIndex().row(), 0))
        elif watched is self.view and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            if event.key() in OPEN_KEYS:
                self.edit_selected()
                return True
            if event.key() == Qt.Key.Key_Delete and not self.trash.isChecked():
                self.delete_or_restore()
                return True
        return super().eventFilter(watched, event)

    def _search_changed(self, text: str) -> None:
        self.model.search = text.strip()
        self.refresh()

    def _filter_changed(self, *, refetch: bool = False) -> None:
        self.model.filters = {key: combo.currentData() for key, combo in self.filters.items()
                              if not key.startswith("_")}
        expiring = self.filters.get("_expiring")
        days = expiring.currentData() if expiring else None
        queries = self.context.services.queries
        self.model.allowed = None if days is None else {row.id for row in (
            queries.expired_certifications() if days == "expired" else queries.expiring_certifications(days))}
        self.refresh(refetch=refetch)

    def _trash_toggled(self, on: bool) -> None:
        self.delete_button.setText(t("복원") if on else t("삭제"))
        self.add_button.setEnabled(not on)
        self.refresh()

    def _shows(self, changes: Any) -> bool:
        """A change to its own records or to the names its rows show."""
        return changes.touches(self.entity, "firm", "support_type", "supply_company", "officer", "program_year")

    def refresh(self, *, refetch: bool = False) -> None:
        """Reload, keeping the selected record and the scroll position."""
        selected = self.selected_id()
        scroll = self.view.verticalScrollBar().value()
        self.model.fixed = {**self.fixed, "deleted_only": True} if self.trash.isChecked() else dict(self.fixed)
        self.model.reload(refetch=refetch)
        if selected:
            self.select(selected, scroll_to=False)
        self.view.verticalScrollBar().setValue(scroll)
        self._update_count()

    def _update_count(self) -> None:
        self.count.setText(t("{n}건", n=f"{self.model.rowCount():,}"))

    # --- selection and actions ----------------------------------------------------------------

    def selected_id(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(ID_ROLE) if rows else None

    def select(self, record_id: str, *, scroll_to: bool = True) -> bool:
        row = self.model.row_of(record_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                          | QItemSelectionModel.SelectionFlag.Rows)
        self.view.setCurrentIndex(index)
        if scroll_to:
            self.view.scrollTo(index)
        return True

    def form(self, record_id: str | None = None, preset: dict[str, Any] | None = None, *,
             draft: Any = None) -> RecordForm:
        preset = {**({k: v for k, v in self.fixed.items() if k == "firm_id"}), **(preset or {})}
        return RecordForm(self.context, self.spec, self.lookups, record_id, preset, parent=self, draft=draft)

    def add(self) -> None:
        form = self.form()
        if form.exec() and form.record_id:
            self.select(form.record_id)
        self.view.setFocus()

    def edit_selected(self) -> None:
        record_id = self.selected_id()
        if record_id and not self.trash.isChecked():
            self.open_record(record_id)

    def open_record(self, record_id: str) -> None:
        self.select(record_id)
        self.form(record_id).exec()
        self.view.setFocus()

    def record_name(self, record_id: str) -> str:
        """How the record reads in a question: its list's naming columns (specs.ListSpec.named_by)."""
        row = self.model.row_at(self.model.row_of(record_id)) if self.model.row_of(record_id) >= 0 else None
        columns = {column.key: column for column in self.spec.columns if column.kind != "expiry"}
        keys = self.spec.named_by or (self.spec.columns[0].key,)
        parts = [display(columns[key], getattr(row, key), self.lookups) for key in keys] if row else []
        name = " ".join(part for part in parts if part)
        return name if len(name) <= 40 else name[:39] + "…"

    def delete_or_restore(self) -> None:
        record_id = self.selected_id()
        if not record_id:
            return
        if self.trash.isChecked():
            self._restore(record_id)
            return
        name = self.record_name(record_id)
        record = josa(f"{t(self.spec.title)} '{name}'" if name else t(self.spec.title), "을/를")
        question = t("{record} 휴지통으로 옮길까요? (실행 취소 가능)", record=record)
        going = self.model.service.dependents(record_id)
        if going:
            from boeun_desk.services.firm_records import describe

            question += "\n\n" + t("함께 휴지통으로 옮겨지는 기록: {records}", records=describe(going))
        row = self.model.row_of(record_id)
        if self.context.ask(self, t("삭제 확인"), question) == "yes":
            try:
                self.context.delete(self.spec.service, record_id)
                if self.model.rowCount():  # the next record is chosen: Delete again goes on down the list
                    self.view.selectRow(min(row, self.model.rowCount() - 1))
            except ValidationFailed as refused:  # e.g. a support type that cases still use
                self.context.ask(self, t("휴지통으로 옮길 수 없습니다"), "\n".join(e.message for e in refused.errors),
                                 buttons=("ok",), icon="warning")
        self.view.setFocus()

    def _restore(self, record_id: str) -> None:
        from boeun_desk.services import NotFound

        try:
            self.context.restore(self.spec.service, record_id)  # undoable: 실행 취소 sends it back
        except (ValidationFailed, NotFound) as refused:  # e.g. its firm is in the 휴지통, or the number is taken
            self.context.ask(self, t("복원할 수 없습니다"), str(refused), buttons=("ok",), icon="warning")

    def show_history(self) -> HistoryDialog | None:
        record_id = self.selected_id()
        if not record_id:
            return None
        dialog = HistoryDialog(self.context.services.database, record_id, self)
        dialog.open()
        return dialog

    def export_shown(self, path: Path | None = None) -> Any:
        """The rows on screen (search and filters applied) as an Excel sheet, written on a worker
        (the Task; None when no file was chosen)."""
        from boeun_desk.ui.exchange_dialogs import export_sheets  # openpyxl loads on first use
        from boeun_desk.ui.save_target import export_folder, with_suffix

        if path is None:
            suggested = export_folder(self.context.settings) / f"{t(self.spec.title)}.xlsx"
            chosen, _ = QFileDialog.getSaveFileName(self, t("엑셀로 내보내기"), str(suggested),
                                                    "Excel (*.xlsx)")
            if not chosen:
                return None
            path = with_suffix(Path(chosen), ".xlsx")
        return export_sheets(self.context, self, [self.spec.kind.sheet], path, only_ids=set(self.model.ids()))

    def print_selected(self) -> None:
        record_id = self.selected_id()
        if record_id:
            row = self.model.row_at(self.model.row_of(record_id))
            target = getattr(row, "firm_id", record_id) if self.spec.print_kind == "certs" else record_id
            self.print_requested.emit(self.spec.print_kind, target)

    def _context_menu(self, point: QPoint) -> None:
        index = self.view.indexAt(point)
        if not index.isValid():
            return
        self.view.selectRow(index.row())
        menu = QMenu(self)
        if self.trash.isChecked():
            menu.addAction(t("복원"), self.delete_or_restore)
        else:
            menu.addAction(t("수정"), self.edit_selected)
            if self.spec.key == "firms":
                menu.addAction(t("상세 보기"), lambda: self.detail_requested.emit(self.selected_id()))
            menu.addAction(t("삭제"), self.delete_or_restore)
            menu.addAction(t("변경 이력…"), self.show_history)
            if self.spec.print_kind:
                menu.addAction(t("인쇄…"), self.print_selected)
        menu.exec(self.view.viewport().mapToGlobal(point))

    # --- remembered column widths -------------------------------------------------------------

    def _settings_key(self) -> str:
        return f"columns/{self.spec.key}{'-compact' if self.fixed else ''}"

    def _columns_signature(self) -> str:
        return ",".join(f"{column.key}:{column.kind}" for column in self.spec.columns)

    def _restore_columns(self) -> None:
        """The widths the officer left, if saved for these same columns: widths of another set of
        columns would land on the wrong ones. Widths saved before the signature was kept fit a
        list as it was then, without a derived column (만료 상태)."""
        settings, key = self.context.settings, self._settings_key()
        state, saved = settings.value(key), settings.value(f"column-sets/{key}")
        fits = saved == self._columns_signature() if saved is not None else self.spec.expiry_field == ""
        if isinstance(state, QByteArray) and fits:
            self.view.horizontalHeader().restoreState(state)

    def _save_columns(self) -> None:
        key = self._settings_key()
        self.context.settings.setValue(key, self.view.horizontalHeader().saveState())
        self.context.settings.setValue(f"column-sets/{key}", self._columns_signature())
