"""Opening a database: URL or path, SQLite pragmas, integrity check, migrate-to-head on open."""

from __future__ import annotations

import os
import socket
import sqlite3
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from boeun_desk import models  # noqa: F401  (registers mappers and the audit hook)
from boeun_desk.i18n import t
from boeun_desk.migrations import HEAD
from boeun_desk.paths import default_database_path

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000


class DatabaseError(Exception):
    """A database that cannot be opened or used; `str()` is a Korean message for the officer."""


class DamagedDatabase(DatabaseError):
    """The file fails the integrity check or is not a database; `path` can be restored from a backup."""

    def __init__(self, message: str, path: Path | None):
        super().__init__(message)
        self.path = path


class InstanceLock:
    """An OS lock on `<database>.lock` held while a program works on the file.

    The operating system drops the lock when the process ends, even on a crash or a dead battery,
    so a stale lock file never blocks the next start. The file names who holds it for the message.

    A clean close leaves a stamp of the database file in the lock file (size, modification and
    change times, inode). The next open that finds the file exactly as stamped knows it was closed
    whole by this program and nothing has written to it since, so it can skip the integrity check,
    whose cost grows with the file (about 0.1 s for 10,000 firms). A crash leaves no stamp.
    """

    def __init__(self, path: Path, handle: object, closed_cleanly: bool = False):
        self.path = path
        self._handle = handle
        self.closed_cleanly = closed_cleanly

    @classmethod
    def acquire(cls, database_path: Path) -> InstanceLock:
        path = database_path.with_name(database_path.name + ".lock")
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115  (held until release())
        try:
            _lock_file(handle)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise DatabaseError(t("이 데이터베이스를 다른 보은 데스크 프로그램이 사용 중입니다 ({holder}). "
                                  "그 프로그램을 닫은 뒤 다시 여세요: {path}", holder=holder,
                                  path=database_path)) from None
        handle.seek(0)
        closed_cleanly = handle.read().strip() == _clean_stamp(database_path)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{socket.gethostname()} pid {os.getpid()} {datetime.now():%Y-%m-%d %H:%M}")
        handle.flush()
        return cls(path, handle, closed_cleanly)

    def release(self, database_path: Path | None = None) -> None:
        """Unlock; with `database_path` (a clean close), leave the file's stamp for the next open."""
        handle = self._handle
        if handle is None:
            return
        self._handle = None
        handle.truncate(0)  # type: ignore[attr-defined]
        stamp = _clean_stamp(database_path) if database_path is not None else None
        if stamp is not None:
            handle.seek(0)  # type: ignore[attr-defined]
            handle.write(stamp)  # type: ignore[attr-defined]
            handle.flush()  # type: ignore[attr-defined]
        _unlock_file(handle)
        handle.close()  # type: ignore[attr-defined]


def _clean_stamp(database_path: Path) -> str | None:
    """The stamp of a closed database file; None while a write-ahead log still holds data."""
    wal = database_path.with_name(database_path.name + "-wal")
    try:
        if wal.exists() and wal.stat().st_size > 0:
            return None
        info = database_path.stat()
    except OSError:
        return None
    return f"closed {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino}"


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _lock_file(handle: object) -> None:
        handle.seek(0)  # type: ignore[attr-defined]
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]

    def _unlock_file(handle: object) -> None:
        handle.seek(0)  # type: ignore[attr-defined]
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
else:
    import fcntl

    def _lock_file(handle: object) -> None:
        # flock locks belong to the open file, so a second open in the same process conflicts too.
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # type: ignore[attr-defined]

    def _unlock_file(handle: object) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    lock: InstanceLock | None = None
    auto_backup: bool = False

    @property
    def path(self) -> Path | None:
        """The file behind a SQLite database, or None for a server database."""
        return sqlite_path(self.url)

    def close(self) -> None:
        """Fold the WAL back into the main file (durable against power loss) and release it.

        With `auto_backup`, a backup is written when the data changed since the newest one.
        """
        checkpointed = False
        if self.path is not None:
            try:
                with self.engine.connect() as conn:
                    busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").scalar()
                checkpointed = busy == 0
            except exc.SQLAlchemyError:
                pass  # closing must not fail; the WAL stays valid and is replayed on next open
        self.engine.dispose()
        if self.auto_backup and self.path is not None:
            from boeun_desk.exchange import backup

            backup.backup_if_changed(self.path)
        if self.lock is not None:
            self.lock.release(self.path if checkpointed else None)


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for a server or in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


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


def alembic_config() -> Any:
    from alembic.config import Config  # Alembic loads only when a migration runs: faster start-up

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The newest migration (kept in boeun_desk/migrations/__init__.py; a test checks it)."""
    return HEAD


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _check_sqlite_file(path: Path) -> None:
    if path.exists() and path.is_dir():
        raise DatabaseError(t("데이터베이스 경로가 폴더입니다: {path}", path=path))
    if not path.parent.exists():
        raise DatabaseError(t("데이터베이스 폴더가 없습니다: {path}", path=path.parent))


def open_database(target: str | Path | None = None, *, migrate_to_head: bool = True,
                  exclusive: bool = False, auto_backup: bool = False) -> Database:
    """Open (creating if needed) and migrate a database; raise DatabaseError with a Korean message.

    A file at an older schema is backed up before it is migrated. `exclusive` takes the instance
    lock (the desktop program: a second copy on the same file gets a clear message); `auto_backup`
    writes a backup on open when the newest is older than a day, and on close when data changed.
    """
    url = to_url(target)
    path = sqlite_path(url)
    if path is not None:
        _check_sqlite_file(path)
    lock = InstanceLock.acquire(path) if exclusive and path is not None else None
    database = Database(url=url, engine=make_engine(url), sessions=sessionmaker(), lock=lock,
                        auto_backup=auto_backup)
    database.sessions.configure(bind=database.engine, expire_on_commit=False)
    try:
        if path is not None and not (lock is not None and lock.closed_cleanly):
            with database.engine.connect() as conn:
                result = conn.exec_driver_sql("PRAGMA quick_check").scalar()
            if result != "ok":
                raise DamagedDatabase(_damaged_message(path), path)
        revision = current_revision(database.engine)
        if path is not None and revision is not None:
            _backup_on_open(path, migrating=migrate_to_head and revision != head_revision(),
                            auto_backup=auto_backup)
        if migrate_to_head and revision != head_revision():
            migrate(database.engine)
    except BaseException as error:
        database.engine.dispose()
        if lock is not None:
            lock.release()
        if isinstance(error, exc.OperationalError):
            message = _describe(error, database)
            if _is_damage(error):
                raise DamagedDatabase(message, path) from error
            raise DatabaseError(message) from error
        if isinstance(error, exc.DatabaseError):
            raise DamagedDatabase(_damaged_message(path or url), path) from error
        raise
    return database


def _damaged_message(where: object) -> str:
    return t("데이터베이스 파일을 열 수 없습니다(손상되었거나 데이터베이스 파일이 아닙니다): {path}", path=where) + "\n" + \
        t("최근 백업에서 복원하려면: boeun-desk restore --latest (손상된 파일은 지우지 않고 옆에 보관합니다)")


def _is_damage(error: exc.OperationalError) -> bool:
    message = str(error.orig).lower()
    return "not a database" in message or "malformed" in message or "corrupt" in message


def _backup_on_open(path: Path, *, migrating: bool, auto_backup: bool) -> None:
    """Before a migration always (refuse to migrate without one); daily on open when asked."""
    from boeun_desk.exchange import backup

    if migrating:
        backup.create_backup(path, reason="migration")
    elif auto_backup:
        backup.backup_if_due(path)


def _describe(error: exc.OperationalError, database: Database) -> str:
    message = str(error.orig).lower()
    where = database.path or database.url
    if "locked" in message or "busy" in message:
        return t("데이터베이스를 다른 프로그램이 사용 중입니다: {path}", path=where)
    if "full" in message:
        return t("디스크 공간이 부족하여 저장할 수 없습니다: {path}", path=where)
    if "readonly" in message or "read-only" in message or "permission" in message:
        return t("데이터베이스 파일에 쓸 수 없습니다(권한 확인): {path}", path=where)
    if _is_damage(error):
        return _damaged_message(where)
    return t("데이터베이스 오류: {detail}", detail=error.orig)


def describe_error(error: exc.SQLAlchemyError, database: Database) -> str:
    """A Korean message for an error raised while using an open database."""
    if isinstance(error, exc.OperationalError):
        return _describe(error, database)
    return t("데이터베이스 오류: {detail}", detail=getattr(error, "orig", error))


def schema_version(database: Database) -> str | None:
    with database.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
