"""The A4 page every document is printed on: fonts' names, margins, the frame without padding
(full-width tables line up with the header and footer rules), and the canvas that draws the header
and "page x / y" once the last page is known."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from boeun_desk import __version__
from boeun_desk.i18n import t
from boeun_desk.reports import blocks as b

FONT = "NanumGothic"
FONT_BOLD = "NanumGothic-Bold"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
GRID = colors.HexColor("#7a7a7a")


def fit_text(value: str, width: float, size: float, font: str = FONT) -> str:
    """`value` shortened with "…" to fit `width` on one line."""
    if pdfmetrics.stringWidth(value, font, size) <= width:
        return value
    while value and pdfmetrics.stringWidth(value + "…", font, size) > width:
        value = value[:-1]
    return value + "…"


class NumberedCanvas(canvas.Canvas):
    """Draws header and footer after the last page is known, so each page can say "x / y"."""

    def __init__(self, *args: Any, header_left: str, header_right: str, printed: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._header = (header_left, header_right)
        self._printed = printed

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.draw_deferred(number, total)
            self._frame(number, total)
            super().showPage()
        super().save()

    def draw_deferred(self, number: int, total: int) -> None:
        """What a page can only draw once every page is laid out (a combined file's contents)."""

    def _frame(self, number: int, total: int) -> None:
        self.saveState()
        self.setStrokeColor(GRID)
        self.setLineWidth(0.5)
        top = PAGE_HEIGHT - 14 * mm
        self.setFont(FONT, 8)
        self.setFillColor(colors.HexColor("#333333"))
        self.drawString(MARGIN_X, top + 2 * mm, self._header[0])
        room = CONTENT_WIDTH - pdfmetrics.stringWidth(self._header[0], FONT, 8) - 6 * mm
        self.drawRightString(PAGE_WIDTH - MARGIN_X, top + 2 * mm, fit_text(self.header_right(number), room, 8))
        self.line(MARGIN_X, top, PAGE_WIDTH - MARGIN_X, top)
        bottom = 11 * mm
        self.line(MARGIN_X, bottom + 4 * mm, PAGE_WIDTH - MARGIN_X, bottom + 4 * mm)
        self.drawString(MARGIN_X, bottom, self._printed)
        self.drawRightString(PAGE_WIDTH - MARGIN_X, bottom, t("{page} / {pages} 쪽", page=number, pages=total))
        self.restoreState()

    def header_right(self, number: int) -> str:
        return self._header[1]


def page_template(target: Any, document: b.Document) -> BaseDocTemplate:
    """A4 with the program's margins; the frame has no padding, so full-width tables line up
    with the header and footer rules."""
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    return BaseDocTemplate(target, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                           bottomMargin=MARGIN_BOTTOM, pageTemplates=[PageTemplate("page", [frame])],
                           title=document.title, author=document.author, subject=document.subject,
                           keywords=list(document.keywords), creator=f"Boeun Desk {__version__}",
                           initialFontName=FONT)
