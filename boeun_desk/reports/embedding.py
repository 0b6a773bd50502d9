"""What every PDF carries besides its text: the subsets of the Hangul font and the compressed
streams, made cheaper to write for batches of a thousand documents. Nothing here changes what a
reader sees: the same glyphs are embedded, and Flate streams decompress to the same bytes at any
level.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTFont

# zlib's level 1 rather than ReportLab's default 6. Most of a document's ~170 KB of streams are the two
# font subsets, whose Hangul glyph outlines hardly compress: level 6 spent ~6.4 ms a firm summary on
# them, level 1 ~3.5 ms, for files of 97 KB instead of 91 KB.
FLATE_LEVEL = 1


class Flate(pdfdoc.PDFStreamFilterZCompress):
    """ReportLab's Flate filter (the same /FlateDecode streams) at FLATE_LEVEL."""

    def encode(self, text: bytes | str) -> bytes:
        if isinstance(text, str):
            text = text.encode("utf8")
        return zlib.compress(text, FLATE_LEVEL)


FLATE = Flate()


def use_flate() -> None:
    """Make FLATE the filter of the streams ReportLab compresses (pages, font subsets, ToUnicode maps).

    ReportLab has no setting for the level; it takes its one filter object from the module attribute
    `pdfdoc.PDFZCompress` each time it sets a stream's filters, so that attribute is set to ours
    (a subclass: decoding and the filter's name are ReportLab's). zlib itself is left alone."""
    pdfdoc.PDFZCompress = FLATE


def keep_tables(font: TTFont) -> None:
    """Read each table of the font file once: ReportLab's subsetting asks for the `glyf` table (4 MB
    of NanumGothic) by slicing it out of the file's bytes, a fresh copy for every document. The
    tables are bytes, which no one can change, so one copy serves every subset."""
    face = font.face
    if getattr(face, "_boeun_tables", None) is not None:
        return
    tables: dict[str, bytes] = {}
    read: Callable[[str], bytes] = face.get_table

    def get_table(tag: str) -> bytes:
        if tag not in tables:
            tables[tag] = read(tag)
        return tables[tag]

    face._boeun_tables = tables
    face.get_table = get_table
