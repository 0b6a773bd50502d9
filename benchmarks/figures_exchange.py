"""Exchange figures: Excel export of every case against bare dumps of the same rows by each writer.

The export writes with xlsxwriter (constant_memory); its bare dump of the raw rows is the export's
baseline. The other writers are measured beside it so a choice of writer can be checked here:
openpyxl write-only (the old writer), and a Rust-backed writer (rustpy-xlsxwriter) where it is installed.
Every dump writes real date cells, `#,##0` numbers and Korean headers, as the export does.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import date
from pathlib import Path

from benchmarks.common import Context, Figure, figure
from boeun_desk.exchange.excel_export import OPTIONS, export_workbook
from boeun_desk.storage.engine import open_database

_DATES = ("start_date", "end_date")
_AMOUNTS = ("grant_national", "grant_provincial", "grant_county", "firm_cash", "firm_in_kind")


def _rows(db_path: Path) -> tuple[list[str], list[list[object]]]:
    """The cases as the export sees them (dates as dates), read before any dump is timed."""
    connection = sqlite3.connect(db_path)
    cursor = connection.execute("SELECT * FROM support_case WHERE deleted_at IS NULL")
    columns = [d[0] for d in cursor.description]
    at = [columns.index(name) for name in _DATES]
    rows = []
    for raw in cursor:
        row = list(raw)
        for index in at:
            if row[index]:
                row[index] = date.fromisoformat(row[index][:10])
        rows.append(row)
    connection.close()
    return [f"열 {name}" for name in columns], rows  # Korean headers


def _xlsxwriter_dump(path: Path, header: list[str], rows: list[list[object]]) -> None:
    from xlsxwriter import Workbook

    workbook = Workbook(str(path), OPTIONS)
    ws = workbook.add_worksheet("지원사례")
    formats = {index: workbook.add_format({"num_format": "yyyy-mm-dd" if name[2:] in _DATES else "#,##0"})
               for index, name in enumerate(header) if name[2:] in _DATES + _AMOUNTS}
    ws.write_row(0, 0, header, workbook.add_format({"bold": True}))
    for number, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is not None:
                ws.write(number, col, value, formats.get(col))
    workbook.close()


def _openpyxl_dump(path: Path, header: list[str], rows: list[list[object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("지원사례")
    formats = {index: "yyyy-mm-dd" if name[2:] in _DATES else "#,##0"
               for index, name in enumerate(header) if name[2:] in _DATES + _AMOUNTS}
    ws.append(header)
    for row in rows:
        cells = list(row)
        for col, code in formats.items():
            if cells[col] is not None:
                cell = WriteOnlyCell(ws, value=cells[col])
                cell.number_format = code
                cells[col] = cell
        ws.append(cells)
    workbook.save(path)


def _rust_dump(path: Path, header: list[str], rows: list[list[object]]) -> None:
    import rustpy_xlsxwriter as rp

    formats = {name: rp.Format().set_num_format("yyyy-mm-dd" if name[2:] in _DATES else "#,##0")
               for name in header if name[2:] in _DATES + _AMOUNTS}
    rp.write_worksheet((dict(zip(header, row, strict=True)) for row in rows), str(path), sheet_name="지원사례",
                       column_formats=formats, bold_headers=True, freeze_row=1)


def _timed(fn, *args) -> float:
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


@figure("xlsx_export_100k_s")
def xlsx_export(ctx: Context) -> Figure:
    database = open_database(ctx.db_path)
    started = time.perf_counter()
    counts = export_workbook(database, ["cases"], ctx.workdir / "cases.xlsx")
    value = time.perf_counter() - started
    database.close()
    header, rows = _rows(ctx.db_path)
    baseline = _timed(_xlsxwriter_dump, ctx.workdir / "cases-xlsxwriter.xlsx", header, rows)
    others = [f"openpyxl write-only {_timed(_openpyxl_dump, ctx.workdir / 'cases-openpyxl.xlsx', header, rows):.1f} s"]
    try:
        others.append(f"rustpy-xlsxwriter {_timed(_rust_dump, ctx.workdir / 'cases-rust.xlsx', header, rows):.1f} s")
    except ImportError:
        others.append("rustpy-xlsxwriter not installed")
    return Figure(value, "s", baseline, f"bare xlsxwriter dump of {sum(counts.values()):,} rows "
                  f"({', '.join(others)})", "<= 15 s and <= 1.2x")
