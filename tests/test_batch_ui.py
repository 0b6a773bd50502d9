"""The reports screen's batch on worker processes: the skipped firms named in the status and a
notice, progress to the end, and 취소 pressed in the progress dialog stopping the workers."""

from __future__ import annotations

import multiprocessing
import threading

from PySide6.QtCore import Qt

from boeun_desk.reports import batch
from boeun_desk.reports.firm_summary import FirmSummary
from boeun_desk.ui.progress_dialog import ProgressDialog
from tests.test_batch_pool import fail_firm


def test_the_window_names_the_skipped_firm_and_saves_the_others(context, window, qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr(batch, "SMALLEST_POOL", 2)  # the demo's 22 firms on the workers
    victim = context.services.firms.names()[context.services.firms.ids()[3]]
    fail_firm(monkeypatch, victim)
    screen = window.report_screen()
    seen: list[tuple[int, int]] = []
    task = screen.start_batch(tmp_path / "batch")
    task.progressed.connect(lambda done, total, _stage, _stoppable: seen.append((done, total)))
    qtbot.waitUntil(lambda: task.done, timeout=60_000)
    status = screen.status.text()
    assert "21개 파일을 저장했습니다" in status and "1개 기업은 문서를 만들지 못해 건너뛰었습니다" in status
    assert f"· {victim} — 문서를 만들지 못했습니다" in status
    assert len(context.ask.asked) == 1 and victim in context.ask.asked[0]  # a notice, not only the status line
    assert len(list((tmp_path / "batch").glob("*.pdf"))) == 21 and seen[-1] == (22, 22)


def test_cancel_in_the_progress_dialog_stops_the_workers_and_leaves_nothing(context, window, qtbot,
                                                                            monkeypatch, tmp_path):
    monkeypatch.setattr(batch, "SMALLEST_POOL", 2)
    gate, reached = threading.Event(), threading.Event()
    document = FirmSummary.document
    laid_out = []

    def held(self, data):  # the sixth firm waits (on the batch's thread) until 취소 is pressed
        laid_out.append(data)
        if len(laid_out) == 6:
            reached.set()
            gate.wait(10)
        return document(self, data)

    monkeypatch.setattr(FirmSummary, "document", held)
    screen = window.report_screen()
    task = screen.start_batch(tmp_path / "batch")
    qtbot.waitUntil(lambda: reached.is_set() and screen.findChild(ProgressDialog).isVisible(), timeout=30_000)
    qtbot.mouseClick(screen.findChild(ProgressDialog).cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: task.done, timeout=30_000)
    assert screen.status.text() == "일괄 출력을 취소했습니다."
    assert list((tmp_path / "batch").iterdir()) == []
    assert not multiprocessing.active_children() and len(laid_out) == 6
