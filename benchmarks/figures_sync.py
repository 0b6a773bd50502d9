"""Sync figure: a bundle after 10,000 changes, against gzip-compressed JSON lines of the same tables."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import time

from benchmarks.common import Context, Figure, figure
from boeun_desk.services import Services, sync
from boeun_desk.storage.engine import open_database

_BUNDLE: dict[str, object] = {}


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
    with gzip.open(ctx.workdir / "bench.json.gz", "wt", encoding="utf-8") as dump:  # streamed, as the bundle
        for name in tables:
            for row in connection.execute(f"SELECT * FROM {name}"):
                dump.write(json.dumps([name, row], ensure_ascii=False, default=str) + "\n")
    baseline = time.perf_counter() - started
    connection.close()
    _BUNDLE["path"] = ctx.workdir / "bench.sync"
    size = (ctx.workdir / "bench.sync").stat().st_size / 1e6
    return Figure(value, "s", baseline, "gzip JSON lines of every table",
                  f"{changes:,} changes; bundle {size:.1f} MB: {counts['records']:,} records, "
                  f"{counts['history']:,} history entries")


@figure("sync_import_10k_s")
def sync_import(ctx: Context) -> Figure:
    """The other laptop merges that bundle: 10,000 edited firms among every record it already has."""
    if "path" not in _BUNDLE:
        sync_bundle(ctx)
    target = ctx.workdir / "sync-target.sqlite3"
    shutil.copyfile(ctx.db_path, target)
    database = open_database(target)
    started = time.perf_counter()
    result = sync.import_bundle(database, _BUNDLE["path"])  # type: ignore[arg-type]
    value = time.perf_counter() - started
    database.close()
    return Figure(value, "s", None, "", f"updated {result.updated:,}, unchanged {result.unchanged:,}, "
                                        f"conflicts {result.conflicts:,} (includes the backup before merging)")
