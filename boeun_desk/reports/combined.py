"""A combined document (every firm's summary in one file): a cover, a contents page whose page
numbers are filled in once every page is laid out, continuous page numbers, the font embedded once,
and each part's name in the running header of its pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from boeun_desk.reports import blocks as b
from boeun_desk.reports.base import FONT, FONT_BOLD, GRID, NumberedCanvas, fit_text

ROW = 6.5 * mm


class PartMark(Flowable):
    """Zero-size: records on which page a part starts (and reports progress, may cancel)."""

    def __init__(self, part: b.Part, on_part: Callable[[b.Part], None] | None):
        super().__init__()
        self.part, self.on_part = part, on_part

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        canvas.part_pages[self.part.key] = canvas.getPageNumber()
        canvas.part_titles[canvas.getPageNumber()] = self.part.title
        if self.on_part is not None:
            self.on_part(self.part)


class ContentsRows(Flowable):
    """The contents as rows of number, title, dotted leader; the page numbers are drawn by the
    canvas at the end (it alone knows them). Splits over as many pages as it needs."""

    def __init__(self, parts: tuple[b.Part, ...], first: int = 1):
        super().__init__()
        self.parts, self.first = parts, first

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, ROW * len(self.parts)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        fits = int(available_height // ROW)
        if fits <= 0 or fits >= len(self.parts):
            return [] if fits <= 0 else [self]
        return [ContentsRows(self.parts[:fits], self.first), ContentsRows(self.parts[fits:], self.first + fits)]

    def draw(self) -> None:
        canvas = self.canv
        number_width = 12 * mm
        page_width = 14 * mm
        for index, part in enumerate(self.parts):
            y = ROW * (len(self.parts) - index - 1) + 1.8 * mm
            canvas.setFont(FONT, 9.5)
            canvas.drawRightString(number_width - 3 * mm, y, str(self.first + index))
            title = fit_text(part.title, self.width - number_width - page_width - 4 * mm, 9.5)
            canvas.drawString(number_width, y, title)
            left = number_width + pdfmetrics.stringWidth(title, FONT, 9.5) + 2 * mm
            canvas.saveState()
            canvas.setStrokeColor(GRID)
            canvas.setDash(0.6, 2)
            canvas.line(left, y + 0.6 * mm, self.width - page_width, y + 0.6 * mm)
            canvas.restoreState()
            x, page_y = canvas.absolutePosition(self.width, y)
            canvas.contents_slots.append((canvas.getPageNumber(), x, page_y, part.key))


class CombinedCanvas(NumberedCanvas):
    """Fills in the contents' page numbers and heads each page with its part's name."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.part_pages: dict[str, int] = {}
        self.part_titles: dict[int, str] = {}
        self.contents_slots: list[tuple[int, float, float, str]] = []

    def draw_deferred(self, number: int, total: int) -> None:
        self.saveState()
        self.setFont(FONT_BOLD, 9.5)
        for page, x, y, key in self.contents_slots:
            if page == number and key in self.part_pages:
                self.drawRightString(x, y, str(self.part_pages[key]))
        self.restoreState()

    def header_right(self, number: int) -> str:
        current = ""
        for page in sorted(self.part_titles):
            if page > number:
                break
            current = self.part_titles[page]
        return f"{self._header[1]} · {current}" if current else self._header[1]

