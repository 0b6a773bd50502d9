"""Render speed on the demo database: median per-company summary and the batch of all demo firms.

    python benchmarks/reports_demo.py
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from boeun_desk.reports.api import render_firm_batch  # noqa: E402
from boeun_desk.reports.firm_summary import FirmSummary  # noqa: E402
from boeun_desk.services import Services  # noqa: E402
from boeun_desk.services.demo import write_demo  # noqa: E402
from boeun_desk.services.documents import Documents  # noqa: E402
from boeun_desk.storage.engine import open_database  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(write_demo(Path(folder) / "demo.sqlite3", today=date(2026, 11, 25)))
        services = Services(database)
        documents, renderer = Documents(services), FirmSummary()
        firm_ids = services.firms.ids()
        renderer.write(documents.firm_summary(firm_ids[0]), io.BytesIO())  # warm-up: font subsetting caches
        times = []
        for firm_id in firm_ids * 3:
            started = time.perf_counter()
            renderer.write(documents.firm_summary(firm_id), io.BytesIO())
            times.append(time.perf_counter() - started)
        started = time.perf_counter()
        render_firm_batch(services, firm_ids, Path(folder) / "batch", combined=False)
        batch = time.perf_counter() - started
        started = time.perf_counter()
        render_firm_batch(services, firm_ids, Path(folder) / "all.pdf", combined=True)
        combined = time.perf_counter() - started
        database.close()
    print(f"per-company summary: median {statistics.median(times) * 1000:.1f} ms, "
          f"max {max(times) * 1000:.1f} ms over {len(times)} renders (goal < 100 ms)")
    print(f"batch of all {len(firm_ids)} demo firms: {batch:.2f} s as files, {combined:.2f} s combined")
    return 0


if __name__ == "__main__":
    sys.exit(main())
