"""Reading the spreadsheets officers already keep: find the header row, map Korean header variants
to fields, fill merged cells, take formulas' saved results. What is hidden (sheets, rows, columns) is
not read but reported. File-level problems raise `SheetError`; `excel_package` checks the file first."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from boeun_desk.exchange.excel_package import (
    MAX_CELLS,
    MAX_ROWS,
    SheetError,
    check_package,
    not_xlsx,
    too_large,
)
from boeun_desk.i18n import t
from boeun_desk.validation import Field

__all__ = ["SheetError", "SheetRows", "header_map", "normalize_header", "plain", "read_sheet"]

HEADER_SCAN_ROWS = 30
HEADER_SCAN_COLUMNS = 256  # the header is looked for in columns A..IV (older Excel's whole width)
_NOISE = re.compile(r"\(.*?\)|\[.*?\]|[\s·.\-_/*:#]")
# What openpyxl raises on a file it cannot make sense of (with defusedxml installed, its refusals are
# ValueErrors); excel_package has already refused what it can recognise.
_UNREADABLE = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, ParseError,
               EOFError)


@dataclass
class SheetRows:
    """Data rows as {field: raw value}, keyed by their Excel row number."""

    header_row: int
    sheet: str
    columns: dict[int, str]  # column index -> field
    headers: dict[str, str]  # field -> header text as written in the file
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    formula_gaps: list[tuple[int, str]] = field(default_factory=list)  # (row, field) without a saved result
    merged: int = 0
    hidden_sheets: list[str] = field(default_factory=list)  # other sheets that hold something
    hidden_rows: list[int] = field(default_factory=list)  # data rows with values, not read
    hidden_columns: list[str] = field(default_factory=list)  # their header text (or letter), not read


def normalize_header(value: Any) -> str:
    return _NOISE.sub("", str(value)).lower()


def header_map(schema: Sequence[Field], aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Normalized header text -> field: the schema's labels (Korean and English) and the aliases."""
    mapping = {}
    for spec in schema:
        for text in (spec.label, t(spec.label), *aliases.get(spec.name, ())):
            mapping.setdefault(normalize_header(text), spec.name)
    return mapping


def read_sheet(path: Path, headers: Mapping[str, str], required: Sequence[str],
               required_labels: Sequence[str]) -> SheetRows:
    """The best table on the visible sheets: the sheet and row whose headers match the most fields."""
    check_package(path)
    workbook = _load(path, data_only=False)
    visible = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
    best = _find_table(visible, headers, required, hidden_too=False)
    if best is None:
        hidden = _find_table(workbook.worksheets, headers, required, hidden_too=True)
        if hidden is not None:
            raise SheetError(t("표가 숨겨진 시트나 행·열에 있습니다 (시트 {sheet}). 엑셀에서 숨기기를 취소한 뒤 "
                               "다시 가져오세요", sheet=hidden[1].title))
        raise SheetError(t("머리글 행을 찾을 수 없습니다. 처음 {n}행 안에 다음 열 제목이 있어야 합니다: {names}",
                           n=HEADER_SCAN_ROWS, names=", ".join(required_labels)))
    _score, ws, header_row, columns = best
    data_rows = ws.max_row - header_row
    if data_rows > MAX_ROWS:
        raise too_large(t("{part}에 행이 {limit}개를 넘습니다", part=ws.title, limit=f"{MAX_ROWS:,}"))
    if data_rows * (max(columns) - min(columns) + 1) > MAX_CELLS:
        raise too_large(t("셀이 {limit}개를 넘습니다", limit=f"{MAX_CELLS:,}"))
    result = _rows(path, ws, header_row, columns)
    result.hidden_sheets = [other.title for other in workbook.worksheets
                            if other.sheet_state != "visible" and _has_cells(other)]
    return result


def _load(path: Path, **options: bool) -> Workbook:
    try:
        return load_workbook(path, **options)
    except _UNREADABLE as error:
        raise not_xlsx(path) from error


def _find_table(sheets: Iterable[Worksheet], headers: Mapping[str, str], required: Sequence[str], *,
                hidden_too: bool) -> tuple[int, Worksheet, int, dict[int, str]] | None:
    best: tuple[int, Worksheet, int, dict[int, str]] | None = None
    for ws in sheets:
        skip_rows, skip_columns = (set(), set()) if hidden_too else (_hidden_rows(ws), _hidden_columns(ws))
        scan = ws.iter_rows(max_row=HEADER_SCAN_ROWS, max_col=min(ws.max_column, HEADER_SCAN_COLUMNS),
                            values_only=True)
        for row_number, values in enumerate(scan, start=1):
            if row_number in skip_rows:
                continue
            columns = _match_headers(values, headers, skip_columns)
            if set(required) <= set(columns.values()) and (best is None or len(columns) > best[0]):
                best = (len(columns), ws, row_number, columns)
    return best


def _match_headers(values: Sequence[Any], headers: Mapping[str, str], skip: set[int]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, value in enumerate(values):
        name = headers.get(normalize_header(value)) if value is not None and index not in skip else None
        if name and name not in columns.values():
            columns[index] = name
    return columns


def _hidden_rows(ws: Worksheet) -> set[int]:
    return {number for number, dimension in ws.row_dimensions.items() if dimension.hidden}


def _hidden_columns(ws: Worksheet) -> set[int]:
    """0-based indexes; one dimension entry may hide a range of columns."""
    hidden: set[int] = set()
    for letter, dimension in ws.column_dimensions.items():
        if dimension.hidden:
            first = dimension.min or column_index_from_string(letter)
            hidden.update(range(first - 1, min(dimension.max or first, HEADER_SCAN_COLUMNS)))
    return hidden


def _has_cells(ws: Worksheet) -> bool:
    return ws.max_row > 1 or ws.max_column > 1 or ws.cell(1, 1).value is not None


def _rows(path: Path, ws: Worksheet, header_row: int, columns: dict[int, str]) -> SheetRows:
    header_cells = next(ws.iter_rows(min_row=header_row, max_row=header_row,
                                     max_col=min(ws.max_column, HEADER_SCAN_COLUMNS), values_only=True))
    result = SheetRows(header_row, ws.title, columns,
                       {name: str(header_cells[index]).strip() for index, name in columns.items()})
    hidden_columns = _hidden_columns(ws)
    result.ignored = [str(v).strip() for i, v in enumerate(header_cells)
                      if v is not None and i not in columns and i not in hidden_columns]
    result.hidden_columns = [str(header_cells[i]).strip() if header_cells[i] is not None else get_column_letter(i + 1)
                             for i in sorted(hidden_columns) if i < len(header_cells)
                             and (header_cells[i] is not None or _column_has_values(ws, header_row, i))]
    hidden_rows = _hidden_rows(ws)
    grid = {}
    formulas = []
    for row in ws.iter_rows(min_row=header_row + 1, min_col=min(columns) + 1, max_col=max(columns) + 1):
        for cell in row:
            index = cell.column - 1
            if index in columns and cell.value is not None:
                if cell.row in hidden_rows:
                    result.hidden_rows.append(cell.row)
                    continue
                grid[(cell.row, index)] = cell.value
                if cell.data_type == "f":
                    formulas.append((cell.row, index))
    result.hidden_rows = sorted(set(result.hidden_rows))
    if formulas:
        _saved_results(path, ws.title, grid, formulas, result)
    result.merged = _fill_merged(ws, header_row, columns, grid, hidden_rows)
    rows: dict[int, dict[str, Any]] = {}
    for (row_number, index), value in grid.items():
        rows.setdefault(row_number, {})[columns[index]] = value
    result.rows = sorted(rows.items())
    return result


def _column_has_values(ws: Worksheet, header_row: int, index: int) -> bool:
    cells = ws.iter_cols(min_col=index + 1, max_col=index + 1, min_row=header_row, values_only=True)
    return any(value is not None for column in cells for value in column)


def _saved_results(path: Path, title: str, grid: dict[tuple[int, int], Any],
                   formulas: list[tuple[int, int]], result: SheetRows) -> None:
    """Formulas count by the result Excel saved with them; without one the cell cannot be trusted."""
    ws = _load(path, data_only=True, read_only=True)[title]
    wanted = {row for row, _ in formulas}
    saved = {}
    try:
        for row in ws.iter_rows(min_row=min(wanted), max_row=max(wanted)):
            for cell in row:
                if getattr(cell, "row", None) in wanted:
                    saved[(cell.row, cell.column - 1)] = cell.value
    except _UNREADABLE as error:
        raise not_xlsx(path) from error
    for key in formulas:
        value = saved.get(key)
        if value is None:
            del grid[key]
            result.formula_gaps.append((key[0], result.columns[key[1]]))
        else:
            grid[key] = value


def _fill_merged(ws: Worksheet, header_row: int, columns: dict[int, str],
                 grid: dict[tuple[int, int], Any], hidden_rows: set[int]) -> int:
    """A merged block in the data reads as its value in every cell it covers, as the officer sees it."""
    filled = 0
    for merged in ws.merged_cells.ranges:
        if merged.min_row <= header_row:
            continue
        value = grid.get((merged.min_row, merged.min_col - 1))
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col - 1, merged.max_col):
                if col in columns and value is not None and row not in hidden_rows:
                    grid[(row, col)] = value
        filled += 1
    return filled


def plain(value: Any) -> Any:
    """Spreadsheet cell value -> what the validators expect (whole floats as ints, text trimmed)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime | date | int | float | bool):
        return value
    return str(value)
