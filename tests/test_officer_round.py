"""What a new officer ran into in the speed round's screens: printed pages, batches, the dashboard."""

from __future__ import annotations

import dataclasses

import pytest
from PIL import ImageStat
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from boeun_desk.reports import api, base, batch
from boeun_desk.services.documents import Documents
from boeun_desk.ui import printing
from boeun_desk.validation import InvalidValue
from tests.test_batch_pool import fail_firm


def test_printed_pages_are_white_paper_with_dark_text(demo, qtbot, tmp_path):
    """QPdfDocument renders a page on a transparent background: painted as it was, the printer
    got black pages (a transparent pixel without its alpha is black) with the black text lost on them."""
    firm = demo.firms.ids()[0]
    pdf = api.render_firm_summary(demo, firm, tmp_path / "firm.pdf")
    printer = printing.new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = printing.print_pages(printing.job_for(pdf, printer), lambda *_a: None, lambda: False)
    assert pages == len(PdfReader(pdf).pages)
    first = PdfReader(tmp_path / "printed.pdf").pages[0]
    bands = [picture.image.convert("L") for picture in first.images]
    assert ImageStat.Stat(bands[0]).mean[0] > 200  # mostly white paper, as the preview shows it
    dark = sum(sum(band.histogram()[:100]) for band in bands)
    assert dark > 1000  # and the text and lines on it


def test_a_combined_file_leaves_out_a_firm_that_fails_and_names_it(demo, tmp_path, monkeypatch):
    """As the folder batch does: the other firms are in the file, the one left out is named with
    the reason (the combined file failed whole, naming no firm)."""
    ids = demo.firms.ids()
    victim = demo.firms.names()[ids[3]]
    fail_firm(monkeypatch, victim)
    result = api.render_firm_batch(demo, ids, tmp_path / "all.pdf", combined=True)
    assert [firm.name for firm in result.skipped] == [victim]
    assert "문서를 만들지 못했습니다" in result.skipped[0].reason
    text = "\n".join(page.extract_text() for page in PdfReader(result.paths[0]).pages)
    assert "21개사" in text and victim not in text
    assert all(name in text for firm_id, name in demo.firms.names().items() if name != victim)


def test_the_combined_file_counts_each_firm_once_a_stage(demo, tmp_path):
    """Progress said (10,000/20,000) for 10,000 firms, then stood still while every firm's tables
    were laid out (a minute on the large file), and 취소 waited for all of them."""
    ids = demo.firms.ids()
    seen: list[tuple[int, int, str]] = []
    api.render_firm_batch(demo, ids, tmp_path / "all.pdf", combined=True,
                          progress=lambda d, n, stage="", **_k: seen.append((d, n, stage)))
    assert {(n, stage) for _d, n, stage in seen} == {(len(ids), "기업 자료를 모으는 중"), (len(ids), "내용을 배치하는 중"),
                                                     (len(ids), "문서를 만드는 중")}
    assert seen[-1] == (len(ids), len(ids), "문서를 만드는 중")


def test_cancel_after_the_last_firm_is_gathered_lays_out_no_firm(demo, tmp_path, monkeypatch):
    ids = demo.firms.ids()
    pressed: list[bool] = []
    tables_after: list[int] = []
    table = base.table
    monkeypatch.setattr(base, "table", lambda *a, **k: (tables_after.append(1) if pressed else None, table(*a, **k))[1])

    def progress(done: int, total: int, *, stage: str = "", stoppable: bool = True) -> None:
        if done == len(ids) and not pressed:
            pressed.append(True)  # 취소 as the last firm is gathered

    with pytest.raises(api.Cancelled):
        api.render_firm_batch(demo, ids, tmp_path / "cancelled.pdf", combined=True, progress=progress,
                              cancelled=lambda: bool(pressed))
    assert tables_after == [] and not list(tmp_path.glob("*cancelled*"))


def test_the_window_names_a_firm_left_out_of_the_combined_file(context, window, qtbot, monkeypatch, tmp_path):
    victim = context.services.firms.names()[context.services.firms.ids()[2]]
    fail_firm(monkeypatch, victim)
    screen = window.report_screen()
    task = screen.start_batch(tmp_path / "all.pdf", combined=True)
    qtbot.waitUntil(lambda: task.done, timeout=60_000)
    assert f"저장했습니다: {tmp_path / 'all.pdf'}" in screen.status.text()
    assert "1개 기업은 문서를 만들지 못해 건너뛰었습니다" in screen.status.text()
    assert len(context.ask.asked) == 1 and victim in context.ask.asked[0]



def test_the_dashboard_groups_its_counts_and_leaves_room_for_the_bar_labels(context, qtbot):
    """On 10,000 firms: "지원기업 5699개사 · 지원과제 8304건" and an axis 0, 135, 270 ... 945 whose end
    (the largest count + 1) put the counts written after the bars over the bars' ends."""
    from PySide6.QtCharts import QValueAxis

    from boeun_desk.overview import TypeTotal
    from boeun_desk.ui.dashboard import Dashboard

    dashboard = Dashboard(context)
    qtbot.addWidget(dashboard)
    counts = (1027, 1008, 1040, 1038, 1054, 1054, 1076, 1007)
    big = dataclasses.replace(dashboard.shown, firms_supported=5699, cases_total=8304, cases_by_type=tuple(
        TypeTotal(f"T{i}", f"유형 {i}", n) for i, n in enumerate(counts)))
    dashboard.show_overview(big)
    assert "지원기업 5,699개사 · 지원과제 8,304건" in dashboard.summary.text()
    [axis] = [axis for axis in dashboard.chart.axes() if isinstance(axis, QValueAxis)]
    step, top = axis.tickInterval(), axis.max()
    assert str(int(step))[0] in "125" and set(str(int(step))[1:]) <= {"0"}  # 1, 2, 5, 10, 20, 50...
    assert top % step == 0 and top / step <= 8 and top >= max(counts) * 1.1


def test_a_combined_hwpx_of_too_many_firms_is_refused_at_once_in_korean(demo, tmp_path, monkeypatch):
    """10,000 firms as one HWPX ran for ten minutes and took 23 GB; 500 failed at the save with the
    library's English 'XML payload exceeds XML size limit'."""
    monkeypatch.setattr(batch, "COMBINED_HWPX_MOST", 5)
    gathered: list[str] = []
    monkeypatch.setattr(Documents, "firm_summary", lambda _self, firm_id, **_k: gathered.append(firm_id))
    monkeypatch.setattr(Documents, "firm_summaries", lambda _self, firm_ids, **_k: gathered.extend(firm_ids))
    out = tmp_path / "out"
    with pytest.raises(InvalidValue, match=r"기업 5개까지 담을 수 있습니다\(지금 22개\)\. PDF로 저장하세요"):
        api.render_firm_batch(demo, demo.firms.ids(), out / "all.hwpx", combined=True)
    assert gathered == [] and list(out.iterdir()) == []


def test_an_hwpx_the_library_finds_too_big_to_save_is_said_in_korean(demo, tmp_path, monkeypatch):
    from hwpx import HwpxDocument
    from hwpx.opc.security import HwpxSecurityError

    def refuse(*_a, **_k) -> None:  # what python-hwpx said of 500 firm summaries in one file
        raise HwpxSecurityError("XML payload exceeds XML size limit: 73966589 > 67108864")

    monkeypatch.setattr(HwpxDocument, "save_to_stream", refuse)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InvalidValue, match="한글 문서\\(HWPX\\) 한 파일에 담을 수 없습니다. PDF로 저장하거나"):
        api.render_annual_report(demo, 2024, out / "annual.hwpx")
    assert list(out.iterdir()) == []
