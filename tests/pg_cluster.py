"""A throw-away PostgreSQL cluster for the tests: initdb and pg_ctl on a Unix socket in a temporary
folder (as the `postgres` user when the tests run as root), or a skip saying why there is none."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def pg_bin(name: str) -> str | None:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    return shutil.which(name)


class Cluster:
    """A running cluster: `url(database, user)` and `psql(sql)` as its superuser `boeun`."""

    def __init__(self, base: Path, port: int, prefix: list[str]):
        self.base, self.port, self.prefix = base, port, prefix
        self._names = itertools.count(1)

    def url(self, database: str = "boeun", user: str = "boeun") -> str:
        return f"postgresql://{user}@/{database}?host={self.base}&port={self.port}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        psql = shutil.which("psql") or pg_bin("psql")
        done = subprocess.run([*self.prefix, psql, "-h", str(self.base), "-p", str(self.port), "-U", "boeun", "-d",
                               database, "-v", "ON_ERROR_STOP=1", "-Atc", sql], check=True, capture_output=True,
                              text=True)
        return done.stdout

    def new_database(self, prefix: str = "office") -> str:
        name = f"{prefix}{next(self._names)}"
        self.psql(f"CREATE DATABASE {name}")
        return name


def _skip(reason: str) -> None:
    """In a test: skipped with the reason; elsewhere (the benchmarks): an error saying it."""
    if "PYTEST_CURRENT_TEST" in os.environ:
        pytest.skip(reason)
    raise RuntimeError(reason)


@contextmanager
def cluster(port: int) -> Iterator[Cluster]:
    initdb, pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _skip("psycopg is not installed")
    if not initdb or not pg_ctl:
        _skip("PostgreSQL server binaries are not installed")
    # Not under pytest's tmp folder: its parents are private to root, and the server runs as `postgres`.
    base = Path(tempfile.mkdtemp(prefix="boeun-pg-"))
    # PostgreSQL refuses to run as root: run it as the `postgres` user when we are root.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if prefix:
        if not shutil.which("runuser"):
            _skip("runuser is missing")
        shutil.chown(base, "postgres")
        os.chmod(base, 0o755)
    data = base / "data"
    subprocess.run([*prefix, initdb, "-D", str(data), "-A", "trust", "-U", "boeun", "-E", "UTF8"], check=True,
                   capture_output=True)
    subprocess.run([*prefix, pg_ctl, "-D", str(data), "-w", "-l", str(base / "log"), "-o",
                    f"-k {base} -p {port} -h ''", "start"], check=True, capture_output=True)
    try:
        made = Cluster(base, port, prefix)
        made.psql("CREATE DATABASE boeun")
        yield made
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def require_password(made: Cluster, role: str, password: str) -> None:
    """`role` logs in only with its password (scram), the others stay trusted."""
    made.psql(f"CREATE ROLE {role} LOGIN PASSWORD '{password}' IN ROLE boeun_officers")
    hba = made.base / "data" / "pg_hba.conf"
    hba.write_text(f"local all {role} scram-sha-256\n" + hba.read_text())
    subprocess.run([*made.prefix, pg_bin("pg_ctl"), "-D", str(made.base / "data"), "reload"], check=True,
                   capture_output=True)
