"""What a new officer ran into in the speed round's screens: printed pages, batches, the dashboard."""

from __future__ import annotations

from pathlib import Path

from PIL import ImageStat
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from boeun_desk.reports import api
from boeun_desk.ui import printing


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
