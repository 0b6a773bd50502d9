"""Copying a database file between plain and encrypted, and turning a database's encryption on,
off or to a new passphrase without ever leaving its path without a whole database.

A conversion takes the instance lock (never while a window has the file), folds the write-ahead log
into the file and switches it to a rollback journal (which fails while any other program has it
open), and holds a read lock on it so that nobody writes meanwhile. It exports the file into a new
one beside it (SQLCipher's `sqlcipher_export` through `ATTACH ... KEY`, or the backup API between
files of one key), checks the new file (integrity_check, the mark, the schema revision and the
number of rows of every table) and only then renames it over the old one. A kill at any moment
leaves the old file or the new one at the path: it opens with the old passphrase or the new.
Then the backups (and files kept aside by a restore) are converted the same way, one by one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from boeun_desk.i18n import t
from boeun_desk.progress import IsCancelled, Progress, never, quiet, stop_if
from boeun_desk.storage import cipher
from boeun_desk.storage.backup import copy_pages, list_backups
from boeun_desk.storage.errors import DatabaseError, WrongPassphrase
from boeun_desk.storage.files import atomic_path
from boeun_desk.storage.lock import InstanceLock

# Tests set this to a number: the conversion stops the process hard after that many of its steps
# (kill -9 at a chosen point), to prove every step leaves a database that opens.
CRASH_AFTER = "BOEUN_DESK_TEST_CRASH_AFTER"
_steps = 0


def _step() -> None:
    global _steps
    limit = os.environ.get(CRASH_AFTER)
    _steps += 1
    if limit and _steps >= int(limit):
        os.kill(os.getpid(), 9)


def _export(source: Path, target: Path, source_key: cipher.Key | None, target_key: cipher.Key | None,
            progress: Progress | None, cancelled: IsCancelled | None) -> None:
    """Write the whole database at `source` into the new file `target`, with `target_key` (None:
    plain). The mark and the user_version travel with it."""
    salt = cipher.file_salt(source)
    with contextlib.closing(cipher.keyed_connect(
            source, source_key.for_file(source) if source_key and salt else None, timeout=30)) as conn:
        conn.isolation_level = None
        if salt is not None and source_key is not None and target_key is source_key:
            # One key: the backup API copies the pages (fast, reported and stoppable), under the same salt.
            with contextlib.closing(cipher.keyed_connect(target, source_key.pragma_value(salt))) as dst:
                copy_pages(conn, dst, progress, cancelled)
                dst.execute("PRAGMA journal_mode=DELETE")
            return
        if progress is not None:  # one statement: no count of pages to report
            progress(0, 0, stage=t("데이터베이스를 복사하는 중"))
        if cancelled is not None:  # SQLite calls it every so many steps; 1 interrupts the export
            conn.set_progress_handler(lambda: int(cancelled()), 100_000)
        value = target_key.pragma_value(target_key.salt) if target_key is not None else ""
        conn.execute("ATTACH DATABASE ? AS target KEY ?", (str(target), value))
        try:
            conn.execute("SELECT sqlcipher_export('target')")
            for pragma in ("application_id", "user_version"):
                number = int(conn.execute(f"PRAGMA main.{pragma}").fetchone()[0])
                conn.execute(f"PRAGMA target.{pragma}={number}")
        finally:
            conn.set_progress_handler(None, 0)
            conn.execute("DETACH DATABASE target")


def copy_file(source: Path, target: Path, source_key: cipher.Key | None, target_key: cipher.Key | None, *,
              progress: Progress | None = None, cancelled: IsCancelled | None = None) -> None:
    """A consistent copy of a (live) database file into the new file `target`: plain when
    `target_key` is None, else encrypted with it (plain files of one kind are copied by the
    backup module's page copy). sqlite3 errors (the driver's, translated); Cancelled when
    `cancelled` says so (the partial `target` is the caller's to remove)."""
    try:
        _export(source, target, source_key, target_key, progress, cancelled)
    except cipher.driver().Error as error:
        stop_if(cancelled)  # interrupted by the officer, not a damaged file
        if "not a database" in str(error):
            raise WrongPassphrase(cipher.wrong_passphrase_message(source), source) from error
        raise cipher._translated(error) from error


def _counts(connection: sqlite3.Connection) -> dict[str, object]:
    tables = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    found: dict[str, object] = {f"rows:{name}": connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                                for name in tables}
    for pragma in ("application_id", "user_version"):
        found[pragma] = connection.execute(f"PRAGMA {pragma}").fetchone()[0]
    if "alembic_version" in tables:
        found["revision"] = connection.execute("SELECT max(version_num) FROM alembic_version").fetchone()[0]
    return found


def summary(path: Path, key: cipher.Key | None) -> dict[str, object]:
    """What a copy must have: rows of every table, the mark, user_version, schema revision."""
    with cipher.connect(path, key, readonly=True, timeout=30) as connection:
        return _counts(connection)


def verify(path: Path, key: cipher.Key | None, expected: dict[str, object]) -> None:
    """DatabaseError unless the file at `path` is sound, encrypted as `key` says and holds
    exactly what `expected` (summary() of its source) says."""
    if cipher.is_encrypted(path) != (key is not None):
        raise DatabaseError(t("변환한 파일의 암호화 상태가 맞지 않습니다: {path}", path=path))
    with cipher.connect(path, key, readonly=True, timeout=30) as connection:
        check = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchall()]
        found = _counts(connection)
    if check != ["ok"]:
        raise DatabaseError(t("변환한 파일이 검사를 통과하지 못했습니다: {detail}", detail="; ".join(check[:3])))
    if found != expected:
        different = sorted(k for k in set(found) | set(expected) if found.get(k) != expected.get(k))
        raise DatabaseError(t("변환한 파일의 내용이 원본과 다릅니다({what}). 원본을 그대로 두었습니다", what=", ".join(different)))


def convert_file(path: Path, old_key: cipher.Key | None, new_key: cipher.Key | None) -> None:
    """Replace a closed database file (a backup, say) by a verified copy with `new_key`."""
    expected = summary(path, old_key)
    with atomic_path(path) as scratch:
        copy_file(path, scratch, old_key, new_key)
        verify(scratch, new_key, expected)


@dataclass(frozen=True)
class Converted:
    path: Path
    encrypted: bool
    copies: int  # backups and kept-aside files converted with it
    left: tuple[Path, ...] = ()  # copies this key could not open (another passphrase): left as they are


def convert(database_path: Path, old_key: cipher.Key | None, new_key: cipher.Key | None, *,
            progress: Progress = quiet, cancelled: IsCancelled = never) -> Converted:
    """Encrypt (`old_key` None), decrypt (`new_key` None) or change the passphrase of a database
    file and then of its backups. DatabaseError (Korean) when it cannot; WrongPassphrase when
    `old_key` does not open it; the file is then as it was. `cancelled` is asked until the new
    file is renamed into place (Cancelled: the file is as it was); the backups after it are
    converted without stopping, so none is left readable without the passphrase."""
    if old_key is None and new_key is None:
        raise ValueError("nothing to convert")
    if not database_path.is_file():
        raise DatabaseError(t("데이터베이스 파일이 없습니다: {path}", path=database_path))
    encrypted = cipher.is_encrypted(database_path)
    if old_key is None and encrypted:
        raise DatabaseError(t("이미 암호화된 데이터베이스입니다: {path}", path=database_path))
    if old_key is not None and not encrypted:
        raise DatabaseError(t("암호화되지 않은 데이터베이스입니다: {path}", path=database_path))
    lock = InstanceLock.acquire(database_path)  # released empty: no start page is left in the clear
    try:
        holder = _Holder(database_path, old_key)
        try:
            _step()
            with atomic_path(database_path) as scratch:
                copy_file(database_path, scratch, old_key, new_key, progress=progress, cancelled=cancelled)
                _step()
                progress(0, 0, stage=t("변환한 파일을 검사하는 중"))
                verify(scratch, new_key, holder.expected)
                _step()
                stop_if(cancelled)  # the last place to stop: from here the new file takes the path
                progress(0, 0, stage=t("데이터베이스 파일을 바꿔 넣는 중"), stoppable=False)
                holder.close()  # before the rename: Windows cannot replace a file that is open
        except BaseException:
            holder.close(as_it_was=True)
            # the file as it was: a clean close's stamp stays (the next open needs no check)
            lock.release(database_path if lock.closed_cleanly else None)
            raise
        # renamed over the old file: the old one (and its log, folded in before) is gone
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{database_path}{suffix}").unlink()
        _step()
        copies, left = _convert_copies(database_path, old_key, new_key, progress)
    finally:
        lock.release()
    return Converted(database_path, new_key is not None, copies, tuple(left))


class _Holder:
    """The file made whole (log folded in, rollback journal) and read-locked until close(), so no
    other program writes meanwhile; `expected` is its summary. DatabaseError when another program
    has it open."""

    def __init__(self, path: Path, key: cipher.Key | None):
        busy = DatabaseError(t("데이터베이스를 다른 프로그램이 사용 중입니다: {path}", path=path))
        self._context = cipher.connect(path, key, timeout=5)
        connection = self._context.__enter__()
        self._open = True
        try:
            connection.isolation_level = None
            self._connection = connection
            self._journal = str(connection.execute("PRAGMA journal_mode").fetchone()[0]).lower()
            if connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] != 0:
                raise busy
            if str(connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0]).lower() != "delete":
                raise busy
            connection.execute("BEGIN")
            self.expected = _counts(connection)  # takes the read lock too
        except BaseException as error:
            self.close()
            if type(error).__name__ == "OperationalError":  # sqlite3's or SQLCipher's: locked
                raise busy from error
            raise

    def close(self, *, as_it_was: bool = False) -> None:
        """Unlock. `as_it_was` (the conversion given up): the file gets its journal mode back (a
        write-ahead log, as the program keeps it); its content was never touched."""
        if self._open:
            self._open = False
            try:
                if as_it_was and self._journal == "wal":
                    with contextlib.suppress(Exception):  # it opens either way; WAL comes back on the next open
                        self._connection.execute("ROLLBACK")
                        self._connection.execute("PRAGMA journal_mode=WAL")
            finally:
                self._context.__exit__(None, None, None)


def encrypt_plain_copies(database_path: Path, key: cipher.Key) -> int:
    """Encrypt with `key` the backups of an encrypted database still in the clear (a conversion
    killed after the rename); how many. Never raises: the database itself is sound."""
    done = 0
    for copy in _copies(database_path):
        if not cipher.is_encrypted(copy) and copy.stat().st_size > 0:
            try:
                convert_file(copy, None, key)
            except (DatabaseError, sqlite3.Error, OSError):
                continue
            done += 1
    return done


def _copies(database_path: Path) -> list[Path]:
    aside = sorted(p for p in database_path.parent.glob(f"{database_path.name}.before-restore-*")
                   if not p.name.endswith(("-wal", "-shm")))
    return [b.path for b in list_backups(database_path)] + aside


def _convert_copies(database_path: Path, old_key: cipher.Key | None, new_key: cipher.Key | None,
                    progress: Progress) -> tuple[int, list[Path]]:
    """Bring every backup to the new key. One already there is skipped (a conversion cut short
    and run again); one neither key opens is left and named."""
    copies = _copies(database_path)
    done, left = 0, []
    for number, copy in enumerate(copies, start=1):
        progress(number - 1, len(copies), stage=t("백업을 바꾸는 중"), stoppable=False)
        source_key = _key_opening(copy, (new_key, old_key))
        if source_key is False:
            left.append(copy)
            continue
        if source_key is new_key and cipher.is_encrypted(copy) == (new_key is not None):
            continue
        try:
            convert_file(copy, source_key, new_key)  # type: ignore[arg-type]
        except (DatabaseError, sqlite3.Error, OSError):
            left.append(copy)
            continue
        done += 1
        _step()
    return done, left


def _key_opening(path: Path, keys: tuple[cipher.Key | None, ...]) -> cipher.Key | None | bool:
    """The key of `keys` that opens the file (None: it is plain), False when none does."""
    if not cipher.is_encrypted(path):
        return None
    for key in keys:
        if key is None:
            continue
        try:
            cipher.check_key(path, key)
        except sqlite3.Error:
            continue
        return key
    return False
