"""Database and service figures against raw SQLite baselines."""

from __future__ import annotations

import sqlite3

from benchmarks.common import Context, Figure, figure, median_seconds
from boeun_desk.services import Services
from boeun_desk.storage.engine import open_database


def _raw(ctx: Context, sql: str, *params: object) -> float:
    connection = sqlite3.connect(ctx.db_path)
    try:
        return median_seconds(lambda: connection.execute(sql, params).fetchall())
    finally:
        connection.close()


@figure("open_migrate_check_ms")
def open_migrate_check(ctx: Context) -> Figure:
    value = median_seconds(lambda: open_database(ctx.db_path).close(), repeat=5)
    baseline = median_seconds(lambda: sqlite3.connect(ctx.db_path).execute("PRAGMA quick_check").fetchall(), repeat=5)
    return Figure(value * 1000, "ms", baseline * 1000, "raw PRAGMA quick_check", "quick_check + revision check")


@figure("open_after_clean_close_ms")
def open_after_clean_close(ctx: Context) -> Figure:
    """The desktop program's open (instance lock) of a file it closed cleanly: no quick_check."""
    open_database(ctx.db_path, exclusive=True).close()
    value = median_seconds(lambda: open_database(ctx.db_path, exclusive=True).close(), repeat=5)
    baseline = median_seconds(lambda: sqlite3.connect(ctx.db_path).execute("PRAGMA quick_check").fetchall(), repeat=5)
    return Figure(value * 1000, "ms", baseline * 1000, "raw PRAGMA quick_check", "clean-close stamp instead of the check")


@figure("firm_open_ms")
def firm_open(ctx: Context) -> Figure:
    database = open_database(ctx.db_path)
    services = Services(database)
    firm_id = services.firms.ids()[len(services.firms.ids()) // 2]
    value = median_seconds(lambda: services.queries.firm_detail(firm_id))
    baseline = _raw(ctx, "SELECT * FROM support_case WHERE firm_id = ?", firm_id)
    database.close()
    return Figure(value * 1000, "ms", baseline * 1000, "raw SELECT of the firm's cases", "firm detail (all tabs)")


@figure("save_form_ms")
def save_form(ctx: Context) -> Figure:
    database = open_database(ctx.db_path)
    services = Services(database, "벤치마크")
    firm_id = services.firms.ids()[0]
    counter = iter(range(10**6))
    value = median_seconds(lambda: services.firms.update(firm_id, {"notes": f"메모 {next(counter)}"}))
    connection = sqlite3.connect(ctx.db_path)

    def raw_update() -> None:
        connection.execute("UPDATE firm SET notes = ? WHERE id = ?", (f"raw {next(counter)}", firm_id))
        connection.commit()

    baseline = median_seconds(raw_update)
    connection.close()
    database.close()
    return Figure(value * 1000, "ms", baseline * 1000, "raw UPDATE + commit", "validate + audit + commit")


@figure("annual_stats_ms")
def annual_stats(ctx: Context) -> Figure:
    database = open_database(ctx.db_path)
    services = Services(database)
    value = median_seconds(lambda: services.queries.annual_stats(2024))
    baseline = _raw(ctx, "SELECT support_type_id, count(*), sum(grant_national) FROM support_case "
                         "GROUP BY support_type_id")
    database.close()
    return Figure(value * 1000, "ms", baseline * 1000, "raw GROUP BY over all cases", "annual statistics")
