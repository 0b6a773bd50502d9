"""The editable 한글 copy (HWPX) against the PDF of the same document: same data, same run."""

from __future__ import annotations

import io
from datetime import date

from benchmarks.common import Context, Figure, figure, median_seconds
from boeun_desk.reports.annual_report import AnnualReport
from boeun_desk.reports.base import Renderer
from boeun_desk.reports.firm_summary import FirmSummary
from boeun_desk.services import Services
from boeun_desk.services.documents import Documents
from boeun_desk.storage.engine import open_database


def _against_pdf(renderer: Renderer, data: object, repeat: int) -> tuple[float, float]:
    """Median seconds to draw `data` as HWPX and as PDF (the blocks are built in both)."""
    hwpx = median_seconds(lambda: renderer.write(data, io.BytesIO(), hwpx=True), repeat=repeat)
    pdf = median_seconds(lambda: renderer.write(data, io.BytesIO()), repeat=repeat)
    return hwpx, pdf


@figure("annual_report_hwpx_ms")
def annual_report_hwpx(ctx: Context) -> Figure:
    database = open_database(ctx.db_path)
    data = Documents(Services(database)).annual_report(2024, today=date(2026, 1, 1))
    hwpx, pdf = _against_pdf(AnnualReport(), data, 3)
    database.close()
    return Figure(hwpx * 1000, "ms", pdf * 1000, f"its PDF ({len(data.firms)} firms)", "HWPX / PDF")


@figure("summary_hwpx_ms")
def summary_hwpx(ctx: Context) -> Figure:
    database = open_database(ctx.db_path)
    services = Services(database)
    data = Documents(services).firm_summary(services.firms.ids()[0], today=date(2026, 1, 1))
    hwpx, pdf = _against_pdf(FirmSummary(), data, 9)
    database.close()
    return Figure(hwpx * 1000, "ms", pdf * 1000, "its PDF", "HWPX / PDF, < 300 ms")
