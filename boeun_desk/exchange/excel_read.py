"""Reading the spreadsheets officers already keep: find the header row, map Korean header variants
to fields, fill merged cells, take formulas' saved results. File-level problems raise `SheetError`."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from boeun_desk.i18n import t
from boeun_desk.validation import Field

HEADER_SCAN_ROWS = 30
_NOISE = re.compile(r"\(.*?\)|\[.*?\]|[\s·.\-_/*:#]")


class SheetError(Exception):
    """The file cannot be read as a table of records; str() is Korean."""


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
    """The best table in the workbook: the sheet and row whose headers match the most fields."""
    try:
        workbook = load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        if path.suffix.lower() == ".xls":
            raise SheetError(t("예전 엑셀 형식(.xls)은 읽을 수 없습니다. 엑셀에서 .xlsx로 저장한 뒤 다시 가져오세요")) from error
        raise SheetError(t("엑셀(.xlsx) 파일이 아니거나 손상된 파일입니다: {path}", path=path.name)) from error
    best: tuple[int, Worksheet, int, dict[int, str]] | None = None
    for ws in workbook.worksheets:
        for row_number, values in enumerate(ws.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True), start=1):
            columns = _match_headers(values, headers)
            if set(required) <= set(columns.values()) and (best is None or len(columns) > best[0]):
                best = (len(columns), ws, row_number, columns)
    if best is None:
        raise SheetError(t("머리글 행을 찾을 수 없습니다. 처음 {n}행 안에 다음 열 제목이 있어야 합니다: {names}",
                           n=HEADER_SCAN_ROWS, names=", ".join(required_labels)))
    _score, ws, header_row, columns = best
    return _rows(path, ws, header_row, columns)


def _match_headers(values: Sequence[Any], headers: Mapping[str, str]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, value in enumerate(values):
        name = headers.get(normalize_header(value)) if value is not None else None
        if name and name not in columns.values():
            columns[index] = name
    return columns


def _rows(path: Path, ws: Worksheet, header_row: int, columns: dict[int, str]) -> SheetRows:
    header_cells = next(ws.iter_rows(min_row=header_row, max_row=header_row, values_only=True))
    result = SheetRows(header_row, ws.title, columns,
                       {name: str(header_cells[index]).strip() for index, name in columns.items()})
    result.ignored = [str(v).strip() for i, v in enumerate(header_cells) if v is not None and i not in columns]
    grid = {}
    formulas = []
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            index = cell.column - 1
            if index in columns and cell.value is not None:
                grid[(cell.row, index)] = cell.value
                if cell.data_type == "f":
                    formulas.append((cell.row, index))
    if formulas:
        _saved_results(path, ws.title, grid, formulas, result)
    result.merged = _fill_merged(ws, header_row, columns, grid)
    rows: dict[int, dict[str, Any]] = {}
    for (row_number, index), value in grid.items():
        rows.setdefault(row_number, {})[columns[index]] = value
    result.rows = sorted(rows.items())
    return result


def _saved_results(path: Path, title: str, grid: dict[tuple[int, int], Any],
                   formulas: list[tuple[int, int]], result: SheetRows) -> None:
    """Formulas count by the result Excel saved with them; without one the cell cannot be trusted."""
    ws = load_workbook(path, data_only=True, read_only=True)[title]
    wanted = {row for row, _ in formulas}
    saved = {}
    for row in ws.iter_rows(min_row=min(wanted), max_row=max(wanted)):
        for cell in row:
            if getattr(cell, "row", None) in wanted:
                saved[(cell.row, cell.column - 1)] = cell.value
    for key in formulas:
        value = saved.get(key)
        if value is None:
            del grid[key]
            result.formula_gaps.append((key[0], result.columns[key[1]]))
        else:
            grid[key] = value


def _fill_merged(ws: Worksheet, header_row: int, columns: dict[int, str],
                 grid: dict[tuple[int, int], Any]) -> int:
    """A merged block in the data reads as its value in every cell it covers, as the officer sees it."""
    filled = 0
    for merged in ws.merged_cells.ranges:
        if merged.min_row <= header_row:
            continue
        value = grid.get((merged.min_row, merged.min_col - 1))
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col - 1, merged.max_col):
                if col in columns and value is not None:
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
