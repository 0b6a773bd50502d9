"""Writing whole files safely: `atomic_write()` and `atomic_path()`.

A file is written under a unique temporary name in its own folder (created 0600, so personal data
is never world-readable on POSIX), fsynced, renamed over the final name and the folder fsynced:
a crash or a full disk leaves the previous file or the new one, never half of one, and two
processes writing at once never share a temporary file. Temporary files of killed runs are removed
the next time a file is written into the same folder, once they are an hour old.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

PART = ".part"
STALE_AFTER = 3600.0  # seconds: a temporary file older than this belongs to a run that died
# Our temporary names: ".<name>.<random>.part" files (with SQLite's -journal/-wal/-shm beside one
# that was a database) and ".batch-<random>" folders (reports/api.py).
LEFTOVERS = (f".*{PART}", f".*{PART}-*", ".batch-*")
_SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")


def private_mode(path: Path) -> None:
    """Owner read/write only (POSIX; Windows keeps the folder's access rules)."""
    if os.name == "posix":
        os.chmod(path, 0o600)


def create_private(path: Path) -> None:
    """Create an empty file 0600 (before SQLite opens it: SQLite gives its -wal and -shm the same
    mode as the database file). Fails if the file exists."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600))


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; on Windows a rename is durable once it returns)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sweep_leftovers(folder: Path, patterns: tuple[str, ...] = LEFTOVERS, *,
                    older_than: float = STALE_AFTER) -> list[Path]:
    """Remove temporary files and folders of killed runs (by name, only when older than
    `older_than` seconds: a parallel run's are younger). Never raises; the removed paths."""
    removed: list[Path] = []
    cutoff = time.time() - older_than
    for pattern in patterns:
        with contextlib.suppress(OSError):
            for path in folder.glob(pattern):
                try:
                    if path.lstat().st_mtime >= cutoff:
                        continue
                    if path.is_dir() and not path.is_symlink():
                        shutil.rmtree(path)
                    else:
                        path.unlink()
                    removed.append(path)
                except OSError:
                    continue
    return removed


def temporary_path(target: Path) -> Path:
    """A new, empty, unique 0600 file beside `target` for this process to fill."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=PART, dir=target.parent)
    os.close(handle)
    return Path(name)


@contextlib.contextmanager
def atomic_path(target: Path | str, *, sweep: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside `target` for a library that writes by name (SQLite, openpyxl);
    on success it is fsynced and renamed to `target`, on failure removed."""
    target = Path(target)
    if sweep:
        sweep_leftovers(target.parent)
    scratch = temporary_path(target)
    try:
        yield scratch
        _fsync_file(scratch)
        os.replace(scratch, target)
    except BaseException:
        for suffix in ("", *_SQLITE_SIDE_FILES):
            with contextlib.suppress(OSError):
                Path(f"{scratch}{suffix}").unlink()
        raise
    fsync_folder(target.parent)


@contextlib.contextmanager
def atomic_write(target: Path | str, mode: str = "wb", *, encoding: str | None = None,
                 sweep: bool = True) -> Iterator[IO[Any]]:
    """Yield an open file (`mode` "wb" or "w"; seekable) whose content replaces `target` whole
    when the block ends without an error."""
    if mode not in ("wb", "w"):
        raise ValueError(mode)
    with atomic_path(target, sweep=sweep) as scratch:
        text = mode == "w"
        with open(scratch, mode, encoding=(encoding or "utf-8") if text else None) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())


def _fsync_file(path: Path) -> None:
    flags = os.O_RDONLY if os.name == "posix" else os.O_RDWR | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
