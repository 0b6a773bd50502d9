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


BATCH = 1000
_PLAIN_BATCH: dict[tuple[str, int], float] = {}  # one baseline per run, shared by the batch figures


def _plain_batch(ctx: Context, count: int) -> float:
    """1,000 plain ReportLab tables of 50 rows, one after another in this process: the baseline of
    the batch figures (measured once per run)."""
    key = (str(ctx.db_path), count)
    if key not in _PLAIN_BATCH:
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(count):
            _plain_document(50)
        _PLAIN_BATCH[key] = time.perf_counter() - started
        print(f"  (baseline: {_PLAIN_BATCH[key]:.1f} s, CPU {time.process_time() - cpu:.1f} s)", flush=True)
    return _PLAIN_BATCH[key]


def _batch_figure(ctx: Context, combined: bool) -> Figure:
    from boeun_desk.reports.api import render_firm_batch
    from boeun_desk.reports.batch import SMALLEST_POOL
    from boeun_desk.reports.pool import workers_for

    database = open_database(ctx.db_path)
    services = Services(database)
    firm_ids = _busiest_firms(services, BATCH)  # a database of fewer firms is measured and scaled
    out = ctx.workdir / ("batch.pdf" if combined else "batch")
    cpu, workers_cpu = time.process_time(), _children_cpu()
    started = time.perf_counter()
    render_firm_batch(services, firm_ids, out, combined=combined)  # as the window and the CLI do
    value = time.perf_counter() - started
    cpu, workers_cpu = time.process_time() - cpu, _children_cpu() - workers_cpu
    database.close()
    scale = BATCH / len(firm_ids)
    baseline = _plain_batch(ctx, len(firm_ids))
    # The CPU time says what the run took apart from other programs on the machine.
    how = ("one process" if combined else f"{workers_for(len(firm_ids), SMALLEST_POOL) or 1} worker processes") + \
        f"; CPU {cpu * scale:.1f} s here + {workers_cpu * scale:.1f} s in workers"
    return Figure(value * scale, "s", baseline * scale, "1,000 plain ReportLab tables in one process",
                  f"<= 0.6x ({how})" + (f" ({len(firm_ids)} measured, scaled)" if scale != 1 else ""))


def _children_cpu() -> float:
    """CPU seconds of this process's ended child processes (the batch's workers)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@figure("batch_1000_s")
def batch_1000(ctx: Context) -> Figure:
    """1,000 summaries, one file each, drawn on a worker process per core."""
    return _batch_figure(ctx, combined=False)


@figure("batch_combined_1000_s")
def batch_combined_1000(ctx: Context) -> Figure:
    """1,000 summaries in one document (cover, contents, continuous page numbers)."""
    return _batch_figure(ctx, combined=True)


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
