"""Firm detail: header and one tab per kind of record; adding from a tab pre-fills the firm."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from boeun_desk.i18n import t
from boeun_desk.services import NotFound
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.forms import RecordForm
from boeun_desk.ui.list_screen import ListScreen
from boeun_desk.ui.refresh import RefreshWhenShown
from boeun_desk.ui.specs import SPECS
from boeun_desk.ui.table_model import Lookups
from boeun_desk.ui.widgets import plain_label
from boeun_desk.validation import format_brn

TABS = (("cases", "지원과제"), ("visits", "방문·상담"), ("certifications", "인증"), ("tests", "시험분석"),
        ("ip_rights", "지식재산권"), ("indicators", "성과지표"), ("matches", "매칭"))


class AttachmentList(QWidget):
    """A record's files: add by dialog or drop, open with the system viewer."""

    def __init__(self, context: AppContext, owner_kind: str, owner_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.context, self.owner_kind, self.owner_id = context, owner_kind, owner_id
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(self._open)
        add = QPushButton(t("파일 첨부…"))
        add.clicked.connect(self._choose)
        hint = QLabel(t("파일을 이 목록으로 끌어다 놓아도 첨부됩니다."))
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(hint, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self.setAcceptDrops(True)
        self.reload()
        RefreshWhenShown(self, context, lambda changes: changes.touches("attachment"), self.reload)

    def reload(self) -> None:
        self.list.clear()
        service = self.context.services.attachments
        for view in service.for_owner(self.owner_id):
            item = QListWidgetItem(f"{view.filename}  ({view.size / 1024:,.0f} KB)  {view.caption}")
            item.setData(256, str(service.find(view.content_hash) or ""))
            self.list.addItem(item)

    def attach(self, paths: list[Path]) -> None:
        for path in paths:
            changes = self.context.services.attachments.attach(self.owner_kind, self.owner_id, path)
            self.context.changed.emit(changes)  # the list reloads with every other screen

    def _choose(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, t("첨부할 파일"))
        self.attach([Path(p) for p in paths])

    def _open(self, item: QListWidgetItem) -> None:
        if item.data(256):  # empty: the file is not in this copy's files folder
            QDesktopServices.openUrl(QUrl.fromLocalFile(item.data(256)))

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:  # noqa: N802
        self.attach([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])


class FirmDetail(QWidget):
    print_requested = Signal(str, str)
    closed = Signal()

    def __init__(self, context: AppContext, lookups: Lookups, firm_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.context, self.lookups, self.firm_id = context, lookups, firm_id
        self.title = plain_label()
        self.title.setStyleSheet("font-size: 17px; font-weight: bold;")
        self.facts = QGridLayout()
        edit = QPushButton(t("기업 정보 수정"))
        edit.clicked.connect(self._edit)
        printing = QPushButton(t("기업별 지원현황 인쇄…"))
        printing.clicked.connect(lambda: self.print_requested.emit("firm", self.firm_id))
        back = QPushButton(t("← 기업 목록"))
        back.clicked.connect(self.closed.emit)
        top = QHBoxLayout()
        top.addWidget(back)
        top.addWidget(self.title, 1)
        top.addWidget(edit)
        top.addWidget(printing)

        self.tabs = QTabWidget()
        self.screens: dict[str, ListScreen] = {}
        for key, label in TABS:
            screen = ListScreen(context, SPECS[key], lookups, fixed={"firm_id": firm_id}, compact=True)
            screen.print_requested.connect(self.print_requested)
            self.screens[key] = screen
            self.tabs.addTab(screen, t(label))
        self.attachments = AttachmentList(context, "firm", firm_id)
        self.tabs.addTab(self.attachments, t("첨부파일"))

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.facts)
        layout.addWidget(self.tabs, 1)
        RefreshWhenShown(self, context, lambda changes: changes.touches_record("firm", self.firm_id),
                         self._fill_header)
        self._fill_header()

    def _fill_header(self) -> None:
        try:
            firm = self.context.services.firms.get(self.firm_id)
        except NotFound:
            self.closed.emit()
            return
        self.title.setText(f"{firm.name}  ({format_brn(firm.brn)})")
        while self.facts.count():
            self.facts.takeAt(0).widget().deleteLater()
        facts = ((t("대표자"), firm.representative), (t("전화번호"), firm.phone), (t("주소"), firm.address),
                 (t("주요 제품"), firm.main_products), (t("활용 연고자원"), firm.local_resource),
                 (t("종업원 수"), firm.employees))
        for i, (label, value) in enumerate(facts):
            name = QLabel(label)
            name.setStyleSheet("color: #555;")
            text = plain_label("" if value is None else str(value), wrap=True)
            self.facts.addWidget(name, i // 3, (i % 3) * 2)
            self.facts.addWidget(text, i // 3, (i % 3) * 2 + 1)
        for column in (1, 3, 5):
            self.facts.setColumnStretch(column, 1)

    def _edit(self) -> None:
        RecordForm(self.context, SPECS["firms"], self.lookups, self.firm_id, parent=self).exec()

    def show_tab(self, key: str) -> ListScreen:
        screen = self.screens[key]
        self.tabs.setCurrentWidget(screen)
        return screen
