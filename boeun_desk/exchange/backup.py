"""Rotating backups with SQLite's online backup API, integrity checks and restore.

Backups live in `backups/` beside the database file, one self-contained file each
(`<name>-YYYYMMDD-HHMMSS[-reason].sqlite3`, rollback journal, no -wal needed). Thinning follows
Anki (`rslib/src/collection/backup.rs`): everything from today and yesterday, then the newest of
each day for 12 days, of each week for 10 weeks, of each month for 9 months.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from boeun_desk.db import DatabaseError, InstanceLock
from boeun_desk.i18n import t

DAILY, WEEKLY, MONTHLY = 12, 10, 9
_STAMP = "%Y%m%d-%H%M%S"
_SIDE_FILES = ("-wal", "-shm")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    size: int


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    kept_aside: tuple[Path, ...]


def backups_dir(database_path: Path) -> Path:
    return database_path.parent / "backups"


def _pattern(database_path: Path) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(database_path.stem)}-(\d{{8}}-\d{{6}})(?:-[a-z]+)?(?:-\d+)?\.sqlite3$")


def list_backups(database_path: Path) -> list[BackupInfo]:
    """This database's backups, newest first."""
    folder = backups_dir(database_path)
    if not folder.is_dir():
        return []
    pattern = _pattern(database_path)
    found = []
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if match:
            found.append(BackupInfo(path, datetime.strptime(match[1], _STAMP), path.stat().st_size))
    return sorted(found, key=lambda b: (b.taken_at, b.path.stat().st_mtime_ns), reverse=True)


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a live database (WAL included) through the online backup API.

    Written beside the target and renamed into place, so a crash never leaves half a file there.
    """
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(source, timeout=30)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as error:
        partial.unlink(missing_ok=True)
        raise DatabaseError(_copy_failed(error, target)) from error


def _copy_failed(error: Exception, target: Path) -> str:
    text = str(error).lower()
    if "full" in text or getattr(error, "errno", None) == 28:
        return t("디스크 공간이 부족하여 백업을 만들 수 없습니다: {path}", path=target)
    return t("백업을 만들 수 없습니다: {detail}", detail=error)


def create_backup(database_path: Path, *, reason: str = "", now: datetime | None = None) -> Path:
    """Write a backup now (then thin old ones) and return its path."""
    if not database_path.is_file():
        raise DatabaseError(t("데이터베이스 파일이 없습니다: {path}", path=database_path))
    folder = backups_dir(database_path)
    folder.mkdir(exist_ok=True)
    taken = now or datetime.now()
    base = f"{database_path.stem}-{taken.strftime(_STAMP)}" + (f"-{reason}" if reason else "")
    target = folder / f"{base}.sqlite3"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{base}-{counter}.sqlite3"
    copy_database(database_path, target)
    for old in to_thin(list_backups(database_path), taken):
        old.path.unlink(missing_ok=True)
    return target


def backup_if_due(database_path: Path, max_age: timedelta = timedelta(days=1)) -> Path | None:
    """A backup when the newest is older than `max_age` (on open); None when one is recent enough."""
    newest = list_backups(database_path)
    if newest and datetime.now() - newest[0].taken_at < max_age:
        return None
    return create_backup(database_path)


def backup_if_changed(database_path: Path) -> Path | None:
    """On close: a backup when the file (or its WAL) changed after the newest backup. Never raises."""
    try:
        newest = list_backups(database_path)
        # Every change leaves audit entries, so comparing the audit trail's size and last time
        # tells real changes apart from file times that move whenever SQLite merely opens the file.
        if newest and _watermark(database_path) == _watermark(newest[0].path):
            return None
        return create_backup(database_path)
    except (DatabaseError, OSError):
        return None  # closing must not fail; the database itself is intact


def _watermark(path: Path) -> tuple[object, ...]:
    """(entries, last time) of a database file's audit trail, read without writing to it."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return tuple(connection.execute("SELECT count(*), max(at) FROM audit_entry").fetchone())
    except sqlite3.DatabaseError:
        return ()  # not a Boeun Desk file (or damaged): treat as changed
    finally:
        connection.close()


def to_thin(backups: Sequence[BackupInfo], now: datetime) -> list[BackupInfo]:
    """Backups to delete: keep today and yesterday, then the newest per day, week and month.

    Tiers follow each other: 12 days kept as dailies, then 10 older weeks, then 9 older months.
    """
    yesterday = (now - timedelta(days=1)).date()
    limits = {"day": DAILY, "week": WEEKLY, "month": MONTHLY}
    seen: dict[str, set[object]] = {tier: set() for tier in limits}
    used = dict.fromkeys(limits, 0)
    remove = []
    for backup in sorted(backups, key=lambda b: b.taken_at, reverse=True):
        day = backup.taken_at.date()
        periods = {"day": day, "week": day.isocalendar()[:2], "month": (day.year, day.month)}
        tier = next((tier for tier, limit in limits.items()
                     if periods[tier] not in seen[tier] and used[tier] < limit), None)
        if day < yesterday and tier is None:
            remove.append(backup)
            continue
        if day < yesterday and tier is not None:
            used[tier] += 1
        for name in seen:
            seen[name].add(periods[name])
    return remove


def integrity_errors(path: Path, *, quick: bool = False) -> list[str]:
    """Problems SQLite finds in a file (full integrity_check by default); [] when it is sound."""
    if not path.is_file():
        return [t("파일이 없습니다: {path}", path=path)]
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            rows = conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as error:
        return [t("데이터베이스 파일을 읽을 수 없습니다: {detail}", detail=error)]
    messages = [str(row[0]) for row in rows]
    return [] if messages == ["ok"] else messages


def restore(database_path: Path, source: Path | None = None) -> RestoreResult:
    """Replace the database with a sound backup (the newest sound one when `source` is None).

    The current file and its -wal/-shm are moved aside unchanged (`*.before-restore-<time>`), never
    deleted: they may hold work the officer still wants to rescue.
    """
    chosen = _choose_backup(database_path, source)
    lock = InstanceLock.acquire(database_path)
    try:
        stamp = datetime.now().strftime(_STAMP)
        kept = []
        for suffix in ("", *_SIDE_FILES):
            current = Path(f"{database_path}{suffix}")
            if current.exists():
                aside = database_path.with_name(f"{database_path.name}.before-restore-{stamp}{suffix}")
                os.replace(current, aside)
                kept.append(aside)
        copy_database(chosen, database_path)
    finally:
        lock.release()
    return RestoreResult(chosen, tuple(kept))


def _choose_backup(database_path: Path, source: Path | None) -> Path:
    if source is not None:
        if integrity_errors(source):
            raise DatabaseError(t("백업 파일이 손상되어 복원할 수 없습니다: {path}", path=source))
        return source
    for backup in list_backups(database_path):
        if not integrity_errors(backup.path):
            return backup.path
    raise DatabaseError(t("복원할 수 있는 백업이 없습니다: {folder}", folder=backups_dir(database_path)))
