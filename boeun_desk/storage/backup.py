"""Rotating backups with SQLite's online backup API, and the rules that keep them off a full disk.

Backups live in `backups/` beside the database file, one self-contained 0600 file each
(`<name>-YYYYMMDD-HHMMSS[-reason].sqlite3`, rollback journal, no -wal needed). Thinning follows
Anki (`rslib/src/collection/backup.rs`): the newest few of today and of yesterday, then the newest
of each day for 12 days, of each week for 10 weeks, of each month for 9 months; and the oldest go
first while the folder holds more than `SIZE_FACTOR` times the database and its files. Automatic
backups come at most every 30 minutes (on open once a day, on close after changes). Restore:
storage/restore.py.

The attachment files every backup names live once in a store all backups share,
`backups/files/ab/<hash>` (a photo kept for a year is stored once, not once per backup). A backup
file gets its final name only after the files it names are in the store, each checked against its
hash; thinning never deletes a stored file, a sweep afterwards removes the files no remaining
backup names (once they are an hour old: a parallel backup may be storing them for its copy).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from boeun_desk.i18n import t
from boeun_desk.progress import IsCancelled, Progress, stop_if
from boeun_desk.storage import cipher, filestore
from boeun_desk.storage.errors import DatabaseError
from boeun_desk.storage.files import LEFTOVERS, PART, atomic_path, sweep_leftovers

DAILY, WEEKLY, MONTHLY = 12, 10, 9
PER_RECENT_DAY = 6  # backups kept of today and of yesterday each (the newest)
INTERVAL = timedelta(minutes=30)  # automatic backups at most this often
SIZE_FACTOR = 10  # the backups of a database hold at most this many times its size
LOW_SPACE = 500 * 1024 * 1024  # free bytes below which the officer is warned (or 2x the database)
_STAMP = "%Y%m%d-%H%M%S"
STEP_PAGES = 1024  # pages the backup API copies between progress reports (4 MB of 4 KiB pages)
STORE_GRACE = 3600.0  # seconds a stored file no backup names stays (a parallel backup may need it)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    size: int


@dataclass(frozen=True)
class BackupResult:
    path: Path
    files: filestore.Copied  # the files it names: copied into the store now, already there, missing
    swept: int = 0  # stored files no remaining backup names, removed


def backups_dir(database_path: Path) -> Path:
    return database_path.parent / "backups"


def files_store(database_path: Path) -> Path:
    """The attachment files all backups of the database share."""
    return backups_dir(database_path) / "files"


def _pattern(database_path: Path) -> re.Pattern[str]:
    """Backups are named by the database's whole file name (office.db and office.sqlite3 beside
    each other have their own); an older version named them by the stem, which a `.sqlite3` file
    still recognises as its own."""
    names = [re.escape(database_path.name)]
    if database_path.suffix == ".sqlite3":
        names.append(re.escape(database_path.stem))
    return re.compile(rf"^(?:{'|'.join(names)})-(\d{{8}}-\d{{6}})(?:-[a-z]+)?(?:-\d+)?\.sqlite3$")


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
            try:
                info = path.stat()
            except OSError:  # removed meanwhile by another copy thinning the same folder
                continue
            found.append((BackupInfo(path, datetime.strptime(match[1], _STAMP), info.st_size), info.st_mtime_ns))
    return [b for b, _ in sorted(found, key=lambda f: (f[0].taken_at, f[1]), reverse=True)]


def copy_database(source: Path, target: Path, then: Callable[[Path], object] | None = None, *,
                  progress: Progress | None = None, cancelled: IsCancelled | None = None) -> None:
    """A consistent 0600 copy of a live database (WAL included) through the online backup API,
    written under a unique temporary name beside the target and renamed into place (after
    `then(copy)` has run on the finished copy, if given). With `progress` or `cancelled` it copies
    a few pages at a time, reporting and stopping between them (stopped, no copy is left). A copy
    of an encrypted database is encrypted with the same key (the one this process was given for
    it: cipher.remember)."""
    encrypted = cipher.is_encrypted(source)
    key = cipher.key_for(source) if encrypted else None
    if encrypted and key is None:
        raise DatabaseError(t("암호화된 데이터베이스입니다. 암호가 필요합니다: {path}", path=source))
    try:
        with atomic_path(target) as scratch:
            if key is not None:
                from boeun_desk.storage.convert import copy_file

                copy_file(source, scratch, key, key, progress=progress, cancelled=cancelled)
            else:
                src = sqlite3.connect(source, timeout=30)
                try:
                    dst = sqlite3.connect(scratch)
                    try:
                        copy_pages(src, dst, progress, cancelled)
                        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                    finally:
                        dst.close()
                finally:
                    src.close()
            if then is not None:
                then(scratch)
    except (sqlite3.Error, OSError) as error:
        raise DatabaseError(_copy_failed(error, target)) from error


def copy_pages(src: sqlite3.Connection, dst: sqlite3.Connection, progress: Progress | None = None,
               cancelled: IsCancelled | None = None) -> None:
    """SQLite's backup API: all at once, or (someone watching) `STEP_PAGES` pages at a time."""
    if progress is None and cancelled is None:
        src.backup(dst)
        return

    def step(_status: int, remaining: int, total: int) -> None:
        stop_if(cancelled)  # raised here, SQLite abandons the copy
        if progress is not None:
            progress(total - remaining, total, stage=t("데이터베이스를 복사하는 중"))

    src.backup(dst, pages=STEP_PAGES, progress=step)


def _copy_failed(error: Exception, target: Path) -> str:
    text = str(error).lower()
    if "full" in text or getattr(error, "errno", None) == 28:
        return t("디스크 공간이 부족하여 백업을 만들 수 없습니다: {path}", path=target)
    return t("백업을 만들 수 없습니다: {detail}", detail=error)


def create_backup(database_path: Path, *, reason: str = "", now: datetime | None = None,
                  progress: Progress | None = None, cancelled: IsCancelled | None = None) -> Path:
    """Write a backup now (then thin old ones) and return its path."""
    return make_backup(database_path, reason=reason, now=now, progress=progress, cancelled=cancelled).path


def make_backup(database_path: Path, *, reason: str = "", now: datetime | None = None,
                progress: Progress | None = None, cancelled: IsCancelled | None = None) -> BackupResult:
    """Write a backup with its files in the shared store, thin old backups, sweep the store.
    Stopped (`cancelled`) before the backup has its name, no backup is left (files it already put
    in the shared store are whole files, swept later like any other no backup names)."""
    if not database_path.is_file():
        raise DatabaseError(t("데이터베이스 파일이 없습니다: {path}", path=database_path))
    folder = backups_dir(database_path)
    folder.mkdir(mode=0o700, exist_ok=True)  # its files are 0600 too
    sweep_leftovers(folder, (*LEFTOVERS, f"*{PART}", f"*{PART}-*"))  # our own folder: older names too
    taken = now or datetime.now()
    base = f"{database_path.name}-{taken.strftime(_STAMP)}" + (f"-{reason}" if reason else "")
    target = folder / f"{base}.sqlite3"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{base}-{counter}.sqlite3"
    copied: list[filestore.Copied] = []

    def store(copy: Path) -> None:
        if progress is not None:
            progress(0, 0, stage=t("첨부파일을 보관하는 중"))
        copied.append(_store_files(database_path, copy, cancelled))
        stop_if(cancelled)
        if progress is not None:  # the rename that names the backup, then thinning: moments
            progress(0, 0, stage=t("백업을 마무리하는 중"), stoppable=False)

    copy_database(database_path, target, then=store, progress=progress, cancelled=cancelled)
    return BackupResult(target, copied[0], _thin(database_path, taken))


def _store_files(database_path: Path, copy: Path, cancelled: IsCancelled | None = None) -> filestore.Copied:
    store = files_store(database_path)
    store.mkdir(mode=0o700, exist_ok=True)
    hashes = filestore.named_hashes(copy, cipher.key_for(database_path))
    for content_hash in hashes:  # files this backup names are fresh: a parallel sweep spares them
        with contextlib.suppress(OSError):
            os.utime(filestore.content_path(store, content_hash))
    return filestore.copy_named(hashes, filestore.files_dir_for(database_path), store, cancelled=cancelled)


def _thin(database_path: Path, now: datetime) -> int:
    """Delete the backups beyond the rules and the size limit; then sweep the store. The number of
    stored files removed."""
    backups = list_backups(database_path)
    store = files_store(database_path)
    key = cipher.key_for(database_path)
    try:
        named = {b.path: filestore.named_hashes(b.path, key) for b in backups}
    except sqlite3.Error:  # a damaged backup: what it names is unknown, so the store is left alone
        named = None
    sizes = _stored_sizes(store)
    gone = to_thin(backups, now)
    remaining = [b for b in backups if b not in gone]
    newest = named.get(remaining[0].path, set()) if named and remaining else set()
    limit = size_limit(database_path) + SIZE_FACTOR * sum(sizes.get(h, 0) for h in newest)
    gone += over_size(remaining, limit, named or {}, sizes)
    for old in gone:
        old.path.unlink(missing_ok=True)
    if named is None:
        return 0
    try:  # the store is shared by every database whose backups are in this folder
        keep = set().union(*(filestore.named_hashes(other, key)
                             for other in backups_dir(database_path).glob("*.sqlite3")))
    except sqlite3.Error:
        return 0
    return sweep_store(store, keep, sizes)


def _stored_sizes(store: Path) -> dict[str, int]:
    sizes = {}
    for path in store.glob("??/*"):
        if filestore.is_content_hash(path.name):
            with contextlib.suppress(OSError):
                sizes[path.name] = path.stat().st_size
    return sizes


def sweep_store(store: Path, keep: set[str], stored: Mapping[str, int] | None = None) -> int:
    """Remove stored files not in `keep` (once `STORE_GRACE` old); how many were removed."""
    cutoff, removed = time.time() - STORE_GRACE, 0
    for content_hash in (stored if stored is not None else _stored_sizes(store)):
        if content_hash in keep:
            continue
        path = filestore.content_path(store, content_hash)
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:
            continue
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # only when empty
    return removed


def size_limit(database_path: Path) -> int:
    try:
        return SIZE_FACTOR * database_path.stat().st_size
    except OSError:
        return 0


def over_size(backups: Sequence[BackupInfo], limit: int, named: Mapping[Path, set[str]] | None = None,
              sizes: Mapping[str, int] | None = None) -> list[BackupInfo]:
    """The oldest backups beyond `limit` bytes in all; the newest one always stays. With `named`
    (the file hashes each backup names) and `sizes` (of the stored files), a stored file counts
    once, with the newest backup that names it."""
    newest_first = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    total, remove, counted = 0, [], set()
    for index, backup in enumerate(newest_first):
        new = (named or {}).get(backup.path, set()) - counted
        counted |= new
        total += backup.size + sum((sizes or {}).get(h, 0) for h in new)
        if index > 0 and total > limit:
            remove.append(backup)
    return remove


def _recent(database_path: Path, within: timedelta) -> bool:
    newest = list_backups(database_path)
    return bool(newest) and datetime.now() - newest[0].taken_at < within


def backup_if_due(database_path: Path, max_age: timedelta = timedelta(days=1)) -> Path | None:
    """A backup when the newest is older than `max_age` (on open); None when one is recent enough
    or the disk has no room for it (see space_warning)."""
    if _recent(database_path, max_age) or space_warning(database_path, needed=True):
        return None
    return create_backup(database_path)


def backup_if_changed(database_path: Path, interval: timedelta | None = None) -> Path | None:
    """On close: a backup when the data changed after the newest backup and that one is older
    than `interval`. Never raises."""
    try:
        newest = list_backups(database_path)
        if newest and datetime.now() - newest[0].taken_at < (INTERVAL if interval is None else interval):
            return None
        # Every change leaves audit entries, so comparing the audit trail's size and last time
        # tells real changes apart from file times that move whenever SQLite merely opens the file.
        key = cipher.key_for(database_path)
        if newest and _watermark(database_path, key) == _watermark(newest[0].path, key):
            return None
        if space_warning(database_path, needed=True):
            return None
        return create_backup(database_path)
    except (DatabaseError, OSError):
        return None  # closing must not fail; the database itself is intact


def space_warning(database_path: Path, *, needed: bool = False) -> str | None:
    """A Korean warning when the disk of the database and its backups is nearly full; None when
    there is room. `needed`: only when a new backup would not fit above the margin."""
    try:
        size = database_path.stat().st_size
        free = shutil.disk_usage(database_path.parent).free
    except OSError:
        return None
    margin = max(LOW_SPACE, 2 * size)
    if free - (size if needed else 0) >= margin:
        return None
    return t("디스크 여유 공간이 부족합니다({free} MB 남음). 자동 백업을 건너뛸 수 있습니다. "
             "파일을 정리하거나 오래된 백업을 옮기세요: {folder}", free=free // (1024 * 1024),
             folder=backups_dir(database_path))


def _watermark(path: Path, key: cipher.Key | None = None) -> tuple[object, ...]:
    """(entries, last time) of a database file's audit trail, read without writing to it."""
    try:
        with cipher.connect(path, key, readonly=True) as connection:
            return tuple(connection.execute("SELECT count(*), max(at) FROM audit_entry").fetchone())
    except sqlite3.DatabaseError:
        return ()  # not a Boeun Desk file (or damaged, or another key): treat as changed


def to_thin(backups: Sequence[BackupInfo], now: datetime) -> list[BackupInfo]:
    """Backups to delete: the newest `PER_RECENT_DAY` of today and of yesterday, then the newest
    per day, week and month. Tiers follow each other: 12 days kept as dailies, then 10 older
    weeks, then 9 older months."""
    yesterday = (now - timedelta(days=1)).date()
    limits = {"day": DAILY, "week": WEEKLY, "month": MONTHLY}
    seen: dict[str, set[object]] = {tier: set() for tier in limits}
    used = dict.fromkeys(limits, 0)
    per_recent_day: dict[object, int] = {}
    remove = []
    for backup in sorted(backups, key=lambda b: b.taken_at, reverse=True):
        day = backup.taken_at.date()
        periods = {"day": day, "week": day.isocalendar()[:2], "month": (day.year, day.month)}
        if day >= yesterday:
            per_recent_day[day] = per_recent_day.get(day, 0) + 1
            if per_recent_day[day] > PER_RECENT_DAY:
                remove.append(backup)
                continue
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


def damaged_message(where: object, *, headline: bool = True) -> str:
    """Why a file cannot be opened, and the advice that can work (restore, or another copy)."""
    message = (t("데이터베이스 파일을 열 수 없습니다(손상되었거나 데이터베이스 파일이 아닙니다): {path}", path=where) + "\n"
               if headline else "")
    if isinstance(where, Path) and not list_backups(where):
        return message + t("이 파일의 백업이 없습니다. 다른 노트북의 사본이나 동기화 파일에서 다시 가져오세요.")
    return message + t("최근 백업에서 복원하려면: boeun-desk restore --latest (손상된 파일은 지우지 않고 옆에 보관합니다)")
