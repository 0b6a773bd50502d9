"""What every printed document shares: the embedded Hangul font, one stylesheet, A4 page frame
with program name, document title, print date and "page x / y", table and text helpers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from boeun_desk import __version__
from boeun_desk.i18n import t
from boeun_desk.paths import resource
from boeun_desk.storage.files import atomic_path

FONT = "NanumGothic"
FONT_BOLD = "NanumGothic-Bold"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
EMPTY = "-"
GRID = colors.HexColor("#7a7a7a")
HEADER_FILL = colors.HexColor("#e8edf3")
TOTAL_FILL = colors.HexColor("#f4f4f4")
CELL_PADDING = 3


@cache
def register_fonts() -> str:
    """Register NanumGothic (regular/bold) once; every PDF embeds a subset of it."""
    pdfmetrics.registerFont(TTFont(FONT, str(resource("fonts", "NanumGothic.ttf"))))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(resource("fonts", "NanumGothicBold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    return FONT


def _style(name: str, size: float = 9, *, bold: bool = False, align: int = TA_LEFT, leading: float | None = None,
           **extra: Any) -> ParagraphStyle:
    # CJK wrapping lets Hangul break between syllables, so no line or cell ever runs off the page.
    return ParagraphStyle(name, fontName=FONT_BOLD if bold else FONT, fontSize=size,
                          leading=leading or size * 1.4, alignment=align, wordWrap="CJK", **extra)


class Styles:
    title = _style("title", 17, bold=True, align=TA_CENTER, leading=24, spaceAfter=2 * mm)
    subtitle = _style("subtitle", 10, align=TA_CENTER, textColor=colors.HexColor("#444444"), spaceAfter=4 * mm)
    section = _style("section", 11.5, bold=True, leading=16, spaceBefore=5 * mm, spaceAfter=2 * mm,
                     textColor=colors.HexColor("#1f3b5a"), keepWithNext=1)
    body = _style("body", 9.5, leading=14)
    note = _style("note", 8.5, textColor=colors.HexColor("#555555"))
    cell = _style("cell", 8.5, leading=11.5)
    cell_bold = _style("cell_bold", 8.5, bold=True, leading=11.5)
    cell_right = _style("cell_right", 8.5, align=TA_RIGHT, leading=11.5)
    cell_center = _style("cell_center", 8.5, align=TA_CENTER, leading=11.5)
    head = _style("head", 8.5, bold=True, align=TA_CENTER, leading=11.5)


# --- formatting ------------------------------------------------------------------------------

def text(value: Any) -> str:
    """A value as printed: empty and None as "-", never "None"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return EMPTY
    if isinstance(value, datetime):
        return f"{day_text(value)}({WEEKDAYS[value.weekday()]}) {value:%H:%M}"
    if isinstance(value, date):
        return day_text(value)
    return str(value)


WEEKDAYS = "월화수목금토일"


def day_text(value: date) -> str:
    """A date as public documents write it (행정업무 운영 편람): 2024. 11. 28."""
    return f"{value.year}. {value.month}. {value.day}."


def money(value: int | None, *, thousand: bool = False) -> str:
    """Thousands separators; with `thousand`, in 천원 (rounded)."""
    if value is None:
        return EMPTY
    return f"{round(value / 1000):,}" if thousand else f"{value:,}"


def indicator_cells(baseline: int, result: int, unit: str) -> tuple[str, str, str, str]:
    """기준, 실적, 증감 and the unit of an indicator as documents print them: money in 천원 (the
    change taken from the rounded figures, so the row reads right), counts as they are."""
    if unit == "원":
        baseline, result, unit = round(baseline / 1000), round(result / 1000), "천원"
    change = result - baseline
    return f"{baseline:,}", f"{result:,}", (f"+{change:,}" if change > 0 else f"{change:,}"), t(unit)


def para(value: Any, style: ParagraphStyle = Styles.cell) -> Paragraph:
    """A paragraph of plain text: markup characters escaped, line breaks kept."""
    return Paragraph(escape(text(value)).replace("\n", "<br/>"), style)


def section(title: str) -> Paragraph:
    return Paragraph(escape(title), Styles.section)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float], *,
          aligns: str = "", total: Sequence[Any] | None = None, empty: str | None = None) -> Flowable:
    """A grid table that splits across pages (within long cells too) and repeats its header row.

    `widths` are fractions of the content width; `aligns` has one letter per column (l/c/r).
    """
    if not rows and empty is not None:
        return para(empty, Styles.note)
    aligns = aligns or "l" * len(headers)
    style_of = {"l": Styles.cell, "c": Styles.cell_center, "r": Styles.cell_right}
    room = [w * CONTENT_WIDTH - 2 * CELL_PADDING for w in widths]

    def cell(value: Any, style: ParagraphStyle, width: float) -> Any:
        # A value that fits on one line is drawn as a plain string in the cell's font: the same
        # look as a Paragraph, without its parsing and line breaking (a third of a document's time).
        if isinstance(value, Flowable):
            return value
        shown = text(value)
        if "\n" in shown:
            return para(value, style)
        shown = " ".join(shown.split())  # as a Paragraph shows it: runs of spaces and tabs as one space
        if pdfmetrics.stringWidth(shown, style.fontName, style.fontSize) <= width:
            return shown
        return para(value, style)

    data: list[list[Any]] = [[cell(h, Styles.head, w) for h, w in zip(headers, room, strict=True)]]
    for row in rows:
        data.append([cell(v, style_of[a], w) for v, a, w in zip(row, aligns, room, strict=True)])
    commands = [
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, Styles.head.fontSize, Styles.head.leading),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("FONT", (0, 1), (-1, -1), FONT, Styles.cell.fontSize, Styles.cell.leading),
        *(("ALIGN", (column, 1), (column, -1), {"l": "LEFT", "c": "CENTER", "r": "RIGHT"}[a])
          for column, a in enumerate(aligns)),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if total is not None:
        bold = {"l": Styles.cell_bold, "c": Styles.head, "r": _style("total_r", 8.5, bold=True, align=TA_RIGHT)}
        data.append([Paragraph(escape(str(v)), bold[a]) for v, a in zip(total, aligns, strict=True)])
        commands.append(("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL))
    return Table(data, colWidths=[w * CONTENT_WIDTH for w in widths], repeatRows=1,
                 style=grid_style(*commands), hAlign="LEFT")


def fields_table(pairs: Sequence[tuple[str, Any]], *, columns: int = 2) -> Table:
    """Label/value grid (e.g. a firm's header block) with `columns` label-value pairs per row."""
    label_width, value_width = 0.15, 1 / columns - 0.15
    data, row = [], []
    for label, value in pairs:
        row += [Paragraph(escape(label), Styles.head), value if isinstance(value, Flowable) else para(value)]
        if len(row) == 2 * columns:
            data.append(row)
            row = []
    if row:
        row += ["", ""] * (columns - len(row) // 2)
        data.append(row)
    style = grid_style(("GRID", (0, 0), (-1, -1), 0.5, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                       *[("BACKGROUND", (c, 0), (c, -1), HEADER_FILL) for c in range(0, 2 * columns, 2)],
                       ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5))
    return Table(data, colWidths=[(label_width if i % 2 == 0 else value_width) * CONTENT_WIDTH
                                  for i in range(2 * columns)], style=style, splitInRow=1, hAlign="LEFT")


def grid_style(*commands: tuple[Any, ...]) -> TableStyle:
    """A TableStyle whose plain-string cells (even empty ones) use the embedded font, not Helvetica."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


def gap(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)


# --- page frame ------------------------------------------------------------------------------

class _NumberedCanvas(canvas.Canvas):
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
            self._frame(number, total)
            super().showPage()
        super().save()

    def _frame(self, number: int, total: int) -> None:
        self.saveState()
        self.setStrokeColor(GRID)
        self.setLineWidth(0.5)
        top = PAGE_HEIGHT - 14 * mm
        self.setFont(FONT, 8)
        self.setFillColor(colors.HexColor("#333333"))
        self.drawString(MARGIN_X, top + 2 * mm, self._header[0])
        self.drawRightString(PAGE_WIDTH - MARGIN_X, top + 2 * mm, self._header[1])
        self.line(MARGIN_X, top, PAGE_WIDTH - MARGIN_X, top)
        bottom = 11 * mm
        self.line(MARGIN_X, bottom + 4 * mm, PAGE_WIDTH - MARGIN_X, bottom + 4 * mm)
        self.drawString(MARGIN_X, bottom, self._printed)
        self.drawRightString(PAGE_WIDTH - MARGIN_X, bottom, t("{page} / {pages} 쪽", page=number, pages=total))
        self.restoreState()


class Renderer:
    """One printed document: subclasses set `title` and build the story from a plain data object."""

    title = ""

    def story(self, data: Any) -> list[Flowable]:
        raise NotImplementedError

    def document_title(self, data: Any) -> str:
        return t(self.title)

    def render(self, data: Any, out: Path) -> Path:
        """Write the PDF atomically: a failure leaves no partial file under `out`."""
        register_fonts()
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(out) as scratch:
            self.write(data, str(scratch))
        return out

    def write(self, data: Any, target: Any) -> None:
        """Build the document into a path or a binary file object."""
        register_fonts()
        title = self.document_title(data)
        document = SimpleDocTemplate(target, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                                     topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title,
                                     author=t("보은 데스크"), subject=data.program_name,
                                     creator=f"Boeun Desk {__version__}", initialFontName=FONT)
        printed = t("출력일 {date}", date=day_text(data.today))
        document.build(self.story(data), canvasmaker=lambda *a, **k: _NumberedCanvas(
            *a, header_left=data.program_name, header_right=title, printed=printed, **k))
