"""What every PDF carries besides its text: the subsets of the Hangul font and the compressed
streams, made cheaper to write for batches of a thousand documents. Nothing here changes what a
reader sees: the same glyphs are embedded, and Flate streams decompress to the same bytes at any
level.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Callable, Sequence
from struct import pack, pack_into, unpack_from
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import (
    GF_ARG_1_AND_2_ARE_WORDS,
    GF_MORE_COMPONENTS,
    GF_WE_HAVE_A_SCALE,
    GF_WE_HAVE_A_TWO_BY_TWO,
    GF_WE_HAVE_AN_X_AND_Y_SCALE,
    TTFont,
    TTFontMaker,
    _set_ushort,
)

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
    """The font's tables read once, and its subsets made by `make_subset`."""
    _keep_tables(font)
    face = font.face
    components: dict[int, tuple[tuple[int, int], ...]] = {}
    face.makeSubset = lambda subset: make_subset(face, subset, components)


def _keep_tables(font: TTFont) -> None:
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


def _components(face: Any, glyph: int) -> tuple[tuple[int, int], ...]:
    """(offset in the glyph, glyph index) of each component of a composite glyph; () for a simple
    one. NanumGothic draws most Hangul syllables from component glyphs."""
    data, start = face._ttf_data, face.get_table_pos("glyf")[0]
    position, length = face.glyphPos[glyph], face.glyphPos[glyph + 1] - face.glyphPos[glyph]
    if not length or unpack_from(">h", data, start + position)[0] >= 0:
        return ()
    found = []
    at = 10  # numberOfContours and the bounding box
    flags = GF_MORE_COMPONENTS
    while flags & GF_MORE_COMPONENTS:
        flags, index = unpack_from(">HH", data, start + position + at)
        found.append((at + 2, index))
        at += 4 + (4 if flags & GF_ARG_1_AND_2_ARE_WORDS else 2)
        if flags & GF_WE_HAVE_A_SCALE:
            at += 2
        elif flags & GF_WE_HAVE_AN_X_AND_Y_SCALE:
            at += 4
        elif flags & GF_WE_HAVE_A_TWO_BY_TWO:
            at += 8
    return tuple(found)


def make_subset(face: Any, subset: Sequence[int], components: dict[int, tuple[tuple[int, int], ...]]) -> bytes:
    """ReportLab 5.1's `TTFontFile.makeSubset`, byte for byte (tests/test_reports_cost.py compares
    them), with each glyph's components read once per process (`components`) rather than walked
    field by field for every document: it spent ~3 ms a subset, two subsets a document."""
    output = TTFontMaker()
    glyph_map = [0]  # new glyph index -> old glyph index
    glyph_set = {0: 0}  # old glyph index -> new glyph index
    code_to_glyph = {}  # unicode -> new glyph index
    char_to_glyph = face.charToGlyph
    for code in subset:
        original = char_to_glyph.get(code, 0)
        if original not in glyph_set:
            glyph_set[original] = len(glyph_map)
            glyph_map.append(original)
        code_to_glyph[code] = glyph_set[original]
    # The glyphs that are parts of composite glyphs, too.
    n = 0
    while n < len(glyph_map):
        glyph = glyph_map[n]
        n += 1
        parts = components.get(glyph)
        if parts is None:
            parts = components[glyph] = _components(face, glyph)
        for _at, index in parts:
            if index not in glyph_set:
                glyph_set[index] = len(glyph_map)
                glyph_map.append(index)

    for tag in ("name", "OS/2", "cvt ", "fpgm", "prep"):  # copied as they are
        with contextlib.suppress(KeyError):  # cvt, fpgm and prep are optional
            output.add(tag, face.get_table(tag))
    output.add("post", b"\x00\x03\x00\x00" + face.get_table("post")[4:16] + b"\x00" * 16)
    count = len(glyph_map)

    hmtx: list[int] = []
    for glyph in glyph_map:
        advance, bearing = face.hmetrics[glyph]
        hmtx += (int(advance), int(bearing))
    n = len(hmtx) - 2  # full metric pairs up to the run of equal advances at the end
    while n and hmtx[n] == hmtx[n - 2]:
        n -= 2
    n += 2
    metrics = n >> 1
    hmtx = hmtx[:n] + hmtx[n + 1::2]
    output.add("hmtx", pack(f">{len(hmtx)}H", *hmtx))
    output.add("hhea", _set_ushort(face.get_table("hhea"), 34, metrics))
    output.add("maxp", _set_ushort(face.get_table("maxp"), 4, count))

    cmap = [0, 1, 1, 0, 0, 12, 6, 10 + len(subset) * 2, 0, 0, len(subset), *map(code_to_glyph.get, subset)]
    output.add("cmap", pack(f">{len(cmap)}H", *cmap))

    glyph_data = face.get_table("glyf")
    positions = face.glyphPos
    offsets = []
    glyf = []
    pos = 0
    for glyph in glyph_map:
        offsets.append(pos)
        start = positions[glyph]
        length = positions[glyph + 1] - start
        data = glyph_data[start:start + length]
        if length > 2 and components[glyph]:  # composite: its components' new indices
            changed = bytearray(data)
            for at, index in components[glyph]:
                pack_into(">H", changed, at, glyph_set[index])
            data = bytes(changed)
        glyf.append(data)
        pos += length
        if pos % 4:
            glyf.append(b"\0" * (4 - pos % 4))
            pos += 4 - pos % 4
    offsets.append(pos)
    output.add("glyf", b"".join(glyf))

    if (pos + 1) >> 1 > 0xFFFF:
        index_format = 1
        output.add("loca", pack(f">{len(offsets)}L", *offsets))
    else:
        index_format = 0
        output.add("loca", pack(f">{len(offsets)}H", *(x >> 1 for x in offsets)))
    output.add("head", _set_ushort(face.get_table("head"), 50, index_format))
    return output.makeStream()
