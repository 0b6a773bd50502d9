"""Exchange figures: Excel export of every case against bare dumps of the same cells by each writer.

The export writes with rvgsrust-xlsxwriter (rust_xlsxwriter); its bare dump of the same cells is the
export's baseline. The other writers are measured beside it, so the choice of writer is shown here:
XlsxWriter (constant_memory, the writer before), openpyxl write-only (the one before that), and, where
installed, pyexcelerate and rustpy-xlsxwriter. Every dump gets the cells the export writes, read
before any dump is timed (names for references, Korean states, real dates), with Korean bold headers,
`yyyy-mm-dd` dates, `#,##0` amounts, column widths and a frozen header row (and a filter where the
writer has one). The plain read of those cells from the database is printed too: the export does it,
the dumps do not.

The export and its baseline are timed alternately (export, dump, export, dump, ...) and each figure is
the median of RUNS, so neither is the one that gets the warm caches. The baseline dump is handed the
dates as the export writes them, Excel serial days under the column's date format (the same cells:
openpyxl reads both as the same dates), since this writer takes those faster than date objects.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from benchmarks.common import Context, Figure, figure
from boeun_desk.exchange.excel_export import FORMATS, ID_HEADER, export_workbook
from boeun_desk.i18n import t
from boeun_desk.models.choices import CASE_STATUS
from boeun_desk.schemas import CASE
from boeun_desk.storage.engine import open_database

# The cells of the cases sheet, references by name, in the export's order.
_CELLS = """
SELECT f.name, y.year, s.name, c2.name, c.title, c.description, c.status, c.start_date, c.end_date,
       c.grant_national, c.grant_provincial, c.grant_county, c.firm_cash, c.firm_in_kind, c.result, c.id
FROM support_case c JOIN firm f ON f.id = c.firm_id JOIN program_year y ON y.id = c.program_year_id
JOIN support_type s ON s.id = c.support_type_id LEFT JOIN supply_company c2 ON c2.id = c.supply_company_id
WHERE c.deleted_at IS NULL ORDER BY c.created_at, c.id"""

RUNS = 3  # alternating export and bare-dump runs; the figure and its baseline are their medians
_DAY_ZERO = date(1899, 12, 30).toordinal()  # Excel's serial day 0 (the dates here are all past March 1900)
Rows = list[list[object]]
Dump = Callable[[Path, list[str], list[str], Rows], None]


def _read(db_path: Path) -> tuple[float, Rows]:
    """The seconds a plain read of the cells takes (sqlite3, no conversion: the least the export must do
    besides writing), and the cells as plain Python values: Korean states, dates as dates."""
    connection = sqlite3.connect(db_path)
    started = time.perf_counter()
    fetched = connection.execute(_CELLS).fetchall()
    read = time.perf_counter() - started
    status = CASE.index(next(f for f in CASE if f.name == "status"))
    dates = [i for i, f in enumerate(CASE) if f.kind == "date"]
    rows = []
    for raw in fetched:
        row = [value if value != "" else None for value in raw]
        row[status] = t(CASE_STATUS.get(row[status], row[status]))
        for i in dates:
            if row[i]:
                row[i] = date.fromisoformat(row[i][:10])
        rows.append(row)
    connection.close()
    return read, rows


def _width(kind: str) -> float:
    return 28 if kind == "text" else 38 if kind == "id" else 16


def _rvgs_dump(path: Path, header: list[str], kinds: list[str], rows: Rows) -> None:
    from rvgsrust_xlsxwriter import Workbook

    workbook = Workbook()
    ws = workbook.add_worksheet(t("지원과제"), constant_memory=True)
    for col, kind in enumerate(kinds):
        ws.set_column_width(col, _width(kind))
        if kind in FORMATS:
            ws.set_column_format(col, workbook.add_format().set_num_format(FORMATS[kind]))
    ws.freeze_panes(1, 0)
    ws.write_row(0, 0, header, workbook.add_format().set_bold())
    ws.write_rows(1, 0, rows)
    ws.autofilter(0, 0, len(rows), len(header) - 1)
    workbook.close(str(path))


def _xlsxwriter_dump(path: Path, header: list[str], kinds: list[str], rows: Rows) -> None:
    from xlsxwriter import Workbook

    workbook = Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                    "strings_to_numbers": False, "strings_to_urls": False})
    ws = workbook.add_worksheet(t("지원과제"))
    formats = {col: workbook.add_format({"num_format": FORMATS[kind]}) for col, kind in enumerate(kinds)
               if kind in FORMATS}
    for col, kind in enumerate(kinds):
        ws.set_column(col, col, _width(kind))
    ws.freeze_panes(1, 0)
    ws.write_row(0, 0, header, workbook.add_format({"bold": True}))
    for number, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is not None:
                ws.write(number, col, value, formats.get(col))
    ws.autofilter(0, 0, len(rows), len(header) - 1)
    workbook.close()


def _openpyxl_dump(path: Path, header: list[str], kinds: list[str], rows: Rows) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(t("지원과제"))
    for col, kind in enumerate(kinds):
        ws.column_dimensions[get_column_letter(col + 1)].width = _width(kind)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    titles = [WriteOnlyCell(ws, value=label) for label in header]
    for cell in titles:
        cell.font = Font(bold=True)
    ws.append(titles)
    formats = {col: FORMATS[kind] for col, kind in enumerate(kinds) if kind in FORMATS}
    for row in rows:
        cells = list(row)
        for col, code in formats.items():
            if cells[col] is not None:
                cell = WriteOnlyCell(ws, value=cells[col])
                cell.number_format = code
                cells[col] = cell
        ws.append(cells)
    workbook.save(path)


def _pyexcelerate_dump(path: Path, header: list[str], kinds: list[str], rows: Rows) -> None:
    from pyexcelerate import Font, Format, Panes, Style, Workbook

    workbook = Workbook()
    ws = workbook.new_sheet(t("지원과제"), data=[header, *rows])
    ws.set_row_style(1, Style(font=Font(bold=True)))
    for col, kind in enumerate(kinds, start=1):
        ws.set_col_style(col, Style(size=_width(kind), format=Format(FORMATS[kind]) if kind in FORMATS else None))
    ws.panes = Panes(0, 1)  # no filter in pyexcelerate
    workbook.save(str(path))


def _rustpy_dump(path: Path, header: list[str], kinds: list[str], rows: Rows) -> None:
    import rustpy_xlsxwriter as rp

    formats = {label: rp.Format().set_num_format(FORMATS[kind]) for label, kind in zip(header, kinds, strict=True)
               if kind in FORMATS}
    rp.write_worksheet((dict(zip(header, row, strict=True)) for row in rows), str(path), sheet_name=t("지원과제"),
                       column_formats=formats, column_widths=[_width(kind) for kind in kinds],
                       bold_headers=True, freeze_row=1, autofilter=True)


_OTHERS: tuple[tuple[str, Dump], ...] = (
    ("XlsxWriter constant_memory", _xlsxwriter_dump), ("pyexcelerate", _pyexcelerate_dump),
    ("rustpy-xlsxwriter", _rustpy_dump), ("openpyxl write-only", _openpyxl_dump))


def _timed(fn: Callable[..., object], *args: object) -> float:
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


def _serial_dates(rows: Rows, kinds: list[str]) -> Rows:
    """`rows` with their dates as Excel serial days, as the export hands them to the writer."""
    dates = [i for i, kind in enumerate(kinds) if kind == "date"]
    serial = [list(row) for row in rows]
    for row in serial:
        for i in dates:
            value = row[i]
            if isinstance(value, date):
                assert value >= date(1900, 3, 1)
                row[i] = value.toordinal() - _DAY_ZERO
    return serial


@figure("xlsx_export_100k_s")
def xlsx_export(ctx: Context) -> Figure:
    read, rows = _read(ctx.db_path)
    header = [t(f.label) for f in CASE] + [ID_HEADER]
    kinds = [f.kind for f in CASE] + ["id"]
    serial = _serial_dates(rows, kinds)
    exports: list[float] = []
    dumps: list[float] = []
    for _ in range(RUNS):
        database = open_database(ctx.db_path)
        started = time.perf_counter()
        counts = export_workbook(database, ["cases"], ctx.workdir / "cases.xlsx")
        exports.append(time.perf_counter() - started)
        database.close()
        dumps.append(_timed(_rvgs_dump, ctx.workdir / "cases-rvgs.xlsx", header, kinds, serial))
    others = []
    for name, dump in _OTHERS:
        try:
            others.append(f"{name} {_timed(dump, ctx.workdir / f'cases-{dump.__name__[1:-5]}.xlsx', header, kinds, rows):.1f} s")
        except ImportError:
            others.append(f"{name} not installed")
    runs = f"medians of {RUNS} alternating runs: export {' / '.join(f'{s:.2f}' for s in exports)} s, " \
           f"dump {' / '.join(f'{s:.2f}' for s in dumps)} s"
    return Figure(statistics.median(exports), "s", statistics.median(dumps),
                  f"bare rvgsrust-xlsxwriter dump of {sum(counts.values()):,} rows ({runs}; a plain sqlite3 read "
                  f"of those cells {read:.2f} s; {', '.join(others)})", "<= 15 s and <= 1.2x")
