"""The main window: navigation, menus with shortcuts, status bar with the database and save state."""

from __future__ import annotations

import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QProcess, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from boeun_desk import __version__
from boeun_desk.i18n import t
from boeun_desk.paths import resource
from boeun_desk.ui import screen_fit
from boeun_desk.ui.plain import plain_label
from boeun_desk.ui.worker import unfinished_work

if TYPE_CHECKING:
    from boeun_desk.overview import Overview
    from boeun_desk.ui.context import AppContext
    from boeun_desk.ui.firm_detail import FirmDetail
    from boeun_desk.ui.list_screen import ListScreen
    from boeun_desk.ui.settings_dialog import SettingsDialog

# Navigation: (key, label, list specs shown on that page; two specs become tabs).
PAGES = (("dashboard", "대시보드", ()), ("firms", "기업", ("firms",)), ("cases", "지원과제", ("cases",)),
         ("visits", "방문·상담", ("visits",)), ("certs", "인증·시험분석", ("certifications", "tests")),
         ("ip", "지식재산권", ("ip_rights",)), ("indicators", "성과지표", ("indicators", "indicator_targets")),
         ("supply", "공급기업·매칭", ("supply_companies", "matches")), ("meetings", "회의", ("meetings",)),
         ("reports", "보고서", ()))


# The first window's size where the screen has room (1366x768 less the taskbar otherwise: maximized).
PREFERRED_SIZE = QSize(1366, 740)


def program_command() -> list[str]:
    """How this program is started again (a frozen build is its own executable)."""
    return [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "boeun_desk"]


def _dialogs() -> Any:
    from boeun_desk.ui import exchange_dialogs

    return exchange_dialogs


class MainWindow(QMainWindow):
    """Built in two steps so that start-up shows the window at once: the frame (navigation, an empty
    page, the status bar) needs no database; `attach()` adds everything that works on the data.
    The screens' modules load with the database layer (app.py imports them off the GUI thread)."""

    def __init__(self, context: AppContext | None = None, *, settings: QSettings | None = None,
                 start_page: Overview | None = None):
        super().__init__()
        self.context: AppContext = None  # type: ignore[assignment]  # set by attach()
        self.lists: dict[str, ListScreen] = {}
        self.settings = context.settings if context is not None else settings or QSettings()
        self.setWindowTitle(t("보은 데스크"))
        self.setWindowIcon(QIcon(str(resource("icons", "boeun-desk.png"))))

        self.nav = QListWidget()
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setStyleSheet("QListWidget { font-size: 14px; } QListWidget::item { padding: 9px 10px; }")
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}  # built on first visit: start-up shows only the dashboard
        self.placeholders: dict[str, QWidget] = {}
        for key, label, _specs in PAGES:
            self.placeholders[key] = QWidget()
            self.stack.addWidget(self.placeholders[key])
            self.nav.addItem(QListWidgetItem(t(label)))
        self.nav.ensurePolished()  # the style sheet's font and padding count in the width
        self.nav.setFixedWidth(max(150, self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 8))
        self.loading = QLabel(t("데이터베이스를 여는 중…"))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setStyleSheet("font-size: 15px; color: #555;")
        self.stack.insertWidget(0, self.loading)
        self.stack.setCurrentWidget(self.loading)
        self.start_page = start_page
        if start_page is not None:  # the figures the last clean close left: shown before the data loads
            from boeun_desk.ui.dashboard import Dashboard

            self._put_page("dashboard", Dashboard(overview=start_page))
            self.stack.setCurrentWidget(self.pages["dashboard"])
        container = QWidget()
        layout = QHBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(container)
        bar = self.menuBar()  # the menus' titles now (no jump when the data comes), items in attach()
        self.menus = {key: bar.addMenu(t(title)) for key, title in (
            ("file", "파일(&F)"), ("edit", "편집(&E)"), ("view", "보기(&V)"), ("help", "도움말(&H)"))}
        self.saved_label = QLabel()
        self.database_label = plain_label(t("데이터베이스를 여는 중…"))  # then the file's path
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.saved_label)
        self.nav.setCurrentRow(0)
        self.nav.currentRowChanged.connect(self._show_row)  # a page chosen while the file opens comes then
        geometry = self.settings.value("window/geometry")
        # Qt fits a remembered geometry (from a larger monitor, say) into the screen's available area.
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            screen_fit.place(self, PREFERRED_SIZE)  # on a small screen: maximized
        self.restart_requested = False
        self.conversion: tuple[Any, Any] | None = None  # (old key, new key) chosen in the settings
        if context is not None:
            self.attach(context)

    def attach(self, context: AppContext) -> None:
        """Connect the frame to an open database: menus, pages, the save state in the status bar."""
        from boeun_desk.ui.table_model import Lookups

        self.context = context
        self.lookups = Lookups(context)
        database = context.services.database
        self.setWindowTitle(t("보은 데스크 — {path}", path=database.path.name if database.path else database.url))
        self.database_label.setText(t("데이터베이스: {path}", path=database.path or database.url))
        if database.path is not None:
            from boeun_desk.storage.backup import space_warning

            warning = space_warning(database.path)
            if warning:  # the disk fills: told where the officer looks, before saves start failing
                self.database_label.setText(self.database_label.text() + "  ⚠ " + warning)
        self._menus()
        context.saved.connect(self._mark_saved)
        context.notice.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self._mark_saved()
        if "dashboard" in self.pages:
            self.pages["dashboard"].attach(context, current=self._start_page_current())  # type: ignore[attr-defined]
        self.stack.removeWidget(self.loading)
        self.loading.deleteLater()
        self._show_row(self.nav.currentRow())
        QTimer.singleShot(0, self.offer_drafts)

    def _start_page_current(self) -> bool:
        """Is the start page shown still exactly what the dashboard would show now? The same file,
        untouched since the close (checked again under the instance lock), the same day and year."""
        from boeun_desk.overview import choose_year, parse_overview

        page, saved = self.start_page, self.context.services.database.start_page
        if page is None or saved is None or page.taken_on != date.today():
            return False
        if choose_year(page.years, self.context.default_year) != page.year:
            return False
        return parse_overview(saved) == page

    # --- pages ----------------------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        """The page for a navigation key, built and put in place on first use."""
        if key not in self.pages:
            self._put_page(key, self._make_page(key, PAGES[[p[0] for p in PAGES].index(key)][2]))
        return self.pages[key]

    def _put_page(self, key: str, page: QWidget) -> None:
        placeholder = self.placeholders.pop(key)
        index = self.stack.indexOf(placeholder)
        self.pages[key] = page
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        if key == "dashboard":
            page.open_record.connect(self.open_record)  # type: ignore[attr-defined]

    def _show_row(self, row: int) -> None:
        key = PAGES[row][0]
        if self.context is not None:
            self.stack.setCurrentWidget(self.page(key))
        else:  # the file is still opening: the start page, or the loading notice
            self.stack.setCurrentWidget(self.pages.get(key, self.loading))

    def screen(self, spec_key: str) -> ListScreen:
        """The list screen of a spec (its page is built if needed)."""
        self.page(next(key for key, _label, specs in PAGES if spec_key in specs))
        return self.lists[spec_key]

    def report_screen(self) -> Any:
        """The reports screen (a ReportsScreen), built on first use."""
        return self.page("reports")

    def _make_page(self, key: str, specs: tuple[str, ...]) -> QWidget:
        from boeun_desk.ui.dashboard import Dashboard
        from boeun_desk.ui.list_screen import ListScreen
        from boeun_desk.ui.specs import SPECS

        if key == "dashboard":
            return Dashboard(self.context)
        if key == "reports":
            from boeun_desk.ui.reports_screen import ReportsScreen  # ReportLab loads on first use only

            return ReportsScreen(self.context, self.lookups)
        screens = []
        for spec_key in specs:
            screen = ListScreen(self.context, SPECS[spec_key], self.lookups)
            screen.print_requested.connect(self.show_report)
            screen.detail_requested.connect(self.open_firm)
            self.lists[spec_key] = screen
            screens.append(screen)
        if len(screens) == 1:
            if key == "firms":
                self.firm_stack = QStackedWidget()
                self.firm_stack.addWidget(screens[0])
                return self.firm_stack
            return screens[0]
        tabs = QTabWidget()
        for spec_key, screen in zip(specs, screens, strict=True):
            tabs.addTab(screen, t(SPECS[spec_key].title))
        return tabs

    def go(self, key: str) -> None:
        self.nav.setCurrentRow([page[0] for page in PAGES].index(key))

    def open_firm(self, firm_id: str) -> FirmDetail:
        from boeun_desk.ui.firm_detail import FirmDetail

        self.go("firms")
        self.page("firms")
        while self.firm_stack.count() > 1:
            old = self.firm_stack.widget(1)
            self.firm_stack.removeWidget(old)
            old.deleteLater()
        detail = FirmDetail(self.context, self.lookups, firm_id)
        detail.print_requested.connect(self.show_report)
        detail.closed.connect(lambda: self.firm_stack.setCurrentIndex(0))
        self.firm_stack.addWidget(detail)
        self.firm_stack.setCurrentWidget(detail)
        return detail

    def open_record(self, list_key: str, record_id: str) -> None:
        if self.context is None:  # a start-page item clicked while the file opens
            return
        screen = self.screen(list_key)
        self.go(next(key for key, _label, specs in PAGES if list_key in specs))
        parent = screen.parentWidget()
        while parent is not None and not isinstance(parent, QTabWidget):
            parent = parent.parentWidget()
        if parent is not None:
            parent.setCurrentWidget(screen)
        screen.open_record(record_id)

    def show_report(self, kind: str, record_id: str) -> None:
        self.go("reports")
        self.report_screen().show_document(kind, record_id)

    def current_list(self) -> ListScreen | None:
        from boeun_desk.ui.firm_detail import FirmDetail
        from boeun_desk.ui.list_screen import ListScreen

        page = self.stack.currentWidget()
        if isinstance(page, QTabWidget):
            page = page.currentWidget()
        if isinstance(page, QStackedWidget):
            page = page.currentWidget()
        if isinstance(page, FirmDetail):
            page = page.tabs.currentWidget()
        return page if isinstance(page, ListScreen) else None

    # --- menus and status -----------------------------------------------------------------------

    def _action(self, menu: Any, label: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(label, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _menus(self) -> None:
        file_menu, edit_menu, view_menu, help_menu = self.menus.values()
        self._action(file_menu, t("다른 데이터베이스 열기…"), self._open_other, QKeySequence.StandardKey.Open)
        self._action(file_menu, t("데모 데이터베이스 열기"), lambda: self._open_in_new_window(["--demo"]))
        file_menu.addSeparator()
        # Excel and sync code (openpyxl) load when first used, not at start-up.
        self._action(file_menu, t("엑셀에서 가져오기…"), lambda: _dialogs().ImportDialog(self.context, self).exec())
        self._action(file_menu, t("엑셀로 내보내기…"), lambda: _dialogs().export_excel(self.context, self))
        self._action(file_menu, t("노트북 간 동기화…"), lambda: _dialogs().SyncDialog(self.context, self).exec())
        if self.context.services.database.path is not None:  # a laptop's file (not the server itself)
            from boeun_desk.ui import server_sync

            self._action(file_menu, t("서버와 동기화"), lambda: server_sync.sync_now(self.context, self))
            self._action(file_menu, t("서버 설정…"), lambda: server_sync.ServerSettingsDialog(self.context, self).exec()
                         and self.sync_indicator.refresh())
            self.sync_indicator = server_sync.SyncIndicator(self.context)
            self.statusBar().addPermanentWidget(self.sync_indicator)
        self._action(file_menu, t("지금 백업"), lambda: _dialogs().backup_now(self.context, self))
        file_menu.addSeparator()
        self._action(file_menu, t("설정…"), self.open_settings, "Ctrl+,")
        file_menu.addSeparator()
        self._action(file_menu, t("끝내기"), self.close, QKeySequence.StandardKey.Quit)
        undo = self.context.undo_stack.createUndoAction(self, t("실행 취소"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.context.undo_stack.createRedoAction(self, t("다시 실행"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        self._action(edit_menu, t("새로 만들기"), lambda: (screen := self.current_list()) and screen.add(),
                     QKeySequence.StandardKey.New)
        self._action(edit_menu, t("찾기"), self._focus_search, QKeySequence.StandardKey.Find)
        for number, (key, label, _specs) in enumerate(PAGES):
            self._action(view_menu, t(label), lambda _=False, k=key: self.go(k), f"Ctrl+{(number + 1) % 10}")
        self._action(help_menu, t("보은 데스크 정보"), self._about)

    def open_settings(self) -> SettingsDialog:
        from boeun_desk.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.context, self)
        if dialog.exec() and (dialog.restart_now or dialog.conversion):  # a new language, encryption
            self.conversion = dialog.conversion  # carried out by app.run once the file is closed
            self.restart()
        return dialog

    def offer_drafts(self) -> int:
        """After a crash, offer back what was typed into forms that were never saved."""
        from boeun_desk.ui.specs import SPECS

        drafts = [d for d in self.context.drafts.pending() if d.form in SPECS]
        if not drafts:
            return 0
        answer = self.context.ask(self, t("저장하지 않은 입력"), t(
            "지난번에 저장하지 못한 입력이 {n}건 있습니다 (프로그램이 갑자기 끝났을 수 있습니다).\n"
            "다시 열어 저장할까요? (아니오: 버림)", n=len(drafts)))
        for draft in drafts:
            if answer == "yes":
                self.screen(draft.form).form(draft.record_id, draft=draft).exec()
            else:
                self.context.drafts.discard(draft.key)
        return len(drafts)

    def _open_other(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, t("데이터베이스 열기"), "",
                                              t("보은 데스크 데이터베이스 (*.sqlite3 *.db);;모든 파일 (*)"))
        if path:
            self._open_in_new_window(["--db", path])

    def _open_in_new_window(self, arguments: list[str]) -> None:
        """Open another database in a new program window (this one stays as it is)."""
        program = program_command()
        QProcess.startDetached(program[0], program[1:] + arguments)

    def _focus_search(self) -> None:
        screen = self.current_list()
        if screen is not None:
            screen.search.setFocus()
            screen.search.selectAll()

    def _about(self) -> None:
        self.context.ask(self, t("보은 데스크 정보"),
                         t("보은 데스크 {version}\n시군구연고산업육성사업(보은) 지원사업 관리 프로그램\n"
                           "글꼴: 나눔고딕 (SIL Open Font License 1.1)", version=__version__),
                         buttons=("ok",), icon="info")

    def _mark_saved(self) -> None:
        self.saved_label.setText(t("모든 변경 사항 저장됨 ({time})", time=datetime.now().strftime("%H:%M:%S")))

    def restart(self) -> None:
        """Close, and start again once the database is closed (app.run): for a new language."""
        self.restart_requested = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        busy = unfinished_work()  # a batch of PDFs or a print job goes on while the officer works
        if busy and self.context is not None and self.context.ask(self, t("끝내기"), t(
                "아직 끝나지 않은 작업이 있습니다: {work}\n지금 끝내면 이 작업은 취소되고, 만들던 파일은 남지 않습니다. "
                "끝낼까요?", work=", ".join(busy)), icon="warning") != "yes":
            event.ignore()
            self.restart_requested = False
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        super().closeEvent(event)

