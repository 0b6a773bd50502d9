"""인쇄 on the worker (progress, 취소, at most 300 dpi) and PDF로 저장's default name and folder."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths, QThread, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QPushButton

from boeun_desk.ui import printing, save_target
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.main_window import MainWindow
from boeun_desk.ui.progress_dialog import ProgressDialog

FORBIDDEN = set('/\\:*?"<>|')


@pytest.fixture
def screen(demo, tmp_path, qtbot, monkeypatch):
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda _location: str(documents))
    context = AppContext(demo, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(context)
    qtbot.addWidget(window)
    screen = window.report_screen()
    screen.kind.set_value("annual")
    screen.year.set_value(2024)
    screen.preview()
    qtbot.waitUntil(lambda: not screen.busy, timeout=60_000)
    return screen


def pdf_printer(out: Path):
    def choose() -> QPrinter:  # what the print dialog gives for "print to file": 1200 dpi
        printer = printing.new_printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer
    return choose


def test_printing_runs_on_the_worker_at_300_dpi_while_the_window_keeps_working(screen, qtbot, tmp_path, monkeypatch):
    out = tmp_path / "printed.pdf"
    screen.choose_printer = pdf_printer(out)
    render, threads = printing.page_image, []
    loop_ran = threading.Event()

    def waiting_render(*args):
        threads.append(QThread.currentThread())
        # The first page waits for a timer on the GUI thread: the job can only finish if the
        # window's event loop keeps running while it prints.
        assert loop_ran.wait(30)
        return render(*args)

    monkeypatch.setattr(printing, "page_image", waiting_render)
    ticks: list[float] = []
    timer = QTimer(interval=5, timeout=lambda: ticks.append(time.perf_counter()))
    started = time.perf_counter()
    timer.start()
    assert screen.print_current() is not None
    QTimer.singleShot(50, loop_ran.set)
    # Wait for what the officer sees.
    qtbot.waitUntil(lambda: "프린터로 보냈습니다" in screen.status.text(), timeout=60_000)
    finished = time.perf_counter()
    timer.stop()
    pages = screen.document.pageCount()
    assert screen.status.text() == f"{pages}쪽을 프린터로 보냈습니다."
    assert threads and all(thread is not QThread.currentThread() for thread in threads)
    sent = PdfReader(out)
    assert len(sent.pages) == pages
    printable = pdf_printer(out)()
    printable.setResolution(printing.MAX_DPI)
    area = printable.pageRect(QPrinter.Unit.DevicePixel)  # inside the margins, at 300 dpi
    for page in sent.pages:
        images = [image.image for image in page.images]  # the page, in bands
        assert {image.width for image in images} == {round(area.width())}
        height = area.width() * float(page.mediabox.height) / float(page.mediabox.width)  # aspect kept
        assert abs(sum(image.height for image in images) - height) <= 5 and height <= area.height()
    gaps = [b - a for a, b in zip([started, *ticks], [*ticks, finished], strict=True)]
    print(f"{pages} pages, {out.stat().st_size / 1e6:.2f} MB sent in {finished - started:.2f} s; "
          f"GUI thread: {len(ticks)} timer ticks, longest gap {max(gaps) * 1000:.0f} ms")
    assert not list(screen.folder.glob("print-*.pdf"))  # the job's own copy is gone


def test_cancel_stops_the_printer_between_pages(screen, qtbot, tmp_path, monkeypatch):
    screen.choose_printer = pdf_printer(tmp_path / "printed.pdf")
    render, pages_rendered = printing.page_image, []
    go_on = threading.Event()

    def slow_render(document, page, *args):
        pages_rendered.append(page)
        assert go_on.wait(30)
        return render(document, page, *args)

    monkeypatch.setattr(printing, "page_image", slow_render)
    assert screen.print_current() is not None
    qtbot.waitUntil(lambda: pages_rendered == [0])
    progress = screen.findChild(ProgressDialog)
    assert progress.labelText().startswith("인쇄")
    [cancel] = [button for button in progress.findChildren(QPushButton) if button.text() == "취소"]
    cancel.click()
    go_on.set()
    qtbot.waitUntil(lambda: screen.status.text() == "인쇄를 취소했습니다.", timeout=60_000)
    assert pages_rendered == [0] and screen.status.text() == "인쇄를 취소했습니다."


def test_the_print_dialog_cancelled_prints_nothing(screen):
    screen.choose_printer = lambda: None
    assert screen.print_current() is None


def test_dpi_is_the_printers_up_to_300():
    low = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    assert printing.job_for(Path("x.pdf"), low).dpi == low.resolution() <= 300
    high = printing.new_printer()
    assert printing.job_for(Path("x.pdf"), high).dpi == 300 == high.resolution()


def saving(screen, monkeypatch, target: Path) -> list[Path]:
    """Replace the file dialog: it answers `target` and records the path it was offered (a choice
    with no preview is made on the worker first: waited for)."""
    offered: list[Path] = []

    def choose(_parent, _title, suggested: Path) -> Path:
        offered.append(suggested)
        return target

    monkeypatch.setattr(save_target, "choose_save_path", choose)
    screen.save_as()
    deadline = time.monotonic() + 60
    while screen.busy and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.005)
    return offered


def test_default_names_say_the_document_firm_and_year(screen, demo, monkeypatch, tmp_path):
    firm = next(f for f in demo.firms.list() if demo.visits.list(firm_id=f.id))
    [offered] = saving(screen, monkeypatch, tmp_path / "a.pdf")
    assert offered.name == "연차성과보고_2024.pdf"
    screen.kind.set_value("firm")
    screen.firm.set_value(firm.id)
    [offered] = saving(screen, monkeypatch, tmp_path / "b.pdf")
    assert offered.name == f"기업별지원현황_{save_target.safe_part(firm.name)}_2024.pdf"
    screen.kind.set_value("visit")
    screen.visit.set_value(visit_id := screen.visit.itemData(0))
    [offered] = saving(screen, monkeypatch, tmp_path / "c.pdf")
    day = demo.visits.get(visit_id).starts_at
    assert offered.name == f"방문일지_{save_target.safe_part(firm.name)}_{day:%Y-%m-%d}.pdf"
    assert "방문" in "".join(page.extract_text() for page in PdfReader(tmp_path / "c.pdf").pages)


def test_names_are_safe_for_windows():
    name = save_target.pdf_name("기업별지원현황", 'A/B\\C:D*E?F"G<H>I|J  K. ', 2024)
    assert not FORBIDDEN & set(name) and name == "기업별지원현황_A_B_C_D_E_F_G_H_I_J K_2024.pdf"
    assert save_target.pdf_name("방문일지", "", "2024-11-28") == "방문일지_2024-11-28.pdf"


def test_the_folder_is_documents_first_then_the_one_used_last(screen, monkeypatch, tmp_path):
    [offered] = saving(screen, monkeypatch, tmp_path / "elsewhere" / "x.pdf")
    assert offered.parent == tmp_path / "Documents"  # not the program's folder, not the cwd
    (tmp_path / "elsewhere").mkdir()
    [offered] = saving(screen, monkeypatch, tmp_path / "elsewhere" / "x.pdf")
    assert (tmp_path / "elsewhere" / "x.pdf").stat().st_size > 1000
    [offered] = saving(screen, monkeypatch, tmp_path / "y.pdf")
    assert offered.parent == tmp_path / "elsewhere"
    assert screen.context.settings.value(save_target.FOLDER_KEY) == str(tmp_path.resolve())


def test_a_remembered_program_folder_or_a_gone_folder_is_not_offered(screen, monkeypatch, tmp_path):
    program = Path(save_target.__file__).resolve().parent.parent.parent
    for remembered in (program, program / "boeun_desk", tmp_path / "gone"):
        screen.context.settings.setValue(save_target.FOLDER_KEY, str(remembered))
        assert save_target.save_folder(screen.context.settings) == tmp_path / "Documents"


def _held_annual(monkeypatch):
    """The annual report's renderer, held at its start until the test lets it go; it records the
    thread it ran on and stops there if 취소 was pressed meanwhile."""
    from boeun_desk.progress import stop_if
    from boeun_desk.ui import reports_screen

    real, gate, threads = reports_screen.YEAR_DOCUMENTS["annual"], threading.Event(), []

    def held(*args, cancelled=None, **kwargs):
        threads.append(QThread.currentThread())
        assert gate.wait(30)
        stop_if(cancelled)
        return real(*args, cancelled=cancelled, **kwargs)

    monkeypatch.setitem(reports_screen.YEAR_DOCUMENTS, "annual", held)
    return gate, threads


def test_the_preview_is_made_on_the_worker_with_cancel(screen, qtbot, monkeypatch):
    gate, threads = _held_annual(monkeypatch)
    screen.year.set_value(2025)  # another year: the 2024 preview goes
    assert screen.current is None and list(screen.folder.glob("*.pdf")) == []
    task = screen.preview()
    assert task is not None and screen.busy
    assert screen.preview() is None and "만드는 중" in screen.status.text()  # pressed again meanwhile
    qtbot.waitUntil(lambda: screen.findChild(ProgressDialog) is not None and screen.findChild(ProgressDialog).isVisible())
    progress = screen.findChild(ProgressDialog)
    assert progress.labelText().startswith("미리보기")
    [cancel] = [button for button in progress.findChildren(QPushButton) if button.text() == "취소"]
    cancel.click()
    gate.set()
    qtbot.waitUntil(lambda: not screen.busy, timeout=60_000)
    assert screen.status.text() == "미리보기를 취소했습니다." and screen.current is None
    assert threads and all(thread is not QThread.currentThread() for thread in threads)
    assert list(screen.folder.glob("*.pdf")) == []
    screen.preview()  # again, to the end
    qtbot.waitUntil(lambda: not screen.busy, timeout=60_000)
    assert screen.current is not None and screen.document.pageCount() >= 2
    assert "2025" in "".join(page.extract_text() for page in PdfReader(screen.current).pages[:1])


def test_a_choice_changed_while_the_preview_is_made_is_not_shown_as_it(screen, qtbot, monkeypatch):
    gate, _threads = _held_annual(monkeypatch)
    screen.year.set_value(2025)
    assert screen.preview() is not None
    screen.year.set_value(2024)  # while the 2025 report is being made
    gate.set()
    qtbot.waitUntil(lambda: not screen.busy, timeout=60_000)
    assert screen.current is None and "미리보기를 누르면 새로 만듭니다" in screen.status.text()
    assert list(screen.folder.glob("*.pdf")) == []


def test_print_with_no_preview_makes_the_document_first_then_prints_it(screen, qtbot, tmp_path):
    out = tmp_path / "printed.pdf"
    screen.choose_printer = pdf_printer(out)
    screen.year.set_value(2025)
    with qtbot.waitSignal(screen.print_started, timeout=60_000):
        assert screen.print_current() is not None  # the preview, on the worker
    qtbot.waitUntil(lambda: "프린터로 보냈습니다" in screen.status.text(), timeout=60_000)
    assert len(PdfReader(out).pages) == screen.document.pageCount() >= 2


def test_a_small_preview_never_flips_its_scroll_bar(demo, tmp_path, qtbot):
    """Fitted to the width, a document about as tall as the view showed and hid the scroll bar in
    turn (each changing the width it was fitted to): thousands of times a second, the window at
    full CPU and the print waiting behind it."""
    from PySide6.QtCore import QEvent, QObject

    from boeun_desk.ui.reports_screen import ReportsScreen
    from boeun_desk.ui.table_model import Lookups

    context = AppContext(demo, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    screen = ReportsScreen(context, Lookups(context))
    qtbot.addWidget(screen)
    screen.resize(533, 376)  # a small window, as the benchmark's
    screen.show()
    flips: list[int] = []

    class Flips(QObject):
        def eventFilter(self, _watched, event):  # noqa: N802  (Qt's name)
            if event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
                flips.append(1)
            return False

    watcher = Flips()
    screen.view.verticalScrollBar().installEventFilter(watcher)
    screen.kind.set_value("firm")
    for firm_id in demo.firms.ids()[:3]:
        screen.firm.set_value(firm_id)
        screen.preview()
        qtbot.waitUntil(lambda: not screen.busy, timeout=60_000)
        qtbot.wait(300)  # the view lays the pages out
    assert len(flips) <= 2
