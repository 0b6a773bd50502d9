"""The HWPX writer: the same blocks as the PDF (`reports.blocks`) drawn as an editable 한글 document
through python-hwpx, so an agency can go on editing the file in 한글.

Tables are real tables (header row shaded and repeated on every page, borders, total row bold on
grey), the 결재란 is a small table beside the title, photos are embedded pictures, A4 with the PDF's
margins, the program and title in the page header, the print date and "page / pages" in the footer,
and the title, author and subject in the file's metadata. Text is set in 함초롬돋움, the Gothic
every copy of 한글 has, and Hangul lines break between words (어절), as the PDF's do.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from hwpx import HwpxDocument
from hwpx.opc.security import HwpxSecurityError
from reportlab.lib.units import mm

from boeun_desk.i18n import t
from boeun_desk.progress import IsCancelled, Progress, quiet, stop_if
from boeun_desk.reports import blocks as b
from boeun_desk.reports.base import GRID, HEADER_FILL, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, TOTAL_FILL
from boeun_desk.reports.format import day_text, text
from boeun_desk.validation import InvalidValue

FONT = "함초롬돋움"
UNIT_PER_MM = 7200 / 25.4  # HWPUNIT: 1/7200 inch
PHOTO_WIDTH_MM = 80
PHOTO_MAX_HEIGHT_MM = 70


def _colour(value: Any) -> str:
    return "#" + value.hexval()[2:].upper()


def _unit(length_mm: float) -> int:
    return round(length_mm * UNIT_PER_MM)


# (size in pt, bold, colour) of each kind of text, as in the PDF's stylesheet
RUNS = {"title": (17, True, "#000000"), "subtitle": (10, False, "#444444"), "section": (11.5, True, "#1F3B5A"),
        "body": (9.5, False, "#000000"), "note": (8.5, False, "#555555"), "strong": (9.5, True, "#000000"),
        "cell": (8.5, False, "#000000"), "bold": (8.5, True, "#000000"), "small": (8, False, "#333333")}
ALIGN = {"l": "LEFT", "c": "CENTER", "r": "RIGHT"}


class HwpxWriter:
    """Builds one HWPX document block by block (a fresh python-hwpx document per file).

    Long documents (an annual report of 500 firms takes seconds, a combined file of 100 firms'
    summaries tens of seconds) report `progress` over the top-level blocks and stop at `cancelled`
    between blocks and table rows; python-hwpx's own save, the last stage, cannot be stopped and
    says so (a cancel pressed meanwhile still discards the file)."""

    def __init__(self, document: b.Document, *, progress: Progress | None = None,
                 cancelled: IsCancelled | None = None, on_part: Callable[[b.Part], None] | None = None):
        self.source = document
        self.progress, self.cancelled, self.on_part = progress or quiet, cancelled, on_part
        self.doc = HwpxDocument.new()
        self._header = self.doc.oxml.headers[0]
        self._runs: dict[str, str] = {}
        self._paras: dict[tuple[Any, ...], str] = {}
        self._fills: dict[str, str] = {}
        self.doc.page.setup(paper_size="A4", margin_left_mm=MARGIN_X / mm, margin_right_mm=MARGIN_X / mm,
                            margin_top_mm=MARGIN_TOP / mm, margin_bottom_mm=MARGIN_BOTTOM / mm,
                            header_margin_mm=10, footer_margin_mm=7)
        size, margins = self.doc.page.size(), self.doc.page.margins()
        self.width = size.width - margins.left - margins.right
        self._page_break = False

    # --- shapes (ids in header.xml, made once and shared) ----------------------------------

    def run(self, kind: str) -> str:
        if kind not in self._runs:
            size, bold, colour = RUNS[kind]
            self._runs[kind] = self.doc.styles.ensure_run(font=FONT, size=size, bold=bold, color=colour)
        return self._runs[kind]

    def para(self, align: str = "LEFT", *, spacing: int = 150, before: float = 0, after: float = 0,
             keep_next: bool = False, tab_right: bool = False) -> str:
        """A paragraph shape (alignment, line spacing %, space before/after in pt). Every shape
        derives from 바탕글 (paraPr 0), whose breakNonLatinWord="BREAK_WORD" keeps Hangul words
        whole: the OWPML schema's annotation says the opposite (KEEP_WORD 어절, BREAK_WORD 글자), but
        한글 reads it reversed, as python-hwpx measured (hwpx.form_fit.measure.TextStyle), as rhwp
        measured in 한글 (edwardkim/rhwp#2185) and as 한글 2022's own SaveAs writes it (rhwp#5560);
        tests check every shape a document uses."""
        key = (align, spacing, before, after, keep_next, tab_right)
        if key not in self._paras:
            # a tab to the right end of the line (the page header's and footer's right-hand text)
            tabs = self._header.ensure_tab_definition(auto_tab_right=True) if tab_right else None
            shape = self._header.ensure_paragraph_format(
                base_para_pr_id=0, alignment=align, line_spacing_percent=spacing,
                margins={"prev": round(before * 100), "next": round(after * 100)},
                break_setting={"keep_with_next": keep_next, "widow_orphan": True}, tab_pr_id_ref=tabs)
            self._paras[key] = shape
        return self._paras[key]

    def fill(self, colour: str | None, *, borders: bool = True) -> str:
        """A cell's border (thin grey lines, or none) and background."""
        key = f"{colour}:{borders}"
        if key not in self._fills:
            self._fills[key] = self.doc.styles.ensure_border_fill(
                border_color=_colour(GRID), border_width="0.12 mm", fill_color=colour,
                active_borders=None if borders else ())
        return self._fills[key]

    # --- paragraphs ---------------------------------------------------------------------

    def paragraph(self, value: str, run: str = "body", **shape: Any) -> Any:
        """One paragraph per line of `value` (a value may hold line breaks); the last is returned."""
        for line in value.split("\n"):
            paragraph = self.doc.add_paragraph(line, para_pr_id_ref=self.para(**shape),
                                               char_pr_id_ref=self.run(run), inherit_style=False)
            self._mark_break(paragraph)
        return paragraph

    def _mark_break(self, paragraph: Any) -> None:
        if self._page_break:
            paragraph.element.set("pageBreak", "1")
            self._page_break = False

    # --- tables -------------------------------------------------------------------------

    def table(self, rows: Sequence[Sequence[str]], widths: Sequence[float], *, width: int | None = None,
              cell_in: Any = None) -> Any:
        """A table of plain cells (filled in by the caller) across `width` (the text width)."""
        count = len(widths)
        width = width or self.width
        if cell_in is None:
            table = self.doc.add_table(len(rows), count, width=width, border_fill_id_ref=self.fill(None))
            self._mark_break(table.paragraph)
        else:
            table = cell_in.add_table(len(rows), count, width=width, border_fill_id_ref=self.fill(None))
        table.set_column_widths([max(w, 0.001) for w in widths])
        return table

    def cell(self, cell: Any, value: str, run: str = "cell", align: str = "l", fill: str | None = None,
             *, borders: bool = True, spacing: int = 130) -> None:
        lines = value.split("\n")
        paragraph = cell.paragraphs[0]
        shape = self.para(ALIGN[align], spacing=spacing)
        paragraph.para_pr_id_ref = shape
        paragraph.char_pr_id_ref = self.run(run)
        paragraph.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line, para_pr_id_ref=shape, char_pr_id_ref=self.run(run))
        cell.element.set("borderFillIDRef", self.fill(fill, borders=borders))

    def grid(self, block: b.Grid) -> None:
        if not block.rows and block.empty is not None:
            self.paragraph(block.empty, "note")
            return
        aligns = block.aligns or "l" * len(block.headers)
        rows = [block.headers, *block.rows, *([block.total] if block.total is not None else [])]
        table = self.table(rows, block.widths)
        table.element.set("repeatHeader", "1")  # the header row again on every page the table reaches
        header_fill, total_fill = _colour(HEADER_FILL), _colour(TOTAL_FILL)
        for index, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
            stop_if(self.cancelled)
            is_total = block.total is not None and index == len(rows) - 1
            for cell, value, align in zip(row.cells, values, aligns, strict=True):
                if index == 0:
                    cell.element.set("header", "1")
                    self.cell(cell, value, "bold", "c", header_fill)
                else:
                    self.cell(cell, value, "bold" if is_total else "cell", align, total_fill if is_total else None)
        self.gap()

    def fields(self, block: b.Fields) -> None:
        columns = block.columns
        pairs = list(block.pairs)
        rows = [pairs[i:i + columns] for i in range(0, len(pairs), columns)]
        label, value = 0.15, 1 / columns - 0.15
        table = self.table(rows, [label if i % 2 == 0 else value for i in range(2 * columns)])
        for row, row_pairs in zip(table.rows, rows, strict=True):
            cells = row.cells
            for index in range(columns):
                name, shown = row_pairs[index] if index < len(row_pairs) else ("", "")
                self.cell(cells[2 * index], name, "bold", "c", _colour(HEADER_FILL))
                self.cell(cells[2 * index + 1], text(shown) if name else "")
        self.gap()

    def gap(self) -> None:
        self.paragraph("", "small", spacing=100)

    # --- the title with its 결재란 -------------------------------------------------------

    def title(self, block: b.Title) -> None:
        if block.approval and block.approval.titles:
            boxes = len(block.approval.titles)
            side = _unit(9 + 19 * boxes + 2)
            outer = self.table([[block.text, ""]], [self.width - side, side])
            left, right = outer.rows[0].cells
            self.cell(left, block.text, "title", "c", borders=False, spacing=120)
            self.cell(right, "", borders=False)
            for cell in (left, right):
                cell.set_margins(left=0, right=0)
            self.approval(right, block.approval, side - _unit(2))
            right.paragraphs[0].remove()  # the cell holds the 결재란 alone
        else:
            self.paragraph(block.text, "title", align="CENTER", spacing=130, after=6)
        if block.subtitle:
            self.paragraph(block.subtitle, "subtitle", align="CENTER", after=8)
        if block.byline:
            self.paragraph("  |  ".join(f"{label}: {text(value)}" for label, value in block.byline), "note",
                           align="RIGHT", after=3)

    def approval(self, host: Any, approval: b.Approval, width: int) -> None:
        """결재란: a 결재 cell over two rows, then one box per title with room to sign."""
        count = len(approval.titles)
        table = self.table([[""] * (count + 1)] * 2, [9] + [19] * count, width=width, cell_in=host)
        table.element.find("{*}pos").set("horzAlign", "RIGHT")
        heights = (_unit(6), _unit(15))
        for row_index, row in enumerate(table.rows):
            for column, cell in enumerate(row.cells):
                shown = (t("결재") if column == 0 else approval.titles[column - 1]) if row_index == 0 else ""
                fill = _colour(HEADER_FILL) if row_index == 0 or column == 0 else None
                self.cell(cell, shown, "bold", "c", fill)
                cell.set_size(height=heights[row_index])
        table.merge_cells(0, 0, 1, 0)
        table.paragraph.para_pr_id_ref = self.para("RIGHT", spacing=100)

    # --- the rest -------------------------------------------------------------------------

    def box(self, value: str) -> None:
        table = self.table([[value]], [1])
        cell = table.rows[0].cells[0]
        self.cell(cell, text(value), "body", spacing=150)
        cell.set_margins(left=_unit(2), right=_unit(2), top=_unit(1.5), bottom=_unit(2))
        self.gap()

    def photos(self, block: b.Photos) -> None:
        if not block.photos:
            self.paragraph(block.empty or t("첨부된 사진이 없습니다."), "note")
            return
        from boeun_desk.reports.visit_record import PHOTO_ERRORS, printable_photo

        for photo in block.photos:
            try:
                if photo.path is None:
                    raise FileNotFoundError(photo.caption)
                image = printable_photo(photo.path)
            except PHOTO_ERRORS:
                self.paragraph(t("사진을 열 수 없습니다: {name}", name=photo.caption), "note")
                continue
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=88)
            scale = min(PHOTO_WIDTH_MM / image.width, PHOTO_MAX_HEIGHT_MM / image.height)
            picture = self.doc.add_picture(buffer.getvalue(), "jpg", width_mm=image.width * scale,
                                           height_mm=image.height * scale, align="CENTER")
            self._mark_break(picture.paragraph)
            self.paragraph(photo.caption, "note", align="CENTER", after=6)

    def signatures(self, block: b.Signatures) -> None:
        self.paragraph("", "body")
        share = 1 / len(block.lines)
        table = self.table([[""] * (2 * len(block.lines))], [w * share for _ in block.lines for w in (0.22, 0.78)])
        cells = table.rows[0].cells
        for index, (role, name) in enumerate(block.lines):
            self.cell(cells[2 * index], role, "bold", borders=False)
            self.cell(cells[2 * index + 1], f"{text(name)}   ____________________ {t('(서명 또는 인)')}",
                      borders=False)

    def contents(self, block: b.Contents) -> None:
        """목차 without page numbers: 한글 lays the pages out, not this program."""
        rows = [(str(number), part.title) for number, part in enumerate(block.parts, start=1)]
        table = self.table(rows, [0.08, 0.92])
        for row, (number, title) in zip(table.rows, rows, strict=True):
            self.cell(row.cells[0], number, "body", "r", borders=False)
            self.cell(row.cells[1], title, "body", borders=False)

    def blocks(self, blocks: Sequence[b.Block], *, top: bool = False) -> None:
        for index, block in enumerate(blocks):
            if top:  # the document's own blocks: a safe place to stop, a step done
                stop_if(self.cancelled)
                self.progress(index, len(blocks) + 1)
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if isinstance(block, b.Heading) and _empty(following):
                # A section with nothing to show is one line, as in the PDF: the heading, then its note.
                heading = self.paragraph(block.text, "section", before=12, after=3)
                heading.add_run("   " + following.empty, char_pr_id_ref=self.run("note"))
            elif not (_empty(block) and isinstance(blocks[index - 1] if index else None, b.Heading)):
                self.block(block)

    def block(self, block: b.Block) -> None:
        if isinstance(block, b.Title):
            self.title(block)
        elif isinstance(block, b.Heading):
            self.paragraph(block.text, "section", before=12, after=5, keep_next=True)
        elif isinstance(block, b.Fields):
            self.fields(block)
        elif isinstance(block, b.Grid):
            self.grid(block)
        elif isinstance(block, b.Text):
            self.paragraph(block.text, block.style)
        elif isinstance(block, b.Box):
            self.box(block.text)
        elif isinstance(block, b.Photos):
            self.photos(block)
        elif isinstance(block, b.Signatures):
            self.signatures(block)
        elif isinstance(block, b.Group):
            self.blocks(block.blocks)
        elif isinstance(block, b.PageBreak):
            self._page_break = True
        elif isinstance(block, b.Part):
            if self.on_part is not None:
                self.on_part(block)
            self._page_break = True
            self.paragraph(block.title, "note", align="RIGHT")
        elif isinstance(block, b.Contents):
            self.contents(block)
        else:  # pragma: no cover - a new block kind must be drawn here
            raise TypeError(f"unknown block {block!r}")

    # --- page frame and file --------------------------------------------------------------

    def frame(self) -> None:
        """Running header (program · title) and footer (print date, page / pages) on every page."""
        source = self.source
        header = self.doc.page.set_header(content=[{"align": "LEFT", "children": [
            {"type": "run", "text": f"{source.header}\t{source.title}", "size": 8, "font": FONT,
             "color": "#333333"}]}])
        footer = self.doc.page.set_footer(content=[{"align": "LEFT", "children": [
            {"type": "run", "text": t("출력일 {date}", date=day_text(source.printed)) + "\t", "size": 8, "font": FONT,
             "color": "#333333"},
            {"page_number": "page/total"},
            {"type": "run", "text": " " + t("쪽"), "size": 8, "font": FONT, "color": "#333333"}]}])
        for part in (header, footer):
            for paragraph in part.paragraphs:
                paragraph.para_pr_id_ref = self.para("LEFT", spacing=130, tab_right=True)
        # The page number as a number in the text only: 한글's own page-number control
        # (hp:pageNum) would print a second "- 1 -" at the foot of the page.
        for control in list(footer.element.iter("{*}pageNum")):
            run = control.getparent().getparent()
            run.getparent().remove(run)
        for run in footer.element.iter("{*}run"):
            if run.get("charPrIDRef") == "0":
                run.set("charPrIDRef", self.run("small"))

    def write(self, target: Any) -> None:
        total = len(self.source.blocks) + 1  # the save counts as one more step
        self.blocks(self.source.blocks, top=True)
        self.frame()
        stop_if(self.cancelled)
        self.progress(total - 1, total, stage=t("한글 문서(HWPX)로 저장하는 중"), stoppable=False)
        source = self.source
        # The library's blank document carries its own maker's metadata (마지막 저장한 사람
        # "synthetic-fixture-author", made in 2025-09): cleared, then this document's own.
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.doc.parts.clear_document_metadata(keep=("title", "language"), timestamp=now)
        self.doc.parts.set_document_metadata(title=source.title, creator=source.author or None,
                                             subject=source.subject or None,
                                             keyword=", ".join(source.keywords) or None,
                                             created_date=now, modified_date=now)
        try:
            if isinstance(target, str) or hasattr(target, "__fspath__"):  # a path: HWPX whatever its name
                with open(target, "wb") as handle:
                    self.doc.save_to_stream(handle, format="hwpx")
            else:
                self.doc.save_to_stream(target, format="hwpx")
        except HwpxSecurityError as error:  # the library's guard: a part over 64 MiB (~450 firm summaries)
            raise InvalidValue(too_big()) from error
        stop_if(self.cancelled)  # pressed during the save: the caller's scratch file is thrown away
        self.progress(total, total)


def _empty(block: b.Block | None) -> bool:
    """A table with no rows, printed as its note."""
    return isinstance(block, b.Grid) and not block.rows and block.empty is not None


def too_big() -> str:
    return t("내용이 너무 많아 한글 문서(HWPX) 한 파일에 담을 수 없습니다. PDF로 저장하거나(쪽수에 제한이 없습니다) "
             "나누어 저장하세요.")


def write_hwpx(document: b.Document, target: Any, *, progress: Progress | None = None,
               cancelled: IsCancelled | None = None, on_part: Callable[[b.Part], None] | None = None) -> None:
    """Draw a document as HWPX into a path or a binary file object (see HwpxWriter for `progress`,
    `cancelled` and `on_part`, called at each part of a combined document)."""
    HwpxWriter(document, progress=progress, cancelled=cancelled, on_part=on_part).write(target)
