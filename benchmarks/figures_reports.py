"""Printed-document figures against a plain ReportLab document of the same size."""

from __future__ import annotations

import io
import time
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from benchmarks.common import Context, Figure, figure, median_seconds
from boeun_desk.reports.base import FONT, register_fonts
from boeun_desk.reports.firm_summary import FirmSummary
from boeun_desk.services import Services
from boeun_desk.services.documents import Documents
from boeun_desk.storage.engine import open_database


def _plain_document(rows: int) -> None:
    """A bare ReportLab PDF with one Hangul table of `rows` rows: what any renderer must pay."""
    register_fonts()
    style = ParagraphStyle("p", fontName=FONT, fontSize=8.5, wordWrap="CJK")
    data = [[Paragraph(f"과제 {i} 시제품 제작 지원", style), Paragraph(f"{i * 1000:,}", style)] for i in range(rows)]
    SimpleDocTemplate(io.BytesIO(), pagesize=A4).build([Table(data, repeatRows=1)])


def _busiest_firms(services: Services, count: int) -> list[str]:
    return services.firms.ids()[:count]


@figure("summary_pdf_ms")
def summary_pdf(ctx: Context) -> Figure:
    database = open_database(ctx.db_path)
    services = Services(database)
    documents, renderer = Documents(services), FirmSummary()
    firm_id = _busiest_firms(services, 1)[0]
    value = median_seconds(lambda: renderer.write(documents.firm_summary(firm_id, today=date(2026, 1, 1)),
                                                  io.BytesIO()), repeat=9)
    rows = len(services.queries.firm_detail(firm_id).cases) + 40
    baseline = median_seconds(lambda: _plain_document(rows), repeat=9)
    database.close()
    return Figure(value * 1000, "ms", baseline * 1000, f"plain ReportLab table of {rows} rows", "< 100 ms")


@figure("batch_1000_s")
def batch_1000(ctx: Context) -> Figure:
    from boeun_desk.reports.api import render_firm_batch

    database = open_database(ctx.db_path)
    services = Services(database)
    count = 100 if ctx.quick else 1000
    firm_ids = _busiest_firms(services, count)
    started = time.perf_counter()
    render_firm_batch(services, firm_ids, ctx.workdir / "batch", combined=False)
    value = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(count):
        _plain_document(50)
    baseline = time.perf_counter() - started
    database.close()
    return Figure(value * (1000 / count), "s", baseline * (1000 / count), "1,000 plain ReportLab tables",
                  "< 60 s for 1,000" + (" (100 measured, scaled)" if ctx.quick else ""))


@figure("annual_report_ms")
def annual_report(ctx: Context) -> Figure:
    from boeun_desk.reports.annual_report import AnnualReport

    database = open_database(ctx.db_path)
    services = Services(database)
    documents = Documents(services)
    value = median_seconds(lambda: AnnualReport().write(documents.annual_report(2024), io.BytesIO()), repeat=3)
    firms = len(documents.annual_report(2024).firms)
    baseline = median_seconds(lambda: _plain_document(firms + 60), repeat=3)
    database.close()
    return Figure(value * 1000, "ms", baseline * 1000, f"plain table of {firms + 60} rows", "annual report")
