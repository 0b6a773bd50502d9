"""What makes each PDF cheaper to draw changes nothing a reader sees: the measure of a heading's
first rows, the font tables read once, the Flate level."""

from __future__ import annotations

import zlib

import pytest

from boeun_desk.reports import blocks as b

LONG = "보은 대추를 원료로 한 저당 대추즙 시제품 제작과 영양성분 분석, 포장 디자인 개선 " * 6


@pytest.mark.parametrize("rows", [
    [["2024", "시제품", "12,000"]],
    [["2024", "시제품", "12,000"], ["2025", LONG, "1"], ["2026", "둘째 줄\n셋째 줄", ""]],
    [["", "", ""], ["<b>&", "  빈칸 \t 여럿 ", "3"], ["x", LONG * 4, "4"], ["다음", "행", "5"]],
])
@pytest.mark.parametrize("total", [None, ("합계", "2건", "12,001")])
def test_first_rows_are_measured_as_a_table_of_them_would_be(rows, total):
    """A heading keeps with its table's header and first rows: their height, read from the cells of
    the table itself, is the height of a table of only those rows (the measure before), exactly."""
    from boeun_desk.reports.base import (
        CONTENT_WIDTH,
        KEEP_ROWS,
        PAGE_HEIGHT,
        _start_height,
        fields_table,
        register_fonts,
        table,
    )
    from boeun_desk.reports.measure import rows_height

    register_fonts()
    headers, widths = ("연도", "내용", "금액"), (0.15, 0.6, 0.25)
    shown = min(KEEP_ROWS, len(rows))
    before = table(headers, rows[:KEEP_ROWS], widths, aligns="clr").wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1]
    whole = table(headers, rows, widths, aligns="clr", total=total)
    assert rows_height(whole, 1 + shown) == before
    assert _start_height(b.Grid(headers, tuple(map(tuple, rows)), widths, "clr", total=total)) == before
    pairs = tuple((f"항목{i}", row[1]) for i, row in enumerate(rows))
    first = fields_table(pairs[:2]).wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1]
    assert rows_height(fields_table(pairs), 1) == first == _start_height(b.Fields(pairs))


def test_font_tables_are_read_once_and_streams_are_flate():
    from reportlab.pdfbase import pdfdoc, pdfmetrics

    from boeun_desk.reports.base import FONT, FONT_BOLD, register_fonts
    from boeun_desk.reports.embedding import FLATE

    register_fonts()
    for name in (FONT, FONT_BOLD):
        face = pdfmetrics.getFont(name).face
        glyf = face.get_table("glyf")
        assert face.get_table("glyf") is glyf  # no copy of the 4 MB table per document
        start, length = face.get_table_pos("glyf")
        assert glyf == face._ttf_data[start:start + length]
    assert pdfdoc.PDFZCompress is FLATE and FLATE.pdfname == "FlateDecode"
    assert zlib.decompress(FLATE.encode("보은 " * 100)) == ("보은 " * 100).encode()


def test_a_summary_is_drawn_the_same_with_its_streams_flate(demo, tmp_path):
    """Every stream of a drawn summary is FlateDecode and inflates; the text is all there."""
    from pypdf import PdfReader

    from boeun_desk.reports import api

    firm = demo.firms.list()[0]
    path = api.render_firm_summary(demo, firm.id, tmp_path / "s.pdf")
    reader = PdfReader(path)
    text = "".join(page.extract_text() for page in reader.pages)
    assert firm.name.replace(" ", "") in text.replace(" ", "")
    streams = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            descriptor = ref.get_object().get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                stream = descriptor.get_object()["/FontFile2"].get_object()
                streams[id(stream)] = stream
    assert len(streams) >= 2  # regular and bold
    for stream in streams.values():
        assert list(stream["/Filter"]) == ["/FlateDecode"]
        assert len(stream.get_data()) == stream["/Length1"]  # the whole subset inflates back


@pytest.mark.parametrize("markup", [
    "보은 대추", "  앞뒤 공백  ", "탭\t과  여러   칸", "줄\n바꿈은 한 칸으로", "x", "1,234,567", "(주)보은농산 / 대추·배",
    "ﬁ ligature ½ — “따옴표” 'single' \"double\"", "\u3000전각 공백\u3000", "nbsp\u00a0inside", LONG,
    "a&amp;b", "<b>굵게</b>", "  ", "",
])
def test_a_paragraph_made_without_the_parser_is_the_parsed_one(markup):
    from reportlab.platypus import Paragraph

    from boeun_desk.reports.base import Styles, paragraph, register_fonts

    register_fonts()
    for style in (Styles.cell, Styles.head, Styles.section, Styles.title, Styles.total_right):
        parsed, made = Paragraph(markup, style), paragraph(markup, style)
        assert made.text == parsed.text and made.style is parsed.style and made.bulletText == parsed.bulletText
        assert [f.__dict__ for f in made.frags] == [f.__dict__ for f in parsed.frags]
        for width in (40, 400):
            assert made.wrap(width, 800) == parsed.wrap(width, 800)
            assert repr(made.blPara) == repr(parsed.blPara)  # the same lines of the same words


def test_font_subsets_are_reportlabs_byte_for_byte():
    """Subsets made with each glyph's components read once are ReportLab's own, for Hangul (built
    from component glyphs), Latin, digits, characters the font lacks and a full 256."""
    import random

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFontFile

    from boeun_desk.reports.base import FONT, FONT_BOLD, register_fonts

    register_fonts()
    random.seed(7)
    for name in (FONT, FONT_BOLD):
        face = pdfmetrics.getFont(name).face
        codes = sorted(face.charToGlyph)
        hangul = [c for c in codes if 0xAC00 <= c <= 0xD7A3]
        subsets = [[32, *range(48, 58), *range(65, 91)], [0xE000, 0x10FFFF - 1, 32, 0xAC00],
                   [32, *sorted(random.sample(hangul, 200))], random.sample(codes, 256), [32]]
        for subset in subsets:
            assert face.makeSubset(subset) == TTFontFile.makeSubset(face, subset)
