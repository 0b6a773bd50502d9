"""Exchange figures: Excel export of every case against a bare openpyxl dump of the same rows."""

from __future__ import annotations

import sqlite3
import time

from openpyxl import Workbook

from benchmarks.common import Context, Figure, figure
from boeun_desk.exchange.excel_export import export_workbook
from boeun_desk.storage.engine import open_database


@figure("xlsx_export_100k_s")
def xlsx_export(ctx: Context) -> Figure:
    database = open_database(ctx.db_path)
    started = time.perf_counter()
    counts = export_workbook(database, ["cases"], ctx.workdir / "cases.xlsx")
    value = time.perf_counter() - started
    database.close()
    connection = sqlite3.connect(ctx.db_path)
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("cases")
    for row in connection.execute("SELECT * FROM support_case"):
        sheet.append(list(row))
    workbook.save(ctx.workdir / "cases-raw.xlsx")
    baseline = time.perf_counter() - started
    connection.close()
    rows = sum(counts.values())
    return Figure(value, "s", baseline, f"bare openpyxl dump of {rows:,} rows", "Korean headers, formats, names")
