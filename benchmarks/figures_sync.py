"""Sync figure: a bundle after 10,000 changes, against gzip-compressed JSON of the same tables."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import time

from benchmarks.common import Context, Figure, figure
from boeun_desk.db import open_database
from boeun_desk.exchange import sync
from boeun_desk.services import Services


@figure("sync_bundle_10k_s")
def sync_bundle(ctx: Context) -> Figure:
    copy = ctx.workdir / "sync-copy.sqlite3"
    shutil.copyfile(ctx.db_path, copy)
    database = open_database(copy)
    services = Services(database, "벤치마크")
    changes = 1000 if ctx.quick else 10_000
    firm_ids = services.firms.ids()
    for i in range(changes):  # one saved edit each, as officers make them (audit entries included)
        services.firms.update(firm_ids[i % len(firm_ids)], {"notes": f"방문 메모 {i}"})
    started = time.perf_counter()
    counts = sync.export_bundle(database, ctx.workdir / "bench.sync")
    value = time.perf_counter() - started
    database.close()
    connection = sqlite3.connect(copy)
    started = time.perf_counter()
    tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    dump = {name: connection.execute(f"SELECT * FROM {name}").fetchall() for name in tables}
    (ctx.workdir / "bench.json.gz").write_bytes(gzip.compress(json.dumps(dump, default=str).encode()))
    baseline = time.perf_counter() - started
    connection.close()
    size = (ctx.workdir / "bench.sync").stat().st_size / 1e6
    return Figure(value, "s", baseline, "gzip JSON dump of every table",
                  f"{changes:,} changes; bundle {size:.1f} MB, {sum(counts.values()):,} records")
