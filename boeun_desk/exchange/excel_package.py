"""Check an .xlsx package before openpyxl builds anything from it.

openpyxl trusts the file: it inflates every part, parses XML with whatever the standard library allows
(a DOCTYPE with entities included) and makes a Python object for every cell, merged cell and shared
string. Here the zip directory and each XML part are read once, streaming, with a parser that refuses
any DOCTYPE (Office Open XML never has one, so a file with one was not written by a spreadsheet program)
and counts what openpyxl would make, so a hostile or absurd file is refused with a Korean reason before
it costs memory.

defusedxml is not a dependency: every part that could parse as XML has passed the refusals here, and the
standard library never fetches external entities; with it openpyxl loaded 14% slower (measured).
"""

from __future__ import annotations

import pyexpat
import zipfile
from pathlib import Path

from openpyxl.utils.cell import range_boundaries

from boeun_desk.i18n import t

# Limits, far above what an officer's list holds (a few thousand rows of 10-30 columns) and below what
# hurts a laptop: openpyxl needs about 0.5 KB and 14 µs per cell (measured: 1,000,000 cells loaded in
# 13.7 s into 500 MB), so 500,000 cells (25,000 rows of 20 columns) cost at most ~250 MB and ~7 s.
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all parts together, by the sizes the zip directory declares
MAX_CELLS = 500_000  # cells, merged-cell areas and shared strings, over all sheets (openpyxl loads all)
MAX_ROWS = 100_000  # rows of one sheet
MAX_PARTS = 10_000  # files inside the zip
# Spreadsheet XML inflates 5-20 times (measured on openpyxl and Excel files); a big part inflating more
# than BOMB_RATIO times is repeated filler made to be inflated, refused from the directory alone.
BOMB_RATIO = 100
BOMB_MIN_SIZE = 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx (an OLE file around the zip)
_CHUNK = 1 << 16
_TOO_LARGE_HINT = "필요한 시트와 행만 새 파일로 저장해 가져오세요"


class SheetError(Exception):
    """The file cannot be read as a table of records; str() is Korean."""


class _Refused(Exception):
    """Raised from inside the XML parser's callbacks; carries the SheetError to raise."""

    def __init__(self, error: SheetError) -> None:
        self.error = error


def too_large(reason: str) -> SheetError:
    return SheetError(t("엑셀 파일이 너무 큽니다: {reason}. {hint}", reason=reason, hint=t(_TOO_LARGE_HINT)))


def old_xls() -> SheetError:
    return SheetError(t("예전 엑셀 형식(.xls)은 읽을 수 없습니다. 엑셀에서 .xlsx로 저장한 뒤 다시 가져오세요"))


def encrypted(path: Path) -> SheetError:
    return SheetError(t("암호가 걸린 엑셀 파일은 읽을 수 없습니다. 엑셀에서 암호를 해제하고 저장한 뒤 다시 가져오세요: "
                        "{path}", path=path.name))


def not_xlsx(path: Path) -> SheetError:
    if path.suffix.lower() == ".xls":
        return old_xls()
    return SheetError(t("엑셀(.xlsx) 파일이 아니거나 손상된 파일입니다: {path}", path=path.name))


def damaged(part: str, line: int) -> SheetError:
    return SheetError(t("엑셀 파일이 손상되었습니다: 안의 {part} {line}번째 줄을 읽을 수 없습니다. 엑셀에서 열어 "
                        "다시 저장한 뒤 가져오세요", part=part, line=line))


def check_package(path: Path) -> None:
    """Raise SheetError unless `path` is an unencrypted .xlsx within the limits with well-formed XML."""
    try:
        with path.open("rb") as file:
            head = file.read(len(_OLE_MAGIC))
    except OSError as error:
        raise SheetError(t("파일을 열 수 없습니다: {path}", path=path.name)) from error
    if not head:
        raise SheetError(t("빈 파일입니다 (0바이트). 엑셀(.xlsx) 파일을 고르세요: {path}", path=path.name))
    if head == _OLE_MAGIC:
        raise encrypted(path) if _names_stream(path, "EncryptedPackage") else old_xls()
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError) as error:
        raise not_xlsx(path) from error  # a damaged zip, or one whose parts do not match their CRC


def _names_stream(path: Path, name: str) -> bool:
    """Whether an OLE compound file's directory names `name` (entries are UTF-16 names)."""
    needle = name.encode("utf-16-le")
    tail = b""
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle):]
    return False


def _check_archive(archive: zipfile.ZipFile) -> None:
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise too_large(t("안에 든 파일이 {limit}개를 넘습니다", limit=f"{MAX_PARTS:,}"))
    if any(info.flag_bits & 0x1 for info in parts):  # zip-level encryption
        raise encrypted(Path(archive.filename or ""))
    total = sum(info.file_size for info in parts)
    if total > MAX_UNCOMPRESSED:
        raise too_large(t("압축을 풀면 {size}MB로 한도 {limit}MB를 넘습니다", size=f"{total // 2**20:,}",
                          limit=MAX_UNCOMPRESSED // 2**20))
    for info in parts:
        if info.file_size > BOMB_MIN_SIZE and info.file_size > BOMB_RATIO * max(info.compress_size, 1):
            raise too_large(t("안의 {part}이(가) 압축을 풀면 {ratio}배로 부풀어 정상적인 엑셀 파일이 아닙니다",
                              part=info.filename, ratio=f"{info.file_size // max(info.compress_size, 1):,}"))
    counter = _Counter()
    for info in parts:
        if not info.is_dir():
            _parse(archive, info, counter)


class _Counter:
    """What openpyxl would make objects for, over the whole workbook."""

    def __init__(self) -> None:
        self.cells = 0

    def add(self, count: int) -> None:
        self.cells += count
        if self.cells > MAX_CELLS:
            raise _Refused(too_large(t("셀이 {limit}개를 넘습니다", limit=f"{MAX_CELLS:,}")))


def _parse(archive: zipfile.ZipFile, info: zipfile.ZipInfo, counter: _Counter) -> None:
    """Stream one part through expat if it is XML; refuse a DOCTYPE and count cells and rows.

    A part is XML when it starts with '<' (after a byte order mark or spaces): only such a part can
    parse, so openpyxl never parses XML that was not checked here. The zip module stops inflating
    at the declared size, so the limits above hold even if the directory lies."""
    rows = 0

    def start(name: str, attributes: list[str]) -> None:
        nonlocal rows
        local = name[name.rfind(":") + 1:]
        if local in ("c", "si"):
            counter.add(1)
        elif local == "row":
            rows += 1
            if rows > MAX_ROWS:
                raise _Refused(too_large(t("{part}에 행이 {limit}개를 넘습니다", part=info.filename,
                                           limit=f"{MAX_ROWS:,}")))
        elif local == "mergeCell":
            ref = dict(zip(attributes[::2], attributes[1::2], strict=True)).get("ref", "")
            try:  # openpyxl makes a MergedCell object for every cell a merged range covers
                min_col, min_row, max_col, max_row = range_boundaries(ref)
            except (ValueError, TypeError):
                return
            counter.add((max_col - min_col + 1) * (max_row - min_row + 1) if max_col and max_row else 1)

    def doctype(*_args: object) -> None:
        raise _Refused(SheetError(t("엑셀 파일 안의 {part}에 DOCTYPE/ENTITY 선언이 있어 읽지 않았습니다. 엑셀이 "
                                    "만든 파일이 아닙니다. 엑셀에서 열어 다시 저장한 뒤 가져오세요",
                                    part=info.filename)))

    parser = pyexpat.ParserCreate()
    parser.ordered_attributes = True
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.ExternalEntityRefHandler = doctype
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    with archive.open(info) as stream:
        first = stream.read(_CHUNK)
        if not _looks_like_xml(first):
            return
        try:
            chunk = first
            while chunk:
                parser.Parse(chunk, False)
                chunk = stream.read(_CHUNK)
            parser.Parse(b"", True)
        except _Refused as refused:
            raise refused.error from None
        except pyexpat.ExpatError as error:
            if not info.filename.lower().endswith(".vml"):  # Excel writes comments' VML as loose HTML
                raise damaged(info.filename, error.lineno) from error


def _looks_like_xml(first: bytes) -> bool:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        first = first.removeprefix(bom)
    text = first.lstrip(b" \t\r\n\x00")
    return text.startswith(b"<")
