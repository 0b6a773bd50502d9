"""Printing a PDF off the GUI thread: each page rendered at the printer's resolution (at most
MAX_DPI) and painted on the printer, one page at a time, through the one worker path."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from boeun_desk.i18n import t

# Text and tables print sharp at 300 dpi; 1200 dpi (Qt's HighResolution on a PDF printer) made
# a 6 MB raster per page and kept the window frozen for seconds.
MAX_DPI = 300
# Qt calls keep Python's lock while they run, so the GUI thread waits for each one the worker
# makes: a page goes to the printer in bands (drawing a whole 300-dpi page held it ~120 ms).
BAND_ROWS = 256


class PrintCancelled(Exception):
    """The officer pressed 취소: the job was aborted, nothing more goes to the printer."""


@dataclass(frozen=True)
class PrintJob:
    pdf: Path
    printer: QPrinter  # configured by the print dialog; only the worker touches it while printing
    dpi: int


def new_printer() -> QPrinter:
    """A printer at its best resolution (a PDF printer says 72 dpi otherwise); `job_for` caps it."""
    return QPrinter(QPrinter.PrinterMode.HighResolution)


def job_for(pdf: Path, printer: QPrinter) -> PrintJob:
    dpi = max(72, min(printer.resolution(), MAX_DPI))
    if printer.resolution() > dpi:
        printer.setResolution(dpi)  # some drivers keep their own: page_image scales for them
    return PrintJob(pdf, printer, dpi)


def page_image(document: QPdfDocument, page: int, area: QSizeF, scale: float) -> QImage:
    """The page rendered at `scale` pixels per device pixel to fill `area` (device pixels) with
    its aspect kept."""
    size = document.pagePointSize(page).scaled(area * scale, Qt.AspectRatioMode.KeepAspectRatio)
    return document.render(page, QSize(round(size.width()), round(size.height())))


def draw_in_bands(painter: QPainter, image: QImage, scale: float) -> None:
    """Paint `image` at 1/`scale` device pixels per pixel from the top left, band by band; each
    band opaque, so the printer gets RGB without an alpha mask. The page comes rendered on a
    transparent background: each band is laid on white paper first (dropping the alpha alone
    made the paper black and hid the text)."""
    for top in range(0, image.height(), BAND_ROWS):
        band = QImage(image.width(), min(BAND_ROWS, image.height() - top), QImage.Format.Format_RGB32)
        band.fill(Qt.GlobalColor.white)
        paper = QPainter(band)
        paper.drawImage(0, 0, image, 0, top, band.width(), band.height())
        paper.end()
        painter.drawImage(QRectF(0, top / scale, band.width() / scale, band.height() / scale), band)


def print_pages(job: PrintJob, progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> int:
    """Worker function: print every page of `job.pdf`; returns the number of pages printed."""
    document = QPdfDocument()
    try:
        if document.load(str(job.pdf)) != QPdfDocument.Error.None_:
            raise OSError(t("PDF를 열 수 없습니다: {path}", path=job.pdf))
        total = document.pageCount()
        printer = job.printer
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError(t("프린터를 열 수 없습니다."))
        try:
            progress(0, total)
            for page in range(total):
                if cancelled():
                    printer.abort()
                    raise PrintCancelled()
                if page:
                    printer.newPage()
                area = printer.pageRect(QPrinter.Unit.DevicePixel).size()
                scale = min(1.0, job.dpi / printer.resolution())
                draw_in_bands(painter, page_image(document, page, area, scale), scale)
                progress(page + 1, total)
        finally:
            painter.end()
        return total
    finally:
        document.close()
