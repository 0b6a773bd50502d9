"""Attachment files on disk, named by the SHA-256 of their bytes: `files/ab/abcdef…`.

The same layout serves a database's files folder (`name.files/`) and the store its backups share
(`backups/files/`); `copy_named()` brings the files a database names from one to another.

A file is hashed while it is copied into a unique temporary file in the files folder, and only then
renamed to its hash: the name is always the hash of the bytes stored (never of a source that changed
in between), and two programs storing at once never share a temporary name. A path is only ever made
from exactly 64 lower-case hex digits, so no record can name a file outside the folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from boeun_desk.i18n import t
from boeun_desk.progress import IsCancelled, stop_if
from boeun_desk.storage import cipher
from boeun_desk.storage.files import PART, fsync_folder, sweep_leftovers
from boeun_desk.validation import InvalidValue

if TYPE_CHECKING:
    from boeun_desk.storage.engine import Database

CHUNK = 1 << 20
_HASH = re.compile(r"[0-9a-f]{64}")
TEMP_PREFIX = ".incoming-"


def is_content_hash(value: object) -> bool:
    return isinstance(value, str) and _HASH.fullmatch(value) is not None


def content_path(files_dir: Path, content_hash: str) -> Path:
    """Where the file of this hash is stored; anything but 64 lower-case hex digits is refused."""
    if not is_content_hash(content_hash):
        raise InvalidValue(t("파일 해시는 16진수 소문자 64자리입니다"))
    return files_dir / content_hash[:2] / content_hash


def files_dir_of(database: Database) -> Path:
    """Attachments live beside a database file (`name.files/`), else in the user data folder."""
    if database.path is not None:
        return files_dir_for(database.path)
    from boeun_desk.paths import data_dir

    return data_dir() / "files"


def files_dir_for(database_path: Path) -> Path:
    """The files folder beside a database file: `name.files/`."""
    return database_path.with_name(database_path.name + ".files")


def named_hashes(database_path: Path, key: cipher.Key | None = None) -> set[str]:
    """The file hashes every attachment row of a database file names (trashed rows too), read
    without SQLAlchemy and without writing to the file (an encrypted one with `key`, else with the
    key this process has for it); only proper hashes are returned."""
    try:
        with cipher.connect(database_path, key or cipher.key_for(database_path), readonly=True,
                            timeout=30) as connection:
            rows = connection.execute("SELECT DISTINCT content_hash FROM attachment").fetchall()
    except sqlite3.OperationalError:  # no attachment table (an old or foreign file): names nothing
        return set()
    return {row[0] for row in rows if is_content_hash(row[0])}


def chunks_of(handle: IO[bytes], size: int | None = None) -> Iterator[bytes]:
    """The handle's bytes a chunk at a time: all of them, or exactly the next `size` (fewer if it ends)."""
    left = size
    while left is None or left > 0:
        block = handle.read(CHUNK if left is None else min(CHUNK, left))
        if not block:
            return
        if left is not None:
            left -= len(block)
        yield block


@dataclass(frozen=True)
class Staged:
    """A copy in the files folder under a temporary name (None: the folder holds the file already)."""

    content_hash: str
    size: int
    temporary: Path | None

    def discard(self) -> None:
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)


def stage(files_dir: Path, chunks: Iterable[bytes], expected: str | None = None) -> Staged:
    """Copy `chunks` into a temporary file in `files_dir`, hashing what is written. With `expected`,
    bytes of another hash are refused (InvalidValue, no file left), and bytes the folder already
    holds are only hashed, not written again."""
    if expected is not None and content_path(files_dir, expected).is_file():
        digest, size = hashlib.sha256(), 0
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
        _check(digest.hexdigest(), expected)
        return Staged(expected, size, None)
    files_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # private, as the database
    sweep_leftovers(files_dir, (f"{TEMP_PREFIX}*{PART}",))  # copies of killed runs, an hour old
    handle, name = tempfile.mkstemp(dir=files_dir, prefix=TEMP_PREFIX, suffix=PART)  # mode 0600
    temporary = Path(name)
    try:
        digest, size = hashlib.sha256(), 0
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if expected is not None:
            _check(digest.hexdigest(), expected)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return Staged(digest.hexdigest(), size, temporary)


def _check(found: str, expected: str) -> None:
    if found != expected:
        raise InvalidValue(t("파일 내용이 해시와 다릅니다: {hash}", hash=expected[:12]))


def place(files_dir: Path, staged: Staged) -> Path | None:
    """Rename a staged copy to its hash's name; the path if the file is new here, else None."""
    if staged.temporary is None:
        return None
    target = content_path(files_dir, staged.content_hash)
    if target.is_file():
        staged.discard()
        return None
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.replace(staged.temporary, target)  # atomic: never a half file under the final name
    fsync_folder(target.parent)  # the rename survives a power loss
    return target


@contextmanager
def placed(files_dir: Path, staged: list[Staged]) -> Iterator[list[Path]]:
    """Put staged copies in place for the records written in the block; the files new here. If the
    block fails they are removed again (no record names them), and staged copies never outlive it."""
    new: list[Path] = []
    try:
        new += [target for copy in staged if (target := place(files_dir, copy)) is not None]
        yield new
    except BaseException:
        for target in new:
            target.unlink(missing_ok=True)
        raise
    finally:
        for copy in staged:
            copy.discard()


@dataclass(frozen=True)
class Copied:
    """What `copy_named()` did: files copied, already there, missing or damaged at the source."""

    copied: int = 0
    present: int = 0
    missing: tuple[str, ...] = ()
    size: int = 0  # bytes copied


def copy_named(hashes: Iterable[str], source_dir: Path, target_dir: Path, *,
               cancelled: IsCancelled | None = None) -> Copied:
    """Copy each file of `hashes` that `target_dir` lacks from `source_dir`, its bytes checked
    against its hash on the way (a copy is stored only under the hash of what was written). A file
    missing or damaged at the source is listed, never stored, and does not stop the others.
    `cancelled` is asked between files (each file is whole or absent)."""
    copied = present = size = 0
    missing: list[str] = []
    for content_hash in sorted(hashes):
        stop_if(cancelled)
        if content_path(target_dir, content_hash).is_file():
            present += 1
            continue
        try:
            with open(content_path(source_dir, content_hash), "rb") as source:
                staged = stage(target_dir, chunks_of(source), expected=content_hash)
        except (OSError, InvalidValue):
            missing.append(content_hash)
            continue
        if place(target_dir, staged) is not None:
            copied += 1
            size += staged.size
        else:
            present += 1
    return Copied(copied, present, tuple(missing), size)
