"""The time to the first printed page: from 인쇄 on the documents screen (no preview made before) to
the first page painted on the printer, against writing the same document's PDF in the same run."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from benchmarks.common import Context, Figure, figure, median_seconds


class _PrintWatch:
    """The print's task (it starts when the document, made first on the worker, is shown) and the
    moment its first page is on the printer; ends the wait when the print ends or never starts."""

    def __init__(self, loop: Any):
        self.loop, self.task, self.first = loop, None, []

    def started(self, task: Any) -> None:
        self.task = task
        task.progressed.connect(self.progressed)
        task.ended.connect(self.loop.quit)

    def progressed(self, done: int, *_rest: Any) -> None:
        if done >= 1 and not self.first:
            self.first.append(time.perf_counter())

    def made(self) -> None:
        if self.task is None:  # the document failed or was cancelled: no print comes
            self.loop.quit()


def _first_page(ctx: Context, kind: str, choose: dict[str, object], render: object) -> tuple[float, float, int, float]:
    """(seconds to the first page on the printer as the progress shows it, seconds to write the PDF
    alone, pages, the longest the window went without answering meanwhile)."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtPrintSupport import QPrinter

    from benchmarks.figures_gui import _gui
    from boeun_desk.ui import printing
    from boeun_desk.ui.reports_screen import ReportsScreen
    from boeun_desk.ui.table_model import Lookups

    context = _gui(ctx)
    screen = ReportsScreen(context, Lookups(context))
    screen.show()
    out = ctx.workdir / "printed.pdf"

    def printer() -> QPrinter:  # what the print dialog hands back: here a PDF printer at 300 dpi
        chosen = printing.new_printer()
        chosen.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        chosen.setOutputFileName(str(out))
        return chosen

    screen.choose_printer = printer  # type: ignore[method-assign]
    times, pages, pauses = [], 0, []
    for _ in range(3):
        screen.kind.set_value(kind)
        for name, value in choose.items():
            getattr(screen, name).set_value(value)
        screen.current = None  # 인쇄 with no preview before it: the document is made first
        ticks: list[float] = []
        loop = QEventLoop()
        timer = QTimer(interval=10)  # the window's own pulse: how long it could not answer
        timer.timeout.connect(lambda ticks=ticks: ticks.append(time.perf_counter()))
        timer.start()
        started = time.perf_counter()
        watch = _PrintWatch(loop)
        screen.print_started.connect(watch.started)
        made = screen.print_current()
        if made is None:
            raise RuntimeError(f"printing did not start: {screen.status.text()}")
        made.ended.connect(watch.made)
        loop.exec()
        screen.print_started.disconnect(watch.started)
        task, first = watch.task, watch.first
        if task is None:
            raise RuntimeError(f"printing did not start: {screen.status.text()}")
        timer.stop()
        if task.error is not None or not first:
            raise RuntimeError(f"printing failed: {screen.status.text()}")
        times.append(first[0] - started)
        pages = task.result
        marks = [started, *ticks, time.perf_counter()]
        pauses.append(max(b - a for a, b in zip(marks, marks[1:], strict=False)))
    baseline = median_seconds(lambda: render(context.services, Path(ctx.workdir / "alone.pdf")), repeat=3)
    screen.close()
    context.services.database.close()
    return sorted(times)[1], baseline, pages, sorted(pauses)[1]


@figure("first_printed_page_ms")
def first_printed_page(ctx: Context) -> Figure:
    from boeun_desk.reports import api
    from boeun_desk.services import Services
    from boeun_desk.storage.engine import open_database

    database = open_database(ctx.db_path)
    firm_id = Services(database).firms.ids()[0]
    database.close()
    value, baseline, pages, pause = _first_page(ctx, "firm", {"firm": firm_id},
                                                lambda services, out: api.render_firm_summary(services, firm_id, out))
    return Figure(value * 1000, "ms", baseline * 1000, "writing its PDF alone",
                  f"a per-company summary ({pages} pages) at 300 dpi, no preview before; "
                  f"longest pause of the window {pause * 1000:.0f} ms")


@figure("first_printed_page_annual_s")
def first_printed_page_annual(ctx: Context) -> Figure:
    from boeun_desk.reports import api

    value, baseline, pages, pause = _first_page(ctx, "annual", {"year": 2024},
                                                lambda services, out: api.render_annual_report(services, 2024, out))
    return Figure(value, "s", baseline, "writing its PDF alone",
                  f"the 2024 annual report ({pages} pages); longest pause of the window {pause:.2f} s")
