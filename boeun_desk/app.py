"""Start the desktop program: Qt application, shipped Hangul font, settings, database, main window.

Start-up shows the window frame first and loads the database layer (SQLAlchemy, the screens'
modules) and opens the file on a worker thread meanwhile; importing SQLAlchemy alone takes longer
than starting Qt with an empty window. The data appears when the file is open (MainWindow.attach).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QProcess, QSettings, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from boeun_desk import __version__
from boeun_desk.i18n import LANGUAGES, set_language, t
from boeun_desk.paths import resource
from boeun_desk.ui.context import AppContext, ask
from boeun_desk.ui.main_window import MainWindow, program_command
from boeun_desk.ui.worker import Task, error_message, run_with_progress, wait_for_workers

if TYPE_CHECKING:
    from boeun_desk.overview import Overview
    from boeun_desk.services import Services
    from boeun_desk.storage.engine import Database
    from boeun_desk.storage.lock import IntegrityCheck

# Benchmarks set this to measure start-up to a usable window: quit as soon as the data is shown.
QUIT_WHEN_READY = "BOEUN_DESK_QUIT_WHEN_READY"
# Benchmarks set this to a file: start-up milestones are appended as "name monotonic-seconds".
STARTUP_TRACE = "BOEUN_DESK_STARTUP_TRACE"


def _milestone(name: str) -> None:
    trace = os.environ.get(STARTUP_TRACE)
    if trace:
        with open(trace, "a", encoding="utf-8") as handle:
            handle.write(f"{name} {time.monotonic():.6f}\n")


def application() -> QApplication:
    """The QApplication with names for QSettings and the shipped NanumGothic as the UI font."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("BoeunDesk")
    app.setApplicationName("BoeunDesk")
    app.setWindowIcon(QIcon(str(resource("icons", "boeun-desk.png"))))
    families = []
    for name in ("NanumGothic.ttf", "NanumGothicBold.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(resource("fonts", name)))
        families += QFontDatabase.applicationFontFamilies(font_id)
    if families:
        app.setFont(QFont(families[0], 10))
    return app  # type: ignore[return-value]


def qt_translations(app: QApplication, language: str) -> bool:
    """Qt's own dialogs (file dialogs, print dialogs, standard buttons) in the program's language:
    Qt ships their Korean (qtbase_ko.qm); English needs none. True when installed."""
    if language != "ko":
        return False
    translator = QTranslator(app)
    if not translator.load("qtbase_ko", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        return False
    return app.installTranslator(translator)


def offer_demo(database: Database, services: Services, parent: QWidget | None = None) -> bool:
    """An empty database offers the demo program or a clean start; True if the demo went in."""
    if services.firms.ids(include_deleted=True):
        return False
    answer = ask(parent, t("새 데이터베이스"), t("데이터가 없는 새 데이터베이스입니다.\n연습용 데모 데이터를 넣을까요? "
                                            "(아니오: 빈 상태로 시작)"))
    if answer != "yes":
        return False
    from boeun_desk.services.demo import build_demo

    build_demo(database)
    database.forget_start_page()  # the figures of the empty file
    return True


def open_for_window(target: str | Path | None, checked: IntegrityCheck | None = None, key: Any = None) -> Database:
    """Open for this window alone (instance lock, automatic backups); raises DatabaseError."""
    from boeun_desk.storage.engine import open_database

    return open_database(target, exclusive=True, auto_backup=True, checked=checked, key=key)


def open_or_restore(target: str | Path | None, then: Callable[[Database | None], object],
                    parent: QWidget | None = None) -> Task | None:
    """Open for this window alone, then `then(database)`. A damaged file offers the newest sound
    backup (restored on a worker: the Task); the damaged file itself is kept aside. `then(None)`
    when nothing could be opened (the officer was told why)."""
    from boeun_desk.storage.errors import DatabaseError

    try:
        database = open_for_window(target)
    except DatabaseError as error:
        return recover(error, target, then, parent)
    then(database)
    return None


def recover(error: Exception, target: str | Path | None, then: Callable[[Database | None], object],
            parent: QWidget | None = None, key: Any = None) -> Task | None:
    """After a failed open: say why, and for a damaged file offer the newest sound backup, restored
    and opened on a worker with progress (`then(database)`, or `then(None)`: the officer was told).
    An encrypted file's backups are read and restored with its `key`.
    (Any error is told to the officer: an unreadable lock file is an OSError, not a DatabaseError.)"""
    from boeun_desk.storage import backup, restore
    from boeun_desk.storage.errors import DamagedDatabase

    if not isinstance(error, DamagedDatabase) or error.path is None or not backup.list_backups(error.path):
        ask(parent, t("데이터베이스를 열 수 없습니다"), str(error), buttons=("ok",), icon="error")
        then(None)
        return None
    question = str(error) + "\n\n" + t("가장 최근의 정상 백업으로 복원할까요? (손상된 파일은 지우지 않고 옆에 보관합니다)")
    if ask(parent, t("데이터베이스 손상"), question, icon="warning") != "yes":
        then(None)
        return None

    def work(path: Path, progress: Any, cancelled: Any) -> tuple[Any, Database]:
        if key is not None:  # the backups of an encrypted file open with its passphrase
            from boeun_desk.storage import cipher

            cipher.remember(path, key)
        result = restore.restore(path, progress=progress, cancelled=cancelled)
        progress(0, 0, stage=t("데이터베이스를 여는 중…"), stoppable=False)
        return result, open_for_window(target, key=key)

    def restored(outcome: tuple[Any, Database]) -> None:
        result, database = outcome
        ask(parent, t("복원했습니다"), t("{source} 백업으로 복원했습니다. 손상된 파일은 {aside}에 보관했습니다.",
                                      source=result.restored_from.name,
                                      aside=", ".join(p.name for p in result.kept_aside) or "-"),
            buttons=("ok",), icon="info")
        then(database)

    def failed(failure: Exception) -> None:
        ask(parent, t("복원할 수 없습니다"), error_message(failure), buttons=("ok",), icon="error")
        then(None)

    return run_with_progress(parent, t("백업에서 복원"), work, error.path, on_done=restored, on_error=failed)


def _start_page(target: str | Path | None) -> Overview | None:
    """The figures the last clean close of this file left, while the file is exactly as then."""
    from boeun_desk.overview import parse_overview
    from boeun_desk.storage.lock import start_page

    saved = start_page(target)
    if saved is None or saved.get("version") != __version__:
        return None  # another version of the program may count differently
    return parse_overview(saved)


def _closing_page(context: AppContext) -> dict[str, Any] | None:
    """Today's figures, left with the clean close for the next start's first page."""
    try:
        overview = context.services.queries.overview(default_year=context.default_year)
    except Exception:  # noqa: BLE001  (closing never fails for a figure; the next start is just slower)
        return None
    return {"version": __version__, **overview.to_json()} if overview is not None else None


def relaunch() -> None:
    """Start the program again with the same arguments (a new language applies)."""
    program = program_command()
    QProcess.startDetached(program[0], program[1:] + sys.argv[1:])


def _load(params: tuple[str | Path | None, Any], _progress: Any, _cancelled: Any) -> Database:
    """On the worker thread: import the database layer and the screens' modules, open the file
    (an encrypted one with the key asked for). A file that needs its integrity check gets it
    meanwhile, on a thread of its own."""
    from boeun_desk.storage.lock import IntegrityCheck

    target, key = params
    checked = IntegrityCheck.start(target)
    import boeun_desk.services  # noqa: F401
    import boeun_desk.ui.dashboard  # noqa: F401
    import boeun_desk.ui.list_screen  # noqa: F401

    return open_for_window(target, checked, key)


def ask_database_passphrase(window: QWidget, target: str | Path | None) -> Any:
    """The key of an encrypted database file, asked over the window (None: the officer cancelled)."""
    from boeun_desk.storage.cipher import Key
    from boeun_desk.storage.target import database_file
    from boeun_desk.ui.passphrase_dialog import OPEN, ask_passphrase

    entered = ask_passphrase(window, OPEN, t("암호화된 데이터베이스"),
                             t("이 데이터베이스는 암호화되어 있습니다. 암호를 입력하세요:\n{path}", path=database_file(target)))
    return Key(entered.passphrase) if entered is not None else None


def needs_passphrase(target: str | Path | None) -> bool:
    """An encrypted file, or a damaged one whose backups are encrypted (its restore needs the key)."""
    from boeun_desk.storage.identity import passphrase_needed
    from boeun_desk.storage.target import database_file

    path = database_file(target)
    return path is not None and passphrase_needed(path)


def run(target: str | Path | None, *, officer: str = "") -> int:
    app = application()
    settings = QSettings()
    language = str(settings.value("language", "ko"))
    set_language(language if language in LANGUAGES else "ko")
    qt_translations(app, language)
    quit_when_ready = bool(os.environ.get(QUIT_WHEN_READY))
    start_page = _start_page(target)
    window = MainWindow(settings=settings, start_page=start_page)
    window.show()
    QTimer.singleShot(0, lambda: _milestone("window_shown"))
    if start_page is not None:
        QTimer.singleShot(0, lambda: _milestone("data_shown"))
    opened: list[Database] = []
    ended: list[bool] = []
    contexts: list[AppContext] = []
    damaged: list[bool] = []

    def report(kind: type[BaseException], error: BaseException, trace: Any) -> None:
        """An error no screen handled (Qt calls Python slots; their exceptions end up here): the
        details go to stderr, the officer gets a Korean message instead of silence."""
        sys.__excepthook__(kind, error, trace)
        problem = contexts[0].database_problem(error) if contexts else None
        ask(window, t("오류"), problem or t("예기치 않은 오류가 발생했습니다. 방금 한 작업을 다시 확인하세요.\n({detail})",
                                          detail=f"{kind.__name__}: {error}"), buttons=("ok",), icon="error")

    def attach(database: Database | None) -> None:
        if ended:  # the window was closed while the file was opening (queued signal came late)
            return
        if database is None:
            app.exit(1)
            return
        opened.append(database)
        _milestone("database_open")
        from boeun_desk.services import Services

        services = Services(database, officer or str(settings.value("officer", "")))
        contexts.append(AppContext(services, settings))
        try:
            if not quit_when_ready:
                offer_demo(database, services, window)
            window.attach(contexts[0])
        except Exception as error:  # e.g. damage the skipped integrity check would have found
            damaged.append(True)
            ask(window, t("데이터베이스를 열 수 없습니다"), contexts[0].database_problem(error) or str(error),
                buttons=("ok",), icon="error")
            app.exit(1)
            return
        if start_page is None:
            _milestone("data_shown")
        _milestone("ready")
        if quit_when_ready:
            QTimer.singleShot(0, app.quit)

    loaders: list[Task] = []
    restoring: list[Task | None] = []  # a damaged file's restore, if the officer chose one

    def load(key: Any = None) -> None:
        loader = Task(_load, (target, key))
        loader.then(attach, lambda error: None if ended else failed(error, key))
        loaders.append(loader)
        loader.start()

    def unlock() -> None:
        """The passphrase, asked over the window's frame before the file is opened."""
        key = ask_database_passphrase(window, target)
        if key is None:
            app.exit(1)
        else:
            load(key)

    def failed(error: BaseException, key: Any) -> None:
        from boeun_desk.storage.errors import PassphraseNeeded, WrongPassphrase

        if isinstance(error, PassphraseNeeded):
            if isinstance(error, WrongPassphrase):  # nothing was changed: ask again
                ask(window, t("암호가 맞지 않습니다"), str(error), buttons=("ok",), icon="warning")
            unlock()
            return
        restoring.append(recover(error, target, attach, window, key))

    def begin() -> None:
        """After the frame is on screen: the import holds the GIL (and so does reading the file's
        first page to see whether it is encrypted, which imports the cipher's modules)."""
        try:
            encrypted = needs_passphrase(target)
        except OSError as error:  # the file cannot even be looked at (a name too long, no permission)
            ask(window, t("데이터베이스를 열 수 없습니다"), error_message(error), buttons=("ok",), icon="error")
            app.exit(1)
            return
        if encrypted:
            unlock()
        else:
            load()

    QTimer.singleShot(0, begin)
    previous_hook, sys.excepthook = sys.excepthook, report
    try:
        return app.exec()
    finally:
        sys.excepthook = previous_hook
        ended.append(True)
        for loader in loaders:
            loader.wait()  # closed while the file was opening: the worker's result is closed below
            if not opened and loader.result is not None:
                opened.append(loader.result)
        conversion = getattr(window, "conversion", None)
        restart = window.restart_requested
        for task in restoring:  # closed while a backup was being restored: it finishes first
            if task is not None:
                task.wait()
                if not opened and task.result is not None:
                    opened.append(task.result[1])
        # Delete the window (and its models and threads) while Qt is alive; left to the garbage
        # collector at interpreter exit, PySide6 can crash after the event loop has ended.
        shiboken6.delete(window)
        # Closing the windows posted another quit; handled with no loop running, it would end every
        # later event loop in this process (a test's) at once.
        QCoreApplication.removePostedEvents(app, QEvent.Type.Quit)
        wait_for_workers()  # a list's search texts may still be loading: let them finish first
        page = _closing_page(contexts[0]) if contexts and not damaged else None
        for database in opened:
            database.close(page, clean=not damaged)
        if conversion is not None and opened and opened[0].path is not None:
            from boeun_desk.ui.encryption import convert_after_close

            convert_after_close(opened[0].path, *conversion)
        if restart:  # after the close: the new window finds the file free
            relaunch()

