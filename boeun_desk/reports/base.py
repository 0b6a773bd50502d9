"""The PDF writer: the embedded Hangul font, one stylesheet, the A4 page frame (program name,
document title, print date, "page x / y") and the drawing of each block of `reports.blocks`.

Renderers build a `Document` of blocks from plain data; `Renderer.write` draws it here (or as HWPX
in `reports.hwpx`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import PageBreak as PDFPageBreak
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags

from boeun_desk.i18n import t
from boeun_desk.paths import resource
from boeun_desk.progress import IsCancelled, Progress
from boeun_desk.reports import blocks as b
from boeun_desk.reports.embedding import keep_tables, use_flate
from boeun_desk.reports.format import EMPTY, day_text, text
from boeun_desk.reports.measure import rows_height
from boeun_desk.reports.page import (  # noqa: F401 (the page's names, used by the documents)
    CONTENT_WIDTH,
    FONT,
    FONT_BOLD,
    GRID,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    NumberedCanvas,
    fit_text,
    page_template,
)
from boeun_desk.storage.files import atomic_path

HEADER_FILL = colors.HexColor("#e8edf3")
TOTAL_FILL = colors.HexColor("#f4f4f4")
CELL_PADDING = 3
KEEP_ROWS = 3  # a heading moves to the next page unless it fits with this many rows of its table
TALL_ROW = (PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) / 3  # a table row this tall is aligned to its top
BOX_KEPT = 70 * mm  # a boxed text up to this tall moves whole to the next page rather than split


@cache
def register_fonts() -> str:
    """Register NanumGothic (regular/bold) once; every PDF embeds a subset of it (see
    `reports.embedding` for what makes the subsets and streams cheaper to write)."""
    for name, file in ((FONT, "NanumGothic.ttf"), (FONT_BOLD, "NanumGothicBold.ttf")):
        font = TTFont(name, str(resource("fonts", file)))
        keep_tables(font)
        pdfmetrics.registerFont(font)
    use_flate()
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    return FONT


def _style(name: str, size: float = 9, *, bold: bool = False, align: int = TA_LEFT, leading: float | None = None,
           **extra: Any) -> ParagraphStyle:
    # Lines break between words (어절) as Korean documents do; only a word too long for its cell
    # breaks inside (splitLongWords), so no line or cell ever runs off the page.
    return ParagraphStyle(name, fontName=FONT_BOLD if bold else FONT, fontSize=size,
                          leading=leading or size * 1.4, alignment=align, splitLongWords=1, **extra)


class Styles:
    title = _style("title", 17, bold=True, align=TA_CENTER, leading=24, spaceAfter=2 * mm)
    subtitle = _style("subtitle", 10, align=TA_CENTER, textColor=colors.HexColor("#444444"), spaceAfter=4 * mm)
    section = _style("section", 11.5, bold=True, leading=16, spaceBefore=5 * mm, spaceAfter=2 * mm,
                     textColor=colors.HexColor("#1f3b5a"))
    # A section with nothing to show: its heading and the note "... 없습니다." close together.
    section_empty = _style("section_empty", 11.5, bold=True, leading=16, spaceBefore=4.5 * mm, spaceAfter=1 * mm,
                           textColor=colors.HexColor("#1f3b5a"))
    body = _style("body", 9.5, leading=14)
    note = _style("note", 8.5, textColor=colors.HexColor("#555555"))
    strong = _style("strong", 9.5, bold=True, leading=14)
    cell = _style("cell", 8.5, leading=11.5)
    cell_bold = _style("cell_bold", 8.5, bold=True, leading=11.5)
    cell_right = _style("cell_right", 8.5, align=TA_RIGHT, leading=11.5)
    cell_center = _style("cell_center", 8.5, align=TA_CENTER, leading=11.5)
    head = _style("head", 8.5, bold=True, align=TA_CENTER, leading=11.5)
    total_right = _style("total_right", 8.5, bold=True, align=TA_RIGHT, leading=11.5)


def para(value: Any, style: ParagraphStyle = Styles.cell) -> Paragraph:
    """A paragraph of plain text: markup characters escaped, line breaks kept."""
    return paragraph(escape(text(value)).replace("\n", "<br/>"), style)


_STYLE_FRAG: WeakKeyDictionary[ParagraphStyle, Any] = WeakKeyDictionary()


def paragraph(markup: str, style: ParagraphStyle) -> Paragraph:
    """`Paragraph(markup, style)`. Markup without tags or entities (most cells, labels, headings)
    is made as ReportLab's `Paragraph._setup` makes it (the text cleaned of runs of spaces, one
    fragment: a copy of the style's fragment holding the text) without running its HTML parser
    over it, a tenth of a document's drawing; tests/test_reports_cost.py compares the two."""
    if "&" in markup or "<" in markup or ">" in markup:
        return Paragraph(markup, style)
    cleaned = cleanBlockQuotedText(markup)
    if not cleaned:
        return Paragraph(markup, style)
    if style not in _STYLE_FRAG:
        _STYLE_FRAG[style] = Paragraph("x", style).frags[0]
    frags = [_STYLE_FRAG[style].clone(text=cleaned)]
    textTransformFrags(frags, style)
    return Paragraph(cleaned, style, frags=frags)


def grid_style(*commands: tuple[Any, ...]) -> TableStyle:
    """A TableStyle whose plain-string cells (even empty ones) use the embedded font, not Helvetica."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def gap(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)


# --- tables ----------------------------------------------------------------------------------

def _cell(value: Any, style: ParagraphStyle, width: float) -> Any:
    """A value that fits on one line is drawn as a plain string in the cell's font: the same look
    as a Paragraph, without its parsing and line breaking (a third of a document's time)."""
    if isinstance(value, Flowable):
        return value
    shown = text(value)
    if "\n" in shown:
        return para(value, style)
    shown = " ".join(shown.split())  # as a Paragraph shows it: runs of spaces and tabs as one space
    if pdfmetrics.stringWidth(shown, style.fontName, style.fontSize) <= width:
        return shown
    return para(value, style)


def _top_aligned(rows: Sequence[Sequence[Any]], widths: Sequence[float], first: int = 0) -> list[tuple[Any, ...]]:
    """VALIGN TOP for the rows taller than TALL_ROW (`widths` in points, `first`: the first row's
    index). ReportLab's split of a middle-aligned row over three or more pages drops the start of a
    shorter cell beside a long one (a 300-character address beside a 10,000-character note lost
    its first lines); at the top, a label also stays beside the start of its value."""
    out: list[tuple[Any, ...]] = []
    for index, row in enumerate(rows):
        if any(isinstance(cell, Paragraph) and len(cell.text) > 200
               and cell.wrap(width - 2 * CELL_PADDING, PAGE_HEIGHT)[1] > TALL_ROW
               for cell, width in zip(row, widths, strict=True)):
            out.append(("VALIGN", (0, first + index), (-1, first + index), "TOP"))
    return out


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float], *,
          aligns: str = "", total: Sequence[Any] | None = None) -> Table:
    """A grid table that splits across pages (within long cells too) and repeats its header row.

    `widths` are fractions of the content width; `aligns` has one letter per column (l/c/r).
    """
    aligns = aligns or "l" * len(headers)
    style_of = {"l": Styles.cell, "c": Styles.cell_center, "r": Styles.cell_right}
    room = [w * CONTENT_WIDTH - 2 * CELL_PADDING for w in widths]
    data: list[list[Any]] = [[_cell(h, Styles.head, w) for h, w in zip(headers, room, strict=True)]]
    for row in rows:
        data.append([_cell(v, style_of[a], w) for v, a, w in zip(row, aligns, room, strict=True)])
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
        *_top_aligned(data[1:], [w * CONTENT_WIDTH for w in widths], first=1),
    ]
    if total is not None:
        bold = {"l": Styles.cell_bold, "c": Styles.head, "r": Styles.total_right}
        data.append([paragraph(escape(str(v)), bold[a]) for v, a in zip(total, aligns, strict=True)])
        commands.append(("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL))
    # splitInRow: a row taller than what is left of a page (a 2,000-character purpose) splits inside.
    return Table(data, colWidths=[w * CONTENT_WIDTH for w in widths], repeatRows=1, splitInRow=1,
                 style=grid_style(*commands), hAlign="LEFT")


def fields_table(pairs: Sequence[tuple[str, Any]], *, columns: int = 2) -> Table:
    """Label/value grid (e.g. a firm's header block) with `columns` label-value pairs per row."""
    label_width, value_width = 0.15, 1 / columns - 0.15
    data, row = [], []
    for label, value in pairs:
        row += [paragraph(escape(label), Styles.head), value if isinstance(value, Flowable) else para(value)]
        if len(row) == 2 * columns:
            data.append(row)
            row = []
    if row:
        row += ["", ""] * (columns - len(row) // 2)
        data.append(row)
    widths = [(label_width if i % 2 == 0 else value_width) * CONTENT_WIDTH for i in range(2 * columns)]
    style = grid_style(("GRID", (0, 0), (-1, -1), 0.5, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                       *[("BACKGROUND", (c, 0), (c, -1), HEADER_FILL) for c in range(0, 2 * columns, 2)],
                       ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                       *_top_aligned(data, widths))
    return Table(data, colWidths=widths, style=style, splitInRow=1, hAlign="LEFT")


APPROVAL_BOX = 19 * mm  # a box's least width: room for a signature or a seal


def approval_box_width(approval: b.Approval) -> float:
    """Every box as wide as the longest title needs (센터장직무대리 fits on one line)."""
    longest = max(pdfmetrics.stringWidth(x, FONT_BOLD, Styles.head.fontSize) for x in approval.titles)
    return max(APPROVAL_BOX, longest + 2 * CELL_PADDING + 2)


def approval_boxes(approval: b.Approval) -> Table:
    """결재란: a 결재 cell and one box per title with room to sign."""
    count = len(approval.titles)
    data = [[para(t("결재"), Styles.head)] + [h for h in approval.titles], [""] * (count + 1)]
    style = grid_style(("GRID", (0, 0), (-1, -1), 0.6, GRID), ("SPAN", (0, 0), (0, 1)),
                       ("BACKGROUND", (0, 0), (0, 1), HEADER_FILL), ("BACKGROUND", (1, 0), (-1, 0), HEADER_FILL),
                       ("FONT", (1, 0), (-1, 0), FONT_BOLD, Styles.head.fontSize), ("ALIGN", (1, 0), (-1, 0), "CENTER"),
                       ("LEFTPADDING", (1, 0), (-1, 0), CELL_PADDING), ("RIGHTPADDING", (1, 0), (-1, 0), CELL_PADDING),
                       ("VALIGN", (0, 0), (-1, -1), "MIDDLE"))
    return Table(data, colWidths=[9 * mm] + [approval_box_width(approval)] * count, rowHeights=[6 * mm, 15 * mm],
                 style=style, hAlign="RIGHT")


def _title(block: b.Title) -> list[Flowable]:
    heading = paragraph(escape(block.text), Styles.title)
    out: list[Flowable] = []
    if block.approval and block.approval.titles:
        boxes = approval_boxes(block.approval)
        width = 9 * mm + approval_box_width(block.approval) * len(block.approval.titles) + 2 * mm
        if width <= 0.55 * CONTENT_WIDTH:  # beside the title
            out.append(Table([[heading, boxes]], colWidths=[CONTENT_WIDTH - width, width], hAlign="LEFT",
                             style=grid_style(("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                              ("RIGHTPADDING", (0, 0), (-1, -1), 0))))
        else:  # many or long boxes: on their own line above the title
            out += [boxes, gap(3), heading]
        out.append(gap(2))
    else:
        out.append(heading)
    if block.subtitle:
        out.append(para(block.subtitle, Styles.subtitle))
    if block.byline:
        line = "  |  ".join(f"{label}: {text(value)}" for label, value in block.byline)
        out.append(Paragraph(escape(line).replace("  ", "&nbsp; "), _style("byline", 8.5, align=TA_RIGHT,
                                                                           spaceAfter=1 * mm)))
    return out


def _boxed(value: str) -> Table:
    """A box that splits across pages only when it is long: a short one split at a page's foot
    leaves a stub of its frame on the next page, so it moves there whole (a one-row table that
    may not split inside its row cannot split at all)."""
    box = _box_table(value, split=False)
    return box if box.wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1] <= BOX_KEPT else _box_table(value, split=True)


def _box_table(value: str, *, split: bool) -> Table:
    return Table([[para(value, Styles.body)]], colWidths=[CONTENT_WIDTH], splitInRow=int(split), hAlign="LEFT",
                 style=grid_style(("BOX", (0, 0), (-1, -1), 0.6, GRID), ("TOPPADDING", (0, 0), (-1, -1), 4),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 6), ("LEFTPADDING", (0, 0), (-1, -1), 5)))


def _signatures(block: b.Signatures) -> Table:
    """One line per signer, right-aligned as on a paper form: role, name, a line, (서명 또는 인)."""
    rows = [[para(role, Styles.cell_bold), para(text(name), Styles.cell), "", para(t("(서명 또는 인)"), Styles.cell)]
            for role, name in block.lines]
    role = max(pdfmetrics.stringWidth(r, FONT_BOLD, Styles.cell_bold.fontSize) for r, _n in block.lines) + 8
    widths = [role, 40 * mm, 45 * mm, 24 * mm]
    return Table(rows, colWidths=widths, hAlign="RIGHT",
                 style=grid_style(("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("TOPPADDING", (0, 0), (-1, -1), 9),
                                  ("LINEBELOW", (2, 0), (2, -1), 0.6, GRID), ("LEFTPADDING", (0, 0), (-1, -1), 2)))


def _grid_table(block: b.Grid) -> Table:
    return table(block.headers, block.rows, block.widths, aligns=block.aligns, total=block.total)


def _start_height(block: b.Block, made: Flowable | None = None) -> float:
    """How much of a block must fit under its heading on the same page (`made`: the block's table,
    already built)."""
    if isinstance(block, b.Grid):
        if not block.rows:
            return para(block.empty or EMPTY, Styles.note).wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1]
        # The header row and the first KEEP_ROWS rows (not the total row).
        return rows_height(_grid_table(block) if made is None else made, 1 + min(KEEP_ROWS, len(block.rows)))
    if isinstance(block, b.Fields):
        return rows_height(fields_table(block.pairs, columns=block.columns) if made is None else made, 1)
    if isinstance(block, b.Group):  # kept together: all of it, up to a page
        height = sum(f.wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                     for f in flowables(block.blocks))
        return min(height, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM - 30 * mm)
    if isinstance(block, b.Box):
        height = _boxed(block.text).wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1]
        return height if height <= BOX_KEPT else Styles.body.leading * 2 + 12
    if isinstance(block, b.Text):
        return Styles.body.leading * 2 + 12
    if isinstance(block, b.Photos):
        return 78 * mm if block.photos else Styles.note.leading + 4  # a row of photos with captions
    return 0


PhotoDrawer = Callable[[b.Photos], Flowable]


def _nothing_to_show(block: b.Block | None) -> bool:
    """A table without rows or a photo section without photos, with a note to print instead."""
    if isinstance(block, b.Grid):
        return not block.rows and block.empty is not None
    return isinstance(block, b.Photos) and not block.photos and bool(block.empty)


def flowables(blocks: Sequence[b.Block], photos: PhotoDrawer | None = None,
              on_part: Callable[[b.Part], None] | None = None) -> list[Flowable]:
    """The ReportLab flowables of a document's blocks (`on_part` is told when a part is drawn)."""
    out: list[Flowable] = []
    made: dict[int, Flowable] = {}  # the table of a block after a heading, built to measure its start
    for index, block in enumerate(blocks):
        if isinstance(block, b.Title):
            out += _title(block)
        elif isinstance(block, b.Heading):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if _nothing_to_show(following):
                # A section with nothing to show is one line: its heading and the note beside it.
                note = following.empty if isinstance(following, b.Grid | b.Photos) else ""
                out.append(Paragraph(f"{escape(block.text)}&nbsp;&nbsp;&nbsp;<font name='{FONT}' size='8.5' "
                                     f"color='#555555'>{escape(note or '')}</font>", Styles.section_empty))
                continue
            heading = paragraph(escape(block.text), Styles.section)
            if isinstance(following, b.Grid) and following.rows:
                made[index + 1] = _grid_table(following)
            elif isinstance(following, b.Fields):
                made[index + 1] = fields_table(following.pairs, columns=following.columns)
            need = heading.wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1] + Styles.section.spaceBefore + \
                Styles.section.spaceAfter + (_start_height(following, made.get(index + 1))
                                             if following is not None else 0)
            out += [CondPageBreak(need), heading]
        elif isinstance(block, b.Fields):
            out.append(made.pop(index) if index in made else fields_table(block.pairs, columns=block.columns))
        elif isinstance(block, b.Grid):
            if index and isinstance(blocks[index - 1], b.Heading) and _nothing_to_show(block):
                continue  # drawn with its heading
            if not block.rows and block.empty is not None:
                out.append(para(block.empty, Styles.note))
            else:
                out.append(made.pop(index) if index in made else _grid_table(block))
            if isinstance(blocks[index + 1] if index + 1 < len(blocks) else None, b.Grid):
                out.append(gap(2))
        elif isinstance(block, b.Text):
            out.append(para(block.text, {"body": Styles.body, "note": Styles.note, "strong": Styles.strong}
                            [block.style]))
        elif isinstance(block, b.Box):
            out.append(_boxed(block.text))
        elif isinstance(block, b.Photos):
            if index and isinstance(blocks[index - 1], b.Heading) and _nothing_to_show(block):
                continue  # drawn with its heading
            if photos is None:
                raise TypeError("this document has no photo drawer")
            out.append(photos(block))
        elif isinstance(block, b.Signatures):
            # One row that never splits: no KeepTogether around it, which would make a Group
            # holding it (the last section with its signature) measure as taller than any page.
            out += [gap(6), _signatures(block)]
        elif isinstance(block, b.Group):
            out.append(KeepTogether([gap(2), *flowables(block.blocks, photos)]))
        elif isinstance(block, b.PageBreak):
            out.append(PDFPageBreak())
        elif isinstance(block, b.Part):
            from boeun_desk.reports.combined import PartMark

            out += [PDFPageBreak(), PartMark(block, on_part)]
        elif isinstance(block, b.Contents):
            from boeun_desk.reports.combined import ContentsRows

            out.append(ContentsRows(block.parts))
        else:  # pragma: no cover - a new block kind must be drawn here
            raise TypeError(f"unknown block {block!r}")
    return out


def write_pdf(document: b.Document, target: Any, photos: PhotoDrawer | None = None, *,
              canvas_class: type[NumberedCanvas] = NumberedCanvas,
              on_part: Callable[[b.Part], None] | None = None, story: list[Flowable] | None = None) -> None:
    """Draw a document into a path or a binary file object (`story`: its blocks already made into
    flowables, as a combined document does firm by firm)."""
    register_fonts()
    template = page_template(target, document)
    printed = t("출력일 {date}", date=day_text(document.printed))
    story = flowables(document.blocks, photos, on_part) if story is None else story
    template.build(story, canvasmaker=lambda *a, **k: canvas_class(
        *a, header_left=document.header, header_right=document.title, printed=printed, **k))


class Renderer:
    """One printed document: subclasses set `title` and build the document's blocks from a plain
    data object; the same blocks are drawn as PDF (here) or HWPX."""

    title = ""

    def blocks(self, data: Any) -> list[b.Block]:
        raise NotImplementedError

    def document_title(self, data: Any) -> str:
        return t(self.title)

    def photos(self, block: b.Photos) -> Flowable:
        raise TypeError("this document has no photos")

    def personal_names(self, data: Any) -> list[str]:
        """The names a handout masks (phones and e-mails are masked wherever they appear)."""
        return []

    def public_words(self, data: Any) -> list[str]:
        """Phrases of the data that are no one's name (an organisation, a position, a field): a
        handout leaves them as they are, though a title may follow a word in them."""
        return []

    def document(self, data: Any) -> b.Document:
        settings = data.settings
        document = b.Document(title=self.document_title(data), header=data.program_name, printed=data.today,
                              blocks=tuple(self.blocks(data)),
                              author=" ".join(x for x in (settings.organisation, settings.department,
                                                          settings.author) if x) or t("보은 데스크"),
                              subject=data.program_name)
        if settings.masked:
            from boeun_desk.reports.masking import mask_document

            document = mask_document(document, self.personal_names(data), self.public_words(data))
        return document

    def render(self, data: Any, out: Path, *, progress: Progress | None = None,
               cancelled: IsCancelled | None = None) -> Path:
        """Write the file atomically (PDF, or HWPX for an .hwpx name): a failure or a cancel leaves
        no partial file. `progress` and `cancelled` reach the HWPX writer (a PDF takes a moment)."""
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(out) as scratch:
            self.write(data, str(scratch), hwpx=out.suffix.lower() == ".hwpx", progress=progress,
                       cancelled=cancelled)
        return out

    def write(self, data: Any, target: Any, *, hwpx: bool = False, progress: Progress | None = None,
              cancelled: IsCancelled | None = None) -> None:
        """Build the document into a path or a binary file object."""
        document = self.document(data)
        if hwpx:
            from boeun_desk.reports.hwpx import write_hwpx

            write_hwpx(document, target, progress=progress, cancelled=cancelled)
            return
        write_pdf(document, target, self.photos)
