"""Checking a database file, and restoring one from a backup without ever leaving its path empty.

A restore copies the backup to a temporary file beside the database, checks the copy (SQLite's
integrity_check and that it is a Boeun Desk database this version can open), and only then swaps
it in with one rename. The file it replaces is kept beside it (`*.before-restore-<time>`), never
deleted: it may hold work the officer still wants to rescue. A kill at any moment leaves a
database at the path: the old one, or the restored one. Then every attachment file the restored
database names that its files folder lacks is copied back from the backups' shared store, each
checked against its hash (files already in the folder are left as they are).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from boeun_desk.i18n import t
from boeun_desk.progress import IsCancelled, Progress, never, quiet, stop_if
from boeun_desk.storage import cipher, filestore, identity
from boeun_desk.storage.backup import backups_dir, copy_pages, files_store, list_backups
from boeun_desk.storage.convert import copy_file
from boeun_desk.storage.errors import DatabaseError, InvalidDatabasePath, NewerDatabase, PassphraseNeeded
from boeun_desk.storage.files import atomic_path
from boeun_desk.storage.lock import InstanceLock, sqlite_uri

_STAMP = "%Y%m%d-%H%M%S"
_SIDE_FILES = ("-wal", "-shm")


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    kept_aside: tuple[Path, ...]
    files: filestore.Copied = filestore.Copied()  # attachment files brought back, there, missing


def integrity_errors(path: Path, *, quick: bool = False, key: cipher.Key | None = None,
                     cancelled: IsCancelled | None = None) -> list[str]:
    """Problems SQLite finds in a file (full integrity_check by default); [] when it is sound.
    An encrypted file is read with `key`, else with the key this process has for it. `cancelled`
    is asked while SQLite checks (Cancelled when it says yes)."""
    if not path.is_file():
        return [t("파일이 없습니다: {path}", path=path)]
    if path.stat().st_size == 0:
        return [t("파일이 비어 있습니다(0바이트): {path}", path=path)]
    try:
        with cipher.connect(path, key or cipher.key_for(path), readonly=True) as conn:
            if cancelled is not None:  # SQLite calls it every so many steps; 1 interrupts the check
                conn.set_progress_handler(lambda: int(cancelled()), 100_000)
            rows = conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
    except PassphraseNeeded as error:
        return [str(error)]
    except sqlite3.Error as error:
        stop_if(cancelled)  # interrupted by the officer, not a damaged file
        return [t("데이터베이스 파일을 읽을 수 없습니다: {detail}", detail=error)]
    messages = [str(row[0]) for row in rows]
    return [] if messages == ["ok"] else messages


def restore(database_path: Path, source: Path | None = None, *, progress: Progress = quiet,
            cancelled: IsCancelled = never) -> RestoreResult:
    """Replace the database with a sound backup (the newest sound one when `source` is None).

    Takes the instance lock first: a file another copy of the program holds is never replaced.
    It stops (`cancelled`) while it copies and checks the backup, never during the swap or the
    attachment files after it (`progress` says so: not stoppable).
    """
    if source is not None:
        _refuse_obvious(database_path, source)
    lock = InstanceLock.acquire(database_path)
    try:
        candidates = [source] if source is not None else [b.path for b in list_backups(database_path)]
        problem: DatabaseError | None = None
        for candidate in candidates:
            try:
                result = _restore_from(database_path, candidate, progress, cancelled)
            except _Unusable as error:
                problem = error.reason
                continue
            progress(0, 0, stage=t("첨부파일을 되살리는 중"), stoppable=False)
            return dataclasses.replace(result, files=restore_files(database_path))
        if problem is not None and (source is not None or isinstance(problem, PassphraseNeeded)):
            raise problem
        raise DatabaseError(t("복원할 수 있는 백업이 없습니다: {folder}", folder=backups_dir(database_path)))
    finally:
        lock.release()


def restore_files(database_path: Path) -> filestore.Copied:
    """Copy the files the database names and its files folder lacks back from the backups' store."""
    return filestore.copy_named(filestore.named_hashes(database_path), files_store(database_path),
                                filestore.files_dir_for(database_path))


class _Unusable(Exception):
    def __init__(self, reason: DatabaseError):
        self.reason = reason


def _refuse_obvious(database_path: Path, source: Path) -> None:
    if not source.is_file():
        raise InvalidDatabasePath(t("파일이 없습니다: {path}", path=source))
    if database_path.exists() and os.path.samefile(source, database_path):
        raise InvalidDatabasePath(t("지금 쓰고 있는 데이터베이스 파일 자신으로는 복원할 수 없습니다. 백업 파일을 고르세요: {path}",
                                    path=source))
    if source.stat().st_size == 0:
        raise InvalidDatabasePath(t("빈 파일(0바이트)로는 복원할 수 없습니다: {path}", path=source))


def _restore_from(database_path: Path, source: Path, progress: Progress = quiet,
                  cancelled: IsCancelled = never) -> RestoreResult:
    """The backup is written in the database's state: encrypted with the key this process has for
    the database (a plain backup of it gets encrypted on the way), else plain."""
    key = cipher.key_for(database_path)
    try:
        kind = identity.inspect_file(source, key)
    except DatabaseError as error:  # another program's file, a newer version's, damaged
        raise _Unusable(_refusal(error, source)) from error
    if kind not in (identity.Kind.OURS, identity.Kind.UNMARKED):
        raise _Unusable(InvalidDatabasePath(t("보은 데스크의 데이터베이스 파일이 아니어서 복원할 수 없습니다: {path}",
                                              path=source)))
    with atomic_path(database_path) as scratch:
        try:
            _copy(source, scratch, key, progress, cancelled)
        except PassphraseNeeded as error:
            raise _Unusable(error) from error
        except sqlite3.Error as error:
            raise _Unusable(DatabaseError(t("백업 파일을 읽을 수 없습니다: {detail}", detail=error))) from error
        progress(0, 0, stage=t("백업 파일을 검사하는 중"))
        if integrity_errors(scratch, key=key, cancelled=cancelled):
            raise _Unusable(DatabaseError(t("백업 파일이 손상되어 복원할 수 없습니다: {path}", path=source)))
        stop_if(cancelled)  # the last place to stop: from here the files are swapped
        progress(0, 0, stage=t("데이터베이스 파일을 바꿔 넣는 중"), stoppable=False)
        kept = _set_aside(database_path)
        # the rename at the end of this block puts the restored file in place in one step
    return RestoreResult(source, tuple(kept))


def _refusal(error: DatabaseError, source: Path) -> DatabaseError:
    if isinstance(error, NewerDatabase | PassphraseNeeded):
        return error
    if isinstance(error, InvalidDatabasePath):
        return InvalidDatabasePath(t("보은 데스크의 데이터베이스 파일이 아니어서 복원할 수 없습니다: {path}", path=source))
    return DatabaseError(t("백업 파일이 손상되어 복원할 수 없습니다: {path}", path=source))


def _copy(source: Path, target: Path, key: cipher.Key | None, progress: Progress = quiet,
          cancelled: IsCancelled = never) -> None:
    """The backup into `target`: encrypted with `key` when the database is (an encrypted backup
    read with it too), else a plain page copy."""
    if key is not None:
        copy_file(source, target, key if cipher.is_encrypted(source) else None, key,
                  progress=progress, cancelled=cancelled)
        return
    src = sqlite3.connect(sqlite_uri(source.resolve()) + "?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            copy_pages(src, dst, progress, cancelled)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _set_aside(database_path: Path) -> list[Path]:
    """Keep the current file and its -wal/-shm as `*.before-restore-<time>`. The log files move
    first (the old file without them is still a whole database, only older); the main file gets
    a second name (hard link, else a copy), so its path is never empty."""
    stamp = datetime.now().strftime(_STAMP)
    kept = []
    for suffix in (*_SIDE_FILES, ""):
        current = Path(f"{database_path}{suffix}")
        if not current.exists():
            continue
        aside = database_path.with_name(f"{database_path.name}.before-restore-{stamp}{suffix}")
        if suffix:
            os.replace(current, aside)
        else:
            try:
                os.link(current, aside)
            except OSError:  # no hard links here (FAT, some shares): a copy, the original stays
                with contextlib.suppress(FileNotFoundError):
                    aside.unlink()
                shutil.copy2(current, aside)
        kept.append(aside)
    return kept[-1:] + kept[:-1]  # the main file first
