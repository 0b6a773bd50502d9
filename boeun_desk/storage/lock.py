"""The database file on disk: its instance lock, the stamp a clean close leaves, and the start page
saved with that stamp. No SQLAlchemy here: the window's frame reads the start page before the
database layer has loaded (app.py)."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from boeun_desk.i18n import t
from boeun_desk.storage.errors import DatabaseError
from boeun_desk.storage.target import database_file


def lock_path(database_path: Path) -> Path:
    return database_path.with_name(database_path.name + ".lock")


class InstanceLock:
    """An OS lock on `<database>.lock` held while a program works on the file.

    The operating system drops the lock when the process ends, even on a crash or a dead battery,
    so a stale lock file never blocks the next start. The file names who holds it for the message.

    A clean close leaves a stamp of the database file in the lock file (size, modification and
    change times, inode). The next open that finds the file exactly as stamped knows it was closed
    whole by this program and nothing has written to it since, so it can skip the integrity check,
    whose cost grows with the file (about 0.1 s for 10,000 firms). A crash leaves no stamp.

    The close may leave a start page with the stamp (plain JSON values: what the dashboard showed,
    see overview.py); it holds for exactly the stamped file, so `start_page` is None otherwise.
    """

    def __init__(self, path: Path, handle: object, closed_cleanly: bool = False,
                 start_page: dict[str, Any] | None = None):
        self.path = path
        self._handle = handle
        self.closed_cleanly = closed_cleanly
        self.start_page = start_page

    @classmethod
    def acquire(cls, database_path: Path) -> InstanceLock:
        path = lock_path(database_path)
        # errors="replace": a lock file torn by a power cut must not stop the program from starting.
        # 0600: the lock file names the computer and its user's process. In place, never renamed:
        # the OS lock belongs to this file's inode, and a file renamed over it would be a second lock.
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0), 0o600)
        handle = open(fd, "a+", encoding="utf-8", errors="replace")  # noqa: SIM115  (held until release())
        try:
            _lock_file(handle)
        except OSError:
            try:
                handle.seek(0)
                holder = handle.read().strip() or "?"
            except OSError:
                holder = "?"
            handle.close()
            raise DatabaseError(t("이 데이터베이스를 다른 보은 데스크 프로그램이 사용 중입니다 ({holder}). "
                                  "그 프로그램을 닫은 뒤 다시 여세요: {path}", holder=holder,
                                  path=database_path)) from None
        try:
            handle.seek(0)
            closed_cleanly, start_page = _read_stamp(handle.read(), database_path)
            handle.seek(0)
            handle.truncate()
            import socket  # (here: the start page is read before this, with the window still to show)

            handle.write(f"{socket.gethostname()} pid {os.getpid()} {datetime.now():%Y-%m-%d %H:%M}")
            handle.flush()
        except BaseException:
            _unlock_file(handle)
            handle.close()
            raise
        return cls(path, handle, closed_cleanly, start_page)

    def release(self, database_path: Path | None = None, start_page: dict[str, Any] | None = None) -> None:
        """Unlock; with `database_path` (a clean close), leave the file's stamp for the next open,
        and `start_page` with it."""
        handle = self._handle
        if handle is None:
            return
        self._handle = None
        try:
            handle.truncate(0)  # type: ignore[attr-defined]
            stamp = _clean_stamp(database_path) if database_path is not None else None
            if stamp is not None:
                if start_page is not None:
                    stamp += "\n" + json.dumps(start_page, ensure_ascii=False, separators=(",", ":"))
                handle.seek(0)  # type: ignore[attr-defined]
                handle.write(stamp)  # type: ignore[attr-defined]
                handle.flush()  # type: ignore[attr-defined]
        except OSError:  # a full disk: no stamp (the next open checks the file), but always unlock
            with contextlib.suppress(OSError):
                handle.truncate(0)  # type: ignore[attr-defined]
        finally:
            _unlock_file(handle)
            with contextlib.suppress(OSError):
                handle.close()  # type: ignore[attr-defined]


def _lock_content(path: Path) -> str:
    try:
        return lock_path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:  # no lock file yet, or (Windows) locked by the program using the file
        return ""


def start_page(target: str | Path | None) -> dict[str, Any] | None:
    """The start page a clean close left for this database file, if the file is exactly as it was
    then (a plain read, no lock: the open that follows takes the lock and reads it again)."""
    path = database_file(target)
    return _read_stamp(_lock_content(path), path)[1] if path is not None else None


class IntegrityCheck:
    """SQLite's quick_check of a file on a thread of its own, started before the database layer is
    imported. SQLite lets go of Python's lock while it reads, so the check (about 0.1 s per 100 MB)
    runs while the import does. Only for a file with no clean-close stamp (first open, a copy, after
    a crash); open_database() uses the outcome, or checks itself if this one could not."""

    def __init__(self, path: Path):
        self.path = path
        self._result: str | None = None
        self._thread = threading.Thread(target=self._run, name="integrity-check", daemon=True)
        self._thread.start()

    @classmethod
    def start(cls, target: str | Path | None) -> IntegrityCheck | None:
        path = database_file(target)
        from boeun_desk.storage.cipher import is_encrypted

        if path is None or not path.is_file() or is_encrypted(path) or _read_stamp(_lock_content(path), path)[0]:
            return None  # (an encrypted file is checked once its key is known: open_database)
        return cls(path)

    def _run(self) -> None:
        try:
            connection = sqlite3.connect(sqlite_uri(self.path) + "?mode=rw", uri=True, timeout=5)
            try:
                self._result = str(connection.execute("PRAGMA quick_check").fetchone()[0])
            finally:
                connection.close()
        except sqlite3.OperationalError:
            self._result = None  # locked, cannot open...: open_database() finds out and says so
        except sqlite3.DatabaseError as error:  # not a database, malformed: damaged
            self._result = str(error) or "damaged"

    def outcome(self) -> str | None:
        """"ok", SQLite's complaint (a damaged file), or None when the check could not run."""
        self._thread.join()
        return self._result


def sqlite_uri(path: Path) -> str:
    """A file: URI SQLite accepts, for local, drive-letter and UNC (network share) paths alike."""
    posix = path.as_posix()
    return "file://" + ("" if posix.startswith("/") else "/") + quote(posix, safe="/:")


def _read_stamp(content: str, database_path: Path) -> tuple[bool, dict[str, Any] | None]:
    """(closed cleanly, start page) from the lock file's content."""
    stamp, _newline, page = content.partition("\n")
    if stamp.strip() != _clean_stamp(database_path):
        return False, None
    try:
        loaded = json.loads(page) if page.strip() else None
    except ValueError:
        loaded = None  # a damaged start page costs only the quick start
    return True, loaded if isinstance(loaded, dict) else None


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

    # One byte far past the text is locked, so that another process can still read the text
    # (who holds the file; the stamp). The descriptor's position is put back each time.
    _LOCKED_BYTE = 1 << 30

    def _locking(handle: object, mode: int) -> None:
        fd = handle.fileno()  # type: ignore[attr-defined]
        at = os.lseek(fd, 0, os.SEEK_CUR)
        os.lseek(fd, _LOCKED_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, mode, 1)  # type: ignore[attr-defined]
        finally:
            os.lseek(fd, at, os.SEEK_SET)

    def _lock_file(handle: object) -> None:
        _locking(handle, msvcrt.LK_NBLCK)  # type: ignore[attr-defined]

    def _unlock_file(handle: object) -> None:
        _locking(handle, msvcrt.LK_UNLCK)  # type: ignore[attr-defined]
else:
    import fcntl

    def _lock_file(handle: object) -> None:
        # flock locks belong to the open file, so a second open in the same process conflicts too.
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # type: ignore[attr-defined]

    def _unlock_file(handle: object) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)  # type: ignore[attr-defined]
