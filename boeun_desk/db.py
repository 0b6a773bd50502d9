"""Opening a database: URL or path, SQLite pragmas, integrity check, migrate-to-head on open."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from boeun_desk import models  # noqa: F401  (registers mappers and the audit hook)
from boeun_desk.i18n import t
from boeun_desk.paths import default_database_path

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000


class DatabaseError(Exception):
    """A database that cannot be opened or used; `str()` is a Korean message for the officer."""


@dataclass(frozen=True)
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def path(self) -> Path | None:
        """The file behind a SQLite database, or None for a server database."""
        url = make_url(self.url)
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        return Path(url.database)

    def close(self) -> None:
        """Fold the WAL back into the main file (durable against power loss) and release it."""
        if self.path is not None:
            try:
                with self.engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            except exc.SQLAlchemyError:
                pass  # closing must not fail; the WAL stays valid and is replayed on next open
        self.engine.dispose()


def to_url(target: str | Path | None) -> str:
    """A SQLAlchemy URL from a URL, a file path, or None (the default file in the user data folder)."""
    if target is None:
        target = default_database_path()
    if isinstance(target, str) and "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # WAL + synchronous=NORMAL: a committed transaction survives any crash of the program; a FULL
    # checkpoint on close (Database.close) makes it durable against power loss as well.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _check_sqlite_file(path: Path) -> None:
    if path.exists() and path.is_dir():
        raise DatabaseError(t("데이터베이스 경로가 폴더입니다: {path}", path=path))
    if not path.parent.exists():
        raise DatabaseError(t("데이터베이스 폴더가 없습니다: {path}", path=path.parent))


def open_database(target: str | Path | None = None, *, migrate_to_head: bool = True) -> Database:
    """Open (creating if needed) and migrate a database; raise DatabaseError with a Korean message."""
    url = to_url(target)
    database = Database(url=url, engine=make_engine(url), sessions=sessionmaker())
    database.sessions.configure(bind=database.engine, expire_on_commit=False)
    if database.path is not None:
        _check_sqlite_file(database.path)
    try:
        if database.path is not None:
            with database.engine.connect() as conn:
                result = conn.exec_driver_sql("PRAGMA quick_check").scalar()
            if result != "ok":
                raise DatabaseError(t("데이터베이스 파일이 손상되었습니다: {path}", path=database.path))
        if migrate_to_head and current_revision(database.engine) != head_revision():
            migrate(database.engine)
    except DatabaseError:
        database.engine.dispose()
        raise
    except exc.OperationalError as error:
        database.engine.dispose()
        raise DatabaseError(_describe(error, database)) from error
    except exc.DatabaseError as error:
        database.engine.dispose()
        raise DatabaseError(
            t("데이터베이스 파일을 열 수 없습니다(손상되었거나 데이터베이스 파일이 아닙니다): {path}",
              path=database.path or url)
        ) from error
    return database


def _describe(error: exc.OperationalError, database: Database) -> str:
    message = str(error.orig).lower()
    where = database.path or database.url
    if "locked" in message or "busy" in message:
        return t("데이터베이스를 다른 프로그램이 사용 중입니다: {path}", path=where)
    if "full" in message:
        return t("디스크 공간이 부족하여 저장할 수 없습니다: {path}", path=where)
    if "readonly" in message or "read-only" in message or "permission" in message:
        return t("데이터베이스 파일에 쓸 수 없습니다(권한 확인): {path}", path=where)
    if "not a database" in message or "malformed" in message:
        return t("데이터베이스 파일을 열 수 없습니다(손상되었거나 데이터베이스 파일이 아닙니다): {path}",
                 path=where)
    return t("데이터베이스 오류: {detail}", detail=error.orig)


def describe_error(error: exc.SQLAlchemyError, database: Database) -> str:
    """A Korean message for an error raised while using an open database."""
    if isinstance(error, exc.OperationalError):
        return _describe(error, database)
    return t("데이터베이스 오류: {detail}", detail=getattr(error, "orig", error))


def schema_version(database: Database) -> str | None:
    with database.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
