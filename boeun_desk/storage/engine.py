"""Opening a database: URL or path, SQLite pragmas, integrity check, migrate-to-head on open.

The one module of the storage layer that imports SQLAlchemy (see storage/__init__.py).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, exc, inspect, pool, text
from sqlalchemy.orm import Session, sessionmaker

from boeun_desk import models  # noqa: F401  (registers mappers and the audit hook)
from boeun_desk.i18n import t
from boeun_desk.migrations import HEAD
from boeun_desk.storage import backup, cipher, identity
from boeun_desk.storage.errors import DamagedDatabase, DatabaseError, PassphraseNeeded
from boeun_desk.storage.files import atomic_path
from boeun_desk.storage.lock import InstanceLock, IntegrityCheck
from boeun_desk.storage.target import sqlite_path, to_url

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
BUSY_TIMEOUT_MS = 5000
WRITE = "boeun_write"  # execution option of a connection that will write (see _sqlite_begin)


@dataclass(frozen=True)
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    lock: InstanceLock | None = None
    auto_backup: bool = False
    key: cipher.Key | None = field(default=None, repr=False)  # an encrypted file's passphrase

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @property
    def path(self) -> Path | None:
        """The file behind a SQLite database, or None for a server database."""
        return sqlite_path(self.url)

    @property
    def start_page(self) -> dict[str, Any] | None:
        """What the last clean close left for the window to show first (lock.InstanceLock)."""
        return self.lock.start_page if self.lock is not None else None

    def forget_start_page(self) -> None:
        """The data changed before the window was filled (the demo data went in, say)."""
        if self.lock is not None:
            self.lock.start_page = None

    def close(self, start_page: dict[str, Any] | None = None, *, clean: bool = True) -> None:
        """Fold the WAL back into the main file (durable against power loss) and release it.

        With `auto_backup`, a backup is written when the data changed since the newest one and
        that one is older than half an hour (backup.backup_if_changed).
        `start_page` is kept with the clean-close stamp for the next start (the desktop program).
        Not `clean` (the file turned out damaged while in use): no stamp, so the next open checks it.
        """
        checkpointed = False
        if self.path is not None:
            try:
                # On the driver's connection, outside any transaction (a checkpoint cannot run in one).
                with self.engine.connect() as conn:
                    busy = conn.connection.driver_connection.execute(  # type: ignore[union-attr]
                        "PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                checkpointed = busy == 0
            except Exception:  # noqa: BLE001  (sqlite3's, SQLCipher's or SQLAlchemy's error)
                pass  # closing must not fail; the WAL stays valid and is replayed on next open
        self.engine.dispose()
        if self.auto_backup and self.path is not None:
            backup.backup_if_changed(self.path)
        if self.lock is not None:  # an encrypted file's figures are never written beside it in the clear
            self.lock.release(self.path if checkpointed and clean else None,
                              None if self.encrypted else start_page)
        if self.path is not None and self.key is not None and cipher.key_for(self.path) is self.key:
            cipher.remember(self.path, None)


ENCRYPTED_CACHE_KIB = 64 * 1024  # decrypted pages an encrypted file's connection keeps


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # pysqlite's own transaction handling begins a transaction only before INSERT/UPDATE/DELETE:
    # a SAVEPOINT issued first then opens one and its RELEASE commits the work so far, and reads
    # run outside the transaction. So the driver is told to stay out and `_sqlite_begin` emits
    # BEGIN (SQLAlchemy's documented recipe for pysqlite): a session's work is one transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # WAL + synchronous=NORMAL: a committed transaction survives any crash of the program; a FULL
    # checkpoint on close (Database.close) makes it durable against power loss as well.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """BEGIN for a read, BEGIN IMMEDIATE for a write (`WRITE`): a writer waits for the lock up to
    busy_timeout at its start instead of failing when another copy wrote after it began reading."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


def _encrypted_cache(dbapi_connection: Any, _record: object) -> None:
    dbapi_connection.execute(f"PRAGMA cache_size=-{ENCRYPTED_CACHE_KIB}")


def make_engine(url: str, key: cipher.Key | None = None) -> Engine:
    """An engine for `url`; with `key`, a SQLCipher file through the `sqlite+pysqlcipher` dialect
    (its raw key in place of the passphrase, see cipher.py; a pool like pysqlite's for files).

    A plain file's pages are read from the system's file cache; an encrypted file's are decrypted
    (AES-256, HMAC-SHA512) every time SQLite reads one. So an encrypted connection keeps more
    decrypted pages (ENCRYPTED_CACHE_KIB, filled only as pages are read), and the pool hands out
    the connection used last, whose cache is warm: the 100,000-case list read again costs about
    what it costs on a plain file (benchmarks/figures_encryption.py)."""
    if url.startswith("postgresql"):  # the office server: password, timeouts (storage/server.py)
        from boeun_desk.storage.server import connect_args

        return create_engine(url, connect_args=connect_args(url), pool_pre_ping=True)
    if key is not None:
        path = sqlite_path(url)
        assert path is not None
        engine = create_engine(URL.create("sqlite+pysqlcipher", password=key.for_file(path), database=str(path)),
                               poolclass=pool.QueuePool, pool_use_lifo=True)
        event.listen(engine, "connect", _encrypted_cache)
    else:
        engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
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
    with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        if engine.dialect.name == "sqlite":  # in the same transaction: a migrated file is a marked one
            conn.exec_driver_sql(f"PRAGMA application_id={identity.APPLICATION_ID}")


def mark(engine: Engine) -> None:
    """Mark a Boeun Desk file made before the mark existed (storage/identity.py)."""
    with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        conn.exec_driver_sql(f"PRAGMA application_id={identity.APPLICATION_ID}")


def create_database(path: Path) -> None:
    """A new, migrated, marked, 0600 database file at `path`: built beside it and renamed into
    place, so a crash never leaves an empty or half-made file under the name."""
    with atomic_path(path) as scratch:
        engine = make_engine(f"sqlite:///{scratch}")
        try:
            migrate(engine)
            with engine.connect() as conn:  # fold the log into the file: the rename moves one file
                conn.connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
                conn.connection.driver_connection.execute("PRAGMA journal_mode=DELETE")  # type: ignore[union-attr]
        finally:
            engine.dispose()


def _check_sqlite_file(path: Path) -> None:
    if path.exists() and path.is_dir():
        raise DatabaseError(t("데이터베이스 경로가 폴더입니다: {path}", path=path))
    if not path.parent.exists():
        raise DatabaseError(t("데이터베이스 폴더가 없습니다: {path}", path=path.parent))


def _prepare_file(path: Path, key: cipher.Key | None) -> identity.Kind | None:
    """Refuse a file that is not ours (or empty: damaged), or encrypted and `key` does not open
    it (PassphraseNeeded, WrongPassphrase); create a missing one whole."""
    kind = identity.inspect_file(path, key)
    if kind is identity.Kind.MISSING:
        create_database(path)
        return identity.Kind.OURS
    return kind


def open_database(target: str | Path | None = None, *, migrate_to_head: bool = True,
                  exclusive: bool = False, auto_backup: bool = False,
                  checked: IntegrityCheck | None = None, key: cipher.Key | None = None) -> Database:
    """Open (creating if needed) and migrate a database; raise DatabaseError with a Korean message.

    A file at an older schema is backed up before it is migrated. `exclusive` takes the instance
    lock (the desktop program: a second copy on the same file gets a clear message); `auto_backup`
    writes a backup on open when the newest is older than a day, and on close when data changed.
    `checked`: the integrity check already running on the file (app.py starts it before imports).
    `key`: the passphrase of an encrypted file (a plain file ignores it).
    """
    url = to_url(target)
    path = sqlite_path(url)
    if path is not None:
        _check_sqlite_file(path)
    lock = InstanceLock.acquire(path) if exclusive and path is not None else None
    try:
        kind = _prepare_file(path, key) if path is not None else None
    except BaseException as error:
        if lock is not None:  # a passphrase refused changed nothing: a clean close's stamp stays
            lock.release(path if isinstance(error, PassphraseNeeded) and lock.closed_cleanly else None)
        raise
    key = key if path is not None and cipher.is_encrypted(path) else None
    if key is not None:
        cipher.remember(path, key)  # type: ignore[arg-type]  (its backups and checks use it)
    database = Database(url=url, engine=make_engine(url, key), sessions=sessionmaker(), lock=lock,
                        auto_backup=auto_backup, key=key)
    database.sessions.configure(bind=database.engine, expire_on_commit=False)
    try:
        result = checked.outcome() if checked is not None and checked.path == path else None
        if path is not None and not (lock is not None and lock.closed_cleanly):
            if result is None:
                with database.engine.connect() as conn:
                    result = conn.exec_driver_sql("PRAGMA quick_check").scalar()
            if result != "ok":
                raise DamagedDatabase(backup.damaged_message(path), path)
        revision = current_revision(database.engine)
        if path is not None and revision is not None:
            _backup_on_open(path, migrating=migrate_to_head and revision != head_revision(),
                            auto_backup=auto_backup)
        if migrate_to_head and revision != head_revision():
            migrate(database.engine)
            if lock is not None:
                lock.start_page = None  # figures of the file before its migration
        elif kind in (identity.Kind.UNMARKED, identity.Kind.EMPTY):
            mark(database.engine)
        if key is not None and auto_backup:  # a conversion cut short left backups in the clear
            from boeun_desk.storage.convert import encrypt_plain_copies

            encrypt_plain_copies(path, key)  # type: ignore[arg-type]
    except BaseException as error:
        database.engine.dispose()
        if lock is not None:
            lock.release()
        if key is not None:
            cipher.remember(path, None)  # type: ignore[arg-type]
        if isinstance(error, exc.DBAPIError) and path is None:  # a server: cannot reach, login, rights
            from boeun_desk.storage.server import describe_server_error

            raise describe_server_error(error, url) from error
        if isinstance(error, exc.OperationalError):
            message = _describe(error, database)
            if _is_damage(error):
                raise DamagedDatabase(message, path) from error
            raise DatabaseError(message) from error
        if isinstance(error, exc.DatabaseError):
            raise DamagedDatabase(backup.damaged_message(path or url), path) from error
        raise
    return database


def _is_damage(error: exc.OperationalError) -> bool:
    message = str(error.orig).lower()
    return "not a database" in message or "malformed" in message or "corrupt" in message


def _backup_on_open(path: Path, *, migrating: bool, auto_backup: bool) -> None:
    """Before a migration always (refuse to migrate without one); daily on open when asked."""
    if migrating:
        backup.create_backup(path, reason="migration")
    elif auto_backup:
        backup.backup_if_due(path)


def _describe(error: exc.OperationalError, database: Database) -> str:
    if database.path is None:
        from boeun_desk.storage.server import describe_server_error

        return str(describe_server_error(error, database.url))
    message = str(error.orig).lower()
    where = database.path or database.url
    if "locked" in message or "busy" in message:
        return t("데이터베이스를 다른 프로그램이 사용 중입니다: {path}", path=where)
    if "full" in message:
        return t("디스크 공간이 부족하여 저장할 수 없습니다: {path}", path=where)
    if "readonly" in message or "read-only" in message or "permission" in message:
        return t("데이터베이스 파일에 쓸 수 없습니다(권한 확인): {path}", path=where)
    if _is_damage(error):
        return backup.damaged_message(where)
    return t("데이터베이스 오류: {detail}", detail=error.orig)


def describe_error(error: exc.SQLAlchemyError, database: Database) -> str:
    """A Korean message for an error raised while using an open database."""
    if isinstance(error, exc.OperationalError):
        return _describe(error, database)
    return t("데이터베이스 오류: {detail}", detail=getattr(error, "orig", error))


def schema_version(database: Database) -> str | None:
    with database.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
