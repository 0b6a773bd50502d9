"""The same migrations, services and queries on PostgreSQL (an office server database).

Starts a throwaway PostgreSQL cluster on a Unix socket when the server binaries are installed;
skipped (with the reason shown) where they are not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest

from boeun_desk.services import Services
from boeun_desk.services.demo import build_demo
from boeun_desk.storage.engine import open_database
from tests.conftest import DEMO_TODAY

PORT = 55433


def _pg_bin(name: str) -> str | None:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    return shutil.which(name)


@pytest.fixture(scope="module")
def pg_url():
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    pytest.importorskip("psycopg")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server binaries are not installed")
    # Not under pytest's tmp folder: its parents are private to root, and the server runs as `postgres`.
    base = Path(tempfile.mkdtemp(prefix="boeun-pg-"))
    # PostgreSQL refuses to run as root: run it as the `postgres` user when we are root.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if prefix:
        if not shutil.which("runuser"):
            pytest.skip("runuser is missing")
        shutil.chown(base, "postgres")
        os.chmod(base, 0o755)
    data = base / "data"
    subprocess.run([*prefix, initdb, "-D", str(data), "-A", "trust", "-U", "boeun", "-E", "UTF8"], check=True,
                   capture_output=True)
    subprocess.run([*prefix, pg_ctl, "-D", str(data), "-w", "-l", str(base / "log"), "-o",
                    f"-k {base} -p {PORT} -h ''", "start"], check=True, capture_output=True)
    subprocess.run([*prefix, "psql" if shutil.which("psql") else _pg_bin("psql"), "-h", str(base), "-p", str(PORT),
                    "-U", "boeun", "-d", "postgres", "-c", "CREATE DATABASE boeun"], check=True, capture_output=True)
    yield f"postgresql+psycopg://boeun@/boeun?host={base}&port={PORT}"
    subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


def test_demo_statistics_and_services_on_postgresql(pg_url):
    database = open_database(pg_url)
    try:
        assert database.path is None
        build_demo(database, today=DEMO_TODAY)
        services = Services(database, "서버담당")
        stats = services.queries.annual_stats(2024)
        assert (stats.firms_supported, stats.cases_total, stats.supply_companies_matched) == (13, 37, 10)
        assert {tc.code: tc.count for tc in stats.cases_by_type}["TEST"] == 8
        firm = services.firms.list(search="대추")[0]
        services.firms.update(firm.id, {"phone": "043-000-1111"})
        assert services.firms.get(firm.id).version == 2
        assert services.queries.firm_detail(firm.id).cases
        assert services.queries.overdue_follow_ups(today=DEMO_TODAY)
        assert services.queries.expiring_certifications(60, today=date(2026, 11, 25))
        assert services.support_types.by_code("test").code == "TEST"
        assert [f.name for f in services.firms.list(search="SUPPLY")] == []
    finally:
        database.close()
