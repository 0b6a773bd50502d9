"""Office-server figures on a throw-away PostgreSQL (tests/pg_cluster.py): seeding the server from
the large laptop, syncing 10,000 changed records (push, and another laptop's pull), and a new
laptop's first sync; each beside a plain bulk read of the same rows in the same run."""

from __future__ import annotations

import shutil
import sqlite3
import time
from contextlib import ExitStack

from benchmarks.common import Context, Figure, figure
from boeun_desk.exchange.bundle import tracked_tables
from boeun_desk.services import Services
from boeun_desk.services.server_admin import init_server
from boeun_desk.services.server_sync import sync_with_server
from boeun_desk.storage.engine import create_database, open_database

PORT = 55499
_STATE: dict[str, object] = {}


def _office(ctx: Context) -> str:
    """The server, seeded from a copy of the large laptop database (measured as `server_seed_s`)."""
    if "url" not in _STATE:
        from tests.pg_cluster import cluster

        stack = ExitStack()
        made = stack.enter_context(cluster(PORT))
        _STATE["stack"], _STATE["url"] = stack, made.url()
        import atexit

        atexit.register(stack.close)
    return str(_STATE["url"])


def _bulk_read(url_or_path: str, ids_of: dict[str, list[str]] | None = None) -> float:
    """Seconds to read every tracked row and audit entry (or those of `ids_of`) with the bare driver."""
    started = time.perf_counter()
    names = [table.name for table in tracked_tables()] + ["audit_entry"]
    if url_or_path.startswith("postgresql"):
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(url_or_path)
        with psycopg.connect(dbname=url.database, user=url.username, host=url.query["host"],
                             port=url.query["port"]) as conn:
            for name in names:
                conn.execute(f"SELECT * FROM {name}").fetchall()
    else:
        conn = sqlite3.connect(url_or_path)
        for name in names:
            if ids_of is None:
                conn.execute(f"SELECT * FROM {name}").fetchall()
            else:
                key = "entity_id" if name == "audit_entry" else "id"
                for start in range(0, len(ids_of.get(name, ids_of["firm"])), 500):
                    part = ids_of.get(name, ids_of["firm"])[start:start + 500]
                    conn.execute(f"SELECT * FROM {name} WHERE {key} IN ({','.join('?' * len(part))})",
                                 part).fetchall()
        conn.close()
    return time.perf_counter() - started


@figure("server_seed_s")
def server_seed(ctx: Context) -> Figure:
    """`server init --from` the large laptop: every record through the merge into PostgreSQL."""
    url = _office(ctx)
    laptop = ctx.workdir / "server-laptop-a.sqlite3"
    shutil.copyfile(ctx.db_path, laptop)
    started = time.perf_counter()
    ready = init_server(url, laptop)
    value = time.perf_counter() - started
    _STATE["laptop"] = laptop
    baseline = _bulk_read(url)
    assert ready.seeded is not None
    return Figure(value, "s", baseline, "bare SELECT of the same rows on the server",
                  f"{ready.seeded.pushed:,} records pushed")


@figure("server_first_sync_s")
def first_sync(ctx: Context) -> Figure:
    """A new laptop (`boeun-desk new`) joins: one sync pulls every record with its history."""
    url = _office(ctx)
    if "laptop" not in _STATE:
        server_seed(ctx)
    fresh = ctx.workdir / "server-laptop-new.sqlite3"
    fresh.unlink(missing_ok=True)
    shutil.rmtree(ctx.workdir / "server-laptop-new.sqlite3.files", ignore_errors=True)
    shutil.rmtree(ctx.workdir / "backups", ignore_errors=True)
    create_database(fresh)
    database = open_database(fresh)
    started = time.perf_counter()
    result = sync_with_server(database, url)
    value = time.perf_counter() - started
    database.close()
    _STATE["joined"] = fresh
    return Figure(value, "s", _bulk_read(url), "bare SELECT of the same rows on the server",
                  f"{result.pulled:,} records pulled")


@figure("server_sync_10k_s")
def sync_10k(ctx: Context) -> Figure:
    """The seeding laptop edits 10,000 firms and syncs (push; nothing new to pull)."""
    url = _office(ctx)
    if "joined" not in _STATE:
        first_sync(ctx)
    laptop = _STATE["laptop"]
    database = open_database(laptop)
    services = Services(database, "벤치마크")
    changes = 1000 if ctx.quick else 10_000
    firm_ids = services.firms.ids()[:changes]
    for i, firm_id in enumerate(firm_ids):
        services.firms.update(firm_id, {"notes": f"서버 동기화 메모 {i}"})
    started = time.perf_counter()
    result = sync_with_server(database, url)
    value = time.perf_counter() - started
    database.close()
    baseline = _bulk_read(str(laptop), {"firm": firm_ids, "audit_entry": firm_ids})
    _STATE["changes"] = changes
    return Figure(value, "s", baseline, "bare SELECT of the changed rows and their history on the laptop",
                  f"pushed {result.pushed:,} (updated {result.push.updated:,}), pulled {result.pulled:,}")


@figure("server_pull_10k_s")
def pull_10k(ctx: Context) -> Figure:
    """The other laptop's next sync brings those 10,000 changed firms (backup before merging included)."""
    if "changes" not in _STATE:
        sync_10k(ctx)
    database = open_database(_STATE["joined"])
    started = time.perf_counter()
    result = sync_with_server(database, str(_STATE["url"]))
    value = time.perf_counter() - started
    database.close()
    return Figure(value, "s", None, "", f"pulled {result.pulled:,}, updated {result.pull.updated:,}")


@figure("server_case_list_ms")
def case_list(ctx: Context) -> Figure:
    """The program on the server directly: the case list's ids and its first screenful of rows
    (100,000 cases), beside the same on the laptop's SQLite file."""
    if "laptop" not in _STATE:
        server_seed(ctx)
    from benchmarks.common import median_seconds

    def list_on(database) -> float:
        cases = Services(database).cases
        try:
            return median_seconds(lambda: cases.rows(cases.ids()[:60]), repeat=5)
        finally:
            database.close()

    value = list_on(open_database(str(_STATE["url"])))
    baseline = list_on(open_database(_STATE["laptop"]))
    return Figure(value * 1000, "ms", baseline * 1000, "the same on the laptop's SQLite file")
