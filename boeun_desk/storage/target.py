"""Where a database target points: a file path, a SQLAlchemy URL, or None (the default file).

The one place that turns `--db`, `--demo` and the settings into a URL and, for SQLite, a file.
SQLAlchemy is imported only by the functions that parse URLs (the window's start page needs
`database_file` before the database layer has loaded).
"""

from __future__ import annotations

from pathlib import Path

from boeun_desk.i18n import t
from boeun_desk.paths import default_database_path
from boeun_desk.storage.errors import InvalidDatabasePath

# Backends whose SQL the program is tested on (tests/test_postgres.py for PostgreSQL).
BACKENDS = ("sqlite", "postgresql")


def database_file(target: str | Path | None) -> Path | None:
    """The file a path names (absolute), the default file for None; None for a URL."""
    if isinstance(target, str) and "://" in target:
        return None
    return (Path(target).expanduser() if target is not None else default_database_path()).resolve()


def to_url(target: str | Path | None) -> str:
    """A SQLAlchemy URL from a URL, a file path, or None; InvalidDatabasePath (Korean) for a URL
    the program cannot use (unknown scheme, another database product, a driver not installed)."""
    path = database_file(target)
    url = str(target) if path is None else f"sqlite:///{path}"
    if url.startswith("sqlite") and "?" in url:  # a URL ends the file name at "?": another file would open
        raise InvalidDatabasePath(t("데이터베이스 파일 경로에는 '?' 문자를 쓸 수 없습니다. 이름을 바꾸세요: {path}",
                                    path=target if path is None else path))
    if path is None:
        if url.startswith("postgresql://"):  # the driver the program is tested with (psycopg 3),
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")  # not SQLAlchemy's psycopg2
        check_url(url)
    return url


def check_url(url: str) -> None:
    from sqlalchemy import exc
    from sqlalchemy.engine import make_url

    scheme = url.split("://", 1)[0]
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        raise InvalidDatabasePath(t("데이터베이스 주소를 읽을 수 없습니다: {scheme}://…", scheme=scheme)) from None
    if parsed.get_backend_name() not in BACKENDS:
        raise InvalidDatabasePath(t("지원하지 않는 데이터베이스 종류입니다: {scheme} "
                                    "(SQLite 파일 경로 또는 postgresql:// 주소를 쓰세요)", scheme=scheme))
    try:
        parsed.get_dialect().import_dbapi()
    except (ImportError, exc.NoSuchModuleError):
        raise InvalidDatabasePath(t("이 데이터베이스에 연결할 드라이버가 설치되어 있지 않습니다: {scheme} "
                                    "(PostgreSQL에는 psycopg 패키지가 필요합니다)", scheme=scheme)) from None


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for a server or in-memory database."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def sqlite_file(target: str | Path | None) -> Path | None:
    """The SQLite file a target names, whether given as a path or a sqlite:// URL; None for a server."""
    return sqlite_path(to_url(target))
